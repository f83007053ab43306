//! The venue set-up code (`GLS1:`): its one encoding, everything a decoder must refuse, and
//! the venue it rebuilds from a server's key list — the same `VenueConfig` as the venue's
//! own `venue.json`.

use greenlight_protocol::{
    detect_kind, IssuerEntry, IssuerKeyEntry, KeyListBody, SigningKey, VenueCode,
};
use greenlight_venue::{
    ConfigError, Kind, SetupError, UrlProblem, VenueConfig, VenueSetup, MAX_CLOCK_TOLERANCE_HOURS,
};
use greenlight_wire::lengths::{MAX_SERVER_URL_LEN, MAX_VENUE_SETUP_LEN};
use greenlight_wire::{ids, Policy, Status, WireError};
use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::json;

const NOW: u64 = 1_700_000_000;

fn code(name: &str) -> VenueCode {
    VenueCode::from_parts(*b"venue-01", name, 24, Status::Green, Policy::GREEN_RECENT).unwrap()
}

fn setup() -> VenueSetup {
    VenueSetup::new(code("Café"), "http://127.0.0.1:8080/", [0xab; 16], 7, 1).unwrap()
}

/// The layout of docs/spec.md §7.5, byte for byte.
fn known_answer() -> Vec<u8> {
    let mut b = vec![0x01, 0x13];
    let code = [
        &[0x01, 0x12][..],
        b"venue-01",
        &[5],
        "Café".as_bytes(),
        &[24, 1, 1],
    ]
    .concat();
    b.push(u8::try_from(code.len()).unwrap());
    b.extend_from_slice(&code);
    b.push(22);
    b.extend_from_slice(b"http://127.0.0.1:8080/");
    b.extend_from_slice(&[0xab; 16]);
    b.extend_from_slice(&7u64.to_be_bytes());
    b.push(1);
    b
}

#[test]
fn encoding_is_the_specified_layout() {
    let s = setup();
    let bytes = s.to_bytes();
    assert_eq!(bytes, known_answer());
    assert_eq!(bytes.len(), 2 + 1 + 19 + 1 + 22 + 16 + 8 + 1);
    assert_eq!(
        bytes[3..22],
        code("Café").to_bytes()[..],
        "the venue code's own bytes"
    );
    assert_eq!(VenueSetup::from_bytes(&bytes), Ok(s.clone()));
    let text = s.to_text();
    assert!(text.starts_with("GLS1:"), "{text}");
    assert_eq!(detect_kind(&text), Some(Kind::VenueSetup));
    assert_eq!(Kind::VenueSetup.code(), "venue_setup");
    assert_eq!(
        VenueSetup::from_text(&format!("\n {text}\r\n")),
        Ok(s.clone())
    );
    assert_eq!(s.code(), &code("Café"));
    assert_eq!(s.server(), "http://127.0.0.1:8080/");
    assert_eq!(s.server_origin(), "http://127.0.0.1:8080");
    assert_eq!(s.page_url(), "http://127.0.0.1:8080/venue/");
    assert_eq!(s.root_fingerprint_hex(), "ab".repeat(16));
    assert_eq!(s.min_key_list_sequence(), 7);
    assert_eq!(s.clock_tolerance_hours(), 1);
}

#[test]
fn the_largest_code_fits_the_bound_and_a_qr_code() {
    let name = "n".repeat(64);
    let server = format!("https://x/{}", "a".repeat(244));
    let s = VenueSetup::new(code(&name), &server, [0xff; 16], u64::MAX, 24).unwrap();
    assert_eq!(s.server().len(), MAX_SERVER_URL_LEN);
    assert_eq!(s.to_bytes().len(), MAX_VENUE_SETUP_LEN);
    assert_eq!(VenueSetup::from_text(&s.to_text()), Ok(s));
}

#[test]
fn constructor_canonicalises_and_checks() {
    let s = VenueSetup::new(code("A"), " HTTP://Issuer.Example:80 ", [0; 16], 0, 0).unwrap();
    assert_eq!(s.server(), "http://issuer.example/");
    assert_eq!(
        VenueSetup::new(code("A"), "http://x/?q", [0; 16], 0, 1),
        Err(SetupError::ServerUrl(UrlProblem::Query))
    );
    assert_eq!(
        VenueSetup::new(code("A"), "http://x/", [0; 16], 0, 25),
        Err(SetupError::BadTolerance(25))
    );
    assert_eq!(
        VenueSetup::new(code("A"), "http://x/", [0; 16], 0, 300),
        Err(SetupError::BadTolerance(300))
    );
    assert_eq!(MAX_CLOCK_TOLERANCE_HOURS, 24);
}

