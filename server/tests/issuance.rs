//! Issuance through `app()` with `oneshot`: the round trip and every refusal.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::*;
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::SigningKey;
use greenlight_acl::{Attributes, IssuerKeyPair};
use greenlight_api::{b64_decode, b64_encode, KeysResponse, StartResponse};
use greenlight_protocol::{Status, TicketBody, TravelHistory};
use greenlight_server::{sign_ticket, RateLimit, TicketRequest};
use rand::rngs::OsRng;
use serde_json::json;

#[tokio::test]
async fn round_trip_issues_tokens_that_verify_with_the_certified_attributes() {
    let server = TestServer::new();
    let ticket = server.ticket(
        TicketRequest::new("subject-round-trip", Status::Green)
            .travel("HK,CN")
            .tokens(5),
    );
    let pk = server.issuer_key().await;

    let tokens = server
        .issue(&ticket.text, 3)
        .await
        .map_err(|r| r.json)
        .unwrap();
    assert_eq!(tokens.len(), 3);
    let travel = greenlight_server::parse_travel("CN,HK").unwrap();
    for token in &tokens {
        token.signature().verify_vartime(&pk).unwrap();
        assert_eq!(token.key_id(), pk.key_id());
        assert_eq!(token.attributes().status, Status::Green.as_u8());
        // Hour-aligned issuance time from the server's (fake) clock.
        assert_eq!(u64::from(token.attributes().time_hours), T0 / 3600);
        assert_eq!(
            token.attributes().subject,
            Attributes::subject_scalar("subject-round-trip")
        );
        assert_eq!(
            token.attributes().travel,
            Scalar::from_canonical_bytes(travel.encode_scalar_bytes()).unwrap()
        );
    }
    let mut ids: Vec<_> = tokens.iter().map(|t| t.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "token ids are distinct");
    assert_eq!(server.state.open_sessions(), 0, "finish closes the session");

    // The rest of the quota, then nothing.
    assert_eq!(
        server
            .issue(&ticket.text, 2)
            .await
            .map_err(|r| r.json)
            .unwrap()
            .len(),
        2
    );
    let refused = server.issue(&ticket.text, 1).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "quota_exceeded")
    );
    // The body says how many are left, so a wallet can ask for exactly those.
    assert_eq!(refused.json["error"]["remaining"], 0);
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        Some(0)
    );
}

#[tokio::test]
async fn yellow_status_is_certified_as_yellow() {
    let server = TestServer::new();
    let ticket = server.ticket(TicketRequest::new("subject-yellow", Status::Yellow).tokens(1));
    let tokens = server
        .issue(&ticket.text, 1)
        .await
        .map_err(|r| r.json)
        .unwrap();
    assert_eq!(tokens[0].attributes().status, Status::Yellow.as_u8());
}

#[tokio::test]
async fn forged_or_garbled_tickets_are_invalid() {
    let server = TestServer::new();
    let pk = server.issuer_key().await;
    // Signed by some other authority.
    let stranger = SigningKey::from_bytes(&[42u8; 32]);
    let forged = sign_ticket(
        &stranger,
        &TicketRequest::new("subject-forged", Status::Green),
        T0,
    )
    .unwrap();
    // A genuine ticket with one character changed (the base45 still decodes to a ticket
    // whose signature no longer matches, or does not decode at all).
    let genuine = server.ticket(TicketRequest::new("subject-genuine", Status::Green));
    let mut tampered = genuine.text.clone().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();

    for text in [
        forged.text.as_str(),
        tampered.as_str(),
        "GLT1:NOT A TICKET",
        "hello",
    ] {
        let (_, regs) = register(&pk, &genuine.text, 1);
        let reply = server.start(text, &regs).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::BAD_REQUEST, "invalid_ticket"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn ticket_validity_window_is_enforced_on_the_server_clock() {
    let server = TestServer::new();
    let pk = server.issuer_key().await;

    let later =
        server.ticket(TicketRequest::new("subject-later", Status::Green).not_before(T0 + 3600));
    let (_, regs) = register(&pk, &later.text, 1);
    let reply = server.start(&later.text, &regs).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::FORBIDDEN, "ticket_not_yet_valid")
    );

    let short = server.ticket(
        TicketRequest::new("subject-short", Status::Green).valid_for(Duration::from_secs(1800)),
    );
    server.clock.advance(Duration::from_secs(3600));
    let (_, regs) = register(&pk, &short.text, 1);
    let reply = server.start(&short.text, &regs).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::GONE, "ticket_expired")
    );

    // An hour on, the first ticket has become valid.
    let tokens = server
        .issue(&later.text, 1)
        .await
        .map_err(|r| r.json)
        .unwrap();
    assert_eq!(
        u64::from(tokens[0].attributes().time_hours),
        (T0 + 3600) / 3600
    );
}

