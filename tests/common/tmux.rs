//! Driving the real binary in tmux: sessions, keys, the screen.

use std::process::Command;
use std::time::{Duration, Instant};

use super::Sandbox;

/// Whether the tests that need tmux can run (see [`super::can_run`]).
pub fn available() -> bool {
    super::can_run(tmux_available(), "tmux")
}

pub fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("run tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub struct Session(pub String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

impl Session {
    pub fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-t", &self.0])
    }

    /// Waits until the screen contains `text`; panics with the screen if not.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {text:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn send(&self, keys: &[&str]) {
        for key in keys {
            tmux(&["send-keys", "-t", &self.0, key]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn type_text(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.0, "-l", text]);
        std::thread::sleep(Duration::from_millis(150));
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Starts the binary on the sandbox's library in a detached tmux session.
pub fn start(sb: &Sandbox, name: &str, width: u16, height: u16) -> Session {
    start_with(sb, name, width, height, "")
}

/// [`start`], with `env` ("NAME='value' ...") set for the binary.
pub fn start_with(sb: &Sandbox, name: &str, width: u16, height: u16, env: &str) -> Session {
    let session = Session(format!("byline-{name}-{}", std::process::id()));
    let command = format!(
        "{env} BYLINE_DATA_DIR='{}' BYLINE_CONFIG_DIR='{}' TZ=UTC '{}' '{}'; echo BYLINE-EXIT=$?; sleep 60",
        sb.data_dir().display(),
        sb.config_dir().display(),
        env!("CARGO_BIN_EXE_byline"),
        sb.library().display()
    );
    let (w, h) = (width.to_string(), height.to_string());
    new_session(|| {
        let mut tmux = Command::new("tmux");
        tmux.args([
            "new-session",
            "-c",
            sb.path().to_str().unwrap(),
            "-d",
            "-s",
            &session.0,
            "-x",
            &w,
            "-y",
            &h,
            &command,
        ]);
        tmux
    });
    session
}

/// Runs a `tmux new-session` command, again if it fails: when another
/// test has just closed the server's last session, the server is on its
/// way out and a new session made at that moment fails. Five tries a
/// fifth of a second apart, then the test fails.
fn new_session(command: impl Fn() -> Command) {
    for _ in 0..5 {
        if command().status().expect("start tmux").success() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("tmux new-session failed five times");
}

/// Starts an interactive shell in tmux, for tests that look at the
/// terminal after byline has gone.
pub fn start_shell(sb: &Sandbox, name: &str) -> Session {
    let session = Session(format!("byline-{name}-{}", std::process::id()));
    new_session(|| {
        let mut tmux = Command::new("tmux");
        tmux.args([
            "new-session",
            "-d",
            "-s",
            &session.0,
            "-x",
            "120",
            "-y",
            "40",
            "bash --norc --noprofile",
        ])
        .env("PS1", "$ ");
        tmux
    });
    session.type_text(&format!(
        "export BYLINE_DATA_DIR='{}' BYLINE_CONFIG_DIR='{}'; clear\n",
        sb.data_dir().display(),
        sb.config_dir().display()
    ));
    session
}

/// The terminal modes and cursor after byline has left: (echo, icanon, cursor visible).
pub fn terminal_state(session: &Session) -> (bool, bool, bool) {
    session.type_text("clear; stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e icanon -e -echo -e -icanon | tr '\\n' ' '; echo STTY-$((6*7))\n");
    // The marker is computed by the shell, so the typed command never matches it.
    let screen = session.wait_for("STTY-42");
    let line = screen
        .lines()
        .find(|l| l.contains("STTY-42"))
        .unwrap_or("")
        .to_owned();
    let words: Vec<&str> = line.split_whitespace().collect();
    let cursor = tmux(&["display", "-p", "-t", &session.0, "#{cursor_flag}"]);
    (
        words.contains(&"echo"),
        words.contains(&"icanon"),
        cursor.trim() == "1",
    )
}

pub fn byline_pid(session: &Session) -> String {
    let pane_pid = tmux(&["display", "-p", "-t", &session.0, "#{pane_pid}"]);
    let start = Instant::now();
    loop {
        let out = Command::new("pgrep")
            .args(["-P", pane_pid.trim(), "-x", "byline"])
            .output()
            .unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !pid.is_empty() {
            return pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "byline did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until `pred` holds for the screen; panics with the screen if not
/// within `limit`. Returns how long it took.
pub fn wait_until(
    session: &Session,
    limit: Duration,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> Duration {
    let start = Instant::now();
    loop {
        let screen = session.screen();
        if pred(&screen) {
            return start.elapsed();
        }
        if start.elapsed() > limit {
            panic!("{what}: not within {limit:?}; the screen:\n{screen}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
