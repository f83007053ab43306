//! `greenlight`: the resident's wallet and the venue's verifier on the command line.
//!
//! Output conventions: results go to stdout (the code to copy is always the **last line**);
//! progress, notes and errors go to stderr, and decorations (spinner, terminal QR code)
//! appear only when stderr is a terminal. Exit codes: 0 success/ACCEPT, 1 refused/REJECT,
//! 2 usage, input or local I/O error, 3 server unreachable or failing.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
#[cfg(feature = "demo")]
use greenlight_client::demo;
#[cfg(feature = "demo")]
use greenlight_client::error::EXIT_REFUSED;
use greenlight_client::error::{EXIT_OK, EXIT_USAGE};
use greenlight_client::i18n::status_name;
use greenlight_client::keys::{parse_root_hex, KeyChange};
use greenlight_client::venue::{parse_window, VenueOptions};
use greenlight_client::wallet::RedeemOptions;
use greenlight_client::{
    input, inspect, qr, ClientError, Lang, Msg, PinOutcome, RedeemStep, Venue, Wallet,
};

#[derive(Parser)]
#[command(name = "greenlight", version)]
struct Cli {
    /// Language of messages: en or zh.
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Resident's wallet.
    Wallet {
        #[command(subcommand)]
        cmd: WalletCmd,
    },
    /// Venue tools.
    Venue {
        #[command(subcommand)]
        cmd: VenueCmd,
    },
    /// Show every field of a code.
    Inspect {
        input: String,
        /// Venue directory whose key list names issuing regions.
        #[arg(long = "venue", value_name = "DIR")]
        venue_dir: Option<PathBuf>,
    },
    /// The whole story in one process.
    #[cfg(feature = "demo")]
    Demo,
}

#[derive(Subcommand)]
enum WalletCmd {
    /// Redeem a ticket.
    Redeem {
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long, value_name = "TICKET")]
        ticket: String,
        #[arg(long, value_name = "DIR", env = "GREENLIGHT_WALLET")]
        wallet: Option<PathBuf>,
        #[arg(long, value_name = "NAME", default_value = "self")]
        profile: String,
        #[arg(long, value_name = "HEX")]
        root: Option<String>,
        /// Let the profile move to another region (the person has moved).
        #[arg(long = "new-region")]
        new_region: bool,
        #[arg(long = "witness", value_name = "HEX")]
        witnesses: Vec<String>,
        #[arg(long = "witness-quorum", value_name = "K", requires = "witnesses")]
        witness_quorum: Option<usize>,
    },
    /// Token counts.
    Status {
        #[arg(long, value_name = "DIR", env = "GREENLIGHT_WALLET")]
        wallet: Option<PathBuf>,
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
    },
    /// Show a green code.
    Present {
        #[arg(long = "venue", value_name = "CODE")]
        venue_code: String,
        #[arg(long, value_name = "DIR", env = "GREENLIGHT_WALLET")]
        wallet: Option<PathBuf>,
        #[arg(long, value_name = "NAME", default_value = "self")]
        profile: String,
        #[arg(long, value_name = "FILE.png")]
        qr: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum VenueCmd {
    /// Set up a venue.
    Init {
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long, value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "DURATION", default_value = "24h")]
        window: String,
        #[arg(long = "venue", value_name = "DIR", env = "GREENLIGHT_VENUE")]
        venue_dir: Option<PathBuf>,
        #[arg(long, value_name = "HEX")]
        root: Option<String>,
        #[arg(long = "witness", value_name = "HEX")]
        witnesses: Vec<String>,
        #[arg(long = "witness-quorum", value_name = "K", requires = "witnesses")]
        witness_quorum: Option<usize>,
        #[arg(long = "min-presentation-version", value_name = "N", default_value_t = 1,
              value_parser = clap::value_parser!(u8).range(1..=2))]
        min_presentation_version: u8,
    },
    /// Print the venue code.
    Code {
        #[arg(long = "venue", value_name = "DIR", env = "GREENLIGHT_VENUE")]
        venue_dir: Option<PathBuf>,
        #[arg(long, value_name = "FILE.png")]
        qr: Option<PathBuf>,
        /// The browser verifier's set-up code (venue code, server, root fingerprint).
        #[arg(long = "setup-qr", value_name = "FILE.png")]
        setup_qr: Option<PathBuf>,
    },
    /// Refresh the key list.
    Sync {
        #[arg(long = "venue", value_name = "DIR", env = "GREENLIGHT_VENUE")]
        venue_dir: Option<PathBuf>,
    },
    /// Verify a visitor's code.
    Verify {
        #[arg(long = "venue", value_name = "DIR", env = "GREENLIGHT_VENUE")]
        venue_dir: Option<PathBuf>,
        #[arg(value_name = "TEXT | FILE.png | -", required_unless_present = "binary")]
        input: Option<String>,
        /// Read the presentation as raw bytes (its binary encoding, not GLP1: text) from FILE.
        #[arg(long, value_name = "FILE", conflicts_with = "input")]
        binary: Option<PathBuf>,
        /// For testing and auditing: judge as if the venue's clock read TIME (RFC 3339, e.g.
        /// 2025-11-24T16:10:00Z, or Unix seconds). Only the clock changes: the seen-set is
        /// checked and, on ACCEPT, updated as usual.
        #[arg(long, value_name = "TIME", value_parser = parse_now)]
        now: Option<u64>,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| "expected en, zh or zh-Hant".to_owned())
}

