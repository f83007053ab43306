//! The objects every benchmark works on, built once, and the measured operations.
//!
//! Each operation is a plain function so that the figures binary and the criterion benches
//! time exactly the same code. The presentation's parts are `greenlight_circuits`' own
//! steps (`Prover` → `TimeCommitted` → `SigmaProved`; `ContextChecked` →
//! `SignatureVerified` → `SigmaVerified`), the very code the whole prover and verifier run.

use std::time::{Duration, Instant};

use bulletproofs::{BulletproofGens, PedersenGens, RangeProof};
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use greenlight_acl::issuance::{
    AnswerBatch, ChallengeBatch, HolderRequest, IssuerSession, RegistrationBatch,
};
use greenlight_acl::{Attributes, IssuerKeyPair, IssuerPublicKey, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{
    verify_vartime, ContextChecked, KeyListBinding, Policy, Presentation, PresentationContext,
    Prover, SigmaProved, SigmaVerified, SignatureVerified, TimeCommitted, VenueExpectations,
    Verified,
};
use greenlight_wire::Status;
use merlin::Transcript;
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, RngCore, SeedableRng};

use crate::BenchError;

/// Tokens per issuance batch in the issuance figures (a typical wallet refill).
pub const ISSUE_BATCH: usize = 16;

/// The venue's clock (hours since the Unix epoch) in every fixture.
pub const NOW_HOURS: u32 = 493_000;
const VENUE: [u8; 8] = *b"bench-vn";
const WINDOW_HOURS: u8 = 24;
const BINDING: &[u8] = b"bench-ticket-id0";
/// The digest of the key list the presentation is bound to (wire version 2).
const KEY_LIST: [u8; 32] = [0x4b; 32];

/// Everything a Greenlight operation needs, built once per process.
pub struct Fixture {
    pub key: IssuerKeyPair,
    /// The venue's accepted keys (just the one issuer).
    pub keys: Vec<IssuerPublicKey>,
    pub attributes: Attributes,
    pub holder_secret: Scalar,
    /// A genuine registration batch of [`ISSUE_BATCH`] tokens, re-committed by every
    /// issuer-side iteration (the issuer keeps no state between sessions).
    pub registrations: RegistrationBatch,
    /// A genuine challenge batch. Answering costs the same for any challenge values, so
    /// each issuer-side iteration answers this one.
    pub challenges: ChallengeBatch,
    pub token: Token,
    pub context: PresentationContext,
    pub expectations: VenueExpectations,
    pub presentation: Presentation,
    pub presentation_bytes: Vec<u8>,
    pub presentation_text: String,
    /// The same context in wire version 1 (no key list bound, one range value).
    pub context_v1: PresentationContext,
    /// A version-1 presentation of the same token.
    pub presentation_v1_bytes: Vec<u8>,
    /// A venue that has moved on to a newer list: the presentation's list is its previous
    /// one, the second digest it tries (two range-proof checks).
    pub expectations_previous: VenueExpectations,
}

impl Fixture {
    /// Build the fixture deterministically from `seed` and check that it is sound: the
    /// presentation verifies, so every timed operation is the success path.
    pub fn new(seed: u64) -> Result<Self, BenchError> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let key = IssuerKeyPair::generate_with_rng(&mut rng);
        let attributes = Attributes {
            status: Status::Green.as_u8(),
            time_hours: NOW_HOURS - 3,
            travel: Scalar::from(0x0102_0304u64),
            subject: Attributes::subject_scalar("bench-subject"),
        };
        let holder_secret = Scalar::random(&mut rng);
        let (holder, registrations) = HolderRequest::new_with_rng(
            key.public(),
            BINDING,
            &holder_secret,
            ISSUE_BATCH,
            &mut rng,
        )?;
        let (issuer, commitments) = IssuerSession::commit_with_rng(
            &key,
            BINDING,
            attributes.clone(),
            &registrations,
            &mut rng,
        )?;
        let (holder, challenges) = holder.challenge_with_rng(&commitments, &mut rng)?;
        let answers = issuer.answer(&key, &challenges)?;
        let mut tokens = holder.finish(&answers)?;
        let token = tokens.pop().ok_or(BenchError::Fixture("no token issued"))?;

