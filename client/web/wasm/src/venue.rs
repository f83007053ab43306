//! The venue's side, independent of JavaScript: load `venue.json` (docs/api.md, "Client
//! state"), check its key list under the pinned root, and verify presentations with the
//! same `greenlight-circuits` code the CLI uses. The wasm bindings in `lib.rs` are a thin
//! JSON layer over this, so native tests and the native timing run exactly this code.

use greenlight_acl::{IssuerPublicKey, KeyId};
use greenlight_circuits::{
    verify_vartime, IssuerKeys, PolicyId, Presentation, RejectReason, VenueExpectations,
};
use greenlight_protocol::{
    root_fingerprint, verifying_key_from_bytes, KeyList, KeyListBody, Policy, VenueCode,
    VerifyingKey,
};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::seen::SeenSet;

/// The only `venue.json` version this build reads.
pub const VENUE_FILE_VERSION: u32 = 1;
/// Default when `venue.json` has no `clock_tolerance_hours` (docs/api.md shows 1).
pub const DEFAULT_CLOCK_TOLERANCE_HOURS: u32 = 1;
/// A larger tolerance would let a phone whose clock is days off pass; no sane set-up needs
/// more than a day.
pub const MAX_CLOCK_TOLERANCE_HOURS: u32 = 24;
/// The largest key list (64 issuers × 32 keys) is under 200 KB as text; refuse anything
/// absurd before parsing.
pub const MAX_VENUE_JSON_LEN: usize = 1024 * 1024;

/// Why a `venue.json` was refused. `code()` is stable (the page translates by it).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VenueError {
    #[error("the file is not a venue.json (invalid JSON or missing fields: {0})")]
    BadJson(String),
    #[error("venue.json version {0} is not supported by this page (expected 1)")]
    UnsupportedVersion(u32),
    #[error("the root public key in venue.json is not a valid Ed25519 key")]
    BadRootKey,
    #[error("the key list in venue.json does not decode")]
    BadKeyList,
    #[error("the key list is not signed by the pinned root key")]
    KeyListSignature,
    #[error("the venue code in venue.json does not decode")]
    BadVenueCode,
    #[error("clock_tolerance_hours must be at most 24")]
    BadTolerance,
    #[error("the file is too large to be a venue.json")]
    TooLarge,
    #[error("the new key list is signed by a different root key than the one this device holds")]
    RootChanged,
    #[error("the new key list is not a valid update of the one this device holds: {0}")]
    NotASuccessor(String),
}

impl VenueError {
    pub fn code(&self) -> &'static str {
        match self {
            VenueError::BadJson(_) => "bad_json",
            VenueError::UnsupportedVersion(_) => "unsupported_version",
            VenueError::BadRootKey => "bad_root_key",
            VenueError::BadKeyList => "bad_key_list",
            VenueError::KeyListSignature => "key_list_signature",
            VenueError::BadVenueCode => "bad_venue_code",
            VenueError::BadTolerance => "bad_tolerance",
            VenueError::TooLarge => "too_large",
            VenueError::RootChanged => "root_changed",
            VenueError::NotASuccessor(_) => "not_a_successor",
        }
    }
}

/// `venue.json` as written by `greenlight venue init` (docs/api.md). Unknown fields are
/// ignored so a newer CLI's file still loads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VenueFile {
    pub version: u32,
    #[serde(default)]
    pub server: Option<String>,
    pub root_public_key: String,
    pub key_list: String,
    pub venue_code: String,
    #[serde(default = "default_tolerance")]
    pub clock_tolerance_hours: u32,
}

fn default_tolerance() -> u32 {
    DEFAULT_CLOCK_TOLERANCE_HOURS
}

/// One issuer key the venue may accept, with what the verdict screen shows about it.
#[derive(Debug, Clone)]
struct AcceptedKey {
    pk: IssuerPublicKey,
    region: String,
    issuer_name: String,
    accept_until: u64,
}

/// A loaded venue: root verified, key list verified under it, venue code decoded.
#[derive(Debug, Clone)]
pub struct Venue {
    root: VerifyingKey,
    key_list: KeyList,
    code: VenueCode,
    tolerance_hours: u32,
    /// Non-revoked keys whose public key decodes. Expiry (`accept_until`) is checked per
    /// verification against the verification's own clock.
    keys: Vec<AcceptedKey>,
    /// Listed keys left out: revoked, or not a valid ristretto255 point.
    unusable_keys: usize,
}

/// What the set-up screen shows about a loaded venue.
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
    /// Of those, keys accepted at the `now` the info was computed for (not revoked, not
    /// past `accept_until`, a valid point).
    pub keys_accepted_now: usize,
}

/// The answer for the door: accept, or reject with a stable code and an English reason (the
/// page shows its own translation of the code).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    pub accept: bool,
    /// `"ok"` or a [`reason_code`].
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

