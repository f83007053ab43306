//! The holder's side of issuance, as a type-state flow the adapter drives over HTTP:
//!
//! ```text
//! Redemption::start(ticket, key, holder secret)   → registrations   ──► POST /v1/issuance/start
//! AwaitingCommitments::on_commitments(bytes)      → challenges      ──► POST /v1/issuance/finish
//! AwaitingAnswers::on_answers(bytes)              → verified tokens
//! ```
//!
//! Before blinding anything the holder checks that the issuer certified exactly the ticket's
//! attributes, stamped with the current hour ([`greenlight_issuance::check_certified`]); after
//! the answers, every token is verified under the issuer key, and the batch fails as a whole
//! otherwise. Each state is consumed by the next step, so no step can be repeated or skipped.

use greenlight_acl::issuance::{
    AnswerBatch, CommitmentBatch, HolderChallenged, HolderRegistered, HolderRequest,
};
use greenlight_acl::{IssuerPublicKey, Token};
use greenlight_issuance::check_certified;
use greenlight_protocol::{verifying_key_from_bytes, ProtocolError, Ticket};
use greenlight_venue::TrustedKeyList;
use rand_core::{CryptoRng, RngCore};

use crate::error::WalletError;
use crate::profile::HolderSecret;

/// Most tokens requested in one batch (the issuer's limit, `lengths::MAX_BATCH`).
pub const MAX_BATCH: u16 = greenlight_wire::lengths::MAX_BATCH as u16;

/// Most keys one region may have issuing at the same time (the old and the new key during a
/// rotation): one of the key list's anti-tagging rules, all of which live in
/// [`greenlight_protocol::KeyListBody::check_anti_tagging`].
pub use greenlight_protocol::MAX_ISSUING_KEYS_PER_REGION;

/// The key an issuer says it issues with, once the wallet has accepted it
/// ([`issuing_key_in_region`]).
#[derive(Clone, Debug)]
pub struct IssuingKey {
    /// The key, decoded.
    pub key: IssuerPublicKey,
    /// Its issuer's region, as listed (what [`check_region_pin`] compares).
    pub region: String,
    /// Its issuer's display name, as listed.
    pub issuer_name: String,
}

/// The key the issuer says it issues with, if the wallet accepts it: the key list passes the
/// anti-tagging rules at `now_unix` ([`greenlight_protocol::KeyListBody::check_anti_tagging`]:
/// no look-alike regions or names, every live key issuing for at least 14 days, at most 2 keys
/// of a region and 72 of the list issuing at once), and the key is listed, inside its issuing
/// period and not revoked.
pub fn issuing_key(
    trust: &TrustedKeyList,
    key_id: &[u8; 8],
    now_unix: u64,
) -> Result<IssuerPublicKey, WalletError> {
    issuing_key_in_region(trust, key_id, now_unix).map(|k| k.key)
}

/// [`issuing_key`], with the key's region and issuer name (for [`check_region_pin`]).
pub fn issuing_key_in_region(
    trust: &TrustedKeyList,
    key_id: &[u8; 8],
    now_unix: u64,
) -> Result<IssuingKey, WalletError> {
    let body = trust.body();
    body.check_anti_tagging(now_unix)?;
    let (issuer, entry) =
        body.issues(key_id, now_unix)
            .map_err(|reason| WalletError::IssuingKey {
                key_id: hex::encode(key_id),
                reason,
            })?;
    let key = IssuerPublicKey::from_compressed(&entry.public_key)
        .ok_or_else(|| WalletError::InvalidListedKey(hex::encode(key_id)))?;
    Ok(IssuingKey {
        key,
        region: issuer.region.clone(),
        issuer_name: issuer.display_name.clone(),
    })
}

/// What a redeem does to a profile's region pin ([`check_region_pin`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionPin {
    /// The profile had no region yet (a new profile, or a wallet from before pins): this
    /// redeem pins it.
    New,
    /// The same region as before.
    Kept,
    /// Another region, allowed by the holder's explicit override; the pin moves.
    Moved {
        /// The region pinned before.
        from: String,
    },
}

