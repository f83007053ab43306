//! Key identifiers and strict key parsing.
//!
//! The derivations themselves (truncated, labelled SHA-512) are `greenlight_wire::ids`; this
//! module applies them to typed Ed25519 keys.

use ed25519_dalek::VerifyingKey;
use greenlight_wire::{ids, text::to_hex};

use crate::error::ProtocolError;
use crate::lengths::{AUTHORITY_KEY_ID_LEN, ED25519_PUBLIC_KEY};

pub use greenlight_wire::ids::issuer_key_id;

/// The id a ticket carries to name the authority key that signed it
/// ([`greenlight_wire::ids::authority_key_id`]).
pub fn authority_key_id(key: &VerifyingKey) -> [u8; AUTHORITY_KEY_ID_LEN] {
    ids::authority_key_id(key.as_bytes())
}

/// The root key's fingerprint for humans to compare and pin: 32 lowercase hex characters
/// ([`greenlight_wire::ids::root_fingerprint`]).
pub fn root_fingerprint(key: &VerifyingKey) -> String {
    to_hex(&ids::root_fingerprint(key.as_bytes()))
}

/// Parses an Ed25519 public key strictly: the encoding must be canonical (`y < p`, no
/// "negative zero") and the point must not be of small order. `VerifyingKey::from_bytes`
/// alone accepts non-canonical encodings, which would give one key several byte forms (and
/// so several key ids and fingerprints); a small-order key lets anyone forge signatures.
pub fn verifying_key_from_bytes(
    bytes: &[u8; ED25519_PUBLIC_KEY],
) -> Result<VerifyingKey, ProtocolError> {
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| ProtocolError::InvalidVerifyingKey)?;
    if key.is_weak() || key.to_edwards().compress().to_bytes() != *bytes {
        return Err(ProtocolError::InvalidVerifyingKey);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    #[test]
    fn ids_are_domain_separated() {
        let key = SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        let a = authority_key_id(&key);
        let i = issuer_key_id(key.as_bytes());
        assert_ne!(a, i);
        let fp = root_fingerprint(&key);
        assert_eq!(fp.len(), 32);
        assert!(fp
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }

    #[test]
    fn strict_key_parsing() {
        let key = SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        assert_eq!(verifying_key_from_bytes(key.as_bytes()), Ok(key));
        // The identity (y = 1) is of small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            verifying_key_from_bytes(&identity),
            Err(ProtocolError::InvalidVerifyingKey)
        );
        // y = p + 1 is a non-canonical encoding of the identity; y = p + 2 non-canonical too.
        // p = 2^255 - 19: little-endian ed ff .. ff 7f.
        let mut p_plus = [0xffu8; 32];
        p_plus[31] = 0x7f;
        p_plus[0] = 0xee; // p + 1
        assert_eq!(
            verifying_key_from_bytes(&p_plus),
            Err(ProtocolError::InvalidVerifyingKey)
        );
        // A canonical key with the sign bit flipped on an x = 0 point ("negative zero").
        let mut neg_zero = identity;
        neg_zero[31] |= 0x80;
        assert_eq!(
            verifying_key_from_bytes(&neg_zero),
            Err(ProtocolError::InvalidVerifyingKey)
        );
    }

    #[test]
    fn non_canonical_encoding_of_a_good_point_is_rejected() {
        // For small y, y + p encodes the same point as y. Find such y whose point is a usable
        // key and check the canonical form parses while the non-canonical one does not.
        let mut found = 0;
        for y in 2u8..19 {
            let mut canonical = [0u8; 32];
            canonical[0] = y;
            let Ok(key) = VerifyingKey::from_bytes(&canonical) else {
                continue;
            };
            if key.is_weak() {
                continue;
            }
            assert!(verifying_key_from_bytes(&canonical).is_ok());
            // y + p = y + 2^255 - 19, little-endian: low byte y - 19 + 256, borrow through.
            let mut alias = [0xffu8; 32];
            alias[31] = 0x7f;
            alias[0] = y.wrapping_sub(19);
            assert!(
                VerifyingKey::from_bytes(&alias).is_ok(),
                "dalek accepts the alias"
            );
            assert_eq!(
                verifying_key_from_bytes(&alias),
                Err(ProtocolError::InvalidVerifyingKey)
            );
            found += 1;
        }
        assert!(found > 0);
    }
}
