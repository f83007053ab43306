//! `greenlight demo`: the whole story in one process — a real issuer on a loopback port with
//! a temporary store, a wallet and two venues in temporary directories — with numbered,
//! readable output. Every step checks that the system behaved as it must (a replay is
//! rejected, a red token cannot pass, …); the demo fails with the step number otherwise.

use std::io::Write;

use greenlight_acl::IssuerPublicKey;
use greenlight_circuits::statements::green_recent;
use greenlight_circuits::{KeyListBinding, Policy, PresentationContext, RejectReason};
use greenlight_server::EphemeralServer;
use rand::rngs::OsRng;

use crate::clock::{hour_of, now_unix};
use crate::error::ClientError;
use crate::http::{AdminTicketRequest, ErrorCode, Http, HttpError, ServerCode};
use crate::i18n::{Lang, Msg};
use crate::keys::PinOutcome;
use crate::qr;
use crate::venue::{Rejection, Venue, Verdict};
use crate::wallet::{RedeemReport, Wallet};

/// Which step failed, and how.
#[derive(Debug, thiserror::Error)]
#[error("demo step {step} failed: {detail}")]
pub struct DemoFailure {
    pub step: u64,
    pub detail: String,
}

impl DemoFailure {
    pub fn localized(&self, lang: Lang) -> String {
        Msg::DemoFailed {
            step: self.step,
            detail: self.detail.clone(),
        }
        .text(lang)
    }
}

struct Demo<'a> {
    lang: Lang,
    out: &'a mut dyn Write,
    step: u64,
}

impl Demo<'_> {
    fn say(&mut self, msg: Msg) {
        // Output is best effort: a closed stdout must not turn into a failed step.
        let _ = writeln!(self.out, "{}", msg.text(self.lang));
    }
    /// A message indented under the current step.
    /// Report a redeem and check it stored the expected number of tokens.
    fn redeemed(&mut self, report: &RedeemReport, expected: usize) -> Result<(), DemoFailure> {
        self.note(Msg::Redeemed {
            n: report.tokens_added as u64,
            profile: report.profile.clone(),
            status: crate::i18n::status_name(report.status, self.lang),
            total: report.tokens_in_profile as u64,
        });
        if report.tokens_added != expected {
            return Err(self.fail(format!(
                "{} tokens instead of {expected}",
                report.tokens_added
            )));
        }
        Ok(())
    }

    fn note(&mut self, msg: Msg) {
        let text = msg.text(self.lang);
        for line in text.lines() {
            let _ = writeln!(self.out, "    {line}");
        }
    }
    fn line(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
    }
    fn step(&mut self, title: Msg) {
        self.step += 1;
        let title = title.text(self.lang);
        self.say(Msg::DemoStep {
            n: self.step,
            title,
        });
    }
    fn fail(&self, detail: impl Into<String>) -> DemoFailure {
        DemoFailure {
            step: self.step,
            detail: detail.into(),
        }
    }
    fn err(&self, e: &ClientError) -> DemoFailure {
        self.fail(e.localized(self.lang))
    }
    fn expect(&mut self, what: Msg) {
        let what = what.text(self.lang);
        self.say(Msg::DemoExpected { what });
    }
    /// Check a verdict is the expected one and print it.
    fn verdict(&mut self, v: &Verdict, want: Option<RejectReason>) -> Result<(), DemoFailure> {
        self.line(&format!("    {}", v.line(self.lang)));
        match (v, want) {
            (Verdict::Accept { .. }, None) => {}
            (Verdict::Accept { .. }, Some(_)) => {
                return Err(self.fail(Msg::DemoUnexpectedAccept.text(self.lang)))
            }
            (Verdict::Reject(Rejection::Check(got)), Some(want)) if *got == want => {}
            (Verdict::Reject(r), _) => {
                return Err(self.fail(
                    Msg::DemoWrongReason {
                        got: crate::i18n::rejection_text(r, self.lang),
                    }
                    .text(self.lang),
                ))
            }
        }
        self.say(Msg::DemoOk);
        Ok(())
    }
}

