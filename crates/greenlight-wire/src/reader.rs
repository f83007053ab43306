//! The one bounds-checked reader and writer of wire format v1.
//!
//! "Parse, don't validate" (rustls): the reader hands out only validated values — canonical
//! scalars, points that decompress and are not the identity, strings that obey the string
//! rule — so a codec cannot forget a check, and no slice index can panic on hostile input.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;

use crate::{lengths, StringProblem, WireError};

/// Reads fields off a byte slice, front to back.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`, positioned at the start (no header check).
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// A reader for one whole object: checks the overall length bound *before* reading
    /// anything, then the `[version, tag]` header, and is positioned after it.
    pub fn object(bytes: &'a [u8], tag: u8, max_len: usize) -> Result<Self, WireError> {
        Self::versioned_object(bytes, tag, &[crate::VERSION_1], max_len).map(|(r, _)| r)
    }

    /// [`Reader::object`] for an object that exists in several `versions`: also returns the
    /// version read.
    pub fn versioned_object(
        bytes: &'a [u8],
        tag: u8,
        versions: &[u8],
        max_len: usize,
    ) -> Result<(Self, u8), WireError> {
        if bytes.len() > max_len {
            return Err(WireError::TooLong {
                len: bytes.len(),
                max: max_len,
            });
        }
        let mut r = Self::new(bytes);
        let version = r.versioned_header(tag, versions)?;
        Ok((r, version))
    }

    /// Read and check a version-1 `[version, tag]` header.
    pub fn header(&mut self, tag: u8) -> Result<(), WireError> {
        self.versioned_header(tag, &[crate::VERSION_1]).map(|_| ())
    }

    /// Read and check a `[version, tag]` header whose version is one of `versions`; returns
    /// the version. The version is checked first: a newer object of any type reads as
    /// "unsupported version", so the reader can say "update" rather than "wrong type".
    pub fn versioned_header(&mut self, tag: u8, versions: &[u8]) -> Result<u8, WireError> {
        let version = self.u8()?;
        if !versions.contains(&version) {
            return Err(WireError::UnsupportedVersion(version));
        }
        let found = self.u8()?;
        if found != tag {
            return Err(WireError::WrongType {
                expected: tag,
                found,
            });
        }
        Ok(version)
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if self.bytes.len() < n {
            return Err(WireError::Truncated);
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, WireError> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    /// A big-endian `u16`.
    pub fn u16(&mut self) -> Result<u16, WireError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// A big-endian `u32`.
    pub fn u32(&mut self) -> Result<u32, WireError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A big-endian `u64`.
    pub fn u64(&mut self) -> Result<u64, WireError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// A boolean byte: exactly 0 or 1 (one value, one encoding).
    pub fn bool(&mut self) -> Result<bool, WireError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(WireError::InvalidBool(other)),
        }
    }

    /// A `u8`-length-prefixed string, checked with [`validate_string`]. The length is checked
    /// against `max` before anything is read.
    pub fn string(
        &mut self,
        field: &'static str,
        min: usize,
        max: usize,
    ) -> Result<String, WireError> {
        let len = usize::from(self.u8()?);
        check_len(field, len, min, max)?;
        let raw = self.take(len)?;
        let s = core::str::from_utf8(raw).map_err(|_| WireError::InvalidString {
            field,
            problem: StringProblem::NotUtf8,
        })?;
        validate_string(field, s, min, max)?;
        Ok(s.to_owned())
    }

    /// A canonical scalar (`< ℓ`).
    pub fn scalar(&mut self) -> Result<Scalar, WireError> {
        Option::from(Scalar::from_canonical_bytes(self.array()?))
            .ok_or(WireError::NonCanonicalScalar)
    }

    /// A canonical, non-identity point, returned both compressed (for transcripts) and
    /// decompressed (for arithmetic), so nobody pays for the conversion twice.
    pub fn point(&mut self) -> Result<(CompressedRistretto, RistrettoPoint), WireError> {
        let compressed = CompressedRistretto(self.array()?);
        let point = compressed.decompress().ok_or(WireError::InvalidPoint)?;
        if point.is_identity() {
            return Err(WireError::IdentityPoint);
        }
        Ok((compressed, point))
    }

    /// A point that must be canonical and non-identity but that will only be used in
    /// compressed form by the caller (checked now so that decoding alone rejects it).
    pub fn checked_compressed_point(&mut self) -> Result<CompressedRistretto, WireError> {
        Ok(self.point()?.0)
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// Finish decoding: any byte left over is an error (one object, one encoding).
    pub fn finish(self) -> Result<(), WireError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(WireError::TrailingBytes(self.bytes.len()))
        }
    }
}

