//! QR codes for every Greenlight object: which error-correction level each gets, rendering
//! (PNG bytes, terminal art) and reading codes back out of images.
//!
//! One home for the CLI (presentations, venue codes, set-up codes) and the issuer (tickets),
//! so that both write the same codes and read them the same way. Pure functions over bytes:
//! writing files is the caller's business.
//!
//! Error-correction levels, chosen per object:
//! * **Presentations and tickets: M (15 %).** A presentation is ~1.6 k characters shown on
//!   the holder's own screen, which is not scuffed or folded like paper; every level up costs
//!   several versions (smaller modules on the same screen, harder to scan at a door). M still
//!   survives glare and a cracked screen protector; L (7 %) leaves too little margin. A
//!   ticket is shown on a screen or printed once and scanned soon after.
//! * **Venue codes and venue set-up codes: Q (25 %).** Short, and printed on a wall or a
//!   sheet at the counter, where dirt and wear happen: the extra redundancy costs little.
//!
//! The text forms are base45, whose alphabet is exactly QR alphanumeric mode, so the
//! encoder's segment optimiser stores them at 5.5 bits per character.

use std::io::Cursor;
#[cfg(feature = "decode")]
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::{ImageFormat, Luma};
use qrcode::render::unicode::Dense1x2;
use qrcode::{QrCode, Version};

pub use qrcode::EcLevel;

/// Error correction for presentations (holder's screen).
pub const PRESENTATION_EC: EcLevel = EcLevel::M;
/// Error correction for issuance tickets (a screen or one print-out).
pub const TICKET_EC: EcLevel = EcLevel::M;
/// Error correction for venue codes and venue set-up codes (printed).
pub const VENUE_CODE_EC: EcLevel = EcLevel::Q;

/// Pixels per module in written PNGs: a version-27 code with its quiet zone is 1,064 px
/// square, so a phone shows it full width without scaling it up (scaling blurs the module
/// edges a camera must find). Still a small file: two grey levels compress well.
const MODULE_PX: u32 = 8;
/// Largest image dimension decoded: a 24-megapixel phone photo fits; larger is refused
/// before the decoder allocates anything.
#[cfg(feature = "decode")]
const MAX_IMAGE_SIDE: u32 = 8192;
/// Memory the image decoder may allocate.
#[cfg(feature = "decode")]
const MAX_IMAGE_ALLOC: u64 = 256 * 1024 * 1024;

/// Why a code could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The text does not fit in a QR code at this level (or another encoder refusal).
    #[error("the text does not fit in a QR code: {0}")]
    Encode(String),
    /// Encoding the PNG failed.
    #[error("encoding the PNG: {0}")]
    Png(String),
    /// The image could not be read (format, size limits, damage, a decoder failure).
    #[error("the image cannot be read: {0}")]
    ImageUnreadable(String),
}

/// Encode `text` at `ec`.
pub fn encode(text: &str, ec: EcLevel) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(text.as_bytes(), ec)
        .map_err(|e| QrError::Encode(e.to_string()))
}

/// The version number (1..=40) of a code.
pub fn version_number(code: &QrCode) -> u64 {
    match code.version() {
        Version::Normal(v) | Version::Micro(v) => u64::try_from(v).unwrap_or(0),
    }
}

/// The version `text` needs at `ec`.
pub fn version_for(text: &str, ec: EcLevel) -> Result<u64, QrError> {
    Ok(version_number(&encode(text, ec)?))
}

/// The modules of `text`'s code at `ec`: the side length and, row by row, whether each
/// module is dark (no quiet zone). For tests and the scanning corpus, which draw the code
/// as a camera would see it.
pub fn modules(text: &str, ec: EcLevel) -> Result<(usize, Vec<bool>), QrError> {
    let code = encode(text, ec)?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok((code.width(), dark))
}

/// PNG bytes of `text` as a QR code: pure black modules on white, with the standard
/// four-module quiet zone, 8 pixels per module.
pub fn png_bytes(text: &str, ec: EcLevel) -> Result<Vec<u8>, QrError> {
    let code = encode(text, ec)?;
    let img = code
        .render::<Luma<u8>>()
        .module_dimensions(MODULE_PX, MODULE_PX)
        .build();
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)
        .map_err(|e| QrError::Png(e.to_string()))?;
    Ok(out.into_inner())
}

