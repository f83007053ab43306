//! A bounded load generator for the issuance and key routes ([`run_load`]), used by the
//! `greenlight-load` binary and the smoke test.
//!
//! Issuance rounds are measured as a wallet sees them: `start` (the server verifies the
//! registration proofs, reserves the quota durably and commits), the holder's blinding, then
//! `finish` (the server answers), for batches of `batch` tokens. The holder's registrations are
//! computed *before* the timed phase, so the timed phase spends client CPU only on what cannot
//! be precomputed (blinding the server's commitments and un-blinding/verifying the answers);
//! [`HolderMode::ServerOnly`] skips even that (random challenges, answers not un-blinded — the
//! server's work is identical) to put as much of the machine as possible on the server.
//!
//! Every run is bounded three ways: the duration, an optional request count and (issuance) the
//! number of prepared rounds; it only talks to loopback addresses.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::IssuerPublicKey;
use rand::rngs::OsRng;
use tokio::task::JoinSet;

use crate::client::{unblind, Api, ClientError, Prepared};

/// What a run exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// `start` + `finish` rounds of `batch` tokens.
    Issuance,
    /// `GET /v1/keys`.
    Keys,
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::Issuance => "issuance",
            Scenario::Keys => "keys",
        })
    }
}

/// How much of the holder's work the generator does in the timed phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderMode {
    /// Blind the commitments, un-blind and verify every token (a real wallet's work).
    Full,
    /// Random challenges, answers only decoded: the server's cost without the client's.
    ServerOnly,
}

impl fmt::Display for HolderMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HolderMode::Full => "full",
            HolderMode::ServerOnly => "server-only",
        })
    }
}

/// A run's settings.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// Server base URL; must be a loopback address.
    pub url: String,
    /// More nodes of the same region (same keys, one shared database), loopback too. Round
    /// `i` starts on node `i mod n` and finishes on node `i + 1 mod n` (`url` is node 0), so
    /// with two or more nodes every session is answered by another node than its start's.
    pub other_urls: Vec<String>,
    /// Admin bearer token (issuance mints its tickets through `/v1/admin/tickets`).
    pub admin_token: Option<String>,
    /// What to exercise.
    pub scenario: Scenario,
    /// Upper bound on the timed phase.
    pub duration: Duration,
    /// Upper bound on rounds (issuance) or requests (keys).
    pub max_requests: Option<u64>,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Tokens per issuance round (1..=64).
    pub batch: usize,
    /// Issuance rounds prepared before the timed phase (the run stops when they are used up).
    pub prepare_rounds: usize,
    /// Holder work in the timed phase.
    pub holder: HolderMode,
    /// The server's process id, to report its CPU time (Linux `/proc`); `None`: not reported.
    pub server_pid: Option<u32>,
    /// The other nodes' process ids: their CPU time is added to the server's.
    pub other_server_pids: Vec<u32>,
}

impl LoadConfig {
    /// Defaults: 10 s, concurrency 16, batches of 16, 2000 prepared rounds, full holder work.
    pub fn new(url: impl Into<String>, scenario: Scenario) -> Self {
        LoadConfig {
            url: url.into(),
            other_urls: Vec::new(),
            admin_token: None,
            scenario,
            duration: Duration::from_secs(10),
            max_requests: None,
            concurrency: 16,
            batch: 16,
            prepare_rounds: 2000,
            holder: HolderMode::Full,
            server_pid: None,
            other_server_pids: Vec::new(),
        }
    }
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The target is not on this machine.
    #[error("refusing to send load to {0}: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed")]
    NotLoopback(String),
    /// A setting is out of range.
    #[error("invalid setting: {0}")]
    Config(String),
    /// Setting up (fetching keys, minting tickets) failed.
    #[error("setting up the run failed: {0}")]
    Setup(#[from] ClientError),
    /// A worker task failed.
    #[error("a worker task failed: {0}")]
    Task(String),
}

/// Checks that `url` is `http://` to a loopback address.
pub fn check_loopback(url: &str) -> Result<(), LoadError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| LoadError::NotLoopback(url.to_owned()))?;
    // The one loopback rule (`greenlight_api::is_loopback_host`).
    let loopback = parsed
        .host_str()
        .is_some_and(greenlight_api::is_loopback_host);
    if parsed.scheme() == "http" && loopback {
        Ok(())
    } else {
        Err(LoadError::NotLoopback(url.to_owned()))
    }
}

