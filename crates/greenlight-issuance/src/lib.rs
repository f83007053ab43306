//! Greenlight issuance, as rules without I/O.
//!
//! The issuer's HTTP handler and the holder's wallet used to compute "ticket → credential
//! attributes" each in its own way (with different scalar conversions). This crate is the one
//! home of every issuance rule, in rustls's style — the state machine here, sockets and files
//! in the binaries:
//!
//! * [`attributes`]: the attributes a ticket certifies ([`ticket_attributes`]) and the holder's
//!   check of what the issuer actually put in its first answer ([`check_certified`]);
//! * [`issuer`]: the issuer's `start` / `finish` pipeline, in the order of `docs/api.md`, over
//!   a [`Store`] trait (the sled store implements it today; a PostgreSQL store can tomorrow);
//! * [`Refusal`]: why a request was refused, each mapped once to its HTTP [`ErrorCode`];
//! * [`digest`]: how a store names subjects and tickets — keyed digests, computed only here;
//! * [`epoch`]: what the issuer keeps per subject (revoked, epoch) and the rules that read
//!   and move it — a newer ticket, a revocation or an appeal supersedes older tickets — and
//!   when a store may forget a record;
//! * [`lifetime`]: how long a ticket of each status may be valid (green and yellow: 14 days),
//!   checked where tickets are signed and again at redemption;
//! * [`subject`]: what a subject handle may not look like — an identity number
//!   ([`check_subject_handle`]), checked wherever a ticket is signed;
//! * [`totals`]: the daily per-key issuance totals, and which of them may be published
//!   (completed days only).
//!
//! Time and randomness are parameters: nothing here reads a clock or the OS RNG.
//!
//! [`ErrorCode`]: greenlight_api::ErrorCode

pub mod attributes;
pub mod digest;
pub mod epoch;
pub mod issuer;
pub mod lifetime;
pub mod subject;
pub mod totals;

pub use attributes::{
    check_certified, ticket_attributes, CertifiedMismatch, MAX_ISSUANCE_SKEW_HOURS,
};
pub use digest::{DigestKey, SubjectDigest, TicketDigest};
pub use epoch::{SubjectRecord, SubjectRefusal, RECORD_GRACE_SECS};
pub use issuer::{
    check_start, commit, decode_challenges, finish, registered_key_id, IssuerState, Refusal,
    Reservation, StartChecked, Store,
};
pub use lifetime::{
    check_ticket_life, max_ticket_life, TicketTooLong, MAX_GRANTING_TICKET_LIFE_SECS,
    MAX_TICKET_LIFE_SECS,
};
pub use subject::{check_subject_handle, IdNumberFormat, LooksLikeIdNumber};
pub use totals::{published_totals, record_issued, DayTotal};
