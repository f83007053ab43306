//! Σ-protocols (Schnorr-style proofs of knowledge) for **linear relations** over ristretto255,
//! made non-interactive with a `merlin` transcript, plus the project's single registry of
//! domain-separation labels.
//!
//! A statement is a set of equations `P_j = Σ_i x_i · G_ij` in public points `P_j`, `G_ij` and
//! secret scalars `x_i` (the same secret may appear in several equations: that is how equality
//! of discrete logarithms across statements is proven). See `docs/spec.md` §4 for the maths.
//!
//! * [`labels`]: every label the protocol feeds into a hash, in one place.
//! * [`transcript`]: the [`TranscriptProtocol`] extension trait — the only place that appends
//!   points and scalars and derives challenges, so domain separation, identity-point rejection
//!   and wide (64-byte) challenges cannot be forgotten at a call site.
//! * [`relation`]: how a statement is described.
//! * [`proof`]: proving (constant-time in the witness) and `verify_vartime`.

/// The label registry lives in `greenlight-wire` (the one home of the wire vocabulary); it
/// is re-exported here because every transcript label is appended through this crate.
pub use greenlight_wire::labels;
pub mod proof;
pub mod relation;
pub mod transcript;

pub use proof::{CompactProof, SigmaError};
pub use relation::{LinearRelation, Term};
pub use transcript::TranscriptProtocol;
