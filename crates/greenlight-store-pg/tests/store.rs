//! The PostgreSQL store against a real server (a throw-away cluster per test, `cluster`):
//! the issuance rules of `greenlight_issuance` over it, two nodes (two pools) sharing one
//! database — quotas, revocations and epochs decided across them — the digest-key check,
//! migrations, sweeping, daily totals, and a database restart.

mod cluster;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Barrier};

use cluster::Cluster;
use greenlight_issuance::epoch::{self, SubjectRecord, RECORD_GRACE_SECS};
use greenlight_issuance::totals::{published_totals, record_issued, SECS_PER_DAY};
use greenlight_issuance::{DigestKey, Refusal, Reservation, Store, MAX_GRANTING_TICKET_LIFE_SECS};
use greenlight_store_pg::{PgStore, PgStoreError, Swept};

fn key(byte: u8) -> DigestKey {
    DigestKey::from_bytes(&[byte; 32])
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A node: its own pool on the shared database.
fn node(rt: &tokio::runtime::Runtime, url: &str) -> PgStore {
    rt.block_on(PgStore::connect(url, key(7), 4))
        .expect("connect")
}

#[test]
fn the_epoch_rules_run_on_postgres() {
    let cluster = Cluster::start();
    let url = cluster.database("epochs");
    let rt = runtime();
    let store = node(&rt, &url);
    let subject = store.digest_key().subject("resident-1");

    // A ticket redeems and moves the epoch; an older one is then superseded.
    epoch::redeem(&store, &subject, 1_000).unwrap();
    assert_eq!(
        store.subject_record(&subject).unwrap(),
        Some(SubjectRecord {
            revoked: false,
            epoch: 1_000
        })
    );
    assert!(matches!(
        epoch::redeem(&store, &subject, 999),
        Err(Refusal::TicketSuperseded)
    ));
    epoch::redeem(&store, &subject, 1_000).expect("the same ticket again");
    // Revoked: refused; an appeal lifts it but revives nothing older.
    assert!(epoch::revoke(&store, "resident-1", 2_000).unwrap());
    assert!(
        !epoch::revoke(&store, "resident-1", 2_001).unwrap(),
        "already revoked"
    );
    assert!(matches!(
        epoch::redeem(&store, &subject, 3_000),
        Err(Refusal::SubjectRevoked)
    ));
    assert!(epoch::appeal(&store, "resident-1", 2_500).unwrap());
    assert!(matches!(
        epoch::redeem(&store, &subject, 1_000),
        Err(Refusal::TicketSuperseded)
    ));
    epoch::redeem(&store, &subject, 2_500).expect("a ticket from the appeal on");
    // A fresh admin ticket in the epoch's second starts one second later.
    assert_eq!(
        epoch::record_fresh_ticket(&store, "resident-1", 2_500).unwrap(),
        2_501
    );
    assert!(epoch::is_revoked(&store, "resident-2").map(|r| !r).unwrap());
}

#[test]
fn two_nodes_never_mint_more_than_the_quota() {
    let cluster = Cluster::start();
    let url = cluster.database("quota");
    let rt = runtime();
    let nodes = [node(&rt, &url), node(&rt, &url)];
    let ticket = nodes[0].digest_key().ticket(&[9; 16]);
    const QUOTA: u16 = 5;
    const CALLERS: usize = 8;
    let barrier = Arc::new(Barrier::new(CALLERS));
    let granted = Arc::new(AtomicU32::new(0));
    std::thread::scope(|s| {
        for i in 0..CALLERS {
            let (store, barrier, granted) =
                (nodes[i % 2].clone(), barrier.clone(), granted.clone());
            s.spawn(move || {
                barrier.wait();
                let n = 1 + (i % 2) as u16;
                match store.reserve_tokens(&ticket, QUOTA, n, 10_000).unwrap() {
                    Reservation::Reserved { .. } => {
                        granted.fetch_add(u32::from(n), Ordering::SeqCst);
                    }
                    Reservation::QuotaExceeded { remaining } => assert!(remaining < n),
                }
            });
        }
    });
    let granted = granted.load(Ordering::SeqCst);
    let left = rt
        .block_on(nodes[1].remaining_tokens(&ticket))
        .unwrap()
        .unwrap();
    assert!(
        granted <= u32::from(QUOTA),
        "{granted} tokens granted of {QUOTA}"
    );
    assert_eq!(
        granted + u32::from(left),
        u32::from(QUOTA),
        "nothing lost either"
    );
    // 8 callers asking 12 in all: the quota is used up except for at most one token that no
    // remaining two-token caller could take.
    assert!(left <= 1, "{left} left");

    // More than the quota at once: refused with what is left, nothing taken.
    let other = nodes[0].digest_key().ticket(&[10; 16]);
    assert_eq!(
        nodes[0].reserve_tokens(&other, 3, 4, 10_000).unwrap(),
        Reservation::QuotaExceeded { remaining: 3 }
    );
    assert_eq!(
        rt.block_on(nodes[0].remaining_tokens(&other)).unwrap(),
        None
    );
    assert!(matches!(
        nodes[0].reserve_tokens(&other, 3, 0, 10_000),
        Err(PgStoreError::ZeroReservation)
    ));
}

#[test]
fn a_revocation_on_one_node_is_refused_on_the_other_at_once() {
    let cluster = Cluster::start();
    let url = cluster.database("revocation");
    let rt = runtime();
    let (one, two) = (node(&rt, &url), node(&rt, &url));
    let subject = one.digest_key().subject("resident-r");
    epoch::redeem(&two, &subject, 100).unwrap();
    assert!(epoch::revoke(&one, "resident-r", 200).unwrap());
    assert!(matches!(
        epoch::redeem(&two, &subject, 300),
        Err(Refusal::SubjectRevoked)
    ));
    assert!(epoch::appeal(&two, "resident-r", 400).unwrap());
    epoch::redeem(&one, &subject, 400).expect("after the appeal, on the other node");
}

#[test]
fn concurrent_writers_on_two_nodes_never_move_an_epoch_back() {
    let cluster = Cluster::start();
    let url = cluster.database("cas");
    let rt = runtime();
    let nodes = [node(&rt, &url), node(&rt, &url)];
    let subject = nodes[0].digest_key().subject("resident-c");
    let barrier = Arc::new(Barrier::new(8));
    std::thread::scope(|s| {
        for i in 0..8u64 {
            let (store, barrier) = (nodes[(i % 2) as usize].clone(), barrier.clone());
            s.spawn(move || {
                barrier.wait();
                for j in 0..10u64 {
                    // Interleaved not_befores; some are refused as superseded, which is fine.
                    let _ = epoch::redeem(&store, &subject, 1_000 + j * 8 + i);
                }
            });
        }
    });
    assert_eq!(
        nodes[0].subject_record(&subject).unwrap().unwrap().epoch,
        1_000 + 9 * 8 + 7,
        "the newest not_before wins, whatever the order"
    );
}

#[test]
fn a_database_keyed_with_another_key_is_refused_and_migrations_run_once() {
    let cluster = Cluster::start();
    let url = cluster.database("keys");
    let rt = runtime();
    let first = node(&rt, &url);
    let second = node(&rt, &url); // migrations already done: nothing to do, no error
    drop((first, second));
    let other = rt.block_on(PgStore::connect(&url, key(8), 2));
    assert!(matches!(other, Err(PgStoreError::WrongKey)), "{other:?}");
    let bad = rt.block_on(PgStore::connect("not a url ===", key(7), 2));
    assert!(matches!(bad, Err(PgStoreError::BadUrl(_))), "{bad:?}");
}

#[test]
fn sweeping_forgets_by_the_epoch_rules_and_totals_add_up() {
    let cluster = Cluster::start();
    let url = cluster.database("sweep");
    let rt = runtime();
    let store = node(&rt, &url);
    let now = 100 * SECS_PER_DAY;
    let t_old = store.digest_key().ticket(&[1; 16]);
    let t_new = store.digest_key().ticket(&[2; 16]);
    store
        .reserve_tokens(&t_old, 5, 1, now - RECORD_GRACE_SECS - 1)
        .unwrap();
    store
        .reserve_tokens(&t_new, 5, 1, now - RECORD_GRACE_SECS)
        .unwrap();
    let old_epoch = now - MAX_GRANTING_TICKET_LIFE_SECS - RECORD_GRACE_SECS - 1;
    epoch::record_ticket(&store, "old", old_epoch).unwrap();
    epoch::record_ticket(&store, "recent", now - 10).unwrap();
    assert!(epoch::revoke(&store, "old-but-revoked", old_epoch).unwrap());
    assert_eq!(
        rt.block_on(store.sweep(now)).unwrap(),
        Swept {
            tickets: 1,
            subjects: 1
        }
    );
    assert_eq!(rt.block_on(store.remaining_tokens(&t_old)).unwrap(), None);
    assert_eq!(
        rt.block_on(store.remaining_tokens(&t_new)).unwrap(),
        Some(4)
    );
    assert!(epoch::is_revoked(&store, "old-but-revoked").unwrap());
    assert!(store
        .subject_record(&store.digest_key().subject("recent"))
        .unwrap()
        .is_some());

    record_issued(&store, [3; 8], now - SECS_PER_DAY, 4).unwrap();
    record_issued(&store, [3; 8], now - SECS_PER_DAY, 6).unwrap();
    record_issued(&store, [3; 8], now, 1).unwrap();
    let published = published_totals(&store, now).unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!((published[0].day, published[0].tokens), (99, 10));

    assert!(rt.block_on(store.revoke_key([4; 8])).unwrap());
    assert!(!rt.block_on(store.revoke_key([4; 8])).unwrap());
    assert!(rt.block_on(store.is_key_revoked([4; 8])).unwrap());
}

#[test]
fn a_database_restart_fails_calls_briefly_then_the_pool_recovers_with_nothing_lost() {
    let cluster = Cluster::start();
    let url = cluster.database("restart");
    let rt = runtime();
    let store = node(&rt, &url);
    let ticket = store.digest_key().ticket(&[5; 16]);
    store.reserve_tokens(&ticket, 10, 3, 10_000).unwrap();
    cluster.restart();
    // The pooled connections died with the server: a call may fail (the server answers 503
    // for it), but it returns — and a later one gets a new connection.
    let mut failures = 0;
    let remaining = loop {
        match store.reserve_tokens(&ticket, 10, 1, 10_000) {
            Ok(Reservation::Reserved { remaining }) => break remaining,
            Ok(other) => panic!("{other:?}"),
            Err(_) => {
                failures += 1;
                assert!(failures < 10, "the pool did not recover");
            }
        }
    };
    assert_eq!(
        remaining,
        10 - 3 - 1,
        "the reservation before the restart was kept"
    );
}

/// Issuance sessions shared by two nodes: one per ticket, the cap over both nodes, and of
/// many concurrent `finish`es on either node exactly one gets the sealed secrets.
#[test]
fn sessions_are_shared_and_answered_at_most_once() {
    use greenlight_store_pg::SessionReservation;
    let cluster = Cluster::start();
    let url = cluster.database("sessions");
    let rt = runtime();
    let nodes = [node(&rt, &url), node(&rt, &url)];
    let key_id = [3u8; 8];
    let ticket = |b: u8| nodes[0].digest_key().ticket(&[b; 16]);
    let reserve = |n: usize, id: u8, t: u8, tokens: u16, now: u64| {
        rt.block_on(nodes[n].reserve_session(
            &[id; 16],
            &ticket(t),
            key_id,
            tokens,
            10,
            now,
            now + 60,
        ))
        .unwrap()
    };

    // One session per ticket, whichever node is asked.
    assert_eq!(reserve(0, 1, 1, 4, 1_000), SessionReservation::Reserved);
    assert_eq!(reserve(1, 2, 1, 1, 1_000), SessionReservation::TicketBusy);
    // The cap (10 tokens) counts both nodes' sessions: 4 + 6 fit, one more does not.
    assert_eq!(reserve(1, 3, 2, 6, 1_000), SessionReservation::Reserved);
    assert_eq!(reserve(0, 4, 3, 1, 1_000), SessionReservation::Busy);
    // Another key has its own room.
    assert_eq!(
        rt.block_on(nodes[0].reserve_session(&[5; 16], &ticket(3), [4; 8], 1, 10, 1_000, 1_060))
            .unwrap(),
        SessionReservation::Reserved
    );
    // An unfilled reservation is never handed out, and releasing it frees its ticket.
    assert_eq!(
        rt.block_on(nodes[1].take_session(&[3; 16], 1_001, &[key_id]))
            .unwrap()
            .map(|t| t.sealed),
        None
    );
    rt.block_on(nodes[1].release_session(&[3; 16])).unwrap();
    assert_eq!(reserve(0, 6, 2, 2, 1_001), SessionReservation::Reserved);

    // Filled on node 0, taken by exactly one of 8 concurrent takers on both nodes.
    let sealed = vec![0xa5u8; 300];
    assert!(rt
        .block_on(nodes[0].store_session(&[1; 16], &sealed, 1_060))
        .unwrap());
    assert!(
        !rt.block_on(nodes[0].store_session(&[1; 16], &sealed, 1_060))
            .unwrap(),
        "a filled session is never overwritten"
    );
    assert_eq!(rt.block_on(nodes[1].open_sessions()).unwrap(), 1);
    // A node that does not hold the session's key leaves it alone (it could not answer it).
    assert!(rt
        .block_on(nodes[1].take_session(&[1; 16], 1_005, &[[9; 8]]))
        .unwrap()
        .is_none());
    assert_eq!(rt.block_on(nodes[1].open_sessions()).unwrap(), 1);
    let barrier = Arc::new(Barrier::new(8));
    let got = Arc::new(AtomicU32::new(0));
    std::thread::scope(|s| {
        for i in 0..8 {
            let (store, barrier, got, sealed) = (
                nodes[i % 2].clone(),
                barrier.clone(),
                got.clone(),
                sealed.clone(),
            );
            s.spawn(move || {
                barrier.wait();
                let taken = store.wait(store.take_session(&[1; 16], 1_010, &[key_id]));
                if let Some(taken) = taken.unwrap() {
                    assert_eq!(
                        (taken.sealed, taken.key_id, taken.expires_at),
                        (sealed, key_id, 1_060)
                    );
                    got.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    assert_eq!(got.load(Ordering::SeqCst), 1, "answered exactly once");
    // The ticket is free again once its session is taken.
    assert_eq!(reserve(1, 7, 1, 1, 1_010), SessionReservation::Reserved);

    // Expired: not handed out, and swept.
    assert!(rt
        .block_on(nodes[0].store_session(&[6; 16], &sealed, 1_050))
        .unwrap());
    assert_eq!(
        rt.block_on(nodes[1].take_session(&[6; 16], 1_050, &[key_id]))
            .unwrap()
            .map(|t| t.sealed),
        None
    );
    assert!(rt
        .block_on(nodes[0].store_session(&[7; 16], &sealed, 1_070))
        .unwrap());
    assert_eq!(
        rt.block_on(nodes[0].sweep_sessions(1_070)).unwrap(),
        2,
        "[5] and [7]"
    );
    assert_eq!(rt.block_on(nodes[0].open_sessions()).unwrap(), 0);
    // A ticket whose session expired unanswered (its node died) starts again at once: the
    // expired row is replaced, before any sweep.
    assert_eq!(reserve(0, 9, 4, 1, 2_000), SessionReservation::Reserved);
    assert!(rt
        .block_on(nodes[0].store_session(&[9; 16], &sealed, 2_060))
        .unwrap());
    assert_eq!(reserve(1, 10, 4, 1, 2_059), SessionReservation::TicketBusy);
    assert_eq!(reserve(1, 10, 4, 1, 2_060), SessionReservation::Reserved);
    // Asked as of a time it was still open: were it not replaced, it would be handed out.
    assert_eq!(
        rt.block_on(nodes[0].take_session(&[9; 16], 2_050, &[key_id]))
            .unwrap()
            .map(|t| t.sealed),
        None,
        "the replaced session is gone"
    );
    assert_eq!(
        rt.block_on(nodes[0].reserve_session(&[8; 16], &ticket(1), key_id, 1, 10, 1_070, 1_130))
            .unwrap(),
        SessionReservation::Reserved
    );
}

/// The hand-over of a session to its `finish` survives a database crash: once taken, a
/// restart (an immediate stop, as a crash) never brings it back to be answered again. (This
/// catches a take that is not committed before it returns; whether the commit waited for the
/// disk cannot be seen here — PostgreSQL wakes its WAL writer on every asynchronous commit,
/// faster than a test can crash it — so that rests on the explicit `synchronous_commit = on`
/// in `take_session`.)
#[test]
fn a_taken_session_stays_taken_across_a_database_crash() {
    use greenlight_store_pg::SessionReservation;
    let cluster = Cluster::start();
    let url = cluster.database("durable");
    let rt = runtime();
    // Whatever the database's default, the nodes' connections commit synchronously (the
    // hand-over below relies on it) and bound every statement.
    rt.block_on(async {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
            .batch_execute("ALTER DATABASE durable SET synchronous_commit = off")
            .await
            .unwrap();
    });
    let store = node(&rt, &url);
    assert_eq!(
        rt.block_on(store.setting("synchronous_commit")).unwrap(),
        "on"
    );
    assert_eq!(
        rt.block_on(store.setting("statement_timeout")).unwrap(),
        "10s"
    );
    let key_id = [3u8; 8];
    for round in 0..5u8 {
        let id = [round; 16];
        let ticket = store.digest_key().ticket(&[round; 16]);
        assert_eq!(
            rt.block_on(store.reserve_session(&id, &ticket, key_id, 1, 10, 1_000, 1_060))
                .unwrap(),
            SessionReservation::Reserved
        );
        assert!(rt
            .block_on(store.store_session(&id, b"sealed", 1_060))
            .unwrap());
        // The row itself was committed without waiting for the disk; any synchronous commit
        // flushes it (here, a quota reservation), so the restart below cannot lose it.
        assert!(matches!(
            Store::reserve_tokens(&store, &ticket, 5, 1, 10_000),
            Ok(Reservation::Reserved { .. })
        ));
        assert!(rt
            .block_on(store.take_session(&id, 1_001, &[key_id]))
            .unwrap()
            .is_some());
        cluster.restart();
        // The pool's connections died with the server: retry until one is back.
        let mut again = rt.block_on(store.take_session(&id, 1_001, &[key_id]));
        for _ in 0..50 {
            if again.is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            again = rt.block_on(store.take_session(&id, 1_001, &[key_id]));
        }
        assert!(
            again.unwrap().is_none(),
            "round {round}: a taken session came back"
        );
    }
}
