//! The scoring pass: finds the terms of a tokenised text, applies the rules (negation,
//! intensifiers, contrast, emphasis, questions, irony, quotations, rhetorical questions and
//! exclamations) and records every modifier.
//!
//! Everything here runs once per text on the hot path, so the pass works on token indices and
//! borrowed lexicon entries, and records modifiers only when an explanation is wanted.

use crate::lexicon::{
    longest_phrase, Contrast, ContrastScope, IncivilityCategory, IronyCue, MatchKind, Origin,
    RhetoricPosition, Rules, ToneLexicons,
};
use crate::text::{Token, TokenKind};

use super::quotes::{self, QuoteKind, QuoteSpan};
use super::words::{WordCache, WordInfo, EMPTY};

/// Marks a token that is neither a word nor a hashtag in the per-token word index.
pub const NO_WORD: u32 = u32::MAX;

/// Bound on a term's combined factor. Intensifiers chain ("sehr sehr gut"), so a run of
/// thousands would overflow to ∞ (and ∞ × a factor 0 to NaN); no real text comes near it.
const MAX_FACTOR: f64 = 1e6;

/// Why a term's weight was changed; shown in explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModifierKind {
    Compound,
    Negation,
    Intensifier,
    Contrast,
    Exclamation,
    Caps,
    Question,
    Irony,
}

impl ModifierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ModifierKind::Compound => "compound",
            ModifierKind::Negation => "negation",
            ModifierKind::Intensifier => "intensifier",
            ModifierKind::Contrast => "contrast",
            ModifierKind::Exclamation => "exclamation",
            ModifierKind::Caps => "caps",
            ModifierKind::Question => "question",
            ModifierKind::Irony => "irony",
        }
    }
}

/// One factor applied to a term.
#[derive(Debug, Clone)]
pub struct Modifier<'l> {
    pub kind: ModifierKind,
    pub factor: f64,
    /// The token that caused it (negator, intensifier, marker, emoji …), if any.
    pub cue: Option<usize>,
    /// The lexicon line or rule constant that supplied the factor.
    pub origin: Option<&'l Origin>,
}

/// Where a term's base weight came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermSource {
    Polarity(MatchKind),
    Emoji,
    /// An uncivil word without a polarity entry: its tone comes from `incivility_tone`.
    Incivility,
    /// Scare quotes around a few words: the writer distances themself (`scare_quote_tone`).
    ScareQuote,
    /// The question mark of a rhetorical question, weighted by its cue in `rhetoric.tsv`.
    RhetoricalQuestion,
    /// The first mark of an emphatic ending ("!!", "?!") of a sentence without praise
    /// (`exclamation_tone`).
    Exclamation,
}

/// A scored term: one token, or several for a multi-word expression.
#[derive(Debug, Clone)]
pub struct Term<'l> {
    pub first: usize,
    pub last: usize,
    pub base: f64,
    pub source: TermSource,
    pub origin: &'l Origin,
    /// The entry as written in the lexicon.
    pub entry_term: &'l str,
    /// Byte offset in the token's norm where an inherited compound head starts.
    pub head_at: Option<usize>,
    /// The negator that reached this term.
    pub negated_by: Option<usize>,
    /// The (first) intensifier that scaled this term.
    pub intensified_by: Option<usize>,
    /// The word that made the question this term closes rhetorical.
    pub cued_by: Option<usize>,
    pub factor: f64,
    pub contribution: f64,
    pub quoted: bool,
    /// A mocking emoji (flags irony next to positive terms).
    pub mocking: bool,
    /// The polarity entry is a noun (`pos` = NN).
    pub noun: bool,
    pub modifiers: Vec<Modifier<'l>>,
}

/// What a token does besides carrying a term.
#[derive(Debug, Clone, Copy)]
pub enum Role<'l> {
    None,
    Negator(&'l Origin),
    Intensifier(f64, &'l Origin),
    Contrast(Contrast, &'l Origin),
    /// Part of term number `.0`.
    Term(usize),
}

/// An incivility hit.
#[derive(Debug, Clone)]
pub struct Uncivil<'l> {
    pub token: usize,
    pub category: IncivilityCategory,
    pub weight: f64,
    pub origin: &'l Origin,
    pub term: &'l str,
    pub quoted: bool,
}

/// The result of the scoring pass over one text. A [`super::Scorer`] keeps one and refills it
/// for every text, so that its lists (and the working lists of the pass) keep their memory.
#[derive(Debug, Default)]
pub struct Analysis<'l> {
    pub roles: Vec<Role<'l>>,
    pub terms: Vec<Term<'l>>,
    pub uncivil: Vec<Uncivil<'l>>,
    pub irony: Option<usize>,
    /// Token ranges (content only) of quotations scored apart.
    pub quotations: Vec<(usize, usize)>,
    pub quoted: Vec<bool>,
    /// Sentences with words outside quotations, and sentences with quoted words: the length
    /// that long texts are scaled by.
    pub sentences: usize,
    pub quoted_sentences: usize,
    /// Word tokens outside quotations that are part of no term: neutral material.
    pub neutral_words: usize,
    /// Working lists of the pass.
    seg: Segments,
    /// The passages in quotation marks.
    spans: Vec<QuoteSpan>,
    scare: Vec<bool>,
    scare_opens: Vec<usize>,
    /// Per sentence: the sum of its terms' weights outside quotations.
    sentence_tone: Vec<f64>,
    contrast: ContrastScratch<'l>,
    found: Found,
}

/// What [`Engine::find_terms`] tells the later passes; kept from text to text.
#[derive(Debug, Default)]
struct Found {
    /// Word tokens outside quotations that are part of no term.
    neutral_words: usize,
    /// The irony markers and mocking emoji, in token order.
    irony_cues: Vec<usize>,
    /// The negators and the intensifiers, in token order.
    negators: Vec<usize>,
    intensifiers: Vec<usize>,
    /// The contrast markers, in token order.
    contrasts: Vec<usize>,
    /// The tokens [`Engine::find_terms`] visits, as [`visits`] sets them.
    visit: Vec<u64>,
}

/// The working lists of the contrast rule, kept from text to text.
#[derive(Debug, Default)]
struct ContrastScratch<'l> {
    /// The contrast markers that count, in token order, with their tokens.
    markers: Vec<(usize, Marker<'l>)>,
    /// The terms the markers may reach, by first token: (first token, term, its sentence).
    reach: Vec<(usize, usize, usize)>,
    /// Per term: the governing marker (in `markers`), and whether the term is in its marked
    /// part.
    governor: Vec<Option<(usize, bool)>>,
}

/// Sentence and clause structure. Only the boundaries are kept, not an entry per token: the
/// rules ask about few tokens, mostly those of terms, negators and markers.
#[derive(Debug, Default)]
struct Segments {
    /// Per sentence: first token, end token (exclusive), exclamation marks, ends in '?'. The
    /// sentences cover all tokens, in order.
    sentences: Vec<(usize, usize, usize, bool)>,
    /// The tokens that end a clause, in order: the next clause starts after each.
    clause_ends: Vec<usize>,
    /// The token count.
    len: usize,
    /// Sentences with a word.
    worded: usize,
    /// Some token is a quotation mark.
    quote: bool,
    /// Some sentence closes with an exclamation or a question mark.
    emphatic: bool,
}

impl Segments {
    /// The sentence of token `i`.
    fn sentence(&self, i: usize) -> u32 {
        self.sentences.partition_point(|s| s.1 <= i) as u32
    }

    /// [`Segments::sentence`] of token `i`, walking on from sentence `from` when `i` is not
    /// before it. The passes ask for their terms in token order, and the next term is nearly
    /// always in the same sentence as the last or the one after: a step or two instead of a
    /// binary search.
    fn sentence_from(&self, i: usize, from: usize) -> usize {
        match self.sentences.get(from) {
            Some(s) if s.0 <= i => {
                let mut k = from;
                while self.sentences.get(k).is_some_and(|s| s.1 <= i) {
                    k += 1;
                }
                k
            }
            _ => self.sentence(i) as usize,
        }
    }

    /// The clause of token `i`.
    fn clause(&self, i: usize) -> u32 {
        self.clause_ends.partition_point(|&k| k < i) as u32
    }

    /// The tokens of token `i`'s clause.
    fn clause_range(&self, i: usize) -> std::ops::Range<usize> {
        self.clause_range_of(self.clause(i) as usize)
    }

