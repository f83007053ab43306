//! Load shedding and the per-request timeout, with a request whose body never arrives.

mod common;

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use tokio::sync::mpsc;
use tower::ServiceExt;

/// A start request whose body arrives only as `tx` sends it (and ends when `tx` is dropped).
fn stalled_request() -> (mpsc::Sender<Bytes>, Request<Body>) {
    let (tx, rx) = mpsc::channel::<Bytes>(1);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    let req = Request::builder()
        .method(Method::POST)
        .uri("/v1/issuance/start")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .unwrap();
    (tx, req)
}

#[tokio::test]
async fn over_the_concurrency_limit_requests_are_shed_with_503() {
    let server = TestServer::with(|c| c.max_concurrency = 1);
    let (tx, stalled) = stalled_request();
    tx.send(Bytes::from_static(b"{\"ticket\":")).await.unwrap();
    let first = tokio::spawn(server.router.clone().oneshot(stalled));

    // Once the stalled request holds the only permit, others are refused at once.
    let mut shed = None;
    for _ in 0..500 {
        let reply = server.get("/v1/keys").await;
        if reply.status == StatusCode::SERVICE_UNAVAILABLE {
            shed = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let shed = shed.expect("a request was shed while the limit was held");
    assert_eq!(shed.code(), "overloaded");
    assert_eq!(shed.headers[header::RETRY_AFTER], "1");
    // Health and metrics stay outside the limit.
    assert_eq!(server.get("/healthz").await.status, StatusCode::OK);
    // So does `finish`: its quota is already spent, shedding it would burn tokens. A bad
    // finish is answered (400), not shed (503).
    let finish = server
        .post(
            "/v1/issuance/finish",
            serde_json::json!({"session": "00000000000000000000000000000000", "challenges": "AQU"}),
        )
        .await;
    assert_eq!(
        finish.status,
        StatusCode::BAD_REQUEST,
        "finish must not be shed"
    );
    assert_eq!(finish.code(), "bad_request");
    let metrics = String::from_utf8(server.metrics().await.body).unwrap();
    assert!(metrics.contains("greenlight_rejections_total{code=\"overloaded\"}"));

    // The stalled request completes (a truncated JSON body) and frees the permit.
    drop(tx);
    let response = first.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(server.get("/v1/keys").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_request_over_the_time_limit_gets_503_timeout() {
    let server = TestServer::with(|c| c.request_timeout = Duration::from_millis(200));
    let (tx, stalled) = stalled_request();
    let reply = server.send(stalled).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "timeout")
    );
    drop(tx);
    // The service is fine afterwards.
    assert_eq!(server.get("/v1/keys").await.status, StatusCode::OK);
}
