//! Editable lexicons: the TSV reader with `file:line` errors, and where the bundled folder is.

mod tsv;

pub use tsv::{LexiconError, TsvFile, TsvRecord};

use std::path::PathBuf;

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
