//! Shared helpers: a state on a temporary data directory with a fake clock, requests through
//! `oneshot` (no socket), and the holder's side of issuance from `greenlight-acl`.
#![allow(dead_code)]

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::{
    AnswerBatch, CommitmentBatch, HolderChallenged, HolderRegistered, HolderRequest,
};
use greenlight_acl::{IssuerPublicKey, Token};
use greenlight_protocol::{KeyList, Ticket};
use greenlight_server::{
    app, b64_decode, b64_encode, AppState, FakeClock, KeysResponse, ServerConfig, SignedTicket,
    StartResponse, TicketRequest,
};
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
    pub async fn issuer_key(&self) -> IssuerPublicKey {
        let reply = self.get("/v1/keys").await;
        assert_eq!(reply.status, StatusCode::OK);
        let keys: KeysResponse = serde_json::from_value(reply.json).unwrap();
        issuer_key_from(&keys)
    }

    pub async fn start(&self, ticket: &str, registrations: &str) -> Reply {
        self.post(
            "/v1/issuance/start",
            json!({"ticket": ticket, "registrations": registrations}),
        )
        .await
    }

    pub async fn finish(&self, session: &str, challenges: &str) -> Reply {
        self.post(
            "/v1/issuance/finish",
            json!({"session": session, "challenges": challenges}),
        )
        .await
    }

    /// The whole two-round issuance of `n` tokens; on refusal, the refusing reply.
    pub async fn issue(&self, ticket: &str, n: usize) -> Result<Vec<Token>, Reply> {
        let pk = self.issuer_key().await;
        let (holder, regs) = register(&pk, ticket, n);
        let reply = self.start(ticket, &regs).await;
        if reply.status != StatusCode::OK {
            return Err(reply);
        }
        let start: StartResponse = serde_json::from_value(reply.json).unwrap();
        let (holder, challenges) = challenge(holder, &start);
        let reply = self.finish(&start.session, &challenges).await;
        if reply.status != StatusCode::OK {
            return Err(reply);
        }
        Ok(unblind(holder, &reply.json))
    }
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

pub fn issuer_key_from(keys: &KeysResponse) -> IssuerPublicKey {
    let root_bytes: [u8; 32] = hex::decode(&keys.root_public_key)
        .unwrap()
        .try_into()
        .unwrap();
    let root = greenlight_protocol::verifying_key_from_bytes(&root_bytes).unwrap();
    let list = KeyList::from_text(&keys.key_list).unwrap();
    let body = list.verify(&root).unwrap();
    let key_id: [u8; 8] = hex::decode(&keys.issuing_key_id)
        .unwrap()
        .try_into()
        .unwrap();
    let (_, entry) = body.find_key(&key_id).unwrap();
    IssuerPublicKey::from_compressed(&entry.public_key).unwrap()
}

pub fn ticket_id_of(ticket: &str) -> [u8; 16] {
    Ticket::from_text(ticket)
        .unwrap()
        .unverified_body()
        .ticket_id()
}

/// The holder's first message for `n` tokens, bound to the ticket id.
pub fn register(pk: &IssuerPublicKey, ticket: &str, n: usize) -> (HolderRegistered, String) {
    let secret = Scalar::random(&mut OsRng);
    let (holder, batch) =
        HolderRequest::new_with_rng(pk, &ticket_id_of(ticket), &secret, n, &mut OsRng).unwrap();
    (holder, b64_encode(&batch.to_bytes()))
}

pub fn challenge(holder: HolderRegistered, start: &StartResponse) -> (HolderChallenged, String) {
    let commitments =
        CommitmentBatch::from_bytes(&b64_decode(&start.commitments).unwrap()).unwrap();
    let (holder, challenges) = holder.challenge_with_rng(&commitments, &mut OsRng).unwrap();
    (holder, b64_encode(&challenges.to_bytes()))
}

pub fn unblind(holder: HolderChallenged, finish: &Value) -> Vec<Token> {
    let answers =
        AnswerBatch::from_bytes(&b64_decode(finish["answers"].as_str().unwrap()).unwrap()).unwrap();
    holder.finish(&answers).unwrap()
}
