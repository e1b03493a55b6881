//! Papercuts a new user saw on screen, checked in `TestBackend` buffers:
//! the story pane's last row, the sidebar's scores, popups over the status
//! bar, hints cut mid-word, counts that disagree in number.

mod common;

use byline::app::{Action, App, layout};
use common::{Sandbox, app_on, fixture_app, press, screen};

fn rows(app: &App) -> Vec<String> {
    screen(app).lines().map(str::to_owned).collect()
}

#[test]
fn the_story_pane_uses_its_last_row() {
    let (_sb, mut app) = fixture_app(120, 14);
    press(&mut app, "/ ferry <enter>");
    let text = layout::text_area(app.panes().reader.unwrap(), app.settings.text_width);
    let inner = layout::inner(app.panes().reader.unwrap());
    assert_eq!(text.height, inner.height, "no row is held back");
    // Scroll so that the last row shown holds text, and see it drawn there.
    let height = usize::from(app.reader.height);
    let scroll = (0..app.reader.max_scroll())
        .find(|&s| !app.reader.lines[s + height - 1].text.is_empty())
        .expect("a story longer than the pane");
    app.reader.scroll = scroll;
    let last = &app.reader.lines[scroll + height - 1].text;
    let row = &rows(&app)[usize::from(inner.y + inner.height - 1)];
    assert!(row.contains(last.as_str()), "{last:?} not on {row:?}");
}

#[test]
fn the_sidebar_never_cuts_a_score() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "/ ferry <enter>");
    let first = &mut app.sidebar.similar[0];
    first.story.source = Some("The Very Long Name Of A Regional Evening Newspaper".into());
    let score = format!(" · {:.0}%", first.score.unwrap() * 100.0);
    let screen = screen(&app);
    assert!(screen.contains(&format!("…{score}")), "{screen}");
}

#[test]
fn popups_leave_the_status_bar_showing() {
    for (w, h) in [(80, 24), (120, 40)] {
        for keys in ["?", "!", "/"] {
            let (_sb, mut app) = fixture_app(w, h);
            press(&mut app, keys);
            let rows = rows(&app);
            let status = &rows[rows.len() - 2];
            assert!(status.contains("11 all"), "{keys} at {w}x{h}: {status:?}");
            assert!(rows[rows.len() - 1].contains("move"), "{keys} at {w}x{h}");
        }
    }
}

#[test]
fn the_hint_bar_shows_only_whole_hints() {
    let (_sb, mut app) = fixture_app(120, 40);
    let labels = [
        "move", "open", "pane", "read on", "find", "read", "save", "help", "quit",
    ];
    for width in 40..=140 {
        app.update(Action::Resize(width, 24));
        let rows = rows(&app);
        let hints = rows.last().unwrap().trim_end();
        assert!(
            labels.iter().any(|l| hints.ends_with(l)),
            "at {width}: {hints:?}"
        );
        assert!(hints.ends_with("help  q quit"), "at {width}: {hints:?}");
    }
}

#[test]
fn the_load_report_counts_one_file_and_one_story_in_the_singular() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.library()).unwrap();
    std::fs::write(
        sb.library().join("one.txt"),
        "A single story\n\nIts one paragraph.\n",
    )
    .unwrap();
    let mut app = app_on(&sb, 120, 40);
    press(&mut app, "!");
    let screen = screen(&app);
    assert!(screen.contains("1 file · 1 story ·"), "{screen}");
}
