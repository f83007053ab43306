//! The venue: its file, its code, key-list sync, offline verification and the seen-set.
//!
//! `venue.json` (0600; the format of `docs/api.md`, also imported by the browser verifier)
//! holds the pinned root, the verified key list, the venue code and the clock tolerance.
//! `seen.json` holds the ids (`ζ1`) of tokens accepted recently, so a presentation — or a
//! second presentation of the same token — is accepted at most once.
//!
//! Verification never touches the network, and never panics: garbage, truncated or huge
//! input, random bytes, PNGs without a code or with someone else's code all end in a
//! [`Verdict::Reject`] with a reason a door attendant understands. `Err` is reserved for
//! local failures (the seen-set cannot be written), because answering ACCEPT without
//! having recorded the token id would let it be replayed.
//!
//! Every rule — the `venue.json` checks, the accepted key set, the seen-set's retention,
//! format and cap, and the verification with its reasons — is `greenlight-venue`'s, shared
//! with the browser verifier; this module is the adapter that adds files, the directory
//! lock, HTTP sync and the localized verdict line.

use std::path::{Path, PathBuf};

use greenlight_protocol::{VenueCode, WitnessPolicy};
use greenlight_venue::{Outcome, VenueConfig};
use rand::rngs::OsRng;

use crate::clock::now_unix;
use crate::error::{ClientError, Result};
use crate::http::Http;
use crate::i18n::{rejection_text, Lang, Msg};
use crate::keys::{fetch_trusted, KeyChange, PinOutcome, RootPin, Trust};
use crate::store::{self, DirLock};
use crate::{input, wallet};

pub use greenlight_venue::{Reason as Rejection, SeenSet};

const VENUE_FILE: &str = "venue.json";
const SEEN_FILE: &str = "seen.json";
/// How far the holder's clock slot may be from the venue's (hours).
pub const DEFAULT_CLOCK_TOLERANCE_HOURS: u32 = greenlight_venue::DEFAULT_CLOCK_TOLERANCE_HOURS;
/// The standard windows, in hours (the same set the circuits crate enforces).
pub const STANDARD_WINDOWS: [u8; 6] = greenlight_circuits::STANDARD_WINDOWS_HOURS;
/// The default window.
pub const DEFAULT_WINDOW_HOURS: u8 = 24;

/// The outcome of a verification, as the CLI prints it (from [`greenlight_venue::Verdict`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accept {
        token_id: [u8; 32],
        key_id: [u8; 8],
        /// The issuing region, from the key list.
        region: Option<String>,
    },
    Reject(Rejection),
}

impl From<greenlight_venue::Verdict> for Verdict {
    fn from(v: greenlight_venue::Verdict) -> Self {
        match v.outcome {
            Outcome::Accept(a) => Verdict::Accept {
                token_id: a.token_id,
                key_id: a.key_id,
                region: Some(a.region),
            },
            Outcome::Reject(r) => Verdict::Reject(r),
        }
    }
}

impl Verdict {
    pub fn is_accept(&self) -> bool {
        matches!(self, Verdict::Accept { .. })
    }

    /// `ACCEPT` or `REJECT: <reason>`.
    pub fn line(&self, lang: Lang) -> String {
        match self {
            Verdict::Accept { .. } => Msg::Accept.text(lang),
            Verdict::Reject(r) => Msg::Reject {
                reason: rejection_text(r, lang),
            }
            .text(lang),
        }
    }

    /// 0 for ACCEPT, 1 for REJECT.
    pub fn exit_code(&self) -> u8 {
        if self.is_accept() {
            crate::error::EXIT_OK
        } else {
            crate::error::EXIT_REFUSED
        }
    }
}

/// Settings of a new venue beyond its name and window ([`Venue::init_with`]).
#[derive(Clone, Debug)]
pub struct VenueOptions {
    /// Witnesses whose cosignatures every key list must carry (`--witness`, spec §7.6).
    pub witnesses: Option<WitnessPolicy>,
    /// The lowest presentation wire version accepted (`--min-presentation-version`; spec §9).
    pub min_presentation_version: u8,
}

