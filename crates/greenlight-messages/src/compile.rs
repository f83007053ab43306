//! Fluent source → the small pattern form every front end formats with.
//!
//! Shared by `build.rs` (through `#[path]`, so it may use nothing else of this crate), the
//! `ftl2js` generator of the pages' tables and the catalogue tests. It accepts the part of
//! Fluent the catalogue uses — text, `{ $variable }`, string and number literals, and
//! selectors over a variable (`{ $n -> [one] … *[other] … }`, plural categories or exact
//! values) — and refuses the rest (message and term references, functions, attributes) by
//! name, so a construct the small formatters cannot reproduce never reaches them.

use fluent_syntax::ast;
use std::collections::BTreeSet;

/// A piece of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Text(String),
    /// The value of an argument.
    Var(String),
    /// The variant of `variants` whose key matches the argument `var` (exact value or plural
    /// category), else `variants[default]`.
    Select {
        /// The argument selected on.
        var: String,
        /// Key and pattern of every variant.
        variants: Vec<(String, Vec<Piece>)>,
        /// Index of the `*[default]` variant.
        default: usize,
    },
}

/// One message of a `.ftl` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its id.
    pub id: String,
    /// Its value.
    pub pattern: Vec<Piece>,
}

/// Parses `source` and compiles every message; the errors name the message (or the line of
/// text the parser gave up on).
pub fn compile(source: &str) -> Result<Vec<Entry>, Vec<String>> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((_, errors)) => {
            return Err(errors
                .iter()
                .map(|e| {
                    let line = source[..e.pos.start.min(source.len())].lines().count();
                    format!("syntax error near line {line}: {:?}", e.kind)
                })
                .collect())
        }
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let id = m.id.name.to_owned();
                if !seen.insert(id.clone()) {
                    errors.push(format!("{id}: defined twice"));
                }
                if !m.attributes.is_empty() {
                    errors.push(format!("{id}: attributes are not used in this catalogue"));
                }
                let Some(value) = m.value else {
                    errors.push(format!("{id}: no value"));
                    continue;
                };
                match pattern(&value) {
                    Ok(pattern) => entries.push(Entry { id, pattern }),
                    Err(e) => errors.push(format!("{id}: {e}")),
                }
            }
            ast::Entry::Term(t) => errors.push(format!(
                "-{}: terms are not supported by the pages' formatter",
                t.id.name
            )),
            ast::Entry::Junk { content } => errors.push(format!("unparsable: {content}")),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn pattern(p: &ast::Pattern<&str>) -> Result<Vec<Piece>, String> {
    let mut out: Vec<Piece> = Vec::new();
    for element in &p.elements {
        let piece = match element {
            ast::PatternElement::TextElement { value } => Piece::Text((*value).to_owned()),
            ast::PatternElement::Placeable { expression } => expr(expression)?,
        };
        // Adjacent text (a multi-line value, a literal) is one piece.
        match (out.last_mut(), piece) {
            (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
            (_, piece) => out.push(piece),
        }
    }
    Ok(out)
}

fn expr(e: &ast::Expression<&str>) -> Result<Piece, String> {
    match e {
        ast::Expression::Inline(i) => inline(i),
        ast::Expression::Select { selector, variants } => {
            let ast::InlineExpression::VariableReference { id } = selector else {
                return Err("a selector must be a variable".into());
            };
            let mut out = Vec::new();
            let mut default = None;
            for (i, v) in variants.iter().enumerate() {
                let key = match &v.key {
                    ast::VariantKey::Identifier { name } => (*name).to_owned(),
                    ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                };
                if v.default {
                    default = Some(i);
                }
                out.push((key, pattern(&v.value)?));
            }
            Ok(Piece::Select {
                var: id.name.to_owned(),
                variants: out,
                default: default.ok_or("a selector without a default variant")?,
            })
        }
    }
}

fn inline(i: &ast::InlineExpression<&str>) -> Result<Piece, String> {
    match i {
        ast::InlineExpression::StringLiteral { value } => Ok(Piece::Text(
            fluent_syntax::unicode::unescape_unicode_to_string(value).into_owned(),
        )),
        ast::InlineExpression::NumberLiteral { value } => Ok(Piece::Text((*value).to_owned())),
        ast::InlineExpression::VariableReference { id } => Ok(Piece::Var(id.name.to_owned())),
        ast::InlineExpression::Placeable { expression } => expr(expression),
        ast::InlineExpression::MessageReference { id, .. } => Err(format!(
            "references message {}: write the text out (the pages' tables do not resolve references)",
            id.name
        )),
        ast::InlineExpression::TermReference { id, .. } => {
            Err(format!("references term -{}: not supported", id.name))
        }
        ast::InlineExpression::FunctionReference { id, .. } => {
            Err(format!("calls {}(): functions are not supported", id.name))
        }
    }
}

/// The variables a pattern uses (placeables and selectors).
pub fn variables(pattern: &[Piece]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for piece in pattern {
        match piece {
            Piece::Text(_) => {}
            Piece::Var(v) => {
                out.insert(v.clone());
            }
            Piece::Select { var, variants, .. } => {
                out.insert(var.clone());
                for (_, p) in variants {
                    out.extend(variables(p));
                }
            }
        }
    }
    out
}

/// Checks that the same file in every language defines the same ids with the same
/// variables: `files` holds (language tag, compiled entries). Every difference is named.
pub fn check_languages(group: &str, files: &[(&str, Vec<Entry>)]) -> Vec<String> {
    let mut errors = Vec::new();
    let Some((first_lang, first)) = files.first() else {
        return errors;
    };
    for (lang, entries) in &files[1..] {
        for e in first {
            match entries.iter().find(|o| o.id == e.id) {
                None => errors.push(format!("{group}: {} is missing in {lang}", e.id)),
                Some(o) => {
                    let (a, b) = (variables(&e.pattern), variables(&o.pattern));
                    if a != b {
                        errors.push(format!(
                            "{group}: {} uses {a:?} in {first_lang} but {b:?} in {lang}",
                            e.id
                        ));
                    }
                }
            }
        }
        for o in entries {
            if !first.iter().any(|e| e.id == o.id) {
                errors.push(format!(
                    "{group}: {} is in {lang} but not in {first_lang}",
                    o.id
                ));
            }
        }
    }
    errors
}
