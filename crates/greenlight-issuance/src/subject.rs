//! The one rule about what a subject handle may look like: **not like an identity number**.
//!
//! A ticket's subject handle is read by the issuer at every redemption and, hashed, kept in
//! its revocation store. It is meant to be an opaque pseudonym from the authority's records
//! (`resident-7f3a`), so that the issuer learns nothing about who the person is
//! (`docs/privacy.md`). The easiest way to break that is an operator typing the person's ID
//! number as the handle; [`check_subject_handle`] refuses handles shaped like the identity
//! numbers of the region Greenlight is built for.
//!
//! # The rule
//!
//! The handle is refused if a *candidate* of it has the exact shape of one of these numbers
//! ([`IdNumberFormat`]):
//!
//! | format | shape | example |
//! |---|---|---|
//! | PRC resident identity card | 17 digits and a digit or `X`; or 15 digits (first generation) | `11010119900307451X` |
//! | Hong Kong identity card | 1–2 letters, 6 digits, a check character (digit or `A`) in parentheses; or without parentheses if the check character is correct | `A123456(3)`, `A1234563` |
//! | Macau resident identity card | `1`, `5` or `7`, 6 digits, a check digit in parentheses | `1234567(8)` |
//! | Taiwan national identification card | a letter and 9 digits | `A123456789` |
//!
//! The candidates are each *word* of the handle (a maximal run of ASCII letters, digits and
//! parentheses: `resident-110101199003074512` has the words `resident` and
//! `110101199003074512`) and the whole handle with everything but ASCII letters, digits and
//! parentheses removed (so `110101 19900307 451X` and `身份证110101199003074512` are caught
//! too). Full-width forms (`１２３`, `（３）`) count as their ASCII letters, digits and
//! parentheses. Letters compare case-insensitively.
//!
//! # Why these shapes and not "any long number"
//!
//! Good handles are random, and hexadecimal is the usual way to write random bytes. A rule
//! like "8 or more consecutive digits" would refuse about 29 % of 128-bit hexadecimal handles
//! (32 hex digits contain such a run that often) and 2 % of UUIDs (an all-digit first
//! group): a guard that fails at random for correctly chosen handles would be switched off.
//! The shapes above are whole words of a fixed length and layout, which random hexadecimal
//! words of the usual lengths (4, 8, 12, 16, 32) never or almost never have; the one shape
//! that an 8-character hexadecimal word can take, the Hong Kong number without parentheses
//! (`a1234567`), is refused only when its check character is right (1 in 11 of those).
//!
//! What the rule does not try to catch: numbers written inside a longer word
//! (`id110101199003074512`), other countries' numbers, phone numbers, names. It is a guard
//! against a mistake, not a proof that a handle is anonymous; choosing handles is the
//! authority's responsibility.

use std::fmt;

/// An identity-number format a subject handle must not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdNumberFormat {
    /// Resident identity card of the People's Republic of China: 17 digits and a check
    /// character (digit or `X`), or 15 digits (first-generation cards).
    PrcResidentId,
    /// Hong Kong identity card: 1–2 letters, 6 digits, a check character (digit or `A`).
    HongKongId,
    /// Macau resident identity card: `1`, `5` or `7`, 6 digits, a check digit.
    MacauId,
    /// Taiwan national identification card (and resident certificate): a letter, 9 digits.
    TaiwanId,
}

impl fmt::Display for IdNumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdNumberFormat::PrcResidentId => "a PRC resident identity card number",
            IdNumberFormat::HongKongId => "a Hong Kong identity card number",
            IdNumberFormat::MacauId => "a Macau identity card number",
            IdNumberFormat::TaiwanId => "a Taiwan identification card number",
        })
    }
}

/// A subject handle shaped like an identity number. The message names the format, never
/// the handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the subject looks like an ID number (shaped like {format}); use an opaque handle from the authority's records"
)]
pub struct LooksLikeIdNumber {
    /// The format it matched.
    pub format: IdNumberFormat,
}

/// Refuses a subject handle shaped like an identity number (the rule of this module's
/// documentation). Only the shape is checked here; length and character rules are
/// `greenlight_protocol::SubjectHandle`'s. Never panics, any input.
pub fn check_subject_handle(handle: &str) -> Result<(), LooksLikeIdNumber> {
    let normalised = normalise(handle);
    let words = normalised
        .split(|&b| b == SEPARATOR)
        .filter(|w| !w.is_empty());
    let joined: Vec<u8> = normalised
        .iter()
        .copied()
        .filter(|&b| b != SEPARATOR)
        .collect();
    for candidate in words.chain(std::iter::once(joined.as_slice())) {
        if let Some(format) = id_format(candidate) {
            return Err(LooksLikeIdNumber { format });
        }
    }
    Ok(())
}

