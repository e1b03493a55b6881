//! Format detection from a file's content; the extension is only a hint.

use crate::article::Format;

/// Picks the format of `text`. `extension` (lower case, no dot) breaks ties.
pub fn detect_format(text: &str, extension: Option<&str>) -> Format {
    let start = text.trim_start_matches('\u{FEFF}').trim_start();
    if start.starts_with('{') || start.starts_with('[') {
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
}