/// The region pin: a profile redeems under keys of the region it first redeemed in. An
/// issuer may name a key of *any* listed region as its issuing key, so without the pin it
/// could move a holder to another region's key at each redeem and sort holders across the
/// whole list; with it, later redeems can only fall among the at most
/// [`MAX_ISSUING_KEYS_PER_REGION`] keys of the pinned region. One pin per profile, not per
/// wallet: a family wallet holds people who live, and get their tickets, in different regions.
///
/// `pinned` is the profile's region ([`crate::WalletDocument::pinned_region`]); `region` that
/// of the offered key. Another region is refused ([`WalletError::RegionChanged`]) unless
/// `new_region` (the holder's explicit override, `--new-region`: they have moved).
pub fn check_region_pin(
    profile: &str,
    pinned: Option<&str>,
    region: &str,
    new_region: bool,
) -> Result<RegionPin, WalletError> {
    match pinned {
        None => Ok(RegionPin::New),
        Some(p) if p == region => Ok(RegionPin::Kept),
        Some(p) if new_region => Ok(RegionPin::Moved { from: p.to_owned() }),
        Some(p) => Err(WalletError::RegionChanged {
            profile: profile.to_owned(),
            pinned: p.to_owned(),
            offered: region.to_owned(),
        }),
    }
}

/// Whether a ticket can be redeemed at `now_unix` (checked locally, before any network
/// traffic).
pub fn check_ticket_time(ticket: &Ticket, now_unix: u64) -> Result<(), WalletError> {
    match ticket.unverified_body().check_time(now_unix) {
        Ok(()) => Ok(()),
        Err(ProtocolError::Expired { not_after }) => Err(WalletError::TicketExpired { not_after }),
        Err(ProtocolError::NotYetValid { not_before }) => {
            Err(WalletError::TicketNotYetValid { not_before })
        }
        Err(e) => Err(WalletError::BadTicket(e.to_string())),
    }
}

/// Whether `ticket` is signed by the authority whose tickets the server accepts — the key it
/// publishes in `/v1/keys` (`authority_public_key`) — checked before redeeming, so a ticket
/// for another issuer (or a forged one) is refused before any issuance work, with its own
/// reason. `None`: the server publishes no key (one from before it did), nothing to check;
/// the server checks every ticket itself anyway.
pub fn check_ticket_authority(
    ticket: &Ticket,
    authority_public_key: Option<&[u8; 32]>,
) -> Result<(), WalletError> {
    let Some(bytes) = authority_public_key else {
        return Ok(());
    };
    let key = verifying_key_from_bytes(bytes).map_err(|_| WalletError::TicketAuthority)?;
    ticket
        .verify(&key)
        .map(|_| ())
        .map_err(|_| WalletError::TicketAuthority)
}

/// The batch sizes a ticket of `tokens` tokens is redeemed in, on a server whose `/v1/keys`
/// publishes `server_max_batch` (absent: 64): as few batches as the smaller of that and
/// [`MAX_BATCH`] allows, their sizes differing by at most one (10 tokens at most 4 per batch:
/// 4, 3, 3). A published 0 is read as 1. Each batch is one `start`/`finish`; the adapter
/// stores each batch's tokens before starting the next, so a failure part-way loses nothing
/// already issued.
pub fn batch_sizes(tokens: u16, server_max_batch: Option<u16>) -> Vec<usize> {
    let tokens = usize::from(tokens);
    let max = usize::from(server_max_batch.unwrap_or(u16::MAX)).clamp(1, usize::from(MAX_BATCH));
    let batches = tokens.div_ceil(max);
    (0..batches)
        .map(|i| tokens / batches + usize::from(i < tokens % batches))
        .collect()
}

/// The batches still to ask for while a ticket is redeemed ([`batch_sizes`]), re-planned when
/// the issuer says fewer tokens are left than planned — a redeem that stopped part-way
/// (stored what it got, then failed) and is run again asks for the whole ticket, and the
/// issuer answers `quota_exceeded` with the count left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchPlan {
    pending: std::collections::VecDeque<usize>,
    server_max_batch: Option<u16>,
    started: usize,
}

