//! The Greenlight issuer's **only** persistent state, kept in sled.
//!
//! The issuer deliberately remembers almost nothing. This store holds exactly four things:
//!
//! * **subject records**: for a subject that is revoked, or whose newest ticket, revocation or
//!   appeal is recent, whether it is revoked and its *epoch* (one timestamp; the rules are
//!   `greenlight_issuance::epoch`), under the subject's keyed digest;
//! * **ticket quotas**: for each redeemed ticket, how many tokens it may still mint and when
//!   the record may be forgotten, under the ticket's keyed digest;
//! * **revoked issuer keys**, by key id;
//! * **daily issuance totals**: per issuer key and UTC day, how many tokens were issued (the
//!   published anonymity-set figures, `greenlight_issuance::totals`) — counts, nothing about
//!   who or when within the day.
//!
//! Subjects and tickets are named by `greenlight_issuance::digest`: HMAC-SHA-512 under a
//! 32-byte [`DigestKey`] that the store is opened with and that is kept **outside** it (the
//! server keeps it in `store.key` next to the store). A copy of the store alone cannot be
//! tested against guessed handles or ticket ids. The store records a check value of its key
//! and refuses to open with another key ([`StoreError::WrongKey`]): a lost key must not
//! silently lift every revocation.
//!
//! No attributes, no presentations, no IP addresses, no log of who did what.
//!
//! # Forgetting for real: compaction
//!
//! sled appends: a removed or overwritten record stays in its files until sled happens to
//! reuse the space. [`RevocationStore::compact`] therefore copies the live records into a
//! fresh sled directory and swaps it in, so what was forgotten (swept records, lifted
//! revocations, earlier values of a record) leaves the disk. The server compacts at start
//! and after a sweep or an appeal removed something. The steps, each durable before the
//! next (`X` is the store directory):
//!
//! 1. remove leftovers of an interrupted run (recovery below), then flush `X`;
//! 2. copy every live record into a new sled at `X.compacting` (created 0700), flush it,
//!    close it and fsync every file and directory in it;
//! 3. rename `X.compacting` → `X.compacted` and fsync the parent: the copy is complete;
//! 4. close `X` (no write can happen between the copy and here: compaction holds the store's
//!    write lock, so writers wait and then go to the new store);
//! 5. rename `X` → `X.previous`, fsync the parent; rename `X.compacted` → `X`, fsync;
//! 6. open `X`; remove `X.previous` recursively, fsync the parent.
//!
//! [`RevocationStore::open`] first recovers from a crash at any point:
//!
//! | found | state | recovery |
//! |---|---|---|
//! | `X.compacting` | copy incomplete | remove it (`X` is intact) |
//! | `X` and `X.compacted` | copied, not swapped | remove `X.compacted` (`X` has every write) |
//! | `X.compacted`, no `X` | between the two renames | rename `X.compacted` → `X` (the complete copy) |
//! | `X` and `X.previous` | swapped, not cleaned up | remove `X.previous` |
//! | `X.previous` only | (not reachable) | rename it back to `X` |
//!
//! No acknowledged write is lost: every write acknowledged before step 1 is in the copy, and
//! none is acknowledged between steps 1 and 6.
//!
//! # Migration of stores with unkeyed digests (schema 1)
//!
//! Stores written before keyed digests (schema 1) named subjects by
//! `SHA-512(label ‖ handle)[0..32]` and tickets by their raw ids. Because the keyed subject
//! digest is an HMAC *of that unkeyed digest*, such a store is re-keyed completely, without
//! the handles: the first [`RevocationStore::open`] with a key copies it, re-keyed, into a
//! fresh directory by the compaction above (revoked subjects get epoch 0, which refuses no
//! ticket by itself; quota records keep their counts), so nothing unkeyed stays on disk.
//!
//! # Durability
//!
//! Every mutating call flushes (sled `flush`: write out dirty buffers and `fsync`) **before**
//! returning `Ok`. A caller that saw `Ok` from a reservation may hand out those tokens knowing
//! a crash cannot roll the quota back; an admin that saw `Ok` from a revocation knows it
//! survives a power cut.
//!
//! # Concurrency
//!
//! [`RevocationStore`] is a cheap `Clone` handle; clone it rather than opening the same path
//! twice (sled holds a file lock). Calls are synchronous and may block on disk (and on a
//! running compaction): an async server wraps them in `spawn_blocking`. Quota updates and
//! subject records are compare-and-swap loops, so concurrent redemptions of one ticket never
//! mint more than its quota in total and concurrent writers never move an epoch back.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use greenlight_issuance::epoch::{
    subject_record_forgettable, ticket_record_forgettable, SubjectRecord,
};
use greenlight_issuance::{DayTotal, Reservation};
use sled::{IVec, Tree};
use thiserror::Error;

