//! The rules of the deployment roles (`docs/deploy.md`): the offline root that signs the next
//! key list from the regional issuers' public entries ([`next_key_list`]), the regional issuer
//! that creates its first key and adds the next one ([`first_entry`], [`rotated_entry`]), and
//! the key a regional server issues under at an instant ([`KeyListBody::region_key`]).
//!
//! No I/O: time is a parameter. The server binary reads and writes the files around these.

use std::collections::BTreeSet;

use thiserror::Error;

use crate::error::{ProtocolError, TaggingRisk};
use ed25519_dalek::VerifyingKey;

use crate::keylist::{IssuerEntry, IssuerKeyEntry, KeyList, KeyListBody};
use crate::keys::root_fingerprint;

/// Sequence number of the first list a root signs.
pub const FIRST_KEY_LIST_SEQUENCE: u64 = 1;

/// Why the root refuses to sign the next list.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RootSignRefusal {
    /// Neither a previous list nor any entry: there is nothing to sign.
    #[error("no regional entries given and no previous list: nothing to sign")]
    Empty,
    /// The previous list's sequence number cannot grow any more.
    #[error("the previous key list's sequence number is at its maximum")]
    SequenceExhausted,
    /// The merged list breaks a rule of the format (duplicate regions or key ids, a key id
    /// that is not its public key's, times out of order, too many keys or issuers).
    #[error("the entries do not make a valid key list: {0}")]
    Invalid(ProtocolError),
    /// The merged list is not an append-only successor of the previous one.
    #[error("not a valid successor of key list {previous}: {source}")]
    NotSuccessor {
        /// Sequence of the previous list.
        previous: u64,
        /// The broken rule.
        source: ProtocolError,
    },
    /// The merged list breaks an anti-tagging rule at the signing time.
    #[error("the list could sort holders into groups: {0}")]
    Tagging(TaggingRisk),
}

/// Why a regional issuer's key cannot be created or added.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RotationRefusal {
    /// The entry breaks a rule of the format (name lengths, too many keys, times).
    #[error("the region's entry would be invalid: {0}")]
    Invalid(ProtocolError),
    /// The entry would break an anti-tagging rule (most often: a third key issuing at once).
    #[error("the region's keys could sort holders into groups: {0}")]
    Tagging(TaggingRisk),
}

/// The merge rule of the root: the previous list's issuers, in order, with each given entry
/// merged into its region (a new region is appended). In a region: the display name is the
/// entry's; a key the list already has keeps its place, becomes revoked if the entry says so
/// (never the reverse), and its `issue_until` and `accept_until` only shrink to the entry's;
/// a key the list lacks is appended; a listed key missing from the entry stays. Regions not
/// given stay unchanged. Sequence = previous + 1 ([`FIRST_KEY_LIST_SEQUENCE`] without a
/// previous list), `issued_at` = `now_unix` (never before the previous list's).
///
/// A key's public key and `issue_from` are taken from the entry, so an entry that changes
/// them is caught by the successor check of [`next_key_list`], not silently ignored.
pub fn merge_entries(
    previous: Option<&KeyListBody>,
    entries: &[IssuerEntry],
    now_unix: u64,
) -> Result<KeyListBody, RootSignRefusal> {
    let (sequence, issued_at, mut issuers) = match previous {
        Some(p) => (
            p.sequence()
                .checked_add(1)
                .ok_or(RootSignRefusal::SequenceExhausted)?,
            p.issued_at().max(now_unix),
            p.issuers().to_vec(),
        ),
        None if entries.is_empty() => return Err(RootSignRefusal::Empty),
        None => (FIRST_KEY_LIST_SEQUENCE, now_unix, Vec::new()),
    };
    let mut given = BTreeSet::new();
    for entry in entries {
        if !given.insert(entry.region.as_str()) {
            return Err(RootSignRefusal::Invalid(ProtocolError::DuplicateRegion(
                entry.region.clone(),
            )));
        }
        let Some(held) = issuers.iter_mut().find(|i| i.region == entry.region) else {
            issuers.push(entry.clone());
            continue;
        };
        held.display_name = entry.display_name.clone();
        for key in &entry.keys {
            match held.keys.iter_mut().find(|k| k.key_id == key.key_id) {
                Some(k) => {
                    k.public_key = key.public_key;
                    k.issue_from = key.issue_from;
                    k.issue_until = k.issue_until.min(key.issue_until);
                    k.accept_until = k.accept_until.min(key.accept_until);
                    k.revoked |= key.revoked;
                }
                None => held.keys.push(*key),
            }
        }
    }
    KeyListBody::new(sequence, issued_at, issuers).map_err(RootSignRefusal::Invalid)
}

