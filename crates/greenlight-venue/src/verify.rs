//! Verification at the door: text in, a [`Verdict`] with a stable reason out.

use greenlight_acl::TokenId;
use greenlight_circuits::{verify_vartime, Presentation, RejectReason};
use greenlight_protocol::{detect_kind, Kind};
use greenlight_wire::{hour_of, Codec};
use rand_core::{CryptoRng, RngCore};

use crate::config::VenueConfig;
use crate::error::SeenError;
use crate::seen::SeenSet;

/// Longer text is refused as [`Reason::TooLarge`] before anything else is looked at (so a
/// pasted file is not even classified). A presentation is 1 721 characters as text
/// (`GLP1:` + base45 of 1 144 bytes, wire version 2; 1 627 in version 1); the decoder's own
/// bound is that, so nothing that could decode is refused by this coarser one.
pub const MAX_PRESENTATION_TEXT: usize = 16 * 1024;

/// Why a presentation was refused: one list for every verifier. [`Reason::code`] is the
/// stable word the browser page translates by; the CLI maps each variant to its own
/// localized message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// A check of the presentation itself failed (spec §5.5; [`RejectReason::Replayed`] is
    /// the seen-set's check-and-insert).
    #[error("{0}")]
    Check(RejectReason),
    /// Not a Greenlight code at all (no known prefix, not text).
    #[error("not a Greenlight code")]
    NotGreenlight,
    /// Another kind of Greenlight code (a ticket, the venue's own code, a key list).
    #[error("not a visitor's code (this is a {0})")]
    WrongKind(Kind),
    /// Far larger than any presentation.
    #[error("far too large to be a presentation")]
    TooLarge,
    /// An image without a readable QR code (reported by adapters that read images).
    #[error("no QR code found in the image")]
    NoQrCode,
    /// An image that could not be decoded (reported by adapters that read images).
    #[error("the image could not be decoded")]
    UnreadableImage,
    /// The seen-set already holds [`crate::MAX_SEEN_ENTRIES`] ids: a new one could not be
    /// recorded, so it is not accepted (it could otherwise be replayed).
    #[error("the seen-set is full")]
    SeenFull,
    /// A presentation of a wire version this venue no longer accepts
    /// (`venue.json` `min_presentation_version`; spec §9): made by a wallet not updated.
    #[error(
        "made by an outdated wallet (presentation version {0}), which this venue no longer accepts"
    )]
    VersionRetired(u8),
}

impl Reason {
    /// Every reason, for tables and tests (`WrongKind` once, as a venue code).
    pub const ALL: [Reason; 19] = [
        Reason::Check(RejectReason::BadEncoding),
        Reason::Check(RejectReason::UnknownKey),
        Reason::Check(RejectReason::BadSignature),
        Reason::Check(RejectReason::BadProof),
        Reason::Check(RejectReason::Stale),
        Reason::Check(RejectReason::WrongVenue),
        Reason::Check(RejectReason::ClockSkew),
        Reason::Check(RejectReason::NonStandardWindow),
        Reason::Check(RejectReason::WrongWindow),
        Reason::Check(RejectReason::WrongPolicy),
        Reason::Check(RejectReason::Replayed),
        Reason::Check(RejectReason::KeyListMismatch),
        Reason::NotGreenlight,
        Reason::WrongKind(Kind::VenueCode),
        Reason::TooLarge,
        Reason::NoQrCode,
        Reason::UnreadableImage,
        Reason::SeenFull,
        Reason::VersionRetired(1),
    ];

