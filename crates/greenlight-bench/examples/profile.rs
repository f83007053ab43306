//! A driver for profilers: runs one operation `N` times and nothing else, so
//! `valgrind --tool=callgrind` or `perf record` sees only that operation (run it with
//! `N = 0` too and subtract the fixture set-up).
//!
//! ```text
//! cargo build --release -p greenlight-bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile verify 50
//! ```
//! Operations: issue, holder_issue, present, verify, decode, signature, sigma, range8,
//! time_commit, sigma_prove, range8_prove, rp32_verify, rp8_verify, rp32_prove, ed25519.
//!
//! The verifier's steps run on copies of one input state (`signature`: context checks +
//! ACL signature; `sigma`: the Σ step from the signature-verified state; `range8`: the
//! range step from the Σ-verified state). The prover's states hold secrets and are used
//! once, so each prover operation also runs the steps before it: `time_commit` is the
//! wallet's checks + the time commitment, `sigma_prove` adds the Σ-proof (subtract
//! `time_commit`), `range8_prove` adds the range proof (subtract `sigma_prove`).

use std::process::ExitCode;

use greenlight_bench::{Baselines, BenchError, Fixture};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn run(op: &str, n: usize) -> Result<(), BenchError> {
    let fx = Fixture::new(1)?;
    let base = Baselines::new(2)?;
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let signature_ok = fx.verify_signature()?;
    let sigma_ok = fx.verify_sigma()?;
    for _ in 0..n {
        match op {
            "issue" => drop(std::hint::black_box(fx.issue_issuer_side(&mut rng)?)),
            "holder_issue" => drop(std::hint::black_box(fx.issue_holder_side(&mut rng)?)),
            "present" => drop(std::hint::black_box(fx.present(&mut rng)?)),
            "verify" => drop(std::hint::black_box(fx.verify(&mut rng)?)),
            "decode" => drop(std::hint::black_box(fx.decode()?)),
            "signature" => drop(std::hint::black_box(fx.verify_signature()?)),
            "sigma" => drop(std::hint::black_box(signature_ok.clone().verify_sigma()?)),
            "range8" => drop(std::hint::black_box(
                sigma_ok.clone().verify_range(&mut rng)?,
            )),
            "time_commit" => drop(std::hint::black_box(fx.commit_time(&mut rng)?)),
            "sigma_prove" => drop(std::hint::black_box(fx.prove_sigma(&mut rng)?)),
            "range8_prove" => drop(std::hint::black_box(
                fx.prove_sigma(&mut rng)?.prove_range(&mut rng)?,
            )),
            "rp32_verify" => base.range_verify(&base.rp32, &mut rng)?,
            "rp8_verify" => base.range_verify(&base.rp8, &mut rng)?,
            "rp32_prove" => drop(std::hint::black_box(
                base.range_prove(&base.rp32, &mut rng)?,
            )),
            "ed25519" => base.ed25519_verify()?,
            _ => return Err(BenchError::Fixture("unknown operation")),
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(op), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: profile OPERATION N");
        return ExitCode::from(2);
    };
    match run(op, n) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("profile: {e}");
            ExitCode::FAILURE
        }
    }
}
