//! Crash safety of the real `greenlight-server` binary (issue 4, item 5).
//!
//! Three rounds on one data directory. In each, a storm of revocations (120 distinct subjects,
//! 8 at a time) and redemptions (20 tickets with a quota of 3, five concurrent attempts of 1 or
//! 2 tokens on each, spread over 150 ms; an attempt that meets another one's open session is
//! refused with `ticket_busy` and reserves nothing) is sent, and the server is SIGKILLed while both are in
//! flight — at the first acknowledged start, then once about a quarter of the revocations and
//! a third of the starts are acknowledged, then about half and two thirds. The server is
//! restarted on the same directory and the test checks, for this round and every earlier one:
//!
//! - every revocation the client saw acknowledged (200) is in force: a new `start` for that
//!   subject is refused with 403 `subject_revoked`;
//! - every acknowledged reservation (`start` → 200) is still counted: the tokens the ticket can
//!   still mint, `remaining`, satisfy `acknowledged + remaining ≤ quota`, and the only tokens
//!   unaccounted for (`quota − acknowledged − remaining`) are from attempts whose answer was
//!   lost in the crash (the server may have reserved those: reserving before answering is
//!   the safe order). Where no attempt was lost, `remaining` is exactly `quota − acknowledged`;
//! - no ticket mints beyond its quota: tokens un-blinded before the crash plus those minted
//!   after it are at most the quota, and once exhausted a ticket stays refused
//!   (409 `quota_exceeded`) across later crashes.
//!
//! The binary is `CARGO_BIN_EXE_greenlight-server`: this test lives in the server package, so
//! Cargo builds the binary before it and names its path. The HTTP client and the child-process
//! helper come from the e2e package (`greenlight_e2e::{client, process}`, a dev-dependency that
//! does not itself link this crate).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::IssuerPublicKey;
use greenlight_e2e::{read_admin_token, Api, ClientError, Prepared, ServerProcess};
use rand::rngs::OsRng;
use tokio::sync::Notify;
use tokio::task::JoinSet;

const TICKETS: usize = 20;
const QUOTA: u16 = 3;
/// Sizes of the concurrent attempts on each ticket (sum 7 > quota 3, so they race).
const ATTEMPTS: [u16; 5] = [1, 2, 1, 2, 1];
const REVOCATIONS: usize = 120;
const REVOKERS: usize = 8;
/// Redemption attempts start at random moments over this span, and each revoker pauses up to
/// `PACE` between its revocations, so that both streams last about as long and are both in
/// flight at the kills.
const SPREAD: Duration = Duration::from_millis(150);
const PACE: Duration = Duration::from_millis(5);
/// The three kill moments: at the first acknowledged start; then once 30 revocations and 15
/// starts are acknowledged; then once 60 and 30 are (of about 120 and 45 per round).
const KILL_AT: [KillAt; 3] = [
    KillAt {
        revocations: 0,
        starts: 1,
    },
    KillAt {
        revocations: 30,
        starts: 15,
    },
    KillAt {
        revocations: 60,
        starts: 30,
    },
];

/// The server runs without rate limits: every request comes from 127.0.0.1 and five attempts
/// hit one ticket at once, which the production limits would (rightly) refuse.
const SERVER_ARGS: &[&str] = &["--ticket-rate", "0", "--client-rate", "0"];

/// One ticket of the quota storm and what the client saw.
#[derive(Default)]
struct QuotaTicket {
    ticket: String,
    /// Tokens of `start`s answered 200.
    acked: u16,
    /// Tokens of `start`s that got no answer (the crash).
    unknown: u16,
    /// Tokens un-blinded and verified before the crash.
    minted: u16,
}

/// One subject of the revocation storm.
struct Subject {
    name: String,
    /// A ticket for the subject (quota 2), to test the revocation after the restart.
    ticket: String,
    /// The revocation was answered 200.
    acked: bool,
    /// The revocation was sent and got no answer.
    unknown: bool,
}

/// Outcome of one `start` attempt in the storm.
enum Attempt {
    /// 200; `minted` tokens were un-blinded (0 if the finish was cut by the crash).
    Acked { n: u16, minted: u16 },
    /// 409 quota_exceeded.
    Refused,
    /// No answer.
    Unknown { n: u16 },
}