impl Default for VenueOptions {
    fn default() -> Self {
        VenueOptions {
            witnesses: None,
            min_presentation_version: 1,
        }
    }
}

/// What `venue sync` changed.
#[derive(Clone, Debug)]
pub struct SyncReport {
    pub old_sequence: u64,
    pub new_sequence: u64,
    pub changes: Vec<KeyChange>,
    /// With a witness policy: how many of the venue's witnesses cosigned the list.
    pub witnessed: Option<usize>,
}

/// A venue directory, loaded: its [`VenueConfig`] (every rule about it lives in
/// `greenlight-venue`) plus the directory holding `venue.json`, `seen.json` and the lock.
#[derive(Clone, Debug)]
pub struct Venue {
    dir: PathBuf,
    config: VenueConfig,
    trust: Trust,
}

impl Venue {
    /// `dirs::data_dir()/greenlight/venue`.
    pub fn default_dir() -> PathBuf {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("greenlight")
            .join("venue")
    }

    /// Set up a venue in `dir`: check the window and name, fetch and pin the root (or use
    /// `root`, the `--root` key or fingerprint — required unless the server is `https://` or
    /// on this machine: [`greenlight_venue::check_first_use`]), verify the key list, create a
    /// random venue id, write `venue.json`. Refuses to overwrite an existing venue (its
    /// visitors' codes are bound to its id). `venue sync` never re-pins: it only accepts lists
    /// under the root `venue.json` holds.
    pub async fn init(
        dir: impl AsRef<Path>,
        server_url: &str,
        name: &str,
        window_hours: u8,
        root: Option<RootPin>,
    ) -> Result<(Venue, PinOutcome)> {
        let opts = VenueOptions::default();
        Self::init_with(dir, server_url, name, window_hours, root, opts).await
    }

    /// [`Venue::init`] with [`VenueOptions`]: with `witnesses`, the list must already carry a
    /// quorum of their fresh cosignatures, and so must every list `venue sync` accepts later
    /// (spec §7.6).
    pub async fn init_with(
        dir: impl AsRef<Path>,
        server_url: &str,
        name: &str,
        window_hours: u8,
        root: Option<RootPin>,
        opts: VenueOptions,
    ) -> Result<(Venue, PinOutcome)> {
        let VenueOptions {
            witnesses,
            min_presentation_version,
        } = opts;
        let dir = dir.as_ref().to_owned();
        if !STANDARD_WINDOWS.contains(&window_hours) {
            return Err(ClientError::NonStandardWindow(format!("{window_hours}h")));
        }
        // Validate the name (and window) before any network traffic.
        let code = VenueCode::new_with_rng(&mut OsRng, name, window_hours)
            .map_err(ClientError::BadVenueName)?;
        store::ensure_private_dir(&dir)?;
        let path = dir.join(VENUE_FILE);
        if path.exists() {
            return Err(ClientError::VenueExists(dir));
        }
        let http = Http::new(server_url)?;
        let fetched = fetch_trusted(&http, None, root, witnesses.as_ref()).await?;
        let _lock = DirLock::acquire(&dir)?;
        if path.exists() {
            return Err(ClientError::VenueExists(dir));
        }
        let config = VenueConfig::new(
            Some(http.base().to_owned()),
            fetched.trust.trusted().clone(),
            code,
            DEFAULT_CLOCK_TOLERANCE_HOURS,
        )
        .map_err(|e| ClientError::corrupt(&path, e.to_string()))?
        .with_witnesses(witnesses, fetched.cosignatures)
        .with_min_presentation_version(min_presentation_version)
        .map_err(|e| ClientError::BadMinVersion(e.to_string()))?;
        let venue = Venue {
            dir,
            config,
            trust: fetched.trust,
        };
        venue.save()?;
        Ok((venue, fetched.pin))
    }

    /// Load the venue in `dir` (`venue.json` checked by [`VenueConfig::from_json_bytes`]).
    pub fn open(dir: impl AsRef<Path>) -> Result<Venue> {
        let dir = dir.as_ref().to_owned();
        let path = dir.join(VENUE_FILE);
        let bytes = store::read_limited(&path, greenlight_venue::MAX_VENUE_JSON_LEN)?
            .ok_or(ClientError::NoVenue(dir.clone()))?;
        let config = VenueConfig::from_json_bytes(&bytes)
            .map_err(|e| ClientError::corrupt(&path, e.to_string()))?;
        let trust = Trust::from_trusted(config.trust().clone());
        Ok(Venue { dir, config, trust })
    }

