//! Issuance end to end, codecs, and the ways it must fail.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::MultiscalarMul;
use greenlight_acl::issuance::*;
use greenlight_acl::*;
use greenlight_protocol::Status;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const TICKET: &[u8] = b"ticket-0123456789";

fn attrs(status: Status) -> Attributes {
    Attributes {
        status: status.as_u8(),
        time_hours: 493_000,
        travel: Scalar::from(77u64),
        subject: Attributes::subject_scalar("subject-handle-1"),
    }
}

fn issue(n: usize, seed: u64) -> (IssuerKeyPair, Vec<Token>) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let key = IssuerKeyPair::generate_with_rng(&mut rng);
    let (reg, msg1) =
        HolderRequest::new_with_rng(key.public(), TICKET, &Scalar::from(4242u64), n, &mut rng)
            .unwrap();
    let msg1 = RegistrationBatch::from_bytes(&msg1.to_bytes()).unwrap();
    let (committed, msg2) =
        IssuerSession::commit_with_rng(&key, TICKET, attrs(Status::Green), &msg1, &mut rng)
            .unwrap();
    let msg2 = CommitmentBatch::from_bytes(&msg2.to_bytes()).unwrap();
    let (challenged, msg3) = reg.challenge_with_rng(&msg2, &mut rng).unwrap();
    let msg3 = ChallengeBatch::from_bytes(&msg3.to_bytes()).unwrap();
    let msg4 = committed.answer(&key, &msg3).unwrap();
    let msg4 = AnswerBatch::from_bytes(&msg4.to_bytes()).unwrap();
    let tokens = challenged.finish(&msg4).unwrap();
    (key, tokens)
}

#[test]
fn batch_issuance_yields_valid_distinct_tokens() {
    let (key, tokens) = issue(5, 1);
    assert_eq!(tokens.len(), 5);
    let mut ids: Vec<_> = tokens.iter().map(|t| t.id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "token ids are distinct");
    for t in &tokens {
        t.signature().verify_vartime(key.public()).unwrap();
        assert_eq!(*t.attributes(), attrs(Status::Green));
        // Openings are consistent: κ·ζ1 = C + rnd·g.
        let g = generators();
        let c = RistrettoPoint::multiscalar_mul(
            [
                *t.r(),
                *t.k(),
                Scalar::from(t.attributes().status),
                Scalar::from(t.attributes().time_hours),
                t.attributes().travel,
                t.attributes().subject,
                *t.rnd(),
            ],
            [g.h_r, g.h_k, g.h_st, g.h_ts, g.h_tr, g.h_id, g.g],
        );
        assert_eq!(t.signature().zeta1() * t.kappa(), c);
        assert_eq!(t.signature().zeta() * t.kappa(), *key.public().z());
        // Codec round trip is the identity both ways.
        let bytes = t.to_bytes();
        let back = Token::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
    }
}

#[test]
fn token_does_not_verify_under_another_key_or_when_tampered() {
    let (key, tokens) = issue(1, 2);
    let other = IssuerKeyPair::generate_with_rng(&mut ChaCha20Rng::seed_from_u64(99));
    let sig = tokens[0].signature();
    assert_eq!(
        sig.verify_vartime(other.public()),
        Err(AclError::BadSignature)
    );
    for i in 0..6 {
        let mut scalars = sig.scalars();
        scalars[i] += Scalar::ONE;
        let bad = AclSignature::from_parts_unchecked(*sig.zeta(), *sig.zeta1(), scalars);
        assert!(bad.verify_vartime(key.public()).is_err(), "scalar {i}");
    }
    let bad = AclSignature::from_parts_unchecked(
        *sig.zeta(),
        sig.zeta1() + generators().g,
        sig.scalars(),
    );
    assert!(bad.verify_vartime(key.public()).is_err());
}

