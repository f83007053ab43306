//! Travel history: the set of regions a subject visited, as the authority attests it.

use core::fmt;
use core::str::FromStr;

use greenlight_wire::{Reader, Writer};

use crate::error::ProtocolError;
use crate::lengths::{MAX_TRAVEL_CODES, REGION_CODE_LEN, TRAVEL_SLOT_BITS};

/// One region code: exactly two ASCII uppercase letters (ISO 3166-1 alpha-2 style, e.g. `SG`).
///
/// Only the shape is checked, not membership in the ISO list: the list changes over time and a
/// verifier that disagrees with the issuer about it must not reject a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode([u8; REGION_CODE_LEN]);

impl RegionCode {
    /// Accepts exactly two bytes in `b'A'..=b'Z'`.
    pub fn new(bytes: [u8; REGION_CODE_LEN]) -> Result<Self, ProtocolError> {
        if bytes.iter().all(u8::is_ascii_uppercase) {
            Ok(RegionCode(bytes))
        } else {
            Err(ProtocolError::InvalidRegionCode)
        }
    }

    /// The two ASCII bytes.
    pub fn as_bytes(&self) -> [u8; REGION_CODE_LEN] {
        self.0
    }

    /// The code as a `&str` (always two ASCII uppercase letters).
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII uppercase by construction, so this never takes the fallback.
        core::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The slot value of the packed scalar: `(c1 − 'A')·26 + (c2 − 'A') + 1`, in `1..=676`
    /// (0 is reserved for an empty slot).
    pub fn slot_value(&self) -> u16 {
        let [c1, c2] = self.0;
        u16::from(c1 - b'A') * 26 + u16::from(c2 - b'A') + 1
    }
}

impl FromStr for RegionCode {
    type Err = ProtocolError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes: [u8; REGION_CODE_LEN] = s
            .as_bytes()
            .try_into()
            .map_err(|_| ProtocolError::InvalidRegionCode)?;
        RegionCode::new(bytes)
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The set of regions visited: at most [`MAX_TRAVEL_CODES`] codes, always kept **sorted and
/// deduplicated**. A list in the order the authority happened to enter it could single a person
/// out (two people with the same regions but different orders would look different), so only
/// the set exists, and its only encoding is the sorted one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TravelHistory {
    codes: Vec<RegionCode>,
}

impl TravelHistory {
    /// No travel.
    pub fn empty() -> Self {
        TravelHistory::default()
    }

    /// Sorts and deduplicates `codes`; fails if more than [`MAX_TRAVEL_CODES`] distinct remain.
    pub fn new(codes: impl IntoIterator<Item = RegionCode>) -> Result<Self, ProtocolError> {
        let mut codes: Vec<RegionCode> = codes.into_iter().collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.len() > MAX_TRAVEL_CODES {
            return Err(ProtocolError::TooManyRegionCodes(codes.len()));
        }
        Ok(TravelHistory { codes })
    }

    /// The codes, sorted ascending.
    pub fn codes(&self) -> &[RegionCode] {
        &self.codes
    }

    /// Number of distinct regions.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether no region is listed.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Whether `code` is in the set.
    pub fn contains(&self, code: RegionCode) -> bool {
        self.codes.binary_search(&code).is_ok()
    }

    /// Packs the set into the 32-byte little-endian encoding of the integer
    /// `Σ_j slot_j · 2^(10·j)` over the sorted codes (`slot` = [`RegionCode::slot_value`];
    /// unused slots are 0). It is the credential's travel attribute.
    ///
    /// 24 slots × 10 bits = 240 bits < 2^252, so the result is always a canonical
    /// ristretto255 scalar. Keeping one code per fixed 10-bit slot (instead of, say, a hash)
    /// leaves room for a later "did not travel to X" proof: a slot-wise inequality
    /// `slot_j ≠ code(X)` for every `j`, proven on the committed value without revealing it.
    pub fn encode_scalar_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (j, code) in self.codes.iter().enumerate() {
            let offset = j * TRAVEL_SLOT_BITS;
            let shifted = u32::from(code.slot_value()) << (offset % 8);
            for (k, byte) in shifted.to_le_bytes().iter().take(3).enumerate() {
                if let Some(slot) = out.get_mut(offset / 8 + k) {
                    *slot |= byte;
                }
            }
        }
        out
    }

    /// Wire form: `u8` count, then `count × 2` ASCII bytes in ascending order.
    pub(crate) fn write(&self, w: &mut Writer) {
        // At most MAX_TRAVEL_CODES (24) by construction.
        w.u8(u8::try_from(self.codes.len()).unwrap_or(u8::MAX));
        for code in &self.codes {
            w.bytes(&code.0);
        }
    }

    /// Reads the wire form, rejecting unsorted or repeated codes (a set has one encoding).
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, ProtocolError> {
        let count = usize::from(r.u8()?);
        if count > MAX_TRAVEL_CODES {
            return Err(ProtocolError::TooManyRegionCodes(count));
        }
        let mut codes = Vec::with_capacity(count);
        for _ in 0..count {
            let code = RegionCode::new(r.array()?)?;
            if codes.last().is_some_and(|prev| *prev >= code) {
                return Err(ProtocolError::UnsortedRegionCodes);
            }
            codes.push(code);
        }
        Ok(TravelHistory { codes })
    }
}

