//! The model: stories, their IDs and where they came from.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A story's stable short ID.
///
/// It comes from the story itself: its normalised headline and the opening
/// words of its text (or, for a feed item, the item's own GUID). So it stays
/// the same across runs, renames and moves; the same story found in several
/// files (a second scrape, an identical file, the same story listed on
/// another page) gets the same ID; and two different stories that share a
/// headline ("Morning Briefing") get two. It never depends on which other
/// files exist.
///
/// Kept inline (no allocation of its own): a million-story list holds a
/// million of them, and so does the related engine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(compact_str::CompactString);

/// Crockford's base32 alphabet, lower case: no i, l, o or u to misread.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Characters in an ID: 50 bits.
pub const ID_LEN: usize = 10;
/// Words of a story's text that go into its ID: enough to tell apart two
/// stories that open alike ("Good morning, here is what you need to
/// know"), few enough that an edit further down keeps the ID.
pub const LEAD_WORDS: usize = 24;

impl ArticleId {
    fn from_key(key: &str) -> Self {
        let hash = xxhash_rust::xxh3::xxh3_128(key.as_bytes());
        let mut id = compact_str::CompactString::default();
        for i in 0..ID_LEN {
            let index = (hash >> (128 - 5 * (i + 1))) & 0x1f;
            id.push(ALPHABET[index as usize] as char);
        }
        ArticleId(id)
    }

    /// The ID of a story with this headline and this text (standfirst and
    /// paragraphs): only the text's first [`LEAD_WORDS`] words count.
    pub fn for_story(title: &str, text: &str) -> Self {
        let mut key = String::from("story\u{0}");
        key.push_str(&normalize_title(title));
        key.push('\u{0}');
        key.push_str(&lead_key(text));
        Self::from_key(&key)
    }

    /// The ID of a feed item that names itself (an RSS `guid`, an Atom or
    /// JSON Feed `id`): it stays the same when the item is retitled or edited.
    pub fn for_guid(guid: &str) -> Self {
        Self::from_key(&format!("guid\u{0}{}", guid.trim()))
    }

    /// The ID earlier versions gave a story: from its headline alone.
    /// Marks saved under such IDs are carried over to today's.
    pub fn legacy(title: &str) -> Self {
        let mut key = normalize_title(title);
        if key.is_empty() {
            key.push('\u{0}');
        }
        Self::from_key(&key)
    }

