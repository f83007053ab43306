//! A key-list witness's directory and its two commands (`greenlight-server witness init` /
//! `witness cosign`): the I/O around [`greenlight_protocol::cosign`], which holds the rule
//! (spec §7.6).
//!
//! A witness is run by a party independent of the root (another agency, an auditor, a
//! university). It keeps the last list it cosigned, so it cosigns a new list only if that list
//! is an append-only successor — never a fork, never a list that drops or changes a key. The
//! root's operator passes the signed key list file to each witness; each appends its
//! cosignature in place; the servers load the file as usual (`serve --key-list`, SIGHUP or
//! `load-key-list`) and publish the cosignatures in `GET /v1/keys`. Re-running `witness
//! cosign` on the same list refreshes the witness's cosignature (venues accept cosignatures
//! at most a week old; witnesses re-cosign the current list daily, for margin).

use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use greenlight_protocol::{cosign, root_fingerprint};

use crate::datadir::{read_optional, read_secret, replace_atomic};
use crate::error::ServerError;
use crate::roles::{init_signing_dir, key_list_json, parse_key_list_document, valid_cosignatures};

/// The files of a witness's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessPaths {
    /// The directory (0700).
    pub dir: PathBuf,
    /// `witness.key`: hex of the Ed25519 seed that cosigns (0600).
    pub key: PathBuf,
    /// `witness.pub`: hex of its public key (0644), what venues name in `--witness`.
    pub public: PathBuf,
    /// `cosigned.json`: the last key list cosigned (a key list file), which the next must
    /// succeed.
    pub last: PathBuf,
}

impl WitnessPaths {
    /// The paths under `dir`.
    pub fn new(dir: &Path) -> Self {
        WitnessPaths {
            dir: dir.to_path_buf(),
            key: dir.join("witness.key"),
            public: dir.join("witness.pub"),
            last: dir.join("cosigned.json"),
        }
    }
}

/// `witness init`: the witness's directory (0700), `witness.key` (0600) and `witness.pub`.
/// Refuses if `witness.key` exists. Returns the public key (hex).
pub fn witness_init(dir: &Path) -> Result<String, ServerError> {
    let paths = WitnessPaths::new(dir);
    let public = init_signing_dir(dir, &paths.key, &paths.public)?;
    Ok(hex::encode(public.as_bytes()))
}

/// What `witness cosign` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessCosigned {
    /// The cosigned list's sequence.
    pub sequence: u64,
    /// Its root's fingerprint.
    pub root_fingerprint: String,
    /// The witness's public key (hex).
    pub witness: String,
    /// Whether the list was cosigned by this witness before (a refresh of the same list).
    pub refreshed: bool,
    /// Valid cosignatures the file now carries, this one included.
    pub cosignatures: usize,
}

/// `witness cosign`: cosign the key list file `list_path` at `now_unix` if the witness's rule
/// allows ([`cosign`]: it verifies under its root and succeeds `cosigned.json`), then record
/// it as the last list cosigned and write the file back with this cosignature added (an older
/// one by this witness replaced; cosignatures that do not verify dropped). Nothing is written
/// on a refusal. The last-cosigned record is written first: a crash between the two writes
/// leaves a witness that will simply cosign the same list again.
pub fn witness_cosign(
    dir: &Path,
    list_path: &Path,
    now_unix: u64,
) -> Result<WitnessCosigned, ServerError> {
    let paths = WitnessPaths::new(dir);
    let seed = read_secret(&paths.key, "witness key")?.ok_or_else(|| {
        ServerError::Usage(format!(
            "no witness key in {}: create it with `greenlight-server witness init --witness-dir {}`",
            dir.display(),
            dir.display()
        ))
    })?;
    let witness = SigningKey::from_bytes(&seed);
    // One cosign at a time: two runs on two forks of one sequence would each read the same
    // `cosigned.json` and each cosign — the equivocation a witness exists to refuse.
    let _lock = CosignLock::acquire(&paths.dir)?;
    let bytes = std::fs::read(list_path)
        .map_err(|e| ServerError::io(format!("reading {}", list_path.display()), e))?;
    let offered = parse_key_list_document(list_path, &bytes)?;
    let last = match read_optional(&paths.last)? {
        Some(bytes) => Some(parse_key_list_document(&paths.last, &bytes)?),
        None => None,
    };
    let cosignature = cosign(
        &witness,
        last.as_ref().map(|l| (&l.root, &l.list)),
        &offered.root,
        &offered.list,
        now_unix,
    )?;
    let refreshed = last.as_ref().is_some_and(|l| l.list == offered.list);
    let mut carried = offered.cosignatures.clone();
    carried.retain(|c| {
        !c.witness
            .trim()
            .eq_ignore_ascii_case(&hex::encode(cosignature.witness))
    });
    carried.push(greenlight_venue::cosignature_json(&cosignature));
    let carried = valid_cosignatures(&offered.root, &offered.list, &carried);
    replace_atomic(
        &paths.last,
        &key_list_json(&offered.root, &offered.list, None, &[])?,
        0o644,
    )?;
    replace_atomic(
        list_path,
        &key_list_json(
            &offered.root,
            &offered.list,
            offered.previous.as_ref(),
            &carried,
        )?,
        0o644,
    )?;
    Ok(WitnessCosigned {
        sequence: offered.list.unverified_body().sequence(),
        root_fingerprint: root_fingerprint(&offered.root),
        witness: hex::encode(cosignature.witness),
        refreshed,
        cosignatures: carried.len(),
    })
}

/// `WDIR/.cosign.lock`, created exclusively and removed on drop. A crash leaves it behind;
/// the error says to remove it then (a witness is run by hand or by one scheduled job, so a
/// stale lock is rare and better reported than guessed at).
struct CosignLock {
    path: PathBuf,
}

impl CosignLock {
    fn acquire(dir: &Path) -> Result<CosignLock, ServerError> {
        let path = dir.join(".cosign.lock");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => Ok(CosignLock { path }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(ServerError::Usage(format!(
                    "another `witness cosign` is running on {} (if none is, one was interrupted: remove {})",
                    dir.display(),
                    path.display()
                )))
            }
            Err(e) => Err(ServerError::io(format!("creating {}", path.display()), e)),
        }
    }
}

impl Drop for CosignLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
