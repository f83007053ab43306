//! Witness cosignatures of key-list checkpoints: a second source for "is this the list
//! everyone else holds" (`docs/spec.md` §7.6), after the C2SP tlog-cosignature design.
//!
//! A **checkpoint** names one key list: its root, sequence and digest
//! ([`crate::KeyList::digest`]). A **witness** — an independent party with an Ed25519 key —
//! cosigns a checkpoint only if the list verifies under its root and is an append-only
//! successor of the last list it cosigned for that root ([`cosign`]). It therefore never
//! cosigns two lists of one sequence, nor a list that drops or changes what an earlier one
//! said. A client that requires a **quorum** of cosignatures from witnesses it chose, each no
//! older than a maximum age ([`check_quorum`]), cannot be shown a list the witnesses did not
//! see — a fork — nor, once a newer list is cosigned, be kept on an older one: the witnesses
//! refuse to cosign the older list again, so its cosignatures age out.
//!
//! Everything here is sans-I/O: times are parameters, the witness's memory (the last list it
//! cosigned) is passed in and handed back.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use greenlight_wire::labels;
use thiserror::Error;

use crate::codec::signature_is_canonical;
use crate::keylist::KeyList;
use crate::keys::{root_fingerprint, verifying_key_from_bytes};
use crate::ProtocolError;

/// The largest quorum a client may ask for (and the most cosignatures a list carries that
/// are looked at): a handful of witnesses is the design, not hundreds.
pub const MAX_WITNESSES: usize = 16;

/// How many cosignatures of one list a client reads at most (the rest are ignored): room for
/// several per witness of the largest policy, and a bound on the signatures a padded list
/// makes a client verify. Servers publish at most one per witness.
pub const MAX_COSIGNATURES_READ: usize = 4 * MAX_WITNESSES;

/// What a cosignature names: one key list of one root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The root's Ed25519 public key.
    pub root: [u8; 32],
    /// The list's sequence.
    pub sequence: u64,
    /// The list's digest ([`KeyList::digest`]).
    pub digest: [u8; 32],
}

impl Checkpoint {
    /// The checkpoint of `list` under `root` (not verified here).
    pub fn of(root: &VerifyingKey, list: &KeyList) -> Checkpoint {
        Checkpoint {
            root: root.to_bytes(),
            sequence: list.unverified_body().sequence(),
            digest: list.digest(),
        }
    }

    /// The bytes a witness signs at `timestamp` (Unix seconds):
    /// `"greenlight/v1/key-list-cosignature" ‖ root (32) ‖ u64be(sequence) ‖ digest (32) ‖
    /// u64be(timestamp)`.
    pub fn signed_message(&self, timestamp: u64) -> Vec<u8> {
        let mut m = Vec::with_capacity(labels::KEY_LIST_COSIGNATURE.len() + 80);
        m.extend_from_slice(labels::KEY_LIST_COSIGNATURE);
        m.extend_from_slice(&self.root);
        m.extend_from_slice(&self.sequence.to_be_bytes());
        m.extend_from_slice(&self.digest);
        m.extend_from_slice(&timestamp.to_be_bytes());
        m
    }
}

/// One witness's cosignature of a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cosignature {
    /// The witness's Ed25519 public key.
    pub witness: [u8; 32],
    /// When the witness signed (Unix seconds, its clock).
    pub timestamp: u64,
    /// Ed25519 over [`Checkpoint::signed_message`].
    pub signature: [u8; 64],
}

impl Cosignature {
    /// Whether this is a valid cosignature of `checkpoint` by its witness (strict Ed25519,
    /// canonical `s`).
    pub fn verifies(&self, checkpoint: &Checkpoint) -> bool {
        let Ok(key) = verifying_key_from_bytes(&self.witness) else {
            return false;
        };
        signature_is_canonical(&self.signature)
            && key
                .verify_strict(
                    &checkpoint.signed_message(self.timestamp),
                    &Signature::from_bytes(&self.signature),
                )
                .is_ok()
    }
}

