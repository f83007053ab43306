//! What a profile's tokens are still good for, and when the resident should act: the rule
//! behind the wallet's status screen (the web wallet; the CLI's `wallet status` shows counts
//! and ages).
//!
//! A token issued in hour `t` passes a venue with a `w`-hour window while the current hour is
//! at most `t + w` (the recency proof, `docs/spec.md` §5), under a key the venue accepts. So
//! a profile can serve a 6 h venue until its newest green token is 6 h old, and a 24 h venue
//! until it is 24 h old. The outlook says how many tokens fit each, until when, and warns
//! ahead of time — [`SHORT_WARN_AHEAD_HOURS`] before the last token ages out of a 6 h window,
//! [`DAY_WARN_AHEAD_HOURS`] before a 24 h one — and when fewer than [`FEW_TOKENS`] are left.
//! Tokens are used oldest first ([`crate::select_token`]), so the newest decides.

use greenlight_protocol::Status;
use greenlight_wire::hour_of;

use crate::document::WalletDocument;

/// Fewer tokens than this left in a profile: warn (each visit uses one).
pub const FEW_TOKENS: usize = 3;
/// The shortest standard window: short-window venues (6 h).
pub const SHORT_WINDOW_HOURS: u8 = 6;
/// The usual window (24 h).
pub const DAY_WINDOW_HOURS: u8 = 24;
/// Warn this long before no token fits a 6 h venue any more.
pub const SHORT_WARN_AHEAD_HOURS: u64 = 2;
/// Warn this long before no token fits a 24 h venue any more; also how long before that
/// instant the "go online by" deadline falls, so a top-up has time to happen.
pub const DAY_WARN_AHEAD_HOURS: u64 = 6;

/// A warning about one profile, with a stable code for the front ends' messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// No tokens at all.
    Empty,
    /// Fewer than [`FEW_TOKENS`] left.
    FewLeft {
        /// How many.
        left: usize,
    },
    /// No token fits a 6 h venue now.
    ShortWindowNone,
    /// The last token that fits a 6 h venue ages out at `until` (Unix seconds).
    ShortWindowSoon {
        /// End of the last usable hour.
        until: u64,
    },
    /// No token fits a 24 h venue now.
    DayWindowNone,
    /// The last token that fits a 24 h venue ages out at `until`.
    DayWindowSoon {
        /// End of the last usable hour.
        until: u64,
    },
}

impl Warning {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::Empty => "empty",
            Warning::FewLeft { .. } => "few_left",
            Warning::ShortWindowNone => "short_window_none",
            Warning::ShortWindowSoon { .. } => "short_window_soon",
            Warning::DayWindowNone => "day_window_none",
            Warning::DayWindowSoon { .. } => "day_window_soon",
        }
    }
}

/// A profile's outlook at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outlook {
    /// Unused tokens.
    pub total: usize,
    /// Tokens a 6 h venue would accept now.
    pub usable_short: usize,
    /// Tokens a 24 h venue would accept now.
    pub usable_day: usize,
    /// Age in whole hours of the newest green token under an accepted key.
    pub newest_age_hours: Option<u64>,
    /// Until when (Unix seconds, exclusive) some token fits a 6 h venue.
    pub short_until: Option<u64>,
    /// Until when some token fits a 24 h venue.
    pub day_until: Option<u64>,
    /// Go online (top up, or redeem a new ticket) before this instant:
    /// [`DAY_WARN_AHEAD_HOURS`] before `day_until`.
    pub go_online_by: Option<u64>,
    /// What to tell the resident, most urgent first.
    pub warnings: Vec<Warning>,
}

/// End (exclusive, Unix seconds) of the last hour a token of hour `t` fits a `w`-hour window.
pub(crate) fn fits_until(t: u32, w: u8) -> u64 {
    (u64::from(t) + u64::from(w) + 1) * 3600
}

impl WalletDocument {
    /// The issuance hours of `profile`'s tokens that selection would consider at `now_unix`:
    /// green, under a key accepted now, not dated in the future (`None`: no such profile).
    pub(crate) fn usable_hours(&self, profile: &str, now_unix: u64) -> Option<Vec<u32>> {
        let accepted = self.trust().accepted_keys(now_unix);
        let now_hour = hour_of(now_unix);
        Some(
            self.tokens(profile)?
                .iter()
                .filter(|t| t.attributes().status == Status::Green.as_u8())
                .filter(|t| accepted.contains(&t.key_id()))
                .map(|t| t.attributes().time_hours)
                .filter(|&h| h <= now_hour)
                .collect(),
        )
    }

