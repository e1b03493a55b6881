//! Feed files: RSS 0.9x, 1.0 and 2.0, Atom and JSON Feed, by feed-rs.
//! Each item is a story of its own; the feed's title is its source. An
//! item's ID comes from its GUID (or Atom/JSON Feed `id`), else its link,
//! else its title and date, so an item keeps its ID when it is edited.
//! External entities are never expanded: the XML reader has no DTD support.

use feed_rs::model::{Entry, Feed, Text};

use super::dates::parse_date;
use super::page::finish_body;
use super::plain::paragraphs as text_paragraphs;
use super::{FileContext, Loaded, clean_field, clean_line, html_text};
use crate::article::{Article, Format, Role};

/// A standfirst longer than this is a second copy of the body, not a summary.
const MAX_SUMMARY: usize = 400;

/// Text that may be HTML, as paragraphs.
fn text_paragraphs_of(text: &Text) -> Vec<String> {
    paragraphs_of(
        &text.content,
        text.content_type
            .subty()
            .as_str()
            .eq_ignore_ascii_case("html"),
    )
}

fn paragraphs_of(body: &str, html: bool) -> Vec<String> {
    if html || html_text::looks_like_html(body) {
        html_text::paragraphs(body)
    } else {
        let clean = clean_field(body);
        text_paragraphs(clean.lines())
    }
}

/// A one-line text from a feed field that may hold markup.
fn line_of(text: &Text) -> String {
    clean_line(&text_paragraphs_of(text).join(" "))
}

fn article_from(entry: &Entry, source: Option<&str>, ctx: &FileContext) -> Option<Article> {
    let title = entry
        .title
        .as_ref()
        .map(line_of)
        .filter(|t| !t.is_empty())?;
    let mut article = Article::new(title, Role::Main);
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| clean_line(&l.href))
        .filter(|l| !l.is_empty());
    let published = entry.published.or(entry.updated);
    article.guid = Some(entry.id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .or_else(|| link.clone())
        .or_else(|| published.map(|d| format!("{}\u{0}{}", article.title, d.to_rfc3339())));
    article.url = link;
    article.published = published.or(Some(ctx.modified));
    article.source = source.map(str::to_owned).or_else(|| ctx.folder.clone());
    let authors: Vec<String> = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().map(clean_line))
        .filter(|n| !n.is_empty())
        .collect();
    article.author = (!authors.is_empty()).then(|| authors.join(", "));
    article.tags = entry
        .categories
        .iter()
        .map(|c| clean_line(c.label.as_deref().unwrap_or(&c.term)))
        .filter(|t| !t.is_empty())
        .collect();
    let summary = entry
        .summary
        .as_ref()
        .map(text_paragraphs_of)
        .unwrap_or_default();
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(paragraphs_of(
            body,
            c.content_type.subty().as_str().eq_ignore_ascii_case("html"),
        ))
    });
    let body = match content.filter(|c| !c.is_empty()) {
        Some(content) => {
            let summary = summary.join(" ");
            if !summary.is_empty() && summary.len() <= MAX_SUMMARY {
                article.standfirst = Some(summary);
            }
            content
        }
        None => summary,
    };
    finish_body(&mut article, body);
    Some(article)
}

