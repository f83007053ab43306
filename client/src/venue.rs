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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use greenlight_circuits::{
    verify_vartime, PolicyId, Presentation, RejectReason, VenueExpectations,
};
use greenlight_protocol::{detect_kind, Kind, VenueCode};
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};

use crate::clock::{hour_of, now_unix};
use crate::error::{ClientError, Result};
use crate::http::Http;
use crate::i18n::{kind_name, Lang, Msg};
use crate::keys::{fetch_trusted, KeyChange, PinOutcome, Trust};
use crate::store::{self, DirLock};
use crate::{input, wallet};

const VENUE_FILE: &str = "venue.json";
const SEEN_FILE: &str = "seen.json";
const FORMAT_VERSION: u32 = 1;
/// How far the holder's clock slot may be from the venue's (hours).
pub const DEFAULT_CLOCK_TOLERANCE_HOURS: u32 = 1;
/// The standard windows, in hours (the same set the circuits crate enforces).
pub const STANDARD_WINDOWS: [u8; 6] = greenlight_circuits::STANDARD_WINDOWS_HOURS;
/// The default window.
pub const DEFAULT_WINDOW_HOURS: u8 = 24;
const MAX_VENUE_FILE: usize = 2 * 1024 * 1024;
/// A busy venue sees a few thousand visitors a day; 64 MB is room for over a million ids.
const MAX_SEEN_FILE: usize = 64 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct VenueFile {
    version: u32,
    server: String,
    root_public_key: String,
    key_list: String,
    venue_code: String,
    clock_tolerance_hours: u32,
}

#[derive(Serialize, Deserialize)]
struct SeenFile {
    version: u32,
    /// Hex of the token id → the venue's hour when it was first accepted.
    seen: BTreeMap<String, u32>,
}

/// Token ids accepted recently, with the hour each was first seen.
///
/// Retention: a token accepted at venue hour `h` has `ts ≤ h + tol` (the holder's slot is
/// within `tol` of `h` and `ts ≤ slot`), and can pass the recency proof again only while
/// `now − tol − W ≤ ts`, i.e. until `now ≤ h + W + 2·tol`. Keeping entries for
/// `W + 2·tol` hours is therefore exactly enough; older ones are dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeenSet {
    entries: BTreeMap<[u8; 32], u32>,
}

impl SeenSet {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn contains(&self, id: &[u8; 32]) -> bool {
        self.entries.contains_key(id)
    }

    /// Insert `id` first seen at `now_hour`; `false` (and no change) if it is already there.
    pub fn check_and_insert(&mut self, id: [u8; 32], now_hour: u32) -> bool {
        match self.entries.entry(id) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(now_hour);
                true
            }
        }
    }

    /// Drop entries first seen more than `keep_hours` before `now_hour`; returns how many.
    pub fn prune(&mut self, now_hour: u32, keep_hours: u32) -> usize {
        let before = self.entries.len();
        self.entries
            .retain(|_, seen| seen.saturating_add(keep_hours) >= now_hour);
        before - self.entries.len()
    }

    /// Hours an entry must be kept for a window and clock tolerance (see the type's docs).
    pub fn retention_hours(window_hours: u8, tolerance_hours: u32) -> u32 {
        u32::from(window_hours).saturating_add(tolerance_hours.saturating_mul(2))
    }
}

/// Why a presentation was refused, as the door attendant is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// A check of the presentation failed (including [`RejectReason::Replayed`]).
    Check(RejectReason),
    /// Not a Greenlight code at all (no known prefix, not text).
    NotGreenlight,
    /// Another kind of Greenlight code (a ticket, a venue code, a key list).
    WrongKind(Kind),
    /// An image without a readable QR code.
    NoQrCode,
    /// An image that could not be decoded.
    UnreadableImage,
    /// Far larger than any presentation.
    TooLarge,
}

impl Rejection {
    pub fn message(&self) -> Msg {
        match self {
            Rejection::Check(r) => match r {
                RejectReason::BadEncoding => Msg::RejBadEncoding,
                RejectReason::UnknownKey => Msg::RejUnknownKey,
                RejectReason::BadSignature => Msg::RejBadSignature,
                RejectReason::BadProof => Msg::RejBadProof,
                RejectReason::Stale => Msg::RejStale,
                RejectReason::WrongVenue => Msg::RejWrongVenue,
                RejectReason::ClockSkew => Msg::RejClockSkew,
                RejectReason::NonStandardWindow => Msg::RejNonStandardWindow,
                RejectReason::WrongWindow => Msg::RejWrongWindow,
                RejectReason::WrongPolicy => Msg::RejWrongPolicy,
                RejectReason::Replayed => Msg::RejReplayed,
            },
            Rejection::NotGreenlight => Msg::RejNotGreenlight,
            Rejection::WrongKind(k) => Msg::RejWrongKind {
                kind: k.name().to_owned(),
            },
            Rejection::NoQrCode => Msg::RejNoQr,
            Rejection::UnreadableImage => Msg::RejUnreadableImage,
            Rejection::TooLarge => Msg::RejTooLarge,
        }
    }

