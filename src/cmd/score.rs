//! `stimmung score`: tone of free text — the TEXT argument or one text per stdin line — as CSV
//! rows, JSON lines (`--jsonl`) or term-by-term explanations (`--explain`).
//!
//! Stdin is read in large blocks cut at line ends, and every row is written straight into the
//! output bytes of its block: the only work per line besides scoring is finding its end and
//! writing its row.

mod jsonl;

use std::io::{Read, Write};

use crate::cmd::{Exit, LexiconArgs};
use crate::output::csv_bytes::{push_field, quote_field_from};
use crate::output::fixed::push_fixed;
use crate::tone::{Analyzer, Scored, Scorer, ToneNumbers, ToneResult, BATCH};
use crate::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct ScoreArgs {
    /// The text to score; without it, every stdin line is one text
    pub text: Option<String>,
    /// Print every token: normalised form, byte offsets, lexicon entry (file:line), modifiers
    /// and contribution
    #[arg(long)]
    pub explain: bool,
    /// Read {"id": …, "text": …} JSON lines and write one JSON object per line, in input order;
    /// input fields other than "text" are passed through
    #[arg(long)]
    pub jsonl: bool,
    /// Worker threads [default: all cores]; output order is input order whatever the number
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 10] = [
    "tone",
    "tone_label",
    "pos",
    "neg",
    "neu",
    "incivility",
    "dialect_share",
    "dialect_label",
    "text_normalized",
    "matched_terms",
];

/// Appends the CSV row of one result, numbers with four decimals, as the `csv` crate writes it.
pub fn write_csv_row(out: &mut Vec<u8>, r: &ToneResult) {
    write_row(out, &r.numbers(), &r.text_normalized, |o| {
        o.extend_from_slice(r.matched_terms.as_bytes())
    });
}

/// As [`write_csv_row`], for a result as [`Scorer::score_with`] shows it: its terms are written
/// straight into the row.
pub fn write_scored_row(out: &mut Vec<u8>, s: &Scored) {
    write_row(out, &s.numbers, s.text_normalized(), |o| {
        s.push_matched_terms(o)
    });
}

/// A CSV row of `n`, `text_normalized` and the terms `terms` appends.
fn write_row(
    out: &mut Vec<u8>,
    n: &ToneNumbers,
    text_normalized: &str,
    terms: impl FnOnce(&mut Vec<u8>),
) {
    // Numbers and labels never hold a byte that needs quotes.
    let number = |out: &mut Vec<u8>, x: f64| {
        push_fixed(out, x, 4, false);
        out.push(b',');
    };
    number(out, n.tone);
    out.extend_from_slice(n.tone_label.as_str().as_bytes());
    out.push(b',');
    number(out, n.pos);
    number(out, n.neg);
    number(out, n.neu);
    number(out, n.incivility);
    number(out, n.dialect_share);
    out.extend_from_slice(n.dialect_label.as_str().as_bytes());
    out.push(b',');
    push_field(out, text_normalized.as_bytes());
    out.push(b',');
    let start = out.len();
    terms(out);
    quote_field_from(out, start);
    out.push(b'\n');
}

fn write_err(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}

/// Input bytes a chunk holds (more only when one line is longer): enough to make handing a
/// chunk to a worker cheap, few enough that the chunks under way stay a small, bounded amount
/// of memory.
const CHUNK_BYTES: usize = 1 << 17;
/// Chunks between reading and writing at most.
const WINDOW_CHUNKS: usize = 16;

/// Cuts the input into chunks of whole lines.
struct LineChunks<R> {
    input: R,
    /// The start of the next chunk: what followed the last line end of this one.
    rest: Vec<u8>,
    done: bool,
    /// The read error that ended the input early.
    error: Option<std::io::Error>,
}

impl<R: Read> LineChunks<R> {
    fn new(input: R) -> Self {
        LineChunks {
            input,
            rest: Vec::new(),
            done: false,
            error: None,
        }
    }

