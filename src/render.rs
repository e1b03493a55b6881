//! A story as text: the one place a story becomes its parts in reading
//! order (headline, meta line, standfirst, paragraphs, caption, tags,
//! link), for the reading pane, `byline show`, the clipboard and the HTML
//! export alike.

use crate::article::Article;

/// A part of a story as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Title,
    /// Source, date, credit, author, reading time, other sources.
    Meta,
    /// The story's ID and link, on a line of their own (`byline show`).
    Ident,
    Standfirst,
    Paragraph,
    Caption,
    Tags,
    /// The story's link, at the end, when no [`Part::Ident`] line holds it.
    Link,
}

/// One part of a story, with its text (a paragraph may hold line breaks:
/// a list keeps an item a line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub part: Part,
    pub text: String,
}

/// What goes around a story's own text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The date as the reader writes it.
    pub date: Option<String>,
    /// The story's near-duplicates.
    pub copies: Copies,
    /// Whether the ID and link stand on a line under the meta line.
    pub ident: bool,
}

/// What a line of a wrapped story is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    Standfirst,
    Body,
    Caption,
    Blank,
}

impl Part {
    fn kind(self) -> LineKind {
        match self {
            Part::Title => LineKind::Title,
            Part::Meta | Part::Ident => LineKind::Meta,
            Part::Standfirst => LineKind::Standfirst,
            Part::Paragraph => LineKind::Body,
            Part::Caption | Part::Tags | Part::Link => LineKind::Caption,
        }
    }
}

/// A line of a wrapped story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyledLine {
    pub text: String,
    pub kind: LineKind,
}

/// Words in a story's text, for its reading time.
fn words(story: &Article) -> usize {
    story
        .standfirst
        .iter()
        .chain(story.paragraphs.iter())
        .map(|p| p.split_whitespace().count())
        .sum()
}

/// A story's near-duplicates: how many, and how many of them come from
/// a source other than the story's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copies {
    pub others: usize,
    pub other_sources: usize,
}

impl Copies {
    /// The copies of a story from `source`, given the copies' sources.
    pub fn of<'a>(
        source: Option<&str>,
        copies: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Copies {
        let own = source.map(same_text_key);
        let mut others = 0;
        let mut sources: Vec<String> = Vec::new();
        for copy in copies {
            others += 1;
            let key = copy.map(same_text_key).unwrap_or_default();
            if !key.is_empty() && Some(&key) != own.as_ref() && !sources.contains(&key) {
                sources.push(key);
            }
        }
        Copies {
            others,
            other_sources: sources.len(),
        }
    }

    /// "also in 2 sources", or "1 other copy" when every copy comes from
    /// the story's own source; None without copies.
    pub fn phrase(&self) -> Option<String> {
        use crate::fmt::plural;
        match (self.others, self.other_sources) {
            (0, _) => None,
            (n, 0) => Some(plural(n, "other copy", "other copies")),
            (_, n) => Some(format!(
                "also in {}",
                plural(n, "other source", "other sources")
            )),
        }
    }
}

/// Text compared for sameness: letters and digits, lower-cased.
fn same_text_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The parts of the meta line: "Source", "20 Nov 2026 08:30", "REUTERS",
/// "by Jo Lee", "4 min read", "also in 2 other sources". A credit that
/// only repeats the source ("THE STRAITS TIMES" under The Straits Times)
/// is left out.
pub fn meta_parts(story: &Article, date: Option<String>, copies: Copies) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(story.source.clone());
    parts.extend(date);
    let source = story.source.as_deref().map(same_text_key);
    parts.extend(
        story
            .credit
            .clone()
            .filter(|c| source.is_none() || source.as_deref() != Some(same_text_key(c).as_str())),
    );
    parts.extend(story.author.as_ref().map(|a| format!("by {a}")));
    parts.push(format!("{} min read", words(story).div_ceil(230).max(1)));
    parts.extend(copies.phrase());
    parts
}

/// The separator between the meta line's parts.
pub const META_SEP: &str = " · ";

/// "Source · 20 Nov 2026 08:30 · REUTERS · by Jo Lee · 4 min read".
pub fn meta_line(story: &Article, date: Option<String>, copies: Copies) -> String {
    meta_parts(story, date, copies).join(META_SEP)
}

