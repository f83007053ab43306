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
use crate::digest::{DigestKey, SubjectDigest, TicketDigest};
use crate::epoch::{self, SubjectRecord};
use crate::lifetime::{check_ticket_life, TicketTooLong};

/// The persistent state issuance needs: per-subject records (revocation and epoch,
/// [`crate::epoch`]) and ticket quotas, named by keyed digests ([`crate::digest`]).
///
/// A store never sees a subject handle or a ticket id: this crate computes the digests, with
/// the key the store returns from [`Store::digest_key`]. Implementations must make
/// [`Store::swap_subject_record`] and [`Store::reserve_tokens`] atomic (two concurrent
/// redemptions of one ticket can never both take its last token; two concurrent writers of
/// one subject's record cannot both succeed from the same old record) and durable before
/// returning.
pub trait Store {
    /// A storage failure (answered as `internal`, never shown in detail).
    type Error: std::error::Error + Send + Sync + 'static;

    /// The secret this store's digests are keyed with (kept apart from the stored records).
    fn digest_key(&self) -> &DigestKey;

    /// The subject's record, if the store holds one.
    fn subject_record(&self, subject: &SubjectDigest)
        -> Result<Option<SubjectRecord>, Self::Error>;

    /// Compare-and-swap: replaces the subject's record with `new` if it is still `expected`
    /// (`None`: there is none) and returns `true`; returns `false` and writes nothing if it
    /// is not. Durable when it returns `true`.
    fn swap_subject_record(
        &self,
        subject: &SubjectDigest,
        expected: Option<SubjectRecord>,
        new: SubjectRecord,
    ) -> Result<bool, Self::Error>;

    /// Takes `n` of the ticket's `quota` (the record is created on first use and kept until
    /// after `expires_at_unix`, see [`crate::epoch::ticket_record_forgettable`]).
    fn reserve_tokens(
        &self,
        ticket: &TicketDigest,
        quota: u16,
        n: u16,
        expires_at_unix: u64,
    ) -> Result<Reservation, Self::Error>;

    /// Adds `tokens` to the count of tokens issued under `key_id` on UTC day `day`
    /// ([`crate::totals`]). Need not be durable at once: a crash may lose the last few counts,
    /// never anything a decision rests on.
    fn add_issued(&self, key_id: [u8; 8], day: u32, tokens: u64) -> Result<(), Self::Error>;

    /// Every per-key, per-day count held ([`crate::totals::published_totals`] chooses what
    /// is published).
    fn issued_totals(&self) -> Result<Vec<crate::totals::DayTotal>, Self::Error>;
}

