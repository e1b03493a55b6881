//! The status bar: view, counts, load progress, the last message, and key
//! hints made from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{Action, App};
use crate::fmt::count;
use crate::theme::Theme;
use unicode_width::UnicodeWidthStr;

/// "key action" pairs for the hint bar, from the keymap.
pub fn hints(app: &App) -> Vec<(String, &'static str)> {
    [
        Action::Down,
        Action::Open,
        Action::FocusNext,
        Action::ReadOn,
        Action::Find,
        Action::ToggleRead,
        Action::ToggleSaved,
        Action::Help,
        Action::Quit,
    ]
    .iter()
    .filter_map(|action| {
        let keys = app.keymap.keys_for(action);
        let key = keys.first()?;
        let label = if *action == Action::Down {
            let up = app.keymap.keys_for(&Action::Up);
            format!(
                "{key}/{}",
                up.first().map(ToString::to_string).unwrap_or_default()
            )
        } else {
            key.to_string()
        };
        Some((
            label,
            if *action == Action::Down {
                "move"
            } else {
                action.hint()
            },
        ))
    })
    .collect()
}

/// The hints that fit in `width` columns, as (" key", " label ") cells:
/// only whole hints, and help and quit kept to the last.
fn fitting_hints(app: &App, width: usize) -> Vec<(String, String)> {
    let cells: Vec<(String, String, bool)> = hints(app)
        .into_iter()
        .map(|(key, label)| {
            let kept = matches!(label, "help" | "quit");
            (format!(" {key}"), format!(" {label} "), kept)
        })
        .collect();
    let size = |c: &(String, String, bool)| c.0.width() + c.1.width();
    let mut room = width.saturating_sub(cells.iter().filter(|c| c.2).map(size).sum());
    let mut shown = Vec::new();
    for cell in &cells {
        if cell.2 || size(cell) <= room {
            room = room.saturating_sub(if cell.2 { 0 } else { size(cell) });
            shown.push((cell.0.clone(), cell.1.clone()));
        } else {
            // Past one that does not fit, only the kept ones follow.
            room = 0;
        }
    }
    let mut used = 0;
    shown.retain(|c| {
        used += c.0.width() + c.1.width();
        used <= width
    });
    shown
}

/// A text gauge `width` cells wide: "▕████░░░░░░▏".
pub fn gauge(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    format!("▕{}{}▏", "█".repeat(filled), "░".repeat(width - filled))
}

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, rect: Rect) {
    let (all, unread, saved) = app.counts();
    let mut spans = vec![Span::raw(format!(
        " {} │ {} all · {} unread · {} saved",
        app.list.view.name(),
        count(all),
        count(unread),
        count(saved)
    ))];
    if app.load.loading {
        let progress = if app.load.total > 0 {
            format!(
                " │ {} indexed {} / {} files",
                gauge(app.load.done, app.load.total, 10),
                count(app.load.done),
                count(app.load.total)
            )
        } else {
            " │ loading…".to_owned()
        };
        spans.push(Span::raw(progress));
    }
    if let Some((done, total)) = app.fetching {
        spans.push(Span::raw(if total == 0 {
            " │ fetching feeds…".to_owned()
        } else {
            format!(
                " │ {} fetched {done} / {total} feeds",
                gauge(done, total, 10)
            )
        }));
    }
    let (skipped, warned) = (app.load.skipped(), app.load.warned());
    if skipped + warned > 0 {
        spans.push(Span::styled(
            format!(
                " │ {skipped} skipped, {warned} {} (!)",
                if warned == 1 { "warning" } else { "warnings" }
            ),
            theme.warn,
        ));
    }
    if let Some(message) = app.status_message() {
        spans.push(Span::raw(format!(" │ {message}")));
    }
    let status = Line::from(spans).style(theme.status);
    let status_row = Rect::new(rect.x, rect.y, rect.width, 1);
    frame.render_widget(Paragraph::new(status), status_row);
    if rect.height > 1 {
        let mut spans = Vec::new();
        for (key, label) in fitting_hints(app, usize::from(rect.width)) {
            spans.push(Span::styled(key, theme.hint_key));
            spans.push(Span::styled(label, theme.dim));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect::new(rect.x, rect.y + 1, rect.width, 1),
        );
    }
}
