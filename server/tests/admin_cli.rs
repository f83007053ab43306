//! `greenlight-server revoke` and `appeal`: they change the running server's revocations
//! with the data directory's admin token, print one line, and turn every failure into one
//! clear line and exit code 2.

mod common;

use std::path::Path;
use std::process::Output;

use common::process::{command, free_port, run, Served};
use greenlight_e2e::Api;

fn admin(action: &str, data: &Path, server: Option<&str>, subject: &str) -> Output {
    let mut cmd = command();
    cmd.arg(action).arg("--data-dir").arg(data);
    if let Some(server) = server {
        cmd.args(["--server", server]);
    }
    cmd.args(["--subject", subject]);
    run(cmd)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn admin_token(data: &Path) -> String {
    std::fs::read_to_string(data.join("admin.token"))
        .unwrap()
        .trim()
        .to_owned()
}

/// Runs a blocking command from async code.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test]
async fn revoke_and_appeal_change_the_running_servers_revocations() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = Served::start(&data, &[], |_| {});
    let url = served.url.clone();
    let api = Api::new(&url, Some(admin_token(&data)), 1).unwrap();
    let first = api.create_ticket("resident-7f3a", 1).await.unwrap();
    let second = api.create_ticket("resident-7f3a", 1).await.unwrap();

    let (d, u) = (data.clone(), url.clone());
    let out = blocking(move || admin("revoke", &d, Some(&u), "resident-7f3a")).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "revoked subject resident-7f3a\n");
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let refused = api.redeem(&first).await.unwrap_err();
    assert_eq!(
        (refused.status(), refused.code()),
        (Some(403), "subject_revoked")
    );

    // Again: nothing changes, and it says so. (The server from the environment.)
    let d = data.clone();
    let u = url.clone();
    let out = blocking(move || {
        let mut cmd = command();
        cmd.env("GREENLIGHT_SERVER", &u)
            .args(["revoke", "--data-dir"])
            .arg(&d)
            .args(["--subject", "resident-7f3a"]);
        run(cmd)
    })
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "subject resident-7f3a was already revoked\n");

    let (d, u) = (data.clone(), url.clone());
    let out = blocking(move || admin("appeal", &d, Some(&u), "resident-7f3a")).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "appeal recorded: subject resident-7f3a may redeem tickets signed from now on\n"
    );
    // A ticket signed after the appeal redeems. (Whether `second` does depends on whether the
    // appeal fell in a later second than its signing: epochs are whole seconds; the rule is
    // tested with a fake clock in status_changes.rs and greenlight-issuance.)
    drop(second);
    let third = api.create_ticket("resident-7f3a", 1).await.unwrap();
    assert_eq!(api.redeem(&third).await.unwrap().len(), 1);

    let (d, u) = (data.clone(), url.clone());
    let out = blocking(move || admin("appeal", &d, Some(&u), "resident-7f3a")).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "subject resident-7f3a was not revoked; nothing changed\n"
    );
    drop(served);
}

