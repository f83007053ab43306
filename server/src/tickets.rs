//! Signing issuance tickets with the embedded authority key (the `ticket` command, the admin
//! route and [`crate::EphemeralServer::sign_ticket`]).

use std::fmt;
use std::time::Duration;

use ed25519_dalek::SigningKey;
use greenlight_issuance::{check_subject_handle, check_ticket_life};
use greenlight_protocol::lengths::{MAX_TOKENS_PER_TICKET, TICKET_ID};
use greenlight_protocol::{RegionCode, Status, SubjectHandle, TicketBody, TravelHistory};
use rand::rngs::OsRng;
use zeroize::Zeroize;

use crate::error::ServerError;

/// Tokens a ticket may mint unless asked otherwise.
pub const DEFAULT_TICKET_TOKENS: u16 = 10;
/// Ticket validity unless asked otherwise.
pub const DEFAULT_TICKET_VALIDITY: Duration = Duration::from_secs(7 * 24 * 3600);
/// Longest validity accepted, of a red ticket. A ticket is a one-time code (like the TAN of
/// the EU certificate issuers): whoever holds it can redeem it, so it should not live long,
/// and the issuer keeps its quota record until it expires. Green and yellow tickets live at
/// most [`MAX_GRANTING_TICKET_VALIDITY`]; both limits are `greenlight_issuance::lifetime`'s.
pub const MAX_TICKET_VALIDITY: Duration =
    Duration::from_secs(greenlight_issuance::MAX_TICKET_LIFE_SECS);
/// Longest validity of a green or yellow ticket (14 days): the issuer refuses longer ones at
/// redemption too (`ticket_too_long`).
pub const MAX_GRANTING_TICKET_VALIDITY: Duration =
    Duration::from_secs(greenlight_issuance::MAX_GRANTING_TICKET_LIFE_SECS);

/// What to put in a ticket. The subject handle is wiped from memory on drop.
#[derive(Clone)]
pub struct TicketRequest {
    /// Subject handle (1..=64 bytes): an opaque pseudonym, never an ID number.
    pub subject: String,
    /// Status colour to certify.
    pub status: Status,
    /// Travel history as region codes separated by commas or spaces (`"CN,HK"`; empty: none).
    pub travel: String,
    /// Tokens the ticket may mint (1..=64).
    pub tokens: u16,
    /// Validity from `not_before`.
    pub valid_for: Duration,
    /// Start of validity (Unix seconds); `None`: now.
    pub not_before: Option<u64>,
}

impl TicketRequest {
    /// A ticket for `subject` with `status`, no travel, [`DEFAULT_TICKET_TOKENS`] tokens,
    /// valid from now for [`DEFAULT_TICKET_VALIDITY`].
    pub fn new(subject: impl Into<String>, status: Status) -> Self {
        TicketRequest {
            subject: subject.into(),
            status,
            travel: String::new(),
            tokens: DEFAULT_TICKET_TOKENS,
            valid_for: DEFAULT_TICKET_VALIDITY,
            not_before: None,
        }
    }

    /// Sets the travel history (`"CN,HK"`).
    pub fn travel(mut self, codes: impl Into<String>) -> Self {
        self.travel = codes.into();
        self
    }

    /// Sets the token count.
    pub fn tokens(mut self, tokens: u16) -> Self {
        self.tokens = tokens;
        self
    }

    /// Sets the validity.
    pub fn valid_for(mut self, valid_for: Duration) -> Self {
        self.valid_for = valid_for;
        self
    }

    /// Sets the start of validity.
    pub fn not_before(mut self, not_before_unix: u64) -> Self {
        self.not_before = Some(not_before_unix);
        self
    }
}

impl Drop for TicketRequest {
    fn drop(&mut self) {
        self.subject.zeroize();
    }
}

impl fmt::Debug for TicketRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TicketRequest")
            .field("subject", &"<redacted>")
            .field("status", &self.status)
            .field("travel", &self.travel)
            .field("tokens", &self.tokens)
            .field("valid_for", &self.valid_for)
            .field("not_before", &self.not_before)
            .finish()
    }
}

/// A signed ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTicket {
    /// The text form, `GLT1:…`.
    pub text: String,
    /// The random ticket id.
    pub ticket_id: [u8; TICKET_ID],
    /// Start of validity (Unix seconds).
    pub not_before: u64,
    /// End of validity (Unix seconds).
    pub not_after: u64,
    /// Tokens it may mint.
    pub tokens: u16,
    /// Certified status.
    pub status: Status,
}

