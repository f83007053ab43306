//! Routes, handlers and extractors of `docs/api.md`: the axum side of the contract. The JSON
//! bodies and error codes themselves are `greenlight-api`'s.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use crate::store::StoreError;
use axum::error_handling::HandleErrorLayer;
use axum::extract::rejection::JsonRejection;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, MatchedPath, Request, State,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{BoxError, Json, Router};
use greenlight_api::{
    paths, AdminTicketRequest, AdminTicketResponse, AppealRequest, ErrorCode, FinishRequest,
    FinishResponse, IssuedDay, IssuedTotalsResponse, KeyListDocument, KeyListLoaded, KeysResponse,
    RevocationResponse, RevokeRequest, StartRequest, StartResponse,
};
use greenlight_issuance::registered_key_id;
use greenlight_issuance::totals::SECS_PER_DAY;
use greenlight_issuance::Store as _;
use greenlight_issuance::{
    check_start, commit, decode_challenges, finish, published_totals, record_issued, IssuerState,
    Refusal,
};
use greenlight_protocol::{Status, SubjectHandle};
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;

use crate::config::ServerConfig;
use crate::error::{AppError, ServerError};
use crate::metrics::{CodeLabels, RequestLabels};
use crate::sessions::{SessionError, SessionId, SlotRefused, SESSION_ID_LEN};
use crate::state::AppState;
use crate::tickets::{TicketRequest, DEFAULT_TICKET_TOKENS, DEFAULT_TICKET_VALIDITY};

// ---- the router ------------------------------------------------------------------------------

/// Body limit of `POST /v1/admin/key-list`: the text of the largest key list
/// ([`greenlight_protocol::lengths::MAX_KEY_LIST_LEN`], base45) with room for the JSON around it.
pub const MAX_KEY_LIST_BODY: usize = greenlight_protocol::lengths::MAX_KEY_LIST_LEN * 3 / 2 + 4096;

/// The whole service as a router. Tests drive it with `tower::ServiceExt::oneshot`; to see
/// client addresses (per-client rate limit) serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()`, as [`crate::serve`] does.
///
/// Layers: every route is observed (log line + counters, route *template* only) and has the
/// 64 KiB body limit; the API routes also get the per-request timeout and the global
/// concurrency limit with load shedding (`/healthz` and `/metrics` stay outside it, so an
/// overloaded service is still seen as alive and its counters can still be read; so does
/// `/v1/issuance/finish`, see below).
pub fn app(state: AppState) -> Router {
    let limits = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(layer_error))
        .load_shed()
        // A *global* limit: `Router::layer` instantiates the layer once per route, and the
        // plain concurrency layer would give each route its own semaphore.
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            state.inner.max_concurrency,
        ))
        .timeout(state.inner.request_timeout);

    let limited = Router::new()
        .route(paths::KEYS, get(keys))
        .route(paths::ISSUED_TOTALS, get(issued_totals))
        .route(paths::ISSUANCE_START, post(issuance_start))
        .route(paths::ADMIN_TICKETS, post(admin_ticket))
        .route(paths::ADMIN_REVOCATIONS, post(revoke))
        .route(paths::ADMIN_APPEALS, post(appeal))
        .route(
            paths::ADMIN_KEY_LIST,
            // The largest key list's text (base45: 3 characters per 2 bytes) and the JSON
            // around it: more than the 64 KiB of every other route.
            post(load_key_list).layer(DefaultBodyLimit::max(MAX_KEY_LIST_BODY)),
        );
    // Say why there is no page where the README sends people, rather than a bare 404.
    let limited = static_page(
        limited,
        "/venue",
        state.inner.web_dir.as_deref(),
        get(venue_not_built),
    );
    let limited = static_page(
        limited,
        "/wallet",
        state.inner.wallet_dir.as_deref(),
        get(wallet_not_built),
    );
    let limited = limited.layer(limits);

    // `finish` is not shed: by the time it arrives, `start` has already spent the ticket's
    // quota, so refusing it under load would burn those tokens. It is bounded anyway — at
    // most one successful `finish` per open session, and open sessions are capped by
    // `--max-open-sessions` — and it keeps the per-request timeout.
    // It does get its own concurrency limit that *queues* (no `load_shed`), so a flood of
    // bogus `finish` calls cannot pile up unbounded blocking tasks; queued calls still run
    // into the per-request timeout.
    let finish = Router::new()
        .route(paths::ISSUANCE_FINISH, post(issuance_finish))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(layer_error))
                .timeout(state.inner.request_timeout)
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                    state.inner.max_concurrency,
                )),
        );

    Router::new()
        .route(paths::HEALTHZ, get(healthz))
        .route(paths::METRICS, get(metrics))
        .merge(limited)
        .merge(finish)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Outside the limits, so that a shed or timed-out redeem is still readable by a
        // wallet on another origin (it must see `overloaded` and `Retry-After` to wait);
        // inside `observe`, so preflights are logged and counted like any request.
        .layer(middleware::from_fn(redeem_cors))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(DefaultBodyLimit::max(ServerConfig::MAX_BODY_BYTES))
        .with_state(state)
}

