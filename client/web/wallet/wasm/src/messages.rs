//! Why something failed, with a stable code and the resident-facing text in English, 简体中文
//! and 繁體中文. Server error codes read from the catalogue the CLI uses
//! ([`greenlight_api::messages`]); the wallet's own refusals are described here, from the
//! typed reasons of `greenlight-wallet` and `greenlight-venue`. The page shows `text` and keys
//! its tests on `code`.

use greenlight_api::messages::server_code_text;
pub use greenlight_api::messages::Lang;
use greenlight_api::ServerCode;
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

fn kind_name(kind: Kind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (Kind::Ticket, Lang::En) => "an issuance ticket",
        (Kind::Ticket, Lang::ZhHans) => "签发凭单",
        (Kind::Ticket, Lang::ZhHant) => "簽發憑單",
        (Kind::KeyList, Lang::En) => "an issuer key list",
        (Kind::KeyList, Lang::ZhHans) => "签发方密钥列表",
        (Kind::KeyList, Lang::ZhHant) => "簽發方金鑰清單",
        (Kind::VenueCode, Lang::En) => "a venue code",
        (Kind::VenueCode, Lang::ZhHans) => "场所码",
        (Kind::VenueCode, Lang::ZhHant) => "場所碼",
        (Kind::Presentation, Lang::En) => "a visitor's code (a presentation)",
        (Kind::Presentation, Lang::ZhHans) => "出示码",
        (Kind::Presentation, Lang::ZhHant) => "出示碼",
        (Kind::VenueSetup, Lang::En) => "a venue set-up code",
        (Kind::VenueSetup, Lang::ZhHans) => "场所设置码",
        (Kind::VenueSetup, Lang::ZhHant) => "場所設定碼",
    }
}

/// `en`, `zh_hans`, `zh_hant` picked by language, formatted with the captured fields.
macro_rules! tr {
    ($lang:expr, $en:literal, $hans:literal, $hant:literal) => {
        match $lang {
            Lang::En => format!($en),
            Lang::ZhHans => format!($hans),
            Lang::ZhHant => format!($hant),
        }
    };
}

fn no_token_text(n: &NoToken, lang: Lang) -> String {
    match n {
        NoToken::Empty => tr!(lang,
            "this person has no tokens left: redeem a new ticket",
            "此人已没有凭证：请兑换新的凭单",
            "此人已沒有憑證：請兌換新的憑單"),
        NoToken::NoneGreen => tr!(lang,
            "none of this person's tokens shows a green status",
            "此人的凭证中没有绿码",
            "此人的憑證中沒有綠碼"),
        NoToken::NoneAcceptedKey => tr!(lang,
            "this person's tokens were issued under keys no longer accepted: redeem a new ticket",
            "此人的凭证所用的签发密钥已不再被接受：请兑换新的凭单",
            "此人的憑證所用的簽發金鑰已不再被接受：請兌換新的憑單"),
        NoToken::FromTheFuture => tr!(lang,
            "every token is dated after this phone's clock: the clock is behind — set the time automatically",
            "所有凭证的时间都晚于本机时钟：手机时间偏慢——请设为自动校时",
            "所有憑證的時間都晚於本機時鐘：手機時間偏慢——請設為自動校時"),
        NoToken::AllTooOld { window_hours } => tr!(lang,
            "every token is older than this venue's {window_hours} h window: go online and redeem a new ticket",
            "所有凭证都早于该场所要求的 {window_hours} 小时：请联网并兑换新的凭单",
            "所有憑證都早於該場所要求的 {window_hours} 小時：請連網並兌換新的憑單"),
    }
}

