//! Helpers for the tests that run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assert_cmd::Command;

pub mod http;
pub mod tmux;

/// 2026-11-20T12:00:00Z: the time every fixture file is given.
pub const FIXTURE_TIME: u64 = 1_795_176_000;

/// A sandbox: its own data and config folders, and a copy of the fixtures.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A sandbox with `tests/fixtures/library` copied to `<sandbox>/library`,
    /// every file's mtime set to [`FIXTURE_TIME`].
    pub fn with_library() -> Sandbox {
        Sandbox::with_fixture("library")
    }

    /// A sandbox with `tests/fixtures/<name>` copied to `<sandbox>/library`,
    /// every file's mtime set to [`FIXTURE_TIME`].
    pub fn with_fixture(name: &str) -> Sandbox {
        let sandbox = Sandbox::new();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_tree(&src, &sandbox.library());
        sandbox
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn library(&self) -> PathBuf {
        self.path().join("library")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.path().join("config")
    }

    /// The real binary, pointed at this sandbox's folders, in UTC.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_byline"));
        cmd.env("BYLINE_DATA_DIR", self.data_dir())
            .env("BYLINE_CONFIG_DIR", self.config_dir())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(120));
        cmd
    }

    /// The ID of the newest story in the sandbox's library (indexing it).
    pub fn first_id(&self) -> String {
        let lib = self.library();
        self.stdout(&["list", "--limit", "1", lib.to_str().unwrap()])[..10].to_owned()
    }

    /// The ID of the story with this headline in the sandbox's library.
    pub fn id_of(&self, title: &str) -> String {
        let lib = self.library();
        let list: serde_json::Value =
            serde_json::from_str(&self.stdout(&["list", "--json", lib.to_str().unwrap()])).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["title"] == title)
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no story {title:?} in {list:#}"))
    }

    /// Each of `commands` is a usage error: exit 2, and the usage said.
    pub fn assert_usage_errors(&self, commands: &[&[&str]]) {
        for args in commands {
            self.cmd()
                .args(*args)
                .assert()
                .code(2)
                .stderr(predicates::str::contains("Usage:"));
        }
    }

    /// Runs the binary with `args` and returns its stdout; it must succeed.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
}

pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            set_mtime(&target, FIXTURE_TIME);
        }
    }
}

pub fn set_mtime(path: &Path, unix: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(UNIX_EPOCH + Duration::from_secs(unix))
        .unwrap();
}

pub fn now_plus(secs: u64) -> SystemTime {
    SystemTime::now() + Duration::from_secs(secs)
}

use byline::app::{Action, App, Keymap};
use byline::state::Marks;
use byline::store::Store;
use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The injected clock: three hours after the fixtures' time.
pub fn clock() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, 15, 0, 0)
        .unwrap()
}

/// The app driven as the interface drives it: every effect carried out at
/// once by the same jobs the workers run, the answers fed back in order.
pub type TestApp = byline::jobs::Driver<App>;

/// An app on the fixture library at `width` x `height`, loaded, with its
/// marks kept in the sandbox's config folder.
pub fn fixture_app(width: u16, height: u16) -> (Sandbox, TestApp) {
    let sb = Sandbox::with_library();
    let app = app_on(&sb, width, height);
    (sb, app)
}

/// An app on the sandbox's library at `width` x `height`, loaded, with its
/// marks kept in the sandbox's config folder.
pub fn app_on(sb: &Sandbox, width: u16, height: u16) -> TestApp {
    app_in(&sb.library(), &sb.config_dir(), width, height)
}

/// An app on the library at `lib`, loaded (synced through the app, and
/// the related engine built), `width` x `height`, its marks in `config`.
/// Exports go next to the config folder.
pub fn app_in(lib: &Path, config: &Path, width: u16, height: u16) -> TestApp {
    let store = Store::open_in_memory().unwrap();
    let marks = Marks::load(config);
    let app = App::new(marks.snapshot(), Keymap::default(), clock());
    let library = byline::jobs::Library::new(store, marks, vec![lib.to_path_buf()]);
    let mut runner = byline::jobs::Runner::new(library);
    runner.export_dir = config.parent().unwrap_or(config).to_path_buf();
    let mut app = TestApp::new(app, runner);
    app.update(Action::Resize(width, height));
    app.update(Action::Sync);
    app.ran();
    app
}

/// Parses a key macro: words are typed letter by letter; `<enter>`, `<esc>`,
/// `<tab>`, `<s-tab>`, `<bs>`, `<space>`, `<up>`, `<down>`, `<left>`,
/// `<right>`, `<home>`, `<end>`, `<pgup>`, `<pgdn>` and `<c-x>` are keys.
pub fn keys(text: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        if let Some(name) = word.strip_prefix('<').and_then(|w| w.strip_suffix('>')) {
            let (code, mods) = match name {
                "enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "s-tab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "bs" => (KeyCode::Backspace, KeyModifiers::NONE),
                "space" => (KeyCode::Char(' '), KeyModifiers::NONE),
                "up" => (KeyCode::Up, KeyModifiers::NONE),
                "down" => (KeyCode::Down, KeyModifiers::NONE),
                "left" => (KeyCode::Left, KeyModifiers::NONE),
                "right" => (KeyCode::Right, KeyModifiers::NONE),
                "home" => (KeyCode::Home, KeyModifiers::NONE),
                "end" => (KeyCode::End, KeyModifiers::NONE),
                "pgup" => (KeyCode::PageUp, KeyModifiers::NONE),
                "pgdn" => (KeyCode::PageDown, KeyModifiers::NONE),
                other => match other.strip_prefix("c-") {
                    Some(c) if c.chars().count() == 1 => (
                        KeyCode::Char(c.chars().next().unwrap()),
                        KeyModifiers::CONTROL,
                    ),
                    _ => panic!("unknown key <{other}>"),
                },
            };
            out.push(KeyEvent::new(code, mods));
        } else {
            for c in word.chars() {
                let mods = if c.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                out.push(KeyEvent::new(KeyCode::Char(c), mods));
            }
        }
    }
    out
}

/// Feeds a key macro to the app, as the event loop would.
pub fn press(app: &mut TestApp, text: &str) {
    for key in keys(text) {
        if let Some(action) = app.map_key(&key) {
            app.update(action);
        }
    }
}

/// Renders the app into a `TestBackend` of its size, in the default theme.
pub fn draw(app: &App) -> Terminal<TestBackend> {
    draw_in(app, &byline::theme::Theme::default())
}

/// Renders the app into a `TestBackend` of its size, in `theme`.
pub fn draw_in(app: &App, theme: &byline::theme::Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    terminal
        .draw(|frame| byline::ui::render(app, theme, frame))
        .unwrap();
    terminal
}

/// The screen as text, one line per row.
pub fn screen(app: &App) -> String {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Whether a test that needs `what` can run. In CI (`CI` set) it must:
/// a missing `what` fails the test. Elsewhere a missing `what` is said
/// loudly and the test stops, never passing quietly as if it had run.
#[allow(dead_code)]
pub fn can_run(available: bool, what: &str) -> bool {
    if available {
        return true;
    }
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    assert!(!in_ci, "CI must run this test, and it needs {what}");
    eprintln!("SKIPPED: this test needs {what}");
    false
}
