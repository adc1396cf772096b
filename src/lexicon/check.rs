//! The lexicon linter behind `stimmung lexicon check`: finds every problem in a lexicon folder
//! at once, each as `file:line: message`, where the loaders stop at the first one.
//!
//! Besides the format errors the loaders would raise, it reports what loads fine but cannot do
//! what the linguist meant: repeated lines, terms the tokenizer can never produce (a "." or "/"
//! inside a word, a hashtag in a lexicon that never sees one), entries hidden by the look-up
//! order (a polarity word that is also a negator, a form rewritten by the dialect mapping first,
//! an inflected form caught by a `stem*` entry of the opposite sign) and dialect mappings whose
//! standard target no lexicon knows.
//!
//! "Known" for a dialect target is deliberately narrow and checkable: a word of `stopwords.tsv`
//! (closed-class words and the frequent verbs, adverbs and nouns dialect texts rewrite to), a
//! word any tone lexicon matches through its normal look-up, or another dialect mapping's
//! standard form that is itself known. Anything else is most often a typo in the target.
//! Finally the real loaders run as a safety net, so a folder `check` calls clean always loads.
//! Override files (`--overlay`) are linted against the loaded folder by the `overlay` submodule.

use std::collections::{HashMap, HashSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use super::rules::Rules;
use super::table::{Key, MatchKind, PhraseWord, WordLookup};
use super::tone_set::{
    contrast_value, incivility_value, irony_value, polarity_value, rhetoric_value, yes_no, Emoji,
};
use super::{LexiconError, ToneLexicons, TsvFile, TsvRecord};
use crate::dialect::DialectLexicon;
use crate::page::SiteConventions;
use crate::text::{tokenize, TokenKind};

mod overlay;

/// The stop-word list: words coverage never proposes and dialect targets may map to.
pub const STOPWORDS_FILE: &str = "stopwords.tsv";

/// Spelling hints that make an unknown word look like dialect (for coverage).
pub const SPELLING_FILE: &str = "dialect_spelling.tsv";

/// Every file `stimmung` reads from the top of a lexicon folder.
const ROOT_FILES: [&str; 12] = [
    "polarity.tsv",
    "negators.tsv",
    "intensifiers.tsv",
    "contrast.tsv",
    "emoji.tsv",
    "incivility.tsv",
    "irony.tsv",
    "rhetoric.tsv",
    "inflection.tsv",
    "rules.tsv",
    STOPWORDS_FILE,
    SPELLING_FILE,
];

/// Which look-up a term file gets in the scoring pass; it decides which term shapes can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// Exact, `stem*`, `-head`, multi-word, inflection: `polarity.tsv`.
    Full,
    /// Exact, `stem*`, `-head`, inflection, but no multi-word terms: `incivility.tsv`.
    Word,
    /// Exact and `stem*` only: negators, intensifiers, contrast, irony, rhetoric.
    Simple,
    /// Emoji and emoticon tokens, exact and `stem*`.
    Emoji,
}

/// One readable line of a term file.
struct Line {
    key: Key,
    term: String,
    value: String,
    /// The `pos` column, where the file has one.
    pos: Option<String>,
    line: usize,
}

/// Reads `dialect_spelling.tsv`: column `pattern`, one regular expression per line.
pub fn read_spelling(path: &Path) -> Result<Vec<regex::Regex>, LexiconError> {
    let file = TsvFile::read(path, &["pattern"])?;
    file.records
        .iter()
        .map(|rec| {
            let p = file.text(rec, "pattern")?;
            regex::Regex::new(p).map_err(|e| file.error(rec, format!("invalid regex: {e}")))
        })
        .collect()
}

/// Reads a stop-word list: columns `word` (one lower-case word) and `kind` (function / content).
pub fn read_stopwords(path: &Path) -> Result<HashSet<String>, LexiconError> {
    let file = TsvFile::read(path, &["word", "kind"])?;
    let mut out = HashSet::new();
    for rec in &file.records {
        let word = file.text(rec, "word")?;
        stop_check(&file, rec, word)?;
        out.insert(word.to_string());
    }
    Ok(out)
}

