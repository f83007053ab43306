//! The shared canonical binary reader/writer and the base45 text wrapper.
//!
//! Every read is bounds-checked through `slice::get`, so a decoder can only fail with
//! [`ProtocolError::Truncated`] rather than panic. Encoders write the same fields in the same
//! order the decoders read them; because every decoder rejects anything a different encoder
//! could have produced (trailing bytes, unsorted sets, non-minimal values), each value has
//! exactly one encoding and `encode(decode(b)) == b`.

use crate::error::{ProtocolError, StringProblem};
use crate::lengths::FORMAT_VERSION;

/// Appends fields in wire order.
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// Starts an encoding with the version byte and `tag`.
    pub(crate) fn new(tag: u8, capacity: usize) -> Self {
        let mut buf = Vec::with_capacity(capacity);
        buf.push(FORMAT_VERSION);
        buf.push(tag);
        Writer { buf }
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }

    /// A string already validated against its bounds (all bounds are ≤ 255), as `u8` length +
    /// UTF-8 bytes.
    pub(crate) fn string(&mut self, s: &str) {
        // Constructors validate lengths; saturate rather than panic if that invariant ever broke.
        let len = u8::try_from(s.len()).unwrap_or(u8::MAX);
        self.buf.push(len);
        self.buf
            .extend_from_slice(s.as_bytes().get(..usize::from(len)).unwrap_or_default());
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads fields in wire order from a borrowed buffer.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Checks the overall length bound, version and tag, and positions after the header.
    pub(crate) fn new(buf: &'a [u8], tag: u8, max_len: usize) -> Result<Self, ProtocolError> {
        if buf.len() > max_len {
            return Err(ProtocolError::TooLong {
                len: buf.len(),
                max: max_len,
            });
        }
        let mut r = Reader { buf, pos: 0 };
        let version = r.u8()?;
        if version != FORMAT_VERSION {
            return Err(ProtocolError::UnsupportedVersion(version));
        }
        let found = r.u8()?;
        if found != tag {
            return Err(ProtocolError::WrongType {
                expected: tag,
                found,
            });
        }
        Ok(r)
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], ProtocolError> {
        let end = self.pos.checked_add(n).ok_or(ProtocolError::Truncated)?;
        let out = self
            .buf
            .get(self.pos..end)
            .ok_or(ProtocolError::Truncated)?;
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], ProtocolError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ProtocolError> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    pub(crate) fn u16(&mut self) -> Result<u16, ProtocolError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, ProtocolError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    pub(crate) fn bool(&mut self) -> Result<bool, ProtocolError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(ProtocolError::InvalidBool(other)),
        }
    }

    /// A `u8`-length-prefixed string, checked with [`validate_string`]. The length is checked
    /// against `max` before anything is read.
    pub(crate) fn string(
        &mut self,
        field: &'static str,
        min: usize,
        max: usize,
    ) -> Result<String, ProtocolError> {
        let len = usize::from(self.u8()?);
        check_len(field, len, min, max)?;
        let raw = self.take(len)?;
        let s = core::str::from_utf8(raw).map_err(|_| ProtocolError::InvalidString {
            field,
            problem: StringProblem::NotUtf8,
        })?;
        validate_string(field, s, min, max)?;
        Ok(s.to_owned())
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(self) -> Result<(), ProtocolError> {
        if self.pos == self.buf.len() {
            Ok(())
        } else {
            Err(ProtocolError::TrailingBytes)
        }
    }
}

fn check_len(field: &'static str, len: usize, min: usize, max: usize) -> Result<(), ProtocolError> {
    if len < min {
        Err(ProtocolError::InvalidString {
            field,
            problem: StringProblem::TooShort,
        })
    } else if len > max {
        Err(ProtocolError::InvalidString {
            field,
            problem: StringProblem::TooLong,
        })
    } else {
        Ok(())
    }
}

/// Unicode bidirectional formatting characters (ALM, LRM, RLM, the embeddings/overrides and the
/// isolates). They are not "control characters" to Unicode (category Cf, not Cc), but a name
/// containing U+202E RIGHT-TO-LEFT OVERRIDE displays reversed, so it could show a door
/// attendant a different venue or issuer name than the bytes say.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// The rule for every human-readable string field: `min..=max` UTF-8 bytes and no control
/// characters (C0, DEL, C1) nor bidirectional formatting characters. They are rejected because
/// these strings are shown on door-attendant screens and written to terminals, where they could
/// hide or fake text.
pub(crate) fn validate_string(
    field: &'static str,
    s: &str,
    min: usize,
    max: usize,
) -> Result<(), ProtocolError> {
    check_len(field, s.len(), min, max)?;
    if s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(ProtocolError::InvalidString {
            field,
            problem: StringProblem::ControlCharacter,
        });
    }
    Ok(())
}

