//! Venue verification with no network: garbage never panics and never accepts, QR round
//! trips, the seen-set, and every message in both languages.

mod common;

use std::io::Cursor;

use common::{offline_venue, NOW, NOW_HOUR};
use greenlight_circuits::RejectReason;
use greenlight_client::i18n::{kind_name, status_name};
use greenlight_client::{qr, ClientError, Lang, Msg, Rejection, Verdict};
use greenlight_protocol::{Kind, Status};
use image::{ImageFormat, Luma};
use proptest::prelude::*;
use strum::IntoEnumIterator;

fn rejected(v: &Verdict) -> Rejection {
    match v {
        Verdict::Reject(r) => *r,
        Verdict::Accept { .. } => panic!("accepted something it must reject"),
    }
}

fn png_of(text: &str) -> Vec<u8> {
    qr::png_bytes(text, qr::PRESENTATION_EC).unwrap()
}

#[test]
fn honest_presentation_is_accepted_once_and_replay_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 1);
    let text = f.fresh();
    let v = f.venue.verify_text_at(&text, NOW).unwrap();
    assert!(matches!(v, Verdict::Accept { region: Some(ref r), .. } if r == "XX-TEST"));
    assert_eq!(v.line(Lang::En), "ACCEPT");
    let again = f.venue.verify_text_at(&text, NOW).unwrap();
    assert_eq!(rejected(&again), Rejection::Check(RejectReason::Replayed));
    assert!(again.line(Lang::En).starts_with("REJECT: "));
    assert_eq!(again.exit_code(), 1);
    // The seen-set is durable: a verifier restarted on the same directory still refuses it.
    let reopened = greenlight_client::Venue::open(dir.path()).unwrap();
    let v = reopened.verify_text_at(&text, NOW).unwrap();
    assert_eq!(rejected(&v), Rejection::Check(RejectReason::Replayed));
}

#[test]
fn every_way_a_presentation_can_be_wrong_is_rejected_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 2);
    // Holder clock two hours off.
    let t = f.tokens(Status::Green, NOW_HOUR - 3, 1).remove(0);
    let skewed = f.present(&t, NOW_HOUR - 2);
    assert_eq!(
        rejected(&f.venue.verify_text_at(&skewed, NOW).unwrap()),
        Rejection::Check(RejectReason::ClockSkew)
    );
    // A red token whose status was overwritten before proving.
    let mut red = f.tokens(Status::Red, NOW_HOUR - 1, 1).remove(0);
    red.attributes_mut_unchecked().status = Status::Green.as_u8();
    let forged = f.present(&red, NOW_HOUR);
    assert_eq!(
        rejected(&f.venue.verify_text_at(&forged, NOW).unwrap()),
        Rejection::Check(RejectReason::BadProof)
    );
    // A token whose issuance time was overwritten to look fresh.
    let mut old = f.tokens(Status::Green, NOW_HOUR - 100, 1).remove(0);
    old.attributes_mut_unchecked().time_hours = NOW_HOUR - 1;
    let forged = f.present(&old, NOW_HOUR);
    assert_eq!(
        rejected(&f.venue.verify_text_at(&forged, NOW).unwrap()),
        Rejection::Check(RejectReason::BadProof)
    );
    // A different issuer, not in the venue's key list.
    let other_dir = tempfile::tempdir().unwrap();
    let mut other = offline_venue(other_dir.path(), 24, 3);
    let t = other.tokens(Status::Green, NOW_HOUR, 1).remove(0);
    let ctx_for_f = {
        let code = f.venue.code().clone();
        greenlight_circuits::PresentationContext {
            key_id: t.key_id(),
            venue_id: code.venue_id(),
            time_slot_hours: NOW_HOUR,
            window_hours: 24,
            policy: greenlight_circuits::Policy::GREEN_RECENT,
            key_list: greenlight_circuits::KeyListBinding::Digest(
                f.venue.trust().trusted().key_list().digest(),
            ),
        }
    };
    let foreign = greenlight_circuits::statements::green_recent::prove_with_rng(
        &t,
        other.issuer.public(),
        &ctx_for_f,
        &mut other.rng,
    )
    .unwrap()
    .to_text();
    assert_eq!(
        rejected(&f.venue.verify_text_at(&foreign, NOW).unwrap()),
        Rejection::Check(RejectReason::UnknownKey)
    );
    // Made for another venue.
    let elsewhere = other.fresh();
    assert_eq!(
        rejected(&f.venue.verify_text_at(&elsewhere, NOW).unwrap()),
        Rejection::Check(RejectReason::WrongVenue)
    );
    // Other kinds of Greenlight code.
    let code = f.venue.code_text();
    assert_eq!(
        rejected(&f.venue.verify_text_at(&code, NOW).unwrap()),
        Rejection::WrongKind(Kind::VenueCode)
    );
    assert!(greenlight_client::i18n::rejection_text(
        &rejected(&f.venue.verify_text_at(&code, NOW).unwrap()),
        Lang::Zh
    )
    .contains("场所码"));
    // After all that, nothing was inserted into the seen-set.
    assert!(f.venue.seen().unwrap().is_empty());
}

