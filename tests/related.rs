//! The related engine and near-duplicates, end to end: the evaluation on a
//! labelled fixture set, the `related` command, groups in the list, group
//! marks, and updates after an edit.

mod common;

#[path = "../examples/related_eval.rs"]
#[allow(dead_code)]
mod related_eval;

use std::path::Path;

use common::{Sandbox, now_plus};
use serde_json::Value;

fn labelled() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/labelled")
}

#[test]
fn the_eval_example_runs_on_the_labelled_fixtures() {
    let report = related_eval::evaluate(&labelled()).unwrap();
    assert_eq!(report.stories, 24);
    assert!(
        report.precision[0] >= 0.9,
        "precision@1 {}",
        report.precision[0]
    );
    assert!(
        report.precision[1] >= 0.9,
        "precision@5 {}",
        report.precision[1]
    );
    assert!(report.median_ms >= 0.0 && report.p99_ms >= report.median_ms);
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn id_of(sb: &Sandbox, lib: &Path, title_part: &str) -> String {
    let list = json(&sb.stdout(&["list", "--json", lib.to_str().unwrap()]));
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"].as_str().unwrap().contains(title_part))
        .unwrap_or_else(|| panic!("no story with {title_part:?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn folder_of(sb: &Sandbox, lib: &Path, id: &str) -> String {
    let story = json(&sb.stdout(&["show", "--json", id, lib.to_str().unwrap()]));
    let file = story["files"][0].as_str().unwrap().to_owned();
    Path::new(&file)
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn related_command_ranks_same_topic_stories_first() {
    let sb = Sandbox::new();
    let lib = sb.path().join("labelled");
    common::copy_tree(&labelled(), &lib);
    let id = id_of(&sb, &lib, "Storm Idris");
    let out = json(&sb.stdout(&[
        "related",
        &id,
        lib.to_str().unwrap(),
        "--limit",
        "4",
        "--json",
    ]));
    let items = out.as_array().unwrap();
    assert_eq!(items.len(), 4);
    for item in items {
        assert!(item["id"].is_string() && item["title"].is_string());
        let score = item["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert_eq!(
            folder_of(&sb, &lib, item["id"].as_str().unwrap()),
            "weather",
            "{item}"
        );
    }
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let text = sb.stdout(&["related", &id[..6], lib.to_str().unwrap(), "--limit", "2"]);
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn an_edited_file_updates_its_related_list() {
    let sb = Sandbox::new();
    let lib = sb.path().join("labelled");
    common::copy_tree(&labelled(), &lib);
    let id = id_of(&sb, &lib, "Storm Idris");
    sb.stdout(&["related", &id, lib.to_str().unwrap()]);
    // The same file under the same headline, with new text (now about
    // football): a new story, but its old ID still finds it.
    let path = lib.join("weather/02.txt");
    let football = std::fs::read_to_string(lib.join("football/02.txt")).unwrap();
    let body = football.split_once("\n\n").unwrap().1;
    std::fs::write(
        &path,
        format!("Storm Idris Brings Damaging Gusts to the Northern Coast\n\n{body}"),
    )
    .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(now_plus(10))
        .unwrap();
    let out = json(&sb.stdout(&[
        "related",
        &id,
        lib.to_str().unwrap(),
        "--limit",
        "3",
        "--json",
    ]));
    for item in out.as_array().unwrap() {
        assert_eq!(
            folder_of(&sb, &lib, item["id"].as_str().unwrap()),
            "football",
            "{item}"
        );
    }
}

const WIRE: &str = "The harbour authority said on Monday that ferry fares would fall by a fifth from April, \
after three electric boats join the fleet on the busiest route. Unions welcomed the cut but asked for more \
crew on the night crossings, which they say are short of staff. The operator said it would hire twenty \
more sailors before the summer and that the old diesel boats would be sold.";

#[test]
fn near_duplicates_show_once_share_marks_and_are_never_related() {
    let sb = Sandbox::new();
    let lib = sb.path().join("dups");
    common::copy_tree(&labelled(), &lib.join("other"));
    std::fs::create_dir_all(lib.join("wire")).unwrap();
    std::fs::write(
        lib.join("wire/a.txt"),
        format!("Ferry fares to fall by a fifth\n\n{WIRE}\n"),
    )
    .unwrap();
    let rescrape = WIRE.replace(
        "would be sold.",
        "would be sold to a museum, a spokesman added.",
    );
    std::fs::write(
        lib.join("wire/b.txt"),
        format!("Harbour ferries cut fares as electric boats arrive\n\n{rescrape}\n"),
    )
    .unwrap();
    std::fs::write(
        lib.join("wire/c.txt"),
        "Ferry crews want more night staff\n\nCrews on the harbour ferry route asked for more staff on the night \
         crossings, saying the electric boats arriving in April would not fix a shortage of sailors.\n",
    )
    .unwrap();
    let list = json(&sb.stdout(&["list", "--json", lib.to_str().unwrap()]));
    let items = list.as_array().unwrap();
    assert_eq!(
        items.len(),
        26,
        "24 + the crew story + one row for the pair"
    );
    let pair: Vec<&Value> = items.iter().filter(|s| s["also_in"] == 1).collect();
    assert_eq!(pair.len(), 1);
    assert_eq!(pair[0]["files"].as_array().unwrap().len(), 2);
    let text = sb.stdout(&["list", lib.to_str().unwrap()]);
    // Two copies from one folder (one source) are not "another source".
    assert!(text.contains("(1 other copy)"), "{text}");

    let shown = pair[0]["id"].as_str().unwrap();
    let other = pair[0]["duplicates"][0].as_str().unwrap();
    // The crew story's related list offers the pair, once, as the story the list shows.
    let crew = id_of(&sb, &lib, "Ferry crews want");
    let related = json(&sb.stdout(&["related", &crew, lib.to_str().unwrap(), "--json"]));
    let ids: Vec<&str> = related
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.first(), Some(&shown), "{related}");
    assert!(!ids.contains(&other), "{related}");
    // A story of the pair never offers the other as related.
    let related = json(&sb.stdout(&["related", shown, lib.to_str().unwrap(), "--json"]));
    assert!(related.as_array().unwrap().iter().all(|s| s["id"] != other));

    // Marking one read marks the group.
    sb.stdout(&["mark", "read", other, "--in", lib.to_str().unwrap()]);
    let unread = json(&sb.stdout(&["list", "--unread", "--json", lib.to_str().unwrap()]));
    assert!(
        unread.as_array().unwrap().iter().all(|s| s["id"] != shown),
        "the group's row is read"
    );
}

/// A copy of the labelled fixtures, synced, with its related engine built
/// and saved: (its folder, the library, the store).
fn labelled_with_engine() -> (tempfile::TempDir, std::path::PathBuf, byline::store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("labelled");
    common::copy_tree(&labelled(), &lib);
    let mut store = byline::store::Store::open(&dir.path().join("store.sqlite3")).unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let mut index = byline::related::SimilarIndex::new();
    index.update(&store, true).unwrap();
    assert_eq!(index.stats(), Some((24, 0)));
    (dir, lib, store)
}

#[test]
fn adding_a_file_folds_in_without_a_rebuild() {
    let (dir, lib, mut store) = labelled_with_engine();
    std::fs::write(
        lib.join("weather/09.txt"),
        "Gales and heavy rain forecast for the weekend\n\nMeteorologists expect strong wind, storm surges and \
         flooding on the coast, with temperatures falling and more rain in the forecast.\n",
    )
    .unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    drop(store);
    // A fresh process: the engine comes from the store and folds in the one new story.
    let mut store = byline::store::Store::open(&dir.path().join("store.sqlite3")).unwrap();
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    let mut index = byline::related::SimilarIndex::new();
    assert!(index.update(&store, false).unwrap());
    assert_eq!(index.stats(), Some((24, 1)));
    let id = store
        .all_summaries()
        .unwrap()
        .into_iter()
        .find(|s| &*s.title == "Gales and heavy rain forecast for the weekend")
        .unwrap()
        .id;
    let related = index.related(&store, &id, 3, false).unwrap().unwrap();
    assert!(!related.is_empty());
    let files = store.files_and_related().unwrap();
    for (story, _) in related {
        let file = &files[story.id.as_str()].0[0];
        assert!(file.contains("/weather/"), "{file}");
    }
}

#[test]
fn many_changes_at_once_are_built_again_not_folded_in() {
    let (_dir, lib, mut store) = labelled_with_engine();
    // Ten new stories against 24: more than a quarter changed.
    for n in 0..10 {
        std::fs::write(
            lib.join(format!("weather/new-{n}.txt")),
            format!(
                "Storm number {n} brings gales to the coast\n\nForecasters expect wind, rain and \
                 flooding from storm {n}, with ferries cancelled and roads closed.\n"
            ),
        )
        .unwrap();
    }
    store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
    // The reader's cheap update answers from the engine it has...
    let mut index = byline::related::SimilarIndex::new();
    assert!(index.update(&store, false).unwrap());
    assert_eq!(index.stats(), Some((24, 0)), "nothing folded in");
    // ...and the build makes it anew, with every story.
    assert!(index.update(&store, true).unwrap());
    assert_eq!(index.stats(), Some((34, 0)));
}