/// When to kill: once at least this many revocations and starts are acknowledged.
#[derive(Clone, Copy, Debug)]
struct KillAt {
    revocations: usize,
    starts: usize,
}

/// Counts acknowledgements and wakes the killer at the threshold.
struct Progress {
    revocations: AtomicUsize,
    starts: AtomicUsize,
    /// Storm tasks that have ended.
    finished: AtomicUsize,
    kill_at: KillAt,
    reached: Notify,
}

impl Progress {
    fn ack(&self, counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::SeqCst);
        if self.met() {
            self.reached.notify_one();
        }
    }

    fn met(&self) -> bool {
        self.revocations.load(Ordering::SeqCst) >= self.kill_at.revocations
            && self.starts.load(Ordering::SeqCst) >= self.kill_at.starts
    }
}

fn fail(server: Option<&ServerProcess>, msg: String) -> ! {
    let log = server.map(|s| s.log_tail()).unwrap_or_default();
    panic!("{msg}\n--- server log (tail) ---\n{log}");
}

async fn start_server(bin: &Path, data: &Path, log: &Path) -> (ServerProcess, Api) {
    let server = ServerProcess::start(bin, data, SERVER_ARGS, log)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let token = read_admin_token(data).unwrap_or_else(|e| fail(Some(&server), e));
    let api = Api::new(server.url.clone(), Some(token), 64).unwrap();
    (server, api)
}

/// A one-token registration for `ticket` (a fresh holder).
fn prepare(pk: &IssuerPublicKey, ticket: &str, n: u16) -> Prepared {
    Prepared::new(pk, ticket, &Scalar::random(&mut OsRng), usize::from(n)).unwrap()
}