pub use greenlight_issuance::digest::{
    legacy_subject_digest, DigestKey, SubjectDigest, TicketDigest, DIGEST_KEY_LEN,
    SUBJECT_DIGEST_LEN, TICKET_DIGEST_LEN,
};
use greenlight_wire::lengths::{KEY_ID as KEY_ID_LEN, TICKET_ID as TICKET_ID_LEN};

/// Version of the on-disk layout, stored under `meta/schema`. A store written by a later,
/// incompatible layout is refused instead of being misread; schema 1 (unkeyed digests) is
/// migrated when opened.
pub const SCHEMA_VERSION: u8 = 2;
/// The layout with unkeyed digests, migrated by [`RevocationStore::open`].
const LEGACY_SCHEMA_VERSION: u8 = 1;

const TREE_META: &str = "meta";
const TREE_SUBJECTS: &str = "subjects";
const TREE_TICKETS: &str = "tickets";
const TREE_KEYS: &str = "revoked-keys";
/// `key_id (8) ‖ day u32 BE (4)` → `tokens u64 BE (8)`.
const TREE_TOTALS: &str = "daily-totals";
const META_SCHEMA: &[u8] = b"schema";
const META_KEY_CHECK: &[u8] = b"key-check";
/// Schema 1 trees: unkeyed subject digests (empty values) and raw ticket ids.
const LEGACY_TREE_SUBJECTS: &str = "revoked-subjects";
const LEGACY_TREE_TICKETS: &str = "ticket-quotas";

/// Version byte of a ticket quota record.
const TICKET_RECORD_VERSION: u8 = 1;
/// `version (1) ‖ remaining u16 BE (2) ‖ expires_at u64 BE (8)`.
const TICKET_RECORD_LEN: usize = 11;
/// Version byte of a subject record.
const SUBJECT_RECORD_VERSION: u8 = 1;
/// `version (1) ‖ flags (1: bit 0 revoked) ‖ epoch u64 BE (8)`.
const SUBJECT_RECORD_LEN: usize = 10;
const FLAG_REVOKED: u8 = 1;

/// Suffixes of the directories next to the store used by compaction.
const COMPACTING: &str = "compacting";
const COMPACTED: &str = "compacted";
const PREVIOUS: &str = "previous";

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
    #[error("unsupported store schema version {found} (this build understands {LEGACY_SCHEMA_VERSION} and {SCHEMA_VERSION})")]
    UnsupportedSchema {
        /// Version found on disk.
        found: u8,
    },
    /// The store's records are keyed with another key than the one it was opened with.
    #[error("the revocation store was written with a different digest key: restore the key file it was created with (a new key would silently lift every revocation)")]
    WrongKey,
    /// A record on disk does not have the expected shape.
    #[error("corrupt {0} record in the revocation store")]
    Corrupt(&'static str),
    /// A compaction failed and the store could not be reopened; restart the process (opening
    /// recovers).
    #[error(
        "the revocation store is unavailable after a failed compaction; restart to recover it"
    )]
    Unavailable,
    /// A file-system step of compaction or recovery failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The underlying database failed (I/O error, lock held by another process, …).
    #[error("storage error: {0}")]
    Sled(#[from] sled::Error),
}

fn io_error(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> StoreError {
    let context = context.into();
    move |source| StoreError::Io { context, source }
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

/// A subject record's bytes. Decoding is strict (known version, no unknown flag), so
/// `encode(decode(bytes)) == bytes` and compare-and-swap on the encoding is exact.
fn encode_subject(record: SubjectRecord) -> [u8; SUBJECT_RECORD_LEN] {
    let mut out = [0u8; SUBJECT_RECORD_LEN];
    out[0] = SUBJECT_RECORD_VERSION;
    out[1] = if record.revoked { FLAG_REVOKED } else { 0 };
    out[2..].copy_from_slice(&record.epoch.to_be_bytes());
    out
}

fn decode_subject(bytes: &[u8]) -> Result<SubjectRecord, StoreError> {
    let corrupt = || StoreError::Corrupt("subject");
    let bytes: &[u8; SUBJECT_RECORD_LEN] = bytes.try_into().map_err(|_| corrupt())?;
    let [version, flags, epoch @ ..] = *bytes;
    if version != SUBJECT_RECORD_VERSION || flags & !FLAG_REVOKED != 0 {
        return Err(corrupt());
    }
    Ok(SubjectRecord {
        revoked: flags & FLAG_REVOKED != 0,
        epoch: u64::from_be_bytes(epoch),
    })
}

/// What one [`RevocationStore::sweep`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Ticket quota records.
    pub tickets: usize,
    /// Subject records.
    pub subjects: usize,
}

/// Where a simulated crash stops [`RevocationStore::compact_interrupted`] (tests only).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// Part of the copy written (`X.compacting` exists).
    DuringCopy,
    /// The copy is complete (`X.compacted`), the store not yet swapped.
    BeforeSwap,
    /// `X` moved to `X.previous`, the copy not yet moved to `X`.
    MidSwap,
    /// Swapped; `X.previous` not yet removed.
    BeforeCleanup,
}

