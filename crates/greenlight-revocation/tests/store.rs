//! Behaviour of the revocation store: quotas under contention, subject records and epochs
//! under contention, persistence, keyed digests, sweeping, compaction (forgetting for real,
//! crash safety), the migration of unkeyed stores, and a model-based proptest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};

use greenlight_issuance::epoch::{self, SubjectRecord};
use greenlight_issuance::{Refusal, MAX_GRANTING_TICKET_LIFE_SECS, RECORD_GRACE_SECS};
use greenlight_revocation::{
    legacy_subject_digest, CrashPoint, DigestKey, RevocationStore, StoreError, Swept, TicketDigest,
};
use proptest::prelude::*;

const T: [u8; 16] = [7; 16];
const KEY: [u8; 32] = [0x33; 32];

fn key() -> DigestKey {
    DigestKey::from_bytes(&KEY)
}

fn temporary() -> RevocationStore {
    RevocationStore::open_temporary(key()).unwrap()
}

/// sled lets go of its directory lock when its background flusher does, a moment after the
/// last handle is dropped (sled issues #1234, #1289): a test that drops a store and opens the
/// directory again retries for a while instead of failing on that moment.
fn retrying<T, E: std::fmt::Debug>(
    mut attempt: impl FnMut() -> Result<T, E>,
    lock_held: impl Fn(&E) -> bool,
) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match attempt() {
            Err(e) if lock_held(&e) && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.unwrap(),
        }
    }
}

fn open(path: &Path) -> RevocationStore {
    retrying(
        || RevocationStore::open(path, key()),
        StoreError::is_lock_held,
    )
}

/// Opening a store that must be refused: the refusal, once no lock is in the way.
fn open_refused(path: &Path, key: impl Fn() -> DigestKey) -> StoreError {
    retrying(
        || match RevocationStore::open(path, key()) {
            Err(e) if e.is_lock_held() => Err(e),
            Err(e) => Ok(e),
            Ok(_) => panic!("the store opened"),
        },
        StoreError::is_lock_held,
    )
}

/// The raw sled database under a store (to plant records a store would never write).
fn sled_open(path: &Path) -> sled::Db {
    retrying(
        || sled::open(path),
        |e| e.to_string().contains("could not acquire lock"),
    )
}

fn ticket(id: [u8; 16]) -> TicketDigest {
    key().ticket(&id)
}

#[test]
fn quota_is_never_exceeded_by_20_concurrent_callers() {
    let store = temporary();
    const QUOTA: u16 = 300;
    const THREADS: usize = 20;
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let store = store.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let mut granted = 0u32;
                // Ask for 1, 2 or 3 tokens at a time until the ticket runs dry for us.
                let n = (i % 3) as u16 + 1;
                loop {
                    match store.reserve_tokens(&ticket(T), QUOTA, n, 1_000) {
                        Ok(_) => granted += u32::from(n),
                        Err(StoreError::QuotaExceeded { remaining }) => {
                            assert!(remaining < n);
                            break;
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
                granted
            })
        })
        .collect();
    let total: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let left = u32::from(store.remaining_tokens(T).unwrap().unwrap());
    // Every token is accounted for exactly once, and at most 0..2 are stranded because the
    // remaining callers all wanted more than what was left.
    assert_eq!(total + left, u32::from(QUOTA));
    assert!(left < 3);
    // Drain the rest one by one: the sum granted is then exactly the quota.
    let mut total = total;
    while store.reserve_tokens(&ticket(T), QUOTA, 1, 1_000).is_ok() {
        total += 1;
    }
    assert_eq!(total, u32::from(QUOTA));
    assert_eq!(store.remaining_tokens(T).unwrap(), Some(0));
}

#[test]
fn single_token_reservations_under_contention_sum_to_the_quota() {
    let store = temporary();
    const QUOTA: u16 = 64;
    let barrier = Arc::new(Barrier::new(20));
    let handles: Vec<_> = (0..20)
        .map(|_| {
            let (store, barrier) = (store.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let mut granted = 0u32;
                while store.reserve_tokens(&ticket(T), QUOTA, 1, 1_000).is_ok() {
                    granted += 1;
                }
                granted
            })
        })
        .collect();
    let total: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, u32::from(QUOTA));
}

