//! What the issuer keeps per subject — whether it is revoked, and its **epoch** — and every
//! rule that reads or moves them.
//!
//! # Why an epoch
//!
//! The authority changes a subject's status by signing a new ticket (a red one after a green
//! one). Without more, every older ticket that has not expired keeps redeeming, and every
//! token it mints is stamped with the current hour, so it looks fresh. The epoch is the
//! issuer's memory of "the newest thing known about this subject":
//!
//! * a ticket is redeemable only if its `not_before` ≥ the subject's epoch ([`admits`]);
//!   equality is allowed, so one ticket redeems in several batches;
//! * the epoch only ever moves **forward**, to
//!   - a ticket's `not_before`, when a ticket newer than the epoch is redeemed (`start`) or
//!     signed through the issuer's admin API ([`after_ticket`], [`record_ticket`]);
//!   - the current time, when the subject is revoked or a revocation is lifted on appeal
//!     ([`after_revoke`], [`after_appeal`]).
//!
//! So a red ticket signed after a green one stops the green one as soon as the red one is
//! redeemed or signed through the API, and an appeal revives no ticket signed before it (the
//! authority signs a new one after the appeal). Times are whole seconds. A ticket signed
//! through the admin API starts after the epoch ([`fresh_not_before`]: one second past it
//! when something was recorded in this second), so of two tickets signed in one second the
//! later supersedes the earlier; tickets are taken a minute before their `not_before` (spec
//! §7.2), so that second never delays a redemption. Revocations and appeals put the epoch at
//! `now` (an appeal one second past an epoch that such tickets put ahead of the clock); a
//! ticket recorded in the appeal's own second is not older than it — the one tie left, since
//! a ticket signed without the store in that second, just after the appeal, must redeem.
//!
//! Tickets signed offline (`greenlight-server ticket`, or by an authority with its own key)
//! move the epoch only when they are redeemed: until then the issuer cannot know they exist.
//! To cut off a subject's older tickets at once, sign through the admin API, or revoke.
//!
//! # Atomicity
//!
//! Two `start`s of one subject race; the store offers a compare-and-swap of the subject's
//! record ([`Store::swap_subject_record`]) and [`update`] loops on it: read, decide with the
//! pure rules here, write only if nobody changed the record meanwhile, else decide again. A
//! slower `start` of an older ticket therefore can never move the epoch back, and a ticket
//! older than an epoch written concurrently is refused, not admitted.
//!
//! # Forgetting
//!
//! A subject's record is kept while it is revoked. Otherwise it is forgotten once its epoch
//! is more than [`MAX_GRANTING_TICKET_LIFE_SECS`] + [`RECORD_GRACE_SECS`] old
//! ([`subject_record_forgettable`]): every green or yellow ticket it would refuse has expired
//! by then ([`crate::lifetime`]). (A red ticket older than a forgotten epoch could redeem
//! again; red tokens grant nothing, so that is harmless.) Quota records are forgotten a day
//! after their ticket's expiry ([`ticket_record_forgettable`]).

use crate::digest::SubjectDigest;
use crate::issuer::{Refusal, Store};
use crate::lifetime::MAX_GRANTING_TICKET_LIFE_SECS;

/// How long after it stops mattering a record is kept: a `start` that passed the ticket's
/// validity check just before `not_after` may reach the store just after it (had the quota
/// record been forgotten in between, the ticket would mint again at full quota), and the
/// issuer's clock may be stepped back by less than this.
pub const RECORD_GRACE_SECS: u64 = 24 * 3600;

/// What a store keeps about one subject, under its [`SubjectDigest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubjectRecord {
    /// The subject is revoked: none of its tickets redeem until an appeal.
    pub revoked: bool,
    /// Tickets with an earlier `not_before` are refused (Unix seconds; 0: none).
    pub epoch: u64,
}

/// Why a subject's record refuses a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectRefusal {
    /// The subject is revoked.
    Revoked,
    /// The ticket is older than the subject's epoch.
    Superseded,
}

