//! The venue's proof checks for green-and-recent, step by step (`docs/spec.md` §5.5 steps
//! 8–9). They start from a [`SignatureVerified`] state, which only
//! [`crate::verify::ContextChecked::verify_signature`] makes, so the context checks and the
//! ACL signature always come first:
//!
//! ```text
//!   .verify_sigma()        transcript steps 1–12, then the Σ-proof of (S1)–(S3) (step 13)
//!                          → else BadProof
//!   .verify_range(rng)     Bulletproofs verification on V' = V − t_min·g, continuing the
//!                          same transcript (step 14) → else Stale; version 2: the key-list
//!                          digest, then one aggregated proof on V − t_min·g and slot·g − V,
//!                          under each of the venue's digests in turn → else KeyListMismatch
//! ```
//! Variable time throughout: every input is public. The states hold public data only and
//! are `Clone`, so a benchmark can time one step on the same input repeatedly.

use greenlight_acl::IssuerPublicKey;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use super::{bind_key_list, relation, shifted_commitment, shifted_commitments_v2, transcript};
use crate::context::{KeyListBinding, KeyListDigest};
use crate::presentation::Presentation;
use crate::statements::range::{bp_gens, bp_gens_v2, pc_gens, BITS};
use crate::verify::{RejectReason, Verified};

/// The presentation's context passed the venue's checks, its key is accepted, and its ACL
/// signature verifies under that key (§5.5 steps 2–7).
#[derive(Clone)]
#[must_use = "the Σ-proof and the range proof are still to be verified"]
pub struct SignatureVerified<'a> {
    pres: &'a Presentation,
    pk: &'a IssuerPublicKey,
    key_lists: &'a [KeyListDigest],
}

/// … and its Σ-proof verifies (step 8). Carries the transcript the range proof continues.
#[derive(Clone)]
#[must_use = "the range proof is still to be verified"]
pub struct SigmaVerified<'a> {
    pres: &'a Presentation,
    transcript: Transcript,
    key_lists: &'a [KeyListDigest],
}

impl<'a> SignatureVerified<'a> {
    /// Only [`crate::verify::ContextChecked::verify_signature`] makes this state.
    pub(crate) fn new(
        pres: &'a Presentation,
        pk: &'a IssuerPublicKey,
        key_lists: &'a [KeyListDigest],
    ) -> Self {
        SignatureVerified {
            pres,
            pk,
            key_lists,
        }
    }

    /// The presentation being verified.
    pub fn presentation(&self) -> &'a Presentation {
        self.pres
    }

    /// The accepted issuer key it was signed under.
    pub fn issuer_key(&self) -> &'a IssuerPublicKey {
        self.pk
    }

    /// Rebuild the transcript (§5.2 steps 1–12) and verify the Σ-proof of (S1)–(S3) with
    /// `ζ, ζ1` from the signature, `z` from the key and the shown `V`:
    /// [`RejectReason::BadProof`] if it does not verify (a red or yellow token, a claimed
    /// time that is not the certified one, another context), [`RejectReason::BadEncoding`]
    /// if `V` is the identity.
    pub fn verify_sigma(self) -> Result<SigmaVerified<'a>, RejectReason> {
        let (pres, pk) = (self.pres, self.pk);
        let sig = &pres.signature;
        let mut t = transcript(&pres.context, pk, sig, &pres.v_compressed)?;
        let rel = relation(*sig.zeta(), *sig.zeta1(), *pk.z(), pres.v);
        pres.sigma
            .verify_vartime(&mut t, &rel)
            .map_err(|_| RejectReason::BadProof)?;
        Ok(SigmaVerified {
            pres,
            transcript: t,
            key_lists: self.key_lists,
        })
    }
}

impl SigmaVerified<'_> {
    /// Verify the 8-bit range proof on `V' = V − t_min·g` (`t_min` from the shown context),
    /// continuing the transcript: [`RejectReason::Stale`] if it fails (not issued within
    /// the window; a forged or swapped range proof lands here too). On success the
    /// presentation is [`Verified`]; the caller still checks-and-inserts the token id in
    /// its seen-set (§5.5 step 10).
    ///
    /// Version 2: the key-list digest is appended first (§5.2 step 13), then one aggregated
    /// proof over `V − t_min·g` and `slot·g − V` is checked. The digest is not sent, so each
    /// of the venue's digests is tried in turn (current list first), on a copy of the
    /// transcript: [`RejectReason::KeyListMismatch`] if the proof verifies under none.
    pub fn verify_range<R: RngCore + CryptoRng>(
        self,
        rng: &mut R,
    ) -> Result<Verified, RejectReason> {
        let SigmaVerified {
            pres,
            transcript,
            key_lists,
        } = self;
        let ctx = &pres.context;
        let verified = Verified {
            token_id: pres.token_id(),
            key_id: ctx.key_id,
        };
        let candidates: &[KeyListDigest] = match &ctx.key_list {
            KeyListBinding::None => {
                let mut t = transcript;
                let v_shifted = shifted_commitment(&pres.v, ctx.t_min());
                pres.range
                    .verify_single_with_rng(bp_gens(), pc_gens(), &mut t, &v_shifted, BITS, rng)
                    .map_err(|_| RejectReason::Stale)?;
                return Ok(verified);
            }
            // An in-memory presentation knows the digest it was made under, but a venue judges
            // by the lists it holds, exactly as for one it decoded.
            KeyListBinding::Digest(_) | KeyListBinding::Unsent => key_lists,
        };
        let shifted = shifted_commitments_v2(&pres.v, ctx.t_min(), ctx.time_slot_hours);
        for digest in candidates {
            let mut t = transcript.clone();
            bind_key_list(&mut t, digest);
            let ok = pres
                .range
                .verify_multiple_with_rng(bp_gens_v2(), pc_gens(), &mut t, &shifted, BITS, rng)
                .is_ok();
            if ok {
                return Ok(verified);
            }
        }
        Err(RejectReason::KeyListMismatch)
    }
}
