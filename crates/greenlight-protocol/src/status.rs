//! The health status colour.

use core::fmt;
use core::str::FromStr;

use crate::error::ProtocolError;

/// The colour the health authority assigns. It travels as one byte; the numeric values are also
/// what the credential commits to, so they are part of the protocol and never renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Status {
    /// May enter venues.
    Green = 1,
    /// Restricted (for example awaiting a test result).
    Yellow = 2,
    /// Must not enter venues.
    Red = 3,
}

impl Status {
    /// All statuses, in wire order.
    pub const ALL: [Status; 3] = [Status::Green, Status::Yellow, Status::Red];

    /// The wire byte.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// Parses the wire byte; anything outside 1..=3 is rejected (no "unknown" colour a
    /// verifier might treat as green).
    pub const fn from_u8(v: u8) -> Result<Status, ProtocolError> {
        match v {
            1 => Ok(Status::Green),
            2 => Ok(Status::Yellow),
            3 => Ok(Status::Red),
            other => Err(ProtocolError::InvalidStatus(other)),
        }
    }

    /// The lowercase name used in command lines and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Status::Green => "green",
            Status::Yellow => "yellow",
            Status::Red => "red",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Status {
    type Err = ProtocolError;

    /// Accepts `green`, `yellow`, `red` in any ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.name().eq_ignore_ascii_case(s))
            .ok_or(ProtocolError::UnknownStatusName)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_and_name_round_trip() {
        for st in Status::ALL {
            assert_eq!(Status::from_u8(st.as_u8()), Ok(st));
            assert_eq!(st.to_string().parse::<Status>(), Ok(st));
        }
        assert_eq!(Status::Green.as_u8(), 1);
        assert_eq!(Status::Yellow.as_u8(), 2);
        assert_eq!(Status::Red.as_u8(), 3);
        assert_eq!("GREEN".parse::<Status>(), Ok(Status::Green));
        for bad in [0u8, 4, 255] {
            assert_eq!(Status::from_u8(bad), Err(ProtocolError::InvalidStatus(bad)));
        }
        assert!("blue".parse::<Status>().is_err());
        assert!("".parse::<Status>().is_err());
    }
}
