//! Hostile encodings at every position of every decoder that reads a point or a scalar.
//!
//! * Points: the 29 invalid encodings of RFC 9496 Appendix A.2 (plus two extras), from
//!   `tests/vectors/rfc9496_invalid.json`, and the identity, at every point position of
//!   `greenlight_wire::Reader::point`, `IssuerPublicKey`, `Token`, `RegistrationBatch`,
//!   `CommitmentBatch` and `Presentation` (including every point of the range proof).
//! * Scalars: `ℓ`, `ℓ + 1`, `2^256 − 1` and `1 + 2^255` (top bit set) at every scalar position
//!   of the same objects and of `ChallengeBatch` and `AnswerBatch`.
//! * Key lists store issuer keys as raw bytes (`greenlight-protocol` does no curve
//!   arithmetic), so for them the test follows the path a venue takes: decode and verify the
//!   signed list, then build the ACL key with `IssuerPublicKey::from_compressed`.
//!
//! Every check can fail: each layout below is summed and compared with the encoding's
//! length, each listed position is first shown to hold a valid value of its kind, and a
//! *valid* substitute at the same position must still decode — so a wrong offset, a decoder
//! that rejects everything, or a vector that is secretly valid all make a test fail.

use std::sync::OnceLock;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_COMPRESSED;
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use greenlight_acl::issuance::{
    AnswerBatch, ChallengeBatch, CommitmentBatch, HolderRequest, IssuerSession, RegistrationBatch,
};
use greenlight_acl::{Attributes, IssuerKeyPair, IssuerPublicKey, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{KeyListBinding, Policy, Presentation, PresentationContext};
use greenlight_protocol::{IssuerEntry, IssuerKeyEntry, KeyList, KeyListBody, SigningKey};
use greenlight_wire::Status;
use greenlight_wire::{lengths, Reader, WireError};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

// ---- vectors ------------------------------------------------------------------------------

const IDENTITY: [u8; 32] = [0; 32];

fn hex32(s: &str) -> [u8; 32] {
    let v = hex::decode(s).expect("vector is hex");
    v.try_into().expect("vector is 32 bytes")
}

/// `(reason, encoding)` for every invalid encoding in the vector file.
fn invalid_points() -> &'static [(String, [u8; 32])] {
    static V: OnceLock<Vec<(String, [u8; 32])>> = OnceLock::new();
    V.get_or_init(|| {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/rfc9496_invalid.json"))
                .expect("vector file is JSON");
        let mut out = Vec::new();
        for group in json["groups"].as_array().expect("groups") {
            let reason = group["reason"].as_str().expect("reason");
            for e in group["encodings"].as_array().expect("encodings") {
                out.push((reason.to_owned(), hex32(e.as_str().expect("hex"))));
            }
        }
        assert_eq!(out.len(), 29, "RFC 9496 A.2 lists 29 invalid encodings");
        for extra in json["extra"].as_array().expect("extra") {
            out.push((
                extra["reason"].as_str().expect("reason").to_owned(),
                hex32(extra["encoding"].as_str().expect("hex")),
            ));
        }
        out
    })
}

/// ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
const ELL: &str = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

fn bad_scalars() -> Vec<(&'static str, [u8; 32])> {
    let ell = hex32(ELL);
    let mut ell_plus_1 = ell;
    ell_plus_1[0] += 1;
    let mut top_bit = Scalar::ONE.to_bytes();
    top_bit[31] |= 0x80;
    vec![
        ("ℓ", ell),
        ("ℓ + 1", ell_plus_1),
        ("2^256 − 1", [0xff; 32]),
        ("1 + 2^255 (top bit set)", top_bit),
    ]
}

#[test]
fn vectors_are_what_they_claim() {
    // Every invalid point vector really is rejected by curve25519-dalek itself…
    for (reason, enc) in invalid_points() {
        assert!(
            CompressedRistretto(*enc).decompress().is_none(),
            "{reason}: {} decompresses",
            hex::encode(enc)
        );
    }
    // …the identity decodes (it is canonical) but is the identity…
    let id = CompressedRistretto(IDENTITY)
        .decompress()
        .expect("identity is canonical");
    assert!(id.is_identity());
    // …ℓ is right (ℓ − 1 is the canonical encoding of −1)…
    let mut ell_minus_1 = hex32(ELL);
    ell_minus_1[0] -= 1;
    assert_eq!(
        Option::<Scalar>::from(Scalar::from_canonical_bytes(ell_minus_1)),
        Some(-Scalar::ONE)
    );
    // …and no bad scalar is canonical.
    for (name, enc) in bad_scalars() {
        assert!(
            Option::<Scalar>::from(Scalar::from_canonical_bytes(enc)).is_none(),
            "{name} is canonical"
        );
    }
}

