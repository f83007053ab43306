//! The key list's anti-tagging rules (`KeyListBody::check_anti_tagging`, `docs/privacy.md`
//! §2): look-alike regions and names, short issuing periods, and too many keys issuing at once
//! in a region or in the whole list — and the invisible characters that decoding refuses.

use greenlight_protocol::*;
use rand_chacha::rand_core::SeedableRng;

const T0: u64 = 1_700_000_000;
const DAY: u64 = 86_400;
const HOUR: u64 = 3600;

/// A key with distinct bytes per `n` (the list does not decode the points), issuing
/// `from..=until` and accepted a week longer.
fn key(n: u16, from: u64, until: u64) -> IssuerKeyEntry {
    let mut y = [0u8; 32];
    y[..2].copy_from_slice(&n.to_be_bytes());
    IssuerKeyEntry::new(y, from, until, until + 7 * DAY)
}

fn issuer(region: &str, name: &str, keys: Vec<IssuerKeyEntry>) -> IssuerEntry {
    IssuerEntry {
        region: region.into(),
        display_name: name.into(),
        keys,
    }
}

fn body(issuers: Vec<IssuerEntry>) -> KeyListBody {
    KeyListBody::new(1, T0, issuers).unwrap()
}

/// `regions` issuers, each with `per_region` keys issuing over the same 90 days around T0.
fn national(regions: u16, per_region: u16, region: impl Fn(u16) -> String) -> KeyListBody {
    body(
        (0..regions)
            .map(|r| {
                let keys = (0..per_region)
                    .map(|k| key(r * 32 + k, T0 - 30 * DAY, T0 + 60 * DAY))
                    .collect();
                issuer(
                    &region(r),
                    &format!("Health commission {}", region(r)),
                    keys,
                )
            })
            .collect(),
    )
}

#[test]
fn an_honest_rotating_national_list_passes() {
    // 34 regions, every one in a rotation overlap at once: 68 keys issuing.
    let list = national(34, 2, |r| format!("CN-{r:02}X"));
    assert_eq!(list.check_anti_tagging(T0), Ok(()));
    // Back-to-back rotations of one region (the server's 90-day keys), the old key still in
    // its acceptance grace, a revoked key and a fully expired one: all fine.
    let mut revoked = key(3, T0, T0 + 30 * DAY);
    revoked.revoked = true;
    let list = body(vec![issuer(
        "CN-GD",
        "Guangdong Health Commission",
        vec![
            key(0, T0 - 400 * DAY, T0 - 300 * DAY), // expired long ago: not live
            key(1, T0 - 90 * DAY, T0 - 1),
            key(2, T0, T0 + 90 * DAY),
            revoked,
            key(4, T0 + 80 * DAY, T0 + 170 * DAY), // published ahead, overlaps key 2
        ],
    )]);
    assert_eq!(list.check_anti_tagging(T0), Ok(()));
    // The server's own default list: one region, one 90-day key.
    let server = body(vec![issuer(
        "SG",
        "Singapore MOH",
        vec![key(9, T0, T0 + 90 * DAY)],
    )]);
    assert_eq!(server.check_anti_tagging(T0), Ok(()));
}

#[test]
fn a_list_of_128_tagging_keys_is_refused() {
    // 64 look-alike regions × 2 keys: refused for the look-alike names alone …
    let spellings = |r: u16| {
        // CN-GD with r written as invisible-to-people differences: case, width, separators.
        let mut s = String::from("CN");
        for bit in 0..6 {
            s.push(if r >> bit & 1 == 1 { ' ' } else { '-' });
        }
        s.push_str("GD");
        s
    };
    let look_alike = national(64, 2, spellings);
    assert!(matches!(
        look_alike.check_anti_tagging(T0),
        Err(TaggingRisk::LookAlikeRegions { .. })
    ));
    // … and 64 distinct regions × 2 keys for the 128 keys issuing at once.
    let distinct = national(64, 2, |r| format!("R{r:02}X"));
    assert_eq!(
        distinct.check_anti_tagging(T0),
        Err(TaggingRisk::TooManyInList {
            count: 128,
            max: MAX_ISSUING_KEYS,
            at: T0 - 30 * DAY,
        })
    );
    // The whole-list bound is exactly 72.
    let full = national(36, 2, |r| format!("R{r:02}X"));
    assert_eq!(full.check_anti_tagging(T0), Ok(()));
    let over = body({
        let mut issuers = national(36, 2, |r| format!("R{r:02}X")).into_issuers();
        issuers.push(issuer("EXTRA", "Extra", vec![key(2000, T0, T0 + 20 * DAY)]));
        issuers
    });
    assert!(matches!(
        over.check_anti_tagging(T0),
        Err(TaggingRisk::TooManyInList { count: 73, .. })
    ));
    // Once those keys are no longer accepted anywhere, they tag nobody.
    assert_eq!(distinct.check_anti_tagging(T0 + 68 * DAY), Ok(()));
}

#[test]
fn three_keys_of_one_region_issuing_together_are_refused() {
    let list = body(vec![issuer(
        "CN-GD",
        "Guangdong",
        vec![
            key(1, T0, T0 + 30 * DAY),
            key(2, T0 + 10 * DAY, T0 + 40 * DAY),
            key(3, T0 + 20 * DAY, T0 + 50 * DAY),
        ],
    )]);
    assert_eq!(
        list.check_anti_tagging(T0),
        Err(TaggingRisk::TooManyInRegion {
            region: "CN-GD".into(),
            count: 3,
            max: 2,
            at: T0 + 20 * DAY,
        })
    );
    // Both ends of an issuing period count: a key ending at t and one starting at t overlap.
    let touching = body(vec![issuer(
        "CN-GD",
        "Guangdong",
        vec![
            key(1, T0, T0 + 30 * DAY),
            key(2, T0 + 15 * DAY, T0 + 45 * DAY),
            key(3, T0 + 30 * DAY, T0 + 60 * DAY),
        ],
    )]);
    assert!(matches!(
        touching.check_anti_tagging(T0),
        Err(TaggingRisk::TooManyInRegion { count: 3, .. })
    ));
    // Revoking one of them is how an operator fixes it.
    let mut issuers = touching.into_issuers();
    issuers[0].keys[1].revoked = true;
    assert_eq!(body(issuers).check_anti_tagging(T0), Ok(()));
}

