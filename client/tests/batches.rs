//! A ticket redeemed in batches (issue 9, item 5): a server publishes how many tokens one
//! `start` may ask for (`max_batch` in `/v1/keys`); the wallet splits the ticket into that
//! many per batch, stores each batch before the next, asks again after a retryable refusal
//! (`overloaded`, `ticket_busy`, …), and says what it kept when a later batch is refused for
//! good.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use greenlight_api::{KeysResponse, StartRequest};
use greenlight_client::wallet::RedeemStep;
use greenlight_client::{ClientError, Msg, Wallet};
use greenlight_protocol::{Status, Ticket};
use greenlight_server::{EphemeralServer, FakeClock, ServerConfig, TicketRequest};
use greenlight_wallet::{issuing_key, HolderSecret, Redemption};
use rand::rngs::OsRng;

/// A server with `cap` open sessions, no per-ticket rate limit (so a 10-batch redeem is not
/// slowed to the limit's pace) and a clock the test can move.
async fn server(cap: usize, clock: &FakeClock) -> (EphemeralServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = ServerConfig::new(dir.path()).with_clock(clock.clone());
    config.max_open_sessions = cap;
    config.ticket_rate = None;
    (EphemeralServer::start_with(config).await.unwrap(), dir)
}

fn ticket(server: &EphemeralServer, req: TicketRequest) -> String {
    server.state().sign_ticket(&req).unwrap().text
}

/// Progress steps, recorded.
#[derive(Clone, Default)]
struct Steps(Arc<Mutex<Vec<RedeemStep>>>);

