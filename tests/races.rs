//! Fault suite: byline processes started together on a new data folder
//! (`list` and `list`, `mark` and `mark`). Every one must succeed and every
//! mark be kept. The reader with a `mark` beside it is in `tests/tmux.rs`.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::Sandbox;

const ROUNDS: usize = 20;

/// The binary on `lib`, with its own data and config folders.
fn spawn(data: &Path, config: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_byline"))
        .env("BYLINE_DATA_DIR", data)
        .env("BYLINE_CONFIG_DIR", config)
        .env("TZ", "UTC")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a child: (exit code, stdout, stderr).
fn finish(child: Child) -> (Option<i32>, String, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn two_lists_at_once_on_a_new_data_folder_both_succeed() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib = lib.to_str().unwrap();
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let data = sb.path().join(format!("list-data-{round}"));
        let config = sb.path().join(format!("list-config-{round}"));
        let a = spawn(&data, &config, &["list", lib]);
        let b = spawn(&data, &config, &["list", lib]);
        for (code, stdout, stderr) in [finish(a), finish(b)] {
            if code != Some(0) || stdout.lines().count() != 11 {
                failures.push(format!("round {round}: exit {code:?}, {stderr}"));
            }
        }
    }
    println!(
        "{ROUNDS} rounds of list + list: {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn two_marks_at_once_on_a_new_data_folder_keep_both() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib = lib.to_str().unwrap();
    // The IDs, from a folder of its own (IDs depend only on the stories).
    let listed = sb.stdout(&["list", lib]);
    let ids: Vec<&str> = listed.lines().map(|l| &l[..10]).collect();
    let (mut failures, mut lost) = (Vec::new(), 0);
    for round in 0..ROUNDS {
        let data = sb.path().join(format!("mark-data-{round}"));
        let config = sb.path().join(format!("mark-config-{round}"));
        let (first, second) = (ids[round % ids.len()], ids[(round + 1) % ids.len()]);
        let a = spawn(&data, &config, &["mark", "save", first, "--in", lib]);
        let b = spawn(&data, &config, &["mark", "read", second, "--in", lib]);
        for (code, _, stderr) in [finish(a), finish(b)] {
            if code != Some(0) {
                failures.push(format!("round {round}: exit {code:?}, {stderr}"));
            }
        }
        let state = std::fs::read_to_string(config.join("state.json")).unwrap_or_default();
        let state: serde_json::Value = serde_json::from_str(&state).unwrap_or_default();
        let stories = &state["stories"];
        if stories[first]["saved"] != true {
            lost += 1;
        }
        if stories[second]["read"] != true {
            lost += 1;
        }
    }
    println!(
        "{ROUNDS} rounds of mark + mark: {} failures, {lost} marks lost",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(lost, 0);
}
