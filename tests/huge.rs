//! Fault suite: a 15 MB file that is one line. Its headline is cut to a
//! sensible length (the rest is its text), and searching, showing and
//! full-text search treat it as any other story.

mod common;

use common::Sandbox;

/// 15 MB of words on one line, no full stop anywhere.
fn one_line(bytes: usize) -> String {
    let words = [
        "football", "growth", "market", "council", "harbour", "season",
    ];
    let mut text = String::with_capacity(bytes + 16);
    let mut n = 0usize;
    while text.len() < bytes {
        text.push_str(words[(n * 7 + n / 3) % words.len()]);
        text.push(' ');
        n += 1;
    }
    text
}

#[test]
fn a_15_mb_one_line_file_is_a_story_with_a_sensible_headline() {
    let sb = Sandbox::with_library();
    let text = one_line(15_000_000);
    std::fs::write(sb.library().join("oneline.txt"), &text).unwrap();
    let lib = sb.library();
    let lib = lib.to_str().unwrap();
    let listed: serde_json::Value =
        serde_json::from_str(&sb.stdout(&["list", "--json", lib])).unwrap();
    let huge = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("football"))
        .expect("the one-line file's story");
    let title = huge["title"].as_str().unwrap();
    assert!(
        (100..=300).contains(&title.chars().count()),
        "{} characters",
        title.chars().count()
    );
    assert!(text.starts_with(title) && title.ends_with(|c: char| c.is_alphabetic()));
    // The rest of the line is its text.
    let id = huge["id"].as_str().unwrap();
    let shown: serde_json::Value =
        serde_json::from_str(&sb.stdout(&["show", "--json", id, lib])).unwrap();
    let first = shown["paragraphs"][0].as_str().unwrap();
    assert_eq!(
        format!("{title} {first}").len(),
        text.trim_end().len(),
        "nothing is lost"
    );
    // Fuzzy search finds it by its headline; full-text search by its text.
    let found = sb.stdout(&["search", "football growth", lib]);
    assert!(found.contains(id), "{found}");
    let hits: serde_json::Value = serde_json::from_str(&sb.stdout(&[
        "search",
        "--full-text",
        "--json",
        "harbour season",
        lib,
    ]))
    .unwrap();
    assert_eq!(hits[0]["id"], id);
    assert!(hits[0]["snippet"].as_str().unwrap().len() < 1000);
}
