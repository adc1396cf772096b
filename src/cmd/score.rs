//! `stimmung score`: tone of free text — the TEXT argument or one text per stdin line — as CSV
//! rows, JSON lines (`--jsonl`) or term-by-term explanations (`--explain`).

use std::io::{BufRead, Write};

use serde_json::{Map, Value};

use crate::cmd::{Exit, LexiconArgs};
use crate::output::fixed::push_fixed;
use crate::tone::{Analyzer, Scorer, ToneResult};
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

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Writes the CSV row of one result, numbers with four decimals. `num` is scratch space, so
/// that a row costs no allocation.
pub fn write_csv_row<W: Write>(
    csv: &mut csv::Writer<W>,
    r: &ToneResult,
    num: &mut String,
) -> csv::Result<()> {
    let mut number = |csv: &mut csv::Writer<W>, x: f64| {
        num.clear();
        push_fixed(num, x, 4, false);
        csv.write_field(num.as_bytes())
    };
    number(csv, r.tone)?;
    csv.write_field(r.tone_label.as_str())?;
    number(csv, r.pos)?;
    number(csv, r.neg)?;
    number(csv, r.neu)?;
    number(csv, r.incivility)?;
    number(csv, r.dialect_share)?;
    csv.write_field(r.dialect_label.as_str())?;
    csv.write_field(&r.text_normalized)?;
    csv.write_field(&r.matched_terms)?;
    csv.write_record(None::<&[u8]>)
}

/// The JSON object of one result, numbers rounded to four decimals.
pub fn json_value(r: &ToneResult) -> Map<String, Value> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(r) else {
        return Map::new();
    };
    for v in map.values_mut() {
        if let Some(x) = v.as_f64() {
            *v = Value::from(round4(x));
        }
    }
    map
}

fn write_err(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}

fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => write_err(io),
        other => Error::Usage(format!("writing CSV: {other:?}")),
    }
}

/// Lines one worker scores at a time: enough to make handing them over cheap, few enough that
/// the lines under way stay a small, bounded amount of memory.
const CHUNK_LINES: usize = 512;
/// Chunks between reading and writing at most.
const WINDOW_CHUNKS: usize = 16;

/// Consecutive input lines in one buffer (one allocation per chunk, not per line).
#[derive(Default)]
struct Chunk {
    /// Input line number of the first line, 1-based.
    first_line: usize,
    text: String,
    /// End of each line in `text`.
    ends: Vec<usize>,
}

impl Chunk {
    fn lines(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let line = &self.text[start..end];
            start = end;
            line
        })
    }
}

/// The output of a chunk: the bytes for stdout and, per skipped line, the message for stderr.
#[derive(Default)]
struct Rendered {
    bytes: Vec<u8>,
    skipped: Vec<String>,
}

/// Scores the lines of a chunk into output bytes. Each chunk is rendered on its own, so the
/// bytes do not depend on how the input was cut into chunks.
fn render(scorer: &mut Scorer, args: &ScoreArgs, chunk: &Chunk) -> Rendered {
    let mut out = Rendered::default();
    if !args.jsonl && !args.explain {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(chunk.ends.len() * 400));
        let mut num = String::new();
        let mut result = ToneResult::default();
        for line in chunk.lines() {
            scorer.score_into(line, &mut result);
            // Writing into memory cannot fail.
            let _ = write_csv_row(&mut csv, &result, &mut num);
        }
        out.bytes = csv.into_inner().unwrap_or_default();
        return out;
    }
    let w = &mut out.bytes;
    for (k, line) in chunk.lines().enumerate() {
        if !args.jsonl {
            let _ = writeln!(w, "{}", scorer.explain(line));
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let n = chunk.first_line + k;
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut map)) => match map.remove("text") {
                Some(Value::String(text)) => {
                    if args.explain {
                        let explanation =
                            serde_json::to_value(scorer.explain(&text)).unwrap_or(Value::Null);
                        map.insert("explanation".into(), explanation);
                    } else {
                        map.extend(json_value(&scorer.score(&text)));
                    }
                    let _ = writeln!(w, "{}", Value::Object(map));
                }
                _ => out
                    .skipped
                    .push(format!("<stdin>:{n}: no string field \"text\"; skipped")),
            },
            Ok(_) => out
                .skipped
                .push(format!("<stdin>:{n}: not a JSON object; skipped")),
            Err(e) => out
                .skipped
                .push(format!("<stdin>:{n}: invalid JSON ({e}); skipped")),
        }
    }
    out
}

