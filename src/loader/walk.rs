//! Walking the library: every regular file below the given paths, less
//! what is not an article.
//!
//! Passed over, each with a reason `check` shows: hidden files and folders
//! (`.git`), a repository's own files (`README*`, `LICENSE*`,
//! `CHANGELOG*`...), what a `.bylineignore` file (gitignore syntax, in any
//! folder, for that folder and below) names, and what the `ignore` setting
//! of `config.toml` names (gitignore syntax, relative to each library root).

use std::fs::FileType;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::SkipReason;

/// The name of a folder's own ignore file.
pub const IGNORE_FILE: &str = ".bylineignore";

/// File names (before the first dot, any case) that are a project's, not
/// articles.
const NOT_ARTICLES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "changelog",
    "changes",
    "contributing",
    "code_of_conduct",
];

/// A regular file found by the walk, with the metadata that says whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkEntry {
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
}

/// A path the walk could not use, or passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkSkip {
    pub path: PathBuf,
    pub reason: SkipReason,
}

/// The ignore patterns of `config.toml`, in gitignore syntax.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignore {
    patterns: Vec<String>,
}

impl Ignore {
    /// Patterns from the user's settings. Returns them with a message for
    /// each one that is not a valid pattern (it is left out).
    pub fn new(patterns: &[String]) -> (Ignore, Vec<String>) {
        let mut valid = Vec::new();
        let mut errors = Vec::new();
        for pattern in patterns {
            let mut probe = GitignoreBuilder::new("/");
            let checked = match probe.add_line(None, pattern) {
                Ok(_) => probe.build().map(|_| ()),
                Err(err) => Err(err),
            };
            match checked {
                Err(err) => errors.push(format!("ignore pattern `{pattern}`: {err}")),
                Ok(()) => valid.push(pattern.clone()),
            }
        }
        (Ignore { patterns: valid }, errors)
    }

    /// The matcher for one library root.
    fn for_root(&self, root: &Path) -> Option<Rule> {
        if self.patterns.is_empty() {
            return None;
        }
        let mut builder = GitignoreBuilder::new(root);
        for pattern in &self.patterns {
            let _ = builder.add_line(None, pattern);
        }
        let matcher = builder.build().ok()?;
        Some(Rule {
            matcher,
            why: "the ignore setting in config.toml".to_owned(),
        })
    }
}

/// One set of ignore patterns, and where it came from.
struct Rule {
    matcher: Gitignore,
    why: String,
}

/// The rules in force in a folder: its own `.bylineignore` and its
/// ancestors', nearest first, then the settings'.
#[derive(Clone, Default)]
struct Rules(Vec<Arc<Rule>>);

impl Rules {
    /// These rules, plus `dir`'s own ignore file if it has one.
    fn entering(&self, dir: &Path, skips: &mut Vec<WalkSkip>) -> Rules {
        let file = dir.join(IGNORE_FILE);
        if !file.is_file() {
            return self.clone();
        }
        let mut builder = GitignoreBuilder::new(dir);
        if let Some(err) = builder.add(&file) {
            skips.push(WalkSkip {
                path: file.clone(),
                reason: SkipReason::Io(format!("bad pattern: {err}")),
            });
        }
        let Ok(matcher) = builder.build() else {
            return self.clone();
        };
        let mut rules = vec![Arc::new(Rule {
            matcher,
            why: super::sanitize::display_path(&file),
        })];
        rules.extend(self.0.iter().cloned());
        Rules(rules)
    }

    /// Why `path` is ignored, if a rule says so (a `!` pattern can take it back).
    fn ignores(&self, path: &Path, is_dir: bool) -> Option<String> {
        for rule in &self.0 {
            match rule.matcher.matched(path, is_dir) {
                Match::Ignore(glob) => {
                    return Some(format!("matches `{}` in {}", glob.original(), rule.why));
                }
                Match::Whitelist(_) => return None,
                Match::None => {}
            }
        }
        None
    }
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

/// Why a file of this name is not an article, if it is one of a project's own.
fn not_an_article(name: &std::ffi::OsStr) -> Option<String> {
    let name = name.to_str()?;
    let stem = name.split('.').next().unwrap_or(name);
    NOT_ARTICLES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(stem))
        .then(|| format!("not an article ({name})"))
}

/// The last part of a path the walk made (a folder joined with a name):
/// its bytes after the last separator, without parsing every component
/// as [`Path::file_name`] does, for each of a library's files.
#[cfg(unix)]
fn name_of(path: &Path) -> Option<&std::ffi::OsStr> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let name = match memchr::memrchr(b'/', bytes) {
        Some(at) => &bytes[at + 1..],
        None => bytes,
    };
    (!name.is_empty() && name != b"." && name != b"..").then(|| std::ffi::OsStr::from_bytes(name))
}