        let context = PresentationContext {
            key_id: key.public().key_id(),
            venue_id: VENUE,
            time_slot_hours: NOW_HOURS,
            window_hours: WINDOW_HOURS,
            policy: Policy::GREEN_RECENT,
            key_list: KeyListBinding::Digest(KEY_LIST),
        };
        let expectations = VenueExpectations {
            venue_id: VENUE,
            window_hours: WINDOW_HOURS,
            policy: Policy::GREEN_RECENT,
            now_hours: NOW_HOURS,
            clock_tolerance_hours: 1,
            // The wallet's list is the venue's current one: the first digest tried.
            key_lists: vec![KEY_LIST, [0x55; 32]],
        };
        let expectations_previous = VenueExpectations {
            key_lists: vec![[0x55; 32], KEY_LIST],
            ..expectations.clone()
        };
        let context_v1 = PresentationContext {
            key_list: KeyListBinding::None,
            ..context.clone()
        };
        let presentation_v1_bytes =
            green_recent::prove_with_rng(&token, key.public(), &context_v1, &mut rng)?.to_bytes();
        let presentation = green_recent::prove_with_rng(&token, key.public(), &context, &mut rng)?;
        let presentation_bytes = presentation.to_bytes();
        let presentation_text = presentation.to_text();
        let fixture = Fixture {
            keys: vec![key.public().clone()],
            key,
            attributes,
            holder_secret,
            registrations,
            challenges,
            token,
            context,
            expectations,
            presentation,
            presentation_bytes,
            presentation_text,
            context_v1,
            presentation_v1_bytes,
            expectations_previous,
        };
        for verified in [
            fixture.verify(&mut rng)?,
            fixture.verify_v1(&mut rng)?,
            fixture.verify_previous(&mut rng)?,
        ] {
            if verified.token_id != fixture.token.id() {
                return Err(BenchError::Fixture("verified token id differs"));
            }
        }
        Ok(fixture)
    }

    pub fn public(&self) -> &IssuerPublicKey {
        self.key.public()
    }

    /// Issuer side of one batch: check the registrations and commit, then answer.
    pub fn issue_issuer_side<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<AnswerBatch, BenchError> {
        let (issuer, _commitments) = IssuerSession::commit_with_rng(
            &self.key,
            BINDING,
            self.attributes.clone(),
            &self.registrations,
            rng,
        )?;
        Ok(issuer.answer(&self.key, &self.challenges)?)
    }

    /// A whole batch issuance in-process, returning the time spent on the **holder** side
    /// only (register, challenge, finish — `finish` verifies every token).
    pub fn issue_holder_side<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<Duration, BenchError> {
        let start = Instant::now();
        let (holder, registrations) = HolderRequest::new_with_rng(
            self.public(),
            BINDING,
            &self.holder_secret,
            ISSUE_BATCH,
            rng,
        )?;
        let mut holder_time = start.elapsed();
        let (issuer, commitments) = IssuerSession::commit_with_rng(
            &self.key,
            BINDING,
            self.attributes.clone(),
            &registrations,
            rng,
        )?;
        let start = Instant::now();
        let (holder, challenges) = holder.challenge_with_rng(&commitments, rng)?;
        holder_time += start.elapsed();
        let answers = issuer.answer(&self.key, &challenges)?;
        let start = Instant::now();
        let tokens = holder.finish(&answers)?;
        holder_time += start.elapsed();
        if tokens.len() != ISSUE_BATCH {
            return Err(BenchError::Fixture("wrong number of tokens"));
        }
        Ok(holder_time)
    }

    /// The wallet's presentation.
    pub fn present<R: RngCore + CryptoRng>(&self, rng: &mut R) -> Result<Presentation, BenchError> {
        Ok(green_recent::prove_with_rng(
            &self.token,
            self.public(),
            &self.context,
            rng,
        )?)
    }

    /// The venue's whole check of the presentation bytes: decode, then verify.
    pub fn verify<R: RngCore + CryptoRng>(&self, rng: &mut R) -> Result<Verified, BenchError> {
        let pres = Presentation::from_bytes(&self.presentation_bytes)?;
        Ok(verify_vartime(&pres, &self.expectations, &self.keys, rng)?)
    }

    /// [`Fixture::present`] in wire version 1.
    pub fn present_v1<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<Presentation, BenchError> {
        Ok(green_recent::prove_with_rng(
            &self.token,
            self.public(),
            &self.context_v1,
            rng,
        )?)
    }

    /// [`Fixture::verify`] of the version-1 presentation.
    pub fn verify_v1<R: RngCore + CryptoRng>(&self, rng: &mut R) -> Result<Verified, BenchError> {
        let pres = Presentation::from_bytes(&self.presentation_v1_bytes)?;
        Ok(verify_vartime(&pres, &self.expectations, &self.keys, rng)?)
    }

    /// [`Fixture::verify`] at a venue whose previous list is the presentation's.
    pub fn verify_previous<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<Verified, BenchError> {
        let pres = Presentation::from_bytes(&self.presentation_bytes)?;
        Ok(verify_vartime(
            &pres,
            &self.expectations_previous,
            &self.keys,
            rng,
        )?)
    }

    /// Decoding alone.
    pub fn decode(&self) -> Result<Presentation, BenchError> {
        Ok(Presentation::from_bytes(&self.presentation_bytes)?)
    }

    /// The verifier's steps up to the ACL signature (context checks, which cost no curve
    /// arithmetic, then the signature) on the decoded presentation. The returned state is
    /// where the Σ step starts.
    pub fn verify_signature(&self) -> Result<SignatureVerified<'_>, BenchError> {
        Ok(
            ContextChecked::new(&self.presentation, &self.expectations, &self.keys)?
                .verify_signature()?,
        )
    }

    /// The verifier's steps up to and including the Σ-proof: the state the range proof
    /// step starts from.
    pub fn verify_sigma(&self) -> Result<SigmaVerified<'_>, BenchError> {
        Ok(self.verify_signature()?.verify_sigma()?)
    }

    /// The prover's first step: the wallet's checks on the token and context.
    pub fn prover(&self) -> Result<Prover<'_>, BenchError> {
        Ok(Prover::new(&self.token, self.public(), &self.context)?)
    }

    /// The prover's steps up to the time commitment.
    pub fn commit_time<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<TimeCommitted<'_>, BenchError> {
        Ok(self.prover()?.commit_time(rng))
    }

    /// The prover's steps up to and including the Σ-proof.
    pub fn prove_sigma<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<SigmaProved<'_>, BenchError> {
        Ok(self.commit_time(rng)?.prove_sigma(rng)?)
    }
}

