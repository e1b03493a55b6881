//! The walk of the library compared with the files the store knows: what
//! is new, changed, unchanged and gone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::report::{Detail, FileReport, FileStatus};
use super::write::{self, path_key};
use super::{Result, Store};
use crate::loader::{self, Ignore, WalkEntry, WalkSkip};

/// A hash map with a fast hash: the keys are our own paths, not an attacker's.
pub(super) type FastMap<K, V> = HashMap<K, V, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

fn under_roots(path: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| Path::new(path).starts_with(r))
}

/// What a walk of the library found, for [`Store::sync_walked`].
pub struct Walk {
    pub(super) roots: Vec<PathBuf>,
    pub(super) root_keys: Vec<String>,
    pub(super) walked: Vec<WalkEntry>,
    pub(super) skips: Vec<WalkSkip>,
}

impl Walk {
    /// Walks `roots` (which need not be canonical), passing over what
    /// `ignore` names.
    pub fn of(roots: &[PathBuf], ignore: &Ignore) -> Walk {
        let roots = canonical_roots(roots);
        let (walked, skips) = loader::walk(&roots, ignore);
        Walk {
            root_keys: roots.iter().map(|r| path_key(r)).collect(),
            roots,
            walked,
            skips,
        }
    }
}

fn canonical_roots(roots: &[PathBuf]) -> Vec<PathBuf> {
    roots
        .iter()
        .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
        .collect()
}

/// The key of a set of roots in [`LastSync`].
pub(super) fn roots_key(roots: &[PathBuf]) -> String {
    canonical_roots(roots)
        .iter()
        .map(|r| path_key(r))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a sync reads and forgets, from [`Store::compare`].
#[derive(Clone, Copy)]
pub(super) struct Changes<'a> {
    pub(super) changed: &'a [WalkEntry],
    pub(super) new: &'a [bool],
    pub(super) removed: &'a [(String, i64)],
}

/// The walk compared with what the store knew.
#[derive(Default)]
pub(super) struct Comparison {
    /// Reports of the files that did not change.
    pub(super) reports: FastMap<String, FileReport>,
    /// New and changed files, to read.
    pub(super) changed: Vec<WalkEntry>,
    /// Which of `changed` the store did not know (new files).
    pub(super) new: Vec<bool>,
    /// Known files under these roots the walk did not find: (path, file id).
    pub(super) removed: Vec<(String, i64)>,
    /// Whether the store holds files of other libraries.
    pub(super) others: bool,
}

impl Store {
    /// Compares the walk with the files the store knows: both in path
    /// order, merged, so that no path is copied or hashed for a file that
    /// did not change. An unchanged file's report is made only when
    /// `detail` wants it.
    pub(super) fn compare(&self, walk: &Walk, detail: Detail) -> Result<Comparison> {
        // The store keys a path by its text (lossy for a path that is not
        // UTF-8, whose order may then differ from the walk's).
        let mut order: Vec<usize> = (0..walk.walked.len()).collect();
        if walk.walked.iter().any(|e| e.path.to_str().is_none()) {
            order.sort_by_cached_key(|&i| path_key(&walk.walked[i].path));
        }
        let mut stmt = self.conn.prepare(match detail {
            Detail::Files | Detail::Problems => {
                "SELECT path, id, size, mtime_ns, format, encoding, status, message, stories
                 FROM files ORDER BY path"
            }
            Detail::Counts => "SELECT path, id, size, mtime_ns FROM files ORDER BY path",
        })?;
        let mut rows = stmt.query([])?;
        let mut out = Comparison::default();
        let entries = order.iter().map(|&i| &walk.walked[i]);
        merge(entries, &mut rows, detail, &walk.root_keys, &mut out)?;
        Ok(out)
    }

