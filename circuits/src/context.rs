//! The presentation context: chosen before anything else enters the transcript.

use greenlight_acl::{generators, IssuerPublicKey, KeyId};
use greenlight_sigma::labels;
use greenlight_wire::lengths::KEY_LIST_DIGEST_LEN;
use greenlight_wire::{VERSION_1, VERSION_2};
use merlin::Transcript;

use crate::policy::Policy;

/// The digest of a key list (`greenlight_wire::ids::key_list_digest`, `docs/spec.md` §7.3).
pub type KeyListDigest = [u8; KEY_LIST_DIGEST_LEN];

/// Which key list a presentation is bound to — and so its wire version.
///
/// Version 2 binds the digest of the key list the holder presents under into the transcript
/// without sending it — after the Σ-proof, before the range proof (§5.2 step 13) — so a venue
/// holding another list cannot verify the range proof, and a holder who was served a list
/// nobody else has is noticed at the first door (§8.4). The Σ-proof does not depend on it:
/// a red token forced into a green proof is still told apart ("bad proof").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyListBinding {
    /// Wire version 1: no key list is bound (step 10 is the empty nonce slot).
    None,
    /// Wire version 2, bound to this digest: what a wallet proves under.
    Digest(KeyListDigest),
    /// Wire version 2 as received: the digest is not sent, and the venue tries the digests
    /// of the lists it holds ([`crate::VenueExpectations::key_lists`]).
    Unsent,
}

impl KeyListBinding {
    /// The wire version of a presentation with this binding.
    pub fn wire_version(&self) -> u8 {
        match self {
            KeyListBinding::None => VERSION_1,
            KeyListBinding::Digest(_) | KeyListBinding::Unsent => VERSION_2,
        }
    }
}

/// Everything a presentation is bound to. All of it travels in the presentation (the venue
/// checks each field against its own expectations and clock) except the parameter digest,
/// which both sides compute, and the key-list digest of version 2, which both sides hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresentationContext {
    /// Issuer key the token was signed under (reveals the holder's issuing region).
    pub key_id: KeyId,
    /// The venue's id (from its venue code).
    pub venue_id: [u8; 8],
    /// The holder's clock, in whole hours since the Unix epoch.
    pub time_slot_hours: u32,
    /// The window `W` in hours (from the standard set).
    pub window_hours: u8,
    /// What is being proven.
    pub policy: Policy,
    /// The key list bound (version 2), or none (version 1).
    pub key_list: KeyListBinding,
}

impl PresentationContext {
    /// `t_min = time_slot − W`: the oldest issuance hour the range proof accepts.
    pub fn t_min(&self) -> u32 {
        self.time_slot_hours
            .saturating_sub(u32::from(self.window_hours))
    }

    /// The wire version of a presentation made in this context.
    pub fn wire_version(&self) -> u8 {
        self.key_list.wire_version()
    }

    /// Start the presentation transcript (`docs/spec.md` §5.2, steps 1–10 in version 1,
    /// 1–9 in version 2).
    pub fn transcript(&self, pk: &IssuerPublicKey) -> Transcript {
        let (label, version) = match self.key_list {
            KeyListBinding::None => (labels::PRESENTATION_TRANSCRIPT, VERSION_1),
            KeyListBinding::Digest(_) | KeyListBinding::Unsent => {
                (labels::PRESENTATION_TRANSCRIPT_V2, VERSION_2)
            }
        };
        let mut t = Transcript::new(label);
        t.append_message(labels::CTX_VERSION, &[version]);
        t.append_message(labels::CTX_PARAMS, &generators().params_digest);
        t.append_message(labels::CTX_KEY_ID, &self.key_id.0);
        t.append_message(labels::ISSUER_Y, &pk.y_bytes());
        t.append_message(labels::CTX_VENUE, &self.venue_id);
        t.append_u64(labels::CTX_TIME, u64::from(self.time_slot_hours));
        t.append_u64(labels::CTX_WINDOW, u64::from(self.window_hours));
        t.append_u64(labels::CTX_POLICY, u64::from(self.policy.as_u8()));
        if self.key_list == KeyListBinding::None {
            // Step 10 of version 1: the venue-nonce slot, always empty (docs/spec.md §5.1: no
            // nonce can reach a wallet in v1, so the option was removed; the empty append
            // keeps the transcript, and so every v1 proof, unchanged). Version 2 has no slot.
            t.append_message(labels::CTX_NONCE, b"");
        }
        t
    }
}
