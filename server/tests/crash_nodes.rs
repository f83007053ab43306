//! Two `greenlight-server` processes of one region on one PostgreSQL (`--database-url`):
//! one is SIGKILLed in the middle of a storm of revocations and redemptions — each redemption
//! started on one node and finished on the other — and PostgreSQL itself is then restarted
//! under load. Checked, through the surviving node and the database:
//!
//! - the surviving node keeps serving: none of the requests sent to it fails, during or
//!   after the kill, and a fresh ticket redeems on it afterwards;
//! - no acknowledged write is lost: every acknowledged revocation is in force (`start` →
//!   403 `subject_revoked`), and every ticket's quota record satisfies `acknowledged +
//!   remaining ≤ quota`, with the difference covered by starts whose answer was lost;
//! - no session is answered twice: a session whose `finish` died with the killed node is
//!   answered by the survivor at most once (200 or, if the dead node had already taken it,
//!   `unknown_session`), and never again; no ticket mints beyond its quota;
//! - PostgreSQL restarted (immediate stop, start) during load: every request is answered
//!   — 200 or `503 overloaded` with Retry-After, never a hang or a 500 — and issuance
//!   resumes on the same process without a restart.
//!
//! The PostgreSQL cluster is a throw-away one run as the `postgres` user (`cluster`).

#[path = "../../crates/greenlight-store-pg/tests/cluster/mod.rs"]
mod cluster;
mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cluster::Cluster;
use curve25519_dalek::scalar::Scalar;
use greenlight_acl::IssuerPublicKey;
use greenlight_e2e::{read_admin_token, unblind, Api, ClientError, Prepared, ServerProcess};
use greenlight_issuance::{DigestKey, Store as _};
use greenlight_store_pg::PgStore;
use rand::rngs::OsRng;
use tokio::task::JoinSet;

const TICKETS: usize = 16;
const QUOTA: u16 = 3;
/// Concurrent attempts on each ticket (sum 7 > quota 3, so they race).
const ATTEMPTS: [u16; 5] = [1, 2, 1, 2, 1];
const REVOCATIONS: usize = 60;
/// Kill node A once this many revocations and starts are acknowledged.
const KILL_AT: (usize, usize) = (15, 8);

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_greenlight-server"))
}