#[test]
fn reservations_count_down_and_report_what_remains() {
    let store = temporary();
    let t = ticket(T);
    assert_eq!(store.remaining_tokens(T).unwrap(), None);
    assert!(matches!(
        store.reserve_tokens(&t, 10, 0, 100),
        Err(StoreError::ZeroTokens)
    ));
    // Asking for more than the quota on first use creates nothing.
    assert!(matches!(
        store.reserve_tokens(&t, 10, 11, 100),
        Err(StoreError::QuotaExceeded { remaining: 10 })
    ));
    assert_eq!(store.remaining_tokens(T).unwrap(), None);
    assert_eq!(store.reserve_tokens(&t, 10, 4, 100).unwrap(), 6);
    // Later calls use the stored quota, not the argument.
    assert_eq!(store.reserve_tokens(&t, 60, 5, 100).unwrap(), 1);
    assert!(matches!(
        store.reserve_tokens(&t, 10, 2, 100),
        Err(StoreError::QuotaExceeded { remaining: 1 })
    ));
    assert_eq!(store.remaining_tokens_of(&t).unwrap(), Some(1));
    assert_eq!(store.reserve_tokens(&t, 10, 1, 100).unwrap(), 0);
    assert!(matches!(
        store.reserve_tokens(&t, 10, 1, 100),
        Err(StoreError::QuotaExceeded { remaining: 0 })
    ));
    // Other tickets are independent.
    assert_eq!(
        store.reserve_tokens(&ticket([8; 16]), 3, 1, 100).unwrap(),
        2
    );
    assert_eq!(store.ticket_count(), 2);
}

#[test]
fn subjects_revoke_and_appeal() {
    let store = temporary();
    assert!(!store.is_revoked("h-1").unwrap());
    assert!(epoch::revoke(&store, "h-1", 100).unwrap());
    assert!(
        !epoch::revoke(&store, "h-1", 150).unwrap(),
        "second revoke is not new"
    );
    assert!(store.is_revoked("h-1").unwrap());
    assert!(epoch::is_revoked(&store, "h-1").unwrap());
    assert!(!store.is_revoked("h-2").unwrap());
    assert_eq!(store.revoked_subject_count().unwrap(), 1);
    assert!(!store.needs_compaction());
    assert!(epoch::appeal(&store, "h-1", 200).unwrap());
    assert!(
        store.needs_compaction(),
        "a lifted revocation is to be forgotten"
    );
    assert!(
        !epoch::appeal(&store, "h-1", 300).unwrap(),
        "nothing left to lift"
    );
    assert!(!store.is_revoked("h-1").unwrap());
    assert_eq!(store.revoked_subject_count().unwrap(), 0);
    // The appeal's time is the subject's epoch: older tickets stay refused.
    assert_eq!(
        store.subject_record(&key().subject("h-1")).unwrap(),
        Some(SubjectRecord {
            revoked: false,
            epoch: 200
        })
    );
}

