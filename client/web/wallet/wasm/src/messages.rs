//! Why something failed, with a stable code and the resident-facing text in English, 简体中文
//! and 繁體中文. Every text is in the message catalogue (`crates/greenlight-messages`): server
//! error codes in its `server` group, the one the CLI uses ([`greenlight_api::messages`]);
//! the wallet's own refusals, warnings and "what the venue learns" in its `wallet` group,
//! chosen here from the typed reasons of `greenlight-wallet` and `greenlight-venue`. The page
//! shows `text` and keys its tests on `code`.

use greenlight_api::messages::server_code_text;
pub use greenlight_api::messages::Lang;
use greenlight_api::ServerCode;
use greenlight_messages::Arg;
use greenlight_protocol::Kind;
use greenlight_venue::KeysRefusal;
use greenlight_wallet::{NoToken, WalletError};
use serde::Serialize;

/// Everything the web wallet can refuse or fail at.
#[derive(Debug)]
pub enum Failure {
    /// A rule of the wallet.
    Wallet(WalletError),
    /// The issuer's key list was refused.
    Keys(KeysRefusal),
    /// The server answered with an error code.
    Server {
        /// HTTP status.
        status: u16,
        /// Its code.
        code: ServerCode,
        /// Tokens of the ticket already stored before this refusal.
        stored: usize,
    },
    /// The server's answer does not parse.
    BadResponse(String),
    /// The text is not the kind of code expected (`found`: what it is, if a Greenlight code).
    WrongKind {
        /// What was expected.
        want: Kind,
        /// What it is.
        found: Option<Kind>,
    },
    /// The text has the right prefix but does not decode.
    Damaged {
        /// What it claims to be.
        kind: Kind,
    },
    /// The wallet is not set up yet (no key list pinned).
    NotSetUp,
    /// A profile name is taken.
    ProfileTaken(String),
    /// Stored data does not decode (the page's storage was damaged).
    Storage(String),
}

impl From<WalletError> for Failure {
    fn from(e: WalletError) -> Self {
        Failure::Wallet(e)
    }
}

impl From<KeysRefusal> for Failure {
    fn from(e: KeysRefusal) -> Self {
        Failure::Keys(e)
    }
}

/// A failure as the page gets it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Described {
    /// Stable code (`ticket_expired`, `quota_exceeded`, `all_too_old`, …).
    pub code: String,
    /// The text to show, in the page's language.
    pub text: String,
}

fn kind_name(kind: Kind, lang: Lang) -> String {
    let id = match kind {
        Kind::Ticket => "wallet-kind-ticket",
        Kind::KeyList => "wallet-kind-key-list",
        Kind::VenueCode => "wallet-kind-venue-code",
        Kind::Presentation => "wallet-kind-presentation",
        Kind::VenueSetup => "wallet-kind-venue-setup",
    };
    t(lang, id, &[])
}

/// The catalogue's `wallet` message `id` in `lang` (`crates/greenlight-messages`, formatted
/// without a Fluent runtime to keep the module small). Every id used here is in the catalogue
/// (tested below); an unknown one would show as itself.
pub(crate) fn t(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    greenlight_messages::WALLET
        .format(lang, id, args)
        .unwrap_or_else(|| id.to_owned())
}

fn no_token_text(n: &NoToken, lang: Lang) -> String {
    match n {
        NoToken::Empty => t(lang, "wallet-no-token-empty", &[]),
        NoToken::NoneGreen => t(lang, "wallet-no-token-none-green", &[]),
        NoToken::NoneAcceptedKey => t(lang, "wallet-no-token-none-accepted-key", &[]),
        NoToken::FromTheFuture => t(lang, "wallet-no-token-from-the-future", &[]),
        NoToken::AllTooOld { window_hours } => t(
            lang,
            "wallet-no-token-all-too-old",
            &[("window_hours", window_hours.into())],
        ),
    }
}

