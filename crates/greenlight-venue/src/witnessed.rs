//! Requiring witnesses' cosignatures of a key list (spec §7.6): the client side, for every
//! front end that holds a list (`venue sync`, the venue page's `venue.json` update).
//!
//! A venue that names witnesses and a quorum in its `venue.json` (`witnesses`) accepts a new
//! key list only with valid, fresh cosignatures of its checkpoint from a quorum of them
//! ([`greenlight_protocol::check_quorum`]), and keeps those cosignatures beside the list — the
//! *last checkpoint*, which shows an auditor which witnesses vouched for the list the venue
//! verified with. Offline, nothing is checked: the held list stays in force, as it always
//! has; the check runs when a list is fetched or loaded.
//!
//! Why the venue, first: a wallet handed a private list (a split view) is already refused at
//! the door — its presentations are bound to that list (`key_list_mismatch`, spec §5.5). What
//! the witnesses add is that the venue's own list is the one everybody else holds: a root
//! and server that fork a venue off, or keep it on an old list after a newer one was
//! cosigned, cannot produce the quorum.

use greenlight_api::WitnessCosignature;
use greenlight_protocol::{
    check_quorum, Checkpoint, Cosignature, QuorumError, WitnessPolicy,
    DEFAULT_WITNESS_MAX_AGE_SECS, MAX_COSIGNATURES_READ, WITNESS_CLOCK_SKEW_SECS,
};
use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::keys::TrustedKeyList;

/// The `witnesses` object of `venue.json`:
///
/// ```json
/// {"keys": ["<hex of a witness's Ed25519 key>", …], "quorum": 2, "max_age_secs": 604800}
/// ```
///
/// `max_age_secs` defaults to a week ([`DEFAULT_WITNESS_MAX_AGE_SECS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessPolicyFile {
    /// The chosen witnesses' public keys, hex.
    pub keys: Vec<String>,
    /// How many of them must have cosigned.
    pub quorum: usize,
    /// The oldest cosignature that counts, seconds before now.
    #[serde(default = "default_max_age")]
    pub max_age_secs: u64,
}

fn default_max_age() -> u64 {
    DEFAULT_WITNESS_MAX_AGE_SECS
}

impl WitnessPolicyFile {
    /// The policy, checked ([`WitnessPolicy::validate`]: 1 ≤ quorum ≤ keys ≤ 16, distinct
    /// valid keys).
    pub fn to_policy(&self) -> Result<WitnessPolicy, ConfigError> {
        let mut witnesses = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            let bytes: [u8; 32] = hex::decode(key.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| {
                    ConfigError::BadWitnessPolicy("a witness key is not 64 hex digits".into())
                })?;
            witnesses.push(bytes);
        }
        let policy = WitnessPolicy {
            witnesses,
            quorum: self.quorum,
            max_age_secs: self.max_age_secs,
        };
        policy
            .validate()
            .map_err(|e| ConfigError::BadWitnessPolicy(e.to_string()))?;
        Ok(policy)
    }

    /// The document form of `policy`.
    pub fn from_policy(policy: &WitnessPolicy) -> WitnessPolicyFile {
        WitnessPolicyFile {
            keys: policy.witnesses.iter().map(hex::encode).collect(),
            quorum: policy.quorum,
            max_age_secs: policy.max_age_secs,
        }
    }
}

/// The cosignatures of a JSON list that decode (hex of the right lengths); the others are
/// dropped — a malformed cosignature is no cosignature, and a server may carry cosignatures
/// for other clients' witnesses.
pub fn parse_cosignatures(json: &[WitnessCosignature]) -> Vec<Cosignature> {
    json.iter()
        .filter_map(|c| {
            let witness: [u8; 32] = hex::decode(c.witness.trim()).ok()?.try_into().ok()?;
            let signature: [u8; 64] = hex::decode(c.signature.trim()).ok()?.try_into().ok()?;
            Some(Cosignature {
                witness,
                timestamp: c.timestamp,
                signature,
            })
        })
        .collect()
}

/// The JSON form of a cosignature.
pub fn cosignature_json(c: &Cosignature) -> WitnessCosignature {
    WitnessCosignature {
        witness: hex::encode(c.witness),
        timestamp: c.timestamp,
        signature: hex::encode(c.signature),
    }
}

/// Why a key list's cosignatures were not enough.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the key list (version {sequence}) is not vouched for by the venue's witnesses: {reason}")]
pub struct WitnessRefused {
    /// The refused list's sequence.
    pub sequence: u64,
    /// What the quorum check found.
    pub reason: QuorumError,
}

/// The rule: `trust`'s current list must carry, among `cosignatures`, valid ones of its
/// checkpoint by `policy.quorum` of the policy's witnesses, each no older than
/// `policy.max_age_secs` at `now_unix` ([`check_quorum`]). On success, returns the
/// cosignatures to keep with the list: the valid, fresh ones by the policy's witnesses, the
/// newest of each (so a stored file holds at most one per witness, and never a stranger's).
pub fn check_witnessed(
    policy: &WitnessPolicy,
    trust: &TrustedKeyList,
    cosignatures: &[Cosignature],
    now_unix: u64,
) -> Result<Vec<Cosignature>, WitnessRefused> {
    let checkpoint = Checkpoint::of(trust.root(), trust.key_list());
    check_quorum(policy, &checkpoint, cosignatures, now_unix).map_err(|reason| WitnessRefused {
        sequence: checkpoint.sequence,
        reason,
    })?;
    Ok(kept_cosignatures(
        policy,
        &checkpoint,
        cosignatures,
        now_unix,
    ))
}