#[test]
fn concurrent_starts_never_move_the_epoch_backwards() {
    let store = temporary();
    let subject = key().subject("race-subject");
    const THREADS: u64 = 12;
    const PER_THREAD: u64 = 40;
    let barrier = Arc::new(Barrier::new(THREADS as usize + 1));
    let done = Arc::new(AtomicBool::new(false));
    // A reader watching the epoch: it may only ever grow.
    let watcher = {
        let (store, barrier, done) = (store.clone(), barrier.clone(), done.clone());
        std::thread::spawn(move || {
            barrier.wait();
            let mut last = 0;
            let mut reads = 0u64;
            while !done.load(Ordering::SeqCst) {
                let epoch = store
                    .subject_record(&subject)
                    .unwrap()
                    .map_or(0, |r| r.epoch);
                assert!(epoch >= last, "the epoch moved back from {last} to {epoch}");
                last = epoch;
                reads += 1;
            }
            reads
        })
    };
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let (store, barrier) = (store.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let mut outcomes = Vec::new();
                for j in 0..PER_THREAD {
                    // Every thread redeems tickets of many ages, interleaved with the others.
                    let not_before = 1_000 + (j * 7919 + i * 104_729) % 997;
                    let outcome = epoch::redeem(&store, &subject, not_before);
                    let epoch_now = store.subject_record(&subject).unwrap().unwrap().epoch;
                    match outcome {
                        Ok(()) => assert!(epoch_now >= not_before),
                        Err(Refusal::TicketSuperseded) => assert!(epoch_now > not_before),
                        Err(e) => panic!("{e}"),
                    }
                    outcomes.push((not_before, outcome.is_ok()));
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<(u64, bool)> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    done.store(true, Ordering::SeqCst);
    assert!(watcher.join().unwrap() > 0);
    let newest = outcomes.iter().map(|(nb, _)| *nb).max().unwrap();
    assert_eq!(
        store.subject_record(&subject).unwrap(),
        Some(SubjectRecord {
            revoked: false,
            epoch: newest
        }),
        "the epoch is the newest ticket redeemed"
    );
    assert!(
        outcomes.iter().any(|&(nb, ok)| nb == newest && ok),
        "the newest ticket was admitted"
    );
    assert!(
        outcomes.iter().any(|(_, ok)| !ok),
        "older tickets were refused"
    );
}

#[test]
fn keys_revoke_and_list() {
    let store = temporary();
    assert!(store.revoked_keys().unwrap().is_empty());
    assert!(store.revoke_key([2; 8]).unwrap());
    assert!(store.revoke_key([1; 8]).unwrap());
    assert!(!store.revoke_key([1; 8]).unwrap());
    assert!(store.is_key_revoked([1; 8]).unwrap());
    assert!(!store.is_key_revoked([3; 8]).unwrap());
    assert_eq!(store.revoked_keys().unwrap(), vec![[1; 8], [2; 8]]);
}

#[test]
fn sweep_removes_only_what_the_rules_no_longer_need() {
    let store = temporary();
    let day = RECORD_GRACE_SECS;
    store.reserve_tokens(&ticket([1; 16]), 5, 1, 100).unwrap();
    store.reserve_tokens(&ticket([2; 16]), 5, 1, 200).unwrap();
    store.reserve_tokens(&ticket([3; 16]), 5, 1, 300).unwrap();
    assert_eq!(
        store.sweep(100 + day).unwrap(),
        Swept::default(),
        "kept for a day after the expiry"
    );
    assert!(!store.needs_compaction());
    assert_eq!(
        store.sweep(201 + day).unwrap(),
        Swept {
            tickets: 2,
            subjects: 0
        }
    );
    assert!(store.needs_compaction());
    assert_eq!(store.remaining_tokens([1; 16]).unwrap(), None);
    assert_eq!(store.remaining_tokens([2; 16]).unwrap(), None);
    assert_eq!(store.remaining_tokens([3; 16]).unwrap(), Some(4));

    // Subject records: kept while revoked; otherwise until every ticket they refuse expired.
    let keep = MAX_GRANTING_TICKET_LIFE_SECS + day;
    epoch::revoke(&store, "revoked", 1_000).unwrap();
    epoch::record_ticket(&store, "active", 1_000).unwrap();
    epoch::record_ticket(&store, "recent", 5_000).unwrap();
    store.revoke_key([9; 8]).unwrap();
    assert_eq!(
        store.sweep(1_000 + keep).unwrap(),
        Swept {
            tickets: 1,
            subjects: 0
        }
    );
    assert_eq!(
        store.sweep(1_001 + keep).unwrap(),
        Swept {
            tickets: 0,
            subjects: 1
        }
    );
    assert!(store
        .subject_record(&key().subject("active"))
        .unwrap()
        .is_none());
    assert!(store
        .subject_record(&key().subject("recent"))
        .unwrap()
        .is_some());
    assert_eq!(store.sweep(u64::MAX).unwrap().subjects, 1);
    assert!(store.is_revoked("revoked").unwrap());
    assert!(store.is_key_revoked([9; 8]).unwrap());
    assert_eq!((store.ticket_count(), store.subject_count()), (0, 1));
}

#[test]
fn state_survives_close_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let store = open(&path);
        assert!(epoch::revoke(&store, "alice", 10).unwrap());
        assert!(epoch::revoke(&store, "bob", 10).unwrap());
        assert!(epoch::appeal(&store, "bob", 20).unwrap());
        assert_eq!(store.reserve_tokens(&ticket(T), 10, 3, 500).unwrap(), 7);
        assert!(store.revoke_key([4; 8]).unwrap());
        let clone = store.clone();
        drop(store);
        assert_eq!(clone.reserve_tokens(&ticket(T), 10, 1, 500).unwrap(), 6);
    }
    {
        let store = open(&path);
        assert!(store.is_revoked("alice").unwrap());
        assert!(!store.is_revoked("bob").unwrap());
        assert_eq!(store.remaining_tokens(T).unwrap(), Some(6));
        assert_eq!(store.revoked_keys().unwrap(), vec![[4; 8]]);
        // The expiry stored on first use survives too.
        assert_eq!(store.sweep(500 + RECORD_GRACE_SECS).unwrap().tickets, 0);
        assert_eq!(store.sweep(501 + RECORD_GRACE_SECS).unwrap().tickets, 1);
    }
    let store = open(&path);
    assert_eq!(store.remaining_tokens(T).unwrap(), None);
    assert!(store.is_revoked("alice").unwrap());
}

