//! The token's public part — the ACL signature `(ζ, ζ1, ρ, ω, σ1, σ2, δ, μ)` — and its
//! verification:
//!
//! ```text
//!   ζ2 = ζ − ζ1
//!   ω + δ  ==  H(y, ζ, ζ1, ρ·g + ω·y, σ1·g + δ·ζ1, σ2·h + δ·ζ2, μ·z + δ·ζ, m)
//! ```
//! `H` is the merlin transcript of `acl_challenge`. `ζ1` is the token id: a venue that has
//! seen it already knows the token is being shown twice.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use greenlight_sigma::{labels, TranscriptProtocol};
use merlin::Transcript;

use crate::generators::generators;
use crate::keys::IssuerPublicKey;
use crate::token::TokenId;
use crate::AclError;

/// Size of the signature's wire encoding (`docs/spec.md` §6.2).
pub const ENCODED_LEN: usize = greenlight_wire::lengths::ACL_SIGNATURE;

/// The ACL signature on a token. All of it is shown to the venue.
///
/// Fields are crate-private: a signature always carries its points in both forms and its
/// 256-byte wire encoding (`ζ ‖ ζ1 ‖ ρ ‖ ω ‖ σ1 ‖ σ2 ‖ δ ‖ μ`), and the three must agree. The
/// encoding is kept as decoded (or as first encoded, for a signature built by issuance) so
/// that the presentation transcript binds the bytes that were sent without re-serialising
/// them (`docs/spec.md` §5.2 step 11).
#[derive(Clone, PartialEq, Eq)]
pub struct AclSignature {
    /// `ζ = γ·z`.
    pub(crate) zeta: RistrettoPoint,
    pub(crate) zeta_compressed: CompressedRistretto,
    /// `ζ1 = γ·z1 = γ·(C + rnd·g)`: the blinded attribute commitment, and the token id.
    pub(crate) zeta1: RistrettoPoint,
    pub(crate) zeta1_compressed: CompressedRistretto,
    pub(crate) rho: Scalar,
    pub(crate) omega: Scalar,
    pub(crate) sigma1: Scalar,
    pub(crate) sigma2: Scalar,
    pub(crate) delta: Scalar,
    pub(crate) mu: Scalar,
    /// The wire encoding of all of the above.
    pub(crate) encoded: [u8; ENCODED_LEN],
}

impl core::fmt::Debug for AclSignature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Public data, but 256 bytes of it are noise in a log: show the token id's start.
        write!(
            f,
            "AclSignature(ζ1 {:02x?}…)",
            &self.zeta1_compressed.as_bytes()[..4]
        )
    }
}

impl AclSignature {
    /// Build from its parts, computing both point encodings and the wire encoding. The
    /// parts are not checked here; [`AclSignature::verify_vartime`] checks them.
    pub(crate) fn from_parts(
        zeta: RistrettoPoint,
        zeta1: RistrettoPoint,
        [rho, omega, sigma1, sigma2, delta, mu]: [Scalar; 6],
    ) -> Self {
        let zeta_compressed = zeta.compress();
        let zeta1_compressed = zeta1.compress();
        let mut encoded = [0u8; ENCODED_LEN];
        let parts = [zeta_compressed.as_bytes(), zeta1_compressed.as_bytes()]
            .into_iter()
            .chain([&rho, &omega, &sigma1, &sigma2, &delta, &mu].map(Scalar::as_bytes));
        for (chunk, part) in encoded.chunks_exact_mut(32).zip(parts) {
            chunk.copy_from_slice(part);
        }
        Self::assemble(
            (zeta, zeta_compressed),
            (zeta1, zeta1_compressed),
            [rho, omega, sigma1, sigma2, delta, mu],
            encoded,
        )
    }

    /// The one constructor: the decoder already holds both forms of each point and the
    /// encoding, so nothing is recomputed (compressing costs an inversion per point).
    pub(crate) fn assemble(
        (zeta, zeta_compressed): (RistrettoPoint, CompressedRistretto),
        (zeta1, zeta1_compressed): (RistrettoPoint, CompressedRistretto),
        [rho, omega, sigma1, sigma2, delta, mu]: [Scalar; 6],
        encoded: [u8; ENCODED_LEN],
    ) -> Self {
        AclSignature {
            zeta,
            zeta_compressed,
            zeta1,
            zeta1_compressed,
            rho,
            omega,
            sigma1,
            sigma2,
            delta,
            mu,
            encoded,
        }
    }

    /// A signature from arbitrary parts, **for tests that tamper with signatures** (the
    /// fields are private so that the points and the stored encoding cannot disagree; this
    /// keeps them in agreement). Nothing is checked: a signature built here is as untrusted
    /// as one decoded from the wire and must go through [`AclSignature::verify_vartime`].
    #[doc(hidden)]
    pub fn from_parts_unchecked(
        zeta: RistrettoPoint,
        zeta1: RistrettoPoint,
        scalars: [Scalar; 6],
    ) -> Self {
        Self::from_parts(zeta, zeta1, scalars)
    }

    /// `ζ`.
    pub fn zeta(&self) -> &RistrettoPoint {
        &self.zeta
    }

    /// `ζ` as encoded on the wire.
    pub fn zeta_compressed(&self) -> &CompressedRistretto {
        &self.zeta_compressed
    }

    /// `ζ1`.
    pub fn zeta1(&self) -> &RistrettoPoint {
        &self.zeta1
    }

    /// `ζ1` as encoded on the wire.
    pub fn zeta1_compressed(&self) -> &CompressedRistretto {
        &self.zeta1_compressed
    }

    /// The token id, `Encode(ζ1)`: what a venue remembers to refuse a second show.
    pub fn token_id(&self) -> TokenId {
        self.zeta1_compressed.to_bytes()
    }

    /// The six scalars in wire order: `ρ, ω, σ1, σ2, δ, μ`.
    pub fn scalars(&self) -> [Scalar; 6] {
        [
            self.rho,
            self.omega,
            self.sigma1,
            self.sigma2,
            self.delta,
            self.mu,
        ]
    }

    /// The 256-byte wire encoding (`docs/spec.md` §6.2), exactly as decoded or first
    /// encoded.
    pub fn as_bytes(&self) -> &[u8; ENCODED_LEN] {
        &self.encoded
    }
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