    /// The next chunk: whole lines, each with its "\n" (the last line of the input may lack
    /// it). After a read error, the whole lines read before it.
    fn next_chunk(&mut self) -> Option<Vec<u8>> {
        let mut bytes = std::mem::take(&mut self.rest);
        bytes.reserve(CHUNK_BYTES);
        // `rest` holds no line end.
        let mut last_end = None;
        while !self.done {
            if let Some(end) = last_end.filter(|_| bytes.len() >= CHUNK_BYTES) {
                self.rest = Vec::with_capacity(CHUNK_BYTES + CHUNK_BYTES / 4);
                self.rest.extend_from_slice(&bytes[end + 1..]);
                bytes.truncate(end + 1);
                break;
            }
            let filled = bytes.len();
            let want = CHUNK_BYTES.saturating_sub(filled).max(CHUNK_BYTES / 4);
            bytes.reserve(want);
            // Read into the spare room as it is, where filling it with zeros first cost as
            // much as reading; up to `want` bytes, fewer only at the end of the input. What
            // was read before an error is kept.
            let read = (&mut self.input).take(want as u64).read_to_end(&mut bytes);
            // Only the new bytes are searched, so that a long line costs no more.
            if let Some(end) = bytes[filled..].iter().rposition(|&b| b == b'\n') {
                last_end = Some(filled + end);
            }
            match read {
                Ok(n) if n < want => self.done = true,
                Ok(_) => {}
                Err(e) => {
                    // The line under way is incomplete; it is not scored.
                    bytes.truncate(last_end.map_or(0, |end| end + 1));
                    self.error = Some(e);
                    self.done = true;
                }
            }
        }
        (!bytes.is_empty()).then_some(bytes)
    }
}

/// A line as `BufRead::lines` gives it (without "\n" or "\r\n"), then one more trailing "\r"
/// removed.
fn trim_line_end(line: &str) -> &str {
    let l = line
        .strip_suffix('\n')
        .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
    l.strip_suffix('\r').unwrap_or(l)
}

/// The first line of `bytes`, with its "\n" if it has one, when it is UTF-8. The line end and
/// the UTF-8 check are found in one pass, in which runs of ASCII, nearly all of a comment, are
/// passed over 32 and then 8 bytes at a time: the standard check goes byte by byte for a while
/// after every umlaut, and with a search for the line end besides, the two cost twice as much.
fn first_line(bytes: &[u8]) -> Option<&str> {
    let mut at = 0;
    let end = loop {
        let Some(stop) = line_end_or_non_ascii(bytes, at) else {
            break bytes.len();
        };
        if bytes[stop] == b'\n' {
            break stop + 1;
        }
        at = stop + utf8_width(&bytes[stop..])?;
    };
    let line = &bytes[..end];
    debug_assert!(std::str::from_utf8(line).is_ok());
    // SAFETY: every byte of `line` is ASCII or belongs to a character that `utf8_width` found
    // well-formed, by the rules of `std::str::from_utf8` (the tests compare the two on every
    // sequence of boundary bytes), so `line` is UTF-8.
    Some(unsafe { std::str::from_utf8_unchecked(line) })
}

/// The position of the first "\n" or non-ASCII byte of `bytes` from `at` on.
fn line_end_or_non_ascii(bytes: &[u8], mut at: usize) -> Option<usize> {
    let stop = |b: u8| (b == b'\n') | (b >= 0x80);
    while let Some(block) = bytes[at..].first_chunk::<32>() {
        if block.iter().fold(0u8, |acc, &b| acc | u8::from(stop(b))) != 0 {
            break;
        }
        at += 32;
    }
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = bytes[at..].first_chunk::<8>() {
        let w = u64::from_le_bytes(*word);
        // The high bit of each non-ASCII byte, and of each byte that is 0 after the XOR, that
        // is "\n": a borrow can mark a byte above such a byte too, never one below, so the
        // lowest mark (little-endian: the first byte) is a true one.
        let x = w ^ (ONES * u64::from(b'\n'));
        let marks = (w | (x.wrapping_sub(ONES) & !x)) & HIGH;
        if marks != 0 {
            return Some(at + marks.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| stop(b)).map(|p| at + p)
}

/// The length of the well-formed multi-byte character `bytes` starts with (Unicode's table of
/// well-formed UTF-8 byte sequences), or `None`.
fn utf8_width(bytes: &[u8]) -> Option<usize> {
    let second = bytes.get(1).copied().unwrap_or(0);
    let (width, seconds) = match bytes.first()? {
        0xC2..=0xDF => (2, 0x80..=0xBF),
        0xE0 => (3, 0xA0..=0xBF),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80..=0xBF),
        0xED => (3, 0x80..=0x9F),
        0xF0 => (4, 0x90..=0xBF),
        0xF1..=0xF3 => (4, 0x80..=0xBF),
        0xF4 => (4, 0x80..=0x8F),
        _ => return None,
    };
    let continues = |k: usize| bytes.get(k).is_some_and(|&b| b & 0xC0 == 0x80);
    (seconds.contains(&second) && (2..width).all(continues)).then_some(width)
}

/// The output of a chunk: the bytes for stdout and, per skipped line, its number in the chunk
/// (0-based) and the message for stderr.
#[derive(Default)]
struct Rendered {
    bytes: Vec<u8>,
    skipped: Vec<(usize, String)>,
    /// Lines in the chunk.
    lines: usize,
    /// The chunk ended at a line that is not UTF-8.
    invalid_utf8: bool,
}

/// One worker's state: the scorer with its caches, and buffers reused from line to line.
struct Renderer<'a> {
    args: &'a ScoreArgs,
    scorer: Scorer<'a>,
    /// Per text of a batch of JSON lines: its fields and its result.
    fields: Vec<jsonl::Fields>,
    results: Vec<ToneResult>,
}

