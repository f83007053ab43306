//! The region pin against a real issuer (`EphemeralServer` on a loopback port): a profile's
//! first redeem pins it to the issuing key's region, a later redeem under another region is
//! refused before any issuance, and `--new-region` moves it — in the library and on the
//! command line. Wallets written before pins existed load unpinned.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{quiet, ticket};
use greenlight_client::wallet::{RedeemOptions, RegionPin};
use greenlight_client::{ClientError, Lang, Msg, Wallet};
use greenlight_protocol::Status;
use greenlight_server::{EphemeralServer, ServerConfig};
use serde_json::Value;

const HERE: &str = ServerConfig::DEFAULT_REGION;
const ELSEWHERE: &str = "CN-ELSEWHERE";

/// Rewrites the `region` of `profile` in `wallet.json` (`None` removes it, as in a wallet
/// written before pins).
fn set_region(wallet_dir: &Path, profile: &str, region: Option<&str>) {
    let path = wallet_dir.join("wallet.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let p = doc["profiles"][profile].as_object_mut().unwrap();
    match region {
        Some(r) => p.insert("region".into(), Value::from(r)),
        None => p.remove("region"),
    };
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

fn region_of(wallet_dir: &Path, profile: &str) -> Option<String> {
    let doc: Value =
        serde_json::from_slice(&std::fs::read(wallet_dir.join("wallet.json")).unwrap()).unwrap();
    doc["profiles"][profile]["region"]
        .as_str()
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_redeems_in_one_region_until_the_holder_moves_it() {
    let server = EphemeralServer::start().await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let wallet = Wallet::open(&dir).unwrap();

    // The first redeem pins the profile, and says so.
    let r = wallet
        .redeem(
            &server.url,
            &ticket(&server, "pin-a", Status::Green, 2),
            "self",
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(
        (r.region.as_str(), r.region_pin.clone()),
        (HERE, RegionPin::New)
    );
    assert_eq!(region_of(&dir, "self").as_deref(), Some(HERE));
    let said = r.region_message().unwrap();
    assert_eq!(
        said,
        Msg::RegionPinned {
            profile: "self".into(),
            region: HERE.into(),
            issuer: ServerConfig::DEFAULT_ISSUER_NAME.into(),
        }
    );
    assert!(said.text(Lang::En).contains("--new-region"));

    // The same region again: kept, nothing to say.
    let r = wallet
        .redeem(
            &server.url,
            &ticket(&server, "pin-a", Status::Green, 1),
            "self",
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(r.region_pin, RegionPin::Kept);
    assert_eq!(r.region_message(), None);

    // Had the profile redeemed elsewhere before, this server's region is refused — before
    // any issuance: nothing stored, the ticket's quota untouched.
    set_region(&dir, "self", Some(ELSEWHERE));
    let t = ticket(&server, "pin-b", Status::Green, 3);
    let e = wallet
        .redeem(&server.url, &t, "self", &quiet)
        .await
        .unwrap_err();
    match &e {
        ClientError::RegionChanged {
            profile,
            pinned,
            offered,
        } => assert_eq!(
            (profile.as_str(), pinned.as_str(), offered.as_str()),
            ("self", ELSEWHERE, HERE)
        ),
        other => panic!("expected RegionChanged, got {other:?}"),
    }
    assert_eq!(e.exit_code(), 1);
    let en = e.localized(Lang::En);
    assert!(
        en.contains(&format!(
            "profile \"self\" redeems in region {ELSEWHERE}, but this server issues for region {HERE}"
        )) && en.contains("--new-region"),
        "{en}"
    );
    assert!(e.localized(Lang::Zh).contains("--new-region"));
    assert_eq!(wallet.token_count("self").unwrap(), 3);
    assert_eq!(region_of(&dir, "self").as_deref(), Some(ELSEWHERE));

    // Another profile (a family member) has its own pin and is not held back.
    let r = wallet
        .redeem(
            &server.url,
            &ticket(&server, "pin-c", Status::Green, 1),
            "father",
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(r.region_pin, RegionPin::New);

    // The holder has moved: the override redeems the whole (untouched) ticket and moves the
    // pin.
    let moved = RedeemOptions {
        new_region: true,
        ..Default::default()
    };
    let r = wallet
        .redeem_with(&server.url, &t, "self", &moved, &quiet)
        .await
        .unwrap();
    assert_eq!(r.tokens_added, 3);
    assert_eq!(
        r.region_pin,
        RegionPin::Moved {
            from: ELSEWHERE.into()
        }
    );
    assert!(r
        .region_message()
        .unwrap()
        .text(Lang::En)
        .contains(&format!("moved from region {ELSEWHERE} to {HERE}")));
    assert_eq!(region_of(&dir, "self").as_deref(), Some(HERE));

    // A wallet from before pins: not pinned yet, so its next redeem pins it.
    set_region(&dir, "self", None);
    let r = wallet
        .redeem(
            &server.url,
            &ticket(&server, "pin-d", Status::Green, 1),
            "self",
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(r.region_pin, RegionPin::New);
    assert_eq!(region_of(&dir, "self").as_deref(), Some(HERE));
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C")
        .env_remove("GREENLIGHT_WALLET")
        .env_remove("GREENLIGHT_VENUE")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_command_line_moves_a_profile_only_with_new_region() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let w = dir.to_str().unwrap();
    let redeem = |subject: &str, extra: &[&str]| {
        let t = ticket(&server, subject, Status::Green, 1);
        let mut args = vec![
            "wallet",
            "redeem",
            "--server",
            &server.url,
            "--ticket",
            &t,
            "--wallet",
            w,
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let text = |o: &Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };

    let o = redeem("cli-pin-a", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("Profile \"self\" now redeems in region {HERE}")),
        "{}",
        text(&o)
    );

    set_region(&dir, "self", Some(ELSEWHERE));
    let o = redeem("cli-pin-b", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("run again with --new-region"),
        "{}",
        text(&o)
    );

    let o = redeem("cli-pin-c", &["--new-region"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("moved from region {ELSEWHERE} to {HERE}")),
        "{}",
        text(&o)
    );
    assert_eq!(region_of(&dir, "self").as_deref(), Some(HERE));

    // The flag's help is localised.
    let o = run(&["--lang", "zh", "wallet", "redeem", "--help"]);
    assert!(text(&o).contains("--new-region"), "{}", text(&o));
    assert!(text(&o).contains("此人已迁居"), "{}", text(&o));
}
