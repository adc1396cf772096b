//! Converts established sentiment lexicon formats into our `polarity.tsv` format, so users can
//! bring lexicons they hold a licence for: SentiWS (`word|POS<TAB>weight<TAB>inflections`), LIWC
//! `.dic` (a `%` block of category numbers, then `word<TAB>cat cat…` with `*` wildcards), LIWC-22
//! `.dicx` (CSV: a term column, then one column per category marked with X), VADER
//! (`token<TAB>mean<TAB>sd<TAB>[ratings]`, mean −4 … 4) and TSV files with `term` and `weight`.
//!
//! Terms are normalised as the lexicon reader does (lower-cased, NFC); a term our tokenizer can
//! never produce (VADER's emoticons such as ":D" or "sweet<3") is skipped and counted, not
//! written. One term may appear once in our format, so when a source gives a form twice the base
//! form beats an inflection and then the stronger weight wins (VADER: the later line, as in
//! VADER's own loader); both are counted in the report.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::check::polarity_unmatchable;
use super::{Key, LexiconError, TsvFile};
use crate::text::{nfc, normalise_word};

/// The source formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// SentiWS 2.0: word|POS, weight, comma-separated inflections
    Sentiws,
    /// LIWC .dic (categories by number) or LIWC-22 .dicx (CSV with X marks)
    Liwc,
    /// VADER: token, mean rating (−4 … 4), sd, ratings
    Vader,
    /// TSV with columns term and weight (optional pos, category, note)
    Tsv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Sentiws => "sentiws",
            Format::Liwc => "liwc",
            Format::Vader => "vader",
            Format::Tsv => "tsv",
        }
    }
}

/// Choices for formats that do not carry a weight of their own.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// LIWC category (name, case-insensitive) whose words become positive.
    pub positive_category: String,
    /// LIWC category whose words become negative.
    pub negative_category: String,
    /// The weight LIWC words get (LIWC only says yes or no).
    pub liwc_weight: f64,
    /// Every weight is multiplied by this, then clamped to −1 … 1.
    pub scale: f64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            positive_category: "posemo".into(),
            negative_category: "negemo".into(),
            liwc_weight: 0.5,
            scale: 1.0,
        }
    }
}

/// One converted entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub term: String,
    pub weight: f64,
    pub pos: String,
    pub note: String,
    /// A base form (not an inflection listed by the source).
    base: bool,
}

/// The converted lexicon and what had to be left out.
#[derive(Debug, Default)]
pub struct Import {
    /// By normalised term, so output is sorted and each term appears once.
    pub entries: BTreeMap<String, Imported>,
    /// Forms given twice with different weights (one kept).
    pub conflicts: usize,
    /// Terms our tokenizer can never produce, and lines with weight 0.
    pub skipped: usize,
    /// Source lines read.
    pub lines: usize,
}

impl Import {
    fn add(&mut self, term: &str, weight: f64, pos: &str, note: String, base: bool, scale: f64) {
        let term = normalise_word(nfc(term.trim()).as_ref()).into_owned();
        let weight = (weight * scale).clamp(-1.0, 1.0);
        let weight = (weight * 1000.0).round() / 1000.0;
        if weight == 0.0 {
            self.skipped += 1;
            return;
        }
        match Key::parse(&term) {
            Ok(key) if polarity_unmatchable(&key).is_none() => {}
            _ => {
                self.skipped += 1;
                return;
            }
        }
        let new = Imported {
            term: term.clone(),
            weight,
            pos: pos.to_string(),
            note,
            base,
        };
        match self.entries.get_mut(&term) {
            None => {
                self.entries.insert(term, new);
            }
            Some(old) => {
                if old.weight != new.weight {
                    self.conflicts += 1;
                    let better = (new.base, new.weight.abs()) > (old.base, old.weight.abs());
                    if better {
                        *old = new;
                    }
                }
            }
        }
    }

