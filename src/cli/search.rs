//! `byline search`: fuzzy over headlines, or full text.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::library::{
    library_ignore, library_roots, mention_empty, mention_skips, open_library, open_store,
    sync_library, write_json,
};
use super::rows::{Groups, Row, print_rows};
use super::{SearchArgs, no_limit_at_0};
use crate::config::Dirs;
use crate::store::{Detail, Headlines, Store, StorySummary, Walk};

#[derive(Serialize)]
struct SearchItem<'a> {
    #[serde(flatten)]
    summary: &'a StorySummary,
    score: i64,
}

pub fn run(dirs: &Dirs, args: &SearchArgs) -> Result<ExitCode> {
    if !args.full_text {
        return fuzzy_search(dirs, args);
    }
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let limit = Some(args.limit).filter(|&n| n > 0);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let hits = lib.store.search_full_text(&args.query, limit)?;
    if args.json {
        write_json(&mut out, &hits)?;
    } else {
        for hit in &hits {
            print_rows(&mut out, [Row::from(&hit.summary)], &Groups::new(), None)?;
            writeln!(out, "    {}", hit.snippet.bracketed())?;
        }
    }
    out.flush()?;
    mention_skips(&lib.report);
    Ok(ExitCode::SUCCESS)
}

/// The fuzzy search over headlines. The walk that tells whether the
/// library changed runs while the headlines of the last sync are ranked and
/// the answer written out in memory: when the walk finds nothing changed,
/// that is the answer; otherwise the store is brought up to date and the
/// answer made again.
fn fuzzy_search(dirs: &Dirs, args: &SearchArgs) -> Result<ExitCode> {
    let roots = library_roots(dirs, &args.paths)?;
    let trace = crate::store::Trace::new();
    let ignore = library_ignore(dirs);
    let (walk, opened) = std::thread::scope(|scope| {
        let walker = scope.spawn(|| Walk::of(&roots, &ignore));
        let opened = open_store(dirs).map(|store| {
            let guess = match store.headlines_before_sync(&roots) {
                Ok(Some(headlines)) => search_answer(&store, &headlines, args)
                    .ok()
                    .map(|answer| (headlines, answer)),
                _ => None,
            };
            (store, guess)
        });
        (walker.join(), opened)
    });
    trace.mark("walk, and answer from the last sync");
    let (mut store, guess) = opened?;
    let walk = walk.map_err(|_| anyhow::anyhow!("the walk of the library failed"))?;
    let report = sync_library(&mut store, walk, Detail::Counts)?;
    mention_empty(&store, &roots)?;
    trace.mark("sync");
    let answer = match guess {
        Some((headlines, answer)) if headlines.is_current(&store) => answer,
        _ => {
            let answer = search_answer(&store, &store.headlines()?, args)?;
            trace.mark("answer again");
            answer
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&answer)?;
    out.flush()?;
    mention_skips(&report);
    Ok(ExitCode::SUCCESS)
}

/// What `byline search` prints for `headlines`, ranked best first.
fn search_answer(store: &Store, headlines: &Headlines, args: &SearchArgs) -> Result<Vec<u8>> {
    let stories = headlines.list();
    let mut matches = crate::search::rank(&stories, &args.query);
    matches.truncate(no_limit_at_0(args.limit));
    let mut out = Vec::with_capacity(matches.len() * 120);
    if args.json {
        let summaries: Vec<StorySummary> = matches
            .iter()
            .map(|m| stories[m.index].to_summary())
            .collect();
        let items: Vec<SearchItem> = matches
            .iter()
            .zip(&summaries)
            .map(|(m, summary)| SearchItem {
                summary,
                score: m.score,
            })
            .collect();
        write_json(&mut out, &items)?;
    } else {
        let rows = matches.iter().map(|m| Row::from(&stories[m.index]));
        print_rows(&mut out, rows, &store.groups()?, Some(store))?;
    }
    Ok(out)
}
