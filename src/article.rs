//! The model: stories, their IDs and where they came from.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A story's stable short ID.
///
/// It is derived from the story's normalised headline, so it stays the same
/// across runs, renames and moves, and the same story found in several files
/// (a page's main story, the same story listed on another page, a second
/// scrape) gets the same ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(String);

/// Crockford's base32 alphabet, lower case: no i, l, o or u to misread.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Characters in an ID: 50 bits.
pub const ID_LEN: usize = 10;

impl ArticleId {
    /// The ID of a story with this headline (and, when the headline has no
    /// letters or digits at all, this text).
    pub fn for_story(title: &str, fallback_text: &str) -> Self {
        let mut key = normalize_title(title);
        if key.is_empty() {
            key = format!("\u{0}{}", normalize_title(fallback_text));
        }
        let hash = xxhash_rust::xxh3::xxh3_128(key.as_bytes());
        let mut id = String::with_capacity(ID_LEN);
        for i in 0..ID_LEN {
            let index = (hash >> (128 - 5 * (i + 1))) & 0x1f;
            id.push(ALPHABET[index as usize] as char);
        }
        ArticleId(id)
    }

    /// Wraps an ID read back from the store or typed by the user.
    pub fn from_raw(raw: impl Into<String>) -> Self {
        ArticleId(raw.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Could `text` be (a prefix of) an ID? Used to check user input.
    pub fn looks_like_id(text: &str) -> bool {
        !text.is_empty()
            && text.len() <= ID_LEN
            && text
                .bytes()
                .all(|b| ALPHABET.contains(&b.to_ascii_lowercase()))
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A headline reduced to what identifies it: lower-case letters and digits,
/// single spaces between words. Quotes, dashes and punctuation do not count.
pub fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_space = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            // An apostrophe joins ("Putin's" = "Putins"); anything else splits.
            pending_space = true;
        }
    }
    out
}

/// The file formats byline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A scraped news page with a "Related Articles" block.
    Page,
    /// A title line, a blank line, then paragraphs.
    PlainText,
    /// Markdown, with YAML or TOML front matter.
    Markdown,
    /// One JSON object or an array of them.
    Json,
    /// One JSON object per line.
    JsonLines,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Page => "page",
            Format::PlainText => "text",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "page" => Format::Page,
            "text" => Format::PlainText,
            "markdown" => Format::Markdown,
            "json" => Format::Json,
            "jsonl" => Format::JsonLines,
            _ => return None,
        })
    }
}

/// How a story appeared in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The file's own story (a page's main story, a record of a feed).
    Main,
    /// A story listed in a page's "Related Articles" block.
    Listed,
}

/// One story as parsed from one file. All text is already sanitised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub role: Role,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub tags: Vec<String>,
    pub standfirst: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub paragraphs: Vec<String>,
    /// The stories its page listed under "Related Articles", in order.
    pub related_on_page: Vec<ArticleId>,
}

impl Article {
    /// A story with a title and nothing else yet; its ID follows the title.
    pub fn new(title: String, role: Role) -> Self {
        Article {
            id: ArticleId::for_story(&title, ""),
            role,
            title,
            source: None,
            published: None,
            url: None,
            author: None,
            tags: Vec::new(),
            standfirst: None,
            caption: None,
            credit: None,
            paragraphs: Vec::new(),
            related_on_page: Vec::new(),
        }
    }

    /// Characters of readable text: how "full" this copy of the story is.
    pub fn text_len(&self) -> usize {
        self.standfirst.as_deref().map_or(0, str::len)
            + self.paragraphs.iter().map(String::len).sum::<usize>()
    }

    /// The standfirst and paragraphs as one string, for indexing.
    pub fn body_text(&self) -> String {
        let mut text = String::with_capacity(self.text_len() + self.paragraphs.len() * 2);
        for part in self.standfirst.iter().chain(self.paragraphs.iter()) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(part);
        }
        text
    }

    /// Words in the text, for a reading-time estimate.
    pub fn word_count(&self) -> usize {
        self.standfirst
            .iter()
            .chain(self.paragraphs.iter())
            .map(|p| p.split_whitespace().count())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_stable_short_and_ignores_punctuation() {
        let a = ArticleId::for_story("China's warning — on blind-box toys", "");
        let b = ArticleId::for_story("  CHINAS WARNING on blind box toys ", "");
        assert_eq!(a, b);
        assert_eq!(a.as_str().len(), ID_LEN);
        assert!(ArticleId::looks_like_id(a.as_str()));
        let c = ArticleId::for_story("China's warning on toys", "");
        assert_ne!(a, c);
    }

    #[test]
    fn id_value_does_not_drift() {
        // IDs key the user's read marks: they must never change between versions.
        let id = ArticleId::for_story("Hello world", "");
        assert_eq!(id, ArticleId::for_story("hello, world!", ""));
        assert_eq!(id.as_str(), "vy6gkt9zgx");
    }

    #[test]
    fn empty_title_falls_back_to_text() {
        let a = ArticleId::for_story("!!!", "some body");
        let b = ArticleId::for_story("", "other body");
        assert_ne!(a, b);
    }

    #[test]
    fn normalize_keeps_non_ascii_letters() {
        assert_eq!(
            normalize_title("Floods in 深圳: Café “open”"),
            "floods in 深圳 café open"
        );
    }
}
