//! The issuer's side of issuance.
//!
//! Per token the issuer computes, with `C = C_u + A` (`A` = the attribute point, once per
//! batch) and fresh `rnd, u, s1, s2, d`:
//! ```text
//!   z1 = C + rnd·g          a  = u·g
//!   b1 = s1·g + d·z1        b2 = s2·h + d·z2 = s2·h + d·z − d·z1
//! ```
//! The last form costs one variable-base multiplication (`d·z1`) per token: `d·z` and the
//! `g`, `h` terms use constant-time precomputed tables.

use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::messages::*;
use super::{check_batch, check_key, check_len, registration_relation, registration_transcript};
use crate::attributes::Attributes;
use crate::generators::generators;
use crate::keys::{IssuerKeyPair, KeyId};
use crate::AclError;

/// Entry point of the issuer's side.
pub struct IssuerSession;

#[derive(Zeroize, ZeroizeOnDrop)]
struct SessionSecret {
    u: Scalar,
    s1: Scalar,
    s2: Scalar,
    d: Scalar,
}

/// Committed, not yet answered. Holds per-token secrets `(u, s1, s2, d)`, zeroized on drop.
/// Not `Clone`: [`IssuerCommitted::answer`] consumes it, so the type system allows exactly
/// one answer per commitment. (A server must also make the *lookup* of this state atomic —
/// remove it from its session table before answering — see `server/`.) The only way its
/// secrets leave it is [`IssuerCommitted::seal`], encrypted for a database several nodes
/// share; a store that hands a sealed session out twice breaks the one-answer rule, so
/// single use there is the store's duty (`greenlight-store-pg`).
pub struct IssuerCommitted {
    key_id: KeyId,
    secrets: Vec<SessionSecret>,
}

impl IssuerSession {
    /// Check every registration proof, then commit to each token.
    ///
    /// `binding` must be the same value the holder bound its proofs to (the ticket id).
    pub fn commit_with_rng<R: RngCore + CryptoRng>(
        key: &IssuerKeyPair,
        binding: &[u8],
        attributes: Attributes,
        msg: &RegistrationBatch,
        rng: &mut R,
    ) -> Result<(IssuerCommitted, CommitmentBatch), AclError> {
        let key_id = key.public().key_id();
        check_key(key_id, msg.key_id)?;
        check_batch(msg.registrations.len())?;
        for (index, reg) in msg.registrations.iter().enumerate() {
            let mut t = registration_transcript(&key_id, binding, index, &reg.c_u_compressed)
                .map_err(|_| AclError::BadRegistration(index))?;
            reg.proof
                .verify_vartime(&mut t, &registration_relation(reg.c_u))
                .map_err(|_| AclError::BadRegistration(index))?;
        }

        let gens = generators();
        let g = gens.g_table();
        let attr_point = attributes.point();
        let dz_table = key.z_table();
        let mut secrets = Vec::with_capacity(msg.registrations.len());
        let mut commitments = Vec::with_capacity(msg.registrations.len());
        for reg in &msg.registrations {
            let c = reg.c_u + attr_point;
            let (rnd, z1) = loop {
                let rnd = Scalar::random(rng);
                let z1 = c + g * &rnd;
                // z1 = identity or z1 = z would give the holder degenerate tags; probability
                // 2^-252, but cheap to exclude.
                if !z1.is_identity() && z1 != key.public().z {
                    break (rnd, z1);
                }
            };
            let s = SessionSecret {
                u: Scalar::random(rng),
                s1: Scalar::random(rng),
                s2: Scalar::random(rng),
                d: Scalar::random(rng),
            };
            let d_z1 = z1 * s.d;
            let a = g * &s.u;
            let b1 = g * &s.s1 + d_z1;
            let b2 = &gens.h_table * &s.s2 + dz_table * &s.d - d_z1;
            commitments.push(IssuerCommitment { rnd, a, b1, b2 });
            secrets.push(s);
        }
        Ok((
            IssuerCommitted { key_id, secrets },
            CommitmentBatch {
                key_id,
                attributes,
                commitments,
            },
        ))
    }
}

/// Bytes of one token's secrets in [`IssuerCommitted::to_secret_bytes`]: `u, s1, s2, d`.
const SECRET_LEN: usize = 4 * 32;

