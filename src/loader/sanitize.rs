//! Sanitising of untrusted text, done once when a file is loaded, before
//! any parsing.
//!
//! Every string that reaches the store (and so the terminal) goes through
//! [`sanitize`]. A complete, well-formed escape sequence (CSI, OSC, DCS,
//! SOS, PM, APC, in their ESC or C1 forms) is removed whole, so
//! `rise ESC[31mslightly ESC[0m` reads `rise slightly`. A sequence that is
//! unterminated or malformed loses nothing after it: only its introducer
//! is replaced, by a visible placeholder.

/// Tab stops every this many columns.
const TAB_WIDTH: usize = 4;

/// The placeholder shown in place of a control character.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// The longest escape sequence removed whole; a longer one is malformed.
const MAX_SEQUENCE: usize = 4096;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
/// The C1 string terminator.
const C1_ST: char = '\u{9c}';

/// How an escape sequence's body ends.
#[derive(Clone, Copy, PartialEq)]
enum Body {
    /// Control sequence: parameters, intermediates, one final byte.
    Csi,
    /// Operating system command: ended by BEL or ST.
    Osc,
    /// DCS, SOS, PM and APC: ended by ST.
    Str,
}

/// The kind of sequence a C1 control introduces, if any.
fn c1_body(c: char) -> Option<Body> {
    match c {
        '\u{9b}' => Some(Body::Csi),
        '\u{9d}' => Some(Body::Osc),
        '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => Some(Body::Str),
        _ => None,
    }
}

/// The kind of sequence `ESC c` introduces, if any.
fn esc_body(c: char) -> Option<Body> {
    match c {
        '[' => Some(Body::Csi),
        ']' => Some(Body::Osc),
        'P' | 'X' | '^' | '_' => Some(Body::Str),
        _ => None,
    }
}

/// The byte length of a complete sequence body at the start of `rest`, with
/// its terminator, or None when it is malformed or unterminated.
fn body_len(rest: &str, body: Body) -> Option<usize> {
    let mut chars = rest.char_indices().take(MAX_SEQUENCE).peekable();
    match body {
        Body::Csi => {
            // Parameters 0x30-0x3F, intermediates 0x20-0x2F, then a final 0x40-0x7E.
            let mut intermediates = false;
            for (i, c) in chars {
                match c {
                    '\u{30}'..='\u{3f}' if !intermediates => {}
                    '\u{20}'..='\u{2f}' => intermediates = true,
                    '\u{40}'..='\u{7e}' => return Some(i + 1),
                    _ => return None,
                }
            }
            None
        }
        Body::Osc | Body::Str => {
            while let Some((i, c)) = chars.next() {
                match c {
                    BEL if body == Body::Osc => return Some(i + 1),
                    C1_ST => return Some(i + C1_ST.len_utf8()),
                    ESC => {
                        return chars.next().filter(|&(_, n)| n == '\\').map(|(j, _)| j + 1);
                    }
                    // Any other control (a line break too) means the text
                    // was never a sequence: keep it.
                    c if c.is_control() => return None,
                    _ => {}
                }
            }
            None
        }
    }
}

/// The byte length of the complete escape sequence that starts `text` (with
/// an ESC or a C1 introducer), or None when there is none.
fn sequence_len(text: &str) -> Option<usize> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let (body, skip) = if first == ESC {
        let second = chars.next()?;
        (esc_body(second)?, 1 + second.len_utf8())
    } else {
        (c1_body(first)?, first.len_utf8())
    };
    body_len(&text[skip..], body).map(|n| skip + n)
}

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
/// - complete escape sequences are removed whole; the introducer of a
///   malformed or unterminated one is replaced by U+FFFD, and the text
///   after it kept;
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
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        at += c.len_utf8();
        match c {
            c if c == ESC || c1_body(c).is_some() => {
                if let Some(len) = sequence_len(rest) {
                    at += len - c.len_utf8();
                } else {
                    out.push(PLACEHOLDER);
                    column += 1;
                }
            }
            '\r' => {
                if text[at..].starts_with('\n') {
                    at += 1;
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
                let next = text[at..]
                    .chars()
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
    fn complete_sequences_are_removed_whole() {
        assert_eq!(
            sanitize("Bus fares to rise \x1b[31mslightly\x1b[0m from December"),
            "Bus fares to rise slightly from December"
        );
        assert_eq!(
            sanitize("lanes \x1b]0;PWNED\x07after debate"),
            "lanes after debate"
        );
        assert_eq!(
            sanitize("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b"),
            "alinkb"
        );
        assert_eq!(sanitize("a\x1bP1$qm\x1b\\b\x1b_apc\x1b\\c"), "abc");
        assert_eq!(sanitize("a\u{9b}2Jb\u{9d}0;t\u{9c}c"), "abc");
        assert_eq!(
            sanitize("pier. \x1b[2J\x1b[H PHOTO: AFP"),
            "pier.  PHOTO: AFP"
        );
    }

    #[test]
    fn malformed_sequences_lose_only_their_introducer() {
        assert_eq!(sanitize("a\x1bqb"), "a\u{FFFD}qb");
        assert_eq!(sanitize("a\x1b[31;\u{e9}b"), "a\u{FFFD}[31;\u{e9}b");
        assert_eq!(sanitize("end\x1b"), "end\u{FFFD}");
        assert_eq!(sanitize("a\x1b]0;no end\nnext"), "a\u{FFFD}]0;no end\nnext");
        assert_eq!(sanitize("a\x1bPdcs\x07b"), "a\u{FFFD}Pdcs\u{FFFD}b");
        let long = format!("\x1b]{}", "x".repeat(5000));
        assert!(sanitize(&long).ends_with(&"x".repeat(5000)));
    }

    #[test]
    fn c1_and_del_are_replaced() {
        let s = sanitize("a\u{9b}31mb\u{7f}c\u{85}d\u{9b}");
        assert_eq!(s, "ab\u{FFFD}c\u{FFFD}d\u{FFFD}");
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
