//! `update` tests for a daily reader's features: tags, the sources view,
//! next and previous unread, session restore, query history and saved
//! queries, piping a story.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::tests::{Tested, app};
use super::*;
use crate::state::{ExtraChange, Filter};

fn key(app: &mut Tested, code: KeyCode, modifiers: KeyModifiers) {
    if let Some(action) = app.map_key(&KeyEvent::new(code, modifiers)) {
        app.update(action);
    }
}

fn typed(app: &mut Tested, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn enter(app: &mut Tested) {
    key(app, KeyCode::Enter, KeyModifiers::NONE);
}

/// Opens the sources view and picks the row of `want`, straight from
/// the view's rows.
fn pick(app: &mut Tested, want: Filter) {
    app.update(Action::Sources);
    let Some(Popup::Sources(view)) = app.popups.last_mut() else {
        panic!("the sources view")
    };
    view.selected = view
        .rows
        .iter()
        .position(|r| matches!(r, SourceRow::Pick { filter: Some(f), .. } if *f == want))
        .unwrap();
    app.update(Action::Pick);
}

fn titles(app: &App) -> Vec<String> {
    app.list
        .visible
        .iter()
        .map(|&i| app.list.items[i].title.to_string())
        .collect()
}

#[test]
fn tags_are_added_with_completion_removed_and_shown_as_a_view() {
    let (_d, mut app) = app(120, 40);
    let first = app.list.selected_id().unwrap();
    typed(&mut app, "+later");
    enter(&mut app);
    assert_eq!(app.marks.get(&first).tags, ["later"]);
    assert_eq!(app.message.as_deref(), Some("tagged \"later\" (u undoes)"));
    // The next story: Tab completes from the tags in use.
    typed(&mut app, "j+l");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    let Some(Popup::Prompt(prompt)) = app.popups.last() else {
        panic!("a prompt")
    };
    assert_eq!(prompt.text, "later");
    enter(&mut app);
    let second = app.list.selected_id().unwrap();
    assert!(app.marks.get(&second).has_tag("later"));
    // The sources view lists the tag with its counts, and shows it alone.
    typed(&mut app, "v");
    let Some(Popup::Sources(view)) = app.popups.last() else {
        panic!("the sources view")
    };
    let at = view
        .rows
        .iter()
        .position(|r| matches!(r, SourceRow::Pick { filter: Some(Filter::Tag(t)), unread: 2, total: Some(2), .. } if t == "later"))
        .expect("the tag's row");
    let steps = at as isize
        - view.rows[..at]
            .iter()
            .filter(|r| matches!(r, SourceRow::Heading(_)))
            .count() as isize;
    app.update(Action::Top);
    for _ in 0..steps {
        app.update(Action::Down);
    }
    app.update(Action::Pick);
    assert_eq!(app.list.filter, Some(Filter::Tag("later".into())));
    assert_eq!(app.list.visible.len(), 2);
    // `-` on a story with one tag offers it; Enter removes it.
    typed(&mut app, "-");
    enter(&mut app);
    assert_eq!(app.list.visible.len(), 1, "untagged, it leaves the view");
    // Esc (or 0) goes back to every story.
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.list.filter, None);
    assert_eq!(app.list.visible.len(), 11);
}

#[test]
fn the_sources_view_counts_unread_and_narrows_the_list_to_one_source() {
    let (_d, mut app) = app(120, 40);
    typed(&mut app, "v");
    let Some(Popup::Sources(view)) = app.popups.last() else {
        panic!("the sources view")
    };
    assert!(view.rows.contains(&SourceRow::Heading("Sources")));
    assert!(
        view.rows.contains(&SourceRow::Heading("Folders")),
        "{:?}",
        view.rows
    );
    let courier = view
        .rows
        .iter()
        .find_map(|r| match r {
            SourceRow::Pick {
                filter: Some(Filter::Source(s)),
                unread,
                total,
                ..
            } if s == "The Straits Times" => Some((*unread, *total)),
            _ => None,
        })
        .expect("a source row");
    assert_eq!(courier.0, courier.1.unwrap(), "all unread");
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    pick(&mut app, Filter::Source("The Straits Times".into()));
    assert!(app.popups.is_empty());
    assert_eq!(app.list.visible.len(), courier.1.unwrap());
    assert!(
        app.list
            .visible
            .iter()
            .all(|&i| app.list.items[i].source.as_deref() == Some("The Straits Times"))
    );
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("source: The Straits Times")
    );
    // A folder narrows too, once the worker has grouped them.
    let folder = app
        .folders
        .iter()
        .find(|f| f.name.ends_with("/pages"))
        .cloned();
    let folder = folder.expect("the pages folder");
    app.update(Action::ClearFilter);
    pick(&mut app, Filter::Folder(folder.name.clone()));
    assert_eq!(app.list.visible.len(), folder.ids.len().min(11));
    assert!(app.list.visible.len() < 11);
}

