//! The scanning corpus and harness (docs/scanning.md).
//!
//! ```text
//! greenlight-scan run [--ci] [--node DECODE_MJS] [--seed N] [--parts N] [--only DECODER,...] [--misses DECODER]
//! greenlight-scan frame INDEX OUT.png [--ci] [--seed N] [--parts N]
//! greenlight-scan encodings
//! ```
//!
//! `run` makes five real presentations (the real issuance pipeline and prover, seeded), draws
//! every frame of the grid with the simulated camera (`greenlight_testkit::camera`), decodes
//! each with the CLI's decoder (`greenlight_qr::decode_luma`, ZXing-C++), with rqrr (the
//! CLI's decoder before) and — given `--node` — with the page's decoders under node
//! (`decode.mjs`: the page's `scanner.js` on zxing-wasm, and jsQR), and prints the read rate
//! per decoder and per condition. `--ci` is the small fixed subset CI runs; `--only` limits
//! the decoders (name prefixes: zxing-cpp-cli, rqrr-before, zxing-wasm-page,
//! jsqr-page-before); `--misses` lists the frames a
//! decoder (a name prefix) misses; `--parts N` shows each presentation as N smaller codes
//! instead (one part per frame: the rate is per part). A decoder that
//! returns a payload other than the code's fails the run (exit 1); a miss is only counted.
//! `frame` writes one frame of the grid as a PNG (to look at it). `encodings` prints the QR
//! version of a presentation in each encoding (the "fewer modules" audit).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use greenlight_qr::{EcLevel, PRESENTATION_EC};
use greenlight_testkit::camera::{capture, Modules, Shot};
use greenlight_testkit::{World, NOW_HOUR};
use greenlight_wire::Status;
use image::GrayImage;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Presentations in the corpus (frames cycle through them).
const PRESENTATIONS: usize = 5;
/// Frames per cell of the full grid.
const REPEATS: usize = 16;
const DEFAULT_SEED: u64 = 13;

const STREAMS: [(u32, u32); 2] = [(1280, 720), (640, 480)];
const SHARES: [u32; 4] = [25, 50, 70, 90];
const TILTS: [u32; 3] = [0, 15, 30];
const BLURS: [u32; 3] = [0, 1, 2];
const GLARES: [bool; 2] = [false, true];
/// Glare strength when on: a reflection adding 60 % of screen white at its centre.
const GLARE: f64 = 0.6;
/// Sensor noise levels (grey levels): a good phone in daylight, a webcam indoors.
const NOISES: [f64; 2] = [2.0, 6.0];
/// JPEG round trips: none (raw camera frames), a light and a heavy compression.
const JPEGS: [Option<u8>; 3] = [None, Some(85), Some(60)];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("greenlight-scan: {e}");
            std::process::exit(2);
        }
    }
}

fn run(args: &[String]) -> Result<i32> {
    let flag = |name: &str| args.iter().any(|a| a == name);
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let seed = value("--seed").map_or(Ok(DEFAULT_SEED), |s| s.parse())?;
    let parts: usize = value("--parts").map_or(Ok(1), |s| s.parse())?;
    let grid = if flag("--ci") {
        Grid::ci()
    } else {
        Grid::full()
    };
    match args.first().map(String::as_str) {
        Some("run") => {
            let only: Option<Vec<&str>> = value("--only").map(|s| s.split(',').collect());
            let misses = value("--misses").cloned();
            let texts = codes(seed, parts)?;
            run_grid(&grid, seed, &texts, value("--node").map(PathBuf::from), only, misses)
        }
        Some("frame") => {
            let index: usize = args.get(1).ok_or("frame INDEX OUT.png")?.parse()?;
            let out = args.get(2).ok_or("frame INDEX OUT.png")?;
            let texts = codes(seed, parts)?;
            let frame = grid
                .frames(seed, texts.len())
                .nth(index)
                .ok_or("no such frame")?;
            let code = Modules::qr(&texts[frame.presentation], PRESENTATION_EC);
            capture(&code, &frame.shot).save(out)?;
            println!("{}", frame.describe());
            Ok(0)
        }
        Some("encodings") => {
            encodings(seed)?;
            Ok(0)
        }
        _ => Err("usage: greenlight-scan run [--ci] [--node DECODE_MJS] [--seed N] [--only D,...] [--misses D] | frame INDEX OUT.png [--ci] | encodings".into()),
    }
}

