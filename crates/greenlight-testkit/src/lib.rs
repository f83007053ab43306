//! Fixtures for Greenlight's tests, in one place instead of a copy per suite.
//!
//! [`World`] is a seeded little deployment: one issuer key listed under region `XX-TEST` in a
//! key list signed by a root, a health authority that signs tickets, and [`MemoryStore`] for
//! the issuer's quotas and revocations. [`World::issue`] mints tokens through the *real*
//! issuance pipeline (`greenlight_issuance` on the issuer side, the ACL holder on the other),
//! and [`World::present`] proves green-and-recent for a venue — so tests exercise the same
//! code as production, with a fixed clock and seeded randomness.
//!
//! [`holder`] is the holder's side for a batch of any size (issuer tests need part of a
//! ticket, or batches racing on one ticket; a wallet redeems whole tickets through
//! `greenlight_wallet::Redemption`).
//!
//! A dev-dependency only: nothing here is fit for production (the keys come from fixed seeds).
//! The one exception is the e2e tool package (`tests/e2e`, never published), whose HTTP
//! client and load generator use [`holder`].

pub mod camera;
pub mod holder;

pub use holder::{start_batch, Batch, BatchError, Challenged};

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::convert::Infallible;

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::{IssuerKeyPair, IssuerPublicKey, Token};
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{KeyListBinding, Policy, Presentation, PresentationContext};
use greenlight_issuance::{
    check_start, commit, finish, DayTotal, DigestKey, IssuerState, Reservation, Store,
    SubjectDigest, SubjectRecord, TicketDigest,
};
use greenlight_protocol::{
    IssuerEntry, IssuerKeyEntry, KeyList, KeyListBody, SigningKey, Status, SubjectHandle, Ticket,
    TicketBody, VenueCode, VerifyingKey,
};
use greenlight_venue::TrustedKeyList;
use greenlight_wire::hour_of;
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, RngCore, SeedableRng};

/// The fixtures' clock: 2026-05-28 20:26:40 UTC, in Unix seconds.
pub const NOW: u64 = 1_780_000_000;
/// [`NOW`] in whole hours.
pub const NOW_HOUR: u32 = hour_of(NOW);
/// The region of the fixture issuer.
pub const REGION: &str = "XX-TEST";
/// How long the fixture key issues around [`NOW`] (each side) and is accepted after.
pub const KEY_DAYS: u64 = 30;

/// Subject records and quotas in memory, under digests made with a fixed key: the issuance
/// pipeline's [`Store`] for tests.
pub struct MemoryStore {
    key: DigestKey,
    subjects: RefCell<BTreeMap<SubjectDigest, SubjectRecord>>,
    remaining: RefCell<BTreeMap<TicketDigest, u16>>,
    issued: RefCell<BTreeMap<([u8; 8], u32), u64>>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore {
            key: DigestKey::from_bytes(&[0x5a; 32]),
            subjects: RefCell::default(),
            remaining: RefCell::default(),
            issued: RefCell::default(),
        }
    }
}

impl MemoryStore {
    /// Revokes `subject` (at [`NOW`]).
    pub fn revoke(&self, subject: &str) {
        greenlight_issuance::epoch::revoke(self, subject, NOW).expect("in memory");
    }
    /// Tokens `ticket_id` may still mint, if it was ever redeemed.
    pub fn remaining(&self, ticket_id: &[u8; 16]) -> Option<u16> {
        self.remaining
            .borrow()
            .get(&self.key.ticket(ticket_id))
            .copied()
    }
    /// Whether any quota was ever reserved.
    pub fn is_untouched(&self) -> bool {
        self.remaining.borrow().is_empty()
    }
    /// The record of `subject`, if any.
    pub fn subject(&self, subject: &str) -> Option<SubjectRecord> {
        self.subjects
            .borrow()
            .get(&self.key.subject(subject))
            .copied()
    }
}

