//! `greenlight-server`: the issuer and revocation service (`serve`), the embedded
//! authority's ticket signer (`ticket`), the admin commands that change a running server's
//! revocations (`revoke`, `appeal`) and the offline key revocation (`revoke-key`); and the
//! deployment roles of `docs/deploy.md`: the offline root (`root init`, `root sign`), a
//! regional issuer's data directory (`init`, `rotate`, `load-key-list` to a running server)
//! and the separate ticket authority (`authority init`, `authority ticket`).
//!
//! Exit codes, every command: `0` success; `2` anything else — a usage error, a local I/O
//! error, a port or data directory in use, a refused or failed admin request, an unreachable
//! server — with one line on stderr starting `error:`. Lines starting `warning:` on stderr
//! never change the exit code.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use greenlight_protocol::{Status, SubjectHandle};
use greenlight_server::{
    hangup_signal, reload_on_hangup, serve, shutdown_signal, AdminAction, AppState, DataPaths,
    RateLimit, ServerConfig, ServerError, TicketQr, TicketRequest, VENUE_NOT_BUILT,
    WALLET_NOT_BUILT,
};

#[derive(Parser)]
#[command(
    name = "greenlight-server",
    version,
    about = "Greenlight issuer and revocation service"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API; the first start on a new directory creates every key (development); a regional directory (init) is served with --key-list.
    Serve(ServeArgs),
    /// Sign an issuance ticket with the data directory's authority key; the last line printed is the ticket.
    Ticket(TicketArgs),
    /// Revoke a subject on the running server: its tickets redeem nothing until an appeal (and none signed before the appeal after it).
    Revoke(AdminArgs),
    /// Lift a subject's revocation on the running server (an appeal granted).
    Appeal(AdminArgs),
    /// Mark the issuing key revoked (key compromise) in the signed key list, or in entry.json of a regional directory; run with the server stopped.
    RevokeKey(RevokeKeyArgs),
    /// Create a regional issuer's data directory: issuing key, admin token and entry.json for the root to sign (no root or authority key).
    Init(InitArgs),
    /// Add the region's next issuing key (overlapping the current one) to entry.json; the root signs it into the next list.
    Rotate(RotateArgs),
    /// Have a running regional server load a new root-signed key list (POST /v1/admin/key-list).
    LoadKeyList(LoadKeyListArgs),
    /// The offline national root: create its key, sign key lists.
    #[command(subcommand)]
    Root(RootCommand),
    /// The health authority apart from the servers: create its key, sign tickets.
    #[command(subcommand)]
    Authority(AuthorityCommand),
    /// An independent key-list witness: create its key, cosign key lists (never a fork).
    #[command(subcommand)]
    Witness(WitnessCommand),
}

#[derive(Subcommand)]
enum WitnessCommand {
    /// Create the witness key (witness.key, 0600) and witness.pub in a new directory; prints the public key venues name with --witness.
    Init {
        /// The witness's directory.
        #[arg(long)]
        witness_dir: PathBuf,
    },
    /// Cosign a signed key list file in place, if it succeeds the last list this witness cosigned (append-only, never a fork); run it again on the same list daily to refresh the cosignature (venues accept cosignatures up to 7 days old).
    Cosign {
        /// The witness's directory.
        #[arg(long)]
        witness_dir: PathBuf,
        /// The key list file (from `root sign`); the cosignature is added to it.
        #[arg(long, value_name = "LIST")]
        key_list: PathBuf,
    },
}

