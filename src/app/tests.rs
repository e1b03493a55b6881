//! `update` tests: one or more per action, on the fixture library.

use chrono::{TimeZone, Utc};

use super::*;
use crate::search::Match;
use crate::test_support::copy_fixtures;

/// The app, driven as the interface drives it.
pub(super) type Tested = crate::jobs::Driver<App>;

/// An app on the library at `lib`, not loaded yet, with an empty store, its
/// marks and exports in `dir`.
pub(super) fn tested_on(dir: &std::path::Path, lib: std::path::PathBuf) -> Tested {
    let store = crate::store::Store::open_in_memory().unwrap();
    let marks = crate::state::Marks::load(&dir.join("config"));
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).unwrap();
    let app = App::new(marks.snapshot(), Keymap::default(), now);
    let library = crate::jobs::Library::new(store, marks, vec![lib]);
    let mut runner = crate::jobs::Runner::new(library);
    runner.export_dir = dir.to_path_buf();
    Tested::new(app, runner)
}

/// An app on the fixture library, loaded, at `width` x `height`, with marks
/// saved in the temp folder.
pub(super) fn app(width: u16, height: u16) -> (tempfile::TempDir, Tested) {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library");
    copy_fixtures(&lib);
    let mut tested = tested_on(dir.path(), lib);
    tested.update(Action::Resize(width, height));
    tested.update(Action::Sync);
    assert_eq!(
        tested.ran(),
        vec![Effect::Reload, Effect::BuildEngine, Effect::LoadFeeds]
    );
    (dir, tested)
}

fn selected_title(app: &App) -> String {
    app.list.selected_story().unwrap().title.to_string()
}

fn open_title(app: &App) -> Option<String> {
    app.reader.story.as_ref().map(|s| s.title.clone())
}

const SNOW: &str = "Snow expected on high ground";
const FERRY: &str = "Island ferry fares to fall as new electric boats join the fleet";

#[test]
fn loading_fills_the_list_newest_first() {
    let (_d, app) = app(120, 40);
    assert_eq!(app.list.items.len(), 11);
    assert_eq!(app.list.visible.len(), 11);
    assert_eq!(selected_title(&app), SNOW);
    assert!(!app.load.loading);
    assert_eq!(app.counts(), (11, 11, 0));
}

#[test]
fn quit() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Quit);
    assert!(app.should_quit);
}

#[test]
fn down_up_top_bottom_and_pages_move_the_selection() {
    let (_d, mut app) = app(120, 12);
    app.update(Action::Down);
    assert_eq!(app.list.selected, 1);
    app.update(Action::Up);
    app.update(Action::Up);
    assert_eq!(app.list.selected, 0);
    app.update(Action::Bottom);
    assert_eq!(app.list.selected, 10);
    assert!(
        app.list.offset > 0,
        "the list scrolls to keep the selection in view"
    );
    app.update(Action::Top);
    assert_eq!((app.list.selected, app.list.offset), (0, 0));
    app.update(Action::PageDown);
    let page = app.list.selected;
    assert!(page >= 3, "a page is the pane's height: {page}");
    app.update(Action::PageUp);
    assert_eq!(app.list.selected, 0);
    app.update(Action::HalfPageDown);
    assert!(app.list.selected >= 1 && app.list.selected < page);
    app.update(Action::HalfPageUp);
    assert_eq!(app.list.selected, 0);
}

