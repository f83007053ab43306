//! Daily issuance totals per key: the anonymity-set figures (`docs/privacy.md` §2).
//!
//! A presentation hides its holder among every holder of a green token **under the same key**
//! issued within the venue's window. How large that crowd is can only be judged from how many
//! tokens each key issued, so the issuer publishes it — per key and per **completed** UTC day,
//! never a running count: a counter read before and after one resident's redeem would show
//! that redeem's batch size at that minute, which is exactly the real-time signal the old
//! `/metrics` gave away. Today's count is withheld until the day is over.
//!
//! The store keeps one counter per key and day ([`Store::add_issued`]); nothing else —
//! no batch sizes, no times within the day. Totals older than [`PUBLISHED_DAYS`] are not
//! published; the stores keep them (they are public figures, and a few bytes a day).

use crate::issuer::Store;

/// Seconds in a UTC day.
pub const SECS_PER_DAY: u64 = 86_400;
/// Completed days published, counting back from yesterday.
pub const PUBLISHED_DAYS: u32 = 400;

/// The UTC day number (days since 1970-01-01) of a Unix time.
pub fn day_of(unix: u64) -> u32 {
    u32::try_from(unix / SECS_PER_DAY).unwrap_or(u32::MAX)
}

/// One published figure: tokens issued under `key_id` on UTC day `day`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayTotal {
    /// The issuing key's id.
    pub key_id: [u8; 8],
    /// UTC day number ([`day_of`]).
    pub day: u32,
    /// Tokens answered (finished issuance) that day.
    pub tokens: u64,
}

/// Counts `tokens` tokens issued under `key_id` at `now_unix` (after a `finish` answered).
pub fn record_issued<S: Store>(
    store: &S,
    key_id: [u8; 8],
    now_unix: u64,
    tokens: u64,
) -> Result<(), S::Error> {
    if tokens == 0 {
        return Ok(());
    }
    store.add_issued(key_id, day_of(now_unix), tokens)
}

/// The totals that may be published at `now_unix`: completed days only (before today), the
/// last [`PUBLISHED_DAYS`] of them, ordered by key id and then day.
pub fn published_totals<S: Store>(store: &S, now_unix: u64) -> Result<Vec<DayTotal>, S::Error> {
    Ok(publishable(store.issued_totals()?, now_unix))
}

/// [`published_totals`] over totals already read.
pub fn publishable(totals: impl IntoIterator<Item = DayTotal>, now_unix: u64) -> Vec<DayTotal> {
    let today = day_of(now_unix);
    let first = today.saturating_sub(PUBLISHED_DAYS);
    let mut out: Vec<DayTotal> = totals
        .into_iter()
        .filter(|t| t.day < today && t.day >= first && t.tokens > 0)
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(key: u8, day: u32, tokens: u64) -> DayTotal {
        DayTotal {
            key_id: [key; 8],
            day,
            tokens,
        }
    }

    #[test]
    fn days_are_utc_days() {
        assert_eq!(day_of(0), 0);
        assert_eq!(day_of(86_399), 0);
        assert_eq!(day_of(86_400), 1);
        // 2026-12-01T00:00:00Z
        assert_eq!(day_of(1_796_083_200), 20_788);
    }

    #[test]
    fn only_completed_recent_days_are_published() {
        let now = 20_788 * SECS_PER_DAY + 3_600; // 01:00 on day 20788
        let all = [
            t(2, 20_787, 5),
            t(1, 20_788, 7), // today: withheld
            t(1, 20_789, 1), // future (a clock moved back): withheld
            t(1, 20_787, 3),
            t(1, 20_788 - PUBLISHED_DAYS - 1, 9), // too old
            t(1, 20_788 - PUBLISHED_DAYS, 4),     // the oldest published
            t(3, 20_700, 0),                      // nothing issued: not a figure
        ];
        assert_eq!(
            publishable(all, now),
            [
                t(1, 20_788 - PUBLISHED_DAYS, 4),
                t(1, 20_787, 3),
                t(2, 20_787, 5)
            ]
        );
        // A second before midnight the day is still running; at midnight it is published.
        assert!(publishable([t(1, 20_788, 7)], 20_789 * SECS_PER_DAY - 1).is_empty());
        assert_eq!(
            publishable([t(1, 20_788, 7)], 20_789 * SECS_PER_DAY),
            [t(1, 20_788, 7)]
        );
    }
}
