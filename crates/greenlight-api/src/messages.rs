//! What a resident is told for each server error code, in the three languages of the front
//! ends: English, Simplified and Traditional Chinese. One catalogue for the CLI
//! (`client/src/i18n.rs` takes its `Srv*` texts from here) and the web wallet (compiled to
//! wasm), so a code never reads differently in two places.
//!
//! Exhaustive over [`ErrorCode`]: a code added to the table does not compile until it has a
//! text in every language.

use crate::ErrorCode;

/// A language of the resident-facing front ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese (简体中文).
    ZhHans,
    /// Traditional Chinese (繁體中文).
    ZhHant,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::ZhHans, Lang::ZhHant];

    /// From a BCP 47 tag as browsers give it (`en-GB`, `zh-CN`, `zh-Hant-TW`, `zh-HK`):
    /// Traditional for `zh-Hant` and the regions that write it (TW, HK, MO), Simplified for
    /// any other `zh`, English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        if !(t == "zh" || t.starts_with("zh-")) {
            return Lang::En;
        }
        let parts: Vec<&str> = t.split('-').collect();
        if parts.contains(&"hant") || parts.iter().any(|p| matches!(*p, "tw" | "hk" | "mo")) {
            Lang::ZhHant
        } else {
            Lang::ZhHans
        }
    }

    /// The tag the front ends store and put in `<html lang>`.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
        }
    }
}

