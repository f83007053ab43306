//! Time: the system clock in seconds and whole hours, and a UTC date format for messages.
//!
//! Everything that decides (token choice, verification, pruning) takes `now` as a parameter
//! (`*_at` functions) so tests move a fake clock instead of sleeping; only the thin
//! convenience wrappers read the system clock.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Whole hours since the Unix epoch, the unit of token times and presentation slots (the
/// vocabulary's definition).
pub use greenlight_wire::hour_of;

/// `YYYY-MM-DD HH:MM` in UTC (no time-zone database needed, and unambiguous in both languages).
pub fn format_unix(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_dates() {
        assert_eq!(format_unix(0), "1970-01-01 00:00");
        assert_eq!(format_unix(951_782_400), "2000-02-29 00:00");
        assert_eq!(format_unix(1_700_000_000), "2023-11-14 22:13");
        assert_eq!(format_unix(4_102_444_800 + 3_660), "2100-01-01 01:01");
    }
}
