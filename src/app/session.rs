//! Where the reader was: kept at quit (view, sort, filter, selection, open
//! story and scroll) and brought back at the next start, a story that is
//! gone falling back quietly. And the next and previous unread story.

use super::{App, Dates, Effect, Focus, View, layout};
use crate::article::ArticleId;
use crate::state::{ExtraChange, Mark, Session};
use crate::view::Sort;

impl App {
    /// Sends a change to the session, history or saved queries to be
    /// kept with the marks.
    pub(super) fn remember(&mut self, change: ExtraChange) {
        self.extras.apply(&change);
        self.marks_sent += 1;
        self.effects.push(Effect::Remember {
            generation: self.marks_sent,
            change,
        });
    }

    /// Where the reader is now.
    pub fn session(&self) -> Session {
        Session {
            view: self.list.view.name().to_lowercase(),
            sort: self.list.sort.name().to_owned(),
            filter: self.list.filter.clone(),
            selected: self.list.selected_id(),
            open: self.open_id().cloned(),
            scroll: self.reader.scroll,
            dates: self.list.dates.map(|d| d.name().to_owned()),
        }
    }

    /// Quitting: the session goes out to be kept before the app stops.
    pub(super) fn quit(&mut self) {
        let session = self.session();
        if self.extras.session.as_ref() != Some(&session) {
            self.remember(ExtraChange::Session(session));
        }
        self.should_quit = true;
    }

    /// At start: the view, sort and filter of the last session at once;
    /// its selection, open story and scroll once the list has them.
    pub fn restore(&mut self, session: Session) {
        let view = match session.view.as_str() {
            "unread" => View::Unread,
            "saved" => View::Saved,
            _ => View::All,
        };
        self.list.view = view;
        if let Some(sort) = Sort::parse(&session.sort) {
            self.list.sort = sort;
        }
        self.list.filter = session.filter.clone();
        self.folders_wanted = matches!(session.filter, Some(crate::state::Filter::Folder(_)));
        self.list.dates = [Dates::Age, Dates::Date, Dates::Day]
            .into_iter()
            .find(|d| session.dates.as_deref() == Some(d.name()));
        self.restoring = Some(session);
    }

    /// The list has stories: select and open what the session had, if
    /// they are still there.
    pub(super) fn finish_restore(&mut self) {
        if self.list.items.is_empty() {
            return;
        }
        let Some(session) = self.restoring.take() else {
            return;
        };
        if let Some(id) = &session.selected
            && self.list.select_id(id)
        {
            self.jump_list();
        }
        if let Some(id) = session.open
            && self.list.items.iter().any(|s| s.id == id)
        {
            self.pending_scroll = Some((id.clone(), session.scroll));
            self.open_story(&id, false);
        }
    }

    /// `n` and `N`: opens the next (or previous) unread story in the list
    /// after (or before) the one at hand, from any pane.
    pub(super) fn step_unread(&mut self, forward: bool) {
        // From the open story; with none open, from the selection, which
        // counts itself.
        let unread = |p: &usize| {
            !self
                .marks
                .is_read(&self.list.items[self.list.visible[*p]].id)
        };
        let len = self.list.visible.len();
        if len == 0 {
            self.message = Some("no stories in this view".to_owned());
            return;
        }
        let found = match self.open_id().and_then(|id| self.position_of(id)) {
            Some(at) if forward => (at + 1..len).find(unread),
            Some(at) => (0..at).rev().find(unread),
            None if forward => (self.list.selected.min(len)..len).find(unread),
            None => (0..=self.list.selected.min(len.saturating_sub(1)))
                .rev()
                .find(unread),
        };
        let Some(pos) = found else {
            self.message = Some(
                if forward {
                    "no unread story after this one"
                } else {
                    "no unread story before this one"
                }
                .to_owned(),
            );
            return;
        };
        self.list.selected = pos;
        self.jump_list();
        let id = self.list.items[self.list.visible[pos]].id.clone();
        self.open_story(&id, true);
        if layout::single_pane(self.width) {
            self.focus = Focus::Reader;
        }
    }

    /// `m`: marks the story at hand read and moves to the next one in the
    /// list, as newsboat does.
    pub(super) fn mark_read_next(&mut self) {
        let Some(id) = self.target() else {
            self.message = Some("no story here to mark".to_owned());
            return;
        };
        let mark = Mark {
            read: true,
            ..self.marks.get(&id)
        };
        self.apply_marks(vec![(id.clone(), mark)]);
        let pos = self.position_of(&id).unwrap_or(self.list.selected);
        // In the unread view the story just read leaves the list; the one
        // after it takes its place.
        let keep = self.list.selected_id();
        self.list.refilter(&self.marks, keep.as_ref());
        let next = if self.list.select_id(&id) {
            pos + 1
        } else {
            pos
        };
        self.list.selected = next.min(self.list.visible.len().saturating_sub(1));
        self.fit_list();
        self.message = Some("marked read (u undoes)".to_owned());
    }

    /// Where a story is in the list as it shows now.
    fn position_of(&self, id: &ArticleId) -> Option<usize> {
        self.list
            .visible
            .iter()
            .position(|&i| &self.list.items[i].id == id)
    }
}
