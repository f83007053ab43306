//! The venue's replay list: token ids already accepted, with the venue hour each was first
//! seen. The page keeps it in localStorage as the JSON of the CLI's `seen.json`:
//! `{"version": 1, "seen": {"<hex token id>": <hour>, …}}`.

use std::collections::BTreeMap;

use greenlight_acl::TokenId;
use serde::Deserialize;

/// The stored form's version.
pub const SEEN_FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeenFile {
    version: u32,
    seen: BTreeMap<String, u32>,
}

/// More ids than a busy venue sees in a week; a bound keeps a damaged or hostile storage
/// entry from costing unbounded memory.
pub const MAX_SEEN: usize = 1_000_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SeenError {
    #[error("the stored replay list is damaged: {0}")]
    Damaged(String),
    #[error("the stored replay list is too large")]
    TooLarge,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeenSet {
    entries: BTreeMap<TokenId, u32>,
}

impl SeenSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parse the stored JSON. An empty string is an empty set (first use); anything else that
    /// is not version 1 with a map of 64-hex-digit ids to hours is an error, never silently
    /// an empty set, which would re-open every accepted token to replay.
    pub fn from_json(json: &str) -> Result<Self, SeenError> {
        if json.trim().is_empty() {
            return Ok(Self::new());
        }
        let file: SeenFile =
            serde_json::from_str(json).map_err(|e| SeenError::Damaged(e.to_string()))?;
        if file.version != SEEN_FORMAT_VERSION {
            return Err(SeenError::Damaged(format!("version {}", file.version)));
        }
        let raw = file.seen;
        if raw.len() > MAX_SEEN {
            return Err(SeenError::TooLarge);
        }
        let mut entries = BTreeMap::new();
        for (id, hour) in raw {
            let bytes: TokenId = hex::decode(&id)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| SeenError::Damaged(format!("bad token id {id:?}")))?;
            entries.insert(bytes, hour);
        }
        Ok(SeenSet { entries })
    }

    pub fn to_json_value(&self) -> serde_json::Value {
        let seen: serde_json::Map<String, serde_json::Value> = self
            .entries
            .iter()
            .map(|(id, hour)| (hex::encode(id), serde_json::Value::from(*hour)))
            .collect();
        serde_json::json!({"version": SEEN_FORMAT_VERSION, "seen": seen})
    }

    pub fn to_json(&self) -> String {
        self.to_json_value().to_string()
    }

    /// Insert `id` first seen at `hour`; false (and no change) if it is already there.
    pub fn insert(&mut self, id: TokenId, hour: u32) -> bool {
        if self.entries.contains_key(&id) {
            return false;
        }
        self.entries.insert(id, hour);
        true
    }

    pub fn contains(&self, id: &TokenId) -> bool {
        self.entries.contains_key(id)
    }

    /// Drop ids first seen more than `horizon_hours` before `now_hours`: they can no longer
    /// pass the recency proof (see `Venue::seen_horizon_hours`). Entries dated after `now`
    /// (the device clock went back) are kept.
    pub fn prune(&mut self, now_hours: u32, horizon_hours: u32) {
        let oldest = now_hours.saturating_sub(horizon_hours);
        self.entries.retain(|_, hour| *hour >= oldest);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_prune() {
        let mut s = SeenSet::new();
        assert!(s.insert([1; 32], 100));
        assert!(s.insert([2; 32], 150));
        assert!(s.insert([3; 32], 200));
        assert!(!s.insert([1; 32], 201), "second insert of an id must fail");
        let back = SeenSet::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        let mut pruned = back.clone();
        pruned.prune(175, 25);
        assert!(!pruned.contains(&[1; 32]));
        assert!(pruned.contains(&[2; 32]), "exactly at the horizon stays");
        assert!(pruned.contains(&[3; 32]), "future entries stay");
        assert_eq!(pruned.len(), 2);
    }

    #[test]
    fn damaged_storage_is_an_error_not_an_empty_set() {
        assert_eq!(SeenSet::from_json("").unwrap().len(), 0);
        let empty = r#"{"version": 1, "seen": {}}"#;
        assert_eq!(SeenSet::from_json(empty).unwrap().len(), 0);
        let ok = format!(r#"{{"version": 1, "seen": {{"{}": 7}}}}"#, "ab".repeat(32));
        assert!(SeenSet::from_json(&ok).unwrap().contains(&[0xab; 32]));
        let wrap = |seen: &str| format!(r#"{{"version": 1, "seen": {seen}}}"#);
        for bad in [
            "[".to_owned(),
            "[]".to_owned(),
            "{}".to_owned(),
            "null".to_owned(),
            r#"{"version": 2, "seen": {}}"#.to_owned(),
            wrap(r#"{"zz": 1}"#),
            wrap(r#"{"00": 1}"#),
            wrap(&format!(r#"{{"{}": -1}}"#, "ab".repeat(32))),
            wrap("[]"),
        ] {
            assert!(
                matches!(SeenSet::from_json(&bad), Err(SeenError::Damaged(_))),
                "{bad}"
            );
        }
    }
}
