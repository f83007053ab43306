//! Errors: [`ServerError`] for starting and operating the service (shown to the operator),
//! [`AppError`] for HTTP answers (shown to anyone: a stable code and a fixed English message,
//! never anything internal).

use std::borrow::Cow;
use std::path::PathBuf;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use greenlight_revocation::StoreError;

use crate::api::{ErrorBody, ErrorDetail};

/// Errors of setting up or operating the service outside a request.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A file-system operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A key or token file exists but does not hold what it should.
    #[error("{path} is not a valid {what} file: {reason}")]
    BadKeyFile {
        /// The file.
        path: PathBuf,
        /// Which file it is ("issuer key", "admin token", …).
        what: &'static str,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// `issuer.json` is malformed or does not match the key files.
    #[error("{path}: {reason}")]
    BadIssuerInfo {
        /// The file.
        path: PathBuf,
        /// Why it was rejected.
        reason: String,
    },
    /// The data directory has no authority key yet.
    #[error("no authority key in {0}: start `greenlight-server serve --data-dir {0}` once to create the keys")]
    NotInitialised(PathBuf),
    /// The revocation store failed.
    #[error("revocation store: {0}")]
    Store(#[from] StoreError),
    /// A ticket request is invalid (bad subject, travel codes, token count or validity).
    #[error("invalid ticket request: {0}")]
    InvalidTicketRequest(String),
    /// A configuration value is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A background task panicked or was cancelled.
    #[error("a background task failed")]
    Task,
}

impl ServerError {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        ServerError::Io {
            context: context.into(),
            source,
        }
    }
}

/// The stable error codes of `docs/api.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 400: malformed JSON, bad base64, an object that does not decode.
    BadRequest,
    /// 400: the ticket does not decode or its signature does not verify.
    InvalidTicket,
    /// 403: now < not_before.
    TicketNotYetValid,
    /// 410: now > not_after.
    TicketExpired,
    /// 409: the ticket has fewer tokens left than requested.
    QuotaExceeded,
    /// 403: the ticket's subject is revoked.
    SubjectRevoked,
    /// 400: a registration proof does not verify, or the batch is for another key.
    BadRegistration,
    /// 404: no open issuance session with that id.
    UnknownSession,
    /// 401: admin route without the right bearer token.
    Unauthorized,
    /// 404: no such route.
    NotFound,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 413: body over the limit.
    PayloadTooLarge,
    /// 429: per-ticket or per-client issuance rate exceeded.
    RateLimited,
    /// 503: concurrency limit or open-session cap reached (load shedding).
    Overloaded,
    /// 503: the request took longer than the per-request time limit.
    Timeout,
    /// 503: the issuing key is outside its published issuing period (the operator must
    /// rotate it); wallets would refuse the tokens anyway.
    KeyNotIssuing,
    /// 500: anything else.
    Internal,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::BadRequest,
        ErrorCode::InvalidTicket,
        ErrorCode::TicketNotYetValid,
        ErrorCode::TicketExpired,
        ErrorCode::QuotaExceeded,
        ErrorCode::SubjectRevoked,
        ErrorCode::BadRegistration,
        ErrorCode::UnknownSession,
        ErrorCode::Unauthorized,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RateLimited,
        ErrorCode::Overloaded,
        ErrorCode::Timeout,
        ErrorCode::KeyNotIssuing,
        ErrorCode::Internal,
    ];

    /// The snake_case code of the JSON body.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidTicket => "invalid_ticket",
            ErrorCode::TicketNotYetValid => "ticket_not_yet_valid",
            ErrorCode::TicketExpired => "ticket_expired",
            ErrorCode::QuotaExceeded => "quota_exceeded",
            ErrorCode::SubjectRevoked => "subject_revoked",
            ErrorCode::BadRegistration => "bad_registration",
            ErrorCode::UnknownSession => "unknown_session",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Overloaded => "overloaded",
            ErrorCode::Timeout => "timeout",
            ErrorCode::KeyNotIssuing => "key_not_issuing",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status.
    pub const fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadRequest | ErrorCode::InvalidTicket | ErrorCode::BadRegistration => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::TicketNotYetValid | ErrorCode::SubjectRevoked => StatusCode::FORBIDDEN,
            ErrorCode::TicketExpired => StatusCode::GONE,
            ErrorCode::QuotaExceeded => StatusCode::CONFLICT,
            ErrorCode::UnknownSession | ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Overloaded | ErrorCode::Timeout | ErrorCode::KeyNotIssuing => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The default English message.
    pub const fn default_message(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "the request is malformed",
            ErrorCode::InvalidTicket => "the ticket is not valid (it does not decode or its signature does not verify)",
            ErrorCode::TicketNotYetValid => "the ticket is not valid yet",
            ErrorCode::TicketExpired => "the ticket has expired",
            ErrorCode::QuotaExceeded => "the ticket has fewer tokens left than requested",
            ErrorCode::SubjectRevoked => "tokens cannot be issued for this ticket's subject",
            ErrorCode::BadRegistration => "a registration does not verify",
            ErrorCode::UnknownSession => "no open issuance session with that id (it never existed, was answered already, or expired)",
            ErrorCode::Unauthorized => "this route needs the admin bearer token",
            ErrorCode::NotFound => "no such route",
            ErrorCode::MethodNotAllowed => "this route does not accept that method",
            ErrorCode::PayloadTooLarge => "the request body is larger than 64 KiB",
            ErrorCode::RateLimited => "too many issuance requests; try again later",
            ErrorCode::Overloaded => "the server is busy; try again shortly",
            ErrorCode::Timeout => "the request took too long; try again shortly",
            ErrorCode::KeyNotIssuing => "this issuer's key is outside its issuing period; the operator must rotate it",
            ErrorCode::Internal => "internal error",
        }
    }

    /// Seconds a client should wait before retrying, for the codes where retrying helps.
    const fn retry_after_secs(self) -> Option<u32> {
        match self {
            ErrorCode::RateLimited => Some(10),
            ErrorCode::Overloaded | ErrorCode::Timeout => Some(1),
            _ => None,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP error answer: a code and a message that is always one of this crate's fixed
/// strings (never built from input or internal errors), so nothing personal or internal can
/// leak through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    code: ErrorCode,
    message: Cow<'static, str>,
}

impl AppError {
    /// The code with its default message.
    pub const fn new(code: ErrorCode) -> Self {
        AppError {
            code,
            message: Cow::Borrowed(code.default_message()),
        }
    }

    /// The code with a more specific fixed message.
    pub const fn with_message(code: ErrorCode, message: &'static str) -> Self {
        AppError {
            code,
            message: Cow::Borrowed(message),
        }
    }

    /// The code with a message built at run time (must not contain personal data).
    pub fn with_owned_message(code: ErrorCode, message: String) -> Self {
        AppError {
            code,
            message: Cow::Owned(message),
        }
    }

    /// A 500 whose cause is logged (without personal data: callers pass only store, I/O or
    /// task errors, which never contain subjects) and not shown.
    pub(crate) fn internal(context: &'static str, cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(context, error = %cause, "internal error");
        AppError::new(ErrorCode::Internal)
    }

    /// The code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::new(code)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_owned(),
                message: self.message.into_owned(),
            },
        };
        let mut response = (self.code.status(), axum::Json(body)).into_response();
        // The observing middleware reads the code from here for logs and metrics.
        response.extensions_mut().insert(self.code);
        let headers = response.headers_mut();
        if self.code == ErrorCode::Unauthorized {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.code.retry_after_secs() {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
