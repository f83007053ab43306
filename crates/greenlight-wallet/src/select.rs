//! Which token to show a venue.
//!
//! The rule: among the profile's tokens that are green, under a key the venue accepts now,
//! not dated in the future and issued within the venue's window, take the **oldest** (ties:
//! the first stored), so tokens are used before they age out and fresh ones are kept for
//! venues with short windows. When none fits, the refusal names the first condition nothing
//! met, so the resident learns what to do (get a new ticket, wait for a key list, fix a clock).

use greenlight_acl::Token;
use greenlight_protocol::Status;
use greenlight_venue::AcceptedKeys;
use greenlight_wire::hour_of;

/// Why no token fits a venue.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoToken {
    /// The profile holds no tokens at all.
    #[error("no tokens")]
    Empty,
    /// None is green.
    #[error("no green token")]
    NoneGreen,
    /// None is under a key accepted now (revoked, expired or unknown keys).
    #[error("no token under a key accepted now")]
    NoneAcceptedKey,
    /// Every candidate is dated after the current hour: this clock is behind.
    #[error("every token is dated in the future: the clock is behind")]
    FromTheFuture,
    /// Every candidate was issued before the venue's window.
    #[error("every token is older than the venue's {window_hours} h window")]
    AllTooOld {
        /// The venue's window.
        window_hours: u8,
    },
}

impl NoToken {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            NoToken::Empty => "no_tokens",
            NoToken::NoneGreen => "none_green",
            NoToken::NoneAcceptedKey => "none_accepted_key",
            NoToken::FromTheFuture => "from_the_future",
            NoToken::AllTooOld { .. } => "all_too_old",
        }
    }
}

/// The index of the token to show at a venue with `window_hours`, at `now_unix`, given the
/// keys accepted now.
pub fn select_token(
    tokens: &[Token],
    accepted: &AcceptedKeys,
    window_hours: u8,
    now_unix: u64,
) -> Result<usize, NoToken> {
    if tokens.is_empty() {
        return Err(NoToken::Empty);
    }
    let now_hour = hour_of(now_unix);
    let t_min = now_hour.saturating_sub(u32::from(window_hours));
    let green: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].attributes().status == Status::Green.as_u8())
        .collect();
    if green.is_empty() {
        return Err(NoToken::NoneGreen);
    }
    let accepted: Vec<usize> = green
        .into_iter()
        .filter(|&i| accepted.contains(&tokens[i].key_id()))
        .collect();
    if accepted.is_empty() {
        return Err(NoToken::NoneAcceptedKey);
    }
    let not_future: Vec<usize> = accepted
        .into_iter()
        .filter(|&i| tokens[i].attributes().time_hours <= now_hour)
        .collect();
    if not_future.is_empty() {
        return Err(NoToken::FromTheFuture);
    }
    not_future
        .into_iter()
        .filter(|&i| tokens[i].attributes().time_hours >= t_min)
        .min_by_key(|&i| (tokens[i].attributes().time_hours, i))
        .ok_or(NoToken::AllTooOld { window_hours })
}

/// The oldest token (ties: the first stored), whatever it is: for tools that build their own
/// proofs.
pub fn oldest(tokens: &[Token]) -> Option<usize> {
    (0..tokens.len()).min_by_key(|&i| (tokens[i].attributes().time_hours, i))
}
