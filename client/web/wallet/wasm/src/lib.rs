//! Greenlight's residents' wallet for the browser (`/wallet/`).
//!
//! The CLI wallet's rules, compiled to WebAssembly: `greenlight-wallet` (profiles, the
//! holder's issuance flow, token selection, never-show-twice, the status outlook),
//! `greenlight-venue` (the key list's root pin and successor rule), `greenlight-api` (bodies,
//! the retry rule, the server error codes' messages) and `greenlight-circuits` (the prover).
//! The page (`client/web/wallet/app.js`) only moves bytes: it fetches, stores the document
//! encrypted in IndexedDB, and draws what comes back. Nothing here does I/O, reads a clock or
//! keeps state between calls other than the handles JavaScript holds.
//!
//! * [`wallet`]: set-up (pin the root), status, profiles, withdrawing a token for a venue;
//! * [`redeem`]: the redeem state machine the page drives with `fetch`;
//! * [`present`]: the proof and what the venue learns ("What's in my QR");
//! * [`messages`]: every refusal's code and text in English, 简体中文 and 繁體中文;
//! * [`qr`]: the presentation's QR module matrix.

pub mod messages;
pub mod present;
pub mod qr;
pub mod redeem;
pub mod wallet;

pub use messages::{Described, Failure, Lang};
pub use redeem::{RedeemDriver, Request, Step};
pub use wallet::WebWallet;

/// Seconds from JavaScript's clock (`Date.now() / 1000`) to whole Unix seconds; NaN, negative
/// or absurd values become 0.
pub fn unix_secs_from_f64(secs: f64) -> u64 {
    if (0.0..1.0e15).contains(&secs) {
        secs as u64
    } else {
        0
    }
}

#[cfg(target_arch = "wasm32")]
pub mod bindings;

#[cfg(test)]
mod tests {
    use super::*;
    use greenlight_api::{b64_encode, FinishRequest, KeysResponse, StartRequest, StartResponse};
    use greenlight_protocol::Status;
    use greenlight_testkit::{World, NOW};
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn keys_json(world: &World, max_batch: Option<u16>) -> String {
        serde_json::to_string(&KeysResponse {
            root_public_key: hex::encode(world.root.verifying_key().to_bytes()),
            key_list: world.key_list().to_text(),
            previous_key_list: None,
            issuing_key_id: hex::encode(world.issuer.public().key_id().0),
            max_batch,
            authority_public_key: Some(hex::encode(world.authority_public.to_bytes())),
            cosignatures: Vec::new(),
        })
        .unwrap()
    }

    /// Drives a whole redeem against the testkit's in-process issuer.
    fn redeem(
        world: &mut World,
        wallet: &mut WebWallet,
        tokens: u16,
        max_batch: Option<u16>,
    ) -> Vec<Step> {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let keys = keys_json(world, max_batch);
        let ticket = world.ticket("subject-a", Status::Green, tokens).to_text();
        let mut driver =
            RedeemDriver::begin(wallet, &ticket, &keys, "self", NOW, false, &mut rng).unwrap();
        drive(world, wallet, &mut driver, &mut rng)
    }

    /// Answers a begun redeem's requests with the testkit's issuer until it is done.
    fn drive(
        world: &mut World,
        wallet: &mut WebWallet,
        driver: &mut RedeemDriver,
        rng: &mut ChaCha20Rng,
    ) -> Vec<Step> {
        let mut rng = rng;
        let mut steps = Vec::new();
        while let Some(req) = driver.next_request(NOW, &mut rng).unwrap() {
            assert_eq!(req.path, greenlight_api::paths::ISSUANCE_START);
            let start: StartRequest = serde_json::from_str(&req.body).unwrap();
            let (commitments, answer) = world
                .issuer_start(&start.ticket, &start.registrations_bytes().unwrap(), NOW)
                .unwrap();
            let resp = serde_json::json!({
                "session": "s1", "commitments": b64_encode(&commitments), "expires_in_secs": 60
            });
            let _: StartResponse = serde_json::from_value(resp.clone()).unwrap();
            let step = driver
                .on_response(wallet, 200, &resp.to_string(), None, NOW, &mut rng)
                .unwrap();
            assert_eq!(step, Step::Continue);
            let req = driver.next_request(NOW, &mut rng).unwrap().unwrap();
            assert_eq!(req.path, greenlight_api::paths::ISSUANCE_FINISH);
            let finish: FinishRequest = serde_json::from_str(&req.body).unwrap();
            let answers = answer(&finish.challenges_bytes().unwrap());
            let body = serde_json::json!({ "answers": b64_encode(&answers) }).to_string();
            steps.push(
                driver
                    .on_response(wallet, 200, &body, None, NOW, &mut rng)
                    .unwrap(),
            );
        }
        steps
    }

