//! The command line: one module per command, `library` opening the library
//! for each, and `args` what clap reads. `main.rs` picks the command.

mod args;
pub mod check;
pub mod config;
pub mod export;
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
/// message lacks it. Help and version requests print and exit 0; errors exit 2.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::CommandFactory;
    use clap::error::ErrorKind;
    let _ = err.print();
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return ExitCode::SUCCESS;
    }
    let rendered = err.render().to_string();
    if !rendered.contains("Usage:") {
        eprintln!("\n{}", Cli::command().render_usage());
    }
    ExitCode::from(2)
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
}
