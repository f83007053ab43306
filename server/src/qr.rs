//! `ticket --qr FILE.png`: the ticket as a QR code, for the resident to scan.
//!
//! Error correction **M** (15 %), as the client's presentations: a ticket is shown on a
//! screen or printed once and scanned soon after; the ticket's text form is base45, QR's
//! alphanumeric mode. The file is written atomically with mode 0600 (a ticket is a bearer
//! credential) and its directory is checked **before** the ticket is signed: a bad path
//! fails with no ticket signed or printed.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use image::{ImageFormat, Luma};
use qrcode::{EcLevel, QrCode};

use crate::error::ServerError;

/// Error correction of ticket QR codes.
pub const TICKET_QR_EC: EcLevel = EcLevel::M;
/// Pixels per module (the client's value: a ticket code is about 300 px square).
const MODULE_PX: u32 = 4;

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

/// PNG bytes of `text` as a QR code at [`TICKET_QR_EC`] (black on white, quiet zone).
pub fn png_bytes(text: &str) -> Result<Vec<u8>, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), TICKET_QR_EC)
        .map_err(|e| format!("the ticket does not fit in a QR code: {e}"))?;
    let img = code
        .render::<Luma<u8>>()
        .module_dimensions(MODULE_PX, MODULE_PX)
        .build();
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)
        .map_err(|e| format!("encoding the PNG: {e}"))?;
    Ok(out.into_inner())
}