#[tokio::test]
async fn admin_command_failures_are_one_clear_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = Served::start(&data, &[], |_| {});
    let url = served.url.clone();

    // Another data directory's token: refused, and the message says which file and server.
    let other = dir.path().join("other");
    drop(greenlight_server::AppState::open(&greenlight_server::ServerConfig::new(&other)).unwrap());
    let (o, u) = (other.clone(), url.clone());
    let out = blocking(move || admin("revoke", &o, Some(&u), "resident-7f3a")).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out),
        format!(
            "error: the admin token in {} was refused by {url} — is this the server's data directory?\n",
            other.join("admin.token").display()
        )
    );

    // Nothing listening.
    // Port 1 (tcpmux), not a "free" ephemeral port: between finding a free port and the
    // command, another test's server could take it (seen once), and then something answers.
    // Nothing binds a privileged port here, so the connection is refused at once.
    let nobody = "http://127.0.0.1:1".to_owned();
    let (d, n) = (data.clone(), nobody.clone());
    let out = blocking(move || admin("appeal", &d, Some(&n), "resident-7f3a")).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("error: no greenlight-server answering at {nobody}\n")
    );

    // A user:password@ part in --server is refused (it would travel beside the token).
    let with_user = format!("http://user:secret@127.0.0.1:{}", free_port());
    let d = data.clone();
    let out = blocking(move || admin("revoke", &d, Some(&with_user), "resident-7f3a")).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("without a user name or password"),
        "{}",
        stderr(&out)
    );

    // Plain HTTP to a host that is not loopback: a warning (the token travels unencrypted),
    // then the request as usual. (On Linux 0.0.0.0 reaches the local server.)
    if cfg!(target_os = "linux") {
        let port = url.rsplit(':').next().unwrap().to_owned();
        let d = data.clone();
        let out = blocking(move || {
            admin(
                "appeal",
                &d,
                Some(&format!("http://0.0.0.0:{port}")),
                "resident-7f3a",
            )
        })
        .await;
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            "warning: the admin token goes to 0.0.0.0 unencrypted (http://); use https:// for a server on another machine\n"
        );
    }

    // No admin token in the directory given.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (e, u) = (empty.clone(), url.clone());
    let out = blocking(move || admin("revoke", &e, Some(&u), "resident-7f3a")).await;
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains(&format!(
            "{} does not exist — is this the server's data directory?",
            empty.join("admin.token").display()
        )),
        "{message}"
    );

    // Usage errors: a URL that is none, a subject that is none.
    let d = data.clone();
    let out = blocking(move || admin("revoke", &d, Some("127.0.0.1:8080"), "resident-7f3a")).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not an http:// or https:// URL"),
        "{}",
        stderr(&out)
    );
    let (d, u) = (data.clone(), url.clone());
    let out = blocking(move || admin("revoke", &d, Some(&u), "")).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the subject handle must be 1 to 64 bytes"),
        "{}",
        stderr(&out)
    );

    // Nothing was revoked by any of it: the subject can still redeem.
    let api = Api::new(&url, Some(admin_token(&data)), 1).unwrap();
    let ticket = api.create_ticket("resident-7f3a", 1).await.unwrap();
    assert_eq!(api.redeem(&ticket).await.unwrap().len(), 1);
    drop(served);
}

/// Answers that are not a success, from a stand-in server (routes under prefixes, which the
/// commands keep as the base URL's path): no appeal route (an older server), an answer that
/// is no Greenlight body, a refusal, a server failure. Each is said plainly, and the server's
/// text reaches the terminal without control characters.
#[tokio::test]
async fn other_answers_are_named_as_such() {
    use axum::http::StatusCode;
    use axum::routing::post;
    use axum::Json;
    use greenlight_api::{ErrorBody, ErrorCode};

    let app = axum::Router::new()
        .route(
            "/html/v1/admin/revocations",
            post(|| async { (StatusCode::BAD_GATEWAY, "<html>Bad Gateway</html>") }),
        )
        .route(
            "/refuse/v1/admin/revocations",
            post(|| async {
                (
                    StatusCode::BAD_REQUEST,
                    Json(ErrorBody::new(ErrorCode::BadRequest, "no\u{1b}[31m way")),
                )
            }),
        )
        .route(
            "/busy/v1/admin/revocations",
            post(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(ErrorBody::from_code(ErrorCode::Overloaded)),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(greenlight_server::AppState::open(&greenlight_server::ServerConfig::new(&data)).unwrap());
    let expect = |action: &'static str, base: String, message: String| {
        let data = data.clone();
        async move {
            let out = blocking(move || admin(action, &data, Some(&base), "resident-7f3a")).await;
            assert_eq!(out.status.code(), Some(2), "{message}");
            assert!(out.stdout.is_empty());
            assert_eq!(stderr(&out), format!("error: {message}\n"));
        }
    };

    expect(
        "appeal",
        url.clone(),
        format!("{url} has no POST /v1/admin/appeals — is it an older greenlight-server, or not a greenlight-server at all?"),
    )
    .await;
    expect(
        "revoke",
        format!("{url}/html/"),
        format!("{url}/html answered HTTP 502 with something that is not a greenlight-server answer — is it a greenlight-server?"),
    )
    .await;
    expect(
        "revoke",
        format!("{url}/refuse"),
        format!("{url}/refuse refused the request: no[31m way (bad_request, HTTP 400)"),
    )
    .await;
    expect(
        "revoke",
        format!("{url}/busy"),
        format!("{url}/busy failed to answer: the server is busy; try again shortly (overloaded, HTTP 503)"),
    )
    .await;
}
