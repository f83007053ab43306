//! Issuance sessions sealed for a store that several issuer nodes share.
//!
//! With one node, an open session's secrets ([`IssuerCommitted`]) live in that node's memory.
//! With several nodes behind one address, `finish` may reach another node than `start`, so
//! the secrets must be in the shared database — and there they must be **encrypted**: whoever
//! reads a session's `u` and sees the holder's challenge `e` and the answer `r = u − c·x`
//! (`c = e − d`) computes the issuing key `x`. The database holds only this module's sealed
//! form, and this module is the **only** way to take the secrets out of an
//! [`IssuerCommitted`] (there is no plain export: the type stays answerable once per seal):
//!
//! ```text
//! seal key = HMAC-SHA-512(x, "greenlight/v1/store/session-seal")[0..32]
//! aad      = version (0x01) ‖ session id (16) ‖ key id (8) ‖ u64be(expires_at)
//! sealed   = version (0x01) ‖ nonce (24) ‖ XChaCha20-Poly1305(seal key, nonce, secrets, aad)
//! secrets  = key_id (8) ‖ n (u8) ‖ n × (u ‖ s1 ‖ s2 ‖ d)     (scalars, canonical)
//! ```
//!
//! Why the key comes from the issuing secret `x` rather than the store key: the nodes already
//! share `x` (they all answer under it); a database copy together with `store.key` still
//! reveals no session, and only a holder of `x` — who needs no session to forge — can open
//! one. The associated data binds a sealed session to its id, key and expiry, so a database
//! writer cannot move one session's secrets under another id or key, nor extend its life. It
//! cannot stop a writer from putting back a row that was already taken (within its expiry):
//! the database is trusted for integrity, as it is for revocations and quotas
//! (`docs/api.md`, "PostgreSQL store"). The nonce is random (192 bits: no coordination
//! between nodes).
//!
//! Single use is the store's job: it hands a sealed session out at most once (a `DELETE …
//! RETURNING`, `greenlight-store-pg`). Time and randomness are parameters.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use greenlight_wire::labels;
use hmac::{Hmac, Mac};
use rand_core::{CryptoRng, RngCore};
use sha2::Sha512;
use zeroize::Zeroizing;

use super::IssuerCommitted;
use crate::keys::{IssuerKeyPair, KeyId};

/// Bytes of a session id.
pub const SESSION_ID_LEN: usize = 16;
/// Version byte of the sealed form.
pub const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const AAD_LEN: usize = 1 + SESSION_ID_LEN + 8 + 8;

/// Why a sealed session does not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// Wrong version, wrong length, or the authentication failed (another key, another id,
    /// another expiry, or altered bytes).
    #[error("the sealed session does not open under this issuing key, id and expiry")]
    Unauthentic,
    /// It opened, but the secrets inside do not decode (never from an honest node).
    #[error("the sealed session's contents are malformed")]
    Malformed,
}

/// The key sessions are sealed with, derived from an issuing key. (`XChaCha20Poly1305`
/// zeroizes its key on drop; the HMAC output it came from is zeroized here.)
pub struct SealKey {
    aead: XChaCha20Poly1305,
    key_id: KeyId,
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
            key_id: issuer.public().key_id(),
        }
    }

    /// The issuing key this seals for.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    fn aad(&self, id: &[u8; SESSION_ID_LEN], expires_at: u64) -> [u8; AAD_LEN] {
        let mut aad = [0u8; AAD_LEN];
        aad[0] = SEAL_VERSION;
        aad[1..1 + SESSION_ID_LEN].copy_from_slice(id);
        aad[1 + SESSION_ID_LEN..1 + SESSION_ID_LEN + 8].copy_from_slice(&self.key_id.0);
        aad[1 + SESSION_ID_LEN + 8..].copy_from_slice(&expires_at.to_be_bytes());
        aad
    }
}

impl IssuerCommitted {
    /// Seals this session for storage under session `id`, open until `expires_at`, with the
    /// seal key of the key it was committed under.
    ///
    /// # Panics
    /// If `key` is for another issuing key than the session's (a caller bug: the session
    /// could never be answered).
    pub fn seal<R: RngCore + CryptoRng>(
        &self,
        key: &SealKey,
        id: &[u8; SESSION_ID_LEN],
        expires_at: u64,
        rng: &mut R,
    ) -> Vec<u8> {
        assert_eq!(key.key_id, self.key_id(), "sealed under another key");
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let plain = self.to_secret_bytes();
        let aad = key.aad(id, expires_at);
        let sealed = key
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

    /// Opens what [`Self::seal`] made for the same `id` and `expires_at` under the same
    /// issuing key.
    pub fn unseal(
        key: &SealKey,
        id: &[u8; SESSION_ID_LEN],
        expires_at: u64,
        sealed: &[u8],
    ) -> Result<IssuerCommitted, SealError> {
        if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != SEAL_VERSION {
            return Err(SealError::Unauthentic);
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        let aad = key.aad(id, expires_at);
        let plain = Zeroizing::new(
            key.aead
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
        if committed.key_id() != key.key_id {
            return Err(SealError::Malformed);
        }
        Ok(committed)
    }
}