impl FromStr for TravelHistory {
    type Err = ProtocolError;

    /// Parses a comma-separated list such as `CN,HK,SG` (spaces around items are ignored; the
    /// empty string means no travel). Order and repeats do not matter.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().is_empty() {
            return Ok(TravelHistory::empty());
        }
        let codes = s
            .split(',')
            .map(|item| item.trim().parse::<RegionCode>())
            .collect::<Result<Vec<_>, _>>()?;
        TravelHistory::new(codes)
    }
}

impl fmt::Display for TravelHistory {
    /// Comma-separated, sorted, e.g. `CN,HK,SG`; empty for no travel.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, code) in self.codes.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(code.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn th(s: &str) -> TravelHistory {
        s.parse().unwrap()
    }

    #[test]
    fn parse_sorts_dedups_and_displays() {
        let t = th("SG, CN,HK,CN");
        assert_eq!(t.to_string(), "CN,HK,SG");
        assert_eq!(t.len(), 3);
        assert!(t.contains("HK".parse().unwrap()));
        assert!(!t.contains("US".parse().unwrap()));
        assert!(th("").is_empty());
        assert!(th("  ").is_empty());
    }

    #[test]
    fn parse_rejects_bad_codes() {
        for bad in [
            "cn", "C", "CHN", "C1", "CN,", ",CN", "CN,,HK", "ÄÖ", "C\u{0}",
        ] {
            assert_eq!(
                bad.parse::<TravelHistory>(),
                Err(ProtocolError::InvalidRegionCode),
                "{bad}"
            );
        }
    }

    #[test]
    fn limit_counts_distinct_codes() {
        let letters: Vec<String> = (b'A'..=b'Z').map(|c| format!("A{}", c as char)).collect();
        assert!(letters[..24].join(",").parse::<TravelHistory>().is_ok());
        let with_repeats = format!("{},AA,AB", letters[..24].join(","));
        assert_eq!(
            with_repeats.parse::<TravelHistory>().map(|t| t.len()),
            Ok(24)
        );
        assert_eq!(
            letters[..25].join(",").parse::<TravelHistory>(),
            Err(ProtocolError::TooManyRegionCodes(25))
        );
    }

    #[test]
    fn slot_values_span_1_to_676() {
        assert_eq!("AA".parse::<RegionCode>().unwrap().slot_value(), 1);
        assert_eq!("AB".parse::<RegionCode>().unwrap().slot_value(), 2);
        assert_eq!("BA".parse::<RegionCode>().unwrap().slot_value(), 27);
        assert_eq!("ZZ".parse::<RegionCode>().unwrap().slot_value(), 676);
    }

    #[test]
    fn scalar_packing_matches_the_formula() {
        assert_eq!(TravelHistory::empty().encode_scalar_bytes(), [0u8; 32]);
        // CN = 2*26+13+1 = 66, HK = 7*26+10+1 = 193, SG = 18*26+6+1 = 475.
        let t = th("SG,CN,HK");
        let expected: u128 = 66 + (193 << 10) + (475 << 20);
        let mut want = [0u8; 32];
        want[..16].copy_from_slice(&expected.to_le_bytes());
        assert_eq!(t.encode_scalar_bytes(), want);
    }

    #[test]
    fn full_packing_stays_below_2_pow_240() {
        // The 24 largest codes: every slot near 676; bits 240.. must stay zero.
        let codes: Vec<RegionCode> = (b'C'..=b'Z')
            .map(|c| RegionCode::new([b'Z', c]).unwrap())
            .collect();
        let t = TravelHistory::new(codes).unwrap();
        assert_eq!(t.len(), 24);
        let bytes = t.encode_scalar_bytes();
        assert!(bytes[30..].iter().all(|b| *b == 0));
        // Decode slot by slot and compare.
        for (j, code) in t.codes().iter().enumerate() {
            let mut v = 0u32;
            for bit in 0..10 {
                let pos = j * 10 + bit;
                v |= u32::from((bytes[pos / 8] >> (pos % 8)) & 1) << bit;
            }
            assert_eq!(v, u32::from(code.slot_value()));
        }
    }
}
