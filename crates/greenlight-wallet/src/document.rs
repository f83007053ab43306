//! The wallet document: the pinned root, the verified key list, and per profile a holder
//! secret and the unused tokens. Its JSON form is `wallet.json` (`docs/api.md`, "Client
//! state"); the web app stores the same document in IndexedDB.
//!
//! Secrets (holder secrets, token openings, the serialized document) live in `Zeroizing`
//! buffers and are never printed: [`WalletDocument::status`] reports counts, colours and ages.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use greenlight_acl::Token;
use greenlight_api::WitnessCosignature;
use greenlight_protocol::{Cosignature, Status, VenueCode, WitnessPolicy};
use greenlight_venue::{
    cosignature_json, parse_cosignatures, ConfigError, TrustedKeyList, WitnessPolicyFile,
};
use greenlight_wire::hour_of;
use greenlight_wire::lengths::{MAX_REGION_LEN, MIN_REGION_LEN};
use greenlight_wire::reader::validate_string;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::WalletError;
use crate::present::Withdrawal;
use crate::profile::{validate_profile, HolderSecret};
use crate::select::{oldest, select_token, NoToken};

/// The document's format version.
pub const WALLET_FORMAT_VERSION: u32 = 1;
/// Largest document accepted: 64 profiles × 64 tokens × ~0.8 KB is ~3 MB; anything much
/// larger is not a wallet.
pub const MAX_WALLET_JSON: usize = 32 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct WalletJson {
    version: u32,
    /// Hex of the pinned Ed25519 root key.
    root_public_key: String,
    /// `GLK1:` text of the verified key list.
    key_list: String,
    /// `GLK1:` text of the list `key_list` succeeded, when known
    /// ([`TrustedKeyList::with_previous`]); absent in wallets written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous_key_list: Option<String>,
    /// The witness policy key lists must satisfy (spec §7.6), as in `venue.json`; absent
    /// when the resident named none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    witnesses: Option<WitnessPolicyFile>,
    /// The cosignatures of `key_list` that passed when it was accepted (the last checkpoint).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cosignatures: Vec<WitnessCosignature>,
    profiles: BTreeMap<String, ProfileJson>,
}

#[derive(Serialize, Deserialize)]
struct ProfileJson {
    /// Hex of the 32-byte holder secret `k`.
    holder: Zeroizing<String>,
    /// Unpadded base64url of each unused token's wire bytes.
    tokens: Vec<Zeroizing<String>>,
    /// The region the profile redeems in ([`crate::check_region_pin`]); absent until its
    /// first redeem (and in wallets written before pins existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
}

/// A wallet document, checked: the key list verifies under the pinned root, every profile
/// name is valid, every holder secret and token decodes.
pub struct WalletDocument {
    trust: TrustedKeyList,
    profiles: BTreeMap<String, Profile>,
    witnesses: Option<WitnessPolicy>,
    cosignatures: Vec<Cosignature>,
}

struct Profile {
    holder: HolderSecret,
    tokens: Vec<Token>,
    region: Option<String>,
}

/// Tokens of one colour and age.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenGroup {
    /// The colour (`None` for a status byte this version does not know).
    pub status: Option<Status>,
    /// Whole hours since issuance.
    pub age_hours: u64,
    /// How many.
    pub count: usize,
}

/// One profile in [`WalletStatus`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileStatus {
    /// The profile's name.
    pub name: String,
    /// Its unused tokens.
    pub total: usize,
    /// By colour and age, oldest first within a colour.
    pub groups: Vec<TokenGroup>,
}

/// What a wallet shows about itself. Never contains secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletStatus {
    /// The pinned root's fingerprint.
    pub root_fingerprint: String,
    /// The held key list's sequence number.
    pub key_list_sequence: u64,
    /// Every profile, by name.
    pub profiles: Vec<ProfileStatus>,
}

impl WalletDocument {
    /// An empty wallet trusting `trust`.
    pub fn new(trust: TrustedKeyList) -> Self {
        WalletDocument {
            trust,
            profiles: BTreeMap::new(),
            witnesses: None,
            cosignatures: Vec::new(),
        }
    }

