//! A bounds-checked reader and a writer for wire format v1.
//!
//! "Parse, don't validate" (rustls): the reader hands out only validated values — canonical
//! scalars, points that decompress and are not the identity — so a codec cannot forget a
//! check, and no slice index can panic on hostile input.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;

use crate::{lengths, WireError};

/// Reads fields off a byte slice, front to back.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// Read and check the `[version, tag]` header; only v1 exists so far.
    pub fn header(&mut self, tag: u8) -> Result<(), WireError> {
        let version = self.u8()?;
        if version != crate::VERSION_1 {
            return Err(WireError::UnsupportedVersion(version));
        }
        let found = self.u8()?;
        if found != tag {
            return Err(WireError::WrongType {
                expected: tag,
                found,
            });
        }
        Ok(())
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if self.bytes.len() < n {
            return Err(WireError::Truncated);
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }

    pub fn u16(&mut self) -> Result<u16, WireError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub fn u32(&mut self) -> Result<u32, WireError> {
        Ok(u32::from_be_bytes(self.array()?))
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

/// Appends fields to a byte vector.
#[derive(Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub fn with_header(tag: u8, capacity: usize) -> Self {
        let mut bytes = Vec::with_capacity(capacity.max(lengths::HEADER));
        bytes.push(crate::VERSION_1);
        bytes.push(tag);
        Self { bytes }
    }
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(b);
        self
    }
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes.push(v);
        self
    }
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
    pub fn scalar(&mut self, s: &Scalar) -> &mut Self {
        self.bytes(s.as_bytes())
    }
    pub fn point(&mut self, p: &CompressedRistretto) -> &mut Self {
        self.bytes(p.as_bytes())
    }
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
}
