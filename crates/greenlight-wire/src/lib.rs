//! Greenlight wire format v1: the pieces every codec shares.
//!
//! Every serialized Greenlight object starts with a **format version byte** and a **type
//! tag** (`[VERSION, TAG, fields…]`), so that a v2 can be introduced later while v1 objects
//! keep decoding (the approach of libsignal's zkgroup), and so that `inspect` can tell a
//! presentation from a ticket. Fields follow in a fixed order with fixed sizes; integers
//! are big-endian. Decoding is *canonical*: one object has exactly one encoding, so
//! scalars must be reduced (`< ℓ`), points must be canonical ristretto255 encodings that
//! are not the identity, and trailing bytes are an error. The codecs themselves live next
//! to the types they encode (`greenlight-acl::codec`, `greenlight-circuits::codec`); this
//! crate holds the shared [`Reader`]/[`Writer`], the [`lengths`] of every object, the
//! [`tags`], and the [`text`] form used in QR codes.

pub mod lengths;
pub mod reader;
pub mod text;

pub use reader::{Reader, Writer};

/// The only format version this build writes. Decoders dispatch on the first byte.
pub const VERSION_1: u8 = 1;

/// Type tags (second byte of every object).
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
}

/// Why bytes were not accepted as a Greenlight object.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("input ended early")]
    Truncated,
    #[error("{0} unexpected bytes after the end of the object")]
    TrailingBytes(usize),
    #[error("unsupported format version {0}")]
    UnsupportedVersion(u8),
    #[error("wrong object type: expected tag {expected:#04x}, found {found:#04x}")]
    WrongType { expected: u8, found: u8 },
    #[error("a scalar is not canonically encoded")]
    NonCanonicalScalar,
    #[error("a point is not a canonical ristretto255 encoding")]
    InvalidPoint,
    #[error("the identity point is not allowed here")]
    IdentityPoint,
    #[error("field {0} has an invalid value")]
    InvalidField(&'static str),
    #[error("too long: {0}")]
    TooLong(&'static str),
    #[error("not Greenlight text: {0}")]
    BadText(&'static str),
}
