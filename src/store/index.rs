//! Incremental indexing: walk the library, re-read only files whose size or
//! mtime changed, learn the sources' boilerplate, fold copies of a story
//! into one, and keep each story's fullest copy current.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;

use super::codec::{self, Packer};
/// Boilerplate count changes held before they are written (about 100 MB).
const UNITS_PENDING: usize = 2_000_000;

use super::passes::{
    BATCH, QUICK_FROM, TRAIN_FROM, in_parallel, quick_pass, settle, train_dictionary,
};
use super::report::{Detail, FileReport, Progress, SyncReport};
use super::write::{self, Boilerplate, Parsed, RETRY, Touched, json, path_key};
use super::{Result, Store, Trace, fulltext, learn};
use crate::loader::{self, Ignore, WalkEntry, WalkSkip};

/// What the last sync of a set of roots saw, to know the next time that
/// nothing changed without comparing file by file.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct LastSync {
    roots: String,
    /// [`fingerprint`] of the walk.
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
}

const LAST_SYNC: &str = "last_sync";

/// A fingerprint of what a walk found: every file's path, size and mtime,
/// and every skip. Independent of the walk's order.
fn fingerprint(walked: &[WalkEntry], skips: &[WalkSkip]) -> String {
    use xxhash_rust::xxh3::xxh3_128;
    let mut sum = 0u128;
    let mut buf = Vec::with_capacity(256);
    for entry in walked {
        buf.clear();
        buf.extend_from_slice(entry.path.as_os_str().as_encoded_bytes());
        buf.push(0);
        buf.extend_from_slice(&entry.size.to_le_bytes());
        buf.extend_from_slice(&entry.mtime_ns.to_le_bytes());
        sum = sum.wrapping_add(xxh3_128(&buf));
    }
    for skip in skips {
        let line = format!("{}\0{}", skip.path.display(), skip.reason);
        sum = sum.wrapping_add(xxh3_128(line.as_bytes()));
    }
    format!("{sum:032x}-{}-{}", walked.len(), skips.len())
}

/// A file the store knows from an earlier sync.
struct Known {
    /// Whether this walk found the file.
    seen: bool,
    id: i64,
    size: i64,
    mtime_ns: i64,
    format: Option<String>,
    encoding: Option<String>,
    status: String,
    message: Option<String>,
    stories: i64,
}

/// A hash map with a fast hash: the keys are our own paths, not an attacker's.
type FastMap<K, V> = HashMap<K, V, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

fn under_roots(path: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| Path::new(path).starts_with(r))
}

/// What a walk of the library found, for [`Store::sync_walked`].
pub struct Walk {
    roots: Vec<PathBuf>,
    root_keys: Vec<String>,
    walked: Vec<WalkEntry>,
    skips: Vec<WalkSkip>,
}

impl Walk {
    /// Walks `roots` (which need not be canonical), passing over what
    /// `ignore` names.
    pub fn of(roots: &[PathBuf], ignore: &Ignore) -> Walk {
        let roots = canonical_roots(roots);
        let (walked, skips) = loader::walk(&roots, ignore);
        Walk {
            root_keys: roots.iter().map(|r| path_key(r)).collect(),
            roots,
            walked,
            skips,
        }
    }
}

fn canonical_roots(roots: &[PathBuf]) -> Vec<PathBuf> {
    roots
        .iter()
        .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
        .collect()
}

/// The key of a set of roots in [`LastSync`].
fn roots_key(roots: &[PathBuf]) -> String {
    canonical_roots(roots)
        .iter()
        .map(|r| path_key(r))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a sync reads and forgets, from [`Store::compare`].
#[derive(Clone, Copy)]
struct Changes<'a> {
    changed: &'a [WalkEntry],
    new: &'a [bool],
    removed: &'a [(String, i64)],
}

/// The walk compared with what the store knew.
struct Comparison {
    /// Reports of the files that did not change.
    reports: FastMap<String, FileReport>,
    /// New and changed files, to read.
    changed: Vec<WalkEntry>,
    /// Which of `changed` the store did not know (new files).
    new: Vec<bool>,
    /// Known files under these roots the walk did not find: (path, file id).
    removed: Vec<(String, i64)>,
    /// Whether the store holds files of other libraries.
    others: bool,
}

