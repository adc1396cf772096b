//! The scoring constants of `rules.tsv`: every number the tone rules use lives in that file,
//! so a linguist can change a window or a factor without touching Rust.
//!
//! The file must name every constant exactly once; an unknown or missing name is an error, so a
//! typo cannot silently fall back to some value hidden in the code.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use super::table::Origin;
use super::{LexiconError, TsvFile};

macro_rules! rules {
    ($( $(#[doc = $doc:literal])* $name:ident : $lo:literal ..= $hi:literal ),* $(,)?) => {
        /// The scoring constants, one field per line of `rules.tsv`.
        #[derive(Debug, Clone)]
        pub struct Rules {
            $( $(#[doc = $doc])* pub $name: f64, )*
            origins: HashMap<&'static str, Origin>,
        }

        impl Rules {
            /// Every constant's name and allowed range.
            pub const SPEC: &'static [(&'static str, f64, f64)] =
                &[ $( (stringify!($name), $lo, $hi), )* ];

            fn slot(&mut self, name: &str) -> Option<(&'static str, &mut f64)> {
                match name {
                    $( stringify!($name) => Some((stringify!($name), &mut self.$name)), )*
                    _ => None,
                }
            }

            /// The value of the constant `name`, if there is one of that name.
            pub fn get(&self, name: &str) -> Option<f64> {
                match name {
                    $( stringify!($name) => Some(self.$name), )*
                    _ => None,
                }
            }

            fn unset() -> Rules {
                Rules { $( $name: f64::NAN, )* origins: HashMap::default() }
            }
        }
    };
}

rules! {
    /// Tokens to the right of a negator that it can reach within its clause.
    negation_window_right: 0.0..=20.0,
    /// Tokens to the left a negator reaches back ("gefällt mir nicht") when nothing to its right
    /// carries tone.
    negation_window_left: 0.0..=20.0,
    /// Factor for a negated positive term ("nicht gut").
    negation_factor_positive: -2.0..=2.0,
    /// Factor for a negated negative term ("nicht schlecht", "kein Problem").
    negation_factor_negative: -2.0..=2.0,
    /// Factor for a negated negative noun ("keinen Krieg", "ohne Probleme").
    negation_factor_negative_noun: -2.0..=2.0,
    /// Tokens to the left within which an intensifier modifies a term.
    intensifier_window: 0.0..=5.0,
    /// Added to the factor per exclamation mark closing the sentence.
    exclamation_boost: 0.0..=2.0,
    /// Exclamation marks counted at most.
    exclamation_max: 0.0..=10.0,
    /// Factor for a lexicon word written in capitals within mixed-case text.
    caps_factor: 0.0..=5.0,
    /// Factor for negative terms in a sentence ending in a question mark.
    question_factor: 0.0..=2.0,
    /// Factor for positive terms in a sentence ending in a question mark.
    question_factor_positive: 0.0..=2.0,
    /// Tone of an emphatic ending: a sentence closed by at least `exclamation_min_marks` "!"
    /// and "?" (one of them a "!") whose terms do not sum to praise.
    exclamation_tone: -1.0..=1.0,
    /// Marks ("!", "?") a sentence's closing run needs for `exclamation_tone`.
    exclamation_min_marks: 1.0..=10.0,
    /// Factor for positive terms in a sentence flagged as ironic.
    irony_factor: -2.0..=2.0,
    /// Tokens between a positive term and a mocking emoji for the emoji to flag irony.
    irony_window: 0.0..=20.0,
    /// Quoted passages with at least this many words are quotations, scored apart; shorter
    /// quoted passages are scare quotes.
    quote_min_words: 1.0..=100.0,
    /// Words in a row that a comment must share with the article or an earlier comment for
    /// them to count as quoted without quotation marks.
    quote_shingle_words: 2.0..=50.0,
    /// Tone of a pair of scare quotes around a few words ("du „Demokrat“").
    scare_quote_tone: -1.0..=1.0,
    /// Shortest compound head, in characters, that passes its entry on.
    compound_min_head_chars: 1.0..=30.0,
    /// Shortest modifier, in characters, in front of a compound head.
    compound_min_modifier_chars: 1.0..=30.0,
    /// Shortest stem, in characters, left after removing an inflection ending.
    inflection_min_stem_chars: 1.0..=30.0,
    /// Factor for a weight inherited through a compound head.
    compound_factor: 0.0..=2.0,
    /// 1 to try ae/oe/ue as ä/ö/ü when a word has no entry, 0 to switch this off.
    umlaut_fallback: 0.0..=1.0,
    /// Tone weight per unit of incivility weight, for uncivil words without a polarity entry.
    incivility_tone: -2.0..=2.0,
    /// Normalisation: tone = scaled / sqrt(scaled² + alpha).
    alpha: 0.0001..=100.0,
    /// Texts of up to this many sentences keep their raw sum; longer ones are scaled down.
    length_free_sentences: 1.0..=1000.0,
    /// How strongly longer texts are scaled: scaled = raw / (sentences /
    /// length_free_sentences)^this (1 = mean tone per `length_free_sentences` sentences, 0.5 =
    /// by the square root, 0 = off).
    length_exponent: 0.0..=1.0,
    /// Added to each term's magnitude when computing the pos/neg/neu proportions (VADER uses 1).
    proportion_offset: 0.0..=10.0,
    /// tone at or above this is labelled positive.
    label_positive: -1.0..=1.0,
    /// tone at or below this is labelled negative.
    label_negative: -1.0..=1.0,
    /// A positive label also needs at least this share of positive material (`pos`), so a
    /// long neutral text with a few friendly words stays neutral.
    label_positive_min_share: 0.0..=1.0,
    /// A negative label also needs at least this share of negative material (`neg`).
    label_negative_min_share: 0.0..=1.0,
}

impl Rules {
    /// Reads `rules.tsv` (columns `name`, `value`, optional `description`).
    pub fn load(path: &Path) -> Result<Rules, LexiconError> {
        let file = TsvFile::read(path, &["name", "value"])?;
        let origin_file: std::sync::Arc<str> = super::display_name(path).into();
        let mut rules = Rules::unset();
        for rec in &file.records {
            let name = file.text(rec, "name")?;
            let origin = Origin {
                file: origin_file.clone(),
                line: rec.line,
            };
            rules.set(name, &file, rec, origin)?;
        }
        rules.check_complete(path)?;
        Ok(rules)
    }

    /// Sets one constant from `rec`'s `value` column (used by `rules.tsv` and overlays).
    pub(crate) fn set(
        &mut self,
        name: &str,
        file: &TsvFile,
        rec: &super::TsvRecord,
        origin: Origin,
    ) -> Result<(), LexiconError> {
        let Some(&(_, lo, hi)) = Self::SPEC.iter().find(|(n, _, _)| *n == name) else {
            return Err(file.error(rec, format!("unknown rule constant '{name}'")));
        };
        let value = file.number(rec, "value", lo..=hi)?;
        if let Some(prev) = self.origins.get(name) {
            if prev.file == origin.file {
                return Err(file.error(
                    rec,
                    format!("'{name}' is already set on line {}", prev.line),
                ));
            }
        }
        if let Some((key, slot)) = self.slot(name) {
            *slot = value;
            self.origins.insert(key, origin);
        }
        Ok(())
    }

    fn check_complete(&self, path: &Path) -> Result<(), LexiconError> {
        let missing: Vec<&str> = Self::SPEC
            .iter()
            .map(|(n, _, _)| *n)
            .filter(|n| !self.origins.contains_key(n))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(LexiconError::new(
                path,
                0,
                format!("missing rule constants: {}", missing.join(", ")),
            ))
        }
    }

    /// Where a constant was set (file:line), for explanations.
    pub fn origin(&self, name: &str) -> Option<&Origin> {
        self.origins.get(name)
    }

    /// A window size as a token count: `value.round() as usize`. The scoring pass asks for its
    /// windows in every text, and `round` is a call into libm; the truncation and a compare
    /// give the same count (halves away from zero, negatives and NaN to 0, saturating).
    #[inline]
    pub fn window(value: f64) -> usize {
        let whole = value as usize;
        // Exact for every `value` below 2^53; above it `value` has no fraction.
        if value - whole as f64 >= 0.5 {
            whole.saturating_add(1)
        } else {
            whole
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_rounds_like_round() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            2.4999999999999996,
            -0.5,
            -0.4,
            -3.7,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
            4503599627370495.5,
            9007199254740993.0,
            2f64.powi(64),
            2f64.powi(64) - 2048.0,
        ];
        values.extend((0..4000).map(|k| f64::from(k) * 0.0625 - 20.0));
        values.extend((0..200).map(|k| 2f64.powi(k - 20) * 1.3));
        for v in values {
            assert_eq!(Rules::window(v), v.round() as usize, "{v}");
        }
    }

    fn write(dir: &Path, text: &str) -> std::path::PathBuf {
        let p = dir.join("rules.tsv");
        std::fs::write(&p, text).unwrap();
        p
    }

    fn full_file() -> String {
        let mut s = String::from("name\tvalue\n");
        for (n, lo, _) in Rules::SPEC {
            s.push_str(&format!("{n}\t{}\n", lo.max(0.0001)));
        }
        s
    }

    #[test]
    fn complete_file_loads() {
        let dir = tempfile::tempdir().unwrap();
        let r = Rules::load(&write(dir.path(), &full_file())).unwrap();
        assert!(r.alpha > 0.0);
        let alpha_at = Rules::SPEC
            .iter()
            .position(|(n, _, _)| *n == "alpha")
            .unwrap();
        assert_eq!(r.origin("alpha").unwrap().line, alpha_at + 2);
    }

    #[test]
    fn unknown_missing_and_duplicate_constants_fail() {
        let dir = tempfile::tempdir().unwrap();
        let e = Rules::load(&write(dir.path(), &format!("{}bogus\t1\n", full_file()))).unwrap_err();
        assert!(
            e.to_string().contains("unknown rule constant 'bogus'"),
            "{e}"
        );
        let e = Rules::load(&write(dir.path(), "name\tvalue\nalpha\t1\n")).unwrap_err();
        assert!(e.to_string().contains("missing rule constants"), "{e}");
        let e = Rules::load(&write(dir.path(), &format!("{}alpha\t2\n", full_file()))).unwrap_err();
        assert!(e.to_string().contains("already set"), "{e}");
        let e = Rules::load(&write(dir.path(), "name\tvalue\nalpha\tviel\n")).unwrap_err();
        assert!(e.to_string().ends_with("'viel' is not a number"), "{e}");
    }
}
