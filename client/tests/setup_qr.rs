//! `greenlight venue code --setup-qr FILE.png`: the browser verifier's set-up code, written
//! as a QR image, read back, and followed the way the page follows it (fetch the server's
//! key list, check it against the code) — which must give back the venue's own venue.json.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use greenlight_client::http::Http;
use greenlight_client::qr;
use greenlight_server::EphemeralServer;
use greenlight_venue::{VenueConfig, VenueSetup};
use greenlight_wire::ids;
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C")
        .env_remove("GREENLIGHT_VENUE")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn setup_qr_holds_the_venue_code_server_and_root_and_rebuilds_venue_json() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("venue");
    let png = tmp.path().join("setup.png");

    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Lucky Café",
        "--window",
        "48h",
        "--venue",
        s(&dir),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let venue_json = std::fs::read_to_string(dir.join("venue.json")).unwrap();
    let file: Value = serde_json::from_str(&venue_json).unwrap();

    let o = run(&["venue", "code", "--venue", s(&dir), "--setup-qr", s(&png)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let page = format!("{}/venue/", server.url);
    let note = text(&o.stderr);
    assert!(
        note.contains(&format!(
            "Set-up code for the venue page written to {}: scan it on the venue's phone at {page}",
            png.display()
        )),
        "{note}"
    );
    // The venue code stays the last line of standard output.
    let stdout = text(&o.stdout);
    assert_eq!(stdout.lines().last(), file["venue_code"].as_str());

    // The QR image holds one set-up code with the fields of venue.json.
    let codes = qr::decode_image(&std::fs::read(&png).unwrap()).unwrap();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(codes[0].starts_with("GLS1:"), "{}", codes[0]);
    // A small code (docs/spec.md §7.5: version 8–10 for a 30-character server).
    assert!(qr::version_for(&codes[0], qr::VENUE_CODE_EC).unwrap() <= 10);
    let setup = VenueSetup::from_text(&codes[0]).unwrap();
    assert_eq!(setup.code().to_text(), file["venue_code"].as_str().unwrap());
    assert_eq!(setup.code().name(), "Lucky Café");
    assert_eq!(setup.server(), file["server"].as_str().unwrap());
    assert_eq!(setup.server(), format!("{}/", server.url));
    let root: [u8; 32] = hex::decode(file["root_public_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(setup.root_fingerprint(), ids::root_fingerprint(&root));
    let config = VenueConfig::from_json(&venue_json).unwrap();
    assert_eq!(setup.root_fingerprint_hex(), config.trust().fingerprint());
    assert_eq!(
        setup.min_key_list_sequence(),
        config.trust().body().sequence()
    );
    assert_eq!(
        u64::from(setup.clock_tolerance_hours()),
        file["clock_tolerance_hours"].as_u64().unwrap()
    );

    // What the page does with it: GET {server}v1/keys (what `venue init` fetched), checked
    // against the code — the same venue.json, field for field.
    let keys = rt
        .block_on(Http::new(setup.server()).unwrap().keys())
        .unwrap();
    let rebuilt = VenueConfig::from_setup(
        &setup,
        &keys.root_public_key,
        &keys.key_list,
        keys.previous_key_list.as_deref(),
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&rebuilt.to_json_pretty()).unwrap(),
        file
    );

    // `inspect` says what it is.
    let o = run(&["inspect", s(&png)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains(setup.server()),
        "{}",
        text(&o.stdout)
    );

    // In Chinese.
    let zh = tmp.path().join("setup-zh.png");
    let o = run(&[
        "--lang",
        "zh",
        "venue",
        "code",
        "--venue",
        s(&dir),
        "--setup-qr",
        s(&zh),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("设置码"), "{}", text(&o.stderr));
    assert_eq!(
        qr::decode_image(&std::fs::read(&zh).unwrap()).unwrap(),
        codes
    );
}

#[test]
fn a_venue_json_without_a_server_makes_no_setup_qr() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("venue");
    let png = tmp.path().join("setup.png");
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--venue",
        s(&dir),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let path = dir.join("venue.json");
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    file.as_object_mut().unwrap().remove("server");
    std::fs::write(&path, file.to_string()).unwrap();

    let o = run(&["venue", "code", "--venue", s(&dir), "--setup-qr", s(&png)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("\"server\""),
        "{}",
        text(&o.stderr)
    );
    assert!(!png.exists(), "no image written");

    // A server a browser could not fetch from (here: with a query) is refused too.
    file["server"] = Value::String(format!("{}/?x=1", server.url));
    std::fs::write(&path, file.to_string()).unwrap();
    let o = run(&["venue", "code", "--venue", s(&dir), "--setup-qr", s(&png)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("query"), "{}", text(&o.stderr));
    assert!(!png.exists(), "no image written");
}