/// A built page's directory nested at `at` (gzipped siblings sent when accepted), or, when it
/// is not built, `not_built` at `at` and `at/`.
fn static_page(
    router: Router<AppState>,
    at: &str,
    dir: Option<&std::path::Path>,
    not_built: axum::routing::MethodRouter<AppState>,
) -> Router<AppState> {
    match dir {
        Some(dir) if dir.is_dir() => {
            router.nest_service(at, ServeDir::new(dir).precompressed_gzip())
        }
        _ => router
            .route(at, not_built.clone())
            .route(&format!("{at}/"), not_built),
    }
}

async fn layer_error(err: BoxError) -> AppError {
    if err.is::<tower::timeout::error::Elapsed>() {
        AppError::new(ErrorCode::Timeout)
    } else if err.is::<tower::load_shed::error::Overloaded>() {
        AppError::new(ErrorCode::Overloaded)
    } else {
        AppError::internal("middleware", &err)
    }
}

async fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound)
}

async fn method_not_allowed() -> AppError {
    AppError::new(ErrorCode::MethodNotAllowed)
}

/// What the server says (at start, and at `/venue/`) when it has no browser verifier to
/// serve: the page is built separately, by a script too heavy to run implicitly.
pub const VENUE_NOT_BUILT: &str =
    "venue page not built: run client/web/build.sh to serve it at /venue/";

/// What the server says (at start, and at `/wallet/`) when it has no wallet page to serve.
pub const WALLET_NOT_BUILT: &str =
    "wallet page not built: run client/web/build.sh to serve it at /wallet/";

/// `GET /venue/` without a built page: 404, a short HTML page saying how to build it (counted
/// as `not_found`).
async fn venue_not_built() -> Response {
    not_built("Venue page not built", VENUE_NOT_BUILT)
}

/// `GET /wallet/` without a built page: the same kind of 404.
async fn wallet_not_built() -> Response {
    not_built("Wallet page not built", WALLET_NOT_BUILT)
}

fn not_built(title: &str, text: &str) -> Response {
    let body = format!(
        "<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\">\
         <title>{title}</title>\n<p>{text}</p></html>\n"
    );
    let mut response = (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    response.extensions_mut().insert(ErrorCode::NotFound);
    response
}

/// One log line and the counters per request: route template, method, status, latency (in
/// milliseconds, whole microseconds: `latency_ms=0.021`), error code. Never the path itself
/// (an unmatched one can hold anything), headers, bodies or addresses.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = method_label(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let code = response.extensions().get::<ErrorCode>().copied();
    // Whole microseconds: an integer divided by 1000 prints with at most three decimals.
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let latency_ms = micros as f64 / 1e3;

    let metrics = &state.inner.metrics;
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            method: method.to_owned(),
            status,
        })
        .inc();
    match code {
        Some(code) => {
            metrics
                .rejections
                .get_or_create(&CodeLabels {
                    code: code.as_str(),
                })
                .inc();
            if status >= 500 {
                tracing::warn!(%route, %method, status, latency_ms, code = code.as_str(), "request failed");
            } else {
                tracing::info!(%route, %method, status, latency_ms, code = code.as_str(), "request refused");
            }
        }
        None => tracing::info!(%route, %method, status, latency_ms, "request"),
    }
    response
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

