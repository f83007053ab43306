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
