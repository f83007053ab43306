//! Presentations: honest round trips and every way a venue must say no.

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::issue_locally_with_rng;
use greenlight_acl::{Attributes, IssuerKeyPair, IssuerPublicKey, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::*;
use greenlight_protocol::Status;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const NOW: u32 = 493_000;
const VENUE: [u8; 8] = *b"venue-01";
/// The digest of the key list the holders present under (wire version 2).
const LIST: KeyListDigest = [0x4c; 32];

fn setup(
    status: Status,
    issued_at: u32,
    n: usize,
    seed: u64,
) -> (IssuerKeyPair, Vec<Token>, ChaCha20Rng) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let key = IssuerKeyPair::generate_with_rng(&mut rng);
    let attrs = Attributes {
        status: status.as_u8(),
        time_hours: issued_at,
        travel: Scalar::from(12345u64),
        subject: Attributes::subject_scalar("handle-42"),
    };
    let tokens = issue_locally_with_rng(&key, b"ticket", attrs, n, &mut rng).unwrap();
    (key, tokens, rng)
}

/// A version-2 context bound to [`LIST`].
fn ctx(pk: &IssuerPublicKey, window: u8) -> PresentationContext {
    PresentationContext {
        key_id: pk.key_id(),
        venue_id: VENUE,
        time_slot_hours: NOW,
        window_hours: window,
        policy: Policy::GREEN_RECENT,
        key_list: KeyListBinding::Digest(LIST),
    }
}

/// The same context in wire version 1.
fn ctx_v1(pk: &IssuerPublicKey, window: u8) -> PresentationContext {
    PresentationContext {
        key_list: KeyListBinding::None,
        ..ctx(pk, window)
    }
}

/// A wire-version-1 presentation of a green token issued at `issued_at`, for a 24 h venue:
/// the key, the bytes (checked to be the version-1 length) and the rng to go on with.
fn present_v1(issued_at: u32, seed: u64) -> (IssuerKeyPair, Vec<u8>, ChaCha20Rng) {
    let (key, tokens, mut rng) = setup(Status::Green, issued_at, 1, seed);
    let bytes = green_recent::prove_with_rng(
        &tokens[0],
        key.public(),
        &ctx_v1(key.public(), 24),
        &mut rng,
    )
    .unwrap()
    .to_bytes();
    assert_eq!(bytes.len(), greenlight_wire::lengths::PRESENTATION_V1);
    (key, bytes, rng)
}

/// A venue whose current key list is [`LIST`].
fn expect(window: u8) -> VenueExpectations {
    VenueExpectations {
        venue_id: VENUE,
        window_hours: window,
        policy: Policy::GREEN_RECENT,
        now_hours: NOW,
        clock_tolerance_hours: 1,
        key_lists: vec![LIST],
    }
}

#[test]
fn every_token_of_a_batch_presents_and_verifies() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW - 3, 4, 1);
    let keys = vec![key.public().clone()];
    let mut seen = std::collections::HashSet::new();
    for t in &tokens {
        let p = green_recent::prove_with_rng(t, key.public(), &ctx(key.public(), 24), &mut rng)
            .unwrap();
        let bytes = p.to_bytes();
        assert_eq!(bytes.len(), greenlight_wire::lengths::PRESENTATION);
        let decoded = Presentation::from_bytes(&bytes).unwrap();
        assert_eq!(decoded.to_bytes(), bytes, "decode → encode is the identity");
        let text = p.to_text();
        assert_eq!(Presentation::from_text(&text).unwrap().to_bytes(), bytes);
        let ok = verify_vartime(&decoded, &expect(24), &keys, &mut rng).unwrap();
        assert_eq!(ok.token_id, t.id());
        assert!(seen.insert(ok.token_id));
    }
}

#[test]
fn showing_the_same_token_twice_is_detectable_by_its_id() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW, 1, 2);
    let p1 =
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 24), &mut rng)
            .unwrap();
    let p2 =
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 24), &mut rng)
            .unwrap();
    assert_ne!(p1.to_bytes(), p2.to_bytes(), "proofs are randomised");
    assert_eq!(p1.token_id(), p2.token_id(), "but the token id is the same");
}