#[cfg(not(unix))]
fn name_of(path: &Path) -> Option<&std::ffi::OsStr> {
    path.file_name()
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
    fn take(
        &mut self,
        path: PathBuf,
        meta: std::fs::Metadata,
        ancestors: &mut Vec<(u64, u64)>,
        rules: &Rules,
    ) {
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
            let rules = rules.entering(&path, self.skips);
            self.folder(&path, ancestors, &rules);
            ancestors.pop();
        } else {
            self.skip(path, SkipReason::NotRegular(kind_of(&file_type)));
        }
    }

    /// Why an entry of a folder is passed over, if it is.
    fn passed_over(path: &Path, is_dir: bool, rules: &Rules) -> Option<String> {
        let name = name_of(path)?;
        if is_hidden(name) {
            return Some(
                if is_dir {
                    "hidden folder"
                } else {
                    "hidden file"
                }
                .to_owned(),
            );
        }
        if let Some(why) = rules.ignores(path, is_dir) {
            return Some(why);
        }
        if is_dir { None } else { not_an_article(name) }
    }

    /// Walks a folder's entries. A regular file costs one stat, relative to
    /// its folder; only links are followed by path.
    fn folder(&mut self, dir: &Path, ancestors: &mut Vec<(u64, u64)>, rules: &Rules) {
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
            let meta = match entry.file_type() {
                Ok(t) if t.is_symlink() => std::fs::metadata(&path),
                Ok(_) => entry.metadata(),
                Err(err) => Err(err),
            };
            match meta {
                Ok(meta) => {
                    if let Some(why) = Self::passed_over(&path, meta.is_dir(), rules) {
                        self.skip(path, SkipReason::Ignored(why));
                    } else {
                        self.take(path, meta, ancestors, rules);
                    }
                }
                Err(err) => self.skip(path, SkipReason::Io(err.to_string())),
            }
        }
    }
}

/// Walks one tree (a folder, a file, or a link to either), following
/// links, appending what it finds.
fn walk_tree(root: &Path, rules: &Rules, files: &mut Vec<WalkEntry>, skips: &mut Vec<WalkSkip>) {
    let mut found = Found { files, skips };
    match std::fs::metadata(root) {
        Ok(meta) => {
            // The ancestors of a tree below a root include the root itself.
            let mut ancestors: Vec<(u64, u64)> = root
                .parent()
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| vec![identity(&m)])
                .unwrap_or_default();
            found.take(root.to_path_buf(), meta, &mut ancestors, rules);
        }
        Err(err) => found.skip(root.to_path_buf(), SkipReason::Io(err.to_string())),
    }
}

/// Walks `roots` (files or folders, recursively, following links). Hidden
/// files and folders, a project's own files and ignored paths are passed
/// over with a reason; symlink loops, special files and unreadable paths
/// are reported, never opened, and never stop the walk. Files come out
/// sorted by path, each once. A root's subfolders are walked on all cores:
/// stat() calls dominate a large library's walk.
pub fn walk(roots: &[PathBuf], ignore: &Ignore) -> (Vec<WalkEntry>, Vec<WalkSkip>) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    // Split each root into its top level (walked here) and its subfolders (walked in parallel).
    let mut trees: Vec<(PathBuf, Rules)> = Vec::new();
    for root in roots {
        split_root(root, ignore, &mut trees, &mut files, &mut skips);
    }
    for (f, s) in walk_trees(&trees) {
        files.extend(f);
        skips.extend(s);
    }
    files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    files.dedup_by(|a, b| a.path.as_os_str() == b.path.as_os_str());
    skips.sort_by(|a, b| a.path.cmp(&b.path));
    skips.dedup_by(|a, b| a.path == b.path);
    (files, skips)
}

/// Walks a root's top level: its files go to `files`, its subfolders to
/// `trees` (with the rules in force there). A file named on its own is a
/// tree of one, read whatever its name.
fn split_root(
    root: &Path,
    ignore: &Ignore,
    trees: &mut Vec<(PathBuf, Rules)>,
    files: &mut Vec<WalkEntry>,
    skips: &mut Vec<WalkSkip>,
) {
    let base = Rules(ignore.for_root(root).map(Arc::new).into_iter().collect());
    let is_dir = std::fs::metadata(root).is_ok_and(|m| m.is_dir());
    let Some(entries) = is_dir.then(|| std::fs::read_dir(root).ok()).flatten() else {
        trees.push((root.to_path_buf(), base));
        return;
    };
    let rules = base.entering(root, skips);
    for entry in entries.flatten() {
        let path = entry.path();
        let is_real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let is_dir = is_real_dir || std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
        if let Some(why) = Found::passed_over(&path, is_dir, &rules) {
            skips.push(WalkSkip {
                path,
                reason: SkipReason::Ignored(why),
            });
        } else if is_real_dir {
            // Symlinks are walked as trees of their own below.
            trees.push((path, rules.clone()));
        } else {
            walk_tree(&path, &rules, files, skips);
        }
    }
}

