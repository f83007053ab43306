//! The presentation object and its wire formats (`docs/spec.md` §6.3):
//!
//! ```text
//! v1: 01 02 | key_id(8) | venue_id(8) | time_slot(u32 BE) | window(u8) | policy(u8)
//!           | nonce_flag(u8: 0, reserved)
//!           | signature: ζ ζ1 ρ ω σ1 σ2 δ μ (256)
//!           | V(32)
//!           | Σ-proof: c s_κ s_rnd s_R s_k s_ts s_tr s_id s_rts (288)
//!           | range proof: A S T1 T2 (4×32) t_x t̃_x ẽ (3×32) L0 R0 … L2 R2 (6×32) a b (2×32)
//!     1081 bytes
//! v2: 02 02 | key_id(8) | venue_id(8) | time_slot(u32 BE) | window(u8) | policy(u8)
//!           | signature (256) | V(32) | Σ-proof (288)
//!           | range proof of two values: A S T1 T2 (4×32) t_x t̃_x ẽ (3×32)
//!             L0 R0 … L3 R3 (8×32) a b (2×32)
//!     1144 bytes
//! ```
//! Every point (including the range proof's) must be canonical and not the identity, every
//! scalar canonical, `ζ1 ≠ ζ`, and nothing may follow the range proof. Version 2 sends no
//! key-list digest: the venue supplies it ([`KeyListBinding::Unsent`]).

use bulletproofs::RangeProof;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use greenlight_acl::codec::{read_signature, write_signature};
use greenlight_acl::{AclSignature, KeyId, TokenId};
use greenlight_sigma::CompactProof;
use greenlight_wire::{
    lengths, prefixes, tags, Codec, Reader, TextCodec, WireError, Writer, VERSION_1, VERSION_2,
};

use crate::context::{KeyListBinding, PresentationContext};
use crate::policy::Policy;

/// A presentation as shown to a venue.
#[derive(Clone, Debug)]
pub struct Presentation {
    pub context: PresentationContext,
    /// The token's ACL signature (public part of the one-show token).
    pub signature: AclSignature,
    /// `V = ts·g + r_ts·B~`.
    pub v: RistrettoPoint,
    pub v_compressed: CompressedRistretto,
    /// Compact Σ-proof of (S1)–(S3).
    pub sigma: CompactProof,
    /// 8-bit range proof on `V − t_min·g`.
    pub range: RangeProof,
}

impl PartialEq for Presentation {
    fn eq(&self, other: &Self) -> bool {
        self.to_bytes() == other.to_bytes()
    }
}

impl Presentation {
    /// The token id the venue remembers to detect a second show (`ζ1`).
    pub fn token_id(&self) -> TokenId {
        self.signature.token_id()
    }
}

greenlight_wire::inherent_codec!(Presentation, text);

impl TextCodec for Presentation {
    const PREFIX: &'static str = prefixes::PRESENTATION;
}

impl Codec for Presentation {
    const TAG: u8 = tags::PRESENTATION;
    const MAX_LEN: usize = lengths::PRESENTATION;
    const VERSIONS: &'static [u8] = &[VERSION_1, VERSION_2];
    type Error = WireError;

    fn version(&self) -> u8 {
        self.context.wire_version()
    }

    fn write_body(&self, w: &mut Writer) {
        let c = &self.context;
        w.bytes(&c.key_id.0)
            .bytes(&c.venue_id)
            .u32(c.time_slot_hours)
            .u8(c.window_hours)
            .u8(c.policy.as_u8());
        if c.key_list == KeyListBinding::None {
            // The reserved nonce flag: always 0 in v1 (docs/spec.md §5.1, §6.3).
            w.u8(0);
        }
        write_signature(w, &self.signature);
        w.point(&self.v_compressed);
        w.scalar(&self.sigma.challenge);
        for s in &self.sigma.responses {
            w.scalar(s);
        }
        w.bytes(&self.range.to_bytes());
    }

    fn read_body(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Self::read_versioned_body(r, VERSION_1)
    }

    fn read_versioned_body(r: &mut Reader<'_>, version: u8) -> Result<Self, WireError> {
        let key_id = KeyId(r.array()?);
        let venue_id = r.array()?;
        let time_slot_hours = r.u32()?;
        let window_hours = r.u8()?;
        // Any byte decodes; `verify` judges it ("wrong policy", docs/spec.md §6.2).
        let policy = Policy::from_wire_byte(r.u8()?);
        let (key_list, range_len, range_rounds) = if version == VERSION_1 {
            // Reserved: v1 has no venue nonce (docs/spec.md §5.1); 0x01 was its flag and is
            // refused like any other value.
            if r.u8()? != 0 {
                return Err(WireError::InvalidField(
                    "nonce flag (reserved, must be 0 in v1)",
                ));
            }
            (KeyListBinding::None, lengths::RANGE_PROOF_8, 3)
        } else {
            (KeyListBinding::Unsent, lengths::RANGE_PROOF_8X2, 4)
        };
        let signature = read_signature(r)?;
        let (v_compressed, v) = r.point()?;
        let challenge = r.scalar()?;
        let responses = (0..lengths::GREEN_RECENT_SECRETS)
            .map(|_| r.scalar())
            .collect::<Result<Vec<_>, _>>()?;
        let range_bytes = r.take(range_len)?;
        check_range_proof_encoding(range_bytes, range_rounds)?;
        let range = RangeProof::from_bytes(range_bytes)
            .map_err(|_| WireError::InvalidField("range proof"))?;
        Ok(Presentation {
            context: PresentationContext {
                key_id,
                venue_id,
                time_slot_hours,
                window_hours,
                policy,
                key_list,
            },
            signature,
            v,
            v_compressed,
            sigma: CompactProof {
                challenge,
                responses,
            },
            range,
        })
    }
}

/// The `bulletproofs` decoder checks scalars but leaves points compressed until
/// verification. The wire format is canonical at decode time, so check every point here:
/// 4 points, 3 scalars, `rounds` (L, R) pairs (3 for one 8-bit value, 4 for two), 2 scalars.
fn check_range_proof_encoding(bytes: &[u8], rounds: usize) -> Result<(), WireError> {
    let mut r = Reader::new(bytes);
    for _ in 0..4 {
        r.point()?;
    }
    for _ in 0..3 {
        r.scalar()?;
    }
    for _ in 0..2 * rounds {
        r.point()?;
    }
    for _ in 0..2 {
        r.scalar()?;
    }
    r.finish()
}
