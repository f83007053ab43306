//! What the protocol objects add to the shared codec of `greenlight-wire`: the canonical-form
//! check of Ed25519 signatures (the reader, writer, string rule and text form all live in
//! `greenlight-wire`).

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
}
