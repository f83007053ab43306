//! `ticket --qr FILE.png`: the ticket as a QR code, for the resident to scan.
//!
//! Error correction **M** (15 %), as the client's presentations: a ticket is shown on a
//! screen or printed once and scanned soon after; the ticket's text form is base45, QR's
//! alphanumeric mode. The file is written atomically with mode 0600 (a ticket is a bearer
//! credential) and its directory is checked **before** the ticket is signed: a bad path
//! fails with no ticket signed or printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use greenlight_qr::EcLevel;

use crate::error::ServerError;

/// Error correction of ticket QR codes (`greenlight_qr`'s level for tickets).
pub const TICKET_QR_EC: EcLevel = greenlight_qr::TICKET_EC;

/// A QR output file whose directory is known to be writable: a temporary file next to it
/// exists already, and [`TicketQr::write`] renames it into place.
#[derive(Debug)]
pub struct TicketQr {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl TicketQr {
    /// Checks that `path` can be written (it is not a directory, and its directory exists
    /// and takes a new file) by creating the temporary file the PNG is written to.
    pub fn create(path: &Path) -> Result<Self, ServerError> {
        let fail = |reason: String| ServerError::Qr {
            path: path.to_path_buf(),
            reason,
        };
        if path.is_dir() {
            return Err(fail("it is a directory".into()));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(fail(format!(
                "the directory {} does not exist",
                dir.display()
            )));
        }
        let tmp = tempfile::Builder::new()
            .prefix(".greenlight-qr-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| fail(e.to_string()))?;
        Ok(TicketQr {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// Writes `text` as the QR PNG and moves it into place (replacing an existing file).
    pub fn write(mut self, text: &str) -> Result<(), ServerError> {
        let fail = |reason: String| ServerError::Qr {
            path: self.path.clone(),
            reason,
        };
        let png = png_bytes(text).map_err(&fail)?;
        self.tmp.write_all(&png).map_err(|e| fail(e.to_string()))?;
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|e| fail(e.to_string()))?;
        let path = self.path.clone();
        self.tmp
            .persist(&path)
            .map_err(|e| fail(e.error.to_string()))?;
        Ok(())
    }
}

/// PNG bytes of `text` as a QR code at [`TICKET_QR_EC`] (the shared renderer).
pub fn png_bytes(text: &str) -> Result<Vec<u8>, String> {
    greenlight_qr::png_bytes(text, TICKET_QR_EC).map_err(|e| e.to_string())
}