#[tokio::test]
async fn a_batch_larger_than_the_ticket_is_refused_without_spending_it() {
    let server = TestServer::new();
    let ticket = server.ticket(TicketRequest::new("subject-quota", Status::Green).tokens(2));
    let refused = server.issue(&ticket.text, 3).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "quota_exceeded")
    );
    // Refused before the store was asked: no count in the body.
    assert!(refused.json["error"].get("remaining").is_none());
    assert_eq!(
        server
            .issue(&ticket.text, 2)
            .await
            .map_err(|r| r.json)
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn revoked_subjects_are_refused_until_appeal() {
    let server = TestServer::new();
    let ticket = server.ticket(TicketRequest::new("subject/with spaces", Status::Green));

    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/revocations",
            Some(json!({"subject": "subject/with spaces"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json,
        json!({"subject_revoked": true, "changed": true})
    );
    let again = server
        .admin(
            Method::POST,
            "/v1/admin/revocations",
            Some(json!({"subject": "subject/with spaces"})),
        )
        .await;
    assert_eq!(
        again.json,
        json!({"subject_revoked": true, "changed": false})
    );

    let refused = server.issue(&ticket.text, 1).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "subject_revoked")
    );
    // Another subject is unaffected.
    let other = server.ticket(TicketRequest::new("subject-other", Status::Green));
    assert!(server.issue(&other.text, 1).await.is_ok());

    // Appeal, a minute later: the handle travels in the body, as in the revocation.
    server.clock.advance(Duration::from_secs(60));
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/appeals",
            Some(json!({"subject": "subject/with spaces"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(
        reply.json,
        json!({"subject_revoked": false, "changed": true})
    );
    // The appeal revives no ticket signed before it (issue 9): the authority signs a new one.
    let refused = server.issue(&ticket.text, 1).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "ticket_superseded")
    );
    let renewed = server.ticket(TicketRequest::new("subject/with spaces", Status::Green));
    let tokens = server
        .issue(&renewed.text, 1)
        .await
        .map_err(|r| r.json)
        .unwrap();
    assert_eq!(tokens.len(), 1);
    // Refusing the revoked and superseded attempts spent nothing.
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn registrations_for_another_key_or_with_bad_proofs_are_refused_and_spend_nothing() {
    // Many attempts on one ticket: the per-ticket rate limit is not what is tested here.
    let server = TestServer::with(|c| c.ticket_rate = None);
    let ticket = server.ticket(TicketRequest::new("subject-registration", Status::Green));

    let other_key = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let (_, regs) = register(other_key.public(), &ticket.text, 2);
    let reply = server.start(&ticket.text, &regs).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::BAD_REQUEST, "bad_registration")
    );

    // Right key, but a proof response changed (still a canonical scalar: last byte kept low).
    let pk = server.issuer_key().await;
    let (_, regs) = register(&pk, &ticket.text, 2);
    let mut bytes = b64_decode(&regs).unwrap();
    // Layout: 01 03 | key_id(8) | n(2) | [C_u(32) c(32) s_R(32) s_k(32)]...: flip s_R's low byte.
    bytes[12 + 64] ^= 1;
    let reply = server.start(&ticket.text, &b64_encode(&bytes)).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::BAD_REQUEST, "bad_registration")
    );

    // Proofs bound to another ticket id do not verify for this ticket.
    let other_ticket = server.ticket(TicketRequest::new("subject-registration", Status::Green));
    let (_, regs) = register(&pk, &other_ticket.text, 1);
    let reply = server.start(&ticket.text, &regs).await;
    assert_eq!(reply.code(), "bad_registration");

    // Garbage is a bad request.
    let reply = server.start(&ticket.text, "not base64!").await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let reply = server
        .start(&ticket.text, &b64_encode(b"\x01\x03short"))
        .await;
    assert_eq!(reply.code(), "bad_request");

    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        None,
        "no refused attempt reserved anything"
    );
    assert!(server.issue(&ticket.text, 10).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_finishes_of_one_session_get_exactly_one_answer() {
    let server = TestServer::new();
    let ticket = server.ticket(TicketRequest::new("subject-race", Status::Green).tokens(4));
    let pk = server.issuer_key().await;
    let (holder, regs) = register(&pk, &ticket.text, 4);
    let reply = server.start(&ticket.text, &regs).await;
    assert_eq!(reply.status, StatusCode::OK);
    let start: StartResponse = serde_json::from_value(reply.json).unwrap();
    let (holder, challenges) = challenge(holder, &start, server.now());

    let server = std::sync::Arc::new(server);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(24));
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let (server, barrier) = (server.clone(), barrier.clone());
        let (session, challenges) = (start.session.clone(), challenges.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            server.finish(&session, &challenges).await
        }));
    }
    let mut answered = Vec::new();
    let mut unknown = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            StatusCode::OK => answered.push(reply.json),
            StatusCode::NOT_FOUND => {
                assert_eq!(reply.code(), "unknown_session");
                unknown += 1;
            }
            other => panic!("unexpected {other}: {}", reply.json),
        }
    }
    assert_eq!(answered.len(), 1, "exactly one finish is answered");
    assert_eq!(unknown, 23);
    assert_eq!(unblind(holder, &answered[0]).len(), 4);
}

