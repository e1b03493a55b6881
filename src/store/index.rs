//! Incremental indexing: walk the library, re-read only files whose size or
//! mtime changed, and keep each story's fullest copy current.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, Trace};
use crate::article::{Article, Format, Role};
use crate::loader::{self, Loaded, SkipReason, WalkEntry};
use crate::related::{self, minhash};

/// How a file fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Ok,
    Warn,
    Skipped,
}

impl FileStatus {
    fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Warn => "warn",
            FileStatus::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> FileStatus {
        match s {
            "ok" => FileStatus::Ok,
            "warn" => FileStatus::Warn,
            _ => FileStatus::Skipped,
        }
    }
}

/// One file of the library after a sync.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub format: Option<Format>,
    pub stories: usize,
    pub status: FileStatus,
    /// Warnings, or the reason for a skip.
    pub messages: Vec<String>,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Every file of the library, sorted by path, and every path skipped by
    /// the walk. Empty after a sync with [`Detail::Counts`] that found
    /// nothing changed.
    pub files: Vec<FileReport>,
    /// Files read and parsed this time (new or changed).
    pub reread: usize,
    /// Files that left the library since the last sync.
    pub removed: usize,
    /// Distinct stories in the library.
    pub stories: usize,
    skipped: usize,
    warned: usize,
}

impl SyncReport {
    /// Files skipped (by the walk or the loader).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Files loaded with warnings.
    pub fn warned(&self) -> usize {
        self.warned
    }
}

/// How much a sync must report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// A report for every file (`byline check`, the load report).
    Files,
    /// Only the counts. When the walk finds the library exactly as the last
    /// sync of the same folders left it, and nothing else changed the
    /// store since, the comparison file by file is skipped.
    Counts,
}

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
}

const LAST_SYNC: &str = "last_sync";

/// A fingerprint of what a walk found: every file's path, size and mtime,
/// and every skip. Independent of the walk's order.
fn fingerprint(walked: &[WalkEntry], skips: &[loader::WalkSkip]) -> String {
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

/// Progress of a sync, for a gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

struct Known {
    /// Whether this walk found the file.
    seen: bool,
    id: i64,
    size: i64,
    mtime_ns: i64,
    format: Option<String>,
    status: String,
    message: Option<String>,
    stories: i64,
}

/// A hash map with a fast hash: the keys are our own paths, not an attacker's.
type FastMap<K, V> = HashMap<K, V, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

/// A file's size is recorded as this when it failed to be read, so that it
/// is tried again next time (a permission fix does not change the mtime).
const RETRY: i64 = -1;

fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn under_roots(path: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| Path::new(path).starts_with(r))
}

fn to_unix(time: Option<DateTime<Utc>>) -> Option<i64> {
    time.map(|t| t.timestamp())
}

fn mtime_of(entry: &WalkEntry) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(entry.mtime_ns)
}

/// What the related engine and the near-duplicate finder need of a story,
/// computed in the parsing threads.
struct Extras {
    /// Term counts, encoded by [`related::encode_counts`].
    terms: String,
    /// MinHash signature bytes, when the text is long enough.
    sig: Option<Vec<u8>>,
}

impl Extras {
    fn of(article: &Article) -> Extras {
        let body = article.body_text();
        let terms = related::encode_counts(&related::term_counts(&article.title, &body));
        let sig = minhash::signature(&format!("{}\n{body}", article.title))
            .map(|s| minhash::to_bytes(&s));
        Extras { terms, sig }
    }
}

/// A parsed file with its stories' extras, or why it was skipped.
type Parsed = std::result::Result<(Loaded, Vec<Extras>), SkipReason>;

/// Runs `work` on every file on all cores and hands each result to `sink`
/// on the calling thread, in completion order.
fn in_parallel<T: Send>(
    files: &[WalkEntry],
    work: impl Fn(&WalkEntry) -> T + Sync,
    mut sink: impl FnMut(&WalkEntry, T) -> Result<()>,
) -> Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel(256);
        for _ in 0..workers {
            let (tx, next, work) = (tx.clone(), &next, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(entry) = files.get(i) else { break };
                    if tx.send((i, work(entry))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            if let Err(e) = sink(&files[i], result) {
                // Stop the workers; the scope joins them.
                next.store(files.len(), Ordering::Relaxed);
                return Err(e);
            }
        }
        Ok(())
    })
}

/// Reads and parses one file, with its stories' extras.
fn parse(entry: &WalkEntry) -> Parsed {
    loader::load_file(&entry.path, mtime_of(entry)).map(|loaded| {
        let extras = loaded.articles.iter().map(Extras::of).collect();
        (loaded, extras)
    })
}

