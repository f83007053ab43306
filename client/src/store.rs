//! Local state on disk: private directories (0700), private files (0600), atomic
//! replacement (temporary file in the same directory → fsync → rename → fsync directory),
//! bounded reads, and an advisory lock per state directory.
//!
//! Atomic replacement means a crash leaves either the old or the new file, never half of
//! one; the wallet relies on it to remove a token *durably* before showing it, and the venue
//! to record a token id before answering ACCEPT.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{ClientError, Result};

/// Create `dir` (and parents) if needed and make it private.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| ClientError::io(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| ClientError::io(dir, e))?;
    }
    Ok(())
}

/// Replace `path` with `bytes` atomically and durably, mode 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // tempfile creates the file with mode 0600 and a random name in the same directory,
    // so the rename below stays on one file system (and so is atomic).
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(|e| ClientError::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| ClientError::io(path, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| ClientError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| ClientError::io(path, e.error))?;
    sync_dir(dir)
}

/// Whether a new file can be created in `dir`, as [`write_atomic`] would create one (a
/// temporary file is made there and removed at once).
pub fn check_can_create_in(dir: &Path) -> Result<()> {
    tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| ClientError::io(dir, e))
}

/// fsync a directory so a rename inside it survives a crash.
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| ClientError::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Read at most `max` bytes of `path`; `Ok(None)` if it does not exist.
pub fn read_limited(path: &Path, max: usize) -> Result<Option<Vec<u8>>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ClientError::io(path, e)),
    };
    let mut buf = Vec::new();
    file.take(max as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ClientError::io(path, e))?;
    if buf.len() > max {
        return Err(ClientError::corrupt(path, "file is too large"));
    }
    Ok(Some(buf))
}

/// An exclusive advisory lock on a state directory, held until dropped. Every process that
/// changes the wallet or the venue's seen-set takes it, so "pick a token and remove it" and
/// "check the token id and insert it" are atomic across processes.
pub struct DirLock {
    file: File,
    path: PathBuf,
}

impl DirLock {
    pub fn acquire(dir: &Path) -> Result<DirLock> {
        let path = dir.join(".lock");
        let mut opts = OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(&path).map_err(|e| ClientError::io(&path, e))?;
        fs4::FileExt::lock(&file).map_err(|e| ClientError::io(&path, e))?;
        Ok(DirLock { file, path })
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Closing the file releases the lock anyway; unlocking first is just tidier.
        let _ = fs4::FileExt::unlock(&self.file);
        let _ = &self.path;
    }
}