/// The storm: revocations and redemption attempts all at once; SIGKILL when `progress`
/// reaches its threshold (or, failing that, when the storm is over). Fills in what the client
/// saw and returns how many operations ended without an answer.
async fn storm(
    server: ServerProcess,
    api: &Api,
    pk: &IssuerPublicKey,
    tickets: &mut [QuotaTicket],
    subjects: &mut [Subject],
    kill_at: KillAt,
) -> usize {
    let progress = Arc::new(Progress {
        revocations: AtomicUsize::new(0),
        starts: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
        kill_at,
        reached: Notify::new(),
    });

    // Everything expensive on the client is computed before the first request.
    let mut redemptions = JoinSet::new();
    let mut prepared = Vec::new();
    for (t, qt) in tickets.iter().enumerate() {
        for &n in &ATTEMPTS {
            prepared.push((t, n, prepare(pk, &qt.ticket, n)));
        }
    }
    let queue = Arc::new(std::sync::Mutex::new(
        subjects
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.name.clone()))
            .rev()
            .collect::<Vec<_>>(),
    ));

    let tasks = prepared.len() + REVOKERS;
    let go = Arc::new(tokio::sync::Barrier::new(tasks + 1));
    for (t, n, p) in prepared {
        let (api, progress, go) = (api.clone(), progress.clone(), go.clone());
        let delay = SPREAD.mul_f64(rand::random::<f64>());
        redemptions.spawn(async move {
            go.wait().await;
            tokio::time::sleep(delay).await;
            let outcome = match p.start(&api).await {
                Ok(started) => {
                    progress.ack(&progress.starts);
                    let minted = match started.finish(&api).await {
                        Ok(tokens) => {
                            assert_eq!(tokens.len(), usize::from(n));
                            n
                        }
                        // The session died with the server; its tokens stay reserved.
                        Err(e) if e.is_transport() => 0,
                        Err(e) => panic!("finish refused: {e}"),
                    };
                    Attempt::Acked { n, minted }
                }
                // Refused before anything was reserved: the quota is spent, or another
                // attempt on the ticket holds its one open session (`ticket_busy`).
                Err(ClientError::Refused { status: 409, code })
                    if code == "quota_exceeded" || code == "ticket_busy" =>
                {
                    Attempt::Refused
                }
                Err(e) if e.is_transport() => Attempt::Unknown { n },
                Err(e) => panic!("start refused unexpectedly: {e}"),
            };
            progress.finished.fetch_add(1, Ordering::SeqCst);
            (t, outcome)
        });
    }
    let mut revokers = JoinSet::new();
    for _ in 0..REVOKERS {
        let (api, progress, go, queue) = (api.clone(), progress.clone(), go.clone(), queue.clone());
        revokers.spawn(async move {
            go.wait().await;
            let mut seen = Vec::new();
            loop {
                tokio::time::sleep(PACE.mul_f64(rand::random::<f64>())).await;
                let next = queue.lock().unwrap().pop();
                let Some((i, name)) = next else { break };
                match api.revoke(&name).await {
                    Ok(r) => {
                        assert!(r.subject_revoked);
                        progress.ack(&progress.revocations);
                        seen.push((i, true));
                    }
                    Err(e) if e.is_transport() => {
                        // The server is gone: the rest of the queue is never sent.
                        seen.push((i, false));
                        break;
                    }
                    Err(e) => panic!("revocation refused: {e}"),
                }
            }
            progress.finished.fetch_add(1, Ordering::SeqCst);
            seen
        });
    }

    let began = Instant::now();
    go.wait().await;
    // Kill at the threshold; if the storm finishes first (it should not), kill after it.
    let storm_done = async {
        while !progress.met() && progress.finished.load(Ordering::SeqCst) < tasks {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::select! {
        () = progress.reached.notified() => {},
        () = storm_done => {},
        () = tokio::time::sleep(Duration::from_secs(20)) => {},
    }
    let acks_at_kill = (
        progress.revocations.load(Ordering::SeqCst),
        progress.starts.load(Ordering::SeqCst),
    );
    server.kill().await.unwrap();
    let killed_after = began.elapsed();

    let mut unanswered = 0;
    while let Some(joined) = redemptions.join_next().await {
        let (t, outcome) = joined.unwrap();
        match outcome {
            Attempt::Acked { n, minted } => {
                tickets[t].acked += n;
                tickets[t].minted += minted;
            }
            Attempt::Refused => {}
            Attempt::Unknown { n } => {
                tickets[t].unknown += n;
                unanswered += 1;
            }
        }
    }
    while let Some(joined) = revokers.join_next().await {
        for (i, acked) in joined.unwrap() {
            subjects[i].acked = acked;
            subjects[i].unknown = !acked;
            unanswered += usize::from(!acked);
        }
    }
    println!(
        "  killed after {killed_after:?} at {acks_at_kill:?} (revocations, starts) acknowledged \
         (threshold {kill_at:?}); finally \
         {} revocations and {} reserved tokens acknowledged, {unanswered} operations unanswered",
        subjects.iter().filter(|s| s.acked).count(),
        tickets.iter().map(|t| t.acked).sum::<u16>(),
    );
    unanswered
}

/// After the restart: the checks of the module docs for one round's tickets and subjects.
async fn verify_round(
    server: &ServerProcess,
    api: &Api,
    pk: &IssuerPublicKey,
    tickets: &mut [QuotaTicket],
    subjects: &[Subject],
    latest: bool,
) {
    for s in subjects.iter().filter(|s| s.acked) {
        match prepare(pk, &s.ticket, 1).start(api).await {
            Err(ClientError::Refused { status: 403, code }) if code == "subject_revoked" => {}
            Err(e) => fail(
                Some(server),
                format!("acknowledged revocation of {}: start got {e}", s.name),
            ),
            Ok(_) => fail(
                Some(server),
                format!(
                    "acknowledged revocation of {} was lost: start succeeded",
                    s.name
                ),
            ),
        }
    }
    // Revocations never sent: the subject is not revoked (checked once: it uses the quota).
    for s in subjects.iter().filter(|s| latest && !s.acked && !s.unknown) {
        if let Err(e) = prepare(pk, &s.ticket, 1).start(api).await {
            fail(
                Some(server),
                format!("{} was never revoked, yet start got {e}", s.name),
            );
        }
    }

    for (i, qt) in tickets.iter_mut().enumerate() {
        if latest {
            // Find what remains: the largest n ≤ quota − acknowledged that the server grants.
            // Refused probes change nothing; the granted one takes the rest.
            let bound = QUOTA.checked_sub(qt.acked).unwrap_or_else(|| {
                fail(
                    Some(server),
                    format!(
                        "ticket {i}: {} tokens acknowledged, quota {QUOTA}",
                        qt.acked
                    ),
                )
            });
            let mut remaining = 0;
            for n in (1..=bound).rev() {
                match prepare(pk, &qt.ticket, n).start(api).await {
                    Ok(started) => {
                        let tokens = started.finish(api).await.unwrap_or_else(|e| {
                            fail(
                                Some(server),
                                format!("ticket {i}: finish after restart: {e}"),
                            )
                        });
                        assert_eq!(tokens.len(), usize::from(n));
                        qt.minted += n;
                        remaining = n;
                        break;
                    }
                    Err(ClientError::Refused { status: 409, code }) if code == "quota_exceeded" => {
                    }
                    Err(e) => fail(Some(server), format!("ticket {i}: probe of {n}: {e}")),
                }
            }
            let lost = QUOTA - qt.acked - remaining;
            if lost > qt.unknown {
                fail(
                    Some(server),
                    format!(
                        "ticket {i}: {} acknowledged + {remaining} remaining < quota {QUOTA}, \
                         but only {} tokens were in unanswered starts",
                        qt.acked, qt.unknown
                    ),
                );
            }
            if qt.unknown == 0 {
                assert_eq!(remaining, QUOTA - qt.acked, "ticket {i}");
            }
        }
        assert!(
            qt.minted <= QUOTA,
            "ticket {i} minted {} > quota {QUOTA}",
            qt.minted
        );
        // Exhausted, and stays so.
        match prepare(pk, &qt.ticket, 1).start(api).await {
            Err(ClientError::Refused { status: 409, code }) if code == "quota_exceeded" => {}
            Err(e) => fail(Some(server), format!("ticket {i}: last start got {e}")),
            Ok(_) => fail(
                Some(server),
                format!("ticket {i}: minted beyond its quota after the restart"),
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_revocations_and_redemptions_loses_nothing_acknowledged() {
    let bin = Path::new(env!("CARGO_BIN_EXE_greenlight-server"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = dir.path().join("server.log");
    let began = Instant::now();

    let (mut server, mut api) = start_server(bin, &data, &log).await;
    let mut history: Vec<(Vec<QuotaTicket>, Vec<Subject>)> = Vec::new();

    for (round, &kill_at) in KILL_AT.iter().enumerate() {
        let pk = api.issuer_key().await.unwrap();
        let mut tickets = Vec::new();
        for i in 0..TICKETS {
            let ticket = api
                .create_ticket(&format!("crash-r{round}-quota-{i}"), QUOTA)
                .await
                .unwrap();
            tickets.push(QuotaTicket {
                ticket,
                ..QuotaTicket::default()
            });
        }
        let mut subjects = Vec::new();
        for i in 0..REVOCATIONS {
            let name = format!("crash-r{round}-revoked-{i}");
            let ticket = api.create_ticket(&name, 2).await.unwrap();
            subjects.push(Subject {
                name,
                ticket,
                acked: false,
                unknown: false,
            });
        }

        println!("round {}:", round + 1);
        let unanswered = storm(server, &api, &pk, &mut tickets, &mut subjects, kill_at).await;
        // The kill must have interrupted something, or the round showed nothing about crashes.
        assert!(
            unanswered > 0,
            "round {}: nothing was in flight at the kill",
            round + 1
        );

        (server, api) = start_server(bin, &data, &log).await;
        let pk_after = api.issuer_key().await.unwrap();
        assert_eq!(
            pk_after.key_id(),
            pk.key_id(),
            "the issuing key changed across the crash"
        );
        history.push((tickets, subjects));
        let last = history.len() - 1;
        for (r, (tickets, subjects)) in history.iter_mut().enumerate() {
            verify_round(&server, &api, &pk_after, tickets, subjects, r == last).await;
        }
    }
    server.kill().await.unwrap();

    println!("{} crash rounds in {:?}", KILL_AT.len(), began.elapsed());
}
