//! The issuer's pipeline end to end with the real holder, over an in-memory store, and every
//! refusal with its error code.

use std::convert::Infallible;

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::HolderRequest;
use greenlight_acl::IssuerKeyPair;
use greenlight_api::ErrorCode;
use greenlight_issuance::*;
use greenlight_protocol::{SigningKey, Status, TicketBody};
use greenlight_testkit::{MemoryStore, World, KEY_DAYS, NOW};
use greenlight_wire::hour_of;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// The test world: the testkit's deployment plus the holder-side helpers these tests need.
struct W(World);

impl W {
    fn new() -> Self {
        W(World::new(5))
    }
    fn state(&self, revoked: bool) -> IssuerState<'_> {
        IssuerState {
            key_revoked: revoked,
            ..self.0.issuer_state()
        }
    }
    fn ticket(&mut self, subject: &str, status: Status, tokens: u16) -> (String, TicketBody) {
        let t = self.0.ticket(subject, status, tokens);
        (t.to_text(), t.unverified_body().clone())
    }
    fn registrations(
        &mut self,
        body: &TicketBody,
        n: usize,
    ) -> (greenlight_acl::issuance::HolderRegistered, Vec<u8>) {
        let (holder, batch) = HolderRequest::new_with_rng(
            self.0.issuer.public(),
            &body.ticket_id(),
            &Scalar::from(42u64),
            n,
            &mut self.0.rng,
        )
        .unwrap();
        (holder, batch.to_bytes())
    }
}

fn code<T>(r: Result<T, Refusal<Infallible>>) -> ErrorCode {
    match r {
        Ok(_) => panic!("expected a refusal"),
        Err(e) => e.code(),
    }
}

#[test]
fn a_ticket_redeems_into_verified_tokens_once() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    let (text, body) = w.ticket("resident-1", Status::Green, 3);
    let (holder, regs) = w.registrations(&body, 3);
    let state = w.state(false);
    let checked = check_start(&state, store, &text, &regs, NOW, |_| true).unwrap();
    assert_eq!(checked.tokens(), 3);
    assert_eq!(checked.body(), &body);
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let (committed, commitments) = commit(&state, store, checked, NOW, &mut rng).unwrap();
    // The holder's check agrees with what the issuer certified.
    check_certified(
        commitments.key_id,
        w.0.issuer.public().key_id(),
        &commitments.attributes,
        &body,
        NOW,
    )
    .unwrap();
    assert_eq!(
        commitments.attributes,
        ticket_attributes(&body, hour_of(NOW))
    );
    let (holder, challenges) = holder.challenge_with_rng(&commitments, &mut rng).unwrap();
    let challenges = decode_challenges::<Infallible>(&challenges.to_bytes()).unwrap();
    let answers = finish::<Infallible>(&w.0.issuer, committed, &challenges).unwrap();
    let tokens = holder.finish(&answers).unwrap();
    assert_eq!(tokens.len(), 3);

    // The quota is spent: the same ticket cannot mint again.
    let (_, regs) = w.registrations(&body, 1);
    let state = w.state(false);
    let checked = check_start(&state, store, &text, &regs, NOW, |_| true).unwrap();
    assert_eq!(
        code(commit(&state, store, checked, NOW, &mut rng)),
        ErrorCode::QuotaExceeded
    );
}

