//! The venue code a venue shows on its wall: who it is and what it asks of visitors.
//!
//! It is not signed: it only tells the wallet what to prove and binds the proof to this venue's
//! id, so a presentation made for one venue is useless at another. A forged code on the wall
//! can at worst make a wallet produce a proof the real verifier rejects. It carries nothing
//! about any visitor.

use rand_core::{CryptoRng, RngCore};

use crate::codec::{self, validate_string, Reader, Writer};
use crate::error::ProtocolError;
use crate::lengths::{
    MAX_VENUE_CODE_LEN, MAX_VENUE_NAME_LEN, MIN_VENUE_NAME_LEN, PREFIX_VENUE_CODE,
    STANDARD_WINDOWS_HOURS, TAG_VENUE_CODE, VENUE_ID_LEN,
};
use crate::status::Status;

const NAME_FIELD: &str = "venue name";

/// What a venue requires. One byte on the wire; unknown values are rejected so an old wallet
/// never proves less than a newer venue asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Policy {
    /// Status equals the required status, and the credential was issued within the window.
    GreenAndRecent = 1,
}

impl Policy {
    /// The wire byte.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// Parses the wire byte.
    pub const fn from_u8(v: u8) -> Result<Policy, ProtocolError> {
        match v {
            1 => Ok(Policy::GreenAndRecent),
            other => Err(ProtocolError::UnknownPolicy(other)),
        }
    }
}

/// Whether `hours` is one of [`STANDARD_WINDOWS_HOURS`].
pub fn is_standard_window(hours: u8) -> bool {
    STANDARD_WINDOWS_HOURS.contains(&hours)
}

/// A venue's code. Fields are private so every value satisfies the rules: a standard window
/// (odd windows could fingerprint visitors), required status green, a known policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VenueCode {
    venue_id: [u8; VENUE_ID_LEN],
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
        let mut venue_id = [0u8; VENUE_ID_LEN];
        rng.fill_bytes(&mut venue_id);
        VenueCode::from_parts(
            venue_id,
            name,
            window_hours,
            Status::Green,
            Policy::GreenAndRecent,
        )
    }

    /// Builds a code from every field, validating them (name 1..=64 bytes without control
    /// characters, standard window, required status green).
    pub fn from_parts(
        venue_id: [u8; VENUE_ID_LEN],
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
    pub fn venue_id(&self) -> [u8; VENUE_ID_LEN] {
        self.venue_id
    }
    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The recency window in hours (a member of [`STANDARD_WINDOWS_HOURS`]).
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

    /// Canonical binary encoding (see `docs/spec.md`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(TAG_VENUE_CODE, MAX_VENUE_CODE_LEN);
        w.bytes(&self.venue_id);
        w.string(&self.name);
        w.u8(self.window_hours);
        w.u8(self.required_status.as_u8());
        w.u8(self.policy.as_u8());
        w.finish()
    }

    /// Decodes the canonical binary encoding with the same checks as [`VenueCode::from_parts`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProtocolError> {
        let mut r = Reader::new(bytes, TAG_VENUE_CODE, MAX_VENUE_CODE_LEN)?;
        let venue_id = r.array()?;
        let name = r.string(NAME_FIELD, MIN_VENUE_NAME_LEN, MAX_VENUE_NAME_LEN)?;
        let window_hours = r.u8()?;
        let required_status = Status::from_u8(r.u8()?)?;
        let policy = Policy::from_u8(r.u8()?)?;
        r.finish()?;
        VenueCode::from_parts(venue_id, &name, window_hours, required_status, policy)
    }

    /// Text form: `GLV1:` + base45 of [`VenueCode::to_bytes`].
    pub fn to_text(&self) -> String {
        codec::to_text(PREFIX_VENUE_CODE, &self.to_bytes())
    }

    /// Parses the text form.
    pub fn from_text(text: &str) -> Result<Self, ProtocolError> {
        VenueCode::from_bytes(&codec::from_text(
            text,
            PREFIX_VENUE_CODE,
            MAX_VENUE_CODE_LEN,
        )?)
    }
}
