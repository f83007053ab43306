//! `greenlight inspect`: every field of a code, and what it reveals — for privacy reviewers
//! and for anyone who wants to see what a venue actually receives.
//!
//! Nothing here verifies signatures or proofs (that is `venue verify`); the output says so.

use greenlight_circuits::Presentation;
use greenlight_protocol::{detect_kind, KeyList, Kind, Ticket, VenueCode};
use greenlight_venue::{SetupError, VenueSetup};

use crate::clock::format_unix;
use crate::error::{ClientError, CodeProblem, Result};
use crate::i18n::{kind_name, status_name, Lang, Msg};
use crate::keys::Trust;
use crate::qr;

/// Describe `text` (any Greenlight code) line by line in `lang`. `trust`, when given (a
/// venue's or wallet's verified key list), names the issuing region of a presentation.
pub fn inspect(text: &str, lang: Lang, trust: Option<&Trust>) -> Result<Vec<String>> {
    let text = text.trim();
    let kind = detect_kind(text).ok_or(ClientError::NotGreenlight)?;
    let damaged = |problem: CodeProblem| ClientError::Damaged { kind, problem };
    let wire = |e: greenlight_protocol::WireError| damaged(CodeProblem::of_wire(kind, text, &e));
    let protocol =
        |e: greenlight_protocol::ProtocolError| damaged(CodeProblem::of_protocol(kind, text, &e));
    let mut out = Vec::new();
    let heading = |bytes: usize| {
        Msg::InsHeading {
            kind: kind_name(kind, lang),
            bytes: bytes as u64,
            chars: text.chars().count() as u64,
        }
        .text(lang)
    };
    match kind {
        Kind::Presentation => {
            let p = Presentation::from_text(text).map_err(wire)?;
            describe_presentation(&p, text, lang, trust, &mut out, heading(p.to_bytes().len()))?;
        }
        Kind::VenueCode => {
            let v = VenueCode::from_text(text).map_err(protocol)?;
            out.push(heading(v.to_bytes().len()));
            describe_venue_code(&v, lang, &mut out);
            out.push(Msg::InsVenueNote.text(lang));
        }
        Kind::VenueSetup => {
            let s = VenueSetup::from_text(text).map_err(|e| match e {
                SetupError::Wire(w) => wire(w),
                other => damaged(CodeProblem::Invalid(other.to_string())),
            })?;
            out.push(heading(s.to_bytes().len()));
            describe_venue_code(s.code(), lang, &mut out);
            out.push(
                Msg::InsSetupServer {
                    server: s.server().to_owned(),
                }
                .text(lang),
            );
            out.push(
                Msg::InsSetupRoot {
                    fingerprint: s.root_fingerprint_hex(),
                }
                .text(lang),
            );
            out.push(Msg::InsSetupNote.text(lang));
        }
        Kind::Ticket => {
            let t = Ticket::from_text(text).map_err(protocol)?;
            let b = t.unverified_body();
            out.push(heading(t.to_bytes().len()));
            out.push(
                Msg::InsTicketId {
                    id: hex::encode(b.ticket_id()),
                }
                .text(lang),
            );
            out.push(
                Msg::InsTicketSubject {
                    subject: b.subject().as_str().to_owned(),
                }
                .text(lang),
            );
            out.push(
                Msg::InsTicketStatus {
                    status: status_name(b.status(), lang),
                }
                .text(lang),
            );
            let travel = if b.travel().is_empty() {
                Msg::InsNone.text(lang)
            } else {
                b.travel()
                    .codes()
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            out.push(Msg::InsTicketTravel { travel }.text(lang));
            out.push(
                Msg::InsTicketValidity {
                    from: format_unix(b.not_before()),
                    until: format_unix(b.not_after()),
                }
                .text(lang),
            );
            out.push(
                Msg::InsTicketTokens {
                    tokens: u64::from(b.tokens()),
                }
                .text(lang),
            );
            out.push(
                Msg::InsTicketAuthority {
                    key_id: hex::encode(t.authority_key_id()),
                }
                .text(lang),
            );
            out.push(Msg::InsTicketUnverified.text(lang));
        }
        Kind::KeyList => {
            let l = KeyList::from_text(text).map_err(protocol)?;
            let b = l.unverified_body();
            out.push(heading(l.to_bytes().len()));
            out.push(
                Msg::InsKeyListSeq {
                    sequence: b.sequence(),
                    issued_at: format_unix(b.issued_at()),
                }
                .text(lang),
            );
            for issuer in b.issuers() {
                out.push(
                    Msg::InsKeyListIssuer {
                        region: issuer.region.clone(),
                        name: issuer.display_name.clone(),
                    }
                    .text(lang),
                );
                for k in &issuer.keys {
                    let revoked = if k.revoked { Msg::Yes } else { Msg::No }.text(lang);
                    out.push(
                        Msg::InsKeyListKey {
                            key_id: hex::encode(k.key_id),
                            from: format_unix(k.issue_from),
                            until: format_unix(k.issue_until),
                            accept: format_unix(k.accept_until),
                            revoked,
                        }
                        .text(lang),
                    );
                }
            }
            out.push(Msg::InsKeyListUnverified.text(lang));
        }
    }
    Ok(out)
}

/// The fields of a venue code (also inside a set-up code).
fn describe_venue_code(v: &VenueCode, lang: Lang, out: &mut Vec<String>) {
    out.push(
        Msg::InsVenueId {
            venue_id: hex::encode(v.venue_id()),
        }
        .text(lang),
    );
    out.push(
        Msg::InsVenueName {
            name: v.name().to_owned(),
        }
        .text(lang),
    );
    out.push(
        Msg::InsVenueWindow {
            window: u64::from(v.window_hours()),
        }
        .text(lang),
    );
    out.push(
        Msg::InsVenueRequires {
            status: status_name(v.required_status(), lang),
        }
        .text(lang),
    );
}

fn describe_presentation(
    p: &Presentation,
    text: &str,
    lang: Lang,
    trust: Option<&Trust>,
    out: &mut Vec<String>,
    heading: String,
) -> Result<()> {
    let c = &p.context;
    out.push(heading);
    out.push(
        Msg::InsPresKeyId {
            key_id: c.key_id.to_string(),
        }
        .text(lang),
    );
    if let Some(region) = trust.and_then(|t| t.region_of(&c.key_id.0)) {
        out.push(Msg::InsPresRegion { region }.text(lang));
    }
    out.push(
        Msg::InsPresTimeSlot {
            hour: u64::from(c.time_slot_hours),
            utc: format_unix(u64::from(c.time_slot_hours) * 3600),
        }
        .text(lang),
    );
    out.push(
        Msg::InsPresWindow {
            window: u64::from(c.window_hours),
        }
        .text(lang),
    );
    out.push(
        Msg::InsPresVenue {
            venue_id: hex::encode(c.venue_id),
        }
        .text(lang),
    );
    out.push(
        Msg::InsPresPolicy {
            policy: u64::from(c.policy.as_u8()),
        }
        .text(lang),
    );
    out.push(
        Msg::InsPresZeta {
            zeta: hex::encode(p.signature.zeta_compressed().as_bytes()),
        }
        .text(lang),
    );
    out.push(
        Msg::InsPresZeta1 {
            zeta1: hex::encode(p.token_id()),
        }
        .text(lang),
    );
    out.push(Msg::InsPresSignatureRest.text(lang));
    out.push(
        Msg::InsPresV {
            v: hex::encode(p.v_compressed.as_bytes()),
        }
        .text(lang),
    );
    out.push(
        Msg::InsPresProofs {
            sigma: greenlight_wire::lengths::GREEN_RECENT_SIGMA as u64,
            range: p.range.to_bytes().len() as u64,
        }
        .text(lang),
    );
    if c.key_list != greenlight_circuits::KeyListBinding::None {
        out.push(Msg::InsPresKeyList.text(lang));
    }
    out.push(
        Msg::InsPresQr {
            version: qr::version_for(text, qr::PRESENTATION_EC)?,
        }
        .text(lang),
    );
    out.push(Msg::InsPresSummary.text(lang));
    Ok(())
}
