//! A small async HTTP client for the server's API, with the holder's side of issuance from
//! `greenlight-acl` (the wallet CLI is not used: these tests must not depend on it).
//!
//! Issuance is split into type-states so a test can record exactly which step the server
//! acknowledged: [`Prepared`] (registrations computed, nothing sent) → [`Prepared::start`] →
//! [`Started`] (the server reserved the quota and answered) → [`Started::finish`] → tokens.

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::{
    AnswerBatch, ChallengeBatch, CommitmentBatch, HolderChallenged, HolderRegistered, HolderRequest,
};
use greenlight_acl::{IssuerPublicKey, Token};
use greenlight_protocol::{KeyList, Ticket};
use greenlight_server::{
    b64_decode, b64_encode, AdminTicketResponse, ErrorBody, FinishRequest, FinishResponse,
    KeysResponse, RevocationResponse, StartRequest, StartResponse,
};
use rand::rngs::OsRng;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No HTTP answer at all: connection refused or reset, or the client's own timeout. After
    /// a crash this is the "outcome unknown" case.
    #[error("no answer from the server: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered with an error body.
    #[error("server refused with {status} {code}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// `error.code` (or `http_<status>` if the body was not an error body).
        code: String,
    },
    /// The server answered 200 with something the client cannot use.
    #[error("unusable server answer: {0}")]
    Protocol(String),
}

