//! The HTTP side of the `revoke`, `appeal` and `load-key-list` commands: one admin request to
//! a running server, its answer or a [`AdminCallError`] that says what to do about it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use greenlight_api::{
    paths, AppealRequest, ErrorBody, KeyListDocument, KeyListLoaded, RevocationResponse,
    RevokeRequest,
};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

/// The server the admin commands talk to unless told otherwise (`serve`'s default address).
pub const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8080";
/// How long an admin request may take.
pub const ADMIN_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest answer read.
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// Longest server message shown.
const MAX_MESSAGE_CHARS: usize = 300;

/// Which admin change to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminAction {
    /// `POST /v1/admin/revocations`.
    Revoke,
    /// `POST /v1/admin/appeals`.
    Appeal,
}

impl AdminAction {
    /// The route path.
    pub fn path(self) -> &'static str {
        match self {
            AdminAction::Revoke => paths::ADMIN_REVOCATIONS,
            AdminAction::Appeal => paths::ADMIN_APPEALS,
        }
    }
}

/// Why an admin request did not produce an answer. Every message names the server, never
/// the subject or the token.
#[derive(Debug, thiserror::Error)]
pub enum AdminCallError {
    /// `--server` is no http(s) URL.
    #[error("--server {0:?} is not an http:// or https:// URL (without a user name or password)")]
    BadUrl(String),
    /// Nothing accepted the connection (refused, no route, unknown host).
    #[error("no greenlight-server answering at {url}")]
    Unreachable {
        /// The server URL.
        url: String,
    },
    /// The server did not answer in time.
    #[error("{url} did not answer within {} s", ADMIN_TIMEOUT.as_secs())]
    Timeout {
        /// The server URL.
        url: String,
    },
    /// 401: the token is not this server's.
    #[error("the admin token in {token_path} was refused by {url} — is this the server's data directory?")]
    Unauthorized {
        /// Where the token was read.
        token_path: PathBuf,
        /// The server URL.
        url: String,
    },
    /// 404/405: the server has no such route.
    #[error("{url} has no POST {route} — is it an older greenlight-server, or not a greenlight-server at all?")]
    NoRoute {
        /// The server URL.
        url: String,
        /// The route.
        route: &'static str,
    },
    /// A 5xx error answer of the API (overloaded, timeout, internal): worth retrying.
    #[error("{url} failed to answer: {message} ({code}, HTTP {status})")]
    ServerFailed {
        /// The server URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The error code (sanitized).
        code: String,
        /// The server's message (sanitized, shortened).
        message: String,
    },
    /// Any other error answer of the API.
    #[error("{url} refused the request: {message} ({code}, HTTP {status})")]
    Refused {
        /// The server URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The error code (sanitized).
        code: String,
        /// The server's message (sanitized, shortened).
        message: String,
    },
    /// An answer that is no Greenlight body.
    #[error("{url} answered HTTP {status} with something that is not a greenlight-server answer — is it a greenlight-server?")]
    NotGreenlight {
        /// The server URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// Any other transport failure.
    #[error("talking to {url}: {reason}")]
    Transport {
        /// The server URL.
        url: String,
        /// What failed.
        reason: String,
    },
}

/// Whether `url` names this machine (so plain HTTP exposes the token to nobody else).
/// (`greenlight_api::is_loopback_host`, the rule the wallet's and venue's first use follows.)
pub fn is_loopback(url: &Url) -> bool {
    url.host_str().is_some_and(greenlight_api::is_loopback_host)
}

/// Parses `--server`: an `http` or `https` URL.
pub fn parse_server_url(text: &str) -> Result<Url, AdminCallError> {
    match Url::parse(text.trim()) {
        // No user:password@ part: it would travel beside the bearer token and show up in
        // every message that names the server.
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url.host().is_some()
                && url.username().is_empty()
                && url.password().is_none() =>
        {
            Ok(url)
        }
        _ => Err(AdminCallError::BadUrl(text.to_owned())),
    }
}

/// Sends one admin request for `subject` to `server` with the bearer `token` (read from
/// `token_path`, named in the unauthorized message).
pub async fn admin_call(
    server: &Url,
    token: &Zeroizing<String>,
    token_path: &Path,
    action: AdminAction,
    subject: &str,
) -> Result<RevocationResponse, AdminCallError> {
    match action {
        AdminAction::Revoke => {
            admin_post(
                server,
                token,
                token_path,
                action.path(),
                &RevokeRequest::new(subject),
            )
            .await
        }
        AdminAction::Appeal => {
            admin_post(
                server,
                token,
                token_path,
                action.path(),
                &AppealRequest::new(subject),
            )
            .await
        }
    }
}

/// `POST /v1/admin/key-list` (`greenlight-server load-key-list`): a regional server loads the
/// key list `doc`; its answer, or why not (a refused list is [`AdminCallError::Refused`] with
/// the server's reason).
pub async fn load_key_list_call(
    server: &Url,
    token: &Zeroizing<String>,
    token_path: &Path,
    doc: &KeyListDocument,
) -> Result<KeyListLoaded, AdminCallError> {
    admin_post(server, token, token_path, paths::ADMIN_KEY_LIST, doc).await
}

/// One admin `POST` of `body` to `route`: the answer, or an [`AdminCallError`] that names the
/// server, never the body or the token.
async fn admin_post<B: Serialize, R: DeserializeOwned>(
    server: &Url,
    token: &Zeroizing<String>,
    token_path: &Path,
    route: &'static str,
    body: &B,
) -> Result<R, AdminCallError> {
    let shown = server.as_str().trim_end_matches('/').to_owned();
    let endpoint = format!("{shown}{route}");
    let client = reqwest::Client::builder()
        .timeout(ADMIN_TIMEOUT)
        // An admin token must not follow a redirect to another host, nor go through a proxy
        // picked up from the environment (HTTP_PROXY), which would see it.
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .map_err(|e| AdminCallError::Transport {
            url: shown.clone(),
            reason: e.to_string(),
        })?;
    let request = client
        .post(&endpoint)
        .bearer_auth(token.as_str())
        .json(body);
    let transport = |e: reqwest::Error| {
        if e.is_timeout() {
            AdminCallError::Timeout { url: shown.clone() }
        } else if e.is_connect() {
            AdminCallError::Unreachable { url: shown.clone() }
        } else {
            AdminCallError::Transport {
                url: shown.clone(),
                reason: e.to_string(),
            }
        }
    };
    let mut response = request.send().await.map_err(transport)?;
    let status = response.status();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(AdminCallError::NotGreenlight {
                url: shown,
                status: status.as_u16(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    if status.is_success() {
        return serde_json::from_slice(&body).map_err(|_| AdminCallError::NotGreenlight {
            url: shown.clone(),
            status: status.as_u16(),
        });
    }
    match status {
        StatusCode::UNAUTHORIZED => Err(AdminCallError::Unauthorized {
            token_path: token_path.to_path_buf(),
            url: shown,
        }),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            Err(AdminCallError::NoRoute { url: shown, route })
        }
        _ => match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(error) if status.is_server_error() => Err(AdminCallError::ServerFailed {
                url: shown,
                status: status.as_u16(),
                code: sanitize(error.error.code.as_str()),
                message: sanitize(&error.error.message),
            }),
            Ok(error) => Err(AdminCallError::Refused {
                url: shown,
                status: status.as_u16(),
                code: sanitize(error.error.code.as_str()),
                message: sanitize(&error.error.message),
            }),
            Err(_) => Err(AdminCallError::NotGreenlight {
                url: shown,
                status: status.as_u16(),
            }),
        },
    }
}

/// Server text for a terminal: no control characters (no escape sequences), bounded.
fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_MESSAGE_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_and_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "https://issuer.example/",
            " http://localhost:1 ",
        ] {
            assert!(parse_server_url(ok).is_ok(), "{ok}");
        }
        for bad in ["127.0.0.1:8080", "ftp://x", "", "http://"] {
            assert!(parse_server_url(bad).is_err(), "{bad}");
        }
        for (url, local) in [
            ("http://127.0.0.1:8080", true),
            ("http://127.9.9.9", true),
            ("http://[::1]:8080", true),
            ("http://LOCALHOST", true),
            ("http://10.0.0.1", false),
            ("https://issuer.example", false),
        ] {
            assert_eq!(is_loopback(&Url::parse(url).unwrap()), local, "{url}");
        }
    }

    #[test]
    fn server_text_is_sanitized() {
        assert_eq!(sanitize("a\u{1b}[31mb\n"), "a[31mb");
        assert_eq!(sanitize(&"x".repeat(1000)).len(), MAX_MESSAGE_CHARS);
    }
}
