//! The binary: `ticket` output (text and QR), refusals and exit codes; `serve` starting,
//! answering and stopping gracefully on SIGTERM, binding its port before touching the data
//! directory, refusing a data directory in use, saying when the venue page is not built, and
//! logging without colour codes to a pipe; the warning for a data directory inside a git
//! work tree.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::process::{command, run, Served, BIN};
use greenlight_protocol::{Status, Ticket};
use greenlight_server::{AppState, ServerConfig, VENUE_NOT_BUILT};

/// A data directory with keys (as the first `serve` leaves it).
fn initialised(dir: &Path) {
    drop(AppState::open(&ServerConfig::new(dir)).unwrap());
}

fn ticket_args(data: &Path, subject: &str) -> Command {
    let mut cmd = command();
    cmd.args(["ticket", "--data-dir"]).arg(data).args([
        "--subject",
        subject,
        "--status",
        "green",
        "--tokens",
        "3",
    ]);
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

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

/// Issue 9: green and yellow tickets live at most 14 days; the command refuses longer ones
/// with one line and exit 2, and signs nothing.
#[test]
fn ticket_refuses_green_tickets_longer_than_14_days() {
    let dir = tempfile::tempdir().unwrap();
    initialised(dir.path());
    for (status, valid_for, ok) in [
        ("green", "90d", false),
        ("green", "15d", false),
        ("yellow", "14days 1s", false),
        ("green", "14d", true),
        ("red", "90d", true),
        ("red", "91d", false),
    ] {
        let out = command()
            .args(["ticket", "--data-dir"])
            .arg(dir.path())
            .args(["--subject", "resident-long", "--status", status])
            .args(["--valid-for", valid_for])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        if ok {
            assert!(out.status.success(), "{status} {valid_for}: {stderr}");
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{status} {valid_for}");
        assert!(out.stdout.is_empty(), "no ticket is printed");
        let days = if status == "red" { 90 } else { 14 };
        assert_eq!(
            stderr.trim_end(),
            format!(
                "error: invalid ticket request: a {status} ticket may be valid for at most {days} days (green and yellow: 14 days, red: 90 days)"
            ),
            "{status} {valid_for}"
        );
    }
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

/// Issue 12: `--qr` writes the printed ticket as a QR code (read back here with a QR decoder),
/// private to its owner.
#[test]
fn ticket_qr_writes_the_printed_ticket_as_a_qr_png() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    initialised(&data);
    let png = dir.path().join("ticket.png");
    let mut cmd = ticket_args(&data, "resident-7f3a");
    cmd.arg("--qr").arg(&png);
    let out = run(cmd);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("GLT1:"), "{stdout}");

    let written = std::fs::read(&png).unwrap();
    assert_eq!(
        greenlight_qr::decode_image(&written).unwrap(),
        vec![last.to_owned()]
    );
    // Error correction M: the very image greenlight-qr draws at M, not at L.
    assert_eq!(
        written,
        greenlight_qr::png_bytes(last, greenlight_qr::EcLevel::M).unwrap()
    );
    assert_ne!(
        written,
        greenlight_qr::png_bytes(last, greenlight_qr::EcLevel::L).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&png).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a ticket is a bearer credential");
    }
    // No temporary file is left next to it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// Issue 12: a QR path that cannot be written fails before the ticket is signed: a clear
/// message, no ticket printed, nothing written.
#[test]
fn ticket_qr_to_an_unwritable_path_fails_and_prints_no_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    initialised(&data);
    let missing_dir = dir.path().join("no-such-dir").join("ticket.png");
    for (path, why) in [
        (missing_dir.as_path(), "does not exist"),
        (dir.path(), "is a directory"),
    ] {
        let mut cmd = ticket_args(&data, "resident-7f3a");
        cmd.arg("--qr").arg(path);
        let out = run(cmd);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("cannot write the QR code to {}", path.display())),
            "{stderr}"
        );
        assert!(stderr.contains(why), "{stderr}");
    }
    assert!(!dir.path().join("no-such-dir").exists());
}

/// Issue 12: `ticket` refuses a subject shaped like an ID number (the rule is
/// `greenlight_issuance::check_subject_handle`), prints no ticket and writes no QR code.
#[test]
fn ticket_refuses_subjects_shaped_like_id_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    initialised(&data);
    let png = dir.path().join("ticket.png");
    for subject in ["110101199003074512", "A123456(3)"] {
        let mut cmd = ticket_args(&data, subject);
        cmd.arg("--qr").arg(&png);
        let out = run(cmd);
        assert_eq!(out.status.code(), Some(2), "{subject}");
        assert!(out.stdout.is_empty());
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("error: the subject looks like an ID number"),
            "{stderr}"
        );
        assert!(
            stderr.contains("use an opaque handle from the authority's records"),
            "{stderr}"
        );
        assert!(!stderr.contains(subject), "{stderr}");
        assert!(!png.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

/// Issue 12: every command that reads the data directory's secrets warns when it is inside a
/// git work tree; outside one, no warning.
#[cfg(unix)]
#[test]
fn commands_warn_when_the_data_directory_is_inside_a_git_work_tree() {
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("checkout");
    std::fs::create_dir_all(checkout.join(".git")).unwrap();
    let data = checkout.join("deep").join("issuer");
    let warning = |data: &Path| {
        format!(
            "warning: data directory {} is inside the git work tree at {}; its secret keys could be committed — use a directory outside the checkout",
            data.display(),
            std::fs::canonicalize(&checkout).unwrap().display()
        )
    };

    // `serve` (creating the directory) …
    let served = Served::start(&data, &[], |_| {});
    let (status, stderr) = served.stop();
    assert!(status.success());
    assert!(stderr.contains(&warning(&data)), "{stderr}");
    // … `ticket` (still printing its ticket) …
    let out = run(ticket_args(&data, "resident-7f3a"));
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains(&warning(&data)),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .starts_with("GLT1:"));
    // … from a relative path too.
    let mut cmd = command();
    cmd.current_dir(&checkout)
        .args(["ticket", "--data-dir", "deep/issuer"])
        .args(["--subject", "resident-7f3a", "--status", "green"]);
    let out = run(cmd);
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains(&warning(Path::new("deep/issuer"))),
        "{}",
        text(&out.stderr)
    );

    // Outside a work tree: nothing on stderr.
    let outside = dir.path().join("outside");
    initialised(&outside);
    let out = run(ticket_args(&outside, "resident-7f3a"));
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// Issue 12: the port is bound before the data directory is created, so a busy port leaves
/// nothing behind, and the message names the address.
#[test]
fn serve_on_a_busy_port_fails_before_creating_anything() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut cmd = command();
    cmd.arg("serve")
        .arg("--data-dir")
        .arg(&data)
        .args(["--listen", &addr.to_string()]);
    let out = run(cmd);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: cannot listen on {addr}: the address is already in use"
        )),
        "{stderr}"
    );
    assert!(!data.exists(), "the data directory was created");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    drop(busy);
}