#[test]
fn a_revoked_issuer_key_is_no_longer_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 4);
    let text = f.fresh();
    let revoked = common::key_list(&f.root, &f.issuer, 2, true);
    common::write_venue_json(dir.path(), &f.root, &revoked, &f.venue.code_text());
    let venue = greenlight_client::Venue::open(dir.path()).unwrap();
    assert_eq!(
        rejected(&venue.verify_text_at(&text, NOW).unwrap()),
        Rejection::Check(RejectReason::UnknownKey)
    );
}

#[test]
fn truncations_and_edits_of_a_valid_presentation_never_pass() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 5);
    let text = f.fresh();
    for cut in (0..text.len()).step_by(37) {
        let v = f.venue.verify_text_at(&text[..cut], NOW).unwrap();
        rejected(&v);
    }
    let chars: Vec<char> = text.chars().collect();
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    for (i, pos) in (5..chars.len()).step_by(53).enumerate() {
        let mut edited = chars.clone();
        let replacement = ALPHABET[i % ALPHABET.len()] as char;
        if edited[pos] == replacement {
            continue;
        }
        edited[pos] = replacement;
        let edited: String = edited.into_iter().collect();
        rejected(&f.venue.verify_text_at(&edited, NOW).unwrap());
    }
    // None of the rejections touched the seen-set, so the original still passes.
    assert!(f.venue.verify_text_at(&text, NOW).unwrap().is_accept());
}

#[test]
fn oversized_input_is_rejected_without_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let f = offline_venue(dir.path(), 24, 6);
    let huge = format!("GLP1:{}", "A".repeat(2 * 1024 * 1024));
    assert_eq!(
        rejected(&f.venue.verify_text_at(&huge, NOW).unwrap()),
        Rejection::TooLarge
    );
    assert_eq!(
        rejected(
            &f.venue
                .verify_bytes_at(&vec![b'A'; 1024 * 1024], NOW)
                .unwrap()
        ),
        Rejection::TooLarge
    );
}

#[test]
fn images_without_or_with_foreign_codes_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 7);
    // Random pixels.
    let mut rng_state = 0x1234_5678_u32;
    let noise = image::GrayImage::from_fn(200, 150, |_, _| {
        rng_state = rng_state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        Luma([(rng_state >> 24) as u8])
    });
    let mut noise_png = Cursor::new(Vec::new());
    noise.write_to(&mut noise_png, ImageFormat::Png).unwrap();
    assert_eq!(
        rejected(&f.venue.verify_bytes_at(noise_png.get_ref(), NOW).unwrap()),
        Rejection::NoQrCode
    );
    // A blank 1×1 image.
    let mut tiny = Cursor::new(Vec::new());
    image::GrayImage::new(1, 1)
        .write_to(&mut tiny, ImageFormat::Png)
        .unwrap();
    assert_eq!(
        rejected(&f.venue.verify_bytes_at(tiny.get_ref(), NOW).unwrap()),
        Rejection::NoQrCode
    );
    // Someone else's QR code.
    let foreign = png_of("https://example.com/menu");
    assert_eq!(
        rejected(&f.venue.verify_bytes_at(&foreign, NOW).unwrap()),
        Rejection::NotGreenlight
    );
    // The venue's own code, photographed by mistake.
    let venue_png = png_of(&f.venue.code_text());
    assert_eq!(
        rejected(&f.venue.verify_bytes_at(&venue_png, NOW).unwrap()),
        Rejection::WrongKind(Kind::VenueCode)
    );
    // A PNG cut in half.
    let good = png_of(&f.fresh());
    assert_eq!(
        rejected(
            &f.venue
                .verify_bytes_at(&good[..good.len() / 2], NOW)
                .unwrap()
        ),
        Rejection::UnreadableImage
    );
    // PNG header followed by garbage.
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend_from_slice(&[0xAB; 300]);
    assert_eq!(
        rejected(&f.venue.verify_bytes_at(&fake, NOW).unwrap()),
        Rejection::UnreadableImage
    );
    // And the intact one passes.
    assert!(f.venue.verify_bytes_at(&good, NOW).unwrap().is_accept());
}

