//! Fixtures shared by the fuzz targets and `gen_corpus`: one issuer key, tokens,
//! presentations, issuance messages and protocol objects, all derived from fixed seeds.
//!
//! Everything is deterministic (ChaCha20 from fixed seeds), so the `verify` target can rebuild
//! the exact set of presentations that *must* be accepted and treat any other accepted input
//! as a forgery. Nothing here reads fuzzer input: the `expect`s below only fire if the
//! crates' own honest paths break, which is then a bug worth a crash.

use std::sync::OnceLock;

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::{HolderRequest, IssuerSession};
use greenlight_acl::{Attributes, IssuerKeyPair, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{KeyListBinding, Policy, PresentationContext, VenueExpectations};
use greenlight_protocol::{
    IssuerEntry, IssuerKeyEntry, KeyListBody, RegionCode, SigningKey, SubjectHandle, TicketBody,
    TravelHistory, VenueCode,
};
use greenlight_wire::Status;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// The venue's clock in the fixtures (hours since the Unix epoch, late 2026).
pub const NOW_HOURS: u32 = 493_000;
/// The fixture venue.
pub const VENUE_ID: [u8; 8] = *b"fuzz-v01";
/// The fixture window.
pub const WINDOW_HOURS: u8 = 24;

/// Selector byte of the `issuance_messages` target (first input byte, modulo the count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssuanceKind {
    Registration = 0,
    Commitment = 1,
    Challenge = 2,
    Answer = 3,
    IssuerPublicKey = 4,
}

impl IssuanceKind {
    pub const ALL: [IssuanceKind; 5] = [
        IssuanceKind::Registration,
        IssuanceKind::Commitment,
        IssuanceKind::Challenge,
        IssuanceKind::Answer,
        IssuanceKind::IssuerPublicKey,
    ];

    pub fn from_selector(b: u8) -> Self {
        Self::ALL[usize::from(b) % Self::ALL.len()]
    }
}

/// What the venue of the fixtures expects.
pub fn expectations() -> VenueExpectations {
    VenueExpectations {
        venue_id: VENUE_ID,
        window_hours: WINDOW_HOURS,
        policy: Policy::GREEN_RECENT,
        now_hours: NOW_HOURS,
        clock_tolerance_hours: 1,
        key_lists: vec![KEY_LIST],
    }
}

/// The key-list digest the seed presentations of wire version 2 are bound to, and the one
/// [`expectations`] holds.
pub const KEY_LIST: [u8; 32] = [0x46; 32];

/// Every valid encoding the seeds are made of.
pub struct Fixtures {
    pub issuer: IssuerKeyPair,
    /// Wallet tokens (`Token::to_bytes`).
    pub tokens: Vec<Vec<u8>>,
    /// Presentations that verify against [`expectations`].
    pub presentations: Vec<Vec<u8>>,
    /// `(kind, bytes)` of one honest issuance run, plus the issuer public key.
    pub issuance: Vec<(IssuanceKind, Vec<u8>)>,
    pub tickets: Vec<Vec<u8>>,
    pub key_lists: Vec<Vec<u8>>,
    pub venue_codes: Vec<Vec<u8>>,
}

/// The fixtures, built once per process.
pub fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(build)
}

