//! Evaluates the dialect detector on the shared data sets (not part of the test suite, because
//! the data may not ship with the project):
//! xSID valid sentences (share of each language version labelled mixed/dialect, split by even and
//! odd ids, plus two honest hold-out checks, since the mapping files were written while reading
//! these sentences: leave-one-out, where each sentence loses the forms no other sentence has, and
//! half-out, where it loses the forms only its half of the ids has; spelling patterns still apply
//! to the lost forms), DiaLemma Bavarian spellings (evidence rate, and false positives on its
//! standard lemmas: the data has no licence, so nothing from it goes into the lexicons) and the
//! One Million Posts comments (Austrian standard German: every mixed/dialect label there is
//! counted as a false positive).
//!
//! Run: `cargo run --example eval_dialect -- [DATA_DIR] [--show LANG]`
//! (DATA_DIR defaults to `../shared/data`; `--show de_st` lists the misses of one version,
//! `--show omp` the flagged comments).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use stimmung::dialect::{DialectLabel, DialectLexicon, DialectScratch};
use stimmung::text::{nfc, tokenize, TokenKind};

fn label(lex: &DialectLexicon, text: &str) -> (DialectLabel, f64, String) {
    let text = nfc(text);
    let mut tokens = tokenize(&text);
    let report = lex.apply(&mut tokens);
    let hits: Vec<String> = report.mappings.iter().map(|m| m.explain()).collect();
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

/// The word norms of `text`, as the detector sees them.
fn words(text: &str) -> Vec<String> {
    let text = nfc(text);
    tokenize(&text)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.norm.to_string())
        .collect()
}

/// The label of `text` when the dialect forms in `hidden` are unknown (spelling patterns still
/// apply to them): what the detector would say had those forms never been written down.
fn label_without(lex: &DialectLexicon, text: &str, hidden: &HashSet<&str>) -> DialectLabel {
    let text = nfc(text);
    let mut tokens = tokenize(&text);
    let mut scratch = DialectScratch::default();
    lex.apply_with(&mut tokens, &mut scratch, false, |_, norm| {
        if hidden.contains(norm) {
            lex.spelling_entry(norm)
        } else {
            lex.entry(norm)
        }
    })
    .label
}

const LANGS: [&str; 5] = ["de", "de_st", "de_ba", "de_muc", "gsw"];
/// The versions whose words the mapping files were written from.
const DIALECTS: [&str; 4] = ["de_st", "de_ba", "de_muc", "gsw"];

struct Sentence<'a> {
    id: usize,
    /// Text per entry of [`LANGS`].
    texts: Vec<Option<&'a str>>,
}

