//! The whole story end to end: the real issuer (`EphemeralServer`, real HTTP on a loopback
//! port) driven by the real wallet and venue code of `greenlight_client` — the demo, the
//! story step by step through the library, and a server restart on the same data directory.
//!
//! This test binary spawns no child processes, and must not: sled's directory lock is an
//! `flock` on a file descriptor, and a child forked while the first server is shutting down
//! inherits that descriptor until it `exec`s, keeping the lock for a moment after the store is
//! dropped, so the restarted server fails with "could not acquire lock" (`WouldBlock`). The
//! `greenlight` binary is therefore tested from its own test binary, `cli.rs`.

use greenlight_circuits::RejectReason;
use greenlight_client::http::{AdminTicketRequest, ErrorCode, Http, HttpError, ServerCode};
use greenlight_client::{
    demo, ClientError, Lang, PinOutcome, RedeemStep, Rejection, Venue, Verdict, Wallet,
};
use greenlight_protocol::Status;
use greenlight_server::{EphemeralServer, TicketRequest};

fn quiet(_: RedeemStep) {}

fn ticket(server: &EphemeralServer, subject: &str, status: Status, tokens: u16) -> String {
    server
        .sign_ticket(
            &TicketRequest::new(subject, status)
                .travel("HK")
                .tokens(tokens),
        )
        .expect("signing a ticket")
}

