//! Trust decisions against a scripted (possibly malicious) server: key-list successors,
//! rollbacks and forks, root changes, issuing keys outside the list, key lists that could tag
//! holders, trust on first use (https or loopback only; `--root` by key or fingerprint), and
//! an issuer that certifies something other than the ticket says.

mod common;

use std::str::FromStr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::{IssuerSession, RegistrationBatch};
use greenlight_acl::{Attributes, IssuerKeyPair};
use greenlight_client::http::HttpError;
use greenlight_client::keys::{KeyChange, RootPin};
use greenlight_client::wallet::RedeemOptions;
use greenlight_client::{clock, ClientError, Lang, PinOutcome, Venue, Wallet};
use greenlight_protocol::{
    IssuerEntry, IssuerKeyEntry, KeyList, KeyListBody, SigningKey, Status, SubjectHandle, Ticket,
    TicketBody, TravelHistory,
};
use rand::rngs::OsRng;
use serde_json::{json, Value};

struct Script {
    keys: Value,
    issuer: Option<Arc<IssuerKeyPair>>,
    attributes: Option<Attributes>,
    finish_calls: usize,
}

type Shared = Arc<Mutex<Script>>;

async fn keys(State(s): State<Shared>) -> Json<Value> {
    Json(s.lock().unwrap().keys.clone())
}

/// A real `commit` over whatever attributes the script says (honest or not).
async fn start(State(s): State<Shared>, Json(req): Json<Value>) -> (StatusCode, Json<Value>) {
    let (issuer, attributes) = {
        let g = s.lock().unwrap();
        (g.issuer.clone().unwrap(), g.attributes.clone().unwrap())
    };
    let ticket = Ticket::from_text(req["ticket"].as_str().unwrap()).unwrap();
    let regs = URL_SAFE_NO_PAD
        .decode(req["registrations"].as_str().unwrap())
        .unwrap();
    let regs = RegistrationBatch::from_bytes(&regs).unwrap();
    let binding = ticket.unverified_body().ticket_id();
    let (_committed, commitments) =
        IssuerSession::commit_with_rng(&issuer, &binding, attributes, &regs, &mut OsRng).unwrap();
    (
        StatusCode::OK,
        Json(json!({
            "session": "00112233445566778899aabbccddeeff",
            "commitments": URL_SAFE_NO_PAD.encode(commitments.to_bytes()),
            "expires_in_secs": 60,
        })),
    )
}

async fn finish(State(s): State<Shared>) -> (StatusCode, Json<Value>) {
    s.lock().unwrap().finish_calls += 1;
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": {"code": "unknown_session", "message": "no such session"}})),
    )
}

async fn serve(script: Script) -> (String, Shared) {
    let shared = Arc::new(Mutex::new(script));
    let app = Router::new()
        .route("/v1/keys", get(keys))
        .route("/v1/issuance/start", post(start))
        .route("/v1/issuance/finish", post(finish))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, shared)
}

fn now() -> u64 {
    clock::now_unix()
}

/// One instant for the whole test process: a key's `issue_from` and `accept_until` must not
/// change between list versions (the append-only successor rule), so they may not be read
/// from the clock again for each version (a second boundary in between made syncs fail).
fn anchor() -> u64 {
    static ANCHOR: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *ANCHOR.get_or_init(now)
}

/// Issuing from 30 days ago (the wallet wants issuing periods of at least 14 days).
fn entry(issuer: &IssuerKeyPair, revoked: bool, issue_until: u64) -> IssuerKeyEntry {
    let mut e = IssuerKeyEntry::new(
        issuer.public().y_bytes(),
        anchor() - 30 * 86_400,
        issue_until,
        anchor() + 30 * 86_400,
    );
    e.revoked = revoked;
    e
}

fn list(root: &SigningKey, sequence: u64, issuers: Vec<(&str, Vec<IssuerKeyEntry>)>) -> KeyList {
    KeyListBody::new(
        sequence,
        1_700_000_000 + sequence,
        issuers
            .into_iter()
            .map(|(region, keys)| IssuerEntry {
                region: region.into(),
                display_name: format!("Issuer {region}"),
                keys,
            })
            .collect(),
    )
    .unwrap()
    .sign(root)
}

