//! The spec states every object's largest size as a number (docs/spec.md §6.4), for
//! implementers who never see this code. This test reads that table and checks each row
//! against the constants the decoders use, so the two cannot drift apart.

use greenlight_wire::{lengths, prefixes, text::base45_len};

/// (prefix, largest encoding) for every object with a text form.
fn objects() -> Vec<(&'static str, usize)> {
    vec![
        (prefixes::PRESENTATION, lengths::PRESENTATION),
        (prefixes::TICKET, lengths::MAX_TICKET_LEN),
        (prefixes::KEY_LIST, lengths::MAX_KEY_LIST_LEN),
        (prefixes::VENUE_CODE, lengths::MAX_VENUE_CODE_LEN),
        (prefixes::VENUE_SETUP, lengths::MAX_VENUE_SETUP_LEN),
    ]
}

/// The first integer in a table cell, with the spec's thin digit grouping ("1 081") removed.
fn number(cell: &str) -> usize {
    let digits: String = cell
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number in table cell {cell:?}"))
}

#[test]
fn spec_table_of_largest_encodings_matches_the_constants() {
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/spec.md"))
        .expect("docs/spec.md is readable");
    let header = "| object | prefix | largest encoding `MAX` (bytes) |";
    let start = spec
        .find(header)
        .expect("docs/spec.md §6.4 has the table of largest encodings");
    let rows: Vec<Vec<&str>> = spec[start..]
        .lines()
        .skip(2) // header and separator
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split('|').collect())
        .collect();
    let objects = objects();
    assert_eq!(
        rows.len(),
        objects.len(),
        "the spec's table and this test list the same objects"
    );
    for row in rows {
        let prefix = row[1].trim().trim_matches('`');
        let (_, max) = objects
            .iter()
            .find(|(p, _)| *p == prefix)
            .unwrap_or_else(|| panic!("the spec lists {prefix}, which this test does not know"));
        assert_eq!(number(row[2]), *max, "largest encoding of {prefix}");
        assert_eq!(
            number(row[3]),
            base45_len(*max),
            "longest text after {prefix}"
        );
    }
}
