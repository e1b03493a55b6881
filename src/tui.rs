//! The terminal: setup, restore on every path (quit, error, panic, signal),
//! and the event loop. Input, background loading, matching and signals all
//! report through one channel; only `App::update` changes the app.

use std::io::{Stdout, Write, stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Once, mpsc};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::Utc;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableMouseCapture, Event as TermEvent,
    KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::{Action, App, Effect};
use crate::config::Dirs;
use crate::search::{self, Match};
use crate::store::{Store, StorySummary};

/// What the event loop hears.
enum Event {
    Input(TermEvent),
    Action(Action),
    Signal,
    /// The loader found the store damaged and made it anew: the interface
    /// must open the new one. Carries the notice for the user.
    StoreRebuilt(String),
}

/// Whether the terminal is in byline's modes now.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was. Only the first call after setup acts
/// (a second "leave alternate screen" would move the cursor back over what
/// was printed since, such as a panic message), and it never panics:
/// every step's error is ignored.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped: on a normal return and on an error.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Restores the terminal before the previous panic hook prints the message.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        // Outermost: a panic contained in one file's parse restores nothing.
        crate::loader::install_panic_filter();
    });
}

fn setup() -> Result<(Terminal<CrosstermBackend<Stdout>>, TerminalGuard)> {
    install_panic_hook();
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode().context("cannot put the terminal in raw mode")?;
    let guard = TerminalGuard;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)
        .context("cannot set up the terminal")?;
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((terminal, guard))
}

/// Syncs the library on a thread of its own, reporting progress as actions.
fn spawn_loader(
    store_path: PathBuf,
    roots: Vec<PathBuf>,
    ignore: crate::loader::Ignore,
    tx: mpsc::Sender<Event>,
) {
    std::thread::spawn(move || {
        let sync = |mut store: Store| {
            store.set_ignore(ignore.clone());
            let progress_tx = tx.clone();
            store.sync(&roots, move |p| {
                let _ = progress_tx.send(Event::Action(Action::LoadProgress {
                    done: p.done,
                    total: p.total,
                }));
            })
        };
        let result = match Store::open(&store_path).and_then(sync) {
            // Damaged inside: made anew from the files, once.
            Err(err) if err.is_corruption() => {
                Store::rebuild(&store_path, "its contents are malformed").and_then(|mut store| {
                    if let Some(notice) = store.take_notice() {
                        let _ = tx.send(Event::StoreRebuilt(notice));
                    }
                    sync(store)
                })
            }
            other => other,
        };
        let action = match result {
            Ok(report) => Action::LoadFinished(Box::new(report)),
            Err(e) => Action::LoadFailed(e.to_string()),
        };
        let _ = tx.send(Event::Action(action));
    });
}

/// Exports stories to an HTML page in the current folder, on a thread of
/// its own, and says where. Related lists come with a view of up to 200
/// stories (each costs a lookup).
fn spawn_export(store_path: PathBuf, ids: Vec<crate::article::ArticleId>, tx: mpsc::Sender<Event>) {
    use crate::export::{ExportFormat, gather, write_to};
    std::thread::spawn(move || {
        let name = format!(
            "byline-export-{}.html",
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        );
        let path = std::env::current_dir().unwrap_or_default().join(name);
        let related = if ids.len() <= 200 { 5 } else { 0 };
        let result = Store::open(&store_path)
            .and_then(|store| gather(&store, &ids, related))
            .map_err(anyhow::Error::from)
            .and_then(|stories| {
                write_to(&path, ExportFormat::Html, &stories)?;
                Ok(stories.len())
            });
        let message = match result {
            Ok(n) => format!("exported {n} stories to {}", path.display()),
            Err(e) => format!("cannot export: {e:#}"),
        };
        let _ = tx.send(Event::Action(Action::Message(message)));
    });
}

/// Builds or updates the related engine on a thread of its own.
fn spawn_engine(store_path: PathBuf, tx: mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        let action = match Store::open(&store_path)
            .and_then(|store| crate::related::RelatedIndex::refresh_saved(&store))
        {
            Ok(_) => Action::RelatedReady,
            Err(e) => Action::Message(format!("cannot build the related index: {e}")),
        };
        let _ = tx.send(Event::Action(action));
    });
}

