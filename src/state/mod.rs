//! Read and saved marks: loaded at start, saved atomically on every change,
//! merged with what other running instances saved, under a lock.
//!
//! Version 1 files keyed marks by headline-only IDs. Those marks are kept
//! as `legacy` and carried over to today's stories as the store finds the
//! stories they belong to ([`Marks::adopt`]).
//!
//! The file is `<config dir>/state.json`; the lock is a separate
//! `state.lock` (the state file's inode changes with every rename).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::article::ArticleId;

mod extras;
mod file;
mod mark;
mod recovery;
pub use extras::{ExtraChange, Extras, Filter, HISTORY_LIMIT, Session};
use file::{Disk, StateFile, read_disk, write_state};
pub use mark::{Mark, MarkSet, clean_tag};
pub use recovery::RecoveryPlaces;

pub const STATE_FILE: &str = "state.json";
pub const LOCK_FILE: &str = "state.lock";
/// The schema version this build writes.
pub const VERSION: u32 = 3;
/// The version whose IDs came from headlines alone.
const HEADLINE_IDS: u32 = 1;

/// Why marks cannot be saved. Written for users.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("marks cannot be saved: {0}")]
    ReadOnly(String),
    #[error("marks cannot be saved: {error} ({path})")]
    Io { path: String, error: std::io::Error },
}

/// The user's marks, in memory, tied to a state file when there is one.
#[derive(Debug)]
pub struct Marks {
    marks: MarkSet,
    /// IDs changed here since the last save: ours win when merging.
    dirty: BTreeSet<ArticleId>,
    /// Marks under headline-only IDs, waiting for their stories.
    legacy: BTreeMap<ArticleId, Mark>,
    /// Legacy IDs carried over here since the last save.
    adopted: BTreeSet<ArticleId>,
    /// The session, query history and saved queries.
    extras: Extras,
    /// Changes to them made here since the last save, in order.
    extra_changes: Vec<ExtraChange>,
    dir: Option<PathBuf>,
    /// Set when saving would lose data (unreadable or too-new file): we never write.
    read_only: Option<String>,
    notices: Vec<String>,
    /// Recovery files merged in, removed once the marks are saved.
    recovered: Vec<PathBuf>,
}

fn io_err(path: &Path, source: std::io::Error) -> StateError {
    StateError::Io {
        path: path.display().to_string(),
        error: source,
    }
}

impl Marks {
    /// Marks kept only in memory (tests, or no config folder).
    pub fn in_memory() -> Marks {
        Marks {
            marks: MarkSet::new(),
            dirty: BTreeSet::new(),
            legacy: BTreeMap::new(),
            adopted: BTreeSet::new(),
            extras: Extras::default(),
            extra_changes: Vec::new(),
            dir: None,
            read_only: None,
            notices: Vec::new(),
            recovered: Vec::new(),
        }
    }

    /// Marks that cannot be kept: they work in memory, and saving them says why not.
    pub fn unsaved(why: &str) -> Marks {
        Marks {
            read_only: Some(why.to_owned()),
            notices: vec![format!("marks will not be saved: {why}")],
            ..Marks::in_memory()
        }
    }

    /// Loads the marks in `dir`. Never fails: a missing file starts fresh; an
    /// unreadable or too-new one is kept in memory and never overwritten; a
    /// corrupt one is moved aside. Each case leaves a notice.
    pub fn load(dir: &Path) -> Marks {
        let mut marks = Marks {
            dir: Some(dir.to_path_buf()),
            ..Marks::in_memory()
        };
        marks.clean_temp_files();
        let path = dir.join(STATE_FILE);
        match read_disk(&path) {
            Disk::Missing => {}
            Disk::Found(file) => {
                marks.marks = file.stories;
                marks.legacy = file.legacy;
                marks.extras = file.extras;
            }
            Disk::TooNew(found) => {
                let why = format!(
                    "{} was written by a newer byline (version {found}, this one knows {VERSION}); marks will not be saved",
                    path.display()
                );
                marks.notices.push(why.clone());
                marks.read_only = Some(why);
            }
            Disk::Unreadable(e) => {
                let why = format!(
                    "cannot read {}: {e}; marks are kept in memory only",
                    path.display()
                );
                marks.notices.push(why.clone());
                marks.read_only = Some(why);
            }
            Disk::Corrupt(e) => {
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
                let aside = dir.join(format!("{STATE_FILE}.corrupt-{stamp}"));
                match std::fs::rename(&path, &aside) {
                    Ok(()) => marks.notices.push(format!(
                        "{} was damaged ({e}); it was moved to {} and marks start afresh",
                        path.display(),
                        aside.display()
                    )),
                    Err(err) => {
                        let why = format!(
                            "{} is damaged ({e}) and could not be moved aside ({err}); marks will not be saved",
                            path.display()
                        );
                        marks.notices.push(why.clone());
                        marks.read_only = Some(why);
                    }
                }
            }
        }
        marks
    }

