//! How long the reader's frames take while a query is typed into the
//! finder (full-text, or with --fuzzy the headlines), on a library already
//! in the store: each keystroke is applied, its effects handed to the
//! workers (threads, as in the interface), and the screen drawn into a
//! 120x40 buffer; so is each answer that comes in between keys. Prints the
//! longest frame, the longest full-text search (what a frame would take had
//! it run in it), how long the last query's whole answer took, and from the
//! third key on how many answers came in full before the next key (80 ms;
//! with --wait, each key waits for its answer) and the slowest of them.
//!
//!     cargo run --release --example typing_frames -- --store DATA/store.sqlite3 --library DIR [--query TEXT] [--fuzzy] [--wait]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::Result;
use byline::app::{Action, App, Effect, FinderEdit, Keymap};
use byline::jobs::{Library, LibraryWorker, Matcher};
use byline::state::Marks;
use byline::store::Store;
use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[derive(Parser)]
struct Args {
    /// The store, synced with the library.
    #[arg(long)]
    store: PathBuf,
    /// The library's folder.
    #[arg(long)]
    library: PathBuf,
    /// What to type, a character a frame.
    #[arg(long, default_value = "government")]
    query: String,
    /// Type into the headline finder instead of the full-text one.
    #[arg(long)]
    fuzzy: bool,
    /// Wait for each query's whole answer before the next key.
    #[arg(long)]
    wait: bool,
}

/// The worker's answers, and the time each came.
type Answers = mpsc::Receiver<(Action, Instant)>;

/// Where answers go.
type Answer = mpsc::Sender<(Action, Instant)>;

/// Where effects go: the library worker, or (matching a large list) a
/// thread of the matcher's, a newer query stopping an older one, as in the
/// interface.
struct Workers {
    library: LibraryWorker,
    matcher: Matcher,
    current: Arc<AtomicU64>,
    tx: Answer,
}

/// Hands the app's effects to the workers; the rest need no answer here.
fn dispatch(app: &mut App, workers: &Workers) {
    for effect in app.take_effects() {
        match effect {
            Effect::Match {
                generation,
                query,
                items,
            } => {
                let (tx, matcher, current) = (
                    workers.tx.clone(),
                    workers.matcher.clone(),
                    workers.current.clone(),
                );
                current.store(generation, Ordering::SeqCst);
                std::thread::spawn(move || {
                    let is_current = || current.load(Ordering::SeqCst) == generation;
                    matcher.rank(&items, &query, generation, &is_current, &mut |a| {
                        tx.send((a, Instant::now())).is_ok()
                    })
                });
            }
            effect if effect.is_for_library() => workers.library.send(effect),
            _ => {}
        }
    }
}

/// Applies every answer already in; returns when the last full-text hits came.
fn apply_answers(app: &mut App, answers: &Answers, workers: &Workers) -> Option<Instant> {
    let mut hits_at = None;
    while let Ok((action, at)) = answers.try_recv() {
        if matches!(action, Action::TextHits { .. }) {
            hits_at = Some(at);
        }
        app.update(action);
        dispatch(app, workers);
    }
    hits_at
}

