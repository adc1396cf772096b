//! `stimmung eval GOLD`: compares tone labels with a gold file (columns `label`, `text`; TSV or
//! CSV) and prints accuracy, macro-F1, per-class precision/recall/F1, the confusion matrix and
//! the lexicon entries most often involved in wrong predictions (`file:line`, so the linguist
//! knows which line to edit next).
//!
//! TSV cannot hold a line break inside a field, so in `.tsv` gold files the two characters `\n`
//! stand for a line break (and `\t` for a tab); comments keep their line structure that way.

use crate::cmd::stdout_error;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::{Exit, LexiconArgs};
use crate::lexicon::{LexiconError, TsvFile};
use crate::tone::{Analyzer, Explanation, ToneLabel};
use crate::Error;

#[derive(clap::Args, Debug, Clone)]
pub struct EvalArgs {
    /// Gold file with columns label (negative / neutral / positive) and text; .tsv or .csv
    pub gold: PathBuf,
    /// Also list every misclassified text with its tone and matched terms
    #[arg(long)]
    pub show_errors: bool,
    /// How many lexicon entries involved in wrong predictions to list
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
}

/// One gold line: where it is, its label and text.
#[derive(Debug, Clone)]
pub struct GoldItem {
    pub line: usize,
    pub label: ToneLabel,
    pub text: String,
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    s.replace("\\n", "\n").replace("\\t", "\t")
}

fn bad_label(path: &Path, line: usize, raw: &str) -> LexiconError {
    LexiconError::new(
        path,
        line,
        format!("label '{raw}' is not negative, neutral or positive"),
    )
}

/// Reads a gold file (`.csv` with the csv crate, anything else as TSV).
pub fn read_gold(path: &Path) -> Result<Vec<GoldItem>, Error> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !is_csv {
        let file = TsvFile::read(path, &["label", "text"])?;
        let mut items = Vec::with_capacity(file.records.len());
        for rec in &file.records {
            let raw = file.text(rec, "label")?;
            let label = ToneLabel::parse(raw).ok_or_else(|| bad_label(path, rec.line, raw))?;
            items.push(GoldItem {
                line: rec.line,
                label,
                text: unescape(file.text(rec, "text")?),
            });
        }
        return Ok(items);
    }
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| LexiconError::new(path, 1, format!("header lacks column '{name}'")))
    };
    let (label_col, text_col) = (col("label")?, col("text")?);
    let mut items = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let raw = record.get(label_col).unwrap_or("");
        let label = ToneLabel::parse(raw).ok_or_else(|| bad_label(path, line, raw))?;
        items.push(GoldItem {
            line,
            label,
            text: record.get(text_col).unwrap_or("").to_string(),
        });
    }
    Ok(items)
}

/// Agreement of predicted with gold labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// confusion[gold][predicted], in [`ToneLabel::ALL`] order.
    pub confusion: [[usize; 3]; 3],
}

fn index(l: ToneLabel) -> usize {
    match l {
        ToneLabel::Negative => 0,
        ToneLabel::Neutral => 1,
        ToneLabel::Positive => 2,
    }
}

impl Metrics {
    pub fn new(pairs: impl IntoIterator<Item = (ToneLabel, ToneLabel)>) -> Metrics {
        let mut confusion = [[0; 3]; 3];
        for (gold, pred) in pairs {
            confusion[index(gold)][index(pred)] += 1;
        }
        Metrics { confusion }
    }

    pub fn total(&self) -> usize {
        self.confusion.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let right: usize = (0..3).map(|i| self.confusion[i][i]).sum();
        ratio(right, self.total())
    }

