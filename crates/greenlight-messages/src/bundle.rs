//! Formatting through `fluent-bundle`, the reference Fluent implementation (the CLI).
//!
//! Placeables are not wrapped in Unicode isolation marks (U+2068 … U+2069): a terminal shows
//! them as stray characters and scripts matching on the output would break.

use crate::{Arg, Lang};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

/// The groups one bundle holds: their ids must not collide (checked by the tests).
pub const GROUPS: [&str; 2] = ["server", "cli"];

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> &'static Bundle {
    static BUNDLES: OnceLock<[Bundle; 3]> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| Lang::ALL.map(make));
    &all[lang.index()]
}

fn make(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier =
        lang.tag().parse().expect("the three tags are valid BCP 47");
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    for group in GROUPS {
        let src = crate::source(group, lang).expect("group exists (build.rs)");
        // build.rs parsed the same text with the same parser and refused any error, and the
        // tests check the groups' ids are distinct: neither call can fail on a built crate.
        let res = FluentResource::try_new(src.to_owned()).expect("parsed by build.rs");
        b.add_resource(res).expect("ids distinct across groups");
    }
    b
}

/// Whether the bundle has `id`.
pub fn has(id: &str) -> bool {
    bundle(Lang::En).has_message(id)
}

/// The message `id` in `lang` with `args`. An unknown id gives the id itself (the tests check
/// that every id the CLI uses exists).
pub fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let b = bundle(lang);
    let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        let v: FluentValue = match v {
            Arg::Str(s) => FluentValue::from(s.to_string()),
            Arg::Num(n) => FluentValue::from(*n),
        };
        fargs.set(*k, v);
    }
    let mut errors = Vec::new();
    b.format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}