    /// [`Store::compare`] of only the files of `trees` (see
    /// [`super::trees`]): the walk's files in each tree's range of paths
    /// with the store's. For a walk of text paths only, of the roots the
    /// last sync saw, and `others` as it found them. The other trees'
    /// files are as the store has them: their reports, when `detail` wants
    /// any, are the stored ones.
    pub(super) fn compare_trees(
        &self,
        walk: &Walk,
        trees: &[String],
        others: bool,
        detail: Detail,
    ) -> Result<Comparison> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, id, size, mtime_ns, format, encoding, status, message, stories
             FROM files WHERE path >= ?1 AND path < ?2 ORDER BY path",
        )?;
        let mut out = Comparison {
            others,
            ..Comparison::default()
        };
        let before =
            |e: &WalkEntry, bound: &str| e.path.as_os_str().as_encoded_bytes() < bound.as_bytes();
        // In path order (not the trees' names' order: `a-b/` sorts before `a/`).
        let mut ranges: Vec<(String, String)> =
            trees.iter().map(|t| super::trees::range_of(t)).collect();
        ranges.sort();
        for (lo, hi) in &ranges {
            let from = walk.walked.partition_point(|e| before(e, lo));
            let to = walk.walked.partition_point(|e| before(e, hi));
            let mut rows = stmt.query([lo, hi])?;
            let entries = walk.walked[from..to].iter();
            merge(entries, &mut rows, detail, &walk.root_keys, &mut out)?;
        }
        if detail != Detail::Counts {
            self.stored_reports(walk, &ranges, detail, &mut out)?;
        }
        Ok(out)
    }

    /// The stored reports of the files under the walk's roots and outside
    /// `ranges` (in order, apart) that `detail` wants: only those with a
    /// problem, found without a pass over every file's report.
    fn stored_reports(
        &self,
        walk: &Walk,
        ranges: &[(String, String)],
        detail: Detail,
        out: &mut Comparison,
    ) -> Result<()> {
        debug_assert!(
            !detail.wants(FileStatus::Ok),
            "every file's report is wanted"
        );
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, format, encoding, status, message, stories FROM files WHERE status != ?1",
        )?;
        let mut rows = stmt.query([FileStatus::Ok.as_str()])?;
        while let Some(row) = rows.next()? {
            let path = text(row, 0)?;
            // The last range that starts at or before the path holds it, if any does.
            let at = ranges.partition_point(|(lo, _)| lo.as_str() <= path);
            let compared = at > 0 && path < ranges[at - 1].1.as_str();
            if compared
                || !under_roots(path, &walk.root_keys)
                || !detail.wants(FileStatus::parse(text(row, 3)?))
            {
                continue;
            }
            let report = write::stored_report(
                Path::new(path),
                text_or_null(row, 1)?,
                row.get(2)?,
                text(row, 3)?,
                text_or_null(row, 4)?,
                row.get(5)?,
            );
            out.reports.insert(path.to_owned(), report);
        }
        Ok(())
    }
}

/// Merges the walk's `entries` with the store's `rows` of the same
/// paths, both in path order: what is new, changed and gone goes to
/// `out`, and an unchanged file's report when `detail` wants it.
fn merge<'w>(
    entries: impl Iterator<Item = &'w WalkEntry>,
    rows: &mut rusqlite::Rows,
    detail: Detail,
    root_keys: &[String],
    out: &mut Comparison,
) -> Result<()> {
    // Known files this walk did not find: gone, if under these paths;
    // otherwise another library's, and queries must be limited to this one.
    let unseen = |path: &str, id: i64, out: &mut Comparison| {
        if under_roots(path, root_keys) {
            out.removed.push((path.to_owned(), id));
        } else {
            out.others = true;
        }
    };
    let mut known = rows.next()?;
    for entry in entries {
        let key = entry.path.to_string_lossy();
        let mut found = false;
        while let Some(row) = known {
            let path = text(row, 0)?;
            match path.cmp(key.as_ref()) {
                std::cmp::Ordering::Less => unseen(path, row.get(1)?, out),
                std::cmp::Ordering::Equal => {
                    found = true;
                    let (size, mtime_ns): (i64, i64) = (row.get(2)?, row.get(3)?);
                    if size != entry.size as i64 || mtime_ns != entry.mtime_ns {
                        out.changed.push(entry.clone());
                        out.new.push(false);
                    } else if detail != Detail::Counts
                        && detail.wants(FileStatus::parse(text(row, 6)?))
                    {
                        let report = write::stored_report(
                            &entry.path,
                            text_or_null(row, 4)?,
                            row.get(5)?,
                            text(row, 6)?,
                            text_or_null(row, 7)?,
                            row.get(8)?,
                        );
                        out.reports.insert(key.clone().into_owned(), report);
                    }
                }
                std::cmp::Ordering::Greater => break,
            }
            known = rows.next()?;
            if found {
                break;
            }
        }
        if !found {
            out.changed.push(entry.clone());
            out.new.push(true);
        }
    }
    while let Some(row) = known {
        unseen(text(row, 0)?, row.get(1)?, out);
        known = rows.next()?;
    }
    Ok(())
}

/// Column `i` of `row` as text, borrowed.
fn text<'r>(row: &'r rusqlite::Row, i: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(i)?.as_str()?)
}

/// Column `i` of `row` as text or null, borrowed.
fn text_or_null<'r>(row: &'r rusqlite::Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(row.get_ref(i)?.as_str_or_null()?)
}