impl<'a> Renderer<'a> {
    fn new(analyzer: &'a Analyzer, args: &'a ScoreArgs) -> Self {
        Renderer {
            args,
            scorer: analyzer.scorer(),
            fields: std::iter::repeat_with(jsonl::Fields::default)
                .take(BATCH)
                .collect(),
            results: vec![ToneResult::default(); BATCH],
        }
    }

    /// Scores the lines of a chunk into output bytes. Each chunk is rendered on its own, so
    /// the bytes do not depend on how the input was cut into chunks.
    fn chunk(&mut self, bytes: &[u8]) -> Rendered {
        let mut out = Rendered {
            bytes: Vec::with_capacity(2 * bytes.len()),
            ..Rendered::default()
        };
        // Scored in batches: CSV rows and JSON results; explanations one by one.
        let batched = !self.args.explain;
        let mut lines = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let Some(line) = first_line(rest) else {
                // The lines before the one that is not UTF-8 are written.
                out.invalid_utf8 = true;
                break;
            };
            if batched {
                lines.push(trim_line_end(line));
            } else {
                self.line(trim_line_end(line), out.lines, &mut out);
            }
            out.lines += 1;
            rest = &rest[line.len()..];
        }
        if self.args.jsonl {
            self.json_lines(&lines, &mut out);
        } else {
            let bytes = &mut out.bytes;
            self.scorer
                .score_batch_with(&lines, |_, s| write_scored_row(bytes, s));
        }
        out
    }

    /// The JSON results of `lines`, the first lines of a chunk: the objects with a text are
    /// scored [`BATCH`] at a time, each line that has none is reported.
    fn json_lines(&mut self, lines: &[&str], out: &mut Rendered) {
        let Renderer {
            scorer,
            fields,
            results,
            ..
        } = self;
        let mut k = 0;
        while k < lines.len() {
            let mut texts = Vec::with_capacity(BATCH);
            // The slot of each text: a line without one takes a slot too.
            let mut taken = Vec::with_capacity(BATCH);
            for (s, slot) in fields.iter_mut().enumerate() {
                while lines.get(k).is_some_and(|line| line.trim().is_empty()) {
                    k += 1;
                }
                let Some(&line) = lines.get(k) else { break };
                match slot.parse(line).text() {
                    Ok(text) => {
                        texts.push(text);
                        taken.push(s);
                    }
                    Err(message) => out.skipped.push((k, message)),
                }
                k += 1;
            }
            scorer.score_batch_into(&texts, results);
            for (&s, result) in taken.iter().zip(results.iter()) {
                fields[s].write(&mut out.bytes, &jsonl::RESULT_KEYS, |o, key| {
                    jsonl::push_result_value(o, result, key)
                });
            }
        }
    }

    /// Scores line `k` of a chunk on its own: explanations, and the TEXT argument.
    fn line(&mut self, line: &str, k: usize, out: &mut Rendered) {
        if self.args.jsonl {
            self.json_explanation(line, k, out);
        } else if self.args.explain {
            let _ = writeln!(out.bytes, "{}", self.scorer.explain(line));
        } else {
            let bytes = &mut out.bytes;
            self.scorer.score_with(line, |s| write_scored_row(bytes, s));
        }
    }

    /// The explanation of the text of JSON line `k`, with the line's other fields.
    fn json_explanation(&mut self, line: &str, k: usize, out: &mut Rendered) {
        if line.trim().is_empty() {
            return;
        }
        let fields = &mut self.fields[0];
        let text = match fields.parse(line).text() {
            Ok(text) => text,
            Err(message) => {
                out.skipped.push((k, message));
                return;
            }
        };
        let explanation =
            serde_json::to_value(self.scorer.explain(text)).unwrap_or(serde_json::Value::Null);
        fields.write(&mut out.bytes, &jsonl::EXPLANATION_KEY, |o, _| {
            // Writing into memory cannot fail.
            let _ = serde_json::to_writer(o, &explanation);
        });
    }
}

pub fn run(args: &ScoreArgs) -> Result<Exit, Error> {
    // Lexicons first: a malformed line must stop the run before any output is written.
    // Never dropped: the process ends right after this one-shot command, and the OS takes the
    // lexicons back at once, where freeing them entry by entry cost ~4M instructions per run.
    let analyzer = std::mem::ManuallyDrop::new(Analyzer::load(&args.lexicon)?);
    score_all(&analyzer, args, std::io::stdout().lock())
}

/// Why the output stopped early.
enum Stop {
    /// Writing failed.
    Output(Error),
    /// A line is not UTF-8; the lines before it are written.
    NotUtf8,
}

