//! The `greenlight` binary on garbage: `venue verify` must answer REJECT (exit 1) or a usage
//! or input error (exit 2) — never ACCEPT, never a panic. The venue is set up through the
//! library against the real issuer (`EphemeralServer` on a loopback port), then checked
//! offline by the binary, which Cargo builds for this package's tests and names in
//! `CARGO_BIN_EXE_greenlight`.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use greenlight_client::Venue;
use greenlight_server::EphemeralServer;

fn run_verify(binary: &Path, venue: &Path, input: &str, stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(binary)
        .args(["--lang", "en", "venue", "verify", "--venue"])
        .arg(venue)
        .arg(input)
        .env_remove("GREENLIGHT_VENUE")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting greenlight");
    {
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            // The binary may refuse early and close its end; that is not a failure here.
            let _ = pipe.write_all(bytes);
        }
    }
    child.wait_with_output().expect("waiting for greenlight")
}

/// `greenlight venue verify` on garbage: REJECT (exit 1) or a usage/input error (exit 2),
/// never ACCEPT, never a panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_refuses_garbage_without_panicking() {
    let binary = Path::new(env!("CARGO_BIN_EXE_greenlight"));
    let server = EphemeralServer::start().await.expect("server");
    let tmp = tempfile::tempdir().expect("tempdir");
    let venue_dir = tmp.path().join("venue");
    let (venue, _) = Venue::init(&venue_dir, &server.url, "Door", 24, None)
        .await
        .expect("venue");
    // The venue works offline: stop the server so nothing can reach it.
    server.shutdown().await;

    let big = tmp.path().join("big.bin");
    std::fs::write(&big, vec![0xA5u8; 5 * 1024 * 1024]).expect("writing big.bin");
    let fake_png = tmp.path().join("fake.png");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    std::fs::write(&fake_png, &png).expect("writing fake.png");
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();

    // (what, argument, standard input, expected exit): unreadable *content* is a REJECT
    // (exit 1); a file that cannot be read is a local input error (exit 2) — docs/api.md.
    let cases: Vec<(&str, String, Option<&[u8]>, i32)> = vec![
        ("plain text", "hello, this is not a code".into(), None, 1),
        ("truncated presentation", "GLP1:6BF".into(), None, 1),
        ("bad base45", "GLP1:!!!!!!!!".into(), None, 1),
        ("another kind of code", venue.code_text(), None, 1),
        ("binary on stdin", "-".into(), Some(&garbage), 1),
        ("5 MB file", big.display().to_string(), None, 1),
        (
            "a PNG that is not one",
            fake_png.display().to_string(),
            None,
            1,
        ),
        (
            "missing file",
            tmp.path().join("nope.png").display().to_string(),
            None,
            2,
        ),
    ];
    for (what, input, stdin, expected) in &cases {
        let out = run_verify(binary, &venue_dir, input, *stdin);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        // Never 0 (ACCEPT), never 101 (a Rust panic), never killed by a signal (None).
        assert_eq!(
            code,
            Some(*expected),
            "{what}: exit code\nstdout: {stdout}\nstderr: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stdout.contains("panicked"),
            "{what}: panic\nstderr: {stderr}"
        );
        assert!(!stdout.contains("ACCEPT"), "{what}: accepted\n{stdout}");
        if code == Some(1) {
            let last = stdout.lines().last().unwrap_or_default();
            assert!(
                last.starts_with("REJECT: ") && last.len() > "REJECT: ".len(),
                "{what}: exit 1 without a REJECT line and reason\nstdout: {stdout}"
            );
        } else {
            assert!(
                stderr.trim().starts_with("error: "),
                "{what}: exit 2 without an error message\nstderr: {stderr}"
            );
        }
    }
    // Nothing garbage was recorded as seen.
    assert!(venue.seen().expect("seen").is_empty());
}
