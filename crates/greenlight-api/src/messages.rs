//! What a resident is told for each server error code, in the three languages of the front
//! ends: English, Simplified and Traditional Chinese. The texts are the `server` group of the
//! message catalogue (`crates/greenlight-messages/locales/*/server.ftl`); the CLI and the web
//! wallet both read them through [`message_id`], so a code never reads differently in two
//! places.
//!
//! Exhaustive over [`ErrorCode`]: a new code does not compile until it has an id, and the test
//! below fails until the catalogue has its text in every language.

use crate::ErrorCode;

pub use greenlight_messages::Lang;

/// The catalogue id of `code`'s text: `server-code-` and the wire code with `-` for `_`
/// (`server-code-ticket-expired`).
pub const fn message_id(code: ErrorCode) -> &'static str {
    use ErrorCode as C;
    match code {
        C::BadRequest => "server-code-bad-request",
        C::InvalidTicket => "server-code-invalid-ticket",
        C::TicketNotYetValid => "server-code-ticket-not-yet-valid",
        C::TicketExpired => "server-code-ticket-expired",
        C::TicketTooLong => "server-code-ticket-too-long",
        C::QuotaExceeded => "server-code-quota-exceeded",
        C::SubjectRevoked => "server-code-subject-revoked",
        C::TicketSuperseded => "server-code-ticket-superseded",
        C::TicketBusy => "server-code-ticket-busy",
        C::BadRegistration => "server-code-bad-registration",
        C::UnknownSession => "server-code-unknown-session",
        C::Unauthorized => "server-code-unauthorized",
        C::NotFound => "server-code-not-found",
        C::MethodNotAllowed => "server-code-method-not-allowed",
        C::PayloadTooLarge => "server-code-payload-too-large",
        C::RateLimited => "server-code-rate-limited",
        C::Overloaded => "server-code-overloaded",
        C::Timeout => "server-code-timeout",
        C::KeyNotIssuing => "server-code-key-not-issuing",
        C::Internal => "server-code-internal",
    }
}

/// The resident-facing text for `code` in `lang`, from the catalogue's `server` group.
pub fn server_code_text(code: ErrorCode, lang: Lang) -> String {
    // Every id of `message_id` is in the catalogue (tested below), so the fallback to the
    // wire code is never shown.
    greenlight_messages::SERVER
        .format(lang, message_id(code), &[])
        .unwrap_or_else(|| code.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_three_distinct_texts() {
        for code in ErrorCode::ALL {
            assert!(
                greenlight_messages::SERVER.has(message_id(code)),
                "{code:?}"
            );
            assert_eq!(
                message_id(code),
                format!("server-code-{}", code.as_str().replace('_', "-")),
                "{code:?}"
            );
            let texts = Lang::ALL.map(|l| server_code_text(code, l));
            assert!(texts.iter().all(|t| t.chars().count() > 10), "{code:?}");
            assert!(texts[0].is_ascii(), "{code:?} English");
            assert!(
                !texts[1].is_ascii() && texts[1] != texts[2],
                "{code:?} Chinese"
            );
        }
    }
}
