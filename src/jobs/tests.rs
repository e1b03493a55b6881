//! The library worker's logic, driven without threads.
use super::*;
use crate::state::Mark;

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
    let ids: Vec<ArticleId> = match library.load_list() {
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
        Effect::LoadList,
        Effect::SaveMarks {
            generation: 2,
            changes: vec![(ids[1].clone(), read)],
        },
        Effect::SearchText {
            generation: 5,
            query: "crust".into(),
        },
        Effect::LoadList,
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
        library.run_batch(vec![Effect::LoadList], &mut |a| answers.push(a));
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
fn ranking_within_a_shorter_querys_matches_finds_what_ranking_all_finds() {
    let words = [
        "china", "hackers", "chips", "charter", "chile", "russia", "ports", "rain", "ship",
    ];
    let items: Vec<StorySummary> = (0..25_000)
        .map(|i| {
            let title = format!(
                "{} {} {} {i}",
                words[i % 9],
                words[(i / 9) % 9],
                words[(i / 81) % 9]
            );
            StorySummary {
                id: ArticleId::for_story(&title, ""),
                title,
                source: Some(if i % 7 == 0 { "Chicago Wire" } else { "Post" }.into()),
                published: None,
            }
        })
        .collect();
    let ranked = |within: Option<&[usize]>, query: &str| -> Vec<(usize, i64)> {
        let mut all = Vec::new();
        rank_in_chunks(&items, within, query, 1, &|| true, &mut |a| {
            if let Action::MatchResults { matches, .. } = a {
                all.extend(matches.into_iter().map(|m| (m.index, m.score)));
            }
            true
        });
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all
    };
    for (base, longer) in [("ch", "chi"), ("chi", "china h"), ("r", "rus"), ("c", "cH")] {
        let mut within: Vec<usize> = ranked(None, base).into_iter().map(|(i, _)| i).collect();
        within.sort_unstable();
        let narrowed = ranked(Some(&within), longer);
        assert_eq!(narrowed, ranked(None, longer), "{base} -> {longer}");
        assert!(narrowed.len() < within.len(), "{base} -> {longer} narrows");
    }
}
