//! A library from many sites, languages, encodings and formats
//! (`tests/fixtures/world`, described in `tests/fixtures/world-manifest.md`),
//! read through the real binary: every story, clean text, the right count.

mod common;

use std::collections::BTreeMap;

use common::Sandbox;
use serde_json::Value;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The world library in a sandbox.
fn world() -> Sandbox {
    Sandbox::with_fixture("world")
}

fn lib(sb: &Sandbox) -> String {
    sb.library().to_str().unwrap().to_owned()
}

/// Every story in the library, in full (`show --json`), by ID.
fn stories(sb: &Sandbox) -> BTreeMap<String, Value> {
    let list = json(&sb.stdout(&["list", "--json", &lib(sb)]));
    let mut out = BTreeMap::new();
    for item in list.as_array().unwrap() {
        let id = item["id"].as_str().unwrap().to_owned();
        let mut story = json(&sb.stdout(&["show", "--json", &id, &lib(sb)]));
        story["files"] = item["files"].clone();
        out.insert(id, story);
    }
    out
}

/// The stories with this headline.
fn titled<'a>(all: &'a BTreeMap<String, Value>, title: &str) -> Vec<&'a Value> {
    all.values().filter(|s| s["title"] == title).collect()
}

/// The one story with this headline.
fn one<'a>(all: &'a BTreeMap<String, Value>, title: &str) -> &'a Value {
    let found = titled(all, title);
    assert_eq!(found.len(), 1, "{title}: {found:#?}");
    found[0]
}

/// All a story's text: headline, standfirst, caption, credit, paragraphs.
fn text_of(story: &Value) -> String {
    let mut parts = vec![story["title"].as_str().unwrap_or("").to_owned()];
    for key in ["standfirst", "caption", "credit"] {
        parts.push(story[key].as_str().unwrap_or("").to_owned());
    }
    for p in story["paragraphs"].as_array().unwrap() {
        parts.push(p.as_str().unwrap().to_owned());
    }
    parts.join("\n")
}