/// The next list the root signs: [`merge_entries`], then the successor rules
/// ([`KeyListBody::check_successor`]) against `previous` and the anti-tagging rules
/// ([`KeyListBody::check_anti_tagging`]) at `now_unix`. `previous` must already be verified
/// under the root.
pub fn next_key_list(
    previous: Option<&KeyListBody>,
    entries: &[IssuerEntry],
    now_unix: u64,
) -> Result<KeyListBody, RootSignRefusal> {
    let body = merge_entries(previous, entries, now_unix)?;
    if let Some(previous) = previous {
        previous
            .check_successor(&body)
            .map_err(|source| RootSignRefusal::NotSuccessor {
                previous: previous.sequence(),
                source,
            })?;
    }
    body.check_anti_tagging(now_unix)
        .map_err(RootSignRefusal::Tagging)?;
    Ok(body)
}

/// The key period a regional issuer gives a new key at `now_unix`: issuing from now for
/// `issue_period_secs`, accepted `accept_grace_secs` longer.
pub fn new_key_entry(
    public_key: [u8; 32],
    now_unix: u64,
    issue_period_secs: u64,
    accept_grace_secs: u64,
) -> IssuerKeyEntry {
    let issue_until = now_unix.saturating_add(issue_period_secs);
    IssuerKeyEntry::new(
        public_key,
        now_unix,
        issue_until,
        issue_until.saturating_add(accept_grace_secs),
    )
}

/// A region's first entry (`greenlight-server init`): one key from [`new_key_entry`], checked
/// as the root will check it.
pub fn first_entry(
    region: &str,
    display_name: &str,
    public_key: [u8; 32],
    now_unix: u64,
    issue_period_secs: u64,
    accept_grace_secs: u64,
) -> Result<IssuerEntry, RotationRefusal> {
    let entry = IssuerEntry {
        region: region.to_owned(),
        display_name: display_name.to_owned(),
        keys: vec![new_key_entry(
            public_key,
            now_unix,
            issue_period_secs,
            accept_grace_secs,
        )],
    };
    check_entry(&entry, now_unix)?;
    Ok(entry)
}

/// The region's entry with its next key appended (`greenlight-server rotate`). The new key
/// is published ahead: it issues from `now_unix + starts_in_secs` — time for venues to sync
/// the list that carries it before any token under it exists — but never later than the end
/// of the region's current keys' issuing periods (the latest `issue_until` of its keys not
/// revoked and still issuing at or after now), so the periods overlap and holders are never
/// without an issuing key. Until the new key starts, a server keeps issuing under the old one
/// ([`KeyListBody::region_key`]). Refused if the entry would break a rule the root checks —
/// above all, a third key issuing at once ([`crate::MAX_ISSUING_KEYS_PER_REGION`]): rotate
/// again only after the older key's `issue_until` (or revoke it).
pub fn rotated_entry(
    entry: &IssuerEntry,
    public_key: [u8; 32],
    now_unix: u64,
    starts_in_secs: u64,
    issue_period_secs: u64,
    accept_grace_secs: u64,
) -> Result<IssuerEntry, RotationRefusal> {
    let mut start = now_unix.saturating_add(starts_in_secs);
    if let Some(current_end) = entry
        .keys
        .iter()
        .filter(|k| !k.revoked && k.issue_until >= now_unix)
        .map(|k| k.issue_until)
        .max()
    {
        start = start.min(current_end);
    }
    let mut next = entry.clone();
    next.keys.push(new_key_entry(
        public_key,
        start,
        issue_period_secs,
        accept_grace_secs,
    ));
    check_entry(&next, now_unix)?;
    Ok(next)
}

/// An entry alone as a list: the format rules and the anti-tagging rules at `now_unix`.
fn check_entry(entry: &IssuerEntry, now_unix: u64) -> Result<(), RotationRefusal> {
    KeyListBody::new(FIRST_KEY_LIST_SEQUENCE, now_unix, vec![entry.clone()])
        .map_err(RotationRefusal::Invalid)?
        .check_anti_tagging(now_unix)
        .map_err(RotationRefusal::Tagging)
}

