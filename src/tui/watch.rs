//! Live reload: a burst of changes to the library's files becomes one
//! reload, a quarter of a second after the burst ends. The system's file
//! events are used where they work; where they do not (past inotify's
//! watch limit, on some network file systems), the library is polled. The
//! user is told either way.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecursiveMode, Watcher};

use crate::app::Action;

/// A burst of changes ends after this long without one...
const QUIET: Duration = Duration::from_millis(250);
/// ...or this long after it began, so that a file that never stops
/// changing does not hold the others back.
const MAX_WAIT: Duration = Duration::from_secs(1);

/// Waits for a burst of changes to end: `quiet` without one, or `max`
/// since it began. False when the watcher is gone.
fn settle(changes: &mpsc::Receiver<()>, quiet: Duration, max: Duration) -> bool {
    let began = std::time::Instant::now();
    loop {
        let left = max.saturating_sub(began.elapsed());
        if left.is_zero() {
            return true;
        }
        match changes.recv_timeout(quiet.min(left)) {
            Ok(()) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => return true,
            Err(mpsc::RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// How often a polled library is looked at.
pub const POLL_INTERVAL: Duration = Duration::from_secs(10);

/// The watchers; watching lasts as long as this lives.
pub struct Watching {
    _watchers: Vec<Box<dyn Watcher + Send>>,
}

/// Watches `roots`, ignoring the store's own writes in `data_dir` and
/// hidden files, and sends `Action::Sync` after each burst of changes,
/// and `Action::WatchProblem` when watching falls back or fails.
pub fn watch_library(
    roots: &[PathBuf],
    data_dir: &Path,
    poll_every: Duration,
    force_poll: bool,
    send: impl Fn(Action) -> bool + Send + Clone + 'static,
) -> Watching {
    let (changes_tx, changes) = mpsc::channel::<()>();
    let data_dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let handler = {
        let send = send.clone();
        let roots = roots.to_vec();
        move || Handler {
            roots: roots.clone(),
            data_dir: data_dir.clone(),
            changes: changes_tx.clone(),
            send: Box::new(send.clone()),
            told: false,
        }
    };
    let mut watchers: Vec<Box<dyn Watcher + Send>> = Vec::new();
    let mut unwatched: Vec<(&PathBuf, String)> = Vec::new();
    match notify::recommended_watcher(handler()) {
        Ok(mut native) if !force_poll => {
            for root in roots {
                if let Err(e) = native.watch(root, RecursiveMode::Recursive) {
                    unwatched.push((root, e.to_string()));
                }
            }
            watchers.push(Box::new(native));
        }
        Ok(_) => unwatched.extend(roots.iter().map(|r| (r, "polling asked for".to_owned()))),
        Err(e) => unwatched.extend(roots.iter().map(|r| (r, e.to_string()))),
    }
    if !unwatched.is_empty() {
        let problem = poll(&unwatched, handler(), poll_every, &mut watchers);
        send(Action::WatchProblem(problem));
    }
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            if !settle(&changes, QUIET, MAX_WAIT) || !send(Action::Sync) {
                break;
            }
        }
    });
    Watching {
        _watchers: watchers,
    }
}

/// Polls the folders file events could not watch. Says what happened.
fn poll(
    unwatched: &[(&PathBuf, String)],
    handler: Handler,
    every: Duration,
    watchers: &mut Vec<Box<dyn Watcher + Send>>,
) -> String {
    let names: Vec<String> = unwatched
        .iter()
        .map(|(r, _)| r.display().to_string())
        .collect();
    let why = &unwatched[0].1;
    let config = notify::Config::default().with_poll_interval(every);
    let mut poller = match PollWatcher::new(handler, config) {
        Ok(p) => p,
        Err(e) => {
            return format!(
                "live reload is off for {} ({why}; polling failed too: {e}): r reloads",
                names.join(", ")
            );
        }
    };
    let failed: Vec<String> = unwatched
        .iter()
        .filter_map(|(root, _)| {
            let e = poller.watch(root, RecursiveMode::Recursive).err()?;
            Some(format!("{}: {e}", root.display()))
        })
        .collect();
    watchers.push(Box::new(poller));
    if failed.is_empty() {
        format!(
            "file events are unavailable for {} ({why}): checking for changes every {} s",
            names.join(", "),
            every.as_secs().max(1)
        )
    } else {
        format!("live reload is off for {}: r reloads", failed.join("; "))
    }
}

/// Turns file events into "something changed", and says once if the
/// watcher reports errors.
struct Handler {
    roots: Vec<PathBuf>,
    data_dir: PathBuf,
    changes: mpsc::Sender<()>,
    send: Box<dyn Fn(Action) -> bool + Send>,
    told: bool,
}

impl notify::EventHandler for Handler {
    fn handle_event(&mut self, event: notify::Result<notify::Event>) {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                if !std::mem::replace(&mut self.told, true) {
                    (self.send)(Action::WatchProblem(format!(
                        "watching the library failed ({e}): changes may be missed, r reloads"
                    )));
                }
                return;
            }
        };
        let changes_files = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        );
        if changes_files && event.paths.iter().any(|p| self.visible(p)) {
            let _ = self.changes.send(());
        }
    }
}

