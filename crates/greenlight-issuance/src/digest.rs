//! How an issuer's store names subjects and tickets: **keyed** digests, computed here and
//! nowhere else.
//!
//! The store never sees a subject handle or a ticket id. Every [`Store`](crate::Store) gets
//! [`SubjectDigest`]s and [`TicketDigest`]s made by this module with the store's own
//! [`DigestKey`] (a 32-byte secret kept next to the store, never in it), so a PostgreSQL
//! store implementing the same trait gets keyed digests for free.
//!
//! ```text
//! legacy(handle)  = SHA-512("greenlight/v1/revocation/subject-digest" ‖ handle)[0..32]
//! subject(handle) = HMAC-SHA-512(key, "greenlight/v1/store/subject-hmac" ‖ legacy(handle))[0..32]
//! ticket(id)      = HMAC-SHA-512(key, "greenlight/v1/store/ticket-hmac"  ‖ id)[0..32]
//! key check       = HMAC-SHA-512(key, "greenlight/v1/store/key-check")[0..16]
//! ```
//!
//! Why keyed: an unkeyed digest lets whoever holds a copy of the store (a backup, a seized
//! disk) test it against guessed handles, offline and as often as they like. With the key
//! kept apart from the store, a copy of the store alone yields random-looking names.
//!
//! Why the subject's HMAC is taken over the old unkeyed digest rather than the handle: stores
//! written before the key existed hold exactly those unkeyed digests, so they can be re-keyed
//! completely when first opened ([`DigestKey::subject_from_legacy`]) — no handle needed, and
//! no unkeyed lookup kept for "legacy" entries. HMAC of a collision-resistant hash of the
//! handle is as good a pseudorandom function of the handle as HMAC of the handle itself.
//!
//! The key check lets a store refuse to open with the wrong key (a lost or replaced key file
//! would otherwise silently "un-revoke" every revoked subject, whose digests would no longer
//! be found).
//!
//! The labels are store-internal (no other party ever computes these digests), but like
//! every domain-separation string they are registered once, in `greenlight_wire::labels`.

use core::fmt;

use greenlight_wire::labels;
use greenlight_wire::lengths::TICKET_ID;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

/// Bytes of a [`DigestKey`].
pub const DIGEST_KEY_LEN: usize = 32;
/// Bytes of a [`SubjectDigest`].
pub const SUBJECT_DIGEST_LEN: usize = 32;
/// Bytes of a [`TicketDigest`].
pub const TICKET_DIGEST_LEN: usize = 32;
/// Bytes of [`DigestKey::check_value`].
pub const KEY_CHECK_LEN: usize = 16;

/// HMAC input label of subject digests.
pub const SUBJECT_HMAC_LABEL: &[u8] = labels::STORE_SUBJECT_HMAC;
/// HMAC input label of ticket digests.
pub const TICKET_HMAC_LABEL: &[u8] = labels::STORE_TICKET_HMAC;
/// HMAC input of the key check value.
pub const KEY_CHECK_LABEL: &[u8] = labels::STORE_KEY_CHECK;

/// The secret a store's digests are keyed with. Zeroized on drop; never printed.
pub struct DigestKey(Zeroizing<[u8; DIGEST_KEY_LEN]>);

impl DigestKey {
    /// The key with these bytes (the caller wipes its own copy).
    pub fn from_bytes(bytes: &[u8; DIGEST_KEY_LEN]) -> Self {
        DigestKey(Zeroizing::new(*bytes))
    }

    /// The store name of a subject handle.
    pub fn subject(&self, handle: &str) -> SubjectDigest {
        self.subject_from_legacy(&legacy_subject_digest(handle))
    }

    /// The store name of the subject whose unkeyed digest (the store layout before keyed
    /// digests, [`legacy_subject_digest`]) is `legacy`: how an old store is re-keyed.
    pub fn subject_from_legacy(&self, legacy: &[u8; SUBJECT_DIGEST_LEN]) -> SubjectDigest {
        SubjectDigest(self.mac(SUBJECT_HMAC_LABEL, legacy))
    }

    /// The store name of a ticket id.
    pub fn ticket(&self, ticket_id: &[u8; TICKET_ID]) -> TicketDigest {
        TicketDigest(self.mac(TICKET_HMAC_LABEL, ticket_id))
    }

