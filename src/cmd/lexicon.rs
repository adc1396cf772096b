//! `stimmung lexicon …`: the linguist's tools for the lexicon files themselves — `check` lints a
//! lexicon folder, `coverage` lists frequent words no lexicon knows, `import` converts other
//! lexicon formats into ours.

use crate::cmd::stdout_error;
use std::io::Write;
use std::path::PathBuf;

use crate::cmd::Exit;
use crate::lexicon::import::{Format, ImportOptions};
use crate::output::atomic::{sweep_stale_of, write_atomic};
use crate::Error;

#[derive(clap::Subcommand, Debug, Clone)]
pub enum LexiconCommand {
    /// Lint every lexicon file (and overlays); prints each finding as file:line: message, exit 0 only when clean
    Check(CheckArgs),
    /// Frequent words of a corpus that no lexicon knows, written to lexicon_candidates.csv
    Coverage(crate::cmd::coverage::CoverageArgs),
    /// Convert a SentiWS, LIWC (.dic/.dicx), VADER or TSV lexicon into polarity.tsv format
    Import(ImportArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct ImportArgs {
    /// Source format
    #[arg(long = "from", value_enum)]
    pub from: Format,
    /// Source files (e.g. both SentiWS files); all in the same format
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Write here (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// LIWC category whose words become positive
    #[arg(long, value_name = "NAME", default_value = "posemo")]
    pub positive_category: String,
    /// LIWC category whose words become negative
    #[arg(long, value_name = "NAME", default_value = "negemo")]
    pub negative_category: String,
    /// Weight of LIWC words (LIWC has no weights)
    #[arg(long, value_name = "W", default_value_t = 0.5)]
    pub liwc_weight: f64,
    /// Multiply every weight by this (then clamp to -1 … 1)
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub scale: f64,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// Folder of lexicon files [default: $STIMMUNG_LEXICONS, ./lexicons, or the bundled folder]
    #[arg(long = "lexicons", value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// Also lint this override file, layered on the folder in the order given (repeatable)
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlay: Vec<PathBuf>,
}

pub fn run(cmd: &LexiconCommand) -> Result<Exit, Error> {
    match cmd {
        LexiconCommand::Check(args) => check(args),
        LexiconCommand::Coverage(args) => crate::cmd::coverage::run(args),
        LexiconCommand::Import(args) => import(args),
    }
}

fn import(args: &ImportArgs) -> Result<Exit, Error> {
    if !(0.0..=1.0).contains(&args.liwc_weight) || !(0.0..=100.0).contains(&args.scale) {
        return Err(Error::Usage(
            "--liwc-weight must lie within 0 … 1 and --scale within 0 … 100".into(),
        ));
    }
    let opts = ImportOptions {
        positive_category: args.positive_category.clone(),
        negative_category: args.negative_category.clone(),
        liwc_weight: args.liwc_weight,
        scale: args.scale,
    };
    let result = crate::lexicon::import::import(args.from, &args.files, &opts)?;
    let tsv = result.to_tsv(args.from, &args.files);
    match &args.out {
        Some(path) => {
            sweep_stale_of(path);
            write_atomic(path, tsv.as_bytes())?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(tsv.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Error::io("<stdout>", e))?;
        }
    }
    let positive = result.entries.values().filter(|e| e.weight > 0.0).count();
    eprintln!(
        "{} source lines → {} entries ({} positive, {} negative); {} conflicting forms resolved, {} skipped (weight 0 or not matchable)",
        result.lines,
        result.entries.len(),
        positive,
        result.entries.len() - positive,
        result.conflicts,
        result.skipped
    );
    Ok(Exit::Success)
}

fn check(args: &CheckArgs) -> Result<Exit, Error> {
    let dir = args
        .lexicons
        .clone()
        .unwrap_or_else(crate::lexicon::default_dir);
    let report = crate::lexicon::check::check_dir(&dir, &args.overlay);
    let findings = &report.findings;
    let mut out = std::io::stdout().lock();
    for f in findings {
        writeln!(out, "{f}").map_err(stdout_error)?;
    }
    if !report.cross_file_checked {
        eprintln!(
            "{}: cross-file checks (shadowing, inflections, dialect targets){} run once these errors are fixed",
            dir.display(),
            if args.overlay.is_empty() { "" } else { " and the overlay checks" }
        );
    }
    if findings.is_empty() {
        eprintln!("{}: clean", dir.display());
        Ok(Exit::Success)
    } else {
        eprintln!("{}: {} finding(s)", dir.display(), findings.len());
        Ok(Exit::Findings)
    }
}
