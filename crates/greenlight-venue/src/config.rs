//! `venue.json`: the document (docs/api.md, "Client state"), its one set of loading rules, and
//! the loaded venue.

use greenlight_api::WitnessCosignature;
use greenlight_circuits::VenueExpectations;
use greenlight_protocol::{Cosignature, VenueCode, WitnessPolicy};
use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::keys::{AcceptedKeys, DecodedKeys, TrustedKeyList};
use crate::seen::SeenSet;
use crate::witnessed::{check_witnessed, cosignature_json, parse_cosignatures, WitnessPolicyFile};

/// The only `venue.json` version this build reads and writes.
pub const VENUE_FILE_VERSION: u32 = 1;
/// `clock_tolerance_hours` when a `venue.json` does not say (the value `venue init` writes).
pub const DEFAULT_CLOCK_TOLERANCE_HOURS: u32 = 1;
/// A larger tolerance would let a phone whose clock is days off pass; no sane set-up needs
/// more than a day.
pub const MAX_CLOCK_TOLERANCE_HOURS: u32 = 24;
/// The largest key list (64 issuers × 32 keys, about 135 KiB) is about 203 KiB as text, so a
/// genuine `venue.json` is far below this; anything larger is refused before parsing.
pub const MAX_VENUE_JSON_LEN: usize = 1024 * 1024;

/// The `venue.json` document, field for field:
///
/// ```json
/// {"version": 1, "server": "<url>", "root_public_key": "<hex>", "key_list": "GLK1:…",
///  "previous_key_list": "GLK1:…", "venue_code": "GLV1:…", "clock_tolerance_hours": 1,
///  "witnesses": {"keys": ["<hex>", …], "quorum": 2, "max_age_secs": 604800},
///  "cosignatures": [{"witness": "<hex>", "timestamp": 1800000000, "signature": "<hex>"}]}
/// ```
///
/// `version`, `root_public_key`, `key_list` and `venue_code` are required. `server` (where
/// `venue sync` fetches key lists; the browser page never uses it) may be absent,
/// `previous_key_list` (the list `key_list` succeeded, [`TrustedKeyList::with_previous`]) may
/// be absent, and `clock_tolerance_hours` defaults to [`DEFAULT_CLOCK_TOLERANCE_HOURS`].
/// `witnesses` (the witness policy new key lists must satisfy, [`WitnessPolicyFile`]) is
/// absent when the venue requires none, and `cosignatures` holds the witnesses'
/// cosignatures of `key_list` kept when it was accepted (the last checkpoint). Every
/// file either verifier ever loaded still loads. `min_presentation_version` (1 or 2; spec §9)
/// defaults to 1 and is written only when 2, so files from before it are unchanged. Unknown
/// fields are ignored, so a newer writer's file still loads. Writers always write every other
/// field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueFile {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    pub root_public_key: String,
    pub key_list: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_key_list: Option<String>,
    pub venue_code: String,
    #[serde(default = "default_tolerance")]
    pub clock_tolerance_hours: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witnesses: Option<WitnessPolicyFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cosignatures: Vec<WitnessCosignature>,
    #[serde(
        default = "default_min_version",
        skip_serializing_if = "is_default_min_version"
    )]
    pub min_presentation_version: u8,
}

fn default_tolerance() -> u32 {
    DEFAULT_CLOCK_TOLERANCE_HOURS
}

fn default_min_version() -> u8 {
    1
}

fn is_default_min_version(v: &u8) -> bool {
    *v == default_min_version()
}

/// The presentation versions a venue can be set to require at least (spec §9): 1 (every
/// version this build reads) or 2 (version 1 retired).
pub const PRESENTATION_VERSIONS: std::ops::RangeInclusive<u8> = 1..=2;

/// A loaded venue: root and key list verified, venue code decoded, tolerance in range.
#[derive(Clone, Debug)]
pub struct VenueConfig {
    server: Option<String>,
    trust: TrustedKeyList,
    code: VenueCode,
    clock_tolerance_hours: u32,
    decoded: DecodedKeys,
    witnesses: Option<WitnessPolicy>,
    cosignatures: Vec<Cosignature>,
    min_presentation_version: u8,
}