// ---- fixtures -----------------------------------------------------------------------------

const NOW: u32 = 493_000;

struct Fixture {
    key: IssuerKeyPair,
    token: Vec<u8>,
    registration: Vec<u8>,
    commitment: Vec<u8>,
    challenge: Vec<u8>,
    answer: Vec<u8>,
    presentation: Vec<u8>,
    presentation_v2: Vec<u8>,
}

/// One honest issuance of two tokens (so batches have a second item whose positions are
/// checked too) and a presentation.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(9496);
        let key = IssuerKeyPair::generate_with_rng(&mut rng);
        let attrs = Attributes {
            status: Status::Green.as_u8(),
            time_hours: NOW - 2,
            travel: Scalar::from(77u64),
            subject: Attributes::subject_scalar("invalid-encodings"),
        };
        let secret = Scalar::from(5u64);
        let (holder, reg) =
            HolderRequest::new_with_rng(key.public(), b"ticket", &secret, 2, &mut rng).unwrap();
        let (session, com) =
            IssuerSession::commit_with_rng(&key, b"ticket", attrs, &reg, &mut rng).unwrap();
        let (holder, chal) = holder.challenge_with_rng(&com, &mut rng).unwrap();
        let ans = session.answer(&key, &chal).unwrap();
        let tokens: Vec<Token> = holder.finish(&ans).unwrap();
        let ctx = PresentationContext {
            key_id: key.public().key_id(),
            venue_id: *b"venue-01",
            time_slot_hours: NOW,
            window_hours: 24,
            policy: Policy::GREEN_RECENT,
            key_list: KeyListBinding::None,
        };
        let presentation = green_recent::prove_with_rng(&tokens[0], key.public(), &ctx, &mut rng)
            .unwrap()
            .to_bytes();
        let ctx_v2 = PresentationContext {
            key_list: KeyListBinding::Digest([0x33; 32]),
            ..ctx
        };
        let presentation_v2 =
            green_recent::prove_with_rng(&tokens[1], key.public(), &ctx_v2, &mut rng)
                .unwrap()
                .to_bytes();
        Fixture {
            token: tokens[0].to_bytes().to_vec(),
            registration: reg.to_bytes(),
            commitment: com.to_bytes(),
            challenge: chal.to_bytes(),
            answer: ans.to_bytes(),
            presentation,
            presentation_v2,
            key,
        }
    })
}

// ---- layouts ------------------------------------------------------------------------------

