//! The library's error type, its localized message and its exit code.
//!
//! Exit codes (a public interface of the `greenlight` binary):
//! `0` success (or ACCEPT), `1` refused (REJECT, a server refusal, no suitable token, a trust
//! check failed), `2` usage, input or local I/O error, `3` the server is unreachable or
//! failing (worth retrying later).

use std::path::{Path, PathBuf};

use greenlight_protocol::{Kind, ProtocolError, WireError};

use crate::clock::format_unix;
use greenlight_api::{ErrorCode, ServerCode};

use crate::http::HttpError;
use crate::i18n::{kind_name, kind_with_article, Lang, Msg};
use crate::input::min_text_len;

/// Exit code: success / ACCEPT.
pub const EXIT_OK: u8 = 0;
/// Exit code: refused / REJECT.
pub const EXIT_REFUSED: u8 = 1;
/// Exit code: usage, input or local I/O error.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the server is unreachable or failing.
pub const EXIT_UNAVAILABLE: u8 = 3;

/// Everything that can go wrong in the wallet and venue tools.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("no venue in {0}")]
    NoVenue(PathBuf),
    #[error("a venue already exists in {0}")]
    VenueExists(PathBuf),
    #[error("invalid root key")]
    BadRootKey,
    #[error("invalid witness policy: {0}")]
    BadWitnessPolicy(String),
    #[error("invalid minimum presentation version: {0}")]
    BadMinVersion(String),
    #[error("invalid profile name {0:?}")]
    BadProfile(String),
    #[error("no such file: {0}")]
    NoSuchFile(PathBuf),
    #[error("{0} is a directory")]
    IsADirectory(PathBuf),
    #[error("cannot write {path}: no folder {dir}")]
    NoSuchFolder { path: PathBuf, dir: PathBuf },
    #[error("cannot write {path}: {dir} is not a folder")]
    NotAFolder { path: PathBuf, dir: PathBuf },
    #[error("the input holds {count} different Greenlight codes")]
    SeveralCodes { count: usize },
    #[error("input larger than {max} bytes")]
    InputTooLarge { max: usize },
    #[error("input is neither text nor PNG")]
    NotText,
    #[error("no QR code in the image")]
    NoQrCode,
    #[error("image unreadable: {0}")]
    ImageUnreadable(String),
    #[error("QR code could not be written: {0}")]
    QrWrite(String),
    #[error("not a Greenlight code")]
    NotGreenlight,
    #[error("not a ticket")]
    NotATicket { found: Option<Kind> },
    #[error("not a venue code")]
    NotAVenueCode { found: Option<Kind> },
    #[error("damaged {kind}: {problem:?}")]
    Damaged { kind: Kind, problem: CodeProblem },
    #[error("non-standard window {0}")]
    NonStandardWindow(String),
    #[error("invalid venue name: {0}")]
    BadVenueName(ProtocolError),

    #[error(transparent)]
    Http(#[from] HttpError),

    #[error("root key mismatch: pinned {pinned}, offered {offered}")]
    RootMismatch { pinned: String, offered: String },
    #[error("key list does not verify: {0}")]
    KeyListInvalid(String),
    #[error("key list is not a successor: {0}")]
    KeyListRollback(ProtocolError),
    #[error("key list not vouched for by the witnesses: {0}")]
    KeyListNotWitnessed(String),
    #[error("issuing key {key_id}: {reason}")]
    IssuingKey {
        key_id: String,
        reason: greenlight_protocol::KeyRejection,
    },
    #[error("the key list could tag holders: {0}")]
    KeyListTagging(greenlight_protocol::TaggingRisk),
    #[error("refusing to trust {origin} on first use")]
    FirstUseRefused { origin: String },
    #[error("profile {profile} redeems in region {pinned}, not {offered}")]
    RegionChanged {
        profile: String,
        pinned: String,
        offered: String,
    },

    #[error("the ticket is not signed by the authority this server accepts")]
    TicketAuthority,
    #[error("ticket expired at {not_after}")]
    TicketExpired { not_after: u64 },
    #[error("ticket not valid before {not_before}")]
    TicketNotYetValid { not_before: u64 },
    #[error("issuer certified a different {0}")]
    AttributeMismatch(&'static str),
    #[error("token time {token_hour} too far from wallet time {wallet_hour}")]
    TimestampSkew { token_hour: u32, wallet_hour: u32 },
    /// A batch after the first failed; the earlier batches' tokens are stored.
    #[error("{source} (after {stored} of {asked} tokens were stored)")]
    RedeemIncomplete {
        stored: usize,
        asked: usize,
        source: Box<ClientError>,
    },
    #[error("issuance failed: {0}")]
    Issuance(greenlight_acl::AclError),

    #[error("no profile {profile:?} in this wallet")]
    UnknownProfile {
        profile: String,
        profiles: Vec<String>,
    },
    #[error("no tokens in profile {0}")]
    NoTokens(String),
    #[error("no green tokens in profile {0}")]
    NoneGreen(String),
    #[error("all green tokens in profile {profile} older than {window_hours} h")]
    AllTooOld { profile: String, window_hours: u8 },
    #[error("no token in profile {0} under an accepted key")]
    NoneAcceptedKey(String),
    #[error("tokens in profile {0} are from the future")]
    TokensFromFuture(String),
    #[error("presentation failed: {0}")]
    Prove(greenlight_circuits::PresentError),
}

/// Why the text of a code did not decode, in the terms the CLI explains to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeProblem {
    /// The text ends early or is shorter than the smallest code of its kind: it was cut while
    /// copying (double quotes in a shell drop every `$…` of the base45 text).
    CutShort,
    /// Characters base45 does not have, or a length no base45 text has.
    Garbled,
    /// Longer than any code of its kind.
    TooLong,
    /// A format version this tool does not know (a newer Greenlight wrote it).
    NewerVersion(u8),
    /// A field breaks a rule of the format (the decoder's own words).
    Invalid(String),
}

