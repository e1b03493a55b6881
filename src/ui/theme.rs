//! byline's styles. Colour comes only from here, never from content.

use ratatui::style::{Color, Modifier, Style};

pub const BORDER: Style = Style::new().fg(Color::DarkGray);
pub const FOCUSED_BORDER: Style = Style::new().fg(Color::Cyan);
pub const SELECTED: Style = Style::new()
    .bg(Color::Blue)
    .fg(Color::White)
    .add_modifier(Modifier::BOLD);
pub const SELECTED_UNFOCUSED: Style = Style::new().bg(Color::DarkGray).fg(Color::White);
pub const UNREAD: Style = Style::new().add_modifier(Modifier::BOLD);
pub const READ: Style = Style::new().fg(Color::Gray);
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const SOURCE: Style = Style::new().fg(Color::Magenta);
pub const UNREAD_DOT: Style = Style::new().fg(Color::Cyan);
pub const SAVED_STAR: Style = Style::new().fg(Color::Yellow);
pub const TITLE: Style = Style::new().fg(Color::White).add_modifier(Modifier::BOLD);
pub const META: Style = Style::new().fg(Color::DarkGray);
pub const STANDFIRST: Style = Style::new().add_modifier(Modifier::ITALIC);
pub const CAPTION: Style = Style::new()
    .fg(Color::DarkGray)
    .add_modifier(Modifier::ITALIC);
pub const HEADING: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const MATCH: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const STATUS: Style = Style::new().bg(Color::DarkGray).fg(Color::White);
pub const HINT_KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const WARN: Style = Style::new().fg(Color::Yellow);
