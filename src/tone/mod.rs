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
pub use quotes::QuoteSources;

use std::borrow::Cow;

use crate::cmd::LexiconArgs;
use crate::dialect::{render_mapped, DialectLabel, DialectLexicon, DialectReport, DialectScratch};
use crate::lexicon::{LexiconError, ToneLexicons, WordLookup};
use crate::output::fixed::push_fixed;
use crate::text::{nfc, recycle, tokenize_into, Norms, Token, TokenKind, WordKey};

use engine::{Analysis, Engine, TermSource, NO_WORD};
use words::{WordCache, EMPTY};

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
        Engine { lex: &self.lex }
    }

    /// The index of what the lexicons say about word or hashtag token `t` in `words`, or
    /// [`NO_WORD`]. Hashtags are looked up without their '#'.
    fn word_index<'s>(&'s self, words: &mut WordCache<'s>, t: &Token) -> u32 {
        match t.kind {
            TokenKind::Word | TokenKind::Hashtag => {
                let norm = t.norm.as_ref();
                let norm = norm.strip_prefix('#').unwrap_or(norm);
                words.resolve(&self.lex, &self.dialect, &self.lookup, norm)
            }
            _ => NO_WORD,
        }
    }

    /// [`Analyzer::word_index`] of each of `tokens`, fresh from the tokenizer, into `ix`: one
    /// loop with the cache's hits inlined, where a call per token cost more than a hit. The
    /// same loop does the dialect mapping's walk: it returns the number of word tokens and
    /// puts each word token with a dialect entry into `dialect`, as
    /// [`DialectLexicon::apply_found`] wants them.
    fn word_indices<'s>(
        &'s self,
        words: &mut WordCache<'s>,
        tokens: &[Token],
        keys: &[WordKey],
        ix: &mut Vec<u32>,
        dialect: &mut Vec<(usize, &'s crate::dialect::Entry)>,
    ) -> usize {
        debug_assert_eq!(tokens.len(), keys.len());
        ix.clear();
        let mut word_tokens = 0;
        // Every token is asked alike, whether word or not: which one it is follows no pattern
        // the processor could predict.
        ix.extend(tokens.iter().zip(keys).enumerate().map(|(i, (t, &key))| {
            let is_word = t.kind == TokenKind::Word;
            word_tokens += usize::from(is_word);
            let w = words.resolve_keyed(&self.lex, &self.dialect, &self.lookup, key, &t.norm);
            // Read for every token, the empty answer's record too, while a dialect entry is
            // rare; only words are mapped, hashtags not.
            let known = std::hint::select_unpredictable(w == NO_WORD, EMPTY, w);
            if let Some(entry) = words.get(known).dialect {
                if is_word {
                    dialect.push((i, entry));
                }
            }
            w
        }));
        word_tokens
    }

    /// A scorer for many texts in a row: it remembers what the lexicons say about each word
    /// it has seen. One per thread; results are the same as [`Analyzer::score`]'s.
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer {
            analyzer: self,
            words: WordCache::default(),
            scratch: Scratch::default(),
            rendered: String::new(),
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

    /// An empty set of texts that comments may quote from without quotation marks (see
    /// [`Scorer::score_with_sources`]); [`QuoteSources::add`] the article and each comment.
    /// With `quoting`, the texts that will be scored against it, only shingles they contain
    /// are remembered, so memory is bounded by them however long the article is.
    pub fn quote_sources<'t>(
        &self,
        quoting: Option<impl IntoIterator<Item = &'t str>>,
    ) -> QuoteSources {
        QuoteSources::new(
            crate::lexicon::Rules::window(self.lex.rules.quote_shingle_words),
            quoting,
        )
    }

    /// Squashes a raw sum into [-1, 1]. The sum of a text with more than
    /// `length_free_sentences` sentences is first scaled down by its length, so that tone
    /// measures how densely a text evaluates rather than how much it says: an article of twenty
    /// mildly critical sentences is not more negative than a comment of a few of them.
    fn normalise(&self, raw: f64, sentences: usize) -> f64 {
        let r = &self.lex.rules;
        let length = sentences as f64 / r.length_free_sentences;
        // Most texts are short enough to keep their raw sum: no power to take.
        let scaled = if length > 1.0 {
            raw / length.powf(r.length_exponent)
        } else {
            raw
        };
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

    /// Writes the result of a finished pass into `out`, every field of it.
    fn result_into(&self, p: &Pass, out: &mut ToneResult) {
        let tally = self.tally(p);
        self.finish_into(&tally, out);
        // Without a dialect mapping every token keeps its normal form, so the rendering is
        // the text itself.
        if p.report.dialect_tokens == 0 {
            out.text_normalized.clear();
            out.text_normalized.push_str(p.text);
        } else {
            render_mapped(p.text, p.tokens, p.mapped, &mut out.text_normalized);
        }
        // Written as bytes, which is cheaper for the numbers, and checked once.
        let mut terms = std::mem::take(&mut out.matched_terms).into_bytes();
        terms.clear();
        matched_terms(p.tokens, p.analysis, &mut terms);
        out.matched_terms = String::from_utf8(terms)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }

    /// A finished pass as [`Scored`], its rendering (for a text with dialect mappings) in
    /// `rendered`.
    fn scored<'p>(&self, p: &'p Pass<'p, '_>, rendered: &'p mut String) -> Scored<'p> {
        let numbers = self.numbers(&self.tally(p));
        let text_normalized = if p.report.dialect_tokens == 0 {
            p.text
        } else {
            render_mapped(p.text, p.tokens, p.mapped, rendered);
            rendered.as_str()
        };
        Scored {
            numbers,
            text_normalized,
            tokens: p.tokens,
            analysis: p.analysis,
        }
    }

    /// The sums a text's result is made of.
    fn tally(&self, p: &Pass) -> Tally {
        let (tokens, report, a) = (p.tokens, p.report, p.analysis);
        let offset = self.lex.rules.proportion_offset;
        let mut t = Tally {
            sentences: a.sentences,
            quoted_sentences: a.quoted_sentences,
            has_quotations: !a.quotations.is_empty(),
            irony: a
                .irony
                .and_then(|i| tokens.get(i))
                .map(|t| t.surface.to_string()),
            dialect_tokens: report.dialect_tokens,
            word_tokens: report.word_tokens,
            unambiguous: report.unambiguous,
            ..Tally::default()
        };
        for term in &a.terms {
            if term.quoted {
                t.quoted_raw += term.contribution;
                continue;
            }
            t.raw += term.contribution;
            if term.contribution > 0.0 {
                t.pos += term.contribution + offset;
            } else if term.contribution < 0.0 {
                t.neg += -term.contribution + offset;
            } else {
                t.neu += 1.0;
            }
        }
        t.neu += a.neutral_words as f64;
        for u in a.uncivil.iter().filter(|u| !u.quoted) {
            t.keep *= 1.0 - u.weight;
            if !t.categories.iter().any(|c| *c == u.category.as_str()) {
                t.categories.push(u.category.as_str());
            }
        }
        t.categories.sort_unstable();
        t
    }

    /// The numbers and labels that the sums decide.
    fn numbers(&self, t: &Tally) -> ToneNumbers {
        let total = t.pos + t.neg + t.neu;
        let (pos, neg, neu) = if total > 0.0 {
            (t.pos / total, t.neg / total, t.neu / total)
        } else {
            (0.0, 0.0, 1.0)
        };
        let tone = self.normalise(t.raw, t.sentences);
        let (dialect_share, dialect_label) =
            self.dialect
                .label(t.dialect_tokens, t.word_tokens, t.unambiguous);
        ToneNumbers {
            tone,
            tone_label: self.label(tone, pos, neg),
            pos,
            neg,
            neu,
            raw: t.raw,
            incivility: 1.0 - t.keep,
            quoted_tone: t
                .has_quotations
                .then(|| self.normalise(t.quoted_raw, t.quoted_sentences)),
            dialect_share,
            dialect_label,
        }
    }

    /// Writes every field of `out` that the sums decide (all but `text_normalized` and
    /// `matched_terms`).
    fn finish_into(&self, t: &Tally, out: &mut ToneResult) {
        let n = self.numbers(t);
        out.tone = n.tone;
        out.tone_label = n.tone_label;
        out.pos = n.pos;
        out.neg = n.neg;
        out.neu = n.neu;
        out.raw = n.raw;
        out.incivility = n.incivility;
        out.incivility_categories.clear();
        out.incivility_categories
            .extend(t.categories.iter().map(|c| c.to_string()));
        out.irony.clone_from(&t.irony);
        out.quoted_tone = n.quoted_tone;
        out.dialect_share = n.dialect_share;
        out.dialect_label = n.dialect_label;
    }
}