impl BatchPlan {
    /// The plan for a ticket of `tokens` on a server publishing `server_max_batch`.
    pub fn new(tokens: u16, server_max_batch: Option<u16>) -> Self {
        BatchPlan {
            pending: batch_sizes(tokens, server_max_batch).into(),
            server_max_batch,
            started: 0,
        }
    }

    /// The next batch's size, if any is left.
    pub fn next_batch(&mut self) -> Option<usize> {
        let n = self.pending.pop_front()?;
        self.started += 1;
        Some(n)
    }

    /// Batches begun so far, and in all (as planned now).
    pub fn progress(&self) -> (usize, usize) {
        (self.started, self.started + self.pending.len())
    }

    /// The batch just begun was refused with `quota_exceeded`, and the ticket has `remaining`
    /// tokens left: ask for those instead of the rest of the plan. Returns `false` when none
    /// are left (or the refused batch already asked for no more than that, so asking again
    /// cannot help): the refusal stands.
    pub fn on_quota_exceeded(&mut self, refused: usize, remaining: u16) -> bool {
        if remaining == 0 || usize::from(remaining) >= refused {
            return false;
        }
        self.pending = batch_sizes(remaining, self.server_max_batch).into();
        true
    }
}

/// Entry point of the holder's flow.
pub struct Redemption;

