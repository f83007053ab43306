//! Round trips over random field values, and "never panics" over arbitrary input.

mod common;

use common::*;
use greenlight_protocol::WireError;
use greenlight_protocol::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn ticket_round_trips(body in ticket_body(), key in signing_key()) {
        let ticket = body.clone().sign(&key);
        let bytes = ticket.to_bytes();
        prop_assert!(bytes.len() <= lengths::MAX_TICKET_LEN);
        let decoded = Ticket::from_bytes(&bytes).unwrap();
        prop_assert_eq!(&decoded, &ticket);
        prop_assert_eq!(decoded.to_bytes(), bytes);
        prop_assert_eq!(decoded.verify(&key.verifying_key()).unwrap(), &body);
        let text = ticket.to_text();
        prop_assert!(text.starts_with("GLT1:"));
        prop_assert_eq!(detect_kind(&text), Some(Kind::Ticket));
        prop_assert_eq!(Ticket::from_text(&text).unwrap(), ticket);
    }

    #[test]
    fn key_list_round_trips(body in key_list_body(), key in signing_key()) {
        let list = body.clone().sign(&key);
        let bytes = list.to_bytes();
        let decoded = KeyList::from_bytes(&bytes).unwrap();
        prop_assert_eq!(&decoded, &list);
        prop_assert_eq!(decoded.to_bytes(), bytes);
        prop_assert_eq!(decoded.verify(&key.verifying_key()).unwrap(), &body);
        let text = list.to_text();
        prop_assert_eq!(detect_kind(&text), Some(Kind::KeyList));
        prop_assert_eq!(KeyList::from_text(&text).unwrap(), list.clone());
        // A list is always a valid successor of itself.
        prop_assert_eq!(list.check_successor(&list), Ok(()));
    }

    #[test]
    fn venue_code_round_trips(code in venue_code()) {
        let bytes = code.to_bytes();
        let decoded = VenueCode::from_bytes(&bytes).unwrap();
        prop_assert_eq!(&decoded, &code);
        prop_assert_eq!(decoded.to_bytes(), bytes);
        let text = code.to_text();
        prop_assert_eq!(detect_kind(&text), Some(Kind::VenueCode));
        prop_assert_eq!(VenueCode::from_text(&text).unwrap(), code);
    }

    #[test]
    fn travel_display_parse_round_trips(t in travel()) {
        prop_assert_eq!(t.to_string().parse::<TravelHistory>().unwrap(), t.clone());
        let codes = t.codes();
        prop_assert!(codes.windows(2).all(|w| w[0] < w[1]));
        // Every slot of the packed scalar decodes back to the sorted code list.
        let packed = t.encode_scalar_bytes();
        for j in 0..lengths::MAX_TRAVEL_CODES {
            let mut v = 0u16;
            for bit in 0..10 {
                let pos = j * 10 + bit;
                v |= u16::from((packed[pos / 8] >> (pos % 8)) & 1) << bit;
            }
            let want = codes.get(j).map_or(0, RegionCode::slot_value);
            prop_assert_eq!(v, want);
        }
        prop_assert!(packed[30..].iter().all(|b| *b == 0));
    }

    /// Arbitrary bytes never panic any decoder.
    #[test]
    fn from_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Ticket::from_bytes(&bytes);
        let _ = KeyList::from_bytes(&bytes);
        let _ = VenueCode::from_bytes(&bytes);
    }

    /// Bytes that start with a valid header (so decoding goes deep) never panic either.
    #[test]
    fn from_bytes_with_valid_header_never_panics(
        tag in prop_oneof![Just(0x10u8), Just(0x11), Just(0x12)],
        rest in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut bytes = vec![1u8, tag];
        bytes.extend_from_slice(&rest);
        let _ = Ticket::from_bytes(&bytes);
        let _ = KeyList::from_bytes(&bytes);
        let _ = VenueCode::from_bytes(&bytes);
    }

    /// Random edits of a valid encoding never panic, and every accepted edit re-encodes to
    /// exactly the edited bytes (canonical decoding).
    #[test]
    fn mutated_encodings_never_panic_and_stay_canonical(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
        do_cut in any::<bool>(),
    ) {
        let (_, ticket) = sample_ticket(1);
        let (_, list) = sample_key_list(2);
        let mut bytes = match which {
            0 => ticket.to_bytes(),
            1 => list.to_bytes(),
            _ => sample_venue_code(3).to_bytes(),
        };
        for (i, v) in edits {
            let i = i.index(bytes.len());
            bytes[i] = v;
        }
        if do_cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        if let Ok(t) = Ticket::from_bytes(&bytes) { prop_assert_eq!(t.to_bytes(), bytes.clone()); }
        if let Ok(l) = KeyList::from_bytes(&bytes) { prop_assert_eq!(l.to_bytes(), bytes.clone()); }
        if let Ok(v) = VenueCode::from_bytes(&bytes) { prop_assert_eq!(v.to_bytes(), bytes.clone()); }
    }

    /// Arbitrary strings, with and without a valid prefix, never panic any text decoder.
    #[test]
    fn from_text_never_panics(
        prefix in prop_oneof![Just(""), Just("GLT1:"), Just("GLK1:"), Just("GLV1:"), Just("GLP1:")],
        body in any::<String>(),
        alnum in "[0-9A-Z $%*+./:-]{0,300}",
    ) {
        for s in [format!("{prefix}{body}"), format!("{prefix}{alnum}")] {
            let _ = Ticket::from_text(&s);
            let _ = KeyList::from_text(&s);
            let _ = VenueCode::from_text(&s);
            let _ = detect_kind(&s);
            let _ = s.parse::<TravelHistory>();
            let _ = s.parse::<Status>();
            let _ = SubjectHandle::new(&s);
        }
    }
}

