//! Shared helpers: a state on a temporary data directory with a fake clock, requests through
//! `oneshot` (no socket), and the holder's side of issuance: the wallet's own flow
//! (`greenlight_wallet::Redemption`, key checks by `greenlight_wallet::issuing_key`) for whole
//! tickets, and `greenlight_testkit::Batch` (the same steps with a count) where a test asks for
//! part of a ticket, which no wallet does. [`process`]: the real binary as a child process.
#![allow(dead_code)]

pub mod process;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use curve25519_dalek::scalar::Scalar;
use greenlight_acl::{IssuerPublicKey, Token};
use greenlight_api::{
    paths, FinishRequest, FinishResponse, KeysResponse, StartRequest, StartResponse,
};
use greenlight_protocol::{KeyList, Ticket};
use greenlight_server::{
    app, AppState, Clock, FakeClock, ServerConfig, SignedTicket, TicketRequest,
};
use greenlight_testkit::{start_batch, Batch, Challenged};
use greenlight_venue::TrustedKeyList;
use greenlight_wallet::{issuing_key, HolderSecret, Redemption, WalletError, MAX_BATCH};
use rand::rngs::OsRng;
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;

/// A fixed start time (2025-06-15T15:06:40Z).
pub const T0: u64 = 1_750_000_000;

pub struct TestServer {
    pub dir: TempDir,
    pub clock: FakeClock,
    pub state: AppState,
    pub router: Router,
}

/// A response: status, JSON (or `Value::Null`), raw body.
pub struct Reply {
    pub status: StatusCode,
    pub json: Value,
    pub body: Vec<u8>,
    pub headers: axum::http::HeaderMap,
}

impl Reply {
    /// `error.code`, or "" if the body is not an error.
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }
}

impl TestServer {
    pub fn new() -> Self {
        Self::with(|_| {})
    }

    pub fn with(adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::new(T0);
        let mut config = ServerConfig::new(dir.path()).with_clock(clock.clone());
        adjust(&mut config);
        let state = AppState::open(&config).unwrap();
        let router = app(state.clone());
        TestServer {
            dir,
            clock,
            state,
            router,
        }
    }

