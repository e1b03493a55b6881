//! The reading pane: the open story's cached lines, from the scroll position.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{focused, pane_block};
use crate::app::{App, Focus, LineKind, layout};
use crate::theme::Theme;

fn style(theme: &crate::theme::Theme, kind: LineKind) -> ratatui::style::Style {
    match kind {
        LineKind::Title => theme.title,
        LineKind::Meta => theme.meta,
        LineKind::Standfirst => theme.standfirst,
        LineKind::Caption => theme.caption,
        LineKind::Body | LineKind::Blank => ratatui::style::Style::new(),
    }
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, rect: Rect) {
    let reader = &app.reader;
    let title = match &reader.story {
        Some(_) => format!(" Story · {}% ", reader.percent()),
        None => " Story ".to_owned(),
    };
    frame.render_widget(
        pane_block(theme, Line::from(title), focused(app, Focus::Reader)),
        rect,
    );
    let area = layout::text_area(rect, app.settings.text_width);
    if reader.story.is_none() {
        let hint = Line::styled("Select a story and press Enter to read it.", theme.dim);
        frame.render_widget(Paragraph::new(hint), area);
        return;
    }
    // Only the visible slice is handed to ratatui: the cost of a frame does
    // not grow with the story's length.
    let lines: Vec<Line> = reader
        .lines
        .iter()
        .skip(reader.scroll)
        .take(usize::from(area.height))
        .map(|l| Line::styled(l.text.as_str(), style(theme, l.kind)))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
