//! The library worker: a thread that owns the reader's [`Library`] and
//! carries out its effects in the order they come, a batch of what waited
//! at a time.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::Library;
use crate::effect::Effect;
use crate::input::Action;
use crate::store::Store;

/// What the library worker takes.
enum Job {
    Effect(Effect),
    /// Read through a new connection to the store at this path (the old
    /// store was rebuilt).
    Reopen(PathBuf),
    /// Check the store (see [`Library::check_store`]), then say so.
    Check(mpsc::Sender<()>),
}

/// The library worker: effects go in, in order; answers come back as actions.
pub struct LibraryWorker {
    jobs: mpsc::Sender<Job>,
    thread: JoinHandle<Option<String>>,
}

impl LibraryWorker {
    /// Starts the worker on `library`; its answers go to `answer`.
    pub fn spawn(mut library: Library, answer: impl Fn(Action) + Send + 'static) -> LibraryWorker {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::spawn(move || {
            let mut send = |a| answer(a);
            while let Ok(first) = queue.recv() {
                // Everything that waited goes as one batch: saves written
                // once, stale searches dropped.
                let mut batch = Vec::new();
                for job in std::iter::once(first).chain(queue.try_iter()) {
                    match job {
                        Job::Effect(effect) => batch.push(effect),
                        Job::Check(done) => {
                            library.run_batch(std::mem::take(&mut batch), &mut send);
                            library.check_store(&mut send);
                            let _ = done.send(());
                        }
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
            library.close()
        });
        LibraryWorker { jobs, thread }
    }

    pub fn send(&self, effect: Effect) {
        let _ = self.jobs.send(Job::Effect(effect));
    }

    pub fn reopen(&self, path: PathBuf) {
        let _ = self.jobs.send(Job::Reopen(path));
    }

    /// Has the worker check its store (letting go of a file removed,
    /// replaced or damaged); `done` hears when it has.
    pub fn check(&self, done: mpsc::Sender<()>) {
        let _ = self.jobs.send(Job::Check(done));
    }

    /// Waits for the worker to finish what it was given, and saves any
    /// marks not saved yet. Says what the user must know about marks that
    /// could not be saved (see [`Library::close`]).
    pub fn finish(self) -> Option<String> {
        drop(self.jobs);
        self.thread
            .join()
            .unwrap_or_else(|_| Some("the library worker stopped unexpectedly".to_owned()))
    }
}
