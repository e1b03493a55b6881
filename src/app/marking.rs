//! Read and saved marks from the interface: what a mark applies to, group
//! marks for near-duplicates, undo. Every change goes out to be saved at
//! once (an [`Effect::SaveMarks`]); the answer says if it could not be.

use super::layout::Focus;
use super::{App, Effect};
use crate::article::ArticleId;
use crate::state::{Mark, MarkSet};

impl App {
    /// The story a mark applies to: the focused pane's.
    pub(super) fn target(&self) -> Option<ArticleId> {
        match self.focus {
            Focus::List => self.list.selected_id(),
            Focus::Reader => self.open_id().cloned(),
            Focus::Sidebar => self
                .sidebar
                .get(self.sidebar.selected)
                .map(|e| e.story.id.clone()),
        }
    }

    /// Changes the mark of the story at hand, and says what it did.
    pub(super) fn toggle_mark(
        &mut self,
        change: impl Fn(&mut Mark),
        said: impl Fn(&Mark) -> &'static str,
    ) {
        let Some(id) = self.target() else {
            self.message = Some("no story here to mark".to_owned());
            return;
        };
        let mut mark = self.marks.get(&id);
        change(&mut mark);
        self.message = Some(format!("{} (u undoes)", said(&mark)));
        self.apply_marks(vec![(id, mark)]);
    }

    /// Sets marks, remembers the old ones for undo, and has them saved.
    pub(super) fn apply_marks(&mut self, changes: Vec<(ArticleId, Mark)>) {
        // A mark on one story of a near-duplicate group is a mark on all of it.
        let mut seen = std::collections::HashSet::new();
        let mut spread = Vec::new();
        for (id, mark) in changes {
            for one in self.groups.with_twins(std::slice::from_ref(&id)) {
                if seen.insert(one.clone()) {
                    spread.push((one, mark.clone()));
                }
            }
        }
        let before: Vec<(ArticleId, Mark)> = spread
            .iter()
            .map(|(id, _)| (id.clone(), self.marks.get(id)))
            .collect();
        self.undo.push(before);
        self.set_marks(spread);
    }

    pub(super) fn undo(&mut self) {
        let Some(group) = self.undo.pop() else {
            self.message = Some("nothing to undo".to_owned());
            return;
        };
        let n = group.len();
        self.set_marks(group);
        self.message = Some(format!(
            "undid the marks of {}",
            crate::fmt::plural(n, "story", "stories")
        ));
    }

    /// Sets marks here and sends them to be saved.
    fn set_marks(&mut self, changes: Vec<(ArticleId, Mark)>) {
        for (id, mark) in &changes {
            self.marks.set(id, mark.clone());
        }
        self.recount();
        self.marks_sent += 1;
        self.effects.push(Effect::SaveMarks {
            generation: self.marks_sent,
            changes,
        });
    }

    /// After a sync: marks kept under older IDs are carried over by the
    /// worker, which answers with the marks as they then are.
    pub(super) fn adopt_marks(&mut self) {
        self.marks_sent += 1;
        self.effects.push(Effect::AdoptMarks {
            generation: self.marks_sent,
        });
    }

    /// The worker's answer to a save: the marks as merged, if they differ
    /// from ours, once no newer save is on its way; and any error.
    pub(super) fn marks_saved(
        &mut self,
        generation: u64,
        merged: Option<MarkSet>,
        error: Option<String>,
    ) {
        if let Some(marks) = merged
            && generation == self.marks_sent
        {
            self.marks = marks;
            self.recount();
            let keep = self.list.selected_id();
            self.list.refilter(&self.marks, keep.as_ref());
            self.fit_list();
        }
        match error {
            Some(error) => self.fail(super::Trouble::Saving, error),
            None => self.recovered(super::Trouble::Saving),
        }
    }
}