fn build() -> Fixtures {
    let mut rng = ChaCha20Rng::seed_from_u64(0x6c_66_75_7a_7a);
    let issuer = IssuerKeyPair::generate_with_rng(&mut rng);
    let pk = issuer.public();
    let attributes = Attributes {
        status: Status::Green.as_u8(),
        time_hours: NOW_HOURS - 3,
        travel: Scalar::from(0x1d_b3_04_42u64),
        subject: Attributes::subject_scalar("fuzz-subject"),
    };

    // One issuance run by hand, keeping every message.
    let binding = b"fuzz-ticket-id-0";
    let holder_secret = Scalar::from(7u64);
    let (holder, reg) = HolderRequest::new_with_rng(pk, binding, &holder_secret, 3, &mut rng)
        .expect("honest registration");
    let (session, com) =
        IssuerSession::commit_with_rng(&issuer, binding, attributes, &reg, &mut rng)
            .expect("honest commitment");
    let (holder, chal) = holder
        .challenge_with_rng(&com, &mut rng)
        .expect("honest challenge");
    let ans = session.answer(&issuer, &chal).expect("honest answer");
    let tokens: Vec<Token> = holder.finish(&ans).expect("honest tokens");
    let issuance = vec![
        (IssuanceKind::Registration, reg.to_bytes()),
        (IssuanceKind::Commitment, com.to_bytes()),
        (IssuanceKind::Challenge, chal.to_bytes()),
        (IssuanceKind::Answer, ans.to_bytes()),
        (IssuanceKind::IssuerPublicKey, pk.to_bytes()),
    ];

    // The first in wire version 1, the others in version 2: both decoders get seeds.
    let presentations = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let ctx = PresentationContext {
                key_id: pk.key_id(),
                venue_id: VENUE_ID,
                time_slot_hours: NOW_HOURS,
                window_hours: WINDOW_HOURS,
                policy: Policy::GREEN_RECENT,
                key_list: if i == 0 {
                    KeyListBinding::None
                } else {
                    KeyListBinding::Digest(KEY_LIST)
                },
            };
            green_recent::prove_with_rng(token, pk, &ctx, &mut rng)
                .expect("honest presentation")
                .to_bytes()
        })
        .collect();

    let authority = SigningKey::from_bytes(&[0x41; 32]);
    let travel = TravelHistory::new(["CN", "HK"].map(|c| c.parse::<RegionCode>().expect("code")))
        .expect("travel");
    let tickets = [(1u16, TravelHistory::empty()), (10, travel)]
        .into_iter()
        .enumerate()
        .map(|(i, (tokens, travel))| {
            TicketBody::new(
                [i as u8; 16],
                SubjectHandle::new("sub-fuzz").expect("handle"),
                greenlight_protocol::Status::Green,
                travel,
                1_700_000_000,
                1_700_172_800,
                tokens,
            )
            .expect("ticket body")
            .sign(&authority)
            .to_bytes()
        })
        .collect();

    let root = SigningKey::from_bytes(&[0x52; 32]);
    let second = IssuerKeyPair::generate_with_rng(&mut rng);
    let third = IssuerKeyPair::generate_with_rng(&mut rng);
    let entry = |k: &IssuerKeyPair, from: u64| {
        IssuerKeyEntry::new(k.public().y_bytes(), from, from + 86_400, from + 2 * 86_400)
    };
    let key_lists = vec![
        KeyListBody::new(
            1,
            1_700_000_000,
            vec![IssuerEntry {
                region: "CN-GD".into(),
                display_name: "Fuzz Health".into(),
                keys: vec![entry(&issuer, 1_700_000_000)],
            }],
        )
        .expect("key list")
        .sign(&root)
        .to_bytes(),
        KeyListBody::new(
            2,
            1_700_100_000,
            vec![
                IssuerEntry {
                    region: "CN-GD".into(),
                    display_name: "Fuzz Health".into(),
                    keys: vec![entry(&issuer, 1_700_000_000), entry(&second, 1_700_050_000)],
                },
                IssuerEntry {
                    region: "HK".into(),
                    display_name: "Other Region".into(),
                    keys: vec![entry(&third, 1_700_000_000)],
                },
            ],
        )
        .expect("key list")
        .sign(&root)
        .to_bytes(),
    ];

    let venue_codes = [("Café Fuzz", 24u8), ("X", 168)]
        .into_iter()
        .enumerate()
        .map(|(i, (name, window))| {
            VenueCode::from_parts(
                [i as u8 + 1; 8],
                name,
                window,
                greenlight_protocol::Status::Green,
                Policy::GREEN_RECENT,
            )
            .expect("venue code")
            .to_bytes()
        })
        .collect();

    Fixtures {
        tokens: tokens.iter().map(|t| t.to_bytes().to_vec()).collect(),
        issuer,
        presentations,
        issuance,
        tickets,
        key_lists,
        venue_codes,
    }
}
