//! The holder's side of issuance.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, MultiscalarMul};
use greenlight_sigma::CompactProof;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::messages::*;
use super::{check_batch, check_key, check_len, registration_relation, registration_transcript};
use crate::attributes::Attributes;
use crate::generators::generators;
use crate::keys::IssuerPublicKey;
use crate::signature::{acl_challenge, AclSignature};
use crate::token::Token;
use crate::AclError;

fn nonzero_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Scalar {
    loop {
        let s = Scalar::random(rng);
        if s != Scalar::ZERO {
            return s;
        }
    }
}

/// Entry point of the holder's side.
pub struct HolderRequest;

#[derive(Zeroize, ZeroizeOnDrop)]
struct Opening {
    r: Scalar,
    k: Scalar,
}

/// After registration: the holder's `(R, k)` per token.
pub struct HolderRegistered {
    pk: IssuerPublicKey,
    openings: Vec<Opening>,
    c_u: Vec<RistrettoPoint>,
}

/// Everything the holder keeps between its challenge and the issuer's answer.
#[derive(Zeroize, ZeroizeOnDrop)]
struct Pending {
    opening: Opening,
    rnd: Scalar,
    gamma: Scalar,
    tau: Scalar,
    t: [Scalar; 5],
    #[zeroize(skip)]
    zeta: RistrettoPoint,
    #[zeroize(skip)]
    zeta1: RistrettoPoint,
}

/// After the challenge: waiting for the issuer's answers.
pub struct HolderChallenged {
    pk: IssuerPublicKey,
    attributes: Attributes,
    pending: Vec<Pending>,
}

impl HolderRequest {
    /// Pick a fresh `R` for each of `n` tokens, commit to it with the holder secret `k`
    /// (the wallet profile's secret, the same in all its tokens: it never leaves the wallet
    /// and is proven, never shown) and prove knowledge of `(R, k)`. `binding` is the ticket
    /// id: the issuer checks the proofs against the same value.
    pub fn new_with_rng<R: RngCore + CryptoRng>(
        pk: &IssuerPublicKey,
        binding: &[u8],
        holder_secret: &Scalar,
        n: usize,
        rng: &mut R,
    ) -> Result<(HolderRegistered, RegistrationBatch), AclError> {
        check_batch(n)?;
        let gens = generators();
        let mut openings = Vec::with_capacity(n);
        let mut c_us = Vec::with_capacity(n);
        let mut registrations = Vec::with_capacity(n);
        for index in 0..n {
            let opening = Opening {
                r: nonzero_scalar(rng),
                k: *holder_secret,
            };
            let c_u = RistrettoPoint::multiscalar_mul([opening.r, opening.k], [gens.h_r, gens.h_k]);
            let c_u_compressed = c_u.compress();
            let mut t = registration_transcript(&pk.key_id, binding, index, &c_u_compressed)?;
            let proof = CompactProof::prove_with_rng(
                &mut t,
                &registration_relation(c_u),
                &[opening.r, opening.k],
                rng,
            );
            registrations.push(Registration {
                c_u,
                c_u_compressed,
                proof,
            });
            openings.push(opening);
            c_us.push(c_u);
        }
        Ok((
            HolderRegistered {
                pk: pk.clone(),
                openings,
                c_u: c_us,
            },
            RegistrationBatch {
                key_id: pk.key_id,
                registrations,
            },
        ))
    }
}

