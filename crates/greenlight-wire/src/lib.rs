//! Greenlight wire format v1: the one codec and the shared vocabulary.
//!
//! Every serialized Greenlight object starts with a **format version byte** and a **type
//! tag** (`[VERSION, TAG, fields…]`), so that a v2 can be introduced later while v1 objects
//! keep decoding (the approach of libsignal's zkgroup), and so that `inspect` can tell a
//! presentation from a ticket. Fields follow in a fixed order with fixed or bounded sizes;
//! integers are big-endian; strings are `u8`-length-prefixed UTF-8. Decoding is *canonical*:
//! one object has exactly one encoding, so scalars must be reduced (`< ℓ`), points must be
//! canonical ristretto255 encodings that are not the identity, and trailing bytes are an
//! error.
//!
//! This crate is the single home of everything the other crates must agree on byte for byte
//! (the rustls split: codecs here, state machines and rules in the role crates):
//!
//! * [`Reader`] / [`Writer`]: the only bounds-checked reader and writer;
//! * [`Codec`] / [`TextCodec`]: one trait for versioned, tagged objects (tag, maximum length,
//!   text prefix, canonical text form) — implemented next to each type with a text form
//!   (tickets, key lists, venue codes, venue set-up codes, presentations). The ACL issuance messages and tokens
//!   read their fixed layouts with the same [`Reader`] (`greenlight_acl::codec`); a token's
//!   encoding is a secret and is returned in a wiped buffer, which the trait does not model;
//! * [`text`]: `PREFIX ‖ base45(bytes)`, the form used in QR codes and clipboards;
//! * [`tags`], [`prefixes`], [`lengths`], [`labels`], [`ids`]: every constant of the format;
//! * [`vocab`]: the words the roles share — [`Status`], [`Policy`], the standard windows,
//!   [`hour_of`].
//!
//! Nothing here does I/O, reads a clock or draws randomness, so every role crate (and the
//! wasm pages) can depend on it.

pub mod ids;
pub mod labels;
pub mod lengths;
pub mod reader;
pub mod text;
pub mod vocab;

pub use reader::{Reader, Writer};
pub use vocab::{
    hour_of, is_standard_window, Policy, Status, MAX_ISSUANCE_SKEW_HOURS, STANDARD_WINDOWS_HOURS,
};

/// Wire format version 1: every object's first byte, and the only version of every object
/// but the presentation. Decoders dispatch on the first byte.
pub const VERSION_1: u8 = 1;
/// Wire format version 2, so far of the presentation only (`docs/spec.md` §6.3): the key
/// list is bound into the transcript and the range proof also bounds the issuance time by
/// the holder's clock. Decoders still read version 1 (§9).
pub const VERSION_2: u8 = 2;

/// Type tags (second byte of every object). Kept in one table so they never collide.
pub mod tags {
    /// A token held in a wallet (signature + openings). Secret: never leaves the wallet.
    pub const TOKEN: u8 = 0x01;
    /// A green-and-recent presentation shown to a venue.
    pub const PRESENTATION: u8 = 0x02;
    /// Issuance: the holder's registrations (first message).
    pub const REGISTRATION_BATCH: u8 = 0x03;
    /// Issuance: the issuer's commitments and the certified attributes.
    pub const COMMITMENT_BATCH: u8 = 0x04;
    /// Issuance: the holder's blinded challenges.
    pub const CHALLENGE_BATCH: u8 = 0x05;
    /// Issuance: the issuer's answers.
    pub const ANSWER_BATCH: u8 = 0x06;
    /// An issuer public key.
    pub const ISSUER_PUBLIC_KEY: u8 = 0x07;
    /// The health authority's signed issuance ticket.
    pub const TICKET: u8 = 0x10;
    /// The root-signed issuer key list.
    pub const KEY_LIST: u8 = 0x11;
    /// A venue code.
    pub const VENUE_CODE: u8 = 0x12;
    /// A venue set-up code: what the browser verifier needs to set itself up (venue code,
    /// server URL, root fingerprint).
    pub const VENUE_SETUP: u8 = 0x13;
}