#[test]
fn every_refusal_has_its_code() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    store.revoke("revoked-1");
    let (text, body) = w.ticket("resident-2", Status::Green, 2);
    let (_, regs) = w.registrations(&body, 2);
    let (revoked_text, revoked_body) = w.ticket("revoked-1", Status::Green, 2);
    let (_, revoked_regs) = w.registrations(&revoked_body, 1);
    let (_, three) = w.registrations(&body, 3);
    let other = IssuerKeyPair::generate_with_rng(&mut w.0.rng);
    let (_, foreign) = HolderRequest::new_with_rng(
        other.public(),
        &body.ticket_id(),
        &Scalar::from(1u64),
        1,
        &mut w.0.rng,
    )
    .unwrap();
    let (_, other_body) = w.ticket("resident-3", Status::Green, 2);
    let (_, misbound) = w.registrations(&other_body, 2);
    let forged = body
        .clone()
        .sign(&SigningKey::from_bytes(&[1; 32]))
        .to_text();
    let state = w.state(false);
    // The per-ticket rate limit is consulted only after the signature and validity checks
    // (so forged tickets cannot fill its table): every refusal before it must not call it.
    let start = |text: &str, regs: &[u8], now: u64| {
        check_start(&state, store, text, regs, now, |_| {
            panic!("rate limit consulted before the ticket was verified")
        })
        .map(|_| ())
    };
    let admitted = |text: &str, regs: &[u8], now: u64| {
        check_start(&state, store, text, regs, now, |_| true).map(|_| ())
    };

    assert_eq!(
        code(check_start(
            &w.state(true),
            store,
            &text,
            &regs,
            NOW,
            |_| true
        )),
        ErrorCode::KeyNotIssuing
    );
    assert_eq!(
        code(start(&text, &regs, NOW + (KEY_DAYS + 1) * 86_400)),
        ErrorCode::KeyNotIssuing
    );
    assert_eq!(
        code(start("GLT1:garbage", &regs, NOW)),
        ErrorCode::InvalidTicket
    );
    assert_eq!(code(start(&forged, &regs, NOW)), ErrorCode::InvalidTicket);
    assert_eq!(
        code(start(&text, &regs, NOW - 7200)),
        ErrorCode::TicketNotYetValid
    );
    assert_eq!(
        code(start(&text, &regs, NOW + 7200)),
        ErrorCode::TicketExpired
    );
    let mut asked = None;
    assert_eq!(
        code(check_start(&state, store, &text, &regs, NOW, |id| {
            asked = Some(*id);
            false
        })),
        ErrorCode::RateLimited
    );
    assert_eq!(asked, Some(body.ticket_id()), "limited by ticket id");
    assert_eq!(
        code(admitted(&revoked_text, &revoked_regs, NOW)),
        ErrorCode::SubjectRevoked
    );
    let undecodable = check_start(&state, store, &text, b"\x01\x03", NOW, |_| true);
    assert_eq!(
        undecodable.as_ref().err().and_then(|e| e.message()),
        Some("registrations do not decode")
    );
    assert_eq!(code(undecodable), ErrorCode::BadRequest);
    assert_eq!(code(admitted(&text, &three, NOW)), ErrorCode::QuotaExceeded);
    assert_eq!(
        code(admitted(&text, &foreign.to_bytes(), NOW)),
        ErrorCode::BadRegistration
    );
    // Registrations bound to another ticket id fail their proofs at commit, and nothing of
    // the quota is spent.
    let checked = check_start(&state, store, &text, &misbound, NOW, |_| true).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    assert_eq!(
        code(commit(&state, store, checked, NOW, &mut rng)),
        ErrorCode::BadRegistration
    );
    assert!(store.is_untouched(), "no quota taken");
    assert_eq!(
        code(decode_challenges::<Infallible>(b"junk")),
        ErrorCode::BadRequest
    );
}

#[test]
fn challenges_for_another_session_close_it() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    let (text, body) = w.ticket("resident-4", Status::Yellow, 2);
    let (holder, regs) = w.registrations(&body, 2);
    let state = w.state(false);
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let checked = check_start(&state, store, &text, &regs, NOW, |_| true).unwrap();
    let (committed, commitments) = commit(&state, store, checked, NOW, &mut rng).unwrap();
    assert_eq!(commitments.attributes.status, Status::Yellow.as_u8());
    let (_, challenges) = holder.challenge_with_rng(&commitments, &mut rng).unwrap();
    let mut short = challenges.clone();
    short.challenges.truncate(1);
    let refused = finish::<Infallible>(&w.0.issuer, committed, &short);
    assert!(refused.as_ref().err().and_then(|e| e.message()).is_some());
    assert_eq!(code(refused), ErrorCode::BadRequest);
}