    /// Wraps an ID read back from the store or typed by the user.
    pub fn from_raw(raw: impl AsRef<str>) -> Self {
        ArticleId(compact_str::CompactString::new(raw))
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

/// Maps keyed by ID can be looked up by a borrowed `&str` (the derived
/// `Hash` and `Eq` are the string's).
impl std::borrow::Borrow<str> for ArticleId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The first [`LEAD_WORDS`] words of a text, normalised: what of its text
/// a story's ID depends on.
pub fn lead_key(text: &str) -> String {
    crate::tokens::first_words(text, LEAD_WORDS).join(" ")
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
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c != '\'' && c != '\u{2019}' {
            // An apostrophe joins ("Putin's" = "Putins"); anything else splits.
            pending_space = true;
        }
    }
    out
}

/// The file formats byline reads. Each has one name, the same in every
/// output: `page`, `text`, `markdown`, `json`, `jsonl`, `html`, `rss`,
/// `atom` and `jsonfeed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A scraped news page with a "Related Articles" block.
    Page,
    /// A title line, a blank line, then paragraphs.
    #[serde(rename = "text", alias = "plain_text")]
    PlainText,
    /// Markdown, with YAML or TOML front matter.
    Markdown,
    /// One JSON object or an array of them.
    Json,
    /// One JSON object per line.
    #[serde(rename = "jsonl", alias = "json_lines")]
    JsonLines,
    /// An HTML page: its article, without the site around it.
    Html,
    /// An RSS feed (0.9x, 1.0 or 2.0): one story per item.
    Rss,
    /// An Atom feed: one story per entry.
    Atom,
    /// A JSON Feed: one story per item.
    JsonFeed,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Page,
        Format::PlainText,
        Format::Markdown,
        Format::Json,
        Format::JsonLines,
        Format::Html,
        Format::Rss,
        Format::Atom,
        Format::JsonFeed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Page => "page",
            Format::PlainText => "text",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Html => "html",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::JsonFeed => "jsonfeed",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// Whether this is a feed, whose items carry IDs of their own.
    pub fn is_feed(self) -> bool {
        matches!(self, Format::Rss | Format::Atom | Format::JsonFeed)
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
    /// Set by [`Article::assign_id`] once the story is parsed.
    pub id: ArticleId,
    /// The item's own ID, for a feed item that has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
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
    /// Every file the story came from (a story read back from the store).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

/// A story as a list shows it. A million-story list holds a million of
/// these (twice while a new one replaces it): the headline is kept at its
/// length, and a source is shared by the stories that name it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorySummary {
    pub id: ArticleId,
    pub title: Box<str>,
    pub source: Option<std::sync::Arc<str>>,
    pub published: Option<DateTime<Utc>>,
}

/// The longest a headline may be, in characters.
pub const MAX_TITLE: usize = 300;

/// Where to cut a headline longer than [`MAX_TITLE`]: after its last
/// sentence end within the limit, else at its last word break, else at the
/// limit (text with no spaces), never in the first third.
fn title_cut(title: &str) -> usize {
    let limit = title
        .char_indices()
        .nth(MAX_TITLE)
        .map_or(title.len(), |(at, _)| at);
    let head = &title[..limit];
    let floor = limit / 3;
    let sentence = head
        .char_indices()
        .filter(|&(at, c)| {
            let next = head[at + c.len_utf8()..].chars().next();
            matches!(c, '。' | '！' | '？')
                || (matches!(c, '.' | '!' | '?') && next.is_some_and(char::is_whitespace))
        })
        .map(|(at, c)| at + c.len_utf8())
        .rfind(|&end| end > floor);
    let word = head.rfind(char::is_whitespace).filter(|&at| at > floor);
    sentence.or(word).unwrap_or(limit)
}

/// Near-duplicate groups: stories that tell the same news from different
/// sources. Each group has a representative (the one a list shows) and
/// other members.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Groups {
    /// Representative → the other members, sorted.
    members: std::collections::HashMap<ArticleId, Vec<ArticleId>>,
    /// Member → its representative.
    rep_of: std::collections::HashMap<ArticleId, ArticleId>,
}

impl Groups {
    pub fn new() -> Groups {
        Groups::default()
    }

    /// Records `member` in the group `rep` stands for.
    pub fn insert(&mut self, rep: ArticleId, member: ArticleId) {
        if rep == member {
            return;
        }
        self.rep_of.insert(member.clone(), rep.clone());
        let list = self.members.entry(rep).or_default();
        if let Err(at) = list.binary_search(&member) {
            list.insert(at, member);
        }
    }

    /// How many groups there are.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Each group: its representative and the other members.
    pub fn iter(&self) -> impl Iterator<Item = (&ArticleId, &[ArticleId])> {
        self.members.iter().map(|(rep, m)| (rep, m.as_slice()))
    }

    /// The other members of the group `rep` stands for (empty when `rep`
    /// stands for no group).
    pub fn others(&self, rep: &str) -> &[ArticleId] {
        self.members.get(rep).map_or(&[], Vec::as_slice)
    }

    /// Every other story of `id`'s group, whichever member `id` is.
    pub fn twins(&self, id: &ArticleId) -> Vec<ArticleId> {
        let rep = self.rep_of.get(id).unwrap_or(id);
        let Some(members) = self.members.get(rep) else {
            return Vec::new();
        };
        std::iter::once(rep)
            .chain(members)
            .filter(|m| *m != id)
            .cloned()
            .collect()
    }

