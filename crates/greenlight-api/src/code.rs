//! The stable error codes of `docs/api.md`, declared once in [`error_codes!`]'s table.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Codes a server sends that this build does not know are kept up to this many characters.
pub const MAX_OTHER_CODE_CHARS: usize = 64;

/// Generates [`ErrorCode`] and everything derived from it from one table: per variant its
/// documentation, wire string, HTTP status, `Retry-After` seconds (for the codes where
/// retrying helps) and fixed English message. Nothing about a code is written anywhere else.
macro_rules! error_codes {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident {
            wire: $wire:literal,
            status: $status:literal,
            retry_after: $retry:expr,
            message: $message:literal $(,)?
        }
    ),+ $(,)?) => {
        /// The stable error codes of `docs/api.md`: an HTTP status and
        /// `{"error": {"code": "<wire string>", "message": "<English text>"}}`.
        ///
        /// Serde (de)serializes a code as its wire string; a string that is no code is a
        /// deserialization error (read a server's answer as [`ServerCode`] to keep codes
        /// a newer server may send).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant, )+
        }

        impl ErrorCode {
            /// Every code, in the order of the table of `docs/api.md`.
            pub const ALL: [ErrorCode; [$(stringify!($variant)),+].len()] =
                [$(ErrorCode::$variant),+];

            /// The wire strings, in the order of [`ErrorCode::ALL`].
            const WIRE: [&'static str; [$(stringify!($variant)),+].len()] = [$($wire),+];

            /// The snake_case wire string (`error.code` of the JSON body).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( ErrorCode::$variant => $wire, )+
                }
            }

            /// The HTTP status the server answers with.
            pub const fn http_status(self) -> u16 {
                match self {
                    $( ErrorCode::$variant => $status, )+
                }
            }

            /// The fixed English message the server sends when it has nothing more specific
            /// (never personal or internal data).
            pub const fn message(self) -> &'static str {
                match self {
                    $( ErrorCode::$variant => $message, )+
                }
            }

            /// Seconds the server asks a client to wait (`Retry-After`), for the codes where
            /// retrying helps.
            pub const fn retry_after_secs(self) -> Option<u32> {
                match self {
                    $( ErrorCode::$variant => $retry, )+
                }
            }

            /// The code with this wire string, or `None` for a string that is no code of
            /// this build (exact match: no trimming, no case folding).
            pub fn parse(wire: &str) -> Option<ErrorCode> {
                match wire {
                    $( $wire => Some(ErrorCode::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    /// 400: malformed JSON, bad base64, a protocol object that does not decode.
    BadRequest {
        wire: "bad_request",
        status: 400,
        retry_after: None,
        message: "the request is malformed",
    },
    /// 400: the ticket does not decode or its signature does not verify.
    InvalidTicket {
        wire: "invalid_ticket",
        status: 400,
        retry_after: None,
        message: "the ticket is not valid (it does not decode or its signature does not verify)",
    },
    /// 403: now + 60 s < not_before (tickets are taken a minute early, spec §7.2).
    TicketNotYetValid {
        wire: "ticket_not_yet_valid",
        status: 403,
        retry_after: None,
        message: "the ticket is not valid yet",
    },
    /// 410: now > not_after.
    TicketExpired {
        wire: "ticket_expired",
        status: 410,
        retry_after: None,
        message: "the ticket has expired",
    },
    /// 403: the ticket is valid for longer than the issuer accepts for its status (green and
    /// yellow: 14 days; red: 90 days), e.g. one signed before that limit existed.
    TicketTooLong {
        wire: "ticket_too_long",
        status: 403,
        retry_after: None,
        message: "the ticket is valid for longer than this issuer accepts for its status; ask the health authority for a new one",
    },
    /// 409: the ticket has fewer tokens left than requested.
    QuotaExceeded {
        wire: "quota_exceeded",
        status: 409,
        retry_after: None,
        message: "the ticket has fewer tokens left than requested",
    },
    /// 403: the ticket's subject is revoked.
    SubjectRevoked {
        wire: "subject_revoked",
        status: 403,
        retry_after: None,
        message: "tokens cannot be issued for this ticket's subject",
    },
    /// 403: the ticket is older than its subject's epoch: a newer ticket of the subject, a
    /// revocation or an appeal replaced it.
    TicketSuperseded {
        wire: "ticket_superseded",
        status: 403,
        retry_after: None,
        message: "this ticket was replaced by a newer one (or by a revocation or an appeal) for the same person; ask the health authority for a current ticket",
    },
    /// 409: this ticket already has an open issuance session (at most one per ticket).
    TicketBusy {
        wire: "ticket_busy",
        status: 409,
        retry_after: Some(5),
        message: "an issuance session for this ticket is still open; finish it, or try again when it has expired",
    },
    /// 400: a registration proof does not verify, or the batch is for another key.
    BadRegistration {
        wire: "bad_registration",
        status: 400,
        retry_after: None,
        message: "a registration does not verify",
    },
    /// 404: no open issuance session with that id (never existed, answered already, or
    /// expired).
    UnknownSession {
        wire: "unknown_session",
        status: 404,
        retry_after: None,
        message: "no open issuance session with that id (it never existed, was answered already, or expired)",
    },
    /// 401: admin route without the right bearer token (`WWW-Authenticate: Bearer`).
    Unauthorized {
        wire: "unauthorized",
        status: 401,
        retry_after: None,
        message: "this route needs the admin bearer token",
    },
    /// 404: no such route.
    NotFound {
        wire: "not_found",
        status: 404,
        retry_after: None,
        message: "no such route",
    },
    /// 405: the route exists, not with this method.
    MethodNotAllowed {
        wire: "method_not_allowed",
        status: 405,
        retry_after: None,
        message: "this route does not accept that method",
    },
    /// 413: body over the limit.
    PayloadTooLarge {
        wire: "payload_too_large",
        status: 413,
        retry_after: None,
        message: "the request body is larger than 64 KiB",
    },
    /// 429: per-ticket or per-client issuance rate exceeded.
    RateLimited {
        wire: "rate_limited",
        status: 429,
        retry_after: Some(10),
        message: "too many issuance requests; try again later",
    },
    /// 503: concurrency limit (load shedding) or open-session cap reached.
    Overloaded {
        wire: "overloaded",
        status: 503,
        retry_after: Some(1),
        message: "the server is busy; try again shortly",
    },
    /// 503: the request took longer than the per-request time limit.
    Timeout {
        wire: "timeout",
        status: 503,
        retry_after: Some(1),
        message: "the request took too long; try again shortly",
    },
    /// 503: the issuing key is outside its published issuing period (the operator must
    /// rotate it); wallets would refuse the tokens anyway.
    KeyNotIssuing {
        wire: "key_not_issuing",
        status: 503,
        retry_after: None,
        message: "this issuer's key is outside its issuing period; the operator must rotate it",
    },
    /// 500: anything else (logged without personal data).
    Internal {
        wire: "internal",
        status: 500,
        retry_after: None,
        message: "internal error",
    },
}

impl ErrorCode {
    /// Whether the code means the server is failing (a 5xx: worth retrying later) rather
    /// than refusing the request.
    pub const fn is_server_failure(self) -> bool {
        self.http_status() >= 500
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is no error code of this build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown error code {0:?}")]
pub struct UnknownErrorCode(
    /// The string, without control characters, at most [`MAX_OTHER_CODE_CHARS`] characters.
    pub String,
);

impl FromStr for ErrorCode {
    type Err = UnknownErrorCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ErrorCode::parse(s).ok_or_else(|| UnknownErrorCode(sanitize(s)))
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl Visitor<'_> for CodeVisitor {
            type Value = ErrorCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Greenlight error code")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ErrorCode, E> {
                ErrorCode::parse(v).ok_or_else(|| E::unknown_variant(v, &ErrorCode::WIRE))
            }
        }
        deserializer.deserialize_str(CodeVisitor)
    }
}

/// An error code as a server sent it: one of this build's codes, or another string (a newer
/// server, or a reply that is no Greenlight error body). Reading never fails.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServerCode {
    /// One of the codes of `docs/api.md`.
    Known(ErrorCode),
    /// Anything else, without control characters, at most [`MAX_OTHER_CODE_CHARS`]
    /// characters.
    Other(String),
}

impl ServerCode {
    /// Classifies a wire string; unknown ones are kept (sanitized) as [`ServerCode::Other`].
    pub fn parse(wire: &str) -> ServerCode {
        match ErrorCode::parse(wire) {
            Some(code) => ServerCode::Known(code),
            None => ServerCode::Other(sanitize(wire)),
        }
    }

    /// The code, if this build knows it.
    pub fn known(&self) -> Option<ErrorCode> {
        match self {
            ServerCode::Known(code) => Some(*code),
            ServerCode::Other(_) => None,
        }
    }

    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            ServerCode::Known(code) => code.as_str(),
            ServerCode::Other(text) => text,
        }
    }

    /// Whether an answer with this code and HTTP `status` is the server failing (worth
    /// retrying later) rather than refusing the request: a known 5xx code, or any 5xx
    /// status.
    pub fn is_server_failure(&self, status: u16) -> bool {
        self.known().is_some_and(ErrorCode::is_server_failure) || status >= 500
    }
}

