//! The y/n confirmation before marking a whole view read.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::popup_area;
use crate::app::App;
use crate::theme::Theme;

pub fn render(n: usize, app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = popup_area(frame, area, 50, 5);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(" Confirm ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let stories = if n == 1 { "story" } else { "stories" };
    let text = vec![
        Line::raw(format!(
            "Mark {n} {stories} in {} read?",
            app.list.view.name()
        )),
        Line::styled("y: yes   n: no", theme.hint_key),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
}
