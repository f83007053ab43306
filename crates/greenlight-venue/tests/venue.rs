//! The venue rules end to end, on fixtures made here with the real crates: ACL issuance run
//! locally, a root-signed key list with two regions (plus a revoked key), two venues, and
//! presentations proven for them. No I/O: every clock is a parameter.

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::issue_locally_with_rng;
use greenlight_acl::{Attributes, IssuerKeyPair, KeyId, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{KeyListBinding, Policy, PresentationContext};
use greenlight_protocol::{
    IssuerEntry, IssuerKeyEntry, KeyList, KeyListBody, SigningKey, VenueCode, KEY_LIST_SETTLE_SECS,
};
use greenlight_venue::{
    AcceptedKeys, ConfigError, Kind, Outcome, Reason, RejectReason, SeenSet, TrustedKeyList,
    VenueConfig, VenueFile, Verdict, MAX_VENUE_JSON_LEN,
};
use greenlight_wire::Status;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};

/// 2023-11-14 22:00 UTC in hours, and ten minutes into that hour in seconds.
const NOW_HOUR: u32 = 472_222;
const NOW: u64 = NOW_HOUR as u64 * 3600 + 600;
const DAY: u64 = 86_400;

struct Fixture {
    gd: IssuerKeyPair,
    hk: IssuerKeyPair,
    revoked: IssuerKeyPair,
    root: SigningKey,
    code: VenueCode,
    other_code: VenueCode,
    rng: ChaCha20Rng,
}

fn entry(key: &IssuerKeyPair, revoked: bool) -> IssuerKeyEntry {
    let mut e = IssuerKeyEntry::new(
        key.public().y_bytes(),
        NOW - 30 * DAY,
        NOW + 30 * DAY,
        NOW + 40 * DAY,
    );
    e.revoked = revoked;
    e
}

fn issuer(region: &str, keys: Vec<IssuerKeyEntry>) -> IssuerEntry {
    IssuerEntry {
        region: region.into(),
        display_name: format!("{region} health commission"),
        keys,
    }
}

impl Fixture {
    fn new(seed: u64) -> Fixture {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        Fixture {
            gd: IssuerKeyPair::generate_with_rng(&mut rng),
            hk: IssuerKeyPair::generate_with_rng(&mut rng),
            revoked: IssuerKeyPair::generate_with_rng(&mut rng),
            root: SigningKey::from_bytes(&[7; 32]),
            code: VenueCode::new_with_rng(&mut rng, "Lucky Café", 24).unwrap(),
            other_code: VenueCode::new_with_rng(&mut rng, "Harbour Gym", 24).unwrap(),
            rng,
        }
    }

    fn body(&self, sequence: u64) -> KeyListBody {
        KeyListBody::new(
            sequence,
            NOW - DAY + sequence,
            vec![
                issuer("CN-GD", vec![entry(&self.gd, false)]),
                issuer("HK", vec![entry(&self.hk, false)]),
                issuer("CN-SH", vec![entry(&self.revoked, true)]),
            ],
        )
        .unwrap()
    }

    fn file_json(&self, code: &VenueCode) -> Value {
        json!({
            "version": 1,
            "server": "http://127.0.0.1:8080/",
            "root_public_key": hex::encode(self.root.verifying_key().as_bytes()),
            "key_list": self.body(1).sign(&self.root).to_text(),
            "venue_code": code.to_text(),
            "clock_tolerance_hours": 1,
        })
    }

    /// The digest of the list the venue holds (sequence 1), which the fixture's holders bind.
    fn list_digest(&self) -> [u8; 32] {
        self.body(1).sign(&self.root).digest()
    }

    fn venue(&self) -> VenueConfig {
        VenueConfig::from_json(&self.file_json(&self.code).to_string()).unwrap()
    }

    fn token(&mut self, which: Which, status: u8, ts_hour: u32) -> Token {
        let key = match which {
            Which::Gd => &self.gd,
            Which::Hk => &self.hk,
            Which::Revoked => &self.revoked,
        };
        let attrs = Attributes {
            status,
            time_hours: ts_hour,
            travel: Scalar::ZERO,
            subject: Attributes::subject_scalar("resident-0001"),
        };
        issue_locally_with_rng(key, b"ticket-id-000000", attrs, 1, &mut self.rng)
            .unwrap()
            .remove(0)
    }

    fn present(&mut self, which: Which, token: &Token, code: &VenueCode, slot: u32) -> String {
        let digest = self.list_digest();
        self.present_under(which, token, code, slot, digest)
    }

    /// [`Fixture::present`] bound to the key list of digest `key_list`.
    fn present_under(
        &mut self,
        which: Which,
        token: &Token,
        code: &VenueCode,
        slot: u32,
        key_list: [u8; 32],
    ) -> String {
        let key = match which {
            Which::Gd => &self.gd,
            Which::Hk => &self.hk,
            Which::Revoked => &self.revoked,
        };
        let ctx = PresentationContext {
            key_id: token.key_id(),
            venue_id: code.venue_id(),
            time_slot_hours: slot,
            window_hours: code.window_hours(),
            policy: Policy::GREEN_RECENT,
            key_list: KeyListBinding::Digest(key_list),
        };
        green_recent::prove_with_rng(token, key.public(), &ctx, &mut self.rng)
            .unwrap()
            .to_text()
    }

