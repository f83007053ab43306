//! Shared pieces of Greenlight's benchmarks: the `greenlight-bench` figures binary and the
//! criterion benches (`benches/core.rs`) measure the same operations on the same fixtures,
//! so their numbers can be compared.
//!
//! * [`fixture`]: an issuer key, a token, a presentation and an issuance batch, built once;
//!   the operations as functions ([`fixture::Fixture::issue_issuer_side`], …) and the
//!   baselines (plain Bulletproofs range proofs, an Ed25519 signature).
//!   The presentation's parts (time commitment, Σ-proof, range proof; signature, Σ-proof,
//!   range proof) are `greenlight_circuits`' type-state steps, which the whole prover and
//!   verifier are composed of: the split figures time the real code, not a copy.
//! * [`timing`]: median-of-batches timing with a warm-up, used by the binary.

pub mod fixture;
pub mod timing;

pub use fixture::{Baselines, Fixture, ISSUE_BATCH};

/// Anything that can fail while building fixtures or running an operation. The inputs are
/// all made in-process, so any of these means a bug in the code under test, not bad input.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("issuance failed: {0}")]
    Acl(#[from] greenlight_acl::AclError),
    #[error("presentation could not be built: {0}")]
    Present(#[from] greenlight_circuits::PresentError),
    #[error("presentation rejected: {0}")]
    Rejected(#[from] greenlight_circuits::RejectReason),
    #[error("decoding failed: {0}")]
    Wire(#[from] greenlight_wire::WireError),
    #[error("range proof failed: {0:?}")]
    RangeProof(bulletproofs::ProofError),
    /// (The workspace builds ed25519-dalek without `std`, so its error is not a
    /// `std::error::Error` source; keep it as a value.)
    #[error("Ed25519 signature failed: {0}")]
    Ed25519(ed25519_dalek::SignatureError),
    #[error("fixture is inconsistent: {0}")]
    Fixture(&'static str),
}

impl From<ed25519_dalek::SignatureError> for BenchError {
    fn from(e: ed25519_dalek::SignatureError) -> Self {
        BenchError::Ed25519(e)
    }
}

impl From<bulletproofs::ProofError> for BenchError {
    fn from(e: bulletproofs::ProofError) -> Self {
        BenchError::RangeProof(e)
    }
}
