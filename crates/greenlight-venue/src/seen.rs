//! The seen-set: token ids (`ζ1`) accepted recently, with the venue hour each was first
//! accepted, so a token is accepted at most once. Stored as `seen.json` by the CLI and in
//! `localStorage` by the browser page, in one format (docs/api.md, "Client state"):
//! `{"version": 1, "seen": {"<hex of ζ1>": <venue hour when first accepted>, …}}`.

use greenlight_wire::MAX_ISSUANCE_SKEW_HOURS;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use greenlight_acl::TokenId;
use serde::{Deserialize, Serialize};

use crate::error::SeenError;

/// The stored form's version.
pub const SEEN_FORMAT_VERSION: u32 = 1;

/// The one cap on the seen-set: more ids than a busy venue accepts in its longest retention
/// (168 h window + 2 × 24 h tolerance = 9 days). A bound keeps a damaged or hostile stored
/// set from costing unbounded memory; a full set refuses new visitors rather than forget
/// accepted ones.
pub const MAX_SEEN_ENTRIES: usize = 1_000_000;

/// The byte bound a reader applies before parsing, derived from [`MAX_SEEN_ENTRIES`]: one
/// entry is at most 78 bytes as [`SeenSet::to_json`] writes it (`"<64 hex>":4294967295,`),
/// 96 leaves room for indentation.
pub const MAX_SEEN_JSON_LEN: usize = MAX_SEEN_ENTRIES * 96 + 1024;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeenFile {
    version: u32,
    seen: BTreeMap<String, u32>,
}

/// Token ids accepted recently, with the venue hour each was first accepted.
///
/// **Retention** ([`SeenSet::retention_hours`], spec §5.5 step 10): a token shown at venue
/// hour `now` passes the recency proof only while `ts ≥ slot − W ≥ now − τ − W`, i.e. until
/// `now ≤ ts + W + τ`. Its `ts` is bounded at its first show, at venue hour `h`, by
/// `ts ≤ h + max(τ, S)`: a wallet that follows the rules shows no token dated after its slot
/// (`ts ≤ slot ≤ h + τ`), and whatever the wallet does, `ts` is the hour the issuer certified,
/// which honest wallets accept at most `S` = [`MAX_ISSUANCE_SKEW_HOURS`] hours ahead of their
/// clock. So the token can pass again until `h + W + τ + max(τ, S)`, and keeping each id that
/// long is enough; after that no show of it can pass. Both clocks are whole hours
/// (`⌊unix / 3600⌋`), so no rounding margin is needed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeenSet {
    entries: BTreeMap<TokenId, u32>,
}