/// What every character that is no ASCII letter, digit or parenthesis becomes.
const SEPARATOR: u8 = b' ';

/// The handle as bytes for matching: ASCII letters upper-cased, digits and parentheses kept
/// (full-width ones mapped to them), everything else one [`SEPARATOR`] — except separators
/// right before a `(`, which are dropped, so `A123456 (3)` is one word.
fn normalise(handle: &str) -> Vec<u8> {
    let mapped: Vec<u8> = handle
        .chars()
        .map(|c| {
            // Full-width forms U+FF01..=U+FF5E are ASCII U+0021..=U+007E shifted.
            let c = match u32::from(c) {
                code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(' '),
                _ => c,
            };
            match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '(' | ')' => c.to_ascii_uppercase() as u8,
                _ => SEPARATOR,
            }
        })
        .collect();
    // From the end, knowing the next kept byte: linear in the handle's length.
    let mut out = Vec::with_capacity(mapped.len());
    let mut next_kept = None;
    for &b in mapped.iter().rev() {
        if b != SEPARATOR {
            next_kept = Some(b);
        } else if next_kept == Some(b'(') {
            continue;
        }
        out.push(b);
    }
    out.reverse();
    out
}

fn all_digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

fn all_letters(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_uppercase)
}

/// The format `word` has exactly, if any (`word` is normalised: upper-case ASCII letters,
/// digits, parentheses).
fn id_format(word: &[u8]) -> Option<IdNumberFormat> {
    match word {
        [body @ .., last]
            if word.len() == 18 && all_digits(body) && (last.is_ascii_digit() || *last == b'X') =>
        {
            Some(IdNumberFormat::PrcResidentId)
        }
        _ if word.len() == 15 && all_digits(word) => Some(IdNumberFormat::PrcResidentId),
        [letter, rest @ ..]
            if rest.len() == 9 && letter.is_ascii_uppercase() && all_digits(rest) =>
        {
            Some(IdNumberFormat::TaiwanId)
        }
        [first, six @ .., b'(', check, b')']
            if six.len() == 6
                && matches!(first, b'1' | b'5' | b'7')
                && all_digits(six)
                && check.is_ascii_digit() =>
        {
            Some(IdNumberFormat::MacauId)
        }
        _ => hong_kong(word),
    }
}

/// 1–2 letters, 6 digits and a check character (digit or `A`): in parentheses whatever it
/// is, bare only if it is the right one.
fn hong_kong(word: &[u8]) -> Option<IdNumberFormat> {
    let (body, check, bracketed) = match word {
        [body @ .., b'(', check, b')'] => (body, *check, true),
        [body @ .., check] => (body, *check, false),
        [] => return None,
    };
    if !(body.len() == 7 || body.len() == 8) || !(check.is_ascii_digit() || check == b'A') {
        return None;
    }
    let (prefix, number) = body.split_at(body.len() - 6);
    if !all_letters(prefix) || !all_digits(number) {
        return None;
    }
    (bracketed || hong_kong_check(prefix, number) == Some(check))
        .then_some(IdNumberFormat::HongKongId)
}

