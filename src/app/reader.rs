//! The reading pane: the open story, wrapped once per width, and the scroll.

use crate::article::Article;

pub use crate::render::{LineKind, StyledLine, meta_line};

#[derive(Debug, Clone, Default)]
pub struct Reader {
    pub story: Option<Article>,
    /// `story` wrapped at `width` columns.
    pub lines: Vec<StyledLine>,
    pub width: u16,
    /// The first line shown.
    pub scroll: usize,
    /// Lines the pane shows at once.
    pub height: u16,
    /// Near-duplicates of the open story.
    pub copies: crate::render::Copies,
}

/// Wraps a story for a text area `width` columns wide.
pub fn wrap_story(
    story: &Article,
    width: u16,
    date: Option<String>,
    copies: crate::render::Copies,
    justify: bool,
) -> Vec<StyledLine> {
    let ctx = crate::render::Context {
        date,
        copies,
        ident: false,
    };
    crate::render::wrap(
        &crate::render::blocks(story, &ctx),
        usize::from(width),
        justify,
    )
}

impl Reader {
    /// The last scroll position that still fills the pane.
    pub fn max_scroll(&self) -> usize {
        self.lines
            .len()
            .saturating_sub(usize::from(self.height.max(1)))
    }

    pub fn at_end(&self) -> bool {
        self.scroll >= self.max_scroll()
    }

    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll());
    }

    /// How far through the story the bottom of the pane is, in percent.
    pub fn percent(&self) -> usize {
        if self.lines.is_empty() {
            return 100;
        }
        let seen = (self.scroll + usize::from(self.height)).min(self.lines.len());
        seen * 100 / self.lines.len()
    }
}
