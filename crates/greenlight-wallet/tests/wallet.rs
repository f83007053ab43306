//! The wallet's rules end to end over the testkit's deployment: redeem through the real
//! issuance pipeline, store, select, withdraw before proving, and every refusal typed.

use greenlight_acl::issuance::CommitmentBatch;
use greenlight_circuits::{verify_vartime, VenueExpectations};
use greenlight_issuance::CertifiedMismatch;
use greenlight_protocol::{IssuerEntry, IssuerKeyEntry, KeyListBody, Status, TaggingRisk};
use greenlight_testkit::{World, NOW, NOW_HOUR};
use greenlight_venue::TrustedKeyList;
use greenlight_wallet::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// A wallet kept in memory, counting saves and able to fail them.
#[derive(Default)]
struct Memory {
    json: Option<Vec<u8>>,
    saves: usize,
    fail_saves: bool,
}

impl WalletStorage for Memory {
    type Error = &'static str;
    fn load(&mut self) -> Result<Option<WalletDocument>, &'static str> {
        self.json
            .as_deref()
            .map(|j| WalletDocument::from_json(j).map_err(|_| "damaged"))
            .transpose()
    }
    fn save(&mut self, doc: &WalletDocument) -> Result<(), &'static str> {
        if self.fail_saves {
            return Err("disk full");
        }
        self.json = Some(doc.to_json().map_err(|_| "encode")?.to_vec());
        self.saves += 1;
        Ok(())
    }
}

/// Redeems a `status` ticket of `n` tokens into `doc`'s `profile`, through the whole flow.
fn redeem(
    w: &mut World,
    doc: &mut WalletDocument,
    profile: &str,
    status: Status,
    n: u16,
) -> Result<usize, WalletError> {
    let mut rng = ChaCha20Rng::seed_from_u64(u64::from(n) + 100);
    let ticket = w.ticket(&format!("{profile}-subject"), status, n);
    let key = issuing_key(doc.trust(), &w.issuer.public().key_id().0, NOW)?;
    let holder = match doc.holder_secret(profile) {
        Some(h) => HolderSecret::from_hex(&h.to_hex())?,
        None => HolderSecret::generate(&mut rng),
    };
    let (awaiting, registrations) = Redemption::start(&ticket, key, &holder, NOW, &mut rng)?;
    assert_eq!(awaiting.tokens(), usize::from(n));
    let (commitments, answer) = w
        .issuer_start(&ticket.to_text(), &registrations, NOW)
        .expect("the issuer accepts");
    let (awaiting, challenges) = awaiting.on_commitments(&commitments, NOW, &mut rng)?;
    let tokens = awaiting.on_answers(&answer(&challenges))?;
    doc.add_tokens(profile, holder, tokens)
}

#[test]
fn redeem_store_reload_and_show_once() {
    let mut w = World::new(1);
    let mut doc = WalletDocument::new(w.trust());
    assert_eq!(
        redeem(&mut w, &mut doc, "self", Status::Green, 3).unwrap(),
        3
    );
    assert_eq!(
        redeem(&mut w, &mut doc, "father", Status::Green, 2).unwrap(),
        2
    );
    assert_eq!(
        redeem(&mut w, &mut doc, "self", Status::Green, 1).unwrap(),
        4
    );

    let status = doc.status(NOW + 2 * 3600);
    assert_eq!(status.profiles.len(), 2);
    assert_eq!(status.profiles[1].name, "self");
    assert_eq!(
        status.profiles[1].groups,
        vec![TokenGroup {
            status: Some(Status::Green),
            age_hours: 2,
            count: 4
        }]
    );
    assert_eq!(status.root_fingerprint, w.trust().fingerprint());

    // The JSON form round-trips and never shows a secret in Debug.
    let mut storage = Memory::default();
    storage.save(&doc).unwrap();
    let doc = storage.load().unwrap().unwrap();
    assert_eq!(doc.token_count("self"), 4);
    assert!(!format!("{doc:?}").contains("holder"));

    let venue = w.venue("Library", 24);
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    // A save that fails shows nothing, and the stored wallet keeps the token.
    storage.fail_saves = true;
    assert!(matches!(
        present(&mut storage, "self", &venue, NOW, &mut rng),
        Err(PresentFailure::Storage("disk full"))
    ));
    storage.fail_saves = false;
    assert_eq!(storage.load().unwrap().unwrap().token_count("self"), 4);
    let shown = present(&mut storage, "self", &venue, NOW, &mut rng).unwrap();
    assert_eq!(shown.tokens_left, 3);
    assert_eq!(storage.saves, 2, "saved before the proof was made");
    assert_eq!(storage.load().unwrap().unwrap().token_count("self"), 3);
    let presentation = shown.presentation;
    let expect = VenueExpectations {
        venue_id: venue.venue_id(),
        window_hours: 24,
        policy: greenlight_circuits::Policy::GREEN_RECENT,
        now_hours: NOW_HOUR,
        clock_tolerance_hours: 1,
        key_lists: w.trust().key_list_digests(),
    };
    let accepted = w.trust().accepted_keys(NOW);
    verify_vartime(&presentation, &expect, &accepted, &mut rng).expect("a venue accepts it");
}

