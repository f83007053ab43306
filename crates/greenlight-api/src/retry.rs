//! When a client asks again after a refusal, and when it gives up: the one retry rule of
//! every Greenlight client (the CLI wallet today, the wallet app tomorrow).
//!
//! Retried are exactly the refusals after which the server has **done nothing** and the same
//! request can succeed later: `ticket_busy`, `rate_limited` and `overloaded` ([`RETRIED`]).
//! `timeout` carries `Retry-After` too, but is not retried: the request may have run to the
//! end after the answer was given up (a `start` that reserved quota and opened a session, a
//! `finish` that consumed its session), so sending it again would at best be refused and at
//! worst spend a ticket's tokens on a session nobody answers. Every other refusal is final (a
//! second identical request gets the same answer), and so is an unknown code.
//!
//! The wait is the code's `Retry-After` (the server sends exactly the value of
//! [`ErrorCode::retry_after_secs`]; a caller that read a different header value may pass it),
//! doubled at each consecutive refusal and capped at [`MAX_SINGLE_WAIT_MS`],
//! plus up to a second of jitter so wallets refused together do not come back together. The
//! caller passes the jitter (this crate has no randomness) and sleeps; a [`Backoff`] gives up
//! once the waits would add up to more than [`MAX_TOTAL_WAIT_MS`] — a holder standing at a
//! counter should hear "try again later" after about two minutes, not wait forever. Two
//! minutes also outlast an issuance session's default 60-second expiry, so a `ticket_busy`
//! left behind by a crashed attempt clears within the budget.

use crate::{ErrorCode, ServerCode};

/// The refusals a client sends again (after which the server has done nothing).
pub const RETRIED: [ErrorCode; 3] = [
    ErrorCode::TicketBusy,
    ErrorCode::RateLimited,
    ErrorCode::Overloaded,
];

/// Longest single wait, in milliseconds.
pub const MAX_SINGLE_WAIT_MS: u64 = 30_000;
/// Most waiting one [`Backoff`] allows in all, in milliseconds.
pub const MAX_TOTAL_WAIT_MS: u64 = 120_000;
/// Jitter is taken modulo this many milliseconds.
pub const JITTER_SPAN_MS: u64 = 1_000;

/// Retry state for one request (one issuance step, say). Start a new one for each request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    refusals: u32,
    waited_ms: u64,
}

impl Backoff {
    /// No refusal yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// After a refusal with `code` (and the `Retry-After` header in seconds, if the answer
    /// had one): how many milliseconds to wait before sending the request again, or `None`
    /// to give up. `jitter` is any random number (taken modulo [`JITTER_SPAN_MS`]).
    pub fn after_refusal(
        &mut self,
        code: &ServerCode,
        retry_after_header: Option<u64>,
        jitter: u64,
    ) -> Option<u64> {
        if !is_retryable(code) {
            return None;
        }
        let ServerCode::Known(code) = code else {
            return None;
        };
        let default_secs = u64::from(code.retry_after_secs()?);
        let base_ms = retry_after_header
            .unwrap_or(default_secs)
            .max(1)
            .saturating_mul(1000);
        let doubled = base_ms.saturating_mul(1u64 << self.refusals.min(16));
        let wait = doubled.min(MAX_SINGLE_WAIT_MS) + jitter % JITTER_SPAN_MS;
        if self.waited_ms.saturating_add(wait) > MAX_TOTAL_WAIT_MS {
            return None;
        }
        self.refusals += 1;
        self.waited_ms += wait;
        Some(wait)
    }

    /// Milliseconds waited so far.
    pub fn waited_ms(&self) -> u64 {
        self.waited_ms
    }

    /// Refusals seen so far.
    pub fn refusals(&self) -> u32 {
        self.refusals
    }
}

/// Whether `code` is one [`Backoff`] ever retries ([`RETRIED`]).
pub fn is_retryable(code: &ServerCode) -> bool {
    matches!(code, ServerCode::Known(c) if RETRIED.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(c: ErrorCode) -> ServerCode {
        ServerCode::Known(c)
    }

    #[test]
    fn only_refusals_that_did_nothing_are_retried() {
        let retried: Vec<&str> = ErrorCode::ALL
            .into_iter()
            .filter(|c| Backoff::new().after_refusal(&known(*c), None, 0).is_some())
            .map(ErrorCode::as_str)
            .collect();
        assert_eq!(retried, ["ticket_busy", "rate_limited", "overloaded"]);
        // A timeout may have done its work: never sent again.
        assert_eq!(
            Backoff::new().after_refusal(&known(ErrorCode::Timeout), Some(1), 0),
            None
        );
        for code in RETRIED {
            assert!(
                code.retry_after_secs().is_some(),
                "{code} has no Retry-After"
            );
        }
        let mut b = Backoff::new();
        assert_eq!(
            b.after_refusal(&ServerCode::Other("teapot".into()), Some(1), 0),
            None
        );
    }

    #[test]
    fn waits_follow_the_header_double_and_are_capped() {
        let mut b = Backoff::new();
        let overloaded = known(ErrorCode::Overloaded);
        assert_eq!(b.after_refusal(&overloaded, None, 0), Some(1_000));
        assert_eq!(b.after_refusal(&overloaded, None, 0), Some(2_000));
        assert_eq!(b.after_refusal(&overloaded, Some(3), 0), Some(12_000));
        assert_eq!(b.after_refusal(&overloaded, None, 0), Some(8_000));
        assert_eq!(
            b.after_refusal(&overloaded, Some(10), 0),
            Some(MAX_SINGLE_WAIT_MS)
        );
        // A header of 0 still waits a second (no hot loop).
        let mut b = Backoff::new();
        assert_eq!(b.after_refusal(&overloaded, Some(0), 0), Some(1_000));
        // Jitter adds less than a second.
        let mut b = Backoff::new();
        assert_eq!(b.after_refusal(&overloaded, None, 2_345), Some(1_345));
    }

    #[test]
    fn gives_up_within_the_total_budget() {
        let mut b = Backoff::new();
        let mut n = 0;
        while let Some(w) = b.after_refusal(&known(ErrorCode::RateLimited), None, 999) {
            assert!(w <= MAX_SINGLE_WAIT_MS + JITTER_SPAN_MS);
            n += 1;
            assert!(n < 100, "never gives up");
        }
        assert!(b.waited_ms() <= MAX_TOTAL_WAIT_MS);
        assert!(
            b.waited_ms() > MAX_TOTAL_WAIT_MS / 2,
            "gave up early: {b:?}"
        );
        assert_eq!(b.refusals(), n);
        // A huge header is capped, not overflowed.
        let mut b = Backoff::new();
        assert_eq!(
            b.after_refusal(&known(ErrorCode::Overloaded), Some(u64::MAX), 0),
            Some(MAX_SINGLE_WAIT_MS)
        );
    }
}
