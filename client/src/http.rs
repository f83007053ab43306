//! The issuer's HTTP API (`docs/api.md`), client side: the I/O only — timeouts, a cap on
//! response size, and the server's error bodies read as [`ServerCode`] so the tools can say
//! what went wrong in the user's language. Every body and code is `greenlight-api`'s.

use std::time::Duration;

use greenlight_api::{
    paths, AppealRequest, ErrorBody, FinishRequest, FinishResponse, RevokeRequest, StartRequest,
};
use serde::de::DeserializeOwned;

/// Give up connecting after this long (a dead address should fail fast).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Whole-request limit; a batch of 64 tokens takes the issuer well under a second.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest response body read. A full key list (64 issuers × 32 keys) is about 200 KB of
/// base45 text; anything far beyond that is not a Greenlight server.
const MAX_RESPONSE: usize = 1024 * 1024;

/// The contract's types (`greenlight-api`), re-exported for the tools' callers.
pub use greenlight_api::{
    AdminTicketRequest, AdminTicketResponse, ErrorCode, KeysResponse, RevocationResponse,
    ServerCode, StartResponse,
};

/// What can go wrong talking to the issuer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("not a server URL: {0}")]
    BadUrl(String),
    #[error("cannot reach {url}")]
    Unreachable { url: String },
    /// An `https://` address whose server answered in something other than TLS (typically
    /// plain HTTP: the issuer on this machine listens on `http://`).
    #[error("{url} does not speak https")]
    NotHttps { url: String },
    /// The server's TLS certificate is not trusted (self-signed, expired, another name).
    #[error("{url} has an untrusted https certificate")]
    TlsCertificate { url: String },
    #[error("{url} did not answer in time")]
    Timeout { url: String },
    #[error("server error {status} {code:?}: {message}")]
    Server {
        status: u16,
        code: ServerCode,
        message: String,
        /// With `quota_exceeded`: the tokens the ticket can still mint, when the server says.
        remaining: Option<u16>,
    },
    #[error("unexpected response: {0}")]
    BadResponse(String),
}

/// A client for one issuer server.
#[derive(Clone, Debug)]
pub struct Http {
    client: reqwest::Client,
    base: reqwest::Url,
}

impl Http {
    /// `base` must be an `http` or `https` URL; a trailing path is kept (`…/prefix/v1/keys`).
    pub fn new(base: &str) -> Result<Self, HttpError> {
        let mut url =
            reqwest::Url::parse(base.trim()).map_err(|_| HttpError::BadUrl(base.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(HttpError::BadUrl(base.to_owned()));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        let mut builder = reqwest::Client::builder();
        if url.host_str().is_some_and(greenlight_api::is_loopback_host) {
            // First use over plain http is allowed for loopback because nothing leaves the
            // machine; an HTTP_PROXY from the environment would make that untrue.
            builder = builder.no_proxy();
        }
        let client = builder
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("greenlight/", env!("CARGO_PKG_VERSION")))
            // Never follow a redirect: the trust-on-first-use rule judged *this* URL
            // (https, or loopback), and a redirect could carry the first fetch of the root
            // key to plain http elsewhere. A Greenlight server answers on its own address.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| HttpError::BadResponse(format!("HTTP client setup: {e}")))?;
        Ok(Http { client, base: url })
    }

    /// The server's base URL as given.
    pub fn base(&self) -> &str {
        self.base.as_str()
    }

    /// `path` (one of [`paths`]) under the base URL, keeping the base's own path prefix.
    fn url(&self, path: &str) -> Result<reqwest::Url, HttpError> {
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|_| HttpError::BadUrl(self.base.to_string()))
    }

    /// `GET /v1/keys`.
    pub async fn keys(&self) -> Result<KeysResponse, HttpError> {
        let req = self.client.get(self.url(paths::KEYS)?);
        self.send(req).await
    }

    /// `POST /v1/issuance/start` with the wire bytes of a `RegistrationBatch`.
    pub async fn issuance_start(
        &self,
        ticket: &str,
        registrations: &[u8],
    ) -> Result<StartResponse, HttpError> {
        let body = StartRequest::new(ticket, registrations);
        let req = self
            .client
            .post(self.url(paths::ISSUANCE_START)?)
            .json(&body);
        self.send(req).await
    }

