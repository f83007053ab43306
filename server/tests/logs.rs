//! No personal data in log output: capture every event (trace level, all targets but the
//! storage engine's trace noise — see `log_filter` —, all threads) during a full issuance, refusals, a revocation and an appeal, then look for the
//! subject handle, the ticket id and the other per-person values.
//!
//! This file holds a single test because it installs the process-wide subscriber (needed to
//! see events from `spawn_blocking` threads).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use common::*;
use greenlight_api::StartResponse;
use greenlight_protocol::Status;
use greenlight_server::TicketRequest;
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_personal_data_in_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    // Everything at trace, through the filter the binary uses (which caps only the storage
    // engine, whose trace output prints its keys).
    tracing_subscriber::fmt()
        .with_env_filter(greenlight_server::log_filter(Some("trace")))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    const SUBJECT: &str = "subject-5f1c9e2a-unique";
    const SUBJECT_APPEALED: &str = "appeal-7d3b8c41-unique";
    let server = TestServer::new();

    // A ticket through the admin route (subject in a JSON body).
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/tickets",
            Some(json!({"subject": SUBJECT, "status": "green", "travel": "CN", "tokens": 4})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let ticket = reply.json["ticket"].as_str().unwrap().to_owned();
    let ticket_id = reply.json["ticket_id"].as_str().unwrap().to_owned();

    // Full issuance, keeping the session id to look for it too.
    let pk = server.issuer_key().await;
    let (holder, regs) = register(&pk, &ticket, 2);
    let reply = server.start(&ticket, &regs).await;
    assert_eq!(reply.status, StatusCode::OK);
    let start: StartResponse = serde_json::from_value(reply.json).unwrap();
    let (holder, challenges) = challenge(holder, &start, server.now());
    let reply = server.finish(&start.session, &challenges).await;
    assert_eq!(reply.status, StatusCode::OK);
    let tokens = unblind(holder, &reply.json);
    // Answered once: the retry is refused.
    assert_eq!(
        server.finish(&start.session, &challenges).await.code(),
        "unknown_session"
    );

    // Revoke, refuse, appeal, issue again (subjects in bodies); and a failed admin call.
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/revocations",
            Some(json!({"subject": SUBJECT})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        server.issue(&ticket, 1).await.unwrap_err().code(),
        "subject_revoked"
    );
    let appeal = "/v1/admin/appeals";
    assert_eq!(
        server
            .admin(Method::POST, appeal, Some(json!({"subject": SUBJECT})))
            .await
            .status,
        StatusCode::OK
    );
    assert!(server.issue(&ticket, 1).await.is_ok());
    let other = json!({"subject": SUBJECT_APPEALED});
    assert_eq!(
        server
            .call(Method::POST, appeal, Some(other.clone()), Some("wrong"))
            .await
            .code(),
        "unauthorized"
    );
    assert_eq!(
        server.admin(Method::POST, appeal, Some(other)).await.status,
        StatusCode::OK
    );
    // Over quota, and a ticket for a subject with a bad registration.
    assert_eq!(
        server.issue(&ticket, 2).await.unwrap_err().code(),
        "quota_exceeded"
    );
    // A CLI-style ticket with travel, through the state.
    let direct = server.ticket(TicketRequest::new(SUBJECT, Status::Red).travel("HK"));
    assert!(server.issue(&direct.text, 1).await.is_ok());

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture works and saw the requests (so the checks below are not vacuous).
    assert!(logs.contains("/v1/issuance/start"), "{logs}");
    assert!(logs.contains("/v1/admin/appeals"), "{logs}");
    assert!(logs.contains("quota_exceeded"), "{logs}");

    let token_id = hex::encode(tokens[0].id());
    let direct_id = hex::encode(direct.ticket_id);
    let forbidden = [
        SUBJECT,
        SUBJECT_APPEALED,
        "5f1c9e2a",
        "7d3b8c41",
        ticket_id.as_str(),
        &ticket_id.to_uppercase(),
        direct_id.as_str(),
        &ticket[5..40],
        start.session.as_str(),
        token_id.as_str(),
        server.state.admin_token(),
    ];
    for needle in forbidden {
        assert!(
            !logs.contains(needle),
            "log output contains {needle:?}:\n{logs}"
        );
    }
    // Ticket ids as a Rust byte array (a stray `{:?}`) would not show as hex.
    let bytes = hex::decode(&ticket_id).unwrap();
    let debug_form = format!("{bytes:?}");
    let needle = &debug_form[1..debug_form.len() - 1];
    let hits: Vec<&str> = logs.lines().filter(|l| l.contains(needle)).collect();
    assert!(hits.is_empty(), "{hits:#?}");
}
