//! Redeeming a ticket from the page: the CLI wallet's flow (`client/src/wallet.rs`) as a
//! state machine the page drives with `fetch`. Everything it decides is `greenlight-wallet`'s
//! and `greenlight-api`'s: the key list's root and successor rules, the ticket's authority,
//! the issuing key and the profile's region pin (before any issuance), the batch plan under
//! the server's `max_batch` and its re-plan on `quota_exceeded`, the retry rule, and the
//! holder's flow, which checks what the issuer certified and verifies every token before it
//! is stored. The page stores the document after each batch, before asking for the next.
//!
//! ```text
//! begin ──► next_request ──POST──► on_response ─┬─ Continue ──► next_request …
//!                                               ├─ Wait(ms) ──► (sleep) next_request (same body)
//!                                               └─ Stored   ──► (store the document) next_request … None: done
//! ```

use greenlight_acl::IssuerPublicKey;
use greenlight_api::retry::Backoff;
use greenlight_api::{
    paths, ErrorBody, ErrorCode, FinishRequest, FinishResponse, ServerCode, StartRequest,
    StartResponse,
};
use greenlight_protocol::Ticket;
use greenlight_venue::{accept_keys, KeysRefusal, TrustedKeyList};
use greenlight_wallet::{
    check_region_pin, check_ticket_authority, check_ticket_time, issuing_key_in_region,
    AwaitingAnswers, AwaitingCommitments, BatchPlan, HolderSecret, Redemption, RegionPin,
    WalletDocument,
};
use rand_core::{CryptoRng, RngCore};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::messages::Failure;
use crate::wallet::{parse_keys, parse_ticket, WebWallet};

/// A request for the page to send (a `POST` with a JSON body, to the issuer).
#[derive(Debug, Serialize)]
pub struct Request {
    /// The route (absolute, on the issuer's origin).
    pub path: &'static str,
    /// The JSON body.
    pub body: String,
}

/// What the page does after an answer.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Send the next request.
    Continue,
    /// The server was busy: wait this long, then send the same request again.
    Wait {
        /// Milliseconds.
        ms: u64,
    },
    /// A batch's tokens were verified and added: store the document, then go on.
    Stored {
        /// Tokens of this ticket stored so far.
        added: usize,
        /// Tokens the ticket allows.
        asked: usize,
        /// Tokens now in the profile.
        in_profile: usize,
    },
}

enum Stage {
    Idle,
    // Boxed: the holder's state is large, and only one stage lives at a time.
    Start {
        awaiting: Box<AwaitingCommitments>,
        n: usize,
        body: String,
    },
    Finish {
        awaiting: Box<AwaitingAnswers>,
        n: usize,
        body: String,
    },
}

/// What the page shows once a redeem has begun.
#[derive(Debug, Serialize)]
pub struct RedeemInfo {
    /// Tokens this redeem asks for: the ticket's, or part of them (a kept ticket).
    pub tokens: usize,
    /// Tokens the ticket allows.
    pub ticket_tokens: usize,
    /// Batches planned.
    pub batches: usize,
    /// The issuer's region and name.
    pub region: String,
    /// See `region`.
    pub issuer_name: String,
    /// Whether this redeem pins the profile's region for the first time.
    pub new_region_pin: bool,
}

/// One redeem of one ticket for one profile.
pub struct RedeemDriver {
    ticket: Ticket,
    ticket_text: Zeroizing<String>,
    key: IssuerPublicKey,
    holder_hex: Zeroizing<String>,
    profile: String,
    trust: TrustedKeyList,
    plan: BatchPlan,
    stage: Stage,
    backoff: Backoff,
    asked: usize,
    added: usize,
    info: RedeemInfo,
}

fn server_failure(
    status: u16,
    body: &str,
    stored: usize,
) -> (Failure, Option<(ServerCode, Option<u16>)>) {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(b) => (
            Failure::Server {
                status,
                code: b.error.code.clone(),
                stored,
            },
            Some((b.error.code, b.error.remaining)),
        ),
        Err(_) if status >= 500 => (
            Failure::Server {
                status,
                code: ErrorCode::Internal.into(),
                stored,
            },
            None,
        ),
        Err(e) => (Failure::BadResponse(format!("HTTP {status}: {e}")), None),
    }
}