impl CodeProblem {
    /// What a decoder's format error on `text` (a code of `kind`) means for the person who
    /// pasted it.
    pub fn of_wire(kind: Kind, text: &str, e: &WireError) -> CodeProblem {
        match e {
            WireError::TooLong { .. } => CodeProblem::TooLong,
            _ if is_short(kind, text) => CodeProblem::CutShort,
            WireError::UnsupportedVersion(v) if *v > greenlight_wire::VERSION_1 => {
                CodeProblem::NewerVersion(*v)
            }
            WireError::Truncated => CodeProblem::CutShort,
            WireError::InvalidBase45 => CodeProblem::Garbled,
            other => CodeProblem::Invalid(other.to_string()),
        }
    }

    /// [`CodeProblem::of_wire`] for the protocol objects' decoders.
    pub fn of_protocol(kind: Kind, text: &str, e: &ProtocolError) -> CodeProblem {
        match e {
            ProtocolError::Wire(w) => CodeProblem::of_wire(kind, text, w),
            _ if is_short(kind, text) => CodeProblem::CutShort,
            other => CodeProblem::Invalid(other.to_string()),
        }
    }
}

/// Shorter than the smallest code of `kind`: whatever the decoder tripped over, the text was
/// cut.
fn is_short(kind: Kind, text: &str) -> bool {
    min_text_len(kind).is_some_and(|min| greenlight_wire::text::trim(text).len() < min)
}

/// The kind whose binary type tag is `tag`, if it is one with a text form.
pub fn kind_of_tag(tag: u8) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.tag() == tag)
}

