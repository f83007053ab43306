//! Known-answer vectors in `tests/vectors/protocol.json` (workspace root).
//!
//! `protocol_vectors_match` re-derives every object from fixed ChaCha20 seeds and compares it
//! byte for byte with the file, so any accidental change to a layout, label or derivation
//! fails. After an *intended* format change, regenerate with
//! `cargo test -p greenlight-protocol --test vectors -- --ignored generate_protocol_vectors`
//! and review the diff.

mod common;

use common::*;
use greenlight_protocol::*;
use serde_json::{json, Value};
use sha2::Digest;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/protocol.json"
);

fn derive() -> Value {
    let (authority, ticket) = sample_ticket(1);
    let (root, list) = sample_key_list(2);
    let venue = sample_venue_code(3);
    // A witness (Ed25519 seed [4; 32]) cosigns the key list's checkpoint at a fixed time.
    let witness = SigningKey::from_bytes(&[4; 32]);
    let cosigned_at = 1_800_000_000;
    let cosignature =
        greenlight_protocol::cosign(&witness, None, &root.verifying_key(), &list, cosigned_at)
            .unwrap();
    let checkpoint = greenlight_protocol::Checkpoint::of(&root.verifying_key(), &list);
    let body = ticket.unverified_body();
    json!({
        "description": "Greenlight protocol objects (greenlight-protocol). Each object is built from ChaCha20Rng::seed_from_u64(seed): for the ticket and the key list, the Ed25519 signing key is generated first, then the object (see crates/greenlight-protocol/tests/common/mod.rs). bytes = to_bytes() hex; text = to_text().",
        "format_version": greenlight_wire::VERSION_1,
        "ticket": {
            "seed": 1,
            "authority_public_key": hex::encode(authority.verifying_key().as_bytes()),
            "authority_key_id": hex::encode(authority_key_id(&authority.verifying_key())),
            "ticket_id": hex::encode(body.ticket_id()),
            "subject": body.subject().as_str(),
            "status": body.status().to_string(),
            "travel": body.travel().to_string(),
            "travel_scalar": hex::encode(body.travel().encode_scalar_bytes()),
            "not_before": body.not_before(),
            "not_after": body.not_after(),
            "tokens": body.tokens(),
            "bytes": hex::encode(ticket.to_bytes()),
            "text": ticket.to_text(),
        },
        "key_list": {
            "seed": 2,
            "root_public_key": hex::encode(root.verifying_key().as_bytes()),
            "root_fingerprint": root_fingerprint(&root.verifying_key()),
            "sequence": list.unverified_body().sequence(),
            "key_ids": list.unverified_body().issuers().iter()
                .flat_map(|i| i.keys.iter().map(|k| hex::encode(k.key_id)))
                .collect::<Vec<_>>(),
            "bytes": hex::encode(list.to_bytes()),
            "text": list.to_text(),
            "digest": hex::encode(list.digest()),
        },
        "key_list_cosignature": {
            "witness_seed": hex::encode([4u8; 32]),
            "witness_public_key": hex::encode(cosignature.witness),
            "timestamp": cosignature.timestamp,
            "signed_message": hex::encode(checkpoint.signed_message(cosigned_at)),
            "signature": hex::encode(cosignature.signature),
        },
        "venue_code": {
            "seed": 3,
            "venue_id": hex::encode(venue.venue_id()),
            "name": venue.name(),
            "window_hours": venue.window_hours(),
            "bytes": hex::encode(venue.to_bytes()),
            "text": venue.to_text(),
        },
    })
}

#[test]
#[ignore = "writes tests/vectors/protocol.json; run only after an intended format change"]
fn generate_protocol_vectors() {
    let text = serde_json::to_string_pretty(&derive()).unwrap() + "\n";
    std::fs::write(PATH, text).unwrap();
}

fn stored() -> Value {
    let text = std::fs::read_to_string(PATH)
        .unwrap_or_else(|e| panic!("{PATH}: {e}; run the ignored generate_protocol_vectors test"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn protocol_vectors_match() {
    let stored = stored();
    let derived = derive();
    for section in ["ticket", "key_list", "key_list_cosignature", "venue_code"] {
        assert_eq!(
            stored[section], derived[section],
            "{section} vector changed"
        );
    }
    assert_eq!(stored, derived);
}

/// Independently of the derivation code: the stored bytes decode, verify under the stored
/// keys, re-encode identically, and their text forms agree.
#[test]
fn stored_vectors_decode_and_verify() {
    let v = stored();
    let bytes = |section: &str| hex::decode(v[section]["bytes"].as_str().unwrap()).unwrap();
    let key = |section: &str, field: &str| {
        let raw: [u8; 32] = hex::decode(v[section][field].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        verifying_key_from_bytes(&raw).unwrap()
    };

    let ticket = Ticket::from_bytes(&bytes("ticket")).unwrap();
    let body = ticket
        .verify(&key("ticket", "authority_public_key"))
        .unwrap();
    assert_eq!(body.subject().as_str(), v["ticket"]["subject"]);
    assert_eq!(ticket.to_bytes(), bytes("ticket"));
    assert_eq!(
        Ticket::from_text(v["ticket"]["text"].as_str().unwrap()).unwrap(),
        ticket
    );

    let list = KeyList::from_bytes(&bytes("key_list")).unwrap();
    list.verify(&key("key_list", "root_public_key")).unwrap();
    assert_eq!(list.to_bytes(), bytes("key_list"));
    // The digest version-2 presentations bind, computed here from the spec's definition
    // (§7.3): SHA-512 of the label and the signed bytes (all but the 64-byte signature).
    let encoded = bytes("key_list");
    let signed = &encoded[..encoded.len() - 64];
    let digest = sha2::Sha512::new()
        .chain_update(b"greenlight/v2/key-list-digest")
        .chain_update(signed)
        .finalize();
    assert_eq!(v["key_list"]["digest"], hex::encode(&digest[..32]));
    assert_eq!(hex::encode(list.digest()), hex::encode(&digest[..32]));
    assert_eq!(
        KeyList::from_text(v["key_list"]["text"].as_str().unwrap()).unwrap(),
        list
    );

    // The witness cosignature verifies over the message the spec defines (§7.6), built here
    // from the stored root, sequence and digest.
    let c = &v["key_list_cosignature"];
    let hex_field = |field: &str| hex::decode(c[field].as_str().unwrap()).unwrap();
    let mut message = b"greenlight/v1/key-list-cosignature".to_vec();
    message.extend(hex::decode(v["key_list"]["root_public_key"].as_str().unwrap()).unwrap());
    message.extend(v["key_list"]["sequence"].as_u64().unwrap().to_be_bytes());
    message.extend(hex::decode(v["key_list"]["digest"].as_str().unwrap()).unwrap());
    message.extend(c["timestamp"].as_u64().unwrap().to_be_bytes());
    assert_eq!(message, hex_field("signed_message"));
    let witness =
        verifying_key_from_bytes(&hex_field("witness_public_key").try_into().unwrap()).unwrap();
    let signature =
        ed25519_dalek::Signature::from_bytes(&hex_field("signature").try_into().unwrap());
    witness.verify_strict(&message, &signature).unwrap();

    let venue = VenueCode::from_bytes(&bytes("venue_code")).unwrap();
    assert_eq!(venue.to_bytes(), bytes("venue_code"));
    assert_eq!(
        VenueCode::from_text(v["venue_code"]["text"].as_str().unwrap()).unwrap(),
        venue
    );
}
