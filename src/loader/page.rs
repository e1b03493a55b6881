//! The scraped news page: headline, standfirst with a photo caption, one
//! paragraph a line, a wire credit, site boilerplate, then a block of
//! related stories, each with its whole body on one line.
//!
//! The related block is found by the shape of its items, in any language
//! and under any heading or none:
//!
//! ```text
//! Source            a short line
//! 3 hours ago       an age or a time ("il y a 3 heures", "3 小时前",
//!                   "2026-11-20 08:30"), or any short line when the next
//!                   line repeats the source
//! - Source          a dash and the source
//! Headline
//! Body on one line
//! ```

use std::sync::LazyLock;

use regex::Regex;

use super::dates::{When, parse_when};
use super::furniture::{find_folded, site_name, split_caption, split_credit, strip_boilerplate};
use super::sanitize::collapse_whitespace;
use super::sentences::split_paragraphs;
use super::{FileContext, Loaded};
use crate::article::{Article, Format, Role, normalize_title};

/// English headings of a related block: they mark one even when its items
/// are not in the usual shape.
static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:related|more)\s+(?:articles|stories|news|reads)$")
        .expect("heading pattern")
});

/// Is this line an English "Related Articles" heading?
pub fn is_related_heading(line: &str) -> bool {
    RELATED_HEADING.is_match(line.trim())
}

/// The dashes a `- Source` line starts with.
fn strip_dash(line: &str) -> Option<&str> {
    line.strip_prefix(['-', '–', '—']).map(str::trim)
}

/// A source's name: a short line that is not a sentence.
fn is_source_line(line: &str) -> bool {
    // A long line is out at once, before its characters are counted.
    if line.len() > 60 * 4 {
        return false;
    }
    let chars = line.chars().count();
    (1..=60).contains(&chars)
        && line.split_whitespace().count() <= 8
        && strip_dash(line).is_none()
        && !ends_sentence(line)
}

/// Whether a line ends like a sentence (or a clause).
fn ends_sentence(line: &str) -> bool {
    line.chars().last().is_some_and(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ';' | ',' | ':' | '…' | '。' | '！' | '？' | '：' | '，'
        )
    })
}

/// Where a related item starts, and when its story was published.
fn item_at(lines: &[&str], i: usize) -> Option<Option<When>> {
    let [source, time, dash, headline] = lines.get(i..i + 4)? else {
        return None;
    };
    if !is_source_line(source) || strip_dash(headline).is_some() {
        return None;
    }
    let dash_source = strip_dash(dash)?;
    let when = parse_when(time);
    // A short line between two copies of the same source is a time line,
    // whatever language it is in.
    let repeated = dash_source.to_lowercase() == source.to_lowercase()
        && time.chars().count() <= 40
        && strip_dash(time).is_none();
    (when.is_some() || repeated).then_some(when)
}

/// A line short enough, and unlike a sentence enough, to be a heading.
fn is_heading(line: &str) -> bool {
    line.chars().count() <= 50 && line.split_whitespace().count() <= 6 && !ends_sentence(line)
}

/// The page split into its parts.
struct Layout<'a> {
    main: &'a [&'a str],
    /// The items' lines, from the first item's source line.
    block: &'a [&'a str],
    /// Where each item starts in `block`, and its time.
    starts: Vec<(usize, Option<When>)>,
    /// Whether an English heading marked a block with no items in shape.
    heading_only: bool,
}

