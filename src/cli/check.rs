//! `byline check`: every file, its format, encoding and stories, and why
//! any was skipped. Exits 1 when a file was skipped.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::CheckArgs;
use super::library::{open_library, write_json};
use crate::config::Dirs;
use crate::fmt::{count, plural};
use crate::loader::sanitize::display_path;
use crate::store::{Detail, FileStatus};

#[derive(Serialize)]
struct CheckTotals {
    files: usize,
    loaded: usize,
    warned: usize,
    skipped: usize,
    ignored: usize,
    stories: usize,
    duplicates_merged: usize,
}

pub fn run(dirs: &Dirs, args: &CheckArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Files)?;
    let report = &lib.report;
    let copies: usize = report.files.iter().map(|f| f.stories).sum();
    let totals = CheckTotals {
        files: report.files.len(),
        loaded: report.files.len() - report.skipped() - report.ignored(),
        warned: report.warned(),
        skipped: report.skipped(),
        ignored: report.ignored(),
        stories: report.stories,
        duplicates_merged: copies.saturating_sub(report.stories),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        #[derive(Serialize)]
        struct CheckJson<'a> {
            files: &'a [crate::store::FileReport],
            totals: &'a CheckTotals,
        }
        write_json(
            &mut out,
            &CheckJson {
                files: &report.files,
                totals: &totals,
            },
        )?;
    } else {
        for f in &report.files {
            writeln!(out, "{}", check_line(f))?;
        }
        writeln!(
            out,
            "\n{}: {} loaded ({} with warnings), {} skipped, {} ignored",
            plural(totals.files, "file", "files"),
            count(totals.loaded),
            count(totals.warned),
            count(totals.skipped),
            count(totals.ignored)
        )?;
        writeln!(
            out,
            "{} ({} duplicate {} merged)",
            plural(totals.stories, "story", "stories"),
            count(totals.duplicates_merged),
            if totals.duplicates_merged == 1 {
                "copy"
            } else {
                "copies"
            }
        )?;
    }
    out.flush()?;
    Ok(if totals.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One file's line in `check`: status, format, encoding, stories, path and
/// any warning or reason.
fn check_line(f: &crate::store::FileReport) -> String {
    let status = match f.status {
        FileStatus::Ok => "ok  ",
        FileStatus::Warn => "warn",
        FileStatus::Skipped => "skip",
        FileStatus::Ignored => "ign ",
    };
    let format = f.format.map_or("-", |f| f.as_str());
    let encoding = f.encoding.as_deref().unwrap_or("-");
    let stories = match f.status {
        FileStatus::Skipped | FileStatus::Ignored => String::new(),
        _ => plural(f.stories, "story", "stories"),
    };
    let mut line = format!(
        "{status}  {format:<8}  {encoding:<12}  {stories:<11}  {}",
        display_path(&f.path)
    );
    if !f.messages.is_empty() {
        line.push_str(": ");
        line.push_str(&f.messages.join("; "));
    }
    line.trim_end().to_owned()
}
