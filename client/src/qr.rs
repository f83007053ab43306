//! QR codes in the CLI: the shared rules and rendering of `greenlight-qr` (which level each
//! object gets, PNG and terminal rendering, reading images), plus writing PNG files.

use std::path::Path;

pub use greenlight_qr::{is_image, is_png, EcLevel, QrError, PRESENTATION_EC, VENUE_CODE_EC};

use crate::error::{ClientError, Result};
use crate::store;

impl From<QrError> for ClientError {
    fn from(e: QrError) -> Self {
        match e {
            QrError::Encode(detail) | QrError::Png(detail) => ClientError::QrWrite(detail),
            QrError::ImageUnreadable(detail) => ClientError::ImageUnreadable(detail),
        }
    }
}

/// The version `text` needs at `ec`.
pub fn version_for(text: &str, ec: EcLevel) -> Result<u64> {
    Ok(greenlight_qr::version_for(text, ec)?)
}

/// PNG bytes of `text` as a QR code (black on white, with the standard quiet zone).
pub fn png_bytes(text: &str, ec: EcLevel) -> Result<Vec<u8>> {
    Ok(greenlight_qr::png_bytes(text, ec)?)
}

/// Write `text` as a QR PNG to `path` (atomically, mode 0600: a presentation is a one-show
/// credential and nobody else's business). Returns the QR version.
pub fn write_png(path: &Path, text: &str, ec: EcLevel) -> Result<u64> {
    let bytes = png_bytes(text, ec)?;
    store::write_atomic(path, &bytes)?;
    version_for(text, ec)
}

/// A terminal rendering (two modules per character cell, for a light-on-dark terminal).
pub fn terminal(text: &str, ec: EcLevel) -> Result<String> {
    Ok(greenlight_qr::terminal(text, ec)?)
}

/// Every QR code found in an image, decoded to text (an image with none: an empty list).
pub fn decode_image(bytes: &[u8]) -> Result<Vec<String>> {
    Ok(greenlight_qr::decode_image(bytes)?)
}
