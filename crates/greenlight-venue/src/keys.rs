//! The pinned root with its verified key list, the issuer keys accepted at an instant, and how
//! a root comes to be pinned: from the operator ([`RootPin`]) or on first use, which
//! [`check_first_use`] allows only where the network cannot swap the root.

use std::collections::BTreeMap;

use greenlight_acl::{IssuerPublicKey, KeyId};
use greenlight_api::is_loopback_host;
use greenlight_circuits::IssuerKeys;
use greenlight_circuits::KeyListDigest;
use greenlight_protocol::{
    root_fingerprint, verifying_key_from_bytes, IssuerKeyEntry, KeyList, KeyListBody,
    SuccessorViolation, VerifyingKey, KEY_LIST_SETTLE_SECS, KEY_START_TOLERANCE_SECS,
};
use greenlight_wire::ids;
use greenlight_wire::lengths::ROOT_FINGERPRINT_LEN;
use greenlight_wire::text::to_hex;

use crate::error::ConfigError;
use crate::setup::canonical_server_url;

/// A pinned Ed25519 root and a key list whose signature verifies under it (`verify_strict`),
/// with the list it succeeded when that is known.
///
/// The only way to build one is [`TrustedKeyList::new`] / [`TrustedKeyList::from_text`],
/// which check the signature, so holding a `TrustedKeyList` means holding a verified list.
///
/// **The previous list** ([`TrustedKeyList::with_previous`]) is what lets version-2
/// presentations (spec §5.2, §7.3) pass while wallets and venues update at different times: a
/// venue accepts proofs bound to its current list or to the previous one
/// ([`TrustedKeyList::key_list_digests`]), and a wallet binds the previous one until its
/// current list has settled ([`TrustedKeyList::presenting_digest`]).
#[derive(Clone, Debug)]
pub struct TrustedKeyList {
    root_bytes: [u8; 32],
    root: VerifyingKey,
    key_list: KeyList,
    /// Verified under the same root, with a lower sequence, and `key_list` is its append-only
    /// successor.
    previous: Option<KeyList>,
}

impl PartialEq for TrustedKeyList {
    fn eq(&self, other: &Self) -> bool {
        let bytes = |l: &Option<KeyList>| l.as_ref().map(KeyList::to_bytes);
        self.root_bytes == other.root_bytes
            && self.key_list.to_bytes() == other.key_list.to_bytes()
            && bytes(&self.previous) == bytes(&other.previous)
    }
}
impl Eq for TrustedKeyList {}

impl TrustedKeyList {
    /// Check `key_list` under the root `root_bytes` (a strict Ed25519 key).
    pub fn new(root_bytes: [u8; 32], key_list: KeyList) -> Result<Self, ConfigError> {
        let root = verifying_key_from_bytes(&root_bytes).map_err(|_| ConfigError::BadRootKey)?;
        key_list
            .verify(&root)
            .map_err(|_| ConfigError::KeyListSignature)?;
        Ok(Self {
            root_bytes,
            root,
            key_list,
            previous: None,
        })
    }

    /// This list with `previous` recorded as the list it succeeded: `previous` must verify
    /// under the same root, be its **immediate** predecessor (sequence one lower: the root
    /// numbers its lists without gaps), and this list must be its append-only successor
    /// ([`KeyList::check_successor`]). A `previous` with this list's own sequence (the same
    /// list, by the successor rule) records nothing.
    pub fn with_previous(mut self, previous: KeyList) -> Result<Self, ConfigError> {
        previous
            .verify(&self.root)
            .map_err(|_| ConfigError::KeyListSignature)?;
        previous
            .check_successor(&self.key_list)
            .map_err(ConfigError::NotASuccessor)?;
        let (old, new) = (
            previous.unverified_body().sequence(),
            self.body().sequence(),
        );
        if old == new {
            return Ok(self);
        }
        if old.checked_add(1) != Some(new) {
            return Err(not_the_predecessor(old, new));
        }
        self.previous = Some(previous);
        Ok(self)
    }

    /// [`TrustedKeyList::with_previous`] for a list a server named (`previous_key_list` of
    /// `GET /v1/keys`): one that does not decode or pass is dropped, not an error — the new
    /// list itself (a revocation, say) must not be refused because of its companion — and
    /// the client falls back to the list it held ([`TrustedKeyList::updated_to`]).
    pub fn with_served_previous(self, previous_text: Option<&str>) -> Self {
        let Some(previous) = previous_text.and_then(|t| KeyList::from_text(t).ok()) else {
            return self;
        };
        let fallback = self.clone();
        self.with_previous(previous).unwrap_or(fallback)
    }

