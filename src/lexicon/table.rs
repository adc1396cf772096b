//! Term tables: how one lexicon column of terms is matched against normalised tokens.
//!
//! A term as written in a lexicon file takes one of four shapes, so linguists can cover
//! inflection and word formation without listing every form:
//! - `gut` — the exact (lower-cased) word form;
//! - `katastroph*` — every word starting with `katastroph` (LIWC-style trailing `*`; the longest
//!   matching prefix wins);
//! - `-treiber` — a compound head: any longer word ending in `treiber` ("Kriegstreiber") inherits
//!   the entry, and the explanation says so;
//! - `in der klemme` — a multi-word expression over consecutive tokens; any of its words after
//!   the first may carry a trailing `*`.
//!
//! Lookups borrow the token's text and allocate only for the ae/oe/ue → umlaut fallback.

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::text::normalise_word;

/// Where an entry was written: shown in explanations as `file:line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<str>,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One lexicon entry: its value, the term as written and where it was written.
#[derive(Debug, Clone)]
pub struct Entry<V> {
    pub value: V,
    pub term: String,
    pub origin: Origin,
}

/// The canonical, normalised shape of a term; also the identity used for duplicates and overlays.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Exact(String),
    Prefix(String),
    Head(String),
    Phrase(Vec<PhraseWord>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PhraseWord {
    Exact(String),
    Prefix(String),
}

impl PhraseWord {
    fn matches(&self, word: &str) -> bool {
        match self {
            PhraseWord::Exact(w) => w == word,
            PhraseWord::Prefix(p) => word.starts_with(p.as_str()),
        }
    }
}

impl Key {
    /// Parses a term as written in a lexicon file. `None` when nothing usable is left.
    pub fn parse(term: &str) -> Result<Key, String> {
        let normalised = normalise_word(term.trim());
        let norm = normalised.as_ref();
        if norm.is_empty() {
            return Err("empty term".into());
        }
        // Nearly every term is one word: the word list is only collected for phrases.
        if has_two_words(norm) {
            let words: Vec<&str> = norm.split_whitespace().collect();
            let mut out = Vec::with_capacity(words.len());
            for (i, w) in words.iter().enumerate() {
                match w.strip_suffix('*') {
                    Some(p) if i > 0 && !p.is_empty() && !p.contains('*') => {
                        out.push(PhraseWord::Prefix(p.to_string()))
                    }
                    Some(_) => {
                        return Err(format!(
                            "'*' may end any word of a multi-word term except the first: '{term}'"
                        ))
                    }
                    None if w.contains('*') => {
                        return Err(format!("'*' may only end a word: '{term}'"))
                    }
                    None => out.push(PhraseWord::Exact(w.to_string())),
                }
            }
            return Ok(Key::Phrase(out));
        }
        if let Some(p) = norm.strip_suffix('*') {
            if p.is_empty() || p.contains('*') || p.starts_with('-') {
                return Err(format!("'*' must follow a word stem: '{term}'"));
            }
            return Ok(Key::Prefix(p.to_string()));
        }
        if norm.contains('*') {
            return Err(format!("'*' may only end a term: '{term}'"));
        }
        if let Some(h) = norm.strip_prefix('-') {
            if h.is_empty() || h.starts_with('-') {
                return Err(format!("a compound head needs letters after '-': '{term}'"));
            }
            return Ok(Key::Head(h.to_string()));
        }
        // Most terms are capitalised nouns: their lower case is already a fresh String.
        Ok(Key::Exact(normalised.into_owned()))
    }
}

/// How a word found its entry; shown in explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    /// Through a `stem*` entry.
    Prefix,
    /// The word is a compound whose head (a `-head` entry or a listed noun) has the entry.
    CompoundHead,
    /// Found only after writing ae/oe/ue as ä/ö/ü ("schoen" → "schön").
    UmlautSpelling,
    /// Found after replacing an inflection ending from `inflection.tsv` ("guten" → "gut").
    Inflection,
    Phrase,
}

/// Options for word lookup that come from `rules.tsv`.
#[derive(Debug, Clone, Copy)]
pub struct WordLookup {
    /// Shortest head (in characters) a compound may inherit from.
    pub min_head_chars: usize,
    /// Shortest modifier (in characters) in front of the head.
    pub min_modifier_chars: usize,
    /// Try ae/oe/ue → ä/ö/ü when nothing else matched.
    pub umlaut_fallback: bool,
    /// Shortest stem, in characters, left after removing an inflection ending.
    pub min_stem_chars: usize,
}

/// A word's match: the entry, how it matched and (for compounds) the head that carried it.
#[derive(Debug, Clone, Copy)]
pub struct WordMatch<'t, V> {
    pub entry: &'t Entry<V>,
    pub kind: MatchKind,
    /// Byte offset in the looked-up word where the inherited head starts (compounds only).
    pub head_at: Option<usize>,
}