// ---- extractors ------------------------------------------------------------------------------

/// `Json<T>` whose rejections become [`AppError`]s with fixed messages (axum's own rejection
/// texts can quote the input).
struct ApiJson<T>(T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::new(ErrorCode::PayloadTooLarge);
    }
    let message = match rejection {
        JsonRejection::MissingJsonContentType(_) => "expected Content-Type: application/json",
        JsonRejection::JsonSyntaxError(_) => "the body is not valid JSON",
        JsonRejection::JsonDataError(_) => {
            "the JSON body lacks a required field or has a field of the wrong type"
        }
        _ => "the request body could not be read",
    };
    AppError::with_message(ErrorCode::BadRequest, message)
}

/// The client's address if the server was started with connect info (never logged, never
/// stored: it only selects a rate-limit bucket, under a salted hash).
struct ClientAddr(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_canonical()),
        ))
    }
}

impl ClientAddr {
    /// The rate-limit key: the IPv4 address, or the IPv6 /64 (one subscriber usually holds a
    /// whole /64, so per-address buckets would be trivially evaded).
    fn bucket_key(&self) -> Vec<u8> {
        match self.0 {
            Some(IpAddr::V4(v4)) => [&[4u8][..], &v4.octets()].concat(),
            Some(IpAddr::V6(v6)) => [&[6u8][..], &v6.octets()[..8]].concat(),
            None => vec![0],
        }
    }
}

/// Proof that the request carries the admin bearer token.
struct AdminAuth;

impl FromRequestParts<AppState> for AdminAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .ok_or(AppError::new(ErrorCode::Unauthorized))?;
        // Comparing fixed-length digests in constant time: neither the token's length nor
        // how many leading bytes match shows in the timing.
        let presented = Sha256::digest(token.as_bytes());
        if bool::from(presented.as_slice().ct_eq(&state.inner.admin_digest)) {
            Ok(AdminAuth)
        } else {
            Err(AppError::new(ErrorCode::Unauthorized))
        }
    }
}

// ---- handlers --------------------------------------------------------------------------------

async fn healthz() -> &'static str {
    "ok"
}

/// Real-time counters: the operator's only (a reading before and after one redeem would show
/// its batch size and minute). The public figures are [`issued_totals`].
async fn metrics(State(state): State<AppState>, _admin: AdminAuth) -> Result<Response, AppError> {
    let text = state
        .inner
        .metrics
        .render()
        .map_err(|e| AppError::internal("metrics", &e))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        text,
    )
        .into_response())
}

/// The redeem routes answer any origin: a wallet built as static files for another host
/// (docs/wallet-web.md) redeems cross-origin. Safe because they are public and
/// credential-less — no cookie, no `Authorization`; the ticket in the body is the only
/// authority, and any non-browser client can already send the same request — so CORS, which
/// guards ambient credentials, protects nothing here; `*` without `Allow-Credentials` also
/// means browsers never attach cookies. Only `POST` with `Content-Type` is allowed, and only
/// `Retry-After` is exposed (the wait rule needs it). Every other route keeps the
/// same-origin default (the admin routes above all). docs/api.md, "Cross-origin".
const REDEEM_CORS_PATHS: [&str; 2] = [paths::ISSUANCE_START, paths::ISSUANCE_FINISH];
/// How long a browser may reuse a preflight's answer (seconds): one redeem's batches.
const REDEEM_CORS_MAX_AGE: &str = "600";

