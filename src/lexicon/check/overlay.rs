//! `lexicon check --overlay FILE`: lints override files against the lexicon folder they are
//! layered on. Each line is applied as the loader applies it, but a bad line is reported and
//! skipped instead of stopping the run, so every problem of the file shows at once.
//!
//! Besides what the loader rejects (format errors, unknown actions or lexicons, values out of
//! range, `add` of an existing entry, `remove` of a missing one), it reports what loads but
//! cannot be what the linguist meant: a `set` to the value the entry already has, the same
//! entry changed twice in one file (only the later line counts, or the two should be one), a
//! term that can never match in that lexicon, and a word the look-up order or the dialect
//! mapping hides, or whose wildcard and exact form end up with opposite signs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{unmatchable, Cross, Line, Lookup, POLARITY_RANK};
use crate::lexicon::display_name;
use crate::lexicon::tone_set::{OverlayEffect, OVERLAY_COLUMNS};
use crate::lexicon::{Key, LexiconError, Origin, TsvFile};

/// The look-up a lexicon's terms get, and its rank in the look-up order where it has one.
fn lookup_of(lexicon: &str) -> Option<(Lookup, Option<usize>)> {
    match lexicon {
        "polarity" => Some((Lookup::Full, Some(POLARITY_RANK))),
        "negators" => Some((Lookup::Simple, Some(0))),
        "intensifiers" => Some((Lookup::Simple, Some(2))),
        "incivility" => Some((Lookup::Word, None)),
        "irony" => Some((Lookup::Simple, None)),
        "emoji" => Some((Lookup::Emoji, None)),
        _ => None,
    }
}

/// Lints `overlays` in order on top of `base.lex`, appending findings to `out`.
pub(super) fn lint(base: &Cross<'_>, overlays: &[PathBuf], out: &mut Vec<LexiconError>) {
    let mut lex = base.lex.clone();
    // Lines that add or set a term of a ranked lexicon, with where they were written, for the
    // checks on the final, layered lexicons.
    let mut ranked: Vec<(usize, PathBuf, Origin, Line)> = Vec::new();
    for path in overlays {
        let file = match TsvFile::read(path, OVERLAY_COLUMNS) {
            Ok(f) => f,
            Err(e) => {
                out.push(e);
                continue;
            }
        };
        let name: Arc<str> = display_name(path).into();
        let mut changed: HashMap<(&str, Key), usize> = HashMap::new();
        for rec in &file.records {
            let effect = match lex.apply_overlay_line(&file, rec, &name) {
                Ok(effect) => effect,
                Err(e) => {
                    out.push(e);
                    continue;
                }
            };
            // The line applied, so these columns are present and valid.
            let (Some(action), Some(lexicon), Some(term)) = (
                file.get(rec, "action"),
                file.get(rec, "lexicon"),
                file.get(rec, "term"),
            ) else {
                continue;
            };
            let key = if lexicon == "rules" {
                Key::Exact(term.to_string())
            } else {
                match Key::parse(term) {
                    Ok(k) => k,
                    Err(_) => continue,
                }
            };
            if let Some(first) = changed.insert((lexicon, key.clone()), rec.line) {
                out.push(file.error(
                    rec,
                    format!(
                        "'{term}' ({lexicon}) is already changed on line {first} of this overlay; \
                         keep one line"
                    ),
                ));
            }
            if let OverlayEffect::Set {
                previous,
                same: true,
            } = &effect
            {
                out.push(file.error(
                    rec,
                    format!(
                        "set '{term}' ({lexicon}) changes nothing: the entry at {previous} has \
                         the same value"
                    ),
                ));
            }
            if action == "remove" {
                continue;
            }
            let Some((lookup, rank)) = lookup_of(lexicon) else {
                continue;
            };
            if let Some(m) = unmatchable(&key, term, lookup) {
                out.push(file.error(rec, format!("'{term}' {m}")));
            }
            if let Some(rank) = rank {
                let origin = Origin {
                    file: name.clone(),
                    line: rec.line,
                };
                let line = Line {
                    key,
                    term: term.to_string(),
                    value: String::new(),
                    pos: file.get(rec, "pos").map(str::to_ascii_uppercase),
                    line: rec.line,
                };
                ranked.push((rank, path.clone(), origin, line));
            }
        }
    }
    // A line a later line replaced or removed has no effect left to check (the duplicate is
    // reported above); checking it against the final tables would report the later line's.
    ranked.retain(|(rank, _, origin, l)| {
        let entry_origin = match *rank {
            0 => lex.negators.get(&l.key).map(|e| &e.origin),
            2 => lex.intensifiers.get(&l.key).map(|e| &e.origin),
            _ => lex.polarity.get(&l.key).map(|e| &e.origin),
        };
        entry_origin == Some(origin)
    });

    let layered = Cross {
        lex: &lex,
        opts: super::word_lookup(&lex.rules),
        dialect: base.dialect,
    };
    let lines: Vec<(usize, &Path, &Line)> = ranked
        .iter()
        .map(|(rank, path, _, l)| (*rank, path.as_path(), l))
        .collect();
    layered.shadowed(&lines, out);
    let polarity: Vec<(&Path, &Line)> = lines
        .iter()
        .filter(|(rank, _, _)| *rank == POLARITY_RANK)
        .map(|&(_, path, l)| (path, l))
        .collect();
    layered.inflection_conflicts(&polarity, out);
    let overlay_origins: Vec<&Origin> = ranked
        .iter()
        .filter(|(rank, ..)| *rank == POLARITY_RANK)
        .map(|(_, _, origin, _)| origin)
        .collect();
    wildcard_sign_conflicts(&layered, &polarity, &overlay_origins, out);
}

/// A `stem*` line whose exact form `stem` has the opposite sign. The check of exact lines
/// reports the pair there; a wildcard line is told at its own line when the exact entry is not
/// one of the overlay lines (`overlay_origins`), so that no pair is reported twice.
fn wildcard_sign_conflicts(
    ctx: &Cross<'_>,
    polarity: &[(&Path, &Line)],
    overlay_origins: &[&Origin],
    out: &mut Vec<LexiconError>,
) {
    let table = &ctx.lex.polarity;
    for &(file, l) in polarity {
        let Key::Prefix(stem) = &l.key else { continue };
        let (Some(wild), Some(exact)) = (table.get(&l.key), table.get(&Key::Exact(stem.clone())))
        else {
            continue;
        };
        if wild.value.weight * exact.value.weight < 0.0 && !overlay_origins.contains(&&exact.origin)
        {
            out.push(ctx.err(
                file,
                l.line,
                format!(
                    "'{}' and '{}' ({}) have opposite signs: every inflected form gets the wildcard's",
                    l.term, exact.term, exact.origin
                ),
            ));
        }
    }
}
