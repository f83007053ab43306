//! Compiles the catalogue (`locales/<lang>/<group>.ftl`) into static tables for the small
//! formatter (`src/lib.rs`), and refuses to build when a language lacks a message, a message
//! uses different variables in two languages, or a file uses Fluent this crate's formatters
//! do not reproduce. Errors name the file and the message id.

#[path = "src/compile.rs"]
#[allow(dead_code)]
mod compile;

use compile::{Entry, Piece};
use std::fmt::Write;
use std::path::Path;

/// The languages, in the order of `Lang`'s variants.
const LANGS: [&str; 3] = ["en", "zh-Hans", "zh-Hant"];

fn rust_pieces(p: &[Piece]) -> String {
    let mut s = String::from("&[");
    for piece in p {
        match piece {
            Piece::Text(t) => write!(s, "P::T({t:?}),").unwrap(),
            Piece::Var(v) => write!(s, "P::V({v:?}),").unwrap(),
            Piece::Select {
                var,
                variants,
                default,
            } => {
                write!(s, "P::S({var:?}, &[").unwrap();
                for (k, p) in variants {
                    write!(s, "({k:?}, {}),", rust_pieces(p)).unwrap();
                }
                write!(s, "], {default}),").unwrap();
            }
        }
    }
    s.push(']');
    s
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut groups: Vec<String> = std::fs::read_dir(dir.join("en"))
        .expect("locales/en")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".ftl").map(str::to_owned)
        })
        .collect();
    groups.sort();
    let mut errors = Vec::new();
    let mut out = String::new();
    let mut sources = String::from(
        "/// The `.ftl` source of `group` in `lang`.\npub fn source(group: &str, lang: Lang) -> Option<&'static str> {\n    match (group, lang) {\n",
    );
    // Groups formatted together in one Fluent bundle (the CLI's) must not share an id.
    let mut rust_ids: std::collections::BTreeMap<String, String> = Default::default();
    let mut list =
        String::from("/// Every group (file) of the catalogue.\npub const GROUPS: &[&str] = &[");
    for group in &groups {
        let mut files: Vec<(&str, Vec<Entry>)> = Vec::new();
        for (i, lang) in LANGS.iter().enumerate() {
            let path = dir.join(lang).join(format!("{group}.ftl"));
            println!("cargo:rerun-if-changed={}", path.display());
            let Ok(src) = std::fs::read_to_string(&path) else {
                errors.push(format!("{}: missing", path.display()));
                continue;
            };
            match compile::compile(&src) {
                Ok(entries) => files.push((lang, entries)),
                Err(e) => errors.extend(e.into_iter().map(|e| format!("{lang}/{group}.ftl: {e}"))),
            }
            let variant = ["En", "ZhHans", "ZhHant"][i];
            writeln!(
                sources,
                "        ({group:?}, Lang::{variant}) => Some(include_str!({:?})),",
                path.display()
            )
            .unwrap();
        }
        write!(list, "{group:?}, ").unwrap();
        if files.len() != LANGS.len() {
            continue;
        }
        errors.extend(compile::check_languages(group, &files));
        if ["server", "cli", "wallet"].contains(&group.as_str()) {
            for e in &files[0].1 {
                if let Some(other) = rust_ids.insert(e.id.clone(), group.clone()) {
                    errors.push(format!(
                        "{}: defined in both {other}.ftl and {group}.ftl",
                        e.id
                    ));
                }
            }
        }
        let mut ids: Vec<&str> = files[0].1.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        let name = group.to_uppercase().replace('-', "_");
        writeln!(
            out,
            "/// The `{group}` messages.\npub static {name}: Table = Table {{"
        )
        .unwrap();
        writeln!(
            out,
            "    group: {group:?},\n    ids: &{ids:?},\n    pats: ["
        )
        .unwrap();
        for (_, entries) in &files {
            out.push_str("        &[");
            for id in &ids {
                match entries.iter().find(|e| e.id == *id) {
                    Some(e) => out.push_str(&rust_pieces(&e.pattern)),
                    None => out.push_str("&[]"),
                }
                out.push(',');
            }
            out.push_str("],\n");
        }
        out.push_str("    ],\n};\n");
    }
    if !errors.is_empty() {
        for e in &errors {
            println!("cargo:warning={e}");
        }
        panic!(
            "the message catalogue is inconsistent:\n{}",
            errors.join("\n")
        );
    }
    sources.push_str("        _ => None,\n    }\n}\n");
    list.push_str("];\n");
    out.push_str(&sources);
    out.push_str(&list);
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("tables.rs");
    std::fs::write(dest, out).unwrap();
}
