//! The never-show-twice rule.
//!
//! A token shown twice links the two visits, so a token leaves the wallet **before** its proof
//! exists: [`crate::WalletDocument::withdraw_for_venue`] removes it from the document and
//! returns a [`Withdrawal`]; the adapter saves the document (durably); only then does
//! [`Withdrawal::prove`] build the presentation. If the presentation is lost (a crash, a
//! closed tab) the token is gone, but no retry can ever show it again.

use greenlight_acl::{IssuerPublicKey, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{Policy, Presentation, PresentationContext};
use greenlight_protocol::VenueCode;
use greenlight_wire::hour_of;
use rand_core::{CryptoRng, RngCore};

use crate::error::WalletError;

/// A token taken out of the wallet for one venue, with everything its proof needs.
/// `#[must_use]`: dropping it wastes the token (which is safe, never linkable).
#[must_use = "the token has left the wallet: save the document, then prove"]
pub struct Withdrawal {
    pub(crate) token: Token,
    pub(crate) public_key: IssuerPublicKey,
    pub(crate) context: PresentationContext,
    pub(crate) tokens_left: usize,
}

impl Withdrawal {
    /// The presentation context: {token's key, venue id, current hour, venue window,
    /// green-and-recent, no nonce} (`docs/spec.md` §5).
    pub(crate) fn context_for(
        token: &Token,
        venue: &VenueCode,
        now_unix: u64,
    ) -> PresentationContext {
        PresentationContext {
            key_id: token.key_id(),
            venue_id: venue.venue_id(),
            time_slot_hours: hour_of(now_unix),
            window_hours: venue.window_hours(),
            policy: Policy::GREEN_RECENT,
            nonce: None,
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

    /// Proves green-and-recent. Call only after the document without this token was saved.
    pub fn prove(self, rng: &mut (impl RngCore + CryptoRng)) -> Result<Presentation, WalletError> {
        Ok(green_recent::prove_with_rng(
            &self.token,
            &self.public_key,
            &self.context,
            rng,
        )?)
    }
}
