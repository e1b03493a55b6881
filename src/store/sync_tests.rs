//! Store behaviour on a copy of the fixture library.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::*;
use crate::article::ArticleId;
use crate::view::{Sort, sort};

fn fixture_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library");
    crate::test_support::copy_fixtures(&lib);
    (dir, lib)
}

/// The stories in `order`, at most `limit` of them.
fn listed(store: &Store, order: Sort, limit: Option<usize>) -> Vec<StorySummary> {
    let mut items = store.all_summaries().unwrap();
    sort(&mut items, order);
    items.truncate(limit.unwrap_or(usize::MAX));
    items
}

fn titles(store: &Store) -> Vec<String> {
    let mut t: Vec<String> = listed(store, Sort::Title, None)
        .into_iter()
        .map(|s| s.title.into())
        .collect();
    t.sort();
    t
}

/// The ID of the story with this headline (headlines are unique here).
fn id(store: &Store, title: &str) -> ArticleId {
    let ids: Vec<ArticleId> = store
        .all_summaries()
        .unwrap()
        .into_iter()
        .filter(|s| &*s.title == title)
        .map(|s| s.id)
        .collect();
    assert_eq!(ids.len(), 1, "{title}: {ids:?}");
    ids[0].clone()
}

pub(super) fn touch(path: &Path, secs_later: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(secs_later))
        .unwrap();
}

const FERRY: &str = "Island ferry fares to fall as new electric boats join the fleet";
const PILOTS: &str = "Harbour pilots strike over night shifts";
const KESTREL: &str = "Kestrel Lines orders three more electric boats";

#[test]
fn loads_every_format_and_merges_shared_stories() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    let report = store.sync(&[lib], |_| {}).unwrap();
    assert_eq!(report.files.len(), 8);
    assert_eq!(report.skipped(), 0);
    assert_eq!(report.reread, 8);
    assert_eq!(report.stories, 11, "{:?}", titles(&store));
    // The pilots story is a main story on one page and listed on another:
    // one story, both files, the page's own (fuller) copy.
    let pilots = store.story(&id(&store, PILOTS)).unwrap().unwrap();
    assert_eq!(pilots.files.len(), 2);
    assert_eq!(pilots.credit.as_deref(), Some("AFP"));
    assert_eq!(pilots.source.as_deref(), Some("The Straits Times"));
    let ferry = store.story(&id(&store, FERRY)).unwrap().unwrap();
    assert_eq!(
        ferry.related_on_page,
        vec![id(&store, PILOTS), id(&store, KESTREL)]
    );
    assert_eq!(ferry.caption.as_deref(), Some("PHOTO: KESTREL LINES"));
    assert!(
        !ferry
            .paragraphs
            .iter()
            .any(|p| p.contains("Commuters will pay less"))
    );
}

#[test]
fn second_sync_reads_no_file() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    // Same size, same mtime, other content: a sync that read the file would see it.
    let path = lib.join("feeds/plain.txt");
    let meta = std::fs::metadata(&path).unwrap();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("Town hall", "Town HALT", 1);
    std::fs::write(&path, &text).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(meta.modified().unwrap()).unwrap();
    drop(file);
    let report = store.sync(&[lib], |_| {}).unwrap();
    assert_eq!(report.reread, 0);
    assert_eq!(report.stories, 11);
    assert!(titles(&store).contains(&"Town hall clock chimes again after repairs".to_owned()));
}

#[test]
fn changed_file_is_read_again() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let path = lib.join("feeds/plain.txt");
    std::fs::write(&path, "Clock stops again\n\nIt stopped.\n").unwrap();
    touch(&path, 5);
    let report = store.sync(&[lib], |_| {}).unwrap();
    assert_eq!(report.reread, 1);
    let t = titles(&store);
    assert!(t.contains(&"Clock stops again".to_owned()));
    assert!(!t.contains(&"Town hall clock chimes again after repairs".to_owned()));
}

