//! The real `greenlight-server` binary as a child process: start it on a data directory,
//! learn its address from its stdout, SIGKILL it.
//!
//! # Finding the binary
//!
//! A crate's integration tests get `CARGO_BIN_EXE_<name>` only for *its own* binaries, and
//! artifact dependencies are unstable, so this crate cannot ask Cargo for the server's binary.
//! Running `cargo build` from inside a test is ruled out too (it would contend for the build
//! lock and could, resolving features differently, rebuild dependencies on 2 cores). Instead
//! [`server_binary`] looks, in order:
//!
//! 1. at `$GREENLIGHT_SERVER_BIN`, if set;
//! 2. next to the running test executable's directory: a test runs as
//!    `target/<profile>/deps/crash-<hash>`, and Cargo puts the server at
//!    `target/<profile>/greenlight-server`.
//!
//! `cargo test --workspace` (what CI runs) always builds that binary first, because the server
//! package's own integration tests need it. After `cargo test -p greenlight-e2e` alone it may be
//! missing or older than the server's sources; both cases are reported with the command that
//! fixes them (`cargo build -p greenlight-server`) instead of silently testing an old build.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The server binary's file name on this platform.
pub fn server_binary_name() -> String {
    format!("greenlight-server{}", std::env::consts::EXE_SUFFIX)
}

/// Crates the server binary is built from (relative to the workspace root); their `src/` is
/// what the staleness check compares against.
const SERVER_SOURCES: &[&str] = &[
    "server",
    "crates/greenlight-acl",
    "crates/greenlight-protocol",
    "crates/greenlight-revocation",
    "crates/greenlight-sigma",
    "crates/greenlight-wire",
];

/// Locates the server binary (see the module docs). The error says how to fix it.
pub fn server_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("GREENLIGHT_SERVER_BIN") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "GREENLIGHT_SERVER_BIN={} is not a file",
                path.display()
            ))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut candidates = Vec::new();
    // target/<profile>/deps/<test> → target/<profile>/greenlight-server; a binary (the load
    // tool) runs from target/<profile>/ itself.
    for dir in exe.ancestors().skip(1).take(2) {
        candidates.push(dir.join(server_binary_name()));
    }
    let path = candidates.iter().find(|p| p.is_file()).ok_or_else(|| {
        format!(
            "the greenlight-server binary was not found at {}; build it first with \
             `cargo build -p greenlight-server` (or run `cargo test --workspace`), or set \
             GREENLIGHT_SERVER_BIN",
            candidates
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        )
    })?;
    check_fresh(path)?;
    Ok(path.clone())
}

/// Refuses a binary older than any source file it is built from.
fn check_fresh(binary: &Path) -> Result<(), String> {
    let built = std::fs::metadata(binary)
        .and_then(|m| m.modified())
        .map_err(|e| format!("reading {}: {e}", binary.display()))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for dir in SERVER_SOURCES {
        // Only the sources the binary is compiled from: a change to a crate's own tests,
        // benches or dev-dependencies does not rebuild the server, so it must not make the
        // binary look stale.
        if let Some((modified, path)) = newest_source(&root.join(dir).join("src")) {
            if modified > built {
                return Err(format!(
                    "{} is older than {}; rebuild it with `cargo build -p greenlight-server` \
                     (`cargo test --workspace` does this), or set GREENLIGHT_SERVER_BIN",
                    binary.display(),
                    path.display()
                ));
            }
        }
    }
    Ok(())
}

/// The newest `.rs` file under `dir`, if any.
fn newest_source(dir: &Path) -> Option<(SystemTime, PathBuf)> {
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                if let Ok(modified) = meta.modified() {
                    let older = matches!(&newest, Some((t, _)) if *t >= modified);
                    if !older {
                        newest = Some((modified, path));
                    }
                }
            }
        }
    }
    newest
}

/// A running `greenlight-server serve` child. Killed (SIGKILL) when dropped.
pub struct ServerProcess {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    child: Child,
    log: PathBuf,
}

impl ServerProcess {
    /// Starts `binary serve --data-dir DATA --listen 127.0.0.1:0 ARGS…`, with its log (stderr)
    /// appended to `log`, and waits (at most 60 s) for its `listening on` line.
    pub async fn start(
        binary: &Path,
        data_dir: &Path,
        extra_args: &[&str],
        log: &Path,
    ) -> Result<Self, String> {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| format!("opening {}: {e}", log.display()))?;
        let mut child = Command::new(binary)
            .arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra_args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", binary.display()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| "the child has no stdout".to_owned())?;
        let mut lines = BufReader::new(stdout).lines();
        let found = tokio::time::timeout(Duration::from_secs(60), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(url) = line.strip_prefix("listening on ") {
                    return Some(url.trim().to_owned());
                }
            }
            None
        })
        .await;
        let url = match found {
            Ok(Some(url)) => url,
            Ok(None) | Err(_) => {
                let _ = child.start_kill();
                let _ = child.wait().await;
                return Err(format!(
                    "the server did not report its address; log:\n{}",
                    read_tail(log)
                ));
            }
        };
        // Keep reading stdout so a later write never hits a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(ServerProcess {
            url,
            child,
            log: log.to_path_buf(),
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// SIGKILL (on Unix `Child::start_kill` sends SIGKILL: no shutdown handler, no flush) and
    /// reap, so the data directory's lock is released before a restart.
    pub async fn kill(mut self) -> Result<(), String> {
        self.child
            .start_kill()
            .map_err(|e| format!("killing the server: {e}"))?;
        self.child
            .wait()
            .await
            .map_err(|e| format!("waiting for the killed server: {e}"))?;
        Ok(())
    }

    /// The end of the server's log, for failure messages.
    pub fn log_tail(&self) -> String {
        read_tail(&self.log)
    }
}

fn read_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let start = text.len().saturating_sub(4000);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[start..].to_owned()
}

/// The admin bearer token the server wrote into its data directory.
pub fn read_admin_token(data_dir: &Path) -> Result<String, String> {
    std::fs::read_to_string(data_dir.join("admin.token"))
        .map(|t| t.trim().to_owned())
        .map_err(|e| format!("reading admin.token: {e}"))
}
