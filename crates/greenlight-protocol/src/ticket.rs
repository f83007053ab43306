//! The issuance ticket: the health authority's Ed25519-signed statement "subject S has status X
//! and travel history T, valid from A to B, and may mint N tokens".
//!
//! A ticket plays the role of the one-time TAN that EU certificate issuers used: it travels to
//! the resident out of band (text or QR), the wallet redeems it once at the issuer, and the
//! issuer's quota record (in `greenlight-revocation`) makes sure it never mints more than
//! `tokens` credentials. Whoever holds a ticket can redeem it, so it is short-lived and its
//! subject handle is wiped from memory when dropped.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use greenlight_wire::reader::validate_string;
use greenlight_wire::{labels, prefixes, tags, Codec, Reader, Status, TextCodec, Writer};
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::codec::signature_is_canonical;
use crate::error::ProtocolError;
use crate::keys::authority_key_id;
use crate::lengths::{
    AUTHORITY_KEY_ID_LEN, ED25519_SIGNATURE, MAX_SUBJECT_LEN, MAX_TICKET_LEN,
    MAX_TOKENS_PER_TICKET, MIN_SUBJECT_LEN, TICKET_ID,
};
use crate::travel::TravelHistory;

const SUBJECT_FIELD: &str = "subject handle";

/// An opaque subject handle (1..=64 UTF-8 bytes, no control characters).
///
/// It must be a handle the authority maps to a person in its own records — a random or keyed
/// pseudonym — **never a raw ID-card or passport number**: the handle goes into the
/// credential, into the issuer's revocation digest and through the resident's clipboard, and a
/// national ID number in any of those places would be a lifelong identifier. The buffer is
/// zeroed on drop.
#[derive(Clone, PartialEq, Eq, Hash, Zeroize, ZeroizeOnDrop)]
pub struct SubjectHandle(String);

impl SubjectHandle {
    /// Validates length and characters.
    pub fn new(handle: &str) -> Result<Self, ProtocolError> {
        validate_string(SUBJECT_FIELD, handle, MIN_SUBJECT_LEN, MAX_SUBJECT_LEN)?;
        Ok(SubjectHandle(handle.to_owned()))
    }

    /// The handle.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for SubjectHandle {
    /// Redacted: handles must not end up in logs through a stray `{:?}`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SubjectHandle(<redacted>)")
    }
}

/// Seconds before its `not_before` a ticket is already taken ([`TicketBody::check_time`]).
pub const TICKET_START_LEEWAY_SECS: u64 = 60;

/// The signed content of a ticket. Fields are private so every `TicketBody` in existence
/// satisfies the format's rules, which makes signing infallible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketBody {
    ticket_id: [u8; TICKET_ID],
    subject: SubjectHandle,
    status: Status,
    travel: TravelHistory,
    not_before: u64,
    not_after: u64,
    tokens: u16,
}

impl TicketBody {
    /// Builds a body with an explicit ticket id (tests, vectors, or ids from elsewhere).
    ///
    /// Fails if `not_before >= not_after` or `tokens` is outside `1..=MAX_TOKENS_PER_TICKET`.
    pub fn new(
        ticket_id: [u8; TICKET_ID],
        subject: SubjectHandle,
        status: Status,
        travel: TravelHistory,
        not_before: u64,
        not_after: u64,
        tokens: u16,
    ) -> Result<Self, ProtocolError> {
        if not_before >= not_after {
            return Err(ProtocolError::InvalidValidity);
        }
        if tokens == 0 || tokens > MAX_TOKENS_PER_TICKET {
            return Err(ProtocolError::InvalidTokenCount(tokens));
        }
        Ok(TicketBody {
            ticket_id,
            subject,
            status,
            travel,
            not_before,
            not_after,
            tokens,
        })
    }

    /// Like [`TicketBody::new`] with a fresh random 16-byte ticket id. The id is random rather
    /// than a counter so ticket ids reveal nothing about how many tickets were issued or when.
    #[allow(clippy::too_many_arguments)]
    pub fn new_with_rng(
        rng: &mut (impl RngCore + CryptoRng),
        subject: SubjectHandle,
        status: Status,
        travel: TravelHistory,
        not_before: u64,
        not_after: u64,
        tokens: u16,
    ) -> Result<Self, ProtocolError> {
        let mut ticket_id = [0u8; TICKET_ID];
        rng.fill_bytes(&mut ticket_id);
        TicketBody::new(
            ticket_id, subject, status, travel, not_before, not_after, tokens,
        )
    }

    /// The random ticket id (the issuer's quota key).
    pub fn ticket_id(&self) -> [u8; TICKET_ID] {
        self.ticket_id
    }
    /// The subject handle.
    pub fn subject(&self) -> &SubjectHandle {
        &self.subject
    }
    /// The attested status.
    pub fn status(&self) -> Status {
        self.status
    }
    /// The attested travel history.
    pub fn travel(&self) -> &TravelHistory {
        &self.travel
    }
    /// Start of validity, Unix seconds (inclusive).
    pub fn not_before(&self) -> u64 {
        self.not_before
    }
    /// End of validity, Unix seconds (inclusive).
    pub fn not_after(&self) -> u64 {
        self.not_after
    }
    /// How many tokens the ticket may mint in total.
    pub fn tokens(&self) -> u16 {
        self.tokens
    }

