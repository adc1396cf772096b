//! Tone scoring with editable lexicons, and term-by-term explanations.
//!
//! Pipeline per text: NFC → tokens → dialect mapping (token norms become standard German) →
//! lexicon look-up (multi-word expressions, exact forms, `*` prefixes, compound heads, ae/oe/ue
//! spellings) → rules (negation, intensifiers, contrast, emphasis, questions, irony, quotations;
//! every constant in `rules.tsv`) → the raw sum, scaled down for texts longer than
//! `length_free_sentences` → `tone = scaled / sqrt(scaled² + alpha)` and a label by the thresholds in
//! `rules.tsv`. [`Analyzer`] loads everything once and is shared read-only between
//! threads.

mod engine;
mod explain;
mod quotes;
mod words;

pub use engine::ModifierKind;
pub use explain::{Explanation, ModifierExplanation, TokenExplanation};

use std::fmt::Write as _;

use crate::cmd::LexiconArgs;
use crate::dialect::{render_normalized, DialectLabel, DialectLexicon, DialectReport};
use crate::lexicon::{LexiconError, ToneLexicons, WordLookup};
use crate::output::fixed::push_fixed;
use crate::text::{nfc, tokenize, Token};

use engine::{Analysis, Engine, TermSource};
use words::WordCache;

/// The three tone classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ToneLabel {
    Negative,
    Neutral,
    Positive,
}

impl ToneLabel {
    pub const ALL: [ToneLabel; 3] = [ToneLabel::Negative, ToneLabel::Neutral, ToneLabel::Positive];

    pub fn as_str(self) -> &'static str {
        match self {
            ToneLabel::Negative => "negative",
            ToneLabel::Neutral => "neutral",
            ToneLabel::Positive => "positive",
        }
    }

    /// Parses a label as written in gold files (case-insensitive).
    pub fn parse(s: &str) -> Option<ToneLabel> {
        let s = s.trim();
        ToneLabel::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
    }
}

/// The score of one text.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ToneResult {
    /// Overall tone in [-1, 1].
    pub tone: f64,
    pub tone_label: ToneLabel,
    /// Proportions of positive, negative and neutral material; they sum to 1.
    pub pos: f64,
    pub neg: f64,
    pub neu: f64,
    /// Sum of all term contributions outside quotations.
    pub raw: f64,
    /// Incivility in [0, 1], independent of tone.
    pub incivility: f64,
    pub incivility_categories: Vec<String>,
    /// The irony cue, when irony was flagged.
    pub irony: Option<String>,
    /// Tone of quoted material, scored apart (`None` when nothing is quoted).
    pub quoted_tone: Option<f64>,
    pub dialect_share: f64,
    pub dialect_label: DialectLabel,
    /// The standard-German rendering that scoring used.
    pub text_normalized: String,
    /// Compact list of the terms that fired, e.g. `gut(+0.50)|nicht>gut(-0.35)|😉(irony)`.
    pub matched_terms: String,
}

/// All lexicons (tone and dialect), loaded once; `Send + Sync`, shared read-only.
#[derive(Debug, Clone)]
pub struct Analyzer {
    lex: ToneLexicons,
    dialect: DialectLexicon,
    lookup: WordLookup,
}

impl Analyzer {
    /// Loads the lexicon folder (`args.lexicons` or [`crate::lexicon::default_dir`]) and layers
    /// the overlays on it.
    pub fn load(args: &LexiconArgs) -> Result<Analyzer, crate::Error> {
        let dir = args
            .lexicons
            .clone()
            .unwrap_or_else(crate::lexicon::default_dir);
        let lex = ToneLexicons::load(&dir, &args.overlay)?;
        let dialect = DialectLexicon::load(&dir)?;
        let r = &lex.rules;
        if r.label_negative >= r.label_positive {
            let origin = r.origin("label_negative").cloned();
            return Err(LexiconError::new(
                &dir.join(origin.as_ref().map_or("rules.tsv", |o| &o.file)),
                origin.map_or(0, |o| o.line),
                "label_negative must be below label_positive",
            )
            .into());
        }
        let lookup = WordLookup {
            min_head_chars: crate::lexicon::Rules::window(r.compound_min_head_chars),
            min_modifier_chars: crate::lexicon::Rules::window(r.compound_min_modifier_chars),
            umlaut_fallback: r.umlaut_fallback >= 0.5,
            min_stem_chars: crate::lexicon::Rules::window(r.inflection_min_stem_chars),
        };
        Ok(Analyzer {
            lex,
            dialect,
            lookup,
        })
    }