impl ClientError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        ClientError::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// A refusal of the wallet's rules (`greenlight_wallet`), as the CLI reports it; `path`
    /// names the wallet file for damage reports.
    pub(crate) fn from_wallet(e: greenlight_wallet::WalletError, path: &Path) -> Self {
        Self::from_wallet_for(e, path, "")
    }

    /// [`ClientError::from_wallet`] for an operation on `profile`.
    pub(crate) fn from_wallet_for(
        e: greenlight_wallet::WalletError,
        path: &Path,
        profile: &str,
    ) -> Self {
        use greenlight_wallet::{NoToken, WalletError as W};
        let profile = profile.to_owned();
        match e {
            W::BadProfile(name) => ClientError::BadProfile(name),
            W::Corrupt(detail) | W::Encode(detail) => ClientError::corrupt(path, detail),
            W::BadTicket(detail) => ClientError::Damaged {
                kind: Kind::Ticket,
                problem: CodeProblem::Invalid(detail),
            },
            W::UnknownProfile { profile, profiles } => {
                ClientError::UnknownProfile { profile, profiles }
            }
            W::TicketAuthority => ClientError::TicketAuthority,
            W::TicketExpired { not_after } => ClientError::TicketExpired { not_after },
            W::TicketNotYetValid { not_before } => ClientError::TicketNotYetValid { not_before },
            W::IssuingKey { key_id, reason } => ClientError::IssuingKey { key_id, reason },
            W::TaggingRisk(risk) => ClientError::KeyListTagging(risk),
            W::RegionChanged {
                profile,
                pinned,
                offered,
            } => ClientError::RegionChanged {
                profile,
                pinned,
                offered,
            },
            W::InvalidListedKey(key_id) => {
                ClientError::KeyListInvalid(format!("key {key_id} is not a valid point"))
            }
            W::Certified(greenlight_issuance::CertifiedMismatch::TimestampSkew {
                token_hour,
                wallet_hour,
            }) => ClientError::TimestampSkew {
                token_hour,
                wallet_hour,
            },
            W::Certified(m) => ClientError::AttributeMismatch(m.field()),
            W::BadMessage { what, detail } => {
                ClientError::Http(HttpError::BadResponse(format!("{what}: {detail}")))
            }
            W::Issuance(e) => ClientError::Issuance(e),
            W::Prove(e) => ClientError::Prove(e),
            W::NoToken(NoToken::Empty) => ClientError::NoTokens(profile),
            W::NoToken(NoToken::NoneGreen) => ClientError::NoneGreen(profile),
            W::NoToken(NoToken::NoneAcceptedKey) => ClientError::NoneAcceptedKey(profile),
            W::NoToken(NoToken::FromTheFuture) => ClientError::TokensFromFuture(profile),
            W::NoToken(NoToken::AllTooOld { window_hours }) => ClientError::AllTooOld {
                profile,
                window_hours,
            },
        }
    }

    pub(crate) fn corrupt(path: &Path, detail: impl Into<String>) -> Self {
        ClientError::Corrupt {
            path: path.to_owned(),
            detail: detail.into(),
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        use ClientError::*;
        match self {
            RedeemIncomplete { source, .. } => source.exit_code(),
            Io { .. }
            | NoSuchFile(_)
            | IsADirectory(_)
            | NoSuchFolder { .. }
            | NotAFolder { .. }
            | SeveralCodes { .. }
            | Corrupt { .. }
            | NoVenue(_)
            | VenueExists(_)
            | BadRootKey
            | BadWitnessPolicy(_)
            | BadMinVersion(_)
            | BadProfile(_)
            | InputTooLarge { .. }
            | NotText
            | NoQrCode
            | ImageUnreadable(_)
            | QrWrite(_)
            | NotGreenlight
            | NotATicket { .. }
            | NotAVenueCode { .. }
            | Damaged { .. }
            | NonStandardWindow(_)
            | BadVenueName(_) => EXIT_USAGE,
            Http(HttpError::BadUrl(_)) | Http(HttpError::NotHttps { .. }) => EXIT_USAGE,
            Http(HttpError::Unreachable { .. })
            | Http(HttpError::Timeout { .. })
            | Http(HttpError::BadResponse(_)) => EXIT_UNAVAILABLE,
            Http(HttpError::Server { status, code, .. }) => {
                if code.is_server_failure(*status) {
                    EXIT_UNAVAILABLE
                } else {
                    EXIT_REFUSED
                }
            }
            _ => EXIT_REFUSED,
        }
    }

    /// The message in English (the fields a test compares); [`ClientError::message_in`]
    /// gives it with every embedded word in the chosen language.
    pub fn message(&self) -> Msg {
        self.message_in(Lang::En)
    }

    /// The message, with its parameters (kind names, file-system reasons, …) in `lang`.
    pub fn message_in(&self, lang: Lang) -> Msg {
        use ClientError::*;
        let path_text = |p: &Path| p.display().to_string();
        match self {
            Io { path, source } => Msg::Io {
                path: path_text(path),
                detail: io_detail(source).text(lang),
            },
            NoSuchFile(path) => Msg::NoSuchFile {
                path: path_text(path),
            },
            IsADirectory(path) => Msg::IsADirectory {
                path: path_text(path),
            },
            NoSuchFolder { path, dir } => Msg::NoSuchFolder {
                path: path_text(path),
                dir: path_text(dir),
            },
            NotAFolder { path, dir } => Msg::NotAFolder {
                path: path_text(path),
                dir: path_text(dir),
            },
            SeveralCodes { count } => Msg::SeveralCodes {
                count: *count as u64,
            },
            Corrupt { path, detail } => Msg::Corrupt {
                path: path_text(path),
                detail: detail.clone(),
            },
            NoVenue(dir) => Msg::NoVenue {
                dir: path_text(dir),
            },
            VenueExists(dir) => Msg::VenueExists {
                dir: path_text(dir),
            },
            BadRootKey => Msg::BadRootHex,
            BadWitnessPolicy(d) => Msg::BadWitnessPolicy { detail: d.clone() },
            BadMinVersion(d) => Msg::BadMinVersion { detail: d.clone() },
            BadProfile(name) => Msg::BadProfile { name: name.clone() },
            InputTooLarge { max } => Msg::InputTooLarge { max: *max as u64 },
            NotText => Msg::NotText,
            NoQrCode => Msg::NoQrCode,
            ImageUnreadable(d) => Msg::ImageUnreadable { detail: d.clone() },
            QrWrite(d) => Msg::QrWriteFailed { detail: d.clone() },
            NotGreenlight => Msg::NotAnyCode,
            NotATicket { found: None } => Msg::NotATicket,
            NotATicket { found: Some(k) } => Msg::TicketIsOtherKind {
                kind: kind_with_article(*k, lang),
            },
            NotAVenueCode { found: None } => Msg::NotAVenueCode,
            NotAVenueCode { found: Some(k) } => Msg::VenueCodeIsOtherKind {
                kind: kind_with_article(*k, lang),
            },
            Damaged { kind, problem } => {
                let kind_text = kind_name(*kind, lang);
                let detail = match problem {
                    CodeProblem::CutShort => return Msg::CodeCutShort { kind: kind_text },
                    CodeProblem::Garbled => Msg::CodeGarbled,
                    CodeProblem::TooLong => Msg::CodeTooLong,
                    CodeProblem::NewerVersion(v) => Msg::CodeNewerVersion {
                        version: u64::from(*v),
                    },
                    CodeProblem::Invalid(d) => Msg::CodeInvalid { detail: d.clone() },
                };
                Msg::DamagedCode {
                    kind: kind_text,
                    detail: detail.text(lang),
                }
            }
            NonStandardWindow(given) => Msg::NonStandardWindow {
                given: given.clone(),
            },
            BadVenueName(e) => Msg::BadVenueName {
                detail: name_problem(e).text(lang),
            },
            Http(e) => http_message(e),
            RootMismatch { pinned, offered } => Msg::RootMismatch {
                pinned: pinned.clone(),
                offered: offered.clone(),
            },
            KeyListInvalid(d) => Msg::KeyListInvalid { detail: d.clone() },
            KeyListRollback(e) => Msg::KeyListRollback {
                detail: e.to_string(),
            },
            KeyListNotWitnessed(d) => Msg::KeyListNotWitnessed { detail: d.clone() },
            IssuingKey { key_id, reason } => {
                let key_id = key_id.clone();
                match reason {
                    greenlight_protocol::KeyRejection::Unknown => Msg::IssuingKeyUnknown { key_id },
                    greenlight_protocol::KeyRejection::Revoked => Msg::IssuingKeyRevoked { key_id },
                    _ => Msg::IssuingKeyNotIssuing { key_id },
                }
            }
            KeyListTagging(risk) => tagging_message(risk),
            FirstUseRefused { origin } => Msg::FirstUseRefused {
                origin: origin.clone(),
            },
            RegionChanged {
                profile,
                pinned,
                offered,
            } => Msg::RegionChanged {
                profile: profile.clone(),
                pinned: pinned.clone(),
                offered: offered.clone(),
            },
            TicketAuthority => Msg::TicketAuthority,
            TicketExpired { not_after } => Msg::TicketExpired {
                not_after: format_unix(*not_after),
            },
            TicketNotYetValid { not_before } => Msg::TicketNotYetValid {
                not_before: format_unix(*not_before),
            },
            AttributeMismatch(field) => Msg::AttributeMismatch {
                field: (*field).to_owned(),
            },
            TimestampSkew {
                token_hour,
                wallet_hour,
            } => Msg::TimestampSkew {
                token_hour: format_unix(u64::from(*token_hour) * 3600),
                wallet_hour: format_unix(u64::from(*wallet_hour) * 3600),
            },
            RedeemIncomplete {
                stored,
                asked,
                source,
            } => Msg::RedeemIncomplete {
                stored: *stored as u64,
                asked: *asked as u64,
                reason: source.message_in(lang).text(lang),
            },
            Issuance(e) => Msg::IssuanceFailed {
                detail: e.to_string(),
            },
            UnknownProfile { profiles, .. } if profiles.is_empty() => Msg::WalletEmpty,
            UnknownProfile { profile, profiles } => Msg::UnknownProfile {
                profile: profile.clone(),
                profiles: crate::i18n::list(profiles, lang),
            },
            NoTokens(p) => Msg::NoTokens { profile: p.clone() },
            NoneGreen(p) => Msg::NoneGreen { profile: p.clone() },
            AllTooOld {
                profile,
                window_hours,
            } => Msg::AllTooOld {
                profile: profile.clone(),
                window: u64::from(*window_hours),
            },
            NoneAcceptedKey(p) => Msg::NoneAcceptedKey { profile: p.clone() },
            TokensFromFuture(p) => Msg::TokensFromFuture { profile: p.clone() },
            Prove(e) => Msg::ProveFailed {
                detail: e.to_string(),
            },
        }
    }

    /// The localized message.
    pub fn localized(&self, lang: Lang) -> String {
        self.message_in(lang).text(lang)
    }
}