/// One field of a wire layout.
#[derive(Clone, Copy)]
enum Field {
    /// Bytes that are neither a point nor a scalar (header, ids, integers, flags).
    Other(usize),
    Point(&'static str),
    Scalar(&'static str),
}
use Field::{Other, Point, Scalar as Sc};

/// `(field name, byte offset)` of each field of one kind.
type Offsets = Vec<(&'static str, usize)>;

/// The offsets of every point and every scalar of `layout`, after checking that the layout
/// accounts for exactly `len` bytes.
fn positions(layout: &[Field], len: usize) -> (Offsets, Offsets) {
    let (mut points, mut scalars, mut at) = (Vec::new(), Vec::new(), 0);
    for f in layout {
        match *f {
            Other(n) => at += n,
            Point(name) => {
                points.push((name, at));
                at += 32;
            }
            Sc(name) => {
                scalars.push((name, at));
                at += 32;
            }
        }
    }
    assert_eq!(at, len, "layout does not cover the encoding exactly");
    (points, scalars)
}

const HEADER: Field = Other(lengths::HEADER);
const KEY_ID: Field = Other(lengths::KEY_ID);
/// Attributes: status (1) and time (4) in clear, then the travel and subject scalars.
const ATTRIBUTES: [Field; 3] = [Other(5), Sc("travel"), Sc("subject")];
const SIGNATURE: [Field; 8] = [
    Point("zeta"),
    Point("zeta1"),
    Sc("rho"),
    Sc("omega"),
    Sc("sigma1"),
    Sc("sigma2"),
    Sc("delta"),
    Sc("mu"),
];

fn token_layout() -> Vec<Field> {
    let mut l = vec![HEADER, KEY_ID];
    l.extend(ATTRIBUTES);
    l.extend([Sc("kappa"), Sc("rnd"), Sc("R"), Sc("k")]);
    l.extend(SIGNATURE);
    l
}

fn batch_layout(prefix: &[Field], item: &[Field], n: usize) -> Vec<Field> {
    let mut l = vec![HEADER, KEY_ID];
    l.extend_from_slice(prefix);
    l.push(Other(2)); // count
    for _ in 0..n {
        l.extend_from_slice(item);
    }
    l
}

/// A presentation of wire version 1 (context with the reserved nonce flag, 3 rounds of the
/// range proof) or 2 (no flag, 4 rounds: two values aggregated).
fn presentation_layout(version: u8) -> Vec<Field> {
    let (context, rounds) = if version == 1 {
        (lengths::CONTEXT_FIXED, 3)
    } else {
        (lengths::CONTEXT_FIXED_V2, 4)
    };
    let mut l = vec![HEADER, Other(context)];
    l.extend(SIGNATURE);
    l.push(Point("V"));
    l.push(Sc("sigma challenge"));
    l.extend([Sc("sigma response"); lengths::GREEN_RECENT_SECRETS]);
    l.extend([
        Point("range A"),
        Point("range S"),
        Point("range T1"),
        Point("range T2"),
    ]);
    l.extend([
        Sc("range t_x"),
        Sc("range t_x_blinding"),
        Sc("range e_blinding"),
    ]);
    for _ in 0..rounds {
        l.extend([Point("range L_i"), Point("range R_i")]);
    }
    l.extend([Sc("range a"), Sc("range b")]);
    l
}

// ---- the checks -----------------------------------------------------------------------------

fn with(bytes: &[u8], at: usize, value: &[u8; 32]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at..at + 32].copy_from_slice(value);
    out
}

/// A valid point that appears nowhere in the fixtures: `7·B`.
fn substitute_point() -> [u8; 32] {
    (curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT * Scalar::from(7u64))
        .compress()
        .to_bytes()
}

/// Every invalid point and the identity at every point position; every bad scalar at every
/// scalar position. `decode` is the object's decoder, mapped to `WireError`.
fn check_all<T>(
    what: &str,
    bytes: &[u8],
    layout: &[Field],
    decode: impl Fn(&[u8]) -> Result<T, WireError>,
) -> (usize, usize) {
    let (points, scalars) = positions(layout, bytes.len());
    assert!(
        decode(bytes).is_ok(),
        "{what}: the honest encoding must decode"
    );
    for &(name, at) in &points {
        let here: [u8; 32] = bytes[at..at + 32].try_into().unwrap();
        let p = CompressedRistretto(here).decompress();
        assert!(
            p.is_some_and(|p| !p.is_identity()),
            "{what}: offset {at} ({name}) does not hold a point"
        );
        assert!(
            decode(&with(bytes, at, &substitute_point())).is_ok(),
            "{what}: a valid point at {name} must still decode"
        );
        for (reason, bad) in invalid_points() {
            assert_eq!(
                decode(&with(bytes, at, bad)).err(),
                Some(WireError::InvalidPoint),
                "{what}: {name} = {} ({reason})",
                hex::encode(bad)
            );
        }
        assert_eq!(
            decode(&with(bytes, at, &IDENTITY)).err(),
            Some(WireError::IdentityPoint),
            "{what}: {name} = identity"
        );
    }
    for &(name, at) in &scalars {
        let here: [u8; 32] = bytes[at..at + 32].try_into().unwrap();
        assert!(
            bool::from(Scalar::from_canonical_bytes(here).is_some()),
            "{what}: offset {at} ({name}) does not hold a canonical scalar"
        );
        assert!(
            decode(&with(bytes, at, &Scalar::from(3u64).to_bytes())).is_ok(),
            "{what}: a canonical scalar at {name} must still decode"
        );
        for (bad_name, bad) in bad_scalars() {
            assert_eq!(
                decode(&with(bytes, at, &bad)).err(),
                Some(WireError::NonCanonicalScalar),
                "{what}: {name} = {bad_name}"
            );
        }
    }
    (points.len(), scalars.len())
}

// ---- one test per decoder -----------------------------------------------------------------

#[test]
fn wire_reader_point() {
    let read = |b: &[u8]| -> Result<_, WireError> {
        let mut r = Reader::new(b);
        let p = r.point()?;
        r.finish()?;
        Ok(p)
    };
    assert_eq!(
        check_all(
            "Reader::point",
            RISTRETTO_BASEPOINT_COMPRESSED.as_bytes(),
            &[Point("p")],
            read
        ),
        (1, 0)
    );
    let checked = |b: &[u8]| Reader::new(b).checked_compressed_point();
    check_all(
        "Reader::checked_compressed_point",
        &substitute_point(),
        &[Point("p")],
        checked,
    );
}

#[test]
fn issuer_public_key() {
    let bytes = fixture().key.public().to_bytes();
    let counts = check_all(
        "IssuerPublicKey",
        &bytes,
        &[HEADER, Point("y")],
        IssuerPublicKey::from_bytes,
    );
    assert_eq!(counts, (1, 0));
    // The raw-bytes constructor used for key-list entries agrees.
    assert!(IssuerPublicKey::from_compressed(&IDENTITY).is_none());
    for (reason, bad) in invalid_points() {
        assert!(IssuerPublicKey::from_compressed(bad).is_none(), "{reason}");
    }
}

#[test]
fn token() {
    let f = fixture();
    let t = Token::from_bytes(&f.token).unwrap();
    let (points, _) = positions(&token_layout(), f.token.len());
    // The layout's ζ and ζ1 are the token's.
    assert_eq!(
        &f.token[points[0].1..][..32],
        t.signature().zeta_compressed().as_bytes()
    );
    assert_eq!(
        &f.token[points[1].1..][..32],
        t.signature().zeta1_compressed().as_bytes()
    );
    let counts = check_all("Token", &f.token, &token_layout(), Token::from_bytes);
    assert_eq!(counts, (2, 12));
}

#[test]
fn registration_batch() {
    let f = fixture();
    let item = [Point("C_u"), Sc("c"), Sc("s_R"), Sc("s_k")];
    let layout = batch_layout(&[], &item, 2);
    let reg = RegistrationBatch::from_bytes(&f.registration).unwrap();
    let (points, _) = positions(&layout, f.registration.len());
    for (i, (_, at)) in points.iter().enumerate() {
        assert_eq!(
            &f.registration[*at..][..32],
            reg.registrations[i].c_u_compressed.as_bytes()
        );
    }
    let counts = check_all("RegistrationBatch", &f.registration, &layout, |b| {
        RegistrationBatch::from_bytes(b)
    });
    assert_eq!(counts, (2, 6));
}

#[test]
fn commitment_batch() {
    let f = fixture();
    let item = [Sc("rnd"), Point("a"), Point("b1"), Point("b2")];
    let layout = batch_layout(&ATTRIBUTES, &item, 2);
    let com = CommitmentBatch::from_bytes(&f.commitment).unwrap();
    let (points, _) = positions(&layout, f.commitment.len());
    assert_eq!(
        &f.commitment[points[4].1..][..32],
        com.commitments[1].b1.compress().as_bytes()
    );
    let counts = check_all("CommitmentBatch", &f.commitment, &layout, |b| {
        CommitmentBatch::from_bytes(b)
    });
    assert_eq!(counts, (6, 4));
}

#[test]
fn challenge_and_answer_batches() {
    let f = fixture();
    let layout = batch_layout(&[], &[Sc("e")], 2);
    let counts = check_all("ChallengeBatch", &f.challenge, &layout, |b| {
        ChallengeBatch::from_bytes(b)
    });
    assert_eq!(counts, (0, 2));
    let item = [Sc("c"), Sc("r"), Sc("s1"), Sc("s2"), Sc("d")];
    let layout = batch_layout(&[], &item, 2);
    let counts = check_all("AnswerBatch", &f.answer, &layout, |b| {
        AnswerBatch::from_bytes(b)
    });
    assert_eq!(counts, (0, 10));
}

#[test]
fn presentation() {
    let f = fixture();
    let bytes = &f.presentation;
    let p = Presentation::from_bytes(bytes).unwrap();
    let layout = presentation_layout(1);
    let (points, _) = positions(&layout, bytes.len());
    assert_eq!(&bytes[points[1].1..][..32], &p.token_id());
    assert_eq!(&bytes[points[2].1..][..32], p.v_compressed.as_bytes());
    // The range proof is the last 480 bytes and starts with A.
    assert_eq!(points[3].1, bytes.len() - lengths::RANGE_PROOF_8);
    let counts = check_all("Presentation", bytes, &layout, Presentation::from_bytes);
    // ζ ζ1 V, A S T1 T2, 3×(L R); 6 signature + 9 Σ + 5 range scalars.
    assert_eq!(counts, (13, 20));
    // The text form goes through the same decoder.
    let text = greenlight_wire::text::encode(
        greenlight_wire::prefixes::PRESENTATION,
        &with(bytes, points[0].1, &invalid_points()[0].1),
    );
    assert_eq!(
        Presentation::from_text(&text).err(),
        Some(WireError::InvalidPoint)
    );
}

#[test]
fn presentation_v2() {
    let f = fixture();
    let bytes = &f.presentation_v2;
    assert_eq!(bytes[0], greenlight_wire::VERSION_2);
    assert_eq!(bytes.len(), lengths::PRESENTATION_V2);
    let p = Presentation::from_bytes(bytes).unwrap();
    assert_eq!(p.context.key_list, KeyListBinding::Unsent);
    let layout = presentation_layout(2);
    let (points, _) = positions(&layout, bytes.len());
    assert_eq!(&bytes[points[1].1..][..32], &p.token_id());
    assert_eq!(&bytes[points[2].1..][..32], p.v_compressed.as_bytes());
    // The range proof is the last 544 bytes and starts with A.
    assert_eq!(points[3].1, bytes.len() - lengths::RANGE_PROOF_8X2);
    let counts = check_all("Presentation v2", bytes, &layout, Presentation::from_bytes);
    // ζ ζ1 V, A S T1 T2, 4×(L R); 6 signature + 9 Σ + 5 range scalars.
    assert_eq!(counts, (15, 20));
    // A version-2 body under a version-1 header (and the reverse) is the wrong length.
    let mut as_v1 = bytes.clone();
    as_v1[0] = greenlight_wire::VERSION_1;
    assert!(Presentation::from_bytes(&as_v1).is_err());
    let mut as_v2 = f.presentation.clone();
    as_v2[0] = greenlight_wire::VERSION_2;
    assert!(Presentation::from_bytes(&as_v2).is_err());
    // Version 3 does not exist yet.
    let mut v3 = bytes.clone();
    v3[0] = 3;
    assert_eq!(
        Presentation::from_bytes(&v3).err(),
        Some(WireError::UnsupportedVersion(3))
    );
}

// ---- key lists: raw bytes in the list, checked when the venue builds its key set ----------

/// What a venue does with a key list it fetched: decode, verify under the pinned root, and
/// turn every listed key it can into an ACL key. `None` if the protocol crate refused the list.
fn venue_keys(root: &SigningKey, keys: &[[u8; 32]]) -> Option<Vec<IssuerPublicKey>> {
    let entries = keys
        .iter()
        .map(|k| IssuerKeyEntry::new(*k, 1_700_000_000, 1_700_086_400, 1_700_172_800))
        .collect();
    let issuers = vec![IssuerEntry {
        region: "CN-GD".into(),
        display_name: "Test".into(),
        keys: entries,
    }];
    let bytes = KeyListBody::new(1, 1_700_000_000, issuers)
        .ok()?
        .sign(root)
        .to_bytes();
    let list = KeyList::from_bytes(&bytes).ok()?;
    let verified = list
        .verify(&root.verifying_key())
        .expect("the root signed this list");
    let mut usable = Vec::new();
    for entry in &verified.issuers()[0].keys {
        if let Some(pk) = IssuerPublicKey::from_compressed(&entry.public_key) {
            assert_eq!(pk.key_id().0, entry.key_id, "key id derivations agree");
            usable.push(pk);
        }
    }
    Some(usable)
}

#[test]
fn key_list_issuer_keys_are_checked_when_the_venue_builds_its_keys() {
    let f = fixture();
    let root = SigningKey::from_bytes(&[0x52; 32]);
    let good = f.key.public().y_bytes();
    let expected = vec![f.key.public().clone()];
    // Control: a list with only the good key yields exactly that key.
    assert_eq!(venue_keys(&root, &[good]), Some(expected.clone()));
    let bad_keys = invalid_points()
        .iter()
        .map(|(r, b)| (r.as_str(), *b))
        .chain([("identity", IDENTITY)]);
    for (reason, bad) in bad_keys {
        // The protocol crate may refuse the key outright (None); if it carries it as bytes,
        // the venue's conversion must drop it and keep only the good key.
        if let Some(usable) = venue_keys(&root, &[good, bad]) {
            assert_eq!(usable, expected, "{reason}: {}", hex::encode(bad));
        }
    }
}
