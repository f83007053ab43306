//! The web wallet's document and what the page asks of it: set-up from the issuer's key list
//! (pinning its root), status, profiles, taking a token out for a venue. Every decision is
//! `greenlight-wallet`'s or `greenlight-venue`'s; this module shapes answers for JavaScript.
//! The page keeps the document's bytes (`to_bytes`) encrypted in IndexedDB.

use greenlight_api::KeysResponse;
use greenlight_protocol::{detect_kind, Kind, Ticket, VenueCode};
use greenlight_venue::{accept_keys, KeysRefusal, PinOutcome, RootPin};
use greenlight_wallet::{
    HolderSecret, Outlook, PendingPresentation, TokenGroup, WalletDocument, Warning,
};
use rand_core::{CryptoRng, RngCore};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::messages::{warning_text, Failure, Lang};

/// The `GET /v1/keys` body.
pub fn parse_keys(keys_json: &str) -> Result<KeysResponse, Failure> {
    serde_json::from_str(keys_json).map_err(|e| Failure::BadResponse(e.to_string()))
}

/// A root the resident gave (`#root=` or typed): fingerprint or key, hex.
pub fn parse_root(text: &str) -> Result<Option<RootPin>, Failure> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    RootPin::parse(t)
        .map(Some)
        .map_err(|_| Failure::Keys(greenlight_venue::KeysRefusal::Invalid("root".into())))
}

/// Decodes `text` as `want`, naming another kind of code when it is one.
pub fn parse_as<T, E>(
    want: Kind,
    text: &str,
    decode: impl Fn(&str) -> Result<T, E>,
) -> Result<T, Failure> {
    let text = text.trim();
    match detect_kind(text) {
        Some(k) if k == want => decode(text).map_err(|_| Failure::Damaged { kind: want }),
        found => Err(Failure::WrongKind { want, found }),
    }
}

/// A ticket's text.
pub fn parse_ticket(text: &str) -> Result<Ticket, Failure> {
    parse_as(Kind::Ticket, text, Ticket::from_text)
}

/// A venue code's text.
pub fn parse_venue(text: &str) -> Result<VenueCode, Failure> {
    parse_as(Kind::VenueCode, text, VenueCode::from_text)
}

/// What the first-run screen shows before the resident confirms the root.
#[derive(Debug, Serialize)]
pub struct KeysPreview {
    /// The server's root fingerprint, in groups of four.
    pub fingerprint: String,
    /// Whether it matches the root the resident was given (`None`: none given).
    pub matches_given: Option<bool>,
    /// Key-list version.
    pub sequence: u64,
    /// Issuers listed: `Name (REGION)`.
    pub issuers: Vec<String>,
}

/// Fingerprint in groups of four, to read aloud and compare.
pub fn grouped(fp: &str) -> String {
    fp.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks a key list answer for a wallet that holds nothing yet.
pub fn preview_keys(keys_json: &str, given_root: &str) -> Result<KeysPreview, Failure> {
    let resp = parse_keys(keys_json)?;
    let given = parse_root(given_root)?;
    let (fetched, matches_given) = match accept_keys(&resp, None, given.as_ref(), None) {
        Ok(f) => (f, given.as_ref().map(|_| true)),
        Err(greenlight_venue::KeysRefusal::RootMismatch { .. }) => {
            (accept_keys(&resp, None, None, None)?, Some(false))
        }
        Err(e) => return Err(e.into()),
    };
    Ok(KeysPreview {
        fingerprint: grouped(fetched.pin.fingerprint()),
        matches_given,
        sequence: fetched.trust.body().sequence(),
        issuers: fetched
            .trust
            .body()
            .issuers()
            .iter()
            .map(|i| format!("{} ({})", i.display_name, i.region))
            .collect(),
    })
}

/// One profile on the status screen.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    /// Name.
    pub name: String,
    /// Unused tokens.
    pub total: usize,
    /// By colour and age.
    pub groups: Vec<GroupView>,
    /// Tokens a 6 h / 24 h venue would accept now.
    pub usable_6h: usize,
    /// See `usable_6h`.
    pub usable_24h: usize,
    /// Age of the newest usable token, hours.
    pub newest_age_hours: Option<u64>,
    /// Until when (Unix seconds) a 6 h / 24 h venue accepts some token.
    pub until_6h: Option<u64>,
    /// See `until_6h`.
    pub until_24h: Option<u64>,
    /// Go online before this instant.
    pub go_online_by: Option<u64>,
    /// Warnings, most urgent first: `{code, text, at}` (`at`: the instant to format into the
    /// text as `{when}`, if any).
    pub warnings: Vec<WarningView>,
}

