//! Memoised word resolution: everything the scoring pass asks the lexicons about one
//! normalised word (polarity, incivility, negator, contrast, intensifier, irony cue, rhetoric
//! cue, phrase start), looked up once and then served from a per-scorer cache.
//!
//! A word's resolution depends only on the word and the lexicons, never on its context, so a
//! cached answer is the uncached one. Real text is Zipfian: a few thousand word forms make up
//! nearly every token, while a cold look-up tries every inflection ending, prefix length,
//! compound head and ae/oe/ue spelling in two tables. The cache is cleared when it grows past
//! [`MAX_WORDS`], so its memory stays bounded whatever the corpus size.

use rustc_hash::FxHashMap;

use super::engine::NO_WORD;
use crate::dialect::{self, DialectLexicon};
use crate::lexicon::{
    Contrast, Entry, Incivility, IronyCue, MatchKind, Origin, Phrase, PhraseWord, Polarity,
    RhetoricCue, ToneLexicons, WordLookup,
};
use crate::text::{short_key, WordKey, LONG_WORD, NOT_A_WORD};

/// Words kept before the cache starts over (about 15 MB at most).
pub const MAX_WORDS: usize = 100_000;

/// A polarity match, as [`crate::lexicon::WordMatch`] without the borrow of the word.
#[derive(Debug, Clone, Copy)]
pub struct PolarityMatch<'l> {
    pub entry: &'l Entry<Polarity>,
    pub kind: MatchKind,
    pub head_at: Option<usize>,
    /// The entry's weight and noun flag, copied: the pass reads them for every tone word,
    /// and the entries lie scattered in memory.
    pub weight: f64,
    pub noun: bool,
    /// The entry as written, likewise copied.
    pub term: &'l str,
}

/// What the lexicons say about one normalised word.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub struct WordInfo<'l> {
    // In the order the scoring pass reads them, so that the first cache line it touches holds
    // all that most words need.
    /// The word as a dialect form: asked here so that one look-up serves both the dialect
    /// mapping and scoring.
    pub dialect: Option<&'l dialect::Entry>,
    pub incivility: Option<&'l Entry<Incivility>>,
    /// The multi-word polarity entries that start with this word, longest first.
    pub phrases: Option<&'l [Phrase<Polarity>]>,
    /// What the second word of one of `phrases` can look like.
    pub phrase_seconds: SecondWords,
    pub negator: Option<&'l Origin>,
    pub contrast: Option<&'l Entry<Contrast>>,
    pub intensifier: Option<&'l Entry<f64>>,
    pub irony: Option<IronyCue>,
    pub polarity: Option<PolarityMatch<'l>>,
    pub rhetoric: Option<&'l Entry<RhetoricCue>>,
}

/// The byte lengths and first bytes of the second words of the phrases that start with one
/// word, as bits. Nearly every time a phrase's first word occurs, the word after it starts none
/// of its phrases; these bits tell most of those cases apart without comparing the word with
/// every pattern. They may let a word through that fits no pattern, never turn one away that
/// fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondWords {
    /// Bit `n`: a second word of `n` bytes (bit 31: 31 or more) can fit.
    lens: u32,
    /// Bit `b & 31`: a second word starting with byte `b` can fit.
    starts: u32,
    /// A pattern of a single word fits whatever follows.
    anything: bool,
}

impl SecondWords {
    const NONE: SecondWords = SecondWords {
        lens: 0,
        starts: 0,
        anything: false,
    };

    fn of<V>(phrases: &[Phrase<V>]) -> SecondWords {
        let len_bit = |n: usize| 1u32 << n.min(31);
        let start_bit = |w: &str| w.bytes().next().map_or(u32::MAX, |b| 1 << (b & 31));
        let mut s = SecondWords::NONE;
        for (pattern, _) in phrases {
            match pattern.get(1) {
                Some(PhraseWord::Exact(w)) => {
                    s.lens |= len_bit(w.len());
                    s.starts |= start_bit(w);
                }
                Some(PhraseWord::Prefix(p)) => {
                    s.lens |= !(len_bit(p.len()) - 1);
                    s.starts |= start_bit(p);
                }
                None => s.anything = true,
            }
        }
        s
    }