/// Real presentations: tokens through the issuance pipeline, proofs by the prover.
fn presentations(seed: u64) -> Vec<String> {
    let mut world = World::new(seed);
    let tokens = world.issue(Status::Green, PRESENTATIONS as u16, seed);
    let venue = world.venue("Scanning corpus café", 24);
    tokens
        .iter()
        .map(|t| world.present(t, &venue, NOW_HOUR).to_text())
        .collect()
}

/// The codes the frames show: the presentations, or with `parts` > 1 each presentation's
/// bytes cut into that many parts, each shown as its own code (`GLP1-i/n:` and the base45
/// of the part: a measuring device for a multi-part code, not a wire format).
fn codes(seed: u64, parts: usize) -> Result<Vec<String>> {
    let texts = presentations(seed);
    if parts <= 1 {
        return Ok(texts);
    }
    let mut out = Vec::new();
    for text in &texts {
        let bytes = greenlight_wire::text::decode(
            greenlight_wire::prefixes::PRESENTATION,
            text,
            greenlight_wire::lengths::PRESENTATION,
        )?;
        let size = bytes.len().div_ceil(parts);
        for (i, part) in bytes.chunks(size).enumerate() {
            out.push(format!("GLP1-{}/{parts}:{}", i + 1, base45::encode(part)));
        }
    }
    Ok(out)
}

/// One frame of the grid: its conditions and which presentation it shows.
#[derive(Clone, Debug)]
struct Frame {
    /// Position in the grid (`greenlight-scan frame INDEX` draws it again).
    index: usize,
    shot: Shot,
    presentation: usize,
    share: u32,
    tilt: u32,
    blur: u32,
    glare: bool,
    /// Roll of more than a few degrees (the phone held at any angle).
    rolled: bool,
}

impl Frame {
    fn describe(&self) -> String {
        let s = &self.shot;
        format!(
            "{}x{} share {}% tilt {}° (axis {:.0}°) roll {:.0}° blur {} glare {} noise {} jpeg {} presentation {}",
            s.frame.0,
            s.frame.1,
            self.share,
            self.tilt,
            s.tilt_axis_deg,
            s.roll_deg,
            self.blur,
            if self.glare { "on" } else { "off" },
            s.noise_sigma,
            s.jpeg_quality.map_or("none".into(), |q| format!("q{q}")),
            self.presentation
        )
    }

    /// The conditions a frame is counted under, as (condition, value) pairs.
    fn conditions(&self) -> Vec<(&'static str, String)> {
        let s = &self.shot;
        vec![
            ("stream", format!("{}x{}", s.frame.0, s.frame.1)),
            ("share %", self.share.to_string()),
            ("tilt °", self.tilt.to_string()),
            ("blur σ px", self.blur.to_string()),
            ("glare", if self.glare { "on" } else { "off" }.into()),
            ("roll", if self.rolled { "any" } else { "≤ 5°" }.into()),
            ("noise σ", s.noise_sigma.to_string()),
            (
                "jpeg",
                s.jpeg_quality.map_or("none".into(), |q| format!("q{q}")),
            ),
        ]
    }

    /// The headline subsets of issue 13 the frame belongs to.
    fn subsets(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let near = self.share >= 50 && self.blur <= 1;
        match (self.shot.frame, self.tilt) {
            ((1280, 720), 0 | 15) if near => {
                out.push("A: 1280x720, share ≥ 50 %, tilt ≤ 15°, blur ≤ 1")
            }
            ((640, 480), 0 | 15) if near => {
                out.push("B: 640x480, share ≥ 50 %, tilt ≤ 15°, blur ≤ 1")
            }
            ((1280, 720), 30) if near => out.push("C: 1280x720, share ≥ 50 %, tilt 30°, blur ≤ 1"),
            _ => {}
        }
        out
    }
}

/// The grid: every combination of the listed conditions, `repeats` frames each; within a
/// cell the frames differ in presentation, roll, noise, JPEG, tilt axis, placement and
/// glare spot (cycled or drawn from the seed).
struct Grid {
    streams: Vec<(u32, u32)>,
    shares: Vec<u32>,
    tilts: Vec<u32>,
    blurs: Vec<u32>,
    repeats: usize,
}

