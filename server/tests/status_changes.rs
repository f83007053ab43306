//! Issue 9, finding 1: a newer status replaces an older ticket. Each subject has an epoch
//! (`greenlight_issuance::epoch`): redeeming a newer ticket, signing one through the admin
//! API, revoking and appealing move it forward, and tickets older than it are refused with
//! `ticket_superseded`. Green and yellow tickets live at most 14 days, checked when signed
//! and when redeemed (`ticket_too_long`).

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::*;
use greenlight_protocol::{Status, SubjectHandle, TicketBody, TravelHistory};
use greenlight_server::TicketRequest;
use serde_json::json;

const MINUTE: Duration = Duration::from_secs(60);
const DAY: u64 = 86_400;

async fn admin_ticket(server: &TestServer, body: serde_json::Value) -> Reply {
    server
        .admin(Method::POST, "/v1/admin/tickets", Some(body))
        .await
}

#[tokio::test]
async fn a_red_ticket_once_redeemed_blocks_an_older_green_one() {
    let server = TestServer::new();
    // Both signed offline (`greenlight-server ticket`): the issuer learns of them only when
    // they are redeemed.
    let green = server.ticket(TicketRequest::new("resident-turns-red", Status::Green).tokens(5));
    server.clock.advance(MINUTE);
    let red = server.ticket(TicketRequest::new("resident-turns-red", Status::Red).tokens(2));
    server.clock.advance(MINUTE);
    // Until the red ticket reaches the issuer, the green one redeems.
    assert!(server.issue(&green.text, 1).await.is_ok());
    assert_eq!(
        server
            .issue(&red.text, 1)
            .await
            .map_err(|r| r.json)
            .unwrap()
            .len(),
        1
    );
    // From now on the green ticket is refused, though valid and with four tokens left.
    let refused = server.issue(&green.text, 1).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "ticket_superseded")
    );
    assert!(refused.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("replaced by a newer one"));
    assert_eq!(
        server
            .state
            .store()
            .remaining_tokens(green.ticket_id)
            .unwrap(),
        Some(4),
        "the refusal spent nothing"
    );
    // The red ticket itself still redeems (same epoch).
    assert!(server.issue(&red.text, 1).await.is_ok());
}

#[tokio::test]
async fn a_red_ticket_signed_through_the_admin_api_blocks_an_older_green_one_at_once() {
    let server = TestServer::new();
    let green = server.ticket(TicketRequest::new("resident-api-red", Status::Green));
    assert!(server.issue(&green.text, 1).await.is_ok());
    server.clock.advance(MINUTE);
    let reply = admin_ticket(
        &server,
        json!({"subject": "resident-api-red", "status": "red", "tokens": 1}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    // The red ticket is never redeemed: signing it was enough.
    let refused = server.issue(&green.text, 1).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "ticket_superseded")
    );
    // A ticket signed later (a recovery) redeems; another subject is unaffected.
    server.clock.advance(MINUTE);
    let recovered = admin_ticket(
        &server,
        json!({"subject": "resident-api-red", "status": "green", "tokens": 1}),
    )
    .await;
    assert!(server
        .issue(recovered.json["ticket"].as_str().unwrap(), 1)
        .await
        .is_ok());
    let other = server.ticket(TicketRequest::new("resident-unrelated", Status::Green));
    assert!(server.issue(&other.text, 1).await.is_ok());
}

#[tokio::test]
async fn of_two_tickets_signed_in_one_second_the_later_supersedes_the_earlier() {
    let server = TestServer::new();
    let sign = |status: &str| {
        admin_ticket(
            &server,
            json!({"subject": "resident-same-second", "status": status, "tokens": 1}),
        )
    };
    let green = sign("green").await;
    let red = sign("red").await;
    let third = sign("yellow").await;
    let not_before = |reply: &Reply| {
        greenlight_protocol::Ticket::from_text(reply.json["ticket"].as_str().unwrap())
            .unwrap()
            .unverified_body()
            .not_before()
    };
    let now = server.now();
    assert_eq!(
        [not_before(&green), not_before(&red), not_before(&third)],
        [now, now + 1, now + 2],
        "each a second after the one before"
    );
    // No clock movement needed: each redeems from a minute before its start.
    for (older, what) in [(&green, "green"), (&red, "red")] {
        let refused = server
            .issue(older.json["ticket"].as_str().unwrap(), 1)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), "ticket_superseded", "{what}");
    }
    assert!(server
        .issue(third.json["ticket"].as_str().unwrap(), 1)
        .await
        .is_ok());
}