/// A file-system failure in plain words (the OS's own words only as a last resort).
fn io_detail(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => return Msg::IoNotFound,
        K::PermissionDenied => return Msg::IoPermissionDenied,
        K::AlreadyExists => return Msg::IoAlreadyExists,
        _ => {}
    }
    // The kinds for these are newer than the workspace's minimum Rust; their numbers are the
    // same on Linux and the BSDs (macOS).
    #[cfg(unix)]
    match e.raw_os_error() {
        Some(20) => return Msg::IoNotADirectory,
        Some(21) => return Msg::IoIsADirectory,
        Some(28) => return Msg::IoDiskFull,
        Some(30) => return Msg::IoReadOnly,
        _ => {}
    }
    Msg::IoOther {
        detail: e.to_string(),
    }
}

/// What is wrong with a venue name.
fn name_problem(e: &ProtocolError) -> Msg {
    use greenlight_protocol::StringProblem as P;
    match e {
        ProtocolError::Wire(WireError::InvalidString { problem, .. }) => match problem {
            P::TooShort => Msg::TextEmpty,
            P::TooLong => Msg::TextTooLong,
            P::NotUtf8 => Msg::TextNotUtf8,
            P::ControlCharacter => Msg::TextControlCharacter,
            P::InvisibleCharacter => Msg::TextInvisibleCharacter,
        },
        other => Msg::CodeInvalid {
            detail: other.to_string(),
        },
    }
}

