//! Batch issuance, both sides as type-states (`docs/spec.md` §3.2).
//!
//! ```text
//!  holder                                   issuer
//!  HolderRequest::new ──RegistrationBatch──▶ IssuerSession::commit
//!        │                                       │ (checks every proof of knowledge)
//!  HolderRegistered ◀──CommitmentBatch──── IssuerCommitted
//!        │ .challenge                            │
//!  HolderChallenged ──ChallengeBatch─────▶ IssuerCommitted::answer(self)   (consumes: once)
//!        │ .finish                               │ secrets zeroized
//!  Vec<Token>       ◀──AnswerBatch───────────────┘
//! ```
//!
//! Every step consumes `self`, so a state cannot be reused. On the issuer side this is what
//! keeps the key safe: two answers to different challenges for one commitment reveal `x`
//! (`x = (r' − r)/(c − c')`), and `IssuerCommitted` is neither `Clone` nor answerable twice.
//! Its secrets leave it only encrypted ([`seal`], for a database several issuer nodes
//! share), and single use is then the store's duty.

mod holder;
mod issuer;
pub mod messages;
pub mod seal;

pub use holder::{HolderChallenged, HolderRegistered, HolderRequest};
pub use issuer::{IssuerCommitted, IssuerSession};
pub use messages::{
    AnswerBatch, ChallengeBatch, CommitmentBatch, IssuerAnswer, IssuerCommitment, Registration,
    RegistrationBatch,
};
pub use seal::{SealError, SealKey};

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use greenlight_sigma::{labels, LinearRelation, TranscriptProtocol};
use merlin::Transcript;

use crate::generators::generators;
use crate::keys::KeyId;
use crate::AclError;

/// The registration proof's transcript: bound to the issuer key, the ticket (`binding`), the
/// token's index in the batch and `C_u`, so a proof cannot be replayed in another session.
fn registration_transcript(
    key_id: &KeyId,
    binding: &[u8],
    index: usize,
    c_u: &CompressedRistretto,
) -> Result<Transcript, AclError> {
    let mut t = Transcript::new(labels::REGISTRATION_TRANSCRIPT);
    t.append_message(labels::ISSUER_KEY_ID, &key_id.0);
    t.append_message(labels::REG_BINDING, binding);
    t.append_u64(labels::REG_INDEX, index as u64);
    t.validate_and_append_point(labels::REG_CU, c_u)
        .map_err(|_| AclError::Degenerate)?;
    Ok(t)
}

/// `C_u = R·h_R + k·h_k` over secrets `(R, k)`. Proving exactly these two bases is what
/// stops a holder from smuggling `h_st`/`h_ts` terms into `C_u`.
fn registration_relation(c_u: RistrettoPoint) -> LinearRelation {
    let gens = generators();
    let mut rel = LinearRelation::new(2);
    rel.equation(c_u, &[(0, gens.h_r), (1, gens.h_k)]);
    rel
}

fn check_batch(n: usize) -> Result<(), AclError> {
    if n == 0 || n > greenlight_wire::lengths::MAX_BATCH {
        return Err(AclError::BatchLimit(n));
    }
    Ok(())
}

fn check_len(expected: usize, got: usize) -> Result<(), AclError> {
    if expected != got {
        return Err(AclError::BatchSize { expected, got });
    }
    Ok(())
}

fn check_key(expected: KeyId, found: KeyId) -> Result<(), AclError> {
    if expected != found {
        return Err(AclError::WrongKey { expected, found });
    }
    Ok(())
}

/// Run both sides of a batch issuance in one process (tests, benchmarks, known-answer
/// vectors). A real deployment runs the two sides on different machines, over `server/`.
pub fn issue_locally_with_rng<R: rand_core::RngCore + rand_core::CryptoRng>(
    key: &crate::keys::IssuerKeyPair,
    binding: &[u8],
    attributes: crate::attributes::Attributes,
    n: usize,
    rng: &mut R,
) -> Result<Vec<crate::token::Token>, AclError> {
    let holder_secret = zeroize::Zeroizing::new(curve25519_dalek::scalar::Scalar::random(rng));
    let (holder, registrations) =
        HolderRequest::new_with_rng(key.public(), binding, &holder_secret, n, rng)?;
    let (issuer, commitments) =
        IssuerSession::commit_with_rng(key, binding, attributes, &registrations, rng)?;
    let (holder, challenges) = holder.challenge_with_rng(&commitments, rng)?;
    let answers = issuer.answer(key, &challenges)?;
    holder.finish(&answers)
}