/// A multi-word pattern and its entry.
/// A multi-word entry: its words (the first one exact) and the entry.
pub type Phrase<V> = (Vec<PhraseWord>, Entry<V>);

/// All entries of one lexicon file (plus overlays), indexed for matching.
#[derive(Debug, Clone)]
pub struct TermTable<V> {
    exact: HashMap<String, Entry<V>>,
    prefix: HashMap<String, Entry<V>>,
    prefix_min: usize,
    prefix_max: usize,
    /// Bit `n` set: some prefix key is `n` bytes long (bit 63: 63 or more). A cold look-up
    /// tries every length from the longest key down; most lengths have no key at all.
    prefix_lens: u64,
    /// Every prefix key, so that a length that has keys is mostly turned away unhashed.
    prefix_keys: KeyFilter,
    /// The first bytes of every prefix key: a word that starts with none of them needs no
    /// probe per prefix length.
    prefix_starts: AffixFilter,
    heads: HashMap<String, Entry<V>>,
    /// The last bytes of every head and exact key (an exact noun can be a head too): a word
    /// that ends in none of them has no compound head to look for.
    head_ends: AffixFilter,
    /// The same for the `-head` keys alone, for look-ups where exact nouns are no heads.
    only_head_ends: AffixFilter,
    /// Every exact key and every `-head` key, for turning away most of the candidate forms a
    /// cold look-up tries (every inflection, every compound head) before hashing them.
    exact_keys: KeyFilter,
    head_keys: KeyFilter,
    /// Keyed by the phrase's first word; longest phrases first.
    phrases: HashMap<String, Vec<Phrase<V>>>,
    /// Every first word of a phrase: a cold look-up asks for every word.
    phrase_starts: KeyFilter,
}

impl<V> Default for TermTable<V> {
    fn default() -> Self {
        TermTable {
            exact: HashMap::default(),
            prefix: HashMap::default(),
            prefix_min: usize::MAX,
            prefix_max: 0,
            prefix_lens: 0,
            prefix_keys: KeyFilter::default(),
            prefix_starts: AffixFilter::default(),
            heads: HashMap::default(),
            head_ends: AffixFilter::default(),
            only_head_ends: AffixFilter::default(),
            exact_keys: KeyFilter::default(),
            head_keys: KeyFilter::default(),
            phrases: HashMap::default(),
            phrase_starts: KeyFilter::default(),
        }
    }
}

impl<V> TermTable<V> {
    /// An empty table with room for `exact` single-word keys, which nearly every term is: a
    /// lexicon of thousands of lines then fills the map without rehashing it.
    pub fn with_capacity(exact: usize) -> Self {
        TermTable {
            exact: HashMap::with_capacity_and_hasher(exact, Default::default()),
            ..TermTable::default()
        }
    }