fn score_all<W: Write>(analyzer: &Analyzer, args: &ScoreArgs, w: W) -> Result<Exit, Error> {
    // Smaller than the output of a chunk, which then goes straight to `w` without a copy.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
    if !args.jsonl && !args.explain {
        let mut header = Vec::new();
        for (k, name) in CSV_HEADER.iter().enumerate() {
            if k > 0 {
                header.push(b',');
            }
            push_field(&mut header, name.as_bytes());
        }
        header.push(b'\n');
        out.write_all(&header).map_err(write_err)?;
    }
    if let Some(text) = &args.text {
        if args.jsonl {
            return Err(Error::Usage(
                "--jsonl reads JSON lines from stdin; do not give a TEXT argument".into(),
            ));
        }
        let mut rendered = Rendered::default();
        Renderer::new(analyzer, args).line(text, 0, &mut rendered);
        out.write_all(&rendered.bytes).map_err(write_err)?;
        out.flush().map_err(write_err)?;
        return Ok(Exit::Success);
    }
    let threads = match args.threads {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut skipped = 0usize;
    let mut lines_before = 0usize;
    let mut input = LineChunks::new(std::io::stdin().lock());
    let chunks = std::iter::from_fn(|| input.next_chunk());
    let run = crate::parallel::ordered_map(
        threads,
        WINDOW_CHUNKS,
        chunks,
        || Renderer::new(analyzer, args),
        |renderer, chunk| renderer.chunk(&chunk),
        |part| {
            out.write_all(&part.bytes)
                .map_err(|e| Stop::Output(write_err(e)))?;
            for (k, message) in part.skipped {
                skipped += 1;
                eprintln!("stimmung: <stdin>:{}: {message}", lines_before + k + 1);
            }
            lines_before += part.lines;
            if part.invalid_utf8 {
                return Err(Stop::NotUtf8);
            }
            Ok(())
        },
    );
    let read_error = match run {
        Ok(()) => input.error.take(),
        Err(Stop::Output(e)) => return Err(e),
        Err(Stop::NotUtf8) => Some(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )),
    };
    out.flush().map_err(write_err)?;
    if let Some(e) = read_error {
        return Err(Error::io("<stdin>", e));
    }
    Ok(if skipped > 0 {
        Exit::SomeInputsSkipped
    } else {
        Exit::Success
    })
}

#[cfg(test)]
mod tests {
    use std::io::BufRead;
    use std::sync::OnceLock;

    use proptest::prelude::*;
    use serde_json::{Map, Value};

    use super::*;
    use crate::dialect::DialectLabel;
    use crate::tone::ToneLabel;

