//! How long the reader's frames take while a query is typed into the
//! full-text finder, on a library already in the store: each keystroke is
//! applied, its effects handed to the library worker (a thread, as in the
//! interface), whatever answers have arrived applied, and the screen drawn
//! (into a 120x40 buffer). Prints the longest frame, the longest search
//! (what a frame would take had the search run in it), and how long the
//! last query's hits took to arrive.
//!
//!     cargo run --release --example typing_frames -- --store DATA/byline.db --library DIR [--query TEXT]

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use byline::app::{Action, App, Effect, FinderEdit, Keymap};
use byline::jobs::{Library, LibraryWorker};
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
}

/// The worker's answers, and the time each came.
type Answers = mpsc::Receiver<(Action, Instant)>;

/// Where answers go.
type Answer = mpsc::Sender<(Action, Instant)>;

/// Hands the app's effects to the worker, or (matching a large list) to a
/// thread, as the interface does; the rest need no answer here.
fn dispatch(app: &mut App, worker: &LibraryWorker, tx: &Answer) {
    for effect in app.take_effects() {
        match effect {
            Effect::Match {
                generation,
                query,
                items,
                within,
            } => {
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let within = within.as_deref().map(Vec::as_slice);
                    byline::jobs::rank_in_chunks(
                        &items,
                        within,
                        &query,
                        generation,
                        &|| true,
                        &mut |a| tx.send((a, Instant::now())).is_ok(),
                    )
                });
            }
            effect if effect.is_for_library() => worker.send(effect),
            _ => {}
        }
    }
}

/// Applies every answer already in; returns when the last full-text hits came.
fn apply_answers(
    app: &mut App,
    answers: &Answers,
    worker: &LibraryWorker,
    tx: &Answer,
) -> Option<Instant> {
    let mut hits_at = None;
    while let Ok((action, at)) = answers.try_recv() {
        if matches!(action, Action::TextHits { .. }) {
            hits_at = Some(at);
        }
        app.update(action);
        dispatch(app, worker, tx);
    }
    hits_at
}

fn main() -> Result<()> {
    let args = Args::parse();
    let store = Store::open(&args.store)?;
    let library = Library::new(store, Marks::in_memory(), vec![args.library.clone()]);
    let (tx, answers) = mpsc::channel();
    let worker = {
        let tx = tx.clone();
        LibraryWorker::spawn(library, move |a| {
            let _ = tx.send((a, Instant::now()));
        })
    };
    let mut app = App::new(Default::default(), Keymap::default(), chrono::Utc::now());
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    app.update(Action::Resize(120, 40));
    app.update(Action::LoadProgress { done: 0, total: 0 });
    dispatch(&mut app, &worker, &tx);
    // Wait for the list.
    while app.list.items.is_empty() {
        let (action, _) = answers.recv_timeout(Duration::from_secs(60))?;
        app.update(action);
        dispatch(&mut app, &worker, &tx);
    }
    app.update(Action::Find);
    if !args.fuzzy {
        app.update(Action::Finder(FinderEdit::ToggleMode));
    }
    dispatch(&mut app, &worker, &tx);
    let mut frames = Vec::new();
    let mut typed_at = Instant::now();
    for c in args.query.chars() {
        let start = Instant::now();
        typed_at = start;
        app.update(Action::Finder(FinderEdit::Insert(c)));
        dispatch(&mut app, &worker, &tx);
        apply_answers(&mut app, &answers, &worker, &tx);
        terminal.draw(|frame| byline::ui::render(&app, &byline::theme::Theme::default(), frame))?;
        frames.push(start.elapsed());
        // A fast typist: 80 ms a key.
        std::thread::sleep(Duration::from_millis(80).saturating_sub(start.elapsed()));
    }
    // Until the last query's hits are in.
    let mut last_hits = None;
    while app.finder().is_some_and(|f| f.searching) {
        let (action, at) = answers.recv_timeout(Duration::from_secs(60))?;
        if matches!(
            action,
            Action::TextHits { .. } | Action::MatchResults { .. }
        ) {
            last_hits = Some(at);
        }
        app.update(action);
        dispatch(&mut app, &worker, &tx);
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
    let hits = app.finder().map_or(0, |f| f.result_count());
    println!(
        "frames {} longest_ms {:.2} search_in_frame_would_be_ms {:.1} hits {} last_hits_after_ms {:.1} items {}",
        frames.len(),
        longest.as_secs_f64() * 1000.0,
        blocking.as_secs_f64() * 1000.0,
        hits,
        last_hits.map_or(0.0, |t| (t - typed_at).as_secs_f64() * 1000.0),
        app.list.items.len()
    );
    worker.finish();
    Ok(())
}
