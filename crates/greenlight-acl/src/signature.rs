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
    let [a, b1, b2, e] = [alpha, beta1, beta2, eta].map(|p| p.compress());
    acl_challenge_compressed(y, zeta, zeta1, [&a, &b1, &b2, &e])
}

/// [`acl_challenge`] with `α, β1, β2, η` already compressed.
pub(crate) fn acl_challenge_compressed(
    y: &CompressedRistretto,
    zeta: &CompressedRistretto,
    zeta1: &CompressedRistretto,
    [alpha, beta1, beta2, eta]: [&CompressedRistretto; 4],
) -> Scalar {
    let mut t = Transcript::new(labels::ACL_TRANSCRIPT);
    t.append_point(labels::ISSUER_Y, y);
    t.append_point(labels::ACL_ZETA, zeta);
    t.append_point(labels::ACL_ZETA1, zeta1);
    t.append_point(labels::ACL_ALPHA, alpha);
    t.append_point(labels::ACL_BETA1, beta1);
    t.append_point(labels::ACL_BETA2, beta2);
    t.append_point(labels::ACL_ETA, eta);
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
        // Compute each point halved and encode all four with one inversion
        // (`greenlight_sigma::proof::compress_halved_batch`).
        let half = greenlight_sigma::proof::half();
        let (rho, omega) = (self.rho * half, self.omega * half);
        let (sigma1, sigma2) = (self.sigma1 * half, self.sigma2 * half);
        let (delta, mu) = (self.delta * half, self.mu * half);
        let alpha = RistrettoPoint::vartime_double_scalar_mul_basepoint(&omega, &pk.y, &rho);
        let beta1 =
            RistrettoPoint::vartime_double_scalar_mul_basepoint(&delta, &self.zeta1, &sigma1);
        let beta2 = RistrettoPoint::vartime_multiscalar_mul([sigma2, delta], [gens.h, zeta2]);
        let eta = RistrettoPoint::vartime_multiscalar_mul([mu, delta], [pk.z, self.zeta]);
        let c = greenlight_sigma::proof::compress_halved_batch(&[alpha, beta1, beta2, eta]);
        let epsilon = acl_challenge_compressed(
            &pk.y_compressed,
            &self.zeta_compressed,
            &self.zeta1_compressed,
            [&c[0], &c[1], &c[2], &c[3]],
        );
        if self.omega + self.delta == epsilon {
            Ok(())
        } else {
            Err(AclError::BadSignature)
        }
    }
}
