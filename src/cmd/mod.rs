//! One module per subcommand. Each exposes a clap `Args` struct and a `run` function; `main`
//! only dispatches and maps the outcome to an exit code.

pub mod analyze;
pub mod chart;
pub mod corpus;
pub mod coverage;
pub mod diff;
pub mod eval;
pub mod kwic;
pub mod lexicon;
pub mod parse;
pub mod score;

use std::path::PathBuf;

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything was processed.
    Success,
    /// Some inputs were skipped and reported; the rest was processed (exit code 1).
    SomeInputsSkipped,
    /// A check found problems and reported each one (exit code 1).
    Findings,
}

/// The lexicon options every scoring command shares.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LexiconArgs {
    /// Folder of lexicon files [default: $STIMMUNG_LEXICONS, ./lexicons, or the bundled folder]
    #[arg(long = "lexicons", value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// Override file layered on the lexicons: adds, reweights or removes entries (repeatable)
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlay: Vec<PathBuf>,
}

/// Maps a failed write to standard output to an error. A closed pipe (`stimmung … | head`)
/// arrives here as `BrokenPipe`, which `main` turns into a quiet exit instead of a panic.
pub fn stdout_error(e: std::io::Error) -> crate::Error {
    crate::Error::io("<stdout>", e)
}
