//! The sample articles bundled in the binary, written out to a folder so
//! they load like any other library.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Writes the samples into `dir` (created if needed) and returns it. Files
/// already there with the right content are left alone, so their mtimes,
/// and the store's index of them, stay valid. Stray files are removed.
pub fn install(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let now = SystemTime::now();
    for (n, (rel, content)) in SAMPLES.iter().enumerate() {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == *content) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        crate::atomic::write(&path, content)?;
        // Spread the pages' times out, so ages and sorting look like a real library.
        let file = std::fs::File::options().write(true).open(&path)?;
        file.set_modified(now - Duration::from_secs(37 * 60 * n as u64))?;
    }
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !SAMPLES.iter().any(|(name, _)| *name == rel) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_writes_every_sample_once() {
        assert!(SAMPLES.len() >= 17, "{} samples", SAMPLES.len());
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("samples");
        install(&target).unwrap();
        let first = std::fs::metadata(target.join(SAMPLES[0].0))
            .unwrap()
            .modified()
            .unwrap();
        std::fs::write(target.join("stray.txt"), "x").unwrap();
        install(&target).unwrap();
        let again = std::fs::metadata(target.join(SAMPLES[0].0))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(first, again, "an unchanged sample is not rewritten");
        assert!(!target.join("stray.txt").exists());
    }
}
