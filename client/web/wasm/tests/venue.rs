//! Native tests of the verifier core the page runs as wasm: the same fixtures the browser
//! test uses (made by the `fixtures` binary with real issuance and proofs), plus venue-file
//! checks and key-list updates built here with greenlight-protocol.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use greenlight_protocol::{IssuerEntry, IssuerKeyEntry, KeyListBody, SigningKey, VenueCode};
use greenlight_web::venue::check_update;
use greenlight_web::{
    inspect::inspect, setup_info, unix_secs_from_f64, venue_json_from_setup, verify_to_json,
    SeenError, Venue, VenueError,
};
use rand_chacha::ChaCha20Rng;
use rand_core::{OsRng, SeedableRng};
use serde_json::{json, Value};

/// The clock the update checks run at (no test here names witnesses, so it decides nothing).
const NOW: u64 = 1_800_000_000;

struct Fixtures {
    /// Every text file the `fixtures` binary wrote (`.txt`, `.json`), by name. Read into
    /// memory so the temporary directory is removed at once: a `static` is never dropped,
    /// so a `TempDir` kept in one would leave ~3 MB behind on every test run.
    files: BTreeMap<String, String>,
    now: u64,
    cases: Vec<Value>,
}

impl Fixtures {
    fn read(&self, name: &str) -> String {
        self.files
            .get(name)
            .unwrap_or_else(|| panic!("{name}: not among the fixtures"))
            .clone()
    }
}

/// One fixture set for the whole test binary (issuing and proving takes a moment).
fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().to_str().expect("utf-8 temp path");
        let run = |args: &[&str]| {
            let status = Command::new(env!("CARGO_BIN_EXE_fixtures"))
                .args(args)
                .stdout(Stdio::null())
                .status()
                .expect("run fixtures");
            assert!(status.success(), "fixtures {args:?} failed");
        };
        run(&["gen", dir, "--seed", "42"]);
        run(&["setup", dir]);
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(tmp.path()).expect("fixtures dir") {
            let path = entry.expect("dir entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.ends_with(".txt") || name.ends_with(".json") {
                let text = std::fs::read_to_string(&path).expect("fixture text");
                files.insert(name.to_owned(), text);
            }
        }
        let manifest: Value = serde_json::from_str(&files["cases.json"]).expect("cases");
        Fixtures {
            now: manifest["now"].as_u64().expect("now"),
            cases: manifest["cases"].as_array().expect("cases").clone(),
            files,
        }
        // `tmp` is dropped here: the directory is gone before any test runs.
    })
}

fn venue() -> Venue {
    Venue::from_json(&fixtures().read("venue.json")).expect("venue.json loads")
}

fn check(venue: &Venue, name: &str, seen: &str, now: u64) -> Value {
    let text = fixtures().read(&format!("{name}.txt"));
    let out = verify_to_json(venue, &text, now, seen, &mut OsRng).expect("seen set parses");
    serde_json::from_str(&out).expect("verdict JSON")
}

#[test]
fn every_fixture_case_gets_the_verdict_it_was_made_for() {
    let f = fixtures();
    let venue = venue();
    assert!(f.cases.len() >= 10);
    for case in &f.cases {
        let name = case["name"].as_str().expect("name");
        let v = check(&venue, name, "", f.now);
        assert_eq!(v["accept"], case["accept"], "{name}: {v}");
        assert_eq!(v["reason_code"], case["reason_code"], "{name}: {v}");
        assert!(!v["reason"].as_str().unwrap_or_default().is_empty());
        if v["accept"] == true {
            assert_eq!(v["seen_count"], 1, "{name}: accepted id stored");
            assert_eq!(v["seen"]["version"], 1);
            assert!(v["seen"]["seen"][v["token_id"].as_str().expect("id")].is_u64());
            assert!(v["issuer_region"].is_string());
        } else {
            assert_eq!(v["seen_count"], 0, "{name}: a rejection stores nothing");
        }
    }
}

