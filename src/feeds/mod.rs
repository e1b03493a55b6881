//! Following feeds: subscriptions in feeds.toml, fetched over HTTP (or
//! read from a local file) into `<data dir>/feeds/<feed>/`, one file per
//! item. Fetching only writes files: the loader and the store stay the one
//! way in, and the feeds folder is always part of the library.

mod discover;
mod fetch;
mod http;
mod items;
mod list;
mod opml;
mod state;

use std::path::{Path, PathBuf};

pub use discover::feed_links;
pub use fetch::{FeedReport, FetchOptions, Outcome, fetch_all, is_web, parse_feed};
pub use http::{Body, Client, HttpError, HttpSettings, user_agent, web_url};
pub use items::{file_name, item_files, read_item};
pub use list::{FEEDS_FILE, Feed, FeedList};
pub use opml::{read as read_opml, write as write_opml};
pub use state::FeedState;

/// The folder under the data folder that fetched items go to.
pub const FEEDS_DIR: &str = "feeds";

/// `<data dir>/feeds`.
pub fn feeds_dir(data: &Path) -> PathBuf {
    data.join(FEEDS_DIR)
}

/// What went wrong with the feeds file or folder, for the user.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path} cannot be read: {error}")]
    File { path: String, error: String },
    #[error("already following {0}")]
    Exists(String),
    #[error("no feed named {0} (byline feed list shows them)")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
}

impl FeedError {
    pub fn io(path: &Path, error: std::io::Error) -> FeedError {
        FeedError::Io {
            path: path.display().to_string(),
            error,
        }
    }
}

/// A feed's standing, for `feed list` and the sources view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FeedStatus {
    pub name: String,
    pub url: String,
    pub items: usize,
    pub unread: usize,
    pub last_fetch: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
    /// Left alone after failures until then.
    pub backing_off_until: Option<chrono::DateTime<chrono::Utc>>,
    pub failures: u32,
}

/// Every feed's standing: its items, how many are unread (with `marks`;
/// without, nothing is read but the folder and the state), its last fetch.
pub fn statuses<'a>(
    feeds: impl IntoIterator<Item = &'a Feed>,
    feeds_dir: &Path,
    marks: Option<&crate::state::MarkSet>,
) -> Vec<FeedStatus> {
    let now = chrono::Utc::now();
    feeds
        .into_iter()
        .map(|feed| {
            let dir = feeds_dir.join(feed.slug());
            let state = FeedState::load(&dir);
            let files = item_files(&dir);
            let unread = marks.map_or(0, |marks| {
                files
                    .iter()
                    .filter_map(|p| read_item(p))
                    .filter(|(key, _)| !marks.is_read(&crate::article::ArticleId::for_guid(key)))
                    .count()
            });
            FeedStatus {
                name: feed.name.clone(),
                url: feed.url.clone(),
                items: files.len(),
                unread,
                last_fetch: state.last_fetch,
                last_error: state.last_error.clone(),
                backing_off_until: state.not_before.filter(|t| *t > now),
                failures: state.failures,
            }
        })
        .collect()
}