    /// A fresh green presentation from Guangdong for this venue, valid at [`NOW`].
    fn fresh(&mut self) -> String {
        let t = self.token(Which::Gd, Status::Green.as_u8(), NOW_HOUR - 2);
        let code = self.code.clone();
        self.present(Which::Gd, &t, &code, NOW_HOUR)
    }
}

#[derive(Clone, Copy)]
enum Which {
    Gd,
    Hk,
    Revoked,
}

fn verify(venue: &VenueConfig, text: &str, now: u64, seen: &mut SeenSet) -> Verdict {
    venue.verify(text, now, seen, &mut ChaCha20Rng::seed_from_u64(1))
}

fn reason(v: &Verdict) -> Reason {
    match v.outcome {
        Outcome::Reject(r) => r,
        Outcome::Accept(_) => panic!("accepted something it must reject: {v:?}"),
    }
}

// ── venue.json ─────────────────────────────────────────────────────────────────────────────

#[test]
fn a_documented_venue_json_loads_and_round_trips() {
    let f = Fixture::new(1);
    let venue = f.venue();
    assert_eq!(venue.server(), Some("http://127.0.0.1:8080/"));
    assert_eq!(venue.clock_tolerance_hours(), 1);
    assert_eq!(venue.window_hours(), 24);
    assert_eq!(venue.venue_id(), f.code.venue_id());
    // What is written is exactly the documented document, and reads back the same.
    let written: Value = serde_json::from_str(&venue.to_json_pretty()).unwrap();
    assert_eq!(written, f.file_json(&f.code));
    let again = VenueConfig::from_json(&venue.to_json_pretty()).unwrap();
    assert_eq!(again.to_file(), venue.to_file());
}

#[test]
fn optional_fields_default_and_unknown_fields_are_ignored() {
    let f = Fixture::new(2);
    let mut v = f.file_json(&f.code);
    let o = v.as_object_mut().unwrap();
    o.remove("server");
    o.remove("clock_tolerance_hours");
    o.insert("added_later".into(), json!(true));
    let venue = VenueConfig::from_json(&v.to_string()).unwrap();
    assert_eq!(venue.server(), None);
    assert_eq!(venue.clock_tolerance_hours(), 1);
    // Written back without a server field rather than an invented one.
    let file: VenueFile = venue.to_file();
    assert_eq!(file.server, None);
    assert!(!venue.to_json_pretty().contains("server"));
}

#[test]
fn every_bad_field_is_refused_with_its_typed_error() {
    let f = Fixture::new(3);
    let edit = |change: &dyn Fn(&mut Value)| {
        let mut v = f.file_json(&f.code);
        change(&mut v);
        v.to_string()
    };
    let other_root = SigningKey::from_bytes(&[8; 32]);
    type IsExpected = fn(&ConfigError) -> bool;
    let cases: Vec<(String, IsExpected, &str)> = vec![
        (
            "not json".into(),
            |e| matches!(e, ConfigError::BadJson(_)),
            "bad_json",
        ),
        (
            edit(&|v| drop(v.as_object_mut().unwrap().remove("key_list"))),
            |e| matches!(e, ConfigError::BadJson(_)),
            "bad_json",
        ),
        (
            edit(&|v| drop(v.as_object_mut().unwrap().remove("venue_code"))),
            |e| matches!(e, ConfigError::BadJson(_)),
            "bad_json",
        ),
        (
            edit(&|v| v["clock_tolerance_hours"] = json!(-1)),
            |e| matches!(e, ConfigError::BadJson(_)),
            "bad_json",
        ),
        (
            edit(&|v| v["version"] = json!(2)),
            |e| *e == ConfigError::UnsupportedVersion(2),
            "unsupported_version",
        ),
        (
            edit(&|v| v["root_public_key"] = json!("00")),
            |e| *e == ConfigError::BadRootKey,
            "bad_root_key",
        ),
        (
            // 32 bytes, but not a valid (strict) Ed25519 point.
            edit(&|v| v["root_public_key"] = json!("01".to_owned() + &"00".repeat(31))),
            |e| *e == ConfigError::BadRootKey,
            "bad_root_key",
        ),
        (
            edit(&|v| v["key_list"] = json!("GLK1:XYZ")),
            |e| matches!(e, ConfigError::BadKeyList(_)),
            "bad_key_list",
        ),
        (
            edit(&|v| {
                v["root_public_key"] = json!(hex::encode(other_root.verifying_key().as_bytes()))
            }),
            |e| *e == ConfigError::KeyListSignature,
            "key_list_signature",
        ),
        (
            edit(&|v| v["venue_code"] = json!("GLV1:")),
            |e| *e == ConfigError::BadVenueCode,
            "bad_venue_code",
        ),
        (
            edit(&|v| v["clock_tolerance_hours"] = json!(25)),
            |e| *e == ConfigError::BadTolerance(25),
            "bad_tolerance",
        ),
        (
            " ".repeat(MAX_VENUE_JSON_LEN + 1),
            |e| *e == ConfigError::TooLarge,
            "too_large",
        ),
    ];
    for (json, is_expected, code) in cases {
        let err = VenueConfig::from_json(&json).expect_err(code);
        assert!(is_expected(&err), "{code}: got {err:?}");
        assert_eq!(err.code(), code, "{err}");
    }
    // The largest tolerance allowed still loads.
    let max = edit(&|v| v["clock_tolerance_hours"] = json!(24));
    assert_eq!(
        VenueConfig::from_json(&max)
            .unwrap()
            .clock_tolerance_hours(),
        24
    );
}