#[test]
fn the_reserved_nonce_flag_is_zero_and_anything_else_is_refused() {
    // v1 has no venue nonce (docs/spec.md §5.1): the flag byte after the policy is always 0,
    // and the 0x01 that once announced a nonce is refused like any other value, with or
    // without 16 more bytes after it.
    let (_, bytes, _) = present_v1(NOW, 3);
    let flag = 2 + greenlight_wire::lengths::CONTEXT_FIXED - 1;
    assert_eq!(bytes[flag], 0);
    for value in [1u8, 2, 0xff] {
        let mut changed = bytes.clone();
        changed[flag] = value;
        assert!(Presentation::from_bytes(&changed).is_err(), "flag {value}");
        let mut with_nonce = bytes[..=flag].to_vec();
        with_nonce[flag] = value;
        with_nonce.extend_from_slice(&[7; 16]);
        with_nonce.extend_from_slice(&bytes[flag + 1..]);
        assert!(
            Presentation::from_bytes(&with_nonce).is_err(),
            "flag {value} + 16 bytes"
        );
    }
}

#[test]
fn red_and_yellow_tokens_cannot_prove_green() {
    for status in [Status::Red, Status::Yellow] {
        let (key, tokens, mut rng) = setup(status, NOW, 1, 4);
        assert_eq!(
            green_recent::prove_with_rng(
                &tokens[0],
                key.public(),
                &ctx(key.public(), 24),
                &mut rng
            )
            .err(),
            Some(PresentError::NotGreen)
        );
        // A wallet that lies about the status (claims green) still has no witness for (S2).
        let mut liar = tokens[0].clone();
        liar.attributes_mut_unchecked().status = Status::Green.as_u8();
        let p = green_recent::prove_with_rng(&liar, key.public(), &ctx(key.public(), 24), &mut rng)
            .unwrap();
        assert_eq!(
            verify_vartime(&p, &expect(24), &vec![key.public().clone()], &mut rng),
            Err(RejectReason::BadProof)
        );
    }
}

#[test]
fn old_tokens_are_refused_and_a_lying_wallet_is_rejected() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW - 30, 1, 5);
    let keys = vec![key.public().clone()];
    assert_eq!(
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 24), &mut rng)
            .err(),
        Some(PresentError::TooOld)
    );
    // Fine for a 48 h venue.
    let p =
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 48), &mut rng)
            .unwrap();
    assert!(verify_vartime(&p, &expect(48), &keys, &mut rng).is_ok());
    // A wallet claiming a newer time than certified: (S2) fails.
    let mut liar = tokens[0].clone();
    liar.attributes_mut_unchecked().time_hours = NOW - 1;
    let p = green_recent::prove_with_rng(&liar, key.public(), &ctx(key.public(), 24), &mut rng)
        .unwrap();
    assert_eq!(
        verify_vartime(&p, &expect(24), &keys, &mut rng),
        Err(RejectReason::BadProof)
    );
    // A presentation built for a 48 h window, relabelled as 24 h: transcript and range differ.
    let p48 =
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 48), &mut rng)
            .unwrap();
    let mut relabelled = p48.clone();
    relabelled.context.window_hours = 24;
    assert!(verify_vartime(&relabelled, &expect(24), &keys, &mut rng).is_err());
}

