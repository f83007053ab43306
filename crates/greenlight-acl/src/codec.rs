//! Wire format v1 of the ACL objects (`docs/spec.md` §6). Layouts, all fields fixed-size:
//!
//! ```text
//! IssuerPublicKey   01 07 | y(32)
//! Token             01 01 | key_id(8) | attributes(69) | κ rnd R k (4×32) | signature(256)
//! attributes        st(1) | ts_hours(u32 BE) | tr(32) | id(32)
//! signature         ζ(32) ζ1(32) | ρ ω σ1 σ2 δ μ (6×32)
//! RegistrationBatch 01 03 | key_id | n(u16 BE) | n × [C_u(32) c(32) s_R(32) s_k(32)]
//! CommitmentBatch   01 04 | key_id | attributes | n | n × [rnd(32) a(32) b1(32) b2(32)]
//! ChallengeBatch    01 05 | key_id | n | n × e(32)
//! AnswerBatch       01 06 | key_id | n | n × [c r s1 s2 d (5×32)]
//! ```
//! Every scalar canonical, every point canonical and not the identity, `ζ1 ≠ ζ`,
//! `1 ≤ n ≤ 64`, status ∈ {1, 2, 3}, no trailing bytes.

use greenlight_sigma::CompactProof;
use greenlight_wire::{lengths, tags, Reader, Status, WireError, Writer};

use crate::attributes::Attributes;
use crate::issuance::messages::*;
use crate::keys::{IssuerPublicKey, KeyId};
use crate::signature::AclSignature;
use crate::token::Token;

// ---- shared pieces (also used by `greenlight-circuits`) ---------------------------------

/// Append a signature's 256-byte encoding (the bytes it was decoded from, or first
/// encoded as: never re-serialised).
pub fn write_signature(w: &mut Writer, s: &AclSignature) {
    w.bytes(s.as_bytes());
}

/// Read a signature (`ζ ‖ ζ1 ‖ ρ ‖ ω ‖ σ1 ‖ σ2 ‖ δ ‖ μ`), keeping its encoding. Points must
/// decode and not be the identity, scalars must be canonical, and `ζ1 ≠ ζ`.
pub fn read_signature(r: &mut Reader<'_>) -> Result<AclSignature, WireError> {
    let encoded: [u8; lengths::ACL_SIGNATURE] = r.array()?;
    let mut fields = Reader::new(&encoded);
    let (zeta_compressed, zeta) = fields.point()?;
    let (zeta1_compressed, zeta1) = fields.point()?;
    if zeta_compressed == zeta1_compressed {
        // ζ2 = ζ − ζ1 would be the identity: a degenerate tag.
        return Err(WireError::InvalidField("zeta1 equals zeta"));
    }
    let mut scalars = [curve25519_dalek::scalar::Scalar::ZERO; 6];
    for s in &mut scalars {
        *s = fields.scalar()?;
    }
    fields.finish()?;
    Ok(AclSignature::assemble(
        (zeta, zeta_compressed),
        (zeta1, zeta1_compressed),
        scalars,
        encoded,
    ))
}

fn write_attributes(w: &mut Writer, a: &Attributes) {
    w.u8(a.status)
        .u32(a.time_hours)
        .scalar(&a.travel)
        .scalar(&a.subject);
}

fn read_attributes(r: &mut Reader<'_>) -> Result<Attributes, WireError> {
    let status = r.u8()?;
    if Status::from_u8(status).is_err() {
        return Err(WireError::InvalidField("status"));
    }
    Ok(Attributes {
        status,
        time_hours: r.u32()?,
        travel: r.scalar()?,
        subject: r.scalar()?,
    })
}

fn read_count(r: &mut Reader<'_>, item: usize) -> Result<usize, WireError> {
    let n = r.u16()? as usize;
    if n == 0 || n > lengths::MAX_BATCH {
        return Err(WireError::InvalidField("batch size"));
    }
    if r.remaining() != n * item {
        return Err(if r.remaining() < n * item {
            WireError::Truncated
        } else {
            WireError::TrailingBytes(r.remaining() - n * item)
        });
    }
    Ok(n)
}

fn batch_writer(tag: u8, key_id: &KeyId, n: usize, item: usize) -> Writer {
    let mut w = Writer::with_header(tag, lengths::BATCH_HEADER + lengths::ATTRIBUTES + n * item);
    w.bytes(&key_id.0);
    w
}

fn count(n: usize) -> u16 {
    // Batches are built by this crate's own code with n ≤ MAX_BATCH; saturate rather than
    // wrap so an impossible oversize batch fails to decode instead of aliasing.
    u16::try_from(n).unwrap_or(u16::MAX)
}

// ---- IssuerPublicKey ---------------------------------------------------------------------

impl IssuerPublicKey {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_header(tags::ISSUER_PUBLIC_KEY, lengths::ISSUER_PUBLIC_KEY);
        w.point(&self.y_compressed);
        w.into_bytes()
    }
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(bytes);
        r.header(tags::ISSUER_PUBLIC_KEY)?;
        let (y, _) = r.point()?;
        r.finish()?;
        IssuerPublicKey::from_compressed(y.as_bytes()).ok_or(WireError::InvalidPoint)
    }
}