#[test]
fn key_list_updates_must_be_append_only_under_the_same_root() {
    let f = Fixture::new(4);
    let trusted = |root: &SigningKey, body: KeyListBody| {
        TrustedKeyList::new(*root.verifying_key().as_bytes(), body.sign(root)).unwrap()
    };
    let v1 = trusted(&f.root, f.body(1));
    let v2 = trusted(&f.root, f.body(2));
    v1.check_update(&v2).expect("a newer sequence is an update");
    v2.check_update(&v2).expect("the same list again");
    assert!(matches!(
        v2.check_update(&v1),
        Err(ConfigError::NotASuccessor(_))
    ));
    let other_root = SigningKey::from_bytes(&[9; 32]);
    let forged = trusted(&other_root, f.body(3));
    assert_eq!(v2.check_update(&forged), Err(ConfigError::RootChanged));
    assert_eq!(ConfigError::RootChanged.code(), "root_changed");

    // The same rule through a venue: the update keeps the venue, swaps the list.
    let venue = f.venue();
    let updated = venue.with_updated_keys(v2.clone(), Vec::new()).unwrap();
    assert_eq!(updated.trust().body().sequence(), 2);
    assert_eq!(updated.venue_id(), venue.venue_id());
    assert!(matches!(
        updated.with_updated_keys(v1, Vec::new()),
        Err(ConfigError::NotASuccessor(_))
    ));
    // A list signed under a different root never becomes trusted at all.
    assert_eq!(
        TrustedKeyList::new(
            *f.root.verifying_key().as_bytes(),
            f.body(1).sign(&other_root)
        ),
        Err(ConfigError::KeyListSignature)
    );
}

// ── the accepted key set ───────────────────────────────────────────────────────────────────

#[test]
fn accepted_keys_are_listed_unrevoked_unexpired_and_valid_points() {
    let f = Fixture::new(5);
    let body = f.body(1);
    let now = AcceptedKeys::new(&body, NOW);
    let ids: Vec<KeyId> = now.iter().map(|k| k.key_id()).collect();
    assert_eq!(ids, [f.gd.public().key_id(), f.hk.public().key_id()]);
    assert!(!now.contains(&f.revoked.public().key_id()), "revoked");
    let gd = now.get(&f.gd.public().key_id()).unwrap();
    assert_eq!(gd.region(), "CN-GD");
    assert_eq!(gd.issuer_name(), "CN-GD health commission");
    assert_eq!(gd.public_key(), f.gd.public());
    // accept_until is inclusive; one second later nothing is accepted.
    assert_eq!(AcceptedKeys::new(&body, NOW + 40 * DAY).len(), 2);
    assert!(AcceptedKeys::new(&body, NOW + 40 * DAY + 1).is_empty());
    // Nor is anything accepted more than two hours before its issuing period starts
    // (issue_from is NOW − 30 days here).
    let start = NOW - 30 * DAY;
    assert!(AcceptedKeys::new(&body, start - 2 * 3600 - 1).is_empty());
    assert_eq!(AcceptedKeys::new(&body, start - 2 * 3600).len(), 2);
    // The venue's cached set is the same set.
    let venue = f.venue();
    assert_eq!(venue.accepted_keys(NOW), now);
    assert_eq!(venue.trust().accepted_keys(NOW), now);
    let info = venue.info(NOW);
    assert_eq!((info.keys_accepted_now, info.keys_listed), (2, 3));
    let per_region: Vec<_> = info
        .issuers
        .iter()
        .map(|i| (i.region.as_str(), i.keys, i.keys_accepted_now))
        .collect();
    assert_eq!(per_region, [("CN-GD", 1, 1), ("HK", 1, 1), ("CN-SH", 1, 0)]);
}

