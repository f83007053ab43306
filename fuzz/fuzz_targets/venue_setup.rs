//! `VenueSetup::from_bytes` and `VenueSetup::from_text` (a venue's phone scanning a set-up
//! code: it decides which server the page fetches its key list from and which root it pins),
//! and the server-URL rule on its own. Never panics; both forms of anything accepted are
//! canonical; every accepted code names a canonical `http(s)` base URL, a tolerance of at most
//! 24 hours and a venue code that is itself canonical.
#![no_main]

use greenlight_protocol::VenueCode;
use greenlight_venue::{canonical_server_url, VenueSetup, MAX_CLOCK_TOLERANCE_HOURS};
use libfuzzer_sys::fuzz_target;

fn check(s: &VenueSetup, bytes: &[u8]) {
    assert_eq!(s.to_bytes(), bytes, "non-canonical set-up code accepted");
    assert_eq!(VenueSetup::from_text(&s.to_text()).as_ref(), Ok(s));
    let server = s.server();
    assert_eq!(canonical_server_url(server).as_deref(), Ok(server));
    assert!(server.starts_with("http://") || server.starts_with("https://"));
    assert!(server.ends_with('/') && server.len() <= 255);
    // No query or fragment; no user name or password ('@' is allowed in the path only).
    assert!(!server.contains(['?', '#']));
    assert!(!s.server_origin().contains('@'));
    assert!(s.page_url().starts_with(s.server_origin()));
    assert!(s.clock_tolerance_hours() <= MAX_CLOCK_TOLERANCE_HOURS);
    assert_eq!(
        VenueCode::from_bytes(&s.code().to_bytes()).as_ref(),
        Ok(s.code())
    );
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = VenueSetup::from_bytes(data) {
        check(&s, data);
    }
    if let Ok(t) = std::str::from_utf8(data) {
        if let Ok(s) = VenueSetup::from_text(t) {
            assert_eq!(
                greenlight_wire::text::trim(t),
                s.to_text(),
                "non-canonical set-up code text"
            );
            check(&s, &s.to_bytes());
        }
        // The URL rule alone: what it accepts is a fixed point of it.
        if let Ok(url) = canonical_server_url(t) {
            assert_eq!(canonical_server_url(&url).as_deref(), Ok(url.as_str()));
            assert!(url.len() <= 255 && url.is_ascii());
        }
    }
});