impl VenueConfig {
    /// A venue from its parts (what `venue init` assembles before writing the file).
    pub fn new(
        server: Option<String>,
        trust: TrustedKeyList,
        code: VenueCode,
        clock_tolerance_hours: u32,
    ) -> Result<Self, ConfigError> {
        if clock_tolerance_hours > MAX_CLOCK_TOLERANCE_HOURS {
            return Err(ConfigError::BadTolerance(clock_tolerance_hours));
        }
        let decoded = DecodedKeys::new(trust.body());
        Ok(VenueConfig {
            server,
            trust,
            code,
            clock_tolerance_hours,
            decoded,
            witnesses: None,
            cosignatures: Vec::new(),
            min_presentation_version: 1,
        })
    }

    /// The same venue refusing presentations of a wire version below `version`
    /// ([`Reason::VersionRetired`](crate::Reason::VersionRetired); spec §9): 2 retires version
    /// 1, whose presentations bind no key list and have no upper time bound. Refused outside
    /// [`PRESENTATION_VERSIONS`].
    pub fn with_min_presentation_version(mut self, version: u8) -> Result<Self, ConfigError> {
        if !PRESENTATION_VERSIONS.contains(&version) {
            return Err(ConfigError::BadMinVersion(version));
        }
        self.min_presentation_version = version;
        Ok(self)
    }

    /// The lowest presentation version accepted.
    pub fn min_presentation_version(&self) -> u8 {
        self.min_presentation_version
    }

    /// The same venue requiring `policy` of every key list it accepts from now on
    /// ([`check_witnessed`]), with `cosignatures` of its current list kept as the last
    /// checkpoint (not checked here: `venue init` checks what it fetched with
    /// [`crate::accept_keys`]).
    pub fn with_witnesses(
        mut self,
        policy: Option<WitnessPolicy>,
        cosignatures: Vec<Cosignature>,
    ) -> VenueConfig {
        self.witnesses = policy;
        self.cosignatures = cosignatures;
        self
    }