/// The key a regional server names as its issuing key at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKey<'a> {
    /// The current key: it issues now.
    Issuing(&'a IssuerKeyEntry),
    /// No held key issues now; the newest held key of the region, which the server names but
    /// refuses to issue under (revoked, or outside its issuing period).
    NotIssuing(&'a IssuerKeyEntry),
}

impl<'a> RegionKey<'a> {
    /// The key, issuing or not.
    pub fn entry(&self) -> &'a IssuerKeyEntry {
        match self {
            RegionKey::Issuing(k) | RegionKey::NotIssuing(k) => k,
        }
    }
}

impl KeyListBody {
    /// The key a server of `region` issues under at `now_unix`: of the region's keys whose
    /// secret it holds (`held`), not revoked in the list nor locally (`revoked_here`: a
    /// `revoke-key` the root has not signed yet), with `issue_from ≤ now ≤ issue_until`, the
    /// one with the latest `issue_from` (the later listed on a tie) — during a rotation, the
    /// new key. Without one, the last listed held key as [`RegionKey::NotIssuing`]; `None`
    /// if the list holds no key of the region that the server has the secret of.
    pub fn region_key(
        &self,
        region: &str,
        now_unix: u64,
        held: impl Fn(&[u8; 8]) -> bool,
        revoked_here: impl Fn(&[u8; 8]) -> bool,
    ) -> Option<RegionKey<'_>> {
        let issuer = self.issuers().iter().find(|i| i.region == region)?;
        let held_keys = || issuer.keys.iter().filter(|k| held(&k.key_id));
        let issuing = held_keys()
            .filter(|k| {
                !k.revoked
                    && !revoked_here(&k.key_id)
                    && k.issue_from <= now_unix
                    && now_unix <= k.issue_until
            })
            .enumerate()
            .max_by_key(|(i, k)| (k.issue_from, *i))
            .map(|(_, k)| k);
        match issuing {
            Some(k) => Some(RegionKey::Issuing(k)),
            None => held_keys().last().map(RegionKey::NotIssuing),
        }
    }
}

impl KeyListBody {
    /// The key a `start` is issued under when the holder registered for `requested` (the key
    /// id its registrations carry, named by `/v1/keys` a moment earlier): that key, if it is
    /// one of the region's held keys that issues at `now_unix` (not revoked in the list nor
    /// locally, inside its issuing period); otherwise [`Self::region_key`]. During a rotation
    /// both keys issue, so a wallet that fetched the key list just before the switch (or
    /// from another node that switched a moment earlier, or redeems several batches across
    /// the switch) is served under the key it registered for instead of being refused; no
    /// choice is given beyond the at most two keys of a region that issue at once
    /// ([`crate::MAX_ISSUING_KEYS_PER_REGION`]).
    pub fn region_key_for(
        &self,
        region: &str,
        requested: Option<[u8; 8]>,
        now_unix: u64,
        held: impl Fn(&[u8; 8]) -> bool,
        revoked_here: impl Fn(&[u8; 8]) -> bool,
    ) -> Option<RegionKey<'_>> {
        if let Some(id) = requested {
            let issuer = self.issuers().iter().find(|i| i.region == region)?;
            let wanted = issuer.keys.iter().find(|k| {
                k.key_id == id
                    && held(&k.key_id)
                    && !k.revoked
                    && !revoked_here(&k.key_id)
                    && k.issue_from <= now_unix
                    && now_unix <= k.issue_until
            });
            if let Some(k) = wanted {
                return Some(RegionKey::Issuing(k));
            }
        }
        self.region_key(region, now_unix, held, revoked_here)
    }
}