#[test]
fn deleted_file_keeps_stories_other_files_still_have() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let (kestrel, ferry) = (id(&store, KESTREL), id(&store, FERRY));
    std::fs::remove_file(lib.join("pages/ferry.txt")).unwrap();
    let report = store.sync(&[lib], |_| {}).unwrap();
    assert_eq!(report.removed, 1);
    // Kestrel was only listed on the ferry page: gone. The ferry story is
    // still listed on the pilots page: kept, from that copy, under the same ID.
    assert!(store.story(&kestrel).unwrap().is_none());
    let ferry = store.story(&ferry).unwrap().unwrap();
    assert_eq!(ferry.files.len(), 1);
    assert!(ferry.files[0].ends_with("pilots.txt"));
    // A copy's signature goes with it, and every copy left keeps its own.
    let count = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM sigs WHERE entry NOT IN (SELECT id FROM entries)"),
        0
    );
    assert!(count("SELECT count(*) FROM sigs") > 0);
    // The pilots story lost its listing, not its page.
    assert_eq!(
        store
            .story(&id(&store, PILOTS))
            .unwrap()
            .unwrap()
            .files
            .len(),
        1
    );
}

#[test]
fn identical_copies_and_renames_keep_one_story_and_its_id() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    std::fs::copy(lib.join("feeds/toml.md"), lib.join("feeds/toml-copy.md")).unwrap();
    let report = store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!(report.stories, 11);
    let bakery = id(&store, "Bakery wins regional bread prize");
    assert_eq!(store.story(&bakery).unwrap().unwrap().files.len(), 2);
    std::fs::create_dir(lib.join("moved")).unwrap();
    std::fs::rename(lib.join("feeds/toml.md"), lib.join("moved/renamed.md")).unwrap();
    std::fs::remove_file(lib.join("feeds/toml-copy.md")).unwrap();
    store.sync(&[lib], |_| {}).unwrap();
    let story = store.story(&bakery).unwrap().unwrap();
    assert_eq!(story.files.len(), 1);
    assert!(story.files[0].ends_with("moved/renamed.md"));
}

#[test]
fn queries_follow_the_paths_of_the_last_sync() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let report = store.sync(&[lib.join("feeds")], |_| {}).unwrap();
    assert_eq!(report.reread, 0);
    assert_eq!(report.stories, 8);
    assert_eq!(listed(&store, Sort::Newest, None).len(), 8);
    // Files outside the paths are kept, not deleted.
    let report = store.sync(&[lib], |_| {}).unwrap();
    assert_eq!((report.reread, report.stories), (0, 11));
}