impl<E: std::error::Error + 'static> From<SubjectRefusal> for Refusal<E> {
    fn from(r: SubjectRefusal) -> Self {
        match r {
            SubjectRefusal::Revoked => Refusal::SubjectRevoked,
            SubjectRefusal::Superseded => Refusal::TicketSuperseded,
        }
    }
}

/// Whether a ticket valid from `not_before` may redeem for a subject with `record`: not if
/// the subject is revoked, nor if the ticket is older than the epoch.
pub fn admits(record: Option<SubjectRecord>, not_before: u64) -> Result<(), SubjectRefusal> {
    match record {
        Some(r) if r.revoked => Err(SubjectRefusal::Revoked),
        Some(r) if not_before < r.epoch => Err(SubjectRefusal::Superseded),
        _ => Ok(()),
    }
}

/// The record once a ticket valid from `not_before` is redeemed or signed: the epoch moves
/// forward to `not_before`, never back. `None`: nothing changes.
pub fn after_ticket(record: Option<SubjectRecord>, not_before: u64) -> Option<SubjectRecord> {
    match record {
        Some(r) if r.epoch >= not_before => None,
        Some(r) => Some(SubjectRecord {
            epoch: not_before,
            ..r
        }),
        None => Some(SubjectRecord {
            revoked: false,
            epoch: not_before,
        }),
    }
}

/// The record once the subject is revoked at `now`. `None`: it already was.
pub fn after_revoke(record: Option<SubjectRecord>, now_unix: u64) -> Option<SubjectRecord> {
    match record {
        Some(r) if r.revoked => None,
        _ => Some(SubjectRecord {
            revoked: true,
            epoch: record.map_or(now_unix, |r| r.epoch.max(now_unix)),
        }),
    }
}

/// The record once an appeal is granted at `now`: no longer revoked, and no ticket signed
/// before the appeal redeems. The epoch becomes `now` — or, when tickets signed through the
/// admin API have put it ahead of the clock ([`fresh_not_before`]), one second past it, so
/// those are not revived either. A ticket recorded in the appeal's own second is not older
/// than it (whole seconds). `None`: the subject was not revoked (nothing changes).
pub fn after_appeal(record: Option<SubjectRecord>, now_unix: u64) -> Option<SubjectRecord> {
    match record {
        Some(r) if r.revoked => Some(SubjectRecord {
            revoked: false,
            epoch: if r.epoch > now_unix {
                r.epoch.saturating_add(1)
            } else {
                now_unix
            },
        }),
        _ => None,
    }
}

/// Whether a store may forget this subject record at `now` (see the module documentation).
pub fn subject_record_forgettable(record: &SubjectRecord, now_unix: u64) -> bool {
    !record.revoked && record.epoch < subject_forget_before(now_unix)
}

/// The same rule as a cut-off, for stores that delete in one query: at `now`, a subject
/// record that is not revoked may be forgotten if its epoch is before this.
pub fn subject_forget_before(now_unix: u64) -> u64 {
    now_unix.saturating_sub(MAX_GRANTING_TICKET_LIFE_SECS + RECORD_GRACE_SECS)
}

/// Whether a store may forget a ticket's quota record, kept until `expires_at_unix`, at
/// `now`: a day after the ticket's expiry.
pub fn ticket_record_forgettable(expires_at_unix: u64, now_unix: u64) -> bool {
    expires_at_unix < ticket_forget_before(now_unix)
}

/// The same rule as a cut-off: at `now`, a quota record kept until before this may be
/// forgotten.
pub fn ticket_forget_before(now_unix: u64) -> u64 {
    now_unix.saturating_sub(RECORD_GRACE_SECS)
}

/// Applies `step` to the subject's record atomically: read it, let `step` decide (the new
/// record, `None` for no change, or an error), and compare-and-swap; if the record changed
/// meanwhile, read and decide again. Returns whether a record was written.
pub fn update<S: Store, E>(
    store: &S,
    subject: &SubjectDigest,
    mut step: impl FnMut(Option<SubjectRecord>) -> Result<Option<SubjectRecord>, E>,
    store_error: impl Fn(S::Error) -> E,
) -> Result<bool, E> {
    loop {
        let current = store.subject_record(subject).map_err(&store_error)?;
        let Some(new) = step(current)? else {
            return Ok(false);
        };
        if store
            .swap_subject_record(subject, current, new)
            .map_err(&store_error)?
        {
            return Ok(true);
        }
    }
}