#[test]
fn open_shows_the_story_marks_it_read_and_fills_the_sidebar() {
    let (dir, mut app) = app(120, 40);
    let target = app
        .list
        .items
        .iter()
        .position(|s| &*s.title == FERRY)
        .unwrap();
    let pos = app.list.visible.iter().position(|&i| i == target).unwrap();
    app.list.selected = pos;
    app.update(Action::Open);
    assert_eq!(open_title(&app).as_deref(), Some(FERRY));
    let id = app.open_id().unwrap().clone();
    assert!(app.marks.is_read(&id));
    assert!(!app.reader.lines.is_empty());
    assert!(
        app.reader
            .lines
            .iter()
            .all(|l| l.text.chars().count() <= usize::from(app.reader.width))
    );
    let listed: Vec<&str> = app.sidebar.listed.iter().map(|e| &*e.story.title).collect();
    assert_eq!(
        listed,
        [
            "Harbour pilots strike over night shifts",
            "Kestrel Lines orders three more electric boats"
        ]
    );
    assert!(
        app.sidebar
            .similar
            .iter()
            .all(|e| e.story.id != id && e.score.is_some())
    );
    // Saved to disk at once.
    let on_disk = crate::state::Marks::load(&dir.path().join("config"));
    assert!(on_disk.is_read(&id));
}

#[test]
fn back_and_forward_walk_the_opened_stories() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Open);
    let first = open_title(&app);
    app.update(Action::Down);
    app.update(Action::Open);
    let second = open_title(&app);
    assert_ne!(first, second);
    app.update(Action::Back);
    assert_eq!(open_title(&app), first);
    assert_eq!(
        app.list.selected_story().map(|s| s.title.to_string()),
        first
    );
    app.update(Action::Forward);
    assert_eq!(open_title(&app), second);
    app.update(Action::Forward);
    assert_eq!(app.message.as_deref(), Some("no later story"));
}

#[test]
fn focus_cycles_through_the_panes_on_screen() {
    let (_d, mut app) = app(120, 40);
    assert_eq!(app.focus, Focus::List);
    app.update(Action::FocusNext);
    assert_eq!(app.focus, Focus::Reader);
    app.update(Action::FocusNext);
    assert_eq!(app.focus, Focus::Sidebar);
    app.update(Action::FocusNext);
    assert_eq!(app.focus, Focus::List);
    app.update(Action::FocusPrev);
    assert_eq!(app.focus, Focus::Sidebar);
    // Without the sidebar, two panes.
    let (_d, mut app) = self::app(100, 30);
    app.update(Action::FocusNext);
    app.update(Action::FocusNext);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn reader_keys_scroll_when_it_has_the_focus() {
    let (_d, mut app) = app(80, 12);
    app.update(Action::Open);
    app.update(Action::FocusNext);
    assert_eq!(app.focus, Focus::Reader);
    app.update(Action::Down);
    assert_eq!(
        app.reader.scroll, 0,
        "a short story does not scroll past its end"
    );
    let long = crate::article::Article {
        paragraphs: vec!["word ".repeat(400)],
        ..app.reader.story.clone().unwrap()
    };
    app.reader.story = Some(long);
    app.reader.width = 0;
    app.update(Action::Resize(80, 12));
    app.update(Action::Down);
    assert_eq!(app.reader.scroll, 1);
    app.update(Action::Bottom);
    assert!(app.reader.at_end());
    app.update(Action::Top);
    assert_eq!(app.reader.scroll, 0);
}

#[test]
fn space_scrolls_then_moves_to_the_next_unread() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::ReadOn);
    assert_eq!(
        open_title(&app).as_deref(),
        Some(SNOW),
        "space opens the selected story first"
    );
    // Mark the second story read: space skips it.
    let second = app.list.items[app.list.visible[1]].id.clone();
    app.marks.set(
        &second,
        crate::state::Mark {
            read: true,
            saved: false,
            ..Default::default()
        },
    );
    app.update(Action::ReadOn);
    assert_eq!(app.list.selected, 2);
    assert_eq!(
        open_title(&app),
        Some(app.list.items[app.list.visible[2]].title.to_string())
    );
}

