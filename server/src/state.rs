//! The shared state behind every handler.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ed25519_dalek::{SigningKey, VerifyingKey};
use greenlight_acl::{IssuerKeyPair, IssuerPublicKey, KeyId};
use greenlight_protocol::{root_fingerprint, KeyList};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::datadir::{init_or_load, open_store, DataPaths, IssuerInfo};
use crate::error::ServerError;
use crate::metrics::Metrics;
use crate::ratelimit::KeyedLimiter;
use crate::sessions::{SessionTable, Sessions, SharedSessions};
use crate::store::{ServerStore, StoreError, Swept};
use crate::tickets::{sign_ticket, SignedTicket, TicketRequest};

/// The service's state: keys, the revocation store, open sessions, rate limiters, counters.
/// Cloning is cheap (one `Arc`).
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub clock: Arc<dyn Clock>,
    pub issuer: IssuerKeyPair,
    pub authority: SigningKey,
    pub authority_public: VerifyingKey,
    pub root_public: VerifyingKey,
    pub key_list: KeyList,
    pub key_list_text: String,
    pub info: IssuerInfo,
    pub admin_token: Zeroizing<String>,
    /// SHA-256 of the admin token: requests are compared against this in constant time.
    pub admin_digest: [u8; 32],
    pub store: ServerStore,
    pub sessions: Sessions,
    pub ticket_limiter: Option<KeyedLimiter>,
    pub client_limiter: Option<KeyedLimiter>,
    pub metrics: Metrics,
    pub paths: DataPaths,
    pub created: Vec<PathBuf>,
    pub request_timeout: Duration,
    pub max_concurrency: usize,
    pub web_dir: Option<PathBuf>,
    /// The issuing key is revoked (`revoke-key`): no issuance at all.
    pub issuing_key_revoked: bool,
}

impl AppState {
    /// Opens (creating on first start) the data directory and the revocation store. Blocking
    /// (file I/O, fsync): from async code call it inside `spawn_blocking`.
    pub fn open(cfg: &ServerConfig) -> Result<Self, ServerError> {
        if cfg.max_open_sessions == 0 {
            return Err(ServerError::Config(
                "max_open_sessions must be at least 1".into(),
            ));
        }
        if cfg.max_concurrency == 0 {
            return Err(ServerError::Config(
                "max_concurrency must be at least 1".into(),
            ));
        }
        if cfg.session_ttl.as_secs() == 0 {
            return Err(ServerError::Config(
                "the session expiry must be at least 1 second".into(),
            ));
        }
        if cfg.request_timeout.is_zero() {
            return Err(ServerError::Config(
                "the request timeout must be positive".into(),
            ));
        }
        for limit in [cfg.ticket_rate, cfg.client_rate].into_iter().flatten() {
            if limit.burst == 0 {
                return Err(ServerError::Config(
                    "a rate limit's burst must be at least 1".into(),
                ));
            }
        }
        let keys = init_or_load(cfg)?;
        let paths = DataPaths::new(&cfg.data_dir);
        let store = match &cfg.database_url {
            Some(url) => ServerStore::Pg(connect_postgres(url, cfg.database_pool, keys.store_key)?),
            None => {
                let store = open_store(&paths, keys.store_key)?;
                // Forgetting for real: whatever was removed or overwritten before the last
                // stop (and not compacted since) leaves the disk now, before anything is
                // served. A failed compaction (a full disk) leaves the store as it was,
                // reopened: serve anyway (the next sweep retries); if even that failed, the
                // first store call below fails the start.
                if let Err(e) = store.compact() {
                    tracing::warn!(error = %e, "compacting the revocation store at start failed");
                }
                ServerStore::Sled(store)
            }
        };
        let now = cfg.clock.now_unix();
        if now < keys.info.issue_from || now > keys.info.issue_until {
            // Wallets refuse tokens from a key outside its public issuing period, so issuing
            // now would only produce tokens nobody accepts. Rotation is an operator task.
            tracing::warn!(
                issue_from = keys.info.issue_from,
                issue_until = keys.info.issue_until,
                "the issuing key is outside its issuing period; wallets will refuse new tokens"
            );
        }
        let metrics = Metrics::new();
        let sessions = match store.postgres() {
            // Several nodes: sessions in the shared database, so that any node can answer.
            Some(pg) => Sessions::Shared(SharedSessions::new(
                pg.clone(),
                &keys.issuer,
                cfg.max_open_sessions,
                cfg.session_ttl.as_secs(),
                metrics.sessions_open.clone(),
                metrics.sessions_expired.clone(),
            )),
            None => Sessions::Memory(SessionTable::new(
                cfg.max_open_sessions,
                cfg.session_ttl.as_secs(),
                metrics.sessions_open.clone(),
                metrics.sessions_expired.clone(),
            )),
        };
        // Either record suffices: the command writes the store first, issuer.json second.
        let issuing_key_revoked = keys.info.key_revoked_at.is_some()
            || store.is_key_revoked(keys.issuer.public().key_id().0)?;
        let admin_digest = Sha256::digest(keys.admin_token.as_bytes()).into();
        Ok(AppState {
            inner: Arc::new(Inner {
                clock: cfg.clock.clone(),
                authority_public: keys.authority.verifying_key(),
                root_public: keys.root.verifying_key(),
                key_list_text: keys.key_list.to_text(),
                key_list: keys.key_list,
                issuer: keys.issuer,
                authority: keys.authority,
                info: keys.info,
                admin_token: keys.admin_token,
                admin_digest,
                store,
                sessions,
                ticket_limiter: cfg.ticket_rate.map(KeyedLimiter::new),
                client_limiter: cfg.client_rate.map(KeyedLimiter::new),
                metrics,
                paths,
                created: keys.created,
                request_timeout: cfg.request_timeout,
                max_concurrency: cfg.max_concurrency,
                web_dir: cfg.web_dir.clone(),
                issuing_key_revoked,
            }),
        })
        // The root *secret* is not kept: the key list is signed once, above.
    }

