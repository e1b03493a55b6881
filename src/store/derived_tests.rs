//! What a sync derives from the stories, kept up to date as the library
//! changes: the full-text index and the near-duplicate groups.

use std::path::PathBuf;

use super::sync_tests::touch;
use super::*;

#[test]
fn when_most_stories_change_the_full_text_index_is_written_anew() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let write_all = |word: &str| {
        for n in 0..10 {
            // Ten stories with no words in common but the test's own, so
            // that none are near-duplicates.
            let words: Vec<String> = (0..24).map(|k| format!("w{n}x{k}")).collect();
            let page = format!(
                "Headline {} reopens\nA standfirst: {}.\nIt smelled of {word}: {} visitors.\n",
                words[0],
                words[1..8].join(" "),
                words[8..].join(" ")
            );
            let path = lib.join(format!("{n:02}.txt"));
            std::fs::write(&path, page).unwrap();
        }
    };
    write_all("tar");
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!(store.search_full_text("tar", None).unwrap().len(), 10);
    // Nothing stale, or one row in ten: the index is kept and patched.
    assert!(!fulltext::start_again_if_mostly_stale(&mut store.conn).unwrap());
    store
        .conn
        .execute(
            "UPDATE stories SET fts_entry = -1 WHERE rowid = (SELECT min(rowid) FROM stories)",
            [],
        )
        .unwrap();
    assert!(!fulltext::start_again_if_mostly_stale(&mut store.conn).unwrap());
    fulltext::catch_up(&mut store.conn).unwrap();

    // Every story changes: the index is emptied, and every story written again.
    write_all("brine");
    for n in 0..10 {
        touch(&lib.join(format!("{n:02}.txt")), 5);
    }
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert!(store.search_full_text("tar", None).unwrap().is_empty());
    // The same files read again (as after a new loader): every story
    // keeps its ID, and gets a new copy to index.
    for n in 0..10 {
        touch(&lib.join(format!("{n:02}.txt")), 10);
    }
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!(store.search_full_text("brine", None).unwrap().len(), 10);
    assert_eq!(store.search_full_text("visitors", None).unwrap().len(), 10);
    let count = |store: &Store, filter: &str| -> i64 {
        let sql = format!("SELECT count(*) FROM stories WHERE {filter}");
        store.conn.query_row(&sql, [], |r| r.get(0)).unwrap()
    };
    assert_eq!(count(&store, "fts_entry IS NOT entry"), 0, "none stale");
    // Marked stale by hand, most rows make the index start again.
    store
        .conn
        .execute("UPDATE stories SET fts_entry = -1 WHERE rowid % 2 = 0", [])
        .unwrap();
    assert!(fulltext::start_again_if_mostly_stale(&mut store.conn).unwrap());
    assert_eq!(count(&store, "fts_entry IS NOT NULL"), 0, "none indexed");
    assert!(store.search_full_text("brine", None).unwrap().is_empty());
    fulltext::catch_up(&mut store.conn).unwrap();
    assert_eq!(store.search_full_text("brine", None).unwrap().len(), 10);
}

