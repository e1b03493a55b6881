//! The fuzzy finder's part of `App::update`: editing the query, ranking
//! (here or in the background), and opening the pick.

use super::layout::{self, Focus};
use super::{App, Effect, FinderEdit, FinderMode, Popup, View};
use crate::search;
use crate::store::TextHit;

impl App {
    pub(super) fn open_finder(&mut self) {
        let mut finder = super::Finder {
            restore: self.list.selected_id(),
            ..Default::default()
        };
        finder.matches = search::rank(self.list.items.as_slice(), "");
        self.popups.push(Popup::Finder(Box::new(finder)));
    }

    fn finder_mut(&mut self) -> Option<&mut super::Finder> {
        match self.popups.last_mut() {
            Some(Popup::Finder(f)) => Some(f),
            _ => None,
        }
    }

    pub(super) fn finder_edit(&mut self, edit: FinderEdit) {
        let Some(finder) = self.finder_mut() else {
            return;
        };
        let before = finder.query.clone();
        match edit {
            FinderEdit::Insert(c) => finder.insert(c),
            FinderEdit::Backspace => finder.backspace(),
            FinderEdit::Delete => finder.delete(),
            FinderEdit::DeleteWord => finder.delete_word(),
            FinderEdit::Clear => finder.clear(),
            FinderEdit::Left => finder.left(),
            FinderEdit::Right => finder.right(),
            FinderEdit::Home => finder.cursor = 0,
            FinderEdit::End => finder.end(),
            FinderEdit::Next => finder.move_selection(1),
            FinderEdit::Prev => finder.move_selection(-1),
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
                finder.searching = true;
                Effect::Match {
                    generation,
                    query,
                    items,
                }
            }
            FinderMode::Fuzzy => {
                finder.matches = search::rank(items.as_slice(), &query);
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

    pub(super) fn match_results(
        &mut self,
        generation: u64,
        matches: Vec<search::Match>,
        done: bool,
    ) {
        let Some(finder) = self.finder_mut() else {
            return;
        };
        if finder.generation != generation {
            return; // an older query's results
        }
        finder.matches.extend(matches);
        finder
            .matches
            .sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        finder.searching = !done;
    }

    fn accept_finder(&mut self) {
        let Some(Popup::Finder(finder)) = self.popups.pop() else {
            return;
        };
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
