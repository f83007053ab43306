//! Test fixtures for the browser verifier, made with the real crates, and the native timing of
//! the same verification the page runs.
//!
//! ```text
//! fixtures gen OUT_DIR [--seed N] [--now UNIX_SECS]
//! fixtures setup DIR [--server URL]
//! fixtures bench DIR [--case NAME] [--batches N]
//! fixtures venue KEYS_JSON OUT_DIR --server URL [--name NAME] [--window HOURS]
//! fixtures y4m PNG OUT [--scale N]
//! fixtures decode PNG
//! ```
//!
//! `gen` issues tokens in-process (ACL issuance run on both sides), builds a root-signed key
//! list with three regional issuers (one key revoked), two venue codes, `venue.json` for
//! venue A (plus `venue_b.json`, `venue_seq2.json` with the list's next version, and
//! `venue_bad_root.json` whose list another root signed), and one presentation per test case as `NAME.txt` (the `GLP1:` text) and `NAME.png`
//! (its QR code), a `camera.y4m` video of one QR code for Chromium's fake camera,
//! `camera_tilted.y4m` (and `.gray`, its grey bytes, and `.txt`) of another presentation as a
//! camera sees it tilted on a phone (greenlight-testkit's simulated camera), and
//! `cases.json`: every case with the verdict it is *made* to get (the browser test compares the
//! page's verdict with that), and `keys.json`: what the issuer's `GET /v1/keys` would answer
//! (the list of `venue.json`). `setup` makes venue A's set-up code (`GLS1:`) for a server URL
//! (default: the one in `venue.json`) — the browser test runs it once it knows its server's
//! port — as `setup.txt`, `setup.png` and `setup_camera.y4m`, plus `setup_wrong_root.txt`
//! (another root fingerprint) and `setup_newer_list.txt` (asks for a newer key list than
//! `keys.json` holds). `bench` loads `DIR/venue.json` and times `verify_to_json` — the
//! function the wasm export wraps — on one presentation, with a fresh replay list each run.
//!
//! For the wallet's browser test, which runs a real `greenlight-server`: `venue` makes a venue
//! for the server whose `GET /v1/keys` answer is in `KEYS_JSON` (`venue.json`,
//! `venue_code.txt` and `venue_camera.y4m`, the venue code's QR as a camera video); `y4m` turns
//! an image (a screenshot of the wallet's QR), scaled by N, into a camera video; `decode`
//! prints the text of the QR code in an image (ZXing-C++, the CLI's decoder, through
//! `greenlight-qr`: a second reader besides the page's jsQR).

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(e) = native::run(std::env::args().skip(1).collect()) {
        eprintln!("fixtures: {e}");
        std::process::exit(2);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::error::Error;
    use std::fs;
    use std::path::{Path, PathBuf};
    use std::time::{Instant, SystemTime, UNIX_EPOCH};

    use curve25519_dalek::scalar::Scalar;
    use greenlight_acl::issuance::issue_locally_with_rng;
    use greenlight_acl::{Attributes, IssuerKeyPair, Token};
    use greenlight_circuits::statements::green_recent;
    use greenlight_circuits::{
        KeyListBinding, KeyListDigest, Policy, Presentation, PresentationContext,
    };
    use greenlight_protocol::{
        IssuerEntry, IssuerKeyEntry, KeyListBody, SigningKey, TravelHistory, VenueCode,
    };
    use greenlight_testkit::camera::{capture, capture_screen, Modules, Screen, Shot};
    use greenlight_venue::VenueSetup;
    use greenlight_web::{verify_to_json, Venue};
    use greenlight_wire::{ids, Status};
    use image::{GrayImage, Luma};
    use qrcode::QrCode;
    use rand_chacha::ChaCha20Rng;
    use rand_core::{OsRng, RngCore, SeedableRng};
    use serde_json::json;

    type Result<T> = std::result::Result<T, Box<dyn Error>>;

    const WINDOW_HOURS: u8 = 24;
    const DAY: u64 = 86_400;
    /// Pixels per QR module in the PNGs: crisp for jsQR, and a version-30-ish code still fits
    /// the 720-line camera frame.
    const MODULE_PX: u32 = 4;
    const CAMERA_W: u32 = 1280;
    const CAMERA_H: u32 = 720;

    pub fn run(args: Vec<String>) -> Result<()> {
        match args.first().map(String::as_str) {
            Some("gen") => {
                let out = PathBuf::from(args.get(1).ok_or("gen needs OUT_DIR")?);
                let seed = flag(&args, "--seed")?.unwrap_or_else(|| OsRng.next_u64());
                let now = match flag(&args, "--now")? {
                    Some(n) => n,
                    None => SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
                };
                generate(&out, seed, now)
            }
            Some("setup") => {
                let dir = PathBuf::from(args.get(1).ok_or("setup needs DIR")?);
                let server = args
                    .iter()
                    .position(|a| a == "--server")
                    .and_then(|i| args.get(i + 1))
                    .map(String::as_str);
                setup(&dir, server)
            }
            Some("bench") => {
                let dir = PathBuf::from(args.get(1).ok_or("bench needs DIR")?);
                let case = args
                    .iter()
                    .position(|a| a == "--case")
                    .and_then(|i| args.get(i + 1))
                    .map_or("bench", String::as_str);
                let batches = flag(&args, "--batches")?.unwrap_or(60);
                bench(&dir, case, batches)
            }
            Some("venue") => {
                let opt = |name: &str| {
                    args.iter()
                        .position(|a| a == name)
                        .and_then(|i| args.get(i + 1))
                        .map(String::as_str)
                };
                venue_for(
                    Path::new(args.get(1).ok_or("venue needs KEYS_JSON")?),
                    Path::new(args.get(2).ok_or("venue needs OUT_DIR")?),
                    opt("--server").ok_or("venue needs --server URL")?,
                    opt("--name").unwrap_or("Lucky Café 幸運咖啡"),
                    u8::try_from(flag(&args, "--window")?.unwrap_or(24))?,
                )
            }
            Some("y4m") => {
                let img = image::open(args.get(1).ok_or("y4m needs PNG")?)?.to_luma8();
                let scale = u32::try_from(flag(&args, "--scale")?.unwrap_or(1))?;
                let img = image::imageops::resize(
                    &img,
                    img.width() * scale,
                    img.height() * scale,
                    image::imageops::FilterType::Nearest,
                );
                write_y4m(Path::new(args.get(2).ok_or("y4m needs OUT")?), &img)
            }
            Some("decode") => {
                let found = greenlight_qr::decode_image(&fs::read(
                    args.get(1).ok_or("decode needs PNG")?,
                )?)?;
                println!("{}", found.first().ok_or("no QR code found")?);
                Ok(())
            }
            Some("screen") => {
                let img = image::open(args.get(1).ok_or("screen needs PNG")?)?.to_luma8();
                let need = |name: &str| -> Result<u64> {
                    flag(&args, name)?.ok_or_else(|| format!("screen needs {name}").into())
                };
                let screen = Screen::new(
                    img,
                    (need("--x")? as f64, need("--y")? as f64),
                    need("--px")? as f64,
                    usize::try_from(need("--side")?)?,
                );
                let want = args.get(2).ok_or("screen needs the code's TEXT_FILE")?;
                let want = fs::read_to_string(want)?.trim().to_owned();
                screen_grid(&screen, &want, flag(&args, "--seed")?.unwrap_or(13))
            }
            _ => Err(
                "usage: fixtures gen OUT_DIR [--seed N] [--now UNIX_SECS] | \
                      fixtures setup DIR [--server URL] | \
                      fixtures bench DIR [--case NAME] [--batches N] | \
                      fixtures venue KEYS_JSON OUT_DIR --server URL [--name NAME] [--window H] | \
                      fixtures y4m PNG OUT [--scale N] | fixtures decode PNG | \
                      fixtures screen PNG TEXT_FILE --x X --y Y --px PX --side N [--seed N]"
                    .into(),
            ),
        }
    }

    /// The wallet's own presentation screen (a screenshot) filmed by the simulated door
    /// camera over the scanning corpus's CI grid (docs/scanning.md: streams 1280×720 and
    /// 640×480, share 50/70/90 %, tilt 0/15/30° (not 30° at 640×480), blur 0/1 px, glare
    /// off/on; noise, JPEG, roll and tilt axis drawn from the seed), each frame decoded with
    /// the CLI's ZXing-C++. Prints JSON: frames read per headline subset and in all. A
    /// decoded text other than the code's is an error.
    fn screen_grid(screen: &Screen, want: &str, seed: u64) -> Result<()> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let mut unit = move || f64::from(rng.next_u32()) / f64::from(u32::MAX);
        let (mut read, mut total) = (
            std::collections::BTreeMap::<&str, u32>::new(),
            std::collections::BTreeMap::<&str, u32>::new(),
        );
        for stream in [(1280u32, 720u32), (640, 480)] {
            for share in [50u32, 70, 90] {
                for tilt in [0u32, 15, 30] {
                    if stream.0 == 640 && tilt == 30 {
                        continue;
                    }
                    for blur in [0.0f32, 1.0] {
                        for glare in [false, true] {
                            let shot = Shot {
                                frame: stream,
                                share: f64::from(share) / 100.0,
                                tilt_deg: f64::from(tilt),
                                tilt_axis_deg: 360.0 * unit(),
                                roll_deg: 10.0 * unit() - 5.0,
                                blur_sigma: blur,
                                glare: if glare { 0.6 } else { 0.0 },
                                noise_sigma: if unit() < 0.5 { 2.0 } else { 6.0 },
                                jpeg_quality: [None, Some(85), Some(60)][(unit() * 2.999) as usize],
                                seed: (unit() * 1e15) as u64,
                            };
                            let frame = capture_screen(screen, &shot);
                            let found = greenlight_qr::decode_luma(
                                frame.as_raw(),
                                frame.width(),
                                frame.height(),
                            )
                            .unwrap_or_default();
                            if found.iter().any(|t| t != want) {
                                return Err(format!("a wrong payload under {shot:?}").into());
                            }
                            let subset = match (stream, tilt) {
                                ((1280, 720), 30) => "C: 1280x720, tilt 30",
                                ((1280, 720), _) => "A: 1280x720, tilt <= 15",
                                _ => "B: 640x480, tilt <= 15",
                            };
                            for key in [subset, "all"] {
                                *total.entry(key).or_default() += 1;
                                *read.entry(key).or_default() += u32::from(!found.is_empty());
                            }
                        }
                    }
                }
            }
        }
        let out: serde_json::Map<String, serde_json::Value> = total
            .iter()
            .map(|(k, n)| (k.to_string(), json!({ "read": read[k], "frames": n })))
            .collect();
        println!("{}", serde_json::Value::Object(out));
        Ok(())
    }

    fn flag(args: &[String], name: &str) -> Result<Option<u64>> {
        match args.iter().position(|a| a == name) {
            Some(i) => Ok(Some(
                args.get(i + 1)
                    .ok_or(format!("{name} needs a value"))?
                    .parse()?,
            )),
            None => Ok(None),
        }
    }

    struct Issuer {
        key: IssuerKeyPair,
        tokens: Vec<Token>,
        /// The digest of the key list the holder presents under (wire version 2).
        key_list: KeyListDigest,
    }

    impl Issuer {
        fn new(rng: &mut ChaCha20Rng, ts_hours: u32, n: usize) -> Result<Issuer> {
            let key = IssuerKeyPair::generate_with_rng(rng);
            let travel = Scalar::from_canonical_bytes(
                TravelHistory::new(["HK".parse()?])?.encode_scalar_bytes(),
            )
            .into_option()
            .ok_or("travel encoding is not canonical")?;
            let attrs = Attributes {
                status: Status::Green.as_u8(),
                time_hours: ts_hours,
                travel,
                subject: Attributes::subject_scalar("resident-0001"),
            };
            let mut ticket_id = [0u8; 16];
            rng.fill_bytes(&mut ticket_id);
            let tokens = issue_locally_with_rng(&key, &ticket_id, attrs, n, rng)?;
            Ok(Issuer {
                key,
                tokens,
                key_list: [0; 32],
            })
        }

        fn entry(&self, now: u64) -> IssuerKeyEntry {
            IssuerKeyEntry::new(
                self.key.public().y_bytes(),
                now - 30 * DAY,
                now + 30 * DAY,
                now + 40 * DAY,
            )
        }

        fn present(
            &mut self,
            venue: &VenueCode,
            slot_hours: u32,
            rng: &mut ChaCha20Rng,
        ) -> Result<Presentation> {
            let token = self.tokens.pop().ok_or("out of tokens")?;
            let ctx = PresentationContext {
                key_id: self.key.public().key_id(),
                venue_id: venue.venue_id(),
                time_slot_hours: slot_hours,
                window_hours: venue.window_hours(),
                policy: Policy::GREEN_RECENT,
                key_list: KeyListBinding::Digest(self.key_list),
            };
            Ok(green_recent::prove_with_rng(
                &token,
                self.key.public(),
                &ctx,
                rng,
            )?)
        }
    }

    fn generate(out: &Path, seed: u64, now: u64) -> Result<()> {
        fs::create_dir_all(out)?;
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let now_h = u32::try_from(now / 3600)?;
        // Issued two hours ago: well inside the 24 h window.
        let ts = now_h - 2;

        let mut gd = Issuer::new(&mut rng, ts, 16)?;
        let mut hk = Issuer::new(&mut rng, ts, 2)?;
        let mut sh = Issuer::new(&mut rng, ts, 2)?;
        // A holder whose phone clock is 5 h behind (tolerance is 1 h): token dated to fit it.
        let skewed_token = issue_locally_with_rng(
            &gd.key,
            b"skewed-ticket",
            Attributes {
                status: Status::Green.as_u8(),
                time_hours: now_h - 6,
                travel: Scalar::ZERO,
                subject: Attributes::subject_scalar("resident-0002"),
            },
            1,
            &mut rng,
        )?;

        let root = SigningKey::from_bytes(&random32(&mut rng));
        let mut revoked = sh.entry(now);
        revoked.revoked = true;
        let issuers = vec![
            IssuerEntry {
                region: "CN-GD".into(),
                display_name: "Guangdong Health Commission".into(),
                keys: vec![gd.entry(now)],
            },
            IssuerEntry {
                region: "HK".into(),
                display_name: "Hong Kong Department of Health".into(),
                keys: vec![hk.entry(now)],
            },
            IssuerEntry {
                region: "CN-SH".into(),
                display_name: "Shanghai Health Commission".into(),
                keys: vec![revoked],
            },
        ];
        let body = KeyListBody::new(1, now, issuers.clone())?;
        let key_list = body.clone().sign(&root);
        for holder in [&mut gd, &mut hk, &mut sh] {
            holder.key_list = key_list.digest();
        }
        // A split view: a list signed by the same root and with the same keys, but one that
        // no venue holds (served to one wallet only, spec §8.4).
        let private_list = KeyListBody::new(1, now + 7, issuers.clone())?.sign(&root);
        // The next version of the same list: venue.json may not replace it (rollback).
        let newer = KeyListBody::new(2, now + 1, issuers)?.sign(&root);

        let venue_a = VenueCode::new_with_rng(&mut rng, "Lucky Café 幸运咖啡", WINDOW_HOURS)?;
        let venue_b = VenueCode::new_with_rng(&mut rng, "Harbour Gym", WINDOW_HOURS)?;
        let venue_json = |key_list_text: String, code: &VenueCode| {
            json!({
                "version": 1,
                "server": "http://127.0.0.1:8080/",
                "root_public_key": hex::encode(root.verifying_key().as_bytes()),
                "key_list": key_list_text,
                "venue_code": code.to_text(),
                "clock_tolerance_hours": 1,
            })
        };
        write_json(
            &out.join("venue.json"),
            &venue_json(key_list.to_text(), &venue_a),
        )?;
        write_json(
            &out.join("venue_b.json"),
            &venue_json(key_list.to_text(), &venue_b),
        )?;
        write_json(
            &out.join("venue_seq2.json"),
            &venue_json(newer.to_text(), &venue_a),
        )?;
        // What the issuer's GET /v1/keys answers (the list venue.json holds).
        write_json(
            &out.join("keys.json"),
            &json!({
                "root_public_key": hex::encode(root.verifying_key().as_bytes()),
                "key_list": key_list.to_text(),
                "issuing_key_id": hex::encode(gd.key.public().key_id().0),
            }),
        )?;
        // The same list signed by another root, under venue A's pinned root: must not load.
        let impostor = SigningKey::from_bytes(&random32(&mut rng));
        write_json(
            &out.join("venue_bad_root.json"),
            &venue_json(body.sign(&impostor).to_text(), &venue_a),
        )?;

        let mut cases = Vec::new();
        let mut case = |name: &str, text: String, accept: bool, code: &str| -> Result<()> {
            fs::write(out.join(format!("{name}.txt")), &text)?;
            qr_png(&text)?.save(out.join(format!("{name}.png")))?;
            cases.push(json!({"name": name, "accept": accept, "reason_code": code}));
            Ok(())
        };
        for i in 1..=6 {
            let p = gd.present(&venue_a, now_h, &mut rng)?;
            case(&format!("valid_{i}"), p.to_text(), true, "ok")?;
        }
        case(
            "other_region",
            hk.present(&venue_a, now_h, &mut rng)?.to_text(),
            true,
            "ok",
        )?;
        case(
            "other_venue",
            gd.present(&venue_b, now_h, &mut rng)?.to_text(),
            false,
            "wrong_venue",
        )?;
        case(
            "revoked_key",
            sh.present(&venue_a, now_h, &mut rng)?.to_text(),
            false,
            "unknown_key",
        )?;
        case(
            "clock_skew",
            {
                gd.tokens.extend(skewed_token);
                gd.present(&venue_a, now_h - 5, &mut rng)?.to_text()
            },
            false,
            "clock_skew",
        )?;
        // A well-formed presentation with one Σ-proof response changed: decodes, fails the
        // proof. (Flipping random bytes would mostly just break the encoding.)
        let mut tampered = gd.present(&venue_a, now_h, &mut rng)?;
        tampered.sigma.responses[0] += Scalar::ONE;
        case("tampered", tampered.to_text(), false, "bad_proof")?;
        let split_view = {
            gd.key_list = private_list.digest();
            let p = gd.present(&venue_a, now_h, &mut rng)?;
            gd.key_list = key_list.digest();
            p
        };
        case(
            "split_view",
            split_view.to_text(),
            false,
            "key_list_mismatch",
        )?;
        let cut = gd.present(&venue_a, now_h, &mut rng)?.to_text();
        case(
            "truncated",
            cut[..cut.len() - 30].to_owned(),
            false,
            "bad_encoding",
        )?;
        case("venue_code", venue_a.to_text(), false, "wrong_kind")?;
        // Venue A's set-up code, for a server on another origin than the test's: shown at
        // the door it is no visitor's code; on the set-up screen the page cannot fetch from
        // there.
        let other_origin = VenueSetup::new(
            venue_a.clone(),
            "https://issuer.example/",
            ids::root_fingerprint(root.verifying_key().as_bytes()),
            1,
            1,
        )?;
        case("venue_setup", other_origin.to_text(), false, "wrong_kind")?;
        // The presentation the timing runs use (native and wasm), never shown to the page.
        let bench = gd.present(&venue_a, now_h, &mut rng)?;
        fs::write(out.join("bench.txt"), bench.to_text())?;

        let camera = gd.present(&venue_a, now_h, &mut rng)?;
        let camera_text = camera.to_text();
        fs::write(out.join("camera.txt"), &camera_text)?;
        write_y4m(&out.join("camera.y4m"), &qr_png(&camera_text)?)?;
        // What a door camera sees of another presentation on a phone (issue 13): tilted 20°,
        // rolled 15°, slightly blurred, a reflection, sensor noise; a 1280×720 frame of
        // the simulated camera the scanning corpus uses (docs/scanning.md).
        let tilted = gd.present(&venue_a, now_h, &mut rng)?.to_text();
        fs::write(out.join("camera_tilted.txt"), &tilted)?;
        let frame = capture(
            &Modules::qr(&tilted, greenlight_qr::PRESENTATION_EC),
            &Shot {
                frame: (CAMERA_W, CAMERA_H),
                share: 0.6,
                tilt_deg: 20.0,
                tilt_axis_deg: 10.0,
                roll_deg: 15.0,
                blur_sigma: 1.0,
                glare: 0.4,
                noise_sigma: 3.0,
                jpeg_quality: None,
                seed: 13,
            },
        );
        fs::write(out.join("camera_tilted.gray"), frame.as_raw())?;
        write_y4m(&out.join("camera_tilted.y4m"), &frame)?;

        write_json(
            &out.join("cases.json"),
            &json!({
                "now": now,
                "venue_name": venue_a.name(),
                "window_hours": WINDOW_HOURS,
                "cases": cases,
            }),
        )?;
        println!(
            "fixtures: wrote {} cases, venue.json and camera.y4m to {}",
            cases.len(),
            out.display()
        );
        Ok(())
    }

    /// Venue A's set-up code for `server` (default: venue.json's), and two that its server's
    /// answer (`keys.json`) must not satisfy.
    fn setup(dir: &Path, server: Option<&str>) -> Result<()> {
        let venue = Venue::from_json(&fs::read_to_string(dir.join("venue.json"))?)?;
        let server = server
            .or(venue.server())
            .ok_or("venue.json names no server")?;
        let fingerprint = ids::root_fingerprint(&venue.trust().root_bytes());
        let sequence = venue.trust().body().sequence();
        let make = |fingerprint, sequence| {
            VenueSetup::new(
                venue.code().clone(),
                server,
                fingerprint,
                sequence,
                venue.clock_tolerance_hours(),
            )
        };
        let good = make(fingerprint, sequence)?.to_text();
        fs::write(dir.join("setup.txt"), &good)?;
        let png = qr_png(&good)?;
        png.save(dir.join("setup.png"))?;
        write_y4m(&dir.join("setup_camera.y4m"), &png)?;
        let mut other = fingerprint;
        other[0] ^= 1;
        fs::write(
            dir.join("setup_wrong_root.txt"),
            make(other, sequence)?.to_text(),
        )?;
        fs::write(
            dir.join("setup_newer_list.txt"),
            make(fingerprint, sequence + 1)?.to_text(),
        )?;
        println!(
            "fixtures: wrote the set-up codes for {server} to {}",
            dir.display()
        );
        Ok(())
    }

    fn random32(rng: &mut ChaCha20Rng) -> [u8; 32] {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        b
    }

    /// A venue for the server whose `GET /v1/keys` answer is in `keys`: what
    /// `greenlight venue init` would write, its code, and the code's QR as a camera video.
    fn venue_for(keys: &Path, out: &Path, server: &str, name: &str, window: u8) -> Result<()> {
        let resp: greenlight_api::KeysResponse = serde_json::from_str(&fs::read_to_string(keys)?)?;
        let code = VenueCode::new_with_rng(&mut OsRng, name, window)?;
        fs::create_dir_all(out)?;
        write_json(
            &out.join("venue.json"),
            &json!({
                "version": 1,
                "server": server,
                "root_public_key": resp.root_public_key,
                "key_list": resp.key_list,
                "venue_code": code.to_text(),
                "clock_tolerance_hours": 1,
            }),
        )?;
        fs::write(out.join("venue_code.txt"), code.to_text() + "\n")?;
        write_y4m(&out.join("venue_camera.y4m"), &qr_png(&code.to_text())?)
    }

    fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
        fs::write(path, serde_json::to_string_pretty(value)? + "\n")?;
        Ok(())
    }

    fn qr_png(text: &str) -> Result<GrayImage> {
        let code = QrCode::new(text.as_bytes())?;
        Ok(code
            .render::<Luma<u8>>()
            .module_dimensions(MODULE_PX, MODULE_PX)
            .quiet_zone(true)
            .build())
    }

    /// A two-frame YUV4MPEG2 (4:2:0) video: the QR code centred on a light-grey frame, as a
    /// phone held up to the camera would show it. Chromium's fake capture device loops it.
    fn write_y4m(path: &Path, qr: &GrayImage) -> Result<()> {
        let (w, h) = (CAMERA_W, CAMERA_H);
        if qr.width() > w || qr.height() > h {
            return Err(format!("QR {}x{} does not fit {w}x{h}", qr.width(), qr.height()).into());
        }
        let mut luma = vec![200u8; (w * h) as usize];
        let (x0, y0) = ((w - qr.width()) / 2, (h - qr.height()) / 2);
        for (x, y, px) in qr.enumerate_pixels() {
            luma[((y0 + y) * w + x0 + x) as usize] = px.0[0];
        }
        let chroma = vec![128u8; (w * h / 4) as usize];
        let mut data = format!("YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
        for _ in 0..2 {
            data.extend_from_slice(b"FRAME\n");
            data.extend_from_slice(&luma);
            data.extend_from_slice(&chroma);
            data.extend_from_slice(&chroma);
        }
        fs::write(path, data)?;
        Ok(())
    }

    /// Median over batches of (batch time / batch size), the same statistic the browser
    /// test computes for the wasm build.
    fn bench(dir: &Path, case: &str, batches: u64) -> Result<()> {
        const BATCH: u32 = 5;
        let venue = Venue::from_json(&fs::read_to_string(dir.join("venue.json"))?)?;
        let text = fs::read_to_string(dir.join(format!("{case}.txt")))?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
        let once = || -> Result<()> {
            let verdict = verify_to_json(&venue, &text, now, "", &mut OsRng)?;
            if !verdict.contains("\"accept\":true") {
                return Err(format!("bench presentation was not accepted: {verdict}").into());
            }
            Ok(())
        };
        for _ in 0..10 {
            once()?;
        }
        let mut per = Vec::new();
        for _ in 0..batches.max(1) {
            let start = Instant::now();
            for _ in 0..BATCH {
                once()?;
            }
            per.push(start.elapsed().as_secs_f64() * 1000.0 / f64::from(BATCH));
        }
        per.sort_by(f64::total_cmp);
        println!(
            "{}",
            json!({"native_verify_ms": {
                "median": per[per.len() / 2],
                "min": per[0],
                "max": per[per.len() - 1],
                "verifications": per.len() as u64 * u64::from(BATCH),
            }})
        );
        Ok(())
    }
}
