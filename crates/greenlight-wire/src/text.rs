//! The text form of a Greenlight object, for QR codes and clipboards: `PREFIX ‖ base45(bytes)`.
//!
//! Why base45 (RFC 9285, via the `base45` crate): its 45-character alphabet is exactly the
//! QR code *alphanumeric* mode, which stores 5.5 bits per character, so `n` bytes become
//! `1.5·n` characters costing `8.25·n` bits in the code — about 3 % over raw binary, but as
//! plain text that survives copy-and-paste, chat apps and terminals. The EU Digital COVID
//! Certificate made the same choice (`HC1:` + base45). Base64 in byte mode costs
//! `10.7·n` bits; hex in alphanumeric mode `11·n`.
//!
//! Prefixes name the object type *and* the format version, so a reader can reject the wrong
//! kind of code before decoding (a venue scanning a ticket by mistake gets a clear answer).

use crate::{lengths, WireError};

/// Text prefix of a presentation (`GLP1:`). The other prefixes belong to
/// `greenlight-protocol` (tickets `GLT1:`, venue codes `GLV1:`, key lists `GLK1:`).
pub const PRESENTATION_PREFIX: &str = "GLP1:";

/// `prefix ‖ base45(bytes)`.
pub fn encode(prefix: &str, bytes: &[u8]) -> String {
    let mut s = String::with_capacity(prefix.len() + bytes.len() * 3 / 2 + 2);
    s.push_str(prefix);
    s.push_str(&base45::encode(bytes));
    s
}

/// Strip `prefix` and decode base45. Surrounding white space is ignored (scanners and
/// terminals add new lines); anything else outside the alphabet is an error.
pub fn decode(prefix: &str, text: &str) -> Result<Vec<u8>, WireError> {
    if text.len() > lengths::MAX_TEXT {
        return Err(WireError::TooLong("text"));
    }
    let body = text
        .trim()
        .strip_prefix(prefix)
        .ok_or(WireError::BadText("wrong prefix"))?;
    let bytes = base45::decode(body).map_err(|_| WireError::BadText("invalid base45"))?;
    // The `base45` crate truncates an out-of-range final pair (e.g. "::" = 2024) to a byte
    // instead of rejecting it, so one object would have several texts. Re-encode and compare.
    if base45::encode(&bytes) != body {
        return Err(WireError::BadText("non-canonical base45"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let bytes: Vec<u8> = (0..=255).collect();
        let t = encode(PRESENTATION_PREFIX, &bytes);
        assert!(t.starts_with("GLP1:"));
        assert_eq!(decode(PRESENTATION_PREFIX, &t).unwrap(), bytes);
        assert_eq!(
            decode(PRESENTATION_PREFIX, &format!("  {t}\n")).unwrap(),
            bytes
        );
        assert!(decode("GLT1:", &t).is_err());
        assert!(decode(PRESENTATION_PREFIX, "GLP1:!!!").is_err());
        // Final pair "::" is 2024 > 255: base45 alone would truncate it to 0xe8.
        assert!(decode(PRESENTATION_PREFIX, "GLP1:::").is_err());
        assert!(decode(PRESENTATION_PREFIX, &"A".repeat(lengths::MAX_TEXT + 1)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(s in ".{0,300}") {
            let _ = decode(PRESENTATION_PREFIX, &s);
        }
        #[test]
        fn round_trip(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            proptest::prop_assert_eq!(decode(PRESENTATION_PREFIX, &encode(PRESENTATION_PREFIX, &bytes)).unwrap(), bytes);
        }
    }
}
