//! What a sync reports: every file, how it fared, and the totals.

use std::path::{Path, PathBuf};

use crate::article::Format;
use crate::loader::{Loaded, SkipReason};

/// How a file fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Ok,
    Warn,
    /// It could not be read or parsed.
    Skipped,
    /// Passed over on purpose: not an article, hidden, or an ignore rule.
    Ignored,
}

impl FileStatus {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Warn => "warn",
            FileStatus::Skipped => "skipped",
            FileStatus::Ignored => "ignored",
        }
    }

    pub(super) fn parse(s: &str) -> FileStatus {
        match s {
            "ok" => FileStatus::Ok,
            "warn" => FileStatus::Warn,
            "ignored" => FileStatus::Ignored,
            _ => FileStatus::Skipped,
        }
    }

    /// The status of a file skipped for `reason`.
    pub fn of_skip(reason: &SkipReason) -> FileStatus {
        if reason.is_ignored() {
            FileStatus::Ignored
        } else {
            FileStatus::Skipped
        }
    }
}

/// One file of the library after a sync.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub format: Option<Format>,
    /// The encoding it was read in, for a file that was read.
    pub encoding: Option<String>,
    pub stories: usize,
    pub status: FileStatus,
    /// Warnings, or the reason for a skip.
    pub messages: Vec<String>,
}

impl FileReport {
    /// The report of a file the loader read (or skipped).
    pub(super) fn of_load(path: &Path, loaded: Result<&Loaded, &SkipReason>) -> FileReport {
        match loaded {
            Ok(l) => FileReport {
                path: path.to_path_buf(),
                format: Some(l.format),
                encoding: Some(l.encoding.to_owned()),
                stories: l.articles.len(),
                status: if l.warnings.is_empty() {
                    FileStatus::Ok
                } else {
                    FileStatus::Warn
                },
                messages: l.warnings.clone(),
            },
            Err(reason) => FileReport::of_skip(path.to_path_buf(), reason),
        }
    }

    /// The report of a path that was skipped.
    pub(super) fn of_skip(path: PathBuf, reason: &SkipReason) -> FileReport {
        FileReport {
            path,
            format: None,
            encoding: None,
            stories: 0,
            status: FileStatus::of_skip(reason),
            messages: vec![reason.to_string()],
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Every file of the library, sorted by path, and every path skipped by
    /// the walk; with [`Detail::Problems`] only those not loaded cleanly;
    /// with [`Detail::Counts`], none.
    pub files: Vec<FileReport>,
    /// The files of the library and the paths the walk skipped: as many as
    /// `files` holds with [`Detail::Files`].
    pub file_count: usize,
    /// Files read and parsed this time (new or changed).
    pub reread: usize,
    /// Files that left the library since the last sync.
    pub removed: usize,
    /// Distinct stories in the library.
    pub stories: usize,
    /// The store's sequence number when the sync ended: a list read at
    /// this number shows what the sync left.
    pub seq: i64,
    pub(super) skipped: usize,
    pub(super) warned: usize,
    pub(super) ignored: usize,
}

impl SyncReport {
    /// Files skipped because they could not be read or parsed.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Files loaded with warnings.
    pub fn warned(&self) -> usize {
        self.warned
    }

    /// Paths passed over on purpose (not articles, hidden, ignore rules).
    pub fn ignored(&self) -> usize {
        self.ignored
    }
}

/// How much a sync must report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// A report for every file (`byline check`).
    Files,
    /// Reports of the files that did not load cleanly, and the counts
    /// (the reader's load report): no report is made for each of a
    /// million files that loaded.
    Problems,
    /// Only the counts. When the walk finds the library exactly as the last
    /// sync of the same folders left it, and nothing else changed the
    /// store since, the comparison file by file is skipped.
    Counts,
}

impl Detail {
    /// Whether a sync with this detail reports a file of `status`.
    pub(super) fn wants(self, status: FileStatus) -> bool {
        match self {
            Detail::Files => true,
            Detail::Problems => status != FileStatus::Ok,
            Detail::Counts => false,
        }
    }
}

/// Progress of a sync, for a gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}
