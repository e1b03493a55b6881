//! What byline remembers of each feed between fetches, in a hidden file
//! in the feed's folder (`.feed.json`, which the loader passes over): the
//! validators for a conditional GET, when it was last fetched, its last
//! error and how long to leave it alone after failures.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The state file in a feed's folder.
pub const STATE_FILE: &str = ".feed.json";
/// The longest a failing feed is left alone.
const MAX_BACKOFF_SECS: i64 = 24 * 3600;
/// The first wait after a failure; it doubles with each one after.
const FIRST_BACKOFF_SECS: i64 = 60;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_fetch: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Failures in a row.
    #[serde(default)]
    pub failures: u32,
    /// Not to be fetched again before this (backing off, or Retry-After).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<DateTime<Utc>>,
}

impl FeedState {
    /// The state in a feed's folder (a missing or unreadable one starts
    /// afresh: it only saves requests).
    pub fn load(dir: &Path) -> FeedState {
        std::fs::read(dir.join(STATE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        // Written in place: a torn or lost state file costs one full fetch,
        // never an item (unchanged items are not rewritten), and a new file
        // per feed per fetch cost more than the fetch (ext4 inode creation).
        std::fs::write(dir.join(STATE_FILE), bytes)
    }

    /// A fetch worked.
    pub fn succeeded(&mut self, now: DateTime<Utc>) {
        self.last_fetch = Some(now);
        self.last_success = Some(now);
        self.last_error = None;
        self.failures = 0;
        self.not_before = None;
    }

    /// A fetch failed: wait before the next, twice as long each time (at
    /// most a day), or as long as the server's Retry-After says.
    pub fn failed(&mut self, now: DateTime<Utc>, error: String, retry_after: Option<i64>) {
        self.last_fetch = Some(now);
        self.last_error = Some(error);
        self.failures += 1;
        let backoff = FIRST_BACKOFF_SECS
            .saturating_mul(1 << (self.failures - 1).min(20))
            .min(MAX_BACKOFF_SECS);
        let wait = retry_after.map_or(backoff, |r| r.clamp(0, MAX_BACKOFF_SECS));
        self.not_before = Some(now + chrono::Duration::seconds(wait));
    }

    /// Whether the feed is being left alone at `now`.
    pub fn waiting(&self, now: DateTime<Utc>) -> bool {
        self.not_before.is_some_and(|t| t > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_doubling_to_a_day_and_retry_after_wins() {
        let now = Utc::now();
        let mut state = FeedState::default();
        let waits: Vec<i64> = (0..14)
            .map(|_| {
                state.failed(now, "HTTP 500".into(), None);
                (state.not_before.unwrap() - now).num_seconds()
            })
            .collect();
        assert_eq!(&waits[..4], [60, 120, 240, 480]);
        assert_eq!(*waits.last().unwrap(), MAX_BACKOFF_SECS);
        assert!(state.waiting(now));
        state.failed(now, "HTTP 429".into(), Some(30));
        assert_eq!((state.not_before.unwrap() - now).num_seconds(), 30);
        state.succeeded(now);
        assert!(!state.waiting(now) && state.failures == 0 && state.last_error.is_none());
        let dir = tempfile::tempdir().unwrap();
        state.etag = Some("\"v1\"".into());
        state.save(dir.path()).unwrap();
        assert_eq!(FeedState::load(dir.path()), state);
    }
}
