//! Accepting an issuer's `GET /v1/keys` answer: which root to trust and whether the list may
//! replace the one held. One rule for the CLI's wallet and venue (`venue init` / `sync`) and the web wallet; it
//! used to live in the CLI.
//!
//! * A wallet that holds a list trusts only its pinned root: another root is refused (an
//!   impostor server), and the new list must be an append-only successor of the held one (a
//!   stale server cannot undo a revocation).
//! * A wallet with nothing yet pins either the root the resident was given (`--root`, the web
//!   wallet's `#root=` link or typed fingerprint), which the server's must match, or — trust on
//!   first use — the server's, whose fingerprint the front end shows for comparison. Whether
//!   first use is allowed at all (https or loopback) is the adapter's check
//!   ([`crate::check_first_use`]): it knows the URL.

use crate::witnessed::{check_witnessed, parse_cosignatures, WitnessRefused};
use crate::{ConfigError, RootPin, TrustedKeyList};
use greenlight_api::KeysResponse;
use greenlight_protocol::{
    root_fingerprint, verifying_key_from_bytes, Cosignature, KeyList, WitnessPolicy,
};

/// How the root of an accepted key list was pinned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinOutcome {
    /// Nothing was held and no root given: the server's root is pinned now.
    FirstUse {
        /// Its fingerprint, for the resident to compare.
        fingerprint: String,
    },
    /// Nothing was held; the given root matched the server's.
    Explicit {
        /// Its fingerprint.
        fingerprint: String,
    },
    /// The held root matched the server's.
    Matched {
        /// Its fingerprint.
        fingerprint: String,
    },
}

impl PinOutcome {
    /// The pinned root's fingerprint.
    pub fn fingerprint(&self) -> &str {
        match self {
            PinOutcome::FirstUse { fingerprint }
            | PinOutcome::Explicit { fingerprint }
            | PinOutcome::Matched { fingerprint } => fingerprint,
        }
    }
}

/// A `GET /v1/keys` answer the wallet accepted.
#[derive(Clone, Debug)]
pub struct FetchedKeys {
    /// The verified list under the pinned root.
    pub trust: TrustedKeyList,
    /// The key the server says it issues with (a wallet checks it with `greenlight_wallet::issuing_key`).
    pub issuing_key_id: [u8; 8],
    /// The server's batch cap (`None`: 64).
    pub max_batch: Option<u16>,
    /// The authority whose tickets the server accepts (`greenlight_wallet::check_ticket_authority`).
    pub authority_public_key: Option<[u8; 32]>,
    /// How the root was pinned.
    pub pin: PinOutcome,
    /// The witnesses' cosignatures kept with the list ([`check_witnessed`]); empty when no
    /// witness policy was given.
    pub cosignatures: Vec<Cosignature>,
}

/// Why an answer was refused.
#[derive(Debug, thiserror::Error)]
pub enum KeysRefusal {
    /// A field does not decode, or the list does not verify under its root.
    #[error("the issuer key list is not valid: {0}")]
    Invalid(String),
    /// The server's root is not the pinned (or given) one.
    #[error("the server's root key (fingerprint {offered}) is not the pinned one ({pinned})")]
    RootMismatch {
        /// The fingerprint pinned or given.
        pinned: String,
        /// The server's.
        offered: String,
    },
    /// The list may not replace the held one ([`TrustedKeyList::check_update`]).
    #[error(transparent)]
    Update(ConfigError),
    /// The client requires witnesses, and the list lacks a quorum of fresh cosignatures
    /// ([`check_witnessed`]).
    #[error(transparent)]
    NotWitnessed(WitnessRefused),
}

fn hex_array<const N: usize>(text: &str, what: &str) -> Result<[u8; N], KeysRefusal> {
    hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| KeysRefusal::Invalid(format!("{what} is not {N} hex bytes")))
}

