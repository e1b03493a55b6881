//! `byline related`: the stories most like one story by content, scored.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::library::{open_library, write_json};
use super::{RelatedArgs, no_limit_at_0};
use crate::config::Dirs;
use crate::store::{Detail, StorySummary};

#[derive(Serialize)]
struct RelatedItem<'a> {
    #[serde(flatten)]
    summary: &'a StorySummary,
    score: f32,
}

pub fn run(dirs: &Dirs, args: &RelatedArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let id = lib.store.resolve_id(&args.id)?;
    let found = crate::related::SimilarIndex::new()
        .related(&lib.store, &id, no_limit_at_0(args.limit), true)?
        .unwrap_or_default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let items: Vec<RelatedItem> = found
            .iter()
            .map(|(s, score)| RelatedItem {
                summary: s,
                score: *score,
            })
            .collect();
        write_json(&mut out, &items)?;
    } else {
        for (s, score) in &found {
            writeln!(
                out,
                "{score:.3}  {}  {}  {}",
                s.id,
                crate::fmt::fit(s.source.as_deref().unwrap_or("-"), 18),
                s.title
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