#[test]
fn text_tolerates_surrounding_newlines_but_not_inner_damage() {
    let code = sample_venue_code(3);
    let text = code.to_text();
    assert_eq!(
        VenueCode::from_text(&format!("  {text}\r\n")),
        Ok(code.clone())
    );
    assert_eq!(detect_kind(&format!("\n{text}")), Some(Kind::VenueCode));
    // Lowercase letters are not base45.
    let lower = format!("GLV1:{}", text["GLV1:".len()..].to_lowercase());
    if lower != text {
        assert!(VenueCode::from_text(&lower).is_err());
    }
    // Wrong prefix for the type.
    assert_eq!(
        Ticket::from_text(&text),
        Err(ProtocolError::Wire(WireError::WrongPrefix {
            expected: "GLT1:"
        }))
    );
    assert_eq!(detect_kind("GLP1:ABC"), Some(Kind::Presentation));
    assert_eq!(detect_kind("hello"), None);
    assert_eq!(detect_kind(""), None);
}

#[test]
fn over_long_text_is_rejected_before_decoding() {
    let huge = format!("GLV1:{}", "0".repeat(10_000));
    assert!(matches!(
        VenueCode::from_text(&huge),
        Err(ProtocolError::Wire(WireError::TooLong { .. }))
    ));
    let huge = format!(
        "GLK1:{}",
        "0".repeat((5 + greenlight_wire::text::base45_len(lengths::MAX_KEY_LIST_LEN)) + 3)
    );
    assert!(matches!(
        KeyList::from_text(&huge),
        Err(ProtocolError::Wire(WireError::TooLong { .. }))
    ));
}

#[test]
fn largest_key_list_fits_the_bounds() {
    let root = SigningKey::from_bytes(&[9u8; 32]);
    let mut counter = 0u64;
    let issuers = (0..lengths::MAX_ISSUERS)
        .map(|i| IssuerEntry {
            region: format!("R{i:015}"),
            display_name: "N".repeat(lengths::MAX_DISPLAY_NAME_LEN),
            keys: (0..lengths::MAX_KEYS_PER_ISSUER)
                .map(|_| {
                    counter += 1;
                    let mut pk = [0u8; 32];
                    pk[..8].copy_from_slice(&counter.to_be_bytes());
                    IssuerKeyEntry::new(pk, 1, 2, 3)
                })
                .collect(),
        })
        .collect();
    let list = KeyListBody::new(u64::MAX, u64::MAX, issuers)
        .unwrap()
        .sign(&root);
    let bytes = list.to_bytes();
    assert_eq!(bytes.len(), lengths::MAX_KEY_LIST_LEN);
    assert_eq!(KeyList::from_bytes(&bytes), Ok(list.clone()));
    let text = list.to_text();
    assert!(text.len() <= (5 + greenlight_wire::text::base45_len(lengths::MAX_KEY_LIST_LEN)));
    assert_eq!(KeyList::from_text(&text), Ok(list));
}

#[test]
fn largest_ticket_and_venue_code_fit_the_bounds() {
    let key = SigningKey::from_bytes(&[3u8; 32]);
    let travel =
        TravelHistory::new((b'A'..b'A' + 24).map(|c| RegionCode::new([c, b'Q']).unwrap())).unwrap();
    let body = TicketBody::new(
        [0xff; 16],
        SubjectHandle::new(&"é".repeat(32)).unwrap(),
        Status::Red,
        travel,
        0,
        u64::MAX,
        lengths::MAX_TOKENS_PER_TICKET,
    )
    .unwrap();
    let bytes = body.sign(&key).to_bytes();
    assert_eq!(bytes.len(), lengths::MAX_TICKET_LEN);
    assert!(Ticket::from_bytes(&bytes).is_ok());

    let code = VenueCode::from_parts(
        [0; 8],
        &"x".repeat(64),
        168,
        Status::Green,
        Policy::GREEN_RECENT,
    )
    .unwrap();
    assert_eq!(code.to_bytes().len(), lengths::MAX_VENUE_CODE_LEN);
}
