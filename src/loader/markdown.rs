//! Markdown with YAML (`---`) or TOML (`+++`) front matter.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::parse_date;
use super::plain::paragraphs;
use super::{FileContext, Loaded, clean_field, clean_line};
use crate::article::{Article, Format, Role};

/// The front matter fields byline uses.
#[derive(Debug, Default, PartialEq)]
struct FrontMatter {
    title: Option<String>,
    source: Option<String>,
    date: Option<String>,
    url: Option<String>,
    author: Option<String>,
    standfirst: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    tags: Vec<String>,
}

/// Splits `---` or `+++` front matter off the text: (front matter, body, is TOML).
fn split_front_matter(text: &str) -> Option<(&str, &str, bool)> {
    let first = text.lines().next()?.trim_end();
    let toml = match first {
        "---" => false,
        "+++" => true,
        _ => return None,
    };
    let rest = &text[text.find('\n')? + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == first || (!toml && line.trim_end() == "...") {
            return Some((&rest[..offset], &rest[offset + line.len()..], toml));
        }
        offset += line.len();
    }
    None
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    let quoted = v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')));
    if !quoted {
        v.to_owned()
    } else if v.starts_with('\'') {
        // YAML single quotes have one escape: '' for '.
        v[1..v.len() - 1].replace("''", "'")
    } else {
        unescape_double_quoted(&v[1..v.len() - 1])
    }
}

/// A YAML double-quoted string's escapes: `\"`, `\\`, `\n`, `\t`, `\uXXXX`...
fn unescape_double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The first of the private-use characters that stand in for escaped
/// ASCII punctuation while the inline patterns run.
const ESCAPED: u32 = 0xE000;

fn is_escape_stand_in(c: char) -> bool {
    (ESCAPED..ESCAPED + 0x80).contains(&(c as u32))
}

/// Replaces each backslash escape (`\*`: a backslash before ASCII
/// punctuation, as in CommonMark) by a stand-in no inline pattern matches.
/// None when there is nothing to escape, or the text already holds a
/// stand-in character (then backslashes are left as they are).
fn hide_escapes(text: &str) -> Option<String> {
    if !text.contains('\\') || text.chars().any(is_escape_stand_in) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                chars.next();
                out.push(char::from_u32(ESCAPED + next as u32).unwrap_or(next));
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Puts the escaped characters back, without their backslashes.
fn show_escapes(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_escape_stand_in(c) {
                char::from_u32(c as u32 - ESCAPED).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Reads the flat `key: value` YAML that front matter uses, with lists
/// written `[a, b]` or as `- item` lines.
fn parse_yaml(text: &str, warnings: &mut Vec<String>) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let mut list_key: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ") {
            if list_key
                .as_deref()
                .is_some_and(|k| k == "tags" || k == "categories")
            {
                fm.tags.push(unquote(item));
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            warnings.push(format!(
                "front matter line {}: expected `key: value`",
                n + 2
            ));
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        list_key = value.is_empty().then(|| key.clone());
        if value.is_empty() {
            continue;
        }
        set_field(&mut fm, &key, value);
    }
    fm
}

fn set_field(fm: &mut FrontMatter, key: &str, value: &str) {
    match key {
        "title" => fm.title = Some(unquote(value)),
        "source" | "site" | "publisher" => fm.source = Some(unquote(value)),
        "date" | "published" | "pubdate" => fm.date = Some(unquote(value)),
        "url" | "link" => fm.url = Some(unquote(value)),
        "author" | "byline" => fm.author = Some(unquote(value)),
        "standfirst" | "description" | "summary" | "subtitle" | "excerpt" => {
            fm.standfirst = Some(unquote(value))
        }
        "caption" => fm.caption = Some(unquote(value)),
        "credit" => fm.credit = Some(unquote(value)),
        "tags" | "categories" => {
            let inner = value.trim_start_matches('[').trim_end_matches(']');
            fm.tags = inner
                .split(',')
                .map(unquote)
                .filter(|t| !t.is_empty())
                .collect();
        }
        _ => {}
    }
}

fn parse_toml(text: &str, warnings: &mut Vec<String>) -> FrontMatter {
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            warnings.push(format!("TOML front matter: {}", e.message()));
            return FrontMatter::default();
        }
    };
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| match table.get(*k)? {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Datetime(d) => Some(d.to_string()),
            other => Some(other.to_string()),
        })
    };
    let tags = ["tags", "categories"]
        .iter()
        .find_map(|k| table.get(*k)?.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    FrontMatter {
        title: get(&["title"]),
        source: get(&["source", "site", "publisher"]),
        date: get(&["date", "published", "pubdate"]),
        url: get(&["url", "link"]),
        author: get(&["author", "byline"]),
        standfirst: get(&[
            "standfirst",
            "description",
            "summary",
            "subtitle",
            "excerpt",
        ]),
        caption: get(&["caption"]),
        credit: get(&["credit"]),
        tags,
    }
}

