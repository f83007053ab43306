//! `greenlight-load`: a bounded load run against a Greenlight server on this machine.
//!
//! Measures issuance (start + finish rounds of `--batch` tokens: rounds/s, tokens/s, latency
//! percentiles) and `GET /v1/keys` (requests/s, latency), counts failures by code, and reports
//! how much CPU the generator itself used. Stops by itself: after `--duration`, `--requests`
//! or (issuance) when the `--prepare`d rounds are used up, whichever comes first. Loopback
//! targets only. See docs/load.md.
//!
//! Exit codes: 0 the runs completed (failures are in the report), 2 bad arguments or setup
//! failure.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use greenlight_e2e::{read_admin_token, run_load, HolderMode, LoadConfig, Scenario};

#[derive(Parser)]
#[command(
    name = "greenlight-load",
    about = "Bounded load run against a local Greenlight server"
)]
struct Cli {
    /// Server base URL (loopback only).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Another node of the same region (same keys, one shared database; repeatable): round
    /// i starts on node i mod n and finishes on the next node.
    #[arg(long = "also-url", value_name = "URL")]
    also_url: Vec<String>,
    /// Admin bearer token (issuance mints its tickets through /v1/admin/tickets).
    #[arg(long, env = "GREENLIGHT_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Read the admin token from this server data directory's admin.token instead.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// What to run, in order (repeat or comma-separate).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "issuance,keys"
    )]
    scenario: Vec<ScenarioArg>,
    /// Upper bound on each run's timed phase.
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
    duration: Duration,
    /// Upper bound on rounds (issuance) or requests (keys) per run.
    #[arg(long)]
    requests: Option<u64>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Tokens per issuance round (1-64).
    #[arg(long, default_value_t = 16)]
    batch: usize,
    /// Issuance rounds prepared (tickets minted, registrations computed) before the timed phase.
    #[arg(long, default_value_t = 2000)]
    prepare: usize,
    /// Holder work in the timed phase: full (blind, un-blind, verify) or server-only (random
    /// challenges; measures the server without the client's crypto).
    #[arg(long, value_enum, default_value = "full")]
    holder: HolderArg,
    /// The server's process id, to report its CPU use (Linux).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Another node's process id (repeatable): its CPU use is added to the server's.
    #[arg(long = "also-server-pid", value_name = "PID")]
    also_server_pid: Vec<u32>,
    /// Async worker threads of the generator.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScenarioArg {
    Issuance,
    Keys,
}

#[derive(Clone, Copy, ValueEnum)]
enum HolderArg {
    Full,
    ServerOnly,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let admin_token = match (&cli.admin_token, &cli.data_dir) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(dir)) => match read_admin_token(dir) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        (None, None) => None,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cli.threads.max(1))
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "greenlight-load against {}{} ({} cores here)",
        cli.url,
        cli.also_url
            .iter()
            .map(|u| format!(" + {u}"))
            .collect::<String>(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for scenario in &cli.scenario {
        let scenario = match scenario {
            ScenarioArg::Issuance => Scenario::Issuance,
            ScenarioArg::Keys => Scenario::Keys,
        };
        let mut cfg = LoadConfig::new(cli.url.clone(), scenario);
        cfg.admin_token = admin_token.clone();
        cfg.duration = cli.duration;
        cfg.max_requests = cli.requests;
        cfg.concurrency = cli.concurrency;
        cfg.batch = cli.batch;
        cfg.prepare_rounds = cli.prepare;
        cfg.holder = match cli.holder {
            HolderArg::Full => HolderMode::Full,
            HolderArg::ServerOnly => HolderMode::ServerOnly,
        };
        cfg.server_pid = cli.server_pid;
        cfg.other_urls = cli.also_url.clone();
        cfg.other_server_pids = cli.also_server_pid.clone();
        match runtime.block_on(run_load(&cfg)) {
            Ok(report) => print!("{report}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