#[test]
fn bad_registration_proof_is_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let key = IssuerKeyPair::generate_with_rng(&mut rng);
    let (_reg, msg1) =
        HolderRequest::new_with_rng(key.public(), TICKET, &Scalar::from(4242u64), 3, &mut rng)
            .unwrap();
    // Proofs are bound to the ticket: another binding fails.
    assert!(matches!(
        IssuerSession::commit_with_rng(
            &key,
            b"other-ticket",
            attrs(Status::Green),
            &msg1,
            &mut rng
        ),
        Err(AclError::BadRegistration(0))
    ));
    // Smuggling a status term into C_u (C_u' = C_u + h_st) breaks the proof.
    let mut smuggled = msg1.clone();
    smuggled.registrations[1].c_u += generators().h_st;
    smuggled.registrations[1].c_u_compressed = smuggled.registrations[1].c_u.compress();
    assert!(matches!(
        IssuerSession::commit_with_rng(&key, TICKET, attrs(Status::Green), &smuggled, &mut rng),
        Err(AclError::BadRegistration(1))
    ));
    // Reordered registrations fail too (index is bound).
    let mut swapped = msg1.clone();
    swapped.registrations.swap(0, 2);
    assert!(
        IssuerSession::commit_with_rng(&key, TICKET, attrs(Status::Green), &swapped, &mut rng)
            .is_err()
    );
}

#[test]
fn tampered_answer_fails_the_batch_at_the_holder() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let key = IssuerKeyPair::generate_with_rng(&mut rng);
    let (reg, msg1) =
        HolderRequest::new_with_rng(key.public(), TICKET, &Scalar::from(4242u64), 2, &mut rng)
            .unwrap();
    let (committed, msg2) =
        IssuerSession::commit_with_rng(&key, TICKET, attrs(Status::Red), &msg1, &mut rng).unwrap();
    let (challenged, msg3) = reg.challenge_with_rng(&msg2, &mut rng).unwrap();
    let mut msg4 = committed.answer(&key, &msg3).unwrap();
    msg4.answers[1].r += Scalar::ONE;
    assert_eq!(challenged.finish(&msg4).err(), Some(AclError::BadToken(1)));
}

#[test]
fn batch_limits_and_mismatches() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let key = IssuerKeyPair::generate_with_rng(&mut rng);
    assert!(matches!(
        HolderRequest::new_with_rng(key.public(), TICKET, &Scalar::from(4242u64), 0, &mut rng),
        Err(AclError::BatchLimit(0))
    ));
    assert!(matches!(
        HolderRequest::new_with_rng(key.public(), TICKET, &Scalar::from(4242u64), 65, &mut rng),
        Err(AclError::BatchLimit(65))
    ));
    let (reg, msg1) =
        HolderRequest::new_with_rng(key.public(), TICKET, &Scalar::from(4242u64), 2, &mut rng)
            .unwrap();
    let (committed, mut msg2) =
        IssuerSession::commit_with_rng(&key, TICKET, attrs(Status::Green), &msg1, &mut rng)
            .unwrap();
    msg2.commitments.pop();
    assert!(matches!(
        reg.challenge_with_rng(&msg2, &mut rng),
        Err(AclError::BatchSize { .. })
    ));
    let short = ChallengeBatch {
        key_id: committed.key_id(),
        challenges: vec![Scalar::ONE],
    };
    // A malformed challenge still consumes the session (no second try with the same secrets).
    assert!(committed.answer(&key, &short).is_err());
}

#[test]
fn decoders_reject_every_truncation_and_trailing_bytes() {
    let (key, tokens) = issue(1, 6);
    let bytes = tokens[0].to_bytes();
    for len in 0..bytes.len() {
        assert!(
            Token::from_bytes(&bytes[..len]).is_err(),
            "truncated at {len}"
        );
    }
    let mut long = bytes.to_vec();
    long.push(0);
    assert!(Token::from_bytes(&long).is_err());
    let pk = key.public().to_bytes();
    assert_eq!(IssuerPublicKey::from_bytes(&pk).unwrap(), *key.public());
    let mut bad = pk.clone();
    bad[2..].fill(0);
    assert!(IssuerPublicKey::from_bytes(&bad).is_err(), "identity key");
}

