//! Exporting stories: JSON, Markdown, or one standalone HTML page.
//!
//! [`gather`] reads the stories and their related lists from the store; the
//! formatting functions ([`json`], [`markdown`], [`markdown_stream`],
//! [`html`]) are pure functions of what it gathered; [`write_to`] puts an
//! export on disk atomically. The command line (`byline export`) and the
//! interface both go through here.
//!
//! JSON and Markdown are written so that byline reads them back as the same
//! stories: the same headlines (so the same IDs) and the same paragraphs.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::article::Article;
use crate::article::ArticleId;
use crate::loader::sanitize::display_path;
use crate::store::Store;

/// The formats `byline export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Json,
    Html,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "markdown",
            ExportFormat::Json => "json",
            ExportFormat::Html => "html",
        }
    }
}

/// Another story an exported story points to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub id: ArticleId,
    /// None when the store does not have the story.
    pub title: Option<String>,
}

/// One story as exported: the whole story and its related lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub story: Article,
    /// The stories its page listed, in order.
    pub on_page: Vec<Link>,
    /// The stories most related by content, best first.
    pub related: Vec<Link>,
}

/// Errors writing an export, written for users.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {error}")]
    Write { path: String, error: std::io::Error },
    #[error("{path} is a folder; a {format} export is one file, so give a file name")]
    IsFolder { path: String, format: &'static str },
    #[error(
        "{path} is not a folder; a Markdown export is a folder of <ID>.md files, \
         one story a file as byline reads them, so give a folder \
         (or no --out, to print the stories one after another)"
    )]
    NotFolder { path: String },
}

/// Reads the stories `ids` from the store, with the stories each one's page
/// listed and its `related` most related stories by content (building the
/// related engine if there is none yet; 0 asks for none). IDs the store
/// does not have are passed over.
pub fn gather(
    store: &Store,
    ids: &[ArticleId],
    related: usize,
) -> crate::store::Result<Vec<Exported>> {
    let mut index = crate::related::SimilarIndex::new();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(story) = store.story(id)? else {
            continue;
        };
        let mut on_page = Vec::with_capacity(story.related_on_page.len());
        for other in &story.related_on_page {
            on_page.push(Link {
                id: other.clone(),
                title: store.summary(other)?.map(|s| s.title.into()),
            });
        }
        let related = if related == 0 {
            Vec::new()
        } else {
            index
                .related(store, id, related, true)?
                .unwrap_or_default()
                .into_iter()
                .map(|(s, _)| Link {
                    id: s.id,
                    title: Some(s.title.into()),
                })
                .collect()
        };
        out.push(Exported {
            story,
            on_page,
            related,
        });
    }
    Ok(out)
}

/// The export of `stories` as one text: JSON, the HTML page, or the
/// Markdown documents one after another.
pub fn render(format: ExportFormat, stories: &[Exported]) -> String {
    match format {
        ExportFormat::Json => json(stories),
        ExportFormat::Markdown => markdown_stream(stories),
        ExportFormat::Html => html(stories),
    }
}

/// Writes the export of `stories` to `out`: a file for JSON and HTML, a
/// folder of `<ID>.md` files for Markdown (created if needed; files of other
/// IDs are left alone). Every file is written atomically.
pub fn write_to(out: &Path, format: ExportFormat, stories: &[Exported]) -> Result<(), ExportError> {
    if format == ExportFormat::Markdown {
        return write_markdown_folder(out, stories);
    }
    if out.is_dir() {
        return Err(ExportError::IsFolder {
            path: display_path(out),
            format: format.as_str(),
        });
    }
    write_atomic(out, render(format, stories).as_bytes())
}

