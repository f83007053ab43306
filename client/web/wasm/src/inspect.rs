//! What a scanned text is, without verifying anything: for the page's "what did I scan?"
//! help and for debugging. Never prints a ticket's subject handle.

use greenlight_circuits::Presentation;
use greenlight_protocol::{detect_kind, KeyList, Kind, Ticket, VenueCode};
use serde_json::{json, Value};

/// Stable code of the kind `text` claims to be by its prefix.
pub fn kind_code(text: &str) -> Option<&'static str> {
    detect_kind(text).map(Kind::code)
}

/// Decode `text` and describe its public, unverified fields as JSON.
pub fn inspect(text: &str) -> Value {
    let kind = kind_code(text);
    let fields = match detect_kind(text) {
        Some(Kind::Presentation) => Presentation::from_text(text).ok().map(|p| {
            let c = &p.context;
            json!({
                "key_id": hex::encode(c.key_id.0),
                "venue_id": hex::encode(c.venue_id),
                "time_slot_hours": c.time_slot_hours,
                "window_hours": c.window_hours,
                "policy": c.policy.as_u8(),
                "token_id": hex::encode(p.token_id()),
            })
        }),
        Some(Kind::VenueCode) => VenueCode::from_text(text).ok().map(|v| {
            json!({
                "venue_id": hex::encode(v.venue_id()),
                "name": v.name(),
                "window_hours": v.window_hours(),
            })
        }),
        Some(Kind::KeyList) => KeyList::from_text(text).ok().map(|k| {
            let body = k.unverified_body();
            json!({
                "sequence": body.sequence(),
                "issued_at": body.issued_at(),
                "issuers": body.issuers().iter().map(|i| &i.region).collect::<Vec<_>>(),
            })
        }),
        Some(Kind::VenueSetup) => greenlight_venue::VenueSetup::from_text(text).ok().map(|s| {
            json!({
                "venue_id": hex::encode(s.code().venue_id()),
                "name": s.code().name(),
                "window_hours": s.code().window_hours(),
                "server": s.server(),
                "root_fingerprint": s.root_fingerprint_hex(),
                "min_key_list_sequence": s.min_key_list_sequence(),
                "clock_tolerance_hours": s.clock_tolerance_hours(),
            })
        }),
        // A ticket is personal (it names its subject): say only that it decodes.
        Some(Kind::Ticket) => Ticket::from_text(text).ok().map(|_| json!({})),
        None => None,
    };
    json!({
        "kind": kind,
        "decodes": fields.is_some(),
        "fields": fields,
    })
}