/// Tokens of one colour and age.
#[derive(Debug, Serialize)]
pub struct GroupView {
    /// `green`, `yellow`, `red` or `unknown`.
    pub status: &'static str,
    /// Hours since issuance.
    pub age_hours: u64,
    /// How many.
    pub count: usize,
}

/// One warning.
#[derive(Debug, Serialize)]
pub struct WarningView {
    /// Stable code.
    pub code: &'static str,
    /// Text; `{when}` stands for `at`, formatted by the page.
    pub text: String,
    /// The instant in the text.
    pub at: Option<u64>,
}

/// The status screen.
#[derive(Debug, Serialize)]
pub struct StatusView {
    /// Pinned root, grouped.
    pub root_fingerprint: String,
    /// Key-list version.
    pub key_list_sequence: u64,
    /// Profiles by name.
    pub profiles: Vec<ProfileView>,
}

fn group_view(g: &TokenGroup) -> GroupView {
    GroupView {
        status: match g.status {
            Some(greenlight_protocol::Status::Green) => "green",
            Some(greenlight_protocol::Status::Yellow) => "yellow",
            Some(greenlight_protocol::Status::Red) => "red",
            None => "unknown",
        },
        age_hours: g.age_hours,
        count: g.count,
    }
}

fn warning_view(w: &Warning, lang: Lang) -> WarningView {
    let at = match w {
        Warning::ShortWindowSoon { until } | Warning::DayWindowSoon { until } => Some(*until),
        _ => None,
    };
    WarningView {
        code: w.code(),
        text: warning_text(w, "{when}", lang),
        at,
    }
}

/// The resident's wallet: a [`WalletDocument`] once set up.
#[derive(Default)]
pub struct WebWallet {
    doc: Option<WalletDocument>,
}

impl WebWallet {
    /// From stored bytes (empty: not set up).
    pub fn open(bytes: &[u8]) -> Result<Self, Failure> {
        if bytes.is_empty() {
            return Ok(WebWallet::default());
        }
        WalletDocument::from_json(bytes)
            .map(|d| WebWallet { doc: Some(d) })
            .map_err(|e| Failure::Storage(e.to_string()))
    }

