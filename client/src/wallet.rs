//! The resident's wallet on a terminal: the wallet document in a file, issuance over HTTP,
//! presenting. Every rule (profiles, the holder's issuance flow, token selection, the
//! never-show-twice rule) is `greenlight_wallet`'s; this module does the I/O around it.
//!
//! # Storage (`docs/api.md`, "Client state")
//! `wallet.json` (0600, in a 0700 directory, replaced atomically) holds the pinned root, the
//! verified key list and per **profile** a holder secret and the unused tokens
//! ([`greenlight_wallet::WalletDocument`]).
//!
//! # One show per token
//! `present` removes the chosen token from the file **durably, before** it builds the
//! presentation ([`greenlight_wallet::Withdrawal`]): if the presentation is lost (crash,
//! closed terminal) the token is gone, but a retry can never show the same token twice
//! (which would link the two visits). An advisory lock on the directory makes "pick and
//! remove" atomic across processes.

use std::path::{Path, PathBuf};

use greenlight_acl::IssuerPublicKey;
use greenlight_acl::Token;
use greenlight_api::retry::Backoff;
use greenlight_api::{ErrorCode, ServerCode};
use greenlight_circuits::Presentation;
use greenlight_protocol::{detect_kind, Kind, ProtocolError, Status, Ticket, VenueCode, WireError};
use greenlight_wallet::{
    check_region_pin, check_ticket_authority, check_ticket_time, issuing_key_in_region, BatchPlan,
    HolderSecret, PresentFailure, Redemption, WalletDocument, WalletStorage, MAX_WALLET_JSON,
};
use rand::rngs::OsRng;
use rand::RngCore;

pub use greenlight_wallet::{ProfileStatus, RegionPin, TokenGroup, DEFAULT_PROFILE, MAX_BATCH};

use crate::clock::now_unix;
use crate::error::{kind_of_tag, ClientError, CodeProblem, Result};
use crate::http::{Http, HttpError};
use crate::i18n::Msg;
use crate::keys::{fetch_trusted, PinOutcome, RootPin, Trust};
use crate::store::{self, DirLock};

const WALLET_FILE: &str = "wallet.json";

/// A step of [`Wallet::redeem`], for progress displays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedeemStep {
    FetchKeys,
    /// `n` registrations sent (first round trip).
    Register {
        n: usize,
    },
    /// Commitments received and blinded; challenges sent (second round trip).
    Challenge,
    /// Answers received; every token is being verified.
    Verify {
        n: usize,
    },
    Store,
    /// Batch `index` (from 1) of `count` begins; only sent when there is more than one
    /// (the server's `max_batch` is smaller than the ticket).
    Batch {
        index: usize,
        count: usize,
    },
    /// The server refused with a retryable code (`greenlight_api::retry`); asking again
    /// after `wait_ms`.
    Waiting {
        wait_ms: u64,
        code: String,
    },
}

/// Options of [`Wallet::redeem_with`].
#[derive(Clone, Debug, Default)]
pub struct RedeemOptions {
    /// Pin this root (`--root`: the key or its fingerprint) instead of trusting the server's
    /// on first use — which only an `https://` or loopback server may ask for.
    pub root: Option<RootPin>,
    /// The wallet's clock (Unix seconds); `None` reads the system clock.
    pub now: Option<u64>,
    /// Allow the profile to move to another region than the one it redeemed in before
    /// (`--new-region`; [`greenlight_wallet::check_region_pin`]).
    pub new_region: bool,
    /// Require these witnesses' cosignatures of the key list from now on (`--witness …
    /// --witness-quorum K`); stored in `wallet.json`, which then applies it to every redeem.
    /// `None` keeps the stored policy, if any.
    pub witnesses: Option<greenlight_protocol::WitnessPolicy>,
}

/// What a redeem did.
#[derive(Clone, Debug)]
pub struct RedeemReport {
    pub profile: String,
    pub new_profile: bool,
    pub tokens_added: usize,
    pub tokens_in_profile: usize,
    pub status: Status,
    pub pin: PinOutcome,
    /// The region the tokens were issued in (the profile is pinned to it now).
    pub region: String,
    /// Its issuer's display name.
    pub issuer_name: String,
    /// What the redeem did to the profile's region pin.
    pub region_pin: RegionPin,
}

