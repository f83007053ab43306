//! The attributes an issuer certifies, and how each becomes a scalar.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::MultiscalarMul;
use greenlight_sigma::labels;
use sha2::Sha512;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::generators::generators;

/// The issuer-certified attributes of one token. Personal data: zeroized on drop.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Attributes {
    /// `st`: status colour (the wire byte of a [`greenlight_wire::Status`]).
    pub status: u8,
    /// `ts`: issuance time in whole hours since the Unix epoch.
    pub time_hours: u32,
    /// `tr`: travel history encoding (`greenlight-protocol`'s packing of region codes).
    pub travel: Scalar,
    /// `id`: subject handle scalar ([`Attributes::subject_scalar`]).
    pub subject: Scalar,
}

impl Attributes {
    /// `id = SHA-512("greenlight/v1/subject" ‖ handle) mod ℓ`. The handle is already an
    /// opaque pseudonym chosen by the authority; hashing fixes its size.
    pub fn subject_scalar(handle: &str) -> Scalar {
        let mut input = Vec::with_capacity(labels::SUBJECT.len() + handle.len());
        input.extend_from_slice(labels::SUBJECT);
        input.extend_from_slice(handle.as_bytes());
        Scalar::hash_from_bytes::<Sha512>(&input)
    }

    /// `st·h_st + ts·h_ts + tr·h_tr + id·h_id`: the issuer's contribution to `C`. The same for
    /// every token of a batch, so it is computed once per batch.
    pub fn point(&self) -> RistrettoPoint {
        let gens = generators();
        RistrettoPoint::multiscalar_mul(
            [
                Scalar::from(self.status),
                Scalar::from(self.time_hours),
                self.travel,
                self.subject,
            ],
            [gens.h_st, gens.h_ts, gens.h_tr, gens.h_id],
        )
    }
}
