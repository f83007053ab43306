//! `KeyList::from_bytes` and `KeyList::from_text` (wallets and venues fetch the list from
//! the network). Never panics; both forms of anything accepted are canonical; only the
//! fixture lists verify under the fixture root; the successor check against the fixtures
//! never panics; and for every listed key that is a valid ristretto255 point, the list's
//! key id equals the id the credential crate derives (a venue looks keys up by that id).
#![no_main]

use greenlight_acl::IssuerPublicKey;
use greenlight_fuzz::fixtures;
use greenlight_protocol::{KeyList, SigningKey};
use libfuzzer_sys::fuzz_target;

fn check(list: &KeyList, bytes: &[u8]) {
    assert_eq!(list.to_bytes(), bytes, "non-canonical key list accepted");
    assert_eq!(KeyList::from_text(&list.to_text()).as_ref(), Ok(list));
    let root = SigningKey::from_bytes(&[0x52; 32]).verifying_key();
    if list.verify(&root).is_ok() {
        assert!(
            fixtures().key_lists.iter().any(|f| f == bytes),
            "a key list that is not a fixture verified"
        );
    }
    for fixture in &fixtures().key_lists {
        if let Ok(old) = KeyList::from_bytes(fixture) {
            let _ = old.check_successor(list);
            let _ = list.check_successor(&old);
        }
    }
    let body = list.unverified_body();
    for issuer in body.issuers() {
        for key in &issuer.keys {
            if let Some(pk) = IssuerPublicKey::from_compressed(&key.public_key) {
                assert_eq!(pk.key_id().0, key.key_id, "key id derivations disagree");
            }
            let _ = body.accepts(&key.key_id, 1_700_000_000);
            let _ = body.issues(&key.key_id, 1_700_000_000);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = KeyList::from_bytes(data) {
        check(&list, data);
    }
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(list) = KeyList::from_text(s) {
            assert_eq!(
                greenlight_wire::text::trim(s),
                list.to_text(),
                "non-canonical key list text"
            );
            check(&list, &list.to_bytes());
        }
    }
});