/// Parses a feed; `text` is already sanitised.
pub fn parse(text: &str, format: Format, ctx: &FileContext) -> Loaded {
    let parser = feed_rs::parser::Builder::new()
        // Missing IDs stay missing: byline makes its own, never a random one.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(parse_date)
        .build();
    let feed: Feed = match parser.parse(text.as_bytes()) {
        Ok(feed) => feed,
        Err(err) => {
            let why = match err {
                feed_rs::parser::ParseFeedError::ParseError(
                    feed_rs::parser::ParseErrorKind::NoFeedRoot,
                ) => "not a feed (no RSS, Atom or JSON Feed root)".to_owned(),
                other => format!("not a readable feed: {other}"),
            };
            return Loaded::new(format, Vec::new(), vec![why]);
        }
    };
    let source = feed.title.as_ref().map(line_of).filter(|t| !t.is_empty());
    let mut warnings = Vec::new();
    let mut articles = Vec::new();
    for (n, entry) in feed.entries.iter().enumerate() {
        match article_from(entry, source.as_deref(), ctx) {
            Some(article) => articles.push(article),
            None => warnings.push(format!("item {}: skipped, no title", n + 1)),
        }
    }
    if articles.is_empty() && warnings.is_empty() {
        warnings.push("the feed has no items".to_owned());
    }
    Loaded::new(format, articles, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::ArticleId;

    fn ctx() -> FileContext {
        crate::test_support::ctx("feeds", "xml")
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Quayside &amp; Co Radio</title>
<item><title>Tide times</title><link>https://q.example/1</link><guid>q-1</guid>
<pubDate>Thu, 19 Nov 2026 07:00:00 +0000</pubDate>
<description>&lt;p&gt;High water at six.&lt;/p&gt;&lt;p&gt;Low water at noon&amp;rsquo;s end.&lt;/p&gt;</description>
<dc:creator>Ana Ruiz</dc:creator></item>
<item><title>Tide times</title><link>https://q.example/2</link>
<description><![CDATA[<p>High water at seven.</p>]]></description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_are_stories_with_ids_of_their_own() {
        let loaded = parse(RSS, Format::Rss, &ctx());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.articles.len(), 2);
        let first = &loaded.articles[0];
        assert_eq!(first.title, "Tide times");
        assert_eq!(first.source.as_deref(), Some("Quayside & Co Radio"));
        assert_eq!(first.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(first.url.as_deref(), Some("https://q.example/1"));
        assert_eq!(
            first.paragraphs,
            vec!["High water at six.", "Low water at noon\u{2019}s end."]
        );
        assert_eq!(first.guid.as_deref(), Some("q-1"));
        assert_eq!(
            first.published.unwrap().to_rfc3339(),
            "2026-11-19T07:00:00+00:00"
        );
        // No guid: the link stands in.
        assert_eq!(
            loaded.articles[1].guid.as_deref(),
            Some("https://q.example/2")
        );
        let mut a = first.clone();
        a.assign_id();
        assert_eq!(a.id, ArticleId::for_guid("q-1"));
    }

    #[test]
    fn atom_and_json_feed() {
        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Field Notes</title><id>urn:f</id><updated>2026-11-19T08:00:00Z</updated>
<entry><id>urn:f:1</id><title>Gulls return</title><updated>2026-11-19T08:00:00Z</updated>
<author><name>Jo</name></author><link href="https://f.example/1"/>
<summary>Short summary.</summary>
<content type="html">&lt;p&gt;The gulls came back.&lt;/p&gt;&lt;p&gt;All of them.&lt;/p&gt;</content></entry>
</feed>"#;
        let loaded = parse(atom, Format::Atom, &ctx());
        let a = &loaded.articles[0];
        assert_eq!(a.source.as_deref(), Some("Field Notes"));
        assert_eq!(a.standfirst.as_deref(), Some("Short summary."));
        assert_eq!(a.paragraphs, vec!["The gulls came back.", "All of them."]);
        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Tidewater Weekly",
            "items": [{"id": "t1", "title": "Harbour dredged", "content_text": "Line one.\n\nLine two.",
                       "date_published": "2026-11-18T10:00:00Z", "authors": [{"name": "Kim"}]}]}"#;
        let loaded = parse(json, Format::JsonFeed, &ctx());
        let a = &loaded.articles[0];
        assert_eq!(a.source.as_deref(), Some("Tidewater Weekly"));
        assert_eq!(a.paragraphs, vec!["Line one.", "Line two."]);
        assert_eq!(a.author.as_deref(), Some("Kim"));
        assert_eq!(a.guid.as_deref(), Some("t1"));
    }

    #[test]
    fn malformed_and_hostile_xml_is_refused_or_left_unexpanded() {
        let broken = parse(
            "<?xml version=\"1.0\"?><rss><channel><item>",
            Format::Rss,
            &ctx(),
        );
        assert!(broken.articles.is_empty());
        assert!(!broken.warnings.is_empty());
        let not_feed = parse(
            "<?xml version=\"1.0\"?><urlset></urlset>",
            Format::Rss,
            &ctx(),
        );
        assert!(
            not_feed.warnings[0].contains("not a feed"),
            "{:?}",
            not_feed.warnings
        );
        let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>T</title>
<item><title>Item</title><guid>x1</guid><description>Before &xxe; after.</description></item>
</channel></rss>"#;
        let loaded = parse(xxe, Format::Rss, &ctx());
        for a in &loaded.articles {
            let text = a.paragraphs.join(" ");
            assert!(!text.contains("root:"), "{text}");
        }
    }
}
