//! The data directory: key files, admin token, the revocation store's digest key,
//! `issuer.json` (layout in `docs/api.md`).
//!
//! Secret files are written atomically — a temporary file in the same directory (created
//! 0600), written, fsynced, then linked into place without overwriting and the directory
//! fsynced — so a crash leaves either no key or a whole key, never half of one, and two
//! processes initialising the same directory at once cannot replace each other's keys (the
//! loser reads the winner's file).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use greenlight_acl::IssuerKeyPair;
use greenlight_protocol::{root_fingerprint, IssuerEntry, IssuerKeyEntry, KeyList, KeyListBody};
use greenlight_revocation::{DigestKey, RevocationStore};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::config::ServerConfig;
use crate::error::ServerError;

/// How long a new issuing key may issue (its `issue_until − issue_from`).
pub const KEY_ISSUE_PERIOD_SECS: u64 = 90 * 24 * 3600;
/// How long after `issue_until` tokens under the key are still accepted. At least the longest
/// standard recency window (168 h), so a token minted at the last moment can still be used.
pub const KEY_ACCEPT_GRACE_SECS: u64 = 7 * 24 * 3600;
/// Sequence number of the key list a new data directory starts with.
const FIRST_KEY_LIST_SEQUENCE: u64 = 1;
const ISSUER_INFO_VERSION: u32 = 1;

/// The files of a data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPaths {
    /// The directory itself (0700).
    pub dir: PathBuf,
    /// `issuer.key`: hex of the ACL issuer secret `x` (0600).
    pub issuer_key: PathBuf,
    /// `authority.key`: hex of the Ed25519 seed that signs tickets (0600).
    pub authority_key: PathBuf,
    /// `root.key`: hex of the Ed25519 seed that signs the key list (0600).
    pub root_key: PathBuf,
    /// `admin.token`: the admin bearer token (0600).
    pub admin_token: PathBuf,
    /// `issuer.json`: public issuer description (0644).
    pub issuer_json: PathBuf,
    /// `store.key`: hex of the 32-byte key of the revocation store's digests (0600).
    pub store_key: PathBuf,
    /// `revocation.sled/`: the revocation store (0700).
    pub revocation_store: PathBuf,
    /// `entry.json` (regional directories, `greenlight-server init`): the region's public
    /// entry for the root to sign (0644).
    pub entry_json: PathBuf,
    /// `root.pub` (regional): hex of the root key pinned by the first key list served (0644).
    pub pinned_root: PathBuf,
    /// `key-list.json` (regional): the key list served last, which the next must succeed (0644).
    pub key_list_json: PathBuf,
}

impl DataPaths {
    /// The paths under `dir`.
    pub fn new(dir: &Path) -> Self {
        DataPaths {
            dir: dir.to_path_buf(),
            issuer_key: dir.join("issuer.key"),
            authority_key: dir.join("authority.key"),
            root_key: dir.join("root.key"),
            admin_token: dir.join("admin.token"),
            issuer_json: dir.join("issuer.json"),
            store_key: dir.join("store.key"),
            revocation_store: dir.join("revocation.sled"),
            entry_json: dir.join("entry.json"),
            pinned_root: dir.join("root.pub"),
            key_list_json: dir.join("key-list.json"),
        }
    }
}

/// `issuer.json`: the public description of this issuer, written on first start. The key
/// list is rebuilt from it at every start (Ed25519 signatures are deterministic, so the same
/// list comes out byte for byte).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerInfo {
    /// Format version (1).
    pub version: u32,
    /// Region label in the key list.
    pub region: String,
    /// Display name in the key list.
    pub display_name: String,
    /// Hex of the issuing key's 8-byte id.
    pub key_id: String,
    /// Hex of the issuing key's compressed ristretto255 public key.
    pub public_key: String,
    /// First second the key may issue.
    pub issue_from: u64,
    /// Last second the key may issue.
    pub issue_until: u64,
    /// Last second tokens under the key are accepted.
    pub accept_until: u64,
    /// Sequence number of the signed key list.
    pub key_list_sequence: u64,
    /// `issued_at` of the signed key list.
    pub key_list_issued_at: u64,
    /// Hex of the root Ed25519 public key (what clients pin).
    pub root_public_key: String,
    /// The root key's fingerprint, for comparing out of band.
    pub root_fingerprint: String,
    /// Hex of the authority's Ed25519 public key (verifies tickets).
    pub authority_public_key: String,
    /// When the issuing key was marked revoked (`greenlight-server revoke-key`), if ever.
    /// A revoked key stays in the list with its flag set (the list is append-only) and the
    /// server no longer issues under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_revoked_at: Option<u64>,
}