    /// The entries as `polarity.tsv` lines, with a header comment naming the sources.
    pub fn to_tsv(&self, format: Format, sources: &[PathBuf]) -> String {
        let names: Vec<String> = sources.iter().map(|p| super::display_name(p)).collect();
        let mut out = format!(
            "# Imported by `stimmung lexicon import --from {}` from {}.\n\
             # Keep the source's licence and attribution with this file.\n\
             term\tweight\tpos\tcategory\tsource\tnote\n",
            format.as_str(),
            names.join(", ")
        );
        for e in self.entries.values() {
            out.push_str(&format!(
                "{}\t{}\t{}\t\t{}\t{}\n",
                e.term,
                e.weight,
                e.pos,
                format.as_str(),
                e.note
            ));
        }
        out
    }
}

fn read_text(path: &Path) -> Result<String, LexiconError> {
    let bytes = std::fs::read(path)
        .map_err(|e| LexiconError::new(path, 0, format!("cannot read file: {e}")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        LexiconError::new(
            path,
            0,
            format!(
                "not valid UTF-8 (byte {}); older dictionaries are often Windows-1252: convert \
                 with `iconv -f windows-1252 -t utf-8`",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn number(path: &Path, line: usize, raw: &str) -> Result<f64, LexiconError> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| LexiconError::new(path, line, format!("'{raw}' is not a number")))
}

/// The non-blank lines of a tab-separated word list (SentiWS, VADER), each with its 1-based line
/// number and its fields.
fn tab_lines(text: &str) -> impl Iterator<Item = (usize, std::str::Split<'_, char>)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        (!line.trim().is_empty()).then(|| (i + 1, line.split('\t')))
    })
}

/// The number in `field`; `missing` is the error when the line has no such column.
fn number_field(
    path: &Path,
    line: usize,
    field: Option<&str>,
    missing: &str,
) -> Result<f64, LexiconError> {
    let raw = field.ok_or_else(|| LexiconError::new(path, line, missing))?;
    number(path, line, raw)
}

/// Converts `paths` (all in `format`) into one lexicon.
pub fn import(
    format: Format,
    paths: &[PathBuf],
    opts: &ImportOptions,
) -> Result<Import, LexiconError> {
    let mut out = Import::default();
    for path in paths {
        match format {
            Format::Sentiws => sentiws(path, opts, &mut out)?,
            Format::Liwc => {
                let dicx = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("dicx"));
                if dicx {
                    liwc_dicx(path, opts, &mut out)?
                } else {
                    liwc_dic(path, opts, &mut out)?
                }
            }
            Format::Vader => vader(path, opts, &mut out)?,
            Format::Tsv => tsv(path, opts, &mut out)?,
        }
    }
    Ok(out)
}

fn sentiws(path: &Path, opts: &ImportOptions, out: &mut Import) -> Result<(), LexiconError> {
    let text = read_text(path)?;
    for (line, mut fields) in tab_lines(&text) {
        out.lines += 1;
        let head = fields.next().unwrap_or_default();
        let (word, pos) = head
            .split_once('|')
            .ok_or_else(|| LexiconError::new(path, line, format!("'{head}' is not word|POS")))?;
        let weight = number_field(path, line, fields.next(), "no weight column")?;
        let pos = match pos {
            "NN" => "NN",
            "ADJX" => "ADJ",
            "VVINF" => "V",
            "ADV" => "ADV",
            _ => "",
        };
        out.add(word, weight, pos, String::new(), true, opts.scale);
        for form in fields.next().unwrap_or_default().split(',') {
            if !form.trim().is_empty() {
                let note = format!("inflection of {word}");
                out.add(form, weight, pos, note, false, opts.scale);
            }
        }
    }
    Ok(())
}

/// The sign a LIWC category gives, by name.
fn category_sign(name: &str, opts: &ImportOptions) -> Option<f64> {
    let name = name.trim();
    if name.eq_ignore_ascii_case(&opts.positive_category) {
        Some(1.0)
    } else if name.eq_ignore_ascii_case(&opts.negative_category) {
        Some(-1.0)
    } else {
        None
    }
}

