//! `update` tests for what config.toml changes, and for leaving byline
//! for a moment (links, files, the clipboard, export).

use super::tests::app;
use super::*;

fn press(app: &mut super::tests::Tested, code: crossterm::event::KeyCode) {
    let key = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    if let Some(action) = app.map_key(&key) {
        app.update(action);
    }
}

fn select(app: &mut super::tests::Tested, title: &str) {
    let at = app
        .list
        .visible
        .iter()
        .position(|&i| &*app.list.items[i].title == title)
        .unwrap();
    app.list.selected = at;
}

const LIBRARY: &str = "Library extends weekend hours";

#[test]
fn a_key_sequence_waits_for_its_second_key() {
    use crossterm::event::KeyCode::Char;
    let (_d, mut app) = app(120, 40);
    app.keymap = Keymap::default()
        .with_overrides([("top".to_owned(), vec!["g g".to_owned()])])
        .unwrap();
    press(&mut app, Char('j'));
    press(&mut app, Char('j'));
    assert_eq!(app.list.selected, 2);
    press(&mut app, Char('g'));
    assert_eq!(
        (app.list.selected, app.pending_keys.len()),
        (2, 1),
        "waiting"
    );
    press(&mut app, Char('g'));
    assert_eq!((app.list.selected, app.pending_keys.len()), (0, 0));
    // A key that continues nothing drops the sequence and acts alone.
    press(&mut app, Char('g'));
    press(&mut app, Char('j'));
    assert_eq!((app.list.selected, app.pending_keys.len()), (1, 0));
}

#[test]
fn reader_settings_take_effect() {
    let (_d, mut app) = app(120, 40);
    app.settings.mark_read_on_open = false;
    app.settings.text_width = 40;
    app.settings.justify = true;
    app.settings.date_format = "%Y/%m/%d".to_owned();
    app.update(Action::Resize(120, 40));
    select(&mut app, LIBRARY);
    app.update(Action::Open);
    let id = app.open_id().unwrap().clone();
    assert!(!app.marks.is_read(&id), "opening did not mark it read");
    assert!(app.reader.width <= 40);
    assert!(
        app.reader.lines[1].text.contains("2026/11/"),
        "{:?}",
        app.reader.lines[1]
    );
    // Every full line of a paragraph but its last reaches the measure.
    let body: Vec<&StyledLine> = app
        .reader
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Body)
        .collect();
    assert!(!body.is_empty());
    let width = usize::from(app.reader.width);
    let paragraphs = app.reader.story.as_ref().unwrap().paragraphs.clone();
    for p in paragraphs {
        let wrapped = textwrap::wrap(&p, width);
        for line in &wrapped[..wrapped.len() - 1] {
            let shown = body
                .iter()
                .find(|l| l.text.split_whitespace().eq(line.split_whitespace()))
                .unwrap();
            assert_eq!(
                unicode_width::UnicodeWidthStr::width(shown.text.as_str()),
                width,
                "{:?}",
                shown.text
            );
        }
    }
}

#[test]
fn the_sidebar_follows_the_setting_and_t() {
    let (_d, mut app) = app(130, 40);
    assert_eq!(app.panes().shown().len(), 3);
    app.update(Action::ToggleSidebar);
    assert_eq!(
        app.panes().shown().len(),
        2,
        "t hides it even where it fits"
    );
    let (_e, mut off) = super::tests::app(130, 40);
    off.settings.show_sidebar = false;
    assert_eq!(off.panes().shown().len(), 2);
    off.update(Action::ToggleSidebar);
    assert_eq!(off.panes().shown().len(), 3);
}

#[test]
fn o_runs_the_browser_with_the_link_and_e_the_pager_with_the_file() {
    let (_d, mut app) = app(120, 40);
    app.programs = outside::Programs {
        browser: vec!["fake-browser".into(), "--tab".into()],
        pager: vec!["fake-pager".into()],
    };
    select(&mut app, LIBRARY);
    app.update(Action::OpenLink);
    assert_eq!(
        app.ran(),
        vec![Effect::Run {
            command: vec![
                "fake-browser".into(),
                "--tab".into(),
                "https://example.com/library".into()
            ],
            stdin: None,
        }]
    );
    app.update(Action::OpenFile);
    let effects = app.ran();
    let [Effect::Run { command, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(command[0], "fake-pager");
    assert!(command[1].ends_with("feeds/object.json"), "{command:?}");
    // A story with no link says so and runs nothing.
    select(&mut app, "Snow expected on high ground");
    app.update(Action::OpenLink);
    assert!(app.ran().is_empty());
    assert!(app.message.as_deref().unwrap().contains("no link"));
}

#[test]
fn y_copies_title_and_link_and_capital_y_the_whole_story() {
    let (_d, mut app) = app(120, 40);
    select(&mut app, LIBRARY);
    app.update(Action::CopyLink);
    assert_eq!(
        app.ran(),
        vec![Effect::Copy(format!(
            "{LIBRARY}\nhttps://example.com/library"
        ))]
    );
    app.update(Action::CopyText);
    let effects = app.ran();
    let [Effect::Copy(text)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(
        text.starts_with(LIBRARY) && text.contains("A trial runs until March."),
        "{text}"
    );
    assert!(app.message.as_deref().unwrap().contains("clipboard"));
}

#[test]
fn x_exports_the_stories_in_view() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::ViewSaved);
    app.update(Action::Export);
    assert!(app.ran().is_empty(), "nothing saved, nothing to export");
    app.update(Action::ViewAll);
    app.update(Action::Export);
    let effects = app.ran();
    let [Effect::Export(ids)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(ids.len(), app.list.visible.len());
}

#[test]
fn a_sync_that_changes_the_open_story_keeps_the_scroll_position() {
    let (_d, mut app) = app(100, 12);
    select(
        &mut app,
        "Island ferry fares to fall as new electric boats join the fleet",
    );
    app.update(Action::Open);
    app.update(Action::FocusNext);
    while app.focus != Focus::Reader {
        app.update(Action::FocusNext);
    }
    app.update(Action::Down);
    app.update(Action::Down);
    let scroll = app.reader.scroll;
    assert!(scroll > 0, "the story is long enough to scroll");
    // The file changes on disk: a paragraph is added.
    let page = app.runner.library.roots()[0].join("pages/ferry.txt");
    let text = std::fs::read_to_string(&page).unwrap();
    let text = text.replacen(
        "Unions welcomed",
        "A late paragraph arrives in the live library. Unions welcomed",
        1,
    );
    std::fs::write(&page, text).unwrap();
    let file = std::fs::File::options().write(true).open(&page).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    app.update(Action::Reload);
    assert_eq!(app.load.report.as_ref().unwrap().reread, 1);
    let shown: String = app
        .reader
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains("A late paragraph arrives"),
        "the open story shows the change"
    );
    assert_eq!(app.reader.scroll, scroll, "at the same place");
}
