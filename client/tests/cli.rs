//! The `greenlight` binary as a user runs it: outputs, last lines, exit codes, languages.

mod common;

use std::process::Stdio;

use common::cli::{bin, code, last_line, run, run_stdin, s, stderr, stdout};
use greenlight_protocol::Status;
use greenlight_server::EphemeralServer;

#[test]
fn the_whole_flow_on_the_command_line_with_its_exit_codes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("wallet");
    let v = tmp.path().join("venue");
    let ticket = common::ticket(&server, "cli-user", Status::Green, 4);

    // Redeem (ticket given as a file this time).
    let ticket_file = tmp.path().join("ticket.txt");
    std::fs::write(&ticket_file, format!("{ticket}\n")).unwrap();
    let o = run(&[
        "wallet",
        "redeem",
        "--server",
        &server.url,
        "--ticket",
        s(&ticket_file),
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("Fingerprint: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("Stored 4 new green tokens in profile \"self\""));
    assert!(
        !stderr(&o).contains('\u{1b}'),
        "no terminal decorations when stderr is not a TTY"
    );

    // Status: counts only, never the holder secret.
    let o = run(&["wallet", "status", "--wallet", s(&w)]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains("Profile \"self\": 4 tokens"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("4 × green, issued "), "{}", stdout(&o));
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.join("wallet.json")).unwrap()).unwrap();
    let holder = raw["profiles"]["self"]["holder"].as_str().unwrap();
    assert!(!stdout(&o).contains(holder) && !stderr(&o).contains(holder));

    // Venue: init (window checked before the network), code with a QR image.
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--window",
        "37h",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("6h, 12h, 24h, 48h, 72h, 7d"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--window",
        "1d",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let venue_code = last_line(&o);
    assert!(venue_code.starts_with("GLV1:"));
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 2, "refuses to overwrite a venue");
    let code_png = tmp.path().join("code.png");
    let o = run(&["venue", "code", "--venue", s(&v), "--qr", s(&code_png)]);
    assert_eq!(code(&o), 0);
    assert_eq!(last_line(&o), venue_code);
    let o = run(&["venue", "sync", "--venue", s(&v)]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));

    // Present, reading the venue code from its QR image; write the presentation as a PNG.
    let p_png = tmp.path().join("p.png");
    let o = run(&[
        "wallet",
        "present",
        "--venue",
        s(&code_png),
        "--wallet",
        s(&w),
        "--qr",
        s(&p_png),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let presentation = last_line(&o);
    assert!(presentation.starts_with("GLP1:"));
    assert!(stderr(&o).contains("3 left"), "{}", stderr(&o));
    assert!(stderr(&o).contains("QR code (version "), "{}", stderr(&o));

    // Verify: ACCEPT from the PNG (exit 0), then the same as text is a replay (exit 1).
    let o = run(&["venue", "verify", "--venue", s(&v), s(&p_png)]);
    assert_eq!(code(&o), 0, "{} {}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).trim(), "ACCEPT");
    let o = run(&["venue", "verify", "--venue", s(&v), &presentation]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).starts_with("REJECT: this code was already shown here"),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        "--lang",
        "zh",
        "venue",
        "verify",
        "--venue",
        s(&v),
        &presentation,
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).starts_with("REJECT（拒绝）：此码已在本场所出示过"),
        "{}",
        stdout(&o)
    );

    // A fresh presentation through standard input.
    let o = run(&[
        "wallet",
        "present",
        "--venue",
        &venue_code,
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 0);
    let fresh = last_line(&o);
    let o = run_stdin(
        &["venue", "verify", "--venue", s(&v), "-"],
        fresh.as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    // Garbage: a clear REJECT (1), never a crash.
    for junk in ["hello", "GLP1:", "GLP1:%%%%", "", &venue_code, &ticket] {
        let o = run(&["venue", "verify", "--venue", s(&v), junk]);
        assert_eq!(code(&o), 1, "{junk}: {}", stdout(&o));
        assert!(stdout(&o).starts_with("REJECT: "), "{}", stdout(&o));
        assert!(stderr(&o).is_empty(), "{junk}: {}", stderr(&o));
    }
    let random = tmp.path().join("random.bin");
    let bytes: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&random, &bytes).unwrap();
    let o = run(&["venue", "verify", "--venue", s(&v), s(&random)]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let o = run_stdin(&["venue", "verify", "--venue", s(&v), "-"], &bytes);
    assert_eq!(code(&o), 1);
    let foreign_png = tmp.path().join("foreign.png");
    std::fs::write(
        &foreign_png,
        greenlight_client::qr::png_bytes(
            "WIFI:S:cafe;T:WPA;P:secret;;",
            greenlight_client::qr::EcLevel::M,
        )
        .unwrap(),
    )
    .unwrap();
    let o = run(&["venue", "verify", "--venue", s(&v), s(&foreign_png)]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("not a Greenlight code"),
        "{}",
        stdout(&o)
    );

    // Usage and I/O errors: 2.
    let o = run(&[
        "venue",
        "verify",
        "--venue",
        s(&v),
        s(&tmp.path().join("missing.png")),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = run(&["venue", "verify", "--venue", s(&v)]);
    assert_eq!(code(&o), 2);
    let o = run(&[
        "venue",
        "verify",
        "--venue",
        s(&tmp.path().join("nothing-here")),
        &fresh,
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("venue init"), "{}", stderr(&o));
    let o = run(&["venue", "verify", "--bogus-flag"]);
    assert_eq!(code(&o), 2);

    // Inspect shows what a venue receives.
    let o = run(&["inspect", "--venue", s(&v), &fresh]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "presentation",
        "issuer key id",
        "XX-LOCAL",
        "time slot",
        "window            24 h",
        "ζ1 (token id)",
        "random-looking",
    ] {
        assert!(out.contains(needle), "{needle} missing in\n{out}");
    }
    let o = run(&["inspect", &venue_code]);
    assert!(
        stdout(&o).contains("name              Cafe"),
        "{}",
        stdout(&o)
    );
    let o = run(&["inspect", &ticket]);
    assert!(
        stdout(&o).contains("cli-user") && stdout(&o).contains("HK"),
        "{}",
        stdout(&o)
    );
    let o = run(&["inspect", "not a code"]);
    assert_eq!(code(&o), 2);

    // Locale: zh_CN selects Chinese without --lang.
    let o = bin()
        .env("LANG", "zh_CN.UTF-8")
        .args(["wallet", "status", "--wallet", s(&w)])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("档案“self”"), "{}", stdout(&o));

    // The wallet's refusals, with exit code 1.
    let o = run(&[
        "wallet",
        "present",
        "--venue",
        &venue_code,
        "--wallet",
        s(&w),
        "--profile",
        "mum",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("there is no profile \"mum\" in this wallet (profiles: self)"),
        "{}",
        stderr(&o)
    );
    let o = run(&["wallet", "present", "--venue", &ticket, "--wallet", s(&w)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a venue code"), "{}", stderr(&o));

    // A dead server: exit 3 with a clear message.
    let t2 = common::ticket(&server, "cli-user-2", Status::Green, 1);
    let o = run(&[
        "wallet",
        "redeem",
        "--server",
        "http://127.0.0.1:9",
        "--ticket",
        &t2,
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot reach the server"),
        "{}",
        stderr(&o)
    );

    rt.block_on(server.shutdown());
}

#[test]
fn every_command_has_help_in_both_languages() {
    let paths: &[&[&str]] = &[
        &[],
        &["wallet"],
        &["wallet", "redeem"],
        &["wallet", "status"],
        &["wallet", "present"],
        &["venue"],
        &["venue", "init"],
        &["venue", "code"],
        &["venue", "sync"],
        &["venue", "verify"],
        &["inspect"],
        &["demo"],
    ];
    for path in paths {
        for (lang, marker) in [("en", "Usage:"), ("zh", "")] {
            let mut args = vec!["--lang", lang];
            args.extend_from_slice(path);
            args.push("--help");
            let o = run(&args);
            assert_eq!(code(&o), 0, "{args:?}");
            let out = stdout(&o);
            assert!(out.contains(marker) && out.len() > 50, "{args:?}: {out}");
            if lang == "zh" {
                assert!(
                    out.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{args:?} has no Chinese help: {out}"
                );
            }
        }
    }
}

/// `greenlight wallet redeem --ticket X` the ways a new user gives X, right and wrong
/// (issue 12): the whole output of `greenlight-server ticket`, standard input, a missing
/// file, a ticket cut by a shell, another kind of code, `https://` for a plain-HTTP server,
/// a code split at its spaces.
#[test]
fn ticket_inputs_and_the_mistakes_a_new_user_makes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("wallet");
    let redeem = |server_url: &str, ticket: &str, lang: &str| {
        run(&[
            "--lang",
            lang,
            "wallet",
            "redeem",
            "--server",
            server_url,
            "--ticket",
            ticket,
            "--wallet",
            s(&w),
        ])
    };
    // What `greenlight-server ticket … > t.txt` writes: a summary line, then the ticket.
    let summary = "ticket: status green, 1 tokens, valid until 2030-01-01T00:00:00Z";
    let t1 = common::ticket(&server, "first-hour-1", Status::Green, 1);
    let file = tmp.path().join("t.txt");
    std::fs::write(&file, format!("{summary}\n{t1}\n")).unwrap();
    let o = redeem(&server.url, s(&file), "en");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Stored 1 new green token in profile \"self\" (1 in total)."),
        "{}",
        stdout(&o)
    );

    // The same two lines on standard input (`--ticket -`).
    let t2 = common::ticket(&server, "first-hour-2", Status::Green, 2);
    let o = run_stdin(
        &[
            "wallet",
            "redeem",
            "--server",
            &server.url,
            "--ticket",
            "-",
            "--wallet",
            s(&w),
        ],
        format!("{summary}\n{t2}\n").as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Stored 2 new green tokens in profile \"self\" (3 in total)."),
        "{}",
        stdout(&o)
    );
    let o = run(&["wallet", "status", "--wallet", s(&w)]);
    assert!(stdout(&o).contains("Profile \"self\": 3 tokens"));

    // A file that is not there is a missing file, not a damaged ticket.
    for (arg, lang, expected) in [
        ("nothere.txt", "en", "error: no such file: nothere.txt"),
        ("tickets/t", "en", "error: no such file: tickets/t"),
        ("nothere.png", "zh", "错误：没有这个文件：nothere.png"),
    ] {
        let o = redeem(&server.url, arg, lang);
        assert_eq!(code(&o), 2, "{arg}");
        assert_eq!(stderr(&o).trim(), expected);
    }

    // Cut short (double quotes in a shell drop each `$…` of the base45 text).
    let t3 = common::ticket(&server, "first-hour-3", Status::Green, 1);
    let min = greenlight_client::input::min_text_len(greenlight_protocol::Kind::Ticket).unwrap();
    for cut in [&t3[..min - 1], &t3[..40]] {
        let o = redeem(&server.url, cut, "en");
        assert_eq!(code(&o), 2);
        assert!(
            stderr(&o).contains("looks cut short")
                && stderr(&o).contains("double quotes")
                && stderr(&o).contains("single quotes"),
            "{}",
            stderr(&o)
        );
    }
    let o = redeem(&server.url, &t3[..40], "zh");
    assert!(stderr(&o).contains("截短"), "{}", stderr(&o));
    // Full length, but a character no base45 text has (changed while copying).
    let garbled = format!("{}a{}", &t3[..60], &t3[61..]);
    let o = redeem(&server.url, &garbled, "en");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("error: the issuance ticket is damaged: it has characters")
            && stderr(&o).contains("single quotes"),
        "{}",
        stderr(&o)
    );

    // Another kind of code, by its prefix or by the type inside: named as such.
    let mut rng =
        <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::seed_from_u64(12);
    let issuer = greenlight_acl::IssuerKeyPair::generate_with_rng(&mut rng);
    let key_list = common::key_list(
        &greenlight_protocol::SigningKey::from_bytes(&[12; 32]),
        &issuer,
        1,
        false,
    );
    let disguised = greenlight_wire::text::encode(
        greenlight_wire::prefixes::TICKET,
        &greenlight_protocol::KeyList::from_text(&key_list)
            .unwrap()
            .to_bytes(),
    );
    for text in [&key_list, &disguised] {
        let o = redeem(&server.url, text, "en");
        assert_eq!(code(&o), 2);
        assert_eq!(
            stderr(&o).trim(),
            "error: this is an issuer key list, not an issuance ticket"
        );
        let o = redeem(&server.url, text, "zh");
        assert_eq!(stderr(&o).trim(), "错误：这是签发方密钥列表，不是签发凭单");
    }
    // Text that is no code: said in Chinese with no English left in it.
    let o = redeem(&server.url, "hello", "zh");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("这不是签发凭单") && !stderr(&o).contains("unrecognised"),
        "{}",
        stderr(&o)
    );

    // `https://` for a server that speaks plain HTTP: not "connection refused".
    let https = server.url.replacen("http://", "https://", 1);
    let o = redeem(&https, &t3, "en");
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("does not speak https") && stderr(&o).contains("try http://"),
        "{}",
        stderr(&o)
    );
    let o = redeem(&https, &t3, "zh");
    assert!(stderr(&o).contains("不支持 https"), "{}", stderr(&o));

    // An unquoted ticket is split by the shell at its spaces: clap's error, plus a tip.
    let o = run(&[
        "wallet",
        "redeem",
        "--server",
        &server.url,
        "--ticket",
        "GLT1:AB",
        "CD",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("unexpected argument 'CD'")
            && stderr(&o).contains("a Greenlight code contains spaces"),
        "{}",
        stderr(&o)
    );

    // The help says how to give the ticket.
    for (lang, needles) in [
        (
            "en",
            [
                "single quotes",
                "greenlight-server ticket",
                "standard input",
            ],
        ),
        ("zh", ["单引号", "greenlight-server ticket", "标准输入"]),
    ] {
        let o = run(&["--lang", lang, "wallet", "redeem", "--help"]);
        for needle in needles {
            assert!(stdout(&o).contains(needle), "{needle}: {}", stdout(&o));
        }
    }
    rt.block_on(server.shutdown());
}

/// Presenting spends a token, so every output is checked before: a `--qr` path that cannot
/// be written fails with exit 2 and a clear message, and the wallet keeps its tokens.
/// Profiles that do not exist are named; codes are picked out of a tool's whole output.
#[test]
fn a_bad_output_path_costs_no_token_and_profiles_are_named() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("wallet");
    let v = tmp.path().join("venue");

    // Presenting from an empty wallet.
    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The whole output of `venue init`, as a file: the code is its last line.
    let init_out = tmp.path().join("init.txt");
    std::fs::write(&init_out, stdout(&o)).unwrap();
    let o = run(&[
        "wallet",
        "present",
        "--venue",
        s(&init_out),
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("the wallet is empty"), "{}", stderr(&o));

    let ticket = common::ticket(&server, "qr-paths", Status::Green, 2);
    let o = run(&[
        "wallet",
        "redeem",
        "--server",
        &server.url,
        "--ticket",
        &ticket,
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let tokens = || {
        let o = run(&["wallet", "status", "--wallet", s(&w)]);
        stdout(&o)
            .lines()
            .find(|l| l.starts_with("Profile \"self\""))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(tokens(), "Profile \"self\": 2 tokens");

    let a_file = tmp.path().join("a-file");
    std::fs::write(&a_file, b"x").unwrap();
    let missing_dir = tmp.path().join("nonexistent/dir/x.png");
    let under_a_file = a_file.join("x.png");
    for (bad, expected) in [
        (
            missing_dir.clone(),
            format!(
                "error: cannot write {}: the folder {} does not exist",
                missing_dir.display(),
                missing_dir.parent().unwrap().display()
            ),
        ),
        (
            under_a_file.clone(),
            format!(
                "error: cannot write {}: {} is a file, not a folder",
                under_a_file.display(),
                a_file.display()
            ),
        ),
        (
            tmp.path().to_owned(),
            format!("error: {} is a folder, not a file", tmp.path().display()),
        ),
    ] {
        let o = run(&[
            "wallet",
            "present",
            "--venue",
            s(&init_out),
            "--wallet",
            s(&w),
            "--qr",
            s(&bad),
        ]);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert_eq!(stderr(&o).trim(), expected);
        assert!(stdout(&o).is_empty(), "no code was made: {}", stdout(&o));
        assert_eq!(tokens(), "Profile \"self\": 2 tokens", "no token was spent");
        let o = run(&["venue", "code", "--venue", s(&v), "--qr", s(&bad)]);
        assert_eq!(code(&o), 2);
        assert_eq!(stderr(&o).trim(), expected);
    }

    // The whole output of `venue code` on standard input; a good path works.
    let o = run(&["venue", "code", "--venue", s(&v)]);
    let png = tmp.path().join("p.png");
    let o = run_stdin(
        &[
            "wallet",
            "present",
            "--venue",
            "-",
            "--wallet",
            s(&w),
            "--qr",
            s(&png),
        ],
        stdout(&o).as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 left in profile \"self\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(tokens(), "Profile \"self\": 1 token");
    assert!(png.is_file());

    // A profile that does not exist is named, with the ones that do.
    let present_as = |profile: &str, lang: &str| {
        run(&[
            "--lang",
            lang,
            "wallet",
            "present",
            "--venue",
            s(&init_out),
            "--wallet",
            s(&w),
            "--profile",
            profile,
        ])
    };
    let o = present_as("dad", "en");
    assert_eq!(code(&o), 1);
    assert_eq!(
        stderr(&o).trim(),
        "error: there is no profile \"dad\" in this wallet (profiles: self)"
    );
    let o = present_as("dad", "zh");
    assert_eq!(
        stderr(&o).trim(),
        "错误：此钱包中没有档案“dad”（现有档案：self）"
    );
    let o = run(&["wallet", "status", "--wallet", s(&w), "--profile", "dad"]);
    assert!(
        stdout(&o).contains("There is no profile \"dad\" in this wallet (profiles: self)."),
        "{}",
        stdout(&o)
    );
    // The last token, then an existing profile with none left.
    assert_eq!(code(&present_as("self", "en")), 0);
    let o = present_as("self", "en");
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("no tokens left in profile \"self\""),
        "{}",
        stderr(&o)
    );

    // A ticket shown at the door: named, with its article.
    let o = run(&["venue", "verify", "--venue", s(&v), &ticket]);
    assert_eq!(code(&o), 1);
    assert_eq!(
        stdout(&o).trim(),
        "REJECT: this is an issuance ticket, not a visitor's code"
    );
    rt.block_on(server.shutdown());
}

/// Command-line mistakes in Chinese are said in Chinese, with the usage line; help has no
/// English headings; file-system errors are plain words.
#[test]
fn usage_errors_help_and_file_errors_in_plain_words() {
    let o = run(&["--lang", "zh", "wallet", "redeem", "--server", "http://x"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.starts_with("错误：缺少必需的参数：--ticket <TICKET>")
            && err.contains("用法： greenlight wallet redeem")
            && err.contains("更多信息请使用 '--help'。")
            && !err.contains("Usage:")
            && !err.contains("error:"),
        "{err}"
    );
    let o = run(&[
        "--lang", "zh", "wallet", "redeem", "--server", "x", "--ticket", "y", "--tiket", "z",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("无法识别的参数“--tiket”")
            && stderr(&o).contains("提示：有一个相似的参数“--ticket”"),
        "{}",
        stderr(&o)
    );
    let o = run(&["--lang", "zh", "walet"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("无法识别的子命令“walet”"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "--lang", "zh", "venue", "init", "--server", "x", "--name", "y", "--lang", "fr",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("的值“fr”无效"), "{}", stderr(&o));
    // English stays clap's own.
    let o = run(&["wallet", "redeem", "--server", "http://x"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("the following required arguments were not provided"),
        "{}",
        stderr(&o)
    );

    for path in [
        &[][..],
        &["wallet"][..],
        &["wallet", "present"][..],
        &["venue", "verify"][..],
    ] {
        let mut args = vec!["--lang", "zh"];
        args.extend_from_slice(path);
        args.push("--help");
        let out = stdout(&run(&args));
        assert!(
            out.contains("用法：") && out.contains("选项：") && out.contains("显示帮助"),
            "{out}"
        );
        for english in [
            "Usage:",
            "Options:",
            "Commands:",
            "Arguments:",
            "Print help",
        ] {
            assert!(!out.contains(english), "{path:?}: {english} in\n{out}");
        }
    }

    // A code cut short, and an unknown text, in Chinese without English fragments.
    let o = run(&["--lang", "zh", "inspect", "GLV1:ABC"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("场所码似乎被截短了"), "{}", stderr(&o));

    // File-system errors in plain words.
    let tmp = tempfile::tempdir().unwrap();
    let a_file = tmp.path().join("a-file");
    std::fs::write(&a_file, b"x").unwrap();
    let under = a_file.join("wallet");
    for (lang, words) in [
        ("en", "a part of the path is a file, not a folder"),
        ("zh", "路径中有一部分是文件而不是文件夹"),
    ] {
        let o = run(&["--lang", lang, "wallet", "status", "--wallet", s(&under)]);
        assert_eq!(code(&o), 2);
        assert!(
            stderr(&o).contains(words) && !stderr(&o).contains("os error"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn a_proxy_from_the_environment_is_not_used_for_a_loopback_server() {
    // First use over plain http is allowed for loopback only because nothing leaves the
    // machine; a proxy (here a dead one) would carry the root key fetch elsewhere.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let v = tmp.path().join("venue");
    let o = bin()
        .args([
            "venue",
            "init",
            "--server",
            &server.url,
            "--name",
            "Cafe",
            "--window",
            "1d",
            "--venue",
            s(&v),
        ])
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// Issue 13: what a camera captures of a code on a phone — rotated, tilted, blurred, with
/// glare and sensor noise, saved as PNG or JPEG — is read by `wallet redeem --ticket`,
/// `inspect` and `venue verify` (the decoder before, rqrr, lost a version-27 code at 1° of
/// rotation).
#[test]
fn rotated_and_tilted_camera_captures_are_read() {
    use greenlight_testkit::camera::{capture, capture_png, Modules, Shot};

    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("wallet");
    let v = tmp.path().join("venue");
    let shot = |tilt: f64, roll: f64, seed: u64| Shot {
        tilt_deg: tilt,
        tilt_axis_deg: 30.0,
        roll_deg: roll,
        blur_sigma: 1.0,
        glare: 0.4,
        noise_sigma: 3.0,
        share: 0.7,
        seed,
        ..Shot::clean()
    };

    // The ticket, photographed at 20° and held askew.
    let ticket = common::ticket(&server, "camera-user", Status::Green, 2);
    let ticket_png = tmp.path().join("ticket-photo.png");
    let ticket_code = Modules::qr(&ticket, greenlight_qr::TICKET_EC);
    std::fs::write(&ticket_png, capture_png(&ticket_code, &shot(20.0, 33.0, 1))).unwrap();
    let o = run(&[
        "wallet",
        "redeem",
        "--server",
        &server.url,
        "--ticket",
        s(&ticket_png),
        "--wallet",
        s(&w),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Stored 2 new green tokens"),
        "{}",
        stdout(&o)
    );

    let o = run(&[
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Cafe",
        "--venue",
        s(&v),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let venue_code = last_line(&o);
    let mut presentations = Vec::new();
    for _ in 0..2 {
        let o = run(&[
            "wallet",
            "present",
            "--venue",
            &venue_code,
            "--wallet",
            s(&w),
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        presentations.push(last_line(&o));
    }

    // A version-28 presentation (wire version 2) rolled upside down and tilted 25°, as a PNG: inspect reads
    // it, and the venue accepts it.
    let p_code = Modules::qr(&presentations[0], greenlight_qr::PRESENTATION_EC);
    assert_eq!(p_code.side(), 129, "version 28");
    let p_png = tmp.path().join("capture.png");
    std::fs::write(&p_png, capture_png(&p_code, &shot(25.0, 170.0, 2))).unwrap();
    let o = run(&["inspect", "--venue", s(&v), s(&p_png)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("presentation"), "{}", stdout(&o));
    let o = run(&["venue", "verify", "--venue", s(&v), s(&p_png)]);
    assert_eq!(code(&o), 0, "{} {}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).trim(), "ACCEPT");

    // The other one rotated 1° (where rqrr failed) and tilted 10°, saved by a phone as JPEG.
    let q_code = Modules::qr(&presentations[1], greenlight_qr::PRESENTATION_EC);
    let frame = capture(&q_code, &shot(10.0, 1.0, 3));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&frame)
        .unwrap();
    let q_jpg = tmp.path().join("capture.jpg");
    std::fs::write(&q_jpg, &jpeg).unwrap();
    let o = run(&["venue", "verify", "--venue", s(&v), s(&q_jpg)]);
    assert_eq!(code(&o), 0, "{} {}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).trim(), "ACCEPT");

    // And it can fail: a capture blurred past reading is no code at all.
    let mut hopeless = shot(30.0, 45.0, 4);
    hopeless.blur_sigma = 6.0;
    hopeless.share = 0.3;
    let bad_png = tmp.path().join("blurred.png");
    std::fs::write(&bad_png, capture_png(&q_code, &hopeless)).unwrap();
    let o = run(&["venue", "verify", "--venue", s(&v), s(&bad_png)]);
    assert_eq!(code(&o), 1, "{} {}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("no QR code found"), "{}", stdout(&o));
}

#[test]
fn a_venue_requiring_witnesses_checks_its_settings_and_refuses_an_unwitnessed_list() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let v = tmp.path().join("venue");
    let witness = hex::encode(
        greenlight_protocol::SigningKey::from_bytes(&[9; 32])
            .verifying_key()
            .as_bytes(),
    );
    let init = |extra: &[&str]| {
        let mut args = vec![
            "venue",
            "init",
            "--server",
            &server.url,
            "--name",
            "Hall",
            "--venue",
            s(&v),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    // Settings are checked before the network: a malformed key, a quorum above the witnesses.
    for bad in [
        vec!["--witness", "abcd"],
        vec!["--witness", &witness, "--witness-quorum", "2"],
        vec!["--witness", &witness, "--witness", &witness],
    ] {
        let o = init(&bad);
        assert_eq!(code(&o), 2, "{bad:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("the witness settings are not valid"),
            "{}",
            stderr(&o)
        );
    }
    // The development server's list carries no cosignature: refused (exit 1), nothing set up.
    let o = init(&["--witness", &witness]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not vouched for by the witnesses required here"),
        "{}",
        stderr(&o)
    );
    assert!(!v.join("venue.json").exists());
    let o = run(&[
        "--lang",
        "zh",
        "venue",
        "init",
        "--server",
        &server.url,
        "--name",
        "Hall",
        "--venue",
        s(&v),
        "--witness",
        &witness,
    ]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("见证方"), "{}", stderr(&o));
    // Without witnesses the same venue is set up as before; here retiring version-1
    // presentations (spec §9), which only versions 1 and 2 can be asked for.
    let o = init(&["--min-presentation-version", "3"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = init(&["--min-presentation-version", "2"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(v.join("venue.json")).unwrap()).unwrap();
    assert_eq!(raw["min_presentation_version"], serde_json::json!(2));
    assert!(raw.get("witnesses").is_none());
}

#[test]
fn a_wallet_that_names_witnesses_redeems_nothing_under_an_unwitnessed_list() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(EphemeralServer::start()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("wallet");
    let witness = hex::encode(
        greenlight_protocol::SigningKey::from_bytes(&[8; 32])
            .verifying_key()
            .as_bytes(),
    );
    let ticket = common::ticket(&server, "cli-witness", Status::Green, 2);
    let redeem = |extra: &[&str]| {
        let mut args = vec![
            "wallet",
            "redeem",
            "--server",
            &server.url,
            "--ticket",
            &ticket,
            "--wallet",
            s(&w),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let o = redeem(&["--witness", &witness, "--witness-quorum", "0"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = redeem(&["--witness", &witness]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not vouched for by the witnesses required here"),
        "{}",
        stderr(&o)
    );
    // Refused before any issuance: no wallet written, and the ticket still redeems in full.
    assert!(!w.join("wallet.json").exists());
    let o = redeem(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Stored 2 new green tokens"),
        "{}",
        stdout(&o)
    );
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.join("wallet.json")).unwrap()).unwrap();
    assert!(raw.get("witnesses").is_none());
}
