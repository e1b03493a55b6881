//! The library worker's logic, driven without threads.
use super::*;
use crate::state::Mark;
use crate::view::Sort;

fn library(dir: &Path) -> Library {
    let lib = dir.join("library");
    crate::test_support::copy_fixtures(&lib);
    let mut store = Store::open_in_memory().unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let marks = Marks::load(&dir.join("config"));
    Library::new(store, marks, vec![lib])
}

#[test]
fn a_batch_saves_once_and_answers_only_the_newest_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = library(dir.path());
    let ids: Vec<ArticleId> = match library.load_list(Sort::Newest) {
        Action::ListLoaded { items, .. } => items.into_iter().map(|s| s.id).collect(),
        other => panic!("{other:?}"),
    };
    let read = Mark {
        read: true,
        saved: false,
        ..Default::default()
    };
    let batch = vec![
        Effect::SaveMarks {
            generation: 1,
            changes: vec![(ids[0].clone(), read.clone())],
        },
        Effect::SearchText {
            generation: 4,
            query: "ferry".into(),
        },
        Effect::LoadList { sort: Sort::Newest },
        Effect::SaveMarks {
            generation: 2,
            changes: vec![(ids[1].clone(), read)],
        },
        Effect::SearchText {
            generation: 5,
            query: "crust".into(),
        },
        Effect::LoadList { sort: Sort::Newest },
    ];
    let mut answers = Vec::new();
    library.run_batch(batch, &mut |a| answers.push(a));
    let kinds: Vec<String> = answers
        .iter()
        .map(|a| {
            format!("{a:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds, ["MarksSaved", "TextHits", "ListLoaded"]);
    let Action::MarksSaved {
        generation, error, ..
    } = &answers[0]
    else {
        unreachable!()
    };
    assert_eq!((*generation, error), (2, &None));
    let Action::TextHits { generation, hits } = &answers[1] else {
        unreachable!()
    };
    assert_eq!(*generation, 5);
    assert_eq!(hits.as_ref().unwrap()[0].snippet.matched(), ["crust"]);
    // Both marks are on disk.
    let on_disk = Marks::load(&dir.path().join("config"));
    assert!(on_disk.is_read(&ids[0]) && on_disk.is_read(&ids[1]));
}

#[test]
fn a_store_removed_or_damaged_underneath_is_opened_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library");
    crate::test_support::copy_fixtures(&lib);
    let path = dir.path().join("data/store.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let marks = Marks::load(&dir.path().join("config"));
    let mut library = Library::new(store, marks, vec![lib]);
    let said = |library: &mut Library| {
        let mut answers = Vec::new();
        library.run_batch(vec![Effect::LoadList { sort: Sort::Newest }], &mut |a| {
            answers.push(a)
        });
        answers
    };
    assert!(matches!(
        said(&mut library)[..],
        [Action::ListLoaded { .. }]
    ));
    std::fs::remove_file(&path).unwrap();
    let answers = said(&mut library);
    assert!(
        matches!(&answers[..], [Action::Message(m), Action::Sync, Action::ListLoaded { .. }]
            if m.starts_with("store opened afresh")),
        "{answers:?}"
    );
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    let answers = said(&mut library);
    assert!(
        matches!(&answers[..], [Action::Message(m), Action::Sync, Action::ListLoaded { .. }]
            if m.starts_with("store rebuilt from the files")),
        "{answers:?}"
    );
    // Sound again: nothing more is said.
    assert!(matches!(
        said(&mut library)[..],
        [Action::ListLoaded { .. }]
    ));
}

#[test]
fn marks_saved_elsewhere_come_back_with_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = library(dir.path());
    let id = ArticleId::from_raw("elsewhere1");
    let mut other = Marks::load(&dir.path().join("config"));
    other.set_saved(&id, true);
    other.save().unwrap();
    let mut answers = Vec::new();
    let read = Mark {
        read: true,
        saved: false,
        ..Default::default()
    };
    let change = (ArticleId::from_raw("ours000001"), read);
    library.run_batch(
        vec![Effect::SaveMarks {
            generation: 7,
            changes: vec![change],
        }],
        &mut |a| answers.push(a),
    );
    let [
        Action::MarksSaved {
            generation: 7,
            merged: Some(merged),
            error: None,
        },
    ] = answers.as_slice()
    else {
        panic!("{answers:?}")
    };
    assert!(merged.is_saved(&id));
}

#[test]
fn the_matcher_narrows_from_earlier_queries_and_finds_what_ranking_all_finds() {
    let words = [
        "china", "hackers", "chips", "charter", "chile", "russia", "ports", "rain", "ship",
    ];
    let list = |salt: usize| -> std::sync::Arc<Vec<StorySummary>> {
        let items = (0..25_000)
            .map(|i| {
                let title = format!(
                    "{} {} {} {i}",
                    words[(i + salt) % 9],
                    words[(i / 9) % 9],
                    words[(i / 81) % 9]
                );
                StorySummary {
                    id: ArticleId::for_story(&title, ""),
                    title: title.into(),
                    source: Some(if i % 7 == 0 { "Chicago Wire" } else { "Post" }.into()),
                    published: None,
                }
            })
            .collect();
        std::sync::Arc::new(items)
    };
    let items = list(0);
    // Every match of a query, ranked to the end by `matcher`; None when
    // `current` stopped it first.
    let ranked = |matcher: &Matcher,
                  items: &std::sync::Arc<Vec<StorySummary>>,
                  query: &str,
                  current: &(dyn Fn() -> bool + Sync)|
     -> Option<Vec<(usize, i64)>> {
        let mut done = None;
        matcher.rank(items, query, 1, current, &mut |a| {
            if let Action::MatchResults {
                matches,
                matched,
                done: true,
                ..
            } = a
            {
                assert_eq!(matches.len(), matched);
                done = Some(matches.into_iter().map(|m| (m.index, m.score)).collect());
            }
            true
        });
        done
    };
    let everything = |items: &[StorySummary], query: &str| -> Vec<(usize, i64)> {
        crate::search::rank(items, query)
            .into_iter()
            .map(|m| (m.index, m.score))
            .collect()
    };
    let always = || true;
    for (base, longer) in [
        ("ch", "chi"),
        ("chi", "china h"),
        ("r", "rus"),
        ("c", "cH"),
        // The first words' scores come from the earlier query's.
        ("china", "china po"),
        ("china ", "china hackers"),
        ("ch ru", "ch ru p"),
    ] {
        let matcher = Matcher::new();
        let first = ranked(&matcher, &items, base, &always).unwrap();
        assert_eq!(first, everything(&items, base), "{base}");
        let narrowed = ranked(&matcher, &items, longer, &always).unwrap();
        assert_eq!(narrowed, everything(&items, longer), "{base} -> {longer}");
        assert!(narrowed.len() < first.len(), "{base} -> {longer} narrows");
    }
    // A query cut short by the next key leaves half its chunks done.
    let matcher = Matcher::new();
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let for_a_while = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 3;
    assert_eq!(ranked(&matcher, &items, "ch", &for_a_while), None);
    let chin = ranked(&matcher, &items, "chin", &always).unwrap();
    assert_eq!(chin, everything(&items, "chin"));
    // Back and forth: a query typed again, and one that is no extension.
    assert_eq!(
        ranked(&matcher, &items, "c", &always).unwrap(),
        everything(&items, "c")
    );
    assert_eq!(ranked(&matcher, &items, "chin", &always).unwrap(), chin);
    // Another list: nothing remembered of the first applies.
    let other = list(4);
    assert_eq!(
        ranked(&matcher, &other, "chin", &always).unwrap(),
        everything(&other, "chin")
    );
    assert_ne!(chin, everything(&other, "chin"), "the lists differ");
}

/// The list comes sorted in the order asked for, and says which, so that
/// the interface need not sort a million stories again.
#[test]
fn the_list_comes_sorted_in_the_order_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut library = library(dir.path());
    for sort in [Sort::Newest, Sort::Oldest, Sort::Title, Sort::Source] {
        let Action::ListLoaded { items, sorted, .. } = library.load_list(sort) else {
            panic!("no list")
        };
        assert_eq!(sorted, Some(sort));
        assert!(items.len() > 5);
        let mut resorted = items.clone();
        resorted.reverse();
        crate::view::sort(&mut resorted, sort);
        assert_eq!(items, resorted, "{sort:?}");
    }
}