/// From this many new or changed files, a quick pass puts the headlines in
/// the store before the full parse.
pub(super) const QUICK_FROM: usize = 2_000;

/// The quick pass: every changed file's headlines, as stories without a
/// copy yet (`entry` 0). The full parse fills them in; any left at the end
/// are removed.
fn quick_pass(tx: &Transaction, files: &[WalkEntry]) -> Result<()> {
    /// Rows a multi-row INSERT carries: far fewer statement runs.
    const ROWS: usize = 100;
    let seq = current_seq(tx)?;
    let values = vec!["(?, 0, ?, ?, ?, '[]', ?)"; ROWS].join(", ");
    let mut insert = tx.prepare(&format!(
        "INSERT OR IGNORE INTO stories (id, entry, title, source, published, related, seq) VALUES {values}"
    ))?;
    let mut pending: Vec<Article> = Vec::with_capacity(ROWS);
    let flush = |pending: &mut Vec<Article>,
                 insert: &mut rusqlite::Statement|
     -> rusqlite::Result<()> {
        if pending.len() == ROWS {
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(ROWS * 5);
            let times: Vec<Option<i64>> = pending.iter().map(|a| to_unix(a.published)).collect();
            let ids: Vec<&str> = pending.iter().map(|a| a.id.as_str()).collect();
            for ((a, time), id) in pending.iter().zip(&times).zip(&ids) {
                params.extend([id as &dyn rusqlite::ToSql, &a.title, &a.source, time, &seq]);
            }
            insert.execute(params.as_slice())?;
        } else {
            for a in pending.iter() {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO stories (id, entry, title, source, published, related, seq)
                     VALUES (?1, 0, ?2, ?3, ?4, '[]', ?5)",
                )?
                .execute(params![a.id.as_str(), a.title, a.source, to_unix(a.published), seq])?;
            }
        }
        pending.clear();
        Ok(())
    };
    in_parallel(
        files,
        |entry| loader::quick_headlines(&entry.path, mtime_of(entry)),
        |_, found| {
            for a in found.unwrap_or_default() {
                pending.push(a);
                if pending.len() == ROWS {
                    flush(&mut pending, &mut insert)?;
                }
            }
            Ok(())
        },
    )?;
    flush(&mut pending, &mut insert)?;
    Ok(())
}

fn insert_entry(
    tx: &Transaction,
    file_id: i64,
    ord: usize,
    a: &Article,
    extras: &Extras,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO entries (story_id, file_id, ord, role, title, source, published, url, author,
                              tags, standfirst, caption, credit, paragraphs, related, text_len, terms, sig)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        a.id.as_str(),
        file_id,
        ord as i64,
        if a.role == Role::Main {
            "main"
        } else {
            "listed"
        },
        a.title,
        a.source,
        to_unix(a.published),
        a.url,
        a.author,
        json(&a.tags),
        a.standfirst,
        a.caption,
        a.credit,
        json(&a.paragraphs),
        json(&a.related_on_page),
        a.text_len() as i64,
        extras.terms,
        extras.sig,
    ])?;
    Ok(())
}

/// A list the store keeps as JSON text.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

/// Removes a file's entries, remembering which stories they belonged to.
fn clear_file(
    tx: &Transaction,
    file_id: i64,
    affected: &mut HashSet<String>,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached("SELECT DISTINCT story_id FROM entries WHERE file_id = ?1")?;
    for id in stmt.query_map([file_id], |r| r.get::<_, String>(0))? {
        affected.insert(id?);
    }
    tx.prepare_cached("DELETE FROM entries WHERE file_id = ?1")?
        .execute([file_id])?;
    Ok(())
}