#[test]
fn sorting_limits_and_id_prefixes() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(&[lib], |_| {}).unwrap();
    let by_title = listed(&store, Sort::Title, Some(3));
    assert_eq!(by_title.len(), 3);
    assert_eq!(&*by_title[0].title, "Bakery wins regional bread prize");
    let newest = listed(&store, Sort::Newest, None);
    let oldest = listed(&store, Sort::Oldest, None);
    assert!(newest[0].published >= newest[newest.len() - 1].published);
    assert_eq!(&*oldest[0].title, "Cycle lane opens on the canal path");
    let by_source = listed(&store, Sort::Source, None);
    assert_eq!(by_source[0].source.as_deref(), Some("City Desk"));
    let full = id(&store, FERRY);
    assert_eq!(store.resolve_id(&full.as_str()[..6]).unwrap(), full);
    assert_eq!(
        store.resolve_id(&full.as_str().to_uppercase()).unwrap(),
        full
    );
    assert!(matches!(
        store.resolve_id("zzzzzzzz"),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn full_text_search_finds_words_in_bodies() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(&[lib], |_| {}).unwrap();
    let hits = store.search_full_text("crust", None).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(&*hits[0].summary.title, "Bakery wins regional bread prize");
    assert_eq!(
        hits[0].snippet.matched(),
        ["crust"],
        "{:?}",
        hits[0].snippet
    );
    assert_eq!(
        store.search_full_text("pilots queued", None).unwrap()[0]
            .summary
            .title
            .as_ref(),
        PILOTS
    );
    assert!(
        store
            .search_full_text("\"unbalanced", None)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn store_on_disk_survives_reopen() {
    let (dir, lib) = fixture_copy();
    let path = dir.path().join("data").join(STORE_FILE);
    let mut store = Store::open(&path).unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert!(store.take_notice().is_none());
    assert_eq!(store.sync(&[lib], |_| {}).unwrap().reread, 0);
}

/// A library of as many pages as make a large first index, each `page(n)`.
fn many_pages(page: impl Fn(usize) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("many");
    std::fs::create_dir_all(&lib).unwrap();
    for n in 0..super::passes::QUICK_FROM {
        std::fs::write(lib.join(format!("{n:05}.txt")), page(n)).unwrap();
    }
    (dir, lib)
}

#[test]
fn a_large_first_index_shows_headlines_first_and_leaves_no_stub() {
    let (_dir, lib) = many_pages(|n| {
        format!(
            "Story number {n} about harbour ferries\nA standfirst.\nA body paragraph.\nRelated Articles\n\
             Straits Times\n2 hours ago\n- Straits Times\nListed story {n}\nIts body on one line.\n"
        )
    });
    let mut store = Store::open_in_memory().unwrap();
    let mut events = Vec::new();
    let report = store
        .sync(std::slice::from_ref(&lib), |p| events.push(p))
        .unwrap();
    // The quick pass announces the headlines before the first batch is done.
    assert!(
        events.iter().filter(|p| p.done == 0).count() >= 2,
        "{events:?}"
    );
    assert_eq!(report.stories, 2 * super::passes::QUICK_FROM);
    let stubs: i64 = store
        .conn
        .query_row("SELECT count(*) FROM stories WHERE entry = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stubs, 0);
    let listed = id(&store, "Listed story 7");
    assert_eq!(
        store.story(&listed).unwrap().unwrap().source.as_deref(),
        Some("The Straits Times")
    );
}

/// A store on disk, so that the headline file is kept too.
fn disk_store(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("store.sqlite3")).unwrap()
}

fn counts(store: &mut Store, lib: &Path) -> SyncReport {
    store
        .sync_with(&[lib.to_path_buf()], Detail::Counts, |_| {})
        .unwrap()
}

#[test]
fn an_unchanged_library_skips_the_comparison_but_any_change_is_seen() {
    let (dir, lib) = fixture_copy();
    let mut store = disk_store(&dir);
    let first = counts(&mut store, &lib);
    assert_eq!((first.reread, first.stories), (8, 11));
    // Unchanged: no file list, the same counts.
    let again = counts(&mut store, &lib);
    assert!(again.files.is_empty());
    assert_eq!((again.reread, again.stories, again.skipped()), (0, 11, 0));
    // Asked for every file, a sync still gives them.
    assert_eq!(
        store
            .sync(std::slice::from_ref(&lib), |_| {})
            .unwrap()
            .files
            .len(),
        8
    );

    // An edit in place (a new mtime) is seen.
    let page = lib.join("pages/ferry.txt");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replacen(FERRY, "Island ferry fares to fall sharply", 1),
    )
    .unwrap();
    touch(&page, 5);
    let edited = counts(&mut store, &lib);
    assert_eq!(edited.reread, 1);
    assert!(titles(&store).contains(&"Island ferry fares to fall sharply".to_owned()));
    // A new file, and a removed one.
    std::fs::write(lib.join("new.txt"), "A brand new headline\n\nIts body.\n").unwrap();
    assert_eq!(counts(&mut store, &lib).reread, 1);
    std::fs::remove_file(lib.join("new.txt")).unwrap();
    assert_eq!(counts(&mut store, &lib).removed, 1);
    assert!(!titles(&store).contains(&"A brand new headline".to_owned()));
}

#[test]
fn another_library_or_a_skip_keeps_the_comparison() {
    let (dir, lib) = fixture_copy();
    let mut store = disk_store(&dir);
    counts(&mut store, &lib);
    // A sync of another library changes the store: the next sync of this
    // one compares again, and is limited to it.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("o.txt"), "Other library headline\n\nBody.\n").unwrap();
    counts(&mut store, &other);
    let back = counts(&mut store, &lib);
    assert_eq!(back.stories, 11);
    assert!(!titles(&store).contains(&"Other library headline".to_owned()));
    let names: Vec<String> = store
        .headlines()
        .unwrap()
        .list()
        .iter()
        .map(|h| h.title.to_owned())
        .collect();
    assert_eq!(names.len(), listed(&store, Sort::Title, None).len());
    assert!(!names.contains(&"Other library headline".to_owned()));
    // The skip counts come back on the quick path too.
    std::fs::write(lib.join("empty.txt"), "").unwrap();
    assert_eq!(counts(&mut store, &lib).skipped(), 1);
    assert_eq!(counts(&mut store, &lib).skipped(), 1);
}

#[test]
fn a_file_that_could_not_be_read_is_tried_again_on_the_quick_path() {
    let (dir, lib) = fixture_copy();
    let mut store = disk_store(&dir);
    let late = lib.join("late.txt");
    std::fs::write(&late, "Late headline\n\nBody.\n").unwrap();
    touch(&late, 0);
    let mtime = std::fs::metadata(&late).unwrap().modified().unwrap();
    // The file goes between the walk and the read: a read error.
    let walk = Walk::of(
        std::slice::from_ref(&lib),
        &crate::loader::Ignore::default(),
    );
    let bytes = std::fs::read(&late).unwrap();
    std::fs::remove_file(&late).unwrap();
    let failed = store.sync_walked(walk, Detail::Counts, |_| {}).unwrap();
    assert_eq!(failed.skipped(), 1);
    // It is back, exactly as the walk saw it: same size, same mtime. The
    // walk finds nothing new, yet the file must be read this time.
    std::fs::write(&late, bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&late)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let fixed = counts(&mut store, &lib);
    assert_eq!((fixed.skipped(), fixed.reread), (0, 1));
    assert!(titles(&store).contains(&"Late headline".to_owned()));
}

/// The boilerplate counts of a large sync are written every few batches;
/// a sync that stopped with some held back has the next one count them
/// again from the copies, to the same counts a whole sync gives.
#[test]
fn counts_held_back_by_a_stopped_sync_are_made_again() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let counts = |store: &Store| -> Vec<(i64, i64, i64, i64)> {
        let mut stmt = store
            .conn
            .prepare("SELECT source_key, hash, title_hash, refs FROM units ORDER BY 1, 2, 3")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let whole = counts(&store);
    assert!(!whole.is_empty());
    // As a sync that stopped between batches leaves it: counts missing.
    store
        .conn
        .execute_batch(
            "DELETE FROM units WHERE hash % 2 = 0 OR refs > 1;
             INSERT INTO meta (key, value) VALUES ('units_pending', '1');",
        )
        .unwrap();
    assert_ne!(counts(&store), whole);
    let file = std::fs::read_dir(lib.join("pages"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    touch(&file, 5);
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!(counts(&store), whole);
    let pending: bool = store
        .conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'units_pending')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!pending);
}

#[test]
fn a_pass_in_table_order_gives_every_story_a_pass_by_id_gives() {
    let (_dir, lib) = fixture_copy();
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let pass = |order: PassOrder| {
        let mut seen: Vec<(String, Vec<(String, u32)>)> = Vec::new();
        store
            .for_each_story_term_counts(order, &mut |id, counts| {
                let counts = counts.iter().map(|(t, c)| ((*t).to_owned(), *c)).collect();
                seen.push((id.as_str().to_owned(), counts));
            })
            .unwrap();
        seen
    };
    let by_id = pass(PassOrder::ById);
    assert!(by_id.windows(2).all(|w| w[0].0 < w[1].0), "in ID order");
    assert_eq!(by_id.len(), store.all_summaries().unwrap().len());
    assert!(by_id.iter().all(|(_, counts)| !counts.is_empty()));
    let mut any = pass(PassOrder::Any);
    any.sort();
    assert_eq!(any, by_id);
}

#[test]
fn a_re_read_of_a_known_library_shows_no_headline_twice() {
    let (dir, lib) = many_pages(|n| {
        format!("Story number {n} about harbour ferries\nA standfirst.\nA body paragraph.\n")
    });
    let path = dir.path().join("store.sqlite3");
    // Headlines without a story yet, as another process sees them at each step.
    let stubs_seen = |store: &mut Store| -> i64 {
        let mut most = 0;
        store
            .sync(std::slice::from_ref(&lib), |_| {
                let other = rusqlite::Connection::open(&path).unwrap();
                let stubs: i64 = other
                    .query_row("SELECT count(*) FROM stories WHERE entry = 0", [], |r| {
                        r.get(0)
                    })
                    .unwrap();
                most = most.max(stubs);
            })
            .unwrap();
        most
    };
    let mut store = Store::open(&path).unwrap();
    // A first index shows the headlines before the stories.
    assert_eq!(stubs_seen(&mut store), super::passes::QUICK_FROM as i64);
    // Another loader's store is read again whole; its stories stay listed once.
    store
        .conn
        .execute(
            "UPDATE meta SET value = 'another loader' WHERE key = 'loader'",
            [],
        )
        .unwrap();
    assert_eq!(stubs_seen(&mut store), 0);
    assert_eq!(store.count_stories().unwrap(), super::passes::QUICK_FROM);
}

#[test]
fn counts_alone_agree_with_every_file_s_report() {
    let (dir, lib) = fixture_copy();
    let mut store = disk_store(&dir);
    std::fs::write(lib.join("empty.txt"), "").unwrap();
    std::fs::write(lib.join(".hidden.txt"), "Hidden headline\n\nBody.\n").unwrap();
    std::fs::write(
        lib.join("latin1.txt"),
        b"Caf\xe9 owners protest new rules\n\nThe caf\xe9 owners met on Monday.\n",
    )
    .unwrap();
    // JSON Lines with a broken line: loaded, with a warning.
    std::fs::write(
        lib.join("wire.jsonl"),
        "{\"title\": \"Wire story on the harbour\", \"body\": \"Pilots met.\"}\n{broken\n",
    )
    .unwrap();
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("o.txt"), "Other library headline\n\nBody.\n").unwrap();
    std::fs::write(other.join("void.txt"), "").unwrap();
    let tally = |r: &SyncReport| (r.skipped(), r.warned, r.ignored, r.stories);
    for (round, also_other) in [(1, false), (2, true), (3, false)] {
        if also_other {
            // Another library's files in the store: the counts are of this one.
            counts(&mut store, &other);
        }
        // A change, so that neither sync takes the unchanged library's quick path.
        touch(&lib.join("empty.txt"), round);
        let by_file = store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
        let count = |status| by_file.files.iter().filter(|f| f.status == status).count();
        assert_eq!(
            (
                count(FileStatus::Skipped),
                count(FileStatus::Warn),
                count(FileStatus::Ignored)
            ),
            (by_file.skipped(), by_file.warned, by_file.ignored)
        );
        assert_eq!(by_file.file_count, by_file.files.len());
        // The problems alone: the same counts, and the files not loaded cleanly.
        touch(&lib.join("empty.txt"), round + 5);
        let problems = store
            .sync_with(std::slice::from_ref(&lib), Detail::Problems, |_| {})
            .unwrap();
        assert_eq!(tally(&problems), tally(&by_file), "round {round}");
        assert_eq!(problems.file_count, by_file.files.len());
        let not_ok: Vec<&FileReport> = by_file
            .files
            .iter()
            .filter(|f| f.status != FileStatus::Ok)
            .collect();
        assert_eq!(problems.files.iter().collect::<Vec<_>>(), not_ok);
        assert!(not_ok.len() >= 3, "{not_ok:?}");
        touch(&lib.join("empty.txt"), round + 10);
        let counted = counts(&mut store, &lib);
        assert!(counted.files.is_empty());
        assert_eq!(counted.reread, 1);
        assert_eq!(tally(&counted), tally(&by_file), "round {round}");
        assert!(
            counted.skipped() >= 1 && counted.warned >= 1 && counted.ignored >= 1,
            "{counted:?}"
        );
    }
}

/// A path that is not UTF-8 is kept under its lossy text, whose order is
/// not the bytes' order: the comparison still pairs every file with its row.
#[test]
fn files_whose_names_are_not_utf8_are_compared_with_their_rows() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let names: [&[u8]; 4] = [
        b"x\xff1.txt",
        b"x\xf02.txt",
        "xé3.txt".as_bytes(),
        b"x4.txt",
    ];
    for (n, name) in names.iter().enumerate() {
        let path = lib.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(
            &path,
            format!("Headline number {n} of four\n\nIts own body {n}.\n"),
        )
        .unwrap();
    }
    let mut store = disk_store(&dir);
    assert_eq!(counts(&mut store, &lib).reread, 4);
    // Any change keeps the quick path off; the files themselves did not change.
    std::fs::write(lib.join("x5.txt"), "A fifth headline\n\nIts body.\n").unwrap();
    let again = counts(&mut store, &lib);
    assert_eq!((again.reread, again.removed, again.stories), (1, 0, 5));
    let odd = lib.join(std::ffi::OsStr::from_bytes(names[0]));
    touch(&odd, 5);
    let touched = store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!((touched.reread, touched.removed), (1, 0));
    assert_eq!(touched.files.len(), 5);
    std::fs::remove_file(lib.join(std::ffi::OsStr::from_bytes(names[1]))).unwrap();
    let gone = counts(&mut store, &lib);
    assert_eq!((gone.reread, gone.removed, gone.stories), (0, 1, 4));
}