    pub fn len(&self) -> usize {
        self.exact.len()
            + self.prefix.len()
            + self.heads.len()
            + self.phrases.values().map(Vec::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry stored under `key`, if any.
    pub fn get(&self, key: &Key) -> Option<&Entry<V>> {
        match key {
            Key::Exact(k) => self.exact.get(k),
            Key::Prefix(k) => self.prefix.get(k),
            Key::Head(k) => self.heads.get(k),
            Key::Phrase(words) => self.phrase_slot(words).map(|(_, e)| e),
        }
    }

    fn phrase_slot(&self, words: &[PhraseWord]) -> Option<&Phrase<V>> {
        let PhraseWord::Exact(first) = words.first()? else {
            return None;
        };
        self.phrases.get(first)?.iter().find(|(w, _)| w == words)
    }

    /// Stores `entry` under `key`, replacing and returning any previous entry.
    pub fn insert(&mut self, key: Key, entry: Entry<V>) -> Option<Entry<V>> {
        match key {
            Key::Exact(k) => {
                self.head_ends.add(k.as_bytes(), Affix::End);
                self.exact_keys.add(k.as_bytes());
                self.exact.insert(k, entry)
            }
            Key::Prefix(k) => {
                self.prefix_min = self.prefix_min.min(k.len());
                self.prefix_max = self.prefix_max.max(k.len());
                self.prefix_lens |= prefix_len_bit(k.len());
                self.prefix_keys.add(k.as_bytes());
                self.prefix_starts.add(k.as_bytes(), Affix::Start);
                self.prefix.insert(k, entry)
            }
            Key::Head(k) => {
                self.head_ends.add(k.as_bytes(), Affix::End);
                self.only_head_ends.add(k.as_bytes(), Affix::End);
                self.head_keys.add(k.as_bytes());
                self.heads.insert(k, entry)
            }
            Key::Phrase(words) => {
                let PhraseWord::Exact(first) = &words[0] else {
                    return None;
                };
                self.phrase_starts.add(first.as_bytes());
                let list = self.phrases.entry(first.clone()).or_default();
                if let Some(slot) = list.iter_mut().find(|(w, _)| *w == words) {
                    return Some(std::mem::replace(&mut slot.1, entry));
                }
                list.push((words, entry));
                list.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
                None
            }
        }
    }

    /// Removes the entry under `key`, returning it.
    pub fn remove(&mut self, key: &Key) -> Option<Entry<V>> {
        match key {
            Key::Exact(k) => self.exact.remove(k),
            Key::Prefix(k) => self.prefix.remove(k),
            Key::Head(k) => self.heads.remove(k),
            Key::Phrase(words) => {
                let PhraseWord::Exact(first) = words.first()? else {
                    return None;
                };
                let list = self.phrases.get_mut(first)?;
                let pos = list.iter().position(|(w, _)| w == words)?;
                Some(list.remove(pos).1)
            }
        }
    }

    /// The entry of a single word by its exact form or longest `*` prefix only (no compounds,
    /// no respelling): for closed word classes such as negators and intensifiers.
    pub fn lookup_simple(&self, word: &str) -> Option<&Entry<V>> {
        self.exact_get(word).or_else(|| self.lookup_prefix(word))
    }

    /// Most tables have no `*` prefix, and most words are shorter than any: those answers are
    /// given inline, without a call.
    #[inline]
    fn lookup_prefix(&self, word: &str) -> Option<&Entry<V>> {
        if self.prefix.is_empty() || word.len() < self.prefix_min {
            return None;
        }
        self.lookup_prefix_filtered(word)
    }

    /// [`TermTable::lookup_prefix`] past its first tests.
    #[inline(never)]
    fn lookup_prefix_filtered(&self, word: &str) -> Option<&Entry<V>> {
        if !self.prefix_starts.may_match(word.as_bytes(), Affix::Start) {
            return None;
        }
        let longest = self.prefix_max.min(word.len());
        (self.prefix_min..=longest)
            .rev()
            .filter(|&len| self.prefix_lens & prefix_len_bit(len) != 0)
            .filter_map(|len| word.get(..len))
            .filter(|stem| self.prefix_keys.may_contain(stem.as_bytes()))
            .find_map(|stem| self.prefix.get(stem))
    }

    /// The entry of a single word (no phrases): exact, longest `*` prefix, compound head,
    /// then the ae/oe/ue spelling. `noun_head` says which exact entries may serve as compound
    /// heads (nouns: "Hauptproblem" → "problem"); `-head` entries always may.
    pub fn lookup_word<'t>(
        &'t self,
        word: &str,
        opts: &WordLookup,
        inflections: &[(String, String)],
        noun_head: impl Fn(&V) -> bool,
    ) -> Option<WordMatch<'t, V>> {
        if let Some(m) = self.lookup_spelling(word, opts, &noun_head) {
            return Some(m);
        }
        if let Some(m) = self.lookup_inflected(word, opts, inflections) {
            return Some(m);
        }
        if opts.umlaut_fallback
            && word
                .as_bytes()
                .windows(2)
                .any(|w| w[1] == b'e' && matches!(w[0], b'a' | b'o' | b'u'))
        {
            let respelt = word
                .replace("ae", "ä")
                .replace("oe", "ö")
                .replace("ue", "ü");
            if let Some(m) = self.lookup_spelling(&respelt, opts, &noun_head) {
                // Offsets into the respelt word would not fit the original; drop them.
                return Some(WordMatch {
                    entry: m.entry,
                    kind: MatchKind::UmlautSpelling,
                    head_at: None,
                });
            }
        }
        None
    }

