//! Comment ages as sites print them ("9 h 51 Min", "4 Min 18 Sek", "vor 2 Tagen",
//! "vor einer Stunde") turned into seconds, with the words taken from `lexicons/site/age_units*`.
//!
//! The parser is strict on purpose: a line only counts as an age when every word in it is a
//! number, a unit or a filler, and numbers and units alternate. That strictness is what lets
//! the comment splitter use "is this line an age?" to find comment headers.

use std::collections::HashMap;

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

/// Splits "9h51min" into "9", "h", "51", "min" and drops separators and a trailing dot per word.
fn words(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut current_is_digit = false;
    for c in raw.chars() {
        let is_sep = c.is_whitespace() || c == ',';
        let is_digit = c.is_ascii_digit();
        if is_sep || (!current.is_empty() && is_digit != current_is_digit) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            if is_sep {
                continue;
            }
        }
        current_is_digit = is_digit;
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .map(|w| w.strip_suffix('.').unwrap_or(&w).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Seconds in a printed age, or `None` when the text is not (only) an age.
pub fn parse_age(raw: &str, table: &HashMap<String, AgeWord>) -> Option<u64> {
    let words = words(raw);
    if words.is_empty() || words.len() > 12 {
        return None;
    }
    let mut total: u64 = 0;
    let mut pending: Option<u64> = None;
    let mut pairs = 0;
    for w in &words {
        let meaning = if w.bytes().all(|b| b.is_ascii_digit()) {
            AgeWord::Number(w.parse().ok()?)
        } else {
            *table.get(w.as_str())?
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
    }
    if pending.is_some() || pairs == 0 {
        return None;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> HashMap<String, AgeWord> {
        let mut t = HashMap::new();
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
