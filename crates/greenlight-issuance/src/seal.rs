//! Issuance sessions sealed for a store that several issuer nodes share.
//!
//! With one node, an open session's secrets (`greenlight_acl::issuance::IssuerCommitted`)
//! live in that node's memory. With several nodes behind one address, `finish` may reach
//! another node than `start`, so the secrets must be in the shared database — and there they
//! must be **encrypted**: whoever reads a session's `u` and sees the holder's challenge `e`
//! and the answer `r = u − c·x` (`c = e − d`) computes the issuing key `x`. So the database
//! holds only this module's sealed form:
//!
//! ```text
//! seal key = HMAC-SHA-512(x, "greenlight/v1/store/session-seal")[0..32]
//! sealed   = version (0x01) ‖ nonce (24) ‖ XChaCha20-Poly1305(seal key, nonce,
//!            plaintext = IssuerCommitted::to_secret_bytes(),
//!            associated data = version ‖ session id (16) ‖ key id (8))
//! ```
//!
//! Why the key comes from the issuing secret `x` rather than the store key: the nodes already
//! share `x` (they all answer under it); a database copy together with `store.key` still
//! reveals no session, and only a holder of `x` — who needs no session to forge — can open
//! one. The associated data binds a sealed session to its id and key, so a database writer
//! cannot move one session's secrets under another id (or key) to have them answered twice.
//! The nonce is random (192 bits: no coordination between nodes needed).
//!
//! Single use is **not** this module's job: the store hands a sealed session out at most once
//! (a `DELETE … RETURNING`, `greenlight-store-pg`). Time and randomness are parameters.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use greenlight_acl::issuance::IssuerCommitted;
use greenlight_acl::IssuerKeyPair;
use greenlight_wire::labels;
use hmac::{Hmac, Mac};
use rand_core::{CryptoRng, RngCore};
use sha2::Sha512;
use zeroize::Zeroizing;

/// Bytes of a session id.
pub const SESSION_ID_LEN: usize = 16;
/// Version byte of the sealed form.
pub const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Why a sealed session does not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// Wrong version, wrong length, or the authentication failed (another key, another id,
    /// or altered bytes).
    #[error("the sealed session does not open under this issuing key and id")]
    Unauthentic,
    /// It opened, but the secrets inside do not decode (never from an honest node).
    #[error("the sealed session's contents are malformed")]
    Malformed,
}

/// The key sessions are sealed with, derived from the issuing key. (`XChaCha20Poly1305`
/// zeroizes its key on drop; the HMAC output it came from is zeroized here.)
pub struct SealKey {
    aead: XChaCha20Poly1305,
    key_id: [u8; 8],
}

impl SealKey {
    /// The seal key of `issuer`.
    pub fn new(issuer: &IssuerKeyPair) -> Self {
        let x = issuer.secret().to_bytes();
        // HMAC accepts any key length; the error arm cannot happen.
        let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(x.as_ref())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(labels::STORE_SESSION_SEAL);
        let mut out = Zeroizing::new([0u8; 64]);
        out.copy_from_slice(&mac.finalize().into_bytes());
        let aead = XChaCha20Poly1305::new_from_slice(&out[..32])
            .unwrap_or_else(|_| unreachable!("32 bytes is the key length"));
        SealKey {
            aead,
            key_id: issuer.public().key_id().0,
        }
    }

    fn aad(&self, id: &[u8; SESSION_ID_LEN]) -> [u8; 1 + SESSION_ID_LEN + 8] {
        let mut aad = [0u8; 1 + SESSION_ID_LEN + 8];
        aad[0] = SEAL_VERSION;
        aad[1..1 + SESSION_ID_LEN].copy_from_slice(id);
        aad[1 + SESSION_ID_LEN..].copy_from_slice(&self.key_id);
        aad
    }

