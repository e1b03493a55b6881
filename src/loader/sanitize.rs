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

/// Is `c` a C0 (other than LF), DEL or C1 control character?
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{80}'..='\u{9F}')
}

/// Makes text safe to show in a terminal.
///
/// - CRLF and a lone CR become LF; tabs become spaces to the next tab stop;
/// - every other C0, DEL and C1 control is replaced by U+FFFD;
/// - bidi overrides and isolates are removed.
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
            c if is_bidi_control(c) => {}
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
        let text = "深圳 café e\u{301} 👩\u{200D}💻 ❤\u{FE0F}";
        assert_eq!(sanitize(text), text);
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