#[test]
fn a_key_whose_issuing_period_has_not_started_is_not_accepted_at_the_door() {
    // The Guangdong key is published today but issues only from tomorrow: a token under it
    // can only have been minted off the public schedule.
    let mut f = Fixture::new(9);
    let tomorrow = NOW + DAY;
    let mut gd = entry(&f.gd, false);
    gd.issue_from = tomorrow;
    let body = KeyListBody::new(
        1,
        NOW - DAY,
        vec![
            issuer("CN-GD", vec![gd]),
            issuer("HK", vec![entry(&f.hk, false)]),
        ],
    )
    .unwrap();
    let accepted = AcceptedKeys::new(&body, NOW);
    assert!(!accepted.contains(&f.gd.public().key_id()));
    assert!(accepted.contains(&f.hk.public().key_id()));
    let mut file = f.file_json(&f.code);
    file["key_list"] = json!(body.clone().sign(&f.root).to_text());
    let venue = VenueConfig::from_json(&file.to_string()).unwrap();
    let text = f.fresh();
    let mut seen = SeenSet::new();
    let v = verify(&venue, &text, NOW, &mut seen);
    assert_eq!(reason(&v), Reason::Check(RejectReason::UnknownKey));
    assert!(seen.is_empty());
    // From two hours before it starts (the issuer's clock may lead), it is accepted.
    let t = f.token(Which::Gd, Status::Green.as_u8(), NOW_HOUR + 22);
    let code = f.code.clone();
    let digest = venue.trust().key_list().digest();
    let text = f.present_under(Which::Gd, &t, &code, NOW_HOUR + 22, digest);
    let v = verify(&venue, &text, tomorrow - 2 * 3600, &mut seen);
    assert!(matches!(v.outcome, Outcome::Accept(_)), "{v:?}");
}

// ── verification ───────────────────────────────────────────────────────────────────────────

#[test]
fn an_honest_presentation_is_accepted_once_then_a_replay() {
    let mut f = Fixture::new(6);
    let venue = f.venue();
    let text = f.fresh();
    let mut seen = SeenSet::new();
    let v = verify(&venue, &text, NOW, &mut seen);
    let Outcome::Accept(ref a) = v.outcome else {
        panic!("rejected: {v:?}")
    };
    assert_eq!(a.region, "CN-GD");
    assert_eq!(a.key_id, f.gd.public().key_id().0);
    assert_eq!(v.code(), "ok");
    assert_eq!(v.now_hours, NOW_HOUR);
    assert_eq!(v.scanned_kind, Some(Kind::Presentation));
    assert_eq!(seen.first_seen(&a.token_id), Some(NOW_HOUR));
    // Leading/trailing white space (a pasted code) is the same code.
    let again = verify(&venue, &format!("  {text}\n"), NOW, &mut seen);
    assert_eq!(reason(&again), Reason::Check(RejectReason::Replayed));
    assert_eq!(again.code(), "replayed");
    assert_eq!(again.shown.map(|s| s.token_id), Some(a.token_id));
    assert_eq!(seen.len(), 1);
    // The stored form carries the replay protection across restarts.
    let mut reloaded = SeenSet::from_json(&seen.to_json()).unwrap();
    let third = verify(&venue, &text, NOW, &mut reloaded);
    assert_eq!(reason(&third), Reason::Check(RejectReason::Replayed));
    // Another region's issuer is accepted too.
    let t = f.token(Which::Hk, Status::Green.as_u8(), NOW_HOUR - 1);
    let code = f.code.clone();
    let hk = f.present(Which::Hk, &t, &code, NOW_HOUR);
    assert!(verify(&venue, &hk, NOW, &mut seen).is_accept());
    assert_eq!(seen.len(), 2);
}

