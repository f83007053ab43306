//! The Greenlight issuer's state in PostgreSQL, for several issuer nodes sharing one database
//! (issue "One national trust root…", item 3). It holds what the sled store
//! (`greenlight-revocation`) holds, with the same privacy rules, and implements the same
//! [`greenlight_issuance::Store`], so the issuance pipeline and every epoch rule run on it
//! unchanged:
//!
//! | table | key | value | kept |
//! |---|---|---|---|
//! | `gl_subjects` | keyed subject digest (32) | revoked, epoch | while revoked; otherwise until the epoch is 15 days old |
//! | `gl_tickets` | keyed ticket digest (32) | tokens left, expiry | until a day after the ticket's expiry |
//! | `gl_revoked_keys` | issuer key id (8) | — | for ever |
//! | `gl_daily_totals` | issuer key id (8), UTC day | tokens issued | for ever (public figures) |
//! | `gl_sessions` | random session id (16) | keyed ticket digest, key id, tokens, the session **sealed** (`greenlight_acl::issuance::seal`), expiry | until answered or expired (a minute) |
//! | `gl_meta` | `key-check` | check value of the digest key | for ever |
//!
//! The digests are `greenlight_issuance::digest`'s: HMAC-SHA-512 under the 32-byte store key,
//! which is never written to the database (the server keeps it in `store.key`; every node of
//! a region needs the same key). The database refuses to be used with another key
//! ([`PgStoreError::WrongKey`]), as the sled store does.
//!
//! # Atomicity across nodes
//!
//! The two decisions that must hold however many nodes serve a region are single statements:
//!
//! * **quota**: `INSERT … ON CONFLICT (digest) DO UPDATE SET remaining = remaining − n WHERE
//!   remaining ≥ n RETURNING remaining` — PostgreSQL locks the row for the update, so two
//!   nodes reserving the last token cannot both succeed, and a ticket never mints more than
//!   its quota;
//! * **subject record**: a compare-and-swap (`UPDATE … WHERE revoked = old AND epoch = old`,
//!   or `INSERT … ON CONFLICT DO NOTHING` when there was none), which
//!   `greenlight_issuance::epoch::update` loops on — a revocation or a newer ticket written by
//!   one node is seen by the next `start` on every node.
//!
//! Every statement commits on its own (`synchronous_commit` as the server is configured; the
//! default, `on`, makes a commit durable before it is acknowledged).
//!
//! # Issuance sessions across nodes
//!
//! Any node may answer a session another node started, and **no session is ever answered
//! twice** (answering one commitment to two challenges reveals the issuing key):
//!
//! * [`PgStore::reserve_session`] inserts the session's row in one statement: refused if the
//!   ticket has an unexpired row (the ticket's `UNIQUE` index decides, on every node), or if
//!   the key's open sessions would pass the cap (exact across nodes: a per-key advisory
//!   lock, held for a few statements);
//! * [`PgStore::store_session`] fills in the sealed secrets once the node has computed them;
//! * [`PgStore::take_session`] is `DELETE … WHERE id = $1 AND sealed IS NOT NULL RETURNING`,
//!   committed synchronously —
//!   PostgreSQL lets exactly one of any number of concurrent deletes of a row return it, so
//!   exactly one `finish`, on whichever node, gets the secrets; the others find nothing.
//!
//! A node that dies between start and finish leaves its row; another node answers it. A node
//! that dies after the delete and before replying loses that batch (its quota stays spent), as a
//! single node's crash always did. Expired rows are deleted by [`PgStore::sweep_sessions`]
//! (every node, every few seconds), and a ticket's expired row is replaced by its next start.
//!
//! # Forgetting
//!
//! [`PgStore::sweep`] deletes what the rules of `greenlight_issuance::epoch` no longer need.
//! PostgreSQL keeps deleted rows in its table files until (auto)vacuum reclaims the space and
//! it is reused, and in its write-ahead log until the log segment is recycled; operators who
//! need "forgotten" to mean "gone from the disk" run `VACUUM` after a sweep and keep WAL
//! archives no longer than the records' own lifetime (`docs/privacy.md` §4).
//!
//! # Calling it
//!
//! The [`Store`] methods are synchronous, as the issuance pipeline is: they block on the pool
//! through the Tokio runtime the store was connected on. Call them from blocking threads
//! (`spawn_blocking`, as the server already does for every store call), never from inside an
//! async task.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use greenlight_issuance::epoch::{subject_forget_before, ticket_forget_before, SubjectRecord};
use greenlight_issuance::{DayTotal, DigestKey, Reservation, Store, SubjectDigest, TicketDigest};
use thiserror::Error;
use tokio_postgres::NoTls;