    /// [`TrustedKeyList::from_text`] with the stored previous list (`GLK1:` text), if any.
    pub fn from_stored(
        root_hex: &str,
        key_list_text: &str,
        previous_text: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let trust = Self::from_text(root_hex, key_list_text)?;
        match previous_text {
            None => Ok(trust),
            Some(text) => {
                let previous = KeyList::from_text(text).map_err(ConfigError::BadKeyList)?;
                trust.with_previous(previous)
            }
        }
    }

    /// `newer`, to be held instead of this list, after [`TrustedKeyList::check_update`], with
    /// the list it succeeded settled so that no server can roll it back or swap it:
    ///
    /// * the same list again keeps the previous list known here (or takes the one `newer`
    ///   names, if none was known);
    /// * the next list (sequence one higher): its previous list is this one — a different
    ///   one named by the server is a fork, refused;
    /// * a later list: the one `newer` names (checked by [`TrustedKeyList::with_previous`]),
    ///   else none — the list held here is older than its predecessor.
    pub fn updated_to(&self, newer: TrustedKeyList) -> Result<TrustedKeyList, ConfigError> {
        self.check_update(&newer)?;
        let (held, offered) = (self.body().sequence(), newer.body().sequence());
        if offered == held {
            let previous = self.previous.clone().or(newer.previous);
            return Ok(TrustedKeyList { previous, ..newer });
        }
        if offered.checked_sub(1) == Some(held) {
            if let Some(named) = &newer.previous {
                if named != &self.key_list {
                    return Err(not_the_predecessor(
                        named.unverified_body().sequence(),
                        offered,
                    ));
                }
            }
            return newer.with_previous(self.key_list.clone());
        }
        Ok(newer)
    }

    /// From the stored forms: 64 hex digits of the root, and the `GLK1:` text of the list.
    pub fn from_text(root_hex: &str, key_list_text: &str) -> Result<Self, ConfigError> {
        let root_bytes = parse_root_hex(root_hex)?;
        // Decoding the root before the list gives a damaged root its own error.
        verifying_key_from_bytes(&root_bytes).map_err(|_| ConfigError::BadRootKey)?;
        let key_list = KeyList::from_text(key_list_text).map_err(ConfigError::BadKeyList)?;
        Self::new(root_bytes, key_list)
    }

    /// The check every replacement of a held list must pass (`venue sync`, the wallet's key
    /// refresh, the browser page loading a new `venue.json`): the same root, and an
    /// append-only successor of the list held ([`KeyList::check_successor`]) — so an older or
    /// forked list can never undo a key revocation or swap a key under a known id.
    pub fn check_update(&self, newer: &TrustedKeyList) -> Result<(), ConfigError> {
        if newer.root_bytes != self.root_bytes {
            return Err(ConfigError::RootChanged);
        }
        self.key_list
            .check_successor(&newer.key_list)
            .map_err(ConfigError::NotASuccessor)
    }

    pub fn root_bytes(&self) -> [u8; 32] {
        self.root_bytes
    }
    /// Hex of the 32-byte root key, as stored.
    pub fn root_hex(&self) -> String {
        hex::encode(self.root_bytes)
    }
    pub fn root(&self) -> &VerifyingKey {
        &self.root
    }
    /// The root's fingerprint for humans.
    pub fn fingerprint(&self) -> String {
        root_fingerprint(&self.root)
    }
    pub fn key_list(&self) -> &KeyList {
        &self.key_list
    }
    /// The signed list (`GLK1:` text), as stored.
    pub fn key_list_text(&self) -> String {
        self.key_list.to_text()
    }
    /// The list's content (verified: see the type's docs).
    pub fn body(&self) -> &KeyListBody {
        self.key_list.unverified_body()
    }
    /// The list this one succeeded, when known ([`TrustedKeyList::with_previous`]).
    pub fn previous_key_list(&self) -> Option<&KeyList> {
        self.previous.as_ref()
    }
    /// The previous list as stored (`GLK1:` text).
    pub fn previous_key_list_text(&self) -> Option<String> {
        self.previous.as_ref().map(KeyList::to_text)
    }

    /// The key-list digests a venue accepts version-2 presentations under, in the order it
    /// tries them: its current list, then the previous one (spec §5.5 step 9).
    pub fn key_list_digests(&self) -> Vec<KeyListDigest> {
        std::iter::once(&self.key_list)
            .chain(self.previous.as_ref())
            .map(KeyList::digest)
            .collect()
    }

