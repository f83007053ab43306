//! The browser's view of `greenlight-venue`: the page's JSON verdict, the `venue.json`
//! update check over JSON strings, and the venue set-up code. Every rule — loading `venue.json`, the accepted key set,
//! the seen-set, verification and its reason codes — is `greenlight-venue`'s, the same code
//! the CLI runs; this module only shapes what JavaScript reads.

use greenlight_api::{paths, KeysResponse};
use serde::Serialize;

pub use greenlight_venue::{
    ConfigError as VenueError, IssuerInfo, Outcome, Reason, SetupError, VenueConfig as Venue,
    VenueFile, VenueInfo, VenueSetup,
};

/// The `venue.json` to store when `new_json` replaces `old_json` on this device: both load on
/// their own, then [`greenlight_venue::VenueConfig::replaced_by`] (same root, append-only key
/// list; the list held so far kept as the previous one when the new file names none; a new
/// list cosigned by a quorum of the venue's witnesses at `now_unix`, when it names some).
pub fn check_update(old_json: &str, new_json: &str, now_unix: u64) -> Result<String, VenueError> {
    let old = Venue::from_json(old_json)?;
    let new = Venue::from_json(new_json)?;
    Ok(old.replaced_by(new, now_unix)?.to_json_pretty())
}

/// The answer for the door as the page reads it: accept, or reject with a stable code
/// ([`Reason::code`]) and an English reason (the page shows its own translation of the code).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    pub accept: bool,
    /// `"ok"` or a [`Reason::code`].
    pub reason_code: &'static str,
    pub reason: String,
    /// Hex of the token id (`ζ1`) when the presentation decoded. Random per token: it links
    /// two shows of the same token and nothing else.
    pub token_id: Option<String>,
    pub key_id: Option<String>,
    pub issuer_region: Option<String>,
    pub issuer_name: Option<String>,
    /// The venue's clock, in hours since the Unix epoch, used for this check.
    pub now_hours: u32,
    /// What the scanned text claims to be by its prefix (`"presentation"`, `"venue_code"`,
    /// `"ticket"`, `"key_list"`, `"venue_setup"`), or `None` for anything else — so the page can say "this is
    /// the venue's own code" instead of just "invalid".
    pub scanned_kind: Option<&'static str>,
}

impl From<&greenlight_venue::Verdict> for Verdict {
    fn from(v: &greenlight_venue::Verdict) -> Self {
        let (reason, issuer_region, issuer_name) = match &v.outcome {
            Outcome::Accept(a) => (
                "valid: green and recent".to_owned(),
                Some(a.region.clone()),
                Some(a.issuer_name.clone()),
            ),
            Outcome::Reject(r) => (r.to_string(), None, None),
        };
        Verdict {
            accept: v.is_accept(),
            reason_code: v.code(),
            reason,
            token_id: v.shown.map(|s| hex::encode(s.token_id)),
            key_id: v.shown.map(|s| hex::encode(s.key_id)),
            issuer_region,
            issuer_name,
            now_hours: v.now_hours,
            scanned_kind: v.scanned_kind.map(greenlight_protocol::Kind::code),
        }
    }
}

/// What the page shows about a scanned set-up code before fetching anything, and where it
/// fetches the key list from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SetupInfo {
    pub venue_name: String,
    pub venue_id: String,
    pub window_hours: u8,
    /// The server's base URL (canonical, ends in `/`).
    pub server: String,
    /// `scheme://host[:port]`: the page can fetch only from its own origin.
    pub server_origin: String,
    /// `GET` this for the key list: the URL `greenlight venue init` fetches.
    pub keys_url: String,
    /// Where the server serves this page.
    pub page_url: String,
    pub root_fingerprint: String,
    pub min_key_list_sequence: u64,
    pub clock_tolerance_hours: u32,
}

/// Decode a set-up code (`GLS1:…`).
pub fn setup_info(text: &str) -> Result<SetupInfo, SetupError> {
    let s = VenueSetup::from_text(text)?;
    Ok(SetupInfo {
        venue_name: s.code().name().to_owned(),
        venue_id: hex::encode(s.code().venue_id()),
        window_hours: s.code().window_hours(),
        server: s.server().to_owned(),
        server_origin: s.server_origin().to_owned(),
        keys_url: format!("{}{}", s.server(), paths::KEYS.trim_start_matches('/')),
        page_url: s.page_url(),
        root_fingerprint: s.root_fingerprint_hex(),
        min_key_list_sequence: s.min_key_list_sequence(),
        clock_tolerance_hours: s.clock_tolerance_hours(),
    })
}

/// Why a set-up code and its server's answer did not make a venue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupFailure {
    #[error("not a usable set-up code: {0}")]
    Code(#[from] SetupError),
    #[error("the server's answer is not a key list: {0}")]
    BadKeysResponse(String),
    #[error(transparent)]
    Venue(#[from] VenueError),
}

impl SetupFailure {
    /// Stable code: [`SetupError::code`], `bad_keys_response`, or [`VenueError::code`].
    pub fn code(&self) -> &'static str {
        match self {
            SetupFailure::Code(e) => e.code(),
            SetupFailure::BadKeysResponse(_) => "bad_keys_response",
            SetupFailure::Venue(e) => e.code(),
        }
    }
}

/// The `venue.json` a set-up code and its server's `GET /v1/keys` body describe
/// ([`Venue::from_setup`]: pinned root fingerprint, verified list, not older than the venue's),
/// as the CLI writes it. The page then imports it like any chosen `venue.json` (same update
/// rules), so a set-up code can neither roll back nor silently re-root a device.
pub fn venue_json_from_setup(setup_text: &str, keys_json: &str) -> Result<String, SetupFailure> {
    let setup = VenueSetup::from_text(setup_text)?;
    if keys_json.len() > greenlight_venue::MAX_VENUE_JSON_LEN {
        return Err(SetupFailure::BadKeysResponse("too large".into()));
    }
    let keys: KeysResponse = serde_json::from_str(keys_json)
        .map_err(|e| SetupFailure::BadKeysResponse(e.to_string()))?;
    let venue = Venue::from_setup(
        &setup,
        &keys.root_public_key,
        &keys.key_list,
        keys.previous_key_list.as_deref(),
    )?
    // The server's cosignatures ride along, unchecked: a device whose venue names witnesses
    // checks them when this file replaces its own (`check_update`, spec §7.6).
    .with_witnesses(
        None,
        greenlight_venue::parse_cosignatures(&keys.cosignatures),
    );
    Ok(venue.to_json_pretty())
}
