//! Walking the library: every regular file below the given paths.

use std::fs::FileType;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::SkipReason;

/// A regular file found by the walk, with the metadata that says whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkEntry {
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
}

/// A path the walk could not use, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkSkip {
    pub path: PathBuf,
    pub reason: SkipReason,
}

/// A file type's name, for messages.
pub(crate) fn kind_of(file_type: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.len() > 1 && n != "..")
}

fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64)
}

/// A folder's identity, to notice a link back to one of its ancestors.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// What one tree's walk has found so far.
struct Found<'a> {
    files: &'a mut Vec<WalkEntry>,
    skips: &'a mut Vec<WalkSkip>,
}

impl Found<'_> {
    fn skip(&mut self, path: PathBuf, reason: SkipReason) {
        self.skips.push(WalkSkip { path, reason });
    }

    /// Takes a path by its (followed) metadata: a file is kept, a folder
    /// walked, anything else reported.
    fn take(&mut self, path: PathBuf, meta: std::fs::Metadata, ancestors: &mut Vec<(u64, u64)>) {
        let file_type = meta.file_type();
        if file_type.is_file() {
            self.files.push(WalkEntry {
                path,
                size: meta.len(),
                mtime_ns: mtime_ns(&meta),
            });
        } else if file_type.is_dir() {
            let id = identity(&meta);
            if ancestors.contains(&id) {
                self.skip(path, SkipReason::Io("symlink loop".to_owned()));
                return;
            }
            ancestors.push(id);
            self.folder(&path, ancestors);
            ancestors.pop();
        } else {
            self.skip(path, SkipReason::NotRegular(kind_of(&file_type)));
        }
    }

    /// Walks a folder's entries. A regular file costs one stat, relative to
    /// its folder; only links are followed by path.
    fn folder(&mut self, dir: &Path, ancestors: &mut Vec<(u64, u64)>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => return self.skip(dir.to_path_buf(), SkipReason::Io(err.to_string())),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => return self.skip(dir.to_path_buf(), SkipReason::Io(err.to_string())),
            };
            // The name from the path, which is made anyway (file_name() would copy it).
            let path = entry.path();
            if path.file_name().is_some_and(is_hidden) {
                continue;
            }
            let meta = match entry.file_type() {
                Ok(t) if t.is_symlink() => std::fs::metadata(&path),
                Ok(_) => entry.metadata(),
                Err(err) => Err(err),
            };
            match meta {
                Ok(meta) => self.take(path, meta, ancestors),
                Err(err) => self.skip(path, SkipReason::Io(err.to_string())),
            }
        }
    }
}

/// Walks one tree (a folder, a file, or a link to either), following
/// links, appending what it finds.
fn walk_tree(root: &Path, files: &mut Vec<WalkEntry>, skips: &mut Vec<WalkSkip>) {
    let mut found = Found { files, skips };
    match std::fs::metadata(root) {
        Ok(meta) => {
            // The ancestors of a tree below a root include the root itself.
            let mut ancestors: Vec<(u64, u64)> = root
                .parent()
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| vec![identity(&m)])
                .unwrap_or_default();
            found.take(root.to_path_buf(), meta, &mut ancestors);
        }
        Err(err) => found.skip(root.to_path_buf(), SkipReason::Io(err.to_string())),
    }
}

/// Walks `roots` (files or folders, recursively, following links). Hidden
/// files and folders are passed over. Symlink loops, special files and
/// unreadable paths are reported, never opened, and never stop the walk.
/// Files come out sorted by path, each once. A root's subfolders are
/// walked on all cores: stat() calls dominate a large library's walk.
pub fn walk(roots: &[PathBuf]) -> (Vec<WalkEntry>, Vec<WalkSkip>) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    // Split each root into its top level (walked here) and its subfolders (walked in parallel).
    let mut trees: Vec<PathBuf> = Vec::new();
    for root in roots {
        let subdirs = std::fs::metadata(root)
            .ok()
            .filter(|m| m.is_dir())
            .and_then(|_| std::fs::read_dir(root).ok());
        let Some(entries) = subdirs else {
            trees.push(root.clone());
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if is_hidden(&entry.file_name()) {
                continue;
            }
            // Symlinks and folders become trees of their own; files are trees of one.
            let is_real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_real_dir {
                trees.push(path);
            } else {
                walk_tree(&path, &mut files, &mut skips);
            }
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(trees.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(Vec<WalkEntry>, Vec<WalkSkip>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (trees, next) = (&trees, &next);
                scope.spawn(move || {
                    let (mut files, mut skips) = (Vec::new(), Vec::new());
                    while let Some(tree) =
                        trees.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        walk_tree(tree, &mut files, &mut skips);
                    }
                    (files, skips)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    for (f, s) in results {
        files.extend(f);
        skips.extend(s);
    }
    files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    files.dedup_by(|a, b| a.path == b.path);
    skips.sort_by(|a, b| a.path.cmp(&b.path));
    (files, skips)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_skips_hidden_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/.git")).unwrap();
        std::fs::write(dir.path().join("b/two.txt"), "x").unwrap();
        std::fs::write(dir.path().join("b/.git/config"), "x").unwrap();
        std::fs::write(dir.path().join("a.txt"), "xy").unwrap();
        let missing = dir.path().join("nope");
        let (files, skips) = walk(&[dir.path().to_path_buf(), missing.clone()]);
        let names: Vec<_> = files
            .iter()
            .map(|f| f.path.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            vec![PathBuf::from("a.txt"), PathBuf::from("b/two.txt")]
        );
        assert_eq!(files[0].size, 2);
        assert_eq!(skips.len(), 1);
        assert_eq!(skips[0].path, missing);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_and_fifo_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::write(dir.path().join("ok.txt"), "x").unwrap();
        let (files, skips) = walk(&[dir.path().to_path_buf()]);
        assert_eq!(files.len(), 1);
        let reasons: Vec<String> = skips.iter().map(|s| s.reason.to_string()).collect();
        assert!(
            reasons.iter().any(|r| r.contains("symlink loop")),
            "{reasons:?}"
        );
        assert!(reasons.iter().any(|r| r.contains("FIFO")), "{reasons:?}");
    }
}