fn keys_json(root: &SigningKey, list: &KeyList, issuing: &IssuerKeyPair) -> Value {
    json!({
        "root_public_key": hex::encode(root.verifying_key().as_bytes()),
        "key_list": list.to_text(),
        "issuing_key_id": hex::encode(issuing.public().key_id().0),
    })
}

fn ticket_text(status: Status, travel: &str) -> String {
    let authority = SigningKey::from_bytes(&[3; 32]);
    TicketBody::new_with_rng(
        &mut OsRng,
        SubjectHandle::new("script-subject").unwrap(),
        status,
        TravelHistory::from_str(travel).unwrap(),
        now() - 60,
        now() + 3600,
        3,
    )
    .unwrap()
    .sign(&authority)
    .to_text()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn venue_sync_takes_successors_and_refuses_rollbacks_forks_and_new_roots() {
    let root = SigningKey::from_bytes(&[1; 32]);
    let k1 = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let k2 = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let far = now() + 10 * 86_400;
    let l1 = list(&root, 1, vec![("AA", vec![entry(&k1, false, far)])]);
    let (url, script) = serve(Script {
        keys: keys_json(&root, &l1, &k1),
        issuer: None,
        attributes: None,
        finish_calls: 0,
    })
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let (mut venue, _) = Venue::init(tmp.path(), &url, "Hall", 12, None)
        .await
        .unwrap();
    let set = |v: Value| script.lock().unwrap().keys = v;

    // Unchanged.
    let r = venue.sync().await.unwrap();
    assert_eq!((r.old_sequence, r.new_sequence), (1, 1));
    assert!(r.changes.is_empty());

    // A new region with a new key: accepted, reported, stored.
    let l2 = list(
        &root,
        2,
        vec![
            ("AA", vec![entry(&k1, false, far)]),
            ("BB", vec![entry(&k2, false, far)]),
        ],
    );
    set(keys_json(&root, &l2, &k1));
    let r = venue.sync().await.unwrap();
    assert_eq!((r.old_sequence, r.new_sequence), (1, 2));
    assert!(r.changes.contains(&KeyChange::NewIssuer {
        region: "BB".into()
    }));
    assert!(r
        .changes
        .iter()
        .any(|c| matches!(c, KeyChange::NewKey { region, .. } if region == "BB")));
    assert_eq!(
        Venue::open(tmp.path()).unwrap().trust().body().sequence(),
        2
    );

    // Rollback to version 1: refused, the stored list stays.
    set(keys_json(&root, &l1, &k1));
    let e = venue.sync().await.unwrap_err();
    assert!(matches!(e, ClientError::KeyListRollback(_)), "{e:?}");
    assert_eq!(e.exit_code(), 1);
    assert!(e.localized(Lang::Zh).contains("追加"));
    assert_eq!(
        Venue::open(tmp.path()).unwrap().trust().body().sequence(),
        2
    );

    // A fork: another list under sequence 2 (BB's key silently dropped).
    let fork = list(&root, 2, vec![("AA", vec![entry(&k1, false, far)])]);
    set(keys_json(&root, &fork, &k1));
    assert!(matches!(
        venue.sync().await.unwrap_err(),
        ClientError::KeyListRollback(_)
    ));

    // Revoking k1 is a valid successor, and reported.
    let l3 = list(
        &root,
        3,
        vec![
            ("AA", vec![entry(&k1, true, far)]),
            ("BB", vec![entry(&k2, false, far)]),
        ],
    );
    set(keys_json(&root, &l3, &k2));
    let r = venue.sync().await.unwrap();
    assert!(
        r.changes
            .iter()
            .any(|c| matches!(c, KeyChange::Revoked { .. })),
        "{:?}",
        r.changes
    );
    assert!(venue
        .trust()
        .accepted_keys(now())
        .iter()
        .all(|k| k.key_id() != k1.public().key_id()));
    // …and un-revoking it is not.
    let l4 = list(
        &root,
        4,
        vec![
            ("AA", vec![entry(&k1, false, far)]),
            ("BB", vec![entry(&k2, false, far)]),
        ],
    );
    set(keys_json(&root, &l4, &k2));
    assert!(matches!(
        venue.sync().await.unwrap_err(),
        ClientError::KeyListRollback(_)
    ));

    // A server that now presents another root.
    let evil = SigningKey::from_bytes(&[2; 32]);
    let evil_list = list(&evil, 9, vec![("AA", vec![entry(&k1, false, far)])]);
    set(keys_json(&evil, &evil_list, &k1));
    let e = venue.sync().await.unwrap_err();
    assert!(matches!(e, ClientError::RootMismatch { .. }), "{e:?}");
    // The pinned root's key, but a list signed by someone else.
    let mut forged = keys_json(&root, &evil_list, &k1);
    forged["root_public_key"] = json!(hex::encode(root.verifying_key().as_bytes()));
    set(forged);
    assert!(matches!(
        venue.sync().await.unwrap_err(),
        ClientError::KeyListInvalid(_)
    ));
    // Garbage.
    set(
        json!({"root_public_key": hex::encode(root.verifying_key().as_bytes()), "key_list": "GLK1:XYZ", "issuing_key_id": "00"}),
    );
    assert!(matches!(
        venue.sync().await.unwrap_err(),
        ClientError::KeyListInvalid(_)
    ));
    set(json!({"nothing": true}));
    assert!(matches!(
        venue.sync().await.unwrap_err(),
        ClientError::Http(_)
    ));
    assert_eq!(
        Venue::open(tmp.path()).unwrap().trust().body().sequence(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_only_redeems_under_a_listed_issuing_key() {
    let root = SigningKey::from_bytes(&[4; 32]);
    let listed = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let stranger = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let far = now() + 86_400;
    let l = list(&root, 1, vec![("AA", vec![entry(&listed, false, far)])]);
    let (url, script) = serve(Script {
        keys: keys_json(&root, &l, &stranger),
        issuer: None,
        attributes: None,
        finish_calls: 0,
    })
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path()).unwrap();
    let t = ticket_text(Status::Green, "HK");
    let e = wallet
        .redeem(&url, &t, "self", &common::quiet)
        .await
        .unwrap_err();
    assert!(
        e.localized(Lang::En).contains("not in the signed key list"),
        "{e:?}"
    );

    let revoked = list(&root, 1, vec![("AA", vec![entry(&listed, true, far)])]);
    script.lock().unwrap().keys = keys_json(&root, &revoked, &listed);
    let e = wallet
        .redeem(&url, &t, "self", &common::quiet)
        .await
        .unwrap_err();
    assert!(e.localized(Lang::En).contains("revoked"), "{e:?}");

    let expired = list(
        &root,
        1,
        vec![("AA", vec![entry(&listed, false, now() - 3600)])],
    );
    script.lock().unwrap().keys = keys_json(&root, &expired, &listed);
    let e = wallet
        .redeem(&url, &t, "self", &common::quiet)
        .await
        .unwrap_err();
    assert!(e.localized(Lang::En).contains("issuing period"), "{e:?}");

    // Three keys of one region issuing at once could sort residents into groups: refused.
    let extra1 = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let extra2 = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let crowded = list(
        &root,
        1,
        vec![(
            "AA",
            vec![
                entry(&listed, false, far),
                entry(&extra1, false, far),
                entry(&extra2, false, far),
            ],
        )],
    );
    script.lock().unwrap().keys = keys_json(&root, &crowded, &listed);
    let e = wallet
        .redeem(&url, &t, "self", &common::quiet)
        .await
        .unwrap_err();
    assert!(e.localized(Lang::En).contains("3 keys issuing"), "{e:?}");
    assert_eq!(wallet.token_count("self").unwrap(), 0);
    assert!(
        !tmp.path().join("wallet.json").exists(),
        "nothing was stored, not even the pin"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_refuses_attributes_other_than_the_ticket_says() {
    let root = SigningKey::from_bytes(&[5; 32]);
    let issuer = Arc::new(IssuerKeyPair::generate_with_rng(&mut OsRng));
    let l = list(
        &root,
        1,
        vec![("AA", vec![entry(&issuer, false, now() + 86_400)])],
    );
    let honest = |status: Status, travel: &str, hour: u32| Attributes {
        status: status.as_u8(),
        time_hours: hour,
        travel: Scalar::from_bytes_mod_order(
            TravelHistory::from_str(travel)
                .unwrap()
                .encode_scalar_bytes(),
        ),
        subject: Attributes::subject_scalar("script-subject"),
    };
    let (url, script) = serve(Script {
        keys: keys_json(&root, &l, &issuer),
        issuer: Some(issuer.clone()),
        attributes: None,
        finish_calls: 0,
    })
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path()).unwrap();
    let hour = clock::hour_of(now());
    let mut subject_swapped = honest(Status::Green, "HK", hour);
    subject_swapped.subject = Attributes::subject_scalar("someone-else");
    let cases = [
        (honest(Status::Red, "HK", hour), "status"),
        (honest(Status::Green, "CN", hour), "travel"),
        (subject_swapped, "subject"),
        (honest(Status::Green, "HK", hour + 5), "dated"),
        (honest(Status::Green, "HK", hour - 3), "dated"),
    ];
    for (attrs, what) in cases {
        script.lock().unwrap().attributes = Some(attrs);
        let t = ticket_text(Status::Green, "HK");
        let e = wallet
            .redeem(&url, &t, "self", &common::quiet)
            .await
            .unwrap_err();
        let msg = e.localized(Lang::En);
        assert!(
            msg.contains(what) || (what == "travel" && msg.contains("travel history")),
            "{what}: {msg}"
        );
        assert!(matches!(
            e,
            ClientError::AttributeMismatch(_) | ClientError::TimestampSkew { .. }
        ));
    }
    // Every refusal came before the challenges: the issuer never got to answer.
    assert_eq!(script.lock().unwrap().finish_calls, 0);
    // The honest answer goes on to the second round trip (which this script refuses).
    script.lock().unwrap().attributes = Some(honest(Status::Green, "HK", hour));
    let t = ticket_text(Status::Green, "HK");
    let e = wallet
        .redeem(&url, &t, "self", &common::quiet)
        .await
        .unwrap_err();
    assert!(e.localized(Lang::En).contains("session expired"), "{e:?}");
    assert_eq!(script.lock().unwrap().finish_calls, 1);
    assert_eq!(wallet.token_count("self").unwrap(), 0);
}

/// Two handles on one venue directory (two terminals, or a cron sync beside the door):
/// a slower sync must not overwrite the newer list another sync already saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_handle_cannot_roll_the_stored_key_list_back() {
    let root = SigningKey::from_bytes(&[6; 32]);
    let k1 = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let far = now() + 10 * 86_400;
    let l1 = list(&root, 1, vec![("AA", vec![entry(&k1, false, far)])]);
    let (url, script) = serve(Script {
        keys: keys_json(&root, &l1, &k1),
        issuer: None,
        attributes: None,
        finish_calls: 0,
    })
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let (mut fresh, _) = Venue::init(tmp.path(), &url, "Hall", 12, None)
        .await
        .unwrap();
    let mut stale = Venue::open(tmp.path()).unwrap();
    let set = |v: Value| script.lock().unwrap().keys = v;

    // Version 3 revokes the key; the fresh handle saves it.
    let l3 = list(&root, 3, vec![("AA", vec![entry(&k1, true, far)])]);
    set(keys_json(&root, &l3, &k1));
    fresh.sync().await.unwrap();
    // A lagging replica then serves version 2 (a valid successor of 1, not of 3) to the
    // handle that still holds version 1.
    let l2 = list(&root, 2, vec![("AA", vec![entry(&k1, false, far)])]);
    set(keys_json(&root, &l2, &k1));
    let e = stale.sync().await.unwrap_err();
    assert!(matches!(e, ClientError::KeyListRollback(_)), "{e:?}");
    // The revocation stays on disk.
    assert_eq!(
        Venue::open(tmp.path()).unwrap().trust().body().sequence(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_refuses_key_lists_that_could_tag_holders() {
    let root = SigningKey::from_bytes(&[7; 32]);
    let listed = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let far = now() + 86_400;
    // Keys of other issuers (never used to verify: any distinct bytes), issuing for 40 days.
    let fake = |n: u16| {
        let mut y = [0x33u8; 32];
        y[..2].copy_from_slice(&n.to_be_bytes());
        IssuerKeyEntry::new(
            y,
            anchor() - 20 * 86_400,
            far + 20 * 86_400,
            far + 27 * 86_400,
        )
    };
    let honest = list(&root, 1, vec![("AA", vec![entry(&listed, false, far)])]);
    let (url, script) = serve(Script {
        keys: keys_json(&root, &honest, &listed),
        issuer: None,
        attributes: None,
        finish_calls: 0,
    })
    .await;
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path()).unwrap();
    let t = ticket_text(Status::Green, "HK");
    let refused = |list: KeyList| {
        script.lock().unwrap().keys = keys_json(&root, &list, &listed);
        let wallet = wallet.clone();
        let t = t.clone();
        let url = url.clone();
        async move {
            let e = wallet
                .redeem(&url, &t, "self", &common::quiet)
                .await
                .unwrap_err();
            assert!(matches!(e, ClientError::KeyListTagging(_)), "{e:?}");
            assert_eq!(e.exit_code(), 1);
            (e.localized(Lang::En), e.localized(Lang::Zh))
        }
    };

    // 64 look-alike regions (AA, "A A", "a-a", …) × 2 keys: 128 groups. Refused.
    let spellings = ["AA", "aa", "A A", "A-A", "a a", "a-a", "A_A", "a_a"];
    let mut regions: Vec<(String, Vec<IssuerKeyEntry>)> = Vec::new();
    for r in 0..64u16 {
        let region = format!(
            "{}{}",
            spellings[usize::from(r % 8)],
            ".".repeat(usize::from(r / 8))
        );
        let keys = if r == 0 {
            vec![entry(&listed, false, far), fake(1000)]
        } else {
            vec![fake(2 * r), fake(2 * r + 1)]
        };
        regions.push((region, keys));
    }
    let tagging = list(
        &root,
        1,
        regions
            .iter()
            .map(|(r, k)| (r.as_str(), k.clone()))
            .collect(),
    );
    let (en, zh) = refused(tagging).await;
    assert!(en.contains("two issuers that look alike"), "{en}");
    assert!(zh.contains("看起来相同"), "{zh}");

    // A key that issues for one hour would date its tokens to the hour.
    let hourly = list(
        &root,
        1,
        vec![
            ("AA", vec![entry(&listed, false, far)]),
            (
                "BB",
                vec![IssuerKeyEntry::new([0x44; 32], now(), now() + 3600, far)],
            ),
        ],
    );
    let (en, _) = refused(hourly).await;
    assert!(en.contains("issues for only 1 h "), "{en}");
    assert!(en.contains("at least 14 days"), "{en}");

    // A second issuer named like the first ("Issuer AA" vs "ISSUER-AA").
    let twin = KeyListBody::new(
        1,
        1_700_000_001,
        vec![
            IssuerEntry {
                region: "AA".into(),
                display_name: "Issuer AA".into(),
                keys: vec![entry(&listed, false, far)],
            },
            IssuerEntry {
                region: "BB".into(),
                display_name: "ISSUER-AA".into(),
                keys: vec![fake(1)],
            },
        ],
    )
    .unwrap()
    .sign(&root);
    let (en, _) = refused(twin).await;
    assert!(en.contains("\"Issuer AA\" and \"ISSUER-AA\""), "{en}");

    assert!(
        !tmp.path().join("wallet.json").exists(),
        "nothing was stored, not even the pin"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trust_on_first_use_needs_https_or_loopback_or_an_explicit_root() {
    let tmp = tempfile::tempdir().unwrap();
    let t = ticket_text(Status::Green, "HK");
    // A plain-http server elsewhere (TEST-NET: nothing is ever contacted).
    let remote = "http://192.0.2.1:8080";
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let e = wallet
        .redeem(remote, &t, "self", &common::quiet)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::FirstUseRefused { .. }), "{e:?}");
    assert_eq!(
        e.localized(Lang::En),
        "refusing to trust http://192.0.2.1:8080 on first use: use https://, or pass --root \
         FINGERPRINT (compare it with the authority's published fingerprint)"
    );
    assert!(e.localized(Lang::Zh).contains("拒绝在首次使用时信任"));
    assert_eq!(e.exit_code(), 1);
    assert!(!tmp.path().join("w/wallet.json").exists());
    let e = Venue::init(tmp.path().join("v"), remote, "Door", 24, None)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::FirstUseRefused { .. }), "{e:?}");
    assert!(!tmp.path().join("v/venue.json").exists());

    // With an explicit root the first use is not needed: the wallet goes on to ask the
    // server (which does not answer here).
    let root = SigningKey::from_bytes(&[8; 32]);
    let pin = RootPin::parse(&greenlight_protocol::root_fingerprint(
        &root.verifying_key(),
    ))
    .unwrap();
    let opts = RedeemOptions {
        root: Some(pin),
        ..Default::default()
    };
    let e = wallet
        .redeem_with(remote, &t, "self", &opts, &common::quiet)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::Http(HttpError::Unreachable { .. } | HttpError::Timeout { .. })
        ),
        "{e:?}"
    );

    // On loopback, a root pinned by its fingerprint (what the authority publishes).
    let issuer = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let l = list(
        &root,
        1,
        vec![("AA", vec![entry(&issuer, false, now() + 86_400)])],
    );
    let (url, _) = serve(Script {
        keys: keys_json(&root, &l, &issuer),
        issuer: None,
        attributes: None,
        finish_calls: 0,
    })
    .await;
    let other = SigningKey::from_bytes(&[9; 32]);
    let wrong = RootPin::parse(&greenlight_protocol::root_fingerprint(
        &other.verifying_key(),
    ))
    .unwrap();
    let e = Venue::init(tmp.path().join("v1"), &url, "Door", 24, Some(wrong))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::RootMismatch { .. }), "{e:?}");
    let (venue, pinned) = Venue::init(tmp.path().join("v2"), &url, "Door", 24, Some(pin))
        .await
        .unwrap();
    assert!(matches!(pinned, PinOutcome::Explicit { .. }), "{pinned:?}");
    assert_eq!(venue.trust().fingerprint(), pin.fingerprint_hex());
    // And by the whole key, as before.
    let by_key = RootPin::parse(&hex::encode(root.verifying_key().as_bytes())).unwrap();
    let (_, pinned) = Venue::init(tmp.path().join("v3"), &url, "Door", 24, Some(by_key))
        .await
        .unwrap();
    assert!(matches!(pinned, PinOutcome::Explicit { .. }), "{pinned:?}");
}

