//! The reader's views from the command line: `mark tag`/`untag`, and
//! `list --tag`, `--source` and `--query`.

mod common;

use common::Sandbox;

fn titles(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l[10..].split("  ").last().unwrap().trim().to_owned())
        .collect()
}

#[test]
fn mark_tag_and_untag_and_list_by_tag() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib = lib.to_str().unwrap();
    let ferry = sb.id_of("Island ferry fares to fall as new electric boats join the fleet");
    let snow = sb.id_of("Snow expected on high ground");
    sb.stdout(&["mark", "tag", "Long Read", &ferry, &snow, lib]);
    let tagged = sb.stdout(&["list", "--tag", "long read", lib]);
    assert_eq!(tagged.lines().count(), 2, "{tagged}");
    let state = std::fs::read_to_string(sb.config_dir().join("state.json")).unwrap();
    assert!(state.contains(r#""tags":["long-read"]"#), "{state}");
    sb.stdout(&["mark", "untag", "long-read", &snow, lib]);
    let tagged = sb.stdout(&["list", "--tag", "long-read", lib]);
    assert_eq!(
        titles(&tagged),
        ["Island ferry fares to fall as new electric boats join the fleet"]
    );
    let json: serde_json::Value =
        serde_json::from_str(&sb.stdout(&["list", "--json", "--tag", "long-read", lib])).unwrap();
    assert_eq!(json[0]["user_tags"], serde_json::json!(["long-read"]));
    sb.assert_usage_errors(&[&["mark", "tag"], &["mark", "tag", "later"]]);
}

#[test]
fn list_by_source_and_by_query() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib = lib.to_str().unwrap();
    let all = sb.stdout(&["list", lib]);
    let straits = sb.stdout(&["list", "--source", "The Straits Times", lib]);
    let expected = all
        .lines()
        .filter(|l| l.contains("The Straits Times"))
        .count();
    assert!(expected > 0 && expected < all.lines().count());
    assert_eq!(straits.lines().count(), expected, "{straits}");
    assert!(straits.lines().all(|l| l.contains("The Straits Times")));
    let boats = sb.stdout(&["list", "--query", "electric boats", lib]);
    assert_eq!(boats.lines().count(), 2, "{boats}");
    assert!(titles(&boats).iter().all(|t| t.contains("electric boats")));
    // In the list's order (newest first), not the finder's ranking.
    let oldest = sb.stdout(&["list", "--query", "electric boats", "--sort", "oldest", lib]);
    let mut reversed = titles(&boats);
    reversed.reverse();
    assert_eq!(titles(&oldest), reversed);
    sb.assert_usage_errors(&[&["list", "--source", "a", "--tag", "b", lib]]);
}