/// `--lang` is needed before clap runs (to translate the help itself), so look for it in
/// the raw arguments first; clap validates it properly afterwards.
fn early_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            if let Some(l) = Lang::parse(v) {
                return l;
            }
        } else if a == "--lang" {
            if let Some(l) = it.next().and_then(Lang::parse) {
                return l;
            }
        }
    }
    Lang::from_locale()
}

/// Translate every about/help text of the command tree.
fn localized_command(lang: Lang) -> clap::Command {
    let t = |m: Msg| m.text(lang);
    let dir_wallet = |c: clap::Command| c.mut_arg("wallet", |a| a.help(t(Msg::HelpArgWallet)));
    let dir_venue = |c: clap::Command| c.mut_arg("venue_dir", |a| a.help(t(Msg::HelpArgVenueDir)));
    let profile = |c: clap::Command| c.mut_arg("profile", |a| a.help(t(Msg::HelpArgProfile)));
    let root = |c: clap::Command| c.mut_arg("root", |a| a.help(t(Msg::HelpArgRoot)));
    let server = |c: clap::Command| c.mut_arg("server", |a| a.help(t(Msg::HelpArgServer)));
    let qr = |c: clap::Command| c.mut_arg("qr", |a| a.help(t(Msg::HelpArgQr)));
    let command = Cli::command()
        .about(t(Msg::HelpAbout))
        .after_help(t(Msg::HelpExitCodes))
        .mut_arg("lang", |a| a.help(t(Msg::HelpLang)))
        .mut_subcommand("wallet", |c| {
            c.about(t(Msg::HelpWallet))
                .mut_subcommand("redeem", |c| {
                    let c = c
                        .about(t(Msg::HelpRedeem))
                        .mut_arg("ticket", |a| a.help(t(Msg::HelpArgTicket)))
                        .mut_arg("new_region", |a| a.help(t(Msg::HelpArgNewRegion)))
                        .mut_arg("witnesses", |a| a.help(t(Msg::HelpArgWitness)))
                        .mut_arg("witness_quorum", |a| a.help(t(Msg::HelpArgWitnessQuorum)));
                    root(profile(dir_wallet(server(c))))
                })
                .mut_subcommand("status", |c| {
                    profile(dir_wallet(c.about(t(Msg::HelpStatus))))
                })
                .mut_subcommand("present", |c| {
                    let c = c
                        .about(t(Msg::HelpPresent))
                        .mut_arg("venue_code", |a| a.help(t(Msg::HelpArgVenueCode)));
                    qr(profile(dir_wallet(c)))
                })
        })
        .mut_subcommand("venue", |c| {
            c.about(t(Msg::HelpVenue))
                .mut_subcommand("init", |c| {
                    let c = c
                        .about(t(Msg::HelpInit))
                        .mut_arg("name", |a| a.help(t(Msg::HelpArgName)))
                        .mut_arg("window", |a| a.help(t(Msg::HelpArgWindow)))
                        .mut_arg("witnesses", |a| a.help(t(Msg::HelpArgWitness)))
                        .mut_arg("witness_quorum", |a| a.help(t(Msg::HelpArgWitnessQuorum)))
                        .mut_arg("min_presentation_version", |a| {
                            a.help(t(Msg::HelpArgMinVersion))
                        });
                    root(dir_venue(server(c)))
                })
                .mut_subcommand("code", |c| {
                    qr(dir_venue(c.about(t(Msg::HelpCode))))
                        .mut_arg("setup_qr", |a| a.help(t(Msg::HelpArgSetupQr)))
                })
                .mut_subcommand("sync", |c| dir_venue(c.about(t(Msg::HelpSync))))
                .mut_subcommand("verify", |c| {
                    let c = c
                        .about(t(Msg::HelpVerify))
                        .after_help(t(Msg::HelpExitCodes))
                        .mut_arg("input", |a| a.help(t(Msg::HelpArgVerifyInput)))
                        .mut_arg("binary", |a| a.help(t(Msg::HelpArgBinary)))
                        .mut_arg("now", |a| a.help(t(Msg::HelpArgNow)));
                    dir_venue(c)
                })
        })
        .mut_subcommand("inspect", |c| {
            c.about(t(Msg::HelpInspect))
                .mut_arg("input", |a| a.help(t(Msg::HelpArgInspectInput)))
                .mut_arg("venue_dir", |a| a.help(t(Msg::HelpArgVenueDir)))
        });
    let command = if cfg!(feature = "demo") {
        command.mut_subcommand("demo", |c| c.about(t(Msg::HelpDemo)))
    } else {
        command
    };
    match lang {
        // clap's own words are English already.
        Lang::En => command,
        Lang::Zh | Lang::ZhHant => {
            let mut command = command;
            // Builds the generated parts (`--help`, `--version`, the `help` subcommand) so
            // their texts can be translated too.
            command.build();
            help_chrome(command, lang)
        }
    }
}

