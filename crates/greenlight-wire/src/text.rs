//! The text form of a Greenlight object, for QR codes and clipboards: `PREFIX ‖ base45(bytes)`.
//!
//! Why base45 (RFC 9285, via the `base45` crate): its 45-character alphabet is exactly the
//! QR code *alphanumeric* mode, which stores 5.5 bits per character, so `n` bytes become
//! `1.5·n` characters costing `8.25·n` bits in the code — about 3 % over raw binary, but as
//! plain text that survives copy-and-paste, chat apps and terminals. The EU Digital COVID
//! Certificate made the same choice (`HC1:` + base45). Base64 in byte mode costs
//! `10.7·n` bits; hex in alphanumeric mode `11·n`.
//!
//! # White space
//!
//! Surrounding white space is ignored (scanners, terminals and `echo` add new lines), and only
//! that: [`trim`] is the one rule for every object. Trimming a trailing space cannot eat a
//! digit, although space is a base45 digit (value 36): the last character of canonical base45
//! is either the high digit of a 3-character group, at most ⌊65535 / 45²⌋ = 32, or the high
//! digit of a final 2-character group, at most ⌊255 / 45⌋ = 5.

use crate::WireError;

/// The white-space rule of every text decoder (see the module documentation).
pub fn trim(text: &str) -> &str {
    text.trim()
}

/// Longest base45 text for `max_bytes` bytes: 3 characters per 2 bytes, 2 for a final odd byte.
pub const fn base45_len(max_bytes: usize) -> usize {
    3 * (max_bytes / 2) + 2 * (max_bytes % 2)
}

/// `prefix ‖ base45(bytes)`.
pub fn encode(prefix: &str, bytes: &[u8]) -> String {
    let mut out = String::with_capacity(prefix.len() + base45_len(bytes.len()));
    out.push_str(prefix);
    out.push_str(&base45::encode(bytes));
    out
}

/// Strips surrounding white space, checks `prefix` and the length bound (`max_bytes` of
/// decoded bytes, checked on the text *before* decoding so hostile input is cheap), then
/// base45-decodes. The base45 must be canonical: the `base45` crate silently truncates an
/// out-of-range final pair (e.g. `"::"` = 2024), so the result is re-encoded and compared,
/// and two different texts never decode to the same bytes.
pub fn decode(prefix: &'static str, text: &str, max_bytes: usize) -> Result<Vec<u8>, WireError> {
    let body = trim(text)
        .strip_prefix(prefix)
        .ok_or(WireError::WrongPrefix { expected: prefix })?;
    let max = base45_len(max_bytes);
    if body.len() > max {
        return Err(WireError::TooLong {
            len: body.len(),
            max,
        });
    }
    let bytes = base45::decode(body).map_err(|_| WireError::InvalidBase45)?;
    if base45::encode(&bytes) != body {
        return Err(WireError::InvalidBase45);
    }
    Ok(bytes)
}

/// Lowercase hex, for ids and fingerprints, without pulling a dependency into portable builds.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefixes::{PRESENTATION, TICKET};

    #[test]
    fn round_trip_and_rejections() {
        let bytes: Vec<u8> = (0..=255).collect();
        let t = encode(PRESENTATION, &bytes);
        assert!(t.starts_with("GLP1:"));
        assert_eq!(decode(PRESENTATION, &t, 256).unwrap(), bytes);
        assert_eq!(
            decode(PRESENTATION, &format!("  {t} \r\n\t"), 256).unwrap(),
            bytes
        );
        assert_eq!(
            decode(TICKET, &t, 256),
            Err(WireError::WrongPrefix { expected: TICKET })
        );
        assert_eq!(
            decode(PRESENTATION, "GLP1:!!!", 256),
            Err(WireError::InvalidBase45)
        );
        // Final pair "::" is 2024 > 255: base45 alone would truncate it to 0xe8.
        assert_eq!(
            decode(PRESENTATION, "GLP1:::", 256),
            Err(WireError::InvalidBase45)
        );
        assert_eq!(
            decode(PRESENTATION, "GLP1:A", 256),
            Err(WireError::InvalidBase45)
        );
        assert_eq!(decode(TICKET, "GLT1:", 256), Ok(vec![]));
        assert_eq!(
            decode(PRESENTATION, &format!("GLP1:{}", "A".repeat(385)), 256),
            Err(WireError::TooLong { len: 385, max: 384 })
        );
    }

    #[test]
    fn base45_len_matches_the_encoder() {
        for n in 0..40usize {
            assert_eq!(base45::encode(vec![0xffu8; n]).len(), base45_len(n));
        }
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(to_hex(&[0x00, 0xab, 0xff]), "00abff");
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(s in ".{0,300}") {
            let _ = decode(PRESENTATION, &s, 1024);
        }

        #[test]
        fn round_trip(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            proptest::prop_assert_eq!(decode(PRESENTATION, &encode(PRESENTATION, &bytes), 400).unwrap(), bytes);
        }

        /// The argument of the module documentation: canonical base45 never ends in a space,
        /// so trimming cannot change what a text decodes to.
        #[test]
        fn canonical_base45_never_ends_in_white_space(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..64)) {
            let t = base45::encode(&bytes);
            proptest::prop_assert!(!t.ends_with(' '));
        }
    }
}