async fn redeem_cors(req: Request, next: Next) -> Response {
    if !REDEEM_CORS_PATHS.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let mut response = if req.method() == Method::OPTIONS {
        let mut preflight = StatusCode::NO_CONTENT.into_response();
        let h = preflight.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(REDEEM_CORS_MAX_AGE),
        );
        preflight
    } else {
        let mut answer = next.run(req).await;
        answer.headers_mut().insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after"),
        );
        answer
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// Public key material, readable by any page (`Access-Control-Allow-Origin: *`): a venue page
/// served from a separate static host fetches it cross-origin (docs/browser-verifier.md), and
/// so does a wallet built for another host, which also reads the `Date` header (exposed) for
/// its clock check. The redeem routes ([`redeem_cors`]) are the only others answered
/// cross-origin.
async fn keys(State(state): State<AppState>) -> impl IntoResponse {
    let inner = &state.inner;
    let published = state.published();
    let issuing_key_id = published
        .current(state.now_unix())
        .map(|c| hex::encode(c.entry.key_id))
        .unwrap_or_default();
    let cors = [
        (
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ),
        (
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("date"),
        ),
    ];
    (
        cors,
        Json(KeysResponse {
            root_public_key: hex::encode(published.root_public.as_bytes()),
            key_list: published.key_list_text.clone(),
            previous_key_list: published.previous_key_list_text.clone(),
            issuing_key_id,
            max_batch: Some(inner.sessions.max_batch()),
            authority_public_key: Some(hex::encode(inner.authority_public.as_bytes())),
            cosignatures: published.cosignatures.clone(),
        }),
    )
}

/// Tokens issued per key and completed UTC day (`greenlight_issuance::totals`).
async fn issued_totals(
    State(state): State<AppState>,
) -> Result<Json<IssuedTotalsResponse>, AppError> {
    let totals = blocking(move || {
        published_totals(&state.inner.store, state.now_unix()).map_err(store_error)
    })
    .await?;
    Ok(Json(IssuedTotalsResponse {
        days: totals
            .into_iter()
            .map(|t| IssuedDay {
                key_id: hex::encode(t.key_id),
                day: utc_date(t.day),
                tokens: t.tokens,
            })
            .collect(),
    }))
}

/// `YYYY-MM-DD` of a UTC day number.
fn utc_date(day: u32) -> String {
    let at = std::time::UNIX_EPOCH + Duration::from_secs(u64::from(day) * SECS_PER_DAY);
    let mut text = humantime::format_rfc3339_seconds(at).to_string();
    text.truncate(10);
    text
}

/// Runs blocking work (sled, curve arithmetic) off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::internal("blocking task", &e))?
}

fn store_error(e: StoreError) -> AppError {
    store_error_ref(&e)
}

/// A store failure: `503 overloaded` (with Retry-After) when the database is down or
/// restarting — the client retries and the request did no work it could repeat (a quota
/// reservation is one statement: it committed or it did not) — else a logged `500`.
fn store_error_ref(e: &StoreError) -> AppError {
    if e.is_unavailable() {
        tracing::warn!(error = %e, "store unavailable");
        return AppError::with_message(
            ErrorCode::Overloaded,
            "the issuer's database is unavailable; try again shortly",
        );
    }
    AppError::internal("store", e)
}

/// A session-table failure as an HTTP answer.
fn session_error(e: SessionError) -> AppError {
    match e {
        SessionError::Refused(SlotRefused::Busy) => AppError::with_message(
            ErrorCode::Overloaded,
            "too many issuance sessions are open; try again shortly",
        ),
        SessionError::Refused(SlotRefused::TicketBusy) => AppError::new(ErrorCode::TicketBusy),
        SessionError::Refused(SlotRefused::BatchOverCap { cap }) => AppError::with_owned_message(
            ErrorCode::BadRequest,
            format!(
                "this issuer keeps at most {cap} issuance sessions open at once: \
                 ask for at most {cap} tokens per request"
            ),
        ),
        SessionError::Store(e) => store_error(e),
        SessionError::Lost => AppError::with_message(
            ErrorCode::Overloaded,
            "the issuance session expired before it was stored; try again",
        ),
    }
}

