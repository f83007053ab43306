//! The issuer's side of issuance: `start` and `finish`, in the order of `docs/api.md`.
//!
//! ```text
//! check_start ──► (caller reserves a session slot) ──► commit ──► (caller stores the session)
//!                                                                  … holder's challenges …
//!                                                  finish ◄── (caller takes the session)
//! ```
//!
//! Why this order (`docs/api.md`, "issuance"): every check that costs nothing and changes
//! nothing comes first; the ticket's signature is checked before anything is keyed by the
//! ticket (so forged tickets cannot fill a rate limiter's table); and the quota is reserved
//! **last**, after the registration proofs verified, so a holder whose request fails for any
//! other reason keeps its tokens. The session table and the rate limiters are the server's
//! in-memory state and stay there; the persistent state (revocations, quotas) is reached
//! through [`Store`].

use greenlight_acl::issuance::{
    AnswerBatch, ChallengeBatch, CommitmentBatch, IssuerCommitted, IssuerSession, RegistrationBatch,
};
use greenlight_acl::{AclError, IssuerKeyPair};
use greenlight_api::ErrorCode;
use greenlight_protocol::{ProtocolError, Ticket, TicketBody, VerifyingKey};
use greenlight_wire::hour_of;
use rand_core::{CryptoRng, RngCore};

use crate::attributes::ticket_attributes;

/// The persistent state issuance needs: revocations and ticket quotas.
///
/// Implementations must make [`Store::reserve_tokens`] atomic (two concurrent redemptions of
/// one ticket can never both take its last token) and durable before returning.
pub trait Store {
    /// A storage failure (answered as `internal`, never shown in detail).
    type Error: std::error::Error + Send + Sync + 'static;

    /// Whether the subject's credentials are revoked.
    fn is_revoked(&self, subject: &str) -> Result<bool, Self::Error>;

    /// Takes `n` of the ticket's `quota` (the record is created on first use and kept until
    /// after `expires_at_unix`).
    fn reserve_tokens(
        &self,
        ticket_id: [u8; greenlight_wire::lengths::TICKET_ID],
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<Reservation, Self::Error>;
}

/// The outcome of [`Store::reserve_tokens`] that is not a storage failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// Reserved; this many remain.
    Reserved {
        /// Tokens the ticket may still mint.
        remaining: u16,
    },
    /// Fewer than `n` remain; nothing was reserved.
    QuotaExceeded {
        /// Tokens the ticket may still mint.
        remaining: u16,
    },
}

/// What the issuer knows about itself: its key, the authority's key, and the key's status.
pub struct IssuerState<'a> {
    /// The issuing key.
    pub issuer: &'a IssuerKeyPair,
    /// The health authority's ticket-signing key.
    pub authority: &'a VerifyingKey,
    /// Start of the key's published issuing period (Unix seconds).
    pub issue_from: u64,
    /// End of the key's published issuing period (Unix seconds).
    pub issue_until: u64,
    /// Whether the key was published as revoked.
    pub key_revoked: bool,
}