/// The numbers and labels of a [`ToneResult`], each meaning the same as there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneNumbers {
    pub tone: f64,
    pub tone_label: ToneLabel,
    pub pos: f64,
    pub neg: f64,
    pub neu: f64,
    pub raw: f64,
    pub incivility: f64,
    pub quoted_tone: Option<f64>,
    pub dialect_share: f64,
    pub dialect_label: DialectLabel,
}

impl ToneResult {
    /// The numbers and labels of this result.
    pub fn numbers(&self) -> ToneNumbers {
        ToneNumbers {
            tone: self.tone,
            tone_label: self.tone_label,
            pos: self.pos,
            neg: self.neg,
            neu: self.neu,
            raw: self.raw,
            incivility: self.incivility,
            quoted_tone: self.quoted_tone,
            dialect_share: self.dialect_share,
            dialect_label: self.dialect_label,
        }
    }
}

/// One scored text as [`Scorer::score_with`] shows it: the numbers of its [`ToneResult`], and
/// `text_normalized` and `matched_terms` borrowed from the scorer or written where the caller
/// wants them rather than copied into strings of their own.
pub struct Scored<'p> {
    pub numbers: ToneNumbers,
    text_normalized: &'p str,
    tokens: &'p [Token<'p>],
    analysis: &'p Analysis<'p>,
}

