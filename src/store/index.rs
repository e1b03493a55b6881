//! Incremental indexing: walk the library, re-read only files whose size or
//! mtime changed, learn the sources' boilerplate, fold copies of a story
//! into one, and keep each story's fullest copy current.

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::OptionalExtension;

use super::codec;

use super::batch::{BULK_BATCH, BatchWriter, Reading};
use super::compare::{Changes, Comparison, FastMap, Walk, roots_key};
use super::passes::{
    BATCH, QUICK_FROM, TRAIN_FROM, in_parallel, quick_pass, settle, train_dictionary,
};
use super::report::{Detail, FileReport, FileStatus, Progress, SyncReport};
use super::trees::{self, TreePrints};
use super::write::{self, Parsed, RETRY, Touched, json, path_key};
use super::{Result, Store, Trace, fulltext, learn};
use crate::loader::WalkEntry;

/// What the last sync of a set of roots saw, to know the next time that
/// nothing changed without comparing file by file.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct LastSync {
    roots: String,
    /// The fingerprint of the whole walk (see [`trees::whole`]).
    walk: String,
    /// The store's sequence number after that sync.
    seq: i64,
    /// Whether the store also held files of other libraries.
    others: bool,
    stories: usize,
    skipped: usize,
    warned: usize,
    #[serde(default)]
    ignored: usize,
    /// Each tree's fingerprint (see [`trees`]), when the walk told them apart.
    #[serde(default)]
    trees: Option<TreePrints>,
}

const LAST_SYNC: &str = "last_sync";

impl Store {
    /// Whether the last sync was of `roots`, the store has not changed
    /// since, and it holds no other library: then what the store says now
    /// is what a sync of `roots` will say if the walk finds them unchanged.
    pub(super) fn last_synced(&self, roots: &[PathBuf]) -> Result<bool> {
        Ok(self
            .current_sync(&roots_key(roots))?
            .is_some_and(|last| !last.others))
    }

    /// The last sync's record, when it was of the roots `roots_key` names
    /// and nothing has changed the store since.
    fn current_sync(&self, roots_key: &str) -> Result<Option<LastSync>> {
        let Some(last) = self.last_sync()?.filter(|l| l.roots == roots_key) else {
            return Ok(None);
        };
        Ok((last.seq == self.seq()?).then_some(last))
    }

    /// Brings the store up to date with the files under `roots` and limits
    /// later queries to them. Only new and changed files are read.
    pub fn sync(
        &mut self,
        roots: &[PathBuf],
        progress: impl FnMut(Progress),
    ) -> Result<SyncReport> {
        self.sync_with(roots, Detail::Files, progress)
    }

    /// [`Store::sync`], reporting as much as `detail` asks for.
    pub fn sync_with(
        &mut self,
        roots: &[PathBuf],
        detail: Detail,
        progress: impl FnMut(Progress),
    ) -> Result<SyncReport> {
        let trace = Trace::new();
        let walk = Walk::of(roots, &self.ignore);
        trace.mark("walk");
        self.sync_walked(walk, detail, progress)
    }

    /// [`Store::sync_with`] from a walk already made, which may have run
    /// on another thread.
    pub fn sync_walked(
        &mut self,
        walk: Walk,
        detail: Detail,
        mut progress: impl FnMut(Progress),
    ) -> Result<SyncReport> {
        let trace = Trace::new();
        self.forget_other_loader()?;
        let roots_key = walk.root_keys.join("\n");
        let walk_print = trees::whole(&walk);
        let last = self.current_sync(&roots_key)?;
        if detail == Detail::Counts
            && let Some(last) = last.as_ref().filter(|l| l.walk == walk_print)
        {
            let report = self.unchanged_since(last, &walk)?;
            trace.mark("unchanged since the last sync");
            return Ok(report);
        }
        // Past the quick path: the library changed, or the store did.
        let prints = trees::prints(&walk);
        let comparison = match folders_to_compare(last.as_ref(), prints.as_ref(), detail) {
            Some((trees, others)) => {
                let comparison = self.compare_trees(&walk, &trees, others, detail)?;
                trace.mark("compare the changed folders with the store");
                comparison
            }
            None => {
                let comparison = self.compare(&walk, detail)?;
                trace.mark("compare with the store");
                comparison
            }
        };
        let Comparison {
            mut reports,
            changed,
            new,
            removed,
            others,
        } = comparison;
        let total = changed.len();
        progress(Progress { done: 0, total });
        if total + removed.len() > 0 {
            let files = Changes {
                changed: &changed,
                new: &new,
                removed: &removed,
            };
            self.apply_changes(files, &mut reports, &mut progress, &trace)?;
        }
        self.set_scope(others, &walk.roots)?;
        let outcome = Outcome {
            reports,
            detail,
            reread: total,
            removed: removed.len(),
            others,
        };
        let print = Print {
            roots: roots_key,
            walk: walk_print,
            trees: prints,
        };
        self.report(walk, outcome, print)
    }

