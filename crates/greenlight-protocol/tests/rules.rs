//! Field rules: validity windows, limits, key list lookups and the successor rules.

mod common;

use common::*;
use greenlight_protocol::WireError;
use greenlight_protocol::*;

// --- tickets ------------------------------------------------------------------------------

#[test]
fn ticket_time_checks_distinguish_early_and_late() {
    let (_, ticket) = sample_ticket(1);
    let body = ticket.unverified_body();
    assert_eq!(
        body.check_time(T0 - TICKET_START_LEEWAY_SECS - 1),
        Err(ProtocolError::NotYetValid { not_before: T0 })
    );
    // A minute early is taken (clock differences between authority, issuer and wallet).
    assert_eq!(body.check_time(T0 - TICKET_START_LEEWAY_SECS), Ok(()));
    assert_eq!(body.check_time(T0), Ok(()));
    assert_eq!(body.check_time(T0 + 2 * DAY), Ok(()));
    assert_eq!(
        body.check_time(T0 + 2 * DAY + 1),
        Err(ProtocolError::Expired {
            not_after: T0 + 2 * DAY
        })
    );
}

#[test]
fn ticket_construction_rules() {
    let subject = || SubjectHandle::new("h").unwrap();
    let mk = |nb, na, n| {
        TicketBody::new(
            [0; 16],
            subject(),
            Status::Green,
            TravelHistory::empty(),
            nb,
            na,
            n,
        )
    };
    assert_eq!(mk(5, 5, 1), Err(ProtocolError::InvalidValidity));
    assert_eq!(mk(6, 5, 1), Err(ProtocolError::InvalidValidity));
    assert_eq!(mk(5, 6, 0), Err(ProtocolError::InvalidTokenCount(0)));
    assert_eq!(mk(5, 6, 65), Err(ProtocolError::InvalidTokenCount(65)));
    assert!(mk(5, 6, 1).is_ok());
    assert!(mk(5, 6, 64).is_ok());
}

#[test]
fn subject_handle_rules() {
    assert!(SubjectHandle::new(&"a".repeat(64)).is_ok());
    let too_long = ProtocolError::Wire(WireError::InvalidString {
        field: "subject handle",
        problem: StringProblem::TooLong,
    });
    assert_eq!(SubjectHandle::new(&"a".repeat(65)), Err(too_long));
    assert!(matches!(
        SubjectHandle::new(""),
        Err(ProtocolError::Wire(WireError::InvalidString {
            problem: StringProblem::TooShort,
            ..
        }))
    ));
    for bad in ["a\nb", "a\u{7f}", "\u{85}", "\u{1b}[31m", "tab\t"] {
        assert!(matches!(
            SubjectHandle::new(bad),
            Err(ProtocolError::Wire(WireError::InvalidString {
                problem: StringProblem::ControlCharacter,
                ..
            }))
        ));
    }
    assert_eq!(
        format!("{:?}", SubjectHandle::new("secret").unwrap()),
        "SubjectHandle(<redacted>)"
    );
}

/// Offsets in the sample ticket (subject "sub-4f9c2a", travel CN,HK,SG).
const SUBJECT_LEN_AT: usize = 18;
const SUBJECT_AT: usize = 19;
const STATUS_AT: usize = 29;
const TRAVEL_COUNT_AT: usize = 30;
const TRAVEL_AT: usize = 31;
const TOKENS_AT: usize = 53;

fn ticket_bytes() -> Vec<u8> {
    let bytes = sample_ticket(1).1.to_bytes();
    assert_eq!(bytes.len(), 127);
    assert_eq!(bytes[SUBJECT_LEN_AT], 10);
    assert_eq!(&bytes[TRAVEL_AT..TRAVEL_AT + 6], b"CNHKSG");
    bytes
}