    /// Whether a phrase can fit when `second` follows its first word; `word` tells whether
    /// `second` is a word at all. Without a branch, so that it can be asked of every word: the
    /// bits of a word that starts no phrase admit nothing.
    #[inline]
    pub fn admit(&self, second: &str, word: bool) -> bool {
        let (len, start) = (
            second.len().min(31),
            second.bytes().next().map_or(0, |b| b & 31),
        );
        self.anything | (word & (self.lens >> len & 1 != 0) & (self.starts >> start & 1 != 0))
    }
}

impl<'l> WordInfo<'l> {
    /// Looks `word` up in every table, uncached: the answer the cache must give.
    #[cfg(test)]
    pub fn resolve(
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        word: &str,
    ) -> WordInfo<'l> {
        Self::resolve_with(lex, dialect, lookup, word, &lex.inflections)
    }

    /// [`WordInfo::resolve`], trying only `inflections` (`(suffix, replacement)`, in the order of
    /// the lexicon's): they must hold every inflection whose suffix `word` ends in.
    fn resolve_with(
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        word: &str,
        inflections: &[(String, String)],
    ) -> WordInfo<'l> {
        let phrases = lex.polarity.phrases_from(word);
        WordInfo {
            incivility: lex
                .incivility
                .lookup_word(word, lookup, inflections, |_| true)
                .map(|m| m.entry),
            polarity: lex
                .polarity
                .lookup_word(word, lookup, inflections, |p| p.noun)
                .map(|m| PolarityMatch {
                    entry: m.entry,
                    kind: m.kind,
                    head_at: m.head_at,
                    weight: m.entry.value.weight,
                    noun: m.entry.value.noun,
                    term: &m.entry.term,
                }),
            negator: lex.negators.lookup_simple(word).map(|e| &e.origin),
            contrast: lex.contrast.lookup_simple(word),
            intensifier: lex.intensifiers.lookup_simple(word),
            irony: lex.irony.lookup_simple(word).map(|e| e.value),
            phrases,
            phrase_seconds: phrases.map_or(SecondWords::NONE, SecondWords::of),
            dialect: dialect.entry(word),
            rhetoric: lex.rhetoric.lookup_simple(word),
        }
    }

    /// The answer for a word that no table knows.
    const EMPTY: WordInfo<'static> = WordInfo {
        incivility: None,
        polarity: None,
        negator: None,
        contrast: None,
        intensifier: None,
        irony: None,
        rhetoric: None,
        phrases: None,
        phrase_seconds: SecondWords::NONE,
        dialect: None,
    };

    fn says_nothing(&self) -> bool {
        self.incivility.is_none()
            && self.polarity.is_none()
            && self.negator.is_none()
            && self.contrast.is_none()
            && self.intensifier.is_none()
            && self.irony.is_none()
            && self.rhetoric.is_none()
            && self.phrases.is_none()
            && self.dialect.is_none()
    }

    /// A tone word: a polarity entry with a weight other than zero.
    pub fn tone_word(&self) -> bool {
        self.polarity.is_some_and(|m| m.weight != 0.0)
    }
}

/// Resolved words by their normalised form. Answers are addressed by index, stable until the
/// next [`WordCache::start_text`]. Most words are in no table at all; they share one empty
/// answer, so that the answers the pass reads stay few and close together in memory.
#[derive(Debug)]
pub struct WordCache<'l> {
    /// Words of up to [`SHORT_KEY_BYTES`] bytes (nearly all), keyed by [`short_key`]: no key
    /// on the heap to chase and compare.
    short: ShortTable,
    long: FxHashMap<Box<str>, u32>,
    /// `infos[EMPTY]` is the answer of every word no table knows.
    infos: Vec<WordInfo<'l>>,
    pub(super) limit: usize,
    /// Per answer in `infos`: the index of the answer for the standard form its dialect entry
    /// maps the word to, once asked for ([`UNASKED`] before).
    standard: Vec<u32>,
    /// The lexicon's inflections by the last byte of their suffix (index 256: the empty word),
    /// each list in the lexicon's order and holding the empty suffixes too: a cold look-up
    /// tries only the endings its word can have. Filled at the first cold look-up.
    endings: Vec<Vec<(String, String)>>,
}

/// A [`WordCache::standard`] not asked for yet.
const UNASKED: u32 = u32::MAX;

/// One slot of a [`ShortTable`]: a key and its answer's index, together in one cache line.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
struct Slot {
    key: u128,
    index: u32,
}