impl Redemption {
    /// Registers `min(tokens, 64)` tokens under `holder` for `ticket` with the issuer key
    /// `key`; returns the state and the registrations to send.
    pub fn start(
        ticket: &Ticket,
        key: IssuerPublicKey,
        holder: &HolderSecret,
        now_unix: u64,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(AwaitingCommitments, Vec<u8>), WalletError> {
        check_ticket_time(ticket, now_unix)?;
        let n = usize::from(ticket.unverified_body().tokens().min(MAX_BATCH));
        Self::start_batch(ticket, key, holder, n, rng)
    }

    /// The same flow for one batch of `n` tokens (1..=64) of a ticket that is redeemed in
    /// several ([`batch_sizes`]), with the local time check.
    pub fn start_part(
        ticket: &Ticket,
        key: IssuerPublicKey,
        holder: &HolderSecret,
        n: usize,
        now_unix: u64,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(AwaitingCommitments, Vec<u8>), WalletError> {
        check_ticket_time(ticket, now_unix)?;
        Self::start_batch(ticket, key, holder, n, rng)
    }

    /// The same flow for `n` tokens of the ticket (1..=64), without the local time check: a
    /// wallet redeems its whole ticket with [`Redemption::start`]; issuer tests, the crash
    /// test and the load tool ask for part of a ticket, or race batches on one ticket.
    pub fn start_batch(
        ticket: &Ticket,
        key: IssuerPublicKey,
        holder: &HolderSecret,
        n: usize,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(AwaitingCommitments, Vec<u8>), WalletError> {
        let ticket_id = ticket.unverified_body().ticket_id();
        let (registered, registrations) =
            HolderRequest::new_with_rng(&key, &ticket_id, holder.scalar(), n, rng)?;
        Ok((
            AwaitingCommitments {
                ticket: ticket.clone(),
                key,
                registered,
                n,
            },
            registrations.to_bytes(),
        ))
    }
}

/// Registrations sent; waiting for the issuer's commitments.
pub struct AwaitingCommitments {
    ticket: Ticket,
    key: IssuerPublicKey,
    registered: HolderRegistered,
    n: usize,
}

impl AwaitingCommitments {
    /// Tokens asked for.
    pub fn tokens(&self) -> usize {
        self.n
    }

    /// Checks the certified attributes (against the ticket and `now_unix`), then blinds;
    /// returns the state and the challenges to send.
    pub fn on_commitments(
        self,
        commitments: &[u8],
        now_unix: u64,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(AwaitingAnswers, Vec<u8>), WalletError> {
        let msg =
            CommitmentBatch::from_bytes(commitments).map_err(|e| WalletError::BadMessage {
                what: "commitments",
                detail: e.to_string(),
            })?;
        check_certified(
            msg.key_id,
            self.key.key_id(),
            &msg.attributes,
            self.ticket.unverified_body(),
            now_unix,
        )?;
        let (challenged, challenges) = self.registered.challenge_with_rng(&msg, rng)?;
        Ok((
            AwaitingAnswers {
                challenged,
                n: self.n,
            },
            challenges.to_bytes(),
        ))
    }
}

/// Challenges sent; waiting for the issuer's answers.
pub struct AwaitingAnswers {
    challenged: HolderChallenged,
    n: usize,
}

impl AwaitingAnswers {
    /// Tokens asked for.
    pub fn tokens(&self) -> usize {
        self.n
    }

    /// Unblinds and verifies every token under the issuer key; fails the whole batch if any
    /// does not verify.
    pub fn on_answers(self, answers: &[u8]) -> Result<Vec<Token>, WalletError> {
        let msg = AnswerBatch::from_bytes(answers).map_err(|e| WalletError::BadMessage {
            what: "answers",
            detail: e.to_string(),
        })?;
        Ok(self.challenged.finish(&msg)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_ticket_is_checked_against_the_authority_the_server_publishes() {
        let mut world = greenlight_testkit::World::new(7);
        let other = greenlight_testkit::World::new(8);
        let ticket = world.ticket("sub-1", greenlight_protocol::Status::Green, 2);
        let own = world.authority_public.to_bytes();
        check_ticket_authority(&ticket, Some(&own)).unwrap();
        // Nothing published: nothing to check.
        check_ticket_authority(&ticket, None).unwrap();
        // Another authority's key, or no key at all.
        let foreign = other.authority_public.to_bytes();
        assert!(matches!(
            check_ticket_authority(&ticket, Some(&foreign)),
            Err(WalletError::TicketAuthority)
        ));
        assert!(matches!(
            check_ticket_authority(&ticket, Some(&[0xff; 32])),
            Err(WalletError::TicketAuthority)
        ));
    }

    #[test]
    fn batches_of_a_ticket() {
        assert_eq!(batch_sizes(10, None), [10]);
        assert_eq!(batch_sizes(10, Some(4)), [4, 3, 3]);
        assert_eq!(batch_sizes(10, Some(1)), [1; 10]);
        assert_eq!(batch_sizes(64, Some(1024)), [64]);
        assert_eq!(batch_sizes(3, Some(0)), [1, 1, 1]);
        assert!(batch_sizes(0, Some(4)).is_empty());
    }

    #[test]
    fn a_plan_shrinks_to_what_the_issuer_says_is_left() {
        let mut plan = BatchPlan::new(5, None);
        assert_eq!(plan.next_batch(), Some(5));
        // Two tokens were taken by an earlier, interrupted redeem: three are left.
        assert!(plan.on_quota_exceeded(5, 3));
        assert_eq!(plan.progress(), (1, 2));
        assert_eq!(plan.next_batch(), Some(3));
        assert_eq!(plan.next_batch(), None);
        // Nothing left, or no fewer than were asked: the refusal stands.
        let mut plan = BatchPlan::new(4, Some(2));
        assert_eq!(plan.next_batch(), Some(2));
        assert!(!plan.on_quota_exceeded(2, 0));
        assert!(!plan.on_quota_exceeded(2, 2));
        assert!(plan.on_quota_exceeded(2, 1));
        assert_eq!((plan.next_batch(), plan.next_batch()), (Some(1), None));
    }

    proptest! {
        #[test]
        fn batches_cover_the_ticket_within_the_cap(tokens in 0u16..=2000, cap in proptest::option::of(0u16..=200)) {
            let sizes = batch_sizes(tokens, cap);
            let max = usize::from(cap.unwrap_or(u16::MAX)).clamp(1, usize::from(MAX_BATCH));
            prop_assert_eq!(sizes.iter().sum::<usize>(), usize::from(tokens));
            prop_assert!(sizes.iter().all(|&n| (1..=max).contains(&n)));
            prop_assert_eq!(sizes.len(), usize::from(tokens).div_ceil(max));
            let (lo, hi) = (sizes.iter().min(), sizes.iter().max());
            if let (Some(lo), Some(hi)) = (lo, hi) {
                prop_assert!(hi - lo <= 1);
            }
        }
    }
}
