//! Every size and bound of wire format v1, in one place (`docs/spec.md` §6 and §7 mirror this
//! file).
//!
//! Decoders check each length against these bounds *before* reading or allocating, so a
//! hostile QR code cannot make a device allocate more than the largest object. Changing a value
//! here changes the wire format: the known-answer vectors under `tests/vectors/` pin them.

// --- Primitives and credential objects (`greenlight-acl`, `greenlight-circuits`) ------------

/// A canonical scalar (little-endian, `< ℓ`).
pub const SCALAR: usize = 32;
/// A compressed ristretto255 point.
pub const POINT: usize = 32;
/// Version byte + type tag.
pub const HEADER: usize = 2;
/// Issuer key id: first 8 bytes of `SHA-512("greenlight/v1/key-id" ‖ y)` ([`crate::ids`]).
pub const KEY_ID: usize = 8;
/// Venue id (random, chosen by the venue).
pub const VENUE_ID: usize = 8;
/// Ticket id (binds registration proofs to one ticket).
pub const TICKET_ID: usize = 16;

/// ACL signature `(ζ, ζ1, ρ, ω, σ1, σ2, δ, μ)`: 2 points + 6 scalars.
pub const ACL_SIGNATURE: usize = 2 * POINT + 6 * SCALAR;
/// Attributes in clear: status (1) + time in hours (4) + travel scalar + subject scalar.
pub const ATTRIBUTES: usize = 1 + 4 + SCALAR + SCALAR;
/// Token openings: `κ = γ⁻¹, rnd, R, k`.
pub const TOKEN_OPENINGS: usize = 4 * SCALAR;
/// A wallet token: header, key id, attributes, openings, signature.
pub const TOKEN: usize = HEADER + KEY_ID + ATTRIBUTES + TOKEN_OPENINGS + ACL_SIGNATURE;

/// Registration: `C_u` + proof of knowledge `(c, s_R, s_k)`.
pub const REGISTRATION: usize = POINT + 3 * SCALAR;
/// Issuer commitment: `rnd, a, b1, b2`.
pub const COMMITMENT: usize = SCALAR + 3 * POINT;
/// Holder challenge `e`.
pub const CHALLENGE: usize = SCALAR;
/// Issuer answer `(c, r, s1, s2, d)`.
pub const ANSWER: usize = 5 * SCALAR;
/// Batch header: version, tag, key id, count (u16).
pub const BATCH_HEADER: usize = HEADER + KEY_ID + 2;
/// Most tokens one issuance batch may carry.
pub const MAX_BATCH: usize = 64;

/// Number of secrets of the green-and-recent Σ statement.
pub const GREEN_RECENT_SECRETS: usize = 8;
/// Compact Σ-proof of green-and-recent: challenge + 8 responses.
pub const GREEN_RECENT_SIGMA: usize = SCALAR * (1 + GREEN_RECENT_SECRETS);
/// Bits of the recency range proof.
pub const RANGE_BITS: usize = 8;
/// An 8-bit Bulletproofs range proof: A, S, T1, T2, t_x, t̃_x, ẽ, log2(8)=3 (L, R) pairs, a, b.
pub const RANGE_PROOF_8: usize = 4 * POINT + 3 * SCALAR + 2 * 3 * POINT + 2 * SCALAR;
/// The key-list digest bound into version-2 presentations (`ids::key_list_digest`).
pub const KEY_LIST_DIGEST_LEN: usize = 32;
/// Values of the version-2 range proof: `ts − t_min` and `slot − ts`.
pub const RANGE_VALUES_V2: usize = 2;
/// An aggregated Bulletproofs range proof of two 8-bit values (version 2): A, S, T1, T2, t_x,
/// t̃_x, ẽ, log2(2·8)=4 (L, R) pairs, a, b.
pub const RANGE_PROOF_8X2: usize = 4 * POINT + 3 * SCALAR + 2 * 4 * POINT + 2 * SCALAR;
/// Presentation context as sent in version 1: key id, venue id, time slot (u32), window (u8),
/// policy (u8), the reserved nonce flag (u8, always 0 in v1: docs/spec.md §5.1).
pub const CONTEXT_FIXED: usize = KEY_ID + VENUE_ID + 4 + 1 + 1 + 1;
/// Presentation context as sent in version 2: version 1's without the reserved nonce flag.
pub const CONTEXT_FIXED_V2: usize = KEY_ID + VENUE_ID + 4 + 1 + 1;
/// A version-1 presentation (every one has exactly this size).
pub const PRESENTATION_V1: usize =
    HEADER + CONTEXT_FIXED + ACL_SIGNATURE + POINT + GREEN_RECENT_SIGMA + RANGE_PROOF_8;
/// A version-2 presentation (every one has exactly this size).
pub const PRESENTATION_V2: usize =
    HEADER + CONTEXT_FIXED_V2 + ACL_SIGNATURE + POINT + GREEN_RECENT_SIGMA + RANGE_PROOF_8X2;
/// The largest presentation of any version: the decoder's length bound.
pub const PRESENTATION: usize = if PRESENTATION_V2 > PRESENTATION_V1 {
    PRESENTATION_V2
} else {
    PRESENTATION_V1
};

