//! End-to-end tests and tools: the real server on a loopback port, driven over HTTP.
//!
//! - [`client`]: a small async client for the API with the holder's side of issuance
//!   (`greenlight-acl`), split into type-states so tests can tell exactly what the server
//!   acknowledged.
//! - [`process`]: the real `greenlight-server` binary as a child process (start, SIGKILL).
//! - [`load`]: the bounded load generator behind the `greenlight-load` binary.
//!
//! The tests are in `tests/`: `crash.rs` (SIGKILL during revocations and redemptions, restart,
//! nothing acknowledged is lost and no quota is exceeded) and `load_smoke.rs`.

pub mod client;
pub mod load;
pub mod process;

pub use client::{Api, ClientError, Prepared, Started};
pub use load::{run_load, HolderMode, LoadConfig, LoadError, LoadReport, Scenario};
pub use process::{read_admin_token, server_binary, ServerProcess};