#[test]
fn a_one_hour_issuing_key_is_refused() {
    let list = body(vec![issuer(
        "CN-GD",
        "Guangdong",
        vec![key(1, T0, T0 + HOUR)],
    )]);
    assert_eq!(
        list.check_anti_tagging(T0),
        Err(TaggingRisk::ShortIssuingPeriod {
            region: "CN-GD".into(),
            key_id: key(1, T0, T0 + HOUR).key_id,
            seconds: HOUR,
            min: MIN_ISSUING_PERIOD_SECS,
        })
    );
    // The minimum is 14 days, twice the longest window, inclusive.
    assert_eq!(MIN_ISSUING_PERIOD_SECS, 14 * DAY);
    let at_min = body(vec![issuer(
        "CN-GD",
        "Guangdong",
        vec![key(1, T0, T0 + 14 * DAY)],
    )]);
    assert_eq!(at_min.check_anti_tagging(T0), Ok(()));
    let short = body(vec![issuer(
        "CN-GD",
        "Guangdong",
        vec![key(1, T0, T0 + 14 * DAY - 1)],
    )]);
    assert!(short.check_anti_tagging(T0).is_err());
}

#[test]
fn look_alike_regions_and_names_are_refused() {
    let pair = |a: (&str, &str), b: (&str, &str)| {
        body(vec![
            issuer(a.0, a.1, vec![key(1, T0, T0 + 30 * DAY)]),
            issuer(b.0, b.1, vec![key(2, T0, T0 + 30 * DAY)]),
        ])
        .check_anti_tagging(T0)
    };
    for twin in [
        "cn-gd",
        "CN GD",
        "ＣＮ－ＧＤ",
        "\u{0421}N-GD",
        "C\u{00AD}N-GD",
        "CN–GD",
    ] {
        assert_eq!(
            pair(("CN-GD", "Guangdong"), (twin, "Elsewhere")),
            Err(TaggingRisk::LookAlikeRegions {
                first: "CN-GD".into(),
                second: twin.into(),
            }),
            "{twin:?}"
        );
    }
    assert_eq!(
        pair(
            ("CN-GD", "Guangdong Health Commission"),
            ("CN-GX", "GUANGDONG health  commission")
        ),
        Err(TaggingRisk::LookAlikeNames {
            first: "Guangdong Health Commission".into(),
            second: "GUANGDONG health  commission".into(),
        })
    );
    assert_eq!(
        pair(("CN-GD", "广东省卫健委"), ("CN-GX", "广东省 卫健委")),
        Err(TaggingRisk::LookAlikeNames {
            first: "广东省卫健委".into(),
            second: "广东省 卫健委".into(),
        })
    );
    assert!(matches!(
        pair(("--", "Dashes"), ("CN-GX", "Guangxi")),
        Err(TaggingRisk::Unreadable {
            field: "region",
            ..
        })
    ));
    assert_eq!(
        pair(("CN-GD", "广东省卫健委"), ("CN-GX", "广西卫健委")),
        Ok(())
    );
}

#[test]
fn invisible_characters_are_refused_at_decode() {
    // Construction and decoding share the string rule: neither lets a zero-width space in.
    for c in [
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{2028}', '\u{2029}', '\u{FEFF}',
    ] {
        let region = format!("CN-GD{c}");
        let problem = ProtocolError::Wire(WireError::InvalidString {
            field: "issuer region",
            problem: StringProblem::InvisibleCharacter,
        });
        assert_eq!(
            KeyListBody::new(
                1,
                T0,
                vec![issuer(
                    &region,
                    "Guangdong",
                    vec![key(1, T0, T0 + 30 * DAY)]
                )]
            ),
            Err(problem.clone()),
            "{c:?}"
        );
        // Splice the character into an encoded list (fixing the length byte): refused at
        // decode.
        let root = SigningKey::from_bytes(&[1; 32]);
        let good = body(vec![issuer(
            "CN-GDX",
            "Guangdong",
            vec![key(1, T0, T0 + 30 * DAY)],
        )])
        .sign(&root)
        .to_bytes();
        let at = good.windows(6).position(|w| w == b"CN-GDX").unwrap();
        let mut bad = good[..at - 1].to_vec();
        bad.push((5 + c.len_utf8()) as u8);
        bad.extend_from_slice(b"CN-GD");
        bad.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        bad.extend_from_slice(&good[at + 6..]);
        assert_eq!(KeyList::from_bytes(&bad), Err(problem), "{c:?}");
        // The same splice with a visible character decodes (only the signature is now wrong).
        let mut ok = good[..at - 1].to_vec();
        ok.push(6);
        ok.extend_from_slice(b"CN-GDY");
        ok.extend_from_slice(&good[at + 6..]);
        assert!(KeyList::from_bytes(&ok).is_ok());
        // Venue names and subject handles follow the same rule.
        assert!(VenueCode::new_with_rng(
            &mut rand_chacha::ChaCha20Rng::from_seed([0; 32]),
            &format!("Cafe{c}"),
            24
        )
        .is_err());
        assert!(SubjectHandle::new(&format!("sub{c}1")).is_err());
    }
}
