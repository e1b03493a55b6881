//! `byline list`: the stories as the reader lists them, as lines or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::library::{mention_skips, open_library, write_json};
use super::rows::{Row, print_rows};
use super::{ListArgs, no_limit_at_0};
use crate::article::ArticleId;
use crate::config::Dirs;
use crate::state::Marks;
use crate::store::{Detail, Store, StorySummary};
use crate::view::View;

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    summary: &'a StorySummary,
    read: bool,
    saved: bool,
    /// The user's tags on it (`mark tag`), sorted.
    user_tags: Vec<String>,
    /// Every file of the story and of its near-duplicates.
    files: Vec<&'a str>,
    related_on_page: &'a [ArticleId],
    /// How many near-duplicates it stands for, and their IDs.
    also_in: usize,
    duplicates: &'a [ArticleId],
}

fn write_list_json(
    out: &mut impl Write,
    store: &Store,
    marks: &Marks,
    stories: &[&StorySummary],
) -> Result<()> {
    let extra = store.files_and_related()?;
    let groups = store.groups()?;
    let empty = (Vec::new(), Vec::new());
    let items: Vec<ListItem> = stories
        .iter()
        .map(|s| {
            let (own_files, related) = extra.get(s.id.as_str()).unwrap_or(&empty);
            let duplicates = groups.others(s.id.as_str());
            let mut files: Vec<&str> = own_files.iter().map(String::as_str).collect();
            for other in duplicates {
                let (more, _) = extra.get(other.as_str()).unwrap_or(&empty);
                files.extend(more.iter().map(String::as_str));
            }
            files.sort_unstable();
            files.dedup();
            let mark = marks.get(&s.id);
            ListItem {
                summary: s,
                read: mark.read,
                saved: mark.saved,
                user_tags: mark.tags,
                files,
                related_on_page: related,
                also_in: duplicates.len(),
                duplicates,
            }
        })
        .collect();
    write_json(out, &items)
}

pub fn run(dirs: &Dirs, args: &ListArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let marks = &lib.marks;
    let view = View::from_flags(args.unread, args.saved);
    let stories = lib.in_view(
        args.sort,
        view,
        args.filter().as_ref(),
        args.limit.map(no_limit_at_0),
    )?;
    let refs: Vec<&StorySummary> = stories.iter().collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        write_list_json(&mut out, &lib.store, marks, &refs)?;
    } else {
        print_rows(
            &mut out,
            refs.iter().map(|s| Row::from(*s)),
            &lib.store.groups()?,
            Some(&lib.store),
        )?;
    }
    out.flush()?;
    mention_skips(&lib.report);
    Ok(ExitCode::SUCCESS)
}
