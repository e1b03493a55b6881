//! Turns article files into [`Article`]s: reading, decoding, sanitising,
//! format detection, and one parser per format.
//!
//! Every file goes the same way: bytes are decoded (any encoding), escape
//! sequences are removed ([`sanitize`]) before anything else looks at the
//! text, the format is detected from the content, its parser runs, and
//! each story gets its ID. The parse of one file is contained: a parser
//! that panics costs that file (skipped with a reason), never the library.

pub mod boilerplate;
mod contain;
mod dates;
mod decode;
mod detect;
mod feed;
mod furniture;
mod html;
mod html_text;
mod json;
mod markdown;
mod page;
mod plain;
pub mod sanitize;
mod sentences;
mod walk;

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::article::{Article, Format};

pub use contain::{contain, install_panic_filter};
pub use dates::{When, epoch_number, parse_age, parse_date, parse_date_in, parse_when};
pub use decode::{Decoded, MAX_FILE_SIZE, decode, read_text};
pub use detect::detect_format;
pub use html_text::paragraphs as html_paragraphs;
pub use plain::is_list_item;
pub use sentences::{split_paragraphs, split_sentences};
pub use walk::{Ignore, WalkEntry, WalkSkip, walk};

/// Why a file was not loaded. Written for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("empty file")]
    Empty,
    #[error("only white space")]
    Blank,
    #[error("binary file (NUL byte near the start)")]
    Binary,
    #[error("larger than the {limit} MiB limit ({size} bytes)", limit = MAX_FILE_SIZE >> 20)]
    TooLarge { size: u64 },
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    #[error("cannot read: {0}")]
    Io(String),
    #[error("no story found: {0}")]
    NoStory(String),
    /// Passed over on purpose: not an article, or an ignore rule.
    #[error("ignored: {0}")]
    Ignored(String),
    /// A parser panicked on this file.
    #[error("internal error while parsing (please report): {0}")]
    Internal(String),
}

impl SkipReason {
    /// Whether the file was passed over on purpose rather than failing.
    pub fn is_ignored(&self) -> bool {
        matches!(self, SkipReason::Ignored(_))
    }
}

/// What the parsers know about a file besides its text.
#[derive(Debug, Clone)]
pub struct FileContext {
    /// The file's modification time: when the page was scraped.
    pub modified: DateTime<Utc>,
    /// The parent folder's name, the fallback source.
    pub folder: Option<String>,
    /// The file name's extension, a hint for the format.
    pub extension: Option<String>,
    /// The file name without its extension, the fallback title.
    pub stem: Option<String>,
}

impl FileContext {
    pub fn for_path(path: &Path, modified: DateTime<Utc>) -> Self {
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| sanitize::sanitize_line(&n.to_string_lossy()))
            .filter(|n| !n.is_empty());
        FileContext {
            modified,
            folder,
            extension: path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase()),
            stem: path
                .file_stem()
                .map(|s| sanitize::sanitize_line(&s.to_string_lossy())),
        }
    }
}

/// The stories found in one file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub format: Format,
    /// The encoding the file was read in ("UTF-8", "windows-1252", "GBK"...).
    pub encoding: &'static str,
    pub articles: Vec<Article>,
    /// Things worth knowing that did not stop the load (lossy decoding, a bad record).
    pub warnings: Vec<String>,
}

impl Loaded {
    pub fn new(format: Format, articles: Vec<Article>, warnings: Vec<String>) -> Loaded {
        Loaded {
            format,
            encoding: "UTF-8",
            articles,
            warnings,
        }
    }
}

/// Reads and parses one file. `Err` means it was skipped, with the reason.
pub fn load_file(path: &Path, modified: DateTime<Utc>) -> Result<Loaded, SkipReason> {
    contain::contain(|| {
        let decoded = read_text(path)?;
        let ctx = FileContext::for_path(path, modified);
        parse_decoded(decoded, &ctx)
    })
}

/// Parses a decoded file, keeping its encoding and any decoding warning.
fn parse_decoded(decoded: Decoded, ctx: &FileContext) -> Result<Loaded, SkipReason> {
    let mut loaded = parse_uncontained(&decoded.text, ctx)?;
    loaded.encoding = decoded.encoding;
    if let Some(warning) = decoded.warning {
        loaded.warnings.insert(0, warning);
    }
    Ok(loaded)
}

/// Parses `raw` as `format`, whatever it looks like: the text is sanitised
/// first, then parsed, then every story gets its ID. Not contained: a
/// panic here is a bug for the fuzzers to find.
pub fn parse_as(raw: &str, format: Format, ctx: &FileContext) -> Loaded {
    let clean = sanitize::sanitize(raw);
    let mut loaded = match format {
        Format::Json | Format::JsonLines => json::parse(&clean, format, ctx),
        Format::Html => html::parse(&clean, ctx),
        Format::Rss | Format::Atom | Format::JsonFeed => feed::parse(&clean, format, ctx),
        // Markdown decodes character references as it reads inline text,
        // where a backslash can escape one.
        Format::Markdown => markdown::parse(&clean, ctx),
        Format::Page | Format::PlainText => {
            // Character references (`&#163;`, `&rsquo;`) in text formats; the
            // structured formats decode them field by field.
            let text = match decode_entities(&clean) {
                std::borrow::Cow::Borrowed(_) => clean,
                // What the references named is sanitised in its turn.
                std::borrow::Cow::Owned(decoded) => sanitize::sanitize(&decoded),
            };
            match format {
                Format::Page => page::parse(&text, ctx),
                _ => plain::parse(&text, ctx),
            }
        }
    };
    for article in &mut loaded.articles {
        article.bound_title();
        article.assign_id();
    }
    loaded
}