fn wallet_text(e: &WalletError, lang: Lang) -> String {
    use WalletError as W;
    match e {
        W::BadProfile(name) => tr!(lang,
            "\"{name}\" is not a usable name (1 to 32 characters, no spaces)",
            "“{name}”不能用作名称（1 到 32 个字符，不含空格）",
            "「{name}」不能用作名稱（1 到 32 個字元，不含空格）"),
        W::Corrupt(_) | W::Encode(_) => tr!(lang,
            "the wallet's stored data is damaged",
            "钱包中保存的数据已损坏",
            "錢包中儲存的資料已損壞"),
        W::UnknownProfile { profile, .. } => tr!(lang,
            "there is no person called \"{profile}\" in this wallet",
            "钱包中没有名为“{profile}”的人",
            "錢包中沒有名為「{profile}」的人"),
        W::BadTicket(_) => tr!(lang,
            "the ticket is damaged",
            "凭单已损坏",
            "憑單已損壞"),
        W::TicketAuthority => tr!(lang,
            "this ticket is not signed by the health authority this server accepts tickets from: it is for another issuer, or damaged; nothing was redeemed",
            "该凭单不是由本服务器所接受的卫生部门签发的：它属于其他签发方，或已损坏；未领取任何凭证",
            "該憑單不是由本伺服器所接受的衛生部門簽發的：它屬於其他簽發方，或已損壞；未領取任何憑證"),
        W::TicketExpired { .. } => tr!(lang,
            "the ticket has expired; ask the health authority for a new one",
            "该凭单已过期；请向卫生部门申请新凭单",
            "該憑單已過期；請向衛生部門申請新憑單"),
        W::TicketNotYetValid { .. } => tr!(lang,
            "the ticket is not valid yet (or this phone's clock is behind)",
            "该凭单尚未生效（或手机时间偏慢）",
            "該憑單尚未生效（或手機時間偏慢）"),
        W::IssuingKey { key_id, .. } | W::InvalidListedKey(key_id) => tr!(lang,
            "the server issues under key {key_id}, which the signed key list does not allow now; nothing was redeemed",
            "服务器使用的签发密钥 {key_id} 目前不被已签名的密钥列表允许；未领取任何凭证",
            "伺服器使用的簽發金鑰 {key_id} 目前不被已簽署的金鑰清單允許；未領取任何憑證"),
        W::TaggingRisk(_) => tr!(lang,
            "the key list could sort residents into small groups (too many or look-alike issuer keys); the wallet refuses to redeem under it",
            "该密钥列表可能把居民分成可识别的小组（签发密钥过多或相似）；钱包拒绝在其下领取",
            "該金鑰清單可能把居民分成可識別的小組（簽發金鑰過多或相似）；錢包拒絕在其下領取"),
        W::RegionChanged { profile, pinned, offered } => tr!(lang,
            "\"{profile}\" gets tokens in region {pinned}, but this server issues for region {offered}; refused, because an issuer moving residents between regions could tell them apart",
            "“{profile}”在地区 {pinned} 领取凭证，但该服务器签发的是地区 {offered} 的凭证；已拒绝，因为在地区之间转移居民的签发方可以借此区分他们",
            "「{profile}」在地區 {pinned} 領取憑證，但該伺服器簽發的是地區 {offered} 的憑證；已拒絕，因為在地區之間轉移居民的簽發方可以藉此區分他們"),
        W::Certified(greenlight_issuance::CertifiedMismatch::TimestampSkew { .. }) => tr!(lang,
            "the issuer's time and this phone's clock are hours apart: set the phone's time automatically and try again",
            "签发方时间与手机时钟相差数小时：请将手机时间设为自动后重试",
            "簽發方時間與手機時鐘相差數小時：請將手機時間設為自動後重試"),
        W::Certified(_) | W::BadMessage { .. } | W::Issuance(_) => tr!(lang,
            "the issuer's answer did not verify (it certified something other than the ticket, or a token does not verify); nothing from it was stored",
            "签发方的响应未通过验证（认证内容与凭单不符，或有凭证无法验证）；未保存其中任何内容",
            "簽發方的回應未通過驗證（認證內容與憑單不符，或有憑證無法驗證）；未儲存其中任何內容"),
        W::NoToken(n) => no_token_text(n, lang),
        W::Prove(_) => tr!(lang,
            "the code could not be made (the token was used up); try again",
            "无法生成出示码（该凭证已用掉）；请重试",
            "無法產生出示碼（該憑證已用掉）；請重試"),
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
            Failure::Keys(KeysRefusal::Invalid(_)) => tr!(lang,
                "the issuer's key list does not verify; nothing was changed",
                "签发方密钥列表无法验证；未作任何更改",
                "簽發方金鑰清單無法驗證；未作任何變更"),
            Failure::Keys(KeysRefusal::RootMismatch { pinned, offered }) => tr!(lang,
                "the server's root key (fingerprint {offered}) is not the one this wallet trusts ({pinned}); refused — this may be an impostor server",
                "服务器的根密钥（指纹 {offered}）与本钱包信任的根密钥（{pinned}）不一致；已拒绝——这可能是冒充的服务器",
                "伺服器的根金鑰（指紋 {offered}）與本錢包信任的根金鑰（{pinned}）不一致；已拒絕——這可能是冒充的伺服器"),
            Failure::Keys(KeysRefusal::Update(_)) => tr!(lang,
                "the server's key list is older than the one this wallet holds (or rewrites it); keeping the one held",
                "服务器的密钥列表比本钱包持有的旧（或改写了它）；保留现有列表",
                "伺服器的金鑰清單比本錢包持有的舊（或改寫了它）；保留現有清單"),
            // The wallet names no witnesses today (spec §7.6, "Who checks"); the text is here
            // so that the match stays total when it does.
            Failure::Keys(KeysRefusal::NotWitnessed(_)) => tr!(lang,
                "the server's key list is not vouched for by enough witnesses; keeping the one held",
                "服务器的密钥列表没有得到足够多见证方的背书；保留现有列表",
                "伺服器的金鑰清單沒有得到足夠多見證方的背書；保留現有清單"),
            Failure::Server { status, code, stored } => {
                let base = match code {
                    ServerCode::Known(c) => server_code_text(*c, lang).to_owned(),
                    ServerCode::Other(other) => tr!(lang,
                        "the server answered with an error (HTTP {status}, {other})",
                        "服务器返回错误（HTTP {status}，{other}）",
                        "伺服器回傳錯誤（HTTP {status}，{other}）"),
                };
                if *stored > 0 {
                    let more = tr!(lang,
                        " ({stored} tokens were stored before this)",
                        "（此前已保存 {stored} 个凭证）",
                        "（此前已儲存 {stored} 個憑證）");
                    format!("{base}{more}")
                } else {
                    base
                }
            }
            Failure::BadResponse(_) => tr!(lang,
                "the server sent an answer this wallet does not understand (is the page up to date?)",
                "服务器返回了本钱包无法识别的响应（页面是否为最新版本？）",
                "伺服器回傳了本錢包無法識別的回應（頁面是否為最新版本？）"),
            Failure::WrongKind { want, found: Some(found) } => {
                let (w, f) = (kind_name(*want, lang), kind_name(*found, lang));
                tr!(lang, "this is {f}, not {w}", "这是{f}，不是{w}", "這是{f}，不是{w}")
            }
            Failure::WrongKind { want, found: None } => {
                let w = kind_name(*want, lang);
                tr!(lang, "this is not {w} (not a Greenlight code)", "这不是{w}（不是 Greenlight 码）", "這不是{w}（不是 Greenlight 碼）")
            }
            Failure::Damaged { kind } => {
                let k = kind_name(*kind, lang);
                tr!(lang, "{k} is damaged or cut short: copy or scan it again", "{k}已损坏或不完整：请重新复制或扫描", "{k}已損壞或不完整：請重新複製或掃描")
            }
            Failure::NotSetUp => tr!(lang,
                "the wallet is not set up yet",
                "钱包尚未设置",
                "錢包尚未設定"),
            Failure::ProfileTaken(name) => tr!(lang,
                "there is already a person called \"{name}\"",
                "已有名为“{name}”的人",
                "已有名為「{name}」的人"),
            Failure::Storage(_) => tr!(lang,
                "the wallet's stored data is damaged",
                "钱包中保存的数据已损坏",
                "錢包中儲存的資料已損壞"),
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
        W::Empty => tr!(
            lang,
            "No tokens: redeem a ticket",
            "没有凭证：请兑换凭单",
            "沒有憑證：請兌換憑單"
        ),
        W::FewLeft { left } => tr!(
            lang,
            "Only {left} left: redeem a new ticket soon",
            "仅剩 {left} 个：请尽快兑换新凭单",
            "僅剩 {left} 個：請盡快兌換新憑單"
        ),
        W::ShortWindowNone => tr!(
            lang,
            "Too old for 6-hour venues (hospitals, care homes): get fresh tokens",
            "已超过 6 小时场所（医院、养老院）的要求：请领取新凭证",
            "已超過 6 小時場所（醫院、安老院）的要求：請領取新憑證"
        ),
        W::ShortWindowSoon { .. } => tr!(
            lang,
            "Too old for 6-hour venues from {when}",
            "自 {when} 起不再满足 6 小时场所的要求",
            "自 {when} 起不再符合 6 小時場所的要求"
        ),
        W::DayWindowNone => tr!(
            lang,
            "Too old for 24-hour venues: get fresh tokens before going out",
            "已超过 24 小时场所的要求：外出前请领取新凭证",
            "已超過 24 小時場所的要求：外出前請領取新憑證"
        ),
        W::DayWindowSoon { .. } => tr!(
            lang,
            "Too old for 24-hour venues from {when}: go online before then",
            "自 {when} 起不再满足 24 小时场所的要求：请在此之前联网",
            "自 {when} 起不再符合 24 小時場所的要求：請在此之前連網"
        ),
    }
}

/// The clock warning, `minutes` the device's offset (positive: ahead).
pub fn clock_text(minutes: i64, lang: Lang) -> String {
    let m = minutes.unsigned_abs();
    if minutes > 0 {
        tr!(lang,
            "This phone's clock is {m} min ahead of the issuer's. Set the time automatically, or venues may refuse your code.",
            "本机时钟比签发方快 {m} 分钟。请将时间设为自动，否则场所可能拒绝您的出示码。",
            "本機時鐘比簽發方快 {m} 分鐘。請將時間設為自動，否則場所可能拒絕您的出示碼。")
    } else {
        tr!(lang,
            "This phone's clock is {m} min behind the issuer's. Set the time automatically, or venues may refuse your code.",
            "本机时钟比签发方慢 {m} 分钟。请将时间设为自动，否则场所可能拒绝您的出示码。",
            "本機時鐘比簽發方慢 {m} 分鐘。請將時間設為自動，否則場所可能拒絕您的出示碼。")
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
