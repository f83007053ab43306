//! Every size, bound and wire constant of the protocol objects, in one place.
//!
//! Decoders check each length against these bounds *before* reading or allocating, so a hostile
//! QR code cannot make a venue's device allocate more than [`MAX_ENCODED_LEN`] bytes. Changing a
//! value here changes the wire format: the known-answer vectors in `tests/vectors/protocol.json`
//! pin them.

// --- Header ---------------------------------------------------------------------------------

/// The format version, first byte of every encoding. A future incompatible layout gets a new
/// version rather than a silent reinterpretation of old bytes.
pub const FORMAT_VERSION: u8 = 1;
/// Type tag (second byte) of a [`crate::Ticket`].
pub const TAG_TICKET: u8 = 0x10;
/// Type tag of a [`crate::KeyList`].
pub const TAG_KEY_LIST: u8 = 0x11;
/// Type tag of a [`crate::VenueCode`].
pub const TAG_VENUE_CODE: u8 = 0x12;
/// Type tag of a token (defined by `greenlight-wire`; listed so tags never collide).
pub const TAG_TOKEN: u8 = 0x01;
/// Type tag of a presentation (defined by `greenlight-wire`).
pub const TAG_PRESENTATION: u8 = 0x02;
/// Bytes of the header (version + tag).
pub const HEADER_LEN: usize = 2;

// --- Text forms -----------------------------------------------------------------------------

/// Text prefix of a ticket.
pub const PREFIX_TICKET: &str = "GLT1:";
/// Text prefix of a venue code.
pub const PREFIX_VENUE_CODE: &str = "GLV1:";
/// Text prefix of a key list.
pub const PREFIX_KEY_LIST: &str = "GLK1:";
/// Text prefix of a presentation (encoded by `greenlight-wire`; recognised by [`crate::detect_kind`]).
pub const PREFIX_PRESENTATION: &str = "GLP1:";

// --- Primitive sizes ------------------------------------------------------------------------

/// Bytes of an Ed25519 public key.
pub const ED25519_PUBLIC_KEY_LEN: usize = 32;
/// Bytes of an Ed25519 signature (`R ‖ s`).
pub const ED25519_SIGNATURE_LEN: usize = 64;
/// Bytes of a big-endian `u64` (all times are Unix seconds as `u64`).
pub const U64_LEN: usize = 8;
/// Bytes of a big-endian `u16`.
pub const U16_LEN: usize = 2;

// --- Ticket ---------------------------------------------------------------------------------

/// Bytes of a ticket id (random, so tickets cannot be enumerated or guessed).
pub const TICKET_ID_LEN: usize = 16;
/// Minimum bytes of a subject handle.
pub const MIN_SUBJECT_LEN: usize = 1;
/// Maximum bytes of a subject handle (UTF-8).
pub const MAX_SUBJECT_LEN: usize = 64;
/// Maximum tokens one ticket may mint. Bounds the work of one issuance batch and how many
/// unlinkable tokens one person can hold at once.
pub const MAX_TOKENS_PER_TICKET: u16 = 64;
/// Bytes of an authority key id (truncated hash of the authority's Ed25519 public key).
pub const AUTHORITY_KEY_ID_LEN: usize = 8;

// --- Travel history -------------------------------------------------------------------------

/// Bytes of one region code (two ASCII uppercase letters).
pub const REGION_CODE_LEN: usize = 2;
/// Maximum region codes in a travel history. 24 slots × [`TRAVEL_SLOT_BITS`] = 240 bits, which
/// stays below 2^252 so the packed form is always a canonical ristretto255 scalar.
pub const MAX_TRAVEL_CODES: usize = 24;
/// Bits per slot of the packed scalar form (26² = 676 codes + the empty slot 0 < 2^10).
pub const TRAVEL_SLOT_BITS: usize = 10;

// --- Key list -------------------------------------------------------------------------------

