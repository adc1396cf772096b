//! Rebuilding reply threads from a plain-text comment dump that lost its indentation.
//!
//! # What the page order tells us
//! wpDiscuz prints each root comment followed by its whole reply tree, depth first, and the
//! replies to one comment in chronological order (older first); roots may be sorted by votes, so
//! their order says nothing. Two facts follow for a comment `c` that comes after comment `p`:
//!
//! * `c` can only reply to `p` or to one of `p`'s ancestors (the *open path*): any other earlier
//!   comment's subtree is already closed.
//! * `c` can only reply to `x` on that path if `c` is not older than `x` and not older than the
//!   latest reply `x` already has (siblings run older → younger).
//!
//! Ages are printed relative to the moment of the scrape ("9 h 51 Min"), so "older" means a
//! larger age. A comment that fits no node of the open path is certainly a new root.
//!
//! # The rule, strongest evidence first
//! 1. **mention**: the comment `@`-mentions an earlier author (see [`super::mentions`]) whose
//!    latest comment lies on the open path and fits the age order → that comment is the parent.
//!    A mention that points off the path is kept in `mentions` but cannot be the parent; the page
//!    gets a warning saying so.
//! 2. **quote**: the comment repeats six or more consecutive words of a comment on the open path
//!    (words the article itself does not contain, so two people quoting the article are not
//!    linked) → that comment is the parent.
//! 3. **chronology**: otherwise, when both ages are known, the deepest comment on the open path
//!    the age order allows is taken as the parent. This is the weak case: the order is equally
//!    consistent with a new root that happens to be younger, and `reply_evidence` says
//!    "chronology" so that a reader can discount it.
//! 4. **none**: nothing allows a parent (an older comment after a younger one, or unknown ages):
//!    the comment is a root.

use std::collections::VecDeque;
use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use super::mentions::Mention;
use super::{ReplyEvidence, Warnings};

/// What the thread rule needs to know about one comment.
#[derive(Debug, Clone)]
pub struct ThreadInput<'a> {
    pub author: &'a str,
    pub age_seconds: Option<u64>,
    pub text: &'a str,
    pub mentions: &'a [Mention],
}

/// The inferred place of one comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub parent: Option<usize>,
    pub thread: usize,
    pub evidence: ReplyEvidence,
}

/// Words in a quote long enough to count as evidence rather than a shared phrase.
const QUOTE_WORDS: usize = 6;

/// The hash of each lower-cased word of `text`, in order, into `out` (cleared first). Lower-cased
/// word by word, as `str::to_lowercase` does it (a final sigma depends on the word's end), into
/// `buf`, and hashed once: the shingles that hold a word combine its hash rather than hashing
/// its bytes again.
fn word_hashes(text: &str, buf: &mut Vec<u8>, out: &mut Vec<u64>) {
    out.clear();
    out.extend(alphanumeric_runs(text).map(|w| word_hash(w, buf)));
}