fn paragraphs(story: &Value) -> Vec<&str> {
    story["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect()
}

/// Furniture, headings, markup and escapes that no story may hold.
const NEVER: &[&str] = &[
    "Subscribe to The Harbour Courier",
    "Share this article",
    "community guidelines",
    "Follow Valley Echo",
    "Valley Echo newsletter",
    "Advertisement",
    "More from the Courier",
    "lire aussi",
    "Mehr zum Thema",
    "相关文章",
    "All rights reserved",
    "Most read",
    "Privacy policy",
    "LANTERN_TRACKING_ID",
    "lgTrack",
    "Front Page",
    "<p>",
    "</",
    "&#",
    "&rsquo;",
    "&amp;",
    "&eacute;",
    "<?xml",
    "PWNED",
    "root:",
    "\u{1b}",
    "\u{9b}",
    "\u{9d}",
];

#[test]
fn check_shows_the_format_the_encoding_and_every_skip() {
    let sb = world();
    let out = sb.cmd().args(["check", &lib(&sb)]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let line = |name: &str| -> String {
        text.lines()
            .find(|l| l.ends_with(name) || l.contains(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no line for {name}:\n{text}"))
            .to_owned()
    };
    for (file, format, encoding) in [
        ("encodings/cp1252.txt", "text", "windows-1252"),
        ("encodings/gbk.txt", "text", "GBK"),
        ("encodings/shift_jis.txt", "text", "Shift_JIS"),
        ("encodings/entities.txt", "text", "UTF-8"),
        ("html/article.html", "html", "UTF-8"),
        ("feeds/rss2.xml", "rss", "UTF-8"),
        ("feeds/rss1.rdf", "rss", "UTF-8"),
        ("feeds/atom.xml", "atom", "UTF-8"),
        ("feeds/feed.json", "jsonfeed", "UTF-8"),
        ("languages/zh-page.txt", "page", "UTF-8"),
        ("briefings/2026-11-19.txt", "text", "UTF-8"),
    ] {
        let l = line(file);
        assert!(
            l.starts_with("ok") && l.contains(&format!(" {format} ")) && l.contains(encoding),
            "{l}"
        );
    }
    for name in ["README.md", "LICENSE", "CHANGELOG.txt"] {
        let l = line(&format!("misc/{name}"));
        assert!(l.starts_with("ign") && l.contains("not an article"), "{l}");
    }
    assert!(
        text.contains("36 files: 33 loaded (0 with warnings), 0 skipped, 3 ignored"),
        "{text}"
    );
    assert!(text.contains("\n54 stories ("), "{text}");
    let report = json(&sb.stdout(&["check", "--json", &lib(&sb)]));
    assert_eq!(report["totals"]["stories"], 54);
    assert_eq!(report["totals"]["ignored"], 3);
    let gbk = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("gbk.txt"))
        .unwrap();
    assert_eq!(
        (gbk["format"].as_str(), gbk["encoding"].as_str()),
        (Some("text"), Some("GBK"))
    );
}

#[test]
fn every_story_reads_clean_and_none_is_lost() {
    let sb = world();
    let all = stories(&sb);
    assert_eq!(all.len(), 54, "{:#?}", all.keys());
    for story in all.values() {
        let text = text_of(story);
        for bad in NEVER {
            assert!(!text.contains(bad), "{bad:?} in {text}");
        }
        assert!(!paragraphs(story).is_empty(), "no text: {}", story["title"]);
    }
}

#[test]
fn other_sites_lose_their_own_boilerplate_and_keep_their_credits() {
    let sb = world();
    let all = stories(&sb);
    for title in [
        "Marrowby council approves new seawall after winter floods",
        "Lifeboat crew rescues two kayakers off Gullet Point",
        "Primary school wins national prize for rooftop garden",
    ] {
        let story = one(&all, title);
        // The credit glued before the site's line is split off as the credit.
        assert_eq!(story["credit"], "COURIER STAFF", "{title}");
        assert!(
            paragraphs(story).last().unwrap().ends_with('.'),
            "{story:#}"
        );
    }
    let reservoir = one(&all, "Reservoir levels back to normal after dry summer");
    assert_eq!(reservoir["credit"], "VALLEY ECHO");
    assert_eq!(reservoir["caption"], "PHOTO: VALLEY ECHO");
}

#[test]
fn related_blocks_in_any_language_or_none_are_found_by_their_shape() {
    let sb = world();
    let all = stories(&sb);
    let de = one(&all, "Lindholmer Hafen erhält neues Containerterminal");
    assert_eq!(de["caption"], "FOTO: DPA");
    assert_eq!(de["credit"], "DPA");
    assert_eq!(de["related_on_page"].as_array().unwrap().len(), 2);
    let ferry = one(&all, "Fähre nach Süderwarf fällt wegen Sturm aus");
    assert_eq!(ferry["source"], "Hafenbote");
    assert_eq!(ferry["published"], "2026-11-20T10:00:00Z");
    let fr = one(
        &all,
        "Port-Lavalette inaugure sa première navette maritime électrique",
    );
    assert_eq!(fr["caption"], "PHOTO : AFP");
    assert_eq!(fr["related_on_page"].as_array().unwrap().len(), 2);
    let docks = one(
        &all,
        "Grève des dockers : les négociations reprennent lundi",
    );
    assert_eq!(docks["published"], "2026-11-20T09:00:00Z");
    let zh = one(&all, "暴雨引发深圳洪水，数千居民连夜转移");
    assert_eq!(zh["caption"], "图：新华社");
    assert_eq!(zh["standfirst"], "气象部门预计强降雨将持续到周末。");
    assert_eq!(zh["related_on_page"].as_array().unwrap().len(), 2);
    let port = one(&all, "港口集装箱吞吐量创历史新高");
    assert_eq!(port["source"], "港口日报");
    assert_eq!(port["published"], "2026-11-20T09:00:00Z");
    let ferry_zh = one(&all, "新渡轮航线下月开通");
    assert_eq!(ferry_zh["published"], "2026-11-19T12:00:00Z");
    // Chinese sentences run on with no space between them.
    assert!(!paragraphs(zh).iter().any(|p| p.contains("。 ")), "{zh:#}");
    let bakery = one(&all, "Bakery chain to open ten shops across the county");
    assert_eq!(bakery["published"], "2026-11-20T08:30:00Z");
    let coast = one(&all, "Coastal path reopens after cliff fall repairs");
    assert_eq!(coast["related_on_page"].as_array().unwrap().len(), 2);
}

#[test]
fn copies_fold_and_different_stories_with_one_headline_stay_apart() {
    let sb = world();
    let all = stories(&sb);
    let briefings = titled(&all, "Morning Briefing");
    assert_eq!(briefings.len(), 2);
    assert_ne!(paragraphs(briefings[0]), paragraphs(briefings[1]));
    // The byte-identical copy folds into its original.
    let files: Vec<usize> = briefings
        .iter()
        .map(|b| b["files"].as_array().unwrap().len())
        .collect();
    assert_eq!(files.iter().sum::<usize>(), 3, "{briefings:#?}");
    assert_eq!(titled(&all, "Tide times").len(), 2);
    // The full story, its listing with the whole text and a listing cut
    // short are one story, with the full text.
    let bridge = one(&all, "Estuary bridge to close for six weeks of repairs");
    assert_eq!(bridge["files"].as_array().unwrap().len(), 3);
    assert_eq!(paragraphs(bridge).len(), 6);
    assert_eq!(bridge["caption"], "PHOTO: ESTUARY TIMES");
    // The pages that list it point at the one story.
    let tolls = one(
        &all,
        "Tolls on the estuary crossing to be reviewed next year",
    );
    assert_eq!(tolls["related_on_page"][0], bridge["id"]);
}

#[test]
fn ids_depend_on_the_story_alone() {
    let sb = world();
    let before = json(&sb.stdout(&["list", "--json", &lib(&sb)]));
    let ids = |list: &Value| -> BTreeMap<String, String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|s| (s["id"].as_str().unwrap().to_owned(), s["title"].to_string()))
            .collect()
    };
    // A rename and a move, an unrelated new file, and a store built again.
    let library = sb.library();
    std::fs::create_dir(library.join("moved")).unwrap();
    std::fs::rename(
        library.join("misc/article.txt"),
        library.join("moved/renamed.txt"),
    )
    .unwrap();
    std::fs::write(
        library.join("misc/new.txt"),
        "Morning Briefing\n\nGood morning, here is what you need to know today. A third day's news.\n",
    )
    .unwrap();
    std::fs::remove_dir_all(sb.data_dir()).unwrap();
    let after = json(&sb.stdout(&["list", "--json", &lib(&sb)]));
    let (before, after) = (ids(&before), ids(&after));
    assert_eq!(after.len(), before.len() + 1);
    for (id, title) in &before {
        assert_eq!(after.get(id), Some(title), "{id} {title} changed");
    }
}

#[test]
fn encodings_and_character_references_decode() {
    let sb = world();
    let all = stories(&sb);
    let cafe = one(&all, "Café owners welcome £2m harbour fund");
    let text = text_of(cafe);
    for want in ["“", "”", "’", "–", "—"] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    assert!(!text.contains('\u{FFFD}'));
    let gbk = one(&all, "古镇老街修缮完工，重新向游客开放");
    assert!(!text_of(gbk).contains('\u{FFFD}'));
    assert!(paragraphs(gbk).len() >= 3);
    let sjis = one(&all, "港町の朝市、十年ぶりに復活");
    assert!(!text_of(sjis).contains('\u{FFFD}'));
    let entities = one(&all, "Pier restoration appeal reaches its target");
    let text = text_of(entities);
    for want in ["£", "’", "&", "é"] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
}

#[test]
fn html_pages_and_feeds_give_their_stories() {
    let sb = world();
    let all = stories(&sb);
    let page = one(&all, "Lantern Bay library to open on Sundays from January");
    assert_eq!(page["source"], "The Lantern Gazette");
    assert_eq!(page["author"], "Tamsin Rook");
    assert_eq!(page["published"], "2026-11-19T08:15:00Z");
    assert_eq!(
        page["url"],
        "https://lantern.example/news/library-sunday-opening"
    );
    assert_eq!(
        page["caption"],
        "The library on Harbour Street. Photo: Lantern Gazette"
    );
    let body = paragraphs(page);
    assert_eq!(body.len(), 7, "{body:#?}");
    assert!(body[0].starts_with("Lantern Bay’s central library"));
    assert!(body.iter().any(|p| p.contains("£62,000")));
    for (title, source) in [
        (
            "Quayside pool closes for three weeks of repairs",
            "Quayside Radio News",
        ),
        (
            "Seal pups counted on the north sands",
            "Northshore Field Notes",
        ),
        (
            "Writers' festival announces its spring line-up",
            "Tidewater Weekly",
        ),
        (
            "Harvest supper returns to the village hall",
            "Saltmarsh Gazette",
        ),
    ] {
        assert_eq!(one(&all, title)["source"], source, "{title}");
    }
    let feeds = all
        .values()
        .filter(|s| {
            s["files"][0]
                .as_str()
                .is_some_and(|f| f.contains("/feeds/"))
        })
        .count();
    assert_eq!(feeds, 13);
}

#[test]
fn full_text_search_finds_a_cjk_word_inside_a_longer_run() {
    let sb = world();
    let hits = json(&sb.stdout(&["search", "--full-text", "--json", "洪水", &lib(&sb)]));
    let titles: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"暴雨引发深圳洪水，数千居民连夜转移"),
        "{hits:#}"
    );
    let snippet = hits[0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("洪水") && !snippet.contains('\u{200B}'),
        "{snippet}"
    );
}