#[test]
fn selection_names_the_first_condition_nothing_met() {
    let mut w = World::new(2);
    let mut doc = WalletDocument::new(w.trust());
    let venue = w.venue("Cinema", 6);
    assert_eq!(
        doc.withdraw_for_venue("self", &venue, NOW)
            .err()
            .map(|e| e.to_string()),
        Some(
            WalletError::UnknownProfile {
                profile: "self".into(),
                profiles: vec![]
            }
            .to_string()
        )
    );
    redeem(&mut w, &mut doc, "self", Status::Red, 1).unwrap();
    // A profile that does not exist is named, with the ones that do.
    match doc.withdraw_for_venue("mum", &venue, NOW) {
        Err(WalletError::UnknownProfile { profile, profiles }) => {
            assert_eq!(
                (profile.as_str(), profiles),
                ("mum", vec!["self".to_owned()])
            );
        }
        other => panic!("expected UnknownProfile, got {:?}", other.err()),
    }
    assert!(matches!(
        doc.withdraw_for_venue("self", &venue, NOW),
        Err(WalletError::NoToken(NoToken::NoneGreen))
    ));
    redeem(&mut w, &mut doc, "self", Status::Green, 1).unwrap();
    assert!(matches!(
        doc.withdraw_for_venue("self", &venue, NOW + 7 * 3600),
        Err(WalletError::NoToken(NoToken::AllTooOld { window_hours: 6 }))
    ));
    assert!(matches!(
        doc.withdraw_for_venue("self", &venue, NOW - 3 * 3600),
        Err(WalletError::NoToken(NoToken::FromTheFuture))
    ));
    // A successor list that revokes the key: nothing is accepted any more.
    let mut revoked = w.key_entry();
    revoked.revoked = true;
    let newer = TrustedKeyList::new(
        w.root.verifying_key().to_bytes(),
        w.key_list_of(2, vec![revoked]),
    )
    .unwrap();
    doc.update_trust(newer.clone()).unwrap();
    // The list held before is kept as the previous one, and survives a save.
    assert_eq!(doc.trust().previous_key_list(), Some(&w.key_list()));
    let reloaded = WalletDocument::from_json(&doc.to_json().unwrap()).unwrap();
    assert_eq!(reloaded.trust(), doc.trust());
    // An older list is not an update.
    assert!(doc.update_trust(w.trust()).is_err());
    assert_eq!(doc.trust().key_list(), newer.key_list());
    assert!(matches!(
        doc.withdraw_for_venue("self", &venue, NOW),
        Err(WalletError::NoToken(NoToken::NoneAcceptedKey))
    ));
    assert_eq!(doc.token_count("self"), 2, "refusals take nothing");
    assert!(doc.withdraw_oldest("self").unwrap().is_some());
    assert_eq!(doc.token_count("self"), 1);
    // A profile that exists but has used up its tokens is empty (not unknown).
    assert!(doc.withdraw_oldest("self").unwrap().is_some());
    assert!(matches!(
        doc.withdraw_for_venue("self", &venue, NOW),
        Err(WalletError::NoToken(NoToken::Empty))
    ));
}

#[test]
fn the_oldest_fitting_token_is_shown_first() {
    let mut w = World::new(3);
    let mut doc = WalletDocument::new(w.trust());
    redeem(&mut w, &mut doc, "self", Status::Green, 2).unwrap();
    let venue = w.venue("Museum", 72);
    // Two hours later the same tokens are two hours old; both fit; the first stored goes.
    let first = doc.withdraw_for_venue("self", &venue, NOW + 7200).unwrap();
    assert_eq!(first.context().time_slot_hours, NOW_HOUR + 2);
    assert_eq!(first.tokens_left(), 1);
}

