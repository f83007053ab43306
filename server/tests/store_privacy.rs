//! Issue 9, finding 4: the revocation store forgets for real. Subjects and tickets are named
//! by digests keyed with `store.key`; what is swept or lifted on appeal leaves the disk at the
//! next compaction (at start, and at a sweep that removed something); a store written before
//! keyed digests is re-keyed when first opened; and a store never opens with the wrong key.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::*;
use greenlight_protocol::Status;
use greenlight_revocation::{legacy_subject_digest, DigestKey};
use greenlight_server::{AppState, ServerConfig, ServerError, TicketRequest};
use serde_json::json;

const APPEALED: &str = "resident-appealed-4e0c";
const REVOKED: &str = "resident-revoked-91d7";
const REDEEMED: &str = "resident-redeemed-2a6b";

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Files under `dir` whose bytes contain `needle` (grep -rl).
fn grep(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|f| {
            std::fs::read(f)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle)
        })
        .collect()
}

fn store_key(data: &Path) -> DigestKey {
    let text = std::fs::read_to_string(data.join("store.key")).unwrap();
    let bytes: [u8; 32] = hex::decode(text.trim()).unwrap().try_into().unwrap();
    DigestKey::from_bytes(&bytes)
}

#[tokio::test]
async fn revoke_appeal_sweep_and_restart_leave_no_forgotten_data_in_the_data_directory() {
    let server = TestServer::new();
    let data = server.dir.path().to_path_buf();
    for subject in [APPEALED, REVOKED] {
        let reply = server
            .admin(
                Method::POST,
                "/v1/admin/revocations",
                Some(json!({ "subject": subject })),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    server.clock.advance(Duration::from_secs(60));
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/appeals",
            Some(json!({ "subject": APPEALED })),
        )
        .await;
    assert_eq!(reply.json["changed"], true);
    let ticket = server.ticket(
        TicketRequest::new(REDEEMED, Status::Green)
            .tokens(2)
            .valid_for(Duration::from_secs(3600)),
    );
    assert!(server.issue(&ticket.text, 1).await.is_ok());
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        Some(1)
    );

    // Three weeks on, the hourly sweep forgets the expired ticket's quota and the epochs of
    // the appealed and the redeeming subject, and compacts.
    server.clock.advance(Duration::from_secs(21 * 86_400));
    let swept = server.state.sweep_store().unwrap();
    assert_eq!((swept.tickets, swept.subjects), (1, 2));
    assert!(!server.state.store().sled().unwrap().needs_compaction());

    // Restart (which compacts again).
    drop(server.router);
    drop(server.state);
    let state = AppState::open(&ServerConfig::new(&data)).unwrap();
    assert!(state.store().is_revoked(REVOKED).unwrap());
    assert!(!state.store().is_revoked(APPEALED).unwrap());
    assert_eq!(
        state.store().remaining_tokens(ticket.ticket_id).unwrap(),
        None
    );
    drop(state);

    let key = store_key(&data);
    for (what, needle) in [
        ("the appealed handle", APPEALED.as_bytes().to_vec()),
        ("the revoked handle", REVOKED.as_bytes().to_vec()),
        ("the redeeming handle", REDEEMED.as_bytes().to_vec()),
        (
            "the appealed handle's unkeyed SHA-512 digest",
            legacy_subject_digest(APPEALED).to_vec(),
        ),
        (
            "the revoked handle's unkeyed SHA-512 digest",
            legacy_subject_digest(REVOKED).to_vec(),
        ),
        (
            "the redeeming handle's unkeyed SHA-512 digest",
            legacy_subject_digest(REDEEMED).to_vec(),
        ),
        ("the swept ticket id", ticket.ticket_id.to_vec()),
        (
            "the swept ticket's keyed digest",
            key.ticket(&ticket.ticket_id).as_bytes().to_vec(),
        ),
        (
            "the appealed subject's keyed digest",
            key.subject(APPEALED).as_bytes().to_vec(),
        ),
        (
            "the redeeming subject's keyed digest",
            key.subject(REDEEMED).as_bytes().to_vec(),
        ),
    ] {
        assert_eq!(grep(&data, &needle), Vec::<PathBuf>::new(), "{what}");
    }
    // What is kept is found: the still-revoked subject's keyed digest, in the store only.
    let found = grep(&data, key.subject(REVOKED).as_bytes());
    assert!(!found.is_empty());
    assert!(found
        .iter()
        .all(|f| f.starts_with(data.join("revocation.sled"))));
}

#[tokio::test]
async fn a_store_from_before_keyed_digests_is_rekeyed_at_start() {
    let data_dir = tempfile::tempdir().unwrap();
    let data = data_dir.path();
    drop(AppState::open(&ServerConfig::new(data)).unwrap());
    // An older server's data directory: no store.key, a schema-1 store.
    let store = data.join("revocation.sled");
    std::fs::remove_dir_all(&store).unwrap();
    std::fs::remove_file(data.join("store.key")).unwrap();
    let legacy = legacy_subject_digest("resident-revoked-long-ago");
    let ticket_id = [0x6d; 16];
    {
        let db = sled::open(&store).unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert("schema", &[1u8])
            .unwrap();
        db.open_tree("revoked-subjects")
            .unwrap()
            .insert(legacy, &[])
            .unwrap();
        let mut record = vec![1u8, 0, 3];
        record.extend_from_slice(&(T0 + 3600).to_be_bytes());
        db.open_tree("ticket-quotas")
            .unwrap()
            .insert(ticket_id, record)
            .unwrap();
        db.flush().unwrap();
    }

    let state = AppState::open(&ServerConfig::new(data)).unwrap();
    assert!(
        state.created_files().contains(&data.join("store.key")),
        "a key is created for the old store"
    );
    assert!(state
        .store()
        .is_revoked("resident-revoked-long-ago")
        .unwrap());
    assert_eq!(state.store().remaining_tokens(ticket_id).unwrap(), Some(3));
    drop(state);
    assert_eq!(grep(data, &legacy), Vec::<PathBuf>::new());
    assert_eq!(grep(data, &ticket_id), Vec::<PathBuf>::new());

    // The store is now bound to that key: losing it is an error at start, never a silent
    // loss of every revocation.
    std::fs::remove_file(data.join("store.key")).unwrap();
    let err = AppState::open(&ServerConfig::new(data)).err().unwrap();
    assert!(matches!(err, ServerError::WrongStoreKey { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("store.key"), "{message}");
    assert!(message.contains("restore"), "{message}");
}

#[tokio::test]
async fn an_interrupted_compaction_is_recovered_at_start() {
    // The state a crash between the copy and the swap leaves: a complete copy next to the
    // store. The next start keeps the store (it has every write) and drops the copy.
    let server = TestServer::new();
    let data = server.dir.path().to_path_buf();
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/revocations",
            Some(json!({ "subject": REVOKED })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    server
        .state
        .store()
        .sled()
        .unwrap()
        .compact_interrupted(greenlight_revocation::CrashPoint::BeforeSwap)
        .unwrap_err();
    drop(server.router);
    drop(server.state);
    assert!(data.join("revocation.sled.compacted").is_dir());

    let state = AppState::open(&ServerConfig::new(&data)).unwrap();
    assert!(state.store().is_revoked(REVOKED).unwrap());
    assert!(!data.join("revocation.sled.compacted").exists());
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(data.join("revocation.sled"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode, 0o700, "the compacted store is private too");
}
