//! `byline config`: where the config file is, a default one, or a check of it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::ConfigArgs;
use crate::config::{Config, Dirs};

/// `byline config`: the file's path, a default file, or the settings in
/// force (the file checked, with any error said).
pub fn run(dirs: &Dirs, args: &ConfigArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.default {
        out.write_all(crate::config::default_config().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = dirs.config_path() else {
        anyhow::bail!("there is no config folder (is HOME set?); pass --config-dir DIR");
    };
    if args.path {
        writeln!(out, "{}", path.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    // Check the file: say where it is and whether it is good.
    let loaded = Config::load(&path);
    if loaded.problems.is_empty() {
        if path.exists() {
            writeln!(out, "{}: ok", path.display())?;
        } else {
            writeln!(
                out,
                "{}: not there; the defaults apply (`byline config --default` prints them)",
                path.display()
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Every problem, with its line; the settings that are good still apply.
    for problem in &loaded.problems {
        eprintln!("byline: {}", problem.notice());
    }
    Ok(ExitCode::from(1))
}
