//! The real server on a loopback port (EphemeralServer) with an HTTP client: issuance over
//! the network, and a restart on the same data directory.

mod common;

use common::{challenge, issuer_key_from, register, try_issuer_key_from, unblind};
use greenlight_acl::IssuerPublicKey;
use greenlight_api::{KeysResponse, StartResponse};
use greenlight_protocol::Status;
use greenlight_server::{EphemeralServer, TicketRequest};
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

/// The real clock (the ephemeral server's).
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Issuance over HTTP with the issuing key a wallet accepts now; the refusing status and code
/// on failure.
async fn issue(
    client: &reqwest::Client,
    url: &str,
    ticket: &str,
    n: usize,
) -> Result<usize, (StatusCode, String)> {
    let pk = issuer_key_from(&keys(client, url).await, now());
    issue_with(client, url, &pk, ticket, n).await
}

/// [`issue`] under `pk`, whatever the wallet's key rule says of it.
async fn issue_with(
    client: &reqwest::Client,
    url: &str,
    pk: &IssuerPublicKey,
    ticket: &str,
    n: usize,
) -> Result<usize, (StatusCode, String)> {
    let (holder, registrations) = register(pk, ticket, n);
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
    let (holder, challenges) = challenge(holder, &start, now());
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

/// Key compromise: `revoke-key` (offline) publishes the key as revoked in a newer, valid
/// successor list, and the server stops issuing under it.
#[tokio::test]
async fn a_revoked_issuing_key_is_published_and_no_longer_issues() {
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let server = EphemeralServer::start_in(dir.path()).await.unwrap();
    let before = keys(&client, &server.url).await;
    let ticket = server
        .sign_ticket(&TicketRequest::new("subject-key", Status::Green).tokens(4))
        .unwrap();
    assert_eq!(issue(&client, &server.url, &ticket, 1).await, Ok(1));
    server.shutdown().await;

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let info = greenlight_server::revoke_issuing_key(dir.path(), None, now).unwrap();
    assert_eq!(info.key_list_sequence, 2);
    // Idempotent: a second run changes nothing.
    assert_eq!(
        greenlight_server::revoke_issuing_key(dir.path(), None, now + 5).unwrap(),
        info
    );

    let server = EphemeralServer::start_in(dir.path()).await.unwrap();
    let after = keys(&client, &server.url).await;
    assert_eq!(after.root_public_key, before.root_public_key);
    let root = greenlight_protocol::verifying_key_from_bytes(
        &hex::decode(&after.root_public_key)
            .unwrap()
            .try_into()
            .unwrap(),
    )
    .unwrap();
    let old = greenlight_protocol::KeyList::from_text(&before.key_list).unwrap();
    let new = greenlight_protocol::KeyList::from_text(&after.key_list).unwrap();
    let body = new.verify(&root).unwrap();
    assert_eq!(body.sequence(), 2);
    let key_id: [u8; 8] = hex::decode(&after.issuing_key_id)
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(
        body.accepts(&key_id, now).err(),
        Some(greenlight_protocol::KeyRejection::Revoked)
    );
    // Clients holding the old list accept the new one (a key may become revoked).
    old.check_successor(&new).unwrap();
    // A wallet refuses the revoked key before sending anything…
    assert!(matches!(
        try_issuer_key_from(&after, now),
        Err(greenlight_wallet::WalletError::IssuingKey {
            reason: greenlight_protocol::KeyRejection::Revoked,
            ..
        })
    ));
    // …and the server issues nothing more under it to a client that does not check.
    let old_key = issuer_key_from(&before, now);
    assert_eq!(
        issue_with(&client, &server.url, &old_key, &ticket, 1).await,
        Err((
            StatusCode::SERVICE_UNAVAILABLE,
            "key_not_issuing".to_owned()
        ))
    );
    server.shutdown().await;
}