impl Grid {
    fn full() -> Self {
        Grid {
            streams: STREAMS.to_vec(),
            shares: SHARES.to_vec(),
            tilts: TILTS.to_vec(),
            blurs: BLURS.to_vec(),
            repeats: REPEATS,
        }
    }

    /// The CI subset: the three headline subsets' streams, shares and tilts, one frame per
    /// cell (60 frames).
    fn ci() -> Self {
        Grid {
            streams: STREAMS.to_vec(),
            shares: vec![50, 70, 90],
            tilts: TILTS.to_vec(),
            blurs: vec![0, 1],
            repeats: 1,
        }
    }

    fn frames(&self, seed: u64, codes: usize) -> impl Iterator<Item = Frame> + '_ {
        let mut cells = Vec::new();
        for &stream in &self.streams {
            for &share in &self.shares {
                for &tilt in &self.tilts {
                    for &blur in &self.blurs {
                        for glare in GLARES {
                            // The CI subset skips 640x480 at tilt 30° (no headline figure).
                            if self.repeats == 1 && stream == (640, 480) && tilt == 30 {
                                continue;
                            }
                            for _ in 0..self.repeats {
                                cells.push((stream, share, tilt, blur, glare));
                            }
                        }
                    }
                }
            }
        }
        cells
            .into_iter()
            .enumerate()
            .map(move |(k, (stream, share, tilt, blur, glare))| {
                let mut rng = ChaCha20Rng::seed_from_u64(
                    seed ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                );
                let unit =
                    |rng: &mut ChaCha20Rng| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                // Conditions varied within a cell are drawn, not cycled, so that none moves
                // in step with another (or with the cell order).
                let pick = |rng: &mut ChaCha20Rng, n: usize| (rng.next_u64() % n as u64) as usize;
                let rolled = pick(&mut rng, 2) == 1;
                let roll = if rolled {
                    360.0 * unit(&mut rng)
                } else {
                    10.0 * unit(&mut rng) - 5.0
                };
                Frame {
                    index: k,
                    shot: Shot {
                        frame: stream,
                        share: f64::from(share) / 100.0,
                        tilt_deg: f64::from(tilt),
                        tilt_axis_deg: 360.0 * unit(&mut rng),
                        roll_deg: roll,
                        blur_sigma: blur as f32,
                        glare: if glare { GLARE } else { 0.0 },
                        noise_sigma: NOISES[pick(&mut rng, NOISES.len())],
                        jpeg_quality: JPEGS[pick(&mut rng, JPEGS.len())],
                        seed: rng.next_u64(),
                    },
                    presentation: pick(&mut rng, codes),
                    share,
                    tilt,
                    blur,
                    glare,
                    rolled,
                }
            })
    }
}

/// What one decoder made of one frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Read,
    Missed,
    /// A payload that is not the code's: fails the run.
    Wrong,
}

fn judge(found: &[String], expected: &str) -> Outcome {
    if found.iter().any(|t| t != expected) {
        Outcome::Wrong
    } else if found.is_empty() {
        Outcome::Missed
    } else {
        Outcome::Read
    }
}

/// The decoders under node (decode.mjs), one process for the whole run: a frame goes over
/// as a file of grey bytes, the answers come back as one JSON line.
struct Node {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    frame_path: PathBuf,
    names: Vec<String>,
}

