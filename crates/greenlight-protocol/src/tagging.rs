//! The anti-tagging rules of a key list: the one check that a list cannot sort holders into
//! groups that venues would tell apart by key id (`docs/privacy.md` §2).
//!
//! A presentation shows its issuer key id, so every key that issues at the same time as another
//! splits the holders of that moment into groups, and a key that issues only briefly dates its
//! tokens more finely than the range proof lets a venue know. The list format alone allows
//! 64 regions × 32 keys; [`KeyListBody::check_anti_tagging`] bounds what a list may use of it:
//!
//! | rule | bound | why |
//! |---|---|---|
//! | keys issuing at once, per region | [`MAX_ISSUING_KEYS_PER_REGION`] = 2 | the old and the new key during a rotation |
//! | keys issuing at once, whole list | [`MAX_ISSUING_KEYS`] = 72 | a national list (34 regions) rotating all at once needs 68; a full 64-region list can rotate 8 regions at a time |
//! | issuing period of each key | ≥ [`MIN_ISSUING_PERIOD_SECS`] = 14 days | twice the longest window (168 h): no key starts and ends within one window, so a key id dates a token only relative to a region's few key changes |
//! | regions and display names | distinct after [`name_skeleton`] | `CN-GD`, `cn-gd`, `ＣＮ－ＧＤ` and `СN-GD` (Cyrillic С) are one region to a person |
//!
//! Only **live** keys count: not revoked, and still accepted at or after the instant checked
//! (`accept_until ≥ now`). A revoked or expired key no longer lets anyone tell holders apart,
//! since no venue accepts its tokens.
//!
//! The wallet applies the check before every redeem (`greenlight_wallet::issuing_key`); a root
//! signer should apply it before signing, with its signing time. It is not a decoding rule:
//! venues accept what the root signed (refusing a whole list at the door would stop every
//! visitor), and decoding must not depend on Unicode tables that differ between versions.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use crate::error::TaggingRisk;
use crate::keylist::{IssuerKeyEntry, KeyListBody};

/// Most keys of one region that may issue at the same instant: the outgoing and the incoming
/// key of a rotation. More would let the region's issuer hand each group of residents its own
/// key.
pub const MAX_ISSUING_KEYS_PER_REGION: usize = 2;

/// Most keys of the whole list that may issue at the same instant. A national list of 34
/// regions (China's provincial-level divisions) that rotates every region on the same public
/// date needs 68; 72 leaves a little room, and lets a full list of 64 regions rotate 8 of them
/// at a time. Without this bound, 64 regions × 2 keys would allow 128 groups — and an issuer
/// can name a key of any region as its issuing key, so the whole list is what a holder's first
/// redeem can be sorted by (later redeems are held to the profile's pinned region).
pub const MAX_ISSUING_KEYS: usize = 72;

/// Shortest issuing period (`issue_until − issue_from`) of a live key: 14 days, twice the
/// longest standard window (168 h). A venue with window `W` sees tokens issued in the last `W`
/// hours; a key that issues for at least `2·W` cannot both start and end within them, so the
/// key id only tells on which side of a region's key changes a token was issued (for an
/// honest rotation, "before or after the last rotation") — where a one-hour key would tell
/// the very hour that the range proof hides.
pub const MIN_ISSUING_PERIOD_SECS: u64 = 14 * 24 * 3600;

// At least twice the longest standard window.
const _: () = {
    let windows = greenlight_wire::STANDARD_WINDOWS_HOURS;
    let longest = windows[windows.len() - 1] as u64;
    assert!(MIN_ISSUING_PERIOD_SECS >= 2 * longest * 3600);
};