    /// The tokens of clause `c`.
    fn clause_range_of(&self, c: usize) -> std::ops::Range<usize> {
        let start = c.checked_sub(1).map_or(0, |p| self.clause_ends[p] + 1);
        let end = self.clause_ends.get(c).map_or(self.len, |&k| k + 1);
        start..end
    }
}

/// A contrast marker that counts: what it marks ends at `marked_end` (exclusive); its rest is
/// the rest of its sentence, or the previous sentence when it opens one ("… gut. Aber teuer.").
#[derive(Debug)]
struct Marker<'l> {
    scope: ContrastScope,
    weight_marked: f64,
    weight_rest: f64,
    origin: &'l Origin,
    marked_end: usize,
    rest_is_previous: bool,
    /// The marker's sentence.
    sentence: usize,
}

/// What a punctuation mark ends: (a sentence, a clause).
fn punct_ends(surface: &str) -> (bool, bool) {
    // Nearly every punctuation token is one ASCII mark, which its byte decides.
    if let &[b] = surface.as_bytes() {
        let sentence = matches!(b, b'.' | b'!' | b'?');
        let clause = sentence || matches!(b, b',' | b';' | b':' | b'-' | b'(' | b')');
        return (sentence, clause);
    }
    let sentence = surface.contains(['.', '!', '?', '\u{2026}']);
    let clause =
        sentence || surface.contains([',', ';', ':', '\u{2013}', '\u{2014}', '-', '(', ')']);
    (sentence, clause)
}

/// The exclamation marks of a punctuation mark, and whether it holds a question mark.
fn marks(surface: &str) -> (usize, bool) {
    // Nearly every mark is one byte: a search through the string costs more than the byte.
    if let &[b] = surface.as_bytes() {
        return (usize::from(b == b'!'), b == b'?');
    }
    (surface.matches('!').count(), surface.contains('?'))
}

/// Whether `t` ends a sentence and whether it ends a clause.
fn ends(t: &Token) -> (bool, bool) {
    match t.kind {
        TokenKind::Punct => punct_ends(t.surface),
        TokenKind::LineBreak => (true, true),
        TokenKind::Quote => (false, true),
        _ => (false, false),
    }
}

/// Splits `tokens` into sentences and clauses. A sentence takes the whole run of closing
/// punctuation ("?!", "!!!"); the marks after the first belong to the next clause already.
fn segment(tokens: &[Token], seg: &mut Segments) {
    let Segments {
        sentences,
        clause_ends,
        len,
        worded,
        quote,
        emphatic,
    } = seg;
    sentences.clear();
    clause_ends.clear();
    *len = tokens.len();
    *worded = 0;
    *quote = false;
    *emphatic = false;
    let mut start = 0;
    // The exclamation marks and question of the closing run being read, if any.
    let mut run: Option<(usize, bool)> = None;
    // The current sentence has a word.
    let mut word = false;
    let mut i = 0;
    loop {
        // Most tokens are words and others that end nothing: of a run of them only whether one
        // is a word matters, which a loop of their own finds with few instructions per token.
        let rest = &tokens[i..];
        let plain = rest
            .iter()
            .position(|t| {
                matches!(
                    t.kind,
                    TokenKind::Punct | TokenKind::Quote | TokenKind::LineBreak
                )
            })
            .unwrap_or(rest.len());
        if plain > 0 {
            if let Some((excl, question)) = run.take() {
                *emphatic |= excl > 0 || question;
                sentences.push((start, i, excl, question));
                start = i;
                *worded += usize::from(std::mem::take(&mut word));
            }
            word |= rest[..plain].iter().any(is_word);
            i += plain;
        }
        let Some(t) = tokens.get(i) else {
            break;
        };
        let at = i;
        i += 1;
        let (sentence_end, clause_end) = ends(t);
        if let Some((excl, question)) = run {
            if t.kind == TokenKind::Punct && sentence_end {
                let (more, asks) = marks(t.surface);
                run = Some((excl + more, question || asks));
                continue;
            }
            run = None;
            *emphatic |= excl > 0 || question;
            sentences.push((start, at, excl, question));
            start = at;
            *worded += usize::from(std::mem::take(&mut word));
        }
        *quote |= t.kind == TokenKind::Quote;
        if clause_end {
            clause_ends.push(at);
        }
        if sentence_end {
            if t.kind == TokenKind::Punct {
                run = Some(marks(t.surface));
            } else {
                sentences.push((start, at + 1, 0, false));
                start = at + 1;
                *worded += usize::from(std::mem::take(&mut word));
            }
        }
    }
    if let Some((excl, question)) = run {
        *emphatic |= excl > 0 || question;
        sentences.push((start, tokens.len(), excl, question));
        start = tokens.len();
    }
    if start < tokens.len() {
        sentences.push((start, tokens.len(), 0, false));
    }
    *worded += usize::from(word);
}

