//! Two issuer nodes of one region on one PostgreSQL database (`serve --database-url`): a
//! batch started on one node is finished on the other, at most once; a ticket's quota holds
//! across both; a revocation made on one is refused on the other at once; and a database
//! that goes away gives 503, then service again without a restart. A throw-away cluster per
//! test (`cluster`, shared with the store's own tests), run as the `postgres` user.

#[path = "../../crates/greenlight-store-pg/tests/cluster/mod.rs"]
mod cluster;
mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use cluster::Cluster;
use common::*;
use greenlight_api::StartResponse;
use greenlight_protocol::Status;
use greenlight_server::{FakeClock, TicketRequest};
use serde_json::json;

/// Open sessions over all nodes, asked from a blocking thread (the store blocks).
async fn open_sessions(node: &TestServer) -> usize {
    let state = node.state.clone();
    tokio::task::spawn_blocking(move || state.open_sessions())
        .await
        .unwrap()
}

/// Two nodes sharing `url` and one set of keys (node 2 copies node 1's key files).
async fn two_nodes(url: &str) -> (TestServer, TestServer) {
    let clock = FakeClock::new(T0);
    let one = TestServer::on_postgres(url, None, clock.clone()).await;
    let two = TestServer::on_postgres(url, Some(one.dir.path()), clock).await;
    (one, two)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_started_on_one_node_is_finished_on_the_other_once() {
    let cluster = Cluster::start();
    let (one, two) = two_nodes(&cluster.database("across")).await;
    let ticket = one.ticket(TicketRequest::new("subject-across", Status::Green).tokens(3));
    let pk = two.issuer_key().await;
    assert_eq!(
        pk.key_id(),
        one.issuer_key().await.key_id(),
        "one region, one key"
    );

    let (holder, regs) = register(&pk, &ticket.text, 3);
    let start: StartResponse = one
        .start_ok(&ticket.text, &regs)
        .await
        .map_err(|r| r.json)
        .unwrap();
    // The ticket's session is open on every node: a second start anywhere is refused.
    let (_, regs2) = register(&pk, &ticket.text, 1);
    assert_eq!(two.start(&ticket.text, &regs2).await.code(), "ticket_busy");
    assert_eq!(open_sessions(&one).await, 1);
    assert_eq!(open_sessions(&two).await, 1, "the count is over both nodes");

    let (holder, challenges) = challenge(holder, &start, one.now());
    let answered = two.finish(&start.session, &challenges).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.json);
    let tokens = unblind(holder, &answered.json);
    assert_eq!(tokens.len(), 3);
    for t in &tokens {
        t.signature().verify_vartime(&pk).unwrap();
    }
    // Answered once: neither node has it any more.
    for node in [&one, &two] {
        let again = node.finish(&start.session, &challenges).await;
        assert_eq!(
            (again.status, again.code()),
            (StatusCode::NOT_FOUND, "unknown_session")
        );
    }
    assert_eq!(open_sessions(&one).await, 0);
    // The quota was spent across the nodes.
    let (_, regs) = register(&pk, &ticket.text, 1);
    let open = one.start(&ticket.text, &regs).await;
    assert_eq!(
        open.status,
        StatusCode::CONFLICT,
        "quota used up: {}",
        open.json
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_redeems_on_both_nodes_never_exceed_the_quota() {
    let cluster = Cluster::start();
    let (one, two) = two_nodes(&cluster.database("quota")).await;
    let nodes = Arc::new([one, two]);
    let ticket = nodes[0].ticket(TicketRequest::new("subject-quota", Status::Green).tokens(5));
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (nodes, text) = (nodes.clone(), ticket.text.clone());
        tasks.push(tokio::spawn(async move {
            let node = &nodes[i % 2];
            // Each redeem asks for 1 or 2 tokens until the ticket is used up, waiting while
            // another holds the ticket's session (as a wallet's Backoff does).
            let mut got = 0usize;
            loop {
                match node.issue(&text, 1 + i % 2).await {
                    Ok(tokens) => got += tokens.len(),
                    Err(r) if r.code() == "ticket_busy" => {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await
                    }
                    Err(r) if r.code() == "quota_exceeded" => {
                        let left = r.json["error"]["remaining"].as_u64().unwrap();
                        if left == 0 || (left as usize) < 1 + i % 2 {
                            return got;
                        }
                    }
                    Err(r) => panic!("unexpected refusal {}", r.json),
                }
            }
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert!(total <= 5, "{total} tokens from a 5-token ticket");
    let state = nodes[1].state.clone();
    let left =
        tokio::task::spawn_blocking(move || state.store().remaining_tokens(ticket.ticket_id))
            .await
            .unwrap()
            .unwrap()
            .unwrap();
    assert_eq!(total + usize::from(left), 5, "nothing lost either");
    assert!(left <= 1, "{left} left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_on_one_node_is_refused_on_the_other_at_once() {
    let cluster = Cluster::start();
    let (one, two) = two_nodes(&cluster.database("revocation")).await;
    let ticket = two.ticket(TicketRequest::new("subject-revoked", Status::Green).tokens(2));
    let revoked = one
        .admin(
            Method::POST,
            greenlight_api::paths::ADMIN_REVOCATIONS,
            Some(json!({ "subject": "subject-revoked" })),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.json);
    let refused = two.issue(&ticket.text, 2).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "subject_revoked")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_answers_503_and_service_resumes_without_a_restart() {
    let cluster = Cluster::start();
    let (one, _two) = two_nodes(&cluster.database("outage")).await;
    let ticket = one.ticket(TicketRequest::new("subject-outage", Status::Green).tokens(4));
    assert_eq!(
        one.issue(&ticket.text, 2)
            .await
            .map_err(|r| r.json)
            .unwrap()
            .len(),
        2
    );

    cluster.stop();
    let started = std::time::Instant::now();
    let refused = one.issue(&ticket.text, 2).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "overloaded"),
        "{}",
        refused.json
    );
    assert!(refused.headers.contains_key("retry-after"));
    // Bounded by the pool's wait (5 s) and the request timeout, never a hang.
    assert!(started.elapsed() < std::time::Duration::from_secs(15));

    cluster.resume();
    // The pool reconnects by itself; the first call may still meet a dead connection.
    let mut answer = one.issue(&ticket.text, 2).await;
    for _ in 0..20 {
        match &answer {
            Err(r) if r.status == StatusCode::SERVICE_UNAVAILABLE => {
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                answer = one.issue(&ticket.text, 2).await;
            }
            _ => break,
        }
    }
    assert_eq!(
        answer.map_err(|r| r.json).unwrap().len(),
        2,
        "the rest of the quota"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_revoked_in_the_database_stops_every_node() {
    let cluster = Cluster::start();
    let url = cluster.database("keys");
    let (one, two) = two_nodes(&url).await;
    let ticket = two.ticket(TicketRequest::new("subject-key", Status::Green).tokens(2));
    // Before: node 2 issues.
    assert_eq!(
        two.issue(&ticket.text, 1)
            .await
            .map_err(|r| r.json)
            .unwrap()
            .len(),
        1
    );
    // `revoke-key --database-url` on node 1's directory (the command runs its own runtime:
    // not from inside this test's).
    let (dir, db) = (one.dir.path().to_owned(), url.clone());
    std::thread::spawn(move || greenlight_server::revoke_issuing_key(&dir, Some(&db), T0))
        .join()
        .unwrap()
        .unwrap();
    // Node 2's own files know nothing of it; its next start reads the database and refuses.
    let restarted = TestServer::on_postgres(&url, Some(two.dir.path()), FakeClock::new(T0)).await;
    let refused = restarted.issue(&ticket.text, 1).await.unwrap_err();
    assert_eq!(refused.code(), "key_not_issuing", "{}", refused.json);
}
