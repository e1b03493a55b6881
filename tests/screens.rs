//! Whole screens as insta snapshots at 80x24 and 120x40, with an injected
//! clock; and cell-level checks of styles the snapshots cannot show.

mod common;

use common::{Sandbox, app_on, draw, fixture_app, press, screen};
use ratatui::style::{Color, Modifier};

fn snap(name: &str, width: u16, height: u16, keys: &str) {
    let (_sb, mut app) = fixture_app(width, height);
    press(&mut app, keys);
    insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen(&app));
}

#[test]
fn list_screens() {
    snap("list", 80, 24, "");
    snap("list", 120, 40, "");
}

#[test]
fn reader_and_sidebar_screens() {
    snap("reader", 80, 24, "/ ferry <enter> t");
    snap("reader", 120, 40, "/ ferry <enter>");
}

#[test]
fn finder_screens() {
    snap("finder", 80, 24, "/ elec <space> boat");
    snap("finder", 120, 40, "/ elec <space> boat");
    snap("finder_full_text", 120, 40, "/ <c-t> crust");
}

#[test]
fn help_screens() {
    snap("help", 80, 24, "?");
    snap("help", 120, 40, "?");
}

#[test]
fn load_report_screens() {
    snap("load_report", 80, 24, "!");
    snap("load_report", 120, 40, "!");
}

#[test]
fn too_small_screen() {
    snap("too_small", 19, 4, "");
}

#[test]
fn finder_highlights_the_matched_characters() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "/ kestrel");
    let finder = app.finder().unwrap();
    let best = &finder.matches[0];
    assert_eq!(
        &*app.list.items[best.index].title,
        "Kestrel Lines orders three more electric boats"
    );
    let line = cells_of_row(&app, "Kestrel Lines orders three more electric boats");
    let start = line.iter().position(|(s, _)| s == "K").unwrap();
    let highlighted: String = line[start..]
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(highlighted, "Kestrel");
    assert!(
        !line[start + 7].1,
        "the character after the match is not highlighted"
    );
}

/// The row of the screen that shows `text`: each cell's symbol, and
/// whether it is drawn in the highlight colour.
fn cells_of_row(app: &byline::app::App, text: &str) -> Vec<(String, bool)> {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    let row = (0..buffer.area.height)
        .find(|&y| {
            let line: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            line.contains(text)
        })
        .unwrap_or_else(|| panic!("`{text}` is not on the screen"));
    (0..buffer.area.width)
        .map(|x| {
            let cell = &buffer[(x, row)];
            (
                cell.symbol().to_owned(),
                cell.fg == byline::theme::Theme::default().matched.fg.unwrap(),
            )
        })
        .collect()
}

/// Full-text matches are highlighted from where the search found them, so
/// brackets in the story's own text are only text.
#[test]
fn full_text_highlights_only_the_matches_even_beside_brackets() {
    let sb = Sandbox::with_library();
    std::fs::write(
        sb.library().join("feeds/brackets.txt"),
        "Council [corrected] minutes\n\nThe minutes [as amended] record a vote on the quayside lamps.\n",
    )
    .unwrap();
    let mut app = app_on(&sb, 120, 40);
    press(&mut app, "/ <c-t> quayside");
    let line = cells_of_row(&app, "[as amended]");
    let shown: String = line.iter().map(|(s, _)| s.as_str()).collect();
    assert!(
        shown.contains("[as amended] record a vote on the quayside"),
        "{shown}"
    );
    let highlighted: String = line
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(highlighted, "quayside");
}

/// Every size draws what fits: nothing at zero, "terminal too small" below
/// the minimum, and above it the panes, the story list and the status bar,
/// never wider than the screen.
#[test]
fn every_size_from_tiny_to_huge_draws_what_fits() {
    use byline::app::layout::{MIN_HEIGHT, MIN_WIDTH, WIDE};
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "<enter>");
    for (w, h) in [
        (0, 0),
        (1, 1),
        (5, 3),
        (20, 5),
        (40, 10),
        (79, 24),
        (80, 24),
        (119, 40),
        (120, 40),
        (300, 100),
    ] {
        app.update(byline::app::Action::Resize(w, h));
        let text = screen(&app);
        let size = format!("at {w}x{h}:\n{text}");
        assert_eq!(text.lines().count(), usize::from(h), "{size}");
        assert!(
            text.lines().all(|l| l.chars().count() <= usize::from(w)),
            "{size}"
        );
        if w == 0 || h == 0 {
            assert!(text.trim().is_empty(), "{size}");
        } else if w < MIN_WIDTH || h < MIN_HEIGHT {
            let shown: String = text.split_whitespace().collect();
            assert!(
                !shown.is_empty() && "terminaltoosmall".starts_with(&shown),
                "{size}"
            );
        } else {
            assert!(text.contains("All · newest"), "{size}");
            assert!(
                text.contains("Snow"),
                "the list shows the first story {size}"
            );
            assert!(text.contains("All │ 11 all"), "the status bar {size}");
            if w >= WIDE {
                assert!(
                    text.contains("Story ·") && text.contains("Related"),
                    "{size}"
                );
            }
        }
    }
}

/// Under NO_COLOR the whole screen has no colour: bold, italic and reverse
/// video still mark what matters.
#[test]
fn no_color_draws_without_any_colour() {
    let (_sb, mut app) = fixture_app(120, 40);
    let theme = byline::config::Config::default().theme(true);
    press(&mut app, "<enter> / ferry");
    app.take_effects();
    let terminal = common::draw_in(&app, &theme);
    let buffer = terminal.backend().buffer();
    let mut reversed = 0;
    for cell in buffer.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        reversed += usize::from(cell.modifier.contains(Modifier::REVERSED));
    }
    assert!(reversed > 0, "the selection still shows");
}