    /// Replaces one inflection ending ("guten" → "gut", "enttäuscht" → "enttäuschen") and tries
    /// exact forms, `*` prefixes and `-head` entries; the first ending that leads to an entry wins.
    fn lookup_inflected<'t>(
        &'t self,
        word: &str,
        opts: &WordLookup,
        inflections: &[(String, String)],
    ) -> Option<WordMatch<'t, V>> {
        // Candidate forms are built on the stack: this runs for most words of every text.
        let mut stack = [0u8; 64];
        let mut heap = String::new();
        for (suffix, replacement) in inflections {
            // Compared inline from the end: a call to memcmp per suffix costs more than the
            // two or three bytes it compares.
            let (w, x) = (word.as_bytes(), suffix.as_bytes());
            // Most endings differ from the word's in the last byte already.
            if x.last().is_some_and(|b| w.last() != Some(b)) {
                continue;
            }
            if w.len() < x.len() || !w.iter().rev().zip(x.iter().rev()).all(|(a, b)| a == b) {
                continue;
            }
            let Some(stem) = word.get(..w.len() - x.len()) else {
                continue;
            };
            // A char takes one to four bytes, so most stems are judged without counting.
            if stem.len() < opts.min_stem_chars
                || (stem.len() < opts.min_stem_chars.saturating_mul(4)
                    && char_count(stem) < opts.min_stem_chars)
            {
                continue;
            }
            let len = stem.len() + replacement.len();
            let buf: &str = if replacement.is_empty() {
                stem
            } else if len <= stack.len() {
                stack[..stem.len()].copy_from_slice(stem.as_bytes());
                stack[stem.len()..len].copy_from_slice(replacement.as_bytes());
                // Most candidates fit no key; the filters read bytes, so those are turned away
                // before the bytes are checked as text.
                if !self.may_hold_inflected(&stack[..len]) {
                    continue;
                }
                // Two whole strings joined are valid UTF-8, so this never falls back.
                std::str::from_utf8(&stack[..len]).unwrap_or_default()
            } else {
                heap.clear();
                heap.push_str(stem);
                heap.push_str(replacement);
                &heap
            };
            let found = self
                .exact_get(buf)
                .or_else(|| self.lookup_prefix(buf))
                .or_else(|| {
                    self.lookup_head(buf, opts, None::<&fn(&V) -> bool>)
                        .map(|m| m.entry)
                });
            if let Some(entry) = found {
                return Some(WordMatch {
                    entry,
                    kind: MatchKind::Inflection,
                    head_at: None,
                });
            }
        }
        None
    }

    /// Whether `form` can be an exact key, start with a `*` prefix or end in a `-head` key:
    /// false rules out every look-up [`TermTable::lookup_inflected`] makes for it.
    fn may_hold_inflected(&self, form: &[u8]) -> bool {
        self.exact_keys.may_contain(form)
            || self.prefix_starts.may_match(form, Affix::Start)
            || self.only_head_ends.may_match(form, Affix::End)
    }

    /// `exact.get`, after a filter that turns most words no key has away without hashing them.
    fn exact_get(&self, word: &str) -> Option<&Entry<V>> {
        if !self.exact_keys.may_contain(word.as_bytes()) {
            return None;
        }
        self.exact.get(word)
    }

    fn head_get(&self, word: &str) -> Option<&Entry<V>> {
        if !self.head_keys.may_contain(word.as_bytes()) {
            return None;
        }
        self.heads.get(word)
    }

    fn lookup_spelling<'t>(
        &'t self,
        word: &str,
        opts: &WordLookup,
        noun_head: &impl Fn(&V) -> bool,
    ) -> Option<WordMatch<'t, V>> {
        if let Some(entry) = self.exact_get(word) {
            return Some(WordMatch {
                entry,
                kind: MatchKind::Exact,
                head_at: None,
            });
        }
        if let Some(entry) = self.lookup_prefix(word) {
            return Some(WordMatch {
                entry,
                kind: MatchKind::Prefix,
                head_at: None,
            });
        }
        self.lookup_head(word, opts, Some(noun_head))
    }

    /// The longest compound head of `word`: a `-head` key, or an exact key whose value
    /// `noun_head` accepts (none without `noun_head`).
    fn lookup_head<'t>(
        &'t self,
        word: &str,
        opts: &WordLookup,
        noun_head: Option<&impl Fn(&V) -> bool>,
    ) -> Option<WordMatch<'t, V>> {
        // Every head, hyphenated or not, is a suffix of the word.
        let ends = if noun_head.is_some() {
            &self.head_ends
        } else {
            &self.only_head_ends
        };
        if !ends.may_match(word.as_bytes(), Affix::End) {
            return None;
        }
        let noun = |head: &str| {
            let accepts = noun_head?;
            self.exact_get(head).filter(|e| accepts(&e.value))
        };
        // A hyphenated compound ("Ukraine-Katastrophe") has its head after the last hyphen.
        // Searched byte by byte: '-' is one byte, never part of another char, and the words are
        // too short for a vectorised search to pay.
        if let Some(h) = word.bytes().rposition(|b| b == b'-') {
            let head = &word[h + 1..];
            let found = self.head_get(head).or_else(|| noun(head));
            if let Some(entry) = found {
                return Some(WordMatch {
                    entry,
                    kind: MatchKind::CompoundHead,
                    head_at: Some(h + 1),
                });
            }
        }
        // Longest head first: "Kriegstreiber" prefers "-treiber" over a shorter "-reiber".
        let mut chars_before = 0;
        let total_chars = char_count(word);
        for (at, _) in word.char_indices() {
            let head_chars = total_chars - chars_before;
            chars_before += 1;
            if chars_before - 1 < opts.min_modifier_chars {
                continue;
            }
            if head_chars < opts.min_head_chars {
                break;
            }
            let head = &word[at..];
            if let Some(entry) = self.head_get(head) {
                return Some(WordMatch {
                    entry,
                    kind: MatchKind::CompoundHead,
                    head_at: Some(at),
                });
            }
            if let Some(entry) = noun(head) {
                return Some(WordMatch {
                    entry,
                    kind: MatchKind::CompoundHead,
                    head_at: Some(at),
                });
            }
        }
        None
    }

    /// The longest multi-word entry starting at `words[0]`; returns it and how many words it
    /// covers. `words` are the normalised forms of consecutive word tokens.
    pub fn match_phrase<'t>(&'t self, words: &[&str]) -> Option<(&'t Entry<V>, usize)> {
        longest_phrase(self.phrases_from(words.first()?)?, |k| {
            words.get(k).copied()
        })
    }

    /// The multi-word entries that start with `word`, longest first, for [`longest_phrase`].
    pub fn phrases_from(&self, word: &str) -> Option<&[Phrase<V>]> {
        if !self.phrase_starts.may_contain(word.as_bytes()) {
            return None;
        }
        self.phrases.get(word).map(Vec::as_slice)
    }

    /// Whether any phrase starts with `word` (a cheap pre-check before collecting words).
    pub fn has_phrase_start(&self, word: &str) -> bool {
        self.phrases.contains_key(word)
    }
}

