//! The shared state behind every handler.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use ed25519_dalek::{SigningKey, VerifyingKey};
use greenlight_acl::{IssuerKeyPair, IssuerPublicKey, KeyId};
use greenlight_api::KeyListLoaded;
use greenlight_protocol::{root_fingerprint, IssuerKeyEntry, KeyList};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::datadir::{init_or_load, open_store, DataPaths, IssuerInfo};
use crate::error::ServerError;
use crate::metrics::Metrics;
use crate::ratelimit::KeyedLimiter;
use crate::roles::{
    accept_key_list, is_regional, read_authority_public_key, read_key_list_file, OfferedList,
};
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
    /// The key list served and the issuing secrets: replaced as a whole when a new list is
    /// loaded (`SIGHUP`, `POST /v1/admin/key-list`), so a request sees one list throughout.
    pub published: RwLock<Arc<Published>>,
    /// Held while a new list is checked and swapped in: two loads never race each other's
    /// successor check.
    pub reload: Mutex<()>,
    /// The embedded authority's secret (development directory only; a regional server holds
    /// only the public key).
    pub authority: Option<SigningKey>,
    pub authority_public: VerifyingKey,
    /// `issuer.json` (development directory only).
    pub info: Option<IssuerInfo>,
    /// The `--key-list` file a regional server reloads on `SIGHUP`.
    pub key_list_path: Option<PathBuf>,
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
    pub wallet_dir: Option<PathBuf>,
}

/// One key list as served, with the issuing secrets the server holds for its region.
pub(crate) struct Published {
    pub root_public: VerifyingKey,
    pub key_list: KeyList,
    pub key_list_text: String,
    /// The list `key_list` succeeded (`GLK1:` text), published beside it when known.
    pub previous_key_list_text: Option<String>,
    /// Witnesses' cosignatures of `key_list` (valid ones, from the key list file).
    pub cosignatures: Vec<greenlight_api::WitnessCosignature>,
    pub region: String,
    /// Every issuing secret held, by key id: `finish` answers with the key its session was
    /// committed under, even if the current key changed in between.
    pub held: BTreeMap<[u8; 8], Arc<IssuerKeyPair>>,
    /// Held keys recorded revoked in the revocation store (`revoke-key`), signed into a list
    /// or not yet.
    pub revoked_here: BTreeSet<[u8; 8]>,
}

/// The key tickets are checked with, and its secret if this server signs tickets itself.
struct Authority {
    secret: Option<SigningKey>,
    public: VerifyingKey,
}

/// The key a server names and issues under at an instant.
pub(crate) struct CurrentKey {
    pub pair: Arc<IssuerKeyPair>,
    pub entry: IssuerKeyEntry,
    /// Revoked in the list or here.
    pub revoked: bool,
}

impl Published {
    /// `greenlight_protocol`'s rule ([`greenlight_protocol::KeyListBody::region_key`]) on
    /// this list at `now`: the newest issuing held key of the region, or the key named but
    /// not issuing. `None` only if the list lost every held key (refused at load).
    pub fn current(&self, now: u64) -> Option<CurrentKey> {
        self.current_for(None, now)
    }

    /// Warns (stderr, where the log goes too) about keys of this region that issue now or will, are not
    /// revoked, and whose secret this node does not hold: after a `rotate` on one node, the
    /// others must get its `issuer-KEYID.key` before the list naming it is loaded there, or
    /// the nodes of the region issue under different keys and a `finish` reaching a node
    /// without the key finds no session it can answer.
    pub fn warn_unheld_keys(&self, now: u64) {
        let body = self.key_list.unverified_body();
        let Some(issuer) = body.issuers().iter().find(|i| i.region == self.region) else {
            return;
        };
        for k in &issuer.keys {
            if !k.revoked && now <= k.issue_until && !self.held.contains_key(&k.key_id) {
                let id = hex::encode(k.key_id);
                eprintln!(
                    "warning: the key list names key {id} of region {} (issuing until {}), but this data directory has no issuer-{id}.key: copy it from the node where `rotate` made it, then load the list again",
                    self.region, k.issue_until
                );
            }
        }
    }