impl RedeemDriver {
    /// Checks everything that can be checked before issuance — the ticket's kind, time and
    /// authority, the key list (pinned root, successor of the held one, anti-tagging), the
    /// issuing key and the profile's region pin — and plans the batches.
    pub fn begin(
        wallet: &WebWallet,
        ticket_text: &str,
        keys_json: &str,
        profile: &str,
        now_unix: u64,
        new_region: bool,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, Failure> {
        Self::begin_part(
            wallet,
            ticket_text,
            keys_json,
            profile,
            now_unix,
            new_region,
            None,
            rng,
        )
    }

    /// [`Self::begin`] asking for `want` of the ticket's tokens (at most all of them): a kept
    /// ticket's first redeem ([`greenlight_wallet::first_redeem`]) and its top-ups
    /// ([`greenlight_wallet::WalletDocument::top_up`]). The rest stays on the issuer's quota.
    #[allow(clippy::too_many_arguments)]
    pub fn begin_part(
        wallet: &WebWallet,
        ticket_text: &str,
        keys_json: &str,
        profile: &str,
        now_unix: u64,
        new_region: bool,
        want: Option<u16>,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, Failure> {
        greenlight_wallet::validate_profile(profile)?;
        let ticket = parse_ticket(ticket_text)?;
        check_ticket_time(&ticket, now_unix)?;
        let doc = wallet.doc()?;
        let fetched = accept_keys(&parse_keys(keys_json)?, Some(doc.trust()), None, None)?;
        check_ticket_authority(&ticket, fetched.authority_public_key.as_ref())?;
        let issuing = issuing_key_in_region(&fetched.trust, &fetched.issuing_key_id, now_unix)?;
        let pin = check_region_pin(
            profile,
            doc.pinned_region(profile),
            &issuing.region,
            new_region,
        )?;
        let holder_hex = match doc.holder_secret(profile) {
            Some(h) => h.to_hex(),
            None => HolderSecret::generate(rng).to_hex(),
        };
        let ticket_tokens = ticket.unverified_body().tokens();
        let tokens = want.map_or(ticket_tokens, |w| w.min(ticket_tokens));
        let plan = BatchPlan::new(tokens, fetched.max_batch);
        let batches = plan.progress().1;
        Ok(RedeemDriver {
            ticket_text: Zeroizing::new(ticket.to_text()),
            ticket,
            key: issuing.key,
            holder_hex,
            profile: profile.to_owned(),
            trust: fetched.trust,
            plan,
            stage: Stage::Idle,
            backoff: Backoff::new(),
            asked: usize::from(tokens),
            added: 0,
            info: RedeemInfo {
                tokens: usize::from(tokens),
                ticket_tokens: usize::from(ticket_tokens),
                batches,
                region: issuing.region,
                issuer_name: issuing.issuer_name,
                new_region_pin: pin == RegionPin::New,
            },
        })
    }

    /// What the page shows while redeeming.
    pub fn info(&self) -> &RedeemInfo {
        &self.info
    }

    /// Batches begun so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        self.plan.progress()
    }

    fn holder(&self) -> Result<HolderSecret, Failure> {
        Ok(HolderSecret::from_hex(&self.holder_hex)?)
    }

    /// The request to send now (the same one again after a [`Step::Wait`]); `None` when the
    /// whole ticket is redeemed.
    pub fn next_request(
        &mut self,
        now_unix: u64,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Option<Request>, Failure> {
        match &self.stage {
            Stage::Start { body, .. } => {
                return Ok(Some(Request {
                    path: paths::ISSUANCE_START,
                    body: body.clone(),
                }))
            }
            Stage::Finish { body, .. } => {
                return Ok(Some(Request {
                    path: paths::ISSUANCE_FINISH,
                    body: body.clone(),
                }))
            }
            Stage::Idle => {}
        }
        let Some(n) = self.plan.next_batch() else {
            return Ok(None);
        };
        let (awaiting, registrations) = Redemption::start_part(
            &self.ticket,
            self.key.clone(),
            &self.holder()?,
            n,
            now_unix,
            rng,
        )?;
        let body = serde_json::to_string(&StartRequest::new(
            self.ticket_text.as_str(),
            &registrations,
        ))
        .map_err(|e| Failure::BadResponse(e.to_string()))?;
        self.backoff = Backoff::new();
        self.stage = Stage::Start {
            awaiting: Box::new(awaiting),
            n,
            body: body.clone(),
        };
        Ok(Some(Request {
            path: paths::ISSUANCE_START,
            body,
        }))
    }

    /// The server's answer to the last request: HTTP `status`, `body`, and its
    /// `Retry-After` header in seconds if it had one. Tokens are added to `wallet` (its key
    /// list updated to the one fetched) only after every one of the batch verified.
    #[allow(clippy::too_many_arguments)]
    pub fn on_response(
        &mut self,
        wallet: &mut WebWallet,
        status: u16,
        body: &str,
        retry_after_secs: Option<u64>,
        now_unix: u64,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Step, Failure> {
        let stage = std::mem::replace(&mut self.stage, Stage::Idle);
        if !(200..300).contains(&status) {
            let n = match &stage {
                Stage::Start { n, .. } | Stage::Finish { n, .. } => *n,
                Stage::Idle => 0,
            };
            let (failure, code) = server_failure(status, body, self.added);
            if let Some((code, remaining)) = code {
                if let (ServerCode::Known(ErrorCode::QuotaExceeded), Some(left)) =
                    (&code, remaining)
                {
                    if matches!(stage, Stage::Start { .. }) && self.plan.on_quota_exceeded(n, left)
                    {
                        return Ok(Step::Continue);
                    }
                }
                if let Some(ms) =
                    self.backoff
                        .after_refusal(&code, retry_after_secs, rng.next_u64())
                {
                    self.stage = stage;
                    return Ok(Step::Wait { ms });
                }
            }
            return Err(failure);
        }
        match stage {
            Stage::Idle => Err(Failure::BadResponse("an answer to no request".into())),
            Stage::Start { awaiting, n, .. } => {
                let resp: StartResponse =
                    serde_json::from_str(body).map_err(|e| Failure::BadResponse(e.to_string()))?;
                let commitments = resp
                    .commitments_bytes()
                    .map_err(|e| Failure::BadResponse(e.to_string()))?;
                let (awaiting, challenges) =
                    awaiting.on_commitments(&commitments, now_unix, rng)?;
                let body = serde_json::to_string(&FinishRequest::new(resp.session, &challenges))
                    .map_err(|e| Failure::BadResponse(e.to_string()))?;
                self.backoff = Backoff::new();
                self.stage = Stage::Finish {
                    awaiting: Box::new(awaiting),
                    n,
                    body,
                };
                Ok(Step::Continue)
            }
            Stage::Finish { awaiting, .. } => {
                let resp: FinishResponse =
                    serde_json::from_str(body).map_err(|e| Failure::BadResponse(e.to_string()))?;
                let answers = resp
                    .answers_bytes()
                    .map_err(|e| Failure::BadResponse(e.to_string()))?;
                // Every token verified under the issuer key, or the batch fails as a whole.
                let tokens = awaiting.on_answers(&answers)?;
                let added = tokens.len();
                let mut doc = wallet
                    .take_doc()
                    .unwrap_or_else(|| WalletDocument::new(self.trust.clone()));
                // The list this redeem was started under; the document may hold it already.
                let result = doc
                    .update_trust(self.trust.clone())
                    .map_err(|e| Failure::Keys(KeysRefusal::Update(e)))
                    .and_then(|()| Ok(doc.add_tokens(&self.profile, self.holder()?, tokens)?));
                wallet.set_doc(doc);
                let in_profile = result?;
                self.added += added;
                Ok(Step::Stored {
                    added: self.added,
                    asked: self.asked,
                    in_profile,
                })
            }
        }
    }
}