    /// The key-list digest a wallet binds its presentations to at `now_unix` (spec §7.3):
    /// its current list once the list has *settled* — [`KEY_LIST_SETTLE_SECS`] after its
    /// `issued_at` — and until then the previous list, if known. Venues fetch the list at
    /// least that often, so whichever list a venue holds, current or previous, includes the
    /// one bound; a wallet that has just updated does not depend on the venue having done so.
    ///
    /// A list dated further ahead of the wallet's clock than [`KEY_START_TOLERANCE_SECS`]
    /// counts as settled: a root cannot keep wallets on the previous list (and so hide a
    /// private current one) by dating the current one in the future.
    pub fn presenting_digest(&self, now_unix: u64) -> KeyListDigest {
        let issued_at = self.body().issued_at();
        let settled = now_unix >= issued_at.saturating_add(KEY_LIST_SETTLE_SECS)
            || issued_at > now_unix.saturating_add(KEY_START_TOLERANCE_SECS);
        match &self.previous {
            Some(previous) if !settled => previous.digest(),
            _ => self.key_list.digest(),
        }
    }

    /// The issuer keys accepted at `now_unix` ([`AcceptedKeys::new`]).
    pub fn accepted_keys(&self, now_unix: u64) -> AcceptedKeys {
        AcceptedKeys::new(self.body(), now_unix)
    }
}

fn not_the_predecessor(previous: u64, sequence: u64) -> ConfigError {
    ConfigError::NotASuccessor(greenlight_protocol::ProtocolError::Successor(
        SuccessorViolation::NotThePredecessor { previous, sequence },
    ))
}

/// Parse 64 hex digits (surrounding white space ignored) as a strict Ed25519 public key.
pub fn parse_root_hex(s: &str) -> Result<[u8; 32], ConfigError> {
    let bytes: [u8; 32] = hex::decode(s.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ConfigError::BadRootKey)?;
    verifying_key_from_bytes(&bytes).map_err(|_| ConfigError::BadRootKey)?;
    Ok(bytes)
}

/// A root the operator names (`--root`): the key itself (64 hex digits) or its fingerprint
/// (32 hex digits, [`root_fingerprint`]: what an authority publishes and `greenlight-server`
/// prints). A fingerprint is 128 bits of a hash of the key, so finding another key with the
/// same fingerprint is a 2^128 search: pinning by it is as good as pinning the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootPin {
    /// The Ed25519 root key (strict: canonical and not of small order).
    Key([u8; 32]),
    /// The root key's fingerprint.
    Fingerprint([u8; ROOT_FINGERPRINT_LEN]),
}

impl RootPin {
    /// Parses 64 hex digits as a root key, or 32 as a fingerprint (either case; surrounding
    /// white space ignored).
    pub fn parse(s: &str) -> Result<RootPin, ConfigError> {
        let s = s.trim();
        if s.len() == 2 * ROOT_FINGERPRINT_LEN {
            let mut fingerprint = [0u8; ROOT_FINGERPRINT_LEN];
            hex::decode_to_slice(s, &mut fingerprint).map_err(|_| ConfigError::BadRootKey)?;
            return Ok(RootPin::Fingerprint(fingerprint));
        }
        parse_root_hex(s).map(RootPin::Key)
    }

    /// Whether `root` (the 32 bytes of an Ed25519 key) is this root.
    pub fn matches(&self, root: &[u8; 32]) -> bool {
        match self {
            RootPin::Key(key) => key == root,
            RootPin::Fingerprint(fingerprint) => ids::root_fingerprint(root) == *fingerprint,
        }
    }

    /// The pinned root's fingerprint, in hex, for messages.
    pub fn fingerprint_hex(&self) -> String {
        match self {
            RootPin::Key(key) => to_hex(&ids::root_fingerprint(key)),
            RootPin::Fingerprint(fingerprint) => to_hex(fingerprint),
        }
    }
}

/// Why a server's root key may not be trusted on first use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("refusing to trust {origin} on first use: use https://, or pin the root key's fingerprint")]
pub struct FirstUseRefused {
    /// The server as it was asked for (`http://HOST[:PORT]`), for the message.
    pub origin: String,
}