/// Redemption (`start`, at commit): atomically checks that the subject admits a ticket valid
/// from `not_before` and moves the epoch forward to it.
pub fn redeem<S: Store>(
    store: &S,
    subject: &SubjectDigest,
    not_before: u64,
) -> Result<(), Refusal<S::Error>> {
    update(
        store,
        subject,
        |record| {
            admits(record, not_before)?;
            Ok(after_ticket(record, not_before))
        },
        Refusal::Store,
    )
    .map(|_| ())
}

/// A ticket for `handle` valid from `not_before` was signed by the issuer's own authority
/// key (the admin API): the epoch moves forward to it, so older tickets stop redeeming now
/// rather than when this one is first redeemed. Durable on `Ok`.
pub fn record_ticket<S: Store>(store: &S, handle: &str, not_before: u64) -> Result<(), S::Error> {
    let subject = store.digest_key().subject(handle);
    update(
        store,
        &subject,
        |record| Ok(after_ticket(record, not_before)),
        |e| e,
    )
    .map(|_| ())
}

/// The `not_before` of a ticket the issuer signs for a subject with `record` at `now`, so that
/// it supersedes everything recorded before it: `now`, or — when the epoch is not before now
/// (a ticket, revocation or appeal recorded in this same second) — the second after the
/// epoch. Without this, two tickets signed in one second would share a `not_before` and
/// neither would supersede the other (epochs are whole seconds, and equality admits).
pub fn fresh_not_before(record: Option<SubjectRecord>, now_unix: u64) -> u64 {
    match record {
        Some(r) if r.epoch >= now_unix => r.epoch.saturating_add(1),
        _ => now_unix,
    }
}

/// A ticket for `handle` is about to be signed through the issuer's admin API at `now`:
/// atomically chooses its `not_before` ([`fresh_not_before`]) and moves the epoch to it, so
/// older tickets stop redeeming at once and a concurrent signing for the same subject gets a
/// later second. Returns the `not_before` to sign with. Durable on `Ok`.
pub fn record_fresh_ticket<S: Store>(
    store: &S,
    handle: &str,
    now_unix: u64,
) -> Result<u64, S::Error> {
    let subject = store.digest_key().subject(handle);
    let mut chosen = now_unix;
    update(
        store,
        &subject,
        |record| {
            chosen = fresh_not_before(record, now_unix);
            Ok(after_ticket(record, chosen))
        },
        |e| e,
    )?;
    Ok(chosen)
}

/// Revokes `handle` at `now`. Returns whether it was newly revoked. Durable on `Ok`.
pub fn revoke<S: Store>(store: &S, handle: &str, now_unix: u64) -> Result<bool, S::Error> {
    let subject = store.digest_key().subject(handle);
    update(
        store,
        &subject,
        |record| Ok(after_revoke(record, now_unix)),
        |e| e,
    )
}

/// Lifts `handle`'s revocation at `now` (an appeal granted); tickets signed before now stay
/// refused. Returns whether it was revoked. Durable on `Ok`.
pub fn appeal<S: Store>(store: &S, handle: &str, now_unix: u64) -> Result<bool, S::Error> {
    let subject = store.digest_key().subject(handle);
    update(
        store,
        &subject,
        |record| Ok(after_appeal(record, now_unix)),
        |e| e,
    )
}