#[test]
fn daily_totals_add_up_and_survive_reopen_and_compaction() {
    use greenlight_issuance::totals::{published_totals, record_issued, SECS_PER_DAY};
    use greenlight_issuance::DayTotal;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let day = 20_000u32;
    let at = |d: u32| u64::from(d) * SECS_PER_DAY + 100;
    {
        let store = open(&path);
        record_issued(&store, [1; 8], at(day), 3).unwrap();
        record_issued(&store, [1; 8], at(day), 4).unwrap();
        record_issued(&store, [2; 8], at(day), 1).unwrap();
        record_issued(&store, [1; 8], at(day + 1), 2).unwrap();
        record_issued(&store, [1; 8], at(day + 1), 0).unwrap();
        // Something to forget, so that the compaction below runs.
        assert!(epoch::revoke(&store, "carol", 10).unwrap());
        assert!(epoch::appeal(&store, "carol", 20).unwrap());
        store.sweep(20 + RECORD_GRACE_SECS + 15 * 86_400).unwrap();
        assert!(store.compact().unwrap());
    }
    let store = open(&path);
    let total = |key_id: [u8; 8], day: u32, tokens: u64| DayTotal {
        key_id,
        day,
        tokens,
    };
    let mut held = store.issued_totals().unwrap();
    held.sort();
    assert_eq!(
        held,
        [
            total([1; 8], day, 7),
            total([1; 8], day + 1, 2),
            total([2; 8], day, 1)
        ]
    );
    // On day + 1 only day is complete.
    assert_eq!(
        published_totals(&store, at(day + 1)).unwrap(),
        [total([1; 8], day, 7), total([2; 8], day, 1)]
    );
}

#[test]
fn a_store_refuses_to_open_with_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let store = open(&path);
        epoch::revoke(&store, "alice", 10).unwrap();
    }
    let err = open_refused(&path, || DigestKey::from_bytes(&[0x44; 32]));
    assert!(matches!(err, StoreError::WrongKey), "{err}");
    assert!(err.to_string().contains("different digest key"), "{err}");
    // With the right key, nothing was lost.
    assert!(open(&path).is_revoked("alice").unwrap());
}

#[test]
fn the_store_holds_no_handle_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let handle = "very-distinctive-subject-handle-1234";
    {
        let store = open(&path);
        epoch::revoke(&store, handle, 10).unwrap();
    }
    assert_eq!(
        files_containing(dir.path(), handle.as_bytes()),
        Vec::<PathBuf>::new()
    );
}

// --- forgetting for real --------------------------------------------------------------------

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The files under `dir` whose bytes contain `needle` (grep -rl).
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|f| {
            std::fs::read(f)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle)
        })
        .collect()
}

/// A distinctive ticket id (as the raw bytes a schema-1 store kept).
const SWEPT_TICKET: [u8; 16] = [
    0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15, 0xf3, 0x9c, 0xc0, 0x60, 0x5c, 0xed, 0xc8, 0x34,
];
const APPEALED: &str = "appealed-subject-5b1f-handle";
const STILL_REVOKED: &str = "still-revoked-subject-c2d9";

