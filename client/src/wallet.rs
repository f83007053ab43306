//! The resident's wallet: its file, redeeming tickets for token batches, presenting.
//!
//! # Storage (`docs/api.md`, "Client state")
//! `wallet.json` (0600, in a 0700 directory, replaced atomically) holds the pinned root, the
//! verified key list and per **profile** a holder secret and the unused tokens. Profiles are
//! the family-proxy case (家人代办): a daughter keeps tokens for her elderly father in a
//! profile `father`; each profile has its own holder secret `k`, created at random on first
//! use, so tokens of different people never share a secret.
//!
//! Secrets (holder secrets, token openings, the serialized file) live in `Zeroizing`
//! buffers and are never printed: `status` reports counts, colours and ages only.
//!
//! # One show per token
//! `present` removes the chosen token from the file **durably, before** it builds the
//! presentation: if the presentation is lost (crash, closed terminal) the token is gone,
//! but a retry can never show the same token twice (which would link the two visits).
//! An advisory lock on the directory makes "pick and remove" atomic across processes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::{AnswerBatch, CommitmentBatch, HolderRequest};
use greenlight_acl::{Attributes, IssuerPublicKey, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{PolicyId, Presentation, PresentationContext};
use greenlight_protocol::{detect_kind, Kind, Status, Ticket, VenueCode};
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::clock::{hour_of, now_unix};
use crate::error::{ClientError, Result};
use crate::http::{decode_b64, Http, HttpError};
use crate::keys::{fetch_trusted, PinOutcome, Trust};
use crate::store::{self, DirLock};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "self";
/// Most tokens requested in one batch (the issuer's limit).
pub const MAX_BATCH: u16 = 64;
/// How far the certified issuance hour may be from the wallet's clock. The issuer stamps the
/// current hour; a token dated far off would carry a time nobody else has — a tag that
/// singles the holder out at every venue — so the wallet refuses it.
pub const MAX_TIMESTAMP_SKEW_HOURS: u32 = 2;

const WALLET_FILE: &str = "wallet.json";
const FORMAT_VERSION: u32 = 1;
/// 64 profiles × 64 tokens × ~0.8 KB is ~3 MB; anything much larger is not our file.
const MAX_WALLET_FILE: usize = 32 * 1024 * 1024;
const MAX_PROFILE_CHARS: usize = 32;

#[derive(Serialize, Deserialize)]
struct WalletFile {
    version: u32,
    root_public_key: String,
    key_list: String,
    profiles: BTreeMap<String, ProfileFile>,
}

#[derive(Serialize, Deserialize)]
struct ProfileFile {
    /// Hex of the 32-byte holder secret `k`.
    holder: Zeroizing<String>,
    /// Unpadded base64url of each unused token's wire bytes.
    tokens: Vec<Zeroizing<String>>,
}

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
}

/// Options of [`Wallet::redeem_with`].
#[derive(Clone, Debug, Default)]
pub struct RedeemOptions {
    /// Pin this root key (`--root`) instead of trusting the server's on first use.
    pub root: Option<[u8; 32]>,
    /// The wallet's clock (Unix seconds); `None` reads the system clock.
    pub now: Option<u64>,
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
}

/// Tokens of one colour and age.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenGroup {
    pub status: Option<Status>,
    pub age_hours: u64,
    pub count: usize,
}

/// One profile in [`WalletStatus`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileStatus {
    pub name: String,
    pub total: usize,
    pub groups: Vec<TokenGroup>,
}

/// What `wallet status` shows. Never contains secrets.
#[derive(Clone, Debug)]
pub struct WalletStatus {
    pub root_fingerprint: Option<String>,
    pub key_list_sequence: Option<u64>,
    pub profiles: Vec<ProfileStatus>,
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