    /// Seals `committed` for storage under session `id`.
    pub fn seal<R: RngCore + CryptoRng>(
        &self,
        id: &[u8; SESSION_ID_LEN],
        committed: &IssuerCommitted,
        rng: &mut R,
    ) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let plain = committed.to_secret_bytes();
        let aad = self.aad(id);
        let sealed = self
            .aead
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            // Encryption fails only for plaintexts beyond 256 GiB.
            .unwrap_or_else(|_| unreachable!("a session is a few KiB"));
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(SEAL_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`Self::seal`] made for the same `id` under the same issuing key.
    pub fn open(
        &self,
        id: &[u8; SESSION_ID_LEN],
        sealed: &[u8],
    ) -> Result<IssuerCommitted, SealError> {
        if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != SEAL_VERSION {
            return Err(SealError::Unauthentic);
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        let aad = self.aad(id);
        let plain = Zeroizing::new(
            self.aead
                .decrypt(
                    XNonce::from_slice(nonce),
                    Payload {
                        msg: body,
                        aad: &aad,
                    },
                )
                .map_err(|_| SealError::Unauthentic)?,
        );
        let committed =
            IssuerCommitted::from_secret_bytes(&plain).map_err(|_| SealError::Malformed)?;
        if committed.key_id().0 != self.key_id {
            return Err(SealError::Malformed);
        }
        Ok(committed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::scalar::Scalar;
    use greenlight_acl::issuance::{HolderRequest, IssuerSession};
    use greenlight_acl::Attributes;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn session(key: &IssuerKeyPair, rng: &mut ChaCha20Rng) -> IssuerCommitted {
        let (_, msg1) =
            HolderRequest::new_with_rng(key.public(), b"ticket", &Scalar::from(7u64), 2, rng)
                .unwrap();
        let attrs = Attributes {
            status: 1,
            time_hours: 1,
            travel: Scalar::ZERO,
            subject: Scalar::ONE,
        };
        IssuerSession::commit_with_rng(key, b"ticket", attrs, &msg1, rng)
            .unwrap()
            .0
    }

    #[test]
    fn seals_open_only_under_their_key_and_id() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let key = IssuerKeyPair::generate_with_rng(&mut rng);
        let other = IssuerKeyPair::generate_with_rng(&mut rng);
        let committed = session(&key, &mut rng);
        let seal = SealKey::new(&key);
        let id = [9u8; SESSION_ID_LEN];
        let sealed = seal.seal(&id, &committed, &mut rng);
        // A fresh nonce each time: two seals of one session differ.
        assert_ne!(sealed, seal.seal(&id, &committed, &mut rng));
        let opened = seal.open(&id, &sealed).unwrap();
        assert_eq!(*opened.to_secret_bytes(), *committed.to_secret_bytes());
        // The secrets are not in the sealed bytes.
        let plain = committed.to_secret_bytes();
        assert!(!sealed.windows(32).any(|w| w == &plain[9..41]));

        assert!(matches!(
            seal.open(&[8u8; SESSION_ID_LEN], &sealed),
            Err(SealError::Unauthentic)
        ));
        assert!(matches!(
            SealKey::new(&other).open(&id, &sealed),
            Err(SealError::Unauthentic)
        ));
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(seal.open(&id, &bad).is_err(), "byte {i}");
        }
        for cut in 0..sealed.len() {
            assert!(seal.open(&id, &sealed[..cut]).is_err(), "cut {cut}");
        }
    }

    #[test]
    fn the_seal_key_depends_on_the_issuing_key_only() {
        let mut rng = ChaCha20Rng::seed_from_u64(6);
        let key = IssuerKeyPair::generate_with_rng(&mut rng);
        let committed = session(&key, &mut rng);
        let id = [1u8; SESSION_ID_LEN];
        let sealed = SealKey::new(&key).seal(&id, &committed, &mut rng);
        // Another node with the same issuer.key opens it.
        let same = IssuerKeyPair::from_secret_bytes(&key.secret().to_bytes()).unwrap();
        assert!(SealKey::new(&same).open(&id, &sealed).is_ok());
    }
}
