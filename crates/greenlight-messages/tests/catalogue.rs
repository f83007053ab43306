//! The catalogue as a whole: every language really translated, Simplified and Traditional
//! really different, the small formatter agreeing with fluent-bundle, and the checks of
//! `build.rs` refusing what they must.

#[path = "../src/compile.rs"]
#[allow(dead_code)]
mod compile;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use greenlight_messages::{source, Arg, Lang, GROUPS};

/// Characters written only in Simplified Chinese (their Traditional forms differ), common in
/// this catalogue. A Traditional text holding one was not converted.
const SIMPLIFIED_ONLY: &str = "个们这为时码凭证钱务发设录码数据无闭开关门网连线请说话读写输认识应该当给还过来处钥签单码场态态绿红黄档删复扫验证择选项页机钟显称访问级间题将让传变读对错备载";

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn entries(group: &str, lang: Lang) -> Vec<compile::Entry> {
    compile::compile(source(group, lang).unwrap()).unwrap()
}

/// Texts of every message of `group` in `lang`, with every variable set to its own name.
fn texts(group: &str, lang: Lang) -> Vec<(String, String)> {
    let table = table(group);
    entries(group, lang)
        .into_iter()
        .map(|e| {
            let vars: Vec<String> = compile::variables(&e.pattern).into_iter().collect();
            let args: Vec<(&str, Arg)> = vars
                .iter()
                .map(|v| (v.as_str(), Arg::from(format!("«{v}»"))))
                .collect();
            let text = table.format(lang, &e.id, &args).unwrap();
            (e.id, text)
        })
        .collect()
}

fn table(group: &str) -> &'static greenlight_messages::Table {
    match group {
        "server" => &greenlight_messages::SERVER,
        "cli" => &greenlight_messages::CLI,
        "wallet" => &greenlight_messages::WALLET,
        "venue-page" => &greenlight_messages::VENUE_PAGE,
        "wallet-page" => &greenlight_messages::WALLET_PAGE,
        other => panic!("no table for {other}: add it here"),
    }
}

const ALL_GROUPS: [&str; 5] = ["server", "cli", "wallet", "venue-page", "wallet-page"];

/// Ids whose Chinese text may equal the English one.
const SAME_IN_EVERY_LANGUAGE: &[&str] = &[];
/// Ids whose Chinese text is punctuation, not words.
const NOT_WORDS: &[&str] = &["list-separator", "lang_toggle"];

#[test]
fn groups_are_the_expected_ones() {
    let mut all = ALL_GROUPS;
    all.sort_unstable();
    assert_eq!(GROUPS, all, "a new group needs its table in this test");
}