    fn load(&self) -> Result<Option<WalletFile>> {
        let path = self.path();
        let Some(bytes) = store::read_limited(&path, MAX_WALLET_FILE)? else {
            return Ok(None);
        };
        let bytes = Zeroizing::new(bytes);
        let file: WalletFile = serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::corrupt(&path, format!("not a wallet file: {e}")))?;
        if file.version != FORMAT_VERSION {
            return Err(ClientError::corrupt(
                &path,
                format!("unsupported version {}", file.version),
            ));
        }
        Ok(Some(file))
    }

    fn save(&self, file: &WalletFile) -> Result<()> {
        let path = self.path();
        let bytes = Zeroizing::new(
            serde_json::to_vec_pretty(file)
                .map_err(|e| ClientError::corrupt(&path, e.to_string()))?,
        );
        store::write_atomic(&path, &bytes)
    }

    /// The pinned root and key list, if the wallet has talked to a server.
    pub fn trust(&self) -> Result<Option<Trust>> {
        match self.load()? {
            Some(f) => Ok(Some(Trust::from_stored(
                &f.root_public_key,
                &f.key_list,
                &self.path(),
            )?)),
            None => Ok(None),
        }
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

    /// Redeem a ticket for a batch of tokens:
    /// 1. decode the ticket locally (not a ticket / expired / not yet valid fail here, with
    ///    no network traffic);
    /// 2. fetch `/v1/keys`; pin or check the root; verify the list and that it succeeds the
    ///    held one; check the issuing key is listed and inside its issuing period;
    /// 3. first round trip: `min(tokens, 64)` registrations under the profile's holder secret;
    /// 4. check the certified attributes against the ticket (status, travel, subject) and
    ///    the issuance hour against this clock (±2 h) **before** answering with challenges;
    /// 5. second round trip; every token is verified under the issuer key before it is kept;
    /// 6. store atomically.
    pub async fn redeem_with(
        &self,
        server_url: &str,
        ticket_text: &str,
        profile: &str,
        opts: &RedeemOptions,
        progress: &(dyn Fn(RedeemStep) + Send + Sync),
    ) -> Result<RedeemReport> {
        validate_profile(profile)?;
        let now = opts.now.unwrap_or_else(now_unix);
        let ticket = parse_ticket(ticket_text)?;
        let body = ticket.unverified_body();
        match body.check_time(now) {
            Ok(()) => {}
            Err(greenlight_protocol::ProtocolError::Expired { not_after }) => {
                return Err(ClientError::TicketExpired { not_after })
            }
            Err(greenlight_protocol::ProtocolError::NotYetValid { not_before }) => {
                return Err(ClientError::TicketNotYetValid { not_before })
            }
            Err(e) => {
                return Err(ClientError::Damaged {
                    kind: Kind::Ticket,
                    detail: e.to_string(),
                })
            }
        }
        let http = Http::new(server_url)?;

        // Held for the whole redeem: a concurrent present or redeem waits (a second or so).
        let _lock = DirLock::acquire(&self.dir)?;
        let mut file = self.load()?;
        let held = match &file {
            Some(f) => Some(Trust::from_stored(
                &f.root_public_key,
                &f.key_list,
                &self.path(),
            )?),
            None => None,
        };

        progress(RedeemStep::FetchKeys);
        let fetched = fetch_trusted(&http, held.as_ref(), opts.root).await?;
        let pk = fetched.trust.check_issuing(&fetched.issuing_key_id, now)?;

        let existing = file.as_ref().and_then(|f| f.profiles.get(profile));
        let new_profile = existing.is_none();
        let holder_secret = match existing {
            Some(p) => parse_holder(&p.holder, &self.path())?,
            None => random_nonzero_scalar(),
        };

        let n = usize::from(body.tokens().min(MAX_BATCH));
        progress(RedeemStep::Register { n });
        let mut rng = OsRng;
        let (registered, registrations) =
            HolderRequest::new_with_rng(&pk, &body.ticket_id(), &holder_secret, n, &mut rng)
                .map_err(ClientError::Issuance)?;
        let start = http
            .issuance_start(&ticket.to_text(), &registrations.to_bytes())
            .await?;
        let commitments = CommitmentBatch::from_bytes(&decode_b64(&start.commitments)?)
            .map_err(|e| HttpError::BadResponse(format!("commitments: {e}")))?;
        check_certified(&commitments, &ticket, &pk, now)?;

        progress(RedeemStep::Challenge);
        let (challenged, challenges) = registered
            .challenge_with_rng(&commitments, &mut rng)
            .map_err(ClientError::Issuance)?;
        let answers = http
            .issuance_finish(&start.session, &challenges.to_bytes())
            .await?;
        let answers = AnswerBatch::from_bytes(&answers)
            .map_err(|e| HttpError::BadResponse(format!("answers: {e}")))?;

        progress(RedeemStep::Verify { n });
        // `finish` verifies every token under the issuer key and fails the batch otherwise.
        let tokens = challenged.finish(&answers).map_err(ClientError::Issuance)?;

        progress(RedeemStep::Store);
        let trust = &fetched.trust;
        let file = file.get_or_insert_with(|| WalletFile {
            version: FORMAT_VERSION,
            root_public_key: String::new(),
            key_list: String::new(),
            profiles: BTreeMap::new(),
        });
        file.root_public_key = trust.root_hex();
        file.key_list = trust.key_list_text();
        let entry = file
            .profiles
            .entry(profile.to_owned())
            .or_insert_with(|| ProfileFile {
                holder: Zeroizing::new(hex::encode(Zeroizing::new(holder_secret.to_bytes()))),
                tokens: Vec::new(),
            });
        let tokens_added = tokens.len();
        entry.tokens.extend(tokens.iter().map(encode_token));
        let tokens_in_profile = entry.tokens.len();
        self.save(file)?;

        Ok(RedeemReport {
            profile: profile.to_owned(),
            new_profile,
            tokens_added,
            tokens_in_profile,
            status: body.status(),
            pin: fetched.pin,
        })
    }

    /// Counts by profile, colour and age at the system clock.
    pub fn status(&self) -> Result<WalletStatus> {
        self.status_at(now_unix())
    }

    /// Counts by profile, colour and age (hours since issuance) at `now_unix`.
    pub fn status_at(&self, now_unix: u64) -> Result<WalletStatus> {
        let Some(file) = self.load()? else {
            return Ok(WalletStatus {
                root_fingerprint: None,
                key_list_sequence: None,
                profiles: Vec::new(),
            });
        };
        let trust = Trust::from_stored(&file.root_public_key, &file.key_list, &self.path())?;
        let now_hour = u64::from(hour_of(now_unix));
        let mut profiles = Vec::new();
        for (name, profile) in &file.profiles {
            let mut groups: BTreeMap<(u8, u64), usize> = BTreeMap::new();
            for t in &profile.tokens {
                let token = decode_token(t, &self.path())?;
                let age = now_hour.saturating_sub(u64::from(token.attributes.time_hours));
                *groups.entry((token.attributes.status, age)).or_default() += 1;
            }
            profiles.push(ProfileStatus {
                name: name.clone(),
                total: profile.tokens.len(),
                groups: groups
                    .into_iter()
                    .map(|((status, age_hours), count)| TokenGroup {
                        status: Status::from_u8(status).ok(),
                        age_hours,
                        count,
                    })
                    .collect(),
            });
        }
        Ok(WalletStatus {
            root_fingerprint: Some(trust.fingerprint()),
            key_list_sequence: Some(trust.body().sequence()),
            profiles,
        })
    }

    /// Number of unused tokens in `profile` (0 if it does not exist).
    pub fn token_count(&self, profile: &str) -> Result<usize> {
        Ok(self
            .load()?
            .and_then(|f| f.profiles.get(profile).map(|p| p.tokens.len()))
            .unwrap_or(0))
    }

    /// Show a green code for the venue whose code is `venue_code_text`, at the system clock.
    pub fn present(&self, venue_code_text: &str, profile: &str) -> Result<Presented> {
        self.present_at(venue_code_text, profile, now_unix())
    }

    /// Show a green code at `now_unix`: pick the **oldest** token that still satisfies the
    /// venue (green, under a key accepted now, issued within the window) so tokens are used
    /// before they age out; remove it from the file durably; then prove green-and-recent for
    /// {token's key, venue id, current hour, venue window, GREEN_RECENT, no nonce}.
    pub fn present_at(
        &self,
        venue_code_text: &str,
        profile: &str,
        now_unix: u64,
    ) -> Result<Presented> {
        validate_profile(profile)?;
        let venue = parse_venue_code(venue_code_text)?;
        let _lock = DirLock::acquire(&self.dir)?;
        let mut file = self
            .load()?
            .ok_or_else(|| ClientError::NoTokens(profile.to_owned()))?;
        let trust = Trust::from_stored(&file.root_public_key, &file.key_list, &self.path())?;
        let path = self.path();
        let entry = file
            .profiles
            .get_mut(profile)
            .filter(|p| !p.tokens.is_empty())
            .ok_or_else(|| ClientError::NoTokens(profile.to_owned()))?;

        let now_hour = hour_of(now_unix);
        let window = venue.window_hours();
        let t_min = now_hour.saturating_sub(u32::from(window));
        let tokens = entry
            .tokens
            .iter()
            .map(|t| decode_token(t, &path))
            .collect::<Result<Vec<Token>>>()?;

        // Narrow down step by step so the refusal names the first condition nothing met.
        let green: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].attributes.status == Status::Green.as_u8())
            .collect();
        if green.is_empty() {
            return Err(ClientError::NoneGreen(profile.to_owned()));
        }
        let accepted: Vec<usize> = green
            .into_iter()
            .filter(|&i| trust.body().accepts(&tokens[i].key_id.0, now_unix).is_ok())
            .collect();
        if accepted.is_empty() {
            return Err(ClientError::NoneAcceptedKey(profile.to_owned()));
        }
        let not_future: Vec<usize> = accepted
            .into_iter()
            .filter(|&i| tokens[i].attributes.time_hours <= now_hour)
            .collect();
        if not_future.is_empty() {
            return Err(ClientError::TokensFromFuture(profile.to_owned()));
        }
        let chosen = not_future
            .into_iter()
            .filter(|&i| tokens[i].attributes.time_hours >= t_min)
            .min_by_key(|&i| (tokens[i].attributes.time_hours, i))
            .ok_or_else(|| ClientError::AllTooOld {
                profile: profile.to_owned(),
                window_hours: window,
            })?;

        let token = tokens[chosen].clone();
        let (_, key_entry) = trust
            .body()
            .accepts(&token.key_id.0, now_unix)
            .map_err(|_| ClientError::NoneAcceptedKey(profile.to_owned()))?;
        let pk = IssuerPublicKey::from_compressed(&key_entry.public_key)
            .ok_or_else(|| ClientError::corrupt(&path, "key list holds an invalid key"))?;

        // Durably forget the token before anything can be shown.
        entry.tokens.remove(chosen);
        let tokens_left = entry.tokens.len();
        self.save(&file)?;

        let ctx = PresentationContext {
            key_id: token.key_id,
            venue_id: venue.venue_id(),
            time_slot_hours: now_hour,
            window_hours: window,
            policy: PolicyId::GREEN_RECENT,
            nonce: None,
        };
        let presentation = green_recent::prove_with_rng(&token, &pk, &ctx, &mut OsRng)
            .map_err(ClientError::Prove)?;
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
        validate_profile(profile)?;
        let _lock = DirLock::acquire(&self.dir)?;
        let Some(mut file) = self.load()? else {
            return Ok(None);
        };
        let path = self.path();
        let Some(entry) = file.profiles.get_mut(profile) else {
            return Ok(None);
        };
        let tokens = entry
            .tokens
            .iter()
            .map(|t| decode_token(t, &path))
            .collect::<Result<Vec<Token>>>()?;
        let Some(oldest) = (0..tokens.len()).min_by_key(|&i| (tokens[i].attributes.time_hours, i))
        else {
            return Ok(None);
        };
        entry.tokens.remove(oldest);
        self.save(&file)?;
        Ok(tokens.into_iter().nth(oldest))
    }
}