impl SeenSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Hours an id must be kept for a window `W` and clock tolerance `τ`:
    /// `W + τ + max(τ, S)` with `S` = [`MAX_ISSUANCE_SKEW_HOURS`] (see the type's docs).
    pub fn retention_hours(window_hours: u8, tolerance_hours: u32) -> u32 {
        u32::from(window_hours)
            .saturating_add(tolerance_hours)
            .saturating_add(tolerance_hours.max(MAX_ISSUANCE_SKEW_HOURS))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn contains(&self, id: &TokenId) -> bool {
        self.entries.contains_key(id)
    }
    /// The venue hour `id` was first accepted, if held.
    pub fn first_seen(&self, id: &TokenId) -> Option<u32> {
        self.entries.get(id).copied()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&TokenId, u32)> + '_ {
        self.entries.iter().map(|(id, hour)| (id, *hour))
    }

    /// Record `id` as first accepted at `now_hour`: `Ok(true)` if it is new, `Ok(false)` (and
    /// no change) if it is already there — a replay — and [`SeenError::Full`] if the set
    /// already holds [`MAX_SEEN_ENTRIES`] ids.
    pub fn check_and_insert(&mut self, id: TokenId, now_hour: u32) -> Result<bool, SeenError> {
        let full = self.entries.len() >= MAX_SEEN_ENTRIES;
        match self.entries.entry(id) {
            Entry::Occupied(_) => Ok(false),
            Entry::Vacant(_) if full => Err(SeenError::Full),
            Entry::Vacant(v) => {
                v.insert(now_hour);
                Ok(true)
            }
        }
    }

    /// Drop ids first accepted more than `keep_hours` before `now_hour` (an id exactly
    /// `keep_hours` old stays); returns how many. Ids dated after `now_hour` (the clock went
    /// back) stay.
    pub fn prune(&mut self, now_hour: u32, keep_hours: u32) -> usize {
        let before = self.entries.len();
        self.entries
            .retain(|_, first| first.saturating_add(keep_hours) >= now_hour);
        before - self.entries.len()
    }

    /// Parse the stored form. Anything but version 1 with a map of 64-hex-digit ids to hours
    /// (and nothing else) is an error — an empty string too: "nothing stored yet" is the
    /// caller's to decide (a missing file, an absent storage entry), never a damaged one.
    pub fn from_json(json: &str) -> Result<Self, SeenError> {
        if json.len() > MAX_SEEN_JSON_LEN {
            return Err(SeenError::TooLarge);
        }
        let file: SeenFile =
            serde_json::from_str(json).map_err(|e| SeenError::Damaged(e.to_string()))?;
        if file.version != SEEN_FORMAT_VERSION {
            return Err(SeenError::Damaged(format!(
                "unsupported version {}",
                file.version
            )));
        }
        if file.seen.len() > MAX_SEEN_ENTRIES {
            return Err(SeenError::TooLarge);
        }
        let mut entries = BTreeMap::new();
        for (id, hour) in file.seen {
            let bytes: TokenId = hex::decode(&id)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| {
                    SeenError::Damaged(format!(
                        "invalid token id {:?}",
                        id.chars().take(80).collect::<String>()
                    ))
                })?;
            // Hex is case-insensitive: two spellings of one id are one entry (the earliest).
            let first = entries.entry(bytes).or_insert(hour);
            *first = (*first).min(hour);
        }
        Ok(SeenSet { entries })
    }

    /// The stored form as a JSON value (the browser bindings embed it in the verdict).
    pub fn to_json_value(&self) -> serde_json::Value {
        let seen: serde_json::Map<String, serde_json::Value> = self
            .entries
            .iter()
            .map(|(id, hour)| (hex::encode(id), serde_json::Value::from(*hour)))
            .collect();
        serde_json::json!({"version": SEEN_FORMAT_VERSION, "seen": seen})
    }

    /// The stored form, compact (what `seen.json` and `localStorage` hold).
    pub fn to_json(&self) -> String {
        self.to_json_value().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_covers_the_tolerance_and_the_issuance_skew() {
        // W + τ + max(τ, 2).
        assert_eq!(SeenSet::retention_hours(24, 1), 27);
        assert_eq!(SeenSet::retention_hours(6, 0), 8);
        assert_eq!(SeenSet::retention_hours(24, 2), 28);
        assert_eq!(SeenSet::retention_hours(168, 24), 216);
        assert_eq!(SeenSet::retention_hours(255, u32::MAX), u32::MAX);
    }

    #[test]
    fn prune_keeps_entries_exactly_for_the_retention() {
        let keep = SeenSet::retention_hours(24, 1);
        let mut s = SeenSet::new();
        assert_eq!(s.check_and_insert([1; 32], 100), Ok(true));
        assert_eq!(
            s.check_and_insert([1; 32], 101),
            Ok(false),
            "a second insert is a replay"
        );
        assert_eq!(
            s.first_seen(&[1; 32]),
            Some(100),
            "a replay changes nothing"
        );
        assert_eq!(s.check_and_insert([2; 32], 110), Ok(true));
        assert_eq!(s.check_and_insert([3; 32], 500), Ok(true));
        assert_eq!(
            s.prune(100 + keep, keep),
            0,
            "exactly at the retention stays"
        );
        assert!(s.contains(&[1; 32]));
        assert_eq!(s.prune(100 + keep + 1, keep), 1);
        assert!(!s.contains(&[1; 32]));
        assert!(s.contains(&[2; 32]));
        assert!(s.contains(&[3; 32]), "entries dated after now stay");
        assert_eq!(s.prune(u32::MAX, keep), 2);
        assert!(s.is_empty());
    }

    #[test]
    fn json_round_trip_in_the_documented_format() {
        let mut s = SeenSet::new();
        s.check_and_insert([0xab; 32], 472_222).unwrap();
        s.check_and_insert([1; 32], 7).unwrap();
        let json = s.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["seen"]["ab".repeat(32)], 472_222);
        assert_eq!(value["seen"]["01".repeat(32)], 7);
        assert_eq!(SeenSet::from_json(&json).unwrap(), s);
        // Pretty-printed (as an operator might save it) reads the same.
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(SeenSet::from_json(&pretty).unwrap(), s);
        // Upper-case hex is the same id.
        let upper = format!(r#"{{"version":1,"seen":{{"{}":9}}}}"#, "AB".repeat(32));
        assert!(SeenSet::from_json(&upper).unwrap().contains(&[0xab; 32]));
    }

    #[test]
    fn damaged_storage_is_an_error_not_an_empty_set() {
        let wrap = |seen: &str| format!(r#"{{"version": 1, "seen": {seen}}}"#);
        for bad in [
            String::new(),
            "  ".to_owned(),
            "[".to_owned(),
            "[]".to_owned(),
            "{}".to_owned(),
            "null".to_owned(),
            r#"{"version": 2, "seen": {}}"#.to_owned(),
            r#"{"version": 1, "seen": {}, "extra": 1}"#.to_owned(),
            wrap(r#"{"zz": 1}"#),
            wrap(r#"{"00": 1}"#),
            wrap(&format!(r#"{{"{}": 1}}"#, "ab".repeat(33))),
            wrap(&format!(r#"{{"{}": -1}}"#, "ab".repeat(32))),
            wrap(&format!(r#"{{"{}": 4294967296}}"#, "ab".repeat(32))),
            wrap("[]"),
        ] {
            let err = SeenSet::from_json(&bad).expect_err(&bad);
            assert!(matches!(err, SeenError::Damaged(_)), "{bad}: {err:?}");
            assert_eq!(err.code(), "seen_damaged");
        }
        assert_eq!(
            SeenSet::from_json(r#"{"version": 1, "seen": {}}"#).unwrap(),
            SeenSet::new()
        );
    }

    #[test]
    fn the_cap_bounds_reading_and_inserting() {
        // Reading: more bytes than MAX_SEEN_ENTRIES entries can take is refused unparsed.
        let huge = " ".repeat(MAX_SEEN_JSON_LEN + 1);
        assert_eq!(SeenSet::from_json(&huge), Err(SeenError::TooLarge));
        // Inserting: a full set refuses a new id but still recognises a replay.
        let mut s = SeenSet::new();
        for i in 0..MAX_SEEN_ENTRIES as u32 {
            let mut id = [0u8; 32];
            id[..4].copy_from_slice(&i.to_le_bytes());
            s.entries.insert(id, 1);
        }
        assert_eq!(s.len(), MAX_SEEN_ENTRIES);
        assert_eq!(s.check_and_insert([0xff; 32], 2), Err(SeenError::Full));
        assert_eq!(SeenError::Full.code(), "seen_full");
        assert_eq!(s.check_and_insert([0; 32], 2), Ok(false));
        assert_eq!(s.len(), MAX_SEEN_ENTRIES);
        // Pruning makes room again.
        assert_eq!(s.prune(10, 0), MAX_SEEN_ENTRIES);
        assert_eq!(s.check_and_insert([0xff; 32], 10), Ok(true));
    }
}