#[test]
fn ticket_decoder_rejects_bad_fields() {
    let edit = |at: usize, v: u8| {
        let mut b = ticket_bytes();
        b[at] = v;
        Ticket::from_bytes(&b)
    };
    for st in [0u8, 4, 0xff] {
        assert_eq!(
            edit(STATUS_AT, st),
            Err(ProtocolError::Wire(WireError::InvalidStatus(st)))
        );
    }
    // Invalid UTF-8 and a control character inside the subject.
    assert!(matches!(
        edit(SUBJECT_AT, 0xff),
        Err(ProtocolError::Wire(WireError::InvalidString {
            problem: StringProblem::NotUtf8,
            ..
        }))
    ));
    assert!(matches!(
        edit(SUBJECT_AT, 0x0a),
        Err(ProtocolError::Wire(WireError::InvalidString {
            problem: StringProblem::ControlCharacter,
            ..
        }))
    ));
    // Subject length 0 and > 64.
    assert!(matches!(
        edit(SUBJECT_LEN_AT, 0),
        Err(ProtocolError::Wire(WireError::InvalidString {
            problem: StringProblem::TooShort,
            ..
        }))
    ));
    assert!(matches!(
        edit(SUBJECT_LEN_AT, 65),
        Err(ProtocolError::Wire(WireError::InvalidString {
            problem: StringProblem::TooLong,
            ..
        }))
    ));
    // Travel: unsorted, duplicated, lowercase, too many.
    let mut b = ticket_bytes();
    b[TRAVEL_AT..TRAVEL_AT + 4].copy_from_slice(b"HKCN");
    assert_eq!(
        Ticket::from_bytes(&b),
        Err(ProtocolError::UnsortedRegionCodes)
    );
    let mut b = ticket_bytes();
    b[TRAVEL_AT..TRAVEL_AT + 4].copy_from_slice(b"CNCN");
    assert_eq!(
        Ticket::from_bytes(&b),
        Err(ProtocolError::UnsortedRegionCodes)
    );
    assert_eq!(edit(TRAVEL_AT, b'c'), Err(ProtocolError::InvalidRegionCode));
    assert_eq!(
        edit(TRAVEL_COUNT_AT, 25),
        Err(ProtocolError::TooManyRegionCodes(25))
    );
    // Token count 0 and 65.
    let mut b = ticket_bytes();
    b[TOKENS_AT..TOKENS_AT + 2].copy_from_slice(&0u16.to_be_bytes());
    assert_eq!(
        Ticket::from_bytes(&b),
        Err(ProtocolError::InvalidTokenCount(0))
    );
    b[TOKENS_AT..TOKENS_AT + 2].copy_from_slice(&65u16.to_be_bytes());
    assert_eq!(
        Ticket::from_bytes(&b),
        Err(ProtocolError::InvalidTokenCount(65))
    );
    // Over-long input is refused before parsing.
    let long = vec![1u8; lengths::MAX_TICKET_LEN + 1];
    assert!(matches!(
        Ticket::from_bytes(&long),
        Err(ProtocolError::Wire(WireError::TooLong { .. }))
    ));
}

// --- venue codes --------------------------------------------------------------------------

#[test]
fn only_standard_windows_are_accepted() {
    assert_eq!(
        greenlight_protocol::STANDARD_WINDOWS_HOURS,
        [6, 12, 24, 48, 72, 168]
    );
    let code = sample_venue_code(3);
    let mut bytes = code.to_bytes();
    let window_at = bytes.len() - 3;
    assert_eq!(bytes[window_at], 24);
    for w in 0..=u8::MAX {
        let standard = greenlight_protocol::STANDARD_WINDOWS_HOURS.contains(&w);
        assert_eq!(is_standard_window(w), standard);
        let built = VenueCode::from_parts([1; 8], "x", w, Status::Green, Policy::GREEN_RECENT);
        bytes[window_at] = w;
        let decoded = VenueCode::from_bytes(&bytes);
        if standard {
            assert!(built.is_ok() && decoded.is_ok(), "window {w}");
            assert_eq!(decoded.unwrap().window_seconds(), u64::from(w) * 3600);
        } else {
            assert_eq!(built, Err(ProtocolError::NonStandardWindow(w)));
            assert_eq!(decoded, Err(ProtocolError::NonStandardWindow(w)));
        }
    }
    let mut rng = rng(4);
    assert_eq!(
        VenueCode::new_with_rng(&mut rng, "x", 25),
        Err(ProtocolError::NonStandardWindow(25))
    );
}

