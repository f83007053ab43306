//! Automatic top-up from a kept ticket: when, and how many tokens, the wallet asks for on its
//! own while it is online (the web wallet's "keep the ticket"; `docs/wallet-web.md`).
//!
//! A ticket allows a number of tokens (its quota, counted by the issuer). A wallet that keeps
//! the ticket redeems only [`first_redeem`] of them at once and the rest later, a few at a
//! time, so that it always holds tokens fresh enough for short windows without the resident
//! going back to the health authority. The rule, with hysteresis so that top-ups are rare and
//! do not follow each visit (each one is a round trip the issuer sees, at a time of the
//! wallet's choosing — `docs/privacy.md`):
//!
//! * **6 h venues.** When no token will still fit a 6 h venue [`SHORT_WARN_AHEAD_HOURS`] from
//!   now, ask for [`TOP_UP_SHORT_FILL`] fresh ones — before the status screen would warn.
//! * **24 h venues, and few left.** When fewer than [`FEW_TOKENS`] tokens will still fit a
//!   24 h venue [`DAY_WARN_AHEAD_HOURS`] + [`SHORT_WARN_AHEAD_HOURS`] from now — that is,
//!   before the "go online by" deadline ([`crate::Outlook::go_online_by`]) is reached — fill
//!   up to [`TOP_UP_DAY_FILL`] such tokens.
//! * Never more than the ticket's quota left, nor more than [`TOP_UP_MAX`] at once (one quiet
//!   batch).
//!
//! Time is a parameter; the page calls [`WalletDocument::top_up`] when it starts online and
//! when the browser comes back online, and redeems what it says with the kept ticket.

use crate::document::WalletDocument;
use crate::outlook::{
    fits_until, DAY_WARN_AHEAD_HOURS, DAY_WINDOW_HOURS, FEW_TOKENS, SHORT_WARN_AHEAD_HOURS,
    SHORT_WINDOW_HOURS,
};

/// Tokens redeemed at once when the ticket is kept (the rest stays on the issuer's quota).
pub const FIRST_REDEEM: u16 = 8;
/// Fresh tokens asked for when none will fit a 6 h venue soon: two, so that one visit does
/// not bring the next top-up straight away.
pub const TOP_UP_SHORT_FILL: usize = 2;
/// Tokens that should fit a 24 h venue after a top-up.
pub const TOP_UP_DAY_FILL: usize = 8;
/// The most tokens one top-up asks for.
pub const TOP_UP_MAX: u16 = 8;

/// Why a top-up is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopUpReason {
    /// No token will fit a 6 h venue soon.
    ShortWindow,
    /// Few tokens will fit a 24 h venue by the "go online by" deadline (or few are left).
    DayWindow,
}

impl TopUpReason {
    /// Stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            TopUpReason::ShortWindow => "short_window",
            TopUpReason::DayWindow => "day_window",
        }
    }
}

/// A top-up to make now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopUp {
    /// Tokens to ask for (at least 1).
    pub tokens: u16,
    /// What triggered it (the day window when both did).
    pub reason: TopUpReason,
}

/// How many tokens of a kept ticket allowing `ticket_tokens` to redeem at once.
pub fn first_redeem(ticket_tokens: u16) -> u16 {
    ticket_tokens.min(FIRST_REDEEM)
}

/// Whether a refusal (its stable code: the server's `docs/api.md` codes, or the wallet's own
/// check of the ticket's time) means the kept ticket will never mint again, so the wallet
/// forgets it. Anything else (offline, busy, a key list to update) keeps it for next time.
pub fn kept_ticket_spent(code: &str) -> bool {
    matches!(
        code,
        "quota_exceeded"
            | "ticket_expired"
            | "ticket_too_long"
            | "subject_revoked"
            | "ticket_superseded"
            | "invalid_ticket"
    )
}