    fn save(&self) -> Result<()> {
        let path = self.dir.join(VENUE_FILE);
        store::write_atomic(&path, self.config.to_json_pretty().as_bytes())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    /// The venue's rules (shared with the browser verifier).
    pub fn config(&self) -> &VenueConfig {
        &self.config
    }
    pub fn code(&self) -> &VenueCode {
        self.config.code()
    }
    /// `GLV1:…`.
    pub fn code_text(&self) -> String {
        self.config.code().to_text()
    }
    pub fn trust(&self) -> &Trust {
        &self.trust
    }
    /// The server `venue sync` fetches from (empty if `venue.json` names none).
    pub fn server(&self) -> &str {
        self.config.server().unwrap_or_default()
    }
    pub fn clock_tolerance_hours(&self) -> u32 {
        self.config.clock_tolerance_hours()
    }

    /// Refresh the key list from the server: it must verify under the pinned root, be an
    /// append-only successor of the list held and — when `venue.json` names witnesses — carry
    /// a quorum of their fresh cosignatures; otherwise the old list is kept. Fresh
    /// cosignatures of the same list are kept too (the last checkpoint).
    pub async fn sync(&mut self) -> Result<SyncReport> {
        let path = self.dir.join(VENUE_FILE);
        let server = self.config.server().ok_or_else(|| {
            ClientError::corrupt(
                &path,
                "venue.json names no \"server\" to sync from: add one, or run `venue init` again",
            )
        })?;
        let http = Http::new(server)?;
        let policy = self.config.witnesses().cloned();
        let fetched = fetch_trusted(&http, Some(&self.trust), None, policy.as_ref()).await?;
        let old_sequence = self.trust.body().sequence();
        let new_sequence = fetched.trust.body().sequence();
        let witnessed = policy.as_ref().map(|_| fetched.cosignatures.len());
        if fetched.trust.body() != self.trust.body()
            || fetched.cosignatures != self.config.cosignatures()
        {
            let _lock = DirLock::acquire(&self.dir)?;
            // Another sync may have saved a newer list since this venue was opened: check
            // the fetched list against what is on disk now, under the lock, so a slower sync
            // can never roll the stored list back (e.g. drop a key revocation).
            let on_disk = Venue::open(&self.dir)?;
            on_disk.trust.check_successor(&fetched.trust)?;
            // The list was checked against the policy read at open: if venue.json names
            // other witnesses now (edited meanwhile), that check is not the one to keep.
            if on_disk.config.witnesses() != policy.as_ref() {
                return Err(ClientError::KeyListNotWitnessed(
                    "venue.json changed during the sync (its witnesses); run venue sync again"
                        .into(),
                ));
            }
            self.config = on_disk
                .config
                .with_updated_keys(fetched.trust.trusted().clone(), fetched.cosignatures)
                .map_err(|e| ClientError::KeyListInvalid(e.to_string()))?;
            // The venue's copy, with the previous list `with_updated_keys` kept.
            self.trust = Trust::from_trusted(self.config.trust().clone());
            self.save()?;
        }
        Ok(SyncReport {
            old_sequence,
            new_sequence,
            changes: fetched.changes,
            witnessed,
        })
    }

    /// Verify a command-line argument (text, file, PNG or `-`) at the system clock.
    /// Unreadable *content* is a rejection; a missing file is an error.
    pub fn verify_input(&self, arg: &str) -> Result<Verdict> {
        self.verify_input_at(arg, now_unix())
    }

    /// [`Venue::verify_input`] with the venue's clock at `now_unix` (`venue verify --now`,
    /// for testing and auditing).
    pub fn verify_input_at(&self, arg: &str, now_unix: u64) -> Result<Verdict> {
        match input::read_code(arg) {
            Ok(text) => self.verify_text_at(&text, now_unix),
            Err(e) => rejection_for_input(e),
        }
    }

    /// Verify the bytes of a file or standard input (text or PNG) at the system clock.
    pub fn verify_bytes(&self, bytes: &[u8]) -> Result<Verdict> {
        self.verify_bytes_at(bytes, now_unix())
    }

    /// Verify the bytes of a file or standard input (text or PNG) at `now_unix`.
    pub fn verify_bytes_at(&self, bytes: &[u8], now_unix: u64) -> Result<Verdict> {
        match input::from_bytes(bytes) {
            Ok(text) => self.verify_text_at(&text, now_unix),
            Err(e) => rejection_for_input(e),
        }
    }

    /// Verify presentation text at the system clock.
    pub fn verify_text(&self, text: &str) -> Result<Verdict> {
        self.verify_text_at(text, now_unix())
    }

    /// Verify presentation text with the venue clock at `now_unix`: the checks of
    /// [`VenueConfig::check`] (no lock held), then, under the directory lock, the seen-set's
    /// check-and-insert ([`VenueConfig::admit`]), durably written before ACCEPT is returned.
    pub fn verify_text_at(&self, text: &str, now_unix: u64) -> Result<Verdict> {
        let checked = match self.config.check(text, now_unix, &mut OsRng) {
            Ok(checked) => checked,
            Err(rejected) => return Ok(greenlight_venue::Verdict::from(rejected).into()),
        };
        let _lock = DirLock::acquire(&self.dir)?;
        let mut seen = self.load_seen()?;
        let verdict = self.config.admit(checked, &mut seen);
        if verdict.is_accept() {
            self.save_seen(&seen)?;
        }
        Ok(verdict.into())
    }

    /// The seen-set as stored.
    pub fn seen(&self) -> Result<SeenSet> {
        self.load_seen()
    }

    fn load_seen(&self) -> Result<SeenSet> {
        let path = self.dir.join(SEEN_FILE);
        let Some(bytes) = store::read_limited(&path, greenlight_venue::MAX_SEEN_JSON_LEN)? else {
            return Ok(SeenSet::new());
        };
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ClientError::corrupt(&path, "not a seen-set: not UTF-8"))?;
        SeenSet::from_json(text).map_err(|e| ClientError::corrupt(&path, e.to_string()))
    }