    #[test]
    fn a_kept_ticket_is_redeemed_in_parts_as_the_top_up_rule_says() {
        let mut world = World::new(23);
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let keys = keys_json(&world, Some(64));
        let (mut wallet, _) = WebWallet::create(&keys, "", &mut rng).unwrap();
        let ticket = world.ticket("subject-k", Status::Green, 12).to_text();
        let first = greenlight_wallet::first_redeem(12);
        let mut driver = RedeemDriver::begin_part(
            &wallet,
            &ticket,
            &keys,
            "self",
            NOW,
            false,
            Some(first),
            &mut rng,
        )
        .unwrap();
        assert_eq!((driver.info().tokens, driver.info().ticket_tokens), (8, 12));
        let steps = drive(&mut world, &mut wallet, &mut driver, &mut rng);
        assert_eq!(
            steps,
            [Step::Stored {
                added: 8,
                asked: 8,
                in_profile: 8
            }]
        );
        // Eight fresh tokens: no top-up due.
        let doc = wallet.doc().unwrap();
        assert_eq!(doc.top_up("self", NOW, 4), None);
        // A day later every token is too old: the rule asks for 8, the quota allows 4.
        let due = doc.top_up("self", NOW + 86_400, 4).unwrap();
        assert_eq!(due.tokens, 4);
        // More than the ticket allows is never asked for.
        let driver = RedeemDriver::begin_part(
            &wallet,
            &ticket,
            &keys,
            "self",
            NOW,
            false,
            Some(40),
            &mut rng,
        )
        .unwrap();
        assert_eq!(driver.info().tokens, 12);
    }

    #[test]
    fn set_up_redeem_in_batches_status_and_present() {
        let mut world = World::new(21);
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let keys = keys_json(&world, Some(2));
        let fp = wallet::preview_keys(&keys, "")
            .unwrap()
            .fingerprint
            .replace(' ', "");
        // A given fingerprint that is not the server's is reported, not pinned.
        let other = keys_json(&World::new(22), None);
        assert_eq!(
            wallet::preview_keys(&other, &fp).unwrap().matches_given,
            Some(false)
        );
        assert!(matches!(
            WebWallet::create(&other, &fp, &mut rng),
            Err(Failure::Keys(_))
        ));
        let (mut wallet, pin) = WebWallet::create(&keys, &fp, &mut rng).unwrap();
        assert!(matches!(pin, greenlight_venue::PinOutcome::Explicit { .. }));

        let steps = redeem(&mut world, &mut wallet, 3, Some(2));
        assert_eq!(
            steps,
            [
                Step::Stored {
                    added: 2,
                    asked: 3,
                    in_profile: 2
                },
                Step::Stored {
                    added: 3,
                    asked: 3,
                    in_profile: 3
                }
            ]
        );
        let status = wallet.status(NOW, Lang::En).unwrap();
        assert_eq!(status.profiles[0].total, 3);
        assert_eq!(status.profiles[0].usable_6h, 3);

        // Stored, reopened: the same document.
        let bytes = wallet.to_bytes().unwrap();
        let mut wallet = WebWallet::open(&bytes).unwrap();
        let venue = world.venue("Lucky Cafe", 24).to_text();
        let (pending, code) = wallet.withdraw("self", &venue, NOW).unwrap();
        // The document to store no longer holds the token.
        let saved = WebWallet::open(pending.document_to_save()).unwrap();
        assert_eq!(saved.status(NOW, Lang::En).unwrap().profiles[0].total, 2);
        let trust = wallet.doc().unwrap().trust().clone();
        let shown =
            present::prove_and_show(pending, &code, Some(&trust), Lang::ZhHant, &mut rng).unwrap();
        assert_eq!(shown.tokens_left, 2);
        assert_eq!(shown.venue_name, "Lucky Cafe");
        assert!(shown.text.starts_with("GLP1:"));
        assert_eq!(
            shown.learns.issuer_region.as_deref(),
            Some(greenlight_testkit::REGION)
        );
        // The venue accepts it (the verifier of the venue page and the CLI).
        let accepted = trust.accepted_keys(NOW);
        assert!(accepted.contains(&world.issuer.public().key_id()));
        let again = present::describe(&shown.text, Some(&trust), Lang::En).unwrap();
        assert_eq!(again.token_id, shown.learns.token_id);
        assert!(again.lines.iter().any(|l| l.contains("Not in it")));

        // Wrong kinds are named.
        let err = wallet.withdraw("self", &shown.text, NOW).err().unwrap();
        assert_eq!(err.code(), "wrong_kind");
        assert!(
            err.text(Lang::En).contains("not a venue code"),
            "{}",
            err.text(Lang::En)
        );
    }