/// The Hong Kong check character of `prefix` (1–2 letters `A`..=`Z`) and `number` (6
/// digits): weights 9, 8 on two letter positions (a single letter is preceded by a space
/// worth 36; `A`..=`Z` are worth 10..=35) and 7..=2 on the digits; the check is
/// `11 − sum mod 11`, written `A` for 10 and `0` for 11. `None` for other input.
fn hong_kong_check(prefix: &[u8], number: &[u8]) -> Option<u8> {
    let letter = |b: &u8| b.is_ascii_uppercase().then(|| u32::from(b - b'A') + 10);
    let (first, second) = match prefix {
        [one] => (36, letter(one)?),
        [one, two] => (letter(one)?, letter(two)?),
        _ => return None,
    };
    if number.len() != 6 || !all_digits(number) {
        return None;
    }
    let digits: u32 = (2..=7u32)
        .rev()
        .zip(number)
        .map(|(weight, digit)| weight * u32::from(digit - b'0'))
        .sum();
    let sum = 9 * first + 8 * second + digits;
    Some(match 11 - sum % 11 {
        10 => b'A',
        11 => b'0',
        d => b'0' + u8::try_from(d).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdNumberFormat::*;

    /// Handles refused, with the format each is refused as.
    const REFUSED: &[(&str, IdNumberFormat)] = &[
        ("110101199003074512", PrcResidentId),
        ("11010119900307451X", PrcResidentId),
        ("11010119900307451x", PrcResidentId),
        ("110101900307451", PrcResidentId),
        ("resident-110101199003074512", PrcResidentId),
        ("110101199003074512-resident", PrcResidentId),
        ("110101 19900307 451X", PrcResidentId),
        ("1101-0119-9003-0745-12", PrcResidentId),
        ("身份证110101199003074512", PrcResidentId),
        (
            "身份证：１１０１０１１９９００３０７４５１Ｘ",
            PrcResidentId,
        ),
        ("A123456(3)", HongKongId),
        ("a123456(3)", HongKongId),
        ("A123456(7)", HongKongId),
        ("G123456(A)", HongKongId),
        ("AB987654(3)", HongKongId),
        ("hkid A123456 (3)", HongKongId),
        ("Ａ１２３４５６（３）", HongKongId),
        ("A1234563", HongKongId),
        ("g123456a", HongKongId),
        ("XA0000008", HongKongId),
        ("1234567(8)", MacauId),
        ("macau-5215299(8)", MacauId),
        ("A123456789", TaiwanId),
        ("tw-f234567890", TaiwanId),
    ];

    /// Handles accepted: the ones used in tests and documentation, random hexadecimal of the
    /// usual shapes, and numbers of other lengths.
    const ACCEPTED: &[&str] = &[
        "resident-7f3a",
        "subject-admin",
        "subject/with spaces",
        "demo-green",
        "story-alice",
        "revoked-ivy",
        "race-17",
        "crash-r2-quota-19",
        "load-0123456789012345-3",
        "s",
        "x",
        "3f2b9c1e-4d5a-4c1b-9f8e-123456789012",
        "12345678-1234-1234-1234-123456789012",
        "0123456789abcdef0123456789abcdef",
        "resident-12345678901234567890123456789012",
        "12345678",
        "1101011990030745",
        "11010119900307451",
        "1101011990030745123",
        "11010119900307451Y",
        "A1234567",
        "a1234567",
        "ABC123456(7)",
        "A12345(6)",
        "A123456(B)",
        "9234567(8)",
        "1234567(A)",
        "AB12345678",
        "id110101199003074512",
        "()",
        "(((",
        "((3)",
        "",
        "名字",
    ];

    #[test]
    fn refuses_handles_shaped_like_id_numbers() {
        for &(handle, format) in REFUSED {
            assert_eq!(
                check_subject_handle(handle),
                Err(LooksLikeIdNumber { format }),
                "{handle:?}"
            );
        }
    }

    #[test]
    fn accepts_opaque_handles() {
        for handle in ACCEPTED {
            assert_eq!(check_subject_handle(handle), Ok(()), "{handle:?}");
        }
    }

    #[test]
    fn hong_kong_check_characters() {
        // Published examples: A123456(3), G123456(A); and a two-letter number.
        assert_eq!(hong_kong_check(b"A", b"123456"), Some(b'3'));
        assert_eq!(hong_kong_check(b"G", b"123456"), Some(b'A'));
        assert_eq!(hong_kong_check(b"XA", b"000000"), Some(b'8'));
        // Remainder 0 is written 0: 36·9 + 10·8 + weights·digits ≡ 0 (mod 11).
        let zero = (0..1_000_000u32)
            .map(|n| format!("{n:06}"))
            .find(|d| hong_kong_check(b"A", d.as_bytes()) == Some(b'0'))
            .unwrap();
        assert_eq!(
            check_subject_handle(&format!("A{zero}0")),
            Err(LooksLikeIdNumber { format: HongKongId })
        );
    }

    #[test]
    fn the_message_names_the_format_never_the_handle() {
        let err = check_subject_handle("resident-110101199003074512").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("looks like an ID number"), "{message}");
        assert!(message.contains("PRC resident identity card"), "{message}");
        assert!(message.contains("opaque handle"), "{message}");
        assert!(!message.contains("110101"), "{message}");
    }

    #[test]
    fn arbitrary_input_never_panics() {
        for handle in [
            "\u{0}\u{FF5E}\u{FF01}\u{FFFF}",
            "((((((((((((((((((((",
            ")))))))))",
            "A(1)",
            "A)))))))(",
            &"9".repeat(10_000),
            &" ".repeat(100_000),
            &format!("{}(3)", " ".repeat(100_000)),
        ] {
            let _ = check_subject_handle(handle);
        }
    }
}