/// Adds a LIWC word that belongs to the categories with `signs`; a word in both is ambiguous.
fn add_liwc(out: &mut Import, word: &str, signs: &[f64], opts: &ImportOptions) {
    let has_pos = signs.contains(&1.0);
    let has_neg = signs.contains(&-1.0);
    match (has_pos, has_neg) {
        (true, false) => out.add(word, opts.liwc_weight, "", String::new(), true, opts.scale),
        (false, true) => out.add(word, -opts.liwc_weight, "", String::new(), true, opts.scale),
        (true, true) => out.conflicts += 1,
        (false, false) => {}
    }
}

/// A `.dic` category number as a key: some dictionaries write "02" in the body for the "2" of
/// the header.
fn category_id(raw: &str) -> String {
    match raw.parse::<u64>() {
        Ok(n) => n.to_string(),
        Err(_) => raw.to_string(),
    }
}

fn liwc_dic(path: &Path, opts: &ImportOptions, out: &mut Import) -> Result<(), LexiconError> {
    let text = read_text(path)?;
    let mut categories: BTreeMap<String, f64> = BTreeMap::new();
    let mut percent_lines = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim() == "%" {
            percent_lines += 1;
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if percent_lines == 1 {
            // `number<TAB>name`, sometimes followed by a description column; older files
            // separate number and name by spaces.
            let (num, name) = match line.split_once('\t') {
                Some((num, rest)) => (num.trim(), rest.split('\t').next().unwrap_or("").trim()),
                None => {
                    let mut parts = line.split_whitespace();
                    (parts.next().unwrap_or(""), parts.next().unwrap_or(""))
                }
            };
            if num.is_empty() || name.is_empty() {
                return Err(LexiconError::new(
                    path,
                    i + 1,
                    "category line is not 'number name'",
                ));
            }
            if let Some(sign) = category_sign(name, opts) {
                categories.insert(category_id(num), sign);
            }
            continue;
        }
        if percent_lines < 2 {
            return Err(LexiconError::new(
                path,
                i + 1,
                "a .dic file starts with a '%' block of categories",
            ));
        }
        out.lines += 1;
        // Multi-word LIWC entries separate the term from the categories with a tab.
        let (word, cats) = match line.split_once('\t') {
            Some((w, c)) => (w.to_string(), c.to_string()),
            None => {
                let mut parts = line.split_whitespace();
                let w = parts.next().unwrap_or_default().to_string();
                (w, parts.collect::<Vec<_>>().join(" "))
            }
        };
        // Conditional codes of LIWC2007 ("(02 134)126/253": one category if the neighbouring
        // word is in another) are not plain numbers and are left out: the word gets only the
        // categories listed unconditionally.
        let signs: Vec<f64> = cats
            .split_whitespace()
            .filter_map(|c| categories.get(&category_id(c)).copied())
            .collect();
        add_liwc(out, &word, &signs, opts);
    }
    if percent_lines < 2 {
        return Err(LexiconError::new(
            path,
            0,
            "no '%' block of categories: not a LIWC .dic file",
        ));
    }
    if categories.len() < 2 {
        return Err(LexiconError::new(
            path,
            0,
            format!(
                "categories '{}' and '{}' are not both in the header (see --positive-category)",
                opts.positive_category, opts.negative_category
            ),
        ));
    }
    Ok(())
}

fn liwc_dicx(path: &Path, opts: &ImportOptions, out: &mut Import) -> Result<(), LexiconError> {
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line() as usize);
        LexiconError::new(path, line, format!("CSV: {e}"))
    };
    let header = reader.headers().map_err(csv_err)?.clone();
    let signs: Vec<Option<f64>> = header.iter().map(|h| category_sign(h, opts)).collect();
    if signs.iter().flatten().count() < 2 {
        return Err(LexiconError::new(
            path,
            1,
            format!(
                "categories '{}' and '{}' are not both in the header (see --positive-category)",
                opts.positive_category, opts.negative_category
            ),
        ));
    }
    for record in reader.records() {
        let record = record.map_err(csv_err)?;
        out.lines += 1;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let Some(word) = record.get(0).filter(|w| !w.trim().is_empty()) else {
            continue;
        };
        let mut marked = Vec::new();
        for ((cell, sign), name) in record.iter().zip(&signs).zip(&header).skip(1) {
            let Some(sign) = sign else { continue };
            match cell.trim() {
                "" => {}
                "X" | "x" => marked.push(*sign),
                other => {
                    return Err(LexiconError::new(
                        path,
                        line,
                        format!(
                            "column '{name}': '{other}' is neither X nor empty (a weighted .dicx \
                             with numbers in the cells is not supported: write it as TSV with \
                             term and weight and use --from tsv)"
                        ),
                    ))
                }
            }
        }
        add_liwc(out, word, &marked, opts);
    }
    Ok(())
}