#[test]
fn toggles_mark_the_focused_story_and_undo_restores() {
    let (_d, mut app) = app(120, 40);
    let id = app.list.selected_id().unwrap();
    app.update(Action::ToggleSaved);
    assert!(app.marks.is_saved(&id));
    app.update(Action::ToggleRead);
    assert!(app.marks.is_read(&id));
    app.update(Action::ToggleRead);
    assert!(!app.marks.is_read(&id));
    app.update(Action::Undo);
    assert!(app.marks.is_read(&id));
    app.update(Action::Undo);
    app.update(Action::Undo);
    assert!(!app.marks.is_saved(&id) && !app.marks.is_read(&id));
    app.update(Action::Undo);
    assert_eq!(app.message.as_deref(), Some("nothing to undo"));
}

#[test]
fn views_filter_unread_and_saved() {
    let (_d, mut app) = app(120, 40);
    let first = app.list.selected_id().unwrap();
    app.update(Action::ToggleSaved);
    app.update(Action::ToggleRead);
    app.update(Action::ViewUnread);
    assert_eq!(app.list.view, View::Unread);
    assert_eq!(app.list.visible.len(), 10);
    app.update(Action::ViewSaved);
    assert_eq!(app.list.visible.len(), 1);
    assert_eq!(app.list.selected_id(), Some(first));
    app.update(Action::ViewAll);
    assert_eq!(app.list.visible.len(), 11);
}

#[test]
fn sort_cycles_and_keeps_the_selection() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Down);
    let id = app.list.selected_id();
    app.update(Action::CycleSort);
    assert_eq!(app.list.sort, crate::view::Sort::Oldest);
    assert_eq!(app.list.selected_id(), id);
    assert_eq!(
        &*app.list.items[0].title,
        "Cycle lane opens on the canal path"
    );
    app.update(Action::CycleSort);
    assert_eq!(app.list.sort, crate::view::Sort::Source);
    app.update(Action::CycleSort);
    assert_eq!(app.list.sort, crate::view::Sort::Title);
    assert_eq!(
        &*app.list.items[0].title,
        "Bakery wins regional bread prize"
    );
    app.update(Action::CycleSort);
    assert_eq!(app.list.sort, crate::view::Sort::Newest);
}

#[test]
fn mark_all_read_asks_first_and_undoes_as_one() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::MarkAllRead);
    assert!(matches!(app.popups.last(), Some(Popup::ConfirmMarkRead { ids }) if ids.len() == 11));
    app.update(Action::Confirm(false));
    assert!(app.popups.is_empty());
    assert_eq!(app.counts().1, 11);
    app.update(Action::MarkAllRead);
    app.update(Action::Confirm(true));
    assert_eq!(app.counts().1, 0);
    app.update(Action::Undo);
    assert_eq!(app.counts().1, 11);
}

#[test]
fn reload_asks_the_loop_once() {
    let (_d, mut app) = app(120, 40);
    // As the app alone sees it: a reload asked for during one follows it.
    app.app.update(Action::Reload);
    app.app.update(Action::Reload);
    assert_eq!(app.app.take_effects(), vec![Effect::Reload]);
    assert!(app.load.loading);
    app.update(Action::LoadProgress { done: 3, total: 8 });
    assert_eq!((app.load.done, app.load.total), (3, 8));
    app.update(Action::LoadFailed("disk on fire".into()));
    assert!(!app.load.loading);
    assert!(app.message.as_deref().unwrap().contains("disk on fire"));
}

#[test]
fn sidebar_toggles_on_medium_screens() {
    let (_d, mut app) = app(100, 30);
    assert!(app.panes().sidebar.is_none());
    app.update(Action::ToggleSidebar);
    assert!(app.panes().sidebar.is_some());
    app.update(Action::ToggleSidebar);
    assert!(app.panes().sidebar.is_none());
}