    /// When the walk found the library as the `last` sync left it, and the
    /// store has not changed since: that sync's counts, with the scope set.
    fn unchanged_since(&mut self, last: &LastSync, walk: &Walk) -> Result<SyncReport> {
        self.set_scope(last.others, &walk.roots)?;
        Ok(SyncReport {
            file_count: walk.walked.len() + walk.skips.len(),
            stories: last.stories,
            seq: last.seq,
            skipped: last.skipped,
            warned: last.warned,
            ignored: last.ignored,
            ..SyncReport::default()
        })
    }

    /// Forgets the files that went, reads the new and changed ones (their
    /// headlines first, for a long first index), learns the sources'
    /// boilerplate again, and brings what is derived from the stories up
    /// to date.
    fn apply_changes(
        &mut self,
        files: Changes<'_>,
        reports: &mut FastMap<String, FileReport>,
        progress: &mut impl FnMut(Progress),
        trace: &Trace,
    ) -> Result<()> {
        let Changes {
            changed,
            new,
            removed,
        } = files;
        let total = changed.len();
        self.bump_seq()?;
        let mut touched = self.remove_gone(removed)?;
        // The headlines of files the store knows are in it already (a
        // re-read by a new loader keeps its stories until it replaces them).
        let fresh = new.iter().filter(|&&n| n).count();
        if fresh >= QUICK_FROM {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if fresh == total {
                quick_pass(&tx, changed)?;
            } else {
                let only_new: Vec<WalkEntry> = changed
                    .iter()
                    .zip(new)
                    .filter(|(_, n)| **n)
                    .map(|(e, _)| e.clone())
                    .collect();
                quick_pass(&tx, &only_new)?;
            }
            tx.commit()?;
            trace.mark("quick headlines");
            // The headlines are in: a reader may show the list now.
            progress(Progress { done: 0, total });
        }
        let mut packer = codec::packer(&self.conn)?;
        if !packer.has_dictionary() && total >= TRAIN_FROM {
            packer = train_dictionary(&self.conn, changed)?;
            trace.mark("train the compression dictionary");
        }
        for source in learn::recount_if_pending(&mut self.conn)? {
            touched.sources.insert(source);
            touched.learn_all_of(source);
        }
        let learned = learn::load(&self.conn)?;
        // A long index commits in larger batches (see `BULK_BATCH`).
        let batch = if total >= QUICK_FROM {
            BULK_BATCH
        } else {
            BATCH
        };
        let how = Reading {
            learned: &learned,
            packer: &packer,
            batch,
        };
        self.read_files(changed, how, reports, &mut touched, progress)?;
        trace.mark("parse and write stories");
        self.relearn(&touched, reports)?;
        trace.mark("learn boilerplate");
        self.finish_derived(trace)
    }

