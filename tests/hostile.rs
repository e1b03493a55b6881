//! Hostile text: property tests from arbitrary bytes and from text laced with
//! escape sequences, through the loader, the store and every screen, drawn
//! by the real crossterm backend into bytes. Nothing but byline's own
//! styling may reach the terminal, the terminal must show exactly what
//! byline drew, and no text after a bad sequence may go missing.

mod common;

use std::path::Path;

use byline::app::App;
use byline::loader::sanitize;
use proptest::prelude::*;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Pieces that terminals, or width tables, treat specially.
const NASTY: &[&str] = &[
    "\x1b[31m",
    "\x1b[2J",
    "\x1b[H",
    "\x1b]0;pwned\x07",
    "\x1b]8;;https://evil.example/\x1b\\",
    "\x1b]52;c;aGVsbG8=\x07",
    // Unterminated: a line break comes before any terminator.
    "\x1b]0;unterminated\n",
    "\x1bP1$qm\x1b\\",
    "\x1b",
    "\u{9b}31m",
    "\u{9d}0;c1 title\u{9c}",
    "\u{85}",
    "\x07",
    "\x00",
    "\x7f",
    "\r",
    "\r\n",
    "\t",
    "\u{202e}",
    "\u{2066}",
    "\u{2069}",
    "\u{200b}",
    "中文",
    "深圳",
    "👩\u{200d}👩\u{200d}👧",
    "❤\u{fe0f}",
    "👍\u{1F3FD}",
    "🇬🇧",
    "1\u{fe0f}\u{20e3}",
    "क\u{94d}\u{200d}ष",
    "\u{200d}",
    "e\u{301}",
    "\u{301}",
    "ｆｕｌｌ",
    "—",
    "\u{feff}",
];

/// Complete, well-formed sequences: each is removed whole.
const COMPLETE: &[&str] = &[
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[2J",
    "\x1b[H",
    "\x1b[?25l",
    "\x1b[38;5;196m",
    "\x1b]0;pwned\x07",
    "\x1b]8;;https://evil.example/\x1b\\",
    "\x1b]52;c;aGVsbG8=\x07",
    "\x1bP1$qm\x1b\\",
    "\x1b_apc body\x1b\\",
    "\x1b^pm body\x1b\\",
    "\x1bXsos body\x1b\\",
    "\u{9b}31m",
    "\u{9d}0;c1 title\u{9c}",
    "\u{90}dcs\u{9c}",
];

/// Words that must survive: plain ASCII, found again after sanitising.
fn word() -> impl Strategy<Value = String> {
    "[a-z]{3,9}".prop_map(|w| format!("w{w}"))
}

/// Text made of words with hostile pieces between them.
fn laced_text() -> impl Strategy<Value = (String, Vec<String>)> {
    prop::collection::vec((prop::sample::select(NASTY), word()), 1..24).prop_map(|parts| {
        let mut text = String::new();
        let mut words = Vec::new();
        for (nasty, word) in parts {
            text.push_str(nasty);
            text.push_str(&word);
            text.push(' ');
            words.push(word);
        }
        (text, words)
    })
}

/// An article file: one of the formats, made from laced text.
fn article((title, body): (String, String), format: usize) -> (&'static str, Vec<u8>) {
    let json_str = |s: &str| serde_json::to_string(s).unwrap();
    match format {
        0 => ("txt", format!("{title}\n\n{body}\n").into_bytes()),
        1 => (
            "md",
            format!("---\ntitle: {}\nsource: {}\n---\n\n{body}\n", json_str(&title), json_str("Wire\x1b]0;x\x07 News"))
                .into_bytes(),
        ),
        2 => (
            "json",
            format!("{{\"title\": {}, \"body\": {}}}", json_str(&title), json_str(&body)).into_bytes(),
        ),
        3 => (
            "jsonl",
            format!("{{\"title\": {}, \"text\": {}}}\n", json_str(&title), json_str(&body)).into_bytes(),
        ),
        _ => (
            "txt",
            format!(
                "{title}\n\nA standfirst {body}\n\nPHOTO: REUTERS\n\n{body}\n\nREUTERS\n\nRelated Articles\n\nThe Wire\n\n10 minutes ago\n\n- The Wire\n\n{body}\n\n{body}\n"
            )
            .into_bytes(),
        ),
    }
}

/// Loads `files` into a store and opens the interface on them, `width` x `height`.
fn app_on(dir: &Path, files: &[(String, Vec<u8>)], width: u16, height: u16) -> common::TestApp {
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    for (name, bytes) in files {
        std::fs::write(lib.join(name), bytes).unwrap();
    }
    common::app_in(&lib, &dir.join("config"), width, height)
}

/// What the backend writes, kept where the test can read it.
#[derive(Clone, Default)]
struct Written(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Written {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Draws the app with the real crossterm backend: the bytes a terminal gets,
/// and the buffer byline meant it to show.
fn draw_bytes(app: &App) -> (Vec<u8>, Buffer) {
    let area = Rect::new(0, 0, app.width, app.height);
    let written = Written::default();
    let backend = CrosstermBackend::new(written.clone());
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    let buffer = terminal
        .draw(|frame| byline::ui::render(app, &byline::theme::Theme::default(), frame))
        .unwrap()
        .buffer
        .clone();
    let bytes = written.0.borrow().clone();
    (bytes, buffer)
}

/// Every escape in `out` is one of byline's own: a CSI sequence of
/// parameters and one final letter (cursor moves, colours, attributes).
/// Nothing else (OSC, DCS, C1, BEL, other C0) may be there.
fn only_own_sequences(out: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(out).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\x1b' {
            if chars.next().map(|(_, c)| c) != Some('[') {
                return Err(format!("a non-CSI escape at byte {at}"));
            }
            loop {
                match chars.next() {
                    Some((_, p)) if p.is_ascii_digit() || matches!(p, ';' | '?' | ':') => {}
                    Some((_, f)) if f.is_ascii_alphabetic() => break,
                    other => return Err(format!("a malformed CSI at byte {at}: {other:?}")),
                }
            }
        } else if c.is_control() {
            return Err(format!("control {c:?} at byte {at}"));
        } else if matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            return Err(format!("bidi control {c:?} at byte {at}"));
        }
    }
    Ok(())
}