/// Makes `stories` (and the full-text index) match the entries of `id`:
/// the fullest copy wins, a page's own copy before a listing of it.
fn refresh_story(tx: &Transaction, id: &str, seq: i64) -> rusqlite::Result<()> {
    let best = tx
        .prepare_cached(
            "SELECT id, title, source, published FROM entries
             WHERE story_id = ?1 ORDER BY role = 'main' DESC, text_len DESC, id LIMIT 1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })
        .optional()?;
    let Some((entry, title, source, published)) = best else {
        let indexed: Option<(i64, Option<i64>)> = tx
            .prepare_cached("SELECT rowid, fts_entry FROM stories WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((rowid, Some(_))) = indexed {
            tx.prepare_cached("DELETE FROM stories_fts WHERE rowid = ?1")?
                .execute([rowid])?;
        }
        tx.prepare_cached("INSERT OR REPLACE INTO removed (id, seq) VALUES (?1, ?2)")?
            .execute(params![id, seq])?;
        tx.prepare_cached("DELETE FROM stories WHERE id = ?1")?
            .execute([id])?;
        return Ok(());
    };
    let related: String = tx
        .prepare_cached(
            "SELECT related FROM entries WHERE story_id = ?1 AND role = 'main' AND related != '[]'
             ORDER BY text_len DESC, id LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "[]".to_owned());
    tx.prepare_cached(
        "INSERT INTO stories (id, entry, title, source, published, related, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(id) DO UPDATE SET entry = ?2, title = ?3, source = ?4, published = ?5, related = ?6,
             seq = excluded.seq",
    )?
    .execute(params![id, entry, title, source, published, related, seq])?;
    Ok(())
}

/// Stories whose full-text row is written in one transaction.
const FTS_BATCH: usize = 5_000;

