//! Cross-origin access (`docs/api.md`, "Cross-origin"): a wallet served from another origin
//! redeems — the two issuance routes answer preflights and carry
//! `Access-Control-Allow-Origin: *` on every answer, refusals included — and no other route
//! was widened: the admin routes, the counters and the unknown paths stay same-origin.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use greenlight_api::{paths, FinishRequest, StartRequest, StartResponse};
use greenlight_protocol::Status;
use greenlight_server::TicketRequest;
use serde_json::json;

const ORIGIN: &str = "https://wallet.example";

fn preflight(path: &str, method: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri(path)
        .header(header::ORIGIN, ORIGIN)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, method)
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap()
}

fn cross_origin(method: Method, path: &str, body: Option<serde_json::Value>) -> Request<Body> {
    let mut req = request(method, path, body, None, None);
    req.headers_mut()
        .insert(header::ORIGIN, ORIGIN.parse().unwrap());
    req
}

fn allow_origin(reply: &Reply) -> Option<&str> {
    reply
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn a_wallet_on_another_origin_can_redeem() {
    let server = TestServer::new();
    for path in [paths::ISSUANCE_START, paths::ISSUANCE_FINISH] {
        let reply = server.send(preflight(path, "POST")).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{path}");
        assert_eq!(allow_origin(&reply), Some("*"), "{path}");
        let h = &reply.headers;
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_METHODS], "POST", "{path}");
        assert_eq!(
            h[header::ACCESS_CONTROL_ALLOW_HEADERS],
            "content-type",
            "{path}"
        );
        assert!(h.contains_key(header::ACCESS_CONTROL_MAX_AGE), "{path}");
        // `*` never comes with credentials: browsers send no cookie to these routes.
        assert!(
            !h.contains_key(header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
            "{path}"
        );
    }

    // A whole redeem, every request with the wallet's Origin.
    let ticket = server.ticket(TicketRequest::new("subject-cors", Status::Green).tokens(2));
    let pk = server.issuer_key().await;
    let (holder, regs) = register(&pk, &ticket.text, 2);
    let start = server
        .send(cross_origin(
            Method::POST,
            paths::ISSUANCE_START,
            Some(json!(StartRequest {
                ticket: ticket.text.clone(),
                registrations: regs,
            })),
        ))
        .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.json);
    assert_eq!(allow_origin(&start), Some("*"));
    // The wait rule reads Retry-After; a cross-origin page sees it only when exposed.
    assert_eq!(
        start.headers[header::ACCESS_CONTROL_EXPOSE_HEADERS],
        "retry-after"
    );
    let started: StartResponse = serde_json::from_value(start.json).unwrap();
    let (holder, challenges) = challenge(holder, &started, server.now());
    let finish = server
        .send(cross_origin(
            Method::POST,
            paths::ISSUANCE_FINISH,
            Some(json!(FinishRequest {
                session: started.session.clone(),
                challenges,
            })),
        ))
        .await;
    assert_eq!(finish.status, StatusCode::OK, "{}", finish.json);
    assert_eq!(allow_origin(&finish), Some("*"));
    assert_eq!(unblind(holder, &finish.json).len(), 2);

    // Refusals are readable too: the wallet must show the catalogue's text for the code.
    let (_, regs) = register(&pk, &ticket.text, 1);
    let refused = server
        .send(cross_origin(
            Method::POST,
            paths::ISSUANCE_START,
            Some(json!(StartRequest {
                ticket: ticket.text.clone(),
                registrations: regs,
            })),
        ))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "quota_exceeded")
    );
    assert_eq!(allow_origin(&refused), Some("*"));
}

#[tokio::test]
async fn no_other_route_is_answered_cross_origin() {
    let server = TestServer::new();
    let routes = [
        (Method::POST, paths::ADMIN_TICKETS),
        (Method::POST, paths::ADMIN_REVOCATIONS),
        (Method::POST, paths::ADMIN_APPEALS),
        (Method::POST, paths::ADMIN_KEY_LIST),
        (Method::GET, paths::METRICS),
        (Method::GET, paths::ISSUED_TOTALS),
        (Method::GET, paths::HEALTHZ),
        (Method::POST, "/v1/issuance/start/"),
        (Method::POST, "/v1/issuance"),
        (Method::POST, "/v1/nope"),
    ];
    for (method, path) in routes {
        let pre = server.send(preflight(path, method.as_str())).await;
        assert!(
            !pre.status.is_success(),
            "{method} {path}: preflight {}",
            pre.status
        );
        assert_eq!(allow_origin(&pre), None, "{method} {path}: preflight");
        let body = (method == Method::POST).then(|| json!({}));
        let plain = server.send(cross_origin(method.clone(), path, body)).await;
        assert_eq!(allow_origin(&plain), None, "{method} {path}");
    }
    // The issuance routes allow POST only: a preflight for anything else is not approved.
    let put = server.send(preflight(paths::ISSUANCE_START, "PUT")).await;
    assert_eq!(put.headers[header::ACCESS_CONTROL_ALLOW_METHODS], "POST");

    // The key list: as before (any origin may read it, `Date` exposed for the wallet's clock
    // check), and no preflight is answered: a plain GET needs none.
    let keys = server
        .send(cross_origin(Method::GET, paths::KEYS, None))
        .await;
    assert_eq!(allow_origin(&keys), Some("*"));
    assert_eq!(keys.headers[header::ACCESS_CONTROL_EXPOSE_HEADERS], "date");
    let pre = server.send(preflight(paths::KEYS, "GET")).await;
    assert_eq!(allow_origin(&pre), None);
}