fn layout<'a>(lines: &'a [&'a str]) -> Layout<'a> {
    let starts: Vec<(usize, Option<When>)> = (1..lines.len())
        .filter_map(|i| item_at(lines, i).map(|when| (i, when)))
        .collect();
    if let Some(&(first, _)) = starts.first() {
        // The line just before the first item is its heading, if it looks like one.
        let heading = first >= 2 && is_heading(lines[first - 1]);
        let main_end = if heading { first - 1 } else { first };
        let block = &lines[first..];
        let starts = starts.into_iter().map(|(i, w)| (i - first, w)).collect();
        return Layout {
            main: &lines[..main_end],
            block,
            starts,
            heading_only: false,
        };
    }
    match lines.iter().position(|l| is_related_heading(l)) {
        Some(at) => Layout {
            main: &lines[..at],
            block: &lines[at + 1..],
            starts: Vec::new(),
            heading_only: true,
        },
        None => Layout {
            main: lines,
            block: &[],
            starts: Vec::new(),
            heading_only: false,
        },
    }
}

/// Does this text look like a scraped page? Line 2 follows the headline with
/// no blank line between, or it holds a related block.
pub fn looks_like_page(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let Some(_title) = lines.next() else {
        return false;
    };
    if lines.next().is_some_and(|l| !l.is_empty()) {
        return true;
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.iter().any(|l| is_related_heading(l))
        || (1..lines.len()).any(|i| item_at(&lines, i).is_some())
}

/// Parses a page; `text` is already sanitised.
pub fn parse(text: &str, ctx: &FileContext) -> Loaded {
    // Rules ("=====" around a title, "-----" between parts) carry no words.
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !super::plain::is_rule(l))
        .collect();
    let layout = layout(&lines);
    let mut warnings = Vec::new();
    if layout.heading_only && !layout.block.is_empty() {
        warnings.push("Related block has no items in the expected shape".to_owned());
    }
    let mut site = None;
    let mut cleaned: Vec<String> = Vec::new();
    for line in layout.main {
        let (line, named) = strip_boilerplate(line);
        site = site.or(named);
        if !line.is_empty() {
            cleaned.push(line);
        }
    }
    let mut main = main_story(cleaned, ctx);
    let related = related_items(&layout, ctx, &mut site);
    if let Some(main) = main.as_mut() {
        main.source = site
            .as_deref()
            .map(site_name)
            .or_else(|| ctx.folder.clone());
        main.assign_id();
        main.related_on_page = related
            .iter()
            .filter(|a| a.id != main.id)
            .map(|a| a.id.clone())
            .collect();
    }
    let mut articles: Vec<Article> = main.into_iter().collect();
    articles.extend(related);
    Loaded::new(Format::Page, articles, warnings)
}

/// The headlines of a page, for a quick first look: the page's story and
/// its related items, with sources and times, without their text.
pub fn headlines(text: &str, ctx: &FileContext) -> Vec<Article> {
    // Rules ("=====" around a title, "-----" between parts) carry no words.
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !super::plain::is_rule(l))
        .collect();
    let layout = layout(&lines);
    let mut site = None;
    let mut title = None;
    for line in layout.main {
        // Only a line that could be furniture costs the patterns.
        if title.is_some() && !line.starts_with("Join ") {
            continue;
        }
        let (line, named) = strip_boilerplate(line);
        site = site.or(named);
        if title.is_none() && !line.is_empty() {
            title = Some(line);
        }
    }
    let mut out = Vec::new();
    if let Some(title) = title {
        let mut main = Article::new(title, Role::Main);
        main.published = Some(ctx.modified);
        main.source = site
            .as_deref()
            .map(site_name)
            .or_else(|| ctx.folder.clone());
        out.push(main);
    }
    for &(start, when) in &layout.starts {
        let block = layout.block;
        let source = strip_dash(block[start + 2])
            .filter(|s| !s.is_empty())
            .unwrap_or(block[start]);
        let mut item = Article::new(block[start + 3].to_owned(), Role::Listed);
        item.source = Some(site_name(source));
        item.published = match when {
            Some(when) => when.resolve(ctx.modified),
            None => Some(ctx.modified),
        };
        out.push(item);
    }
    out
}

fn main_story(lines: Vec<String>, ctx: &FileContext) -> Option<Article> {
    let mut lines = lines.into_iter();
    let title = lines.next()?;
    let mut article = Article::new(title, Role::Main);
    article.published = Some(ctx.modified);
    if let Some(second) = lines.next() {
        let (standfirst, caption) = split_caption(&second);
        article.caption = caption;
        article.standfirst = Some(standfirst).filter(|s| !s.is_empty());
    }
    finish_body(&mut article, lines.collect());
    Some(article)
}

/// Removes repeats of the headline and standfirst, splits off the trailing
/// credit, and stores the paragraphs.
pub(super) fn finish_body(article: &mut Article, mut body: Vec<String>) {
    let title_key = normalize_title(&article.title);
    let standfirst_key = article.standfirst.as_deref().map(normalize_title);
    body.retain(|p| {
        let key = normalize_title(p);
        !key.is_empty() && key != title_key && Some(&key) != standfirst_key.as_ref()
    });
    if let Some(last) = body.pop() {
        let (rest, credit) = split_credit(&last);
        article.credit = credit;
        if !rest.is_empty() {
            body.push(rest);
        }
    }
    article.paragraphs = body;
}

/// The related block's items, each a story of its own.
fn related_items(layout: &Layout, ctx: &FileContext, site: &mut Option<String>) -> Vec<Article> {
    let lines = layout.block;
    let mut items = Vec::new();
    for (n, &(start, when)) in layout.starts.iter().enumerate() {
        let end = layout
            .starts
            .get(n + 1)
            .map_or(lines.len(), |&(next, _)| next);
        let headline = lines[start + 3];
        let body = collapse_whitespace(&lines[(start + 4).min(end)..end].join(" "));
        let source = strip_dash(lines[start + 2]).filter(|s| !s.is_empty());
        let source = source.unwrap_or(lines[start]);
        let mut article = Article::new(headline.to_owned(), Role::Listed);
        article.source = Some(site_name(source));
        article.published = match when {
            Some(when) => when.resolve(ctx.modified),
            None => Some(ctx.modified),
        };
        clean_related_body(&mut article, &body, site);
        article.assign_id();
        items.push(article);
    }
    items
}

/// A related item's body is the scrape of a whole page on one line:
/// `[standfirst] [caption] HEADLINE body... CREDIT boilerplate`.
fn clean_related_body(article: &mut Article, body: &str, site: &mut Option<String>) {
    let (body, named) = strip_boilerplate(body);
    if site.is_none() {
        *site = named;
    }
    let text = match find_folded(&body, &article.title) {
        Some((start, end)) => {
            let (standfirst, caption) = split_caption(&body[..start]);
            article.standfirst = Some(standfirst).filter(|s| !s.is_empty());
            article.caption = caption;
            body[end..].trim().to_owned()
        }
        None => body,
    };
    finish_body(article, split_paragraphs(&text));
}

#[cfg(test)]
mod tests;