/// Whether a wallet or venue that holds no root yet may pin whatever root the key list from
/// `server_url` names (trust on first use). Allowed when the network between them cannot swap
/// the answer: over `https://` (TLS authenticates the server), or over `http://` to a loopback
/// host — `localhost`, `127.0.0.0/8`, `[::1]` (or `[::ffff:127.x.y.z]`) — where the
/// connection never leaves the machine. Any other `http://` server must be pinned explicitly
/// ([`RootPin`], `--root`): on a plain-HTTP path anyone on the way could hand over their own
/// root, and the pin would then trust them for good.
///
/// `server_url` should be the URL as the HTTP client will use it (the CLI passes its parsed
/// and re-serialised base URL). An `http://` URL is judged only in the strict form of
/// [`canonical_server_url`] (a plain host, no user name, no odd spellings): anything that
/// does not parse there is refused rather than guessed at.
pub fn check_first_use(server_url: &str) -> Result<(), FirstUseRefused> {
    let s = server_url.trim();
    let https = s
        .as_bytes()
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case(b"https://"));
    if https {
        return Ok(());
    }
    let Ok(url) = canonical_server_url(s) else {
        return Err(FirstUseRefused {
            origin: s.chars().filter(|c| !c.is_control()).take(80).collect(),
        });
    };
    // Canonical: "http://" HOST [":" PORT] "/" PATH.
    let authority = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    let host = match authority.rfind(']') {
        Some(end) => &authority[..=end],
        None => authority.split(':').next().unwrap_or_default(),
    };
    if is_loopback_host(host) {
        Ok(())
    } else {
        Err(FirstUseRefused {
            origin: format!("http://{authority}"),
        })
    }
}

/// One issuer key accepted at the set's instant, with what a verdict shows about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedKey {
    public_key: IssuerPublicKey,
    region: String,
    issuer_name: String,
    accept_until: u64,
}

impl AcceptedKey {
    pub fn key_id(&self) -> KeyId {
        self.public_key.key_id()
    }
    pub fn public_key(&self) -> &IssuerPublicKey {
        &self.public_key
    }
    /// The issuing region (from the key list).
    pub fn region(&self) -> &str {
        &self.region
    }
    /// The issuer's display name (from the key list).
    pub fn issuer_name(&self) -> &str {
        &self.issuer_name
    }
    /// Last second (Unix) at which tokens under this key are accepted.
    pub fn accept_until(&self) -> u64 {
        self.accept_until
    }
}

/// The issuer keys whose tokens are accepted at one instant: listed in a verified key list,
/// not revoked, `issue_from − 2 h ≤ now ≤ accept_until` ([`KeyListBody::accepts`], spec §7.3:
/// a key published ahead of a rotation is not accepted before it can have issued anything),
/// and a valid ristretto255 point (a key that does not decode could verify nothing). Listed in
/// key-list order.
///
/// This is the one place the rule is applied: the venue's verification, the browser page's
/// set-up screen and the wallet's token checks all build their key set here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AcceptedKeys {
    keys: Vec<AcceptedKey>,
    now_unix: u64,
}

impl AcceptedKeys {
    /// The keys of `body` accepted at `now_unix`.
    pub fn new(body: &KeyListBody, now_unix: u64) -> Self {
        Self::build(body, now_unix, |entry| {
            IssuerPublicKey::from_compressed(&entry.public_key)
        })
    }

    /// The same rule, decoding keys through `decode` (a cache of already decoded keys:
    /// decoding derives a generator by hashing to the curve, which a verifier that checks
    /// many presentations against one list need not repeat).
    fn build(
        body: &KeyListBody,
        now_unix: u64,
        decode: impl Fn(&IssuerKeyEntry) -> Option<IssuerPublicKey>,
    ) -> Self {
        let mut keys = Vec::new();
        for issuer in body.issuers() {
            for entry in &issuer.keys {
                if body.accepts(&entry.key_id, now_unix).is_err() {
                    continue;
                }
                // The key list already checked key_id == issuer_key_id(public_key), the same
                // derivation as IssuerPublicKey::key_id, so lookups by id find this key.
                if let Some(public_key) = decode(entry) {
                    keys.push(AcceptedKey {
                        public_key,
                        region: issuer.region.clone(),
                        issuer_name: issuer.display_name.clone(),
                        accept_until: entry.accept_until,
                    });
                }
            }
        }
        AcceptedKeys { keys, now_unix }
    }

    /// The instant the set was built for.
    pub fn now_unix(&self) -> u64 {
        self.now_unix
    }
    pub fn get(&self, key_id: &KeyId) -> Option<&AcceptedKey> {
        self.keys.iter().find(|k| k.key_id() == *key_id)
    }
    pub fn contains(&self, key_id: &KeyId) -> bool {
        self.get(key_id).is_some()
    }
    pub fn len(&self) -> usize {
        self.keys.len()
    }
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, AcceptedKey> {
        self.keys.iter()
    }
}

impl IntoIterator for AcceptedKeys {
    type Item = AcceptedKey;
    type IntoIter = std::vec::IntoIter<AcceptedKey>;
    fn into_iter(self) -> Self::IntoIter {
        self.keys.into_iter()
    }
}

