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
use greenlight_messages::Arg;

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
    let t = |id, args: &[(&str, Arg)]| crate::messages::t(lang, id, args);
    vec![
        t("wallet-learns-status", &[("window", l.window_hours.into())]),
        t(
            "wallet-learns-issuer",
            &[
                ("issuer", issuer.as_str().into()),
                ("key_id", l.key_id.as_str().into()),
            ],
        ),
        t("wallet-learns-scope", &[]),
        t(
            "wallet-learns-token-id",
            &[("token_id", l.token_id[..16].into())],
        ),
        t("wallet-learns-not-in-it", &[]),
    ]
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
