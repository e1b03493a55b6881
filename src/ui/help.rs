//! The help screen, made from the keymap so it cannot drift from it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::popup_area;
use crate::app::App;
use crate::theme::Theme;

/// What the keymap does not say: the finder's, the sources view's and
/// the mouse's keys.
const NOTES: &[&str] = &[
    "In the finder: type to search, ↑/↓ or ctrl-n/ctrl-p move, enter opens,",
    "esc closes, ctrl-w deletes a word, ctrl-u clears, ctrl-t: full text;",
    "on an empty query ↑/↓ recall earlier ones; ctrl-s keeps it as a view.",
    "In the sources view: enter shows one, d forgets a saved query, esc closes.",
    "Mouse: click selects or focuses (again opens); the wheel scrolls.",
];

/// The help text: one line per action with its keys.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (action, keys) in app.keymap.bindings() {
        let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{:>16}  ", keys.join(", ")), theme.hint_key),
            Span::raw(action.description()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.extend(NOTES.iter().map(|n| Line::styled(*n, theme.dim)));
    lines
}

pub fn render(app: &App, theme: &Theme, scroll: usize, frame: &mut Frame, area: Rect) {
    let rect = popup_area(frame, area, 76, area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(" Keys · j/k scroll · esc closes ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = lines(app, theme);
    super::render_scrolled(lines, scroll, frame, inner);
}