#[tokio::test]
async fn an_appeal_does_not_revive_a_ticket_signed_before_it() {
    let server = TestServer::new();
    let old = server.ticket(TicketRequest::new("resident-appealed", Status::Green));
    assert!(server.issue(&old.text, 1).await.is_ok());
    server.clock.advance(MINUTE);
    let revoke = json!({"subject": "resident-appealed"});
    let reply = server
        .admin(Method::POST, "/v1/admin/revocations", Some(revoke.clone()))
        .await;
    assert_eq!(reply.json["changed"], true);
    let refused = server.issue(&old.text, 1).await.unwrap_err();
    assert_eq!(refused.code(), "subject_revoked");
    server.clock.advance(MINUTE);
    let reply = server
        .admin(Method::POST, "/v1/admin/appeals", Some(revoke))
        .await;
    assert_eq!(reply.json["changed"], true);
    let refused = server.issue(&old.text, 1).await.unwrap_err();
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "ticket_superseded"),
        "signed before the appeal"
    );
    // The authority signs a new ticket after the appeal — in the same second here, so it
    // starts a second later (after the appeal's epoch: a ticket signed before the appeal in
    // that second must not redeem) and redeems at once all the same (the start leeway).
    let renewed = admin_ticket(
        &server,
        json!({"subject": "resident-appealed", "status": "green", "tokens": 2}),
    )
    .await;
    let renewed_body =
        greenlight_protocol::Ticket::from_text(renewed.json["ticket"].as_str().unwrap())
            .unwrap()
            .unverified_body()
            .clone();
    assert_eq!(renewed_body.not_before(), server.now() + 1);
    assert!(server
        .issue(renewed.json["ticket"].as_str().unwrap(), 2)
        .await
        .is_ok());
}

#[tokio::test]
async fn green_tickets_longer_than_14_days_are_refused_when_signed_through_the_api() {
    let server = TestServer::new();
    for (status, secs, ok) in [
        ("green", 14 * DAY, true),
        ("green", 14 * DAY + 1, false),
        ("yellow", 15 * DAY, false),
        ("green", 90 * DAY, false),
        ("red", 90 * DAY, true),
    ] {
        let reply = admin_ticket(
            &server,
            json!({"subject": "resident-long", "status": status, "valid_for_secs": secs}),
        )
        .await;
        if ok {
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{status} {secs}: {}",
                reply.json
            );
        } else {
            assert_eq!(
                (reply.status, reply.code()),
                (StatusCode::BAD_REQUEST, "bad_request"),
                "{status} {secs}"
            );
            let message = reply.json["error"]["message"].as_str().unwrap();
            assert!(
                message.contains(&format!(
                    "a {status} ticket may be valid for at most 14 days"
                )),
                "{message}"
            );
            assert!(!message.contains("resident-long"), "{message}");
        }
    }
}

#[tokio::test]
async fn green_tickets_longer_than_14_days_are_refused_when_redeemed() {
    // A ticket signed before the limit existed (or by an authority holding its own key):
    // 90 days, green. It no longer redeems.
    let server = TestServer::new();
    let authority = greenlight_server::load_authority_key(server.dir.path()).unwrap();
    let ticket = |status, valid: u64| {
        TicketBody::new(
            rand::random(),
            SubjectHandle::new("resident-legacy-ticket").unwrap(),
            status,
            TravelHistory::empty(),
            T0 - 60,
            T0 - 60 + valid,
            2,
        )
        .unwrap()
        .sign(&authority)
        .to_text()
    };
    let pk = server.issuer_key().await;
    for (status, valid) in [(Status::Green, 90 * DAY), (Status::Yellow, 14 * DAY + 1)] {
        let text = ticket(status, valid);
        let (_, regs) = register(&pk, &text, 1);
        let reply = server.start(&text, &regs).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::FORBIDDEN, "ticket_too_long"),
            "{status}"
        );
        let message = reply.json["error"]["message"].as_str().unwrap();
        assert!(message.contains("at most 14 days"), "{message}");
        assert_eq!(
            server
                .state
                .store()
                .remaining_tokens(ticket_id_of(&text))
                .unwrap(),
            None
        );
    }
    // Within the limit it redeems; red keeps 90 days.
    assert!(server
        .issue(&ticket(Status::Green, 14 * DAY), 2)
        .await
        .is_ok());
    assert!(server
        .issue(&ticket(Status::Red, 90 * DAY), 2)
        .await
        .is_ok());
}