#[test]
fn a_certificate_for_another_status_is_refused_before_blinding() {
    let mut w = World::new(4);
    let doc = WalletDocument::new(w.trust());
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let green = w.ticket("resident", Status::Green, 1);
    let red = w.ticket("resident", Status::Red, 1);
    let key = issuing_key(doc.trust(), &w.issuer.public().key_id().0, NOW).unwrap();
    let holder = HolderSecret::generate(&mut rng);
    let (awaiting, _) = Redemption::start(&green, key.clone(), &holder, NOW, &mut rng).unwrap();
    // The issuer answers the *red* ticket's registrations: its commitments certify red.
    let (_, red_regs) = Redemption::start(&red, key, &holder, NOW, &mut rng).unwrap();
    let (commitments, _) = w.issuer_start(&red.to_text(), &red_regs, NOW).unwrap();
    assert!(matches!(
        awaiting.on_commitments(&commitments, NOW, &mut rng),
        Err(WalletError::Certified(CertifiedMismatch::Status))
    ));
    let msg = CommitmentBatch::from_bytes(&commitments).unwrap();
    assert_eq!(msg.attributes.status, Status::Red.as_u8());
}

#[test]
fn a_clock_far_from_the_issuers_is_refused() {
    let mut w = World::new(5);
    let doc = WalletDocument::new(w.trust());
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let ticket = w.ticket("resident", Status::Green, 1);
    let key = issuing_key(doc.trust(), &w.issuer.public().key_id().0, NOW).unwrap();
    let holder = HolderSecret::generate(&mut rng);
    let (awaiting, regs) = Redemption::start(&ticket, key, &holder, NOW, &mut rng).unwrap();
    let (commitments, _) = w.issuer_start(&ticket.to_text(), &regs, NOW).unwrap();
    assert!(matches!(
        awaiting.on_commitments(&commitments, NOW + 3 * 3600, &mut rng),
        Err(WalletError::Certified(
            CertifiedMismatch::TimestampSkew { .. }
        ))
    ));
}

#[test]
fn tickets_out_of_their_validity_are_refused_locally() {
    let mut w = World::new(6);
    let ticket = w.ticket("resident", Status::Green, 1);
    assert!(matches!(
        check_ticket_time(&ticket, NOW + 2 * 3600),
        Err(WalletError::TicketExpired { .. })
    ));
    assert!(matches!(
        check_ticket_time(&ticket, NOW - 2 * 3600),
        Err(WalletError::TicketNotYetValid { .. })
    ));
    assert!(check_ticket_time(&ticket, NOW).is_ok());
}

#[test]
fn a_region_with_too_many_issuing_keys_is_refused() {
    let w = World::new(7);
    let mut rng = ChaCha20Rng::seed_from_u64(77);
    let mut entries = vec![w.key_entry()];
    for _ in 0..2 {
        let other = greenlight_acl::IssuerKeyPair::generate_with_rng(&mut rng);
        entries.push(IssuerKeyEntry::new(
            other.public().y_bytes(),
            NOW - 10 * DAY,
            NOW + 10 * DAY,
            NOW + 20 * DAY,
        ));
    }
    let trust =
        TrustedKeyList::new(w.root.verifying_key().to_bytes(), w.key_list_of(1, entries)).unwrap();
    assert!(matches!(
        issuing_key(&trust, &w.issuer.public().key_id().0, NOW),
        Err(WalletError::TaggingRisk(TaggingRisk::TooManyInRegion {
            count: 3,
            max: 2,
            ..
        }))
    ));
    let trust = w.trust();
    assert!(matches!(
        issuing_key(&trust, &[0; 8], NOW),
        Err(WalletError::IssuingKey { .. })
    ));
}

const DAY: u64 = 86_400;

/// A list signed by `w`'s root: the fixture key under its region, plus `others`.
fn trust_with(w: &World, others: Vec<IssuerEntry>) -> TrustedKeyList {
    let mut issuers = vec![IssuerEntry {
        region: greenlight_testkit::REGION.into(),
        display_name: "Test issuer".into(),
        keys: vec![w.key_entry()],
    }];
    issuers.extend(others);
    let list = KeyListBody::new(1, NOW - DAY, issuers)
        .unwrap()
        .sign(&w.root);
    TrustedKeyList::new(w.root.verifying_key().to_bytes(), list).unwrap()
}

/// A key of distinct bytes `n` (not a valid point; never used to verify), issuing
/// `from..=until`.
fn fake_key(n: u16, from: u64, until: u64) -> IssuerKeyEntry {
    let mut y = [0x55u8; 32];
    y[..2].copy_from_slice(&n.to_be_bytes());
    IssuerKeyEntry::new(y, from, until, until + 7 * DAY)
}

