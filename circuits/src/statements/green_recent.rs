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

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use greenlight_acl::{generators, IssuerPublicKey, Token};
use greenlight_sigma::{labels, CompactProof, LinearRelation, TranscriptProtocol};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::range::{bp_gens, pc_gens, BITS};
use crate::context::PresentationContext;
use crate::policy::{is_standard_window, PolicyId, GREEN};
use crate::presentation::Presentation;
use crate::verify::RejectReason;
use crate::PresentError;

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

/// Bind the shown values (after the context) in the order of the spec.
fn bind_shown(
    t: &mut Transcript,
    pres_sig_bytes: &[u8],
    v: &curve25519_dalek::ristretto::CompressedRistretto,
) -> Result<(), RejectReason> {
    t.append_message(labels::PRES_SIGNATURE, pres_sig_bytes);
    t.validate_and_append_point(labels::PRES_V, v)
        .map_err(|_| RejectReason::BadEncoding)
}

/// Build a green-and-recent presentation of `token` for `ctx`.
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
    if token.key_id != pk.key_id() || ctx.key_id != pk.key_id() {
        return Err(PresentError::WrongKey {
            token: token.key_id,
            context: ctx.key_id,
        });
    }
    if ctx.policy != PolicyId::GREEN_RECENT {
        // The policy is bound into the transcript: a proof for another policy id could never
        // verify as green-and-recent, and would waste the token.
        return Err(PresentError::WrongPolicy(ctx.policy.0));
    }
    if !is_standard_window(ctx.window_hours) {
        return Err(PresentError::NonStandardWindow(ctx.window_hours));
    }
    if token.attributes.status != GREEN {
        return Err(PresentError::NotGreen);
    }
    let ts = token.attributes.time_hours;
    if ts > ctx.time_slot_hours {
        return Err(PresentError::FromTheFuture);
    }
    if ts < ctx.t_min() {
        return Err(PresentError::TooOld);
    }
    let offset = u64::from(ts - ctx.t_min()); // < W + 1 ≤ 169 < 256

    let gens = generators();
    let r_ts = Zeroizing::new(Scalar::random(rng));
    let ts_scalar = Zeroizing::new(Scalar::from(ts));
    let v = gens.g_table() * &*ts_scalar + gens.b_blinding * *r_ts;
    let v_compressed = v.compress();

    let mut sig_bytes = greenlight_wire::Writer::default();
    greenlight_acl::codec::write_signature(&mut sig_bytes, &token.signature);
    let sig_bytes = sig_bytes.into_bytes();

    let mut t = ctx.transcript(pk);
    // Only fails on an identity V, which happens with probability 2^-252.
    bind_shown(&mut t, &sig_bytes, &v_compressed)
        .map_err(|_| PresentError::RangeProof("degenerate V".into()))?;

    let sig = &token.signature;
    let rel = relation(sig.zeta, sig.zeta1, *pk.z(), v);
    let a = &token.attributes;
    let witness = Zeroizing::new([
        token.kappa,
        token.rnd,
        token.r,
        token.k,
        *ts_scalar,
        a.travel,
        a.subject,
        *r_ts,
    ]);
    let sigma = CompactProof::prove_with_rng(&mut t, &rel, &witness[..], rng);

    let (range, v_shifted) = bulletproofs::RangeProof::prove_single_with_rng(
        bp_gens(),
        pc_gens(),
        &mut t,
        offset,
        &r_ts,
        BITS,
        rng,
    )
    .map_err(|e| PresentError::RangeProof(format!("{e:?}")))?;
    debug_assert_eq!(
        v_shifted,
        (v - gens.g_table() * &Scalar::from(ctx.t_min())).compress()
    );

    Ok(Presentation {
        context: ctx.clone(),
        signature: token.signature.clone(),
        v,
        v_compressed,
        sigma,
        range,
    })
}

/// Check the Σ-proof and the range proof of `pres` under `pk` (the context and the ACL
/// signature are checked by [`crate::verify`]). Variable time: public data only.
pub(crate) fn verify_proofs_vartime<R: RngCore + CryptoRng>(
    pres: &Presentation,
    pk: &IssuerPublicKey,
    rng: &mut R,
) -> Result<(), RejectReason> {
    let mut sig_bytes = greenlight_wire::Writer::default();
    greenlight_acl::codec::write_signature(&mut sig_bytes, &pres.signature);
    let mut t = pres.context.transcript(pk);
    bind_shown(&mut t, &sig_bytes.into_bytes(), &pres.v_compressed)?;
    let rel = relation(pres.signature.zeta, pres.signature.zeta1, *pk.z(), pres.v);
    pres.sigma
        .verify_vartime(&mut t, &rel)
        .map_err(|_| RejectReason::BadProof)?;

    // t_min is public and has ~19 significant bits: the variable-time double-base routine
    // skips the leading zero digits, so this costs ~20 doublings instead of a full
    // constant-time fixed-base multiplication.
    let t_min_g = RistrettoPoint::vartime_double_scalar_mul_basepoint(
        &Scalar::ZERO,
        &RistrettoPoint::identity(),
        &Scalar::from(pres.context.t_min()),
    );
    let v_shifted = pres.v - t_min_g;
    pres.range
        .verify_single_with_rng(
            bp_gens(),
            pc_gens(),
            &mut t,
            &v_shifted.compress(),
            BITS,
            rng,
        )
        .map_err(|_| RejectReason::Stale)
}
