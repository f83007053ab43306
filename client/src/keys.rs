//! Trust: pinning the root key and keeping the signed issuer key list up to date.
//!
//! The first time a wallet or venue talks to a server it pins the server's root key (trust
//! on first use; the fingerprint is printed so it can be compared out of band) unless an
//! operator pins one explicitly with `--root` (the key, or its fingerprint). Trust on first
//! use is allowed only over `https://` or to a loopback server
//! ([`greenlight_venue::check_first_use`]): over plain HTTP anyone on the path could hand
//! over their own root. From then on a key list is accepted only if it
//! verifies under the pinned root **and** is an append-only successor of the list already
//! held (`KeyList::check_successor`): a compromised server cannot roll a verifier back to a
//! list from before a key revocation, nor swap a key under a known id. The rule is
//! [`greenlight_venue::accept_keys`], shared with the web wallet; this module fetches and
//! reports what changed.

use greenlight_protocol::{Cosignature, KeyListBody, WitnessPolicy};
use greenlight_venue::{
    accept_keys, check_first_use, AcceptedKeys, ConfigError, KeysRefusal, TrustedKeyList,
};

pub use greenlight_venue::{PinOutcome, RootPin};

use crate::error::{ClientError, Result};
use crate::http::Http;

/// A pinned root and a key list verified under it ([`TrustedKeyList`], whose rules — the
/// signature check, the update check, the accepted key set — live in `greenlight-venue`).
#[derive(Clone, Debug)]
pub struct Trust {
    inner: TrustedKeyList,
}

/// What changed between two key lists (for `venue sync` and logs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChange {
    NewIssuer { region: String },
    NewKey { region: String, key_id: String },
    Revoked { key_id: String },
    Shortened { key_id: String },
}

/// The answer of [`fetch_trusted`].
#[derive(Clone, Debug)]
pub struct Fetched {
    pub trust: Trust,
    /// The key the server signs new tokens with (`GET /v1/keys`), not yet checked against
    /// the list: see [`greenlight_wallet::issuing_key`].
    pub issuing_key_id: [u8; 8],
    /// Most tokens per `start` on this server (`max_batch`; absent from older servers).
    pub max_batch: Option<u16>,
    /// The authority whose tickets this server accepts (`authority_public_key`; absent from
    /// older servers): see [`greenlight_wallet::check_ticket_authority`].
    pub authority_public_key: Option<[u8; 32]>,
    pub pin: PinOutcome,
    /// Changes relative to the list held before (empty on first use).
    pub changes: Vec<KeyChange>,
    /// The witnesses' cosignatures kept with the list (empty without a witness policy).
    pub cosignatures: Vec<Cosignature>,
}

impl Trust {
    /// Is `newer` an append-only successor of the list held here (root unchanged)?
    /// ([`TrustedKeyList::check_update`].)
    pub fn check_successor(&self, newer: &Trust) -> Result<()> {
        self.inner.check_update(&newer.inner).map_err(update_error)
    }

    /// The verified list, as the shared venue rules take it.
    pub fn trusted(&self) -> &TrustedKeyList {
        &self.inner
    }

    /// Wrap a verified list.
    pub fn from_trusted(inner: TrustedKeyList) -> Trust {
        Trust { inner }
    }

    /// Rebuild from stored state, re-verifying the list under the root (a damaged or edited
    /// file is reported, never trusted).
    pub fn from_stored(
        root_hex: &str,
        key_list_text: &str,
        file: &std::path::Path,
    ) -> Result<Trust> {
        TrustedKeyList::from_text(root_hex, key_list_text)
            .map(Trust::from_trusted)
            .map_err(|e| match e {
                ConfigError::BadRootKey => ClientError::corrupt(file, "invalid root_public_key"),
                other => ClientError::corrupt(file, format!("key_list: {other}")),
            })
    }

    /// Hex of the 32-byte root key, as stored.
    pub fn root_hex(&self) -> String {
        self.inner.root_hex()
    }