/// A terminal rendering with Unicode half blocks (two modules per character cell), drawn
/// for the usual light-on-dark terminal: light modules are the glyphs.
pub fn terminal(text: &str, ec: EcLevel) -> Result<String, QrError> {
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

/// Is this an image [`decode_image`] reads — a PNG, or a JPEG (what a phone's camera saves)
/// — by its signature?
pub fn is_image(bytes: &[u8]) -> bool {
    is_png(bytes) || bytes.starts_with(&[0xff, 0xd8, 0xff])
}

/// Every QR code found in an image, decoded to text. Codes that do not decode (damaged, or
/// binary content) are skipped; an image with none gives an empty list. (Feature `decode`.)
#[cfg(feature = "decode")]
pub fn decode_image(bytes: &[u8]) -> Result<Vec<String>, QrError> {
    let unreadable = |e: &dyn std::fmt::Display| QrError::ImageUnreadable(e.to_string());
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(&e))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_IMAGE_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| unreadable(&e))?.to_luma8();
    let (width, height) = img.dimensions();
    decode_luma(&img, width, height)
}

/// Every QR code in a greyscale frame (`width × height` bytes, one per pixel, row by row),
/// decoded to text: what [`decode_image`] does once the file is decoded, and what the
/// scanning harness (tests/scan) feeds camera frames to, so the figures in
/// docs/scanning.md are this function's.
///
/// The decoder is ZXing-C++: it finds a version-27 code rotated, tilted or blurred, where
/// rqrr (the previous decoder) lost it at 1° of rotation. (Feature `decode`.)
#[cfg(feature = "decode")]
pub fn decode_luma(pixels: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    let unreadable = |e: &dyn std::fmt::Display| QrError::ImageUnreadable(e.to_string());
    if width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(QrError::ImageUnreadable(format!(
            "{width}×{height} pixels: not between 1 and {MAX_IMAGE_SIDE} on each side"
        )));
    }
    if u64::try_from(pixels.len()).ok() != Some(u64::from(width) * u64::from(height)) {
        return Err(QrError::ImageUnreadable(format!(
            "{} bytes for {width}×{height} grey pixels",
            pixels.len()
        )));
    }
    let view = zxingcpp::ImageView::from_slice(pixels, width, height, zxingcpp::ImageFormat::Lum)
        .map_err(|e| unreadable(&e))?;
    // The QR decoder sees attacker-chosen pixels. ZXing-C++'s C API turns its exceptions into
    // errors; a panic in the wrapper must still become "unreadable", never a crash of the
    // verifier at the door.
    catch_unwind(AssertUnwindSafe(|| {
        // try_harder: the slower second pass that finds tilted and small codes (still a
        // few milliseconds for a 1280×720 frame, docs/scanning.md). Inverted codes are not ours: try_invert off.
        let found = zxingcpp::read()
            .formats([zxingcpp::BarcodeFormat::QRCode])
            .try_harder(true)
            .try_rotate(true)
            .try_invert(false)
            .from(view)?;
        Ok::<_, zxingcpp::Error>(
            found
                .iter()
                .filter(|code| code.is_valid())
                .filter_map(|code| String::from_utf8(code.bytes()).ok())
                .collect::<Vec<String>>(),
        )
    }))
    .map_err(|_| QrError::ImageUnreadable("QR decoder failure".into()))?
    .map_err(|e| unreadable(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "decode")]
    #[test]
    fn png_round_trip_at_every_level_used() {
        let text = "GLV1:460BOQBZS9-H:T2SZ04ECDZCEA8W50";
        for ec in [PRESENTATION_EC, TICKET_EC, VENUE_CODE_EC] {
            let png = png_bytes(text, ec).unwrap();
            assert!(is_png(&png));
            assert_eq!(decode_image(&png).unwrap(), vec![text.to_owned()]);
        }
    }

    #[cfg(feature = "decode")]
    #[test]
    fn garbage_images_are_unreadable_not_a_panic() {
        assert!(matches!(
            decode_image(b"\x89PNG\r\n\x1a\nnot really"),
            Err(QrError::ImageUnreadable(_))
        ));
        assert!(!is_png(b"GIF89a"));
        assert!(is_image(b"\xff\xd8\xff\xe0") && !is_image(b"GLP1:"));
        // A frame whose size does not match its bytes, or with no pixels, is refused before
        // the decoder sees it; a blank frame has no code.
        for (bytes, w, h) in [
            (vec![0u8; 99], 10, 10),
            (vec![], 0, 0),
            (vec![0; 10], 10, 0),
        ] {
            assert!(matches!(
                decode_luma(&bytes, w, h),
                Err(QrError::ImageUnreadable(_))
            ));
        }
        assert_eq!(
            decode_luma(&[255; 64 * 48], 64, 48).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn too_long_text_is_an_encode_error() {
        let text = "A".repeat(8000);
        assert!(matches!(
            png_bytes(&text, VENUE_CODE_EC),
            Err(QrError::Encode(_))
        ));
    }
}
