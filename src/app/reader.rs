//! The reading pane: the open story, wrapped once per width, and the scroll.

use crate::article::Article;

/// What a line of the reading pane is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    Standfirst,
    Body,
    Caption,
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyledLine {
    pub text: String,
    pub kind: LineKind,
}

#[derive(Debug, Clone, Default)]
pub struct Reader {
    pub story: Option<Article>,
    /// `story` wrapped at `width` columns.
    pub lines: Vec<StyledLine>,
    pub width: u16,
    /// The first line shown.
    pub scroll: usize,
    /// Lines the pane shows at once.
    pub height: u16,
    /// Near-duplicates of the open story (other sources of it).
    pub also_in: usize,
}

/// Formats "Source · 20 Nov 2026 08:30 · REUTERS · 4 min read".
pub fn meta_line(story: &Article, date: Option<String>, also_in: usize) -> String {
    let words: usize = story
        .standfirst
        .iter()
        .chain(story.paragraphs.iter())
        .map(|p| p.split_whitespace().count())
        .sum();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(story.source.clone());
    parts.extend(date);
    parts.extend(story.credit.clone());
    parts.extend(story.author.as_ref().map(|a| format!("by {a}")));
    parts.push(format!("{} min read", words.div_ceil(230).max(1)));
    match also_in {
        0 => {}
        1 => parts.push("also in 1 source".to_owned()),
        n => parts.push(format!("also in {n} sources")),
    }
    parts.join(" · ")
}

/// Spreads a line's words to fill `width` columns, the extra spaces going
/// to the leftmost gaps.
fn justified(line: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
    let used: usize = words.iter().map(|w| w.width()).sum();
    let gaps = words.len().saturating_sub(1);
    if gaps == 0 || used + gaps >= width {
        return line.to_owned();
    }
    let spaces = width - used;
    let mut out = String::with_capacity(line.len() + spaces);
    for (i, word) in words.iter().enumerate() {
        out.push_str(word);
        if i < gaps {
            let n = spaces / gaps + usize::from(i < spaces % gaps);
            out.extend(std::iter::repeat_n(' ', n));
        }
    }
    out
}

/// Wraps a story for a text area `width` columns wide.
pub fn wrap_story(
    story: &Article,
    width: u16,
    date: Option<String>,
    also_in: usize,
    justify: bool,
) -> Vec<StyledLine> {
    let width = usize::from(width.max(10));
    let mut lines = Vec::new();
    let push = |text: &str, kind: LineKind, lines: &mut Vec<StyledLine>| {
        let wrapped = textwrap::wrap(text, width);
        let last = wrapped.len().saturating_sub(1);
        let prose = matches!(kind, LineKind::Body | LineKind::Standfirst);
        for (n, line) in wrapped.into_iter().enumerate() {
            let text = if justify && prose && n < last {
                justified(&line, width)
            } else {
                line.into_owned()
            };
            lines.push(StyledLine { text, kind });
        }
    };
    let blank = |lines: &mut Vec<StyledLine>| {
        lines.push(StyledLine {
            text: String::new(),
            kind: LineKind::Blank,
        })
    };
    push(&story.title, LineKind::Title, &mut lines);
    push(&meta_line(story, date, also_in), LineKind::Meta, &mut lines);
    if let Some(standfirst) = &story.standfirst {
        blank(&mut lines);
        push(standfirst, LineKind::Standfirst, &mut lines);
    }
    for p in &story.paragraphs {
        blank(&mut lines);
        push(p, LineKind::Body, &mut lines);
    }
    if let Some(caption) = &story.caption {
        blank(&mut lines);
        push(caption, LineKind::Caption, &mut lines);
    }
    if !story.tags.is_empty() {
        blank(&mut lines);
        push(
            &format!("Tags: {}", story.tags.join(", ")),
            LineKind::Caption,
            &mut lines,
        );
    }
    if let Some(url) = &story.url {
        blank(&mut lines);
        push(url, LineKind::Caption, &mut lines);
    }
    lines
}

impl Reader {
    /// The last scroll position that still fills the pane.
    pub fn max_scroll(&self) -> usize {
        self.lines
            .len()
            .saturating_sub(usize::from(self.height.max(1)))
    }

    pub fn at_end(&self) -> bool {
        self.scroll >= self.max_scroll()
    }

    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll());
    }

    /// How far through the story the bottom of the pane is, in percent.
    pub fn percent(&self) -> usize {
        if self.lines.is_empty() {
            return 100;
        }
        let seen = (self.scroll + usize::from(self.height)).min(self.lines.len());
        seen * 100 / self.lines.len()
    }
}
