//! Identifiers derived from public keys: truncated SHA-512 hashes under labels from
//! [`crate::labels`], so an authority key id, an issuer key id and a root fingerprint of the
//! same 32 bytes are all different values. Each derivation is defined here once and used by
//! the credential crates, the protocol objects and the roles.

use sha2::{Digest, Sha512};

use crate::labels;
use crate::lengths::{
    AUTHORITY_KEY_ID_LEN, KEY_ID, KEY_LIST_DIGEST_LEN, POINT, ROOT_FINGERPRINT_LEN,
};

/// First `N` bytes of `SHA-512(label ‖ data)`.
fn labelled_hash<const N: usize>(label: &[u8], data: &[u8]) -> [u8; N] {
    let digest = Sha512::new()
        .chain_update(label)
        .chain_update(data)
        .finalize();
    let mut out = [0u8; N];
    out.copy_from_slice(&digest[..N]);
    out
}

/// The id of an issuer's ristretto255 public key: the first 8 bytes of
/// `SHA-512("greenlight/v1/key-id" ‖ compressed y)`. Key lists must carry exactly this id,
/// so a list cannot pair a familiar id with a different key.
pub fn issuer_key_id(y: &[u8; POINT]) -> [u8; KEY_ID] {
    labelled_hash(labels::KEY_ID, y)
}

/// The id a ticket carries to name the authority (Ed25519) key that signed it: the first 8
/// bytes of `SHA-512("greenlight/v1/authority-key-id" ‖ public key)`. It lets an issuer that
/// trusts several authority keys (rotation) pick the right one without trying each.
pub fn authority_key_id(public_key: &[u8; 32]) -> [u8; AUTHORITY_KEY_ID_LEN] {
    labelled_hash(labels::AUTHORITY_KEY_ID, public_key)
}

/// The root (Ed25519) key's fingerprint for humans to compare and pin: the first 16 bytes of
/// `SHA-512("greenlight/v1/root-fingerprint" ‖ public key)`, shown as 32 lowercase hex
/// characters. 128 bits is far beyond what a second-preimage search could reach, yet short
/// enough to read aloud or print.
pub fn root_fingerprint(public_key: &[u8; 32]) -> [u8; ROOT_FINGERPRINT_LEN] {
    labelled_hash(labels::ROOT_FINGERPRINT, public_key)
}

/// The digest of a key list that version-2 presentations bind (`docs/spec.md` §5.2, §7.3):
/// the first 32 bytes of `SHA-512("greenlight/v2/key-list-digest" ‖ signed)`, where `signed`
/// is every encoded byte of the list before its signature (header included) — the bytes the
/// root signs, so two encodings of one signed body have one digest.
pub fn key_list_digest(signed: &[u8]) -> [u8; KEY_LIST_DIGEST_LEN] {
    labelled_hash(labels::KEY_LIST_DIGEST, signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_domain_separated() {
        let key = [7u8; 32];
        let a = authority_key_id(&key);
        let i = issuer_key_id(&key);
        let f = root_fingerprint(&key);
        assert_ne!(a, i);
        assert_ne!(&f[..8], &a[..]);
        assert_ne!(&f[..8], &i[..]);
        assert_ne!(issuer_key_id(&[8u8; 32]), i);
    }
}
