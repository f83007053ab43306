//! What a venue's camera sees of a code on a holder's phone: a simulated frame, for the
//! CLI tests that read tilted captures and for the scanning corpus (`tests/scan`,
//! docs/scanning.md).
//!
//! The model, in the order light goes through it:
//! 1. **Scene.** The code's modules on a phone screen (white around the code, as the wallet
//!    draws it), a dark bezel, a background with a gentle gradient. Screen black is not
//!    black: an LCD in room light reflects about 8 % of white.
//! 2. **Pose.** The phone is rolled in its own plane, then tilted away from the camera about
//!    an axis in that plane, and seen through a pinhole camera (65° horizontal field of
//!    view), so a tilted code is a trapezoid, not a parallelogram. The code's apparent side
//!    is [`Shot::share`] of the frame height, somewhere in the frame.
//! 3. **Glare.** A specular reflection on the screen glass: light added over a round patch
//!    of the code, which washes out the dark modules under it.
//! 4. **Exposure.** Screen white at about 85 % of full scale; what is brighter clips.
//! 5. **Optics.** Gaussian blur of [`Shot::blur_sigma`] pixels (focus and motion).
//! 6. **Sensor.** Gaussian noise of [`Shot::noise_sigma`] grey levels.
//! 7. **Compression.** Optionally a JPEG round trip at [`Shot::jpeg_quality`].
//!
//! Every random choice comes from [`Shot::seed`]: the same shot gives the same frame.
//! The projective warp is written here (a 3×3 matrix and its inverse) rather than taken
//! from `imageproc`, whose current versions bring nalgebra and a second `rand` into every
//! test build.

use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, ImageFormat, Luma};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// A QR code as a square of modules (`true` is dark), row by row, without its quiet zone.
#[derive(Clone, Debug)]
pub struct Modules {
    side: usize,
    dark: Vec<bool>,
}

impl Modules {
    /// `dark` holds `side × side` modules row by row.
    pub fn new(side: usize, dark: Vec<bool>) -> Self {
        assert_eq!(dark.len(), side * side, "a square of modules");
        Modules { side, dark }
    }

    /// The code `greenlight-qr` draws for `text` at `ec` (what the wallet shows).
    pub fn qr(text: &str, ec: greenlight_qr::EcLevel) -> Self {
        let (side, dark) = greenlight_qr::modules(text, ec).expect("the text fits a QR code");
        Modules::new(side, dark)
    }

    /// Modules per side.
    pub fn side(&self) -> usize {
        self.side
    }

    /// Is module (`x`, `y`) dark? Outside the symbol (the quiet zone and beyond): no.
    fn dark_at(&self, x: f64, y: f64) -> bool {
        if x < 0.0 || y < 0.0 {
            return false;
        }
        let (col, row) = (x as usize, y as usize);
        col < self.side && row < self.side && self.dark[row * self.side + col]
    }
}

/// One camera frame's conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Shot {
    /// Frame width and height in pixels (1280×720, 640×480, ...).
    pub frame: (u32, u32),
    /// The code's apparent side in the frame (the square root of its area there, which sets
    /// the camera pixels per module whatever the roll), as a fraction of the frame height.
    /// Lower when the code and its quiet zone would not fit in the frame.
    pub share: f64,
    /// Tilt of the phone away from the camera, degrees (0 = facing it).
    pub tilt_deg: f64,
    /// Direction of the tilt axis in the phone's plane, degrees.
    pub tilt_axis_deg: f64,
    /// Rotation of the phone in its own plane, degrees.
    pub roll_deg: f64,
    /// Standard deviation of the optical blur, pixels.
    pub blur_sigma: f32,
    /// Strength of the reflection on the screen: 0 (none) to 1 (white at its centre).
    pub glare: f64,
    /// Standard deviation of the sensor noise, grey levels.
    pub noise_sigma: f64,
    /// JPEG quality of a compression round trip (`None`: no compression).
    pub jpeg_quality: Option<u8>,
    /// Seeds every random choice (where the code sits, the glare's place, the noise).
    pub seed: u64,
}

impl Shot {
    /// A clean 1280×720 frame: the code facing the camera, half the frame high, upright.
    pub fn clean() -> Self {
        Shot {
            frame: (1280, 720),
            share: 0.5,
            tilt_deg: 0.0,
            tilt_axis_deg: 0.0,
            roll_deg: 0.0,
            blur_sigma: 0.0,
            glare: 0.0,
            noise_sigma: 0.0,
            jpeg_quality: None,
            seed: 0,
        }
    }
}

