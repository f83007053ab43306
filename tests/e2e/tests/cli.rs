//! The `greenlight` binary on garbage: `venue verify` must answer REJECT (exit 1) or a usage
//! or input error (exit 2) — never ACCEPT, never a panic. The venue is set up through the
//! library against the real issuer (`EphemeralServer` on a loopback port), then checked
//! offline by the binary.
//!
//! # Finding the `greenlight` binary
//!
//! `CARGO_BIN_EXE_<name>` exists only for binaries of the test's *own* package, artifact
//! dependencies are unstable, and running `cargo build` from a test (what `escargot` does)
//! would wait on the build lock and, with a different feature set, rebuild dependencies. So
//! [`greenlight_binary`] looks at `$GREENLIGHT_BIN`, else next to this test's executable
//! (`target/<profile>/deps/cli-<hash>` → `target/<profile>/greenlight`).
//! `cargo test --workspace` (what CI runs) always builds that binary first, because the client
//! package's own integration tests need it. After `cargo test -p greenlight-e2e` alone it may
//! be missing or older than the client's sources: the test then fails with the command that
//! fixes it (`cargo build -p greenlight-client`) rather than testing an old build.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

use greenlight_client::Venue;
use greenlight_server::EphemeralServer;

/// Source directories the `greenlight` binary is built from (relative to the workspace
/// root). Only `src/` and manifests: tests and benches are not part of the binary, and
/// editing them does not relink it.
const CLIENT_SOURCES: &[&str] = &[
    "client/src",
    "client/Cargo.toml",
    "circuits/src",
    "crates/greenlight-acl/src",
    "crates/greenlight-protocol/src",
    "crates/greenlight-sigma/src",
    "crates/greenlight-wire/src",
];

/// Locates the `greenlight` binary (see the module docs). The error says how to fix it.
fn greenlight_binary() -> Result<PathBuf, String> {
    let name = format!("greenlight{}", std::env::consts::EXE_SUFFIX);
    if let Some(path) = std::env::var_os("GREENLIGHT_BIN") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("GREENLIGHT_BIN={} is not a file", path.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    // target/<profile>/deps/cli-<hash> → target/<profile>/greenlight.
    let candidate = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join(&name))
        .ok_or_else(|| format!("no target directory above {}", exe.display()))?;
    if !candidate.is_file() {
        return Err(format!(
            "the greenlight binary was not found at {}; build it with \
             `cargo build -p greenlight-client` (or run `cargo test --workspace`), or set \
             GREENLIGHT_BIN",
            candidate.display()
        ));
    }
    let built = std::fs::metadata(&candidate)
        .and_then(|m| m.modified())
        .map_err(|e| format!("reading {}: {e}", candidate.display()))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for source in CLIENT_SOURCES {
        if let Some((newest, path)) = newest_source(&root.join(source)) {
            if newest > built {
                return Err(format!(
                    "{} is older than {}; rebuild it with `cargo build -p greenlight-client` \
                     (`cargo test --workspace` does this), or set GREENLIGHT_BIN",
                    candidate.display(),
                    path.display()
                ));
            }
        }
    }
    Ok(candidate)
}

/// The newest `.rs` file or `Cargo.toml` at or under `path`, if any.
fn newest_source(path: &Path) -> Option<(SystemTime, PathBuf)> {
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    let mut stack = vec![path.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        } else if p.extension().is_some_and(|e| e == "rs")
            || p.file_name().is_some_and(|n| n == "Cargo.toml")
        {
            if let Ok(modified) = meta.modified() {
                if !matches!(&newest, Some((t, _)) if *t >= modified) {
                    newest = Some((modified, p));
                }
            }
        }
    }
    newest
}

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
    let binary = greenlight_binary().unwrap_or_else(|e| panic!("{e}"));
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
        let out = run_verify(&binary, &venue_dir, input, *stdin);
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
