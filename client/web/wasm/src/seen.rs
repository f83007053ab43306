//! The page's replay list is `greenlight-venue`'s [`SeenSet`], stored in `localStorage` as
//! the JSON of the CLI's `seen.json`. The one thing added here: the page passes `""` when it
//! has stored nothing yet.

pub use greenlight_venue::{SeenError, SeenSet, MAX_SEEN_ENTRIES, SEEN_FORMAT_VERSION};

/// The stored list, or an empty one when nothing is stored (`""`). Anything else that does
/// not parse is an error, never silently an empty set (that would re-open every accepted
/// token to replay).
pub fn from_storage(json: &str) -> Result<SeenSet, SeenError> {
    if json.is_empty() {
        Ok(SeenSet::new())
    } else {
        SeenSet::from_json(json)
    }
}