/// Brings the full-text index up to date: every story whose indexed copy
/// is not its current best copy is indexed again. Runs after the headlines
/// are in, and picks up where an interrupted run stopped.
fn catch_up_full_text(conn: &mut rusqlite::Connection) -> rusqlite::Result<usize> {
    /// A story whose full-text row is out of date.
    struct Stale {
        rowid: i64,
        indexed: bool,
        title: String,
        standfirst: Option<String>,
        paragraphs: String,
    }
    let mut done = 0;
    let mut after = i64::MIN;
    loop {
        // A batch at a time, so a large first index never holds every text in memory.
        let tx = conn.transaction()?;
        let batch: Vec<Stale> = {
            let mut stmt = tx.prepare_cached(
                "SELECT s.rowid, s.fts_entry IS NOT NULL, s.title, e.standfirst, e.paragraphs
                 FROM stories s JOIN entries e ON e.id = s.entry
                 WHERE s.fts_entry IS NOT s.entry AND s.rowid > ?1 ORDER BY s.rowid LIMIT ?2",
            )?;
            stmt.query_map(params![after, FTS_BATCH as i64], |r| {
                Ok(Stale {
                    rowid: r.get(0)?,
                    indexed: r.get(1)?,
                    title: r.get(2)?,
                    standfirst: r.get(3)?,
                    paragraphs: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let Some(last) = batch.last() else { break };
        after = last.rowid;
        for story in &batch {
            if story.indexed {
                tx.prepare_cached("DELETE FROM stories_fts WHERE rowid = ?1")?
                    .execute([story.rowid])?;
            }
            let mut body = story.standfirst.clone().unwrap_or_default();
            for p in serde_json::from_str::<Vec<String>>(&story.paragraphs).unwrap_or_default() {
                body.push('\n');
                body.push_str(&p);
            }
            tx.prepare_cached("INSERT INTO stories_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
                .execute(params![story.rowid, story.title, body])?;
            tx.prepare_cached("UPDATE stories SET fts_entry = entry WHERE rowid = ?1")?
                .execute([story.rowid])?;
        }
        tx.commit()?;
        done += batch.len();
    }
    Ok(done)
}

/// Files parsed and committed together.
const BATCH: usize = 2_000;

/// Records one parsed (or skipped) file and its stories.
fn write_file(
    tx: &Transaction,
    entry: &WalkEntry,
    parsed: &Parsed,
    affected: &mut HashSet<String>,
) -> Result<FileReport> {
    let loaded = parsed.as_ref().map(|(l, _)| l);
    let report = report_from_loaded(&entry.path, loaded);
    let (size, status) = match loaded {
        Err(SkipReason::Io(_)) => (RETRY, FileStatus::Skipped),
        _ => (entry.size as i64, report.status),
    };
    let file_id: i64 = tx
        .prepare_cached(
            "INSERT INTO files (path, size, mtime_ns, format, status, message, stories)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(path) DO UPDATE SET size = ?2, mtime_ns = ?3, format = ?4,
                 status = ?5, message = ?6, stories = ?7
             RETURNING id",
        )?
        .query_row(
            params![
                path_key(&entry.path),
                size,
                entry.mtime_ns,
                report.format.map(Format::as_str),
                status.as_str(),
                (!report.messages.is_empty()).then(|| report.messages.join("\n")),
                report.stories as i64,
            ],
            |r| r.get(0),
        )?;
    clear_file(tx, file_id, affected)?;
    if let Ok((loaded, extras)) = parsed {
        for (ord, (article, extras)) in loaded.articles.iter().zip(extras).enumerate() {
            insert_entry(tx, file_id, ord, article, extras)?;
            affected.insert(article.id.as_str().to_owned());
        }
    }
    Ok(report)
}

/// The sequence number of the sync under way (0 before the first).
fn current_seq(tx: &Transaction) -> rusqlite::Result<i64> {
    Ok(tx
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Refreshes every story in `ids`, in a stable order.
fn refresh_stories(tx: &Transaction, ids: HashSet<String>) -> rusqlite::Result<()> {
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort();
    let seq = current_seq(tx)?;
    for id in &ids {
        refresh_story(tx, id, seq)?;
    }
    Ok(())
}

fn report_from_loaded(
    path: &Path,
    loaded: std::result::Result<&Loaded, &SkipReason>,
) -> FileReport {
    match loaded {
        Ok(l) => FileReport {
            path: path.to_path_buf(),
            format: Some(l.format),
            stories: l.articles.len(),
            status: if l.warnings.is_empty() {
                FileStatus::Ok
            } else {
                FileStatus::Warn
            },
            messages: l.warnings.clone(),
        },
        Err(reason) => FileReport {
            path: path.to_path_buf(),
            format: None,
            stories: 0,
            status: FileStatus::Skipped,
            messages: vec![reason.to_string()],
        },
    }
}

/// What a walk of the library found, for [`Store::sync_walked`].
pub struct Walk {
    roots: Vec<PathBuf>,
    root_keys: Vec<String>,
    walked: Vec<WalkEntry>,
    skips: Vec<loader::WalkSkip>,
}

impl Walk {
    /// Walks `roots` (which need not be canonical).
    pub fn of(roots: &[PathBuf]) -> Walk {
        let roots = canonical_roots(roots);
        let (walked, skips) = loader::walk(&roots);
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
        let walk = Walk::of(roots);
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
        let Walk {
            roots,
            root_keys,
            walked,
            skips: walk_skips,
        } = walk;
        let trace = Trace::new();
        self.forget_other_loader()?;
        let roots_key = root_keys.join("\n");
        let walk_print = fingerprint(&walked, &walk_skips);
        let last = self.last_sync()?;
        if detail == Detail::Counts
            && let Some(last) = last.filter(|l| l.roots == roots_key && l.walk == walk_print)
            && last.seq == self.seq()?
        {
            trace.mark("unchanged since the last sync");
            self.set_scope(last.others, &roots)?;
            return Ok(SyncReport {
                files: Vec::new(),
                reread: 0,
                removed: 0,
                stories: last.stories,
                skipped: last.skipped,
                warned: last.warned,
            });
        }

        let mut known: FastMap<String, Known> = FastMap::default();
        {
            let mut stmt = self.conn.prepare(
                "SELECT id, path, size, mtime_ns, format, status, message, stories FROM files",
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
                        status: r.get(5)?,
                        message: r.get(6)?,
                        stories: r.get(7)?,
                    },
                ))
            })?;
            for row in rows {
                let (path, k) = row?;
                known.insert(path, k);
            }
        }

        let mut reports: FastMap<String, FileReport> = FastMap::default();
        let mut changed = Vec::new();
        for entry in &walked {
            let key = path_key(&entry.path);
            let found = known.get_mut(&key);
            if let Some(k) = found {
                k.seen = true;
            }
            match known.get(&key) {
                Some(k) if k.size == entry.size as i64 && k.mtime_ns == entry.mtime_ns => {
                    reports.insert(
                        key,
                        FileReport {
                            path: entry.path.clone(),
                            format: k.format.as_deref().and_then(Format::parse),
                            stories: k.stories as usize,
                            status: FileStatus::parse(&k.status),
                            messages: k
                                .message
                                .iter()
                                .flat_map(|m| m.lines())
                                .map(str::to_owned)
                                .collect(),
                        },
                    );
                }
                _ => changed.push(entry.clone()),
            }
        }
        // Known files this walk did not find: gone, if under these paths;
        // otherwise another library's, and queries must be limited to this one.
        let mut removed: Vec<(String, i64)> = Vec::new();
        let mut others = false;
        for (path, k) in known.iter().filter(|(_, k)| !k.seen) {
            if under_roots(path, &root_keys) {
                removed.push((path.clone(), k.id));
            } else {
                others = true;
            }
        }

        trace.mark("compare with the store");
        let total = changed.len();
        progress(Progress { done: 0, total });
        if total + removed.len() > 0 {
            self.bump_seq()?;
        }
        if !removed.is_empty() {
            let tx = self.conn.transaction()?;
            let mut affected = HashSet::new();
            for (_, file_id) in &removed {
                clear_file(&tx, *file_id, &mut affected)?;
                tx.prepare_cached("DELETE FROM files WHERE id = ?1")?
                    .execute([file_id])?;
            }
            refresh_stories(&tx, affected)?;
            tx.commit()?;
        }
        if total >= QUICK_FROM {
            let tx = self.conn.transaction()?;
            quick_pass(&tx, &changed)?;
            tx.commit()?;
            trace.mark("quick headlines");
            // The headlines are in: a reader may show the list now.
            progress(Progress { done: 0, total });
        }
        // Batches commit as they go, so a reader of the store sees the
        // stories fill in during a long first index.
        let mut done = 0;
        for batch in changed.chunks(BATCH) {
            let tx = self.conn.transaction()?;
            let mut affected = HashSet::new();
            in_parallel(batch, parse, |entry, parsed| {
                let report = write_file(&tx, entry, &parsed, &mut affected)?;
                reports.insert(path_key(&entry.path), report);
                Ok(())
            })?;
            refresh_stories(&tx, affected)?;
            tx.commit()?;
            done += batch.len();
            progress(Progress { done, total });
        }

        if total + removed.len() > 0 {
            trace.mark("parse and write stories");
            // Headlines the full parse did not confirm (their file failed).
            self.conn
                .execute("DELETE FROM stories WHERE entry = 0", [])?;
            catch_up_full_text(&mut self.conn)?;
            trace.mark("full-text index");
            self.regroup()?;
            trace.mark("near-duplicate groups");
            // Again at the end, so that nothing derived from the store while
            // this sync was under way passes for derived from its result.
            self.bump_seq()?;
        }
        self.set_scope(others, &roots)?;
        let mut files: Vec<FileReport> = reports.into_values().collect();
        files.extend(walk_skips.into_iter().map(|s| FileReport {
            path: s.path,
            format: None,
            stories: 0,
            status: FileStatus::Skipped,
            messages: vec![s.reason.to_string()],
        }));
        files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
        trace.mark("reports");
        let stories = self.count_stories()?;
        trace.mark("count");
        let count = |status| files.iter().filter(|f| f.status == status).count();
        let (skipped, warned) = (count(FileStatus::Skipped), count(FileStatus::Warn));
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
        })?;
        Ok(SyncReport {
            files,
            reread: total,
            removed: removed.len(),
            stories,
            skipped,
            warned,
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
    pub(super) fn seq(&self) -> Result<i64> {
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
            let tx = self.conn.transaction()?;
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

    /// Finds the near-duplicate groups across the whole store again and
    /// records each story's group (its representative: the newest member).
    fn regroup(&mut self) -> Result<()> {
        let mut ids = Vec::new();
        let mut published = Vec::new();
        let mut sigs = Vec::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT s.id, s.published, e.sig FROM stories s JOIN entries e ON e.id = s.entry
                 WHERE e.sig IS NOT NULL ORDER BY s.id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })?;
            for row in rows {
                let (id, time, bytes) = row?;
                if let Some(sig) = minhash::from_bytes(&bytes) {
                    ids.push(id);
                    published.push(time);
                    sigs.push(sig);
                }
            }
        }
        let mut group_of: HashMap<&str, &str> = HashMap::new();
        for group in minhash::groups(&sigs) {
            // The newest member stands for the group; the smallest ID breaks ties.
            let rep = *group
                .iter()
                .max_by(|&&a, &&b| published[a].cmp(&published[b]).then(ids[b].cmp(&ids[a])))
                .expect("groups are not empty");
            for &m in &group {
                group_of.insert(&ids[m], &ids[rep]);
            }
        }
        let tx = self.conn.transaction()?;
        let current: Vec<(String, Option<String>)> = {
            let mut stmt = tx.prepare("SELECT id, grp FROM stories WHERE grp IS NOT NULL")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        {
            let mut set = tx.prepare("UPDATE stories SET grp = ?2 WHERE id = ?1")?;
            for (id, grp) in &current {
                if group_of.get(id.as_str()).copied() != grp.as_deref() {
                    set.execute(params![id, group_of.get(id.as_str())])?;
                }
            }
            let had: HashSet<&str> = current.iter().map(|(id, _)| id.as_str()).collect();
            for (id, grp) in &group_of {
                if !had.contains(id) {
                    set.execute(params![id, grp])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}
