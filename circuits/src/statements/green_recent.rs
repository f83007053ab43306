//! **green-and-recent**: "my token, signed by issuer key `y`, has `st = GREEN` and
//! `ts ≥ t_min`", revealing nothing else (`docs/spec.md` §5).
//!
//! The holder commits `V = ts·g + r_ts·B~` and proves knowledge of
//! `κ = γ⁻¹, rnd, R, k, ts, tr, id, r_ts` with
//!
//! ```text
//!   (S1)  z         = κ·ζ
//!   (S2)  GREEN·h_st = κ·ζ1 − rnd·g − R·h_R − k·h_k − ts·h_ts − tr·h_tr − id·h_id
//!   (S3)  V         = ts·g + r_ts·B~
//! ```
//! (S1) shows `ζ` is a blinding of this issuer's `z` by the same `γ` as `ζ1`; (S2) opens
//! `κ·ζ1 = C + rnd·g` with status fixed to GREEN (the status is *not* a secret of the
//! statement, so a red token simply has no witness); (S2) and (S3) share the response for
//! `ts`, which ties the range proof's commitment to the certified time. Then, on the same
//! transcript, an 8-bit Bulletproofs range proof that `V − t_min·g` commits to a value in
//! `[0, 256)`.
//!
//! # Steps
//!
//! Both sides are exposed step by step as type-states: each step consumes the previous
//! state and returns the next (the transcript travels inside the state), so a step can be
//! neither skipped nor reordered. [`prove_with_rng`] and [`crate::verify_vartime`] are their
//! compositions, so there is one implementation; benchmarks time the steps themselves.
//!
//! ```text
//! prover:    Prover::new(token, pk, ctx)    the wallet's refusals (key, policy, window, status, time)
//!              .commit_time(rng)    → TimeCommitted     V = ts·g + r_ts·B~
//!              .prove_sigma(rng)?   → SigmaProved       transcript §5.2 steps 1–12, Σ-proof (step 13)
//!              .prove_range(rng)?   → Presentation      range proof (step 14)
//!
//! verifier:  ContextChecked::new(pres, expect, keys)   §5.5 steps 2–6 (no curve arithmetic)
//!              .verify_signature()? → SignatureVerified  step 7, else BadSignature
//!              .verify_sigma()?     → SigmaVerified      step 8, else BadProof
//!              .verify_range(rng)?  → Verified           step 9, else Stale
//! ```
//!
//! In full (what [`prove_with_rng`] and [`crate::verify_vartime`] do):
//!
//! ```
//! use greenlight_acl::{IssuerPublicKey, Token};
//! use greenlight_circuits::*;
//! use rand_chacha::ChaCha20Rng;
//!
//! fn present(
//!     token: &Token,
//!     pk: &IssuerPublicKey,
//!     ctx: &PresentationContext,
//!     rng: &mut ChaCha20Rng,
//! ) -> Result<Presentation, PresentError> {
//!     Prover::new(token, pk, ctx)?
//!         .commit_time(rng)
//!         .prove_sigma(rng)?
//!         .prove_range(rng)
//! }
//!
//! fn verify(
//!     pres: &Presentation,
//!     expect: &VenueExpectations,
//!     keys: &[IssuerPublicKey],
//!     rng: &mut ChaCha20Rng,
//! ) -> Result<Verified, RejectReason> {
//!     ContextChecked::new(pres, expect, keys)?
//!         .verify_signature()?
//!         .verify_sigma()?
//!         .verify_range(rng)
//! }
//! ```
//!
//! A step that is skipped does not compile: the range proof needs the Σ-proof's state,
//!
//! ```compile_fail
//! fn skip_sigma(p: greenlight_circuits::TimeCommitted<'_>, rng: &mut rand_chacha::ChaCha20Rng) {
//!     let _ = p.prove_range(rng);
//! }
//! ```
//! and a venue cannot reach the Σ-proof without the signature:
//!
//! ```compile_fail
//! fn skip_signature(c: greenlight_circuits::ContextChecked<'_>) {
//!     let _ = c.verify_sigma();
//! }
//! ```

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use greenlight_acl::{generators, AclSignature, IssuerPublicKey, Token};
use greenlight_sigma::{labels, LinearRelation, TranscriptProtocol};
use greenlight_wire::Status;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use crate::context::PresentationContext;
use crate::presentation::Presentation;
use crate::verify::RejectReason;
use crate::PresentError;

mod prover;
mod verifier;

pub use prover::{Prover, SigmaProved, TimeCommitted};
pub use verifier::{SigmaVerified, SignatureVerified};

/// Status value proven by green-and-recent.
const GREEN: u8 = Status::Green.as_u8();

/// Indices of the secrets.
mod secret {
    pub const KAPPA: usize = 0;
    pub const RND: usize = 1;
    pub const R: usize = 2;
    pub const K: usize = 3;
    pub const TS: usize = 4;
    pub const TR: usize = 5;
    pub const ID: usize = 6;
    pub const R_TS: usize = 7;
    pub const COUNT: usize = 8;
}

