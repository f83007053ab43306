//! Median-of-batches timing for the figures binary.
//!
//! Why not criterion here: the binary must give every figure *in one run*, quickly and with
//! one JSON object at the end. The method: each operation is warmed up (caches, branch
//! predictors, lazily built tables, CPU frequency) while its cost per call is estimated, so
//! a batch of calls lasts about `batch_time`. Then the batches run in **rounds**: each round
//! runs one batch of every operation, in turn. A figure is the **median** over rounds of
//! the mean time per call in a batch. Interleaving matters on a shared machine: when
//! another process takes a core for a few seconds, every operation sees it in the same
//! rounds, the median discards those rounds, and ratios between operations stay stable.

use std::time::{Duration, Instant};

use crate::BenchError;

/// How long to measure.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub warm_up: Duration,
    pub batch_time: Duration,
    pub rounds: usize,
}

impl Plan {
    /// Full run: 0.2 s warm-up, then 81 rounds of ~15 ms batches per operation (short
    /// batches, many rounds: operations compared with each other run close in time).
    pub const FULL: Plan = Plan {
        warm_up: Duration::from_millis(200),
        batch_time: Duration::from_millis(15),
        rounds: 81,
    };
    /// `--quick`: enough to smoke-test every path in CI, not to quote figures.
    pub const QUICK: Plan = Plan {
        warm_up: Duration::from_millis(5),
        batch_time: Duration::from_millis(3),
        rounds: 3,
    };
}

/// One operation's figure.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// Median over batches of the mean time per call, in microseconds.
    pub median_us: f64,
    /// First and third quartile of the batch means, in microseconds per call.
    pub q1_us: f64,
    pub q3_us: f64,
    pub calls_per_batch: usize,
    pub batches: usize,
    /// Mean time per call of each batch, in round order (µs).
    pub per_round_us: Vec<f64>,
}

impl Measurement {
    /// `self / other` as the median over rounds of the per-round ratio. Both operations
    /// ran in the same rounds, close in time, so a round slowed down by another process
    /// slows both and the ratio survives it better than a ratio of medians.
    pub fn paired_ratio(&self, other: &Measurement) -> f64 {
        let mut r: Vec<f64> = self
            .per_round_us
            .iter()
            .zip(&other.per_round_us)
            .filter(|(_, b)| **b > 0.0)
            .map(|(a, b)| a / b)
            .collect();
        r.sort_by(f64::total_cmp);
        median_of_sorted(&r)
    }

    /// Interquartile range relative to the median, as a percentage (the noise).
    pub fn iqr_percent(&self) -> f64 {
        if self.median_us > 0.0 {
            100.0 * (self.q3_us - self.q1_us) / self.median_us
        } else {
            0.0
        }
    }

    fn from_samples(per_round_us: Vec<f64>, calls_per_batch: usize) -> Self {
        let mut per_batch = per_round_us.clone();
        per_batch.sort_by(f64::total_cmp);
        let n = per_batch.len();
        Measurement {
            median_us: median_of_sorted(&per_batch),
            q1_us: median_of_sorted(&per_batch[..n.div_ceil(2)]),
            q3_us: median_of_sorted(&per_batch[n / 2..]),
            calls_per_batch,
            batches: n,
            per_round_us,
        }
    }
}

/// An operation: runs once and returns how long the part that counts took (so it can
/// leave its set-up out of the figure), or an error.
pub type Operation<'a> = Box<dyn FnMut() -> Result<Duration, BenchError> + 'a>;

struct Entry<'a> {
    name: String,
    op: Operation<'a>,
    calls_per_batch: usize,
    samples: Vec<f64>,
}

/// What [`Suite::run`] reports as it goes.
#[derive(Clone, Copy, Debug)]
pub enum Progress<'n> {
    /// Warming up operation `index` (0-based) of `total`.
    WarmUp {
        index: usize,
        total: usize,
        name: &'n str,
    },
    /// Round `round` (1-based) of `rounds` is done.
    Round { round: usize, rounds: usize },
}

/// A set of operations measured together, in interleaved rounds.
pub struct Suite<'a> {
    plan: Plan,
    entries: Vec<Entry<'a>>,
}

impl<'a> Suite<'a> {
    pub fn new(plan: Plan) -> Self {
        Suite {
            plan,
            entries: Vec::new(),
        }
    }

    /// Add an operation; figures come back in the order of addition.
    pub fn add<F>(&mut self, name: &str, op: F) -> &mut Self
    where
        F: FnMut() -> Result<Duration, BenchError> + 'a,
    {
        self.entries.push(Entry {
            name: name.to_string(),
            op: Box::new(op),
            calls_per_batch: 1,
            samples: Vec::new(),
        });
        self
    }