/// Whether `text` tokenizes to exactly one token of one of `kinds` whose normal form is `text`.
fn is_one_token(text: &str, kinds: &[TokenKind]) -> bool {
    let toks = tokenize(text);
    toks.len() == 1 && kinds.contains(&toks[0].kind) && toks[0].norm == text
}

/// Why a term of a file with look-up `lookup` can never match a token, if it cannot.
fn unmatchable(key: &Key, term: &str, lookup: Lookup) -> Option<String> {
    let words = &[TokenKind::Word];
    let split = |w: &str| -> Option<String> {
        let parts: Vec<String> = tokenize(w).iter().map(|t| t.surface.to_string()).collect();
        Some(format!(
            "can never match: the tokenizer splits '{w}' into {}",
            parts.join(" | ")
        ))
    };
    match (key, lookup) {
        (Key::Phrase(_), Lookup::Word | Lookup::Simple | Lookup::Emoji) => {
            Some("can never match: only polarity.tsv matches multi-word terms".into())
        }
        (Key::Head(_), Lookup::Simple | Lookup::Emoji) => {
            Some("can never match: compound heads (-head) are looked up only in polarity.tsv and incivility.tsv".into())
        }
        (Key::Prefix(stem), Lookup::Emoji) => Some(format!(
            "is read as a wildcard: every emoji or emoticon starting with '{stem}' gets this weight"
        )),
        (Key::Exact(w), Lookup::Emoji) => {
            // Emoticons are matched ASCII-lower-cased, so ":D" is written as is but stored as ":d".
            let toks = tokenize(term);
            let ok = toks.len() == 1
                && matches!(toks[0].kind, TokenKind::Emoji | TokenKind::Emoticon)
                && toks[0].norm.to_ascii_lowercase() == *w;
            (!ok).then(|| {
                if w.contains('\u{FE0F}') {
                    "can never match: remove the variation selector U+FE0F, tokens drop it".into()
                } else {
                    format!("can never match: '{w}' is not one emoji or emoticon token")
                }
            })
        }
        (Key::Exact(w), _) | (Key::Head(w), _) => {
            if w.starts_with('#') {
                return Some(
                    "can never match: hashtags are looked up without their '#'; write the word"
                        .into(),
                );
            }
            if is_one_token(w, words) {
                None
            } else {
                split(w)
            }
        }
        (Key::Prefix(stem), _) => {
            // A stem may end in a hyphen ("anti-*"): it is the start of a longer word.
            let probe = format!("{stem}x");
            if is_one_token(&probe, words) {
                None
            } else {
                split(stem)
            }
        }
        (Key::Phrase(list), Lookup::Full) => list.iter().enumerate().find_map(|(i, w)| {
            let (text, probe) = match w {
                PhraseWord::Exact(t) => (t, t.clone()),
                PhraseWord::Prefix(t) => (t, format!("{t}x")),
            };
            let kinds: &[TokenKind] = if i == 0 {
                words
            } else {
                &[TokenKind::Word, TokenKind::Number]
            };
            if is_one_token(&probe, kinds) {
                None
            } else {
                split(text)
            }
        }),
    }
}

/// Why a `polarity.tsv` term can never match a token, if it cannot (for importers).
pub(crate) fn polarity_unmatchable(key: &Key) -> Option<String> {
    unmatchable(key, "", Lookup::Full)
}

