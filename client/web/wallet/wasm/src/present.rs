//! Presenting: the proof (after the page stored the document without the token), and what
//! the resident sees — the QR, the venue, the hour the code is valid for — and what the venue
//! will learn from it ("What's in my QR", like `greenlight inspect`).

use greenlight_circuits::Presentation;
use greenlight_protocol::VenueCode;
use greenlight_venue::TrustedKeyList;
use greenlight_wallet::PendingPresentation;
use rand_core::{CryptoRng, RngCore};
use serde::Serialize;

use crate::messages::{Failure, Lang};
use crate::qr::{matrix, Matrix};
use crate::wallet::parse_as;

/// Exactly what a venue learns from a presentation: the fields it carries, and nothing else
/// (the proof shows only that the hidden status is green and the hidden issuance hour falls
/// in the window).
#[derive(Debug, Serialize)]
pub struct Learns {
    /// Hex of the issuer key id (which issuer, of the listed ones).
    pub key_id: String,
    /// That key's issuer: region and name, from the key list.
    pub issuer_region: Option<String>,
    /// See `issuer_region`.
    pub issuer_name: Option<String>,
    /// Hex of the venue id the code is bound to.
    pub venue_id: String,
    /// The hour the code is valid for (Unix seconds of its start).
    pub hour_start: u64,
    /// The venue's window in hours ("issued within the last W hours").
    pub window_hours: u8,
    /// The rule proven (`green_recent`).
    pub policy: &'static str,
    /// Hex of the one-time token id (the venue's replay list; never shown twice).
    pub token_id: String,
    /// Size of the whole code, bytes of text.
    pub text_len: usize,
    /// The lines of the explanation, in the page's language.
    pub lines: Vec<String>,
}

/// A presentation ready to show.
#[derive(Debug, Serialize)]
pub struct Shown {
    /// `GLP1:…`.
    pub text: String,
    /// Its QR code.
    pub qr: Matrix,
    /// The venue's name.
    pub venue_name: String,
    /// Start and end (Unix seconds) of the hour the code is made for.
    pub hour_start: u64,
    /// See `hour_start`.
    pub hour_end: u64,
    /// Tokens left in the profile.
    pub tokens_left: usize,
    /// What the venue learns.
    pub learns: Learns,
}

fn lines(l: &Learns, lang: Lang) -> Vec<String> {
    let issuer = match (&l.issuer_name, &l.issuer_region) {
        (Some(n), Some(r)) => format!("{n} ({r})"),
        _ => l.key_id.clone(),
    };
    let w = l.window_hours;
    match lang {
        Lang::En => vec![
            format!("Your status is green, and your token was issued within the last {w} hours — not when, and not your status's history."),
            format!("It was issued by {issuer} (key {}).", l.key_id),
            "It is made for this venue and this hour only.".into(),
            format!("A one-time number ({}…), so the venue can refuse the same code twice. Your next code has a different one.", &l.token_id[..16]),
            "Not in it: your name, ID number, phone number, travel history, or anything that links two visits.".into(),
        ],
        Lang::ZhHans => vec![
            format!("您的健康状态为绿码，且凭证在最近 {w} 小时内签发——不含具体签发时间，也不含状态历史。"),
            format!("签发方：{issuer}（密钥 {}）。", l.key_id),
            "仅适用于本场所、本小时。".into(),
            format!("一次性编号（{}…），场所借此拒绝重复使用同一码。您的下一个码编号不同。", &l.token_id[..16]),
            "不包含：姓名、证件号码、电话号码、行程记录，或任何能把两次到访联系起来的信息。".into(),
        ],
        Lang::ZhHant => vec![
            format!("您的健康狀態為綠碼，且憑證在最近 {w} 小時內簽發——不含具體簽發時間，也不含狀態歷史。"),
            format!("簽發方：{issuer}（金鑰 {}）。", l.key_id),
            "僅適用於本場所、本小時。".into(),
            format!("一次性編號（{}…），場所藉此拒絕重複使用同一碼。您的下一個碼編號不同。", &l.token_id[..16]),
            "不包含：姓名、證件號碼、電話號碼、行程紀錄，或任何能把兩次到訪聯繫起來的資訊。".into(),
        ],
    }
}

/// What the venue learns from `p`, with the issuer named from `trust`.
pub fn learns(
    p: &Presentation,
    text_len: usize,
    trust: Option<&TrustedKeyList>,
    lang: Lang,
) -> Learns {
    let c = &p.context;
    let issuer = trust.and_then(|t| t.body().find_key(&c.key_id.0).map(|(i, _)| i));
    let mut l = Learns {
        key_id: hex::encode(c.key_id.0),
        issuer_region: issuer.map(|i| i.region.clone()),
        issuer_name: issuer.map(|i| i.display_name.clone()),
        venue_id: hex::encode(c.venue_id),
        hour_start: u64::from(c.time_slot_hours) * 3600,
        window_hours: c.window_hours,
        policy: "green_recent",
        token_id: hex::encode(p.token_id()),
        text_len,
        lines: Vec::new(),
    };
    l.lines = lines(&l, lang);
    l
}

/// "What's in my QR" for a presentation's text.
pub fn describe(text: &str, trust: Option<&TrustedKeyList>, lang: Lang) -> Result<Learns, Failure> {
    let p = parse_as(
        greenlight_protocol::Kind::Presentation,
        text,
        Presentation::from_text,
    )?;
    Ok(learns(&p, text.trim().len(), trust, lang))
}

/// Proves (the page has stored the document without the token) and shapes what to show.
pub fn prove_and_show(
    pending: PendingPresentation,
    venue: &VenueCode,
    trust: Option<&TrustedKeyList>,
    lang: Lang,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Shown, Failure> {
    let tokens_left = pending.tokens_left();
    let p = pending.prove_after_save(rng)?;
    let text = p.to_text();
    let qr =
        matrix(&text).ok_or_else(|| Failure::BadResponse("the code does not fit a QR".into()))?;
    let learns = learns(&p, text.len(), trust, lang);
    Ok(Shown {
        qr,
        venue_name: venue.name().to_owned(),
        hour_start: learns.hour_start,
        hour_end: learns.hour_start + 3600,
        tokens_left,
        text,
        learns,
    })
}