fn check_len(field: &'static str, len: usize, min: usize, max: usize) -> Result<(), WireError> {
    let problem = if len < min {
        StringProblem::TooShort
    } else if len > max {
        StringProblem::TooLong
    } else {
        return Ok(());
    };
    Err(WireError::InvalidString { field, problem })
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

/// Characters that display as nothing (or as a line break the field cannot have): the zero
/// width space, non-joiner and joiner (U+200B–U+200D), the line and paragraph separators
/// (U+2028, U+2029) and the zero width no-break space / byte order mark (U+FEFF). Two names
/// that differ only by one of them look identical on a screen — `CN-GD` and `CN-GD` followed
/// by U+200B are two issuers to a verifier and one to a person — so an issuer could publish
/// look-alike entries, or a venue a name that hides a break.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
    )
}

/// The rule for every human-readable string field: `min..=max` UTF-8 bytes, no control
/// characters (C0, DEL, C1) nor bidirectional formatting characters, and no invisible
/// characters ([`StringProblem::InvisibleCharacter`]: U+200B–U+200D, U+2028, U+2029, U+FEFF).
/// They are rejected because these strings are shown on door-attendant screens and written to
/// terminals, where they could hide or fake text, or make two different names look the same.
pub fn validate_string(
    field: &'static str,
    s: &str,
    min: usize,
    max: usize,
) -> Result<(), WireError> {
    check_len(field, s.len(), min, max)?;
    if s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(WireError::InvalidString {
            field,
            problem: StringProblem::ControlCharacter,
        });
    }
    if s.chars().any(is_invisible) {
        return Err(WireError::InvalidString {
            field,
            problem: StringProblem::InvisibleCharacter,
        });
    }
    Ok(())
}

