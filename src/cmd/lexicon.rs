//! `stimmung lexicon …`: the linguist's tools for the lexicon files themselves — `check` lints a
//! lexicon folder, `coverage` lists frequent words no lexicon knows, `import` converts other
//! lexicon formats into ours.

use std::path::PathBuf;

use crate::cmd::Exit;
use crate::Error;

#[derive(clap::Subcommand, Debug, Clone)]
pub enum LexiconCommand {
    /// Lint every lexicon file; prints each finding as file:line: message, exit 0 only when clean
    Check(CheckArgs),
    /// Frequent words of a corpus that no lexicon knows, written to lexicon_candidates.csv
    Coverage(crate::cmd::coverage::CoverageArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// Folder of lexicon files [default: $STIMMUNG_LEXICONS, ./lexicons, or the bundled folder]
    #[arg(long = "lexicons", value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
}

pub fn run(cmd: &LexiconCommand) -> Result<Exit, Error> {
    match cmd {
        LexiconCommand::Check(args) => check(args),
        LexiconCommand::Coverage(args) => crate::cmd::coverage::run(args),
    }
}

fn check(args: &CheckArgs) -> Result<Exit, Error> {
    let dir = args
        .lexicons
        .clone()
        .unwrap_or_else(crate::lexicon::default_dir);
    let findings = crate::lexicon::check::check_dir(&dir);
    for f in &findings {
        println!("{f}");
    }
    if findings.is_empty() {
        eprintln!("{}: clean", dir.display());
        Ok(Exit::Success)
    } else {
        eprintln!("{}: {} finding(s)", dir.display(), findings.len());
        Ok(Exit::Findings)
    }
}
