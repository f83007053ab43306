//! Greenlight's venue verifier for the browser.
//!
//! The verification is the CLI's: `greenlight-venue` (venue.json rules, the accepted key set,
//! the seen-set, `verify` with stable reason codes) over `greenlight-circuits` and
//! `greenlight-protocol`. [`venue`] and [`seen`] only shape it for JavaScript (tested
//! natively, timed natively by the `fixtures` binary); on wasm32 the `bindings` module
//! exports it with JSON strings in and out. Nothing here does I/O: the page passes in the
//! clock and the stored replay list and stores what comes back, and nothing is sent anywhere.

pub mod inspect;
pub mod seen;
pub mod venue;

pub use seen::{SeenError, SeenSet};
pub use venue::{
    setup_info, venue_json_from_setup, SetupFailure, SetupInfo, Venue, VenueError, VenueFile,
    VenueInfo, Verdict,
};

/// Verify and produce the JSON the page reads: the verdict plus the updated replay list
/// (`"seen"`, pruned), which the page stores back. `seen_json` is `""` when nothing is stored.
pub fn verify_to_json<R: rand_core::RngCore + rand_core::CryptoRng>(
    venue: &Venue,
    text: &str,
    now_unix_secs: u64,
    seen_json: &str,
    rng: &mut R,
) -> Result<String, SeenError> {
    let mut seen = seen::from_storage(seen_json)?;
    let verdict = venue.verify(text, now_unix_secs, &mut seen, rng);
    let mut value =
        serde_json::to_value(Verdict::from(&verdict)).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("seen".to_owned(), seen.to_json_value());
        map.insert("seen_count".to_owned(), seen.len().into());
    }
    Ok(value.to_string())
}

/// Seconds from JavaScript's clock (`Date.now() / 1000`, a float) to whole Unix seconds;
/// NaN, negative or absurd values become 0, which no presentation can match.
pub fn unix_secs_from_f64(secs: f64) -> u64 {
    if (0.0..1.0e15).contains(&secs) {
        secs as u64
    } else {
        0
    }
}

#[cfg(target_arch = "wasm32")]
pub mod bindings;
