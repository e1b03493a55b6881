//! The daily reader's screens: the time column (ages, dates, by day), the
//! sources view, the tag prompt, a filtered list's title.

mod common;

use byline::app::Action;
use common::{Sandbox, app_on, fixture_app, press, screen};

#[test]
fn d_cycles_the_time_column_through_dates_and_days() {
    let (_sb, mut app) = fixture_app(120, 40);
    assert!(screen(&app).contains("●   now Snow"), "ages by default");
    press(&mut app, "D");
    let dates = screen(&app);
    assert!(dates.contains("All · newest · dates"), "{dates}");
    assert!(dates.contains(" 12:00 Harbour"), "today's time {dates}");
    assert!(dates.contains(" 19 Nov Library"), "{dates}");
    press(&mut app, "D");
    let days = screen(&app);
    assert!(days.contains("by day"), "{days}");
    for label in ["Today", "Yesterday", "Wed 18 Nov"] {
        assert_eq!(days.matches(label).count(), 1, "{label} once:\n{days}");
    }
    // Grouping needs a list by date: sorted by title, dates show instead.
    press(&mut app, "S S S");
    assert!(screen(&app).contains("title · dates"), "{}", screen(&app));
}

#[test]
fn ages_that_say_nothing_give_way_to_dates() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.library()).unwrap();
    let topics = ["harbour", "bakery", "railway", "library", "market", "ferry"];
    for (n, topic) in topics.iter().enumerate() {
        std::fs::write(
            sb.library().join(format!("{n}.txt")),
            format!("News of the {topic}\n\nThe {topic} opens on {n} days a week from March.\n"),
        )
        .unwrap();
        common::set_mtime(&sb.library().join(format!("{n}.txt")), 1_700_000_000);
    }
    let app = app_on(&sb, 120, 30);
    assert!(app.list.times_shared);
    let text = screen(&app);
    assert!(text.contains("· dates"), "{text}");
    assert!(text.contains(" 2023 "), "the date, not an age: {text}");
}

#[test]
fn the_sources_view_and_a_filtered_list() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "v");
    let text = screen(&app);
    assert!(text.contains("Sources · enter shows"), "{text}");
    assert!(text.contains("All stories"), "{text}");
    assert!(text.contains("The Straits Times"), "{text}");
    assert!(text.contains("11 / 11"), "{text}");
    press(&mut app, "j <enter>");
    let text = screen(&app);
    assert!(text.contains("All · newest · source: "), "{text}");
    press(&mut app, "0");
    assert!(!screen(&app).contains("source: "));
}

#[test]
fn the_tag_prompt_offers_the_tags_in_use() {
    let (_sb, mut app) = fixture_app(120, 40);
    press(&mut app, "+ l a t e r <enter> j + l");
    let text = screen(&app);
    assert!(text.contains("add tag · tab completes"), "{text}");
    assert!(text.contains("> l"), "{text}");
    assert!(text.contains("later"), "the choice {text}");
    app.update(Action::Prompt(byline::app::FinderEdit::Cancel));
    assert!(app.popups.is_empty());
}
