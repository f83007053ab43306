//! How long a ticket may be valid: one rule, applied where a ticket is signed and again where
//! it is redeemed.
//!
//! | status | longest validity (`not_after − not_before`) |
//! |---|---|
//! | green, yellow | [`MAX_GRANTING_TICKET_LIFE_SECS`] = 14 days |
//! | red | [`MAX_TICKET_LIFE_SECS`] = 90 days |
//!
//! Why 14 days for green (and yellow, which a future venue policy may accept): a ticket is a
//! bearer code that mints fresh tokens at every redemption (each stamped with the hour it was
//! minted), so its life bounds how long a status the authority has since withdrawn can still
//! be turned into fresh tokens by whoever holds the ticket, if the withdrawal never reaches
//! the issuer (a red ticket signed offline and never redeemed). Fourteen days is twice the
//! default validity (7 days), which leaves a holder a week's slack to redeem, and it bounds
//! how long the issuer must remember a subject's epoch ([`crate::epoch`]): once the epoch is
//! older than this life plus a day, every green or yellow ticket it would refuse has expired
//! anyway, so the record can be forgotten.
//!
//! A red ticket grants nothing a venue accepts; it keeps the general 90-day limit.
//!
//! The rule is checked at redemption too ([`crate::check_start`]), so tickets signed before
//! it existed (up to 90 days, any status) are refused there with `ticket_too_long` if they
//! are green or yellow and longer than 14 days: their holders need a new ticket.

use greenlight_protocol::Status;

/// Longest validity of any ticket: 90 days.
pub const MAX_TICKET_LIFE_SECS: u64 = 90 * 24 * 3600;
/// Longest validity of a green or yellow ticket: 14 days.
pub const MAX_GRANTING_TICKET_LIFE_SECS: u64 = 14 * 24 * 3600;

/// The longest validity a ticket of `status` may have, in seconds.
pub const fn max_ticket_life(status: Status) -> u64 {
    match status {
        Status::Red => MAX_TICKET_LIFE_SECS,
        _ => MAX_GRANTING_TICKET_LIFE_SECS,
    }
}

/// A ticket valid for longer than its status allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "a {status} ticket may be valid for at most {} days",
    .max_secs / 86_400
)]
pub struct TicketTooLong {
    /// The ticket's status.
    pub status: Status,
    /// Its longest allowed validity, in seconds.
    pub max_secs: u64,
}

/// Refuses a validity (`not_after − not_before`, in seconds) longer than `status` allows.
pub fn check_ticket_life(status: Status, validity_secs: u64) -> Result<(), TicketTooLong> {
    let max_secs = max_ticket_life(status);
    if validity_secs > max_secs {
        return Err(TicketTooLong { status, max_secs });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn green_and_yellow_live_14_days_red_90() {
        for status in [Status::Green, Status::Yellow] {
            assert!(check_ticket_life(status, 14 * 86_400).is_ok());
            let err = check_ticket_life(status, 14 * 86_400 + 1).unwrap_err();
            assert_eq!(err.max_secs, 14 * 86_400);
            assert_eq!(
                err.to_string(),
                format!("a {status} ticket may be valid for at most 14 days")
            );
        }
        assert!(check_ticket_life(Status::Red, 90 * 86_400).is_ok());
        assert_eq!(
            check_ticket_life(Status::Red, 90 * 86_400 + 1)
                .unwrap_err()
                .to_string(),
            "a red ticket may be valid for at most 90 days"
        );
    }
}
