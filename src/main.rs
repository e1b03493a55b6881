//! The `byline` binary: parse the arguments, pick the command, report errors.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use byline::cli::{self, Cli, Command, ListArgs, usage_error};
use byline::config::Dirs;
use byline::view::Sort;
use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    // A parser that panics on one file costs that file, quietly.
    byline::loader::install_panic_filter();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match run(cli) {
        Ok(code) => code,
        // A reader that stopped early (`byline list | head`) is not an error.
        Err(err) if cli::reader_gone(&err) => ExitCode::SUCCESS,
        Err(err) => match err.downcast::<clap::Error>() {
            Ok(usage) => usage_error(usage),
            Err(err) => {
                match err.downcast_ref::<cli::library::UnreadablePaths>() {
                    Some(paths) => paths.lines().for_each(|line| eprintln!("byline: {line}")),
                    None => eprintln!("byline: {err:#}"),
                }
                ExitCode::from(1)
            }
        },
    }
}

/// The reader on a terminal with no command; otherwise the command (with
/// no command, `list`).
fn run(cli: Cli) -> Result<ExitCode> {
    let dirs = Dirs::resolve(cli.data_dir.clone(), cli.config_dir.clone())?;
    let interactive = cli.command.is_none() && std::io::stdout().is_terminal();
    if interactive {
        let roots = cli::library::reader_roots(&dirs, &cli.paths)?;
        return byline::tui::run(&dirs, roots);
    }
    if let Some(notice) = &dirs.notice {
        eprintln!("byline: {notice}");
    }
    cli::rebuilding_if_damaged(&dirs, || pick(&dirs, &cli))
}

/// Runs the command asked for.
fn pick(dirs: &Dirs, cli: &Cli) -> Result<ExitCode> {
    let out = &mut std::io::stdout().lock();
    match &cli.command {
        Some(Command::List(args)) => cli::list::run(dirs, args),
        Some(Command::Show(args)) => cli::show::run(dirs, args),
        Some(Command::Search(args)) => cli::search::run(dirs, args),
        Some(Command::Check(args)) => cli::check::run(dirs, args),
        Some(Command::Mark(args)) => cli::mark::run(dirs, args),
        Some(Command::Related(args)) => cli::related::run(dirs, args),
        Some(Command::Export(args)) => cli::export::run(dirs, args),
        Some(Command::Config(args)) => cli::config::run(dirs, args),
        Some(Command::Feed { action }) => cli::feed::run(dirs, action),
        Some(Command::Fetch(args)) => cli::fetch::run(dirs, args),
        Some(Command::Completions { shell }) => {
            // Made in memory: clap_complete panics when a write fails.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "byline", &mut script);
            out.write_all(&script)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Manpage) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            out.write_all(&page)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        None => cli::list::run(
            dirs,
            &ListArgs {
                paths: cli.paths.clone(),
                json: false,
                sort: Sort::Newest,
                limit: None,
                unread: false,
                saved: false,
                source: None,
                tag: None,
                query: None,
            },
        ),
    }
}