/// The valid cosignatures of `checkpoint` by `policy`'s witnesses that are fresh at
/// `now_unix` (the window [`check_quorum`] counts), the newest of each, in the policy's order
/// — among the first [`MAX_COSIGNATURES_READ`] entries only, as [`check_quorum`] reads them,
/// so that a server padding the list makes neither rule verify more.
fn kept_cosignatures(
    policy: &WitnessPolicy,
    checkpoint: &Checkpoint,
    cosignatures: &[Cosignature],
    now_unix: u64,
) -> Vec<Cosignature> {
    let fresh = now_unix.saturating_sub(policy.max_age_secs)
        ..=now_unix.saturating_add(WITNESS_CLOCK_SKEW_SECS);
    policy
        .witnesses
        .iter()
        .filter_map(|w| {
            cosignatures
                .iter()
                .take(MAX_COSIGNATURES_READ)
                .filter(|c| {
                    c.witness == *w && fresh.contains(&c.timestamp) && c.verifies(checkpoint)
                })
                .max_by_key(|c| c.timestamp)
                .copied()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;
    use greenlight_protocol::cosign;

    const DAY: u64 = 86_400;

    fn witness(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn policy(witnesses: &[&SigningKey], quorum: usize) -> WitnessPolicy {
        WitnessPolicy {
            witnesses: witnesses
                .iter()
                .map(|w| w.verifying_key().to_bytes())
                .collect(),
            quorum,
            max_age_secs: 7 * DAY,
        }
    }

    fn world_trust() -> (greenlight_testkit::World, TrustedKeyList) {
        let world = greenlight_testkit::World::new(7);
        let trust =
            TrustedKeyList::new(world.root.verifying_key().to_bytes(), world.key_list()).unwrap();
        (world, trust)
    }

    #[test]
    fn a_quorum_of_fresh_cosignatures_is_kept_and_strangers_dropped() {
        let (world, trust) = world_trust();
        let now = greenlight_testkit::NOW;
        let (a, b, stranger) = (witness(1), witness(2), witness(3));
        let root = world.root.verifying_key();
        let sig = |w: &SigningKey, t: u64| cosign(w, None, &root, trust.key_list(), t).unwrap();
        let all = vec![
            sig(&stranger, now),
            sig(&a, now - DAY),
            sig(&a, now),
            sig(&b, now),
        ];
        let kept = check_witnessed(&policy(&[&a, &b], 2), &trust, &all, now).unwrap();
        assert_eq!(kept, vec![sig(&a, now), sig(&b, now)]);
        // Round trip through the JSON form, with a malformed entry dropped.
        let mut json: Vec<_> = all.iter().map(cosignature_json).collect();
        json.push(WitnessCosignature {
            witness: "zz".into(),
            timestamp: now,
            signature: "00".into(),
        });
        assert_eq!(parse_cosignatures(&json), all);
    }

    #[test]
    fn too_few_stale_or_other_lists_cosignatures_are_refused() {
        let (world, trust) = world_trust();
        let now = greenlight_testkit::NOW;
        let (a, b) = (witness(1), witness(2));
        let root = world.root.verifying_key();
        let p = policy(&[&a, &b], 2);
        let fresh_a = cosign(&a, None, &root, trust.key_list(), now).unwrap();
        let stale_b = cosign(&b, None, &root, trust.key_list(), now - 8 * DAY).unwrap();
        let err = check_witnessed(&p, &trust, &[fresh_a, stale_b], now).unwrap_err();
        assert_eq!(
            err.reason,
            QuorumError::TooFew {
                valid: 1,
                quorum: 2,
                stale: 1
            }
        );
        assert!(check_witnessed(&p, &trust, &[], now).is_err());
        // A cosignature of another list (a fork of the same sequence) does not count.
        let other = greenlight_testkit::World::new(8);
        let other_trust =
            TrustedKeyList::new(other.root.verifying_key().to_bytes(), other.key_list()).unwrap();
        let foreign = cosign(
            &b,
            None,
            &other.root.verifying_key(),
            other_trust.key_list(),
            now,
        )
        .unwrap();
        assert!(check_witnessed(&p, &trust, &[fresh_a, foreign], now).is_err());
        // One of two is enough at quorum 1.
        assert!(check_witnessed(&policy(&[&a, &b], 1), &trust, &[fresh_a], now).is_ok());
    }

    #[test]
    fn policy_files_are_checked() {
        let (a, b) = (witness(1), witness(2));
        let good = WitnessPolicyFile::from_policy(&policy(&[&a, &b], 2));
        assert_eq!(good.to_policy().unwrap(), policy(&[&a, &b], 2));
        let parsed: WitnessPolicyFile =
            serde_json::from_str(&format!(r#"{{"keys": ["{}"], "quorum": 1}}"#, good.keys[0]))
                .unwrap();
        assert_eq!(parsed.max_age_secs, DEFAULT_WITNESS_MAX_AGE_SECS);
        for bad in [
            WitnessPolicyFile {
                quorum: 3,
                ..good.clone()
            },
            WitnessPolicyFile {
                quorum: 0,
                ..good.clone()
            },
            WitnessPolicyFile {
                keys: vec![good.keys[0].clone(), good.keys[0].clone()],
                ..good.clone()
            },
            WitnessPolicyFile {
                keys: vec!["abcd".into()],
                quorum: 1,
                ..good.clone()
            },
            WitnessPolicyFile {
                keys: vec![],
                quorum: 0,
                ..good.clone()
            },
        ] {
            assert!(
                matches!(bad.to_policy(), Err(ConfigError::BadWitnessPolicy(_))),
                "{bad:?}"
            );
        }
    }
}