#[test]
fn popups_open_and_close_and_scroll() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Help);
    assert!(matches!(app.popups.last(), Some(Popup::Help { scroll: 0 })));
    app.update(Action::Down);
    assert!(matches!(app.popups.last(), Some(Popup::Help { scroll: 1 })));
    assert_eq!(app.list.selected, 0, "keys go to the popup, not the list");
    app.update(Action::ClosePopup);
    app.update(Action::LoadReport);
    assert!(matches!(app.popups.last(), Some(Popup::LoadReport { .. })));
    app.update(Action::ClosePopup);
    assert!(app.popups.is_empty());
}

#[test]
fn finder_ranks_as_you_type_and_opens_the_pick() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Down);
    let before = app.list.selected_id();
    app.update(Action::Find);
    assert_eq!(
        app.finder().unwrap().matches.len(),
        11,
        "an empty query lists everything"
    );
    for c in "fery".chars() {
        app.update(Action::Finder(FinderEdit::Insert(c)));
    }
    let finder = app.finder().unwrap();
    assert_eq!(finder.query, "fery");
    assert!(!finder.matches.is_empty());
    let best = &app.list.items[finder.matches[0].index];
    assert_eq!(&*best.title, FERRY);
    assert_eq!(crate::search::positions(&best.title, "fery").len(), 4);
    // Esc restores the previous selection.
    app.update(Action::Finder(FinderEdit::Cancel));
    assert!(app.popups.is_empty());
    assert_eq!(app.list.selected_id(), before);
    // Enter opens the pick.
    app.update(Action::Find);
    for c in "pilots".chars() {
        app.update(Action::Finder(FinderEdit::Insert(c)));
    }
    app.update(Action::Finder(FinderEdit::Accept));
    assert_eq!(
        open_title(&app).as_deref(),
        Some("Harbour pilots strike over night shifts")
    );
    assert_eq!(
        selected_title(&app),
        "Harbour pilots strike over night shifts"
    );
}

#[test]
fn finder_words_match_in_any_order_and_editing_keys_work() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Find);
    for c in "boats electric".chars() {
        app.update(Action::Finder(FinderEdit::Insert(c)));
    }
    assert_eq!(app.finder().unwrap().matches.len(), 2);
    app.update(Action::Finder(FinderEdit::Next));
    assert_eq!(app.finder().unwrap().selected, 1);
    app.update(Action::Finder(FinderEdit::Prev));
    assert_eq!(app.finder().unwrap().selected, 0);
    app.update(Action::Finder(FinderEdit::DeleteWord));
    assert_eq!(app.finder().unwrap().query, "boats ");
    app.update(Action::Finder(FinderEdit::Clear));
    assert_eq!(app.finder().unwrap().matches.len(), 11);
}

#[test]
fn finder_full_text_mode_searches_bodies() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Find);
    app.update(Action::Finder(FinderEdit::ToggleMode));
    for c in "crust".chars() {
        app.update(Action::Finder(FinderEdit::Insert(c)));
    }
    let finder = app.finder().unwrap();
    assert_eq!(finder.mode, FinderMode::FullText);
    assert_eq!(finder.hits.len(), 1);
    assert_eq!(finder.hits[0].snippet.matched(), ["crust"]);
    app.update(Action::Finder(FinderEdit::Accept));
    assert_eq!(
        open_title(&app).as_deref(),
        Some("Bakery wins regional bread prize")
    );
}

#[test]
fn background_matching_drops_stale_results() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Find);
    let generation = app.finder().unwrap().generation;
    let stale = vec![Match { index: 0, score: 5 }];
    app.update(Action::MatchResults {
        generation: generation + 7,
        matches: stale,
        matched: 1,
        done: true,
    });
    assert_eq!(
        app.finder().unwrap().matches.len(),
        11,
        "results of another query are ignored"
    );
    let fresh = vec![Match { index: 3, score: 9 }];
    app.update(Action::MatchResults {
        generation,
        matches: fresh,
        matched: 1,
        done: false,
    });
    let finder = app.finder().unwrap();
    assert_eq!(finder.matches[0].index, 3);
    assert!(finder.searching);
}

