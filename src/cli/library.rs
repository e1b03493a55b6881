//! Opening the library for a command: where it is (the paths given, the
//! configured library, or the bundled samples), the store brought up to
//! date with it, and the marks carried over to today's stories.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::config::{Config, Dirs};
use crate::fmt::{count, plural};
use crate::loader::sanitize::display_path;
use crate::state::{Filter, Marks};
use crate::store::{Detail, Progress, Store, StorySummary, SyncReport, Walk};
use crate::view::{Sort, View};

/// A library read into the store, ready for queries.
pub struct Library {
    pub store: Store,
    pub report: SyncReport,
    /// The marks, carried over to the stories as they are now.
    pub marks: Marks,
}

impl Library {
    /// The stories the list shows, in `sort` order, those `view` shows,
    /// at most `limit` of them: as the reader orders and filters them.
    pub fn in_view(
        &self,
        sort: Sort,
        view: View,
        filter: Option<&Filter>,
        limit: Option<usize>,
    ) -> Result<Vec<StorySummary>> {
        if let (None, Sort::Newest, Some(limit)) = (filter, sort, limit)
            && limit <= NEWEST_BY_INDEX
        {
            return self.newest(view, limit);
        }
        // The headline file: the whole list, read at once.
        let headlines = self.store.headlines()?;
        let mut rows = headlines.list();
        let marks = self.marks.set_of_marks();
        if view != View::All {
            rows.retain(|h| view.shows(marks.mark_of(h.id)));
        }
        match filter {
            Some(Filter::Query(query)) => {
                let mut keep = vec![false; rows.len()];
                for m in crate::search::rank(&rows, query) {
                    keep[m.index] = true;
                }
                let mut n = 0;
                rows.retain(|_| {
                    n += 1;
                    keep[n - 1]
                });
            }
            Some(filter) => rows.retain(|h| {
                crate::view::filter_keeps(filter, h, marks.mark_of(h.id)).unwrap_or(false)
            }),
            None => {}
        }
        crate::view::top(&mut rows, sort, limit.unwrap_or(usize::MAX));
        Ok(rows.iter().map(|h| h.to_summary()).collect())
    }

    /// The newest `limit` stories in `view`, read from the store by date
    /// until they are found, with every other story of the last one's
    /// date: the order among stories of one date is by headline.
    fn newest(&self, view: View, limit: usize) -> Result<Vec<StorySummary>> {
        let marks = self.marks.set_of_marks();
        let mut rows: Vec<StorySummary> = Vec::new();
        self.store.newest_first(&mut |story| {
            if rows.len() >= limit && rows.last().map(|r| r.published) != Some(story.published) {
                return false;
            }
            if view.shows(marks.mark_of(story.id.as_str())) {
                rows.push(story);
            }
            true
        })?;
        crate::view::top(&mut rows, Sort::Newest, limit);
        Ok(rows)
    }
}

/// The most stories `list --limit` reads by date from the store, rather
/// than from the headline file.
const NEWEST_BY_INDEX: usize = 10_000;

/// The settings in config.toml (saying on stderr what is wrong with any,
/// each with its line), or the defaults.
pub fn settings(dirs: &Dirs) -> Config {
    let Some(path) = dirs.config_path() else {
        return Config::default();
    };
    let loaded = Config::load(&path);
    for problem in &loaded.problems {
        eprintln!("byline: {}", problem.notice());
    }
    loaded.config
}

/// What walks of the library pass over: the `ignore` setting.
pub fn library_ignore(dirs: &Dirs) -> crate::loader::Ignore {
    dirs.config_path()
        .map(|path| Config::load(&path).config.ignore())
        .unwrap_or_default()
}

/// Paths given on the command line that are not there or cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.lines().collect::<Vec<_>>().join("; "))]
pub struct UnreadablePaths(pub Vec<(PathBuf, String)>);

impl UnreadablePaths {
    /// One line a path: "PATH: why".
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .iter()
            .map(|(path, why)| format!("{}: {why}", display_path(path)))
    }
}

/// Every path given must be there and readable: a folder listed, a file
/// opened. Each that is not is named, with why.
pub fn check_given(paths: &[PathBuf]) -> Result<(), UnreadablePaths> {
    let readable = |path: &Path| -> std::io::Result<()> {
        let meta = std::fs::metadata(path)?;
        if meta.is_dir() {
            std::fs::read_dir(path).map(drop)
        } else if meta.is_file() {
            std::fs::File::open(path).map(drop)
        } else {
            // A pipe or a device: opened, it could wait for ever; the walk says what it is.
            Ok(())
        }
    };
    let bad: Vec<(PathBuf, String)> = paths
        .iter()
        .filter_map(|path| {
            let err = readable(path).err()?;
            Some((path.clone(), io_reason(&err)))
        })
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(UnreadablePaths(bad))
    }
}

/// "No such file or directory", without the OS error number.
fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