/// Finds the marker that governs each term (see [`Engine::contrast`]) into
/// `scratch.governor`: per term, the marker's index in `scratch.markers` and whether the term
/// is in its marked part. Markers reach no further than their own sentence and, opening one,
/// the sentence before it, and every state the passes keep starts over at a sentence boundary,
/// so the passes visit only the markers and the terms from there to the last marker's sentence
/// end, in token order forward and then backward: between two of them the state can change
/// only at sentence boundaries and where a clause marker's marked part ends, which the next
/// visit catches up on. `contrasts` are the tokens with a contrast role, in order (at least
/// one).
fn contrast_governors<'l>(
    tokens: &[Token],
    seg: &Segments,
    roles: &[Role<'l>],
    terms: &[Term<'l>],
    contrasts: &[usize],
    scratch: &mut ContrastScratch<'l>,
) {
    let ContrastScratch {
        markers,
        reach,
        governor,
    } = scratch;
    markers.clear();
    reach.clear();
    governor.clear();
    governor.resize(terms.len(), None);
    let (Some(&first), Some(&last)) = (contrasts.first(), contrasts.last()) else {
        return;
    };
    markers.extend(
        contrasts
            .iter()
            .filter_map(|&c| Some((c, marker(tokens, seg, c, &roles[c])?))),
    );
    let sentence_of = |j: usize| seg.sentence(j) as usize;
    let lo = seg
        .sentences
        .get(sentence_of(first).saturating_sub(1))
        .map_or(0, |s| s.0);
    let hi = seg
        .sentences
        .get(sentence_of(last))
        .map_or(tokens.len(), |s| s.1);
    reach.extend(
        terms
            .iter()
            .enumerate()
            .filter(|(_, t)| (lo..hi).contains(&t.first))
            .map(|(k, t)| (t.first, k, 0)),
    );
    reach.sort_unstable();
    // The passes compare the sentences of the tokens they visit: each is found once here.
    let mut s = 0;
    for r in reach.iter_mut() {
        s = seg.sentence_from(r.0, s);
        r.2 = s;
    }

    // Forward: the latest sentence-scope and clause-scope markers whose marked part reaches
    // a term, and the latest concessive clause of the sentence that has closed before it. At
    // one token the term is seen before the marker.
    let (mut by_sentence, mut by_clause, mut closed): (Option<usize>, Option<usize>, _) =
        (None, None, None);
    let (mut t, mut m, mut prev) = (0, 0, None);
    loop {
        let is_term = match (reach.get(t), markers.get(m)) {
            (Some(a), Some(b)) => a.0 <= b.0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let (j, sentence) = if is_term {
            (reach[t].0, reach[t].2)
        } else {
            (markers[m].0, markers[m].1.sentence)
        };
        if prev.is_some_and(|p| p != sentence) {
            (by_sentence, by_clause, closed) = (None, None, None);
        }
        prev = Some(sentence);
        if let Some(k) = by_clause {
            if markers[k].1.marked_end <= j {
                (closed, by_clause) = (Some(k), None);
            }
        }
        if is_term {
            governor[reach[t].1] = match (by_sentence, by_clause) {
                (Some(a), Some(b)) => Some((a.max(b), true)),
                (Some(a), None) | (None, Some(a)) => Some((a, true)),
                (None, None) => closed.map(|k| (k, false)),
            };
            t += 1;
        } else {
            match markers[m].1.scope {
                ContrastScope::Sentence => by_sentence = Some(m),
                ContrastScope::Clause => by_clause = Some(m),
            }
            m += 1;
        }
    }

    // Backward: the next marker of the sentence (its rest reaches back to the term) when
    // nearer than a closed concessive clause; failing both, a marker opening the next
    // sentence.
    let (mut next, mut opener, mut this_opener): (Option<usize>, _, _) = (None, None, None);
    let (mut t, mut m, mut prev) = (reach.len(), markers.len(), None);
    loop {
        let is_term = match (t.checked_sub(1), m.checked_sub(1)) {
            (Some(a), Some(b)) => reach[a].0 >= markers[b].0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let (j, sentence) = if is_term {
            (reach[t - 1].0, reach[t - 1].2)
        } else {
            (markers[m - 1].0, markers[m - 1].1.sentence)
        };
        // The sentence boundaries passed since the previous visit.
        let passed = prev.map_or(0, |p| p - sentence);
        if passed > 0 {
            opener = this_opener.take();
            next = None;
        }
        if passed > 1 {
            opener = None;
        }
        prev = Some(sentence);
        if is_term {
            t -= 1;
            let governs = &mut governor[reach[t].1];
            match *governs {
                Some((_, true)) => {}
                Some((left, false)) => {
                    if let Some(k) =
                        next.filter(|&k: &usize| markers[k].0 - j < j - markers[left].0)
                    {
                        *governs = Some((k, false));
                    }
                }
                None => *governs = next.or(opener).map(|k| (k, false)),
            }
        } else {
            m -= 1;
            // A marker opening a sentence reaches back to the previous sentence instead of
            // the non-words before it.
            if markers[m].1.rest_is_previous {
                this_opener = Some(m);
            } else {
                next = Some(m);
            }
        }
    }
}

/// The contrast marker at token `c`, if its role is one and its position allows it.
fn marker<'l>(tokens: &[Token], seg: &Segments, c: usize, role: &Role<'l>) -> Option<Marker<'l>> {
    let Role::Contrast(contrast, origin) = *role else {
        return None;
    };
    let clause = seg.clause_range(c);
    let clause_start = (0..c)
        .rev()
        .find(|&j| tokens[j].kind != TokenKind::Quote)
        .is_none_or(|j| !clause.contains(&j));
    if contrast.clause_start_only && !clause_start {
        return None;
    }
    let s = seg.sentence(c) as usize;
    let &(s_start, s_end, _, _) = seg.sentences.get(s)?;
    let (marked_end, rest_is_previous) = match contrast.scope {
        ContrastScope::Sentence => (s_end, s > 0 && !tokens[s_start..c].iter().any(is_word)),
        ContrastScope::Clause => (clause.end.min(s_end), false),
    };
    Some(Marker {
        scope: contrast.scope,
        weight_marked: contrast.weight_marked,
        weight_rest: contrast.weight_rest,
        origin,
        marked_end,
        rest_is_previous,
        sentence: s,
    })
}

/// A word token outside quotations that no table knows: neutral material.
#[inline]
fn is_neutral(t: &Token, ix: u32, quoted: bool) -> bool {
    (ix == EMPTY) & (t.kind == TokenKind::Word) & !quoted
}

/// Two bits per token kind: bit `2 × kind` for a token that is no word or whose word some table
/// knows, set when [`Engine::find_terms`] visits it; bit `2 × kind + 1` for a token whose word
/// no table knows ([`EMPTY`]), set for a word (neutral unless quoted). One shift of a constant
/// answers both for a token.
const VISITS_OR_WORD: u32 = {
    const fn bit(k: TokenKind, unknown: bool) -> u32 {
        1 << (2 * k as u32 + unknown as u32)
    }
    bit(TokenKind::Emoji, false)
        | bit(TokenKind::Emoticon, false)
        | bit(TokenKind::Word, false)
        | bit(TokenKind::Hashtag, false)
        | bit(TokenKind::Word, true)
};
const _: () = assert!(2 * TokenKind::Symbol as u32 + 1 < u32::BITS);

/// Sets the bits of `visit`, 64 tokens to a word, of the tokens [`Engine::find_terms`] visits:
/// emoji, and the words and hashtags some table knows. Returns the count of the neutral words
/// ([`is_neutral`]); `quoted` is `None` when no token is. Whether a word is known follows no
/// pattern the processor could predict, so no branch asks it per token; the visits are found
/// from the bits.
fn visits(tokens: &[Token], ix: &[u32], quoted: Option<&[bool]>, visit: &mut Vec<u64>) -> usize {
    visit.clear();
    let mut unknown_words = 0;
    for (tokens, ix) in tokens.chunks(64).zip(ix.chunks(64)) {
        // Both filled from the last token down, so that each takes a shift and an or per token:
        // `either` with the tokens visited and the unknown words, `unknown` with the tokens no
        // table knows.
        let (mut either, mut unknown) = (0u64, 0u64);
        for (t, &x) in tokens.iter().zip(ix).rev() {
            let e = u32::from(x == EMPTY);
            either = either << 1 | u64::from(VISITS_OR_WORD >> (2 * t.kind as u32 + e) & 1);
            unknown = unknown << 1 | u64::from(e);
        }
        visit.push(either & !unknown);
        unknown_words += (either & unknown).count_ones() as usize;
    }
    // Quotations are rare: their words are taken off apart.
    let quoted_words = quoted.map_or(0, |quoted| {
        let unknown = |(t, &x): (&Token, &u32)| (x == EMPTY) & (t.kind == TokenKind::Word);
        let words = tokens.iter().zip(ix).map(unknown);
        words.zip(quoted).filter(|&(w, &q)| w & q).count()
    });
    unknown_words - quoted_words
}

/// The first token from `from` on whose bit is set in `visit`.
#[inline]
fn next_visit(visit: &[u64], from: usize) -> Option<usize> {
    let mut block = from / 64;
    let mut bits = visit.get(block)? & (u64::MAX << (from % 64));
    while bits == 0 {
        block += 1;
        bits = *visit.get(block)?;
    }
    Some(block * 64 + bits.trailing_zeros() as usize)
}

/// A positive term that irony can turn (emoji keep their tone).
fn is_positive(t: &Term) -> bool {
    t.base * t.factor > 0.0 && t.source != TermSource::Emoji
}

fn is_word(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word | TokenKind::Number)
}

/// Lexicon look-ups and rules, borrowed from an [`super::Analyzer`].
pub struct Engine<'l> {
    pub lex: &'l ToneLexicons,
}