/// The resident-facing text for `code` in `lang`.
pub const fn server_code_text(code: ErrorCode, lang: Lang) -> &'static str {
    use ErrorCode as C;
    use Lang::{En, ZhHans as S, ZhHant as T};
    match (code, lang) {
        (C::BadRequest, En) => "the server could not understand the request (is this tool up to date?)",
        (C::BadRequest, S) => "服务器无法理解该请求（本工具是否为最新版本？）",
        (C::BadRequest, T) => "伺服器無法理解該請求（本工具是否為最新版本？）",
        (C::InvalidTicket, En) => "the server says the ticket is not valid (damaged, or not signed by the health authority)",
        (C::InvalidTicket, S) => "服务器认为该凭单无效（已损坏或并非卫生部门签发）",
        (C::InvalidTicket, T) => "伺服器認為該憑單無效（已損壞或並非衛生部門簽發）",
        (C::TicketNotYetValid, En) => "the ticket is not valid yet; try again later",
        (C::TicketNotYetValid, S) => "该凭单尚未生效；请稍后再试",
        (C::TicketNotYetValid, T) => "該憑單尚未生效；請稍後再試",
        (C::TicketExpired, En) => "the ticket has expired; ask the health authority for a new one",
        (C::TicketExpired, S) => "该凭单已过期；请向卫生部门申请新凭单",
        (C::TicketExpired, T) => "該憑單已過期；請向衛生部門申請新憑單",
        (C::TicketTooLong, En) => "the ticket is valid for longer than the issuer accepts (green and yellow tickets: at most 14 days); ask the health authority for a new one",
        (C::TicketTooLong, S) => "该凭单的有效期超过签发方允许的上限（绿码、黄码凭单最长 14 天）；请向卫生部门申请新凭单",
        (C::TicketTooLong, T) => "該憑單的有效期超過簽發方允許的上限（綠碼、黃碼憑單最長 14 天）；請向衛生部門申請新憑單",
        (C::QuotaExceeded, En) => "this ticket has already been used for all the tokens it allows",
        (C::QuotaExceeded, S) => "该凭单可换取的凭证已全部领取",
        (C::QuotaExceeded, T) => "該憑單可換取的憑證已全部領取",
        (C::SubjectRevoked, En) => "the issuer refuses new tokens for this person (status withdrawn); you can appeal to the health authority",
        (C::SubjectRevoked, S) => "签发方拒绝为此人签发新凭证（健康状态已被撤销）；可向卫生部门申诉",
        (C::SubjectRevoked, T) => "簽發方拒絕為此人簽發新憑證（健康狀態已被撤銷）；可向衛生部門申訴",
        (C::TicketSuperseded, En) => "this ticket has been replaced: the health authority issued a newer status for this person (or revoked it, or granted an appeal); ask it for a current ticket",
        (C::TicketSuperseded, S) => "该凭单已被取代：卫生部门已为此人签发了更新的健康状态（或已撤销、或已批准申诉）；请向卫生部门申请最新凭单",
        (C::TicketSuperseded, T) => "該憑單已被取代：衛生部門已為此人簽發了更新的健康狀態（或已撤銷、或已批准申訴）；請向衛生部門申請最新憑單",
        (C::TicketBusy, En) => "another redeem of this ticket is still in progress (on this device or another); wait a minute and try again",
        (C::TicketBusy, S) => "该凭单的另一次兑换仍在进行中（在本设备或其他设备上）；请稍候一分钟再试",
        (C::TicketBusy, T) => "該憑單的另一次兌換仍在進行中（在本裝置或其他裝置上）；請稍候一分鐘再試",
        (C::BadRegistration, En) => "the issuer rejected the wallet's request as malformed",
        (C::BadRegistration, S) => "签发方认为钱包的请求格式有误，已拒绝",
        (C::BadRegistration, T) => "簽發方認為錢包的請求格式有誤，已拒絕",
        (C::UnknownSession, En) => "the issuance session expired or was already completed; redeem the ticket again",
        (C::UnknownSession, S) => "签发会话已过期或已完成；请重新兑换凭单",
        (C::UnknownSession, T) => "簽發會話已過期或已完成；請重新兌換憑單",
        (C::Unauthorized, En) => "the server refused: missing or wrong administrator token",
        (C::Unauthorized, S) => "服务器拒绝：管理员令牌缺失或错误",
        (C::Unauthorized, T) => "伺服器拒絕：管理員令牌缺失或錯誤",
        (C::NotFound | C::MethodNotAllowed, En) => "the server does not offer this service: is the address a Greenlight issuer?",
        (C::NotFound | C::MethodNotAllowed, S) => "该服务器不提供此服务：该地址是否为 Greenlight 签发服务器？",
        (C::NotFound | C::MethodNotAllowed, T) => "該伺服器不提供此服務：該地址是否為 Greenlight 簽發伺服器？",
        (C::PayloadTooLarge, En) => "the request was too large for the server",
        (C::PayloadTooLarge, S) => "请求内容过大，服务器拒绝接收",
        (C::PayloadTooLarge, T) => "請求內容過大，伺服器拒絕接收",
        (C::RateLimited, En) => "too many requests; wait a minute and try again",
        (C::RateLimited, S) => "请求过于频繁；请稍等一分钟后重试",
        (C::RateLimited, T) => "請求過於頻繁；請稍等一分鐘後重試",
        (C::Overloaded, En) => "the server is busy; try again shortly",
        (C::Overloaded, S) => "服务器繁忙；请稍后重试",
        (C::Overloaded, T) => "伺服器繁忙；請稍後重試",
        (C::Timeout, En) => "the server took too long to answer; try again shortly",
        (C::Timeout, S) => "服务器处理超时；请稍后重试",
        (C::Timeout, T) => "伺服器處理逾時；請稍後重試",
        (C::KeyNotIssuing, En) => "the issuer's key is revoked or outside its issuing period; the issuer must set up a new key before it can issue",
        (C::KeyNotIssuing, S) => "签发方的密钥已被吊销或不在签发期内；签发方需启用新密钥后才能签发",
        (C::KeyNotIssuing, T) => "簽發方的金鑰已被撤銷或不在簽發期內；簽發方需啟用新金鑰後才能簽發",
        (C::Internal, En) => "the server had an internal error; try again later",
        (C::Internal, S) => "服务器内部错误；请稍后重试",
        (C::Internal, T) => "伺服器內部錯誤；請稍後重試",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_three_distinct_texts() {
        for code in ErrorCode::ALL {
            let texts = Lang::ALL.map(|l| server_code_text(code, l));
            assert!(texts.iter().all(|t| t.chars().count() > 10), "{code:?}");
            assert!(texts[0].is_ascii(), "{code:?} English");
            assert!(
                !texts[1].is_ascii() && texts[1] != texts[2],
                "{code:?} Chinese"
            );
        }
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!(Lang::from_tag("zh"), Lang::ZhHans);
        assert_eq!(Lang::from_tag("zh-CN"), Lang::ZhHans);
        assert_eq!(Lang::from_tag("zh_SG"), Lang::ZhHans);
        assert_eq!(Lang::from_tag("zh-Hant"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zh-TW"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zh-HK"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zh-Hant-MO"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zhx"), Lang::En);
        for l in Lang::ALL {
            assert_eq!(Lang::from_tag(l.tag()), l);
        }
    }
}