impl HolderRegistered {
    /// Blind each issuer commitment and derive the challenge `e = ε − t2 − t4`.
    ///
    /// The caller should check `msg.attributes` (status, travel against its ticket; the time
    /// against its own clock) *before* calling this: the attributes are what it will be able
    /// to prove later.
    pub fn challenge_with_rng<R: RngCore + CryptoRng>(
        self,
        msg: &CommitmentBatch,
        rng: &mut R,
    ) -> Result<(HolderChallenged, ChallengeBatch), AclError> {
        let HolderRegistered { pk, openings, c_u } = self;
        check_key(pk.key_id, msg.key_id)?;
        check_len(openings.len(), msg.commitments.len())?;
        let gens = generators();
        let attr_point = msg.attributes.point();
        let mut pending = Vec::with_capacity(openings.len());
        let mut challenges = Vec::with_capacity(openings.len());
        for (i, (opening, com)) in openings.iter().zip(&msg.commitments).enumerate() {
            // z1 = C + rnd·g with C = C_u + st·h_st + ts·h_ts + tr·h_tr + id·h_id.
            let z1 = c_u[i] + attr_point + gens.g_table() * &com.rnd;
            let z2 = pk.z - z1;
            if z1.is_identity()
                || z2.is_identity()
                || com.a.is_identity()
                || com.b1.is_identity()
                || com.b2.is_identity()
            {
                return Err(AclError::Degenerate);
            }
            let gamma = nonzero_scalar(rng);
            let tau = Scalar::random(rng);
            let t = [(); 5].map(|_| Scalar::random(rng));
            let zeta = pk.z * gamma;
            let zeta1 = z1 * gamma;
            let zeta2 = zeta - zeta1;
            let eta = pk.z * tau;
            let alpha =
                RistrettoPoint::multiscalar_mul([Scalar::ONE, t[0], t[1]], [com.a, gens.g, pk.y]);
            let beta1 =
                RistrettoPoint::multiscalar_mul([gamma, t[2], t[3]], [com.b1, gens.g, zeta1]);
            let beta2 =
                RistrettoPoint::multiscalar_mul([gamma, t[4], t[3]], [com.b2, gens.h, zeta2]);
            let zc: CompressedRistretto = zeta.compress();
            let z1c = zeta1.compress();
            let epsilon = acl_challenge(&pk.y_compressed, &zc, &z1c, &alpha, &beta1, &beta2, &eta);
            challenges.push(epsilon - t[1] - t[3]);
            // Copy the opening rather than move it out of the vector: moved-out elements would
            // leave bitwise copies behind in the old buffer; this way `openings` is zeroized
            // element by element when it drops.
            pending.push(Pending {
                opening: Opening {
                    r: opening.r,
                    k: opening.k,
                },
                rnd: com.rnd,
                gamma,
                tau,
                t,
                zeta,
                zeta1,
            });
        }
        Ok((
            HolderChallenged {
                pk,
                attributes: msg.attributes.clone(),
                pending,
            },
            ChallengeBatch {
                key_id: msg.key_id,
                challenges,
            },
        ))
    }
}

impl HolderChallenged {
    /// The attributes the tokens will carry.
    pub fn attributes(&self) -> &Attributes {
        &self.attributes
    }

    /// Un-blind the answers into tokens, **verifying every token before returning it**: a
    /// token that does not verify is an issuer error (or an attack) and fails the batch.
    pub fn finish(self, msg: &AnswerBatch) -> Result<Vec<Token>, AclError> {
        check_key(self.pk.key_id, msg.key_id)?;
        check_len(self.pending.len(), msg.answers.len())?;
        let mut tokens = Vec::with_capacity(self.pending.len());
        for (i, (p, ans)) in self.pending.iter().zip(&msg.answers).enumerate() {
            let delta = ans.d + p.t[3];
            let signature = AclSignature::from_parts(
                p.zeta,
                p.zeta1,
                [
                    ans.r + p.t[0],            // ρ
                    ans.c + p.t[1],            // ω
                    p.gamma * ans.s1 + p.t[2], // σ1
                    p.gamma * ans.s2 + p.t[4], // σ2
                    delta,                     // δ
                    p.tau - delta * p.gamma,   // μ
                ],
            );
            signature
                .verify_vartime(&self.pk)
                .map_err(|_| AclError::BadToken(i))?;
            tokens.push(Token {
                key_id: self.pk.key_id,
                attributes: self.attributes.clone(),
                kappa: p.gamma.invert(),
                rnd: p.rnd,
                r: p.opening.r,
                k: p.opening.k,
                signature,
            });
        }
        Ok(tokens)
    }
}