impl<'l> Engine<'l> {
    fn rules(&self) -> &'l Rules {
        &self.lex.rules
    }

    fn rule(&self, name: &str) -> Option<&'l Origin> {
        self.lex.rules.origin(name)
    }

    /// [`Engine::rule`] for a modifier's origin, which only an explanation keeps: without one,
    /// the look-up by name is not made.
    fn rule_shown(&self, explain: bool, name: &str) -> Option<&'l Origin> {
        if explain {
            self.rule(name)
        } else {
            None
        }
    }

    /// Runs the whole pass into `a`, which is cleared first. `explain` keeps the modifier list
    /// of every term. `words` holds what the lexicons say about each word; `ix[i]` addresses
    /// word token `i`'s answer there ([`NO_WORD`] for other tokens). `sourced` are token ranges quoted from the article or an
    /// earlier comment without quotation marks ([`quotes::sourced`]); they are quotations like
    /// passages in quotation marks.
    pub fn analyse(
        &self,
        tokens: &[Token],
        explain: bool,
        words: &WordCache<'l>,
        ix: &[u32],
        sourced: &[(usize, usize)],
        a: &mut Analysis<'l>,
    ) {
        let rules = self.rules();
        let Analysis {
            roles,
            terms,
            uncivil,
            irony,
            quotations,
            quoted,
            sentences,
            quoted_sentences,
            neutral_words,
            seg,
            spans,
            scare,
            scare_opens,
            contrast,
            sentence_tone,
            found,
        } = a;
        let w = Words { cache: words, ix };
        let n = tokens.len();
        roles.clear();
        roles.resize(n, Role::None);
        terms.clear();
        uncivil.clear();
        segment(tokens, seg);
        let seg = &*seg;

        quoted.clear();
        quoted.resize(n, false);
        // Most texts have no scare quotes: then `scare` stays empty.
        scare.clear();
        quotations.clear();
        scare_opens.clear();
        spans.clear();
        if seg.quote {
            quotes::find(tokens, Rules::window(rules.quote_min_words), spans);
        }
        for span in spans.iter() {
            let content = span.open + 1..span.close.min(n);
            match span.kind {
                QuoteKind::Quotation => {
                    quoted[content.clone()].iter_mut().for_each(|q| *q = true);
                    quotations.push((content.start, content.end));
                }
                QuoteKind::Scare => {
                    if tokens[content.clone()].iter().any(is_word) {
                        scare_opens.push(span.open);
                    }
                    scare.resize(n, false);
                    scare[content].iter_mut().for_each(|q| *q = true);
                }
            }
        }

        for &(start, end) in sourced {
            let (start, end) = (start.min(n), end.min(n));
            // Inside a passage in quotation marks already: nothing to add.
            if quoted[start..end].iter().all(|&q| q) {
                continue;
            }
            quoted[start..end].iter_mut().for_each(|q| *q = true);
            quotations.push((start, end));
        }

        let any_quoted = !quotations.is_empty();
        self.find_terms(tokens, &w, roles, terms, uncivil, quoted, any_quoted, found);
        let found = &*found;
        *neutral_words = found.neutral_words;
        [*sentences, *quoted_sentences] = if quotations.is_empty() {
            [seg.worded, 0]
        } else {
            self.count_sentences(tokens, seg, quoted)
        };
        let scare_origin = (!scare_opens.is_empty())
            .then(|| self.rule("scare_quote_tone"))
            .flatten();
        if let Some(origin) = scare_origin {
            for &open in scare_opens.iter() {
                if matches!(roles[open], Role::None) && !quoted[open] {
                    roles[open] = Role::Term(terms.len());
                    let base = rules.scare_quote_tone;
                    terms.push(Term::new(
                        open,
                        open,
                        base,
                        TermSource::ScareQuote,
                        origin,
                        "",
                    ));
                }
            }
        }

        for term in terms.iter_mut() {
            term.quoted = quoted[term.first];
            if term.source == TermSource::Polarity(MatchKind::CompoundHead) {
                term.apply(
                    ModifierKind::Compound,
                    rules.compound_factor,
                    None,
                    self.rule_shown(explain, "compound_factor"),
                    explain,
                );
            }
        }
        // Each rule runs only when find_terms saw a token that can trigger it.
        if !found.negators.is_empty() {
            self.negation(tokens, seg, roles, terms, &found.negators, explain);
        }
        if !found.intensifiers.is_empty() {
            self.intensifiers(tokens, seg, roles, terms, &found.intensifiers, explain);
        }
        if !found.contrasts.is_empty() {
            self.contrast(
                tokens,
                seg,
                roles,
                terms,
                contrast,
                &found.contrasts,
                explain,
            );
        }
        self.emphasis(tokens, seg, terms, explain);
        let cue = if found.irony_cues.is_empty() {
            None
        } else {
            self.irony_cues(tokens, &w, roles, terms, &found.irony_cues, explain)
        };
        let other = self.irony(tokens, &w, roles, terms, scare, explain);
        *irony = cue.into_iter().chain(other).min();
        self.rhetoric(tokens, &w, seg, quoted, roles, terms, sentence_tone);

        for term in terms.iter_mut() {
            term.contribution = term.base * term.factor;
        }
    }

    /// The sentences with words outside quotations and those with quoted words.
    fn count_sentences(&self, tokens: &[Token], seg: &Segments, quoted: &[bool]) -> [usize; 2] {
        let mut count = [0; 2];
        for &(start, end, _, _) in &seg.sentences {
            let mut has = [false; 2];
            for j in (start..end).filter(|&j| is_word(&tokens[j])) {
                has[usize::from(quoted[j])] = true;
            }
            count[0] += usize::from(has[0]);
            count[1] += usize::from(has[1]);
        }
        count
    }

    /// Finds the terms and roles of the tokens, and what the later passes need to know of them.
    #[allow(clippy::too_many_arguments)]
    fn find_terms(
        &self,
        tokens: &[Token],
        w: &Words<'_, 'l>,
        roles: &mut [Role<'l>],
        terms: &mut Vec<Term<'l>>,
        uncivil: &mut Vec<Uncivil<'l>>,
        quoted: &[bool],
        any_quoted: bool,
        seen: &mut Found,
    ) {
        let lex = self.lex;
        seen.irony_cues.clear();
        seen.negators.clear();
        seen.intensifiers.clear();
        seen.contrasts.clear();
        // Cut to the token count, so that the loop's bound also bounds the reads of both.
        let (ix, quoted) = (&w.ix[..tokens.len()], &quoted[..tokens.len()]);
        let mut neutral = visits(tokens, ix, any_quoted.then_some(quoted), &mut seen.visit);
        let mut i = 0;
        while let Some(at) = next_visit(&seen.visit, i) {
            i = at;
            let t = &tokens[i];
            match t.kind {
                TokenKind::Emoji | TokenKind::Emoticon => {
                    let norm = t.norm.as_ref();
                    // Lexicon terms are lower-cased when loaded, so ":D" is stored as ":d".
                    let lower;
                    let norm = if norm.bytes().any(|b| b.is_ascii_uppercase()) {
                        lower = norm.to_ascii_lowercase();
                        lower.as_str()
                    } else {
                        norm
                    };
                    let found = lex.emoji.lookup_simple(norm).or_else(|| {
                        // Skin tones and other modifiers: fall back to the base emoji.
                        let base_len = norm.chars().next().map_or(0, char::len_utf8);
                        lex.emoji.lookup_simple(norm.get(..base_len)?)
                    });
                    if let Some(e) = found {
                        roles[i] = Role::Term(terms.len());
                        let mut term =
                            Term::new(i, i, e.value.weight, TermSource::Emoji, &e.origin, &e.term);
                        term.mocking = e.value.mocking;
                        if term.mocking {
                            seen.irony_cues.push(i);
                        }
                        terms.push(term);
                    }
                    i += 1;
                    continue;
                }
                // A word or a hashtag: the loop above passed over everything else.
                _ => {}
            }
            let info = w.cache.get(ix[i]);
            if t.kind == TokenKind::Word && info.irony == Some(IronyCue::Marker) {
                seen.irony_cues.push(i);
            }

            if let Some(e) = info.incivility {
                uncivil.push(Uncivil {
                    token: i,
                    category: e.value.category,
                    weight: e.value.weight,
                    origin: &e.origin,
                    term: &e.term,
                    quoted: quoted[i],
                });
            }

            // Whether a word starts a phrase follows no pattern the processor could predict, so
            // the word after it is asked first, of every word: that rarely lets one through.
            let (second, second_is_word) = tokens
                .get(i + 1)
                .map_or(("", false), |t| (t.norm.as_ref(), is_word(t)));
            if info.phrase_seconds.admit(second, second_is_word) {
                let word = |k: usize| {
                    tokens
                        .get(i + k)
                        .filter(|t| is_word(t))
                        .map(|t| t.norm.as_ref())
                };
                let found = info
                    .phrases
                    .and_then(|phrases| longest_phrase(phrases, word));
                if let Some((entry, len)) = found {
                    let idx = terms.len();
                    for r in &mut roles[i..i + len] {
                        *r = Role::Term(idx);
                    }
                    terms.push(Term::new(
                        i,
                        i + len - 1,
                        entry.value.weight,
                        TermSource::Polarity(MatchKind::Phrase),
                        &entry.origin,
                        &entry.term,
                    ));
                    // The phrase's other words are not visited on their own, and are no
                    // neutral material, though `visits` counted those no table knows.
                    seen.irony_cues.extend((i + 1..i + len).filter(|&j| {
                        tokens[j].kind == TokenKind::Word
                            && w.word(j).irony == Some(IronyCue::Marker)
                    }));
                    neutral -= (i + 1..i + len)
                        .filter(|&j| is_neutral(&tokens[j], ix[j], quoted[j]))
                        .count();
                    i += len;
                    continue;
                }
            }
            let term = if let Some(origin) = info.negator {
                roles[i] = Role::Negator(origin);
                seen.negators.push(i);
                false
            } else if let Some(e) = info.contrast {
                roles[i] = Role::Contrast(e.value, &e.origin);
                seen.contrasts.push(i);
                false
            } else if let Some(e) = info.intensifier.filter(|_| self.boosts(tokens, w, i, info)) {
                roles[i] = Role::Intensifier(e.value, &e.origin);
                seen.intensifiers.push(i);
                false
            } else if let Some(m) = info.polarity {
                roles[i] = Role::Term(terms.len());
                let mut term = Term::new(
                    i,
                    i,
                    m.weight,
                    TermSource::Polarity(m.kind),
                    &m.entry.origin,
                    m.term,
                );
                term.head_at = m.head_at;
                term.noun = m.noun;
                terms.push(term);
                true
            } else if let Some(u) = uncivil.last().filter(|u| u.token == i) {
                roles[i] = Role::Term(terms.len());
                let base = u.weight * self.rules().incivility_tone;
                terms.push(Term::new(
                    i,
                    i,
                    base,
                    TermSource::Incivility,
                    u.origin,
                    u.term,
                ));
                true
            } else {
                false
            };
            if !term && t.kind == TokenKind::Word && !quoted[i] {
                neutral += 1;
            }
            i += 1;
        }
        seen.neutral_words = neutral;
    }

    /// Whether an intensifier at `i` boosts here. A word that is also a tone word ("super",
    /// "schön", "richtig") boosts only when a tone word or another intensifier follows it
    /// ("schön blöd", "super gut"); alone it keeps its own tone ("Super!", "Das ist schön").
    fn boosts(&self, tokens: &[Token], w: &Words<'_, 'l>, i: usize, info: &WordInfo) -> bool {
        !info.tone_word()
            || tokens.get(i + 1).is_some_and(|t| {
                t.kind == TokenKind::Word && {
                    let next = w.word(i + 1);
                    next.tone_word() || next.intensifier.is_some()
                }
            })
    }

    /// A negator reaches the terms to its right within its clause; when none is there it
    /// reaches back to the nearest term on its left ("Das gefällt mir nicht").
    /// `negators` are the tokens with that role, in order.
    fn negation(
        &self,
        tokens: &[Token],
        seg: &Segments,
        roles: &[Role<'l>],
        terms: &mut [Term<'l>],
        negators: &[usize],
        explain: bool,
    ) {
        let rules = self.rules();
        let right = Rules::window(rules.negation_window_right);
        let left = Rules::window(rules.negation_window_left);
        for &i in negators {
            let Role::Negator(origin) = roles[i] else {
                continue;
            };
            // A search without branches, as in `emphasis`.
            let clause = seg.clause_range(i);
            // `found` stays false when the negator only hit negative nouns: "gewinnt man keinen
            // Krieg" negates the winning, so the negator also reaches back to its left.
            let mut found = false;
            let mut words = 0;
            for j in i + 1..clause.end {
                if words >= right {
                    break;
                }
                match roles[j] {
                    Role::Negator(_) => break,
                    Role::Term(k)
                        if terms[k].negatable()
                            && terms[k].negated_by.is_none()
                            && terms[k].first == j =>
                    {
                        self.negate(&mut terms[k], i, origin, explain);
                        found |= !(terms[k].noun && terms[k].base < 0.0);
                    }
                    _ => {}
                }
                if is_word(&tokens[j]) {
                    words += 1;
                }
            }
            if found {
                continue;
            }
            let seen_noun = (i + 1..clause.end)
                .any(|j| matches!(roles[j], Role::Term(k) if terms[k].negated_by == Some(i)));
            let mut words = 0;
            for j in (clause.start..i).rev() {
                if words >= left {
                    break;
                }
                match roles[j] {
                    Role::Negator(_) => break,
                    Role::Term(k)
                        if terms[k].negatable()
                            && terms[k].base != 0.0
                            && terms[k].last == j
                            && (terms[k].base > 0.0 || !seen_noun) =>
                    {
                        if terms[k].negated_by.is_none() {
                            self.negate(&mut terms[k], i, origin, explain);
                        }
                        break;
                    }
                    _ => {}
                }
                if is_word(&tokens[j]) {
                    words += 1;
                }
            }
        }
    }

    fn negate(&self, term: &mut Term<'l>, cue: usize, origin: &'l Origin, explain: bool) {
        let rules = self.rules();
        // "kein Krieg" denies that a bad thing exists or helps; that is no praise, unlike
        // "nicht schlecht", so negated negative nouns have their own factor.
        let factor = if term.base >= 0.0 {
            rules.negation_factor_positive
        } else if term.noun {
            rules.negation_factor_negative_noun
        } else {
            rules.negation_factor_negative
        };
        term.negated_by = Some(cue);
        term.apply(
            ModifierKind::Negation,
            factor,
            Some(cue),
            Some(origin),
            explain,
        );
    }

    /// An intensifier scales the nearest term to its right within its clause. `intensifiers`
    /// are the tokens with that role, in order.
    fn intensifiers(
        &self,
        tokens: &[Token],
        seg: &Segments,
        roles: &[Role<'l>],
        terms: &mut [Term<'l>],
        intensifiers: &[usize],
        explain: bool,
    ) {
        let window = Rules::window(self.rules().intensifier_window);
        for &i in intensifiers {
            let Role::Intensifier(factor, origin) = roles[i] else {
                continue;
            };
            let mut words = 0;
            for j in i + 1..seg.clause_range(i).end {
                if words >= window {
                    break;
                }
                if let Role::Term(k) = roles[j] {
                    if terms[k].negatable() {
                        terms[k].intensified_by.get_or_insert(i);
                        terms[k].apply(
                            ModifierKind::Intensifier,
                            factor,
                            Some(i),
                            Some(origin),
                            explain,
                        );
                    }
                    break;
                }
                if is_word(&tokens[j])
                    && !matches!(roles[j], Role::Intensifier(..) | Role::Negator(_))
                {
                    words += 1;
                }
            }
        }
    }

    /// Contrast markers weight the part they mark and the rest of the sentence differently.
    /// A term takes the weight of its nearest governing marker only, so markers never compound
    /// ("aber aber … gut" weighs like "aber gut"): the last marker before it whose marked part
    /// reaches it; else the nearest marker of its sentence whose rest reaches it (one after it,
    /// or a concessive clause closed before it); else a marker opening the next sentence
    /// ("… gut. Aber teuer."). `contrasts` are the tokens with a contrast role, in order.
    #[allow(clippy::too_many_arguments)]
    fn contrast(
        &self,
        tokens: &[Token],
        seg: &Segments,
        roles: &[Role<'l>],
        terms: &mut [Term<'l>],
        scratch: &mut ContrastScratch<'l>,
        contrasts: &[usize],
        explain: bool,
    ) {
        contrast_governors(tokens, seg, roles, terms, contrasts, scratch);
        for (term, governs) in terms.iter_mut().zip(&scratch.governor) {
            let Some((m, marked)) = *governs else {
                continue;
            };
            let (k, ref m) = scratch.markers[m];
            let weight = if marked {
                m.weight_marked
            } else {
                m.weight_rest
            };
            term.apply(
                ModifierKind::Contrast,
                weight,
                Some(k),
                Some(m.origin),
                explain,
            );
        }
    }

    /// Exclamation marks, capitals and questions.
    fn emphasis(&self, tokens: &[Token], seg: &Segments, terms: &mut [Term<'l>], explain: bool) {
        let rules = self.rules();
        // Asked only for a term in capitals, which few texts have.
        let mut mixed_case = None;
        for term in terms.iter_mut() {
            // A search without branches: a walk from the last term's sentence took a number of
            // steps that followed no pattern.
            let s = seg.sentence(term.first) as usize;
            let Some(&(_, _, excl, question)) = seg.sentences.get(s) else {
                continue;
            };
            if excl > 0 && term.source != TermSource::Emoji {
                let n = (excl as f64).min(rules.exclamation_max);
                term.apply(
                    ModifierKind::Exclamation,
                    1.0 + rules.exclamation_boost * n,
                    None,
                    self.rule_shown(explain, "exclamation_boost"),
                    explain,
                );
            }
            if tokens[term.first..=term.last].iter().all(|t| t.all_caps)
                && *mixed_case.get_or_insert_with(|| {
                    tokens.iter().any(|t| {
                        t.kind == TokenKind::Word
                            && !t.all_caps
                            && t.surface.chars().any(char::is_lowercase)
                    })
                })
            {
                term.apply(
                    ModifierKind::Caps,
                    rules.caps_factor,
                    None,
                    self.rule_shown(explain, "caps_factor"),
                    explain,
                );
            }
            if question {
                // Praise inside a question is mostly irony or hope ("Ist das nicht toll?",
                // "… hoffentlich anerkennen?"), so positive terms have their own factor.
                let (factor, name) = if term.base * term.factor > 0.0 {
                    (rules.question_factor_positive, "question_factor_positive")
                } else {
                    (rules.question_factor, "question_factor")
                };
                term.apply(
                    ModifierKind::Question,
                    factor,
                    None,
                    self.rule_shown(explain, name),
                    explain,
                );
            }
        }
    }

    /// A mocking emoji or an irony marker turns the positive terms just before it. Returns
    /// the first such cue. `cues` are the tokens that are one, in order.
    fn irony_cues(
        &self,
        tokens: &[Token],
        w: &Words<'_, 'l>,
        roles: &[Role<'l>],
        terms: &mut [Term<'l>],
        cues: &[usize],
        explain: bool,
    ) -> Option<usize> {
        let rules = self.rules();
        let window = Rules::window(rules.irony_window);
        let origin = self.rule_shown(explain, "irony_factor");
        let mut first_cue = None;
        for &i in cues {
            let t = &tokens[i];
            let mocking = matches!(roles[i], Role::Term(k) if terms[k].mocking);
            let marker = t.kind == TokenKind::Word && w.word(i).irony == Some(IronyCue::Marker);
            if !mocking && !marker {
                continue;
            }
            let mut words = 0;
            let mut hit = false;
            for j in (0..i).rev() {
                if words >= window {
                    break;
                }
                if let Role::Term(k) = roles[j] {
                    if terms[k].last == j && is_positive(&terms[k]) {
                        terms[k].apply(
                            ModifierKind::Irony,
                            rules.irony_factor,
                            Some(i),
                            origin,
                            explain,
                        );
                        hit = true;
                    }
                }
                if is_word(&tokens[j]) {
                    words += 1;
                }
            }
            if hit || marker {
                first_cue = first_cue.or(Some(i));
                if let Role::Term(k) = roles[i] {
                    terms[k].apply(ModifierKind::Irony, 0.0, Some(i), origin, explain);
                }
            }
        }
        first_cue
    }

    /// The irony of openers ("Herrlich, …") and scare quotes, which turns the positive terms it
    /// concerns. Returns the first cue.
    fn irony(
        &self,
        tokens: &[Token],
        w: &Words<'_, 'l>,
        roles: &[Role<'l>],
        terms: &mut [Term<'l>],
        scare: &[bool],
        explain: bool,
    ) -> Option<usize> {
        let rules = self.rules();
        let mut cue: Option<usize> = None;
        let mut flag = |c: usize| {
            if cue.is_none_or(|old| c < old) {
                cue = Some(c);
            }
        };
        // "Herrlich, …": a positive opener followed by a comma or an exclamation mark and then
        // by the comment proper. "Super!" on its own is praise: with nothing after it there is
        // no contrast for the opener to mock.
        if let Some(first) = tokens.iter().position(|t| t.kind == TokenKind::Word) {
            let opener = w.word(first).irony == Some(IronyCue::Opener);
            let followed = || {
                tokens.get(first + 1).is_some_and(|t| {
                    t.kind == TokenKind::Punct && t.surface.starts_with([',', '!'])
                })
            };
            let continues = || tokens[first + 1..].iter().any(is_word);
            if opener && followed() && continues() {
                if let Role::Term(k) = roles[first] {
                    if is_positive(&terms[k]) {
                        terms[k].apply(
                            ModifierKind::Irony,
                            rules.irony_factor,
                            Some(first),
                            self.rule_shown(explain, "irony_factor"),
                            explain,
                        );
                    }
                }
                flag(first);
            }
        }

        // Scare quotes distance the writer from the words inside; a positive one is turned.
        // Without scare quotes (nearly every text) there are neither such terms nor words inside.
        if !scare.is_empty() {
            for term in terms.iter_mut() {
                if term.source == TermSource::ScareQuote {
                    flag(term.first);
                } else if scare.get(term.first) == Some(&true) && term.source != TermSource::Emoji {
                    let mark = term.first.saturating_sub(1);
                    if is_positive(term) {
                        term.apply(
                            ModifierKind::Irony,
                            rules.irony_factor,
                            Some(mark),
                            self.rule_shown(explain, "irony_factor"),
                            explain,
                        );
                    }
                    flag(mark);
                }
            }
        }
        cue
    }
}

impl<'l> Engine<'l> {
    /// Questions and exclamations that criticise without a tone word ("Wozu das alles?",
    /// "Wer glaubt das noch?", "Pro Tag!!"). A sentence closed by "?" that holds a cue of
    /// `rhetoric.tsv` where the cue's position allows it (and not inside a multi-word
    /// expression: "Warum nicht?" asks no reproach) gets a term of its own on its question
    /// mark; else a sentence whose closing run holds `exclamation_min_marks` marks "!" and "?",
    /// one of them a "!", gets `exclamation_tone` on its first mark. Neither happens when the
    /// sentence's other terms already sum to praise: "Das ist wirklich großartig, oder?" and
    /// "Danke!!" stay positive. Runs after every other rule, so the sum is final; the new
    /// terms take no modifiers.
    #[allow(clippy::too_many_arguments)]
    fn rhetoric(
        &self,
        tokens: &[Token],
        w: &Words<'_, 'l>,
        seg: &Segments,
        quoted: &[bool],
        roles: &mut [Role<'l>],
        terms: &mut Vec<Term<'l>>,
        sentence_tone: &mut Vec<f64>,
    ) {
        // Only a sentence closed by "!" or "?" can get a term here.
        if !seg.emphatic {
            return;
        }
        sentence_tone.clear();
        sentence_tone.resize(seg.sentences.len(), 0.0);
        for term in terms.iter().filter(|t| !t.quoted) {
            // See `emphasis`: a search rather than a walk.
            let s = seg.sentence(term.first) as usize;
            if let Some(sum) = sentence_tone.get_mut(s) {
                *sum += term.base * term.factor;
            }
        }
        for (s, &(start, end, excl, question)) in seg.sentences.iter().enumerate() {
            if (excl == 0 && !question) || sentence_tone[s] > 0.0 {
                continue;
            }
            // The sentence's closing run of punctuation ("?", "!!", "?!"), which may end in
            // other marks (".", "…"): its first "?", its first "!" or "?", its "!" and "?" count.
            let (mut question_mark, mut emphatic_mark, mut marks) = (None, None, 0);
            for j in (start..end)
                .rev()
                .take_while(|&j| tokens[j].kind == TokenKind::Punct)
            {
                let surface = tokens[j].surface;
                let n = surface.matches(['!', '?']).count();
                if n > 0 {
                    marks += n;
                    emphatic_mark = Some(j);
                    if surface.contains('?') {
                        question_mark = Some(j);
                    }
                }
            }
            let free = |j: &usize| !quoted[*j] && matches!(roles[*j], Role::None);
            let question_mark = question_mark.filter(|_| question).filter(free);
            let exclamation_mark = emphatic_mark
                .filter(|_| excl > 0 && marks as f64 >= self.rules().exclamation_min_marks)
                .filter(free);
            let mut own_words = (start..end).filter(|&j| is_word(&tokens[j]) && !quoted[j]);
            let Some(last_word) = own_words.clone().next_back() else {
                continue;
            };
            let cue = own_words.find_map(|j| {
                if tokens[j].kind != TokenKind::Word || w.ix[j] == NO_WORD {
                    return None;
                }
                // Asked of the words no table knows too (their answer has no cue): whether a
                // word is known follows no pattern, while a cue is rare.
                let entry = w.cache.get(w.ix[j]).rhetoric?;
                // A word inside a multi-word expression belongs to it ("warum nicht").
                if matches!(roles[j], Role::Term(k) if terms[k].first != terms[k].last) {
                    return None;
                }
                let fits = match entry.value.position {
                    RhetoricPosition::Any => true,
                    RhetoricPosition::Last => j == last_word,
                };
                fits.then_some((j, entry))
            });
            if let Some((at, (cue, entry))) = question_mark.zip(cue) {
                roles[at] = Role::Term(terms.len());
                let mut term = Term::new(
                    at,
                    at,
                    entry.value.weight,
                    TermSource::RhetoricalQuestion,
                    &entry.origin,
                    &entry.term,
                );
                term.cued_by = Some(cue);
                terms.push(term);
            } else if let Some((at, origin)) =
                exclamation_mark.and_then(|at| Some((at, self.rule("exclamation_tone")?)))
            {
                roles[at] = Role::Term(terms.len());
                terms.push(Term::new(
                    at,
                    at,
                    self.rules().exclamation_tone,
                    TermSource::Exclamation,
                    origin,
                    "",
                ));
            }
        }
    }
}

/// The resolved words of one text: `ix[i]` addresses token `i`'s answer in `cache`.
struct Words<'c, 'l> {
    cache: &'c WordCache<'l>,
    ix: &'c [u32],
}

impl<'l> Words<'_, 'l> {
    /// What the lexicons say about word token `i`. Dialect mappings only ever write words
    /// (the loader checks), so a word token's answer is always in the cache.
    #[inline]
    fn word(&self, i: usize) -> &WordInfo<'l> {
        self.cache.get(self.ix[i])
    }
}

impl<'l> Term<'l> {
    fn new(
        first: usize,
        last: usize,
        base: f64,
        source: TermSource,
        origin: &'l Origin,
        entry_term: &'l str,
    ) -> Term<'l> {
        Term {
            first,
            last,
            base,
            source,
            origin,
            entry_term,
            head_at: None,
            negated_by: None,
            intensified_by: None,
            cued_by: None,
            factor: 1.0,
            contribution: 0.0,
            quoted: false,
            mocking: false,
            noun: false,
            modifiers: Vec::new(),
        }
    }

    /// Emoji, scare quotes, rhetorical questions and exclamations keep their tone whatever
    /// words surround them.
    fn negatable(&self) -> bool {
        !matches!(
            self.source,
            TermSource::Emoji
                | TermSource::ScareQuote
                | TermSource::RhetoricalQuestion
                | TermSource::Exclamation
        )
    }

    fn apply(
        &mut self,
        kind: ModifierKind,
        factor: f64,
        cue: Option<usize>,
        origin: Option<&'l Origin>,
        explain: bool,
    ) {
        self.factor = (self.factor * factor).clamp(-MAX_FACTOR, MAX_FACTOR);
        if explain {
            self.modifiers.push(Modifier {
                kind,
                factor,
                cue,
                origin,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::text::tokenize;

    /// The segmentation as first written, one token at a time: (sentence per token, clause per
    /// token, sentences).
    #[allow(clippy::type_complexity)]
    fn segment_reference(
        tokens: &[Token],
    ) -> (Vec<u32>, Vec<u32>, Vec<(usize, usize, usize, bool)>) {
        let ends_sentence = |t: &Token| match t.kind {
            TokenKind::LineBreak => true,
            TokenKind::Punct => t.surface.contains(['.', '!', '?', '\u{2026}']),
            _ => false,
        };
        let ends_clause = |t: &Token| {
            ends_sentence(t)
                || t.kind == TokenKind::Quote
                || (t.kind == TokenKind::Punct
                    && t.surface
                        .contains([',', ';', ':', '\u{2013}', '\u{2014}', '-', '(', ')']))
        };
        let (mut sentence, mut clause, mut sentences) = (Vec::new(), Vec::new(), Vec::new());
        let (mut s, mut c, mut start) = (0u32, 0u32, 0usize);
        let mut i = 0;
        while i < tokens.len() {
            sentence.push(s);
            clause.push(c);
            if ends_clause(&tokens[i]) {
                c += 1;
            }
            if ends_sentence(&tokens[i]) {
                let (mut excl, mut question) = (0, false);
                let mut j = i;
                while j < tokens.len()
                    && tokens[j].kind == TokenKind::Punct
                    && ends_sentence(&tokens[j])
                {
                    excl += tokens[j].surface.matches('!').count();
                    question |= tokens[j].surface.contains('?');
                    if j > i {
                        sentence.push(s);
                        clause.push(c);
                    }
                    j += 1;
                }
                let end = j.max(i + 1);
                sentences.push((start, end, excl, question));
                s += 1;
                start = end;
                i = end;
                continue;
            }
            i += 1;
        }
        if start < tokens.len() {
            sentences.push((start, tokens.len(), 0, false));
        }
        (sentence, clause, sentences)
    }

    /// The contrast passes as first written: over every token from the sentence before the
    /// first marker to the last marker's sentence end, with lists per sentence, clause and
    /// token. Per term: the governing marker's token and whether the term is in its marked part.
    fn governors_reference(
        tokens: &[Token],
        seg: &Segments,
        roles: &[Role],
        terms: &[Term],
    ) -> Vec<Option<(usize, bool)>> {
        let is_contrast = |r: &Role| matches!(r, Role::Contrast(..));
        let (Some(first), Some(last)) = (
            roles.iter().position(is_contrast),
            roles.iter().rposition(is_contrast),
        ) else {
            return vec![None; terms.len()];
        };
        let sentence_of = |j: usize| seg.sentence(j) as usize;
        let lo = seg
            .sentences
            .get(sentence_of(first).saturating_sub(1))
            .map_or(0, |s| s.0);
        let hi = seg
            .sentences
            .get(sentence_of(last))
            .map_or(tokens.len(), |s| s.1);
        let n = tokens.len();
        let mut first_word = vec![usize::MAX; seg.sentences.len()];
        let mut clause_end: Vec<usize> = Vec::new();
        for (j, t) in tokens.iter().enumerate().take(hi).skip(lo) {
            let s = seg.sentence(j) as usize;
            if is_word(t) && first_word.get(s) == Some(&usize::MAX) {
                first_word[s] = j;
            }
            let c = seg.clause(j) as usize;
            if clause_end.len() <= c {
                clause_end.resize(c + 1, j);
            }
            clause_end[c] = j + 1;
        }
        let marker_ref = |c: usize| -> Option<(ContrastScope, usize, bool)> {
            let Role::Contrast(contrast, _) = roles[c] else {
                return None;
            };
            let clause_start = (0..c)
                .rev()
                .find(|&j| tokens[j].kind != TokenKind::Quote)
                .is_none_or(|j| seg.clause(j) != seg.clause(c));
            if contrast.clause_start_only && !clause_start {
                return None;
            }
            let s = seg.sentence(c) as usize;
            let &(_, s_end, _, _) = seg.sentences.get(s)?;
            Some(match contrast.scope {
                ContrastScope::Sentence => (
                    contrast.scope,
                    s_end,
                    s > 0 && first_word.get(s).is_some_and(|&w| w >= c),
                ),
                ContrastScope::Clause => (
                    contrast.scope,
                    clause_end
                        .get(seg.clause(c) as usize)
                        .map_or(s_end, |&e| e.min(s_end)),
                    false,
                ),
            })
        };
        let markers: Vec<_> = (lo..hi).map(marker_ref).collect();
        let marker = |j: usize| markers[j - lo];
        let mut governor = vec![None; hi - lo];
        let (mut by_sentence, mut by_clause, mut closed): (_, Option<usize>, _) =
            (None, None, None);
        for (j, governs) in (lo..).zip(governor.iter_mut()) {
            if j > 0 && seg.sentence(j) != seg.sentence(j - 1) {
                (by_sentence, by_clause, closed) = (None, None, None);
            }
            if let Some(k) = by_clause {
                if marker(k).is_none_or(|m| m.1 <= j) {
                    (closed, by_clause) = (Some(k), None);
                }
            }
            *governs = match (by_sentence, by_clause) {
                (Some(a), Some(b)) => Some((a.max(b), true)),
                (Some(a), None) | (None, Some(a)) => Some((a, true)),
                (None, None) => closed.map(|k| (k, false)),
            };
            if let Some(m) = marker(j) {
                match m.0 {
                    ContrastScope::Sentence => by_sentence = Some(j),
                    ContrastScope::Clause => by_clause = Some(j),
                }
            }
        }
        let (mut next, mut opener, mut this_opener) = (None, None, None);
        for j in (lo..hi).rev() {
            if j + 1 < n && seg.sentence(j) != seg.sentence(j + 1) {
                opener = this_opener.take();
                next = None;
            }
            let governs = &mut governor[j - lo];
            match *governs {
                Some((_, true)) => {}
                Some((left, false)) => {
                    if let Some(k) = next.filter(|&k: &usize| k - j < j - left) {
                        *governs = Some((k, false));
                    }
                }
                None => *governs = next.or(opener).map(|k| (k, false)),
            }
            if let Some(m) = marker(j) {
                if m.2 {
                    this_opener = Some(j);
                } else {
                    next = Some(j);
                }
            }
        }
        terms
            .iter()
            .map(|t| {
                let governs = t.first.checked_sub(lo).and_then(|j| governor.get(j));
                governs.copied().flatten()
            })
            .collect()
    }

    /// The walk of [`Engine::find_terms`] as first written, one token at a time: the tokens it
    /// visits, each followed by as many tokens as the next of `jumps` says (a phrase's), and the
    /// neutral words it passes over.
    fn walk_reference(
        tokens: &[Token],
        ix: &[u32],
        quoted: &[bool],
        jumps: &[usize],
    ) -> (Vec<usize>, usize) {
        let (mut visited, mut neutral, mut i) = (Vec::new(), 0, 0);
        loop {
            while let Some(t) = tokens.get(i) {
                if ix[i] == EMPTY {
                    neutral += usize::from(t.kind == TokenKind::Word && !quoted[i]);
                } else if matches!(
                    t.kind,
                    TokenKind::Emoji | TokenKind::Emoticon | TokenKind::Word | TokenKind::Hashtag
                ) {
                    break;
                }
                i += 1;
            }
            if i == tokens.len() {
                return (visited, neutral);
            }
            let len = jumps[visited.len() % jumps.len()].min(tokens.len() - i);
            visited.push(i);
            i += len;
        }
    }

    /// Pieces of text whose tokens exercise every boundary the rules look at.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(
                &[
                    "a ",
                    "b ",
                    "c ",
                    "d ",
                    "7 ",
                    ". ",
                    ", ",
                    "! ",
                    "? ",
                    "?! ",
                    "!!! ",
                    "... ",
                    "\u{2026} ",
                    "; ",
                    ": ",
                    "- ",
                    "\u{2013} ",
                    "( ",
                    ") ",
                    "\"",
                    "\u{201E}",
                    "\u{201C}",
                    "\n",
                    "# ",
                    "#x ",
                ][..],
            ),
            0..40,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(1024))]

        #[test]
        fn segment_agrees_with_reference(text in text()) {
            let tokens = tokenize(&text);
            let mut seg = Segments::default();
            segment(&tokens, &mut seg);
            let (sentence, clause, sentences) = segment_reference(&tokens);
            for i in 0..tokens.len() {
                prop_assert_eq!(seg.sentence(i), sentence[i]);
                for from in 0..=seg.sentences.len() {
                    prop_assert_eq!(seg.sentence_from(i, from), sentence[i] as usize);
                }
                prop_assert_eq!(seg.clause(i), clause[i]);
                let range = seg.clause_range(i);
                let same: Vec<_> = (0..tokens.len()).filter(|&j| clause[j] == clause[i]).collect();
                prop_assert_eq!((range.start, range.end - 1), (same[0], same[same.len() - 1]));
            }
            prop_assert_eq!(&seg.sentences, &sentences);
            let worded = sentences
                .iter()
                .filter(|s| tokens[s.0..s.1].iter().any(is_word))
                .count();
            prop_assert_eq!(seg.worded, worded);
            prop_assert_eq!(seg.quote, tokens.iter().any(|t| t.kind == TokenKind::Quote));
            prop_assert_eq!(seg.emphatic, sentences.iter().any(|s| s.2 > 0 || s.3));
        }

        #[test]
        fn punctuation_by_byte_agrees_with_the_general_test(
            surface in proptest::collection::vec(
                proptest::sample::select(&[
                    '.', '!', '?', '\u{2026}', ',', ';', ':', '\u{2013}', '\u{2014}', '-', '(',
                    ')', '[', ']', '/', 'a',
                ][..]),
                1..4,
            ).prop_map(String::from_iter)
        ) {
            let sentence = surface.contains(['.', '!', '?', '\u{2026}']);
            let clause = sentence
                || surface.contains([',', ';', ':', '\u{2013}', '\u{2014}', '-', '(', ')']);
            prop_assert_eq!(punct_ends(&surface), (sentence, clause));
            let asks = surface.contains('?');
            prop_assert_eq!(marks(&surface), (surface.matches('!').count(), asks));
        }

        /// Texts long enough to fill more than one word of bits; words are dealt known (1),
        /// unknown ([`EMPTY`]) or [`NO_WORD`] (which only hashtags and other tokens are).
        #[test]
        fn visits_agree_with_the_walk_by_token(
            texts in (text(), text(), text(), text()),
            deal in proptest::collection::vec((0u32..3, any::<bool>()), 1..12),
            jumps in proptest::collection::vec(1usize..4, 1..8),
        ) {
            let text = [texts.0, texts.1, texts.2, texts.3].concat();
            let tokens = tokenize(&text);
            let (ix, quoted): (Vec<u32>, Vec<bool>) = (0..tokens.len())
                .map(|i| {
                    let (d, q) = deal[i % deal.len()];
                    (if d == 2 { NO_WORD } else { d }, q)
                })
                .unzip();
            let mut visit = Vec::new();
            let any_quoted = quoted.contains(&true);
            let mut neutral = visits(&tokens, &ix, any_quoted.then_some(&quoted), &mut visit);
            let mut visited = Vec::new();
            let mut i = 0;
            while let Some(at) = next_visit(&visit, i) {
                let len = jumps[visited.len() % jumps.len()].min(tokens.len() - at);
                visited.push(at);
                neutral -= (at + 1..at + len)
                    .filter(|&j| is_neutral(&tokens[j], ix[j], quoted[j]))
                    .count();
                i = at + len;
            }
            prop_assert_eq!((visited, neutral), walk_reference(&tokens, &ix, &quoted, &jumps));
        }

        /// Roles are dealt to the word tokens in turn: 0 none, 1 a term, 2 a two-word
        /// phrase, 3 to 6 contrast markers of either scope, at clause starts only or not.
        #[test]
        fn contrast_governors_agree_with_reference(
            text in text(),
            deal in proptest::collection::vec(0u8..7, 1..12),
        ) {
            let origin = Origin { file: Arc::from("test.tsv"), line: 1 };
            let tokens = tokenize(&text);
            let mut seg = Segments::default();
            segment(&tokens, &mut seg);
            let mut roles = vec![Role::None; tokens.len()];
            let mut terms = Vec::new();
            let words: Vec<usize> = (0..tokens.len())
                .filter(|&i| tokens[i].kind == TokenKind::Word)
                .collect();
            let mut k = 0;
            while k < words.len() {
                let i = words[k];
                let d = deal[k % deal.len()];
                let contrast = |scope, clause_start_only| Contrast {
                    scope,
                    clause_start_only,
                    weight_rest: 0.5,
                    weight_marked: 1.5,
                };
                match d {
                    1 | 2 => {
                        let last = if d == 2 && words.get(k + 1) == Some(&(i + 1)) {
                            k += 1;
                            i + 1
                        } else {
                            i
                        };
                        roles[i..=last].fill(Role::Term(terms.len()));
                        let source = TermSource::Polarity(MatchKind::Exact);
                        terms.push(Term::new(i, last, 1.0, source, &origin, ""));
                    }
                    3 => roles[i] = Role::Contrast(contrast(ContrastScope::Sentence, false), &origin),
                    4 => roles[i] = Role::Contrast(contrast(ContrastScope::Sentence, true), &origin),
                    5 => roles[i] = Role::Contrast(contrast(ContrastScope::Clause, false), &origin),
                    6 => roles[i] = Role::Contrast(contrast(ContrastScope::Clause, true), &origin),
                    _ => {}
                }
                k += 1;
            }
            let expected = governors_reference(&tokens, &seg, &roles, &terms);
            let is_contrast = |r: &Role| matches!(r, Role::Contrast(..));
            let got = match (
                roles.iter().position(is_contrast),
                roles.iter().rposition(is_contrast),
            ) {
                (Some(first), Some(last)) => {
                    let mut scratch = ContrastScratch::default();
                    let contrasts: Vec<usize> =
                        (first..=last).filter(|&c| is_contrast(&roles[c])).collect();
                    contrast_governors(&tokens, &seg, &roles, &terms, &contrasts, &mut scratch);
                    scratch
                        .governor
                        .iter()
                        .map(|g| g.map(|(m, marked)| (scratch.markers[m].0, marked)))
                        .collect()
                }
                _ => vec![None; terms.len()],
            };
            prop_assert_eq!(got, expected);
        }
    }
}
