//! The walk of the library compared with the files the store knows: what
//! is new, changed, unchanged and gone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::report::{Detail, FileReport};
use super::write::{self, path_key};
use super::{Result, Store};
use crate::loader::{self, Ignore, WalkEntry, WalkSkip};

/// A file the store knows from an earlier sync.
struct Known {
    /// Whether this walk found the file.
    seen: bool,
    id: i64,
    size: i64,
    mtime_ns: i64,
    format: Option<String>,
    encoding: Option<String>,
    status: String,
    message: Option<String>,
    stories: i64,
}

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
    /// Compares the walk with the files the store knows. The unchanged
    /// files' reports are made only when `detail` asks for every file.
    pub(super) fn compare(&self, walk: &Walk, detail: Detail) -> Result<Comparison> {
        let mut known = self.known_files(detail, walk.walked.len())?;
        let mut reports: FastMap<String, FileReport> = FastMap::default();
        let mut changed = Vec::new();
        let mut new = Vec::new();
        for entry in &walk.walked {
            // Borrowed for the look-up: a path is almost always UTF-8.
            let key = entry.path.to_string_lossy();
            match known.get_mut(key.as_ref()) {
                Some(k) => {
                    k.seen = true;
                    if k.size == entry.size as i64 && k.mtime_ns == entry.mtime_ns {
                        if detail == Detail::Files {
                            let report = write::stored_report(
                                &entry.path,
                                k.format.as_deref(),
                                k.encoding.clone(),
                                &k.status,
                                k.message.as_deref(),
                                k.stories,
                            );
                            reports.insert(key.into_owned(), report);
                        }
                    } else {
                        changed.push(entry.clone());
                        new.push(false);
                    }
                }
                None => {
                    changed.push(entry.clone());
                    new.push(true);
                }
            }
        }
        // Known files this walk did not find: gone, if under these paths;
        // otherwise another library's, and queries must be limited to this one.
        let mut removed = Vec::new();
        let mut others = false;
        for (path, k) in known.iter().filter(|(_, k)| !k.seen) {
            if under_roots(path, &walk.root_keys) {
                removed.push((path.clone(), k.id));
            } else {
                others = true;
            }
        }
        Ok(Comparison {
            reports,
            changed,
            new,
            removed,
            others,
        })
    }

    /// Every file the store knows, by path; with what its report needs
    /// only when `detail` asks for every file's. About `expected` of them.
    fn known_files(&self, detail: Detail, expected: usize) -> Result<FastMap<String, Known>> {
        let mut known: FastMap<String, Known> =
            FastMap::with_capacity_and_hasher(expected, Default::default());
        let mut stmt = self.conn.prepare(match detail {
            Detail::Files => {
                "SELECT id, path, size, mtime_ns, format, encoding, status, message, stories FROM files"
            }
            Detail::Counts => {
                "SELECT id, path, size, mtime_ns, NULL, NULL, '', NULL, 0 FROM files"
            }
        })?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                Known {
                    seen: false,
                    id: r.get(0)?,
                    size: r.get(2)?,
                    mtime_ns: r.get(3)?,
                    format: r.get(4)?,
                    encoding: r.get(5)?,
                    status: r.get(6)?,
                    message: r.get(7)?,
                    stories: r.get(8)?,
                },
            ))
        })?;
        for row in rows {
            let (path, k) = row?;
            known.insert(path, k);
        }
        Ok(known)
    }
}