/// Parses a travel history: two-letter region codes separated by commas and/or whitespace,
/// any case (`"cn, HK"`). Empty input means no travel.
pub fn parse_travel(text: &str) -> Result<TravelHistory, ServerError> {
    let codes = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.to_ascii_uppercase().parse::<RegionCode>().map_err(|_| {
                ServerError::InvalidTicketRequest(format!(
                    "travel code {s:?} is not two letters A-Z"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    TravelHistory::new(codes).map_err(|e| ServerError::InvalidTicketRequest(e.to_string()))
}

/// Signs a ticket for `req` with the authority key, valid from `req.not_before` (default
/// `now_unix`) for `req.valid_for`. A subject handle shaped like an identity number is
/// refused ([`ServerError::SubjectLooksLikeIdNumber`]), and so is a validity longer than the
/// status allows ([`ServerError::TicketTooLong`]: green and yellow 14 days, red 90 days).
///
/// This only signs: the issuer's store learns of the ticket when it is redeemed, or at once
/// through [`crate::AppState::sign_and_record_ticket`] (the admin API).
pub fn sign_ticket(
    authority: &SigningKey,
    req: &TicketRequest,
    now_unix: u64,
) -> Result<SignedTicket, ServerError> {
    let invalid = |m: &str| ServerError::InvalidTicketRequest(m.to_owned());
    // The error of `SubjectHandle::new` is deliberately not shown: it could quote the handle.
    let subject = SubjectHandle::new(&req.subject).map_err(|_| {
        invalid("the subject handle must be 1 to 64 bytes without control characters")
    })?;
    // Every ticket is signed here (the `ticket` command, the admin route, the ephemeral
    // server): one place to refuse a handle shaped like an ID number.
    check_subject_handle(&req.subject)?;
    let travel = parse_travel(&req.travel)?;
    if req.tokens == 0 || req.tokens > MAX_TOKENS_PER_TICKET {
        return Err(invalid("tokens must be between 1 and 64"));
    }
    let secs = req.valid_for.as_secs();
    if secs == 0 {
        return Err(invalid("the validity must be at least 1 second"));
    }
    // The same rule the issuer applies when the ticket is redeemed.
    check_ticket_life(req.status, secs)?;
    let not_before = req.not_before.unwrap_or(now_unix);
    let not_after = not_before
        .checked_add(secs)
        .ok_or_else(|| invalid("the validity ends after the year 292 billion"))?;
    let body = TicketBody::new_with_rng(
        &mut OsRng, subject, req.status, travel, not_before, not_after, req.tokens,
    )
    .map_err(|e| ServerError::InvalidTicketRequest(e.to_string()))?;
    let ticket_id = body.ticket_id();
    let ticket = body.sign(authority);
    Ok(SignedTicket {
        text: ticket.to_text(),
        ticket_id,
        not_before,
        not_after,
        tokens: req.tokens,
        status: req.status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use greenlight_protocol::Ticket;

    #[test]
    fn travel_parsing() {
        let t = parse_travel("hk, CN  sg").unwrap();
        let codes: Vec<_> = t.codes().iter().map(|c| c.as_str().to_owned()).collect();
        assert_eq!(codes, ["CN", "HK", "SG"]);
        assert!(parse_travel("").unwrap().is_empty());
        assert!(parse_travel("CHN").is_err());
        assert!(parse_travel("C1").is_err());
    }

    #[test]
    fn signs_verifiable_tickets_and_refuses_bad_requests() {
        let key = SigningKey::from_bytes(&[9u8; 32]);
        let req = TicketRequest::new("subject-1", Status::Yellow)
            .travel("CN")
            .tokens(3)
            .valid_for(Duration::from_secs(3600));
        let signed = sign_ticket(&key, &req, 1_000).unwrap();
        let ticket = Ticket::from_text(&signed.text).unwrap();
        let body = ticket.verify(&key.verifying_key()).unwrap();
        assert_eq!(body.subject().as_str(), "subject-1");
        assert_eq!(body.status(), Status::Yellow);
        assert_eq!((body.not_before(), body.not_after()), (1_000, 4_600));
        assert_eq!(body.tokens(), 3);
        assert_eq!(body.ticket_id(), signed.ticket_id);

        for bad in [
            TicketRequest::new("", Status::Green),
            TicketRequest::new("x", Status::Green).tokens(0),
            TicketRequest::new("x", Status::Green).tokens(65),
            TicketRequest::new("x", Status::Green).valid_for(Duration::ZERO),
            TicketRequest::new("x", Status::Green).valid_for(MAX_TICKET_VALIDITY * 2),
            TicketRequest::new("x", Status::Green).travel("ZZZ"),
            TicketRequest::new("x\n", Status::Green),
        ] {
            assert!(sign_ticket(&key, &bad, 1_000).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn green_and_yellow_tickets_live_at_most_14_days_red_90() {
        let key = SigningKey::from_bytes(&[9u8; 32]);
        let day = Duration::from_secs(86_400);
        for status in [Status::Green, Status::Yellow] {
            assert!(sign_ticket(
                &key,
                &TicketRequest::new("x", status).valid_for(day * 14),
                1_000
            )
            .is_ok());
            for too_long in [day * 14 + Duration::from_secs(1), day * 90] {
                let err = sign_ticket(
                    &key,
                    &TicketRequest::new("x", status).valid_for(too_long),
                    1_000,
                )
                .unwrap_err();
                assert!(matches!(err, ServerError::TicketTooLong(_)), "{err}");
                assert!(
                    err.to_string().contains(&format!(
                        "a {status} ticket may be valid for at most 14 days"
                    )),
                    "{err}"
                );
            }
        }
        assert_eq!(MAX_GRANTING_TICKET_VALIDITY, day * 14);
        assert!(sign_ticket(
            &key,
            &TicketRequest::new("x", Status::Red).valid_for(day * 90),
            1_000
        )
        .is_ok());
        assert!(matches!(
            sign_ticket(
                &key,
                &TicketRequest::new("x", Status::Red).valid_for(day * 91),
                1_000
            ),
            Err(ServerError::TicketTooLong(_))
        ));
    }

    #[test]
    fn subjects_shaped_like_id_numbers_are_refused() {
        let key = SigningKey::from_bytes(&[9u8; 32]);
        for subject in ["110101199003074512", "A123456(3)"] {
            let err =
                sign_ticket(&key, &TicketRequest::new(subject, Status::Green), 1_000).unwrap_err();
            assert!(
                matches!(err, ServerError::SubjectLooksLikeIdNumber(_)),
                "{err}"
            );
            assert!(!err.to_string().contains(subject));
        }
        assert!(sign_ticket(
            &key,
            &TicketRequest::new("resident-7f3a", Status::Green),
            1_000
        )
        .is_ok());
    }

    #[test]
    fn debug_redacts_the_subject() {
        let req = TicketRequest::new("very-secret-handle", Status::Green);
        assert!(!format!("{req:?}").contains("very-secret-handle"));
    }
}
