//! Faults, through the real binary: processes killed while saving marks,
//! two processes marking at once, config folders byline cannot write,
//! damaged state files, a damaged store, and files vanishing mid-load.
//! Each test says what it injected and what it checked.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Sandbox;
use serde_json::Value;

/// A small deterministic generator (xorshift), so that a failure replays.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Writes `n` one-story files and returns the folder.
fn many_stories(sb: &Sandbox, n: usize) -> PathBuf {
    let lib = sb.path().join("many");
    std::fs::create_dir_all(&lib).unwrap();
    for i in 0..n {
        std::fs::write(
            lib.join(format!("{i:04}.txt")),
            format!("Story number {i} of the fault library\n\nIts body, number {i}.\n"),
        )
        .unwrap();
    }
    lib
}

/// The IDs of the stories in `lib`, in file order (indexes it, too).
fn ids(sb: &Sandbox, lib: &Path) -> Vec<String> {
    let out = sb.stdout(&["list", "--json", "--sort", "title", lib.to_str().unwrap()]);
    let list: Value = serde_json::from_str(&out).unwrap();
    let mut by_number: Vec<(usize, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let title = s["title"].as_str().unwrap();
            let n = title.split_whitespace().nth(2).unwrap().parse().unwrap();
            (n, s["id"].as_str().unwrap().to_owned())
        })
        .collect();
    by_number.sort();
    by_number.into_iter().map(|(_, id)| id).collect()
}

/// The real binary as a plain process (to kill it), pointed at the sandbox.
fn process(sb: &Sandbox) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_byline"));
    cmd.env("BYLINE_DATA_DIR", sb.data_dir())
        .env("BYLINE_CONFIG_DIR", sb.config_dir())
        .env("TZ", "UTC")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// The state file's marks: it must parse, and have the documented shape.
fn marks_on_disk(config: &Path) -> BTreeMap<String, (bool, bool)> {
    let path = config.join("state.json");
    let Ok(bytes) = std::fs::read(&path) else {
        return BTreeMap::new();
    };
    let file: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "state.json does not parse ({e}): {:?}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(file["version"], byline::state::VERSION, "{file}");
    file["stories"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, m)| (id.clone(), (m["read"] == true, m["saved"] == true)))
        .collect()
}

fn temp_files(config: &Path) -> Vec<String> {
    std::fs::read_dir(config)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("state.json.tmp-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn marks_survive_kill_9_at_random_moments() {
    const ROUNDS: usize = 220;
    let sb = Sandbox::new();
    let lib = many_stories(&sb, ROUNDS);
    let ids = ids(&sb, &lib);
    let mark = |i: usize| {
        let mut cmd = process(&sb);
        let kind = if i.is_multiple_of(3) { "save" } else { "read" };
        cmd.args(["mark", kind, &ids[i], "--in"]).arg(&lib);
        (cmd, kind)
    };
    // How long one whole `mark` takes, to spread the kills over it.
    let started = Instant::now();
    assert!(mark(0).0.status().unwrap().success());
    let whole = started.elapsed().as_micros() as u64;
    let mut acknowledged: Vec<(usize, &str)> = vec![(0, "save")];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut killed, mut finished, mut stray_seen) = (0, 0, 0);
    for i in 1..ROUNDS {
        let (mut cmd, kind) = mark(i);
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(whole * 5 / 4)));
        match child.try_wait().unwrap() {
            Some(status) => {
                let stderr = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
                assert!(status.success(), "round {i}: {stderr}");
                acknowledged.push((i, kind));
                finished += 1;
            }
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                killed += 1;
            }
        }
        // After every round: the file parses, and every acknowledged mark is in it.
        let disk = marks_on_disk(&sb.config_dir());
        for &(j, kind) in &acknowledged {
            let (read, saved) = disk.get(&ids[j]).copied().unwrap_or_default();
            let ok = if kind == "save" { saved } else { read };
            assert!(
                ok,
                "round {i}: the acknowledged {kind} mark of story {j} is missing"
            );
        }
        stray_seen += temp_files(&sb.config_dir()).len().min(1);
    }
    // The next start cleans whatever temp files the kills left.
    assert!(
        sb.cmd()
            .args(["list", "--unread"])
            .arg(&lib)
            .assert()
            .success()
            .get_output()
            .status
            .success()
    );
    assert_eq!(temp_files(&sb.config_dir()), Vec::<String>::new());
    println!(
        "{ROUNDS} rounds: {killed} killed mid-run, {finished} finished; {} marks checked after every round; \
         {stray_seen} rounds left a temp file, all cleaned at the next start",
        acknowledged.len()
    );
    assert!(
        killed >= 50,
        "too few kills landed ({killed}) to mean anything"
    );
}