    /// The reason in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Rejection::WrongKind(k) => Msg::RejWrongKind {
                kind: kind_name(*k, lang),
            }
            .text(lang),
            other => other.message().text(lang),
        }
    }
}

/// The outcome of a verification.
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

impl Verdict {
    pub fn is_accept(&self) -> bool {
        matches!(self, Verdict::Accept { .. })
    }

    /// `ACCEPT` or `REJECT: <reason>`.
    pub fn line(&self, lang: Lang) -> String {
        match self {
            Verdict::Accept { .. } => Msg::Accept.text(lang),
            Verdict::Reject(r) => Msg::Reject {
                reason: r.text(lang),
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

/// What `venue sync` changed.
#[derive(Clone, Debug)]
pub struct SyncReport {
    pub old_sequence: u64,
    pub new_sequence: u64,
    pub changes: Vec<KeyChange>,
}

/// A venue directory, loaded.
#[derive(Clone, Debug)]
pub struct Venue {
    dir: PathBuf,
    server: String,
    code: VenueCode,
    trust: Trust,
    clock_tolerance_hours: u32,
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
    /// `root`), verify the key list, create a random venue id, write `venue.json`.
    /// Refuses to overwrite an existing venue (its visitors' codes are bound to its id).
    pub async fn init(
        dir: impl AsRef<Path>,
        server_url: &str,
        name: &str,
        window_hours: u8,
        root: Option<[u8; 32]>,
    ) -> Result<(Venue, PinOutcome)> {
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
        let fetched = fetch_trusted(&http, None, root).await?;
        let _lock = DirLock::acquire(&dir)?;
        if path.exists() {
            return Err(ClientError::VenueExists(dir));
        }
        let venue = Venue {
            dir,
            server: http.base().to_owned(),
            code,
            trust: fetched.trust,
            clock_tolerance_hours: DEFAULT_CLOCK_TOLERANCE_HOURS,
        };
        venue.save()?;
        Ok((venue, fetched.pin))
    }

    /// Load the venue in `dir`.
    pub fn open(dir: impl AsRef<Path>) -> Result<Venue> {
        let dir = dir.as_ref().to_owned();
        let path = dir.join(VENUE_FILE);
        let bytes =
            store::read_limited(&path, MAX_VENUE_FILE)?.ok_or(ClientError::NoVenue(dir.clone()))?;
        let file: VenueFile = serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::corrupt(&path, format!("not a venue file: {e}")))?;
        if file.version != FORMAT_VERSION {
            return Err(ClientError::corrupt(
                &path,
                format!("unsupported version {}", file.version),
            ));
        }
        let trust = Trust::from_stored(&file.root_public_key, &file.key_list, &path)?;
        let code = VenueCode::from_text(&file.venue_code)
            .map_err(|e| ClientError::corrupt(&path, format!("venue_code: {e}")))?;
        if file.clock_tolerance_hours > 24 {
            return Err(ClientError::corrupt(
                &path,
                "clock_tolerance_hours above 24",
            ));
        }
        Ok(Venue {
            dir,
            server: file.server,
            code,
            trust,
            clock_tolerance_hours: file.clock_tolerance_hours,
        })
    }

    fn save(&self) -> Result<()> {
        let path = self.dir.join(VENUE_FILE);
        let file = VenueFile {
            version: FORMAT_VERSION,
            server: self.server.clone(),
            root_public_key: self.trust.root_hex(),
            key_list: self.trust.key_list_text(),
            venue_code: self.code.to_text(),
            clock_tolerance_hours: self.clock_tolerance_hours,
        };
        let bytes = serde_json::to_vec_pretty(&file)
            .map_err(|e| ClientError::corrupt(&path, e.to_string()))?;
        store::write_atomic(&path, &bytes)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn code(&self) -> &VenueCode {
        &self.code
    }
    /// `GLV1:…`.
    pub fn code_text(&self) -> String {
        self.code.to_text()
    }
    pub fn trust(&self) -> &Trust {
        &self.trust
    }
    pub fn server(&self) -> &str {
        &self.server
    }
    pub fn clock_tolerance_hours(&self) -> u32 {
        self.clock_tolerance_hours
    }

    /// Refresh the key list from the server: it must verify under the pinned root and be an
    /// append-only successor of the list held; otherwise the old list is kept.
    pub async fn sync(&mut self) -> Result<SyncReport> {
        let http = Http::new(&self.server)?;
        let fetched = fetch_trusted(&http, Some(&self.trust), None).await?;
        let old_sequence = self.trust.body().sequence();
        let new_sequence = fetched.trust.body().sequence();
        if fetched.trust.body() != self.trust.body() {
            let _lock = DirLock::acquire(&self.dir)?;
            // Another sync may have saved a newer list since this venue was opened: check
            // the fetched list against what is on disk now, under the lock, so a slower sync
            // can never roll the stored list back (e.g. drop a key revocation).
            let on_disk = Venue::open(&self.dir)?;
            on_disk.trust.check_successor(&fetched.trust)?;
            self.trust = fetched.trust;
            self.save()?;
        }
        Ok(SyncReport {
            old_sequence,
            new_sequence,
            changes: fetched.changes,
        })
    }

    /// Verify a command-line argument (text, file, PNG or `-`) at the system clock.
    /// Unreadable *content* is a rejection; a missing file is an error.
    pub fn verify_input(&self, arg: &str) -> Result<Verdict> {
        match input::read_code(arg) {
            Ok(text) => self.verify_text(&text),
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

    /// Verify presentation text with the venue clock at `now_unix`: decode; check it against
    /// the keys accepted now, this venue's id, window and policy, and the clock; then
    /// check-and-insert its token id into the seen-set (durably) — a replay is rejected.
    pub fn verify_text_at(&self, text: &str, now_unix: u64) -> Result<Verdict> {
        let text = text.trim();
        if text.len() > greenlight_wire::lengths::MAX_TEXT {
            return Ok(Verdict::Reject(Rejection::TooLarge));
        }
        match detect_kind(text) {
            Some(Kind::Presentation) => {}
            Some(kind) => return Ok(Verdict::Reject(Rejection::WrongKind(kind))),
            None => return Ok(Verdict::Reject(Rejection::NotGreenlight)),
        }
        let Ok(pres) = Presentation::from_text(text) else {
            return Ok(Verdict::Reject(Rejection::Check(RejectReason::BadEncoding)));
        };
        let now_hour = hour_of(now_unix);
        let keys = self.trust.accepted_keys(now_unix);
        let expect = VenueExpectations {
            venue_id: self.code.venue_id(),
            window_hours: self.code.window_hours(),
            policy: PolicyId::GREEN_RECENT,
            nonce: None,
            now_hours: now_hour,
            clock_tolerance_hours: self.clock_tolerance_hours,
        };
        let verified = match verify_vartime(&pres, &expect, &keys, &mut OsRng) {
            Ok(v) => v,
            Err(reason) => return Ok(Verdict::Reject(Rejection::Check(reason))),
        };

        let _lock = DirLock::acquire(&self.dir)?;
        let mut seen = self.load_seen()?;
        seen.prune(
            now_hour,
            SeenSet::retention_hours(self.code.window_hours(), self.clock_tolerance_hours),
        );
        if !seen.check_and_insert(verified.token_id, now_hour) {
            return Ok(Verdict::Reject(Rejection::Check(RejectReason::Replayed)));
        }
        self.save_seen(&seen)?;
        Ok(Verdict::Accept {
            token_id: verified.token_id,
            key_id: verified.key_id.0,
            region: self.trust.region_of(&verified.key_id.0),
        })
    }

    /// The seen-set as stored.
    pub fn seen(&self) -> Result<SeenSet> {
        self.load_seen()
    }

    fn load_seen(&self) -> Result<SeenSet> {
        let path = self.dir.join(SEEN_FILE);
        let Some(bytes) = store::read_limited(&path, MAX_SEEN_FILE)? else {
            return Ok(SeenSet::new());
        };
        let file: SeenFile = serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::corrupt(&path, format!("not a seen-set: {e}")))?;
        let mut set = SeenSet::new();
        for (id, hour) in file.seen {
            let id: [u8; 32] = hex::decode(&id)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| ClientError::corrupt(&path, "invalid token id"))?;
            set.entries.insert(id, hour);
        }
        Ok(set)
    }

    fn save_seen(&self, set: &SeenSet) -> Result<()> {
        let path = self.dir.join(SEEN_FILE);
        let file = SeenFile {
            version: FORMAT_VERSION,
            seen: set
                .entries
                .iter()
                .map(|(id, hour)| (hex::encode(id), *hour))
                .collect(),
        };
        let bytes =
            serde_json::to_vec(&file).map_err(|e| ClientError::corrupt(&path, e.to_string()))?;
        store::write_atomic(&path, &bytes)
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