/// The fixture library with its engine built, and its first story.
fn library_with_engine(dir: &Path) -> (Library, ArticleId) {
    let library = library(dir);
    assert!(matches!(build_engine(library.store()), Action::EngineReady));
    let id = library.store().all_summaries().unwrap()[0].id.clone();
    (library, id)
}

/// The background job's "engine ready" reads the saved engine again only
/// when it is newer than the one held: at a million stories that read
/// takes most of a second and a second copy's memory.
#[test]
fn a_saved_engine_is_read_again_only_when_newer_than_the_one_held() {
    let dir = tempfile::tempdir().unwrap();
    let (mut library, id) = library_with_engine(dir.path());
    let pending = |library: &mut Library, fresh| match library.load_related(id.clone(), &[], fresh)
    {
        Action::SidebarLoaded(answer) => answer.pending,
        other => panic!("not a sidebar: {other:?}"),
    };
    assert!(!pending(&mut library, false));
    let seq = library.store().engine_blob_seq().unwrap().unwrap();
    // Saved at the same sequence number: the engine held has seen as much,
    // and answers.
    library
        .store()
        .save_engine_bytes(b"not an engine", seq)
        .unwrap();
    assert!(!pending(&mut library, true));
    // A newer one is read (this one cannot be: the sidebar waits for a build).
    library
        .store()
        .save_engine_bytes(b"not an engine", seq + 1)
        .unwrap();
    assert!(pending(&mut library, true));
}

