//! The `byline` binary: parse the arguments, run the command, report errors.

use std::process::ExitCode;

use byline::cli::{Cli, usage_error};
use clap::Parser;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match byline::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("byline: {err:#}");
            ExitCode::from(1)
        }
    }
}
