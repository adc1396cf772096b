//! `stimmung diff --lexicons A --lexicons B PATH…`: which texts change label, or move more than a
//! threshold in tone, between two lexicon versions, and the entries responsible: every term
//! whose contribution differs between the two scorings, with both lexicon lines.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use crate::cmd::corpus::{self, CorpusArgs};
use crate::cmd::{Exit, LexiconArgs};
use crate::output::tables::excel_safe;
use crate::text::TokenKind;
use crate::tone::{Analyzer, Explanation};
use crate::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct DiffArgs {
    /// The two lexicon folders to compare: --lexicons A --lexicons B
    #[arg(long = "lexicons", value_name = "DIR", num_args = 1, required = true)]
    pub lexicons: Vec<PathBuf>,
    /// Override file layered on version B only (repeatable): compare a folder with its overlay
    #[arg(long = "overlay-b", value_name = "FILE")]
    pub overlay_b: Vec<PathBuf>,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Report a text whose tone moves by more than this, even when its label stays
    #[arg(long, value_name = "X", default_value_t = 0.2)]
    pub threshold: f64,
    /// Write CSV instead of a readable report
    #[arg(long)]
    pub csv: bool,
    /// With --csv: prefix cells starting with = + - @ with an apostrophe for spreadsheets
    #[arg(long)]
    pub excel_safe: bool,
}

/// A term's contribution in one scoring, keyed by where it stands in the text.
#[derive(Debug, Clone, PartialEq)]
struct Contribution {
    word: String,
    entry: String,
    value: f64,
}

fn contributions(ex: &Explanation) -> BTreeMap<usize, Contribution> {
    ex.tokens
        .iter()
        .filter(|t| t.kind != TokenKind::LineBreak)
        .filter_map(|t| {
            let value = t.contribution?;
            Some((
                t.start,
                Contribution {
                    word: t.token.clone(),
                    entry: t.entry.clone().unwrap_or_default(),
                    value,
                },
            ))
        })
        .collect()
}

/// The terms whose contribution differs, biggest change first:
/// `word a:+0.30 (polarity.tsv:12) → b:-0.20 (polarity.tsv:12)`.
pub fn responsible(a: &Explanation, b: &Explanation) -> Vec<String> {
    let (ca, cb) = (contributions(a), contributions(b));
    let mut starts: Vec<usize> = ca.keys().chain(cb.keys()).copied().collect();
    starts.sort_unstable();
    starts.dedup();
    let mut out: Vec<(f64, String)> = Vec::new();
    let side = |c: Option<&Contribution>| match c {
        Some(c) => format!("{:+.2} ({})", c.value, c.entry),
        None => "–".to_string(),
    };
    for s in starts {
        let (x, y) = (ca.get(&s), cb.get(&s));
        let (vx, vy) = (x.map_or(0.0, |c| c.value), y.map_or(0.0, |c| c.value));
        let same_entry = x.map(|c| &c.entry) == y.map(|c| &c.entry);
        if (vx - vy).abs() < 1e-9 && same_entry {
            continue;
        }
        let word = x.or(y).map_or("", |c| c.word.as_str());
        out.push((
            (vx - vy).abs(),
            format!("{word} a:{} → b:{}", side(x), side(y)),
        ));
    }
    out.sort_by(|p, q| q.0.total_cmp(&p.0));
    out.into_iter().map(|(_, s)| s).collect()
}

/// One text that changed.
#[derive(Debug, Clone)]
pub struct Change {
    pub article: String,
    pub place: String,
    pub label_a: &'static str,
    pub label_b: &'static str,
    pub tone_a: f64,
    pub tone_b: f64,
    pub entries: Vec<String>,
    pub text: String,
}

