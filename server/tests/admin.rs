//! Admin authentication, the admin ticket route, keys, limits on bodies, errors, metrics and
//! the data directory.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use greenlight_api::{ErrorCode, KeysResponse};
use greenlight_protocol::{Status, Ticket};
use greenlight_server::TicketRequest;
use serde_json::json;

fn admin_routes() -> Vec<(Method, &'static str, Option<serde_json::Value>)> {
    vec![
        (
            Method::POST,
            "/v1/admin/tickets",
            Some(json!({"subject": "subject-admin", "status": "green"})),
        ),
        (
            Method::POST,
            "/v1/admin/revocations",
            Some(json!({"subject": "subject-admin"})),
        ),
        (
            Method::POST,
            "/v1/admin/appeals",
            Some(json!({"subject": "subject-admin"})),
        ),
    ]
}

#[tokio::test]
async fn every_admin_route_refuses_a_missing_or_wrong_token() {
    let server = TestServer::new();
    let right = server.state.admin_token().to_owned();
    let mut wrong_last = right.clone().into_bytes();
    let last = wrong_last.len() - 1;
    wrong_last[last] = if wrong_last[last] == b'0' { b'1' } else { b'0' };
    let wrong_last = String::from_utf8(wrong_last).unwrap();

    for (method, uri, body) in admin_routes() {
        let mut attempts: Vec<Request<Body>> = vec![
            request(method.clone(), uri, body.clone(), None, None),
            request(method.clone(), uri, body.clone(), Some("nope"), None),
            request(method.clone(), uri, body.clone(), Some(&wrong_last), None),
            request(
                method.clone(),
                uri,
                body.clone(),
                Some(&right[..right.len() - 1]),
                None,
            ),
            request(method.clone(), uri, body.clone(), Some(""), None),
        ];
        // The right token under another scheme.
        let mut basic = request(method.clone(), uri, body.clone(), None, None);
        basic.headers_mut().insert(
            header::AUTHORIZATION,
            format!("Basic {right}").parse().unwrap(),
        );
        attempts.push(basic);
        for req in attempts {
            let reply = server.send(req).await;
            assert_eq!(
                (reply.status, reply.code()),
                (StatusCode::UNAUTHORIZED, "unauthorized"),
                "{method} {uri}"
            );
            assert_eq!(reply.headers[header::WWW_AUTHENTICATE], "Bearer");
        }
    }
    assert!(
        !server.state.store().is_revoked("subject-admin").unwrap(),
        "nothing was revoked"
    );

    // The right token works on each (case-insensitive scheme).
    for (method, uri, body) in admin_routes() {
        let mut req = request(method.clone(), uri, body, None, None);
        req.headers_mut().insert(
            header::AUTHORIZATION,
            format!("bearer {right}").parse().unwrap(),
        );
        assert_eq!(
            server.send(req).await.status,
            StatusCode::OK,
            "{method} {uri}"
        );
    }
}

