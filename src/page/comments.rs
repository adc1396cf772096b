//! Splitting the comment section of a plain-text dump into comments: finding comment headers
//! (author, rank badge, age), the bodies between them, the announced comment count and the
//! section's furniture.
//!
//! A header is recognised by its shape, because the dump has no markup:
//!
//! * `name, name, badge, age` and `name, name, age`: wpDiscuz prints the author twice. The
//!   repeated name plus an age line is unambiguous, so here an unknown badge is accepted (with a
//!   warning that names the file where it can be listed).
//! * `name, known badge, age` and `name, age`: sites that print the name once. These shapes are
//!   weaker, so they are only accepted at the start of the section or after a blank line, with a
//!   short name, and (for the badge form) with a badge listed in `lexicons/site/ranks*`.
//!
//! A header needs no blank line before it: wpDiscuz runs a truncated body ("… Weiterlesen »")
//! straight into the next author line.

use super::age::parse_age;
use super::furniture::{classify, strip_truncation, Action, Region};
use super::{SiteConventions, Warnings};

/// A comment header found at some line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub author: String,
    pub rank: Option<String>,
    pub age_raw: String,
    pub age_seconds: u64,
    /// Number of lines the header spans.
    pub len: usize,
}

/// One comment as cut from the dump, before threading.
#[derive(Debug, Clone)]
pub struct RawComment {
    pub header: Header,
    pub text: String,
    pub truncated: bool,
}

/// What the comment section held.
#[derive(Debug, Default)]
pub struct Section {
    pub comments: Vec<RawComment>,
    pub declared: Option<usize>,
    pub warnings: Warnings,
}

/// Longest line that can be an author name or badge.
const MAX_NAME_CHARS: usize = 60;
/// Stricter limits for the single-name shapes.
const MAX_SINGLE_NAME_CHARS: usize = 40;
const MAX_SINGLE_NAME_WORDS: usize = 4;

fn name_like(line: &str, site: &SiteConventions) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.chars().count() <= MAX_NAME_CHARS
        && parse_age(line, &site.age_words).is_none()
        && !site.is_rank(line)
}

/// The header starting at `lines[i]`, if any. `loose` allows the single-name shapes.
pub fn header_at(lines: &[&str], i: usize, site: &SiteConventions, loose: bool) -> Option<Header> {
    let line = |k: usize| lines.get(i + k).map(|l| l.trim());
    let name = line(0)?;
    if !name_like(name, site) {
        return None;
    }
    let age = |k: usize| line(k).and_then(|l| parse_age(l, &site.age_words).map(|s| (l, s)));
    let header = |rank: Option<&str>, (age_raw, age_seconds): (&str, u64), len| Header {
        author: name.to_string(),
        rank: rank.map(str::to_string),
        age_raw: age_raw.to_string(),
        age_seconds,
        len,
    };
    if line(1) == Some(name) {
        if let Some(a) = age(2) {
            return Some(header(None, a, 3));
        }
        let badge = line(2).filter(|b| name_like(b, site) || site.is_rank(b));
        if let (Some(badge), Some(a)) = (badge, age(3)) {
            return Some(header(Some(badge), a, 4));
        }
        return None;
    }
    let after_blank = i == 0 || lines.get(i - 1).is_some_and(|l| l.trim().is_empty());
    let short = name.chars().count() <= MAX_SINGLE_NAME_CHARS
        && name.split_whitespace().count() <= MAX_SINGLE_NAME_WORDS;
    if !loose || !after_blank || !short {
        return None;
    }
    if let (Some(badge), Some(a)) = (line(1).filter(|b| site.is_rank(b)), age(2)) {
        return Some(header(Some(badge), a, 3));
    }
    age(1).map(|a| header(None, a, 2))
}

fn excerpt(line: &str) -> String {
    let mut s: String = line.trim().chars().take(60).collect();
    if line.trim().chars().count() > 60 {
        s.push('…');
    }
    s
}