/// The words clap adds around the help (the usage heading, section headings, `--help`,
/// `--version`, the `help` subcommand) in `lang`, for `command` and every subcommand.
fn help_chrome(command: clap::Command, lang: Lang) -> clap::Command {
    let t = |m: Msg| m.text(lang);
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n",
        t(Msg::UsageHeading)
    );
    if command.get_subcommands().next().is_some() {
        template += &format!("\n{}\n{{subcommands}}\n", t(Msg::HelpHeadingCommands));
    }
    if command.get_positionals().any(|a| !a.is_hide_set()) {
        template += &format!("\n{}\n{{positionals}}\n", t(Msg::HelpHeadingArguments));
    }
    template += &format!(
        "\n{}\n{{options}}{{after-help}}",
        t(Msg::HelpHeadingOptions)
    );
    let mut command = command.help_template(template);
    for (id, msg) in [("help", Msg::HelpFlag), ("version", Msg::VersionFlag)] {
        if command.get_arguments().any(|a| a.get_id() == id) {
            command = command.mut_arg(id, |a| a.help(t(msg)));
        }
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        command = if name == "help" {
            command.mut_subcommand(&name, |c| c.about(t(Msg::HelpSubcommand)))
        } else {
            command.mut_subcommand(&name, |c| help_chrome(c, lang))
        };
    }
    command
}

