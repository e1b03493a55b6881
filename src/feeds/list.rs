//! The feeds a user follows: `<config dir>/feeds.toml`, one `[[feed]]`
//! table each, kept readable and editable by hand (comments and layout
//! stay when byline adds or removes a feed), plus any `[[feed]]` tables
//! in config.toml.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::FeedError;

/// The file byline keeps subscriptions in, in the config folder.
pub const FEEDS_FILE: &str = "feeds.toml";

const HEADER: &str = "\
# byline's feeds: one [[feed]] table each. Edit freely; `byline feed add`
# and `byline feed remove` keep what else you write here.
#
#   name = \"Example News\"           # how the feed is named (its folder too)
#   url = \"https://example.com/rss\" # http(s), or a local feed file's path
#   tags = [\"world\"]                # put on every story it brings
#   full_text = false                # also fetch each item's page
#   max_items = 500                  # keep at most this many (oldest read ones go)
";

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    pub name: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub full_text: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
}

impl Feed {
    /// The feed's folder name under the feeds folder: its name in lower
    /// case, letters and digits, other runs as one dash.
    pub fn slug(&self) -> String {
        let mut slug = String::new();
        for c in self.name.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-').to_owned();
        if slug.is_empty() {
            format!(
                "feed-{:016x}",
                xxhash_rust::xxh3::xxh3_64(self.url.as_bytes())
            )
        } else {
            slug
        }
    }

    /// Is this the feed named (or located) so?
    pub fn is(&self, name_or_url: &str) -> bool {
        self.name.eq_ignore_ascii_case(name_or_url.trim()) || self.url == name_or_url.trim()
    }
}

/// The subscriptions: feeds.toml as written (to change it in place) and
/// every feed from it and from config.toml.
#[derive(Debug)]
pub struct FeedList {
    path: PathBuf,
    doc: DocumentMut,
    /// No feeds.toml yet: the first save starts it with a header.
    fresh: bool,
    /// Feeds from feeds.toml, in order.
    pub feeds: Vec<Feed>,
    /// Feeds from config.toml's `[[feed]]` tables (changed by hand only).
    pub from_config: Vec<Feed>,
}

impl FeedList {
    /// Reads feeds.toml in `config_dir` (none yet is an empty list) and
    /// the `[[feed]]` tables of config.toml there.
    pub fn load(config_dir: &Path) -> Result<FeedList, FeedError> {
        let path = config_dir.join(FEEDS_FILE);
        let (text, fresh) = match std::fs::read_to_string(&path) {
            Ok(text) => (text, false),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (String::new(), true),
            Err(e) => return Err(FeedError::io(&path, e)),
        };
        let doc: DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| FeedError::File {
                path: path.display().to_string(),
                error: e.to_string(),
            })?;
        let feeds = read_feeds(&text, &path)?;
        let config = config_dir.join("config.toml");
        let from_config = match std::fs::read_to_string(&config) {
            // A config.toml that does not parse is reported by the config
            // checker; its feeds are then left out here.
            Ok(text) => read_feeds(&text, &config).unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        Ok(FeedList {
            path,
            doc,
            fresh,
            feeds,
            from_config,
        })
    }

    /// Every feed: feeds.toml's, then config.toml's.
    pub fn all(&self) -> impl Iterator<Item = &Feed> {
        self.feeds.iter().chain(self.from_config.iter())
    }

    pub fn find(&self, name_or_url: &str) -> Option<&Feed> {
        self.all().find(|f| f.is(name_or_url))
    }

    /// Adds a feed; a name or URL already followed is an error.
    pub fn add(&mut self, feed: Feed) -> Result<(), FeedError> {
        if let Some(have) = self.all().find(|f| {
            f.name.eq_ignore_ascii_case(&feed.name) || f.url == feed.url || f.slug() == feed.slug()
        }) {
            return Err(FeedError::Exists(format!("{} ({})", have.name, have.url)));
        }
        let mut table = Table::new();
        table.insert("name", value(feed.name.clone()));
        table.insert("url", value(feed.url.clone()));
        if !feed.tags.is_empty() {
            let mut tags = Array::new();
            for t in &feed.tags {
                tags.push(t.as_str());
            }
            table.insert("tags", value(tags));
        }
        if feed.full_text {
            table.insert("full_text", value(true));
        }
        if let Some(max) = feed.max_items {
            table.insert("max_items", value(max as i64));
        }
        self.tables()?.push(table);
        self.feeds.push(feed);
        Ok(())
    }

    /// Removes a feed from feeds.toml; returns it.
    pub fn remove(&mut self, name_or_url: &str) -> Result<Feed, FeedError> {
        let Some(at) = self.feeds.iter().position(|f| f.is(name_or_url)) else {
            return Err(match self.from_config.iter().find(|f| f.is(name_or_url)) {
                Some(f) => FeedError::Invalid(format!(
                    "{} is in config.toml: remove its [[feed]] table there",
                    f.name
                )),
                None => FeedError::NotFound(name_or_url.to_owned()),
            });
        };
        self.tables()?.remove(at);
        Ok(self.feeds.remove(at))
    }