/// Profile names: 1..=32 characters, no white space or control characters (they appear in
/// messages and must not be able to fake output lines).
pub fn validate_profile(name: &str) -> Result<()> {
    let count = name.chars().count();
    if count == 0
        || count > MAX_PROFILE_CHARS
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ClientError::BadProfile(name.chars().take(40).collect()));
    }
    Ok(())
}

/// Decode a ticket's text form with a clear error for other kinds of code.
pub fn parse_ticket(text: &str) -> Result<Ticket> {
    let text = text.trim();
    match detect_kind(text) {
        Some(Kind::Ticket) => Ticket::from_text(text).map_err(|e| ClientError::Damaged {
            kind: Kind::Ticket,
            detail: e.to_string(),
        }),
        found => Err(ClientError::NotATicket { found }),
    }
}

/// Decode a venue code's text form with a clear error for other kinds of code.
pub fn parse_venue_code(text: &str) -> Result<VenueCode> {
    let text = text.trim();
    match detect_kind(text) {
        Some(Kind::VenueCode) => VenueCode::from_text(text).map_err(|e| ClientError::Damaged {
            kind: Kind::VenueCode,
            detail: e.to_string(),
        }),
        found => Err(ClientError::NotAVenueCode { found }),
    }
}

/// The checks a holder makes on the issuer's first answer, before blinding anything: the
/// attributes must be exactly what the ticket says (an issuer cannot slip in another status,
/// travel history or subject), and the issuance hour must be close to this clock (a time
/// far off would be a per-holder tag).
fn check_certified(
    msg: &CommitmentBatch,
    ticket: &Ticket,
    pk: &IssuerPublicKey,
    now_unix: u64,
) -> Result<()> {
    let body = ticket.unverified_body();
    let attrs = &msg.attributes;
    if msg.key_id != pk.key_id() {
        return Err(ClientError::AttributeMismatch("key"));
    }
    if attrs.status != body.status().as_u8() {
        return Err(ClientError::AttributeMismatch("status"));
    }
    let travel = Scalar::from_bytes_mod_order(body.travel().encode_scalar_bytes());
    if attrs.travel != travel {
        return Err(ClientError::AttributeMismatch("travel"));
    }
    if attrs.subject != Attributes::subject_scalar(body.subject().as_str()) {
        return Err(ClientError::AttributeMismatch("subject"));
    }
    let wallet_hour = hour_of(now_unix);
    if attrs.time_hours.abs_diff(wallet_hour) > MAX_TIMESTAMP_SKEW_HOURS {
        return Err(ClientError::TimestampSkew {
            token_hour: attrs.time_hours,
            wallet_hour,
        });
    }
    Ok(())
}

fn random_nonzero_scalar() -> Zeroizing<Scalar> {
    loop {
        let s = Zeroizing::new(Scalar::random(&mut OsRng));
        if *s != Scalar::ZERO {
            return s;
        }
    }
}

fn parse_holder(hex_text: &str, path: &Path) -> Result<Zeroizing<Scalar>> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(hex_text.trim(), bytes.as_mut())
        .map_err(|_| ClientError::corrupt(path, "invalid holder secret"))?;
    let scalar: Option<Scalar> = Scalar::from_canonical_bytes(*bytes).into();
    match scalar {
        Some(s) if s != Scalar::ZERO => Ok(Zeroizing::new(s)),
        _ => Err(ClientError::corrupt(path, "invalid holder secret")),
    }
}

fn encode_token(token: &Token) -> Zeroizing<String> {
    Zeroizing::new(URL_SAFE_NO_PAD.encode(token.to_bytes().as_slice()))
}

fn decode_token(text: &str, path: &Path) -> Result<Token> {
    let bytes = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| ClientError::corrupt(path, "a token is not valid base64"))?,
    );
    Token::from_bytes(&bytes).map_err(|e| ClientError::corrupt(path, format!("a token: {e}")))
}
