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

use crate::cmd::LexiconArgs;
use crate::dialect::{render_mapped, DialectLabel, DialectLexicon, DialectReport, DialectScratch};
use crate::lexicon::{LexiconError, ToneLexicons, WordLookup};
use crate::output::fixed::push_fixed;
use crate::text::{nfc, recycle, tokenize_into, Norms, Token};

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
            scratch: Scratch::default(),
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

    /// Writes the result of a finished pass into `out`, every field of it. `in_term` is
    /// scratch space.
    fn result_into(&self, p: &Pass, in_term: &mut Vec<bool>, out: &mut ToneResult) {
        let (text, tokens, report, a) = (p.text, p.tokens, p.report, p.analysis);
        let offset = self.lex.rules.proportion_offset;
        let (mut raw, mut quoted_raw) = (0.0, 0.0);
        let (mut pos, mut neg, mut neu) = (0.0, 0.0, 0.0);
        in_term.clear();
        in_term.resize(tokens.len(), false);
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
        out.tone = tone;
        out.tone_label = self.label(tone, pos, neg);
        out.pos = pos;
        out.neg = neg;
        out.neu = neu;
        out.raw = raw;
        out.incivility = 1.0 - keep;
        out.incivility_categories.clear();
        out.incivility_categories
            .extend(categories.into_iter().map(String::from));
        out.irony = a
            .irony
            .and_then(|i| tokens.get(i))
            .map(|t| t.surface.to_string());
        out.quoted_tone =
            (!a.quotations.is_empty()).then(|| self.normalise(quoted_raw, a.quoted_sentences));
        out.dialect_share = report.share;
        out.dialect_label = report.label;
        // Without a dialect mapping every token keeps its normal form, so the rendering is
        // the text itself.
        if report.dialect_tokens == 0 {
            out.text_normalized.clear();
            out.text_normalized.push_str(text);
        } else {
            render_mapped(text, tokens, p.mapped, &mut out.text_normalized);
        }
        matched_terms(tokens, a, &mut out.matched_terms);
    }
}

impl Default for ToneResult {
    /// A neutral result of an empty text, to be filled by [`Scorer::score_into`].
    fn default() -> ToneResult {
        ToneResult {
            tone: 0.0,
            tone_label: ToneLabel::Neutral,
            pos: 0.0,
            neg: 0.0,
            neu: 1.0,
            raw: 0.0,
            incivility: 0.0,
            incivility_categories: Vec::new(),
            irony: None,
            quoted_tone: None,
            dialect_share: 0.0,
            dialect_label: DialectLabel::Standard,
            text_normalized: String::new(),
            matched_terms: String::new(),
        }
    }
}

/// Scores texts one after another with the lexicons of an [`Analyzer`], keeping per-word
/// look-ups between texts (bounded memory) and the working memory of the last text, so that a
/// text costs no allocation once the buffers have grown. Not shared between threads: make one
/// per thread.
pub struct Scorer<'a> {
    analyzer: &'a Analyzer,
    words: WordCache<'a>,
    scratch: Scratch<'a>,
}

/// The per-text lists of a [`Scorer`], cleared rather than dropped between texts.
#[derive(Default)]
struct Scratch<'a> {
    tokens: Vec<Token<'static>>,
    norms: Norms,
    dialect: DialectScratch<'a>,
    analysis: Analysis<'a>,
    in_term: Vec<bool>,
}

/// One text after tokenising, dialect mapping and the scoring pass.
struct Pass<'p, 'l> {
    text: &'p str,
    tokens: &'p [Token<'p>],
    report: &'p DialectReport,
    analysis: &'p Analysis<'l>,
    /// The tokens the dialect mapping rewrote.
    mapped: &'p [usize],
}

impl<'a> Scorer<'a> {
    /// Scores one text.
    pub fn score(&mut self, text: &str) -> ToneResult {
        let mut out = ToneResult::default();
        self.score_into(text, &mut out);
        out
    }

    /// Scores one text into `out`, reusing its strings: for many texts in a row, cheaper than
    /// [`Scorer::score`]. Every field is overwritten.
    pub fn score_into(&mut self, text: &str, out: &mut ToneResult) {
        let a = self.analyzer;
        self.pass(text, false, |p, in_term| a.result_into(p, in_term, out));
    }

    /// Scores one text and explains every token.
    pub fn explain(&mut self, text: &str) -> Explanation {
        let a = self.analyzer;
        self.pass(text, true, |p, in_term| {
            let mut result = ToneResult::default();
            a.result_into(p, in_term, &mut result);
            explain::build(p.text, p.tokens, p.report, p.analysis, result)
        })
    }

    /// NFC, tokens, dialect mapping and the scoring pass over `text`, in the scratch lists;
    /// `f` reads the outcome.
    fn pass<R>(
        &mut self,
        text: &str,
        explain: bool,
        f: impl FnOnce(&Pass<'_, 'a>, &mut Vec<bool>) -> R,
    ) -> R {
        let a = self.analyzer;
        let s = &mut self.scratch;
        let text = nfc(text);
        let mut tokens = recycle(std::mem::take(&mut s.tokens));
        tokenize_into(&text, &mut s.norms, &mut tokens);
        let report = a.dialect.apply_in(&mut tokens, &mut s.dialect, explain);
        a.engine()
            .analyse(&tokens, explain, &mut self.words, &mut s.analysis);
        let out = f(
            &Pass {
                text: &text,
                tokens: &tokens,
                report: &report,
                analysis: &s.analysis,
                mapped: s.dialect.mapped(),
            },
            &mut s.in_term,
        );
        s.tokens = recycle(tokens);
        out
    }
}

/// Writes the compact `matched_terms` column into `out` (cleared first): cues joined to their
/// term with `>`.
fn matched_terms(tokens: &[Token], a: &Analysis, out: &mut String) {
    out.clear();
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
            push_fixed(out, t.contribution, 2, true);
            out.push(')');
        }
    }
    for u in a.uncivil.iter().filter(|u| !u.quoted) {
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(&tokens[u.token].norm);
        out.push('(');
        out.push_str(u.category.as_str());
        out.push(')');
    }
}

#[cfg(test)]
mod tests;