/// Lints one term file line by line: format, term shape, duplicates, matchability.
fn lint_terms<V: Debug>(
    path: &Path,
    required: &[&str],
    lookup: Lookup,
    value: impl Fn(&TsvFile, &TsvRecord) -> Result<V, LexiconError>,
    out: &mut Vec<LexiconError>,
) -> Vec<Line> {
    let file = match TsvFile::read(path, required) {
        Ok(f) => f,
        Err(e) => {
            out.push(e);
            return Vec::new();
        }
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for rec in &file.records {
        let term = file.get(rec, "term").unwrap_or_default();
        let key = match Key::parse(term) {
            Ok(k) => k,
            Err(m) => {
                out.push(file.error(rec, m));
                continue;
            }
        };
        let v = match value(&file, rec) {
            Ok(v) => format!("{v:?}"),
            Err(e) => {
                out.push(e);
                continue;
            }
        };
        if let Some(m) = unmatchable(&key, term, lookup) {
            out.push(file.error(rec, format!("'{term}' {m}")));
        }
        if let Some(&prev) = seen.get(&key) {
            let first = &lines[prev];
            let msg = if first.value == v {
                format!(
                    "'{term}' repeats line {} with the same value; delete one",
                    first.line
                )
            } else {
                format!(
                    "conflicting duplicate: '{term}' is already on line {} with a different value",
                    first.line
                )
            };
            out.push(file.error(rec, msg));
            continue;
        }
        seen.insert(key.clone(), lines.len());
        lines.push(Line {
            key,
            term: term.to_string(),
            value: v,
            pos: file.get(rec, "pos").map(str::to_ascii_uppercase),
            line: rec.line,
        });
    }
    lines
}

/// Lints a file with one key column whose values must be unique (rules, inflections, stop
/// words, foreign words, dialect settings).
fn lint_unique(
    path: &Path,
    required: &[&str],
    key_col: &str,
    check: impl Fn(&TsvFile, &TsvRecord, &str) -> Result<(), LexiconError>,
    out: &mut Vec<LexiconError>,
) -> Vec<String> {
    let file = match TsvFile::read(path, required) {
        Ok(f) => f,
        Err(e) => {
            out.push(e);
            return Vec::new();
        }
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut keys = Vec::new();
    for rec in &file.records {
        let Some(key) = file.get(rec, key_col) else {
            continue;
        };
        if let Err(e) = check(&file, rec, key) {
            out.push(e);
            continue;
        }
        if let Some(first) = seen.insert(key.to_string(), rec.line) {
            out.push(file.error(rec, format!("'{key}' is already on line {first}")));
            continue;
        }
        keys.push(key.to_string());
    }
    keys
}

/// One dialect mapping line.
struct Mapping {
    file: PathBuf,
    line: usize,
    dialect: String,
    standard: String,
    ambiguous: bool,
}

fn lint_dialect(dir: &Path, out: &mut Vec<LexiconError>) -> Vec<Mapping> {
    let ddir = dir.join("dialect");
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&ddir) {
        Ok(items) => items
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
            .collect(),
        Err(e) => {
            out.push(LexiconError::new(
                &ddir,
                0,
                format!("cannot read folder: {e}"),
            ));
            return Vec::new();
        }
    };
    paths.sort();
    let mut maps: Vec<Mapping> = Vec::new();
    let mut by_form: HashMap<String, usize> = HashMap::new();
    for path in &paths {
        match path.file_name().and_then(|n| n.to_str()) {
            Some("settings.tsv") => {
                lint_unique(path, &["name", "value"], "name", |_, _, _| Ok(()), out);
                continue;
            }
            Some("foreign.tsv") => {
                lint_unique(path, &["word"], "word", word_check, out);
                continue;
            }
            _ => {}
        }
        let file = match TsvFile::read(path, &["dialect", "standard", "kind"]) {
            Ok(f) => f,
            Err(e) => {
                out.push(e);
                continue;
            }
        };
        for rec in &file.records {
            let (Some(dialect), Some(standard), Some(kind)) = (
                file.get(rec, "dialect"),
                file.get(rec, "standard"),
                file.get(rec, "kind"),
            ) else {
                continue;
            };
            if !matches!(kind, "ambiguous" | "unambiguous") {
                out.push(file.error(
                    rec,
                    format!("column 'kind': '{kind}' is not one of unambiguous, ambiguous"),
                ));
                continue;
            }
            if !is_one_token(dialect, &[TokenKind::Word]) {
                out.push(file.error(
                    rec,
                    format!("'{dialect}' can never match: not one lower-case word token"),
                ));
                continue;
            }
            if standard
                .split(' ')
                .any(|w| !is_one_token(w, &[TokenKind::Word]))
            {
                out.push(file.error(
                    rec,
                    format!("standard form '{standard}' is not lower-case words separated by single spaces"),
                ));
                continue;
            }
            let ambiguous = kind == "ambiguous";
            if let Some(&prev) = by_form.get(dialect) {
                let p: &Mapping = &maps[prev];
                let same = p.standard == standard && p.ambiguous == ambiguous;
                let msg = format!(
                    "'{dialect}' {} {}:{} ('{}', {})",
                    if same { "repeats" } else { "conflicts with" },
                    super::display_name(&p.file),
                    p.line,
                    p.standard,
                    if p.ambiguous {
                        "ambiguous"
                    } else {
                        "unambiguous"
                    }
                );
                out.push(file.error(rec, msg));
                continue;
            }
            by_form.insert(dialect.to_string(), maps.len());
            maps.push(Mapping {
                file: path.clone(),
                line: rec.line,
                dialect: dialect.to_string(),
                standard: standard.to_string(),
                ambiguous,
            });
        }
    }
    maps
}

fn stop_check(file: &TsvFile, rec: &TsvRecord, word: &str) -> Result<(), LexiconError> {
    match file.get(rec, "kind") {
        Some("function" | "content") => word_check(file, rec, word),
        other => Err(file.error(
            rec,
            format!(
                "column 'kind': '{}' is neither function nor content",
                other.unwrap_or_default()
            ),
        )),
    }
}

fn word_check(file: &TsvFile, rec: &TsvRecord, word: &str) -> Result<(), LexiconError> {
    if is_one_token(word, &[TokenKind::Word]) {
        Ok(())
    } else {
        Err(file.error(
            rec,
            format!("'{word}' can never match: not one lower-case word token"),
        ))
    }
}

/// The word look-up options the scoring pass derives from `rules.tsv`.
pub fn word_lookup(rules: &Rules) -> WordLookup {
    WordLookup {
        min_head_chars: Rules::window(rules.compound_min_head_chars),
        min_modifier_chars: Rules::window(rules.compound_min_modifier_chars),
        umlaut_fallback: rules.umlaut_fallback >= 0.5,
        min_stem_chars: Rules::window(rules.inflection_min_stem_chars),
    }
}

/// Whether any tone lexicon matches `word` through its normal look-up.
pub fn tone_knows(lex: &ToneLexicons, opts: &WordLookup, word: &str) -> bool {
    let infl = &lex.inflections;
    lex.negators.lookup_simple(word).is_some()
        || lex.contrast.lookup_simple(word).is_some()
        || lex.intensifiers.lookup_simple(word).is_some()
        || lex.irony.lookup_simple(word).is_some()
        || lex.rhetoric.lookup_simple(word).is_some()
        || lex.polarity.has_phrase_start(word)
        || lex
            .polarity
            .lookup_word(word, opts, infl, |p| p.noun)
            .is_some()
        || lex
            .incivility
            .lookup_word(word, opts, infl, |_| true)
            .is_some()
}

/// The findings of one check, in file and line order.
#[derive(Debug)]
pub struct CheckReport {
    pub findings: Vec<LexiconError>,
    /// False when the files did not load, so the cross-file checks (look-up shadowing,
    /// inflection conflicts, dialect targets) and the overlay checks could not run yet.
    pub cross_file_checked: bool,
}

/// Checks every file of `dir`, then the override files `overlays` layered on it in order.
pub fn check_dir(dir: &Path, overlays: &[PathBuf]) -> CheckReport {
    let mut out = Vec::new();
    let at = |name: &str| dir.join(name);

    let polarity = lint_terms(
        &at("polarity.tsv"),
        &["term", "weight"],
        Lookup::Full,
        |f, r| polarity_value(f, r, "weight"),
        &mut out,
    );
    // In look-up order: a word listed in an earlier file never reaches a later one.
    let negators = lint_terms(
        &at("negators.tsv"),
        &["term"],
        Lookup::Simple,
        |_, _| Ok(()),
        &mut out,
    );
    let contrast = lint_terms(
        &at("contrast.tsv"),
        &["term", "scope", "position", "weight_rest", "weight_marked"],
        Lookup::Simple,
        contrast_value,
        &mut out,
    );
    let intensifiers = lint_terms(
        &at("intensifiers.tsv"),
        &["term", "factor"],
        Lookup::Simple,
        |f, r| f.number(r, "factor", 0.0..=5.0),
        &mut out,
    );
    // In look-up order, so that a file's index is its rank.
    let simple: Vec<(PathBuf, Vec<Line>)> = vec![
        (at("negators.tsv"), negators),
        (at("contrast.tsv"), contrast),
        (at("intensifiers.tsv"), intensifiers),
    ];
    lint_terms(
        &at("emoji.tsv"),
        &["term", "weight"],
        Lookup::Emoji,
        |f, r| {
            Ok(Emoji {
                weight: f.number(r, "weight", -1.0..=1.0)?,
                mocking: yes_no(f, r, "mocking")?,
            })
        },
        &mut out,
    );
    lint_terms(
        &at("incivility.tsv"),
        &["term", "category", "weight"],
        Lookup::Word,
        |f, r| incivility_value(f, r, "weight"),
        &mut out,
    );
    lint_terms(
        &at("irony.tsv"),
        &["term", "kind"],
        Lookup::Simple,
        irony_value,
        &mut out,
    );
    lint_terms(
        &at("rhetoric.tsv"),
        &["term", "position", "weight"],
        Lookup::Simple,
        |f, r| rhetoric_value(f, r, "weight"),
        &mut out,
    );
    lint_unique(
        &at("inflection.tsv"),
        &["suffix"],
        "suffix",
        |f, r, s| {
            let probe = format!("x{s}");
            if is_one_token(&probe, &[TokenKind::Word]) {
                Ok(())
            } else {
                Err(f.error(r, format!("suffix '{s}' can never match a word ending")))
            }
        },
        &mut out,
    );
    lint_unique(
        &at("rules.tsv"),
        &["name", "value"],
        "name",
        |f, r, name| match Rules::SPEC.iter().find(|(n, _, _)| *n == name) {
            Some(&(_, lo, hi)) => f.number(r, "value", lo..=hi).map(|_| ()),
            None => Err(f.error(r, format!("unknown rule constant '{name}'"))),
        },
        &mut out,
    );
    let stop_path = at(STOPWORDS_FILE);
    let stopwords: HashSet<String> =
        lint_unique(&stop_path, &["word", "kind"], "word", stop_check, &mut out)
            .into_iter()
            .collect();
    if let Err(e) = read_spelling(&at(SPELLING_FILE)) {
        out.push(e);
    }
    let mappings = lint_dialect(dir, &mut out);
    lint_site(dir, &mut out);
    unread_files(dir, &mut out);

    // The cross-file checks need the real tables; they run once the files load.
    let loaded = ToneLexicons::load(dir, &[] as &[PathBuf])
        .and_then(|lex| DialectLexicon::load(dir).map(|d| (lex, d)))
        .and_then(|pair| SiteConventions::load(dir).map(|_| pair));
    let cross_file_checked = loaded.is_ok();
    match loaded {
        Ok((lex, dialect)) => {
            let ctx = Cross {
                lex: &lex,
                opts: word_lookup(&lex.rules),
                dialect: &dialect,
            };
            let polarity_path = at("polarity.tsv");
            let polarity: Vec<(&Path, &Line)> = polarity
                .iter()
                .map(|l| (polarity_path.as_path(), l))
                .collect();
            let ranked: Vec<(usize, &Path, &Line)> = simple
                .iter()
                .enumerate()
                .flat_map(|(rank, (path, lines))| {
                    lines.iter().map(move |l| (rank, path.as_path(), l))
                })
                .chain(polarity.iter().map(|&(path, l)| (POLARITY_RANK, path, l)))
                .collect();
            ctx.shadowed(&ranked, &mut out);
            ctx.inflection_conflicts(&polarity, &mut out);
            ctx.dialect_targets(&mappings, &stopwords, &mut out);
            overlay::lint(&ctx, overlays, &mut out);
            if let Err(e) = ToneLexicons::load(dir, overlays) {
                if !out.iter().any(|f| f.path == e.path && f.line == e.line) {
                    out.push(e);
                }
            }
        }
        Err(e) => {
            if !out.iter().any(|f| f.path == e.path && f.line == e.line) {
                out.push(e);
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    out.dedup();
    CheckReport {
        findings: out,
        cross_file_checked,
    }
}

/// The rank of polarity look-up after negators (0), contrast markers (1) and intensifiers (2).
const POLARITY_RANK: usize = 3;

/// Checks on the loaded lexicons: what the look-up order and the dialect mapping hide.
struct Cross<'a> {
    lex: &'a ToneLexicons,
    opts: WordLookup,
    dialect: &'a DialectLexicon,
}

impl Cross<'_> {
    fn err(&self, path: &Path, line: usize, msg: String) -> LexiconError {
        LexiconError::new(path, line, msg)
    }

    /// Polarity and cue words that an earlier look-up (negator → contrast → intensifier →
    /// polarity; an intensifier only before a tone word) or an unambiguous dialect rewrite
    /// always takes first.
    /// `lines` are the lines to check, each with its file's look-up rank and path.
    fn shadowed(&self, lines: &[(usize, &Path, &Line)], out: &mut Vec<LexiconError>) {
        let lex = self.lex;
        let earlier = |rank: usize, word: &str| -> Option<String> {
            let hits = [
                lex.negators
                    .lookup_simple(word)
                    .map(|e| ("a negator", e.origin.to_string())),
                lex.contrast
                    .lookup_simple(word)
                    .map(|e| ("a contrast marker", e.origin.to_string())),
                lex.intensifiers
                    .lookup_simple(word)
                    .map(|e| ("an intensifier", e.origin.to_string())),
            ];
            hits.into_iter()
                .take(rank)
                .flatten()
                .next()
                .map(|(what, at)| format!("it is {what} ({at}), which is looked up first"))
        };
        for &(rank, file, l) in lines {
            let Key::Exact(word) = &l.key else { continue };
            // A zero polarity weight that an earlier look-up hides loses nothing: it states
            // "neutral" and keeps the textblob-de import from adding the word again.
            let neutral = rank == POLARITY_RANK
                && lex
                    .polarity
                    .get(&l.key)
                    .is_some_and(|e| e.value.weight == 0.0);
            if neutral {
                continue;
            }
            // A tone word that is also an intensifier keeps its polarity wherever no tone
            // word follows it ("Super!"), so only negators and contrast markers hide it.
            let rank = rank.min(2);
            if let Some(why) = earlier(rank, word) {
                out.push(self.err(file, l.line, format!("'{}' never applies: {why}", l.term)));
            }
            if let Some((std, false)) = self.dialect.lookup(word) {
                if std != word {
                    out.push(self.err(
                        file,
                        l.line,
                        format!(
                            "'{}' never applies: the dialect mapping rewrites it to '{std}' before look-up",
                            l.term
                        ),
                    ));
                }
            }
        }
    }

    /// An exact adjective whose regular inflected forms ("gut" → "guten") are caught by a
    /// `stem*` or compound-head entry of the opposite sign ("unreifer" → `eifer`), and `x` next
    /// to `x*` with opposite signs. Only adjectives (`pos` ADJ) and only the endings that
    /// `inflection.tsv` strips without replacement are probed: noun plurals and verb forms are
    /// irregular enough that mechanical forms would be mostly non-words.
    fn inflection_conflicts(&self, polarity: &[(&Path, &Line)], out: &mut Vec<LexiconError>) {
        let table = &self.lex.polarity;
        for &(file, l) in polarity {
            let Key::Exact(word) = &l.key else { continue };
            let Some(entry) = table.get(&l.key) else {
                continue;
            };
            let s = entry.value.weight.signum();
            if entry.value.weight == 0.0 {
                continue;
            }
            if let Some(p) = table.get(&Key::Prefix(word.clone())) {
                if p.value.weight.signum() == -s {
                    out.push(self.err(
                        file,
                        l.line,
                        format!(
                            "'{}' and '{}' ({}) have opposite signs: every inflected form gets the wildcard's",
                            l.term, p.term, p.origin
                        ),
                    ));
                    continue;
                }
            }
            if l.pos.as_deref() != Some("ADJ") {
                continue;
            }
            for (suffix, replacement) in &self.lex.inflections {
                if !replacement.is_empty() || word.chars().count() < self.opts.min_stem_chars {
                    continue;
                }
                let form = format!("{word}{suffix}");
                let Some(m) =
                    table.lookup_word(&form, &self.opts, &self.lex.inflections, |p| p.noun)
                else {
                    continue;
                };
                // Only wildcards and compound heads: an inflected form that is also the inflection
                // of another entry ("spitzes": "spitz" or "spitze") is German morphology.
                if !matches!(m.kind, MatchKind::Prefix | MatchKind::CompoundHead) {
                    continue;
                }
                if m.entry.value.weight.signum() == -s {
                    out.push(self.err(
                        file,
                        l.line,
                        format!(
                            "inflected form '{form}' of '{}' is matched by '{}' ({}) with the opposite sign",
                            l.term, m.entry.term, m.entry.origin
                        ),
                    ));
                    break;
                }
            }
        }
    }

    /// Dialect mappings whose standard words are neither stop words nor known to a lexicon.
    fn dialect_targets(
        &self,
        mappings: &[Mapping],
        stopwords: &HashSet<String>,
        out: &mut Vec<LexiconError>,
    ) {
        for m in mappings {
            let unknown: Vec<&str> = m
                .standard
                .split(' ')
                .filter(|w| !stopwords.contains(*w) && !tone_knows(self.lex, &self.opts, w))
                .collect();
            if !unknown.is_empty() {
                out.push(LexiconError::new(
                    &m.file,
                    m.line,
                    format!(
                        "'{}' maps to unknown standard word(s) {}: not in {STOPWORDS_FILE} or any tone lexicon (a typo, or add the word to {STOPWORDS_FILE})",
                        m.dialect,
                        unknown.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
    }
}

/// Site files: the loader's verdict plus keys listed twice.
fn lint_site(dir: &Path, out: &mut Vec<LexiconError>) {
    let sdir = dir.join("site");
    let Ok(items) = std::fs::read_dir(&sdir) else {
        out.push(LexiconError::new(&sdir, 0, "cannot read folder"));
        return;
    };
    let mut paths: Vec<PathBuf> = items
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    paths.sort();
    for path in &paths {
        let name = super::display_name(path);
        let key = if name.starts_with("ranks") {
            "badge"
        } else if name.starts_with("months") {
            "name"
        } else if name.starts_with("age_units") {
            "word"
        } else {
            "pattern"
        };
        lint_unique(path, &[key], key, |_, _, _| Ok(()), out);
    }
}

/// `.tsv` files at the top of the folder that nothing reads (a misspelt name).
fn unread_files(dir: &Path, out: &mut Vec<LexiconError>) {
    let Ok(items) = std::fs::read_dir(dir) else {
        out.push(LexiconError::new(dir, 0, "cannot read folder"));
        return;
    };
    for path in items.filter_map(|e| e.ok().map(|e| e.path())) {
        let name = super::display_name(&path);
        if name.ends_with(".tsv") && !ROOT_FILES.contains(&name.as_str()) {
            out.push(LexiconError::new(
                &path,
                0,
                format!(
                    "file is not read by stimmung (expected one of {})",
                    ROOT_FILES.join(", ")
                ),
            ));
        }
    }
}