/// The headlines of a page or plain-text file, for a large first index to
/// show the list long before every story is parsed: the file's own story
/// and the stories a page lists, with sources and times but no text (so
/// without their IDs, which come from the text). Other formats give none
/// here; the full parse brings them. Contained, as a parse is.
pub fn quick_headlines(path: &Path, modified: DateTime<Utc>) -> Result<Vec<Article>, SkipReason> {
    contain::contain(|| {
        let decoded = read_text(path)?;
        let ctx = FileContext::for_path(path, modified);
        // No pass over the whole text: what is shown is sanitised below.
        let text = &decoded.text;
        let mut found = match detect_format(text, ctx.extension.as_deref()) {
            Format::Page => page::headlines(text, &ctx),
            Format::PlainText => {
                let title = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                let mut a = Article::new(title.to_owned(), crate::article::Role::Main);
                a.source = ctx.folder.clone();
                a.published = Some(ctx.modified);
                vec![a]
            }
            _ => Vec::new(),
        };
        for a in &mut found {
            a.bound_title();
            a.title = sanitize::sanitize_line(&a.title);
            a.source = a.source.as_deref().map(sanitize::sanitize_line);
        }
        found.retain(|a| !a.title.is_empty());
        Ok(found)
    })
}

/// Decodes HTML character references, named and numeric. Control
/// characters they name stay as written, for the sanitiser to judge.
pub fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('&') {
        html_escape::decode_html_entities(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A field of a structured format (JSON, a feed, HTML metadata) made safe:
/// character references decoded, then sanitised.
pub(crate) fn clean_field(text: &str) -> String {
    sanitize::sanitize(&decode_entities(text))
}

/// [`clean_field`] for a field that must stay on one line.
pub(crate) fn clean_line(text: &str) -> String {
    sanitize::collapse_whitespace(&clean_field(text))
}

/// Parses already-decoded text, in the format it looks like. Contained: a
/// parser that panics gives [`SkipReason::Internal`].
pub fn parse_text(raw: &str, ctx: &FileContext) -> Result<Loaded, SkipReason> {
    contain::contain(|| parse_uncontained(raw, ctx))
}

fn parse_uncontained(raw: &str, ctx: &FileContext) -> Result<Loaded, SkipReason> {
    if raw.is_empty() {
        return Err(SkipReason::Empty);
    }
    if raw.trim().is_empty() {
        return Err(SkipReason::Blank);
    }
    test_panic(raw);
    let format = detect_format(raw, ctx.extension.as_deref());
    let mut loaded = parse_as(raw, format, ctx);
    loaded.articles.retain(|a| !a.title.is_empty());
    if loaded.articles.is_empty() {
        let why = loaded
            .warnings
            .first()
            .cloned()
            .unwrap_or_else(|| format!("no {} story with a title", format.as_str()));
        return Err(SkipReason::NoStory(why));
    }
    Ok(loaded)
}

/// For the containment tests through the binary: in a debug build, a file
/// holding the text of `BYLINE_TEST_PARSER_PANIC` makes the parser panic.
fn test_panic(raw: &str) {
    #[cfg(debug_assertions)]
    if let Some(marker) = std::env::var_os("BYLINE_TEST_PARSER_PANIC")
        && let Some(marker) = marker.to_str()
        && !marker.is_empty()
        && raw.contains(marker)
    {
        panic!("test panic in a parser (BYLINE_TEST_PARSER_PANIC)");
    }
    #[cfg(not(debug_assertions))]
    let _ = raw;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FileContext {
        crate::test_support::ctx("lib", "txt")
    }

    #[test]
    fn entities_are_decoded_in_text_formats() {
        let loaded = parse_text(
            "Fee of &#163;5m\n\nIt&rsquo;s done &amp; dusted&#8217; &eacute;t&eacute; &#27;[2J.\n",
            &ctx(),
        )
        .unwrap();
        let a = &loaded.articles[0];
        assert_eq!(a.title, "Fee of £5m");
        // A reference to a control character stays as written: never a control.
        assert_eq!(a.paragraphs, vec!["It’s done & dusted’ été &#27;[2J."]);
    }

    #[test]
    fn escapes_go_before_parsing() {
        let loaded = parse_text(
            "Bus fares to rise \x1b[31mslightly\x1b[0m from December\n\nBody.\n",
            &ctx(),
        )
        .unwrap();
        assert_eq!(
            loaded.articles[0].title,
            "Bus fares to rise slightly from December"
        );
        let page = parse_text(
            "Crowds at the pier\nCrowds gather at the pier. \x1b[2J\x1b[H PHOTO: AFP\nBody here.\n",
            &ctx(),
        )
        .unwrap();
        assert_eq!(page.articles[0].caption.as_deref(), Some("PHOTO: AFP"));
        assert_eq!(
            page.articles[0].standfirst.as_deref(),
            Some("Crowds gather at the pier.")
        );
    }

    #[test]
    fn every_story_gets_its_id() {
        let loaded = parse_text("Title\n\nBody words here.\n", &ctx()).unwrap();
        let a = &loaded.articles[0];
        assert_eq!(
            a.id,
            crate::article::ArticleId::for_story("Title", "Body words here.")
        );
    }
}
