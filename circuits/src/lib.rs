//! Greenlight's presentation statements: what a holder proves to a venue, and how the venue
//! checks it.
//!
//! * [`context`]: the presentation context bound first into every transcript (protocol
//!   version, parameter digest, issuer key, venue, holder clock slot, window, policy, and
//!   the empty slot of the venue nonce v1 does not have);
//! * [`policy`]: policy ids and the standard windows;
//! * [`statements`]: one module per statement. v1 has [`statements::green_recent`]; a new
//!   statement (reveal an attribute, travel "not in this list", …) is a new module that
//!   builds its own `LinearRelation` for the Σ engine and gets a new policy id — the engine,
//!   the ACL crate and the existing statements stay untouched;
//! * [`presentation`]: the presentation object and its wire codec;
//! * [`verify`]: the venue's checks, in order, each failing with a typed [`RejectReason`].
//!
//! Proving and verifying are exposed whole ([`statements::green_recent::prove_with_rng`],
//! [`verify_vartime`]) and step by step as type-states — prover [`Prover`] →
//! [`TimeCommitted`] → [`SigmaProved`] → [`Presentation`]; verifier [`ContextChecked`] →
//! [`SignatureVerified`] → [`SigmaVerified`] → [`Verified`] — the whole being the
//! composition of the steps (one implementation, which benchmarks time piece by piece).
//!
//! The maths is in `docs/spec.md` §5.

pub mod context;
pub mod policy;
pub mod presentation;
pub mod statements;
pub mod verify;

pub use context::{KeyListBinding, KeyListDigest, PresentationContext};
pub use policy::{Policy, STANDARD_WINDOWS_HOURS};
pub use presentation::Presentation;
pub use statements::green_recent::{
    Prover, SigmaProved, SigmaVerified, SignatureVerified, TimeCommitted,
};
pub use verify::{
    verify_vartime, ContextChecked, IssuerKeys, RejectReason, VenueExpectations, Verified,
};

/// Why the holder's wallet refused to build a presentation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PresentError {
    #[error("this token's status is not green")]
    NotGreen,
    #[error("this token was issued before the venue's window")]
    TooOld,
    #[error("this token's issuance time is after the holder's clock")]
    FromTheFuture,
    #[error("policy {0} is not green-and-recent, the only statement this function proves")]
    WrongPolicy(u8),
    #[error("window of {0} h is not one of the standard windows")]
    NonStandardWindow(u8),
    #[error("the token was issued under key {token}, not the context's key {context}")]
    WrongKey {
        token: greenlight_acl::KeyId,
        context: greenlight_acl::KeyId,
    },
    #[error("a version-2 presentation must be bound to the digest of the wallet's key list")]
    KeyListNotChosen,
    #[error("range proof could not be built: {0}")]
    RangeProof(String),
}
