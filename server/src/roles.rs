//! The files of the deployment roles (`docs/deploy.md`): the offline root's directory
//! (`root init`, `root sign`), a regional issuer's data directory (`init`, `rotate`,
//! `revoke-key`, and the key list `serve --key-list` loads), and the authority's directory
//! (`authority init`, `authority ticket`). Every decision is `greenlight_protocol::roles`'s;
//! this module reads and writes the files around it, with the data directory's helpers
//! (atomic writes, 0600 secrets, 0700 directories).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ed25519_dalek::{SigningKey, VerifyingKey};
use greenlight_acl::IssuerKeyPair;
use greenlight_api::{KeyListDocument, WitnessCosignature};
use greenlight_protocol::{
    check_served_list, first_entry, issuer_key_id, next_key_list, root_fingerprint, rotated_entry,
    verifying_key_from_bytes, IssuerEntry, IssuerKeyEntry, KeyList, ServedListRefusal,
};
use greenlight_venue::TrustedKeyList;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::datadir::{
    create_private_dir, load_or_create_secret, load_or_create_store_key, random_32, read_optional,
    read_secret, replace_atomic, write_atomic, DataPaths, KEY_ACCEPT_GRACE_SECS,
    KEY_ISSUE_PERIOD_SECS,
};
use crate::error::ServerError;

/// Format version of `entry.json`.
pub const ENTRY_VERSION: u32 = 1;

// ---- the root's directory --------------------------------------------------------------------

/// The files of the root's directory (kept offline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootPaths {
    /// The directory (0700).
    pub dir: PathBuf,
    /// `root.key`: hex of the Ed25519 seed that signs key lists (0600).
    pub key: PathBuf,
    /// `root.pub`: hex of the root public key (0644).
    pub public: PathBuf,
    /// `key-list.json`: the last list signed, which the next must succeed (0644).
    pub key_list: PathBuf,
}

impl RootPaths {
    /// The paths under `dir`.
    pub fn new(dir: &Path) -> Self {
        RootPaths {
            dir: dir.to_path_buf(),
            key: dir.join("root.key"),
            public: dir.join("root.pub"),
            key_list: dir.join("key-list.json"),
        }
    }
}

/// `root init`: creates the root's directory (0700), `root.key` (0600) and `root.pub`.
/// Refuses if `root.key` exists. Returns the fingerprint clients pin.
pub fn root_init(dir: &Path) -> Result<String, ServerError> {
    let paths = RootPaths::new(dir);
    let public = init_signing_dir(dir, &paths.key, &paths.public)?;
    Ok(root_fingerprint(&public))
}

/// A new signing role's directory (the root's, the authority's, a witness's): `dir` (0700),
/// a random Ed25519 seed in `key` (0600, never replaced) and its public key in `public`
/// (hex, 0644). Refuses if `key` exists. Returns the public key.
pub(crate) fn init_signing_dir(
    dir: &Path,
    key: &Path,
    public: &Path,
) -> Result<VerifyingKey, ServerError> {
    if key.exists() {
        return Err(ServerError::AlreadyExists(key.to_path_buf()));
    }
    create_private_dir(dir)?;
    let seed = random_32();
    write_new_secret(key, &seed)?;
    let verifying = SigningKey::from_bytes(&seed).verifying_key();
    replace_atomic(
        public,
        format!("{}\n", hex::encode(verifying.as_bytes())).as_bytes(),
        0o644,
    )?;
    Ok(verifying)
}

/// What `root sign` signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootSigned {
    /// The new list's sequence number.
    pub sequence: u64,
    /// Its regions, in list order.
    pub regions: Vec<String>,
    /// The root's fingerprint.
    pub fingerprint: String,
    /// What this version changes, one line per key added, revoked or shortened (what the
    /// root's operator checks against what the regions asked for: `entry.json` files are
    /// not authenticated).
    pub changes: Vec<String>,
    /// Seconds since the previous list was issued, when that is less than a day
    /// ([`greenlight_protocol::KEY_LIST_SETTLE_SECS`]): wallets still on the list before the
    /// previous one bind a list that venues syncing this one no longer hold (spec §7.3), so
    /// the operator is told.
    pub previous_age_secs: Option<u64>,
}

