//! The headline list pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{age, focused, pane_block, truncate};
use crate::app::{App, Focus, layout};
use crate::store::StorySummary;
use crate::theme::Theme;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, rect: Rect) {
    let list = &app.list;
    let title = format!(" {} · {} ", list.view.name(), list.sort.name());
    let is_focused = focused(app, Focus::List);
    frame.render_widget(pane_block(theme, Line::from(title), is_focused), rect);
    let inner = layout::inner(rect);
    let width = usize::from(inner.width);
    // A narrow list gives its room to the headlines.
    let source_width = if width >= 40 {
        (width / 5).clamp(6, 14)
    } else {
        0
    };
    let mut lines = Vec::new();
    for (row, &index) in list
        .visible
        .iter()
        .enumerate()
        .skip(list.offset)
        .take(usize::from(inner.height))
    {
        let mut line = headline(app, theme, &list.items[index], width, source_width);
        if row == list.selected {
            line = super::select_row(line, width, super::selected_style(theme, is_focused));
        }
        lines.push(line);
    }
    if list.visible.is_empty() {
        let note = if app.load.loading {
            "loading…"
        } else {
            "no stories in this view"
        };
        lines.push(Line::styled(note, theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One story's row: its marks, age, source (in `source_width` columns,
/// none when 0), how many near-duplicates it stands for, and headline.
fn headline(
    app: &App,
    theme: &Theme,
    story: &StorySummary,
    width: usize,
    source_width: usize,
) -> Line<'static> {
    let mark = app.marks.get(&story.id);
    let [dot, star] = super::mark_spans(theme, &mark);
    let age = format!("{:>3} ", age(story.published, app.now));
    let source = if source_width == 0 {
        String::new()
    } else {
        let name = truncate(story.source.as_deref().unwrap_or("-"), source_width);
        format!(
            "{name}{} ",
            " ".repeat(source_width.saturating_sub(name.width()))
        )
    };
    let twins = match app.groups.others(story.id.as_str()).len() {
        0 => String::new(),
        n => format!("+{n} "),
    };
    let used = 4 + age.width() + source.width() + twins.width();
    let title = truncate(&story.title, width.saturating_sub(used));
    let title_style = if mark.read { theme.read } else { theme.unread };
    Line::from(vec![
        dot,
        star,
        Span::styled(age, theme.dim),
        Span::styled(source, theme.source),
        Span::styled(twins, theme.dim),
        Span::styled(title, title_style),
    ])
}