/// VADER's own loader fills a dictionary line by line, so of a token listed twice the later line
/// counts; `vader_lexicon.txt` (3.3.2) lists 14 tokens twice with different means, mostly once
/// among the emoticons and chat acronyms and once among the words ("lol" 2.9, then 1.8). The
/// same rule applies here, and each such repeat counts as a conflict.
fn vader(path: &Path, opts: &ImportOptions, out: &mut Import) -> Result<(), LexiconError> {
    let text = read_text(path)?;
    let mut tokens: Vec<(&str, f64)> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (line, mut fields) in tab_lines(&text) {
        out.lines += 1;
        let token = fields.next().unwrap_or_default().trim();
        let mean = number_field(path, line, fields.next(), "no mean rating column")?;
        if !(-4.0..=4.0).contains(&mean) {
            return Err(LexiconError::new(
                path,
                line,
                format!("mean rating {mean} is outside −4 … 4"),
            ));
        }
        match seen.get(token) {
            Some(&i) => {
                if tokens[i].1 != mean {
                    out.conflicts += 1;
                }
                tokens[i].1 = mean;
            }
            None => {
                seen.insert(token, tokens.len());
                tokens.push((token, mean));
            }
        }
    }
    for (token, mean) in tokens {
        out.add(token, mean / 4.0, "", String::new(), true, opts.scale);
    }
    Ok(())
}

