//! Every HTTP request body the issuer accepts, through the real router (`app(state)` with
//! `oneshot`, no socket): `POST /v1/issuance/start`, `POST /v1/issuance/finish`,
//! `POST /v1/admin/tickets`, `POST /v1/admin/revocations` and `POST /v1/admin/appeals` (with
//! the admin token, so the body is actually decoded). The first input byte picks the route,
//! the rest is the body. Whatever arrives, the server
//! must not panic, must never answer 500, and every refusal must be the JSON error of
//! docs/api.md.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use greenlight_server::{app, AppState, ServerConfig};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Env {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
    _dir: tempfile::TempDir,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut config = ServerConfig::new(dir.path());
        // Rate limits would turn most inputs into 429 after a few executions.
        config.ticket_rate = None;
        config.client_rate = None;
        let state = AppState::open(&config).expect("server state");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Env {
            rt,
            token: state.admin_token().to_owned(),
            router: app(state),
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let env = env();
    let (method, uri, body) = match selector % 5 {
        0 => (Method::POST, "/v1/issuance/start".to_owned(), body.to_vec()),
        1 => (
            Method::POST,
            "/v1/issuance/finish".to_owned(),
            body.to_vec(),
        ),
        2 => (Method::POST, "/v1/admin/tickets".to_owned(), body.to_vec()),
        3 => (
            Method::POST,
            "/v1/admin/revocations".to_owned(),
            body.to_vec(),
        ),
        _ => (Method::POST, "/v1/admin/appeals".to_owned(), body.to_vec()),
    };
    let Ok(request) = Request::builder()
        .method(method)
        .uri(&uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {}", env.token))
        .body(Body::from(body))
    else {
        return;
    };
    let (status, bytes) = env.rt.block_on(async {
        let response = env
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("response body");
        (status, bytes)
    });
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "500 on {uri}");
    if !status.is_success() {
        let json: serde_json::Value =
            serde_json::from_slice(&bytes).expect("a refusal is a JSON error body");
        assert!(
            json["error"]["code"].is_string(),
            "error without a code: {json}"
        );
    }
});
