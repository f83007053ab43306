//! Protocol constants that two crates must agree on: the status numbers the credential
//! certifies (`greenlight_acl::status`) and the typed `greenlight_protocol::Status` that tickets
//! and venue codes carry; the standard windows the verifier enforces and the ones venue codes
//! may name.

use greenlight_protocol::Status;

#[test]
fn status_numbers_agree() {
    use greenlight_acl::status;
    assert_eq!(Status::Green.as_u8(), status::GREEN);
    assert_eq!(Status::Yellow.as_u8(), status::YELLOW);
    assert_eq!(Status::Red.as_u8(), status::RED);
    assert_eq!(greenlight_circuits::policy::GREEN, status::GREEN);
    for v in 0..=u8::MAX {
        assert_eq!(
            status::is_valid(v),
            Status::from_u8(v).is_ok(),
            "status byte {v}"
        );
    }
}

#[test]
fn standard_windows_agree() {
    assert_eq!(
        greenlight_circuits::STANDARD_WINDOWS_HOURS,
        greenlight_protocol::lengths::STANDARD_WINDOWS_HOURS
    );
    for h in 0..=u8::MAX {
        assert_eq!(
            greenlight_circuits::policy::is_standard_window(h),
            greenlight_protocol::venue::is_standard_window(h),
            "window {h}"
        );
    }
}
