//! The Greenlight issuer's **only** persistent state, kept in sled.
//!
//! The issuer deliberately remembers almost nothing. This store holds exactly three things:
//!
//! * **revoked subjects**, as [`SubjectDigest`]s, never as handles;
//! * **ticket quotas**: for each redeemed ticket, how many tokens it may still mint and when the
//!   record may be forgotten;
//! * **revoked issuer keys**, by key id.
//!
//! No attributes, no presentations, no IP addresses, no timestamps of who did what: a subpoena
//! of this store yields a set of hashes, a set of random ticket ids with counters, and a set of
//! key ids.
//!
//! # Durability
//!
//! Every mutating call flushes (sled `flush`: write out dirty buffers and `fsync`) **before**
//! returning `Ok`. A caller that saw `Ok` from [`RevocationStore::reserve_tokens`] may hand out
//! that many tokens knowing a crash cannot roll the quota back and let the ticket mint again;
//! an admin that saw `Ok` from [`RevocationStore::revoke_subject`] knows the revocation
//! survives a power cut. This costs one `fsync` per call, which is fine for an issuer (tickets
//! are redeemed once per person per few days, in batches).
//!
//! # Concurrency
//!
//! [`RevocationStore`] is a cheap `Clone` handle over one `sled::Db`; clone it rather than
//! opening the same path twice (sled holds a file lock). Calls are synchronous and may block on
//! disk: an async server wraps them in `spawn_blocking`. Quota updates are atomic
//! compare-and-swap loops, so concurrent redemptions of one ticket can never mint more than its
//! quota in total.

use std::path::Path;

use greenlight_wire::labels;
use sha2::{Digest, Sha512};
use sled::{IVec, Tree};
use thiserror::Error;

use greenlight_wire::lengths::{KEY_ID as KEY_ID_LEN, TICKET_ID as TICKET_ID_LEN};
/// Bytes of a [`SubjectDigest`].
pub const SUBJECT_DIGEST_LEN: usize = 32;
/// Version of the on-disk layout, stored under `meta/schema`. A store written by a later,
/// incompatible layout is refused instead of being misread.
pub const SCHEMA_VERSION: u8 = 1;

const TREE_META: &str = "meta";
const TREE_SUBJECTS: &str = "revoked-subjects";
const TREE_TICKETS: &str = "ticket-quotas";
const TREE_KEYS: &str = "revoked-keys";
const META_SCHEMA: &[u8] = b"schema";

/// Version byte of a ticket quota record.
const TICKET_RECORD_VERSION: u8 = 1;
/// `version (1) ‖ remaining u16 BE (2) ‖ expires_at u64 BE (8)`.
const TICKET_RECORD_LEN: usize = 11;

/// Errors of the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The ticket has fewer tokens left than requested; nothing was reserved.
    #[error("ticket quota exceeded ({remaining} tokens remaining)")]
    QuotaExceeded {
        /// Tokens the ticket may still mint.
        remaining: u16,
    },
    /// A reservation of zero tokens (always a caller bug).
    #[error("cannot reserve zero tokens")]
    ZeroTokens,
    /// The store was written by an incompatible layout version.
    #[error("unsupported store schema version {found} (this build understands {SCHEMA_VERSION})")]
    UnsupportedSchema {
        /// Version found on disk.
        found: u8,
    },
    /// A record on disk does not have the expected shape.
    #[error("corrupt {0} record in the revocation store")]
    Corrupt(&'static str),
    /// The underlying database failed (I/O error, lock held by another process, …).
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
}

/// How a subject is stored: the first 32 bytes of `SHA-512(REVOCATION_SUBJECT ‖ handle)`.
///
/// Why a digest: a copy of the store (seizure, subpoena, backup leak) yields no list of
/// revoked people in clear — only hashes. The authority, which already knows a handle, can
/// still test it (`is_revoked`), which is all revocation needs. Handles are opaque, high-entropy
/// pseudonyms (never ID numbers), so the hashes cannot be reversed by enumerating plausible
/// inputs. The label keeps these digests unrelated to any other hash of the handle in the
/// protocol (such as the credential's subject attribute).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectDigest([u8; SUBJECT_DIGEST_LEN]);