    fn save_seen(&self, set: &SeenSet) -> Result<()> {
        store::write_atomic(&self.dir.join(SEEN_FILE), set.to_json().as_bytes())
    }
}

/// Input that could not be read as a code: content problems are rejections (exit 1);
/// local I/O problems stay errors (exit 2).
fn rejection_for_input(e: ClientError) -> Result<Verdict> {
    match e {
        ClientError::NoQrCode => Ok(Verdict::Reject(Rejection::NoQrCode)),
        ClientError::ImageUnreadable(_) => Ok(Verdict::Reject(Rejection::UnreadableImage)),
        ClientError::NotText => Ok(Verdict::Reject(Rejection::NotGreenlight)),
        ClientError::InputTooLarge { .. } => Ok(Verdict::Reject(Rejection::TooLarge)),
        other => Err(other),
    }
}

/// Parse `--window`: `6h`, `12h`, `24h`, `48h`, `72h`, `168h`, `7d`, `1d`…, or bare hours;
/// only the standard windows are accepted (an odd window could tag visitors).
pub fn parse_window(s: &str) -> Result<u8> {
    let t = s.trim().to_ascii_lowercase();
    let hours: Option<u64> = if let Some(d) = t.strip_suffix('d') {
        d.trim().parse::<u64>().ok().and_then(|d| d.checked_mul(24))
    } else if let Some(w) = t.strip_suffix('w') {
        w.trim()
            .parse::<u64>()
            .ok()
            .and_then(|w| w.checked_mul(168))
    } else {
        t.strip_suffix('h').unwrap_or(&t).trim().parse::<u64>().ok()
    };
    hours
        .and_then(|h| u8::try_from(h).ok())
        .filter(|h| STANDARD_WINDOWS.contains(h))
        .ok_or_else(|| ClientError::NonStandardWindow(s.chars().take(20).collect()))
}

/// Re-exported for callers that only hold a venue code.
pub use wallet::parse_venue_code;