#[test]
fn resize_rewraps_the_story() {
    let (_d, mut app) = app(260, 48);
    let ferry = app
        .list
        .items
        .iter()
        .find(|s| &*s.title == FERRY)
        .unwrap()
        .id
        .clone();
    app.open_story(&ferry, true);
    let wide = app.reader.lines.len();
    assert_eq!(app.reader.width, layout::MEASURE);
    app.update(Action::Resize(100, 30));
    assert!(app.reader.width < layout::MEASURE);
    assert!(app.reader.lines.len() > wide);
    app.update(Action::Resize(10, 3));
    assert!(app.panes().too_small);
}

#[test]
fn moving_focus_on_a_screen_too_small_for_any_pane_does_nothing() {
    // Wide but too short: found by the hostile-input property test.
    let (_d, mut app) = app(120, 3);
    assert!(app.panes().too_small);
    let before = app.focus;
    app.update(Action::FocusNext);
    app.update(Action::FocusPrev);
    assert_eq!(app.focus, before);
}

#[test]
fn one_pane_at_a_time_below_80_columns() {
    let (_d, mut app) = app(60, 20);
    assert_eq!(app.panes().shown(), vec![Focus::List]);
    app.update(Action::Open);
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(app.panes().shown(), vec![Focus::Reader]);
    app.update(Action::Back);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn tick_moves_the_clock() {
    let (_d, mut app) = app(120, 40);
    let later = app.now + chrono::Duration::hours(1);
    app.update(Action::Tick(later));
    assert_eq!(app.now, later);
}

#[test]
fn clicks_select_then_open_and_the_wheel_scrolls() {
    let (_d, mut app) = app(120, 40);
    let list = app.panes().list.unwrap();
    // Row 3 of the list's inside.
    app.update(Action::Click {
        column: list.x + 5,
        row: list.y + 1 + 3,
    });
    assert_eq!(app.list.selected, 3);
    assert!(app.reader.story.is_none());
    app.update(Action::Click {
        column: list.x + 5,
        row: list.y + 1 + 3,
    });
    assert_eq!(open_title(&app), Some(selected_title(&app)));
    app.update(Action::Wheel {
        column: list.x + 5,
        row: list.y + 5,
        down: true,
    });
    assert_eq!(app.list.selected, 6);
    let reader = app.panes().reader.unwrap();
    app.update(Action::Click {
        column: reader.x + 3,
        row: reader.y + 3,
    });
    assert_eq!(app.focus, Focus::Reader);
}

#[test]
fn messages_show() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Message("hello".into()));
    assert_eq!(app.message.as_deref(), Some("hello"));
}

#[test]
fn keys_reach_the_top_popup_first() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (_d, mut app) = app(120, 40);
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(app.map_key(&key('j')), Some(Action::Down));
    app.update(Action::Find);
    assert_eq!(
        app.map_key(&key('j')),
        Some(Action::Finder(FinderEdit::Insert('j')))
    );
    let ctrl_w = KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(
        app.map_key(&ctrl_w),
        Some(Action::Finder(FinderEdit::DeleteWord))
    );
    app.update(Action::Finder(FinderEdit::Cancel));
    app.update(Action::MarkAllRead);
    assert_eq!(app.map_key(&key('y')), Some(Action::Confirm(true)));
    assert_eq!(app.map_key(&key('j')), None);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(app.map_key(&ctrl_c), Some(Action::Quit));
}