/// Whether `s.split_whitespace()` yields two words or more, without splitting: whitespace with
/// something before and after it. Every term of every lexicon is asked at start-up, nearly all
/// of them single words, most of them ASCII, which the bytes decide.
fn has_two_words(s: &str) -> bool {
    if s.bytes().all(|b| (0x21..0x80).contains(&b)) {
        return false;
    }
    s.trim().contains(char::is_whitespace)
}

/// `s.chars().count()` inline: for the short words of a look-up, a call to the general count
/// costs more than the count.
#[inline]
fn char_count(s: &str) -> usize {
    // Every char has one byte that is not a continuation byte (0b10xx_xxxx).
    s.bytes().filter(|&b| b & 0xc0 != 0x80).count()
}

/// The longest of `phrases` (all starting with the first word, longest first) that the words
/// `word(0)`, `word(1)` … begin with; returns it and how many words it covers. `word(k)` is
/// `None` past the last word, so a text's words need not be collected first.
pub fn longest_phrase<'t, 'w, V>(
    phrases: &'t [Phrase<V>],
    word: impl Fn(usize) -> Option<&'w str>,
) -> Option<(&'t Entry<V>, usize)> {
    // Nearly every candidate fails on its second word, so that word is fetched once for all
    // the patterns rather than once per pattern.
    let second = word(1);
    phrases.iter().find_map(|(pattern, entry)| {
        let fits = match pattern.get(1) {
            Some(p) => {
                second.is_some_and(|w| p.matches(w))
                    && (2..pattern.len()).all(|k| word(k).is_some_and(|w| pattern[k].matches(w)))
            }
            None => true,
        };
        fits.then_some((entry, pattern.len()))
    })
}

/// The bit of [`TermTable::prefix_lens`] for keys of `len` bytes.
fn prefix_len_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// Which end of a key an [`AffixFilter`] keeps.
#[derive(Debug, Clone, Copy)]
enum Affix {
    Start,
    End,
}

/// Longest key start or end an [`AffixFilter`] keeps.
const AFFIX_BYTES: usize = 3;

/// The first (or last) up to [`AFFIX_BYTES`] bytes of a set of keys. A word can only begin
/// (end) with one of the keys if it begins (ends) with one of these, so most words are turned
/// away with one or two bit tests. Removing a key leaves its bits here: the filter may only let
/// too much through, never too little.
#[derive(Debug, Clone, Default)]
struct AffixFilter {
    bits: Bits,
    /// Bit `n` set: some key contributed `n` bytes (keys shorter than [`AFFIX_BYTES`]).
    lens: u8,
}

fn affix(bytes: &[u8], n: usize, side: Affix) -> &[u8] {
    match side {
        Affix::Start => &bytes[..n],
        Affix::End => &bytes[bytes.len() - n..],
    }
}

/// The affix bytes and their count in one integer, so that "ab" and "\0ab" differ.
fn pack(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(bytes.len() as u32, |v, &b| (v << 8) | u32::from(b))
}

impl AffixFilter {
    fn add(&mut self, key: &[u8], side: Affix) {
        let n = key.len().min(AFFIX_BYTES);
        self.lens |= 1 << n;
        self.bits.set(u64::from(pack(affix(key, n, side))));
    }