    /// Precision, recall, F1 and support of one class.
    pub fn class(&self, l: ToneLabel) -> (f64, f64, f64, usize) {
        let i = index(l);
        let tp = self.confusion[i][i];
        let predicted: usize = (0..3).map(|g| self.confusion[g][i]).sum();
        let support: usize = self.confusion[i].iter().sum();
        let (p, r) = (ratio(tp, predicted), ratio(tp, support));
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f1, support)
    }

    /// Mean F1 over the classes that occur in the gold labels or the predictions.
    pub fn macro_f1(&self) -> f64 {
        let mut sum = 0.0;
        let mut n = 0;
        for l in ToneLabel::ALL {
            let i = index(l);
            let predicted: usize = (0..3).map(|g| self.confusion[g][i]).sum();
            let support: usize = self.confusion[i].iter().sum();
            if predicted + support > 0 {
                sum += self.class(l).2;
                n += 1;
            }
        }
        if n == 0 {
            0.0
        } else {
            sum / n as f64
        }
    }

    pub fn report(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "texts     {}", self.total());
        let _ = writeln!(s, "accuracy  {:.4}", self.accuracy());
        let _ = writeln!(s, "macro-F1  {:.4}", self.macro_f1());
        let _ = writeln!(s, "\nclass      precision  recall     f1  support");
        for l in ToneLabel::ALL {
            let (p, r, f, n) = self.class(l);
            let _ = writeln!(s, "{:<10} {p:>9.4} {r:>7.4} {f:>6.4} {n:>8}", l.as_str());
        }
        let _ = writeln!(s, "\nconfusion (rows: gold, columns: predicted)");
        let _ = writeln!(
            s,
            "{:<10} {:>9} {:>9} {:>9}",
            "", "negative", "neutral", "positive"
        );
        for l in ToneLabel::ALL {
            let row = self.confusion[index(l)];
            let _ = writeln!(
                s,
                "{:<10} {:>9} {:>9} {:>9}",
                l.as_str(),
                row[0],
                row[1],
                row[2]
            );
        }
        s
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// How often one lexicon entry took part in wrong and right predictions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryTally {
    /// The term as written in the lexicon (or the dialect mapping `from→to`).
    pub term: String,
    pub wrong: usize,
    pub right: usize,
}

/// Every lexicon line (`file:line`) an explanation used: tone terms, negators, intensifiers,
/// contrast markers and dialect mappings, each with its term.
pub fn entries_used(ex: &Explanation) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for t in &ex.tokens {
        if let Some(entry) = t.entry.as_ref().filter(|e| !e.is_empty()) {
            let term = t
                .entry_term
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| t.norm.clone());
            out.entry(entry.clone()).or_insert(term);
        }
        if let Some((at, mapping)) = t.dialect.as_ref().and_then(|d| d.split_once(' ')) {
            out.entry(at.to_string())
                .or_insert_with(|| mapping.to_string());
        }
    }
    out
}

/// Adds one text's entries to the tally.
fn tally(counts: &mut BTreeMap<String, EntryTally>, used: BTreeMap<String, String>, wrong: bool) {
    for (entry, term) in used {
        let t = counts.entry(entry).or_insert_with(|| EntryTally {
            term,
            ..EntryTally::default()
        });
        if wrong {
            t.wrong += 1;
        } else {
            t.right += 1;
        }
    }
}

/// The entries with the most wrong predictions (then the fewest right ones), at most `top`.
pub fn worst_entries(
    counts: &BTreeMap<String, EntryTally>,
    top: usize,
) -> Vec<(&String, &EntryTally)> {
    let mut list: Vec<_> = counts.iter().filter(|(_, t)| t.wrong > 0).collect();
    list.sort_by(|a, b| {
        b.1.wrong
            .cmp(&a.1.wrong)
            .then(a.1.right.cmp(&b.1.right))
            .then(a.0.cmp(b.0))
    });
    list.truncate(top);
    list
}