/// Appends fields to a byte vector, in wire order.
#[derive(Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// Starts an object with `[VERSION_1, tag]`.
    pub fn with_header(tag: u8, capacity: usize) -> Self {
        Self::with_versioned_header(crate::VERSION_1, tag, capacity)
    }
    /// Starts an object with `[version, tag]`.
    pub fn with_versioned_header(version: u8, tag: u8, capacity: usize) -> Self {
        let mut bytes = Vec::with_capacity(capacity.max(lengths::HEADER));
        bytes.push(version);
        bytes.push(tag);
        Self { bytes }
    }
    /// Raw bytes.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(b);
        self
    }
    /// One byte.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes.push(v);
        self
    }
    /// A big-endian `u16`.
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
    /// A big-endian `u32`.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
    /// A big-endian `u64`.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
    /// A boolean as one byte, 0 or 1.
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.u8(u8::from(v))
    }
    /// A string already validated against its bounds (all bounds are ≤ 255), as `u8` length +
    /// UTF-8 bytes. Constructors validate lengths; this saturates rather than panics if that
    /// invariant ever broke (the decoder would then reject the object).
    pub fn string(&mut self, s: &str) -> &mut Self {
        let len = u8::try_from(s.len()).unwrap_or(u8::MAX);
        self.u8(len);
        self.bytes(s.as_bytes().get(..usize::from(len)).unwrap_or_default())
    }
    /// A canonical scalar.
    pub fn scalar(&mut self, s: &Scalar) -> &mut Self {
        self.bytes(s.as_bytes())
    }
    /// A compressed point.
    pub fn point(&mut self, p: &CompressedRistretto) -> &mut Self {
        self.bytes(p.as_bytes())
    }
    /// The encoding.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_COMPRESSED;

    #[test]
    fn rejects_non_canonical_scalar_and_points() {
        // ℓ itself is not canonical.
        let l: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        assert_eq!(Reader::new(&l).scalar(), Err(WireError::NonCanonicalScalar));
        assert_eq!(
            Reader::new(&[0u8; 32]).point().err(),
            Some(WireError::IdentityPoint)
        );
        assert_eq!(
            Reader::new(&[0xffu8; 32]).point().err(),
            Some(WireError::InvalidPoint)
        );
        assert!(Reader::new(RISTRETTO_BASEPOINT_COMPRESSED.as_bytes())
            .point()
            .is_ok());
        assert_eq!(
            Reader::new(&[1u8; 31]).point().err(),
            Some(WireError::Truncated)
        );
    }

    #[test]
    fn header_and_trailing_bytes() {
        assert_eq!(
            Reader::new(&[2, 1]).header(1),
            Err(WireError::UnsupportedVersion(2))
        );
        assert_eq!(
            Reader::new(&[1, 2]).header(1),
            Err(WireError::WrongType {
                expected: 1,
                found: 2
            })
        );
        let mut r = Reader::new(&[1, 1, 9]);
        r.header(1).unwrap();
        assert_eq!(r.finish(), Err(WireError::TrailingBytes(1)));
    }

    #[test]
    fn object_checks_length_before_header() {
        assert_eq!(
            Reader::object(&[1, 1, 0, 0], 1, 3).err(),
            Some(WireError::TooLong { len: 4, max: 3 })
        );
        assert!(Reader::object(&[1, 1, 0], 1, 3).is_ok());
        assert_eq!(Reader::new(&[2]).bool(), Err(WireError::InvalidBool(2)));
        let mut w = Writer::with_header(9, 0);
        w.u64(7).bool(true).string("hé");
        let bytes = w.into_bytes();
        let mut r = Reader::object(&bytes, 9, 64).unwrap();
        assert_eq!(r.u64(), Ok(7));
        assert_eq!(r.bool(), Ok(true));
        assert_eq!(r.string("f", 1, 8).as_deref(), Ok("hé"));
        assert_eq!(r.finish(), Ok(()));
    }

    #[test]
    fn string_bounds_are_checked_before_reading() {
        // Claims 200 bytes but the field allows 8: rejected as too long, not as truncated.
        assert_eq!(
            Reader::new(&[200]).string("f", 1, 8),
            Err(WireError::InvalidString {
                field: "f",
                problem: StringProblem::TooLong
            })
        );
        assert_eq!(
            Reader::new(&[0]).string("f", 1, 8),
            Err(WireError::InvalidString {
                field: "f",
                problem: StringProblem::TooShort
            })
        );
        assert_eq!(
            Reader::new(&[2, 0xc3, 0x28]).string("f", 1, 8),
            Err(WireError::InvalidString {
                field: "f",
                problem: StringProblem::NotUtf8
            })
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
                Err(WireError::InvalidString {
                    field: "f",
                    problem: StringProblem::ControlCharacter
                }),
                "{bad:?}"
            );
        }
        for good in ["Café 3/F", "深圳湾", "a b", "\u{00A0}x"] {
            assert_eq!(validate_string("f", good, 1, 64), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn invisible_characters_are_rejected_at_decode() {
        for c in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2028}', '\u{2029}', '\u{FEFF}',
        ] {
            for bad in [
                format!("CN-GD{c}"),
                format!("{c}x"),
                format!("a{c}b"),
                c.to_string(),
            ] {
                let problem = WireError::InvalidString {
                    field: "f",
                    problem: StringProblem::InvisibleCharacter,
                };
                assert_eq!(
                    validate_string("f", &bad, 1, 64),
                    Err(problem.clone()),
                    "{bad:?}"
                );
                // The reader applies the same rule to every string field it decodes.
                let mut bytes = vec![bad.len() as u8];
                bytes.extend_from_slice(bad.as_bytes());
                assert_eq!(
                    Reader::new(&bytes).string("f", 1, 64),
                    Err(problem),
                    "{bad:?}"
                );
            }
        }
        // Neighbours stay allowed: U+200A HAIR SPACE is visible white space, U+2027 a
        // hyphenation point, U+FEFE an Arabic presentation form.
        for good in ["a\u{200A}b", "a\u{2027}b", "\u{FEFE}"] {
            assert_eq!(validate_string("f", good, 1, 64), Ok(()), "{good:?}");
        }
    }
}
