//! End-to-end tests and tools: the real server on a loopback port, driven over HTTP.
//!
//! - [`client`]: a small async client for the API; the holder's side of issuance is the
//!   wallet's (`greenlight_wallet::Redemption`) for whole tickets and the shared fixtures'
//!   (`greenlight_testkit::Batch`) for part of one, split into type-states so tests can tell
//!   exactly what the server acknowledged.
//! - [`process`]: the real `greenlight-server` binary as a child process (start, SIGKILL).
//! - [`load`]: the bounded load generator behind the `greenlight-load` binary.
//!
//! The tests in `tests/` run the issuer in-process (`EphemeralServer`): the story, concurrency,
//! refusals and `load_smoke.rs`. Tests that run a *binary* live in the package that builds it,
//! where Cargo hands them its path (`CARGO_BIN_EXE_<name>`): the crash test (SIGKILL during
//! revocations and redemptions, restart, nothing acknowledged is lost and no quota is exceeded)
//! is `server/tests/crash.rs`, built on [`client`] and [`process`] here; the `greenlight`
//! binary's garbage test is `client/tests/garbage.rs`.

pub mod client;
pub mod load;
pub mod process;

pub use client::{unblind, Api, ClientError, Prepared, Started};
pub use load::{run_load, HolderMode, LoadConfig, LoadError, LoadReport, Scenario};
pub use process::{read_admin_token, ServerProcess};