#[tokio::test]
async fn admin_ticket_route_signs_tickets_the_issuer_accepts() {
    let server = TestServer::new();
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/tickets",
            Some(json!({"subject": "subject-ticket", "status": "yellow", "travel": "hk,CN", "tokens": 3, "valid_for_secs": 3600})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    let text = reply.json["ticket"].as_str().unwrap();
    let ticket = Ticket::from_text(text).unwrap();
    let body = ticket.verify(&server.state.authority_public_key()).unwrap();
    assert_eq!(body.status(), Status::Yellow);
    assert_eq!(body.tokens(), 3);
    assert_eq!(body.not_before(), T0);
    assert_eq!(body.not_after(), T0 + 3600);
    assert_eq!(reply.json["not_after"], T0 + 3600);
    assert_eq!(reply.json["ticket_id"], hex::encode(body.ticket_id()));
    assert_eq!(body.travel().len(), 2);
    assert_eq!(
        server
            .issue(text, 3)
            .await
            .map_err(|r| r.json)
            .unwrap()
            .len(),
        3
    );

    // Defaults: 10 tokens, 7 days.
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/tickets",
            Some(json!({"subject": "subject-defaults", "status": "green"})),
        )
        .await;
    let ticket = Ticket::from_text(reply.json["ticket"].as_str().unwrap()).unwrap();
    assert_eq!(ticket.unverified_body().tokens(), 10);
    assert_eq!(ticket.unverified_body().not_after(), T0 + 7 * 24 * 3600);

    for bad in [
        json!({"subject": "s", "status": "blue"}),
        json!({"subject": "", "status": "green"}),
        json!({"subject": "x".repeat(65), "status": "green"}),
        json!({"subject": "s", "status": "green", "tokens": 0}),
        json!({"subject": "s", "status": "green", "tokens": 65}),
        json!({"subject": "s", "status": "green", "travel": "CHN"}),
        json!({"subject": "s", "status": "green", "valid_for_secs": 0}),
        json!({"subject": "s", "status": "green", "valid_for_secs": 1_000_000_000u64}),
        json!({"status": "green"}),
        json!({"subject": "s", "status": "green", "tokens": "ten"}),
    ] {
        let reply = server
            .admin(Method::POST, "/v1/admin/tickets", Some(bad.clone()))
            .await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::BAD_REQUEST, "bad_request"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn revocation_routes_validate_the_handle() {
    let server = TestServer::new();
    for uri in ["/v1/admin/revocations", "/v1/admin/appeals"] {
        for bad in [
            json!({"subject": ""}),
            json!({"subject": "y".repeat(65)}),
            json!({"subject": "line\nbreak"}),
            json!({"subject": 7}),
            json!({}),
        ] {
            let reply = server.admin(Method::POST, uri, Some(bad.clone())).await;
            assert_eq!(
                (reply.status, reply.code()),
                (StatusCode::BAD_REQUEST, "bad_request"),
                "{uri} {bad}"
            );
        }
    }
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/appeals",
            Some(json!({"subject": "never-revoked"})),
        )
        .await;
    assert_eq!(
        reply.json,
        json!({"subject_revoked": false, "changed": false})
    );
}

/// Issue 9: a subject handle in a URL is logged by proxies, so the appeal takes it in the
/// body and the old `DELETE /v1/admin/revocations/{subject}` route is gone.
#[tokio::test]
async fn the_appeal_takes_the_subject_in_the_body_and_no_route_has_it_in_the_path() {
    let server = TestServer::new();
    let revoke = server
        .admin(
            Method::POST,
            "/v1/admin/revocations",
            Some(json!({"subject": "subject-appeal"})),
        )
        .await;
    assert_eq!(revoke.status, StatusCode::OK);
    let old = server
        .admin(Method::DELETE, "/v1/admin/revocations/subject-appeal", None)
        .await;
    assert_eq!(
        (old.status, old.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    assert!(server.state.store().is_revoked("subject-appeal").unwrap());
    let appeal = server
        .admin(
            Method::POST,
            "/v1/admin/appeals",
            Some(json!({"subject": "subject-appeal"})),
        )
        .await;
    assert_eq!(
        (appeal.status, appeal.json),
        (
            StatusCode::OK,
            json!({"subject_revoked": false, "changed": true})
        )
    );
    assert!(!server.state.store().is_revoked("subject-appeal").unwrap());
    // Only POST.
    let reply = server.admin(Method::GET, "/v1/admin/appeals", None).await;
    assert_eq!(reply.code(), "method_not_allowed");
}

#[tokio::test]
async fn keys_route_serves_a_root_signed_list_naming_the_issuing_key() {
    let server = TestServer::new();
    let reply = server.get("/v1/keys").await;
    assert_eq!(reply.status, StatusCode::OK);
    let keys: KeysResponse = serde_json::from_value(reply.json).unwrap();
    assert_eq!(
        keys.root_public_key,
        hex::encode(server.state.root_public_key().as_bytes())
    );
    let pk = issuer_key_from(&keys, server.now());
    assert_eq!(pk, server.state.issuer_public_key().unwrap());
    let list = greenlight_protocol::KeyList::from_text(&keys.key_list).unwrap();
    let body = list.verify(&server.state.root_public_key()).unwrap();
    assert_eq!(body.sequence(), 1);
    let (issuer, entry) = body.issues(&pk.key_id().0, T0).unwrap();
    assert_eq!(issuer.region, "XX-LOCAL");
    assert_eq!(issuer.display_name, "Local issuer");
    assert_eq!(entry.issue_from, T0);
    assert_eq!(entry.issue_until, T0 + 90 * 24 * 3600);
    assert_eq!(entry.accept_until, entry.issue_until + 7 * 24 * 3600);
}

#[tokio::test]
async fn region_and_name_flags_reach_the_key_list() {
    let server = TestServer::with(|c| {
        c.region = "CN-GD".into();
        c.issuer_name = "Guangdong issuer".into();
    });
    let body = server.state.key_list().unverified_body().clone();
    assert_eq!(body.issuers()[0].region, "CN-GD");
    assert_eq!(body.issuers()[0].display_name, "Guangdong issuer");
    assert_eq!(server.state.issuer_info().unwrap().region, "CN-GD");
}

#[tokio::test]
async fn bodies_over_64_kib_are_refused_with_413() {
    let server = TestServer::new();
    let big = json!({"ticket": "GLT1:", "registrations": "A".repeat(70 * 1024)});
    let reply = server.post("/v1/issuance/start", big).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    // Just under the limit is read (and refused on its merits).
    let fits = json!({"ticket": "GLT1:", "registrations": "A".repeat(60 * 1024)});
    let reply = server.post("/v1/issuance/start", fits).await;
    assert_eq!(reply.code(), "invalid_ticket");
}

#[tokio::test]
async fn malformed_requests_and_unknown_routes_get_json_errors() {
    let server = TestServer::new();
    // Not JSON.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/v1/issuance/start")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(server.send(req).await.code(), "bad_request");
    // No content type.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/v1/issuance/start")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(server.send(req).await.code(), "bad_request");
    // Missing field.
    assert_eq!(
        server
            .post("/v1/issuance/finish", json!({"session": "00"}))
            .await
            .code(),
        "bad_request"
    );

    let reply = server.get("/v1/nothing-here").await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let reply = server.get("/v1/issuance/start").await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    let reply = server.get("/healthz").await;
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (StatusCode::OK, &b"ok"[..])
    );

    // Every code maps to the status of docs/api.md and has a message.
    for code in ErrorCode::ALL {
        assert!(!code.message().is_empty());
        let status = StatusCode::from_u16(code.http_status()).unwrap();
        assert!(status.is_client_error() || status.is_server_error());
    }
}

#[tokio::test]
async fn metrics_are_for_the_operator_only() {
    let server = TestServer::new();
    let anonymous = server.get("/metrics").await;
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    assert_eq!(anonymous.headers[header::WWW_AUTHENTICATE], "Bearer");
    let wrong = server
        .send(
            Request::get("/metrics")
                .header(header::AUTHORIZATION, "Bearer not-the-token")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!String::from_utf8_lossy(&wrong.body).contains("greenlight_"));
    assert_eq!(server.metrics().await.status, StatusCode::OK);
}

#[tokio::test]
async fn issued_totals_are_published_per_key_for_completed_days_only() {
    let server = TestServer::new();
    let key_id = hex::encode(server.state.issuing_key_id().unwrap().0);
    let totals = |reply: Reply| -> Vec<(String, String, u64)> {
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.json);
        let body: greenlight_api::IssuedTotalsResponse =
            serde_json::from_slice(&reply.body).unwrap();
        body.days
            .into_iter()
            .map(|d| (d.key_id, d.day, d.tokens))
            .collect()
    };
    let day = |unix: u64| {
        let mut s = humantime::format_rfc3339_seconds(
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix),
        )
        .to_string();
        s.truncate(10);
        s
    };
    let first_day = day(server.now());

    let a = server.ticket(TicketRequest::new("subject-totals-a", Status::Green).tokens(5));
    let b = server.ticket(TicketRequest::new("subject-totals-b", Status::Green).tokens(5));
    server.issue(&a.text, 3).await.map_err(|r| r.json).unwrap();
    server.issue(&b.text, 2).await.map_err(|r| r.json).unwrap();
    // Public (no token), and today's running count is withheld.
    assert!(totals(server.get(greenlight_api::paths::ISSUED_TOTALS).await).is_empty());

    // Next day: yesterday's total appears; today's again not.
    server.clock.advance(std::time::Duration::from_secs(86_400));
    server.issue(&a.text, 1).await.map_err(|r| r.json).unwrap();
    assert_eq!(
        totals(server.get(greenlight_api::paths::ISSUED_TOTALS).await),
        [(key_id.clone(), first_day.clone(), 5)]
    );
    server.clock.advance(std::time::Duration::from_secs(86_400));
    let second_day = day(server.now() - 86_400);
    assert_eq!(
        totals(server.get(greenlight_api::paths::ISSUED_TOTALS).await),
        [(key_id.clone(), first_day, 5), (key_id, second_day, 1)]
    );
}

