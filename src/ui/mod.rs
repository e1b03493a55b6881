//! Rendering: functions from `&App` (and the theme to draw it in) to the
//! frame. Nothing here changes state.

mod confirm;
mod finder;
mod help;
mod list;
mod prompt;
mod reader;
mod report;
pub mod sidebar;
mod sources;
mod status;
pub use crate::theme;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use crate::app::{App, Focus, Popup};
use crate::theme::Theme;

/// Draws the whole screen in `theme`.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let panes = app.panes();
    if panes.too_small {
        let lines: Vec<Line> = textwrap::wrap("terminal too small", usize::from(area.width.max(1)))
            .into_iter()
            .map(Line::from)
            .collect();
        let rows = lines.len() as u16;
        let top = area.y + area.height.saturating_sub(rows) / 2;
        let text = Paragraph::new(lines).alignment(Alignment::Center);
        frame.render_widget(
            text,
            Rect::new(area.x, top, area.width, rows).intersection(area),
        );
        return;
    }
    if let Some(rect) = panes.list {
        list::render(app, theme, frame, rect);
    }
    if let Some(rect) = panes.reader {
        reader::render(app, theme, frame, rect);
    }
    if let Some(rect) = panes.sidebar {
        sidebar::render(app, theme, frame, rect);
    }
    status::render(app, theme, frame, panes.status);
    // Popups stay above the status bar, which keeps showing.
    let area = Rect::new(
        area.x,
        area.y,
        area.width,
        panes.status.y.saturating_sub(area.y),
    );
    for popup in &app.popups {
        match popup {
            Popup::Finder(f) => finder::render(app, theme, f, frame, area),
            Popup::Help { scroll } => help::render(app, theme, *scroll, frame, area),
            Popup::LoadReport { scroll } => report::render(app, theme, *scroll, frame, area),
            Popup::ConfirmMarkRead { ids } => confirm::render(ids.len(), app, theme, frame, area),
            Popup::Sources(view) => sources::render(theme, view, frame, area),
            Popup::Prompt(prompt) => prompt::render(theme, prompt, frame, area),
        }
    }
}

/// A pane's frame, highlighted when it has the focus.
fn pane_block<'a>(theme: &Theme, title: Line<'a>, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            theme.focused_border
        } else {
            theme.border
        })
        .title(title)
}

/// A popup's area: `width` x `height` centred in `area`, cleared.
fn popup_area(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    rect
}

pub use crate::fmt::{age, truncate};

/// Draws the part of `lines` from `scroll` on that fits `area`, never
/// scrolling past the last screenful.
fn render_scrolled(lines: Vec<Line<'_>>, scroll: usize, frame: &mut Frame, area: Rect) {
    let scroll = scroll.min(lines.len().saturating_sub(usize::from(area.height)));
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(usize::from(area.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// Highlights a selected row across the whole `width`.
fn select_row(line: Line<'static>, width: usize, style: ratatui::style::Style) -> Line<'static> {
    let mut line = line.patch_style(style);
    let pad = width.saturating_sub(line.width());
    line.push_span(ratatui::text::Span::styled(" ".repeat(pad), style));
    line
}

/// The selection style, brighter in the focused pane.
fn selected_style(theme: &Theme, focused: bool) -> ratatui::style::Style {
    if focused {
        theme.selected
    } else {
        theme.selected_unfocused
    }
}

/// The unread dot and saved star that lead a story's row.
fn mark_spans(theme: &Theme, mark: &crate::state::Mark) -> [ratatui::text::Span<'static>; 2] {
    use ratatui::text::Span;
    let dot = if mark.read {
        Span::raw("  ")
    } else {
        Span::styled("● ", theme.unread_dot)
    };
    let star = if mark.saved {
        Span::styled("★ ", theme.saved_star)
    } else {
        Span::raw("  ")
    };
    [dot, star]
}

/// Is the focused pane this one?
fn focused(app: &App, pane: Focus) -> bool {
    app.popups.is_empty() && app.focus == pane
}