#[test]
fn the_wallet_redeems_nothing_under_a_list_that_could_tag_holders() {
    let w = World::new(9);
    let key_id = w.issuer.public().key_id().0;
    let honest = trust_with(&w, vec![]);
    assert!(issuing_key(&honest, &key_id, NOW).is_ok());

    // 64 look-alike regions × 2 keys (the fixture's region is one of them): 128 groups.
    let look_alikes: Vec<IssuerEntry> = (1..64u16)
        .map(|r| {
            let mut region = String::from("XX");
            for bit in 0..6 {
                region.push(if r >> bit & 1 == 1 { ' ' } else { '_' });
            }
            region.push_str("TEST");
            IssuerEntry {
                region,
                display_name: format!("Issuer {r}"),
                keys: vec![
                    fake_key(2 * r, NOW - 10 * DAY, NOW + 10 * DAY),
                    fake_key(2 * r + 1, NOW - 10 * DAY, NOW + 10 * DAY),
                ],
            }
        })
        .collect();
    assert!(matches!(
        issuing_key(&trust_with(&w, look_alikes), &key_id, NOW),
        Err(WalletError::TaggingRisk(
            TaggingRisk::LookAlikeRegions { .. }
        ))
    ));

    // The same keys under 64 regions that do not look alike: 127 issue at once.
    let distinct: Vec<IssuerEntry> = (1..64u16)
        .map(|r| IssuerEntry {
            region: format!("R{r:02}X"),
            display_name: format!("Issuer R{r:02}X"),
            keys: vec![
                fake_key(2 * r, NOW - 10 * DAY, NOW + 10 * DAY),
                fake_key(2 * r + 1, NOW - 10 * DAY, NOW + 10 * DAY),
            ],
        })
        .collect();
    assert!(matches!(
        issuing_key(&trust_with(&w, distinct), &key_id, NOW),
        Err(WalletError::TaggingRisk(TaggingRisk::TooManyInList {
            max: 72,
            ..
        }))
    ));

    // A key of another region that issues for one hour: its key id would date its tokens.
    let hourly = vec![IssuerEntry {
        region: "YY-TEST".into(),
        display_name: "Hourly issuer".into(),
        keys: vec![fake_key(1, NOW, NOW + 3600)],
    }];
    assert!(matches!(
        issuing_key(&trust_with(&w, hourly), &key_id, NOW),
        Err(WalletError::TaggingRisk(TaggingRisk::ShortIssuingPeriod {
            seconds: 3600,
            ..
        }))
    ));

    // A second issuer whose name looks like the first one's.
    let twin = vec![IssuerEntry {
        region: "YY-TEST".into(),
        display_name: "TEST  ISSUER".into(),
        keys: vec![fake_key(1, NOW - 10 * DAY, NOW + 10 * DAY)],
    }];
    assert!(matches!(
        issuing_key(&trust_with(&w, twin), &key_id, NOW),
        Err(WalletError::TaggingRisk(TaggingRisk::LookAlikeNames { .. }))
    ));
}

