//! Every size and bound of the protocol objects lives in `greenlight_wire::lengths` (with the
//! tags in `greenlight_wire::tags` and the text prefixes in `greenlight_wire::prefixes`); this
//! module re-exports it so `greenlight_protocol::lengths::…` paths keep working.

pub use greenlight_wire::lengths::*;