    /// Parses and checks the JSON form.
    pub fn from_json(json: &[u8]) -> Result<Self, WalletError> {
        if json.len() > MAX_WALLET_JSON {
            return Err(WalletError::Corrupt(format!(
                "larger than {MAX_WALLET_JSON} bytes"
            )));
        }
        let doc: WalletJson = serde_json::from_slice(json)
            .map_err(|e| WalletError::Corrupt(format!("not a wallet document: {e}")))?;
        if doc.version != WALLET_FORMAT_VERSION {
            return Err(WalletError::Corrupt(format!(
                "unsupported version {}",
                doc.version
            )));
        }
        let trust = TrustedKeyList::from_stored(
            &doc.root_public_key,
            &doc.key_list,
            doc.previous_key_list.as_deref(),
        )
        .map_err(|e| WalletError::Corrupt(format!("pinned key list: {e}")))?;
        let witnesses = doc
            .witnesses
            .as_ref()
            .map(WitnessPolicyFile::to_policy)
            .transpose()
            .map_err(|e| WalletError::Corrupt(format!("witnesses: {e}")))?;
        let cosignatures = parse_cosignatures(&doc.cosignatures);
        let mut profiles = BTreeMap::new();
        for (name, p) in doc.profiles {
            validate_profile(&name).map_err(|_| WalletError::Corrupt("a profile name".into()))?;
            let tokens = p
                .tokens
                .iter()
                .map(|t| decode_token(t))
                .collect::<Result<Vec<_>, _>>()?;
            let holder = HolderSecret::from_hex(&p.holder)?;
            if let Some(region) = &p.region {
                validate_string("region", region, MIN_REGION_LEN, MAX_REGION_LEN)
                    .map_err(|_| WalletError::Corrupt(format!("the region of profile {name:?}")))?;
            }
            profiles.insert(
                name,
                Profile {
                    holder,
                    tokens,
                    region: p.region,
                },
            );
        }
        Ok(WalletDocument {
            trust,
            profiles,
            witnesses,
            cosignatures,
        })
    }

    /// The JSON form (pretty, so a curious resident can look; secrets wiped after use).
    pub fn to_json(&self) -> Result<Zeroizing<Vec<u8>>, WalletError> {
        let doc = WalletJson {
            version: WALLET_FORMAT_VERSION,
            root_public_key: self.trust.root_hex(),
            key_list: self.trust.key_list_text(),
            previous_key_list: self.trust.previous_key_list_text(),
            witnesses: self.witnesses.as_ref().map(WitnessPolicyFile::from_policy),
            cosignatures: self.cosignatures.iter().map(cosignature_json).collect(),
            profiles: self
                .profiles
                .iter()
                .map(|(name, p)| {
                    (
                        name.clone(),
                        ProfileJson {
                            holder: p.holder.to_hex(),
                            tokens: p.tokens.iter().map(encode_token).collect(),
                            region: p.region.clone(),
                        },
                    )
                })
                .collect(),
        };
        // Plain strings and maps: this cannot fail, but if it ever did, the caller must not
        // write (an empty file would lose every holder secret and token).
        serde_json::to_vec_pretty(&doc)
            .map(Zeroizing::new)
            .map_err(|e| WalletError::Encode(e.to_string()))
    }

    /// The pinned root and verified key list.
    pub fn trust(&self) -> &TrustedKeyList {
        &self.trust
    }

    /// Replaces the key list if `newer` is a valid update ([`TrustedKeyList::updated_to`]:
    /// same root, append-only successor; the list held so far becomes the previous one when
    /// `newer` does not name it).
    pub fn update_trust(&mut self, newer: TrustedKeyList) -> Result<(), ConfigError> {
        let updated = self.trust.updated_to(newer)?;
        if updated.key_list() != self.trust.key_list() {
            // The held checkpoint names the old list: it vouches for nothing now.
            self.cosignatures.clear();
        }
        self.trust = updated;
        Ok(())
    }

    /// The witness policy every key list this wallet accepts must satisfy
    /// ([`greenlight_venue::accept_keys`] with it), if the resident named one.
    pub fn witnesses(&self) -> Option<&WitnessPolicy> {
        self.witnesses.as_ref()
    }

    /// Requires `policy` of the key lists accepted from now on (`None`: none).
    pub fn set_witnesses(&mut self, policy: Option<WitnessPolicy>) {
        self.witnesses = policy;
    }

