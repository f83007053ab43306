//! Policies (what a venue asks for) and standard windows: the shared vocabulary of
//! `greenlight-wire`, re-exported where the statements use it.

pub use greenlight_wire::{is_standard_window, Policy, STANDARD_WINDOWS_HOURS};
