//! Twenty wallets redeeming at once against the real issuer (`EphemeralServer`, real HTTP on a
//! loopback port), through the real wallet code.
//!
//! Ten tickets with a quota of 3, each shared by two wallets, and every wallet asks for its
//! ticket's full count: on each ticket the two requests race for the same 3 tokens, so one
//! wins and the other must get `quota_exceeded`. (Since a ticket has one open session at a
//! time, the loser is usually refused `ticket_busy` first and retries; the quota decision
//! itself then runs one after the other. The store-level race of reservations is
//! `greenlight-revocation`'s `quota_is_never_exceeded_by_20_concurrent_callers`, and across
//! nodes `greenlight-store-pg`'s `two_nodes_never_mint_more_than_the_quota`.) The test then checks, from what is actually
//! stored in the wallet files:
//!
//! - no ticket mints more than its quota (tokens stored by its two wallets ≤ 3);
//! - no redeem is lost: every redeem that returned `Ok` has exactly its tokens in its wallet,
//!   every stored token is shown and verifies at a venue (each exactly once), and the tokens
//!   stored equal the tokens the server granted — both by its durable quota records and by its
//!   `greenlight_tokens_issued_total` counter.

use std::collections::HashSet;
use std::sync::Arc;

use greenlight_client::http::{ErrorCode, HttpError, ServerCode};
use greenlight_client::{ClientError, RedeemStep, Venue, Wallet};
use greenlight_protocol::Status;
use greenlight_server::{EphemeralServer, TicketRequest};
use tokio::sync::Barrier;
use tokio::task::JoinSet;

const TICKETS: usize = 10;
const WALLETS_PER_TICKET: usize = 2;
const QUOTA: u16 = 3;

fn quiet(_: RedeemStep) {}

/// `greenlight_tokens_issued_total` from the server's `/metrics` (the operator's, with the
/// admin token).
async fn tokens_issued_metric(url: &str, admin_token: &str) -> u64 {
    let body = reqwest::Client::new()
        .get(format!("{url}/metrics"))
        .bearer_auth(admin_token)
        .send()
        .await
        .expect("GET /metrics")
        .text()
        .await
        .expect("metrics body");
    body.lines()
        .find_map(|l| l.strip_prefix("greenlight_tokens_issued_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no greenlight_tokens_issued_total in\n{body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_wallets_redeem_concurrently_without_overshoot_or_loss() {
    // The production configuration, rate limits included: 20 starts from one address and two
    // per ticket are within the default bursts (60 per client, 4 per ticket).
    let server = EphemeralServer::start().await.expect("server");
    let tmp = tempfile::tempdir().expect("tempdir");

    let tickets: Vec<_> = (0..TICKETS)
        .map(|i| {
            server
                .state()
                .sign_ticket(&TicketRequest::new(format!("race-{i}"), Status::Green).tokens(QUOTA))
                .expect("ticket")
        })
        .collect();

    let wallet_count = TICKETS * WALLETS_PER_TICKET;
    let barrier = Arc::new(Barrier::new(wallet_count));
    let mut tasks = JoinSet::new();
    for w in 0..wallet_count {
        let ticket_index = w % TICKETS;
        let ticket = tickets[ticket_index].text.clone();
        let url = server.url.clone();
        let dir = tmp.path().join(format!("wallet-{w:02}"));
        let barrier = barrier.clone();
        tasks.spawn(async move {
            let wallet = Wallet::open(&dir).expect("wallet");
            barrier.wait().await;
            let result = wallet.redeem(&url, &ticket, "self", &quiet).await;
            (w, ticket_index, wallet, result)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        outcomes.push(joined.expect("redeem task panicked"));
    }
    outcomes.sort_by_key(|(w, ..)| *w);

    let mut stored_per_ticket = [0usize; TICKETS];
    let mut ok_per_ticket = [0usize; TICKETS];
    let mut refused_per_ticket = [0usize; TICKETS];
    for (w, t, wallet, result) in &outcomes {
        let stored = wallet.token_count("self").expect("token count");
        match result {
            Ok(report) => {
                ok_per_ticket[*t] += 1;
                assert_eq!(report.tokens_added, usize::from(QUOTA), "wallet {w}");
                assert_eq!(report.tokens_in_profile, report.tokens_added, "wallet {w}");
                assert_eq!(stored, report.tokens_added, "wallet {w} lost tokens");
            }
            Err(ClientError::Http(HttpError::Server {
                status: 409,
                code: ServerCode::Known(ErrorCode::QuotaExceeded),
                message,
                ..
            })) => {
                refused_per_ticket[*t] += 1;
                assert!(!message.is_empty(), "wallet {w}: empty server message");
                assert_eq!(stored, 0, "wallet {w} was refused but holds tokens");
            }
            Err(other) => panic!("wallet {w}: unexpected error {other:?}"),
        }
        stored_per_ticket[*t] += stored;
    }

    let mut granted_total = 0usize;
    for (t, signed) in tickets.iter().enumerate() {
        assert!(
            stored_per_ticket[t] <= usize::from(QUOTA),
            "ticket {t} minted {} tokens, quota {QUOTA}",
            stored_per_ticket[t]
        );
        // Both wallets asked for the whole quota: exactly one can have it.
        assert_eq!(
            (ok_per_ticket[t], refused_per_ticket[t]),
            (1, 1),
            "ticket {t}: successes and quota refusals"
        );
        let remaining = server
            .state()
            .store()
            .remaining_tokens(signed.ticket_id)
            .expect("store")
            .expect("the ticket has a quota record");
        let granted = usize::from(QUOTA - remaining);
        assert_eq!(
            granted, stored_per_ticket[t],
            "ticket {t}: the server granted {granted}, the wallets hold {}",
            stored_per_ticket[t]
        );
        granted_total += granted;
    }
    let stored_total: usize = stored_per_ticket.iter().sum();
    assert_eq!(stored_total, TICKETS * usize::from(QUOTA));
    assert_eq!(stored_total, granted_total);
    assert_eq!(
        tokens_issued_metric(&server.url, &server.admin_token).await,
        stored_total as u64,
        "tokens issued by the server's counter vs tokens stored"
    );

    // Every stored token is shown once and verifies; token ids never repeat.
    let (venue, _) = Venue::init(tmp.path().join("venue"), &server.url, "Stadium", 24, None)
        .await
        .expect("venue");
    server.shutdown().await;
    let mut ids = HashSet::new();
    for (w, _, wallet, _) in &outcomes {
        while wallet.token_count("self").expect("token count") > 0 {
            let shown = wallet.present(&venue.code_text(), "self").expect("present");
            let verdict = venue.verify_text(&shown.text).expect("verify");
            assert!(verdict.is_accept(), "wallet {w}: {verdict:?}");
            assert!(
                ids.insert(shown.presentation.token_id()),
                "wallet {w}: a token id was seen twice"
            );
        }
    }
    assert_eq!(ids.len(), stored_total);
    assert_eq!(venue.seen().expect("seen").len(), stored_total);
}