/// Accepts `resp` given the list `held` (if any) and the root the resident gave (`explicit`).
/// With `witnesses` — the client's policy and its clock — the accepted list must also carry a
/// quorum of fresh cosignatures ([`check_witnessed`]; spec §7.6), checked on every fetch, the
/// same list again included: a list the witnesses stopped re-cosigning (because they cosigned
/// a newer one) is how a client kept on an old list notices.
pub fn accept_keys(
    resp: &KeysResponse,
    held: Option<&TrustedKeyList>,
    explicit: Option<&RootPin>,
    witnesses: Option<(&WitnessPolicy, u64)>,
) -> Result<FetchedKeys, KeysRefusal> {
    let offered_bytes: [u8; 32] = hex_array(&resp.root_public_key, "root_public_key")?;
    let offered = verifying_key_from_bytes(&offered_bytes)
        .map_err(|e| KeysRefusal::Invalid(e.to_string()))?;
    let offered_fp = root_fingerprint(&offered);
    let pin = match (held, explicit) {
        (Some(held), explicit) => {
            if let Some(explicit) = explicit {
                if !explicit.matches(&held.root_bytes()) {
                    return Err(KeysRefusal::RootMismatch {
                        pinned: held.fingerprint(),
                        offered: explicit.fingerprint_hex(),
                    });
                }
            }
            if held.root_bytes() != offered_bytes {
                return Err(KeysRefusal::RootMismatch {
                    pinned: held.fingerprint(),
                    offered: offered_fp,
                });
            }
            PinOutcome::Matched {
                fingerprint: held.fingerprint(),
            }
        }
        (None, Some(explicit)) => {
            if !explicit.matches(&offered_bytes) {
                return Err(KeysRefusal::RootMismatch {
                    pinned: explicit.fingerprint_hex(),
                    offered: offered_fp,
                });
            }
            PinOutcome::Explicit {
                fingerprint: offered_fp,
            }
        }
        (None, None) => PinOutcome::FirstUse {
            fingerprint: offered_fp,
        },
    };
    let key_list =
        KeyList::from_text(&resp.key_list).map_err(|e| KeysRefusal::Invalid(e.to_string()))?;
    // The list the server names as the one it succeeded is kept if it passes, dropped if
    // not; against a held list, `updated_to` settles which previous list to keep.
    let mut trust = TrustedKeyList::new(offered_bytes, key_list)
        .map_err(|e| KeysRefusal::Invalid(e.to_string()))?
        .with_served_previous(resp.previous_key_list.as_deref());
    if let Some(held) = held {
        trust = held.updated_to(trust).map_err(KeysRefusal::Update)?;
    }
    let cosignatures = match witnesses {
        Some((policy, now_unix)) => check_witnessed(
            policy,
            &trust,
            &parse_cosignatures(&resp.cosignatures),
            now_unix,
        )
        .map_err(KeysRefusal::NotWitnessed)?,
        None => Vec::new(),
    };
    let issuing_key_id = hex_array(&resp.issuing_key_id, "issuing_key_id")?;
    let authority_public_key = resp
        .authority_public_key
        .as_deref()
        .map(|t| hex_array(t, "authority_public_key"))
        .transpose()?;
    Ok(FetchedKeys {
        trust,
        issuing_key_id,
        max_batch: resp.max_batch,
        authority_public_key,
        pin,
        cosignatures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(world: &greenlight_testkit::World) -> KeysResponse {
        KeysResponse {
            root_public_key: hex::encode(world.root.verifying_key().to_bytes()),
            key_list: world.key_list().to_text(),
            previous_key_list: None,
            issuing_key_id: hex::encode(world.issuer.public().key_id().0),
            max_batch: None,
            authority_public_key: None,
            cosignatures: Vec::new(),
        }
    }

    #[test]
    fn pins_on_first_use_matches_a_given_root_and_refuses_another() {
        let world = greenlight_testkit::World::new(3);
        let other = greenlight_testkit::World::new(4);
        let resp = response(&world);
        let first = accept_keys(&resp, None, None, None).unwrap();
        assert!(matches!(first.pin, PinOutcome::FirstUse { .. }));
        let fp = first.pin.fingerprint().to_owned();
        let given = RootPin::parse(&fp).unwrap();
        let explicit = accept_keys(&resp, None, Some(&given), None).unwrap();
        assert_eq!(
            explicit.pin,
            PinOutcome::Explicit {
                fingerprint: fp.clone()
            }
        );
        let held = accept_keys(&resp, Some(&first.trust), None, None).unwrap();
        assert_eq!(held.pin, PinOutcome::Matched { fingerprint: fp });
        // Another authority's server: refused against a given root and against a held one.
        let foreign = response(&other);
        assert!(matches!(
            accept_keys(&foreign, None, Some(&given), None),
            Err(KeysRefusal::RootMismatch { .. })
        ));
        assert!(matches!(
            accept_keys(&foreign, Some(&first.trust), None, None),
            Err(KeysRefusal::RootMismatch { .. })
        ));
        let mut bad = resp.clone();
        bad.issuing_key_id = "zz".into();
        assert!(matches!(
            accept_keys(&bad, None, None, None),
            Err(KeysRefusal::Invalid(_))
        ));
    }
}