impl Store {
    /// Whether the last sync was of `roots`, the store has not changed
    /// since, and it holds no other library: then what the store says now
    /// is what a sync of `roots` will say if the walk finds them unchanged.
    pub(super) fn last_synced(&self, roots: &[PathBuf]) -> Result<bool> {
        Ok(self.last_sync()?.is_some_and(|last| {
            !last.others
                && last.roots == roots_key(roots)
                && self.seq().is_ok_and(|s| s == last.seq)
        }))
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
        let walk_print = fingerprint(&walk.walked, &walk.skips);
        if detail == Detail::Counts
            && let Some(report) = self.unchanged_since_last(&walk, &roots_key, &walk_print)?
        {
            trace.mark("unchanged since the last sync");
            return Ok(report);
        }
        let Comparison {
            mut reports,
            changed,
            new,
            removed,
            others,
        } = self.compare(&walk)?;
        trace.mark("compare with the store");
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
        self.report(
            walk,
            reports,
            total,
            removed.len(),
            roots_key,
            walk_print,
            others,
        )
    }

    /// When the walk found the library as the last sync left it, and the
    /// store has not changed since: that sync's counts, with the scope set.
    fn unchanged_since_last(
        &mut self,
        walk: &Walk,
        roots_key: &str,
        walk_print: &str,
    ) -> Result<Option<SyncReport>> {
        let Some(last) = self
            .last_sync()?
            .filter(|l| l.roots == roots_key && l.walk == walk_print)
        else {
            return Ok(None);
        };
        if last.seq != self.seq()? {
            return Ok(None);
        }
        self.set_scope(last.others, &walk.roots)?;
        Ok(Some(SyncReport {
            stories: last.stories,
            skipped: last.skipped,
            warned: last.warned,
            ignored: last.ignored,
            ..SyncReport::default()
        }))
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
            touched.candidates.insert(source, None);
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

    /// Compares the walk with the files the store knows.
    fn compare(&self, walk: &Walk) -> Result<Comparison> {
        let mut known = self.known_files()?;
        let mut reports: FastMap<String, FileReport> = FastMap::default();
        let mut changed = Vec::new();
        let mut new = Vec::new();
        for entry in &walk.walked {
            let key = path_key(&entry.path);
            match known.get_mut(&key) {
                Some(k) => {
                    k.seen = true;
                    if k.size == entry.size as i64 && k.mtime_ns == entry.mtime_ns {
                        let report = write::stored_report(
                            &entry.path,
                            k.format.as_deref(),
                            k.encoding.clone(),
                            &k.status,
                            k.message.as_deref(),
                            k.stories,
                        );
                        reports.insert(key, report);
                    } else {
                        changed.push(entry.clone());
                        new.push(false);
                    }
                }
                None => {
                    changed.push(entry.clone());
                    new.push(true);
                }
            }
        }
        // Known files this walk did not find: gone, if under these paths;
        // otherwise another library's, and queries must be limited to this one.
        let mut removed = Vec::new();
        let mut others = false;
        for (path, k) in known.iter().filter(|(_, k)| !k.seen) {
            if under_roots(path, &walk.root_keys) {
                removed.push((path.clone(), k.id));
            } else {
                others = true;
            }
        }
        Ok(Comparison {
            reports,
            changed,
            new,
            removed,
            others,
        })
    }

    /// Every file the store knows, by path.
    fn known_files(&self) -> Result<FastMap<String, Known>> {
        let mut known: FastMap<String, Known> = FastMap::default();
        let mut stmt = self.conn.prepare(
            "SELECT id, path, size, mtime_ns, format, encoding, status, message, stories FROM files",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                Known {
                    seen: false,
                    id: r.get(0)?,
                    size: r.get(2)?,
                    mtime_ns: r.get(3)?,
                    format: r.get(4)?,
                    encoding: r.get(5)?,
                    status: r.get(6)?,
                    message: r.get(7)?,
                    stories: r.get(8)?,
                },
            ))
        })?;
        for row in rows {
            let (path, k) = row?;
            known.insert(path, k);
        }
        Ok(known)
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
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        walk: Walk,
        reports: FastMap<String, FileReport>,
        reread: usize,
        removed: usize,
        roots_key: String,
        walk_print: String,
        others: bool,
    ) -> Result<SyncReport> {
        let trace = Trace::new();
        let mut files: Vec<FileReport> = reports.into_values().collect();
        files.extend(
            walk.skips
                .into_iter()
                .map(|s| FileReport::of_skip(s.path, &s.reason)),
        );
        files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
        let stories = self.count_stories()?;
        trace.mark("count");
        let count = |status| files.iter().filter(|f| f.status == status).count();
        use super::report::FileStatus;
        let (skipped, warned, ignored) = (
            count(FileStatus::Skipped),
            count(FileStatus::Warn),
            count(FileStatus::Ignored),
        );
        // A file that could not be read is tried again every time (a fix to
        // its permissions changes neither its size nor its mtime).
        let retry: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM files WHERE size = ?1)",
            [RETRY],
            |r| r.get(0),
        )?;
        self.save_last_sync(&LastSync {
            roots: roots_key,
            walk: walk_print,
            seq: if retry { -1 } else { self.seq()? },
            others,
            stories,
            skipped,
            warned,
            ignored,
        })?;
        Ok(SyncReport {
            files,
            reread,
            removed,
            stories,
            skipped,
            warned,
            ignored,
        })
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

