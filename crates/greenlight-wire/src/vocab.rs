//! The words every role shares: the status colour, the policy a venue asks for, and the
//! standard recency windows. Defined once here; tickets, credentials, presentations, venue
//! codes, the wallet and the venue all use these definitions.

use core::fmt;
use core::str::FromStr;

use crate::WireError;

/// The colour the health authority assigns. It travels as one byte; the numeric values are also
/// what the credential commits to (`st`), so they are part of the protocol and never
/// renumbered.
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

    /// The wire byte (and the certified attribute value).
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// Parses the wire byte; anything outside 1..=3 is rejected (no "unknown" colour a
    /// verifier might treat as green).
    pub const fn from_u8(v: u8) -> Result<Status, WireError> {
        match v {
            1 => Ok(Status::Green),
            2 => Ok(Status::Yellow),
            3 => Ok(Status::Red),
            other => Err(WireError::InvalidStatus(other)),
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
    type Err = WireError;

    /// Accepts `green`, `yellow`, `red` in any ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.name().eq_ignore_ascii_case(s))
            .ok_or(WireError::UnknownStatusName)
    }
}

/// Which statement a presentation proves and a venue code asks for: one byte on the wire,
/// bound into the presentation transcript.
///
/// A newtype rather than an enum because a presentation carries the byte its holder chose and
/// the *verifier* judges it (`docs/spec.md` §6.2, "wrong policy"): decoding keeps any byte,
/// [`Policy::from_u8`] accepts only known ones (venue codes are rejected at decode time, so an
/// old wallet never proves less than a newer venue asks for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Policy(u8);

impl Policy {
    /// `status == green ∧ issued within the window` (v1's only policy).
    pub const GREEN_RECENT: Policy = Policy(1);
    /// Every policy this version knows.
    pub const KNOWN: [Policy; 1] = [Policy::GREEN_RECENT];

    /// The wire byte.
    pub const fn as_u8(self) -> u8 {
        self.0
    }

    /// Parses the wire byte of a known policy.
    pub const fn from_u8(v: u8) -> Result<Policy, WireError> {
        match v {
            1 => Ok(Policy::GREEN_RECENT),
            other => Err(WireError::UnknownPolicy(other)),
        }
    }

    /// Any wire byte, known or not, for objects whose policy is judged later by a verifier.
    pub const fn from_wire_byte(v: u8) -> Policy {
        Policy(v)
    }

    /// Whether this version knows the policy.
    pub const fn is_known(self) -> bool {
        Policy::from_u8(self.0).is_ok()
    }
}

/// The only recency windows a venue may ask for, in whole hours. A venue choosing an odd
/// window (say 37 h) could tell its visitors apart from everyone else's, or a colluding issuer
/// could hand one person a window nobody else uses; a small standard set keeps every anonymity
/// set large. The 8-bit range proof bounds every window below 256 h anyway.
pub const STANDARD_WINDOWS_HOURS: [u8; 6] = [6, 12, 24, 48, 72, 168];

/// Whether `hours` is one of [`STANDARD_WINDOWS_HOURS`].
pub fn is_standard_window(hours: u8) -> bool {
    STANDARD_WINDOWS_HOURS.contains(&hours)
}

/// How far (hours) an issuance hour certified by the issuer may be from the holder's clock
/// before the wallet refuses the tokens: a token dated far off would carry a time nobody else
/// has, a tag that follows it to every venue. It also bounds how far in the future an honest
/// wallet lets a certified `ts` be, which the venue's seen-set retention must cover.
pub const MAX_ISSUANCE_SKEW_HOURS: u32 = 2;

/// Whole hours since the Unix epoch: the unit of certified issuance times (`ts`) and of
/// presentation time slots. Saturates at `u32::MAX` (the year 491 970).
pub const fn hour_of(unix_secs: u64) -> u32 {
    let hours = unix_secs / 3600;
    if hours > u32::MAX as u64 {
        u32::MAX
    } else {
        hours as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_byte_and_name_round_trip() {
        for st in Status::ALL {
            assert_eq!(Status::from_u8(st.as_u8()), Ok(st));
            assert_eq!(st.to_string().parse::<Status>(), Ok(st));
        }
        assert_eq!(
            [Status::Green, Status::Yellow, Status::Red].map(Status::as_u8),
            [1, 2, 3]
        );
        assert_eq!("GREEN".parse::<Status>(), Ok(Status::Green));
        for bad in [0u8, 4, 255] {
            assert_eq!(Status::from_u8(bad), Err(WireError::InvalidStatus(bad)));
        }
        assert_eq!("blue".parse::<Status>(), Err(WireError::UnknownStatusName));
        assert_eq!("".parse::<Status>(), Err(WireError::UnknownStatusName));
    }

    #[test]
    fn policy_bytes() {
        assert_eq!(Policy::from_u8(1), Ok(Policy::GREEN_RECENT));
        assert_eq!(Policy::GREEN_RECENT.as_u8(), 1);
        assert!(Policy::GREEN_RECENT.is_known());
        for bad in [0u8, 2, 255] {
            assert_eq!(Policy::from_u8(bad), Err(WireError::UnknownPolicy(bad)));
            assert!(!Policy::from_wire_byte(bad).is_known());
            assert_eq!(Policy::from_wire_byte(bad).as_u8(), bad);
        }
        assert_eq!(Policy::KNOWN.map(Policy::is_known), [true]);
    }

    #[test]
    fn hours() {
        assert_eq!(hour_of(0), 0);
        assert_eq!(hour_of(3599), 0);
        assert_eq!(hour_of(7_199), 1);
        assert_eq!(hour_of(u64::MAX), u32::MAX);
    }

    #[test]
    fn standard_windows() {
        assert_eq!(STANDARD_WINDOWS_HOURS, [6, 12, 24, 48, 72, 168]);
        let accepted: Vec<u8> = (0..=u8::MAX).filter(|h| is_standard_window(*h)).collect();
        assert_eq!(accepted, STANDARD_WINDOWS_HOURS);
    }
}
