//! The issuance messages and the issuer public key, as the issuer (registrations,
//! challenges) and the wallet (commitments, answers, key) receive them over HTTP. The first
//! byte selects the decoder (modulo 5, see `IssuanceKind`); the rest is the message. Never
//! panics; anything accepted re-encodes to exactly the input.
#![no_main]

use greenlight_acl::issuance::{AnswerBatch, ChallengeBatch, CommitmentBatch, RegistrationBatch};
use greenlight_acl::IssuerPublicKey;
use greenlight_fuzz::IssuanceKind;
use libfuzzer_sys::fuzz_target;

fn check<T>(
    data: &[u8],
    decode: impl Fn(&[u8]) -> Result<T, greenlight_wire::WireError>,
    encode: impl Fn(&T) -> Vec<u8>,
) {
    if let Ok(v) = decode(data) {
        assert_eq!(encode(&v), data, "non-canonical message accepted");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, msg)) = data.split_first() else {
        return;
    };
    match IssuanceKind::from_selector(selector) {
        IssuanceKind::Registration => check(
            msg,
            RegistrationBatch::from_bytes,
            RegistrationBatch::to_bytes,
        ),
        IssuanceKind::Commitment => {
            check(msg, CommitmentBatch::from_bytes, CommitmentBatch::to_bytes)
        }
        IssuanceKind::Challenge => check(msg, ChallengeBatch::from_bytes, ChallengeBatch::to_bytes),
        IssuanceKind::Answer => check(msg, AnswerBatch::from_bytes, AnswerBatch::to_bytes),
        IssuanceKind::IssuerPublicKey => {
            check(msg, IssuerPublicKey::from_bytes, IssuerPublicKey::to_bytes)
        }
    }
});
