//! The never-show-twice rule.
//!
//! A token shown twice links the two visits, so a token leaves the wallet **before** its proof
//! exists. [`present`] is the only way to a presentation: it loads the document from its
//! [`WalletStorage`], takes the token out ([`crate::WalletDocument::withdraw_for_venue`]),
//! saves the document (durably), and only then proves. If the presentation is lost (a crash,
//! a closed tab) the token is gone, but no retry can ever show it again. A front end cannot
//! get the order wrong: [`Withdrawal`] cannot be proven outside this crate.

use greenlight_acl::{IssuerPublicKey, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{
    KeyListBinding, KeyListDigest, Policy, Presentation, PresentationContext,
};
use greenlight_protocol::VenueCode;
use greenlight_wire::hour_of;
use rand_core::{CryptoRng, RngCore};

use crate::error::WalletError;
use crate::profile::validate_profile;
use crate::WalletStorage;

/// Why [`present`] failed: a rule of the wallet, or the storage.
#[derive(Debug)]
pub enum PresentFailure<E> {
    /// The wallet refused (no fitting token, a bad profile, proving failed).
    Wallet(WalletError),
    /// Loading or saving the document failed; if saving failed, nothing was shown.
    Storage(E),
}

impl<E> From<WalletError> for PresentFailure<E> {
    fn from(e: WalletError) -> Self {
        PresentFailure::Wallet(e)
    }
}

/// A presentation made by [`present`].
pub struct Presented {
    /// The proof to show.
    pub presentation: Presentation,
    /// Tokens left in the profile.
    pub tokens_left: usize,
}

/// Shows `venue` a green-and-recent proof from `profile` at `now_unix`: load, take the token
/// out, save durably, then prove — in that order, always.
pub fn present<S: WalletStorage>(
    storage: &mut S,
    profile: &str,
    venue: &VenueCode,
    now_unix: u64,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Presented, PresentFailure<S::Error>> {
    validate_profile(profile)?;
    let mut doc = storage
        .load()
        .map_err(PresentFailure::Storage)?
        .ok_or_else(|| WalletError::UnknownProfile {
            profile: profile.to_owned(),
            profiles: Vec::new(),
        })?;
    let withdrawal = doc.withdraw_for_venue(profile, venue, now_unix)?;
    storage.save(&doc).map_err(PresentFailure::Storage)?;
    let tokens_left = withdrawal.tokens_left;
    Ok(Presented {
        presentation: withdrawal.prove(rng)?,
        tokens_left,
    })
}

/// A token taken out of the wallet for one venue, with everything its proof needs.
/// `#[must_use]`: dropping it wastes the token (which is safe, never linkable).
#[must_use = "the token has left the wallet"]
pub struct Withdrawal {
    pub(crate) token: Token,
    pub(crate) public_key: IssuerPublicKey,
    pub(crate) context: PresentationContext,
    pub(crate) tokens_left: usize,
}

impl Withdrawal {
    /// The presentation context: {token's key, venue id, current hour, venue window,
    /// green-and-recent, the key list presented under} (`docs/spec.md` §5): always wire
    /// version 2.
    pub(crate) fn context_for(
        token: &Token,
        venue: &VenueCode,
        now_unix: u64,
        key_list: KeyListDigest,
    ) -> PresentationContext {
        PresentationContext {
            key_id: token.key_id(),
            venue_id: venue.venue_id(),
            time_slot_hours: hour_of(now_unix),
            window_hours: venue.window_hours(),
            policy: Policy::GREEN_RECENT,
            key_list: KeyListBinding::Digest(key_list),
        }
    }

    /// Tokens left in the profile after this one.
    pub fn tokens_left(&self) -> usize {
        self.tokens_left
    }

    /// The context the proof will be made for.
    pub fn context(&self) -> &PresentationContext {
        &self.context
    }

    /// Proves green-and-recent; [`present`] calls it only after the document without this
    /// token was saved.
    pub(crate) fn prove(
        self,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Presentation, WalletError> {
        Ok(green_recent::prove_with_rng(
            &self.token,
            &self.public_key,
            &self.context,
            rng,
        )?)
    }
}

/// [`present`] for a front end whose storage is asynchronous (the web wallet's IndexedDB),
/// where a [`WalletStorage::save`] cannot block: the same order, in two calls.
///
/// [`WalletDocument::withdraw_pending`](crate::WalletDocument::withdraw_pending) takes the
/// token out and encodes the document *without* it; the front end stores
/// [`PendingPresentation::document_to_save`] durably and only then calls
/// [`PendingPresentation::prove_after_save`]. If the tab dies in between, the token is gone
/// but was never shown — never shown twice.
#[must_use = "the token has left the wallet"]
pub struct PendingPresentation {
    pub(crate) withdrawal: Withdrawal,
    pub(crate) document: zeroize::Zeroizing<Vec<u8>>,
}

impl PendingPresentation {
    /// The wallet document without the withdrawn token: store it before proving.
    pub fn document_to_save(&self) -> &[u8] {
        &self.document
    }

    /// Tokens left in the profile.
    pub fn tokens_left(&self) -> usize {
        self.withdrawal.tokens_left
    }

    /// The context the proof will be made for.
    pub fn context(&self) -> &PresentationContext {
        &self.withdrawal.context
    }

    /// Proves green-and-recent; call it once [`Self::document_to_save`] is stored.
    pub fn prove_after_save(
        self,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Presentation, WalletError> {
        self.withdrawal.prove(rng)
    }
}