#[test]
fn n_and_shift_n_open_the_next_and_previous_unread_from_any_pane() {
    let (_d, mut app) = app(120, 40);
    let all = titles(&app);
    app.update(Action::NextUnread);
    assert_eq!(app.reader.story.as_ref().unwrap().title, all[0]);
    app.update(Action::Down);
    app.update(Action::Down);
    app.update(Action::FocusNext); // the reader
    app.update(Action::NextUnread);
    assert_eq!(
        app.reader.story.as_ref().unwrap().title,
        all[1],
        "after the open one"
    );
    assert!(
        app.marks.is_read(app.open_id().unwrap()),
        "opening marks read"
    );
    app.update(Action::PrevUnread);
    assert_eq!(
        app.message.as_deref(),
        Some("no unread story before this one")
    );
    app.update(Action::FocusNext); // the sidebar
    app.update(Action::NextUnread);
    assert_eq!(app.reader.story.as_ref().unwrap().title, all[2]);
}

#[test]
fn m_marks_read_and_moves_down() {
    let (_d, mut app) = app(120, 40);
    let first = app.list.selected_id().unwrap();
    app.update(Action::MarkReadNext);
    assert!(app.marks.is_read(&first));
    assert_eq!(app.list.selected, 1);
    // In the unread view the read story leaves; the next one is selected.
    app.update(Action::ViewUnread);
    let second = app.list.selected_id().unwrap();
    app.update(Action::MarkReadNext);
    assert!(app.marks.is_read(&second));
    assert_eq!(app.list.selected, 0);
    assert_ne!(app.list.selected_id(), Some(second));
}

#[test]
fn quitting_keeps_the_session_and_the_next_start_brings_it_back() {
    let (dir, mut app) = app(120, 40);
    app.update(Action::CycleSort); // oldest
    app.update(Action::CycleDates); // dates
    app.update(Action::Down);
    app.update(Action::Down);
    app.update(Action::Open);
    app.update(Action::HalfPageDown);
    let open = app.open_id().cloned().unwrap();
    app.update(Action::Quit);
    let session = app.extras.session.clone().expect("kept at quit");
    assert_eq!(session.open.as_ref(), Some(&open));
    assert_eq!(session.sort, "oldest");
    // What the worker saved is in the state file.
    let marks = crate::state::Marks::load(&dir.path().join("config"));
    assert_eq!(marks.extras().session.as_ref(), Some(&session));
    // A new app on the same state: the sort, the selection, the open story.
    let mut again = super::tests::tested_on(dir.path(), dir.path().join("library"));
    again.app = std::mem::replace(
        &mut again.app,
        App::new(Default::default(), Keymap::default(), app.now),
    )
    .remembering(marks.extras().clone());
    again.update(Action::Resize(120, 40));
    again.update(Action::Sync);
    assert_eq!(again.list.sort.name(), "oldest");
    assert_eq!(again.list.dates, Some(Dates::Date));
    assert_eq!(again.list.selected_id(), session.selected);
    assert_eq!(again.open_id(), Some(&open));
    assert_eq!(
        again.reader.scroll,
        session.scroll.min(again.reader.max_scroll())
    );
    // A story that is gone falls back quietly to the top of the list.
    let gone = crate::state::Session {
        open: Some(crate::article::ArticleId::from_raw("gone000000")),
        selected: Some(crate::article::ArticleId::from_raw("gone000000")),
        ..session
    };
    let mut third = super::tests::tested_on(dir.path(), dir.path().join("library"));
    third.app = App::new(Default::default(), Keymap::default(), app.now).remembering(
        crate::state::Extras {
            session: Some(gone),
            ..Default::default()
        },
    );
    third.update(Action::Resize(120, 40));
    third.update(Action::Sync);
    assert_eq!(third.open_id(), None);
    assert_eq!(third.list.selected, 0);
    assert_eq!(third.message, None);
}

