//! `byline export`, run as the real binary: each format, the filters, and
//! the round trip (an export read back by byline gives the same stories).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::Sandbox;
use predicates::prelude::*;
use serde_json::Value;

const FERRY: &str = "Island ferry fares to fall as new electric boats join the fleet";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The (id, title) of every story `byline list --json` prints.
fn listed(sb: &Sandbox, path: &Path) -> BTreeSet<(String, String)> {
    json(&sb.stdout(&["list", "--json", s(path)]))
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_owned(),
                item["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Each story's title and paragraphs, by ID, from a JSON export.
fn stories(export: &Value) -> BTreeMap<String, (String, Value)> {
    export
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["id"].as_str().unwrap().to_owned(),
                (
                    item["title"].as_str().unwrap().to_owned(),
                    item["paragraphs"].clone(),
                ),
            )
        })
        .collect()
}

fn stderr_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Exports `library` as `format` to `out` in `sb`, then reads `out` in a
/// fresh sandbox (its own store) and checks the same stories come back.
fn round_trip(sb: &Sandbox, library: &Path, format: &str, out: &Path) {
    let original = json(&sb.stdout(&["export", "--format", "json", s(library)]));
    sb.cmd()
        .args(["export", "--format", format, "--out", s(out), s(library)])
        .assert()
        .success();
    let fresh = Sandbox::new();
    assert_eq!(
        listed(&fresh, out),
        listed(sb, library),
        "{format}: the stories read back"
    );
    let again = json(&fresh.stdout(&["export", "--format", "json", "--related", "0", s(out)]));
    assert_eq!(
        stories(&again),
        stories(&original),
        "{format}: the paragraphs"
    );
    fresh
        .cmd()
        .args(["check", s(out)])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 with warnings"));
}

#[test]
fn json_export_reads_back_as_the_same_stories() {
    let sb = Sandbox::with_library();
    let out = sb.path().join("export.json");
    round_trip(&sb, &sb.library(), "json", &out);
    let export = json(&std::fs::read_to_string(&out).unwrap());
    let items = export.as_array().unwrap();
    assert_eq!(items.len(), 11);
    let ferry = items.iter().find(|i| i["title"] == FERRY).unwrap();
    for key in [
        "id",
        "source",
        "published",
        "url",
        "author",
        "tags",
        "standfirst",
        "caption",
        "credit",
        "paragraphs",
        "files",
    ] {
        assert!(ferry.get(key).is_some(), "{key} missing in {ferry}");
    }
    assert_eq!(ferry["published"], "2026-11-20T12:00:00Z");
    assert_eq!(ferry["related_on_page"].as_array().unwrap().len(), 2);
    let related = ferry["related"].as_array().unwrap();
    assert!(!related.is_empty() && related.len() <= 5, "{related:?}");
    assert!(
        related
            .iter()
            .all(|r| r["id"].is_string() && r["title"].is_string())
    );
    // Newest first, as the list.
    assert_eq!(items[0]["title"], "Snow expected on high ground");
}

#[test]
fn markdown_export_to_a_folder_reads_back_as_the_same_stories() {
    let sb = Sandbox::with_library();
    let out = sb.path().join("markdown");
    round_trip(&sb, &sb.library(), "markdown", &out);
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
    assert_eq!(files.len(), 11);
    for file in files {
        let name = file.file_name().into_string().unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let id = name.strip_suffix(".md").unwrap();
        assert!(text.starts_with(&format!("---\nid: '{id}'\n")), "{text}");
    }
}

/// Headlines and text full of Markdown, HTML and quotes survive both formats.
#[test]
fn tricky_text_survives_the_round_trip() {
    let sb = Sandbox::new();
    let library = sb.path().join("tricky");
    std::fs::create_dir_all(&library).unwrap();
    let feed = serde_json::json!([
        {
            "title": "Breaking: \"quotes\", it's <b>bold</b> & *starred*",
            "body": "# Not a heading\n\n> not a quote\n\n---\n\nA list:\n- one *item*\n- [two](x)\n\nBack\\slash \\* and `ticks` and __under__ and &amp;",
            "source": "Desk: 'A'",
            "published": "2026-11-01T10:00:00Z",
            "tags": ["a, b", "c"]
        },
        // HTML whose text speaks of tags.
        {"title": "Tags <br> in text", "body": "<p>A &lt;br&gt; tag</p><p>and a &lt;/p&gt; tag, as text.</p>", "source": "X"}
    ]);
    std::fs::write(library.join("feed.json"), feed.to_string()).unwrap();
    round_trip(&sb, &library, "json", &sb.path().join("out.json"));
    round_trip(&sb, &library, "markdown", &sb.path().join("out-md"));
}

#[test]
fn markdown_on_stdout_is_every_document_in_turn() {
    let sb = Sandbox::with_library();
    let out = sb.stdout(&["export", "--format", "markdown", s(&sb.library())]);
    let delimiters = out.lines().filter(|l| *l == "---").count();
    assert_eq!(delimiters, 22, "{out}");
    assert_eq!(out.matches("\n---\nid: '").count() + 1, 11);
    assert!(out.starts_with("---\nid: '"));
}