#[derive(Subcommand)]
enum RootCommand {
    /// Create the root key (root.key, 0600) and root.pub in a new directory; prints the fingerprint clients pin.
    Init {
        /// The root's directory (keep it offline).
        #[arg(long)]
        root_dir: PathBuf,
    },
    /// Sign the next key list from regional entries (entry.json files) and the previous list kept in the root directory.
    Sign {
        /// The root's directory.
        #[arg(long)]
        root_dir: PathBuf,
        /// Regional entries (each region's DIR/entry.json); regions not given are kept as they are.
        #[arg(long, num_args = 1.., value_name = "FILE")]
        entries: Vec<PathBuf>,
        /// Where to write the signed key list (for `serve --key-list`).
        #[arg(long, value_name = "LIST")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuthorityCommand {
    /// Create the ticket-signing key (authority.key, 0600) and authority.pub in a new directory.
    Init {
        /// The authority's directory.
        #[arg(long)]
        authority_dir: PathBuf,
    },
    /// Sign an issuance ticket with the authority's key; the last line printed is the ticket.
    Ticket(AuthorityTicketArgs),
}

#[derive(Args)]
struct AuthorityTicketArgs {
    /// The authority's directory (authority.key).
    #[arg(long)]
    authority_dir: PathBuf,
    #[command(flatten)]
    ticket: TicketSpec,
}

#[derive(Args)]
struct InitArgs {
    /// The new regional data directory.
    #[arg(long, env = "GREENLIGHT_DATA_DIR")]
    data_dir: PathBuf,
    /// Region label in the key list (e.g. CN-GD).
    #[arg(long)]
    region: String,
    /// Display name in the key list.
    #[arg(long)]
    issuer_name: String,
}

#[derive(Args)]
struct LoadKeyListArgs {
    /// Data directory of the running server (its admin.token authenticates the request).
    #[arg(long, env = "GREENLIGHT_DATA_DIR", default_value = ServerConfig::DEFAULT_DATA_DIR)]
    data_dir: PathBuf,
    /// Base URL of the running server.
    #[arg(long, env = "GREENLIGHT_SERVER", default_value = greenlight_server::DEFAULT_SERVER_URL)]
    server: String,
    /// The key list file (`root sign --out`).
    #[arg(long, value_name = "LIST")]
    key_list: PathBuf,
}

#[derive(Args)]
struct RotateArgs {
    /// The regional data directory.
    #[arg(long, env = "GREENLIGHT_DATA_DIR")]
    data_dir: PathBuf,
    /// How long after now the new key starts issuing (e.g. 2d, 24h, 0s; at most 30d): time
    /// for the root to sign the list and for venues to sync it first. Never later than the
    /// current key's end. After a compromise, 0s (then revoke-key the old one).
    #[arg(long, default_value = "2d", value_parser = humantime::parse_duration)]
    starts_in: Duration,
}

#[derive(Args)]
struct RevokeKeyArgs {
    /// Data directory of the issuer whose key is revoked.
    #[arg(long, env = "GREENLIGHT_DATA_DIR", default_value = ServerConfig::DEFAULT_DATA_DIR)]
    data_dir: PathBuf,
    /// Regional data directory: the key to revoke (hex key id), needed when the region has more than one key not revoked.
    #[arg(long)]
    key_id: Option<String>,
    /// The region's shared PostgreSQL database (as `serve --database-url`): the revocation is
    /// recorded there, for every node (each stops issuing under the key at its next start or
    /// key-list load).
    #[arg(long, env = "GREENLIGHT_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

#[derive(Args)]
struct AdminArgs {
    /// Data directory of the running server (its admin.token authenticates the request).
    #[arg(long, env = "GREENLIGHT_DATA_DIR", default_value = ServerConfig::DEFAULT_DATA_DIR)]
    data_dir: PathBuf,
    /// Base URL of the running server.
    #[arg(long, env = "GREENLIGHT_SERVER", default_value = greenlight_server::DEFAULT_SERVER_URL)]
    server: String,
    /// Subject handle, as in the subject's tickets.
    #[arg(long)]
    subject: String,
}

#[derive(Args)]
struct ServeArgs {
    /// Data directory (keys, admin token, issuer.json, revocation store).
    #[arg(long, env = "GREENLIGHT_DATA_DIR", default_value = ServerConfig::DEFAULT_DATA_DIR)]
    data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "GREENLIGHT_LISTEN", default_value = ServerConfig::DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Issuer region label (used when the data directory is created).
    #[arg(long, env = "GREENLIGHT_REGION", default_value = ServerConfig::DEFAULT_REGION)]
    region: String,
    /// Issuer display name (used when the data directory is created).
    #[arg(long, env = "GREENLIGHT_ISSUER_NAME", default_value = ServerConfig::DEFAULT_ISSUER_NAME)]
    issuer_name: String,
    /// Directory served at /venue/ (default: client/web/dist if it exists).
    #[arg(long, env = "GREENLIGHT_WEB_DIR")]
    web_dir: Option<PathBuf>,
    /// Directory served at /wallet/ (default: client/web/wallet/dist if it exists).
    #[arg(long, env = "GREENLIGHT_WALLET_DIR")]
    wallet_dir: Option<PathBuf>,
    /// How long an issuance session stays open between start and finish.
    #[arg(long, env = "GREENLIGHT_SESSION_TTL", default_value = "60s", value_parser = humantime::parse_duration)]
    session_ttl: Duration,
    /// Cap on open ACL issuance sessions, counted per token (a batch of N is N sessions);
    /// 1 = strictly sequential issuance, one token at a time (BL13's proof model).
    #[arg(long, env = "GREENLIGHT_MAX_OPEN_SESSIONS", default_value_t = ServerConfig::DEFAULT_MAX_OPEN_SESSIONS)]
    max_open_sessions: usize,
    /// Per-request time limit.
    #[arg(long, env = "GREENLIGHT_REQUEST_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    request_timeout: Duration,
    /// Requests processed at once; more are refused with 503 overloaded.
    #[arg(long, env = "GREENLIGHT_MAX_CONCURRENCY", default_value_t = ServerConfig::DEFAULT_MAX_CONCURRENCY)]
    max_concurrency: usize,
    /// Issuance starts per ticket per minute (0 = no limit).
    #[arg(long, env = "GREENLIGHT_TICKET_RATE", default_value_t = RateLimit::PER_TICKET.per_minute)]
    ticket_rate: u32,
    /// Issuance starts per ticket allowed back to back.
    #[arg(long, env = "GREENLIGHT_TICKET_BURST", default_value_t = RateLimit::PER_TICKET.burst)]
    ticket_burst: u32,
    /// Issuance starts per client address per minute (0 = no limit).
    #[arg(long, env = "GREENLIGHT_CLIENT_RATE", default_value_t = RateLimit::PER_CLIENT.per_minute)]
    client_rate: u32,
    /// Issuance starts per client address allowed back to back.
    #[arg(long, env = "GREENLIGHT_CLIENT_BURST", default_value_t = RateLimit::PER_CLIENT.burst)]
    client_burst: u32,
    /// PostgreSQL database shared by the nodes of a region (`postgres://user@host/db` or
    /// `host=… dbname=…`); revocations, quotas and issuance sessions live there. Without it,
    /// sled in the data directory (one process).
    #[arg(long, env = "GREENLIGHT_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Connections in this node's PostgreSQL pool.
    #[arg(long, env = "GREENLIGHT_DATABASE_POOL", default_value_t = ServerConfig::DEFAULT_DATABASE_POOL)]
    database_pool: usize,
    /// The root-signed key list to serve (`root sign --out`); required for a regional data
    /// directory (`init`). Reloaded on SIGHUP.
    #[arg(long, env = "GREENLIGHT_KEY_LIST", value_name = "LIST")]
    key_list: Option<PathBuf>,
    /// The ticket authority's public key (ADIR/authority.pub); required for a regional data
    /// directory, which holds no authority secret.
    #[arg(long, env = "GREENLIGHT_AUTHORITY_PUBLIC_KEY", value_name = "FILE")]
    authority_public_key: Option<PathBuf>,
}

#[derive(Args)]
struct TicketArgs {
    /// Data directory holding authority.key.
    #[arg(long, env = "GREENLIGHT_DATA_DIR", default_value = ServerConfig::DEFAULT_DATA_DIR)]
    data_dir: PathBuf,
    #[command(flatten)]
    ticket: TicketSpec,
}

/// The ticket's content: the same flags for `ticket` and `authority ticket`.
#[derive(Args)]
struct TicketSpec {
    /// Subject handle: an opaque pseudonym from the authority's records, never an ID number
    /// (handles shaped like one are refused).
    #[arg(long)]
    subject: String,
    /// Status colour.
    #[arg(long, value_parser = parse_status)]
    status: Status,
    /// Travel history: region codes separated by commas (e.g. CN,HK).
    #[arg(long, default_value = "")]
    travel: String,
    /// Tokens the ticket may mint (1-64).
    #[arg(long, default_value_t = greenlight_server::DEFAULT_TICKET_TOKENS)]
    tokens: u16,
    /// Validity (e.g. 7d, 24h, 90m): at most 14 days for green and yellow, 90 for red.
    #[arg(long, default_value = "7d", value_parser = humantime::parse_duration)]
    valid_for: Duration,
    /// Also write the ticket as a QR code to this PNG file (mode 0600; replaced if it exists).
    #[arg(long, value_name = "FILE.png")]
    qr: Option<PathBuf>,
}

fn parse_status(s: &str) -> Result<Status, String> {
    s.parse()
        .map_err(|_| "expected green, yellow or red".to_owned())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => run_serve(args),
        Command::Ticket(args) => run_ticket(args),
        Command::Revoke(args) => run_admin(args, AdminAction::Revoke),
        Command::Appeal(args) => run_admin(args, AdminAction::Appeal),
        Command::RevokeKey(args) => run_revoke_key(args),
        Command::Init(args) => run_init(args),
        Command::Rotate(args) => run_rotate(args),
        Command::LoadKeyList(args) => run_load_key_list(args),
        Command::Root(RootCommand::Init { root_dir }) => run_root_init(&root_dir),
        Command::Root(RootCommand::Sign {
            root_dir,
            entries,
            out,
        }) => run_root_sign(&root_dir, &entries, &out),
        Command::Witness(WitnessCommand::Init { witness_dir }) => run_witness_init(&witness_dir),
        Command::Witness(WitnessCommand::Cosign {
            witness_dir,
            key_list,
        }) => run_witness_cosign(&witness_dir, &key_list),
        Command::Authority(AuthorityCommand::Init { authority_dir }) => {
            run_authority_init(&authority_dir)
        }
        Command::Authority(AuthorityCommand::Ticket(args)) => {
            match greenlight_server::load_authority_dir_key(&args.authority_dir) {
                Ok(authority) => {
                    warn_if_in_git_tree(&args.authority_dir);
                    sign_and_print_ticket(&authority, args.ticket)
                }
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn rate(per_minute: u32, burst: u32) -> Option<RateLimit> {
    (per_minute > 0).then_some(RateLimit {
        burst: burst.max(1),
        per_minute,
    })
}

/// Secret keys inside a git checkout are one `git add .` away from being published.
fn warn_if_in_git_tree(data_dir: &Path) {
    if let Some(root) = greenlight_server::git_work_tree_containing(data_dir) {
        eprintln!(
            "warning: data directory {} is inside the git work tree at {}; its secret keys could be committed — use a directory outside the checkout",
            data_dir.display(),
            root.display()
        );
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn run_serve(args: ServeArgs) -> Result<(), ServerError> {
    tracing_subscriber::fmt()
        .with_env_filter(greenlight_server::log_filter(
            std::env::var("RUST_LOG").ok().as_deref(),
        ))
        // Colour only for a person watching: escape codes in a log file are noise.
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();

    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut config = ServerConfig::new(args.data_dir);
    config.listen = args.listen;
    config.region = args.region;
    config.issuer_name = args.issuer_name;
    config.web_dir = args.web_dir.or_else(|| ServerConfig::detect_web_dir(&cwd));
    config.wallet_dir = args
        .wallet_dir
        .or_else(|| ServerConfig::detect_wallet_dir(&cwd));
    config.session_ttl = args.session_ttl;
    config.max_open_sessions = args.max_open_sessions;
    config.request_timeout = args.request_timeout;
    config.max_concurrency = args.max_concurrency;
    config.ticket_rate = rate(args.ticket_rate, args.ticket_burst);
    config.client_rate = rate(args.client_rate, args.client_burst);
    config.database_url = args.database_url;
    config.database_pool = args.database_pool;
    config.key_list = args.key_list;
    config.authority_public_key = args.authority_public_key;

    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| ServerError::io("starting the async runtime", e))?;
    runtime.block_on(async move {
        // The port first: a busy port must fail before a data directory (with fresh keys)
        // is created or an existing one opened.
        let listen = config.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|source| ServerError::Listen {
                addr: listen,
                source,
            })?;
        let bound = listener
            .local_addr()
            .map_err(|e| ServerError::io("reading the bound address", e))?;
        // SIGHUP handled from here on (a `kill -HUP` during the start must not kill it).
        let hangup = hangup_signal();
        let web_dir = config.web_dir.clone();
        let wallet_dir = config.wallet_dir.clone();
        let data_dir = config.data_dir.clone();
        let state = tokio::task::spawn_blocking(move || AppState::open(&config))
            .await
            .map_err(|_| ServerError::Task)??;
        warn_if_in_git_tree(&data_dir);
        print_report(&state, web_dir.as_deref(), wallet_dir.as_deref());
        if !state.is_regional() {
            eprintln!(
                "warning: the root key is online: this development data directory holds root.key and authority.key and signs its own key list on this host; production keeps the root offline (`greenlight-server root init`, `root sign`) and serves regional directories (`init`, `serve --key-list`), see docs/deploy.md"
            );
        }
        // Signal handlers before the readiness line: a SIGTERM right after it is graceful,
        // and a SIGHUP reloads the key list.
        let shutdown = shutdown_signal();
        let reloader = hangup.map(|h| reload_on_hangup(&state, h));
        println!("listening on http://{bound}");
        let _ = std::io::stdout().flush();
        let served = serve(state, listener, shutdown).await;
        if let Some(reloader) = reloader {
            reloader.abort();
        }
        served
    })
}

/// Where everything is. Never prints a secret; the admin token's *path* is printed so the
/// operator can read it with their own permissions.
fn print_report(state: &AppState, web_dir: Option<&Path>, wallet_dir: Option<&Path>) {
    let paths = state.paths();
    let created = state.created_files();
    let mark = |p: &Path| {
        if created.iter().any(|c| c == p) {
            " (created)"
        } else {
            ""
        }
    };
    println!("greenlight-server data directory: {}", paths.dir.display());
    let files: Vec<(&str, &PathBuf)> = if state.is_regional() {
        vec![
            ("region entry", &paths.entry_json),
            ("pinned root", &paths.pinned_root),
            ("key list served", &paths.key_list_json),
            ("admin token", &paths.admin_token),
            ("store key", &paths.store_key),
        ]
    } else {
        vec![
            ("issuer key", &paths.issuer_key),
            ("authority key", &paths.authority_key),
            ("root key", &paths.root_key),
            ("admin token", &paths.admin_token),
            ("store key", &paths.store_key),
            ("issuer info", &paths.issuer_json),
        ]
    };
    for (what, path) in files {
        println!("  {what:<17} {}{}", path.display(), mark(path));
    }
    match state.store().postgres() {
        Some(pg) => println!("  {:<17} PostgreSQL, {}", "store", pg.describe()),
        None => {
            let path = &paths.revocation_store;
            println!(
                "  {:<17} {}{}",
                "revocation store",
                path.display(),
                mark(path)
            );
        }
    }
    let key_id = state
        .issuing_key_id()
        .map(|k| hex::encode(k.0))
        .unwrap_or_default();
    match state.issuer_info() {
        Some(info) => println!(
            "issuer {} ({}), issuing key {key_id}",
            info.region, info.display_name
        ),
        None => println!(
            "issuer {}, issuing key {key_id}, key list version {}",
            state.region(),
            state.key_list().unverified_body().sequence()
        ),
    }
    println!(
        "root key fingerprint {} (clients pin it; compare out of band)",
        state.root_fingerprint()
    );
    report_page(web_dir, "/venue/", VENUE_NOT_BUILT, "web");
    report_page(wallet_dir, "/wallet/", WALLET_NOT_BUILT, "wallet");
}

/// `serving DIR at PATH`, or why the page is not served.
fn report_page(dir: Option<&Path>, at: &str, not_built: &str, what: &str) {
    match dir {
        Some(dir) if dir.is_dir() => println!("serving {} at {at}", dir.display()),
        Some(dir) => println!(
            "{not_built} (the {what} directory {} does not exist)",
            dir.display()
        ),
        None => println!("{not_built}"),
    }
}

fn run_revoke_key(args: RevokeKeyArgs) -> Result<(), ServerError> {
    warn_if_in_git_tree(&args.data_dir);
    if greenlight_server::is_regional(&args.data_dir) {
        let (key_id, changed) = greenlight_server::revoke_region_key(
            &args.data_dir,
            args.key_id.as_deref(),
            args.database_url.as_deref(),
        )?;
        if changed {
            println!("issuing key {key_id} is revoked in entry.json and in the store; a server on this directory stops issuing under it at its next start or key-list load (SIGHUP){}", if args.database_url.is_some() { ", and so does every node sharing the database" } else { "" });
        } else {
            println!("issuing key {key_id} was already revoked");
        }
        println!("have the root sign entry.json into the next key list (`greenlight-server root sign`), then load it (SIGHUP or POST /v1/admin/key-list); venues stop accepting the key after `greenlight venue sync`.");
        return Ok(());
    }
    if args.key_id.is_some() {
        return Err(ServerError::Usage(
            "--key-id is for a regional data directory (entry.json); a development directory has one key".into(),
        ));
    }
    let info = greenlight_server::revoke_issuing_key(
        &args.data_dir,
        args.database_url.as_deref(),
        unix_now(),
    )?;
    println!(
        "issuing key {} is revoked; signed key list is now version {}",
        info.key_id, info.key_list_sequence
    );
    println!("start the server again to publish it; venues stop accepting the key after `greenlight venue sync`.");
    println!("this data directory will not issue again: create a new one (a new key) to resume issuance.");
    Ok(())
}

fn run_ticket(args: TicketArgs) -> Result<(), ServerError> {
    if greenlight_server::is_regional(&args.data_dir) {
        return Err(ServerError::Usage(format!(
            "{} is a regional data directory and holds no authority key: sign tickets with `greenlight-server authority ticket --authority-dir ADIR`",
            args.data_dir.display()
        )));
    }
    let authority = greenlight_server::load_authority_key(&args.data_dir)?;
    warn_if_in_git_tree(&args.data_dir);
    sign_and_print_ticket(&authority, args.ticket)
}

/// `ticket` and `authority ticket`: one code path, one output (the ticket is the last line).
fn sign_and_print_ticket(
    authority: &greenlight_protocol::SigningKey,
    args: TicketSpec,
) -> Result<(), ServerError> {
    // Before signing: a QR path that cannot be written fails with no ticket signed.
    let qr = args.qr.as_deref().map(TicketQr::create).transpose()?;
    let request = TicketRequest::new(args.subject.as_str(), args.status)
        .travel(args.travel.as_str())
        .tokens(args.tokens)
        .valid_for(args.valid_for);
    let signed = greenlight_server::sign_ticket(authority, &request, unix_now())?;
    let until = std::time::UNIX_EPOCH + Duration::from_secs(signed.not_after);
    println!(
        "ticket: status {}, {} tokens, valid until {}",
        signed.status,
        signed.tokens,
        humantime::format_rfc3339_seconds(until)
    );
    // Printed before the QR file is written: should that fail now, the ticket is not lost.
    println!("{}", signed.text);
    if let Some(qr) = qr {
        qr.write(&signed.text)?;
    }
    Ok(())
}

fn run_init(args: InitArgs) -> Result<(), ServerError> {
    warn_if_in_git_tree(&args.data_dir);
    let init = greenlight_server::region_init(
        &args.data_dir,
        &args.region,
        &args.issuer_name,
        unix_now(),
    )?;
    println!(
        "regional data directory {} for region {} ({})",
        args.data_dir.display(),
        args.region,
        args.issuer_name
    );
    for path in &init.created {
        println!("  created {}", path.display());
    }
    println!("issuing key {}", init.key_id);
    println!(
        "next: the root signs {} into the key list (`greenlight-server root sign --entries …`); then `greenlight-server serve --data-dir {} --key-list LIST --authority-public-key ADIR/authority.pub`",
        greenlight_server::DataPaths::new(&args.data_dir).entry_json.display(),
        args.data_dir.display()
    );
    Ok(())
}

fn run_rotate(args: RotateArgs) -> Result<(), ServerError> {
    warn_if_in_git_tree(&args.data_dir);
    let rotated = greenlight_server::rotate(&args.data_dir, unix_now(), args.starts_in.as_secs())?;
    println!(
        "new issuing key {} ({}), issuing from {}",
        rotated.key_id,
        rotated.secret_file.display(),
        humantime::format_rfc3339_seconds(
            std::time::UNIX_EPOCH + Duration::from_secs(rotated.issue_from)
        )
    );
    println!("entry.json now lists it next to the current key: have the root sign it (`greenlight-server root sign`) and load the list (SIGHUP or POST /v1/admin/key-list) before then; venues should sync it before then too. The server issues under the new key from its start on.");
    Ok(())
}

fn run_root_init(root_dir: &Path) -> Result<(), ServerError> {
    warn_if_in_git_tree(root_dir);
    let fingerprint = greenlight_server::root_init(root_dir)?;
    let paths = greenlight_server::RootPaths::new(root_dir);
    println!(
        "root key {} (keep this directory offline)",
        paths.key.display()
    );
    println!("root public key {}", paths.public.display());
    println!(
        "root key fingerprint {fingerprint} (venues and wallets pin it; publish it out of band)"
    );
    Ok(())
}

fn run_root_sign(root_dir: &Path, entries: &[PathBuf], out: &Path) -> Result<(), ServerError> {
    warn_if_in_git_tree(root_dir);
    let signed = greenlight_server::root_sign(root_dir, entries, out, unix_now())?;
    println!(
        "signed key list version {} with regions {} into {}",
        signed.sequence,
        signed.regions.join(", "),
        out.display()
    );
    if let Some(age) = signed.previous_age_secs {
        let age = if age < 3600 {
            format!("{} min", age / 60)
        } else {
            format!("{} h", age / 3600)
        };
        eprintln!(
            "warning: the previous key list is only {age} old: wallets that have not fetched it yet bind the one before it, which venues that sync this one no longer hold — they are refused (key_list_mismatch) until they go online. Sign lists at least a day apart unless this is urgent (a revocation).",
        );
    }
    if signed.changes.is_empty() {
        println!("no key added, revoked or shortened since the previous version");
    }
    for change in &signed.changes {
        println!("  {change}");
    }
    println!("root key fingerprint {}", signed.fingerprint);
    Ok(())
}

fn run_witness_init(witness_dir: &Path) -> Result<(), ServerError> {
    warn_if_in_git_tree(witness_dir);
    let public = greenlight_server::witness_init(witness_dir)?;
    let paths = greenlight_server::WitnessPaths::new(witness_dir);
    println!(
        "witness key {} (keep it apart from the root and the servers)",
        paths.key.display()
    );
    println!("witness public key {public} in {}", paths.public.display());
    println!("venues that require this witness pass --witness {public} to `greenlight venue init`");
    Ok(())
}

fn run_witness_cosign(witness_dir: &Path, key_list: &Path) -> Result<(), ServerError> {
    warn_if_in_git_tree(witness_dir);
    let done = greenlight_server::witness_cosign(witness_dir, key_list, unix_now())?;
    println!(
        "{} key list version {} of root {} as witness {}; the file now carries {} valid cosignature(s)",
        if done.refreshed { "re-cosigned" } else { "cosigned" },
        done.sequence,
        done.root_fingerprint,
        done.witness,
        done.cosignatures
    );
    println!(
        "next: pass {} to the next witness, then load it on every server (SIGHUP or `greenlight-server load-key-list`)",
        key_list.display()
    );
    Ok(())
}

fn run_authority_init(authority_dir: &Path) -> Result<(), ServerError> {
    warn_if_in_git_tree(authority_dir);
    let public = greenlight_server::authority_init(authority_dir)?;
    let paths = greenlight_server::AuthorityPaths::new(authority_dir);
    println!(
        "authority key {} (signs tickets; keep it apart from the servers)",
        paths.key.display()
    );
    println!(
        "authority public key {public} in {}",
        paths.public.display()
    );
    println!(
        "serve regional directories with --authority-public-key {}",
        paths.public.display()
    );
    Ok(())
}

/// `load-key-list`: `POST /v1/admin/key-list` to the running server with the data
/// directory's admin token.
fn run_load_key_list(args: LoadKeyListArgs) -> Result<(), ServerError> {
    let url = greenlight_server::parse_server_url(&args.server)?;
    let doc = greenlight_server::read_key_list_document(&args.key_list)?;
    let token = greenlight_server::load_admin_token(&args.data_dir)?;
    warn_if_in_git_tree(&args.data_dir);
    warn_if_plain_http(&url);
    let token_path = DataPaths::new(&args.data_dir).admin_token;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServerError::io("starting the async runtime", e))?;
    let loaded = runtime.block_on(greenlight_server::load_key_list_call(
        &url,
        &token,
        &token_path,
        &doc,
    ))?;
    if loaded.changed {
        println!(
            "key list version {} loaded; issuing key {}",
            loaded.sequence, loaded.issuing_key_id
        );
    } else if loaded.cosignatures_changed {
        println!(
            "key list version {} was already served; its witness cosignatures were updated ({} now; issuing key {})",
            loaded.sequence, loaded.cosignatures, loaded.issuing_key_id
        );
    } else {
        println!(
            "key list version {} was already served; nothing changed (issuing key {})",
            loaded.sequence, loaded.issuing_key_id
        );
    }
    Ok(())
}

fn warn_if_plain_http(url: &reqwest::Url) {
    if url.scheme() == "http" && !greenlight_server::is_loopback(url) {
        eprintln!(
            "warning: the admin token goes to {} unencrypted (http://); use https:// for a server on another machine",
            url.host_str().unwrap_or_default()
        );
    }
}

/// `revoke` / `appeal`: one admin request to the running server, with the data directory's
/// admin token.
fn run_admin(args: AdminArgs, action: AdminAction) -> Result<(), ServerError> {
    let subject = SubjectHandle::new(&args.subject).map_err(|_| ServerError::InvalidSubject)?;
    let url = greenlight_server::parse_server_url(&args.server)?;
    let token = greenlight_server::load_admin_token(&args.data_dir)?;
    warn_if_in_git_tree(&args.data_dir);
    warn_if_plain_http(&url);
    let token_path = DataPaths::new(&args.data_dir).admin_token;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServerError::io("starting the async runtime", e))?;
    let answer = runtime.block_on(greenlight_server::admin_call(
        &url,
        &token,
        &token_path,
        action,
        subject.as_str(),
    ))?;
    let s = subject.as_str();
    match (action, answer.changed) {
        (AdminAction::Revoke, true) => println!("revoked subject {s}"),
        (AdminAction::Revoke, false) => println!("subject {s} was already revoked"),
        (AdminAction::Appeal, true) => {
            println!("appeal recorded: subject {s} may redeem tickets signed from now on")
        }
        (AdminAction::Appeal, false) => println!("subject {s} was not revoked; nothing changed"),
    }
    Ok(())
}