/// Why a regional server refuses to serve an offered key list (at start, on SIGHUP or on
/// `POST /v1/admin/key-list`); a refused list leaves the one served before in place.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ServedListRefusal {
    /// The list does not verify under the root key that comes with it.
    #[error("the key list's signature does not verify under the root key given with it")]
    BadSignature,
    /// The list comes from another root than the one the data directory pinned.
    #[error(
        "the key list is signed by root {offered}, but this data directory is pinned to root {pinned}: a list from another root is never served"
    )]
    OtherRoot {
        /// Fingerprint of the pinned root.
        pinned: String,
        /// Fingerprint of the offered list's root.
        offered: String,
    },
    /// The list kept from before does not verify under the pinned root (a damaged file).
    #[error("the key list kept from before does not verify under the pinned root")]
    PreviousUnverified,
    /// The list is not an append-only successor of the one served before.
    #[error("not a valid successor of the key list served before (sequence {previous}): {source}")]
    NotSuccessor {
        /// Sequence of the list served before.
        previous: u64,
        /// The broken rule.
        source: ProtocolError,
    },
    /// The list has no issuer for the server's region.
    #[error("the key list has no issuer for region {0}")]
    RegionMissing(String),
    /// The list has no key of the region whose secret the server holds.
    #[error("the key list has no key of region {0} whose secret this data directory holds")]
    NoHeldKey(String),
    /// The list named as the one it succeeded (`previous_key_list`) is not: another root's,
    /// not older, or not a list it succeeds append-only.
    #[error("previous_key_list is not a list this key list succeeds: {0}")]
    BadPrevious(String),
}

