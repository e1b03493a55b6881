//! An HTML page: its article, by Mozilla's Readability algorithm (the
//! dom_smoothie port), with the title, standfirst, author, date, site
//! and canonical URL from the page's metadata. Navigation, scripts,
//! styles, asides and footers give no text.

use chrono::{DateTime, Utc};
use dom_query::Document;
use dom_smoothie::{Config, Readability};

use super::dates::parse_date;
use super::page::finish_body;
use super::{FileContext, Loaded, clean_field, clean_line, html_text};
use crate::article::{Article, Format, Role};

/// A paragraph naming the author that is longer than this is text, not a byline.
const MAX_BYLINE: usize = 100;

/// Elements Readability can parse at most; past this a page is read
/// without it (its body's text, less the furniture).
const MAX_ELEMENTS: usize = 20_000;

/// The content of the first `<meta>` with this `property` or `name`.
fn meta(doc: &Document, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        let sel =
            format!("meta[property=\"{key}\"], meta[name=\"{key}\"], meta[itemprop=\"{key}\"]");
        doc.select(&sel)
            .attr("content")
            .map(|v| clean_line(&v))
            .filter(|v| !v.is_empty())
    })
}

/// The page's canonical address.
fn canonical(doc: &Document) -> Option<String> {
    doc.select("link[rel=\"canonical\"]")
        .attr("href")
        .map(|v| clean_line(&v))
        .filter(|v| v.starts_with("http"))
        .or_else(|| meta(doc, &["og:url"]))
}

/// The first `<time datetime>` in the page, a date of last resort.
fn time_element(doc: &Document) -> Option<String> {
    doc.select("time[datetime]")
        .first()
        .attr("datetime")
        .map(|v| v.to_string())
}

/// What a page's `<head>` (and `<time>`) says about its story.
struct PageMeta {
    url: Option<String>,
    site: Option<String>,
    description: Option<String>,
    author: Option<String>,
    published: Option<DateTime<Utc>>,
    title: Option<String>,
}

fn page_meta(doc: &Document) -> PageMeta {
    let published = meta(
        doc,
        &[
            "article:published_time",
            "datePublished",
            "date",
            "dc.date",
            "pubdate",
        ],
    )
    .or_else(|| time_element(doc))
    .and_then(|d| parse_date(&d));
    PageMeta {
        url: canonical(doc),
        site: meta(doc, &["og:site_name", "application-name"]),
        description: meta(
            doc,
            &["og:description", "description", "twitter:description"],
        ),
        author: meta(doc, &["author", "article:author", "byl", "dc.creator"]),
        published,
        title: meta(doc, &["og:title", "twitter:title"]).or_else(|| {
            let t = doc.select("title").text();
            Some(clean_line(&t)).filter(|t| !t.is_empty())
        }),
    }
}

/// The article Readability finds in the page, if it finds one (and the
/// page is not too big to try).
fn readable(doc: &Document, url: Option<&str>) -> Option<dom_smoothie::Article> {
    if doc.select("*").length() > MAX_ELEMENTS {
        return None;
    }
    let cfg = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    Readability::with_document(doc.clone(), url, Some(cfg))
        .ok()
        .and_then(|mut r| r.parse().ok())
}

/// The body's paragraphs without the byline standing as a paragraph of its
/// own ("By Jo Lee, Reporter · 19 November").
fn without_byline(paragraphs: Vec<String>, author: Option<&str>) -> Vec<String> {
    let byline = author
        .map(crate::article::normalize_title)
        .filter(|b| !b.is_empty());
    paragraphs
        .into_iter()
        .filter(|p| {
            let key = crate::article::normalize_title(p);
            byline
                .as_ref()
                .is_none_or(|b| !(key.contains(b.as_str()) && p.chars().count() <= MAX_BYLINE))
        })
        .collect()
}