/// Set on every new connection, whatever the server, database or role defaults are:
/// commits wait for the disk (and for synchronous standbys) unless a transaction says
/// otherwise (`lazy_commit`) — the session hand-over of [`PgStore::take_session`] relies on
/// it — and no statement runs longer than 10 s (a database that stops answering ends in 503).
const SESSION_SETTINGS: &str = "SET synchronous_commit = on; SET statement_timeout = 10000";

/// The migrations, in order; each runs once, in a transaction, under an advisory lock (so
/// nodes starting together do not race).
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_sessions.sql")),
];
/// `pg_advisory_xact_lock` key of the migration step ("glmigrat").
const MIGRATION_LOCK: i64 = 0x676c_6d69_6772_6174;
/// How long a caller waits for a pooled connection (or a new one) before the store reports
/// the database unavailable — the server then answers 503 instead of hanging.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// Errors of the PostgreSQL store. Messages never contain query parameters (digests).
#[derive(Debug, Error)]
pub enum PgStoreError {
    /// The database URL does not parse.
    #[error("invalid database URL: {0}")]
    BadUrl(String),
    /// A query or the connection failed.
    #[error("PostgreSQL: {}", describe_db_error(.0))]
    Db(#[from] tokio_postgres::Error),
    /// No connection could be had in time (the database is down or overloaded).
    #[error("PostgreSQL is unavailable: {0}")]
    Unavailable(String),
    /// The database's records are keyed with another digest key than this node's.
    #[error("the PostgreSQL store was written with a different digest key: give this node the store.key the other nodes use (a new key would silently lift every revocation)")]
    WrongKey,
    /// A row does not have the expected shape.
    #[error("corrupt {0} row in the PostgreSQL store")]
    Corrupt(&'static str),
    /// A reservation of zero tokens (always a caller bug).
    #[error("a reservation of zero tokens")]
    ZeroReservation,
}

/// tokio-postgres's `Display` says only "db error": add the SQLSTATE and the server's message
/// (they name constraints and statements, never parameter values — digests stay out of logs).
fn describe_db_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

impl From<deadpool_postgres::PoolError> for PgStoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(db) => PgStoreError::Db(db),
            other => PgStoreError::Unavailable(other.to_string()),
        }
    }
}

/// What one [`PgStore::sweep`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Ticket quota records.
    pub tickets: u64,
    /// Subject records.
    pub subjects: u64,
}

