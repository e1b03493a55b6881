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

#[test]
fn a_limited_newest_list_is_the_head_of_the_whole_list() {
    let sb = Sandbox::new();
    let lib = sb.path().join("dated");
    std::fs::create_dir_all(&lib).unwrap();
    // Three dates, several stories on each (their order is by headline,
    // whatever their IDs), and one story with no date of its own.
    let titles = [
        "zebra crossings return",
        "Apple harvest early",
        "mango prices fall",
        "Bridge reopens",
        "harbour fees rise",
        "Ferry timetable changes",
        "quiet night in the port",
    ];
    for (n, title) in titles.iter().enumerate() {
        let date = match n % 3 {
            0 => "2026-03-01T08:00:00Z",
            1 => "2026-03-02T08:00:00Z",
            _ => "2026-02-20T08:00:00Z",
        };
        let body = format!(
            "---\ntitle: {title}\ndate: {date}\n---\n\nThe story of {title}, told at some length so that it reads as an article.\n"
        );
        std::fs::write(lib.join(format!("{n}.md")), body).unwrap();
    }
    std::fs::write(
        lib.join("undated.txt"),
        "Undated notes from the harbour\n\nA story with no date in it, told at some length.\n",
    )
    .unwrap();
    let lib = lib.to_str().unwrap();
    let whole = sb.stdout(&["list", lib]);
    let lines: Vec<&str> = whole.lines().collect();
    assert_eq!(lines.len(), titles.len() + 1, "{whole}");
    for limit in 1..=lines.len() + 1 {
        let head = sb.stdout(&["list", "--limit", &limit.to_string(), lib]);
        let want: Vec<&str> = lines.iter().take(limit).copied().collect();
        assert_eq!(head.lines().collect::<Vec<_>>(), want, "--limit {limit}");
    }
    // A view: the unread ones, after marking two read.
    let ids: Vec<&str> = lines.iter().map(|l| &l[..10]).collect();
    sb.stdout(&["mark", "read", ids[0], ids[2], lib]);
    let unread = sb.stdout(&["list", "--unread", lib]);
    assert_eq!(unread.lines().count(), lines.len() - 2);
    for limit in 1..=3 {
        let head = sb.stdout(&["list", "--unread", "--limit", &limit.to_string(), lib]);
        let want: Vec<&str> = unread.lines().take(limit).collect();
        assert_eq!(
            head.lines().collect::<Vec<_>>(),
            want,
            "--unread --limit {limit}"
        );
    }
}