/// One line per key that `new` adds, revokes or shortens compared with `old`.
fn list_changes(
    old: Option<&greenlight_protocol::KeyListBody>,
    new: &greenlight_protocol::KeyListBody,
) -> Vec<String> {
    let day = |t: u64| {
        humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(t))
            .to_string()
    };
    let mut changes = Vec::new();
    for issuer in new.issuers() {
        for key in &issuer.keys {
            let id = hex::encode(key.key_id);
            match old.and_then(|o| o.find_key(&key.key_id)) {
                None => changes.push(format!(
                    "{}: new key {id}, issuing {} – {}, accepted until {}{}",
                    issuer.region,
                    day(key.issue_from),
                    day(key.issue_until),
                    day(key.accept_until),
                    if key.revoked { " (revoked)" } else { "" }
                )),
                Some((_, before)) => {
                    if key.revoked && !before.revoked {
                        changes.push(format!("{}: key {id} revoked", issuer.region));
                    }
                    if key.issue_until < before.issue_until
                        || key.accept_until < before.accept_until
                    {
                        changes.push(format!(
                            "{}: key {id} shortened, issuing until {}, accepted until {}",
                            issuer.region,
                            day(key.issue_until),
                            day(key.accept_until)
                        ));
                    }
                }
            }
        }
    }
    changes
}

/// `root sign`: the next key list from the regional entries and the previous list kept in
/// the root's directory (`greenlight_protocol::next_key_list`: merge, successor rules,
/// anti-tagging rules at `now_unix`), signed and written to the root's `key-list.json`
/// **first**, then to `out`: were `out` written first and the copy then lost, the next
/// signing would reuse the sequence number for another list — a fork every verifier refuses.
pub fn root_sign(
    dir: &Path,
    entries: &[PathBuf],
    out: &Path,
    now_unix: u64,
) -> Result<RootSigned, ServerError> {
    let paths = RootPaths::new(dir);
    let seed = read_secret(&paths.key, "root key")?.ok_or_else(|| {
        ServerError::Usage(format!(
            "no root key in {}: create it with `greenlight-server root init --root-dir {}`",
            dir.display(),
            dir.display()
        ))
    })?;
    let root = SigningKey::from_bytes(&seed);
    let public = root.verifying_key();
    let previous = match read_optional(&paths.key_list)? {
        None => None,
        Some(bytes) => {
            let OfferedList {
                root: list_root,
                list,
                ..
            } = parse_key_list_document(&paths.key_list, &bytes)?;
            if list_root != public {
                return Err(bad_file(
                    &paths.key_list,
                    "signed by another root than root.key",
                ));
            }
            Some(list)
        }
    };
    let previous_body = match &previous {
        Some(list) => Some(
            list.verify(&public)
                .map_err(|_| bad_file(&paths.key_list, "the signature does not verify"))?
                .clone(),
        ),
        None => None,
    };
    let mut given = Vec::with_capacity(entries.len());
    for path in entries {
        given.push(read_entry(path)?);
    }
    let body = next_key_list(previous_body.as_ref(), &given, now_unix)?;
    let signed = RootSigned {
        sequence: body.sequence(),
        regions: body.issuers().iter().map(|i| i.region.clone()).collect(),
        fingerprint: root_fingerprint(&public),
        changes: list_changes(previous_body.as_ref(), &body),
        previous_age_secs: previous_body
            .as_ref()
            .map(|p| now_unix.saturating_sub(p.issued_at()))
            .filter(|age| *age < greenlight_protocol::KEY_LIST_SETTLE_SECS),
    };
    let list = body.sign(&root);
    // The list this one succeeds travels with it: servers publish it beside the list, so
    // that wallets and venues that update at different times agree on the lists a
    // presentation may be bound to (spec §7.3).
    let previous =
        previous.filter(|p| p.unverified_body().sequence() < list.unverified_body().sequence());
    // A new list has no cosignatures yet: the witnesses add theirs (`witness cosign`).
    let json = key_list_json(&public, &list, previous.as_ref(), &[])?;
    replace_atomic(&paths.key_list, &json, 0o644)?;
    replace_atomic(out, &json, 0o644)?;
    Ok(signed)
}

