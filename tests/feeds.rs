//! Following feeds through the real binary, against a local HTTP server
//! on 127.0.0.1 (never the outside network): the three feed formats, a
//! page that links its feed, conditional GET, errors and backoff,
//! timeouts, redirects, gzip, the size cap, bad and hostile XML, changed
//! items, and two fetches at once.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::Sandbox;
use common::http::{Reply, Server};

fn rss(items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, text)| {
            format!(
                "<item><guid>{guid}</guid><title>{title}</title><link>https://harbour.example/{guid}</link>\
                 <pubDate>Thu, 26 Nov 2026 08:00:00 GMT</pubDate><description>{text}</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour Gazette</title>\
         <link>https://harbour.example/</link>{items}</channel></rss>"
    )
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Atom</title><id>urn:valley</id>
<updated>2026-11-26T10:00:00Z</updated>
<entry><title>Orchard harvest beats last year</title><id>urn:valley:1</id>
<link href="https://valley.example/1"/><updated>2026-11-26T10:00:00Z</updated>
<content type="html">&lt;p&gt;Apple growers in the valley picked a fifth more fruit than last autumn.&lt;/p&gt;</content></entry>
</feed>"#;

const JSON_FEED: &str = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Coast JSON",
"items":[{"id":"c1","url":"https://coast.example/1","title":"Sea wall works finish early",
"content_text":"The new sea wall at the north beach was finished two weeks ahead of plan.",
"date_published":"2026-11-25T09:00:00Z"}]}"#;

fn add(sb: &Sandbox, url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["feed", "add", url];
    args.extend(extra);
    sb.cmd().args(&args).output().unwrap()
}

