//! `byline mark`: marks stories (and their near-duplicates) read, unread,
//! saved or unsaved.

use std::process::ExitCode;

use anyhow::Result;

use super::library::open_library;
use super::{MarkArgs, MarkKind};
use crate::config::Dirs;
use crate::loader::sanitize::display_path;
use crate::store::Detail;

pub fn run(dirs: &Dirs, args: &MarkArgs) -> Result<ExitCode> {
    let tag = args.tag_name();
    if matches!(args.kind, MarkKind::Tag | MarkKind::Untag)
        && tag.as_deref().is_none_or(str::is_empty)
    {
        return Err(super::usage_error_in(
            "mark",
            "tag and untag take a tag NAME, then story IDs".to_owned(),
        )
        .into());
    }
    let (texts, paths) = args.ids_and_paths();
    if texts.is_empty() {
        let named: Vec<String> = paths
            .iter()
            .map(|p| format!("`{}`", display_path(p)))
            .collect();
        let message = format!("no story ID given, only paths: {}", named.join(", "));
        return Err(super::usage_error_in("mark", message).into());
    }
    let mut lib = open_library(dirs, &paths, Detail::Counts)?;
    let marks = &mut lib.marks;
    let mut ids = Vec::new();
    for text in &texts {
        let id = lib.store.resolve_id(text)?;
        ids.push(id);
    }
    for id in &lib.store.groups()?.with_twins(&ids) {
        match args.kind {
            MarkKind::Read => marks.set_read(id, true),
            MarkKind::Unread => marks.set_read(id, false),
            MarkKind::Save => marks.set_saved(id, true),
            MarkKind::Unsave => marks.set_saved(id, false),
            MarkKind::Tag | MarkKind::Untag => {
                let name = tag.as_deref().unwrap_or_default();
                let mut mark = marks.get(id);
                if args.kind == MarkKind::Tag {
                    mark.add_tag(name);
                } else {
                    mark.remove_tag(name);
                }
                marks.set(id, mark);
            }
        }
    }
    marks.save()?;
    Ok(ExitCode::SUCCESS)
}
