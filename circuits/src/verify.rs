//! The venue's verification, step by step (`docs/spec.md` §5.5). Cheap context checks come
//! first so that a stale or misdirected presentation costs no curve arithmetic.
//!
//! The steps are type-states, each consuming the previous one:
//! [`ContextChecked::new`] (steps 2–6) → [`ContextChecked::verify_signature`] (step 7) →
//! [`SignatureVerified::verify_sigma`] (step 8) → [`SigmaVerified::verify_range`](crate::SigmaVerified::verify_range) (step 9)
//! → [`Verified`]. [`verify_vartime`] is their composition.

use greenlight_acl::{IssuerPublicKey, KeyId, TokenId};
use rand_core::{CryptoRng, RngCore};

use crate::context::KeyListDigest;
use crate::policy::{is_standard_window, Policy};
use crate::presentation::Presentation;
use crate::statements::green_recent::SignatureVerified;

/// Why a presentation was rejected. Every variant has a message a door attendant can read
/// (the binaries translate them); none reveals anything about the holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RejectReason {
    #[error("not a valid Greenlight presentation (damaged or wrong code)")]
    BadEncoding,
    #[error("issued under a key this venue does not know or no longer accepts")]
    UnknownKey,
    #[error("the issuer's signature is not valid")]
    BadSignature,
    #[error("the proof is not valid")]
    BadProof,
    #[error("not issued within this venue's window")]
    Stale,
    #[error("made for a different venue")]
    WrongVenue,
    #[error("the phone's clock is too far from this venue's clock")]
    ClockSkew,
    #[error("uses a non-standard window")]
    NonStandardWindow,
    #[error("made for a different window than this venue requires")]
    WrongWindow,
    #[error("proves a different policy than this venue requires")]
    WrongPolicy,
    #[error("already shown (a presentation can be used only once)")]
    Replayed,
    /// Version 2 only: the range proof verifies under none of the key lists the venue holds.
    /// An honest wallet gets this when its key list and the venue's differ by more than one
    /// version (one of them must update) — or when it was served a list nobody else has (a
    /// split view, spec §8.4). A forged range proof also lands here: the digest is not sent,
    /// so "another list" and "invalid range proof" cannot be told apart (an honest wallet
    /// never makes a stale one: it refuses).
    #[error("the wallet's key list and this venue's differ (one of them must update)")]
    KeyListMismatch,
}

/// What the venue expects, from its own configuration and clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VenueExpectations {
    pub venue_id: [u8; 8],
    pub window_hours: u8,
    pub policy: Policy,
    /// The venue's clock in whole hours since the Unix epoch.
    pub now_hours: u32,
    /// How far (in hours) the holder's clock slot may be from the venue's.
    pub clock_tolerance_hours: u32,
    /// The digests of the key lists a version-2 presentation may be bound to, tried in this
    /// order: the venue's current list, then its predecessor (spec §5.5 step 9). Version-1
    /// presentations bind none.
    pub key_lists: Vec<KeyListDigest>,
}

/// Issuer keys the venue accepts now (built from the verified key list).
pub trait IssuerKeys {
    fn issuer_key(&self, key_id: &KeyId) -> Option<&IssuerPublicKey>;
}

impl IssuerKeys for [IssuerPublicKey] {
    fn issuer_key(&self, key_id: &KeyId) -> Option<&IssuerPublicKey> {
        self.iter().find(|k| k.key_id() == *key_id)
    }
}

impl IssuerKeys for Vec<IssuerPublicKey> {
    fn issuer_key(&self, key_id: &KeyId) -> Option<&IssuerPublicKey> {
        self.as_slice().issuer_key(key_id)
    }
}

/// A presentation that passed every check. The caller must still check-and-insert
/// `token_id` into its seen-set (one-show) and reject with [`RejectReason::Replayed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    pub token_id: TokenId,
    pub key_id: KeyId,
}

/// Step 1 of verification: the presentation's context matches the venue's expectations
/// and its issuer key is accepted (§5.5 steps 2–6). No curve arithmetic yet.
#[derive(Clone, Copy)]
#[must_use = "the signature and the proofs are still to be verified"]
pub struct ContextChecked<'a> {
    pres: &'a Presentation,
    pk: &'a IssuerPublicKey,
    key_lists: &'a [KeyListDigest],
}

impl<'a> ContextChecked<'a> {
    /// Check, in this order: policy ([`RejectReason::WrongPolicy`]), window
    /// ([`RejectReason::NonStandardWindow`], [`RejectReason::WrongWindow`]), venue
    /// ([`RejectReason::WrongVenue`]), the holder's clock against the venue's
    /// ([`RejectReason::ClockSkew`]), and look the issuer key up among the accepted ones
    /// ([`RejectReason::UnknownKey`]).
    pub fn new<K: IssuerKeys + ?Sized>(
        pres: &'a Presentation,
        expect: &'a VenueExpectations,
        keys: &'a K,
    ) -> Result<Self, RejectReason> {
        let c = &pres.context;
        if c.policy != expect.policy || c.policy != Policy::GREEN_RECENT {
            return Err(RejectReason::WrongPolicy);
        }
        if !is_standard_window(c.window_hours) {
            return Err(RejectReason::NonStandardWindow);
        }
        if c.window_hours != expect.window_hours {
            return Err(RejectReason::WrongWindow);
        }
        if c.venue_id != expect.venue_id {
            return Err(RejectReason::WrongVenue);
        }
        if c.time_slot_hours.abs_diff(expect.now_hours) > expect.clock_tolerance_hours {
            return Err(RejectReason::ClockSkew);
        }
        let pk = keys.issuer_key(&c.key_id).ok_or(RejectReason::UnknownKey)?;
        Ok(ContextChecked {
            pres,
            pk,
            key_lists: &expect.key_lists,
        })
    }

    /// The presentation being verified.
    pub fn presentation(&self) -> &'a Presentation {
        self.pres
    }

    /// The accepted issuer key named by the presentation.
    pub fn issuer_key(&self) -> &'a IssuerPublicKey {
        self.pk
    }

    /// Verify the token's ACL signature (`docs/spec.md` §3.3) under the issuer key
    /// (§5.5 step 7): [`RejectReason::BadSignature`] if it does not verify.
    pub fn verify_signature(self) -> Result<SignatureVerified<'a>, RejectReason> {
        self.pres
            .signature
            .verify_vartime(self.pk)
            .map_err(|_| RejectReason::BadSignature)?;
        Ok(SignatureVerified::new(self.pres, self.pk, self.key_lists))
    }
}

/// Verify `pres` against the venue's expectations and accepted keys: every step, in order
/// (the composition of [`ContextChecked`], [`SignatureVerified`] and [`SigmaVerified`](crate::SigmaVerified)).
pub fn verify_vartime<K: IssuerKeys + ?Sized, R: RngCore + CryptoRng>(
    pres: &Presentation,
    expect: &VenueExpectations,
    keys: &K,
    rng: &mut R,
) -> Result<Verified, RejectReason> {
    ContextChecked::new(pres, expect, keys)?
        .verify_signature()?
        .verify_sigma()?
        .verify_range(rng)
}