impl Node {
    fn start(script: &Path, dir: &Path, only: &[&str]) -> Result<Node> {
        let mut child = Command::new("node")
            .arg(script)
            .args(only)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting node {}: {e}", script.display()))?;
        let stdin = child.stdin.take().ok_or("node stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("node stdout")?);
        let mut hello = String::new();
        stdout.read_line(&mut hello)?;
        let hello: serde_json::Value = serde_json::from_str(&hello)
            .map_err(|e| format!("node's first line is not its decoder list: {e}"))?;
        let names = hello["decoders"]
            .as_array()
            .ok_or("node's first line names no decoders")?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        Ok(Node {
            child,
            stdin,
            stdout,
            frame_path: dir.join("frame.gray"),
            names,
        })
    }

    /// (decoder, texts found, milliseconds) for each node decoder.
    fn decode(&mut self, img: &GrayImage) -> Result<Vec<(String, Vec<String>, f64)>> {
        std::fs::write(&self.frame_path, img.as_raw())?;
        writeln!(
            self.stdin,
            "{} {} {}",
            self.frame_path.display(),
            img.width(),
            img.height()
        )?;
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            return Err("node exited".into());
        }
        let answer: serde_json::Value = serde_json::from_str(&line)?;
        let mut out = Vec::new();
        for name in &self.names {
            let entry = &answer[name.as_str()];
            let texts = entry["texts"]
                .as_array()
                .ok_or_else(|| format!("node: no answer from {name}: {line}"))?
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            out.push((
                name.clone(),
                texts,
                entry["ms"].as_f64().unwrap_or(f64::NAN),
            ));
        }
        Ok(out)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rqrr_decode(img: &GrayImage) -> Vec<String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare(img.clone());
        prepared
            .detect_grids()
            .iter()
            .filter_map(|g| g.decode().ok().map(|(_, text)| text))
            .collect()
    }))
    .unwrap_or_default()
}

/// (condition, value) → (frames read, frames).
type Counts = BTreeMap<(String, String), (usize, usize)>;

/// Tallies per decoder.
#[derive(Default)]
struct Tally {
    by: BTreeMap<String, Counts>,
    ms: BTreeMap<String, Vec<f64>>,
    wrong: Vec<String>,
    /// Print each frame this decoder (a name prefix) misses.
    list_misses: Option<String>,
}

impl Tally {
    fn add(&mut self, decoder: &str, frame: &Frame, outcome: Outcome, ms: f64) {
        if outcome == Outcome::Missed
            && self
                .list_misses
                .as_deref()
                .is_some_and(|d| decoder.starts_with(d))
        {
            println!(
                "missed by {decoder}: frame {} {}",
                frame.index,
                frame.describe()
            );
        }
        let entry = self.by.entry(decoder.to_owned()).or_default();
        let mut keys: Vec<(String, String)> = frame
            .conditions()
            .into_iter()
            .map(|(c, v)| (c.to_owned(), v))
            .collect();
        keys.push(("all".into(), "all".into()));
        keys.extend(
            frame
                .subsets()
                .into_iter()
                .map(|s| ("subset".into(), s.into())),
        );
        for key in keys {
            let cell = entry.entry(key).or_default();
            cell.0 += usize::from(outcome == Outcome::Read);
            cell.1 += 1;
        }
        if frame.shot.frame == (1280, 720) {
            self.ms.entry(decoder.to_owned()).or_default().push(ms);
        }
        if outcome == Outcome::Wrong {
            self.wrong.push(format!("{decoder}: {}", frame.describe()));
        }
    }

    fn print(&self) {
        let decoders: Vec<&String> = self.by.keys().collect();
        let mut rows: Vec<&(String, String)> = Vec::new();
        for cells in self.by.values() {
            for key in cells.keys() {
                if !rows.contains(&key) {
                    rows.push(key);
                }
            }
        }
        rows.sort_by_key(|(c, v)| {
            (
                c != "all",
                c != "subset",
                c.clone(),
                v.parse::<f64>().ok().map(|n| n as i64),
                v.clone(),
            )
        });
        print!("| condition | value |");
        for d in &decoders {
            print!(" {d} |");
        }
        println!();
        print!("|---|---|");
        for _ in &decoders {
            print!("---|");
        }
        println!();
        for key in rows {
            print!("| {} | {} |", key.0, key.1);
            for d in &decoders {
                match self.by[*d].get(key) {
                    Some(&(read, n)) => {
                        print!(" {:.0} % ({read}/{n}) |", 100.0 * read as f64 / n as f64)
                    }
                    None => print!(" – |"),
                }
            }
            println!();
        }
        println!();
        println!("decode time per 1280x720 frame (median, 90th percentile):");
        for (d, ms) in &self.ms {
            let mut ms = ms.clone();
            ms.sort_by(f64::total_cmp);
            let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
            println!("  {d}: {:.1} ms, {:.1} ms", at(0.5), at(0.9));
        }
    }
}

