//! `byline show`: one story in full, wrapped, or as JSON.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::ShowArgs;
use super::library::{open_library, write_json};
use super::rows::local_time;
use crate::article::Article;
use crate::config::Dirs;
use crate::store::{Detail, Store};

fn default_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = crossterm::terminal::size()
    {
        return (cols as usize).clamp(20, 100);
    }
    80
}

/// Renders a story as text wrapped at `width`.
pub fn render_story(store: &Store, story: &Article, width: usize) -> Result<String> {
    let wrap = |text: &str, indent: &str| -> String {
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(indent);
        textwrap::wrap(text, options).join("\n")
    };
    let ctx = crate::render::Context {
        date: story
            .published
            .is_some()
            .then(|| local_time(story.published)),
        copies: crate::render::Copies::of(
            story.source.as_deref(),
            store.copy_sources(&story.id)?.iter().map(Option::as_deref),
        ),
        ident: true,
    };
    let blocks = crate::render::blocks(story, &ctx);
    let mut out = crate::render::to_text(&crate::render::wrap(&blocks, width, false));
    if !story.related_on_page.is_empty() {
        out.push_str("\nListed on this page:\n");
        for id in &story.related_on_page {
            let line = match store.summary(id)? {
                Some(r) => format!(
                    "{}  {} ({})",
                    r.id,
                    r.title,
                    r.source.as_deref().unwrap_or("-")
                ),
                None => format!("{id}  (not in the store)"),
            };
            out.push_str(&wrap(&line, "  "));
            out.push('\n');
        }
    }
    Ok(out)
}

pub fn run(dirs: &Dirs, args: &ShowArgs) -> Result<ExitCode> {
    let lib = open_library(dirs, &args.paths, Detail::Counts)?;
    let id = lib.store.resolve_id(&args.id)?;
    let story = lib
        .store
        .story(&id)?
        .with_context(|| format!("no story has the ID `{id}`"))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        write_json(&mut out, &story)?;
    } else {
        let width = args.width.map_or_else(default_width, usize::from);
        out.write_all(render_story(&lib.store, &story, width)?.as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
