//! The types against the prose contract: the error table and the JSON examples of
//! `docs/api.md` are parsed here, so the document and the code cannot drift apart.

use std::collections::BTreeSet;

use greenlight_api::{
    AdminTicketRequest, AdminTicketResponse, AppealRequest, ErrorBody, ErrorCode, FinishRequest,
    FinishResponse, IssuedDay, IssuedTotalsResponse, KeysResponse, RevocationResponse,
    RevokeRequest, StartRequest, StartResponse,
};
use serde::Serialize;

const API_MD: &str = include_str!("../../../docs/api.md");

/// `(code, status)` rows of the error table (the table under `| code | status | when |`):
/// lines `| \`code\` | 400 | … |`.
fn documented_codes() -> Vec<(String, u16)> {
    API_MD
        .lines()
        .skip_while(|line| line.trim() != "| code | status | when |")
        .skip(2)
        .take_while(|line| line.trim_start().starts_with('|'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().strip_prefix('|')?.split('|').collect();
            let code = cells.first()?.trim().strip_prefix('`')?.strip_suffix('`')?;
            let status = cells.get(1)?.trim().parse().ok()?;
            Some((code.to_owned(), status))
        })
        .collect()
}

#[test]
fn error_codes_and_statuses_are_the_table_of_docs_api_md() {
    let documented = documented_codes();
    let declared: Vec<(String, u16)> = ErrorCode::ALL
        .into_iter()
        .map(|c| (c.as_str().to_owned(), c.http_status()))
        .collect();
    assert_eq!(declared, documented, "docs/api.md's table, in order");
}

/// The text of the section under the heading that contains `heading`, up to the next heading.
fn section(heading: &str) -> &'static str {
    let start = API_MD
        .lines()
        .position(|l| l.starts_with('#') && l.contains(heading))
        .unwrap_or_else(|| panic!("no heading with {heading}"));
    let lines: Vec<&str> = API_MD.lines().collect();
    let first = lines[..start].iter().map(|l| l.len() + 1).sum::<usize>();
    let rest = &API_MD[first..];
    let body_start = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let end = rest[body_start..]
        .find("\n#")
        .map_or(rest.len(), |i| body_start + i);
    &rest[..end]
}

/// Every JSON key in `text`: a `"snake_case"` string directly followed by `:`.
fn json_keys(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else { break };
        let word = &after[..close];
        let tail = &after[close + 1..];
        if !word.is_empty()
            && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            && tail.starts_with(':')
        {
            keys.insert(word.to_owned());
            rest = tail;
        } else {
            rest = after;
        }
    }
    keys
}

/// Every key of `value`'s JSON, nested objects included.
fn keys_of(value: &impl Serialize) -> BTreeSet<String> {
    fn walk(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    walk(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(&serde_json::to_value(value).unwrap(), &mut out);
    out
}

fn union(sets: &[BTreeSet<String>]) -> BTreeSet<String> {
    sets.iter().flatten().cloned().collect()
}

#[test]
fn bodies_have_the_fields_of_the_examples_in_docs_api_md() {
    // Every field an error body can have (`remaining` comes with `quota_exceeded`).
    let mut error = ErrorBody::from_code(ErrorCode::QuotaExceeded);
    error.error.remaining = Some(0);
    assert_eq!(keys_of(&error), json_keys(section("Conventions")));

    let keys = KeysResponse {
        root_public_key: String::new(),
        key_list: String::new(),
        previous_key_list: Some(String::new()),
        issuing_key_id: String::new(),
        max_batch: Some(64),
        authority_public_key: Some(String::new()),
        cosignatures: vec![greenlight_api::WitnessCosignature {
            witness: String::new(),
            timestamp: 0,
            signature: String::new(),
        }],
    };
    assert_eq!(keys_of(&keys), json_keys(section("`GET /v1/keys`")));

    let start = StartRequest::new("GLT1:", b"");
    let started = StartResponse {
        session: String::new(),
        commitments: String::new(),
        expires_in_secs: 60,
    };
    assert_eq!(
        union(&[keys_of(&start), keys_of(&started)]),
        json_keys(section("`POST /v1/issuance/start`"))
    );

    let finish = FinishRequest::new("", b"");
    let finished = FinishResponse::new(b"");
    assert_eq!(
        union(&[keys_of(&finish), keys_of(&finished)]),
        json_keys(section("`POST /v1/issuance/finish`"))
    );

    let mut ticket = AdminTicketRequest::new("s", "green");
    ticket.travel = Some("CN,HK".into());
    ticket.tokens = Some(10);
    ticket.valid_for_secs = Some(86400);
    let signed = AdminTicketResponse {
        ticket: String::new(),
        ticket_id: String::new(),
        not_after: 0,
    };
    assert_eq!(
        union(&[keys_of(&ticket), keys_of(&signed)]),
        json_keys(section("`POST /v1/admin/tickets`"))
    );

    let revoked = RevocationResponse {
        subject_revoked: true,
        changed: true,
    };
    assert_eq!(
        union(&[keys_of(&RevokeRequest::new("s")), keys_of(&revoked)]),
        json_keys(section("`POST /v1/admin/revocations`"))
    );
    assert_eq!(
        union(&[keys_of(&AppealRequest::new("s")), keys_of(&revoked)]),
        json_keys(section("`POST /v1/admin/appeals`"))
    );

    let totals = IssuedTotalsResponse {
        days: vec![IssuedDay {
            key_id: String::new(),
            day: String::new(),
            tokens: 0,
        }],
    };
    assert_eq!(
        keys_of(&totals),
        json_keys(section("`GET /v1/stats/issued`"))
    );
}

#[test]
fn the_parsers_of_this_test_see_the_document() {
    assert_eq!(documented_codes().len(), ErrorCode::ALL.len());
    assert!(json_keys(r#"{"a_b": 1, "x": "GLK1:…", "not key": 2}"#).contains("a_b"));
    assert!(!json_keys(r#"{"x": "GLK1:…"}"#).contains("GLK1"));
}