// --- issue 9: newer statuses supersede older tickets; green tickets live at most 14 days ----

impl W {
    /// A ticket for `subject` valid from `not_before` for `valid_secs`.
    fn ticket_at(
        &mut self,
        subject: &str,
        status: Status,
        not_before: u64,
        valid_secs: u64,
    ) -> (String, TicketBody) {
        let body = TicketBody::new_with_rng(
            &mut self.0.rng,
            greenlight_protocol::SubjectHandle::new(subject).unwrap(),
            status,
            greenlight_protocol::TravelHistory::empty(),
            not_before,
            not_before + valid_secs,
            4,
        )
        .unwrap();
        (body.clone().sign(&self.0.authority).to_text(), body)
    }

    /// `start` (both steps) of one token of `text` at `now`.
    fn redeem(
        &mut self,
        store: &MemoryStore,
        text: &str,
        body: &TicketBody,
        now: u64,
    ) -> Result<(), ErrorCode> {
        let (_, regs) = self.registrations(body, 1);
        let state = self.state(false);
        let checked =
            check_start(&state, store, text, &regs, now, |_| true).map_err(|e| e.code())?;
        let mut rng = ChaCha20Rng::seed_from_u64(now);
        commit(&state, store, checked, now, &mut rng)
            .map(|_| ())
            .map_err(|e| e.code())
    }
}

const DAY: u64 = 86_400;

#[test]
fn a_red_ticket_once_redeemed_blocks_an_older_green_one() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    let (green, green_body) = w.ticket_at("resident-red", Status::Green, NOW - 2 * DAY, 7 * DAY);
    let (red, red_body) = w.ticket_at("resident-red", Status::Red, NOW - DAY, 7 * DAY);
    // Before the red ticket reaches the issuer, the green one redeems (it cannot know).
    assert_eq!(w.redeem(store, &green, &green_body, NOW), Ok(()));
    assert_eq!(w.redeem(store, &red, &red_body, NOW), Ok(()));
    assert_eq!(
        store.subject("resident-red").map(|r| r.epoch),
        Some(red_body.not_before())
    );
    // From now on the green ticket is refused, though valid and with tokens left.
    assert_eq!(
        w.redeem(store, &green, &green_body, NOW + 60),
        Err(ErrorCode::TicketSuperseded)
    );
    // The red ticket itself redeems again (equal epoch), and a newer green one after it.
    assert_eq!(w.redeem(store, &red, &red_body, NOW + 60), Ok(()));
    let (newer, newer_body) = w.ticket_at("resident-red", Status::Green, NOW, 7 * DAY);
    assert_eq!(w.redeem(store, &newer, &newer_body, NOW + 60), Ok(()));
    assert_eq!(
        w.redeem(store, &red, &red_body, NOW + 120),
        Err(ErrorCode::TicketSuperseded),
        "the newer green ticket supersedes the red one in turn"
    );
    // Other subjects are unaffected.
    let (other, other_body) = w.ticket_at("resident-other", Status::Green, NOW - 2 * DAY, DAY * 7);
    assert_eq!(w.redeem(store, &other, &other_body, NOW), Ok(()));
}

#[test]
fn a_ticket_signed_through_the_issuer_blocks_older_ones_at_once() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    let (green, green_body) = w.ticket_at("resident-api", Status::Green, NOW - DAY, 7 * DAY);
    // The admin API signs a red ticket at NOW and records it; it is never redeemed.
    greenlight_issuance::epoch::record_ticket(store, "resident-api", NOW).unwrap();
    assert_eq!(
        w.redeem(store, &green, &green_body, NOW),
        Err(ErrorCode::TicketSuperseded)
    );
    assert!(store.is_untouched(), "the refusal spent no quota");
}

