//! The token's public part — the ACL signature `(ζ, ζ1, ρ, ω, σ1, σ2, δ, μ)` — and its
//! verification:
//!
//! ```text
//!   ζ2 = ζ − ζ1
//!   ω + δ  ==  H(y, ζ, ζ1, ρ·g + ω·y, σ1·g + δ·ζ1, σ2·h + δ·ζ2, μ·z + δ·ζ, m)
//! ```
//! `H` is the merlin transcript of [`acl_challenge`]. `ζ1` is the token id: a venue that has
//! seen it already knows the token is being shown twice.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use greenlight_sigma::{labels, TranscriptProtocol};
use merlin::Transcript;

use crate::generators::generators;
use crate::keys::IssuerPublicKey;
use crate::AclError;

/// The ACL signature on a token. All of it is shown to the venue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclSignature {
    /// `ζ = γ·z`.
    pub zeta: RistrettoPoint,
    pub zeta_compressed: CompressedRistretto,
    /// `ζ1 = γ·z1 = γ·(C + rnd·g)`: the blinded attribute commitment, and the token id.
    pub zeta1: RistrettoPoint,
    pub zeta1_compressed: CompressedRistretto,
    pub rho: Scalar,
    pub omega: Scalar,
    pub sigma1: Scalar,
    pub sigma2: Scalar,
    pub delta: Scalar,
    pub mu: Scalar,
}

/// `ε = H(y, ζ, ζ1, α, β1, β2, η, m)` as a merlin transcript (`docs/spec.md` §3.3).
pub(crate) fn acl_challenge(
    y: &CompressedRistretto,
    zeta: &CompressedRistretto,
    zeta1: &CompressedRistretto,
    alpha: &RistrettoPoint,
    beta1: &RistrettoPoint,
    beta2: &RistrettoPoint,
    eta: &RistrettoPoint,
) -> Scalar {
    let mut t = Transcript::new(labels::ACL_TRANSCRIPT);
    t.append_point(labels::ISSUER_Y, y);
    t.append_point(labels::ACL_ZETA, zeta);
    t.append_point(labels::ACL_ZETA1, zeta1);
    t.append_point(labels::ACL_ALPHA, &alpha.compress());
    t.append_point(labels::ACL_BETA1, &beta1.compress());
    t.append_point(labels::ACL_BETA2, &beta2.compress());
    t.append_point(labels::ACL_ETA, &eta.compress());
    t.append_message(labels::ACL_M, labels::ACL_MESSAGE);
    t.challenge_scalar(labels::ACL_EPSILON)
}

impl AclSignature {
    /// Verify under `pk` (variable time: every input is public).
    ///
    /// The decoder already refused identity points and `ζ1 == ζ`; this re-checks the latter
    /// because signatures can also be built in memory.
    pub fn verify_vartime(&self, pk: &IssuerPublicKey) -> Result<(), AclError> {
        if self.zeta_compressed == self.zeta1_compressed {
            return Err(AclError::BadSignature);
        }
        let gens = generators();
        let zeta2 = self.zeta - self.zeta1;
        let alpha =
            RistrettoPoint::vartime_double_scalar_mul_basepoint(&self.omega, &pk.y, &self.rho);
        let beta1 = RistrettoPoint::vartime_double_scalar_mul_basepoint(
            &self.delta,
            &self.zeta1,
            &self.sigma1,
        );
        let beta2 =
            RistrettoPoint::vartime_multiscalar_mul([self.sigma2, self.delta], [gens.h, zeta2]);
        let eta = RistrettoPoint::vartime_multiscalar_mul([self.mu, self.delta], [pk.z, self.zeta]);
        let epsilon = acl_challenge(
            &pk.y_compressed,
            &self.zeta_compressed,
            &self.zeta1_compressed,
            &alpha,
            &beta1,
            &beta2,
            &eta,
        );
        if self.omega + self.delta == epsilon {
            Ok(())
        } else {
            Err(AclError::BadSignature)
        }
    }
}