/// Scores every text with both analyzers and keeps those that change label or move more than
/// `threshold`.
pub fn compare(
    a: &Analyzer,
    b: &Analyzer,
    texts: &[corpus::CorpusText],
    threshold: f64,
) -> Vec<Change> {
    let (mut sa, mut sb) = (a.scorer(), b.scorer());
    texts
        .iter()
        .filter_map(|item| {
            let (ea, eb) = (sa.explain(&item.text), sb.explain(&item.text));
            let (ra, rb) = (&ea.result, &eb.result);
            let moved = (ra.tone - rb.tone).abs() > threshold;
            if ra.tone_label == rb.tone_label && !moved {
                return None;
            }
            Some(Change {
                article: item.article.clone(),
                place: item.place.clone(),
                label_a: ra.tone_label.as_str(),
                label_b: rb.tone_label.as_str(),
                tone_a: ra.tone,
                tone_b: rb.tone,
                entries: responsible(&ea, &eb),
                text: item.text.clone(),
            })
        })
        .collect()
}

pub fn run(args: &DiffArgs) -> Result<Exit, Error> {
    let [dir_a, dir_b] = args.lexicons.as_slice() else {
        return Err(Error::Usage(
            "diff needs exactly two lexicon folders: --lexicons A --lexicons B".into(),
        ));
    };
    if !(0.0..=2.0).contains(&args.threshold) {
        return Err(Error::Usage("--threshold must lie within 0 … 2".into()));
    }
    let a = Analyzer::load(&LexiconArgs {
        lexicons: Some(dir_a.clone()),
        overlay: Vec::new(),
    })?;
    let b = Analyzer::load(&LexiconArgs {
        lexicons: Some(dir_b.clone()),
        overlay: args.overlay_b.clone(),
    })?;
    let corpus = corpus::read(&args.corpus, dir_a)?;
    let changes = compare(&a, &b, &corpus.texts, args.threshold);
    let labels = changes.iter().filter(|c| c.label_a != c.label_b).count();
    let io_err = |e: std::io::Error| Error::io("<stdout>", e);
    let out = std::io::stdout().lock();
    if args.csv {
        let mut w = csv::Writer::from_writer(out);
        let csv_err = |e: csv::Error| match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::io("<stdout>", io),
            other => Error::Usage(format!("writing CSV: {other:?}")),
        };
        w.write_record([
            "article", "comment", "label_a", "label_b", "tone_a", "tone_b", "delta", "entries",
            "text",
        ])
        .map_err(csv_err)?;
        for c in &changes {
            let row = [
                c.article.clone(),
                c.place.clone(),
                c.label_a.to_string(),
                c.label_b.to_string(),
                format!("{:.4}", c.tone_a),
                format!("{:.4}", c.tone_b),
                format!("{:.4}", c.tone_b - c.tone_a),
                c.entries.join(" | "),
                c.text.clone(),
            ];
            if args.excel_safe {
                w.write_record(row.iter().map(|s| excel_safe(s).into_owned()))
                    .map_err(csv_err)?;
            } else {
                w.write_record(&row).map_err(csv_err)?;
            }
        }
        w.flush().map_err(io_err)?;
    } else {
        let mut out = std::io::BufWriter::new(out);
        for c in &changes {
            writeln!(
                out,
                "{}#{}: {} → {} (tone {:+.3} → {:+.3})",
                c.article, c.place, c.label_a, c.label_b, c.tone_a, c.tone_b
            )
            .map_err(io_err)?;
            for e in &c.entries {
                writeln!(out, "    {e}").map_err(io_err)?;
            }
            let flat: String = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = flat.chars().take(120).collect();
            let cut = if flat.chars().count() > 120 {
                "…"
            } else {
                ""
            };
            writeln!(out, "    text: {short}{cut}").map_err(io_err)?;
        }
        out.flush().map_err(io_err)?;
    }
    eprintln!(
        "{} texts; {} changed ({} label changes, threshold {})",
        corpus.texts.len(),
        changes.len(),
        labels,
        args.threshold
    );
    Ok(if corpus.skipped > 0 {
        Exit::SomeInputsSkipped
    } else {
        Exit::Success
    })
}