/// Stable snake_case code of a rejection (the same words as the Rust variants).
pub fn reason_code(reason: RejectReason) -> &'static str {
    match reason {
        RejectReason::BadEncoding => "bad_encoding",
        RejectReason::UnknownKey => "unknown_key",
        RejectReason::BadSignature => "bad_signature",
        RejectReason::BadProof => "bad_proof",
        RejectReason::Stale => "stale",
        RejectReason::WrongVenue => "wrong_venue",
        RejectReason::ClockSkew => "clock_skew",
        RejectReason::NonStandardWindow => "non_standard_window",
        RejectReason::WrongWindow => "wrong_window",
        RejectReason::WrongPolicy => "wrong_policy",
        RejectReason::Replayed => "replayed",
    }
}

/// Whole hours since the Unix epoch, saturating (u32 hours last until the year 491,936).
pub fn hours_of(now_unix_secs: u64) -> u32 {
    u32::try_from(now_unix_secs / 3600).unwrap_or(u32::MAX)
}

fn policy_id(policy: Policy) -> PolicyId {
    match policy {
        Policy::GreenAndRecent => PolicyId::GREEN_RECENT,
    }
}

fn decode_root(hex_key: &str) -> Result<VerifyingKey, VenueError> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(VenueError::BadRootKey)?;
    verifying_key_from_bytes(&bytes).map_err(|_| VenueError::BadRootKey)
}

fn parse_file(json: &str) -> Result<VenueFile, VenueError> {
    if json.len() > MAX_VENUE_JSON_LEN {
        return Err(VenueError::TooLarge);
    }
    let file: VenueFile =
        serde_json::from_str(json).map_err(|e| VenueError::BadJson(e.to_string()))?;
    if file.version != VENUE_FILE_VERSION {
        return Err(VenueError::UnsupportedVersion(file.version));
    }
    Ok(file)
}

/// The accepted keys at one instant, in the form `verify_vartime` asks for.
struct KeysAt<'a> {
    keys: &'a [AcceptedKey],
    now_unix: u64,
}

impl IssuerKeys for KeysAt<'_> {
    fn issuer_key(&self, key_id: &KeyId) -> Option<&IssuerPublicKey> {
        self.keys
            .iter()
            .find(|k| k.pk.key_id() == *key_id && self.now_unix <= k.accept_until)
            .map(|k| &k.pk)
    }
}

impl Venue {
    /// Parse and check a `venue.json`: strict root key, key list signature (`verify_strict`)
    /// under that root, venue code, tolerance.
    pub fn from_json(json: &str) -> Result<Venue, VenueError> {
        let file = parse_file(json)?;
        if file.clock_tolerance_hours > MAX_CLOCK_TOLERANCE_HOURS {
            return Err(VenueError::BadTolerance);
        }
        let root = decode_root(&file.root_public_key)?;
        let key_list = KeyList::from_text(&file.key_list).map_err(|_| VenueError::BadKeyList)?;
        let body = key_list
            .verify(&root)
            .map_err(|_| VenueError::KeyListSignature)?;
        let code = VenueCode::from_text(&file.venue_code).map_err(|_| VenueError::BadVenueCode)?;
        let (keys, unusable_keys) = accepted_keys(body);
        // Build the generator tables now, so the first scan at the door is as fast as the rest.
        let _ = greenlight_acl::generators();
        Ok(Venue {
            root,
            key_list,
            code,
            tolerance_hours: file.clock_tolerance_hours,
            keys,
            unusable_keys,
        })
    }

    /// Whether `new_json` may replace `old_json` on this device: same root, and the new key
    /// list an append-only successor of the old one (so a stale or forked list cannot roll
    /// back a key revocation). Both must load on their own first.
    pub fn check_update(old_json: &str, new_json: &str) -> Result<(), VenueError> {
        let old = Venue::from_json(old_json)?;
        let new = Venue::from_json(new_json)?;
        if old.root != new.root {
            return Err(VenueError::RootChanged);
        }
        old.key_list
            .check_successor(&new.key_list)
            .map_err(|e| VenueError::NotASuccessor(e.to_string()))
    }

    pub fn venue_id(&self) -> [u8; 8] {
        self.code.venue_id()
    }

    pub fn window_hours(&self) -> u8 {
        self.code.window_hours()
    }

    pub fn clock_tolerance_hours(&self) -> u32 {
        self.tolerance_hours
    }

