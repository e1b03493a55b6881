//! Helpers shared by the unit tests.

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

/// 2026-11-20T12:00:00Z: the time fixture files are given.
pub const FIXTURE_TIME: u64 = 1_795_176_000;

/// Copies `tests/fixtures/library` into `dst`, every file's mtime set to
/// [`FIXTURE_TIME`].
pub fn copy_fixtures(dst: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/library");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let file = std::fs::File::options().write(true).open(&target).unwrap();
            file.set_modified(UNIX_EPOCH + Duration::from_secs(FIXTURE_TIME))
                .unwrap();
        }
    }
}

/// What a parser knows of a file: saved at the fixtures' time, in `folder`,
/// with this extension, named `story`.
pub fn ctx(folder: &str, extension: &str) -> crate::loader::FileContext {
    use chrono::TimeZone;
    crate::loader::FileContext {
        modified: chrono::Utc.timestamp_opt(FIXTURE_TIME as i64, 0).unwrap(),
        folder: Some(folder.to_owned()),
        extension: Some(extension.to_owned()),
        stem: Some("story".to_owned()),
    }
}
