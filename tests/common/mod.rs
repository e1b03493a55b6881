//! Helpers for the tests that run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assert_cmd::Command;

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
        let sandbox = Sandbox::new();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/library");
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
