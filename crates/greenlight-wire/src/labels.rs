//! The registry of every domain-separation label Greenlight feeds into a hash.
//!
//! Labels are ASCII, project-prefixed and versioned (`greenlight/v1/...`), so a value hashed for
//! one purpose can never be confused with one hashed for another, and a future v2 can change any
//! derivation without colliding with v1. Changing any byte here changes the protocol: the
//! known-answer vectors under `tests/vectors/` pin them. `docs/spec.md` §2 lists them all.

// --- Generators (hash-to-group, `RistrettoPoint::hash_from_bytes::<Sha512>`) ---------------
/// `h`: the second base of the ACL tag's `z2` half.
pub const GEN_H: &[u8] = b"greenlight/v1/generator/h";
/// `h_R`: commitment randomness `R`.
pub const GEN_H_R: &[u8] = b"greenlight/v1/generator/h_R";
/// `h_k`: holder secret `k`.
pub const GEN_H_K: &[u8] = b"greenlight/v1/generator/h_k";
/// `h_st`: status colour.
pub const GEN_H_ST: &[u8] = b"greenlight/v1/generator/h_st";
/// `h_ts`: issuance time (whole hours since the Unix epoch).
pub const GEN_H_TS: &[u8] = b"greenlight/v1/generator/h_ts";
/// `h_tr`: travel history encoding.
pub const GEN_H_TR: &[u8] = b"greenlight/v1/generator/h_tr";
/// `h_id`: subject handle.
pub const GEN_H_ID: &[u8] = b"greenlight/v1/generator/h_id";
/// Prefix of the issuer tag generator `z = H2G(GEN_Z ‖ y)`.
pub const GEN_Z: &[u8] = b"greenlight/v1/generator/z";

// --- Plain hashes (SHA-512) ---------------------------------------------------------------
/// Key id: first 8 bytes of `SHA-512(KEY_ID ‖ y)`.
pub const KEY_ID: &[u8] = b"greenlight/v1/key-id";
/// Parameter digest: `SHA-512(PARAMS ‖ every generator)` truncated to 32 bytes.
pub const PARAMS: &[u8] = b"greenlight/v1/params";
/// Subject handle string to attribute scalar: `SHA-512(SUBJECT ‖ handle)` reduced mod ℓ.
pub const SUBJECT: &[u8] = b"greenlight/v1/subject";

// --- Transcripts (merlin) -----------------------------------------------------------------
/// Transcript of the ACL signature hash `ε = H(y, ζ, ζ1, α, β1, β2, η, m)`.
pub const ACL_TRANSCRIPT: &[u8] = b"greenlight/v1/acl-signature";
/// The fixed ACL message `m` (the issuer never sees it, so nothing meaningful goes there).
pub const ACL_MESSAGE: &[u8] = b"greenlight/v1/acl-message";
/// Transcript of the holder's registration proof of knowledge of `(R, k)` in `C_u`.
pub const REGISTRATION_TRANSCRIPT: &[u8] = b"greenlight/v1/issuance/registration";
/// Transcript of a presentation (context, Σ-proof, then the range proof).
pub const PRESENTATION_TRANSCRIPT: &[u8] = b"greenlight/v1/presentation";
/// Merlin transcript of a version-2 presentation (`docs/spec.md` §5.2).
pub const PRESENTATION_TRANSCRIPT_V2: &[u8] = b"greenlight/v2/presentation";

// --- Labels appended inside transcripts ---------------------------------------------------
/// Domain separator announcing a Σ-proof and its shape.
pub const SIGMA_DOMAIN: &[u8] = b"sigma-v1";
/// Number of secrets of a Σ statement.
pub const SIGMA_SECRETS: &[u8] = b"sigma-secrets";
/// Number of equations of a Σ statement.
pub const SIGMA_EQUATIONS: &[u8] = b"sigma-equations";
/// A Σ commitment (one per equation).
pub const SIGMA_COMMITMENT: &[u8] = b"sigma-commitment";
/// The Σ challenge.
pub const SIGMA_CHALLENGE: &[u8] = b"sigma-challenge";
/// The prover's nonce derivation (witness rekeying of merlin's transcript RNG).
pub const SIGMA_WITNESS: &[u8] = b"sigma-witness";

/// Issuer public key `y` inside a transcript.
pub const ISSUER_Y: &[u8] = b"issuer-y";
/// Issuer key id inside a transcript.
pub const ISSUER_KEY_ID: &[u8] = b"issuer-key-id";
/// ACL values.
pub const ACL_ZETA: &[u8] = b"zeta";
pub const ACL_ZETA1: &[u8] = b"zeta1";
pub const ACL_ALPHA: &[u8] = b"alpha";
pub const ACL_BETA1: &[u8] = b"beta1";
pub const ACL_BETA2: &[u8] = b"beta2";
pub const ACL_ETA: &[u8] = b"eta";
pub const ACL_M: &[u8] = b"m";
pub const ACL_EPSILON: &[u8] = b"epsilon";