/// A story's parts, in reading order.
pub fn blocks(story: &Article, ctx: &Context) -> Vec<Block> {
    let block = |part, text: &str| Block {
        part,
        text: text.to_owned(),
    };
    let mut out = vec![
        block(Part::Title, &story.title),
        block(Part::Meta, &meta_line(story, ctx.date.clone(), ctx.copies)),
    ];
    if ctx.ident {
        let mut ident = vec![format!("ID {}", story.id)];
        ident.extend(story.url.clone());
        out.push(block(Part::Ident, &ident.join(" · ")));
    }
    out.extend(story.standfirst.iter().map(|s| block(Part::Standfirst, s)));
    out.extend(story.paragraphs.iter().map(|p| block(Part::Paragraph, p)));
    out.extend(story.caption.iter().map(|c| block(Part::Caption, c)));
    if !story.tags.is_empty() {
        out.push(block(
            Part::Tags,
            &format!("Tags: {}", story.tags.join(", ")),
        ));
    }
    if !ctx.ident {
        out.extend(story.url.iter().map(|u| block(Part::Link, u)));
    }
    out
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

/// Text longer than this is wrapped a piece at a time.
const WRAP_PIECE: usize = 64 * 1024;

/// `text` wrapped at `width`. textwrap holds every word of what it wraps,
/// so a paragraph of megabytes (a file that is one long line) is wrapped a
/// piece at a time: each piece ends after a space, and the last line of
/// one starts the next, so the lines run on as if wrapped whole.
fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let owned = |lines: Vec<std::borrow::Cow<'_, str>>| -> Vec<String> {
        lines
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect()
    };
    if text.len() <= WRAP_PIECE {
        return owned(textwrap::wrap(text, width));
    }
    let mut out = Vec::new();
    let mut carry = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(WRAP_PIECE);
        if cut < rest.len() {
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            if let Some(space) = rest[..cut].rfind(' ').filter(|&at| at > 0) {
                cut = space + 1;
            }
        }
        let piece = format!("{carry}{}", &rest[..cut]);
        rest = &rest[cut..];
        let mut lines = owned(textwrap::wrap(&piece, width));
        carry = match lines.pop() {
            Some(last) if !rest.is_empty() => last + " ",
            Some(last) => {
                lines.push(last);
                String::new()
            }
            None => String::new(),
        };
        out.extend(lines);
    }
    out
}

/// A line of ` · `-separated parts wrapped between parts, never inside
/// one ("· 2 min" / "read"), unless a part alone is wider than a line.
fn wrap_parts(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in text.split(META_SEP) {
        let joined = line.width() + META_SEP.width() + part.width();
        if line.is_empty() || joined > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if part.width() > width {
                let mut pieces = wrap_text(part, width);
                line = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
            } else {
                line = part.to_owned();
            }
        } else {
            line.push_str(META_SEP);
            line.push_str(part);
        }
    }
    lines.push(line);
    lines
}

/// The blocks wrapped to `width` columns (at least 10), a blank line
/// before each block but the meta lines under the headline. `justify`
/// spreads the full lines of prose to both edges.
pub fn wrap(blocks: &[Block], width: usize, justify: bool) -> Vec<StyledLine> {
    let width = width.max(10);
    let mut lines = Vec::new();
    for (n, block) in blocks.iter().enumerate() {
        let kind = block.part.kind();
        if n > 0 && !matches!(block.part, Part::Meta | Part::Ident) {
            lines.push(StyledLine {
                text: String::new(),
                kind: LineKind::Blank,
            });
        }
        let wrapped = if block.part == Part::Meta {
            wrap_parts(&block.text, width)
        } else {
            wrap_text(&block.text, width)
        };
        let last = wrapped.len().saturating_sub(1);
        let prose = matches!(kind, LineKind::Body | LineKind::Standfirst);
        for (i, line) in wrapped.into_iter().enumerate() {
            let text = if justify && prose && i < last {
                justified(&line, width)
            } else {
                line
            };
            lines.push(StyledLine { text, kind });
        }
    }
    lines
}