/// Percentiles of a set of latencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatencySummary {
    /// Samples.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Largest.
    pub max: Duration,
}

impl LatencySummary {
    /// Nearest-rank percentiles; `None` for no samples.
    pub fn of(samples: &mut [Duration]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let rank = |p: f64| {
            let i = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
            samples[i - 1]
        };
        Some(LatencySummary {
            count: samples.len(),
            p50: rank(0.50),
            p90: rank(0.90),
            p99: rank(0.99),
            max: samples[samples.len() - 1],
        })
    }
}

impl fmt::Display for LatencySummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms (n={})",
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max),
            self.count
        )
    }
}

/// What ended the timed phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The duration elapsed.
    Duration,
    /// `max_requests` were sent.
    Requests,
    /// Every prepared issuance round was used.
    PreparedExhausted,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::Duration => "duration elapsed",
            StopReason::Requests => "request count reached",
            StopReason::PreparedExhausted => "prepared rounds used up",
        })
    }
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// What was exercised.
    pub scenario: Scenario,
    /// Holder work in the timed phase.
    pub holder: HolderMode,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Tokens per round (issuance).
    pub batch: usize,
    /// Time spent preparing (minting tickets, computing registrations), before the timed phase.
    pub prepare_time: Duration,
    /// Length of the timed phase.
    pub wall: Duration,
    /// Successful rounds (issuance) or requests (keys).
    pub ok: u64,
    /// Tokens issued (answers received; in [`HolderMode::Full`] un-blinded and verified).
    pub tokens: u64,
    /// Failures by step and code (`start:overloaded`, `finish:transport`, `keys:timeout`, …).
    pub errors: BTreeMap<String, u64>,
    /// Latency of successful rounds (start + holder blinding + finish + un-blinding) or requests.
    pub latency: Option<LatencySummary>,
    /// Latency of successful `start` calls (issuance).
    pub start_latency: Option<LatencySummary>,
    /// Latency of successful `finish` calls (issuance).
    pub finish_latency: Option<LatencySummary>,
    /// Latency of refused requests (how fast the server says no).
    pub error_latency: Option<LatencySummary>,
    /// What ended the run.
    pub stopped_by: StopReason,
    /// CPU time (user + system) this process used during the timed phase.
    pub generator_cpu: Option<Duration>,
    /// CPU time the server process used during the timed phase (`server_pid`, Linux).
    pub server_cpu: Option<Duration>,
}