#[test]
fn second_show_is_a_replay_until_the_window_has_passed() {
    let f = fixtures();
    let venue = venue();
    let first = check(&venue, "valid_1", "", f.now);
    assert_eq!(first["accept"], true);
    let seen = first["seen"].to_string();
    let again = check(&venue, "valid_1", &seen, f.now);
    assert_eq!(again["accept"], false);
    assert_eq!(again["reason_code"], "replayed");
    assert_eq!(again["token_id"], first["token_id"]);
    // Another token is still fine with the same list.
    assert_eq!(check(&venue, "valid_2", &seen, f.now)["accept"], true);

    // Pruning: the page gets back the list pruned to the venue's retention (the rule and its
    // number are greenlight-venue's, tested there); verification prunes.
    let keep = u64::from(venue.seen_retention_hours());
    let later = |hours: u64| check(&venue, "valid_2", &seen, f.now + hours * 3600);
    // (valid_2 itself is then out of the clock tolerance: only the pruning is looked at.)
    assert_eq!(
        later(keep)["seen"]["seen"].as_object().map(|m| m.len()),
        Some(1)
    );
    assert_eq!(
        later(keep + 1)["seen"]["seen"].as_object().map(|m| m.len()),
        Some(0)
    );
}

#[test]
fn a_venue_only_accepts_presentations_made_for_it() {
    let f = fixtures();
    let b = Venue::from_json(&f.read("venue_b.json")).expect("venue b");
    assert_eq!(check(&b, "other_venue", "", f.now)["accept"], true);
    assert_eq!(
        check(&b, "valid_3", "", f.now)["reason_code"],
        "wrong_venue"
    );
}

#[test]
fn the_venue_clock_matters() {
    let f = fixtures();
    let venue = venue();
    // Three hours later the holder's slot is outside the 1 h tolerance.
    assert_eq!(
        check(&venue, "valid_4", "", f.now + 3 * 3600)["reason_code"],
        "clock_skew"
    );
    // 41 days on, the issuer key's accept_until (now + 40 d) has passed; a presentation
    // made then for then would still name the expired key.
    let late = f.now + 41 * 86_400;
    let info = venue.info(late);
    assert_eq!(info.keys_accepted_now, 0);
    assert_eq!(
        venue.info(f.now).keys_accepted_now,
        2,
        "GD and HK; SH is revoked"
    );
    assert_eq!(venue.info(f.now).keys_listed, 3);
}

#[test]
fn venue_info_describes_the_file() {
    let info = venue().info(fixtures().now);
    assert_eq!(info.venue_name, "Lucky Café 幸运咖啡");
    assert_eq!(info.window_hours, 24);
    assert_eq!(info.clock_tolerance_hours, 1);
    assert_eq!(info.key_list_sequence, 1);
    assert_eq!(info.root_fingerprint.len(), 32);
    let regions: Vec<_> = info
        .issuers
        .iter()
        .map(|i| (i.region.as_str(), i.keys, i.keys_accepted_now))
        .collect();
    assert_eq!(regions, [("CN-GD", 1, 1), ("HK", 1, 1), ("CN-SH", 1, 0)]);
}

fn edit(f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&fixtures().read("venue.json")).expect("json");
    f(&mut v);
    v.to_string()
}

#[test]
fn bad_venue_files_are_refused_with_a_stable_code() {
    let f = fixtures();
    let cases: Vec<(String, &str)> = vec![
        (f.read("venue_bad_root.json"), "key_list_signature"),
        ("not json".into(), "bad_json"),
        (
            edit(|v| drop(v.as_object_mut().map(|o| o.remove("key_list")))),
            "bad_json",
        ),
        (edit(|v| v["version"] = json!(2)), "unsupported_version"),
        (edit(|v| v["root_public_key"] = json!("00")), "bad_root_key"),
        (
            edit(|v| v["root_public_key"] = json!("01".to_owned() + &"00".repeat(31))),
            "bad_root_key",
        ),
        (edit(|v| v["key_list"] = json!("GLK1:XYZ")), "bad_key_list"),
        (edit(|v| v["venue_code"] = json!("GLV1:")), "bad_venue_code"),
        (
            edit(|v| v["clock_tolerance_hours"] = json!(25)),
            "bad_tolerance",
        ),
        (" ".repeat(1100 * 1024), "too_large"),
    ];
    for (json, code) in cases {
        let err = Venue::from_json(&json).expect_err(code);
        assert_eq!(err.code(), code, "{err}");
    }
    // Optional fields: server may be absent, tolerance defaults to 1, unknown keys are fine.
    let minimal = edit(|v| {
        let o = v.as_object_mut().expect("object");
        o.remove("server");
        o.remove("clock_tolerance_hours");
        o.insert("added_later".into(), json!(true));
    });
    assert_eq!(
        Venue::from_json(&minimal)
            .expect("loads")
            .clock_tolerance_hours(),
        1
    );
}