impl From<ErrorCode> for ServerCode {
    fn from(code: ErrorCode) -> Self {
        ServerCode::Known(code)
    }
}

impl fmt::Display for ServerCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ServerCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServerCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ServerCodeVisitor;
        impl Visitor<'_> for ServerCodeVisitor {
            type Value = ServerCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error code string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ServerCode, E> {
                Ok(ServerCode::parse(v))
            }
        }
        deserializer.deserialize_str(ServerCodeVisitor)
    }
}

/// Untrusted text kept for display: no control characters (no terminal escapes), bounded.
fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_OTHER_CODE_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_round_trips_through_its_wire_string() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
            assert_eq!(code.to_string(), code.as_str());
            assert_eq!(ServerCode::parse(code.as_str()), ServerCode::Known(code));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
            assert_eq!(
                serde_json::to_string(&ServerCode::from(code)).unwrap(),
                json
            );
            assert_eq!(
                serde_json::from_str::<ServerCode>(&json).unwrap(),
                ServerCode::Known(code)
            );
        }
    }

    #[test]
    fn wire_strings_are_unique_snake_case_and_messages_fixed() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let wire = code.as_str();
            assert!(seen.insert(wire), "duplicate wire string {wire}");
            assert!(
                !wire.is_empty() && wire.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{wire} is not snake_case"
            );
            assert!(!code.message().is_empty());
            assert!((400..600).contains(&code.http_status()), "{code}");
        }
        assert_eq!(seen.len(), ErrorCode::ALL.len());
        assert_eq!(ErrorCode::WIRE.len(), ErrorCode::ALL.len());
        for (code, wire) in ErrorCode::ALL.into_iter().zip(ErrorCode::WIRE) {
            assert_eq!(code.as_str(), wire);
        }
    }

    #[test]
    fn retry_after_exactly_for_the_retryable_codes() {
        let retryable: Vec<ErrorCode> = ErrorCode::ALL
            .into_iter()
            .filter(|c| c.retry_after_secs().is_some())
            .collect();
        assert_eq!(
            retryable,
            [
                ErrorCode::TicketBusy,
                ErrorCode::RateLimited,
                ErrorCode::Overloaded,
                ErrorCode::Timeout
            ]
        );
    }

    #[test]
    fn unknown_codes_are_an_explicit_outcome() {
        for wire in ["", "BAD_REQUEST", " bad_request", "bad_request ", "teapot"] {
            assert_eq!(ErrorCode::parse(wire), None, "{wire:?}");
            assert!(wire.parse::<ErrorCode>().is_err());
            assert!(serde_json::from_str::<ErrorCode>(&format!("{wire:?}")).is_err());
            assert_eq!(
                ServerCode::parse(wire),
                ServerCode::Other(wire.to_owned()),
                "{wire:?}"
            );
        }
        let hostile = format!("\u{1b}[31mred{}", "x".repeat(500));
        let ServerCode::Other(kept) = ServerCode::parse(&hostile) else {
            panic!("known?");
        };
        assert_eq!(kept.chars().count(), MAX_OTHER_CODE_CHARS);
        assert!(!kept.chars().any(char::is_control));
        let err = hostile.parse::<ErrorCode>().unwrap_err();
        assert!(!err.0.chars().any(char::is_control));
        assert_eq!(
            serde_json::from_str::<ServerCode>("\"from_the_future\"").unwrap(),
            ServerCode::Other("from_the_future".into())
        );
        assert!(serde_json::from_str::<ServerCode>("17").is_err());
    }

    #[test]
    fn server_failures_are_the_5xx_codes_and_statuses() {
        for code in ErrorCode::ALL {
            let known = ServerCode::Known(code);
            assert_eq!(
                known.is_server_failure(code.http_status()),
                code.http_status() >= 500
            );
        }
        assert!(ServerCode::Known(ErrorCode::Internal).is_server_failure(500));
        assert!(ServerCode::Other("x".into()).is_server_failure(502));
        assert!(!ServerCode::Other("x".into()).is_server_failure(418));
    }
}
