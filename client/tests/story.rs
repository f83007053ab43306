//! The wallet and venue against a real issuer (`EphemeralServer` on a loopback port): the
//! demo story, one show per token, profiles, and the refusals a resident can meet.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{quiet, ticket};
use greenlight_circuits::RejectReason;
use greenlight_client::http::{ErrorCode, HttpError, ServerCode};
use greenlight_client::keys::RootPin;
use greenlight_client::wallet::RedeemOptions;
use greenlight_client::{
    clock, demo, ClientError, Lang, PinOutcome, Presented, Rejection, Venue, Verdict, Wallet,
};
use greenlight_protocol::Status;
use greenlight_server::{EphemeralServer, FakeClock, ServerConfig};

fn token_id(p: &Presented) -> [u8; 32] {
    p.presentation.token_id()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_and_every_step_behaves() {
    let mut out = Vec::new();
    demo::run(Lang::En, &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    for n in 1..=10 {
        assert!(
            text.contains(&format!("[{n}]")),
            "step {n} missing:\n{text}"
        );
    }
    // One check mark per expectation: steps 1–10, and step 7 has two.
    assert_eq!(text.matches("✓ as expected").count(), 11, "{text}");
    assert!(text.contains("All steps behaved as expected."));
    let mut out = Vec::new();
    demo::run(Lang::Zh, &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("【第 10 步】") && text.contains("所有步骤均符合预期"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_story_step_by_step_through_the_library() {
    let server = EphemeralServer::start().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();

    let green = ticket(&server, "alice", Status::Green, 5);
    let r = wallet
        .redeem(&server.url, &green, "self", &quiet)
        .await
        .unwrap();
    assert_eq!(r.tokens_added, 5);
    assert!(r.new_profile);
    assert!(matches!(r.pin, PinOutcome::FirstUse { .. }));
    assert_eq!(wallet.token_count("self").unwrap(), 5);

    let (a, _) = Venue::init(tmp.path().join("a"), &server.url, "Cafe A", 24, None)
        .await
        .unwrap();
    let (b, pin) = Venue::init(tmp.path().join("b"), &server.url, "Library B", 48, None)
        .await
        .unwrap();
    assert!(matches!(pin, PinOutcome::FirstUse { .. }));

    let p = wallet.present(&a.code_text(), "self").unwrap();
    assert_eq!(p.tokens_left, 4);
    assert!(p.text.starts_with("GLP1:"));
    assert!(a.verify_text(&p.text).unwrap().is_accept());
    assert_eq!(
        a.verify_text(&p.text).unwrap(),
        Verdict::Reject(Rejection::Check(RejectReason::Replayed))
    );
    // Venue B asks for a 48 h window, so the window check fires before the venue id check.
    let q = wallet.present(&a.code_text(), "self").unwrap();
    assert!(matches!(
        b.verify_text(&q.text).unwrap(),
        Verdict::Reject(Rejection::Check(
            RejectReason::WrongWindow | RejectReason::WrongVenue
        ))
    ));
    let r = wallet.present(&b.code_text(), "self").unwrap();
    assert!(b.verify_text(&r.text).unwrap().is_accept());

    // Red tokens: the wallet refuses.
    let red = ticket(&server, "bob", Status::Red, 2);
    wallet
        .redeem(&server.url, &red, "bob", &quiet)
        .await
        .unwrap();
    let e = wallet.present(&a.code_text(), "bob").unwrap_err();
    assert!(matches!(e, ClientError::NoneGreen(_)), "{e}");
    assert_eq!(e.exit_code(), 1);
    assert_eq!(
        wallet.token_count("bob").unwrap(),
        2,
        "a refusal spends nothing"
    );

    // Revoke → refused; appeal → allowed.
    let later = ticket(&server, "alice", Status::Green, 2);
    let http = greenlight_client::http::Http::new(&server.url).unwrap();
    let rev = http
        .admin_revoke(&server.admin_token, "alice")
        .await
        .unwrap();
    assert!(rev.subject_revoked && rev.changed);
    let e = wallet
        .redeem(&server.url, &later, "self", &quiet)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            ClientError::Http(HttpError::Server {
                code: ServerCode::Known(ErrorCode::SubjectRevoked),
                status: 403,
                ..
            })
        ),
        "{e:?}"
    );
    assert_eq!(e.exit_code(), 1);
    assert!(e.localized(Lang::Zh).contains("申诉"));
    let appeal = http
        .admin_appeal(&server.admin_token, "alice")
        .await
        .unwrap();
    assert!(!appeal.subject_revoked && appeal.changed);
    // An appeal revives no ticket signed before it: the authority signs a new one.
    let after_appeal = ticket(&server, "alice", Status::Green, 2);
    let r = wallet
        .redeem(&server.url, &after_appeal, "self", &quiet)
        .await
        .unwrap();
    assert_eq!(r.tokens_added, 2);
    assert!(matches!(r.pin, PinOutcome::Matched { .. }));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_present_never_shows_a_token_twice() {
    let server = EphemeralServer::start().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let t = ticket(&server, "carol", Status::Green, 4);
    wallet
        .redeem(&server.url, &t, "self", &quiet)
        .await
        .unwrap();
    let (venue, _) = Venue::init(tmp.path().join("v"), &server.url, "Door", 24, None)
        .await
        .unwrap();

    // The first presentation is "lost" (never shown, process killed…): the retry must use
    // another token, and the lost one is gone from the wallet for good.
    let lost = wallet.present(&venue.code_text(), "self").unwrap();
    let lost_id = token_id(&lost);
    drop(lost);
    // A new Wallet handle on the same directory (as a new process would be).
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let mut ids = HashSet::from([lost_id]);
    for left in (0..3).rev() {
        let p = wallet.present(&venue.code_text(), "self").unwrap();
        assert_eq!(p.tokens_left, left);
        assert!(ids.insert(token_id(&p)), "a token was shown twice");
        assert!(venue.verify_text(&p.text).unwrap().is_accept());
    }
    let e = wallet.present(&venue.code_text(), "self").unwrap_err();
    assert!(matches!(e, ClientError::NoTokens(_)), "{e}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_presents_take_distinct_tokens() {
    let server = EphemeralServer::start().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let wallet = Wallet::open(&dir).unwrap();
    let t = ticket(&server, "dave", Status::Green, 6);
    wallet
        .redeem(&server.url, &t, "self", &quiet)
        .await
        .unwrap();
    let (venue, _) = Venue::init(tmp.path().join("v"), &server.url, "Door", 24, None)
        .await
        .unwrap();
    let code = venue.code_text();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let dir = dir.clone();
            let code = code.clone();
            std::thread::spawn(move || {
                let w = Wallet::open(&dir).unwrap();
                w.present(&code, "self").unwrap().presentation.token_id()
            })
        })
        .collect();
    let ids: HashSet<[u8; 32]> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(ids.len(), 6);
    assert_eq!(wallet.token_count("self").unwrap(), 0);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_are_isolated() {
    let server = EphemeralServer::start().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let mine = ticket(&server, "daughter", Status::Green, 3);
    let dads = ticket(&server, "father", Status::Green, 2);
    let r = wallet
        .redeem(&server.url, &mine, "self", &quiet)
        .await
        .unwrap();
    assert!(r.new_profile);
    let r = wallet
        .redeem(&server.url, &dads, "father", &quiet)
        .await
        .unwrap();
    assert!(r.new_profile);
    assert_eq!(r.tokens_in_profile, 2);
    let (venue, _) = Venue::init(tmp.path().join("v"), &server.url, "Clinic", 24, None)
        .await
        .unwrap();

    let p = wallet.present(&venue.code_text(), "father").unwrap();
    assert!(venue.verify_text(&p.text).unwrap().is_accept());
    assert_eq!(wallet.token_count("father").unwrap(), 1);
    assert_eq!(
        wallet.token_count("self").unwrap(),
        3,
        "father's present left self alone"
    );
    match wallet.present(&venue.code_text(), "nobody").unwrap_err() {
        ClientError::UnknownProfile { profile, profiles } => {
            assert_eq!(profile, "nobody");
            assert_eq!(profiles, ["father", "self"]);
        }
        other => panic!("expected UnknownProfile, got {other:?}"),
    }

    // Each profile has its own holder secret; status shows counts, never secrets.
    let raw = std::fs::read_to_string(tmp.path().join("w/wallet.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let holder = |p: &str| json["profiles"][p]["holder"].as_str().unwrap().to_owned();
    assert_eq!(holder("self").len(), 64);
    assert_ne!(holder("self"), holder("father"));
    let status = wallet.status().unwrap();
    let names: Vec<_> = status
        .profiles
        .iter()
        .map(|p| (p.name.as_str(), p.total))
        .collect();
    assert_eq!(names, vec![("father", 1), ("self", 3)]);
    assert_eq!(status.profiles[1].groups.len(), 1);
    assert_eq!(status.profiles[1].groups[0].status, Some(Status::Green));
    assert!(status.profiles[1].groups[0].age_hours <= 1);
    let debug = format!("{status:?}");
    assert!(!debug.contains(&holder("self")));

    // A redeem into an existing profile keeps its secret.
    let more = ticket(&server, "father", Status::Green, 1);
    wallet
        .redeem(&server.url, &more, "father", &quiet)
        .await
        .unwrap();
    let raw = std::fs::read_to_string(tmp.path().join("w/wallet.json")).unwrap();
    let json2: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        json2["profiles"]["father"]["holder"],
        json["profiles"]["father"]["holder"]
    );

    for bad in ["", "has space", "tab\t", "x".repeat(33).as_str()] {
        assert!(matches!(
            wallet.present(&venue.code_text(), bad).unwrap_err(),
            ClientError::BadProfile(_)
        ));
    }
    server.shutdown().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let server = EphemeralServer::start().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let t = ticket(&server, "erin", Status::Green, 1);
    wallet
        .redeem(&server.url, &t, "self", &quiet)
        .await
        .unwrap();
    let (venue, _) = Venue::init(tmp.path().join("v"), &server.url, "Door", 24, None)
        .await
        .unwrap();
    let p = wallet.present(&venue.code_text(), "self").unwrap();
    assert!(venue.verify_text(&p.text).unwrap().is_accept());
    let mode = |p: &str| {
        std::fs::metadata(tmp.path().join(p))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("w"), 0o700);
    assert_eq!(mode("v"), 0o700);
    assert_eq!(mode("w/wallet.json"), 0o600);
    assert_eq!(mode("v/venue.json"), 0o600);
    assert_eq!(mode("v/seen.json"), 0o600);
    // No temporary files left behind by the atomic writes.
    for d in ["w", "v"] {
        for entry in std::fs::read_dir(tmp.path().join(d)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(!name.starts_with(".tmp-"), "{name}");
        }
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_a_resident_can_meet() {
    let server = EphemeralServer::start().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    let t = ticket(&server, "frank", Status::Green, 2);

    // Not a ticket / damaged: refused locally, before any network traffic (the URL is dead).
    let dead = "http://127.0.0.1:9";
    let e = wallet
        .redeem(dead, "hello", "self", &quiet)
        .await
        .unwrap_err();
    assert!(
        matches!(e, ClientError::NotATicket { found: None }),
        "{e:?}"
    );
    assert_eq!(e.exit_code(), 2);
    let e = wallet
        .redeem(dead, "GLV1:ABC", "self", &quiet)
        .await
        .unwrap_err();
    assert!(
        matches!(e, ClientError::NotATicket { found: Some(_) }),
        "{e:?}"
    );
    let e = wallet
        .redeem(dead, &t[..t.len() - 6], "self", &quiet)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::Damaged { .. }), "{e:?}");
    // Expired: also local.
    let far = RedeemOptions {
        root: None,
        now: Some(clock::now_unix() + 400 * 24 * 3600),
        ..Default::default()
    };
    let e = wallet
        .redeem_with(dead, &t, "self", &far, &quiet)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::TicketExpired { .. }), "{e:?}");
    // A dead server: connection refused, exit code 3.
    let e = wallet.redeem(dead, &t, "self", &quiet).await.unwrap_err();
    assert!(
        matches!(e, ClientError::Http(HttpError::Unreachable { .. })),
        "{e:?}"
    );
    assert_eq!(e.exit_code(), 3);
    assert!(e.localized(Lang::Zh).contains("无法连接"));

    // Anti-tagging: the wallet's clock is 3 h ahead of the issuer's stamp → refused before
    // any challenge is sent, nothing stored.
    let skewed = RedeemOptions {
        root: None,
        now: Some(clock::now_unix() + 3 * 3600),
        ..Default::default()
    };
    let e = wallet
        .redeem_with(&server.url, &t, "self", &skewed, &quiet)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::TimestampSkew { .. }), "{e:?}");
    assert_eq!(wallet.token_count("self").unwrap(), 0);

    // The ticket's quota was reserved by that attempt: asking again is over quota.
    let e = wallet
        .redeem(&server.url, &t, "self", &quiet)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            ClientError::Http(HttpError::Server {
                code: ServerCode::Known(ErrorCode::QuotaExceeded),
                ..
            })
        ),
        "{e:?}"
    );

    // A wrong --root on a fresh wallet, then a right one.
    let fresh = Wallet::open(tmp.path().join("w2")).unwrap();
    let t2 = ticket(&server, "gina", Status::Green, 1);
    let wrong = RedeemOptions {
        root: Some(RootPin::Key(
            greenlight_protocol::SigningKey::from_bytes(&[9; 32])
                .verifying_key()
                .to_bytes(),
        )),
        ..Default::default()
    };
    let e = fresh
        .redeem_with(&server.url, &t2, "self", &wrong, &quiet)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::RootMismatch { .. }), "{e:?}");
    let right = RedeemOptions {
        root: Some(RootPin::Key(server.state().root_public_key().to_bytes())),
        ..Default::default()
    };
    let r = fresh
        .redeem_with(&server.url, &t2, "self", &right, &quiet)
        .await
        .unwrap();
    assert!(matches!(r.pin, PinOutcome::Explicit { .. }));

    // A second server with another root: the wallet pinned the first one.
    let other = EphemeralServer::start().await.unwrap();
    // A ticket of the other server's authority, offered here: the wallet checks it against
    // the authority key this server publishes and refuses it before any issuance.
    let foreign = ticket(&other, "hana", Status::Green, 1);
    let held = fresh.token_count("self").unwrap();
    let e = fresh
        .redeem(&server.url, &foreign, "self", &quiet)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::TicketAuthority), "{e:?}");
    assert_eq!(e.exit_code(), 1);
    assert!(e
        .localized(Lang::En)
        .contains("not signed by the health authority whose tickets this server accepts"));
    assert_eq!(fresh.token_count("self").unwrap(), held);
    let t3 = ticket(&other, "frank", Status::Green, 1);
    let e = fresh
        .redeem(&other.url, &t3, "self", &quiet)
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::RootMismatch { .. }), "{e:?}");
    assert!(e.localized(Lang::En).contains("impostor"));
    other.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oldest_token_still_valid_is_used_first() {
    let now = clock::now_unix();
    let fake = FakeClock::new(now - 10 * 3600);
    let data = tempfile::tempdir().unwrap();
    let server =
        EphemeralServer::start_with(ServerConfig::new(data.path()).with_clock(fake.clone()))
            .await
            .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let wallet = Wallet::open(tmp.path().join("w")).unwrap();
    // Tokens issued 10 h, 5 h and 1 h ago (the wallet's clock agrees with the issuer's).
    for (ago, subject) in [(10u64, "h1"), (5, "h2"), (1, "h3")] {
        fake.set(now - ago * 3600);
        let t = ticket(&server, subject, Status::Green, 1);
        let opts = RedeemOptions {
            root: None,
            now: Some(now - ago * 3600),
            ..Default::default()
        };
        wallet
            .redeem_with(&server.url, &t, "self", &opts, &quiet)
            .await
            .unwrap();
    }
    fake.set(now);
    let (six, _) = Venue::init(tmp.path().join("v6"), &server.url, "Strict", 6, None)
        .await
        .unwrap();
    let ages = |w: &Wallet| -> Vec<u64> {
        let s = w.status_at(now).unwrap();
        s.profiles[0].groups.iter().map(|g| g.age_hours).collect()
    };
    assert_eq!(ages(&wallet), vec![1, 5, 10]);
    // A 6 h venue: the 10 h token is too old; the 5 h one is the oldest that qualifies.
    let p = wallet.present_at(&six.code_text(), "self", now).unwrap();
    assert!(six.verify_text_at(&p.text, now).unwrap().is_accept());
    assert_eq!(ages(&wallet), vec![1, 10]);
    let p = wallet.present_at(&six.code_text(), "self", now).unwrap();
    assert!(six.verify_text_at(&p.text, now).unwrap().is_accept());
    assert_eq!(ages(&wallet), vec![10]);
    let e = wallet
        .present_at(&six.code_text(), "self", now)
        .unwrap_err();
    assert!(
        matches!(
            e,
            ClientError::AllTooOld {
                window_hours: 6,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(ages(&wallet), vec![10], "a refusal spends nothing");
    // Seven hours later nothing is left that a 6 h venue would take either.
    let e = wallet
        .present_at(&six.code_text(), "self", now + 7 * 3600)
        .unwrap_err();
    assert!(matches!(e, ClientError::AllTooOld { .. }));
    // Tokens dated after the wallet's clock are not shown.
    let e = wallet
        .present_at(&six.code_text(), "self", now - 12 * 3600)
        .unwrap_err();
    assert!(matches!(e, ClientError::TokensFromFuture(_)), "{e}");
    server.shutdown().await;
    tokio::time::sleep(Duration::from_millis(10)).await;
}
