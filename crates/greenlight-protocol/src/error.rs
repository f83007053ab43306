//! Errors. Every decode and verify path returns one of these instead of panicking: the inputs
//! come from QR codes, clipboards and the network, so malformed data is an ordinary event.

use greenlight_wire::WireError;
use thiserror::Error;

/// Why a key list does not accept (or cannot issue under) a key id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum KeyRejection {
    /// No issuer in the list has this key id.
    #[error("issuer key is not in the key list")]
    Unknown,
    /// The key is marked revoked (for example after a compromise).
    #[error("issuer key has been revoked")]
    Revoked,
    /// `now` is more than [`crate::KEY_START_TOLERANCE_SECS`] before the key's `issue_from`:
    /// no honest token under it can exist yet (`docs/spec.md` §7.3).
    #[error("issuer key is not in use before {issue_from}")]
    NotYetAccepted {
        /// The key's `issue_from` (Unix seconds).
        issue_from: u64,
    },
    /// `now` is after the key's `accept_until`: tokens under it are no longer accepted.
    #[error("issuer key expired (accepted until {accept_until})")]
    Expired {
        /// The key's `accept_until` (Unix seconds).
        accept_until: u64,
    },
    /// `now` is outside `[issue_from, issue_until]`: the key may not issue now.
    #[error("issuer key may not issue now (issuing window {issue_from}..={issue_until})")]
    NotIssuing {
        /// The key's `issue_from` (Unix seconds).
        issue_from: u64,
        /// The key's `issue_until` (Unix seconds).
        issue_until: u64,
    },
}

/// A rule of [`crate::KeyList::check_successor`] that a new key list breaks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SuccessorViolation {
    /// The new list has a lower sequence number (a rollback to an older list).
    #[error("sequence went backwards ({old} -> {new})")]
    SequenceRegressed {
        /// Sequence of the list already held.
        old: u64,
        /// Sequence of the offered list.
        new: u64,
    },
    /// Same sequence number but different content: the root signed two lists under one
    /// number, which only a compromised or misbehaving root does.
    #[error("two different key lists carry sequence {sequence}")]
    ForkedSequence {
        /// The shared sequence number.
        sequence: u64,
    },
    /// A list named as the one another succeeded is not its immediate predecessor (sequence
    /// one lower), or differs from the predecessor already held: a server cannot swap in an
    /// older list as "previous", nor replace the one a client knows.
    #[error("key list {previous} is not the list {sequence} succeeded")]
    NotThePredecessor {
        /// Sequence of the list offered as the predecessor.
        previous: u64,
        /// Sequence of the list it was offered for.
        sequence: u64,
    },
    /// `issued_at` went backwards.
    #[error("issued_at went backwards ({old} -> {new})")]
    IssuedAtRegressed {
        /// `issued_at` of the list already held.
        old: u64,
        /// `issued_at` of the offered list.
        new: u64,
    },
    /// A key of the old list is missing from the new one (under the same region).
    #[error("issuer key {} of region {region} was removed", hex8(key_id))]
    KeyRemoved {
        /// Region of the issuer that held the key.
        region: String,
        /// The missing key id.
        key_id: [u8; 8],
    },
    /// A key kept its id but changed its public key or `issue_from`.
    #[error("issuer key {} changed its public key or issue_from", hex8(key_id))]
    KeyChanged {
        /// The key id.
        key_id: [u8; 8],
    },
    /// A revoked key became unrevoked: revocation is final, or a thief could undo it.
    #[error("issuer key {} was un-revoked", hex8(key_id))]
    KeyUnrevoked {
        /// The key id.
        key_id: [u8; 8],
    },
    /// `issue_until` grew: validity may only shrink, or a stolen old key could be revived.
    #[error("issuer key {} extended issue_until", hex8(key_id))]
    IssueUntilExtended {
        /// The key id.
        key_id: [u8; 8],
    },
    /// `accept_until` grew.
    #[error("issuer key {} extended accept_until", hex8(key_id))]
    AcceptUntilExtended {
        /// The key id.
        key_id: [u8; 8],
    },
}