/// Walks the trees on all cores; each worker's files and skips.
fn walk_trees(trees: &[(PathBuf, Rules)]) -> Vec<(Vec<WalkEntry>, Vec<WalkSkip>)> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(trees.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let next = &next;
                scope.spawn(move || {
                    let (mut files, mut skips) = (Vec::new(), Vec::new());
                    while let Some((tree, rules)) =
                        trees.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        walk_tree(tree, rules, &mut files, &mut skips);
                    }
                    (files, skips)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path, files: &[WalkEntry]) -> Vec<PathBuf> {
        files
            .iter()
            .map(|f| f.path.strip_prefix(dir).unwrap().to_path_buf())
            .collect()
    }

    #[test]
    fn a_name_is_what_follows_the_last_separator() {
        for path in [
            "/lib/a/.hidden",
            "lib/README.md",
            "one.txt",
            "/lib/b/..",
            "/",
        ] {
            let path = Path::new(path);
            assert_eq!(name_of(path), path.file_name(), "{}", path.display());
        }
    }

    #[test]
    fn walks_sorted_passes_over_hidden_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/.git")).unwrap();
        std::fs::write(dir.path().join("b/two.txt"), "x").unwrap();
        std::fs::write(dir.path().join("b/.git/config"), "x").unwrap();
        std::fs::write(dir.path().join("a.txt"), "xy").unwrap();
        let missing = dir.path().join("nope");
        let (files, skips) = walk(
            &[dir.path().to_path_buf(), missing.clone()],
            &Ignore::default(),
        );
        assert_eq!(
            names(dir.path(), &files),
            vec![PathBuf::from("a.txt"), PathBuf::from("b/two.txt")]
        );
        assert_eq!(files[0].size, 2);
        let failed: Vec<&WalkSkip> = skips.iter().filter(|s| !s.reason.is_ignored()).collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].path, missing);
        let git = skips.iter().find(|s| s.path.ends_with("b/.git")).unwrap();
        assert_eq!(git.reason.to_string(), "ignored: hidden folder");
    }

    #[test]
    fn project_files_and_ignore_rules_are_passed_over_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("news/drafts")).unwrap();
        std::fs::create_dir_all(d.join("news/keep")).unwrap();
        for name in [
            "README.TXT",
            "LICENSE",
            "changelog.md",
            "story.txt",
            "readme-not.txt",
        ] {
            std::fs::write(d.join(name), "x").unwrap();
        }
        std::fs::write(d.join("news/drafts/a.txt"), "x").unwrap();
        std::fs::write(d.join("news/keep/b.txt"), "x").unwrap();
        std::fs::write(d.join("news/keep/c.tmp"), "x").unwrap();
        std::fs::write(d.join("news/keep/d.tmp"), "x").unwrap();
        std::fs::write(d.join("news/.bylineignore"), "drafts/\n*.tmp\n").unwrap();
        std::fs::write(d.join("news/keep/.bylineignore"), "!d.tmp\n").unwrap();
        let (ignore, errors) = Ignore::new(&["story.txt".to_owned(), "{a,b".to_owned()]);
        assert_eq!(errors.len(), 1);
        let (files, skips) = walk(&[d.to_path_buf()], &ignore);
        assert_eq!(
            names(d, &files),
            vec![
                PathBuf::from("news/keep/b.txt"),
                PathBuf::from("news/keep/d.tmp"),
                PathBuf::from("readme-not.txt"),
            ]
        );
        let why = |name: &str| {
            skips
                .iter()
                .find(|s| s.path.ends_with(name))
                .map(|s| s.reason.to_string())
                .unwrap_or_else(|| panic!("no skip for {name}: {skips:?}"))
        };
        assert_eq!(why("README.TXT"), "ignored: not an article (README.TXT)");
        assert_eq!(why("LICENSE"), "ignored: not an article (LICENSE)");
        assert!(
            why("news/drafts").contains("`drafts/` in"),
            "{}",
            why("news/drafts")
        );
        assert!(why("c.tmp").contains("`*.tmp`"));
        assert!(why("story.txt").contains("config.toml"));
        // A file named on its own is read whatever its name.
        let (files, _) = walk(&[d.join("README.TXT")], &Ignore::default());
        assert_eq!(files.len(), 1);
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
        let (files, skips) = walk(&[dir.path().to_path_buf()], &Ignore::default());
        assert_eq!(files.len(), 1);
        let reasons: Vec<String> = skips.iter().map(|s| s.reason.to_string()).collect();
        assert!(
            reasons.iter().any(|r| r.contains("symlink loop")),
            "{reasons:?}"
        );
        assert!(reasons.iter().any(|r| r.contains("FIFO")), "{reasons:?}");
    }
}