/// A venue.json over a key list built here, so updates can be signed.
fn venue_json(root: &SigningKey, body: KeyListBody, code: &VenueCode) -> String {
    json!({
        "version": 1,
        "root_public_key": hex::encode(root.verifying_key().as_bytes()),
        "key_list": body.sign(root).to_text(),
        "venue_code": code.to_text(),
    })
    .to_string()
}

fn issuer(region: &str, keys: Vec<IssuerKeyEntry>) -> IssuerEntry {
    IssuerEntry {
        region: region.into(),
        display_name: format!("{region} issuer"),
        keys,
    }
}

fn key(rng: &mut ChaCha20Rng) -> IssuerKeyEntry {
    let pk = greenlight_acl::IssuerKeyPair::generate_with_rng(rng)
        .public()
        .y_bytes();
    IssuerKeyEntry::new(pk, 0, 2_000_000_000, 2_100_000_000)
}

#[test]
fn key_list_updates_must_be_append_only_under_the_same_root() {
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let root = SigningKey::from_bytes(&[3; 32]);
    let code = VenueCode::new_with_rng(&mut rng, "Test venue", 12).expect("code");
    let (k1, k2) = (key(&mut rng), key(&mut rng));
    let v1 = venue_json(
        &root,
        KeyListBody::new(1, 100, vec![issuer("GD", vec![k1])]).expect("v1"),
        &code,
    );
    let v2 = venue_json(
        &root,
        KeyListBody::new(2, 200, vec![issuer("GD", vec![k1]), issuer("HK", vec![k2])]).expect("v2"),
        &code,
    );
    let mut revoked = k1;
    revoked.revoked = true;
    let v3 = venue_json(
        &root,
        KeyListBody::new(
            3,
            300,
            vec![issuer("GD", vec![revoked]), issuer("HK", vec![k2])],
        )
        .expect("v3"),
        &code,
    );
    let kept = check_update(&v1, &v2, NOW).expect("adding an issuer is an update");
    // The file to store is v2 with v1's list kept as its previous list.
    let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
    let v1_doc: serde_json::Value = serde_json::from_str(&v1).unwrap();
    let v2_doc: serde_json::Value = serde_json::from_str(&v2).unwrap();
    assert_eq!(kept["key_list"], v2_doc["key_list"]);
    assert_eq!(kept["previous_key_list"], v1_doc["key_list"]);
    check_update(&v2, &v3, NOW).expect("revoking a key is an update");
    check_update(&v2, &v2, NOW).expect("the same file again");
    let rollback = check_update(&v3, &v2, NOW).expect_err("rollback");
    assert!(
        matches!(rollback, VenueError::NotASuccessor(_)),
        "{rollback}"
    );
    let other_root = SigningKey::from_bytes(&[4; 32]);
    let v2_other = venue_json(
        &other_root,
        KeyListBody::new(2, 200, vec![issuer("GD", vec![k1])]).expect("other"),
        &code,
    );
    assert_eq!(
        check_update(&v2, &v2_other, NOW),
        Err(VenueError::RootChanged)
    );
    // The revoked key is left out of the accepted keys.
    let loaded = Venue::from_json(&v3).expect("v3 loads");
    assert_eq!(loaded.info(1_000).keys_accepted_now, 1);
    assert_eq!(loaded.info(1_000).keys_listed, 2);
}

#[test]
fn damaged_seen_storage_is_an_error() {
    let venue = venue();
    let text = fixtures().read("valid_5.txt");
    let bad_id = r#"{"version": 1, "seen": {"x": 1}}"#;
    for bad in ["{\"x\":1}", bad_id, "[]", " "] {
        let err = verify_to_json(&venue, &text, fixtures().now, bad, &mut OsRng).expect_err(bad);
        assert!(matches!(err, SeenError::Damaged(_)), "{bad}: {err:?}");
        assert_eq!(err.code(), "seen_damaged");
    }
    // Nothing stored yet is the page's "", an empty list.
    let first = verify_to_json(&venue, &text, fixtures().now, "", &mut OsRng).expect("empty");
    assert!(first.contains("\"seen_count\":1"), "{first}");
}