/// Why an issuance request was refused. Each maps once to its [`ErrorCode`] and, where the
/// code alone would not tell the holder what to do, a fixed message.
#[derive(Debug, thiserror::Error)]
pub enum Refusal<E: std::error::Error + 'static> {
    /// The issuing key was published as revoked.
    #[error("this issuer's key has been revoked")]
    KeyRevoked,
    /// Now is outside the key's published issuing period: wallets would refuse the tokens,
    /// and refusing here keeps the ticket's quota for after the rotation.
    #[error("the issuing key is outside its issuing period")]
    KeyNotIssuing,
    /// The ticket does not decode or its signature does not verify.
    #[error("invalid ticket")]
    InvalidTicket,
    /// Now is before the ticket's `not_before`.
    #[error("the ticket is not valid yet")]
    TicketNotYetValid,
    /// Now is after the ticket's `not_after`.
    #[error("the ticket has expired")]
    TicketExpired,
    /// The per-ticket rate limit refused it.
    #[error("rate limited")]
    RateLimited,
    /// The ticket's subject is revoked.
    #[error("the subject is revoked")]
    SubjectRevoked,
    /// The registrations do not decode.
    #[error("the registrations do not decode")]
    RegistrationsUndecodable,
    /// The registrations are for another issuer key.
    #[error("the registrations are for another issuer key")]
    WrongIssuerKey,
    /// A registration proof does not verify.
    #[error("a registration proof does not verify")]
    BadRegistration,
    /// Not between 1 and 64 registrations.
    #[error("between 1 and 64 registrations are needed")]
    BatchSize,
    /// The ticket has fewer tokens left than requested.
    #[error("the ticket's quota is exceeded")]
    QuotaExceeded,
    /// The challenges do not decode.
    #[error("the challenges do not decode")]
    ChallengesUndecodable,
    /// The challenges do not match the session (key or count); the session is closed.
    #[error("the challenges do not match the session")]
    ChallengesMismatch,
    /// The store failed.
    #[error("revocation store: {0}")]
    Store(#[source] E),
    /// Something that cannot happen with honest code (the clock beyond 2^32 hours, an
    /// internal ACL error).
    #[error("internal: {0}")]
    Internal(&'static str),
}

impl<E: std::error::Error + 'static> Refusal<E> {
    /// The HTTP error code (`docs/api.md`).
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::KeyRevoked | Refusal::KeyNotIssuing => ErrorCode::KeyNotIssuing,
            Refusal::InvalidTicket => ErrorCode::InvalidTicket,
            Refusal::TicketNotYetValid => ErrorCode::TicketNotYetValid,
            Refusal::TicketExpired => ErrorCode::TicketExpired,
            Refusal::RateLimited => ErrorCode::RateLimited,
            Refusal::SubjectRevoked => ErrorCode::SubjectRevoked,
            Refusal::WrongIssuerKey | Refusal::BadRegistration => ErrorCode::BadRegistration,
            Refusal::RegistrationsUndecodable
            | Refusal::BatchSize
            | Refusal::ChallengesUndecodable
            | Refusal::ChallengesMismatch => ErrorCode::BadRequest,
            Refusal::QuotaExceeded => ErrorCode::QuotaExceeded,
            Refusal::Store(_) | Refusal::Internal(_) => ErrorCode::Internal,
        }
    }

    /// A message more specific than the code's own, where the holder needs one; `None`
    /// means the code's standard message.
    pub fn message(&self) -> Option<&'static str> {
        match self {
            Refusal::KeyRevoked => {
                Some("this issuer's key has been revoked; the operator must set up a new key")
            }
            Refusal::RegistrationsUndecodable => Some("registrations do not decode"),
            Refusal::WrongIssuerKey => Some(
                "the registrations are for a different issuer key than the one this server issues with (see /v1/keys)",
            ),
            Refusal::BatchSize => Some("between 1 and 64 registrations are needed"),
            Refusal::ChallengesUndecodable => Some("challenges do not decode"),
            Refusal::ChallengesMismatch => Some(
                "the challenges do not match the session (key or count); the session is closed",
            ),
            _ => None,
        }
    }
}

/// A `start` request that passed every check that changes nothing.
pub struct StartChecked {
    ticket: Ticket,
    batch: RegistrationBatch,
}

impl StartChecked {
    /// The verified ticket's body.
    pub fn body(&self) -> &TicketBody {
        self.ticket.unverified_body()
    }
    /// Tokens asked for (1..=64).
    pub fn tokens(&self) -> usize {
        self.batch.registrations.len()
    }
}