/// The groups as the store records them: (member, representative).
fn recorded_groups(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .conn
        .prepare("SELECT id, grp FROM stories WHERE grp IS NOT NULL ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn grouping_around_each_change_gives_the_groups_a_whole_regrouping_gives() {
    // A text of its own for each base, and variants of it: a window of
    // the base's words, moved on 6 words a step (and one word changed).
    // Next steps are near-duplicates, steps further apart need not be, so
    // that one story can join two others (and its removal part them).
    fn text(base: u64, variant: u64) -> String {
        let from = 6 * (variant % 5);
        let mut words: Vec<String> = (from..from + 48).map(|k| format!("b{base}w{k}")).collect();
        if variant >= 5 {
            words[20 + variant as usize % 20] = format!("v{variant}");
        }
        format!(
            "Headline {base} {variant} {}\nA standfirst: {}.\n{}.\n",
            words[0],
            words[1..8].join(" "),
            words[8..].join(" ")
        )
    }
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let mut next_file = 0u64;
    let mut add = |body: String| {
        let path = lib.join(format!("{next_file:04}.txt"));
        next_file += 1;
        std::fs::write(&path, body).unwrap();
    };
    for base in 0..70 {
        add(text(base, 0));
        if base % 3 == 0 {
            add(text(base, 1));
        }
        if base % 9 == 0 {
            add(text(base, 2));
        }
    }
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let first = recorded_groups(&store);
    assert!(first.len() >= 20, "{first:?}");
    assert_eq!(first, store.groups_from_scratch().unwrap());

    // A small generator, so that every run makes the same changes.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let mut fresh = 1000;
    for round in 0..40 {
        let files: Vec<PathBuf> = {
            let mut f: Vec<PathBuf> = std::fs::read_dir(&lib)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            f.sort();
            f
        };
        let pick = &files[next(files.len() as u64) as usize];
        match next(4) {
            // Becomes a near-duplicate of another story (joins its group).
            0 => std::fs::write(pick, text(next(70), 3 + next(5))).unwrap(),
            // Becomes a story of its own (leaves its group).
            1 => {
                fresh += 1;
                std::fs::write(pick, text(fresh, 0)).unwrap();
            }
            // Goes (a group loses a member, its representative, or its bridge).
            2 => std::fs::remove_file(pick).unwrap(),
            // A new near-duplicate of a story.
            _ => add(text(next(70), 8 + next(5))),
        }
        if pick.exists() {
            touch(pick, round + 1);
        }
        let since: i64 = store
            .conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'groups_seq'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
        let (changed, all): (i64, i64) = store
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM stories WHERE seq > ?1), (SELECT count(*) FROM stories)",
                [since],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(changed * 20 <= all, "round {round} grouped the whole store");
        assert_eq!(
            recorded_groups(&store),
            store.groups_from_scratch().unwrap(),
            "round {round}"
        );
    }
}

/// The boilerplate a store learns after a small change, by looking up the
/// counts of the units the change touched, is what a first index learns
/// by scanning every count.
#[test]
fn a_small_change_learns_by_look_ups_what_a_first_index_learns() {
    const LINE: &str = "Subscribe to The Harbour Courier for unlimited access.";
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let story = |n: usize, furniture: bool| {
        let mut body = format!(
            "Report {n}: the harbour board met on day {n} to discuss berth w{n}x1.\n\n\
             Pilots said berth w{n}x2 needed dredging before the w{n}x3 season."
        );
        if furniture {
            body.push_str("\n\n");
            body.push_str(LINE);
        }
        let json = serde_json::json!({
            "title": format!("Harbour board item {n}"),
            "source": "Harbour Courier",
            "body": body,
        });
        std::fs::write(lib.join(format!("{n:04}.json")), json.to_string()).unwrap();
    };
    // 296 headlines: a unit must be under 60 of them. The line is under 59.
    for n in 0..296 {
        story(n, n % 5 == 0 && n < 295);
    }
    let carried = |store: &Store| -> usize {
        store
            .all_summaries()
            .unwrap()
            .iter()
            .filter(|s| {
                let story = store.story(&s.id).unwrap().unwrap();
                story.paragraphs.iter().any(|p| p.contains("Subscribe"))
            })
            .count()
    };
    let learned = |store: &Store| -> Vec<(i64, i64)> {
        store
            .conn
            .prepare("SELECT source_key, hash FROM boilerplate ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!(carried(&store), 59, "not boilerplate yet");
    // One more headline carries it: 60 of 297. The change touches a few
    // units of a source of 297 headlines, so they are looked up one by one.
    story(296, true);
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!(carried(&store), 0, "boilerplate now, gone from every story");

    let mut fresh = Store::open_in_memory().unwrap();
    fresh.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    assert_eq!(carried(&fresh), 0);
    assert!(!learned(&fresh).is_empty());
    assert_eq!(learned(&store), learned(&fresh));
}
