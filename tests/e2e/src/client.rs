//! A small async HTTP client for the server's API. The holder's side of issuance is not
//! written here: a whole ticket is redeemed by the wallet's own flow
//! ([`greenlight_wallet::Redemption`], [`Api::redeem`]); the crash test and the load tool ask for
//! *part* of a ticket (several racing batches on one ticket, or many load rounds per ticket),
//! which no wallet does, through the same steps with a count ([`greenlight_testkit::Batch`]).
//! Either way the holder checks the issuing key (`greenlight_wallet::issuing_key`) and what the
//! issuer certified before blinding, and verifies every token.
//!
//! Partial issuance is split into type-states so a test can record exactly which step the
//! server acknowledged: [`Prepared`] (registrations computed, nothing sent) →
//! [`Prepared::start`] → [`Started`] (the server reserved the quota and answered) →
//! [`Started::finish`] → tokens.

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::{AnswerBatch, ChallengeBatch, CommitmentBatch};
use greenlight_acl::{IssuerPublicKey, Token};
use greenlight_api::{
    b64_encode, paths, AdminTicketRequest, AdminTicketResponse, ErrorBody, FinishRequest,
    FinishResponse, KeysResponse, RevocationResponse, RevokeRequest, StartRequest, StartResponse,
};
use greenlight_protocol::{KeyList, Ticket};
use greenlight_testkit::{start_batch, Batch, Challenged};
use greenlight_venue::TrustedKeyList;
use greenlight_wallet::{issuing_key, HolderSecret, Redemption};
use rand::rngs::OsRng;
use serde::de::DeserializeOwned;
use serde::Serialize;

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
                .map(|b| b.error.code.as_str().to_owned())
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
        let url = format!("{}{}", self.base, paths::KEYS);
        Self::answer(self.http.get(url).send().await).await
    }

    /// The issuing key as a wallet finds it: `/v1/keys`, the key list verified under the root
    /// key the server names (these tests trust the server they started), the issuing key id
    /// looked up in the list.
    pub async fn issuer_key(&self) -> Result<IssuerPublicKey, ClientError> {
        issuer_key_from(&self.keys().await?)
    }

    /// `POST /v1/admin/tickets`: a green ticket for `subject` with `tokens` tokens.
    pub async fn create_ticket(&self, subject: &str, tokens: u16) -> Result<String, ClientError> {
        let mut request = AdminTicketRequest::new(subject, "green");
        request.tokens = Some(tokens);
        let reply: AdminTicketResponse = self.post(paths::ADMIN_TICKETS, &request, true).await?;
        Ok(reply.ticket)
    }

    /// `POST /v1/admin/revocations`.
    pub async fn revoke(&self, subject: &str) -> Result<RevocationResponse, ClientError> {
        self.post(paths::ADMIN_REVOCATIONS, &RevokeRequest::new(subject), true)
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
        self.post(paths::ISSUANCE_START, &body, false).await
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
        self.post(paths::ISSUANCE_FINISH, &body, false).await
    }

    /// Redeems the whole of `ticket` as a wallet does ([`Redemption`], a fresh holder secret):
    /// the issuing key checked, the certified attributes checked, every token verified.
    pub async fn redeem(&self, ticket: &str) -> Result<Vec<Token>, ClientError> {
        let pk = self.issuer_key().await?;
        let parsed = parse_ticket(ticket)?;
        let secret = HolderSecret::generate(&mut OsRng);
        let (wallet, registrations) = Redemption::start(&parsed, pk, &secret, now(), &mut OsRng)
            .map_err(|e| ClientError::protocol(format!("registration: {e}")))?;
        let start = self.start_raw(ticket, &b64_encode(&registrations)).await?;
        let commitments = start
            .commitments_bytes()
            .map_err(|_| ClientError::protocol("commitments do not decode"))?;
        let (wallet, challenges) = wallet
            .on_commitments(&commitments, now(), &mut OsRng)
            .map_err(|e| ClientError::protocol(format!("challenge: {e}")))?;
        let answers = self
            .finish_raw(&start.session, &b64_encode(&challenges))
            .await?;
        let answers = answers
            .answers_bytes()
            .map_err(|_| ClientError::protocol("answers do not decode"))?;
        wallet
            .on_answers(&answers)
            .map_err(|e| ClientError::protocol(format!("un-blinding: {e}")))
    }
}

/// The client's clock (the server under test runs on the same machine's clock).
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Verifies the key list under the root key in the same answer (these tests trust the server
/// they started) and returns the issuing key if the wallet's rule accepts it now.
pub fn issuer_key_from(keys: &KeysResponse) -> Result<IssuerPublicKey, ClientError> {
    let root: [u8; 32] = hex::decode(&keys.root_public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| ClientError::protocol("root_public_key is not 32 bytes of hex"))?;
    let list = KeyList::from_text(&keys.key_list)
        .map_err(|_| ClientError::protocol("key_list does not decode"))?;
    let trust = TrustedKeyList::new(root, list)
        .map_err(|e| ClientError::protocol(format!("key_list is not trusted: {e}")))?;
    let key_id: [u8; 8] = hex::decode(&keys.issuing_key_id)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| ClientError::protocol("issuing_key_id is not 8 bytes of hex"))?;
    issuing_key(&trust, &key_id, now())
        .map_err(|e| ClientError::protocol(format!("the issuing key is refused: {e}")))
}

fn parse_ticket(ticket: &str) -> Result<Ticket, ClientError> {
    Ticket::from_text(ticket).map_err(|_| ClientError::protocol("the ticket does not decode"))
}

/// An issuance whose first message is computed but not sent. Computing the registrations is
/// the holder's most expensive step before the server is involved, so a load run prepares
/// these before its timed phase.
pub struct Prepared {
    ticket: String,
    n: usize,
    holder: Batch,
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
        let (holder, registrations) =
            start_batch(&parse_ticket(ticket)?, pk, holder_secret, n, &mut OsRng)
                .map_err(|e| ClientError::protocol(format!("registration: {e}")))?;
        Ok(Prepared {
            ticket: ticket.to_owned(),
            n,
            holder,
            registrations: b64_encode(&registrations),
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
    holder: Batch,
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

    /// The holder's challenge computation: what the issuer certified is checked against the
    /// ticket and the clock, then the commitments are blinded. CPU only.
    pub fn challenge(self) -> Result<(Challenged, String, String), ClientError> {
        let commitments = self
            .start
            .commitments_bytes()
            .map_err(|_| ClientError::protocol("commitments do not decode"))?;
        let (holder, challenges) = self
            .holder
            .on_commitments(&commitments, now(), &mut OsRng)
            .map_err(|e| ClientError::protocol(format!("challenge: {e}")))?;
        Ok((holder, self.start.session, b64_encode(&challenges)))
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
        let key_id = self
            .start
            .commitments_bytes()
            .ok()
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
    answers
        .answers_bytes()
        .ok()
        .and_then(|b| AnswerBatch::from_bytes(&b).ok())
        .map(|a| a.answers.len())
        .ok_or_else(|| ClientError::protocol("answers do not decode"))
}

/// Un-blinds the answers into tokens; every token is verified against the issuer key.
pub fn unblind(holder: Challenged, answers: &FinishResponse) -> Result<Vec<Token>, ClientError> {
    let answers = answers
        .answers_bytes()
        .map_err(|_| ClientError::protocol("answers do not decode"))?;
    holder
        .on_answers(&answers)
        .map_err(|e| ClientError::protocol(format!("un-blinding: {e}")))
}