/// The open database and its trees.
struct Trees {
    db: sled::Db,
    meta: Tree,
    subjects: Tree,
    tickets: Tree,
    keys: Tree,
    totals: Tree,
}

impl Trees {
    fn of(db: sled::Db) -> Result<Self, StoreError> {
        Ok(Trees {
            meta: db.open_tree(TREE_META)?,
            subjects: db.open_tree(TREE_SUBJECTS)?,
            tickets: db.open_tree(TREE_TICKETS)?,
            keys: db.open_tree(TREE_KEYS)?,
            totals: db.open_tree(TREE_TOTALS)?,
            db,
        })
    }

    /// Makes every previous write durable (see the crate docs on durability).
    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

struct Shared {
    key: DigestKey,
    /// The store's directory; `None` for a temporary store (never compacted).
    path: Option<PathBuf>,
    /// `None` only after a compaction failed and the store could not be reopened.
    trees: RwLock<Option<Trees>>,
    /// Something was forgotten (a record removed, a revocation lifted) since the last
    /// compaction.
    dirty: AtomicBool,
}

/// Handle to the store. Cloning is cheap and shares the database.
#[derive(Clone)]
pub struct RevocationStore {
    shared: Arc<Shared>,
}

impl core::fmt::Debug for RevocationStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RevocationStore")
            .field("subjects", &self.subject_count())
            .field("tickets", &self.ticket_count())
            .finish_non_exhaustive()
    }
}

