//! CSV fields appended to a byte buffer, byte for byte as the `csv` crate's default writer
//! (`QuoteStyle::Necessary`, ',' between fields, '"' quotes, "\n" after a record) writes them,
//! without its per-field state machine: streaming writers reuse one buffer for many rows.

use crate::output::find_byte;

/// Appends one field: in quotes, with inner quotes doubled, when it holds a comma, a quote, CR
/// or LF; as it is otherwise. Like the `csv` crate, and unlike it in one case only: a record
/// that consists of a single empty field is written by the crate as `""`, so callers must not
/// write such records with this function.
pub fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    if !needs_quotes(field) {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    let mut rest = field;
    while let Some(q) = find_byte(rest, |b| b == b'"') {
        out.extend_from_slice(&rest[..=q]);
        out.push(b'"');
        rest = &rest[q + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Turns the bytes from `start` to the end of `out`, written there as they are, into the field
/// [`push_field`] writes for them: for writers that put a field straight into the output.
pub fn quote_field_from(out: &mut Vec<u8>, start: usize) {
    let Some(field) = out.get(start..) else {
        return;
    };
    let Some(first) = find_byte(field, needs_quote) else {
        return;
    };
    // No quote comes before the first byte that forces quotes.
    let mut quotes = 0;
    let mut rest = &field[first..];
    while let Some(q) = find_byte(rest, |b| b == b'"') {
        quotes += 1;
        rest = &rest[q + 1..];
    }
    let end = out.len();
    // The new bytes are quotes, the last of them the closing one.
    out.resize(end + quotes + 2, b'"');
    let shift = quotes + 1;
    out.copy_within(start..end, start + shift);
    out[start] = b'"';
    // Front to back from the moved field, a stretch up to and including a quote at a time:
    // the bytes written stay behind those still to be read, as each of the `quotes` doubled
    // quotes uses up one byte of the shift.
    let (mut to, mut from, moved_end) = (start + 1, start + shift, end + shift);
    while quotes > 0 {
        let Some(q) = find_byte(&out[from..moved_end], |b| b == b'"') else {
            break;
        };
        out.copy_within(from..=from + q, to);
        to += q + 1;
        out[to] = b'"';
        to += 1;
        from += q + 1;
        quotes -= 1;
    }
    out.copy_within(from..moved_end, to);
}

/// Whether a field holds a byte that forces quotes.
fn needs_quotes(field: &[u8]) -> bool {
    find_byte(field, needs_quote).is_some()
}

fn needs_quote(b: u8) -> bool {
    (b == b',') | (b == b'"') | (b == b'\n') | (b == b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fields as the `csv` crate writes them as one record.
    fn by_csv_crate(fields: &[&[u8]]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.write_record(fields).expect("writing into memory");
        w.into_inner().expect("flushing into memory")
    }

    fn by_push_field(fields: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for (k, f) in fields.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            push_field(&mut out, f);
        }
        out.push(b'\n');
        out
    }

    const TRICKY: [&str; 22] = [
        "",
        " ",
        "plain",
        " leading and trailing ",
        "a,b",
        ",",
        "\"",
        "\"\"",
        "say \"hi\"",
        "\"quoted\"",
        "line\nbreak",
        "cr\rhere",
        "crlf\r\n",
        "\n",
        "tab\there",
        "#comment",
        "'single'",
        "Grüß Gott, München! 😉",
        "ünïcödé \"ä\",\nö",
        "0.1234",
        "-0.0000",
        "a much longer field of plain words that runs past sixteen bytes, with one comma",
    ];

    #[test]
    fn tricky_fields_are_written_as_the_csv_crate_writes_them() {
        for a in TRICKY {
            for b in TRICKY {
                let fields = [a.as_bytes(), b.as_bytes()];
                assert_eq!(
                    String::from_utf8_lossy(&by_push_field(&fields)),
                    String::from_utf8_lossy(&by_csv_crate(&fields)),
                    "{a:?} {b:?}"
                );
            }
        }
        // A record whose first field is empty, and one with only empty fields but two of them.
        for fields in [[&b""[..], b"x"], [b"", b""]] {
            assert_eq!(by_push_field(&fields), by_csv_crate(&fields));
        }
    }

    #[test]
    fn a_single_empty_field_is_the_exception() {
        assert_eq!(by_csv_crate(&[b""]), b"\"\"\n");
        assert_eq!(by_push_field(&[b""]), b"\n");
    }

    proptest! {
        #[test]
        fn any_fields_are_written_as_the_csv_crate_writes_them(
            fields in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![
                        Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b' '), Just(b'a'),
                        any::<u8>(),
                    ],
                    0..40,
                ),
                2..6,
            ),
        ) {
            let fields: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
            prop_assert_eq!(by_push_field(&fields), by_csv_crate(&fields));
        }

        #[test]
        fn a_field_quoted_in_place_is_the_pushed_one(
            before in proptest::collection::vec(any::<u8>(), 0..8),
            field in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'a'), any::<u8>()],
                0..40,
            ),
        ) {
            let mut pushed = before.clone();
            push_field(&mut pushed, &field);
            let mut quoted = before.clone();
            quoted.extend_from_slice(&field);
            quote_field_from(&mut quoted, before.len());
            prop_assert_eq!(quoted, pushed);
        }

        #[test]
        fn any_text_field_is_written_as_the_csv_crate_writes_it(a in ".*", b in "\\PC*") {
            let fields = [a.as_bytes(), b.as_bytes()];
            prop_assert_eq!(by_push_field(&fields), by_csv_crate(&fields));
        }
    }
}