/// The key list file (`KeyListDocument`, pretty JSON and a newline).
pub(crate) fn key_list_json(
    root: &VerifyingKey,
    list: &KeyList,
    previous: Option<&KeyList>,
    cosignatures: &[WitnessCosignature],
) -> Result<Vec<u8>, ServerError> {
    let doc = KeyListDocument {
        version: KeyListDocument::VERSION,
        root_public_key: hex::encode(root.as_bytes()),
        key_list: list.to_text(),
        previous_key_list: previous.map(KeyList::to_text),
        cosignatures: cosignatures.to_vec(),
    };
    let mut json = serde_json::to_vec_pretty(&doc)
        .map_err(|e| ServerError::Config(format!("cannot encode the key list: {e}")))?;
    json.push(b'\n');
    Ok(json)
}

/// A key list as offered (a file, or the admin call's body), not verified yet.
pub(crate) struct OfferedList {
    pub root: VerifyingKey,
    pub list: KeyList,
    /// The list it succeeded, if the document names it (`previous_key_list`).
    pub previous: Option<KeyList>,
    /// Witnesses' cosignatures carried with it, unchecked.
    pub cosignatures: Vec<WitnessCosignature>,
}

/// The cosignatures among `offered` that are valid for `list` under `root` (spec §7.6), the
/// newest per witness: a server publishes no stale duplicates and nothing that cannot verify,
/// so a client's quorum check sees only what can count.
pub(crate) fn valid_cosignatures(
    root: &VerifyingKey,
    list: &KeyList,
    offered: &[WitnessCosignature],
) -> Vec<WitnessCosignature> {
    let checkpoint = greenlight_protocol::Checkpoint::of(root, list);
    let mut newest: BTreeMap<[u8; 32], greenlight_protocol::Cosignature> = BTreeMap::new();
    for c in greenlight_venue::parse_cosignatures(offered) {
        let newer = match newest.get(&c.witness) {
            Some(held) => held.timestamp < c.timestamp,
            None => true,
        };
        if newer && c.verifies(&checkpoint) {
            newest.insert(c.witness, c);
        }
    }
    // Clients read no more than this many; more distinct witnesses than that is no deployment.
    newest
        .values()
        .take(greenlight_protocol::MAX_COSIGNATURES_READ)
        .map(greenlight_venue::cosignature_json)
        .collect()
}

/// Parses a key list file; the signature is not checked here.
pub(crate) fn parse_key_list_document(
    path: &Path,
    bytes: &[u8],
) -> Result<OfferedList, ServerError> {
    let doc: KeyListDocument = serde_json::from_slice(bytes)
        .map_err(|e| bad_file(path, &format!("not a key list file: {e}")))?;
    key_list_from_document(&doc).map_err(|reason| bad_file(path, &reason))
}

/// The root and list of a key list document (the file, or the admin call's body); the
/// signature is not checked here.
pub(crate) fn key_list_from_document(doc: &KeyListDocument) -> Result<OfferedList, String> {
    if doc.version != KeyListDocument::VERSION {
        return Err(format!("unsupported version {}", doc.version));
    }
    let root = parse_public_key(&doc.root_public_key)
        .ok_or("root_public_key is not 64 hex digits of an Ed25519 public key")?;
    let list = KeyList::from_text(doc.key_list.trim())
        .map_err(|e| format!("key_list is not a key list: {e}"))?;
    let previous = match doc.previous_key_list.as_deref() {
        None => None,
        Some(text) => Some(
            KeyList::from_text(text.trim())
                .map_err(|e| format!("previous_key_list is not a key list: {e}"))?,
        ),
    };
    Ok(OfferedList {
        root,
        list,
        previous,
        cosignatures: doc.cosignatures.clone(),
    })
}

fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut bytes).ok()?;
    verifying_key_from_bytes(&bytes).ok()
}

fn bad_file(path: &Path, reason: &str) -> ServerError {
    ServerError::BadFile {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    }
}

// ---- entry.json --------------------------------------------------------------------------------

