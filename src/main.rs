//! The `byline` binary: parse the arguments, run the command, report errors.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = byline::cli::Cli::parse();
    match byline::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("byline: {err:#}");
            ExitCode::from(1)
        }
    }
}