#[test]
fn qr_round_trip_gives_back_the_same_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 8);
    let text = f.fresh();
    assert_eq!(
        text.len(),
        5 + 1716,
        "1144 bytes (wire version 2) → 572 × 3 base45 characters (+ prefix)"
    );
    let png = qr::png_bytes(&text, qr::PRESENTATION_EC).unwrap();
    let decoded = qr::decode_image(&png).unwrap();
    assert_eq!(decoded, vec![text.clone()]);
    // The version the encoder picked is the one drawn: 4v + 17 modules and a four-module
    // quiet zone each side, 8 pixels per module, pure black on white.
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let version = qr::version_for(&text, qr::PRESENTATION_EC).unwrap();
    let side = u32::try_from(4 * version + 17 + 8).unwrap() * 8;
    assert_eq!(img.dimensions(), (side, side));
    assert!(img.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    assert_eq!(version, 28);
    // Venue codes are small even at level Q.
    let code = f.venue.code_text();
    assert!(qr::version_for(&code, qr::VENUE_CODE_EC).unwrap() <= 4);
    let vpng = qr::png_bytes(&code, qr::VENUE_CODE_EC).unwrap();
    assert_eq!(qr::decode_image(&vpng).unwrap(), vec![code]);
    // The terminal rendering is made of half blocks.
    let art = qr::terminal(&text, qr::PRESENTATION_EC).unwrap();
    assert!(art.contains('▀') || art.contains('▄'));
}

#[test]
fn qr_png_written_to_a_file_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 9);
    let text = f.fresh();
    let path = dir.path().join("p.png");
    qr::write_png(&path, &text, qr::PRESENTATION_EC).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(greenlight_client::input::from_bytes(&bytes).unwrap(), text);
}

#[test]
fn the_venue_prunes_its_seen_set_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 6, 10);
    let first = f.fresh();
    assert!(f.venue.verify_text_at(&first, NOW).unwrap().is_accept());
    assert_eq!(f.venue.seen().unwrap().len(), 1);
    // Just past the venue's retention (the rule itself is greenlight-venue's, tested there):
    // a new visitor's check prunes the old entry, which could no longer pass the recency
    // proof anyway.
    let later_hour = NOW_HOUR + f.venue.config().seen_retention_hours() + 1;
    let t = f.tokens(Status::Green, later_hour, 1).remove(0);
    let second = f.present(&t, later_hour);
    let later = u64::from(later_hour) * 3600;
    assert!(f.venue.verify_text_at(&second, later).unwrap().is_accept());
    let seen = f.venue.seen().unwrap();
    assert_eq!(seen.len(), 1);
    // And the first one is stale by then: it still cannot come back.
    assert_eq!(
        rejected(&f.venue.verify_text_at(&first, later).unwrap()),
        Rejection::Check(RejectReason::ClockSkew)
    );
}