async fn issuance_start(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(req): ApiJson<StartRequest>,
) -> Result<Json<StartResponse>, AppError> {
    if let Some(limiter) = &state.inner.client_limiter {
        if !limiter.check(&client.bucket_key(), state.now_unix()) {
            return Err(AppError::new(ErrorCode::RateLimited));
        }
    }
    let registrations = req.registrations_bytes().map_err(|_| {
        AppError::with_message(
            ErrorCode::BadRequest,
            "registrations is not unpadded base64url",
        )
    })?;
    let response = blocking(move || start_blocking(&state, &req.ticket, &registrations)).await?;
    Ok(Json(response))
}

/// A refusal of the issuance pipeline as an HTTP answer: its code, its message if it has
/// one, and storage failures logged (never shown).
fn refusal(r: Refusal<StoreError>) -> AppError {
    let remaining = match &r {
        Refusal::QuotaExceeded { remaining } => *remaining,
        _ => None,
    };
    match (&r, r.message()) {
        (Refusal::Store(e), _) => store_error_ref(e),
        (Refusal::Internal(what), _) => AppError::internal("issuance", what),
        (_, Some(message)) => AppError::with_message(r.code(), message),
        (_, None) => AppError::new(r.code()),
    }
    .with_remaining(remaining)
}

/// `start` after the JSON is parsed: the pipeline of `greenlight_issuance` (the order of
/// `docs/api.md`), with this server's in-memory parts around it — the per-ticket rate limit
/// (called by the pipeline right after the signature check) and the open-session cap (a
/// slot is taken just before the registration proofs are checked).
fn start_blocking(
    state: &AppState,
    ticket_text: &str,
    registrations: &[u8],
) -> Result<StartResponse, AppError> {
    let inner = &state.inner;
    let now = state.now_unix();
    // One list for the whole request, even if a new one is loaded meanwhile.
    let published = state.published();
    // The key the holder registered for, while it issues (a rotation in progress), else the
    // current one: `greenlight_protocol::KeyListBody::region_key_for`.
    let current = published
        .current_for(registered_key_id(registrations), now)
        .ok_or_else(|| refusal(Refusal::KeyNotIssuing))?;
    let issuer = IssuerState {
        issuer: &current.pair,
        authority: &inner.authority_public,
        issue_from: current.entry.issue_from,
        issue_until: current.entry.issue_until,
        key_revoked: current.revoked,
    };
    let checked = check_start(
        &issuer,
        &inner.store,
        ticket_text,
        registrations,
        now,
        |id| match &inner.ticket_limiter {
            Some(limiter) => limiter.check(id, now),
            None => true,
        },
    )
    .map_err(refusal)?;
    let slot = inner
        .sessions
        .reserve_slot(
            now,
            checked.tokens(),
            checked.body().ticket_id(),
            current.entry.key_id,
            inner.store.digest_key(),
        )
        .map_err(session_error)?;
    // On a refusal `committed` is dropped, zeroized and never answered.
    let (committed, commitments) =
        commit(&issuer, &inner.store, checked, now, &mut OsRng).map_err(refusal)?;
    let session = slot
        .insert(committed, &current.pair, now)
        .map_err(session_error)?;
    inner.metrics.sessions_started.inc();
    Ok(StartResponse {
        session: hex::encode(session),
        commitments: greenlight_api::b64_encode(&commitments.to_bytes()),
        expires_in_secs: inner.sessions.ttl_secs(),
    })
}

fn parse_session_id(text: &str) -> Result<SessionId, AppError> {
    let mut id = [0u8; SESSION_ID_LEN];
    hex::decode_to_slice(text.trim(), &mut id).map_err(|_| {
        AppError::with_message(ErrorCode::BadRequest, "session must be 32 hex digits")
    })?;
    Ok(id)
}

