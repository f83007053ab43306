//! Fixtures and proptest strategies shared by the integration tests.
#![allow(dead_code)]

use curve25519_dalek::RistrettoPoint;
use greenlight_protocol::*;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

pub const T0: u64 = 1_700_000_000;
pub const DAY: u64 = 86_400;

pub fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// A valid compressed ristretto255 point, so fixtures look like real issuer keys.
pub fn ristretto_key(rng: &mut ChaCha20Rng) -> [u8; 32] {
    RistrettoPoint::random(rng).compress().to_bytes()
}

pub fn sample_ticket_body(rng: &mut ChaCha20Rng) -> TicketBody {
    TicketBody::new_with_rng(
        rng,
        SubjectHandle::new("sub-4f9c2a").unwrap(),
        Status::Green,
        "SG,CN,HK".parse().unwrap(),
        T0,
        T0 + 2 * DAY,
        10,
    )
    .unwrap()
}

/// Authority key, then the ticket it signed.
pub fn sample_ticket(seed: u64) -> (SigningKey, Ticket) {
    let mut rng = rng(seed);
    let key = SigningKey::generate(&mut rng);
    let ticket = sample_ticket_body(&mut rng).sign(&key);
    (key, ticket)
}

/// Two issuers with two and one keys; the second key of CN-GD is revoked.
pub fn sample_key_list_body(rng: &mut ChaCha20Rng, sequence: u64) -> KeyListBody {
    let gd_old = IssuerKeyEntry {
        revoked: true,
        ..IssuerKeyEntry::new(ristretto_key(rng), T0, T0 + 30 * DAY, T0 + 37 * DAY)
    };
    let gd_new = IssuerKeyEntry::new(
        ristretto_key(rng),
        T0 + 30 * DAY,
        T0 + 60 * DAY,
        T0 + 67 * DAY,
    );
    let hk = IssuerKeyEntry::new(ristretto_key(rng), T0, T0 + 90 * DAY, T0 + 97 * DAY);
    KeyListBody::new(
        sequence,
        T0 + DAY,
        vec![
            IssuerEntry {
                region: "CN-GD".into(),
                display_name: "Guangdong Health Commission".into(),
                keys: vec![gd_old, gd_new],
            },
            IssuerEntry {
                region: "HK".into(),
                display_name: "Department of Health, Hong Kong".into(),
                keys: vec![hk],
            },
        ],
    )
    .unwrap()
}

/// Root key, then the key list it signed.
pub fn sample_key_list(seed: u64) -> (SigningKey, KeyList) {
    let mut rng = rng(seed);
    let root = SigningKey::generate(&mut rng);
    let list = sample_key_list_body(&mut rng, 7).sign(&root);
    (root, list)
}

pub fn sample_venue_code(seed: u64) -> VenueCode {
    VenueCode::new_with_rng(&mut rng(seed), "Jade Garden Restaurant, 3/F", 24).unwrap()
}

// --- strategies ---------------------------------------------------------------------------

/// Printable strings of at most `max_chars` characters (`\PC` excludes every control
/// character), so at most 4·max_chars bytes.
pub fn printable(max_chars: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("\\PC{{1,{max_chars}}}")).unwrap()
}

pub fn status() -> impl Strategy<Value = Status> {
    prop_oneof![Just(Status::Green), Just(Status::Yellow), Just(Status::Red)]
}

pub fn travel() -> impl Strategy<Value = TravelHistory> {
    proptest::collection::vec((b'A'..=b'Z', b'A'..=b'Z'), 0..=30).prop_map(|pairs| {
        let codes: Vec<RegionCode> = pairs
            .into_iter()
            .map(|(a, b)| RegionCode::new([a, b]).unwrap())
            .collect();
        let mut t = TravelHistory::new(codes.clone());
        let mut n = codes.len();
        while t.is_err() {
            n -= 1;
            t = TravelHistory::new(codes[..n].to_vec());
        }
        t.unwrap()
    })
}

pub fn ticket_body() -> impl Strategy<Value = TicketBody> {
    (
        any::<[u8; 16]>(),
        printable(16),
        status(),
        travel(),
        any::<u64>(),
        any::<u64>(),
        1u16..=64,
    )
        .prop_filter_map("empty validity", |(id, subject, st, tr, a, b, n)| {
            let (nb, na) = (a.min(b), a.max(b));
            TicketBody::new(id, SubjectHandle::new(&subject).ok()?, st, tr, nb, na, n).ok()
        })
}

pub fn key_entry() -> impl Strategy<Value = IssuerKeyEntry> {
    (any::<[u8; 32]>(), any::<[u64; 3]>(), any::<bool>()).prop_map(|(pk, mut times, revoked)| {
        times.sort_unstable();
        IssuerKeyEntry {
            revoked,
            ..IssuerKeyEntry::new(pk, times[0], times[1], times[2])
        }
    })
}

pub fn key_list_body() -> impl Strategy<Value = KeyListBody> {
    (
        any::<u64>(),
        any::<u64>(),
        proptest::collection::vec(
            (
                printable(4),
                printable(16),
                proptest::collection::vec(key_entry(), 1..=4),
            ),
            0..=5,
        ),
    )
        .prop_filter_map("duplicate region", |(seq, at, issuers)| {
            let issuers = issuers
                .into_iter()
                .map(|(region, display_name, keys)| IssuerEntry {
                    region,
                    display_name,
                    keys,
                })
                .collect();
            KeyListBody::new(seq, at, issuers).ok()
        })
}

pub fn venue_code() -> impl Strategy<Value = VenueCode> {
    (
        any::<[u8; 8]>(),
        printable(16),
        proptest::sample::select(greenlight_protocol::STANDARD_WINDOWS_HOURS.to_vec()),
    )
        .prop_map(|(id, name, w)| {
            VenueCode::from_parts(id, &name, w, Status::Green, Policy::GREEN_RECENT).unwrap()
        })
}

pub fn signing_key() -> impl Strategy<Value = SigningKey> {
    any::<[u8; 32]>().prop_map(|b| SigningKey::from_bytes(&b))
}