    /// Runs several times for every word a cold look-up tries, so written as a plain loop.
    #[inline]
    fn may_match(&self, word: &[u8], side: Affix) -> bool {
        if self.lens & 1 != 0 {
            return true;
        }
        let most = AFFIX_BYTES.min(word.len());
        // The affix lengths some key has, of those the word has.
        let mut lens = u32::from(self.lens) & ((2 << most) - 2);
        if lens == 0 {
            return false;
        }
        // The word's `most` edge bytes, read once: each affix is cut from them.
        let edge = match side {
            Affix::Start => &word[..most],
            Affix::End => &word[word.len() - most..],
        };
        let edge = edge.iter().fold(0u32, |v, &b| v << 8 | u32::from(b));
        while lens != 0 {
            let n = lens.trailing_zeros();
            lens &= lens - 1;
            let bytes = match side {
                Affix::Start => edge >> (8 * (most as u32 - n)),
                Affix::End => edge & ((1 << (8 * n)) - 1),
            };
            // As [`pack`] packs the affix: its length above its bytes.
            if self.bits.get(u64::from(n << (8 * n) | bytes)) {
                return true;
            }
        }
        false
    }
}

/// A set of keys as one bit per hash of the key's length, first and last bytes (a Bloom
/// filter with one hash): `false` means the key is surely absent, at the cost of a few
/// instructions instead of hashing the whole key and probing a map.
#[derive(Debug, Clone, Default)]
struct KeyFilter {
    bits: Bits,
}

impl KeyFilter {
    fn add(&mut self, key: &[u8]) {
        self.bits.set(Self::summary(key));
    }

    fn may_contain(&self, key: &[u8]) -> bool {
        self.bits.get(Self::summary(key))
    }

    fn summary(key: &[u8]) -> u64 {
        let n = key.len();
        let (first, last) = match (key.first_chunk::<4>(), key.last_chunk::<4>()) {
            (Some(first), Some(last)) => (u32::from_le_bytes(*first), u32::from_le_bytes(*last)),
            _ => (pack(key), 0),
        };
        (u64::from(first) | u64::from(last) << 32) ^ (n as u64).rotate_right(8)
    }
}

/// Bits addressed by a hash of a 64-bit value; empty until the first [`Bits::set`].
#[derive(Debug, Clone, Default)]
struct Bits {
    words: Vec<u64>,
}

/// log2 of the number of bits in [`Bits`] (8 KiB): few false hits for tables of thousands of
/// keys, and small enough to stay in cache.
const BITS_LOG2: u32 = 16;

