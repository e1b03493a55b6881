//! The daily reader through the real binary in tmux: a tag added with
//! `+`, the sources view narrowing to it, and quitting and starting again
//! on the same story, filter and time column.

mod common;

use common::Sandbox;
use common::tmux::start;

#[test]
fn a_tagged_story_and_the_session_come_back_after_a_restart() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::with_library();
    let session = start(&sb, "daily", 120, 40);
    session.wait_for("Snow expected");
    // The third story, tagged; then the sources view shows the tag alone.
    session.send(&["j", "j"]);
    session.type_text("+later");
    session.send(&["Enter"]);
    session.wait_for("tagged \"later\"");
    session.send(&["v"]);
    session.wait_for("#later");
    session.send(&["G", "Enter"]);
    let screen = session.wait_for("tag: later: 1 story");
    assert!(screen.contains("Island ferry fares"), "{screen}");
    // Open it, group the list by day, quit.
    session.send(&["Enter", "D", "D"]);
    session.wait_for("by day");
    session.send(&["q"]);
    let screen = session.wait_for("BYLINE-EXIT=");
    assert!(screen.contains("BYLINE-EXIT=0"), "{screen}");
    drop(session);
    let state = std::fs::read_to_string(sb.config_dir().join("state.json")).unwrap();
    assert!(state.contains(r#""tags":["later"]"#), "{state}");
    // Again: the same filter, time column and open story.
    let again = start(&sb, "daily-again", 120, 40);
    let screen = again.wait_for("Story ·");
    assert!(screen.contains("tag: later · by day"), "{screen}");
    assert!(
        screen.contains("│ Island ferry fares to fall as new electric boats"),
        "the story open again: {screen}"
    );
    again.send(&["q"]);
    again.wait_for("BYLINE-EXIT=0");
}
