//! Known-answer vectors (`tests/vectors/core.json`): generators, an issuer key, a whole batch
//! issuance transcript, a token and a presentation with its context, all from fixed seeds.
//!
//! Any accidental change to a label, a generator, a transcript or a byte layout changes these
//! bytes and fails this test. Old presentations must also keep *verifying*: the stored
//! presentation is decoded and verified on its own, not just re-derived.
//!
//! Regenerate (only for an intended, documented format change) with the ignored generator:
//! `cargo test -p greenlight-circuits --test vectors -- --ignored generate_core_vectors`,
//! then review the diff. No normal test ever writes the file.

use std::collections::BTreeMap;

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::*;
use greenlight_acl::{generators, Attributes, IssuerKeyPair, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::*;
use greenlight_wire::Status;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/core.json");

fn derive() -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    let gens = generators();
    for (name, p) in gens.ordered() {
        v.insert(
            format!("generator.{name}"),
            hex::encode(p.compress().as_bytes()),
        );
    }
    v.insert("params_digest".into(), hex::encode(gens.params_digest));

    let key = IssuerKeyPair::generate_with_rng(&mut ChaCha20Rng::seed_from_u64(0x6c_6967_6874));
    v.insert(
        "issuer.secret_x".into(),
        hex::encode(*key.secret().to_bytes()),
    );
    v.insert(
        "issuer.public_key".into(),
        hex::encode(key.public().to_bytes()),
    );
    v.insert("issuer.key_id".into(), key.public().key_id().to_string());
    v.insert(
        "issuer.z".into(),
        hex::encode(key.public().z().compress().as_bytes()),
    );

    let mut holder_rng = ChaCha20Rng::seed_from_u64(1);
    let mut issuer_rng = ChaCha20Rng::seed_from_u64(2);
    let binding = b"kat-ticket-00001";
    let holder_secret = Scalar::from(0x1234_5678u64);
    let attributes = Attributes {
        status: Status::Green.as_u8(),
        time_hours: 493_000,
        travel: Scalar::from(0x0203u64),
        subject: Attributes::subject_scalar("kat-subject"),
    };
    let (holder, m1) =
        HolderRequest::new_with_rng(key.public(), binding, &holder_secret, 2, &mut holder_rng)
            .unwrap();
    let (issuer, m2) =
        IssuerSession::commit_with_rng(&key, binding, attributes, &m1, &mut issuer_rng).unwrap();
    let (holder, m3) = holder.challenge_with_rng(&m2, &mut holder_rng).unwrap();
    let m4 = issuer.answer(&key, &m3).unwrap();
    let tokens = holder.finish(&m4).unwrap();
    v.insert("issuance.binding".into(), hex::encode(binding));
    v.insert(
        "issuance.1_registrations".into(),
        hex::encode(m1.to_bytes()),
    );
    v.insert("issuance.2_commitments".into(), hex::encode(m2.to_bytes()));
    v.insert("issuance.3_challenges".into(), hex::encode(m3.to_bytes()));
    v.insert("issuance.4_answers".into(), hex::encode(m4.to_bytes()));
    v.insert("token.0".into(), hex::encode(&*tokens[0].to_bytes()));
    v.insert("token.1".into(), hex::encode(&*tokens[1].to_bytes()));

    let ctx = kat_context(&key);
    let p = green_recent::prove_with_rng(
        &tokens[0],
        key.public(),
        &ctx,
        &mut ChaCha20Rng::seed_from_u64(3),
    )
    .unwrap();
    v.insert("presentation.bytes".into(), hex::encode(p.to_bytes()));
    v.insert("presentation.text".into(), p.to_text());

    // Wire version 2: the same token's sibling, bound to KAT_KEY_LIST (§5.2 step 13).
    let ctx = kat_context_v2(&key);
    let p = green_recent::prove_with_rng(
        &tokens[1],
        key.public(),
        &ctx,
        &mut ChaCha20Rng::seed_from_u64(4),
    )
    .unwrap();
    v.insert(
        "presentation_v2.key_list_digest".into(),
        hex::encode(kat_key_list()),
    );
    v.insert("presentation_v2.bytes".into(), hex::encode(p.to_bytes()));
    v.insert("presentation_v2.text".into(), p.to_text());
    v
}

/// The key-list digest the version-2 vector is bound to: that of the key list in
/// `tests/vectors/protocol.json` (its `digest`), so the two files chain from a signed key
/// list to a presentation bound to it.
fn kat_key_list() -> [u8; 32] {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/protocol.json"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("protocol.json")).unwrap();
    let bytes = hex::decode(v["key_list"]["bytes"].as_str().unwrap()).unwrap();
    greenlight_protocol::KeyList::from_bytes(&bytes)
        .unwrap()
        .digest()
}