impl Store for MemoryStore {
    type Error = Infallible;
    fn digest_key(&self) -> &DigestKey {
        &self.key
    }
    fn subject_record(&self, subject: &SubjectDigest) -> Result<Option<SubjectRecord>, Infallible> {
        Ok(self.subjects.borrow().get(subject).copied())
    }
    fn swap_subject_record(
        &self,
        subject: &SubjectDigest,
        expected: Option<SubjectRecord>,
        new: SubjectRecord,
    ) -> Result<bool, Infallible> {
        let mut map = self.subjects.borrow_mut();
        if map.get(subject).copied() != expected {
            return Ok(false);
        }
        map.insert(*subject, new);
        Ok(true)
    }
    fn reserve_tokens(
        &self,
        ticket: &TicketDigest,
        quota: u16,
        n: u16,
        _expires_at_unix: u64,
    ) -> Result<Reservation, Infallible> {
        let mut map = self.remaining.borrow_mut();
        let left = map.entry(*ticket).or_insert(quota);
        Ok(match left.checked_sub(n) {
            Some(r) => {
                *left = r;
                Reservation::Reserved { remaining: r }
            }
            None => Reservation::QuotaExceeded { remaining: *left },
        })
    }
    fn add_issued(&self, key_id: [u8; 8], day: u32, tokens: u64) -> Result<(), Infallible> {
        *self.issued.borrow_mut().entry((key_id, day)).or_default() += tokens;
        Ok(())
    }
    fn issued_totals(&self) -> Result<Vec<DayTotal>, Infallible> {
        Ok(self
            .issued
            .borrow()
            .iter()
            .map(|(&(key_id, day), &tokens)| DayTotal {
                key_id,
                day,
                tokens,
            })
            .collect())
    }
}

/// The issuer's second step of [`World::issuer_start`]: challenges in, answers out.
pub type AnswerFn<'a> = Box<dyn FnOnce(&[u8]) -> Vec<u8> + 'a>;

/// A seeded deployment: issuer, authority, root, key list, store.
pub struct World {
    /// The issuing key.
    pub issuer: IssuerKeyPair,
    /// The health authority's ticket key.
    pub authority: SigningKey,
    /// Its public half.
    pub authority_public: VerifyingKey,
    /// The trust root that signs key lists.
    pub root: SigningKey,
    /// The issuer's quotas and revocations.
    pub store: MemoryStore,
    /// Seeded randomness for everything the fixtures draw.
    pub rng: ChaCha20Rng,
}

