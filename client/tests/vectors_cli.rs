//! The presentation vectors (`tests/vectors/presentations.json`, docs/spec.md §9) through the
//! `greenlight` binary, as an auditor would run them: a venue directory made from each
//! vector's `venue.json` and seen-set, `venue verify --now` at the vector's clock, and the
//! verdict line, exit code (0 ACCEPT, 1 REJECT) and seen-set the venue is left with. Each
//! vector runs once from its text and once from its raw bytes (`--binary`).

mod common;

use std::path::Path;

use common::cli::{code, last_line, run, s, stderr, stdout};
use greenlight_client::clock::format_unix;
use greenlight_client::{Lang, Rejection, Verdict};
use serde_json::Value;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/presentations.json"
);

fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(VECTORS).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["format_version"], 1);
    file["vectors"].as_array().unwrap().clone()
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap()
}

/// The line the CLI prints for an expected verdict word: ACCEPT, or REJECT with the
/// message of the reason whose stable code it is.
fn expected_line(expect: &str) -> String {
    let verdict = if expect == "ok" {
        Verdict::Accept {
            token_id: [0; 32],
            key_id: [0; 8],
            region: None,
        }
    } else {
        let reason = Rejection::ALL
            .iter()
            .find(|r| r.code() == expect)
            .unwrap_or_else(|| panic!("{expect} is not a reason code"));
        Verdict::Reject(*reason)
    };
    verdict.line(Lang::En)
}

/// `venue.json` and `seen.json` of a vector in a fresh directory.
fn venue_dir(root: &Path, v: &Value, mode: &str) -> std::path::PathBuf {
    let dir = root.join(format!("{}-{mode}", str_of(v, "name")));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("venue.json"),
        serde_json::to_vec_pretty(&v["venue"]["venue_json"]).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("seen.json"),
        serde_json::to_vec(&v["seen_before"]).unwrap(),
    )
    .unwrap();
    dir
}

/// `now_unix` as RFC 3339 (`2025-11-24T16:10:00Z`).
fn rfc3339(unix: u64) -> String {
    format!("{}:{:02}Z", format_unix(unix).replace(' ', "T"), unix % 60)
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Text,
    Binary,
}

fn run_every_vector(mode: Mode) {
    let tmp = tempfile::tempdir().unwrap();
    let vectors = vectors();
    assert!(vectors.len() >= 10, "the file holds the vectors");
    for (n, v) in vectors.iter().enumerate() {
        let name = str_of(v, "name");
        let label = if mode == Mode::Text { "text" } else { "binary" };
        let dir = venue_dir(tmp.path(), v, label);
        let now_unix = v["now_unix"].as_u64().unwrap();
        // Both spellings of --now: Unix seconds and RFC 3339, alternately.
        let now = if n % 2 == 0 {
            now_unix.to_string()
        } else {
            rfc3339(now_unix)
        };
        for (i, step) in v["steps"].as_array().unwrap().iter().enumerate() {
            let expect = str_of(step, "expect");
            let mut args = vec!["--lang", "en", "venue", "verify", "--venue", s(&dir)];
            args.extend(["--now", &now]);
            let bin_path = tmp.path().join(format!("{name}-{i}.bin"));
            match mode {
                Mode::Text => args.push(str_of(step, "presentation_text")),
                Mode::Binary => {
                    let bytes = hex::decode(str_of(step, "presentation_hex")).unwrap();
                    std::fs::write(&bin_path, bytes).unwrap();
                    args.extend(["--binary", s(&bin_path)]);
                }
            }
            let o = run(&args);
            let want_code = if expect == "ok" { 0 } else { 1 };
            assert_eq!(
                code(&o),
                want_code,
                "{name} step {i} ({label}, --now {now}): {}{}",
                stdout(&o),
                stderr(&o)
            );
            assert_eq!(
                last_line(&o),
                expected_line(expect),
                "{name} step {i} ({label})"
            );
        }
        let seen: Value =
            serde_json::from_slice(&std::fs::read(dir.join("seen.json")).unwrap()).unwrap();
        assert_eq!(seen, v["seen_after"], "{name} ({label}): seen-set after");
    }
}

#[test]
fn every_presentation_vector_as_text_through_the_cli() {
    run_every_vector(Mode::Text);
}

#[test]
fn every_presentation_vector_as_binary_through_the_cli() {
    run_every_vector(Mode::Binary);
}

