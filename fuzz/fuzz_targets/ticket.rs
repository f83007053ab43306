//! `Ticket::from_bytes` and `Ticket::from_text` (the issuer reads tickets that wallets send
//! it; wallets read tickets pasted by people). Never panics; the binary and text forms of
//! anything accepted are canonical; and the only tickets that verify under the fixture
//! authority key are the fixture tickets.
#![no_main]

use greenlight_fuzz::fixtures;
use greenlight_protocol::{SigningKey, Ticket};
use libfuzzer_sys::fuzz_target;

fn check(t: &Ticket, bytes: &[u8]) {
    assert_eq!(t.to_bytes(), bytes, "non-canonical ticket accepted");
    assert_eq!(Ticket::from_text(&t.to_text()).as_ref(), Ok(t));
    let authority = SigningKey::from_bytes(&[0x41; 32]).verifying_key();
    if t.verify(&authority).is_ok() {
        assert!(
            fixtures().tickets.iter().any(|f| f == bytes),
            "a ticket that is not a fixture verified"
        );
    }
    let _ = t.unverified_body().check_time(1_700_000_000);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = Ticket::from_bytes(data) {
        check(&t, data);
    }
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = Ticket::from_text(s) {
            assert_eq!(
                greenlight_wire::text::trim(s),
                t.to_text(),
                "non-canonical ticket text"
            );
            check(&t, &t.to_bytes());
        }
    }
});
