//! The benches are only meaningful if they time the real operations on sound inputs: these
//! tests check the fixtures and baselines, and that the step operations the split figures
//! time (`greenlight_circuits`' own type-states) run on them. (That composing the steps
//! gives the whole prover and verifier is tested in `circuits/tests/steps.rs`.)

use greenlight_bench::fixture::NOW_HOURS;
use greenlight_bench::{Baselines, Fixture, ISSUE_BATCH};
use greenlight_circuits::verify_vartime;
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
fn step_operations_run_on_the_fixture() {
    let fx = fixture();
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let signature_ok = fx.verify_signature().expect("signature step");
    let verified = signature_ok
        .clone()
        .verify_sigma()
        .expect("Σ step")
        .verify_range(&mut rng)
        .expect("range step");
    assert_eq!(verified.token_id, fx.token.id());
    fx.verify_sigma()
        .expect("Σ state")
        .verify_range(&mut rng)
        .expect("range step");
    let p = fx
        .prove_sigma(&mut rng)
        .expect("prover steps")
        .prove_range(&mut rng)
        .expect("range proof");
    verify_vartime(&p, &fx.expectations, &fx.keys, &mut rng).expect("verifies");
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
