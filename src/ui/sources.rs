//! The sources view: sources, folders, tags and saved queries, each with
//! its unread and total counts; the selected row in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{popup_area, truncate};
use crate::app::{SourceRow, SourcesView};
use crate::fmt::count;
use crate::state::Filter;
use crate::theme::Theme;

pub fn render(theme: &Theme, view: &SourcesView, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(72);
    let height = area.height.saturating_sub(2).min(30);
    let rect = popup_area(frame, area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(" Sources · enter shows · d forgets a query · esc closes ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let rows = usize::from(inner.height);
    let offset = (view.selected + 1).saturating_sub(rows);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = view
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(n, row)| line(theme, row, width, n == view.selected))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A row: a heading, or a name with "unread / total" at the right.
fn line(theme: &Theme, row: &SourceRow, width: usize, selected: bool) -> Line<'static> {
    let (filter, unread, total, note) = match row {
        SourceRow::Heading(title) => return Line::styled(truncate(title, width), theme.heading),
        SourceRow::Pick {
            filter,
            unread,
            total,
            note,
        } => (filter, unread, total, note),
    };
    let name = match filter {
        None => "All stories".to_owned(),
        Some(Filter::Source(s) | Filter::Folder(s)) => s.clone(),
        Some(Filter::Tag(t)) => format!("#{t}"),
        Some(Filter::Query(q)) => format!("\"{q}\""),
    };
    let counts = match total {
        Some(total) => format!(" {} / {}", count(*unread), count(*total)),
        None => String::new(),
    };
    let name = match note {
        Some(note) => format!("{name} ⚠ {note}"),
        None => name,
    };
    let name = truncate(&name, width.saturating_sub(2 + counts.width()));
    let pad = width.saturating_sub(2 + name.width() + counts.width());
    let style = if *unread > 0 {
        theme.unread
    } else {
        theme.read
    };
    let line = Line::from(vec![
        Span::raw("  "),
        Span::styled(name, style),
        Span::raw(" ".repeat(pad)),
        Span::styled(counts, theme.dim),
    ]);
    if selected {
        super::select_row(line, width, theme.selected)
    } else {
        line
    }
}