/// The form in which two names are compared for look-alikes: Unicode NFKC (full-width and
/// compatibility forms to their plain letters), lowercase, NFKC again, then only letters and
/// digits kept (white space, separators, punctuation, invisible and combining marks dropped),
/// with the Cyrillic and Greek letters that look like Latin ones (`а`, `о`, `р`, `ο`, `ν`, …)
/// and the digits `0`, `1` mapped to the Latin letters they resemble. So `CN-GD`, `cn gd`,
/// `ＣＮ－ＧＤ` and `СN-GD` (Cyrillic С) all become `cngd`.
///
/// A deliberately small subset of the Unicode confusables skeleton (UTS #39): it catches what
/// a key-list signer can slip past a person reading a list, and is only ever used to refuse a
/// list, so matching too much errs on the safe side.
pub fn name_skeleton(name: &str) -> String {
    let lowered: String = name.nfkc().flat_map(char::to_lowercase).collect();
    lowered
        .nfkc()
        .filter(|c| c.is_alphanumeric())
        .map(latin_look_alike)
        .collect()
}

/// The Latin letter a lowercase Cyrillic or Greek letter (or the digit 0 or 1) is mistaken for.
fn latin_look_alike(c: char) -> char {
    match c {
        // Cyrillic (the lowercase forms of both the lowercase and the capital look-alikes).
        'а' => 'a',
        'в' => 'b',
        'ԁ' => 'd',
        'е' => 'e',
        'һ' | 'н' => 'h',
        'і' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'о' => 'o',
        'р' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' => 't',
        'у' | 'ү' => 'y',
        'ԝ' => 'w',
        'х' => 'x',
        'с' => 'c',
        // Greek.
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ζ' => 'z',
        'η' => 'h',
        'ι' => 'i',
        'κ' => 'k',
        'μ' => 'm',
        'ν' => 'n',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'y',
        'χ' => 'x',
        // Latin letters and digits that pass for others.
        'ı' => 'i',
        '0' => 'o',
        '1' => 'l',
        other => other,
    }
}

impl KeyListBody {
    /// Checks the anti-tagging rules of the [module](crate::tagging) for the keys live at
    /// `now_unix` (not revoked, `accept_until ≥ now_unix`): regions and display names unique
    /// after [`name_skeleton`] and not empty there; every live key issuing for at least
    /// [`MIN_ISSUING_PERIOD_SECS`]; at no instant more than [`MAX_ISSUING_KEYS_PER_REGION`] live
    /// keys of a region, nor [`MAX_ISSUING_KEYS`] of the whole list, issuing together
    /// (`issue_from ≤ t ≤ issue_until`, both ends included).
    ///
    /// The one copy of these rules: the wallet applies it before redeeming, a root signer
    /// before signing (with its signing time).
    pub fn check_anti_tagging(&self, now_unix: u64) -> Result<(), TaggingRisk> {
        self.check_names()?;
        let live = |k: &&IssuerKeyEntry| !k.revoked && k.accept_until >= now_unix;
        for issuer in self.issuers() {
            for key in issuer.keys.iter().filter(live) {
                let seconds = key.issue_until - key.issue_from;
                if seconds < MIN_ISSUING_PERIOD_SECS {
                    return Err(TaggingRisk::ShortIssuingPeriod {
                        region: issuer.region.clone(),
                        key_id: key.key_id,
                        seconds,
                        min: MIN_ISSUING_PERIOD_SECS,
                    });
                }
            }
        }
        for issuer in self.issuers() {
            let (count, at) = most_at_once(issuer.keys.iter().filter(live));
            if count > MAX_ISSUING_KEYS_PER_REGION {
                return Err(TaggingRisk::TooManyInRegion {
                    region: issuer.region.clone(),
                    count,
                    max: MAX_ISSUING_KEYS_PER_REGION,
                    at,
                });
            }
        }
        let (count, at) = most_at_once(
            self.issuers()
                .iter()
                .flat_map(|i| i.keys.iter())
                .filter(live),
        );
        if count > MAX_ISSUING_KEYS {
            return Err(TaggingRisk::TooManyInList {
                count,
                max: MAX_ISSUING_KEYS,
                at,
            });
        }
        Ok(())
    }

