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

use crate::lexicon::{
    Contrast, Entry, Incivility, IronyCue, MatchKind, Origin, Polarity, RhetoricCue, ToneLexicons,
    WordLookup,
};

/// Words kept before the cache starts over (about 15 MB at most).
pub const MAX_WORDS: usize = 100_000;

/// A polarity match, as [`crate::lexicon::WordMatch`] without the borrow of the word.
#[derive(Debug, Clone, Copy)]
pub struct PolarityMatch<'l> {
    pub entry: &'l Entry<Polarity>,
    pub kind: MatchKind,
    pub head_at: Option<usize>,
}

/// What the lexicons say about one normalised word.
#[derive(Debug, Clone, Copy)]
pub struct WordInfo<'l> {
    pub incivility: Option<&'l Entry<Incivility>>,
    pub polarity: Option<PolarityMatch<'l>>,
    pub negator: Option<&'l Origin>,
    pub contrast: Option<&'l Entry<Contrast>>,
    pub intensifier: Option<&'l Entry<f64>>,
    pub irony: Option<IronyCue>,
    pub rhetoric: Option<&'l Entry<RhetoricCue>>,
    /// Some multi-word polarity entry starts with this word.
    pub phrase_start: bool,
}

impl<'l> WordInfo<'l> {
    /// Looks `word` up in every table, uncached.
    pub fn resolve(lex: &'l ToneLexicons, lookup: &WordLookup, word: &str) -> WordInfo<'l> {
        WordInfo {
            incivility: lex
                .incivility
                .lookup_word(word, lookup, &lex.inflections, |_| true)
                .map(|m| m.entry),
            polarity: lex
                .polarity
                .lookup_word(word, lookup, &lex.inflections, |p| p.noun)
                .map(|m| PolarityMatch {
                    entry: m.entry,
                    kind: m.kind,
                    head_at: m.head_at,
                }),
            negator: lex.negators.lookup_simple(word).map(|e| &e.origin),
            contrast: lex.contrast.lookup_simple(word),
            intensifier: lex.intensifiers.lookup_simple(word),
            irony: lex.irony.lookup_simple(word).map(|e| e.value),
            rhetoric: lex.rhetoric.lookup_simple(word),
            phrase_start: lex.polarity.has_phrase_start(word),
        }
    }

    /// A tone word: a polarity entry with a weight other than zero.
    pub fn tone_word(&self) -> bool {
        self.polarity.is_some_and(|m| m.entry.value.weight != 0.0)
    }
}

/// Resolved words by their normalised form. Answers are addressed by index, stable until the
/// next [`WordCache::start_text`].
#[derive(Debug)]
pub struct WordCache<'l> {
    index: FxHashMap<Box<str>, u32>,
    infos: Vec<WordInfo<'l>>,
    limit: usize,
}

impl Default for WordCache<'_> {
    fn default() -> Self {
        WordCache {
            index: FxHashMap::default(),
            infos: Vec::new(),
            limit: MAX_WORDS,
        }
    }
}

impl<'l> WordCache<'l> {
    /// Called before each text: starts over when the cache is full, never in mid-text.
    pub fn start_text(&mut self) {
        if self.infos.len() >= self.limit {
            self.index.clear();
            self.infos.clear();
        }
    }

    /// The index of `word`'s answer, looking it up on first sight.
    pub fn resolve(&mut self, lex: &'l ToneLexicons, lookup: &WordLookup, word: &str) -> u32 {
        if let Some(&i) = self.index.get(word) {
            return i;
        }
        let i = self.infos.len() as u32;
        self.infos.push(WordInfo::resolve(lex, lookup, word));
        self.index.insert(word.into(), i);
        i
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
            && same(a.rhetoric, b.rhetoric)
            && a.phrase_start == b.phrase_start
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
                "nicht", "kein", "aber", "sehr", "grins", "herrlich", "idiot", "schoen",
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
    fn cached_answers_equal_uncached_lookups() {
        let a = crate::tone::tests::analyzer();
        let (lex, lookup) = (&a.lex, &a.lookup);
        let words = varied_words(lex);
        assert!(words.len() > 3000, "{}", words.len());
        assert!(words
            .iter()
            .any(|w| WordInfo::resolve(lex, lookup, w).polarity.is_some()));
        // Twice over, so that the second round is answered from the cache; and with a small
        // limit, so that answers are also given right after the cache started over.
        for limit in [MAX_WORDS, 97] {
            let mut cache = WordCache {
                limit,
                ..WordCache::default()
            };
            for w in words.iter().chain(&words) {
                cache.start_text();
                let i = cache.resolve(lex, lookup, w);
                assert!(
                    same_info(cache.get(i), &WordInfo::resolve(lex, lookup, w)),
                    "{w}"
                );
                assert!(cache.infos.len() <= limit && cache.index.len() == cache.infos.len());
            }
        }
    }
}
