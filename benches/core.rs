//! Criterion benches for the hot paths: parsing a page, fuzzy ranking of
//! 100,000 headlines, related stories on demand, and rendering a frame.
//!
//!     cargo bench --bench core

use std::hint::black_box;
use std::sync::Arc;

use byline::app::{Action, App, Keymap};
use byline::article::ArticleId;
use byline::jobs::{Driver, Library, Matcher, Runner};
use byline::loader::{FileContext, parse_text};
use byline::related::{Engine, QueryOptions};
use byline::search::rank;
use byline::state::Marks;
use byline::store::{Store, StorySummary};
use byline::terms::term_counts;
use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A deterministic word source (xorshift64*).
struct Words(u64);

const VOCAB: &[&str] = &[
    "china",
    "russia",
    "hackers",
    "election",
    "ferry",
    "harbour",
    "storm",
    "flood",
    "bank",
    "rates",
    "shares",
    "market",
    "chip",
    "plant",
    "cup",
    "final",
    "striker",
    "coach",
    "minister",
    "court",
    "ruling",
    "strike",
    "rail",
    "union",
    "budget",
    "tax",
    "climate",
    "summit",
    "police",
    "hospital",
    "school",
    "city",
    "council",
    "plan",
    "vote",
    "talks",
    "deal",
    "oil",
    "prices",
    "record",
    "深圳",
    "café",
    "“review”",
    "—",
];

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn sentence(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| VOCAB[(self.next() % VOCAB.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn headlines(n: usize) -> Vec<StorySummary> {
    let mut words = Words(7);
    (0..n)
        .map(|i| {
            let title = format!("{} {i}", words.sentence(8 + (i % 8)));
            StorySummary {
                id: ArticleId::for_story(&title, ""),
                title: title.into(),
                source: Some("Wire".into()),
                published: None,
            }
        })
        .collect()
}

fn parse_page(c: &mut Criterion) {
    let page = include_str!("../assets/articles/pages/01-tamsin-bay-sea-wall.txt");
    let ctx = FileContext {
        modified: Utc::now(),
        folder: Some("pages".into()),
        extension: Some("txt".into()),
        stem: None,
    };
    c.bench_function("parse a page", |b| {
        b.iter(|| parse_text(black_box(page), &ctx).unwrap())
    });
}

fn fuzzy_rank(c: &mut Criterion) {
    let items = headlines(100_000);
    for query in ["c", "chi", "china hackers"] {
        c.bench_function(&format!("fuzzy rank 100k headlines: {query:?}"), |b| {
            b.iter(|| rank(black_box(&items), query))
        });
    }
    typing_on(c, "finder 100k", Arc::new(items), 100);
}

/// Typing on in the finder: a query ranked among the matches of the one
/// before it (the finder's matcher remembers them), against ranking all.
fn typing_on(c: &mut Criterion, group: &str, items: Arc<Vec<StorySummary>>, samples: usize) {
    let mut group = c.benchmark_group(group);
    group.sample_size(samples);
    let rank = |matcher: &Matcher, query: &str| {
        matcher.rank(&items, query, 1, &|| true, &mut |a| {
            black_box(a);
            true
        })
    };
    for (before, after) in [("chi", "chin"), ("russia", "russia t")] {
        group.bench_function(format!("{after:?} after {before:?}, all"), |b| {
            b.iter_batched(Matcher::new, |m| rank(&m, after), BatchSize::PerIteration)
        });
        let primed = || {
            let m = Matcher::new();
            rank(&m, before);
            m
        };
        group.bench_function(format!("{after:?} after {before:?}, narrowed"), |b| {
            b.iter_batched(primed, |m| rank(&m, after), BatchSize::PerIteration)
        });
    }
    group.finish();
}

impl Words {
    /// Text on one of 40 topics: half its words from the topic's own 150,
    /// the rest from a shared pool of 3,000.
    fn topical(&mut self, topic: u64, words: usize) -> String {
        (0..words)
            .map(|_| {
                let n = if self.next().is_multiple_of(2) {
                    3_000 + topic * 150 + self.next() % 150
                } else {
                    self.next() % 3_000
                };
                format!("w{n}x")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn related(c: &mut Criterion) {
    let mut words = Words(11);
    let n = 20_000;
    let docs: Vec<_> = (0..n)
        .map(|i| {
            let topic = i % 40;
            let title = words.topical(topic, 8);
            let body = words.topical(topic, 150);
            (
                ArticleId::for_story(&format!("{title} {i}"), ""),
                term_counts(&title, &body),
            )
        })
        .collect();
    let engine = Engine::build(&docs, byline::related::LSA_DIMS);
    let id = docs[123].0.clone();
    assert_eq!(
        engine.related(&id, 10, &[], QueryOptions::default()).len(),
        10
    );
    c.bench_function("related on demand (20k stories)", |b| {
        b.iter(|| engine.related(black_box(&id), 10, &[], QueryOptions::default()))
    });
}

/// An app on the library at `dir`, 120x40, loaded through its effects.
fn loaded_app(dir: std::path::PathBuf) -> Driver<App> {
    let library = Library::new(
        Store::open_in_memory().unwrap(),
        Marks::in_memory(),
        vec![dir],
    );
    let app = App::new(Default::default(), Keymap::default(), Utc::now());
    let mut app = Driver::new(app, Runner::new(library));
    app.update(Action::Resize(120, 40));
    app.update(Action::Sync);
    app
}

fn render(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles");
    let mut app = loaded_app(dir);
    app.update(Action::Open);
    assert!(app.reader.story.is_some());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    c.bench_function("render one frame 120x40", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| byline::ui::render(&app, &byline::theme::Theme::default(), frame))
                .unwrap();
        })
    });
}

/// Scrolling cost per frame for a 5 KB and a 5 MB story: the same, since
/// the story is wrapped once and only the visible lines are drawn.
fn scroll(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut words = Words(3);
    for (name, bytes) in [("small", 5_000), ("large", 5_000_000)] {
        let mut text = format!("A {name} story\n\n");
        while text.len() < bytes {
            text.push_str(&words.sentence(60));
            text.push_str(".\n\n");
        }
        std::fs::write(dir.path().join(format!("{name}.txt")), text).unwrap();
    }
    let mut app = loaded_app(dir.path().to_path_buf());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for name in ["small", "large"] {
        let title = format!("A {name} story");
        let at = app
            .list
            .items
            .iter()
            .position(|s| *s.title == *title)
            .unwrap_or_else(|| panic!("{title} not in {:?} {:?}", app.list.items, app.load.report));
        app.list.selected = app
            .list
            .visible
            .iter()
            .position(|&i| i == at)
            .unwrap_or_else(|| {
                panic!(
                    "{title} at {at} not visible: {:?} of {}",
                    app.list.visible,
                    app.list.items.len()
                )
            });
        // Open it from the list, then scroll the reader.
        app.focus = byline::app::Focus::List;
        app.update(Action::Open);
        assert_eq!(app.reader.story.as_ref().unwrap().title, title);
        app.update(Action::FocusNext);
        assert_eq!(app.focus, byline::app::Focus::Reader);
        c.bench_function(&format!("scroll one line and draw: {name} story"), |b| {
            b.iter(|| {
                let action = if app.reader.at_end() {
                    Action::Top
                } else {
                    Action::Down
                };
                app.update(action);
                terminal
                    .draw(|frame| byline::ui::render(&app, &byline::theme::Theme::default(), frame))
                    .unwrap();
            })
        });
    }
}

/// The sources view at 100k stories from 300 sources, half of them read:
/// opening it (every source counted), and switching the list to one
/// source and back. The target is 50 ms for both together.
fn sources_view(c: &mut Criterion) {
    let mut items = headlines(100_000);
    for (i, item) in items.iter_mut().enumerate() {
        item.source = Some(format!("Source {}", i % 300).into());
    }
    let mut marks = byline::state::MarkSet::new();
    for item in items.iter().step_by(2) {
        let read = byline::state::Mark {
            read: true,
            ..Default::default()
        };
        marks.set(&item.id, read);
    }
    let mut app = App::new(marks, Keymap::default(), Utc::now());
    app.update(Action::Resize(120, 40));
    app.update(Action::ListLoaded {
        items,
        groups: Default::default(),
        sorted: None,
        seq: None,
    });
    app.take_effects();
    c.bench_function(
        "sources view 100k: open, show one source, back to all",
        |b| {
            b.iter(|| {
                app.update(Action::Sources);
                app.update(Action::Down);
                app.update(Action::Pick);
                assert!(app.list.visible.len() < 1_000);
                app.update(Action::ClearFilter);
                app.take_effects();
            })
        },
    );
}

/// The finder at a million headlines: a query of three letters or more,
/// ranked among the matches of the one it extends (the finder's 100 ms goal)
/// and against all of them.
fn finder_1m(c: &mut Criterion) {
    typing_on(c, "finder 1M", Arc::new(headlines(1_000_000)), 10);
}

criterion_group!(
    benches,
    parse_page,
    fuzzy_rank,
    finder_1m,
    related,
    render,
    scroll,
    sources_view
);
criterion_main!(benches);