    /// The cosignatures of the held list kept when it was accepted.
    pub fn cosignatures(&self) -> &[Cosignature] {
        &self.cosignatures
    }

    /// Keeps `cosignatures` (what `accept_keys` checked for the list just accepted) as the
    /// last checkpoint.
    pub fn set_cosignatures(&mut self, cosignatures: Vec<Cosignature>) {
        self.cosignatures = cosignatures;
    }

    /// The holder secret of `profile`, if the profile exists.
    pub fn holder_secret(&self, profile: &str) -> Option<&HolderSecret> {
        self.profiles.get(profile).map(|p| &p.holder)
    }

    /// Whether `profile` exists.
    pub fn has_profile(&self, profile: &str) -> bool {
        self.profiles.contains_key(profile)
    }

    /// The names of the profiles, sorted.
    pub fn profile_names(&self) -> Vec<String> {
        self.profiles.keys().cloned().collect()
    }

    /// The region `profile` redeems in, if it has redeemed since pins exist
    /// ([`crate::check_region_pin`]).
    pub fn pinned_region(&self, profile: &str) -> Option<&str> {
        self.profiles.get(profile)?.region.as_deref()
    }

    /// Adds verified tokens to `profile`, creating it with `holder` if it is new (an existing
    /// profile keeps its secret: the tokens were registered under it), and pins the profile to
    /// the region of the tokens' issuer in the held key list — the region the caller checked
    /// with [`crate::check_region_pin`] before redeeming. Returns the profile's token count.
    pub fn add_tokens(
        &mut self,
        profile: &str,
        holder: HolderSecret,
        tokens: Vec<Token>,
    ) -> Result<usize, WalletError> {
        validate_profile(profile)?;
        let region = tokens.first().and_then(|t| {
            self.trust
                .body()
                .find_key(&t.key_id().0)
                .map(|(issuer, _)| issuer.region.clone())
        });
        let entry = self
            .profiles
            .entry(profile.to_owned())
            .or_insert_with(|| Profile {
                holder,
                tokens: Vec::new(),
                region: None,
            });
        entry.tokens.extend(tokens);
        if region.is_some() {
            entry.region = region;
        }
        Ok(entry.tokens.len())
    }

    /// The unused tokens of `profile`, if it exists.
    pub(crate) fn tokens(&self, profile: &str) -> Option<&[Token]> {
        self.profiles.get(profile).map(|p| p.tokens.as_slice())
    }

    /// Adds an empty profile with `holder` as its secret (a family member who has no tokens
    /// yet). `false` (and nothing changed) if the name is taken.
    pub fn add_profile(
        &mut self,
        profile: &str,
        holder: HolderSecret,
    ) -> Result<bool, WalletError> {
        validate_profile(profile)?;
        if self.has_profile(profile) {
            return Ok(false);
        }
        self.profiles.insert(
            profile.to_owned(),
            Profile {
                holder,
                tokens: Vec::new(),
                region: None,
            },
        );
        Ok(true)
    }

    /// Renames a profile, keeping its secret, tokens and region pin. `false` (and nothing
    /// changed) if `to` is taken.
    pub fn rename_profile(&mut self, from: &str, to: &str) -> Result<bool, WalletError> {
        validate_profile(to)?;
        if !self.has_profile(from) {
            return Err(WalletError::UnknownProfile {
                profile: from.to_owned(),
                profiles: self.profile_names(),
            });
        }
        if from == to {
            return Ok(true);
        }
        if self.has_profile(to) {
            return Ok(false);
        }
        let Some(p) = self.profiles.remove(from) else {
            return Ok(false);
        };
        self.profiles.insert(to.to_owned(), p);
        Ok(true)
    }

    /// Removes a profile with its secret and tokens (gone for good: they cannot be re-issued).
    /// Returns how many tokens went with it.
    pub fn remove_profile(&mut self, profile: &str) -> Result<usize, WalletError> {
        self.profiles
            .remove(profile)
            .map(|p| p.tokens.len())
            .ok_or_else(|| WalletError::UnknownProfile {
                profile: profile.to_owned(),
                profiles: self.profile_names(),
            })
    }

    /// Unused tokens in `profile` (0 if it does not exist).
    pub fn token_count(&self, profile: &str) -> usize {
        self.profiles.get(profile).map_or(0, |p| p.tokens.len())
    }

