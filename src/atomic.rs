//! Writing a file whole or not at all: the one helper every writer uses
//! (the marks, the exports, the headline file next to the store).
//!
//! The bytes go to a temporary file in the same folder
//! (`<name>.tmp-<pid>`), which is synced, renamed over the target, and the
//! folder synced, so that the rename itself survives a crash. A reader
//! never sees half a file; a crash leaves the old file or the new one, and
//! at worst a temporary file that [`temp_files`] finds.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary file a write to `path` goes through.
fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path` atomically and durably.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_file(path, bytes)?;
    sync_folder(path);
    Ok(())
}

/// Writes several files atomically and durably, each as [`write`] does,
/// with the folders synced once at the end rather than once a file (a
/// feed's items: thousands of small files in one folder).
pub fn write_all<'a>(files: impl IntoIterator<Item = (&'a Path, &'a [u8])>) -> std::io::Result<()> {
    let mut folders: Vec<&Path> = Vec::new();
    for (path, bytes) in files {
        write_file(path, bytes)?;
        let folder = folder_of(path);
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    for folder in folders {
        if let Ok(dir) = File::open(folder) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// Makes a rename in `path`'s folder durable. (A folder that cannot be
/// opened for syncing, on some systems, is no reason to fail the write.)
fn sync_folder(path: &Path) {
    if let Ok(dir) = File::open(folder_of(path)) {
        let _ = dir.sync_all();
    }
}

/// The file written whole (temporary file, synced, renamed over `path`);
/// the folder not yet synced.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.file_name().is_none() {
        return Err(std::io::ErrorKind::InvalidInput.into());
    }
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary files that writes to `path` left behind (a process killed
/// between its write and its rename), by any process.
pub fn temp_files(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let prefix = format!("{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(folder_of(path)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(&prefix))
        })
        .map(|e| e.path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(temp_files(&path).is_empty());
        std::fs::write(dir.path().join("state.json.tmp-42"), "partial").unwrap();
        assert_eq!(temp_files(&path).len(), 1);
    }

    #[test]
    fn a_write_that_fails_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("file");
        assert!(write(&path, b"x").is_err());
        assert!(write(Path::new(""), b"x").is_err());
    }
}
