//! A feed's items as files: one small JSON Feed document per item in the
//! feed's folder, named from the item's key (its GUID or ID, else its link,
//! else its title and date). The loader reads them like any feed file, so
//! an item keeps its story ID (from its key) however its text changes.

use std::path::{Path, PathBuf};

use feed_rs::model::{Entry, Feed};
use serde_json::{Value, json};

/// An item ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What identifies it in its feed.
    pub key: String,
    pub link: Option<String>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl Item {
    /// Its file in the feed's folder.
    pub fn path(&self, dir: &Path) -> PathBuf {
        dir.join(file_name(&self.key))
    }

    /// The story ID the loader gives it.
    pub fn story_id(&self) -> crate::article::ArticleId {
        crate::article::ArticleId::for_guid(&self.key)
    }
}

/// "3fa4c2…e1.json": the key hashed, so any key makes a safe name.
pub fn file_name(key: &str) -> String {
    format!("{:016x}.json", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// An item's key: its ID (feed-rs makes one from the link and title when
/// the feed gives none), else its link, else its title and date.
pub(super) fn key_of(entry: &Entry) -> String {
    let id = entry.id.trim();
    if !id.is_empty() {
        return id.to_owned();
    }
    if let Some(link) = entry.links.first() {
        return link.href.trim().to_owned();
    }
    let title = entry.title.as_ref().map_or("", |t| t.content.as_str());
    let date = entry
        .published
        .or(entry.updated)
        .map(|d| d.to_rfc3339())
        .unwrap_or_default();
    format!("{title}\u{0}{date}")
}

/// The link to the item's page.
pub(super) fn link_of(entry: &Entry) -> Option<String> {
    entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.trim().to_owned())
        .filter(|l| !l.is_empty())
}

/// Whether an entry becomes an item: it has a title or some text.
pub(super) fn kept(entry: &Entry) -> bool {
    entry.title.is_some() || entry.content.is_some() || entry.summary.is_some()
}

/// Every item of a parsed feed, as the files to write, for the feed named
/// `name` (the stories' source). `full_text` replaces an item's text with
/// its page's, by key, where it was fetched.
pub fn items(
    feed: &Feed,
    name: &str,
    feed_url: &str,
    full_text: &dyn Fn(&str) -> Option<String>,
) -> Vec<Item> {
    let home = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() != Some("self"))
        .map(|l| l.href.clone());
    feed.entries
        .iter()
        .filter(|e| kept(e))
        .map(|entry| {
            let key = key_of(entry);
            let link = link_of(entry);
            let mut item = serde_json::Map::new();
            item.insert("id".into(), json!(key));
            if let Some(link) = &link {
                item.insert("url".into(), json!(link));
            }
            if let Some(title) = &entry.title {
                item.insert("title".into(), json!(title.content));
            }
            let body = entry.content.as_ref().and_then(|c| {
                let html = c.content_type.subty().as_str().eq_ignore_ascii_case("html")
                    || c.content_type.subty().as_str().contains("xhtml");
                c.body.clone().map(|b| (b, html))
            });
            match (full_text(&key), body) {
                (Some(text), _) => {
                    item.insert("content_text".into(), json!(text));
                }
                (None, Some((body, true))) => {
                    item.insert("content_html".into(), json!(body));
                }
                (None, Some((body, false))) => {
                    item.insert("content_text".into(), json!(body));
                }
                (None, None) => {}
            }
            if let Some(summary) = &entry.summary {
                item.insert("summary".into(), json!(summary.content));
            }
            if let Some(date) = entry.published {
                item.insert("date_published".into(), json!(date.to_rfc3339()));
            }
            if let Some(date) = entry.updated {
                item.insert("date_modified".into(), json!(date.to_rfc3339()));
            }
            let authors: Vec<Value> = entry
                .authors
                .iter()
                .filter_map(|a| a.name.as_deref())
                .filter(|n| !n.trim().is_empty())
                .map(|n| json!({ "name": n }))
                .collect();
            if !authors.is_empty() {
                item.insert("authors".into(), Value::Array(authors));
            }
            let tags: Vec<&str> = entry
                .categories
                .iter()
                .map(|c| c.label.as_deref().unwrap_or(&c.term))
                .filter(|t| !t.trim().is_empty())
                .collect();
            if !tags.is_empty() {
                item.insert("tags".into(), json!(tags));
            }
            let mut doc = serde_json::Map::new();
            doc.insert("version".into(), json!("https://jsonfeed.org/version/1.1"));
            doc.insert("title".into(), json!(name));
            if let Some(home) = &home {
                doc.insert("home_page_url".into(), json!(home));
            }
            doc.insert("feed_url".into(), json!(feed_url));
            doc.insert("items".into(), json!([Value::Object(item)]));
            let mut bytes = serde_json::to_vec_pretty(&Value::Object(doc)).unwrap_or_default();
            bytes.push(b'\n');
            Item { key, link, bytes }
        })
        .collect()
}

/// What an item file in a feed's folder says of itself: its key and date.
pub fn read_item(path: &Path) -> Option<(String, Option<chrono::DateTime<chrono::Utc>>)> {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let item = doc.get("items")?.get(0)?;
    let key = item.get("id")?.as_str()?.to_owned();
    let date = item
        .get("date_published")
        .or_else(|| item.get("date_modified"))
        .and_then(Value::as_str)
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.with_timezone(&chrono::Utc));
    Some((key, date))
}

/// The item files in a feed's folder.
pub fn item_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && p.file_name()
                    .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
}
