//! The signed issuer key list: every regional issuer's ristretto255 keys under one trust root.
//!
//! Venues and wallets pin only the root's Ed25519 key (by [`crate::root_fingerprint`]) and
//! fetch this list. One root and many issuers give mutual recognition between regions: a venue
//! in one region accepts a token minted by any listed issuer. The list is **versioned and
//! append-only** ([`KeyList::check_successor`]): keys are never removed and their validity only
//! shrinks, so a stolen root key cannot quietly swap in a new key under an old id, revive a
//! revoked key, or roll a verifier back to a list from before a revocation without the
//! verifier noticing. (The EU certificate's trust lists lacked such rules, and their expiring
//! signatures once broke every verifier; here, time limits are on the *keys*, not the list.)

use std::collections::BTreeSet;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use greenlight_wire::reader::validate_string;
use greenlight_wire::{labels, prefixes, tags, Codec, Reader, TextCodec, Writer};

use crate::codec::signature_is_canonical;
use crate::error::{KeyRejection, ProtocolError, SuccessorViolation};
use crate::keys::issuer_key_id;
use crate::lengths::{
    ED25519_SIGNATURE, KEY_ID, MAX_DISPLAY_NAME_LEN, MAX_ISSUERS, MAX_KEYS_PER_ISSUER,
    MAX_KEY_LIST_LEN, MAX_REGION_LEN, MIN_DISPLAY_NAME_LEN, MIN_REGION_LEN, POINT,
};

/// How long after its `issued_at` a key list *settles*: until then a wallet holding it binds
/// its presentations to the list it succeeded, which every venue that synced within the last
/// day holds as its current or previous list (spec §7.3, "Which list a presentation binds").
/// Venues must therefore fetch the key list at least this often.
pub const KEY_LIST_SETTLE_SECS: u64 = 24 * 3600;

/// How long before its `issue_from` a key is already accepted (two hours, the issuer lead
/// [`greenlight_wire::MAX_ISSUANCE_SKEW_HOURS`] that a wallet accepts). An honest issuer mints
/// under a key only from `issue_from` on *its* clock, and a wallet takes the issuer's hour up to
/// two hours ahead of its own, so a fresh token can reach a venue whose clock still reads up to
/// two hours before `issue_from`. Earlier than that no honest token under the key can exist: a
/// token under a key that has not started was minted off the public schedule (a per-holder
/// tag, or a stolen pre-published key), so it is not accepted (`docs/spec.md` §7.3).
pub const KEY_START_TOLERANCE_SECS: u64 = greenlight_wire::MAX_ISSUANCE_SKEW_HOURS as u64 * 3600;

const REGION_FIELD: &str = "issuer region";
const DISPLAY_NAME_FIELD: &str = "issuer display name";

/// One issuer public key and its lifetime.
///
/// `issue_from..=issue_until` is when the issuer may mint tokens under the key; tokens are
/// accepted until `accept_until` (at least `issue_until`, so tokens minted at the end of the
/// issuing window still have their full recency window to be used in). Rotating keys on a fixed
/// public schedule — the same for every holder — is what keeps a key id from singling anyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IssuerKeyEntry {
    /// `issuer_key_id(public_key)`; checked on construction of the list and on decode.
    pub key_id: [u8; KEY_ID],
    /// Compressed ristretto255 public key `y`, stored as bytes (validated by the credential
    /// crates when used, so this crate needs no curve arithmetic).
    pub public_key: [u8; POINT],
    /// First second (Unix) the key may issue.
    pub issue_from: u64,
    /// Last second (Unix) the key may issue.
    pub issue_until: u64,
    /// Last second (Unix) tokens under the key are accepted.
    pub accept_until: u64,
    /// Revoked keys are never accepted, whatever their times say.
    pub revoked: bool,
}

impl IssuerKeyEntry {
    /// A non-revoked entry with the key id derived from `public_key`.
    pub fn new(
        public_key: [u8; POINT],
        issue_from: u64,
        issue_until: u64,
        accept_until: u64,
    ) -> Self {
        IssuerKeyEntry {
            key_id: issuer_key_id(&public_key),
            public_key,
            issue_from,
            issue_until,
            accept_until,
            revoked: false,
        }
    }

    fn validate(&self) -> Result<(), ProtocolError> {
        if self.key_id != issuer_key_id(&self.public_key) {
            return Err(ProtocolError::KeyIdMismatch(self.key_id));
        }
        if self.issue_from > self.issue_until || self.issue_until > self.accept_until {
            return Err(ProtocolError::InvalidKeyValidity(self.key_id));
        }
        Ok(())
    }