#[tokio::test]
async fn metrics_count_requests_tokens_and_rejections_without_personal_labels() {
    let server = TestServer::new();
    let ticket = server.ticket(TicketRequest::new("subject-metrics", Status::Green).tokens(3));
    server
        .issue(&ticket.text, 2)
        .await
        .map_err(|r| r.json)
        .unwrap();
    assert_eq!(
        server.issue(&ticket.text, 2).await.unwrap_err().code(),
        "quota_exceeded"
    );
    let _ = server
        .call(
            Method::POST,
            "/v1/admin/appeals",
            Some(json!({"subject": "subject-metrics"})),
            None,
        )
        .await;

    let reply = server.metrics().await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("openmetrics-text"));
    let text = String::from_utf8(reply.body).unwrap();
    for expected in [
        "greenlight_tokens_issued_total 2",
        "greenlight_sessions_started_total 1",
        "greenlight_sessions_finished_total 1",
        "greenlight_sessions_open 0",
        "greenlight_rejections_total{code=\"quota_exceeded\"} 1",
        "greenlight_rejections_total{code=\"unauthorized\"} 1",
        "greenlight_http_requests_total{route=\"/v1/issuance/start\",method=\"POST\",status=\"200\"} 1",
        "greenlight_http_requests_total{route=\"/v1/admin/appeals\",method=\"POST\",status=\"401\"} 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("subject-metrics"));
    assert!(!text.contains(&hex::encode(ticket.ticket_id)));
}

