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
        (Method::DELETE, "/v1/admin/revocations/subject-admin", None),
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
    let reply = server
        .admin(
            Method::POST,
            "/v1/admin/revocations",
            Some(json!({"subject": ""})),
        )
        .await;
    assert_eq!(reply.code(), "bad_request");
    let reply = server
        .admin(
            Method::DELETE,
            &format!("/v1/admin/revocations/{}", "y".repeat(65)),
            None,
        )
        .await;
    assert_eq!(reply.code(), "bad_request");
    // Percent-encoding of invalid UTF-8.
    let reply = server
        .admin(Method::DELETE, "/v1/admin/revocations/%FF", None)
        .await;
    assert_eq!(reply.code(), "bad_request");
    let reply = server
        .admin(Method::DELETE, "/v1/admin/revocations/never-revoked", None)
        .await;
    assert_eq!(
        reply.json,
        json!({"subject_revoked": false, "changed": false})
    );
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
    assert_eq!(pk, *server.state.issuer_public_key());
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
    assert_eq!(server.state.issuer_info().region, "CN-GD");
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
            Method::DELETE,
            "/v1/admin/revocations/subject-metrics",
            None,
            None,
        )
        .await;

    let reply = server.get("/metrics").await;
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
        "greenlight_http_requests_total{route=\"/v1/admin/revocations/{subject}\",method=\"DELETE\",status=\"401\"} 1",
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
    ] {
        assert_eq!(mode(secret), 0o600, "{}", secret.display());
        let text = std::fs::read_to_string(secret).unwrap();
        assert_eq!(text.trim().len(), 64);
        assert!(hex::decode(text.trim()).is_ok());
    }
    assert_eq!(mode(&paths.issuer_json), 0o644);
    assert_eq!(mode(&paths.revocation_store), 0o700);
    assert_eq!(server.state.created_files().len(), 5);
    let info: greenlight_server::IssuerInfo =
        serde_json::from_slice(&std::fs::read(&paths.issuer_json).unwrap()).unwrap();
    assert_eq!(info, *server.state.issuer_info());
    assert_eq!(info.root_fingerprint, server.state.root_fingerprint());
    // No secret in the public file.
    let public = std::fs::read_to_string(&paths.issuer_json).unwrap();
    for secret in [
        &paths.issuer_key,
        &paths.authority_key,
        &paths.root_key,
        &paths.admin_token,
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
    // Without a web directory there is no /venue.
    let plain = TestServer::new();
    assert_eq!(plain.get("/venue/app.js").await.code(), "not_found");
}
