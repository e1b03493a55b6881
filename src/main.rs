//! The `byline` binary: parse the arguments, run the command, report errors.

use std::process::ExitCode;

use byline::cli::{Cli, usage_error};
use clap::Parser;

fn main() -> ExitCode {
    // A parser that panics on one file costs that file, quietly.
    byline::loader::install_panic_filter();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match byline::cli::run(cli) {
        Ok(code) => code,
        // A reader that stopped early (`byline list | head`) is not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("byline: {err:#}");
            ExitCode::from(1)
        }
    }
}
