//! The load report: every skipped file and every warning.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::{popup_area, truncate};
use crate::app::App;
use crate::fmt::{count, plural};
use crate::loader::sanitize::display_path;
use crate::store::FileStatus;
use crate::theme::Theme;

pub fn render(app: &App, theme: &Theme, scroll: usize, frame: &mut Frame, area: Rect) {
    let rect = popup_area(
        frame,
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(" Load report · esc closes ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if let Some(problem) = &app.load.watch_problem {
        lines.push(Line::styled("live reload", theme.warn));
        for part in textwrap::wrap(problem, width.saturating_sub(5).max(10)) {
            lines.push(Line::styled(format!("     {part}"), theme.dim));
        }
        lines.push(Line::raw(""));
    }
    match &app.load.report {
        None => lines.push(Line::styled("The library is still loading.", theme.dim)),
        Some(report) => {
            let files = report.file_count;
            lines.push(Line::raw(format!(
                "{} · {} · {} skipped · {} with warnings",
                plural(files, "file", "files"),
                plural(report.stories, "story", "stories"),
                count(report.skipped()),
                count(report.warned())
            )));
            lines.push(Line::raw(""));
            for file in report.files.iter().filter(|f| f.status != FileStatus::Ok) {
                let tag = if file.status == FileStatus::Skipped {
                    "skip "
                } else {
                    "warn "
                };
                let path = display_path(&file.path);
                lines.push(Line::from(vec![
                    Span::styled(tag, theme.warn),
                    Span::raw(truncate(&path, width.saturating_sub(5))),
                ]));
                for message in &file.messages {
                    lines.push(Line::styled(
                        format!("     {}", truncate(message, width.saturating_sub(5))),
                        theme.dim,
                    ));
                }
            }
            if report.skipped() + report.warned() == 0 {
                lines.push(Line::styled("Every file loaded cleanly.", theme.dim));
            }
        }
    }
    super::render_scrolled(lines, scroll, frame, inner);
}
