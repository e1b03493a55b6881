//! Where each pane goes: one pure function used both by `update` (page
//! sizes, wrapping width, mouse hits) and by the renderer.

use ratatui::layout::Rect;

/// The panes that can have the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
    Sidebar,
}

/// Below this the screen says "terminal too small".
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// From this width the sidebar is always shown.
pub const WIDE: u16 = 120;
/// From this width the list and the reader share the screen.
pub const MEDIUM: u16 = 80;
/// The reading measure: text is wrapped to at most this many columns.
pub const MEASURE: u16 = 80;

/// The screen's panes; a pane that is not shown is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    pub sidebar: Option<Rect>,
    pub status: Rect,
    pub too_small: bool,
}

impl Panes {
    pub fn get(&self, focus: Focus) -> Option<Rect> {
        match focus {
            Focus::List => self.list,
            Focus::Reader => self.reader,
            Focus::Sidebar => self.sidebar,
        }
    }

    /// The pane at a screen position.
    pub fn at(&self, column: u16, row: u16) -> Option<Focus> {
        let hit = |r: Option<Rect>| r.is_some_and(|r| r.contains((column, row).into()));
        [Focus::List, Focus::Reader, Focus::Sidebar]
            .into_iter()
            .find(|f| hit(self.get(*f)))
    }

    /// The panes on screen, left to right.
    pub fn shown(&self) -> Vec<Focus> {
        [Focus::List, Focus::Reader, Focus::Sidebar]
            .into_iter()
            .filter(|f| self.get(*f).is_some())
            .collect()
    }
}

/// Is the screen so narrow that one pane shows at a time?
pub fn single_pane(width: u16) -> bool {
    width < MEDIUM
}

/// Lays out a `width` x `height` screen.
pub fn panes(width: u16, height: u16, focus: Focus, show_sidebar: bool) -> Panes {
    let area = Rect::new(0, 0, width, height);
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Panes {
            status: area,
            too_small: true,
            ..Panes::default()
        };
    }
    let status_rows = if height >= 10 { 2 } else { 1 };
    let body = Rect::new(0, 0, width, height - status_rows);
    let status = Rect::new(0, height - status_rows, width, status_rows);
    let mut panes = Panes {
        status,
        ..Panes::default()
    };
    if single_pane(width) {
        match focus {
            Focus::List => panes.list = Some(body),
            Focus::Reader => panes.reader = Some(body),
            Focus::Sidebar => panes.sidebar = Some(body),
        }
        return panes;
    }
    // Below WIDE three columns would leave the story a sliver: the sidebar
    // goes under the story instead, where the height allows.
    let stacked = show_sidebar && width < WIDE && body.height >= STACK_MIN_HEIGHT;
    let (list_w, sidebar_w) = if show_sidebar && !stacked {
        let list_w = (width * 32 / 100).max(30);
        let sidebar_w = (width * 24 / 100).max(24);
        (list_w, sidebar_w)
    } else {
        ((width * 38 / 100).max(30), 0)
    };
    let reader_w = width - list_w - sidebar_w;
    panes.list = Some(Rect::new(0, 0, list_w, body.height));
    if stacked {
        let sidebar_h = (body.height * 2 / 5).max(6);
        let reader_h = body.height - sidebar_h;
        panes.reader = Some(Rect::new(list_w, 0, reader_w, reader_h));
        panes.sidebar = Some(Rect::new(list_w, reader_h, reader_w, sidebar_h));
        return panes;
    }
    panes.reader = Some(Rect::new(list_w, 0, reader_w, body.height));
    if show_sidebar {
        panes.sidebar = Some(Rect::new(list_w + reader_w, 0, sidebar_w, body.height));
    }
    panes
}

/// Below this many body rows a medium screen keeps the sidebar beside the
/// story rather than under it.
const STACK_MIN_HEIGHT: u16 = 16;

/// The inside of a bordered pane.
pub fn inner(rect: Rect) -> Rect {
    Rect::new(
        rect.x + 1,
        rect.y + 1,
        rect.width.saturating_sub(2),
        rect.height.saturating_sub(2),
    )
}

/// Where the reading pane's text goes: the measure, centred in the pane.
pub fn text_area(reader: Rect, measure: u16) -> Rect {
    let inside = inner(reader);
    let inside = Rect::new(
        inside.x + 1,
        inside.y,
        inside.width.saturating_sub(2),
        inside.height,
    );
    let width = inside.width.min(measure.max(20));
    Rect::new(
        inside.x + (inside.width - width) / 2,
        inside.y,
        width,
        inside.height,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_two_and_one_panes() {
        let wide = panes(120, 40, Focus::List, true);
        assert_eq!(
            wide.shown(),
            vec![Focus::List, Focus::Reader, Focus::Sidebar]
        );
        assert_eq!(panes(120, 40, Focus::List, false).shown().len(), 2);
        let medium = panes(100, 30, Focus::List, false);
        assert_eq!(medium.shown(), vec![Focus::List, Focus::Reader]);
        let toggled = panes(100, 30, Focus::List, true);
        assert_eq!(toggled.shown().len(), 3);
        // Below WIDE the sidebar goes under the story, which keeps its width.
        let medium = panes(80, 24, Focus::List, true);
        let (reader, sidebar) = (medium.reader.unwrap(), medium.sidebar.unwrap());
        assert_eq!(reader.width, sidebar.width);
        assert_eq!(sidebar.y, reader.y + reader.height);
        assert!(text_area(reader, MEASURE).width >= 40, "{reader:?}");
        let short = panes(80, 12, Focus::List, true);
        assert_eq!(short.sidebar.unwrap().y, 0);
        let narrow = panes(60, 20, Focus::Reader, true);
        assert_eq!(narrow.shown(), vec![Focus::Reader]);
        assert!(panes(19, 10, Focus::List, false).too_small);
        assert!(panes(80, 4, Focus::List, false).too_small);
        assert!(panes(0, 0, Focus::List, false).too_small);
    }

    #[test]
    fn panes_tile_the_width_and_text_keeps_a_measure() {
        for width in [80, 99, 119, 120, 160, 300] {
            let p = panes(width, 30, Focus::List, true);
            let area: u32 = p.shown().iter().map(|f| p.get(*f).unwrap().area()).sum();
            assert_eq!(area, u32::from(width) * 28);
        }
        let p = panes(300, 40, Focus::List, false);
        let text = text_area(p.reader.unwrap(), MEASURE);
        assert_eq!(text.width, MEASURE);
    }
}
