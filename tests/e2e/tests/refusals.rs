//! What must be refused, is refused — with the right reason. The real issuer
//! (`EphemeralServer`, real HTTP on a loopback port) and the real wallet and venue code:
//! expired, over-quota, forged (bit flips, a status edited under the signature, another
//! authority's signature) and revoked tickets, and a presentation shown at the wrong venue.
//! Each case asserts the typed error and the message a resident would read, not just `is_err`.

use std::time::Duration;

use greenlight_circuits::RejectReason;
use greenlight_client::http::{ErrorCode, Http, HttpError, ServerCode};
use greenlight_client::wallet::RedeemOptions;
use greenlight_client::{
    ClientError, Lang, Msg, RedeemStep, Rejection, Venue, Verdict, Wallet, EXIT_REFUSED, EXIT_USAGE,
};
use greenlight_protocol::{SigningKey, Status, Ticket};
use greenlight_server::{sign_ticket, EphemeralServer, FakeClock, ServerConfig, TicketRequest};
use greenlight_wire::prefixes;

fn quiet(_: RedeemStep) {}

/// Asserts `result` is the server's refusal `code` with HTTP `status`, shown to the resident as
/// `msg`, exiting with "refused"; the server's own message must not quote the subject.
fn assert_server_refusal<T: std::fmt::Debug>(
    result: Result<T, ClientError>,
    status: u16,
    code: ServerCode,
    msg: Msg,
    subject: &str,
) {
    let err = result.expect_err("expected a refusal");
    match &err {
        ClientError::Http(HttpError::Server {
            status: s,
            code: c,
            message,
            ..
        }) => {
            assert_eq!((*s, c), (status, &code), "{err:?}");
            assert!(!message.is_empty(), "the server gave no message");
            assert!(
                !message.contains(subject),
                "the server's message quotes the subject: {message}"
            );
        }
        other => panic!("expected the server to refuse with {code:?}, got {other:?}"),
    }
    assert_eq!(err.localized(Lang::En), msg.text(Lang::En));
    assert_eq!(err.exit_code(), EXIT_REFUSED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_tickets_are_refused_by_the_wallet_and_by_the_server() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clock = FakeClock::at_system_time();
    let server = EphemeralServer::start_with(
        ServerConfig::new(tmp.path().join("data")).with_clock(clock.clone()),
    )
    .await
    .expect("server");
    let wallet = Wallet::open(tmp.path().join("wallet")).expect("wallet");
    let signed = server
        .state()
        .sign_ticket(
            &TicketRequest::new("expiry-frank", Status::Green)
                .tokens(2)
                .valid_for(Duration::from_secs(600)),
        )
        .expect("ticket");

    // The wallet refuses on its own, before any traffic: the URL below has no server.
    let late = RedeemOptions {
        now: Some(signed.not_after + 1),
        ..RedeemOptions::default()
    };
    let err = wallet
        .redeem_with("http://127.0.0.1:9", &signed.text, "self", &late, &quiet)
        .await
        .expect_err("an expired ticket must be refused");
    match &err {
        ClientError::TicketExpired { not_after } => assert_eq!(*not_after, signed.not_after),
        other => panic!("expected TicketExpired, got {other:?}"),
    }
    assert!(
        err.localized(Lang::En)
            .starts_with("the ticket expired at "),
        "{}",
        err.localized(Lang::En)
    );
    assert_eq!(err.exit_code(), EXIT_REFUSED);

    // The server refuses too, whatever the wallet's clock says: an hour later by the issuer's
    // clock, the wallet (still at real time) thinks the ticket is valid and sends it.
    clock.advance(Duration::from_secs(3600));
    assert_server_refusal(
        wallet
            .redeem(&server.url, &signed.text, "self", &quiet)
            .await,
        410,
        ServerCode::Known(ErrorCode::TicketExpired),
        Msg::SrvTicketExpired,
        "expiry-frank",
    );
    assert_eq!(wallet.token_count("self").expect("count"), 0);
    assert_eq!(
        server
            .state()
            .store()
            .remaining_tokens(signed.ticket_id)
            .expect("store"),
        None,
        "an expired ticket must not touch its quota"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_over_quota_ticket_is_refused() {
    let server = EphemeralServer::start().await.expect("server");
    let tmp = tempfile::tempdir().expect("tempdir");
    let first = Wallet::open(tmp.path().join("first")).expect("wallet");
    let second = Wallet::open(tmp.path().join("second")).expect("wallet");
    let signed = server
        .state()
        .sign_ticket(&TicketRequest::new("quota-gina", Status::Green).tokens(2))
        .expect("ticket");

    let report = first
        .redeem(&server.url, &signed.text, "self", &quiet)
        .await
        .expect("first redeem");
    assert_eq!(report.tokens_added, 2);
    // The same wallet again, and another wallet that copied the ticket.
    assert_server_refusal(
        first
            .redeem(&server.url, &signed.text, "self", &quiet)
            .await,
        409,
        ServerCode::Known(ErrorCode::QuotaExceeded),
        Msg::SrvQuotaExceeded,
        "quota-gina",
    );
    assert_server_refusal(
        second
            .redeem(&server.url, &signed.text, "self", &quiet)
            .await,
        409,
        ServerCode::Known(ErrorCode::QuotaExceeded),
        Msg::SrvQuotaExceeded,
        "quota-gina",
    );
    assert_eq!(first.token_count("self").expect("count"), 2);
    assert_eq!(second.token_count("self").expect("count"), 0);
    assert_eq!(
        server
            .state()
            .store()
            .remaining_tokens(signed.ticket_id)
            .expect("store"),
        Some(0)
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_tickets_are_refused_and_do_not_burn_the_quota() {
    let server = EphemeralServer::start().await.expect("server");
    let tmp = tempfile::tempdir().expect("tempdir");
    let wallet = Wallet::open(tmp.path().join("wallet")).expect("wallet");
    let request = TicketRequest::new("forged-hank", Status::Red).tokens(3);
    let genuine = server.state().sign_ticket(&request).expect("ticket");
    let bytes = Ticket::from_text(&genuine.text).expect("decode").to_bytes();
    // Well-formed but not signed by the authority whose key the server publishes
    // (`authority_public_key` in `/v1/keys`): the wallet checks the signature itself and
    // refuses before any issuance request (the server's own `invalid_ticket` refusal of such
    // tickets is tested in server/tests/issuance.rs).
    let refuse_invalid = |result: Result<_, ClientError>| {
        let err = result.expect_err("expected a refusal");
        assert!(matches!(err, ClientError::TicketAuthority), "{err:?}");
        assert_eq!(err.localized(Lang::En), Msg::TicketAuthority.text(Lang::En));
        assert_eq!(err.exit_code(), EXIT_REFUSED);
    };

    // One bit of the signature's R flipped: still well-formed; only a signature check tells.
    let mut flipped = bytes.clone();
    let r_start = flipped.len() - 64;
    flipped[r_start] ^= 0x01;
    let forged = Ticket::from_bytes(&flipped).expect("a flipped R still decodes");
    refuse_invalid(
        wallet
            .redeem(&server.url, &forged.to_text(), "self", &quiet)
            .await,
    );

    // The status edited from red to green under the authority's signature: find the byte
    // whose change turns the status green and leaves every other field as it was.
    let original = Ticket::from_bytes(&bytes).expect("decode");
    let original = original.unverified_body();
    let green = (0..r_start)
        .filter_map(|i| {
            let mut edited = bytes.clone();
            edited[i] = Status::Green.as_u8();
            Ticket::from_bytes(&edited).ok()
        })
        .find(|t| {
            let b = t.unverified_body();
            b.status() == Status::Green
                && b.ticket_id() == original.ticket_id()
                && b.subject() == original.subject()
                && b.travel() == original.travel()
                && (b.not_before(), b.not_after(), b.tokens())
                    == (
                        original.not_before(),
                        original.not_after(),
                        original.tokens(),
                    )
        })
        .expect("the status byte can be edited");
    refuse_invalid(
        wallet
            .redeem(&server.url, &green.to_text(), "self", &quiet)
            .await,
    );

    // A well-formed ticket signed by another authority key.
    let other_authority = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    let foreign = sign_ticket(&other_authority, &request, server.state().now_unix()).expect("sign");
    refuse_invalid(
        wallet
            .redeem(&server.url, &foreign.text, "self", &quiet)
            .await,
    );

    // Bit flips all over the ticket: refused by the wallet, either because the bytes no
    // longer decode (a damaged code, exit 2) or the validity window moved, or because the
    // signature fails under the published authority key — never redeemed.
    let (mut local, mut by_signature) = (0, 0);
    for position in (0..bytes.len()).step_by(bytes.len() / 12 + 1) {
        let mut flipped = bytes.clone();
        flipped[position] ^= 0x80;
        let text = greenlight_wire::text::encode(prefixes::TICKET, &flipped);
        match wallet.redeem(&server.url, &text, "self", &quiet).await {
            Err(ClientError::TicketAuthority) => by_signature += 1,
            Err(e @ ClientError::Damaged { .. }) => {
                assert!(Ticket::from_bytes(&flipped).is_err(), "byte {position}");
                assert_eq!(e.exit_code(), EXIT_USAGE);
                local += 1;
            }
            Err(ClientError::TicketExpired { .. } | ClientError::TicketNotYetValid { .. }) => {
                local += 1
            }
            other => panic!("byte {position} flipped: expected a refusal, got {other:?}"),
        }
    }
    assert!(
        by_signature > 0 && local > 0,
        "signature {by_signature}, local {local}"
    );

    // A damaged text form is refused locally, as a damaged ticket.
    let mut damaged = genuine.text.clone();
    damaged.truncate(damaged.len() - 10);
    match wallet.redeem(&server.url, &damaged, "self", &quiet).await {
        Err(e @ ClientError::Damaged { .. }) => assert_eq!(e.exit_code(), EXIT_USAGE),
        other => panic!("expected a damaged ticket, got {other:?}"),
    }

    // None of it touched the genuine ticket's quota: it still redeems in full.
    assert_eq!(
        server
            .state()
            .store()
            .remaining_tokens(genuine.ticket_id)
            .expect("store"),
        None
    );
    assert_eq!(wallet.token_count("self").expect("count"), 0);
    let report = wallet
        .redeem(&server.url, &genuine.text, "self", &quiet)
        .await
        .expect("the genuine ticket");
    assert_eq!((report.tokens_added, report.status), (3, Status::Red));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_subject_is_refused_until_the_appeal() {
    let server = EphemeralServer::start().await.expect("server");
    let tmp = tempfile::tempdir().expect("tempdir");
    let wallet = Wallet::open(tmp.path().join("wallet")).expect("wallet");
    let http = Http::new(&server.url).expect("url");
    // Signed before the revocation: the revocation must still stop it.
    let signed = server
        .state()
        .sign_ticket(&TicketRequest::new("revoked-ivy", Status::Green).tokens(2))
        .expect("ticket");
    let response = http
        .admin_revoke(&server.admin_token, "revoked-ivy")
        .await
        .expect("revoke");
    assert!(response.subject_revoked && response.changed);
    // Revoking twice changes nothing.
    assert!(
        !http
            .admin_revoke(&server.admin_token, "revoked-ivy")
            .await
            .expect("revoke")
            .changed
    );

    assert_server_refusal(
        wallet
            .redeem(&server.url, &signed.text, "self", &quiet)
            .await,
        403,
        ServerCode::Known(ErrorCode::SubjectRevoked),
        Msg::SrvSubjectRevoked,
        "revoked-ivy",
    );
    // A ticket signed after the revocation too.
    let after = server
        .state()
        .sign_ticket(&TicketRequest::new("revoked-ivy", Status::Green).tokens(1))
        .expect("ticket");
    assert_server_refusal(
        wallet
            .redeem(&server.url, &after.text, "self", &quiet)
            .await,
        403,
        ServerCode::Known(ErrorCode::SubjectRevoked),
        Msg::SrvSubjectRevoked,
        "revoked-ivy",
    );
    assert_eq!(wallet.token_count("self").expect("count"), 0);
    // Another subject is unaffected.
    let other = server
        .state()
        .sign_ticket(&TicketRequest::new("revoked-jack", Status::Green).tokens(1))
        .expect("ticket");
    wallet
        .redeem(&server.url, &other.text, "jack", &quiet)
        .await
        .expect("an unrevoked subject");

    // After the appeal a ticket signed from then on redeems in full (an appeal revives no
    // ticket signed before it: subject epochs, spec §8.4).
    let appeal = http
        .admin_appeal(&server.admin_token, "revoked-ivy")
        .await
        .expect("appeal");
    assert!(!appeal.subject_revoked && appeal.changed);
    let after_appeal = server
        .state()
        .sign_ticket(&TicketRequest::new("revoked-ivy", Status::Green).tokens(2))
        .expect("ticket");
    let report = wallet
        .redeem(&server.url, &after_appeal.text, "self", &quiet)
        .await
        .expect("redeem after the appeal");
    assert_eq!(report.tokens_added, 2);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presentation_for_one_venue_is_rejected_at_another() {
    let server = EphemeralServer::start().await.expect("server");
    let tmp = tempfile::tempdir().expect("tempdir");
    let wallet = Wallet::open(tmp.path().join("wallet")).expect("wallet");
    let signed = server
        .state()
        .sign_ticket(&TicketRequest::new("venue-kim", Status::Green).tokens(2))
        .expect("ticket");
    wallet
        .redeem(&server.url, &signed.text, "self", &quiet)
        .await
        .expect("redeem");
    // Same window, so it is the venue id that differs.
    let (a, _) = Venue::init(tmp.path().join("a"), &server.url, "Venue A", 24, None)
        .await
        .expect("venue A");
    let (b, _) = Venue::init(tmp.path().join("b"), &server.url, "Venue B", 24, None)
        .await
        .expect("venue B");
    server.shutdown().await;

    let for_a = wallet.present(&a.code_text(), "self").expect("present");
    let at_b = b.verify_text(&for_a.text).expect("verify at B");
    assert_eq!(
        at_b,
        Verdict::Reject(Rejection::Check(RejectReason::WrongVenue))
    );
    assert_eq!(
        at_b.line(Lang::En),
        format!("REJECT: {}", Msg::RejWrongVenue.text(Lang::En))
    );
    assert_eq!(at_b.exit_code(), EXIT_REFUSED);
    // B's refusal did not record the token, and A accepts it.
    assert!(b.seen().expect("seen").is_empty());
    let at_a = a.verify_text(&for_a.text).expect("verify at A");
    assert!(at_a.is_accept(), "{at_a:?}");
    assert_eq!(at_a.line(Lang::En), "ACCEPT");
    assert!(a
        .seen()
        .expect("seen")
        .contains(&for_a.presentation.token_id()));

    // The other token, shown for B, is accepted at B only.
    let for_b = wallet.present(&b.code_text(), "self").expect("present");
    assert_eq!(
        a.verify_text(&for_b.text).expect("verify at A"),
        Verdict::Reject(Rejection::Check(RejectReason::WrongVenue))
    );
    assert!(b.verify_text(&for_b.text).expect("verify at B").is_accept());
}