#[test]
fn revoke_appeal_sweep_compact_reopen_leaves_nothing_forgotten_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("revocation.sled");
    let k = key();
    let day = 86_400;
    {
        let store = open(&path);
        assert!(epoch::revoke(&store, APPEALED, 1_000).unwrap());
        assert!(epoch::revoke(&store, STILL_REVOKED, 1_000).unwrap());
        store
            .reserve_tokens(&k.ticket(&SWEPT_TICKET), 5, 2, 2_000)
            .unwrap();
        assert!(epoch::appeal(&store, APPEALED, 3_000).unwrap());
        // Long after: the ticket expired and the appealed subject's epoch is old.
        let later = 3_000 + 20 * day;
        assert_eq!(
            store.sweep(later).unwrap(),
            Swept {
                tickets: 1,
                subjects: 1
            }
        );
        // sled appends: before compaction the forgotten records are still in its files.
        assert!(
            !files_containing(dir.path(), k.ticket(&SWEPT_TICKET).as_bytes()).is_empty(),
            "without compaction a swept record stays on disk (the finding)"
        );
        assert!(store.needs_compaction());
        assert!(store.compact().unwrap());
        assert!(!store.needs_compaction());
        // Still usable after the swap.
        assert!(store.is_revoked(STILL_REVOKED).unwrap());
        epoch::record_ticket(&store, "after-compaction", later).unwrap();
    }
    let store = open(&path);
    assert!(store.is_revoked(STILL_REVOKED).unwrap());
    assert!(!store.is_revoked(APPEALED).unwrap());
    assert_eq!(store.subject_record(&k.subject(APPEALED)).unwrap(), None);
    assert_eq!(store.remaining_tokens(SWEPT_TICKET).unwrap(), None);
    drop(store);

    // Grep the bytes of every file of the directory.
    let absent: [(&str, Vec<u8>); 7] = [
        ("the appealed handle", APPEALED.as_bytes().to_vec()),
        ("the revoked handle", STILL_REVOKED.as_bytes().to_vec()),
        (
            "the appealed handle's unkeyed SHA-512 digest",
            legacy_subject_digest(APPEALED).to_vec(),
        ),
        (
            "the revoked handle's unkeyed SHA-512 digest",
            legacy_subject_digest(STILL_REVOKED).to_vec(),
        ),
        ("the swept ticket id", SWEPT_TICKET.to_vec()),
        (
            "the swept ticket's keyed digest",
            k.ticket(&SWEPT_TICKET).as_bytes().to_vec(),
        ),
        (
            "the appealed subject's keyed digest",
            k.subject(APPEALED).as_bytes().to_vec(),
        ),
    ];
    for (what, bytes) in &absent {
        assert_eq!(
            files_containing(dir.path(), bytes),
            Vec::<PathBuf>::new(),
            "{what} is on disk"
        );
    }
    // The search does find what is stored: the still-revoked subject's keyed digest.
    assert!(!files_containing(dir.path(), k.subject(STILL_REVOKED).as_bytes()).is_empty());
    // Nothing is left next to the store.
    let names: BTreeSet<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, BTreeSet::from(["revocation.sled".to_owned()]));
}

#[test]
fn compaction_of_a_temporary_store_does_nothing() {
    let store = temporary();
    epoch::revoke(&store, "a", 1).unwrap();
    assert!(!store.compact().unwrap());
    assert!(store.is_revoked("a").unwrap());
}

/// A crash at each step of compaction: reopening recovers a complete store with every
/// acknowledged write, nothing is left next to it, and compaction then completes.
#[test]
fn a_crash_at_any_step_of_compaction_loses_nothing() {
    for crash in [
        CrashPoint::DuringCopy,
        CrashPoint::BeforeSwap,
        CrashPoint::MidSwap,
        CrashPoint::BeforeCleanup,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("revocation.sled");
        let store = open(&path);
        epoch::revoke(&store, "revoked", 10).unwrap();
        epoch::revoke(&store, "appealed", 10).unwrap();
        epoch::appeal(&store, "appealed", 20).unwrap();
        epoch::record_ticket(&store, "active", 30).unwrap();
        store.reserve_tokens(&ticket(T), 10, 3, 500).unwrap();
        store.revoke_key([4; 8]).unwrap();

        assert!(matches!(
            store.compact_interrupted(crash),
            Err(StoreError::Unavailable)
        ));
        assert!(
            matches!(store.is_revoked("revoked"), Err(StoreError::Unavailable)),
            "a crashed store answers nothing"
        );
        drop(store);
        let there = |suffix: &str| dir.path().join(format!("revocation.sled{suffix}")).exists();
        assert_eq!(
            [
                there(""),
                there(".compacting"),
                there(".compacted"),
                there(".previous")
            ],
            match crash {
                CrashPoint::DuringCopy => [true, true, false, false],
                CrashPoint::BeforeSwap => [true, false, true, false],
                CrashPoint::MidSwap => [false, false, true, true],
                CrashPoint::BeforeCleanup => [true, false, false, true],
            },
            "{crash:?}: the directories a crash there leaves"
        );

        let store = open(&path);
        assert!(store.is_revoked("revoked").unwrap(), "{crash:?}");
        assert_eq!(
            store.subject_record(&key().subject("appealed")).unwrap(),
            Some(SubjectRecord {
                revoked: false,
                epoch: 20
            }),
            "{crash:?}"
        );
        assert_eq!(
            store
                .subject_record(&key().subject("active"))
                .unwrap()
                .map(|r| r.epoch),
            Some(30),
            "{crash:?}"
        );
        assert_eq!(store.remaining_tokens(T).unwrap(), Some(7), "{crash:?}");
        assert_eq!(store.revoked_keys().unwrap(), vec![[4; 8]], "{crash:?}");
        assert_eq!(
            [
                there(".compacting"),
                there(".compacted"),
                there(".previous")
            ],
            [false; 3],
            "{crash:?}: recovery leaves nothing next to the store"
        );
        // Writable, and a compaction now completes.
        assert_eq!(store.reserve_tokens(&ticket(T), 10, 1, 500).unwrap(), 6);
        assert!(store.compact().unwrap());
        drop(store);
        assert_eq!(open(&path).remaining_tokens(T).unwrap(), Some(6));
    }
}

