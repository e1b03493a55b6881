//! How the command line is read, run as the real binary: the global flags
//! on either side of a command, usage errors, `--limit`, and `mark`'s paths.

mod common;

use std::path::{Path, PathBuf};

use common::Sandbox;
use serde_json::Value;

const FERRY: &str = "Island ferry fares to fall as new electric boats join the fleet";

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn json(text: &[u8]) -> Value {
    serde_json::from_slice(text).unwrap()
}

/// The binary with no folder in its environment: only the flags say where.
fn bare(sb: &Sandbox) -> assert_cmd::Command {
    let mut cmd = sb.cmd();
    cmd.env_remove("BYLINE_DATA_DIR")
        .env_remove("BYLINE_CONFIG_DIR");
    cmd
}

/// Runs `args` with `--data-dir DATA --config-dir CONFIG` before the command
/// (`before`) or after everything else.
fn with_dirs(
    sb: &Sandbox,
    data: &Path,
    config: &Path,
    before: bool,
    args: &[&str],
) -> assert_cmd::assert::Assert {
    let dirs = ["--data-dir", s(data), "--config-dir", s(config)];
    let mut cmd = bare(sb);
    if before {
        cmd.args(dirs).args(args);
    } else {
        cmd.args(args).args(dirs);
    }
    cmd.assert()
}

/// Every command, whether it opens the store, and what its output holds.
fn every_command<'a>(lib: &'a str, id: &'a str) -> Vec<(Vec<&'a str>, bool, &'a str)> {
    vec![
        (vec![lib], true, FERRY),
        (vec!["list", lib], true, FERRY),
        (vec!["show", id, lib], true, "The Straits Times"),
        (vec!["search", "ferry", lib], true, FERRY),
        (vec!["check", lib], true, "11 stories ("),
        (vec!["related", id, lib], true, "Kestrel Lines"),
        (vec!["export", "--format", "json", lib], true, FERRY),
        (vec!["mark", "save", id, lib], true, ""),
        (vec!["config", "--path"], false, "config.toml"),
        (vec!["completions", "bash"], false, "complete -F"),
        (vec!["manpage"], false, ".TH byline"),
    ]
}

#[test]
fn global_flags_work_before_and_after_every_command() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let id = sb.id_of(FERRY);
    for (n, (args, opens_store, shown)) in every_command(s(&lib), &id).iter().enumerate() {
        for before in [true, false] {
            let data = sb.path().join(format!("data-{n}-{before}"));
            let config = sb.path().join(format!("config-{n}-{before}"));
            let out = with_dirs(&sb, &data, &config, before, args);
            let what = format!("{args:?}, flags before: {before}");
            let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
            assert_eq!(out.get_output().status.code(), Some(0), "{what}: {out:?}");
            assert!(stdout.contains(shown), "{what}: {stdout}");
            if *opens_store {
                let store = data.join("store.sqlite3");
                assert!(store.is_file(), "{what}: the store is not in --data-dir");
            }
            if args[0] == "config" {
                assert_eq!(stdout.trim(), s(&config.join("config.toml")), "{what}");
            }
            if args[0] == "mark" {
                let listed = with_dirs(&sb, &data, &config, true, &["list", "--saved", s(&lib)]);
                let saved = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
                assert!(
                    saved.contains(FERRY),
                    "{what}: the mark is not in --config-dir"
                );
            }
        }
    }
}