    /// Counts by profile, colour and age (hours since issuance) at `now_unix`.
    pub fn status(&self, now_unix: u64) -> WalletStatus {
        let now_hour = u64::from(hour_of(now_unix));
        let profiles = self
            .profiles
            .iter()
            .map(|(name, p)| {
                let mut groups: BTreeMap<(u8, u64), usize> = BTreeMap::new();
                for t in &p.tokens {
                    let age = now_hour.saturating_sub(u64::from(t.attributes().time_hours));
                    *groups.entry((t.attributes().status, age)).or_default() += 1;
                }
                ProfileStatus {
                    name: name.clone(),
                    total: p.tokens.len(),
                    groups: groups
                        .into_iter()
                        .map(|((status, age_hours), count)| TokenGroup {
                            status: Status::from_u8(status).ok(),
                            age_hours,
                            count,
                        })
                        .collect(),
                }
            })
            .collect();
        WalletStatus {
            root_fingerprint: self.trust.fingerprint(),
            key_list_sequence: self.trust.body().sequence(),
            profiles,
        }
    }

    /// Takes the token to show `venue` at `now_unix` out of `profile` ([`select_token`]) and
    /// returns what its proof needs; [`crate::present()`] saves the document, then proves.
    pub fn withdraw_for_venue(
        &mut self,
        profile: &str,
        venue: &VenueCode,
        now_unix: u64,
    ) -> Result<Withdrawal, WalletError> {
        validate_profile(profile)?;
        if !self.has_profile(profile) {
            return Err(WalletError::UnknownProfile {
                profile: profile.to_owned(),
                profiles: self.profile_names(),
            });
        }
        let accepted = self.trust.accepted_keys(now_unix);
        let entry = self
            .profiles
            .get_mut(profile)
            .ok_or(WalletError::NoToken(NoToken::Empty))?;
        let chosen = select_token(&entry.tokens, &accepted, venue.window_hours(), now_unix)?;
        let public_key = accepted
            .get(&entry.tokens[chosen].key_id())
            .ok_or(WalletError::NoToken(NoToken::NoneAcceptedKey))?
            .public_key()
            .clone();
        let token = entry.tokens.remove(chosen);
        let key_list = self.trust.presenting_digest(now_unix);
        let context = Withdrawal::context_for(&token, venue, now_unix, key_list);
        Ok(Withdrawal {
            token,
            public_key,
            context,
            tokens_left: entry.tokens.len(),
        })
    }

    /// [`Self::withdraw_for_venue`] for asynchronous storage: the token leaves this document,
    /// and the returned [`crate::PendingPresentation`] carries the document's encoding without
    /// it, to be stored before the proof is made.
    pub fn withdraw_pending(
        &mut self,
        profile: &str,
        venue: &VenueCode,
        now_unix: u64,
    ) -> Result<crate::PendingPresentation, WalletError> {
        let withdrawal = self.withdraw_for_venue(profile, venue, now_unix)?;
        let document = self.to_json()?;
        Ok(crate::PendingPresentation {
            withdrawal,
            document,
        })
    }

    /// Takes the oldest token of `profile` out, whatever it is: for tools and demonstrations
    /// that build proofs themselves. The token counts as spent.
    pub fn withdraw_oldest(&mut self, profile: &str) -> Result<Option<Token>, WalletError> {
        validate_profile(profile)?;
        let Some(entry) = self.profiles.get_mut(profile) else {
            return Ok(None);
        };
        Ok(oldest(&entry.tokens).map(|i| entry.tokens.remove(i)))
    }
}

impl core::fmt::Debug for WalletDocument {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WalletDocument")
            .field("root_fingerprint", &self.trust.fingerprint())
            .field("profiles", &self.profiles.len())
            .finish_non_exhaustive()
    }
}

fn encode_token(token: &Token) -> Zeroizing<String> {
    Zeroizing::new(URL_SAFE_NO_PAD.encode(token.to_bytes().as_slice()))
}

fn decode_token(text: &str) -> Result<Token, WalletError> {
    let bytes = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| WalletError::Corrupt("a token is not valid base64".into()))?,
    );
    Token::from_bytes(&bytes).map_err(|e| WalletError::Corrupt(format!("a token: {e}")))
}