#[test]
fn a_parser_that_panics_costs_one_file_only() {
    let sb = world();
    let marker = "PANIC-IN-THIS-FILE";
    std::fs::write(
        sb.library().join("misc/bomb.txt"),
        format!("A headline\n\n{marker} in the body.\n"),
    )
    .unwrap();
    let out = sb
        .cmd()
        .env("BYLINE_TEST_PARSER_PANIC", marker)
        .args(["check", &lib(&sb)])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let bomb = stdout
        .lines()
        .find(|l| l.contains("bomb.txt"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        bomb.starts_with("skip") && bomb.contains("internal error while parsing (please report)"),
        "{bomb}"
    );
    assert!(stdout.contains("\n54 stories ("), "{stdout}");
    assert!(
        !stderr.contains("panicked"),
        "the panic is reported once, in the file's line: {stderr}"
    );
    // The rest of the library works.
    let list = sb
        .cmd()
        .env("BYLINE_TEST_PARSER_PANIC", marker)
        .args(["list", &lib(&sb)])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&list.get_output().stdout)
            .lines()
            .count(),
        54
    );
}

#[test]
fn ignore_rules_from_a_folder_and_from_the_settings() {
    let sb = world();
    let library = sb.library();
    std::fs::write(library.join("feeds/.bylineignore"), "*.rdf\n").unwrap();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(
        sb.config_dir().join("config.toml"),
        "ignore = [\"encodings/\"]\n",
    )
    .unwrap();
    let text = sb.stdout(&["check", &lib(&sb)]);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}: {text}"))
            .to_owned()
    };
    assert!(line("rss1.rdf").contains("`*.rdf` in"), "{text}");
    assert!(line("encodings").contains("config.toml"), "{text}");
    // 54, less the feed's 2 items and the 4 stories of the encodings folder.
    assert!(text.contains("\n48 stories ("), "{text}");
}