/// The Σ relation (S1)–(S3) over the public values (public so benchmarks and independent
/// tools can take the proof apart without restating the statement).
pub fn relation(
    zeta: RistrettoPoint,
    zeta1: RistrettoPoint,
    z: RistrettoPoint,
    v: RistrettoPoint,
) -> LinearRelation {
    let g = generators();
    let green_h_st = green_h_st();
    let mut rel = LinearRelation::new(secret::COUNT);
    rel.equation(z, &[(secret::KAPPA, zeta)])
        .equation(
            green_h_st,
            &[
                (secret::KAPPA, zeta1),
                (secret::RND, -g.g),
                (secret::R, -g.h_r),
                (secret::K, -g.h_k),
                (secret::TS, -g.h_ts),
                (secret::TR, -g.h_tr),
                (secret::ID, -g.h_id),
            ],
        )
        .equation(v, &[(secret::TS, g.g), (secret::R_TS, g.b_blinding)]);
    rel
}

/// `GREEN·h_st`, the left-hand side of (S2): a fixed point, computed once per process
/// instead of one constant-time scalar multiplication per proof and per verification.
fn green_h_st() -> RistrettoPoint {
    static P: std::sync::OnceLock<RistrettoPoint> = std::sync::OnceLock::new();
    *P.get_or_init(|| generators().h_st * Scalar::from(GREEN))
}

/// The presentation transcript up to the Σ-proof (`docs/spec.md` §5.2 steps 1–12): the
/// context (steps 1–10, [`PresentationContext::transcript`]), then the shown values — the
/// signature's 256 wire bytes as sent ([`AclSignature::as_bytes`], never re-serialised) and
/// `Encode(V)`.
///
/// Prover and verifier both start the Σ step here, so they hash the same bytes by
/// construction. Fails with [`RejectReason::BadEncoding`] if `V` is the identity (the
/// decoder already refuses it; an in-memory presentation might not).
pub fn transcript(
    ctx: &PresentationContext,
    pk: &IssuerPublicKey,
    signature: &AclSignature,
    v: &CompressedRistretto,
) -> Result<Transcript, RejectReason> {
    let mut t = ctx.transcript(pk);
    t.append_message(labels::PRES_SIGNATURE, signature.as_bytes());
    t.validate_and_append_point(labels::PRES_V, v)
        .map_err(|_| RejectReason::BadEncoding)?;
    Ok(t)
}

/// Version 2, §5.2 step 13: bind the key list presented under, after the Σ-proof and before
/// the range proof.
pub fn bind_key_list(t: &mut Transcript, digest: &crate::KeyListDigest) {
    t.append_message(labels::PRES_KEY_LIST, digest);
}

/// The commitments of the version-2 range proof (§5.4), compressed: `V − t_min·g` (opens to
/// `ts − t_min`, blinding `r_ts`) and `slot·g − V` (opens to `slot − ts`, blinding `−r_ts`).
/// Together they prove `t_min ≤ ts ≤ slot`: recent, and not dated after the holder's clock.
pub fn shifted_commitments_v2(
    v: &RistrettoPoint,
    t_min: u32,
    slot: u32,
) -> [CompressedRistretto; 2] {
    [
        (v - hours_g(t_min)).compress(),
        (hours_g(slot) - v).compress(),
    ]
}

/// `V' = V − t_min·g`, compressed: the commitment the range proof is about (§5.4).
/// Variable time: `V` and `t_min` are public.
pub fn shifted_commitment(v: &RistrettoPoint, t_min: u32) -> CompressedRistretto {
    (v - hours_g(t_min)).compress()
}

/// `t·g` for a public hour number `t`, variable time: `t` has ~19 significant bits, and the
/// variable-time double-base routine skips the leading zero digits, so this costs ~20
/// doublings instead of a full constant-time fixed-base multiplication.
fn hours_g(t: u32) -> RistrettoPoint {
    RistrettoPoint::vartime_double_scalar_mul_basepoint(
        &Scalar::ZERO,
        &RistrettoPoint::identity(),
        &Scalar::from(t),
    )
}

/// Build a green-and-recent presentation of `token` for `ctx`: the composition of the
/// prover's steps ([`Prover::new`] → [`Prover::commit_time`] → [`TimeCommitted::prove_sigma`]
/// → [`SigmaProved::prove_range`]).
///
/// The wallet must have checked that `pk` is in its verified key list; this checks
/// everything about the token itself so a wallet never emits a presentation that would be
/// rejected (and never wastes a token on one).
pub fn prove_with_rng<R: RngCore + CryptoRng>(
    token: &Token,
    pk: &IssuerPublicKey,
    ctx: &PresentationContext,
    rng: &mut R,
) -> Result<Presentation, PresentError> {
    Prover::new(token, pk, ctx)?
        .commit_time(rng)
        .prove_sigma(rng)?
        .prove_range(rng)
}