impl SubjectDigest {
    /// Digest of a subject handle.
    pub fn of(handle: &str) -> Self {
        let digest = Sha512::new()
            .chain_update(labels::REVOCATION_SUBJECT)
            .chain_update(handle.as_bytes())
            .finalize();
        let mut out = [0u8; SUBJECT_DIGEST_LEN];
        out.copy_from_slice(&digest[..SUBJECT_DIGEST_LEN]);
        SubjectDigest(out)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; SUBJECT_DIGEST_LEN] {
        &self.0
    }
}

impl core::fmt::Debug for SubjectDigest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SubjectDigest(")?;
        for b in &self.0[..8] {
            write!(f, "{b:02x}")?;
        }
        write!(f, "…)")
    }
}

/// A ticket's quota record: tokens still allowed and when the record may be forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TicketRecord {
    remaining: u16,
    expires_at: u64,
}

impl TicketRecord {
    fn encode(self) -> [u8; TICKET_RECORD_LEN] {
        let mut out = [0u8; TICKET_RECORD_LEN];
        out[0] = TICKET_RECORD_VERSION;
        out[1..3].copy_from_slice(&self.remaining.to_be_bytes());
        out[3..].copy_from_slice(&self.expires_at.to_be_bytes());
        out
    }

    fn decode(bytes: &[u8]) -> Result<Self, StoreError> {
        let corrupt = || StoreError::Corrupt("ticket quota");
        let bytes: &[u8; TICKET_RECORD_LEN] = bytes.try_into().map_err(|_| corrupt())?;
        let [version, r0, r1, rest @ ..] = *bytes;
        if version != TICKET_RECORD_VERSION {
            return Err(corrupt());
        }
        Ok(TicketRecord {
            remaining: u16::from_be_bytes([r0, r1]),
            expires_at: u64::from_be_bytes(rest),
        })
    }
}

/// Handle to the store. Cloning is cheap and shares the database.
#[derive(Clone)]
pub struct RevocationStore {
    db: sled::Db,
    subjects: Tree,
    tickets: Tree,
    keys: Tree,
}

impl core::fmt::Debug for RevocationStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RevocationStore")
            .field("revoked_subjects", &self.subjects.len())
            .field("tickets", &self.tickets.len())
            .field("revoked_keys", &self.keys.len())
            .finish()
    }
}

