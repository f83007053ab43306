//! The issuer's persistent state behind one type: sled in the data directory (the embedded
//! default, one process) or PostgreSQL (`--database-url`, shared by every node of a region).
//!
//! Both implement `greenlight_issuance::Store` with the same rules and the same keyed digests
//! (`store.key`), so the issuance pipeline and the epoch rules run unchanged on either; this
//! type only forwards. What differs is housekeeping: sled is compacted so that forgotten
//! records leave the disk; in PostgreSQL deleted rows leave the files only after `VACUUM` and
//! WAL recycling, which the operator schedules (`docs/privacy.md` §4).

use greenlight_issuance::{
    DayTotal, DigestKey, Reservation, Store, SubjectDigest, SubjectRecord, TicketDigest,
};
use greenlight_revocation::RevocationStore;
use greenlight_store_pg::{PgStore, PgStoreError};

/// A failure of either store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The sled store failed.
    #[error(transparent)]
    Sled(#[from] greenlight_revocation::StoreError),
    /// The PostgreSQL store failed.
    #[error(transparent)]
    Pg(#[from] PgStoreError),
}

impl StoreError {
    /// The store cannot be reached now but may be shortly (PostgreSQL down or restarting,
    /// its pool exhausted): answered `503 overloaded` with Retry-After rather than `500`.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Pg(PgStoreError::Unavailable(_)) => true,
            StoreError::Pg(PgStoreError::Db(e)) => {
                e.is_closed()
                    || match e.as_db_error() {
                        // 08 connection exception, 53 insufficient resources, 57 operator
                        // intervention (a shutdown or restart under us).
                        Some(db) => ["08", "53", "57"]
                            .iter()
                            .any(|class| db.code().code().starts_with(class)),
                        // The socket failed.
                        None => {
                            std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
                        }
                    }
            }
            StoreError::Sled(greenlight_revocation::StoreError::Unavailable) => true,
            _ => false,
        }
    }
}

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Ticket quota records.
    pub tickets: u64,
    /// Subject records.
    pub subjects: u64,
}

/// The issuer's store: sled (embedded) or PostgreSQL (shared).
pub enum ServerStore {
    /// `DIR/revocation.sled`, one process.
    Sled(RevocationStore),
    /// A PostgreSQL database shared by several nodes.
    Pg(PgStore),
}

impl ServerStore {
    /// Tokens a ticket may still mint, if it was ever redeemed (tests and tools). Blocking.
    pub fn remaining_tokens(&self, ticket_id: [u8; 16]) -> Result<Option<u16>, StoreError> {
        match self {
            ServerStore::Sled(s) => Ok(s.remaining_tokens(ticket_id)?),
            ServerStore::Pg(p) => {
                let digest = p.digest_key().ticket(&ticket_id);
                Ok(p.wait(p.remaining_tokens(&digest))?)
            }
        }
    }

    /// Whether the subject is revoked (tests and tools). Blocking.
    pub fn is_revoked(&self, handle: &str) -> Result<bool, StoreError> {
        let subject = self.digest_key().subject(handle);
        Ok(self.subject_record(&subject)?.is_some_and(|r| r.revoked))
    }

    /// Whether the issuer key is recorded as revoked. Blocking.
    pub fn is_key_revoked(&self, key_id: [u8; 8]) -> Result<bool, StoreError> {
        match self {
            ServerStore::Sled(s) => Ok(s.is_key_revoked(key_id)?),
            ServerStore::Pg(p) => Ok(p.wait(p.is_key_revoked(key_id))?),
        }
    }