    #[test]
    fn refusals_wait_replan_or_stop_with_the_catalogue_text() {
        let mut world = World::new(23);
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let keys = keys_json(&world, None);
        let (mut wallet, _) = WebWallet::create(&keys, "", &mut rng).unwrap();
        let ticket = world.ticket("subject-b", Status::Green, 4).to_text();
        let mut driver =
            RedeemDriver::begin(&wallet, &ticket, &keys, "self", NOW, false, &mut rng).unwrap();
        let first = driver.next_request(NOW, &mut rng).unwrap().unwrap();
        let busy = r#"{"error":{"code":"overloaded","message":"busy"}}"#;
        let step = driver
            .on_response(&mut wallet, 503, busy, Some(1), NOW, &mut rng)
            .unwrap();
        assert!(matches!(step, Step::Wait { ms } if ms >= 1000));
        // The same request again.
        assert_eq!(
            driver.next_request(NOW, &mut rng).unwrap().unwrap().body,
            first.body
        );
        // Fewer left than asked: a smaller batch.
        let left = r#"{"error":{"code":"quota_exceeded","message":"x","remaining":2}}"#;
        assert_eq!(
            driver
                .on_response(&mut wallet, 409, left, None, NOW, &mut rng)
                .unwrap(),
            Step::Continue
        );
        let smaller: StartRequest =
            serde_json::from_str(&driver.next_request(NOW, &mut rng).unwrap().unwrap().body)
                .unwrap();
        assert_ne!(
            smaller.registrations,
            serde_json::from_str::<StartRequest>(&first.body)
                .unwrap()
                .registrations
        );
        let revoked = r#"{"error":{"code":"subject_revoked","message":"x"}}"#;
        let err = driver
            .on_response(&mut wallet, 403, revoked, None, NOW, &mut rng)
            .err()
            .unwrap();
        assert_eq!(err.code(), "subject_revoked");
        assert_eq!(
            err.text(Lang::ZhHans),
            greenlight_api::messages::server_code_text(
                greenlight_api::ErrorCode::SubjectRevoked,
                Lang::ZhHans
            )
        );
        // A venue code pasted as a ticket; an expired ticket: refused before any request.
        let venue = world.venue("V", 6).to_text();
        let e = RedeemDriver::begin(&wallet, &venue, &keys, "self", NOW, false, &mut rng)
            .err()
            .unwrap();
        assert_eq!(e.code(), "wrong_kind");
        let e = RedeemDriver::begin(
            &wallet,
            &ticket,
            &keys,
            "self",
            NOW + 86_400,
            false,
            &mut rng,
        )
        .err()
        .unwrap();
        assert_eq!(e.code(), "ticket_expired");
        // Another authority's server: the root does not match the pinned one.
        let other = keys_json(&World::new(24), None);
        let e = RedeemDriver::begin(&wallet, &ticket, &other, "self", NOW, false, &mut rng)
            .err()
            .unwrap();
        assert_eq!(e.code(), "root_mismatch");
    }

    #[test]
    fn profiles_add_rename_remove() {
        let world = World::new(25);
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let (mut wallet, _) = WebWallet::create(&keys_json(&world, None), "", &mut rng).unwrap();
        wallet.add_profile("father", &mut rng).unwrap();
        assert_eq!(
            wallet.add_profile("father", &mut rng).err().unwrap().code(),
            "profile_taken"
        );
        assert_eq!(
            wallet.add_profile("a b", &mut rng).err().unwrap().code(),
            "bad_profile"
        );
        wallet.rename_profile("father", "外公").unwrap();
        assert_eq!(
            wallet.rename_profile("nobody", "x").err().unwrap().code(),
            "unknown_profile"
        );
        assert_eq!(
            wallet.rename_profile("外公", "self").err().unwrap().code(),
            "profile_taken"
        );
        let names: Vec<String> = wallet
            .status(NOW, Lang::En)
            .unwrap()
            .profiles
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["self", "外公"]);
        assert_eq!(wallet.remove_profile("外公").unwrap(), 0);
        assert_eq!(
            wallet.remove_profile("外公").err().unwrap().code(),
            "unknown_profile"
        );
        // Each profile has its own holder secret.
        wallet.add_profile("child", &mut rng).unwrap();
        let doc = wallet.doc().unwrap();
        assert_ne!(
            doc.holder_secret("self").unwrap().to_hex(),
            doc.holder_secret("child").unwrap().to_hex()
        );
    }
}