    /// Regions and display names: each has a letter or digit, and no two issuers share one
    /// after [`name_skeleton`].
    fn check_names(&self) -> Result<(), TaggingRisk> {
        let mut regions: BTreeMap<String, &str> = BTreeMap::new();
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        for issuer in self.issuers() {
            let region = name_skeleton(&issuer.region);
            if region.is_empty() {
                return Err(TaggingRisk::Unreadable {
                    field: "region",
                    value: issuer.region.clone(),
                });
            }
            let name = name_skeleton(&issuer.display_name);
            if name.is_empty() {
                return Err(TaggingRisk::Unreadable {
                    field: "display name",
                    value: issuer.display_name.clone(),
                });
            }
            if let Some(first) = regions.insert(region, &issuer.region) {
                return Err(TaggingRisk::LookAlikeRegions {
                    first: first.to_owned(),
                    second: issuer.region.clone(),
                });
            }
            if let Some(first) = names.insert(name, &issuer.display_name) {
                return Err(TaggingRisk::LookAlikeNames {
                    first: first.to_owned(),
                    second: issuer.display_name.clone(),
                });
            }
        }
        Ok(())
    }
}

/// The most of `keys` whose issuing periods (both ends included) cover one instant, and the
/// first instant where that many do (0 when `keys` is empty).
fn most_at_once<'a>(keys: impl Iterator<Item = &'a IssuerKeyEntry>) -> (usize, u64) {
    // +1 when a period starts, −1 the second after it ends; at equal times the ends go first,
    // so a key ending at t − 1 and one starting at t never count as issuing together.
    let mut events: Vec<(u64, i8)> = Vec::new();
    for key in keys {
        events.push((key.issue_from, 1));
        if let Some(end) = key.issue_until.checked_add(1) {
            events.push((end, -1));
        }
    }
    events.sort_unstable();
    let (mut now, mut most, mut at) = (0usize, 0usize, 0u64);
    for (t, delta) in events {
        if delta > 0 {
            now += 1;
            if now > most {
                most = now;
                at = t;
            }
        } else {
            now = now.saturating_sub(1);
        }
    }
    (most, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_fold_width_case_separators_and_look_alike_letters() {
        for same in [
            "CN-GD",
            "cn-gd",
            "CN GD",
            "CN_GD",
            "C.N.G.D",
            "ＣＮ－ＧＤ",
            "\u{0421}N-GD",  // Cyrillic capital Es
            "CN-G\u{00AD}D", // soft hyphen
            "CN-G\u{2060}D", // word joiner
        ] {
            assert_eq!(name_skeleton(same), "cngd", "{same:?}");
        }
        assert_eq!(name_skeleton("\u{0397}\u{039A}"), "hk"); // Greek Eta, Kappa
        assert_eq!(name_skeleton("SG-01"), name_skeleton("SG-OL"));
        assert_eq!(
            name_skeleton("广东省卫生健康委员会"),
            "广东省卫生健康委员会"
        );
        assert_eq!(
            name_skeleton("Ｇｕａｎｇｄｏｎｇ Health"),
            "guangdonghealth"
        );
        assert_eq!(name_skeleton("-- --"), "");
        // Different letters, and letters with different accents, stay apart.
        assert_ne!(name_skeleton("CN-GD"), name_skeleton("CN-GX"));
        assert_ne!(name_skeleton("CN-G\u{0414}"), "cngd"); // Cyrillic De
        assert_ne!(name_skeleton("Sao Paulo"), name_skeleton("São Paulo"));
    }

    fn key(from: u64, until: u64) -> IssuerKeyEntry {
        IssuerKeyEntry::new([1; 32], from, until, until)
    }

    #[test]
    fn most_at_once_counts_closed_intervals() {
        assert_eq!(most_at_once([].iter()), (0, 0));
        let keys = [key(0, 9), key(10, 19), key(20, 29)];
        assert_eq!(most_at_once(keys.iter()), (1, 0));
        let keys = [key(0, 10), key(10, 19), key(5, 12)];
        assert_eq!(most_at_once(keys.iter()), (3, 10));
        let keys = [key(0, u64::MAX), key(u64::MAX, u64::MAX)];
        assert_eq!(most_at_once(keys.iter()), (2, u64::MAX));
    }
}
