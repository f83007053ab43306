//! The binary: `ticket` output and exit codes, and `serve` starting, answering and stopping
//! gracefully on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use greenlight_protocol::{Status, Ticket};
use greenlight_server::{AppState, ServerConfig};

const BIN: &str = env!("CARGO_BIN_EXE_greenlight-server");

#[test]
fn ticket_command_prints_a_verifiable_ticket_last() {
    let dir = tempfile::tempdir().unwrap();
    let authority = AppState::open(&ServerConfig::new(dir.path()))
        .unwrap()
        .authority_public_key();
    let out = Command::new(BIN)
        .args(["ticket", "--data-dir"])
        .arg(dir.path())
        .args([
            "--subject",
            "subject-cli",
            "--status",
            "yellow",
            "--travel",
            "cn,HK",
            "--tokens",
            "5",
            "--valid-for",
            "90m",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("GLT1:"));
    let ticket = Ticket::from_text(last).unwrap();
    let body = ticket.verify(&authority).unwrap();
    assert_eq!(body.status(), Status::Yellow);
    assert_eq!(body.tokens(), 5);
    assert_eq!(body.not_after() - body.not_before(), 90 * 60);
    assert_eq!(body.travel().len(), 2);
    // Informational lines do not repeat the subject.
    assert!(!stdout.contains("subject-cli"));
}

#[test]
fn ticket_command_usage_and_io_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        // Not initialised: no authority key.
        vec!["--subject", "s", "--status", "green"],
        vec!["--subject", "s", "--status", "blue"],
        vec!["--subject", "s", "--status", "green", "--valid-for", "soon"],
        vec!["--status", "green"],
    ];
    for args in cases {
        let out = Command::new(BIN)
            .args(["ticket", "--data-dir"])
            .arg(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
        assert!(out.stdout.is_empty());
    }
    AppState::open(&ServerConfig::new(dir.path())).unwrap();
    let out = Command::new(BIN)
        .args(["ticket", "--data-dir"])
        .arg(dir.path())
        .args(["--subject", "s", "--status", "green", "--tokens", "65"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tokens"));
}

#[cfg(unix)]
#[tokio::test]
async fn serve_creates_the_directory_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = tokio::task::spawn_blocking(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let done = line.starts_with("listening on ");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    })
    .await
    .unwrap();
    let report = lines.join("\n");
    let url = lines
        .last()
        .and_then(|l| l.strip_prefix("listening on "))
        .unwrap_or_else(|| panic!("no listening line in {report}"))
        .to_owned();
    // Where things are, never what the secrets are.
    for name in [
        "issuer.key",
        "authority.key",
        "root.key",
        "admin.token",
        "issuer.json",
    ] {
        assert!(report.contains(name), "{report}");
        let secret = std::fs::read_to_string(data.join(name)).unwrap();
        if name != "issuer.json" {
            assert!(!report.contains(secret.trim()), "{name} printed");
        }
    }
    assert!(report.contains("fingerprint"));

    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
}
