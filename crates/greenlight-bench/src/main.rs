//! `greenlight-bench`: every headline figure of Greenlight in one run, on one thread.
//!
//! Progress and a human-readable table go to stderr; the last line on stdout is one JSON
//! object with the figures (microseconds unless the key says otherwise) and the ratios to
//! a plain 32-bit Bulletproofs range proof measured in the same run, which is what makes
//! the figures comparable across machines. Targets are reported, never asserted: a slow or
//! busy machine must not fail a build.

use std::process::ExitCode;

use clap::Parser;
use greenlight_bench::timing::{timed, Plan, Progress, Suite};
use greenlight_bench::{Baselines, BenchError, Fixture, ISSUE_BATCH};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::json;

#[derive(Parser, Debug)]
#[command(
    name = "greenlight-bench",
    about = "Measure Greenlight's issuance, presentation and verification costs against plain \
             Bulletproofs and Ed25519 baselines; prints one JSON object on stdout"
)]
struct Cli {
    /// Few iterations: a smoke test of every path (CI), not figures to quote.
    #[arg(long)]
    quick: bool,
    /// Print only the JSON object (no progress or table on stderr).
    #[arg(long)]
    json_only: bool,
}

/// Targets from the design (report only).
const TARGET_PRESENTATION_BYTES: usize = 1100;
const TARGET_VERIFY_OVER_RP32_VERIFY: f64 = 1.0;
const TARGET_PRESENT_OVER_RP32_PROVE: f64 = 0.6;
const TARGET_ISSUE_OVER_RP32_VERIFY: f64 = 0.5;

const SEED: u64 = 0x6772_6565_6e6c_6967; // "greenlig"

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Each operation gets its own deterministic RNG (they run interleaved).
fn rng(stream: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(SEED.wrapping_add(stream))
}

/// The operations, in the order they are reported: (key, label, tokens per call).
const OPS: [(&str, &str, usize); 14] = [
    ("issue", "issue, issuer side", ISSUE_BATCH),
    ("holder_issue", "issue, holder side", ISSUE_BATCH),
    ("present", "present", 1),
    ("verify", "verify (decode + verify)", 1),
    ("rp32_prove", "rangeproof32 prove", 1),
    ("rp32_verify", "rangeproof32 verify", 1),
    ("rp8_prove", "rangeproof8 prove", 1),
    ("rp8_verify", "rangeproof8 verify", 1),
    ("ed25519", "ed25519 verify", 1),
    ("decode", "  verify: decode", 1),
    ("signature", "  verify: ACL signature", 1),
    ("present_v1", "present, wire v1", 1),
    ("verify_v1", "verify, wire v1", 1),
    ("verify_previous", "verify, venue's previous list", 1),
];