/// `start`, steps that change nothing: the key may issue now; the ticket decodes, verifies
/// and is within its validity; `admit_ticket` (the caller's per-ticket rate limit) agrees;
/// the subject is not revoked; the registrations decode, are for this key, and ask for no
/// more tokens than the ticket allows.
pub fn check_start<S: Store>(
    state: &IssuerState<'_>,
    store: &S,
    ticket_text: &str,
    registrations: &[u8],
    now_unix: u64,
    admit_ticket: impl FnOnce(&[u8; 16]) -> bool,
) -> Result<StartChecked, Refusal<S::Error>> {
    if state.key_revoked {
        return Err(Refusal::KeyRevoked);
    }
    if now_unix < state.issue_from || now_unix > state.issue_until {
        return Err(Refusal::KeyNotIssuing);
    }
    let ticket = Ticket::from_text(ticket_text).map_err(|_| Refusal::InvalidTicket)?;
    let body = ticket
        .verify(state.authority)
        .map_err(|_| Refusal::InvalidTicket)?;
    body.check_time(now_unix).map_err(|e| match e {
        ProtocolError::NotYetValid { .. } => Refusal::TicketNotYetValid,
        _ => Refusal::TicketExpired,
    })?;
    if !admit_ticket(&body.ticket_id()) {
        return Err(Refusal::RateLimited);
    }
    if store
        .is_revoked(body.subject().as_str())
        .map_err(Refusal::Store)?
    {
        return Err(Refusal::SubjectRevoked);
    }
    let batch = RegistrationBatch::from_bytes(registrations)
        .map_err(|_| Refusal::RegistrationsUndecodable)?;
    if batch.key_id != state.issuer.public().key_id() {
        return Err(Refusal::WrongIssuerKey);
    }
    if batch.registrations.len() > usize::from(body.tokens()) {
        // Cheap early answer; the reservation in `commit` is what enforces the quota.
        return Err(Refusal::QuotaExceeded);
    }
    Ok(StartChecked { ticket, batch })
}

/// `start`, the steps that commit: check every registration proof and commit to each token
/// (attributes from [`ticket_attributes`] at the current hour), then reserve the quota. On
/// any refusal the commitment is dropped (its secrets zeroized) and never answered.
pub fn commit<S: Store, R: RngCore + CryptoRng>(
    state: &IssuerState<'_>,
    store: &S,
    checked: StartChecked,
    now_unix: u64,
    rng: &mut R,
) -> Result<(IssuerCommitted, CommitmentBatch), Refusal<S::Error>> {
    let body = checked.ticket.unverified_body();
    let time_hours = hour_of(now_unix);
    if time_hours == u32::MAX {
        return Err(Refusal::Internal(
            "the clock does not fit the hour attribute",
        ));
    }
    let ticket_id = body.ticket_id();
    let (committed, commitments) = IssuerSession::commit_with_rng(
        state.issuer,
        &ticket_id,
        ticket_attributes(body, time_hours),
        &checked.batch,
        rng,
    )
    .map_err(|e| match e {
        AclError::BadRegistration(_) | AclError::Degenerate => Refusal::BadRegistration,
        AclError::BatchLimit(_) | AclError::BatchSize { .. } => Refusal::BatchSize,
        AclError::WrongKey { .. } => Refusal::WrongIssuerKey,
        _ => Refusal::Internal("commit"),
    })?;
    let n = u16::try_from(checked.tokens()).map_err(|_| Refusal::BatchSize)?;
    match store
        .reserve_tokens(ticket_id, body.tokens(), n, body.not_after())
        .map_err(Refusal::Store)?
    {
        Reservation::Reserved { .. } => Ok((committed, commitments)),
        Reservation::QuotaExceeded { .. } => Err(Refusal::QuotaExceeded),
    }
}

/// `finish`: answer the holder's challenges. The caller has already *removed* the session
/// from its table (so no second request can reach it); `committed` is consumed whatever
/// happens and its secrets are zeroized on return.
pub fn finish<E: std::error::Error + 'static>(
    issuer: &IssuerKeyPair,
    committed: IssuerCommitted,
    challenges: &ChallengeBatch,
) -> Result<AnswerBatch, Refusal<E>> {
    committed
        .answer(issuer, challenges)
        .map_err(|_| Refusal::ChallengesMismatch)
}

/// Decodes the holder's challenges. Done *before* the caller takes the session, so a garbled
/// request leaves the session open for a corrected retry.
pub fn decode_challenges<E: std::error::Error + 'static>(
    bytes: &[u8],
) -> Result<ChallengeBatch, Refusal<E>> {
    ChallengeBatch::from_bytes(bytes).map_err(|_| Refusal::ChallengesUndecodable)
}
