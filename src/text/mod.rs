//! Text normalisation and tokenisation: the first step of every analysis.
//!
//! The text is brought to Unicode NFC once; tokens then point into that NFC text with byte
//! offsets, so that every later step (dialect mapping, tone, explanations) can say exactly which
//! characters it looked at. Tokens carry a normalised form: lower-cased with umlauts kept
//! ("schön" never becomes "schon"), soft hyphens and zero-width characters removed, typographic
//! apostrophes unified.

mod tokenize;

pub use tokenize::{
    recycle, short_key, tokenize, tokenize_into, Norms, Token, TokenKind, WordKey, LONG_WORD,
    NOT_A_WORD, SHORT_KEY_BYTES,
};

use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Brings `text` to Unicode NFC. Already-NFC text (nearly all real input, and all ASCII) is
/// borrowed without copying.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_quick_yes(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// The first byte of a character from U+0300 on, the first code point that NFC may change.
const FROM_U0300: u8 = 0xCC;

/// Whether the NFC quick check says yes for `text`. Characters below U+0300 are starters that
/// every normal form keeps as they are, and after such a starter the quick check starts afresh;
/// so only the runs of characters from U+0300 on are checked, each on its own.
fn is_nfc_quick_yes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(start) = find_from_u0300(bytes, at) {
        // The run ends before ASCII or the first byte of a character below U+0300.
        let end = bytes[start..]
            .iter()
            .position(|&b| b < 0x80 || (0xC0..FROM_U0300).contains(&b))
            .map_or(bytes.len(), |n| start + n);
        let run = text.get(start..end).unwrap_or_default();
        if is_nfc_quick(run.chars()) != IsNormalized::Yes {
            return false;
        }
        at = end;
    }
    true
}

/// The position of the first byte from `at` on that starts or continues a character from U+0300
/// on: as all of such a character's bytes follow its first, this is where one starts.
fn find_from_u0300(bytes: &[u8], at: usize) -> Option<usize> {
    let bytes = bytes.get(at..)?;
    let mut skipped = 0;
    for chunk in bytes.chunks_exact(32) {
        if any_from_u0300(chunk) {
            break;
        }
        skipped += 32;
    }
    let rest = bytes.get(skipped..).unwrap_or_default();
    if rest.len() < 32 {
        // All 32-byte chunks were clear; the last bytes are checked at once too, as the last
        // 32 bytes of the text or, in a shorter text, padded with zeros (which are ASCII).
        let found = match bytes.last_chunk::<32>() {
            Some(last) => any_from_u0300(last),
            None => {
                let mut padded = [0; 32];
                padded[..rest.len()].copy_from_slice(rest);
                any_from_u0300(&padded)
            }
        };
        if !found {
            return None;
        }
    }
    let n = rest.iter().position(|&b| b >= FROM_U0300)?;
    Some(at + skipped + n)
}

/// Whether any of (32) bytes is [`FROM_U0300`] or more: written without an early exit, so that
/// the compiler compares them all at once with vector instructions.
#[inline(always)]
fn any_from_u0300(chunk: &[u8]) -> bool {
    chunk.iter().fold(false, |any, &b| any | (b >= FROM_U0300))
}

/// Characters that carry no meaning but break word matching when scraped pages contain them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn needs_normalising(word: &str) -> bool {
    if word.is_ascii() {
        return word.bytes().any(|b| b.is_ascii_uppercase());
    }
    word.chars()
        .any(|c| c.is_uppercase() || is_invisible(c) || c == '\u{2019}')
}

/// The characters of the normal form of a word that [`needs_normalising`].
fn normalised_chars(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().flat_map(|c| {
        let (one, lower) = if c.is_ascii() {
            (Some(c.to_ascii_lowercase()), None)
        } else if is_invisible(c) {
            (None, None)
        } else if c == '\u{2019}' {
            (Some('\''), None)
        } else {
            (None, Some(c.to_lowercase()))
        };
        one.into_iter().chain(lower.into_iter().flatten())
    })
}

