//! The state file on disk: its shape, reading it, writing it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{HEADLINE_IDS, Mark, MarkSet, StateError, VERSION, io_err};
use crate::article::ArticleId;

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StateFile {
    pub version: u32,
    #[serde(default)]
    pub stories: MarkSet,
    /// Marks under the headline-only IDs of version 1, not yet matched to
    /// a story.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub legacy: BTreeMap<ArticleId, Mark>,
    /// The session, the query history and the saved queries (version 3).
    #[serde(flatten)]
    pub extras: super::Extras,
}

impl StateFile {
    /// A version 1 file's marks are all legacy.
    pub fn upgraded(mut self) -> StateFile {
        if self.version <= HEADLINE_IDS {
            let old = std::mem::take(&mut self.stories);
            self.legacy.extend(old.0);
            self.version = VERSION;
        }
        self
    }
}

pub(super) enum Disk {
    Missing,
    Found(Box<StateFile>),
    Corrupt(String),
    TooNew(u32),
    Unreadable(String),
}

pub(super) fn read_disk(path: &Path) -> Disk {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Disk::Missing,
        Err(e) => return Disk::Unreadable(e.to_string()),
    };
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    match serde_json::from_slice::<Version>(&bytes) {
        Ok(v) if v.version > VERSION => return Disk::TooNew(v.version),
        Ok(_) => {}
        Err(e) => return Disk::Corrupt(e.to_string()),
    }
    match serde_json::from_slice::<StateFile>(&bytes) {
        Ok(file) => Disk::Found(Box::new(file.upgraded())),
        Err(e) => Disk::Corrupt(e.to_string()),
    }
}

pub(super) fn write_state(path: &Path, file: &StateFile) -> Result<(), StateError> {
    let mut bytes = serde_json::to_vec(file).map_err(|e| io_err(path, e.into()))?;
    bytes.push(b'\n');
    crate::atomic::write(path, &bytes).map_err(|e| io_err(path, e))
}
