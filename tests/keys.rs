//! "Keys in, screen or state out": key macros fed to the app.

mod common;

use byline::app::{Focus, Popup, View};
use common::{fixture_app, press, screen};

#[test]
fn move_open_and_find_a_story() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "j j <enter>");
    let opened = app.reader.story.as_ref().unwrap().title.clone();
    assert_eq!(*opened, *app.list.items[app.list.visible[2]].title);
    press(&mut app, "/ bakery <enter>");
    let story = app.reader.story.as_ref().unwrap();
    assert_eq!(story.title, "Bakery wins regional bread prize");
    assert!(screen(&app).contains("Bakery wins regional bread prize"));
    assert!(app.popups.is_empty());
}

#[test]
fn finder_escape_restores_the_selection() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "j j j");
    let before = app.list.selected;
    press(&mut app, "/ snow <down> <esc>");
    assert_eq!(app.list.selected, before);
    assert!(app.reader.story.is_none());
}

#[test]
fn save_read_views_and_undo() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "s j s j r 3");
    assert_eq!(app.list.view, View::Saved);
    assert_eq!(app.list.visible.len(), 2);
    press(&mut app, "2");
    assert_eq!(app.list.visible.len(), 10);
    press(&mut app, "1 u u");
    assert_eq!(app.counts(), (11, 11, 1));
}

#[test]
fn mark_all_read_needs_a_yes() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "A n");
    assert_eq!(app.counts().1, 11);
    press(&mut app, "A");
    assert!(screen(&app).contains("Mark 11 stories in All read?"));
    press(&mut app, "y");
    assert_eq!(app.counts().1, 0);
    press(&mut app, "u");
    assert_eq!(app.counts().1, 11);
}

#[test]
fn tab_and_sidebar_enter_open_related_stories() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "/ ferry <enter> <tab> <tab>");
    assert_eq!(app.focus, Focus::Sidebar);
    // Walk down to the first story listed on the page and open it.
    let target = app.sidebar.similar.len();
    for _ in 0..target {
        press(&mut app, "j");
    }
    press(&mut app, "<enter>");
    let story = app.reader.story.as_ref().unwrap();
    assert_eq!(story.title, "Harbour pilots strike over night shifts");
    press(&mut app, "h");
    assert_eq!(
        app.reader.story.as_ref().unwrap().title,
        "Island ferry fares to fall as new electric boats join the fleet"
    );
    press(&mut app, "L");
    assert_eq!(
        app.reader.story.as_ref().unwrap().title,
        "Harbour pilots strike over night shifts"
    );
}

#[test]
fn help_and_load_report_open_and_close() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "?");
    assert!(matches!(app.popups.last(), Some(Popup::Help { .. })));
    assert!(screen(&app).contains("toggle saved"));
    press(&mut app, "<esc> !");
    assert!(screen(&app).contains("Every file loaded cleanly."));
    press(&mut app, "q");
    assert!(app.popups.is_empty());
    assert!(!app.should_quit, "q closes a popup first");
    press(&mut app, "q");
    assert!(app.should_quit);
}

#[test]
fn space_reads_on_through_unread_stories() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "<space>");
    let first = app.reader.story.as_ref().unwrap().id.clone();
    press(&mut app, "<space> <space> <space>");
    let now_open = app.reader.story.as_ref().unwrap().id.clone();
    assert_ne!(first, now_open);
    assert!(app.marks.is_read(&first) && app.marks.is_read(&now_open));
}

#[test]
fn narrow_screen_shows_one_pane_and_esc_goes_back() {
    let (_sb, mut app) = fixture_app(60, 20);
    press(&mut app, "<enter>");
    assert_eq!(app.focus, Focus::Reader);
    assert!(screen(&app).contains("Story"));
    press(&mut app, "<esc>");
    assert_eq!(app.focus, Focus::List);
}

/// `byline list --sort X` and the reader order the same stories the same
/// way in every order, ties included (every fixture file has one time).
#[test]
fn the_cli_and_the_reader_order_stories_alike() {
    let (sb, mut app) = fixture_app(120, 40);
    let lib = sb.library();
    for _ in 0..4 {
        let sort = app.list.sort;
        let out = sb.stdout(&[
            "list",
            "--json",
            "--sort",
            sort.name(),
            lib.to_str().unwrap(),
        ]);
        let cli: Vec<String> = serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect();
        let reader: Vec<String> = app
            .list
            .visible
            .iter()
            .map(|&i| app.list.items[i].id.to_string())
            .collect();
        assert_eq!(cli, reader, "{}", sort.name());
        app.update(byline::app::Action::CycleSort);
    }
}