#[test]
fn near_duplicates_show_once_mark_together_and_are_not_related() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library");
    copy_fixtures(&lib);
    let text = "The harbour authority said on Monday that ferry fares would fall by a fifth from April, after three \
        electric boats join the fleet on the busiest route. Unions welcomed the cut but asked for more crew on the \
        night crossings, which they say are short of staff. The operator said it would hire twenty more sailors.";
    std::fs::write(
        lib.join("feeds/wire-a.txt"),
        format!("Fares to fall by a fifth\n\n{text}\n"),
    )
    .unwrap();
    std::fs::write(
        lib.join("feeds/wire-b.txt"),
        format!("Harbour fares cut by a fifth\n\n{text} More soon.\n"),
    )
    .unwrap();
    let mut app = tested_on(dir.path(), lib);
    app.update(Action::Resize(120, 40));
    // Sync, and hold the engine build back.
    app.app.update(Action::Reload);
    let effects = app.app.take_effects();
    for answer in app.runner.run(effects) {
        app.app.update(answer);
    }
    let (build, rest): (Vec<Effect>, Vec<Effect>) = app
        .app
        .take_effects()
        .into_iter()
        .partition(|e| *e == Effect::BuildEngine);
    assert_eq!(build.len(), 1);
    for answer in app.runner.run(rest) {
        app.update(answer);
    }
    assert_eq!(app.load.report.as_ref().unwrap().stories, 13);
    assert_eq!(app.list.items.len(), 12, "the pair shows once");
    assert_eq!(app.groups.len(), 1);
    let (rep, twins) = app
        .groups
        .iter()
        .next()
        .map(|(r, t)| (r.clone(), t.to_vec()))
        .unwrap();
    // Until the engine is built, the sidebar says so; then it uses the engine.
    app.list.select_id(&rep);
    app.update(Action::Open);
    assert!(app.sidebar.pending);
    for answer in app.runner.run(build) {
        assert_eq!(answer, Action::EngineReady);
        app.update(answer);
    }
    assert!(!app.sidebar.pending);
    assert!(
        app.sidebar
            .similar
            .iter()
            .all(|e| e.story.id != twins[0] && e.story.id != rep)
    );
    // Opening marked the story read, and with it its twin.
    assert!(app.marks.is_read(&rep) && app.marks.is_read(&twins[0]));
    app.update(Action::ToggleRead);
    assert!(
        !app.marks.is_read(&twins[0]),
        "unmarking reaches the twin too"
    );
}

