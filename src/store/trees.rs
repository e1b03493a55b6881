//! The parts of a library that changed since the last sync. A root's
//! folders are its trees: each one's files come together in path order,
//! so the store's files of a tree are one range of its path index. The
//! last sync keeps a fingerprint of each tree, and the next one compares
//! only the trees whose fingerprint changed (or that came or went) with
//! the store, not every file of a large library.

use std::collections::BTreeMap;

use super::compare::Walk;
use crate::loader::{WalkEntry, WalkSkip};

/// A library of more trees than this keeps no fingerprint of each: the
/// record would cost more than the comparison it saves.
const MOST_TREES: usize = 20_000;

/// The part of a root that is not in one of its folders: the files
/// directly in it (or a root that is a file). A change there compares
/// the whole library.
const TOP: &str = "\u{0}top";

/// Each tree's fingerprint: the tree's path (or a root's path and
/// [`TOP`]) to the sum of its files' and skips' hashes, and their number.
pub(super) type TreePrints = BTreeMap<String, String>;

/// The hash of one file as a walk found it: path, size and mtime.
fn entry_hash(entry: &WalkEntry) -> u128 {
    let mut buf = Vec::with_capacity(256);
    buf.extend_from_slice(entry.path.as_os_str().as_encoded_bytes());
    buf.push(0);
    buf.extend_from_slice(&entry.size.to_le_bytes());
    buf.extend_from_slice(&entry.mtime_ns.to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&buf)
}

/// The hash of one path the walk passed over, and why.
fn skip_hash(skip: &WalkSkip) -> u128 {
    let line = format!("{}\0{}", skip.path.display(), skip.reason);
    xxhash_rust::xxh3::xxh3_128(line.as_bytes())
}

/// The tree a path is in: its root's path and its first folder below
/// the root, or the root's [`TOP`]. None when it is under no root, or
/// not text.
fn tree_of<'p>(path: &'p str, roots: &[String]) -> Option<(&'p str, bool)> {
    let root = roots.iter().find(|r| is_below(path, r));
    let Some(root) = root else {
        return roots.iter().any(|r| r == path).then_some((path, true));
    };
    let rest = &path[root.len() + 1..];
    Some(match rest.find('/') {
        Some(at) => (&path[..root.len() + 1 + at], false),
        None => (&path[..root.len()], true),
    })
}

fn key_of(tree: &str, top: bool) -> String {
    if top {
        format!("{tree}{TOP}")
    } else {
        tree.to_owned()
    }
}

/// Adds a run of one tree's files to its sum.
fn flush(sums: &mut BTreeMap<String, (u128, usize)>, run: Option<(String, u128, usize)>) {
    if let Some((tree, sum, n)) = run {
        let slot = sums.entry(tree).or_default();
        slot.0 = slot.0.wrapping_add(sum);
        slot.1 += n;
    }
}

/// The fingerprint of a whole walk: every file's path, size and mtime,
/// and every skip, in any order.
pub(super) fn whole(walk: &Walk) -> String {
    let sum = (walk.walked.iter().map(entry_hash))
        .chain(walk.skips.iter().map(skip_hash))
        .fold(0u128, u128::wrapping_add);
    format!("{sum:032x}-{}-{}", walk.walked.len(), walk.skips.len())
}

/// Each tree's fingerprint, from a walk. None when the walk cannot be
/// told apart by tree: a path that is not text, roots inside one
/// another, a root whose path ends in a separator, or too many trees.
pub(super) fn prints(walk: &Walk) -> Option<TreePrints> {
    let roots = &walk.root_keys;
    if nested(roots) {
        return None;
    }
    let mut sums: BTreeMap<String, (u128, usize)> = BTreeMap::new();
    // The files come in path order: one look-up for each run of a tree's.
    let mut current: Option<(String, u128, usize)> = None;
    for entry in &walk.walked {
        let path = entry.path.to_str()?;
        let hash = entry_hash(entry);
        match &mut current {
            Some((tree, sum, n)) if !tree.ends_with(TOP) && is_below(path, tree) => {
                *sum = sum.wrapping_add(hash);
                *n += 1;
            }
            _ => {
                flush(&mut sums, current.take());
                let (tree, top) = tree_of(path, roots)?;
                current = Some((key_of(tree, top), hash, 1));
            }
        }
    }
    flush(&mut sums, current);
    for skip in &walk.skips {
        let (tree, top) = tree_of(skip.path.to_str()?, roots)?;
        let sum = sums.entry(key_of(tree, top)).or_default();
        sum.0 = sum.0.wrapping_add(skip_hash(skip));
        sum.1 += 1;
    }
    (sums.len() <= MOST_TREES).then(|| {
        sums.into_iter()
            .map(|(tree, (sum, n))| (tree, format!("{sum:032x}-{n}")))
            .collect()
    })
}