    /// Forgets the files that left the library.
    fn remove_gone(&mut self, removed: &[(String, i64)]) -> Result<Touched> {
        let mut touched = Touched::default();
        if removed.is_empty() {
            return Ok(touched);
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (_, file_id) in removed {
            write::clear_file(&tx, *file_id, &mut touched)?;
            tx.prepare_cached("DELETE FROM files WHERE id = ?1")?
                .execute([file_id])?;
        }
        learn::count(&tx, &touched.take_units())?;
        settle(&tx, &mut touched)?;
        tx.commit()?;
        Ok(touched)
    }

    /// Reads `files` on every core, and writes them in batches that commit
    /// as they go, so a reader of the store sees the stories fill in during
    /// a long first index. The parsers run on while a batch commits: one
    /// pipeline for all the files, not one a batch.
    fn read_files(
        &mut self,
        files: &[WalkEntry],
        how: Reading<'_>,
        reports: &mut FastMap<String, FileReport>,
        touched: &mut Touched,
        progress: &mut impl FnMut(Progress),
    ) -> Result<()> {
        let Reading {
            learned,
            packer,
            batch,
        } = how;
        let total = files.len();
        let conn = &self.conn;
        let mut writer = BatchWriter {
            tx: None,
            batch: Touched::default(),
            pending: HashMap::new(),
        };
        let mut done = 0;
        in_parallel(
            files,
            |entry| write::parse(entry, learned, packer),
            |entry, parsed: Parsed| {
                let report = writer.write(conn, entry, &parsed)?;
                reports.insert(path_key(&entry.path), report);
                done += 1;
                if done % batch == 0 || done == total {
                    writer.commit(done == total, touched)?;
                    progress(Progress { done, total });
                }
                Ok(())
            },
        )
    }

    /// Learns the boilerplate of the sources this sync touched, and reads
    /// again the files whose stories it changes.
    fn relearn(
        &mut self,
        touched: &Touched,
        reports: &mut FastMap<String, FileReport>,
    ) -> Result<()> {
        if touched.sources.is_empty() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let changes = learn::relearn(&tx, &touched.sources, &touched.candidates)?;
        let files = learn::files_to_reread(&tx, &changes)?;
        let mut again = Vec::with_capacity(files.len());
        for file in files {
            let found: Option<(String, i64, i64)> = tx
                .prepare_cached("SELECT path, size, mtime_ns FROM files WHERE id = ?1")?
                .query_row([file], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            if let Some((path, size, mtime_ns)) = found {
                again.push(WalkEntry {
                    path: PathBuf::from(path),
                    size: size.max(0) as u64,
                    mtime_ns,
                });
            }
        }
        tx.commit()?;
        if again.is_empty() {
            return Ok(());
        }
        again.sort_by(|a, b| a.path.cmp(&b.path));
        let learned = learn::load(&self.conn)?;
        let packer = codec::packer(&self.conn)?;
        let mut touched = Touched::default();
        let how = Reading {
            learned: &learned,
            packer: &packer,
            batch: BATCH,
        };
        self.read_files(&again, how, reports, &mut touched, &mut |_| {})
    }

    /// After the stories are in: the full-text index and the near-duplicate
    /// groups catch up, and the sequence moves on.
    fn finish_derived(&mut self, trace: &Trace) -> Result<()> {
        // Headlines the full parse did not confirm (their file failed).
        self.conn
            .execute("DELETE FROM stories WHERE entry = 0", [])?;
        fulltext::catch_up(&mut self.conn)?;
        trace.mark("full-text index");
        self.regroup()?;
        trace.mark("near-duplicate groups");
        // Again at the end, so that nothing derived from the store while
        // this sync was under way passes for derived from its result.
        self.bump_seq()
    }

    /// The sync's report, recorded for the next sync's quick path.
    fn report(&self, walk: Walk, outcome: Outcome, print: Print) -> Result<SyncReport> {
        let trace = Trace::new();
        let Outcome {
            reports,
            detail,
            reread,
            removed,
            others,
        } = outcome;
        let mut tally = [0usize; 4];
        let slot = |status| match status {
            FileStatus::Skipped => 0,
            FileStatus::Warn => 1,
            FileStatus::Ignored => 2,
            FileStatus::Ok => 3,
        };
        // The counts: the store's files as this sync left them, and the skips.
        for skip in &walk.skips {
            tally[slot(FileStatus::of_skip(&skip.reason))] += 1;
        }
        for (status, n) in self.problem_statuses(others)? {
            tally[slot(status)] += n;
        }
        let file_count = walk.walked.len() + walk.skips.len();
        let mut files: Vec<FileReport> = reports
            .into_values()
            .chain(
                walk.skips
                    .into_iter()
                    .map(|s| FileReport::of_skip(s.path, &s.reason)),
            )
            .filter(|f| detail.wants(f.status))
            .collect();
        files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
        let stories = self.count_stories()?;
        trace.mark("count");
        let [skipped, warned, ignored, _] = tally;
        // A file that could not be read is tried again every time (a fix to
        // its permissions changes neither its size nor its mtime).
        let retry: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM files WHERE size = ?1)",
            [RETRY],
            |r| r.get(0),
        )?;
        let seq = self.seq()?;
        self.save_last_sync(&LastSync {
            roots: print.roots,
            walk: print.walk,
            seq: if retry { -1 } else { seq },
            others,
            stories,
            skipped,
            warned,
            ignored,
            trees: print.trees,
        })?;
        Ok(SyncReport {
            files,
            file_count,
            reread,
            removed,
            stories,
            seq,
            skipped,
            warned,
            ignored,
        })
    }

