//! Fetching: every feed (or the named ones) on a few threads, one report
//! each. One feed's failure never stops the others; a feed that keeps
//! failing is left alone for a while; a second fetch at the same time
//! waits for the first (a lock on the feeds folder), so nothing is
//! written twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::http::{Body, Client, HttpError, HttpSettings};
use super::items::{file_name, item_files, items, kept, key_of, link_of, read_item};
use super::state::FeedState;
use super::{Feed, FeedError};
use crate::state::Marks;

/// Pages fetched for full text: at most one a second from one host.
const PER_HOST_GAP: Duration = Duration::from_secs(1);

/// What one feed's fetch did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// New items written, items changed, items as they were, old read
    /// items removed (max_items).
    Fetched {
        new: usize,
        updated: usize,
        unchanged: usize,
        pruned: usize,
    },
    /// The server said nothing changed (304).
    NotModified,
    /// Left alone after failures, until then.
    Waiting {
        until: DateTime<Utc>,
    },
    Failed {
        error: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedReport {
    pub name: String,
    pub url: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// A permanent redirect moved the feed here (feeds.toml follows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// Item files in its folder now.
    pub items: usize,
    /// IDs of the stories this fetch brought in (new items).
    #[serde(skip)]
    pub new_ids: Vec<crate::article::ArticleId>,
}

impl FeedReport {
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed { .. })
    }

    /// "Tide Times: 3 new, 1 updated (50 items)", one line.
    pub fn line(&self) -> String {
        use crate::fmt::plural;
        let what = match &self.outcome {
            Outcome::Fetched {
                new,
                updated,
                pruned,
                ..
            } => {
                let mut parts = vec![format!("{new} new")];
                if *updated > 0 {
                    parts.push(format!("{updated} updated"));
                }
                if *pruned > 0 {
                    parts.push(format!("{pruned} old removed"));
                }
                parts.join(", ")
            }
            Outcome::NotModified => "not modified".to_owned(),
            Outcome::Waiting { until } => format!(
                "backing off after failures: next try after {}",
                until.with_timezone(&chrono::Local).format("%H:%M")
            ),
            Outcome::Failed { error } => format!("failed: {error}"),
        };
        let moved = self
            .moved_to
            .as_ref()
            .map(|to| format!(" (moved for good to {to}: feeds.toml updated)"))
            .unwrap_or_default();
        format!(
            "{}: {what}{moved} ({})",
            self.name,
            plural(self.items, "item", "items")
        )
    }
}

/// How a fetch runs.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub jobs: usize,
    pub http: HttpSettings,
    /// Fetch even a feed that is backing off.
    pub force: bool,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            jobs: 8,
            http: HttpSettings::default(),
            force: false,
        }
    }
}

/// Fetches `feeds` into `<feeds_dir>/<slug>/`, calling `done` as each
/// ends. Marks (for pruning and feed tags) are read and saved through
/// `marks_dir`. Holds the feeds folder's lock throughout.
pub fn fetch_all(
    feeds: &[Feed],
    feeds_dir: &Path,
    marks_dir: Option<&Path>,
    options: &FetchOptions,
    done: &(dyn Fn(&FeedReport) + Sync),
) -> Result<Vec<FeedReport>, FeedError> {
    std::fs::create_dir_all(feeds_dir).map_err(|e| FeedError::io(feeds_dir, e))?;
    let lock_path = feeds_dir.join(".lock");
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| FeedError::io(&lock_path, e))?;
    lock.lock().map_err(|e| FeedError::io(&lock_path, e))?;
    let marks = marks_dir.map(Marks::load);
    let run = Run {
        client: Client::new(options.http.clone()),
        hosts: Mutex::new(HashMap::new()),
        marks: marks.as_ref().map(Marks::snapshot),
        force: options.force,
    };
    let queue = Mutex::new(feeds.iter().enumerate());
    let reports = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.clamp(1, 64).min(feeds.len().max(1)) {
            scope.spawn(|| {
                while let Some((n, feed)) = queue.lock().map(|mut q| q.next()).ok().flatten() {
                    let dir = feeds_dir.join(feed.slug());
                    let report = run.feed(feed, &dir);
                    done(&report);
                    if let Ok(mut all) = reports.lock() {
                        all.push((n, report));
                    }
                }
            });
        }
    });
    let mut reports: Vec<(usize, FeedReport)> = reports.into_inner().unwrap_or_default();
    reports.sort_by_key(|(n, _)| *n);
    let reports: Vec<FeedReport> = reports.into_iter().map(|(_, r)| r).collect();
    if let Some(mut marks) = marks {
        tag_new_items(&mut marks, feeds, &reports)?;
    }
    drop(lock);
    Ok(reports)
}

