//! Rendering: functions from `&App` to the frame. Nothing here changes state.

mod confirm;
mod finder;
mod help;
mod list;
mod reader;
mod report;
pub mod sidebar;
mod status;
pub mod theme;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

use crate::app::{App, Focus, Popup};
use theme::Theme;

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
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
        list::render(app, frame, rect);
    }
    if let Some(rect) = panes.reader {
        reader::render(app, frame, rect);
    }
    if let Some(rect) = panes.sidebar {
        sidebar::render(app, frame, rect);
    }
    status::render(app, frame, panes.status);
    for popup in &app.popups {
        match popup {
            Popup::Finder(f) => finder::render(app, f, frame, area),
            Popup::Help { scroll } => help::render(app, *scroll, frame, area),
            Popup::LoadReport { scroll } => report::render(app, *scroll, frame, area),
            Popup::ConfirmMarkRead { ids } => confirm::render(ids.len(), app, frame, area),
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

/// Cuts `text` to `width` columns, ending with an ellipsis when it is cut.
pub fn truncate(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// "now", "12m", "3h", "2d", "5mo", "2y".
pub fn age(published: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(published) = published else {
        return "-".to_owned();
    };
    let minutes = (now - published).num_minutes();
    match minutes {
        i64::MIN..=0 => "now".to_owned(),
        1..=59 => format!("{minutes}m"),
        60..=1439 => format!("{}h", minutes / 60),
        1440..=43_199 => format!("{}d", minutes / 1440),
        43_200..=525_599 => format!("{}mo", minutes / 43_200),
        _ => format!("{}y", minutes / 525_600),
    }
}

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
fn mark_spans(theme: &Theme, mark: crate::state::Mark) -> [ratatui::text::Span<'static>; 2] {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ages_and_truncation() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        assert_eq!(age(Some(now), now), "now");
        assert_eq!(age(Some(now - chrono::Duration::minutes(5)), now), "5m");
        assert_eq!(age(Some(now - chrono::Duration::hours(3)), now), "3h");
        assert_eq!(age(Some(now - chrono::Duration::days(2)), now), "2d");
        assert_eq!(age(Some(now - chrono::Duration::days(400)), now), "1y");
        assert_eq!(age(None, now), "-");
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("深圳深圳", 5), "深圳…");
        assert_eq!(truncate("short", 10), "short");
    }
}