    /// Warm up and calibrate every operation, then run the rounds.
    pub fn run<P>(mut self, mut progress: P) -> Result<Vec<(String, Measurement)>, BenchError>
    where
        P: FnMut(Progress<'_>),
    {
        let plan = self.plan;
        let total = self.entries.len();
        for (index, e) in self.entries.iter_mut().enumerate() {
            progress(Progress::WarmUp {
                index,
                total,
                name: &e.name,
            });
            e.calls_per_batch = calibrate(&plan, &mut e.op)?;
        }
        let rounds = plan.rounds.max(1);
        for round in 1..=rounds {
            for e in &mut self.entries {
                let mut sum = Duration::ZERO;
                for _ in 0..e.calls_per_batch {
                    sum += (e.op)()?;
                }
                e.samples
                    .push(sum.as_secs_f64() * 1e6 / e.calls_per_batch as f64);
            }
            progress(Progress::Round { round, rounds });
        }
        Ok(self
            .entries
            .into_iter()
            .map(|e| {
                let m = Measurement::from_samples(e.samples, e.calls_per_batch);
                (e.name, m)
            })
            .collect())
    }
}

/// Warm `op` up for `plan.warm_up` and return how many calls fill `plan.batch_time`.
fn calibrate(plan: &Plan, op: &mut Operation<'_>) -> Result<usize, BenchError> {
    let start = Instant::now();
    let mut calls = 0u32;
    let mut measured = Duration::ZERO;
    while calls == 0 || start.elapsed() < plan.warm_up {
        measured += op()?;
        calls += 1;
    }
    let per_call = (measured / calls).as_nanos().max(1);
    Ok((plan.batch_time.as_nanos() / per_call).clamp(1, 1_000_000) as usize)
}

/// Run `f` once and time it, keeping its result alive so it is not optimised away.
pub fn timed<T, F>(f: F) -> Result<Duration, BenchError>
where
    F: FnOnce() -> Result<T, BenchError>,
{
    let start = Instant::now();
    let out = f()?;
    let elapsed = start.elapsed();
    std::hint::black_box(out);
    Ok(elapsed)
}

/// Median of a sorted, non-empty slice (mean of the middle two for even lengths).
pub fn median_of_sorted(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median_of_sorted(&[1.0, 2.0, 9.0]), 2.0);
        assert_eq!(median_of_sorted(&[1.0, 2.0, 4.0, 9.0]), 3.0);
        assert!(median_of_sorted(&[]).is_nan());
    }

    #[test]
    fn suite_reports_the_time_each_operation_returns() {
        // The operations claim 50 µs and 200 µs per call without taking that long: the
        // suite must use the returned durations, not wall time, and keep them apart.
        let plan = Plan {
            warm_up: Duration::from_micros(1),
            batch_time: Duration::from_micros(500),
            rounds: 5,
        };
        let mut calls = 0usize;
        let mut suite = Suite::new(plan);
        suite
            .add("a", || Ok(Duration::from_micros(50)))
            .add("b", || {
                calls += 1;
                Ok(Duration::from_micros(200))
            });
        let mut rounds_seen = 0;
        let out = suite
            .run(|p| {
                if let Progress::Round { .. } = p {
                    rounds_seen += 1
                }
            })
            .unwrap();
        assert_eq!(rounds_seen, 5);
        assert_eq!(out[0].0, "a");
        assert_eq!(out[0].1.calls_per_batch, 10);
        assert!((out[0].1.median_us - 50.0).abs() < 1e-9);
        assert_eq!(out[1].1.calls_per_batch, 2);
        assert!((out[1].1.median_us - 200.0).abs() < 1e-9);
        assert_eq!(out[1].1.iqr_percent(), 0.0);
        assert_eq!(out[1].1.batches, 5);
        // Calibration made at least one call, then 5 rounds × 2 calls.
        assert!(calls >= 11);
    }

    #[test]
    fn quartiles_follow_the_samples() {
        let m = Measurement::from_samples(vec![5.0, 1.0, 3.0, 2.0, 4.0], 1);
        assert_eq!(m.median_us, 3.0);
        assert_eq!(m.q1_us, 2.0);
        assert_eq!(m.q3_us, 4.0);
        assert!((m.iqr_percent() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            m.per_round_us,
            vec![5.0, 1.0, 3.0, 2.0, 4.0],
            "round order kept"
        );
    }

    #[test]
    fn paired_ratio_is_the_median_of_per_round_ratios() {
        // Round 3 was disturbed for both: the ratio of medians would be 12/5 = 2.4, the
        // paired ratio ignores the disturbance and gives 2.
        let a = Measurement::from_samples(vec![10.0, 12.0, 100.0, 11.0, 14.0], 1);
        let b = Measurement::from_samples(vec![5.0, 6.0, 50.0, 5.5, 7.0], 1);
        assert!((a.paired_ratio(&b) - 2.0).abs() < 1e-12);
        let zero = Measurement::from_samples(vec![0.0; 5], 1);
        assert!(a.paired_ratio(&zero).is_nan());
    }

    #[test]
    fn suite_propagates_errors() {
        let mut suite = Suite::new(Plan::QUICK);
        suite.add("fails", || Err(BenchError::Fixture("boom")));
        let r = suite.run(|_| {});
        assert!(matches!(r, Err(BenchError::Fixture("boom"))));
    }
}