/// Ranks headlines on a thread, a chunk at a time, sending results as they
/// come; stops early when a newer query's generation is current.
fn spawn_matcher(
    items: Arc<Vec<StorySummary>>,
    query: String,
    generation: u64,
    current: Arc<AtomicU64>,
    tx: mpsc::Sender<Event>,
) {
    current.store(generation, Ordering::SeqCst);
    std::thread::spawn(move || {
        const CHUNK: usize = 10_000;
        let chunks = items.len().div_ceil(CHUNK).max(1);
        for n in 0..chunks {
            if current.load(Ordering::SeqCst) != generation {
                return; // cancelled
            }
            let start = n * CHUNK;
            let end = (start + CHUNK).min(items.len());
            let matches: Vec<Match> = search::rank(&items[start..end], &query)
                .into_iter()
                .map(|m| Match {
                    index: m.index + start,
                    ..m
                })
                .collect();
            let done = n + 1 == chunks;
            if tx
                .send(Event::Action(Action::MatchResults {
                    generation,
                    matches,
                    done,
                }))
                .is_err()
            {
                return;
            }
        }
    });
}

/// Watches the library: a burst of changes to its files becomes one
/// reload, a quarter of a second after the burst ends. The watcher lives as
/// long as what this returns.
fn watch_library(
    roots: &[PathBuf],
    data_dir: &std::path::Path,
    tx: mpsc::Sender<Event>,
) -> Option<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let (changes_tx, changes) = mpsc::channel::<()>();
    // The store's own writes are not the library changing.
    let data_dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let watched: Vec<PathBuf> = roots.to_vec();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // Hidden files and folders inside the library are passed over, as
        // the walk passes them over.
        let visible = event.paths.iter().any(|p| {
            let inside = watched.iter().find_map(|root| p.strip_prefix(root).ok());
            !p.starts_with(&data_dir)
                && inside.is_some_and(|rest| {
                    !rest.components().any(|c| {
                        c.as_os_str()
                            .to_str()
                            .is_some_and(|n| n.starts_with('.') && n.len() > 1)
                    })
                })
        });
        let changes_files = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
        );
        if visible && changes_files {
            let _ = changes_tx.send(());
        }
    })
    .ok()?;
    let mut watching = false;
    for root in roots {
        watching |= watcher.watch(root, RecursiveMode::Recursive).is_ok();
    }
    if !watching {
        return None;
    }
    std::thread::spawn(move || {
        while changes.recv().is_ok() {
            // Let the burst settle: a scraper writes many files at once.
            while changes.recv_timeout(Duration::from_millis(250)).is_ok() {}
            if tx.send(Event::Action(Action::Reload)).is_err() {
                break;
            }
        }
    });
    Some(watcher)
}

/// Set while another program has the terminal: the input thread stops reading.
static INPUT_PAUSED: AtomicBool = AtomicBool::new(false);
/// Set by the input thread once it has stopped reading.
static INPUT_IDLE: AtomicBool = AtomicBool::new(false);

/// Reads terminal input on a thread of its own, except while paused.
fn spawn_input(tx: mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        loop {
            if INPUT_PAUSED.load(Ordering::SeqCst) {
                INPUT_IDLE.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            INPUT_IDLE.store(false, Ordering::SeqCst);
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => match event::read() {
                    Ok(event) => {
                        if tx.send(Event::Input(event)).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                },
                Ok(false) => {}
                Err(_) => break,
            }
        }
    });
}

/// Runs `command` with the terminal handed over to it, then takes the
/// terminal back. No shell: the program and its arguments are separate.
/// Says how it went.
fn run_suspended(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    command: &[String],
) -> Result<String> {
    let (program, args) = command.split_first().context("no program to run")?;
    INPUT_PAUSED.store(true, Ordering::SeqCst);
    let started = std::time::Instant::now();
    while !INPUT_IDLE.load(Ordering::SeqCst) && started.elapsed() < Duration::from_millis(500) {
        std::thread::sleep(Duration::from_millis(5));
    }
    restore_terminal();
    let status = std::process::Command::new(program).args(args).status();
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode().context("cannot put the terminal in raw mode")?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)
        .context("cannot set up the terminal")?;
    terminal.clear()?;
    INPUT_PAUSED.store(false, Ordering::SeqCst);
    let shown = command.join(" ");
    Ok(match status {
        Ok(s) if s.success() => format!("ran {shown}"),
        Ok(s) => format!("{shown} exited with {s}"),
        Err(e) => format!("cannot run {program}: {e} (set $BROWSER or $PAGER)"),
    })
}