/// Why a key list could tag holders, in the user's words.
fn tagging_message(risk: &greenlight_protocol::TaggingRisk) -> Msg {
    use greenlight_protocol::TaggingRisk as T;
    match risk {
        T::Unreadable { value, .. } => Msg::TaggingUnreadable {
            name: value.clone(),
        },
        T::LookAlikeRegions { first, second } | T::LookAlikeNames { first, second } => {
            Msg::TaggingLookAlike {
                first: first.clone(),
                second: second.clone(),
            }
        }
        T::ShortIssuingPeriod {
            region,
            key_id,
            seconds,
            min,
        } => Msg::TaggingShortPeriod {
            region: region.clone(),
            key_id: hex::encode(key_id),
            hours: seconds / 3600,
            min_days: min / 86_400,
        },
        T::TooManyInRegion { region, count, .. } => Msg::TooManyIssuingKeys {
            region: region.clone(),
            count: *count,
        },
        T::TooManyInList { count, max, .. } => Msg::TaggingTooManyInList {
            count: *count,
            max: *max,
        },
    }
}

fn http_message(e: &HttpError) -> Msg {
    match e {
        HttpError::BadUrl(url) => Msg::BadServerUrl { url: url.clone() },
        HttpError::Unreachable { url } => Msg::ServerUnreachable { url: url.clone() },
        HttpError::NotHttps { url } => Msg::ServerNotHttps { url: url.clone() },
        HttpError::TlsCertificate { url } => Msg::ServerTlsCertificate { url: url.clone() },
        HttpError::Timeout { url } => Msg::ServerTimeout { url: url.clone() },
        HttpError::BadResponse(d) => Msg::ServerBadResponse { detail: d.clone() },
        HttpError::Server { status, code, .. } => match code {
            ServerCode::Known(c) => server_code_message(*c),
            ServerCode::Other(code) => Msg::SrvOther {
                status: *status,
                code: code.clone(),
            },
        },
    }
}