#[test]
fn every_way_a_presentation_can_be_wrong_has_its_reason_and_stores_nothing() {
    let mut f = Fixture::new(7);
    let venue = f.venue();
    let code = f.code.clone();
    let other = f.other_code.clone();
    let mut cases: Vec<(&str, String, Reason)> = Vec::new();

    let t = f.token(Which::Gd, Status::Green.as_u8(), NOW_HOUR - 2);
    cases.push((
        "other venue",
        f.present(Which::Gd, &t, &other, NOW_HOUR),
        Reason::Check(RejectReason::WrongVenue),
    ));
    let t = f.token(Which::Revoked, Status::Green.as_u8(), NOW_HOUR - 2);
    cases.push((
        "revoked key",
        f.present(Which::Revoked, &t, &code, NOW_HOUR),
        Reason::Check(RejectReason::UnknownKey),
    ));
    let stranger = IssuerKeyPair::generate_with_rng(&mut f.rng);
    let t = issue_locally_with_rng(
        &stranger,
        b"ticket-id-000001",
        Attributes {
            status: Status::Green.as_u8(),
            time_hours: NOW_HOUR - 2,
            travel: Scalar::ZERO,
            subject: Attributes::subject_scalar("x"),
        },
        1,
        &mut f.rng,
    )
    .unwrap()
    .remove(0);
    let ctx = PresentationContext {
        key_id: t.key_id(),
        venue_id: code.venue_id(),
        time_slot_hours: NOW_HOUR,
        window_hours: 24,
        policy: Policy::GREEN_RECENT,
        key_list: KeyListBinding::Digest(f.list_digest()),
    };
    cases.push((
        "unlisted key",
        green_recent::prove_with_rng(&t, stranger.public(), &ctx, &mut f.rng)
            .unwrap()
            .to_text(),
        Reason::Check(RejectReason::UnknownKey),
    ));
    let t = f.token(Which::Gd, Status::Green.as_u8(), NOW_HOUR - 6);
    cases.push((
        "holder clock 3 h behind",
        f.present(Which::Gd, &t, &code, NOW_HOUR - 3),
        Reason::Check(RejectReason::ClockSkew),
    ));
    let mut red = f.token(Which::Gd, Status::Red.as_u8(), NOW_HOUR - 1);
    red.attributes_mut_unchecked().status = Status::Green.as_u8();
    cases.push((
        "red token forced into a green proof",
        f.present(Which::Gd, &red, &code, NOW_HOUR),
        Reason::Check(RejectReason::BadProof),
    ));
    let fresh = f.fresh();
    cases.push((
        "truncated",
        fresh[..fresh.len() - 30].to_owned(),
        Reason::Check(RejectReason::BadEncoding),
    ));
    cases.push(("garbage", "hello, door".into(), Reason::NotGreenlight));
    cases.push(("empty", String::new(), Reason::NotGreenlight));
    cases.push((
        "the venue's own code",
        code.to_text(),
        Reason::WrongKind(Kind::VenueCode),
    ));
    cases.push((
        "a key list",
        f.body(1).sign(&f.root).to_text(),
        Reason::WrongKind(Kind::KeyList),
    ));
    cases.push((
        "huge",
        format!("GLP1:{}", "A".repeat(20_000)),
        Reason::TooLarge,
    ));

    let mut seen = SeenSet::new();
    for (name, text, want) in &cases {
        let v = verify(&venue, text, NOW, &mut seen);
        assert_eq!(reason(&v), *want, "{name}");
        assert_eq!(v.code(), want.code(), "{name}");
    }
    assert!(seen.is_empty(), "no rejection touched the seen-set");
    // The kind is reported for the page's hints.
    let v = verify(&venue, &code.to_text(), NOW, &mut seen);
    assert_eq!(v.scanned_kind, Some(Kind::VenueCode));
    assert_eq!(v.shown, None);
    // A decoded presentation's ids are shown with its rejection.
    let v = verify(&venue, &cases[0].1, NOW, &mut seen);
    assert!(v.shown.is_some());
    // And the fresh one, never accepted above, still passes.
    assert!(verify(&venue, &fresh, NOW, &mut seen).is_accept());
}

#[test]
fn the_venue_keeps_an_id_exactly_for_its_retention() {
    let mut f = Fixture::new(8);
    let venue = f.venue();
    let keep = venue.seen_retention_hours();
    assert_eq!(keep, SeenSet::retention_hours(24, 1));
    let mut seen = SeenSet::new();
    assert!(verify(&venue, &f.fresh(), NOW, &mut seen).is_accept());
    // Any verification prunes, a rejected one too.
    let at = |h: u32| u64::from(NOW_HOUR + h) * 3600;
    verify(&venue, "garbage", at(keep), &mut seen);
    assert_eq!(seen.len(), 1, "kept for exactly W + 2τ hours");
    verify(&venue, "garbage", at(keep + 1), &mut seen);
    assert!(seen.is_empty(), "dropped after");
}

#[test]
fn a_full_seen_set_refuses_new_ids_rather_than_forget() {
    let mut f = Fixture::new(9);
    let venue = f.venue();
    let mut seen = SeenSet::new();
    for i in 0..greenlight_venue::MAX_SEEN_ENTRIES as u32 {
        let mut id = [0u8; 32];
        id[..4].copy_from_slice(&i.to_le_bytes());
        seen.check_and_insert(id, NOW_HOUR).unwrap();
    }
    let v = verify(&venue, &f.fresh(), NOW, &mut seen);
    assert_eq!(reason(&v), Reason::SeenFull);
    assert_eq!(v.code(), "seen_full");
    assert_eq!(seen.len(), greenlight_venue::MAX_SEEN_ENTRIES);
}

#[test]
fn check_then_admit_is_verify() {
    let mut f = Fixture::new(10);
    let venue = f.venue();
    let text = f.fresh();
    let checked = venue
        .check(&text, NOW, &mut ChaCha20Rng::seed_from_u64(2))
        .unwrap();
    let mut seen = SeenSet::new();
    assert!(seen.is_empty(), "check alone records nothing");
    let id = *checked.token_id();
    assert!(venue.admit(checked.clone(), &mut seen).is_accept());
    assert!(seen.contains(&id));
    assert_eq!(
        reason(&venue.admit(checked, &mut seen)),
        Reason::Check(RejectReason::Replayed)
    );
}

#[test]
fn reason_codes_are_stable_and_distinct() {
    let codes: Vec<&str> = Reason::ALL.iter().map(Reason::code).collect();
    assert_eq!(
        codes,
        [
            "bad_encoding",
            "unknown_key",
            "bad_signature",
            "bad_proof",
            "stale",
            "wrong_venue",
            "clock_skew",
            "non_standard_window",
            "wrong_window",
            "wrong_policy",
            "replayed",
            "key_list_mismatch",
            "not_greenlight",
            "wrong_kind",
            "too_large",
            "no_qr_code",
            "unreadable_image",
            "seen_full",
            "version_retired",
        ]
    );
    let mut unique = codes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), codes.len());
    for r in Reason::ALL {
        assert!(!r.to_string().is_empty(), "{r:?} has an English text");
    }
}