    fn write(&self, w: &mut Writer) {
        w.bytes(&self.key_id)
            .bytes(&self.public_key)
            .u64(self.issue_from)
            .u64(self.issue_until)
            .u64(self.accept_until)
            .bool(self.revoked);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, ProtocolError> {
        Ok(IssuerKeyEntry {
            key_id: r.array()?,
            public_key: r.array()?,
            issue_from: r.u64()?,
            issue_until: r.u64()?,
            accept_until: r.u64()?,
            revoked: r.bool()?,
        })
    }
}

/// One regional issuer and its keys (oldest first, as appended).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IssuerEntry {
    /// Region label, 1..=16 bytes, unique in the list (e.g. `CN-GD`).
    pub region: String,
    /// Name shown to people, 1..=64 bytes.
    pub display_name: String,
    /// 1..=32 keys.
    pub keys: Vec<IssuerKeyEntry>,
}

/// The signed content of a key list. Constructed only through [`KeyListBody::new`] or decoding,
/// so it always satisfies every rule and signing cannot fail.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyListBody {
    sequence: u64,
    issued_at: u64,
    issuers: Vec<IssuerEntry>,
}

impl KeyListBody {
    /// Validates and builds a body: at most 64 issuers with unique regions, each with 1..=32
    /// keys, key ids unique across the whole list and equal to [`issuer_key_id`] of their
    /// public key, and `issue_from <= issue_until <= accept_until` for every key.
    pub fn new(
        sequence: u64,
        issued_at: u64,
        issuers: Vec<IssuerEntry>,
    ) -> Result<Self, ProtocolError> {
        if issuers.len() > MAX_ISSUERS {
            return Err(ProtocolError::TooManyIssuers(issuers.len()));
        }
        let mut regions = BTreeSet::new();
        let mut key_ids = BTreeSet::new();
        for issuer in &issuers {
            validate_string(REGION_FIELD, &issuer.region, MIN_REGION_LEN, MAX_REGION_LEN)?;
            validate_string(
                DISPLAY_NAME_FIELD,
                &issuer.display_name,
                MIN_DISPLAY_NAME_LEN,
                MAX_DISPLAY_NAME_LEN,
            )?;
            if !regions.insert(issuer.region.as_str()) {
                return Err(ProtocolError::DuplicateRegion(issuer.region.clone()));
            }
            if issuer.keys.is_empty() || issuer.keys.len() > MAX_KEYS_PER_ISSUER {
                return Err(ProtocolError::InvalidKeyCount(issuer.keys.len()));
            }
            for key in &issuer.keys {
                key.validate()?;
                if !key_ids.insert(key.key_id) {
                    return Err(ProtocolError::DuplicateKeyId(key.key_id));
                }
            }
        }
        Ok(KeyListBody {
            sequence,
            issued_at,
            issuers,
        })
    }

    /// Monotonic version number of the list.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }
    /// When the root signed it (Unix seconds); informational, not an expiry.
    pub fn issued_at(&self) -> u64 {
        self.issued_at
    }
    /// The issuers, in list order.
    pub fn issuers(&self) -> &[IssuerEntry] {
        &self.issuers
    }
    /// Takes the issuers out, e.g. to build the successor list.
    pub fn into_issuers(self) -> Vec<IssuerEntry> {
        self.issuers
    }

    /// The issuer and entry of `key_id`, if listed (revoked or not).
    pub fn find_key(&self, key_id: &[u8; KEY_ID]) -> Option<(&IssuerEntry, &IssuerKeyEntry)> {
        self.issuers.iter().find_map(|issuer| {
            issuer
                .keys
                .iter()
                .find(|k| k.key_id == *key_id)
                .map(|k| (issuer, k))
        })
    }

    /// Whether a verifier accepts tokens under `key_id` at `now_unix`: the key must be listed,
    /// not revoked, and `issue_from − KEY_START_TOLERANCE_SECS ≤ now_unix ≤ accept_until`
    /// ([`KEY_START_TOLERANCE_SECS`]: a key published ahead of a rotation is listed but not
    /// accepted until shortly before it starts). Venues, the browser page and the wallet's
    /// token choice all apply this rule, through `greenlight_venue::AcceptedKeys`.
    pub fn accepts(
        &self,
        key_id: &[u8; KEY_ID],
        now_unix: u64,
    ) -> Result<(&IssuerEntry, &IssuerKeyEntry), KeyRejection> {
        let (issuer, key) = self.find_key(key_id).ok_or(KeyRejection::Unknown)?;
        if key.revoked {
            return Err(KeyRejection::Revoked);
        }
        if now_unix.saturating_add(KEY_START_TOLERANCE_SECS) < key.issue_from {
            return Err(KeyRejection::NotYetAccepted {
                issue_from: key.issue_from,
            });
        }
        if now_unix > key.accept_until {
            return Err(KeyRejection::Expired {
                accept_until: key.accept_until,
            });
        }
        Ok((issuer, key))
    }