impl ClientError {
    /// A short label for counting: the server's error code, `transport` or `protocol`.
    pub fn code(&self) -> &str {
        match self {
            ClientError::Transport(_) => "transport",
            ClientError::Refused { code, .. } => code,
            ClientError::Protocol(_) => "protocol",
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the server gave no answer (the request's effect is unknown).
    pub fn is_transport(&self) -> bool {
        matches!(self, ClientError::Transport(_))
    }

    fn protocol(what: impl Into<String>) -> Self {
        ClientError::Protocol(what.into())
    }
}

/// The API of one server at `base` (`http://127.0.0.1:PORT`).
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    admin_token: Option<String>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the admin token.
        f.debug_struct("Api")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Api {
    /// A client with a connection pool sized for `concurrency` parallel requests.
    pub fn new(
        base: impl Into<String>,
        admin_token: Option<String>,
        concurrency: usize,
    ) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency.max(1))
            .tcp_nodelay(true)
            // Bounded: a test or load run never waits forever on a wedged server.
            .timeout(std::time::Duration::from_secs(30))
            .connect_timeout(std::time::Duration::from_secs(5))
            .build()
            .map_err(ClientError::Transport)?;
        Ok(Api {
            http,
            base: base.into().trim_end_matches('/').to_owned(),
            admin_token,
        })
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    async fn answer<T: DeserializeOwned>(
        response: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, ClientError> {
        let response = response.map_err(ClientError::Transport)?;
        let status = response.status();
        let body = response.bytes().await.map_err(ClientError::Transport)?;
        if status.is_success() {
            serde_json::from_slice(&body)
                .map_err(|e| ClientError::protocol(format!("{status} body does not parse: {e}")))
        } else {
            let code = serde_json::from_slice::<ErrorBody>(&body)
                .map(|b| b.error.code)
                .unwrap_or_else(|_| format!("http_{}", status.as_u16()));
            Err(ClientError::Refused {
                status: status.as_u16(),
                code,
            })
        }
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        admin: bool,
    ) -> Result<T, ClientError> {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(body);
        if admin {
            let token = self
                .admin_token
                .as_deref()
                .ok_or_else(|| ClientError::protocol("no admin token configured"))?;
            req = req.bearer_auth(token);
        }
        Self::answer(req.send().await).await
    }

    /// `GET /v1/keys`.
    pub async fn keys(&self) -> Result<KeysResponse, ClientError> {
        Self::answer(self.http.get(format!("{}/v1/keys", self.base)).send().await).await
    }

    /// The issuing key as a wallet finds it: `/v1/keys`, the key list verified under the root
    /// key the server names (these tests trust the server they started), the issuing key id
    /// looked up in the list.
    pub async fn issuer_key(&self) -> Result<IssuerPublicKey, ClientError> {
        issuer_key_from(&self.keys().await?)
    }

    /// `POST /v1/admin/tickets`: a green ticket for `subject` with `tokens` tokens.
    pub async fn create_ticket(&self, subject: &str, tokens: u16) -> Result<String, ClientError> {
        let reply: AdminTicketResponse = self
            .post(
                "/v1/admin/tickets",
                &json!({"subject": subject, "status": "green", "tokens": tokens}),
                true,
            )
            .await?;
        Ok(reply.ticket)
    }

    /// `POST /v1/admin/revocations`.
    pub async fn revoke(&self, subject: &str) -> Result<RevocationResponse, ClientError> {
        self.post("/v1/admin/revocations", &json!({"subject": subject}), true)
            .await
    }

    /// `POST /v1/issuance/start` with raw fields.
    pub async fn start_raw(
        &self,
        ticket: &str,
        registrations: &str,
    ) -> Result<StartResponse, ClientError> {
        let body = StartRequest {
            ticket: ticket.to_owned(),
            registrations: registrations.to_owned(),
        };
        self.post("/v1/issuance/start", &body, false).await
    }

    /// `POST /v1/issuance/finish` with raw fields.
    pub async fn finish_raw(
        &self,
        session: &str,
        challenges: &str,
    ) -> Result<FinishResponse, ClientError> {
        let body = FinishRequest {
            session: session.to_owned(),
            challenges: challenges.to_owned(),
        };
        self.post("/v1/issuance/finish", &body, false).await
    }

    /// Prepares and runs a whole issuance of `n` tokens on `ticket` with a fresh holder secret.
    pub async fn issue(&self, ticket: &str, n: usize) -> Result<Vec<Token>, ClientError> {
        let pk = self.issuer_key().await?;
        let prepared = Prepared::new(&pk, ticket, &Scalar::random(&mut OsRng), n)?;
        prepared.start(self).await?.finish(self).await
    }
}

/// Verifies the key list under the root key in the same answer and returns the issuing key.
pub fn issuer_key_from(keys: &KeysResponse) -> Result<IssuerPublicKey, ClientError> {
    let root: [u8; 32] = hex::decode(&keys.root_public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| ClientError::protocol("root_public_key is not 32 bytes of hex"))?;
    let root = greenlight_protocol::verifying_key_from_bytes(&root)
        .map_err(|_| ClientError::protocol("root_public_key is not a valid Ed25519 key"))?;
    let list = KeyList::from_text(&keys.key_list)
        .map_err(|_| ClientError::protocol("key_list does not decode"))?;
    let body = list
        .verify(&root)
        .map_err(|_| ClientError::protocol("key_list does not verify under the root key"))?;
    let key_id: [u8; 8] = hex::decode(&keys.issuing_key_id)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| ClientError::protocol("issuing_key_id is not 8 bytes of hex"))?;
    let (_, entry) = body
        .find_key(&key_id)
        .ok_or_else(|| ClientError::protocol("the issuing key is not in the key list"))?;
    IssuerPublicKey::from_compressed(&entry.public_key)
        .ok_or_else(|| ClientError::protocol("the issuing key is not a valid point"))
}

/// The ticket id a registration batch is bound to.
pub fn ticket_id_of(ticket: &str) -> Result<[u8; 16], ClientError> {
    Ticket::from_text(ticket)
        .map(|t| t.unverified_body().ticket_id())
        .map_err(|_| ClientError::protocol("the ticket does not decode"))
}

/// An issuance whose first message is computed but not sent. Computing the registrations is
/// the holder's most expensive step before the server is involved, so a load run prepares
/// these before its timed phase.
pub struct Prepared {
    ticket: String,
    n: usize,
    holder: HolderRegistered,
    registrations: String,
}

impl Prepared {
    /// Registrations for `n` tokens on `ticket` under `pk`, with the profile secret
    /// `holder_secret`.
    pub fn new(
        pk: &IssuerPublicKey,
        ticket: &str,
        holder_secret: &Scalar,
        n: usize,
    ) -> Result<Self, ClientError> {
        let binding = ticket_id_of(ticket)?;
        let (holder, batch) =
            HolderRequest::new_with_rng(pk, &binding, holder_secret, n, &mut OsRng)
                .map_err(|e| ClientError::protocol(format!("registration: {e}")))?;
        Ok(Prepared {
            ticket: ticket.to_owned(),
            n,
            holder,
            registrations: b64_encode(&batch.to_bytes()),
        })
    }

    /// Tokens asked for.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false (a batch has 1..=64 registrations).
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The ticket text.
    pub fn ticket(&self) -> &str {
        &self.ticket
    }

    /// `POST /v1/issuance/start`. `Ok` means the server reserved the tokens (durably, per the
    /// contract) and opened a session.
    pub async fn start(self, api: &Api) -> Result<Started, ClientError> {
        self.try_start(api).await.map_err(|(e, _)| e)
    }

    /// [`Prepared::start`], giving the registrations back on failure so a caller can retry
    /// after a refusal that reserved nothing (`overloaded`, `rate_limited`).
    pub async fn try_start(self, api: &Api) -> Result<Started, (ClientError, Prepared)> {
        match api.start_raw(&self.ticket, &self.registrations).await {
            Ok(start) => Ok(Started {
                n: self.n,
                holder: self.holder,
                start,
            }),
            Err(e) => Err((e, self)),
        }
    }
}

/// The server answered `start`: a session is open and the tokens are reserved.
pub struct Started {
    n: usize,
    holder: HolderRegistered,
    start: StartResponse,
}

impl Started {
    /// Tokens reserved.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The server's answer.
    pub fn response(&self) -> &StartResponse {
        &self.start
    }

    /// The holder's challenge computation (blinding the commitments). CPU only.
    pub fn challenge(self) -> Result<(HolderChallenged, String, String), ClientError> {
        let commitments = b64_decode(&self.start.commitments)
            .and_then(|b| CommitmentBatch::from_bytes(&b).ok())
            .ok_or_else(|| ClientError::protocol("commitments do not decode"))?;
        let (holder, challenges) = self
            .holder
            .challenge_with_rng(&commitments, &mut OsRng)
            .map_err(|e| ClientError::protocol(format!("challenge: {e}")))?;
        Ok((
            holder,
            self.start.session,
            b64_encode(&challenges.to_bytes()),
        ))
    }

    /// Challenge, `POST /v1/issuance/finish`, un-blind and verify every token.
    pub async fn finish(self, api: &Api) -> Result<Vec<Token>, ClientError> {
        let (holder, session, challenges) = self.challenge()?;
        let answers = api.finish_raw(&session, &challenges).await?;
        unblind(holder, &answers)
    }

    /// Random challenges instead of the holder's blinding: the server's work on `finish` is the
    /// same (it cannot tell), the holder's is skipped. For load runs that measure the server
    /// only; returns the session id and the challenges (send with [`Api::finish_raw`], count the
    /// answers with [`count_answers`]).
    pub fn server_only_challenges(self) -> Result<(String, String), ClientError> {
        let key_id = b64_decode(&self.start.commitments)
            .and_then(|b| CommitmentBatch::from_bytes(&b).ok())
            .map(|c| c.key_id)
            .ok_or_else(|| ClientError::protocol("commitments do not decode"))?;
        let batch = ChallengeBatch {
            key_id,
            challenges: (0..self.n).map(|_| Scalar::random(&mut OsRng)).collect(),
        };
        Ok((self.start.session, b64_encode(&batch.to_bytes())))
    }
}

/// How many answers a `finish` response carries (decoded, not un-blinded).
pub fn count_answers(answers: &FinishResponse) -> Result<usize, ClientError> {
    b64_decode(&answers.answers)
        .and_then(|b| AnswerBatch::from_bytes(&b).ok())
        .map(|a| a.answers.len())
        .ok_or_else(|| ClientError::protocol("answers do not decode"))
}

/// Un-blinds the answers into tokens; every token is verified against the issuer key.
pub fn unblind(
    holder: HolderChallenged,
    answers: &FinishResponse,
) -> Result<Vec<Token>, ClientError> {
    let answers = b64_decode(&answers.answers)
        .and_then(|b| AnswerBatch::from_bytes(&b).ok())
        .ok_or_else(|| ClientError::protocol("answers do not decode"))?;
    holder
        .finish(&answers)
        .map_err(|e| ClientError::protocol(format!("un-blinding: {e}")))
}