    /// A value a store keeps to recognise its key (it reveals nothing about the key).
    pub fn check_value(&self) -> [u8; KEY_CHECK_LEN] {
        self.mac(KEY_CHECK_LABEL, &[])
    }

    fn mac<const N: usize>(&self, label: &[u8], data: &[u8]) -> [u8; N] {
        let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(self.0.as_ref())
            .expect("HMAC accepts keys of any length");
        mac.update(label);
        mac.update(data);
        let tag = mac.finalize().into_bytes();
        let mut out = [0u8; N];
        out.copy_from_slice(&tag[..N]);
        out
    }
}

impl fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DigestKey(<redacted>)")
    }
}

/// The **unkeyed** digest stores used before keyed digests:
/// `SHA-512(REVOCATION_SUBJECT ‖ handle)[0..32]`. Only an input of
/// [`DigestKey::subject_from_legacy`]; no store keeps it.
pub fn legacy_subject_digest(handle: &str) -> [u8; SUBJECT_DIGEST_LEN] {
    let digest = Sha512::new()
        .chain_update(labels::REVOCATION_SUBJECT)
        .chain_update(handle.as_bytes())
        .finalize();
    let mut out = [0u8; SUBJECT_DIGEST_LEN];
    out.copy_from_slice(&digest[..SUBJECT_DIGEST_LEN]);
    out
}

macro_rules! digest_type {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; $len]);

        impl $name {
            /// The digest with these bytes (as read back from a store).
            pub const fn from_bytes(bytes: [u8; $len]) -> Self {
                $name(bytes)
            }
            /// The bytes.
            pub const fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }
        }

        /// Only the first 8 bytes, for logs of tests.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "("))?;
                for b in &self.0[..8] {
                    write!(f, "{b:02x}")?;
                }
                write!(f, "…)")
            }
        }
    };
}

digest_type!(
    /// How a store names a subject: [`DigestKey::subject`] of its handle.
    SubjectDigest,
    SUBJECT_DIGEST_LEN
);
digest_type!(
    /// How a store names a ticket: [`DigestKey::ticket`] of its id.
    TicketDigest,
    TICKET_DIGEST_LEN
);

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> DigestKey {
        DigestKey::from_bytes(&[byte; 32])
    }

    #[test]
    fn the_legacy_digest_is_labelled_sha512() {
        let mut h = Sha512::new();
        h.update(b"greenlight/v1/revocation/subject-digest");
        h.update(b"alice");
        assert_eq!(legacy_subject_digest("alice")[..], h.finalize()[..32]);
    }

    #[test]
    fn digests_are_hmac_sha512_under_the_key() {
        let k = key(1);
        let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(&[1; 32]).unwrap();
        mac.update(b"greenlight/v1/store/subject-hmac");
        mac.update(&legacy_subject_digest("alice"));
        assert_eq!(
            k.subject("alice").as_bytes()[..],
            mac.finalize().into_bytes()[..32]
        );
        let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(&[1; 32]).unwrap();
        mac.update(b"greenlight/v1/store/ticket-hmac");
        mac.update(&[7; 16]);
        assert_eq!(
            k.ticket(&[7; 16]).as_bytes()[..],
            mac.finalize().into_bytes()[..32]
        );
        assert_eq!(
            k.subject("alice"),
            k.subject_from_legacy(&legacy_subject_digest("alice"))
        );
    }

    #[test]
    fn another_key_gives_unrelated_digests() {
        let (a, b) = (key(1), key(2));
        assert_ne!(a.subject("alice"), b.subject("alice"));
        assert_ne!(a.ticket(&[7; 16]), b.ticket(&[7; 16]));
        assert_ne!(a.check_value(), b.check_value());
        assert_ne!(a.subject("alice"), a.subject("alice "));
        assert_ne!(
            a.subject("alice").as_bytes()[..],
            legacy_subject_digest("alice")[..]
        );
        // Subjects and tickets are separated by their labels.
        let legacy = [7u8; 32];
        assert_ne!(
            a.subject_from_legacy(&legacy).as_bytes()[..16],
            a.ticket(&[7; 16]).as_bytes()[..16]
        );
    }

    #[test]
    fn debug_shows_no_key_and_only_a_prefix_of_digests() {
        assert_eq!(format!("{:?}", key(9)), "DigestKey(<redacted>)");
        let d = format!("{:?}", key(9).subject("alice"));
        assert!(d.starts_with("SubjectDigest(") && d.len() < 40, "{d}");
    }
}