#[test]
fn context_mismatches_are_rejected_with_their_reason() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW, 1, 6);
    let keys = vec![key.public().clone()];
    let p =
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 24), &mut rng)
            .unwrap();
    let mut e = expect(24);
    e.venue_id = *b"venue-02";
    assert_eq!(
        verify_vartime(&p, &e, &keys, &mut rng),
        Err(RejectReason::WrongVenue)
    );
    let mut e = expect(24);
    e.now_hours = NOW + 2;
    assert_eq!(
        verify_vartime(&p, &e, &keys, &mut rng),
        Err(RejectReason::ClockSkew)
    );
    e.now_hours = NOW + 1;
    assert!(
        verify_vartime(&p, &e, &keys, &mut rng).is_ok(),
        "within tolerance"
    );
    assert_eq!(
        verify_vartime(&p, &expect(48), &keys, &mut rng),
        Err(RejectReason::WrongWindow)
    );
    let mut odd = p.clone();
    odd.context.window_hours = 37;
    let mut e = expect(24);
    e.window_hours = 37;
    assert_eq!(
        verify_vartime(&odd, &e, &keys, &mut rng),
        Err(RejectReason::NonStandardWindow)
    );
    let mut c = ctx(key.public(), 37);
    c.window_hours = 37;
    assert_eq!(
        green_recent::prove_with_rng(&tokens[0], key.public(), &c, &mut rng).err(),
        Some(PresentError::NonStandardWindow(37))
    );
    let mut other_policy = ctx(key.public(), 24);
    other_policy.policy = Policy::from_wire_byte(2);
    assert_eq!(
        green_recent::prove_with_rng(&tokens[0], key.public(), &other_policy, &mut rng).err(),
        Some(PresentError::WrongPolicy(2))
    );
    let mut wrong_policy = p.clone();
    wrong_policy.context.policy = Policy::from_wire_byte(2);
    assert_eq!(
        verify_vartime(&wrong_policy, &expect(24), &keys, &mut rng),
        Err(RejectReason::WrongPolicy)
    );
    // A key not in the venue's key set.
    let other = IssuerKeyPair::generate_with_rng(&mut rng);
    assert_eq!(
        verify_vartime(&p, &expect(24), &vec![other.public().clone()], &mut rng),
        Err(RejectReason::UnknownKey)
    );
    // Tampered context fields that pass the cheap checks still break the transcript.
    let mut shifted = p.clone();
    shifted.context.time_slot_hours = NOW + 1;
    assert!(verify_vartime(&shifted, &expect(24), &keys, &mut rng).is_err());
}

#[test]
fn every_flipped_bit_is_rejected() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW - 1, 1, 7);
    let keys = vec![key.public().clone()];
    let bytes =
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 24), &mut rng)
            .unwrap()
            .to_bytes();
    let mut accepted = 0;
    for i in 0..bytes.len() * 8 {
        let mut b = bytes.clone();
        b[i / 8] ^= 1 << (i % 8);
        if let Ok(p) = Presentation::from_bytes(&b) {
            if verify_vartime(&p, &expect(24), &keys, &mut rng).is_ok() {
                accepted += 1;
                eprintln!("bit {i} flipped and still accepted");
            }
        }
    }
    assert_eq!(accepted, 0);
}

#[test]
fn decoder_rejects_truncation_trailing_bytes_and_degenerate_points() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW, 2, 8);
    // Offsets: header 2 + context 23 (v1; 22 in v2): ζ, ζ1, then ρ after 64 bytes, V after
    // the 256-byte signature, the range proof's A after the 288-byte Σ-proof.
    for (token, ctx, sig) in [
        (&tokens[0], ctx_v1(key.public(), 24), 25),
        (&tokens[1], ctx(key.public(), 24), 24),
    ] {
        let bytes = green_recent::prove_with_rng(token, key.public(), &ctx, &mut rng)
            .unwrap()
            .to_bytes();
        for len in 0..bytes.len() {
            assert!(Presentation::from_bytes(&bytes[..len]).is_err());
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(Presentation::from_bytes(&long).is_err());
        let v = sig + 256;
        let mut same = bytes.clone();
        let zeta: Vec<u8> = same[sig..sig + 32].to_vec();
        same[sig + 32..sig + 64].copy_from_slice(&zeta);
        assert!(Presentation::from_bytes(&same).is_err(), "ζ1 == ζ");
        for off in [sig, sig + 32, v, v + 32 + 288] {
            let mut ident = bytes.clone();
            ident[off..off + 32].fill(0);
            assert!(
                Presentation::from_bytes(&ident).is_err(),
                "identity at {off}"
            );
        }
        // Non-canonical scalar (ρ) := ℓ + small.
        let mut nc = bytes.clone();
        nc[sig + 64..sig + 96].copy_from_slice(&[0xff; 32]);
        assert!(Presentation::from_bytes(&nc).is_err());
        // The other version's header over this version's body, and a version that does not
        // exist.
        for version in [1, 2, 3, 0] {
            if version == bytes[0] {
                continue;
            }
            let mut bad_version = bytes.clone();
            bad_version[0] = version;
            assert!(Presentation::from_bytes(&bad_version).is_err());
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]
    #[test]
    fn honest_prove_verify_over_random_attributes(
        seed in proptest::prelude::any::<u64>(),
        age in 0u32..=168,
        window_idx in 0usize..6,
        travel in proptest::prelude::any::<u64>(),
        handle in "[a-z0-9]{1,20}",
    ) {
        let window = STANDARD_WINDOWS_HOURS[window_idx];
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let key = IssuerKeyPair::generate_with_rng(&mut rng);
        let attrs = Attributes { status: 1, time_hours: NOW - age, travel: Scalar::from(travel), subject: Attributes::subject_scalar(&handle) };
        let t = issue_locally_with_rng(&key, b"t", attrs, 1, &mut rng).unwrap();
        let r = green_recent::prove_with_rng(&t[0], key.public(), &ctx(key.public(), window), &mut rng);
        if age > u32::from(window) {
            proptest::prop_assert_eq!(r.err(), Some(PresentError::TooOld));
        } else {
            let p = Presentation::from_bytes(&r.unwrap().to_bytes()).unwrap();
            proptest::prop_assert!(verify_vartime(&p, &expect(window), &vec![key.public().clone()], &mut rng).is_ok());
        }
    }

    #[test]
    fn presentation_decoder_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1200)) {
        let _ = Presentation::from_bytes(&bytes);
    }
}