/// Why a witness does not cosign a list.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum WitnessRefusal {
    /// The list does not verify under the root named with it.
    #[error("the key list does not verify under the root key given with it")]
    BadSignature,
    /// This witness follows the root's lists only: another root needs another state.
    #[error("this witness follows root {followed}, not {offered}")]
    OtherRoot {
        /// Fingerprint of the root the witness follows.
        followed: String,
        /// Fingerprint of the offered list's root.
        offered: String,
    },
    /// Not an append-only successor of the last list cosigned (a fork, an older list, a key
    /// dropped or changed): exactly what a witness exists to refuse.
    #[error(
        "not a successor of the last key list this witness cosigned (sequence {last}): {source}"
    )]
    NotSuccessor {
        /// Sequence of the last list cosigned.
        last: u64,
        /// The broken rule.
        source: ProtocolError,
    },
}

/// The witness's rule: cosign `offered` (signed by `root`) at `now_unix` if it verifies and
/// is `last` — the list this witness cosigned last for this root, if any — or an append-only
/// successor of it ([`KeyList::check_successor`]: a higher sequence, or the same list again,
/// which re-cosigns it with a fresh timestamp). On success the caller keeps `offered` as the
/// new `last`.
pub fn cosign(
    witness: &SigningKey,
    last: Option<(&VerifyingKey, &KeyList)>,
    root: &VerifyingKey,
    offered: &KeyList,
    now_unix: u64,
) -> Result<Cosignature, WitnessRefusal> {
    offered
        .verify(root)
        .map_err(|_| WitnessRefusal::BadSignature)?;
    if let Some((last_root, last_list)) = last {
        if last_root != root {
            return Err(WitnessRefusal::OtherRoot {
                followed: root_fingerprint(last_root),
                offered: root_fingerprint(root),
            });
        }
        last_list
            .check_successor(offered)
            .map_err(|source| WitnessRefusal::NotSuccessor {
                last: last_list.unverified_body().sequence(),
                source,
            })?;
    }
    let checkpoint = Checkpoint::of(root, offered);
    let signature = witness
        .sign(&checkpoint.signed_message(now_unix))
        .to_bytes();
    Ok(Cosignature {
        witness: witness.verifying_key().to_bytes(),
        timestamp: now_unix,
        signature,
    })
}

/// What a client requires of a key list's cosignatures: `quorum` of the `witnesses` it chose,
/// each cosignature at most `max_age_secs` old (and not more than an hour ahead of the
/// client's clock).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessPolicy {
    /// The witnesses' Ed25519 public keys.
    pub witnesses: Vec<[u8; 32]>,
    /// How many distinct witnesses must have cosigned (1..=witnesses.len()).
    pub quorum: usize,
    /// The oldest cosignature that counts, in seconds before the client's clock.
    pub max_age_secs: u64,
}

/// The default maximum age of a cosignature: a week. Witnesses re-cosign the current list
/// (the same list again) at least that often; a list whose cosignatures are all older has not
/// been seen by them lately — possibly because they have cosigned a newer one.
pub const DEFAULT_WITNESS_MAX_AGE_SECS: u64 = 7 * 86_400;

/// How far ahead of the client's clock a cosignature's timestamp may be (clock skew).
pub const WITNESS_CLOCK_SKEW_SECS: u64 = 3600;

/// Why a key list's cosignatures do not satisfy a [`WitnessPolicy`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum QuorumError {
    /// The policy itself is unusable (no witnesses, a quorum of 0 or above their number, more
    /// than [`MAX_WITNESSES`], an invalid key).
    #[error("the witness policy is invalid: {0}")]
    BadPolicy(&'static str),
    /// Too few valid, fresh cosignatures from the chosen witnesses.
    #[error("the key list is cosigned by {valid} of the required {quorum} witnesses ({stale} more cosignatures too old)")]
    TooFew {
        /// Distinct chosen witnesses with a valid, fresh cosignature.
        valid: usize,
        /// The quorum asked for.
        quorum: usize,
        /// Distinct chosen witnesses whose valid cosignature is too old (or too far ahead).
        stale: usize,
    },
}