impl World {
    /// A world from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let issuer = IssuerKeyPair::generate_with_rng(&mut rng);
        let authority = SigningKey::generate(&mut rng);
        let root = SigningKey::generate(&mut rng);
        World {
            issuer,
            authority_public: authority.verifying_key(),
            authority,
            root,
            store: MemoryStore::default(),
            rng,
        }
    }

    /// The fixture key's list entry: issuing `KEY_DAYS` days each side of [`NOW`], accepted
    /// ten days longer.
    pub fn key_entry(&self) -> IssuerKeyEntry {
        key_entry(self.issuer.public())
    }

    /// A key list of `entries` under [`REGION`], with sequence `sequence`, signed by the root.
    pub fn key_list_of(&self, sequence: u64, entries: Vec<IssuerKeyEntry>) -> KeyList {
        key_list(&self.root, sequence, entries)
    }

    /// The standard key list: the fixture key, sequence 1.
    pub fn key_list(&self) -> KeyList {
        self.key_list_of(1, vec![self.key_entry()])
    }

    /// The standard key list, verified under the root.
    pub fn trust(&self) -> TrustedKeyList {
        TrustedKeyList::new(self.root.verifying_key().to_bytes(), self.key_list())
            .expect("fixture trust")
    }

    /// The issuer's view of itself for the pipeline.
    pub fn issuer_state(&self) -> IssuerState<'_> {
        IssuerState {
            issuer: &self.issuer,
            authority: &self.authority_public,
            issue_from: NOW - KEY_DAYS * 86_400,
            issue_until: NOW + KEY_DAYS * 86_400,
            key_revoked: false,
        }
    }

    /// A ticket for `subject`, valid an hour either side of [`NOW`].
    pub fn ticket(&mut self, subject: &str, status: Status, tokens: u16) -> Ticket {
        TicketBody::new_with_rng(
            &mut self.rng,
            SubjectHandle::new(subject).expect("fixture subject"),
            status,
            "CN,HK".parse().expect("fixture travel"),
            NOW - 3600,
            NOW + 3600,
            tokens,
        )
        .expect("fixture ticket")
        .sign(&self.authority)
    }

    /// The issuer's side of issuance for one request, as a server would run it at `now_unix`:
    /// `start` (registrations → commitments) returns the commitments and a closure that
    /// answers the challenges; a refusal is its error code's wire string.
    #[allow(clippy::type_complexity)] // the answering step is a closure: it has no type name
    pub fn issuer_start(
        &mut self,
        ticket_text: &str,
        registrations: &[u8],
        now_unix: u64,
    ) -> Result<(Vec<u8>, AnswerFn<'_>), String> {
        let mut rng = ChaCha20Rng::from_rng(&mut self.rng).expect("rng");
        let state = self.issuer_state();
        let checked = check_start(
            &state,
            &self.store,
            ticket_text,
            registrations,
            now_unix,
            |_| true,
        )
        .map_err(|e| e.code().as_str().to_owned())?;
        let (committed, commitments) = commit(&state, &self.store, checked, now_unix, &mut rng)
            .map_err(|e| e.code().as_str().to_owned())?;
        let issuer = &self.issuer;
        Ok((
            commitments.to_bytes(),
            Box::new(move |challenges: &[u8]| {
                let challenges = greenlight_issuance::decode_challenges::<Infallible>(challenges)
                    .expect("fixture challenges");
                finish::<Infallible>(issuer, committed, &challenges)
                    .expect("fixture answers")
                    .to_bytes()
            }),
        ))
    }

    /// `n` tokens of `status`, issued at [`NOW`] through the real pipeline, for a holder
    /// secret derived from `holder`.
    pub fn issue(&mut self, status: Status, n: u16, holder: u64) -> Vec<Token> {
        let ticket = self.ticket(&format!("subject-{holder}"), status, n);
        let k = Scalar::from(holder + 1);
        let mut rng = ChaCha20Rng::from_rng(&mut self.rng).expect("rng");
        let key = self.issuer.public().clone();
        let (batch, registrations) =
            start_batch(&ticket, &key, &k, usize::from(n), &mut rng).expect("registrations");
        let (commitments, answer) = self
            .issuer_start(&ticket.to_text(), &registrations, NOW)
            .expect("fixture start");
        let (challenged, challenges) = batch
            .on_commitments(&commitments, NOW, &mut rng)
            .expect("fixture challenges");
        challenged
            .on_answers(&answer(&challenges))
            .expect("fixture tokens verify")
    }

    /// A venue code with `window_hours`.
    pub fn venue(&mut self, name: &str, window_hours: u8) -> VenueCode {
        VenueCode::new_with_rng(&mut self.rng, name, window_hours).expect("fixture venue")
    }

    /// A green-and-recent presentation of `token` for `venue` at hour `slot_hours`, bound to
    /// the standard key list ([`World::key_list`]).
    pub fn present(&mut self, token: &Token, venue: &VenueCode, slot_hours: u32) -> Presentation {
        present(
            token,
            self.issuer.public(),
            venue,
            &self.key_list(),
            slot_hours,
            &mut self.rng,
        )
    }
}

/// A list entry for `key`: issuing `KEY_DAYS` days each side of [`NOW`], accepted ten days
/// longer (for suites that keep their own issuer key rather than a [`World`]).
pub fn key_entry(key: &IssuerPublicKey) -> IssuerKeyEntry {
    IssuerKeyEntry::new(
        key.y_bytes(),
        NOW - KEY_DAYS * 86_400,
        NOW + KEY_DAYS * 86_400,
        NOW + (KEY_DAYS + 10) * 86_400,
    )
}

/// A key list of `entries` under [`REGION`], with sequence `sequence` (issued at
/// `NOW - 3600 + sequence`), signed by `root`.
pub fn key_list(root: &SigningKey, sequence: u64, entries: Vec<IssuerKeyEntry>) -> KeyList {
    KeyListBody::new(
        sequence,
        NOW - 3600 + sequence,
        vec![IssuerEntry {
            region: REGION.into(),
            display_name: "Test issuer".into(),
            keys: entries,
        }],
    )
    .expect("fixture key list")
    .sign(root)
}

/// A green-and-recent presentation (wire version 2, bound to `key_list`) of `token` (issued
/// under `issuer`) for `venue` at hour `slot_hours`.
pub fn present(
    token: &Token,
    issuer: &IssuerPublicKey,
    venue: &VenueCode,
    key_list: &KeyList,
    slot_hours: u32,
    rng: &mut (impl RngCore + CryptoRng),
) -> Presentation {
    let ctx = PresentationContext {
        key_id: token.key_id(),
        venue_id: venue.venue_id(),
        time_slot_hours: slot_hours,
        window_hours: venue.window_hours(),
        policy: Policy::GREEN_RECENT,
        key_list: KeyListBinding::Digest(key_list.digest()),
    };
    green_recent::prove_with_rng(token, issuer, &ctx, rng).expect("fixture presentation")
}
