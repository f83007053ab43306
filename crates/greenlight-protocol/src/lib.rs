//! Greenlight's protocol objects around the credential: the health authority's signed
//! **issuance ticket**, the root-signed **issuer key list**, and the **venue code**.
//!
//! # Why this shape
//!
//! * **Versioned, canonical binary** (after libsignal's zkgroup): byte 0 is the format version,
//!   byte 1 a type tag, then fixed-order fields, big-endian integers, `u8`-length-prefixed
//!   UTF-8 strings. Decoders reject trailing bytes, unknown versions or tags, out-of-range
//!   enums, over-long fields and non-canonical signatures, so every value has exactly one
//!   encoding — signatures cover the bytes, and a second encoding of the same meaning would be
//!   a malleability or fingerprinting hazard. Layouts are in `docs/spec.md`; every bound is in
//!   [`lengths`].
//! * **Text = prefix + base45** (as the EU Digital COVID Certificate does): base45's alphabet
//!   is exactly QR alphanumeric mode, which stores ~5.5 bits per character instead of 8 in
//!   byte mode, so the same object needs a smaller QR code. The prefix (`GLT1:`, `GLK1:`,
//!   `GLV1:`) names the type and version for humans and for [`detect_kind`].
//! * **Portable**: no I/O, no clock, no global RNG. Time is a parameter and randomness comes
//!   only through `rng: &mut (impl RngCore + CryptoRng)` arguments of `*_with_rng` functions,
//!   so the crate builds for `wasm32-unknown-unknown` (where `SystemTime::now` panics) and
//!   known-answer tests are deterministic.
//! * **One codec**: the reader, writer, string rule, text form, tags, prefixes, lengths,
//!   labels and the shared vocabulary ([`Status`], [`Policy`], the standard windows) are
//!   `greenlight-wire`'s; each object here implements its `Codec`/`TextCodec` traits.
//!
//! # Example
//!
//! ```
//! use greenlight_protocol::*;
//! use rand_chacha::ChaCha20Rng;
//! use rand_core::SeedableRng;
//!
//! let mut rng = ChaCha20Rng::seed_from_u64(1);
//! let authority = SigningKey::generate(&mut rng);
//! let now = 1_700_000_000;
//! let body = TicketBody::new_with_rng(
//!     &mut rng,
//!     SubjectHandle::new("sub-4f9c2a")?,
//!     Status::Green,
//!     "SG,CN".parse()?,
//!     now,
//!     now + 86_400,
//!     10,
//! )?;
//! let text = body.sign(&authority).to_text(); // "GLT1:..." for a QR code or the clipboard
//!
//! assert_eq!(detect_kind(&text), Some(Kind::Ticket));
//! let ticket = Ticket::from_text(&text)?;
//! let body = ticket.verify(&authority.verifying_key())?;
//! body.check_time(now + 60)?;
//! assert_eq!(body.travel().to_string(), "CN,SG");
//! # Ok::<(), ProtocolError>(())
//! ```

mod codec;
pub mod error;
pub mod keylist;
pub mod keys;
pub mod lengths;
pub mod roles;
pub mod tagging;
pub mod ticket;
pub mod travel;
pub mod venue;
pub mod witness;

pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use error::{KeyRejection, ProtocolError, SuccessorViolation, TaggingRisk};
pub use greenlight_wire::{
    is_standard_window, Codec, Policy, Status, StringProblem, TextCodec, WireError,
    STANDARD_WINDOWS_HOURS,
};
pub use keylist::{
    IssuerEntry, IssuerKeyEntry, KeyList, KeyListBody, KEY_LIST_SETTLE_SECS,
    KEY_START_TOLERANCE_SECS,
};
pub use keys::{authority_key_id, issuer_key_id, root_fingerprint, verifying_key_from_bytes};
pub use roles::{
    check_served_list, first_entry, merge_entries, new_key_entry, next_key_list, rotated_entry,
    RegionKey, RootSignRefusal, RotationRefusal, ServedListRefusal, FIRST_KEY_LIST_SEQUENCE,
};
pub use tagging::{
    name_skeleton, MAX_ISSUING_KEYS, MAX_ISSUING_KEYS_PER_REGION, MIN_ISSUING_PERIOD_SECS,
};
pub use ticket::{SubjectHandle, Ticket, TicketBody, TICKET_START_LEEWAY_SECS};
pub use travel::{RegionCode, TravelHistory};
pub use venue::VenueCode;
pub use witness::{
    check_quorum, cosign, Checkpoint, Cosignature, QuorumError, WitnessPolicy, WitnessRefusal,
    DEFAULT_WITNESS_MAX_AGE_SECS, MAX_COSIGNATURES_READ, WITNESS_CLOCK_SKEW_SECS,
};

use greenlight_wire::{prefixes, tags};

/// The kinds of object that have a text form, as recognised by [`detect_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `GLT1:` — an issuance ticket.
    Ticket,
    /// `GLK1:` — a signed issuer key list.
    KeyList,
    /// `GLV1:` — a venue code.
    VenueCode,
    /// `GLP1:` — a presentation (decoded by `greenlight-wire`, not by this crate).
    Presentation,
    /// `GLS1:` — a venue set-up code for the browser verifier (decoded by `greenlight-venue`,
    /// not by this crate).
    VenueSetup,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [
        Kind::Ticket,
        Kind::KeyList,
        Kind::VenueCode,
        Kind::Presentation,
        Kind::VenueSetup,
    ];

    /// The text prefix, e.g. `GLT1:`.
    pub const fn prefix(self) -> &'static str {
        match self {
            Kind::Ticket => prefixes::TICKET,
            Kind::KeyList => prefixes::KEY_LIST,
            Kind::VenueCode => prefixes::VENUE_CODE,
            Kind::Presentation => prefixes::PRESENTATION,
            Kind::VenueSetup => prefixes::VENUE_SETUP,
        }
    }

    /// The binary type tag (byte 1 of the encoding).
    pub const fn tag(self) -> u8 {
        match self {
            Kind::Ticket => tags::TICKET,
            Kind::KeyList => tags::KEY_LIST,
            Kind::VenueCode => tags::VENUE_CODE,
            Kind::Presentation => tags::PRESENTATION,
            Kind::VenueSetup => tags::VENUE_SETUP,
        }
    }

    /// A stable snake_case code for machine-readable output and the web pages' i18n keys,
    /// e.g. `venue_code`.
    pub const fn code(self) -> &'static str {
        match self {
            Kind::Ticket => "ticket",
            Kind::KeyList => "key_list",
            Kind::VenueCode => "venue_code",
            Kind::Presentation => "presentation",
            Kind::VenueSetup => "venue_setup",
        }
    }

    /// A human name for messages, e.g. "venue code".
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Ticket => "ticket",
            Kind::KeyList => "key list",
            Kind::VenueCode => "venue code",
            Kind::Presentation => "presentation",
            Kind::VenueSetup => "venue set-up code",
        }
    }
}

impl core::fmt::Display for Kind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which kind of object `text` claims to be, by its prefix alone (after ignoring leading
/// whitespace). It is a cheap dispatch hint for `inspect` and for commands that accept "any
/// code": it does not decode, so the matching `from_text` can still fail.
pub fn detect_kind(text: &str) -> Option<Kind> {
    let text = greenlight_wire::text::trim(text);
    Kind::ALL
        .into_iter()
        .find(|kind| text.starts_with(kind.prefix()))
}