#[test]
fn a_path_named_like_a_command_after_a_path_is_a_path() {
    // Once a PATH is read, no command follows: `list` here is a folder.
    let sb = Sandbox::with_library();
    let folder: PathBuf = sb.path().join("list");
    common::copy_tree(&sb.library().join("feeds"), &folder);
    let out = sb
        .cmd()
        .current_dir(sb.path())
        .args([s(&sb.library().join("pages")), "list"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(text.lines().count(), 11, "both folders are read: {text}");
}

#[test]
fn a_bad_value_prints_the_usage_of_its_command() {
    let sb = Sandbox::new();
    let cases: [(&[&str], &str); 6] = [
        (
            &["list", "--sort", "bogus"],
            "Usage: byline list [OPTIONS] [PATH]...",
        ),
        (&["show", "abcd", "--width", "5"], "Usage: byline show "),
        (
            &["--data-dir", "d", "search", "q", "--limit", "x"],
            "Usage: byline search ",
        ),
        (
            &["related", "abcd", "--limit", "-1"],
            "Usage: byline related ",
        ),
        (&["export", "--format", "pdf"], "Usage: byline export "),
        (&["completions", "tcsh-ish"], "Usage: byline completions "),
    ];
    for (args, usage) in cases {
        let out = sb.cmd().args(args).assert().code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(usage), "{args:?}: {stderr}");
        assert!(!stderr.contains("<COMMAND>"), "{args:?}: {stderr}");
    }
}

#[test]
fn limit_0_means_no_limit_in_every_command() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib = s(&lib);
    let id = sb.id_of(FERRY);
    let pairs: [(&[&str], &[&str]); 5] = [
        (&["list", "--limit", "0", lib], &["list", lib]),
        (
            &["list", "--sort", "title", "--limit", "0", lib],
            &["list", "--sort", "title", "--limit", "1000", lib],
        ),
        (
            &["search", "e", "--limit", "0", lib],
            &["search", "e", "--limit", "1000", lib],
        ),
        (
            &["search", "--full-text", "the", "--limit", "0", lib],
            &["search", "--full-text", "the", "--limit", "1000", lib],
        ),
        (
            &["related", &id, "--limit", "0", lib],
            &["related", &id, "--limit", "1000", lib],
        ),
    ];
    for (zero, every) in pairs {
        let with_zero = sb.stdout(zero);
        assert!(!with_zero.is_empty(), "{zero:?} printed nothing");
        assert_eq!(with_zero, sb.stdout(every), "{zero:?}");
    }
    // More than the defaults, so the 0 is not read as the default.
    assert!(sb.stdout(&["list", "--limit", "0", lib]).lines().count() > 10);
    let help = sb.stdout(&["list", "--help"]);
    assert!(help.contains("0 prints every story"), "{help}");
}

#[test]
fn mark_takes_paths_after_the_ids_and_still_takes_in() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let id = sb.id_of(FERRY);
    let snow = sb.id_of("Snow expected on high ground");
    let saved = |sb: &Sandbox| -> Vec<String> {
        let list = json(
            sb.stdout(&["list", "--saved", "--json", s(&lib)])
                .as_bytes(),
        );
        let mut titles: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["title"].as_str().unwrap().to_owned())
            .collect();
        titles.sort();
        titles
    };
    // IDs (or prefixes), then files and folders.
    let pages = lib.join("pages");
    let feeds = lib.join("feeds");
    sb.stdout(&["mark", "save", &id[..6], &snow, s(&pages), s(&feeds)]);
    assert_eq!(saved(&sb), [FERRY, "Snow expected on high ground"]);
    // --in, as older scripts give it, still works, hidden from the help.
    sb.stdout(&["mark", "unsave", &snow, "--in", s(&lib)]);
    assert_eq!(saved(&sb), [FERRY]);
    let help = sb.stdout(&["mark", "--help"]);
    assert!(help.contains("<ID>... [PATH]..."), "{help}");
    assert!(!help.contains("--in"), "{help}");
    // Paths and no ID: a usage error, with mark's usage.
    let out = sb.cmd().args(["mark", "read", s(&lib)]).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("no story ID given, only paths:") && stderr.contains("Usage: byline mark"),
        "{stderr}"
    );
    // A path that is not there is named as a path, not looked up as an ID.
    let missing = sb.path().join("gone");
    sb.cmd()
        .args(["mark", "read", &id, s(&missing)])
        .assert()
        .code(1)
        .stderr(format!(
            "byline: {}: No such file or directory\n",
            missing.display()
        ));
    assert_eq!(saved(&sb), [FERRY], "nothing changed");
}