/// Bytes of an issuer key id (`KEY_ID` label, derived from the ristretto255 public key).
pub const ISSUER_KEY_ID_LEN: usize = 8;
/// Bytes of an issuer public key (compressed ristretto255).
pub const ISSUER_PUBLIC_KEY_LEN: usize = 32;
/// Maximum issuers (regions) in one key list.
pub const MAX_ISSUERS: usize = 64;
/// Maximum keys per issuer. Keys are never removed (append-only), so this also bounds how many
/// rotations an issuer can do under one list lineage.
pub const MAX_KEYS_PER_ISSUER: usize = 32;
/// Minimum bytes of an issuer region label such as `CN-GD`.
pub const MIN_REGION_LEN: usize = 1;
/// Maximum bytes of an issuer region label.
pub const MAX_REGION_LEN: usize = 16;
/// Minimum bytes of an issuer display name.
pub const MIN_DISPLAY_NAME_LEN: usize = 1;
/// Maximum bytes of an issuer display name.
pub const MAX_DISPLAY_NAME_LEN: usize = 64;
/// Bytes of a root fingerprint before hex encoding (128 bits: collision-safe for pinning).
pub const ROOT_FINGERPRINT_LEN: usize = 16;
/// Encoded bytes of one key entry: key id, public key, three `u64` times, revoked flag.
pub const KEY_ENTRY_LEN: usize = ISSUER_KEY_ID_LEN + ISSUER_PUBLIC_KEY_LEN + 3 * U64_LEN + 1;

// --- Venue code -----------------------------------------------------------------------------

/// Bytes of a venue id (random).
pub const VENUE_ID_LEN: usize = 8;
/// Minimum bytes of a venue name.
pub const MIN_VENUE_NAME_LEN: usize = 1;
/// Maximum bytes of a venue name.
pub const MAX_VENUE_NAME_LEN: usize = 64;
/// The only recency windows a venue may ask for, in hours. A venue choosing an odd window (say
/// 37 h) could tell its visitors apart from everyone else's, or a colluding issuer could hand one
/// person a window nobody else uses; a small standard set keeps every anonymity set large.
pub const STANDARD_WINDOWS_HOURS: [u8; 6] = [6, 12, 24, 48, 72, 168];

// --- Overall bounds -------------------------------------------------------------------------

/// Largest possible encoded ticket.
pub const MAX_TICKET_LEN: usize = HEADER_LEN
    + TICKET_ID_LEN
    + 1
    + MAX_SUBJECT_LEN
    + 1
    + 1
    + MAX_TRAVEL_CODES * REGION_CODE_LEN
    + 2 * U64_LEN
    + U16_LEN
    + AUTHORITY_KEY_ID_LEN
    + ED25519_SIGNATURE_LEN;
/// Largest possible encoded key list (about 135 KiB).
pub const MAX_KEY_LIST_LEN: usize = HEADER_LEN
    + 2 * U64_LEN
    + 1
    + MAX_ISSUERS
        * (1 + MAX_REGION_LEN + 1 + MAX_DISPLAY_NAME_LEN + 1 + MAX_KEYS_PER_ISSUER * KEY_ENTRY_LEN)
    + ED25519_SIGNATURE_LEN;
/// Largest possible encoded venue code.
pub const MAX_VENUE_CODE_LEN: usize =
    HEADER_LEN + VENUE_ID_LEN + 1 + MAX_VENUE_NAME_LEN + 1 + 1 + 1;
/// Largest encoding of any object in this crate.
pub const MAX_ENCODED_LEN: usize = MAX_KEY_LIST_LEN;
/// Longest text form accepted by any `from_text` (prefix + base45 of [`MAX_ENCODED_LEN`] bytes;
/// base45 turns 2 bytes into 3 characters). Checked before decoding so hostile input is cheap.
pub const MAX_TEXT_LEN: usize = 5 + (MAX_ENCODED_LEN * 3).div_ceil(2);