/// Says on stderr which of `roots` gave no story.
pub fn mention_empty(store: &Store, roots: &[PathBuf]) -> Result<()> {
    for root in roots {
        if !store.has_stories_under(root)? {
            eprintln!("byline: no articles found in {}", display_path(root));
        }
    }
    Ok(())
}

/// The paths to read: those given (each must be readable), else the
/// configured library, else the bundled samples. Fetched feeds are part
/// of the library whatever it is (with feeds and no library, they are the
/// library: no samples).
pub fn library_roots(dirs: &Dirs, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        check_given(paths)?;
        return Ok(paths.to_vec());
    }
    let config = settings(dirs);
    let feeds = crate::feeds::feeds_dir(&dirs.data);
    let has_feeds = has_fetched(&feeds)
        || dirs
            .config
            .as_ref()
            .is_some_and(|c| c.join(crate::feeds::FEEDS_FILE).is_file());
    if !config.library.is_empty() {
        let mut roots = config.library;
        if has_feeds {
            roots.push(feeds);
        }
        return Ok(roots);
    }
    if has_feeds {
        std::fs::create_dir_all(&feeds)
            .with_context(|| format!("cannot make the feeds folder {}", feeds.display()))?;
        return Ok(vec![feeds]);
    }
    let samples = dirs.samples_dir();
    crate::samples::install(&samples)
        .with_context(|| format!("cannot write the bundled samples to {}", samples.display()))?;
    Ok(vec![samples])
}

/// Whether a fetch has put any feed's folder in the feeds folder.
fn has_fetched(feeds: &Path) -> bool {
    std::fs::read_dir(feeds)
        .is_ok_and(|mut entries| entries.any(|e| e.is_ok_and(|e| e.path().is_dir())))
}

/// The reader's library: as [`library_roots`], and with no path given,
/// the feeds folder always (made if need be), so that feeds followed
/// while the reader is open land in a folder it watches.
pub fn reader_roots(dirs: &Dirs, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut roots = library_roots(dirs, paths)?;
    let feeds = crate::feeds::feeds_dir(&dirs.data);
    if paths.is_empty() && !roots.contains(&feeds) {
        std::fs::create_dir_all(&feeds)
            .with_context(|| format!("cannot make the feeds folder {}", feeds.display()))?;
        roots.push(feeds);
    }
    Ok(roots)
}

/// Opens the store and brings it up to date with the library.
pub fn open_library(dirs: &Dirs, paths: &[PathBuf], detail: Detail) -> Result<Library> {
    let roots = library_roots(dirs, paths)?;
    let ignore = library_ignore(dirs);
    let mut store = open_store(dirs)?;
    let report = sync_library(&mut store, Walk::of(&roots, &ignore), detail)?;
    mention_empty(&store, &roots)?;
    store.set_ignore(ignore);
    let mut marks = load_marks(dirs);
    reconcile_marks(&store, &mut marks)?;
    Ok(Library {
        store,
        report,
        marks,
    })
}

/// Carries marks kept under older IDs (a story's earlier ID, a copy's own,
/// the headline-only IDs of version 1) over to the stories they name now.
pub fn reconcile_marks(store: &Store, marks: &mut Marks) -> Result<()> {
    let renamed = store.renamed(&marks.marked_ids())?;
    let legacy = store.legacy_matches(&marks.legacy_ids())?;
    if renamed.is_empty() && legacy.is_empty() {
        return Ok(());
    }
    marks.adopt(&renamed, &legacy);
    if let Err(err) = marks.save() {
        eprintln!("byline: {err}");
    }
    Ok(())
}

/// Opens the store, saying on stderr if it had to be rebuilt.
pub fn open_store(dirs: &Dirs) -> Result<Store> {
    let mut store = Store::open(&dirs.store_path())?;
    if let Some(notice) = store.take_notice() {
        eprintln!("byline: {notice}");
    }
    Ok(store)
}

/// Brings the store up to date with a walk of the library, with progress
/// on stderr for a long first index.
pub fn sync_library(store: &mut Store, walk: Walk, detail: Detail) -> Result<SyncReport> {
    let show_progress = std::io::stderr().is_terminal();
    let mut shown = false;
    let report = store.sync_walked(walk, detail, |p: Progress| {
        if show_progress && p.total >= 1000 {
            eprint!("\rindexed {} / {} files", count(p.done), count(p.total));
            shown = true;
        }
    })?;
    if shown {
        eprintln!();
    }
    Ok(report)
}

/// Says on stderr how many files were skipped, when any were.
pub fn mention_skips(report: &SyncReport) {
    let skipped = report.skipped();
    if skipped > 0 {
        eprintln!(
            "byline: {} skipped (run `byline check` to see why)",
            plural(skipped, "file", "files")
        );
    }
}

/// Loads the marks, saying on stderr what went wrong with them, if anything.
pub fn load_marks(dirs: &Dirs) -> Marks {
    let mut marks = dirs.marks();
    for notice in marks.take_notices() {
        eprintln!("byline: {notice}");
    }
    marks
}

pub fn write_json(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}