/// Everything loaded from (or created in) a data directory.
pub(crate) struct LoadedKeys {
    pub issuer: IssuerKeyPair,
    pub authority: SigningKey,
    pub root: SigningKey,
    pub admin_token: Zeroizing<String>,
    /// The key of the revocation store's digests (`store.key`).
    pub store_key: DigestKey,
    pub info: IssuerInfo,
    pub key_list: KeyList,
    /// Files this call created (first start), for the startup report.
    pub created: Vec<PathBuf>,
}

/// Opens the data directory, creating what is missing.
pub(crate) fn init_or_load(cfg: &ServerConfig) -> Result<LoadedKeys, ServerError> {
    let paths = DataPaths::new(&cfg.data_dir);
    create_private_dir(&paths.dir)?;
    let mut created = Vec::new();

    let issuer_secret =
        load_or_create_secret(&paths.issuer_key, "issuer key", &mut created, || {
            let key = IssuerKeyPair::generate_with_rng(&mut OsRng);
            key.secret().to_bytes()
        })?;
    let issuer = IssuerKeyPair::from_secret_bytes(&issuer_secret).ok_or_else(|| {
        ServerError::BadKeyFile {
            path: paths.issuer_key.clone(),
            what: "issuer key",
            reason: "not a canonical non-zero scalar",
        }
    })?;
    let authority = load_or_create_ed25519(&paths.authority_key, "authority key", &mut created)?;
    let root = load_or_create_ed25519(&paths.root_key, "root key", &mut created)?;
    let token_bytes =
        load_or_create_secret(&paths.admin_token, "admin token", &mut created, random_32)?;
    let admin_token = Zeroizing::new(hex::encode(token_bytes.as_ref()));
    let store_key = load_or_create_store_key(&paths, &mut created)?;

    let info = match read_optional(&paths.issuer_json)? {
        Some(bytes) => {
            let info: IssuerInfo =
                serde_json::from_slice(&bytes).map_err(|e| ServerError::BadIssuerInfo {
                    path: paths.issuer_json.clone(),
                    reason: format!("not valid JSON: {e}"),
                })?;
            check_info(&paths.issuer_json, &info, &issuer, &authority, &root)?;
            info
        }
        None => {
            let now = cfg.clock.now_unix();
            let info = new_info(cfg, now, &issuer, &authority, &root);
            // Validate region and name before writing anything that would carry them.
            build_key_list(&info, &issuer, &root)
                .map_err(|e| ServerError::Config(format!("issuer region or name: {e}")))?;
            let mut json = serde_json::to_vec_pretty(&info)
                .map_err(|e| ServerError::Config(format!("cannot encode issuer.json: {e}")))?;
            json.push(b'\n');
            if write_atomic(&paths.issuer_json, &json, 0o644)? {
                created.push(paths.issuer_json.clone());
                info
            } else {
                // Another process wrote it first: use theirs.
                let bytes = fs::read(&paths.issuer_json).map_err(|e| {
                    ServerError::io(format!("reading {}", paths.issuer_json.display()), e)
                })?;
                let info: IssuerInfo =
                    serde_json::from_slice(&bytes).map_err(|e| ServerError::BadIssuerInfo {
                        path: paths.issuer_json.clone(),
                        reason: format!("not valid JSON: {e}"),
                    })?;
                check_info(&paths.issuer_json, &info, &issuer, &authority, &root)?;
                info
            }
        }
    };
    let key_list =
        build_key_list(&info, &issuer, &root).map_err(|e| ServerError::BadIssuerInfo {
            path: paths.issuer_json.clone(),
            reason: format!("does not make a valid key list: {e}"),
        })?;
    create_private_dir(&paths.revocation_store)?;
    Ok(LoadedKeys {
        issuer,
        authority,
        root,
        admin_token,
        store_key,
        info,
        key_list,
        created,
    })
}

