//! A quick first look at a file: just its headlines, for a large first
//! index to show the list long before every story is fully parsed.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::sanitize::sanitize_line;
use super::text::{parse_age, site_name, strip_boilerplate};
use super::{FileContext, SkipReason, read_text};
use crate::article::{Article, Format, Role};

/// The headlines of a page or plain-text file: the file's own story and
/// the stories its Related block lists, with sources and times. Other
/// formats give none here; the full parse brings them.
pub fn quick_headlines(path: &Path, modified: DateTime<Utc>) -> Result<Vec<Article>, SkipReason> {
    let decoded = read_text(path)?;
    let ctx = FileContext::for_path(path, modified);
    let text = decoded.text.as_str();
    let format = super::detect_format(text, ctx.extension.as_deref());
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = lines.first() else {
        return Ok(Vec::new());
    };
    let mut main = Article::new(sanitize_line(first), Role::Main);
    main.published = Some(ctx.modified);
    main.source = ctx.folder.clone();
    match format {
        Format::PlainText => return Ok(vec![main]),
        Format::Page => {}
        _ => return Ok(Vec::new()),
    }
    let related_at = lines
        .iter()
        .position(|l| l.len() < 40 && super::page::is_related_heading(l))
        .unwrap_or(lines.len());
    if let Some(site) = lines[..related_at]
        .iter()
        .filter(|l| l.starts_with("Join "))
        .find_map(|l| strip_boilerplate(l).1)
    {
        main.source = Some(site_name(&sanitize_line(&site)));
    }
    let mut out = vec![main];
    let block = &lines[(related_at + 1).min(lines.len())..];
    for i in 0..block.len().saturating_sub(3) {
        let Some(age) = parse_age(block[i + 1]) else {
            continue;
        };
        if !block[i + 2].starts_with('-') {
            continue;
        }
        let mut item = Article::new(sanitize_line(block[i + 3]), Role::Listed);
        let source = block[i + 2].trim_start_matches('-').trim();
        item.source = Some(site_name(&sanitize_line(if source.is_empty() {
            block[i]
        } else {
            source
        })));
        item.published = ctx.modified.checked_sub_signed(age);
        out.push(item);
    }
    out.retain(|a| !a.title.is_empty());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_gives_its_headline_and_its_listed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.txt");
        std::fs::write(
            &path,
            "Main headline\nStandfirst.\nBody.\nJoin ST's Telegram channel and get the latest breaking news delivered to you.\n\
             Related Articles\n\nBusiness Times\n2 hours ago\n- Business Times\nListed headline\nIts body.\n",
        )
        .unwrap();
        let now = Utc::now();
        let found = quick_headlines(&path, now).unwrap();
        let full = super::super::load_file(&path, now).unwrap().articles;
        assert_eq!(found.len(), 2);
        for (quick, full) in found.iter().zip(&full) {
            assert_eq!(
                (&quick.id, &quick.title, &quick.source, quick.published),
                (&full.id, &full.title, &full.source, full.published)
            );
        }
    }
}