fn run_grid(
    grid: &Grid,
    seed: u64,
    texts: &[String],
    node_script: Option<PathBuf>,
    only: Option<Vec<&str>>,
    misses: Option<String>,
) -> Result<i32> {
    let wanted = |name: &str| {
        only.as_ref()
            .is_none_or(|o| o.iter().any(|prefix| name.starts_with(prefix)))
    };
    let codes: Vec<Modules> = texts
        .iter()
        .map(|t| Modules::qr(t, PRESENTATION_EC))
        .collect();
    let dir = std::env::temp_dir().join(format!("greenlight-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut node = match &node_script {
        Some(script) => Some(Node::start(
            script,
            &dir,
            only.as_deref().unwrap_or_default(),
        )?),
        None => None,
    };
    let frames: Vec<Frame> = grid.frames(seed, texts.len()).collect();
    println!(
        "{} frames of {} codes (version {} at EC M), seed {seed}",
        frames.len(),
        texts.len(),
        greenlight_qr::version_for(&texts[0], PRESENTATION_EC)?
    );
    let mut tally = Tally {
        list_misses: misses,
        ..Tally::default()
    };
    let started = Instant::now();
    for (i, frame) in frames.iter().enumerate() {
        let img = capture(&codes[frame.presentation], &frame.shot);
        let expected = &texts[frame.presentation];
        if wanted("zxing-cpp-cli") {
            let t = Instant::now();
            let found = greenlight_qr::decode_luma(img.as_raw(), img.width(), img.height())
                .unwrap_or_default();
            let ms = t.elapsed().as_secs_f64() * 1e3;
            tally.add("zxing-cpp-cli", frame, judge(&found, expected), ms);
        }
        if wanted("rqrr-before") {
            let t = Instant::now();
            let found = rqrr_decode(&img);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            tally.add("rqrr-before", frame, judge(&found, expected), ms);
        }
        if let Some(node) = node.as_mut() {
            for (name, found, ms) in node.decode(&img)? {
                tally.add(&name, frame, judge(&found, expected), ms);
            }
        }
        if (i + 1) % 100 == 0 {
            eprintln!(
                "greenlight-scan: {} / {} frames ({:.0} s)",
                i + 1,
                frames.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    drop(node);
    let _ = std::fs::remove_dir_all(&dir);
    tally.print();
    if tally.wrong.is_empty() {
        println!("no wrong payloads");
        Ok(0)
    } else {
        for w in &tally.wrong {
            println!("WRONG PAYLOAD {w}");
        }
        Ok(1)
    }
}

/// The "fewer modules" audit: the QR version of one presentation in each encoding.
fn encodings(seed: u64) -> Result<()> {
    let text = &presentations(seed)[0];
    let bytes = greenlight_wire::text::decode(
        greenlight_wire::prefixes::PRESENTATION,
        text,
        greenlight_wire::lengths::PRESENTATION,
    )?;
    // (version, modules per side), or None when it does not fit.
    let version = |data: &[u8], ec: EcLevel| -> Option<(usize, usize)> {
        let code = qrcode::QrCode::with_error_correction_level(data, ec).ok()?;
        let v = match code.version() {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
        };
        Some((usize::try_from(v).ok()?, code.width()))
    };
    let show = |v: Option<(usize, usize)>| match v {
        Some((v, side)) => format!("version {v} ({side}×{side} modules)"),
        None => "does not fit".into(),
    };
    println!(
        "presentation: {} bytes; text form {} characters",
        bytes.len(),
        text.len()
    );
    for (ec, name) in [(EcLevel::L, "L"), (EcLevel::M, "M"), (EcLevel::Q, "Q")] {
        println!(
            "EC {name}: text form (prefix + base45, alphanumeric mode): {}; raw bytes (byte mode): {}",
            show(version(text.as_bytes(), ec)),
            show(version(&bytes, ec))
        );
    }
    for parts in [2usize, 3] {
        let size = bytes.len().div_ceil(parts);
        let worst = bytes
            .chunks(size)
            .map(|c| version(base45::encode(c).as_bytes(), EcLevel::M))
            .max()
            .flatten();
        let worst_raw = bytes
            .chunks(size)
            .map(|c| version(c, EcLevel::M))
            .max()
            .flatten();
        println!(
            "{parts} parts of ≤ {size} bytes at EC M (without part headers): base45 {}; raw bytes {}",
            show(worst),
            show(worst_raw)
        );
    }
    Ok(())
}
