//! `stimmung score`: tone of free text — the TEXT argument or one text per stdin line — as CSV
//! rows, JSON lines (`--jsonl`) or term-by-term explanations (`--explain`).

use std::fmt::Write as _;
use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::cmd::{Exit, LexiconArgs};
use crate::tone::{Analyzer, ToneResult};
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
        let _ = write!(num, "{x:.4}");
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

/// Lines scored per batch: large enough to keep every thread busy, small enough that memory
/// stays bounded whatever the input size.
const BATCH_LINES: usize = 16_384;
/// Lines one worker renders at a time.
const CHUNK_LINES: usize = 512;

/// The output of a run of input lines: the bytes for stdout and, per skipped line, the message
/// for stderr.
#[derive(Default)]
struct Rendered {
    bytes: Vec<u8>,
    skipped: Vec<String>,
}

/// Scores `lines` (the first is input line `first_line`, 1-based) into output bytes. Each run
/// is rendered on its own, so the bytes do not depend on how the input was cut into runs.
fn render(analyzer: &Analyzer, args: &ScoreArgs, first_line: usize, lines: &[String]) -> Rendered {
    let mut out = Rendered::default();
    if !args.jsonl && !args.explain {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(lines.len() * 400));
        let mut num = String::new();
        for line in lines {
            // Writing into memory cannot fail.
            let _ = write_csv_row(&mut csv, &analyzer.score(line), &mut num);
        }
        out.bytes = csv.into_inner().unwrap_or_default();
        return out;
    }
    let w = &mut out.bytes;
    for (k, line) in lines.iter().enumerate() {
        if !args.jsonl {
            let _ = writeln!(w, "{}", analyzer.explain(line));
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let n = first_line + k;
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut map)) => match map.remove("text") {
                Some(Value::String(text)) => {
                    if args.explain {
                        let explanation =
                            serde_json::to_value(analyzer.explain(&text)).unwrap_or(Value::Null);
                        map.insert("explanation".into(), explanation);
                    } else {
                        map.extend(json_value(&analyzer.score(&text)));
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
    let pool = match args.threads {
        Some(1) => None,
        n => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.unwrap_or(0))
                .build()
                .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?,
        ),
    };
    score_all(&analyzer, args, pool.as_ref(), std::io::stdout().lock())
}

fn score_all<W: Write>(
    analyzer: &Analyzer,
    args: &ScoreArgs,
    pool: Option<&rayon::ThreadPool>,
    w: W,
) -> Result<Exit, Error> {
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
        let rendered = render(analyzer, args, 1, std::slice::from_ref(text));
        out.write_all(&rendered.bytes).map_err(write_err)?;
        out.flush().map_err(write_err)?;
        return Ok(Exit::Success);
    }
    let mut skipped = 0usize;
    let mut input = std::io::BufReader::with_capacity(1 << 20, std::io::stdin().lock());
    let mut batch: Vec<String> = Vec::with_capacity(BATCH_LINES);
    let mut first_line = 1;
    loop {
        batch.clear();
        let mut eof = false;
        let mut read_error = None;
        while batch.len() < BATCH_LINES {
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) => eof = true,
                Ok(_) => {
                    // As `BufRead::lines` gives it (without "\n" or "\r\n"), then one more
                    // trailing "\r" removed.
                    let l = line
                        .strip_suffix('\n')
                        .map_or(line.as_str(), |l| l.strip_suffix('\r').unwrap_or(l));
                    let len = l.strip_suffix('\r').unwrap_or(l).len();
                    line.truncate(len);
                    batch.push(line);
                    continue;
                }
                Err(e) => read_error = Some(Error::io("<stdin>", e)),
            }
            break;
        }
        let parts: Vec<Rendered> = match pool {
            Some(pool) if batch.len() > CHUNK_LINES => pool.install(|| {
                batch
                    .par_chunks(CHUNK_LINES)
                    .enumerate()
                    .map(|(k, c)| render(analyzer, args, first_line + k * CHUNK_LINES, c))
                    .collect()
            }),
            _ => vec![render(analyzer, args, first_line, &batch)],
        };
        for part in parts {
            out.write_all(&part.bytes).map_err(write_err)?;
            for message in part.skipped {
                skipped += 1;
                eprintln!("stimmung: {message}");
            }
        }
        first_line += batch.len();
        if let Some(e) = read_error {
            out.flush().map_err(write_err)?;
            return Err(e);
        }
        if eof {
            break;
        }
    }
    out.flush().map_err(write_err)?;
    Ok(if skipped > 0 {
        Exit::SomeInputsSkipped
    } else {
        Exit::Success
    })
}
