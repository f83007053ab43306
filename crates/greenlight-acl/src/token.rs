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
///
/// Fields are crate-private: a token is made by issuance ([`crate::issuance`]) or decoded
/// from the wallet's store ([`Token::from_bytes`]), and read through accessors. The openings
/// (`κ, rnd, R, k`) are secrets: only statement provers (`greenlight-circuits`) read them.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Token {
    #[zeroize(skip)]
    pub(crate) key_id: KeyId,
    pub(crate) attributes: Attributes,
    /// `κ = γ⁻¹`: un-blinds `ζ` to `z` and `ζ1` to `C + rnd·g`.
    pub(crate) kappa: Scalar,
    /// The issuer's per-session randomiser of `z1`.
    pub(crate) rnd: Scalar,
    /// Commitment randomness `R`.
    pub(crate) r: Scalar,
    /// Holder secret `k`.
    pub(crate) k: Scalar,
    #[zeroize(skip)]
    pub(crate) signature: AclSignature,
}

impl Token {
    /// The token id a venue sees and remembers: `Encode(ζ1)`.
    pub fn id(&self) -> TokenId {
        self.signature.token_id()
    }

    /// The issuer key the token was signed under.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The certified attributes (status, issuance hour, travel, subject). Personal data.
    pub fn attributes(&self) -> &Attributes {
        &self.attributes
    }

    /// The public part, shown to venues.
    pub fn signature(&self) -> &AclSignature {
        &self.signature
    }

    /// **Secret** `κ = γ⁻¹` (witness of a presentation; never shown, logged or sent).
    pub fn kappa(&self) -> &Scalar {
        &self.kappa
    }

    /// **Secret** `rnd`, the issuer's randomiser of `z1 = C + rnd·g` (witness).
    pub fn rnd(&self) -> &Scalar {
        &self.rnd
    }

    /// **Secret** commitment randomness `R` (witness).
    pub fn r(&self) -> &Scalar {
        &self.r
    }

    /// **Secret** holder key `k` (witness).
    pub fn k(&self) -> &Scalar {
        &self.k
    }

    /// Overwrite the attributes the holder *claims*, **for tests and demonstrations of
    /// forgery** (e.g. force a red token's status to green and check that the venue
    /// rejects its proof). The signature still covers the certified attributes, so a token
    /// changed here can no longer produce a presentation that verifies; this gives no
    /// capability a holder lacks anyway (the wallet store is the holder's own bytes, and
    /// `Token::from_bytes` accepts any claimed attributes). Hidden from the documentation:
    /// no production path has a reason to call it.
    #[doc(hidden)]
    pub fn attributes_mut_unchecked(&mut self) -> &mut Attributes {
        &mut self.attributes
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