/// Inline Markdown reduced to its text: links and images to their text,
/// emphasis and code marks dropped, backslash escapes (`\*`, `\_`, `\[`...)
/// read as the characters they escape.
pub fn strip_inline(text: &str) -> String {
    static IMAGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"!\[([^\]]*)\]\([^)]*\)").unwrap());
    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]+)\]\([^)]*\)").unwrap());
    static STRONG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)").unwrap());
    static EMPHASIS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\*(\S(?:[^*]*?\S)?)\*").unwrap());
    static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`([^`]+)`").unwrap());
    let hidden = hide_escapes(text);
    // Character references, but not escaped ones (`\&amp;` stays as written).
    let decoded = super::clean_field(hidden.as_deref().unwrap_or(text));
    let text = IMAGE.replace_all(&decoded, "$1");
    let text = LINK.replace_all(&text, "$1");
    let text = STRONG.replace_all(&text, "$2");
    let text = EMPHASIS.replace_all(&text, "$1");
    let text = CODE.replace_all(&text, "$1");
    if hidden.is_some() {
        show_escapes(&text)
    } else {
        text.into_owned()
    }
}

/// The body as plain lines: inline markup stripped, a heading a paragraph
/// of its own, fenced code kept as it is. The first `# ` heading is the
/// title when `wants_title` (front matter gave none), and is taken out.
fn body_lines(body: &str, wants_title: bool) -> (Option<String>, Vec<String>) {
    let mut in_fence = false;
    let mut heading_title = None;
    let mut lines = Vec::new();
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(line.to_owned());
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix('#') {
            let heading = strip_inline(heading.trim_start_matches('#').trim());
            if wants_title && heading_title.is_none() && trimmed.starts_with("# ") {
                heading_title = Some(heading);
                continue;
            }
            // A heading is a paragraph of its own.
            lines.extend([String::new(), heading, String::new()]);
            continue;
        }
        let trimmed = trimmed.trim_start_matches("> ");
        lines.push(strip_inline(trimmed));
    }
    (heading_title, lines)
}

/// Parses Markdown; `text` is already sanitised.
pub fn parse(text: &str, ctx: &FileContext) -> Loaded {
    let mut warnings = Vec::new();
    let (fm, body) = match split_front_matter(text) {
        Some((fm, body, true)) => (parse_toml(fm, &mut warnings), body),
        Some((fm, body, false)) => (parse_yaml(fm, &mut warnings), body),
        None => (FrontMatter::default(), text),
    };
    let (heading_title, lines) = body_lines(body, fm.title.is_none());
    let title = fm
        .title
        .clone()
        .or(heading_title)
        .or_else(|| ctx.stem.clone())
        .map(|t| clean_line(&t))
        .unwrap_or_default();
    let mut article = Article::new(title, Role::Main);
    article.paragraphs = paragraphs(lines.iter().map(String::as_str));
    article.source = fm
        .source
        .map(|s| clean_line(&s))
        .or_else(|| ctx.folder.clone());
    article.published = match fm.date.as_deref() {
        Some(d) => parse_date(d).or_else(|| {
            warnings.push(format!(
                "front matter date `{}` not understood",
                clean_line(d)
            ));
            None
        }),
        None => Some(ctx.modified),
    };
    article.url = fm.url.map(|u| clean_line(&u));
    article.author = fm.author.map(|a| clean_line(&a));
    article.standfirst = fm
        .standfirst
        .map(|s| clean_field(&s))
        .filter(|s| !s.is_empty());
    article.caption = fm.caption.map(|c| clean_line(&c)).filter(|c| !c.is_empty());
    article.credit = fm.credit.map(|c| clean_line(&c)).filter(|c| !c.is_empty());
    article.tags = fm.tags.iter().map(|t| clean_line(t)).collect();
    Loaded::new(Format::Markdown, vec![article], warnings)
}

