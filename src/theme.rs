//! byline's styles. Colour comes only from here, never from content: a
//! built-in dark or light theme, any part recoloured in config.toml, and no
//! colour at all under `NO_COLOR`.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

/// Every part of the screen that has a style. The names are config.toml's.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub border: Style,
    pub focused_border: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub unread: Style,
    pub read: Style,
    pub dim: Style,
    pub source: Style,
    pub unread_dot: Style,
    pub saved_star: Style,
    pub title: Style,
    pub meta: Style,
    pub standfirst: Style,
    pub caption: Style,
    pub heading: Style,
    pub matched: Style,
    pub status: Style,
    pub hint_key: Style,
    pub warn: Style,
}

/// The parts, by name, for config.toml and `byline config --default`.
pub const PARTS: &[&str] = &[
    "border",
    "focused_border",
    "selected",
    "selected_unfocused",
    "unread",
    "read",
    "dim",
    "source",
    "unread_dot",
    "saved_star",
    "title",
    "meta",
    "standfirst",
    "caption",
    "heading",
    "matched",
    "status",
    "hint_key",
    "warn",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme `{0}` (the built-in ones are dark and light)")]
    UnknownBase(String),
    #[error("unknown part `{0}` of the screen (see `byline config --default`)")]
    UnknownPart(String),
    #[error("`{0}` is not a colour: use a name (red, darkgray...), #rrggbb, or \"FG on BG\"")]
    BadColour(String),
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::dark()
    }
}

const fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

impl Theme {
    pub fn dark() -> Theme {
        Theme {
            border: fg(Color::DarkGray),
            focused_border: fg(Color::Cyan),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            selected_unfocused: Style::new().bg(Color::DarkGray).fg(Color::White),
            unread: Style::new().add_modifier(Modifier::BOLD),
            read: fg(Color::Gray),
            dim: fg(Color::DarkGray),
            source: fg(Color::Magenta),
            unread_dot: fg(Color::Cyan),
            saved_star: fg(Color::Yellow),
            title: fg(Color::White).add_modifier(Modifier::BOLD),
            meta: fg(Color::DarkGray),
            standfirst: Style::new().add_modifier(Modifier::ITALIC),
            caption: fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            heading: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            matched: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            status: Style::new().bg(Color::DarkGray).fg(Color::White),
            hint_key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            warn: fg(Color::Yellow),
        }
    }

    /// For terminals with a light background.
    pub fn light() -> Theme {
        Theme {
            border: fg(Color::Gray),
            focused_border: fg(Color::Blue),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            selected_unfocused: Style::new().bg(Color::Gray).fg(Color::Black),
            read: fg(Color::DarkGray),
            dim: fg(Color::DarkGray),
            source: fg(Color::Magenta),
            unread_dot: fg(Color::Blue),
            saved_star: fg(Color::Rgb(0xb5, 0x76, 0x14)),
            title: fg(Color::Black).add_modifier(Modifier::BOLD),
            meta: fg(Color::DarkGray),
            heading: fg(Color::Blue).add_modifier(Modifier::BOLD),
            matched: fg(Color::Red).add_modifier(Modifier::BOLD),
            status: Style::new().bg(Color::Gray).fg(Color::Black),
            hint_key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            warn: fg(Color::Red),
            ..Theme::dark()
        }
    }

