//! `Presentation::from_text` on arbitrary UTF-8: never panics, and the text form is
//! canonical too — apart from surrounding white space (which the decoder ignores on purpose),
//! one presentation has exactly one text, so two different QR payloads never name the same
//! presentation.
#![no_main]

use greenlight_circuits::Presentation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(p) = Presentation::from_text(s) else {
        return;
    };
    let bytes = p.to_bytes();
    match Presentation::from_bytes(&bytes) {
        Ok(back) => assert_eq!(back.to_bytes(), bytes),
        Err(e) => panic!("re-encoded presentation rejected: {e}"),
    }
    assert_eq!(
        greenlight_wire::text::trim(s),
        p.to_text(),
        "non-canonical text form accepted"
    );
});