// ── the key list a presentation binds (wire version 2) ────────────────────────────────────

impl Fixture {
    fn list(&self, sequence: u64) -> KeyList {
        self.body(sequence).sign(&self.root)
    }

    fn trust(&self, list: &KeyList) -> TrustedKeyList {
        TrustedKeyList::new(self.root.verifying_key().to_bytes(), list.clone()).unwrap()
    }

    /// A fresh Guangdong presentation for this venue at [`NOW`], bound to `list`.
    fn fresh_under(&mut self, list: &KeyList) -> String {
        let t = self.token(Which::Gd, Status::Green.as_u8(), NOW_HOUR - 2);
        let code = self.code.clone();
        self.present_under(Which::Gd, &t, &code, NOW_HOUR, list.digest())
    }
}

#[test]
fn a_wallet_served_a_private_list_is_refused_with_its_own_reason() {
    let mut f = Fixture::new(31);
    let venue = f.venue();
    // The root signs a second list of the same sequence and keys, served to one wallet only.
    let private = KeyListBody::new(1, NOW - DAY + 5, f.body(1).into_issuers())
        .unwrap()
        .sign(&f.root);
    assert_ne!(private.digest(), f.list(1).digest());
    let text = f.fresh_under(&private);
    let mut seen = SeenSet::new();
    let v = verify(&venue, &text, NOW, &mut seen);
    assert_eq!(reason(&v), Reason::Check(RejectReason::KeyListMismatch));
    assert_eq!(v.code(), "key_list_mismatch");
    assert!(seen.is_empty(), "a refused presentation is not remembered");
    // The same wallet, once it holds the public list, is accepted.
    let text = f.fresh_under(&f.list(1));
    assert!(verify(&venue, &text, NOW, &mut seen).is_accept());
}

#[test]
fn a_venue_accepts_its_current_and_previous_list_and_no_older_one() {
    let mut f = Fixture::new(32);
    let (l1, l2, l3) = (f.list(1), f.list(2), f.list(3));
    let venue2 = f
        .venue()
        .with_updated_keys(f.trust(&l2), Vec::new())
        .unwrap();
    assert_eq!(venue2.trust().previous_key_list(), Some(&l1));
    // venue.json keeps the previous list.
    let reloaded = VenueConfig::from_json(&venue2.to_json_pretty()).unwrap();
    assert_eq!(reloaded.trust(), venue2.trust());
    assert!(venue2.to_json_pretty().contains("previous_key_list"));
    let venue3 = venue2.with_updated_keys(f.trust(&l3), Vec::new()).unwrap();
    assert_eq!(venue3.trust().previous_key_list(), Some(&l2));
    for (list, venue, accepted) in [
        (&l1, &venue2, true),
        (&l2, &venue2, true),
        (&l2, &venue3, true),
        (&l3, &venue3, true),
        (&l1, &venue3, false),
        (&l3, &venue2, false),
    ] {
        let text = f.fresh_under(list);
        let v = verify(venue, &text, NOW, &mut SeenSet::new());
        let seq = list.unverified_body().sequence();
        if accepted {
            assert!(v.is_accept(), "list {seq}: {v:?}");
        } else {
            assert_eq!(
                reason(&v),
                Reason::Check(RejectReason::KeyListMismatch),
                "list {seq}"
            );
        }
    }
}

#[test]
fn a_wallet_binds_the_previous_list_until_the_current_one_settles() {
    let f = Fixture::new(33);
    let (l1, l2) = (f.list(1), f.list(2));
    let trust = f.trust(&l2).with_previous(l1.clone()).unwrap();
    let issued = l2.unverified_body().issued_at();
    assert_eq!(trust.presenting_digest(issued), l1.digest());
    assert_eq!(
        trust.presenting_digest(issued + KEY_LIST_SETTLE_SECS - 1),
        l1.digest()
    );
    assert_eq!(
        trust.presenting_digest(issued + KEY_LIST_SETTLE_SECS),
        l2.digest()
    );
    // A list dated ahead of the wallet's clock counts as settled: a root cannot keep wallets
    // on the previous list by dating a new one in the future.
    let l_future = KeyListBody::new(3, NOW + 10 * DAY, f.body(3).into_issuers())
        .unwrap()
        .sign(&f.root);
    let ahead = f.trust(&l_future).with_previous(l2.clone()).unwrap();
    assert_eq!(ahead.presenting_digest(NOW), l_future.digest());
    // With no previous list known: always the current one.
    assert_eq!(f.trust(&l2).presenting_digest(issued), l2.digest());
    // What a venue tries: its current list first.
    assert_eq!(trust.key_list_digests(), vec![l2.digest(), l1.digest()]);
    assert_eq!(f.trust(&l2).key_list_digests(), vec![l2.digest()]);
}

