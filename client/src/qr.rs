//! QR codes: writing PNGs and terminal renderings, and reading codes back out of images.
//!
//! Error-correction levels, chosen per object:
//! * **Presentations: M (15 %).** A presentation is ~1.6 k characters and is shown on the
//!   holder's own screen, which is not scuffed or folded like paper; every level up costs
//!   several versions (smaller modules on the same screen, harder to scan at a door). M still
//!   survives glare and a cracked screen protector; L (7 %) leaves too little margin.
//! * **Venue codes: Q (25 %).** Tiny (~30 characters) and printed on a wall, where dirt and
//!   wear happen: the extra redundancy costs nothing noticeable.
//!
//! The text forms are base45, whose alphabet is exactly QR alphanumeric mode, so the
//! encoder's segment optimizer stores them at 5.5 bits per character.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use image::{ImageFormat, Luma};
use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode, Version};

use crate::error::{ClientError, Result};
use crate::store;

/// Error correction for presentations (holder's screen).
pub const PRESENTATION_EC: EcLevel = EcLevel::M;
/// Error correction for venue codes (printed on a wall).
pub const VENUE_CODE_EC: EcLevel = EcLevel::Q;
/// Pixels per module in written PNGs (a v25 code with quiet zone ≈ 540 px square).
const MODULE_PX: u32 = 4;
/// Largest image dimension decoded: a 24-megapixel phone photo fits; larger is refused
/// before the decoder allocates anything.
const MAX_IMAGE_SIDE: u32 = 8192;
/// Memory the image decoder may allocate.
const MAX_IMAGE_ALLOC: u64 = 256 * 1024 * 1024;

/// Encode `text` at `ec`.
pub fn encode(text: &str, ec: EcLevel) -> Result<QrCode> {
    QrCode::with_error_correction_level(text.as_bytes(), ec)
        .map_err(|e| ClientError::QrWrite(e.to_string()))
}

/// The version number (1..=40) of a code.
pub fn version_number(code: &QrCode) -> u64 {
    match code.version() {
        Version::Normal(v) | Version::Micro(v) => u64::try_from(v).unwrap_or(0),
    }
}

/// The version `text` needs at `ec`.
pub fn version_for(text: &str, ec: EcLevel) -> Result<u64> {
    Ok(version_number(&encode(text, ec)?))
}

/// PNG bytes of `text` as a QR code (black on white, with the standard quiet zone).
pub fn png_bytes(text: &str, ec: EcLevel) -> Result<Vec<u8>> {
    let code = encode(text, ec)?;
    let img = code
        .render::<Luma<u8>>()
        .module_dimensions(MODULE_PX, MODULE_PX)
        .build();
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)
        .map_err(|e| ClientError::QrWrite(e.to_string()))?;
    Ok(out.into_inner())
}

/// Write `text` as a QR PNG to `path` (atomically, mode 0600: a presentation is a one-show
/// credential and nobody else's business). Returns the QR version.
pub fn write_png(path: &Path, text: &str, ec: EcLevel) -> Result<u64> {
    let bytes = png_bytes(text, ec)?;
    store::write_atomic(path, &bytes)?;
    version_for(text, ec)
}

/// A terminal rendering with Unicode half blocks (two modules per character cell), drawn
/// for the usual light-on-dark terminal: light modules are the glyphs.
pub fn terminal(text: &str, ec: EcLevel) -> Result<String> {
    let code = encode(text, ec)?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// Is this a PNG (by its signature)?
pub fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
}

/// Every QR code found in an image, decoded to text. Codes that do not decode (damaged, or
/// binary content) are skipped; an image with none gives an empty list.
pub fn decode_image(bytes: &[u8]) -> Result<Vec<String>> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ClientError::ImageUnreadable(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_IMAGE_ALLOC);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| ClientError::ImageUnreadable(e.to_string()))?
        .to_luma8();
    // The QR decoder sees attacker-chosen pixels. It is not supposed to panic, but a panic
    // there must become "unreadable", never a crash of the verifier at the door.
    catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare(img);
        prepared
            .detect_grids()
            .iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect::<Vec<String>>()
    }))
    .map_err(|_| ClientError::ImageUnreadable("QR decoder failure".into()))
}