    /// The outlook of `profile` at `now_unix` (`None`: no such profile).
    pub fn outlook(&self, profile: &str, now_unix: u64) -> Option<Outlook> {
        let tokens = self.tokens(profile)?;
        let now_hour = hour_of(now_unix);
        let hours = self.usable_hours(profile, now_unix)?;
        let fits = |w: u8| {
            hours
                .iter()
                .filter(|&&h| h + u32::from(w) >= now_hour)
                .count()
        };
        let newest = hours.iter().copied().max();
        let until = |w: u8| newest.map(|t| fits_until(t, w)).filter(|&u| u > now_unix);
        let (short_until, day_until) = (until(SHORT_WINDOW_HOURS), until(DAY_WINDOW_HOURS));
        let mut warnings = Vec::new();
        if tokens.is_empty() {
            warnings.push(Warning::Empty);
        } else {
            match day_until {
                None => warnings.push(Warning::DayWindowNone),
                Some(u) if u <= now_unix + DAY_WARN_AHEAD_HOURS * 3600 => {
                    warnings.push(Warning::DayWindowSoon { until: u })
                }
                Some(_) => {}
            }
            match short_until {
                None => warnings.push(Warning::ShortWindowNone),
                Some(u) if u <= now_unix + SHORT_WARN_AHEAD_HOURS * 3600 => {
                    warnings.push(Warning::ShortWindowSoon { until: u })
                }
                Some(_) => {}
            }
            if tokens.len() < FEW_TOKENS {
                warnings.push(Warning::FewLeft { left: tokens.len() });
            }
        }
        Some(Outlook {
            total: tokens.len(),
            usable_short: fits(SHORT_WINDOW_HOURS),
            usable_day: fits(DAY_WINDOW_HOURS),
            newest_age_hours: newest.map(|t| u64::from(now_hour - t)),
            short_until,
            day_until,
            go_online_by: day_until.map(|u| u.saturating_sub(DAY_WARN_AHEAD_HOURS * 3600)),
            warnings,
        })
    }
}

/// The device clock differs from the issuer's by at least this much: warn. Presentations are
/// stamped with the device's hour and venues allow an hour or so of difference; a few minutes
/// off is harmless, but a clock set by hand drifts into refusals near the hour boundary.
pub const CLOCK_SKEW_WARN_SECS: u64 = 5 * 60;

/// The device clock's offset from the issuer's (`server_unix`, from its `Date` header when the
/// key list was fetched), in seconds (positive: the device is ahead), if large enough to warn
/// about. Nothing secure depends on it: the issuer stamps tokens with its own hour and the
/// wallet checks that stamp against its clock ([`greenlight_issuance::check_certified`]).
pub fn clock_skew(device_unix: u64, server_unix: u64) -> Option<i64> {
    let skew = i64::try_from(device_unix).ok()? - i64::try_from(server_unix).ok()?;
    (skew.unsigned_abs() >= CLOCK_SKEW_WARN_SECS).then_some(skew)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::HolderSecret;
    use greenlight_testkit::{World, NOW, NOW_HOUR};

    fn doc_with(world: &mut World, n: u16) -> WalletDocument {
        let tokens = world.issue(Status::Green, n, 1);
        let mut doc = WalletDocument::new(world.trust());
        let holder = HolderSecret::from_scalar(2u64.into()).unwrap();
        doc.add_tokens("self", holder, tokens).unwrap();
        doc
    }

    #[test]
    fn windows_and_warnings_follow_the_newest_token() {
        let mut world = World::new(11);
        let doc = doc_with(&mut world, 4);
        let issued = u64::from(NOW_HOUR) * 3600;
        let fresh = doc.outlook("self", NOW).unwrap();
        assert_eq!(
            (fresh.total, fresh.usable_short, fresh.usable_day),
            (4, 4, 4)
        );
        assert_eq!(fresh.newest_age_hours, Some(0));
        assert_eq!(fresh.short_until, Some(issued + 7 * 3600));
        assert_eq!(fresh.day_until, Some(issued + 25 * 3600));
        assert_eq!(fresh.go_online_by, Some(issued + 19 * 3600));
        assert!(fresh.warnings.is_empty(), "{:?}", fresh.warnings);
        // Six hours later the 6 h window ends within the warning time.
        let later = doc.outlook("self", issued + 6 * 3600).unwrap();
        assert_eq!(
            later.warnings,
            [Warning::ShortWindowSoon {
                until: issued + 7 * 3600
            }]
        );
        // Ten hours later: nothing fits a 6 h venue; a day later the 24 h warning too.
        let ten = doc.outlook("self", issued + 10 * 3600).unwrap();
        assert_eq!((ten.usable_short, ten.usable_day), (0, 4));
        assert_eq!(ten.warnings, [Warning::ShortWindowNone]);
        let day = doc.outlook("self", issued + 20 * 3600).unwrap();
        assert_eq!(
            day.warnings[0],
            Warning::DayWindowSoon {
                until: issued + 25 * 3600
            }
        );
        let gone = doc.outlook("self", issued + 26 * 3600).unwrap();
        assert_eq!(
            gone.warnings,
            [Warning::DayWindowNone, Warning::ShortWindowNone]
        );
        assert_eq!(gone.go_online_by, None);
        assert!(doc.outlook("nobody", NOW).is_none());
    }

    #[test]
    fn few_tokens_and_empty_profiles_are_flagged() {
        let mut world = World::new(12);
        let doc = doc_with(&mut world, 2);
        let o = doc.outlook("self", NOW).unwrap();
        assert_eq!(o.warnings, [Warning::FewLeft { left: 2 }]);
        let mut empty = WalletDocument::new(world.trust());
        assert!(empty
            .add_profile("father", HolderSecret::from_scalar(3u64.into()).unwrap())
            .unwrap());
        assert_eq!(
            empty.outlook("father", NOW).unwrap().warnings,
            [Warning::Empty]
        );
    }

    #[test]
    fn clock_skew_warns_beyond_five_minutes_either_way() {
        assert_eq!(clock_skew(1000, 1000), None);
        assert_eq!(clock_skew(1000 + 299, 1000), None);
        assert_eq!(clock_skew(1000 + 300, 1000), Some(300));
        assert_eq!(clock_skew(1000, 1000 + 3600), Some(-3600));
    }
}