fn wallet_text(e: &WalletError, lang: Lang) -> String {
    use WalletError as W;
    match e {
        W::BadProfile(name) => t(lang, "wallet-bad-profile", &[("name", name.into())]),
        W::Corrupt(_) | W::Encode(_) => t(lang, "wallet-storage-damaged", &[]),
        W::UnknownProfile { profile, .. } => t(
            lang,
            "wallet-unknown-person",
            &[("profile", profile.into())],
        ),
        W::BadTicket(_) => t(lang, "wallet-bad-ticket", &[]),
        W::TicketAuthority => t(lang, "wallet-ticket-authority", &[]),
        W::TicketExpired { .. } => t(lang, "wallet-ticket-expired", &[]),
        W::TicketNotYetValid { .. } => t(lang, "wallet-ticket-not-yet-valid", &[]),
        W::IssuingKey { key_id, .. } | W::InvalidListedKey(key_id) => {
            t(lang, "wallet-issuing-key", &[("key_id", key_id.into())])
        }
        W::TaggingRisk(_) => t(lang, "wallet-tagging-risk", &[]),
        W::RegionChanged {
            profile,
            pinned,
            offered,
        } => t(
            lang,
            "wallet-region-changed",
            &[
                ("profile", profile.into()),
                ("pinned", pinned.into()),
                ("offered", offered.into()),
            ],
        ),
        W::Certified(greenlight_issuance::CertifiedMismatch::TimestampSkew { .. }) => {
            t(lang, "wallet-timestamp-skew", &[])
        }
        W::Certified(_) | W::BadMessage { .. } | W::Issuance(_) => {
            t(lang, "wallet-issuer-answer-unverified", &[])
        }
        W::NoToken(n) => no_token_text(n, lang),
        W::Prove(_) => t(lang, "wallet-prove-failed", &[]),
    }
}

impl Failure {
    /// Stable code.
    pub fn code(&self) -> String {
        match self {
            Failure::Wallet(e) => e.code().to_owned(),
            Failure::Keys(KeysRefusal::Invalid(_)) => "key_list_invalid".into(),
            Failure::Keys(KeysRefusal::RootMismatch { .. }) => "root_mismatch".into(),
            Failure::Keys(KeysRefusal::Update(_)) => "key_list_rollback".into(),
            Failure::Keys(KeysRefusal::NotWitnessed(_)) => "key_list_not_witnessed".into(),
            Failure::Server { code, .. } => code.as_str().to_owned(),
            Failure::BadResponse(_) => "bad_response".into(),
            Failure::WrongKind { .. } => "wrong_kind".into(),
            Failure::Damaged { .. } => "damaged".into(),
            Failure::NotSetUp => "not_set_up".into(),
            Failure::ProfileTaken(_) => "profile_taken".into(),
            Failure::Storage(_) => "storage_damaged".into(),
        }
    }

    /// The text to show in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Failure::Wallet(e) => wallet_text(e, lang),
            Failure::Keys(KeysRefusal::Invalid(_)) => t(lang, "wallet-key-list-invalid", &[]),
            Failure::Keys(KeysRefusal::RootMismatch { pinned, offered }) => t(
                lang,
                "wallet-root-mismatch",
                &[("pinned", pinned.into()), ("offered", offered.into())],
            ),
            Failure::Keys(KeysRefusal::Update(_)) => t(lang, "wallet-key-list-rollback", &[]),
            // The web wallet names no witnesses yet (spec §7.6, "Who checks"); the text is
            // here so that the match stays total.
            Failure::Keys(KeysRefusal::NotWitnessed(_)) => {
                t(lang, "wallet-key-list-not-witnessed", &[])
            }
            Failure::Server {
                status,
                code,
                stored,
            } => {
                let base = match code {
                    ServerCode::Known(c) => server_code_text(*c, lang),
                    ServerCode::Other(other) => t(
                        lang,
                        "wallet-server-other",
                        &[("status", status.into()), ("other", other.into())],
                    ),
                };
                if *stored > 0 {
                    let more = t(lang, "wallet-stored-before", &[("stored", stored.into())]);
                    format!("{base}{more}")
                } else {
                    base
                }
            }
            Failure::BadResponse(_) => t(lang, "wallet-bad-response", &[]),
            Failure::WrongKind {
                want,
                found: Some(found),
            } => {
                let (w, f) = (kind_name(*want, lang), kind_name(*found, lang));
                t(
                    lang,
                    "wallet-wrong-kind",
                    &[("found", f.into()), ("want", w.into())],
                )
            }
            Failure::WrongKind { want, found: None } => {
                let w = kind_name(*want, lang);
                t(lang, "wallet-not-a-code", &[("want", w.into())])
            }
            Failure::Damaged { kind } => {
                let k = kind_name(*kind, lang);
                t(lang, "wallet-damaged", &[("kind", k.into())])
            }
            Failure::NotSetUp => t(lang, "wallet-not-set-up", &[]),
            Failure::ProfileTaken(name) => {
                t(lang, "wallet-profile-taken", &[("name", name.into())])
            }
            Failure::Storage(_) => t(lang, "wallet-storage-damaged", &[]),
        }
    }

    /// Code and text in `lang`.
    pub fn describe(&self, lang: Lang) -> Described {
        Described {
            code: self.code(),
            text: self.text(lang),
        }
    }
}

