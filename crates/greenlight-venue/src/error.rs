//! Typed errors of the venue configuration and the seen-set. Each has a stable `code()`: the
//! browser page translates by it, and it is the first word of the message the wasm bindings
//! throw (`"<code>: <English text>"`).

use greenlight_protocol::ProtocolError;

/// Why a `venue.json` (or a key-list update, or what a set-up code's server answered) was
/// refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("the file is not a venue.json (invalid JSON or missing fields: {0})")]
    BadJson(String),
    #[error("venue.json version {0} is not supported (expected 1)")]
    UnsupportedVersion(u32),
    #[error("the root public key in venue.json is not a valid Ed25519 key")]
    BadRootKey,
    #[error("the key list in venue.json does not decode: {0}")]
    BadKeyList(#[source] ProtocolError),
    #[error("the key list is not signed by the pinned root key")]
    KeyListSignature,
    #[error("the venue code in venue.json does not decode")]
    BadVenueCode,
    #[error("clock_tolerance_hours is {0}; it must be at most 24")]
    BadTolerance(u32),
    #[error("the file is too large to be a venue.json")]
    TooLarge,
    #[error("the new key list is signed by a different root key than the one held")]
    RootChanged,
    #[error("the new key list is not a valid update of the one held: {0}")]
    NotASuccessor(#[source] ProtocolError),
    #[error("the server's root key (fingerprint {offered}) is not the one the set-up code pins ({pinned})")]
    SetupRootMismatch { pinned: String, offered: String },
    #[error(
        "the server's key list (version {offered}) is older than the venue's (version {required})"
    )]
    SetupOlderKeyList { offered: u64, required: u64 },
    #[error("the witness policy (witnesses) is not valid: {0}")]
    BadWitnessPolicy(String),
    #[error("min_presentation_version is {0}; it must be 1 or 2")]
    BadMinVersion(u8),
    #[error(transparent)]
    NotWitnessed(#[from] crate::witnessed::WitnessRefused),
}

impl ConfigError {
    /// Stable snake_case code (the browser page's i18n keys).
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::BadJson(_) => "bad_json",
            ConfigError::UnsupportedVersion(_) => "unsupported_version",
            ConfigError::BadRootKey => "bad_root_key",
            ConfigError::BadKeyList(_) => "bad_key_list",
            ConfigError::KeyListSignature => "key_list_signature",
            ConfigError::BadVenueCode => "bad_venue_code",
            ConfigError::BadTolerance(_) => "bad_tolerance",
            ConfigError::TooLarge => "too_large",
            ConfigError::RootChanged => "root_changed",
            ConfigError::NotASuccessor(_) => "not_a_successor",
            ConfigError::SetupRootMismatch { .. } => "setup_root_mismatch",
            ConfigError::SetupOlderKeyList { .. } => "setup_older_key_list",
            ConfigError::BadWitnessPolicy(_) => "bad_witness_policy",
            ConfigError::BadMinVersion(_) => "bad_min_version",
            ConfigError::NotWitnessed(_) => "not_witnessed",
        }
    }
}

/// Why a stored seen-set could not be read, or an id not be recorded.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SeenError {
    /// Not version 1 with a map of 64-hex-digit ids to hours. Never read as an empty set:
    /// that would re-open every accepted token to replay.
    #[error("the stored seen-set is damaged: {0}")]
    Damaged(String),
    /// More than [`crate::MAX_SEEN_ENTRIES`] ids, or more bytes than that many can take.
    #[error("the stored seen-set is too large")]
    TooLarge,
    /// Already [`crate::MAX_SEEN_ENTRIES`] ids after pruning: a new one cannot be recorded.
    #[error("the seen-set is full")]
    Full,
}

impl SeenError {
    /// Stable snake_case code. Every stored-set problem is `seen_damaged` (the page's one
    /// message for it: reset the venue); a full set is `seen_full`.
    pub fn code(&self) -> &'static str {
        match self {
            SeenError::Damaged(_) | SeenError::TooLarge => "seen_damaged",
            SeenError::Full => "seen_full",
        }
    }
}