    /// Checks `not_before − TICKET_START_LEEWAY_SECS <= now_unix <= not_after` (spec §7.2):
    /// a ticket is taken up to a minute before its start, for clock differences between the
    /// authority that signed it, the issuer and the wallet — and because the issuer starts a
    /// ticket signed in the second of the subject's previous ticket, revocation or appeal one
    /// second later (`greenlight_issuance::epoch::fresh_not_before`). Time is a parameter
    /// (never read from the system clock here) so the crate runs on `wasm32-unknown-unknown`,
    /// where `SystemTime::now` panics, and so tests are deterministic.
    pub fn check_time(&self, now_unix: u64) -> Result<(), ProtocolError> {
        if now_unix.saturating_add(TICKET_START_LEEWAY_SECS) < self.not_before {
            Err(ProtocolError::NotYetValid {
                not_before: self.not_before,
            })
        } else if now_unix > self.not_after {
            Err(ProtocolError::Expired {
                not_after: self.not_after,
            })
        } else {
            Ok(())
        }
    }

    /// Signs the body: the key id of `key` is appended, and the signature covers
    /// `TICKET_SIGNATURE ‖ every encoded byte before the signature`.
    pub fn sign(self, key: &SigningKey) -> Ticket {
        let authority_key_id = authority_key_id(&key.verifying_key());
        let signed = encode_signed_part(&self, &authority_key_id);
        let signature = key.sign(&signing_message(&signed)).to_bytes();
        Ticket {
            body: self,
            authority_key_id,
            signature,
        }
    }
}

/// A signed ticket. Decoding checks only the format; call [`Ticket::verify`] before trusting
/// any field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    body: TicketBody,
    authority_key_id: [u8; AUTHORITY_KEY_ID_LEN],
    signature: [u8; ED25519_SIGNATURE],
}

/// The message the authority signs: label, then the encoded prefix. Wiped after use because it
/// contains the subject handle.
fn signing_message(signed_part: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut msg = Vec::with_capacity(labels::TICKET_SIGNATURE.len() + signed_part.len());
    msg.extend_from_slice(labels::TICKET_SIGNATURE);
    msg.extend_from_slice(signed_part);
    Zeroizing::new(msg)
}

/// The fields before the signature, in wire order.
fn write_signed_fields(
    w: &mut Writer,
    body: &TicketBody,
    authority_key_id: &[u8; AUTHORITY_KEY_ID_LEN],
) {
    w.bytes(&body.ticket_id)
        .string(body.subject.as_str())
        .u8(body.status.as_u8());
    body.travel.write(w);
    w.u64(body.not_before)
        .u64(body.not_after)
        .u16(body.tokens)
        .bytes(authority_key_id);
}

/// Everything before the signature, header included: what the signature covers.
fn encode_signed_part(
    body: &TicketBody,
    authority_key_id: &[u8; AUTHORITY_KEY_ID_LEN],
) -> Zeroizing<Vec<u8>> {
    let mut w = Writer::with_header(tags::TICKET, MAX_TICKET_LEN);
    write_signed_fields(&mut w, body, authority_key_id);
    Zeroizing::new(w.into_bytes())
}

impl Ticket {
    /// Verifies the signature under the authority key `key` and returns the body.
    ///
    /// Uses `verify_strict` (rejects small-order `R` and weak keys, and non-canonical `s`), so
    /// no second valid encoding of the same signature exists. Fails with
    /// [`ProtocolError::WrongAuthorityKey`] when the ticket names a different key, which lets an
    /// issuer with several authority keys report a useful error.
    pub fn verify(&self, key: &VerifyingKey) -> Result<&TicketBody, ProtocolError> {
        if authority_key_id(key) != self.authority_key_id {
            return Err(ProtocolError::WrongAuthorityKey);
        }
        let signed = encode_signed_part(&self.body, &self.authority_key_id);
        key.verify_strict(
            &signing_message(&signed),
            &Signature::from_bytes(&self.signature),
        )
        .map_err(|_| ProtocolError::BadSignature)?;
        Ok(&self.body)
    }

    /// The body **without** checking the signature: for display (`inspect`) and for choosing
    /// the verification key, never for decisions.
    pub fn unverified_body(&self) -> &TicketBody {
        &self.body
    }

    /// Id of the authority key that (claims to have) signed the ticket.
    pub fn authority_key_id(&self) -> [u8; AUTHORITY_KEY_ID_LEN] {
        self.authority_key_id
    }

    /// The raw signature bytes.
    pub fn signature(&self) -> [u8; ED25519_SIGNATURE] {
        self.signature
    }
}

greenlight_wire::inherent_codec!(Ticket, text);

impl TextCodec for Ticket {
    const PREFIX: &'static str = prefixes::TICKET;
}

impl Codec for Ticket {
    const TAG: u8 = tags::TICKET;
    const MAX_LEN: usize = MAX_TICKET_LEN;
    type Error = ProtocolError;

    fn write_body(&self, w: &mut Writer) {
        write_signed_fields(w, &self.body, &self.authority_key_id);
        w.bytes(&self.signature);
    }

    /// Checks the format only (including that the signature's `s` is reduced); the signature
    /// itself is checked by [`Ticket::verify`].
    fn read_body(r: &mut Reader<'_>) -> Result<Self, ProtocolError> {
        let ticket_id = r.array()?;
        let subject = SubjectHandle(r.string(SUBJECT_FIELD, MIN_SUBJECT_LEN, MAX_SUBJECT_LEN)?);
        let status = Status::from_u8(r.u8()?)?;
        let travel = TravelHistory::read(r)?;
        let not_before = r.u64()?;
        let not_after = r.u64()?;
        let tokens = r.u16()?;
        let authority_key_id = r.array()?;
        let signature = r.array()?;
        if !signature_is_canonical(&signature) {
            return Err(ProtocolError::NonCanonicalSignature);
        }
        let body = TicketBody::new(
            ticket_id, subject, status, travel, not_before, not_after, tokens,
        )?;
        Ok(Ticket {
            body,
            authority_key_id,
            signature,
        })
    }
}