/// The key of a free slot: its length byte (0xff) is longer than any [`short_key`] packs.
const VACANT: u128 = u128::MAX;

/// [`short_key`]s to answer indices: open addressing with linear probing, at most half full.
/// Every token of every text is looked up here, nearly always with success; a general hash map
/// spends more on hashing the 16-byte key, probing control bytes and its own bookkeeping than
/// on the one comparison a hit needs.
#[derive(Debug)]
struct ShortTable {
    /// A power of two in length.
    slots: Vec<Slot>,
    len: usize,
    /// 64 less the bits of a slot's index: kept rather than counted from the length at every
    /// look-up.
    shift: u32,
}

impl ShortTable {
    const INITIAL_SLOTS: usize = 1024;

    /// An empty table but for [`NOT_A_WORD`], which is answered [`NO_WORD`]: so the keys of all
    /// tokens are asked alike, and whether a token is a word takes no branch.
    fn new() -> ShortTable {
        let mut table = ShortTable {
            slots: vec![
                Slot {
                    key: VACANT,
                    index: 0
                };
                Self::INITIAL_SLOTS
            ],
            len: 0,
            shift: 64 - Self::INITIAL_SLOTS.trailing_zeros(),
        };
        table.hold_not_a_word();
        table
    }

    fn hold_not_a_word(&mut self) {
        let (at, _) = self.find(NOT_A_WORD);
        self.insert_at(at, NOT_A_WORD, NO_WORD);
    }

    /// Where the search for `key` starts: the key's bits multiplied together, high bits kept.
    fn home(&self, key: u128) -> usize {
        let (lo, hi) = (key as u64, (key >> 64) as u64);
        let mixed =
            (lo.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ hi).wrapping_mul(0xf135_7aea_2e62_a9c5);
        (mixed >> self.shift) as usize
    }

    /// The slot holding `key`, or the free slot where it belongs.
    fn find(&self, key: u128) -> (usize, Option<u32>) {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let slot = self.slots[at];
            if slot.key == key {
                return (at, Some(slot.index));
            }
            if slot.key == VACANT {
                return (at, None);
            }
            at = (at + 1) & mask;
        }
    }

    /// Stores `key` (absent) in the free slot `at` that [`ShortTable::find`] gave.
    fn insert_at(&mut self, at: usize, key: u128, index: u32) {
        self.slots[at] = Slot { key, index };
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            let grown = vec![
                Slot {
                    key: VACANT,
                    index: 0
                };
                self.slots.len() * 2
            ];
            let old = std::mem::replace(&mut self.slots, grown);
            self.shift -= 1;
            for slot in old.into_iter().filter(|s| s.key != VACANT) {
                let (at, _) = self.find(slot.key);
                self.slots[at] = slot;
            }
        }
    }

    fn clear(&mut self) {
        self.slots.fill(Slot {
            key: VACANT,
            index: 0,
        });
        self.len = 0;
        self.hold_not_a_word();
    }
}

/// The index of the shared empty answer.
pub(super) const EMPTY: u32 = 0;

impl Default for WordCache<'_> {
    fn default() -> Self {
        WordCache {
            short: ShortTable::new(),
            long: FxHashMap::default(),
            infos: vec![WordInfo::EMPTY],
            limit: MAX_WORDS,
            standard: vec![UNASKED],
            endings: Vec::new(),
        }
    }
}

impl<'l> WordCache<'l> {
    /// Called before each text, or batch of texts: starts over when the cache is full, never
    /// in mid-text.
    pub fn start_text(&mut self) {
        if self.words() >= self.limit {
            self.short.clear();
            self.long.clear();
            self.infos.truncate(EMPTY as usize + 1);
            self.standard.truncate(EMPTY as usize + 1);
        }
    }

    /// The index of `word`'s answer (a hashtag's without its '#'), looking it up on first
    /// sight.
    pub fn resolve(
        &mut self,
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        word: &str,
    ) -> u32 {
        let key = short_key(word).unwrap_or(LONG_WORD);
        self.resolve_keyed(lex, dialect, lookup, key, word)
    }

