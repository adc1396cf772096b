//! `@Name` mentions in comment bodies and the earlier comment each one points at.
//!
//! Rule: an `@` that starts a word (not inside an e-mail address) is followed by a name. The
//! name is matched against the authors of the earlier comments on the page with spaces, dots
//! and case ignored, so `@N.G.` finds "N. G." and `@sosonadann` finds "Sosonadann"; the name must
//! end at a word boundary (`@Blitzkrieg` is not `@Blitz`). When several authors fit, the longest
//! name wins; the mention points at that author's latest comment before the mentioning one.
//! A mention that fits no earlier author is kept as written, without a target.

use std::collections::HashMap;

/// One mention as written, with the id of the comment it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// As written, including the `@` ("@N.G.").
    pub raw: String,
    pub target: Option<usize>,
}

/// Case-folded name without the characters that people leave out or add when mentioning.
pub fn name_key(name: &str) -> Vec<char> {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A mention that fits no earlier author: the word after `@`, without trailing punctuation.
fn raw_word(text: &str) -> &str {
    let end = text
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .map_or(text.len(), |(i, _)| i);
    text[..end].trim_end_matches(['.', '-'])
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The authors seen so far on a page, keyed for mention lookup. Add each comment after looking
/// up its mentions, so that a mention can only point backwards.
#[derive(Debug, Default)]
pub struct MentionIndex {
    /// Name key → (latest comment id, author as printed).
    authors: HashMap<Vec<char>, (usize, String)>,
    longest: usize,
}

impl MentionIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that comment `id` was written by `author`.
    pub fn add(&mut self, id: usize, author: &str) {
        let key = name_key(author);
        if key.is_empty() {
            return;
        }
        self.longest = self.longest.max(key.len());
        self.authors.insert(key, (id, author.to_string()));
    }

    /// The longest known author spelled at the start of `text` (spaces and dots skipped, ending
    /// at a word boundary): `(byte length, id, author)`.
    fn lookup(&self, text: &str) -> Option<(usize, usize, &str)> {
        if text.starts_with(char::is_whitespace) {
            return None;
        }
        let mut key: Vec<char> = Vec::new();
        let mut best = None;
        let mut chars = text.char_indices().peekable();
        while let Some((pos, c)) = chars.next() {
            if c.is_whitespace() || c == '.' {
                continue;
            }
            key.extend(c.to_lowercase());
            if key.len() > self.longest {
                break;
            }
            let end = pos + c.len_utf8();
            let at_boundary = chars.peek().is_none_or(|&(_, next)| !is_name_char(next));
            if at_boundary {
                if let Some((id, author)) = self.authors.get(&key) {
                    best = Some((end, *id, author.as_str()));
                }
            }
        }
        best
    }

    /// Finds the mentions in `text`, resolved against the authors added so far.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut prev: Option<char> = None;
        for (at, c) in text.char_indices() {
            let starts_word = prev.is_none_or(|p| !(is_name_char(p) || p == '@'));
            prev = Some(c);
            if c != '@' || !starts_word {
                continue;
            }
            let rest = &text[at + 1..];
            match self.lookup(rest) {
                Some((mut len, id, author)) => {
                    if author.ends_with('.') && rest[len..].starts_with('.') {
                        len += 1;
                    }
                    out.push(Mention {
                        raw: format!("@{}", &rest[..len]),
                        target: Some(id),
                    });
                }
                None => {
                    let word = raw_word(rest);
                    if !word.is_empty() {
                        out.push(Mention {
                            raw: format!("@{word}"),
                            target: None,
                        });
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EARLIER: [(usize, &str); 5] = [
        (1, "Speedy Gonzales"),
        (3, "N. G."),
        (4, "Blitz"),
        (5, "Sosonadann"),
        (7, "N. G."),
    ];

    fn index(authors: &[(usize, &str)]) -> MentionIndex {
        let mut index = MentionIndex::new();
        for &(id, author) in authors {
            index.add(id, author);
        }
        index
    }

    fn find_mentions(text: &str, authors: &[(usize, &str)]) -> Vec<Mention> {
        index(authors).find(text)
    }

    fn one(text: &str) -> (String, Option<usize>) {
        let m = find_mentions(text, &EARLIER);
        assert_eq!(m.len(), 1, "{text}: {m:?}");
        (m[0].raw.clone(), m[0].target)
    }

    #[test]
    fn resolves_spelling_variants_to_the_latest_comment() {
        assert_eq!(one("@N.G. Na, wieder"), ("@N.G.".into(), Some(7)));
        assert_eq!(one("@N. G. stimmt"), ("@N. G.".into(), Some(7)));
        assert_eq!(one("@ng stimmt"), ("@ng".into(), Some(7)));
        assert_eq!(one("@Sosonadann Ne ne"), ("@Sosonadann".into(), Some(5)));
        assert_eq!(one("Danke @sosonadann!"), ("@sosonadann".into(), Some(5)));
        assert_eq!(
            one("@Speedy Gonzales du"),
            ("@Speedy Gonzales".into(), Some(1))
        );
        assert_eq!(one("@Blitz, ja"), ("@Blitz".into(), Some(4)));
    }

    #[test]
    fn rejects_what_is_not_a_mention_of_an_earlier_author() {
        assert!(find_mentions("schreib an info@blitz.de", &EARLIER).is_empty());
        assert!(find_mentions("@ niemand", &EARLIER).is_empty());
        assert!(find_mentions("@@", &EARLIER).is_empty());
        assert!(find_mentions("keine Erwähnung", &EARLIER).is_empty());
        // A longer name that merely starts like an author is someone else.
        assert_eq!(one("@Blitzkrieg nein"), ("@Blitzkrieg".into(), None));
        assert_eq!(one("@Unbekannt."), ("@Unbekannt".into(), None));
        assert!(find_mentions("@Blitz", &[])
            .iter()
            .all(|m| m.target.is_none()));
    }

    #[test]
    fn key_ignores_spaces_dots_and_case() {
        assert_eq!(name_key("N. G."), name_key("n.g"));
        assert_ne!(name_key("N. G."), name_key("N. H."));
    }
}