    fn engine(&self) -> Engine<'_> {
        Engine {
            lex: &self.lex,
            lookup: self.lookup,
        }
    }

    /// A scorer for many texts in a row: it remembers what the lexicons say about each word
    /// it has seen. One per thread; results are the same as [`Analyzer::score`]'s.
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer {
            analyzer: self,
            words: WordCache::default(),
        }
    }

    /// Scores one text. For many texts, [`Analyzer::scorer`] is faster.
    pub fn score(&self, text: &str) -> ToneResult {
        self.scorer().score(text)
    }

    /// Scores one text and explains every token.
    pub fn explain(&self, text: &str) -> Explanation {
        self.scorer().explain(text)
    }

    /// Squashes a raw sum into [-1, 1]. The sum of a text with more than
    /// `length_free_sentences` sentences is first scaled down by its length, so that tone
    /// measures how densely a text evaluates rather than how much it says: an article of twenty
    /// mildly critical sentences is not more negative than a comment of a few of them.
    fn normalise(&self, raw: f64, sentences: usize) -> f64 {
        let r = &self.lex.rules;
        let length = (sentences as f64 / r.length_free_sentences).max(1.0);
        let scaled = raw / length.powf(r.length_exponent);
        if scaled.is_nan() {
            return 0.0;
        }
        // Beyond this, scaled² would overflow (∞/∞), while the tone is ±1 to the last bit.
        if scaled.abs() > 1e100 {
            return scaled.signum();
        }
        let t = scaled / (scaled * scaled + r.alpha).sqrt();
        t.clamp(-1.0, 1.0)
    }

    fn label(&self, tone: f64, pos: f64, neg: f64) -> ToneLabel {
        let r = &self.lex.rules;
        if tone >= r.label_positive && pos >= r.label_positive_min_share {
            ToneLabel::Positive
        } else if tone <= r.label_negative && neg >= r.label_negative_min_share {
            ToneLabel::Negative
        } else {
            ToneLabel::Neutral
        }
    }

    fn result(
        &self,
        text: &str,
        tokens: &[Token],
        report: &DialectReport,
        a: &Analysis,
    ) -> ToneResult {
        let offset = self.lex.rules.proportion_offset;
        let (mut raw, mut quoted_raw) = (0.0, 0.0);
        let (mut pos, mut neg, mut neu) = (0.0, 0.0, 0.0);
        let mut in_term = vec![false; tokens.len()];
        for t in &a.terms {
            in_term[t.first..=t.last].iter_mut().for_each(|x| *x = true);
            if t.quoted {
                quoted_raw += t.contribution;
                continue;
            }
            raw += t.contribution;
            if t.contribution > 0.0 {
                pos += t.contribution + offset;
            } else if t.contribution < 0.0 {
                neg += -t.contribution + offset;
            } else {
                neu += 1.0;
            }
        }
        for (i, t) in tokens.iter().enumerate() {
            if t.kind == crate::text::TokenKind::Word && !in_term[i] && !a.quoted[i] {
                neu += 1.0;
            }
        }
        let total = pos + neg + neu;
        let (pos, neg, neu) = if total > 0.0 {
            (pos / total, neg / total, neu / total)
        } else {
            (0.0, 0.0, 1.0)
        };

        let mut keep = 1.0;
        let mut categories: Vec<&str> = Vec::new();
        for u in a.uncivil.iter().filter(|u| !u.quoted) {
            keep *= 1.0 - u.weight;
            if !categories.contains(&u.category.as_str()) {
                categories.push(u.category.as_str());
            }
        }
        categories.sort_unstable();

        let tone = self.normalise(raw, a.sentences);
        ToneResult {
            tone,
            tone_label: self.label(tone, pos, neg),
            pos,
            neg,
            neu,
            raw,
            incivility: 1.0 - keep,
            incivility_categories: categories.into_iter().map(String::from).collect(),
            irony: a
                .irony
                .and_then(|i| tokens.get(i))
                .map(|t| t.surface.to_string()),
            quoted_tone: (!a.quotations.is_empty())
                .then(|| self.normalise(quoted_raw, a.quoted_sentences)),
            dialect_share: report.share,
            dialect_label: report.label,
            // Without a dialect mapping every token keeps its normal form, so the rendering is
            // the text itself.
            text_normalized: if report.mappings.is_empty() {
                text.to_string()
            } else {
                render_normalized(text, tokens)
            },
            matched_terms: matched_terms(tokens, a),
        }
    }
}

/// Scores texts one after another with the lexicons of an [`Analyzer`], keeping per-word
/// look-ups between texts (bounded memory). Not shared between threads: make one per thread.
pub struct Scorer<'a> {
    analyzer: &'a Analyzer,
    words: WordCache<'a>,
}

impl Scorer<'_> {
    /// Scores one text.
    pub fn score(&mut self, text: &str) -> ToneResult {
        let a = self.analyzer;
        let text = nfc(text);
        let mut tokens = tokenize(&text);
        let report = a.dialect.apply(&mut tokens);
        let analysis = a.engine().analyse(&tokens, false, &mut self.words);
        a.result(&text, &tokens, &report, &analysis)
    }

    /// Scores one text and explains every token.
    pub fn explain(&mut self, text: &str) -> Explanation {
        let a = self.analyzer;
        let text = nfc(text);
        let mut tokens = tokenize(&text);
        let report = a.dialect.apply(&mut tokens);
        let analysis = a.engine().analyse(&tokens, true, &mut self.words);
        let result = a.result(&text, &tokens, &report, &analysis);
        explain::build(&text, &tokens, &report, &analysis, result)
    }
}

/// Writes the compact `matched_terms` column: cues joined to their term with `>`.
fn matched_terms(tokens: &[Token], a: &Analysis) -> String {
    let mut out = String::new();
    for t in &a.terms {
        if !out.is_empty() {
            out.push('|');
        }
        if t.quoted {
            out.push_str("q:");
        }
        let mut cues = [t.negated_by, t.intensified_by];
        cues.sort_unstable();
        for c in cues.into_iter().flatten().filter_map(|c| tokens.get(c)) {
            out.push_str(&c.norm);
            out.push('>');
        }
        for (k, tok) in tokens[t.first..=t.last].iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(&tok.norm);
        }
        if t.source == TermSource::Emoji && t.factor == 0.0 {
            out.push_str("(irony)");
        } else {
            out.push('(');
            push_fixed(&mut out, t.contribution, 2, true);
            out.push(')');
        }
    }
    for u in a.uncivil.iter().filter(|u| !u.quoted) {
        if !out.is_empty() {
            out.push('|');
        }
        let _ = write!(out, "{}({})", tokens[u.token].norm, u.category.as_str());
    }
    out
}

#[cfg(test)]
mod tests;
