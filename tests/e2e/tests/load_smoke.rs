//! The load tool's library function against an in-process server for about two seconds: it
//! must run, issue tokens and see no errors (no timing assertions: the machine is shared).

use std::time::Duration;

use greenlight_e2e::{run_load, HolderMode, LoadConfig, Scenario};
use greenlight_server::{EphemeralServer, ServerConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_tool_issues_tokens_and_serves_keys_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = ServerConfig::new(dir.path());
    // Every request comes from 127.0.0.1 and rounds reuse tickets: the production limits
    // would (correctly) refuse a load run.
    config.ticket_rate = None;
    config.client_rate = None;
    let server = EphemeralServer::start_with(config).await.unwrap();

    let mut cfg = LoadConfig::new(server.url.clone(), Scenario::Issuance);
    cfg.admin_token = Some(server.admin_token.clone());
    cfg.duration = Duration::from_millis(1500);
    cfg.concurrency = 4;
    cfg.batch = 4;
    cfg.prepare_rounds = 600;
    cfg.holder = HolderMode::Full;
    let report = run_load(&cfg).await.unwrap();
    println!("{report}");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.ok > 0 && report.tokens == report.ok * 4, "{report}");
    assert!(report.latency.is_some() && report.start_latency.is_some());

    // The server-only mode gets answers for every round too.
    cfg.holder = HolderMode::ServerOnly;
    cfg.duration = Duration::from_millis(500);
    cfg.prepare_rounds = 40;
    let report = run_load(&cfg).await.unwrap();
    println!("{report}");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(
        report.tokens > 0 && report.tokens == report.ok * 4,
        "{report}"
    );

    let mut keys = LoadConfig::new(server.url.clone(), Scenario::Keys);
    keys.duration = Duration::from_millis(500);
    keys.concurrency = 4;
    let report = run_load(&keys).await.unwrap();
    println!("{report}");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.ok > 0, "{report}");

    // The bounds hold: a request count stops the run before the duration.
    keys.duration = Duration::from_secs(60);
    keys.max_requests = Some(25);
    let report = run_load(&keys).await.unwrap();
    assert_eq!(report.ok, 25);
    assert_eq!(
        report.stopped_by,
        greenlight_e2e::load::StopReason::Requests
    );

    server.shutdown().await;
}

#[tokio::test]
async fn load_tool_refuses_non_loopback_targets() {
    let cfg = LoadConfig::new("http://192.0.2.1:8080", Scenario::Keys);
    let err = run_load(&cfg).await.unwrap_err();
    assert!(
        matches!(err, greenlight_e2e::LoadError::NotLoopback(_)),
        "{err}"
    );
}