/// Whether a regional server of `region` may serve `list` signed by `root`: the signature
/// verifies; the root is the one `pinned` (none yet: this root will be pinned); `list` is a
/// [`KeyList::check_successor`] of `previous`, the list served before (verified here under
/// the pinned root); and the list has a key of `region` whose secret the server holds
/// (`held`). Identical lists pass (a reload of the same file changes nothing).
pub fn check_served_list(
    pinned: Option<&VerifyingKey>,
    previous: Option<&KeyList>,
    root: &VerifyingKey,
    list: &KeyList,
    region: &str,
    held: impl Fn(&[u8; 8]) -> bool,
) -> Result<(), ServedListRefusal> {
    let body = list
        .verify(root)
        .map_err(|_| ServedListRefusal::BadSignature)?;
    if let Some(pinned) = pinned {
        if pinned != root {
            return Err(ServedListRefusal::OtherRoot {
                pinned: root_fingerprint(pinned),
                offered: root_fingerprint(root),
            });
        }
        if let Some(previous) = previous {
            let old = previous
                .verify(pinned)
                .map_err(|_| ServedListRefusal::PreviousUnverified)?;
            previous
                .check_successor(list)
                .map_err(|source| ServedListRefusal::NotSuccessor {
                    previous: old.sequence(),
                    source,
                })?;
        }
    }
    let issuer = body
        .issuers()
        .iter()
        .find(|i| i.region == region)
        .ok_or_else(|| ServedListRefusal::RegionMissing(region.to_owned()))?;
    if !issuer.keys.iter().any(|k| held(&k.key_id)) {
        return Err(ServedListRefusal::NoHeldKey(region.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MAX_ISSUING_KEYS_PER_REGION;

    const DAY: u64 = 24 * 3600;
    const PERIOD: u64 = 90 * DAY;
    const GRACE: u64 = 7 * DAY;
    const T: u64 = 1_750_000_000;

    fn pk(n: u8) -> [u8; 32] {
        [n; 32]
    }

    fn region(name: &str, n: u8, now: u64) -> IssuerEntry {
        first_entry(name, &format!("{name} health"), pk(n), now, PERIOD, GRACE).unwrap()
    }

    #[test]
    fn first_list_takes_the_entries_and_successors_merge_them() {
        let a = region("CN-A", 1, T);
        let b = region("CN-B", 2, T);
        let first = next_key_list(None, &[a.clone(), b.clone()], T).unwrap();
        assert_eq!(first.sequence(), FIRST_KEY_LIST_SEQUENCE);
        assert_eq!(first.issued_at(), T);
        assert_eq!(first.issuers(), &[a.clone(), b.clone()]);

        // Region A rotates; B is not given and stays as it was.
        let a2 = rotated_entry(&a, pk(3), T + 30 * DAY, 0, PERIOD, GRACE).unwrap();
        let second = next_key_list(Some(&first), std::slice::from_ref(&a2), T + 30 * DAY).unwrap();
        assert_eq!(second.sequence(), 2);
        assert_eq!(second.issuers(), &[a2, b.clone()]);
        first.check_successor(&second).unwrap();

        // An entry that omits a listed key keeps it; a revocation is merged; an extension is
        // not (times only shrink).
        let mut a_again = a.clone();
        a_again.keys[0].revoked = true;
        a_again.keys[0].issue_until += DAY;
        a_again.keys[0].accept_until += DAY;
        let third = next_key_list(Some(&second), &[a_again], T + 31 * DAY).unwrap();
        let keys = &third.issuers()[0].keys;
        assert_eq!(keys.len(), 2);
        assert!(keys[0].revoked);
        assert_eq!(keys[0].issue_until, a.keys[0].issue_until);
        assert_eq!(keys[0].accept_until, a.keys[0].accept_until);
        // issued_at never goes back, even with a clock behind the last signing.
        let fourth = next_key_list(Some(&third), &[], T).unwrap();
        assert_eq!((fourth.sequence(), fourth.issued_at()), (4, T + 31 * DAY));
    }

    #[test]
    fn the_root_refuses_changed_keys_duplicates_and_tagging_risks() {
        let a = region("CN-A", 1, T);
        let first = next_key_list(None, std::slice::from_ref(&a), T).unwrap();
        assert_eq!(next_key_list(None, &[], T), Err(RootSignRefusal::Empty));

        // The same key id with another issue_from: a changed key.
        let mut moved = a.clone();
        moved.keys[0].issue_from += 1;
        assert!(matches!(
            next_key_list(Some(&first), &[moved], T + 1),
            Err(RootSignRefusal::NotSuccessor { previous: 1, .. })
        ));
        // One region given twice.
        assert!(matches!(
            next_key_list(Some(&first), &[a.clone(), a.clone()], T + 1),
            Err(RootSignRefusal::Invalid(ProtocolError::DuplicateRegion(_)))
        ));
        // A look-alike of an existing region.
        let look_alike = region("cn-a", 2, T);
        assert!(matches!(
            next_key_list(Some(&first), &[look_alike], T + 1),
            Err(RootSignRefusal::Tagging(
                TaggingRisk::LookAlikeRegions { .. }
            ))
        ));
        // Three keys of one region issuing at once (an entry built by hand, past `rotate`).
        let mut three = a.clone();
        three
            .keys
            .push(new_key_entry(pk(4), T + DAY, PERIOD, GRACE));
        three
            .keys
            .push(new_key_entry(pk(5), T + 2 * DAY, PERIOD, GRACE));
        assert!(matches!(
            next_key_list(Some(&first), &[three], T + 3 * DAY),
            Err(RootSignRefusal::Tagging(TaggingRisk::TooManyInRegion {
                count: 3,
                ..
            }))
        ));
        // A key issuing for a day only.
        let mut short = a.clone();
        short.keys.push(IssuerKeyEntry::new(
            pk(6),
            T + DAY,
            T + 2 * DAY,
            T + 9 * DAY,
        ));
        assert!(matches!(
            next_key_list(Some(&first), &[short], T + 3 * DAY),
            Err(RootSignRefusal::Tagging(
                TaggingRisk::ShortIssuingPeriod { .. }
            ))
        ));
    }

    #[test]
    fn rotation_overlaps_and_allows_two_issuing_keys_only() {
        let a = region("CN-A", 1, T);
        let a2 = rotated_entry(&a, pk(2), T + 10 * DAY, 0, PERIOD, GRACE).unwrap();
        let (old, new) = (a2.keys[0], a2.keys[1]);
        assert!(new.issue_from < old.issue_until, "the periods overlap");
        assert_eq!(new.issue_until - new.issue_from, PERIOD);
        assert_eq!(MAX_ISSUING_KEYS_PER_REGION, 2);
        assert!(matches!(
            rotated_entry(&a2, pk(3), T + 11 * DAY, 0, PERIOD, GRACE),
            Err(RotationRefusal::Tagging(
                TaggingRisk::TooManyInRegion { .. }
            ))
        ));
        // Once the old key stopped issuing, the next rotation is allowed.
        rotated_entry(&a2, pk(3), old.issue_until + 1, 0, PERIOD, GRACE).unwrap();
        // The same key twice.
        assert!(matches!(
            rotated_entry(&a, pk(1), T + DAY, 0, PERIOD, GRACE),
            Err(RotationRefusal::Invalid(ProtocolError::DuplicateKeyId(_)))
        ));
        // A key period the root would refuse.
        assert!(matches!(
            first_entry("CN-A", "A", pk(1), T, DAY, GRACE),
            Err(RotationRefusal::Tagging(
                TaggingRisk::ShortIssuingPeriod { .. }
            ))
        ));
    }

    #[test]
    fn a_rotation_publishes_the_next_key_ahead_but_never_after_the_current_one_ends() {
        let a = region("CN-A", 1, T);
        let old = a.keys[0];
        // Published a day ahead: the old key goes on issuing until then.
        let a2 = rotated_entry(&a, pk(2), T + 10 * DAY, DAY, PERIOD, GRACE).unwrap();
        let new = a2.keys[1];
        assert_eq!(new.issue_from, T + 11 * DAY);
        let list = next_key_list(None, std::slice::from_ref(&a2), T + 10 * DAY).unwrap();
        let all = |_: &[u8; 8]| true;
        let none = |_: &[u8; 8]| false;
        assert_eq!(
            list.region_key("CN-A", T + 10 * DAY, all, none),
            Some(RegionKey::Issuing(&old))
        );
        assert_eq!(
            list.region_key("CN-A", T + 11 * DAY, all, none),
            Some(RegionKey::Issuing(&new))
        );
        // A lead beyond the current key's end starts the new key when the old one ends:
        // no gap without an issuing key.
        let late = rotated_entry(&a, pk(3), T + 80 * DAY, 30 * DAY, PERIOD, GRACE).unwrap();
        assert_eq!(late.keys[1].issue_from, old.issue_until);
        // Nothing issuing any more (expired): the new key starts after the lead.
        let after = rotated_entry(&a, pk(4), old.issue_until + DAY, DAY, PERIOD, GRACE).unwrap();
        assert_eq!(after.keys[1].issue_from, old.issue_until + 2 * DAY);
    }

    #[test]
    fn the_current_key_is_the_newest_issuing_held_key_of_the_region() {
        let a = region("CN-A", 1, T);
        let a2 = rotated_entry(&a, pk(2), T + 10 * DAY, 0, PERIOD, GRACE).unwrap();
        let b = region("CN-B", 3, T);
        let list = next_key_list(None, &[a2.clone(), b], T + 10 * DAY).unwrap();
        let (old, new) = (a2.keys[0], a2.keys[1]);
        let all = |_: &[u8; 8]| true;
        let none = |_: &[u8; 8]| false;
        let key = |now, held: &dyn Fn(&[u8; 8]) -> bool, here: &dyn Fn(&[u8; 8]) -> bool| {
            list.region_key("CN-A", now, held, here)
        };

        // Before the rotation only the old key issues; after it, the new one.
        assert_eq!(key(T + DAY, &all, &none), Some(RegionKey::Issuing(&old)));
        assert_eq!(
            key(T + 10 * DAY, &all, &none),
            Some(RegionKey::Issuing(&new))
        );
        // Without the new key's secret, the old key goes on issuing.
        let only_old = |id: &[u8; 8]| *id == old.key_id;
        assert_eq!(
            key(T + 20 * DAY, &only_old, &none),
            Some(RegionKey::Issuing(&old))
        );
        // The new key revoked here (not yet in a signed list): back to the old key.
        let new_revoked = |id: &[u8; 8]| *id == new.key_id;
        assert_eq!(
            key(T + 20 * DAY, &all, &new_revoked),
            Some(RegionKey::Issuing(&old))
        );
        // After the old key's period only the new key; after both, none issues.
        assert_eq!(
            key(old.issue_until + 1, &all, &none),
            Some(RegionKey::Issuing(&new))
        );
        assert_eq!(
            key(new.issue_until + 1, &all, &none),
            Some(RegionKey::NotIssuing(&new))
        );
        // Before any key starts: named, not issuing.
        assert_eq!(
            key(T - 1, &only_old, &none),
            Some(RegionKey::NotIssuing(&old))
        );
        // No held key, or a region not listed: nothing.
        assert_eq!(key(T + DAY, &none, &none), None);
        assert_eq!(list.region_key("CN-C", T + DAY, all, none), None);
        // Another region's key is never this region's, even if held.
        assert_eq!(list.region_key("CN-B", T + DAY, only_old, none), None);
    }

    #[test]
    fn a_start_is_issued_under_the_key_it_registered_for_while_that_key_issues() {
        let a = region("CN-A", 1, T);
        let a2 = rotated_entry(&a, pk(2), T + 10 * DAY, 0, PERIOD, GRACE).unwrap();
        let b = region("CN-B", 3, T);
        let list = next_key_list(None, &[a2.clone(), b.clone()], T + 10 * DAY).unwrap();
        let (old, new) = (a2.keys[0], a2.keys[1]);
        let all = |_: &[u8; 8]| true;
        let none = |_: &[u8; 8]| false;
        let now = T + 20 * DAY;
        // Both issue: the one asked for, not only the newest.
        assert_eq!(
            list.region_key_for("CN-A", Some(old.key_id), now, all, none),
            Some(RegionKey::Issuing(&old))
        );
        assert_eq!(
            list.region_key_for("CN-A", Some(new.key_id), now, all, none),
            Some(RegionKey::Issuing(&new))
        );
        // Nothing asked, or a key that does not issue now, is not held, is revoked here or
        // belongs to another region: the current key.
        let current = Some(RegionKey::Issuing(&new));
        assert_eq!(list.region_key_for("CN-A", None, now, all, none), current);
        assert_eq!(
            list.region_key_for("CN-A", Some(old.key_id), old.issue_until + 1, all, none),
            current
        );
        let only_new = |id: &[u8; 8]| *id == new.key_id;
        assert_eq!(
            list.region_key_for("CN-A", Some(old.key_id), now, only_new, none),
            current
        );
        let old_revoked = |id: &[u8; 8]| *id == old.key_id;
        assert_eq!(
            list.region_key_for("CN-A", Some(old.key_id), now, all, old_revoked),
            current
        );
        assert_eq!(
            list.region_key_for("CN-A", Some(b.keys[0].key_id), now, all, none),
            current
        );
    }

    #[test]
    fn a_server_serves_lists_of_its_pinned_root_and_region_only() {
        use ed25519_dalek::SigningKey;
        let root = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let a = region("CN-A", 1, T);
        let b = region("CN-B", 2, T);
        let first = next_key_list(None, &[a.clone(), b.clone()], T).unwrap();
        let a2 = rotated_entry(&a, pk(3), T + DAY, 0, PERIOD, GRACE).unwrap();
        let second = next_key_list(Some(&first), &[a2], T + DAY).unwrap();
        let (first, second) = (first.sign(&root), second.sign(&root));
        let r = root.verifying_key();
        let held = |id: &[u8; 8]| *id == a.keys[0].key_id;
        let check = |pinned, previous, root: &VerifyingKey, list: &KeyList, region: &str| {
            check_served_list(pinned, previous, root, list, region, held)
        };

        // First use: nothing pinned yet.
        check(None, None, &r, &first, "CN-A").unwrap();
        // The successor, and the same list again.
        check(Some(&r), Some(&first), &r, &second, "CN-A").unwrap();
        check(Some(&r), Some(&second), &r, &second, "CN-A").unwrap();
        // Going back.
        assert!(matches!(
            check(Some(&r), Some(&second), &r, &first, "CN-A"),
            Err(ServedListRefusal::NotSuccessor { previous: 2, .. })
        ));
        // Another root, even with a valid list of its own.
        let foreign = next_key_list(None, std::slice::from_ref(&a), T)
            .unwrap()
            .sign(&other);
        let o = other.verifying_key();
        assert!(matches!(
            check(Some(&r), Some(&first), &o, &foreign, "CN-A"),
            Err(ServedListRefusal::OtherRoot { .. })
        ));
        // A signature that is not the named root's.
        assert_eq!(
            check(None, None, &o, &first, "CN-A"),
            Err(ServedListRefusal::BadSignature)
        );
        // Not this region; this region without a key the server holds.
        let only_b = next_key_list(None, &[b], T).unwrap().sign(&root);
        assert_eq!(
            check(None, None, &r, &only_b, "CN-A"),
            Err(ServedListRefusal::RegionMissing("CN-A".into()))
        );
        assert_eq!(
            check(None, None, &r, &first, "CN-B"),
            Err(ServedListRefusal::NoHeldKey("CN-B".into()))
        );
    }
}
