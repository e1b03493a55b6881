//! Read and saved marks from the interface: what a mark applies to, group
//! marks for near-duplicates, undo, and saving at once.

use super::App;
use super::layout::Focus;
use crate::article::ArticleId;
use crate::state::Mark;

impl App {
    /// The story a mark applies to: the focused pane's.
    pub(super) fn target(&self) -> Option<ArticleId> {
        match self.focus {
            Focus::List => self.list.selected_id(),
            Focus::Reader => self.open_id().cloned(),
            Focus::Sidebar => self
                .related
                .get(self.related.selected)
                .map(|e| e.story.id.clone()),
        }
    }

    pub(super) fn toggle_mark(&mut self, change: impl Fn(&mut Mark)) {
        let Some(id) = self.target() else { return };
        let mut mark = self.marks.get(&id);
        change(&mut mark);
        self.apply_marks(vec![(id, mark)]);
    }

    /// Sets marks, remembers the old ones for undo, and saves at once.
    pub(super) fn apply_marks(&mut self, changes: Vec<(ArticleId, Mark)>) {
        // A mark on one story of a near-duplicate group is a mark on all of it.
        let mut seen = std::collections::HashSet::new();
        let mut spread = Vec::new();
        for (id, mark) in changes {
            for one in self.groups.with_twins(std::slice::from_ref(&id)) {
                if seen.insert(one.clone()) {
                    spread.push((one, mark));
                }
            }
        }
        let changes = spread;
        let before: Vec<(ArticleId, Mark)> = changes
            .iter()
            .map(|(id, _)| (id.clone(), self.marks.get(id)))
            .collect();
        for (id, mark) in &changes {
            self.marks.set(id, *mark);
        }
        self.undo.push(before);
        self.save_marks();
    }

    pub(super) fn undo(&mut self) {
        let Some(group) = self.undo.pop() else {
            self.message = Some("nothing to undo".to_owned());
            return;
        };
        let n = group.len();
        for (id, mark) in &group {
            self.marks.set(id, *mark);
        }
        self.save_marks();
        self.message = Some(format!(
            "undid the marks of {n} {}",
            if n == 1 { "story" } else { "stories" }
        ));
    }

    /// Carries marks kept under older IDs over to the stories they name
    /// after a load (see `Marks::adopt`).
    pub(super) fn adopt_marks(&mut self) {
        let renamed = self
            .store
            .renamed(&self.marks.marked_ids())
            .unwrap_or_default();
        let legacy = self
            .store
            .legacy_matches(&self.marks.legacy_ids())
            .unwrap_or_default();
        if !renamed.is_empty() || !legacy.is_empty() {
            self.marks.adopt(&renamed, &legacy);
            self.save_marks();
        }
    }

    pub(super) fn save_marks(&mut self) {
        if let Err(e) = self.marks.save() {
            self.message = Some(e.to_string());
        }
    }
}