impl Scored<'_> {
    /// [`ToneResult::text_normalized`].
    pub fn text_normalized(&self) -> &str {
        self.text_normalized
    }

    /// Appends [`ToneResult::matched_terms`] to `out`.
    pub fn push_matched_terms(&self, out: &mut Vec<u8>) {
        matched_terms(self.tokens, self.analysis, out);
    }
}

/// The sums behind one text's result. A document's tally is the sum of its blocks' tallies,
/// normalised once, so a long article is scored like the whole text without holding it.
#[derive(Debug, Clone)]
struct Tally {
    raw: f64,
    quoted_raw: f64,
    /// Positive, negative and neutral material before they become shares.
    pos: f64,
    neg: f64,
    neu: f64,
    /// Π(1 − severity) over the uncivil words outside quotations.
    keep: f64,
    /// Sorted, without duplicates.
    categories: Vec<&'static str>,
    sentences: usize,
    quoted_sentences: usize,
    has_quotations: bool,
    /// The first irony cue.
    irony: Option<String>,
    dialect_tokens: usize,
    word_tokens: usize,
    unambiguous: usize,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            raw: 0.0,
            quoted_raw: 0.0,
            pos: 0.0,
            neg: 0.0,
            neu: 0.0,
            keep: 1.0,
            categories: Vec::new(),
            sentences: 0,
            quoted_sentences: 0,
            has_quotations: false,
            irony: None,
            dialect_tokens: 0,
            word_tokens: 0,
            unambiguous: 0,
        }
    }
}

