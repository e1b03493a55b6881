//! `App::update`: the only place the app's state changes.

use chrono::Local;

use super::layout::{self, Focus};
use super::reader::wrap_story;
use super::{Action, App, Effect, Popup, Then, View};
use crate::article::ArticleId;
use crate::state::Mark;

impl App {
    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        // A key action ends a key sequence under way.
        let bound = self.keymap.bindings().iter().any(|(a, _)| *a == action);
        if bound {
            self.pending_keys.clear();
        }
        // Input clears the last message (a lasting trouble still shows),
        // and anything but a click ends a double click.
        if bound || action.is_input() {
            self.message = None;
            if !matches!(action, Action::Click { .. }) {
                self.last_click = None;
            }
        }
        match action {
            Action::PendingKeys(keys) => self.pending_keys = keys,
            Action::OpenLink => self.with_story_at_hand(Then::OpenLink),
            Action::OpenFile => self.with_story_at_hand(Then::OpenFile),
            Action::CopyLink => self.with_story_at_hand(Then::CopyLink),
            Action::CopyText => self.with_story_at_hand(Then::CopyText),
            Action::Export => self.export_view(),
            Action::Quit => self.quit(),
            Action::Sources => self.open_sources(),
            Action::Fetch => self.fetch(),
            Action::ClearFilter => self.set_filter(None),
            Action::CycleDates => {
                let dates = self.list.dates_shown().next();
                self.list.dates = Some(dates);
                self.message = Some(format!("list times: {}", dates.name()));
            }
            Action::NextUnread => self.step_unread(true),
            Action::PrevUnread => self.step_unread(false),
            Action::MarkReadNext => self.mark_read_next(),
            Action::AddTag => self.ask_tag(true),
            Action::RemoveTag => self.ask_tag(false),
            Action::Pipe => self.ask_pipe(),
            Action::Pick => self.pick_source(),
            Action::Forget => self.forget_query(),
            Action::Prompt(edit) => self.prompt_edit(edit),
            Action::Open => self.open_focused(),
            Action::Back => self.back(),
            Action::Forward => self.forward(),
            Action::FocusNext => self.cycle_focus(1),
            Action::FocusPrev => self.cycle_focus(-1),
            Action::ReadOn => self.read_on(),
            Action::Find => self.open_finder(),
            Action::ToggleRead => self.toggle_mark(
                |m| m.read = !m.read,
                |m| {
                    if m.read {
                        "marked read"
                    } else {
                        "marked unread"
                    }
                },
            ),
            Action::ToggleSaved => self.toggle_mark(
                |m| m.saved = !m.saved,
                |m| {
                    if m.saved { "saved" } else { "no longer saved" }
                },
            ),
            Action::ViewAll => self.set_view(View::All),
            Action::ViewUnread => self.set_view(View::Unread),
            Action::ViewSaved => self.set_view(View::Saved),
            Action::CycleSort => self.cycle_sort(),
            Action::MarkAllRead => self.ask_mark_all_read(),
            Action::Confirm(yes) => self.confirm(yes),
            Action::Undo => self.undo(),
            Action::Sync => self.reload(),
            Action::Reload => {
                self.load.asked = Some(self.list.items.iter().map(|s| s.id.clone()).collect());
                self.message = Some(super::answers::RELOADING.to_owned());
                self.reload();
            }
            Action::ToggleSidebar => self.toggle_sidebar(),
            Action::LoadReport => self.popups.push(Popup::LoadReport { scroll: 0 }),
            Action::Help => self.popups.push(Popup::Help { scroll: 0 }),
            Action::ClosePopup => {
                self.popups.pop();
            }
            Action::Finder(edit) => self.finder_edit(edit),
            Action::Resize(width, height) => self.resize(width, height),
            Action::Tick(now) => self.now = now,
            Action::Click { column, row } => self.click(column, row),
            Action::Wheel { column, row, down } => self.wheel(column, row, down),
            Action::Message(text) => self.message = Some(text),
            motion if motion.is_motion() => self.motion(&motion),
            answer => self.answer(answer),
        }
    }

    /// Moves in the focused pane (or scrolls the top popup).
    fn motion(&mut self, action: &Action) {
        let page = self.page() as isize;
        let half = (page / 2).max(1);
        let delta = match action {
            Action::Down => 1,
            Action::Up => -1,
            Action::PageDown => page,
            Action::PageUp => -page,
            Action::HalfPageDown => half,
            Action::HalfPageUp => -half,
            Action::Top => isize::MIN / 2,
            _ => isize::MAX / 2,
        };
        self.move_focused(delta);
    }

    fn cycle_sort(&mut self) {
        let sort = self.list.sort.next();
        self.list.set_sort(sort, &self.marks);
        self.message = Some(format!("sorted by {}", sort.name()));
        self.fit_list();
    }

    /// `A`: asks before marking every unread story in the view read.
    fn ask_mark_all_read(&mut self) {
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

    fn confirm(&mut self, yes: bool) {
        let Some(Popup::ConfirmMarkRead { ids }) = self.popups.pop() else {
            return;
        };
        if !yes {
            self.message = Some("nothing marked".to_owned());
            return;
        }
        let n = ids.len();
        let changes = ids
            .into_iter()
            .map(|id| {
                let mark = Mark {
                    read: true,
                    ..self.marks.get(&id)
                };
                (id, mark)
            })
            .collect();
        self.apply_marks(changes);
        self.message = Some(format!(
            "marked {} read (u undoes)",
            crate::fmt::plural(n, "story", "stories")
        ));
    }

    fn toggle_sidebar(&mut self) {
        let shown = !self.sidebar_wanted();
        self.show_sidebar = Some(shown);
        self.message = Some(
            if shown {
                "related sidebar shown"
            } else {
                "related sidebar hidden"
            }
            .to_owned(),
        );
        if !shown && self.focus == Focus::Sidebar && !layout::single_pane(self.width) {
            self.focus = Focus::List;
        }
        self.relayout();
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        if layout::single_pane(width) && self.focus == Focus::Sidebar && self.sidebar.is_empty() {
            self.focus = Focus::List;
        }
        self.relayout();
    }

    /// Rows in the focused pane: the size of a page.
    fn page(&self) -> usize {
        let panes = self.panes();
        let rect = panes.get(self.focus).unwrap_or(panes.status);
        usize::from(layout::inner(rect).height.max(2)) - 1
    }

    fn move_focused(&mut self, delta: isize) {
        if let Some(popup) = self.popups.last_mut() {
            match popup {
                Popup::Help { scroll } | Popup::LoadReport { scroll } => {
                    *scroll = scroll.saturating_add_signed(delta.clamp(-10_000, 10_000));
                }
                Popup::Sources(view) => view.move_by(delta),
                _ => {}
            }
            return;
        }
        self.move_pane(self.focus, delta);
    }

    pub(super) fn move_pane(&mut self, pane: Focus, delta: isize) {
        match pane {
            Focus::List => {
                self.list.move_by(delta);
                self.fit_list();
            }
            Focus::Reader => self.reader.scroll_by(delta),
            Focus::Sidebar => {
                let len = self.sidebar.len();
                self.sidebar.selected = if len == 0 {
                    0
                } else {
                    self.sidebar
                        .selected
                        .saturating_add_signed(delta)
                        .min(len - 1)
                };
            }
        }
    }

    /// Keeps the list's selection on screen.
    pub(super) fn fit_list(&mut self) {
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
    pub(super) fn relayout(&mut self) {
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

    pub(super) fn rewrap(&mut self) {
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
                self.reader.copies,
                self.settings.justify,
            );
        }
    }

    /// Syncs the library again; asked during a sync, once that one ends.
    pub(super) fn reload(&mut self) {
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

    pub(super) fn open_focused(&mut self) {
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
                if let Some(entry) = self.sidebar.get(self.sidebar.selected) {
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
        self.message = Some(format!(
            "{}: {}",
            view.name(),
            crate::fmt::plural(self.list.visible.len(), "story", "stories")
        ));
    }
}
