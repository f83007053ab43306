//! The figures binary's contract: `--quick --json-only` prints exactly one JSON object with
//! every figure, and nothing else on stdout or stderr. (No speed is asserted: timed tests
//! on a shared machine would be flaky.)

use std::process::Command;

const KEYS: [&str; 21] = [
    "issue_us_per_token",
    "holder_issue_us_per_token",
    "present_us",
    "verify_us",
    "rangeproof32_prove_us",
    "rangeproof32_verify_us",
    "rangeproof8_prove_us",
    "rangeproof8_verify_us",
    "ed25519_verify_us",
    "presentation_bytes",
    "presentation_text_chars",
    "verify_over_rp32_verify",
    "present_over_rp32_prove",
    "issue_over_rp32_verify",
    "present_v1_us",
    "verify_v1_us",
    "verify_previous_list_us",
    "verify_over_verify_v1",
    "present_over_present_v1",
    "verify_previous_list_over_verify",
    "mode",
];

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight-bench"))
        .args(args)
        .output()
        .expect("binary runs")
}

#[test]
fn quick_json_only_prints_one_complete_object() {
    let out = run(&["--quick", "--json-only"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "--json-only keeps stderr quiet");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stdout}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).expect("JSON");
    let obj = v.as_object().expect("an object");
    for k in KEYS {
        assert!(obj.contains_key(k), "missing {k}");
    }
    assert_eq!(obj.len(), KEYS.len(), "no unexpected keys");
    assert_eq!(v["mode"], "quick");
    assert_eq!(
        v["presentation_bytes"],
        greenlight_wire::lengths::PRESENTATION as u64
    );
    // base45: 3 characters per 2 bytes and 2 for an odd last byte, plus "GLP1:".
    let n = greenlight_wire::lengths::PRESENTATION;
    assert_eq!(
        v["presentation_text_chars"],
        (5 + 3 * (n / 2) + 2 * (n % 2)) as u64
    );
    for k in KEYS
        .iter()
        .filter(|k| k.ends_with("_us") || k.contains("_over_"))
    {
        let x = v[k].as_f64().unwrap_or(f64::NAN);
        assert!(x.is_finite() && x > 0.0, "{k} = {x}");
    }
}

#[test]
fn progress_goes_to_stderr_and_json_stays_last_on_stdout() {
    let out = run(&["--quick"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rangeproof32 verify"), "{stderr}");
    assert!(stderr.contains("verify / rp32 verify"));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let last = stdout.lines().last().expect("a line");
    assert!(serde_json::from_str::<serde_json::Value>(last).is_ok());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = run(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
