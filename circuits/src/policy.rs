//! Policies (what a venue asks for) and standard windows.

/// Which statement a presentation proves. The id is bound into the transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PolicyId(pub u8);

impl PolicyId {
    /// `status == green ∧ issued within the window` (v1's only policy).
    pub const GREEN_RECENT: PolicyId = PolicyId(1);
}

/// Windows a venue may ask for, in whole hours. A small public set: an odd, per-venue window
/// (say 37 h) would let a colluding issuer and venue tag holders by the window they were
/// told to prove, and the 8-bit range proof bounds every window below 256 h anyway.
pub const STANDARD_WINDOWS_HOURS: [u8; 6] = [6, 12, 24, 48, 72, 168];

/// Is `hours` a standard window?
pub fn is_standard_window(hours: u8) -> bool {
    STANDARD_WINDOWS_HOURS.contains(&hours)
}

/// Status value proven by green-and-recent.
pub const GREEN: u8 = greenlight_acl::status::GREEN;
