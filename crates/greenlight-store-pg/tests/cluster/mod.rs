//! A throw-away PostgreSQL cluster for one test: `initdb` in a temporary directory, a server
//! listening only on a Unix socket in that directory (no TCP port, so parallel tests never
//! collide), removed when dropped.
//!
//! `initdb` refuses to run as root, so as root (CI) every PostgreSQL command runs as the
//! `postgres` system user (`runuser -u postgres --`), and the directory is handed to it.
//! Without PostgreSQL's server binaries the tests **fail** with a message saying how to
//! install them (Debian: `apt-get install postgresql`) — they never skip.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
}

/// The directory of `initdb` and `pg_ctl`: `pg_config --bindir` when it names one, else the
/// newest `/usr/lib/postgresql/*/bin` (Debian keeps the server binaries off `PATH`).
fn bindir() -> PathBuf {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL's server binaries (initdb, pg_ctl) were not found: install them \
             (Debian: apt-get install postgresql). These tests need a real server and do not skip."
        )
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Cluster {
    pub fn start() -> Cluster {
        let bin = bindir();
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("greenlight-pg-")
            .tempdir()
            .expect("temporary directory");
        let cluster = Cluster {
            dir,
            bin,
            as_postgres,
        };
        if as_postgres {
            let status = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(cluster.dir.path())
                .status()
                .expect("chown");
            assert!(
                status.success(),
                "chown of the cluster directory to postgres"
            );
        }
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data().to_string_lossy(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        cluster.start_server();
        cluster
    }

    fn start_server(&self) {
        let options = format!(
            "-c listen_addresses='' -k {} -p 5432 -c fsync=off -c max_connections=50",
            self.socket_dir().display()
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-l",
                &self.dir.path().join("server.log").to_string_lossy(),
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        let out = self
            .command(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("running {program}: {e}"));
        assert!(
            out.status.success(),
            "{program} failed: {}\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A new, empty database in this cluster; returns its connection string.
    pub fn database(&self, name: &str) -> String {
        self.run(
            "createdb",
            &[
                "-h",
                &self.socket_dir().to_string_lossy(),
                "-p",
                "5432",
                "-U",
                "postgres",
                name,
            ],
        );
        self.url(name)
    }

    pub fn url(&self, database: &str) -> String {
        format!(
            "host={} port=5432 user=postgres dbname={database}",
            self.socket_dir().display()
        )
    }

    /// Stops the server at once (as a crash would); [`Self::resume`] starts it again.
    #[allow(dead_code)]
    pub fn stop(&self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-m",
                "immediate",
                "stop",
            ],
        );
    }

    /// Starts the server again on the same data after [`Self::stop`].
    #[allow(dead_code)]
    pub fn resume(&self) {
        self.start_server();
    }

    /// Stops the server at once (as a crash would) and starts it again on the same data.
    #[allow(dead_code)]
    pub fn restart(&self) {
        self.stop();
        self.start_server();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args([
                "-D",
                &self.data().to_string_lossy(),
                "-m",
                "immediate",
                "stop",
            ])
            .output();
    }
}