/// `entry.json`: a region's public entry for the root to sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryFile {
    /// Format version ([`ENTRY_VERSION`]).
    pub version: u32,
    /// Region label.
    pub region: String,
    /// Display name.
    pub display_name: String,
    /// The region's keys, oldest first.
    pub keys: Vec<EntryKey>,
}

/// One key of `entry.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryKey {
    /// Hex of the 8-byte key id.
    pub key_id: String,
    /// Hex of the 32-byte compressed ristretto255 public key.
    pub public_key: String,
    /// First second (Unix) the key may issue.
    pub issue_from: u64,
    /// Last second it may issue.
    pub issue_until: u64,
    /// Last second its tokens are accepted.
    pub accept_until: u64,
    /// Marked revoked by `revoke-key`.
    pub revoked: bool,
}

impl EntryFile {
    fn from_entry(entry: &IssuerEntry) -> Self {
        EntryFile {
            version: ENTRY_VERSION,
            region: entry.region.clone(),
            display_name: entry.display_name.clone(),
            keys: entry
                .keys
                .iter()
                .map(|k| EntryKey {
                    key_id: hex::encode(k.key_id),
                    public_key: hex::encode(k.public_key),
                    issue_from: k.issue_from,
                    issue_until: k.issue_until,
                    accept_until: k.accept_until,
                    revoked: k.revoked,
                })
                .collect(),
        }
    }

    fn to_entry(&self) -> Result<IssuerEntry, String> {
        if self.version != ENTRY_VERSION {
            return Err(format!("unsupported version {}", self.version));
        }
        let mut keys = Vec::with_capacity(self.keys.len());
        for k in &self.keys {
            let mut public_key = [0u8; 32];
            hex::decode_to_slice(&k.public_key, &mut public_key)
                .map_err(|_| "a public_key is not 64 hex digits".to_owned())?;
            // A key nobody could verify under must not be signed into the list: the list
            // format keeps the bytes only, so the point is checked here.
            if greenlight_acl::IssuerPublicKey::from_compressed(&public_key).is_none() {
                return Err(format!(
                    "public_key {} is not a valid ristretto255 issuer key",
                    k.public_key
                ));
            }
            let key_id = issuer_key_id(&public_key);
            if hex::encode(key_id) != k.key_id.to_ascii_lowercase() {
                return Err(format!("key_id {} is not its public key's", k.key_id));
            }
            keys.push(IssuerKeyEntry {
                key_id,
                public_key,
                issue_from: k.issue_from,
                issue_until: k.issue_until,
                accept_until: k.accept_until,
                revoked: k.revoked,
            });
        }
        Ok(IssuerEntry {
            region: self.region.clone(),
            display_name: self.display_name.clone(),
            keys,
        })
    }
}

/// Reads a region's `entry.json`.
pub(crate) fn read_entry(path: &Path) -> Result<IssuerEntry, ServerError> {
    let bytes =
        fs::read(path).map_err(|e| ServerError::io(format!("reading {}", path.display()), e))?;
    let file: EntryFile = serde_json::from_slice(&bytes)
        .map_err(|e| bad_file(path, &format!("not a region entry: {e}")))?;
    file.to_entry().map_err(|reason| bad_file(path, &reason))
}

fn entry_json(entry: &IssuerEntry) -> Result<Vec<u8>, ServerError> {
    let mut json = serde_json::to_vec_pretty(&EntryFile::from_entry(entry))
        .map_err(|e| ServerError::Config(format!("cannot encode entry.json: {e}")))?;
    json.push(b'\n');
    Ok(json)
}

// ---- a regional data directory ---------------------------------------------------------------

/// What `init` created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInit {
    /// The first issuing key's id (hex).
    pub key_id: String,
    /// The files created.
    pub created: Vec<PathBuf>,
}

/// Whether `dir` is a regional data directory (it has `entry.json`).
pub fn is_regional(dir: &Path) -> bool {
    DataPaths::new(dir).entry_json.exists()
}