pub fn run(args: &ScoreArgs) -> Result<Exit, Error> {
    // Lexicons first: a malformed line must stop the run before any output is written.
    let analyzer = Analyzer::load(&args.lexicon)?;
    score_all(&analyzer, args, std::io::stdout().lock())
}

/// Reads up to [`CHUNK_LINES`] lines into `chunk`; false at the end of the input.
fn read_chunk<R: BufRead>(input: &mut R, chunk: &mut Chunk) -> std::io::Result<bool> {
    while chunk.ends.len() < CHUNK_LINES {
        let start = chunk.text.len();
        if input.read_line(&mut chunk.text)? == 0 {
            return Ok(false);
        }
        // As `BufRead::lines` gives it (without "\n" or "\r\n"), then one more trailing
        // "\r" removed.
        let line = &chunk.text[start..];
        let l = line
            .strip_suffix('\n')
            .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
        let len = l.strip_suffix('\r').unwrap_or(l).len();
        chunk.text.truncate(start + len);
        chunk.ends.push(chunk.text.len());
    }
    Ok(true)
}

fn score_all<W: Write>(analyzer: &Analyzer, args: &ScoreArgs, w: W) -> Result<Exit, Error> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, w);
    if !args.jsonl && !args.explain {
        let mut header = csv::Writer::from_writer(Vec::new());
        header.write_record(CSV_HEADER).map_err(csv_err)?;
        out.write_all(&header.into_inner().unwrap_or_default())
            .map_err(write_err)?;
    }
    if let Some(text) = &args.text {
        if args.jsonl {
            return Err(Error::Usage(
                "--jsonl reads JSON lines from stdin; do not give a TEXT argument".into(),
            ));
        }
        let chunk = Chunk {
            first_line: 1,
            ends: vec![text.len()],
            text: text.clone(),
        };
        let rendered = render(&mut analyzer.scorer(), args, &chunk);
        out.write_all(&rendered.bytes).map_err(write_err)?;
        out.flush().map_err(write_err)?;
        return Ok(Exit::Success);
    }
    let threads = match args.threads {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut skipped = 0usize;
    let mut input = std::io::BufReader::with_capacity(1 << 20, std::io::stdin().lock());
    let mut read_error = None;
    let mut first_line = 1;
    let mut more = true;
    let chunks = std::iter::from_fn(|| {
        if !more {
            return None;
        }
        let mut chunk = Chunk {
            first_line,
            ..Chunk::default()
        };
        match read_chunk(&mut input, &mut chunk) {
            Ok(m) => more = m,
            Err(e) => {
                more = false;
                read_error = Some(Error::io("<stdin>", e));
            }
        }
        first_line += chunk.ends.len();
        (!chunk.ends.is_empty()).then_some(chunk)
    });
    crate::parallel::ordered_map(
        threads,
        WINDOW_CHUNKS,
        chunks,
        || analyzer.scorer(),
        |scorer, chunk| render(scorer, args, &chunk),
        |part| {
            out.write_all(&part.bytes).map_err(write_err)?;
            for message in part.skipped {
                skipped += 1;
                eprintln!("stimmung: {message}");
            }
            Ok::<(), Error>(())
        },
    )?;
    out.flush().map_err(write_err)?;
    if let Some(e) = read_error {
        return Err(e);
    }
    Ok(if skipped > 0 {
        Exit::SomeInputsSkipped
    } else {
        Exit::Success
    })
}
