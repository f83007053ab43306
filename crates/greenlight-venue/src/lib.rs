//! Greenlight's venue rules, once, with no I/O.
//!
//! A venue decides three things: whether its configuration (`venue.json`: pinned root, signed
//! key list, venue code, clock tolerance) is sound, which issuer keys it accepts right now,
//! and whether a scanned presentation is accepted — which includes remembering accepted token
//! ids (the seen-set) exactly as long as they could pass again. These rules used to be written
//! twice, in the CLI venue and in the browser verifier, and had drifted (a seen-set retention
//! of `W + 2τ` in one and `W + 2τ + 1 h` in the other; different required fields and size
//! caps for the same files). This crate holds the one copy; the CLI (`client/src/venue.rs`:
//! files, locks, HTTP sync, printing) and the browser bindings (`client/web/wasm`: JSON in and
//! out of JavaScript) are thin adapters over it.
//!
//! Sans-I/O, like a protocol state machine: no files, sockets, clocks or OS randomness. The
//! caller passes the time (`now_unix`) and the random generator (the bulletproofs verifier
//! randomises its batched check), and stores what comes back. It builds for
//! `wasm32-unknown-unknown`.
//!
//! | item | what it decides |
//! |---|---|
//! | [`VenueFile`], [`VenueConfig`] | the `venue.json` document and its one set of loading rules and caps; [`VenueConfig::check_update`] / [`TrustedKeyList::check_update`]: may a new key list replace the held one (same root, append-only successor) |
//! | [`TrustedKeyList`], [`AcceptedKeys`] | a key list verified under the pinned root; the issuer keys accepted at an instant (listed, not revoked, `issue_from − 2 h ≤ now ≤ accept_until`, a valid point) — shared with the wallet; [`RootPin`] and [`check_first_use`]: how a root may be pinned (by key or fingerprint; on first use only over https or loopback) |
//! | [`accept_keys`] | an issuer's `GET /v1/keys` answer: pin on first use, or match the given or held root; the list must succeed the held one |
//! | [`SeenSet`] | token ids accepted recently; retention `W + τ + max(τ, 2)` ([`SeenSet::retention_hours`]); the `seen.json` format; one cap ([`MAX_SEEN_ENTRIES`]) |
//! | [`VenueConfig::verify`] | text → [`Verdict`], with a [`Reason`] whose [`Reason::code`] is stable |
//! | [`VenueSetup`], [`VenueConfig::from_setup`] | the set-up code (`GLS1:`: venue code, server URL in [`canonical_server_url`] form, root fingerprint, key-list floor, tolerance); the venue it describes from the server's key list (pinned fingerprint, verified list, not older than the venue's) |
//!
//! ```
//! # fn f(venue_json: &str, text: &str, now_unix: u64) -> Result<(), greenlight_venue::ConfigError> {
//! use greenlight_venue::{SeenSet, VenueConfig};
//! let venue = VenueConfig::from_json(venue_json)?;
//! let mut seen = SeenSet::new(); // or SeenSet::from_json(stored)
//! # let mut rng = rand_chacha::ChaCha20Rng::from_seed([0; 32]);
//! # use rand_chacha::rand_core::SeedableRng;
//! let verdict = venue.verify(text, now_unix, &mut seen, &mut rng);
//! println!("{}", verdict.code()); // "ok", "replayed", "wrong_venue", …
//! // store seen.to_json() back
//! # Ok(()) }
//! ```

mod config;
mod error;
mod fetched;
mod keys;
mod seen;
mod setup;
mod verify;
mod witnessed;

pub use config::{
    IssuerInfo, VenueConfig, VenueFile, VenueInfo, DEFAULT_CLOCK_TOLERANCE_HOURS,
    MAX_CLOCK_TOLERANCE_HOURS, MAX_VENUE_JSON_LEN, PRESENTATION_VERSIONS, VENUE_FILE_VERSION,
};
pub use error::{ConfigError, SeenError};
pub use fetched::{accept_keys, FetchedKeys, KeysRefusal, PinOutcome};
pub use keys::{
    check_first_use, parse_root_hex, AcceptedKey, AcceptedKeys, FirstUseRefused, RootPin,
    TrustedKeyList,
};
pub use seen::{SeenSet, MAX_SEEN_ENTRIES, MAX_SEEN_JSON_LEN, SEEN_FORMAT_VERSION};
pub use setup::{canonical_server_url, SetupError, UrlProblem, VenueSetup};
pub use verify::{
    Accepted, Checked, Outcome, Reason, Rejected, Shown, Verdict, MAX_PRESENTATION_TEXT,
};
pub use witnessed::{
    check_witnessed, cosignature_json, parse_cosignatures, WitnessPolicyFile, WitnessRefused,
};

/// Re-exported so adapters name the same types.
pub use greenlight_circuits::RejectReason;
pub use greenlight_protocol::Kind;