#[test]
fn venue_requires_green_and_a_known_policy() {
    assert_eq!(
        VenueCode::from_parts([1; 8], "x", 24, Status::Yellow, Policy::GREEN_RECENT),
        Err(ProtocolError::UnsupportedRequiredStatus(2))
    );
    let mut bytes = sample_venue_code(3).to_bytes();
    let n = bytes.len();
    bytes[n - 2] = 3;
    assert_eq!(
        VenueCode::from_bytes(&bytes),
        Err(ProtocolError::UnsupportedRequiredStatus(3))
    );
    bytes[n - 2] = 4;
    assert_eq!(
        VenueCode::from_bytes(&bytes),
        Err(ProtocolError::Wire(WireError::InvalidStatus(4)))
    );
    bytes[n - 2] = 1;
    for p in [0u8, 2, 0xff] {
        bytes[n - 1] = p;
        assert_eq!(
            VenueCode::from_bytes(&bytes),
            Err(ProtocolError::Wire(WireError::UnknownPolicy(p)))
        );
    }
    assert!(VenueCode::from_parts([1; 8], "", 24, Status::Green, Policy::GREEN_RECENT).is_err());
    assert!(VenueCode::from_parts(
        [1; 8],
        &"x".repeat(65),
        24,
        Status::Green,
        Policy::GREEN_RECENT
    )
    .is_err());
    assert!(
        VenueCode::from_parts([1; 8], "bar\r\n", 24, Status::Green, Policy::GREEN_RECENT).is_err()
    );
}

#[test]
fn venue_ids_come_from_the_rng() {
    let a = sample_venue_code(3);
    let b = sample_venue_code(3);
    let c = sample_venue_code(4);
    assert_eq!(a, b);
    assert_ne!(a.venue_id(), c.venue_id());
    assert_eq!(a.required_status(), Status::Green);
    assert_eq!(a.policy(), Policy::GREEN_RECENT);
}

// --- key lists ----------------------------------------------------------------------------

fn issuer(region: &str, keys: Vec<IssuerKeyEntry>) -> IssuerEntry {
    IssuerEntry {
        region: region.into(),
        display_name: format!("Issuer {region}"),
        keys,
    }
}

fn key(seed: u8) -> IssuerKeyEntry {
    IssuerKeyEntry::new([seed; 32], 100, 200, 300)
}

#[test]
fn key_list_construction_rules() {
    assert!(KeyListBody::new(1, 1, vec![]).is_ok());
    assert_eq!(
        KeyListBody::new(
            1,
            1,
            vec![issuer("A", vec![key(1)]), issuer("A", vec![key(2)])]
        ),
        Err(ProtocolError::DuplicateRegion("A".into()))
    );
    let dup = key(1).key_id;
    assert_eq!(
        KeyListBody::new(
            1,
            1,
            vec![issuer("A", vec![key(1)]), issuer("B", vec![key(1)])]
        ),
        Err(ProtocolError::DuplicateKeyId(dup))
    );
    assert_eq!(
        KeyListBody::new(1, 1, vec![issuer("A", vec![key(1), key(1)])]),
        Err(ProtocolError::DuplicateKeyId(dup))
    );
    assert_eq!(
        KeyListBody::new(1, 1, vec![issuer("A", vec![])]),
        Err(ProtocolError::InvalidKeyCount(0))
    );
    let many: Vec<_> = (0..33).map(key).collect();
    assert_eq!(
        KeyListBody::new(1, 1, vec![issuer("A", many)]),
        Err(ProtocolError::InvalidKeyCount(33))
    );
    let issuers: Vec<_> = (0..65u8)
        .map(|i| issuer(&format!("R{i}"), vec![key(i)]))
        .collect();
    assert_eq!(
        KeyListBody::new(1, 1, issuers),
        Err(ProtocolError::TooManyIssuers(65))
    );
    let wrong_id = IssuerKeyEntry {
        key_id: [0; 8],
        ..key(1)
    };
    assert_eq!(
        KeyListBody::new(1, 1, vec![issuer("A", vec![wrong_id])]),
        Err(ProtocolError::KeyIdMismatch([0; 8]))
    );
    for (f, u, a) in [(201, 200, 300), (100, 301, 300)] {
        let bad = IssuerKeyEntry::new([1; 32], f, u, a);
        assert_eq!(
            KeyListBody::new(1, 1, vec![issuer("A", vec![bad])]),
            Err(ProtocolError::InvalidKeyValidity(bad.key_id))
        );
    }
    assert!(KeyListBody::new(1, 1, vec![issuer(&"R".repeat(17), vec![key(1)])]).is_err());
    assert!(KeyListBody::new(1, 1, vec![issuer("", vec![key(1)])]).is_err());
    let long_name = IssuerEntry {
        display_name: "n".repeat(65),
        ..issuer("A", vec![key(1)])
    };
    assert!(KeyListBody::new(1, 1, vec![long_name]).is_err());
}

