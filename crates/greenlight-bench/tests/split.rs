//! The benches are only meaningful if they time the real operations: these tests check the
//! fixtures and that the split pieces behave exactly like `greenlight_circuits`' verifier.

use greenlight_bench::fixture::NOW_HOURS;
use greenlight_bench::{split, Baselines, BenchError, Fixture, ISSUE_BATCH};
use greenlight_circuits::{verify_vartime, Presentation, RejectReason};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn fixture() -> Fixture {
    Fixture::new(11).expect("fixture")
}

#[test]
fn fixture_presentation_has_the_wire_length_and_verifies() {
    let fx = fixture();
    assert_eq!(
        fx.presentation_bytes.len(),
        greenlight_wire::lengths::PRESENTATION
    );
    assert!(fx.presentation_text.starts_with("GLP1:"));
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let ok = fx.verify(&mut rng).expect("verifies");
    assert_eq!(ok.token_id, fx.token.id());
    assert!(fx.verify_signature().is_ok());
    assert_eq!(
        fx.decode().expect("decodes").to_bytes(),
        fx.presentation_bytes
    );
    assert!(fx.expectations.now_hours == NOW_HOURS);
}

#[test]
fn fresh_presentations_verify() {
    let fx = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let p = fx.present(&mut rng).expect("presents");
    assert_ne!(p.to_bytes(), fx.presentation_bytes, "fresh randomness");
    verify_vartime(&p, &fx.expectations, &fx.keys, &mut rng).expect("verifies");
}

#[test]
fn issuance_operations_run() {
    let fx = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let answers = fx.issue_issuer_side(&mut rng).expect("issuer side");
    assert_eq!(answers.answers.len(), ISSUE_BATCH);
    let t = fx.issue_holder_side(&mut rng).expect("holder side");
    assert!(!t.is_zero());
}

#[test]
fn split_presentation_verifies_with_the_real_verifier() {
    let fx = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let p = split::present(&fx.token, fx.public(), &fx.context, &mut rng).expect("presents");
    let back = Presentation::from_bytes(&p.to_bytes()).expect("decodes");
    verify_vartime(&back, &fx.expectations, &fx.keys, &mut rng).expect("real verifier accepts");
    split::verify_proofs(&back, fx.public(), &mut rng).expect("split verifier accepts");
}

#[test]
fn split_verifier_accepts_the_real_presentation() {
    let fx = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let t = split::verify_sigma(&fx.presentation, fx.public()).expect("Σ");
    split::verify_range(&fx.presentation, t, &mut rng).expect("range");
}

#[test]
fn split_verifier_rejects_what_the_real_one_rejects() {
    let fx = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(6);

    // A Σ response off by one: the real verifier says BadProof, the Σ piece fails.
    let mut bad = fx.presentation.clone();
    bad.sigma.responses[4] += curve25519_dalek::scalar::Scalar::ONE;
    assert_eq!(
        verify_vartime(&bad, &fx.expectations, &fx.keys, &mut rng),
        Err(RejectReason::BadProof)
    );
    assert!(matches!(
        split::verify_sigma(&bad, fx.public()),
        Err(BenchError::Sigma(_))
    ));

    // Another presentation's range proof: Σ still verifies, the range piece fails, and the
    // real verifier says Stale (its range-proof failure).
    let other = fx.present(&mut rng).expect("presents");
    let mut bad = fx.presentation.clone();
    bad.range = other.range.clone();
    assert_eq!(
        verify_vartime(&bad, &fx.expectations, &fx.keys, &mut rng),
        Err(RejectReason::Stale)
    );
    let t = split::verify_sigma(&bad, fx.public()).expect("Σ unaffected");
    assert!(matches!(
        split::verify_range(&bad, t, &mut rng),
        Err(BenchError::RangeProof(_))
    ));
}

#[test]
fn baselines_verify_and_reject_a_swapped_proof() {
    let base = Baselines::new(7).expect("baselines");
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    base.range_verify(&base.rp32, &mut rng).expect("rp32");
    base.range_verify(&base.rp8, &mut rng).expect("rp8");
    base.ed25519_verify().expect("ed25519");
    let fresh = base.range_prove(&base.rp32, &mut rng).expect("proves");
    assert_eq!(
        fresh.to_bytes().len(),
        4 * 32 + 3 * 32 + 2 * 5 * 32 + 2 * 32
    );

    let mut swapped = greenlight_bench::fixture::RangeBaseline {
        proof: base.rp8.proof.clone(),
        ..base.rp32.clone()
    };
    assert!(base.range_verify(&swapped, &mut rng).is_err());
    swapped.proof = fresh;
    assert!(base.range_verify(&swapped, &mut rng).is_ok());

    let mut bad_sig = Baselines::new(7).expect("baselines");
    bad_sig.ed25519_message[0] ^= 1;
    assert!(bad_sig.ed25519_verify().is_err());
}