/// The hash of `word` lower-cased, made in `buf`.
fn word_hash(word: &str, buf: &mut Vec<u8>) -> u64 {
    buf.clear();
    if word.is_ascii() {
        buf.extend_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
    } else if word.contains('\u{03A3}') {
        buf.extend_from_slice(word.to_lowercase().as_bytes());
    } else {
        let mut utf8 = [0; 4];
        for c in word.chars().flat_map(char::to_lowercase) {
            buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }
    let mut h = FxHasher::default();
    h.write(buf);
    h.finish()
}

/// The maximal runs of alphanumeric characters in `text`, as `text.split(|c: char|
/// !c.is_alphanumeric())` without the empty pieces gives them, with ASCII bytes tested
/// without decoding.
fn alphanumeric_runs(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    // The length of the character at `at` and whether it is alphanumeric.
    let class = move |at: usize| -> (usize, bool) {
        let b = bytes[at];
        if b.is_ascii() {
            return (1, b.is_ascii_alphanumeric());
        }
        text[at..]
            .chars()
            .next()
            .map_or((1, false), |c| (c.len_utf8(), c.is_alphanumeric()))
    };
    std::iter::from_fn(move || {
        while pos < bytes.len() {
            let (len, alnum) = class(pos);
            if alnum {
                break;
            }
            pos += len;
        }
        let start = pos;
        while pos < bytes.len() {
            let (len, alnum) = class(pos);
            if !alnum {
                break;
            }
            pos += len;
        }
        (pos > start).then(|| &text[start..pos])
    })
}

/// The hash of one run of words, from the words' hashes.
fn shingle_hash(window: &[u64]) -> u64 {
    let mut h = FxHasher::default();
    window.iter().for_each(|&w| h.write_u64(w));
    h.finish()
}

/// Hashes of every run of [`QUOTE_WORDS`] words, each once (hashes keep the index small; a
/// collision would at worst turn a chronology guess into a quote guess).
fn shingles(text: &str, buf: &mut Vec<u8>, hashes: &mut Vec<u64>) -> Vec<u64> {
    word_hashes(text, buf, hashes);
    let mut out: Vec<u64> = hashes.windows(QUOTE_WORDS).map(shingle_hash).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The article's shingles that some comment also has. The article is streamed through a
/// window of word hashes instead of being split into a word list: pages of hundreds of MB held
/// several GB of words and hashes here, while only the comments' shingles can ever match.
fn article_shingles(article: &[&str], wanted: &FxHashSet<u64>) -> FxHashSet<u64> {
    let mut found = FxHashSet::default();
    if wanted.is_empty() {
        return found;
    }
    let mut buf = Vec::new();
    let mut window: VecDeque<u64> = VecDeque::with_capacity(QUOTE_WORDS + 1);
    // Runs continue across blocks, as in the article text joined with line breaks.
    for word in article.iter().flat_map(|block| alphanumeric_runs(block)) {
        window.push_back(word_hash(word, &mut buf));
        if window.len() > QUOTE_WORDS {
            window.pop_front();
        }
        if window.len() == QUOTE_WORDS {
            let h = shingle_hash(window.make_contiguous());
            if wanted.contains(&h) {
                found.insert(h);
            }
        }
    }
    found
}

/// Places comments (ids are 1-based positions in `comments`). `article` holds the article's
/// blocks, whose sentences do not count as quotes. Returns one placement per comment; mentions
/// that cannot be the parent are reported in `warnings`.
pub fn place(
    comments: &[ThreadInput<'_>],
    article: &[&str],
    warnings: &mut Warnings,
) -> Vec<Placement> {
    let (mut buf, mut hashes) = (Vec::new(), Vec::new());
    let comment_shingles: Vec<Vec<u64>> = comments
        .iter()
        .map(|c| shingles(c.text, &mut buf, &mut hashes))
        .collect();
    let wanted: FxHashSet<u64> = comment_shingles.iter().flatten().copied().collect();
    let article_shingles = article_shingles(article, &wanted);
    drop(wanted);
    // Shingle → the latest earlier comment containing it, as an index into `holders`, whose
    // entries are (comment id, the previous holder's index): one list per shingle, newest
    // first, without a vector per shingle.
    let mut quoted_in: FxHashMap<u64, usize> = FxHashMap::default();
    let mut holders: Vec<(usize, usize)> = Vec::new();

    let mut placements: Vec<Placement> = Vec::with_capacity(comments.len());
    // Age of the latest reply each comment has so far (index = id - 1).
    let mut last_reply_age: Vec<Option<u64>> = vec![None; comments.len()];
    let mut has_reply = vec![false; comments.len()];
    // Ids from the current root down to the previous comment (ascending: replies come later),
    // and the same as a membership table.
    let mut path: Vec<usize> = Vec::new();
    let mut on_path = vec![false; comments.len() + 1];

    for (idx, (c, own)) in comments.iter().zip(comment_shingles).enumerate() {
        let id = idx + 1;
        let own: Vec<u64> = own
            .into_iter()
            .filter(|s| !article_shingles.contains(s))
            .collect();
        let age_allows = |x: usize| -> bool {
            let xi = x - 1;
            let not_older = |other: Option<u64>| match (c.age_seconds, other) {
                (Some(a), Some(b)) => a <= b,
                _ => true,
            };
            not_older(comments[xi].age_seconds) && (!has_reply[xi] || not_older(last_reply_age[xi]))
        };

        let mut by_mention = None;
        for target in c.mentions.iter().filter_map(|m| m.target) {
            if on_path.get(target) == Some(&true) && age_allows(target) {
                by_mention = Some(target);
                break;
            }
            warnings.add("mentions the page order rules out as parent", || {
                format!(
                    "comment {id} mentions comment {target} ({}), but the page order rules it \
                     out as the parent",
                    comments[target - 1].author
                )
            });
        }
        let placed = if let Some(p) = by_mention {
            Some((p, ReplyEvidence::Mention))
        } else {
            // For each quoted run, the latest (= deepest) comment on the open path holding it.
            // Ids below the path's root cannot be on it: stopping there keeps a phrase that
            // thousands of comments share from being scanned back to the top of the page.
            let root = path.first().copied().unwrap_or(usize::MAX);
            let mut quoted: Vec<usize> = own
                .iter()
                .filter_map(|s| {
                    let mut at = *quoted_in.get(s)?;
                    loop {
                        let (x, previous) = holders[at];
                        if x < root {
                            return None;
                        }
                        if on_path[x] {
                            return Some(x);
                        }
                        if previous == usize::MAX {
                            return None;
                        }
                        at = previous;
                    }
                })
                .collect();
            quoted.sort_unstable_by(|a, b| b.cmp(a));
            match quoted.into_iter().find(|&x| age_allows(x)) {
                Some(p) => Some((p, ReplyEvidence::Quote)),
                None => path
                    .iter()
                    .rev()
                    .copied()
                    .find(|&x| {
                        c.age_seconds.is_some()
                            && comments[x - 1].age_seconds.is_some()
                            && age_allows(x)
                    })
                    .map(|p| (p, ReplyEvidence::Chronology)),
            }
        };
        for s in own {
            let previous = quoted_in.insert(s, holders.len()).unwrap_or(usize::MAX);
            holders.push((id, previous));
        }

        let placement = match placed {
            Some((parent, evidence)) => {
                while path.last().is_some_and(|&x| x != parent) {
                    if let Some(x) = path.pop() {
                        on_path[x] = false;
                    }
                }
                has_reply[parent - 1] = true;
                last_reply_age[parent - 1] = c.age_seconds;
                Placement {
                    parent: Some(parent),
                    thread: placements[parent - 1].thread,
                    evidence,
                }
            }
            None => {
                for x in path.drain(..) {
                    on_path[x] = false;
                }
                Placement {
                    parent: None,
                    thread: id,
                    evidence: ReplyEvidence::None,
                }
            }
        };
        path.push(id);
        on_path[id] = true;
        placements.push(placement);
    }
    placements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_alphanumeric_runs_lower_cased() {
        for text in [
            "",
            "  ",
            "Das ist GUT, oder?",
            "Über-Größe: 3½ „Straße“ ΣΟΦΟΣ. ΟΔΟΣ-x",
            "a\u{00AD}b 😉😉 x1 — ende",
        ] {
            let hash = |w: &str| {
                let mut h = FxHasher::default();
                h.write(w.as_bytes());
                h.finish()
            };
            let want: Vec<u64> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| hash(&w.to_lowercase()))
                .collect();
            let (mut buf, mut got) = (Vec::new(), Vec::new());
            word_hashes(text, &mut buf, &mut got);
            assert_eq!(got, want, "{text:?}");
        }
    }

    fn input<'a>(
        author: &'a str,
        age: u64,
        text: &'a str,
        mentions: &'a [Mention],
    ) -> ThreadInput<'a> {
        ThreadInput {
            author,
            age_seconds: Some(age),
            text,
            mentions,
        }
    }

    fn parents(p: &[Placement]) -> Vec<Option<usize>> {
        p.iter().map(|x| x.parent).collect()
    }

    #[test]
    fn older_after_younger_starts_a_root_and_younger_follows_as_reply() {
        let c = [
            input("a", 600, "eins", &[]),
            input("b", 300, "zwei", &[]),
            input("c", 900, "drei", &[]),
        ];
        let mut w = Warnings::default();
        let p = place(&c, &[], &mut w);
        assert_eq!(parents(&p), vec![None, Some(1), None]);
        assert_eq!(p[1].evidence, ReplyEvidence::Chronology);
        assert_eq!(p[2].evidence, ReplyEvidence::None);
        assert!(w.into_vec().is_empty());
    }

    #[test]
    fn mention_picks_an_ancestor_and_siblings_must_get_younger() {
        let to_a = [Mention {
            raw: "@a".into(),
            target: Some(1),
        }];
        let c = [
            input("a", 1000, "eins", &[]),
            input("b", 800, "zwei", &[]),
            input("c", 700, "drei", &[]),
            input("d", 500, "@a vier", &to_a),
            // Older than its would-be sibling 4 and than 4 itself: a new root.
            input("e", 600, "fünf", &[]),
        ];
        let p = place(&c, &[], &mut Warnings::default());
        assert_eq!(parents(&p), vec![None, Some(1), Some(2), Some(1), None]);
        assert_eq!(p[3].evidence, ReplyEvidence::Mention);
        assert_eq!(p[3].thread, 1);
        assert_eq!(p[4].thread, 5);
    }

    #[test]
    fn mention_off_the_open_path_is_not_a_parent_and_is_reported() {
        let to_a = [Mention {
            raw: "@a".into(),
            target: Some(1),
        }];
        let c = [
            input("a", 100, "eins", &[]),
            input("b", 900, "zwei", &[]),
            input("c", 50, "@a drei", &to_a),
        ];
        let mut w = Warnings::default();
        let p = place(&c, &[], &mut w);
        assert_eq!(parents(&p), vec![None, None, Some(2)]);
        assert_eq!(p[2].evidence, ReplyEvidence::Chronology);
        assert_eq!(w.into_vec().len(), 1);
    }

    #[test]
    fn quotes_count_unless_they_come_from_the_article() {
        let article = "Der Minister sagte heute in Berlin etwas sehr Wichtiges zur Lage.";
        let c = [
            input(
                "a",
                900,
                "Ich finde das alles ganz furchtbar falsch und gefährlich.",
                &[],
            ),
            input("b", 800, "Anderes Thema.", &[]),
            input(
                "c",
                700,
                "\"das alles ganz furchtbar falsch und\" – wieso?",
                &[],
            ),
        ];
        let p = place(&c, &[article], &mut Warnings::default());
        assert_eq!(p[2].parent, Some(1));
        assert_eq!(p[2].evidence, ReplyEvidence::Quote);

        let c = [
            input("a", 900, "Der Minister sagte heute in Berlin etwas.", &[]),
            input(
                "b",
                800,
                "Der Minister sagte heute in Berlin etwas sehr Wichtiges!",
                &[],
            ),
        ];
        let p = place(&c, &[article], &mut Warnings::default());
        assert_eq!(p[1].evidence, ReplyEvidence::Chronology);
    }

    #[test]
    fn unknown_ages_give_roots_not_guesses() {
        let mut c = vec![input("a", 900, "eins", &[]), input("b", 0, "zwei", &[])];
        c[1].age_seconds = None;
        let p = place(&c, &[], &mut Warnings::default());
        assert_eq!(parents(&p), vec![None, None]);
        assert_eq!(p[1].evidence, ReplyEvidence::None);
    }
}