/// Scene radiance (screen white = 1).
const SCREEN_WHITE: f64 = 1.0;
const SCREEN_BLACK: f64 = 0.08;
const BEZEL: f64 = 0.15;
/// Screen white lands at this fraction of full scale.
const EXPOSURE: f64 = 0.85;
/// White screen around the code beyond its 4-module quiet zone, in modules, then bezel.
const SCREEN_MARGIN: f64 = 6.0;
const BEZEL_WIDTH: f64 = 5.0;
/// Subsamples per pixel side: 3×3 samples average the modules under a pixel.
const SUPERSAMPLE: u32 = 3;

/// The frame the camera sees of `code` under `shot` (greyscale).
pub fn capture(code: &Modules, shot: &Shot) -> GrayImage {
    let n = code.side() as f64;
    let screen_edge = 4.0 + SCREEN_MARGIN;
    render(n, shot, |u, v| {
        let outside = (-u).max(u - n).max(-v).max(v - n);
        if outside <= screen_edge {
            Some(Some(if code.dark_at(u, v) {
                SCREEN_BLACK
            } else {
                SCREEN_WHITE
            }))
        } else if outside <= screen_edge + BEZEL_WIDTH {
            Some(None)
        } else {
            None
        }
    })
}

/// A phone screen as the resident sees it — a screenshot of the wallet's presentation screen,
/// greyscale — and where the code's modules lie on it. [`capture_screen`] films the whole
/// screen (the wallet's status band, text and moving ring around the code) instead of a code
/// on a blank screen.
#[derive(Clone, Debug)]
pub struct Screen {
    image: GrayImage,
    /// Screenshot pixel of the code's top-left module corner (quiet zone excluded).
    origin: (f64, f64),
    /// Screenshot pixels per module.
    module_px: f64,
    /// Modules per side.
    side: usize,
}

impl Screen {
    /// `image` with a code of `side` modules whose top-left module starts at `origin`
    /// (screenshot pixels), `module_px` pixels per module.
    pub fn new(image: GrayImage, origin: (f64, f64), module_px: f64, side: usize) -> Self {
        Screen {
            image,
            origin,
            module_px,
            side,
        }
    }
}

/// The frame the camera sees of `screen` under `shot`: the same pose, glare, exposure, blur,
/// noise and compression as [`capture`] (the code's apparent side is [`Shot::share`]), with
/// the screenshot's grey levels mapped onto the screen's black-to-white range.
pub fn capture_screen(screen: &Screen, shot: &Shot) -> GrayImage {
    let (w, h) = (
        f64::from(screen.image.width()),
        f64::from(screen.image.height()),
    );
    let px = screen.module_px;
    render(screen.side as f64, shot, |u, v| {
        let (x, y) = (screen.origin.0 + u * px, screen.origin.1 + v * px);
        // Beyond the screenshot, in modules: the bezel, then the background.
        let outside = (-x).max(x - w).max(-y).max(y - h) / px;
        if outside < 0.0 {
            // In range: x < w and y < h, both ≥ 0.
            let level = f64::from(screen.image.get_pixel(x as u32, y as u32).0[0]) / 255.0;
            Some(Some(SCREEN_BLACK + (SCREEN_WHITE - SCREEN_BLACK) * level))
        } else if outside <= BEZEL_WIDTH {
            Some(None)
        } else {
            None
        }
    })
}

