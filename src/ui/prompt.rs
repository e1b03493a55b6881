//! A one-line prompt (a tag, a command), with what Tab would complete.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

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
    super::finder::input_line(theme, &prompt.text, prompt.cursor, frame, inner);
    if inner.height > 1 {
        let choices = prompt.matching().join("  ");
        let line = Line::styled(truncate(&choices, usize::from(inner.width)), theme.dim);
        frame.render_widget(
            Paragraph::new(line),
            Rect::new(inner.x, inner.y + 1, inner.width, 1),
        );
    }
}
