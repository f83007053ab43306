//! The holder's side of issuance for issuer tests: the wallet's own flow
//! ([`greenlight_wallet::Redemption`]), with the batch size as a parameter where a test asks
//! for part of a ticket or races batches on one ticket ([`Redemption::start_batch`]).

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::IssuerPublicKey;
use greenlight_protocol::Ticket;
use greenlight_wallet::{HolderSecret, Redemption, WalletError};
use rand_core::{CryptoRng, RngCore};

/// Registrations sent; waiting for the issuer's commitments (the wallet's state).
pub type Batch = greenlight_wallet::AwaitingCommitments;
/// Challenges sent; waiting for the issuer's answers (the wallet's state).
pub type Challenged = greenlight_wallet::AwaitingAnswers;
/// Why a batch failed on the holder's side (the wallet's error).
pub type BatchError = WalletError;

/// Registers `n` tokens on `ticket` under `key` with the holder secret `secret`; returns the
/// state and the registrations (wire bytes) for `POST /v1/issuance/start`.
pub fn start_batch(
    ticket: &Ticket,
    key: &IssuerPublicKey,
    secret: &Scalar,
    n: usize,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(Batch, Vec<u8>), BatchError> {
    let holder = HolderSecret::from_scalar(*secret)
        .ok_or_else(|| WalletError::Corrupt("a zero holder secret".into()))?;
    Redemption::start_batch(ticket, key.clone(), &holder, n, rng)
}
