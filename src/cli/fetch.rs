//! `byline fetch`: every feed (or the named ones) at once, a progress bar
//! on a terminal, one line per feed; exit 1 when any failed. Safe from
//! cron while the reader is open: fetching only writes files, under a lock.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::FetchArgs;
use crate::config::Dirs;
use crate::feeds::{self, FeedList, FetchOptions};

pub fn run(dirs: &Dirs, args: &FetchArgs) -> Result<ExitCode> {
    let Some(config) = dirs.config.as_deref() else {
        bail!("there is no config folder to keep feeds in (is HOME set?); pass --config-dir DIR");
    };
    let mut list = FeedList::load(config)?;
    let chosen: Vec<feeds::Feed> = if args.names.is_empty() {
        list.all().cloned().collect()
    } else {
        let mut chosen = Vec::new();
        for name in &args.names {
            match list.find(name) {
                Some(feed) => chosen.push(feed.clone()),
                None => return Err(feeds::FeedError::NotFound(name.clone()).into()),
            }
        }
        chosen
    };
    if chosen.is_empty() {
        eprintln!("byline: no feeds yet: `byline feed add URL` follows one");
        return Ok(ExitCode::SUCCESS);
    }
    let bar = (!args.quiet && !args.json && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(chosen.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} feeds {msg}")
        {
            bar.set_style(style);
        }
        bar
    });
    let options = FetchOptions {
        jobs: args.jobs as usize,
        http: args.http.settings(),
        force: args.force,
    };
    let reports = feeds::fetch_all(
        &chosen,
        &feeds::feeds_dir(&dirs.data),
        Some(config),
        &options,
        &|report| {
            if let Some(bar) = &bar {
                bar.inc(1);
                bar.set_message(report.name.clone());
            }
        },
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // Feeds that moved for good: feeds.toml follows them.
    list.follow_moves(&reports)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for report in &reports {
            if args.quiet {
                if report.failed() {
                    eprintln!("byline: {}", report.line());
                }
            } else {
                writeln!(out, "{}", report.line())?;
            }
        }
    }
    out.flush()?;
    Ok(if reports.iter().any(feeds::FeedReport::failed) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