/// A feed's tags go on the stories it brought in this time.
fn tag_new_items(
    marks: &mut Marks,
    feeds: &[Feed],
    reports: &[FeedReport],
) -> Result<(), FeedError> {
    let mut changed = false;
    for (feed, report) in feeds.iter().zip(reports) {
        for tag in &feed.tags {
            for id in &report.new_ids {
                let mut mark = marks.get(id);
                if mark.add_tag(tag) {
                    marks.set(id, mark);
                    changed = true;
                }
            }
        }
    }
    if changed {
        marks
            .save()
            .map_err(|e| FeedError::Invalid(e.to_string()))?;
    }
    Ok(())
}

/// What every feed's fetch shares.
struct Run {
    client: Client,
    /// When each host was last asked for a page (full text).
    hosts: Mutex<HashMap<String, Instant>>,
    marks: Option<crate::state::MarkSet>,
    force: bool,
}

impl Run {
    fn feed(&self, feed: &Feed, dir: &Path) -> FeedReport {
        let mut state = FeedState::load(dir);
        let now = Utc::now();
        let mut report = FeedReport {
            name: feed.name.clone(),
            url: feed.url.clone(),
            outcome: Outcome::NotModified,
            moved_to: None,
            items: 0,
            new_ids: Vec::new(),
        };
        if state.waiting(now) && !self.force {
            report.outcome = Outcome::Waiting {
                until: state.not_before.unwrap_or(now),
            };
        } else {
            match self.fetch(feed, dir, &mut state, &mut report) {
                Ok(outcome) => {
                    state.succeeded(now);
                    report.outcome = outcome;
                }
                Err(e) => {
                    let retry = e.retry_after();
                    state.failed(now, e.to_string(), retry);
                    report.outcome = Outcome::Failed {
                        error: e.to_string(),
                    };
                }
            }
            if let Err(e) = state.save(dir) {
                report.outcome = Outcome::Failed {
                    error: format!("cannot write {}: {e}", dir.display()),
                };
            }
        }
        report.items = item_files(dir).len();
        report
    }

    /// GETs the feed (or reads its file), writes its items.
    fn fetch(
        &self,
        feed: &Feed,
        dir: &Path,
        state: &mut FeedState,
        report: &mut FeedReport,
    ) -> Result<Outcome, HttpError> {
        let bytes = if is_web(&feed.url) {
            let fetched = self.client.get(
                &feed.url,
                state.etag.as_deref(),
                state.last_modified.as_deref(),
            )?;
            report.moved_to = fetched.moved_to;
            match fetched.body {
                Body::NotModified => return Ok(Outcome::NotModified),
                Body::Fresh {
                    bytes,
                    etag,
                    last_modified,
                    ..
                } => {
                    state.etag = etag;
                    state.last_modified = last_modified;
                    bytes
                }
            }
        } else {
            std::fs::read(&feed.url).map_err(|e| HttpError::Files(format!("{}: {e}", feed.url)))?
        };
        let parsed = parse_feed(&bytes)?;
        let known: std::collections::HashSet<PathBuf> = item_files(dir).into_iter().collect();
        let pages = if feed.full_text {
            self.full_texts(&parsed, dir)
        } else {
            HashMap::new()
        };
        let all = items(&parsed, &feed.name, &feed.url, &|key| {
            pages.get(key).cloned()
        });
        std::fs::create_dir_all(dir)
            .map_err(|e| HttpError::Files(format!("{}: {e}", dir.display())))?;
        let (mut new, mut updated, mut unchanged) = (0, 0, 0);
        let mut writes: Vec<(PathBuf, &[u8])> = Vec::new();
        for item in &all {
            let path = item.path(dir);
            let was = known.contains(&path);
            if was && std::fs::read(&path).is_ok_and(|b| b == item.bytes) {
                unchanged += 1;
                continue;
            }
            if was {
                updated += 1;
            } else {
                new += 1;
                report.new_ids.push(item.story_id());
            }
            writes.push((path, &item.bytes));
        }
        crate::atomic::write_all(writes.iter().map(|(p, b)| (p.as_path(), *b)))
            .map_err(|e| HttpError::Files(format!("{}: {e}", dir.display())))?;
        let pruned = feed.max_items.map_or(0, |max| self.prune(dir, max));
        Ok(Outcome::Fetched {
            new,
            updated,
            unchanged,
            pruned,
        })
    }