impl WitnessPolicy {
    /// Checks the policy's own shape.
    pub fn validate(&self) -> Result<(), QuorumError> {
        if self.witnesses.is_empty() || self.witnesses.len() > MAX_WITNESSES {
            return Err(QuorumError::BadPolicy("between 1 and 16 witnesses"));
        }
        if self.quorum == 0 || self.quorum > self.witnesses.len() {
            return Err(QuorumError::BadPolicy(
                "the quorum must be between 1 and the number of witnesses",
            ));
        }
        if self
            .witnesses
            .iter()
            .any(|w| verifying_key_from_bytes(w).is_err())
        {
            return Err(QuorumError::BadPolicy(
                "a witness key is not a valid Ed25519 key",
            ));
        }
        let mut sorted = self.witnesses.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != self.witnesses.len() {
            return Err(QuorumError::BadPolicy("a witness is named twice"));
        }
        Ok(())
    }
}

/// The client's rule: `cosignatures` of `checkpoint` include valid ones from at least
/// `policy.quorum` distinct witnesses of `policy.witnesses`, each timestamped within
/// `[now − max_age, now + 1 h]`. Cosignatures by other keys, duplicates and invalid ones are
/// ignored (a server may carry cosignatures for other clients' witnesses).
pub fn check_quorum(
    policy: &WitnessPolicy,
    checkpoint: &Checkpoint,
    cosignatures: &[Cosignature],
    now_unix: u64,
) -> Result<(), QuorumError> {
    policy.validate()?;
    let oldest = now_unix.saturating_sub(policy.max_age_secs);
    let newest = now_unix.saturating_add(WITNESS_CLOCK_SKEW_SECS);
    let (mut valid, mut stale) = (0, 0);
    for witness in &policy.witnesses {
        let mut fresh_found = false;
        let mut stale_found = false;
        for c in cosignatures
            .iter()
            .take(MAX_COSIGNATURES_READ)
            .filter(|c| c.witness == *witness)
        {
            if !c.verifies(checkpoint) {
                continue;
            }
            if (oldest..=newest).contains(&c.timestamp) {
                fresh_found = true;
            } else {
                stale_found = true;
            }
        }
        if fresh_found {
            valid += 1;
        } else if stale_found {
            stale += 1;
        }
    }
    if valid >= policy.quorum {
        Ok(())
    } else {
        Err(QuorumError::TooFew {
            valid,
            quorum: policy.quorum,
            stale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IssuerEntry, IssuerKeyEntry, KeyListBody};

    const NOW: u64 = 1_800_000_000;
    const DAY: u64 = 86_400;

    fn list(root: &SigningKey, sequence: u64, issued_at: u64, keys: usize) -> KeyList {
        let keys = (0..keys)
            // Key lists carry issuer keys as bytes; nothing here decodes them as points.
            .map(|i| {
                IssuerKeyEntry::new(
                    [7 + i as u8; 32],
                    NOW - 10 * DAY,
                    NOW + 80 * DAY,
                    NOW + 90 * DAY,
                )
            })
            .collect();
        KeyListBody::new(
            sequence,
            issued_at,
            vec![IssuerEntry {
                region: "CN-GD".into(),
                display_name: "Guangdong".into(),
                keys,
            }],
        )
        .unwrap()
        .sign(root)
    }

    fn keys() -> (SigningKey, SigningKey, SigningKey) {
        (
            SigningKey::from_bytes(&[1; 32]),
            SigningKey::from_bytes(&[2; 32]),
            SigningKey::from_bytes(&[3; 32]),
        )
    }

    #[test]
    fn a_witness_cosigns_successors_and_refuses_forks() {
        let (root, w, _) = keys();
        let rk = root.verifying_key();
        let (l1, l2) = (list(&root, 1, NOW - DAY, 1), list(&root, 2, NOW, 2));
        let fork = list(&root, 1, NOW - DAY + 1, 2);
        let c1 = cosign(&w, None, &rk, &l1, NOW).unwrap();
        assert!(c1.verifies(&Checkpoint::of(&rk, &l1)));
        assert!(!c1.verifies(&Checkpoint::of(&rk, &fork)));
        // The same list again: re-cosigned (a fresh timestamp).
        let again = cosign(&w, Some((&rk, &l1)), &rk, &l1, NOW + DAY).unwrap();
        assert_eq!(again.timestamp, NOW + DAY);
        // A successor: cosigned. A fork of the last one's sequence, or an older list: refused.
        cosign(&w, Some((&rk, &l1)), &rk, &l2, NOW).unwrap();
        assert!(matches!(
            cosign(&w, Some((&rk, &l1)), &rk, &fork, NOW),
            Err(WitnessRefusal::NotSuccessor { last: 1, .. })
        ));
        assert!(matches!(
            cosign(&w, Some((&rk, &l2)), &rk, &l1, NOW),
            Err(WitnessRefusal::NotSuccessor { last: 2, .. })
        ));
        // Another root's list, or a list that does not verify under the root given.
        let other = SigningKey::from_bytes(&[9; 32]);
        assert!(matches!(
            cosign(
                &w,
                Some((&rk, &l1)),
                &other.verifying_key(),
                &list(&other, 2, NOW, 1),
                NOW
            ),
            Err(WitnessRefusal::OtherRoot { .. })
        ));
        assert_eq!(
            cosign(&w, None, &other.verifying_key(), &l1, NOW),
            Err(WitnessRefusal::BadSignature)
        );
    }

    #[test]
    fn a_client_counts_fresh_valid_cosignatures_of_its_own_witnesses() {
        let (root, w1, w2) = keys();
        let w3 = SigningKey::from_bytes(&[4; 32]);
        let rk = root.verifying_key();
        let l1 = list(&root, 1, NOW, 1);
        let cp = Checkpoint::of(&rk, &l1);
        let policy = WitnessPolicy {
            witnesses: vec![w1.verifying_key().to_bytes(), w2.verifying_key().to_bytes()],
            quorum: 2,
            max_age_secs: 7 * DAY,
        };
        let c1 = cosign(&w1, None, &rk, &l1, NOW - DAY).unwrap();
        let c2 = cosign(&w2, None, &rk, &l1, NOW).unwrap();
        let c3 = cosign(&w3, None, &rk, &l1, NOW).unwrap();
        assert_eq!(check_quorum(&policy, &cp, &[c1, c2], NOW), Ok(()));
        // One witness twice is one witness; a witness not chosen does not count.
        assert_eq!(
            check_quorum(&policy, &cp, &[c1, c1, c3], NOW),
            Err(QuorumError::TooFew {
                valid: 1,
                quorum: 2,
                stale: 0
            })
        );
        // Too old, or too far ahead of the client's clock.
        assert_eq!(
            check_quorum(&policy, &cp, &[c1, c2], NOW + 6 * DAY + 1),
            Err(QuorumError::TooFew {
                valid: 1,
                quorum: 2,
                stale: 1
            })
        );
        assert_eq!(
            check_quorum(&policy, &cp, &[c1, c2], NOW - 2 * 3600),
            Err(QuorumError::TooFew {
                valid: 1,
                quorum: 2,
                stale: 1
            })
        );
        // A cosignature of another checkpoint (a fork, another sequence) does not count.
        let fork = list(&root, 1, NOW + 1, 1);
        let c_fork = cosign(&w2, None, &rk, &fork, NOW).unwrap();
        assert_eq!(
            check_quorum(&policy, &cp, &[c1, c_fork], NOW),
            Err(QuorumError::TooFew {
                valid: 1,
                quorum: 2,
                stale: 0
            })
        );
        // A tampered signature or timestamp does not count.
        let mut bad = c2;
        bad.timestamp += 1;
        assert!(!bad.verifies(&cp));
        let mut bad = c2;
        bad.signature[0] ^= 1;
        assert!(!bad.verifies(&cp));
        // Policies that cannot be met are refused as such.
        for (quorum, witnesses) in [
            (0, policy.witnesses.clone()),
            (3, policy.witnesses.clone()),
            (1, vec![]),
            (1, vec![policy.witnesses[0]; 2]),
        ] {
            let p = WitnessPolicy {
                witnesses,
                quorum,
                max_age_secs: DAY,
            };
            assert!(matches!(
                check_quorum(&p, &cp, &[c1, c2], NOW),
                Err(QuorumError::BadPolicy(_))
            ));
        }
    }
}