    fn analyzer() -> &'static Analyzer {
        static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
        ANALYZER.get_or_init(|| Analyzer::load(&LexiconArgs::default()).expect("bundled lexicons"))
    }

    fn args(jsonl: bool, explain: bool) -> ScoreArgs {
        ScoreArgs {
            text: None,
            explain,
            jsonl,
            threads: None,
            lexicon: LexiconArgs::default(),
        }
    }

    /// The CSV row as the `csv` crate wrote it before.
    fn csv_crate_row(r: &ToneResult) -> Vec<u8> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let num = |x: f64| {
            let mut s = String::new();
            push_fixed(&mut s, x, 4, false);
            s
        };
        let record = [
            num(r.tone),
            r.tone_label.as_str().to_string(),
            num(r.pos),
            num(r.neg),
            num(r.neu),
            num(r.incivility),
            num(r.dialect_share),
            r.dialect_label.as_str().to_string(),
            r.text_normalized.clone(),
            r.matched_terms.clone(),
        ];
        csv.write_record(&record).expect("writing into memory");
        csv.into_inner().expect("flushing into memory")
    }

    /// The JSON object of one result as it was built before: through a `Value`.
    fn value_of(r: &ToneResult) -> Map<String, Value> {
        let Ok(Value::Object(mut map)) = serde_json::to_value(r) else {
            return Map::new();
        };
        for v in map.values_mut() {
            if let Some(x) = v.as_f64() {
                *v = Value::from((x * 10_000.0).round() / 10_000.0);
            }
        }
        map
    }

    /// A `--jsonl` line as it was rendered before: the output line, or the skip message.
    fn value_line(line: &str, explain: bool) -> Result<Option<Vec<u8>>, String> {
        if line.trim().is_empty() {
            return Ok(None);
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut map)) => match map.remove("text") {
                Some(Value::String(text)) => {
                    if explain {
                        let e = serde_json::to_value(analyzer().explain(&text));
                        map.insert("explanation".into(), e.unwrap_or(Value::Null));
                    } else {
                        map.extend(value_of(&analyzer().score(&text)));
                    }
                    Ok(Some(format!("{}\n", Value::Object(map)).into_bytes()))
                }
                _ => Err("no string field \"text\"; skipped".into()),
            },
            Ok(_) => Err("not a JSON object; skipped".into()),
            Err(e) => Err(format!("invalid JSON ({e}); skipped")),
        }
    }

    fn check_json_line(renderer: &mut Renderer<'_>, line: &str) {
        let got = renderer.chunk(format!("{line}\n").as_bytes());
        assert_eq!(got.lines, 1);
        match value_line(line, renderer.args.explain) {
            Ok(want) => {
                assert_eq!(
                    String::from_utf8_lossy(&got.bytes),
                    String::from_utf8_lossy(&want.unwrap_or_default()),
                    "{line}"
                );
                assert!(got.skipped.is_empty(), "{line}: {:?}", got.skipped);
            }
            Err(message) => {
                assert!(got.bytes.is_empty(), "{line}");
                assert_eq!(got.skipped, [(0, message)], "{line}");
            }
        }
    }

    const OBJECTS: [&str; 22] = [
        r#"{"id": 1, "text": "Das ist gut"}"#,
        r#"{"text": "Des isch net guat", "id": "x", "page": 0}"#,
        r#"{"id":7,"text":"Kriegstreiber allesamt!","thread":"a"}"#,
        r#"{"text": "say \"hi\", \u00e9\n\tok \/ \\ done", "k\u00e9y": "v\u0001\"", "z": "\u2028"}"#,
        r#"{"id": -0, "a": 1.0, "b": 1e2, "c": -12.5e-3, "d": 18446744073709551615, "e": -9223372036854775808, "f": 123456789012345678901234567890, "text": "x"}"#,
        r#"{"text": "a", "text": "Das ist schlecht"}"#,
        r#"{"text": "Das ist gut", "text": 5}"#,
        r#"{"text": 5, "text": "Das ist gut"}"#,
        r#"{"id": 1, "id": 2, "text": "gut", "id": 3}"#,
        r#"{"tone": "mine", "raw": [1], "zzz": {"b": 1, "a": [true, false, null]}, "text": "gut"}"#,
        r#"{"explanation": 1, "text": "nicht gut", "": "empty key"}"#,
        r#"{"nested": {"text": "inner"}, "list": [{"y": 1, "x": 2}, "s\n"], "text": "sehr gut"}"#,
        r#"  {"text" : "spaces around" }  "#,
        r#"{"text": ""}"#,
        r#"{"text": " "}"#,
        r#"{"id": 1}"#,
        r#"{}"#,
        r#"{"text": null}"#,
        r#"{"text": ["gut"]}"#,
        r#"{"id": 1, "text": "Kriegstreiber, \"Idioten\" – Präventivkrieg 😉"}"#,
        r#"{"a\"b": 1, "a\\b": 2, "a/b": 3, "text": "x"}"#,
        r#"{"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], "text": "gut"}"#,
    ];

    #[test]
    fn json_lines_are_written_as_the_value_round_trip_wrote_them() {
        // All but the last (nested beyond serde_json's limit) are read in one pass.
        let mut fields = jsonl::Fields::default();
        for line in &OBJECTS[..OBJECTS.len() - 1] {
            assert!(fields.read(line).is_ok(), "{line}");
        }
        assert!(fields.read(OBJECTS[OBJECTS.len() - 1]).is_err());
        for explain in [false, true] {
            let a = args(true, explain);
            let mut renderer = Renderer::new(analyzer(), &a);
            for line in OBJECTS {
                check_json_line(&mut renderer, line);
            }
            for line in [
                "",
                "   ",
                "\t",
                "not json",
                "[1, 2]",
                "\"text\"",
                "42",
                "null",
                r#"{"text": "a"} trailing"#,
                r#"{"text": "a",}"#,
                r#"{"text": "a" "id": 1}"#,
                r#"{"text": "\ud800"}"#,
                r#"{"text": "a", "x": 1e400}"#,
                r#"{"text": "a", "x": 01}"#,
                r#"{1: "a"}"#,
            ] {
                check_json_line(&mut renderer, line);
            }
        }
    }

    /// A chunk of JSON lines is scored in batches: its bytes and skipped lines are those of
    /// its lines scored one chunk each, whatever mix of texts, blank lines and bad lines fills
    /// a batch.
    #[test]
    fn json_lines_in_batches_are_those_scored_one_by_one() {
        let kinds = [
            r#"{"id": 1, "text": "Des isch lei guat, net?"}"#,
            "",
            r#"{"id": 2, "text": "Das ist \"gar nicht\" schlecht!!"}"#,
            "not json",
            r#"{"id": 3, "body": "no text"}"#,
            "[1, 2]",
            "   ",
            r#"{"text": "Super, wieder ein Idiot 🙄", "page": 7}"#,
        ];
        for step in 1..kinds.len() {
            let lines: Vec<&str> = (0..3 * BATCH + 5)
                .map(|k| kinds[(k * step) % kinds.len()])
                .collect();
            let a = args(true, false);
            let mut batched = Renderer::new(analyzer(), &a);
            let got = batched.chunk(format!("{}\n", lines.join("\n")).as_bytes());
            let mut single = Renderer::new(analyzer(), &a);
            let (mut bytes, mut skipped) = (Vec::new(), Vec::new());
            for (k, line) in lines.iter().enumerate() {
                let one = single.chunk(format!("{line}\n").as_bytes());
                bytes.extend_from_slice(&one.bytes);
                skipped.extend(one.skipped.into_iter().map(|(_, m)| (k, m)));
            }
            assert_eq!(got.lines, lines.len());
            assert_eq!(
                String::from_utf8_lossy(&got.bytes),
                String::from_utf8_lossy(&bytes)
            );
            assert_eq!(got.skipped, skipped, "step {step}");
        }
    }

    #[test]
    fn every_cut_json_line_is_skipped_with_the_same_message() {
        let a = args(true, false);
        let mut renderer = Renderer::new(analyzer(), &a);
        for line in OBJECTS {
            for (cut, _) in line.char_indices() {
                check_json_line(&mut renderer, &line[..cut]);
            }
        }
    }

    #[test]
    fn nesting_beyond_serde_jsons_limit_is_invalid_as_before() {
        let a = args(true, false);
        let mut renderer = Renderer::new(analyzer(), &a);
        for depth in [125, 126, 127, 128, 129, 200] {
            let line = format!(
                r#"{{"text": "gut", "deep": {}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            check_json_line(&mut renderer, &line);
        }
    }

    /// A JSON value for an input field: scalars, strings with escapes, small arrays and objects.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "(?s:.{0,12})".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::vec(("[a-z\"\\\\]{0,3}", inner), 0..4)
                    .prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_json_object_line_is_written_as_before(
            fields in proptest::collection::vec(
                (prop_oneof!["[a-z_]{1,8}", "(?s:.{0,6})", Just("text".to_string()),
                             Just("tone".to_string())],
                 json_value()),
                0..5,
            ),
            text in proptest::option::of("(?s:.{0,40})"),
            text_at in 0usize..6,
            pretty in any::<bool>(),
        ) {
            // Written by hand, so that key order and duplicates are the input's.
            let mut parts: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), v))
                .collect();
            if let Some(text) = text {
                parts.insert(text_at.min(parts.len()), format!("\"text\": {}", Value::from(text)));
            }
            let sep = if pretty { " ,\t" } else { "," };
            let line = format!("{{{}}}", parts.join(sep));
            prop_assert!(jsonl::Fields::default().read(&line).is_ok(), "{}", line);
            let a = args(true, false);
            let mut renderer = Renderer::new(analyzer(), &a);
            check_json_line(&mut renderer, &line);
        }

        #[test]
        fn a_row_written_from_the_scorer_is_that_of_the_result(text in "(?s:.{0,60})") {
            let mut scorer = analyzer().scorer();
            let mut row = Vec::new();
            write_csv_row(&mut row, &scorer.score(&text));
            let mut scored = Vec::new();
            scorer.score_with(&text, |s| write_scored_row(&mut scored, s));
            prop_assert_eq!(String::from_utf8_lossy(&scored), String::from_utf8_lossy(&row));
        }

        #[test]
        fn any_result_is_written_as_before(
            numbers in proptest::collection::vec(
                prop_oneof![-2.0..2.0f64, any::<f64>(), Just(0.0), Just(-0.0), Just(0.00005)],
                8,
            ),
            text in "(?s:.{0,30})",
            terms in "[a-z>|(),\"+.0-9 ]{0,30}",
            categories in proptest::collection::vec("(?s:.{0,8})", 0..3),
            irony in proptest::option::of("(?s:.{0,8})"),
            quoted in any::<bool>(),
            labels in (0usize..3, 0usize..3),
        ) {
            let r = ToneResult {
                tone: numbers[0],
                tone_label: ToneLabel::ALL[labels.0],
                pos: numbers[1],
                neg: numbers[2],
                neu: numbers[3],
                raw: numbers[4],
                incivility: numbers[5],
                incivility_categories: categories,
                irony,
                quoted_tone: quoted.then_some(numbers[6]),
                dialect_share: numbers[7],
                dialect_label: [DialectLabel::Standard, DialectLabel::Mixed, DialectLabel::Dialect][labels.1],
                text_normalized: text,
                matched_terms: terms,
            };
            let mut row = Vec::new();
            write_csv_row(&mut row, &r);
            let want = csv_crate_row(&r);
            prop_assert_eq!(String::from_utf8_lossy(&row), String::from_utf8_lossy(&want));
            let mut fields = jsonl::Fields::default();
            let no_text = matches!(fields.parse(r#"{"id": 1}"#), jsonl::Parsed::NoText);
            prop_assert!(no_text);
            let mut line = Vec::new();
            fields.write(&mut line, &jsonl::RESULT_KEYS, |o, k| jsonl::push_result_value(o, &r, k));
            let mut want = value_of(&r);
            want.insert("id".into(), Value::from(1));
            prop_assert_eq!(
                String::from_utf8_lossy(&line),
                format!("{}\n", Value::Object(want))
            );
        }
    }

    #[test]
    fn result_keys_are_the_serialised_fields_in_order_and_need_no_escapes() {
        let names: Vec<&str> = jsonl::RESULT_KEYS.iter().map(|k| k.name).collect();
        let want: Vec<String> = value_of(&ToneResult::default()).keys().cloned().collect();
        assert_eq!(names, want);
        for key in jsonl::RESULT_KEYS.iter().chain(&jsonl::EXPLANATION_KEY) {
            let mut json = Vec::new();
            crate::output::json_bytes::push_str(&mut json, key.name);
            json.push(b':');
            let mut got = Vec::new();
            key.append_to(&mut got);
            assert_eq!(got, json);
        }
        for label in ToneLabel::ALL {
            assert_eq!(serde_json::to_value(label).unwrap(), label.as_str());
        }
        for label in [
            DialectLabel::Standard,
            DialectLabel::Mixed,
            DialectLabel::Dialect,
        ] {
            assert_eq!(serde_json::to_value(label).unwrap(), label.as_str());
        }
    }

    #[test]
    fn csv_rows_of_seed_lines_are_written_as_the_csv_crate_wrote_them() {
        let seed = std::fs::read_to_string("seeds/003_37f2beed3ee40e28.txt").expect("seed");
        let mut scorer = analyzer().scorer();
        let mut result = ToneResult::default();
        for line in seed
            .lines()
            .chain(["", " a, b ", "\"quoted\"", "cr\rin the middle", "x\"\"y"])
        {
            scorer.score_into(line, &mut result);
            let mut row = Vec::new();
            write_csv_row(&mut row, &result);
            assert_eq!(row, csv_crate_row(&result), "{line}");
            let mut scored = Vec::new();
            scorer.score_with(line, |s| write_scored_row(&mut scored, s));
            assert_eq!(scored, row, "{line}");
        }
        let mut header = csv::Writer::from_writer(Vec::new());
        header.write_record(CSV_HEADER).unwrap();
        let mut out = Vec::new();
        score_all(
            analyzer(),
            &ScoreArgs {
                text: Some("gut".into()),
                ..args(false, false)
            },
            &mut out,
        )
        .unwrap();
        assert!(out.starts_with(&header.into_inner().unwrap()));
    }

    /// Lines as `BufRead::read_line` cut them, with the line ends removed as before.
    fn read_line_lines(input: &[u8]) -> Vec<String> {
        let mut reader = std::io::BufReader::new(input);
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 {
                return lines;
            }
            let l = line
                .strip_suffix('\n')
                .map_or(line.as_str(), |l| l.strip_suffix('\r').unwrap_or(l));
            lines.push(l.strip_suffix('\r').unwrap_or(l).to_string());
        }
    }

    /// Gives `bytes` in reads of the sizes in `sizes` (cycled), then fails if `fail`.
    struct Trickle<'a> {
        bytes: &'a [u8],
        sizes: &'a [usize],
        n: usize,
        fail: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.bytes.is_empty() && self.fail {
                return Err(std::io::Error::other("gone"));
            }
            let size = self.sizes[self.n % self.sizes.len()];
            self.n += 1;
            if size == 0 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let k = size.min(buf.len()).min(self.bytes.len());
            buf[..k].copy_from_slice(&self.bytes[..k]);
            self.bytes = &self.bytes[k..];
            Ok(k)
        }
    }

    fn chunk_lines(input: &[u8], sizes: &[usize], fail: bool) -> (Vec<String>, bool) {
        let mut chunks = LineChunks::new(Trickle {
            bytes: input,
            sizes,
            n: 0,
            fail,
        });
        let mut lines = Vec::new();
        while let Some(chunk) = chunks.next_chunk() {
            let text = std::str::from_utf8(&chunk).unwrap();
            assert!(chunks.done || text.ends_with('\n'));
            lines.extend(
                text.split_inclusive('\n')
                    .map(|l| trim_line_end(l).to_string()),
            );
        }
        (lines, chunks.error.is_some())
    }

    #[test]
    fn chunks_cut_lines_as_read_line_does() {
        let mut input = String::new();
        for k in 0..5000 {
            input.push_str(&"wort ".repeat(k % 97));
            input.push_str(["\n", "\r\n", "\r\r\n", "\n\n", "\r\n\r\n", "\r \n"][k % 6]);
        }
        // One line longer than a chunk, and no line end at the very end.
        input.push_str(&"x".repeat(3 * CHUNK_BYTES));
        input.push_str("\nlast line\r");
        let want = read_line_lines(input.as_bytes());
        for sizes in [
            &[usize::MAX][..],
            &[1, 7, 0, 4096],
            &[65_536],
            &[100_000, 3],
        ] {
            let (got, failed) = chunk_lines(input.as_bytes(), sizes, false);
            assert!(!failed);
            assert_eq!(got.len(), want.len());
            assert!(got == want, "reads of {sizes:?}");
        }
        for end in ["", "\n", "\r", "\r\n", "a", "a\r\r"] {
            assert_eq!(
                chunk_lines(end.as_bytes(), &[3], false).0,
                read_line_lines(end.as_bytes()),
                "{end:?}"
            );
        }
    }

    #[test]
    fn a_read_error_keeps_the_whole_lines_before_it() {
        let (lines, failed) = chunk_lines(b"one\ntwo\nthr", &[5], true);
        assert!(failed);
        assert_eq!(lines, ["one", "two"]);
    }

    /// The lines of a chunk as they were cut before: all of it checked for UTF-8 at once,
    /// then cut after each "\n", and whether a line was not UTF-8.
    fn lines_checked_at_once(bytes: &[u8]) -> (Vec<&str>, bool) {
        let (valid, invalid) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, false),
            Err(e) => {
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap();
                (&valid[..valid.rfind('\n').map_or(0, |p| p + 1)], true)
            }
        };
        (valid.split_inclusive('\n').collect(), invalid)
    }

    fn lines_one_by_one(mut bytes: &[u8]) -> (Vec<&str>, bool) {
        let mut lines = Vec::new();
        while !bytes.is_empty() {
            let Some(line) = first_line(bytes) else {
                return (lines, true);
            };
            lines.push(line);
            bytes = &bytes[line.len()..];
        }
        (lines, false)
    }

    #[test]
    fn utf8_lines_are_cut_and_checked_as_the_standard_library_checks_them() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let pair = [a, b];
                assert_eq!(
                    lines_one_by_one(&pair),
                    lines_checked_at_once(&pair),
                    "{pair:x?}"
                );
            }
        }
        // Every byte value around a boundary of the table of well-formed sequences, and the
        // line end.
        let edges = [
            0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
            0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ];
        // Beyond the second byte only whether a byte continues a character matters.
        let later = [0x00, 0x0A, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xFF];
        // Each sequence alone, after ASCII that ends within or at the end of a block or a
        // word, and followed by more.
        for pad in [0, 5, 8, 13, 29, 30, 31, 32, 40] {
            for &a in &edges {
                for &b in &edges {
                    for &c in &later {
                        for &d in &later {
                            let mut bytes = vec![b'x'; pad];
                            bytes.extend_from_slice(&[a, b, c, d]);
                            for len in [pad + 1, pad + 2, pad + 3, pad + 4] {
                                let bytes = &bytes[..len];
                                assert_eq!(
                                    lines_one_by_one(bytes),
                                    lines_checked_at_once(bytes),
                                    "{bytes:x?}"
                                );
                            }
                            bytes.extend_from_slice(
                                "ü and more text,\n well past a word".as_bytes(),
                            );
                            assert_eq!(lines_one_by_one(&bytes), lines_checked_at_once(&bytes));
                        }
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_bytes_are_cut_and_checked_as_the_standard_library_checks_them(
            parts in proptest::collection::vec(
                prop_oneof![
                    "[a-z \n]{0,40}".prop_map(String::into_bytes),
                    "\\PC{0,12}".prop_map(String::into_bytes),
                    proptest::collection::vec(any::<u8>(), 0..6),
                ],
                0..8,
            ),
        ) {
            let bytes = parts.concat();
            prop_assert_eq!(lines_one_by_one(&bytes), lines_checked_at_once(&bytes));
        }
    }

    #[test]
    fn a_line_that_is_not_utf8_ends_the_chunk_after_the_lines_before_it() {
        let a = args(false, false);
        let mut renderer = Renderer::new(analyzer(), &a);
        let out = renderer.chunk(b"Das ist gut\nnicht \xff gut\nschlecht\n");
        assert!(out.invalid_utf8);
        assert_eq!(out.lines, 1);
        let mut row = Vec::new();
        write_csv_row(&mut row, &analyzer().score("Das ist gut"));
        assert_eq!(out.bytes, row);
        let out = renderer.chunk(b"\xc3");
        assert!(out.invalid_utf8 && out.lines == 0 && out.bytes.is_empty());
    }
}