pub fn run(args: &EvalArgs) -> Result<Exit, Error> {
    let analyzer = Analyzer::load(&args.lexicon)?;
    let gold = read_gold(&args.gold)?;
    if gold.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no gold texts",
            args.gold.display()
        )));
    }
    let mut pairs = Vec::with_capacity(gold.len());
    let mut errors = String::new();
    let mut counts: BTreeMap<String, EntryTally> = BTreeMap::new();
    let mut scorer = analyzer.scorer();
    for item in &gold {
        let ex = scorer.explain(&item.text);
        let r = &ex.result;
        let wrong = r.tone_label != item.label;
        pairs.push((item.label, r.tone_label));
        if args.show_errors && wrong {
            let _ = writeln!(
                errors,
                "{}:{}\tgold {}\tpredicted {}\ttone {:+.3}\t{}\t{}",
                args.gold.display(),
                item.line,
                item.label.as_str(),
                r.tone_label.as_str(),
                r.tone,
                r.matched_terms,
                item.text.replace('\n', "\\n")
            );
        }
        tally(&mut counts, entries_used(&ex), wrong);
    }
    let metrics = Metrics::new(pairs);
    let mut out = std::io::stdout().lock();
    writeln!(out, "gold      {}", args.gold.display()).map_err(stdout_error)?;
    write!(out, "{}", metrics.report()).map_err(stdout_error)?;
    let worst = worst_entries(&counts, args.top);
    if !worst.is_empty() {
        writeln!(out, "\nlexicon entries most often in wrong predictions").map_err(stdout_error)?;
        writeln!(
            out,
            "{:<28} {:<24} {:>5} {:>5}",
            "entry", "term", "wrong", "right"
        )
        .map_err(stdout_error)?;
        for (entry, t) in worst {
            writeln!(
                out,
                "{entry:<28} {:<24} {:>5} {:>5}",
                t.term, t.wrong, t.right
            )
            .map_err(stdout_error)?;
        }
    }
    if args.show_errors {
        writeln!(out, "\nmisclassified:").map_err(stdout_error)?;
        write!(out, "{errors}").map_err(stdout_error)?;
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ToneLabel::*;

    #[test]
    fn metrics_from_a_small_confusion() {
        let m = Metrics::new([
            (Negative, Negative),
            (Negative, Neutral),
            (Neutral, Neutral),
            (Positive, Positive),
        ]);
        assert_eq!(m.accuracy(), 0.75);
        let (p, r, f, n) = m.class(Negative);
        assert_eq!((p, r, n), (1.0, 0.5, 2));
        assert!((f - 2.0 / 3.0).abs() < 1e-9);
        let (p, r, _, _) = m.class(Neutral);
        assert_eq!((p, r), (0.5, 1.0));
        assert!((m.macro_f1() - (2.0 / 3.0 + 2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-9);
        assert!(m.report().contains("macro-F1  0.7778"));
    }

    #[test]
    fn absent_classes_do_not_count_in_macro_f1() {
        let m = Metrics::new([(Negative, Negative), (Neutral, Neutral)]);
        assert_eq!(m.macro_f1(), 1.0);
    }

    #[test]
    fn gold_tsv_and_csv_with_escaped_breaks_and_bad_labels() {
        let dir = tempfile::tempdir().unwrap();
        let tsv = dir.path().join("g.tsv");
        std::fs::write(&tsv, "label\ttext\nNegative\tzwei\\nZeilen\n").unwrap();
        let items = read_gold(&tsv).unwrap();
        assert_eq!(
            (items[0].label, items[0].text.as_str()),
            (Negative, "zwei\nZeilen")
        );
        let csv = dir.path().join("g.csv");
        std::fs::write(&csv, "text,label\n\"a, b\",positive\n").unwrap();
        assert_eq!(read_gold(&csv).unwrap()[0].label, Positive);
        std::fs::write(&tsv, "label\ttext\nmeh\tx\n").unwrap();
        let e = read_gold(&tsv).unwrap_err().to_string();
        assert!(
            e.ends_with("g.tsv:2: label 'meh' is not negative, neutral or positive"),
            "{e}"
        );
    }
}