/// Text prefixes: they name the object type *and* the format version, so a reader can reject
/// the wrong kind of code before decoding (a venue scanning a ticket by mistake gets a clear
/// answer).
pub mod prefixes {
    /// A presentation.
    pub const PRESENTATION: &str = "GLP1:";
    /// An issuance ticket.
    pub const TICKET: &str = "GLT1:";
    /// A venue code.
    pub const VENUE_CODE: &str = "GLV1:";
    /// A signed key list.
    pub const KEY_LIST: &str = "GLK1:";
    /// A venue set-up code.
    pub const VENUE_SETUP: &str = "GLS1:";
}

/// Why a string field was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringProblem {
    /// Shorter than the field's minimum (most fields need at least one byte).
    TooShort,
    /// Longer than the field's maximum.
    TooLong,
    /// Not valid UTF-8.
    NotUtf8,
    /// Contains a control character (C0, DEL, C1) or a bidirectional formatting character:
    /// such characters can hide or reorder text on a verifier's screen or forge line breaks in
    /// logs.
    ControlCharacter,
    /// Contains a character that displays as nothing (U+200B–U+200D, U+2028, U+2029, U+FEFF):
    /// two names differing only by one look the same to a person but not to a verifier.
    InvisibleCharacter,
}

impl core::fmt::Display for StringProblem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            StringProblem::TooShort => "too short",
            StringProblem::TooLong => "too long",
            StringProblem::NotUtf8 => "not valid UTF-8",
            StringProblem::ControlCharacter => "contains a control character",
            StringProblem::InvisibleCharacter => "contains an invisible character",
        })
    }
}

/// Why bytes (or text) were not accepted as a Greenlight object: the format-level reasons
/// every decoder shares. Object-specific rules (signatures, validity, key lists) have their
/// own error types that wrap this one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The input ended before the object did.
    #[error("input ended early")]
    Truncated,
    /// Bytes remain after a complete object; canonical encodings have exactly one length.
    #[error("{0} unexpected bytes after the end of the object")]
    TrailingBytes(usize),
    /// The input is longer than any valid encoding of this type.
    #[error("input is too long ({len} bytes or characters, at most {max})")]
    TooLong {
        /// Bytes (or characters, for text) received.
        len: usize,
        /// Maximum for this type.
        max: usize,
    },
    /// First byte is not a format version this code understands.
    #[error("unsupported format version {0}")]
    UnsupportedVersion(u8),
    /// Second byte is not this object's type tag.
    #[error("wrong object type: expected tag {expected:#04x}, found {found:#04x}")]
    WrongType {
        /// Tag this decoder expects.
        expected: u8,
        /// Tag found.
        found: u8,
    },
    /// A scalar is `≥ ℓ`.
    #[error("a scalar is not canonically encoded")]
    NonCanonicalScalar,
    /// 32 bytes that are not a canonical ristretto255 encoding.
    #[error("a point is not a canonical ristretto255 encoding")]
    InvalidPoint,
    /// The identity point where a real group element is required.
    #[error("the identity point is not allowed here")]
    IdentityPoint,
    /// A fixed-layout field holds a value outside its domain.
    #[error("field {0} has an invalid value")]
    InvalidField(&'static str),
    /// A boolean byte other than 0 or 1.
    #[error("invalid boolean byte {0}")]
    InvalidBool(u8),
    /// A string field violates its rules.
    #[error("{field} is {problem}")]
    InvalidString {
        /// Field name.
        field: &'static str,
        /// What is wrong with it.
        problem: StringProblem,
    },
    /// The text does not start with the expected prefix.
    #[error("text does not start with {expected}")]
    WrongPrefix {
        /// Prefix this decoder expects.
        expected: &'static str,
    },
    /// The text after the prefix is not valid (canonical) base45.
    #[error("invalid base45 text")]
    InvalidBase45,
    /// A status byte outside 1..=3.
    #[error("invalid status value {0}")]
    InvalidStatus(u8),
    /// A status name other than `green`, `yellow` or `red`.
    #[error("unknown status name (expected green, yellow or red)")]
    UnknownStatusName,
    /// A policy byte this version does not know.
    #[error("unknown policy id {0}")]
    UnknownPolicy(u8),
}