    /// Set up from the issuer's key list: pins the given root (which the server's must match)
    /// or, with none given, the server's (the page showed its fingerprint first). Creates the
    /// resident's own profile, `self`, with a fresh holder secret.
    pub fn create(
        keys_json: &str,
        given_root: &str,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(Self, PinOutcome), Failure> {
        let resp = parse_keys(keys_json)?;
        let given = parse_root(given_root)?;
        let fetched = accept_keys(&resp, None, given.as_ref(), None)?;
        let mut doc = WalletDocument::new(fetched.trust);
        doc.add_profile(
            greenlight_wallet::DEFAULT_PROFILE,
            HolderSecret::generate(rng),
        )?;
        Ok((WebWallet { doc: Some(doc) }, fetched.pin))
    }

    /// Whether a key list is pinned.
    pub fn is_set_up(&self) -> bool {
        self.doc.is_some()
    }

    /// The document.
    pub fn doc(&self) -> Result<&WalletDocument, Failure> {
        self.doc.as_ref().ok_or(Failure::NotSetUp)
    }

    /// The document, to change.
    pub fn doc_mut(&mut self) -> Result<&mut WalletDocument, Failure> {
        self.doc.as_mut().ok_or(Failure::NotSetUp)
    }

    /// The bytes to store (encrypted by the page).
    pub fn to_bytes(&self) -> Result<Zeroizing<Vec<u8>>, Failure> {
        Ok(self.doc()?.to_json()?)
    }

    /// Takes in a newer key list from the issuer (same root, append-only successor).
    /// Returns whether the held list changed.
    pub fn update_keys(&mut self, keys_json: &str) -> Result<bool, Failure> {
        let resp = parse_keys(keys_json)?;
        let doc = self.doc_mut()?;
        let fetched = accept_keys(&resp, Some(doc.trust()), None, None)?;
        let changed = fetched.trust != *doc.trust();
        if changed {
            doc.update_trust(fetched.trust)
                .map_err(KeysRefusal::Update)?;
        }
        Ok(changed)
    }

    /// The status screen at `now_unix`.
    pub fn status(&self, now_unix: u64, lang: Lang) -> Result<StatusView, Failure> {
        let doc = self.doc()?;
        let status = doc.status(now_unix);
        let profiles = status
            .profiles
            .iter()
            .map(|p| {
                let o: Outlook = doc.outlook(&p.name, now_unix).unwrap_or(Outlook {
                    total: 0,
                    usable_short: 0,
                    usable_day: 0,
                    newest_age_hours: None,
                    short_until: None,
                    day_until: None,
                    go_online_by: None,
                    warnings: Vec::new(),
                });
                ProfileView {
                    name: p.name.clone(),
                    total: p.total,
                    groups: p.groups.iter().map(group_view).collect(),
                    usable_6h: o.usable_short,
                    usable_24h: o.usable_day,
                    newest_age_hours: o.newest_age_hours,
                    until_6h: o.short_until,
                    until_24h: o.day_until,
                    go_online_by: o.go_online_by,
                    warnings: o.warnings.iter().map(|w| warning_view(w, lang)).collect(),
                }
            })
            .collect();
        Ok(StatusView {
            root_fingerprint: grouped(&status.root_fingerprint),
            key_list_sequence: status.key_list_sequence,
            profiles,
        })
    }

    /// Adds a family member with a fresh holder secret.
    pub fn add_profile(
        &mut self,
        name: &str,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(), Failure> {
        let doc = self.doc_mut()?;
        if doc.add_profile(name.trim(), HolderSecret::generate(rng))? {
            Ok(())
        } else {
            Err(Failure::ProfileTaken(name.trim().to_owned()))
        }
    }

    /// Renames a profile.
    pub fn rename_profile(&mut self, from: &str, to: &str) -> Result<(), Failure> {
        if self.doc_mut()?.rename_profile(from, to.trim())? {
            Ok(())
        } else {
            Err(Failure::ProfileTaken(to.trim().to_owned()))
        }
    }

    /// Removes a profile; returns the tokens that went with it.
    pub fn remove_profile(&mut self, name: &str) -> Result<usize, Failure> {
        Ok(self.doc_mut()?.remove_profile(name)?)
    }

    /// Takes the token for `venue_text` out of `profile` (the page stores
    /// [`PendingPresentation::document_to_save`], then proves).
    pub fn withdraw(
        &mut self,
        profile: &str,
        venue_text: &str,
        now_unix: u64,
    ) -> Result<(PendingPresentation, VenueCode), Failure> {
        let venue = parse_venue(venue_text)?;
        let pending = self
            .doc_mut()?
            .withdraw_pending(profile, &venue, now_unix)?;
        Ok((pending, venue))
    }

    /// Replaces the document (after a redeem stored tokens into a new one).
    pub fn set_doc(&mut self, doc: WalletDocument) {
        self.doc = Some(doc);
    }

    /// Takes the document out (a redeem works on it and puts it back).
    pub fn take_doc(&mut self) -> Option<WalletDocument> {
        self.doc.take()
    }
}