impl LoadReport {
    /// All failures.
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Tokens per second of the timed phase.
    pub fn tokens_per_sec(&self) -> f64 {
        self.tokens as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// Successful rounds or requests per second.
    pub fn ok_per_sec(&self) -> f64 {
        self.ok as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// Cores the generator kept busy on average.
    pub fn generator_cores(&self) -> Option<f64> {
        self.generator_cpu
            .map(|c| c.as_secs_f64() / self.wall.as_secs_f64().max(1e-9))
    }

    /// Cores the server kept busy on average.
    pub fn server_cores(&self) -> Option<f64> {
        self.server_cpu
            .map(|c| c.as_secs_f64() / self.wall.as_secs_f64().max(1e-9))
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scenario {
            Scenario::Issuance => writeln!(
                f,
                "scenario issuance: batch {}, concurrency {}, holder work {}; prepared in {:.2} s",
                self.batch,
                self.concurrency,
                self.holder,
                self.prepare_time.as_secs_f64()
            )?,
            Scenario::Keys => writeln!(
                f,
                "scenario keys: GET /v1/keys, concurrency {}",
                self.concurrency
            )?,
        }
        writeln!(
            f,
            "  timed phase {:.2} s ({})",
            self.wall.as_secs_f64(),
            self.stopped_by
        )?;
        match self.scenario {
            Scenario::Issuance => writeln!(
                f,
                "  {} rounds ok ({:.1} rounds/s), {} tokens: {:.0} tokens/s",
                self.ok,
                self.ok_per_sec(),
                self.tokens,
                self.tokens_per_sec()
            )?,
            Scenario::Keys => writeln!(
                f,
                "  {} requests ok: {:.0} requests/s",
                self.ok,
                self.ok_per_sec()
            )?,
        }
        if let Some(l) = &self.latency {
            let what = match self.scenario {
                Scenario::Issuance => "round",
                Scenario::Keys => "request",
            };
            writeln!(f, "  {what} latency: {l}")?;
        }
        if let Some(l) = &self.start_latency {
            writeln!(f, "  start latency: {l}")?;
        }
        if let Some(l) = &self.finish_latency {
            writeln!(f, "  finish latency: {l}")?;
        }
        if self.errors.is_empty() {
            writeln!(f, "  errors: none")?;
        } else {
            let list: Vec<String> = self
                .errors
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            writeln!(f, "  errors: {} ({})", self.error_count(), list.join(", "))?;
        }
        if let Some(l) = &self.error_latency {
            writeln!(f, "  refusal latency: {l}")?;
        }
        if let Some(c) = self.generator_cores() {
            writeln!(f, "  load generator CPU: {c:.2} cores")?;
        }
        if let Some(c) = self.server_cores() {
            writeln!(f, "  server CPU: {c:.2} cores")?;
        }
        Ok(())
    }
}

/// CPU time (user + system) of this process.
pub fn own_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        // SAFETY: getrusage only writes into the zeroed struct we pass.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
        if rc != 0 {
            return None;
        }
        let tv = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec.max(0) as u64)
                + Duration::from_micros(t.tv_usec.max(0) as u64)
        };
        Some(tv(usage.ru_utime) + tv(usage.ru_stime))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// CPU time (user + system) of process `pid`, from Linux's `/proc/PID/stat`.
pub fn process_cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    #[cfg(unix)]
    let ticks = {
        // SAFETY: sysconf has no memory effects.
        let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        if t <= 0 {
            return None;
        }
        t as f64
    };
    #[cfg(not(unix))]
    let ticks = 100.0;
    Some(Duration::from_secs_f64((utime + stime) as f64 / ticks))
}

/// Per-worker tallies, merged at the end.
#[derive(Default)]
struct Tally {
    ok: u64,
    tokens: u64,
    errors: BTreeMap<String, u64>,
    latency: Vec<Duration>,
    start: Vec<Duration>,
    finish: Vec<Duration>,
    refused: Vec<Duration>,
    stop: Option<StopReason>,
}

impl Tally {
    fn error(&mut self, step: &str, e: &ClientError, took: Duration) {
        *self
            .errors
            .entry(format!("{step}:{}", e.code()))
            .or_default() += 1;
        // Latency of the server's refusals only (not of local failures or lost connections).
        if e.status().is_some() {
            self.refused.push(took);
        }
    }

    fn merge(&mut self, other: Tally) {
        self.ok += other.ok;
        self.tokens += other.tokens;
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        self.latency.extend(other.latency);
        self.start.extend(other.start);
        self.finish.extend(other.finish);
        self.refused.extend(other.refused);
        self.stop = self.stop.or(other.stop);
    }
}

/// What every worker shares.
struct Shared {
    /// Node 0 (`url`) first; tickets are minted there.
    apis: Vec<Api>,
    /// Rounds (or requests) handed out, to spread them over the nodes.
    next_node: AtomicU64,
    deadline: Instant,
    max_requests: u64,
    sent: AtomicU64,
    pool: Mutex<Vec<Prepared>>,
    holder: HolderMode,
}

