//! Every command ends quietly (exit 0, nothing on stderr) when the reader
//! of its output goes away: `byline list | head -1`.
//!
//! Two ways: a pipe whose read end is closed before byline starts, so its
//! first write fails whatever the timing; and a reader that takes one line
//! of a long output and closes, as `head -1` does, a few times over.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::Sandbox;

const STORIES_PER_FILE: usize = 2;
const FILES: usize = 1_000;

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `n` words from a vocabulary of 120: enough alike for the related engine
/// to find many neighbours, never so alike that stories fold together.
fn words(seed: usize, n: usize) -> String {
    const FIRST: [&str; 12] = [
        "har", "coun", "mar", "fer", "bud", "scho", "riv", "fes", "bri", "lib", "sta", "orc",
    ];
    const SECOND: [&str; 10] = [
        "bour", "cil", "ket", "ry", "get", "ol", "er", "tival", "dge", "rary",
    ];
    let mut state = (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let word = (state >> 33) as usize % (FIRST.len() * SECOND.len());
            format!(
                "{}{}",
                FIRST[word % FIRST.len()],
                SECOND[word / FIRST.len()]
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A library whose every listing is longer than a pipe holds: 1,000 files of
/// two stories each, and one story of 200 KB.
fn big_library() -> Sandbox {
    let sb = Sandbox::new();
    let lib = sb.library();
    std::fs::create_dir_all(&lib).unwrap();
    for file in 0..FILES {
        let mut text = String::new();
        for story in 0..STORIES_PER_FILE {
            let n = file * STORIES_PER_FILE + story;
            text.push_str(&format!(
                "{{\"title\": \"Story {n}: {}\", \"body\": \"{}\", \"source\": \"Desk {}\"}}\n",
                words(n, 6),
                words(n + 100_000, 40),
                n % 7
            ));
        }
        std::fs::write(lib.join(format!("wire-{file:04}.jsonl")), text).unwrap();
    }
    let mut long = String::from("A very long story\n\n");
    for n in 0..2_000 {
        long.push_str(&words(n + 200_000, 15));
        long.push_str(".\n\n");
    }
    std::fs::write(lib.join("long.txt"), long).unwrap();
    sb
}

/// Every command that writes to stdout. Those before `config` write more
/// than a pipe holds on `big_library`.
fn commands(sb: &Sandbox) -> Vec<Vec<String>> {
    let lib = sb.library();
    let lib = s(&lib);
    let long = sb.id_of("A very long story");
    let some = sb.id_of(&format!("Story 0: {}", words(0, 6)));
    let lists: [&[&str]; 13] = [
        &[lib],
        &["list", lib],
        &["list", "--json", lib],
        &["search", "e", "--limit", "0", lib],
        &["search", "e", "--limit", "0", "--json", lib],
        &["check", lib],
        &["check", "--json", lib],
        &["show", &long, lib],
        &["related", &some, "--limit", "5000", lib],
        &["export", "--format", "json", "--related", "0", lib],
        &["config", "--default"],
        &["completions", "bash"],
        &["manpage"],
    ];
    lists
        .iter()
        .map(|args| args.iter().map(|a| a.to_string()).collect())
        .collect()
}

/// The binary, as `Sandbox::cmd` sets it up, as a `std` command.
fn byline(sb: &Sandbox, args: &[String]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_byline"));
    cmd.env("BYLINE_DATA_DIR", sb.data_dir())
        .env("BYLINE_CONFIG_DIR", sb.config_dir())
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn assert_quiet(args: &[String], out: &Output, how: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(0) && stderr.is_empty(),
        "{args:?} ({how}): {:?}, stderr: {stderr}",
        out.status
    );
}

#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let sb = big_library();
    for args in commands(&sb) {
        for _ in 0..3 {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            let out = byline(&sb, &args).stdout(writer).output().unwrap();
            assert_quiet(&args, &out, "the pipe closed before the start");
        }
    }
}

#[test]
fn every_command_ends_quietly_when_its_reader_stops_after_one_line() {
    let sb = big_library();
    let long_outputs = commands(&sb)
        .into_iter()
        .take_while(|args| args[0] != "config");
    for args in long_outputs {
        // The whole output is longer than a pipe holds: byline is still
        // writing when the reader goes.
        let whole = byline(&sb, &args).output().unwrap();
        assert!(
            whole.stdout.len() > 64 * 1024,
            "{args:?}: {} bytes",
            whole.stdout.len()
        );
        for _ in 0..3 {
            let mut child = byline(&sb, &args).stdout(Stdio::piped()).spawn().unwrap();
            let mut stdout = child.stdout.take().unwrap();
            let mut first = [0u8; 1];
            stdout.read_exact(&mut first).unwrap();
            drop(stdout);
            let out = child.wait_with_output().unwrap();
            assert_quiet(&args, &out, "the reader stopped after one line");
        }
    }
}