#[test]
fn chinese_is_translated_and_traditional_is_traditional() {
    let mut checked = 0;
    for group in ALL_GROUPS {
        let en = texts(group, Lang::En);
        let hans = texts(group, Lang::ZhHans);
        let hant = texts(group, Lang::ZhHant);
        assert_eq!(en.len(), hans.len());
        assert_eq!(en.len(), hant.len());
        for ((id, e), ((_, s), (_, t))) in en.iter().zip(hans.iter().zip(hant.iter())) {
            if SAME_IN_EVERY_LANGUAGE.contains(&id.as_str()) {
                continue;
            }
            assert_ne!(e, s, "{group}/{id}: Simplified is the English text");
            if !NOT_WORDS.contains(&id.as_str()) {
                assert!(s.chars().any(is_cjk), "{group}/{id}: no Chinese in {s:?}");
                assert!(t.chars().any(is_cjk), "{group}/{id}: no Chinese in {t:?}");
            }
            let bad: String = t.chars().filter(|c| SIMPLIFIED_ONLY.contains(*c)).collect();
            assert!(
                bad.is_empty(),
                "{group}/{id}: Simplified characters {bad:?} in the Traditional text {t:?}"
            );
            if s.chars().any(|c| SIMPLIFIED_ONLY.contains(c)) {
                assert_ne!(
                    s, t,
                    "{group}/{id}: the Traditional text is the Simplified one"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 250, "only {checked} messages checked");
}

/// The small formatter (wasm, pages) and fluent-bundle give the same text for every message,
/// with text and with numbers (which pick plural and exact variants).
#[test]
fn small_formatter_agrees_with_fluent_bundle() {
    let mut compared = 0;
    for group in ALL_GROUPS {
        for lang in Lang::ALL {
            let res = FluentResource::try_new(source(group, lang).unwrap().to_owned()).unwrap();
            let mut bundle = FluentBundle::new(vec![lang.tag().parse().unwrap()]);
            bundle.set_use_isolating(false);
            bundle.add_resource(res).unwrap();
            for e in entries(group, lang) {
                let vars: Vec<String> = compile::variables(&e.pattern).into_iter().collect();
                let values: [&dyn Fn(&str) -> Arg<'static>; 5] = [
                    &|v| Arg::from(format!("«{v}»")),
                    &|_| Arg::Num(0),
                    &|_| Arg::Num(1),
                    &|_| Arg::Num(16),
                    &|v| Arg::from(if v == "status" { "green" } else { "key" }.to_owned()),
                ];
                for value in values {
                    let args: Vec<(&str, Arg)> =
                        vars.iter().map(|v| (v.as_str(), value(v))).collect();
                    let ours = table(group).format(lang, &e.id, &args).unwrap();
                    let mut fargs = FluentArgs::new();
                    for (k, v) in &args {
                        match v {
                            Arg::Str(s) => fargs.set(*k, FluentValue::from(s.to_string())),
                            Arg::Num(n) => fargs.set(*k, FluentValue::from(*n)),
                        }
                    }
                    let pattern = bundle.get_message(&e.id).unwrap().value().unwrap();
                    let mut errors = vec![];
                    let theirs = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
                    assert!(errors.is_empty(), "{group}/{}: {errors:?}", e.id);
                    assert_eq!(ours, theirs, "{group}/{} in {lang:?}", e.id);
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 3000, "only {compared} comparisons");
}

#[test]
fn the_build_checks_name_what_is_wrong() {
    let en = compile::compile("a = A { $x }\nb = B\n").unwrap();
    let zh_other_var = compile::compile("a = 甲 { $y }\nb = 乙\n").unwrap();
    let zh_missing = compile::compile("a = 甲 { $x }\n").unwrap();
    let zh_extra = compile::compile("a = 甲 { $x }\nb = 乙\nc = 丙\n").unwrap();
    let errs = compile::check_languages("g", &[("en", en.clone()), ("zh", zh_other_var)]);
    assert!(errs.len() == 1 && errs[0].contains("a uses"), "{errs:?}");
    let errs = compile::check_languages("g", &[("en", en.clone()), ("zh", zh_missing)]);
    assert!(
        errs.len() == 1 && errs[0].contains("b is missing in zh"),
        "{errs:?}"
    );
    let errs = compile::check_languages("g", &[("en", en.clone()), ("zh", zh_extra)]);
    assert!(
        errs.len() == 1 && errs[0].contains("c is in zh"),
        "{errs:?}"
    );
    assert!(compile::check_languages("g", &[("en", en.clone()), ("zh", en)]).is_empty());
    // Constructs the small formatters cannot reproduce are refused by name.
    for (src, want) in [
        ("a = { b }\nb = B\n", "references message b"),
        ("-t = T\na = { -t }\n", "term"),
        ("a = { NUMBER($n) }\n", "NUMBER"),
        ("a = A\n    .title = T\n", "attributes"),
        ("a = A\na = B\n", "defined twice"),
        ("a = {\n", "syntax error"),
    ] {
        let errs = compile::compile(src).unwrap_err();
        assert!(errs.iter().any(|e| e.contains(want)), "{src:?}: {errs:?}");
    }
}