    /// The root's fingerprint for humans.
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint()
    }

    /// The signed list (`GLK1:` text), as stored.
    pub fn key_list_text(&self) -> String {
        self.inner.key_list_text()
    }

    /// The list's content. Verified: a `Trust` is only ever built from a verified list.
    pub fn body(&self) -> &KeyListBody {
        self.inner.body()
    }

    /// Issuer keys whose tokens are accepted at `now_unix` ([`AcceptedKeys`]: listed, not
    /// revoked, not past `accept_until`, a valid ristretto point).
    pub fn accepted_keys(&self, now_unix: u64) -> AcceptedKeys {
        self.inner.accepted_keys(now_unix)
    }

    /// The region of the issuer holding `key_id`, if listed.
    pub fn region_of(&self, key_id: &[u8; 8]) -> Option<String> {
        self.body()
            .find_key(key_id)
            .map(|(issuer, _)| issuer.region.clone())
    }
}

/// Parse `--root`: the root key's fingerprint (32 hex characters, as the authority publishes
/// it) or the key itself (64 hex characters, a strict Ed25519 key) ([`RootPin::parse`]).
pub fn parse_root_hex(s: &str) -> Result<RootPin> {
    RootPin::parse(s).map_err(|_| ClientError::BadRootKey)
}

/// A refused key-list update as the CLI reports it.
fn update_error(e: ConfigError) -> ClientError {
    match e {
        ConfigError::RootChanged => ClientError::KeyListInvalid("the root key changed".into()),
        ConfigError::NotASuccessor(p) => ClientError::KeyListRollback(p),
        other => ClientError::KeyListInvalid(other.to_string()),
    }
}

/// Fetch `/v1/keys` and accept it only under the pinned root (`held`), or the explicit
/// `root`, or — when neither exists — pin the offered root on first use, which only an
/// `https://` or loopback server may offer ([`check_first_use`], checked before anything is
/// fetched). The list must verify under that root and succeed the held list, and — with a
/// witness policy — carry a quorum of fresh cosignatures at the system clock.
pub async fn fetch_trusted(
    http: &Http,
    held: Option<&Trust>,
    explicit_root: Option<RootPin>,
    witnesses: Option<&WitnessPolicy>,
) -> Result<Fetched> {
    if held.is_none() && explicit_root.is_none() {
        check_first_use(http.base())
            .map_err(|e| ClientError::FirstUseRefused { origin: e.origin })?;
    }
    let resp = http.keys().await?;
    // The rule (which root, which list) is greenlight-venue's; this adapter adds the changes
    // to print.
    let now = crate::clock::now_unix();
    let accepted = accept_keys(
        &resp,
        held.map(Trust::trusted),
        explicit_root.as_ref(),
        witnesses.map(|policy| (policy, now)),
    )
    .map_err(|e| match e {
        KeysRefusal::Invalid(detail) => ClientError::KeyListInvalid(detail),
        KeysRefusal::RootMismatch { pinned, offered } => {
            ClientError::RootMismatch { pinned, offered }
        }
        KeysRefusal::Update(e) => update_error(e),
        KeysRefusal::NotWitnessed(e) => ClientError::KeyListNotWitnessed(e.reason.to_string()),
    })?;
    let trust = Trust::from_trusted(accepted.trust);
    let changes = match held {
        Some(held) => diff(held.body(), trust.body()),
        None => Vec::new(),
    };
    Ok(Fetched {
        trust,
        issuing_key_id: accepted.issuing_key_id,
        max_batch: accepted.max_batch,
        authority_public_key: accepted.authority_public_key,
        pin: accepted.pin,
        changes,
        cosignatures: accepted.cosignatures,
    })
}

/// What `new` adds or changes relative to `old` (both verified; `new` a valid successor).
pub fn diff(old: &KeyListBody, new: &KeyListBody) -> Vec<KeyChange> {
    let mut changes = Vec::new();
    for issuer in new.issuers() {
        if !old.issuers().iter().any(|o| o.region == issuer.region) {
            changes.push(KeyChange::NewIssuer {
                region: issuer.region.clone(),
            });
        }
        for key in &issuer.keys {
            let key_id = hex::encode(key.key_id);
            match old.find_key(&key.key_id) {
                None => changes.push(KeyChange::NewKey {
                    region: issuer.region.clone(),
                    key_id,
                }),
                Some((_, old_key)) => {
                    if key.revoked && !old_key.revoked {
                        changes.push(KeyChange::Revoked { key_id });
                    } else if key.issue_until < old_key.issue_until
                        || key.accept_until < old_key.accept_until
                    {
                        changes.push(KeyChange::Shortened { key_id });
                    }
                }
            }
        }
    }
    changes
}
