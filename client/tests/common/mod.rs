//! Shared test fixtures.
//!
//! * [`Offline`]: a venue whose `venue.json` is written by hand (the documented format) with
//!   a key list signed by a test root, plus the issuer key to mint tokens locally — no
//!   server, no network, any clock.
//! * Server helpers: a real `EphemeralServer` and tickets from its embedded authority.
#![allow(dead_code)]

pub mod cli;

use std::path::Path;

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::issuance::issue_locally_with_rng;
use greenlight_acl::{Attributes, IssuerKeyPair, Token};
use greenlight_client::Venue;
use greenlight_protocol::{SigningKey, Status, VenueCode};
use greenlight_server::{EphemeralServer, TicketRequest};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

/// The shared fixtures' clock (`greenlight_testkit::NOW`), the one their key lists are valid
/// around.
pub const NOW: u64 = greenlight_testkit::NOW;
pub const NOW_HOUR: u32 = greenlight_testkit::NOW_HOUR;

pub struct Offline {
    pub venue: Venue,
    pub issuer: IssuerKeyPair,
    pub root: SigningKey,
    pub rng: ChaCha20Rng,
}

/// Write a venue directory by hand and open it.
pub fn offline_venue(dir: &Path, window_hours: u8, seed: u64) -> Offline {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let issuer = IssuerKeyPair::generate_with_rng(&mut rng);
    let root = SigningKey::from_bytes(&[seed as u8 ^ 0x5a; 32]);
    let key_list = key_list(&root, &issuer, 1, false);
    let code = VenueCode::new_with_rng(&mut rng, "Test venue", window_hours).unwrap();
    write_venue_json(dir, &root, &key_list, &code.to_text());
    Offline {
        venue: Venue::open(dir).unwrap(),
        issuer,
        root,
        rng,
    }
}

/// A key list with one issuer key valid around [`NOW`] (`greenlight_testkit`'s list).
pub fn key_list(root: &SigningKey, issuer: &IssuerKeyPair, sequence: u64, revoked: bool) -> String {
    let mut entry = greenlight_testkit::key_entry(issuer.public());
    entry.revoked = revoked;
    greenlight_testkit::key_list(root, sequence, vec![entry]).to_text()
}

pub fn write_venue_json(dir: &Path, root: &SigningKey, key_list: &str, venue_code: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let json = serde_json::json!({
        "version": 1,
        "server": "http://127.0.0.1:9/",
        "root_public_key": hex::encode(root.verifying_key().as_bytes()),
        "key_list": key_list,
        "venue_code": venue_code,
        "clock_tolerance_hours": 1,
    });
    std::fs::write(
        dir.join("venue.json"),
        serde_json::to_vec_pretty(&json).unwrap(),
    )
    .unwrap();
}

impl Offline {
    /// `n` tokens of `status` issued at `ts_hour`.
    pub fn tokens(&mut self, status: Status, ts_hour: u32, n: usize) -> Vec<Token> {
        let attrs = Attributes {
            status: status.as_u8(),
            time_hours: ts_hour,
            travel: Scalar::ZERO,
            subject: Attributes::subject_scalar("test-subject"),
        };
        issue_locally_with_rng(&self.issuer, b"ticket-id-000000", attrs, n, &mut self.rng).unwrap()
    }

    /// A presentation of `token` for this venue at holder hour `slot`, bound to the venue's
    /// key list.
    pub fn present(&mut self, token: &Token, slot: u32) -> String {
        let code = self.venue.code().clone();
        let list = self.venue.trust().trusted().key_list().clone();
        greenlight_testkit::present(
            token,
            self.issuer.public(),
            &code,
            &list,
            slot,
            &mut self.rng,
        )
        .to_text()
    }

    /// One fresh green presentation valid at [`NOW`].
    pub fn fresh(&mut self) -> String {
        let t = self.tokens(Status::Green, NOW_HOUR - 1, 1).remove(0);
        self.present(&t, NOW_HOUR)
    }
}

/// A ticket from the server's embedded authority.
pub fn ticket(server: &EphemeralServer, subject: &str, status: Status, tokens: u16) -> String {
    server
        .sign_ticket(
            &TicketRequest::new(subject, status)
                .travel("HK,CN")
                .tokens(tokens),
        )
        .unwrap()
}

pub fn quiet(_: greenlight_client::RedeemStep) {}