impl RedeemReport {
    /// What to tell the resident about the profile's region pin: that it is pinned now (first
    /// redeem) or moved (`--new-region`); nothing when it stayed.
    pub fn region_message(&self) -> Option<Msg> {
        let (profile, region, issuer) = (
            self.profile.clone(),
            self.region.clone(),
            self.issuer_name.clone(),
        );
        match &self.region_pin {
            RegionPin::New => Some(Msg::RegionPinned {
                profile,
                region,
                issuer,
            }),
            RegionPin::Moved { from } => Some(Msg::RegionMoved {
                profile,
                from: from.clone(),
                region,
                issuer,
            }),
            RegionPin::Kept => None,
        }
    }
}

/// What `wallet status` shows. Never contains secrets.
#[derive(Clone, Debug)]
pub struct WalletStatus {
    pub root_fingerprint: Option<String>,
    pub key_list_sequence: Option<u64>,
    pub profiles: Vec<ProfileStatus>,
}

impl From<Option<greenlight_wallet::WalletStatus>> for WalletStatus {
    fn from(status: Option<greenlight_wallet::WalletStatus>) -> Self {
        match status {
            Some(s) => WalletStatus {
                root_fingerprint: Some(s.root_fingerprint),
                key_list_sequence: Some(s.key_list_sequence),
                profiles: s.profiles,
            },
            None => WalletStatus {
                root_fingerprint: None,
                key_list_sequence: None,
                profiles: Vec::new(),
            },
        }
    }
}

/// A presentation built by [`Wallet::present`].
#[derive(Clone, Debug)]
pub struct Presented {
    pub presentation: Presentation,
    /// `GLP1:…`.
    pub text: String,
    pub venue: VenueCode,
    pub profile: String,
    pub tokens_left: usize,
}

/// `wallet.json`: where the CLI keeps its [`WalletDocument`] (0600, replaced atomically, so
/// a saved document is on disk when `save` returns — the never-show-twice rule relies on it).
struct WalletFile(PathBuf);

impl WalletStorage for WalletFile {
    type Error = ClientError;

    fn load(&mut self) -> Result<Option<WalletDocument>> {
        let Some(bytes) = store::read_limited(&self.0, MAX_WALLET_JSON)? else {
            return Ok(None);
        };
        let bytes = zeroize::Zeroizing::new(bytes);
        WalletDocument::from_json(&bytes)
            .map(Some)
            .map_err(|e| ClientError::from_wallet(e, &self.0))
    }

    fn save(&mut self, doc: &WalletDocument) -> Result<()> {
        let json = doc
            .to_json()
            .map_err(|e| ClientError::from_wallet(e, &self.0))?;
        store::write_atomic(&self.0, &json)
    }
}

/// A wallet directory.
#[derive(Clone, Debug)]
pub struct Wallet {
    dir: PathBuf,
}

impl Wallet {
    /// `dirs::data_dir()/greenlight/wallet` (e.g. `~/.local/share/greenlight/wallet`).
    pub fn default_dir() -> PathBuf {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("greenlight")
            .join("wallet")
    }