    /// The files of the data directory.
    pub fn paths(&self) -> &DataPaths {
        &self.inner.paths
    }

    /// Files created by [`AppState::open`] (empty unless this was the first start).
    pub fn created_files(&self) -> &[PathBuf] {
        &self.inner.created
    }

    /// The admin bearer token.
    pub fn admin_token(&self) -> &str {
        &self.inner.admin_token
    }

    /// The root public key clients pin.
    pub fn root_public_key(&self) -> VerifyingKey {
        self.inner.root_public
    }

    /// The root key's fingerprint (32 hex digits) for comparing out of band.
    pub fn root_fingerprint(&self) -> String {
        root_fingerprint(&self.inner.root_public)
    }

    /// The authority's public key (verifies tickets).
    pub fn authority_public_key(&self) -> VerifyingKey {
        self.inner.authority_public
    }

    /// The root-signed key list served at `/v1/keys`.
    pub fn key_list(&self) -> &KeyList {
        &self.inner.key_list
    }

    /// The public key new tokens are issued under.
    pub fn issuer_public_key(&self) -> &IssuerPublicKey {
        self.inner.issuer.public()
    }

    /// Its key id.
    pub fn issuing_key_id(&self) -> KeyId {
        self.inner.issuer.public().key_id()
    }

    /// The contents of `issuer.json`.
    pub fn issuer_info(&self) -> &IssuerInfo {
        &self.inner.info
    }

    /// The store (for inspection; the service owns it).
    pub fn store(&self) -> &ServerStore {
        &self.inner.store
    }

    /// The current time of the state's clock.
    pub fn now_unix(&self) -> u64 {
        self.inner.clock.now_unix()
    }

    /// Signs a ticket with the embedded authority key at the state's clock. Signing does not
    /// touch the store (see [`Self::sign_and_record_ticket`], what the admin API does).
    pub fn sign_ticket(&self, req: &TicketRequest) -> Result<SignedTicket, ServerError> {
        sign_ticket(&self.inner.authority, req, self.now_unix())
    }