async fn node(data: &Path, url: &str, log: &Path) -> (ServerProcess, Api) {
    let server = ServerProcess::start(
        &bin(),
        data,
        &[
            "--ticket-rate",
            "0",
            "--client-rate",
            "0",
            "--database-url",
            url,
            "--database-pool",
            "8",
        ],
        log,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let token = read_admin_token(data).unwrap();
    let api = Api::new(server.url.clone(), Some(token), 64).unwrap();
    (server, api)
}

fn prepare(pk: &IssuerPublicKey, ticket: &str, n: u16) -> Prepared {
    Prepared::new(pk, ticket, &Scalar::random(&mut OsRng), usize::from(n)).unwrap()
}

/// What one redemption attempt of the storm saw.
#[derive(Default)]
struct Seen {
    /// Tokens of a `start` answered 200.
    acked: u16,
    /// Tokens of a `start` sent and never answered.
    unknown: u16,
    /// Tokens un-blinded and verified.
    minted: u16,
    /// A session whose `finish` got no answer (its node died): the holder state to try it on
    /// the survivor.
    pending: Option<(greenlight_testkit::Challenged, String, String)>,
    /// A request sent to the node that was *not* killed failed: it must never happen.
    survivor_failed: Option<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_under_load_loses_nothing_and_the_other_keeps_serving() {
    let cluster = Cluster::start();
    let url = cluster.database("nodes");
    let tmp = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (a, api_a) = node(&dir_a, &url, &tmp.path().join("a.log")).await;
    // Node B: another machine of the region, with node A's keys.
    std::fs::create_dir(&dir_b).unwrap();
    common::copy_node_files(&dir_a, &dir_b);
    let (b, api_b) = node(&dir_b, &url, &tmp.path().join("b.log")).await;
    let pk = api_a.issuer_key().await.unwrap();
    assert_eq!(pk.key_id(), api_b.issuer_key().await.unwrap().key_id());

    let mut tickets = Vec::new();
    for i in 0..TICKETS {
        tickets.push(
            api_a
                .create_ticket(&format!("quota-{i}"), QUOTA)
                .await
                .unwrap(),
        );
    }
    let mut subjects = Vec::new();
    for i in 0..REVOCATIONS {
        let name = format!("revoked-{i}");
        let ticket = api_b.create_ticket(&name, 2).await.unwrap();
        subjects.push((name, ticket));
    }

    // ---- the storm; node A is killed part-way --------------------------------------------
    let acked_revocations = Arc::new(AtomicUsize::new(0));
    let acked_starts = Arc::new(AtomicUsize::new(0));
    let go = Arc::new(tokio::sync::Barrier::new(
        TICKETS * ATTEMPTS.len() + REVOCATIONS + 1,
    ));
    let mut redemptions = JoinSet::new();
    for (t, ticket) in tickets.iter().enumerate() {
        for (k, &n) in ATTEMPTS.iter().enumerate() {
            // Start on one node, finish on the other; half the starts go to each.
            let (first, second, first_is_a) = if (t + k) % 2 == 0 {
                (api_a.clone(), api_b.clone(), true)
            } else {
                (api_b.clone(), api_a.clone(), false)
            };
            let prepared = prepare(&pk, ticket, n);
            let (go, acked) = (go.clone(), acked_starts.clone());
            let delay = Duration::from_millis(rand::random::<u64>() % 300);
            redemptions.spawn(async move {
                go.wait().await;
                tokio::time::sleep(delay).await;
                let mut seen = Seen::default();
                let started = match prepared.start(&first).await {
                    Ok(s) => s,
                    Err(ClientError::Refused { status: 409, .. }) => return (t, seen),
                    Err(e) if e.is_transport() && first_is_a => {
                        seen.unknown = n;
                        return (t, seen);
                    }
                    Err(e) => {
                        seen.survivor_failed = Some(format!("start: {e}"));
                        return (t, seen);
                    }
                };
                seen.acked = n;
                acked.fetch_add(1, Ordering::SeqCst);
                let (holder, session, challenges) = started.challenge().unwrap();
                match second.finish_raw(&session, &challenges).await {
                    Ok(answers) => {
                        assert_eq!(unblind(holder, &answers).unwrap().len(), usize::from(n));
                        seen.minted = n;
                    }
                    Err(e) if e.is_transport() && !first_is_a => {
                        seen.pending = Some((holder, session, challenges));
                    }
                    Err(e) => seen.survivor_failed = Some(format!("finish: {e}")),
                }
                (t, seen)
            });
        }
    }
    let mut revokers = JoinSet::new();
    for (i, (name, _)) in subjects.iter().enumerate() {
        let (api, on_a) = if i % 2 == 0 {
            (api_a.clone(), true)
        } else {
            (api_b.clone(), false)
        };
        let (go, acked, name) = (go.clone(), acked_revocations.clone(), name.clone());
        let delay = Duration::from_millis(rand::random::<u64>() % 300);
        revokers.spawn(async move {
            go.wait().await;
            tokio::time::sleep(delay).await;
            match api.revoke(&name).await {
                Ok(_) => {
                    acked.fetch_add(1, Ordering::SeqCst);
                    (i, Ok(true))
                }
                Err(e) if e.is_transport() && on_a => (i, Ok(false)),
                Err(e) => (i, Err(format!("revoke on the survivor: {e}"))),
            }
        });
    }
    go.wait().await;
    let waited = Instant::now();
    while (acked_revocations.load(Ordering::SeqCst) < KILL_AT.0
        || acked_starts.load(Ordering::SeqCst) < KILL_AT.1)
        && waited.elapsed() < Duration::from_secs(20)
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let at_kill = (
        acked_revocations.load(Ordering::SeqCst),
        acked_starts.load(Ordering::SeqCst),
    );
    a.kill().await.unwrap();

    let mut seen: Vec<Seen> = (0..TICKETS).map(|_| Seen::default()).collect();
    let mut pending = Vec::new();
    while let Some(joined) = redemptions.join_next().await {
        let (t, s) = joined.unwrap();
        if let Some(why) = s.survivor_failed {
            panic!(
                "a request to the surviving node failed: {why}\n{}",
                b.log_tail()
            );
        }
        seen[t].acked += s.acked;
        seen[t].unknown += s.unknown;
        seen[t].minted += s.minted;
        if let Some(p) = s.pending {
            pending.push((t, s.acked, p));
        }
    }
    let mut revoked = [false; REVOCATIONS];
    while let Some(joined) = revokers.join_next().await {
        let (i, outcome) = joined.unwrap();
        revoked[i] = outcome.unwrap_or_else(|why| panic!("{why}\n{}", b.log_tail()));
    }
    println!(
        "killed node A at {at_kill:?} (revocations, starts) acknowledged; {} revocations and \
         {} reserved tokens acknowledged in all, {} finishes cut off",
        revoked.iter().filter(|r| **r).count(),
        seen.iter().map(|s| s.acked).sum::<u16>(),
        pending.len()
    );

    // ---- what the survivor and the database say --------------------------------------------
    // Sessions whose finish died with node A: answered by B at most once.
    let mut answered_late = 0;
    for (t, n, (holder, session, challenges)) in pending {
        match api_b.finish_raw(&session, &challenges).await {
            Ok(answers) => {
                assert_eq!(unblind(holder, &answers).unwrap().len(), usize::from(n));
                seen[t].minted += n;
                answered_late += 1;
            }
            Err(e) if e.code() == "unknown_session" => {}
            Err(e) => panic!("finishing a cut-off session on the survivor: {e}"),
        }
        let again = api_b.finish_raw(&session, &challenges).await.unwrap_err();
        assert_eq!(again.code(), "unknown_session", "a session answered twice");
    }
    println!("{answered_late} cut-off sessions answered by the surviving node");

    for (i, (name, ticket)) in subjects.iter().enumerate().filter(|(i, _)| revoked[*i]) {
        match prepare(&pk, ticket, 1).start(&api_b).await {
            Err(e) if e.code() == "subject_revoked" => {}
            other => panic!(
                "acknowledged revocation {i} of {name} lost: {:?}",
                other.map(|_| "start succeeded")
            ),
        }
    }

    let key = std::fs::read_to_string(dir_a.join("store.key")).unwrap();
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(key.trim(), &mut bytes).unwrap();
    let store = PgStore::connect(&url, DigestKey::from_bytes(&bytes), 1)
        .await
        .unwrap();
    for (t, ticket) in tickets.iter().enumerate() {
        let id = greenlight_protocol::Ticket::from_text(ticket)
            .unwrap()
            .unverified_body()
            .ticket_id();
        let remaining = store
            .remaining_tokens(&store.digest_key().ticket(&id))
            .await
            .unwrap()
            .unwrap_or(QUOTA);
        let s = &seen[t];
        assert!(
            s.acked + remaining <= QUOTA,
            "ticket {t}: {} acked + {remaining} left",
            s.acked
        );
        assert!(
            QUOTA - s.acked - remaining <= s.unknown,
            "ticket {t}: acknowledged reservations lost ({} acked, {remaining} left, {} unanswered)",
            s.acked,
            s.unknown
        );
        assert!(
            s.minted <= s.acked,
            "ticket {t}: {} minted of {} reserved",
            s.minted,
            s.acked
        );
    }
    let fresh = api_b.create_ticket("after-the-kill", 2).await.unwrap();
    assert_eq!(
        api_b.redeem(&fresh).await.unwrap().len(),
        2,
        "the survivor serves"
    );

    // ---- PostgreSQL restarted under load -------------------------------------------------------
    let mut fresh_tickets = Vec::new();
    // Enough for 4 workers pacing one redeem per 50 ms over the 6 s run.
    for i in 0..400 {
        fresh_tickets.push(
            api_b
                .create_ticket(&format!("restart-{i}"), 1)
                .await
                .unwrap(),
        );
    }
    let queue = Arc::new(std::sync::Mutex::new(fresh_tickets));
    let mut load = JoinSet::new();
    let stop_at = Instant::now() + Duration::from_secs(6);
    for _ in 0..4 {
        let (api, queue) = (api_b.clone(), queue.clone());
        load.spawn(async move {
            let (mut ok, mut unavailable, mut slowest) = (0, 0, Duration::ZERO);
            while Instant::now() < stop_at {
                let Some(ticket) = queue.lock().unwrap().pop() else {
                    break;
                };
                let sent = Instant::now();
                match api.redeem(&ticket).await {
                    Ok(_) => ok += 1,
                    Err(ClientError::Refused { status: 503, code }) if code == "overloaded" => {
                        unavailable += 1;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    // A start that reached the database just before it went away may have
                    // reserved the ticket's token, or left its session row until it expires.
                    Err(ClientError::Refused { status: 409, code })
                        if code == "quota_exceeded" || code == "ticket_busy" => {}
                    Err(e) => panic!("during the database restart: {e}"),
                }
                slowest = slowest.max(sent.elapsed());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (ok, unavailable, slowest)
        });
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    cluster.stop();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    cluster.resume();
    let (mut ok, mut unavailable, mut slowest) = (0, 0, Duration::ZERO);
    while let Some(joined) = load.join_next().await {
        let (o, u, s) = joined.unwrap();
        ok += o;
        unavailable += u;
        slowest = slowest.max(s);
    }
    println!(
        "database restart under load: {ok} redeems served, {unavailable} answered 503, slowest \
         request {slowest:?}"
    );
    assert!(
        unavailable > 0,
        "the outage was not seen: the test measured nothing"
    );
    assert!(
        slowest < Duration::from_secs(15),
        "a request hung for {slowest:?}"
    );
    // Recovered without a restart.
    let mut recovered = false;
    for i in 0..40 {
        let ticket = api_b.create_ticket(&format!("recovered-{i}"), 1).await;
        if let Ok(ticket) = ticket {
            if api_b.redeem(&ticket).await.is_ok() {
                recovered = true;
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        recovered,
        "no issuance after the database came back\n{}",
        b.log_tail()
    );
}