impl IssuerCommitted {
    /// The session's secrets as bytes, only for [`super::seal`] (which encrypts them):
    /// whoever learns them and sees the holder's challenge and the answer computes the
    /// issuing key (`x = (u − r)/c`).
    ///
    /// Layout: `key_id (8) ‖ n (u8) ‖ n × (u ‖ s1 ‖ s2 ‖ d)`, scalars canonical little-endian.
    /// The buffer is allocated once at its final size and zeroized on drop.
    pub(super) fn to_secret_bytes(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut out =
            zeroize::Zeroizing::new(Vec::with_capacity(8 + 1 + self.secrets.len() * SECRET_LEN));
        out.extend_from_slice(&self.key_id.0);
        // `check_batch` bounds every session at 64 tokens.
        out.push(u8::try_from(self.secrets.len()).unwrap_or(u8::MAX));
        for s in &self.secrets {
            for v in [&s.u, &s.s1, &s.s2, &s.d] {
                out.extend_from_slice(v.as_bytes());
            }
        }
        out
    }

    /// The inverse of [`Self::to_secret_bytes`]: rejects a wrong length, a batch size
    /// outside `1..=64` and non-canonical scalars.
    pub(super) fn from_secret_bytes(bytes: &[u8]) -> Result<Self, AclError> {
        let (head, rest) = bytes
            .split_at_checked(9)
            .ok_or(greenlight_wire::WireError::Truncated)?;
        let mut key_id = [0u8; 8];
        key_id.copy_from_slice(&head[..8]);
        let n = usize::from(head[8]);
        check_batch(n)?;
        if rest.len() != n * SECRET_LEN {
            return Err(AclError::BatchSize {
                expected: n,
                got: rest.len() / SECRET_LEN,
            });
        }
        let scalar = |b: &[u8]| -> Result<Scalar, AclError> {
            let mut a = [0u8; 32];
            a.copy_from_slice(b);
            let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(a));
            a.zeroize();
            s.ok_or(AclError::Wire(
                greenlight_wire::WireError::NonCanonicalScalar,
            ))
        };
        let secrets = rest
            .chunks_exact(SECRET_LEN)
            .map(|c| {
                Ok(SessionSecret {
                    u: scalar(&c[..32])?,
                    s1: scalar(&c[32..64])?,
                    s2: scalar(&c[64..96])?,
                    d: scalar(&c[96..])?,
                })
            })
            .collect::<Result<Vec<_>, AclError>>()?;
        Ok(IssuerCommitted {
            key_id: KeyId(key_id),
            secrets,
        })
    }

    /// Number of tokens in this session.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// Answer the holder's challenges: `c = e − d`, `r = u − c·x`. Consumes the session
    /// whether or not the challenge is well-formed, and its secrets are zeroized when this
    /// returns.
    pub fn answer(
        self,
        key: &IssuerKeyPair,
        msg: &ChallengeBatch,
    ) -> Result<AnswerBatch, AclError> {
        check_key(self.key_id, key.public().key_id())?;
        check_key(self.key_id, msg.key_id)?;
        check_len(self.secrets.len(), msg.challenges.len())?;
        let x = key.secret().x();
        let answers = self
            .secrets
            .iter()
            .zip(&msg.challenges)
            .map(|(s, e)| {
                let c = e - s.d;
                IssuerAnswer {
                    c,
                    r: s.u - c * x,
                    s1: s.s1,
                    s2: s.s2,
                    d: s.d,
                }
            })
            .collect();
        Ok(AnswerBatch {
            key_id: self.key_id,
            answers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed(n: usize) -> IssuerCommitted {
        IssuerCommitted {
            key_id: KeyId([5; 8]),
            secrets: (0..n)
                .map(|i| SessionSecret {
                    u: Scalar::from(i as u64 + 1),
                    s1: Scalar::from(2u64),
                    s2: Scalar::from(3u64),
                    d: Scalar::from(4u64),
                })
                .collect(),
        }
    }

    /// The plaintext inside a sealed session: it round-trips, and the decoder refuses every
    /// malformed form (what a node with the right seal key but a corrupt row would meet).
    #[test]
    fn secret_bytes_round_trip_and_refuse_malformed_forms() {
        let bytes = committed(3).to_secret_bytes();
        assert_eq!(bytes.len(), 8 + 1 + 3 * SECRET_LEN);
        let back = IssuerCommitted::from_secret_bytes(&bytes).unwrap();
        assert_eq!(*back.to_secret_bytes(), *bytes);
        for cut in 0..bytes.len() {
            assert!(
                IssuerCommitted::from_secret_bytes(&bytes[..cut]).is_err(),
                "cut {cut}"
            );
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(IssuerCommitted::from_secret_bytes(&longer).is_err());
        for n in [0u8, 65] {
            let mut b = bytes.to_vec();
            b[8] = n;
            assert!(IssuerCommitted::from_secret_bytes(&b).is_err(), "n = {n}");
        }
        for offset in (9..bytes.len()).step_by(32) {
            let mut b = bytes.to_vec();
            b[offset..offset + 32].copy_from_slice(&[0xff; 32]);
            assert!(
                IssuerCommitted::from_secret_bytes(&b).is_err(),
                "offset {offset}"
            );
        }
    }
}