#[tokio::test]
async fn sessions_expire_on_the_clock() {
    let server = TestServer::new();
    let pk = server.issuer_key().await;
    let ticket = server.ticket(TicketRequest::new("subject-expiry", Status::Green));

    let (holder, regs) = register(&pk, &ticket.text, 1);
    let reply = server.start(&ticket.text, &regs).await;
    let start: StartResponse = serde_json::from_value(reply.json).unwrap();
    assert_eq!(start.expires_in_secs, 60);
    let (_, challenges) = challenge(holder, &start, server.now());
    server.clock.advance(Duration::from_secs(60));
    let reply = server.finish(&start.session, &challenges).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::NOT_FOUND, "unknown_session")
    );

    // The periodic sweep drops expired sessions without a lookup; fresh ones stay.
    let (_, regs) = register(&pk, &ticket.text, 1);
    assert_eq!(
        server.start(&ticket.text, &regs).await.status,
        StatusCode::OK
    );
    server.clock.advance(Duration::from_secs(30));
    // (Another ticket: a ticket has one open session at most.)
    let other = server.ticket(TicketRequest::new("subject-expiry-2", Status::Green));
    let (_, regs) = register(&pk, &other.text, 1);
    assert_eq!(
        server.start(&other.text, &regs).await.status,
        StatusCode::OK
    );
    assert_eq!(server.state.open_sessions(), 2);
    server.clock.advance(Duration::from_secs(31));
    assert_eq!(server.state.sweep(), 1);
    assert_eq!(server.state.open_sessions(), 1);
}

#[tokio::test]
async fn garbled_challenges_leave_the_session_open_for_a_retry() {
    let server = TestServer::new();
    let pk = server.issuer_key().await;
    let ticket = server.ticket(TicketRequest::new("subject-retry", Status::Green));
    let (holder, regs) = register(&pk, &ticket.text, 2);
    let start: StartResponse =
        serde_json::from_value(server.start(&ticket.text, &regs).await.json).unwrap();
    let (holder, challenges) = challenge(holder, &start, server.now());

    for (session, challenges) in [
        (start.session.as_str(), "***"),
        (start.session.as_str(), "AQU"),
        ("not-hex", challenges.as_str()),
    ] {
        let reply = server.finish(session, challenges).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
    }
    // A well-formed but never-issued session id.
    let reply = server.finish(&"00".repeat(16), &challenges).await;
    assert_eq!(reply.code(), "unknown_session");

    let reply = server.finish(&start.session, &challenges).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(unblind(holder, &reply.json).len(), 2);
}

#[tokio::test]
async fn a_cap_of_one_open_session_makes_issuance_sequential() {
    let server = TestServer::with(|c| c.max_open_sessions = 1);
    let pk = server.issuer_key().await;
    let a = server.ticket(TicketRequest::new("subject-a", Status::Green));
    let b = server.ticket(TicketRequest::new("subject-b", Status::Green));

    let (holder_a, regs) = register(&pk, &a.text, 1);
    let start_a: StartResponse =
        serde_json::from_value(server.start(&a.text, &regs).await.json).unwrap();
    let (_, regs_b) = register(&pk, &b.text, 1);
    let reply = server.start(&b.text, &regs_b).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "overloaded")
    );
    assert!(reply.headers.contains_key("retry-after"));
    // The refused start reserved nothing from b's quota.
    assert_eq!(
        server.state.store().remaining_tokens(b.ticket_id).unwrap(),
        None
    );

    let (_, challenges) = challenge(holder_a, &start_a, server.now());
    assert_eq!(
        server.finish(&start_a.session, &challenges).await.status,
        StatusCode::OK
    );
    assert!(server.issue(&b.text, 1).await.is_ok());
}

