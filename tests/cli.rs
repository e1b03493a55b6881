//! The command line, run as the real binary.

mod common;

use common::{FIXTURE_TIME, Sandbox, set_mtime};
use predicates::prelude::*;
use serde_json::Value;

const FERRY: &str = "Island ferry fares to fall as new electric boats join the fleet";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn ferry_id(sandbox: &Sandbox) -> String {
    sandbox.id_of(FERRY)
}

#[test]
fn list_prints_every_story_newest_first() {
    let sb = Sandbox::with_library();
    let out = sb.stdout(&["list", sb.library().to_str().unwrap()]);
    assert_eq!(out.lines().count(), 11, "{out}");
    let first = out.lines().next().unwrap();
    // Snow (2026-11-21 06:00) is the newest dated story.
    assert!(first.contains("Snow expected on high ground"), "{first}");
    assert!(first.contains("2026-11-21 06:00"), "{first}");
}

#[test]
fn list_json_has_the_documented_fields() {
    let sb = Sandbox::with_library();
    let list = json(&sb.stdout(&["list", "--json", sb.library().to_str().unwrap()]));
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 11);
    for item in items {
        for key in [
            "id",
            "title",
            "source",
            "published",
            "files",
            "related_on_page",
        ] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
    }
    let ferry = items.iter().find(|s| s["title"] == FERRY).unwrap();
    assert_eq!(ferry["source"], "The Straits Times");
    assert_eq!(ferry["published"], "2026-11-20T12:00:00Z");
    assert_eq!(ferry["files"].as_array().unwrap().len(), 2);
    let related: Vec<&str> = ferry["related_on_page"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(related.len(), 2);
    let titles: Vec<&str> = related
        .iter()
        .map(|id| {
            items.iter().find(|s| s["id"] == *id).unwrap()["title"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Harbour pilots strike over night shifts",
            "Kestrel Lines orders three more electric boats"
        ]
    );
}

#[test]
fn list_sorts_and_limits() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let out = sb.stdout(&[
        "list",
        "--sort",
        "title",
        "--limit",
        "2",
        lib.to_str().unwrap(),
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].ends_with("Bakery wins regional bread prize"));
    assert!(lines[1].ends_with("Cycle lane opens on the canal path"));
    let out = sb.stdout(&[
        "list",
        "--sort",
        "oldest",
        "--limit",
        "1",
        lib.to_str().unwrap(),
    ]);
    assert!(out.contains("Cycle lane opens on the canal path"));
}

#[test]
fn show_renders_a_page_story_cleanly() {
    let sb = Sandbox::with_library();
    let id = ferry_id(&sb);
    let out = sb.stdout(&[
        "show",
        &id[..6],
        sb.library().to_str().unwrap(),
        "--width",
        "60",
    ]);
    let out = out.replace(&id, "<ID>");
    let ids: Vec<String> = [
        "Harbour pilots strike over night shifts",
        "Kestrel Lines orders three more electric boats",
    ]
    .iter()
    .map(|t| sb.id_of(t))
    .collect();
    let out = out
        .replace(&ids[0], "<PILOTS>")
        .replace(&ids[1], "<KESTREL>");
    insta::assert_snapshot!("show_page_with_related_block", out);
}

#[test]
fn show_json_has_the_story_parts() {
    let sb = Sandbox::with_library();
    let id = ferry_id(&sb);
    let story = json(&sb.stdout(&["show", "--json", &id, sb.library().to_str().unwrap()]));
    assert_eq!(
        story["standfirst"],
        "Commuters will pay less from April, the operator said."
    );
    assert_eq!(story["caption"], "PHOTO: KESTREL LINES");
    assert_eq!(story["credit"], "REUTERS");
    let paragraphs = story["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs.len(), 4);
    assert!(
        paragraphs
            .iter()
            .all(|p| !p.as_str().unwrap().contains("Telegram"))
    );
    assert_eq!(story["related_on_page"].as_array().unwrap().len(), 2);
}

#[test]
fn show_unknown_id_is_a_clear_error() {
    let sb = Sandbox::with_library();
    sb.cmd()
        .args(["show", "zzzzzzzzzz", sb.library().to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no story has the ID `zzzzzzzzzz`"));
}

#[test]
fn search_is_fuzzy_and_needs_every_word() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let out = sb.stdout(&["search", "fery fares", lib.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains(FERRY));
    let all = sb.stdout(&["search", "e", "--limit", "0", lib.to_str().unwrap()]);
    let some = sb.stdout(&["search", "e", "--limit", "3", lib.to_str().unwrap()]);
    assert_eq!(some.lines().count(), 3);
    assert!(all.lines().count() > 3);
    let hits = json(&sb.stdout(&["search", "electric boats", "--json", lib.to_str().unwrap()]));
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits[0]["score"].as_i64().unwrap() >= hits[1]["score"].as_i64().unwrap());
    assert!(
        sb.stdout(&["search", "qqqxj", lib.to_str().unwrap()])
            .is_empty()
    );
}

#[test]
fn search_sees_files_added_and_edited_since_the_last_search() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib_arg = lib.to_str().unwrap();
    assert!(sb.stdout(&["search", "zebra", lib_arg]).is_empty());
    // Twice, so that the second answers from the headline file.
    assert!(sb.stdout(&["search", "zebra", lib_arg]).is_empty());
    std::fs::write(
        lib.join("zoo.txt"),
        "Zebra foal born at the city zoo\n\nKeepers say.\n",
    )
    .unwrap();
    let found = sb.stdout(&["search", "zebra", lib_arg]);
    assert!(found.contains("Zebra foal born at the city zoo"), "{found}");
    // Edited in place: same name, new headline, a later mtime.
    let zoo = lib.join("zoo.txt");
    std::fs::write(&zoo, "Zebra twins born at the city zoo\n\nKeepers say.\n").unwrap();
    set_mtime(&zoo, FIXTURE_TIME + 60);
    let edited = sb.stdout(&["search", "zebra", "--json", lib_arg]);
    let hits = json(&edited);
    let titles: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Zebra twins born at the city zoo"]);
    std::fs::remove_file(&zoo).unwrap();
    assert!(sb.stdout(&["search", "zebra", lib_arg]).is_empty());
}

#[test]
fn full_text_search_prints_snippets() {
    let sb = Sandbox::with_library();
    let out = sb.stdout(&[
        "search",
        "--full-text",
        "crust",
        sb.library().to_str().unwrap(),
    ]);
    assert!(out.contains("Bakery wins regional bread prize"), "{out}");
    assert!(out.contains("[crust]"), "{out}");
    let hits = json(&sb.stdout(&[
        "search",
        "--full-text",
        "--json",
        "snow",
        sb.library().to_str().unwrap(),
    ]));
    assert_eq!(hits[0]["title"], "Snow expected on high ground");
    // JSON carries the plain snippet and where the matches are in it
    // (character offsets), never markup inside the text.
    let snippet: Vec<char> = hits[0]["snippet"].as_str().unwrap().chars().collect();
    assert!(!snippet.contains(&'['), "{snippet:?}");
    let highlights = hits[0]["highlights"].as_array().unwrap();
    assert!(!highlights.is_empty(), "{}", hits[0]);
    for range in highlights {
        let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
        let word: String = snippet[start as usize..end as usize].iter().collect();
        assert_eq!(word.to_lowercase(), "snow");
    }
}

#[test]
fn check_reports_every_file_and_totals() {
    let sb = Sandbox::with_library();
    let out = sb.stdout(&["check", sb.library().to_str().unwrap()]);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        8,
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("ok    page      UTF-8") && l.contains("3 stories")),
        "{out}"
    );
    assert!(
        out.contains("8 files: 8 loaded (0 with warnings), 0 skipped"),
        "{out}"
    );
    assert!(
        out.contains("11 stories (2 duplicate copies merged)"),
        "{out}"
    );
    let report = json(&sb.stdout(&["check", "--json", sb.library().to_str().unwrap()]));
    assert_eq!(report["totals"]["stories"], 11);
    assert_eq!(report["files"].as_array().unwrap().len(), 8);
}