/// The key of the revocation store's digests, created (random, 0600) if absent: on the first
/// start, and on the first start of a data directory whose store predates keyed digests (the
/// store is then re-keyed with it, `greenlight-revocation`'s migration). The store refuses a
/// key it was not written with, so a lost `store.key` is an error at start, never a silent
/// loss of every revocation.
pub(crate) fn load_or_create_store_key(
    paths: &DataPaths,
    created: &mut Vec<PathBuf>,
) -> Result<DigestKey, ServerError> {
    let bytes = load_or_create_secret(&paths.store_key, "store key", created, random_32)?;
    Ok(DigestKey::from_bytes(&bytes))
}

/// Opens the data directory's revocation store with its `store.key` (creating the key if the
/// directory has none yet). [`ServerError::DataDirInUse`] if another process holds it.
pub(crate) fn open_store(
    paths: &DataPaths,
    key: DigestKey,
) -> Result<RevocationStore, ServerError> {
    RevocationStore::open(&paths.revocation_store, key)
        .map_err(|e| ServerError::store_open(paths, e))
}

/// Marks the data directory's issuing key revoked (key compromise): records the key id in the
/// revocation store, then bumps the key list's sequence and sets the key's `revoked` flag in
/// `issuer.json`, from which every start re-signs the list. Offline: the server must be
/// stopped (sled's lock says so otherwise). Idempotent; returns the updated `IssuerInfo`.
///
/// Venues that `venue sync` afterwards stop accepting tokens under the key (the successor
/// rule allows a key to become revoked, never the reverse); the server refuses to issue
/// under it (`key_not_issuing`). Issuing again needs a new data directory (a new key).
pub fn revoke_issuing_key(
    data_dir: &Path,
    database_url: Option<&str>,
    now_unix: u64,
) -> Result<IssuerInfo, ServerError> {
    let paths = DataPaths::new(data_dir);
    let issuer_secret = read_secret(&paths.issuer_key, "issuer key")?
        .ok_or_else(|| ServerError::NotInitialised(data_dir.to_path_buf()))?;
    let issuer = IssuerKeyPair::from_secret_bytes(&issuer_secret).ok_or_else(|| {
        ServerError::BadKeyFile {
            path: paths.issuer_key.clone(),
            what: "issuer key",
            reason: "not a canonical non-zero scalar",
        }
    })?;
    let root_seed = read_secret(&paths.root_key, "root key")?
        .ok_or_else(|| ServerError::NotInitialised(data_dir.to_path_buf()))?;
    let root = SigningKey::from_bytes(&root_seed);
    let authority = load_authority_key(data_dir)?;
    let bytes = read_optional(&paths.issuer_json)?
        .ok_or_else(|| ServerError::NotInitialised(data_dir.to_path_buf()))?;
    let mut info: IssuerInfo =
        serde_json::from_slice(&bytes).map_err(|e| ServerError::BadIssuerInfo {
            path: paths.issuer_json.clone(),
            reason: format!("not valid JSON: {e}"),
        })?;
    check_info(&paths.issuer_json, &info, &issuer, &authority, &root)?;

    // The store first: if we crash before issuer.json is rewritten, the next start still
    // sees the key as revoked, and running the command again completes the list.
    let mut created = Vec::new();
    let store_key = load_or_create_store_key(&paths, &mut created)?;
    crate::store::record_key_revoked(&paths, store_key, database_url, issuer.public().key_id().0)?;

    if info.key_revoked_at.is_none() {
        info.key_revoked_at = Some(now_unix);
        info.key_list_sequence += 1;
        info.key_list_issued_at = info.key_list_issued_at.max(now_unix);
        build_key_list(&info, &issuer, &root).map_err(|e| ServerError::BadIssuerInfo {
            path: paths.issuer_json.clone(),
            reason: format!("does not make a valid key list: {e}"),
        })?;
        let mut json = serde_json::to_vec_pretty(&info)
            .map_err(|e| ServerError::Config(format!("cannot encode issuer.json: {e}")))?;
        json.push(b'\n');
        replace_atomic(&paths.issuer_json, &json, 0o644)?;
    }
    Ok(info)
}