#[test]
fn every_message_exists_in_three_languages() {
    let mut count = 0;
    for msg in Msg::iter() {
        assert!(
            greenlight_messages::bundle::has(msg.id()),
            "{msg:?}: {} is not in the catalogue",
            msg.id()
        );
        let en = msg.text(Lang::En);
        let zh = msg.text(Lang::Zh);
        let hant = msg.text(Lang::ZhHant);
        assert!(!en.trim().is_empty(), "{msg:?} has no English text");
        assert!(!zh.trim().is_empty(), "{msg:?} has no Chinese text");
        assert_ne!(en, zh, "{msg:?} is not translated");
        for t in [&zh, &hant] {
            assert!(
                t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{msg:?}'s Chinese text has no Chinese characters: {t}"
            );
        }
        // Fluent's bidi isolation marks would show as stray characters in a terminal.
        for t in [&en, &zh, &hant] {
            assert!(!t.contains(['\u{2068}', '\u{2069}']), "{msg:?}: {t:?}");
        }
        count += 1;
    }
    for id in greenlight_client::i18n::extra_ids() {
        assert!(
            greenlight_messages::bundle::has(&id),
            "{id} is not in the catalogue"
        );
    }
    assert!(count > 150, "only {count} messages iterated");
    for s in [Status::Green, Status::Yellow, Status::Red] {
        assert_ne!(status_name(s, Lang::En), status_name(s, Lang::Zh));
    }
    for k in Kind::ALL {
        assert_ne!(kind_name(k, Lang::En), kind_name(k, Lang::Zh));
    }
}

#[test]
fn parameters_appear_in_both_languages() {
    let m = Msg::AllTooOld {
        profile: "father".into(),
        window: 48,
    };
    for lang in Lang::ALL {
        let t = m.text(lang);
        assert!(t.contains("father") && t.contains("48"), "{t}");
    }
    let e = ClientError::NoneGreen("爸爸".into());
    assert!(e.localized(Lang::En).contains("爸爸"));
    assert!(e.localized(Lang::Zh).contains("绿"));
    assert_eq!(Lang::from_locale_name("zh_CN.UTF-8"), Lang::Zh);
    assert_eq!(Lang::from_locale_name("zh-TW"), Lang::ZhHant);
    assert_eq!(Lang::from_locale_name("zh_HK.UTF-8"), Lang::ZhHant);
    assert_eq!(Lang::from_locale_name("zh-Hant-MO"), Lang::ZhHant);
    assert_eq!(Lang::parse("zh-Hant"), Some(Lang::ZhHant));
    assert_eq!(Lang::parse("zh_TW"), Some(Lang::ZhHant));
    assert_eq!(Lang::from_locale_name("en-US"), Lang::En);
    assert_eq!(Lang::from_locale_name(""), Lang::En);
    assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
    assert_eq!(Lang::parse("fr"), None);
}

#[test]
fn windows_are_only_the_standard_ones() {
    use greenlight_client::venue::parse_window;
    for (s, h) in [
        ("6h", 6),
        ("12h", 12),
        ("24h", 24),
        ("48", 48),
        ("72H", 72),
        ("7d", 168),
        ("168h", 168),
        ("1d", 24),
        ("1w", 168),
    ] {
        assert_eq!(parse_window(s).unwrap(), h, "{s}");
    }
    for s in [
        "37h",
        "0",
        "",
        "5d",
        "256h",
        "-6h",
        "24x",
        "99999999999999999999d",
    ] {
        let e = parse_window(s).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.localized(Lang::En).contains("6h, 12h, 24h, 48h, 72h, 7d"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_text_never_accepts(s in ".{0,2000}", prefix in prop::sample::select(vec!["", "GLP1:", "GLV1:", "GLT1:", "GLK1:", "  GLP1:"])) {
        let dir = tempfile::tempdir().unwrap();
        let f = offline_venue(dir.path(), 24, 11);
        let v = f.venue.verify_text_at(&format!("{prefix}{s}"), NOW).unwrap();
        prop_assert!(!v.is_accept());
    }

    #[test]
    fn random_base45_presentations_never_accept(body in "[0-9A-Z $%*+./:-]{1600,1640}") {
        let dir = tempfile::tempdir().unwrap();
        let f = offline_venue(dir.path(), 24, 12);
        let v = f.venue.verify_text_at(&format!("GLP1:{body}"), NOW).unwrap();
        prop_assert!(!v.is_accept());
    }

    #[test]
    fn random_bytes_never_accept(bytes in prop::collection::vec(any::<u8>(), 0..4096), png_header in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let f = offline_venue(dir.path(), 24, 13);
        let mut input = if png_header { b"\x89PNG\r\n\x1a\n".to_vec() } else { Vec::new() };
        input.extend_from_slice(&bytes);
        let v = f.venue.verify_bytes_at(&input, NOW).unwrap();
        prop_assert!(!v.is_accept());
    }

    #[test]
    fn random_bytes_in_a_wire_presentation_never_accept(
        bytes in prop::collection::vec(any::<u8>(), 1144..=1144),
        v2 in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let f = offline_venue(dir.path(), 24, 14);
        // Either wire version's exact length, with its version and tag: reaches the field
        // decoders.
        let mut b = bytes;
        if v2 {
            b[0] = 2;
        } else {
            b.truncate(1081);
            b[0] = 1;
        }
        b[1] = 2;
        let text = greenlight_wire::text::encode("GLP1:", &b);
        let v = f.venue.verify_text_at(&text, NOW).unwrap();
        prop_assert!(!v.is_accept());
    }
}

/// The QR versions a presentation needs at each error-correction level (printed with
/// `--nocapture`; the figures behind the choice of M in `qr.rs`).
#[test]
fn presentation_qr_versions_by_error_correction_level() {
    use qrcode::EcLevel;
    let dir = tempfile::tempdir().unwrap();
    let mut f = offline_venue(dir.path(), 24, 15);
    let text = f.fresh();
    let versions: Vec<u64> = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H]
        .into_iter()
        .map(|ec| qr::version_for(&text, ec).unwrap())
        .collect();
    println!(
        "presentation: {} characters; QR versions L/M/Q/H = {versions:?}",
        text.len()
    );
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert_eq!(
        versions[1],
        qr::version_for(&text, qr::PRESENTATION_EC).unwrap()
    );
    let venue = f.venue.code_text();
    let v: Vec<u64> = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H]
        .into_iter()
        .map(|ec| qr::version_for(&venue, ec).unwrap())
        .collect();
    println!(
        "venue code: {} characters; QR versions L/M/Q/H = {v:?}",
        venue.len()
    );
}

