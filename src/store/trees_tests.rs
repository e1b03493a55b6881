//! A sync of a library that kept each folder's fingerprint compares only
//! the folders that changed with the store.

use std::path::{Path, PathBuf};

use super::*;

/// A plain-text story with this headline, and a body of its own: words
/// drawn by the headline, so that no two stories are near-duplicates.
fn story(title: &str) -> String {
    const WORDS: &[&str] = &[
        "harbour",
        "council",
        "ferry",
        "storm",
        "budget",
        "school",
        "river",
        "bridge",
        "market",
        "station",
        "museum",
        "tunnel",
        "strike",
        "festival",
        "hospital",
        "library",
        "airport",
        "garden",
        "factory",
        "election",
        "courtroom",
        "stadium",
        "orchard",
        "vineyard",
        "quarry",
        "canal",
        "glacier",
        "meadow",
        "village",
        "island",
    ];
    let seed = title
        .bytes()
        .fold(17u64, |h, b| h.wrapping_mul(31).wrapping_add(b.into()));
    let body: Vec<&str> = (0..60u64)
        .map(|i| WORDS[(seed.wrapping_mul(i + 7).rotate_left(i as u32 % 60) % 30) as usize])
        .collect();
    format!(
        "{title}\n\n{}.\n\n{}.\n",
        body[..30].join(" "),
        body[30..].join(" ")
    )
}

fn write(lib: &Path, rel: &str, title: &str) {
    let path = lib.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, story(title)).unwrap();
}

fn counts(store: &mut Store, lib: &Path) -> SyncReport {
    store
        .sync_with(&[lib.to_path_buf()], Detail::Counts, |_| {})
        .unwrap()
}

/// Makes the store's record of a file disagree with the file, without
/// a sync: only a comparison of that file notices.
fn mislead(store: &Store, name: &str) {
    let n = store
        .conn
        .execute(
            "UPDATE files SET size = size + 1 WHERE path LIKE '%/' || ?1",
            [name],
        )
        .unwrap();
    assert_eq!(n, 1);
}

fn library() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    write(&lib, "a/one.txt", "Ferry");
    write(&lib, "a/deep/two.txt", "Harbour");
    write(&lib, "b/three.txt", "Lighthouse");
    write(&lib, "top.txt", "Quay");
    (dir, lib)
}

#[test]
fn a_sync_compares_only_the_folders_that_changed() {
    let (dir, lib) = library();
    let mut store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
    assert_eq!(counts(&mut store, &lib).reread, 4);
    mislead(&store, "three.txt");

    // An edit in a: only a's files are compared, and b's misled record is not.
    write(&lib, "a/deep/two.txt", "Breakwater");
    let edit = counts(&mut store, &lib);
    assert_eq!((edit.reread, edit.removed, edit.stories), (1, 0, 4));
    let titles: Vec<String> = (store.all_summaries().unwrap().into_iter())
        .map(|s| s.title.to_string())
        .collect();
    assert!(titles.contains(&"Breakwater".to_owned()), "{titles:?}");

    // A new folder, then a folder gone.
    write(&lib, "c/four.txt", "Slipway");
    let added = counts(&mut store, &lib);
    assert_eq!((added.reread, added.stories), (1, 5));
    std::fs::remove_dir_all(lib.join("a")).unwrap();
    let gone = counts(&mut store, &lib);
    assert_eq!((gone.reread, gone.removed, gone.stories), (0, 2, 3));

    // A file of the library's own folder: every file is compared, and the
    // misled record is read again.
    write(&lib, "top.txt", "Jetty");
    let top = counts(&mut store, &lib);
    assert_eq!((top.reread, top.stories), (2, 3));
}

#[test]
fn after_another_library_is_synced_everything_is_compared_and_kept_apart() {
    let (dir, lib) = library();
    let other = dir.path().join("other");
    write(&other, "x/five.txt", "Marina");
    let mut store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
    counts(&mut store, &lib);
    mislead(&store, "three.txt");
    assert_eq!(counts(&mut store, &other).stories, 1);

    // The last sync was another library's: every file of this one is compared.
    write(&lib, "a/one.txt", "Pier");
    let back = counts(&mut store, &lib);
    assert_eq!((back.reread, back.stories), (2, 4));
    // Now by folder (b's misled record is not compared), and still only
    // this library's stories.
    mislead(&store, "three.txt");
    write(&lib, "a/one.txt", "Mooring");
    let again = counts(&mut store, &lib);
    assert_eq!((again.reread, again.stories), (1, 4));
    assert_eq!(store.all_summaries().unwrap().len(), 4);
    assert_eq!(counts(&mut store, &other).stories, 1);
}

#[test]
fn a_sync_by_folder_still_reports_every_problem_file() {
    let (dir, lib) = library();
    std::fs::write(lib.join("b/broken.json"), "{ not json").unwrap();
    std::fs::write(lib.join("a/also-broken.json"), "[1, 2").unwrap();
    let mut store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
    let problems = |store: &mut Store| {
        let report =
            (store.sync_with(std::slice::from_ref(&lib), Detail::Problems, |_| {})).unwrap();
        let names: Vec<String> = (report.files.iter())
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        (report.reread, names)
    };
    let (reread, names) = problems(&mut store);
    assert_eq!(
        (reread, names.join(" ")),
        (6, "also-broken.json broken.json".to_owned())
    );
    mislead(&store, "three.txt");
    // An edit in a: a's files compared, b's problem reported as stored.
    write(&lib, "a/one.txt", "Gangway");
    let (reread, names) = problems(&mut store);
    assert_eq!(
        (reread, names.join(" ")),
        (1, "also-broken.json broken.json".to_owned())
    );
}