    /// What a mark on `ids` applies to: each story and its near-duplicates,
    /// each once, in order. (A mark on one of a group is a mark on all.)
    pub fn with_twins(&self, ids: &[ArticleId]) -> Vec<ArticleId> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for id in ids {
            for one in std::iter::once(id.clone()).chain(self.twins(id)) {
                if seen.insert(one.clone()) {
                    out.push(one);
                }
            }
        }
        out
    }
}

impl Article {
    /// A story with a title and nothing else yet; its ID comes once its
    /// text is in ([`Article::assign_id`]).
    pub fn new(title: String, role: Role) -> Self {
        Article {
            id: ArticleId::from_raw(String::new()),
            guid: None,
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
            files: Vec::new(),
        }
    }

    /// The story as a list shows it.
    pub fn summary(&self) -> StorySummary {
        StorySummary {
            id: self.id.clone(),
            title: self.title.as_str().into(),
            source: self.source.as_deref().map(Into::into),
            published: self.published,
        }
    }

    /// Keeps the headline to at most [`MAX_TITLE`] characters: a longer one
    /// (a file that is one long line, a feed that puts its text in the
    /// title) is cut at its last sentence end, else its last word break,
    /// within the limit, and the rest opens the body.
    pub fn bound_title(&mut self) {
        if self.title.len() <= MAX_TITLE {
            return; // fewer bytes than the limit, so fewer characters
        }
        let cut = title_cut(&self.title);
        if cut >= self.title.len() {
            return;
        }
        let rest = self.title[cut..].trim().to_owned();
        self.title.truncate(cut);
        let kept = self.title.trim_end().len();
        self.title.truncate(kept);
        if !rest.is_empty() {
            self.paragraphs.insert(0, rest);
        }
    }

