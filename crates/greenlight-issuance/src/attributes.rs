//! Ticket → credential attributes, once, for both sides of issuance.
//!
//! The issuer certifies exactly what the authority's ticket says, stamped with the current
//! hour; the holder checks, before blinding anything, that this is what it got. Both sides call
//! [`ticket_attributes`], so they cannot disagree on a conversion.

use curve25519_dalek::scalar::Scalar;
use greenlight_acl::{Attributes, KeyId};
use greenlight_protocol::TicketBody;
use greenlight_wire::hour_of;

/// How far the certified issuance hour may be from the holder's clock (the vocabulary's
/// [`greenlight_wire::MAX_ISSUANCE_SKEW_HOURS`]: two hours absorb clock drift and an hour
/// boundary).
pub use greenlight_wire::MAX_ISSUANCE_SKEW_HOURS;

/// The attributes a ticket certifies when issued at hour `time_hours`:
/// `st` = the status byte, `ts` = `time_hours`, `tr` = the packed travel history, `id` =
/// [`Attributes::subject_scalar`] of the handle.
///
/// The packed travel history is at most 24 × 10 = 240 bits (`docs/spec.md` §7.2), below
/// ℓ ≈ 2^252, so reading it as a scalar is exact: no reduction ever happens (tested).
pub fn ticket_attributes(body: &TicketBody, time_hours: u32) -> Attributes {
    Attributes {
        status: body.status().as_u8(),
        time_hours,
        travel: Scalar::from_bytes_mod_order(body.travel().encode_scalar_bytes()),
        subject: Attributes::subject_scalar(body.subject().as_str()),
    }
}

/// What differs between the attributes the issuer committed to and the ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CertifiedMismatch {
    /// The answer is for another issuer key than the one the holder registered with.
    #[error("the issuer answered for another key")]
    Key,
    /// Another status colour than the ticket's.
    #[error("the issuer certified another status than the ticket's")]
    Status,
    /// Another travel history than the ticket's.
    #[error("the issuer certified another travel history than the ticket's")]
    Travel,
    /// Another subject than the ticket's.
    #[error("the issuer certified another subject than the ticket's")]
    Subject,
    /// The issuance hour is too far from the holder's clock (a per-holder tag).
    #[error("the issuance time (hour {token_hour}) is more than {MAX_ISSUANCE_SKEW_HOURS} h from this clock (hour {wallet_hour})")]
    TimestampSkew {
        /// The certified hour.
        token_hour: u32,
        /// The holder's hour.
        wallet_hour: u32,
    },
}

impl CertifiedMismatch {
    /// The attribute that differs, for messages (`key`, `status`, `travel`, `subject`, `time`).
    pub fn field(&self) -> &'static str {
        match self {
            CertifiedMismatch::Key => "key",
            CertifiedMismatch::Status => "status",
            CertifiedMismatch::Travel => "travel",
            CertifiedMismatch::Subject => "subject",
            CertifiedMismatch::TimestampSkew { .. } => "time",
        }
    }
}

/// The holder's checks on the issuer's first answer, before blinding anything: the answer is
/// for the key the holder registered with, the attributes are exactly the ticket's (an issuer
/// cannot slip in another status, travel history or subject), and the issuance hour is within
/// [`MAX_ISSUANCE_SKEW_HOURS`] of `now_unix`.
pub fn check_certified(
    answered_key: KeyId,
    registered_key: KeyId,
    certified: &Attributes,
    ticket: &TicketBody,
    now_unix: u64,
) -> Result<(), CertifiedMismatch> {
    if answered_key != registered_key {
        return Err(CertifiedMismatch::Key);
    }
    let expected = ticket_attributes(ticket, certified.time_hours);
    if certified.status != expected.status {
        return Err(CertifiedMismatch::Status);
    }
    if certified.travel != expected.travel {
        return Err(CertifiedMismatch::Travel);
    }
    if certified.subject != expected.subject {
        return Err(CertifiedMismatch::Subject);
    }
    let wallet_hour = hour_of(now_unix);
    if certified.time_hours.abs_diff(wallet_hour) > MAX_ISSUANCE_SKEW_HOURS {
        return Err(CertifiedMismatch::TimestampSkew {
            token_hour: certified.time_hours,
            wallet_hour,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use greenlight_protocol::{Status, SubjectHandle, TravelHistory};
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    const NOW: u64 = 1_780_000_000;

    fn body(status: Status, travel: &str) -> TicketBody {
        TicketBody::new_with_rng(
            &mut ChaCha20Rng::seed_from_u64(1),
            SubjectHandle::new("resident-7f3a").unwrap(),
            status,
            travel.parse().unwrap(),
            NOW - 60,
            NOW + 86_400,
            4,
        )
        .unwrap()
    }

    #[test]
    fn the_ticket_is_certified_as_it_is() {
        let b = body(Status::Green, "CN,HK");
        let a = ticket_attributes(&b, hour_of(NOW));
        assert_eq!(a.status, 1);
        assert_eq!(a.time_hours, hour_of(NOW));
        assert_eq!(a.subject, Attributes::subject_scalar("resident-7f3a"));
        assert_eq!(
            a.travel.to_bytes(),
            b.travel().encode_scalar_bytes(),
            "no reduction"
        );
        let key = KeyId([7; 8]);
        assert_eq!(check_certified(key, key, &a, &b, NOW), Ok(()));
    }

    #[test]
    fn every_changed_attribute_is_caught() {
        let b = body(Status::Green, "CN,HK");
        let key = KeyId([7; 8]);
        let good = ticket_attributes(&b, hour_of(NOW));
        assert_eq!(
            check_certified(KeyId([8; 8]), key, &good, &b, NOW),
            Err(CertifiedMismatch::Key)
        );
        let red = ticket_attributes(&body(Status::Red, "CN,HK"), hour_of(NOW));
        assert_eq!(
            check_certified(key, key, &red, &b, NOW),
            Err(CertifiedMismatch::Status)
        );
        let other_travel = ticket_attributes(&body(Status::Green, "SG"), hour_of(NOW));
        assert_eq!(
            check_certified(key, key, &other_travel, &b, NOW),
            Err(CertifiedMismatch::Travel)
        );
        let mut other_subject = good.clone();
        other_subject.subject = Attributes::subject_scalar("someone-else");
        assert_eq!(
            check_certified(key, key, &other_subject, &b, NOW),
            Err(CertifiedMismatch::Subject)
        );
        for (hours, ok) in [(2u32, true), (3, false)] {
            for late in [false, true] {
                let t = if late {
                    hour_of(NOW) + hours
                } else {
                    hour_of(NOW) - hours
                };
                let got = check_certified(key, key, &ticket_attributes(&b, t), &b, NOW);
                assert_eq!(got.is_ok(), ok, "{hours} h, late {late}");
                if !ok {
                    assert_eq!(got.unwrap_err().field(), "time");
                }
            }
        }
    }

    proptest::proptest! {
        /// Any travel history packs below ℓ, so the issuer's and holder's readings agree.
        #[test]
        fn travel_never_reduces(codes in proptest::collection::btree_set("[A-Z]{2}", 0..=24)) {
            let list: Vec<String> = codes.into_iter().collect();
            let travel: TravelHistory = list.join(",").parse().unwrap();
            let bytes = travel.encode_scalar_bytes();
            proptest::prop_assert_eq!(Scalar::from_bytes_mod_order(bytes).to_bytes(), bytes);
        }
    }
}