    /// Whether the issuer may mint under `key_id` at `now_unix`: listed, not revoked, and
    /// `issue_from <= now_unix <= issue_until`. A wallet can use it to refuse tokens from a key
    /// outside its public schedule (a sign of a per-person key).
    pub fn issues(
        &self,
        key_id: &[u8; KEY_ID],
        now_unix: u64,
    ) -> Result<(&IssuerEntry, &IssuerKeyEntry), KeyRejection> {
        let (issuer, key) = self.find_key(key_id).ok_or(KeyRejection::Unknown)?;
        if key.revoked {
            return Err(KeyRejection::Revoked);
        }
        if now_unix < key.issue_from || now_unix > key.issue_until {
            return Err(KeyRejection::NotIssuing {
                issue_from: key.issue_from,
                issue_until: key.issue_until,
            });
        }
        Ok((issuer, key))
    }

    /// Signs with the root key: the signature covers
    /// `KEY_LIST_SIGNATURE ‖ every encoded byte before the signature`.
    pub fn sign(self, root: &SigningKey) -> KeyList {
        let signature = root.sign(&signing_message(&self.encode())).to_bytes();
        KeyList {
            body: self,
            signature,
        }
    }

    /// Everything before the signature, header included: what the signature covers.
    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_header(tags::KEY_LIST, MAX_KEY_LIST_LEN);
        self.write_fields(&mut w);
        w.into_bytes()
    }

    fn write_fields(&self, w: &mut Writer) {
        w.u64(self.sequence);
        w.u64(self.issued_at);
        // Counts are bounded by MAX_ISSUERS / MAX_KEYS_PER_ISSUER (< 256) by construction.
        w.u8(u8::try_from(self.issuers.len()).unwrap_or(u8::MAX));
        for issuer in &self.issuers {
            w.string(&issuer.region);
            w.string(&issuer.display_name);
            w.u8(u8::try_from(issuer.keys.len()).unwrap_or(u8::MAX));
            for key in &issuer.keys {
                key.write(w);
            }
        }
    }
}

fn signing_message(body: &[u8]) -> Vec<u8> {
    let mut msg = Vec::with_capacity(labels::KEY_LIST_SIGNATURE.len() + body.len());
    msg.extend_from_slice(labels::KEY_LIST_SIGNATURE);
    msg.extend_from_slice(body);
    msg
}

/// A root-signed key list. Decoding checks only the format; call [`KeyList::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyList {
    body: KeyListBody,
    signature: [u8; ED25519_SIGNATURE],
}

impl KeyList {
    /// Verifies the root signature (`verify_strict`) and returns the body.
    pub fn verify(&self, root: &VerifyingKey) -> Result<&KeyListBody, ProtocolError> {
        root.verify_strict(
            &signing_message(&self.body.encode()),
            &Signature::from_bytes(&self.signature),
        )
        .map_err(|_| ProtocolError::BadSignature)?;
        Ok(&self.body)
    }

    /// The body **without** checking the signature (for `inspect` output only).
    pub fn unverified_body(&self) -> &KeyListBody {
        &self.body
    }

    /// The raw signature bytes.
    pub fn signature(&self) -> [u8; ED25519_SIGNATURE] {
        self.signature
    }

    /// The digest version-2 presentations bind ([`greenlight_wire::ids::key_list_digest`] of
    /// the bytes the root signed; `docs/spec.md` §7.3).
    pub fn digest(&self) -> [u8; greenlight_wire::lengths::KEY_LIST_DIGEST_LEN] {
        greenlight_wire::ids::key_list_digest(&self.body.encode())
    }

