//! Reading a code from the command line: literal text, a text file, a PNG with a QR code,
//! or standard input (`-`), each bounded in size.
//!
//! # Which line is the code
//!
//! What people copy is often a tool's whole output, not just its last line:
//! `greenlight-server ticket … > t.txt` writes a summary line and then the `GLT1:` line,
//! `greenlight venue code` an introduction and then the `GLV1:` line. So text with several
//! lines is reduced to the one line that starts with a Greenlight prefix ([`code_in_text`]).
//! That rule lives here, in the CLI's input adapter, and not in `greenlight_wire::text`: the
//! wire format's text rule is deliberately only "surrounding white space is ignored", so
//! every decoder (and the browser page, which reads one scanned code) agrees on what one
//! code's text is; finding a code *inside* other text is a convenience of this front end.

use std::io::Read;
use std::path::{Path, PathBuf};

use greenlight_protocol::{detect_kind, Kind};
use greenlight_wire::lengths::{MIN_TICKET_LEN, MIN_VENUE_CODE_LEN, PRESENTATION_V1};
use greenlight_wire::text::base45_len;

use crate::error::{ClientError, Result};
use crate::{qr, store};

/// Longest text accepted (a full key list is ~200 KB; a presentation ~1.6 KB).
pub const MAX_TEXT_INPUT: usize = 512 * 1024;
/// Largest file or standard input read (a phone photo of a QR code).
pub const MAX_FILE_INPUT: usize = 32 * 1024 * 1024;

/// The shortest text form of `kind` (prefix + base45 of its smallest encoding), when the
/// CLI knows it: text shorter than this was cut (by a shell, a chat app, a truncated copy).
pub fn min_text_len(kind: Kind) -> Option<usize> {
    let min_bytes = match kind {
        Kind::Ticket => MIN_TICKET_LEN,
        Kind::VenueCode => MIN_VENUE_CODE_LEN,
        // The shorter of the two wire versions.
        Kind::Presentation => PRESENTATION_V1,
        Kind::KeyList | Kind::VenueSetup => return None,
    };
    Some(kind.prefix().len() + base45_len(min_bytes))
}

/// Resolve a command-line argument to the text of a code.
///
/// * `-`: standard input (text or PNG bytes);
/// * text that starts with a Greenlight prefix (`GLP1:` …), or spans several lines: the code
///   in it ([`code_in_text`]);
/// * an existing file: its content (text, or a PNG whose QR codes are decoded);
/// * a name that looks like a file (it contains a path separator or ends in `.txt`, `.png`,
///   `.jpg`) but does not exist: [`ClientError::NoSuchFile`];
/// * anything else: returned as text, for the decoder to reject with a clear reason.
pub fn read_code(arg: &str) -> Result<String> {
    if arg == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_FILE_INPUT as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ClientError::io(Path::new("<stdin>"), e))?;
        if buf.len() > MAX_FILE_INPUT {
            return Err(ClientError::InputTooLarge {
                max: MAX_FILE_INPUT,
            });
        }
        return from_bytes(&buf);
    }
    if arg.len() > MAX_TEXT_INPUT {
        return Err(ClientError::InputTooLarge {
            max: MAX_TEXT_INPUT,
        });
    }
    if detect_kind(arg).is_some() || arg.trim().contains(['\n', '\r']) {
        return code_in_text(arg);
    }
    let path = Path::new(arg);
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(ClientError::IsADirectory(path.to_owned())),
        // A regular file, or a pipe such as `<(…)` or /dev/stdin.
        Ok(_) => {
            let bytes = store::read_limited(path, MAX_FILE_INPUT)
                .map_err(|e| match e {
                    ClientError::Corrupt { .. } => ClientError::InputTooLarge {
                        max: MAX_FILE_INPUT,
                    },
                    other => other,
                })?
                .unwrap_or_default();
            from_bytes(&bytes)
        }
        Err(e) if looks_like_a_path(arg) => {
            if e.kind() == std::io::ErrorKind::NotFound {
                Err(ClientError::NoSuchFile(path.to_owned()))
            } else {
                Err(ClientError::io(path, e))
            }
        }
        Err(_) => code_in_text(arg),
    }
}