fn kat_context_v2(key: &IssuerKeyPair) -> PresentationContext {
    PresentationContext {
        key_list: KeyListBinding::Digest(kat_key_list()),
        ..kat_context(key)
    }
}

fn kat_context(key: &IssuerKeyPair) -> PresentationContext {
    PresentationContext {
        key_id: key.public().key_id(),
        venue_id: *b"KATVENUE",
        time_slot_hours: 493_010,
        window_hours: 24,
        policy: Policy::GREEN_RECENT,
        key_list: KeyListBinding::None,
    }
}

#[test]
#[ignore = "writes tests/vectors/core.json; run only after an intended format change"]
fn generate_core_vectors() {
    let json = serde_json::to_string_pretty(&derive()).unwrap();
    std::fs::write(PATH, json + "\n").unwrap();
}

#[test]
fn known_answer_vectors() {
    let derived = derive();
    let stored: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(PATH).expect("tests/vectors/core.json"))
            .unwrap();
    assert_eq!(
        stored.keys().collect::<Vec<_>>(),
        derived.keys().collect::<Vec<_>>()
    );
    for (k, want) in &stored {
        assert_eq!(&derived[k], want, "known-answer vector {k} changed");
    }
}

/// The stored presentation verifies on its own, with the stored key, at its context.
#[test]
fn stored_presentation_still_verifies() {
    let stored: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    let pk = greenlight_acl::IssuerPublicKey::from_bytes(
        &hex::decode(&stored["issuer.public_key"]).unwrap(),
    )
    .unwrap();
    let p = Presentation::from_bytes(&hex::decode(&stored["presentation.bytes"]).unwrap()).unwrap();
    let expect = VenueExpectations {
        venue_id: *b"KATVENUE",
        window_hours: 24,
        policy: Policy::GREEN_RECENT,
        now_hours: 493_010,
        clock_tolerance_hours: 1,
        key_lists: Vec::new(),
    };
    let ok = verify_vartime(
        &p,
        &expect,
        &vec![pk.clone()],
        &mut ChaCha20Rng::seed_from_u64(9),
    )
    .unwrap();
    let token = Token::from_bytes(&hex::decode(&stored["token.0"]).unwrap()).unwrap();
    assert_eq!(ok.token_id, token.id());
    // The version-2 presentation verifies under its stored key-list digest, and under no
    // other.
    let p2 =
        Presentation::from_bytes(&hex::decode(&stored["presentation_v2.bytes"]).unwrap()).unwrap();
    let digest: [u8; 32] = hex::decode(&stored["presentation_v2.key_list_digest"])
        .unwrap()
        .try_into()
        .unwrap();
    let with = |key_lists| VenueExpectations {
        key_lists,
        ..expect.clone()
    };
    let ok = verify_vartime(
        &p2,
        &with(vec![digest]),
        &vec![pk.clone()],
        &mut ChaCha20Rng::seed_from_u64(10),
    )
    .unwrap();
    let token1 = Token::from_bytes(&hex::decode(&stored["token.1"]).unwrap()).unwrap();
    assert_eq!(ok.token_id, token1.id());
    assert_eq!(
        verify_vartime(
            &p2,
            &with(vec![[0; 32]]),
            &vec![pk.clone()],
            &mut ChaCha20Rng::seed_from_u64(11),
        )
        .err(),
        Some(RejectReason::KeyListMismatch)
    );
    // And the stored token still has a valid signature under the stored key.
    token.signature().verify_vartime(&pk).unwrap();
    // Every issuance message still decodes and re-encodes byte for byte.
    for (k, decode) in [
        (
            "issuance.1_registrations",
            (|b: &[u8]| RegistrationBatch::from_bytes(b).map(|m| m.to_bytes())) as fn(&[u8]) -> _,
        ),
        ("issuance.2_commitments", |b: &[u8]| {
            CommitmentBatch::from_bytes(b).map(|m| m.to_bytes())
        }),
        ("issuance.3_challenges", |b: &[u8]| {
            ChallengeBatch::from_bytes(b).map(|m| m.to_bytes())
        }),
        ("issuance.4_answers", |b: &[u8]| {
            AnswerBatch::from_bytes(b).map(|m| m.to_bytes())
        }),
    ] {
        let bytes = hex::decode(&stored[k]).unwrap();
        assert_eq!(decode(&bytes).unwrap(), bytes, "{k}");
    }
}