impl RevocationStore {
    /// Opens (creating if needed) the store in directory `path`. Fails if another process (or
    /// another handle in this process) has it open: clone the handle instead.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::from_db(sled::Config::new().path(path).open()?)
    }

    /// A store that lives only as long as its handles (sled `temporary` mode, removed on drop),
    /// for the demo and tests.
    pub fn open_temporary() -> Result<Self, StoreError> {
        Self::from_db(sled::Config::new().temporary(true).open()?)
    }

    fn from_db(db: sled::Db) -> Result<Self, StoreError> {
        let meta = db.open_tree(TREE_META)?;
        match meta.get(META_SCHEMA)? {
            None => {
                meta.insert(META_SCHEMA, &[SCHEMA_VERSION])?;
                db.flush()?;
            }
            Some(v) if v.as_ref() == [SCHEMA_VERSION] => {}
            Some(v) => {
                let found = v.first().copied().unwrap_or(0);
                return Err(StoreError::UnsupportedSchema { found });
            }
        }
        Ok(RevocationStore {
            subjects: db.open_tree(TREE_SUBJECTS)?,
            tickets: db.open_tree(TREE_TICKETS)?,
            keys: db.open_tree(TREE_KEYS)?,
            db,
        })
    }

    /// Makes every previous write durable (see the crate docs on durability).
    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    // --- subjects -----------------------------------------------------------------------

    /// Revokes a subject: the issuer refuses later tickets for it. Returns whether it was newly
    /// revoked (`false` if it already was). Durable on `Ok`.
    pub fn revoke_subject(&self, handle: &str) -> Result<bool, StoreError> {
        let previous = self
            .subjects
            .insert(SubjectDigest::of(handle).as_bytes(), &[])?;
        self.flush()?;
        Ok(previous.is_none())
    }

    /// Lifts a revocation after a successful appeal. Returns whether the subject was revoked.
    /// Durable on `Ok`.
    pub fn unrevoke_subject(&self, handle: &str) -> Result<bool, StoreError> {
        let previous = self.subjects.remove(SubjectDigest::of(handle).as_bytes())?;
        self.flush()?;
        Ok(previous.is_some())
    }

    /// Whether the subject is currently revoked.
    pub fn is_revoked(&self, handle: &str) -> Result<bool, StoreError> {
        Ok(self
            .subjects
            .contains_key(SubjectDigest::of(handle).as_bytes())?)
    }

    /// Number of revoked subjects (for `/metrics`; reveals no one).
    pub fn revoked_subject_count(&self) -> usize {
        self.subjects.len()
    }

    // --- ticket quotas ------------------------------------------------------------------

    /// Atomically takes `n` tokens from the ticket's quota and returns how many remain.
    ///
    /// The first reservation for `ticket_id` creates its record with `quota` tokens and
    /// `expires_at_unix` (later calls use the stored values). If `n` exceeds what remains, it
    /// fails with [`StoreError::QuotaExceeded`] and changes nothing. The update is a
    /// compare-and-swap loop: however many callers race on one ticket, the total granted never
    /// exceeds `quota`. Durable on `Ok`.
    ///
    /// There is deliberately **no release**: tokens of an issuance that started but never
    /// finished stay spent. Otherwise a client could replay the same ticket over and over,
    /// collecting fresh issuer commitments each time, and so probe the issuer or mint beyond the
    /// quota by abandoning and restarting sessions. A wallet that loses a batch asks the
    /// authority for a new ticket.
    ///
    /// The caller must check the ticket's signature, validity window and subject revocation
    /// first: the record is forgotten by [`RevocationStore::sweep_expired`] once
    /// `expires_at_unix` has passed, after which only the ticket's own expiry stops a replay.
    pub fn reserve_tokens(
        &self,
        ticket_id: [u8; TICKET_ID_LEN],
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<u16, StoreError> {
        if n == 0 {
            return Err(StoreError::ZeroTokens);
        }
        loop {
            let current = self.tickets.get(ticket_id)?;
            let record = match &current {
                Some(bytes) => TicketRecord::decode(bytes)?,
                None => TicketRecord {
                    remaining: quota,
                    expires_at: expires_at_unix,
                },
            };
            let remaining = match record.remaining.checked_sub(n) {
                Some(r) => r,
                None => {
                    return Err(StoreError::QuotaExceeded {
                        remaining: record.remaining,
                    })
                }
            };
            let updated = TicketRecord {
                remaining,
                ..record
            }
            .encode();
            match self
                .tickets
                .compare_and_swap(ticket_id, current, Some(&updated[..]))?
            {
                Ok(()) => {
                    self.flush()?;
                    return Ok(remaining);
                }
                Err(_) => continue, // Someone else changed the record: re-read and retry.
            }
        }
    }

    /// Tokens the ticket may still mint, or `None` if it was never redeemed (or was swept).
    pub fn remaining_tokens(
        &self,
        ticket_id: [u8; TICKET_ID_LEN],
    ) -> Result<Option<u16>, StoreError> {
        self.tickets
            .get(ticket_id)?
            .map(|bytes| TicketRecord::decode(&bytes).map(|r| r.remaining))
            .transpose()
    }

    /// Number of ticket records held.
    pub fn ticket_count(&self) -> usize {
        self.tickets.len()
    }

    /// Forgets ticket records whose expiry has passed (`expires_at < now_unix`), so the store
    /// does not keep a growing history of redemptions. Returns how many were removed. A record
    /// that changes concurrently is left for the next sweep. Durable on `Ok`.
    pub fn sweep_expired(&self, now_unix: u64) -> Result<usize, StoreError> {
        let mut removed = 0;
        for entry in self.tickets.iter() {
            let (key, value): (IVec, IVec) = entry?;
            if TicketRecord::decode(&value)?.expires_at < now_unix
                && self
                    .tickets
                    .compare_and_swap(&key, Some(&value), None::<&[u8]>)?
                    .is_ok()
            {
                removed += 1;
            }
        }
        self.flush()?;
        Ok(removed)
    }

    // --- issuer keys ----------------------------------------------------------------------

    /// Marks an issuer key revoked (after a compromise); the issuer stops using it and the next
    /// key list flags it. Revocation of keys is final: there is no un-revoke. Returns whether it
    /// was newly revoked. Durable on `Ok`.
    pub fn revoke_key(&self, key_id: [u8; KEY_ID_LEN]) -> Result<bool, StoreError> {
        let previous = self.keys.insert(key_id, &[])?;
        self.flush()?;
        Ok(previous.is_none())
    }

    /// Whether the issuer key is revoked.
    pub fn is_key_revoked(&self, key_id: [u8; KEY_ID_LEN]) -> Result<bool, StoreError> {
        Ok(self.keys.contains_key(key_id)?)
    }

    /// All revoked key ids, in ascending byte order.
    pub fn revoked_keys(&self) -> Result<Vec<[u8; KEY_ID_LEN]>, StoreError> {
        self.keys
            .iter()
            .keys()
            .map(|key| {
                let key = key?;
                <[u8; KEY_ID_LEN]>::try_from(key.as_ref())
                    .map_err(|_| StoreError::Corrupt("revoked key"))
            })
            .collect()
    }
}

