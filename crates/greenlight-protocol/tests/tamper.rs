//! Tampering: bit flips, truncation, trailing bytes, wrong headers, malleated signatures.

mod common;

use common::*;
use greenlight_protocol::WireError;
use greenlight_protocol::*;
use proptest::prelude::*;

/// Whether `bytes` are rejected as a ticket: by the decoder, or by verification.
fn ticket_rejected(bytes: &[u8], key: &VerifyingKey) -> bool {
    match Ticket::from_bytes(bytes) {
        Err(_) => true,
        Ok(t) => t.verify(key).is_err(),
    }
}

fn key_list_rejected(bytes: &[u8], key: &VerifyingKey) -> bool {
    match KeyList::from_bytes(bytes) {
        Err(_) => true,
        Ok(l) => l.verify(key).is_err(),
    }
}

fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[bit / 8] ^= 1 << (bit % 8);
    out
}

#[test]
fn every_bit_flip_of_a_ticket_is_rejected() {
    let (key, ticket) = sample_ticket(11);
    let vk = key.verifying_key();
    let bytes = ticket.to_bytes();
    assert!(!ticket_rejected(&bytes, &vk));
    for bit in 0..bytes.len() * 8 {
        assert!(
            ticket_rejected(&flip(&bytes, bit), &vk),
            "bit {bit} flip accepted"
        );
    }
}

#[test]
fn every_bit_flip_of_a_key_list_is_rejected() {
    let (root, list) = sample_key_list(12);
    let vk = root.verifying_key();
    let bytes = list.to_bytes();
    assert!(!key_list_rejected(&bytes, &vk));
    for bit in 0..bytes.len() * 8 {
        assert!(
            key_list_rejected(&flip(&bytes, bit), &vk),
            "bit {bit} flip accepted"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The same over random tickets (one random bit each, to keep the run short).
    #[test]
    fn random_ticket_bit_flip_rejected(body in ticket_body(), key in signing_key(), bit in any::<prop::sample::Index>()) {
        let bytes = body.sign(&key).to_bytes();
        let bit = bit.index(bytes.len() * 8);
        prop_assert!(ticket_rejected(&flip(&bytes, bit), &key.verifying_key()));
    }

    #[test]
    fn random_key_list_bit_flip_rejected(body in key_list_body(), key in signing_key(), bit in any::<prop::sample::Index>()) {
        let bytes = body.sign(&key).to_bytes();
        let bit = bit.index(bytes.len() * 8);
        prop_assert!(key_list_rejected(&flip(&bytes, bit), &key.verifying_key()));
    }
}

fn all_encodings() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("ticket", sample_ticket(21).1.to_bytes()),
        ("key list", sample_key_list(22).1.to_bytes()),
        ("venue code", sample_venue_code(23).to_bytes()),
    ]
}

fn decode_as(name: &str, bytes: &[u8]) -> Result<(), ProtocolError> {
    match name {
        "ticket" => Ticket::from_bytes(bytes).map(|_| ()),
        "key list" => KeyList::from_bytes(bytes).map(|_| ()),
        _ => VenueCode::from_bytes(bytes).map(|_| ()),
    }
}

#[test]
fn truncation_at_every_length_is_rejected() {
    for (name, bytes) in all_encodings() {
        assert_eq!(decode_as(name, &bytes), Ok(()));
        for len in 0..bytes.len() {
            let err = decode_as(name, &bytes[..len]).unwrap_err();
            // A cut inside a length-prefixed string can make the decoder see a short string
            // followed by garbage; it must still fail, and at the end always with Truncated.
            if len + 1 == bytes.len() {
                assert_eq!(err, ProtocolError::Wire(WireError::Truncated), "{name}");
            }
        }
    }
}

#[test]
fn trailing_bytes_are_rejected() {
    for (name, bytes) in all_encodings() {
        for extra in [0u8, 1, 0xff] {
            let mut longer = bytes.clone();
            longer.push(extra);
            assert_eq!(
                decode_as(name, &longer),
                Err(ProtocolError::Wire(WireError::TrailingBytes(1))),
                "{name}"
            );
        }
    }
}