#[test]
fn inspect_names_what_was_scanned_and_never_verifies() {
    let f = fixtures();
    let p = inspect(&f.read("tampered.txt"));
    assert_eq!(p["kind"], "presentation");
    assert_eq!(p["decodes"], true, "a tampered proof still decodes");
    assert_eq!(p["fields"]["window_hours"], 24);
    let v = inspect(&f.read("venue_code.txt"));
    assert_eq!(v["kind"], "venue_code");
    assert_eq!(v["fields"]["name"], "Lucky Café 幸运咖啡");
    assert_eq!(inspect("hello")["kind"], Value::Null);
    assert_eq!(inspect(&f.read("truncated.txt"))["decodes"], false);
}

#[test]
fn a_set_up_code_and_the_servers_key_list_make_the_venue_json() {
    let f = fixtures();
    let setup = f.read("setup.txt");
    let info = setup_info(&setup).expect("set-up code decodes");
    assert_eq!(info.venue_name, "Lucky Café 幸运咖啡");
    assert_eq!(info.window_hours, 24);
    assert_eq!(info.server, "http://127.0.0.1:8080/");
    assert_eq!(info.server_origin, "http://127.0.0.1:8080");
    assert_eq!(info.keys_url, "http://127.0.0.1:8080/v1/keys");
    assert_eq!(info.page_url, "http://127.0.0.1:8080/venue/");
    assert_eq!(info.root_fingerprint, venue().info(f.now).root_fingerprint);
    assert_eq!(info.min_key_list_sequence, 1);
    assert_eq!(info.clock_tolerance_hours, 1);

    // The code plus what GET /v1/keys answers is the venue's venue.json, field for field.
    let made = venue_json_from_setup(&setup, &f.read("keys.json")).expect("venue");
    let want: Value = serde_json::from_str(&f.read("venue.json")).expect("json");
    assert_eq!(serde_json::from_str::<Value>(&made).expect("json"), want);
    check_update(&f.read("venue.json"), &made, NOW).expect("the same venue");
    let venue = Venue::from_json(&made).expect("loads");
    assert_eq!(check(&venue, "valid_1", "", f.now)["accept"], true);

    let bad_root_list = serde_json::from_str::<Value>(&f.read("venue_bad_root.json"))
        .expect("json")["key_list"]
        .clone();
    let mut keys: Value = serde_json::from_str(&f.read("keys.json")).expect("json");
    keys["key_list"] = bad_root_list;
    let refused = [
        (
            f.read("setup_wrong_root.txt"),
            f.read("keys.json"),
            "setup_root_mismatch",
        ),
        (
            f.read("setup_newer_list.txt"),
            f.read("keys.json"),
            "setup_older_key_list",
        ),
        (setup.clone(), keys.to_string(), "key_list_signature"),
        (
            setup.clone(),
            "<html>not found</html>".into(),
            "bad_keys_response",
        ),
        (setup.clone(), "{}".into(), "bad_keys_response"),
        (
            f.read("venue_code.txt"),
            f.read("keys.json"),
            "bad_setup_code",
        ),
        ("GLS1:AB".into(), f.read("keys.json"), "bad_setup_code"),
    ];
    for (code, answer, want) in refused {
        let err = venue_json_from_setup(&code, &answer).expect_err(want);
        assert_eq!(err.code(), want, "{err}");
    }
    assert_eq!(
        setup_info(&f.read("venue_code.txt")).map_err(|e| e.code()),
        Err("bad_setup_code")
    );

    // Shown at the door it is no visitor's code, and says what it is.
    let at_door = check(&venue, "venue_setup", "", f.now);
    assert_eq!(at_door["reason_code"], "wrong_kind");
    assert_eq!(at_door["scanned_kind"], "venue_setup");
    let i = inspect(&setup);
    assert_eq!(i["kind"], "venue_setup");
    assert_eq!(i["fields"]["server"], "http://127.0.0.1:8080/");
}

#[test]
fn javascript_clock_values_are_sanitised() {
    assert_eq!(unix_secs_from_f64(1_700_000_000.9), 1_700_000_000);
    assert_eq!(unix_secs_from_f64(f64::NAN), 0);
    assert_eq!(unix_secs_from_f64(-5.0), 0);
    assert_eq!(unix_secs_from_f64(f64::INFINITY), 0);
}