/// Offsets in the sample key list: header 2, sequence 8, issued_at 8, count 1, region
/// "CN-GD" (1+5), display name (1+27), key count 1, then 65-byte key entries.
const FIRST_KEY_AT: usize = 2 + 8 + 8 + 1 + 6 + 28 + 1;
const KEY_ENTRY: usize = lengths::KEY_ENTRY_LEN;

#[test]
fn key_list_decoder_rejects_bad_fields() {
    let (_, list) = sample_key_list(2);
    let bytes = list.to_bytes();
    let first = &list.unverified_body().issuers()[0].keys[0];
    assert_eq!(&bytes[FIRST_KEY_AT..FIRST_KEY_AT + 8], &first.key_id);
    // Revoked flag other than 0/1.
    let mut b = bytes.clone();
    b[FIRST_KEY_AT + KEY_ENTRY - 1] = 2;
    assert_eq!(
        KeyList::from_bytes(&b),
        Err(ProtocolError::Wire(WireError::InvalidBool(2)))
    );
    // Copy the first key entry over the second: duplicate key id.
    let mut b = bytes.clone();
    b.copy_within(
        FIRST_KEY_AT..FIRST_KEY_AT + KEY_ENTRY,
        FIRST_KEY_AT + KEY_ENTRY,
    );
    assert_eq!(
        KeyList::from_bytes(&b),
        Err(ProtocolError::DuplicateKeyId(first.key_id))
    );
    // Key count 0 and 33, issuer count 65.
    let mut b = bytes.clone();
    b[FIRST_KEY_AT - 1] = 0;
    assert_eq!(
        KeyList::from_bytes(&b),
        Err(ProtocolError::InvalidKeyCount(0))
    );
    b[FIRST_KEY_AT - 1] = 33;
    assert_eq!(
        KeyList::from_bytes(&b),
        Err(ProtocolError::InvalidKeyCount(33))
    );
    let mut b = bytes.clone();
    b[18] = 65;
    assert_eq!(
        KeyList::from_bytes(&b),
        Err(ProtocolError::TooManyIssuers(65))
    );
    // A public key changed without its id: mismatch.
    let mut b = bytes;
    b[FIRST_KEY_AT + 8] ^= 1;
    assert_eq!(
        KeyList::from_bytes(&b),
        Err(ProtocolError::KeyIdMismatch(first.key_id))
    );
}

