//! Every JSON request and response body of `docs/api.md`.
//!
//! Field names and order are the wire format (the server's output is byte-for-byte what these
//! types serialize to). Binary objects are unpadded base64url strings; the `*_bytes` methods
//! decode them and the constructors encode them, so no caller handles base64 itself.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::code::{ErrorCode, ServerCode};
use crate::{b64_decode, b64_encode};

/// What `Debug` prints instead of personal data.
const REDACTED: &str = "<redacted>";

/// A base64 field that does not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field} is not unpadded base64url")]
pub struct NotBase64 {
    /// The JSON field name.
    pub field: &'static str,
}

fn decode_field(text: &str, field: &'static str) -> Result<Vec<u8>, NotBase64> {
    b64_decode(text).ok_or(NotBase64 { field })
}

// ---- errors --------------------------------------------------------------------------------

/// Every refusal: `{"error": {"code": "…", "message": "…"}}` with the HTTP status of the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A stable code and a fixed English message (never personal or internal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// The snake_case code; codes this build does not know are kept as
    /// [`ServerCode::Other`].
    pub code: ServerCode,
    /// Human-readable English text (missing in a reply reads as empty).
    #[serde(default)]
    pub message: String,
    /// With `quota_exceeded`: how many tokens the ticket can still mint, when the server
    /// looked (a wallet then asks for that many; absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u16>,
}

impl ErrorBody {
    /// The body for `code` with `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code: ServerCode::Known(code),
                message: message.into(),
                remaining: None,
            },
        }
    }

    /// The body for `code` with its fixed default message.
    pub fn from_code(code: ErrorCode) -> Self {
        Self::new(code, code.message())
    }
}

// ---- GET /v1/keys --------------------------------------------------------------------------

/// `GET /v1/keys`. Public key material only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeysResponse {
    /// Hex of the 32-byte root Ed25519 public key.
    pub root_public_key: String,
    /// `GLK1:…`, the root-signed key list.
    pub key_list: String,
    /// `GLK1:…`, the list `key_list` succeeded, when the server has it. Clients check it
    /// (signed by the same root, `key_list` its append-only successor, a lower sequence) and
    /// keep it: version-2 presentations may be bound to it (spec §7.3). Absent from servers
    /// before it was published, and when the list is the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_key_list: Option<String>,
    /// Hex of the 8-byte id of the key new tokens are signed with.
    pub issuing_key_id: String,
    /// Most tokens one `start` may ask for on this server (its cap on open issuance
    /// sessions, at most 64). Absent (from servers before it was published): 64. A wallet
    /// splits a ticket into batches of at most this many
    /// (`greenlight_wallet::batch_sizes`). Not signed: a wrong value only changes how many
    /// round trips a redeem takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_batch: Option<u16>,
    /// Hex of the 32-byte Ed25519 key whose tickets this server accepts (the health
    /// authority's), so a wallet can check a ticket's signature before redeeming it. Absent
    /// from servers before it was published. Not signed by the root: a wrong value only makes
    /// a wallet's early check wrong; the server checks every ticket itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority_public_key: Option<String>,
    /// Witnesses' cosignatures of `key_list`'s checkpoint (spec §7.6), as the key list file
    /// carries them. Empty (absent) when the list has none, and from servers before they were
    /// published. Not signed by the root: each cosignature is checked on its own, and a
    /// client that requires a quorum refuses a list without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cosignatures: Vec<WitnessCosignature>,
}

/// One witness's cosignature of a key list checkpoint (spec §7.6), as JSON. The strings are
/// checked where they are used (`greenlight_venue`): a malformed one counts as no cosignature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessCosignature {
    /// Hex of the witness's 32-byte Ed25519 public key.
    pub witness: String,
    /// When the witness signed, Unix seconds (its clock).
    pub timestamp: u64,
    /// Hex of the 64-byte Ed25519 signature over the checkpoint message.
    pub signature: String,
}

// ---- the key list file and POST /v1/admin/key-list -----------------------------------------