#[test]
fn an_appeal_does_not_revive_a_ticket_signed_before_it() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    let (old, old_body) = w.ticket_at("resident-appeal", Status::Green, NOW - DAY, 7 * DAY);
    assert_eq!(w.redeem(store, &old, &old_body, NOW - 600), Ok(()));
    assert!(greenlight_issuance::epoch::revoke(store, "resident-appeal", NOW - 300).unwrap());
    assert_eq!(
        w.redeem(store, &old, &old_body, NOW - 200),
        Err(ErrorCode::SubjectRevoked)
    );
    assert!(greenlight_issuance::epoch::appeal(store, "resident-appeal", NOW - 100).unwrap());
    assert_eq!(
        w.redeem(store, &old, &old_body, NOW),
        Err(ErrorCode::TicketSuperseded),
        "signed before the appeal"
    );
    // The authority signs a new ticket after the appeal: that one redeems.
    let (new, new_body) = w.ticket_at("resident-appeal", Status::Green, NOW - 100, 7 * DAY);
    assert_eq!(w.redeem(store, &new, &new_body, NOW), Ok(()));
    // An appeal for a subject that is not revoked changes nothing.
    assert!(!greenlight_issuance::epoch::appeal(store, "resident-appeal", NOW).unwrap());
    assert_eq!(w.redeem(store, &new, &new_body, NOW + 1), Ok(()));
}

#[test]
fn a_concurrent_newer_ticket_is_caught_at_commit_without_spending_quota() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    let (green, green_body) = w.ticket_at("resident-race", Status::Green, NOW - DAY, 7 * DAY);
    let (red, red_body) = w.ticket_at("resident-race", Status::Red, NOW - 60, 7 * DAY);
    let (_, regs) = w.registrations(&green_body, 1);
    let state = w.state(false);
    let checked = check_start(&state, store, &green, &regs, NOW, |_| true).unwrap();
    // The red ticket is redeemed between the green one's check and its commit.
    assert_eq!(w.redeem(store, &red, &red_body, NOW), Ok(()));
    let state = w.state(false);
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    assert_eq!(
        code(commit(&state, store, checked, NOW, &mut rng)),
        ErrorCode::TicketSuperseded
    );
    assert_eq!(store.remaining(&green_body.ticket_id()), None);
}

#[test]
fn green_and_yellow_tickets_longer_than_14_days_are_refused_at_redeem() {
    let mut w = W::new();
    let store = &MemoryStore::default();
    let cap = greenlight_issuance::MAX_GRANTING_TICKET_LIFE_SECS;
    assert_eq!(cap, 14 * DAY);
    for (status, valid, expected) in [
        (Status::Green, cap, Ok(())),
        (Status::Green, cap + 1, Err(ErrorCode::TicketTooLong)),
        (Status::Green, 90 * DAY, Err(ErrorCode::TicketTooLong)),
        (Status::Yellow, cap + 1, Err(ErrorCode::TicketTooLong)),
        (Status::Red, 90 * DAY, Ok(())),
        (Status::Red, 90 * DAY + 1, Err(ErrorCode::TicketTooLong)),
    ] {
        // Distinct subjects: the epoch is not what is tested here.
        let subject = format!("resident-long-{status}-{valid}");
        let (text, body) = w.ticket_at(&subject, status, NOW - 60, valid);
        let (_, regs) = w.registrations(&body, 1);
        let state = w.state(false);
        // Refused before the rate limit is consulted, like every check of the ticket itself.
        let checked = check_start(&state, store, &text, &regs, NOW, |_| {
            assert!(
                expected.is_ok(),
                "rate limit consulted for a refused ticket"
            );
            true
        });
        match (checked, expected) {
            (Ok(_), Ok(())) => {}
            (Err(e), Err(code)) => {
                assert_eq!(e.code(), code, "{status} {valid}");
                assert!(e.message().unwrap().contains("ask the health authority"));
            }
            (got, want) => panic!("{status} {valid}: {:?} vs {want:?}", got.err()),
        }
    }
    assert!(store.is_untouched());
}