    /// The key a `start` whose registrations name `requested` is issued under
    /// ([`greenlight_protocol::KeyListBody::region_key_for`]): that key while it is one of
    /// the region's issuing held keys, else [`Self::current`].
    pub fn current_for(&self, requested: Option<[u8; 8]>, now: u64) -> Option<CurrentKey> {
        let body = self.key_list.unverified_body();
        let key = body.region_key_for(
            &self.region,
            requested,
            now,
            |id| self.held.contains_key(id),
            |id| self.revoked_here.contains(id),
        )?;
        let entry = *key.entry();
        let pair = self.held.get(&entry.key_id)?.clone();
        Some(CurrentKey {
            pair,
            revoked: entry.revoked || self.revoked_here.contains(&entry.key_id),
            entry,
        })
    }
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
        let paths = DataPaths::new(&cfg.data_dir);
        if is_regional(&cfg.data_dir) || cfg.key_list.is_some() {
            return Self::open_regional(cfg, paths);
        }
        if cfg.authority_public_key.is_some() {
            return Err(ServerError::Usage(
                "--authority-public-key is for a regional data directory (greenlight-server init) served with --key-list; a development directory signs its own tickets".into(),
            ));
        }
        let keys = init_or_load(cfg)?;
        let store = open_server_store(cfg, &paths, keys.store_key)?;
        let key_id = keys.issuer.public().key_id().0;
        // Either record suffices: the command writes the store first, issuer.json second.
        let mut revoked_here = BTreeSet::new();
        if keys.info.key_revoked_at.is_some() || store.is_key_revoked(key_id)? {
            revoked_here.insert(key_id);
        }
        let published = Published {
            root_public: keys.root.verifying_key(),
            key_list_text: keys.key_list.to_text(),
            key_list: keys.key_list,
            // A development directory signs one list, once, and has no witnesses.
            previous_key_list_text: None,
            cosignatures: Vec::new(),
            region: keys.info.region.clone(),
            held: BTreeMap::from([(key_id, Arc::new(keys.issuer))]),
            revoked_here,
        };
        let authority = Authority {
            public: keys.authority.verifying_key(),
            secret: Some(keys.authority),
        };
        let state = Self::assemble(
            cfg,
            paths,
            store,
            published,
            authority,
            Some(keys.info),
            None,
            keys.admin_token,
            keys.created,
        );
        // The root *secret* is not kept: the key list is signed once, above.
        Ok(state)
    }

    /// A regional data directory (`greenlight-server init`): the `--key-list` file, checked
    /// and kept ([`crate::roles::accept_key_list`]), and tickets checked against
    /// `--authority-public-key`.
    fn open_regional(cfg: &ServerConfig, paths: DataPaths) -> Result<Self, ServerError> {
        let dir = cfg.data_dir.display();
        if !is_regional(&cfg.data_dir) {
            return Err(ServerError::Usage(format!(
                "--key-list needs a regional data directory, and {dir} has no entry.json: create one with `greenlight-server init --data-dir DIR --region CODE --issuer-name NAME`"
            )));
        }
        let Some(list_path) = cfg.key_list.clone() else {
            return Err(ServerError::Usage(format!(
                "{dir} is a regional data directory (entry.json): serve it with --key-list LIST, the key list the root signed (`greenlight-server root sign`)"
            )));
        };
        let Some(authority_path) = cfg.authority_public_key.as_deref() else {
            return Err(ServerError::Usage(format!(
                "{dir} is a regional data directory and holds no authority key: pass --authority-public-key ADIR/authority.pub (`greenlight-server authority init`)"
            )));
        };
        let authority_public = read_authority_public_key(authority_path)?;
        let mut created = Vec::new();
        let admin_token = crate::datadir::load_or_create_secret(
            &paths.admin_token,
            "admin token",
            &mut created,
            crate::datadir::random_32,
        )?;
        let admin_token = Zeroizing::new(hex::encode(admin_token.as_ref()));
        let store_key = crate::datadir::load_or_create_store_key(&paths, &mut created)?;
        let store = open_server_store(cfg, &paths, store_key)?;
        let offered = read_key_list_file(&list_path)?;
        let accepted = accept_key_list(&paths, offered, |id| Ok(store.is_key_revoked(*id)?))?;
        let published = published_from(accepted);
        published.warn_unheld_keys(cfg.clock.now_unix());
        Ok(Self::assemble(
            cfg,
            paths,
            store,
            published,
            Authority {
                secret: None,
                public: authority_public,
            },
            None,
            Some(list_path),
            admin_token,
            created,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        cfg: &ServerConfig,
        paths: DataPaths,
        store: ServerStore,
        published: Published,
        authority: Authority,
        info: Option<IssuerInfo>,
        key_list_path: Option<PathBuf>,
        admin_token: Zeroizing<String>,
        created: Vec<PathBuf>,
    ) -> Self {
        let now = cfg.clock.now_unix();
        match published.current(now) {
            Some(current) if !current.revoked => {
                let e = current.entry;
                if now < e.issue_from || now > e.issue_until {
                    // Wallets refuse tokens from a key outside its public issuing period, so
                    // issuing now would only produce tokens nobody accepts.
                    tracing::warn!(
                        issue_from = e.issue_from,
                        issue_until = e.issue_until,
                        "the issuing key is outside its issuing period; wallets will refuse new tokens"
                    );
                }
            }
            _ => tracing::warn!(
                "no key of this issuer may issue now (revoked or outside its period)"
            ),
        }
        let metrics = Metrics::new();
        let sessions = match store.postgres() {
            // Several nodes: sessions in the shared database, so that any node can answer.
            Some(pg) => Sessions::Shared(SharedSessions::new(
                pg.clone(),
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
        let admin_digest = Sha256::digest(admin_token.as_bytes()).into();
        AppState {
            inner: Arc::new(Inner {
                clock: cfg.clock.clone(),
                published: RwLock::new(Arc::new(published)),
                reload: Mutex::new(()),
                authority: authority.secret,
                authority_public: authority.public,
                info,
                key_list_path,
                admin_token,
                admin_digest,
                store,
                sessions,
                ticket_limiter: cfg.ticket_rate.map(KeyedLimiter::new),
                client_limiter: cfg.client_rate.map(KeyedLimiter::new),
                metrics,
                paths,
                created,
                request_timeout: cfg.request_timeout,
                max_concurrency: cfg.max_concurrency,
                web_dir: cfg.web_dir.clone(),
                wallet_dir: cfg.wallet_dir.clone(),
            }),
        }
    }

    /// The list served now and the secrets behind it (one snapshot: a reload in between
    /// does not change it).
    pub(crate) fn published(&self) -> Arc<Published> {
        match self.inner.published.read() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Whether this server serves a root-signed list given to it (a regional data directory)
    /// rather than signing its own (the development default).
    pub fn is_regional(&self) -> bool {
        self.inner.info.is_none()
    }

    /// The `--key-list` file of a regional server.
    pub fn key_list_path(&self) -> Option<&Path> {
        self.inner.key_list_path.as_deref()
    }

    /// Loads a new root-signed key list on a regional server (`SIGHUP` with the `--key-list`
    /// file, `POST /v1/admin/key-list` with a body): checked like at start — the pinned
    /// root, the successor rules against the list served now, a held key of the region,
    /// the issuing secrets read again (a `rotate` since the start is picked up) — then kept
    /// in the data directory and swapped in atomically: a request in flight finishes with
    /// the list it started with. A refused list changes nothing. Blocking (file I/O).
    pub(crate) fn load_key_list(&self, offered: OfferedList) -> Result<KeyListLoaded, ServerError> {
        if !self.is_regional() {
            return Err(ServerError::Usage(
                "this server signs its own key list (development data directory); only a regional server (greenlight-server init) loads root-signed lists".into(),
            ));
        }
        let _one_at_a_time = self.inner.reload.lock().unwrap_or_else(|p| p.into_inner());
        // Against the list served now as well as the one kept on disk: a missing or older
        // `key-list.json` (a node copied without it) must not let an older list in.
        let served = self.published();
        greenlight_protocol::check_served_list(
            Some(&served.root_public),
            Some(&served.key_list),
            &offered.root,
            &offered.list,
            &served.region,
            |id| served.held.contains_key(id),
        )?;
        let store = &self.inner.store;
        let accepted = accept_key_list(&self.inner.paths, offered, |id| {
            Ok(store.is_key_revoked(*id)?)
        })?;
        let changed = accepted.changed;
        let cosignatures_changed = accepted.cosignatures_changed;
        let cosignatures = accepted.cosignatures.len();
        let published = Arc::new(published_from(accepted));
        published.warn_unheld_keys(self.now_unix());
        let sequence = published.key_list.unverified_body().sequence();
        let issuing_key_id = published
            .current(self.now_unix())
            .map(|c| hex::encode(c.entry.key_id))
            .unwrap_or_default();
        match self.inner.published.write() {
            Ok(mut p) => *p = published,
            Err(poisoned) => *poisoned.into_inner() = published,
        }
        Ok(KeyListLoaded {
            sequence,
            changed,
            issuing_key_id,
            cosignatures,
            cosignatures_changed,
        })
    }

    /// `load_key_list` (the admin call's path) from a key list file (`SIGHUP`: the `--key-list` file).
    pub fn load_key_list_file(&self, path: &Path) -> Result<KeyListLoaded, ServerError> {
        self.load_key_list(read_key_list_file(path)?)
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
        self.published().root_public
    }

    /// The root key's fingerprint (32 hex digits) for comparing out of band.
    pub fn root_fingerprint(&self) -> String {
        root_fingerprint(&self.published().root_public)
    }

    /// The authority's public key (verifies tickets).
    pub fn authority_public_key(&self) -> VerifyingKey {
        self.inner.authority_public
    }

    /// The root-signed key list served at `/v1/keys` now.
    pub fn key_list(&self) -> KeyList {
        self.published().key_list.clone()
    }

    /// The region this server issues for.
    pub fn region(&self) -> String {
        self.published().region.clone()
    }

    /// The public key the server names for new tokens now (`/v1/keys`' `issuing_key_id`):
    /// its region's current key, or, if none may issue, the key it refuses to issue under.
    /// `None` only for a list without a held key of the region, which is never loaded.
    pub fn issuer_public_key(&self) -> Option<IssuerPublicKey> {
        self.published()
            .current(self.now_unix())
            .map(|c| c.pair.public().clone())
    }

    /// Its key id.
    pub fn issuing_key_id(&self) -> Option<KeyId> {
        self.issuer_public_key().map(|k| k.key_id())
    }

    /// The contents of `issuer.json` (development data directory only).
    pub fn issuer_info(&self) -> Option<&IssuerInfo> {
        self.inner.info.as_ref()
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
        sign_ticket(self.embedded_authority()?, req, self.now_unix())
    }

    /// The embedded authority key; a regional server has none.
    fn embedded_authority(&self) -> Result<&SigningKey, ServerError> {
        self.inner.authority.as_ref().ok_or_else(|| {
            ServerError::Usage(
                "this server holds no authority key: tickets are signed with `greenlight-server authority ticket`".into(),
            )
        })
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
        let authority = self.embedded_authority()?;
        let checked = sign_ticket(authority, req, now)?;
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
        sign_ticket(authority, &req.clone().not_before(not_before), now)
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

fn published_from(accepted: crate::roles::AcceptedList) -> Published {
    Published {
        root_public: accepted.root,
        key_list_text: accepted.list.to_text(),
        key_list: accepted.list,
        previous_key_list_text: accepted.previous.as_ref().map(KeyList::to_text),
        cosignatures: accepted.cosignatures,
        region: accepted.region,
        held: accepted.held,
        revoked_here: accepted.revoked_here,
    }
}

/// The issuer's store: PostgreSQL with `--database-url`, else sled in the data directory,
/// compacted first.
fn open_server_store(
    cfg: &ServerConfig,
    paths: &DataPaths,
    key: greenlight_revocation::DigestKey,
) -> Result<ServerStore, ServerError> {
    if let Some(url) = &cfg.database_url {
        return Ok(ServerStore::Pg(connect_postgres(
            url,
            cfg.database_pool,
            key,
        )?));
    }
    crate::datadir::create_private_dir(&paths.revocation_store)?;
    let store = open_store(paths, key)?;
    // Forgetting for real: whatever was removed or overwritten before the last stop (and not
    // compacted since) leaves the disk now, before anything is served. A failed compaction (a
    // full disk) leaves the store as it was, reopened: serve anyway (the next sweep retries);
    // if even that failed, the first store call fails the start.
    if let Err(e) = store.compact() {
        tracing::warn!(error = %e, "compacting the revocation store at start failed");
    }
    Ok(ServerStore::Sled(store))
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