impl WalletDocument {
    /// The top-up due for `profile` at `now_unix`, with `quota_left` tokens left on its kept
    /// ticket; `None` when nothing is due (or no such profile, or no quota).
    pub fn top_up(&self, profile: &str, now_unix: u64, quota_left: u16) -> Option<TopUp> {
        let hours = self.usable_hours(profile, now_unix)?;
        let fresh = |window: u8, ahead_hours: u64| {
            hours
                .iter()
                .filter(|&&h| fits_until(h, window) > now_unix + ahead_hours * 3600)
                .count()
        };
        let short = fresh(SHORT_WINDOW_HOURS, SHORT_WARN_AHEAD_HOURS);
        let day = fresh(
            DAY_WINDOW_HOURS,
            DAY_WARN_AHEAD_HOURS + SHORT_WARN_AHEAD_HOURS,
        );
        let short_need = if short == 0 { TOP_UP_SHORT_FILL } else { 0 };
        let day_need = if day < FEW_TOKENS {
            TOP_UP_DAY_FILL - day
        } else {
            0
        };
        let (need, reason) = if day_need > 0 && day_need >= short_need {
            (day_need, TopUpReason::DayWindow)
        } else {
            (short_need, TopUpReason::ShortWindow)
        };
        let tokens = u16::try_from(need)
            .unwrap_or(u16::MAX)
            .min(TOP_UP_MAX)
            .min(quota_left);
        (tokens > 0).then_some(TopUp { tokens, reason })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outlook::fits_until;
    use crate::profile::HolderSecret;
    use greenlight_protocol::Status;
    use greenlight_testkit::{World, NOW, NOW_HOUR};

    fn doc_with(world: &mut World, n: u16) -> WalletDocument {
        let mut doc = WalletDocument::new(world.trust());
        let holder = HolderSecret::from_scalar(2u64.into()).unwrap();
        if n == 0 {
            assert!(doc.add_profile("self", holder).unwrap());
        } else {
            doc.add_tokens("self", holder, world.issue(Status::Green, n, 1))
                .unwrap();
        }
        doc
    }

    const HOUR: u64 = 3600;

    #[test]
    fn plenty_of_fresh_tokens_need_nothing() {
        let mut world = World::new(21);
        let doc = doc_with(&mut world, 8);
        assert_eq!(doc.top_up("self", NOW, 100), None);
        assert_eq!(doc.top_up("nobody", NOW, 100), None);
    }

    #[test]
    fn tokens_ageing_out_of_a_six_hour_window_bring_two_fresh_ones_before_the_warning() {
        let mut world = World::new(22);
        let doc = doc_with(&mut world, 8);
        let short_end = fits_until(NOW_HOUR, SHORT_WINDOW_HOURS);
        // Just over two hours before the last 6 h hour ends: not yet.
        assert_eq!(doc.top_up("self", short_end - 2 * HOUR - 1, 100), None);
        // Two hours before: two fresh tokens, ahead of the status screen's warning, which
        // starts at the same instant (outlook's SHORT_WARN_AHEAD_HOURS) — the top-up comes first
        // when the page is online.
        let at = short_end - 2 * HOUR;
        assert_eq!(
            doc.top_up("self", at, 100),
            Some(TopUp {
                tokens: 2,
                reason: TopUpReason::ShortWindow
            })
        );
        // The quota caps it.
        assert_eq!(
            doc.top_up("self", at, 1),
            Some(TopUp {
                tokens: 1,
                reason: TopUpReason::ShortWindow
            })
        );
        assert_eq!(doc.top_up("self", at, 0), None);
    }

    #[test]
    fn the_day_window_is_topped_up_before_the_go_online_deadline() {
        let mut world = World::new(23);
        let doc = doc_with(&mut world, 8);
        let deadline = doc.outlook("self", NOW).unwrap().go_online_by.unwrap();
        let day_end = fits_until(NOW_HOUR, DAY_WINDOW_HOURS);
        // Two hours before the deadline the day window asks for a full fill (and wins over
        // the short window, long gone by then).
        let at = deadline - 2 * HOUR;
        assert_eq!(at, day_end - 8 * HOUR);
        assert_eq!(
            doc.top_up("self", at, 100),
            Some(TopUp {
                tokens: 8,
                reason: TopUpReason::DayWindow
            })
        );
        // A moment earlier only the short window is due.
        assert_eq!(
            doc.top_up("self", at - 1, 100),
            Some(TopUp {
                tokens: 2,
                reason: TopUpReason::ShortWindow
            })
        );
    }

    #[test]
    fn few_tokens_left_fill_up_to_eight_and_an_empty_profile_gets_the_most() {
        let mut world = World::new(24);
        // Three fresh tokens: enough (hysteresis: no top-up after each visit).
        assert_eq!(doc_with(&mut world, 3).top_up("self", NOW, 100), None);
        assert_eq!(
            doc_with(&mut world, 2).top_up("self", NOW, 100),
            Some(TopUp {
                tokens: 6,
                reason: TopUpReason::DayWindow
            })
        );
        assert_eq!(
            doc_with(&mut world, 0).top_up("self", NOW, 100),
            Some(TopUp {
                tokens: TOP_UP_MAX,
                reason: TopUpReason::DayWindow
            })
        );
    }

    #[test]
    fn red_tokens_do_not_count() {
        let mut world = World::new(25);
        let mut doc = WalletDocument::new(world.trust());
        let holder = HolderSecret::from_scalar(2u64.into()).unwrap();
        doc.add_tokens("self", holder, world.issue(Status::Red, 8, 1))
            .unwrap();
        assert_eq!(
            doc.top_up("self", NOW, 100).map(|t| t.tokens),
            Some(TOP_UP_MAX)
        );
    }

    #[test]
    fn final_refusals_spend_the_kept_ticket_and_passing_ones_keep_it() {
        for code in [
            "quota_exceeded",
            "ticket_expired",
            "ticket_superseded",
            "subject_revoked",
        ] {
            assert!(kept_ticket_spent(code), "{code}");
        }
        for code in [
            "ticket_busy",
            "overloaded",
            "timeout",
            "rate_limited",
            "internal",
            "offline",
        ] {
            assert!(!kept_ticket_spent(code), "{code}");
        }
    }

    #[test]
    fn a_kept_ticket_redeems_at_most_eight_at_first() {
        assert_eq!(first_redeem(5), 5);
        assert_eq!(first_redeem(8), 8);
        assert_eq!(first_redeem(64), FIRST_REDEEM);
    }
}
