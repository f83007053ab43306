//! `Token::from_bytes` (a wallet reading its own store, which may be corrupted or planted):
//! never panics, and anything accepted re-encodes to exactly the input.
#![no_main]

use greenlight_acl::Token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(t) = Token::from_bytes(data) else {
        return;
    };
    assert_eq!(&t.to_bytes()[..], data, "non-canonical token accepted");
    assert_eq!(t.id(), t.signature().zeta1_compressed().to_bytes());
});