fn run(cli: &Cli) -> Result<serde_json::Value, BenchError> {
    let quiet = cli.json_only;
    let plan = if cli.quick { Plan::QUICK } else { Plan::FULL };
    let say = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    say(&format!(
        "greenlight-bench ({} run, one thread): building fixtures…",
        if cli.quick { "quick" } else { "full" }
    ));
    let fx = Fixture::new(SEED)?;
    let base = Baselines::new(SEED ^ 0xb)?;
    let (fx, base) = (&fx, &base);

    let mut suite = Suite::new(plan);
    let (mut r1, mut r2, mut r3, mut r4) = (rng(1), rng(2), rng(3), rng(4));
    let (mut r5, mut r6, mut r7, mut r8) = (rng(5), rng(6), rng(7), rng(8));
    let (mut r9, mut r10, mut r11) = (rng(9), rng(10), rng(11));
    suite
        .add(OPS[0].1, move || timed(|| fx.issue_issuer_side(&mut r1)))
        .add(OPS[1].1, move || fx.issue_holder_side(&mut r2))
        .add(OPS[2].1, move || timed(|| fx.present(&mut r3)))
        .add(OPS[3].1, move || timed(|| fx.verify(&mut r4)))
        .add(OPS[4].1, move || {
            timed(|| base.range_prove(&base.rp32, &mut r5))
        })
        .add(OPS[5].1, move || {
            timed(|| base.range_verify(&base.rp32, &mut r6))
        })
        .add(OPS[6].1, move || {
            timed(|| base.range_prove(&base.rp8, &mut r7))
        })
        .add(OPS[7].1, move || {
            timed(|| base.range_verify(&base.rp8, &mut r8))
        })
        .add(OPS[8].1, move || timed(|| base.ed25519_verify()))
        .add(OPS[9].1, move || timed(|| fx.decode()))
        .add(OPS[10].1, move || timed(|| fx.verify_signature()))
        .add(OPS[11].1, move || timed(|| fx.present_v1(&mut r9)))
        .add(OPS[12].1, move || timed(|| fx.verify_v1(&mut r10)))
        .add(OPS[13].1, move || timed(|| fx.verify_previous(&mut r11)));
    let results = suite.run(|p| {
        if quiet {
            return;
        }
        match p {
            Progress::WarmUp { index, total, name } => {
                eprintln!("warming up [{:>2}/{total}] {name}", index + 1)
            }
            Progress::Round { round, rounds } => {
                if round == 1 || round == rounds || round % 5 == 0 {
                    eprintln!("round {round}/{rounds}");
                }
            }
        }
    })?;

    let mut fig = std::collections::HashMap::new();
    say("");
    say("operation                        median µs          IQR   batches × calls");
    for ((key, label, per), (_, m)) in OPS.iter().zip(&results) {
        let value = m.median_us / *per as f64;
        let unit = if *per > 1 { "/token" } else { "      " };
        say(&format!(
            "{label:<30} {value:>10.1}{unit} {:>6.1}%   {:>3} × {}",
            m.iqr_percent(),
            m.batches,
            m.calls_per_batch
        ));
        fig.insert(*key, (value, m));
    }
    let f = |k: &str| fig.get(k).map_or(f64::NAN, |(v, _)| *v);
    // Ratios: median of per-round ratios (see `Measurement::paired_ratio`).
    let ratio = |a: &str, b: &str, per: f64| match (fig.get(a), fig.get(b)) {
        (Some((_, ma)), Some((_, mb))) => ma.paired_ratio(mb) / per,
        _ => f64::NAN,
    };

    let bytes = fx.presentation_bytes.len();
    let text_chars = fx.presentation_text.chars().count();
    let verify_ratio = ratio("verify", "rp32_verify", 1.0);
    let present_ratio = ratio("present", "rp32_prove", 1.0);
    let issue_ratio = ratio("issue", "rp32_verify", ISSUE_BATCH as f64);
    let v2_over_v1_verify = ratio("verify", "verify_v1", 1.0);
    let v2_over_v1_present = ratio("present", "present_v1", 1.0);
    let previous_over_current = ratio("verify_previous", "verify", 1.0);

    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    say("");
    say(&format!(
        "presentation: {bytes} bytes, {text_chars} text characters (target ≤ {TARGET_PRESENTATION_BYTES} bytes: {})",
        mark(bytes <= TARGET_PRESENTATION_BYTES)
    ));
    say(&format!(
        "verify / rp32 verify          = {verify_ratio:.3} (target ≤ {TARGET_VERIFY_OVER_RP32_VERIFY}: {})",
        mark(verify_ratio <= TARGET_VERIFY_OVER_RP32_VERIFY)
    ));
    say(&format!(
        "present / rp32 prove          = {present_ratio:.3} (target ≤ {TARGET_PRESENT_OVER_RP32_PROVE}: {})",
        mark(present_ratio <= TARGET_PRESENT_OVER_RP32_PROVE)
    ));
    say(&format!(
        "issue per token / rp32 verify = {issue_ratio:.3} (target ≤ {TARGET_ISSUE_OVER_RP32_VERIFY}: {})",
        mark(issue_ratio <= TARGET_ISSUE_OVER_RP32_VERIFY)
    ));
    say(&format!(
        "verify split: decode {:.1} µs, ACL signature {:.1} µs, Σ + range proofs ≈ {:.1} µs \
         (cargo bench -p greenlight-bench splits further)",
        f("decode"),
        f("signature"),
        f("verify") - f("decode") - f("signature")
    ));
    say(&format!(
        "wire v2 / v1: verify {v2_over_v1_verify:.3}, present {v2_over_v1_present:.3}; \
         v2 under the venue's previous list / current list: {previous_over_current:.3}"
    ));
    if cli.quick {
        say("(quick run: the figures are rough)");
    }

    Ok(json!({
        "mode": if cli.quick { "quick" } else { "full" },
        "issue_us_per_token": round(f("issue"), 2),
        "holder_issue_us_per_token": round(f("holder_issue"), 2),
        "present_us": round(f("present"), 2),
        "verify_us": round(f("verify"), 2),
        "rangeproof32_prove_us": round(f("rp32_prove"), 2),
        "rangeproof32_verify_us": round(f("rp32_verify"), 2),
        "rangeproof8_prove_us": round(f("rp8_prove"), 2),
        "rangeproof8_verify_us": round(f("rp8_verify"), 2),
        "ed25519_verify_us": round(f("ed25519"), 2),
        "presentation_bytes": bytes,
        "presentation_text_chars": text_chars,
        "verify_over_rp32_verify": round(verify_ratio, 3),
        "present_over_rp32_prove": round(present_ratio, 3),
        "issue_over_rp32_verify": round(issue_ratio, 3),
        "present_v1_us": round(f("present_v1"), 2),
        "verify_v1_us": round(f("verify_v1"), 2),
        "verify_previous_list_us": round(f("verify_previous"), 2),
        "verify_over_verify_v1": round(v2_over_v1_verify, 3),
        "present_over_present_v1": round(v2_over_v1_present, 3),
        "verify_previous_list_over_verify": round(previous_over_current, 3),
    }))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(figures) => {
            println!("{figures}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("greenlight-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
