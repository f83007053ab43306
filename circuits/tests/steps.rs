//! The presentation's steps (type-states): composing them is the whole prover and the
//! whole verifier, byte for byte and verdict for verdict, and each step rejects what it
//! must with its typed reason.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use greenlight_acl::issuance::issue_locally_with_rng;
use greenlight_acl::{Attributes, IssuerKeyPair, IssuerPublicKey, KeyId, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::*;
use greenlight_wire::Status;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const NOW: u32 = 493_000;
const VENUE: [u8; 8] = *b"venue-st";
/// The digest of the key list holders and venue share (wire version 2).
const LIST: [u8; 32] = [0x5a; 32];

struct Fixture {
    key: IssuerKeyPair,
    keys: Vec<IssuerPublicKey>,
    tokens: Vec<Token>,
    ctx: PresentationContext,
    expect: VenueExpectations,
}

fn fixture(status: Status, issued_at: u32, seed: u64) -> Fixture {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let key = IssuerKeyPair::generate_with_rng(&mut rng);
    let attrs = Attributes {
        status: status.as_u8(),
        time_hours: issued_at,
        travel: Scalar::from(9u64),
        subject: Attributes::subject_scalar("steps"),
    };
    let tokens = issue_locally_with_rng(&key, b"steps-ticket", attrs, 2, &mut rng).unwrap();
    let ctx = PresentationContext {
        key_id: key.public().key_id(),
        venue_id: VENUE,
        time_slot_hours: NOW,
        window_hours: 24,
        policy: Policy::GREEN_RECENT,
        key_list: KeyListBinding::Digest(LIST),
    };
    let expect = VenueExpectations {
        venue_id: VENUE,
        window_hours: 24,
        policy: Policy::GREEN_RECENT,
        now_hours: NOW,
        clock_tolerance_hours: 1,
        key_lists: vec![LIST],
    };
    Fixture {
        keys: vec![key.public().clone()],
        key,
        tokens,
        ctx,
        expect,
    }
}

impl Fixture {
    fn present(&self, token: usize, seed: u64) -> Presentation {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        green_recent::prove_with_rng(&self.tokens[token], self.key.public(), &self.ctx, &mut rng)
            .unwrap()
    }

    /// The verifier's steps up to (and including) the signature.
    fn signature_verified<'a>(&'a self, pres: &'a Presentation) -> SignatureVerified<'a> {
        ContextChecked::new(pres, &self.expect, &self.keys)
            .expect("context")
            .verify_signature()
            .expect("signature")
    }
}

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

#[test]
fn composing_the_prover_steps_is_the_whole_prover() {
    let f = fixture(Status::Green, NOW - 5, 1);
    for seed in [10, 11, 12] {
        let whole = f.present(0, seed);
        let mut r = rng(seed);
        let committed = Prover::new(&f.tokens[0], f.key.public(), &f.ctx)
            .unwrap()
            .commit_time(&mut r);
        let v = *committed.v_compressed();
        let proved = committed.prove_sigma(&mut r).unwrap();
        let sigma = proved.sigma().clone();
        let stepped = proved.prove_range(&mut r).unwrap();
        assert_eq!(
            stepped.to_bytes(),
            whole.to_bytes(),
            "same bytes (seed {seed})"
        );
        assert_eq!(v, stepped.v_compressed, "the committed V is the one sent");
        assert_eq!(
            sigma, stepped.sigma,
            "the Σ-proof of step 2 is the one sent"
        );
    }
}

#[test]
fn composing_the_verifier_steps_is_the_whole_verifier() {
    let f = fixture(Status::Green, NOW - 5, 2);
    let pres = Presentation::from_bytes(&f.present(0, 20).to_bytes()).unwrap();
    let whole = verify_vartime(&pres, &f.expect, &f.keys, &mut rng(21)).unwrap();
    let checked = ContextChecked::new(&pres, &f.expect, &f.keys).unwrap();
    assert_eq!(checked.issuer_key(), f.key.public());
    assert!(std::ptr::eq(checked.presentation(), &pres));
    let stepped = checked
        .verify_signature()
        .unwrap()
        .verify_sigma()
        .unwrap()
        .verify_range(&mut rng(22))
        .unwrap();
    assert_eq!(stepped, whole);
    assert_eq!(stepped.token_id, f.tokens[0].id());
    assert_eq!(stepped.key_id, f.key.public().key_id());
}

#[test]
fn the_transcript_binds_the_signature_bytes_as_sent() {
    // Wire layout (docs/spec.md §6.3): in version 2 the signature is bytes 24..280.
    let f = fixture(Status::Green, NOW - 5, 3);
    let bytes = f.present(0, 30).to_bytes();
    let decoded = Presentation::from_bytes(&bytes).unwrap();
    assert_eq!(&decoded.signature.as_bytes()[..], &bytes[24..280]);
    assert_eq!(
        f.tokens[0].signature().as_bytes(),
        decoded.signature.as_bytes(),
        "issuance and decoding keep the same encoding"
    );
}

#[test]
fn signature_step_rejects_a_wrong_key() {
    // A key set that answers the presentation's key id with another issuer's key.
    struct Mislabelled(IssuerPublicKey);
    impl IssuerKeys for Mislabelled {
        fn issuer_key(&self, _: &KeyId) -> Option<&IssuerPublicKey> {
            Some(&self.0)
        }
    }
    let f = fixture(Status::Green, NOW - 5, 4);
    let other = IssuerKeyPair::generate_with_rng(&mut rng(40));
    let keys = Mislabelled(other.public().clone());
    let pres = f.present(0, 41);
    let checked = ContextChecked::new(&pres, &f.expect, &keys).expect("context is fine");
    assert_eq!(
        checked.verify_signature().err(),
        Some(RejectReason::BadSignature)
    );
    assert_eq!(
        verify_vartime(&pres, &f.expect, &keys, &mut rng(42)),
        Err(RejectReason::BadSignature)
    );
}

#[test]
fn context_step_rejects_before_any_curve_arithmetic() {
    let f = fixture(Status::Green, NOW - 5, 5);
    let pres = f.present(0, 50);
    let stranger = IssuerKeyPair::generate_with_rng(&mut rng(51));
    let keys = vec![stranger.public().clone()];
    assert_eq!(
        ContextChecked::new(&pres, &f.expect, &keys).err(),
        Some(RejectReason::UnknownKey)
    );
    let mut late = f.expect.clone();
    late.now_hours = NOW + 2;
    assert_eq!(
        ContextChecked::new(&pres, &late, &f.keys).err(),
        Some(RejectReason::ClockSkew)
    );
}

#[test]
fn sigma_step_rejects_a_tampered_sigma_proof() {
    let f = fixture(Status::Green, NOW - 5, 6);
    let pres = f.present(0, 60);
    for i in 0..pres.sigma.responses.len() + 1 {
        let mut bad = pres.clone();
        match i {
            0 => bad.sigma.challenge += Scalar::ONE,
            _ => bad.sigma.responses[i - 1] += Scalar::ONE,
        }
        assert_eq!(
            f.signature_verified(&bad).verify_sigma().err(),
            Some(RejectReason::BadProof),
            "scalar {i}"
        );
        assert_eq!(
            verify_vartime(&bad, &f.expect, &f.keys, &mut rng(61)),
            Err(RejectReason::BadProof)
        );
    }
}

#[test]
fn sigma_step_rejects_another_tokens_valid_signature() {
    // Token 1's signature is valid under the key, so the signature step passes; but the Σ
    // relation is over its ζ, ζ1, for which this proof's responses are wrong.
    let f = fixture(Status::Green, NOW - 5, 7);
    let mut bad = f.present(0, 70);
    bad.signature = f.tokens[1].signature().clone();
    assert_eq!(
        f.signature_verified(&bad).verify_sigma().err(),
        Some(RejectReason::BadProof)
    );
}

#[test]
fn sigma_step_rejects_a_red_token_forced_to_green() {
    let f = fixture(Status::Red, NOW - 1, 8);
    assert_eq!(
        Prover::new(&f.tokens[0], f.key.public(), &f.ctx).err(),
        Some(PresentError::NotGreen),
        "the honest prover refuses"
    );
    let mut liar = f.tokens[0].clone();
    liar.attributes_mut_unchecked().status = Status::Green.as_u8();
    let forged = green_recent::prove_with_rng(&liar, f.key.public(), &f.ctx, &mut rng(80)).unwrap();
    // The signature is genuine; (S2) has no witness for GREEN.
    assert_eq!(
        f.signature_verified(&forged).verify_sigma().err(),
        Some(RejectReason::BadProof)
    );
}

#[test]
fn sigma_step_rejects_an_identity_v_as_bad_encoding() {
    let f = fixture(Status::Green, NOW - 5, 9);
    let mut bad = f.present(0, 90);
    bad.v = RistrettoPoint::identity();
    bad.v_compressed = CompressedRistretto::identity();
    assert_eq!(
        f.signature_verified(&bad).verify_sigma().err(),
        Some(RejectReason::BadEncoding)
    );
}

#[test]
fn range_step_rejects_a_tampered_range_proof() {
    let f = fixture(Status::Green, NOW - 5, 10);
    let pres = f.present(0, 100);
    // Another presentation's range proof: the Σ-proof does not cover it, so the Σ step
    // passes and the range step refuses. In version 2 a range proof that verifies under none
    // of the venue's key lists is `KeyListMismatch` (v1 says `Stale`: the presentation
    // vectors cover it).
    let other = f.present(0, 101);
    let mut bad = pres.clone();
    bad.range = other.range.clone();
    let sigma_ok = f
        .signature_verified(&bad)
        .verify_sigma()
        .expect("Σ unaffected");
    assert_eq!(
        sigma_ok.clone().verify_range(&mut rng(102)).err(),
        Some(RejectReason::KeyListMismatch)
    );
    // One byte of the proof's scalar `t_x` (offset 128 in the 544 bytes) changed.
    let mut range_bytes = pres.range.to_bytes();
    range_bytes[128] ^= 1;
    if let Ok(range) = bulletproofs::RangeProof::from_bytes(&range_bytes) {
        let mut bad = pres.clone();
        bad.range = range;
        assert_eq!(
            f.signature_verified(&bad)
                .verify_sigma()
                .expect("Σ unaffected")
                .verify_range(&mut rng(103))
                .err(),
            Some(RejectReason::KeyListMismatch)
        );
    }
    // A shown time slot that moves t_min breaks the transcript already (Σ) …
    let mut moved = pres.clone();
    moved.context.time_slot_hours += 1;
    let mut expect = f.expect.clone();
    expect.now_hours += 1;
    assert_eq!(
        ContextChecked::new(&moved, &expect, &f.keys)
            .unwrap()
            .verify_signature()
            .unwrap()
            .verify_sigma()
            .err(),
        Some(RejectReason::BadProof)
    );
    // … and the untouched presentation passes the range step (same state, cloned).
    let good = f.signature_verified(&pres).verify_sigma().unwrap();
    assert!(good.clone().verify_range(&mut rng(104)).is_ok());
    assert!(good.verify_range(&mut rng(105)).is_ok());
}

#[test]
fn prover_first_step_refuses_what_would_not_verify() {
    let f = fixture(Status::Green, NOW - 30, 11);
    let pk = f.key.public();
    assert_eq!(
        Prover::new(&f.tokens[0], pk, &f.ctx).err(),
        Some(PresentError::TooOld)
    );
    let mut past = f.ctx.clone();
    past.time_slot_hours = NOW - 31;
    assert_eq!(
        Prover::new(&f.tokens[0], pk, &past).err(),
        Some(PresentError::FromTheFuture)
    );
    let other = IssuerKeyPair::generate_with_rng(&mut rng(110));
    assert!(matches!(
        Prover::new(&f.tokens[0], other.public(), &f.ctx).err(),
        Some(PresentError::WrongKey { .. })
    ));
    let mut wide = f.ctx.clone();
    wide.window_hours = 48;
    assert!(Prover::new(&f.tokens[0], pk, &wide).is_ok());
}
