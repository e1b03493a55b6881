//! The threads behind the interface: the library worker (the reader's
//! store connection, the related engine, the marks), the loader, the
//! engine builder, the matcher, the exporter, the file watcher and the
//! signal listener. Each reports through the one channel.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

use anyhow::Result;

use super::Event;
use crate::app::Action;
use crate::jobs;
use crate::store::{Store, StorySummary};

/// Syncs the library on a thread of its own, reporting progress as actions.
/// A store damaged inside is made anew from the files, once, and the
/// interface told to read the new one.
pub fn spawn_loader(
    store_path: PathBuf,
    roots: Vec<PathBuf>,
    ignore: crate::loader::Ignore,
    tx: mpsc::Sender<Event>,
    after: mpsc::Receiver<()>,
) {
    std::thread::spawn(move || {
        // The library worker lets go of a store that was removed, replaced
        // or damaged first, so that this connection opens a sound one.
        let _ = after.recv_timeout(std::time::Duration::from_secs(30));
        let sync = |mut store: Store| {
            store.set_ignore(ignore.clone());
            let progress_tx = tx.clone();
            // The load report shows the files that did not load cleanly.
            store.sync_with(&roots, crate::store::Detail::Problems, move |p| {
                let _ = progress_tx.send(Event::Action(Action::LoadProgress {
                    done: p.done,
                    total: p.total,
                }));
            })
        };
        let result = match Store::open(&store_path).and_then(sync) {
            Err(err) if err.is_corruption() => {
                Store::rebuild(&store_path, "its contents are malformed").and_then(|mut store| {
                    if let Some(notice) = store.take_notice() {
                        let _ = tx.send(Event::StoreRebuilt(notice));
                    }
                    sync(store)
                })
            }
            other => other,
        };
        let action = match result {
            Ok(report) => Action::LoadFinished(Box::new(report)),
            Err(e) => Action::LoadFailed(e.to_string()),
        };
        let _ = tx.send(Event::Action(action));
    });
}

/// Runs a job that needs a store connection of its own on a thread.
fn spawn_with_store(
    store_path: PathBuf,
    tx: mpsc::Sender<Event>,
    job: impl FnOnce(&Store) -> Action + Send + 'static,
) {
    std::thread::spawn(move || {
        let action = match Store::open(&store_path) {
            Ok(store) => job(&store),
            Err(e) => Action::Message(format!("cannot open the store: {e}")),
        };
        let _ = tx.send(Event::Action(action));
    });
}

/// Builds or updates the related engine on a thread of its own.
pub fn spawn_engine(store_path: PathBuf, tx: mpsc::Sender<Event>) {
    spawn_with_store(store_path, tx, jobs::build_engine);
}

/// Exports stories to an HTML page in the current folder.
pub fn spawn_export(
    store_path: PathBuf,
    ids: Vec<crate::article::ArticleId>,
    tx: mpsc::Sender<Event>,
) {
    let dir = std::env::current_dir().unwrap_or_default();
    spawn_with_store(store_path, tx, move |store| {
        jobs::export_page(store, &ids, &dir)
    });
}

/// Fetches every feed on a thread, its progress and outcome sent back.
pub fn spawn_fetch(places: crate::jobs::feeds::FeedPlaces, tx: mpsc::Sender<Event>) {
    let tx = std::sync::Mutex::new(tx);
    std::thread::spawn(move || {
        crate::jobs::feeds::fetch(&places, &|a| {
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(Event::Action(a));
            }
        });
    });
}

/// Reads each feed's standing on a thread.
pub fn spawn_feed_statuses(places: crate::jobs::feeds::FeedPlaces, tx: mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        let _ = tx.send(Event::Action(crate::jobs::feeds::statuses(&places)));
    });
}

/// Ranks headlines on a thread, a chunk at a time; stops early when a
/// newer query's generation is current.
pub fn spawn_matcher(
    matcher: jobs::Matcher,
    items: Arc<Vec<StorySummary>>,
    query: String,
    generation: u64,
    current: Arc<AtomicU64>,
    tx: mpsc::Sender<Event>,
) {
    current.store(generation, Ordering::SeqCst);
    std::thread::spawn(move || {
        let is_current = || current.load(Ordering::SeqCst) == generation;
        matcher.rank(&items, &query, generation, &is_current, &mut |a| {
            tx.send(Event::Action(a)).is_ok()
        });
    });
}

/// Quits on SIGTERM, SIGHUP and SIGINT (through the event loop, so the
/// terminal is restored and the marks saved).
pub fn spawn_signals(tx: mpsc::Sender<Event>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Event::Signal);
        }
    });
    Ok(())
}
