//! **Anonymous Credentials Light** (Baldimtsi–Lysyanskaya, CCS 2013) on ristretto255: an
//! issuer blindly signs a commitment to hidden attributes; the holder ends up with a
//! one-show token `(ζ, ζ1, ρ, ω, σ1, σ2, δ, μ)` that anyone holding the issuer's public key
//! can verify, and that the issuer cannot link to the session that produced it.
//!
//! | attribute | symbol | who sets it | seen by issuer | seen by venue |
//! |---|---|---|---|---|
//! | commitment randomness | `R` | holder | no | no |
//! | holder secret | `k` | holder | no | no |
//! | status colour | `st` | issuer | yes | only "green" (proven) |
//! | issuance time (hours) | `ts` | issuer | yes | only "within window" (proven) |
//! | travel history | `tr` | issuer | yes | no |
//! | subject handle | `id` | issuer | yes | no |
//!
//! Modules follow the protocol: [`generators`](mod@generators) (the fixed points, pinned by a known-answer
//! test), [`keys`], [`attributes`], [`issuance`] (both sides as type-states), [`signature`]
//! (the token's public part and its verification), [`token`] (what the wallet keeps), and
//! [`codec`] (wire format v1). The equations are in `docs/spec.md` §3.

pub mod attributes;
pub mod codec;
pub mod generators;
pub mod issuance;
pub mod keys;
pub mod signature;
pub mod token;

pub use attributes::Attributes;
pub use generators::{generators, Generators};
pub use keys::{IssuerKeyPair, IssuerPublicKey, IssuerSecretKey, KeyId};
pub use signature::AclSignature;
pub use token::{Token, TokenId};

/// Errors of issuance and token verification.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AclError {
    #[error("a registration proof of knowledge does not verify (token {0})")]
    BadRegistration(usize),
    #[error("the batch sizes do not match (expected {expected}, got {got})")]
    BatchSize { expected: usize, got: usize },
    #[error("batch size {0} is outside 1..=64")]
    BatchLimit(usize),
    #[error("the issuer's message is for key {found}, not {expected}")]
    WrongKey { expected: KeyId, found: KeyId },
    #[error("the issuer sent a degenerate value (identity point)")]
    Degenerate,
    #[error("the issued token does not verify under the issuer key (token {0})")]
    BadToken(usize),
    #[error("the signature does not verify")]
    BadSignature,
    #[error(transparent)]
    Wire(#[from] greenlight_wire::WireError),
}
