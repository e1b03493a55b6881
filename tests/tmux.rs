//! The real binary in tmux: open, search, open a story, save it, quit, and
//! check with `byline list --saved --json` that the mark persisted.
//! Skips, saying so, when tmux is not installed.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Sandbox;

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("run tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

impl Session {
    fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-t", &self.0])
    }

    /// Waits until the screen contains `text`; panics with the screen if not.
    fn wait_for(&self, text: &str) -> String {
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

    fn send(&self, keys: &[&str]) {
        for key in keys {
            tmux(&["send-keys", "-t", &self.0, key]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    fn type_text(&self, text: &str) {
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
fn start(sb: &Sandbox, name: &str, width: u16, height: u16) -> Session {
    let session = Session(format!("byline-{name}-{}", std::process::id()));
    let command = format!(
        "BYLINE_DATA_DIR='{}' BYLINE_CONFIG_DIR='{}' TZ=UTC '{}' '{}'; echo BYLINE-EXIT=$?; sleep 60",
        sb.data_dir().display(),
        sb.config_dir().display(),
        env!("CARGO_BIN_EXE_byline"),
        sb.library().display()
    );
    let (w, h) = (width.to_string(), height.to_string());
    let status = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &session.0,
            "-x",
            &w,
            "-y",
            &h,
            &command,
        ])
        .status()
        .expect("start tmux");
    assert!(status.success());
    session
}

#[test]
fn search_open_save_quit_and_the_mark_persists() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let sb = Sandbox::with_library();
    let session = start(&sb, "save", 120, 40);
    session.wait_for("Snow expected");
    session.send(&["/"]);
    session.wait_for("Find in headlines");
    session.type_text("bakery");
    session.wait_for("> bakery");
    session.send(&["Enter"]);
    let screen = session.wait_for("Judges praised its crust.");
    assert!(screen.contains("Story · 100%"), "{screen}");
    session.send(&["Tab", "s"]);
    session.wait_for("1 saved");
    session.send(&["q"]);
    session.wait_for("BYLINE-EXIT=0");

    let out = sb.stdout(&["list", "--saved", "--json", sb.library().to_str().unwrap()]);
    let saved: serde_json::Value = serde_json::from_str(&out).unwrap();
    let saved = saved.as_array().unwrap();
    assert_eq!(saved.len(), 1, "{out}");
    assert_eq!(saved[0]["title"], "Bakery wins regional bread prize");
    assert_eq!(saved[0]["read"], true);
}

#[test]
fn narrow_terminal_shows_one_pane_and_resizes_without_panic() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let sb = Sandbox::with_library();
    let session = start(&sb, "narrow", 60, 20);
    let screen = session.wait_for("Snow expected");
    assert!(
        !screen.contains("Story"),
        "one pane below 80 columns:\n{screen}"
    );
    session.send(&["Enter"]);
    session.wait_for("Story");
    tmux(&["resize-window", "-t", &session.0, "-x", "15", "-y", "4"]);
    let screen = session.wait_for("terminal too");
    assert!(screen.contains("small"), "{screen}");
    tmux(&["resize-window", "-t", &session.0, "-x", "130", "-y", "40"]);
    session.wait_for("Related");
    session.send(&["q"]);
    session.wait_for("BYLINE-EXIT=0");
}

/// Starts an interactive shell in tmux, for tests that look at the
/// terminal after byline has gone.
fn start_shell(sb: &Sandbox, name: &str) -> Session {
    let session = Session(format!("byline-{name}-{}", std::process::id()));
    let status = Command::new("tmux")
        .args([
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
        .env("PS1", "$ ")
        .status()
        .expect("start tmux");
    assert!(status.success());
    session.type_text(&format!(
        "export BYLINE_DATA_DIR='{}' BYLINE_CONFIG_DIR='{}'; clear\n",
        sb.data_dir().display(),
        sb.config_dir().display()
    ));
    session
}

/// The terminal modes and cursor after byline has left: (echo, icanon, cursor visible).
fn terminal_state(session: &Session) -> (bool, bool, bool) {
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

fn byline_pid(session: &Session) -> String {
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

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_keep_the_marks() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    for signal in ["TERM", "HUP"] {
        let sb = Sandbox::with_library();
        let session = start_shell(&sb, &format!("sig{signal}"));
        session.type_text(&format!(
            "'{}' '{}'; echo BYLINE-GONE-$((6*7))\n",
            env!("CARGO_BIN_EXE_byline"),
            sb.library().display()
        ));
        session.wait_for("Snow expected");
        session.send(&["s", "j", "Enter"]);
        session.wait_for("1 saved");
        let pid = byline_pid(&session);
        assert!(
            Command::new("kill")
                .args([&format!("-{signal}"), &pid])
                .status()
                .unwrap()
                .success()
        );
        session.wait_for("BYLINE-GONE-42");
        let (echo, icanon, cursor) = terminal_state(&session);
        assert!(echo && icanon, "SIG{signal}: echo {echo}, icanon {icanon}");
        assert!(cursor, "SIG{signal}: the cursor is hidden");
        let saved = sb.stdout(&["list", "--saved", sb.library().to_str().unwrap()]);
        assert!(
            saved.contains("Snow expected on high ground"),
            "SIG{signal}: {saved}"
        );
        let unread = sb.stdout(&["list", "--unread", sb.library().to_str().unwrap()]);
        assert_eq!(
            unread.lines().count(),
            10,
            "SIG{signal}: the opened story is read"
        );
    }
}

#[test]
fn a_panic_inside_a_draw_restores_the_terminal() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let sb = Sandbox::with_library();
    let session = start_shell(&sb, "panic");
    session.type_text(&format!(
        "BYLINE_TEST_PANIC=1 '{}' '{}'; echo EXIT-$?-$((6*7))\n",
        env!("CARGO_BIN_EXE_byline"),
        sb.library().display()
    ));
    // Computed by the shell, so the typed command line cannot match it.
    let screen = session.wait_for("EXIT-101-42");
    assert!(screen.contains("test panic inside a draw"), "{screen}");
    let (echo, icanon, cursor) = terminal_state(&session);
    assert!(
        echo && icanon && cursor,
        "echo {echo}, icanon {icanon}, cursor {cursor}"
    );
}