/// `init`: a regional data directory — issuer key, admin token, store key and `entry.json`;
/// no root key and no authority key. Refuses a directory that already has an issuer key or
/// an entry (a development directory included).
pub fn region_init(
    dir: &Path,
    region: &str,
    display_name: &str,
    now_unix: u64,
) -> Result<RegionInit, ServerError> {
    let paths = DataPaths::new(dir);
    for existing in [&paths.entry_json, &paths.issuer_key, &paths.root_key] {
        if existing.exists() {
            return Err(ServerError::AlreadyExists(existing.clone()));
        }
    }
    // The key is checked (and the region and name with it) before anything is written.
    let issuer = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let entry = first_entry(
        region,
        display_name,
        issuer.public().y_bytes(),
        now_unix,
        KEY_ISSUE_PERIOD_SECS,
        KEY_ACCEPT_GRACE_SECS,
    )?;
    create_private_dir(dir)?;
    let mut created = Vec::new();
    let secret = issuer.secret().to_bytes();
    write_new_secret(&paths.issuer_key, &secret)?;
    created.push(paths.issuer_key.clone());
    load_or_create_secret(&paths.admin_token, "admin token", &mut created, random_32)?;
    load_or_create_store_key(&paths, &mut created)?;
    if !write_atomic(&paths.entry_json, &entry_json(&entry)?, 0o644)? {
        return Err(ServerError::AlreadyExists(paths.entry_json));
    }
    created.push(paths.entry_json.clone());
    Ok(RegionInit {
        key_id: hex::encode(issuer.public().key_id().0),
        created,
    })
}

fn write_new_secret(path: &Path, secret: &[u8; 32]) -> Result<(), ServerError> {
    let mut text = Zeroizing::new(hex::encode(secret));
    text.push('\n');
    if write_atomic(path, text.as_bytes(), 0o600)? {
        Ok(())
    } else {
        Err(ServerError::AlreadyExists(path.to_path_buf()))
    }
}

/// What `rotate` added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// The new key's id (hex).
    pub key_id: String,
    /// Its secret's file.
    pub secret_file: PathBuf,
    /// The new key's first issuing second.
    pub issue_from: u64,
}

/// `rotate`: a new issuing key (`issuer-KEYID.key`, 0600) appended to `entry.json`,
/// published ahead: it issues from `starts_in_secs` after now (never later than the current
/// key's end), overlapping the current key (`greenlight_protocol::rotated_entry`, refused if a
/// third key would issue at once). The root signs it into the next list; the server goes on
/// issuing under the current key until the new one starts.
pub fn rotate(dir: &Path, now_unix: u64, starts_in_secs: u64) -> Result<Rotated, ServerError> {
    if starts_in_secs > MAX_ROTATION_LEAD_SECS {
        return Err(ServerError::Usage(format!(
            "--starts-in may be at most {} days: a key published further ahead only lengthens the time two keys are listed",
            MAX_ROTATION_LEAD_SECS / 86_400
        )));
    }
    let paths = regional_paths(dir)?;
    let entry = read_entry(&paths.entry_json)?;
    let issuer = IssuerKeyPair::generate_with_rng(&mut OsRng);
    let next = rotated_entry(
        &entry,
        issuer.public().y_bytes(),
        now_unix,
        starts_in_secs,
        KEY_ISSUE_PERIOD_SECS,
        KEY_ACCEPT_GRACE_SECS,
    )?;
    let issue_from = next.keys.last().map_or(now_unix, |k| k.issue_from);
    let key_id = hex::encode(issuer.public().key_id().0);
    let secret_file = dir.join(format!("issuer-{key_id}.key"));
    // The secret first: a crash before the entry is rewritten leaves an unused secret file,
    // never a listed key without its secret.
    write_new_secret(&secret_file, &issuer.secret().to_bytes())?;
    replace_atomic(&paths.entry_json, &entry_json(&next)?, 0o644)?;
    Ok(Rotated {
        key_id,
        secret_file,
        issue_from,
    })
}

/// The longest `rotate --starts-in`: 30 days.
pub const MAX_ROTATION_LEAD_SECS: u64 = 30 * 86_400;

