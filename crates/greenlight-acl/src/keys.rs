//! Issuer keys: secret `x`, public `y = x·g`, tag generator `z = H2G(label ‖ y)`, key id.

use core::fmt;

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::generators::{generators, tag_generator};

/// 8-byte key identifier ([`greenlight_wire::ids::issuer_key_id`]). Names the key in key
/// lists and presentations; collisions are rejected by the key list, not relied upon here.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}
impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// The issuer's secret `x`. Zeroized on drop; deliberately not `Debug`, `Clone` or `Copy`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct IssuerSecretKey {
    x: Scalar,
}

impl IssuerSecretKey {
    pub(crate) fn x(&self) -> &Scalar {
        &self.x
    }
    /// The 32 secret bytes, for the server's key file only.
    pub fn to_bytes(&self) -> zeroize::Zeroizing<[u8; 32]> {
        zeroize::Zeroizing::new(self.x.to_bytes())
    }
}

/// An issuer public key as holders and venues use it.
#[derive(Clone)]
pub struct IssuerPublicKey {
    pub(crate) y: RistrettoPoint,
    pub(crate) y_compressed: CompressedRistretto,
    pub(crate) z: RistrettoPoint,
    pub(crate) key_id: KeyId,
}

impl fmt::Debug for IssuerPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IssuerPublicKey({})", self.key_id)
    }
}

impl PartialEq for IssuerPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.y_compressed == other.y_compressed
    }
}
impl Eq for IssuerPublicKey {}

impl IssuerPublicKey {
    /// Build from `y`'s compressed encoding: canonical, not the identity. `z` and the key id
    /// are always recomputed here, never taken from anyone.
    pub fn from_compressed(y_bytes: &[u8; 32]) -> Option<Self> {
        let y_compressed = CompressedRistretto(*y_bytes);
        let y = y_compressed.decompress()?;
        if y.is_identity() {
            return None;
        }
        Some(Self::from_point(y))
    }

    fn from_point(y: RistrettoPoint) -> Self {
        let y_compressed = y.compress();
        let z = tag_generator(y_compressed.as_bytes());
        Self {
            y,
            y_compressed,
            z,
            key_id: KeyId(greenlight_wire::ids::issuer_key_id(y_compressed.as_bytes())),
        }
    }

    pub fn key_id(&self) -> KeyId {
        self.key_id
    }
    pub fn y(&self) -> &RistrettoPoint {
        &self.y
    }
    pub fn y_bytes(&self) -> [u8; 32] {
        self.y_compressed.to_bytes()
    }
    pub fn z(&self) -> &RistrettoPoint {
        &self.z
    }
}

/// The issuer's key pair, with a constant-time table for `z` (the issuer multiplies `z` by
/// a secret once per token).
pub struct IssuerKeyPair {
    secret: IssuerSecretKey,
    public: IssuerPublicKey,
    z_table: RistrettoBasepointTable,
}

impl IssuerKeyPair {
    pub fn generate_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        loop {
            let x = Scalar::random(rng);
            if x != Scalar::ZERO {
                return Self::from_scalar(x);
            }
        }
    }

    /// Restore from the 32 secret bytes (server key file). Rejects non-canonical and zero.
    pub fn from_secret_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let x: Option<Scalar> = Scalar::from_canonical_bytes(*bytes).into();
        x.filter(|x| *x != Scalar::ZERO).map(Self::from_scalar)
    }

    fn from_scalar(x: Scalar) -> Self {
        let y = generators().g_table() * &x;
        let public = IssuerPublicKey::from_point(y);
        let z_table = RistrettoBasepointTable::create(&public.z);
        Self {
            secret: IssuerSecretKey { x },
            public,
            z_table,
        }
    }

    pub fn public(&self) -> &IssuerPublicKey {
        &self.public
    }
    pub fn secret(&self) -> &IssuerSecretKey {
        &self.secret
    }
    pub(crate) fn z_table(&self) -> &RistrettoBasepointTable {
        &self.z_table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn secret_round_trip_and_rejections() {
        let kp = IssuerKeyPair::generate_with_rng(&mut ChaCha20Rng::seed_from_u64(1));
        let back = IssuerKeyPair::from_secret_bytes(&kp.secret().to_bytes()).unwrap();
        assert_eq!(back.public(), kp.public());
        assert!(IssuerKeyPair::from_secret_bytes(&[0u8; 32]).is_none());
        assert!(IssuerKeyPair::from_secret_bytes(&[0xff; 32]).is_none());
        assert!(IssuerPublicKey::from_compressed(&[0u8; 32]).is_none());
        let pk = IssuerPublicKey::from_compressed(&kp.public().y_bytes()).unwrap();
        assert_eq!(pk.key_id(), kp.public().key_id());
        assert_eq!(pk.z(), kp.public().z());
    }
}
