//! Proving and verifying a [`LinearRelation`] in compact form `(c, s_1 … s_n)`.
//!
//! Prover, with witness `x_1 … x_n` and nonces `r_i`:
//! ```text
//!   A_j = Σ_i r_{i} · G_ij            (one commitment per equation, appended to the transcript)
//!   c   = challenge(transcript)
//!   s_i = r_i + c · x_i
//! ```
//! Verifier recomputes `A_j = Σ_i s_i · G_ij − c · P_j`, appends them the same way, draws `c'`
//! and accepts iff `c' == c`. Sending `c` instead of the `A_j` makes the proof
//! `32 · (n + 1)` bytes regardless of the number of equations.
//!
//! The nonces come from merlin's transcript RNG rekeyed with the witness and then with the
//! caller's RNG, so a weak external RNG alone cannot leak the witness (the construction the
//! `bulletproofs` crate uses). Proving uses constant-time multiscalar multiplication;
//! verification is variable-time, which is fine because it touches only public data.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{MultiscalarMul, VartimeMultiscalarMul};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use crate::labels;
use crate::relation::LinearRelation;
use crate::transcript::TranscriptProtocol;

/// `1/2 mod ℓ`, i.e. `(ℓ + 1) / 2`, little-endian.
const HALF_BYTES: [u8; 32] = [
    0xf7, 0xe9, 0x7a, 0x2e, 0x8d, 0x31, 0x09, 0x2c, 0x6b, 0xce, 0x7b, 0x51, 0xef, 0x7c, 0x6f, 0x0a,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
];

/// `1/2 mod ℓ` as a scalar.
pub fn half() -> Scalar {
    Scalar::from_bytes_mod_order(HALF_BYTES)
}

/// Compressing a point costs an inverse square root. `double_and_compress_batch` encodes
/// `2·P_i` for a whole batch with a single field inversion, so callers that compress
/// several freshly computed points compute each **halved** (every scalar times 1/2) and
/// let the batch double them back. Same bytes as compressing one by one.
pub fn compress_halved_batch(
    halved: &[RistrettoPoint],
) -> Vec<curve25519_dalek::ristretto::CompressedRistretto> {
    RistrettoPoint::double_and_compress_batch(halved)
}

/// Why a Σ-proof (or a point fed to a transcript) was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SigmaError {
    #[error("the proof does not verify")]
    VerificationFailed,
    #[error("the proof has the wrong number of responses")]
    WrongLength,
    #[error("an identity point was supplied where it is not allowed")]
    IdentityPoint,
}

/// A Σ-proof in compact form: the challenge and one response per secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompactProof {
    /// The Fiat–Shamir challenge `c`.
    pub challenge: Scalar,
    /// The responses `s_i = r_i + c·x_i`, in secret order.
    pub responses: Vec<Scalar>,
}