fn write_markdown_folder(dir: &Path, stories: &[Exported]) -> Result<(), ExportError> {
    let is_md = dir
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if (dir.exists() && !dir.is_dir()) || (is_md && !dir.exists()) {
        return Err(ExportError::NotFolder {
            path: display_path(dir),
        });
    }
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: display_path(dir),
        error: source,
    })?;
    for e in stories {
        write_atomic(
            &dir.join(markdown_file_name(&e.story.id)),
            markdown(e).as_bytes(),
        )?;
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (see [`crate::atomic`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic::write(path, bytes).map_err(|source| ExportError::Write {
        path: display_path(path),
        error: source,
    })
}

/// The file a story's Markdown goes to: `<ID>.md`.
pub fn markdown_file_name(id: &ArticleId) -> String {
    let safe: String = id
        .as_str()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{}.md", if safe.is_empty() { "story" } else { &safe })
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

// ---------------------------------------------------------------- JSON

#[derive(Serialize)]
struct JsonStory<'a> {
    id: &'a ArticleId,
    title: &'a str,
    source: Option<&'a str>,
    published: Option<DateTime<Utc>>,
    url: Option<&'a str>,
    author: Option<&'a str>,
    tags: &'a [String],
    standfirst: Option<&'a str>,
    caption: Option<&'a str>,
    credit: Option<&'a str>,
    /// What JSON readers (byline's among them) take as the text.
    body: String,
    paragraphs: &'a [String],
    files: &'a [String],
    related_on_page: Vec<&'a ArticleId>,
    related: &'a [Link],
}

/// A JSON array of the stories. `body` holds the paragraphs as byline's
/// JSON reader splits them back; `paragraphs` holds them as a list.
pub fn json(stories: &[Exported]) -> String {
    let items: Vec<JsonStory> = stories
        .iter()
        .map(|e| {
            let s = &e.story;
            JsonStory {
                id: &s.id,
                title: &s.title,
                source: s.source.as_deref(),
                published: s.published,
                url: s.url.as_deref(),
                author: s.author.as_deref(),
                tags: &s.tags,
                standfirst: s.standfirst.as_deref(),
                caption: s.caption.as_deref(),
                credit: s.credit.as_deref(),
                body: json_body(&s.paragraphs),
                paragraphs: &s.paragraphs,
                files: &s.files,
                related_on_page: e.on_page.iter().map(|l| &l.id).collect(),
                related: &e.related,
            }
        })
        .collect();
    // Strings and plain structs always serialise.
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

/// The paragraphs as one body that byline's JSON reader splits into the
/// same paragraphs: joined by blank lines (with a trailing one when a lone
/// paragraph has line breaks, so its lines stay one paragraph), or as HTML
/// paragraphs when the text itself would be read as HTML.
pub fn json_body(paragraphs: &[String]) -> String {
    let mut body = paragraphs.join("\n\n");
    if body.contains("</p>") || body.contains("<br") {
        body.clear();
        for p in paragraphs {
            body.push_str("<p>");
            // A line break inside a paragraph (a list) is markup in HTML.
            body.push_str(&escape_html(p).replace('\n', "<br>"));
            body.push_str("</p>");
        }
    } else if !body.contains("\n\n") && body.contains('\n') {
        body.push_str("\n\n");
    }
    body
}

// ---------------------------------------------------------------- Markdown

/// A YAML scalar on one line: single-quoted ('' for '), or double-quoted
/// with escapes when the text has line breaks or other control characters.
pub fn yaml_quote(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return format!("'{}'", text.replace('\'', "''"));
    }
    let mut out = String::with_capacity(text.len() + 8);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_field(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        let _ = writeln!(out, "{key}: {}", yaml_quote(value));
    }
}

fn yaml_list(out: &mut String, key: &str, items: impl ExactSizeIterator<Item = String>) {
    if items.len() == 0 {
        let _ = writeln!(out, "{key}: []");
        return;
    }
    let _ = writeln!(out, "{key}:");
    for item in items {
        let _ = writeln!(out, "  - {item}");
    }
}

fn yaml_links(out: &mut String, key: &str, links: &[Link]) {
    let items = links.iter().map(|l| match &l.title {
        Some(title) => format!(
            "{{id: {}, title: {}}}",
            yaml_quote(l.id.as_str()),
            yaml_quote(title)
        ),
        None => format!("{{id: {}}}", yaml_quote(l.id.as_str())),
    });
    yaml_list(out, key, items);
}

/// Is `text` (after an `&`) the rest of an HTML entity, as in `&amp;`?
fn starts_entity(text: &str) -> bool {
    let name = text.strip_prefix('#').unwrap_or(text);
    let len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
    len > 0 && name[len..].starts_with(';')
}

/// One line of a paragraph as Markdown that reads back as the same text,
/// in byline and in other Markdown readers: a list item keeps its marker,
/// and every character Markdown would take as markup is backslash-escaped.
pub fn escape_markdown_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let rest = if crate::loader::is_list_item(line) {
        // The marker, up to its space: it keeps the item on a line of its own.
        let end = line.trim_start().find(' ').unwrap_or(0) + 1;
        let end = end + (line.len() - line.trim_start().len());
        out.push_str(&line[..end]);
        &line[end..]
    } else {
        line
    };
    let at_line_start = out.is_empty();
    for (i, c) in rest.char_indices() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' => true,
            '&' => starts_entity(&rest[i + 1..]),
            // Headings, quotes, fences, rules and list markers start a line.
            '#' | '>' | '~' | '-' | '+' | '=' | '|' => at_line_start && i == 0,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One story as a Markdown document: YAML front matter (title, source,
/// date, url, author and tags, which byline reads back, then the ID,
/// standfirst, caption, credit, files and related lists), a blank line,
/// then the paragraphs.
pub fn markdown(e: &Exported) -> String {
    let s = &e.story;
    let mut out = String::from("---\n");
    yaml_field(&mut out, "id", Some(s.id.as_str()));
    yaml_field(&mut out, "title", Some(&s.title));
    yaml_field(&mut out, "source", s.source.as_deref());
    if let Some(t) = s.published {
        let _ = writeln!(out, "date: {}", rfc3339(t));
    }
    yaml_field(&mut out, "url", s.url.as_deref());
    yaml_field(&mut out, "author", s.author.as_deref());
    yaml_list(&mut out, "tags", s.tags.iter().map(|t| yaml_quote(t)));
    yaml_field(&mut out, "standfirst", s.standfirst.as_deref());
    yaml_field(&mut out, "caption", s.caption.as_deref());
    yaml_field(&mut out, "credit", s.credit.as_deref());
    yaml_list(&mut out, "files", s.files.iter().map(|f| yaml_quote(f)));
    yaml_links(&mut out, "related_on_page", &e.on_page);
    yaml_links(&mut out, "related", &e.related);
    out.push_str("---\n");
    for p in &s.paragraphs {
        out.push('\n');
        for line in p.lines() {
            out.push_str(&escape_markdown_line(line));
            out.push('\n');
        }
    }
    out
}

/// Every story's Markdown document, one after another, a blank line
/// between. Each starts with its `---` line; no line of a body is `---`.
pub fn markdown_stream(stories: &[Exported]) -> String {
    let docs: Vec<String> = stories.iter().map(markdown).collect();
    docs.join("\n")
}

// ---------------------------------------------------------------- HTML

/// Text made safe inside HTML elements and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
:root { color-scheme: light dark; }
body { margin: 0; background: #fdfdfc; color: #1f2328;
  font: 17px/1.6 system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif; }
main { max-width: 42rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 .4rem; }
h3 { font-size: .8rem; letter-spacing: .05em; text-transform: uppercase; margin: 1.5rem 0 .3rem; }
a { color: #0969da; }
.meta, .count, h3, .caption, .tags, .missing { color: #59636e; }
.meta, .tags { font-size: .9rem; }
.standfirst { font-size: 1.1rem; font-weight: 500; }
.caption { font-style: italic; }
nav ol { padding-left: 1.5rem; }
article { border-top: 1px solid #d0d7de; margin-top: 2.5rem; padding-top: 1.5rem; }
.related ul { padding-left: 1.25rem; margin: 0; }
code { font-size: .85em; }
@media (prefers-color-scheme: dark) {
  body { background: #0d1117; color: #e6edf3; }
  a { color: #4493f8; }
  .meta, .count, h3, .caption, .tags, .missing { color: #9198a1; }
  article { border-color: #30363d; }
}
";

fn anchor(id: &ArticleId) -> String {
    format!("story-{}", escape_html(id.as_str()))
}

fn html_links(out: &mut String, heading: &str, links: &[Link], exported: &HashSet<&ArticleId>) {
    if links.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section class=\"related\"><h3>{}</h3>\n<ul>",
        escape_html(heading)
    );
    for link in links {
        let title = link.title.as_deref().map(escape_html);
        let id = escape_html(link.id.as_str());
        match title {
            Some(title) if exported.contains(&link.id) => {
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\">{title}</a></li>",
                    anchor(&link.id)
                );
            }
            Some(title) => {
                let _ = writeln!(out, "<li>{title} <code>{id}</code></li>");
            }
            None => {
                let _ = writeln!(
                    out,
                    "<li class=\"missing\"><code>{id}</code> (not in the store)</li>"
                );
            }
        }
    }
    out.push_str("</ul></section>\n");
}

/// A link only for web addresses: any other scheme (`javascript:`) is text.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// One standalone HTML page (inline CSS, no scripts, nothing fetched)
/// with a list of contents and every story: headline, meta line,
/// standfirst, paragraphs, caption, tags and related lists. All text is
/// escaped.
pub fn html(stories: &[Exported]) -> String {
    let exported: HashSet<&ArticleId> = stories.iter().map(|e| &e.story.id).collect();
    let count = match stories.len() {
        1 => "1 story".to_owned(),
        n => format!("{n} stories"),
    };
    let mut out = String::with_capacity(4096 + stories.len() * 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"byline\">\n\
         <title>byline: {count}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <header><h1>byline export</h1><p class=\"count\">{count}</p></header>\n"
    );
    if stories.is_empty() {
        out.push_str("<p>No stories.</p>\n");
    } else {
        out.push_str("<nav><ol>\n");
        for e in stories {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                anchor(&e.story.id),
                escape_html(&e.story.title)
            );
        }
        out.push_str("</ol></nav>\n");
    }
    for e in stories {
        html_story(&mut out, e, &exported);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A story's meta line in HTML: source, time, credit, author, ID and link.
fn html_meta(s: &Article) -> String {
    let mut meta = Vec::new();
    if let Some(source) = &s.source {
        meta.push(escape_html(source));
    }
    if let Some(t) = s.published {
        meta.push(format!(
            "<time datetime=\"{}\">{}</time>",
            rfc3339(t),
            t.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if let Some(credit) = &s.credit {
        meta.push(escape_html(credit));
    }
    if let Some(author) = &s.author {
        meta.push(format!("by {}", escape_html(author)));
    }
    meta.push(format!("ID <code>{}</code>", escape_html(s.id.as_str())));
    if let Some(url) = s.url.as_deref().filter(|u| is_web_url(u)) {
        meta.push(format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">original</a>",
            escape_html(url)
        ));
    }
    meta.join(" · ")
}

/// One story of the page: its parts as every reader of byline gives them
/// ([`crate::render::blocks`]), each escaped into its element.
fn html_story(out: &mut String, e: &Exported, exported: &HashSet<&ArticleId>) {
    use crate::render::{Context, Part, blocks};
    let s = &e.story;
    let _ = writeln!(
        out,
        "<article id=\"{}\">\n<h2>{}</h2>\n<p class=\"meta\">{}</p>",
        anchor(&s.id),
        escape_html(&s.title),
        html_meta(s)
    );
    for block in blocks(s, &Context::default()) {
        let text = escape_html(&block.text);
        let _ = match block.part {
            Part::Title | Part::Meta | Part::Ident => continue,
            // A link that is no web address (a file path) is shown, not linked.
            Part::Link if is_web_url(&block.text) => continue,
            Part::Link => writeln!(out, "<p class=\"meta\">{text}</p>"),
            Part::Standfirst => writeln!(out, "<p class=\"standfirst\">{text}</p>"),
            Part::Paragraph => writeln!(out, "<p>{}</p>", text.replace('\n', "<br>\n")),
            Part::Caption => writeln!(out, "<p class=\"caption\">{text}</p>"),
            Part::Tags => writeln!(out, "<p class=\"tags\">{text}</p>"),
        };
    }
    html_links(out, "Listed on its page", &e.on_page, exported);
    html_links(out, "Related", &e.related, exported);
    out.push_str("</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Format;
    use crate::loader::{FileContext, parse_as};

    const HOSTILE: &str = "<script>alert(\"x\" & 'y')</script>";

    /// The ID the loader gives a story with this headline and text.
    fn id_of(title: &str, standfirst: &str, paragraphs: &[&str]) -> ArticleId {
        let mut a = crate::article::Article::new(title.to_owned(), crate::article::Role::Main);
        a.standfirst = Some(standfirst.to_owned());
        a.paragraphs = paragraphs.iter().map(|p| (*p).to_owned()).collect();
        a.assign_id();
        a.id
    }

    fn story(title: &str, paragraphs: &[&str]) -> Exported {
        let mut story = Article::new(title.to_owned(), crate::article::Role::Main);
        story.id = id_of(title, "Two\nlines: 'quoted'", paragraphs);
        story.source = Some("Wire: \"Desk\"".to_owned());
        story.published = DateTime::from_timestamp(1_795_176_000, 0);
        story.url = Some("https://example.com/a?b=1&c='2'".to_owned());
        story.author = Some("O'Brien".to_owned());
        story.tags = vec!["a, b".to_owned(), "it's".to_owned()];
        story.standfirst = Some("Two\nlines: 'quoted'".to_owned());
        story.caption = Some("PHOTO: <img>".to_owned());
        story.paragraphs = paragraphs.iter().map(|p| (*p).to_owned()).collect();
        story.files = vec!["/lib/a file.txt".to_owned()];
        story.related_on_page = vec![ArticleId::for_story("Other: one", "")];
        Exported {
            story,
            on_page: vec![Link {
                id: ArticleId::for_story("Other: one", ""),
                title: Some("Other: one".to_owned()),
            }],
            related: vec![Link {
                id: ArticleId::for_story(HOSTILE, ""),
                title: Some(HOSTILE.to_owned()),
            }],
        }
    }

    fn ctx() -> FileContext {
        crate::test_support::ctx("export", "md")
    }

    /// Paragraphs full of Markdown and HTML look-alikes.
    const TRICKY: &[&str] = &[
        "Plain *stars*, __under__ and `ticks`, [a](link) and ![img](x.png).",
        "# Not a heading",
        "> not a quote",
        "```",
        "---",
        "~~~ tildes",
        "-5 degrees, +3 = warmer | colder",
        "A list:\n- one *item*\n* two\n12. three",
        "Back\\slash \\* and \\\\ and C:\\Users",
        "Q&A at AT&T; &amp; stays, &#39; too",
        "Tags <br> and </p> in text",
        "Quotes: \"double\" and 'single' and `back`",
    ];

    #[test]
    fn html_escapes_hostile_text() {
        let page = html(&[story(HOSTILE, &[HOSTILE])]);
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("<img>"));
        let escaped = "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;";
        // Headline, contents, paragraph and related list.
        assert_eq!(page.matches(escaped).count(), 4, "{page}");
        assert!(page.contains("Wire: &quot;Desk&quot;"));
        assert!(page.contains("href=\"https://example.com/a?b=1&amp;c=&#39;2&#39;\""));
        assert!(page.contains("by O&#39;Brien"));
        assert!(!page.contains("http-equiv") && !page.contains("<script"));
        assert!(!page.contains("src=") && !page.contains("<link"));
    }

    #[test]
    fn html_never_links_other_schemes() {
        let mut e = story("A", &["x"]);
        e.story.url = Some("javascript:alert(1)".to_owned());
        let page = html(&[e]);
        assert!(!page.contains("href=\"javascript"), "{page}");
        assert!(page.contains("javascript:alert(1)"));
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert!(html(&[]).contains("No stories."));
    }

    #[test]
    fn front_matter_quotes_titles_with_colons_and_quotes() {
        assert_eq!(
            yaml_quote("Breaking: it's \"here\""),
            "'Breaking: it''s \"here\"'"
        );
        assert_eq!(yaml_quote("two\nlines"), "\"two\\nlines\"");
        let title = "Breaking: it's \"here\" \\\" # not a comment";
        let doc = markdown(&story(title, &["Body."]));
        assert!(doc.starts_with("---\nid: '"), "{doc}");
        assert!(
            doc.contains("title: 'Breaking: it''s \"here\" \\\" # not a comment'\n"),
            "{doc}"
        );
        assert!(
            doc.contains("standfirst: \"Two\\nlines: 'quoted'\"\n"),
            "{doc}"
        );
        let loaded = parse_as(&doc, Format::Markdown, &ctx()).articles.remove(0);
        assert_eq!(loaded.title, title);
        assert_eq!(loaded.source.as_deref(), Some("Wire: \"Desk\""));
        assert_eq!(loaded.author.as_deref(), Some("O'Brien"));
        assert_eq!(loaded.tags, vec!["a, b", "it's"]);
        assert_eq!(
            loaded.url.as_deref(),
            Some("https://example.com/a?b=1&c='2'")
        );
        assert_eq!(loaded.published, DateTime::from_timestamp(1_795_176_000, 0));
    }

    #[test]
    fn markdown_paragraphs_read_back_unchanged() {
        let e = story("Tricky", TRICKY);
        let doc = markdown(&e);
        let loaded = parse_as(&doc, Format::Markdown, &ctx());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let a = &loaded.articles[0];
        assert_eq!(a.id, e.story.id);
        assert_eq!(a.paragraphs, TRICKY, "{doc}");
        // The stream splits at `---` lines: two per document.
        let stream = markdown_stream(&[e.clone(), story("Second", TRICKY)]);
        assert_eq!(
            stream.lines().filter(|l| *l == "---").count(),
            4,
            "{stream}"
        );
    }

    #[test]
    fn json_reads_back_unchanged() {
        let stories = [
            story("One: \"quoted\"", TRICKY),
            story("Lone list", &["Items:\n- a\n- b"]),
            story("Empty", &[]),
        ];
        let text = json(&stories);
        let loaded = parse_as(&text, Format::Json, &ctx());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.articles.len(), 3);
        for (a, e) in loaded.articles.iter().zip(&stories) {
            let s = &e.story;
            assert_eq!(a.id, s.id);
            assert_eq!(a.title, s.title);
            assert_eq!(a.paragraphs, s.paragraphs);
            assert_eq!(a.source, s.source);
            assert_eq!(a.published, s.published);
            assert_eq!(a.url, s.url);
            assert_eq!(a.author, s.author);
            assert_eq!(a.tags, s.tags);
        }
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value[0]["related"][0]["title"], HOSTILE);
        assert_eq!(
            value[0]["related_on_page"][0],
            ArticleId::for_story("Other: one", "").as_str()
        );
    }

    #[test]
    fn file_names_and_entities() {
        let id = ArticleId::from_raw("vy6gkt9zgx");
        assert_eq!(markdown_file_name(&id), "vy6gkt9zgx.md");
        assert_eq!(markdown_file_name(&ArticleId::from_raw("../x")), "x.md");
        assert!(starts_entity("amp; rest") && starts_entity("#39;"));
        assert!(!starts_entity("T") && !starts_entity(" ;"));
    }
}