impl<'a> IntoIterator for &'a AcceptedKeys {
    type Item = &'a AcceptedKey;
    type IntoIter = std::slice::Iter<'a, AcceptedKey>;
    fn into_iter(self) -> Self::IntoIter {
        self.keys.iter()
    }
}

impl IssuerKeys for AcceptedKeys {
    fn issuer_key(&self, key_id: &KeyId) -> Option<&IssuerPublicKey> {
        self.get(key_id).map(AcceptedKey::public_key)
    }
}

/// Every listed key of a list decoded once, so [`AcceptedKeys`] can be rebuilt for each
/// verification's clock without hashing to the curve again.
#[derive(Clone, Debug, Default)]
pub(crate) struct DecodedKeys(BTreeMap<[u8; 32], IssuerPublicKey>);

impl DecodedKeys {
    pub(crate) fn new(body: &KeyListBody) -> Self {
        DecodedKeys(
            body.issuers()
                .iter()
                .flat_map(|i| i.keys.iter())
                .filter_map(|k| {
                    IssuerPublicKey::from_compressed(&k.public_key).map(|pk| (k.public_key, pk))
                })
                .collect(),
        )
    }

    /// [`AcceptedKeys::new`], with keys taken from this cache.
    pub(crate) fn accepted(&self, body: &KeyListBody, now_unix: u64) -> AcceptedKeys {
        AcceptedKeys::build(body, now_unix, |entry| {
            self.0.get(&entry.public_key).cloned()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_use_needs_https_or_loopback() {
        for ok in [
            "https://issuer.example/",
            "HTTPS://issuer.example:8443/prefix",
            "  https://203.0.113.7  ",
            "http://127.0.0.1:8080",
            "http://127.1.2.3/",
            "http://localhost:8080/greenlight/",
            "HTTP://LOCALHOST",
            "http://[::1]:8080/",
            "http://[::ffff:7f00:1]/",
        ] {
            assert_eq!(check_first_use(ok), Ok(()), "{ok:?}");
        }
        let refused = |url: &str| check_first_use(url).map_err(|e| e.origin);
        assert_eq!(
            refused("http://issuer.example/"),
            Err("http://issuer.example".into())
        );
        assert_eq!(
            refused("http://192.168.1.20:8080/x/"),
            Err("http://192.168.1.20:8080".into())
        );
        for bad in [
            "http://[::2]/",
            "http://128.0.0.1/",
            "http://localhost.example/",
            "http://127.0.0.1.example/",
            // Spellings other URL parsers read as loopback, or as another host: refused.
            "http://127.1/",
            "http://0x7f.0.0.1/",
            "http://127.0.0.01/",
            "http://localhost./",
            "http://user@127.0.0.1/",
            "http://evil.example\\@127.0.0.1/",
            "http://evil.example#@127.0.0.1/",
            "ftp://127.0.0.1/",
            "127.0.0.1:8080",
            "",
        ] {
            assert!(check_first_use(bad).is_err(), "{bad:?}");
        }
        let e = check_first_use("http://issuer.example:8080/").unwrap_err();
        assert_eq!(
            e.to_string(),
            "refusing to trust http://issuer.example:8080 on first use: use https://, or pin \
             the root key's fingerprint"
        );
        // Nothing of a control character reaches a message.
        let e = check_first_use("http://a\u{1b}[31m/").unwrap_err();
        assert!(!e.origin.contains('\u{1b}'));
    }

    #[test]
    fn a_root_is_pinned_by_its_key_or_its_fingerprint() {
        let key = *greenlight_protocol::SigningKey::from_bytes(&[7; 32])
            .verifying_key()
            .as_bytes();
        let other = *greenlight_protocol::SigningKey::from_bytes(&[8; 32])
            .verifying_key()
            .as_bytes();
        let fingerprint = to_hex(&ids::root_fingerprint(&key));
        for pin in [
            RootPin::parse(&hex::encode(key)).unwrap(),
            RootPin::parse(&fingerprint).unwrap(),
            RootPin::parse(&format!(" {} ", fingerprint.to_uppercase())).unwrap(),
        ] {
            assert!(pin.matches(&key), "{pin:?}");
            assert!(!pin.matches(&other), "{pin:?}");
            assert_eq!(pin.fingerprint_hex(), fingerprint);
        }
        assert!(matches!(
            RootPin::parse(&fingerprint),
            Ok(RootPin::Fingerprint(_))
        ));
        for bad in [
            "",
            "zz",
            &fingerprint[..31],
            &"g".repeat(32),
            &"00".repeat(32),
        ] {
            assert_eq!(RootPin::parse(bad), Err(ConfigError::BadRootKey), "{bad:?}");
        }
    }
}