#[test]
fn two_processes_marking_at_once_keep_every_mark() {
    const EACH: usize = 500;
    let sb = Sandbox::new();
    let lib = many_stories(&sb, 2 * EACH);
    let ids = ids(&sb, &lib);
    let run = |kind: &'static str, ids: Vec<String>| {
        let sb = &sb;
        let lib = lib.clone();
        move || {
            for chunk in ids.chunks(10) {
                let out = process(sb)
                    .args(["mark", kind])
                    .args(chunk)
                    .arg("--in")
                    .arg(&lib)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    };
    std::thread::scope(|scope| {
        let a = scope.spawn(run("read", ids[..EACH].to_vec()));
        let b = scope.spawn(run("save", ids[EACH..].to_vec()));
        a.join().unwrap();
        b.join().unwrap();
    });
    let disk = marks_on_disk(&sb.config_dir());
    for (i, id) in ids.iter().enumerate() {
        let (read, saved) = disk.get(id).copied().unwrap_or_default();
        assert_eq!((read, saved), (i < EACH, i >= EACH), "story {i}");
    }
    println!(
        "2 processes x {EACH} marks in {} saves each: all {} kept",
        EACH / 10,
        2 * EACH
    );
}

/// Runs the binary in the sandbox, with `config` as its config folder.
fn with_config(sb: &Sandbox, config: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = sb.cmd();
    cmd.env("BYLINE_CONFIG_DIR", config).args(args);
    cmd.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_state_path_byline_cannot_use_is_an_error_not_a_panic() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib_arg = lib.to_str().unwrap();
    let id = sb.first_id();
    // The state file is a folder.
    let as_dir = sb.path().join("as-dir");
    std::fs::create_dir_all(as_dir.join("state.json")).unwrap();
    // The config folder's parent is a file.
    let file = sb.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let under_file = file.join("byline");
    for (config, why) in [
        (&as_dir, "Is a directory"),
        (&under_file, "Not a directory"),
    ] {
        let out = with_config(&sb, config, &["mark", "read", &id, "--in", lib_arg]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("marks cannot be saved") && stderr.contains(why),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Reading still works, and says why marks are in memory only.
        let out = with_config(&sb, config, &["list", "--json", lib_arg]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("in memory only"),
            "{}",
            text(&out.stderr)
        );
    }
    assert!(
        as_dir.join("state.json").is_dir(),
        "the folder in the way is left alone"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

/// Damaged state files: each is moved aside with its bytes kept, and the
/// new mark is saved; a newer version's file is never written.
#[test]
fn damaged_and_newer_state_files_are_handled_and_never_emptied() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib_arg = lib.to_str().unwrap();
    let id = sb.first_id();
    let cases: [(&str, &[u8]); 5] = [
        ("garbage", b"\x00\x01garbage \xff\xfe"),
        (
            "truncated",
            b"{\"version\":1,\"stories\":{\"aaaaaaaaaa\":{\"read\":tr",
        ),
        ("empty", b""),
        ("wrong shape", b"[1, 2, 3]"),
        (
            "wrong types",
            b"{\"version\":1,\"stories\":{\"aaaaaaaaaa\":\"read\"}}",
        ),
    ];
    for (name, bytes) in cases {
        let config = sb.path().join(format!("config-{}", name.replace(' ', "-")));
        std::fs::create_dir_all(&config).unwrap();
        std::fs::write(config.join("state.json"), bytes).unwrap();
        let out = with_config(&sb, &config, &["mark", "read", &id, "--in", lib_arg]);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        assert!(
            stderr.contains("was damaged") && stderr.contains("moved to"),
            "{name}: {stderr}"
        );
        let aside: Vec<PathBuf> = std::fs::read_dir(&config)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains("state.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{name}");
        assert_eq!(
            std::fs::read(&aside[0]).unwrap(),
            bytes,
            "{name}: the damaged bytes are kept"
        );
        assert_eq!(
            marks_on_disk(&config).get(&id),
            Some(&(true, false)),
            "{name}"
        );
    }
    // Newer: refused, and left byte for byte.
    let config = sb.path().join("config-newer");
    std::fs::create_dir_all(&config).unwrap();
    let newer = br#"{"version": 99, "stories": {"aaaaaaaaaa": {"read": true}}, "future": [1]}"#;
    std::fs::write(config.join("state.json"), newer).unwrap();
    let out = with_config(&sb, &config, &["mark", "read", &id, "--in", lib_arg]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("newer byline"), "{stderr}");
    assert_eq!(std::fs::read(config.join("state.json")).unwrap(), newer);
}

/// Whether this process may act as another user (it runs as root).
#[cfg(unix)]
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The real binary as a user with no home and no rights here (uid 54321),
/// for what root cannot be denied.
#[cfg(unix)]
fn as_stranger(sb: &Sandbox) -> Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_byline"));
    cmd.uid(54321)
        .gid(54321)
        .env_clear()
        .env("TZ", "UTC")
        .env("PATH", "/usr/bin:/bin");
    let _ = sb;
    cmd
}

#[cfg(unix)]
fn open_to_all(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A read-only config folder: marks load, saving says why it cannot, the
/// file is untouched. As root the folder is only read-only to another user,
/// so the binary runs as one.
#[cfg(unix)]
#[test]
fn a_read_only_config_folder_keeps_marks_in_memory_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib_arg = lib.to_str().unwrap();
    let id = sb.first_id();
    let config = sb.path().join("ro-config");
    std::fs::create_dir_all(&config).unwrap();
    let state = format!("{{\"version\":1,\"stories\":{{\"{id}\":{{\"saved\":true}}}}}}");
    std::fs::write(config.join("state.json"), &state).unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o555)).unwrap();
    let data = sb.path().join("ro-data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).unwrap();
    let mut cmd = if is_root() {
        open_to_all(sb.path());
        for dir in [lib.clone(), lib.join("pages"), lib.join("feeds")] {
            open_to_all(&dir);
        }
        as_stranger(&sb)
    } else {
        Command::new(env!("CARGO_BIN_EXE_byline"))
    };
    cmd.env("BYLINE_DATA_DIR", &data)
        .env("BYLINE_CONFIG_DIR", &config);
    let out = cmd
        .args(["mark", "read", &id, "--in", lib_arg])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("marks cannot be saved") && stderr.contains("Permission denied"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(config.join("state.json")).unwrap(),
        state
    );
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// No home folder at all: byline still lists and searches, with the store
/// in the temp folder, and says marks cannot be saved. Only root can run a
/// process as a user with no home here.
#[cfg(unix)]
#[test]
fn no_home_folder_keeps_working_and_says_marks_are_not_saved() {
    let sb = Sandbox::with_library();
    let lib = sb.library();
    let lib_arg = lib.to_str().unwrap();
    // HOME unset for this user: the platform's fallback (the password
    // database, XDG folders) is used and marks are kept.
    let xdg = sb.path().join("xdg");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_byline"));
    cmd.env_remove("HOME")
        .env_remove("BYLINE_CONFIG_DIR")
        .env_remove("BYLINE_DATA_DIR")
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .env("XDG_DATA_HOME", xdg.join("data"));
    let id = text(
        &cmd.args(["list", "--limit", "1", lib_arg])
            .output()
            .unwrap()
            .stdout,
    )[..10]
        .to_owned();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_byline"));
    cmd.env_remove("HOME")
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .env("XDG_DATA_HOME", xdg.join("data"));
    assert!(
        cmd.args(["mark", "read", &id, "--in", lib_arg])
            .status()
            .unwrap()
            .success()
    );
    assert!(marks_on_disk(&xdg.join("config/byline")).contains_key(&id));
    // A user with no home at all takes root to make (CI runs as root).
    if !common::can_run(is_root(), "root, to run byline as a user with no home") {
        return;
    }
    // A user with no home at all.
    open_to_all(sb.path());
    for dir in [lib.clone(), lib.join("pages"), lib.join("feeds")] {
        open_to_all(&dir);
    }
    let temp_store = std::env::temp_dir().join("byline-54321");
    let _ = std::fs::remove_dir_all(&temp_store);
    let out = as_stranger(&sb).args(["list", lib_arg]).output().unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(text(&out.stdout).lines().count(), 11, "{stderr}");
    assert!(
        stderr.contains("no home folder") && stderr.contains("in memory only"),
        "{stderr}"
    );
    assert!(temp_store.join("store.sqlite3").exists());
    let out = as_stranger(&sb)
        .args(["mark", "read", &id, "--in", lib_arg])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("marks cannot be saved") && !stderr.contains("panicked"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&temp_store);
}

/// Files deleted while `byline check` walks and reads them: the load
/// finishes, every file still there loads, every gone one is either read
/// in time or reported.
#[test]
fn files_deleted_during_a_load_are_reported_and_the_rest_loads() {
    let sb = Sandbox::new();
    let lib = many_stories(&sb, 3000);
    let child = Command::new(env!("CARGO_BIN_EXE_byline"))
        .env("BYLINE_DATA_DIR", sb.data_dir())
        .env("BYLINE_CONFIG_DIR", sb.config_dir())
        .args(["check", "--json"])
        .arg(&lib)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Delete every third file while it runs.
    let mut gone = Vec::new();
    for i in (0..3000).step_by(3) {
        let path = lib.join(format!("{i:04}.txt"));
        std::fs::remove_file(&path).unwrap();
        gone.push(path);
    }
    let out = child.wait_with_output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    let mut late = 0;
    for f in files {
        let path = PathBuf::from(f["path"].as_str().unwrap());
        let status = f["status"].as_str().unwrap();
        if gone.contains(&path) {
            if status == "skipped" {
                late += 1;
                let why = f["messages"][0].as_str().unwrap();
                assert!(why.contains("cannot read"), "{why}");
            }
        } else {
            assert_eq!(status, "ok", "{path:?} was never deleted");
        }
    }
    let present = files
        .iter()
        .filter(|f| !gone.contains(&PathBuf::from(f["path"].as_str().unwrap())))
        .count();
    assert_eq!(present, 2000, "every file still there was loaded");
    println!(
        "1000 files deleted during the load: {late} were caught between walk and read and reported"
    );
}

/// The store: deleted, truncated and damaged inside are rebuilt from the
/// files (marks are not in the store, so none is lost); a newer schema is
/// refused and left alone.
#[test]
fn a_damaged_store_is_rebuilt_and_a_newer_one_refused() {
    let sb = Sandbox::with_library();
    let lib_arg = sb.library().to_str().unwrap().to_owned();
    let id = sb.first_id();
    sb.stdout(&["mark", "save", &id, "--in", &lib_arg]);
    let store = sb.data_dir().join("store.sqlite3");
    let checkpoint = || {
        let conn = rusqlite::Connection::open(&store).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    };
    let damage: [(&str, &dyn Fn()); 3] = [
        ("deleted", &|| std::fs::remove_file(&store).unwrap()),
        ("truncated", &|| {
            checkpoint();
            let len = std::fs::metadata(&store).unwrap().len();
            std::fs::File::options()
                .write(true)
                .open(&store)
                .unwrap()
                .set_len(len / 2)
                .unwrap();
        }),
        ("damaged inside", &|| {
            checkpoint();
            let mut bytes = std::fs::read(&store).unwrap();
            for page in bytes.chunks_mut(4096).skip(2) {
                page[8..808].fill(0xde);
            }
            std::fs::write(&store, bytes).unwrap();
        }),
    ];
    for (name, harm) in damage {
        sb.stdout(&["list", &lib_arg]);
        harm();
        let out = sb
            .cmd()
            .args(["list", "--saved", &lib_arg])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        assert!(
            text(&out.stdout).starts_with(&id),
            "{name}: the saved story is still saved"
        );
        if name != "deleted" {
            assert!(
                stderr.contains("rebuilt from the article files"),
                "{name}: {stderr}"
            );
        }
        assert_eq!(sb.stdout(&["list", &lib_arg]).lines().count(), 11, "{name}");
    }
    // Newer schema: refused, untouched.
    let conn = rusqlite::Connection::open(&store).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = std::fs::read(&store).unwrap();
    let out = sb.cmd().args(["list", &lib_arg]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("newer byline"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&store).unwrap(), before);
}