    /// Open (creating the directory, mode 0700, if needed). The file itself is created by
    /// the first redeem.
    pub fn open(dir: impl AsRef<Path>) -> Result<Wallet> {
        let dir = dir.as_ref().to_owned();
        store::ensure_private_dir(&dir)?;
        Ok(Wallet { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self) -> PathBuf {
        self.dir.join(WALLET_FILE)
    }

    fn load(&self) -> Result<Option<WalletDocument>> {
        WalletFile(self.path()).load()
    }

    fn save(&self, doc: &WalletDocument) -> Result<()> {
        WalletFile(self.path()).save(doc)
    }

    /// The pinned root and key list, if the wallet has talked to a server.
    pub fn trust(&self) -> Result<Option<Trust>> {
        Ok(self
            .load()?
            .map(|doc| Trust::from_trusted(doc.trust().clone())))
    }

    /// Redeem `ticket_text` at `server_url` for profile `profile` (see [`Wallet::redeem_with`]).
    pub async fn redeem(
        &self,
        server_url: &str,
        ticket_text: &str,
        profile: &str,
        progress: &(dyn Fn(RedeemStep) + Send + Sync),
    ) -> Result<RedeemReport> {
        self.redeem_with(
            server_url,
            ticket_text,
            profile,
            &RedeemOptions::default(),
            progress,
        )
        .await
    }

    /// Redeem a ticket for a batch of tokens ([`greenlight_wallet::redeem`]):
    /// 1. decode the ticket locally (not a ticket / expired / not yet valid fail here, with
    ///    no network traffic);
    /// 2. fetch `/v1/keys`; pin (first use only over https or loopback, or `--root`) or check
    ///    the root; verify the list and that it succeeds the held one; check the list's
    ///    anti-tagging rules and the issuing key ([`greenlight_wallet::issuing_key`]) and the
    ///    profile's region pin ([`greenlight_wallet::check_region_pin`]);
    /// 3. split the ticket into batches of at most the server's `max_batch`
    ///    ([`greenlight_wallet::batch_sizes`]); per batch:
    ///    - first round trip: the batch's registrations under the profile's holder secret;
    ///    - the certified attributes are checked against the ticket and this clock **before**
    ///      answering with challenges;
    ///    - second round trip; every token is verified under the issuer key before it is
    ///      kept;
    ///    - store atomically, before the next batch;
    ///
    ///    each round trip refused with a retryable code is sent again after the wait
    ///    [`greenlight_api::retry::Backoff`] gives, until it gives up.
    pub async fn redeem_with(
        &self,
        server_url: &str,
        ticket_text: &str,
        profile: &str,
        opts: &RedeemOptions,
        progress: &(dyn Fn(RedeemStep) + Send + Sync),
    ) -> Result<RedeemReport> {
        let path = self.path();
        let wallet_err = |e| ClientError::from_wallet(e, &path);
        validate_profile(profile)?;
        let now = opts.now.unwrap_or_else(now_unix);
        let ticket = parse_ticket(ticket_text)?;
        check_ticket_time(&ticket, now).map_err(wallet_err)?;
        let http = Http::new(server_url)?;

        // Held for the whole redeem: a concurrent present or redeem waits (a second or so;
        // longer while a busy server is asked again).
        let _lock = DirLock::acquire(&self.dir)?;
        let doc = self.load()?;
        let held = doc.as_ref().map(|d| Trust::from_trusted(d.trust().clone()));

        progress(RedeemStep::FetchKeys);
        // The policy given now replaces the stored one; without one, the stored one applies.
        let witnesses = opts
            .witnesses
            .clone()
            .or_else(|| doc.as_ref().and_then(|d| d.witnesses().cloned()));
        let fetched = fetch_trusted(&http, held.as_ref(), opts.root, witnesses.as_ref()).await?;
        // A ticket for another issuer's authority is refused here, before any issuance.
        check_ticket_authority(&ticket, fetched.authority_public_key.as_ref())
            .map_err(wallet_err)?;
        let issuing = issuing_key_in_region(fetched.trust.trusted(), &fetched.issuing_key_id, now)
            .map_err(wallet_err)?;
        let pinned = doc.as_ref().and_then(|d| d.pinned_region(profile));
        let region_pin = check_region_pin(profile, pinned, &issuing.region, opts.new_region)
            .map_err(wallet_err)?;
        let key = issuing.key;

        let new_profile = !matches!(&doc, Some(d) if d.has_profile(profile));
        let mut rng = OsRng;
        let holder_hex = match doc.as_ref().and_then(|d| d.holder_secret(profile)) {
            Some(h) => h.to_hex(),
            None => HolderSecret::generate(&mut rng).to_hex(),
        };
        let holder = || HolderSecret::from_hex(&holder_hex).map_err(wallet_err);

        // One batch per `start` of at most the server's `max_batch` tokens; each batch's
        // tokens are stored before the next begins, so a later failure loses nothing issued.
        let mut plan = BatchPlan::new(ticket.unverified_body().tokens(), fetched.max_batch);
        let asked = usize::from(ticket.unverified_body().tokens());
        let mut doc = doc.unwrap_or_else(|| WalletDocument::new(fetched.trust.trusted().clone()));
        doc.update_trust(fetched.trust.trusted().clone())
            .map_err(|e| ClientError::KeyListInvalid(e.to_string()))?;
        doc.set_witnesses(witnesses);
        doc.set_cosignatures(fetched.cosignatures.clone());
        let (mut tokens_added, mut tokens_in_profile) = (0, 0);
        while let Some(n) = plan.next_batch() {
            let (index, count) = plan.progress();
            if count > 1 {
                progress(RedeemStep::Batch { index, count });
            }
            let tokens = match self
                .redeem_batch(&http, &ticket, key.clone(), &holder()?, n, opts, progress)
                .await
            {
                Ok(tokens) => tokens,
                // Fewer tokens left than asked (an earlier redeem of this ticket stopped
                // part-way): ask for what is left.
                Err(ClientError::Http(HttpError::Server {
                    code: ServerCode::Known(ErrorCode::QuotaExceeded),
                    remaining: Some(left),
                    ..
                })) if plan.on_quota_exceeded(n, left) => continue,
                Err(e) if tokens_added > 0 => {
                    return Err(ClientError::RedeemIncomplete {
                        stored: tokens_added,
                        asked,
                        source: Box::new(e),
                    })
                }
                Err(e) => return Err(e),
            };
            progress(RedeemStep::Store);
            tokens_added += tokens.len();
            tokens_in_profile = doc
                .add_tokens(profile, holder()?, tokens)
                .map_err(wallet_err)?;
            self.save(&doc)?;
        }

        Ok(RedeemReport {
            profile: profile.to_owned(),
            new_profile,
            tokens_added,
            tokens_in_profile,
            status: ticket.unverified_body().status(),
            pin: fetched.pin,
            region: issuing.region,
            issuer_name: issuing.issuer_name,
            region_pin,
        })
    }

    /// One batch of `n` tokens: two round trips, each sent again while the server answers
    /// with a retryable refusal ([`greenlight_api::retry`]); every token verified.
    #[allow(clippy::too_many_arguments)]
    async fn redeem_batch(
        &self,
        http: &Http,
        ticket: &greenlight_protocol::Ticket,
        key: IssuerPublicKey,
        holder: &HolderSecret,
        n: usize,
        opts: &RedeemOptions,
        progress: &(dyn Fn(RedeemStep) + Send + Sync),
    ) -> Result<Vec<Token>> {
        let wallet_err = |e| ClientError::from_wallet(e, &self.path());
        let now = opts.now.unwrap_or_else(now_unix);
        let mut rng = OsRng;
        let (awaiting, registrations) =
            Redemption::start_part(ticket, key, holder, n, now, &mut rng).map_err(wallet_err)?;
        progress(RedeemStep::Register { n });
        let ticket_text = ticket.to_text();
        let start = with_retry(progress, || {
            http.issuance_start(&ticket_text, &registrations)
        })
        .await?;
        let commitments = start
            .commitments_bytes()
            .map_err(|e| HttpError::BadResponse(e.to_string()))?;
        let now = opts.now.unwrap_or_else(now_unix);
        let (awaiting, challenges) = awaiting
            .on_commitments(&commitments, now, &mut rng)
            .map_err(wallet_err)?;

        progress(RedeemStep::Challenge);
        // `finish` is never shed, and a `timeout` is not retried (the session may be gone), so
        // in practice this returns the first answer; the one retry rule is applied all the
        // same.
        let answers = with_retry(progress, || {
            http.issuance_finish(&start.session, &challenges)
        })
        .await?;

        progress(RedeemStep::Verify { n });
        // Every token is verified under the issuer key; the batch fails as a whole otherwise.
        awaiting.on_answers(&answers).map_err(wallet_err)
    }

    /// Counts by profile, colour and age at the system clock.
    pub fn status(&self) -> Result<WalletStatus> {
        self.status_at(now_unix())
    }

    /// Counts by profile, colour and age (hours since issuance) at `now_unix`.
    pub fn status_at(&self, now_unix: u64) -> Result<WalletStatus> {
        Ok(self.load()?.map(|doc| doc.status(now_unix)).into())
    }

    /// Number of unused tokens in `profile` (0 if it does not exist).
    pub fn token_count(&self, profile: &str) -> Result<usize> {
        Ok(self.load()?.map_or(0, |doc| doc.token_count(profile)))
    }

    /// Show a green code for the venue whose code is `venue_code_text`, at the system clock.
    pub fn present(&self, venue_code_text: &str, profile: &str) -> Result<Presented> {
        self.present_at(venue_code_text, profile, now_unix())
    }

    /// Show a green code at `now_unix`: the token is chosen by
    /// [`greenlight_wallet::select_token`], removed from the file durably, and only then
    /// proven green-and-recent for the venue.
    pub fn present_at(
        &self,
        venue_code_text: &str,
        profile: &str,
        now_unix: u64,
    ) -> Result<Presented> {
        let path = self.path();
        validate_profile(profile)?;
        let venue = parse_venue_code(venue_code_text)?;
        let _lock = DirLock::acquire(&self.dir)?;
        // Loads, takes the token out, saves durably, and only then proves.
        let greenlight_wallet::Presented {
            presentation,
            tokens_left,
        } = greenlight_wallet::present(
            &mut WalletFile(path.clone()),
            profile,
            &venue,
            now_unix,
            &mut OsRng,
        )
        .map_err(|e| match e {
            PresentFailure::Wallet(e) => ClientError::from_wallet_for(e, &path, profile),
            PresentFailure::Storage(e) => e,
        })?;
        Ok(Presented {
            text: presentation.to_text(),
            presentation,
            venue,
            profile: profile.to_owned(),
            tokens_left,
        })
    }

    /// Remove the oldest token of `profile` from the wallet (durably) and hand it out. The
    /// token counts as spent. For tools and demonstrations that build proofs themselves.
    pub fn withdraw_token(&self, profile: &str) -> Result<Option<Token>> {
        let path = self.path();
        validate_profile(profile)?;
        let _lock = DirLock::acquire(&self.dir)?;
        let Some(mut doc) = self.load()? else {
            return Ok(None);
        };
        let token = doc
            .withdraw_oldest(profile)
            .map_err(|e| ClientError::from_wallet(e, &path))?;
        if token.is_some() {
            self.save(&doc)?;
        }
        Ok(token)
    }
}

/// Sends a request until it is answered or refused for good: a refusal after which the
/// server did nothing (`overloaded`, `rate_limited`, `ticket_busy`) waits as
/// [`greenlight_api::retry::Backoff`] says (the progress display shows the wait) and asks
/// again; every other answer, `timeout` included, is returned.
async fn with_retry<T, F, Fut>(
    progress: &(dyn Fn(RedeemStep) + Send + Sync),
    mut send: F,
) -> std::result::Result<T, HttpError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, HttpError>>,
{
    let mut backoff = Backoff::new();
    loop {
        let err = match send().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let HttpError::Server { code, .. } = &err else {
            return Err(err);
        };
        let Some(wait_ms) = backoff.after_refusal(code, None, OsRng.next_u64()) else {
            return Err(err);
        };
        progress(RedeemStep::Waiting {
            wait_ms,
            code: code.as_str().to_owned(),
        });
        tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
    }
}

/// Profile names ([`greenlight_wallet::validate_profile`]).
pub fn validate_profile(name: &str) -> Result<()> {
    greenlight_wallet::validate_profile(name)
        .map_err(|_| ClientError::BadProfile(name.chars().take(40).collect()))
}

/// Decode a ticket's text form with a clear error for other kinds of code.
pub fn parse_ticket(text: &str) -> Result<Ticket> {
    parse_as(Kind::Ticket, text, Ticket::from_text)
}

/// Decode a venue code's text form with a clear error for other kinds of code.
pub fn parse_venue_code(text: &str) -> Result<VenueCode> {
    parse_as(Kind::VenueCode, text, VenueCode::from_text)
}

/// Decode `text` as a `want`: another kind of code — by its prefix, or by the type tag inside
/// (a key list's bytes behind a `GLT1:` prefix) — is named as such; damage is explained
/// ([`CodeProblem`]).
fn parse_as<T>(
    want: Kind,
    text: &str,
    decode: impl Fn(&str) -> std::result::Result<T, ProtocolError>,
) -> Result<T> {
    let text = text.trim();
    let wrong_kind = |found: Option<Kind>| match want {
        Kind::VenueCode => ClientError::NotAVenueCode { found },
        _ => ClientError::NotATicket { found },
    };
    match detect_kind(text) {
        Some(kind) if kind == want => decode(text).map_err(|e| match &e {
            ProtocolError::Wire(WireError::WrongType { found, .. })
                if kind_of_tag(*found).is_some() =>
            {
                wrong_kind(kind_of_tag(*found))
            }
            _ => ClientError::Damaged {
                kind: want,
                problem: CodeProblem::of_protocol(want, text, &e),
            },
        }),
        found => Err(wrong_kind(found)),
    }
}