/// Run the demo, writing to `out`. `Ok` only if every step behaved as expected.
pub async fn run(lang: Lang, out: &mut dyn Write) -> Result<(), DemoFailure> {
    let mut d = Demo { lang, out, step: 0 };
    d.say(Msg::DemoTitle);

    d.step(Msg::DemoS1Server);
    let server = EphemeralServer::start()
        .await
        .map_err(|e| d.fail(e.to_string()))?;
    d.say(Msg::DemoServerAt {
        url: server.url.clone(),
    });
    d.say(Msg::DemoOk);
    let result = story(&mut d, &server).await;
    server.shutdown().await;
    result?;
    d.say(Msg::DemoAllPassed);
    Ok(())
}

async fn story(d: &mut Demo<'_>, server: &EphemeralServer) -> Result<(), DemoFailure> {
    let http = Http::new(&server.url).map_err(|e| d.err(&e.into()))?;
    let tmp = tempfile::Builder::new()
        .prefix("greenlight-demo-")
        .tempdir()
        .map_err(|e| d.fail(e.to_string()))?;
    let wallet = Wallet::open(tmp.path().join("wallet")).map_err(|e| d.err(&e))?;
    let quiet = |_| {};

    // 2. A green ticket.
    d.step(Msg::DemoS2Ticket);
    let green = ticket(d, &http, &server.admin_token, "demo-green", "green", 5).await?;
    d.say(Msg::DemoTicketSigned {
        tokens: 5,
        chars: green.chars().count() as u64,
    });
    d.say(Msg::DemoOk);

    // 3. Redeem.
    d.step(Msg::DemoS3Redeem);
    let report = wallet
        .redeem(&server.url, &green, "self", &quiet)
        .await
        .map_err(|e| d.err(&e))?;
    if let PinOutcome::FirstUse { fingerprint } = &report.pin {
        d.note(Msg::RootPinnedFirstUse {
            fingerprint: fingerprint.clone(),
        });
    }
    d.redeemed(&report, 5)?;
    d.say(Msg::DemoOk);

    // 4. Two venues.
    d.step(Msg::DemoS4Venues);
    let name_a = Msg::DemoVenueA.text(d.lang);
    let name_b = Msg::DemoVenueB.text(d.lang);
    let (venue_a, _) = Venue::init(tmp.path().join("venue-a"), &server.url, &name_a, 24, None)
        .await
        .map_err(|e| d.err(&e))?;
    let (venue_b, _) = Venue::init(tmp.path().join("venue-b"), &server.url, &name_b, 24, None)
        .await
        .map_err(|e| d.err(&e))?;
    for v in [&venue_a, &venue_b] {
        d.line(&format!("    {}", v.code_text()));
    }
    d.say(Msg::DemoOk);

    // 5. Present and verify.
    d.step(Msg::DemoS5Present);
    let shown = wallet
        .present(&venue_a.code_text(), "self")
        .map_err(|e| d.err(&e))?;
    let version = qr::version_for(&shown.text, qr::PRESENTATION_EC).map_err(|e| d.err(&e))?;
    d.say(Msg::DemoPresentation {
        chars: shown.text.chars().count() as u64,
        version,
    });
    d.line(&format!(
        "    {}…",
        shown.text.chars().take(60).collect::<String>()
    ));
    d.expect(Msg::Accept);
    let v = venue_a.verify_text(&shown.text).map_err(|e| d.err(&e))?;
    d.verdict(&v, None)?;

    // 6. Replay.
    d.step(Msg::DemoS6Replay);
    d.expect(Msg::RejReplayed);
    let v = venue_a.verify_text(&shown.text).map_err(|e| d.err(&e))?;
    d.verdict(&v, Some(RejectReason::Replayed))?;

    // 7. Wrong venue, then the right one.
    d.step(Msg::DemoS7OtherVenue);
    let for_a = wallet
        .present(&venue_a.code_text(), "self")
        .map_err(|e| d.err(&e))?;
    d.expect(Msg::RejWrongVenue);
    let v = venue_b.verify_text(&for_a.text).map_err(|e| d.err(&e))?;
    d.verdict(&v, Some(RejectReason::WrongVenue))?;
    d.say(Msg::DemoS7Back);
    let v = venue_a.verify_text(&for_a.text).map_err(|e| d.err(&e))?;
    d.verdict(&v, None)?;

    // 8. Red tokens: the wallet refuses; a forced proof is rejected.
    d.step(Msg::DemoS8Red);
    let red = ticket(d, &http, &server.admin_token, "demo-red", "red", 2).await?;
    wallet
        .redeem(&server.url, &red, "red", &quiet)
        .await
        .map_err(|e| d.err(&e))?;
    match wallet.present(&venue_a.code_text(), "red") {
        Err(e @ ClientError::NoneGreen(_)) => {
            let reason = e.localized(d.lang);
            d.say(Msg::DemoWalletRefused { reason });
        }
        Err(e) => return Err(d.err(&e)),
        Ok(_) => return Err(d.fail("the wallet presented a red token")),
    }
    d.say(Msg::DemoForced);
    let mut token = wallet
        .withdraw_token("red")
        .map_err(|e| d.err(&e))?
        .ok_or_else(|| d.fail("no red token to withdraw"))?;
    // Lie about the status: the prover now believes it holds a green token. The issuer's
    // signature still covers a commitment to status = red, so (S2) has no witness.
    token.attributes_mut_unchecked().status = greenlight_wire::Status::Green.as_u8();
    let pk: IssuerPublicKey = venue_a
        .trust()
        .accepted_keys(now_unix())
        .get(&token.key_id())
        .map(|k| k.public_key().clone())
        .ok_or_else(|| d.fail("issuer key not in the venue's list"))?;
    let ctx = PresentationContext {
        key_id: token.key_id(),
        venue_id: venue_a.code().venue_id(),
        time_slot_hours: hour_of(now_unix()),
        window_hours: venue_a.code().window_hours(),
        policy: Policy::GREEN_RECENT,
        key_list: KeyListBinding::Digest(venue_a.trust().trusted().presenting_digest(now_unix())),
    };
    let forged = green_recent::prove_with_rng(&token, &pk, &ctx, &mut OsRng)
        .map_err(|e| d.fail(e.to_string()))?;
    d.expect(Msg::RejBadProof);
    let v = venue_a
        .verify_text(&forged.to_text())
        .map_err(|e| d.err(&e))?;
    d.verdict(&v, Some(RejectReason::BadProof))?;

    // 9. Revocation: a new ticket for the revoked subject cannot be redeemed.
    d.step(Msg::DemoS9Revoke);
    let again = ticket(d, &http, &server.admin_token, "demo-green", "green", 3).await?;
    http.admin_revoke(&server.admin_token, "demo-green")
        .await
        .map_err(|e| d.err(&e.into()))?;
    d.expect(Msg::SrvSubjectRevoked);
    match wallet.redeem(&server.url, &again, "self", &quiet).await {
        Err(
            e @ ClientError::Http(HttpError::Server {
                code: ServerCode::Known(ErrorCode::SubjectRevoked),
                ..
            }),
        ) => {
            let reason = e.localized(d.lang);
            d.say(Msg::DemoRedeemRefused { reason });
            d.say(Msg::DemoOk);
        }
        Err(e) => return Err(d.err(&e)),
        Ok(_) => return Err(d.fail("a revoked subject was issued tokens")),
    }

    // 10. Appeal. It revives no ticket signed before it (spec §8.4, subject epochs): the
    // authority signs a new one.
    d.step(Msg::DemoS10Appeal);
    http.admin_appeal(&server.admin_token, "demo-green")
        .await
        .map_err(|e| d.err(&e.into()))?;
    let fresh = ticket(d, &http, &server.admin_token, "demo-green", "green", 3).await?;
    let report = wallet
        .redeem(&server.url, &fresh, "self", &quiet)
        .await
        .map_err(|e| d.err(&e))?;
    d.redeemed(&report, 3)?;
    d.say(Msg::DemoOk);
    Ok(())
}

async fn ticket(
    d: &Demo<'_>,
    http: &Http,
    admin_token: &str,
    subject: &str,
    status: &str,
    tokens: u16,
) -> Result<String, DemoFailure> {
    let resp = http
        .admin_ticket(
            admin_token,
            &AdminTicketRequest {
                subject: subject.to_owned(),
                status: status.to_owned(),
                travel: Some("HK".to_owned()),
                tokens: Some(tokens),
                valid_for_secs: Some(3600),
            },
        )
        .await
        .map_err(|e| d.err(&e.into()))?;
    Ok(resp.ticket)
}