    /// No colour at all (`NO_COLOR`): bold, italic and reverse video only.
    pub fn plain() -> Theme {
        let none = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            border: none,
            focused_border: bold,
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            unread: bold,
            read: none,
            dim: none,
            source: none,
            unread_dot: bold,
            saved_star: bold,
            title: bold,
            meta: none,
            standfirst: Style::new().add_modifier(Modifier::ITALIC),
            caption: Style::new().add_modifier(Modifier::ITALIC),
            heading: bold,
            matched: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            status: Style::new().add_modifier(Modifier::REVERSED),
            hint_key: bold,
            warn: bold,
        }
    }

    /// A built-in theme by name, with `colours` (part = "colour" or
    /// "FG on BG") over it. Under `no_color` every colour is ignored.
    pub fn build<'a>(
        base: Option<&str>,
        colours: impl IntoIterator<Item = (&'a str, &'a str)>,
        no_color: bool,
    ) -> Result<Theme, ThemeError> {
        let mut theme = match base.unwrap_or("dark") {
            "dark" => Theme::dark(),
            "light" => Theme::light(),
            other => return Err(ThemeError::UnknownBase(other.to_owned())),
        };
        for (part, colour) in colours {
            let (fg, bg) = parse_colours(colour)?;
            let style = theme
                .part_mut(part)
                .ok_or_else(|| ThemeError::UnknownPart(part.to_owned()))?;
            if let Some(fg) = fg {
                *style = style.fg(fg);
            }
            if let Some(bg) = bg {
                *style = style.bg(bg);
            }
        }
        Ok(if no_color { Theme::plain() } else { theme })
    }

    /// Each part with its colours as config.toml writes them.
    pub fn described(&self) -> Vec<(&'static str, String)> {
        let name = |c: Color| c.to_string().to_lowercase();
        let mut theme = self.clone();
        PARTS
            .iter()
            .map(|part| {
                let style = *theme.part_mut(part).expect("every part has a style");
                let text = match (style.fg, style.bg) {
                    (Some(fg), Some(bg)) => format!("{} on {}", name(fg), name(bg)),
                    (Some(fg), None) => name(fg),
                    (None, Some(bg)) => format!("on {}", name(bg)),
                    (None, None) => "reset".to_owned(),
                };
                (*part, text)
            })
            .collect()
    }

    fn part_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "border" => &mut self.border,
            "focused_border" => &mut self.focused_border,
            "selected" => &mut self.selected,
            "selected_unfocused" => &mut self.selected_unfocused,
            "unread" => &mut self.unread,
            "read" => &mut self.read,
            "dim" => &mut self.dim,
            "source" => &mut self.source,
            "unread_dot" => &mut self.unread_dot,
            "saved_star" => &mut self.saved_star,
            "title" => &mut self.title,
            "meta" => &mut self.meta,
            "standfirst" => &mut self.standfirst,
            "caption" => &mut self.caption,
            "heading" => &mut self.heading,
            "matched" => &mut self.matched,
            "status" => &mut self.status,
            "hint_key" => &mut self.hint_key,
            "warn" => &mut self.warn,
            _ => return None,
        })
    }
}

/// "red", "#1e66f5", "white on blue", "on darkgray".
fn parse_colours(text: &str) -> Result<(Option<Color>, Option<Color>), ThemeError> {
    let bad = || ThemeError::BadColour(text.to_owned());
    let colour = |s: &str| Color::from_str(s.trim()).map_err(|_| bad());
    let (fg, bg) = match text.split_once(" on ") {
        Some((fg, bg)) => (fg.trim(), Some(bg)),
        None => match text.trim().strip_prefix("on ") {
            Some(bg) => ("", Some(bg)),
            None => (text.trim(), None),
        },
    };
    let fg = if fg.is_empty() {
        None
    } else {
        Some(colour(fg)?)
    };
    let bg = bg.map(colour).transpose()?;
    if fg.is_none() && bg.is_none() {
        return Err(bad());
    }
    Ok((fg, bg))
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as no-color.org says).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_by_name_hex_and_fg_on_bg() {
        let theme = Theme::build(
            Some("light"),
            [
                ("title", "#112233"),
                ("selected", "yellow on black"),
                ("status", "on red"),
            ],
            false,
        )
        .unwrap();
        assert_eq!(theme.title.fg, Some(Color::Rgb(0x11, 0x22, 0x33)));
        assert_eq!(
            (theme.selected.fg, theme.selected.bg),
            (Some(Color::Yellow), Some(Color::Black))
        );
        assert_eq!(theme.status.bg, Some(Color::Red));
        assert_eq!(
            theme.border,
            Theme::light().border,
            "parts not named keep the base's style"
        );
    }

    #[test]
    fn bad_themes_are_named() {
        assert_eq!(
            Theme::build(Some("neon"), [], false),
            Err(ThemeError::UnknownBase("neon".into()))
        );
        assert_eq!(
            Theme::build(None, [("titel", "red")], false),
            Err(ThemeError::UnknownPart("titel".into()))
        );
        assert_eq!(
            Theme::build(None, [("title", "reddish")], false),
            Err(ThemeError::BadColour("reddish".into()))
        );
        assert!(PARTS.iter().all(|p| Theme::dark().part_mut(p).is_some()));
    }

    #[test]
    fn no_color_drops_every_colour() {
        let theme = Theme::build(None, [("title", "red")], true).unwrap();
        for part in PARTS {
            let style = *Theme::plain().part_mut(part).unwrap();
            assert!(style.fg.is_none() && style.bg.is_none(), "{part}");
        }
        assert_eq!(theme, Theme::plain());
    }
}