    /// [`WordCache::resolve`] of the token whose [`WordKey`] is `key` and normal form `norm`
    /// (a hashtag's with its '#'): [`NO_WORD`] for a token that is no word. Only the hit stays
    /// here, to be inlined into the token loop.
    #[inline(always)]
    pub fn resolve_keyed(
        &mut self,
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        key: WordKey,
        norm: &str,
    ) -> u32 {
        match self.short.find(key) {
            (_, Some(i)) => i,
            (at, None) => self.keyed_miss(lex, dialect, lookup, key, norm, at),
        }
    }

    /// [`WordCache::resolve_keyed`] for a key not in the table: a long word's, or a short one's
    /// that belongs in slot `at`.
    #[inline(never)]
    fn keyed_miss(
        &mut self,
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        key: WordKey,
        norm: &str,
        at: usize,
    ) -> u32 {
        // The tokenizer starts a word with a word character: only a hashtag has a '#' here.
        let word = norm.strip_prefix('#').unwrap_or(norm);
        if key == LONG_WORD {
            self.resolve_long(lex, dialect, lookup, word)
        } else {
            self.short_miss(lex, dialect, lookup, word, at, key)
        }
    }

    /// [`WordCache::resolve`] for a short word not in the table: `key` belongs in slot `at`.
    #[inline(never)]
    fn short_miss(
        &mut self,
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        word: &str,
        at: usize,
        key: u128,
    ) -> u32 {
        let i = self.first_sight(lex, dialect, lookup, word);
        self.short.insert_at(at, key, i);
        i
    }

    /// [`WordCache::resolve`] for a word longer than [`SHORT_KEY_BYTES`].
    #[inline(never)]
    fn resolve_long(
        &mut self,
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        word: &str,
    ) -> u32 {
        match self.long.get(word) {
            Some(&i) => i,
            None => {
                let i = self.first_sight(lex, dialect, lookup, word);
                self.long.insert(word.into(), i);
                i
            }
        }
    }

    /// Looks `word` up in the lexicons and keeps the answer, unless it is the empty one.
    #[inline(never)]
    fn first_sight(
        &mut self,
        lex: &'l ToneLexicons,
        dialect: &'l DialectLexicon,
        lookup: &WordLookup,
        word: &str,
    ) -> u32 {
        if self.endings.is_empty() {
            self.endings = vec![Vec::new(); 257];
            for ending in &lex.inflections {
                match ending.0.as_bytes().last() {
                    Some(&b) => self.endings[usize::from(b)].push(ending.clone()),
                    None => self.endings.iter_mut().for_each(|e| e.push(ending.clone())),
                }
            }
        }
        let end = word.as_bytes().last().map_or(256, |&b| usize::from(b));
        let info = WordInfo::resolve_with(lex, dialect, lookup, word, &self.endings[end]);
        if info.says_nothing() {
            EMPTY
        } else {
            self.infos.push(info);
            self.standard.push(UNASKED);
            (self.infos.len() - 1) as u32
        }
    }

    /// How many words the cache holds.
    fn words(&self) -> usize {
        self.short.len + self.long.len()
    }

    /// The index of the answer for the standard form that the dialect entry of answer `i`
    /// maps a word to, which `resolve` looks up: asked once per answer, since the form depends
    /// on the entry alone. The shared empty answer has no entry and is never kept.
    pub fn standard_index(&mut self, i: u32, resolve: impl FnOnce(&mut Self) -> u32) -> u32 {
        match self.standard.get(i as usize) {
            Some(&known) if known != UNASKED => known,
            _ => {
                let found = resolve(self);
                if i != EMPTY {
                    if let Some(slot) = self.standard.get_mut(i as usize) {
                        *slot = found;
                    }
                }
                found
            }
        }
    }

