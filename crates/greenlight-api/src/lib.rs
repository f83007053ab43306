//! Greenlight's HTTP contract in Rust: the normative form of `docs/api.md`.
//!
//! The issuer (`greenlight-server`), the wallet and venue tools (`greenlight-client`), the
//! end-to-end tests and anything else that speaks the API use these types and nothing else,
//! so the two sides cannot drift apart. The crate does no I/O and depends on no HTTP stack:
//! it builds for `wasm32-unknown-unknown`.
//!
//! | item | what |
//! |---|---|
//! | [`ErrorCode`] | the stable error codes, each with its wire string, HTTP status and English message, declared in one table |
//! | [`ServerCode`] | an error code as read from a server: known, or one a newer server sent |
//! | [`ErrorBody`], [`ErrorDetail`] | `{"error": {"code": …, "message": …}}` |
//! | [`KeysResponse`] | `GET /v1/keys` |
//! | [`StartRequest`], [`StartResponse`] | `POST /v1/issuance/start` |
//! | [`FinishRequest`], [`FinishResponse`] | `POST /v1/issuance/finish` |
//! | [`AdminTicketRequest`], [`AdminTicketResponse`] | `POST /v1/admin/tickets` |
//! | [`RevokeRequest`], [`AppealRequest`], [`RevocationResponse`] | `POST /v1/admin/revocations`, `POST /v1/admin/appeals` |
//! | [`IssuedTotalsResponse`] | `GET /v1/stats/issued` |
//! | [`paths`] | the route paths |
//! | [`messages`] | what a resident is told for each code, in English, 简体中文 and 繁體中文 |
//! | [`retry`] | which refusals a client retries, how long it waits, when it gives up |
//! | [`b64_encode`], [`b64_decode`] | unpadded base64url, the encoding of binary objects in bodies |
//!
//! # Debug output
//!
//! One policy for every body: personal data — subject handles, a ticket's status and travel,
//! ticket texts and ticket ids — prints as `<redacted>` in `Debug`, so a body can be logged
//! or put in an error message without leaking it. Protocol objects (commitments, challenges,
//! answers, registrations), session ids, key material and error texts are not personal and
//! print as they are. Subject handles, status and travel of admin requests are also wiped
//! from memory when the body is dropped.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bodies;
mod code;
pub mod messages;
pub mod retry;

pub use bodies::{
    AdminTicketRequest, AdminTicketResponse, AppealRequest, ErrorBody, ErrorDetail, FinishRequest,
    FinishResponse, IssuedDay, IssuedTotalsResponse, KeyListDocument, KeyListLoaded, KeysResponse,
    NotBase64, RevocationResponse, RevokeRequest, StartRequest, StartResponse, WitnessCosignature,
};
pub use code::{ErrorCode, ServerCode, UnknownErrorCode, MAX_OTHER_CODE_CHARS};

/// The route paths of `docs/api.md` (absolute; a client joining them to a base URL with a
/// path prefix strips the leading `/`).
///
/// No path carries a subject handle, ticket or token: proxies and access logs record URLs,
/// so personal data travels only in bodies.
pub mod paths {
    /// `GET`: the key list.
    pub const KEYS: &str = "/v1/keys";
    /// `POST`: first round of issuance.
    pub const ISSUANCE_START: &str = "/v1/issuance/start";
    /// `POST`: second round of issuance.
    pub const ISSUANCE_FINISH: &str = "/v1/issuance/finish";
    /// `POST` (bearer): sign a ticket.
    pub const ADMIN_TICKETS: &str = "/v1/admin/tickets";
    /// `POST` (bearer): revoke a subject (subject in the body).
    pub const ADMIN_REVOCATIONS: &str = "/v1/admin/revocations";
    /// `POST` (bearer): lift a subject's revocation, an appeal granted (subject in the body).
    pub const ADMIN_APPEALS: &str = "/v1/admin/appeals";
    /// `POST` (bearer): load a new root-signed key list (regional servers).
    pub const ADMIN_KEY_LIST: &str = "/v1/admin/key-list";
    /// `GET`: liveness (`200 ok`, plain text).
    pub const HEALTHZ: &str = "/healthz";
    /// `GET` (bearer): OpenMetrics counters, real time — for the operator only.
    pub const METRICS: &str = "/metrics";
    /// `GET`: tokens issued per key and completed UTC day (public).
    pub const ISSUED_TOTALS: &str = "/v1/stats/issued";
}

/// Whether a URL's host names this machine, so that plain `http://` exposes nothing to
/// anyone else: the one rule behind "first use only over https or loopback"
/// (`greenlight_venue::check_first_use`) and "an admin token over plain http only to
/// loopback" (`greenlight-server revoke|appeal`).
///
/// The host (as a URL carries it, lowercased) is `localhost`, an IPv4 address in
/// `127.0.0.0/8` in plain dotted decimal, or a bracketed IPv6 loopback address (`::1`, or
/// `127.0.0.0/8` mapped into IPv6).
pub fn is_loopback_host(host: &str) -> bool {
    use std::net::{Ipv4Addr, Ipv6Addr};
    if host == "localhost" {
        return true;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok_and(|ip| {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        });
    }
    // Rust's parser takes only four decimal parts without leading zeros: given `127.1` or
    // `0x7f.0.0.1` as text (the venue set-up code's URL rule), they are not loopback here, and
    // so refused rather than trusted. (A URL parser such as `url` rewrites them to
    // `127.0.0.1` first, and its connection then does go to loopback.)
    host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Largest request body the server reads (64 KiB); larger ones are `payload_too_large`.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// Unpadded base64url, the encoding of every binary protocol object in JSON bodies.
pub fn b64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url after trimming white space. Padding and the standard alphabet
/// are refused, so each value has one encoding. Never panics.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_unpadded_url_safe_and_strict() {
        assert_eq!(b64_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64_decode(" -_8\n"), Some(vec![0xfb, 0xff]));
        assert_eq!(b64_decode("-_8="), None, "padding is refused");
        assert_eq!(b64_decode("+/8"), None, "the standard alphabet is refused");
        assert_eq!(b64_decode("é"), None);
        assert_eq!(b64_decode(""), Some(vec![]));
    }

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[::ffff:7f00:1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "",
            "example.org",
            "localhost.example.org",
            "10.0.0.1",
            "::1",
            "[::]",
            "[::2]",
            "127.1",
            "0x7f.0.0.1",
            "0177.0.0.1",
            "[::ffff:10.0.0.1]",
            "LOCALHOST",
            "128.0.0.1",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn paths_are_consistent() {
        for p in [
            paths::KEYS,
            paths::ISSUANCE_START,
            paths::ISSUANCE_FINISH,
            paths::ADMIN_TICKETS,
            paths::ADMIN_REVOCATIONS,
            paths::ADMIN_APPEALS,
            paths::ADMIN_KEY_LIST,
            paths::HEALTHZ,
            paths::METRICS,
            paths::ISSUED_TOTALS,
        ] {
            assert!(p.starts_with('/') && !p.ends_with('/'), "{p}");
            // No path parameters: nothing personal in a URL.
            assert!(!p.contains('{'), "{p}");
        }
    }
}