/// Issue 12: a second server on the same data directory says so, instead of sled's lock
/// error.
#[test]
fn a_second_server_on_the_same_data_directory_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = Served::start(&data, &[], |_| {});
    let mut cmd = command();
    cmd.arg("serve")
        .arg("--data-dir")
        .arg(&data)
        .args(["--listen", "127.0.0.1:0"]);
    let out = run(cmd);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: another greenlight-server is already using {}",
            data.display()
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains("WouldBlock") && !stderr.contains("could not acquire lock"),
        "{stderr}"
    );
    assert!(!text(&out.stdout).contains("listening on"));
    drop(first);
}

/// Issue 12: without a built page the start report says how to build it, and `/venue/`
/// answers 404 with the same sentence. (Run from an empty working directory, so this
/// machine's client/web/dist is not found.)
#[tokio::test]
async fn serve_without_a_built_venue_page_says_so_at_start_and_at_venue() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("elsewhere");
    std::fs::create_dir(&cwd).unwrap();
    let data = dir.path().join("data");
    let served = Served::start(&data, &[], |cmd| {
        cmd.current_dir(&cwd);
    });
    assert!(
        served.report.lines().any(|l| l == VENUE_NOT_BUILT),
        "{}",
        served.report
    );
    assert_eq!(
        VENUE_NOT_BUILT,
        "venue page not built: run client/web/build.sh to serve it at /venue/"
    );
    for path in ["/venue/", "/venue"] {
        let reply = reqwest::get(format!("{}{path}", served.url)).await.unwrap();
        assert_eq!(reply.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
        assert!(reply.text().await.unwrap().contains(VENUE_NOT_BUILT));
    }

    // A web directory that exists is served, and the report says where from.
    let web = dir.path().join("dist");
    std::fs::create_dir(&web).unwrap();
    std::fs::write(web.join("index.html"), "<h1>verifier</h1>").unwrap();
    let data2 = dir.path().join("data2");
    let served = Served::start(&data2, &["--web-dir", web.to_str().unwrap()], |cmd| {
        cmd.current_dir(&cwd);
    });
    assert!(
        served
            .report
            .contains(&format!("serving {} at /venue/", web.display())),
        "{}",
        served.report
    );
    assert!(!served.report.contains(VENUE_NOT_BUILT));
    let reply = reqwest::get(format!("{}/venue/", served.url))
        .await
        .unwrap();
    assert_eq!(reply.text().await.unwrap(), "<h1>verifier</h1>");
}

/// Issue 12: logs written to a pipe (or a file) carry no colour escape codes, and latencies
/// are whole microseconds (`latency_ms=0.021`), not `0.021622000000000002`.
#[cfg(unix)]
#[tokio::test]
async fn logs_to_a_pipe_have_no_escape_codes_and_round_latencies() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(&dir.path().join("data"), &[], |cmd| {
        cmd.env("RUST_LOG", "info").env_remove("NO_COLOR");
    });
    for path in [
        "/healthz",
        "/v1/keys",
        "/v1/nothing",
        "/v1/keys",
        "/healthz",
    ] {
        reqwest::get(format!("{}{path}", served.url)).await.unwrap();
    }
    let (status, logs) = served.stop();
    assert!(status.success());
    assert!(!logs.contains('\u{1b}'), "escape codes in:\n{logs:?}");
    let latencies: Vec<&str> = logs
        .split("latency_ms=")
        .skip(1)
        .map(|rest| rest.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(latencies.len(), 5, "{logs}");
    for latency in latencies {
        let value: f64 = latency.parse().unwrap_or_else(|_| panic!("{latency:?}"));
        assert!(value >= 0.0);
        let decimals = latency.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 3, "latency_ms={latency} in\n{logs}");
    }
}

/// The signal handlers are installed before `listening on` is printed: a supervisor's
/// SIGTERM right after that line stops the server gracefully (exit 0), not by the default
/// action of the signal.
#[cfg(unix)]
#[test]
fn sigterm_right_after_the_listening_line_is_graceful() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..5 {
        let served = Served::start(&dir.path().join("data"), &[], |_| {});
        let (status, stderr) = served.stop();
        assert!(status.success(), "round {round}: {status:?}\n{stderr}");
    }
}