/// Loads the ticket-signing key of an existing data directory (the `ticket` command). Never
/// creates keys: signing tickets for a directory nobody serves from is almost surely a typo.
pub fn load_authority_key(data_dir: &Path) -> Result<SigningKey, ServerError> {
    let paths = DataPaths::new(data_dir);
    let seed = read_secret(&paths.authority_key, "authority key")?
        .ok_or_else(|| ServerError::NotInitialised(data_dir.to_path_buf()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads the admin bearer token of an existing data directory (the `revoke` and `appeal`
/// commands). Never creates one.
pub fn load_admin_token(data_dir: &Path) -> Result<Zeroizing<String>, ServerError> {
    let paths = DataPaths::new(data_dir);
    let bytes = read_secret(&paths.admin_token, "admin token")?
        .ok_or_else(|| ServerError::NoAdminToken(paths.admin_token.clone()))?;
    Ok(Zeroizing::new(hex::encode(bytes.as_ref())))
}

/// The root of the git work tree that `dir` is inside, if any: the nearest ancestor of its
/// canonical path (of its nearest existing ancestor, if `dir` does not exist yet) holding a
/// `.git` entry (a directory, or the file of a linked work tree or submodule). Secret keys
/// in a checkout are one `git add .` away from being published.
pub fn git_work_tree_containing(dir: &Path) -> Option<PathBuf> {
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(dir)
    };
    let existing = absolute.ancestors().find(|a| a.exists())?;
    let canonical = fs::canonicalize(existing).ok()?;
    canonical
        .ancestors()
        .find(|a| a.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

fn new_info(
    cfg: &ServerConfig,
    now: u64,
    issuer: &IssuerKeyPair,
    authority: &SigningKey,
    root: &SigningKey,
) -> IssuerInfo {
    let issue_until = now.saturating_add(KEY_ISSUE_PERIOD_SECS);
    IssuerInfo {
        version: ISSUER_INFO_VERSION,
        region: cfg.region.clone(),
        display_name: cfg.issuer_name.clone(),
        key_id: hex::encode(issuer.public().key_id().0),
        public_key: hex::encode(issuer.public().y_bytes()),
        issue_from: now,
        issue_until,
        accept_until: issue_until.saturating_add(KEY_ACCEPT_GRACE_SECS),
        key_list_sequence: FIRST_KEY_LIST_SEQUENCE,
        key_list_issued_at: now,
        root_public_key: hex::encode(root.verifying_key().as_bytes()),
        root_fingerprint: root_fingerprint(&root.verifying_key()),
        authority_public_key: hex::encode(authority.verifying_key().as_bytes()),
        key_revoked_at: None,
    }
}

fn check_info(
    path: &Path,
    info: &IssuerInfo,
    issuer: &IssuerKeyPair,
    authority: &SigningKey,
    root: &SigningKey,
) -> Result<(), ServerError> {
    let mismatch = |what: &str| ServerError::BadIssuerInfo {
        path: path.to_path_buf(),
        reason: format!("{what} does not match the key files in the same directory"),
    };
    if info.version != ISSUER_INFO_VERSION {
        return Err(ServerError::BadIssuerInfo {
            path: path.to_path_buf(),
            reason: format!("unsupported version {}", info.version),
        });
    }
    if info.public_key != hex::encode(issuer.public().y_bytes())
        || info.key_id != hex::encode(issuer.public().key_id().0)
    {
        return Err(mismatch("the issuer public key"));
    }
    if info.root_public_key != hex::encode(root.verifying_key().as_bytes()) {
        return Err(mismatch("the root public key"));
    }
    if info.authority_public_key != hex::encode(authority.verifying_key().as_bytes()) {
        return Err(mismatch("the authority public key"));
    }
    Ok(())
}

fn build_key_list(
    info: &IssuerInfo,
    issuer: &IssuerKeyPair,
    root: &SigningKey,
) -> Result<KeyList, greenlight_protocol::ProtocolError> {
    let mut entry = IssuerKeyEntry::new(
        issuer.public().y_bytes(),
        info.issue_from,
        info.issue_until,
        info.accept_until,
    );
    entry.revoked = info.key_revoked_at.is_some();
    let body = KeyListBody::new(
        info.key_list_sequence,
        info.key_list_issued_at,
        vec![IssuerEntry {
            region: info.region.clone(),
            display_name: info.display_name.clone(),
            keys: vec![entry],
        }],
    )?;
    Ok(body.sign(root))
}

pub(crate) fn random_32() -> Zeroizing<[u8; 32]> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(bytes.as_mut());
    bytes
}

fn load_or_create_ed25519(
    path: &Path,
    what: &'static str,
    created: &mut Vec<PathBuf>,
) -> Result<SigningKey, ServerError> {
    let seed = load_or_create_secret(path, what, created, random_32)?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads the 32-byte secret at `path`, or creates it with `generate` if the file is absent.
pub(crate) fn load_or_create_secret(
    path: &Path,
    what: &'static str,
    created: &mut Vec<PathBuf>,
    generate: impl FnOnce() -> Zeroizing<[u8; 32]>,
) -> Result<Zeroizing<[u8; 32]>, ServerError> {
    if let Some(secret) = read_secret(path, what)? {
        return Ok(secret);
    }
    let secret = generate();
    let mut text = Zeroizing::new(hex::encode(secret.as_ref()));
    text.push('\n');
    if write_atomic(path, text.as_bytes(), 0o600)? {
        created.push(path.to_path_buf());
        Ok(secret)
    } else {
        // Lost a race with another process initialising the same directory.
        read_secret(path, what)?.ok_or_else(|| ServerError::BadKeyFile {
            path: path.to_path_buf(),
            what,
            reason: "disappeared while being created",
        })
    }
}

/// Reads a hex-encoded 32-byte secret; `None` if the file does not exist.
pub(crate) fn read_secret(
    path: &Path,
    what: &'static str,
) -> Result<Option<Zeroizing<[u8; 32]>>, ServerError> {
    let Some(bytes) = read_optional(path)?.map(Zeroizing::new) else {
        return Ok(None);
    };
    warn_if_exposed(path);
    let bad = |reason| ServerError::BadKeyFile {
        path: path.to_path_buf(),
        what,
        reason,
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| bad("not text"))?
        .trim();
    let mut secret = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(text, secret.as_mut()).map_err(|_| bad("expected 64 hex digits"))?;
    Ok(Some(secret))
}

pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, ServerError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ServerError::io(format!("reading {}", path.display()), e)),
    }
}

/// Writes `contents` to `path` atomically with `mode`, unless `path` already exists. Returns
/// whether this call created the file.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<bool, ServerError> {
    persist_atomic(path, contents, mode, false)
}

/// Temp file in the same directory, fsync, mode, rename into place (refusing to clobber an
/// existing file unless `replace`), fsync the directory. `Ok(false)`: the file existed.
fn persist_atomic(
    path: &Path,
    contents: &[u8],
    mode: u32,
    replace: bool,
) -> Result<bool, ServerError> {
    // A bare file name has the parent "" (not `None`): the current directory.
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let io = |e| ServerError::io(format!("writing {}", path.display()), e);
    // tempfile creates the file 0600 and unguessably named in `dir`.
    let mut tmp = tempfile::Builder::new()
        .prefix(".greenlight-tmp-")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(contents).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    set_mode(tmp.path(), mode)?;
    let persisted = if replace {
        tmp.persist(path).map(|_| ())
    } else {
        tmp.persist_noclobber(path).map(|_| ())
    };
    match persisted {
        Ok(()) => {
            sync_dir(dir)?;
            Ok(true)
        }
        Err(e) if !replace && e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(e.error)),
    }
}

/// Like [`write_atomic`] but replaces an existing file.
pub(crate) fn replace_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<(), ServerError> {
    persist_atomic(path, contents, mode, true).map(|_| ())
}

fn sync_dir(dir: &Path) -> Result<(), ServerError> {
    // Makes the rename itself durable. Directories cannot be opened this way on Windows;
    // there the rename's durability is the file system's business.
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| ServerError::io(format!("syncing {}", dir.display()), e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Creates `dir` (and parents) 0700 if it does not exist; warns if an existing one is open
/// to other users.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), ServerError> {
    if dir.is_dir() {
        warn_if_exposed(dir);
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| ServerError::io(format!("creating {}", dir.display()), e))
}

fn set_mode(path: &Path, mode: u32) -> Result<(), ServerError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(|e| {
            ServerError::io(format!("setting permissions of {}", path.display()), e)
        })?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Secrets must not be readable by other users; an operator who loosened the mode gets a
/// warning (not a refusal: the file is theirs, and refusing to start is its own outage).
fn warn_if_exposed(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    "secret file or directory is accessible to other users; expected mode 0600/0700"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}