impl Shared {
    /// Claims the next request, or says why the run is over.
    fn claim(&self) -> Result<(), StopReason> {
        if Instant::now() >= self.deadline {
            return Err(StopReason::Duration);
        }
        if self.sent.fetch_add(1, Ordering::Relaxed) >= self.max_requests {
            return Err(StopReason::Requests);
        }
        Ok(())
    }

    /// The nodes for the next round: where it starts and where it finishes.
    fn nodes(&self) -> (&Api, &Api) {
        let n = self.apis.len() as u64;
        let i = self.next_node.fetch_add(1, Ordering::Relaxed);
        (
            &self.apis[(i % n) as usize],
            &self.apis[((i + 1) % n) as usize],
        )
    }

    fn next_prepared(&self) -> Option<Prepared> {
        self.pool.lock().ok()?.pop()
    }
}

/// Runs one bounded load run against `cfg.url` and reports what it measured.
pub async fn run_load(cfg: &LoadConfig) -> Result<LoadReport, LoadError> {
    check_loopback(&cfg.url)?;
    for url in &cfg.other_urls {
        check_loopback(url)?;
    }
    if cfg.concurrency == 0 || cfg.concurrency > 4096 {
        return Err(LoadError::Config("concurrency must be 1..=4096".into()));
    }
    if cfg.duration.is_zero() || cfg.duration > Duration::from_secs(3600) {
        return Err(LoadError::Config(
            "the duration must be between 1 ms and 1 h".into(),
        ));
    }
    if cfg.scenario == Scenario::Issuance && !(1..=64).contains(&cfg.batch) {
        return Err(LoadError::Config("batch must be 1..=64".into()));
    }
    let api = Api::new(cfg.url.clone(), cfg.admin_token.clone(), cfg.concurrency)?;
    let mut apis = vec![api.clone()];
    for url in &cfg.other_urls {
        apis.push(Api::new(
            url.clone(),
            cfg.admin_token.clone(),
            cfg.concurrency,
        )?);
    }

    let prepare_started = Instant::now();
    let pool = match cfg.scenario {
        Scenario::Issuance => {
            let rounds = cfg
                .max_requests
                .map_or(cfg.prepare_rounds, |m| {
                    cfg.prepare_rounds.min(m.try_into().unwrap_or(usize::MAX))
                })
                .max(1);
            prepare(&api, cfg.batch, rounds).await?
        }
        Scenario::Keys => {
            // Fail early (and warm the connection) if the server is not there.
            api.keys().await?;
            Vec::new()
        }
    };
    let prepare_time = prepare_started.elapsed();

    let shared = Arc::new(Shared {
        apis,
        next_node: AtomicU64::new(0),
        deadline: Instant::now() + cfg.duration,
        max_requests: cfg.max_requests.unwrap_or(u64::MAX),
        sent: AtomicU64::new(0),
        pool: Mutex::new(pool),
        holder: cfg.holder,
    });
    let cpu_before = own_cpu_time();
    let servers_cpu = || -> Option<Duration> {
        let mut total = Duration::ZERO;
        for pid in cfg.server_pid.iter().chain(&cfg.other_server_pids) {
            total += process_cpu_time(*pid)?;
        }
        cfg.server_pid.map(|_| total)
    };
    let server_before = servers_cpu();
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for _ in 0..cfg.concurrency {
        let shared = shared.clone();
        match cfg.scenario {
            Scenario::Issuance => workers.spawn(issuance_worker(shared)),
            Scenario::Keys => workers.spawn(keys_worker(shared)),
        };
    }
    let mut total = Tally::default();
    while let Some(joined) = workers.join_next().await {
        total.merge(joined.map_err(|e| LoadError::Task(e.to_string()))?);
    }
    let wall = started.elapsed();
    let generator_cpu = cpu_before
        .zip(own_cpu_time())
        .map(|(a, b)| b.saturating_sub(a));
    let server_cpu = server_before
        .zip(servers_cpu())
        .map(|(a, b)| b.saturating_sub(a));

    Ok(LoadReport {
        scenario: cfg.scenario,
        holder: cfg.holder,
        concurrency: cfg.concurrency,
        batch: cfg.batch,
        prepare_time,
        wall,
        ok: total.ok,
        tokens: total.tokens,
        errors: total.errors,
        latency: LatencySummary::of(&mut total.latency),
        start_latency: LatencySummary::of(&mut total.start),
        finish_latency: LatencySummary::of(&mut total.finish),
        error_latency: LatencySummary::of(&mut total.refused),
        stopped_by: total.stop.unwrap_or(StopReason::Duration),
        generator_cpu,
        server_cpu,
    })
}