    /// Forgets the records the issuance rules no longer need at `now`, then (sled) compacts
    /// if anything was forgotten since the last compaction. Blocking.
    pub fn sweep(&self, now_unix: u64) -> Result<Swept, StoreError> {
        match self {
            ServerStore::Sled(s) => {
                let swept = s.sweep(now_unix)?;
                if s.needs_compaction() {
                    s.compact()?;
                }
                Ok(Swept {
                    tickets: swept.tickets as u64,
                    subjects: swept.subjects as u64,
                })
            }
            ServerStore::Pg(p) => {
                let swept = p.wait(p.sweep(now_unix))?;
                Ok(Swept {
                    tickets: swept.tickets,
                    subjects: swept.subjects,
                })
            }
        }
    }

    /// The sled store, if this is one.
    pub fn sled(&self) -> Option<&RevocationStore> {
        match self {
            ServerStore::Sled(s) => Some(s),
            ServerStore::Pg(_) => None,
        }
    }

    /// The PostgreSQL store, if this is one.
    pub fn postgres(&self) -> Option<&PgStore> {
        match self {
            ServerStore::Pg(p) => Some(p),
            ServerStore::Sled(_) => None,
        }
    }
}

/// Forwards to the store in use. Blocking: call from blocking threads.
impl Store for ServerStore {
    type Error = StoreError;

    fn digest_key(&self) -> &DigestKey {
        match self {
            ServerStore::Sled(s) => Store::digest_key(s),
            ServerStore::Pg(p) => Store::digest_key(p),
        }
    }

    fn subject_record(&self, subject: &SubjectDigest) -> Result<Option<SubjectRecord>, StoreError> {
        Ok(match self {
            ServerStore::Sled(s) => Store::subject_record(s, subject)?,
            ServerStore::Pg(p) => Store::subject_record(p, subject)?,
        })
    }

    fn swap_subject_record(
        &self,
        subject: &SubjectDigest,
        expected: Option<SubjectRecord>,
        new: SubjectRecord,
    ) -> Result<bool, StoreError> {
        Ok(match self {
            ServerStore::Sled(s) => Store::swap_subject_record(s, subject, expected, new)?,
            ServerStore::Pg(p) => Store::swap_subject_record(p, subject, expected, new)?,
        })
    }

    fn reserve_tokens(
        &self,
        ticket: &TicketDigest,
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<Reservation, StoreError> {
        Ok(match self {
            ServerStore::Sled(s) => Store::reserve_tokens(s, ticket, quota, n, expires_at_unix)?,
            ServerStore::Pg(p) => Store::reserve_tokens(p, ticket, quota, n, expires_at_unix)?,
        })
    }

    fn add_issued(&self, key_id: [u8; 8], day: u32, tokens: u64) -> Result<(), StoreError> {
        match self {
            ServerStore::Sled(s) => Store::add_issued(s, key_id, day, tokens)?,
            ServerStore::Pg(p) => Store::add_issued(p, key_id, day, tokens)?,
        }
        Ok(())
    }

    fn issued_totals(&self) -> Result<Vec<DayTotal>, StoreError> {
        Ok(match self {
            ServerStore::Sled(s) => Store::issued_totals(s)?,
            ServerStore::Pg(p) => Store::issued_totals(p)?,
        })
    }
}

/// Records an issuing key as revoked in the issuer's store: the data directory's sled store,
/// or with `database_url` the region's PostgreSQL database, which every node reads at its
/// next start or key-list load (`revoke-key --database-url`). Blocking; not for async code
/// (it runs its own small runtime for the database).
pub(crate) fn record_key_revoked(
    paths: &crate::datadir::DataPaths,
    store_key: greenlight_revocation::DigestKey,
    database_url: Option<&str>,
    key_id: [u8; 8],
) -> Result<(), crate::ServerError> {
    let Some(url) = database_url else {
        let store = crate::datadir::open_store(paths, store_key)?;
        store.revoke_key(key_id)?;
        return Ok(());
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| crate::ServerError::io("starting the async runtime", e))?;
    let store = runtime
        .block_on(PgStore::connect(url, store_key, 1))
        .map_err(StoreError::Pg)?;
    store
        .wait(store.revoke_key(key_id))
        .map_err(StoreError::Pg)?;
    Ok(())
}
