//! The command line: one module per command, `library` opening the library
//! for each, and `args` what clap reads. `main.rs` picks the command.

mod args;
pub mod check;
pub mod config;
pub mod export;
pub mod feed;
pub mod fetch;
pub mod library;
pub mod list;
pub mod mark;
pub mod related;
mod rows;
pub mod search;
pub mod show;

use std::process::ExitCode;

use anyhow::Result;

pub use args::*;

use crate::config::Dirs;
use crate::store::Store;

/// Reports a command-line error: clap's message, then the usage when the
/// message lacks it: that of the command named in the arguments, or the
/// top-level one. Help and version requests print and exit 0; errors exit 2.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let rendered = err.render().to_string();
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) || rendered.contains("Usage:")
    {
        let _ = err.print();
    } else {
        // The usage goes where clap puts it, before the pointer to --help.
        let usage = usage_of(std::env::args_os().skip(1));
        let (said, more) = rendered.split_at(
            rendered
                .find("\nFor more information")
                .unwrap_or(rendered.len()),
        );
        eprint!("{said}\n{usage}\n{more}");
    }
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        _ => ExitCode::from(2),
    }
}

/// The usage of the command that `args` (without the program's name) names,
/// or of byline itself when they name none.
pub fn usage_of(args: impl IntoIterator<Item = std::ffi::OsString>) -> clap::builder::StyledStr {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    cli.build();
    match command_named(&cli, args).and_then(|name| cli.find_subcommand_mut(name)) {
        Some(command) => command.render_usage(),
        None => cli.render_usage(),
    }
}

/// The command `args` name: the first argument that is neither a flag nor
/// the value of a global flag, when it is a command's name.
fn command_named(
    cli: &clap::Command,
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Option<String> {
    let takes_value: Vec<String> = cli
        .get_arguments()
        .filter(|a| a.get_action().takes_values())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.to_str()?;
        if takes_value.iter().any(|flag| flag == arg) {
            args.next();
        } else if arg == "--" {
            return None;
        } else if !arg.starts_with('-') {
            return cli.find_subcommand(arg).map(|c| c.get_name().to_owned());
        }
    }
    None
}

/// A usage error found after parsing, in `command`: printed with that
/// command's usage, exit 2, as clap's own are.
pub fn usage_error_in(command: &str, message: impl std::fmt::Display) -> clap::Error {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    cli.build();
    let command = cli
        .find_subcommand_mut(command)
        .expect("a command byline has");
    command.error(clap::error::ErrorKind::ValueValidation, message)
}

/// Whether `err` comes from writing to a reader that went away (`byline
/// list | head`): a broken pipe anywhere in its chain, serde_json's included.
pub fn reader_gone(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
    })
}

/// Whether `err` says the store file is damaged.
pub fn damaged_store(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<crate::store::StoreError>()
            .is_some_and(crate::store::StoreError::is_corruption)
    })
}

/// Runs `command`; when it finds the store damaged inside (it opened, then
/// a query failed), rebuilds the store from the article files and runs it
/// again.
pub fn rebuilding_if_damaged(
    dirs: &Dirs,
    command: impl Fn() -> Result<ExitCode>,
) -> Result<ExitCode> {
    match command() {
        Err(err) if damaged_store(&err) => {
            let mut store = Store::rebuild(&dirs.store_path(), "its contents are malformed")?;
            if let Some(notice) = store.take_notice() {
                eprintln!("byline: {notice}");
            }
            drop(store);
            command()
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn the_usage_is_that_of_the_command_named() {
        let usage = |args: &[&str]| usage_of(args.iter().map(Into::into)).to_string();
        for (args, expected) in [
            (&["list", "--sort", "bogus"][..], "Usage: byline list "),
            (&["--data-dir", "list", "show", "x"], "Usage: byline show "),
            (&["--config-dir=c", "mark"], "Usage: byline mark "),
            (&["show", "x", "--width", "5"], "Usage: byline show "),
            (&["./list", "--bogus"], "Usage: byline [OPTIONS] [PATH]..."),
            (&["--", "list"], "Usage: byline [OPTIONS] [PATH]..."),
            (&[], "Usage: byline [OPTIONS] [PATH]..."),
        ] {
            let text = usage(args);
            assert!(text.starts_with(expected), "{args:?}: {text}");
        }
    }
}