/// Whether an argument that is not a Greenlight code was meant as a file name.
fn looks_like_a_path(arg: &str) -> bool {
    let lower = arg.trim().to_ascii_lowercase();
    arg.contains('/')
        || arg.contains(std::path::MAIN_SEPARATOR)
        || [".txt", ".png", ".jpg", ".jpeg"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// Content of a file or of standard input: a PNG or JPEG (its QR codes) or UTF-8 text (the code in
/// it, [`code_in_text`]).
pub fn from_bytes(bytes: &[u8]) -> Result<String> {
    if qr::is_image(bytes) {
        return pick(qr::decode_image(bytes)?);
    }
    if bytes.len() > MAX_TEXT_INPUT {
        return Err(ClientError::InputTooLarge {
            max: MAX_TEXT_INPUT,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ClientError::NotText)?;
    code_in_text(text)
}

/// The code in a text (see the module documentation): one line is itself (trimmed); of
/// several lines, the one that starts with a Greenlight prefix. Several *different* such
/// lines are ambiguous ([`ClientError::SeveralCodes`]); none leaves the text as it is, for
/// the decoder to say what it is not.
pub fn code_in_text(text: &str) -> Result<String> {
    let text = text.trim();
    if !text.contains(['\n', '\r']) {
        return Ok(text.to_owned());
    }
    let mut codes: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| detect_kind(line).is_some())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    match codes.as_slice() {
        [] => Ok(text.to_owned()),
        [one] => Ok((*one).to_owned()),
        several => Err(ClientError::SeveralCodes {
            count: several.len(),
        }),
    }
}

/// Of the codes found in one image, the first Greenlight one, else the first of any kind
/// (so the caller can say "not a Greenlight code").
fn pick(texts: Vec<String>) -> Result<String> {
    let first_gl = texts.iter().position(|t| detect_kind(t).is_some());
    match first_gl {
        Some(i) => Ok(texts.into_iter().nth(i).unwrap_or_default()),
        None => texts.into_iter().next().ok_or(ClientError::NoQrCode),
    }
}

/// An output file (`--qr FILE.png`) that cannot be written, found out **before** anything
/// irreversible happens (`wallet present` spends a token): the path is not a folder, its
/// folder exists and is one, and a new file can be created there (a temporary file is made
/// and removed, the same way [`store::write_atomic`] will write).
pub fn check_output_path(path: &Path) -> Result<()> {
    let names_a_folder = path
        .as_os_str()
        .to_string_lossy()
        .ends_with(['/', std::path::MAIN_SEPARATOR]);
    if names_a_folder || path.is_dir() {
        return Err(ClientError::IsADirectory(path.to_owned()));
    }
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(ClientError::NotAFolder {
                path: path.to_owned(),
                dir,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ClientError::NoSuchFolder {
                path: path.to_owned(),
                dir,
            })
        }
        Err(e) => return Err(ClientError::io(&dir, e)),
    }
    store::check_can_create_in(&dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use greenlight_protocol::{
        SigningKey, Status, SubjectHandle, TicketBody, TravelHistory, VenueCode,
    };

    #[test]
    fn minimum_lengths_are_those_of_real_objects() {
        let body = TicketBody::new(
            [7; greenlight_wire::lengths::TICKET_ID],
            SubjectHandle::new("x").unwrap(),
            Status::Green,
            TravelHistory::empty(),
            1,
            2,
            1,
        )
        .unwrap();
        let ticket = body.sign(&SigningKey::from_bytes(&[3; 32]));
        assert_eq!(ticket.to_bytes().len(), MIN_TICKET_LEN);
        assert_eq!(
            Some(ticket.to_text().len()),
            min_text_len(Kind::Ticket),
            "{}",
            ticket.to_text()
        );
        let mut rng = rand::rngs::OsRng;
        let code = VenueCode::new_with_rng(&mut rng, "V", 24).unwrap();
        assert_eq!(code.to_bytes().len(), MIN_VENUE_CODE_LEN);
        assert_eq!(Some(code.to_text().len()), min_text_len(Kind::VenueCode));
    }

    #[test]
    fn the_code_line_is_picked_out_of_a_tool_output() {
        let out = "ticket: status green, 5 tokens, valid until 2026-12-04T17:09:44Z\nGLT1:ABC\n";
        assert_eq!(code_in_text(out).unwrap(), "GLT1:ABC");
        assert_eq!(code_in_text("  GLV1:XY \r\n").unwrap(), "GLV1:XY");
        assert_eq!(code_in_text("GLV1:XY\nGLV1:XY\n").unwrap(), "GLV1:XY");
        assert_eq!(code_in_text("hello\nworld").unwrap(), "hello\nworld");
        assert!(matches!(
            code_in_text("GLV1:XY\nGLT1:AB"),
            Err(ClientError::SeveralCodes { count: 2 })
        ));
        // One line that is not a code stays as it is (the decoder names what it is not).
        assert_eq!(code_in_text(" ticket: x ").unwrap(), "ticket: x");
    }

    #[test]
    fn file_like_names_that_do_not_exist_are_missing_files() {
        for arg in ["nothere.png", "t.txt", "./t", "dir/sub/ticket", "T.TXT"] {
            assert!(
                matches!(read_code(arg), Err(ClientError::NoSuchFile(_))),
                "{arg}"
            );
        }
        assert_eq!(read_code("hello").unwrap(), "hello");
        let tmp = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_code(tmp.path().to_str().unwrap()),
            Err(ClientError::IsADirectory(_))
        ));
    }
}
