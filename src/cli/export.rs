//! `byline export`: stories as JSON, Markdown or one HTML page, to stdout
//! or written atomically to a file or folder.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::ExportArgs;
use super::library::{mention_skips, open_library};
use crate::article::ArticleId;
use crate::config::Dirs;
use crate::fmt::plural;
use crate::loader::sanitize::display_path;
use crate::store::Detail;
use crate::view::{Sort, View};

pub fn run(dirs: &Dirs, args: &ExportArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let mut ids = Vec::new();
    if args.ids.is_empty() {
        let view = View::from_flags(args.unread, args.saved);
        ids.extend(
            lib.in_view(Sort::Newest, view, None, None)?
                .into_iter()
                .map(|s| s.id),
        );
    } else {
        for text in &args.ids {
            if !ArticleId::looks_like_id(text.trim()) && std::path::Path::new(text).exists() {
                anyhow::bail!(
                    "`{text}` is a path, not an ID: give PATHs before --ids, or after --"
                );
            }
            let id = lib.store.resolve_id(text)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let stories = crate::export::gather(&lib.store, &ids, args.related)?;
    match &args.out {
        Some(path) => {
            crate::export::write_to(path, args.format, &stories)?;
            eprintln!(
                "byline: exported {} to {}",
                plural(stories.len(), "story", "stories"),
                display_path(path)
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(crate::export::render(args.format, &stories).as_bytes())?;
            out.flush()?;
        }
    }
    mention_skips(&lib.report);
    Ok(ExitCode::SUCCESS)
}