/// The issuer key id a `RegistrationBatch` names (`01 03 ‖ key_id (8) ‖ …`, spec §6.2), read
/// without decoding the rest, so that a server can pick which of its issuing keys the request
/// is for before the pipeline ([`check_start`]) decodes and checks it all (and refuses it
/// whole if it is malformed). `None` if the bytes do not start like a registration batch.
pub fn registered_key_id(registrations: &[u8]) -> Option<[u8; 8]> {
    let mut r = greenlight_wire::Reader::new(registrations);
    r.header(greenlight_wire::tags::REGISTRATION_BATCH).ok()?;
    r.array().ok()
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
    /// The ticket is valid for longer than its status allows ([`crate::lifetime`]).
    #[error("{0}")]
    TicketTooLong(TicketTooLong),
    /// The per-ticket rate limit refused it.
    #[error("rate limited")]
    RateLimited,
    /// The ticket's subject is revoked.
    #[error("the subject is revoked")]
    SubjectRevoked,
    /// The ticket is older than its subject's epoch ([`crate::epoch`]): a newer ticket, a
    /// revocation or an appeal replaced it.
    #[error("the ticket was superseded")]
    TicketSuperseded,
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
    /// The ticket has fewer tokens left than requested (`remaining`: how many, when the store
    /// was asked).
    #[error("the ticket's quota is exceeded")]
    QuotaExceeded {
        /// Tokens the ticket can still mint, if known.
        remaining: Option<u16>,
    },
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
            Refusal::TicketTooLong(_) => ErrorCode::TicketTooLong,
            Refusal::RateLimited => ErrorCode::RateLimited,
            Refusal::SubjectRevoked => ErrorCode::SubjectRevoked,
            Refusal::TicketSuperseded => ErrorCode::TicketSuperseded,
            Refusal::WrongIssuerKey | Refusal::BadRegistration => ErrorCode::BadRegistration,
            Refusal::RegistrationsUndecodable
            | Refusal::BatchSize
            | Refusal::ChallengesUndecodable
            | Refusal::ChallengesMismatch => ErrorCode::BadRequest,
            Refusal::QuotaExceeded { .. } => ErrorCode::QuotaExceeded,
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
            Refusal::TicketTooLong(TicketTooLong { status, .. }) => Some(match status {
                greenlight_protocol::Status::Red => {
                    "red tickets are accepted for at most 90 days and this one is valid for longer; ask the health authority for a new ticket"
                }
                _ => {
                    "green and yellow tickets are accepted for at most 14 days and this one is valid for longer; ask the health authority for a new ticket"
                }
            }),
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
    subject: SubjectDigest,
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

/// `start`, steps that change nothing: the key may issue now; the ticket decodes, verifies,
/// is within its validity and no longer than its status allows ([`crate::lifetime`]);
/// `admit_ticket` (the caller's per-ticket rate limit) agrees; the subject is not revoked and
/// the ticket is not older than the subject's epoch ([`crate::epoch`]); the registrations
/// decode, are for this key, and ask for no more tokens than the ticket allows.
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
    check_ticket_life(
        body.status(),
        body.not_after().saturating_sub(body.not_before()),
    )
    .map_err(Refusal::TicketTooLong)?;
    if !admit_ticket(&body.ticket_id()) {
        return Err(Refusal::RateLimited);
    }
    let subject = store.digest_key().subject(body.subject().as_str());
    // A cheap early answer; `commit` checks again atomically as it moves the epoch.
    epoch::admits(
        store.subject_record(&subject).map_err(Refusal::Store)?,
        body.not_before(),
    )?;
    let batch = RegistrationBatch::from_bytes(registrations)
        .map_err(|_| Refusal::RegistrationsUndecodable)?;
    if batch.key_id != state.issuer.public().key_id() {
        return Err(Refusal::WrongIssuerKey);
    }
    if batch.registrations.len() > usize::from(body.tokens()) {
        // Cheap early answer; the reservation in `commit` is what enforces the quota.
        return Err(Refusal::QuotaExceeded { remaining: None });
    }
    Ok(StartChecked {
        ticket,
        batch,
        subject,
    })
}

/// `start`, the steps that commit: check every registration proof and commit to each token
/// (attributes from [`ticket_attributes`] at the current hour); then, atomically, check the
/// subject's record again and move its epoch forward to the ticket's `not_before`
/// ([`epoch::redeem`]: a concurrent revocation or newer ticket is not missed, and the epoch
/// never moves back); then reserve the quota. On any refusal the commitment is dropped (its
/// secrets zeroized) and never answered; a refusal by the subject's record spends no quota.
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
    epoch::redeem(store, &checked.subject, body.not_before())?;
    let ticket = store.digest_key().ticket(&ticket_id);
    match store
        .reserve_tokens(&ticket, body.tokens(), n, body.not_after())
        .map_err(Refusal::Store)?
    {
        Reservation::Reserved { .. } => Ok((committed, commitments)),
        Reservation::QuotaExceeded { remaining } => Err(Refusal::QuotaExceeded {
            remaining: Some(remaining),
        }),
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

#[cfg(test)]
mod registered_key_tests {
    use super::registered_key_id;

    #[test]
    fn the_key_id_is_read_from_a_registration_batch_header_only() {
        let mut bytes = vec![1, 3, 9, 8, 7, 6, 5, 4, 3, 2, 0, 1];
        assert_eq!(registered_key_id(&bytes), Some([9, 8, 7, 6, 5, 4, 3, 2]));
        assert_eq!(registered_key_id(&bytes[..9]), None, "truncated");
        bytes[1] = 4;
        assert_eq!(registered_key_id(&bytes), None, "another object");
        bytes[1] = 3;
        bytes[0] = 2;
        assert_eq!(registered_key_id(&bytes), None, "another version");
        assert_eq!(registered_key_id(&[]), None);
    }
}
