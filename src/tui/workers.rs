//! The threads behind the interface: the library worker (the reader's
//! store connection, the related engine, the marks), the loader, the
//! engine builder, the matcher, the exporter, the file watcher and the
//! signal listener. Each reports through the one channel.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use anyhow::Result;

use super::Event;
use crate::app::{Action, Effect};
use crate::jobs::{self, Library};
use crate::store::{Store, StorySummary};

/// What the library worker takes.
enum Job {
    Effect(Effect),
    /// Read through a new connection to the store at this path (the old
    /// store was rebuilt).
    Reopen(PathBuf),
}

/// The library worker: effects go in, in order; answers come back as actions.
pub struct LibraryWorker {
    jobs: mpsc::Sender<Job>,
    thread: JoinHandle<()>,
}

impl LibraryWorker {
    pub fn spawn(mut library: Library, events: mpsc::Sender<Event>) -> LibraryWorker {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::spawn(move || {
            let mut send = |a| {
                let _ = events.send(Event::Action(a));
            };
            while let Ok(first) = queue.recv() {
                // Everything that waited goes as one batch: saves written
                // once, stale searches dropped.
                let mut batch = Vec::new();
                for job in std::iter::once(first).chain(queue.try_iter()) {
                    match job {
                        Job::Effect(effect) => batch.push(effect),
                        Job::Reopen(path) => {
                            library.run_batch(std::mem::take(&mut batch), &mut send);
                            match Store::open(&path) {
                                Ok(store) => library.reopen(store),
                                Err(e) => send(Action::Message(format!(
                                    "cannot open the rebuilt store: {e}"
                                ))),
                            }
                        }
                    }
                }
                library.run_batch(batch, &mut send);
            }
        });
        LibraryWorker { jobs, thread }
    }

    pub fn send(&self, effect: Effect) {
        let _ = self.jobs.send(Job::Effect(effect));
    }

    pub fn reopen(&self, path: PathBuf) {
        let _ = self.jobs.send(Job::Reopen(path));
    }

    /// Waits for the worker to finish what it was given (the last marks
    /// are saved).
    pub fn finish(self) {
        drop(self.jobs);
        let _ = self.thread.join();
    }
}

/// Syncs the library on a thread of its own, reporting progress as actions.
/// A store damaged inside is made anew from the files, once, and the
/// interface told to read the new one.
pub fn spawn_loader(
    store_path: PathBuf,
    roots: Vec<PathBuf>,
    ignore: crate::loader::Ignore,
    tx: mpsc::Sender<Event>,
) {
    std::thread::spawn(move || {
        let sync = |mut store: Store| {
            store.set_ignore(ignore.clone());
            let progress_tx = tx.clone();
            store.sync(&roots, move |p| {
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

/// Ranks headlines on a thread, a chunk at a time; stops early when a
/// newer query's generation is current.
pub fn spawn_matcher(
    items: Arc<Vec<StorySummary>>,
    query: String,
    generation: u64,
    current: Arc<AtomicU64>,
    tx: mpsc::Sender<Event>,
) {
    current.store(generation, Ordering::SeqCst);
    std::thread::spawn(move || {
        let is_current = || current.load(Ordering::SeqCst) == generation;
        jobs::rank_in_chunks(&items, &query, generation, &is_current, &mut |a| {
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