#[cfg(unix)]
#[tokio::test]
async fn data_directory_files_have_private_modes_and_survive_reopening() {
    use std::os::unix::fs::PermissionsExt;
    let server = TestServer::new();
    let paths = server.state.paths().clone();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for secret in [
        &paths.issuer_key,
        &paths.authority_key,
        &paths.root_key,
        &paths.admin_token,
        &paths.store_key,
    ] {
        assert_eq!(mode(secret), 0o600, "{}", secret.display());
        let text = std::fs::read_to_string(secret).unwrap();
        assert_eq!(text.trim().len(), 64);
        assert!(hex::decode(text.trim()).is_ok());
    }
    assert_eq!(mode(&paths.issuer_json), 0o644);
    assert_eq!(mode(&paths.revocation_store), 0o700);
    assert_eq!(server.state.created_files().len(), 6);
    let info: greenlight_server::IssuerInfo =
        serde_json::from_slice(&std::fs::read(&paths.issuer_json).unwrap()).unwrap();
    assert_eq!(info, *server.state.issuer_info().unwrap());
    assert_eq!(info.root_fingerprint, server.state.root_fingerprint());
    // No secret in the public file.
    let public = std::fs::read_to_string(&paths.issuer_json).unwrap();
    for secret in [
        &paths.issuer_key,
        &paths.authority_key,
        &paths.root_key,
        &paths.admin_token,
        &paths.store_key,
    ] {
        let s = std::fs::read_to_string(secret).unwrap();
        assert!(!public.contains(s.trim()));
    }
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&paths.dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".greenlight-tmp")
        })
        .collect();
    assert!(leftovers.is_empty());

    // A corrupted key file is reported, not silently replaced.
    let dir = server.dir.path().to_path_buf();
    let root_pk = server.state.root_public_key();
    drop(server.router);
    drop(server.state);
    let config = greenlight_server::ServerConfig::new(&dir);
    let reopened = greenlight_server::AppState::open(&config).unwrap();
    assert_eq!(reopened.root_public_key(), root_pk);
    assert!(reopened.created_files().is_empty());
    drop(reopened);
    std::fs::write(&paths.issuer_key, "zz\n").unwrap();
    let err = greenlight_server::AppState::open(&config).err().unwrap();
    assert!(err.to_string().contains("issuer.key"), "{err}");
}