    /// How many of the store's files have each status but `ok` (which no
    /// report counts): of the files in scope when the store holds `others`
    /// libraries' files too. Without a sort of every file by status.
    fn problem_statuses(&self, others: bool) -> Result<Vec<(FileStatus, usize)>> {
        let mut stmt = self.conn.prepare(if others {
            "SELECT status, count(*) FROM files
             WHERE status != ?1 AND id IN temp.scope GROUP BY status"
        } else {
            "SELECT status, count(*) FROM files WHERE status != ?1 GROUP BY status"
        })?;
        let rows = stmt.query_map([FileStatus::Ok.as_str()], |r| {
            Ok((
                FileStatus::parse(&r.get::<_, String>(0)?),
                r.get::<_, i64>(1)? as usize,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Limits queries to `roots` when the store holds other libraries too.
    fn set_scope(&mut self, others: bool, roots: &[PathBuf]) -> Result<()> {
        if others {
            self.scope_to_roots(roots)?;
        } else {
            self.scoped = false;
            self.scope_key.clear();
        }
        Ok(())
    }

    /// The store's sequence number: it moves on with every sync that changes it.
    pub fn seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    fn bump_seq(&self) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('seq', 1)
             ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            [],
        )?;
        Ok(())
    }

    fn last_sync(&self) -> Result<Option<LastSync>> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [LAST_SYNC], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    fn save_last_sync(&self, last: &LastSync) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            [LAST_SYNC, &json(last)],
        )?;
        Ok(())
    }

    /// When the store was indexed by other parsers than this build's, marks
    /// every file to be read again (the stories stay until then).
    fn forget_other_loader(&mut self) -> Result<()> {
        const KEY: &str = "loader";
        let ours = env!("BYLINE_LOADER_HASH");
        let theirs: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [KEY], |r| r.get(0))
            .optional()?;
        if theirs.as_deref() != Some(ours) {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute("UPDATE files SET size = ?1", [RETRY])?;
            tx.execute("DELETE FROM meta WHERE key = ?1", [LAST_SYNC])?;
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                [KEY, ours],
            )?;
            tx.commit()?;
        }
        Ok(())
    }
}

/// The folders to compare with the store, and whether it holds other
/// libraries: when the `last` sync (of these roots, with the store
/// unchanged since) kept each folder's fingerprint, and `detail` asks for
/// no unchanged file's report. None to compare every file.
fn folders_to_compare(
    last: Option<&LastSync>,
    now: Option<&TreePrints>,
    detail: Detail,
) -> Option<(Vec<String>, bool)> {
    if !matches!(detail, Detail::Counts | Detail::Problems) {
        return None;
    }
    let last = last?;
    Some((
        trees::changed_trees(last.trees.as_ref()?, now?)?,
        last.others,
    ))
}

/// What the walk of a sync found, as the next sync will look for it.
struct Print {
    roots: String,
    /// The fingerprint of the whole walk (see [`trees::whole`]).
    walk: String,
    trees: Option<TreePrints>,
}

/// What a sync did, for its report.
struct Outcome {
    /// Reports of the files compared or read: the unchanged files' only
    /// as `detail` wants them.
    reports: FastMap<String, FileReport>,
    detail: Detail,
    reread: usize,
    removed: usize,
    others: bool,
}
