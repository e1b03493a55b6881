//! Sanitising of untrusted text, done once when a file is loaded.
//!
//! Every string that reaches the store (and so the terminal) goes through
//! [`sanitize`]. It works one character at a time and never deletes a whole
//! "escape sequence", so no visible text after a bad byte is ever lost.

/// Tab stops every this many columns.
const TAB_WIDTH: usize = 4;

/// The placeholder shown in place of a control character.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// Is `c` a bidi override or isolate, which could reorder what the user sees?
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Is `c` an emoji (roughly Unicode's Extended_Pictographic)?
fn is_pictographic(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}')
}

/// Characters that make the width of an emoji a matter of which terminal
/// draws it: the variation selectors that ask for text or emoji
/// presentation, and skin-tone modifiers. They are dropped, so that every
/// terminal draws what byline measured.
fn is_width_ambiguous(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}')
}

const ZWJ: char = '\u{200D}';

/// Is `c` a C0 (other than LF), DEL or C1 control character?
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{80}'..='\u{9F}')
}

/// Makes text safe to show in a terminal.
///
/// - CRLF and a lone CR become LF; tabs become spaces to the next tab stop;
/// - every other C0, DEL and C1 control is replaced by U+FFFD;
/// - bidi overrides and isolates are removed;
/// - emoji are drawn one at a time, at the width every terminal agrees on:
///   variation selectors and skin tones are removed, and so is a zero-width
///   joiner next to an emoji (a family becomes its members). A joiner
///   between letters (as in Indic scripts) stays.
///
/// `sanitize(sanitize(x)) == sanitize(x)` for every `x`.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut column = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                column = 0;
            }
            '\n' => {
                out.push('\n');
                column = 0;
            }
            '\t' => {
                let spaces = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            c if is_bidi_control(c) || is_width_ambiguous(c) => {}
            ZWJ => {
                let next = chars
                    .clone()
                    .find(|&n| n != ZWJ && !is_width_ambiguous(n) && !is_bidi_control(n));
                let joins_emoji = out.chars().next_back().is_some_and(is_pictographic)
                    || next.is_some_and(is_pictographic);
                if !joins_emoji {
                    out.push(ZWJ);
                }
            }
            c if is_control(c) => {
                out.push(PLACEHOLDER);
                column += 1;
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

/// Sanitises text that must stay on one line (a title, a source, a path):
/// line breaks become spaces and runs of white space fold to one.
pub fn sanitize_line(text: &str) -> String {
    collapse_whitespace(&sanitize(text))
}

/// Folds every run of white space to a single space and trims the ends.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A path made safe to print.
pub fn display_path(path: &std::path::Path) -> String {
    sanitize_line(&path.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(sanitize("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn tabs_expand_to_tab_stops() {
        assert_eq!(sanitize("\tx"), "    x");
        assert_eq!(sanitize("ab\tx"), "ab  x");
        assert_eq!(sanitize("a\n\tb"), "a\n    b");
    }

    #[test]
    fn escape_sequences_are_defused_but_text_kept() {
        let s = sanitize("red \x1b[31mALERT\x1b]0;title\x07 after");
        assert!(!s.contains('\x1b'));
        assert!(!s.contains('\x07'));
        assert!(s.contains("ALERT"));
        assert!(s.contains("title"));
        assert!(s.ends_with(" after"));
    }

    #[test]
    fn unterminated_osc_keeps_following_text() {
        let s = sanitize("before\x1b]8;;http://evil after the link");
        assert!(s.contains("after the link"));
    }

    #[test]
    fn c1_and_del_are_replaced() {
        let s = sanitize("a\u{9b}31mb\u{7f}c\u{85}d");
        assert_eq!(s, "a\u{FFFD}31mb\u{FFFD}c\u{FFFD}d");
    }

    #[test]
    fn bidi_overrides_are_removed() {
        assert_eq!(sanitize("abc\u{202E}fed\u{2066}x\u{2069}"), "abcfedx");
    }

    #[test]
    fn wide_and_combining_characters_pass() {
        let text = "深圳 café e\u{301} क\u{94D}\u{200D}ष";
        assert_eq!(sanitize(text), text);
    }

    #[test]
    fn emoji_are_drawn_one_at_a_time() {
        assert_eq!(
            sanitize("👩\u{200D}👩\u{200D}👧 ❤\u{FE0F} 👍\u{1F3FD}"),
            "👩👩👧 ❤ 👍"
        );
        assert_eq!(sanitize("a\u{200D}\u{FE0F}👩"), "a👩");
        assert_eq!(sanitize("a\u{200D}\u{FE0F}b"), "a\u{200D}b");
    }

    #[test]
    fn idempotent_on_nasty_input() {
        let nasty = "\t\r\n\x1b[2J\u{9b}\u{202e}\t\x00x\r";
        let once = sanitize(nasty);
        assert_eq!(sanitize(&once), once);
    }

    #[test]
    fn sanitize_line_folds_breaks() {
        assert_eq!(sanitize_line("  a\r\nb\t c "), "a b c");
    }
}