#[tokio::test]
async fn the_web_directory_is_served_under_venue() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<h1>verifier</h1>").unwrap();
    std::fs::write(web.path().join("app.js"), "console.log(1)").unwrap();
    let dir = web.path().to_path_buf();
    let server = TestServer::with(move |c| c.web_dir = Some(dir));
    let reply = server.get("/venue/app.js").await;
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (StatusCode::OK, &b"console.log(1)"[..])
    );
    let reply = server.get("/venue/").await;
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (StatusCode::OK, &b"<h1>verifier</h1>"[..])
    );
    assert_eq!(
        server.get("/venue/missing.js").await.status,
        StatusCode::NOT_FOUND
    );
    // Without a web directory there are no files under /venue/.
    let plain = TestServer::new();
    assert_eq!(plain.get("/venue/app.js").await.code(), "not_found");
}

/// Issue 11: the wallet page is served under `/wallet/`, and says how to build it when it is
/// not built.
#[tokio::test]
async fn the_wallet_directory_is_served_under_wallet() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(web.path().join("index.html"), "<h1>wallet</h1>").unwrap();
    let dir = web.path().to_path_buf();
    let server = TestServer::with(move |c| c.wallet_dir = Some(dir));
    let reply = server.get("/wallet/").await;
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (StatusCode::OK, &b"<h1>wallet</h1>"[..])
    );
    // The venue page is separate.
    assert_eq!(
        server.get("/venue/index.html").await.status,
        StatusCode::NOT_FOUND
    );
    let plain = TestServer::new();
    let reply = plain.get("/wallet/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let body = String::from_utf8(reply.body).unwrap();
    assert!(body.contains(greenlight_server::WALLET_NOT_BUILT), "{body}");
}

/// Issue 12: in a fresh clone the page is not built; `/venue/` says how to build it instead
/// of a bare 404 — without a web directory, and with one that does not exist.
#[tokio::test]
async fn venue_without_a_built_page_is_a_404_saying_how_to_build_it() {
    let missing = tempfile::tempdir().unwrap().path().join("dist");
    let servers = [
        TestServer::new(),
        TestServer::with(move |c| c.web_dir = Some(missing)),
    ];
    for server in &servers {
        for uri in ["/venue/", "/venue"] {
            let reply = server.get(uri).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(reply.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"));
            let body = String::from_utf8(reply.body).unwrap();
            assert!(
                body.contains(greenlight_server::VENUE_NOT_BUILT),
                "{uri}: {body}"
            );
            assert!(body.contains("client/web/build.sh"), "{body}");
        }
        let metrics = String::from_utf8(server.metrics().await.body).unwrap();
        assert!(
            metrics.contains("greenlight_rejections_total{code=\"not_found\"} 2"),
            "{metrics}"
        );
    }
}

/// Issue 12: a subject handle shaped like an ID number is refused by the admin ticket route
/// (the rule is `greenlight_issuance::check_subject_handle`); nothing is signed.
#[tokio::test]
async fn admin_ticket_route_refuses_subjects_shaped_like_id_numbers() {
    let server = TestServer::new();
    for subject in [
        "110101199003074512",
        "A123456(3)",
        "resident 11010119900307451X",
    ] {
        let reply = server
            .admin(
                Method::POST,
                "/v1/admin/tickets",
                Some(json!({"subject": subject, "status": "green"})),
            )
            .await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::BAD_REQUEST, "bad_request"),
            "{subject}"
        );
        let message = reply.json["error"]["message"].as_str().unwrap();
        assert!(message.contains("looks like an ID number"), "{message}");
        assert!(
            message.contains("use an opaque handle from the authority's records"),
            "{message}"
        );
        assert!(!message.contains(subject), "{message}");
    }
    let metrics = String::from_utf8(server.metrics().await.body).unwrap();
    assert!(
        metrics.contains("greenlight_tickets_signed_total 0"),
        "{metrics}"
    );
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/tickets",
            Some(json!({"subject": "resident-7f3a", "status": "green"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}