fn server_code(e: &ClientError) -> Option<(u16, &ServerCode)> {
    match e {
        ClientError::Http(HttpError::Server { status, code, .. }) => Some((*status, code)),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_succeeds() {
    let mut out = Vec::new();
    let result = demo::run(Lang::En, &mut out).await;
    let text = String::from_utf8_lossy(&out);
    assert!(result.is_ok(), "demo failed: {result:?}\n{text}");
    assert!(text.contains("[10]"), "the demo stopped early:\n{text}");
    assert!(text.contains("All steps behaved as expected."), "{text}");
}

/// Ticket → redeem → two venues → present → accept, replay, wrong venue, red tokens,
/// revocation and appeal, each through the library as the CLI uses it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_story_through_the_library() {
    let server = EphemeralServer::start().await.expect("server");
    let tmp = tempfile::tempdir().expect("tempdir");
    let http = Http::new(&server.url).expect("url");
    let admin = server.admin_token.clone();

    // The ticket comes over the admin route, as the health authority's desk would get it.
    let green = http
        .admin_ticket(
            &admin,
            &AdminTicketRequest {
                subject: "story-alice".into(),
                status: "green".into(),
                travel: Some("CN,HK".into()),
                tokens: Some(4),
                valid_for_secs: Some(3600),
            },
        )
        .await
        .expect("admin ticket");
    assert!(green.ticket.starts_with("GLT1:"));

    let wallet = Wallet::open(tmp.path().join("wallet")).expect("wallet");
    let steps = std::sync::Mutex::new(Vec::new());
    let record = |s: RedeemStep| steps.lock().expect("steps").push(s);
    let report = wallet
        .redeem(&server.url, &green.ticket, "self", &record)
        .await
        .expect("redeem");
    assert_eq!(report.tokens_added, 4);
    assert_eq!(report.tokens_in_profile, 4);
    assert_eq!(report.status, Status::Green);
    assert!(report.new_profile);
    let PinOutcome::FirstUse { fingerprint } = &report.pin else {
        panic!(
            "first contact should pin on first use, got {:?}",
            report.pin
        );
    };
    assert_eq!(*fingerprint, server.state().root_fingerprint());
    assert_eq!(
        steps.into_inner().expect("steps"),
        vec![
            RedeemStep::FetchKeys,
            RedeemStep::Register { n: 4 },
            RedeemStep::Challenge,
            RedeemStep::Verify { n: 4 },
            RedeemStep::Store,
        ]
    );
    assert_eq!(wallet.token_count("self").expect("count"), 4);

    let (cafe, pin) = Venue::init(tmp.path().join("cafe"), &server.url, "Cafe", 24, None)
        .await
        .expect("venue init");
    assert!(matches!(pin, PinOutcome::FirstUse { .. }));
    let (library, _) = Venue::init(tmp.path().join("lib"), &server.url, "Library", 24, None)
        .await
        .expect("venue init");

    // Present and verify; the same code again is a replay.
    let shown = wallet.present(&cafe.code_text(), "self").expect("present");
    assert_eq!(shown.tokens_left, 3);
    let verdict = cafe.verify_text(&shown.text).expect("verify");
    let Verdict::Accept {
        token_id, region, ..
    } = &verdict
    else {
        panic!("expected ACCEPT, got {verdict:?}");
    };
    assert_eq!(*token_id, shown.presentation.token_id());
    assert_eq!(region.as_deref(), Some("XX-LOCAL"));
    assert_eq!(
        cafe.verify_text(&shown.text).expect("verify"),
        Verdict::Reject(Rejection::Check(RejectReason::Replayed))
    );

    // A code made for the cafe is refused at the library, then accepted at the cafe.
    let for_cafe = wallet.present(&cafe.code_text(), "self").expect("present");
    assert_eq!(
        library.verify_text(&for_cafe.text).expect("verify"),
        Verdict::Reject(Rejection::Check(RejectReason::WrongVenue))
    );
    assert!(cafe
        .verify_text(&for_cafe.text)
        .expect("verify")
        .is_accept());

    // Red tokens: redeemable, but the wallet will not show them.
    let red = ticket(&server, "story-bob", Status::Red, 2);
    let report = wallet
        .redeem(&server.url, &red, "bob", &quiet)
        .await
        .expect("redeem red");
    assert_eq!((report.tokens_added, report.status), (2, Status::Red));
    assert!(matches!(report.pin, PinOutcome::Matched { .. }));
    match wallet.present(&cafe.code_text(), "bob") {
        Err(ClientError::NoneGreen(profile)) => assert_eq!(profile, "bob"),
        other => panic!("expected NoneGreen, got {other:?}"),
    }
    assert_eq!(wallet.token_count("bob").expect("count"), 2);

    // Revocation stops new issuance; the appeal restores it.
    let again = ticket(&server, "story-alice", Status::Green, 3);
    let revoked = http
        .admin_revoke(&admin, "story-alice")
        .await
        .expect("revoke");
    assert!(revoked.subject_revoked && revoked.changed);
    let err = wallet
        .redeem(&server.url, &again, "self", &quiet)
        .await
        .expect_err("a revoked subject must be refused");
    assert_eq!(
        server_code(&err),
        Some((403, &ServerCode::Known(ErrorCode::SubjectRevoked))),
        "{err:?}"
    );
    let appeal = http
        .admin_appeal(&admin, "story-alice")
        .await
        .expect("appeal");
    assert!(!appeal.subject_revoked && appeal.changed);
    // An appeal revives no ticket signed before it: the authority signs a new one.
    let after_appeal = ticket(&server, "story-alice", Status::Green, 3);
    let report = wallet
        .redeem(&server.url, &after_appeal, "self", &quiet)
        .await
        .expect("redeem after appeal");
    assert_eq!(report.tokens_added, 3);
    assert_eq!(report.tokens_in_profile, 5);
    let shown = wallet
        .present(&library.code_text(), "self")
        .expect("present");
    assert!(library
        .verify_text(&shown.text)
        .expect("verify")
        .is_accept());

    server.shutdown().await;
}

/// Shut the server down and start another on the same data directory: a used-up ticket stays
/// used up, a revoked subject stays revoked, and the keys, root and admin token are the same,
/// so the wallet's pinned root still matches and tokens from both lives verify at a venue set
/// up against either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_spent_tickets_revocations_and_keys() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("server-data");
    let wallet = Wallet::open(tmp.path().join("wallet")).expect("wallet");

    let first = EphemeralServer::start_in(&data)
        .await
        .expect("first server");
    let root = first.state().root_public_key();
    let key_list = first.state().key_list().to_text();
    let issuing = first.state().issuing_key_id();
    let admin = first.admin_token.clone();

    let spent = ticket(&first, "restart-carol", Status::Green, 2);
    let report = wallet
        .redeem(&first.url, &spent, "self", &quiet)
        .await
        .expect("redeem");
    assert_eq!(report.tokens_added, 2);
    // Signed by the first server, redeemed only after the restart.
    let later = ticket(&first, "restart-dave", Status::Green, 2);
    let for_revoked = ticket(&first, "restart-erin", Status::Green, 2);
    let http = Http::new(&first.url).expect("url");
    assert!(
        http.admin_revoke(&admin, "restart-erin")
            .await
            .expect("revoke")
            .changed
    );
    let (venue_before, _) = Venue::init(tmp.path().join("v1"), &first.url, "Before", 24, None)
        .await
        .expect("venue");
    first.shutdown().await;

    let second = EphemeralServer::start_in(&data)
        .await
        .expect("second server");
    assert_eq!(second.state().root_public_key(), root, "root key changed");
    assert_eq!(
        second.state().key_list().to_text(),
        key_list,
        "key list changed"
    );
    assert_eq!(
        second.state().issuing_key_id(),
        issuing,
        "issuing key changed"
    );
    assert_eq!(second.admin_token, admin, "admin token changed");

    // The used-up ticket stays used up.
    let err = wallet
        .redeem(&second.url, &spent, "self", &quiet)
        .await
        .expect_err("a used-up ticket must stay used up");
    assert_eq!(
        server_code(&err),
        Some((409, &ServerCode::Known(ErrorCode::QuotaExceeded))),
        "{err:?}"
    );
    // The revoked subject stays revoked.
    let err = wallet
        .redeem(&second.url, &for_revoked, "erin", &quiet)
        .await
        .expect_err("a revoked subject must stay revoked");
    assert_eq!(
        server_code(&err),
        Some((403, &ServerCode::Known(ErrorCode::SubjectRevoked))),
        "{err:?}"
    );
    assert_eq!(wallet.token_count("erin").expect("count"), 0);

    // A ticket signed before the restart works after it, and the pinned root matches.
    let report = wallet
        .redeem(&second.url, &later, "self", &quiet)
        .await
        .expect("redeem after restart");
    assert_eq!(report.tokens_added, 2);
    assert!(
        matches!(report.pin, PinOutcome::Matched { .. }),
        "{:?}",
        report.pin
    );
    assert_eq!(wallet.token_count("self").expect("count"), 4);

    // A venue pinned explicitly to the old root can be set up against the new server; tokens
    // from both lives of the server verify at venues of both lives.
    let (venue_after, pin) = Venue::init(
        tmp.path().join("v2"),
        &second.url,
        "After",
        24,
        Some(greenlight_client::keys::RootPin::Key(*root.as_bytes())),
    )
    .await
    .expect("venue pinned to the old root");
    assert!(matches!(pin, PinOutcome::Explicit { .. }));
    for venue in [&venue_before, &venue_after, &venue_before, &venue_after] {
        let shown = wallet.present(&venue.code_text(), "self").expect("present");
        let verdict = venue.verify_text(&shown.text).expect("verify");
        assert!(verdict.is_accept(), "{verdict:?}");
    }
    assert_eq!(wallet.token_count("self").expect("count"), 0);

    second.shutdown().await;
}