impl CompactProof {
    /// Prove knowledge of `witness` satisfying `relation`.
    ///
    /// The caller must already have appended to `transcript` every point of the statement
    /// that is not a fixed generator (see `LinearRelation::append_shape`'s note).
    ///
    /// # Panics
    /// If `witness.len() != relation.secrets()` (a programming error, never input-driven).
    pub fn prove_with_rng<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        relation: &LinearRelation,
        witness: &[Scalar],
        rng: &mut R,
    ) -> CompactProof {
        assert_eq!(witness.len(), relation.secrets(), "witness length");
        relation.append_shape(transcript);

        let mut builder = transcript.build_rng();
        for x in witness {
            builder = builder.rekey_with_witness_bytes(labels::SIGMA_WITNESS, x.as_bytes());
        }
        let mut nonce_rng = builder.finalize(rng);
        let nonces: Zeroizing<Vec<Scalar>> = Zeroizing::new(
            (0..witness.len())
                .map(|_| Scalar::random(&mut nonce_rng))
                .collect(),
        );

        for eq in relation.equations() {
            let commitment = RistrettoPoint::multiscalar_mul(
                eq.terms.iter().map(|t| nonces[t.secret]),
                eq.terms.iter().map(|t| t.base),
            );
            transcript.append_point(labels::SIGMA_COMMITMENT, &commitment.compress());
        }
        let challenge = transcript.challenge_scalar(labels::SIGMA_CHALLENGE);
        let responses = nonces
            .iter()
            .zip(witness)
            .map(|(r, x)| r + challenge * x)
            .collect();
        CompactProof {
            challenge,
            responses,
        }
    }

    /// Verify the proof against `relation` (variable time: public data only).
    pub fn verify_vartime(
        &self,
        transcript: &mut Transcript,
        relation: &LinearRelation,
    ) -> Result<(), SigmaError> {
        if self.responses.len() != relation.secrets() {
            return Err(SigmaError::WrongLength);
        }
        relation.append_shape(transcript);
        // Halved responses and challenge: see `compress_halved_batch`.
        let half = half();
        let minus_c = -(self.challenge * half);
        let responses: Vec<Scalar> = self.responses.iter().map(|s| s * half).collect();
        let halved: Vec<RistrettoPoint> = relation
            .equations()
            .iter()
            .map(|eq| {
                RistrettoPoint::vartime_multiscalar_mul(
                    eq.terms
                        .iter()
                        .map(|t| responses[t.secret])
                        .chain(core::iter::once(minus_c)),
                    eq.terms
                        .iter()
                        .map(|t| t.base)
                        .chain(core::iter::once(eq.lhs)),
                )
            })
            .collect();
        for commitment in compress_halved_batch(&halved) {
            transcript.append_point(labels::SIGMA_COMMITMENT, &commitment);
        }
        let challenge = transcript.challenge_scalar(labels::SIGMA_CHALLENGE);
        // Both values are public, so a plain comparison is fine here.
        if challenge == self.challenge {
            Ok(())
        } else {
            Err(SigmaError::VerificationFailed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn h(label: &[u8]) -> RistrettoPoint {
        RistrettoPoint::hash_from_bytes::<sha2_shim::Sha512>(label)
    }
    mod sha2_shim {
        pub use sha2::Sha512;
    }

    /// Equality of discrete logs: P = x·G, Q = x·H, plus a two-base equation.
    fn statement(x: Scalar, y: Scalar) -> (LinearRelation, Vec<Scalar>) {
        let hb = h(b"test/H");
        let kb = h(b"test/K");
        let mut rel = LinearRelation::new(2);
        rel.equation(x * G, &[(0, G)])
            .equation(x * hb, &[(0, hb)])
            .equation(x * G + y * kb, &[(0, G), (1, kb)]);
        (rel, vec![x, y])
    }

    #[test]
    fn honest_proof_verifies_and_tampering_fails() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let (rel, w) = statement(Scalar::random(&mut rng), Scalar::random(&mut rng));
        let proof = CompactProof::prove_with_rng(&mut Transcript::new(b"t"), &rel, &w, &mut rng);
        assert_eq!(
            proof.verify_vartime(&mut Transcript::new(b"t"), &rel),
            Ok(())
        );
        // Different transcript label: the challenge changes.
        assert!(proof
            .verify_vartime(&mut Transcript::new(b"u"), &rel)
            .is_err());
        // Each response and the challenge are load-bearing.
        for i in 0..proof.responses.len() {
            let mut bad = proof.clone();
            bad.responses[i] += Scalar::ONE;
            assert_eq!(
                bad.verify_vartime(&mut Transcript::new(b"t"), &rel),
                Err(SigmaError::VerificationFailed)
            );
        }
        let mut bad = proof.clone();
        bad.challenge += Scalar::ONE;
        assert!(bad
            .verify_vartime(&mut Transcript::new(b"t"), &rel)
            .is_err());
        let mut short = proof.clone();
        short.responses.pop();
        assert_eq!(
            short.verify_vartime(&mut Transcript::new(b"t"), &rel),
            Err(SigmaError::WrongLength)
        );
    }

    #[test]
    fn half_is_the_inverse_of_two() {
        assert_eq!(half() * Scalar::from(2u8), Scalar::ONE);
        let p = h(b"test/half");
        let q = h(b"test/half2");
        let batch = compress_halved_batch(&[p * half(), q * half()]);
        assert_eq!(batch, vec![p.compress(), q.compress()]);
    }

    #[test]
    fn wrong_witness_does_not_verify() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let (rel, mut w) = statement(Scalar::random(&mut rng), Scalar::random(&mut rng));
        w[1] += Scalar::ONE;
        let proof = CompactProof::prove_with_rng(&mut Transcript::new(b"t"), &rel, &w, &mut rng);
        assert!(proof
            .verify_vartime(&mut Transcript::new(b"t"), &rel)
            .is_err());
    }

    #[test]
    fn identity_points_are_refused_by_validate() {
        use curve25519_dalek::ristretto::CompressedRistretto;
        let mut t = Transcript::new(b"t");
        assert_eq!(
            t.validate_and_append_point(b"p", &CompressedRistretto([0u8; 32])),
            Err(SigmaError::IdentityPoint)
        );
        assert!(t.validate_and_append_point(b"p", &G.compress()).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn prove_verify_random_witnesses(seed in proptest::prelude::any::<u64>()) {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let (rel, w) = statement(Scalar::random(&mut rng), Scalar::random(&mut rng));
            let proof = CompactProof::prove_with_rng(&mut Transcript::new(b"p"), &rel, &w, &mut rng);
            proptest::prop_assert!(proof.verify_vartime(&mut Transcript::new(b"p"), &rel).is_ok());
        }
    }
}