    /// The session, query history and saved queries.
    pub fn extras(&self) -> &Extras {
        &self.extras
    }

    /// Changes the session, the history or the saved queries; saved with
    /// the marks.
    pub fn change_extras(&mut self, change: ExtraChange) {
        if self.extras.apply(&change) {
            self.extra_changes.push(change);
        }
    }

    /// Adds a message for the user.
    pub fn push_notice(&mut self, notice: String) {
        self.notices.push(notice);
    }

    /// Messages for the user about the state file, once.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Removes temporary files left by a save that was killed before its
    /// rename, when no other instance is saving (every save holds the lock).
    fn clean_temp_files(&self) {
        let Some(dir) = &self.dir else { return };
        let Ok(lock) = File::options().write(true).open(dir.join(LOCK_FILE)) else {
            return; // never saved here, so nothing was left behind
        };
        if lock.try_lock().is_ok() {
            for stale in crate::atomic::temp_files(&dir.join(STATE_FILE)) {
                let _ = std::fs::remove_file(stale);
            }
        }
    }

    pub fn get(&self, id: &ArticleId) -> Mark {
        self.marks.get(id)
    }

    pub fn is_read(&self, id: &ArticleId) -> bool {
        self.get(id).read
    }

    pub fn is_saved(&self, id: &ArticleId) -> bool {
        self.get(id).saved
    }

    /// Sets a story's marks (in memory; call [`Marks::save`] to persist).
    pub fn set(&mut self, id: &ArticleId, mark: Mark) {
        if self.marks.set(id, mark) {
            self.dirty.insert(id.clone());
        }
    }

    pub fn set_read(&mut self, id: &ArticleId, read: bool) {
        let mark = Mark {
            read,
            ..self.get(id)
        };
        self.set(id, mark);
    }

    pub fn set_saved(&mut self, id: &ArticleId, saved: bool) {
        let mark = Mark {
            saved,
            ..self.get(id)
        };
        self.set(id, mark);
    }

    /// Every ID that holds a mark, today's and legacy.
    pub fn marked_ids(&self) -> Vec<ArticleId> {
        self.marks.iter().map(|(id, _)| id.clone()).collect()
    }

    /// The headline-only IDs whose marks wait for their stories.
    pub fn legacy_ids(&self) -> std::collections::HashSet<ArticleId> {
        self.legacy.keys().cloned().collect()
    }

    /// Carries marks over to the stories that hold them now: `renamed`
    /// gives (an ID marks are kept under, the story it names today), from
    /// the store's aliases; `legacy` gives (a headline-only ID, a story
    /// whose headline gives it), and one legacy ID may give several
    /// stories. Each story gets the union of its marks; the old entries go.
    /// Returns how many stories changed (in memory; save to keep).
    pub fn adopt(
        &mut self,
        renamed: &[(ArticleId, ArticleId)],
        legacy: &[(ArticleId, ArticleId)],
    ) -> usize {
        let mut changed = 0;
        for (old, new) in renamed {
            let mark = self.marks.get(old);
            if mark.is_empty() {
                continue;
            }
            self.set(old, Mark::default());
            let merged = self.get(new).union(&mark);
            if merged != self.get(new) {
                changed += 1;
            }
            self.set(new, merged);
        }
        for (old, new) in legacy {
            let Some(mark) = self.legacy.get(old).cloned() else {
                continue;
            };
            let merged = self.get(new).union(&mark);
            if merged != self.get(new) {
                changed += 1;
                self.set(new, merged);
            }
            self.adopted.insert(old.clone());
        }
        for old in &self.adopted {
            self.legacy.remove(old);
        }
        changed
    }

    /// Counts of (read, saved) marks.
    pub fn counts(&self) -> (usize, usize) {
        self.marks.counts()
    }

    /// The marks as plain data, for the reader to hold.
    pub fn snapshot(&self) -> MarkSet {
        self.marks.clone()
    }

    /// The marks as they are in memory.
    pub fn set_of_marks(&self) -> &MarkSet {
        &self.marks
    }

