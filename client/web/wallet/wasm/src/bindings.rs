//! The JavaScript surface (wasm-bindgen). Strings in, JSON strings out. A refusal is thrown as
//! an `Error` whose message is the JSON `{"code": …, "text": …}` ([`crate::Described`]), the
//! text already in the page's language (`lang`: `en`, `zh-Hans`, `zh-Hant`).

use greenlight_protocol::VenueCode;
use greenlight_venue::TrustedKeyList;
use greenlight_wallet::PendingPresentation;
use rand_core::OsRng;
use wasm_bindgen::prelude::*;

use crate::messages::{clock_text, Failure, Lang};
use crate::redeem::RedeemDriver;
use crate::wallet::{parse_venue, preview_keys, WebWallet};
use crate::{present, unix_secs_from_f64};

fn lang_of(tag: &str) -> Lang {
    Lang::from_tag(tag)
}

fn thrown(f: Failure, lang: &str) -> JsError {
    JsError::new(&serde_json::to_string(&f.describe(lang_of(lang))).unwrap_or_default())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, JsError> {
    serde_json::to_string(v).map_err(|e| JsError::new(&e.to_string()))
}

/// The language for a list of browser language tags (`navigator.languages`, space-separated):
/// the first English or Chinese one decides; none: English.
#[wasm_bindgen]
pub fn lang_for(tags: &str) -> String {
    tags.split_whitespace()
        .find(|t| {
            let t = t.to_ascii_lowercase();
            t.starts_with("en") || t.starts_with("zh")
        })
        .map(Lang::from_tag)
        .unwrap_or(Lang::En)
        .tag()
        .to_owned()
}

/// First run: the server's root fingerprint, whether it matches `root` (from `#root=`, or
/// empty), the key-list version and issuers. JSON.
#[wasm_bindgen]
pub fn preview_key_list(keys_json: &str, root: &str, lang: &str) -> Result<String, JsError> {
    json(&preview_keys(keys_json, root).map_err(|e| thrown(e, lang))?)
}

/// A venue code's name and window: JSON `{name, window_hours}`.
#[wasm_bindgen]
pub fn decode_venue(text: &str, lang: &str) -> Result<String, JsError> {
    let v = parse_venue(text).map_err(|e| thrown(e, lang))?;
    json(&serde_json::json!({ "name": v.name(), "window_hours": v.window_hours() }))
}

/// The clock warning, if this device's clock (`device_now`, seconds) is off from the issuer's
/// (`server_now`, from its `Date` header) by more than `greenlight_wallet::CLOCK_SKEW_WARN_SECS`.
#[wasm_bindgen]
pub fn clock_warning(device_now: f64, server_now: f64, lang: &str) -> Option<String> {
    let skew = greenlight_wallet::clock_skew(
        unix_secs_from_f64(device_now),
        unix_secs_from_f64(server_now),
    )?;
    Some(clock_text(skew / 60, lang_of(lang)))
}

/// This crate's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The wallet document.
#[wasm_bindgen]
pub struct Wallet {
    inner: WebWallet,
}

#[wasm_bindgen]
impl Wallet {
    /// From the stored (decrypted) bytes; empty: not set up.
    pub fn open(bytes: &[u8], lang: &str) -> Result<Wallet, JsError> {
        WebWallet::open(bytes)
            .map(|inner| Wallet { inner })
            .map_err(|e| thrown(e, lang))
    }

    /// Set up from the issuer's key list, pinning `root` (fingerprint or key; empty: the
    /// server's, whose fingerprint the page showed).
    pub fn create(keys_json: &str, root: &str, lang: &str) -> Result<Wallet, JsError> {
        WebWallet::create(keys_json, root, &mut OsRng)
            .map(|(inner, _)| Wallet { inner })
            .map_err(|e| thrown(e, lang))
    }

    /// Whether a key list is pinned.
    pub fn is_set_up(&self) -> bool {
        self.inner.is_set_up()
    }

    /// The bytes to store (the page encrypts them).
    pub fn to_bytes(&self, lang: &str) -> Result<Vec<u8>, JsError> {
        self.inner
            .to_bytes()
            .map(|b| b.to_vec())
            .map_err(|e| thrown(e, lang))
    }

    /// The status screen at `now` (seconds): JSON.
    pub fn status(&self, now: f64, lang: &str) -> Result<String, JsError> {
        json(
            &self
                .inner
                .status(unix_secs_from_f64(now), lang_of(lang))
                .map_err(|e| thrown(e, lang))?,
        )
    }

    /// Takes in the issuer's current key list; whether it changed.
    pub fn update_keys(&mut self, keys_json: &str, lang: &str) -> Result<bool, JsError> {
        self.inner
            .update_keys(keys_json)
            .map_err(|e| thrown(e, lang))
    }

    /// Adds a family member (own holder secret).
    pub fn add_profile(&mut self, name: &str, lang: &str) -> Result<(), JsError> {
        self.inner
            .add_profile(name, &mut OsRng)
            .map_err(|e| thrown(e, lang))
    }

    /// Renames a profile.
    pub fn rename_profile(&mut self, from: &str, to: &str, lang: &str) -> Result<(), JsError> {
        self.inner
            .rename_profile(from, to)
            .map_err(|e| thrown(e, lang))
    }

    /// Removes a profile; returns the tokens that went with it.
    pub fn remove_profile(&mut self, name: &str, lang: &str) -> Result<u32, JsError> {
        self.inner
            .remove_profile(name)
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            .map_err(|e| thrown(e, lang))
    }

    /// Takes the token for the venue out of `profile`. Store `pending.document()`, then call
    /// `pending.prove()`.
    pub fn withdraw(
        &mut self,
        profile: &str,
        venue_text: &str,
        now: f64,
        lang: &str,
    ) -> Result<Pending, JsError> {
        let (pending, venue) = self
            .inner
            .withdraw(profile, venue_text, unix_secs_from_f64(now))
            .map_err(|e| thrown(e, lang))?;
        Ok(Pending {
            inner: Some(pending),
            venue,
            trust: self.inner.doc().ok().map(|d| d.trust().clone()),
        })
    }

    /// "What's in my QR" for a presentation's text: JSON.
    pub fn describe(&self, text: &str, lang: &str) -> Result<String, JsError> {
        let trust = self.inner.doc().ok().map(|d| d.trust());
        json(&present::describe(text, trust, lang_of(lang)).map_err(|e| thrown(e, lang))?)
    }

    /// Begins redeeming `ticket` for `profile` with the issuer's `GET /v1/keys` body.
    pub fn begin_redeem(
        &self,
        ticket: &str,
        keys_json: &str,
        profile: &str,
        now: f64,
        new_region: bool,
        lang: &str,
    ) -> Result<Redeem, JsError> {
        RedeemDriver::begin(
            &self.inner,
            ticket,
            keys_json,
            profile,
            unix_secs_from_f64(now),
            new_region,
            &mut OsRng,
        )
        .map(|inner| Redeem { inner })
        .map_err(|e| thrown(e, lang))
    }
}

/// Passkey / top-up bindings: a kept ticket (`greenlight_wallet::topup`).
#[wasm_bindgen]
impl Wallet {
    /// Begins redeeming a ticket the resident keeps for automatic top-up: only the first
    /// part of it ([`greenlight_wallet::first_redeem`]); the rest stays on the issuer's quota.
    pub fn begin_redeem_kept(
        &self,
        ticket: &str,
        keys_json: &str,
        profile: &str,
        now: f64,
        lang: &str,
    ) -> Result<Redeem, JsError> {
        let tokens = crate::wallet::parse_ticket(ticket)
            .map_err(|e| thrown(e, lang))?
            .unverified_body()
            .tokens();
        self.begin_part(
            ticket,
            keys_json,
            profile,
            now,
            greenlight_wallet::first_redeem(tokens),
            lang,
        )
    }

    /// The top-up due for `profile` now with `quota_left` tokens left on its kept ticket:
    /// JSON `{tokens, reason}`, or `undefined` when none is due.
    pub fn top_up(&self, profile: &str, now: f64, quota_left: u16) -> Option<String> {
        let doc = self.inner.doc().ok()?;
        let due = doc.top_up(profile, unix_secs_from_f64(now), quota_left)?;
        serde_json::to_string(&serde_json::json!({
            "tokens": due.tokens,
            "reason": due.reason.code(),
        }))
        .ok()
    }

    /// Whether a failure's code means the kept ticket will never mint again (forget it).
    pub fn kept_ticket_spent(code: &str) -> bool {
        greenlight_wallet::kept_ticket_spent(code)
    }

    /// Begins a top-up: `tokens` more of the kept ticket's quota for `profile`.
    pub fn begin_top_up(
        &self,
        ticket: &str,
        keys_json: &str,
        profile: &str,
        now: f64,
        tokens: u16,
        lang: &str,
    ) -> Result<Redeem, JsError> {
        self.begin_part(ticket, keys_json, profile, now, tokens, lang)
    }
}

impl Wallet {
    fn begin_part(
        &self,
        ticket: &str,
        keys_json: &str,
        profile: &str,
        now: f64,
        want: u16,
        lang: &str,
    ) -> Result<Redeem, JsError> {
        RedeemDriver::begin_part(
            &self.inner,
            ticket,
            keys_json,
            profile,
            unix_secs_from_f64(now),
            false,
            Some(want),
            &mut OsRng,
        )
        .map(|inner| Redeem { inner })
        .map_err(|e| thrown(e, lang))
    }
}

/// A token taken out for one venue, not proven yet.
#[wasm_bindgen]
pub struct Pending {
    inner: Option<PendingPresentation>,
    venue: VenueCode,
    trust: Option<TrustedKeyList>,
}

#[wasm_bindgen]
impl Pending {
    /// The document without the token: store it (durably) before `prove`.
    pub fn document(&self) -> Vec<u8> {
        self.inner
            .as_ref()
            .map(|p| p.document_to_save().to_vec())
            .unwrap_or_default()
    }

    /// Proves, once: JSON `{text, qr: {size, version, modules}, venue_name, hour_start,
    /// hour_end, tokens_left, learns}`.
    pub fn prove(&mut self, lang: &str) -> Result<String, JsError> {
        let pending = self
            .inner
            .take()
            .ok_or_else(|| JsError::new(r#"{"code":"already_proven","text":""}"#))?;
        json(
            &present::prove_and_show(
                pending,
                &self.venue,
                self.trust.as_ref(),
                lang_of(lang),
                &mut OsRng,
            )
            .map_err(|e| thrown(e, lang))?,
        )
    }
}

/// A redeem in progress.
#[wasm_bindgen]
pub struct Redeem {
    inner: RedeemDriver,
}

#[wasm_bindgen]
impl Redeem {
    /// JSON `{tokens, batches, region, issuer_name, new_region_pin}`.
    pub fn info(&self) -> String {
        serde_json::to_string(self.inner.info()).unwrap_or_default()
    }

    /// `[batches begun, batches in all]`.
    pub fn progress(&self) -> Vec<u32> {
        let (a, b) = self.inner.progress();
        vec![a as u32, b as u32]
    }

    /// The next request, JSON `{path, body}`, or `undefined` when done.
    pub fn next_request(&mut self, now: f64, lang: &str) -> Result<Option<String>, JsError> {
        match self
            .inner
            .next_request(unix_secs_from_f64(now), &mut OsRng)
            .map_err(|e| thrown(e, lang))?
        {
            Some(r) => Ok(Some(json(&r)?)),
            None => Ok(None),
        }
    }

    /// The answer to the last request (`retry_after`: its `Retry-After` in seconds, or a
    /// negative number for none). JSON step: `{step: "continue" | "wait" | "stored", …}`.
    #[allow(clippy::too_many_arguments)]
    pub fn on_response(
        &mut self,
        wallet: &mut Wallet,
        status: u16,
        body: &str,
        retry_after: f64,
        now: f64,
        lang: &str,
    ) -> Result<String, JsError> {
        let retry = (retry_after >= 0.0).then(|| unix_secs_from_f64(retry_after));
        json(
            &self
                .inner
                .on_response(
                    &mut wallet.inner,
                    status,
                    body,
                    retry,
                    unix_secs_from_f64(now),
                    &mut OsRng,
                )
                .map_err(|e| thrown(e, lang))?,
        )
    }
}
