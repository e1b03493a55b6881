//! The fuzzy finder popup: a query line, ranked matches with their matched
//! positions, and a full-text mode.

use crate::article::ArticleId;
use crate::search::Match;
use crate::store::TextHit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FinderMode {
    #[default]
    Fuzzy,
    FullText,
}

#[derive(Debug, Clone, Default)]
pub struct Finder {
    pub query: String,
    /// The cursor, in chars.
    pub cursor: usize,
    pub mode: FinderMode,
    /// Fuzzy matches: indices into the list's items, best first (while
    /// ranking goes on, the best so far).
    pub matches: Vec<Match>,
    /// How many fuzzy matches were found (so far): at least `matches.len()`.
    pub matched: usize,
    /// Full-text hits.
    pub hits: Vec<TextHit>,
    pub selected: usize,
    /// Bumped on every query change; results of older ones are dropped.
    pub generation: u64,
    /// Matching is still running in the background.
    pub searching: bool,
    /// More full-text hits were found than are shown.
    pub more: bool,
    /// Walking the history: how far back from the newest query.
    pub recall: Option<usize>,
    /// The story selected before the finder opened, restored on Esc.
    pub restore: Option<ArticleId>,
}

impl super::line::LineEdit for Finder {
    fn line(&mut self) -> (&mut String, &mut usize) {
        (&mut self.query, &mut self.cursor)
    }
}

impl Finder {
    /// How many results the title counts: every match found, shown or not.
    pub fn found(&self) -> usize {
        match self.mode {
            FinderMode::Fuzzy => self.matched.max(self.matches.len()),
            FinderMode::FullText => self.hits.len(),
        }
    }

    /// How many results the current mode has to show.
    pub fn result_count(&self) -> usize {
        match self.mode {
            FinderMode::Fuzzy => self.matches.len(),
            FinderMode::FullText => self.hits.len(),
        }
    }

    pub fn move_selection(&mut self, delta: isize) {
        let count = self.result_count();
        self.selected = if count == 0 {
            0
        } else {
            self.selected.saturating_add_signed(delta).min(count - 1)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::line::LineEdit;
    use super::*;

    #[test]
    fn editing_works_on_chars_not_bytes() {
        let mut f = Finder::default();
        for c in "深圳 bus".chars() {
            f.insert(c);
        }
        f.left();
        f.left();
        f.left();
        f.insert('x');
        assert_eq!(f.query, "深圳 xbus");
        f.backspace();
        f.delete();
        assert_eq!(f.query, "深圳 us");
        f.end();
        f.delete_word();
        assert_eq!(f.query, "深圳 ");
        f.delete_word();
        assert_eq!(f.query, "");
        assert_eq!(f.cursor, 0);
    }
}
