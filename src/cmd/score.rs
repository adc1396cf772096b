//! `stimmung score`: tone of free text — the TEXT argument or one text per stdin line — as CSV
//! rows, JSON lines (`--jsonl`) or term-by-term explanations (`--explain`).

use std::io::{BufRead, Write};

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

/// The CSV row of one result, numbers with four decimals.
pub fn csv_row(r: &ToneResult) -> [String; 10] {
    [
        format!("{:.4}", r.tone),
        r.tone_label.as_str().to_string(),
        format!("{:.4}", r.pos),
        format!("{:.4}", r.neg),
        format!("{:.4}", r.neu),
        format!("{:.4}", r.incivility),
        format!("{:.4}", r.dialect_share),
        r.dialect_label.as_str().to_string(),
        r.text_normalized.clone(),
        r.matched_terms.clone(),
    ]
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

enum Output<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Plain(W),
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

impl<W: Write> Output<W> {
    fn new(w: W, args: &ScoreArgs) -> Result<Self, Error> {
        if args.explain || args.jsonl {
            return Ok(Output::Plain(w));
        }
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(CSV_HEADER).map_err(csv_err)?;
        Ok(Output::Csv(Box::new(csv)))
    }

    fn text(&mut self, analyzer: &Analyzer, args: &ScoreArgs, text: &str) -> Result<(), Error> {
        match self {
            Output::Csv(csv) => csv
                .write_record(csv_row(&analyzer.score(text)))
                .map_err(csv_err),
            Output::Plain(w) => {
                if args.explain {
                    writeln!(w, "{}", analyzer.explain(text)).map_err(write_err)
                } else {
                    let v = Value::Object(json_value(&analyzer.score(text)));
                    writeln!(w, "{v}").map_err(write_err)
                }
            }
        }
    }

    fn json_line(
        &mut self,
        analyzer: &Analyzer,
        args: &ScoreArgs,
        mut input: Map<String, Value>,
        text: &str,
    ) -> Result<(), Error> {
        let Output::Plain(w) = self else {
            return Ok(());
        };
        input.remove("text");
        if args.explain {
            let explanation = serde_json::to_value(analyzer.explain(text)).unwrap_or(Value::Null);
            input.insert("explanation".into(), explanation);
        } else {
            input.extend(json_value(&analyzer.score(text)));
        }
        writeln!(w, "{}", Value::Object(input)).map_err(write_err)
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Output::Csv(mut csv) => csv.flush().map_err(write_err),
            Output::Plain(mut w) => w.flush().map_err(write_err),
        }
    }
}

pub fn run(args: &ScoreArgs) -> Result<Exit, Error> {
    // Lexicons first: a malformed line must stop the run before any output is written.
    let analyzer = Analyzer::load(&args.lexicon)?;
    score_all(&analyzer, args, std::io::stdout().lock())
}

fn score_all<W: Write>(analyzer: &Analyzer, args: &ScoreArgs, w: W) -> Result<Exit, Error> {
    let mut out = Output::new(std::io::BufWriter::new(w), args)?;
    if let Some(text) = &args.text {
        if args.jsonl {
            return Err(Error::Usage(
                "--jsonl reads JSON lines from stdin; do not give a TEXT argument".into(),
            ));
        }
        out.text(analyzer, args, text)?;
        out.finish()?;
        return Ok(Exit::Success);
    }
    let mut skipped = 0usize;
    let stdin = std::io::stdin();
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| Error::io("<stdin>", e))?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if !args.jsonl {
            out.text(analyzer, args, line)?;
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => match map.get("text").and_then(Value::as_str) {
                Some(text) => {
                    let text = text.to_string();
                    out.json_line(analyzer, args, map, &text)?;
                }
                None => {
                    skipped += 1;
                    eprintln!(
                        "stimmung: <stdin>:{}: no string field \"text\"; skipped",
                        n + 1
                    );
                }
            },
            Ok(_) => {
                skipped += 1;
                eprintln!("stimmung: <stdin>:{}: not a JSON object; skipped", n + 1);
            }
            Err(e) => {
                skipped += 1;
                eprintln!("stimmung: <stdin>:{}: invalid JSON ({e}); skipped", n + 1);
            }
        }
    }
    out.finish()?;
    Ok(if skipped > 0 {
        Exit::SomeInputsSkipped
    } else {
        Exit::Success
    })
}