/// A plain Bulletproofs range proof of `bits` bits, with default generators.
#[derive(Clone)]
pub struct RangeBaseline {
    pub bits: usize,
    pub value: u64,
    pub blinding: Scalar,
    pub proof: RangeProof,
    pub commitment: CompressedRistretto,
}

/// Reference costs to compare Greenlight against.
pub struct Baselines {
    pub bp_gens: BulletproofGens,
    pub pc_gens: PedersenGens,
    pub rp32: RangeBaseline,
    pub rp8: RangeBaseline,
    pub ed25519_key: VerifyingKey,
    pub ed25519_message: [u8; 64],
    pub ed25519_signature: Signature,
}

/// Label of the fresh transcript every baseline range proof uses.
const RANGE_BASELINE_LABEL: &[u8] = b"greenlight-bench range baseline";

impl Baselines {
    pub fn new(seed: u64) -> Result<Self, BenchError> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let bp_gens = BulletproofGens::new(64, 1);
        let pc_gens = PedersenGens::default();
        let mut range = |bits: usize, value: u64| -> Result<RangeBaseline, BenchError> {
            let blinding = Scalar::random(&mut rng);
            let mut t = Transcript::new(RANGE_BASELINE_LABEL);
            let (proof, commitment) = RangeProof::prove_single_with_rng(
                &bp_gens, &pc_gens, &mut t, value, &blinding, bits, &mut rng,
            )?;
            Ok(RangeBaseline {
                bits,
                value,
                blinding,
                proof,
                commitment,
            })
        };
        let rp32 = range(32, 0xdead_beef)?;
        let rp8 = range(8, 200)?;
        let signing = SigningKey::generate(&mut rng);
        let mut ed25519_message = [0u8; 64];
        rng.fill_bytes(&mut ed25519_message);
        let ed25519_signature = signing.sign(&ed25519_message);
        let b = Baselines {
            bp_gens,
            pc_gens,
            rp32,
            rp8,
            ed25519_key: signing.verifying_key(),
            ed25519_message,
            ed25519_signature,
        };
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 1);
        b.range_verify(&b.rp32, &mut rng)?;
        b.range_verify(&b.rp8, &mut rng)?;
        b.ed25519_verify()?;
        Ok(b)
    }

    /// Prove `base.value` in `[0, 2^bits)` on a fresh transcript.
    pub fn range_prove<R: RngCore + CryptoRng>(
        &self,
        base: &RangeBaseline,
        rng: &mut R,
    ) -> Result<RangeProof, BenchError> {
        let mut t = Transcript::new(RANGE_BASELINE_LABEL);
        let (proof, _) = RangeProof::prove_single_with_rng(
            &self.bp_gens,
            &self.pc_gens,
            &mut t,
            base.value,
            &base.blinding,
            base.bits,
            rng,
        )?;
        Ok(proof)
    }

    /// Verify `base.proof` on a fresh transcript.
    pub fn range_verify<R: RngCore + CryptoRng>(
        &self,
        base: &RangeBaseline,
        rng: &mut R,
    ) -> Result<(), BenchError> {
        let mut t = Transcript::new(RANGE_BASELINE_LABEL);
        base.proof.verify_single_with_rng(
            &self.bp_gens,
            &self.pc_gens,
            &mut t,
            &base.commitment,
            base.bits,
            rng,
        )?;
        Ok(())
    }

    /// Ed25519 `verify` of a 64-byte message: what a non-private signed certificate costs.
    pub fn ed25519_verify(&self) -> Result<(), BenchError> {
        Ok(self
            .ed25519_key
            .verify(&self.ed25519_message, &self.ed25519_signature)?)
    }
}