/// A handle to the shared store: a connection pool. Clone it freely.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// "database D on H as U", for start-up reports (never the password).
    description: String,
    key: std::sync::Arc<DigestKey>,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to `url` (a libpq-style string, `host=… user=… dbname=…` or
    /// `postgres://…`) with a pool of at most `max_connections`, runs the migrations this
    /// database has not had yet, and checks (or, on a new database, records) the digest key.
    pub async fn connect(
        url: &str,
        key: DigestKey,
        max_connections: usize,
    ) -> Result<Self, PgStoreError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| PgStoreError::BadUrl(e.to_string()))?;
        // A database that stops answering without closing its connections (a partition, a
        // hung host) must also end in 503, not hang requests holding pooled connections:
        // bounded connects, TCP keepalives, a kernel timeout on unacknowledged data (and the
        // statement timeout of `SESSION_SETTINGS`).
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(POOL_TIMEOUT);
        }
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(10));
        #[cfg(target_os = "linux")]
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(Duration::from_secs(10));
        }

        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(max_connections.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .recycle_timeout(Some(POOL_TIMEOUT))
            .post_create(deadpool_postgres::Hook::async_fn(|client, _| {
                Box::pin(async move {
                    client
                        .batch_execute(SESSION_SETTINGS)
                        .await
                        .map_err(deadpool_postgres::HookError::Backend)
                })
            }))
            .build()
            .map_err(|e| PgStoreError::Unavailable(e.to_string()))?;
        let description = describe(&config);
        let store = PgStore {
            description,
            pool,
            key: std::sync::Arc::new(key),
            runtime: tokio::runtime::Handle::current(),
        };
        store.migrate().await?;
        store.check_key().await?;
        Ok(store)
    }

    /// The value of a run-time setting on one of the pool's connections (`SHOW name`), for
    /// tests and operators checking what the nodes run with. `name` must be a setting name
    /// (letters and underscores).
    pub async fn setting(&self, name: &str) -> Result<String, PgStoreError> {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
            return Err(PgStoreError::Corrupt("setting name"));
        }
        let client = self.pool.get().await?;
        let row = client.query_one(&format!("SHOW {name}"), &[]).await?;
        Ok(row.try_get(0)?)
    }

    /// Which database this is, without the password: "database D on H as U".
    pub fn describe(&self) -> &str {
        &self.description
    }

    async fn migrate(&self) -> Result<(), PgStoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS gl_schema_migrations (version integer PRIMARY KEY)",
        )
        .await?;
        for (version, sql) in MIGRATIONS {
            let done = tx
                .query_opt(
                    "SELECT 1 FROM gl_schema_migrations WHERE version = $1",
                    &[version],
                )
                .await?
                .is_some();
            if !done {
                tx.batch_execute(sql).await?;
                tx.execute(
                    "INSERT INTO gl_schema_migrations (version) VALUES ($1)",
                    &[version],
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn check_key(&self) -> Result<(), PgStoreError> {
        let client = self.pool.get().await?;
        let check = self.key.check_value().to_vec();
        client
            .execute(
                "INSERT INTO gl_meta (name, value) VALUES ('key-check', $1) ON CONFLICT (name) DO NOTHING",
                &[&check],
            )
            .await?;
        let row = client
            .query_one("SELECT value FROM gl_meta WHERE name = 'key-check'", &[])
            .await?;
        let stored: Vec<u8> = row.try_get(0)?;
        if stored == check {
            Ok(())
        } else {
            Err(PgStoreError::WrongKey)
        }
    }

    // --- the Store operations, async -----------------------------------------------------

    /// [`Store::subject_record`], for async callers.
    pub async fn subject_record_async(
        &self,
        subject: &SubjectDigest,
    ) -> Result<Option<SubjectRecord>, PgStoreError> {
        let client = self.pool.get().await?;
        let row = client
            .query_opt(
                "SELECT revoked, epoch FROM gl_subjects WHERE digest = $1",
                &[&subject.as_bytes().as_slice()],
            )
            .await?;
        row.map(|row| {
            let revoked: bool = row.try_get(0)?;
            let epoch: i64 = row.try_get(1)?;
            Ok(SubjectRecord {
                revoked,
                epoch: u64::try_from(epoch).map_err(|_| PgStoreError::Corrupt("subject"))?,
            })
        })
        .transpose()
    }

    /// [`Store::swap_subject_record`], for async callers.
    pub async fn swap_subject_record_async(
        &self,
        subject: &SubjectDigest,
        expected: Option<SubjectRecord>,
        new: SubjectRecord,
    ) -> Result<bool, PgStoreError> {
        let client = self.pool.get().await?;
        let digest = subject.as_bytes().as_slice();
        let new_epoch = to_i64(new.epoch)?;
        let changed = match expected {
            None => {
                client
                    .execute(
                        "INSERT INTO gl_subjects (digest, revoked, epoch) VALUES ($1, $2, $3) \
                         ON CONFLICT (digest) DO NOTHING",
                        &[&digest, &new.revoked, &new_epoch],
                    )
                    .await?
            }
            Some(old) => {
                client
                    .execute(
                        "UPDATE gl_subjects SET revoked = $2, epoch = $3 \
                         WHERE digest = $1 AND revoked = $4 AND epoch = $5",
                        &[
                            &digest,
                            &new.revoked,
                            &new_epoch,
                            &old.revoked,
                            &to_i64(old.epoch)?,
                        ],
                    )
                    .await?
            }
        };
        Ok(changed == 1)
    }

    /// [`Store::reserve_tokens`], for async callers.
    pub async fn reserve_tokens_async(
        &self,
        ticket: &TicketDigest,
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<Reservation, PgStoreError> {
        if n == 0 {
            return Err(PgStoreError::ZeroReservation);
        }
        let client = self.pool.get().await?;
        let digest = ticket.as_bytes().as_slice();
        // What is left when a reservation does not fit: the record's count, or the whole quota
        // if nothing was ever reserved.
        let exceeded = |left: Option<u16>| Reservation::QuotaExceeded {
            remaining: left.unwrap_or(quota),
        };
        if n > quota {
            return Ok(exceeded(remaining_of(&client, digest).await?));
        }
        // One statement: the first reservation creates the record (expiry from then on),
        // later ones take from it only if enough is left — under the row lock, so concurrent
        // reservations on any number of nodes never take more than the quota.
        let reserved = client
            .query_opt(
                "INSERT INTO gl_tickets (digest, remaining, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (digest) DO UPDATE SET remaining = gl_tickets.remaining - $4 \
                 WHERE gl_tickets.remaining >= $4 \
                 RETURNING remaining",
                &[
                    &digest,
                    &i32::from(quota - n),
                    &to_i64(expires_at_unix)?,
                    &i32::from(n),
                ],
            )
            .await?;
        match reserved {
            Some(row) => Ok(Reservation::Reserved {
                remaining: to_u16(row.try_get(0)?)?,
            }),
            None => Ok(exceeded(remaining_of(&client, digest).await?)),
        }
    }

    /// Tokens the ticket may still mint, if any were ever reserved (tests and tools).
    pub async fn remaining_tokens(
        &self,
        ticket: &TicketDigest,
    ) -> Result<Option<u16>, PgStoreError> {
        let client = self.pool.get().await?;
        remaining_of(&client, ticket.as_bytes()).await
    }

    /// [`Store::add_issued`], for async callers.
    pub async fn add_issued_async(
        &self,
        key_id: [u8; 8],
        day: u32,
        tokens: u64,
    ) -> Result<(), PgStoreError> {
        let mut client = self.pool.get().await?;
        // A count, not a decision: committed without waiting for the disk (the trait allows
        // losing the last few on a crash).
        let tx = lazy_commit(&mut client).await?;
        tx.execute(
            "INSERT INTO gl_daily_totals (key_id, day, tokens) VALUES ($1, $2, $3) \
             ON CONFLICT (key_id, day) DO UPDATE SET tokens = gl_daily_totals.tokens + $3",
            &[
                &key_id.as_slice(),
                &i32::try_from(day).map_err(|_| PgStoreError::Corrupt("day"))?,
                &to_i64(tokens)?,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::issued_totals`], for async callers.
    pub async fn issued_totals_async(&self) -> Result<Vec<DayTotal>, PgStoreError> {
        let client = self.pool.get().await?;
        let rows = client
            .query("SELECT key_id, day, tokens FROM gl_daily_totals", &[])
            .await?;
        rows.iter()
            .map(|row| {
                let key_id: Vec<u8> = row.try_get(0)?;
                let day: i32 = row.try_get(1)?;
                let tokens: i64 = row.try_get(2)?;
                Ok(DayTotal {
                    key_id: key_id
                        .try_into()
                        .map_err(|_| PgStoreError::Corrupt("daily total"))?,
                    day: u32::try_from(day).map_err(|_| PgStoreError::Corrupt("daily total"))?,
                    tokens: u64::try_from(tokens)
                        .map_err(|_| PgStoreError::Corrupt("daily total"))?,
                })
            })
            .collect()
    }

    // --- housekeeping ----------------------------------------------------------------------

    /// Deletes the quota and subject records the rules of `greenlight_issuance::epoch` no
    /// longer need at `now` (the same cut-offs as the sled store's sweep).
    pub async fn sweep(&self, now_unix: u64) -> Result<Swept, PgStoreError> {
        let client = self.pool.get().await?;
        let tickets = client
            .execute(
                "DELETE FROM gl_tickets WHERE expires_at < $1",
                &[&to_i64(ticket_forget_before(now_unix))?],
            )
            .await?;
        let subjects = client
            .execute(
                "DELETE FROM gl_subjects WHERE NOT revoked AND epoch < $1",
                &[&to_i64(subject_forget_before(now_unix))?],
            )
            .await?;
        Ok(Swept { tickets, subjects })
    }

    /// Marks an issuer key revoked; returns whether it was newly revoked.
    pub async fn revoke_key(&self, key_id: [u8; 8]) -> Result<bool, PgStoreError> {
        let client = self.pool.get().await?;
        let n = client
            .execute(
                "INSERT INTO gl_revoked_keys (key_id) VALUES ($1) ON CONFLICT DO NOTHING",
                &[&key_id.as_slice()],
            )
            .await?;
        Ok(n == 1)
    }

    /// Whether the issuer key is revoked.
    pub async fn is_key_revoked(&self, key_id: [u8; 8]) -> Result<bool, PgStoreError> {
        let client = self.pool.get().await?;
        Ok(client
            .query_opt(
                "SELECT 1 FROM gl_revoked_keys WHERE key_id = $1",
                &[&key_id.as_slice()],
            )
            .await?
            .is_some())
    }
}

/// A session handed to its `finish` by [`PgStore::take_session`].
#[derive(Debug)]
pub struct TakenSession {
    /// The sealed secrets (`greenlight_acl::issuance::seal`).
    pub sealed: Vec<u8>,
    /// The issuing key it was committed under.
    pub key_id: [u8; 8],
    /// Its expiry, bound into the seal.
    pub expires_at: u64,
}

/// The advisory-lock key of one issuing key's session reservations.
fn session_lock(key_id: [u8; 8]) -> i64 {
    i64::from_be_bytes(key_id)
}

/// The outcome of [`PgStore::reserve_session`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionReservation {
    /// The row is in: the caller computes its commitments, then [`PgStore::store_session`].
    Reserved,
    /// The ticket already has a session open or being started (on any node).
    TicketBusy,
    /// The key's open sessions, with this one, would exceed the cap: try again shortly.
    Busy,
}

impl PgStore {
    /// Runs one of this store's async operations to completion on the runtime it was
    /// connected on. For blocking threads only (`spawn_blocking`), never inside a task.
    pub fn wait<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(f)
    }

    /// Reserves room for a session of `tokens` ACL sessions under `key_id` for `ticket`:
    /// refused if the ticket has an unexpired session (open or being started, on any node),
    /// or if the key's unexpired sessions on all nodes would then exceed `cap` tokens — an
    /// exact cap: reservations of one key take a transaction-scoped advisory lock, so they
    /// see each other. A row of the ticket that has expired is replaced in place. The row
    /// expires at `expires_at` unless [`Self::store_session`] renews it, so a node that dies
    /// while computing frees the ticket by then.
    ///
    /// Committed without waiting for the disk: a reservation lost in a database crash only
    /// frees the ticket early, and the later synchronous commit of the session's `take`
    /// flushes it anyway.
    #[allow(clippy::too_many_arguments)]
    pub async fn reserve_session(
        &self,
        id: &[u8; 16],
        ticket: &TicketDigest,
        key_id: [u8; 8],
        tokens: u16,
        cap: u32,
        now_unix: u64,
        expires_at_unix: u64,
    ) -> Result<SessionReservation, PgStoreError> {
        if tokens == 0 {
            return Err(PgStoreError::ZeroReservation);
        }
        let mut client = self.pool.get().await?;
        let digest = ticket.as_bytes().as_slice();
        let now = to_i64(now_unix)?;
        let tx = lazy_commit(&mut client).await?;
        // One reservation per key at a time, so the cap is exact across nodes. Cheap: the
        // transaction commits without waiting for the disk, so the lock is held for a few
        // statements, not a flush.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&session_lock(key_id)])
            .await?;
        let reserved = tx
            .query_opt(
                "WITH open AS (SELECT coalesce(sum(tokens), 0)::bigint AS n FROM gl_sessions \
                               WHERE key_id = $3 AND expires_at > $6) \
                 INSERT INTO gl_sessions (id, ticket, key_id, tokens, expires_at) \
                 SELECT $1, $2, $3, $4::integer, $5 FROM open WHERE open.n + $4::integer <= $7 \
                 ON CONFLICT (ticket) DO UPDATE SET id = EXCLUDED.id, key_id = EXCLUDED.key_id, \
                   tokens = EXCLUDED.tokens, sealed = NULL, expires_at = EXCLUDED.expires_at \
                 WHERE gl_sessions.expires_at <= $6 \
                 RETURNING 1",
                &[
                    &id.as_slice(),
                    &digest,
                    &key_id.as_slice(),
                    &i32::from(tokens),
                    &to_i64(expires_at_unix)?,
                    &now,
                    &i64::from(cap),
                ],
            )
            .await?
            .is_some();
        if reserved {
            tx.commit().await?;
            return Ok(SessionReservation::Reserved);
        }
        // Refused: say why (nothing was written).
        let busy = tx
            .query_opt(
                "SELECT 1 FROM gl_sessions WHERE ticket = $1 AND expires_at > $2",
                &[&digest, &now],
            )
            .await?
            .is_some();
        tx.commit().await?;
        Ok(if busy {
            SessionReservation::TicketBusy
        } else {
            SessionReservation::Busy
        })
    }

    /// Stores the sealed session in its reserved row, open until `expires_at`. `false` if
    /// the row is gone (it expired and was swept) or already filled: the session must then
    /// not be offered to the holder.
    pub async fn store_session(
        &self,
        id: &[u8; 16],
        sealed: &[u8],
        expires_at_unix: u64,
    ) -> Result<bool, PgStoreError> {
        let mut client = self.pool.get().await?;
        // Without waiting for the disk: a session lost in a database crash is only a failed
        // `finish` (`unknown_session`); it is never answered, so never answered twice.
        let tx = lazy_commit(&mut client).await?;
        let n = tx
            .execute(
                "UPDATE gl_sessions SET sealed = $2, expires_at = $3 \
                 WHERE id = $1 AND sealed IS NULL",
                &[&id.as_slice(), &sealed, &to_i64(expires_at_unix)?],
            )
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Gives up a reservation that was never filled (its `start` was refused).
    pub async fn release_session(&self, id: &[u8; 16]) -> Result<(), PgStoreError> {
        let client = self.pool.get().await?;
        client
            .execute(
                "DELETE FROM gl_sessions WHERE id = $1 AND sealed IS NULL",
                &[&id.as_slice()],
            )
            .await?;
        Ok(())
    }

    /// Removes the session and returns it if it is open, not expired at `now`, and under
    /// one of `key_ids` (the keys the calling node holds: a node never destroys a session it
    /// could not answer). Of any number of concurrent calls for one id, on any nodes, at most
    /// one gets it (one `DELETE … RETURNING`); an expired row is removed too and yields
    /// `None`.
    ///
    /// Returned only once the deletion is **durable**: every connection of the pool runs with
    /// `synchronous_commit = on` whatever the server, database or role default
    /// (`SESSION_SETTINGS`), because a taken session whose deletion a crash undid could be
    /// answered a second time (which reveals the issuing key). A failover to a standby must not lose it either: replicate
    /// synchronously (`docs/deploy.md`).
    pub async fn take_session(
        &self,
        id: &[u8; 16],
        now_unix: u64,
        key_ids: &[[u8; 8]],
    ) -> Result<Option<TakenSession>, PgStoreError> {
        let client = self.pool.get().await?;
        let keys: Vec<&[u8]> = key_ids.iter().map(|k| k.as_slice()).collect();
        // One statement in its own transaction: `query_opt` returns once PostgreSQL reports
        // the statement — and so its commit, synchronous by `SESSION_SETTINGS` — complete.
        let row = client
            .query_opt(
                "DELETE FROM gl_sessions WHERE id = $1 AND sealed IS NOT NULL \
                 AND key_id = ANY($2) RETURNING sealed, key_id, expires_at",
                &[&id.as_slice(), &keys],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.try_get(2)?;
        if expires_at <= to_i64(now_unix)? {
            return Ok(None);
        }
        let key_id: Vec<u8> = row.try_get(1)?;
        Ok(Some(TakenSession {
            sealed: row.try_get(0)?,
            key_id: key_id
                .try_into()
                .map_err(|_| PgStoreError::Corrupt("session"))?,
            expires_at: u64::try_from(expires_at).map_err(|_| PgStoreError::Corrupt("session"))?,
        }))
    }

    /// Deletes expired sessions (their sealed secrets with them); returns how many.
    pub async fn sweep_sessions(&self, now_unix: u64) -> Result<u64, PgStoreError> {
        let client = self.pool.get().await?;
        Ok(client
            .execute(
                "DELETE FROM gl_sessions WHERE expires_at <= $1",
                &[&to_i64(now_unix)?],
            )
            .await?)
    }

    /// Sessions open (filled, not yet answered or swept) under every key, on all nodes.
    pub async fn open_sessions(&self) -> Result<u64, PgStoreError> {
        let client = self.pool.get().await?;
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM gl_sessions WHERE sealed IS NOT NULL",
                &[],
            )
            .await?
            .try_get(0)?;
        u64::try_from(n).map_err(|_| PgStoreError::Corrupt("session count"))
    }
}

fn describe(config: &tokio_postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    format!(
        "database {} on {} as {}",
        config.get_dbname().unwrap_or("(default)"),
        if hosts.is_empty() {
            "(default host)".to_owned()
        } else {
            hosts.join(",")
        },
        config.get_user().unwrap_or("(default user)")
    )
}

/// A transaction whose commit does not wait for the write-ahead log to reach the disk
/// (`SET LOCAL synchronous_commit = off`): for writes whose loss in a database crash changes
/// no decision. A crash loses at most the last fraction of a second of them; nothing else is
/// weakened (PostgreSQL stays consistent), and any later synchronous commit flushes them.
async fn lazy_commit(
    client: &mut deadpool_postgres::Client,
) -> Result<deadpool_postgres::Transaction<'_>, PgStoreError> {
    let tx = client.transaction().await?;
    tx.batch_execute("SET LOCAL synchronous_commit = off")
        .await?;
    Ok(tx)
}

/// The tokens a ticket's quota record says are left (`None`: no record).
async fn remaining_of(
    client: &deadpool_postgres::Client,
    digest: &[u8],
) -> Result<Option<u16>, PgStoreError> {
    let row = client
        .query_opt(
            "SELECT remaining FROM gl_tickets WHERE digest = $1",
            &[&digest],
        )
        .await?;
    row.map(|row| to_u16(row.try_get(0)?)).transpose()
}

fn to_i64(v: u64) -> Result<i64, PgStoreError> {
    i64::try_from(v).map_err(|_| PgStoreError::Corrupt("time or count beyond i64"))
}

fn to_u16(v: i32) -> Result<u16, PgStoreError> {
    u16::try_from(v).map_err(|_| PgStoreError::Corrupt("ticket quota"))
}

/// The issuance pipeline's view of this store. Blocking: call from blocking threads.
impl Store for PgStore {
    type Error = PgStoreError;

    fn digest_key(&self) -> &DigestKey {
        &self.key
    }

    fn subject_record(
        &self,
        subject: &SubjectDigest,
    ) -> Result<Option<SubjectRecord>, PgStoreError> {
        self.wait(self.subject_record_async(subject))
    }

    fn swap_subject_record(
        &self,
        subject: &SubjectDigest,
        expected: Option<SubjectRecord>,
        new: SubjectRecord,
    ) -> Result<bool, PgStoreError> {
        self.wait(self.swap_subject_record_async(subject, expected, new))
    }

    fn reserve_tokens(
        &self,
        ticket: &TicketDigest,
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<Reservation, PgStoreError> {
        self.wait(self.reserve_tokens_async(ticket, quota, n, expires_at_unix))
    }

    fn add_issued(&self, key_id: [u8; 8], day: u32, tokens: u64) -> Result<(), PgStoreError> {
        self.wait(self.add_issued_async(key_id, day, tokens))
    }

    fn issued_totals(&self) -> Result<Vec<DayTotal>, PgStoreError> {
        self.wait(self.issued_totals_async())
    }
}