/// A compaction that fails before the swap (here: a corrupt record, which it refuses to carry
/// over) leaves the store open and usable, and is retried by the next sweep.
#[test]
fn a_failed_compaction_keeps_the_store_usable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    drop(open(&path));
    {
        let db = sled_open(&path);
        db.open_tree("tickets")
            .unwrap()
            .insert(ticket(T).as_bytes(), &[1u8, 2, 3])
            .unwrap();
        db.flush().unwrap();
    }
    let store = open(&path);
    epoch::revoke(&store, "revoked", 10).unwrap();
    let err = store.compact().unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    assert!(store.needs_compaction(), "retried later");
    assert!(
        !dir.path().join("store.compacting").exists(),
        "the partial copy is removed"
    );
    assert!(store.is_revoked("revoked").unwrap());
    assert!(epoch::revoke(&store, "another", 20).unwrap());
    drop(store);
    let store = open(&path);
    assert!(store.is_revoked("another").unwrap());
}

// --- migration of a store with unkeyed digests (schema 1) ------------------------------------

#[test]
fn an_unkeyed_store_is_rekeyed_when_opened_and_nothing_unkeyed_stays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("revocation.sled");
    let legacy = legacy_subject_digest("legacy-alice");
    {
        // The layout before keyed digests, as the old code wrote it.
        let db = sled_open(&path);
        db.open_tree("meta")
            .unwrap()
            .insert("schema", &[1u8])
            .unwrap();
        db.open_tree("revoked-subjects")
            .unwrap()
            .insert(legacy, &[])
            .unwrap();
        let mut record = vec![1u8, 0, 7];
        record.extend_from_slice(&900u64.to_be_bytes());
        db.open_tree("ticket-quotas")
            .unwrap()
            .insert(SWEPT_TICKET, record)
            .unwrap();
        db.open_tree("revoked-keys")
            .unwrap()
            .insert([4u8; 8], &[])
            .unwrap();
        db.flush().unwrap();
    }
    assert!(!files_containing(dir.path(), &legacy).is_empty());
    {
        let store = open(&path);
        assert!(store.is_revoked("legacy-alice").unwrap());
        assert!(!store.is_revoked("legacy-bob").unwrap());
        assert_eq!(store.remaining_tokens(SWEPT_TICKET).unwrap(), Some(7));
        assert_eq!(store.revoked_keys().unwrap(), vec![[4; 8]]);
        // The migrated revocation has no epoch of its own; an appeal then sets one.
        assert!(epoch::appeal(&store, "legacy-alice", 1_000).unwrap());
        assert!(epoch::revoke(&store, "legacy-alice", 1_001).unwrap());
    }
    for needle in [&legacy[..], &SWEPT_TICKET[..]] {
        assert_eq!(files_containing(dir.path(), needle), Vec::<PathBuf>::new());
    }
    // The migrated store is bound to its key.
    assert!(matches!(
        open_refused(&path, || DigestKey::from_bytes(&[1; 32])),
        StoreError::WrongKey
    ));
    assert!(open(&path).is_revoked("legacy-alice").unwrap());
}

