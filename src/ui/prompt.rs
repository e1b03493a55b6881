//! A one-line prompt (a tag, a command), with what Tab would complete.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{popup_area, truncate};
use crate::app::Prompt;
use crate::theme::Theme;

pub fn render(theme: &Theme, prompt: &Prompt, frame: &mut Frame, area: Rect) {
    let rect = popup_area(frame, area, area.width.saturating_sub(4).min(64), 4);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(format!(
            " {} · tab completes · esc cancels ",
            prompt.question()
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if inner.height == 0 || inner.width < 3 {
        return;
    }
    let answer = Line::from(vec![
        Span::styled("> ", theme.heading),
        Span::raw(prompt.text.clone()),
    ]);
    frame.render_widget(
        Paragraph::new(answer),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let before: String = prompt.text.chars().take(prompt.cursor).collect();
    let x = (inner.x + 2 + before.width() as u16).min(inner.right().saturating_sub(1));
    frame.set_cursor_position(Position::new(x, inner.y));
    if inner.height > 1 {
        let choices = prompt.matching().join("  ");
        let line = Line::styled(truncate(&choices, usize::from(inner.width)), theme.dim);
        frame.render_widget(
            Paragraph::new(line),
            Rect::new(inner.x, inner.y + 1, inner.width, 1),
        );
    }
}
