//! The reader and feeds, through the real binary in tmux: a feed added
//! with `feed add`, `F` fetches it in the background, its stories show
//! (unread) without a restart, and the sources view lists the feed.

mod common;

use common::Sandbox;
use common::http::{Reply, Server};
use common::tmux::start_shell;

#[test]
fn f_fetches_a_new_feed_and_its_stories_show_unread() {
    if !common::tmux::available() {
        return;
    }
    let round = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let r = round.clone();
    let server = Server::start(move |_| {
        let second = r.load(std::sync::atomic::Ordering::SeqCst) > 0;
        let extra = if second {
            "<item><guid>t2</guid><title>Tide tables printed for the new year</title><description>Free at the harbour office.</description></item>"
        } else {
            ""
        };
        Reply::ok(
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Tide Times</title>\
                 <item><guid>t1</guid><title>Spring tides expected this weekend</title>\
                 <description>The highest tides of the year reach the quay on Saturday.</description></item>{extra}\
                 </channel></rss>"
            ),
        )
    });
    let sb = Sandbox::new();
    sb.stdout(&["feed", "add", &server.url("/tides.xml"), "--tag", "tides"]);
    let session = start_shell(&sb, "feeds");
    session.type_text(&format!(
        "{}; echo BYLINE-EXIT=$?\n",
        env!("CARGO_BIN_EXE_byline")
    ));
    session.send(&["F"]);
    let screen = session.wait_for("Spring tides expected");
    assert!(screen.contains("fetched 1 feed: 1 new"), "{screen}");
    assert!(screen.contains("●"), "unread: {screen}");
    // A second F brings the next item in while the reader stays open.
    round.store(1, std::sync::atomic::Ordering::SeqCst);
    session.send(&["F"]);
    session.wait_for("Tide tables printed");
    session.send(&["v"]);
    let screen = session.wait_for("Feeds");
    assert!(screen.contains("Tide Times"), "{screen}");
    assert!(screen.contains("2 / 2"), "{screen}");
    assert!(
        screen.contains("#tides"),
        "the feed's tag, taken in: {screen}"
    );
    session.send(&["Escape", "q"]);
    let screen = session.wait_for("BYLINE-EXIT=");
    assert!(screen.contains("BYLINE-EXIT=0"), "{screen}");
}

#[test]
fn a_feed_followed_while_the_reader_is_open_lands_in_it() {
    if !common::tmux::available() {
        return;
    }
    let server = Server::start(move |_| {
        Reply::ok(
            "application/rss+xml",
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Late Wire</title>\
             <item><guid>w1</guid><title>Night market opens on the quay</title>\
             <description>Stalls stay open until midnight on Fridays.</description></item></channel></rss>",
        )
    });
    let sb = Sandbox::new();
    let session = start_shell(&sb, "late-feed");
    session.type_text(&format!(
        "{}; echo BYLINE-EXIT=$?\n",
        env!("CARGO_BIN_EXE_byline")
    ));
    // The bundled samples, and no feeds yet.
    session.wait_for("All ·");
    sb.stdout(&["feed", "add", &server.url("/wire.xml")]);
    session.send(&["F"]);
    let screen = session.wait_for("Night market opens");
    assert!(screen.contains("fetched 1 feed: 1 new"), "{screen}");
    session.send(&["q"]);
    session.wait_for("BYLINE-EXIT=0");
    // An empty feeds folder (made by the reader) keeps the samples for a
    // library with no feeds; this one has a feed now, so the list is it.
    let listed = sb.stdout(&["list"]);
    assert!(listed.contains("Night market opens"), "{listed}");
}
