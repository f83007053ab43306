//! The holder's side of green-and-recent, step by step (`docs/spec.md` §5.2–§5.4):
//!
//! ```text
//!   Prover::new            refuse what could not verify (key, policy, window, status, time)
//!   .commit_time(rng)      r_ts ←$ ℤ_ℓ,  V = ts·g + r_ts·B~
//!   .prove_sigma(rng)      transcript steps 1–12, then the Σ-proof of (S1)–(S3) (step 13)
//!   .prove_range(rng)      8-bit Bulletproofs proof that V − t_min·g opens to ts − t_min
//!                          with blinding r_ts, on the same transcript (step 14); in
//!                          version 2 aggregated with one that slot·g − V opens to
//!                          slot − ts with blinding −r_ts
//! ```
//! Secrets (`ts`, `r_ts`, `ts − t_min`, the witness) live in `Zeroizing` wrappers and are
//! wiped when a state is consumed or dropped. Curve arithmetic on them is constant-time
//! (fixed-base table for `ts·g`, constant-time multiscalar multiplication inside the Σ
//! engine and Bulletproofs). The states are deliberately not `Clone`: a proof state is used
//! once.

use bulletproofs::RangeProof;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use greenlight_acl::{generators, IssuerPublicKey, Token};
use greenlight_sigma::CompactProof;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::{
    bind_key_list, relation, secret, shifted_commitment, shifted_commitments_v2, transcript, GREEN,
};
use crate::context::{KeyListBinding, PresentationContext};
use crate::policy::{is_standard_window, Policy};
use crate::presentation::Presentation;
use crate::statements::range::{bp_gens, bp_gens_v2, pc_gens, BITS};
use crate::PresentError;

/// Step 0: a token, its issuer key and a context that can make a presentation the venue
/// will accept. Nothing is computed yet.
#[must_use = "a prover does nothing until its steps run"]
pub struct Prover<'a> {
    token: &'a Token,
    pk: &'a IssuerPublicKey,
    ctx: &'a PresentationContext,
    /// `ts − t_min`, the value of the range proof (`0 ≤ offset ≤ W ≤ 168`). Secret.
    offset: Zeroizing<u64>,
    /// `slot − ts`, the second value of the version-2 range proof (`0 ≤ age ≤ W`). Secret.
    age: Zeroizing<u64>,
}

/// Step 1: the time commitment `V = ts·g + r_ts·B~` and its opening.
#[must_use = "the Σ-proof and the range proof are still to be made"]
pub struct TimeCommitted<'a> {
    prover: Prover<'a>,
    /// `ts` as a scalar (secret).
    ts: Zeroizing<Scalar>,
    /// `r_ts`, the blinding of `V` (secret; reused as the range proof's blinding).
    r_ts: Zeroizing<Scalar>,
    v: RistrettoPoint,
    v_compressed: CompressedRistretto,
}

/// Step 2: the Σ-proof of (S1)–(S3), with the transcript in the state the range proof
/// continues from.
#[must_use = "the range proof is still to be made"]
pub struct SigmaProved<'a> {
    prover: Prover<'a>,
    r_ts: Zeroizing<Scalar>,
    v: RistrettoPoint,
    v_compressed: CompressedRistretto,
    sigma: CompactProof,
    transcript: Transcript,
}

impl<'a> Prover<'a> {
    /// Check everything about the token so the wallet never emits (and never wastes a token
    /// on) a presentation that would be rejected, in this order: key, policy, window,
    /// status, issuance time. The wallet must already have checked that `pk` is in its
    /// verified key list.
    pub fn new(
        token: &'a Token,
        pk: &'a IssuerPublicKey,
        ctx: &'a PresentationContext,
    ) -> Result<Self, PresentError> {
        if token.key_id() != pk.key_id() || ctx.key_id != pk.key_id() {
            return Err(PresentError::WrongKey {
                token: token.key_id(),
                context: ctx.key_id,
            });
        }
        if ctx.key_list == KeyListBinding::Unsent {
            return Err(PresentError::KeyListNotChosen);
        }
        if ctx.policy != Policy::GREEN_RECENT {
            // The policy is bound into the transcript: a proof for another policy id could
            // never verify as green-and-recent, and would waste the token.
            return Err(PresentError::WrongPolicy(ctx.policy.as_u8()));
        }
        if !is_standard_window(ctx.window_hours) {
            return Err(PresentError::NonStandardWindow(ctx.window_hours));
        }
        let attributes = token.attributes();
        if attributes.status != GREEN {
            return Err(PresentError::NotGreen);
        }
        let ts = attributes.time_hours;
        if ts > ctx.time_slot_hours {
            return Err(PresentError::FromTheFuture);
        }
        if ts < ctx.t_min() {
            return Err(PresentError::TooOld);
        }
        Ok(Prover {
            token,
            pk,
            ctx,
            offset: Zeroizing::new(u64::from(ts - ctx.t_min())), // < W + 1 ≤ 169 < 256
            age: Zeroizing::new(u64::from(ctx.time_slot_hours - ts)), // ≤ W (ts ≥ t_min)
        })
    }