#[test]
fn version_2_verifies_only_under_a_key_list_the_venue_holds() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW - 1, 4, 21);
    let keys = vec![key.public().clone()];
    let p =
        green_recent::prove_with_rng(&tokens[0], key.public(), &ctx(key.public(), 24), &mut rng)
            .unwrap();
    assert_eq!(p.to_bytes()[0], greenlight_wire::VERSION_2);
    assert_eq!(
        p.to_bytes().len(),
        greenlight_wire::lengths::PRESENTATION_V2
    );
    let decoded = Presentation::from_bytes(&p.to_bytes()).unwrap();
    let with_lists = |lists: Vec<KeyListDigest>| VenueExpectations {
        key_lists: lists,
        ..expect(24)
    };
    let other = [0x99; 32];
    // The venue's current list, or its previous one: accepted, whichever order.
    for lists in [vec![LIST], vec![other, LIST], vec![LIST, other]] {
        verify_vartime(&decoded, &with_lists(lists), &keys, &mut rng).unwrap();
    }
    // Any other list (a split view, or a wallet two versions behind), or none: refused with
    // its own reason — the in-memory presentation too, which knows its digest.
    for lists in [vec![other], vec![], vec![other, [0x98; 32]]] {
        for pres in [&decoded, &p] {
            assert_eq!(
                verify_vartime(pres, &with_lists(lists.clone()), &keys, &mut rng).err(),
                Some(RejectReason::KeyListMismatch)
            );
        }
    }
    // The Σ-proof does not depend on the list: a red token forced into a green proof is
    // still a bad proof, whatever lists the venue holds.
    let (red_key, red, mut rng) = setup(Status::Red, NOW - 1, 1, 22);
    let mut liar = red[0].clone();
    liar.attributes_mut_unchecked().status = Status::Green.as_u8();
    let forged = green_recent::prove_with_rng(
        &liar,
        red_key.public(),
        &ctx(red_key.public(), 24),
        &mut rng,
    )
    .unwrap();
    assert_eq!(
        verify_vartime(
            &forged,
            &with_lists(vec![other]),
            &vec![red_key.public().clone()],
            &mut rng
        )
        .err(),
        Some(RejectReason::BadProof)
    );
}

#[test]
fn version_1_still_verifies_and_binds_no_key_list() {
    let (key, bytes, mut rng) = present_v1(NOW - 1, 23);
    assert_eq!(bytes[0], greenlight_wire::VERSION_1);
    let decoded = Presentation::from_bytes(&bytes).unwrap();
    assert_eq!(decoded.context.key_list, KeyListBinding::None);
    for lists in [vec![], vec![[0x99; 32]]] {
        let e = VenueExpectations {
            key_lists: lists,
            ..expect(24)
        };
        verify_vartime(&decoded, &e, &vec![key.public().clone()], &mut rng).unwrap();
    }
}

#[test]
fn a_version_2_context_needs_a_chosen_key_list() {
    let (key, tokens, mut rng) = setup(Status::Green, NOW - 1, 1, 24);
    let unsent = PresentationContext {
        key_list: KeyListBinding::Unsent,
        ..ctx(key.public(), 24)
    };
    assert_eq!(
        green_recent::prove_with_rng(&tokens[0], key.public(), &unsent, &mut rng).err(),
        Some(PresentError::KeyListNotChosen)
    );
}