    /// A node on PostgreSQL (`url`): opened on a blocking thread of the test's runtime (the
    /// store's blocking calls run on that runtime, so the test must use the multi-threaded
    /// one). `keys_from`: another node's data directory whose key files this node copies, as
    /// a second machine of the same region would.
    pub async fn on_postgres(
        url: &str,
        keys_from: Option<&std::path::Path>,
        clock: FakeClock,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        if let Some(from) = keys_from {
            copy_node_files(from, dir.path());
        }
        let mut config = ServerConfig::new(dir.path()).with_clock(clock.clone());
        config.database_url = Some(url.to_owned());
        config.database_pool = 4;
        // The tests drive many redeems of one ticket at once: the rate limits are tested
        // elsewhere.
        config.ticket_rate = None;
        config.client_rate = None;
        let state = tokio::task::spawn_blocking(move || AppState::open(&config))
            .await
            .unwrap()
            .unwrap();
        let router = app(state.clone());
        TestServer {
            dir,
            clock,
            state,
            router,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        Reply {
            status,
            json,
            body,
            headers,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> Reply {
        self.send(request(method, uri, body, token, None)).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.call(Method::GET, uri, None, None).await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Reply {
        self.call(Method::POST, uri, Some(body), None).await
    }

    pub async fn admin(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        let token = self.state.admin_token().to_owned();
        self.call(method, uri, body, Some(&token)).await
    }

    pub fn ticket(&self, req: TicketRequest) -> SignedTicket {
        self.state.sign_ticket(&req).unwrap()
    }

    /// The issuing key as a wallet would find it: from `/v1/keys`, verified under the root.
    /// `GET /metrics` with the admin token (the route refuses anyone else).
    pub async fn metrics(&self) -> Reply {
        self.admin(Method::GET, greenlight_api::paths::METRICS, None)
            .await
    }

    pub async fn issuer_key(&self) -> IssuerPublicKey {
        let reply = self.get(paths::KEYS).await;
        assert_eq!(reply.status, StatusCode::OK);
        let keys: KeysResponse = serde_json::from_value(reply.json).unwrap();
        issuer_key_from(&keys, self.now())
    }

    /// What a wallet concludes from `/v1/keys` at the server's current time.
    pub async fn try_issuer_key(&self) -> Result<IssuerPublicKey, WalletError> {
        let reply = self.get(paths::KEYS).await;
        assert_eq!(reply.status, StatusCode::OK);
        let keys: KeysResponse = serde_json::from_value(reply.json).unwrap();
        try_issuer_key_from(&keys, self.now())
    }

    /// The server's (fake) clock.
    pub fn now(&self) -> u64 {
        self.clock.now_unix()
    }

    /// `POST /v1/issuance/start` with the fields as given (they need not be valid base64).
    pub async fn start(&self, ticket: &str, registrations: &str) -> Reply {
        let body = StartRequest {
            ticket: ticket.to_owned(),
            registrations: registrations.to_owned(),
        };
        self.post(paths::ISSUANCE_START, json!(body)).await
    }

    /// `POST /v1/issuance/finish` with the fields as given.
    pub async fn finish(&self, session: &str, challenges: &str) -> Reply {
        let body = FinishRequest {
            session: session.to_owned(),
            challenges: challenges.to_owned(),
        };
        self.post(paths::ISSUANCE_FINISH, json!(body)).await
    }

    /// The whole two-round issuance of `n` tokens; on refusal, the refusing reply. A whole
    /// ticket (`n` = its tokens) goes through the wallet's [`Redemption`]; part of one through
    /// [`Batch`].
    pub async fn issue(&self, ticket: &str, n: usize) -> Result<Vec<Token>, Reply> {
        let pk = self.issuer_key().await;
        let parsed = Ticket::from_text(ticket).unwrap();
        let now = self.now();
        if n == usize::from(parsed.unverified_body().tokens().min(MAX_BATCH)) {
            let secret = HolderSecret::generate(&mut OsRng);
            let (wallet, regs) = Redemption::start(&parsed, pk, &secret, now, &mut OsRng).unwrap();
            let start = self.start_ok(ticket, &b64(&regs)).await?;
            let (wallet, challenges) = wallet
                .on_commitments(&start.commitments_bytes().unwrap(), now, &mut OsRng)
                .unwrap();
            let reply = self.finish(&start.session, &b64(&challenges)).await;
            if reply.status != StatusCode::OK {
                return Err(reply);
            }
            return Ok(wallet.on_answers(&answers_of(&reply.json)).unwrap());
        }
        let (holder, regs) = register(&pk, ticket, n);
        let start = self.start_ok(ticket, &regs).await?;
        let (holder, challenges) = challenge(holder, &start, now);
        let reply = self.finish(&start.session, &challenges).await;
        if reply.status != StatusCode::OK {
            return Err(reply);
        }
        Ok(unblind(holder, &reply.json))
    }

    /// `start`, parsed if 200; the reply otherwise.
    pub async fn start_ok(
        &self,
        ticket: &str,
        registrations: &str,
    ) -> Result<StartResponse, Reply> {
        let reply = self.start(ticket, registrations).await;
        if reply.status != StatusCode::OK {
            return Err(reply);
        }
        Ok(serde_json::from_value(reply.json).unwrap())
    }
}

/// What a second node of a development data directory copies from the first: its keys, admin
/// token, store key and issuer description (`docs/api.md`, "PostgreSQL store").
pub fn copy_node_files(from: &std::path::Path, to: &std::path::Path) {
    for file in [
        "issuer.key",
        "authority.key",
        "root.key",
        "admin.token",
        "store.key",
        "issuer.json",
    ] {
        std::fs::copy(from.join(file), to.join(file)).unwrap();
    }
}

fn b64(bytes: &[u8]) -> String {
    greenlight_api::b64_encode(bytes)
}

fn answers_of(finish: &Value) -> Vec<u8> {
    let finish: FinishResponse = serde_json::from_value(finish.clone()).unwrap();
    finish.answers_bytes().unwrap()
}

pub fn request(
    method: Method,
    uri: &str,
    body: Option<Value>,
    token: Option<&str>,
    client: Option<SocketAddr>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(v) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(serde_json::to_vec(&v).unwrap())
        }
        None => Body::empty(),
    };
    let mut req = builder.body(body).unwrap();
    if let Some(addr) = client {
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    req
}

/// The issuing key as a wallet accepts it: the key list verified under the root the server
/// names (these tests trust the server they started), the issuing key checked by the wallet's
/// rule at `now_unix`.
pub fn issuer_key_from(keys: &KeysResponse, now_unix: u64) -> IssuerPublicKey {
    try_issuer_key_from(keys, now_unix).unwrap()
}

/// [`issuer_key_from`], with the wallet's refusal.
pub fn try_issuer_key_from(
    keys: &KeysResponse,
    now_unix: u64,
) -> Result<IssuerPublicKey, WalletError> {
    let root: [u8; 32] = hex::decode(&keys.root_public_key)
        .unwrap()
        .try_into()
        .unwrap();
    let trust = TrustedKeyList::new(root, KeyList::from_text(&keys.key_list).unwrap()).unwrap();
    let key_id: [u8; 8] = hex::decode(&keys.issuing_key_id)
        .unwrap()
        .try_into()
        .unwrap();
    issuing_key(&trust, &key_id, now_unix)
}

pub fn ticket_id_of(ticket: &str) -> [u8; 16] {
    Ticket::from_text(ticket)
        .unwrap()
        .unverified_body()
        .ticket_id()
}

/// The holder's first message for `n` tokens of `ticket` (any `n`: see [`Batch`]).
pub fn register(pk: &IssuerPublicKey, ticket: &str, n: usize) -> (Batch, String) {
    let ticket = Ticket::from_text(ticket).unwrap();
    let secret = Scalar::random(&mut OsRng);
    let (holder, regs) = start_batch(&ticket, pk, &secret, n, &mut OsRng).unwrap();
    (holder, b64(&regs))
}

/// The holder's challenges, after checking what the issuer certified against the ticket and
/// `now_unix` (the server's clock).
pub fn challenge(holder: Batch, start: &StartResponse, now_unix: u64) -> (Challenged, String) {
    let (holder, challenges) = holder
        .on_commitments(&start.commitments_bytes().unwrap(), now_unix, &mut OsRng)
        .unwrap();
    (holder, b64(&challenges))
}

/// The tokens, each verified under the issuer key.
pub fn unblind(holder: Challenged, finish: &Value) -> Vec<Token> {
    holder.on_answers(&answers_of(finish)).unwrap()
}
