//! The green-and-recent proofs taken apart, for profiling.
//!
//! `greenlight_circuits` exposes proving and verifying only as a whole. To see where time
//! goes, this module rebuilds the same steps (context transcript, shown values, the Σ
//! relation, the 8-bit range proof on the same transcript) from the public APIs of the core
//! crates, following `circuits/src/statements/green_recent.rs` line by line. It must stay
//! in step with that file: the tests in `tests/split.rs` check that a presentation built
//! here verifies with the real verifier and that the pieces reject what it rejects.

use bulletproofs::RangeProof;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use greenlight_acl::{generators, IssuerPublicKey, Token};
use greenlight_circuits::{PolicyId, Presentation, PresentationContext};
use greenlight_sigma::{labels, CompactProof, TranscriptProtocol};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use crate::BenchError;

/// Bits of the presentation's range proof (`greenlight_wire::lengths::RANGE_BITS`).
pub const BITS: usize = greenlight_wire::lengths::RANGE_BITS;

pub use greenlight_circuits::statements::green_recent::relation;
pub use greenlight_circuits::statements::range::{bp_gens, pc_gens};

/// The presentation transcript up to the Σ-proof: context, then the shown signature and `V`.
pub fn transcript_before_sigma(
    ctx: &PresentationContext,
    pk: &IssuerPublicKey,
    signature: &greenlight_acl::AclSignature,
    v: &CompressedRistretto,
) -> Result<Transcript, BenchError> {
    let mut sig_bytes = greenlight_wire::Writer::default();
    greenlight_acl::codec::write_signature(&mut sig_bytes, signature);
    let mut t = ctx.transcript(pk);
    t.append_message(labels::PRES_SIGNATURE, &sig_bytes.into_bytes());
    t.validate_and_append_point(labels::PRES_V, v)?;
    Ok(t)
}

/// Verifier, step "Σ-proof": transcript set-up, relation, Σ verification. Returns the
/// transcript in the state the range proof continues from.
pub fn verify_sigma(pres: &Presentation, pk: &IssuerPublicKey) -> Result<Transcript, BenchError> {
    let mut t = transcript_before_sigma(&pres.context, pk, &pres.signature, &pres.v_compressed)?;
    let rel = relation(pres.signature.zeta, pres.signature.zeta1, *pk.z(), pres.v);
    pres.sigma.verify_vartime(&mut t, &rel)?;
    Ok(t)
}

/// `V' = V − t_min·g`, compressed: the commitment the range proof is about.
pub fn shifted_commitment(pres: &Presentation) -> CompressedRistretto {
    (pres.v - generators().g_table() * &Scalar::from(pres.context.t_min())).compress()
}

/// Verifier, step "range proof", continuing `t` (the transcript after the Σ-proof).
pub fn verify_range<R: RngCore + CryptoRng>(
    pres: &Presentation,
    mut t: Transcript,
    rng: &mut R,
) -> Result<(), BenchError> {
    let v_shifted = shifted_commitment(pres);
    pres.range
        .verify_single_with_rng(bp_gens(), pc_gens(), &mut t, &v_shifted, BITS, rng)?;
    Ok(())
}

/// Both proofs, as `circuits`' `verify_proofs_vartime` runs them.
pub fn verify_proofs<R: RngCore + CryptoRng>(
    pres: &Presentation,
    pk: &IssuerPublicKey,
    rng: &mut R,
) -> Result<(), BenchError> {
    let t = verify_sigma(pres, pk)?;
    verify_range(pres, t, rng)
}

/// Prover, step 1: the time commitment `V = ts·g + r_ts·B~`.
pub struct TimeCommitment {
    pub r_ts: Scalar,
    pub v: RistrettoPoint,
    pub v_compressed: CompressedRistretto,
}

pub fn commit_time<R: RngCore + CryptoRng>(token: &Token, rng: &mut R) -> TimeCommitment {
    let gens = generators();
    let r_ts = Scalar::random(rng);
    let v = gens.g_table() * &Scalar::from(token.attributes.time_hours) + gens.b_blinding * r_ts;
    TimeCommitment {
        r_ts,
        v,
        v_compressed: v.compress(),
    }
}

/// Prover, step 2: transcript and Σ-proof. Returns the proof and the transcript the range
/// proof continues.
pub fn prove_sigma<R: RngCore + CryptoRng>(
    token: &Token,
    pk: &IssuerPublicKey,
    ctx: &PresentationContext,
    tc: &TimeCommitment,
    rng: &mut R,
) -> Result<(CompactProof, Transcript), BenchError> {
    let mut t = transcript_before_sigma(ctx, pk, &token.signature, &tc.v_compressed)?;
    let sig = &token.signature;
    let rel = relation(sig.zeta, sig.zeta1, *pk.z(), tc.v);
    let a = &token.attributes;
    let witness = [
        token.kappa,
        token.rnd,
        token.r,
        token.k,
        Scalar::from(a.time_hours),
        a.travel,
        a.subject,
        tc.r_ts,
    ];
    let proof = CompactProof::prove_with_rng(&mut t, &rel, &witness, rng);
    Ok((proof, t))
}

/// Prover, step 3: the 8-bit range proof on `V − t_min·g`, continuing `t`.
pub fn prove_range<R: RngCore + CryptoRng>(
    token: &Token,
    ctx: &PresentationContext,
    tc: &TimeCommitment,
    mut t: Transcript,
    rng: &mut R,
) -> Result<RangeProof, BenchError> {
    let offset = token
        .attributes
        .time_hours
        .checked_sub(ctx.t_min())
        .ok_or(BenchError::Fixture("token older than the window"))?;
    let (proof, _) = RangeProof::prove_single_with_rng(
        bp_gens(),
        pc_gens(),
        &mut t,
        u64::from(offset),
        &tc.r_ts,
        BITS,
        rng,
    )?;
    Ok(proof)
}

/// A whole presentation built from the three steps (the tests check it verifies with the
/// real verifier, which is what makes the split figures trustworthy).
pub fn present<R: RngCore + CryptoRng>(
    token: &Token,
    pk: &IssuerPublicKey,
    ctx: &PresentationContext,
    rng: &mut R,
) -> Result<Presentation, BenchError> {
    let tc = commit_time(token, rng);
    let (sigma, t) = prove_sigma(token, pk, ctx, &tc, rng)?;
    let range = prove_range(token, ctx, &tc, t, rng)?;
    Ok(Presentation {
        context: PresentationContext {
            policy: PolicyId::GREEN_RECENT,
            ..ctx.clone()
        },
        signature: token.signature.clone(),
        v: tc.v,
        v_compressed: tc.v_compressed,
        sigma,
        range,
    })
}
