//! Profiles and holder secrets.
//!
//! A profile is one person's tokens in a wallet: the family-proxy case (家人代办), where a
//! daughter keeps tokens for her elderly father in a profile `father`. Each profile has its own
//! holder secret `k`, created at random on first use, so tokens of different people never
//! share a secret (`docs/spec.md` §3).

use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use crate::error::WalletError;

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "self";
/// Longest profile name, in characters.
pub const MAX_PROFILE_CHARS: usize = 32;

/// Profile names: 1..=32 characters, no white space or control characters (they appear in
/// messages and must not be able to fake output lines).
pub fn validate_profile(name: &str) -> Result<(), WalletError> {
    let count = name.chars().count();
    if count == 0
        || count > MAX_PROFILE_CHARS
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(WalletError::BadProfile(name.chars().take(40).collect()));
    }
    Ok(())
}

/// A profile's holder secret `k`: a non-zero scalar, wiped on drop, never printed.
pub struct HolderSecret(Zeroizing<Scalar>);

impl HolderSecret {
    /// A fresh random secret.
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Self {
        loop {
            let s = Zeroizing::new(Scalar::random(rng));
            if *s != Scalar::ZERO {
                return HolderSecret(s);
            }
        }
    }

    /// A given non-zero scalar (tests and tools that fix the secret).
    pub fn from_scalar(s: Scalar) -> Option<Self> {
        (s != Scalar::ZERO).then(|| HolderSecret(Zeroizing::new(s)))
    }

    /// Parses the stored form (64 hex digits of a canonical, non-zero scalar).
    pub fn from_hex(text: &str) -> Result<Self, WalletError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text.trim(), bytes.as_mut())
            .map_err(|_| WalletError::Corrupt("invalid holder secret".into()))?;
        let scalar: Option<Scalar> = Scalar::from_canonical_bytes(*bytes).into();
        match scalar {
            Some(s) if s != Scalar::ZERO => Ok(HolderSecret(Zeroizing::new(s))),
            _ => Err(WalletError::Corrupt("invalid holder secret".into())),
        }
    }

    /// The stored form.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(Zeroizing::new(self.0.to_bytes()).as_slice()))
    }

    /// The scalar, for the issuance flow.
    pub fn scalar(&self) -> &Scalar {
        &self.0
    }
}

impl core::fmt::Debug for HolderSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HolderSecret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn profile_names() {
        for good in ["self", "father", "外婆", &"x".repeat(32)] {
            assert!(validate_profile(good).is_ok(), "{good}");
        }
        for bad in ["", "a b", "tab\t", "nl\n", "\u{7}", &"x".repeat(33)] {
            assert!(
                matches!(validate_profile(bad), Err(WalletError::BadProfile(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn holder_secrets_round_trip_and_reject_bad_forms() {
        let s = HolderSecret::generate(&mut ChaCha20Rng::seed_from_u64(1));
        let back = HolderSecret::from_hex(&s.to_hex()).unwrap();
        assert_eq!(back.scalar(), s.scalar());
        assert_eq!(format!("{s:?}"), "HolderSecret(…)");
        let zero = "00".repeat(32);
        let order_l = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
        for bad in [zero.as_str(), order_l, "zz", ""] {
            assert!(matches!(
                HolderSecret::from_hex(bad),
                Err(WalletError::Corrupt(_))
            ));
        }
    }
}