    pub fn info(&self, now_unix_secs: u64) -> VenueInfo {
        let body = self.key_list.unverified_body();
        VenueInfo {
            venue_name: self.code.name().to_owned(),
            venue_id: hex::encode(self.code.venue_id()),
            window_hours: self.code.window_hours(),
            clock_tolerance_hours: self.tolerance_hours,
            root_fingerprint: root_fingerprint(&self.root),
            key_list_sequence: body.sequence(),
            key_list_issued_at: body.issued_at(),
            issuers: body
                .issuers()
                .iter()
                .map(|i| IssuerInfo {
                    region: i.region.clone(),
                    display_name: i.display_name.clone(),
                    keys: i.keys.len(),
                    keys_accepted_now: self
                        .keys
                        .iter()
                        .filter(|k| k.region == i.region && now_unix_secs <= k.accept_until)
                        .count(),
                })
                .collect(),
            keys_accepted_now: self
                .keys
                .iter()
                .filter(|k| now_unix_secs <= k.accept_until)
                .count(),
            keys_listed: self.keys.len() + self.unusable_keys,
        }
    }

    fn expectations(&self, now_hours: u32) -> VenueExpectations {
        VenueExpectations {
            venue_id: self.code.venue_id(),
            window_hours: self.code.window_hours(),
            policy: policy_id(self.code.policy()),
            nonce: None,
            now_hours,
            clock_tolerance_hours: self.tolerance_hours,
        }
    }

    /// Verify one presentation (its `GLP1:` text) at `now_unix_secs`, then check-and-insert
    /// its token id into `seen` (one-show) and prune `seen` to the window. A rejected
    /// presentation never enters `seen`.
    pub fn verify<R: RngCore + CryptoRng>(
        &self,
        text: &str,
        now_unix_secs: u64,
        seen: &mut SeenSet,
        rng: &mut R,
    ) -> Verdict {
        let now_hours = hours_of(now_unix_secs);
        seen.prune(now_hours, self.seen_horizon_hours());
        let pres = match Presentation::from_text(text) {
            Ok(p) => p,
            Err(_) => {
                let mut verdict = self.reject(RejectReason::BadEncoding, None, now_hours);
                verdict.scanned_kind = crate::inspect::kind_code(text);
                return verdict;
            }
        };
        let keys = KeysAt {
            keys: &self.keys,
            now_unix: now_unix_secs,
        };
        let result =
            verify_vartime(&pres, &self.expectations(now_hours), &keys, rng).and_then(|verified| {
                if seen.insert(verified.token_id, now_hours) {
                    Ok(verified)
                } else {
                    Err(RejectReason::Replayed)
                }
            });
        match result {
            Ok(verified) => {
                let key = self.keys.iter().find(|k| k.pk.key_id() == verified.key_id);
                Verdict {
                    accept: true,
                    reason_code: "ok",
                    reason: "valid: green and recent".to_owned(),
                    token_id: Some(hex::encode(verified.token_id)),
                    key_id: Some(hex::encode(verified.key_id.0)),
                    issuer_region: key.map(|k| k.region.clone()),
                    issuer_name: key.map(|k| k.issuer_name.clone()),
                    now_hours,
                    scanned_kind: Some("presentation"),
                }
            }
            Err(reason) => self.reject(reason, Some(&pres), now_hours),
        }
    }

    fn reject(&self, reason: RejectReason, pres: Option<&Presentation>, now_hours: u32) -> Verdict {
        Verdict {
            accept: false,
            reason_code: reason_code(reason),
            reason: reason.to_string(),
            token_id: pres.map(|p| hex::encode(p.token_id())),
            key_id: pres.map(|p| hex::encode(p.context.key_id.0)),
            issuer_region: None,
            issuer_name: None,
            now_hours,
            scanned_kind: pres.map(|_| "presentation"),
        }
    }

    /// How long a token id must stay in the seen-set (the CLI's rule, plus an hour). A token
    /// accepted at venue hour `h` has `ts ≤ slot ≤ h + tol`; a later show at venue hour `now`
    /// needs `ts ≥ slot' − W ≥ now − tol − W`. So once `now > h + W + 2·tol` no show of it
    /// can pass again; the extra hour covers the two clocks rounding to hours differently.
    pub fn seen_horizon_hours(&self) -> u32 {
        u32::from(self.code.window_hours()) + 2 * self.tolerance_hours + 1
    }
}

fn accepted_keys(body: &KeyListBody) -> (Vec<AcceptedKey>, usize) {
    let mut keys = Vec::new();
    let mut unusable = 0;
    for issuer in body.issuers() {
        for entry in &issuer.keys {
            // The key list already checked key_id == issuer_key_id(public_key), the same
            // derivation as IssuerPublicKey::key_id, so lookups by id find this key.
            match IssuerPublicKey::from_compressed(&entry.public_key) {
                Some(pk) if !entry.revoked => keys.push(AcceptedKey {
                    pk,
                    region: issuer.region.clone(),
                    issuer_name: issuer.display_name.clone(),
                    accept_until: entry.accept_until,
                }),
                _ => unusable += 1,
            }
        }
    }
    (keys, unusable)
}
