//! Why a wallet operation failed. The CLI and the web app map each to a message in their
//! language (the CLI's catalogue in `client/src/i18n.rs`).

use greenlight_issuance::CertifiedMismatch;

use crate::select::NoToken;

/// Everything the wallet's rules can refuse.
#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    /// A profile name outside the rules of [`crate::validate_profile`].
    #[error("invalid profile name {0:?}")]
    BadProfile(String),
    /// The wallet document does not parse or breaks a rule.
    #[error("damaged wallet document: {0}")]
    Corrupt(String),
    /// The document could not be encoded (nothing was written).
    #[error("the wallet document could not be encoded: {0}")]
    Encode(String),
    /// The wallet has no profile of this name (so nothing to show from it). `profiles` lists
    /// the profiles it has, sorted; it is empty when the wallet holds nothing yet.
    #[error("no profile {profile:?} in this wallet")]
    UnknownProfile {
        /// The profile asked for.
        profile: String,
        /// The profiles the wallet has.
        profiles: Vec<String>,
    },
    /// The ticket is not usable (other than its validity window).
    #[error("the ticket is damaged: {0}")]
    BadTicket(String),
    /// The ticket is not signed by the authority whose tickets the server accepts
    /// ([`crate::check_ticket_authority`]).
    #[error("the ticket is not signed by the health authority this server accepts tickets from")]
    TicketAuthority,
    /// The ticket's validity has ended.
    #[error("the ticket expired at {not_after}")]
    TicketExpired {
        /// End of validity (Unix seconds).
        not_after: u64,
    },
    /// The ticket's validity has not started.
    #[error("the ticket is not valid before {not_before}")]
    TicketNotYetValid {
        /// Start of validity (Unix seconds).
        not_before: u64,
    },
    /// The issuer's key may not issue now (unknown, revoked, outside its issuing period).
    #[error("issuer key {key_id} may not issue: {reason}")]
    IssuingKey {
        /// Hex of the key id.
        key_id: String,
        /// Why.
        reason: greenlight_protocol::KeyRejection,
    },
    /// The key list breaks an anti-tagging rule
    /// ([`greenlight_protocol::KeyListBody::check_anti_tagging`]): it could sort holders into
    /// groups a venue would tell apart by key id, so the wallet redeems nothing under it.
    #[error("the key list could tag holders: {0}")]
    TaggingRisk(#[from] greenlight_protocol::TaggingRisk),
    /// The issuer's key belongs to another region than the one the profile redeemed in before
    /// ([`crate::check_region_pin`]); the holder may move it with an explicit override.
    #[error("profile {profile:?} redeems in region {pinned}, not {offered}")]
    RegionChanged {
        /// The profile.
        profile: String,
        /// The region it is pinned to.
        pinned: String,
        /// The region of the key the issuer offered.
        offered: String,
    },
    /// A listed key is not a valid point.
    #[error("issuer key {0} in the key list is not a valid point")]
    InvalidListedKey(String),
    /// The issuer certified something else than the ticket says.
    #[error(transparent)]
    Certified(#[from] CertifiedMismatch),
    /// An issuance message does not decode.
    #[error("the issuer's {what} do not decode: {detail}")]
    BadMessage {
        /// Which message.
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// The ACL protocol refused (a token does not verify, wrong key, wrong count).
    #[error(transparent)]
    Issuance(#[from] greenlight_acl::AclError),
    /// No token fits the venue.
    #[error(transparent)]
    NoToken(#[from] NoToken),
    /// Proving failed.
    #[error(transparent)]
    Prove(#[from] greenlight_circuits::PresentError),
}

impl WalletError {
    /// Stable snake_case code, for front ends that look their messages up by code (the web
    /// wallet).
    pub fn code(&self) -> &'static str {
        match self {
            WalletError::BadProfile(_) => "bad_profile",
            WalletError::Corrupt(_) => "corrupt",
            WalletError::Encode(_) => "encode",
            WalletError::UnknownProfile { .. } => "unknown_profile",
            WalletError::BadTicket(_) => "bad_ticket",
            WalletError::TicketAuthority => "ticket_authority",
            WalletError::TicketExpired { .. } => "ticket_expired",
            WalletError::TicketNotYetValid { .. } => "ticket_not_yet_valid",
            WalletError::IssuingKey { .. } => "issuing_key",
            WalletError::TaggingRisk(_) => "tagging_risk",
            WalletError::RegionChanged { .. } => "region_changed",
            WalletError::InvalidListedKey(_) => "invalid_listed_key",
            WalletError::Certified(CertifiedMismatch::TimestampSkew { .. }) => "timestamp_skew",
            WalletError::Certified(_) => "certified_mismatch",
            WalletError::BadMessage { .. } => "bad_message",
            WalletError::Issuance(_) => "issuance_failed",
            WalletError::NoToken(n) => n.code(),
            WalletError::Prove(_) => "prove_failed",
        }
    }
}