fn fetch(sb: &Sandbox, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["fetch"];
    args.extend(extra);
    let out = sb.cmd().args(&args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn list(sb: &Sandbox) -> String {
    sb.stdout(&["list"])
}

/// Writes feeds.toml by hand (feed add would refuse a broken feed): the
/// feeds named, each at `path` on `server`.
fn follow_by_hand(sb: &Sandbox, server: &Server, feeds: &[(&str, &str)]) {
    let toml: String = feeds
        .iter()
        .map(|(name, path)| {
            format!(
                "[[feed]]\nname = \"{name}\"\nurl = \"{}\"\n",
                server.url(path)
            )
        })
        .collect();
    std::fs::create_dir_all(sb.config_dir()).unwrap();
    std::fs::write(sb.config_dir().join("feeds.toml"), toml).unwrap();
}

/// An RSS feed of `n` stories: "Story number 0 of the day", ...
fn numbered_rss(n: usize) -> String {
    let items: Vec<(String, String, String)> = (0..n)
        .map(|n| {
            (
                format!("g{n}"),
                format!("Story number {n} of the day"),
                format!("Text of story {n}."),
            )
        })
        .collect();
    rss(&items
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect::<Vec<_>>())
}

fn feeds_toml(sb: &Sandbox) -> String {
    std::fs::read_to_string(sb.config_dir().join("feeds.toml")).unwrap()
}

#[test]
fn rss_atom_and_json_feed_are_fetched_into_the_library() {
    let body = rss(&[(
        "h1",
        "Ferry timetable changes for winter",
        "Fewer night crossings from Monday.",
    )]);
    let server = Server::start(move |req| match req.path.as_str() {
        "/rss.xml" => Reply::ok("application/rss+xml", body.clone()),
        "/atom.xml" => Reply::ok("application/atom+xml", ATOM),
        "/feed.json" => Reply::ok("application/feed+json", JSON_FEED),
        _ => Reply::status(404),
    });
    let sb = Sandbox::new();
    for path in ["/rss.xml", "/atom.xml", "/feed.json"] {
        let out = add(&sb, &server.url(path), &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let toml = feeds_toml(&sb);
    for name in ["Harbour Gazette", "Valley Atom", "Coast JSON"] {
        assert!(toml.contains(&format!("name = \"{name}\"")), "{toml}");
    }
    let (code, out, err) = fetch(&sb, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Harbour Gazette: 1 new (1 item)"), "{out}");
    assert!(out.contains("Valley Atom: 1 new"), "{out}");
    assert!(out.contains("Coast JSON: 1 new"), "{out}");
    // With feeds and no library configured, the library is the feeds.
    let stories = list(&sb);
    for title in [
        "Ferry timetable changes for winter",
        "Orchard harvest beats last year",
        "Sea wall works finish early",
    ] {
        assert!(stories.contains(title), "{stories}");
    }
    assert!(!stories.contains("Snow expected"), "no samples: {stories}");
    let requests = server.requests("/rss.xml");
    let agent = requests[0].header("user-agent").unwrap();
    assert!(
        agent.starts_with("byline/") && agent.contains("(+http"),
        "{agent}"
    );
    assert!(
        requests[0]
            .header("accept-encoding")
            .unwrap_or("")
            .contains("gzip")
    );
}

#[test]
fn a_page_is_followed_through_its_feed_link() {
    let body = rss(&[("h1", "Ferry timetable changes for winter", "Text.")]);
    let server = Server::start(move |req| match req.path.as_str() {
        "/" => Reply::ok(
            "text/html",
            r#"<html><head><link rel="alternate" type="application/rss+xml" href="/news/rss.xml"></head><body>Home</body></html>"#,
        ),
        "/news/rss.xml" => Reply::ok("application/rss+xml", body.clone()),
        _ => Reply::status(404),
    });
    let sb = Sandbox::new();
    let out = add(&sb, &server.url("/"), &["--name", "Gazette"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(feeds_toml(&sb).contains(&format!("url = \"{}\"", server.url("/news/rss.xml"))));
    // A page with no feed link, or no page at all, is not followed.
    let out = add(&sb, &server.url("/missing"), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HTTP 404"));
}

#[test]
fn etag_and_last_modified_make_the_second_fetch_a_304() {
    let body = rss(&[("h1", "Ferry timetable changes for winter", "Text.")]);
    let body2 = body.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        "/etag.xml" if req.header("if-none-match") == Some("\"v1\"") => Reply::status(304),
        "/etag.xml" => Reply::ok("application/rss+xml", body.clone()).with("ETag", "\"v1\""),
        "/modified.xml"
            if req.header("if-modified-since") == Some("Wed, 25 Nov 2026 10:00:00 GMT") =>
        {
            Reply::status(304)
        }
        "/modified.xml" => Reply::ok("application/rss+xml", body2.clone())
            .with("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT"),
        _ => Reply::status(404),
    });
    let sb = Sandbox::new();
    add(&sb, &server.url("/etag.xml"), &["--name", "By ETag"]);
    add(&sb, &server.url("/modified.xml"), &["--name", "By Date"]);
    let (code, out, _) = fetch(&sb, &[]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = fetch(&sb, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("By ETag: not modified (1 item)"), "{out}");
    assert!(out.contains("By Date: not modified (1 item)"), "{out}");
    let etag = server.requests("/etag.xml");
    assert_eq!(
        etag[0].header("if-none-match"),
        None,
        "the first asks plainly"
    );
    assert_eq!(etag.last().unwrap().header("if-none-match"), Some("\"v1\""));
    let dated = server.requests("/modified.xml");
    assert_eq!(
        dated.last().unwrap().header("if-modified-since"),
        Some("Wed, 25 Nov 2026 10:00:00 GMT")
    );
}

#[test]
fn failures_are_named_per_feed_back_off_and_never_stop_the_others() {
    let good = rss(&[("h1", "Ferry timetable changes for winter", "Text.")]);
    let server = Server::start(move |req| match req.path.as_str() {
        "/good.xml" => Reply::ok("application/rss+xml", good.clone()),
        "/broken.xml" => Reply::status(500),
        "/gone.xml" => Reply::status(404),
        "/busy.xml" => Reply::status(429).with("Retry-After", "120"),
        "/bad.xml" => Reply::ok("application/rss+xml", "<rss><channel><item><title>Unclosed"),
        _ => Reply::status(404),
    });
    let sb = Sandbox::new();
    follow_by_hand(
        &sb,
        &server,
        &[
            ("Good", "/good.xml"),
            ("Broken", "/broken.xml"),
            ("Gone", "/gone.xml"),
            ("Busy", "/busy.xml"),
            ("Bad", "/bad.xml"),
        ],
    );
    let (code, out, _) = fetch(&sb, &["--jobs", "2"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Good: 1 new"), "{out}");
    assert!(out.contains("Broken: failed: HTTP 500"), "{out}");
    assert!(out.contains("Gone: failed: HTTP 404"), "{out}");
    assert!(
        out.contains("Busy: failed: HTTP 429 (retry after 120 s)"),
        "{out}"
    );
    assert!(out.contains("Bad: failed: not a feed"), "{out}");
    // The failing feeds are left alone for a while, and feed list says so.
    let (code, out, _) = fetch(&sb, &[]);
    assert_eq!(code, 0, "backing off is not failing: {out}");
    assert!(out.contains("Broken: backing off after failures"), "{out}");
    assert_eq!(server.requests("/broken.xml").len(), 1, "not asked again");
    let listed = sb.stdout(&["feed", "list"]);
    assert!(
        listed.contains("last error: HTTP 500; 1 failure in a row, next try after"),
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&sb.stdout(&["feed", "list", "--json"])).unwrap();
    let busy = json
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Busy")
        .unwrap();
    assert!(busy["backing_off_until"].is_string(), "{busy}");
    // --force tries them anyway.
    fetch(&sb, &["--force", "Broken"]);
    assert_eq!(server.requests("/broken.xml").len(), 2);
}

#[test]
fn a_slow_server_times_out_and_redirects_are_followed_with_care() {
    let body = rss(&[("h1", "Ferry timetable changes for winter", "Text.")]);
    let server = Server::start(move |req| match req.path.as_str() {
        "/slow.xml" => {
            let mut reply = Reply::ok("application/rss+xml", body.clone());
            reply.delay = std::time::Duration::from_secs(4);
            reply
        }
        "/loop" => Reply::status(302).with("Location", "/loop"),
        "/old.xml" => Reply::status(301).with("Location", "/new.xml"),
        "/new.xml" => Reply::ok("application/rss+xml", body.clone()),
        _ => Reply::status(404),
    });
    let sb = Sandbox::new();
    follow_by_hand(
        &sb,
        &server,
        &[
            ("Slow", "/slow.xml"),
            ("Loop", "/loop"),
            ("Moved", "/old.xml"),
        ],
    );
    let (code, out, _) = fetch(&sb, &["--timeout", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Slow: failed: timed out"), "{out}");
    assert!(out.contains("Loop: failed: more than 5 redirects"), "{out}");
    assert_eq!(
        server.requests("/loop").len(),
        6,
        "the first and five redirects"
    );
    assert!(
        out.contains(&format!(
            "Moved: 1 new (moved for good to {}",
            server.url("/new.xml")
        )),
        "{out}"
    );
    assert!(
        feeds_toml(&sb).contains(&server.url("/new.xml")),
        "feeds.toml follows"
    );
}

#[test]
fn gzip_bodies_are_read_and_a_body_past_the_cap_stops_the_download() {
    use std::io::Write;
    let body = rss(&[("h1", "Ferry timetable changes for winter", "Text.")]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let gzipped = gz.finish().unwrap();
    let huge = format!("{}{}", rss(&[]), " ".repeat(3 * 1024 * 1024));
    let server = Server::start(move |req| match req.path.as_str() {
        "/gzip.xml" => {
            Reply::ok("application/rss+xml", gzipped.clone()).with("Content-Encoding", "gzip")
        }
        "/huge.xml" => Reply::ok("application/rss+xml", huge.clone()),
        _ => Reply::status(404),
    });
    let sb = Sandbox::new();
    follow_by_hand(
        &sb,
        &server,
        &[("Zipped", "/gzip.xml"), ("Huge", "/huge.xml")],
    );
    let (code, out, _) = fetch(&sb, &["--max-size", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Zipped: 1 new"), "{out}");
    assert!(
        out.contains("Huge: failed: the response is larger than 1 MB"),
        "{out}"
    );
    assert!(list(&sb).contains("Ferry timetable changes for winter"));
}

#[test]
fn an_external_entity_is_never_expanded() {
    let secret = std::env::temp_dir().join(format!("byline-secret-{}", std::process::id()));
    std::fs::write(&secret, "TOP-SECRET-CONTENTS").unwrap();
    let hostile = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://{}\">]>\
         <rss version=\"2.0\"><channel><title>Hostile</title><item><guid>x1</guid>\
         <title>Entity &xxe; here</title><description>Body &xxe; text</description></item></channel></rss>",
        secret.display()
    );
    let server = Server::start(move |_| Reply::ok("application/rss+xml", hostile.clone()));
    let sb = Sandbox::new();
    follow_by_hand(&sb, &server, &[("Hostile", "/x.xml")]);
    let (_, out, err) = fetch(&sb, &[]);
    let _ = std::fs::remove_file(&secret);
    let folder = sb.data_dir().join("feeds/hostile");
    for file in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(file.path()).unwrap_or_default();
        assert!(!text.contains("TOP-SECRET"), "{text}");
    }
    assert!(!out.contains("TOP-SECRET") && !err.contains("TOP-SECRET"));
    assert!(!sb.stdout(&["list"]).contains("TOP-SECRET"));
}

#[test]
fn a_changed_item_is_rewritten_in_place_and_keeps_its_id() {
    let round = Arc::new(AtomicUsize::new(0));
    let r = round.clone();
    let server = Server::start(move |_| {
        let text = if r.load(Ordering::SeqCst) == 0 {
            "The first version of the story."
        } else {
            "The corrected version of the story, with a new line."
        };
        Reply::ok(
            "application/rss+xml",
            rss(&[
                ("h1", "Ferry timetable changes for winter", text),
                ("h2", "Lighthouse reopens", "Stairs open."),
            ]),
        )
    });
    let sb = Sandbox::new();
    add(&sb, &server.url("/rss.xml"), &[]);
    fetch(&sb, &[]);
    let before = list(&sb);
    let id = before.lines().find(|l| l.contains("Ferry")).unwrap()[..10].to_owned();
    let folder = sb.data_dir().join("feeds/harbour-gazette");
    let untouched = folder.join(
        files_of(&folder)
            .into_iter()
            .find(|f| {
                std::fs::read_to_string(folder.join(f))
                    .unwrap()
                    .contains("Lighthouse")
            })
            .unwrap(),
    );
    let mtime = std::fs::metadata(&untouched).unwrap().modified().unwrap();
    round.store(1, Ordering::SeqCst);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (_, out, _) = fetch(&sb, &[]);
    assert!(
        out.contains("Harbour Gazette: 0 new, 1 updated (2 items)"),
        "{out}"
    );
    assert_eq!(
        std::fs::metadata(&untouched).unwrap().modified().unwrap(),
        mtime,
        "not rewritten"
    );
    let shown = sb.stdout(&["show", &id]);
    assert!(shown.contains("The corrected version"), "{shown}");
    assert_eq!(files_of(&folder).len(), 2);
}

fn files_of(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect()
}

#[test]
fn two_fetches_at_once_lose_and_duplicate_nothing() {
    let body = numbered_rss(30);
    let server = Server::start(move |_| {
        let mut reply = Reply::ok("application/rss+xml", body.clone());
        reply.delay = std::time::Duration::from_millis(200);
        reply
    });
    let sb = Sandbox::new();
    add(&sb, &server.url("/rss.xml"), &[]);
    // Both started before either is waited for: they run at once.
    let children: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_byline"))
                .args(["fetch"])
                .env("BYLINE_DATA_DIR", sb.data_dir())
                .env("BYLINE_CONFIG_DIR", sb.config_dir())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let folder = sb.data_dir().join("feeds/harbour-gazette");
    assert_eq!(files_of(&folder).len(), 30, "{:?}", files_of(&folder));
    assert_eq!(list(&sb).lines().count(), 30);
}

#[test]
fn opml_round_trips_remove_purges_and_max_items_spares_saved_stories() {
    let body = numbered_rss(4);
    let server = Server::start(move |_| Reply::ok("application/rss+xml", body.clone()));
    let sb = Sandbox::new();
    let opml = sb.path().join("in.opml");
    std::fs::write(
        &opml,
        format!(
            "<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body><outline text=\"News\">\
             <outline type=\"rss\" text=\"Gazette\" xmlUrl=\"{}\"/></outline></body></opml>",
            server.url("/rss.xml")
        ),
    )
    .unwrap();
    assert!(
        sb.stdout(&["feed", "import", opml.to_str().unwrap()])
            .contains("imported 1 feed")
    );
    let exported = sb.stdout(&["feed", "export"]);
    assert!(
        exported.contains(&format!("xmlUrl=\"{}\"", server.url("/rss.xml"))),
        "{exported}"
    );
    let again = sb.path().join("out.opml");
    std::fs::write(&again, &exported).unwrap();
    assert!(
        sb.stdout(&["feed", "import", again.to_str().unwrap()])
            .contains("imported 0 feeds (1 already followed)")
    );
    // The OPML folder became a tag for what the feed brings.
    fetch(&sb, &[]);
    assert_eq!(sb.stdout(&["list", "--tag", "news"]).lines().count(), 4);
    // max_items 2: of the four, the oldest read ones go; a saved one stays.
    let toml = feeds_toml(&sb).replace("\n[[feed]]\n", "\n[[feed]]\nmax_items = 2\n");
    std::fs::write(sb.config_dir().join("feeds.toml"), toml).unwrap();
    let ids: Vec<String> = list(&sb).lines().map(|l| l[..10].to_owned()).collect();
    let mut args = vec!["mark", "read"];
    args.extend(ids.iter().map(String::as_str));
    sb.stdout(&args);
    sb.stdout(&["mark", "save", &ids[3]]);
    let (_, out, _) = fetch(&sb, &["--force"]);
    assert!(out.contains("2 old removed"), "{out}");
    let left = list(&sb);
    assert_eq!(left.lines().count(), 2, "{left}");
    assert!(left.contains(&ids[3]), "the saved story stays: {left}");
    // remove keeps the stories; --purge deletes them.
    assert!(
        sb.stdout(&["feed", "remove", "Gazette"])
            .contains("stay in")
    );
    assert!(sb.data_dir().join("feeds/gazette").exists());
    sb.stdout(&["feed", "import", opml.to_str().unwrap()]);
    assert!(
        sb.stdout(&["feed", "remove", "--purge", "Gazette"])
            .contains("deleted")
    );
    assert!(!sb.data_dir().join("feeds/gazette").exists());
}

#[test]
fn only_http_and_https_and_local_feed_files_are_followed() {
    let sb = Sandbox::new();
    for bad in [
        "file:///etc/passwd",
        "ftp://example.com/feed",
        "/no/such/feed.xml",
    ] {
        let out = add(&sb, bad, &[]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
    }
    let local = sb.path().join("local.xml");
    std::fs::write(
        &local,
        rss(&[("l1", "A story from a file", "Read from disk.")]),
    )
    .unwrap();
    let out = add(&sb, local.to_str().unwrap(), &["--name", "Local"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, out, _) = fetch(&sb, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(list(&sb).contains("A story from a file"));
}

#[test]
fn a_full_text_feed_keeps_each_new_items_page_text() {
    let server = Server::start(move |req| match req.path.as_str() {
        "/summary.xml" => Reply::ok(
            "application/rss+xml",
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Brief</title>\
             <item><guid>b1</guid><title>Harbour dredging starts in spring</title>\
             <link>LINK</link><description>Only a summary.</description></item></channel></rss>"
                .replace(
                    "LINK",
                    &format!("http://{}/story.html", req.header("host").unwrap_or("")),
                ),
        ),
        "/story.html" => Reply::ok(
            "text/html",
            "<html><head><title>Harbour dredging starts in spring</title></head><body>\
             <nav>Home · World · Sport</nav><article><h1>Harbour dredging starts in spring</h1>\
             <p>Dredgers will deepen the outer channel from March, the port authority said on Monday, \
             so that the new ferries can berth at any tide.</p>\
             <p>The work will take eleven weeks and the fishing fleet will move to the north quay \
             while it lasts, the authority added in a statement.</p>\
             <p>Residents asked for the noise to stop at night, and the contractor agreed to work \
             only between seven in the morning and seven in the evening.</p></article></body></html>",
        ),
        _ => Reply::status(404),
    });
    let sb = Sandbox::new();
    let out = add(&sb, &server.url("/summary.xml"), &["--full-text"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(feeds_toml(&sb).contains("full_text = true"));
    let (code, out, _) = fetch(&sb, &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(server.requests("/story.html").len(), 1);
    let id = list(&sb)[..10].to_owned();
    let shown = sb.stdout(&["show", &id]);
    assert!(shown.contains("deepen the outer channel"), "{shown}");
    assert!(
        shown.contains("only between seven in the morning"),
        "{shown}"
    );
    // Fetched once: the page is not asked for again.
    fetch(&sb, &[]);
    assert_eq!(server.requests("/story.html").len(), 1);
}
