//! `VenueCode::from_bytes` and `VenueCode::from_text` (a wallet scanning a code on a wall:
//! the least trusted input of all). Never panics; both forms of anything accepted are
//! canonical, and every accepted code satisfies the rules `from_parts` enforces.
#![no_main]

use greenlight_protocol::{is_standard_window, VenueCode};
use libfuzzer_sys::fuzz_target;

fn check(v: &VenueCode, bytes: &[u8]) {
    assert_eq!(v.to_bytes(), bytes, "non-canonical venue code accepted");
    assert_eq!(VenueCode::from_text(&v.to_text()).as_ref(), Ok(v));
    assert!(is_standard_window(v.window_hours()));
    assert!(!v.name().is_empty() && !v.name().chars().any(char::is_control));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = VenueCode::from_bytes(data) {
        check(&v, data);
    }
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(v) = VenueCode::from_text(s) {
            assert_eq!(
                greenlight_wire::text::trim(s),
                v.to_text(),
                "non-canonical venue code text"
            );
            check(&v, &v.to_bytes());
        }
    }
});
