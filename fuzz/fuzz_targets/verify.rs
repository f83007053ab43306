//! Decode and verify presentations against the fixture issuer key. The fixtures are
//! deterministic, so the only presentations that may ever be accepted are the ones
//! `greenlight_fuzz::fixtures()` built honestly (the committed seeds); anything else that
//! verifies is a forgery or a malleability bug and crashes the target.
//!
//! Each decoded input is verified twice: against the fixture venue's expectations, and
//! against expectations copied from the presentation's own context, which sends
//! every decodable input with a standard window through the signature and proof checks.
#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use greenlight_circuits::{verify_vartime, Presentation, VenueExpectations};
use greenlight_fuzz::{expectations, fixtures};
use libfuzzer_sys::fuzz_target;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

struct Fixed {
    keys: Vec<greenlight_acl::IssuerPublicKey>,
    accepted: HashSet<Vec<u8>>,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let f = fixtures();
        Fixed {
            keys: vec![f.issuer.public().clone()],
            accepted: f.presentations.iter().cloned().collect(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let fixed = fixed();
    let Ok(p) = Presentation::from_bytes(data) else {
        return;
    };
    let own = VenueExpectations {
        venue_id: p.context.venue_id,
        window_hours: p.context.window_hours,
        policy: p.context.policy,
        now_hours: p.context.time_slot_hours,
        clock_tolerance_hours: 0,
        key_lists: vec![greenlight_fuzz::KEY_LIST],
    };
    for expect in [expectations(), own] {
        let mut rng = ChaCha20Rng::seed_from_u64(0);
        if let Ok(ok) = verify_vartime(&p, &expect, &fixed.keys, &mut rng) {
            assert!(
                fixed.accepted.contains(data),
                "a presentation that is not one of the honest fixtures verified"
            );
            assert_eq!(ok.token_id, p.token_id());
        }
    }
});
