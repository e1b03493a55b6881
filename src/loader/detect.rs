//! Format detection from a file's content; the extension is only a hint.

use crate::article::Format;

/// The start of a text with comments, processing instructions and a
/// doctype skipped, lower-cased: where the root element is.
fn markup_root(start: &str) -> String {
    let mut rest = start;
    loop {
        rest = rest.trim_start();
        let skip = if rest.starts_with("<!--") {
            rest.find("-->").map(|e| e + 3)
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest.find('>').map(|e| e + 1)
        } else {
            break;
        };
        match skip {
            Some(n) => rest = &rest[n..],
            None => return String::new(),
        }
    }
    rest.chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The format of markup: a feed by its root element, or an HTML page.
fn markup_format(start: &str, extension: Option<&str>) -> Option<Format> {
    let head: String = start
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    let root = markup_root(start);
    if root.starts_with("<rss") || root.starts_with("<rdf:rdf") || root.starts_with("<rdf") {
        return Some(Format::Rss);
    }
    if root.starts_with("<feed") {
        return Some(Format::Atom);
    }
    if head.contains("<!doctype html") || root.starts_with("<html") {
        return Some(Format::Html);
    }
    if head.starts_with("<?xml") {
        // XML that is no feed: the feed parser says what it is instead.
        return Some(Format::Rss);
    }
    let tagged = ["<head", "<body", "<article", "<div", "<p>", "<meta"]
        .iter()
        .any(|t| head.contains(t));
    (tagged || matches!(extension, Some("html" | "htm" | "xhtml"))).then_some(Format::Html)
}

/// Whether a JSON object is a JSON Feed (`"version": "https://jsonfeed.org/..."`).
fn is_json_feed(start: &str) -> bool {
    let head: String = start.chars().take(2048).collect();
    head.contains("jsonfeed.org/version")
}

/// Picks the format of `text`. `extension` (lower case, no dot) breaks ties.
pub fn detect_format(text: &str, extension: Option<&str>) -> Format {
    let start = text.trim_start_matches('\u{FEFF}').trim_start();
    if start.starts_with('<')
        && let Some(format) = markup_format(start, extension)
    {
        return format;
    }
    if start.starts_with('{') || start.starts_with('[') {
        if start.starts_with('{') && is_json_feed(start) {
            return Format::JsonFeed;
        }
        if serde_json::from_str::<serde::de::IgnoredAny>(start).is_ok() {
            return Format::Json;
        }
        let mut lines = start.lines().filter(|l| !l.trim().is_empty());
        let first_is_object = lines.next().is_some_and(|l| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(l).is_ok()
        });
        if first_is_object || matches!(extension, Some("jsonl" | "ndjson")) {
            return Format::JsonLines;
        }
        if matches!(extension, Some("json")) {
            return Format::Json;
        }
    }
    if super::markdown::has_front_matter(text) {
        return Format::Markdown;
    }
    if matches!(extension, Some("md" | "markdown" | "mdown" | "mkd")) {
        return Format::Markdown;
    }
    if super::page::looks_like_page(text) {
        return Format::Page;
    }
    Format::PlainText
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(
            detect_format("{\"title\":\"a\"}", Some("txt")),
            Format::Json
        );
        assert_eq!(detect_format("[{\"title\":\"a\"}]", None), Format::Json);
        assert_eq!(
            detect_format("{\"title\":\"a\"}\n{\"title\":\"b\"}\n", Some("json")),
            Format::JsonLines
        );
        assert_eq!(
            detect_format("---\ntitle: x\n---\nbody", Some("txt")),
            Format::Markdown
        );
        assert_eq!(
            detect_format("+++\ntitle = \"x\"\n+++\nbody", None),
            Format::Markdown
        );
        assert_eq!(
            detect_format("Title\n\nPara\n", Some("txt")),
            Format::PlainText
        );
        assert_eq!(
            detect_format("Title\n\nPara\n", Some("md")),
            Format::Markdown
        );
        assert_eq!(
            detect_format("Headline\nStandfirst\nPara\n", None),
            Format::Page
        );
        assert_eq!(detect_format("[broken json", Some("json")), Format::Json);
        assert_eq!(
            detect_format("[Not json] headline\n\nbody", Some("txt")),
            Format::PlainText
        );
    }

    #[test]
    fn detects_markup_and_feeds_by_content() {
        let rss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n<rss version=\"2.0\"><channel/></rss>";
        assert_eq!(detect_format(rss, Some("txt")), Format::Rss);
        let rdf = "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"x\"></rdf:RDF>";
        assert_eq!(detect_format(rdf, None), Format::Rss);
        let atom = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>";
        assert_eq!(detect_format(atom, None), Format::Atom);
        assert_eq!(
            detect_format("<!DOCTYPE html>\n<html><body></body></html>", Some("txt")),
            Format::Html
        );
        assert_eq!(detect_format("<html lang=en>", None), Format::Html);
        assert_eq!(detect_format("<div><p>Hi</p></div>", None), Format::Html);
        let feed = "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}";
        assert_eq!(detect_format(feed, Some("json")), Format::JsonFeed);
        // A headline that starts with a bracket is still text.
        assert_eq!(
            detect_format("<Untitled> notes\n\nbody", Some("txt")),
            Format::PlainText
        );
    }
}