/// The rows a terminal shows after `out`, compared with the buffer byline
/// drew: the same text in every row means no border moved and no line ran
/// out of its area.
fn terminal_matches_buffer(out: &[u8], buffer: &Buffer) -> Result<(), String> {
    let (w, h) = (buffer.area.width, buffer.area.height);
    if w == 0 || h == 0 {
        return Ok(());
    }
    let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
    let mut parser = vt100::Parser::new(size(h), size(w), 0);
    // vt100 drops U+FFFD, which terminals show: stand in a sign of the
    // same width for it, on both sides.
    const STAND_IN: &str = "¤";
    let out = String::from_utf8_lossy(out).replace('\u{fffd}', STAND_IN);
    parser.process(out.as_bytes());
    let shown: Vec<String> = parser.screen().rows(0, w).collect();
    for y in 0..h {
        let mut meant = String::new();
        let mut hidden = 0;
        for x in 0..w {
            let symbol = buffer[(x, y)].symbol();
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            meant.push_str(&symbol.replace('\u{fffd}', STAND_IN));
            hidden = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
        }
        let shown_row = shown[y as usize].trim_end();
        if shown_row != meant.trim_end() {
            return Err(format!(
                "row {y} differs:\n shown {shown_row:?}\n meant {:?}",
                meant.trim_end()
            ));
        }
    }
    Ok(())
}

/// Opens each screen in turn and checks every frame.
fn check_every_screen(app: &mut common::TestApp) -> Result<(), TestCaseError> {
    let steps = [
        "",
        "<enter>",
        "<tab>",
        "<tab> j",
        "<esc> / w",
        "<c-t>",
        "<esc> ?",
        "<esc> !",
        "<esc> A",
        "n t",
        "G",
    ];
    for step in steps {
        common::press(app, step);
        let (out, buffer) = draw_bytes(app);
        only_own_sequences(&out)
            .map_err(|e| TestCaseError::fail(format!("after {step:?}: {e}")))?;
        terminal_matches_buffer(&out, &buffer).map_err(|e| {
            TestCaseError::fail(format!(
                "after {step:?} at {}x{}: {e}",
                app.width, app.height
            ))
        })?;
    }
    Ok(())
}

