//! The reader's `F`: every feed fetched (on the calling thread, which the
//! interface makes a worker of), progress and the outcome sent back as
//! actions; and each feed's standing for the sources view.

use std::path::PathBuf;

use crate::feeds::{self, FeedList, FetchOptions};
use crate::input::Action;

/// Where feeds are kept: the config folder (feeds.toml) and the data
/// folder (fetched items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPlaces {
    pub config: Option<PathBuf>,
    pub data: PathBuf,
}

impl FeedPlaces {
    fn list(&self) -> Result<FeedList, String> {
        let config = self
            .config
            .as_deref()
            .ok_or("there is no config folder to keep feeds in")?;
        FeedList::load(config).map_err(|e| e.to_string())
    }
}

/// Fetches every feed, sending [`Action::FetchProgress`] as each ends and
/// [`Action::FetchDone`] at the end (then the feeds' standing).
pub fn fetch(places: &FeedPlaces, send: &(dyn Fn(Action) + Sync)) {
    let mut list = match places.list() {
        Ok(list) => list,
        Err(e) => return send(Action::FetchDone(format!("cannot fetch: {e}"))),
    };
    let chosen: Vec<feeds::Feed> = list.all().cloned().collect();
    if chosen.is_empty() {
        return send(Action::FetchDone(
            "no feeds yet: `byline feed add URL` follows one".to_owned(),
        ));
    }
    let total = chosen.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let result = feeds::fetch_all(
        &chosen,
        &feeds::feeds_dir(&places.data),
        places.config.as_deref(),
        &FetchOptions::default(),
        &|report| {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            send(Action::FetchProgress {
                done: n,
                total,
                name: report.name.clone(),
            });
        },
    );
    let said = match result {
        Ok(reports) => {
            // Feeds that moved for good: feeds.toml follows them.
            let _ = list.follow_moves(&reports);
            summary(&reports)
        }
        Err(e) => format!("cannot fetch: {e}"),
    };
    send(Action::FetchDone(said));
    send(statuses(places));
}

/// "fetched 12 feeds: 34 new · 1 failed (Tide Times: HTTP 500)".
fn summary(reports: &[feeds::FeedReport]) -> String {
    use crate::fmt::plural;
    let new: usize = reports
        .iter()
        .map(|r| match r.outcome {
            feeds::Outcome::Fetched { new, .. } => new,
            _ => 0,
        })
        .sum();
    let failed: Vec<&feeds::FeedReport> = reports.iter().filter(|r| r.failed()).collect();
    let mut said = format!(
        "fetched {}: {} new",
        plural(reports.len(), "feed", "feeds"),
        new
    );
    if let Some(first) = failed.first() {
        let why = match &first.outcome {
            feeds::Outcome::Failed { error } => error.as_str(),
            _ => "",
        };
        said.push_str(&format!(
            " · {} failed ({}: {why})",
            failed.len(),
            first.name
        ));
    }
    said
}

/// Each feed's standing (items, last error), for the sources view.
pub fn statuses(places: &FeedPlaces) -> Action {
    let Ok(list) = places.list() else {
        return Action::FeedsLoaded(Vec::new());
    };
    Action::FeedsLoaded(feeds::statuses(
        list.all(),
        &feeds::feeds_dir(&places.data),
        None,
    ))
}