#[tokio::test]
async fn the_session_cap_counts_tokens_not_batches() {
    // A batch of N tokens is N concurrent ACL sessions.
    let server = TestServer::with(|c| c.max_open_sessions = 3);
    let pk = server.issuer_key().await;
    let a = server.ticket(TicketRequest::new("subject-a", Status::Green).tokens(5));
    let b = server.ticket(TicketRequest::new("subject-b", Status::Green).tokens(5));

    // More tokens than the cap: never servable, a clear 400 rather than a retry loop.
    let (_, regs) = register(&pk, &a.text, 4);
    let reply = server.start(&a.text, &regs).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );

    // Two open, two more do not fit (2 + 2 > 3) ...
    let (holder_a, regs) = register(&pk, &a.text, 2);
    let start_a: StartResponse =
        serde_json::from_value(server.start(&a.text, &regs).await.json).unwrap();
    let (_, regs_b) = register(&pk, &b.text, 2);
    let reply = server.start(&b.text, &regs_b).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "overloaded")
    );
    // ... but one does (2 + 1 = 3).
    assert!(server.issue(&b.text, 1).await.is_ok());
    // Answering frees the two.
    let (_, challenges) = challenge(holder_a, &start_a, server.now());
    assert_eq!(
        server.finish(&start_a.session, &challenges).await.status,
        StatusCode::OK
    );
    assert!(server.issue(&b.text, 2).await.is_ok());
}

#[tokio::test]
async fn a_ticket_holds_at_most_one_open_session() {
    let server = TestServer::with(|c| c.max_open_sessions = 3);
    let pk = server.issuer_key().await;
    let a = server.ticket(TicketRequest::new("subject-a", Status::Green).tokens(5));
    let b = server.ticket(TicketRequest::new("subject-b", Status::Green).tokens(5));

    let (holder_a, regs) = register(&pk, &a.text, 1);
    let start_a: StartResponse =
        serde_json::from_value(server.start(&a.text, &regs).await.json).unwrap();
    // Room for two more tokens, but not for a second session of the same ticket.
    let (_, regs) = register(&pk, &a.text, 1);
    let reply = server.start(&a.text, &regs).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::CONFLICT, "ticket_busy")
    );
    assert_eq!(reply.headers["retry-after"], "5");
    // The refusal took nothing from the ticket: 5 − 1 left.
    assert_eq!(
        server.state.store().remaining_tokens(a.ticket_id).unwrap(),
        Some(4)
    );
    // Other tickets are not held up.
    assert!(server.issue(&b.text, 2).await.is_ok());
    // Once the session is answered, the ticket may start again.
    let (_, challenges) = challenge(holder_a, &start_a, server.now());
    assert_eq!(
        server.finish(&start_a.session, &challenges).await.status,
        StatusCode::OK
    );
    let (_, regs) = register(&pk, &a.text, 1);
    assert_eq!(server.start(&a.text, &regs).await.status, StatusCode::OK);
    // ... and once an unanswered one has expired.
    server.clock.advance(Duration::from_secs(61));
    assert!(server.issue(&a.text, 1).await.is_ok());
}

#[tokio::test]
async fn keys_publish_the_largest_batch_a_start_may_ask_for() {
    for (cap, published) in [(1, 1), (3, 3), (64, 64), (1024, 64)] {
        let server = TestServer::with(|c| c.max_open_sessions = cap);
        let keys = server.get(greenlight_api::paths::KEYS).await;
        let body: KeysResponse = serde_json::from_slice(&keys.body).unwrap();
        assert_eq!(body.max_batch, Some(published), "cap {cap}");
        // Readable by a venue page on another origin (a separate static host).
        assert_eq!(keys.headers["access-control-allow-origin"], "*");
    }
}

#[tokio::test]
async fn no_issuance_outside_the_keys_issuing_period() {
    let server = TestServer::new();
    let until = server.state.issuer_info().unwrap().issue_until;
    // Valid on both sides of the end of the key's issuing period.
    let ticket = server.ticket(
        TicketRequest::new("subject-period", Status::Green)
            .not_before(until - 86400)
            .valid_for(Duration::from_secs(14 * 86400)),
    );
    let pk = server.issuer_key().await;
    server.clock.set(until + 1);
    // A wallet stops here: its key rule refuses a key past its issuing period.
    assert!(matches!(
        server.try_issuer_key().await,
        Err(greenlight_wallet::WalletError::IssuingKey {
            reason: greenlight_protocol::KeyRejection::NotIssuing { .. },
            ..
        })
    ));
    // The server refuses a client that does not check, too.
    let (_, regs) = register(&pk, &ticket.text, 1);
    let refused = server.start(&ticket.text, &regs).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::SERVICE_UNAVAILABLE, "key_not_issuing")
    );
    // Nothing was reserved from the ticket.
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn an_expired_session_frees_its_slot() {
    let server = TestServer::with(|c| c.max_open_sessions = 1);
    let pk = server.issuer_key().await;
    let a = server.ticket(TicketRequest::new("subject-a", Status::Green));
    let (_, regs) = register(&pk, &a.text, 1);
    assert_eq!(server.start(&a.text, &regs).await.status, StatusCode::OK);
    server.clock.advance(Duration::from_secs(61));
    assert!(server.issue(&a.text, 1).await.is_ok());
}

