//! The real `greenlight-server` binary as a child process: start it on a data directory,
//! learn its address from its stdout, SIGKILL it.
//!
//! The caller names the binary: the server's own integration tests (`server/tests/crash.rs`)
//! pass `env!("CARGO_BIN_EXE_greenlight-server")`, the path Cargo builds and sets for them, so
//! no test guesses where the binary is or whether it is up to date.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

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
