use clap::Parser;
fn main() {
    let _ = Cli::parse();
}
#[derive(Parser)]
struct Cli {}