/// A root-signed key list with its root, as `greenlight-server root sign` writes it (the
/// `--key-list` file of `serve`) and as `POST /v1/admin/key-list` takes it. The root key is
/// carried for convenience only: a server checks it against the root its data directory pinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyListDocument {
    /// Format version ([`KeyListDocument::VERSION`]).
    pub version: u32,
    /// Hex of the 32-byte root Ed25519 public key that signed the list.
    pub root_public_key: String,
    /// `GLK1:…`, the root-signed key list.
    pub key_list: String,
    /// `GLK1:…`, the list `key_list` succeeded (what `root sign` signed before it), which a
    /// server publishes beside it (`GET /v1/keys`). Absent for a first list and in files
    /// written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_key_list: Option<String>,
    /// Witnesses' cosignatures of `key_list` (`greenlight-server witness cosign` adds them;
    /// spec §7.6), which a server publishes in `GET /v1/keys`. Outside the root's signature:
    /// adding one does not change the list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cosignatures: Vec<WitnessCosignature>,
}

impl KeyListDocument {
    /// The format version this build writes and reads.
    pub const VERSION: u32 = 1;
}

/// `POST /v1/admin/key-list`: the list now served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyListLoaded {
    /// Sequence number of the list served from now on.
    pub sequence: u64,
    /// Whether it replaced another list (`false`: the same list was loaded again).
    pub changed: bool,
    /// Hex of the 8-byte id of the key new tokens are signed with.
    pub issuing_key_id: String,
    /// Witnesses' cosignatures of the list served now (`GET /v1/keys`, spec §7.6). Absent
    /// from servers before they were published: 0.
    #[serde(default)]
    pub cosignatures: usize,
    /// Whether they differ from those served before: the same list re-cosigned is news to
    /// clients even when `changed` is false.
    #[serde(default)]
    pub cosignatures_changed: bool,
}

// ---- POST /v1/issuance/start ---------------------------------------------------------------

/// `POST /v1/issuance/start`. `Debug` redacts the ticket.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartRequest {
    /// `GLT1:…` (personal: it carries the subject, status and travel).
    pub ticket: String,
    /// b64 `RegistrationBatch`.
    pub registrations: String,
}

impl StartRequest {
    /// A request for the ticket text and the wire bytes of a `RegistrationBatch`.
    pub fn new(ticket: impl Into<String>, registrations: &[u8]) -> Self {
        StartRequest {
            ticket: ticket.into(),
            registrations: b64_encode(registrations),
        }
    }

    /// The decoded `registrations`.
    pub fn registrations_bytes(&self) -> Result<Vec<u8>, NotBase64> {
        decode_field(&self.registrations, "registrations")
    }
}

impl fmt::Debug for StartRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartRequest")
            .field("ticket", &REDACTED)
            .field("registrations", &self.registrations)
            .finish()
    }
}

/// Answer to `POST /v1/issuance/start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartResponse {
    /// Hex of the 16-byte session id.
    pub session: String,
    /// b64 `CommitmentBatch`.
    pub commitments: String,
    /// Seconds the session stays open (missing in a reply reads as 0).
    #[serde(default)]
    pub expires_in_secs: u64,
}

impl StartResponse {
    /// The decoded `commitments`.
    pub fn commitments_bytes(&self) -> Result<Vec<u8>, NotBase64> {
        decode_field(&self.commitments, "commitments")
    }
}

// ---- POST /v1/issuance/finish --------------------------------------------------------------

/// `POST /v1/issuance/finish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishRequest {
    /// Hex session id from `start`.
    pub session: String,
    /// b64 `ChallengeBatch`.
    pub challenges: String,
}

impl FinishRequest {
    /// A request for the session id and the wire bytes of a `ChallengeBatch`.
    pub fn new(session: impl Into<String>, challenges: &[u8]) -> Self {
        FinishRequest {
            session: session.into(),
            challenges: b64_encode(challenges),
        }
    }

    /// The decoded `challenges`.
    pub fn challenges_bytes(&self) -> Result<Vec<u8>, NotBase64> {
        decode_field(&self.challenges, "challenges")
    }
}

/// Answer to `POST /v1/issuance/finish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishResponse {
    /// b64 `AnswerBatch`.
    pub answers: String,
}

impl FinishResponse {
    /// The answer for the wire bytes of an `AnswerBatch`.
    pub fn new(answers: &[u8]) -> Self {
        FinishResponse {
            answers: b64_encode(answers),
        }
    }

    /// The decoded `answers`.
    pub fn answers_bytes(&self) -> Result<Vec<u8>, NotBase64> {
        decode_field(&self.answers, "answers")
    }
}

// ---- POST /v1/admin/tickets ----------------------------------------------------------------

