//! Reading a code from the command line: literal text, a text file, a PNG with a QR code,
//! or standard input (`-`), each bounded in size.

use std::io::Read;
use std::path::Path;

use greenlight_protocol::detect_kind;

use crate::error::{ClientError, Result};
use crate::{qr, store};

/// Longest text accepted (a full key list is ~200 KB; a presentation ~1.6 KB).
pub const MAX_TEXT_INPUT: usize = 512 * 1024;
/// Largest file or standard input read (a phone photo of a QR code).
pub const MAX_FILE_INPUT: usize = 32 * 1024 * 1024;

/// Resolve a command-line argument to the text of a code.
///
/// * `-`: standard input (text or PNG bytes);
/// * text that starts with a Greenlight prefix (`GLP1:` …): itself;
/// * an existing file: its content (text, or a PNG whose QR codes are decoded);
/// * anything else: returned as text, for the decoder to reject with a clear reason —
///   except a name ending in `.png`, which is clearly a missing file.
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
    if detect_kind(arg).is_some() {
        return Ok(arg.to_owned());
    }
    let path = Path::new(arg);
    if path.is_file() {
        let bytes = store::read_limited(path, MAX_FILE_INPUT)
            .map_err(|e| match e {
                ClientError::Corrupt { .. } => ClientError::InputTooLarge {
                    max: MAX_FILE_INPUT,
                },
                other => other,
            })?
            .unwrap_or_default();
        return from_bytes(&bytes);
    }
    if arg.to_ascii_lowercase().ends_with(".png") {
        return Err(ClientError::io(
            path,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    Ok(arg.to_owned())
}

/// Content of a file or of standard input: a PNG (its QR codes) or UTF-8 text.
pub fn from_bytes(bytes: &[u8]) -> Result<String> {
    if qr::is_png(bytes) {
        return pick(qr::decode_image(bytes)?);
    }
    if bytes.len() > MAX_TEXT_INPUT {
        return Err(ClientError::InputTooLarge {
            max: MAX_TEXT_INPUT,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ClientError::NotText)?;
    Ok(text.trim().to_owned())
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