/// Whether `handle` is revoked.
pub fn is_revoked<S: Store>(store: &S, handle: &str) -> Result<bool, S::Error> {
    let subject = store.digest_key().subject(handle);
    Ok(store.subject_record(&subject)?.is_some_and(|r| r.revoked))
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn rec(revoked: bool, epoch: u64) -> Option<SubjectRecord> {
        Some(SubjectRecord { revoked, epoch })
    }

    #[test]
    fn a_ticket_older_than_the_epoch_is_superseded_equal_is_not() {
        assert_eq!(admits(None, 0), Ok(()));
        assert_eq!(admits(rec(false, 100), 100), Ok(()));
        assert_eq!(admits(rec(false, 100), 101), Ok(()));
        assert_eq!(admits(rec(false, 100), 99), Err(SubjectRefusal::Superseded));
        // Revoked comes first, whatever the ticket's age.
        assert_eq!(admits(rec(true, 100), 200), Err(SubjectRefusal::Revoked));
        assert_eq!(admits(rec(true, 100), 50), Err(SubjectRefusal::Revoked));
    }

    #[test]
    fn the_epoch_only_moves_forward() {
        assert_eq!(after_ticket(None, 100), rec(false, 100));
        assert_eq!(after_ticket(rec(false, 100), 150), rec(false, 150));
        assert_eq!(after_ticket(rec(false, 100), 100), None);
        assert_eq!(after_ticket(rec(false, 100), 50), None);
        assert_eq!(after_ticket(rec(true, 100), 150), rec(true, 150));
        // Revoke and appeal move it to now, never back; an appeal passes an epoch ahead of
        // the clock.
        assert_eq!(after_revoke(None, 300), rec(true, 300));
        assert_eq!(after_revoke(rec(false, 100), 300), rec(true, 300));
        assert_eq!(after_revoke(rec(false, 500), 300), rec(true, 500));
        assert_eq!(after_revoke(rec(true, 100), 300), None);
        assert_eq!(after_appeal(rec(true, 100), 300), rec(false, 300));
        assert_eq!(after_appeal(rec(true, 300), 300), rec(false, 300));
        assert_eq!(after_appeal(rec(true, 500), 300), rec(false, 501));
        assert_eq!(after_appeal(rec(false, 100), 300), None);
        assert_eq!(after_appeal(None, 300), None);
    }

    #[test]
    fn an_appeal_revives_no_ticket_signed_before_it() {
        let signed_before = 1_000;
        let revoked = after_revoke(None, 2_000);
        let appealed = after_appeal(revoked, 3_000);
        assert_eq!(
            admits(appealed, signed_before),
            Err(SubjectRefusal::Superseded)
        );
        assert_eq!(admits(appealed, 3_000), Ok(()));
    }

    #[test]
    fn an_appeal_revives_no_ticket_that_admin_signing_put_ahead_of_the_clock() {
        // Three tickets signed through the admin API in one second T put the epoch at T + 2;
        // a revocation and an appeal a second later still refuse all three.
        let t = 5_000;
        let mut record = None;
        let mut last = 0;
        for _ in 0..3 {
            last = fresh_not_before(record, t);
            record = after_ticket(record, last);
        }
        assert_eq!(last, t + 2);
        let appealed = after_appeal(after_revoke(record, t + 1), t + 1);
        assert_eq!(admits(appealed, last), Err(SubjectRefusal::Superseded));
        // A ticket signed after the appeal — through the API, or without the store a second
        // later — redeems.
        assert_eq!(admits(appealed, fresh_not_before(appealed, t + 1)), Ok(()));
        assert_eq!(admits(appealed, t + 4), Ok(()));
    }

    #[test]
    fn records_are_forgotten_when_every_ticket_they_refuse_has_expired() {
        let keep = MAX_GRANTING_TICKET_LIFE_SECS + RECORD_GRACE_SECS;
        let r = SubjectRecord {
            revoked: false,
            epoch: 1_000,
        };
        assert!(!subject_record_forgettable(&r, 1_000 + keep));
        assert!(subject_record_forgettable(&r, 1_000 + keep + 1));
        let revoked = SubjectRecord { revoked: true, ..r };
        assert!(!subject_record_forgettable(&revoked, u64::MAX));
        assert!(!ticket_record_forgettable(500, 500 + RECORD_GRACE_SECS));
        assert!(ticket_record_forgettable(500, 501 + RECORD_GRACE_SECS));
        assert!(!ticket_record_forgettable(500, 0));
    }
}