/// The positive case in so many words: the accepted vector's raw bytes with
/// `--binary` give ACCEPT (exit 0), and the same bytes again are a replay (exit 1).
#[test]
fn binary_input_accepts_the_positive_vector() {
    let tmp = tempfile::tempdir().unwrap();
    let vectors = vectors();
    let accept = vectors.iter().find(|v| v["name"] == "accept").unwrap();
    let step = &accept["steps"][0];
    assert_eq!(step["expect"], "ok");
    let dir = venue_dir(tmp.path(), accept, "binary");
    let file = tmp.path().join("presentation.bin");
    std::fs::write(
        &file,
        hex::decode(str_of(step, "presentation_hex")).unwrap(),
    )
    .unwrap();
    let now = rfc3339(accept["now_unix"].as_u64().unwrap());
    let args = [
        "--lang",
        "en",
        "venue",
        "verify",
        "--venue",
        s(&dir),
        "--binary",
        s(&file),
        "--now",
        &now,
    ];
    let o = run(&args);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(last_line(&o), "ACCEPT");
    let o = run(&args);
    assert_eq!(code(&o), 1);
    assert_eq!(last_line(&o), expected_line("replayed"));
}

/// What `--now` and `--binary` say about themselves and about bad values; raw bytes that are
/// not a presentation are judged by the venue, missing files are errors.
#[test]
fn now_and_binary_are_explained_and_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let vectors = vectors();
    let accept = vectors.iter().find(|v| v["name"] == "accept").unwrap();
    let dir = venue_dir(tmp.path(), accept, "checks");
    let now = accept["now_unix"].as_u64().unwrap().to_string();
    let verify = |extra: &[&str]| {
        let mut args = vec!["--lang", "en", "venue", "verify", "--venue", s(&dir)];
        args.extend_from_slice(extra);
        run(&args)
    };

    let help = stdout(&run(&["--lang", "en", "venue", "verify", "--help"]));
    assert!(
        help.contains("--now <TIME>") && help.contains("testing and auditing"),
        "{help}"
    );
    assert!(help.contains("--binary <FILE>"), "{help}");

    // Bad --now values are usage errors (exit 2) naming the flag.
    for bad in ["yesterday", "2025-11-24", "-5", ""] {
        let flag = format!("--now={bad}");
        let o = verify(&[&flag, "GLP1:ABC"]);
        assert_eq!(code(&o), 2, "--now {bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--now"), "{}", stderr(&o));
    }
    // Exactly one of a code and --binary.
    let file = tmp.path().join("p.bin");
    std::fs::write(&file, b"\x01\x02").unwrap();
    assert_eq!(code(&verify(&["--binary", s(&file), "GLP1:ABC"])), 2);
    assert_eq!(code(&verify(&["--now", &now])), 2);

    // Local problems with the file are errors (exit 2) in plain words.
    let missing = tmp.path().join("missing.bin");
    let o = verify(&["--binary", s(&missing), "--now", &now]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no such file"), "{}", stderr(&o));
    let o = verify(&["--binary", s(tmp.path()), "--now", &now]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));

    // Whatever the bytes are, the venue judges them.
    let text_form = tmp.path().join("text.bin");
    let glp1 = str_of(&accept["steps"][0], "presentation_text");
    std::fs::write(&text_form, glp1).unwrap();
    let o = verify(&["--binary", s(&text_form), "--now", &now]);
    assert_eq!(code(&o), 1, "GLP1: text is not the binary encoding");
    assert_eq!(last_line(&o), expected_line("bad_encoding"));
    let huge = tmp.path().join("huge.bin");
    std::fs::write(&huge, vec![0x42; 1024 * 1024]).unwrap();
    let o = verify(&["--binary", s(&huge), "--now", &now]);
    assert_eq!(code(&o), 1);
    assert_eq!(last_line(&o), expected_line("too_large"));
    let empty = tmp.path().join("empty.bin");
    std::fs::write(&empty, b"").unwrap();
    let o = verify(&["--binary", s(&empty), "--now", &now]);
    assert_eq!(code(&o), 1);
    assert_eq!(last_line(&o), expected_line("bad_encoding"));

    // With --now, content that is not a code is a rejection, as without it.
    let not_text = tmp.path().join("not-text.txt");
    std::fs::write(&not_text, [0xff, 0xfe, 0x00]).unwrap();
    let o = verify(&["--now", &now, s(&not_text)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(last_line(&o), expected_line("not_greenlight"));
    let o = verify(&[s(&not_text)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(last_line(&o), expected_line("not_greenlight"));

    // And nothing above was recorded: the accepted vector still passes once.
    let o = verify(&["--now", &now, glp1]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}