    /// `POST /v1/issuance/finish`; returns the `AnswerBatch` bytes.
    pub async fn issuance_finish(
        &self,
        session: &str,
        challenges: &[u8],
    ) -> Result<Vec<u8>, HttpError> {
        let body = FinishRequest::new(session, challenges);
        let req = self
            .client
            .post(self.url(paths::ISSUANCE_FINISH)?)
            .json(&body);
        let resp: FinishResponse = self.send(req).await?;
        resp.answers_bytes()
            .map_err(|e| HttpError::BadResponse(e.to_string()))
    }

    /// `POST /v1/admin/tickets` (the embedded authority; needs the admin token).
    pub async fn admin_ticket(
        &self,
        admin_token: &str,
        request: &AdminTicketRequest,
    ) -> Result<AdminTicketResponse, HttpError> {
        let req = self
            .client
            .post(self.url(paths::ADMIN_TICKETS)?)
            .bearer_auth(admin_token)
            .json(request);
        self.send(req).await
    }

    /// `POST /v1/admin/revocations`.
    pub async fn admin_revoke(
        &self,
        admin_token: &str,
        subject: &str,
    ) -> Result<RevocationResponse, HttpError> {
        let req = self
            .client
            .post(self.url(paths::ADMIN_REVOCATIONS)?)
            .bearer_auth(admin_token)
            .json(&RevokeRequest::new(subject));
        self.send(req).await
    }

    /// `POST /v1/admin/appeals` (appeal granted; the subject travels in the body, never in
    /// a URL that access logs record).
    pub async fn admin_appeal(
        &self,
        admin_token: &str,
        subject: &str,
    ) -> Result<RevocationResponse, HttpError> {
        let req = self
            .client
            .post(self.url(paths::ADMIN_APPEALS)?)
            .bearer_auth(admin_token)
            .json(&AppealRequest::new(subject));
        self.send(req).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, HttpError> {
        let url = self.base.to_string();
        let mut resp = req.send().await.map_err(|e| classify(e, &url))?;
        let status = resp.status();
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_RESPONSE as u64)
        {
            return Err(HttpError::BadResponse("response too large".into()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(e, &url))? {
            if body.len() + chunk.len() > MAX_RESPONSE {
                return Err(HttpError::BadResponse("response too large".into()));
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            let (code, message, remaining) = match serde_json::from_slice::<ErrorBody>(&body) {
                Ok(e) => (e.error.code, e.error.message, e.error.remaining),
                Err(_) => (
                    ServerCode::Other(status.as_str().to_owned()),
                    String::new(),
                    None,
                ),
            };
            return Err(HttpError::Server {
                status: status.as_u16(),
                code,
                // Untrusted text: no control characters (terminal escapes), bounded.
                message: message
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect(),
                remaining,
            });
        }
        serde_json::from_slice(&body)
            .map_err(|e| HttpError::BadResponse(format!("invalid JSON: {e}")))
    }
}

fn classify(e: reqwest::Error, url: &str) -> HttpError {
    if e.is_timeout() {
        HttpError::Timeout {
            url: url.to_owned(),
        }
    } else if e.is_connect() || e.is_request() {
        let url = url.to_owned();
        match tls_error(&e) {
            Some(rustls::Error::InvalidMessage(_)) => HttpError::NotHttps { url },
            Some(rustls::Error::InvalidCertificate(_)) => HttpError::TlsCertificate { url },
            _ => HttpError::Unreachable { url },
        }
    } else {
        HttpError::BadResponse(e.to_string())
    }
}

/// The TLS failure behind a connection error, if that is what it was. reqwest wraps it in
/// hyper's error, which wraps an `io::Error`, which holds the rustls error (an `io::Error`'s
/// `source` skips the error it holds, so each one is opened with `get_ref`).
fn tls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(tls) = tls_error(inner) {
                return Some(tls);
            }
        }
        current = err.source();
    }
    None
}

/// Unpadded base64url, the encoding of binary objects in the API; a server's text that does
/// not decode is a bad response.
pub fn decode_b64(s: &str) -> Result<Vec<u8>, HttpError> {
    greenlight_api::b64_decode(s).ok_or_else(|| HttpError::BadResponse("invalid base64".into()))
}
