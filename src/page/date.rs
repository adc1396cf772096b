//! Publication dates as German pages print them ("Dienstag, 03. Dezember 2024 | 18:57 Uhr",
//! "03.12.2024, 18:57", "3. Dez. 2024") turned into ISO 8601 (`2024-12-03T18:57`, or
//! `2024-12-03` without a time). Month names come from `lexicons/site/months*`.
//!
//! A line only counts as a date when the whole line is one, so a sentence that mentions a date
//! is never taken for the publication date.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Optional weekday ("Dienstag,"), day, month as number or name, year, optional time.
        Regex::new(
            r"^(?:\p{L}+,?\s+)?(\d{1,2})\.\s*(?:(\d{1,2})\.|(\p{L}+)\.?)\s*(\d{4})(?:\s*[|,]?\s*(?:um\s+)?(\d{1,2})[:.](\d{2})(?:\s*Uhr)?)?$",
        )
        .expect("the date pattern is a valid regex")
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The ISO 8601 form of a line that is entirely a date, else `None`.
pub fn parse_published(line: &str, months: &HashMap<String, u32>) -> Option<String> {
    let caps = pattern().captures(line.trim())?;
    let day: u32 = caps.get(1)?.as_str().parse().ok()?;
    let month: u32 = match (caps.get(2), caps.get(3)) {
        (Some(num), _) => num.as_str().parse().ok()?,
        (None, Some(name)) => *months.get(&name.as_str().to_lowercase())?,
        (None, None) => return None,
    };
    let year: u32 = caps.get(4)?.as_str().parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    match (caps.get(5), caps.get(6)) {
        (Some(h), Some(m)) => {
            let hour: u32 = h.as_str().parse().ok()?;
            let minute: u32 = m.as_str().parse().ok()?;
            if hour > 23 || minute > 59 {
                return None;
            }
            Some(format!("{date}T{hour:02}:{minute:02}"))
        }
        _ => Some(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months() -> HashMap<String, u32> {
        [("dezember", 12), ("dez", 12), ("jänner", 1), ("februar", 2)]
            .into_iter()
            .map(|(n, m)| (n.to_string(), m))
            .collect()
    }

    #[test]
    fn accepts_german_date_lines() {
        let m = months();
        let cases = [
            (
                "Dienstag, 03. Dezember 2024 | 18:57 Uhr",
                "2024-12-03T18:57",
            ),
            ("03.12.2024", "2024-12-03"),
            ("3.12.2024, 8:05", "2024-12-03T08:05"),
            ("3. Dez. 2024", "2024-12-03"),
            ("15. Jänner 2025 um 07.30 Uhr", "2025-01-15T07:30"),
            ("29. Februar 2024", "2024-02-29"),
        ];
        for (line, want) in cases {
            assert_eq!(parse_published(line, &m).as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn rejects_impossible_dates_and_sentences() {
        let m = months();
        for bad in [
            "32.12.2024",
            "03.13.2024",
            "29. Februar 2023",
            "03. Brumaire 2024",
            "03.12.2024 | 24:10 Uhr",
            "Am 03.12.2024 sagte Rutte",
            "heute 16:36 Uhr | 12 mal gelesen",
            "2024",
            "",
        ] {
            assert_eq!(parse_published(bad, &m), None, "{bad}");
        }
    }
}
