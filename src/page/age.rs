//! Comment ages as sites print them ("9 h 51 Min", "4 Min 18 Sek", "vor 2 Tagen",
//! "vor einer Stunde") turned into seconds, with the words taken from `lexicons/site/age_units*`.
//!
//! The parser is strict on purpose: a line only counts as an age when every word in it is a
//! number, a unit or a filler, and numbers and units alternate. That strictness is what lets
//! the comment splitter use "is this line an age?" to find comment headers.

use rustc_hash::FxHashMap;

/// The meaning of one word in an age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeWord {
    /// A unit worth this many seconds.
    Unit(u64),
    /// A number written as a word ("einer" = 1).
    Number(u64),
    /// A filler word ("vor", "und").
    Ignore,
}

/// Calls `f` with each word of `raw`, lower-cased: "9h51min" gives "9", "h", "51", "min";
/// separators and a trailing dot per word are dropped. Stops at the first `None` from `f`.
/// Words are slices of `raw` (lower-cased into a copy only when they have capitals), because
/// every line of a comment section is asked whether it is an age.
fn each_word(raw: &str, mut f: impl FnMut(&str) -> Option<()>) -> Option<()> {
    let mut emit = |piece: &str| -> Option<()> {
        let piece = piece.strip_suffix('.').unwrap_or(piece);
        if piece.is_empty() {
            return Some(());
        }
        if piece.is_ascii() && !piece.bytes().any(|b| b.is_ascii_uppercase()) {
            f(piece)
        } else {
            f(&piece.to_lowercase())
        }
    };
    let mut start: Option<usize> = None;
    let mut current_is_digit = false;
    for (at, c) in raw.char_indices() {
        let is_sep = c.is_whitespace() || c == ',';
        let is_digit = c.is_ascii_digit();
        if is_sep || (start.is_some() && is_digit != current_is_digit) {
            if let Some(s) = start.take() {
                emit(&raw[s..at])?;
            }
            if is_sep {
                continue;
            }
        }
        current_is_digit = is_digit;
        start.get_or_insert(at);
    }
    if let Some(s) = start {
        emit(&raw[s..])?;
    }
    Some(())
}

/// Most words an age has.
const MAX_WORDS: usize = 12;

/// Seconds in a printed age, or `None` when the text is not (only) an age.
pub fn parse_age(raw: &str, table: &FxHashMap<String, AgeWord>) -> Option<u64> {
    let mut words = 0;
    let mut total: u64 = 0;
    let mut pending: Option<u64> = None;
    let mut pairs = 0;
    each_word(raw, |w| {
        words += 1;
        if words > MAX_WORDS {
            return None;
        }
        let meaning = if w.bytes().all(|b| b.is_ascii_digit()) {
            AgeWord::Number(w.parse().ok()?)
        } else {
            *table.get(w)?
        };
        match meaning {
            AgeWord::Ignore => {
                if pending.is_some() {
                    return None;
                }
            }
            AgeWord::Number(n) => {
                if pending.replace(n).is_some() {
                    return None;
                }
            }
            AgeWord::Unit(seconds) => {
                let n = pending.take()?;
                total = total.checked_add(n.checked_mul(seconds)?)?;
                pairs += 1;
            }
        }
        Some(())
    })?;
    if pending.is_some() || pairs == 0 {
        return None;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FxHashMap<String, AgeWord> {
        let mut t = FxHashMap::default();
        for (w, s) in [
            ("sek", 1),
            ("min", 60),
            ("minuten", 60),
            ("h", 3600),
            ("stunde", 3600),
            ("tagen", 86400),
            ("wochen", 604800),
            ("monat", 2592000),
            ("jahren", 31536000),
        ] {
            t.insert(w.to_string(), AgeWord::Unit(s));
        }
        t.insert("einer".into(), AgeWord::Number(1));
        t.insert("vor".into(), AgeWord::Ignore);
        t
    }

    #[test]
    fn accepts_printed_ages() {
        let t = table();
        assert_eq!(parse_age("9 h 51 Min", &t), Some(9 * 3600 + 51 * 60));
        assert_eq!(parse_age("4 Min 18 Sek", &t), Some(258));
        assert_eq!(parse_age("2 Tagen", &t), Some(2 * 86400));
        assert_eq!(parse_age("vor 3 Wochen", &t), Some(3 * 604800));
        assert_eq!(parse_age("1 Monat", &t), Some(2592000));
        assert_eq!(parse_age("vor 2 Jahren", &t), Some(2 * 31536000));
        assert_eq!(parse_age("vor 5 Minuten", &t), Some(300));
        assert_eq!(parse_age("vor einer Stunde", &t), Some(3600));
        assert_eq!(parse_age("9h51min", &t), Some(9 * 3600 + 51 * 60));
        assert_eq!(parse_age("  4 Min. 18 Sek. ", &t), Some(258));
    }

    #[test]
    fn rejects_what_is_not_only_an_age() {
        let t = table();
        for bad in [
            "",
            "   ",
            "9",
            "h 51",
            "9 h 51",
            "vor",
            "Min Min",
            "9 9 h",
            "Hallo 5 Min",
            "5 Äpfel",
            "Blitz",
            "Superredner",
            "5 Min vor 3",
            "99999999999999999999 h",
            "18446744073709551615 Jahren",
            "-5 Min",
            "5½ Min",
        ] {
            assert_eq!(parse_age(bad, &t), None, "{bad:?}");
        }
    }
}