/// The text of a status warning ([`greenlight_wallet::Warning`]); times are given already
/// formatted by the page (the resident's local time), as `when`.
pub fn warning_text(w: &greenlight_wallet::Warning, when: &str, lang: Lang) -> String {
    use greenlight_wallet::Warning as W;
    match w {
        W::Empty => t(lang, "wallet-warn-empty", &[]),
        W::FewLeft { left } => t(lang, "wallet-warn-few-left", &[("left", left.into())]),
        W::ShortWindowNone => t(lang, "wallet-warn-short-window-none", &[]),
        W::ShortWindowSoon { .. } => t(
            lang,
            "wallet-warn-short-window-soon",
            &[("when", when.into())],
        ),
        W::DayWindowNone => t(lang, "wallet-warn-day-window-none", &[]),
        W::DayWindowSoon { .. } => t(
            lang,
            "wallet-warn-day-window-soon",
            &[("when", when.into())],
        ),
    }
}

/// The clock warning, `minutes` the device's offset (positive: ahead).
pub fn clock_text(minutes: i64, lang: Lang) -> String {
    let m = minutes.unsigned_abs();
    if minutes > 0 {
        t(lang, "wallet-clock-ahead", &[("minutes", m.into())])
    } else {
        t(lang, "wallet-clock-behind", &[("minutes", m.into())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use greenlight_api::ErrorCode;

    #[test]
    fn every_server_code_reads_from_the_shared_catalogue() {
        for code in ErrorCode::ALL {
            let f = Failure::Server {
                status: code.http_status(),
                code: code.into(),
                stored: 0,
            };
            for lang in Lang::ALL {
                assert_eq!(f.text(lang), server_code_text(code, lang));
            }
            assert_eq!(f.code(), code.as_str());
        }
        let partial = Failure::Server {
            status: 409,
            code: ErrorCode::QuotaExceeded.into(),
            stored: 4,
        };
        assert!(partial.text(Lang::En).contains("4 tokens were stored"));
        let other = Failure::Server {
            status: 418,
            code: ServerCode::parse("from_the_future"),
            stored: 0,
        };
        assert!(other.text(Lang::ZhHant).contains("from_the_future"));
    }

    /// Every `wallet-…` id this crate looks up is in the catalogue (an unknown id would show
    /// as itself on the page).
    #[test]
    fn every_id_used_is_in_the_catalogue() {
        let mut n = 0;
        for src in [include_str!("messages.rs"), include_str!("present.rs")] {
            for part in src.split('"').skip(1).step_by(2) {
                if part.starts_with("wallet-") && !part.ends_with('-') {
                    assert!(
                        greenlight_messages::WALLET.has(part),
                        "{part} is not in wallet.ftl"
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 40, "only {n} ids found");
    }

    #[test]
    fn wallet_refusals_have_codes_and_three_languages() {
        let cases = [
            Failure::Wallet(WalletError::NoToken(NoToken::AllTooOld { window_hours: 6 })),
            Failure::Wallet(WalletError::NoToken(NoToken::Empty)),
            Failure::Wallet(WalletError::TicketExpired { not_after: 1 }),
            Failure::WrongKind {
                want: Kind::Ticket,
                found: Some(Kind::VenueCode),
            },
            Failure::Damaged {
                kind: Kind::VenueCode,
            },
            Failure::ProfileTaken("father".into()),
        ];
        for f in cases {
            let texts = Lang::ALL.map(|l| f.text(l));
            assert!(texts[0].is_ascii() && !texts[1].is_ascii(), "{texts:?}");
            assert_ne!(texts[1], texts[2], "{}", f.code());
        }
    }
}
