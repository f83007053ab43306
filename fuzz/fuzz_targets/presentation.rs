//! `Presentation::from_bytes` on arbitrary bytes: never panics, and whatever it accepts is
//! the canonical encoding (re-encoding gives back the input, byte for byte), so a venue's
//! replay set and a presentation's signature bytes can never disagree about "the same"
//! presentation. The text form of anything accepted must decode back to it.
#![no_main]

use greenlight_circuits::Presentation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(p) = Presentation::from_bytes(data) else {
        return;
    };
    assert_eq!(p.to_bytes(), data, "non-canonical presentation accepted");
    let text = p.to_text();
    match Presentation::from_text(&text) {
        Ok(back) => assert_eq!(back.to_bytes(), data, "text form changed the presentation"),
        Err(e) => panic!("own text form rejected: {e}"),
    }
    assert_eq!(p.token_id(), p.signature.zeta1_compressed().to_bytes());
});