impl Handler {
    /// A file of the library: inside a root, not in the data folder, and
    /// not hidden (the walk passes hidden files and folders over).
    fn visible(&self, path: &Path) -> bool {
        let inside = self
            .roots
            .iter()
            .find_map(|root| path.strip_prefix(root).ok());
        !path.starts_with(&self.data_dir)
            && inside.is_some_and(|rest| {
                !rest.components().any(|c| {
                    c.as_os_str()
                        .to_str()
                        .is_some_and(|n| n.starts_with('.') && n.len() > 1)
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits up to `secs` for an action that `want` accepts.
    fn wait_for(rx: &mpsc::Receiver<Action>, secs: u64, want: impl Fn(&Action) -> bool) -> bool {
        let until = std::time::Instant::now() + Duration::from_secs(secs);
        while let Some(left) = until.checked_duration_since(std::time::Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(a) if want(&a) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    }

    fn watch(force_poll: bool) -> (tempfile::TempDir, Watching, mpsc::Receiver<Action>) {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib");
        std::fs::create_dir_all(&lib).unwrap();
        let (tx, rx) = mpsc::channel();
        let send = move |a| tx.send(a).is_ok();
        let watching = watch_library(
            &[lib],
            &dir.path().join("data"),
            Duration::from_millis(100),
            force_poll,
            send,
        );
        (dir, watching, rx)
    }

    #[test]
    fn a_burst_ends_when_quiet_or_at_the_latest_after_the_longest_wait() {
        let (tx, rx) = mpsc::channel();
        // Changes every 10 ms, for ever: the burst ends at the longest wait.
        let sender = std::thread::spawn(move || {
            while tx.send(()).is_ok() {
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        let started = std::time::Instant::now();
        assert!(settle(
            &rx,
            Duration::from_millis(50),
            Duration::from_millis(300)
        ));
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(300) && waited < Duration::from_secs(2),
            "{waited:?}"
        );
        drop(rx);
        sender.join().unwrap();
        // Quiet ends it sooner; a watcher gone ends it too.
        let (tx, rx) = mpsc::channel::<()>();
        let started = std::time::Instant::now();
        assert!(settle(
            &rx,
            Duration::from_millis(50),
            Duration::from_secs(5)
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
        drop(tx);
        assert!(!settle(
            &rx,
            Duration::from_millis(50),
            Duration::from_secs(5)
        ));
    }

    #[test]
    fn file_events_reload_and_hidden_files_do_not() {
        let (dir, _watching, rx) = watch(false);
        std::fs::write(dir.path().join("lib/.draft.txt"), "x").unwrap();
        assert!(!wait_for(&rx, 1, |a| *a == Action::Sync));
        std::fs::write(dir.path().join("lib/story.txt"), "Title\n\nText.\n").unwrap();
        assert!(wait_for(&rx, 5, |a| *a == Action::Sync));
    }

    #[test]
    fn without_file_events_the_library_is_polled_and_the_user_told() {
        let (dir, _watching, rx) = watch(true);
        assert!(wait_for(&rx, 1, |a| matches!(
            a,
            Action::WatchProblem(text) if text.contains("checking for changes every")
        )));
        std::fs::write(dir.path().join("lib/story.txt"), "Title\n\nText.\n").unwrap();
        assert!(wait_for(&rx, 5, |a| *a == Action::Sync));
    }

    #[test]
    fn a_folder_that_cannot_be_watched_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = mpsc::channel();
        let _watching = watch_library(
            &[dir.path().join("missing")],
            dir.path(),
            Duration::from_millis(100),
            false,
            move |a| tx.send(a).is_ok(),
        );
        assert!(wait_for(&rx, 1, |a| matches!(
            a,
            Action::WatchProblem(text) if text.contains("missing")
        )));
    }
}