#[test]
fn signature_keeps_its_wire_bytes() {
    // Token layout: header (2) ‖ key_id (8) ‖ attributes (69) ‖ openings (128) ‖ signature.
    let (_, tokens) = issue(1, 5);
    let t = &tokens[0];
    let bytes = t.to_bytes();
    let at = bytes.len() - greenlight_wire::lengths::ACL_SIGNATURE;
    assert_eq!(&bytes[at..], &t.signature().as_bytes()[..], "issued");
    let back = Token::from_bytes(&bytes).unwrap();
    assert_eq!(
        back.signature().as_bytes(),
        t.signature().as_bytes(),
        "decoded"
    );
    assert_eq!(back.signature(), t.signature());
    // The stored encoding is the fields' encoding, in wire order.
    let sig = t.signature();
    let mut expected = Vec::new();
    expected.extend_from_slice(sig.zeta_compressed().as_bytes());
    expected.extend_from_slice(sig.zeta1_compressed().as_bytes());
    for s in sig.scalars() {
        expected.extend_from_slice(s.as_bytes());
    }
    assert_eq!(&expected[..], &sig.as_bytes()[..]);
    assert_eq!(sig.token_id(), t.id());
    let rebuilt = AclSignature::from_parts_unchecked(*sig.zeta(), *sig.zeta1(), sig.scalars());
    assert_eq!(&rebuilt, sig);
}

/// A session sealed by one issuer node opens on another with the same key and answers like
/// the original; it opens only under its key, id and expiry, and any altered byte refuses.
#[test]
fn a_sealed_session_opens_only_where_it_was_meant_to() {
    let mut rng = ChaCha20Rng::seed_from_u64(91);
    let key = IssuerKeyPair::generate_with_rng(&mut rng);
    let other = IssuerKeyPair::generate_with_rng(&mut rng);
    let (reg, msg1) =
        HolderRequest::new_with_rng(key.public(), TICKET, &Scalar::from(4242u64), 3, &mut rng)
            .unwrap();
    let (committed, msg2) =
        IssuerSession::commit_with_rng(&key, TICKET, attrs(Status::Green), &msg1, &mut rng)
            .unwrap();
    let id = [7u8; seal::SESSION_ID_LEN];
    let sealed = committed.seal(&SealKey::new(&key), &id, 1_000, &mut rng);
    assert_eq!(sealed.len(), 1 + 24 + (8 + 1 + 3 * 128) + 16);
    // A fresh nonce each time: two seals of one session differ.
    assert_ne!(
        sealed,
        committed.seal(&SealKey::new(&key), &id, 1_000, &mut rng)
    );
    drop(committed);

    // Another node: the same issuer.key, loaded from its bytes.
    let node2 = IssuerKeyPair::from_secret_bytes(&key.secret().to_bytes()).unwrap();
    let seal2 = SealKey::new(&node2);
    assert!(matches!(
        IssuerCommitted::unseal(&seal2, &[8u8; 16], 1_000, &sealed),
        Err(SealError::Unauthentic)
    ));
    assert!(matches!(
        IssuerCommitted::unseal(&seal2, &id, 1_001, &sealed),
        Err(SealError::Unauthentic)
    ));
    assert!(matches!(
        IssuerCommitted::unseal(&SealKey::new(&other), &id, 1_000, &sealed),
        Err(SealError::Unauthentic)
    ));
    for i in 0..sealed.len() {
        let mut bad = sealed.clone();
        bad[i] ^= 0x01;
        assert!(
            IssuerCommitted::unseal(&seal2, &id, 1_000, &bad).is_err(),
            "byte {i}"
        );
    }
    for cut in 0..sealed.len() {
        assert!(
            IssuerCommitted::unseal(&seal2, &id, 1_000, &sealed[..cut]).is_err(),
            "cut {cut}"
        );
    }

    let moved = IssuerCommitted::unseal(&seal2, &id, 1_000, &sealed).unwrap();
    assert_eq!((moved.len(), moved.key_id()), (3, key.public().key_id()));
    let (challenged, msg3) = reg.challenge_with_rng(&msg2, &mut rng).unwrap();
    let msg4 = moved.answer(&node2, &msg3).unwrap();
    assert_eq!(challenged.finish(&msg4).unwrap().len(), 3);
}