/// Whether `path` is below the folder `dir`.
fn is_below(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

/// Whether a root is inside another, or ends in a separator: then a
/// path's tree is not one root's.
fn nested(roots: &[String]) -> bool {
    roots.iter().enumerate().any(|(i, a)| {
        a.ends_with('/')
            || (roots.iter().enumerate()).any(|(j, b)| i != j && (a == b || is_below(b, a)))
    })
}

/// The trees to compare with the store: those whose fingerprint differs
/// between `before` and `now`, or that are in one only. None when a
/// root's own files changed: then the whole library is compared.
pub(super) fn changed_trees(before: &TreePrints, now: &TreePrints) -> Option<Vec<String>> {
    let mut trees: Vec<String> = Vec::new();
    let differs = before
        .iter()
        .filter(|(tree, print)| now.get(*tree) != Some(print))
        .map(|(tree, _)| tree)
        .chain(now.keys().filter(|tree| !before.contains_key(*tree)));
    for tree in differs {
        if tree.ends_with(TOP) {
            return None;
        }
        trees.push(tree.clone());
    }
    trees.sort();
    trees.dedup();
    Some(trees)
}

/// The range of paths a tree's files take in path order: from its path
/// and a separator, up to its path and the character after the
/// separator.
pub(super) fn range_of(tree: &str) -> (String, String) {
    (format!("{tree}/"), format!("{tree}0"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::SkipReason;
    use std::path::PathBuf;

    fn walk(files: &[(&str, u64)], skips: &[&str]) -> Walk {
        Walk {
            roots: vec![PathBuf::from("/lib")],
            root_keys: vec!["/lib".to_owned()],
            walked: files
                .iter()
                .map(|(p, size)| WalkEntry {
                    path: PathBuf::from(p),
                    size: *size,
                    mtime_ns: 1,
                })
                .collect(),
            skips: skips
                .iter()
                .map(|p| WalkSkip {
                    path: PathBuf::from(p),
                    reason: SkipReason::Ignored("hidden file".to_owned()),
                })
                .collect(),
        }
    }

    const FILES: &[(&str, u64)] = &[
        ("/lib/a.txt", 1),
        ("/lib/a/one.txt", 2),
        ("/lib/a/deep/two.txt", 3),
        ("/lib/b/three.txt", 4),
        ("/lib/top.md", 5),
    ];

    #[test]
    fn each_folder_of_a_root_is_a_tree_and_its_own_files_are_one_more() {
        let prints = prints(&walk(FILES, &["/lib/b/.hidden"])).unwrap();
        let trees: Vec<&str> = prints.keys().map(String::as_str).collect();
        assert_eq!(trees, ["/lib\u{0}top", "/lib/a", "/lib/b"]);
        assert!(prints["/lib/a"].ends_with("-2"));
        assert!(prints["/lib/b"].ends_with("-2"), "a file and a skip");
        assert!(prints["/lib\u{0}top"].ends_with("-2"));
    }

    #[test]
    fn only_the_trees_that_changed_came_or_went_are_compared() {
        let before = prints(&walk(FILES, &[])).unwrap();
        let mut files = FILES.to_vec();
        files[2].1 = 30; // an edit deep in a
        files.insert(4, ("/lib/c/new.txt", 6)); // a new folder
        files.retain(|f| !f.0.starts_with("/lib/b/")); // b is gone
        let now = prints(&walk(&files, &[])).unwrap();
        assert_eq!(
            changed_trees(&before, &now).unwrap(),
            ["/lib/a", "/lib/b", "/lib/c"]
        );
        assert_eq!(
            changed_trees(&before, &before).unwrap(),
            Vec::<String>::new()
        );
        // A file of the root itself: everything is compared.
        let mut top = FILES.to_vec();
        top[4].1 = 50;
        assert_eq!(
            changed_trees(&before, &prints(&walk(&top, &[])).unwrap()),
            None
        );
    }

    #[test]
    fn a_tree_is_one_range_of_paths() {
        let (lo, hi) = range_of("/lib/a");
        let inside = ["/lib/a/one.txt", "/lib/a/deep/two.txt"];
        let outside = [
            "/lib/a.txt",
            "/lib/a0",
            "/lib/ab/x",
            "/lib/a-b/x",
            "/lib/b/x",
        ];
        for p in inside {
            assert!(lo.as_str() <= p && p < hi.as_str(), "{p}");
        }
        for p in outside {
            assert!(!(lo.as_str() <= p && p < hi.as_str()), "{p}");
        }
    }

    #[test]
    fn nested_roots_are_not_told_apart() {
        let mut w = walk(FILES, &[]);
        w.root_keys.push("/lib/a".to_owned());
        assert_eq!(prints(&w), None);
    }
}