/// `POST /v1/admin/tickets` (bearer). `Debug` redacts subject, status and travel (identity,
/// health and movements); they are wiped from memory on drop.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminTicketRequest {
    /// Subject handle (opaque, chosen by the authority; never an ID number).
    pub subject: String,
    /// `green`, `yellow` or `red`.
    pub status: String,
    /// Region codes, `"CN,HK"` (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel: Option<String>,
    /// Tokens, 1..=64 (optional, default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u16>,
    /// Validity in seconds, 1..=7776000 (optional, default 7 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_for_secs: Option<u64>,
}

impl AdminTicketRequest {
    /// A request for `subject` with `status` and the server's defaults for the rest.
    pub fn new(subject: impl Into<String>, status: impl Into<String>) -> Self {
        AdminTicketRequest {
            subject: subject.into(),
            status: status.into(),
            travel: None,
            tokens: None,
            valid_for_secs: None,
        }
    }
}

impl Drop for AdminTicketRequest {
    fn drop(&mut self) {
        self.subject.zeroize();
        self.status.zeroize();
        if let Some(travel) = &mut self.travel {
            travel.zeroize();
        }
    }
}

impl fmt::Debug for AdminTicketRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminTicketRequest")
            .field("subject", &REDACTED)
            .field("status", &REDACTED)
            .field("travel", &REDACTED)
            .field("tokens", &self.tokens)
            .field("valid_for_secs", &self.valid_for_secs)
            .finish()
    }
}

/// Answer to `POST /v1/admin/tickets`. `Debug` redacts the ticket and its id.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminTicketResponse {
    /// `GLT1:…`.
    pub ticket: String,
    /// Hex of the 16-byte ticket id.
    pub ticket_id: String,
    /// End of validity, Unix seconds.
    pub not_after: u64,
}

impl fmt::Debug for AdminTicketResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminTicketResponse")
            .field("ticket", &REDACTED)
            .field("ticket_id", &REDACTED)
            .field("not_after", &self.not_after)
            .finish()
    }
}

// ---- revocations ---------------------------------------------------------------------------

/// `POST /v1/admin/revocations` (bearer). `Debug` redacts the subject; it is wiped from
/// memory on drop.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeRequest {
    /// Subject handle.
    pub subject: String,
}

impl RevokeRequest {
    /// A request to revoke `subject`.
    pub fn new(subject: impl Into<String>) -> Self {
        RevokeRequest {
            subject: subject.into(),
        }
    }
}

impl Drop for RevokeRequest {
    fn drop(&mut self) {
        self.subject.zeroize();
    }
}

impl fmt::Debug for RevokeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevokeRequest")
            .field("subject", &REDACTED)
            .finish()
    }
}

/// `POST /v1/admin/appeals` (bearer): an appeal granted, the subject's revocation is lifted.
/// The subject travels in the body, never in the URL (proxies and access logs record URLs).
/// `Debug` redacts the subject; it is wiped from memory on drop.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealRequest {
    /// Subject handle.
    pub subject: String,
}

impl AppealRequest {
    /// A request to lift the revocation of `subject`.
    pub fn new(subject: impl Into<String>) -> Self {
        AppealRequest {
            subject: subject.into(),
        }
    }
}

impl Drop for AppealRequest {
    fn drop(&mut self) {
        self.subject.zeroize();
    }
}

impl fmt::Debug for AppealRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppealRequest")
            .field("subject", &REDACTED)
            .finish()
    }
}

/// Answer to `POST /v1/admin/revocations` and `POST /v1/admin/appeals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationResponse {
    /// Whether the subject is revoked now.
    pub subject_revoked: bool,
    /// Whether this call changed it.
    pub changed: bool,
}

// ---- GET /v1/stats/issued -----------------------------------------------------------------

/// `GET /v1/stats/issued`: tokens issued per key and completed UTC day — the anonymity-set
/// figures of `docs/privacy.md` §2. Today's running count is never included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedTotalsResponse {
    /// Ordered by key id, then day.
    pub days: Vec<IssuedDay>,
}

