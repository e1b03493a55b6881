//! The fuzzy finder popup: the query line, the count, and the ranked
//! headlines with their matched characters highlighted.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{popup_area, truncate};
use crate::app::{App, Finder, FinderMode};
use crate::fmt::count;
use crate::theme::Theme;

/// A headline with the chars at `positions` highlighted, cut to `width`.
pub fn highlighted(
    title: &str,
    positions: &[usize],
    width: usize,
    base: ratatui::style::Style,
    matched: ratatui::style::Style,
) -> Vec<Span<'static>> {
    let shown = truncate(title, width);
    let mut spans: Vec<Span> = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in shown.chars().enumerate() {
        let hit = c != '…' && positions.binary_search(&i).is_ok();
        if hit != run_hit && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit { matched } else { base },
            ));
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hit { matched } else { base }));
    }
    spans
}

pub fn render(app: &App, theme: &Theme, finder: &Finder, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(100);
    let height = area.height.saturating_sub(2).min(24);
    let rect = popup_area(frame, area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(title(finder));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if inner.height == 0 || inner.width < 3 {
        return;
    }
    render_query(theme, finder, frame, inner);
    let list = Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(1),
    );
    frame.render_widget(Paragraph::new(result_lines(app, theme, finder, list)), list);
}

/// " Find in headlines · 3 matches · ctrl-t switches "
fn title(finder: &Finder) -> String {
    let mode = match finder.mode {
        FinderMode::Fuzzy => "headlines",
        FinderMode::FullText => "full text",
    };
    let searching = if finder.searching {
        " (searching…)"
    } else {
        ""
    };
    let n = finder.found();
    if finder.searching && n == 0 {
        return format!(" Find in {mode} · searching… · ctrl-t switches ");
    }
    let matches = if n == 1 && !finder.more {
        "match"
    } else {
        "matches"
    };
    let more = if finder.more { "+" } else { "" };
    format!(
        " Find in {mode} · {}{more} {matches}{searching} · ctrl-t switches ",
        count(n)
    )
}

/// The query line, with the cursor in it.
fn render_query(theme: &Theme, finder: &Finder, frame: &mut Frame, inner: Rect) {
    input_line(theme, &finder.query, finder.cursor, frame, inner);
}

/// A line being typed ("> text") on the first row of `inner`, with the
/// terminal's cursor at char `cursor`: the finder's query, a prompt's answer.
pub(super) fn input_line(theme: &Theme, text: &str, cursor: usize, frame: &mut Frame, inner: Rect) {
    let line = Line::from(vec![Span::styled("> ", theme.heading), Span::raw(text)]);
    frame.render_widget(
        Paragraph::new(line),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let before_cursor: String = text.chars().take(cursor).collect();
    let cursor_x =
        (inner.x + 2 + before_cursor.width() as u16).min(inner.right().saturating_sub(1));
    frame.set_cursor_position(Position::new(cursor_x, inner.y));
}

/// The results that fit in `list`, the selected one in view: a line a
/// headline, and under each full-text hit its snippet.
fn result_lines(app: &App, theme: &Theme, finder: &Finder, list: Rect) -> Vec<Line<'static>> {
    let row_width = usize::from(list.width);
    let full_text = finder.mode == FinderMode::FullText;
    let visible = usize::from(list.height) / if full_text { 2 } else { 1 };
    let offset = finder.selected.saturating_sub(visible.saturating_sub(1));
    let mut lines = Vec::new();
    for n in offset..(offset + visible).min(finder.result_count()) {
        let mut line = if full_text {
            Line::from(truncate(&finder.hits[n].summary.title, row_width))
        } else {
            fuzzy_line(app, theme, finder, n, row_width)
        };
        if n == finder.selected {
            line = super::select_row(line, row_width, theme.selected);
        }
        lines.push(line);
        if full_text {
            let snippet = &finder.hits[n].snippet;
            lines.push(Line::from(snippet_spans(snippet, row_width, theme)));
        }
    }
    if finder.result_count() == 0 && !finder.searching {
        let note = if full_text && finder.query.trim().is_empty() {
            "type words to find in the stories' text"
        } else {
            "no matches"
        };
        lines.push(Line::styled(note, theme.dim));
    }
    lines
}

/// A fuzzy match: the headline with the matched characters highlighted,
/// then the source.
fn fuzzy_line(app: &App, theme: &Theme, finder: &Finder, n: usize, width: usize) -> Line<'static> {
    let m = &finder.matches[n];
    let story = &app.list.items[m.index];
    let source = story.source.as_deref().unwrap_or("-");
    let title_width = width.saturating_sub(source.width().min(20) + 3);
    let mut spans = highlighted(
        &story.title,
        &crate::search::positions(&story.title, &finder.query),
        title_width,
        ratatui::style::Style::new(),
        theme.matched,
    );
    spans.push(Span::styled(
        format!("  {}", truncate(source, 20)),
        theme.source,
    ));
    Line::from(spans)
}

/// A snippet, indented, its matches highlighted, cut to `width` columns.
fn snippet_spans(
    snippet: &crate::store::Snippet,
    width: usize,
    theme: &crate::theme::Theme,
) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw("  ")];
    let mut room = width.saturating_sub(2);
    for (part, hit) in snippet.parts() {
        if room == 0 {
            break;
        }
        let style = if hit { theme.matched } else { theme.dim };
        let w = part.width();
        let text = if w > room {
            truncate(part, room)
        } else {
            part.to_owned()
        };
        room = room.saturating_sub(w);
        spans.push(Span::styled(text, style));
    }
    spans
}
