//! Greenlight's wallet and venue tools: the library behind the `greenlight` binary, and the
//! API the end-to-end tests drive.
//!
//! | module | what it does |
//! |---|---|
//! | [`wallet`] | the wallet file, redeeming tickets for token batches, presenting |
//! | [`venue`] | the venue file, its code, key-list sync, offline verification, seen-set |
//! | [`keys`] | pinning the root key, verifying and updating the issuer key list |
//! | [`http`] | the issuer's HTTP API (`docs/api.md`) with timeouts and typed errors |
//! | [`qr`] | QR codes: PNG and terminal output, decoding codes out of images |
//! | [`input`] | reading a code from text, a file, a PNG or standard input |
//! | [`inspect`] | every field of a code and what it reveals |
//! | [`demo`] | the whole story in one process |
//! | [`i18n`] | every user-facing message, in English and Simplified Chinese |
//! | [`store`] | private directories, atomic durable writes, directory locks |
//! | [`clock`] | the system clock in seconds and hours; UTC formatting |
//! | [`error`] | [`ClientError`], its localized message and exit code |
//!
//! ```no_run
//! # async fn f() -> Result<(), greenlight_client::ClientError> {
//! use greenlight_client::{Venue, Wallet};
//! let wallet = Wallet::open("/tmp/w")?;
//! wallet.redeem("http://127.0.0.1:8080", "GLT1:…", "self", &|_| {}).await?;
//! let (venue, _pin) = Venue::init("/tmp/v", "http://127.0.0.1:8080", "Cafe", 24, None).await?;
//! let shown = wallet.present(&venue.code_text(), "self")?;
//! assert!(venue.verify_text(&shown.text)?.is_accept());
//! # Ok(()) }
//! ```

pub mod clock;
/// Needs the `demo` feature (default on): it links the server crate.
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
pub mod http;
pub mod i18n;
pub mod input;
pub mod inspect;
pub mod keys;
pub mod qr;
pub mod store;
pub mod venue;
pub mod wallet;

pub use error::{ClientError, EXIT_OK, EXIT_REFUSED, EXIT_UNAVAILABLE, EXIT_USAGE};
pub use i18n::{Lang, Msg};
pub use keys::{PinOutcome, Trust};
pub use venue::{Rejection, SeenSet, Venue, Verdict};
pub use wallet::{Presented, RedeemOptions, RedeemReport, RedeemStep, Wallet, DEFAULT_PROFILE};