    /// Stable snake_case code (the same words as the variants). Never changes meaning: the
    /// browser page's translations and any log reader key on it.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Check(r) => match r {
                RejectReason::BadEncoding => "bad_encoding",
                RejectReason::UnknownKey => "unknown_key",
                RejectReason::BadSignature => "bad_signature",
                RejectReason::BadProof => "bad_proof",
                RejectReason::Stale => "stale",
                RejectReason::WrongVenue => "wrong_venue",
                RejectReason::ClockSkew => "clock_skew",
                RejectReason::NonStandardWindow => "non_standard_window",
                RejectReason::WrongWindow => "wrong_window",
                RejectReason::WrongPolicy => "wrong_policy",
                RejectReason::Replayed => "replayed",
                RejectReason::KeyListMismatch => "key_list_mismatch",
            },
            Reason::NotGreenlight => "not_greenlight",
            Reason::WrongKind(_) => "wrong_kind",
            Reason::TooLarge => "too_large",
            Reason::NoQrCode => "no_qr_code",
            Reason::UnreadableImage => "unreadable_image",
            Reason::SeenFull => "seen_full",
            Reason::VersionRetired(_) => "version_retired",
        }
    }
}

impl From<RejectReason> for Reason {
    fn from(r: RejectReason) -> Self {
        Reason::Check(r)
    }
}

/// An accepted presentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// `ζ1`: random per token; links two shows of the same token and nothing else.
    pub token_id: TokenId,
    pub key_id: [u8; 8],
    /// The issuing region and the issuer's name, from the key list.
    pub region: String,
    pub issuer_name: String,
}

/// The public ids of a presentation that decoded (shown with a rejection, for the operator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shown {
    pub token_id: TokenId,
    pub key_id: [u8; 8],
}

/// Accept or reject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Accept(Accepted),
    Reject(Reason),
}

/// The answer for the door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The venue clock used, in whole hours since the Unix epoch.
    pub now_hours: u32,
    /// What the text claims to be by its prefix, so a page can say "this is the venue's own
    /// code" rather than just "invalid".
    pub scanned_kind: Option<Kind>,
    /// The presentation's ids, when it decoded.
    pub shown: Option<Shown>,
}

impl Verdict {
    pub fn is_accept(&self) -> bool {
        matches!(self.outcome, Outcome::Accept(_))
    }
    /// The reason of a rejection.
    pub fn reason(&self) -> Option<Reason> {
        match self.outcome {
            Outcome::Accept(_) => None,
            Outcome::Reject(r) => Some(r),
        }
    }
    /// `"ok"` or the reason's [`Reason::code`].
    pub fn code(&self) -> &'static str {
        self.reason().map_or("ok", |r| r.code())
    }
    /// A verdict for input that never reached [`VenueConfig::check`] (an adapter's image
    /// reader found no code, say).
    pub fn reject_input(reason: Reason, now_unix: u64) -> Verdict {
        Verdict {
            outcome: Outcome::Reject(reason),
            now_hours: hour_of(now_unix),
            scanned_kind: None,
            shown: None,
        }
    }
}

/// A rejection from [`VenueConfig::check`] (a [`Verdict`] without the accepting half).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub reason: Reason,
    pub now_hours: u32,
    pub scanned_kind: Option<Kind>,
    pub shown: Option<Shown>,
}

impl From<Rejected> for Verdict {
    fn from(r: Rejected) -> Self {
        Verdict {
            outcome: Outcome::Reject(r.reason),
            now_hours: r.now_hours,
            scanned_kind: r.scanned_kind,
            shown: r.shown,
        }
    }
}

/// A presentation that passed every check but the seen-set. Only [`VenueConfig::check`]
/// makes one; [`VenueConfig::admit`] consumes it.
#[derive(Clone, Debug)]
pub struct Checked {
    accepted: Accepted,
    now_hours: u32,
}

impl Checked {
    pub fn token_id(&self) -> &TokenId {
        &self.accepted.token_id
    }
}

