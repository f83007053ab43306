//! Behaviour of the revocation store: quotas under contention, persistence, appeals, sweeping,
//! and a model-based proptest.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Barrier};

use greenlight_revocation::{RevocationStore, StoreError};
use proptest::prelude::*;

const T: [u8; 16] = [7; 16];

#[test]
fn quota_is_never_exceeded_by_20_concurrent_callers() {
    let store = RevocationStore::open_temporary().unwrap();
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
                    match store.reserve_tokens(T, QUOTA, n, 1_000) {
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
    while store.reserve_tokens(T, QUOTA, 1, 1_000).is_ok() {
        total += 1;
    }
    assert_eq!(total, u32::from(QUOTA));
    assert_eq!(store.remaining_tokens(T).unwrap(), Some(0));
}

#[test]
fn single_token_reservations_under_contention_sum_to_the_quota() {
    let store = RevocationStore::open_temporary().unwrap();
    const QUOTA: u16 = 64;
    let barrier = Arc::new(Barrier::new(20));
    let handles: Vec<_> = (0..20)
        .map(|_| {
            let (store, barrier) = (store.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let mut granted = 0u32;
                while store.reserve_tokens(T, QUOTA, 1, 1_000).is_ok() {
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
    let store = RevocationStore::open_temporary().unwrap();
    assert_eq!(store.remaining_tokens(T).unwrap(), None);
    assert!(matches!(
        store.reserve_tokens(T, 10, 0, 100),
        Err(StoreError::ZeroTokens)
    ));
    // Asking for more than the quota on first use creates nothing.
    assert!(matches!(
        store.reserve_tokens(T, 10, 11, 100),
        Err(StoreError::QuotaExceeded { remaining: 10 })
    ));
    assert_eq!(store.remaining_tokens(T).unwrap(), None);
    assert_eq!(store.reserve_tokens(T, 10, 4, 100).unwrap(), 6);
    // Later calls use the stored quota, not the argument.
    assert_eq!(store.reserve_tokens(T, 60, 5, 100).unwrap(), 1);
    assert!(matches!(
        store.reserve_tokens(T, 10, 2, 100),
        Err(StoreError::QuotaExceeded { remaining: 1 })
    ));
    assert_eq!(store.remaining_tokens(T).unwrap(), Some(1));
    assert_eq!(store.reserve_tokens(T, 10, 1, 100).unwrap(), 0);
    assert!(matches!(
        store.reserve_tokens(T, 10, 1, 100),
        Err(StoreError::QuotaExceeded { remaining: 0 })
    ));
    // Other tickets are independent.
    assert_eq!(store.reserve_tokens([8; 16], 3, 1, 100).unwrap(), 2);
    assert_eq!(store.ticket_count(), 2);
}

#[test]
fn subjects_revoke_and_appeal() {
    let store = RevocationStore::open_temporary().unwrap();
    assert!(!store.is_revoked("h-1").unwrap());
    assert!(store.revoke_subject("h-1").unwrap());
    assert!(
        !store.revoke_subject("h-1").unwrap(),
        "second revoke is not new"
    );
    assert!(store.is_revoked("h-1").unwrap());
    assert!(!store.is_revoked("h-2").unwrap());
    assert_eq!(store.revoked_subject_count(), 1);
    assert!(store.unrevoke_subject("h-1").unwrap());
    assert!(
        !store.unrevoke_subject("h-1").unwrap(),
        "nothing left to lift"
    );
    assert!(!store.is_revoked("h-1").unwrap());
    assert_eq!(store.revoked_subject_count(), 0);
}

#[test]
fn keys_revoke_and_list() {
    let store = RevocationStore::open_temporary().unwrap();
    assert!(store.revoked_keys().unwrap().is_empty());
    assert!(store.revoke_key([2; 8]).unwrap());
    assert!(store.revoke_key([1; 8]).unwrap());
    assert!(!store.revoke_key([1; 8]).unwrap());
    assert!(store.is_key_revoked([1; 8]).unwrap());
    assert!(!store.is_key_revoked([3; 8]).unwrap());
    assert_eq!(store.revoked_keys().unwrap(), vec![[1; 8], [2; 8]]);
}

#[test]
fn sweep_removes_only_expired_records() {
    let store = RevocationStore::open_temporary().unwrap();
    store.reserve_tokens([1; 16], 5, 1, 100).unwrap();
    store.reserve_tokens([2; 16], 5, 1, 200).unwrap();
    store.reserve_tokens([3; 16], 5, 1, 300).unwrap();
    assert_eq!(
        store.sweep_expired(100).unwrap(),
        0,
        "expiry 100 has not passed at 100"
    );
    assert_eq!(store.sweep_expired(201).unwrap(), 2);
    assert_eq!(store.remaining_tokens([1; 16]).unwrap(), None);
    assert_eq!(store.remaining_tokens([2; 16]).unwrap(), None);
    assert_eq!(store.remaining_tokens([3; 16]).unwrap(), Some(4));
    assert_eq!(store.sweep_expired(201).unwrap(), 0);
    // Revocations are untouched by sweeping.
    store.revoke_subject("h").unwrap();
    store.revoke_key([9; 8]).unwrap();
    assert_eq!(store.sweep_expired(u64::MAX).unwrap(), 1);
    assert!(store.is_revoked("h").unwrap());
    assert!(store.is_key_revoked([9; 8]).unwrap());
    assert_eq!(store.ticket_count(), 0);
}

#[test]
fn state_survives_close_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let store = RevocationStore::open(&path).unwrap();
        assert!(store.revoke_subject("alice").unwrap());
        assert!(store.revoke_subject("bob").unwrap());
        assert!(store.unrevoke_subject("bob").unwrap());
        assert_eq!(store.reserve_tokens(T, 10, 3, 500).unwrap(), 7);
        assert!(store.revoke_key([4; 8]).unwrap());
        let clone = store.clone();
        drop(store);
        assert_eq!(clone.reserve_tokens(T, 10, 1, 500).unwrap(), 6);
    }
    {
        let store = RevocationStore::open(&path).unwrap();
        assert!(store.is_revoked("alice").unwrap());
        assert!(!store.is_revoked("bob").unwrap());
        assert_eq!(store.remaining_tokens(T).unwrap(), Some(6));
        assert_eq!(store.revoked_keys().unwrap(), vec![[4; 8]]);
        // The expiry stored on first use survives too.
        assert_eq!(store.sweep_expired(500).unwrap(), 0);
        assert_eq!(store.sweep_expired(501).unwrap(), 1);
    }
    let store = RevocationStore::open(&path).unwrap();
    assert_eq!(store.remaining_tokens(T).unwrap(), None);
    assert!(store.is_revoked("alice").unwrap());
}

#[test]
fn the_store_holds_no_handle_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let handle = "very-distinctive-subject-handle-1234";
    {
        let store = RevocationStore::open(&path).unwrap();
        store.revoke_subject(handle).unwrap();
    }
    for entry in walk(&path) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(handle.len()).any(|w| w == handle.as_bytes()),
            "{} contains the handle",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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

// --- model-based proptest -------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Revoke(usize),
    Unrevoke(usize),
    IsRevoked(usize),
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
}

const HANDLES: [&str; 4] = ["a", "b", "c", "ünïcode"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0..HANDLES.len()).prop_map(Op::Revoke),
        1 => (0..HANDLES.len()).prop_map(Op::Unrevoke),
        1 => (0..HANDLES.len()).prop_map(Op::IsRevoked),
        3 => (0usize..3, 0u16..8, 0u16..5, 0u64..10)
            .prop_map(|(ticket, quota, n, expires)| Op::Reserve { ticket, quota, n, expires }),
        1 => (0usize..3).prop_map(Op::Remaining),
        1 => (0u64..12).prop_map(Op::Sweep),
        1 => (0usize..3).prop_map(Op::RevokeKey),
        1 => (0usize..3).prop_map(Op::IsKeyRevoked),
        1 => Just(Op::ListKeys),
        1 => Just(Op::Reopen),
    ]
}