/// A command line clap refused: help and version as clap prints them; errors in `lang`
/// (clap's English as it is; Chinese in our words with the usage line), exit code 2 — plus a
/// tip when a code was split at its spaces by an unquoted shell argument.
fn usage_error(e: clap::Error, lang: Lang, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let code_split = e.kind() == ErrorKind::UnknownArgument
        && args
            .iter()
            .filter_map(|a| a.to_str())
            .any(|a| greenlight_protocol::detect_kind(a).is_some());
    let tip = code_split.then(|| Msg::UsageCodeSplit.text(lang));
    if lang == Lang::En {
        let _ = e.print();
        if let Some(tip) = tip {
            eprintln!("\n{tip}");
        }
        return ExitCode::from(EXIT_USAGE);
    }
    let text = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => greenlight_client::i18n::list(v, lang),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::MissingRequiredArgument => Msg::UsageMissingArgs {
            args: text(ContextKind::InvalidArg),
        },
        ErrorKind::UnknownArgument => Msg::UsageUnknownArg {
            arg: text(ContextKind::InvalidArg),
        },
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => Msg::UsageInvalidValue {
            arg: text(ContextKind::InvalidArg),
            value: text(ContextKind::InvalidValue),
        },
        ErrorKind::InvalidSubcommand => Msg::UsageUnknownSubcommand {
            name: text(ContextKind::InvalidSubcommand),
        },
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            Msg::UsageOther {
                detail: first.trim_start_matches("error:").trim().to_owned(),
            }
        }
    };
    let mut out = vec![Msg::ErrorLine {
        detail: msg.text(lang),
    }
    .text(lang)];
    if let Some(ContextValue::String(similar)) = e.get(ContextKind::SuggestedArg) {
        out.push(
            Msg::UsageSimilarArg {
                arg: similar.clone(),
            }
            .text(lang),
        );
    }
    let similar = match e.get(ContextKind::SuggestedSubcommand) {
        Some(ContextValue::String(name)) => Some(name.clone()),
        Some(ContextValue::Strings(names)) => names.first().cloned(),
        _ => None,
    };
    if let Some(name) = similar {
        out.push(Msg::UsageSimilarSubcommand { name }.text(lang));
    }
    if let Some(ContextValue::Strings(values)) = e.get(ContextKind::ValidValue) {
        out.push(
            Msg::UsagePossibleValues {
                values: greenlight_client::i18n::list(values, lang),
            }
            .text(lang),
        );
    }
    out.extend(tip);
    let usage = text(ContextKind::Usage);
    if let Some(line) = usage.trim().strip_prefix("Usage:") {
        out.push(format!(
            "\n{} {}",
            Msg::UsageHeading.text(lang),
            line.trim()
        ));
    }
    out.push(format!("\n{}", Msg::UsageMoreInfo.text(lang)));
    eprintln!("{}", out.join("\n"));
    ExitCode::from(EXIT_USAGE)
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let early = early_lang(&args);
    let matches = match localized_command(early).try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(e) => return usage_error(e, early, &args),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e, early, &args),
    };
    let lang = cli.lang.unwrap_or(early);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "{}",
                Msg::Io {
                    path: "tokio runtime".into(),
                    detail: e.to_string()
                }
                .text(lang)
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let code = runtime.block_on(run(cli.command, lang));
    ExitCode::from(code)
}

fn report(e: &ClientError, lang: Lang) -> u8 {
    eprintln!(
        "{}",
        Msg::ErrorLine {
            detail: e.localized(lang)
        }
        .text(lang)
    );
    e.exit_code()
}