/// The group order ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
const ED25519_ORDER_LE: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// Whether the `s` half of an Ed25519 signature is fully reduced (`s < ℓ`). Checked at decode
/// time so a malleated copy of a signature (`s + ℓ`) is rejected as a *format* error, before
/// anyone relies on the bytes as a unique identifier. `verify_strict` checks it again.
pub(crate) fn signature_is_canonical(sig: &[u8; 64]) -> bool {
    let mut s = [0u8; 32];
    s.copy_from_slice(&sig[32..]);
    // Compare as little-endian integers, most significant byte first.
    for (a, b) in s.iter().rev().zip(ED25519_ORDER_LE.iter().rev()) {
        if a != b {
            return a < b;
        }
    }
    false // equal to ℓ
}

/// Lowercase hex, without pulling a dependency into the portable build.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Longest base45 text for `max_bytes` bytes: 3 characters per 2 bytes, 2 for a final odd byte.
pub(crate) const fn base45_len(max_bytes: usize) -> usize {
    3 * (max_bytes / 2) + 2 * (max_bytes % 2)
}

/// `prefix ‖ base45(bytes)`.
pub(crate) fn to_text(prefix: &str, bytes: &[u8]) -> String {
    let mut out = String::with_capacity(prefix.len() + base45_len(bytes.len()));
    out.push_str(prefix);
    out.push_str(&base45::encode(bytes));
    out
}

/// Strips surrounding line noise, checks `prefix` and the length bound, then base45-decodes.
///
/// Leading whitespace and trailing CR/LF/tab are ignored (clipboards and `echo` add them), but
/// not trailing spaces, because space is itself a base45 digit. The base45 must be canonical:
/// the `base45` crate silently truncates an out-of-range final pair, so the result is
/// re-encoded and compared, and two different texts never decode to the same bytes.
pub(crate) fn from_text(
    text: &str,
    prefix: &'static str,
    max_bytes: usize,
) -> Result<Vec<u8>, ProtocolError> {
    let text = trim_text(text);
    let body = text
        .strip_prefix(prefix)
        .ok_or(ProtocolError::WrongPrefix { expected: prefix })?;
    let max_chars = base45_len(max_bytes);
    if body.len() > max_chars {
        return Err(ProtocolError::TooLong {
            len: body.len(),
            max: max_chars,
        });
    }
    let bytes = base45::decode(body).map_err(|_| ProtocolError::InvalidBase45)?;
    if base45::encode(&bytes) != body {
        return Err(ProtocolError::InvalidBase45);
    }
    Ok(bytes)
}

/// See [`from_text`] for why trailing spaces are kept.
pub(crate) fn trim_text(text: &str) -> &str {
    text.trim_start().trim_end_matches(['\r', '\n', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_not_canonical_and_order_minus_one_is() {
        let mut sig = [0u8; 64];
        sig[32..].copy_from_slice(&ED25519_ORDER_LE);
        assert!(!signature_is_canonical(&sig));
        sig[32] -= 1;
        assert!(signature_is_canonical(&sig));
        sig[63] = 0xff;
        assert!(!signature_is_canonical(&sig));
        assert!(signature_is_canonical(&[0u8; 64]));
    }

    #[test]
    fn base45_len_matches_the_encoder() {
        for n in 0..40usize {
            let bytes = vec![0xffu8; n];
            assert_eq!(base45::encode(&bytes).len(), base45_len(n));
        }
    }

    #[test]
    fn non_canonical_base45_is_rejected() {
        // "GGW" style overflow and a final pair decoding above 255 ("::" = 44 + 44*45).
        assert_eq!(
            from_text("GLT1:::", "GLT1:", 100),
            Err(ProtocolError::InvalidBase45)
        );
        assert_eq!(
            from_text("GLT1:A", "GLT1:", 100),
            Err(ProtocolError::InvalidBase45)
        );
        assert_eq!(
            from_text("GLT1:abc", "GLT1:", 100),
            Err(ProtocolError::InvalidBase45)
        );
        assert_eq!(from_text("GLT1:", "GLT1:", 100), Ok(vec![]));
        assert_eq!(
            from_text("GLX1:", "GLT1:", 100),
            Err(ProtocolError::WrongPrefix { expected: "GLT1:" })
        );
    }

    #[test]
    fn control_and_bidi_characters_are_rejected() {
        for bad in [
            "a\u{0}",
            "\u{7f}",
            "\u{9f}",
            "evil\u{202E}txt",
            "\u{2066}x",
            "\u{200F}",
        ] {
            assert_eq!(
                validate_string("f", bad, 1, 64),
                Err(ProtocolError::InvalidString {
                    field: "f",
                    problem: StringProblem::ControlCharacter
                }),
                "{bad:?}"
            );
        }
        for good in ["Café 3/F", "深圳湾", "a b", "\u{200D}"] {
            assert_eq!(validate_string("f", good, 1, 64), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(to_hex(&[0x00, 0xab, 0xff]), "00abff");
    }
}