#[test]
fn only_a_list_it_succeeds_is_kept_as_the_previous_one() {
    let f = Fixture::new(34);
    let (l1, l2, l3) = (f.list(1), f.list(2), f.list(3));
    // A newer list is not a predecessor.
    assert!(matches!(
        f.trust(&l2).with_previous(l3.clone()),
        Err(ConfigError::NotASuccessor(_))
    ));
    // A fork of the same sequence as its predecessor: issued later than l2, so l2 does not
    // succeed it.
    let fork = KeyListBody::new(1, NOW, f.body(1).into_issuers())
        .unwrap()
        .sign(&f.root);
    assert!(matches!(
        f.trust(&l2).with_previous(fork),
        Err(ConfigError::NotASuccessor(_))
    ));
    // Another root's list.
    let other = f.body(1).sign(&SigningKey::from_bytes(&[8; 32]));
    assert!(matches!(
        f.trust(&l2).with_previous(other),
        Err(ConfigError::KeyListSignature)
    ));
    // The list itself records nothing.
    assert_eq!(
        f.trust(&l2)
            .with_previous(l2.clone())
            .unwrap()
            .previous_key_list(),
        None
    );
    // Only the immediate predecessor: a server cannot name an older list as "previous".
    assert!(matches!(
        f.trust(&l3).with_previous(l1.clone()),
        Err(ConfigError::NotASuccessor(_))
    ));
    // A server-named previous list that does not pass is dropped, not an error.
    assert_eq!(
        f.trust(&l3)
            .with_served_previous(Some(&l1.to_text()))
            .previous_key_list(),
        None
    );
    assert_eq!(
        f.trust(&l3)
            .with_served_previous(Some("GLK1:not a list"))
            .previous_key_list(),
        None
    );
    // The next list names a predecessor other than the list held: a fork, refused.
    let mut without_sh = f.body(2).into_issuers();
    without_sh.pop();
    let fork2 = KeyListBody::new(2, NOW - DAY + 2, without_sh)
        .unwrap()
        .sign(&f.root);
    let forked = f.trust(&l3).with_previous(fork2).unwrap();
    let held = f.trust(&l2).with_previous(l1.clone()).unwrap();
    assert!(matches!(
        held.updated_to(forked),
        Err(ConfigError::NotASuccessor(_))
    ));
    // An update to the same list keeps the previous one known (a server cannot swap it); a
    // list two versions on brings the predecessor it names.
    let held = f.trust(&l2).with_previous(l1.clone()).unwrap();
    assert_eq!(
        held.updated_to(f.trust(&l2)).unwrap().previous_key_list(),
        Some(&l1)
    );
    let named = f.trust(&l3).with_previous(l2.clone()).unwrap();
    assert_eq!(
        f.trust(&l1).updated_to(named).unwrap().previous_key_list(),
        Some(&l2)
    );
    // A venue.json whose previous list is not one its list succeeds does not load.
    let mut file = f.file_json(&f.code);
    file["previous_key_list"] = json!(l3.to_text());
    assert!(matches!(
        VenueConfig::from_json(&file.to_string()),
        Err(ConfigError::NotASuccessor(_))
    ));
}