#[test]
fn lookups_accept_and_issue() {
    let (root, list) = sample_key_list(2);
    let body = list.verify(&root.verifying_key()).unwrap();
    let gd = &body.issuers()[0];
    let (old, new, hk) = (gd.keys[0], gd.keys[1], body.issuers()[1].keys[0]);

    assert_eq!(
        body.find_key(&new.key_id)
            .map(|(i, k)| (i.region.as_str(), *k)),
        Some(("CN-GD", new))
    );
    assert_eq!(body.find_key(&[0; 8]), None);
    assert_eq!(body.accepts(&[0; 8], T0), Err(KeyRejection::Unknown));
    assert_eq!(body.accepts(&old.key_id, T0), Err(KeyRejection::Revoked));
    assert!(body.accepts(&new.key_id, new.accept_until).is_ok());
    assert_eq!(
        body.accepts(&new.key_id, new.accept_until + 1),
        Err(KeyRejection::Expired {
            accept_until: new.accept_until
        })
    );
    assert_eq!(
        body.accepts(&hk.key_id, T0).map(|(i, _)| i.region.as_str()),
        Ok("HK")
    );
    // A key published ahead of its rotation is listed but not accepted until two hours
    // (KEY_START_TOLERANCE_SECS) before its issuing period starts.
    assert_eq!(KEY_START_TOLERANCE_SECS, 2 * 3600);
    let not_yet = Err(KeyRejection::NotYetAccepted {
        issue_from: new.issue_from,
    });
    assert_eq!(body.accepts(&new.key_id, T0).map(|_| ()), not_yet);
    let first = new.issue_from - KEY_START_TOLERANCE_SECS;
    assert_eq!(body.accepts(&new.key_id, first - 1).map(|_| ()), not_yet);
    assert!(body.accepts(&new.key_id, first).is_ok());
    assert!(body.accepts(&new.key_id, new.issue_from).is_ok());
    // No overflow near the ends of time.
    assert!(body.accepts(&new.key_id, u64::MAX).is_err());

    assert!(body.issues(&new.key_id, new.issue_from).is_ok());
    assert!(body.issues(&new.key_id, new.issue_until).is_ok());
    let not_issuing = Err(KeyRejection::NotIssuing {
        issue_from: new.issue_from,
        issue_until: new.issue_until,
    });
    assert_eq!(
        body.issues(&new.key_id, new.issue_from - 1).map(|_| ()),
        not_issuing
    );
    assert_eq!(
        body.issues(&new.key_id, new.issue_until + 1).map(|_| ()),
        not_issuing
    );
    assert_eq!(
        body.issues(&old.key_id, T0).map(|_| ()),
        Err(KeyRejection::Revoked)
    );
    // Errors convert into ProtocolError for `?` use.
    let e: ProtocolError = KeyRejection::Revoked.into();
    assert_eq!(e.to_string(), "issuer key has been revoked");
}

#[test]
fn root_fingerprint_is_stable_and_distinct() {
    let (root, _) = sample_key_list(2);
    let fp = root_fingerprint(&root.verifying_key());
    assert_eq!(fp, root_fingerprint(&root.verifying_key()));
    assert_ne!(
        fp,
        root_fingerprint(&SigningKey::from_bytes(&[1; 32]).verifying_key())
    );
    assert_eq!(fp.len(), 2 * lengths::ROOT_FINGERPRINT_LEN);
}

// --- successor rules ----------------------------------------------------------------------

/// The old list (sequence 7) and a builder of successors signed by the same root.
fn successor_fixture() -> (KeyList, impl Fn(u64, u64, Vec<IssuerEntry>) -> KeyList) {
    let (root, old) = sample_key_list(2);
    let sign = move |seq, at, issuers| KeyListBody::new(seq, at, issuers).unwrap().sign(&root);
    (old, sign)
}

fn violation(old: &KeyList, new: &KeyList) -> SuccessorViolation {
    match old.check_successor(new) {
        Err(ProtocolError::Successor(v)) => v,
        other => panic!("expected a successor violation, got {other:?}"),
    }
}

