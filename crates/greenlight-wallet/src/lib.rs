//! The resident's wallet, as rules without I/O.
//!
//! The CLI wallet keeps its document in a file; the web wallet keeps it in IndexedDB. Both are
//! adapters over this crate, which decides everything (rustls's split of codec and state
//! machine, applied to the wallet):
//!
//! * [`profile`]: profile names (the family-proxy case, 家人代办) and holder secrets;
//! * [`document`]: the wallet document (`wallet.json`, `docs/api.md` "Client state") and what
//!   it can answer: counts by colour and age, a profile's tokens;
//! * [`redeem`]: the holder's side of issuance, a type-state flow
//!   `Redemption::start → AwaitingCommitments → AwaitingAnswers → verified tokens`; the
//!   adapter only carries its messages over HTTP. Before it, [`issuing_key`] applies the key
//!   list's anti-tagging rules and [`check_region_pin`] the profile's region pin;
//! * [`select`]: which token to show a venue, and why none fits;
//! * [`present()`]: the never-show-twice rule — a token is removed from the document, and the
//!   document saved to its [`WalletStorage`], *before* the proof exists (module
//!   [`mod@present`]);
//!   [`PendingPresentation`] is the same order in two calls, for asynchronous storage;
//! * [`outlook`]: what a profile's tokens are still good for (6 h / 24 h venues, few left,
//!   "go online by"), and the clock-skew warning;
//! * [`topup`]: when a wallet that kept its ticket tops up on its own, and how many tokens;
//! * [`WalletStorage`]: where a document lives.
//!
//! Time and randomness are parameters: nothing here reads a clock or the OS RNG.

pub mod document;
pub mod error;
pub mod outlook;
pub mod present;
pub mod profile;
pub mod redeem;
pub mod select;
pub mod topup;

pub use document::{ProfileStatus, TokenGroup, WalletDocument, WalletStatus, MAX_WALLET_JSON};
pub use error::WalletError;
pub use outlook::{clock_skew, Outlook, Warning, CLOCK_SKEW_WARN_SECS, FEW_TOKENS};
pub use present::{present, PendingPresentation, PresentFailure, Presented, Withdrawal};
pub use profile::{validate_profile, HolderSecret, DEFAULT_PROFILE, MAX_PROFILE_CHARS};
pub use redeem::{
    batch_sizes, check_region_pin, check_ticket_authority, check_ticket_time, issuing_key,
    issuing_key_in_region, AwaitingAnswers, AwaitingCommitments, BatchPlan, IssuingKey, Redemption,
    RegionPin, MAX_BATCH, MAX_ISSUING_KEYS_PER_REGION,
};
pub use select::{select_token, NoToken};
pub use topup::{first_redeem, kept_ticket_spent, TopUp, TopUpReason};

/// Where a wallet document is kept: a file for the CLI, IndexedDB for the web app.
///
/// `save` must be durable when it returns: the never-show-twice rule relies on a withdrawn
/// token being gone from storage before its proof is shown.
pub trait WalletStorage {
    /// A storage failure.
    type Error;
    /// The stored document, if there is one.
    fn load(&mut self) -> Result<Option<WalletDocument>, Self::Error>;
    /// Replaces the stored document, durably.
    fn save(&mut self, document: &WalletDocument) -> Result<(), Self::Error>;
}