impl Bits {
    fn index(value: u64) -> usize {
        (value.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BITS_LOG2)) as usize
    }

    fn set(&mut self, value: u64) {
        if self.words.is_empty() {
            self.words = vec![0; (1 << BITS_LOG2) / 64];
        }
        let i = Self::index(value);
        self.words[i / 64] |= 1 << (i % 64);
    }

    fn get(&self, value: u64) -> bool {
        let i = Self::index(value);
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(v: f64, line: usize) -> Entry<f64> {
        Entry {
            value: v,
            term: String::new(),
            origin: Origin {
                file: Arc::from("t.tsv"),
                line,
            },
        }
    }

    const OPTS: WordLookup = WordLookup {
        min_head_chars: 4,
        min_modifier_chars: 3,
        umlaut_fallback: true,
        min_stem_chars: 3,
    };

    impl TermTable<f64> {
        fn lookup_word_any<'t>(
            &'t self,
            word: &str,
            opts: &WordLookup,
            noun_head: impl Fn(&f64) -> bool,
        ) -> Option<WordMatch<'t, f64>> {
            let infl = [("en".to_string(), String::new()), ("t".into(), "en".into())];
            self.lookup_word(word, opts, &infl, noun_head)
        }
    }

    fn table() -> TermTable<f64> {
        let mut t = TermTable::default();
        for (i, term) in [
            "gut",
            "katastroph*",
            "katastrophen*",
            "-treiber",
            "problem",
            "schön",
        ]
        .iter()
        .enumerate()
        {
            t.insert(Key::parse(term).unwrap(), entry(i as f64, i + 2));
        }
        t.insert(Key::parse("in der Klemme").unwrap(), entry(9.0, 20));
        t.insert(Key::parse("an der nase herum*").unwrap(), entry(8.0, 21));
        t
    }

    proptest::proptest! {
        #[test]
        fn char_count_counts_chars(s in "\\PC{0,12}") {
            proptest::prop_assert_eq!(char_count(&s), s.chars().count());
        }

        #[test]
        fn two_words_as_split_finds_them(s in "[a\u{e4} \t\u{a0}\u{3000}\u{1f}\u{85}-]{0,6}|\\PC{0,6}") {
            proptest::prop_assert_eq!(has_two_words(&s), s.split_whitespace().nth(1).is_some());
        }
    }

    #[test]
    fn term_shapes_parse() {
        assert_eq!(Key::parse("Gut").unwrap(), Key::Exact("gut".into()));
        assert_eq!(Key::parse("kata*").unwrap(), Key::Prefix("kata".into()));
        assert_eq!(Key::parse("-Treiber").unwrap(), Key::Head("treiber".into()));
        assert!(matches!(Key::parse("kein  Interesse").unwrap(), Key::Phrase(w) if w.len() == 2));
        for bad in ["*", "a*b", "-", "* x", "x *y*", "-a*"] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn exact_prefix_head_and_umlaut() {
        let t = table();
        let any = |_: &f64| true;
        let m = t.lookup_word_any("gut", &OPTS, any).unwrap();
        assert_eq!((m.kind, m.entry.value), (MatchKind::Exact, 0.0));
        let m = t
            .lookup_word_any("katastrophenstimmung", &OPTS, any)
            .unwrap();
        assert_eq!((m.kind, m.entry.value), (MatchKind::Prefix, 2.0));
        let m = t.lookup_word_any("kriegstreiber", &OPTS, any).unwrap();
        assert_eq!((m.kind, m.head_at), (MatchKind::CompoundHead, Some(6)));
        let m = t.lookup_word_any("hauptproblem", &OPTS, any).unwrap();
        assert_eq!(m.entry.value, 4.0);
        assert!(t
            .lookup_word_any("hauptproblem", &OPTS, |_| false)
            .is_none());
        let m = t.lookup_word_any("nato-problem", &OPTS, any).unwrap();
        assert_eq!(m.head_at, Some(5));
        let m = t.lookup_word_any("schoen", &OPTS, any).unwrap();
        assert_eq!(m.kind, MatchKind::UmlautSpelling);
        assert!(t.lookup_word_any("schon", &OPTS, any).is_none());
        let m = t.lookup_word_any("guten", &OPTS, any).unwrap();
        assert_eq!((m.kind, m.entry.value), (MatchKind::Inflection, 0.0));
        let m = t.lookup_word_any("kriegstreiberen", &OPTS, any).unwrap();
        assert_eq!(m.kind, MatchKind::Inflection);
        // Too short a modifier: "zgut" is not a compound of "gut".
        assert!(t.lookup_word_any("zgut", &OPTS, any).is_none());
    }

    /// The look-up as first written, without filters or shortcuts: the reference the filtered
    /// one must agree with.
    fn reference_word<'t>(
        t: &'t TermTable<f64>,
        word: &str,
        opts: &WordLookup,
        inflections: &[(String, String)],
        noun_head: &dyn Fn(&f64) -> bool,
    ) -> Option<(*const Entry<f64>, MatchKind, Option<usize>)> {
        let prefix = |w: &str| {
            (1..=w.len())
                .rev()
                .filter_map(|len| w.get(..len))
                .find_map(|stem| t.prefix.get(stem))
        };
        let head = |w: &str, noun_head: &dyn Fn(&f64) -> bool| {
            let get = |h: &str| {
                t.heads
                    .get(h)
                    .or_else(|| t.exact.get(h).filter(|e| noun_head(&e.value)))
            };
            if let Some(h) = w.rfind('-') {
                if let Some(e) = get(&w[h + 1..]) {
                    return Some((e, h + 1));
                }
            }
            let total = w.chars().count();
            w.char_indices()
                .enumerate()
                .filter(|&(k, _)| k >= opts.min_modifier_chars && total - k >= opts.min_head_chars)
                .find_map(|(_, (at, _))| get(&w[at..]).map(|e| (e, at)))
        };
        let spelling = |w: &str| {
            if let Some(e) = t.exact.get(w) {
                return Some((e, MatchKind::Exact, None));
            }
            if let Some(e) = prefix(w) {
                return Some((e, MatchKind::Prefix, None));
            }
            head(w, noun_head).map(|(e, at)| (e, MatchKind::CompoundHead, Some(at)))
        };
        let found = spelling(word).or_else(|| {
            inflections.iter().find_map(|(suffix, replacement)| {
                let stem = word.strip_suffix(suffix.as_str())?;
                if stem.chars().count() < opts.min_stem_chars {
                    return None;
                }
                let form = format!("{stem}{replacement}");
                let e = t
                    .exact
                    .get(&form)
                    .or_else(|| prefix(&form))
                    .or_else(|| head(&form, &|_| false).map(|(e, _)| e))?;
                Some((e, MatchKind::Inflection, None))
            })
        });
        let found = found.or_else(|| {
            let respelt = word
                .replace("ae", "ä")
                .replace("oe", "ö")
                .replace("ue", "ü");
            (opts.umlaut_fallback && respelt != word)
                .then(|| spelling(&respelt))
                .flatten()
                .map(|(e, _, _)| (e, MatchKind::UmlautSpelling, None))
        });
        found.map(|(e, kind, at)| (e as *const _, kind, at))
    }

    proptest::proptest! {
        /// Words built from the table's own terms and endings, so that every kind of match
        /// (and near miss) comes up.
        #[test]
        fn filtered_lookups_equal_the_reference(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "gut", "katastroph", "en", "treiber", "problem", "schön", "schoen", "t",
                    "haupt", "-", "s", "e", "kriegs", "x", "ö", "ae", "ten", "reiber",
                ]),
                1..5,
            ),
            nouns in proptest::bool::ANY,
        ) {
            let t = table();
            let infl = [
                ("en".to_string(), String::new()),
                ("t".into(), "en".into()),
                ("ten".into(), "en".into()),
                ("s".into(), String::new()),
            ];
            let word: String = parts.concat();
            let noun_head = |_: &f64| nouns;
            let got = t
                .lookup_word(&word, &OPTS, &infl, noun_head)
                .map(|m| (m.entry as *const _, m.kind, m.head_at));
            proptest::prop_assert_eq!(got, reference_word(&t, &word, &OPTS, &infl, &noun_head));
        }
    }

    proptest::proptest! {
        /// The affixes [`AffixFilter::may_match`] grows byte by byte are those [`pack`] packs.
        #[test]
        fn affix_filter_agrees_with_packed_affixes(
            keys in proptest::collection::vec("[ab\u{e4}]{0,4}", 0..6),
            word in "[ab\u{e4}]{0,5}",
            start in proptest::bool::ANY,
        ) {
            let side = if start { Affix::Start } else { Affix::End };
            let mut filter = AffixFilter::default();
            for k in &keys {
                filter.add(k.as_bytes(), side);
            }
            let w = word.as_bytes();
            let expected = filter.lens & 1 != 0
                || (1..=AFFIX_BYTES.min(w.len())).any(|n| {
                    filter.lens & (1 << n) != 0
                        && filter.bits.get(u64::from(pack(affix(w, n, side))))
                });
            proptest::prop_assert_eq!(filter.may_match(w, side), expected);
            for k in &keys {
                if word.starts_with(k.as_str()) && start || word.ends_with(k.as_str()) && !start {
                    proptest::prop_assert!(filter.may_match(w, side));
                }
            }
        }
    }

    /// [`longest_phrase`] as first written: every pattern asks for its words anew.
    fn longest_phrase_reference<'t, 'w, V>(
        phrases: &'t [Phrase<V>],
        word: impl Fn(usize) -> Option<&'w str>,
    ) -> Option<(&'t Entry<V>, usize)> {
        phrases.iter().find_map(|(pattern, entry)| {
            (1..pattern.len())
                .all(|k| word(k).is_some_and(|w| pattern[k].matches(w)))
                .then_some((entry, pattern.len()))
        })
    }

    proptest::proptest! {
        /// Phrases and texts from a few words, so that patterns share first and later words,
        /// and texts end in the middle of a pattern.
        #[test]
        fn longest_phrase_equals_the_reference(
            patterns in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!["a", "b", "ab", "b*", "a*", "c"]),
                    1..4,
                ),
                0..6,
            ),
            text in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b", "ab", "abc", "ba", "c"]),
                0..5,
            ),
        ) {
            let mut t: TermTable<f64> = TermTable::default();
            for (line, words) in patterns.iter().enumerate() {
                let term = format!("x {}", words.join(" "));
                if let Ok(key) = Key::parse(&term) {
                    t.insert(key, entry(line as f64, line));
                }
            }
            // Patterns of every length, one word too, as a caller could build them by hand.
            let mut phrases = t.phrases_from("x").map(<[_]>::to_vec).unwrap_or_default();
            phrases.push((vec![PhraseWord::Exact("x".into())], entry(-1.0, 0)));
            let word = |k: usize| if k == 0 { Some("x") } else { text.get(k - 1).copied() };
            for end in 0..=phrases.len() {
                let got = longest_phrase(&phrases[..end], word).map(|(e, n)| (e.value, n));
                let expected = longest_phrase_reference(&phrases[..end], word)
                    .map(|(e, n)| (e.value, n));
                proptest::prop_assert_eq!(got, expected);
            }
        }
    }

    #[test]
    fn phrases_match_longest_and_with_prefix_words() {
        let t = table();
        let (e, n) = t.match_phrase(&["in", "der", "klemme", "!"]).unwrap();
        assert_eq!((e.value, n), (9.0, 3));
        let (e, n) = t
            .match_phrase(&["an", "der", "nase", "herumgeführt"])
            .unwrap();
        assert_eq!((e.value, n), (8.0, 4));
        assert!(t.match_phrase(&["in", "der"]).is_none());
    }

    #[test]
    fn insert_replaces_and_remove_deletes() {
        let mut t = table();
        let old = t
            .insert(Key::parse("gut").unwrap(), entry(5.0, 99))
            .unwrap();
        assert_eq!(old.value, 0.0);
        assert!(t.remove(&Key::parse("in der klemme").unwrap()).is_some());
        assert!(t.match_phrase(&["in", "der", "klemme"]).is_none());
    }
}
