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
