//! Evaluates the dialect detector on the shared data sets (not part of the test suite, because
//! the data may not ship with the project):
//! xSID valid sentences (share of each language version labelled mixed/dialect, split by even and
//! odd ids so the held-out half is visible), DiaLemma Bavarian spellings (coverage only: the data
//! has no licence, so nothing from it goes into the lexicons) and the One Million Posts comments
//! (Austrian standard German: every mixed/dialect label there is counted as a false positive).
//!
//! Run: `cargo run --example eval_dialect -- [DATA_DIR] [--show LANG]`
//! (DATA_DIR defaults to `../shared/data`; `--show de_st` lists the misses of one version).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stimmung::dialect::{DialectLabel, DialectLexicon};
use stimmung::text::{nfc, tokenize};

fn label(lex: &DialectLexicon, text: &str) -> (DialectLabel, f64, String) {
    let text = nfc(text);
    let mut tokens = tokenize(&text);
    let report = lex.apply(&mut tokens);
    let hits: Vec<String> = report
        .mappings
        .iter()
        .map(|m| format!("{}→{}", m.from, m.to))
        .collect();
    (report.label, report.share, hits.join(" "))
}

fn read_lines(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[derive(Default)]
struct Tally {
    total: usize,
    flagged: usize,
}

impl Tally {
    fn pct(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.flagged as f64 / self.total as f64
        }
    }
}

fn xsid(lex: &DialectLexicon, data: &Path, show: Option<&str>) -> Result<(), String> {
    let text = read_lines(&data.join("xsid_dialects/xsid_de_dialects_valid.tsv"))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let id_col = col("id").ok_or("xSID: no id column")?;
    let langs = ["de", "de_st", "de_ba", "de_muc", "gsw"];
    // (lang, parity) -> tally; parity "even"/"odd"/"all".
    let mut tallies: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let id: usize = fields
            .get(id_col)
            .and_then(|s| s.parse().ok())
            .ok_or("xSID: bad id")?;
        let parity = if id.is_multiple_of(2) { "even" } else { "odd" };
        for lang in langs {
            let Some(sentence) = col(lang).and_then(|c| fields.get(c)) else {
                continue;
            };
            let (lbl, share, hits) = label(lex, sentence);
            let flagged = lbl != DialectLabel::Standard;
            for p in [parity, "all"] {
                let t = tallies.entry((lang, p)).or_default();
                t.total += 1;
                t.flagged += usize::from(flagged);
            }
            let miss = if lang == "de" { flagged } else { !flagged };
            if miss && show == Some(lang) {
                println!("  miss {lang} {id}: {sentence}  [{share:.2} {hits}]");
            }
        }
    }
    println!("xSID valid (300 sentences): % labelled mixed or dialect");
    println!("  lang     all     even    odd");
    for lang in langs {
        let get = |p| tallies.get(&(lang, p)).map_or(0.0, Tally::pct);
        println!(
            "  {lang:<7} {:>5.1}%  {:>5.1}%  {:>5.1}%",
            get("all"),
            get("even"),
            get("odd")
        );
    }
    println!("  (de should be near 0 %: its complement is the share labelled standard)");
    Ok(())
}

/// Share of DiaLemma's Bavarian spellings that the lexicon knows, and how many of those map to
/// the lemma they belong to. Only forms that differ from the lemma count: identical spellings are
/// standard German.
fn dialemma(lex: &DialectLexicon, data: &Path) -> Result<(), String> {
    let text = read_lines(&data.join("dialemma_bavarian/dictionary.jsonl"))?;
    let (mut forms, mut known, mut correct) = (0usize, 0usize, 0usize);
    for line in text.lines() {
        let Ok(entry) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(term) = entry.get("term").and_then(|t| t.as_str()) else {
            continue;
        };
        if term.contains(char::is_whitespace) {
            continue;
        }
        let lemma = term.to_lowercase();
        for list in ["translations", "inflected_variants"] {
            let Some(variants) = entry.get(list).and_then(|v| v.as_array()) else {
                continue;
            };
            for v in variants.iter().filter_map(|v| v.as_str()) {
                let form = nfc(v).to_lowercase();
                if form == lemma || form.contains(char::is_whitespace) {
                    continue;
                }
                forms += 1;
                if let Some((standard, _)) = lex.lookup(&form) {
                    known += 1;
                    correct += usize::from(standard == lemma);
                }
            }
        }
    }
    println!(
        "DiaLemma Bavarian spellings differing from the lemma: {forms}; in lexicon: {known} ({:.1}%); mapped to the lemma: {correct}",
        100.0 * known as f64 / forms.max(1) as f64
    );
    Ok(())
}

fn omp(lex: &DialectLexicon, data: &Path, show: bool) -> Result<(), String> {
    let text = read_lines(&data.join("omp_sentiment/omp_sentiment_dev.tsv"))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let body = header
        .iter()
        .position(|h| *h == "body")
        .ok_or("OMP: no body column")?;
    let mut per_label: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for line in lines {
        let Some(raw) = line.split('\t').nth(body) else {
            continue;
        };
        let comment = raw.replace("\\n", "\n");
        total += 1;
        let (lbl, share, hits) = label(lex, &comment);
        *per_label.entry(lbl.as_str()).or_default() += 1;
        if show && lbl != DialectLabel::Standard {
            println!("  {} {share:.2} [{hits}]: {comment}", lbl.as_str());
        }
    }
    let flagged = total - per_label.get("standard").copied().unwrap_or(0);
    println!(
        "OMP dev comments (Austrian standard German): {total}; mixed {}, dialect {} → labelled non-standard {:.1}%",
        per_label.get("mixed").copied().unwrap_or(0),
        per_label.get("dialect").copied().unwrap_or(0),
        100.0 * flagged as f64 / total.max(1) as f64
    );
    Ok(())
}

fn main() {
    let mut data = PathBuf::from("../shared/data");
    let mut show: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--show" {
            show = args.next();
        } else {
            data = PathBuf::from(arg);
        }
    }
    let lexicons = stimmung::lexicon::default_dir();
    let lex = match DialectLexicon::load(&lexicons) {
        Ok(lex) => lex,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!(
        "dialect lexicon: {} forms from {}",
        lex.len(),
        lexicons.display()
    );
    let show = show.as_deref();
    let results = [
        xsid(&lex, &data, show),
        dialemma(&lex, &data),
        omp(&lex, &data, show == Some("omp")),
    ];
    let mut failed = false;
    for r in results {
        if let Err(e) = r {
            eprintln!("{e}");
            failed = true;
        }
    }
    if failed {
        std::process::exit(2);
    }
}