/// Issuer public key object: header + `y`.
pub const ISSUER_PUBLIC_KEY: usize = HEADER + POINT;

// --- Protocol objects (`greenlight-protocol`: tickets, key list, venue codes) ---------------

/// Bytes of an Ed25519 public key.
pub const ED25519_PUBLIC_KEY: usize = 32;
/// Bytes of an Ed25519 signature (`R ‖ s`).
pub const ED25519_SIGNATURE: usize = 64;
/// Bytes of a big-endian `u64` (all times are Unix seconds as `u64`).
pub const U64: usize = 8;
/// Bytes of a big-endian `u16`.
pub const U16: usize = 2;

/// Minimum bytes of a subject handle.
pub const MIN_SUBJECT_LEN: usize = 1;
/// Maximum bytes of a subject handle (UTF-8).
pub const MAX_SUBJECT_LEN: usize = 64;
/// Maximum tokens one ticket may mint. Bounds the work of one issuance batch and how many
/// unlinkable tokens one person can hold at once.
pub const MAX_TOKENS_PER_TICKET: u16 = 64;
/// Bytes of an authority key id (truncated hash of the authority's Ed25519 public key).
pub const AUTHORITY_KEY_ID_LEN: usize = 8;

/// Bytes of one region code (two ASCII uppercase letters).
pub const REGION_CODE_LEN: usize = 2;
/// Maximum region codes in a travel history. 24 slots × [`TRAVEL_SLOT_BITS`] = 240 bits, which
/// stays below 2^252 so the packed form is always a canonical ristretto255 scalar.
pub const MAX_TRAVEL_CODES: usize = 24;
/// Bits per slot of the packed scalar form (26² = 676 codes + the empty slot 0 < 2^10).
pub const TRAVEL_SLOT_BITS: usize = 10;

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
pub const KEY_ENTRY_LEN: usize = KEY_ID + POINT + 3 * U64 + 1;

/// Minimum bytes of a venue name.
pub const MIN_VENUE_NAME_LEN: usize = 1;
/// Maximum bytes of a venue name.
pub const MAX_VENUE_NAME_LEN: usize = 64;

/// Minimum bytes of the server URL in a venue set-up code (`http://a/` is 9).
pub const MIN_SERVER_URL_LEN: usize = 9;
/// Maximum bytes of the server URL in a venue set-up code (what a `u8` length can say).
pub const MAX_SERVER_URL_LEN: usize = 255;

// --- Overall bounds -------------------------------------------------------------------------

/// Largest possible encoded ticket.
pub const MAX_TICKET_LEN: usize = HEADER
    + TICKET_ID
    + 1
    + MAX_SUBJECT_LEN
    + 1
    + 1
    + MAX_TRAVEL_CODES * REGION_CODE_LEN
    + 2 * U64
    + U16
    + AUTHORITY_KEY_ID_LEN
    + ED25519_SIGNATURE;
/// Largest possible encoded key list (about 135 KiB).
pub const MAX_KEY_LIST_LEN: usize = HEADER
    + 2 * U64
    + 1
    + MAX_ISSUERS
        * (1 + MAX_REGION_LEN + 1 + MAX_DISPLAY_NAME_LEN + 1 + MAX_KEYS_PER_ISSUER * KEY_ENTRY_LEN)
    + ED25519_SIGNATURE;
/// Smallest possible encoded ticket: a 1-byte subject, no travel. Text shorter than this
/// ticket's text form was cut (by a shell, a chat app, a truncated copy).
pub const MIN_TICKET_LEN: usize = HEADER
    + TICKET_ID
    + 1
    + MIN_SUBJECT_LEN
    + 1
    + 1
    + 2 * U64
    + U16
    + AUTHORITY_KEY_ID_LEN
    + ED25519_SIGNATURE;
/// Smallest possible encoded venue code: a 1-byte name.
pub const MIN_VENUE_CODE_LEN: usize = HEADER + VENUE_ID + 1 + MIN_VENUE_NAME_LEN + 1 + 1 + 1;
/// Largest possible encoded venue code.
pub const MAX_VENUE_CODE_LEN: usize = HEADER + VENUE_ID + 1 + MAX_VENUE_NAME_LEN + 1 + 1 + 1;

/// Largest possible encoded venue set-up code: header, the venue code (`u8` length and a
/// complete venue code encoding), the server URL (`u8` length and bytes), the root
/// fingerprint, the lowest acceptable key-list sequence (`u64`) and the clock tolerance (`u8`).
pub const MAX_VENUE_SETUP_LEN: usize =
    HEADER + 1 + MAX_VENUE_CODE_LEN + 1 + MAX_SERVER_URL_LEN + ROOT_FINGERPRINT_LEN + U64 + 1;

const _: () = assert!(RANGE_PROOF_8 == 480);
const _: () = assert!(RANGE_PROOF_8X2 == 544);
const _: () = assert!(PRESENTATION_V1 == 1081);
const _: () = assert!(PRESENTATION_V2 == 1144);
const _: () = assert!(PRESENTATION == 1144);
const _: () = assert!(MAX_VENUE_SETUP_LEN == 362);