impl RevocationStore {
    /// Opens (creating if needed) the store in directory `path`, with the key its digests are
    /// made with. Recovers from an interrupted compaction first, and migrates a schema-1
    /// store (see the crate docs). Fails with [`StoreError::WrongKey`] if the store was
    /// written with another key, and if another process (or another handle in this process)
    /// has it open: clone the handle instead.
    pub fn open(path: impl AsRef<Path>, key: DigestKey) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        recover(&path)?;
        let trees = open_trees(&path)?;
        let prepared = prepare(&trees, &key)?;
        let mut slot = Some(trees);
        if let Prepared::Legacy = prepared {
            compact_dir(&path, &mut slot, &key, LEGACY_SCHEMA_VERSION, None)?;
        }
        let trees = slot.ok_or(StoreError::Unavailable)?;
        Ok(Self::from_parts(key, Some(path), trees))
    }

    /// A store that lives only as long as its handles (sled `temporary` mode, removed on drop),
    /// for the demo and tests. Never compacted.
    pub fn open_temporary(key: DigestKey) -> Result<Self, StoreError> {
        let trees = Trees::of(sled::Config::new().temporary(true).open()?)?;
        prepare(&trees, &key)?;
        Ok(Self::from_parts(key, None, trees))
    }

    fn from_parts(key: DigestKey, path: Option<PathBuf>, trees: Trees) -> Self {
        RevocationStore {
            shared: Arc::new(Shared {
                key,
                path,
                trees: RwLock::new(Some(trees)),
                dirty: AtomicBool::new(false),
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&Trees) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let guard = self
            .shared
            .trees
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        f(guard.as_ref().ok_or(StoreError::Unavailable)?)
    }

    /// The key this store's digests are made with.
    pub fn digest_key(&self) -> &DigestKey {
        &self.shared.key
    }

    // --- subjects -----------------------------------------------------------------------

    /// The subject's record, if the store holds one.
    pub fn subject_record(
        &self,
        subject: &SubjectDigest,
    ) -> Result<Option<SubjectRecord>, StoreError> {
        self.with(|t| {
            t.subjects
                .get(subject.as_bytes())?
                .map(|bytes| decode_subject(&bytes))
                .transpose()
        })
    }

    /// Compare-and-swap of a subject's record (the `greenlight_issuance::Store` contract):
    /// writes `new` if the record is still `expected`. Durable when it returns `true`.
    pub fn swap_subject_record(
        &self,
        subject: &SubjectDigest,
        expected: Option<SubjectRecord>,
        new: SubjectRecord,
    ) -> Result<bool, StoreError> {
        let swapped = self.with(|t| {
            let old = expected.map(encode_subject);
            let swapped = t
                .subjects
                .compare_and_swap(
                    subject.as_bytes(),
                    old.as_ref().map(|b| &b[..]),
                    Some(&encode_subject(new)[..]),
                )?
                .is_ok();
            if swapped {
                t.flush()?;
            }
            Ok(swapped)
        })?;
        if swapped && expected.is_some_and(|r| r.revoked) && !new.revoked {
            // A lifted revocation is forgotten data: the next compaction removes it.
            self.shared.dirty.store(true, Ordering::SeqCst);
        }
        Ok(swapped)
    }

    /// Whether the subject with this handle is revoked (the digest is computed with the
    /// store's key; for inspection and tests).
    pub fn is_revoked(&self, handle: &str) -> Result<bool, StoreError> {
        let subject = self.shared.key.subject(handle);
        Ok(self.subject_record(&subject)?.is_some_and(|r| r.revoked))
    }

    /// Number of subject records (for tests; reveals no one).
    pub fn subject_count(&self) -> usize {
        self.with(|t| Ok(t.subjects.len())).unwrap_or(0)
    }

    /// Number of revoked subjects (reveals no one). Reads every subject record.
    pub fn revoked_subject_count(&self) -> Result<usize, StoreError> {
        self.with(|t| {
            let mut n = 0;
            for entry in t.subjects.iter() {
                let (_, value) = entry?;
                n += usize::from(decode_subject(&value)?.revoked);
            }
            Ok(n)
        })
    }

    // --- ticket quotas ------------------------------------------------------------------

    /// Atomically takes `n` tokens from the ticket's quota and returns how many remain.
    ///
    /// The first reservation for `ticket` creates its record with `quota` tokens and
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
    /// The caller must check the ticket's signature, validity window and subject first: the
    /// record is forgotten by [`RevocationStore::sweep`] a day after `expires_at_unix`, after
    /// which only the ticket's own expiry stops a replay.
    pub fn reserve_tokens(
        &self,
        ticket: &TicketDigest,
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<u16, StoreError> {
        if n == 0 {
            return Err(StoreError::ZeroTokens);
        }
        self.with(|t| loop {
            let current = t.tickets.get(ticket.as_bytes())?;
            let record = match &current {
                Some(bytes) => TicketRecord::decode(bytes)?,
                None => TicketRecord {
                    remaining: quota,
                    expires_at: expires_at_unix,
                },
            };
            let Some(remaining) = record.remaining.checked_sub(n) else {
                return Err(StoreError::QuotaExceeded {
                    remaining: record.remaining,
                });
            };
            let updated = TicketRecord {
                remaining,
                ..record
            }
            .encode();
            match t
                .tickets
                .compare_and_swap(ticket.as_bytes(), current, Some(&updated[..]))?
            {
                Ok(()) => {
                    t.flush()?;
                    return Ok(remaining);
                }
                Err(_) => continue, // Someone else changed the record: re-read and retry.
            }
        })
    }

    /// Tokens the ticket may still mint, or `None` if it was never redeemed (or was swept).
    pub fn remaining_tokens_of(&self, ticket: &TicketDigest) -> Result<Option<u16>, StoreError> {
        self.with(|t| {
            t.tickets
                .get(ticket.as_bytes())?
                .map(|bytes| TicketRecord::decode(&bytes).map(|r| r.remaining))
                .transpose()
        })
    }

    /// [`Self::remaining_tokens_of`] the ticket with this id (the digest is computed with the
    /// store's key; for inspection and tests).
    pub fn remaining_tokens(
        &self,
        ticket_id: [u8; TICKET_ID_LEN],
    ) -> Result<Option<u16>, StoreError> {
        self.remaining_tokens_of(&self.shared.key.ticket(&ticket_id))
    }

    /// Number of ticket records held.
    pub fn ticket_count(&self) -> usize {
        self.with(|t| Ok(t.tickets.len())).unwrap_or(0)
    }

    // --- forgetting ---------------------------------------------------------------------

    /// Forgets what the issuance rules no longer need at `now_unix`: quota records a day past
    /// their ticket's expiry, and subject records that are not revoked and whose epoch is old
    /// enough that every ticket it would refuse has expired
    /// (`greenlight_issuance::epoch::{ticket_record_forgettable, subject_record_forgettable}`).
    /// A record that changes concurrently is left for the next sweep. Durable on `Ok`. What is
    /// removed stays in sled's files until the next [`Self::compact`].
    pub fn sweep(&self, now_unix: u64) -> Result<Swept, StoreError> {
        let swept = self.with(|t| {
            let mut swept = Swept::default();
            for entry in t.tickets.iter() {
                let (key, value): (IVec, IVec) = entry?;
                if ticket_record_forgettable(TicketRecord::decode(&value)?.expires_at, now_unix)
                    && t.tickets
                        .compare_and_swap(&key, Some(&value), None::<&[u8]>)?
                        .is_ok()
                {
                    swept.tickets += 1;
                }
            }
            for entry in t.subjects.iter() {
                let (key, value): (IVec, IVec) = entry?;
                if subject_record_forgettable(&decode_subject(&value)?, now_unix)
                    && t.subjects
                        .compare_and_swap(&key, Some(&value), None::<&[u8]>)?
                        .is_ok()
                {
                    swept.subjects += 1;
                }
            }
            t.flush()?;
            Ok(swept)
        })?;
        if swept != Swept::default() {
            self.shared.dirty.store(true, Ordering::SeqCst);
        }
        Ok(swept)
    }

    /// Whether something was forgotten since the last compaction (a sweep removed records, a
    /// revocation was lifted), so that [`Self::compact`] would remove data from the disk.
    pub fn needs_compaction(&self) -> bool {
        self.shared.dirty.load(Ordering::SeqCst)
    }

    /// Copies the live records into a fresh directory and swaps it in (the steps and their
    /// crash safety are in the crate docs), so that removed and overwritten records leave the
    /// disk. Blocks every other call on this store while it runs. Returns `false` for a
    /// temporary store (nothing to do). If a step before the swap fails (a full disk, a
    /// corrupt record it refuses to carry over), the store stays open as it was and its
    /// partial copy is removed; if a later step fails, the store is recovered and reopened
    /// from disk, and only if that fails too does every call answer
    /// [`StoreError::Unavailable`] until the process reopens the store. Either way
    /// [`Self::needs_compaction`] stays set, so the next sweep retries.
    pub fn compact(&self) -> Result<bool, StoreError> {
        self.compact_until(None)
    }

    /// [`Self::compact`] stopped at `crash` as if the process had died there: the store is
    /// left unusable ([`StoreError::Unavailable`]) and the directories as the crash would
    /// leave them, for tests of the recovery in [`Self::open`].
    #[doc(hidden)]
    pub fn compact_interrupted(&self, crash: CrashPoint) -> Result<bool, StoreError> {
        self.compact_until(Some(crash))
    }

    fn compact_until(&self, crash: Option<CrashPoint>) -> Result<bool, StoreError> {
        let Some(path) = &self.shared.path else {
            return Ok(false);
        };
        let mut guard = self
            .shared
            .trees
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if guard.is_none() {
            return Err(StoreError::Unavailable);
        }
        let result = compact_dir(path, &mut guard, &self.shared.key, SCHEMA_VERSION, crash);
        if crash.is_some() {
            // The simulated process died at `crash`: nothing of it stays usable.
            *guard = None;
        }
        match result {
            Ok(()) => {
                self.shared.dirty.store(false, Ordering::SeqCst);
                Ok(true)
            }
            Err(e) => {
                if crash.is_none() {
                    if guard.is_none() {
                        // The failure came after the old store was closed: recovery finds a
                        // complete store (the old one, or the complete copy) and reopens it.
                        *guard = recover(path).and_then(|()| reopen_trees(path)).ok();
                    } else {
                        // Before that, the old store simply stays open; its partial copy
                        // goes (or the next open removes it).
                        for suffix in [COMPACTING, COMPACTED] {
                            if let Ok(leftover) = sibling(path, suffix) {
                                let _ = remove_dir(&leftover);
                            }
                        }
                    }
                }
                // The next sweep retries.
                self.shared.dirty.store(true, Ordering::SeqCst);
                Err(e)
            }
        }
    }

    // --- issuer keys ----------------------------------------------------------------------

    /// Marks an issuer key revoked (after a compromise); the issuer stops using it and the next
    /// key list flags it. Revocation of keys is final: there is no un-revoke. Returns whether it
    /// was newly revoked. Durable on `Ok`.
    pub fn revoke_key(&self, key_id: [u8; KEY_ID_LEN]) -> Result<bool, StoreError> {
        self.with(|t| {
            let previous = t.keys.insert(key_id, &[])?;
            t.flush()?;
            Ok(previous.is_none())
        })
    }

    /// Whether the issuer key is revoked.
    pub fn is_key_revoked(&self, key_id: [u8; KEY_ID_LEN]) -> Result<bool, StoreError> {
        self.with(|t| Ok(t.keys.contains_key(key_id)?))
    }

    /// All revoked key ids, in ascending byte order.
    pub fn revoked_keys(&self) -> Result<Vec<[u8; KEY_ID_LEN]>, StoreError> {
        self.with(|t| {
            t.keys
                .iter()
                .keys()
                .map(|key| {
                    let key = key?;
                    <[u8; KEY_ID_LEN]>::try_from(key.as_ref())
                        .map_err(|_| StoreError::Corrupt("revoked key"))
                })
                .collect()
        })
    }
}

impl RevocationStore {
    // --- daily totals ------------------------------------------------------------------------

    /// Adds `tokens` to the tokens issued under `key_id` on UTC day `day`. Not flushed: the
    /// next durable write (every reservation flushes) carries it; a crash may lose the last
    /// few counts, never a decision.
    pub fn add_issued(
        &self,
        key_id: [u8; KEY_ID_LEN],
        day: u32,
        tokens: u64,
    ) -> Result<(), StoreError> {
        let mut k = [0u8; KEY_ID_LEN + 4];
        k[..KEY_ID_LEN].copy_from_slice(&key_id);
        k[KEY_ID_LEN..].copy_from_slice(&day.to_be_bytes());
        self.with(|t| {
            t.totals.update_and_fetch(k, |old| {
                let before = old
                    .and_then(|v| <[u8; 8]>::try_from(v).ok())
                    .map_or(0, u64::from_be_bytes);
                Some(before.saturating_add(tokens).to_be_bytes().to_vec())
            })?;
            Ok(())
        })
    }

    /// Every daily total held.
    pub fn issued_totals(&self) -> Result<Vec<DayTotal>, StoreError> {
        self.with(|t| {
            t.totals
                .iter()
                .map(|entry| {
                    let (k, v) = entry?;
                    decode_total(&k, &v)
                })
                .collect()
        })
    }
}

fn decode_total(k: &[u8], v: &[u8]) -> Result<DayTotal, StoreError> {
    let bad = || StoreError::Corrupt("daily total");
    let key_id: [u8; KEY_ID_LEN] = k
        .get(..KEY_ID_LEN)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    let day: [u8; 4] = k
        .get(KEY_ID_LEN..)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    let tokens: [u8; 8] = v.try_into().map_err(|_| bad())?;
    Ok(DayTotal {
        key_id,
        day: u32::from_be_bytes(day),
        tokens: u64::from_be_bytes(tokens),
    })
}

/// The issuance pipeline's view of this store (`greenlight_issuance::Store`).
impl greenlight_issuance::Store for RevocationStore {
    type Error = StoreError;

    fn digest_key(&self) -> &DigestKey {
        RevocationStore::digest_key(self)
    }

    fn subject_record(&self, subject: &SubjectDigest) -> Result<Option<SubjectRecord>, StoreError> {
        RevocationStore::subject_record(self, subject)
    }

    fn swap_subject_record(
        &self,
        subject: &SubjectDigest,
        expected: Option<SubjectRecord>,
        new: SubjectRecord,
    ) -> Result<bool, StoreError> {
        RevocationStore::swap_subject_record(self, subject, expected, new)
    }

    fn reserve_tokens(
        &self,
        ticket: &TicketDigest,
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<Reservation, StoreError> {
        match RevocationStore::reserve_tokens(self, ticket, quota, n, expires_at_unix) {
            Ok(remaining) => Ok(Reservation::Reserved { remaining }),
            Err(StoreError::QuotaExceeded { remaining }) => {
                Ok(Reservation::QuotaExceeded { remaining })
            }
            Err(e) => Err(e),
        }
    }

    fn add_issued(&self, key_id: [u8; 8], day: u32, tokens: u64) -> Result<(), StoreError> {
        RevocationStore::add_issued(self, key_id, day, tokens)
    }

    fn issued_totals(&self) -> Result<Vec<DayTotal>, StoreError> {
        RevocationStore::issued_totals(self)
    }
}

// --- opening, migration, compaction, recovery ---------------------------------------------

fn open_trees(path: &Path) -> Result<Trees, StoreError> {
    Trees::of(sled::Config::new().path(path).open()?)
}

impl StoreError {
    /// Whether this is sled reporting its directory lock as held by someone else. sled 0.34
    /// reports it as `io::ErrorKind::Other` whose text starts "could not acquire lock"
    /// (wrapping the `WouldBlock` of the lock call): the text is all there is to match.
    pub fn is_lock_held(&self) -> bool {
        matches!(self, StoreError::Sled(_)) && self.to_string().contains("could not acquire lock")
    }
}

/// [`open_trees`] on a directory this process has just closed (compaction): its lock can be
/// held for an instant by a child process forked at the moment it was still open (the copy of
/// the lock file's descriptor lives until the child `exec`s; sled issues #1234, #1289), so a
/// held lock is retried for up to two seconds rather than taken for another owner.
fn reopen_trees(path: &Path) -> Result<Trees, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match open_trees(path) {
            Err(e) if e.is_lock_held() && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

enum Prepared {
    /// Current schema, right key.
    Ready,
    /// Schema 1: to be migrated.
    Legacy,
}

/// Checks the schema and the key of a freshly opened store, initialising an empty one.
fn prepare(trees: &Trees, key: &DigestKey) -> Result<Prepared, StoreError> {
    match trees.meta.get(META_SCHEMA)? {
        None => {
            trees.meta.insert(META_KEY_CHECK, &key.check_value())?;
            trees.meta.insert(META_SCHEMA, &[SCHEMA_VERSION])?;
            trees.flush()?;
            Ok(Prepared::Ready)
        }
        Some(v) if v.as_ref() == [SCHEMA_VERSION] => match trees.meta.get(META_KEY_CHECK)? {
            Some(check) if check.as_ref() == key.check_value() => Ok(Prepared::Ready),
            _ => Err(StoreError::WrongKey),
        },
        Some(v) if v.as_ref() == [LEGACY_SCHEMA_VERSION] => Ok(Prepared::Legacy),
        Some(v) => Err(StoreError::UnsupportedSchema {
            found: v.first().copied().unwrap_or(0),
        }),
    }
}

/// `X.<suffix>` next to the store directory `X`.
fn sibling(path: &Path, suffix: &str) -> Result<PathBuf, StoreError> {
    let name = path.file_name().ok_or_else(|| StoreError::Io {
        context: format!("{} is not a directory name", path.display()),
        source: std::io::ErrorKind::InvalidInput.into(),
    })?;
    let mut name = name.to_os_string();
    name.push(".");
    name.push(suffix);
    Ok(path.with_file_name(name))
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn exists(path: &Path) -> Result<bool, StoreError> {
    path.try_exists()
        .map_err(io_error(format!("checking {}", path.display())))
}

/// Removes the directory (or stray file) at `path`, if there is one.
fn remove_dir(path: &Path) -> Result<(), StoreError> {
    let removed = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match removed {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(format!("removing {}", path.display()))(e)),
    }
}

fn rename(from: &Path, to: &Path) -> Result<(), StoreError> {
    fs::rename(from, to).map_err(io_error(format!(
        "renaming {} to {}",
        from.display(),
        to.display()
    )))?;
    sync_dir(parent(to))
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    // Makes renames and removals durable. Directories cannot be opened this way on Windows;
    // there durability of a rename is the file system's business.
    #[cfg(unix)]
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error(format!("syncing {}", dir.display())))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// fsyncs every file and directory under `dir`, and `dir`.
fn sync_tree(dir: &Path) -> Result<(), StoreError> {
    let entries = fs::read_dir(dir).map_err(io_error(format!("reading {}", dir.display())))?;
    for entry in entries {
        let path = entry
            .map_err(io_error(format!("reading {}", dir.display())))?
            .path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            fs::File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(io_error(format!("syncing {}", path.display())))?;
        }
    }
    sync_dir(dir)
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(io_error(format!("creating {}", dir.display())))
}

/// Brings the store directory `path` back to one complete store after a crash during
/// compaction (the table in the crate docs). Idempotent.
fn recover(path: &Path) -> Result<(), StoreError> {
    let compacting = sibling(path, COMPACTING)?;
    let compacted = sibling(path, COMPACTED)?;
    let previous = sibling(path, PREVIOUS)?;
    if exists(&compacting)? {
        remove_dir(&compacting)?;
        sync_dir(parent(path))?;
    }
    match (exists(path)?, exists(&compacted)?, exists(&previous)?) {
        (true, true, _) => {
            // Copied but not swapped: the store itself has every write.
            remove_dir(&compacted)?;
            remove_dir(&previous)?;
            sync_dir(parent(path))?;
        }
        (false, true, _) => {
            // Between the two renames: the copy is complete and nothing was written since.
            rename(&compacted, path)?;
            remove_dir(&previous)?;
            sync_dir(parent(path))?;
        }
        (true, false, true) => {
            remove_dir(&previous)?;
            sync_dir(parent(path))?;
        }
        (false, false, true) => rename(&previous, path)?,
        (_, false, false) => {}
    }
    Ok(())
}

/// Copies the live records of the open store in `slot` (in layout `from_schema`) into a fresh
/// store, swaps it in place of `path` and leaves it open in `slot` (the steps of the crate
/// docs). If a step before the swap fails, `slot` still holds the old store, open; after
/// that, `slot` is empty and [`recover`] finds a complete store. `crash`: stop there.
fn compact_dir(
    path: &Path,
    slot: &mut Option<Trees>,
    key: &DigestKey,
    from_schema: u8,
    crash: Option<CrashPoint>,
) -> Result<(), StoreError> {
    let compacting = sibling(path, COMPACTING)?;
    let compacted = sibling(path, COMPACTED)?;
    let previous = sibling(path, PREVIOUS)?;
    let stop = |at: CrashPoint| crash == Some(at);
    let old = slot.as_ref().ok_or(StoreError::Unavailable)?;
    // 1. Leftovers of an interrupted run: `path` is the complete store (it is open).
    remove_dir(&compacting)?;
    remove_dir(&compacted)?;
    remove_dir(&previous)?;
    old.flush()?;
    // 2. The copy.
    create_private_dir(&compacting)?;
    {
        let new = Trees::of(sled::Config::new().path(&compacting).open()?)?;
        if stop(CrashPoint::DuringCopy) {
            new.meta.insert(META_SCHEMA, &[SCHEMA_VERSION])?;
            new.flush()?;
            return Err(StoreError::Unavailable);
        }
        copy_live(old, &new, key, from_schema)?;
        new.meta.insert(META_KEY_CHECK, &key.check_value())?;
        new.meta.insert(META_SCHEMA, &[SCHEMA_VERSION])?;
        new.flush()?;
    }
    sync_tree(&compacting)?;
    // 3. Complete.
    rename(&compacting, &compacted)?;
    if stop(CrashPoint::BeforeSwap) {
        return Err(StoreError::Unavailable);
    }
    // 4. Close the old store (its lock and files), 5. swap.
    drop(slot.take());
    rename(path, &previous)?;
    if stop(CrashPoint::MidSwap) {
        return Err(StoreError::Unavailable);
    }
    rename(&compacted, path)?;
    if stop(CrashPoint::BeforeCleanup) {
        return Err(StoreError::Unavailable);
    }
    // 6. Open the new one; forget the old one.
    *slot = Some(reopen_trees(path)?);
    remove_dir(&previous)?;
    sync_dir(parent(path))
}

/// Every live record of `old` into `new`; a schema-1 store is re-keyed on the way.
fn copy_live(old: &Trees, new: &Trees, key: &DigestKey, from_schema: u8) -> Result<(), StoreError> {
    for entry in old.keys.iter() {
        let (k, v) = entry?;
        new.keys.insert(k, v)?;
    }
    for entry in old.totals.iter() {
        let (k, v) = entry?;
        decode_total(&k, &v)?;
        new.totals.insert(k, v)?;
    }
    if from_schema == LEGACY_SCHEMA_VERSION {
        let legacy_subjects = old.db.open_tree(LEGACY_TREE_SUBJECTS)?;
        for entry in legacy_subjects.iter() {
            let (k, _) = entry?;
            let digest: [u8; SUBJECT_DIGEST_LEN] = k
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("legacy subject"))?;
            let record = SubjectRecord {
                revoked: true,
                epoch: 0,
            };
            new.subjects.insert(
                key.subject_from_legacy(&digest).as_bytes(),
                &encode_subject(record),
            )?;
        }
        let legacy_tickets = old.db.open_tree(LEGACY_TREE_TICKETS)?;
        for entry in legacy_tickets.iter() {
            let (k, v) = entry?;
            let id: [u8; TICKET_ID_LEN] = k
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("legacy ticket quota"))?;
            TicketRecord::decode(&v)?;
            new.tickets.insert(key.ticket(&id).as_bytes(), v)?;
        }
    } else {
        // Records are checked on the way: a corrupt one stops the compaction (the store
        // stays as it is) rather than being carried into the new store unnoticed.
        for entry in old.subjects.iter() {
            let (k, v) = entry?;
            decode_subject(&v)?;
            new.subjects.insert(k, v)?;
        }
        for entry in old.tickets.iter() {
            let (k, v) = entry?;
            TicketRecord::decode(&v)?;
            new.tickets.insert(k, v)?;
        }
    }
    Ok(())
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
    fn subject_record_round_trips_and_decodes_strictly() {
        for record in [
            SubjectRecord {
                revoked: true,
                epoch: 0,
            },
            SubjectRecord {
                revoked: false,
                epoch: 0x0102_0304_0506_0708,
            },
        ] {
            let bytes = encode_subject(record);
            assert_eq!(decode_subject(&bytes).unwrap(), record);
        }
        let mut bad = encode_subject(SubjectRecord {
            revoked: true,
            epoch: 1,
        });
        bad[1] = 3;
        assert!(decode_subject(&bad).is_err(), "unknown flag");
        bad[1] = 1;
        bad[0] = 2;
        assert!(decode_subject(&bad).is_err(), "unknown version");
        assert!(decode_subject(&[]).is_err());
    }

    #[test]
    fn siblings_are_next_to_the_store() {
        let p = Path::new("/data/revocation.sled");
        assert_eq!(
            sibling(p, COMPACTED).unwrap(),
            Path::new("/data/revocation.sled.compacted")
        );
        assert_eq!(parent(Path::new("store")), Path::new("."));
    }
}