/// After a small change the background job leaves the saved engine alone
/// (it loaded a second copy of it to fold the change in); the engine the
/// reader holds folds it on its next query, and saves it. Enough changes
/// to make the engine stale, and the job builds it again itself.
#[test]
fn a_small_change_is_folded_by_the_engine_held_not_by_the_background_job() {
    let dir = tempfile::tempdir().unwrap();
    let (mut library, id) = library_with_engine(dir.path());
    library.load_related(id.clone(), &[], false);
    let before = library.store().engine_blob_seq().unwrap();
    let add = |name: &str, topic: &str| {
        let text = format!(
            "Harbour {topic} news\n\nThe harbour authority said the {topic} would change next \
             month, and ferry passengers were told to expect new fares and timetables.\n"
        );
        std::fs::write(dir.path().join("library").join(name), text).unwrap();
    };
    add("extra.txt", "ferry");
    library.sync(&mut |_| {});
    let seq = library.store().seq().unwrap();
    assert!(Some(seq) > before);
    assert!(matches!(build_engine(library.store()), Action::EngineReady));
    assert_eq!(library.store().engine_blob_seq().unwrap(), before);
    // The sidebar's query after "engine ready" folds the change in, and saves.
    library.load_related(id.clone(), &[], true);
    assert_eq!(library.store().engine_blob_seq().unwrap(), Some(seq));
    for n in 0..8 {
        add(&format!("extra{n}.txt"), &format!("topic{n}"));
    }
    library.sync(&mut |_| {});
    assert!(matches!(build_engine(library.store()), Action::EngineReady));
    assert_eq!(
        library.store().engine_blob_seq().unwrap(),
        Some(library.store().seq().unwrap())
    );
}