    /// Checks that `new` may replace `self` (the list already held). Both should already be
    /// verified under the same pinned root; this checks the append-only rules:
    ///
    /// * `new.sequence >= old.sequence`, and an equal sequence means an identical body
    ///   (anything else is a fork signed by the root);
    /// * `new.issued_at >= old.issued_at`;
    /// * every key of `old` is still in `new` under the issuer with the same region, with the
    ///   same key id, public key and `issue_from`;
    /// * a key may become revoked but never un-revoked, and its `issue_until` and
    ///   `accept_until` may only stay or shrink.
    ///
    /// New issuers and new keys may be added; display names may change.
    pub fn check_successor(&self, new: &KeyList) -> Result<(), ProtocolError> {
        self.body.check_successor(&new.body)
    }
}

impl KeyListBody {
    /// [`KeyList::check_successor`] on the bodies: the same rules, for a list not signed yet
    /// (the root signer checks its candidate before signing it).
    pub fn check_successor(&self, new: &KeyListBody) -> Result<(), ProtocolError> {
        let old = self;
        if new.sequence < old.sequence {
            return Err(SuccessorViolation::SequenceRegressed {
                old: old.sequence,
                new: new.sequence,
            }
            .into());
        }
        if new.sequence == old.sequence && new != old {
            return Err(SuccessorViolation::ForkedSequence {
                sequence: old.sequence,
            }
            .into());
        }
        if new.issued_at < old.issued_at {
            return Err(SuccessorViolation::IssuedAtRegressed {
                old: old.issued_at,
                new: new.issued_at,
            }
            .into());
        }
        for old_issuer in &old.issuers {
            for old_key in &old_issuer.keys {
                let key_id = old_key.key_id;
                let new_key = match new.find_key(&key_id) {
                    Some((issuer, key)) if issuer.region == old_issuer.region => key,
                    _ => {
                        return Err(SuccessorViolation::KeyRemoved {
                            region: old_issuer.region.clone(),
                            key_id,
                        }
                        .into())
                    }
                };
                if new_key.public_key != old_key.public_key
                    || new_key.issue_from != old_key.issue_from
                {
                    return Err(SuccessorViolation::KeyChanged { key_id }.into());
                }
                if old_key.revoked && !new_key.revoked {
                    return Err(SuccessorViolation::KeyUnrevoked { key_id }.into());
                }
                if new_key.issue_until > old_key.issue_until {
                    return Err(SuccessorViolation::IssueUntilExtended { key_id }.into());
                }
                if new_key.accept_until > old_key.accept_until {
                    return Err(SuccessorViolation::AcceptUntilExtended { key_id }.into());
                }
            }
        }
        Ok(())
    }
}

greenlight_wire::inherent_codec!(KeyList, text);

impl TextCodec for KeyList {
    const PREFIX: &'static str = prefixes::KEY_LIST;
}

impl Codec for KeyList {
    const TAG: u8 = tags::KEY_LIST;
    const MAX_LEN: usize = MAX_KEY_LIST_LEN;
    type Error = ProtocolError;

    fn write_body(&self, w: &mut Writer) {
        self.body.write_fields(w);
        w.bytes(&self.signature);
    }

    /// Enforces every rule of [`KeyListBody::new`] (so duplicate key ids are rejected here,
    /// before any lookup could pick the wrong one).
    fn read_body(r: &mut Reader<'_>) -> Result<Self, ProtocolError> {
        let sequence = r.u64()?;
        let issued_at = r.u64()?;
        let issuer_count = usize::from(r.u8()?);
        if issuer_count > MAX_ISSUERS {
            return Err(ProtocolError::TooManyIssuers(issuer_count));
        }
        let mut issuers = Vec::with_capacity(issuer_count);
        for _ in 0..issuer_count {
            let region = r.string(REGION_FIELD, MIN_REGION_LEN, MAX_REGION_LEN)?;
            let display_name = r.string(
                DISPLAY_NAME_FIELD,
                MIN_DISPLAY_NAME_LEN,
                MAX_DISPLAY_NAME_LEN,
            )?;
            let key_count = usize::from(r.u8()?);
            if key_count == 0 || key_count > MAX_KEYS_PER_ISSUER {
                return Err(ProtocolError::InvalidKeyCount(key_count));
            }
            let mut keys = Vec::with_capacity(key_count);
            for _ in 0..key_count {
                keys.push(IssuerKeyEntry::read(r)?);
            }
            issuers.push(IssuerEntry {
                region,
                display_name,
                keys,
            });
        }
        let signature = r.array()?;
        if !signature_is_canonical(&signature) {
            return Err(ProtocolError::NonCanonicalSignature);
        }
        let body = KeyListBody::new(sequence, issued_at, issuers)?;
        Ok(KeyList { body, signature })
    }
}
