//! Service configuration (flags and environment map onto [`ServerConfig`] in `main.rs`).

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, SystemClock};

/// A token bucket: up to `burst` requests at once, refilled at `per_minute` per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Bucket size (requests allowed back to back).
    pub burst: u32,
    /// Refill rate, requests per minute.
    pub per_minute: u32,
}

impl RateLimit {
    /// Default per ticket: a wallet needs one `start` per batch; a few retries are fine, a loop
    /// hammering one ticket (each attempt costs the server a batch commitment) is not.
    pub const PER_TICKET: RateLimit = RateLimit {
        burst: 4,
        per_minute: 6,
    };
    /// Default per client address. Generous, because many residents can share one address
    /// behind carrier-grade NAT; the per-ticket limit is the tight one.
    pub const PER_CLIENT: RateLimit = RateLimit {
        burst: 60,
        per_minute: 600,
    };
}

/// Everything the service needs to start. Build with [`ServerConfig::new`] and adjust the
/// public fields.
#[derive(Clone)]
pub struct ServerConfig {
    /// Data directory (keys, admin token, `issuer.json`, `revocation.sled/`).
    pub data_dir: PathBuf,
    /// Address to listen on (`serve`; the ephemeral server uses `127.0.0.1:0`).
    pub listen: SocketAddr,
    /// Issuer region label written into `issuer.json` and the key list on first start.
    pub region: String,
    /// Issuer display name written on first start.
    pub issuer_name: String,
    /// Directory served at `/venue/` (the browser verifier), if any.
    pub web_dir: Option<PathBuf>,
    /// Directory served at `/wallet/` (the residents' wallet), if any.
    pub wallet_dir: Option<PathBuf>,
    /// How long an issuance session may stay open between `start` and `finish`.
    pub session_ttl: Duration,
    /// Cap on open issuance sessions for the issuing key. 1 = strictly sequential issuance,
    /// the model of BL13's own security proof; larger values rest on the concurrent-security
    /// result of Kastner–Loss–Renawi (CCS 2023).
    pub max_open_sessions: usize,
    /// Per-request time limit (→ 503 `timeout`).
    pub request_timeout: Duration,
    /// Requests processed at once; beyond it requests are shed (→ 503 `overloaded`).
    pub max_concurrency: usize,
    /// Issuance rate limit per ticket (`None`: off).
    pub ticket_rate: Option<RateLimit>,
    /// Issuance rate limit per client address (`None`: off).
    pub client_rate: Option<RateLimit>,
    /// PostgreSQL database shared by the nodes of a region (`None`: sled in the data
    /// directory, one process). May hold a password: never printed (`Debug` shows only
    /// whether it is set).
    pub database_url: Option<String>,
    /// Connections in this node's PostgreSQL pool.
    pub database_pool: usize,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// The root-signed key list file to serve (`serve --key-list`): required for a regional
    /// data directory (`greenlight-server init`), refused for a development one.
    pub key_list: Option<PathBuf>,
    /// The authority's public key file (`serve --authority-public-key`): tickets are checked
    /// against it, and the server holds no authority secret. Required for a regional data
    /// directory.
    pub authority_public_key: Option<PathBuf>,
}

impl ServerConfig {
    /// Default data directory.
    pub const DEFAULT_DATA_DIR: &'static str = "./greenlight-data";
    /// Default listen address.
    pub const DEFAULT_LISTEN: &'static str = "127.0.0.1:8080";
    /// Default region label for a new issuer.
    pub const DEFAULT_REGION: &'static str = "XX-LOCAL";
    /// Default display name for a new issuer.
    pub const DEFAULT_ISSUER_NAME: &'static str = "Local issuer";
    /// Default session expiry.
    pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(60);
    /// Default cap on open sessions.
    pub const DEFAULT_MAX_OPEN_SESSIONS: usize = 1024;
    /// Default request timeout.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default concurrency limit.
    pub const DEFAULT_MAX_CONCURRENCY: usize = 64;
    /// Default PostgreSQL pool size per node.
    pub const DEFAULT_DATABASE_POOL: usize = 16;
    /// Maximum request body (docs/api.md).
    pub const MAX_BODY_BYTES: usize = 64 * 1024;

    /// Defaults for everything but the data directory; listens on `127.0.0.1:8080`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        ServerConfig {
            data_dir: data_dir.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            region: Self::DEFAULT_REGION.to_owned(),
            issuer_name: Self::DEFAULT_ISSUER_NAME.to_owned(),
            web_dir: None,
            wallet_dir: None,
            session_ttl: Self::DEFAULT_SESSION_TTL,
            max_open_sessions: Self::DEFAULT_MAX_OPEN_SESSIONS,
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            max_concurrency: Self::DEFAULT_MAX_CONCURRENCY,
            ticket_rate: Some(RateLimit::PER_TICKET),
            client_rate: Some(RateLimit::PER_CLIENT),
            database_url: None,
            database_pool: Self::DEFAULT_DATABASE_POOL,
            clock: Arc::new(SystemClock),
            key_list: None,
            authority_public_key: None,
        }
    }

    /// Replaces the clock (tests use a [`crate::FakeClock`]).
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The wallet page's build output, `client/web/wallet/dist` under `cwd`, if it exists.
    pub fn detect_wallet_dir(cwd: &Path) -> Option<PathBuf> {
        let dir = cwd.join("client").join("web").join("wallet").join("dist");
        dir.is_dir().then_some(dir)
    }

    /// The browser verifier's build output, `client/web/dist` under `cwd`, if it exists.
    pub fn detect_web_dir(cwd: &Path) -> Option<PathBuf> {
        let dir = cwd.join("client").join("web").join("dist");
        dir.is_dir().then_some(dir)
    }
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("region", &self.region)
            .field("issuer_name", &self.issuer_name)
            .field("web_dir", &self.web_dir)
            .field("wallet_dir", &self.wallet_dir)
            .field("session_ttl", &self.session_ttl)
            .field("max_open_sessions", &self.max_open_sessions)
            .field("request_timeout", &self.request_timeout)
            .field("max_concurrency", &self.max_concurrency)
            .field("ticket_rate", &self.ticket_rate)
            .field("client_rate", &self.client_rate)
            .field("database_url", &self.database_url.as_ref().map(|_| "<set>"))
            .field("database_pool", &self.database_pool)
            .finish_non_exhaustive()
    }
}
