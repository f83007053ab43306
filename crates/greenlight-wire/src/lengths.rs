//! Every fixed length of wire format v1, in one place (`docs/spec.md` §6 mirrors this file).

/// A canonical scalar (little-endian, `< ℓ`).
pub const SCALAR: usize = 32;
/// A compressed ristretto255 point.
pub const POINT: usize = 32;
/// Version byte + type tag.
pub const HEADER: usize = 2;
/// Issuer key id: first 8 bytes of `SHA-512("greenlight/v1/key-id" ‖ y)`.
pub const KEY_ID: usize = 8;
/// Venue id (random, chosen by the venue).
pub const VENUE_ID: usize = 8;
/// Optional venue nonce.
pub const NONCE: usize = 16;
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
/// Presentation context as sent: key id, venue id, time slot (u32), window (u8), policy (u8),
/// nonce flag (u8) — the nonce itself follows when the flag is 1.
pub const CONTEXT_FIXED: usize = KEY_ID + VENUE_ID + 4 + 1 + 1 + 1;
/// A presentation without a venue nonce.
pub const PRESENTATION: usize =
    HEADER + CONTEXT_FIXED + ACL_SIGNATURE + POINT + GREEN_RECENT_SIGMA + RANGE_PROOF_8;
/// A presentation with a venue nonce.
pub const PRESENTATION_WITH_NONCE: usize = PRESENTATION + NONCE;

/// Issuer public key object: header + `y`.
pub const ISSUER_PUBLIC_KEY: usize = HEADER + POINT;

/// Longest text form accepted by `from_text` (guards the base45 decoder against huge input).
pub const MAX_TEXT: usize = 16 * 1024;

const _: () = assert!(RANGE_PROOF_8 == 480);
const _: () = assert!(PRESENTATION == 1081);