/// Splits the comment section. `first_line` is the 1-based page line of `lines[0]`, for warnings.
pub fn split(lines: &[&str], first_line: usize, site: &SiteConventions) -> Section {
    let mut section = Section::default();
    let mut current: Option<(Header, Vec<&str>)> = None;
    let mut finished: Vec<(Header, Vec<&str>)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(h) = header_at(lines, i, site, true) {
            i += h.len;
            if let Some(done) = current.replace((h, Vec::new())) {
                finished.push(done);
            }
            continue;
        }
        i += 1;
        match classify(&site.furniture, line, Region::Comments) {
            Some(rule) if rule.action == Action::EndOfComments => break,
            Some(rule) => {
                if rule.action == Action::CommentCount {
                    match rule.value(line).and_then(|v| v.parse().ok()) {
                        Some(n) => section.declared = section.declared.or(Some(n)),
                        None => section.warnings.add("unreadable comment counts", || {
                            format!(
                                "line {}: comment count not readable: {}",
                                first_line + i - 1,
                                excerpt(line)
                            )
                        }),
                    }
                }
            }
            None => match current.as_mut() {
                Some((_, body)) => body.push(line),
                None if line.trim().is_empty() => {}
                None => section
                    .warnings
                    .add("lines ignored in the comment section", || {
                        format!(
                            "line {}: ignored in the comment section (neither a comment nor \
                             known furniture): {}",
                            first_line + i - 1,
                            excerpt(line)
                        )
                    }),
            },
        }
    }
    finished.extend(current);
    for (header, body) in finished {
        let text = body.join("\n").trim_matches('\n').trim_end().to_string();
        let (text, truncated) = match strip_truncation(&site.furniture, &text) {
            Some(short) => (short, true),
            None => (text, false),
        };
        section.comments.push(RawComment {
            header,
            text,
            truncated,
        });
    }
    section
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn site() -> SiteConventions {
        SiteConventions::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons")).unwrap()
    }

    #[test]
    fn header_shapes() {
        let s = site();
        let h = header_at(&["N. G.", "N. G.", "Kinig", "9 h 51 Min"], 0, &s, false).unwrap();
        assert_eq!(
            (h.author.as_str(), h.rank.as_deref(), h.len),
            ("N. G.", Some("Kinig"), 4)
        );
        assert_eq!(h.age_seconds, 9 * 3600 + 51 * 60);
        let h = header_at(&["Anna", "Anna", "Kaiserin", "2 Tagen"], 0, &s, false).unwrap();
        assert_eq!(h.rank.as_deref(), Some("Kaiserin"));
        let h = header_at(&["Anna", "Anna", "vor 2 Tagen"], 0, &s, false).unwrap();
        assert_eq!((h.rank, h.len), (None, 3));
        assert!(header_at(&["", "Anna", "Kinig", "2 Tagen"], 1, &s, true).is_some());
        assert!(header_at(&["", "Anna", "2 Tagen"], 1, &s, true).is_some());
    }

    #[test]
    fn header_rejects_text_lines() {
        let s = site();
        // Single-name shapes need `loose`, a blank line before and a listed badge.
        assert!(header_at(&["Anna", "Kinig", "2 Tagen"], 0, &s, false).is_none());
        assert!(header_at(&["Text davor", "Anna", "2 Tagen"], 1, &s, true).is_none());
        assert!(header_at(&["", "Anna", "Kaiserin", "2 Tagen"], 1, &s, true).is_none());
        let long = "Ein ganz normaler Satz, der viel zu lang für einen Namen ist.";
        assert!(header_at(&["", long, "2 Tagen"], 1, &s, true).is_none());
        // A repeated line without an age is just a repeated line.
        assert!(header_at(&["Ja", "Ja", "Nein"], 0, &s, true).is_none());
        assert!(header_at(&["9 h", "9 h", "9 h"], 0, &s, true).is_none());
    }
}