/// `known_answer()` with `f` applied.
fn tampered(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = known_answer();
    f(&mut b);
    b
}

#[test]
fn every_damaged_field_is_refused() {
    let server_at = 2 + 1 + 19;
    let fp_at = server_at + 1 + 22;
    let cases: Vec<(&str, Vec<u8>, SetupError)> = vec![
        (
            "version",
            tampered(|b| b[0] = 2),
            WireError::UnsupportedVersion(2).into(),
        ),
        (
            "tag",
            tampered(|b| b[1] = 0x12),
            WireError::WrongType {
                expected: 0x13,
                found: 0x12,
            }
            .into(),
        ),
        (
            "trailing byte",
            tampered(|b| b.push(0)),
            WireError::TrailingBytes(1).into(),
        ),
        (
            "venue code length over the bound",
            tampered(|b| b[2] = 79),
            WireError::InvalidField("venue code length").into(),
        ),
        (
            "venue code's tag",
            tampered(|b| b[4] = 0x13),
            SetupError::VenueCode(
                WireError::WrongType {
                    expected: 0x12,
                    found: 0x13,
                }
                .into(),
            ),
        ),
        (
            "non-standard window",
            tampered(|b| b[19] = 23),
            SetupError::VenueCode(greenlight_protocol::ProtocolError::NonStandardWindow(23)),
        ),
        (
            "server URL not canonical (uppercase host)",
            tampered(|b| b[server_at + 1 + 7] = b'X'),
            SetupError::ServerUrl(UrlProblem::NotCanonical),
        ),
        (
            "server URL with an uppercase scheme",
            tampered(|b| b[server_at + 1] = b'H'),
            SetupError::ServerUrl(UrlProblem::NotCanonical),
        ),
        (
            "server URL without its trailing slash",
            tampered(|b| {
                b[server_at] = 21;
                b.remove(server_at + 22);
            }),
            SetupError::ServerUrl(UrlProblem::NotCanonical),
        ),
        (
            "server URL with a control character",
            tampered(|b| b[server_at + 1 + 20] = b'\n'),
            WireError::InvalidString {
                field: "server URL",
                problem: greenlight_wire::StringProblem::ControlCharacter,
            }
            .into(),
        ),
        (
            "server URL with a query",
            tampered(|b| b[server_at + 1 + 20] = b'?'),
            SetupError::ServerUrl(UrlProblem::Query),
        ),
        (
            "server URL too short",
            tampered(|b| b[server_at] = 0),
            WireError::InvalidString {
                field: "server URL",
                problem: greenlight_wire::StringProblem::TooShort,
            }
            .into(),
        ),
        (
            "tolerance over 24",
            tampered(|b| *b.last_mut().unwrap() = 25),
            SetupError::BadTolerance(25),
        ),
        (
            "fingerprint cut short",
            tampered(|b| b.truncate(fp_at + 10)),
            WireError::Truncated.into(),
        ),
        (
            "too long",
            vec![1; MAX_VENUE_SETUP_LEN + 1],
            WireError::TooLong {
                len: MAX_VENUE_SETUP_LEN + 1,
                max: MAX_VENUE_SETUP_LEN,
            }
            .into(),
        ),
    ];
    for (what, bytes, want) in cases {
        assert_eq!(VenueSetup::from_bytes(&bytes), Err(want), "{what}");
    }
    // Every truncation.
    let good = known_answer();
    for n in 0..good.len() {
        assert!(VenueSetup::from_bytes(&good[..n]).is_err(), "cut at {n}");
    }
    // The venue code length says one byte less or more than the code has.
    for delta in [-1i16, 1] {
        let b = tampered(|b| b[2] = u8::try_from(i16::from(b[2]) + delta).unwrap());
        assert!(VenueSetup::from_bytes(&b).is_err(), "length {delta:+}");
    }
}

