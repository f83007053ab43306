//! The four issuance messages (plain data; codecs in `crate::codec`).

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use greenlight_sigma::CompactProof;

use crate::attributes::Attributes;
use crate::keys::KeyId;

/// Holder → issuer, per token: `C_u = R·h_R + k·h_k` and a proof of knowledge of `(R, k)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub c_u: RistrettoPoint,
    pub c_u_compressed: CompressedRistretto,
    /// Compact proof `(c, s_R, s_k)`.
    pub proof: CompactProof,
}

/// First message: one registration per requested token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationBatch {
    pub key_id: KeyId,
    pub registrations: Vec<Registration>,
}

/// Issuer → holder, per token: `(rnd, a, b1, b2)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerCommitment {
    pub rnd: Scalar,
    pub a: RistrettoPoint,
    pub b1: RistrettoPoint,
    pub b2: RistrettoPoint,
}

/// Second message: the certified attributes (in clear: the holder must know them to prove
/// anything later) and one commitment per token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentBatch {
    pub key_id: KeyId,
    pub attributes: Attributes,
    pub commitments: Vec<IssuerCommitment>,
}

/// Third message: the blinded challenges `e`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeBatch {
    pub key_id: KeyId,
    pub challenges: Vec<Scalar>,
}

/// Issuer → holder, per token: `(c, r, s1, s2, d)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerAnswer {
    pub c: Scalar,
    pub r: Scalar,
    pub s1: Scalar,
    pub s2: Scalar,
    pub d: Scalar,
}

/// Fourth message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerBatch {
    pub key_id: KeyId,
    pub answers: Vec<IssuerAnswer>,
}