    /// Signs a ticket like [`Self::sign_ticket`] and moves its subject's epoch forward to the
    /// ticket's `not_before`, durably, before returning it: the subject's older tickets are
    /// refused from now on (`ticket_superseded`), not only once this one is redeemed. Without
    /// an explicit `not_before`, the ticket's is chosen with the epoch, atomically
    /// (`greenlight_issuance::epoch::record_fresh_ticket`): now, or the second after a ticket,
    /// revocation or appeal recorded for the subject in this same second — so of two tickets
    /// signed in one second the later one supersedes the earlier. Blocking (sled I/O).
    pub fn sign_and_record_ticket(&self, req: &TicketRequest) -> Result<SignedTicket, ServerError> {
        let now = self.now_unix();
        // Every check of the request first: a refused request records nothing.
        let checked = sign_ticket(&self.inner.authority, req, now)?;
        if req.not_before.is_some() {
            greenlight_issuance::epoch::record_ticket(
                &self.inner.store,
                &req.subject,
                checked.not_before,
            )?;
            return Ok(checked);
        }
        let not_before =
            greenlight_issuance::epoch::record_fresh_ticket(&self.inner.store, &req.subject, now)?;
        if not_before == checked.not_before {
            return Ok(checked);
        }
        sign_ticket(
            &self.inner.authority,
            &req.clone().not_before(not_before),
            now,
        )
    }

    /// Issuance sessions open now (with PostgreSQL: on all nodes; blocking, and 0 if the
    /// database cannot be asked).
    pub fn open_sessions(&self) -> usize {
        self.inner.sessions.open_count().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "counting open sessions failed");
            0
        })
    }

    /// Drops expired sessions (zeroizing them) and idle rate-limit buckets; returns how many
    /// sessions were dropped. Cheap and non-blocking; the periodic sweep calls it.
    pub fn sweep(&self) -> usize {
        let now = self.now_unix();
        for limiter in [&self.inner.ticket_limiter, &self.inner.client_limiter]
            .into_iter()
            .flatten()
        {
            limiter.sweep(now);
        }
        self.inner.sessions.sweep(now)
    }

    /// Forgets what the issuance rules no longer need (`greenlight_issuance::epoch`): quota
    /// records of tickets that expired more than [`Self::SWEEP_GRACE_SECS`] ago, and subject
    /// records that are not revoked and whose epoch is older than the longest green ticket
    /// life plus that grace. Then, if this sweep or an appeal since the last compaction
    /// removed anything, compacts the store so it leaves the disk. Returns how many ticket
    /// and subject records were removed. Blocking (sled I/O; the compaction blocks other
    /// store calls while it copies).
    ///
    /// Why the grace period: a `start` that passed the ticket's validity check just before
    /// `not_after` may reserve just after it; had the record been swept in between, the
    /// reservation would recreate it at full quota and the ticket could mint twice. A day
    /// also covers a system clock stepped back by less than that.
    pub fn sweep_store(&self) -> Result<Swept, ServerError> {
        Ok(self.inner.store.sweep(self.now_unix())?)
    }

    /// With sessions shared in PostgreSQL: deletes the expired ones (on every node's sweep;
    /// `start`s delete them too) and refreshes the open-sessions gauge with the count over all
    /// nodes. Returns how many were deleted; `Ok(0)` with in-memory sessions. Blocking.
    pub fn sweep_shared_sessions(&self) -> Result<u64, ServerError> {
        Ok(self.inner.sessions.sweep_shared(self.now_unix())?)
    }

    /// Whether issuance sessions live in the shared database.
    pub fn has_shared_sessions(&self) -> bool {
        matches!(self.inner.sessions, Sessions::Shared(_))
    }

    /// How long after a ticket's expiry its quota record is kept.
    pub const SWEEP_GRACE_SECS: u64 = greenlight_issuance::RECORD_GRACE_SECS;
}

/// Connects this node to the region's PostgreSQL database (migrations run, the digest key
/// checked). Called from a blocking thread of the server's runtime: the store's blocking
/// calls run on that runtime.
fn connect_postgres(
    url: &str,
    pool: usize,
    key: greenlight_revocation::DigestKey,
) -> Result<greenlight_store_pg::PgStore, ServerError> {
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|_| ServerError::Config("the PostgreSQL store needs a Tokio runtime".into()))?;
    runtime
        .block_on(greenlight_store_pg::PgStore::connect(url, key, pool))
        .map_err(|e| ServerError::Store(StoreError::Pg(e)))
}
