//! A driver for profilers: runs one operation `N` times and nothing else, so
//! `valgrind --tool=callgrind` or `perf record` sees only that operation (run it with
//! `N = 0` too and subtract the fixture set-up).
//!
//! ```text
//! cargo build --release -p greenlight-bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile verify 50
//! ```
//! Operations: issue, holder_issue, present, verify, decode, signature, sigma, range8,
//! sigma_prove, range8_prove, rp32_verify, rp8_verify, rp32_prove, ed25519.

use std::process::ExitCode;

use greenlight_bench::{split, Baselines, BenchError, Fixture};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn run(op: &str, n: usize) -> Result<(), BenchError> {
    let fx = Fixture::new(1)?;
    let base = Baselines::new(2)?;
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let pres = &fx.presentation;
    let pk = fx.public();
    let tc = split::commit_time(&fx.token, &mut rng);
    let (_, t_prove) = split::prove_sigma(&fx.token, pk, &fx.context, &tc, &mut rng)?;
    let t_verify = split::verify_sigma(pres, pk)?;
    for _ in 0..n {
        match op {
            "issue" => drop(std::hint::black_box(fx.issue_issuer_side(&mut rng)?)),
            "holder_issue" => drop(std::hint::black_box(fx.issue_holder_side(&mut rng)?)),
            "present" => drop(std::hint::black_box(fx.present(&mut rng)?)),
            "verify" => drop(std::hint::black_box(fx.verify(&mut rng)?)),
            "decode" => drop(std::hint::black_box(fx.decode()?)),
            "signature" => fx.verify_signature()?,
            "sigma" => drop(std::hint::black_box(split::verify_sigma(pres, pk)?)),
            "range8" => split::verify_range(pres, t_verify.clone(), &mut rng)?,
            "sigma_prove" => drop(std::hint::black_box(split::prove_sigma(
                &fx.token,
                pk,
                &fx.context,
                &tc,
                &mut rng,
            )?)),
            "range8_prove" => drop(std::hint::black_box(split::prove_range(
                &fx.token,
                &fx.context,
                &tc,
                t_prove.clone(),
                &mut rng,
            )?)),
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