/// The wrapped lines as text, a line each.
pub fn to_text(lines: &[StyledLine]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

/// A story as plain text for the clipboard: the headline, the standfirst,
/// the paragraphs and the link, a blank line between.
pub fn plain(story: &Article) -> String {
    let parts: Vec<String> = blocks(story, &Context::default())
        .into_iter()
        .filter(|b| {
            matches!(
                b.part,
                Part::Title | Part::Standfirst | Part::Paragraph | Part::Link
            )
        })
        .map(|b| b.text)
        .collect();
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_paragraph_wraps_in_pieces_as_it_would_whole() {
        let text: String = (0..40_000)
            .map(|i| ["harbour", "ferry", "a", "extraordinarily", "fare"][i % 5])
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.len() > 2 * WRAP_PIECE);
        let pieces = wrap_text(&text, 50);
        assert!(pieces.iter().all(|l| l.chars().count() <= 50));
        // Nothing lost or doubled, and no short line where a piece ended.
        assert_eq!(pieces.join(" "), text);
        let short = pieces[..pieces.len() - 1]
            .iter()
            .filter(|l| l.chars().count() < 50 - "extraordinarily".len())
            .count();
        assert_eq!(short, 0, "{:?}", &pieces[..3]);
    }
    use crate::article::Role;

    fn story() -> Article {
        let mut a = Article::new("Ferry fares fall".into(), Role::Main);
        a.source = Some("Wire".into());
        a.credit = Some("AFP".into());
        a.standfirst = Some("Cheaper crossings from April.".into());
        a.paragraphs = vec![
            "The operator said so on Monday.".into(),
            "- one\n- two".into(),
        ];
        a.caption = Some("PHOTO: AFP".into());
        a.url = Some("https://x.example/1".into());
        a
    }

    #[test]
    fn the_meta_line_breaks_between_parts_and_drops_a_credit_repeating_the_source() {
        let mut s = story();
        s.source = Some("The Straits Times".into());
        s.credit = Some("THE STRAITS TIMES".into());
        let line = meta_line(&s, Some("20 Nov 2026 08:30".into()), Copies::default());
        assert_eq!(line.matches("traits").count(), 1, "{line}");
        s.credit = Some("REUTERS".into());
        let line = meta_line(&s, Some("20 Nov 2026 08:30".into()), Copies::default());
        assert!(line.contains("REUTERS"), "{line}");
        for width in 10..60 {
            for row in wrap_parts(&line, width) {
                assert!(
                    !row.starts_with("read") && !row.ends_with(" min"),
                    "{width}: {row}"
                );
                assert!(
                    !row.starts_with('·') && !row.ends_with('·'),
                    "{width}: {row}"
                );
            }
        }
        assert_eq!(wrap_parts(&line, 200), vec![line.clone()]);
    }

    #[test]
    fn copies_from_the_same_source_are_not_other_sources() {
        let same = Copies::of(Some("Courier"), [Some("COURIER"), Some("Courier")]);
        assert_eq!(same.phrase().as_deref(), Some("2 other copies"));
        let other = Copies::of(Some("Courier"), [Some("Herald"), Some("Courier")]);
        assert_eq!(other.phrase().as_deref(), Some("also in 1 other source"));
        assert_eq!(Copies::of(Some("Courier"), []).phrase(), None);
    }

    #[test]
    fn parts_come_in_reading_order() {
        let parts: Vec<Part> = blocks(&story(), &Context::default())
            .iter()
            .map(|b| b.part)
            .collect();
        use Part::*;
        assert_eq!(
            parts,
            [Title, Meta, Standfirst, Paragraph, Paragraph, Caption, Link]
        );
        let ident = blocks(
            &story(),
            &Context {
                ident: true,
                ..Context::default()
            },
        );
        assert_eq!(ident[2].part, Ident);
        assert!(ident[2].text.ends_with("https://x.example/1"));
        assert!(!ident.iter().any(|b| b.part == Link));
    }

    #[test]
    fn wrapped_lines_and_plain_text() {
        let lines = wrap(&blocks(&story(), &Context::default()), 60, false);
        assert_eq!(lines[0].kind, LineKind::Title);
        assert_eq!(lines[1].kind, LineKind::Meta);
        assert_eq!(lines[2].kind, LineKind::Blank);
        let narrow = wrap(&blocks(&story(), &Context::default()), 20, false);
        assert!(narrow.iter().all(|l| l.text.chars().count() <= 20));
        assert!(lines.iter().any(|l| l.text == "- two"));
        assert_eq!(
            plain(&story()),
            "Ferry fares fall\n\nCheaper crossings from April.\n\nThe operator said so on Monday.\n\n- one\n- two\n\nhttps://x.example/1\n"
        );
        let two = Copies {
            others: 2,
            other_sources: 2,
        };
        assert!(meta_line(&story(), None, two).ends_with("1 min read · also in 2 other sources"));
    }
}