    /// Parse and check a `venue.json`: size, JSON shape, version, tolerance, strict root key,
    /// key list decoding and its signature under that root, venue code.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        Self::from_json_bytes(json.as_bytes())
    }

    /// [`VenueConfig::from_json`] over bytes (a file as read).
    pub fn from_json_bytes(json: &[u8]) -> Result<Self, ConfigError> {
        if json.len() > MAX_VENUE_JSON_LEN {
            return Err(ConfigError::TooLarge);
        }
        let file: VenueFile =
            serde_json::from_slice(json).map_err(|e| ConfigError::BadJson(e.to_string()))?;
        Self::from_file(file)
    }

    /// Check a parsed document.
    pub fn from_file(file: VenueFile) -> Result<Self, ConfigError> {
        if file.version != VENUE_FILE_VERSION {
            return Err(ConfigError::UnsupportedVersion(file.version));
        }
        if file.clock_tolerance_hours > MAX_CLOCK_TOLERANCE_HOURS {
            return Err(ConfigError::BadTolerance(file.clock_tolerance_hours));
        }
        let trust = TrustedKeyList::from_stored(
            &file.root_public_key,
            &file.key_list,
            file.previous_key_list.as_deref(),
        )?;
        let code = VenueCode::from_text(&file.venue_code).map_err(|_| ConfigError::BadVenueCode)?;
        let witnesses = file
            .witnesses
            .as_ref()
            .map(WitnessPolicyFile::to_policy)
            .transpose()?;
        // Stored cosignatures are a record, not re-checked offline: they were checked when the
        // list was accepted, and age does not make the list invalid.
        let cosignatures = parse_cosignatures(&file.cosignatures);
        Self::new(file.server, trust, code, file.clock_tolerance_hours)?
            .with_witnesses(witnesses, cosignatures)
            .with_min_presentation_version(file.min_presentation_version)
    }

    /// The document to store.
    pub fn to_file(&self) -> VenueFile {
        VenueFile {
            version: VENUE_FILE_VERSION,
            server: self.server.clone(),
            root_public_key: self.trust.root_hex(),
            key_list: self.trust.key_list_text(),
            previous_key_list: self.trust.previous_key_list_text(),
            venue_code: self.code.to_text(),
            clock_tolerance_hours: self.clock_tolerance_hours,
            witnesses: self.witnesses.as_ref().map(WitnessPolicyFile::from_policy),
            cosignatures: self.cosignatures.iter().map(cosignature_json).collect(),
            min_presentation_version: self.min_presentation_version,
        }
    }

    /// The document as pretty JSON (what `venue.json` holds).
    pub fn to_json_pretty(&self) -> String {
        // Through a `Value`, whose pretty `Display` cannot fail: an error path here would
        // have to choose between a panic and writing an empty venue.json.
        let f = self.to_file();
        let mut doc = serde_json::json!({
            "version": f.version,
            "root_public_key": f.root_public_key,
            "key_list": f.key_list,
            "venue_code": f.venue_code,
            "clock_tolerance_hours": f.clock_tolerance_hours,
        });
        if let Some(map) = doc.as_object_mut() {
            if let Some(server) = f.server {
                map.insert("server".to_owned(), serde_json::Value::String(server));
            }
            if let Some(previous) = f.previous_key_list {
                map.insert(
                    "previous_key_list".to_owned(),
                    serde_json::Value::String(previous),
                );
            }
            if let Some(witnesses) = f.witnesses {
                map.insert("witnesses".to_owned(), serde_json::json!(witnesses));
            }
            if !f.cosignatures.is_empty() {
                map.insert("cosignatures".to_owned(), serde_json::json!(f.cosignatures));
            }
            // Written only when set, so that every venue.json (and the known-answer vectors
            // holding one) written before the setting existed stays byte for byte the same.
            if f.min_presentation_version != default_min_version() {
                map.insert(
                    "min_presentation_version".to_owned(),
                    serde_json::json!(f.min_presentation_version),
                );
            }
        }
        format!("{doc:#}")
    }

    /// Whether `newer` may replace this venue's key list: [`TrustedKeyList::check_update`].
    pub fn check_update(&self, newer: &VenueConfig) -> Result<(), ConfigError> {
        self.trust.check_update(&newer.trust)
    }

    /// `newer` (a whole `venue.json`, possibly of another venue) to be held instead of this
    /// one, at `now_unix`, if its key list is a valid update ([`TrustedKeyList::updated_to`],
    /// which also keeps this list as the previous one when `newer` does not name it) and —
    /// when a witness policy applies — a new list carries a quorum of fresh cosignatures
    /// ([`check_witnessed`]). The held policy applies and is kept whatever `newer` names: a
    /// file handed to the operator cannot swap in its own witnesses (`newer`'s applies only on
    /// a device that had none). Nor can it lower the retired presentation versions: the higher
    /// `min_presentation_version` of the two is kept. The same list again keeps the checkpoint
    /// held; without any policy no cosignature is kept.
    pub fn replaced_by(
        &self,
        newer: VenueConfig,
        now_unix: u64,
    ) -> Result<VenueConfig, ConfigError> {
        let same_list = newer.trust.key_list() == self.trust.key_list();
        let trust = self.trust.updated_to(newer.trust)?;
        let policy = self.witnesses.clone().or(newer.witnesses);
        let cosignatures = match &policy {
            Some(_) if same_list && self.witnesses.is_some() => self.cosignatures.clone(),
            Some(policy) => check_witnessed(policy, &trust, &newer.cosignatures, now_unix)?,
            None => Vec::new(),
        };
        let min_version = self
            .min_presentation_version
            .max(newer.min_presentation_version);
        VenueConfig::new(newer.server, trust, newer.code, newer.clock_tolerance_hours)?
            .with_witnesses(policy, cosignatures)
            .with_min_presentation_version(min_version)
    }

    /// The same venue with `trust` as its key list, if it is a valid update
    /// ([`TrustedKeyList::updated_to`]: checked, and the list held so far kept as the
    /// previous one when `trust` does not name it), keeping `cosignatures` as its last
    /// checkpoint (what [`crate::accept_keys`] checked against [`VenueConfig::witnesses`]).
    pub fn with_updated_keys(
        &self,
        trust: TrustedKeyList,
        cosignatures: Vec<Cosignature>,
    ) -> Result<VenueConfig, ConfigError> {
        let trust = self.trust.updated_to(trust)?;
        VenueConfig::new(
            self.server.clone(),
            trust,
            self.code.clone(),
            self.clock_tolerance_hours,
        )?
        .with_witnesses(self.witnesses.clone(), cosignatures)
        .with_min_presentation_version(self.min_presentation_version)
    }

    /// The witness policy key lists must satisfy, if the venue names one.
    pub fn witnesses(&self) -> Option<&WitnessPolicy> {
        self.witnesses.as_ref()
    }

    /// The witnesses' cosignatures of the current list kept when it was accepted.
    pub fn cosignatures(&self) -> &[Cosignature] {
        &self.cosignatures
    }

    pub fn server(&self) -> Option<&str> {
        self.server.as_deref()
    }
    pub fn trust(&self) -> &TrustedKeyList {
        &self.trust
    }
    pub fn code(&self) -> &VenueCode {
        &self.code
    }
    pub fn venue_id(&self) -> [u8; 8] {
        self.code.venue_id()
    }
    pub fn window_hours(&self) -> u8 {
        self.code.window_hours()
    }
    pub fn clock_tolerance_hours(&self) -> u32 {
        self.clock_tolerance_hours
    }

    /// How long this venue keeps an accepted token id: [`SeenSet::retention_hours`].
    pub fn seen_retention_hours(&self) -> u32 {
        SeenSet::retention_hours(self.code.window_hours(), self.clock_tolerance_hours)
    }

    /// The issuer keys accepted at `now_unix` ([`AcceptedKeys::new`]).
    pub fn accepted_keys(&self, now_unix: u64) -> AcceptedKeys {
        self.decoded.accepted(self.trust.body(), now_unix)
    }

    /// What a presentation must match at venue hour `now_hours`.
    pub fn expectations(&self, now_hours: u32) -> VenueExpectations {
        VenueExpectations {
            venue_id: self.code.venue_id(),
            window_hours: self.code.window_hours(),
            policy: self.code.policy(),
            now_hours,
            clock_tolerance_hours: self.clock_tolerance_hours,
            key_lists: self.trust.key_list_digests(),
        }
    }

    /// What a set-up screen shows about this venue at `now_unix`.
    pub fn info(&self, now_unix: u64) -> VenueInfo {
        let body = self.trust.body();
        let accepted = self.accepted_keys(now_unix);
        VenueInfo {
            venue_name: self.code.name().to_owned(),
            venue_id: hex::encode(self.code.venue_id()),
            window_hours: self.code.window_hours(),
            clock_tolerance_hours: self.clock_tolerance_hours,
            root_fingerprint: self.trust.fingerprint(),
            key_list_sequence: body.sequence(),
            key_list_issued_at: body.issued_at(),
            issuers: body
                .issuers()
                .iter()
                .map(|i| IssuerInfo {
                    region: i.region.clone(),
                    display_name: i.display_name.clone(),
                    keys: i.keys.len(),
                    keys_accepted_now: accepted.iter().filter(|k| k.region() == i.region).count(),
                })
                .collect(),
            keys_accepted_now: accepted.len(),
            keys_listed: body.issuers().iter().map(|i| i.keys.len()).sum(),
        }
    }
}

/// What the set-up screen shows about a loaded venue (serialized as the browser page reads it).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VenueInfo {
    pub venue_name: String,
    pub venue_id: String,
    pub window_hours: u8,
    pub clock_tolerance_hours: u32,
    pub root_fingerprint: String,
    pub key_list_sequence: u64,
    pub key_list_issued_at: u64,
    pub issuers: Vec<IssuerInfo>,
    /// Keys accepted at the `now` the info was computed for.
    pub keys_accepted_now: usize,
    pub keys_listed: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IssuerInfo {
    pub region: String,
    pub display_name: String,
    /// Keys listed for this issuer.
    pub keys: usize,
    /// Of those, keys accepted at the `now` the info was computed for (not revoked, not past
    /// `accept_until`, a valid point).
    pub keys_accepted_now: usize,
}