    /// Whether some marks set here are not in the state file yet.
    pub fn has_unsaved(&self) -> bool {
        !self.dirty.is_empty() || !self.adopted.is_empty() || !self.extra_changes.is_empty()
    }

    /// Why saving is impossible, if it is.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Takes in what another process saved since (a fetch that tagged new
    /// stories, a `byline mark` from a script): their marks for every
    /// story not changed here. Says whether anything changed.
    pub fn refresh(&mut self) -> bool {
        let Some(dir) = &self.dir else { return false };
        let Disk::Found(file) = read_disk(&dir.join(STATE_FILE)) else {
            return false;
        };
        let mut theirs = file.stories;
        for id in &self.dirty {
            theirs.set(id, self.marks.get(id));
        }
        if theirs == self.marks {
            return false;
        }
        self.marks = theirs;
        true
    }

    /// Saves: under the lock, reads what is on disk (other instances' marks),
    /// applies this instance's changes over it, and replaces the file
    /// atomically. Afterwards memory holds the merged marks. Says whether
    /// other instances' marks came in (memory changed by more than ours).
    pub fn save(&mut self) -> Result<bool, StateError> {
        if let Some(why) = &self.read_only {
            return Err(StateError::ReadOnly(why.clone()));
        }
        let Some(dir) = self.dir.clone() else {
            return Ok(false);
        };
        if self.dirty.is_empty() && self.adopted.is_empty() && self.extra_changes.is_empty() {
            return Ok(false);
        }
        std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_err(&lock_path, e))?;
        lock.lock().map_err(|e| io_err(&lock_path, e))?;
        let path = dir.join(STATE_FILE);
        let (mut merged, mut legacy, mut extras) = match read_disk(&path) {
            Disk::Found(file) => (file.stories, file.legacy, file.extras),
            Disk::Missing => (MarkSet::new(), BTreeMap::new(), Extras::default()),
            Disk::TooNew(v) => {
                let why = format!(
                    "{} was written by a newer byline (version {v})",
                    path.display()
                );
                self.read_only = Some(why.clone());
                return Err(StateError::ReadOnly(why));
            }
            // Damaged or unreadable since we loaded it: never overwrite what we cannot read.
            Disk::Corrupt(e) | Disk::Unreadable(e) => {
                return Err(StateError::ReadOnly(format!(
                    "{} cannot be read now: {e}",
                    path.display()
                )));
            }
        };
        for id in &self.dirty {
            merged.set(id, self.marks.get(id));
        }
        for old in &self.adopted {
            legacy.remove(old);
        }
        for change in &self.extra_changes {
            extras.apply(change);
        }
        let file = StateFile {
            version: VERSION,
            stories: merged,
            legacy,
            extras,
        };
        for stale in crate::atomic::temp_files(&path) {
            let _ = std::fs::remove_file(stale); // left by a killed save
        }
        write_state(&path, &file)?;
        let merged_in = file.stories != self.marks;
        self.marks = file.stories;
        self.legacy = file.legacy;
        self.extras = file.extras;
        self.extra_changes.clear();
        self.dirty.clear();
        self.adopted.clear();
        for merged in std::mem::take(&mut self.recovered) {
            let _ = std::fs::remove_file(merged);
        }
        drop(lock); // unlocks
        Ok(merged_in)
    }
}