#[test]
fn text_form_is_strict() {
    let text = setup().to_text();
    let body = &text["GLS1:".len()..];
    let refused = [
        format!("GLV1:{body}"),
        format!("GLS2:{body}"),
        format!("gls1:{body}"),
        format!("GLS1:{}", body.to_lowercase()),
        format!("GLS1:{body}A"),
        format!("GLS1: {body}"),
        format!("GLS1:{}", "0".repeat(10_000)),
        "GLS1:".to_owned(),
        // The same bytes under another object's prefix, and another object under this one.
        code("Café").to_text().replacen("GLV1:", "GLS1:", 1),
    ];
    for t in refused {
        assert!(VenueSetup::from_text(&t).is_err(), "{t}");
    }
}

/// A root, a key list and a venue.json as `greenlight venue init` writes them.
struct Venue {
    root: SigningKey,
    body: KeyListBody,
    code: VenueCode,
}

impl Venue {
    fn new(sequence: u64) -> Venue {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let key = greenlight_acl::IssuerKeyPair::generate_with_rng(&mut rng);
        let entry = IssuerKeyEntry::new(key.public().y_bytes(), 0, NOW + 10, NOW + 20);
        let issuer = IssuerEntry {
            region: "CN-GD".into(),
            display_name: "Guangdong".into(),
            keys: vec![entry],
        };
        Venue {
            root: SigningKey::from_bytes(&[9; 32]),
            body: KeyListBody::new(sequence, NOW - 100 + sequence, vec![issuer]).unwrap(),
            code: VenueCode::new_with_rng(&mut rng, "Lucky Café", 48).unwrap(),
        }
    }

    fn root_hex(&self) -> String {
        hex::encode(self.root.verifying_key().as_bytes())
    }

    fn list(&self) -> String {
        self.body.clone().sign(&self.root).to_text()
    }

    fn config(&self, server: Option<&str>, tolerance: u32) -> VenueConfig {
        let mut doc = json!({
            "version": 1,
            "root_public_key": self.root_hex(),
            "key_list": self.list(),
            "venue_code": self.code.to_text(),
            "clock_tolerance_hours": tolerance,
        });
        if let Some(s) = server {
            doc["server"] = json!(s);
        }
        VenueConfig::from_json(&doc.to_string()).unwrap()
    }
}

#[test]
fn a_venue_makes_its_set_up_code_and_the_code_rebuilds_the_venue() {
    let v = Venue::new(3);
    let config = v.config(Some("https://issuer.example/"), 2);
    let s = VenueSetup::from_config(&config).unwrap();
    assert_eq!(s.code(), &v.code);
    assert_eq!(s.server(), "https://issuer.example/");
    assert_eq!(
        s.root_fingerprint(),
        ids::root_fingerprint(v.root.verifying_key().as_bytes())
    );
    assert_eq!(s.root_fingerprint_hex(), config.trust().fingerprint());
    assert_eq!(s.min_key_list_sequence(), 3);
    assert_eq!(s.clock_tolerance_hours(), 2);

    // What the server's /v1/keys answers rebuilds the same venue.json.
    let scanned = VenueSetup::from_text(&s.to_text()).unwrap();
    let rebuilt = VenueConfig::from_setup(&scanned, &v.root_hex(), &v.list(), None).unwrap();
    assert_eq!(rebuilt.to_json_pretty(), config.to_json_pretty());
    assert_eq!(rebuilt.info(NOW), config.info(NOW));
    // A newer list from the server is fine (and is a valid update of the venue's).
    let newer = Venue::new(4);
    let later = VenueConfig::from_setup(&scanned, &newer.root_hex(), &newer.list(), None).unwrap();
    assert_eq!(later.trust().body().sequence(), 4);
    config.check_update(&later).unwrap();

    // A venue without a server cannot make one.
    assert_eq!(
        VenueSetup::from_config(&v.config(None, 1)),
        Err(SetupError::NoServer)
    );
    assert_eq!(SetupError::NoServer.code(), "no_server");
    assert_eq!(
        VenueSetup::from_config(&v.config(Some("file:///etc/"), 1)),
        Err(SetupError::ServerUrl(UrlProblem::NotHttp))
    );
}

