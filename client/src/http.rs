//! The issuer's HTTP API (`docs/api.md`), client side: typed requests and responses,
//! timeouts, a cap on response size, and the server's JSON error codes mapped to
//! [`ServerCode`] so the tools can say what went wrong in the user's language.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// Give up connecting after this long (a dead address should fail fast).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Whole-request limit; a batch of 64 tokens takes the issuer well under a second.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest response body read. A full key list (64 issuers × 32 keys) is about 200 KB of
/// base45 text; anything far beyond that is not a Greenlight server.
const MAX_RESPONSE: usize = 1024 * 1024;

/// The stable error codes of `docs/api.md`, as the server crate defines them (one list, so
/// client and server cannot drift apart).
pub use greenlight_server::ErrorCode;

/// An error code in a server's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerCode {
    /// One of the codes of `docs/api.md`.
    Known(ErrorCode),
    /// A code this client does not know (a newer server), or no JSON error body at all.
    Other(String),
}

impl ServerCode {
    pub fn parse(code: &str) -> ServerCode {
        ErrorCode::ALL
            .into_iter()
            .find(|c| c.as_str() == code)
            .map(ServerCode::Known)
            .unwrap_or_else(|| ServerCode::Other(code.chars().take(64).collect()))
    }

    /// Whether this is the server failing (retry later) rather than refusing the request.
    pub fn is_server_failure(&self, status: u16) -> bool {
        matches!(
            self,
            Self::Known(ErrorCode::Internal | ErrorCode::Overloaded | ErrorCode::Timeout)
        ) || status >= 500
    }
}

/// What can go wrong talking to the issuer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("not a server URL: {0}")]
    BadUrl(String),
    #[error("cannot reach {url}")]
    Unreachable { url: String },
    #[error("{url} did not answer in time")]
    Timeout { url: String },
    #[error("server error {status} {code:?}: {message}")]
    Server {
        status: u16,
        code: ServerCode,
        message: String,
    },
    #[error("unexpected response: {0}")]
    BadResponse(String),
}

/// `GET /v1/keys`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeysResponse {
    pub root_public_key: String,
    pub key_list: String,
    pub issuing_key_id: String,
}

#[derive(Serialize)]
struct StartRequest<'a> {
    ticket: &'a str,
    registrations: String,
}

/// `POST /v1/issuance/start` response.
#[derive(Clone, Debug, Deserialize)]
pub struct StartResponse {
    pub session: String,
    pub commitments: String,
    #[serde(default)]
    pub expires_in_secs: u64,
}

#[derive(Serialize)]
struct FinishRequest<'a> {
    session: &'a str,
    challenges: String,
}

#[derive(Deserialize)]
struct FinishResponse {
    answers: String,
}

/// `POST /v1/admin/tickets` request.
#[derive(Clone, Debug, Serialize)]
pub struct AdminTicketRequest {
    pub subject: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub travel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_for_secs: Option<u64>,
}

/// `POST /v1/admin/tickets` response.
#[derive(Clone, Debug, Deserialize)]
pub struct AdminTicketResponse {
    pub ticket: String,
    pub ticket_id: String,
    pub not_after: u64,
}

/// Revocation and appeal responses.
#[derive(Clone, Debug, Deserialize)]
pub struct RevocationResponse {
    pub subject_revoked: bool,
    pub changed: bool,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}
#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    #[serde(default)]
    message: String,
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
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("greenlight/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| HttpError::BadResponse(format!("HTTP client setup: {e}")))?;
        Ok(Http { client, base: url })
    }

    /// The server's base URL as given.
    pub fn base(&self) -> &str {
        self.base.as_str()
    }

    fn url(&self, path: &str) -> Result<reqwest::Url, HttpError> {
        self.base
            .join(path)
            .map_err(|_| HttpError::BadUrl(self.base.to_string()))
    }

    /// `GET /v1/keys`.
    pub async fn keys(&self) -> Result<KeysResponse, HttpError> {
        let req = self.client.get(self.url("v1/keys")?);
        self.send(req).await
    }

    /// `POST /v1/issuance/start` with the wire bytes of a `RegistrationBatch`.
    pub async fn issuance_start(
        &self,
        ticket: &str,
        registrations: &[u8],
    ) -> Result<StartResponse, HttpError> {
        let body = StartRequest {
            ticket,
            registrations: URL_SAFE_NO_PAD.encode(registrations),
        };
        let req = self.client.post(self.url("v1/issuance/start")?).json(&body);
        self.send(req).await
    }

    /// `POST /v1/issuance/finish`; returns the `AnswerBatch` bytes.
    pub async fn issuance_finish(
        &self,
        session: &str,
        challenges: &[u8],
    ) -> Result<Vec<u8>, HttpError> {
        let body = FinishRequest {
            session,
            challenges: URL_SAFE_NO_PAD.encode(challenges),
        };
        let req = self
            .client
            .post(self.url("v1/issuance/finish")?)
            .json(&body);
        let resp: FinishResponse = self.send(req).await?;
        decode_b64(&resp.answers)
    }

    /// `POST /v1/admin/tickets` (the embedded authority; needs the admin token).
    pub async fn admin_ticket(
        &self,
        admin_token: &str,
        request: &AdminTicketRequest,
    ) -> Result<AdminTicketResponse, HttpError> {
        let req = self
            .client
            .post(self.url("v1/admin/tickets")?)
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
            .post(self.url("v1/admin/revocations")?)
            .bearer_auth(admin_token)
            .json(&serde_json::json!({ "subject": subject }));
        self.send(req).await
    }

    /// `DELETE /v1/admin/revocations/{subject}` (appeal granted).
    pub async fn admin_appeal(
        &self,
        admin_token: &str,
        subject: &str,
    ) -> Result<RevocationResponse, HttpError> {
        let mut url = self.url("v1/admin/revocations")?;
        // Push as a path segment so the handle is percent-encoded, whatever it contains.
        url.path_segments_mut()
            .map_err(|_| HttpError::BadUrl(self.base.to_string()))?
            .push(subject);
        let req = self.client.delete(url).bearer_auth(admin_token);
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
            let (code, message) = match serde_json::from_slice::<ErrorBody>(&body) {
                Ok(e) => (ServerCode::parse(&e.error.code), e.error.message),
                Err(_) => (ServerCode::Other(status.as_str().to_owned()), String::new()),
            };
            return Err(HttpError::Server {
                status: status.as_u16(),
                code,
                message: message.chars().take(200).collect(),
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
        HttpError::Unreachable {
            url: url.to_owned(),
        }
    } else {
        HttpError::BadResponse(e.to_string())
    }
}

/// Unpadded base64url, the encoding of binary objects in the API.
pub fn decode_b64(s: &str) -> Result<Vec<u8>, HttpError> {
    URL_SAFE_NO_PAD
        .decode(s.trim())
        .map_err(|_| HttpError::BadResponse("invalid base64".into()))
}
