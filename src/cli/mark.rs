//! `byline mark`: marks stories (and their near-duplicates) read, unread,
//! saved or unsaved.

use std::process::ExitCode;

use anyhow::Result;

use super::library::open_library;
use super::{MarkArgs, MarkKind};
use crate::config::Dirs;
use crate::store::Detail;

pub fn run(dirs: &Dirs, args: &MarkArgs) -> Result<ExitCode> {
    let mut lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let marks = &mut lib.marks;
    let mut ids = Vec::new();
    for text in &args.ids {
        let id = lib.store.resolve_id(text)?;
        ids.push(id);
    }
    for id in &lib.store.groups()?.with_twins(&ids) {
        match args.kind {
            MarkKind::Read => marks.set_read(id, true),
            MarkKind::Unread => marks.set_read(id, false),
            MarkKind::Save => marks.set_saved(id, true),
            MarkKind::Unsave => marks.set_saved(id, false),
        }
    }
    marks.save()?;
    Ok(ExitCode::SUCCESS)
}