fn spawn_signals(tx: mpsc::Sender<Event>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Event::Signal);
        }
    });
    Ok(())
}

/// Turns terminal input into an action.
fn input_action(app: &App, event: TermEvent) -> Option<Action> {
    match event {
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => app.map_key(&key),
        TermEvent::Resize(width, height) => Some(Action::Resize(width, height)),
        TermEvent::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::Wheel {
                column: mouse.column,
                row: mouse.row,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Action::Wheel {
                column: mouse.column,
                row: mouse.row,
                down: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Opens the interface on the library at `roots` and runs it until quit.
pub fn run(dirs: &Dirs, roots: Vec<PathBuf>) -> Result<()> {
    let mut store = Store::open(&dirs.store_path())?;
    let mut marks = dirs.marks();
    let mut notices: Vec<String> = store.take_notice().into_iter().collect();
    notices.extend(dirs.notice.clone());
    notices.extend(marks.take_notices());
    let config = match dirs.config_path().map(|p| crate::config::Config::load(&p)) {
        Some(Err(err)) => {
            notices.push(format!("{err}; using the defaults"));
            crate::config::Config::default()
        }
        Some(Ok(config)) => config,
        None => crate::config::Config::default(),
    };
    let mut app = App::new(store, marks, config.keymap(), roots.clone(), Utc::now());
    let theme = config.theme(crate::theme::no_color_requested());
    app.settings = config.reader.clone();
    app.programs = crate::app::outside::Programs::from_env(|k| std::env::var(k).ok());
    if let Some(notice) = notices.pop() {
        app.update(Action::Message(notice));
    }
    let (tx, rx) = mpsc::channel();
    spawn_signals(tx.clone())?;
    // What the store already has shows at once; the sync then brings it up to date.
    app.update(Action::LoadProgress { done: 0, total: 0 });
    let ignore = config.ignore();
    spawn_loader(dirs.store_path(), roots.clone(), ignore.clone(), tx.clone());
    let _watcher = watch_library(&roots, &dirs.data, tx.clone());

    let (mut terminal, _guard) = setup()?;
    spawn_input(tx.clone());
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let current_match = Arc::new(AtomicU64::new(0));
    if std::env::var_os("BYLINE_TEST_PANIC").is_some() {
        // For the fault tests: a panic inside a draw must still restore the terminal.
        terminal.draw(|_| panic!("test panic inside a draw (BYLINE_TEST_PANIC)"))?;
    }
    while !app.should_quit {
        terminal.draw(|frame| crate::ui::render(&app, &theme, frame))?;
        let first = match rx.recv_timeout(Duration::from_millis(1000)) {
            Ok(event) => Some(event),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        app.update(Action::Tick(Utc::now()));
        // Handle everything pending before drawing again.
        for event in first
            .into_iter()
            .chain(std::iter::from_fn(|| rx.try_recv().ok()))
        {
            let action = match event {
                Event::Input(input) => input_action(&app, input),
                Event::Action(action) => Some(action),
                Event::Signal => Some(Action::Quit),
                Event::StoreRebuilt(notice) => {
                    app.store = Store::open(&dirs.store_path())?;
                    Some(Action::Message(notice))
                }
            };
            if let Some(action) = action {
                app.update(action);
            }
            for effect in app.take_effects() {
                match effect {
                    Effect::Reload => {
                        spawn_loader(dirs.store_path(), roots.clone(), ignore.clone(), tx.clone())
                    }
                    Effect::BuildRelated => spawn_engine(dirs.store_path(), tx.clone()),
                    Effect::Match { generation, query } => spawn_matcher(
                        app.list.items.clone(),
                        query,
                        generation,
                        current_match.clone(),
                        tx.clone(),
                    ),
                    Effect::Run { command } => {
                        let said = run_suspended(&mut terminal, &command)?;
                        app.update(Action::Message(said));
                    }
                    Effect::Copy(text) => {
                        let mut out = stdout();
                        out.write_all(crate::app::outside::osc52(&text).as_bytes())?;
                        out.flush()?;
                    }
                    Effect::Export(ids) => spawn_export(dirs.store_path(), ids, tx.clone()),
                }
            }
            if app.should_quit {
                break;
            }
        }
    }
    // Marks are saved as they change; a last save catches any left over.
    let _ = app.marks.save();
    Ok(())
}