fn main() -> Result<()> {
    let args = Args::parse();
    let store = Store::open(&args.store)?;
    let library = Library::new(store, Marks::in_memory(), vec![args.library.clone()]);
    let (tx, answers) = mpsc::channel();
    let workers = Workers {
        library: {
            let tx = tx.clone();
            LibraryWorker::spawn(library, move |a| {
                let _ = tx.send((a, Instant::now()));
            })
        },
        matcher: Matcher::new(),
        current: Arc::new(AtomicU64::new(0)),
        tx,
    };
    let mut app = App::new(Default::default(), Keymap::default(), chrono::Utc::now());
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    app.update(Action::Resize(120, 40));
    app.update(Action::LoadProgress { done: 0, total: 0 });
    dispatch(&mut app, &workers);
    // Wait for the list.
    while app.list.items.is_empty() {
        let (action, _) = answers.recv_timeout(Duration::from_secs(60))?;
        app.update(action);
        dispatch(&mut app, &workers);
    }
    app.update(Action::Find);
    if !args.fuzzy {
        app.update(Action::Finder(FinderEdit::ToggleMode));
    }
    dispatch(&mut app, &workers);
    let theme = byline::theme::Theme::default();
    let mut frames = Vec::new();
    let mut typed_at = Instant::now();
    // From the third key on: how long each query's results took to come
    // in full (with --wait), or how many never did before the next key.
    let mut per_key = Vec::new();
    let mut last_hits = None;
    for (n, c) in args.query.chars().enumerate() {
        let start = Instant::now();
        typed_at = start;
        app.update(Action::Finder(FinderEdit::Insert(c)));
        dispatch(&mut app, &workers);
        apply_answers(&mut app, &answers, &workers);
        terminal.draw(|frame| byline::ui::render(&app, &theme, frame))?;
        frames.push(start.elapsed());
        // Each answer until the next key (80 ms on: a fast typist), or
        // with --wait until the whole answer, is a frame of its own.
        let until = start + Duration::from_millis(80);
        last_hits = None;
        while app.finder().is_some_and(|f| f.searching) || Instant::now() < until {
            let last_key = n + 1 == args.query.chars().count();
            let wait = if (args.wait || last_key) && app.finder().is_some_and(|f| f.searching) {
                Duration::from_secs(60)
            } else {
                until.saturating_duration_since(Instant::now())
            };
            let Ok((action, at)) = answers.recv_timeout(wait) else {
                break;
            };
            if matches!(
                action,
                Action::TextHits { .. } | Action::MatchResults { done: true, .. }
            ) {
                last_hits = Some(at);
            }
            let frame = Instant::now();
            app.update(action);
            dispatch(&mut app, &workers);
            terminal.draw(|f| byline::ui::render(&app, &theme, f))?;
            frames.push(frame.elapsed());
        }
        if n >= 2 {
            per_key.push(last_hits.map(|t| t - start));
        }
        eprintln!(
            "key {n} {:?}: frames up to {:.2} ms, whole answer {}",
            app.finder().map(|f| f.query.clone()),
            frames
                .iter()
                .max()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1000.0,
            last_hits.map_or("not yet".to_owned(), |t| format!(
                "after {:.1} ms",
                (t - start).as_secs_f64() * 1000.0
            )),
        );
    }
    // What each keystroke would have waited for, had the query run on the
    // interface's thread: the search itself, prefix by prefix.
    let store = Store::open(&args.store)?;
    let mut blocking = Duration::ZERO;
    let typed = if args.fuzzy {
        0
    } else {
        args.query.chars().count()
    };
    for n in 1..=typed {
        let prefix: String = args.query.chars().take(n).collect();
        let start = Instant::now();
        store.search_full_text(&prefix, Some(byline::jobs::FULL_TEXT_LIMIT))?;
        blocking = blocking.max(start.elapsed());
    }
    let longest = frames.iter().max().copied().unwrap_or_default();
    let hits = app.finder().map_or(0, |f| f.found());
    let arrived: Vec<Duration> = per_key.iter().flatten().copied().collect();
    println!(
        "frames {} longest_ms {:.2} search_in_frame_would_be_ms {:.1} hits {} last_hits_after_ms {:.1} items {} keys_from_third {} arrived {} slowest_arrival_ms {:.1}",
        frames.len(),
        longest.as_secs_f64() * 1000.0,
        blocking.as_secs_f64() * 1000.0,
        hits,
        last_hits.map_or(0.0, |t| (t - typed_at).as_secs_f64() * 1000.0),
        app.list.items.len(),
        per_key.len(),
        arrived.len(),
        arrived
            .iter()
            .max()
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    );
    workers.library.finish();
    Ok(())
}