    pub fn get(&self, i: u32) -> &WordInfo<'l> {
        &self.infos[i as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same<T>(a: Option<&T>, b: Option<&T>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    fn same_info(a: &WordInfo, b: &WordInfo) -> bool {
        let pol = match (a.polarity, b.polarity) {
            (Some(x), Some(y)) => {
                std::ptr::eq(x.entry, y.entry) && x.kind == y.kind && x.head_at == y.head_at
            }
            (None, None) => true,
            _ => false,
        };
        pol && same(a.incivility, b.incivility)
            && same(a.negator, b.negator)
            && same(a.contrast, b.contrast)
            && same(a.intensifier, b.intensifier)
            && a.irony == b.irony
            && a.phrases.map(<[_]>::as_ptr) == b.phrases.map(<[_]>::as_ptr)
            && same(a.dialect, b.dialect)
            && same(a.rhetoric, b.rhetoric)
    }

    /// Word forms of every shape the tables know: lexicon terms themselves, inflected and
    /// compounded forms, ae/oe/ue spellings and words no table has.
    fn varied_words(lex: &ToneLexicons) -> Vec<String> {
        let seeds = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons/polarity.tsv"),
        )
        .unwrap_or_default();
        let mut stems: Vec<String> = seeds
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .map(|t| t.trim_matches(['*', '-']).to_lowercase())
            .filter(|t| !t.is_empty() && !t.contains(' '))
            .take(600)
            .collect();
        stems.extend(
            [
                "nicht", "kein", "aber", "sehr", "grins", "herrlich", "idiot", "schoen", "isch",
                "net",
            ]
            .map(String::from),
        );
        let mut words = Vec::new();
        for (k, s) in stems.iter().enumerate() {
            words.push(s.clone());
            for (suffix, _) in lex.inflections.iter().skip(k % 3).step_by(5) {
                words.push(format!("{s}{suffix}"));
            }
            words.push(format!("haupt{s}"));
            words.push(format!("nato-{s}"));
            words.push(s.replace('ö', "oe").replace('ü', "ue").replace('ä', "ae"));
            words.push(format!("{s}xq"));
        }
        words
    }

    #[test]
    fn short_keys_hold_every_byte_and_the_length() {
        let text = "abcdefghijklmnop\u{e4}";
        for end in 0..=text.len() {
            let Some(word) = text.get(..end) else {
                continue;
            };
            let mut reference = [0u8; 16];
            if end <= crate::text::SHORT_KEY_BYTES {
                reference[..end].copy_from_slice(word.as_bytes());
                reference[15] = end as u8;
                assert_eq!(
                    short_key(word),
                    Some(u128::from_le_bytes(reference)),
                    "{word}"
                );
            } else {
                assert_eq!(short_key(word), None);
            }
        }
    }

    #[test]
    fn short_keys_tell_words_apart() {
        let words = [
            "",
            "a",
            "a\0",
            "ab",
            "ba",
            "übel",
            "fuenfzehn-bytes",
            "sechzehn-bytes!!",
        ];
        let keys: Vec<_> = words.iter().map(|w| short_key(w)).collect();
        assert!(keys[..7].iter().all(Option::is_some));
        assert_eq!(keys[7], None);
        for (a, ka) in keys[..7].iter().enumerate() {
            for kb in &keys[a + 1..7] {
                assert_ne!(ka, kb);
            }
        }
    }

    proptest::proptest! {
        /// The loads and shifts of [`short_key`] give the word's bytes in a zeroed buffer with
        /// the length in the last byte.
        #[test]
        fn short_keys_agree_with_a_byte_buffer(word in "[a-zäß-]{0,16}|\\PC{0,5}") {
            let n = word.len();
            let expected = (n <= crate::text::SHORT_KEY_BYTES).then(|| {
                let mut buffer = [0u8; 16];
                buffer[..n].copy_from_slice(word.as_bytes());
                buffer[15] = n as u8;
                u128::from_le_bytes(buffer)
            });
            proptest::prop_assert_eq!(short_key(&word), expected);
        }

        /// The short table answers as a plain hash map would, through growth and clearing,
        /// one that always holds [`NOT_A_WORD`] as [`NO_WORD`].
        #[test]
        fn short_table_behaves_as_a_map(
            words in proptest::collection::vec("[a-zäöü]{0,6}", 0..3000),
            clear_at in 0usize..3000,
        ) {
            let mut table = ShortTable::new();
            let mut reference = FxHashMap::from_iter([(NOT_A_WORD, NO_WORD)]);
            for (n, w) in words.iter().enumerate() {
                if n == clear_at {
                    table.clear();
                    reference = FxHashMap::from_iter([(NOT_A_WORD, NO_WORD)]);
                }
                proptest::prop_assert_eq!(table.find(NOT_A_WORD).1, Some(NO_WORD));
                let Some(key) = short_key(w) else { continue };
                let next = reference.len() as u32;
                match (table.find(key), reference.get(&key)) {
                    ((_, Some(i)), Some(&j)) => proptest::prop_assert_eq!(i, j),
                    ((at, None), None) => {
                        table.insert_at(at, key, next);
                        reference.insert(key, next);
                    }
                    (found, expected) => proptest::prop_assert!(false, "{w}: {found:?} vs {expected:?}"),
                }
                proptest::prop_assert_eq!(table.len, reference.len());
            }
        }
    }

    proptest::proptest! {
        /// Whenever a pattern fits, the [`SecondWords`] of a list holding it admit the word
        /// after its first word.
        #[test]
        fn second_words_admit_every_fitting_pattern(
            patterns in proptest::collection::vec(
                proptest::collection::vec("[ab\u{e4}]{0,3}\\*?", 1..4),
                0..6,
            ),
            text in proptest::collection::vec("[ab\u{e4}]{0,4}", 0..4),
        ) {
            let origin = Origin { file: std::sync::Arc::from("t.tsv"), line: 1 };
            let phrases: Vec<Phrase<f64>> = patterns
                .iter()
                .map(|words| {
                    let pattern = words
                        .iter()
                        .map(|w| match w.strip_suffix('*') {
                            Some(p) => PhraseWord::Prefix(p.to_string()),
                            None => PhraseWord::Exact(w.clone()),
                        })
                        .collect();
                    let entry = Entry { value: 0.0, term: String::new(), origin: origin.clone() };
                    (pattern, entry)
                })
                .collect();
            let seconds = SecondWords::of(&phrases);
            let word = |k: usize| if k == 0 { Some("x") } else { text.get(k - 1).map(String::as_str) };
            for p in &phrases {
                if crate::lexicon::longest_phrase(std::slice::from_ref(p), word).is_some() {
                    let second = word(1);
                    let admitted = seconds.admit(second.unwrap_or(""), second.is_some());
                    proptest::prop_assert!(admitted, "{:?} {:?}", p.0, text);
                }
            }
        }
    }

    /// The kept answer for a dialect form's standard form is the one a fresh look-up gives,
    /// also after the cache started over.
    #[test]
    fn standard_answers_equal_fresh_lookups() {
        let a = crate::tone::tests::analyzer();
        let (lex, dialect, lookup) = (&a.lex, &a.dialect, &a.lookup);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons/dialect");
        let forms: Vec<String> = ["bavarian.tsv", "common.tsv", "south_tyrolean.tsv"]
            .iter()
            .flat_map(|f| {
                let text = std::fs::read_to_string(dir.join(f)).unwrap_or_default();
                text.lines()
                    .filter(|l| !l.starts_with('#'))
                    .filter_map(|l| l.split('\t').next().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut mapped = 0;
        for limit in [MAX_WORDS, 7] {
            let mut cache = WordCache {
                limit,
                ..WordCache::default()
            };
            for w in forms.iter().chain(&forms) {
                cache.start_text();
                let i = cache.resolve(lex, dialect, lookup, w);
                let Some(standard) = cache.get(i).dialect.and_then(|e| e.standard()) else {
                    continue;
                };
                let standard = standard.strip_prefix('#').unwrap_or(standard);
                let got = cache.standard_index(i, |c| c.resolve(lex, dialect, lookup, standard));
                let fresh = WordInfo::resolve(lex, dialect, lookup, standard);
                assert!(same_info(cache.get(got), &fresh), "{w} -> {standard}");
                mapped += 1;
            }
        }
        assert!(mapped > 100, "{mapped}");
    }

    #[test]
    fn cached_answers_equal_uncached_lookups() {
        let a = crate::tone::tests::analyzer();
        let (lex, dialect, lookup) = (&a.lex, &a.dialect, &a.lookup);
        let words = varied_words(lex);
        assert!(words.len() > 3000, "{}", words.len());
        assert!(words
            .iter()
            .any(|w| WordInfo::resolve(lex, dialect, lookup, w)
                .polarity
                .is_some()));
        // Twice over, so that the second round is answered from the cache; and with a small
        // limit, so that answers are also given right after the cache started over.
        for limit in [MAX_WORDS, 97] {
            let mut cache = WordCache {
                limit,
                ..WordCache::default()
            };
            for w in words.iter().chain(&words) {
                cache.start_text();
                let i = cache.resolve(lex, dialect, lookup, w);
                assert!(
                    same_info(cache.get(i), &WordInfo::resolve(lex, dialect, lookup, w)),
                    "{w}"
                );
                assert!(cache.words() <= limit && cache.infos.len() <= cache.words() + 1);
            }
        }
    }
}