/// One figure of [`IssuedTotalsResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedDay {
    /// Hex of the 8-byte key id.
    pub key_id: String,
    /// The UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// Tokens issued under the key that day.
    pub tokens: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const SUBJECT: &str = "resident-7f3a-secret";
    const TICKET: &str = "GLT1:SECRET-TICKET-TEXT";
    const TICKET_ID: &str = "00112233445566778899aabbccddeeff";

    #[test]
    fn debug_never_shows_personal_data() {
        let mut admin = AdminTicketRequest::new(SUBJECT, "yellow");
        admin.travel = Some("KP,AQ".into());
        admin.tokens = Some(5);
        let shown = format!("{admin:?} {admin:#?}");
        for secret in [SUBJECT, "yellow", "KP", "AQ"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("tokens: Some(5)"), "{shown}");

        let shown = format!("{:?}", RevokeRequest::new(SUBJECT));
        assert!(!shown.contains(SUBJECT), "{shown}");
        let shown = format!("{:?}", AppealRequest::new(SUBJECT));
        assert!(!shown.contains(SUBJECT), "{shown}");

        let shown = format!("{:?}", StartRequest::new(TICKET, b"regs"));
        assert!(
            !shown.contains(TICKET) && !shown.contains("SECRET"),
            "{shown}"
        );

        let response = AdminTicketResponse {
            ticket: TICKET.into(),
            ticket_id: TICKET_ID.into(),
            not_after: 1_750_000_000,
        };
        let shown = format!("{response:?} {response:#?}");
        assert!(
            !shown.contains("SECRET") && !shown.contains(TICKET_ID),
            "{shown}"
        );
        assert!(shown.contains("1750000000"), "{shown}");
    }

    #[test]
    fn json_shapes_are_the_documented_ones() {
        let mut admin = AdminTicketRequest::new("s", "green");
        assert_eq!(
            serde_json::to_string(&admin).unwrap(),
            r#"{"subject":"s","status":"green"}"#
        );
        admin.travel = Some("CN,HK".into());
        admin.tokens = Some(10);
        admin.valid_for_secs = Some(86400);
        assert_eq!(
            serde_json::to_value(&admin).unwrap(),
            json!({"subject": "s", "status": "green", "travel": "CN,HK", "tokens": 10, "valid_for_secs": 86400})
        );
        let parsed: AdminTicketRequest =
            serde_json::from_str(r#"{"subject":"s","status":"red"}"#).unwrap();
        assert_eq!((parsed.travel.clone(), parsed.tokens), (None, None));

        assert_eq!(
            serde_json::to_string(&ErrorBody::from_code(ErrorCode::NotFound)).unwrap(),
            r#"{"error":{"code":"not_found","message":"no such route"}}"#
        );
        let reply: ErrorBody = serde_json::from_str(r#"{"error":{"code":"new_code"}}"#).unwrap();
        assert_eq!(reply.error.code, ServerCode::Other("new_code".into()));
        assert_eq!(reply.error.message, "");

        assert_eq!(
            serde_json::to_string(&StartResponse {
                session: "ab".into(),
                commitments: "Y28".into(),
                expires_in_secs: 60
            })
            .unwrap(),
            r#"{"session":"ab","commitments":"Y28","expires_in_secs":60}"#
        );
        assert_eq!(
            serde_json::to_string(&RevocationResponse {
                subject_revoked: true,
                changed: false
            })
            .unwrap(),
            r#"{"subject_revoked":true,"changed":false}"#
        );
        assert_eq!(
            serde_json::to_string(&AppealRequest::new("s")).unwrap(),
            r#"{"subject":"s"}"#
        );
        let v: Value = serde_json::to_value(StartRequest::new("GLT1:x", b"\xfb\xff")).unwrap();
        assert_eq!(v, json!({"ticket": "GLT1:x", "registrations": "-_8"}));
        let v: Value = serde_json::to_value(FinishRequest::new("ab", b"\xfb\xff")).unwrap();
        assert_eq!(v, json!({"session": "ab", "challenges": "-_8"}));
    }

    #[test]
    fn base64_fields_round_trip_and_name_the_field_on_failure() {
        let start = StartRequest::new("t", b"\x00\x01\x02");
        assert_eq!(start.registrations_bytes().unwrap(), b"\x00\x01\x02");
        let finish = FinishRequest::new("s", b"abc");
        assert_eq!(finish.challenges_bytes().unwrap(), b"abc");
        assert_eq!(FinishResponse::new(b"xyz").answers_bytes().unwrap(), b"xyz");
        let bad = StartResponse {
            session: String::new(),
            commitments: "not base64!".into(),
            expires_in_secs: 0,
        };
        let err = bad.commitments_bytes().unwrap_err();
        assert_eq!(err.to_string(), "commitments is not unpadded base64url");
        let bad = FinishRequest {
            session: String::new(),
            challenges: "a=".into(),
        };
        assert_eq!(
            bad.challenges_bytes().unwrap_err().to_string(),
            "challenges is not unpadded base64url"
        );
    }
}
