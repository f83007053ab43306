//! The real server on a loopback port (EphemeralServer) with an HTTP client: issuance over
//! the network, and a restart on the same data directory.

mod common;

use common::{challenge, issuer_key_from, register, unblind};
use greenlight_protocol::Status;
use greenlight_server::{EphemeralServer, KeysResponse, StartResponse, TicketRequest};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn keys(client: &reqwest::Client, url: &str) -> KeysResponse {
    client
        .get(format!("{url}/v1/keys"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Issuance over HTTP; the refusing status and code on failure.
async fn issue(
    client: &reqwest::Client,
    url: &str,
    ticket: &str,
    n: usize,
) -> Result<usize, (StatusCode, String)> {
    let pk = issuer_key_from(&keys(client, url).await);
    let (holder, registrations) = register(&pk, ticket, n);
    let reply = client
        .post(format!("{url}/v1/issuance/start"))
        .json(&json!({"ticket": ticket, "registrations": registrations}))
        .send()
        .await
        .unwrap();
    let status = reply.status();
    let body: Value = reply.json().await.unwrap();
    if status != StatusCode::OK {
        return Err((status, body["error"]["code"].as_str().unwrap().to_owned()));
    }
    let start: StartResponse = serde_json::from_value(body).unwrap();
    let (holder, challenges) = challenge(holder, &start);
    let reply = client
        .post(format!("{url}/v1/issuance/finish"))
        .json(&json!({"session": start.session, "challenges": challenges}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let body: Value = reply.json().await.unwrap();
    Ok(unblind(holder, &body).len())
}

#[tokio::test]
async fn ephemeral_server_issues_over_http() {
    let server = EphemeralServer::start().await.unwrap();
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{}/healthz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
    let ticket = server
        .sign_ticket(&TicketRequest::new("subject-http", Status::Green).tokens(4))
        .unwrap();
    assert!(ticket.starts_with("GLT1:"));
    assert_eq!(issue(&client, &server.url, &ticket, 4).await, Ok(4));
    assert_eq!(
        issue(&client, &server.url, &ticket, 1).await,
        Err((StatusCode::CONFLICT, "quota_exceeded".to_owned()))
    );
    // The admin token field is the one the server accepts.
    let reply = client
        .post(format!("{}/v1/admin/tickets", server.url))
        .bearer_auth(&server.admin_token)
        .json(&json!({"subject": "subject-http-2", "status": "green"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn restart_on_the_same_directory_keeps_keys_revocations_and_spent_quotas() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();

    let first = EphemeralServer::start_in(dir.path()).await.unwrap();
    let keys_before = keys(&client, &first.url).await;
    let admin_token = first.admin_token.clone();
    let ticket = first
        .sign_ticket(&TicketRequest::new("subject-restart", Status::Green).tokens(3))
        .unwrap();
    let revoked_ticket = first
        .sign_ticket(&TicketRequest::new("subject-revoked", Status::Green))
        .unwrap();
    assert_eq!(issue(&client, &first.url, &ticket, 2).await, Ok(2));
    let reply = client
        .post(format!("{}/v1/admin/revocations", first.url))
        .bearer_auth(&first.admin_token)
        .json(&json!({"subject": "subject-revoked"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    first.shutdown().await;

    let second = EphemeralServer::start_in(dir.path()).await.unwrap();
    assert!(second.state().created_files().is_empty());
    assert_eq!(second.admin_token, admin_token);
    // Byte-identical key list: same keys, same validity, same (deterministic) signature.
    assert_eq!(keys(&client, &second.url).await, keys_before);
    // Tickets signed before the restart still verify (same authority key)...
    assert_eq!(
        issue(&client, &second.url, &ticket, 2).await,
        Err((StatusCode::CONFLICT, "quota_exceeded".to_owned()))
    );
    // ...and only the unspent token remains.
    assert_eq!(issue(&client, &second.url, &ticket, 1).await, Ok(1));
    assert_eq!(
        issue(&client, &second.url, &revoked_ticket, 1).await,
        Err((StatusCode::FORBIDDEN, "subject_revoked".to_owned()))
    );
    second.shutdown().await;
}