/// The checks themselves catch what they are for.
#[test]
fn the_checks_catch_leaks_and_shifts() {
    assert!(only_own_sequences(b"\x1b[1;1H\x1b[38;5;12mok\x1b[0m\x1b[?25l").is_ok());
    for bad in [
        &b"\x1b]0;title\x07"[..],
        b"a\x07b",
        "a\u{9b}2J".as_bytes(),
        "x\u{202e}y".as_bytes(),
        b"\x1bP1$q\x1b\\",
        b"\x1b[31;\x1b",
    ] {
        assert!(only_own_sequences(bad).is_err(), "{bad:?}");
    }
    let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 1));
    buffer.set_string(0, 0, "中文ab", ratatui::style::Style::default());
    assert!(terminal_matches_buffer("中文ab".as_bytes(), &buffer).is_ok());
    // A terminal that drew one more column than byline measured.
    assert!(terminal_matches_buffer("中文xab".as_bytes(), &buffer).is_err());
}

proptest! {
    // PROPTEST_CASES=5000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn sanitising_is_idempotent_and_keeps_every_word((text, words) in laced_text(), noise in ".{0,40}") {
        let mixed = format!("{noise}{text}");
        let once = sanitize::sanitize(&mixed);
        prop_assert_eq!(sanitize::sanitize(&once), once.clone());
        let line = sanitize::sanitize_line(&mixed);
        prop_assert_eq!(sanitize::sanitize_line(&line), line.clone());
        // Every word after a bad sequence is still there, in order.
        let mut rest = once.as_str();
        for w in &words {
            let at = rest.find(w.as_str());
            prop_assert!(at.is_some(), "{:?} lost from {:?}", w, once);
            rest = &rest[at.unwrap() + w.len()..];
        }
        prop_assert!(!once.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn complete_sequences_are_removed_whole(
        parts in prop::collection::vec((prop::sample::select(COMPLETE), word()), 1..24),
    ) {
        let mut text = String::new();
        let mut expected = String::new();
        for (sequence, word) in &parts {
            text.push_str(sequence);
            text.push_str(word);
            text.push(' ');
            expected.push_str(word);
            expected.push(' ');
        }
        prop_assert_eq!(sanitize::sanitize(&text), expected);
    }

    #[test]
    fn arbitrary_bytes_load_and_draw_cleanly(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        ext in prop::sample::select(vec!["txt", "md", "json", "jsonl", "html", ""]),
        width in 0u16..300,
        height in 0u16..100,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            (format!("random.{ext}"), bytes),
            ("good.txt".to_owned(), b"A good story\n\nIt loads.\n".to_vec()),
        ];
        let mut app = app_on(dir.path(), &files, width, height);
        check_every_screen(&mut app)?;
    }

    #[test]
    fn laced_articles_load_and_draw_cleanly(
        (title, title_words) in laced_text(),
        (body, body_words) in laced_text(),
        format in 0usize..5,
        width in 0u16..300,
        height in 0u16..100,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (ext, bytes) = article((title, body), format);
        let files = vec![(format!("laced.{ext}"), bytes)];
        let mut app = app_on(dir.path(), &files, width, height);
        check_every_screen(&mut app)?;
        // The loader kept every word of the headline and the body, in order
        // (a page repeats its body in odd places, so only the others).
        let path = dir.path().join("lib").join(&files[0].0);
        let loaded = byline::loader::load_file(&path, common::clock());
        if let Err(reason) = &loaded {
            // A NUL byte in plain text marks a binary file, skipped whole.
            prop_assert!(
                matches!(reason, byline::loader::SkipReason::Binary) && files[0].1.contains(&0),
                "skipped: {reason}"
            );
        }
        if let (Ok(loaded), true) = (loaded, format < 4) {
            let a = &loaded.articles[0];
            let all = [vec![a.title.clone()], a.standfirst.iter().cloned().collect(), a.paragraphs.clone()].concat().join(" ");
            let mut rest = all.as_str();
            for w in title_words.iter().chain(&body_words) {
                let at = rest.find(w.as_str());
                prop_assert!(at.is_some(), "{:?} lost from {:?}", w, all);
                rest = &rest[at.unwrap() + w.len()..];
            }
        }
    }
}
