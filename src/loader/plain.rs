//! Plain text: a title line, a blank line, then paragraphs separated by
//! blank lines. Bullet lists keep one item a line.

use super::sanitize::collapse_whitespace;
use super::{FileContext, Loaded};
use crate::article::{Article, Format, Role};

/// Is this line an item of a bullet or numbered list?
pub fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    if line.starts_with("- ")
        || line.starts_with("* ")
        || line.starts_with("• ")
        || line.starts_with("+ ")
    {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && digits < 4
        && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// Groups lines into paragraphs at blank lines. Lines of a paragraph are
/// joined with spaces, except list items, which keep a line each.
pub fn paragraphs<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(if is_list_item(trimmed) { '\n' } else { ' ' });
        }
        if is_list_item(trimmed) {
            current.push_str(trimmed);
        } else {
            current.push_str(&collapse_whitespace(trimmed));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A line drawn with one repeated mark ("=====", "-----", "~~~~", "*****"),
/// three or more: a rule, not words.
pub fn is_rule(line: &str) -> bool {
    let line = line.trim();
    let mut chars = line.chars();
    chars.next().is_some_and(|first| {
        !first.is_alphanumeric() && line.chars().count() >= 3 && chars.all(|c| c == first)
    })
}

/// Parses plain text; `text` is already sanitised.
pub fn parse(text: &str, ctx: &FileContext) -> Loaded {
    // A title's rules ("=====" over or under it, as reStructuredText and
    // many READMEs draw them) are decoration, not the title or its text.
    let mut lines = text
        .lines()
        .skip_while(|l| l.trim().is_empty() || is_rule(l))
        .peekable();
    let title = lines.next().map(collapse_whitespace).unwrap_or_default();
    lines.next_if(|l| is_rule(l));
    let mut article = Article::new(title, Role::Main);
    article.source = ctx.folder.clone();
    article.published = Some(ctx.modified);
    article.paragraphs = paragraphs(lines);
    Loaded::new(Format::PlainText, vec![article], Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn title_paragraphs_and_bullets() {
        let ctx = FileContext {
            modified: Utc::now(),
            folder: Some("business".into()),
            extension: Some("txt".into()),
            stem: None,
        };
        let text =
            "Shares rally\n\nFirst para\ncontinues here.\n\nThe list:\n- one\n- two\n\nLast.\n";
        let loaded = parse(text, &ctx);
        let a = &loaded.articles[0];
        assert_eq!(a.title, "Shares rally");
        assert_eq!(a.source.as_deref(), Some("business"));
        assert_eq!(
            a.paragraphs,
            vec![
                "First para continues here.",
                "The list:\n- one\n- two",
                "Last."
            ]
        );
    }

    #[test]
    fn list_items() {
        assert!(is_list_item("- a"));
        assert!(is_list_item("12. a"));
        assert!(!is_list_item("2005 was a year"));
        assert!(!is_list_item("-5 degrees"));
    }

    #[test]
    fn rules_over_and_under_a_title_are_decoration() {
        let ctx = FileContext {
            modified: Utc::now(),
            folder: None,
            extension: Some("txt".into()),
            stem: None,
        };
        let text = "=========\nRelease Notes\n=========\n\nFixes a crash on start.\n\n- - -\n";
        let a = &parse(text, &ctx).articles[0];
        assert_eq!(a.title, "Release Notes");
        assert_eq!(a.paragraphs[0], "Fixes a crash on start.");
        // A short line of marks, or one with words, is text.
        assert!(!is_rule("--") && !is_rule("== A =="));
        assert!(is_rule("~~~~") && is_rule("  *****  "));
    }
}