/// Films a scene given in module coordinates: `scene(u, v)` is `Some(Some(radiance))` on the
/// screen (where glare falls), `Some(None)` on the bezel, `None` for the background.
fn render(n: f64, shot: &Shot, scene: impl Fn(f64, f64) -> Option<Option<f64>>) -> GrayImage {
    let mut rng = ChaCha20Rng::seed_from_u64(shot.seed);
    let (w, h) = shot.frame;
    let to_code = pose(n, shot, &mut rng);

    // Glare: centre somewhere on the code, radius a fifth to a third of its side.
    let glare_centre = (
        n * uniform(&mut rng, 0.2, 0.8),
        n * uniform(&mut rng, 0.2, 0.8),
    );
    let glare_radius = n * uniform(&mut rng, 0.2, 0.33);
    // Background: a gradient across the frame between two random greys.
    let (bg_from, bg_to) = (uniform(&mut rng, 0.25, 0.5), uniform(&mut rng, 0.4, 0.7));

    let radiance = |u: f64, v: f64| -> f64 {
        match scene(u, v) {
            None => f64::NAN, // background, drawn in frame coordinates
            Some(None) => BEZEL,
            Some(Some(base)) if shot.glare > 0.0 => {
                let d2 = (u - glare_centre.0).powi(2) + (v - glare_centre.1).powi(2);
                base + shot.glare * (-d2 / (2.0 * glare_radius * glare_radius)).exp()
            }
            Some(Some(base)) => base,
        }
    };

    let mut img = GrayImage::new(w, h);
    let step = 1.0 / f64::from(SUPERSAMPLE);
    for y in 0..h {
        for x in 0..w {
            let mut sum = 0.0;
            for sy in 0..SUPERSAMPLE {
                for sx in 0..SUPERSAMPLE {
                    let fx = f64::from(x) + (f64::from(sx) + 0.5) * step;
                    let fy = f64::from(y) + (f64::from(sy) + 0.5) * step;
                    let (u, v) = to_code.apply(fx, fy);
                    let r = radiance(u, v);
                    sum += if r.is_nan() {
                        bg_from + (bg_to - bg_from) * (fx / f64::from(w))
                    } else {
                        r
                    };
                }
            }
            let mean = sum / f64::from(SUPERSAMPLE * SUPERSAMPLE);
            img.put_pixel(x, y, Luma([to_u8(mean * EXPOSURE * 255.0)]));
        }
    }

    if shot.blur_sigma > 0.0 {
        img = image::imageops::blur(&img, shot.blur_sigma);
    }
    if shot.noise_sigma > 0.0 {
        for px in img.pixels_mut() {
            px.0[0] = to_u8(f64::from(px.0[0]) + shot.noise_sigma * gaussian(&mut rng));
        }
    }
    if let Some(quality) = shot.jpeg_quality {
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, quality)
            .encode_image(&img)
            .expect("JPEG encoding of a grey frame in memory");
        img = image::load_from_memory_with_format(&jpeg, ImageFormat::Jpeg)
            .expect("decoding the JPEG just made")
            .to_luma8();
    }
    img
}

/// [`capture`] as PNG bytes (what a test writes to a file for the CLI to read).
pub fn capture_png(code: &Modules, shot: &Shot) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    capture(code, shot)
        .write_to(&mut out, ImageFormat::Png)
        .expect("PNG encoding in memory");
    out.into_inner()
}

/// A projective map of the plane (3×3 matrix, row-major).
#[derive(Clone, Copy, Debug)]
struct Homography([f64; 9]);

impl Homography {
    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        let d = m[6] * x + m[7] * y + m[8];
        (
            (m[0] * x + m[1] * y + m[2]) / d,
            (m[3] * x + m[4] * y + m[5]) / d,
        )
    }

    fn then(&self, next: &Homography) -> Homography {
        let (a, b) = (&next.0, &self.0);
        let mut out = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                out[r * 3 + c] = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
            }
        }
        Homography(out)
    }

    fn inverse(&self) -> Homography {
        let m = &self.0;
        let cof = [
            m[4] * m[8] - m[5] * m[7],
            m[2] * m[7] - m[1] * m[8],
            m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8],
            m[0] * m[8] - m[2] * m[6],
            m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6],
            m[1] * m[6] - m[0] * m[7],
            m[0] * m[4] - m[1] * m[3],
        ];
        let det = m[0] * cof[0] + m[1] * cof[3] + m[2] * cof[6];
        Homography(cof.map(|c| c / det))
    }
}