/// Mints one ticket per round (quota `batch`) and computes `rounds` registration batches of
/// `batch` tokens, spread over all cores. One ticket per round, because a server keeps one
/// open session per ticket (`ticket_busy`): rounds on a shared ticket would collide whenever
/// one worker is slower than the others, where real wallets each redeem their own ticket.
async fn prepare(api: &Api, batch: usize, rounds: usize) -> Result<Vec<Prepared>, LoadError> {
    let pk = api.issuer_key().await?;
    let quota = u16::try_from(batch).map_err(|_| LoadError::Config("batch too large".into()))?;
    let n_tickets = rounds;
    // A per-run prefix keeps subjects (and so ticket ids) distinct across runs on one server.
    let run: u64 = rand::random();

    let mut tickets = Vec::with_capacity(n_tickets);
    let mut minting = JoinSet::new();
    let mut next = 0;
    while tickets.len() < n_tickets {
        while next < n_tickets && minting.len() < 8 {
            let api = api.clone();
            let subject = format!("load-{run:016x}-{next}");
            minting.spawn(async move { api.create_ticket(&subject, quota).await });
            next += 1;
        }
        match minting.join_next().await {
            Some(Ok(ticket)) => tickets.push(ticket?),
            Some(Err(e)) => return Err(LoadError::Task(e.to_string())),
            None => break,
        }
    }

    let jobs = tickets;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = jobs.len().div_ceil(threads).max(1);
    let mut handles = JoinSet::new();
    for part in jobs.chunks(chunk) {
        let part = part.to_vec();
        let pk: IssuerPublicKey = pk.clone();
        handles.spawn_blocking(move || {
            // One wallet profile per thread: the holder secret is the same in all its tokens.
            let secret = Scalar::random(&mut OsRng);
            part.iter()
                .map(|ticket| Prepared::new(&pk, ticket, &secret, batch))
                .collect::<Result<Vec<_>, _>>()
        });
    }
    let mut pool = Vec::with_capacity(rounds);
    while let Some(joined) = handles.join_next().await {
        pool.extend(joined.map_err(|e| LoadError::Task(e.to_string()))??);
    }
    Ok(pool)
}

/// Refusals that reserved nothing and say "try again": the round is retried after a short
/// pause, as a wallet honouring `Retry-After` would (each refusal is still counted). Waiting the
/// header's whole second would only idle the generator.
fn retryable(e: &ClientError) -> bool {
    matches!(e.code(), "overloaded" | "rate_limited")
}

async fn backoff() {
    tokio::time::sleep(Duration::from_millis(5 + rand::random::<u64>() % 10)).await;
}

/// How long after the deadline a round may keep retrying its `finish` (its tokens are reserved:
/// giving up would waste them), so a run stays bounded.
const FINISH_GRACE: Duration = Duration::from_secs(10);

async fn issuance_worker(shared: Arc<Shared>) -> Tally {
    let mut t = Tally::default();
    loop {
        if let Err(stop) = shared.claim() {
            t.stop = Some(stop);
            break;
        }
        let Some(mut prepared) = shared.next_prepared() else {
            t.stop = Some(StopReason::PreparedExhausted);
            break;
        };
        let round = Instant::now();
        let (start_node, finish_node) = shared.nodes();
        // `start`, retried (same registrations) while the server sheds load.
        let started = loop {
            let attempt = Instant::now();
            match prepared.try_start(start_node).await {
                Ok(s) => {
                    t.start.push(attempt.elapsed());
                    break Some(s);
                }
                Err((e, back)) => {
                    t.error("start", &e, attempt.elapsed());
                    if retryable(&e) && Instant::now() < shared.deadline {
                        prepared = back;
                        backoff().await;
                    } else {
                        break None;
                    }
                }
            }
        };
        let Some(started) = started else { continue };
        if let Some(tokens) = finish_round(&shared, finish_node, started, &mut t).await {
            t.latency.push(round.elapsed());
            t.ok += 1;
            t.tokens += tokens;
        }
    }
    t
}