impl Tally {
    fn add(&mut self, b: &Tally) {
        self.raw += b.raw;
        self.quoted_raw += b.quoted_raw;
        self.pos += b.pos;
        self.neg += b.neg;
        self.neu += b.neu;
        self.keep *= b.keep;
        for &c in &b.categories {
            if let Err(at) = self.categories.binary_search(&c) {
                self.categories.insert(at, c);
            }
        }
        self.sentences += b.sentences;
        self.quoted_sentences += b.quoted_sentences;
        self.has_quotations |= b.has_quotations;
        if self.irony.is_none() {
            self.irony.clone_from(&b.irony);
        }
        self.dialect_tokens += b.dialect_tokens;
        self.word_tokens += b.word_tokens;
        self.unambiguous += b.unambiguous;
    }
}

/// A document's `matched_terms` stops growing at about this many bytes (then ends in `|…`):
/// the column of a 200 MB article is unreadable long before that.
pub const DOCUMENT_MATCHED_TERMS_MAX: usize = 10_000;

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
    /// The rendering of the last text [`Scorer::score_with`] scored, when it had dialect
    /// mappings.
    rendered: String,
}

/// Texts that [`Scorer::score_batch_with`] takes through each stage together before the next
/// stage. One text's way through all stages runs more code than the processor keeps at hand
/// and interleaves the branches of every stage: a stage that runs for several texts in a row
/// finds its code and the history of its branches still there.
pub const BATCH: usize = 16;

/// The per-text lists of a [`Scorer`], one set for each text of a batch, cleared rather than
/// dropped between texts.
#[derive(Default)]
struct Scratch<'a> {
    /// Borrowed by the tokens of their text while it is scored, so kept apart from the rest.
    norms: Vec<Norms>,
    tokens: Vec<Vec<Token<'static>>>,
    slots: Vec<Slot<'a>>,
}

/// The lists of one text of a batch but its normal forms and tokens.
#[derive(Default)]
struct Slot<'a> {
    dialect: DialectScratch<'a>,
    analysis: Analysis<'a>,
    /// Per token: its key for the word cache.
    keys: Vec<WordKey>,
    /// Per token: where the word cache holds what the lexicons say about it.
    ix: Vec<u32>,
}

