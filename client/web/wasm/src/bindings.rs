//! The JavaScript surface (wasm-bindgen). Errors are thrown as `Error`s whose message is
//! `"<code>: <English text>"`; the page translates by the code.

use rand_core::OsRng;
use wasm_bindgen::prelude::*;

use crate::{unix_secs_from_f64, verify_to_json, Venue};

fn js_error(code: &str, message: impl core::fmt::Display) -> JsError {
    JsError::new(&format!("{code}: {message}"))
}

/// A loaded, checked `venue.json`.
#[wasm_bindgen]
pub struct VenueHandle {
    inner: Venue,
}

#[wasm_bindgen]
impl VenueHandle {
    /// JSON: venue name and id, window, root fingerprint, key-list sequence, issuers, keys
    /// accepted at `now_unix_secs`.
    pub fn info(&self, now_unix_secs: f64) -> String {
        serde_json::to_string(&self.inner.info(unix_secs_from_f64(now_unix_secs)))
            .unwrap_or_default()
    }
}

/// Parse `venue.json`, verify its key list under its pinned root, and keep the keys.
#[wasm_bindgen]
pub fn load_venue(venue_json: &str) -> Result<VenueHandle, JsError> {
    Venue::from_json(venue_json)
        .map(|inner| VenueHandle { inner })
        .map_err(|e| js_error(e.code(), &e))
}

/// Throws unless `new_json` may replace `old_json` at `now_unix` (same root, append-only key
/// list, witnessed when the venue names witnesses: `not_witnessed`); returns the `venue.json`
/// to store (the new one, keeping the list held so far as its previous one).
#[wasm_bindgen]
pub fn check_venue_update(
    old_json: &str,
    new_json: &str,
    now_unix: f64,
) -> Result<String, JsError> {
    crate::venue::check_update(old_json, new_json, unix_secs_from_f64(now_unix))
        .map_err(|e| js_error(e.code(), &e))
}

/// Decode a venue set-up code (`GLS1:…`). Returns JSON `{venue_name, venue_id, window_hours,
/// server, server_origin, keys_url, page_url, root_fingerprint, min_key_list_sequence,
/// clock_tolerance_hours}`; throws `bad_setup_code`.
#[wasm_bindgen]
pub fn decode_setup(text: &str) -> Result<String, JsError> {
    let info = crate::setup_info(text).map_err(|e| js_error(e.code(), &e))?;
    serde_json::to_string(&info).map_err(|e| js_error("internal_error", e))
}

/// The `venue.json` that a set-up code and the body of its server's `GET /v1/keys` describe
/// (root fingerprint pinned by the code, list verified under it, not older than the venue's).
/// Throws `bad_setup_code`, `bad_keys_response`, `setup_root_mismatch`,
/// `setup_older_key_list` or a `venue.json` code. Import the result like a chosen file.
#[wasm_bindgen]
pub fn venue_json_from_setup(setup_text: &str, keys_json: &str) -> Result<String, JsError> {
    crate::venue_json_from_setup(setup_text, keys_json).map_err(|e| js_error(e.code(), &e))
}

/// Verify a presentation's text at `now_unix_secs` against the replay list `seen_json`
/// (`""` for none). Returns the verdict JSON `{accept, reason_code, reason, token_id,
/// key_id, issuer_region, issuer_name, now_hours, scanned_kind, seen, seen_count}`; the
/// caller stores `seen` back. Throws only if `seen_json` is damaged.
#[wasm_bindgen]
pub fn verify(
    handle: &VenueHandle,
    presentation_text: &str,
    now_unix_secs: f64,
    seen_json: &str,
) -> Result<String, JsError> {
    verify_to_json(
        &handle.inner,
        presentation_text,
        unix_secs_from_f64(now_unix_secs),
        seen_json,
        &mut OsRng,
    )
    .map_err(|e| js_error(e.code(), &e))
}

/// JSON description of any Greenlight text (unverified).
#[wasm_bindgen]
pub fn inspect(text: &str) -> String {
    crate::inspect::inspect(text).to_string()
}

/// This crate's version, shown in the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