#[test]
fn marks_of_the_headline_id_version_carry_over() {
    let sb = Sandbox::with_fixture("upgrade/library");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade");
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::create_dir_all(sb.data_dir()).unwrap();
    std::fs::copy(
        fixture.join("config/state.json"),
        sb.config_dir().join("state.json"),
    )
    .unwrap();
    std::fs::copy(
        fixture.join("data/store.sqlite3"),
        sb.data_dir().join("store.sqlite3"),
    )
    .unwrap();
    let list = json(&sb.stdout(&["list", "--json", &lib(&sb)]));
    let marks: BTreeMap<String, (bool, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                format!("{} {}", s["title"].as_str().unwrap(), s["id"]),
                (s["read"] == true, s["saved"] == true),
            )
        })
        .collect();
    let with = |title: &str| -> Vec<(bool, bool)> {
        marks
            .iter()
            .filter(|(k, _)| k.starts_with(title))
            .map(|(_, v)| *v)
            .collect()
    };
    // Both Morning Briefings were one story then, read: both are read now.
    assert_eq!(
        with("Morning Briefing"),
        vec![(true, false); 2],
        "{marks:#?}"
    );
    assert_eq!(
        with("Ferry pier to close for winter repairs"),
        vec![(true, false)]
    );
    assert_eq!(
        with("Lighthouse keepers return to Gull Point"),
        vec![(false, true)]
    );
    assert_eq!(with("Tide tables move online"), vec![(false, false)]);
    let state = json(&std::fs::read_to_string(sb.config_dir().join("state.json")).unwrap());
    assert_eq!(state["version"], byline::state::VERSION);
    assert!(
        state.get("legacy").is_none(),
        "every legacy mark found its story: {state}"
    );
}
