//! Turns article files into [`Article`]s: reading, decoding, format
//! detection, and one parser per format.

mod decode;
mod detect;
mod json;
mod markdown;
mod page;
mod plain;
mod quick;
pub mod sanitize;
mod text;
mod walk;

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::article::{Article, Format};

pub use decode::{MAX_FILE_SIZE, decode, read_text};
pub use detect::detect_format;
pub use plain::is_list_item;
pub use quick::quick_headlines;
pub use text::{parse_date, split_paragraphs};
pub use walk::{WalkEntry, WalkSkip, walk};

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
    pub articles: Vec<Article>,
    /// Things worth knowing that did not stop the load (lossy decoding, a bad record).
    pub warnings: Vec<String>,
}

/// Reads and parses one file. `Err` means it was skipped, with the reason.
pub fn load_file(path: &Path, modified: DateTime<Utc>) -> Result<Loaded, SkipReason> {
    let decoded = read_text(path)?;
    let ctx = FileContext::for_path(path, modified);
    let mut loaded = parse_text(&decoded.text, &ctx)?;
    if let Some(warning) = decoded.warning {
        loaded.warnings.insert(0, warning);
    }
    Ok(loaded)
}

/// Parses decoded text as `format`, whatever it looks like. The text is
/// sanitised here, once: JSON field by field, after its escapes are
/// decoded; everything else as a whole before parsing.
pub fn parse_as(raw: &str, format: Format, ctx: &FileContext) -> Loaded {
    match format {
        Format::Json | Format::JsonLines => json::parse(raw, format, ctx),
        _ => {
            let clean = sanitize::sanitize(raw);
            match format {
                Format::Page => page::parse(&clean, ctx),
                Format::Markdown => markdown::parse(&clean, ctx),
                _ => plain::parse(&clean, ctx),
            }
        }
    }
}

/// Parses already-decoded text, in the format it looks like.
pub fn parse_text(raw: &str, ctx: &FileContext) -> Result<Loaded, SkipReason> {
    if raw.is_empty() {
        return Err(SkipReason::Empty);
    }
    if raw.trim().is_empty() {
        return Err(SkipReason::Blank);
    }
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