#[derive(Default)]
struct Model {
    revoked: BTreeSet<&'static str>,
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
        let mut store = Some(RevocationStore::open(&path).unwrap());
        let mut model = Model::default();
        for op in ops {
            let s = store.as_ref().unwrap();
            match op {
                Op::Revoke(h) => {
                    let newly = model.revoked.insert(HANDLES[h]);
                    prop_assert_eq!(s.revoke_subject(HANDLES[h]).unwrap(), newly);
                }
                Op::Unrevoke(h) => {
                    let was = model.revoked.remove(HANDLES[h]);
                    prop_assert_eq!(s.unrevoke_subject(HANDLES[h]).unwrap(), was);
                }
                Op::IsRevoked(h) => {
                    prop_assert_eq!(s.is_revoked(HANDLES[h]).unwrap(), model.revoked.contains(HANDLES[h]));
                }
                Op::Reserve { ticket, quota, n, expires } => {
                    let got = s.reserve_tokens(ticket_id(ticket), quota, n, expires);
                    let (remaining, exp) = model.tickets.get(&ticket).copied().unwrap_or((quota, expires));
                    match got {
                        _ if n == 0 => prop_assert!(matches!(got, Err(StoreError::ZeroTokens))),
                        Ok(left) => {
                            prop_assert!(n <= remaining);
                            prop_assert_eq!(left, remaining - n);
                            model.tickets.insert(ticket, (left, exp));
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
                    let before = model.tickets.len();
                    model.tickets.retain(|_, (_, exp)| *exp >= now);
                    prop_assert_eq!(s.sweep_expired(now).unwrap(), before - model.tickets.len());
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
                    store = Some(RevocationStore::open(&path).unwrap());
                }
            }
            let s = store.as_ref().unwrap();
            prop_assert_eq!(s.revoked_subject_count(), model.revoked.len());
            prop_assert_eq!(s.ticket_count(), model.tickets.len());
        }
    }
}

// --- refusing what it cannot read -------------------------------------------------------------

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    drop(RevocationStore::open(&path).unwrap());
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert("schema", &[2u8])
            .unwrap();
        db.flush().unwrap();
    }
    assert!(matches!(
        RevocationStore::open(&path),
        Err(StoreError::UnsupportedSchema { found: 2 })
    ));
}

#[test]
fn corrupt_records_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    drop(RevocationStore::open(&path).unwrap());
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("ticket-quotas")
            .unwrap()
            .insert(T, &[1u8, 2, 3])
            .unwrap();
        db.open_tree("revoked-keys")
            .unwrap()
            .insert(b"short", &[])
            .unwrap();
        db.flush().unwrap();
    }
    let store = RevocationStore::open(&path).unwrap();
    assert!(matches!(
        store.reserve_tokens(T, 5, 1, 10),
        Err(StoreError::Corrupt(_))
    ));
    assert!(matches!(
        store.remaining_tokens(T),
        Err(StoreError::Corrupt(_))
    ));
    assert!(matches!(
        store.sweep_expired(100),
        Err(StoreError::Corrupt(_))
    ));
    assert!(matches!(store.revoked_keys(), Err(StoreError::Corrupt(_))));
    assert!(store.is_key_revoked([0; 8]).is_ok());
}