#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ArticleId {
        ArticleId::from_raw(s)
    }

    #[test]
    fn save_and_load_round_trip_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let mut marks = Marks::load(dir.path());
        assert!(marks.take_notices().is_empty());
        marks.set_read(&id("aaaa"), true);
        marks.set_saved(&id("bbbb"), true);
        marks.save().unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("tmp")), "{names:?}");
        let again = Marks::load(dir.path());
        assert!(again.is_read(&id("aaaa")) && !again.is_saved(&id("aaaa")));
        assert!(again.is_saved(&id("bbbb")));
        assert_eq!(again.counts(), (1, 1));
    }

    #[test]
    fn version_1_marks_wait_as_legacy_and_are_adopted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(STATE_FILE),
            r#"{"version":1,"stories":{"oldbriefin":{"read":true},"oldpage0001":{"saved":true}}}"#,
        )
        .unwrap();
        let mut marks = Marks::load(dir.path());
        assert!(marks.take_notices().is_empty());
        assert_eq!(marks.counts(), (0, 0));
        assert_eq!(marks.legacy_ids().len(), 2);
        // One legacy ID gives two stories (two Morning Briefings).
        let n = marks.adopt(
            &[],
            &[
                (id("oldbriefin"), id("monday0001")),
                (id("oldbriefin"), id("tuesday001")),
            ],
        );
        assert_eq!(n, 2);
        marks.save().unwrap();
        let again = Marks::load(dir.path());
        assert!(again.is_read(&id("monday0001")) && again.is_read(&id("tuesday001")));
        assert_eq!(
            again.legacy_ids(),
            [id("oldpage0001")].into_iter().collect()
        );
        let text = std::fs::read_to_string(dir.path().join(STATE_FILE)).unwrap();
        assert!(
            text.starts_with(&format!("{{\"version\":{VERSION}")),
            "{text}"
        );
    }

    #[test]
    fn a_renamed_story_keeps_its_marks() {
        let dir = tempfile::tempdir().unwrap();
        let mut marks = Marks::load(dir.path());
        marks.set_saved(&id("before0001"), true);
        marks.set_read(&id("after00001"), true);
        marks.save().unwrap();
        marks.adopt(&[(id("before0001"), id("after00001"))], &[]);
        marks.save().unwrap();
        let again = Marks::load(dir.path());
        assert!(again.is_saved(&id("after00001")) && again.is_read(&id("after00001")));
        assert!(!again.is_saved(&id("before0001")));
        assert_eq!(again.counts(), (1, 1));
    }

    #[test]
    fn two_instances_merge_and_keep_both() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Marks::load(dir.path());
        let mut b = Marks::load(dir.path());
        a.set_read(&id("aaaa"), true);
        a.save().unwrap();
        b.set_saved(&id("bbbb"), true);
        b.save().unwrap();
        // b's save merged a's mark in.
        assert!(b.is_read(&id("aaaa")));
        // An unmark by a wins over b's stale copy, as a saves later.
        a.set_read(&id("aaaa"), false);
        a.save().unwrap();
        let disk = Marks::load(dir.path());
        assert!(!disk.is_read(&id("aaaa")));
        assert!(disk.is_saved(&id("bbbb")));
    }

    #[test]
    fn corrupt_file_is_moved_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(STATE_FILE),
            "{\"version\": 1, \"stories\": {",
        )
        .unwrap();
        let mut marks = Marks::load(dir.path());
        let notices = marks.take_notices();
        assert!(notices[0].contains("damaged"), "{notices:?}");
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("state.json.corrupt-")
            })
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read_to_string(aside[0].path()).unwrap(),
            "{\"version\": 1, \"stories\": {"
        );
        marks.set_read(&id("cccc"), true);
        marks.save().unwrap();
        assert!(Marks::load(dir.path()).is_read(&id("cccc")));
    }

    #[test]
    fn newer_version_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let text = "{\"version\": 99, \"stories\": {}, \"future\": true}";
        std::fs::write(dir.path().join(STATE_FILE), text).unwrap();
        let mut marks = Marks::load(dir.path());
        assert!(marks.take_notices()[0].contains("newer byline"));
        marks.set_read(&id("aaaa"), true);
        assert!(marks.is_read(&id("aaaa")), "marks still work in memory");
        assert!(matches!(marks.save(), Err(StateError::ReadOnly(_))));
        assert_eq!(
            std::fs::read_to_string(dir.path().join(STATE_FILE)).unwrap(),
            text
        );
    }

    #[test]
    fn wrong_shape_and_empty_files_are_quarantined() {
        for text in ["", "[1,2,3]", "{\"version\": 1, \"stories\": [\"x\"]}"] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(STATE_FILE), text).unwrap();
            let mut marks = Marks::load(dir.path());
            assert_eq!(marks.take_notices().len(), 1, "{text:?}");
            assert!(!dir.path().join(STATE_FILE).exists());
        }
    }

    #[test]
    fn stale_temp_files_are_removed_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join("state.json.tmp-999999999");
        std::fs::write(&stale, "partial").unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), "").unwrap();
        let lock = File::options()
            .write(true)
            .open(dir.path().join(LOCK_FILE))
            .unwrap();
        lock.lock().unwrap();
        let _ = Marks::load(dir.path());
        assert!(
            stale.exists(),
            "another instance is saving: its file is left alone"
        );
        drop(lock);
        let _ = Marks::load(dir.path());
        assert!(!stale.exists());
    }

    #[test]
    fn unwritable_place_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, "x").unwrap();
        let mut marks = Marks::load(&file.join("byline"));
        marks.set_read(&id("aaaa"), true);
        let err = marks.save().unwrap_err().to_string();
        assert!(err.starts_with("marks cannot be saved"), "{err}");
        assert!(marks.is_read(&id("aaaa")));
    }
}
