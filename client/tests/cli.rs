//! The `greenlight` binary as a user runs it: outputs, last lines, exit codes, languages.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use greenlight_protocol::Status;
use greenlight_server::EphemeralServer;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_greenlight"));
    // English unless a test asks otherwise; never the developer's real data directory.
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C")
        .env_remove("GREENLIGHT_WALLET")
        .env_remove("GREENLIGHT_VENUE");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).stdin(Stdio::null()).output().unwrap()
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or_default().to_owned()
}
fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_whole_flow_on_the_command_line_with_its_exit_codes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("wallet");
    let v = tmp.path().join("venue");
    let ticket = common::ticket(&server, "cli-user", Status::Green, 4);

    // Redeem (ticket given as a file this time).
    let ticket_file = tmp.path().join("ticket.txt");
    std::fs::write(&ticket_file, format!("{ticket}\n")).unwrap();
    let o = run(&[
        "wallet",
        "redeem",
        "--server",
        &server.url,
        "--ticket",
        s(&ticket_file),
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("Fingerprint: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("Stored 4 new green tokens in profile \"self\""));
    assert!(
        !stderr(&o).contains('\u{1b}'),
        "no terminal decorations when stderr is not a TTY"
    );

    // Status: counts only, never the holder secret.
    let o = run(&["wallet", "status", "--wallet", s(&w)]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains("Profile \"self\": 4 tokens"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("4 × green, issued "), "{}", stdout(&o));
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.join("wallet.json")).unwrap()).unwrap();
    let holder = raw["profiles"]["self"]["holder"].as_str().unwrap();
    assert!(!stdout(&o).contains(holder) && !stderr(&o).contains(holder));

    // Venue: init (window checked before the network), code with a QR image.
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--window",
        "37h",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("6h, 12h, 24h, 48h, 72h, 7d"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--window",
        "1d",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let venue_code = last_line(&o);
    assert!(venue_code.starts_with("GLV1:"));
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 2, "refuses to overwrite a venue");
    let code_png = tmp.path().join("code.png");
    let o = run(&["venue", "code", "--venue", s(&v), "--qr", s(&code_png)]);
    assert_eq!(code(&o), 0);
    assert_eq!(last_line(&o), venue_code);
    let o = run(&["venue", "sync", "--venue", s(&v)]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));

    // Present, reading the venue code from its QR image; write the presentation as a PNG.
    let p_png = tmp.path().join("p.png");
    let o = run(&[
        "wallet",
        "present",
        "--venue",
        s(&code_png),
        "--wallet",
        s(&w),
        "--qr",
        s(&p_png),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let presentation = last_line(&o);
    assert!(presentation.starts_with("GLP1:"));
    assert!(stderr(&o).contains("3 left"), "{}", stderr(&o));
    assert!(stderr(&o).contains("QR code (version "), "{}", stderr(&o));

    // Verify: ACCEPT from the PNG (exit 0), then the same as text is a replay (exit 1).
    let o = run(&["venue", "verify", "--venue", s(&v), s(&p_png)]);
    assert_eq!(code(&o), 0, "{} {}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).trim(), "ACCEPT");
    let o = run(&["venue", "verify", "--venue", s(&v), &presentation]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).starts_with("REJECT: this code was already shown here"),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        "--lang",
        "zh",
        "venue",
        "verify",
        "--venue",
        s(&v),
        &presentation,
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).starts_with("REJECT（拒绝）：此码已在本场所出示过"),
        "{}",
        stdout(&o)
    );

    // A fresh presentation through standard input.
    let o = run(&[
        "wallet",
        "present",
        "--venue",
        &venue_code,
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 0);
    let fresh = last_line(&o);
    let o = run_stdin(
        &["venue", "verify", "--venue", s(&v), "-"],
        fresh.as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    // Garbage: a clear REJECT (1), never a crash.
    for junk in ["hello", "GLP1:", "GLP1:%%%%", "", &venue_code, &ticket] {
        let o = run(&["venue", "verify", "--venue", s(&v), junk]);
        assert_eq!(code(&o), 1, "{junk}: {}", stdout(&o));
        assert!(stdout(&o).starts_with("REJECT: "), "{}", stdout(&o));
        assert!(stderr(&o).is_empty(), "{junk}: {}", stderr(&o));
    }
    let random = tmp.path().join("random.bin");
    let bytes: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&random, &bytes).unwrap();
    let o = run(&["venue", "verify", "--venue", s(&v), s(&random)]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let o = run_stdin(&["venue", "verify", "--venue", s(&v), "-"], &bytes);
    assert_eq!(code(&o), 1);
    let foreign_png = tmp.path().join("foreign.png");
    std::fs::write(
        &foreign_png,
        greenlight_client::qr::png_bytes("WIFI:S:cafe;T:WPA;P:secret;;", qrcode::EcLevel::M)
            .unwrap(),
    )
    .unwrap();
    let o = run(&["venue", "verify", "--venue", s(&v), s(&foreign_png)]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("not a Greenlight code"),
        "{}",
        stdout(&o)
    );

    // Usage and I/O errors: 2.
    let o = run(&[
        "venue",
        "verify",
        "--venue",
        s(&v),
        s(&tmp.path().join("missing.png")),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = run(&["venue", "verify", "--venue", s(&v)]);
    assert_eq!(code(&o), 2);
    let o = run(&[
        "venue",
        "verify",
        "--venue",
        s(&tmp.path().join("nothing-here")),
        &fresh,
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("venue init"), "{}", stderr(&o));
    let o = run(&["venue", "verify", "--bogus-flag"]);
    assert_eq!(code(&o), 2);

    // Inspect shows what a venue receives.
    let o = run(&["inspect", "--venue", s(&v), &fresh]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "presentation",
        "issuer key id",
        "XX-LOCAL",
        "time slot",
        "window            24 h",
        "ζ1 (token id)",
        "random-looking",
    ] {
        assert!(out.contains(needle), "{needle} missing in\n{out}");
    }
    let o = run(&["inspect", &venue_code]);
    assert!(
        stdout(&o).contains("name              Cafe"),
        "{}",
        stdout(&o)
    );
    let o = run(&["inspect", &ticket]);
    assert!(
        stdout(&o).contains("cli-user") && stdout(&o).contains("HK"),
        "{}",
        stdout(&o)
    );
    let o = run(&["inspect", "not a code"]);
    assert_eq!(code(&o), 2);

    // Locale: zh_CN selects Chinese without --lang.
    let o = bin()
        .env("LANG", "zh_CN.UTF-8")
        .args(["wallet", "status", "--wallet", s(&w)])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("档案“self”"), "{}", stdout(&o));

    // The wallet's refusals, with exit code 1.
    let o = run(&[
        "wallet",
        "present",
        "--venue",
        &venue_code,
        "--wallet",
        s(&w),
        "--profile",
        "mum",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("no tokens left in profile \"mum\""),
        "{}",
        stderr(&o)
    );
    let o = run(&["wallet", "present", "--venue", &ticket, "--wallet", s(&w)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a venue code"), "{}", stderr(&o));

    // A dead server: exit 3 with a clear message.
    let t2 = common::ticket(&server, "cli-user-2", Status::Green, 1);
    let o = run(&[
        "wallet",
        "redeem",
        "--server",
        "http://127.0.0.1:9",
        "--ticket",
        &t2,
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot reach the server"),
        "{}",
        stderr(&o)
    );

    rt.block_on(server.shutdown());
}

#[test]
fn every_command_has_help_in_both_languages() {
    let paths: &[&[&str]] = &[
        &[],
        &["wallet"],
        &["wallet", "redeem"],
        &["wallet", "status"],
        &["wallet", "present"],
        &["venue"],
        &["venue", "init"],
        &["venue", "code"],
        &["venue", "sync"],
        &["venue", "verify"],
        &["inspect"],
        &["demo"],
    ];
    for path in paths {
        for (lang, marker) in [("en", "Usage:"), ("zh", "")] {
            let mut args = vec!["--lang", lang];
            args.extend_from_slice(path);
            args.push("--help");
            let o = run(&args);
            assert_eq!(code(&o), 0, "{args:?}");
            let out = stdout(&o);
            assert!(out.contains(marker) && out.len() > 50, "{args:?}: {out}");
            if lang == "zh" {
                assert!(
                    out.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{args:?} has no Chinese help: {out}"
                );
            }
        }
    }
}
