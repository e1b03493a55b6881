//! `App::update`: the only place the app's state changes.

use chrono::Local;

use super::layout::{self, Focus};
use super::reader::wrap_story;
use super::{Action, App, Effect, Popup, RelatedEntry, View};
use crate::article::ArticleId;

use crate::state::Mark;

/// How many stories the sidebar offers as related by content.
const RELATED_LIMIT: usize = 8;

impl App {
    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        // A key action ends a key sequence under way.
        if self.keymap.bindings().iter().any(|(a, _)| *a == action) {
            self.pending_keys.clear();
        }
        match action {
            Action::PendingKeys(keys) => self.pending_keys = keys,
            Action::OpenLink => self.open_link(),
            Action::OpenFile => self.open_file(),
            Action::CopyLink => self.copy(false),
            Action::CopyText => self.copy(true),
            Action::Export => self.export_view(),
            Action::Quit => self.should_quit = true,
            Action::Down => self.move_focused(1),
            Action::Up => self.move_focused(-1),
            Action::PageDown => self.move_focused(self.page() as isize),
            Action::PageUp => self.move_focused(-(self.page() as isize)),
            Action::HalfPageDown => self.move_focused((self.page() / 2).max(1) as isize),
            Action::HalfPageUp => self.move_focused(-((self.page() / 2).max(1) as isize)),
            Action::Top => self.move_focused(isize::MIN / 2),
            Action::Bottom => self.move_focused(isize::MAX / 2),
            Action::Open => self.open_focused(),
            Action::Back => self.back(),
            Action::Forward => self.forward(),
            Action::FocusNext => self.cycle_focus(1),
            Action::FocusPrev => self.cycle_focus(-1),
            Action::ReadOn => self.read_on(),
            Action::Find => self.open_finder(),
            Action::ToggleRead => self.toggle_mark(|m| m.read = !m.read),
            Action::ToggleSaved => self.toggle_mark(|m| m.saved = !m.saved),
            Action::ViewAll => self.set_view(View::All),
            Action::ViewUnread => self.set_view(View::Unread),
            Action::ViewSaved => self.set_view(View::Saved),
            Action::CycleSort => {
                let sort = self.list.sort.next();
                self.list.set_sort(sort, &self.marks);
                self.message = Some(format!("sorted by {}", sort.name()));
                self.fit_list();
            }
            Action::MarkAllRead => {
                let ids: Vec<ArticleId> = self
                    .list
                    .visible
                    .iter()
                    .map(|&i| self.list.items[i].id.clone())
                    .filter(|id| !self.marks.is_read(id))
                    .collect();
                if ids.is_empty() {
                    self.message = Some("every story in this view is read".to_owned());
                } else {
                    self.popups.push(Popup::ConfirmMarkRead { ids });
                }
            }
            Action::Undo => self.undo(),
            Action::Reload => self.reload(),
            Action::ToggleSidebar => {
                let shown = !self.sidebar_wanted();
                self.show_sidebar = Some(shown);
                if !shown && self.focus == Focus::Sidebar && !layout::single_pane(self.width) {
                    self.focus = Focus::List;
                }
                self.relayout();
            }
            Action::LoadReport => self.popups.push(Popup::LoadReport { scroll: 0 }),
            Action::Help => self.popups.push(Popup::Help { scroll: 0 }),
            Action::ClosePopup => {
                self.popups.pop();
            }
            Action::Confirm(yes) => {
                if let Some(Popup::ConfirmMarkRead { ids }) = self.popups.pop() {
                    if yes {
                        let n = ids.len();
                        self.apply_marks(
                            ids.iter()
                                .map(|id| {
                                    (
                                        id.clone(),
                                        Mark {
                                            read: true,
                                            ..self.marks.get(id)
                                        },
                                    )
                                })
                                .collect(),
                        );
                        self.message = Some(format!(
                            "marked {n} {} read (u undoes)",
                            if n == 1 { "story" } else { "stories" }
                        ));
                    } else {
                        self.message = Some("nothing marked".to_owned());
                    }
                }
            }
            Action::Finder(edit) => self.finder_edit(edit),
            Action::Resize(width, height) => {
                self.width = width;
                self.height = height;
                if layout::single_pane(width)
                    && self.focus == Focus::Sidebar
                    && self.related.is_empty()
                {
                    self.focus = Focus::List;
                }
                self.relayout();
            }
            Action::Tick(now) => self.now = now,
            Action::Click { column, row } => self.click(column, row),
            Action::Wheel { column, row, down } => {
                if self.popups.is_empty()
                    && let Some(pane) = self.panes().at(column, row)
                {
                    let step = if down { 3 } else { -3 };
                    self.move_pane(pane, step);
                }
            }
            Action::LoadProgress { done, total } => {
                self.load.loading = true;
                self.load.done = done;
                self.load.total = total;
                // Fill the list as stories arrive, at every tenth of the way.
                let step = (total / 10).max(500);
                if self.list.items.is_empty() || done >= self.load.refreshed_at + step {
                    self.load.refreshed_at = done;
                    self.refresh_list();
                }
            }
            Action::LoadFinished(report) => {
                self.load.loading = false;
                self.load.done = self.load.total;
                let skipped = report.skipped();
                self.load.report = Some(*report);
                self.adopt_marks();
                self.refresh_list();
                self.refresh_open_story();
                self.effects.push(Effect::BuildRelated);
                if std::mem::take(&mut self.load.again) {
                    self.reload();
                }
                if skipped > 0 {
                    self.message = Some(format!(
                        "{skipped} {} skipped: ! shows why",
                        if skipped == 1 { "file" } else { "files" }
                    ));
                }
            }
            Action::LoadFailed(error) => {
                self.load.loading = false;
                self.message = Some(format!("loading failed: {error}"));
            }
            Action::RelatedReady => {
                // The next query loads the engine the background job saved.
                self.related_index = crate::related::RelatedIndex::new();
                if let Some(id) = self.open_id().cloned() {
                    let selected = self.related.selected;
                    self.load_related(&id);
                    self.related.selected = selected.min(self.related.len().saturating_sub(1));
                }
            }
            Action::MatchResults {
                generation,
                matches,
                done,
            } => self.match_results(generation, matches, done),
            Action::Message(text) => self.message = Some(text),
        }
    }

    /// Rows in the focused pane: the size of a page.
    fn page(&self) -> usize {
        let panes = self.panes();
        let rect = panes.get(self.focus).unwrap_or(panes.status);
        usize::from(layout::inner(rect).height.max(2)) - 1
    }

    fn move_focused(&mut self, delta: isize) {
        if let Some(popup) = self.popups.last_mut() {
            if let Popup::Help { scroll } | Popup::LoadReport { scroll } = popup {
                *scroll = scroll.saturating_add_signed(delta.clamp(-10_000, 10_000));
            }
            return;
        }
        self.move_pane(self.focus, delta);
    }

    fn move_pane(&mut self, pane: Focus, delta: isize) {
        match pane {
            Focus::List => {
                self.list.move_by(delta);
                self.fit_list();
            }
            Focus::Reader => self.reader.scroll_by(delta),
            Focus::Sidebar => {
                let len = self.related.len();
                self.related.selected = if len == 0 {
                    0
                } else {
                    self.related
                        .selected
                        .saturating_add_signed(delta)
                        .min(len - 1)
                };
            }
        }
    }

    /// Keeps the list's selection on screen.
    fn fit_list(&mut self) {
        let rows = self.list_rows();
        self.list.scroll_into_view(rows);
    }

    fn list_rows(&self) -> usize {
        self.panes()
            .list
            .map_or(1, |r| usize::from(layout::inner(r).height))
    }

    /// After a jump (finder, history, sidebar), centres the selection if it
    /// is off screen.
    pub(super) fn jump_list(&mut self) {
        let rows = self.list_rows();
        if self.list.selected < self.list.offset || self.list.selected >= self.list.offset + rows {
            self.list.center(rows);
        }
    }

    /// Rewraps the story when the text width changed, and keeps things in view.
    fn relayout(&mut self) {
        let panes = self.panes();
        // In one-pane mode the reader's size is its size when shown.
        let reader = panes.reader.unwrap_or_else(|| {
            layout::panes(self.width, self.height, Focus::Reader, false)
                .reader
                .unwrap_or_default()
        });
        let text = layout::text_area(reader, self.settings.text_width);
        self.reader.height = text.height;
        if text.width != self.reader.width {
            self.reader.width = text.width;
            self.rewrap();
        }
        self.reader.scroll = self.reader.scroll.min(self.reader.max_scroll());
        self.fit_list();
    }

    fn rewrap(&mut self) {
        if let Some(story) = &self.reader.story {
            let date = story.published.map(|t| {
                t.with_timezone(&Local)
                    .format(&self.settings.date_format)
                    .to_string()
            });
            self.reader.lines = wrap_story(
                story,
                self.reader.width,
                date,
                self.reader.also_in,
                self.settings.justify,
            );
        }
    }

    /// Syncs the library again; asked during a sync, once that one ends.
    fn reload(&mut self) {
        if self.load.loading {
            self.load.again = true;
            return;
        }
        self.load.loading = true;
        self.load.done = 0;
        self.load.total = 0;
        self.load.refreshed_at = 0;
        self.effects.push(Effect::Reload);
    }

    /// After a sync: the open story as the store now has it (its file may
    /// have changed), at the same scroll position.
    fn refresh_open_story(&mut self) {
        let Some(id) = self.open_id().cloned() else {
            return;
        };
        if let Ok(Some(story)) = self.store.story(&id)
            && Some(&story) != self.reader.story.as_ref()
        {
            let scroll = self.reader.scroll;
            self.reader.story = Some(story);
            self.rewrap();
            self.reader.scroll = scroll.min(self.reader.max_scroll());
        }
    }

    /// Reloads the stories from the store, keeping the selection.
    fn refresh_list(&mut self) {
        let roots = self.roots.clone();
        let result = self
            .store
            .scope_to_roots(&roots)
            .and_then(|()| self.store.all_summaries());
        match result {
            Ok(items) => {
                self.groups = self.store.groups().unwrap_or_default();
                self.list.set_items(items, &self.marks);
                self.fit_list();
                if let Some(Popup::Finder(f)) = self.popups.last_mut() {
                    // Indices into the old list are stale: match again.
                    f.generation += 1;
                }
                self.rematch();
            }
            Err(e) => self.message = Some(format!("cannot read the store: {e}")),
        }
    }

    fn open_focused(&mut self) {
        match self.focus {
            Focus::List => {
                if let Some(id) = self.list.selected_id() {
                    self.open_story(&id, true);
                    if layout::single_pane(self.width) {
                        self.focus = Focus::Reader;
                    }
                }
            }
            Focus::Sidebar => {
                if let Some(entry) = self.related.get(self.related.selected) {
                    let id = entry.story.id.clone();
                    self.open_story(&id, true);
                    self.list.select_id(&id);
                    self.jump_list();
                    if layout::single_pane(self.width) {
                        self.focus = Focus::Reader;
                    }
                }
            }
            Focus::Reader => {}
        }
    }

    /// Opens a story in the reader and marks it read. `record` puts the
    /// story it replaces on the back history.
    pub fn open_story(&mut self, id: &ArticleId, record: bool) {
        let story = match self.store.story(id) {
            Ok(Some(story)) => story,
            Ok(None) if self.load.loading => {
                self.message = Some(format!(
                    "story {id} is still being indexed: try again in a moment"
                ));
                return;
            }
            Ok(None) => {
                self.message = Some(format!("story {id} is no longer in the library"));
                return;
            }
            Err(e) => {
                self.message = Some(format!("cannot read story {id}: {e}"));
                return;
            }
        };
        if record
            && let Some(current) = self.open_id().cloned()
            && &current != id
        {
            self.history.back.push(current);
            self.history.forward.clear();
        }
        self.reader.story = Some(story);
        self.reader.also_in = self.store.near_duplicates(id).map_or(0, |d| d.len());
        self.reader.scroll = 0;
        self.relayout();
        self.rewrap();
        self.load_related(id);
        if self.settings.mark_read_on_open && !self.marks.is_read(id) {
            self.apply_marks(vec![(
                id.clone(),
                Mark {
                    read: true,
                    ..self.marks.get(id)
                },
            )]);
        }
    }

    fn load_related(&mut self, id: &ArticleId) {
        let listed_ids = self
            .reader
            .story
            .as_ref()
            .map(|s| s.related_on_page.clone())
            .unwrap_or_default();
        let listed: Vec<RelatedEntry> = listed_ids
            .iter()
            .filter_map(|rid| self.store.summary(rid).ok().flatten())
            .map(|story| RelatedEntry { story, score: None })
            .collect();
        // The engine once it is built (in the background); shared words until then.
        let want = RELATED_LIMIT + listed.len();
        let found = match self.related_index.related(&self.store, id, want, false) {
            Ok(Some(found)) => {
                self.related.pending = false;
                Ok(found)
            }
            Ok(None) => {
                self.related.pending = true;
                self.store.related_by_words(id, want)
            }
            Err(e) => Err(e),
        };
        let computed = match found {
            Ok(found) => found
                .into_iter()
                .filter(|(s, _)| !listed_ids.contains(&s.id))
                .take(RELATED_LIMIT)
                .map(|(story, score)| RelatedEntry {
                    story,
                    score: Some(score),
                })
                .collect(),
            Err(e) => {
                self.message = Some(format!("cannot rank related stories: {e}"));
                Vec::new()
            }
        };
        self.related.computed = computed;
        self.related.listed = listed;
        self.related.selected = 0;
    }

    fn back(&mut self) {
        if let Some(id) = self.history.back.pop() {
            if let Some(current) = self.open_id().cloned() {
                self.history.forward.push(current);
            }
            self.open_story(&id, false);
            self.list.select_id(&id);
            self.jump_list();
        } else if layout::single_pane(self.width) && self.focus != Focus::List {
            self.focus = Focus::List;
            self.relayout();
        } else {
            self.message = Some("no earlier story".to_owned());
        }
    }

    fn forward(&mut self) {
        if let Some(id) = self.history.forward.pop() {
            if let Some(current) = self.open_id().cloned() {
                self.history.back.push(current);
            }
            self.open_story(&id, false);
            self.list.select_id(&id);
            self.jump_list();
        } else {
            self.message = Some("no later story".to_owned());
        }
    }

    fn cycle_focus(&mut self, step: isize) {
        let order = [Focus::List, Focus::Reader, Focus::Sidebar];
        let shown = if layout::single_pane(self.width) {
            order.to_vec()
        } else {
            self.panes().shown()
        };
        // A screen too small for any pane has nothing to move focus to.
        if shown.is_empty() {
            return;
        }
        let at = shown.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let next = (at + step).rem_euclid(shown.len() as isize) as usize;
        self.focus = shown[next];
        self.relayout();
    }

    /// Space: scroll the story; at its end, open the next unread one.
    fn read_on(&mut self) {
        if self.reader.story.is_none() {
            if let Some(id) = self.list.selected_id() {
                self.open_story(&id, true);
            }
            return;
        }
        if !self.reader.at_end() {
            self.reader
                .scroll_by(self.reader.height.saturating_sub(2).max(1) as isize);
            return;
        }
        let current = self.open_id().cloned();
        match self.list.next_unread_after(&self.marks, current.as_ref()) {
            Some(pos) => {
                self.list.selected = pos;
                self.fit_list();
                let id = self.list.items[self.list.visible[pos]].id.clone();
                self.open_story(&id, true);
            }
            None => self.message = Some("no more unread stories".to_owned()),
        }
    }

    fn set_view(&mut self, view: View) {
        self.list.set_view(view, &self.marks);
        self.list.offset = 0;
        self.fit_list();
    }

    fn click(&mut self, column: u16, row: u16) {
        if !self.popups.is_empty() {
            return;
        }
        let panes = self.panes();
        let Some(pane) = panes.at(column, row) else {
            return;
        };
        let inner = layout::inner(panes.get(pane).unwrap_or_default());
        let line = usize::from(row.saturating_sub(inner.y));
        let inside = row >= inner.y && row < inner.y + inner.height;
        self.focus = pane;
        match pane {
            Focus::List if inside => {
                let pos = self.list.offset + line;
                if pos < self.list.visible.len() {
                    if pos == self.list.selected {
                        self.open_focused();
                    } else {
                        self.list.selected = pos;
                    }
                }
            }
            Focus::Sidebar if inside => {
                if let Some(index) = self.related.entry_at_row(line, usize::from(inner.height)) {
                    if index == self.related.selected {
                        self.open_focused();
                    } else {
                        self.related.selected = index;
                    }
                }
            }
            _ => {}
        }
    }
}
