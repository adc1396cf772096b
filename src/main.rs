//! The `stimmung` command line: parse arguments, call the library, map the outcome to an exit
//! code (0 success, 1 some inputs skipped, 2 usage or fatal error).

use clap::{Parser, Subcommand};
use stimmung::cmd::{self, Exit};

#[derive(Parser)]
#[command(name = "stimmung", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Score free text: the TEXT argument, or one text per stdin line
    Score(cmd::score::ScoreArgs),
    /// Evaluate tone labels against a gold file with columns label, text
    Eval(cmd::eval::EvalArgs),
}

fn main() {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Score(args) => cmd::score::run(args),
        Command::Eval(args) => cmd::eval::run(args),
    };
    let code = match outcome {
        Ok(Exit::Success) => 0,
        Ok(Exit::SomeInputsSkipped) => 1,
        Err(e) => {
            eprintln!("stimmung: {e}");
            2
        }
    };
    std::process::exit(code);
}
