//! `ftl2js GROUP OUT.js [USES.js …]`: writes the catalogue group GROUP (all three languages)
//! as an ES module for a page, and checks that every message id the page's scripts USES.js
//! look up (`t('id'…)`, `data-i18n="id"` in HTML, `'prefix-' + code` lookups are listed by
//! the page itself) exists in the group: a missing id fails the build and is named.
//!
//! The module holds the compiled patterns (text, variables, selectors: the pieces of
//! `greenlight_messages::compile`) and a small formatter; plural categories come from the
//! browser's `Intl.PluralRules`, like fluent.js. It is generated at build time, so the page
//! carries no Fluent parser or runtime.

use greenlight_messages::compile::{compile, Piece};
use greenlight_messages::{source, Lang};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::process::ExitCode;

fn js_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\u{2028}' | '\u{2029}' => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A pattern as JSON-like JS: a string when it is only text, else an array of pieces (a
/// string, `{v: name}`, or `{s: name, k: {key: pattern}, d: default key}`).
fn js_pattern(p: &[Piece]) -> String {
    if let [Piece::Text(t)] = p {
        return js_string(t);
    }
    if p.is_empty() {
        return "\"\"".into();
    }
    let parts: Vec<String> = p
        .iter()
        .map(|piece| match piece {
            Piece::Text(t) => js_string(t),
            Piece::Var(v) => format!("{{v:{}}}", js_string(v)),
            Piece::Select {
                var,
                variants,
                default,
            } => {
                let keys: Vec<String> = variants
                    .iter()
                    .map(|(k, p)| format!("{}:{}", js_string(k), js_pattern(p)))
                    .collect();
                format!(
                    "{{s:{},k:{{{}}},d:{}}}",
                    js_string(var),
                    keys.join(","),
                    js_string(&variants[*default].0)
                )
            }
        })
        .collect();
    format!("[{}]", parts.join(","))
}

const RUNTIME: &str = r#"
const rules = {};
function plural(lang, n) {
  rules[lang] ??= new Intl.PluralRules(lang);
  return rules[lang].select(n);
}
function run(lang, p, args, out) {
  if (typeof p === 'string') return out + p;
  for (const x of p) {
    if (typeof x === 'string') out += x;
    else if (x.v !== undefined) out += x.v in args ? String(args[x.v]) : `{$${x.v}}`;
    else {
      const a = args[x.s];
      let key = x.d;
      if (typeof a === 'number') {
        const exact = Object.keys(x.k).find((k) => Number(k) === a);
        key = exact ?? (plural(lang, a) in x.k ? plural(lang, a) : x.d);
      } else if (a !== undefined && String(a) in x.k) key = String(a);
      out = run(lang, x.k[key], args, out);
    }
  }
  return out;
}
/** Whether message `id` exists. */
export function has(id) {
  return id in MESSAGES.en;
}
/** Message `id` in `lang` (falling back to English) with named `args`. */
export function format(lang, id, args) {
  if (typeof args !== 'object' || args === null) args = {};
  const p = MESSAGES[lang]?.[id] ?? MESSAGES.en[id];
  return p === undefined ? id : run(lang, p, args, '');
}
"#;

/// Lookups that pass arguments positionally (`t('id', n)`), the form of the pages' former
/// tables: the catalogue's variables are named, `t('id', { n })`.
fn positional_calls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("t('") {
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        let rest = &text[i + 3..];
        let Some(end) = rest.find('\'') else { continue };
        let after = rest[end + 1..].trim_start();
        if let Some(arg) = after.strip_prefix(',') {
            if !arg.trim_start().starts_with('{') {
                let line = text[..i].matches('\n').count() + 1;
                out.push(format!("line {line}: t('{}', …)", &rest[..end]));
            }
        }
    }
    out
}

/// Ids a script or page looks up: `t('id'`, `t("id"`, `data-i18n…="id"`.
fn used_ids(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (pat, quote) in [
        ("t('", '\''),
        ("t(\"", '"'),
        ("data-i18n=\"", '"'),
        ("data-i18n-label=\"", '"'),
    ] {
        for (i, _) in text.match_indices(pat) {
            // `t(` must be the lookup, not the end of another name (`split('`).
            if pat.starts_with('t') {
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
            }
            let rest = &text[i + pat.len()..];
            if let Some(end) = rest.find(quote) {
                let id = &rest[..end];
                // A dynamic lookup (`t('reason-' + code)`) names a prefix, not an id.
                let dynamic = rest[end + 1..].trim_start().starts_with('+');
                if !id.is_empty() && !dynamic {
                    out.insert(id.to_owned());
                }
            }
        }
    }
    out
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [group, out, uses @ ..] = args.as_slice() else {
        eprintln!("usage: ftl2js GROUP OUT.js [FILES THAT USE IT …]");
        return ExitCode::from(2);
    };
    let mut js = format!(
        "// Generated from crates/greenlight-messages/locales/*/{group}.ftl by ftl2js at build time:\n// edit the .ftl files, not this.\nexport const MESSAGES = {{\n"
    );
    let mut ids = BTreeSet::new();
    for lang in Lang::ALL {
        let Some(src) = source(group, lang) else {
            eprintln!("ftl2js: no group {group}");
            return ExitCode::from(2);
        };
        let entries = match compile(src) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("ftl2js: {}/{group}.ftl: {}", lang.tag(), e.join("; "));
                return ExitCode::FAILURE;
            }
        };
        writeln!(js, "  {}: {{", js_string(lang.tag())).unwrap();
        for e in &entries {
            ids.insert(e.id.clone());
            writeln!(js, "    {}: {},", js_string(&e.id), js_pattern(&e.pattern)).unwrap();
        }
        js.push_str("  },\n");
    }
    js.push_str("};\n");
    js.push_str(RUNTIME);
    let mut missing = Vec::new();
    for file in uses {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("ftl2js: {file}: {e}");
                return ExitCode::from(2);
            }
        };
        for id in used_ids(&text) {
            if !ids.contains(&id) {
                missing.push(format!("{file}: {id}"));
            }
        }
        for call in positional_calls(&text) {
            missing.push(format!(
                "{file}: {call} passes arguments by position; pass {{ name: value }} with the .ftl variable names"
            ));
        }
    }
    if !missing.is_empty() {
        eprintln!(
            "ftl2js: ids used but not in {group}.ftl (add them to locales/*/{group}.ftl), or looked up wrongly:\n  {}",
            missing.join("\n  ")
        );
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::write(out, js) {
        eprintln!("ftl2js: {out}: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_ids_a_page_uses() {
        let js = "t('a'); t(\"b\", {n}); split('c'); x.t('d'); t('e-' + code); <p data-i18n=\"f\"> data-i18n-label=\"g\"";
        let ids: Vec<String> = used_ids(js).into_iter().collect();
        assert_eq!(ids, ["a", "b", "f", "g"]);
    }

    #[test]
    fn positional_arguments_are_named() {
        let js = "t('a');\nt('b', { n });\nt('c', n, m);\nsplit('d', 1)";
        assert_eq!(positional_calls(js), ["line 3: t('c', …)"]);
    }

    #[test]
    fn patterns_become_js() {
        let p = compile("a = x { $n ->\n   [one] one\n  *[other] { $n } \"q\"\n}\n").unwrap();
        assert_eq!(
            js_pattern(&p[0].pattern),
            r#"["x ",{s:"n",k:{"one":"one","other":[{v:"n"}," \"q\""]},d:"other"}]"#
        );
    }
}