#[test]
fn text_with_trailing_garbage_is_rejected() {
    let (_, ticket) = sample_ticket(21);
    let mut bytes = ticket.to_bytes();
    bytes.push(0);
    let text = format!("GLT1:{}", base45::encode(&bytes));
    assert_eq!(
        Ticket::from_text(&text),
        Err(ProtocolError::Wire(WireError::TrailingBytes(1)))
    );
}

#[test]
fn wrong_version_or_tag_is_rejected() {
    for (name, bytes) in all_encodings() {
        for version in [0u8, 2, 0x10, 0xff] {
            let mut b = bytes.clone();
            b[0] = version;
            assert_eq!(
                decode_as(name, &b),
                Err(ProtocolError::Wire(WireError::UnsupportedVersion(version)))
            );
        }
        let expected = bytes[1];
        for tag in [0x00u8, 0x01, 0x02, 0x03, 0x07, 0x10, 0x11, 0x12, 0x13, 0xff] {
            if tag == expected {
                continue;
            }
            let mut b = bytes.clone();
            b[1] = tag;
            assert_eq!(
                decode_as(name, &b),
                Err(ProtocolError::Wire(WireError::WrongType {
                    expected,
                    found: tag
                })),
                "{name}"
            );
        }
    }
    assert_eq!(
        decode_as("ticket", &[]),
        Err(ProtocolError::Wire(WireError::Truncated))
    );
    assert_eq!(
        decode_as("ticket", &[1]),
        Err(ProtocolError::Wire(WireError::Truncated))
    );
}

/// ℓ, little-endian.
const ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// `s + ℓ` (little-endian add) — the classic Ed25519 malleation.
fn malleate(sig: &mut [u8]) {
    let mut carry = 0u16;
    for (b, o) in sig[32..].iter_mut().zip(ORDER) {
        let v = u16::from(*b) + u16::from(o) + carry;
        *b = v as u8;
        carry = v >> 8;
    }
}

#[test]
fn malleated_signatures_are_rejected_at_decode() {
    let (_, ticket) = sample_ticket(31);
    let mut bytes = ticket.to_bytes();
    let n = bytes.len();
    malleate(&mut bytes[n - 64..]);
    assert_eq!(
        Ticket::from_bytes(&bytes),
        Err(ProtocolError::NonCanonicalSignature)
    );

    let (_, list) = sample_key_list(32);
    let mut bytes = list.to_bytes();
    let n = bytes.len();
    malleate(&mut bytes[n - 64..]);
    assert_eq!(
        KeyList::from_bytes(&bytes),
        Err(ProtocolError::NonCanonicalSignature)
    );
}

#[test]
fn ticket_verifies_only_under_its_own_key() {
    let (key, ticket) = sample_ticket(41);
    assert!(ticket.verify(&key.verifying_key()).is_ok());
    let other = SigningKey::from_bytes(&[5u8; 32]).verifying_key();
    assert_eq!(ticket.verify(&other), Err(ProtocolError::WrongAuthorityKey));
    assert_eq!(
        ticket.authority_key_id(),
        authority_key_id(&key.verifying_key())
    );
}

#[test]
fn key_list_verifies_only_under_its_root() {
    let (root, list) = sample_key_list(42);
    assert!(list.verify(&root.verifying_key()).is_ok());
    let other = SigningKey::from_bytes(&[5u8; 32]).verifying_key();
    assert_eq!(list.verify(&other), Err(ProtocolError::BadSignature));
}

#[test]
fn a_ticket_signature_never_verifies_as_a_key_list() {
    // Domain separation: the same key signing both kinds of object. Splice a ticket's signature
    // onto a key list body signed by the same key: rejected.
    let key = SigningKey::from_bytes(&[8u8; 32]);
    let mut rng = rng(43);
    let ticket = sample_ticket_body(&mut rng).sign(&key);
    let list = sample_key_list_body(&mut rng, 1).sign(&key);
    let mut bytes = list.to_bytes();
    let n = bytes.len();
    bytes[n - 64..].copy_from_slice(&ticket.signature());
    let spliced = KeyList::from_bytes(&bytes).unwrap();
    assert_eq!(
        spliced.verify(&key.verifying_key()),
        Err(ProtocolError::BadSignature)
    );
}