/// The texts a pass's texts may quote without quotation marks.
enum Quoting<'s> {
    None,
    /// Stretches found in the sources are quotations.
    From(&'s QuoteSources),
    /// As `From`, and each text is added to the sources once searched, for the texts after it.
    FromAndAdd(&'s mut QuoteSources),
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
        self.pass(text, false, Quoting::None, |p| a.result_into(p, out));
    }

    /// Scores one text as [`Scorer::score_into`] does and hands the result to `f` without
    /// copying the text or the terms into strings: for writers that put them straight into
    /// their output.
    pub fn score_with<R>(&mut self, text: &str, f: impl FnOnce(&Scored<'_>) -> R) -> R {
        let a = self.analyzer;
        let mut rendered = std::mem::take(&mut self.rendered);
        let out = self.pass(text, false, Quoting::None, |p| {
            f(&a.scored(p, &mut rendered))
        });
        self.rendered = rendered;
        out
    }

    /// [`Scorer::score_into`] for each of `texts` into the result of the same index in `out`
    /// (at least as many): the texts go through the stages [`BATCH`] at a time.
    pub fn score_batch_into(&mut self, texts: &[&str], out: &mut [ToneResult]) {
        debug_assert!(out.len() >= texts.len());
        let a = self.analyzer;
        self.batched_passes(texts, None, |k, p| {
            if let Some(result) = out.get_mut(k) {
                a.result_into(p, result);
            }
        });
    }

    /// [`Scorer::score_with_sources`] for each of `texts` in turn into the result of the same
    /// index in `out` (at least as many), adding each text to `sources` once it is scored, as
    /// [`QuoteSources::add`] would: the comments of a page, each of which later ones may quote.
    /// The texts go through the stages [`BATCH`] at a time, and each is tokenised once for
    /// both.
    pub fn score_batch_quoting(
        &mut self,
        texts: &[&str],
        sources: &mut QuoteSources,
        out: &mut [ToneResult],
    ) {
        debug_assert!(out.len() >= texts.len());
        let a = self.analyzer;
        self.batched_passes(texts, Some(sources), |k, p| {
            if let Some(result) = out.get_mut(k) {
                a.result_into(p, result);
            }
        });
    }

    /// [`Scorer::score_with`] for each of `texts`, in order, `f` told the index of each text:
    /// the texts go through the stages [`BATCH`] at a time, which is faster than one by one.
    pub fn score_batch_with(&mut self, texts: &[&str], mut f: impl FnMut(usize, &Scored<'_>)) {
        let a = self.analyzer;
        let mut rendered = std::mem::take(&mut self.rendered);
        self.batched_passes(texts, None, |k, p| f(k, &a.scored(p, &mut rendered)));
        self.rendered = rendered;
    }

    /// [`Scorer::passes`] over `texts` [`BATCH`] at a time, each text added to `sources` (if
    /// any) once searched; `f` is told each text's index in `texts`.
    fn batched_passes(
        &mut self,
        texts: &[&str],
        mut sources: Option<&mut QuoteSources>,
        mut f: impl FnMut(usize, &Pass<'_, 'a>),
    ) {
        for (b, batch) in texts.chunks(BATCH).enumerate() {
            let quoting = sources
                .as_deref_mut()
                .map_or(Quoting::None, Quoting::FromAndAdd);
            self.passes::<BATCH>(batch, false, quoting, |k, p| f(b * BATCH + k, p));
        }
    }

    /// The lexicons this scorer uses.
    pub fn analyzer(&self) -> &'a Analyzer {
        self.analyzer
    }

    /// Scores one text as [`Scorer::score`] does, and treats every stretch of at least
    /// `quote_shingle_words` words that also occurs in `sources` (the article, earlier
    /// comments) as a quotation even without quotation marks: scored apart as `quoted_tone`,
    /// marked `q:` in `matched_terms`, not counted in `tone`.
    pub fn score_with_sources(&mut self, text: &str, sources: &QuoteSources) -> ToneResult {
        let a = self.analyzer;
        let mut out = ToneResult::default();
        self.pass(text, false, Quoting::From(sources), |p| {
            a.result_into(p, &mut out)
        });
        out
    }

    /// Scores a document made of blocks (the paragraphs of an article): each block once, and
    /// the document by summing the blocks' raw contributions, sentences and positive, negative
    /// and neutral material and normalising once, as for one text. The document result equals
    /// that of the blocks joined by blank lines, except where a rule would reach across a
    /// block boundary (a contrast marker opening a block, a "Herrlich," opener, capitals judged
    /// against the rest of the text, dialect evidence), so memory and time stay linear in the
    /// largest block. Its `text_normalized` joins the blocks' with blank lines; its
    /// `matched_terms` joins theirs with `|`, cut at [`DOCUMENT_MATCHED_TERMS_MAX`] bytes.
    pub fn score_blocks(&mut self, blocks: &[&str]) -> (Vec<ToneResult>, ToneResult) {
        let a = self.analyzer;
        let mut doc_tally = Tally::default();
        let mut doc = ToneResult::default();
        let mut cut = false;
        let mut results = Vec::with_capacity(blocks.len());
        for (k, block) in blocks.iter().enumerate() {
            let mut result = ToneResult::default();
            self.pass(block, false, Quoting::None, |p| {
                doc_tally.add(&a.tally(p));
                a.result_into(p, &mut result);
            });
            if k > 0 {
                doc.text_normalized.push_str("\n\n");
            }
            doc.text_normalized.push_str(&result.text_normalized);
            if !cut && !result.matched_terms.is_empty() {
                if !doc.matched_terms.is_empty() {
                    doc.matched_terms.push('|');
                }
                cut = push_capped(&mut doc.matched_terms, &result.matched_terms);
            }
            results.push(result);
        }
        a.finish_into(&doc_tally, &mut doc);
        (results, doc)
    }

    /// Scores one text and explains every token.
    pub fn explain(&mut self, text: &str) -> Explanation {
        let a = self.analyzer;
        self.pass(text, true, Quoting::None, |p| {
            let mut result = ToneResult::default();
            a.result_into(p, &mut result);
            explain::build(p.text, p.tokens, p.report, p.analysis, result)
        })
    }

    /// NFC, tokens, dialect mapping and the scoring pass over `text`, in the scratch lists;
    /// `f` reads the outcome. Stretches found in `sources` are quotations.
    fn pass<R>(
        &mut self,
        text: &str,
        explain: bool,
        quoting: Quoting<'_>,
        f: impl FnOnce(&Pass<'_, 'a>) -> R,
    ) -> R {
        let (mut f, mut out) = (Some(f), None);
        self.passes::<1>(&[text], explain, quoting, |_, p| {
            out = f.take().map(|f| f(p))
        });
        out.expect("a pass for the one text")
    }

    /// [`Scorer::pass`] for each of `texts` (at most `N`), stage by stage: every text is
    /// tokenised, then every text's words are looked up, and so on; `f` reads each outcome, in
    /// order, with the index of its text. The word cache starts over only before the batch, so
    /// the answers of all its texts stay where their indices say.
    fn passes<const N: usize>(
        &mut self,
        texts: &[&str],
        explain: bool,
        mut quoting: Quoting<'_>,
        mut f: impl FnMut(usize, &Pass<'_, 'a>),
    ) {
        let a = self.analyzer;
        let s = &mut self.scratch;
        let n = texts.len();
        debug_assert!(n <= N);
        if s.slots.len() < n {
            s.norms.resize_with(n, Norms::default);
            s.tokens.resize_with(n, Vec::new);
            s.slots.resize_with(n, Slot::default);
        }
        let slots = &mut s.slots[..n];
        // On the stack and `N` long, so that a single text costs no allocation and no more.
        let texts: [Cow<str>; N] =
            std::array::from_fn(|k| texts.get(k).map_or(Cow::Borrowed(""), |t| nfc(t)));
        let texts = &texts[..n];
        let mut tokens: [Vec<Token>; N] = std::array::from_fn(|k| {
            s.tokens
                .get_mut(k)
                .filter(|_| k < n)
                .map_or_else(Vec::new, |t| recycle(std::mem::take(t)))
        });
        let tokens = &mut tokens[..n];
        for (((text, norms), tokens), slot) in texts
            .iter()
            .zip(&mut s.norms)
            .zip(&mut *tokens)
            .zip(&mut *slots)
        {
            tokenize_into(text, norms, tokens, &mut slot.keys);
        }
        // Before the dialect mapping, so that both sides are compared as written. In the order
        // of the texts, so that each is searched for in the sources with those before it added.
        let sourced: [Vec<(usize, usize)>; N] =
            std::array::from_fn(|k| match (&mut quoting, tokens.get(k)) {
                (Quoting::From(sources), Some(tokens)) => quotes::sourced(tokens, sources),
                (Quoting::FromAndAdd(sources), Some(tokens)) => sources.sourced_then_add(tokens),
                _ => Vec::new(),
            });
        let words = &mut self.words;
        words.start_text();
        let mut word_tokens = [0; N];
        for ((tokens, slot), count) in tokens.iter().zip(&mut *slots).zip(&mut word_tokens) {
            *count = a.word_indices(
                words,
                tokens,
                &slot.keys,
                &mut slot.ix,
                slot.dialect.candidates(),
            );
        }
        let mut reports: [Option<DialectReport>; N] = std::array::from_fn(|_| None);
        for (((tokens, slot), &word_tokens), report) in tokens
            .iter_mut()
            .zip(&mut *slots)
            .zip(&word_tokens)
            .zip(&mut reports)
        {
            let new_report = {
                let (words, ix) = (&*words, &slot.ix);
                a.dialect
                    .apply_found(tokens, &mut slot.dialect, explain, word_tokens, |i, _| {
                        words.get(ix[i]).dialect
                    })
            };
            // A mapped word is scored as the standard German it stands for: its dialect
            // entry's, so the answer for it is kept with the word's own.
            for &i in slot.dialect.mapped() {
                slot.ix[i] =
                    words.standard_index(slot.ix[i], |words| a.word_index(words, &tokens[i]));
            }
            *report = Some(new_report);
        }
        for ((tokens, slot), sourced) in tokens.iter().zip(&mut *slots).zip(&sourced) {
            a.engine().analyse(
                tokens,
                explain,
                words,
                &slot.ix,
                sourced,
                &mut slot.analysis,
            );
        }
        for (k, ((text, tokens), (slot, report))) in texts
            .iter()
            .zip(&*tokens)
            .zip(slots.iter().zip(reports.iter().flatten()))
            .enumerate()
        {
            f(
                k,
                &Pass {
                    text,
                    tokens,
                    report,
                    analysis: &slot.analysis,
                    mapped: slot.dialect.mapped(),
                },
            );
        }
        for (kept, tokens) in s.tokens.iter_mut().zip(tokens) {
            *kept = recycle(std::mem::take(tokens));
        }
    }
}

/// Appends `terms` (entries joined by `|`) to `out` up to [`DOCUMENT_MATCHED_TERMS_MAX`] bytes,
/// cutting only between entries and marking a cut with `|…`. Returns whether it cut.
fn push_capped(out: &mut String, terms: &str) -> bool {
    if out.len() + terms.len() <= DOCUMENT_MATCHED_TERMS_MAX {
        out.push_str(terms);
        return false;
    }
    let room = DOCUMENT_MATCHED_TERMS_MAX.saturating_sub(out.len());
    let end = terms
        .match_indices('|')
        .map(|(i, _)| i)
        .take_while(|&i| i <= room)
        .last()
        .unwrap_or(0);
    out.push_str(&terms[..end]);
    if !out.is_empty() && !out.ends_with('|') {
        out.push('|');
    }
    out.push('…');
    true
}

/// The cues of a term sorted, as `sort_unstable` sorts them: three compare-and-swaps instead
/// of a general sort.
fn in_order([mut a, mut b, mut c]: [Option<usize>; 3]) -> [Option<usize>; 3] {
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    if b > c {
        std::mem::swap(&mut b, &mut c);
    }
    if a > b {
        std::mem::swap(&mut a, &mut b);
    }
    [a, b, c]
}

/// Appends the compact `matched_terms` column to `out`: cues joined to their term with `>`
/// ("nicht>gut", "wozu>?").
fn matched_terms(tokens: &[Token], a: &Analysis, out: &mut Vec<u8>) {
    let start = out.len();
    for t in &a.terms {
        if out.len() > start {
            out.push(b'|');
        }
        if t.quoted {
            out.extend_from_slice(b"q:");
        }
        let cues = [t.negated_by, t.intensified_by, t.cued_by];
        // Most terms have no cue: nothing to sort.
        if cues != [None; 3] {
            for c in in_order(cues)
                .into_iter()
                .flatten()
                .filter_map(|c| tokens.get(c))
            {
                out.extend_from_slice(c.norm.as_bytes());
                out.push(b'>');
            }
        }
        for (k, tok) in tokens[t.first..=t.last].iter().enumerate() {
            if k > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(tok.norm.as_bytes());
        }
        if t.source == TermSource::Emoji && t.factor == 0.0 {
            out.extend_from_slice(b"(irony)");
        } else {
            out.push(b'(');
            push_fixed(out, t.contribution, 2, true);
            out.push(b')');
        }
    }
    for u in a.uncivil.iter().filter(|u| !u.quoted) {
        if out.len() > start {
            out.push(b'|');
        }
        out.extend_from_slice(tokens[u.token].norm.as_bytes());
        out.push(b'(');
        out.extend_from_slice(u.category.as_str().as_bytes());
        out.push(b')');
    }
}

#[cfg(test)]
mod tests;
