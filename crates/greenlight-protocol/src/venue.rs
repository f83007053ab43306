//! The venue code a venue shows on its wall: who it is and what it asks of visitors.
//!
//! It is not signed: it only tells the wallet what to prove and binds the proof to this venue's
//! id, so a presentation made for one venue is useless at another. A forged code on the wall
//! can at worst make a wallet produce a proof the real verifier rejects. It carries nothing
//! about any visitor.

use rand_core::{CryptoRng, RngCore};

use greenlight_wire::reader::validate_string;
use greenlight_wire::{
    is_standard_window, prefixes, tags, Codec, Policy, Reader, Status, TextCodec, Writer,
};

use crate::error::ProtocolError;
use crate::lengths::{MAX_VENUE_CODE_LEN, MAX_VENUE_NAME_LEN, MIN_VENUE_NAME_LEN, VENUE_ID};

const NAME_FIELD: &str = "venue name";

/// A venue's code. Fields are private so every value satisfies the rules: a standard window
/// (odd windows could fingerprint visitors), required status green, a known policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VenueCode {
    venue_id: [u8; VENUE_ID],
    name: String,
    window_hours: u8,
    required_status: Status,
    policy: Policy,
}

impl VenueCode {
    /// A new venue with a random 8-byte id, requiring green under the green-and-recent policy.
    pub fn new_with_rng(
        rng: &mut (impl RngCore + CryptoRng),
        name: &str,
        window_hours: u8,
    ) -> Result<Self, ProtocolError> {
        let mut venue_id = [0u8; VENUE_ID];
        rng.fill_bytes(&mut venue_id);
        VenueCode::from_parts(
            venue_id,
            name,
            window_hours,
            Status::Green,
            Policy::GREEN_RECENT,
        )
    }

    /// Builds a code from every field, validating them (name 1..=64 bytes without control
    /// characters, standard window, required status green).
    pub fn from_parts(
        venue_id: [u8; VENUE_ID],
        name: &str,
        window_hours: u8,
        required_status: Status,
        policy: Policy,
    ) -> Result<Self, ProtocolError> {
        validate_string(NAME_FIELD, name, MIN_VENUE_NAME_LEN, MAX_VENUE_NAME_LEN)?;
        if !is_standard_window(window_hours) {
            return Err(ProtocolError::NonStandardWindow(window_hours));
        }
        if required_status != Status::Green {
            return Err(ProtocolError::UnsupportedRequiredStatus(
                required_status.as_u8(),
            ));
        }
        Ok(VenueCode {
            venue_id,
            name: name.to_owned(),
            window_hours,
            required_status,
            policy,
        })
    }

    /// The random venue id that presentations are bound to.
    pub fn venue_id(&self) -> [u8; VENUE_ID] {
        self.venue_id
    }
    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The recency window in hours (a member of [`crate::STANDARD_WINDOWS_HOURS`]).
    pub fn window_hours(&self) -> u8 {
        self.window_hours
    }
    /// The recency window in seconds.
    pub fn window_seconds(&self) -> u64 {
        u64::from(self.window_hours) * 3600
    }
    /// The status a visitor must prove (green in this version).
    pub fn required_status(&self) -> Status {
        self.required_status
    }
    /// The policy.
    pub fn policy(&self) -> Policy {
        self.policy
    }
}

greenlight_wire::inherent_codec!(VenueCode, text);

impl TextCodec for VenueCode {
    const PREFIX: &'static str = prefixes::VENUE_CODE;
}

impl Codec for VenueCode {
    const TAG: u8 = tags::VENUE_CODE;
    const MAX_LEN: usize = MAX_VENUE_CODE_LEN;
    type Error = ProtocolError;

    fn write_body(&self, w: &mut Writer) {
        w.bytes(&self.venue_id)
            .string(&self.name)
            .u8(self.window_hours)
            .u8(self.required_status.as_u8())
            .u8(self.policy.as_u8());
    }

    /// Decodes with the same checks as [`VenueCode::from_parts`].
    fn read_body(r: &mut Reader<'_>) -> Result<Self, ProtocolError> {
        let venue_id = r.array()?;
        let name = r.string(NAME_FIELD, MIN_VENUE_NAME_LEN, MAX_VENUE_NAME_LEN)?;
        let window_hours = r.u8()?;
        let required_status = Status::from_u8(r.u8()?)?;
        let policy = Policy::from_u8(r.u8()?)?;
        VenueCode::from_parts(venue_id, &name, window_hours, required_status, policy)
    }
}
