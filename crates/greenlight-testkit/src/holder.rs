//! The holder's side of issuance for a batch of `n` tokens on a ticket, for *issuer* tests.
//!
//! A wallet always redeems its whole ticket and goes through
//! [`greenlight_wallet::Redemption`](https://docs.rs/greenlight-wallet) (use that whenever the
//! batch is the whole ticket). Tests of the issuer's quota arithmetic, crash safety and load
//! need what no wallet does — part of a ticket, several racing batches on one ticket — so this
//! is the same flow with the count as a parameter: register, check what the issuer certified
//! ([`greenlight_issuance::check_certified`], the rule the wallet applies), blind, unblind and
//! verify every token. Messages are the wire bytes; the caller carries them.

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::{
    AnswerBatch, CommitmentBatch, HolderChallenged, HolderRegistered, HolderRequest,
};
use greenlight_acl::{AclError, IssuerPublicKey, Token};
use greenlight_issuance::{check_certified, CertifiedMismatch};
use greenlight_protocol::Ticket;
use rand_core::{CryptoRng, RngCore};

/// Why a batch failed on the holder's side.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An issuer message does not decode.
    #[error("the issuer's {0} do not decode")]
    Decode(&'static str),
    /// The issuer certified something other than the ticket (or another key, or hour).
    #[error(transparent)]
    Certified(#[from] CertifiedMismatch),
    /// The ACL protocol refused (bad count, wrong key, a token that does not verify).
    #[error(transparent)]
    Acl(#[from] AclError),
}

/// Registrations computed (and perhaps sent); waiting for the issuer's commitments.
pub struct Batch {
    ticket: Ticket,
    key: IssuerPublicKey,
    registered: HolderRegistered,
    n: usize,
}

impl Batch {
    /// Registers `n` tokens on `ticket` under `key` with the holder secret `secret`; returns
    /// the state and the registrations (wire bytes) for `POST /v1/issuance/start`.
    pub fn start(
        ticket: &Ticket,
        key: &IssuerPublicKey,
        secret: &Scalar,
        n: usize,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(Batch, Vec<u8>), BatchError> {
        let ticket_id = ticket.unverified_body().ticket_id();
        let (registered, registrations) =
            HolderRequest::new_with_rng(key, &ticket_id, secret, n, rng)?;
        Ok((
            Batch {
                ticket: ticket.clone(),
                key: key.clone(),
                registered,
                n,
            },
            registrations.to_bytes(),
        ))
    }

    /// Tokens asked for.
    pub fn tokens(&self) -> usize {
        self.n
    }

    /// Checks the certified attributes against the ticket and `now_unix` (the issuer's clock
    /// in a fake-clock test), then blinds; returns the state and the challenges (wire bytes).
    pub fn on_commitments(
        self,
        commitments: &[u8],
        now_unix: u64,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(Challenged, Vec<u8>), BatchError> {
        let msg =
            CommitmentBatch::from_bytes(commitments).map_err(|_| BatchError::Decode("commitments"))?;
        check_certified(
            msg.key_id,
            self.key.key_id(),
            &msg.attributes,
            self.ticket.unverified_body(),
            now_unix,
        )?;
        let (challenged, challenges) = self.registered.challenge_with_rng(&msg, rng)?;
        Ok((Challenged { challenged }, challenges.to_bytes()))
    }
}

/// Challenges computed; waiting for the issuer's answers.
pub struct Challenged {
    challenged: HolderChallenged,
}

impl Challenged {
    /// Unblinds and verifies every token under the issuer key (the batch fails as a whole).
    pub fn on_answers(self, answers: &[u8]) -> Result<Vec<Token>, BatchError> {
        let msg = AnswerBatch::from_bytes(answers).map_err(|_| BatchError::Decode("answers"))?;
        Ok(self.challenged.finish(&msg)?)
    }
}