#[test]
fn valid_successors_are_accepted() {
    let (old, sign) = successor_fixture();
    let body = old.unverified_body();
    let (seq, at) = (body.sequence(), body.issued_at());
    let mut issuers = body.clone().into_issuers();
    // Add a key, add an issuer, revoke a key, shrink times, rename an issuer.
    issuers[0].keys.push(IssuerKeyEntry::new(
        [42; 32],
        T0 + 60 * DAY,
        T0 + 90 * DAY,
        T0 + 97 * DAY,
    ));
    issuers.push(issuer("MO", vec![key(9)]));
    issuers[1].keys[0].revoked = true;
    issuers[1].keys[0].issue_until -= DAY;
    issuers[1].keys[0].accept_until -= DAY;
    issuers[0].display_name = "Guangdong Provincial Health Commission".into();
    let new = sign(seq + 1, at + DAY, issuers);
    assert_eq!(old.check_successor(&new), Ok(()));
    // The same list, and the same list signed again, are fine.
    assert_eq!(old.check_successor(&old), Ok(()));
    assert_eq!(
        old.check_successor(&sign(seq, at, body.clone().into_issuers())),
        Ok(())
    );
    // Issuer order may change.
    let mut reordered = body.clone().into_issuers();
    reordered.reverse();
    assert_eq!(old.check_successor(&sign(seq + 1, at, reordered)), Ok(()));
}

#[test]
fn each_successor_violation_is_detected() {
    let (old, sign) = successor_fixture();
    let body = old.unverified_body();
    let (seq, at) = (body.sequence(), body.issued_at());
    let base = || body.clone().into_issuers();
    let gd_new = base()[0].keys[1];
    let gd_old = base()[0].keys[0];
    let hk = base()[1].keys[0];

    let new = sign(seq - 1, at, base());
    assert_eq!(
        violation(&old, &new),
        SuccessorViolation::SequenceRegressed {
            old: seq,
            new: seq - 1
        }
    );

    let mut issuers = base();
    issuers[0].display_name = "Renamed".into();
    assert_eq!(
        violation(&old, &sign(seq, at, issuers)),
        SuccessorViolation::ForkedSequence { sequence: seq }
    );

    let new = sign(seq + 1, at - 1, base());
    assert_eq!(
        violation(&old, &new),
        SuccessorViolation::IssuedAtRegressed {
            old: at,
            new: at - 1
        }
    );

    let mut issuers = base();
    issuers.pop();
    assert_eq!(
        violation(&old, &sign(seq + 1, at, issuers)),
        SuccessorViolation::KeyRemoved {
            region: "HK".into(),
            key_id: hk.key_id
        }
    );

    let mut issuers = base();
    issuers[0].keys.remove(1);
    assert_eq!(
        violation(&old, &sign(seq + 1, at, issuers)),
        SuccessorViolation::KeyRemoved {
            region: "CN-GD".into(),
            key_id: gd_new.key_id
        }
    );

    // A key moved to another region counts as removed from its own.
    let mut issuers = base();
    let moved = issuers[0].keys.remove(1);
    issuers[1].keys.push(moved);
    assert_eq!(
        violation(&old, &sign(seq + 1, at, issuers)),
        SuccessorViolation::KeyRemoved {
            region: "CN-GD".into(),
            key_id: gd_new.key_id
        }
    );

    let mut issuers = base();
    issuers[0].keys[1].issue_from += 1;
    assert_eq!(
        violation(&old, &sign(seq + 1, at, issuers)),
        SuccessorViolation::KeyChanged {
            key_id: gd_new.key_id
        }
    );

    let mut issuers = base();
    issuers[0].keys[0].revoked = false;
    assert_eq!(
        violation(&old, &sign(seq + 1, at, issuers)),
        SuccessorViolation::KeyUnrevoked {
            key_id: gd_old.key_id
        }
    );

    let mut issuers = base();
    issuers[0].keys[1].issue_until += 1;
    assert_eq!(
        violation(&old, &sign(seq + 1, at, issuers)),
        SuccessorViolation::IssueUntilExtended {
            key_id: gd_new.key_id
        }
    );

    let mut issuers = base();
    issuers[0].keys[1].accept_until += 1;
    assert_eq!(
        violation(&old, &sign(seq + 1, at, issuers)),
        SuccessorViolation::AcceptUntilExtended {
            key_id: gd_new.key_id
        }
    );
    assert!(old
        .check_successor(&sign(seq + 1, at, {
            let mut i = base();
            i[0].keys[1].accept_until += 1;
            i
        }))
        .unwrap_err()
        .to_string()
        .contains("accept_until"));
}