/// The issuance pipeline's view of this store (`greenlight_issuance::Store`).
impl greenlight_issuance::Store for RevocationStore {
    type Error = StoreError;

    fn is_revoked(&self, subject: &str) -> Result<bool, StoreError> {
        RevocationStore::is_revoked(self, subject)
    }

    fn reserve_tokens(
        &self,
        ticket_id: [u8; TICKET_ID_LEN],
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<greenlight_issuance::Reservation, StoreError> {
        match RevocationStore::reserve_tokens(self, ticket_id, quota, n, expires_at_unix) {
            Ok(remaining) => Ok(greenlight_issuance::Reservation::Reserved { remaining }),
            Err(StoreError::QuotaExceeded { remaining }) => {
                Ok(greenlight_issuance::Reservation::QuotaExceeded { remaining })
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_record_round_trips_and_rejects_garbage() {
        let r = TicketRecord {
            remaining: 513,
            expires_at: 0x0102_0304_0506_0708,
        };
        assert_eq!(TicketRecord::decode(&r.encode()).unwrap(), r);
        assert!(TicketRecord::decode(&[]).is_err());
        assert!(TicketRecord::decode(&[1; 10]).is_err());
        let mut bad = r.encode();
        bad[0] = 2;
        assert!(TicketRecord::decode(&bad).is_err());
    }

    #[test]
    fn subject_digest_is_labelled_sha512() {
        let d = SubjectDigest::of("alice");
        let mut h = Sha512::new();
        h.update(b"greenlight/v1/revocation/subject-digest");
        h.update(b"alice");
        assert_eq!(d.as_bytes()[..], h.finalize()[..32]);
        assert_ne!(d, SubjectDigest::of("alice "));
        assert!(format!("{d:?}").starts_with("SubjectDigest("));
    }
}
