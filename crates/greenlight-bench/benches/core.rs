//! Criterion benches of Greenlight's operations and of their parts, so a profile can say
//! where verification and presentation time goes (`cargo bench -p greenlight-bench`).
//!
//! Groups:
//! * `issue`    — issuer side of a 16-token batch, holder side of a 16-token batch;
//! * `present`  — whole, then its steps (`greenlight_circuits`' type-states, the code the
//!   whole prover runs): checks, time commitment, Σ-proof, 8-bit range proof;
//! * `verify`   — whole (decode + verify), then decode and the verifier's steps: context,
//!   ACL signature, Σ-proof, range proof (and pieces of them);
//! * `baseline` — plain 32/8-bit Bulletproofs prove/verify, Ed25519 verify.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use greenlight_bench::{Baselines, Fixture, ISSUE_BATCH};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::ContextChecked;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const SEED: u64 = 0x6772_6565_6e6c_6967;

fn fixtures() -> (Fixture, Baselines, ChaCha20Rng) {
    let fx = Fixture::new(SEED).expect("fixture builds and verifies");
    let base = Baselines::new(SEED ^ 0xb).expect("baselines build and verify");
    (fx, base, ChaCha20Rng::seed_from_u64(SEED ^ 0x7))
}

fn issue(c: &mut Criterion) {
    let (fx, _, mut rng) = fixtures();
    let mut g = c.benchmark_group("issue");
    g.throughput(Throughput::Elements(ISSUE_BATCH as u64));
    g.bench_function("issuer_batch16", |b| {
        b.iter(|| black_box(fx.issue_issuer_side(&mut rng).expect("issues")))
    });
    g.bench_function("holder_batch16", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| fx.issue_holder_side(&mut rng).expect("issues"))
                .sum()
        })
    });
    g.finish();
}

fn present(c: &mut Criterion) {
    let (fx, _, mut rng) = fixtures();
    // Set-up of a step's input state runs outside the timing, on its own RNG (criterion's
    // set-up and routine closures cannot share one).
    let mut setup_rng = ChaCha20Rng::seed_from_u64(SEED ^ 0x5);
    let mut g = c.benchmark_group("present");
    g.bench_function("whole", |b| {
        b.iter(|| black_box(fx.present(&mut rng).expect("presents")))
    });
    g.bench_function("checks", |b| {
        b.iter(|| black_box(fx.prover().expect("presentable")))
    });
    g.bench_function("time_commitment", |b| {
        b.iter_batched(
            || fx.prover().expect("presentable"),
            |p| black_box(p.commit_time(&mut rng)),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("sigma_prove", |b| {
        b.iter_batched(
            || fx.commit_time(&mut setup_rng).expect("commits"),
            |tc| black_box(tc.prove_sigma(&mut rng).expect("proves")),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("range8_prove", |b| {
        b.iter_batched(
            || fx.prove_sigma(&mut setup_rng).expect("proves"),
            |sp| black_box(sp.prove_range(&mut rng).expect("proves")),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn verify(c: &mut Criterion) {
    let (fx, _, mut rng) = fixtures();
    let pk = fx.public();
    let pres = &fx.presentation;
    let mut g = c.benchmark_group("verify");
    g.bench_function("whole", |b| {
        b.iter(|| black_box(fx.verify(&mut rng).expect("verifies")))
    });
    g.bench_function("decode", |b| {
        b.iter(|| black_box(fx.decode().expect("decodes")))
    });
    g.bench_function("decode_text", |b| {
        b.iter(|| {
            black_box(
                greenlight_circuits::Presentation::from_text(&fx.presentation_text)
                    .expect("decodes"),
            )
        })
    });
    g.bench_function("context", |b| {
        b.iter(|| {
            black_box(
                ContextChecked::new(pres, &fx.expectations, &fx.keys).expect("context is fine"),
            )
        })
    });
    g.bench_function("acl_signature", |b| {
        b.iter(|| black_box(fx.verify_signature().expect("verifies")))
    });
    // The verifier's states hold public data only and are `Clone`: each iteration runs the
    // step on a copy of the same input state.
    let signature_ok = fx.verify_signature().expect("verifies");
    g.bench_function("proofs", |b| {
        b.iter(|| {
            signature_ok
                .clone()
                .verify_sigma()
                .expect("verifies")
                .verify_range(&mut rng)
                .expect("verifies")
        })
    });
    g.bench_function("sigma", |b| {
        b.iter(|| black_box(signature_ok.clone().verify_sigma().expect("verifies")))
    });
    let sigma_ok = fx.verify_sigma().expect("verifies");
    g.bench_function("range8", |b| {
        b.iter_batched(
            || sigma_ok.clone(),
            |s| s.verify_range(&mut rng).expect("verifies"),
            BatchSize::SmallInput,
        )
    });
    // Pieces of the steps that are not the proof equations themselves.
    g.bench_function("sigma_transcript_setup", |b| {
        b.iter(|| {
            black_box(
                green_recent::transcript(&pres.context, pk, &pres.signature, &pres.v_compressed)
                    .expect("ok"),
            )
        })
    });
    g.bench_function("sigma_relation_build", |b| {
        b.iter(|| {
            black_box(green_recent::relation(
                *pres.signature.zeta(),
                *pres.signature.zeta1(),
                *pk.z(),
                pres.v,
            ))
        })
    });
    g.bench_function("range8_shifted_commitment", |b| {
        b.iter(|| {
            black_box(green_recent::shifted_commitment(
                &pres.v,
                pres.context.t_min(),
            ))
        })
    });
    g.finish();
}

fn baseline(c: &mut Criterion) {
    let (_, base, mut rng) = fixtures();
    let mut g = c.benchmark_group("baseline");
    g.bench_function("rangeproof32_prove", |b| {
        b.iter(|| black_box(base.range_prove(&base.rp32, &mut rng).expect("proves")))
    });
    g.bench_function("rangeproof32_verify", |b| {
        b.iter(|| base.range_verify(&base.rp32, &mut rng).expect("verifies"))
    });
    g.bench_function("rangeproof8_prove", |b| {
        b.iter(|| black_box(base.range_prove(&base.rp8, &mut rng).expect("proves")))
    });
    g.bench_function("rangeproof8_verify", |b| {
        b.iter(|| base.range_verify(&base.rp8, &mut rng).expect("verifies"))
    });
    g.bench_function("ed25519_verify", |b| {
        b.iter(|| base.ed25519_verify().expect("verifies"))
    });
    g.finish();
}

fn config() -> Criterion {
    // A shared 2-core machine: modest samples, a few seconds per bench.
    Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = issue, present, verify, baseline
}
criterion_main!(benches);