// ---- Token -------------------------------------------------------------------------------

impl Token {
    pub fn to_bytes(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut w = Writer::with_header(tags::TOKEN, lengths::TOKEN);
        w.bytes(&self.key_id.0);
        write_attributes(&mut w, &self.attributes);
        w.scalar(&self.kappa)
            .scalar(&self.rnd)
            .scalar(&self.r)
            .scalar(&self.k);
        write_signature(&mut w, &self.signature);
        zeroize::Zeroizing::new(w.into_bytes())
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(bytes);
        r.header(tags::TOKEN)?;
        let key_id = KeyId(r.array()?);
        let attributes = read_attributes(&mut r)?;
        let token = Token {
            key_id,
            attributes,
            kappa: r.scalar()?,
            rnd: r.scalar()?,
            r: r.scalar()?,
            k: r.scalar()?,
            signature: read_signature(&mut r)?,
        };
        r.finish()?;
        Ok(token)
    }
}

// ---- Issuance messages -------------------------------------------------------------------

impl RegistrationBatch {
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.registrations.len();
        let mut w = batch_writer(
            tags::REGISTRATION_BATCH,
            &self.key_id,
            n,
            lengths::REGISTRATION,
        );
        w.u16(count(n));
        for reg in &self.registrations {
            w.point(&reg.c_u_compressed).scalar(&reg.proof.challenge);
            for s in &reg.proof.responses {
                w.scalar(s);
            }
        }
        w.into_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(bytes);
        r.header(tags::REGISTRATION_BATCH)?;
        let key_id = KeyId(r.array()?);
        let n = read_count(&mut r, lengths::REGISTRATION)?;
        let mut registrations = Vec::with_capacity(n);
        for _ in 0..n {
            let (c_u_compressed, c_u) = r.point()?;
            let challenge = r.scalar()?;
            let responses = vec![r.scalar()?, r.scalar()?];
            registrations.push(Registration {
                c_u,
                c_u_compressed,
                proof: CompactProof {
                    challenge,
                    responses,
                },
            });
        }
        r.finish()?;
        Ok(Self {
            key_id,
            registrations,
        })
    }
}

impl CommitmentBatch {
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.commitments.len();
        let mut w = batch_writer(tags::COMMITMENT_BATCH, &self.key_id, n, lengths::COMMITMENT);
        write_attributes(&mut w, &self.attributes);
        w.u16(count(n));
        for c in &self.commitments {
            w.scalar(&c.rnd)
                .point(&c.a.compress())
                .point(&c.b1.compress())
                .point(&c.b2.compress());
        }
        w.into_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(bytes);
        r.header(tags::COMMITMENT_BATCH)?;
        let key_id = KeyId(r.array()?);
        let attributes = read_attributes(&mut r)?;
        let n = read_count(&mut r, lengths::COMMITMENT)?;
        let mut commitments = Vec::with_capacity(n);
        for _ in 0..n {
            commitments.push(IssuerCommitment {
                rnd: r.scalar()?,
                a: r.point()?.1,
                b1: r.point()?.1,
                b2: r.point()?.1,
            });
        }
        r.finish()?;
        Ok(Self {
            key_id,
            attributes,
            commitments,
        })
    }
}

impl ChallengeBatch {
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.challenges.len();
        let mut w = batch_writer(tags::CHALLENGE_BATCH, &self.key_id, n, lengths::CHALLENGE);
        w.u16(count(n));
        for e in &self.challenges {
            w.scalar(e);
        }
        w.into_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(bytes);
        r.header(tags::CHALLENGE_BATCH)?;
        let key_id = KeyId(r.array()?);
        let n = read_count(&mut r, lengths::CHALLENGE)?;
        let challenges = (0..n).map(|_| r.scalar()).collect::<Result<_, _>>()?;
        r.finish()?;
        Ok(Self { key_id, challenges })
    }
}

impl AnswerBatch {
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.answers.len();
        let mut w = batch_writer(tags::ANSWER_BATCH, &self.key_id, n, lengths::ANSWER);
        w.u16(count(n));
        for a in &self.answers {
            w.scalar(&a.c)
                .scalar(&a.r)
                .scalar(&a.s1)
                .scalar(&a.s2)
                .scalar(&a.d);
        }
        w.into_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(bytes);
        r.header(tags::ANSWER_BATCH)?;
        let key_id = KeyId(r.array()?);
        let n = read_count(&mut r, lengths::ANSWER)?;
        let mut answers = Vec::with_capacity(n);
        for _ in 0..n {
            answers.push(IssuerAnswer {
                c: r.scalar()?,
                r: r.scalar()?,
                s1: r.scalar()?,
                s2: r.scalar()?,
                d: r.scalar()?,
            });
        }
        r.finish()?;
        Ok(Self { key_id, answers })
    }
}
