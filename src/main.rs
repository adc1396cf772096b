//! The `stimmung` command line: parses arguments, calls the library, maps the outcome to an
//! exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use stimmung::cmd::{self, Exit};
use stimmung::Error;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  some inputs were skipped (each one reported on stderr)
  2  usage or fatal error";

#[derive(Parser)]
#[command(name = "stimmung", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: parse pages, score article and comments, write CSV tables and charts
    #[command(after_help = EXIT_CODES)]
    Analyze(cmd::analyze::AnalyzeArgs),
    /// Redraw the per-article charts from a (possibly filtered) comments.csv
    #[command(after_help = EXIT_CODES)]
    Chart(cmd::chart::ChartArgs),
    /// Show how one page splits into article and comment threads
    #[command(after_help = EXIT_CODES)]
    Parse(cmd::parse::ParseArgs),
    /// Score free text: the TEXT argument, or one text per stdin line
    #[command(after_help = EXIT_CODES)]
    Score(cmd::score::ScoreArgs),
    /// Evaluate tone labels against a gold file with columns label, text
    #[command(after_help = EXIT_CODES)]
    Eval(cmd::eval::EvalArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Analyze(args) => cmd::analyze::run(args),
        Command::Chart(args) => cmd::chart::run(args),
        Command::Parse(args) => cmd::parse::run(args),
        Command::Score(args) => cmd::score::run(args),
        Command::Eval(args) => cmd::eval::run(args),
    };
    match outcome {
        Ok(Exit::Success) => ExitCode::SUCCESS,
        Ok(Exit::SomeInputsSkipped) => ExitCode::from(1),
        // `stimmung … | head` closes the pipe early; that is not an error for the user.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("stimmung: {e}");
            ExitCode::from(2)
        }
    }
}