/// A rule of [`crate::KeyListBody::check_anti_tagging`] that a key list breaks: the list could
/// sort holders into groups that the key id of each presentation would reveal
/// (`docs/privacy.md` §2). A wallet refuses to redeem under such a list; a root should refuse
/// to sign one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TaggingRisk {
    /// A region or display name has no letter or digit left after normalisation (it would be
    /// told apart from others by invisible or look-alike marks only).
    #[error("the {field} {value:?} has no letter or digit")]
    Unreadable {
        /// `"region"` or `"display name"`.
        field: &'static str,
        /// The name as listed.
        value: String,
    },
    /// Two issuers' regions are the same after normalisation ([`crate::name_skeleton`]).
    #[error("the regions {first:?} and {second:?} look alike")]
    LookAlikeRegions {
        /// The first region, as listed.
        first: String,
        /// The second region, as listed.
        second: String,
    },
    /// Two issuers' display names are the same after normalisation.
    #[error("the issuer names {first:?} and {second:?} look alike")]
    LookAlikeNames {
        /// The first name, as listed.
        first: String,
        /// The second name, as listed.
        second: String,
    },
    /// A live key issues for less than [`crate::MIN_ISSUING_PERIOD_SECS`]: its key id would
    /// tell a venue when, within a short span, the token was issued.
    #[error(
        "issuer key {} of region {region} issues for only {seconds} s (at least {min} s)",
        hex8(key_id)
    )]
    ShortIssuingPeriod {
        /// The key's region.
        region: String,
        /// The key id.
        key_id: [u8; 8],
        /// `issue_until − issue_from`.
        seconds: u64,
        /// The minimum.
        min: u64,
    },
    /// More than [`crate::MAX_ISSUING_KEYS_PER_REGION`] keys of one region issue at the same
    /// instant.
    #[error("region {region} has {count} keys issuing at once (at most {max})")]
    TooManyInRegion {
        /// The region.
        region: String,
        /// Keys issuing together at `at`.
        count: usize,
        /// The most allowed.
        max: usize,
        /// The first second (Unix) at which that many issue together.
        at: u64,
    },
    /// More than [`crate::MAX_ISSUING_KEYS`] keys of the whole list issue at the same instant.
    #[error("{count} keys of the list issue at once (at most {max})")]
    TooManyInList {
        /// Keys issuing together at `at`.
        count: usize,
        /// The most allowed.
        max: usize,
        /// The first second (Unix) at which that many issue together.
        at: u64,
    },
}

fn hex8(bytes: &[u8; 8]) -> String {
    greenlight_wire::text::to_hex(bytes)
}

/// Everything that can go wrong decoding, constructing or verifying a protocol object.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    /// A travel region code is not exactly two ASCII uppercase letters.
    #[error("invalid region code (need two uppercase letters A-Z)")]
    InvalidRegionCode,
    /// More than [`crate::lengths::MAX_TRAVEL_CODES`] distinct region codes.
    #[error("too many travel region codes ({0})")]
    TooManyRegionCodes(usize),
    /// Encoded region codes are not strictly ascending (unsorted or duplicated): the only
    /// canonical encoding of a set is the sorted one.
    #[error("travel region codes are not sorted and unique")]
    UnsortedRegionCodes,
    /// Token count outside `1..=MAX_TOKENS_PER_TICKET`.
    #[error("invalid token count {0}")]
    InvalidTokenCount(u16),
    /// `not_before` is not strictly before `not_after`.
    #[error("validity window is empty or reversed")]
    InvalidValidity,
    /// The signature's `s` half is not reduced modulo the group order (malleable encoding).
    #[error("non-canonical signature encoding")]
    NonCanonicalSignature,
    /// Signature does not verify under the given key.
    #[error("signature does not verify")]
    BadSignature,
    /// The ticket names a different authority key than the one offered to verify it.
    #[error("ticket was signed by a different authority key")]
    WrongAuthorityKey,
    /// An Ed25519 public key is not a canonical encoding of a point, or is of small order.
    #[error("invalid Ed25519 public key")]
    InvalidVerifyingKey,
    /// The ticket's validity has not started.
    #[error("ticket is not valid before {not_before}")]
    NotYetValid {
        /// Start of validity (Unix seconds).
        not_before: u64,
    },
    /// The ticket's validity has ended.
    #[error("ticket expired at {not_after}")]
    Expired {
        /// End of validity (Unix seconds).
        not_after: u64,
    },
    /// More than [`crate::lengths::MAX_ISSUERS`] issuers.
    #[error("too many issuers ({0})")]
    TooManyIssuers(usize),
    /// An issuer with zero or more than [`crate::lengths::MAX_KEYS_PER_ISSUER`] keys.
    #[error("issuer has an invalid number of keys ({0})")]
    InvalidKeyCount(usize),
    /// Two issuers share a region label.
    #[error("duplicate issuer region {0}")]
    DuplicateRegion(String),
    /// Two keys share a key id.
    #[error("duplicate issuer key id {}", hex8(.0))]
    DuplicateKeyId([u8; 8]),
    /// A key id is not the one derived from its public key.
    #[error("issuer key id {} does not match its public key", hex8(.0))]
    KeyIdMismatch([u8; 8]),
    /// A key's times are not ordered `issue_from <= issue_until <= accept_until`.
    #[error("issuer key {} has inconsistent validity times", hex8(.0))]
    InvalidKeyValidity([u8; 8]),
    /// A key list lookup failed.
    #[error(transparent)]
    Key(#[from] KeyRejection),
    /// A new key list is not a valid successor of the old one.
    #[error("key list is not a valid successor: {0}")]
    Successor(#[from] SuccessorViolation),
    /// Venue window not in [`crate::STANDARD_WINDOWS_HOURS`].
    #[error("window of {0} hours is not a standard window")]
    NonStandardWindow(u8),
    /// Venue asks for a status other than green (not supported in format version 1).
    #[error("unsupported required status {0}")]
    UnsupportedRequiredStatus(u8),
    /// The bytes or text are not a well-formed object (the format rules every decoder
    /// shares).
    #[error(transparent)]
    Wire(#[from] WireError),
}