/// What to tell the user for each error code of `docs/api.md` (localized by [`Msg::text`]).
/// Exhaustive, so a code added to `greenlight-api` does not compile until it has a message.
pub fn server_code_message(code: ErrorCode) -> Msg {
    match code {
        ErrorCode::BadRequest => Msg::SrvBadRequest,
        ErrorCode::InvalidTicket => Msg::SrvInvalidTicket,
        ErrorCode::TicketNotYetValid => Msg::SrvTicketNotYetValid,
        ErrorCode::TicketExpired => Msg::SrvTicketExpired,
        ErrorCode::TicketTooLong => Msg::SrvTicketTooLong,
        ErrorCode::QuotaExceeded => Msg::SrvQuotaExceeded,
        ErrorCode::SubjectRevoked => Msg::SrvSubjectRevoked,
        ErrorCode::TicketSuperseded => Msg::SrvTicketSuperseded,
        ErrorCode::TicketBusy => Msg::SrvTicketBusy,
        ErrorCode::BadRegistration => Msg::SrvBadRegistration,
        ErrorCode::UnknownSession => Msg::SrvUnknownSession,
        ErrorCode::Unauthorized => Msg::SrvUnauthorized,
        ErrorCode::NotFound | ErrorCode::MethodNotAllowed => Msg::SrvNotFound,
        ErrorCode::PayloadTooLarge => Msg::SrvPayloadTooLarge,
        ErrorCode::RateLimited => Msg::SrvRateLimited,
        ErrorCode::Overloaded => Msg::SrvOverloaded,
        ErrorCode::Timeout => Msg::SrvTimeout,
        ErrorCode::KeyNotIssuing => Msg::SrvKeyNotIssuing,
        ErrorCode::Internal => Msg::SrvInternal,
    }
}

/// `Result` with [`ClientError`].
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error(status: u16, code: ServerCode) -> ClientError {
        ClientError::Http(HttpError::Server {
            status,
            code,
            message: String::new(),
            remaining: None,
        })
    }

    #[test]
    fn every_server_code_has_a_localized_message_and_an_exit_code() {
        for code in ErrorCode::ALL {
            let msg = server_code_message(code);
            assert!(!matches!(msg, Msg::SrvOther { .. }), "{code}");
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{code} {lang:?}");
            }
            let err = server_error(code.http_status(), ServerCode::Known(code));
            assert_eq!(err.message(), msg);
            let expected = if code.http_status() >= 500 {
                EXIT_UNAVAILABLE
            } else {
                EXIT_REFUSED
            };
            assert_eq!(err.exit_code(), expected, "{code}");
        }
        let newer = server_error(418, ServerCode::parse("from_the_future"));
        assert_eq!(
            newer.message(),
            Msg::SrvOther {
                status: 418,
                code: "from_the_future".into()
            }
        );
        assert_eq!(newer.exit_code(), EXIT_REFUSED);
    }
}
