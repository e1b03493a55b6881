//! The mouse: a click selects a row or focuses a pane, a second click on
//! the same row opens it; the wheel scrolls the pane under the pointer.

use super::App;
use super::layout::{self, Focus};

impl App {
    pub(super) fn click(&mut self, column: u16, row: u16) {
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
        let row_hit = match pane {
            Focus::List if inside => {
                let pos = self.list.offset + line;
                (pos < self.list.visible.len()).then(|| {
                    self.list.selected = pos;
                    pos
                })
            }
            Focus::Sidebar if inside => self
                .sidebar
                .entry_at_row(line, usize::from(inner.height))
                .inspect(|&index| self.sidebar.selected = index),
            _ => None,
        };
        // The first click on a row selects it (even one already selected);
        // a second click on the same row opens it.
        let hit = row_hit.map(|n| (pane, n));
        if hit.is_some() && self.last_click == hit {
            self.last_click = None;
            self.open_focused();
        } else {
            self.last_click = hit;
        }
    }

    pub(super) fn wheel(&mut self, column: u16, row: u16, down: bool) {
        if self.popups.is_empty()
            && let Some(pane) = self.panes().at(column, row)
        {
            self.move_pane(pane, if down { 3 } else { -3 });
        }
    }
}