async fn issuance_finish(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<FinishRequest>,
) -> Result<Json<FinishResponse>, AppError> {
    let session = parse_session_id(&req.session)?;
    let challenges = req.challenges_bytes().map_err(|_| {
        AppError::with_message(
            ErrorCode::BadRequest,
            "challenges is not unpadded base64url",
        )
    })?;
    let response = blocking(move || finish_blocking(&state, &session, &challenges)).await?;
    Ok(Json(response))
}

fn finish_blocking(
    state: &AppState,
    session: &SessionId,
    challenges: &[u8],
) -> Result<FinishResponse, AppError> {
    let inner = &state.inner;
    // Decode first: a garbled request leaves the session open for a corrected retry.
    let challenges = decode_challenges(challenges).map_err(refusal)?;
    // Removed under the table's lock (or, shared, by the one `DELETE … RETURNING` that finds
    // it): from here on no other request, on any node, can reach this state.
    let published = state.published();
    let committed = inner
        .sessions
        .take(session, state.now_unix(), &published.held)
        .map_err(session_error)?
        .ok_or(AppError::new(ErrorCode::UnknownSession))?;
    let n = committed.len();
    // The key the session was committed under, whatever the current key is now (a list
    // loaded between `start` and `finish` may have rotated it).
    let key_id = committed.key_id().0;
    let Some(key) = published.held.get(&key_id).cloned() else {
        return Err(AppError::internal(
            "issuance",
            &"the session's issuing key is no longer held",
        ));
    };
    // `finish` consumes the state whatever happens; its secrets are zeroized on return.
    let answers = finish(&key, committed, &challenges).map_err(refusal)?;
    inner.metrics.sessions_finished.inc();
    inner.metrics.tokens_issued.inc_by(n as u64);
    // The answers exist: a failure to count them is logged, not turned into a refusal that
    // would throw the tokens away.
    if let Err(e) = record_issued(&inner.store, key_id, state.now_unix(), n as u64) {
        tracing::error!(error = %e, "revocation store: counting issued tokens failed");
    }
    Ok(FinishResponse::new(&answers.to_bytes()))
}

async fn admin_ticket(
    State(state): State<AppState>,
    _admin: AdminAuth,
    ApiJson(req): ApiJson<AdminTicketRequest>,
) -> Result<Json<AdminTicketResponse>, AppError> {
    let status: Status = req.status.parse().map_err(|_| {
        AppError::with_message(ErrorCode::BadRequest, "status must be green, yellow or red")
    })?;
    let request = TicketRequest::new(req.subject.as_str(), status)
        .travel(req.travel.clone().unwrap_or_default())
        .tokens(req.tokens.unwrap_or(DEFAULT_TICKET_TOKENS))
        .valid_for(
            req.valid_for_secs
                .map(Duration::from_secs)
                .unwrap_or(DEFAULT_TICKET_VALIDITY),
        );
    // Signed and recorded (the subject's epoch moves to the ticket's start, so its older
    // tickets stop redeeming now), durably, before the ticket is shown.
    let st = state.clone();
    let signed = blocking(move || {
        st.sign_and_record_ticket(&request).map_err(|e| match e {
            // The message names the ID format, never the handle.
            ServerError::SubjectLooksLikeIdNumber(looks) => {
                AppError::with_owned_message(ErrorCode::BadRequest, looks.to_string())
            }
            // A fixed text from the status and the limit, never the request.
            ServerError::TicketTooLong(too_long) => AppError::with_owned_message(
                ErrorCode::BadRequest,
                format!(
                    "invalid ticket request: {too_long}; valid_for_secs is 1-{} for green and yellow tickets, 1-{} for red",
                    greenlight_issuance::MAX_GRANTING_TICKET_LIFE_SECS,
                    greenlight_issuance::MAX_TICKET_LIFE_SECS,
                ),
            ),
            ServerError::Store(e) => store_error(e),
            ServerError::Usage(_) => AppError::with_message(
                ErrorCode::NotFound,
                "this server holds no authority key: tickets are signed with `greenlight-server authority ticket`",
            ),
            _ => AppError::with_message(
                ErrorCode::BadRequest,
                "invalid ticket request: subject must be 1-64 bytes without control characters, travel two-letter region codes (at most 24), tokens 1-64, valid_for_secs 1-1209600 (green, yellow) or 1-7776000 (red)",
            ),
        })
    })
    .await?;
    state.inner.metrics.tickets_signed.inc();
    Ok(Json(AdminTicketResponse {
        ticket: signed.text,
        ticket_id: hex::encode(signed.ticket_id),
        not_after: signed.not_after,
    }))
}

