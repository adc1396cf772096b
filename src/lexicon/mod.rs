//! Editable lexicons: the TSV reader with `file:line` errors, term matching (exact, `*`
//! prefixes, compound heads, multi-word expressions), the tone lexicon set with overlays, the
//! scoring constants, the linter, and where the bundled folder is.

pub mod check;
pub mod import;
mod rules;
mod table;
mod tone_set;
mod tsv;

pub use rules::Rules;
pub use table::{
    longest_phrase, Entry, Key, MatchKind, Origin, Phrase, PhraseWord, TermTable, WordLookup,
    WordMatch,
};
pub use tone_set::{
    Contrast, ContrastScope, Emoji, Incivility, IncivilityCategory, IronyCue, Polarity,
    RhetoricCue, RhetoricPosition, ToneLexicons,
};
pub use tsv::{LexiconError, TsvFile, TsvRecord};

use std::path::{Path, PathBuf};

/// The short name used in explanations (`polarity.tsv:12`).
pub(crate) fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The lexicon folder used when none is given: `$STIMMUNG_LEXICONS`, else `./lexicons` when
/// run from a checkout, else the folder this binary was built from.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STIMMUNG_LEXICONS") {
        return PathBuf::from(dir);
    }
    let local = PathBuf::from("lexicons");
    if local.join("README.md").is_file() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lexicons")
}
