//! Every user-facing message of Greenlight, in one Fluent catalogue: English, Simplified and
//! Traditional Chinese (`locales/<lang>/<group>.ftl`). Sans I/O: the sources are embedded.
//!
//! Groups (files): `server` (the issuer's error codes, for the CLI and the web wallet), `cli`
//! (the `greenlight` tool), `wallet` (the web wallet's refusals and warnings, formatted in
//! wasm), `venue-page` and `wallet-page` (the two pages' labels, turned into JS tables by
//! `ftl2js` when the pages are built).
//!
//! Two formatters read the same entries:
//! - [`Table::format`], the small one compiled by `build.rs` (text, variables, selectors; no
//!   Fluent runtime, so the wasm wallet stays small);
//! - with the `bundle` feature, [`bundle::format`] through `fluent-bundle`, the reference
//!   implementation, for the CLI. The tests check they give the same text.
//!
//! The build fails when a language lacks a message or a message uses other variables in
//! another language (`build.rs`).

use std::borrow::Cow;

#[cfg(feature = "bundle")]
pub mod bundle;
#[cfg(feature = "compile")]
pub mod compile;

/// A language of the front ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese (简体中文).
    ZhHans,
    /// Traditional Chinese (繁體中文).
    ZhHant,
}

impl Lang {
    /// Every language, in the order of the catalogue's tables.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::ZhHans, Lang::ZhHant];

    /// From a BCP 47 tag as browsers give it, or a POSIX locale (`en-GB`, `zh-CN`,
    /// `zh_TW.UTF-8`, `zh-Hant-HK`): Traditional for `zh-Hant` and the regions that write it
    /// (TW, HK, MO), Simplified for any other `zh`, English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        // A POSIX locale's encoding and modifier (`.UTF-8`, `@stroke`) are not subtags.
        let t = t.split(['.', '@']).next().unwrap_or("");
        if !(t == "zh" || t.starts_with("zh-")) {
            return Lang::En;
        }
        let parts: Vec<&str> = t.split('-').collect();
        if parts.contains(&"hant") || parts.iter().any(|p| matches!(*p, "tw" | "hk" | "mo")) {
            Lang::ZhHant
        } else {
            Lang::ZhHans
        }
    }

    /// The tag the front ends store, put in `<html lang>` and name the locale folders by.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
        }
    }

    const fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::ZhHans => 1,
            Lang::ZhHant => 2,
        }
    }
}

/// The value of a message argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg<'a> {
    /// Text, shown as it is.
    Str(Cow<'a, str>),
    /// A whole number: selects plural and exact variants. Integers only: every number the
    /// front ends show is a count, and formatting floats would pull Rust's float printing
    /// (kilobytes) into the wasm wallet.
    Num(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}
impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Cow::Owned(s))
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
        impl From<&$t> for Arg<'_> {
            fn from(n: &$t) -> Self {
                Arg::Num(i64::try_from(*n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
num_arg!(u8, u16, u32, u64, usize, i32, i64);

/// A piece of a compiled pattern (see `compile::Piece`).
#[derive(Debug)]
pub enum P {
    /// Literal text.
    T(&'static str),
    /// An argument.
    V(&'static str),
    /// A selector: argument, (key, pattern) variants, index of the default.
    S(&'static str, &'static [(&'static str, &'static [P])], usize),
}

/// One group (file) of the catalogue, compiled.
#[derive(Debug)]
pub struct Table {
    /// Its name (the file's stem).
    pub group: &'static str,
    /// Message ids, sorted.
    pub ids: &'static [&'static str],
    /// Per language (in [`Lang::ALL`] order), the pattern of each id.
    pub pats: [&'static [&'static [P]]; 3],
}

include!(concat!(env!("OUT_DIR"), "/tables.rs"));

impl Table {
    /// Whether the group defines `id`.
    pub fn has(&self, id: &str) -> bool {
        self.ids.binary_search(&id).is_ok()
    }

    /// The message `id` in `lang` with `args`; `None` if the group has no such message. A
    /// missing argument shows as `{$name}`, as Fluent does.
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
        let i = self.ids.binary_search(&id).ok()?;
        let mut out = String::new();
        write_pattern(&mut out, self.pats[lang.index()][i], lang, args);
        Some(out)
    }
}

/// CLDR cardinal plural category: English has `one` (exactly 1) and `other`; Chinese only
/// `other`.
fn plural_category(lang: Lang, n: i64) -> &'static str {
    match lang {
        Lang::En if n == 1 => "one",
        _ => "other",
    }
}

fn write_pattern(out: &mut String, pattern: &[P], lang: Lang, args: &[(&str, Arg)]) {
    let arg = |name: &str| args.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
    for piece in pattern {
        match piece {
            P::T(t) => out.push_str(t),
            P::V(name) => match arg(name) {
                Some(Arg::Str(s)) => out.push_str(s),
                Some(Arg::Num(n)) => out.push_str(&n.to_string()),
                None => {
                    out.push_str("{$");
                    out.push_str(name);
                    out.push('}');
                }
            },
            P::S(name, variants, default) => {
                let chosen = match arg(name) {
                    Some(Arg::Str(s)) => variants.iter().position(|(k, _)| *k == s.as_ref()),
                    Some(Arg::Num(n)) => variants
                        .iter()
                        .position(|(k, _)| k.parse::<i64>().ok() == Some(*n))
                        .or_else(|| {
                            let cat = plural_category(lang, *n);
                            variants.iter().position(|(k, _)| *k == cat)
                        }),
                    None => None,
                };
                write_pattern(out, variants[chosen.unwrap_or(*default)].1, lang, args);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!(Lang::from_tag("C"), Lang::En);
        assert_eq!(Lang::from_tag("zh"), Lang::ZhHans);
        assert_eq!(Lang::from_tag("zh-CN"), Lang::ZhHans);
        assert_eq!(Lang::from_tag("zh_CN.UTF-8"), Lang::ZhHans);
        assert_eq!(Lang::from_tag("zh_SG"), Lang::ZhHans);
        assert_eq!(Lang::from_tag("zh-Hant"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zh_TW.UTF-8"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zh_HK"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zh-Hant-MO"), Lang::ZhHant);
        assert_eq!(Lang::from_tag("zhx"), Lang::En);
        for l in Lang::ALL {
            assert_eq!(Lang::from_tag(l.tag()), l);
        }
    }

    #[test]
    fn plural_and_exact_selection() {
        static V: &[(&str, &[P])] = &[
            ("0", &[P::T("none")]),
            ("one", &[P::T("one")]),
            ("other", &[P::V("n"), P::T(" many")]),
        ];
        let pat: &[P] = &[P::S("n", V, 2)];
        let run = |lang, n: u64| {
            let mut s = String::new();
            write_pattern(&mut s, pat, lang, &[("n", n.into())]);
            s
        };
        assert_eq!(run(Lang::En, 0), "none");
        assert_eq!(run(Lang::En, 1), "one");
        assert_eq!(run(Lang::En, 2), "2 many");
        assert_eq!(run(Lang::ZhHans, 1), "1 many");
        let mut s = String::new();
        write_pattern(&mut s, pat, Lang::En, &[]);
        assert_eq!(s, "{$n} many");
    }
}