/// Parses an HTML page; `text` is already sanitised.
pub fn parse(text: &str, ctx: &FileContext) -> Loaded {
    let doc = Document::from(text);
    let head = page_meta(&doc);
    let readable = readable(&doc, head.url.as_deref());
    let mut warnings = Vec::new();
    let (title, paragraphs, byline, caption) = match &readable {
        Some(article) => (
            Some(clean_line(&article.title)).filter(|t| !t.is_empty()),
            html_text::paragraphs(&article.content),
            article.byline.as_deref().map(clean_line),
            html_text::captions(&article.content).into_iter().next(),
        ),
        None => {
            warnings.push("no article found by Readability: the page's text is used".to_owned());
            // Readability may have changed the tree: read a fresh one.
            let fresh = Document::from(text);
            let body = fresh.select("body");
            let paragraphs = body
                .nodes()
                .first()
                .map(html_text::paragraphs_of)
                .unwrap_or_default();
            (None, paragraphs, None, None)
        }
    };
    let Some(title) = title.or(head.title).or_else(|| ctx.stem.clone()) else {
        return Loaded::new(Format::Html, Vec::new(), warnings);
    };
    let mut article = Article::new(title, Role::Main);
    article.url = head.url;
    article.source = head
        .site
        .or_else(|| {
            readable
                .as_ref()
                .and_then(|a| a.site_name.as_deref().map(clean_line))
        })
        .or_else(|| ctx.folder.clone());
    article.author = head.author.or(byline).filter(|a| !a.is_empty());
    article.published = head
        .published
        .or_else(|| {
            readable
                .as_ref()
                .and_then(|a| a.published_time.as_deref().and_then(parse_date))
        })
        .or(Some(ctx.modified));
    article.standfirst = head
        .description
        .map(|d| clean_field(&d))
        .filter(|d| !d.is_empty());
    article.caption = caption;
    let body = without_byline(paragraphs, article.author.as_deref());
    finish_body(&mut article, body);
    Loaded::new(Format::Html, vec![article], warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FileContext {
        crate::test_support::ctx("saved", "html")
    }

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head>
<title>Lantern fair returns to the old quay | The Lantern Gazette</title>
<meta name="description" content="Forty stalls and a night parade come back after five years.">
<meta property="og:title" content="Lantern fair returns to the old quay">
<meta property="og:site_name" content="The Lantern Gazette">
<meta name="author" content="Mira Castell">
<meta property="article:published_time" content="2026-11-19T09:15:00+01:00">
<link rel="canonical" href="https://lantern.example/news/lantern-fair">
<style>body { color: red }</style>
<script>window.tracker = "TRACKER-CODE";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<header><div class="logo">The Lantern Gazette</div></header>
<article>
<h1>Lantern fair returns to the old quay</h1>
<p class="byline">By Mira Castell</p>
<p>The lantern fair will return to the old quay this weekend for the first time in five years, with forty stalls along the water and a parade after dark.</p>
<p>Organisers said the fair had been paused while the quay&rsquo;s timber deck was rebuilt, a job that ran two years over its schedule and cost far more than planned.</p>
<p>&ldquo;People have asked us every single week when it would be back,&rdquo; said the organiser, who has run the fair for twenty years &amp; more.</p>
<p>The parade leaves the harbour office at seven on Saturday evening and ends at the lighthouse, where a band will play until midnight.</p>
<p>Stallholders will sell food, crafts and lanterns, and the proceeds from the lantern sales will go to the lifeboat station on the point.</p>
<p>Roads around the quay will close from noon, and the council has asked visitors to come by bus or on foot if they can.</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Ferry fares rise</a></li><li><a href="/b">Pier closes</a></li></ul></aside>
<footer><p>© 2026 Lantern Gazette. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"#;

    #[test]
    fn an_article_page_gives_its_story_and_metadata() {
        let loaded = parse(PAGE, &ctx());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let a = &loaded.articles[0];
        assert_eq!(a.title, "Lantern fair returns to the old quay");
        assert_eq!(a.source.as_deref(), Some("The Lantern Gazette"));
        assert_eq!(a.author.as_deref(), Some("Mira Castell"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://lantern.example/news/lantern-fair")
        );
        assert_eq!(
            a.standfirst.as_deref(),
            Some("Forty stalls and a night parade come back after five years.")
        );
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2026-11-19T08:15:00+00:00"
        );
        assert_eq!(a.paragraphs.len(), 6, "{:#?}", a.paragraphs);
        assert!(a.paragraphs[0].starts_with("The lantern fair will return"));
        assert!(a.paragraphs[1].contains("quay\u{2019}s timber"));
        assert!(a.paragraphs[2].contains("twenty years & more"));
        let all = a.paragraphs.join("\n");
        for furniture in [
            "Home",
            "TRACKER",
            "color: red",
            "Most read",
            "All rights reserved",
            "By Mira",
        ] {
            assert!(!all.contains(furniture), "{furniture} in {all}");
        }
    }

    #[test]
    fn a_bare_fragment_still_loads() {
        let loaded = parse("<p>Just one short paragraph here.</p>", &ctx());
        let a = &loaded.articles[0];
        assert_eq!(a.title, "story");
        assert_eq!(a.paragraphs, vec!["Just one short paragraph here."]);
    }
}