/// Lower-cases a word, removing invisible characters and unifying apostrophes. Borrowed when the
/// word is already in normal form, which avoids an allocation per token on the hot path.
pub fn normalise_word(word: &str) -> Cow<'_, str> {
    if !needs_normalising(word) {
        return Cow::Borrowed(word);
    }
    if word.is_ascii() {
        return Cow::Owned(word.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(word.len());
    out.extend(normalised_chars(word));
    Cow::Owned(out)
}

/// Whether `norm` is `normalise_word(word)`, compared without building the normal form.
pub fn is_normal_form_of(norm: &str, word: &str) -> bool {
    // The normal form of an ASCII word is its ASCII lower case, capitals or not; a form of
    // another length (as a dialect mapping mostly gives) is told apart without reading either.
    if word.is_ascii() {
        return norm.eq_ignore_ascii_case(word) && !norm.bytes().any(|b| b.is_ascii_uppercase());
    }
    if !needs_normalising(word) {
        return std::ptr::eq(norm, word) || norm == word;
    }
    normalised_chars(word).eq(norm.chars())
}

/// True when a word is written in capitals for emphasis: at least two letters, all upper-case.
/// Unicode-aware, so "ÜBEL" and "GRINS" both count.
pub fn is_all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_umlauts() {
        let decomposed = "scho\u{0308}n";
        assert_eq!(nfc(decomposed), "schön");
        assert!(matches!(nfc("schön"), Cow::Borrowed(_)));
        assert!(matches!(nfc("Größe „x“ 😉"), Cow::Borrowed(_)));
        // The quick check starts late, so a decomposed mark after Latin-1 text must still count.
        assert_eq!(nfc("Größe: e\u{0301}!"), "Größe: é!");
        assert_eq!(nfc("A\u{030A}\u{0323}"), "\u{1EA0}\u{030A}");
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(512))]

        /// Checking the runs from U+0300 on one by one says yes exactly when the quick check
        /// over the whole text does.
        #[test]
        fn nfc_borrows_exactly_when_the_quick_check_says_yes(
            pieces in proptest::collection::vec(
                prop_oneof![
                    3 => proptest::sample::select(&[
                        "a", "e", " ", "ä", "Å", "\u{0301}", "\u{0316}", "\u{030A}", "\u{0323}",
                        "\u{0340}", "\u{0344}", "😉", "ǅ", "\u{1100}", "\u{1161}", "\u{11A8}",
                        "\u{AC00}", "„", "€", "\u{FB2A}", "\u{0CCA}",
                    ][..]).prop_map(str::to_string),
                    1 => "\\PC{0,4}",
                ],
                // Up to a few hundred bytes: whole 32-byte chunks and the last bytes after them.
                0..80,
            )
        ) {
            let text = pieces.concat();
            let got = nfc(&text);
            let quick = is_nfc_quick(text.chars()) == IsNormalized::Yes;
            prop_assert_eq!(matches!(got, Cow::Borrowed(_)), quick);
            prop_assert_eq!(got, text.nfc().collect::<String>());
        }
    }

    #[test]
    fn lower_casing_keeps_umlauts_and_drops_soft_hyphens() {
        assert_eq!(normalise_word("Schön"), "schön");
        assert_ne!(normalise_word("Schön"), normalise_word("schon"));
        assert_eq!(normalise_word("Über\u{00AD}heblichkeit"), "überheblichkeit");
        assert_eq!(normalise_word("ÜBEL"), "übel");
        assert_eq!(normalise_word("gibt\u{2019}s"), "gibt's");
        assert!(matches!(normalise_word("gut"), Cow::Borrowed(_)));
    }

    #[test]
    fn normal_form_check_agrees_with_normalising() {
        let words = [
            "gut",
            "Gut",
            "GUT",
            "Schön",
            "schön",
            "ÜBEL",
            "Über\u{00AD}heblichkeit",
            "gibt\u{2019}s",
            "gibt's",
            "ǅemal",
            "İstanbul",
            "x",
            "",
        ];
        for w in words {
            for norm in
                words
                    .iter()
                    .copied()
                    .chain([normalise_word(w).as_ref(), "schon", "gu", "guten"])
            {
                assert_eq!(
                    is_normal_form_of(norm, w),
                    normalise_word(w) == norm,
                    "{norm:?} of {w:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(512))]

        #[test]
        fn normal_form_check_agrees_on_any_word(
            word in "[a-zA-ZäÄßǅİ\u{00AD}\u{2019}'-]{0,8}|\\PC{0,8}",
            other in "[a-zA-Zä]{0,8}",
        ) {
            let norm = normalise_word(&word);
            prop_assert!(is_normal_form_of(&norm, &word));
            prop_assert!(is_normal_form_of(&word, &word) == (norm == word));
            prop_assert_eq!(is_normal_form_of(&other, &word), norm == other);
            let upper = norm.to_uppercase();
            prop_assert_eq!(is_normal_form_of(&upper, &word), norm == upper);
        }
    }

    #[test]
    fn all_caps_is_unicode_aware() {
        assert!(is_all_caps("ÜBEL"));
        assert!(is_all_caps("GRINS"));
        assert!(!is_all_caps("Übel"));
        assert!(!is_all_caps("A"));
        assert!(!is_all_caps("42"));
    }
}