async fn run(command: Command, lang: Lang) -> u8 {
    let result = match command {
        Command::Wallet { cmd } => wallet_cmd(cmd, lang).await,
        Command::Venue { cmd } => venue_cmd(cmd, lang).await,
        Command::Inspect { input, venue_dir } => inspect_cmd(&input, venue_dir.as_deref(), lang),
        #[cfg(feature = "demo")]
        Command::Demo => {
            let mut out = std::io::stdout().lock();
            return match demo::run(lang, &mut out).await {
                Ok(()) => EXIT_OK,
                Err(f) => {
                    let _ = out.flush();
                    eprintln!("{}", f.localized(lang));
                    EXIT_REFUSED
                }
            };
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => report(&e, lang),
    }
}

fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

fn spinner() -> indicatif::ProgressBar {
    if !stderr_is_tty() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

async fn wallet_cmd(cmd: WalletCmd, lang: Lang) -> Result<u8, ClientError> {
    match cmd {
        WalletCmd::Redeem {
            server,
            ticket,
            wallet,
            profile,
            root,
            new_region,
            witnesses,
            witness_quorum,
        } => {
            let root = root.as_deref().map(parse_root_hex).transpose()?;
            let witnesses = witness_policy(&witnesses, witness_quorum)?;
            let ticket = input::read_code(&ticket)?;
            let wallet = Wallet::open(wallet.unwrap_or_else(Wallet::default_dir))?;
            let bar = spinner();
            let url = server.clone();
            let progress = {
                let bar = bar.clone();
                move |step: RedeemStep| {
                    let msg = match step {
                        RedeemStep::FetchKeys => Msg::StepFetchKeys { url: url.clone() },
                        RedeemStep::Register { n } => Msg::StepRegister { n: n as u64 },
                        RedeemStep::Challenge => Msg::StepChallenge,
                        RedeemStep::Verify { n } => Msg::StepVerify { n: n as u64 },
                        RedeemStep::Store => Msg::StepStore,
                        RedeemStep::Batch { index, count } => Msg::StepBatch {
                            index: index as u64,
                            count: count as u64,
                        },
                        RedeemStep::Waiting { wait_ms, code } => Msg::StepWaiting {
                            secs: wait_ms.div_ceil(1000),
                            code,
                        },
                    };
                    bar.set_message(msg.text(lang));
                }
            };
            let opts = RedeemOptions {
                root,
                now: None,
                new_region,
                witnesses,
            };
            let result = wallet
                .redeem_with(&server, &ticket, &profile, &opts, &progress)
                .await;
            bar.finish_and_clear();
            let report = result?;
            let pin = match &report.pin {
                PinOutcome::FirstUse { fingerprint } => Msg::RootPinnedFirstUse {
                    fingerprint: fingerprint.clone(),
                },
                PinOutcome::Explicit { fingerprint } => Msg::RootPinnedExplicit {
                    fingerprint: fingerprint.clone(),
                },
                PinOutcome::Matched { fingerprint } => Msg::RootMatches {
                    fingerprint: fingerprint.clone(),
                },
            };
            println!("{}", pin.text(lang));
            if report.new_profile {
                println!(
                    "{}",
                    Msg::NewProfile {
                        profile: report.profile.clone()
                    }
                    .text(lang)
                );
            }
            if let Some(region) = report.region_message() {
                println!("{}", region.text(lang));
            }
            println!(
                "{}",
                Msg::Redeemed {
                    n: report.tokens_added as u64,
                    profile: report.profile.clone(),
                    status: status_name(report.status, lang),
                    total: report.tokens_in_profile as u64,
                }
                .text(lang)
            );
            Ok(EXIT_OK)
        }
        WalletCmd::Status { wallet, profile } => {
            if let Some(p) = &profile {
                greenlight_client::wallet::validate_profile(p)?;
            }
            let wallet = Wallet::open(wallet.unwrap_or_else(Wallet::default_dir))?;
            let status = wallet.status()?;
            println!(
                "{}",
                Msg::StatusWallet {
                    dir: wallet.dir().display().to_string()
                }
                .text(lang)
            );
            if let (Some(fingerprint), Some(sequence)) =
                (&status.root_fingerprint, status.key_list_sequence)
            {
                println!(
                    "{}",
                    Msg::StatusRoot {
                        fingerprint: fingerprint.clone(),
                        sequence
                    }
                    .text(lang)
                );
            }
            let shown: Vec<_> = status
                .profiles
                .iter()
                .filter(|p| match profile.as_deref() {
                    Some(want) => want == p.name,
                    None => true,
                })
                .collect();
            if status.profiles.is_empty() {
                println!("{}", Msg::StatusEmpty.text(lang));
            } else if shown.is_empty() {
                if let Some(p) = profile {
                    let names: Vec<String> =
                        status.profiles.iter().map(|p| p.name.clone()).collect();
                    println!(
                        "{}",
                        Msg::StatusUnknownProfile {
                            profile: p,
                            profiles: greenlight_client::i18n::list(&names, lang),
                        }
                        .text(lang)
                    );
                }
            }
            for p in shown {
                println!(
                    "{}",
                    Msg::StatusProfile {
                        profile: p.name.clone(),
                        total: p.total as u64
                    }
                    .text(lang)
                );
                if p.groups.is_empty() {
                    println!("{}", Msg::StatusNoTokens.text(lang));
                }
                for g in &p.groups {
                    let status = match g.status {
                        Some(s) => status_name(s, lang),
                        None => Msg::StatusName { status: "?".into() }.text(lang),
                    };
                    println!(
                        "{}",
                        Msg::StatusLine {
                            count: g.count as u64,
                            status,
                            age: g.age_hours
                        }
                        .text(lang)
                    );
                }
            }
            Ok(EXIT_OK)
        }
        WalletCmd::Present {
            venue_code,
            wallet,
            profile,
            qr: qr_path,
        } => {
            let venue_code = input::read_code(&venue_code)?;
            // Presenting spends a token: every output must be known writable before.
            if let Some(path) = &qr_path {
                input::check_output_path(path)?;
            }
            let wallet = Wallet::open(wallet.unwrap_or_else(Wallet::default_dir))?;
            let shown = wallet.present(&venue_code, &profile)?;
            eprintln!(
                "{}",
                Msg::Presenting {
                    venue: shown.venue.name().to_owned(),
                    window: u64::from(shown.venue.window_hours()),
                }
                .text(lang)
            );
            // The token is already spent: print the code before anything that might fail.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", shown.text);
            let _ = out.flush();
            drop(out);
            eprintln!(
                "{}",
                Msg::PresentedLeft {
                    left: shown.tokens_left as u64,
                    profile: shown.profile.clone()
                }
                .text(lang)
            );
            if stderr_is_tty() {
                if let Ok(art) = qr::terminal(&shown.text, qr::PRESENTATION_EC) {
                    eprintln!("{}\n{art}", Msg::ShowThisCode.text(lang));
                }
            }
            if let Some(path) = qr_path {
                let version = qr::write_png(&path, &shown.text, qr::PRESENTATION_EC)?;
                eprintln!(
                    "{}",
                    Msg::QrWritten {
                        path: path.display().to_string(),
                        version
                    }
                    .text(lang)
                );
            }
            Ok(EXIT_OK)
        }
    }
}

fn venue_dir_or_default(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(Venue::default_dir)
}

async fn venue_cmd(cmd: VenueCmd, lang: Lang) -> Result<u8, ClientError> {
    match cmd {
        VenueCmd::Init {
            server,
            name,
            window,
            venue_dir,
            root,
            witnesses,
            witness_quorum,
            min_presentation_version,
        } => {
            let window = parse_window(&window)?;
            let root = root.as_deref().map(parse_root_hex).transpose()?;
            let witnesses = witness_policy(&witnesses, witness_quorum)?;
            let dir = venue_dir_or_default(venue_dir);
            let bar = spinner();
            bar.set_message(
                Msg::StepFetchKeys {
                    url: server.clone(),
                }
                .text(lang),
            );
            let opts = VenueOptions {
                witnesses,
                min_presentation_version,
            };
            let result = Venue::init_with(&dir, &server, &name, window, root, opts).await;
            bar.finish_and_clear();
            let (venue, pin) = result?;
            let pin = match pin {
                PinOutcome::FirstUse { fingerprint } => Msg::RootPinnedFirstUse { fingerprint },
                PinOutcome::Explicit { fingerprint } => Msg::RootPinnedExplicit { fingerprint },
                PinOutcome::Matched { fingerprint } => Msg::RootMatches { fingerprint },
            };
            println!("{}", pin.text(lang));
            println!(
                "{}",
                Msg::VenueCreated {
                    name: venue.code().name().to_owned(),
                    window: u64::from(window),
                    dir: dir.display().to_string(),
                }
                .text(lang)
            );
            println!("{}", venue.code_text());
            Ok(EXIT_OK)
        }
        VenueCmd::Code {
            venue_dir,
            qr: qr_path,
            setup_qr,
        } => {
            let venue = Venue::open(venue_dir_or_default(venue_dir))?;
            let text = venue.code_text();
            if let Some(path) = &setup_qr {
                // The page's set-up code: what it needs to fetch and check the key list
                // itself (greenlight_venue::VenueSetup; docs/spec.md §7.5).
                input::check_output_path(path)?;
                let setup =
                    greenlight_venue::VenueSetup::from_config(venue.config()).map_err(|e| {
                        ClientError::Corrupt {
                            path: venue.dir().join("venue.json"),
                            detail: match e {
                                greenlight_venue::SetupError::NoServer => {
                                    Msg::SetupQrNoServer.text(lang)
                                }
                                other => Msg::SetupQrBadServer {
                                    detail: other.to_string(),
                                }
                                .text(lang),
                            },
                        }
                    })?;
                qr::write_png(path, &setup.to_text(), qr::VENUE_CODE_EC)?;
                eprintln!(
                    "{}",
                    Msg::SetupQrWritten {
                        path: path.display().to_string(),
                        page: setup.page_url(),
                    }
                    .text(lang)
                );
            }
            if let Some(path) = &qr_path {
                input::check_output_path(path)?;
                let version = qr::write_png(path, &text, qr::VENUE_CODE_EC)?;
                eprintln!(
                    "{}",
                    Msg::QrWritten {
                        path: path.display().to_string(),
                        version
                    }
                    .text(lang)
                );
            }
            if stderr_is_tty() {
                if let Ok(art) = qr::terminal(&text, qr::VENUE_CODE_EC) {
                    eprintln!("{art}");
                }
            }
            println!(
                "{}",
                Msg::VenueCodeIntro {
                    name: venue.code().name().to_owned(),
                    window: u64::from(venue.code().window_hours()),
                }
                .text(lang)
            );
            println!("{text}");
            Ok(EXIT_OK)
        }
        VenueCmd::Sync { venue_dir } => {
            let mut venue = Venue::open(venue_dir_or_default(venue_dir))?;
            let bar = spinner();
            bar.set_message(
                Msg::StepFetchKeys {
                    url: venue.server().to_owned(),
                }
                .text(lang),
            );
            let result = venue.sync().await;
            bar.finish_and_clear();
            let report = result?;
            if report.changes.is_empty() && report.old_sequence == report.new_sequence {
                println!(
                    "{}",
                    Msg::SyncUnchanged {
                        sequence: report.new_sequence
                    }
                    .text(lang)
                );
            } else {
                println!(
                    "{}",
                    Msg::SyncUpdated {
                        old: report.old_sequence,
                        new: report.new_sequence
                    }
                    .text(lang)
                );
                for change in report.changes {
                    let msg = match change {
                        KeyChange::NewIssuer { region } => Msg::SyncNewIssuer { region },
                        KeyChange::NewKey { region, key_id } => Msg::SyncNewKey { region, key_id },
                        KeyChange::Revoked { key_id } => Msg::SyncKeyRevoked { key_id },
                        KeyChange::Shortened { key_id } => Msg::SyncKeyShortened { key_id },
                    };
                    println!("{}", msg.text(lang));
                }
            }
            if let Some(count) = report.witnessed {
                println!("{}", Msg::SyncWitnessed { count }.text(lang));
            }
            Ok(EXIT_OK)
        }
        VenueCmd::Verify {
            venue_dir,
            input,
            binary,
            now,
        } => {
            let venue = Venue::open(venue_dir_or_default(venue_dir))?;
            let now = now.unwrap_or_else(greenlight_client::clock::now_unix);
            let verdict = match binary {
                Some(path) => verify_binary(&venue, &path, now)?,
                // clap requires the input when there is no --binary.
                None => venue.verify_input_at(&input.unwrap_or_default(), now)?,
            };
            println!("{}", verdict.line(lang));
            Ok(verdict.exit_code())
        }
    }
}

/// `venue verify --binary FILE`: the presentation's raw bytes, in their text form
/// (`GLP1:` + base45, spec §6.4), verified like a scanned code at `now`. Whatever the bytes
/// are, the venue judges them: not a presentation is `bad_encoding`, far too long is
/// `too_large`.
fn verify_binary(
    venue: &Venue,
    path: &Path,
    now: u64,
) -> Result<greenlight_client::Verdict, ClientError> {
    let bytes = read_binary(path)?;
    let text = greenlight_wire::text::encode(greenlight_wire::prefixes::PRESENTATION, &bytes);
    venue.verify_text_at(&text, now)
}

/// The bytes of `path`, at most one past [`greenlight_venue::MAX_PRESENTATION_TEXT`]: a
/// presentation is 1 081 bytes, and the venue refuses the text form of anything that
/// long as too large, so no file is read whole.
fn read_binary(path: &Path) -> Result<Vec<u8>, ClientError> {
    use std::io::Read;
    let io = |source: std::io::Error| ClientError::Io {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        return Err(ClientError::IsADirectory(path.to_owned()));
    }
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ClientError::NoSuchFile(path.to_owned()),
        _ => io(e),
    })?;
    let mut bytes = Vec::new();
    file.take(greenlight_venue::MAX_PRESENTATION_TEXT as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(bytes)
}

/// `--now`: Unix seconds, or an RFC 3339 date-time (`2025-11-24T16:10:00Z`,
/// `2025-11-25T00:10:00+08:00`; a fraction of a second is dropped, leap seconds are not
/// counted, as in Unix time).
fn parse_now(s: &str) -> Result<u64, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .map_err(|_| "too large for Unix seconds".to_owned());
    }
    parse_rfc3339(s).ok_or_else(|| {
        "expected Unix seconds or an RFC 3339 time such as 2025-11-24T16:10:00Z".to_owned()
    })
}

