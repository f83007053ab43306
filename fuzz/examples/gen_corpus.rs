//! Writes the seed corpus: valid encodings for every fuzz target, from the deterministic
//! fixtures of `greenlight_fuzz`. Run it when a wire format changes (see docs/fuzzing.md):
//!
//! ```text
//! cd fuzz && cargo +nightly run --release --example gen_corpus -- seeds
//! ```
//!
//! Writes `<out>/<target>/<name>` (default `<out>` = `seeds`), replacing the previous seeds.

use std::path::{Path, PathBuf};

use greenlight_circuits::{verify_vartime, Presentation};
use greenlight_fuzz::{expectations, fixtures};
use greenlight_protocol::{KeyList, Ticket, VenueCode};
use greenlight_venue::VenueSetup;
use rand_core::SeedableRng;

fn write_all(root: &Path, target: &str, files: Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let dir = root.join(target);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let count = files.len();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes)?;
    }
    println!("{target}: {count} seeds");
    Ok(())
}

fn named(
    prefix: &str,
    ext: &str,
    items: impl IntoIterator<Item = Vec<u8>>,
) -> Vec<(String, Vec<u8>)> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, b)| (format!("{prefix}-{i}.{ext}"), b))
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("seeds"));
    let f = fixtures();

    // The `verify` target counts on these being accepted; a seed that is not would leave it
    // fuzzing only rejections. Check before writing anything.
    let keys = vec![f.issuer.public().clone()];
    for bytes in &f.presentations {
        let p = Presentation::from_bytes(bytes)?;
        let expect = expectations();
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0);
        verify_vartime(&p, &expect, &keys, &mut rng)
            .map_err(|e| format!("fixture presentation rejected: {e}"))?;
    }

    write_all(
        &root,
        "presentation",
        named("valid", "bin", f.presentations.clone()),
    )?;
    write_all(
        &root,
        "verify",
        named("valid", "bin", f.presentations.clone()),
    )?;
    let texts = f
        .presentations
        .iter()
        .map(|b| Ok(Presentation::from_bytes(b)?.to_text().into_bytes()))
        .collect::<Result<Vec<_>, greenlight_wire::WireError>>()?;
    write_all(&root, "presentation_text", named("valid", "txt", texts))?;
    write_all(&root, "token", named("valid", "bin", f.tokens.clone()))?;
    write_all(
        &root,
        "issuance_messages",
        f.issuance
            .iter()
            .map(|(kind, bytes)| {
                let mut input = vec![*kind as u8];
                input.extend_from_slice(bytes);
                (format!("{kind:?}.bin").to_lowercase(), input)
            })
            .collect(),
    )?;

    // Protocol objects: binary and text forms in one corpus (each target tries both).
    let mut tickets = named("valid", "bin", f.tickets.clone());
    for (i, b) in f.tickets.iter().enumerate() {
        tickets.push((
            format!("valid-{i}.txt"),
            Ticket::from_bytes(b)?.to_text().into_bytes(),
        ));
    }
    write_all(&root, "ticket", tickets)?;
    let mut lists = named("valid", "bin", f.key_lists.clone());
    for (i, b) in f.key_lists.iter().enumerate() {
        lists.push((
            format!("valid-{i}.txt"),
            KeyList::from_bytes(b)?.to_text().into_bytes(),
        ));
    }
    write_all(&root, "key_list", lists)?;
    let mut codes = named("valid", "bin", f.venue_codes.clone());
    for (i, b) in f.venue_codes.iter().enumerate() {
        codes.push((
            format!("valid-{i}.txt"),
            VenueCode::from_bytes(b)?.to_text().into_bytes(),
        ));
    }
    write_all(&root, "venue_code", codes)?;
    // Set-up codes: each fixture venue code with a server, both forms.
    let servers = ["http://127.0.0.1:8080/", "https://issuer.example/gl/"];
    let mut setups = Vec::new();
    for (i, (b, server)) in f.venue_codes.iter().zip(servers).enumerate() {
        let s = VenueSetup::new(VenueCode::from_bytes(b)?, server, [i as u8 + 1; 16], 1, 1)?;
        setups.push((format!("valid-{i}.bin"), s.to_bytes()));
        setups.push((format!("valid-{i}.txt"), s.to_text().into_bytes()));
    }
    write_all(&root, "venue_setup", setups)?;
    Ok(())
}