    /// A feed moved for good (a 301 or 308): its URL in feeds.toml follows.
    pub fn set_url(&mut self, name: &str, url: &str) -> Result<bool, FeedError> {
        let Some(at) = self.feeds.iter().position(|f| f.name == name) else {
            return Ok(false);
        };
        if let Some(table) = self.tables()?.get_mut(at) {
            table.insert("url", value(url));
        }
        self.feeds[at].url = url.to_owned();
        Ok(true)
    }

    /// Feeds that a fetch found moved for good (a 301 or 308): their URLs
    /// follow, and feeds.toml is saved if any did. Says whether any did.
    pub fn follow_moves(&mut self, reports: &[super::FeedReport]) -> Result<bool, FeedError> {
        let mut moved = false;
        for report in reports {
            if let Some(to) = &report.moved_to {
                moved |= self.set_url(&report.name, to)?;
            }
        }
        if moved {
            self.save()?;
        }
        Ok(moved)
    }

    /// Writes feeds.toml atomically.
    pub fn save(&self) -> Result<(), FeedError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| FeedError::io(dir, e))?;
        }
        let mut text = self.doc.to_string();
        if self.fresh {
            text = format!("{HEADER}\n{text}");
        }
        crate::atomic::write(&self.path, text.as_bytes()).map_err(|e| FeedError::io(&self.path, e))
    }

    fn tables(&mut self) -> Result<&mut ArrayOfTables, FeedError> {
        let item = self
            .doc
            .entry("feed")
            .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
        item.as_array_of_tables_mut().ok_or_else(|| {
            FeedError::Invalid(format!(
                "{}: `feed` must be [[feed]] tables",
                self.path.display()
            ))
        })
    }
}

/// The `[[feed]]` tables of a TOML text.
fn read_feeds(text: &str, path: &Path) -> Result<Vec<Feed>, FeedError> {
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        feed: Vec<Feed>,
    }
    #[derive(Deserialize)]
    struct Loose {
        #[serde(default)]
        feed: Option<toml::Value>,
    }
    // config.toml holds other settings too: only its feeds matter here.
    let loose: Loose = toml::from_str(text).map_err(|e| FeedError::File {
        path: path.display().to_string(),
        error: e.to_string(),
    })?;
    let Some(feed) = loose.feed else {
        return Ok(Vec::new());
    };
    let file: File = toml::Value::Table([("feed".to_owned(), feed)].into_iter().collect())
        .try_into()
        .map_err(|e: toml::de::Error| FeedError::File {
            path: path.display().to_string(),
            error: e.to_string(),
        })?;
    Ok(file.feed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(name: &str, url: &str) -> Feed {
        Feed {
            name: name.into(),
            url: url.into(),
            tags: vec!["world".into()],
            full_text: false,
            max_items: Some(10),
        }
    }

    #[test]
    fn adding_and_removing_keeps_what_the_user_wrote() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FEEDS_FILE),
            "# my feeds\n[[feed]]\nname = \"Old\" # the first\nurl = \"https://old.example/rss\"\n",
        )
        .unwrap();
        let mut list = FeedList::load(dir.path()).unwrap();
        assert_eq!(list.feeds.len(), 1);
        list.add(feed("Tide Times", "https://tide.example/feed"))
            .unwrap();
        assert!(matches!(
            list.add(feed("tide times", "https://other.example/")),
            Err(FeedError::Exists(_))
        ));
        list.save().unwrap();
        let text = std::fs::read_to_string(dir.path().join(FEEDS_FILE)).unwrap();
        assert!(
            text.contains("# my feeds") && text.contains("# the first"),
            "{text}"
        );
        assert!(text.contains("name = \"Tide Times\""), "{text}");
        let mut again = FeedList::load(dir.path()).unwrap();
        assert_eq!(
            again.feeds[1],
            feed("Tide Times", "https://tide.example/feed")
        );
        assert_eq!(again.feeds[1].slug(), "tide-times");
        again
            .set_url("Tide Times", "https://new.example/feed")
            .unwrap();
        assert_eq!(again.remove("https://old.example/rss").unwrap().name, "Old");
        again.save().unwrap();
        let last = FeedList::load(dir.path()).unwrap();
        assert_eq!(last.feeds.len(), 1);
        assert_eq!(last.feeds[0].url, "https://new.example/feed");
        assert!(last.find("nope").is_none());
    }

    #[test]
    fn feeds_in_config_toml_count_and_cannot_be_removed_from_here() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "library = [\"~/news\"]\n[[feed]]\nname = \"Conf\"\nurl = \"https://conf.example/rss\"\n",
        )
        .unwrap();
        let mut list = FeedList::load(dir.path()).unwrap();
        assert_eq!(list.all().count(), 1);
        assert!(matches!(list.remove("Conf"), Err(FeedError::Invalid(_))));
        assert!(matches!(list.remove("nope"), Err(FeedError::NotFound(_))));
    }
}