fn subject_handle(text: &str) -> Result<SubjectHandle, AppError> {
    SubjectHandle::new(text).map_err(|_| {
        AppError::with_message(
            ErrorCode::BadRequest,
            "the subject handle must be 1-64 bytes without control characters",
        )
    })
}

async fn revoke(
    State(state): State<AppState>,
    _admin: AdminAuth,
    ApiJson(req): ApiJson<RevokeRequest>,
) -> Result<Json<RevocationResponse>, AppError> {
    let subject = subject_handle(&req.subject)?;
    let st = state.clone();
    let changed = blocking(move || {
        // Revoked, and the epoch moved to now (`greenlight_issuance::epoch`).
        greenlight_issuance::epoch::revoke(&st.inner.store, subject.as_str(), st.now_unix())
            .map_err(store_error)
    })
    .await?;
    if changed {
        state.inner.metrics.revocations.inc();
    }
    Ok(Json(RevocationResponse {
        subject_revoked: true,
        changed,
    }))
}

/// `POST /v1/admin/appeals`: the subject in the body, like the revocation (a URL is logged
/// by proxies; a body is not).
async fn appeal(
    State(state): State<AppState>,
    _admin: AdminAuth,
    ApiJson(req): ApiJson<AppealRequest>,
) -> Result<Json<RevocationResponse>, AppError> {
    let subject = subject_handle(&req.subject)?;
    let st = state.clone();
    let changed = blocking(move || {
        // No longer revoked, and the epoch moved to now: tickets signed before the appeal
        // stay refused (`ticket_superseded`); the authority signs a new one.
        greenlight_issuance::epoch::appeal(&st.inner.store, subject.as_str(), st.now_unix())
            .map_err(store_error)
    })
    .await?;
    if changed {
        state.inner.metrics.appeals.inc();
    }
    Ok(Json(RevocationResponse {
        subject_revoked: false,
        changed,
    }))
}

/// `POST /v1/admin/key-list`: a regional server loads a new root-signed list
/// ([`AppState::load_key_list`]); a refused list leaves the one served before, and the
/// answer says why (`bad_request` with the reason — public facts about public lists only).
async fn load_key_list(
    State(state): State<AppState>,
    _admin: AdminAuth,
    ApiJson(doc): ApiJson<KeyListDocument>,
) -> Result<Json<KeyListLoaded>, AppError> {
    let offered = crate::roles::key_list_from_document(&doc).map_err(|reason| {
        AppError::with_owned_message(ErrorCode::BadRequest, format!("invalid key list: {reason}"))
    })?;
    let st = state.clone();
    let loaded = blocking(move || {
        st.load_key_list(offered).map_err(|e| match e {
            ServerError::KeyListRefused(refusal) => {
                tracing::warn!(reason = %refusal, "a key list offered by the admin call was refused");
                AppError::with_owned_message(
                    ErrorCode::BadRequest,
                    format!("key list refused: {refusal}"),
                )
            }
            ServerError::Usage(message) => {
                AppError::with_owned_message(ErrorCode::BadRequest, message)
            }
            other => AppError::internal("loading a key list", &other),
        })
    })
    .await?;
    tracing::info!(
        sequence = loaded.sequence,
        changed = loaded.changed,
        cosignatures = loaded.cosignatures,
        cosignatures_changed = loaded.cosignatures_changed,
        issuing_key_id = %loaded.issuing_key_id,
        "key list loaded (admin call)"
    );
    Ok(Json(loaded))
}
