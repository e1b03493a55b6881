//! The scraped news page: headline, standfirst with a photo caption, one
//! paragraph a line, a wire credit, site boilerplate, then a "Related
//! Articles" block of more stories, each with its whole body on one line.

use std::sync::LazyLock;

use regex::Regex;

use super::sanitize::collapse_whitespace;
use super::text::{
    parse_age, site_name, split_caption, split_credit, split_paragraphs, strip_boilerplate,
};
use super::{FileContext, Loaded};
use crate::article::{Article, Format, Role, normalize_title};

static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:related|more)\s+(?:articles|stories|news|reads)$")
        .expect("heading pattern")
});

/// Is this line a "Related Articles" heading?
pub fn is_related_heading(line: &str) -> bool {
    RELATED_HEADING.is_match(line.trim())
}

/// Does this text look like a scraped page? Line 2 follows the headline with
/// no blank line between, or a Related block or site boilerplate is present.
pub fn looks_like_page(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let Some(_title) = lines.next() else {
        return false;
    };
    let second_is_text = lines.next().is_some_and(|l| !l.is_empty());
    second_is_text || text.lines().any(|l| RELATED_HEADING.is_match(l.trim()))
}

/// Parses a page; `text` is already sanitised.
pub fn parse(text: &str, ctx: &FileContext) -> Loaded {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let split = lines.iter().position(|l| RELATED_HEADING.is_match(l));
    let (main_lines, related_lines) = match split {
        Some(i) => (&lines[..i], &lines[i + 1..]),
        None => (&lines[..], &[][..]),
    };
    let mut warnings = Vec::new();
    let mut site = None;
    let mut cleaned: Vec<String> = Vec::new();
    for line in main_lines.iter().filter(|l| !l.is_empty()) {
        let (line, named) = strip_boilerplate(line);
        site = site.or(named);
        if !line.is_empty() {
            cleaned.push(line);
        }
    }
    let mut main = main_story(cleaned, ctx);
    let related = related_items(related_lines, ctx, &mut warnings, &mut site);
    if let Some(main) = main.as_mut() {
        main.source = site
            .as_deref()
            .map(site_name)
            .or_else(|| ctx.folder.clone());
        main.related_on_page = related
            .iter()
            .filter(|a| a.id != main.id)
            .map(|a| a.id.clone())
            .collect();
    }
    let mut articles: Vec<Article> = main.into_iter().collect();
    articles.extend(related);
    Loaded {
        format: Format::Page,
        articles,
        warnings,
    }
}

fn main_story(lines: Vec<String>, ctx: &FileContext) -> Option<Article> {
    let mut lines = lines.into_iter();
    let title = lines.next()?;
    let mut article = Article::new(title, Role::Main);
    article.published = Some(ctx.modified);
    let mut body: Vec<String> = Vec::new();
    if let Some(second) = lines.next() {
        let (standfirst, caption) = split_caption(&second);
        article.caption = caption;
        if standfirst.is_empty() {
            // The line held only a caption.
        } else {
            article.standfirst = Some(standfirst);
        }
    }
    body.extend(lines);
    finish_body(&mut article, body);
    Some(article)
}

/// Removes repeats of the headline and standfirst, splits off the trailing
/// credit, and stores the paragraphs.
fn finish_body(article: &mut Article, mut body: Vec<String>) {
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

fn is_item_start(lines: &[&str], i: usize) -> bool {
    i + 2 < lines.len()
        && !lines[i].is_empty()
        && parse_age(lines[i + 1]).is_some()
        && lines[i + 2].starts_with('-')
}

/// Parses the Related block: `Source` / `10 minutes ago` / `- Source` /
/// headline / body, with or without blank lines between items.
fn related_items(
    lines: &[&str],
    ctx: &FileContext,
    warnings: &mut Vec<String>,
    site: &mut Option<String>,
) -> Vec<Article> {
    let lines: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty()).collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| is_item_start(&lines, i))
        .collect();
    if let Some(&first) = starts.first() {
        if first > 0 {
            warnings.push(format!(
                "{first} unrecognised line(s) at the start of the Related block"
            ));
        }
    } else if !lines.is_empty() {
        warnings.push("Related block has no items in the expected shape".to_owned());
    }
    let mut items = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let Some(&headline) = lines.get(start + 3).filter(|_| start + 3 < end) else {
            warnings.push(format!("related item {} has no headline", n + 1));
            continue;
        };
        let body = collapse_whitespace(&lines[(start + 4).min(end)..end].join(" "));
        let age = parse_age(lines[start + 1]).unwrap_or_default();
        let source = lines[start + 2].trim_start_matches('-').trim();
        let source = if source.is_empty() {
            lines[start]
        } else {
            source
        };
        let mut article = Article::new(headline.to_owned(), Role::Listed);
        article.source = Some(site_name(source));
        article.published = ctx.modified.checked_sub_signed(age);
        clean_related_body(&mut article, &body, site);
        items.push(article);
    }
    items
}