#[test]
fn update_asks_for_reads_and_writes_as_effects_and_does_none_itself() {
    let (_d, mut app) = app(120, 40);
    let id = app.list.selected_id().unwrap();
    // A mark shows at once and goes out to be saved.
    app.app.update(Action::ToggleSaved);
    assert!(app.marks.is_saved(&id));
    assert_eq!(
        app.app.take_effects(),
        vec![Effect::SaveMarks {
            generation: app.marks_sent,
            changes: vec![(
                id.clone(),
                crate::state::Mark {
                    read: false,
                    saved: true,
                    ..Default::default()
                }
            )],
        }]
    );
    // Opening asks for the story; nothing shows until the answer.
    app.app.update(Action::Open);
    assert_eq!(
        app.app.take_effects(),
        vec![Effect::LoadStory {
            id: id.clone(),
            then: Then::Open { record: true },
        }]
    );
    assert!(app.reader.story.is_none());
    // Full-text search asks too, and drops an older query's answer.
    app.app.update(Action::Find);
    app.app.update(Action::Finder(FinderEdit::ToggleMode));
    app.app.update(Action::Finder(FinderEdit::Insert('x')));
    let effects = app.app.take_effects();
    let [Effect::SearchText { generation, query }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(query, "x");
    assert!(app.finder().unwrap().searching);
    app.app.update(Action::TextHits {
        generation: generation - 1,
        hits: Err("stale".into()),
    });
    assert!(app.message.is_none() && app.finder().unwrap().searching);
    app.app.update(Action::TextHits {
        generation: *generation,
        hits: Ok(Vec::new()),
    });
    assert!(!app.finder().unwrap().searching);
}

#[test]
fn a_save_answer_replaces_the_marks_only_when_no_newer_save_is_on_its_way() {
    let (_d, mut app) = app(120, 40);
    let id = app.list.selected_id().unwrap();
    app.app.update(Action::ToggleRead);
    app.app.update(Action::ToggleSaved);
    let newest = app.marks_sent;
    let mut elsewhere = crate::state::MarkSet::new();
    elsewhere.set(&id, Mark::default());
    app.app.update(Action::MarksSaved {
        generation: newest - 1,
        merged: Some(elsewhere.clone()),
        error: None,
    });
    assert!(
        app.marks.is_saved(&id),
        "an older answer does not undo a newer mark"
    );
    app.app.update(Action::MarksSaved {
        generation: newest,
        merged: Some(elsewhere),
        error: Some("marks cannot be saved: disk full".into()),
    });
    assert!(!app.marks.is_saved(&id));
    assert!(app.message.as_deref().unwrap().contains("disk full"));
}

#[test]
fn a_failure_message_goes_once_its_condition_has_passed() {
    let (_d, mut app) = app(120, 40);
    let full = "marks cannot be saved: No space left on device (os error 28) (state.json)";
    app.app.update(Action::MarksSaved {
        generation: 1,
        merged: None,
        error: Some(full.into()),
    });
    assert_eq!(app.message.as_deref(), Some(full));
    // Another message since: a later success leaves it be.
    app.app.update(Action::Message("sorted by title".into()));
    app.app.update(Action::MarksSaved {
        generation: 2,
        merged: None,
        error: None,
    });
    assert_eq!(app.message.as_deref(), Some("sorted by title"));
    // The failure shows again, then a save succeeds: it goes.
    app.app.update(Action::MarksSaved {
        generation: 3,
        merged: None,
        error: Some(full.into()),
    });
    app.app.update(Action::MarksSaved {
        generation: 4,
        merged: None,
        error: None,
    });
    assert_eq!(app.message, None);
    // Loading likewise: a failed sync's message goes when one succeeds.
    app.app
        .update(Action::LoadFailed("database is locked".into()));
    assert!(app.message.as_deref().unwrap().contains("locked"));
    // The next key clears the message, but the trouble still shows until
    // a load succeeds.
    app.app.update(Action::Down);
    assert_eq!(app.message, None);
    assert!(app.status_message().unwrap().contains("locked"));
    app.update(Action::Reload);
    assert_eq!(app.status_message(), Some("reloaded: nothing new"));
}

/// The status bar's counts are kept as the marks change, not made for
/// each frame: they must always be what a count over the list gives.
#[test]
fn the_counts_follow_every_change_of_the_marks() {
    let (_d, mut app) = app(120, 40);
    let by_hand = |app: &App| {
        let unread = app
            .list
            .items
            .iter()
            .filter(|s| !app.marks.is_read(&s.id))
            .count();
        let saved = app
            .list
            .items
            .iter()
            .filter(|s| app.marks.is_saved(&s.id))
            .count();
        (app.list.items.len(), unread, saved)
    };
    assert_eq!(app.counts(), (11, 11, 0));
    app.update(Action::ToggleRead);
    app.update(Action::ToggleSaved);
    assert_eq!(app.counts(), (11, 10, 1));
    assert_eq!(app.counts(), by_hand(&app));
    app.update(Action::Undo);
    assert_eq!(app.counts(), by_hand(&app));
    // Another instance's marks, merged in by a save: two more read.
    let mut merged = app.marks.clone();
    for s in app.list.items.iter().take(2) {
        let mut mark = merged.get(&s.id);
        mark.read = true;
        merged.set(&s.id, mark);
    }
    app.update(Action::MarksSaved {
        generation: app.marks_sent,
        merged: Some(merged),
        error: None,
    });
    assert_eq!(app.counts(), by_hand(&app));
    assert!(app.counts().1 <= 9, "{:?}", app.counts());
}

/// A list that comes sorted in the list's order is taken as it is; one in
/// another order, or none, is sorted here.
#[test]
fn a_list_in_another_order_is_sorted_here() {
    let (_d, mut app) = app(120, 40);
    let items = app.list.items.as_ref().clone();
    let sort = app.list.sort;
    let mut by_title = items.clone();
    crate::view::sort(&mut by_title, crate::view::Sort::Title);
    assert_ne!(by_title, items, "the fixture's orders differ");
    for sorted in [None, Some(crate::view::Sort::Title)] {
        app.update(Action::ListLoaded {
            items: by_title.clone(),
            groups: app.groups.clone(),
            sorted,
            seq: None,
        });
        assert_eq!(app.list.items.as_ref(), &items, "{sorted:?}");
    }
    app.update(Action::ListLoaded {
        items: items.clone(),
        groups: app.groups.clone(),
        sorted: Some(sort),
        seq: None,
    });
    assert_eq!(app.list.items.as_ref(), &items);
}

/// A sync that changed nothing reads no list again: at a million stories
/// a list costs seconds and hundreds of megabytes. A list that was on its
/// way when a sync ended is read again only if it was read before the
/// store's last change.
#[test]
fn the_list_is_read_again_only_when_the_store_changed_since() {
    let (_d, mut app) = app(120, 40);
    let seq = app
        .load
        .list_seq
        .expect("the worker says when it read the list");
    assert_eq!(app.load.report.as_ref().map(|r| r.seq), Some(seq));
    let lists = |app: &mut Tested| {
        let effects = app.app.take_effects();
        effects
            .iter()
            .filter(|e| matches!(e, Effect::LoadList { .. }))
            .count()
    };
    let finished = |seq: i64| {
        let mut report = crate::store::SyncReport::default();
        report.seq = seq;
        Action::LoadFinished(Box::new(report))
    };
    let listed = |app: &App, seq: i64| Action::ListLoaded {
        items: app.list.items.as_ref().clone(),
        groups: app.groups.clone(),
        sorted: Some(app.list.sort),
        seq: Some(seq),
    };
    // Nothing changed: no list.
    app.app.update(finished(seq));
    assert_eq!(lists(&mut app), 0);
    // The store moved on: one list.
    app.app.update(finished(seq + 1));
    assert_eq!(lists(&mut app), 1);
    // Another sync ends while that list is on its way: none asked yet...
    app.app.update(finished(seq + 2));
    assert_eq!(lists(&mut app), 0);
    // ...but the list, read before it ended, is read once more...
    let old = listed(&app, seq + 1);
    app.app.update(old);
    assert_eq!(lists(&mut app), 1);
    // ...and that one is current.
    let new = listed(&app, seq + 2);
    app.app.update(new);
    assert_eq!(lists(&mut app), 0);
    // A list the worker cannot date is always read again after a sync.
    let undated = Action::ListLoaded {
        items: app.list.items.as_ref().clone(),
        groups: app.groups.clone(),
        sorted: Some(app.list.sort),
        seq: None,
    };
    app.app.update(undated);
    app.app.update(finished(seq + 2));
    assert_eq!(lists(&mut app), 1);
    // A list that cannot be read is not waited for: the next sync asks.
    app.app
        .update(Action::ListFailed("cannot read the store: locked".into()));
    assert_eq!(
        app.message.as_deref(),
        Some("cannot read the store: locked")
    );
    app.app.update(finished(seq + 3));
    assert_eq!(lists(&mut app), 1);
    // Through the worker: a reload that finds nothing new says so, and
    // reads no list.
    app.app.update(listed(&app, seq));
    app.app.take_effects();
    app.app.update(Action::Reload);
    let effects = app.app.take_effects();
    assert_eq!(effects, vec![Effect::Reload]);
    for answer in app.runner.run(effects) {
        app.app.update(answer);
    }
    assert_eq!(app.message.as_deref(), Some("reloaded: nothing new"));
    assert_eq!(lists(&mut app), 0);
}
