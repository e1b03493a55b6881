//! The interface's event loop: input, the workers' answers and signals
//! arrive through one channel and become actions; only `App::update`
//! changes the app, and the effects it asks for go to the workers or the
//! terminal.

mod terminal;
mod watch;
mod workers;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::Result;
use chrono::Utc;
use crossterm::event::{Event as TermEvent, KeyEventKind, MouseButton, MouseEventKind};

use terminal::Term;
pub use terminal::restore_terminal;

use crate::app::{Action, App, Effect};
use crate::config::{Config, Dirs};
use crate::jobs::{Library, LibraryWorker};
use crate::store::Store;

/// What the event loop hears.
pub enum Event {
    Input(TermEvent),
    Action(Action),
    Signal,
    /// The loader found the store damaged and made it anew: the library
    /// worker must read the new one. Carries the notice for the user.
    StoreRebuilt(String),
}

/// Turns terminal input into an action.
fn input_action(app: &App, event: TermEvent) -> Option<Action> {
    match event {
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => app.map_key(&key),
        TermEvent::Resize(width, height) => Some(Action::Resize(width, height)),
        TermEvent::Mouse(mouse) => {
            let (column, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                MouseEventKind::ScrollDown => Some(Action::Wheel {
                    column,
                    row,
                    down: true,
                }),
                MouseEventKind::ScrollUp => Some(Action::Wheel {
                    column,
                    row,
                    down: false,
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Everything the event loop carries out effects with.
struct Loop {
    dirs: Dirs,
    roots: Vec<PathBuf>,
    ignore: crate::loader::Ignore,
    tx: mpsc::Sender<Event>,
    library: LibraryWorker,
    current_match: Arc<AtomicU64>,
    /// Ranks the finder's queries, remembering what each matched.
    matcher: crate::jobs::Matcher,
}

impl Loop {
    /// Sends an effect where it is carried out. Returns a message for the
    /// app when the terminal ran something.
    fn carry_out(&mut self, terminal: &mut Term, effect: Effect) -> Result<Option<Action>> {
        let store_path = self.dirs.store_path();
        let tx = self.tx.clone();
        match effect {
            effect if effect.is_for_library() => self.library.send(effect),
            Effect::Reload => {
                let (checked, after) = mpsc::channel();
                self.library.check(checked);
                let roots = self.roots.clone();
                workers::spawn_loader(store_path, roots, self.ignore.clone(), tx, after)
            }
            Effect::BuildEngine => workers::spawn_engine(store_path, tx),
            Effect::Match {
                generation,
                query,
                items,
            } => workers::spawn_matcher(
                self.matcher.clone(),
                items,
                query,
                generation,
                self.current_match.clone(),
                tx,
            ),
            Effect::Export(ids) => workers::spawn_export(store_path, ids, tx),
            Effect::Fetch => workers::spawn_fetch(self.feed_places(), tx),
            Effect::LoadFeeds => workers::spawn_feed_statuses(self.feed_places(), tx),
            Effect::Run { command, stdin } => {
                let said = terminal::run_suspended(terminal, &command, stdin.as_deref())?;
                return Ok(Some(Action::Message(said)));
            }
            Effect::Copy(text) => terminal::copy(&text)?,
            other => debug_assert!(false, "unrouted effect {other:?}"),
        }
        Ok(None)
    }

    fn feed_places(&self) -> crate::jobs::feeds::FeedPlaces {
        crate::jobs::feeds::FeedPlaces {
            config: self.dirs.config.clone(),
            data: self.dirs.data.clone(),
        }
    }

    /// The action an event means, if any.
    fn action_for(&self, app: &App, event: Event) -> Option<Action> {
        match event {
            Event::Input(input) => input_action(app, input),
            Event::Action(action) => Some(action),
            Event::Signal => Some(Action::Quit),
            Event::StoreRebuilt(notice) => {
                self.library.reopen(self.dirs.store_path());
                Some(Action::Message(notice))
            }
        }
    }
}

/// The settings, with a notice when any of the file could not be used: the
/// problem, or how many there are (`byline config` lists them) and the first.
fn load_config(dirs: &Dirs, notices: &mut Vec<String>) -> Config {
    let Some(path) = dirs.config_path() else {
        return Config::default();
    };
    let loaded = Config::load(&path);
    match loaded.problems.as_slice() {
        [] => {}
        [one] => notices.push(one.notice()),
        [first, ..] => notices.push(format!(
            "{}: {} ignored (`byline config` lists them); {}",
            path.display(),
            crate::fmt::plural(loaded.problems.len(), "setting", "settings"),
            first.without_path()
        )),
    }
    loaded.config
}

/// Opens the interface on the library at `roots` and runs it until quit.
/// Exits 1 when marks could not be saved (saying, once the terminal is
/// back, where they went instead).
pub fn run(dirs: &Dirs, roots: Vec<PathBuf>) -> Result<ExitCode> {
    let mut store = Store::open(&dirs.store_path())?;
    let mut marks = dirs.marks();
    let mut notices: Vec<String> = store.take_notice().into_iter().collect();
    notices.extend(dirs.notice.clone());
    notices.extend(marks.take_notices());
    let config = load_config(dirs, &mut notices);
    let programs = crate::app::outside::Programs::from_env(|k| std::env::var(k).ok());
    let mut app = App::new(marks.snapshot(), config.keymap(), Utc::now())
        .configured(config.reader.clone(), programs)
        .remembering(marks.extras().clone());
    let theme = config.theme(crate::theme::no_color_requested());
    if let Some(notice) = notices.pop() {
        app.update(Action::Message(notice));
    }
    let (tx, rx) = mpsc::channel();
    workers::spawn_signals(tx.clone())?;
    let library = Library::new(store, marks, roots.clone()).with_recovery(dirs.recovery_places());
    let mut event_loop = Loop {
        dirs: dirs.clone(),
        ignore: config.ignore(),
        library: {
            let tx = tx.clone();
            LibraryWorker::spawn(library, move |a| {
                let _ = tx.send(Event::Action(a));
            })
        },
        roots,
        tx,
        current_match: Arc::new(AtomicU64::new(0)),
        matcher: crate::jobs::Matcher::new(),
    };
    let _watching = event_loop.watch();
    // What the store already has shows at once; the sync then brings it up to date.
    app.update(Action::Sync);
    app.update(Action::LoadProgress { done: 0, total: 0 });
    let (mut terminal, guard) = terminal::setup()?;
    terminal::spawn_input(event_loop.tx.clone(), Event::Input);
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    test_panic(&mut terminal)?;
    let result = event_loop.run(&mut app, &mut terminal, &theme, &rx);
    // Whatever the worker was given is done before leaving: the last marks
    // are saved, or written somewhere they can be found.
    let unsaved = event_loop.library.finish();
    drop(guard);
    if let Some(why) = &unsaved {
        eprintln!("byline: {why}");
    }
    result?;
    Ok(if unsaved.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

impl Loop {
    fn watch(&self) -> watch::Watching {
        let tx = self.tx.clone();
        let (every, force) = watch_settings();
        watch::watch_library(&self.roots, &self.dirs.data, every, force, move |a| {
            tx.send(Event::Action(a)).is_ok()
        })
    }

    /// Draws, waits for events, and handles everything pending before
    /// drawing again, until the app quits.
    fn run(
        &mut self,
        app: &mut App,
        terminal: &mut Term,
        theme: &crate::theme::Theme,
        rx: &mpsc::Receiver<Event>,
    ) -> Result<()> {
        while !app.should_quit {
            self.flush(app, terminal)?;
            terminal.draw(|frame| crate::ui::render(app, theme, frame))?;
            let first = match rx.recv_timeout(Duration::from_millis(1000)) {
                Ok(event) => Some(event),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            app.update(Action::Tick(Utc::now()));
            for event in first
                .into_iter()
                .chain(std::iter::from_fn(|| rx.try_recv().ok()))
            {
                if let Some(action) = self.action_for(app, event) {
                    app.update(action);
                }
                self.flush(app, terminal)?;
                if app.should_quit {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Carries out every effect the app asked for.
    fn flush(&mut self, app: &mut App, terminal: &mut Term) -> Result<()> {
        for effect in app.take_effects() {
            if let Some(said) = self.carry_out(terminal, effect)? {
                app.update(said);
            }
        }
        Ok(())
    }
}

/// How often to poll a library file events cannot watch, and whether to
/// poll anyway (debug builds only: for the tests).
fn watch_settings() -> (Duration, bool) {
    if cfg!(debug_assertions)
        && let Some(ms) = std::env::var("BYLINE_TEST_POLL_MS")
            .ok()
            .and_then(|v| v.parse().ok())
    {
        return (Duration::from_millis(ms), true);
    }
    (watch::POLL_INTERVAL, false)
}

/// For the fault tests, in debug builds: a panic inside a draw must still
/// restore the terminal.
fn test_panic(terminal: &mut Term) -> Result<()> {
    if cfg!(debug_assertions) && std::env::var_os("BYLINE_TEST_PANIC").is_some() {
        terminal.draw(|_| panic!("test panic inside a draw (BYLINE_TEST_PANIC)"))?;
    }
    Ok(())
}