fn tsv(path: &Path, opts: &ImportOptions, out: &mut Import) -> Result<(), LexiconError> {
    let file = TsvFile::read(path, &["term", "weight"])?;
    for rec in &file.records {
        out.lines += 1;
        let weight = file.number(rec, "weight", -1e6..=1e6)?;
        out.add(
            file.text(rec, "term")?,
            weight,
            file.get(rec, "pos").unwrap_or(""),
            file.get(rec, "note").unwrap_or("").to_string(),
            true,
            opts.scale,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: Format, name: &str, text: &str, opts: &ImportOptions) -> Import {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        import(format, &[p], opts).unwrap()
    }

    #[test]
    fn sentiws_base_forms_inflections_and_bom() {
        let i = run(
            Format::Sentiws,
            "s.txt",
            "\u{feff}Abmachung|NN\t0.0040\tAbmachungen\r\ngut|ADJX\t0.3716\tgute,guten,Gut\nGut|NN\t0.1\t\n",
            &ImportOptions::default(),
        );
        assert_eq!(i.lines, 3);
        let gut = &i.entries["gut"];
        assert_eq!((gut.weight, gut.pos.as_str()), (0.372, "ADJ"));
        assert_eq!(i.entries["guten"].note, "inflection of gut");
        assert_eq!(i.entries["abmachungen"].weight, 0.004);
        assert_eq!(i.conflicts, 1);
    }

    #[test]
    fn liwc_dic_and_dicx_map_the_chosen_categories() {
        let dic =
            "%\n1\tfunct\n2\tposemo\n3\tnegemo\n%\nglück*\t2\nhass*\t3\nund\t1\nzwiespalt\t2 3\n";
        let i = run(Format::Liwc, "x.dic", dic, &ImportOptions::default());
        assert_eq!(i.entries["glück*"].weight, 0.5);
        assert_eq!(i.entries["hass*"].weight, -0.5);
        assert!(!i.entries.contains_key("und"));
        assert_eq!(i.conflicts, 1);
        let dicx = "DicTerm,funct,PosEmo,negemo\nfreude*,,X,\nwut,,,x\n";
        let i = run(Format::Liwc, "x.dicx", dicx, &ImportOptions::default());
        assert_eq!(i.entries["freude*"].weight, 0.5);
        assert_eq!(i.entries["wut"].weight, -0.5);
        let opts = ImportOptions {
            positive_category: "joy".into(),
            ..ImportOptions::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("y.dic");
        std::fs::write(&p, dic).unwrap();
        let e = import(Format::Liwc, &[p], &opts).unwrap_err();
        assert!(e.to_string().contains("'joy'"), "{e}");
    }

    /// A `.dic` shaped like the LIWC2007/2015 files: a description column in the header, ids
    /// written with a leading zero in the body, multi-word entries, conditional codes, CRLF.
    #[test]
    fn liwc_dic_reads_the_shapes_of_real_dictionaries() {
        let dic = "%\r\n1\tfunct\t(Function words)\r\n31\tposemo\r\n32\tnegemo\r\n%\r\n\
                   freu*\t31\r\nnicht gut\t32\r\nmag\t(02 134)31/32\t01\r\nscheu*\t032\r\n";
        let i = run(Format::Liwc, "de.dic", dic, &ImportOptions::default());
        assert_eq!(i.lines, 4);
        assert_eq!(i.entries["freu*"].weight, 0.5);
        assert_eq!(i.entries["nicht gut"].weight, -0.5);
        assert_eq!(i.entries["scheu*"].weight, -0.5);
        // Only conditionally positive or negative: not imported.
        assert!(!i.entries.contains_key("mag"));
    }

    /// A `.dicx` as the LIWC-22 Dictionary Workbench writes it: a `DicTerm` column, one column
    /// per category with `X` marks, quoted cells; saved on Windows with BOM and CRLF.
    #[test]
    fn liwc_dicx_reads_workbench_exports_and_rejects_weighted_cells() {
        let dicx = "\u{feff}DicTerm,Funktion,posemo,negemo\r\n\
                    \"freu*\",,X,\r\nhass*,,,X\r\n\"nicht so gut\",,,x\r\nund,X,,\r\n\
                    zwiespalt*,,X,X\r\n";
        let i = run(Format::Liwc, "de.dicx", dicx, &ImportOptions::default());
        assert_eq!(i.lines, 5);
        let got: Vec<(&str, f64)> = i
            .entries
            .values()
            .map(|e| (e.term.as_str(), e.weight))
            .collect();
        assert_eq!(
            got,
            [("freu*", 0.5), ("hass*", -0.5), ("nicht so gut", -0.5)]
        );
        assert_eq!(i.conflicts, 1);

        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("weighted.dicx");
        std::fs::write(&p, "DicTerm,posemo,negemo\nfreude,X,\ngroll,,-0.7\n").unwrap();
        let e = import(Format::Liwc, &[p], &ImportOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .contains("weighted.dicx:3: column 'negemo': '-0.7' is neither X nor empty"),
            "{e}"
        );
    }

    #[test]
    fn vader_scales_means_and_skips_emoticons() {
        let i = run(
            Format::Vader,
            "v.txt",
            "good\t1.9\t0.9434\t[2, 1, 2]\n:)\t2.0\t1.2\t[2]\nbad\t-2.5\t0.67\t[-3]\n",
            &ImportOptions::default(),
        );
        assert_eq!(i.entries["good"].weight, 0.475);
        assert_eq!(i.entries["bad"].weight, -0.625);
        assert_eq!(i.skipped, 1);
        let tsv = i.to_tsv(Format::Vader, &[PathBuf::from("vader_lexicon.txt")]);
        assert!(tsv.contains("\nbad\t-0.625\t\t\tvader\t\n"), "{tsv}");
    }

    #[test]
    fn tsv_import_scales_and_reports_bad_numbers() {
        let opts = ImportOptions {
            scale: 0.5,
            ..ImportOptions::default()
        };
        let i = run(Format::Tsv, "t.tsv", "term\tweight\nSchön\t0.8\n", &opts);
        assert_eq!(i.entries["schön"].weight, 0.4);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.tsv");
        std::fs::write(&p, "term\tweight\nx\tviel\n").unwrap();
        let e = import(Format::Tsv, &[p], &opts).unwrap_err();
        assert!(e.to_string().contains("bad.tsv:2:"), "{e}");
    }
}
