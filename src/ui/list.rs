//! The headline list pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{age, focused, pane_block, truncate};
use chrono::{DateTime, Datelike, Local, NaiveDate, Utc};

use crate::app::{App, Dates, Focus, layout};
use crate::store::StorySummary;
use crate::theme::Theme;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, rect: Rect) {
    let list = &app.list;
    let mut title = format!(" {} · {}", list.view.name(), list.sort.name());
    if let Some(filter) = &list.filter {
        title.push_str(&format!(" · {}", filter.label()));
    }
    let dates = list.dates_shown();
    if dates != Dates::Age {
        title.push_str(&format!(" · {}", dates.name()));
    }
    title.push(' ');
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
    let mut last_day = None;
    for (row, &index) in list
        .visible
        .iter()
        .enumerate()
        .skip(list.offset)
        .take(usize::from(inner.height))
    {
        let story = &list.items[index];
        let time = match dates {
            Dates::Age => format!("{:>3} ", age(story.published, app.now)),
            Dates::Date => format!("{:>6} ", short_date(story.published, app.now)),
            Dates::Day => {
                let day = local_day(story.published);
                let label = if last_day == Some(day) {
                    String::new()
                } else {
                    day_label(day, app.now)
                };
                last_day = Some(day);
                format!("{label:<10} ")
            }
        };
        let mut line = headline(app, theme, story, time, width, source_width);
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

/// A story's day, in local time (None: undated).
fn local_day(time: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    time.map(|t| t.with_timezone(&Local).date_naive())
}

/// "Today", "Yesterday", "Mon 23 Nov" (with the year when not this one).
fn day_label(day: Option<NaiveDate>, now: DateTime<Utc>) -> String {
    let Some(day) = day else {
        return "Undated".to_owned();
    };
    let today = now.with_timezone(&Local).date_naive();
    match (today - day).num_days() {
        0 => "Today".to_owned(),
        1 => "Yesterday".to_owned(),
        _ if day.year() == today.year() => day.format("%a %-d %b").to_string(),
        _ => day.format("%-d %b %Y").to_string(),
    }
}

/// "14:05" for today, "23 Nov" this year, "2024" before.
fn short_date(time: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(time) = time else {
        return "-".to_owned();
    };
    let local = time.with_timezone(&Local);
    let today = now.with_timezone(&Local).date_naive();
    if local.date_naive() == today {
        local.format("%H:%M").to_string()
    } else if local.year() == today.year() {
        local.format("%-d %b").to_string()
    } else {
        local.format("%Y").to_string()
    }
}

/// One story's row: its marks, time, source (in `source_width` columns,
/// none when 0), how many near-duplicates it stands for, and headline.
fn headline(
    app: &App,
    theme: &Theme,
    story: &StorySummary,
    age: String,
    width: usize,
    source_width: usize,
) -> Line<'static> {
    let mark = app.marks.get(&story.id);
    let [dot, star] = super::mark_spans(theme, &mark);
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
