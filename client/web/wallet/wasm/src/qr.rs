//! The presentation's QR code as a module matrix; the page draws it on a canvas (no image
//! library in the wasm, no QR code written in JavaScript).

use qrcode::{EcLevel, QrCode};
use serde::Serialize;

/// Error correction of presentations: `greenlight_qr::PRESENTATION_EC` (M; the choice is
/// explained there). Not imported, because that crate brings the image libraries the CLI
/// needs; a test checks the two are the same.
pub const PRESENTATION_EC: EcLevel = EcLevel::M;

/// A QR code's modules.
#[derive(Debug, Serialize)]
pub struct Matrix {
    /// Modules per side (without the quiet zone, which the page adds: 4 modules).
    pub size: usize,
    /// QR version (1..=40).
    pub version: i16,
    /// Row by row, `1` dark and `0` light.
    pub modules: String,
}

/// The matrix of `text` at the presentations' level, or `None` if it does not fit.
pub fn matrix(text: &str) -> Option<Matrix> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), PRESENTATION_EC).ok()?;
    let size = code.width();
    let modules = code
        .to_colors()
        .iter()
        .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
        .collect();
    let version = match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    Some(Matrix {
        size,
        version,
        modules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_is_the_one_the_cli_uses() {
        assert_eq!(
            format!("{PRESENTATION_EC:?}"),
            format!("{:?}", greenlight_qr::PRESENTATION_EC)
        );
        let m = matrix("GLP1:ABC").unwrap();
        assert_eq!(m.modules.len(), m.size * m.size);
        assert!(m.modules.contains('1') && m.modules.contains('0'));
    }
}
