//! What a wallet keeps per token: the signature and every opening needed to prove statements
//! about the hidden attributes. Secret; zeroized on drop; never shown.

use curve25519_dalek::scalar::Scalar;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::attributes::Attributes;
use crate::keys::KeyId;
use crate::signature::AclSignature;

/// The token id a venue sees and remembers: `ζ1`'s encoding.
pub type TokenId = [u8; 32];

/// A one-show token with its openings.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Token {
    #[zeroize(skip)]
    pub key_id: KeyId,
    pub attributes: Attributes,
    /// `κ = γ⁻¹`: un-blinds `ζ` to `z` and `ζ1` to `C + rnd·g`.
    pub kappa: Scalar,
    /// The issuer's per-session randomiser of `z1`.
    pub rnd: Scalar,
    /// Commitment randomness `R`.
    pub r: Scalar,
    /// Holder secret `k`.
    pub k: Scalar,
    #[zeroize(skip)]
    pub signature: AclSignature,
}

impl Token {
    pub fn id(&self) -> TokenId {
        self.signature.zeta1_compressed.to_bytes()
    }
}

impl core::fmt::Debug for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print openings or attributes.
        write!(
            f,
            "Token(key {}, id {:02x?}…)",
            self.key_id,
            &self.id()[..4]
        )
    }
}