    /// Removes the oldest read, unsaved items past `max`; never a saved one.
    fn prune(&self, dir: &Path, max: usize) -> usize {
        let Some(marks) = &self.marks else {
            return 0;
        };
        let files = item_files(dir);
        if files.len() <= max {
            return 0;
        }
        let mut removable: Vec<(Option<DateTime<Utc>>, PathBuf)> = files
            .iter()
            .filter_map(|path| {
                let (key, date) = read_item(path)?;
                let mark = marks.get(&crate::article::ArticleId::for_guid(&key));
                (mark.read && !mark.saved).then(|| (date, path.clone()))
            })
            .collect();
        removable.sort();
        let over = files.len() - max;
        removable
            .into_iter()
            .take(over)
            .filter(|(_, path)| std::fs::remove_file(path).is_ok())
            .count()
    }

    /// For a feed that carries summaries: each new item's page, as text.
    fn full_texts(&self, feed: &feed_rs::model::Feed, dir: &Path) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for entry in feed.entries.iter().filter(|e| kept(e)) {
            let key = key_of(entry);
            if dir.join(file_name(&key)).exists() {
                continue; // fetched before: its page was too
            }
            if let Some(text) = link_of(entry).and_then(|link| self.page_text(&link)) {
                out.insert(key, text);
            }
        }
        out
    }

    /// A page's article text, by the loader's HTML extractor, at most one
    /// page a second from one host.
    fn page_text(&self, link: &str) -> Option<String> {
        let url = super::http::web_url(link).ok()?;
        let host = url.host_str()?.to_owned();
        loop {
            let wait = {
                let mut hosts = self.hosts.lock().ok()?;
                match hosts.get(&host) {
                    Some(at) if at.elapsed() < PER_HOST_GAP => PER_HOST_GAP - at.elapsed(),
                    _ => {
                        hosts.insert(host.clone(), Instant::now());
                        Duration::ZERO
                    }
                }
            };
            if wait.is_zero() {
                break;
            }
            std::thread::sleep(wait);
        }
        let fetched = self.client.get(link, None, None).ok()?;
        let Body::Fresh { bytes, .. } = fetched.body else {
            return None;
        };
        let text = crate::loader::decode(&bytes).ok()?.text;
        let ctx = crate::loader::FileContext {
            modified: Utc::now(),
            folder: None,
            extension: Some("html".into()),
            stem: None,
        };
        let loaded = crate::loader::parse_text(&text, &ctx).ok()?;
        let article = loaded.articles.into_iter().next()?;
        let body = article.paragraphs.join("\n\n");
        (!body.trim().is_empty()).then_some(body)
    }
}

/// Is this a web address (else a local file's path)?
pub fn is_web(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A feed's bytes as a feed: RSS, Atom or JSON Feed. The XML reader
/// expands no external entity and reads no DTD.
pub fn parse_feed(bytes: &[u8]) -> Result<feed_rs::model::Feed, HttpError> {
    feed_rs::parser::parse(bytes).map_err(|e| HttpError::NotAFeed(e.to_string()))
}