// --- model-based proptest -------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Revoke(usize, u64),
    Appeal(usize, u64),
    IsRevoked(usize),
    Redeem(usize, u64),
    Reserve {
        ticket: usize,
        quota: u16,
        n: u16,
        expires: u64,
    },
    Remaining(usize),
    Sweep(u64),
    RevokeKey(usize),
    IsKeyRevoked(usize),
    ListKeys,
    Reopen,
    Compact,
}

const HANDLES: [&str; 4] = ["a", "b", "c", "ünïcode"];

fn op() -> impl Strategy<Value = Op> {
    let when = || 0u64..40;
    let sweep_at = prop_oneof![
        0u64..12,
        (0u64..40).prop_map(|t| t + MAX_GRANTING_TICKET_LIFE_SECS + RECORD_GRACE_SECS),
        Just(u64::MAX),
    ];
    prop_oneof![
        1 => (0..HANDLES.len(), when()).prop_map(|(h, t)| Op::Revoke(h, t)),
        1 => (0..HANDLES.len(), when()).prop_map(|(h, t)| Op::Appeal(h, t)),
        1 => (0..HANDLES.len()).prop_map(Op::IsRevoked),
        2 => (0..HANDLES.len(), when()).prop_map(|(h, t)| Op::Redeem(h, t)),
        3 => (0usize..3, 0u16..8, 0u16..5, 0u64..10)
            .prop_map(|(ticket, quota, n, expires)| Op::Reserve { ticket, quota, n, expires }),
        1 => (0usize..3).prop_map(Op::Remaining),
        1 => sweep_at.prop_map(Op::Sweep),
        1 => (0usize..3).prop_map(Op::RevokeKey),
        1 => (0usize..3).prop_map(Op::IsKeyRevoked),
        1 => Just(Op::ListKeys),
        1 => Just(Op::Reopen),
        1 => Just(Op::Compact),
    ]
}

#[derive(Default)]
struct Model {
    subjects: BTreeMap<&'static str, SubjectRecord>,
    tickets: BTreeMap<usize, (u16, u64)>,
    keys: BTreeSet<[u8; 8]>,
}

fn ticket_id(i: usize) -> [u8; 16] {
    [i as u8 + 1; 16]
}

