//! The fuzzy finder's part of `App::update`: editing the query, ranking
//! (here or in the background), and opening the pick.

use super::layout::{self, Focus};
use super::line::LineEdit;
use super::{App, Effect, FinderEdit, FinderMode, Popup, View};
use crate::search;
use crate::state::{ExtraChange, Filter};
use crate::store::TextHit;

impl App {
    pub(super) fn open_finder(&mut self) {
        let mut finder = super::Finder {
            restore: self.list.selected_id(),
            ..Default::default()
        };
        finder.matches = search::rank(self.list.items.as_slice(), "");
        finder.matched = finder.matches.len();
        self.popups.push(Popup::Finder(Box::new(finder)));
    }

    fn finder_mut(&mut self) -> Option<&mut super::Finder> {
        match self.popups.last_mut() {
            Some(Popup::Finder(f)) => Some(f),
            _ => None,
        }
    }

    pub(super) fn finder_edit(&mut self, edit: FinderEdit) {
        let has_history = !self.extras.history.is_empty();
        let Some(finder) = self.finder_mut() else {
            return;
        };
        let before = finder.query.clone();
        if finder.edit(&edit) {
            finder.recall = None;
            if finder.query != before {
                self.rematch();
            }
            return;
        }
        match edit {
            // On an empty query (or while recalling), up and down walk the
            // history of queries.
            FinderEdit::Prev | FinderEdit::Next
                if (finder.query.is_empty() || finder.recall.is_some()) && has_history =>
            {
                self.recall(edit == FinderEdit::Prev);
                return;
            }
            FinderEdit::Next => finder.move_selection(1),
            FinderEdit::Prev => finder.move_selection(-1),
            FinderEdit::Keep => {
                self.keep_query();
                return;
            }
            FinderEdit::ToggleMode => {
                finder.mode = match finder.mode {
                    FinderMode::Fuzzy => FinderMode::FullText,
                    FinderMode::FullText => FinderMode::Fuzzy,
                };
                finder.selected = 0;
                self.rematch();
                return;
            }
            FinderEdit::Cancel => {
                if let Some(Popup::Finder(f)) = self.popups.pop()
                    && let Some(id) = f.restore
                {
                    self.list.select_id(&id);
                    self.jump_list();
                }
                return;
            }
            FinderEdit::Accept => {
                self.accept_finder();
                return;
            }
            // Text edits were handled above.
            _ => {}
        }
        if finder.query != before {
            self.rematch();
        }
    }

    /// Ranks the headlines against the finder's query: here for a small
    /// library, in the background (an effect) for a large one; full-text
    /// search always in the background.
    pub(super) fn rematch(&mut self) {
        let items = self.list.items.clone();
        let Some(finder) = self.finder_mut() else {
            return;
        };
        finder.generation += 1;
        finder.selected = 0;
        let generation = finder.generation;
        let query = finder.query.clone();
        let effect = match finder.mode {
            FinderMode::FullText if query.trim().is_empty() => {
                finder.hits.clear();
                finder.more = false;
                finder.searching = false;
                return;
            }
            FinderMode::FullText => {
                finder.searching = true;
                Effect::SearchText { generation, query }
            }
            FinderMode::Fuzzy
                if items.len() > super::BACKGROUND_MATCH_THRESHOLD && !query.trim().is_empty() =>
            {
                finder.matches.clear();
                finder.matched = 0;
                finder.searching = true;
                Effect::Match {
                    generation,
                    query,
                    items,
                }
            }
            FinderMode::Fuzzy => {
                finder.matches = search::rank(items.as_slice(), &query);
                finder.matched = finder.matches.len();
                finder.searching = false;
                return;
            }
        };
        self.effects.push(effect);
    }

    /// Full-text hits for the query of `generation` (older ones are dropped).
    pub(super) fn text_hits(&mut self, generation: u64, hits: Result<Vec<TextHit>, String>) {
        let Some(finder) = self.finder_mut() else {
            return;
        };
        if finder.generation != generation || finder.mode != FinderMode::FullText {
            return;
        }
        finder.searching = false;
        match hits {
            Ok(mut hits) => {
                finder.more = hits.len() > crate::effect::FULL_TEXT_SHOWN;
                hits.truncate(crate::effect::FULL_TEXT_SHOWN);
                finder.hits = hits;
            }
            Err(e) => {
                finder.hits.clear();
                self.message = Some(format!("full-text search failed: {e}"));
            }
        }
    }

    /// The matcher's answer for query `generation`, ranked already: the
    /// best so far, or (`done`) all of them. Older queries' are dropped.
    pub(super) fn match_results(
        &mut self,
        generation: u64,
        matches: Vec<search::Match>,
        matched: usize,
        done: bool,
    ) {
        let Some(finder) = self.finder_mut() else {
            return;
        };
        if finder.generation != generation {
            return; // an older query's results
        }
        finder.matches = matches;
        finder.matched = matched;
        finder.searching = !done;
        finder.move_selection(0);
    }

    /// Puts an older (or newer) query from the history in the finder.
    fn recall(&mut self, older: bool) {
        let history = self.extras.history.clone();
        let Some(finder) = self.finder_mut() else {
            return;
        };
        // `recall` counts back from the newest query, 0 being the newest.
        let next = match (finder.recall, older) {
            (None, true) => Some(0),
            (None, false) => None,
            (Some(n), true) => Some((n + 1).min(history.len() - 1)),
            (Some(0), false) => None,
            (Some(n), false) => Some(n - 1),
        };
        finder.recall = next;
        let text = next.map_or_else(String::new, |n| history[history.len() - 1 - n].clone());
        finder.set_text(text);
        self.rematch();
    }

    /// Ctrl-s: keeps the query as a saved view, and shows it.
    fn keep_query(&mut self) {
        let Some(Popup::Finder(finder)) = self.popups.pop() else {
            return;
        };
        let query = finder.query.trim().to_owned();
        if query.is_empty() {
            self.message = Some("type a query to keep it as a view".to_owned());
            return;
        }
        self.remember(ExtraChange::Searched(query.clone()));
        self.remember(ExtraChange::KeepQuery(query.clone()));
        self.set_filter(Some(Filter::Query(query.clone())));
        self.message = Some(format!("kept \"{query}\" as a view (v lists views)"));
    }

    fn accept_finder(&mut self) {
        let Some(Popup::Finder(finder)) = self.popups.pop() else {
            return;
        };
        if !finder.query.trim().is_empty() {
            self.remember(ExtraChange::Searched(finder.query.trim().to_owned()));
        }
        let id = match finder.mode {
            FinderMode::Fuzzy => finder
                .matches
                .get(finder.selected)
                .map(|m| self.list.items[m.index].id.clone()),
            FinderMode::FullText => finder
                .hits
                .get(finder.selected)
                .map(|h| h.summary.id.clone()),
        };
        let Some(id) = id else { return };
        if !self.list.select_id(&id) {
            self.list.set_view(View::All, &self.marks);
            self.list.select_id(&id);
        }
        self.jump_list();
        self.open_story(&id, true);
        if layout::single_pane(self.width) {
            self.focus = Focus::Reader;
        }
    }
}