#[test]
fn saved_exports_only_the_saved_story() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let all = json(&sb.stdout(&["export", "--format", "json", s(&lib)]));
    let ferry = all
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == FERRY)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let none = json(&sb.stdout(&["export", "--saved", "--format", "json", s(&lib)]));
    assert_eq!(none, json("[]"));
    sb.cmd()
        .args(["mark", "save", &ferry, "--in", s(&lib)])
        .assert()
        .success();
    let saved = json(&sb.stdout(&["export", "--saved", "--format", "json", s(&lib)]));
    let saved = saved.as_array().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["id"], ferry.as_str());
    sb.cmd()
        .args(["mark", "read", &ferry, "--in", s(&lib)])
        .assert()
        .success();
    let unread = json(&sb.stdout(&["export", "--unread", "--format", "json", s(&lib)]));
    let unread = unread.as_array().unwrap();
    assert_eq!(unread.len(), 10);
    assert!(unread.iter().all(|i| i["id"] != ferry.as_str()));
}

#[test]
fn ids_take_unique_prefixes() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let list = json(&sb.stdout(&["list", "--json", s(&lib)]));
    let items = list.as_array().unwrap();
    let a = items[0]["id"].as_str().unwrap();
    let b = items[3]["id"].as_str().unwrap();
    // PATHs first, then the IDs (repeated and comma-separated); a repeat is exported once.
    let ids = format!("{},{}", &b[..5], a);
    let out = json(&sb.stdout(&[
        "export",
        "--format",
        "json",
        s(&lib),
        "--ids",
        &a[..6],
        &ids,
    ]));
    let got: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, [a, b]);
    sb.cmd()
        .args([
            "export",
            "--format",
            "json",
            "--ids",
            "zzzzzzzzzz",
            "--",
            s(&lib),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no story has the ID `zzzzzzzzzz`"));
    sb.cmd()
        .args(["export", "--format", "json", "--ids", &a[..6], s(&lib)])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is a path, not an ID"));
}

#[test]
fn out_writes_the_file_and_says_so() {
    let sb = Sandbox::with_library();
    let out = sb.path().join("stories.html");
    let run = sb
        .cmd()
        .args([
            "export",
            "--format",
            "html",
            "--out",
            s(&out),
            s(&sb.library()),
        ])
        .assert()
        .success()
        .stdout("");
    let said = stderr_of(&run);
    assert!(
        said.contains(&format!("byline: exported 11 stories to {}", s(&out))),
        "{said}"
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(sb.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    // Markdown goes to a folder, JSON and HTML to a file.
    sb.cmd()
        .args([
            "export",
            "--format",
            "markdown",
            "--out",
            s(&out),
            s(&sb.library()),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a folder"));
    sb.cmd()
        .args([
            "export",
            "--format",
            "json",
            "--out",
            s(sb.path()),
            s(&sb.library()),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is a folder"));
}

#[test]
fn html_escapes_every_title() {
    let sb = Sandbox::with_library();
    let hostile = "<script>alert(\"x\")</script> & 'y' headline";
    let feed = serde_json::json!([{"title": hostile, "body": "<b>not bold</b> \"text\""}]);
    std::fs::write(sb.library().join("feeds/hostile.json"), feed.to_string()).unwrap();
    let lib = sb.library();
    let page = sb.stdout(&["export", "--format", "html", s(&lib)]);
    let list = json(&sb.stdout(&["list", "--json", s(&lib)]));
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    };
    for item in list.as_array().unwrap() {
        let title = item["title"].as_str().unwrap();
        assert!(
            page.contains(&format!("<h2>{}</h2>", escape(title))),
            "{title}"
        );
    }
    assert!(!page.contains("<script>"));
    assert!(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"));
    assert!(!page.contains("<b>"));
    assert!(!page.contains("src=") && !page.contains("<link"));
    assert!(page.contains("<style>") && page.trim_end().ends_with("</html>"));
}

#[test]
fn conflicting_filters_are_a_usage_error() {
    let sb = Sandbox::with_library();
    sb.assert_usage_errors(&[
        &["export", "--format", "json", "--saved", "--unread"][..],
        &["export", "--format", "json", "--saved", "--ids", "abcd"],
        &["export", "--format", "json", "--unread", "--ids", "abcd"],
        &["export", "--format", "yaml"],
        &["export"],
    ]);
}

#[test]
fn help_says_where_markdown_goes() {
    let help = Sandbox::new().stdout(&["export", "--help"]);
    for text in [
        "--format",
        "--out",
        "--saved",
        "--unread",
        "--ids",
        "DIR/<ID>.md",
        "`---`",
    ] {
        assert!(help.contains(text), "{text} missing in {help}");
    }
}