/// A venue that names witnesses in `venue.json` (the page's `check_venue_update`): a new list
/// needs a quorum of fresh cosignatures; the policy survives a file without one; the same
/// list again keeps the checkpoint held; and everything round-trips through the file.
#[test]
fn a_venue_json_with_witnesses_takes_only_witnessed_lists() {
    use greenlight_protocol::{cosign, SigningKey, WitnessPolicy};
    let f = Fixture::new(33);
    let (l1, l2) = (f.list(1), f.list(2));
    let (a, b) = (
        SigningKey::from_bytes(&[1; 32]),
        SigningKey::from_bytes(&[2; 32]),
    );
    let policy = WitnessPolicy {
        witnesses: vec![a.verifying_key().to_bytes(), b.verifying_key().to_bytes()],
        quorum: 2,
        max_age_secs: 7 * DAY,
    };
    let root = f.root.verifying_key();
    let sig = |w: &SigningKey, list: &KeyList, t: u64| cosign(w, None, &root, list, t).unwrap();
    let held = f.venue().with_witnesses(
        Some(policy.clone()),
        vec![sig(&a, &l1, NOW), sig(&b, &l1, NOW)],
    );
    let json = held.to_json_pretty();
    assert!(json.contains("\"witnesses\"") && json.contains("\"cosignatures\""));
    let reloaded = VenueConfig::from_json(&json).unwrap();
    assert_eq!(reloaded.witnesses(), Some(&policy));
    assert_eq!(reloaded.cosignatures(), held.cosignatures());

    // A newer file without witnesses or cosignatures: the held policy applies, and refuses.
    let bare = f
        .venue()
        .with_updated_keys(f.trust(&l2), Vec::new())
        .unwrap();
    let err = held.replaced_by(bare.clone(), NOW).unwrap_err();
    assert_eq!(err.code(), "not_witnessed");
    // With one cosignature of two: still refused; with both, accepted, policy kept.
    let one = bare.clone().with_witnesses(None, vec![sig(&a, &l2, NOW)]);
    assert!(held.replaced_by(one, NOW).is_err());
    let both = bare
        .clone()
        .with_witnesses(None, vec![sig(&a, &l2, NOW), sig(&b, &l2, NOW)]);
    let updated = held.replaced_by(both.clone(), NOW).unwrap();
    assert_eq!(updated.witnesses(), Some(&policy));
    assert_eq!(updated.cosignatures().len(), 2);
    // …but not once the cosignatures are more than a week old.
    assert!(held.replaced_by(both, NOW + 8 * DAY).is_err());
    // Cosignatures of the held list do not vouch for a new one.
    let stale = bare.with_witnesses(None, held.cosignatures().to_vec());
    assert!(held.replaced_by(stale, NOW).is_err());
    // The same list again (a re-loaded file) keeps the held checkpoint, offline and late.
    let same = held.replaced_by(reloaded, NOW + 30 * DAY).unwrap();
    assert_eq!(same.cosignatures(), held.cosignatures());
    // A file naming its own witness (quorum 1) and carrying that witness's cosignature cannot
    // swap the policy: the held one applies, refuses, and stays.
    let rogue = SigningKey::from_bytes(&[3; 32]);
    let swapped = f
        .venue()
        .with_updated_keys(f.trust(&l2), Vec::new())
        .unwrap()
        .with_witnesses(
            Some(WitnessPolicy {
                witnesses: vec![rogue.verifying_key().to_bytes()],
                quorum: 1,
                max_age_secs: 7 * DAY,
            }),
            vec![sig(&rogue, &l2, NOW)],
        );
    assert_eq!(
        held.replaced_by(swapped.clone(), NOW).unwrap_err().code(),
        "not_witnessed"
    );
    let rogue_policy = swapped.witnesses().cloned();
    let with_ours =
        swapped.with_witnesses(rogue_policy, vec![sig(&a, &l2, NOW), sig(&b, &l2, NOW)]);
    assert_eq!(
        held.replaced_by(with_ours, NOW).unwrap().witnesses(),
        Some(&policy)
    );
    // A malformed policy in the file is refused with its own code.
    let mut doc: Value = serde_json::from_str(&json).unwrap();
    doc["witnesses"]["quorum"] = serde_json::json!(3);
    let err = VenueConfig::from_json(&doc.to_string()).unwrap_err();
    assert_eq!(err.code(), "bad_witness_policy");
}

/// `min_presentation_version: 2` retires version 1 (spec §9): a v1 presentation is refused
/// with its own reason before any proof is checked, v2 still passes, and the setting
/// round-trips through `venue.json` (absent: 1) and refuses unknown versions.
#[test]
fn a_venue_can_retire_presentation_version_1() {
    let mut f = Fixture::new(34);
    let t = f.token(Which::Gd, Status::Green.as_u8(), NOW_HOUR - 2);
    let code = f.code.clone();
    let ctx = PresentationContext {
        key_id: t.key_id(),
        venue_id: code.venue_id(),
        time_slot_hours: NOW_HOUR,
        window_hours: code.window_hours(),
        policy: Policy::GREEN_RECENT,
        key_list: KeyListBinding::None,
    };
    let v1 = green_recent::prove_with_rng(&t, f.gd.public(), &ctx, &mut f.rng)
        .unwrap()
        .to_text();
    let venue = f.venue();
    assert_eq!(venue.min_presentation_version(), 1);
    assert!(verify(&venue, &v1, NOW, &mut SeenSet::new()).is_accept());
    let strict = f.venue().with_min_presentation_version(2).unwrap();
    let mut seen = SeenSet::new();
    let v = verify(&strict, &v1, NOW, &mut seen);
    assert_eq!(reason(&v), Reason::VersionRetired(1));
    assert_eq!(v.code(), "version_retired");
    assert!(seen.is_empty());
    assert!(verify(&strict, &f.fresh(), NOW, &mut seen).is_accept());

    let json = strict.to_json_pretty();
    assert!(json.contains("\"min_presentation_version\": 2"), "{json}");
    assert_eq!(
        VenueConfig::from_json(&json)
            .unwrap()
            .min_presentation_version(),
        2
    );
    let mut doc: Value = serde_json::from_str(&json).unwrap();
    doc.as_object_mut()
        .unwrap()
        .remove("min_presentation_version");
    assert_eq!(
        VenueConfig::from_json(&doc.to_string())
            .unwrap()
            .min_presentation_version(),
        1
    );
    for bad in [0, 3] {
        doc["min_presentation_version"] = json!(bad);
        let err = VenueConfig::from_json(&doc.to_string()).unwrap_err();
        assert_eq!(err.code(), "bad_min_version");
    }
    assert!(f.venue().with_min_presentation_version(3).is_err());
    // A replacement file (a set-up code scanned again writes version 1) cannot bring
    // version 1 back; a stricter one raises it.
    assert_eq!(
        strict
            .replaced_by(f.venue(), NOW)
            .unwrap()
            .min_presentation_version(),
        2
    );
    assert_eq!(
        f.venue()
            .replaced_by(strict.clone(), NOW)
            .unwrap()
            .min_presentation_version(),
        2
    );
}