/// Does this text start with front matter?
pub fn has_front_matter(text: &str) -> bool {
    split_front_matter(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FileContext {
        crate::test_support::ctx("notes", "md")
    }

    #[test]
    fn yaml_front_matter() {
        let text = "---\ntitle: \"Night buses return\"\nsource: City Desk\ndate: 2026-11-20T08:30:00Z\nurl: https://example.com/a\nauthor: Jo\ntags: [transport, city]\n---\nThe **first** bus runs at [midnight](https://x).\n\n## Routes\n\n- Route 1\n- Route 2\n";
        let a = parse(text, &ctx()).articles.remove(0);
        assert_eq!(a.title, "Night buses return");
        assert_eq!(a.source.as_deref(), Some("City Desk"));
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2026-11-20T08:30:00+00:00"
        );
        assert_eq!(a.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(a.tags, vec!["transport", "city"]);
        assert_eq!(
            a.paragraphs,
            vec![
                "The first bus runs at midnight.",
                "Routes",
                "- Route 1\n- Route 2"
            ]
        );
    }

    #[test]
    fn yaml_list_tags_and_toml() {
        let fm = parse_yaml("title: A\ntags:\n  - x\n  - 'y'\n", &mut Vec::new());
        assert_eq!(fm.tags, vec!["x", "y"]);
        let text = "+++\ntitle = \"Toml story\"\ndate = 2026-11-19T07:00:00Z\ntags = [\"a\"]\n+++\nBody.\n";
        let a = parse(text, &ctx()).articles.remove(0);
        assert_eq!(a.title, "Toml story");
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2026-11-19T07:00:00+00:00"
        );
        assert_eq!(a.tags, vec!["a"]);
        assert_eq!(a.source.as_deref(), Some("notes"));
    }

    #[test]
    fn heading_is_title_without_front_matter() {
        let a = parse("# The heading\n\nText *here*.\n", &ctx())
            .articles
            .remove(0);
        assert_eq!(a.title, "The heading");
        assert_eq!(a.paragraphs, vec!["Text here."]);
    }

    #[test]
    fn backslash_escapes_and_single_quotes() {
        assert_eq!(
            strip_inline(r"\*not emphasis\* \_\_nor strong\_\_ \[a\](b) \`c\` C:\Users \\"),
            r"*not emphasis* __nor strong__ [a](b) `c` C:\Users \"
        );
        assert_eq!(strip_inline(r"*a \* b*"), "a * b");
        // A text already holding a stand-in character keeps its backslashes.
        assert_eq!(strip_inline("\u{E02A} \\*"), "\u{E02A} \\*");
        let text = "---\ntitle: 'It''s \\\"odd\\\": a test'\n---\n\\# Not a heading\n";
        let a = parse(text, &ctx()).articles.remove(0);
        assert_eq!(a.title, r#"It's \"odd\": a test"#);
        assert_eq!(a.paragraphs, vec!["# Not a heading"]);
    }

    #[test]
    fn bad_toml_is_a_warning() {
        let loaded = parse("+++\ntitle = \n+++\nBody\n", &ctx());
        assert_eq!(loaded.warnings.len(), 1);
        assert_eq!(loaded.articles[0].title, "story");
    }
}
