//! The browser's view of `greenlight-venue`: the page's JSON verdict and the `venue.json`
//! update check over JSON strings. Every rule — loading `venue.json`, the accepted key set,
//! the seen-set, verification and its reason codes — is `greenlight-venue`'s, the same code
//! the CLI runs; this module only shapes what JavaScript reads.

use serde::Serialize;

pub use greenlight_venue::{
    ConfigError as VenueError, IssuerInfo, Outcome, Reason, VenueConfig as Venue, VenueFile,
    VenueInfo,
};

/// Whether `new_json` may replace `old_json` on this device: both load on their own, then
/// [`greenlight_venue::VenueConfig::check_update`] (same root, append-only key list).
pub fn check_update(old_json: &str, new_json: &str) -> Result<(), VenueError> {
    let old = Venue::from_json(old_json)?;
    let new = Venue::from_json(new_json)?;
    old.check_update(&new)
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
    /// `"ticket"`, `"key_list"`), or `None` for anything else — so the page can say "this is
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
