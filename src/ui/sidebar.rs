//! The related sidebar: related by content, then listed on the page.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{focused, pane_block, truncate};
use crate::app::{App, Focus, SidebarRow, layout};
use crate::theme::Theme;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, rect: Rect) {
    let is_focused = focused(app, Focus::Sidebar);
    frame.render_widget(pane_block(theme, Line::from(" Related "), is_focused), rect);
    let inner = layout::inner(rect);
    if app.reader.story.is_none() {
        let hint = Paragraph::new(Line::styled("Open a story to see related ones.", theme.dim))
            .wrap(Wrap { trim: true });
        frame.render_widget(hint, inner);
        return;
    }
    let related = &app.sidebar;
    let rows = related.rows();
    let height = usize::from(inner.height);
    let offset = related.offset(&rows, height);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = rows
        .iter()
        .skip(offset)
        .take(height)
        .map(|row| sidebar_line(app, theme, *row, width, is_focused))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One row of the sidebar: a heading, a note, or one of an entry's two
/// lines (its headline with its marks; its source and score).
fn sidebar_line(
    app: &App,
    theme: &Theme,
    row: SidebarRow,
    width: usize,
    is_focused: bool,
) -> Line<'static> {
    let related = &app.sidebar;
    match row {
        SidebarRow::Heading(text) => {
            let text = match text {
                "Related" if related.pending => "Related (indexing…)",
                other => other,
            };
            Line::styled(truncate(text, width), theme.heading)
        }
        SidebarRow::Note(text) => Line::styled(
            format!("  {}", truncate(text, width.saturating_sub(2))),
            theme.dim,
        ),
        SidebarRow::Blank => Line::raw(""),
        SidebarRow::Title(n) | SidebarRow::Detail(n) => {
            let Some(entry) = related.get(n) else {
                return Line::raw("");
            };
            let mut line = if matches!(row, SidebarRow::Title(_)) {
                let mark = app.marks.get(&entry.story.id);
                let [dot, star] = super::mark_spans(theme, &mark);
                let style = if mark.read { theme.read } else { theme.unread };
                let title = truncate(&entry.story.title, width.saturating_sub(4));
                Line::from(vec![dot, star, Span::styled(title, style)])
            } else {
                // The score always shows whole; the source gives way.
                let score = entry
                    .score
                    .map(|s| format!(" · {:.0}%", s * 100.0))
                    .unwrap_or_default();
                let room = width.saturating_sub(4 + score.chars().count());
                let source = entry.story.source.as_deref().unwrap_or("-");
                Line::styled(format!("    {}{score}", truncate(source, room)), theme.dim)
            };
            if n == related.selected {
                line = super::select_row(line, width, super::selected_style(theme, is_focused));
            }
            line
        }
    }
}
