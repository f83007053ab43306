//! Errors: [`ServerError`] for starting and operating the service (shown to the operator),
//! [`AppError`] for HTTP answers (shown to anyone: a stable code and a fixed English message,
//! never anything internal). The codes, their statuses and default messages are
//! [`greenlight_api::ErrorCode`]'s; this module only turns them into axum responses.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use greenlight_api::{ErrorBody, ErrorCode};
use greenlight_issuance::{LooksLikeIdNumber, TicketTooLong};

use crate::admin_client::AdminCallError;
use crate::datadir::DataPaths;

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
    /// A subject handle given to `revoke` or `appeal` is not one.
    #[error("the subject handle must be 1 to 64 bytes without control characters")]
    InvalidSubject,
    /// The data directory has no admin token (`revoke`, `appeal`).
    #[error("{0} does not exist — is this the server's data directory? (the first `greenlight-server serve` creates it)")]
    NoAdminToken(PathBuf),
    /// The listening address cannot be bound (nothing has been created or opened yet).
    #[error("cannot listen on {addr}: {}", listen_reason(source))]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the data directory's revocation store (sled's lock).
    #[error("another greenlight-server is already using {0} (its revocation store is locked); stop it first, or use another data directory")]
    DataDirInUse(PathBuf),
    /// `store.key` is not the key the revocation store was written with (lost and recreated,
    /// or replaced).
    #[error("{key} is not the key the revocation store {store} was written with: restore the store.key it was created with (from a backup); with another key every revocation would be silently lifted")]
    WrongStoreKey {
        /// The key file.
        key: PathBuf,
        /// The store directory.
        store: PathBuf,
    },
    /// The store (sled or PostgreSQL) failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A ticket request is invalid (bad subject, travel codes, token count or validity).
    #[error("invalid ticket request: {0}")]
    InvalidTicketRequest(String),
    /// The ticket is valid for longer than its status allows
    /// ([`greenlight_issuance::check_ticket_life`]).
    #[error("invalid ticket request: {0} (green and yellow: 14 days, red: 90 days)")]
    TicketTooLong(#[from] TicketTooLong),
    /// The ticket's subject handle is shaped like an identity number
    /// ([`greenlight_issuance::check_subject_handle`]).
    #[error(transparent)]
    SubjectLooksLikeIdNumber(#[from] LooksLikeIdNumber),
    /// The QR code of `ticket --qr` cannot be written.
    #[error("cannot write the QR code to {path}: {reason}")]
    Qr {
        /// The file asked for.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// An admin command's request to the running server failed.
    #[error(transparent)]
    Admin(#[from] AdminCallError),
    /// A configuration value is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A command or flag does not fit the directory it is given (a regional data directory
    /// without `--key-list`, `--key-list` on a development directory, …).
    #[error("{0}")]
    Usage(String),
    /// A file a command creates exists already; nothing was changed.
    #[error("{0} already exists: refusing to overwrite it")]
    AlreadyExists(PathBuf),
    /// A public file (entry, key list, public key) is malformed.
    #[error("{path}: {reason}")]
    BadFile {
        /// The file.
        path: PathBuf,
        /// Why it was rejected.
        reason: String,
    },
    /// The root refuses to sign the next key list.
    #[error("refusing to sign the key list: {0}")]
    RootSign(#[from] greenlight_protocol::RootSignRefusal),
    /// A regional issuer's key cannot be created or added.
    #[error("{0}")]
    Rotation(#[from] greenlight_protocol::RotationRefusal),
    /// A regional server refuses a key list; the list served before (if any) stays.
    #[error("key list refused: {0}")]
    KeyListRefused(#[from] greenlight_protocol::ServedListRefusal),
    /// The witness refuses to cosign the key list (spec §7.6).
    #[error("the witness refuses to cosign: {0}")]
    WitnessRefused(#[from] greenlight_protocol::WitnessRefusal),
    /// A background task panicked or was cancelled.
    #[error("a background task failed")]
    Task,
}

impl From<greenlight_revocation::StoreError> for ServerError {
    fn from(e: greenlight_revocation::StoreError) -> Self {
        ServerError::Store(e.into())
    }
}

impl ServerError {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        ServerError::Io {
            context: context.into(),
            source,
        }
    }

    /// A failure to open the revocation store of a data directory: [`ServerError::DataDirInUse`]
    /// when another process holds its lock, [`ServerError::WrongStoreKey`] when `store.key`
    /// does not fit it, [`ServerError::Store`] otherwise.
    pub(crate) fn store_open(paths: &DataPaths, e: greenlight_revocation::StoreError) -> Self {
        use greenlight_revocation::StoreError;
        if e.is_lock_held() {
            ServerError::DataDirInUse(paths.dir.clone())
        } else if matches!(e, StoreError::WrongKey) {
            ServerError::WrongStoreKey {
                key: paths.store_key.clone(),
                store: paths.revocation_store.clone(),
            }
        } else {
            ServerError::Store(e.into())
        }
    }
}

fn listen_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            "the address is already in use (is another server listening there?)".to_owned()
        }
        std::io::ErrorKind::AddrNotAvailable => {
            "the address is not one of this machine's".to_owned()
        }
        std::io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges)".to_owned()
        }
        _ => e.to_string(),
    }
}

/// An HTTP error answer: a code and a message that is always one of this crate's fixed
/// strings (never built from input or internal errors), so nothing personal or internal can
/// leak through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    code: ErrorCode,
    message: Cow<'static, str>,
    /// `quota_exceeded`'s tokens left, when known (`ErrorDetail::remaining`).
    remaining: Option<u16>,
}

impl AppError {
    /// The code with its default message.
    pub const fn new(code: ErrorCode) -> Self {
        AppError {
            code,
            message: Cow::Borrowed(code.message()),
            remaining: None,
        }
    }

    /// The code with a more specific fixed message.
    pub const fn with_message(code: ErrorCode, message: &'static str) -> Self {
        AppError {
            code,
            message: Cow::Borrowed(message),
            remaining: None,
        }
    }

    /// Adds `quota_exceeded`'s count of tokens left to the body.
    pub fn with_remaining(mut self, remaining: Option<u16>) -> Self {
        self.remaining = remaining;
        self
    }

    /// The code with a message built at run time (must not contain personal data).
    pub fn with_owned_message(code: ErrorCode, message: String) -> Self {
        AppError {
            code,
            message: Cow::Owned(message),
            remaining: None,
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
        let mut body = ErrorBody::new(self.code, self.message);
        body.error.remaining = self.remaining;
        let mut response = (status_of(self.code), axum::Json(body)).into_response();
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

/// The axum status of a code (every status in the table is a valid one; a bad entry would
/// answer 500 rather than panic).
pub(crate) fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_valid_status_and_answers_with_it() {
        for code in ErrorCode::ALL {
            assert_eq!(status_of(code).as_u16(), code.http_status(), "{code}");
            let response = AppError::new(code).into_response();
            assert_eq!(response.status().as_u16(), code.http_status());
            assert_eq!(
                response.headers().contains_key(header::RETRY_AFTER),
                code.retry_after_secs().is_some()
            );
        }
    }
}