/// `revoke-key` on a regional directory: the key (`key_id`, or the only non-revoked one) is
/// recorded revoked in the revocation store (sled, or with `database_url` the region's
/// PostgreSQL) — the servers stop issuing under it at their next start or list load — and marked revoked in `entry.json`, for the root to sign into the
/// next list. Offline, like the development `revoke-key`. Returns the key id.
pub fn revoke_region_key(
    dir: &Path,
    key_id: Option<&str>,
    database_url: Option<&str>,
) -> Result<(String, bool), ServerError> {
    let paths = regional_paths(dir)?;
    let mut entry = read_entry(&paths.entry_json)?;
    let index = match key_id {
        Some(id) => {
            let id = id.trim().to_ascii_lowercase();
            entry
                .keys
                .iter()
                .position(|k| hex::encode(k.key_id) == id)
                .ok_or_else(|| {
                    ServerError::Usage(format!("key {id} is not in {}", paths.entry_json.display()))
                })?
        }
        None => {
            let live: Vec<usize> = (0..entry.keys.len())
                .filter(|&i| !entry.keys[i].revoked)
                .collect();
            match live.as_slice() {
                [only] => *only,
                [] => {
                    return Err(ServerError::Usage(
                        "every key of this region is revoked already".into(),
                    ))
                }
                _ => {
                    return Err(ServerError::Usage(format!(
                        "this region has {} keys that are not revoked: name the one to revoke with --key-id ({})",
                        live.len(),
                        live.iter()
                            .map(|&i| hex::encode(entry.keys[i].key_id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
    };
    let id = entry.keys[index].key_id;
    let mut created = Vec::new();
    let store_key = load_or_create_store_key(&paths, &mut created)?;
    crate::store::record_key_revoked(&paths, store_key, database_url, id)?;
    let changed = !entry.keys[index].revoked;
    if changed {
        entry.keys[index].revoked = true;
        replace_atomic(&paths.entry_json, &entry_json(&entry)?, 0o644)?;
    }
    Ok((hex::encode(id), changed))
}

fn regional_paths(dir: &Path) -> Result<DataPaths, ServerError> {
    let paths = DataPaths::new(dir);
    if !paths.entry_json.exists() {
        return Err(ServerError::Usage(format!(
            "{} is not a regional data directory (no entry.json): create one with `greenlight-server init --data-dir DIR --region CODE --issuer-name NAME`",
            dir.display()
        )));
    }
    Ok(paths)
}

/// The issuing secrets of a regional directory: `issuer.key` and every `issuer-*.key`, by
/// key id.
pub(crate) fn load_issuer_keys(
    dir: &Path,
) -> Result<BTreeMap<[u8; 8], Arc<IssuerKeyPair>>, ServerError> {
    let mut keys = BTreeMap::new();
    let listing =
        fs::read_dir(dir).map_err(|e| ServerError::io(format!("reading {}", dir.display()), e))?;
    for item in listing {
        let item = item.map_err(|e| ServerError::io(format!("reading {}", dir.display()), e))?;
        let name = item.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name == "issuer.key" || (name.starts_with("issuer-") && name.ends_with(".key"))) {
            continue;
        }
        let path = item.path();
        let Some(secret) = read_secret(&path, "issuer key")? else {
            continue;
        };
        let pair =
            IssuerKeyPair::from_secret_bytes(&secret).ok_or_else(|| ServerError::BadKeyFile {
                path: path.clone(),
                what: "issuer key",
                reason: "not a canonical non-zero scalar",
            })?;
        keys.insert(pair.public().key_id().0, Arc::new(pair));
    }
    Ok(keys)
}

/// A key list a regional directory accepted, with what the server needs to serve it.
pub(crate) struct AcceptedList {
    pub root: VerifyingKey,
    pub list: KeyList,
    /// The list it succeeded, published beside it ([`served_previous`]).
    pub previous: Option<KeyList>,
    pub region: String,
    pub held: BTreeMap<[u8; 8], Arc<IssuerKeyPair>>,
    pub revoked_here: BTreeSet<[u8; 8]>,
    /// Whether it differs from the list served before.
    pub changed: bool,
    /// The valid cosignatures it came with ([`valid_cosignatures`]) — for the list served
    /// before, together with those kept for it — published beside it.
    pub cosignatures: Vec<WitnessCosignature>,
    /// Whether they differ from those kept before.
    pub cosignatures_changed: bool,
}

/// Reads a key list file as its document (`load-key-list` sends it as it is), checking its
/// format (not its signature: the server checks that, and more).
pub fn read_key_list_document(path: &Path) -> Result<KeyListDocument, ServerError> {
    let bytes =
        fs::read(path).map_err(|e| ServerError::io(format!("reading {}", path.display()), e))?;
    let doc: KeyListDocument = serde_json::from_slice(&bytes)
        .map_err(|e| bad_file(path, &format!("not a key list file: {e}")))?;
    key_list_from_document(&doc).map_err(|reason| bad_file(path, &reason))?;
    Ok(doc)
}

/// Reads the key list file `path` ([`accept_key_list`]).
pub(crate) fn read_key_list_file(path: &Path) -> Result<OfferedList, ServerError> {
    let bytes =
        fs::read(path).map_err(|e| ServerError::io(format!("reading {}", path.display()), e))?;
    parse_key_list_document(path, &bytes)
}

/// Whether the regional directory `paths` may serve `list` (`check_served_list`: the
/// signature, the pinned root, the successor rules against the list served before, a held
/// key of the region); if so, pins the root on first use (`root.pub`) and keeps the list
/// (`key-list.json`), both atomically, and returns it with the held secrets. `is_key_revoked`
/// asks the revocation store. Nothing is written on a refusal.
pub(crate) fn accept_key_list(
    paths: &DataPaths,
    offered: OfferedList,
    is_key_revoked: impl Fn(&[u8; 8]) -> Result<bool, ServerError>,
) -> Result<AcceptedList, ServerError> {
    let entry = read_entry(&paths.entry_json)?;
    let held = load_issuer_keys(&paths.dir)?;
    let pinned = match read_optional(&paths.pinned_root)? {
        Some(bytes) => Some(
            std::str::from_utf8(&bytes)
                .ok()
                .and_then(parse_public_key)
                .ok_or_else(|| {
                    bad_file(
                        &paths.pinned_root,
                        "not 64 hex digits of an Ed25519 public key",
                    )
                })?,
        ),
        None => None,
    };
    let OfferedList {
        root,
        list,
        previous: offered_previous,
        cosignatures: mut offered_cosignatures,
    } = offered;
    let kept = match read_optional(&paths.key_list_json)? {
        Some(bytes) => Some(parse_key_list_document(&paths.key_list_json, &bytes)?),
        None => None,
    };
    // A kept list without `root.pub` (removed by hand): its root stays pinned, rather than
    // the offered list's root being pinned afresh without a successor check.
    let pinned = pinned.or_else(|| kept.as_ref().map(|k| k.root));
    check_served_list(
        pinned.as_ref(),
        kept.as_ref().map(|k| &k.list),
        &root,
        &list,
        &entry.region,
        |id| held.contains_key(id),
    )?;
    let served_previous = served_previous(&root, &list, offered_previous, kept.as_ref())?;
    let kept_cosignatures = kept.as_ref().map(|k| k.cosignatures.clone());
    // The same list again: what it was cosigned with before still counts (a copy of the file
    // that only one witness touched must not take the others' cosignatures off the server).
    if let Some(kept) = kept.as_ref().filter(|k| k.list == list) {
        offered_cosignatures.extend(kept.cosignatures.iter().cloned());
    }
    let cosignatures = valid_cosignatures(&root, &list, &offered_cosignatures);
    let previous = kept.map(|k| k.list);
    let mut revoked_here = BTreeSet::new();
    for id in held.keys() {
        if is_key_revoked(id)? {
            revoked_here.insert(*id);
        }
    }
    if !paths.pinned_root.exists() {
        replace_atomic(
            &paths.pinned_root,
            format!("{}\n", hex::encode(root.as_bytes())).as_bytes(),
            0o644,
        )?;
        // Trust on first use, like a wallet's: say so, so that the operator compares it with
        // the fingerprint the root published (or writes root.pub before the first start).
        eprintln!(
            "warning: pinned root {} from the first key list loaded ({}); compare it with the fingerprint the root published — a list from another root is refused from now on",
            root_fingerprint(&root),
            paths.pinned_root.display()
        );
    }
    let changed = previous.as_ref() != Some(&list);
    let cosignatures_changed = kept_cosignatures
        .as_ref()
        .map_or(!cosignatures.is_empty(), |k| *k != cosignatures);
    // Fresh cosignatures of the same list are kept too: a restart serves what was loaded.
    if changed || cosignatures_changed {
        replace_atomic(
            &paths.key_list_json,
            &key_list_json(&root, &list, served_previous.as_ref(), &cosignatures)?,
            0o644,
        )?;
    }
    Ok(AcceptedList {
        root,
        list,
        previous: served_previous,
        region: entry.region,
        held,
        revoked_here,
        changed,
        cosignatures,
        cosignatures_changed,
    })
}

/// The list `list` succeeded, to publish beside it: the one the offered document names, else
/// the one kept from before when `list` is newer, else the one the kept document named when
/// `list` is the kept list again (a restart) — [`TrustedKeyList::updated_to`], the rule
/// wallets and venues apply, so a server publishes what they would hold.
fn served_previous(
    root: &VerifyingKey,
    list: &KeyList,
    offered_previous: Option<KeyList>,
    kept: Option<&OfferedList>,
) -> Result<Option<KeyList>, ServerError> {
    let refused = |e: greenlight_venue::ConfigError| {
        ServerError::KeyListRefused(ServedListRefusal::BadPrevious(e.to_string()))
    };
    let root_bytes = root.to_bytes();
    let mut offered = TrustedKeyList::new(root_bytes, list.clone()).map_err(refused)?;
    if let Some(previous) = offered_previous {
        offered = offered.with_previous(previous).map_err(refused)?;
    }
    let trust = match kept {
        Some(kept) if kept.root == *root => {
            let mut held = TrustedKeyList::new(root_bytes, kept.list.clone()).map_err(refused)?;
            if let Some(previous) = kept.previous.clone() {
                // A kept file is ours; one whose previous list no longer checks just loses it.
                held = held.clone().with_previous(previous).unwrap_or(held);
            }
            held.updated_to(offered).map_err(refused)?
        }
        _ => offered,
    };
    Ok(trust.previous_key_list().cloned())
}

// ---- the authority's directory ---------------------------------------------------------------

/// The files of the authority's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityPaths {
    /// The directory (0700).
    pub dir: PathBuf,
    /// `authority.key`: hex of the Ed25519 seed that signs tickets (0600).
    pub key: PathBuf,
    /// `authority.pub`: hex of its public key (0644), for `serve --authority-public-key`.
    pub public: PathBuf,
}

impl AuthorityPaths {
    /// The paths under `dir`.
    pub fn new(dir: &Path) -> Self {
        AuthorityPaths {
            dir: dir.to_path_buf(),
            key: dir.join("authority.key"),
            public: dir.join("authority.pub"),
        }
    }
}

/// `authority init`: the authority's directory (0700), `authority.key` (0600) and
/// `authority.pub`. Refuses if `authority.key` exists. Returns the public key (hex).
pub fn authority_init(dir: &Path) -> Result<String, ServerError> {
    let paths = AuthorityPaths::new(dir);
    let public = init_signing_dir(dir, &paths.key, &paths.public)?;
    Ok(hex::encode(public.as_bytes()))
}

/// The ticket-signing key of an authority directory (`authority ticket`).
pub fn load_authority_dir_key(dir: &Path) -> Result<SigningKey, ServerError> {
    let paths = AuthorityPaths::new(dir);
    let seed = read_secret(&paths.key, "authority key")?.ok_or_else(|| {
        ServerError::Usage(format!(
            "no authority key in {}: create it with `greenlight-server authority init --authority-dir {}`",
            dir.display(),
            dir.display()
        ))
    })?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads an `authority.pub` (`serve --authority-public-key`).
pub fn read_authority_public_key(path: &Path) -> Result<VerifyingKey, ServerError> {
    let bytes =
        fs::read(path).map_err(|e| ServerError::io(format!("reading {}", path.display()), e))?;
    std::str::from_utf8(&bytes)
        .ok()
        .and_then(parse_public_key)
        .ok_or_else(|| bad_file(path, "not 64 hex digits of an Ed25519 public key"))
}