/// A redirect is never followed: the first-use rule judged the URL the operator gave, and a
/// redirect could carry the first fetch of the root elsewhere (to plain http on another
/// host, in real life). Here a loopback server redirects `/v1/keys` to another one that
/// serves a valid list: nothing is pinned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_not_followed_when_fetching_the_key_list() {
    let tmp = tempfile::tempdir().unwrap();
    let root = SigningKey::from_bytes(&[9; 32]);
    let issuer = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let l = list(
        &root,
        1,
        vec![("AA", vec![entry(&issuer, false, now() + 86_400)])],
    );
    let (target, _) = serve(Script {
        keys: keys_json(&root, &l, &issuer),
        issuer: None,
        attributes: None,
        finish_calls: 0,
    })
    .await;
    let location = format!("{target}/v1/keys");
    let app = Router::new().route(
        "/v1/keys",
        get(move || {
            let location = location.clone();
            async move {
                (
                    StatusCode::FOUND,
                    [(axum::http::header::LOCATION, location)],
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let redirecting = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let e = Venue::init(tmp.path().join("v"), &redirecting, "Door", 24, None)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Http(_)), "{e:?}");
    assert!(!tmp.path().join("v/venue.json").exists());
    // The same list fetched directly is fine: the refusal is the redirect's.
    Venue::init(tmp.path().join("v2"), &target, "Door", 24, None)
        .await
        .unwrap();
}