    /// Gives the story its ID: from its GUID when it has one, else from its
    /// headline and the opening of its text (the paragraphs, or the
    /// standfirst when there are none).
    pub fn assign_id(&mut self) {
        self.id = match self.guid.as_deref().filter(|g| !g.trim().is_empty()) {
            Some(guid) => ArticleId::for_guid(guid),
            None if self.paragraphs.is_empty() => {
                ArticleId::for_story(&self.title, self.standfirst.as_deref().unwrap_or(""))
            }
            None => {
                // The opening is all that counts: no need to join the rest.
                let mut lead = String::new();
                for p in &self.paragraphs {
                    if lead.len() > 4096 {
                        break;
                    }
                    lead.push_str(p);
                    lead.push('\n');
                }
                ArticleId::for_story(&self.title, &lead)
            }
        };
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
    fn a_long_headline_is_cut_at_a_sentence_or_a_word_and_the_rest_is_text() {
        let sentence = "Markets rallied on Monday. ".repeat(20);
        let mut a = Article::new(sentence.clone(), Role::Main);
        a.paragraphs = vec!["First paragraph.".into()];
        a.bound_title();
        assert!(a.title.chars().count() <= MAX_TITLE, "{}", a.title);
        assert!(a.title.ends_with("Monday."), "{}", a.title);
        assert_eq!(a.paragraphs.len(), 2);
        assert_eq!(
            format!("{} {}", a.title, a.paragraphs[0]),
            sentence.trim_end(),
            "nothing is lost"
        );
        // No sentence end: a word break; no break at all: the limit.
        let mut b = Article::new("word ".repeat(200), Role::Main);
        b.bound_title();
        assert!(b.title.ends_with("word") && b.title.chars().count() <= MAX_TITLE);
        let mut c = Article::new("字".repeat(1000), Role::Main);
        c.bound_title();
        assert_eq!(c.title.chars().count(), MAX_TITLE);
        assert_eq!(c.paragraphs[0].chars().count(), 700);
        // A normal headline is left alone.
        let mut d = Article::new("Snow expected on high ground".into(), Role::Main);
        d.bound_title();
        assert_eq!(d.title, "Snow expected on high ground");
        assert!(d.paragraphs.is_empty());
    }

    #[test]
    fn a_group_is_reached_from_any_member_and_spread_once() {
        let id = |s: &str| ArticleId::from_raw(s);
        let mut groups = Groups::new();
        groups.insert(id("r"), id("b"));
        groups.insert(id("r"), id("a"));
        groups.insert(id("r"), id("r"));
        assert_eq!(groups.others("r"), [id("a"), id("b")]);
        assert!(groups.others("a").is_empty());
        assert_eq!(groups.twins(&id("r")), [id("a"), id("b")]);
        assert_eq!(groups.twins(&id("b")), [id("r"), id("a")]);
        assert!(groups.twins(&id("alone")).is_empty());
        assert_eq!(
            groups.with_twins(&[id("a"), id("alone"), id("b"), id("r")]),
            [id("a"), id("r"), id("b"), id("alone")]
        );
    }

    #[test]
    fn id_is_stable_short_and_ignores_punctuation() {
        let a = ArticleId::for_story(
            "China's warning — on blind-box toys",
            "It began, they said.",
        );
        let b = ArticleId::for_story("  CHINAS WARNING on blind box toys ", "It began; they said");
        assert_eq!(a, b);
        assert_eq!(a.as_str().len(), ID_LEN);
        assert!(ArticleId::looks_like_id(a.as_str()));
        let c = ArticleId::for_story("China's warning on toys", "It began, they said.");
        assert_ne!(a, c);
    }

    #[test]
    fn id_value_does_not_drift() {
        // IDs key the user's read marks: they must never change between versions.
        let id = ArticleId::for_story("Hello world", "The first words.");
        assert_eq!(id, ArticleId::for_story("hello, world!", "the FIRST words"));
        assert_eq!(id.as_str(), "1xwvhy51qz");
        assert_eq!(ArticleId::for_guid("urn:x:1").as_str(), "qptvw4p644");
        // The headline-only IDs of state version 1, which upgrades map.
        assert_eq!(ArticleId::legacy("Hello world").as_str(), "vy6gkt9zgx");
    }

    #[test]
    fn same_headline_different_text_is_a_different_story() {
        let monday = ArticleId::for_story(
            "Morning Briefing",
            "Good morning, here is what you need to know today. Rain moves east.",
        );
        let tuesday = ArticleId::for_story(
            "Morning Briefing",
            "Good morning, here is what you need to know today. Markets fell.",
        );
        assert_ne!(monday, tuesday);
    }

    #[test]
    fn only_the_opening_words_count() {
        let words: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
        let text = words.join(" ");
        let edited = format!("{} changed at the end", words[..30].join(" "));
        assert_eq!(
            ArticleId::for_story("T", &text),
            ArticleId::for_story("T", &edited)
        );
        assert_eq!(lead_key("深圳 发生洪水").split(' ').count(), 6);
    }

    #[test]
    fn an_article_takes_its_guid_or_its_text() {
        let mut a = Article::new("Tide times".into(), Role::Main);
        a.paragraphs = vec!["High water at six.".into()];
        a.assign_id();
        assert_eq!(
            a.id,
            ArticleId::for_story("Tide times", "High water at six.")
        );
        a.guid = Some("urn:tide:1".into());
        a.assign_id();
        assert_eq!(a.id, ArticleId::for_guid("urn:tide:1"));
        let mut b = Article::new("Only a standfirst".into(), Role::Listed);
        b.standfirst = Some("A line.".into());
        b.assign_id();
        assert_eq!(b.id, ArticleId::for_story("Only a standfirst", "A line."));
    }

    #[test]
    fn format_names_are_one_spelling() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.as_str()));
        }
        let old: Format = serde_json::from_str("\"plain_text\"").unwrap();
        assert_eq!(old, Format::PlainText);
    }

    #[test]
    fn normalize_keeps_non_ascii_letters() {
        assert_eq!(
            normalize_title("Floods in 深圳: Café “open”"),
            "floods in 深圳 café open"
        );
    }
}
