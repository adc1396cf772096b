//! `@Name` mentions in comment bodies and the earlier comment each one points at.
//!
//! Rule: an `@` that starts a word (not inside an e-mail address) is followed by a name. The
//! name is matched against the authors of the earlier comments on the page with spaces, dots
//! and case ignored, so `@N.G.` finds "N. G." and `@sosonadann` finds "Sosonadann"; the name must
//! end at a word boundary (`@Blitzkrieg` is not `@Blitz`). When several authors fit, the longest
//! name wins; the mention points at that author's latest comment before the mentioning one.
//! A mention that fits no earlier author is kept as written, without a target.

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

/// Length in bytes of the part of `text` that spells `key`, skipping spaces and dots, if the
/// text starts with it and the name ends at a word boundary.
fn match_key(text: &str, key: &[char]) -> Option<usize> {
    if key.is_empty() || text.starts_with(char::is_whitespace) {
        return None;
    }
    let mut k = 0;
    for (pos, c) in text.char_indices() {
        if k == key.len() {
            let boundary = !(c.is_alphanumeric() || c == '_');
            return boundary.then_some(pos);
        }
        if c.is_whitespace() || c == '.' {
            continue;
        }
        for lc in c.to_lowercase() {
            if key.get(k) != Some(&lc) {
                return None;
            }
            k += 1;
        }
    }
    (k == key.len()).then_some(text.len())
}

/// A mention that fits no earlier author: the word after `@`, without trailing punctuation.
fn raw_word(text: &str) -> &str {
    let end = text
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .map_or(text.len(), |(i, _)| i);
    text[..end].trim_end_matches(['.', '-'])
}

/// Finds the mentions in `text`. `earlier` lists `(id, author)` of the comments before this one,
/// in page order.
pub fn find_mentions(text: &str, earlier: &[(usize, &str)]) -> Vec<Mention> {
    let keyed: Vec<(usize, &str, Vec<char>)> = earlier
        .iter()
        .map(|&(id, author)| (id, author, name_key(author)))
        .collect();
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (at, c) in text.char_indices() {
        let starts_word = prev.is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '@'));
        prev = Some(c);
        if c != '@' || !starts_word {
            continue;
        }
        let rest = &text[at + 1..];
        // Longest key first, then the latest comment of that author.
        let best = keyed
            .iter()
            .filter_map(|(id, author, key)| {
                match_key(rest, key).map(|len| (key.len(), *id, *author, len))
            })
            .max_by_key(|&(key_len, id, _, _)| (key_len, id));
        match best {
            Some((_, id, author, mut len)) => {
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
