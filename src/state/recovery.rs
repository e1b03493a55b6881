//! When the state file cannot take the marks at quit (a full disk, a folder
//! gone read-only), the marks not yet saved go to a recovery file in
//! another writable place (the data folder, else the temp folder), and the
//! next start merges them back in and says so. Nothing is lost silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Mark, Marks, VERSION};
use crate::article::ArticleId;

/// Where recovery files go, first choice first, and what their names
/// start with (which tells users apart in a shared temp folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryPlaces {
    pub dirs: Vec<PathBuf>,
    pub prefix: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct RecoveryFile {
    version: u32,
    /// Where the marks should have gone.
    state_file: String,
    stories: BTreeMap<ArticleId, Mark>,
}

impl RecoveryPlaces {
    /// The recovery files waiting in these places.
    fn found(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = self
            .dirs
            .iter()
            .filter_map(|dir| std::fs::read_dir(dir).ok())
            .flat_map(|entries| entries.flatten())
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(&self.prefix) && n.ends_with(".json"))
            })
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }
}

impl Marks {
    /// Writes the marks not yet saved to a recovery file in the first of
    /// `places` that takes it. Returns its path.
    pub fn write_recovery(&self, places: &RecoveryPlaces) -> Result<PathBuf, String> {
        let stories: BTreeMap<ArticleId, Mark> = self
            .dirty
            .iter()
            .map(|id| (id.clone(), self.marks.get(id)))
            .collect();
        let file = RecoveryFile {
            version: VERSION,
            state_file: self.state_file_name(),
            stories,
        };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| e.to_string())?;
        let name = format!(
            "{}{}-{}.json",
            places.prefix,
            chrono::Utc::now().format("%Y%m%dT%H%M%S"),
            std::process::id()
        );
        let mut errors = Vec::new();
        for dir in &places.dirs {
            let path = dir.join(&name);
            match std::fs::create_dir_all(dir).and_then(|()| crate::atomic::write(&path, &bytes)) {
                Ok(()) => return Ok(path),
                Err(e) => errors.push(format!("{}: {e}", dir.display())),
            }
        }
        Err(errors.join("; "))
    }

    /// The state file these marks belong to, as a recovery file names it.
    fn state_file_name(&self) -> String {
        self.dir
            .as_ref()
            .map(|d| d.join(super::STATE_FILE).display().to_string())
            .unwrap_or_default()
    }

    /// The marks not yet saved, as JSON: the last resort when no recovery
    /// file could be written either.
    pub fn unsaved_json(&self) -> String {
        let stories: BTreeMap<&ArticleId, Mark> = self
            .dirty
            .iter()
            .map(|id| (id, self.marks.get(id)))
            .collect();
        serde_json::to_string(&stories).unwrap_or_default()
    }

    /// Merges the recovery files waiting in `places` into these marks (as
    /// changes, which win over the state file), with a notice for each.
    /// The files are removed once the marks are saved. Returns how many
    /// marks came back. A recovery file written for another state file
    /// (another `--config-dir` sharing the temp folder) is left for it.
    pub fn merge_recovery(&mut self, places: &RecoveryPlaces) -> usize {
        let mut merged = 0;
        let ours = self.state_file_name();
        for path in places.found() {
            match read(&path) {
                Ok(file) if file.state_file != ours => {}
                Ok(file) => {
                    for (id, mark) in &file.stories {
                        self.set(id, mark.clone());
                    }
                    merged += file.stories.len();
                    self.notices.push(format!(
                        "merged {} from {}, written there when they could not be saved",
                        crate::fmt::plural(file.stories.len(), "mark", "marks"),
                        path.display()
                    ));
                    self.recovered.push(path);
                }
                Err(e) => self.notices.push(format!(
                    "cannot read the recovered marks in {}: {e}",
                    path.display()
                )),
            }
        }
        merged
    }
}

fn read(path: &Path) -> Result<RecoveryFile, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsaved_marks_go_to_a_recovery_file_and_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let places = RecoveryPlaces {
            dirs: vec![dir.path().join("not-a-folder"), dir.path().join("data")],
            prefix: "byline-marks-recovery-".into(),
        };
        // The first place cannot take it: a file stands where the folder would.
        std::fs::write(dir.path().join("not-a-folder"), "x").unwrap();
        let id = ArticleId::from_raw("abcdefghij");
        let mut marks = Marks::load(&config);
        marks.set_saved(&id, true);
        let path = marks.write_recovery(&places).unwrap();
        assert!(path.starts_with(dir.path().join("data")), "{path:?}");
        assert!(marks.unsaved_json().contains("abcdefghij"));
        // The next start merges it, says so, and removes it once saved.
        let mut next = Marks::load(&config);
        assert!(!next.is_saved(&id));
        assert_eq!(next.merge_recovery(&places), 1);
        assert!(next.is_saved(&id));
        assert!(next.take_notices()[0].contains("merged 1 mark from"));
        assert!(path.exists(), "kept until the marks are saved");
        next.save().unwrap();
        assert!(!path.exists());
        assert!(Marks::load(&config).is_saved(&id));
    }

    #[test]
    fn a_recovery_file_for_another_state_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let places = RecoveryPlaces {
            dirs: vec![dir.path().join("tmp")],
            prefix: "byline-marks-recovery-".into(),
        };
        let id = ArticleId::from_raw("abcdefghij");
        let mut marks = Marks::load(&dir.path().join("one"));
        marks.set_saved(&id, true);
        let path = marks.write_recovery(&places).unwrap();
        let mut other = Marks::load(&dir.path().join("two"));
        assert_eq!(other.merge_recovery(&places), 0);
        assert!(!other.is_saved(&id));
        assert!(other.take_notices().is_empty());
        let mut same = Marks::load(&dir.path().join("one"));
        assert_eq!(same.merge_recovery(&places), 1);
        assert!(path.exists());
    }
}