/// The rest of a round after `start`: the holder's challenge (blinding on the blocking pool in
/// [`HolderMode::Full`]: it is CPU work and would otherwise delay other workers' I/O and
/// inflate their latencies), `finish` (retried while shed: the session stays open), then the
/// answers un-blinded and verified (full) or counted (server-only). Failures are recorded in
/// `t`; `None` if the round failed.
async fn finish_round(
    shared: &Shared,
    node: &Api,
    started: crate::client::Started,
    t: &mut Tally,
) -> Option<u64> {
    let holder_step = match shared.holder {
        HolderMode::Full => blocking(move || started.challenge())
            .await
            .map(|(holder, session, challenges)| (Some(holder), session, challenges)),
        HolderMode::ServerOnly => started
            .server_only_challenges()
            .map(|(session, challenges)| (None, session, challenges)),
    };
    let (holder, session, challenges) = match holder_step {
        Ok(c) => c,
        Err(e) => {
            t.error("challenge", &e, Duration::ZERO);
            return None;
        }
    };
    let answers = loop {
        let attempt = Instant::now();
        match node.finish_raw(&session, &challenges).await {
            Ok(a) => {
                t.finish.push(attempt.elapsed());
                break a;
            }
            Err(e) => {
                t.error("finish", &e, attempt.elapsed());
                if retryable(&e) && Instant::now() < shared.deadline + FINISH_GRACE {
                    backoff().await;
                } else {
                    return None;
                }
            }
        }
    };
    let tokens = match holder {
        Some(holder) => blocking(move || unblind(holder, &answers))
            .await
            .map(|tokens| tokens.len()),
        None => crate::client::count_answers(&answers),
    };
    match tokens {
        Ok(n) => Some(n as u64),
        Err(e) => {
            t.error("unblind", &e, Duration::ZERO);
            None
        }
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ClientError> + Send + 'static,
) -> Result<T, ClientError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ClientError::Protocol(format!("holder task: {e}")))?
}

async fn keys_worker(shared: Arc<Shared>) -> Tally {
    let mut t = Tally::default();
    loop {
        if let Err(stop) = shared.claim() {
            t.stop = Some(stop);
            break;
        }
        let began = Instant::now();
        match shared.nodes().0.keys().await {
            Ok(_) => {
                t.latency.push(began.elapsed());
                t.ok += 1;
            }
            Err(e) => t.error("keys", &e, began.elapsed()),
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets_are_accepted() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3:1/",
            "http://localhost:9",
            "http://[::1]:80",
        ] {
            assert!(check_loopback(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1:8080",
            "http://192.168.1.1",
            "http://example.com",
            "https://127.0.0.1:8080",
            "not a url",
            "http://[::2]:80",
        ] {
            assert!(
                matches!(check_loopback(bad), Err(LoadError::NotLoopback(u)) if u == bad),
                "{bad}"
            );
        }
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let mut samples: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let s = LatencySummary::of(&mut samples).unwrap();
        assert_eq!(s.p50, Duration::from_millis(50));
        assert_eq!(s.p90, Duration::from_millis(90));
        assert_eq!(s.p99, Duration::from_millis(99));
        assert_eq!(s.max, Duration::from_millis(100));
        assert_eq!(s.count, 100);
        assert!(LatencySummary::of(&mut []).is_none());
    }

    #[test]
    fn own_cpu_time_advances() {
        let before = own_cpu_time().unwrap();
        let mut x = 0u64;
        let until = Instant::now() + Duration::from_millis(50);
        while Instant::now() < until {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(x > 0);
        assert!(own_cpu_time().unwrap() > before);
    }
}