impl VenueConfig {
    /// [`VenueConfig::check`] then [`VenueConfig::admit`]: the whole verification of one
    /// presentation text at `now_unix`. `seen` is pruned to the retention whatever the
    /// verdict; a rejected presentation never enters it. `rng` randomises the batched
    /// range-proof check. Never panics, whatever `text` is.
    pub fn verify<R: RngCore + CryptoRng>(
        &self,
        text: &str,
        now_unix: u64,
        seen: &mut SeenSet,
        rng: &mut R,
    ) -> Verdict {
        match self.check(text, now_unix, rng) {
            Ok(checked) => self.admit(checked, seen),
            Err(rejected) => {
                seen.prune(rejected.now_hours, self.seen_retention_hours());
                rejected.into()
            }
        }
    }

    /// Everything but the seen-set (spec §5.5 steps 1–9): size, kind, decoding, then
    /// `verify_vartime` against this venue's id, window, policy, clock tolerance and the keys
    /// accepted at `now_unix`. Adapters that must hold a lock around the seen-set call this
    /// first, outside the lock, then [`VenueConfig::admit`].
    pub fn check<R: RngCore + CryptoRng>(
        &self,
        text: &str,
        now_unix: u64,
        rng: &mut R,
    ) -> Result<Checked, Rejected> {
        let now_hours = hour_of(now_unix);
        let text = text.trim();
        let scanned_kind = detect_kind(text);
        let reject = |reason: Reason, shown: Option<Shown>| Rejected {
            reason,
            now_hours,
            scanned_kind,
            shown,
        };
        if text.len() > MAX_PRESENTATION_TEXT {
            return Err(reject(Reason::TooLarge, None));
        }
        match scanned_kind {
            Some(Kind::Presentation) => {}
            Some(kind) => return Err(reject(Reason::WrongKind(kind), None)),
            None => return Err(reject(Reason::NotGreenlight, None)),
        }
        let Ok(pres) = Presentation::from_text(text) else {
            return Err(reject(Reason::Check(RejectReason::BadEncoding), None));
        };
        let shown = Shown {
            token_id: pres.token_id(),
            key_id: pres.context.key_id.0,
        };
        // Before the proofs: a retired version is refused whatever it proves, and cheaply.
        if pres.version() < self.min_presentation_version() {
            return Err(reject(Reason::VersionRetired(pres.version()), Some(shown)));
        }
        let keys = self.accepted_keys(now_unix);
        let verified = verify_vartime(&pres, &self.expectations(now_hours), &keys, rng)
            .map_err(|r| reject(Reason::Check(r), Some(shown)))?;
        let Some(key) = keys.get(&verified.key_id) else {
            // verify_vartime only passes presentations under a key of `keys`.
            return Err(reject(Reason::Check(RejectReason::UnknownKey), Some(shown)));
        };
        Ok(Checked {
            accepted: Accepted {
                token_id: verified.token_id,
                key_id: verified.key_id.0,
                region: key.region().to_owned(),
                issuer_name: key.issuer_name().to_owned(),
            },
            now_hours,
        })
    }

    /// Step 10: prune `seen` to [`VenueConfig::seen_retention_hours`], then check-and-insert
    /// the token id. A replay is rejected; so is a new id when the set is full.
    pub fn admit(&self, checked: Checked, seen: &mut SeenSet) -> Verdict {
        let Checked {
            accepted,
            now_hours,
        } = checked;
        seen.prune(now_hours, self.seen_retention_hours());
        let shown = Shown {
            token_id: accepted.token_id,
            key_id: accepted.key_id,
        };
        let outcome = match seen.check_and_insert(accepted.token_id, now_hours) {
            Ok(true) => Outcome::Accept(accepted),
            Ok(false) => Outcome::Reject(Reason::Check(RejectReason::Replayed)),
            Err(SeenError::Full) => Outcome::Reject(Reason::SeenFull),
            // check_and_insert reports nothing else.
            Err(_) => Outcome::Reject(Reason::SeenFull),
        };
        Verdict {
            outcome,
            now_hours,
            scanned_kind: Some(Kind::Presentation),
            shown: Some(shown),
        }
    }
}