#[test]
fn the_finder_recalls_earlier_queries_and_keeps_one_as_a_view() {
    let (_d, mut app) = app(120, 40);
    for query in ["ferry", "harbour"] {
        typed(&mut app, "/");
        typed(&mut app, query);
        enter(&mut app);
    }
    assert_eq!(app.extras.history, ["ferry", "harbour"]);
    typed(&mut app, "/");
    key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(app.finder().unwrap().query, "harbour");
    key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(app.finder().unwrap().query, "ferry");
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(app.finder().unwrap().query, "", "past the newest: empty");
    typed(&mut app, "boats");
    key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.popups.is_empty());
    assert_eq!(app.extras.queries, ["boats"]);
    assert_eq!(app.list.filter, Some(Filter::Query("boats".into())));
    assert_eq!(app.list.visible.len(), 2, "{:?}", titles(&app));
    assert!(titles(&app).iter().all(|t| t.contains("boats")));
    // The sources view lists it; d forgets it.
    app.update(Action::Sources);
    let Some(Popup::Sources(view)) = app.popups.last() else {
        panic!()
    };
    assert!(matches!(
        view.rows[view.selected],
        SourceRow::Pick { filter: Some(Filter::Query(ref q)), .. } if q == "boats"
    ));
    app.update(Action::Forget);
    assert!(app.extras.queries.is_empty());
    let _ = ExtraChange::DropQuery(String::new());
}

#[test]
fn a_story_is_piped_to_a_command_without_a_shell() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Open);
    app.take_effects();
    typed(&mut app, "|");
    typed(&mut app, "grep -c \"electric boats\"");
    app.app.update(Action::Prompt(FinderEdit::Accept));
    let effects = app.app.take_effects();
    let [Effect::Run { command, stdin }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(command, &["grep", "-c", "electric boats"]);
    let title = &app.reader.story.as_ref().unwrap().title;
    assert!(stdin.as_deref().unwrap().starts_with(title.as_str()));
}

#[test]
fn a_large_list_is_matched_in_the_background_and_shows_the_best_so_far() {
    let items: Vec<crate::store::StorySummary> = (0..6_000)
        .map(|i| crate::store::StorySummary {
            id: crate::article::ArticleId::from_raw(format!("id{i:08}")),
            title: format!("{} story {i}", if i % 3 == 0 { "china" } else { "harbour" }).into(),
            source: None,
            published: None,
        })
        .collect();
    let mut app = App::new(Default::default(), Keymap::default(), chrono::Utc::now());
    app.update(Action::ListLoaded {
        items,
        groups: Default::default(),
        sorted: None,
        seq: None,
    });
    app.update(Action::Find);
    app.take_effects();
    app.update(Action::Finder(FinderEdit::Insert('c')));
    let Some(Effect::Match {
        generation, query, ..
    }) = app.take_effects().pop()
    else {
        panic!("a large list is matched in the background")
    };
    assert_eq!(query, "c");
    let finder = app.finder().unwrap();
    assert!(finder.searching && finder.matches.is_empty());
    // The best so far: two shown of 1,500 found.
    let best = |index| crate::search::Match { index, score: 9 };
    app.update(Action::MatchResults {
        generation,
        matches: vec![best(0), best(3)],
        matched: 1_500,
        done: false,
    });
    let finder = app.finder().unwrap();
    assert_eq!((finder.matches.len(), finder.found()), (2, 1_500));
    assert!(finder.searching);
    app.update(Action::Finder(FinderEdit::Next));
    app.update(Action::Finder(FinderEdit::Next));
    assert_eq!(app.finder().unwrap().selected, 1, "only what is shown");
    // All of them, once done; the selection stays in range.
    let all: Vec<_> = (0..2_000).map(|i| best(i * 3)).collect();
    app.update(Action::MatchResults {
        generation,
        matches: all,
        matched: 2_000,
        done: true,
    });
    let finder = app.finder().unwrap();
    assert_eq!((finder.result_count(), finder.found()), (2_000, 2_000));
    assert!(!finder.searching);
    // A shorter query is matched again, in the background too.
    app.update(Action::Finder(FinderEdit::Backspace));
    assert!(
        app.take_effects().is_empty(),
        "a blank query lists all, at once"
    );
    assert_eq!(app.finder().unwrap().found(), 6_000);
}