/// The map from frame pixels to module coordinates (the symbol spans 0..n on both axes).
fn pose(n: f64, shot: &Shot, rng: &mut ChaCha20Rng) -> Homography {
    let (w, h) = (f64::from(shot.frame.0), f64::from(shot.frame.1));
    let focal = w / (2.0 * 32.5f64.to_radians().tan());
    // Module coordinates to the phone's plane (symbol centred on the origin, side 1), rolled.
    let (sr, cr) = shot.roll_deg.to_radians().sin_cos();
    let centre = Homography([1.0 / n, 0.0, -0.5, 0.0, 1.0 / n, -0.5, 0.0, 0.0, 1.0]);
    let roll = Homography([cr, -sr, 0.0, sr, cr, 0.0, 0.0, 0.0, 1.0]);
    // Tilt about the unit axis a = (cos φ, sin φ, 0) by θ (Rodrigues); only the first two
    // columns of the rotation act on the plane z = 0. The phone sits `distance` code sides
    // in front of the camera: close enough for the perspective of a hand-held phone.
    let (sa, ca) = shot.tilt_axis_deg.to_radians().sin_cos();
    let (st, ct) = shot.tilt_deg.to_radians().sin_cos();
    let rot = |i: usize, j: usize| -> f64 {
        let a = [ca, sa, 0.0];
        let k = |i: usize, j: usize| -> f64 {
            // The cross-product matrix of a.
            match (i, j) {
                (0, 1) => -a[2],
                (0, 2) => a[1],
                (1, 0) => a[2],
                (1, 2) => -a[0],
                (2, 0) => -a[1],
                (2, 1) => a[0],
                _ => 0.0,
            }
        };
        let id = if i == j { 1.0 } else { 0.0 };
        id * ct + st * k(i, j) + (1.0 - ct) * a[i] * a[j]
    };
    let distance = 4.0;
    // Camera: x' = f·X/Z, y' = f·Y/Z with (X, Y, Z) = R·(u, v, 0) + (0, 0, distance).
    let project = Homography([
        focal * rot(0, 0),
        focal * rot(0, 1),
        0.0,
        focal * rot(1, 0),
        focal * rot(1, 1),
        0.0,
        rot(2, 0),
        rot(2, 1),
        distance,
    ]);
    let to_image = centre.then(&roll).then(&project);
    // Scale so the symbol's apparent side (the square root of its area in the frame: what
    // sets the camera pixels per module, whatever the roll) is `share` of the frame height;
    // shrink it if the symbol and its quiet zone would not fit (the operator steps back),
    // then place it at a random spot where they fit.
    let quad = [(0.0, 0.0), (n, 0.0), (n, n), (0.0, n)].map(|(x, y)| to_image.apply(x, y));
    let area = (0..4)
        .map(|i| {
            let (a, b) = (quad[i], quad[(i + 1) % 4]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        .abs()
        / 2.0;
    let quiet = [
        (-4.0, -4.0),
        (n + 4.0, -4.0),
        (n + 4.0, n + 4.0),
        (-4.0, n + 4.0),
    ]
    .map(|(x, y)| to_image.apply(x, y));
    let (min_x, max_x) = span(quiet.map(|c| c.0));
    let (min_y, max_y) = span(quiet.map(|c| c.1));
    let scale = (shot.share * h / area.sqrt())
        .min(h / (max_y - min_y))
        .min(w / (max_x - min_x));
    let (box_w, box_h) = ((max_x - min_x) * scale, (max_y - min_y) * scale);
    let left = uniform(rng, 0.0, (w - box_w).max(0.0)) - min_x * scale;
    let top = uniform(rng, 0.0, (h - box_h).max(0.0)) - min_y * scale;
    let place = Homography([scale, 0.0, left, 0.0, scale, top, 0.0, 0.0, 1.0]);
    to_image.then(&place).inverse()
}

fn span(values: [f64; 4]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

fn to_u8(v: f64) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// Uniform in [lo, hi).
fn uniform(rng: &mut ChaCha20Rng, lo: f64, hi: f64) -> f64 {
    let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    lo + (hi - lo) * unit
}

/// A standard normal sample (Box–Muller).
fn gaussian(rng: &mut ChaCha20Rng) -> f64 {
    let u1 = uniform(rng, f64::MIN_POSITIVE, 1.0);
    let u2 = uniform(rng, 0.0, 1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkerboard(side: usize) -> Modules {
        Modules::new(
            side,
            (0..side * side)
                .map(|i| (i / side + i % side).is_multiple_of(2))
                .collect(),
        )
    }

    /// A "screenshot" of `code` at `px` pixels per module on a white screen reaching
    /// `margin` modules beyond the symbol, with `band` rows of dark grey across its top.
    fn screenshot(code: &Modules, px: u32, margin: u32, band: u32) -> Screen {
        let side_px = (code.side() as u32 + 2 * margin) * px;
        let image = GrayImage::from_fn(side_px, side_px, |x, y| {
            let (u, v) = (
                f64::from(x / px) - f64::from(margin),
                f64::from(y / px) - f64::from(margin),
            );
            Luma([if y < band {
                40
            } else if code.dark_at(u, v) {
                0
            } else {
                255
            }])
        });
        let at = f64::from(margin * px);
        Screen::new(image, (at, at), f64::from(px), code.side())
    }

    #[test]
    fn a_filmed_screenshot_is_the_module_capture_and_reads() {
        let code = Modules::qr("GREENLIGHT SCREEN TEST", greenlight_qr::EcLevel::M);
        let shot = Shot {
            tilt_deg: 15.0,
            blur_sigma: 1.0,
            seed: 5,
            ..Shot::clean()
        };
        // A screen as wide as capture()'s (quiet zone and margin): the same film.
        let margin = (4.0 + SCREEN_MARGIN) as u32;
        let same_screen = capture_screen(&screenshot(&code, 3, margin, 0), &shot);
        let plain = capture(&code, &shot);
        let close = same_screen
            .as_raw()
            .iter()
            .zip(plain.as_raw())
            .filter(|(x, y)| x.abs_diff(**y) <= 4)
            .count();
        assert!(close * 100 >= plain.as_raw().len() * 99, "{close}");
        // A screen with a dark band above the code (the wallet's status band): other
        // pixels, and still read.
        let banded = capture_screen(&screenshot(&code, 3, margin, 12), &shot);
        assert_ne!(banded.as_raw(), same_screen.as_raw());
        let read =
            greenlight_qr::decode_luma(banded.as_raw(), banded.width(), banded.height()).unwrap();
        assert_eq!(read, ["GREENLIGHT SCREEN TEST"]);
    }

    #[test]
    fn the_same_shot_gives_the_same_frame() {
        let code = checkerboard(21);
        let mut shot = Shot::clean();
        shot.frame = (160, 120);
        shot.tilt_deg = 20.0;
        shot.noise_sigma = 4.0;
        shot.seed = 7;
        assert_eq!(capture(&code, &shot), capture(&code, &shot));
        shot.seed = 8;
        assert_ne!(
            capture(&code, &shot),
            capture(&code, &{
                let mut s = shot.clone();
                s.seed = 7;
                s
            })
        );
    }

    #[test]
    fn the_code_fills_its_share_of_the_frame_height() {
        // An all-dark symbol facing the camera: its rows in the frame are the darkest ones
        // (screen black is 17 grey levels, the bezel 32).
        let code = Modules::new(25, vec![true; 625]);
        let mut shot = Shot::clean();
        shot.frame = (320, 200);
        shot.share = 0.5;
        let img = capture(&code, &shot);
        let dark_rows = (0..200)
            .filter(|&y| (0..320).any(|x| img.get_pixel(x, y).0[0] < 25))
            .count();
        assert!((98..=102).contains(&dark_rows), "{dark_rows} dark rows");
    }

    #[test]
    fn tilt_makes_a_trapezoid() {
        // Tilted about the horizontal axis, the near edge of the symbol is wider than the far.
        let code = Modules::new(25, vec![true; 625]);
        let mut shot = Shot::clean();
        shot.frame = (400, 300);
        shot.tilt_deg = 30.0;
        let img = capture(&code, &shot);
        let rows: Vec<usize> = (0..300)
            .map(|y| (0..400).filter(|&x| img.get_pixel(x, y).0[0] < 25).count())
            .filter(|&n| n > 0)
            .collect();
        let (first, last) = (rows[2], rows[rows.len() - 3]);
        assert!(
            first.abs_diff(last) > 10,
            "top {first} px, bottom {last} px"
        );
    }

    /// A presentation-sized text (1,627 characters of base45, version 27 at EC M).
    fn presentation_sized() -> String {
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        "GLP1:"
            .chars()
            .chain((0..1622).map(|_| alphabet[(rng.next_u32() % 45) as usize] as char))
            .collect()
    }

    #[test]
    fn the_cli_decoder_reads_rotated_and_tilted_captures() {
        let text = presentation_sized();
        let code = Modules::qr(&text, greenlight_qr::PRESENTATION_EC);
        assert_eq!(code.side(), 125, "version 27");
        for (tilt, roll, blur, glare) in [
            (0.0, 1.0, 0.0, 0.0),
            (0.0, 37.0, 1.0, 0.0),
            (15.0, 8.0, 1.0, 0.6),
            (30.0, 200.0, 0.0, 0.0),
        ] {
            let shot = Shot {
                tilt_deg: tilt,
                tilt_axis_deg: 20.0,
                roll_deg: roll,
                blur_sigma: blur,
                glare,
                noise_sigma: 3.0,
                share: 0.7,
                ..Shot::clean()
            };
            let img = capture(&code, &shot);
            let found = greenlight_qr::decode_luma(img.as_raw(), img.width(), img.height())
                .expect("a frame");
            assert_eq!(found, vec![text.clone()], "{shot:?}");
        }
    }
}