/// Finds `needle` in `haystack` ignoring case and spacing differences.
/// Returns the byte range in `haystack`.
fn find_loose(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    if let Some(p) = haystack.find(needle) {
        return Some((p, p + needle.len()));
    }
    let lower = haystack.to_lowercase();
    if lower.len() == haystack.len() {
        let p = lower.find(&needle.to_lowercase())?;
        return Some((p, p + needle.len()));
    }
    None
}

/// A related item's body is the scrape of a whole page on one line:
/// `[standfirst] [caption] HEADLINE body... CREDIT boilerplate`.
fn clean_related_body(article: &mut Article, body: &str, site: &mut Option<String>) {
    let (body, named) = strip_boilerplate(body);
    if site.is_none() {
        *site = named;
    }
    let text = match find_loose(&body, &article.title) {
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
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn ctx() -> FileContext {
        FileContext {
            modified: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
            folder: Some("inbox".into()),
            extension: Some("txt".into()),
            stem: Some("page".into()),
        }
    }

    const PAGE: &str = "\
Harbour town votes to raise its sea wall
Residents backed the plan by a wide margin. PHOTO: REUTERS
The vote was held on Sunday after months of debate.
Residents backed the plan by a wide margin.
'We cannot wait for the next storm,' said Mayor Ana Ruiz.
Work starts in March. AFP
Join ST's Telegram channel and get the latest breaking news delivered to you.

Try Our AI Features
Explore what Daily8 AI can do for you:
Comments
No comments yet...
Related Articles

Straits Times
10 minutes ago
- Straits Times
Storm season arrives early on the coast
FILE PHOTO: Waves hit a pier. REUTERS/Jo Lee/File Photo Storm season arrives early on the coast PORTVILLE - Forecasters said the first storm came early. It brought high winds. 'Stay indoors,' they said. REUTERS Join ST's Telegram channel and get the latest breaking news delivered to you.
Business Times
an hour ago
- Business Times
Insurers weigh flood cover costs
Premiums may rise as insurers count the cost of floods along the coast and
";

    #[test]
    fn main_story_is_clean() {
        let loaded = parse(PAGE, &ctx());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let main = &loaded.articles[0];
        assert_eq!(main.title, "Harbour town votes to raise its sea wall");
        assert_eq!(
            main.standfirst.as_deref(),
            Some("Residents backed the plan by a wide margin.")
        );
        assert_eq!(main.caption.as_deref(), Some("PHOTO: REUTERS"));
        assert_eq!(main.credit.as_deref(), Some("AFP"));
        assert_eq!(main.source.as_deref(), Some("The Straits Times"));
        assert_eq!(
            main.paragraphs,
            vec![
                "The vote was held on Sunday after months of debate.",
                "'We cannot wait for the next storm,' said Mayor Ana Ruiz.",
                "Work starts in March.",
            ]
        );
        assert_eq!(
            main.related_on_page,
            vec![loaded.articles[1].id.clone(), loaded.articles[2].id.clone()]
        );
    }

    #[test]
    fn related_items_are_stories_of_their_own() {
        let loaded = parse(PAGE, &ctx());
        assert_eq!(loaded.articles.len(), 3);
        let storm = &loaded.articles[1];
        assert_eq!(storm.role, Role::Listed);
        assert_eq!(storm.title, "Storm season arrives early on the coast");
        assert_eq!(storm.source.as_deref(), Some("The Straits Times"));
        assert_eq!(
            storm.caption.as_deref(),
            Some("FILE PHOTO: Waves hit a pier. REUTERS/Jo Lee/File Photo")
        );
        assert_eq!(storm.credit.as_deref(), Some("REUTERS"));
        assert_eq!(storm.standfirst, None);
        assert_eq!(
            storm.paragraphs[0],
            "PORTVILLE - Forecasters said the first storm came early. It brought high winds."
        );
        assert_eq!(storm.paragraphs[1], "'Stay indoors,' they said.");
        assert_eq!(
            storm.published.unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 20, 11, 50, 0).unwrap()
        );
        let insurers = &loaded.articles[2];
        assert_eq!(insurers.source.as_deref(), Some("The Business Times"));
        assert_eq!(insurers.paragraphs.len(), 1);
        assert!(insurers.paragraphs[0].ends_with("along the coast and"));
    }

    #[test]
    fn items_without_blank_lines_and_a_page_without_block() {
        let loaded = parse("Title here\nStandfirst.\nBody one.\n", &ctx());
        assert_eq!(loaded.articles.len(), 1);
        assert_eq!(loaded.articles[0].source.as_deref(), Some("inbox"));
        assert!(looks_like_page("Title\nSecond line\n"));
        assert!(!looks_like_page("Title\n\nParagraph\n"));
    }
}
