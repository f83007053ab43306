//! The Greenlight issuer and revocation service.
//!
//! One axum application ([`app`]) over one shared [`AppState`]:
//!
//! | route | what |
//! |---|---|
//! | `GET /v1/keys` | the root-signed key list and the id of the key new tokens are signed with |
//! | `POST /v1/issuance/start` | ticket + registrations → session id + commitments |
//! | `POST /v1/issuance/finish` | session id + challenges → answers (exactly once) |
//! | `POST /v1/admin/tickets` | sign a ticket with the embedded authority key (bearer) |
//! | `POST /v1/admin/revocations`, `POST /v1/admin/appeals` | revoke / appeal, subject in the body (bearer) |
//! | `POST /v1/admin/key-list` | load a new root-signed key list (regional servers; bearer) |
//! | `GET /v1/stats/issued` | tokens issued per key and completed UTC day (the public anonymity-set figures) |
//! | `GET /healthz`, `GET /metrics` | liveness; real-time Prometheus/OpenMetrics counters (bearer) |
//! | `GET /venue/…` | static files of the browser verifier, when built (otherwise `/venue/` is a 404 page saying how to build it) |
//! | `GET /wallet/…` | static files of the residents' wallet, when built (otherwise `/wallet/` is a 404 page saying how to build it) |
//!
//! No route has a subject handle, ticket or token in its URL: proxies and access logs record
//! URLs.
//!
//! The contract (bodies, error codes, data-directory layout) is `docs/api.md`; its bodies and
//! error codes are the types of `greenlight-api`, which clients use too.
//!
//! # What the service remembers
//!
//! Key files in the data directory, and in sled **only** revocation state
//! (`greenlight-revocation`: subject records — revoked flag and epoch — and ticket quotas,
//! under digests keyed with `store.key`; revoked keys). What is forgotten leaves the disk at
//! the next compaction (at start, and after a sweep or appeal removed something). Issuance sessions
//! live in memory only, for at most their expiry, and their secrets are zeroized when the
//! session is answered, expires or is dropped. Logs carry route templates, statuses,
//! latencies and error codes — never subject handles, ticket ids, tokens or client addresses.
//!
//! # Issuance order (why reserve last)
//!
//! `start` checks the ticket signature, its validity window, the subject's revocation, the
//! registration key id, then runs [`greenlight_acl::issuance::IssuerSession::commit_with_rng`]
//! (which verifies every registration proof), and only then reserves the tokens from the
//! ticket's quota with `reserve_tokens`. Reserving after the proofs means a forged batch
//! (someone who saw the ticket but cannot prove knowledge of the registrations' openings)
//! cannot burn the owner's quota. (An exact replay of an observed `start` body *does* verify
//! again — the proofs are bound to the ticket id and index, not to a server nonce — and spends
//! quota; a ticket is a bearer credential, so whoever can see it can redeem it anyway.) It cannot overshoot either: `reserve_tokens` is an atomic,
//! durable compare-and-swap, so of two racing `start`s for one ticket at most the quota is
//! granted in total, and the loser's commitments are dropped (zeroized) unanswered — they were
//! never sent, so nothing leaks. The price is that an over-quota request costs the server one
//! `commit` of CPU, which the per-ticket and per-client rate limits bound.

mod admin_client;
mod api;
mod clock;
mod config;
mod datadir;
mod error;
mod metrics;
mod qr;
mod ratelimit;
mod roles;
mod serve;
mod sessions;
mod state;
mod store;
mod tickets;
mod witness;

pub use admin_client::{
    admin_call, is_loopback, load_key_list_call, parse_server_url, AdminAction, AdminCallError,
    ADMIN_TIMEOUT, DEFAULT_SERVER_URL,
};
pub use api::{app, VENUE_NOT_BUILT, WALLET_NOT_BUILT};
pub use clock::{Clock, FakeClock, SystemClock};
pub use config::{RateLimit, ServerConfig};
pub use datadir::{
    git_work_tree_containing, load_admin_token, load_authority_key, revoke_issuing_key, DataPaths,
    IssuerInfo, KEY_ACCEPT_GRACE_SECS, KEY_ISSUE_PERIOD_SECS,
};
pub use error::{AppError, ServerError};
pub use qr::TicketQr;
pub use roles::{
    authority_init, is_regional, load_authority_dir_key, read_authority_public_key,
    read_key_list_document, region_init, revoke_region_key, root_init, root_sign, rotate,
    AuthorityPaths, EntryFile, EntryKey, RegionInit, RootPaths, RootSigned, Rotated, ENTRY_VERSION,
};
pub use serve::{
    hangup_signal, reload_on_hangup, serve, shutdown_signal, EphemeralServer, HangupSignal,
};
pub use state::AppState;
pub use store::{ServerStore, StoreError, Swept};
pub use tickets::{
    parse_travel, sign_ticket, SignedTicket, TicketRequest, DEFAULT_TICKET_TOKENS,
    DEFAULT_TICKET_VALIDITY, MAX_GRANTING_TICKET_VALIDITY, MAX_TICKET_VALIDITY,
};
pub use witness::{witness_cosign, witness_init, WitnessCosigned, WitnessPaths};

/// The log filter the binary installs: `spec` in `RUST_LOG` syntax (default `info`), except
/// that the storage engine is always capped at `warn`. sled's debug and trace output prints
/// the keys it touches — ticket ids and subject digests — so it must never reach a log,
/// whatever level an operator asks for. (The no-personal-data test runs with this filter at
/// `trace`.)
pub fn log_filter(spec: Option<&str>) -> tracing_subscriber::EnvFilter {
    let spec = spec.unwrap_or("info");
    let kept: Vec<&str> = spec
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.starts_with("sled"))
        .collect();
    let mut filter = tracing_subscriber::EnvFilter::builder()
        .with_default_directive(tracing::level_filters::LevelFilter::INFO.into())
        .parse_lossy(kept.join(","));
    if let Ok(directive) = "sled=warn".parse() {
        filter = filter.add_directive(directive);
    }
    filter
}

#[cfg(test)]
mod tests {
    #[test]
    fn log_filter_always_caps_the_storage_engine() {
        for spec in [
            None,
            Some("trace"),
            Some("sled=trace,info"),
            Some("debug, sled::tree=trace"),
        ] {
            let filter = super::log_filter(spec).to_string();
            assert!(filter.contains("sled=warn"), "{filter}");
            assert!(
                !filter.contains("sled=trace") && !filter.contains("sled::tree"),
                "{filter}"
            );
        }
    }
}