#[test]
fn a_profile_stays_in_its_region_unless_the_holder_moves_it() {
    let mut w = World::new(10);
    let mut other = World::new(11);
    // Both fixture keys in one list, under two regions.
    let trust = trust_with(
        &w,
        vec![IssuerEntry {
            region: "YY-TEST".into(),
            display_name: "Other issuer".into(),
            keys: vec![other.key_entry()],
        }],
    );
    let mut doc = WalletDocument::new(trust.clone());
    let here = issuing_key_in_region(&trust, &w.issuer.public().key_id().0, NOW).unwrap();
    assert_eq!(
        (here.region.as_str(), here.issuer_name.as_str()),
        (greenlight_testkit::REGION, "Test issuer")
    );
    let there = issuing_key_in_region(&trust, &other.issuer.public().key_id().0, NOW).unwrap();
    assert_eq!(there.region, "YY-TEST");

    // A new profile is not pinned; its first redeem pins it.
    assert_eq!(doc.pinned_region("self"), None);
    assert_eq!(
        check_region_pin("self", doc.pinned_region("self"), &here.region, false).unwrap(),
        RegionPin::New
    );
    let holder = HolderSecret::generate(&mut ChaCha20Rng::seed_from_u64(3));
    doc.add_tokens("self", holder, w.issue(Status::Green, 1, 1))
        .unwrap();
    assert_eq!(doc.pinned_region("self"), Some(greenlight_testkit::REGION));

    // The same region again is fine; another one is refused …
    assert_eq!(
        check_region_pin("self", doc.pinned_region("self"), &here.region, false).unwrap(),
        RegionPin::Kept
    );
    match check_region_pin("self", doc.pinned_region("self"), &there.region, false) {
        Err(WalletError::RegionChanged {
            profile,
            pinned,
            offered,
        }) => assert_eq!(
            (profile.as_str(), pinned.as_str(), offered.as_str()),
            ("self", greenlight_testkit::REGION, "YY-TEST")
        ),
        other => panic!("expected RegionChanged, got {other:?}"),
    }
    // … unless the holder says they moved: then the pin follows the new tokens.
    assert_eq!(
        check_region_pin("self", doc.pinned_region("self"), &there.region, true).unwrap(),
        RegionPin::Moved {
            from: greenlight_testkit::REGION.into()
        }
    );
    let holder = HolderSecret::from_hex(&doc.holder_secret("self").unwrap().to_hex()).unwrap();
    doc.add_tokens("self", holder, other.issue(Status::Green, 1, 1))
        .unwrap();
    assert_eq!(doc.pinned_region("self"), Some("YY-TEST"));
    // Pins are per profile: a family member in another region keeps theirs.
    let holder = HolderSecret::generate(&mut ChaCha20Rng::seed_from_u64(4));
    doc.add_tokens("father", holder, w.issue(Status::Green, 1, 2))
        .unwrap();
    assert_eq!(
        doc.pinned_region("father"),
        Some(greenlight_testkit::REGION)
    );
    assert_eq!(doc.pinned_region("self"), Some("YY-TEST"));

    // The pin is stored in wallet.json, and a wallet from before pins loads unpinned.
    let json = String::from_utf8(doc.to_json().unwrap().to_vec()).unwrap();
    assert!(json.contains("\"region\": \"YY-TEST\""), "{json}");
    let back = WalletDocument::from_json(json.as_bytes()).unwrap();
    assert_eq!(back.pinned_region("self"), Some("YY-TEST"));
    let mut old: serde_json::Value = serde_json::from_str(&json).unwrap();
    for p in old["profiles"].as_object_mut().unwrap().values_mut() {
        p.as_object_mut().unwrap().remove("region");
    }
    let old = WalletDocument::from_json(old.to_string().as_bytes()).unwrap();
    assert_eq!(old.pinned_region("self"), None);
    assert_eq!(old.token_count("self"), 2);
    // A region that breaks the string rule is a damaged file.
    let bad = json.replace("\"region\": \"YY-TEST\"", "\"region\": \"YY\\u200bTEST\"");
    assert!(matches!(
        WalletDocument::from_json(bad.as_bytes()),
        Err(WalletError::Corrupt(_))
    ));
}

#[test]
fn damaged_documents_are_refused() {
    let w = World::new(8);
    let good = WalletDocument::new(w.trust()).to_json().unwrap();
    let text = String::from_utf8(good.to_vec()).unwrap();
    for bad in [
        "not json".to_owned(),
        text.replace("\"version\": 1", "\"version\": 2"),
        text.replace("GLK1:", "GLK1:0"),
        text.replace(
            "\"profiles\": {}",
            "\"profiles\": {\"a b\": {\"holder\": \"00\", \"tokens\": []}}",
        ),
    ] {
        assert!(
            matches!(
                WalletDocument::from_json(bad.as_bytes()),
                Err(WalletError::Corrupt(_))
            ),
            "{bad}"
        );
    }
}

/// The witness policy and the last checkpoint survive `wallet.json`; a damaged policy makes
/// the document refuse to load (it would otherwise be silently dropped, and with it the
/// resident's requirement).
#[test]
fn the_witness_policy_and_checkpoint_round_trip_and_a_bad_policy_is_refused() {
    use greenlight_protocol::{cosign, SigningKey, WitnessPolicy};
    let w = World::new(61);
    let mut doc = WalletDocument::new(w.trust());
    assert!(doc.witnesses().is_none());
    let witness = SigningKey::from_bytes(&[5; 32]);
    let policy = WitnessPolicy {
        witnesses: vec![witness.verifying_key().to_bytes()],
        quorum: 1,
        max_age_secs: 86_400,
    };
    let c = cosign(
        &witness,
        None,
        &w.root.verifying_key(),
        doc.trust().key_list(),
        NOW,
    )
    .unwrap();
    doc.set_witnesses(Some(policy.clone()));
    doc.set_cosignatures(vec![c]);
    let json = doc.to_json().unwrap();
    let reloaded = WalletDocument::from_json(&json).unwrap();
    assert_eq!(reloaded.witnesses(), Some(&policy));
    assert_eq!(reloaded.cosignatures(), &[c]);
    let mut raw: serde_json::Value = serde_json::from_slice(&json).unwrap();
    raw["witnesses"]["quorum"] = serde_json::json!(2);
    assert!(WalletDocument::from_json(raw.to_string().as_bytes()).is_err());
}
