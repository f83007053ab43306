//! The native side of the wallet's figures (`tests/browser/wallet.test.mjs`; the test data —
//! a venue for the running server, camera videos, decoding screenshots — comes from the venue
//! page's `fixtures` tool):
//!
//! `bench DOC_FILE VENUE_TEXT_FILE [--batches N]` times presenting natively — the same
//! withdraw-then-prove the page runs in wasm, on the same wallet document — and prints JSON.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(e) = native::run(std::env::args().skip(1).collect()) {
        eprintln!("wallet-fixtures: {e}");
        std::process::exit(2);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::error::Error;
    use std::fs;
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    use greenlight_wallet_web::{present, Lang, WebWallet};
    use rand_core::OsRng;
    use serde_json::json;

    type Result<T> = std::result::Result<T, Box<dyn Error>>;

    fn opt<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    }

    pub fn run(args: Vec<String>) -> Result<()> {
        let arg = |i: usize, what: &str| -> Result<PathBuf> {
            Ok(PathBuf::from(args.get(i).ok_or(what.to_owned())?))
        };
        match args.first().map(String::as_str) {
            Some("bench") => bench(
                &arg(1, "bench needs DOC_FILE")?,
                &arg(2, "bench needs VENUE_TEXT_FILE")?,
                opt(&args, "--batches").unwrap_or("5").parse()?,
            ),
            _ => Err("usage: wallet-fixtures bench DOC_FILE VENUE_TEXT_FILE [--batches N]".into()),
        }
    }

    /// Per present: withdraw (the document re-encoded without the token) and prove, on a fresh
    /// copy of the document each time, so every run does the same work. Median and minimum
    /// over `batches` single presents.
    fn bench(doc: &Path, venue: &Path, batches: usize) -> Result<()> {
        let bytes = fs::read(doc)?;
        let venue = fs::read_to_string(venue)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let profile = WebWallet::open(&bytes)
            .map_err(|e| e.text(Lang::En))?
            .status(now, Lang::En)
            .map_err(|e| e.text(Lang::En))?
            .profiles
            .into_iter()
            .find(|p| p.total > 0)
            .ok_or("no profile with tokens")?
            .name;
        let mut times = Vec::new();
        for _ in 0..batches.max(1) {
            let mut wallet = WebWallet::open(&bytes).map_err(|e| e.text(Lang::En))?;
            let t0 = Instant::now();
            let (pending, code) = wallet
                .withdraw(&profile, &venue, now)
                .map_err(|e| e.text(Lang::En))?;
            let trust = wallet.doc().map_err(|e| e.text(Lang::En))?.trust().clone();
            present::prove_and_show(pending, &code, Some(&trust), Lang::En, &mut OsRng)
                .map_err(|e| e.text(Lang::En))?;
            times.push(t0.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{}",
            json!({ "native_present_ms": { "median": times[times.len() / 2], "min": times[0], "runs": times.len() } })
        );
        Ok(())
    }
}
