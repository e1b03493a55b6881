//! The real binary in tmux: open, search, open a story, save it, quit, and
//! check with `byline list --saved --json` that the mark persisted.
//! Skips, saying so, when tmux is not installed.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Sandbox;
use common::tmux::{byline_pid, start, start_shell, start_with, terminal_state, tmux, wait_until};

#[test]
fn search_open_save_quit_and_the_mark_persists() {
    if !common::tmux::available() {
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
    if !common::tmux::available() {
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

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_keep_the_marks() {
    if !common::tmux::available() {
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
    if !common::tmux::available() {
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

#[test]
fn new_changed_and_deleted_files_show_live_and_a_half_typed_search_stays() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let session = start(&sb, "live", 120, 40);
    session.wait_for("Snow expected");
    // Open a story and scroll, then start a search and leave it half typed.
    session.send(&["Enter", "Tab", "j"]);
    session.send(&["/"]);
    session.wait_for("Find in headlines");
    session.type_text("zeb");
    session.wait_for("> zeb");
    // A new file: it shows in the finder's results, with the query kept.
    let zoo = lib.join("zoo.txt");
    std::fs::write(&zoo, "Zebra foal born at the city zoo\n\nKeepers say.\n").unwrap();
    let took = wait_until(&session, Duration::from_secs(2), "the new story", |s| {
        s.contains("Zebra foal born at the city zoo") && s.contains("> zeb")
    });
    println!("a new file showed after {took:?}");
    // Changed in place.
    std::fs::write(&zoo, "Zebra twins born at the city zoo\n\nKeepers say.\n").unwrap();
    wait_until(&session, Duration::from_secs(2), "the changed story", |s| {
        s.contains("Zebra twins born") && !s.contains("Zebra foal born")
    });
    // Deleted.
    std::fs::remove_file(&zoo).unwrap();
    wait_until(
        &session,
        Duration::from_secs(2),
        "the deleted story gone",
        |s| !s.contains("Zebra twins born") && s.contains("> zeb"),
    );
    session.send(&["Escape", "q"]);
    session.wait_for("BYLINE-EXIT=0");
}

#[test]
fn o_hands_the_link_to_the_browser_and_the_interface_comes_back() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::with_library();
    // A fake browser: records its arguments, one a line, then waits for a key.
    let script = sb.path().join("fake-browser");
    let log = sb.path().join("browser.log");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\" >> '{}'; done\necho FAKE-BROWSER-RAN; read x\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let env = format!("BROWSER='{} --new-tab'", script.display());
    let session = start_with(&sb, "open", 120, 40, &env);
    session.wait_for("Snow expected");
    session.send(&["/"]);
    session.type_text("library extends");
    session.wait_for("> library extends");
    session.send(&["Enter"]);
    session.wait_for("A trial runs until March.");
    session.send(&["o"]);
    // byline has handed the terminal over: the fake browser's screen shows.
    session.wait_for("FAKE-BROWSER-RAN");
    session.send(&["Enter"]);
    // And taken it back, at the same story.
    let screen = session.wait_for("A trial runs until March.");
    assert!(screen.contains("ran "), "{screen}");
    let args = std::fs::read_to_string(&log).unwrap();
    assert_eq!(args, "--new-tab\nhttps://example.com/library\n");
    // Keys work again.
    session.send(&["q"]);
    session.wait_for("BYLINE-EXIT=0");
}

#[test]
fn y_copies_through_the_terminal_to_the_clipboard() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::with_library();
    let session = start(&sb, "copy", 120, 40);
    // tmux takes OSC 52 into its paste buffer when set-clipboard is on.
    tmux(&["set-option", "-t", &session.0, "-s", "set-clipboard", "on"]);
    session.wait_for("Snow expected");
    session.send(&["/"]);
    session.type_text("library extends");
    session.wait_for("> library extends");
    session.send(&["Enter", "y"]);
    session.wait_for("copied the title and link");
    let start = Instant::now();
    let mut buffer = String::new();
    while start.elapsed() < Duration::from_secs(5) {
        buffer = tmux(&["show-buffer"]);
        if buffer.contains("Library extends") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        buffer,
        "Library extends weekend hours\nhttps://example.com/library"
    );
    session.send(&["q"]);
}

#[test]
fn x_exports_the_view_to_a_page_in_the_current_folder() {
    if !common::tmux::available() {
        return;
    }
    let sb = Sandbox::with_library();
    let session = start(&sb, "export", 120, 40);
    session.wait_for("Snow expected");
    session.send(&["x"]);
    let screen = session.wait_for("exported 11 stories to");
    let page = std::fs::read_dir(sb.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("byline-export-")
        })
        .unwrap_or_else(|| panic!("no export in the current folder; {screen}"));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
        "{}",
        &html[..60]
    );
    for title in [
        "Snow expected on high ground",
        "Bakery wins regional bread prize",
    ] {
        assert!(html.contains(title), "{title}");
    }
    session.send(&["q"]);
}

/// Fault suite: the reader and `mark` started together on a new data
/// folder, 20 rounds. Both succeed and both marks are kept.
#[test]
fn the_reader_and_a_mark_started_together_both_succeed() {
    if !common::tmux::available() {
        return;
    }
    const ROUNDS: usize = 20;
    let ids = Sandbox::with_library();
    let snow = ids.id_of("Snow expected on high ground");
    let bakery = ids.id_of("Bakery wins regional bread prize");
    let (mut failures, mut lost) = (Vec::new(), 0);
    for round in 0..ROUNDS {
        let sb = Sandbox::with_library();
        let session = start(&sb, &format!("race{round}"), 120, 40);
        let mark = sb
            .cmd()
            .args([
                "mark",
                "save",
                &bakery,
                "--in",
                sb.library().to_str().unwrap(),
            ])
            .output()
            .unwrap();
        if !mark.status.success() {
            failures.push(format!(
                "round {round}: mark: {}",
                String::from_utf8_lossy(&mark.stderr)
            ));
        }
        // The reader came up, and marks the first story read by opening it.
        session.wait_for("Snow expected");
        session.send(&["Enter"]);
        session.wait_for("Story ·");
        session.send(&["q"]);
        let screen = session.wait_for("BYLINE-EXIT=");
        if !screen.contains("BYLINE-EXIT=0") {
            failures.push(format!("round {round}: the reader: {screen}"));
        }
        let state = std::fs::read_to_string(sb.config_dir().join("state.json")).unwrap_or_default();
        let state: serde_json::Value = serde_json::from_str(&state).unwrap_or_default();
        lost += usize::from(state["stories"][&bakery]["saved"] != true);
        lost += usize::from(state["stories"][&snow]["read"] != true);
    }
    println!(
        "{ROUNDS} rounds of the reader + mark: {} failures, {lost} marks lost",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(lost, 0);
}