/// Registration binding: the ticket id and the token's index in the batch.
pub const REG_BINDING: &[u8] = b"binding";
pub const REG_INDEX: &[u8] = b"index";
pub const REG_CU: &[u8] = b"C_u";

/// Presentation context fields, appended in this order before anything else.
pub const CTX_VERSION: &[u8] = b"ctx-version";
pub const CTX_PARAMS: &[u8] = b"ctx-params";
pub const CTX_KEY_ID: &[u8] = b"ctx-key-id";
pub const CTX_VENUE: &[u8] = b"ctx-venue";
pub const CTX_TIME: &[u8] = b"ctx-time-slot";
pub const CTX_WINDOW: &[u8] = b"ctx-window";
pub const CTX_POLICY: &[u8] = b"ctx-policy";
/// Appended with the empty string: the slot of the venue nonce v1 does not have (§5.1).
pub const CTX_NONCE: &[u8] = b"ctx-nonce";
/// Version 2: the digest of the key list the holder presents under, appended after the
/// Σ-proof and before the range proof (§5.2 step 13).
pub const PRES_KEY_LIST: &[u8] = b"pres-key-list";
/// Presentation public values.
pub const PRES_SIGNATURE: &[u8] = b"pres-signature";
pub const PRES_V: &[u8] = b"pres-V";

// --- Protocol objects (tickets, key list, venue codes) ------------------------------------
// Used by `greenlight-protocol` (Ed25519-signed objects), [`crate::ids`] and `greenlight-revocation` (store
// digests). Each signed object is signed as `LABEL ‖ every encoded byte before the signature`,
// so a signature made for one object type can never verify as another.
/// Ed25519 signature of an issuance ticket: signs `TICKET_SIGNATURE ‖ ticket bytes before the signature`.
pub const TICKET_SIGNATURE: &[u8] = b"greenlight/v1/ticket-signature";
/// Authority key id in a ticket: first 8 bytes of `SHA-512(AUTHORITY_KEY_ID ‖ Ed25519 public key)`.
pub const AUTHORITY_KEY_ID: &[u8] = b"greenlight/v1/authority-key-id";
/// Ed25519 signature of the issuer key list by the trust root: signs `KEY_LIST_SIGNATURE ‖ list bytes before the signature`.
pub const KEY_LIST_SIGNATURE: &[u8] = b"greenlight/v1/key-list-signature";
/// Digest of a key list, bound into version-2 presentations: the first 32 bytes of
/// `SHA-512(KEY_LIST_DIGEST ‖ list bytes before the signature)` (spec §7.3).
pub const KEY_LIST_DIGEST: &[u8] = b"greenlight/v2/key-list-digest";
/// A witness's cosignature of a key-list checkpoint: signs `KEY_LIST_COSIGNATURE ‖ root ‖
/// u64be(sequence) ‖ key-list digest ‖ u64be(timestamp)` (`greenlight_protocol::witness`).
pub const KEY_LIST_COSIGNATURE: &[u8] = b"greenlight/v1/key-list-cosignature";
/// Human-pinnable root fingerprint: hex of the first 16 bytes of `SHA-512(ROOT_FINGERPRINT ‖ Ed25519 root public key)`.
pub const ROOT_FINGERPRINT: &[u8] = b"greenlight/v1/root-fingerprint";
/// Unkeyed digest of a subject handle: first 32 bytes of
/// `SHA-512(REVOCATION_SUBJECT ‖ subject handle)`. Never stored as it is (since stores are
/// keyed): it is the input of [`STORE_SUBJECT_HMAC`], which lets a store from before keyed
/// digests be converted without the handles.
pub const REVOCATION_SUBJECT: &[u8] = b"greenlight/v1/revocation/subject-digest";
/// Keyed store digest of a subject: `HMAC-SHA-512(store key, STORE_SUBJECT_HMAC ‖ unkeyed
/// digest)[..32]` (`greenlight_issuance::digest`).
pub const STORE_SUBJECT_HMAC: &[u8] = b"greenlight/v1/store/subject-hmac";
/// Keyed store digest of a ticket id: `HMAC-SHA-512(store key, STORE_TICKET_HMAC ‖ ticket
/// id)[..32]`.
pub const STORE_TICKET_HMAC: &[u8] = b"greenlight/v1/store/ticket-hmac";
/// Check value of a store key, kept in the store so that it refuses to open with another key.
pub const STORE_KEY_CHECK: &[u8] = b"greenlight/v1/store/key-check";
/// Key that seals issuance sessions kept in a store shared by several issuer nodes:
/// `HMAC-SHA-512(issuer secret x, STORE_SESSION_SEAL)[..32]` (`greenlight_acl::issuance::seal`).
pub const STORE_SESSION_SEAL: &[u8] = b"greenlight/v1/store/session-seal";