/// A versioned, tagged binary object: `[version, TAG, body…]`, at most `MAX_LEN` bytes.
///
/// Implementors write and read only the body; the header, the length bound and the
/// no-trailing-bytes rule are applied here, once, for every object. Most objects exist in
/// [`VERSION_1`] only; one with several versions lists them in [`Codec::VERSIONS`], says
/// which one a value encodes as ([`Codec::version`]) and reads each
/// ([`Codec::read_versioned_body`]).
pub trait Codec: Sized {
    /// The type tag (second byte), from [`tags`].
    const TAG: u8;
    /// Longest valid encoding (of any version); checked before anything is read.
    const MAX_LEN: usize;
    /// The versions the decoder reads (the first byte); any other is
    /// [`WireError::UnsupportedVersion`].
    const VERSIONS: &'static [u8] = &[VERSION_1];
    /// The decoder's error: the wire-level reasons plus the object's own rules.
    type Error: From<WireError>;

    /// The version this value encodes as (one of [`Codec::VERSIONS`]).
    fn version(&self) -> u8 {
        VERSION_1
    }
    /// Appends the fields after the header.
    fn write_body(&self, w: &mut Writer);
    /// Reads the fields after a version-1 header, validating each.
    fn read_body(r: &mut Reader<'_>) -> Result<Self, Self::Error>;
    /// Reads the fields after a header of `version` (one of [`Codec::VERSIONS`], already
    /// checked). Objects with one version leave this to [`Codec::read_body`].
    fn read_versioned_body(r: &mut Reader<'_>, version: u8) -> Result<Self, Self::Error> {
        debug_assert!(Self::VERSIONS.contains(&version));
        Self::read_body(r)
    }

    /// The canonical encoding.
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_versioned_header(self.version(), Self::TAG, Self::MAX_LEN);
        self.write_body(&mut w);
        w.into_bytes()
    }

    /// Decodes the canonical encoding: length bound, version, tag, body, nothing left over.
    fn from_bytes(bytes: &[u8]) -> Result<Self, Self::Error> {
        let (mut r, version) =
            Reader::versioned_object(bytes, Self::TAG, Self::VERSIONS, Self::MAX_LEN)?;
        let value = Self::read_versioned_body(&mut r, version)?;
        r.finish()?;
        Ok(value)
    }
}

/// A [`Codec`] object that also has a text form `PREFIX ‖ base45(bytes)` ([`text`]).
pub trait TextCodec: Codec {
    /// The text prefix, from [`prefixes`].
    const PREFIX: &'static str;

    /// `PREFIX ‖ base45(to_bytes())`.
    fn to_text(&self) -> String {
        text::encode(Self::PREFIX, &self.to_bytes())
    }

    /// Parses the text form (see [`text::decode`] for the white-space rule).
    fn from_text(text: &str) -> Result<Self, Self::Error> {
        Self::from_bytes(&text::decode(Self::PREFIX, text, Self::MAX_LEN)?)
    }
}

/// Gives a [`Codec`] type the inherent `to_bytes`/`from_bytes` (and, with `text`,
/// `to_text`/`from_text`) that callers use without importing the traits. The behaviour stays
/// the traits' default methods: this only forwards.
#[macro_export]
macro_rules! inherent_codec {
    ($ty:ty) => {
        impl $ty {
            /// Canonical binary encoding (`docs/spec.md`; [`greenlight_wire::Codec`]).
            pub fn to_bytes(&self) -> Vec<u8> {
                <Self as $crate::Codec>::to_bytes(self)
            }
            /// Decodes the canonical binary encoding, rejecting anything a different encoder
            /// could have produced ([`greenlight_wire::Codec`]).
            pub fn from_bytes(bytes: &[u8]) -> Result<Self, <Self as $crate::Codec>::Error> {
                <Self as $crate::Codec>::from_bytes(bytes)
            }
        }
    };
    ($ty:ty, text) => {
        $crate::inherent_codec!($ty);
        impl $ty {
            /// Text form: prefix + base45 of the binary encoding ([`greenlight_wire::TextCodec`]).
            pub fn to_text(&self) -> String {
                <Self as $crate::TextCodec>::to_text(self)
            }
            /// Parses the text form; surrounding white space is ignored, the base45 must be
            /// canonical ([`greenlight_wire::TextCodec`]).
            pub fn from_text(text: &str) -> Result<Self, <Self as $crate::Codec>::Error> {
                <Self as $crate::TextCodec>::from_text(text)
            }
        }
    };
}
