//! The presentation context: chosen before anything else enters the transcript.

use greenlight_acl::{generators, IssuerPublicKey, KeyId};
use greenlight_sigma::labels;
use merlin::Transcript;

use crate::policy::Policy;

/// Everything a presentation is bound to. All of it travels in the presentation (the venue
/// checks each field against its own expectations and clock) except the parameter digest,
/// which both sides compute.
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
}

impl PresentationContext {
    /// `t_min = time_slot − W`: the oldest issuance hour the range proof accepts.
    pub fn t_min(&self) -> u32 {
        self.time_slot_hours
            .saturating_sub(u32::from(self.window_hours))
    }

    /// Start the presentation transcript (`docs/spec.md` §5.2, steps 1–10).
    pub fn transcript(&self, pk: &IssuerPublicKey) -> Transcript {
        let mut t = Transcript::new(labels::PRESENTATION_TRANSCRIPT);
        t.append_message(labels::CTX_VERSION, &[greenlight_wire::VERSION_1]);
        t.append_message(labels::CTX_PARAMS, &generators().params_digest);
        t.append_message(labels::CTX_KEY_ID, &self.key_id.0);
        t.append_message(labels::ISSUER_Y, &pk.y_bytes());
        t.append_message(labels::CTX_VENUE, &self.venue_id);
        t.append_u64(labels::CTX_TIME, u64::from(self.time_slot_hours));
        t.append_u64(labels::CTX_WINDOW, u64::from(self.window_hours));
        t.append_u64(labels::CTX_POLICY, u64::from(self.policy.as_u8()));
        // Step 10: the venue-nonce slot, always empty in v1 (docs/spec.md §5.1: no nonce can
        // reach a wallet in v1, so the option was removed; the empty append keeps the
        // transcript, and so every v1 proof, unchanged).
        t.append_message(labels::CTX_NONCE, b"");
        t
    }
}