#[test]
fn bad_flag_prints_usage_and_exits_2() {
    let sb = Sandbox::new();
    sb.assert_usage_errors(&[
        &["list", "--bogus"][..],
        &["--frobnicate"],
        &["show"],
        &["list", "--sort", "sideways"],
    ]);
}

#[test]
fn every_command_has_help() {
    let sb = Sandbox::new();
    for cmd in ["list", "show", "search", "check", "related"] {
        sb.cmd()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("--json"));
    }
    for cmd in ["mark", "export", "config", "completions", "manpage"] {
        sb.cmd()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: byline"));
    }
    sb.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--data-dir"));
}

#[test]
fn no_path_and_no_config_uses_the_bundled_samples() {
    let sb = Sandbox::new();
    let list = json(&sb.stdout(&["list", "--json"]));
    let items = list.as_array().unwrap();
    assert!(items.len() >= 12, "{} stories", items.len());
    assert!(sb.data_dir().join("samples").is_dir());
    // The pages' Related blocks list each other's stories.
    assert!(
        items
            .iter()
            .filter(|s| !s["related_on_page"].as_array().unwrap().is_empty())
            .count()
            >= 12
    );
    // Bare `byline` prints them too (until the interface lands).
    let bare = sb.stdout(&[]);
    assert_eq!(bare.lines().count(), items.len());
}

#[test]
fn configured_library_is_used_when_no_path_is_given() {
    let sb = Sandbox::with_library();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    let lib = sb.library().join("feeds");
    std::fs::write(
        sb.config_dir().join("config.toml"),
        format!("library = [{:?}]\n", lib.to_str().unwrap()),
    )
    .unwrap();
    let out = sb.stdout(&["list"]);
    assert_eq!(out.lines().count(), 8, "{out}");
    assert!(!sb.data_dir().join("samples").exists());
}

#[test]
fn broken_config_falls_back_with_a_message() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.config_dir().join("config.toml"), "library = [unclosed\n").unwrap();
    sb.cmd().arg("list").assert().success().stderr(
        predicate::str::contains("config.toml line 1: unclosed array")
            .and(predicate::str::contains("that setting is ignored")),
    );
    // The library setting is broken: the samples are read.
    assert!(sb.data_dir().join("samples").is_dir());
}

#[test]
fn global_dirs_are_accepted_after_the_subcommand() {
    let sb = Sandbox::with_library();
    let other = sb.path().join("elsewhere");
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_byline"));
    cmd.env_remove("BYLINE_DATA_DIR")
        .env_remove("BYLINE_CONFIG_DIR")
        .args(["list", sb.library().to_str().unwrap(), "--data-dir"])
        .arg(&other)
        .arg("--config-dir")
        .arg(sb.config_dir())
        .assert()
        .success();
    assert!(other.join("store.sqlite3").is_file());
}

#[test]
fn damaged_store_is_rebuilt_with_a_message() {
    let sb = Sandbox::with_library();
    std::fs::create_dir_all(sb.data_dir()).unwrap();
    std::fs::write(
        sb.data_dir().join("store.sqlite3"),
        "this is not a database, just text that is long enough".repeat(100),
    )
    .unwrap();
    let out = sb
        .cmd()
        .args(["list", sb.library().to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("rebuilt"));
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        11
    );
}