#[test]
fn the_servers_answer_must_match_the_pinned_root_and_not_be_older() {
    let v = Venue::new(3);
    let s = VenueSetup::from_config(&v.config(Some("http://127.0.0.1:8080"), 1)).unwrap();
    assert_eq!(s.server(), "http://127.0.0.1:8080/");

    // Another root, with a list it signed itself: the fingerprint does not match.
    let impostor = SigningKey::from_bytes(&[10; 32]);
    let forged = v.body.clone().sign(&impostor).to_text();
    let err = VenueConfig::from_setup(
        &s,
        &hex::encode(impostor.verifying_key().as_bytes()),
        &forged,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(&err, ConfigError::SetupRootMismatch { pinned, .. } if *pinned == s.root_fingerprint_hex()),
        "{err}"
    );
    assert_eq!(err.code(), "setup_root_mismatch");
    // The pinned root, with a list another root signed.
    assert_eq!(
        VenueConfig::from_setup(&s, &v.root_hex(), &forged, None).err(),
        Some(ConfigError::KeyListSignature)
    );
    // An older list, even correctly signed.
    let older = Venue::new(2);
    let err = VenueConfig::from_setup(&s, &older.root_hex(), &older.list(), None).unwrap_err();
    assert_eq!(
        err,
        ConfigError::SetupOlderKeyList {
            offered: 2,
            required: 3
        }
    );
    assert_eq!(err.code(), "setup_older_key_list");
    // Garbage.
    assert_eq!(
        VenueConfig::from_setup(&s, "zz", &v.list(), None).err(),
        Some(ConfigError::BadRootKey)
    );
    assert!(matches!(
        VenueConfig::from_setup(&s, &v.root_hex(), "GLK1:AB", None),
        Err(ConfigError::BadKeyList(_))
    ));
}

fn arb_setup() -> impl Strategy<Value = VenueSetup> {
    let name = "[a-zA-Z0-9 é幸运]{1,20}";
    let window = proptest::sample::select(greenlight_wire::STANDARD_WINDOWS_HOURS.to_vec());
    let host = "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,3}";
    let path = "(/[a-zA-Z0-9._~%;=-]{0,12}){0,4}";
    let scheme = proptest::sample::select(vec!["http", "https", "HTTP"]);
    let port = proptest::option::of(1u16..);
    (
        any::<[u8; 8]>(),
        name,
        window,
        (scheme, host, port, path),
        any::<[u8; 16]>(),
        any::<u64>(),
        0u32..=24,
    )
        .prop_filter_map(
            "valid parts",
            |(id, name, window, (scheme, host, port, path), fp, seq, tol)| {
                let code =
                    VenueCode::from_parts(id, &name, window, Status::Green, Policy::GREEN_RECENT)
                        .ok()?;
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                let url = format!("{scheme}://{host}{port}{path}");
                VenueSetup::new(code, &url, fp, seq, tol).ok()
            },
        )
}

proptest! {
    #[test]
    fn round_trip(s in arb_setup()) {
        let bytes = s.to_bytes();
        prop_assert!(bytes.len() <= MAX_VENUE_SETUP_LEN);
        prop_assert_eq!(VenueSetup::from_bytes(&bytes), Ok(s.clone()));
        prop_assert_eq!(VenueSetup::from_text(&s.to_text()), Ok(s.clone()));
        // The canonical URL is a fixed point.
        let canonical = greenlight_venue::canonical_server_url(s.server());
        prop_assert_eq!(canonical.as_deref(), Ok(s.server()));
    }

    /// Any one changed byte is refused, or decodes to a *different* value whose encoding is
    /// exactly the changed bytes (one value, one encoding).
    #[test]
    fn one_changed_byte(s in arb_setup(), at in any::<prop::sample::Index>(), x in 1u8..) {
        let mut bytes = s.to_bytes();
        let i = at.index(bytes.len());
        bytes[i] ^= x;
        if let Ok(other) = VenueSetup::from_bytes(&bytes) {
            prop_assert_ne!(&other, &s);
            prop_assert_eq!(other.to_bytes(), bytes);
        }
    }

    #[test]
    fn garbage_never_panics_and_anything_accepted_is_canonical(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut b = bytes;
        if b.len() >= 2 { b[0] = 1; b[1] = 0x13; }
        if let Ok(s) = VenueSetup::from_bytes(&b) {
            prop_assert_eq!(s.to_bytes(), b);
        }
    }

    #[test]
    fn text_garbage_never_panics(t in "GLS1:.{0,600}") {
        if let Ok(s) = VenueSetup::from_text(&t) {
            prop_assert_eq!(s.to_text(), t.trim());
        }
    }
}
