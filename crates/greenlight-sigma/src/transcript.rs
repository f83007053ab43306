//! The transcript extension trait: the single place where Greenlight feeds values into a
//! `merlin::Transcript` and draws challenges from it.
//!
//! Why a trait: every protocol message passes through the same four methods, so a call site
//! cannot forget to reject the identity point, cannot draw a narrow (biased) challenge, and
//! cannot invent an ad-hoc encoding. Points are appended as their 32-byte canonical
//! compressed encoding, scalars as 32-byte little-endian canonical encodings, integers as
//! 8-byte little-endian (merlin's `append_u64`). Challenges are 64 bytes reduced mod ℓ, so
//! their bias is ≈ 2^-259.

use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use merlin::Transcript;

use crate::proof::SigmaError;

/// Extension methods on `merlin::Transcript` used throughout Greenlight.
pub trait TranscriptProtocol {
    /// Append a point that may legitimately be the identity (e.g. a public statement point
    /// that the protocol itself fixes).
    fn append_point(&mut self, label: &'static [u8], point: &CompressedRistretto);
    /// Append a point received from another party after checking it is not the identity.
    fn validate_and_append_point(
        &mut self,
        label: &'static [u8],
        point: &CompressedRistretto,
    ) -> Result<(), SigmaError>;
    /// Append a canonical scalar.
    fn append_scalar(&mut self, label: &'static [u8], scalar: &Scalar);
    /// Draw a uniformly distributed scalar challenge (64 bytes, reduced wide).
    fn challenge_scalar(&mut self, label: &'static [u8]) -> Scalar;
}

impl TranscriptProtocol for Transcript {
    fn append_point(&mut self, label: &'static [u8], point: &CompressedRistretto) {
        self.append_message(label, point.as_bytes());
    }

    fn validate_and_append_point(
        &mut self,
        label: &'static [u8],
        point: &CompressedRistretto,
    ) -> Result<(), SigmaError> {
        if point.is_identity() {
            return Err(SigmaError::IdentityPoint);
        }
        self.append_message(label, point.as_bytes());
        Ok(())
    }

    fn append_scalar(&mut self, label: &'static [u8], scalar: &Scalar) {
        self.append_message(label, scalar.as_bytes());
    }

    fn challenge_scalar(&mut self, label: &'static [u8]) -> Scalar {
        let mut wide = [0u8; 64];
        self.challenge_bytes(label, &mut wide);
        Scalar::from_bytes_mod_order_wide(&wide)
    }
}