fn xsid(lex: &DialectLexicon, data: &Path, show: Option<&str>) -> Result<(), String> {
    let text = read_lines(&data.join("xsid_dialects/xsid_de_dialects_valid.tsv"))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let id_col = col("id").ok_or("xSID: no id column")?;
    let mut sentences = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let id: usize = fields
            .get(id_col)
            .and_then(|s| s.parse().ok())
            .ok_or("xSID: bad id")?;
        let texts = LANGS
            .iter()
            .map(|lang| col(lang).and_then(|c| fields.get(c).copied()))
            .collect();
        sentences.push(Sentence { id, texts });
    }
    // Which sentences each known dialect form occurs in (any dialect version).
    let mut seen_in: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for s in &sentences {
        for (lang, text) in LANGS.iter().zip(&s.texts) {
            if !DIALECTS.contains(lang) {
                continue;
            }
            for w in words(text.unwrap_or_default()) {
                if lex.lookup(&w).is_some() {
                    seen_in.entry(w).or_default().insert(s.id);
                }
            }
        }
    }
    let odd = |id: &usize| id % 2 == 1;
    // Forms a lexicon written from one half could not know: seen only in the other half.
    let only_odd: HashSet<&str> = seen_in
        .iter()
        .filter(|(_, ids)| ids.iter().all(odd))
        .map(|(w, _)| w.as_str())
        .collect();
    let only_even: HashSet<&str> = seen_in
        .iter()
        .filter(|(_, ids)| !ids.iter().any(odd))
        .map(|(w, _)| w.as_str())
        .collect();
    // (lang, column) -> tally; columns: all, even, odd, leave-one-out, half-out.
    let mut tallies: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    let mut count = |lang, column, flagged: bool| {
        let t = tallies.entry((lang, column)).or_default();
        t.total += 1;
        t.flagged += usize::from(flagged);
    };
    for s in &sentences {
        let parity = if odd(&s.id) { "odd" } else { "even" };
        for (lang, sentence) in LANGS.iter().zip(&s.texts) {
            let Some(sentence) = sentence else {
                continue;
            };
            let (lbl, share, hits) = label(lex, sentence);
            let flagged = lbl != DialectLabel::Standard;
            count(lang, parity, flagged);
            count(lang, "all", flagged);
            let miss = if *lang == "de" { flagged } else { !flagged };
            if miss && show == Some(lang) {
                println!("  miss {lang} {}: {sentence}  [{share:.2} {hits}]", s.id);
            }
            let only_here: HashSet<&str> = seen_in
                .iter()
                .filter(|(_, ids)| ids.len() == 1 && ids.contains(&s.id))
                .map(|(w, _)| w.as_str())
                .collect();
            let loo = label_without(lex, sentence, &only_here) != DialectLabel::Standard;
            count(lang, "loo", loo);
            if *lang != "de" && flagged && !loo && show == Some(lang) {
                println!("  miss {lang} {} when left out: {sentence}", s.id);
            }
            let other_half = if odd(&s.id) { &only_odd } else { &only_even };
            count(
                lang,
                "half",
                label_without(lex, sentence, other_half) != DialectLabel::Standard,
            );
            // Word level: the words of a dialect version that its standard version lacks.
            if *lang != "de" {
                let standard: HashSet<String> =
                    words(s.texts[0].unwrap_or_default()).into_iter().collect();
                for w in words(sentence) {
                    if standard.contains(&w) || w.chars().any(|c| c.is_ascii_digit()) {
                        continue;
                    }
                    let known = if only_here.contains(w.as_str()) {
                        lex.spelling_entry(&w)
                    } else {
                        lex.entry(&w)
                    };
                    count(lang, "words", lex.entry(&w).is_some());
                    count(lang, "words_loo", known.is_some());
                }
            }
        }
    }
    println!(
        "xSID valid (300 sentences): % labelled mixed or dialect; {} forms of the lexicon occur in them",
        seen_in.len()
    );
    println!(
        "  lang     all     even    odd     | leave-one-out  half-out | words known  leave-one-out"
    );
    for lang in LANGS {
        let get = |p| tallies.get(&(lang, p)).map_or(0.0, Tally::pct);
        println!(
            "  {lang:<7} {:>5.1}%  {:>5.1}%  {:>5.1}%  | {:>5.1}%         {:>5.1}%   | {:>5.1}%       {:>5.1}%",
            get("all"),
            get("even"),
            get("odd"),
            get("loo"),
            get("half"),
            get("words"),
            get("words_loo"),
        );
    }
    println!("  (de should be near 0 %: its complement is the share labelled standard)");
    println!(
        "  leave-one-out: each sentence without the forms no other sentence has ({} forms occur in one sentence only);",
        seen_in.values().filter(|ids| ids.len() == 1).count()
    );
    println!(
        "  words known: words of a dialect version missing from its standard version that are dialect evidence"
    );
    println!(
        "  half-out: each sentence without the forms only its half has ({} only in odd, {} only in even sentences)",
        only_odd.len(),
        only_even.len()
    );
    Ok(())
}

/// Share of DiaLemma's Bavarian spellings that are dialect evidence (a mapped form or a spelling
/// pattern), how many forms map to their lemma, and how many of the standard lemmas themselves
/// are wrongly evidence. Only spellings that differ from the lemma count: identical ones are
/// standard German.
fn dialemma(lex: &DialectLexicon, data: &Path) -> Result<(), String> {
    let text = read_lines(&data.join("dialemma_bavarian/dictionary.jsonl"))?;
    let (mut forms, mut known, mut evidence, mut correct) = (0usize, 0usize, 0usize, 0usize);
    let mut lemmas = BTreeSet::new();
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
        let lemma = nfc(term).to_lowercase();
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
                evidence += usize::from(lex.entry(&form).is_some());
                if let Some((standard, _)) = lex.lookup(&form) {
                    known += 1;
                    correct += usize::from(standard == lemma);
                }
            }
        }
        lemmas.insert(lemma);
    }
    let flagged = lemmas
        .iter()
        .filter(|l| lex.entry(l).is_some_and(|e| !e.is_ambiguous()))
        .count();
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    println!(
        "DiaLemma Bavarian spellings differing from the lemma: {forms}; dialect evidence: {evidence} ({:.1}%); in a mapping file: {known} ({:.1}%), mapped to the lemma: {correct}",
        pct(evidence, forms),
        pct(known, forms)
    );
    println!(
        "DiaLemma standard lemmas that are unambiguous evidence (false positives): {flagged} of {} ({:.2}%)",
        lemmas.len(),
        pct(flagged, lemmas.len())
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