/// How [`Store::read_files`] reads: with the boilerplate learned so far,
/// the packer for the text, and this many files a commit.
#[derive(Clone, Copy)]
struct Reading<'a> {
    learned: &'a Boilerplate,
    packer: &'a Packer,
    batch: usize,
}

/// Files a long index commits together. Its inserts land all over the
/// pages of the indexes keyed by hashes (story IDs, headlines), and each
/// commit writes every page it dirtied: at a million stories, a commit of
/// [`BATCH`] files writes most of those indexes' pages for a few rows
/// each. Larger commits write each page for more rows: at 300k stories,
/// 2.9 GB written instead of 6.9 GB (8 times the files: 3.4 GB; 32 times:
/// 2.6 GB, but 100 MB more memory). The stories fill in for a reader in
/// larger steps; its headlines are already there (the quick pass).
const BULK_BATCH: usize = 16 * BATCH;

/// The writing side of [`Store::read_files`]: one transaction a batch.
struct BatchWriter<'c> {
    tx: Option<rusqlite::Transaction<'c>>,
    batch: Touched,
    /// The boilerplate counts' changes wait for several batches: in key
    /// order, a large set of them touches each page of the counts once,
    /// where a batch's would touch most pages for a few rows each.
    pending: HashMap<(i64, i64, i64), i64>,
}

impl<'c> BatchWriter<'c> {
    /// Writes a file's stories in the open batch, begun if none is.
    fn write(
        &mut self,
        conn: &'c rusqlite::Connection,
        entry: &WalkEntry,
        parsed: &Parsed,
    ) -> Result<FileReport> {
        if self.tx.is_none() {
            self.tx = Some(rusqlite::Transaction::new_unchecked(
                conn,
                rusqlite::TransactionBehavior::Immediate,
            )?);
        }
        let tx = self.tx.as_ref().expect("begun above");
        Ok(write::write_file(tx, entry, parsed, &mut self.batch)?)
    }

    /// Settles and commits the open batch; `last` when no more follow.
    fn commit(&mut self, last: bool, touched: &mut Touched) -> Result<()> {
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        for (key, by) in self.batch.take_units() {
            *self.pending.entry(key).or_default() += by;
        }
        if self.pending.len() >= UNITS_PENDING || last {
            learn::count(&tx, &std::mem::take(&mut self.pending))?;
            learn::mark_pending(&tx, false)?;
        } else {
            // Should the sync stop here, the next recounts from the copies.
            learn::mark_pending(&tx, true)?;
        }
        settle(&tx, &mut self.batch)?;
        tx.commit()?;
        touched.absorb(std::mem::take(&mut self.batch));
        Ok(())
    }
}