impl Steps {
    fn batches(&self) -> Vec<(usize, usize)> {
        let steps = self.0.lock().unwrap();
        steps
            .iter()
            .filter_map(|s| match s {
                RedeemStep::Batch { index, count } => Some((*index, *count)),
                _ => None,
            })
            .collect()
    }
    fn waits(&self) -> Vec<String> {
        let steps = self.0.lock().unwrap();
        steps
            .iter()
            .filter_map(|s| match s {
                RedeemStep::Waiting { code, .. } => Some(code.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Redeems `text` into the wallet's "self" profile, recording every progress step.
async fn redeem_recording(
    wallet: &Wallet,
    url: &str,
    text: &str,
) -> (Result<greenlight_client::RedeemReport, ClientError>, Steps) {
    let steps = Steps::default();
    let record = steps.clone();
    let report = wallet
        .redeem(url, text, "self", &move |s| {
            record.0.lock().unwrap().push(s)
        })
        .await;
    (report, steps)
}

async fn keys(url: &str) -> KeysResponse {
    reqwest::get(format!("{url}/v1/keys"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cap_of_one_redeems_a_ticket_one_token_per_batch() {
    let clock = FakeClock::at_system_time();
    let (server, _dir) = server(1, &clock).await;
    assert_eq!(keys(&server.url).await.max_batch, Some(1));

    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let text = ticket(
        &server,
        TicketRequest::new("batch-a", Status::Green).tokens(10),
    );
    let (report, steps) = redeem_recording(&wallet, &server.url, &text).await;
    let report = report.expect("a cap of 1 still redeems the whole ticket");
    assert_eq!((report.tokens_added, report.tokens_in_profile), (10, 10));
    assert_eq!(wallet.token_count("self").unwrap(), 10);
    assert_eq!(
        steps.batches(),
        (1..=10).map(|i| (i, 10)).collect::<Vec<_>>()
    );
    assert!(steps.waits().is_empty(), "nothing else was issuing");
    assert_eq!(server.state().open_sessions(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_default_server_takes_the_ticket_in_one_batch() {
    let clock = FakeClock::at_system_time();
    let (server, _dir) = server(ServerConfig::DEFAULT_MAX_OPEN_SESSIONS, &clock).await;
    assert_eq!(keys(&server.url).await.max_batch, Some(64));
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let text = ticket(
        &server,
        TicketRequest::new("batch-b", Status::Green).tokens(10),
    );
    let (report, steps) = redeem_recording(&wallet, &server.url, &text).await;
    let report = report.unwrap();
    assert_eq!(report.tokens_added, 10);
    assert!(steps.batches().is_empty(), "one batch is not announced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_server_is_asked_again_until_the_slot_frees() {
    let clock = FakeClock::at_system_time();
    let (server, _dir) = server(1, &clock).await;

    // Someone else's session holds the only slot (started, never answered).
    let other = ticket(&server, TicketRequest::new("batch-other", Status::Green));
    let keys_now = keys(&server.url).await;
    let list = greenlight_protocol::KeyList::from_text(&keys_now.key_list).unwrap();
    let root: [u8; 32] = hex::decode(&keys_now.root_public_key)
        .unwrap()
        .try_into()
        .unwrap();
    let trusted = greenlight_venue::TrustedKeyList::new(root, list).unwrap();
    let key_id: [u8; 8] = hex::decode(&keys_now.issuing_key_id)
        .unwrap()
        .try_into()
        .unwrap();
    let key = issuing_key(&trusted, &key_id, clock_now(&clock)).unwrap();
    let (_held, registrations) = Redemption::start_batch(
        &Ticket::from_text(&other).unwrap(),
        key,
        &HolderSecret::generate(&mut OsRng),
        1,
        &mut OsRng,
    )
    .unwrap();
    let started = reqwest::Client::new()
        .post(format!("{}/v1/issuance/start", server.url))
        .json(&StartRequest::new(&other, &registrations))
        .send()
        .await
        .unwrap();
    assert!(started.status().is_success());
    assert_eq!(server.state().open_sessions(), 1);

    // The wallet is refused (`overloaded`), waits, and asks again; once the other session has
    // expired (the server's clock moves past its 60 s) it gets the slot.
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let text = ticket(
        &server,
        TicketRequest::new("batch-c", Status::Green).tokens(2),
    );
    let steps = Steps::default();
    let record = steps.clone();
    let waited = Arc::new(AtomicBool::new(false));
    let flag = waited.clone();
    let url = server.url.clone();
    let redeem = tokio::spawn(async move {
        wallet
            .redeem(&url, &text, "self", &move |s| {
                if matches!(s, RedeemStep::Waiting { .. }) {
                    flag.store(true, Ordering::SeqCst);
                }
                record.0.lock().unwrap().push(s)
            })
            .await
            .map(|r| r.tokens_added)
    });
    while !waited.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    clock.advance(Duration::from_secs(61));
    let added = tokio::time::timeout(Duration::from_secs(60), redeem)
        .await
        .expect("the wallet gives up or succeeds within its retry budget")
        .unwrap()
        .expect("redeemed once the slot freed");
    assert_eq!(added, 2);
    let waits = steps.waits();
    assert!(
        !waits.is_empty() && waits.iter().all(|c| c == "overloaded"),
        "{waits:?}"
    );
}

fn clock_now(clock: &FakeClock) -> u64 {
    use greenlight_server::Clock;
    clock.now_unix()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_batch_refused_for_good_keeps_the_earlier_ones() {
    let clock = FakeClock::at_system_time();
    let (server, _dir) = server(2, &clock).await;
    let now = clock_now(&clock);
    let text = ticket(
        &server,
        TicketRequest::new("batch-d", Status::Green)
            .tokens(5)
            .not_before(now - 60),
    );
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    // When the second batch begins, the authority signs the subject a newer ticket: from then
    // on this one is superseded.
    let state = server.state().clone();
    let result = wallet
        .redeem(&server.url, &text, "self", &move |s| {
            if s == (RedeemStep::Batch { index: 2, count: 3 }) {
                state
                    .sign_and_record_ticket(&TicketRequest::new("batch-d", Status::Red))
                    .unwrap();
            }
        })
        .await;
    let err = result.unwrap_err();
    let ClientError::RedeemIncomplete { stored, asked, .. } = &err else {
        panic!("expected an incomplete redeem, got {err:?}");
    };
    assert_eq!((*stored, *asked), (2, 5));
    assert_eq!(
        wallet.token_count("self").unwrap(),
        2,
        "the first batch is kept"
    );
    assert_eq!(err.exit_code(), 1, "refused, like the refusal itself");
    let Msg::RedeemIncomplete { reason, .. } = err.message() else {
        panic!("{:?}", err.message());
    };
    assert!(reason.contains("replaced"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redeem_run_again_after_stopping_part_way_asks_for_what_is_left() {
    let clock = FakeClock::at_system_time();
    let (server, _dir) = server(ServerConfig::DEFAULT_MAX_OPEN_SESSIONS, &clock).await;
    let text = ticket(
        &server,
        TicketRequest::new("batch-e", Status::Green).tokens(5),
    );
    // An earlier redeem of this ticket stored 2 tokens and then failed: the issuer's record
    // says 3 are left.
    let body = Ticket::from_text(&text).unwrap().unverified_body().clone();
    let store = server.state().store().sled().unwrap();
    let digest = store.digest_key().ticket(&body.ticket_id());
    assert_eq!(
        store
            .reserve_tokens(&digest, 5, 2, body.not_after())
            .unwrap(),
        3
    );

    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let (report, steps) = redeem_recording(&wallet, &server.url, &text).await;
    let report = report.expect("the wallet asks for the 3 left instead of failing");
    assert_eq!(report.tokens_added, 3);
    assert_eq!(wallet.token_count("self").unwrap(), 3);
    // Asked for 5 (one batch), told 3 are left, asked for those.
    assert_eq!(steps.batches(), [(2, 2)]);
    // Nothing left now: the refusal stands.
    let again = wallet
        .redeem(&server.url, &text, "self", &|_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(
            &again,
            ClientError::Http(greenlight_client::http::HttpError::Server {
                code: greenlight_api::ServerCode::Known(greenlight_api::ErrorCode::QuotaExceeded),
                remaining: Some(0),
                ..
            })
        ),
        "{again:?}"
    );
}
