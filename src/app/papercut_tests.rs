//! The papercuts a new user hits: clicks that open too soon, messages that
//! outlive their moment, the full-text finder's count.

use super::tests::app;
use super::*;
use crate::store::{Snippet, TextHit};

/// The screen position of the first row of a pane.
fn first_row(app: &App, pane: Focus) -> (u16, u16) {
    let inner = layout::inner(app.panes().get(pane).unwrap());
    (inner.x + 2, inner.y)
}

#[test]
fn a_first_click_selects_and_a_second_opens_in_every_pane() {
    let (_d, mut app) = app(120, 40);
    // The list's first row is already selected: one click does not open it.
    let (column, row) = first_row(&app, Focus::List);
    app.update(Action::Click { column, row });
    assert_eq!(app.reader.story, None, "one click only selects");
    app.update(Action::Click { column, row });
    let opened = app.open_id().cloned().expect("the second click opens");
    // The sidebar's first entry is selected too: one click selects it.
    assert!(!app.sidebar.is_empty());
    let (column, _) = first_row(&app, Focus::Sidebar);
    let inner = layout::inner(app.panes().sidebar.unwrap());
    let row = (0..inner.height)
        .map(|r| inner.y + r)
        .find(|&r| {
            app.sidebar
                .entry_at_row(usize::from(r - inner.y), usize::from(inner.height))
                == Some(0)
        })
        .unwrap();
    app.update(Action::Click { column, row });
    assert_eq!(app.focus, Focus::Sidebar);
    assert_eq!(app.open_id(), Some(&opened), "one click does not open it");
    app.update(Action::Click { column, row });
    let second = app.open_id().cloned().unwrap();
    assert_ne!(second, opened, "the second click opens the related story");
    // The click after that (a triple click) starts over: it only selects.
    app.update(Action::Click { column, row });
    assert_eq!(app.open_id(), Some(&second));
    // A key between two clicks makes them two first clicks.
    let (column, row) = first_row(&app, Focus::List);
    app.update(Action::Click { column, row });
    app.update(Action::Down);
    app.update(Action::Up);
    app.update(Action::Click { column, row });
    assert_eq!(app.open_id(), Some(&second));
}

#[test]
fn a_message_clears_on_the_next_key_and_actions_say_what_they_did() {
    let (_d, mut app) = app(120, 40);
    app.update(Action::Forward);
    assert_eq!(app.message.as_deref(), Some("no later story"));
    for key in [Action::Back, Action::FocusNext, Action::Down, Action::Top] {
        app.update(Action::Forward);
        app.update(key.clone());
        assert_ne!(
            app.status_message(),
            Some("no later story"),
            "{key:?} leaves the old message"
        );
    }
    app.update(Action::FocusPrev);
    app.update(Action::ToggleRead);
    assert_eq!(app.message.as_deref(), Some("marked read (u undoes)"));
    app.update(Action::ToggleRead);
    assert_eq!(app.message.as_deref(), Some("marked unread (u undoes)"));
    app.update(Action::ToggleSaved);
    assert_eq!(app.message.as_deref(), Some("saved (u undoes)"));
    app.update(Action::ToggleSaved);
    assert_eq!(app.message.as_deref(), Some("no longer saved (u undoes)"));
    app.update(Action::ViewUnread);
    assert_eq!(app.message.as_deref(), Some("Unread: 11 stories"));
    app.update(Action::ViewAll);
    app.update(Action::Reload);
    assert_eq!(app.message.as_deref(), Some("reloaded: nothing new"));
    app.update(Action::ToggleSidebar);
    assert_eq!(app.message.as_deref(), Some("related sidebar hidden"));
    app.update(Action::Down);
    assert_eq!(app.status_message(), None);
}

#[test]
fn r_says_how_many_stories_are_new() {
    let (dir, mut app) = app(120, 40);
    let lib = dir.path().join("library");
    for n in 0..3 {
        std::fs::write(
            lib.join(format!("new-{n}.txt")),
            format!("A brand new story number {n}\n\nIts only paragraph, number {n}.\n"),
        )
        .unwrap();
    }
    app.update(Action::Reload);
    assert_eq!(app.message.as_deref(), Some("reloaded: 3 new"));
    std::fs::remove_file(lib.join("new-0.txt")).unwrap();
    app.update(Action::Reload);
    assert_eq!(app.message.as_deref(), Some("reloaded: 1 gone"));
}

fn hits(n: usize) -> Vec<TextHit> {
    (0..n)
        .map(|i| TextHit {
            summary: crate::store::StorySummary {
                id: crate::article::ArticleId::from_raw(format!("id{i:08}")),
                title: format!("Story {i}").into(),
                source: None,
                published: None,
            },
            snippet: Snippet::default(),
        })
        .collect()
}

#[test]
fn the_full_text_finder_says_searching_until_hits_come_and_counts_past_its_limit() {
    let (_d, mut app) = app(120, 40);
    // Straight to the app: the worker's answer is held back.
    app.app.update(Action::Find);
    app.app.update(Action::Finder(FinderEdit::ToggleMode));
    for c in "terminal".chars() {
        app.app.update(Action::Finder(FinderEdit::Insert(c)));
    }
    let finder = app.finder().unwrap();
    assert!(finder.searching, "no 'no matches' before the answer");
    let generation = finder.generation;
    let shown = crate::effect::FULL_TEXT_SHOWN;
    app.app.update(Action::TextHits {
        generation,
        hits: Ok(hits(shown + 1)),
    });
    let finder = app.finder().unwrap();
    assert!(!finder.searching);
    assert_eq!(finder.hits.len(), shown);
    assert!(finder.more, "more than it shows: 200+");
    app.app.update(Action::Finder(FinderEdit::Insert('s')));
    let generation = app.finder().unwrap().generation;
    app.app.update(Action::TextHits {
        generation,
        hits: Ok(hits(shown)),
    });
    assert!(!app.finder().unwrap().more, "exactly 200 is 200");
}