/// The English output scripts may match kept its exact form through the move to the Fluent
/// catalogue: leading spaces, line breaks, plurals, quotes, and no bidi marks.
#[test]
fn english_output_is_unchanged_by_the_catalogue() {
    let cases = [
        (Msg::StepRegister { n: 1 }, "requesting 1 token"),
        (Msg::StepRegister { n: 16 }, "requesting 16 tokens"),
        (
            Msg::Redeemed {
                n: 4,
                profile: "self".into(),
                status: "green".into(),
                total: 20,
            },
            "Stored 4 new green tokens in profile \"self\" (20 in total).",
        ),
        (
            Msg::StatusLine {
                count: 3,
                status: "green".into(),
                age: 5,
            },
            "  3 × green, issued 5 h ago",
        ),
        (Msg::DemoAllPassed, "\nAll steps behaved as expected."),
        (
            Msg::RedeemIncomplete {
                stored: 8,
                asked: 16,
                reason: "R".into(),
            },
            "R\ntokens of this ticket issued and stored in the wallet before that: 8 of 16",
        ),
        (
            Msg::InsPresKeyId { key_id: "k1".into() },
            "issuer key id     k1\n    which issuer key signed the token: reveals the holder's issuing region (and the key's period)",
        ),
        (Msg::Accept, "ACCEPT"),
        (Msg::Reject { reason: "x".into() }, "REJECT: x"),
        (
            Msg::TaggingUnreadable { name: "a\u{7}".into() },
            "the key list names an issuer \"a\\u{7}\" with no letter or digit; the wallet refuses",
        ),
        (
            Msg::StatusName { status: "blue".into() },
            "unknown status (blue)",
        ),
        (
            Msg::AttributeMismatch { field: "travel".into() },
            "the issuer certified a different travel history than the ticket states; tokens refused",
        ),
    ];
    for (msg, want) in cases {
        assert_eq!(msg.text(Lang::En), want, "{msg:?}");
    }
    // The verdict words stay ASCII in Chinese too (door-side scripts match on them).
    for lang in [Lang::Zh, Lang::ZhHant] {
        assert!(Msg::Accept.text(lang).starts_with("ACCEPT"));
        assert!(Msg::Reject { reason: "x".into() }
            .text(lang)
            .starts_with("REJECT"));
    }
    assert_eq!(
        Msg::StatusName {
            status: "green".into()
        }
        .text(Lang::ZhHant),
        "綠碼"
    );
}