/// `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|±HH:MM)` → Unix seconds (not before 1970).
fn parse_rfc3339(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let at = |i: usize, allowed: &[u8]| b.get(i).is_some_and(|c| allowed.contains(c));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt ") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut i = 19;
    if at(i, b".") {
        let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    let offset = match &b[i..] {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (digits(i + 1..i + 3)?, digits(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            if *sign == b'+' {
                oh * 3600 + om * 60
            } else {
                -(oh * 3600 + om * 60)
            }
        }
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let valid_day = usize::try_from(month - 1)
        .ok()
        .and_then(|m| month_days.get(m))
        .is_some_and(|&last| (1..=last).contains(&day));
    if !valid_day || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hour * 3600 + minute * 60 + second - offset).ok()
}

fn inspect_cmd(arg: &str, venue_dir: Option<&Path>, lang: Lang) -> Result<u8, ClientError> {
    let text = input::read_code(arg)?;
    let venue = match venue_dir {
        Some(dir) => Some(Venue::open(dir)?),
        None => None,
    };
    let lines = inspect::inspect(&text, lang, venue.as_ref().map(|v| v.trust()))?;
    for line in lines {
        println!("{line}");
    }
    Ok(EXIT_OK)
}

/// `--witness HEX … [--witness-quorum K]` as a policy (quorum default: every witness given),
/// checked by the shared rule ([`greenlight_venue::WitnessPolicyFile::to_policy`]).
fn witness_policy(
    keys: &[String],
    quorum: Option<usize>,
) -> Result<Option<greenlight_protocol::WitnessPolicy>, ClientError> {
    if keys.is_empty() {
        return Ok(None);
    }
    greenlight_venue::WitnessPolicyFile {
        keys: keys.to_vec(),
        quorum: quorum.unwrap_or(keys.len()),
        max_age_secs: greenlight_protocol::DEFAULT_WITNESS_MAX_AGE_SECS,
    }
    .to_policy()
    .map(Some)
    .map_err(|e| match e {
        greenlight_venue::ConfigError::BadWitnessPolicy(detail) => {
            ClientError::BadWitnessPolicy(detail)
        }
        other => ClientError::BadWitnessPolicy(other.to_string()),
    })
}

#[cfg(test)]
mod verify_now_tests {
    use super::parse_now;

    #[test]
    fn now_takes_unix_seconds_and_rfc3339() {
        let t = 1_764_000_600; // 2025-11-24 16:10:00 UTC
        for s in [
            "1764000600",
            " 1764000600 ",
            "2025-11-24T16:10:00Z",
            "2025-11-24t16:10:00z",
            "2025-11-24 16:10:00Z",
            "2025-11-24T16:10:00.999Z",
            "2025-11-25T00:10:00+08:00",
            "2025-11-24T11:40:00-04:30",
        ] {
            assert_eq!(parse_now(s), Ok(t), "{s}");
        }
        assert_eq!(parse_now("0"), Ok(0));
        assert_eq!(parse_now("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_now("2000-03-01T00:00:00Z"), Ok(951_868_800));
        assert_eq!(parse_now("2024-02-29T23:59:59Z"), Ok(1_709_251_199));
        assert_eq!(parse_now("2100-01-01T01:01:00Z"), Ok(4_102_444_800 + 3_660));
    }

    #[test]
    fn now_refuses_what_is_not_a_time() {
        for s in [
            "",
            "now",
            "-1",
            "18446744073709551616",
            "2025-11-24",
            "2025-11-24T16:10Z",
            "2025-11-24T16:10:00",
            "2025-11-24T16:10:00+0800",
            "2025-11-24T16:10:00.Z",
            "2025-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-11-00T00:00:00Z",
            "2025-11-24T24:00:00Z",
            "2025-11-24T16:60:00Z",
            "2025-11-24T16:10:00+24:00",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00+00:01",
            "２025-11-24T16:10:00Z",
        ] {
            assert!(parse_now(s).is_err(), "{s:?}");
        }
    }
}
