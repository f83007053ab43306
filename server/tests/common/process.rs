//! The real binary as a child process: `serve` in the background (stdout read up to its
//! `listening on` line, stderr collected through a pipe), and one-shot commands with a time
//! limit so a regression that makes a command hang fails instead of blocking the suite.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_greenlight-server");

/// How long a command or a server start may take.
const LIMIT: Duration = Duration::from_secs(60);

/// A `greenlight-server` command with none of the settings' environment variables inherited
/// (a developer's `GREENLIGHT_WEB_DIR` or `GREENLIGHT_SERVER` must not change a test).
pub fn command() -> Command {
    let mut cmd = Command::new(BIN);
    for var in [
        "GREENLIGHT_DATA_DIR",
        "GREENLIGHT_LISTEN",
        "GREENLIGHT_WEB_DIR",
        "GREENLIGHT_SERVER",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to completion (killed after a minute), capturing stdout and stderr.
pub fn run(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning greenlight-server");
    let out = drain(child.stdout.take().unwrap());
    let err = drain(child.stderr.take().unwrap());
    let status = wait_limited(&mut child);
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn wait_limited(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("greenlight-server did not exit within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running `greenlight-server serve`. Killed when dropped.
pub struct Served {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Standard output up to and including the `listening on` line.
    pub report: String,
    child: Child,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    /// `serve --data-dir DATA --listen 127.0.0.1:0 ARGS…`, with `cmd_adjust` applied (working
    /// directory, environment); waits for the `listening on` line.
    pub fn start(data_dir: &Path, args: &[&str], cmd_adjust: impl FnOnce(&mut Command)) -> Self {
        let mut cmd = command();
        cmd.arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd_adjust(&mut cmd);
        let mut child = cmd.spawn().expect("spawning greenlight-server serve");

        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        let mut pipe = child.stderr.take().unwrap();
        let stderr_reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });

        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let mut report = Vec::new();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                let done = line.starts_with("listening on ");
                report.push(line);
                if done {
                    let _ = tx.send(Some(report.join("\n")));
                    // Keep reading so a later write never meets a closed pipe.
                    for _ in lines {}
                    return;
                }
            }
            let _ = tx.send(None);
        });
        let report = match rx.recv_timeout(LIMIT) {
            Ok(Some(report)) => report,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = stderr_reader.join();
                let err = String::from_utf8_lossy(&stderr.lock().unwrap()).into_owned();
                panic!("serve did not start; stderr:\n{err}");
            }
        };
        let url = report
            .lines()
            .last()
            .and_then(|l| l.strip_prefix("listening on "))
            .unwrap()
            .trim()
            .to_owned();
        Served {
            url,
            report,
            child,
            stderr,
            stderr_reader: Some(stderr_reader),
        }
    }

    /// Sends `signal` (a `kill` name: `HUP`, …) to the server.
    #[cfg(unix)]
    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr_so_far(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Stops the server (SIGTERM, graceful) and returns its exit status and everything it
    /// wrote to stderr.
    #[cfg(unix)]
    pub fn stop(mut self) -> (ExitStatus, String) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = wait_limited(&mut self.child);
        if let Some(reader) = self.stderr_reader.take() {
            reader.join().unwrap();
        }
        let err = String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned();
        (status, err)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An address nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