fn key_id(i: usize) -> [u8; 8] {
    [i as u8 + 1; 8]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn store_matches_an_in_memory_model(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let mut store = Some(open(&path));
        let mut model = Model::default();
        for op in ops {
            let s = store.as_ref().unwrap();
            match op {
                Op::Revoke(h, t) => {
                    let current = model.subjects.get(HANDLES[h]).copied();
                    let new = epoch::after_revoke(current, t);
                    if let Some(r) = new {
                        model.subjects.insert(HANDLES[h], r);
                    }
                    prop_assert_eq!(epoch::revoke(s, HANDLES[h], t).unwrap(), new.is_some());
                }
                Op::Appeal(h, t) => {
                    let current = model.subjects.get(HANDLES[h]).copied();
                    let new = epoch::after_appeal(current, t);
                    if let Some(r) = new {
                        model.subjects.insert(HANDLES[h], r);
                    }
                    prop_assert_eq!(epoch::appeal(s, HANDLES[h], t).unwrap(), new.is_some());
                }
                Op::IsRevoked(h) => {
                    prop_assert_eq!(
                        s.is_revoked(HANDLES[h]).unwrap(),
                        model.subjects.get(HANDLES[h]).is_some_and(|r| r.revoked)
                    );
                }
                Op::Redeem(h, t) => {
                    let current = model.subjects.get(HANDLES[h]).copied();
                    let expected = epoch::admits(current, t);
                    if expected.is_ok() {
                        if let Some(r) = epoch::after_ticket(current, t) {
                            model.subjects.insert(HANDLES[h], r);
                        }
                    }
                    let got = epoch::redeem(s, &key().subject(HANDLES[h]), t);
                    prop_assert_eq!(
                        got.map_err(|e| e.code()),
                        expected.map_err(|e| Refusal::<StoreError>::from(e).code())
                    );
                }
                Op::Reserve { ticket: i, quota, n, expires } => {
                    let got = s.reserve_tokens(&ticket(ticket_id(i)), quota, n, expires);
                    let (remaining, exp) = model.tickets.get(&i).copied().unwrap_or((quota, expires));
                    match got {
                        _ if n == 0 => prop_assert!(matches!(got, Err(StoreError::ZeroTokens))),
                        Ok(left) => {
                            prop_assert!(n <= remaining);
                            prop_assert_eq!(left, remaining - n);
                            model.tickets.insert(i, (left, exp));
                        }
                        Err(StoreError::QuotaExceeded { remaining: r }) => {
                            prop_assert!(n > remaining);
                            prop_assert_eq!(r, remaining);
                        }
                        Err(e) => prop_assert!(false, "unexpected error {}", e),
                    }
                }
                Op::Remaining(t) => {
                    prop_assert_eq!(
                        s.remaining_tokens(ticket_id(t)).unwrap(),
                        model.tickets.get(&t).map(|(r, _)| *r)
                    );
                }
                Op::Sweep(now) => {
                    let (tickets, subjects) = (model.tickets.len(), model.subjects.len());
                    model
                        .tickets
                        .retain(|_, (_, exp)| !epoch::ticket_record_forgettable(*exp, now));
                    model
                        .subjects
                        .retain(|_, r| !epoch::subject_record_forgettable(r, now));
                    prop_assert_eq!(
                        s.sweep(now).unwrap(),
                        Swept {
                            tickets: tickets - model.tickets.len(),
                            subjects: subjects - model.subjects.len(),
                        }
                    );
                }
                Op::RevokeKey(k) => {
                    prop_assert_eq!(s.revoke_key(key_id(k)).unwrap(), model.keys.insert(key_id(k)));
                }
                Op::IsKeyRevoked(k) => {
                    prop_assert_eq!(s.is_key_revoked(key_id(k)).unwrap(), model.keys.contains(&key_id(k)));
                }
                Op::ListKeys => {
                    prop_assert_eq!(s.revoked_keys().unwrap(), model.keys.iter().copied().collect::<Vec<_>>());
                }
                Op::Reopen => {
                    drop(store.take());
                    store = Some(open(&path));
                }
                Op::Compact => {
                    prop_assert!(s.compact().unwrap());
                }
            }
            let s = store.as_ref().unwrap();
            prop_assert_eq!(s.subject_count(), model.subjects.len());
            prop_assert_eq!(
                s.revoked_subject_count().unwrap(),
                model.subjects.values().filter(|r| r.revoked).count()
            );
            prop_assert_eq!(s.ticket_count(), model.tickets.len());
        }
    }
}

// --- refusing what it cannot read -------------------------------------------------------------

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    drop(open(&path));
    {
        let db = sled_open(&path);
        db.open_tree("meta")
            .unwrap()
            .insert("schema", &[3u8])
            .unwrap();
        db.flush().unwrap();
    }
    assert!(matches!(
        open_refused(&path, key),
        StoreError::UnsupportedSchema { found: 3 }
    ));
}

#[test]
fn corrupt_records_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    drop(open(&path));
    {
        let db = sled_open(&path);
        db.open_tree("tickets")
            .unwrap()
            .insert(ticket(T).as_bytes(), &[1u8, 2, 3])
            .unwrap();
        db.open_tree("subjects")
            .unwrap()
            .insert(
                key().subject("s").as_bytes(),
                &[1u8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0],
            )
            .unwrap();
        db.open_tree("revoked-keys")
            .unwrap()
            .insert(b"short", &[])
            .unwrap();
        db.flush().unwrap();
    }
    let store = open(&path);
    assert!(matches!(
        store.reserve_tokens(&ticket(T), 5, 1, 10),
        Err(StoreError::Corrupt(_))
    ));
    assert!(matches!(
        store.remaining_tokens(T),
        Err(StoreError::Corrupt(_))
    ));
    assert!(matches!(store.sweep(100), Err(StoreError::Corrupt(_))));
    assert!(matches!(store.is_revoked("s"), Err(StoreError::Corrupt(_))));
    assert!(matches!(
        epoch::revoke(&store, "s", 1),
        Err(StoreError::Corrupt(_))
    ));
    assert!(matches!(store.revoked_keys(), Err(StoreError::Corrupt(_))));
    assert!(store.is_key_revoked([0; 8]).is_ok());
}