    /// Commit to the issuance time: draw `r_ts` and compute `V = ts·g + r_ts·B~`
    /// (constant time: `ts·g` from the fixed-base table, `r_ts·B~` by the constant-time
    /// variable-base ladder).
    pub fn commit_time<R: RngCore + CryptoRng>(self, rng: &mut R) -> TimeCommitted<'a> {
        let gens = generators();
        let r_ts = Zeroizing::new(Scalar::random(rng));
        let ts = Zeroizing::new(Scalar::from(self.token.attributes().time_hours));
        let v = gens.g_table() * &*ts + gens.b_blinding * *r_ts;
        TimeCommitted {
            prover: self,
            ts,
            r_ts,
            v,
            v_compressed: v.compress(),
        }
    }
}

impl<'a> TimeCommitted<'a> {
    /// `V`, as it will be sent.
    pub fn v_compressed(&self) -> &CompressedRistretto {
        &self.v_compressed
    }

    /// Start the transcript (§5.2 steps 1–12: context, signature bytes, `V`) and prove
    /// knowledge of `κ, rnd, R, k, ts, tr, id, r_ts` satisfying (S1)–(S3) (step 13).
    pub fn prove_sigma<R: RngCore + CryptoRng>(
        self,
        rng: &mut R,
    ) -> Result<SigmaProved<'a>, PresentError> {
        let Prover { token, pk, ctx, .. } = self.prover;
        let signature = token.signature();
        // Only fails on an identity V, which happens with probability 2^-252.
        let mut t = transcript(ctx, pk, signature, &self.v_compressed)
            .map_err(|_| PresentError::RangeProof("degenerate V".into()))?;
        let rel = relation(*signature.zeta(), *signature.zeta1(), *pk.z(), self.v);
        let a = token.attributes();
        let mut witness = Zeroizing::new([Scalar::ZERO; secret::COUNT]);
        witness[secret::KAPPA] = *token.kappa();
        witness[secret::RND] = *token.rnd();
        witness[secret::R] = *token.r();
        witness[secret::K] = *token.k();
        witness[secret::TS] = *self.ts;
        witness[secret::TR] = a.travel;
        witness[secret::ID] = a.subject;
        witness[secret::R_TS] = *self.r_ts;
        let sigma = CompactProof::prove_with_rng(&mut t, &rel, &witness[..], rng);
        Ok(SigmaProved {
            prover: self.prover,
            r_ts: self.r_ts,
            v: self.v,
            v_compressed: self.v_compressed,
            sigma,
            transcript: t,
        })
    }
}

impl SigmaProved<'_> {
    /// The Σ-proof just made.
    pub fn sigma(&self) -> &CompactProof {
        &self.sigma
    }

    /// Prove `0 ≤ ts − t_min < 2^8` with Bulletproofs on `V' = V − t_min·g` (value
    /// `ts − t_min`, blinding `r_ts`), continuing the transcript (§5.4), and assemble the
    /// presentation.
    pub fn prove_range<R: RngCore + CryptoRng>(
        self,
        rng: &mut R,
    ) -> Result<Presentation, PresentError> {
        let SigmaProved {
            prover,
            r_ts,
            v,
            v_compressed,
            sigma,
            mut transcript,
        } = self;
        let ctx = prover.ctx;
        let range = match ctx.key_list {
            KeyListBinding::None => {
                let (range, v_shifted) = RangeProof::prove_single_with_rng(
                    bp_gens(),
                    pc_gens(),
                    &mut transcript,
                    *prover.offset,
                    &r_ts,
                    BITS,
                    rng,
                )
                .map_err(|e| PresentError::RangeProof(format!("{e:?}")))?;
                debug_assert_eq!(v_shifted, shifted_commitment(&v, ctx.t_min()));
                range
            }
            // Version 2: the key list presented under (§5.2 step 13), then one aggregated
            // proof that `V − t_min·g` opens to `ts − t_min` with `r_ts`, and `slot·g − V`
            // to `slot − ts` with `−r_ts` (§5.4).
            KeyListBinding::Digest(digest) => {
                bind_key_list(&mut transcript, &digest);
                let values = Zeroizing::new([*prover.offset, *prover.age]);
                let blindings = Zeroizing::new([*r_ts, -*r_ts]);
                let (range, shifted) = RangeProof::prove_multiple_with_rng(
                    bp_gens_v2(),
                    pc_gens(),
                    &mut transcript,
                    &values[..],
                    &blindings[..],
                    BITS,
                    rng,
                )
                .map_err(|e| PresentError::RangeProof(format!("{e:?}")))?;
                debug_assert_eq!(
                    shifted[..],
                    shifted_commitments_v2(&v, ctx.t_min(), ctx.time_slot_hours)[..]
                );
                range
            }
            // Refused by `Prover::new`.
            KeyListBinding::Unsent => return Err(PresentError::KeyListNotChosen),
        };
        Ok(Presentation {
            context: prover.ctx.clone(),
            signature: prover.token.signature().clone(),
            v,
            v_compressed,
            sigma,
            range,
        })
    }
}