#[tokio::test]
async fn per_ticket_rate_limit() {
    let server = TestServer::with(|c| {
        c.ticket_rate = Some(RateLimit {
            burst: 2,
            per_minute: 1,
        })
    });
    let ticket = server.ticket(TicketRequest::new("subject-rate", Status::Green));
    assert!(server.issue(&ticket.text, 1).await.is_ok());
    assert!(server.issue(&ticket.text, 1).await.is_ok());
    let refused = server.issue(&ticket.text, 1).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    // Other tickets are not affected; after a minute this one may go again.
    let other = server.ticket(TicketRequest::new("subject-rate-2", Status::Green));
    assert!(server.issue(&other.text, 1).await.is_ok());
    server.clock.advance(Duration::from_secs(60));
    assert!(server.issue(&ticket.text, 1).await.is_ok());
}

#[tokio::test]
async fn per_client_rate_limit() {
    let server = TestServer::with(|c| {
        c.client_rate = Some(RateLimit {
            burst: 1,
            per_minute: 1,
        })
    });
    let a: SocketAddr = "192.0.2.1:4000".parse().unwrap();
    let a_other_port: SocketAddr = "192.0.2.1:4001".parse().unwrap();
    let b: SocketAddr = "[2001:db8::1]:4000".parse().unwrap();
    let b_same_64: SocketAddr = "[2001:db8::2]:4000".parse().unwrap();
    let body = json!({"ticket": "GLT1:X", "registrations": "AA"});
    let start = |addr| {
        request(
            Method::POST,
            "/v1/issuance/start",
            Some(body.clone()),
            None,
            Some(addr),
        )
    };
    // The first request from an address is processed (and fails on its merits)...
    assert_eq!(server.send(start(a)).await.code(), "invalid_ticket");
    // ...the second is refused before any work, whatever the port.
    assert_eq!(
        server.send(start(a_other_port)).await.code(),
        "rate_limited"
    );
    // IPv6 clients are limited per /64.
    assert_eq!(server.send(start(b)).await.code(), "invalid_ticket");
    assert_eq!(server.send(start(b_same_64)).await.code(), "rate_limited");
    server.clock.advance(Duration::from_secs(60));
    assert_eq!(server.send(start(a)).await.code(), "invalid_ticket");
}

#[tokio::test]
async fn tickets_from_the_protocol_crate_directly_are_accepted() {
    // A ticket built with greenlight-protocol (as an external authority would) and signed
    // with the server's authority key, read back from the data directory.
    let server = TestServer::new();
    let authority = greenlight_server::load_authority_key(server.dir.path()).unwrap();
    assert_eq!(
        authority.verifying_key(),
        server.state.authority_public_key()
    );
    let body = TicketBody::new(
        [7u8; 16],
        greenlight_protocol::SubjectHandle::new("subject-external").unwrap(),
        Status::Green,
        TravelHistory::empty(),
        T0 - 10,
        T0 + 10,
        1,
    )
    .unwrap();
    let text = body.sign(&authority).to_text();
    assert_eq!(
        server
            .issue(&text, 1)
            .await
            .map_err(|r| r.json)
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn spent_quota_is_remembered_for_a_day_past_the_tickets_expiry() {
    // Sweeping at the expiry instant would let a `start` that passed the validity check just
    // before `not_after` recreate the record at full quota: a ticket minting twice.
    let server = TestServer::new();
    let ticket = server.ticket(
        TicketRequest::new("subject-sweep", Status::Green)
            .tokens(2)
            .valid_for(Duration::from_secs(3600)),
    );
    assert!(server.issue(&ticket.text, 2).await.is_ok());
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        Some(0)
    );

    server.clock.advance(Duration::from_secs(3600 + 60));
    server.state.sweep_store().unwrap();
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        Some(0),
        "kept during the grace period"
    );
    server.clock.advance(Duration::from_secs(24 * 3600));
    server.state.sweep_store().unwrap();
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(ticket.ticket_id)
            .unwrap(),
        None
    );
}
