//! The passes a sync writes with: reading files on every core, the quick
//! headline pass of a long first index, and settling a batch (folding the
//! copies it touched, refreshing each story from its fullest copy).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use rusqlite::{OptionalExtension, Transaction, params};

use super::codec::{self, Packer};
use super::write::{Touched, mtime_of, path_key};
use super::{Result, fold};
use crate::article::Article;
use crate::loader::{self, WalkEntry};

/// Results the workers may run ahead of `sink`: enough for them to go on
/// while it commits a batch (tens of milliseconds), not so many that they
/// hold much memory.
const AHEAD: usize = 1_024;

/// Runs `work` on every file on all cores and hands each result to `sink`
/// on the calling thread, in completion order.
pub(super) fn in_parallel<T: Send>(
    files: &[WalkEntry],
    work: impl Fn(&WalkEntry) -> T + Sync,
    mut sink: impl FnMut(&WalkEntry, T) -> Result<()>,
) -> Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel(AHEAD);
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

/// From this many new or changed files in a store without a compression
/// dictionary, one is trained before they are read (see [`codec`]).
pub(super) const TRAIN_FROM: usize = 200;
/// Files the dictionary's samples come from at most, spread over the sync.
const TRAIN_FILES: usize = 400;

/// Trains the store's compression dictionary on stories of `files` (a
/// spread of them): their paragraphs and term counts as they will be
/// packed. Returns the packer to write with.
pub(super) fn train_dictionary(conn: &rusqlite::Connection, files: &[WalkEntry]) -> Result<Packer> {
    let step = (files.len() / TRAIN_FILES).max(1);
    let sample: Vec<WalkEntry> = files
        .iter()
        .step_by(step)
        .take(TRAIN_FILES)
        .cloned()
        .collect();
    let mut samples: Vec<Vec<u8>> = Vec::new();
    in_parallel(
        &sample,
        |entry| {
            let mut out = Vec::new();
            if let Ok(loaded) = loader::contain(|| loader::load_file(&entry.path, mtime_of(entry)))
            {
                for a in &loaded.articles {
                    out.push(codec::joined(&a.paragraphs).into_bytes());
                    let body = a.body_text();
                    out.push(
                        crate::terms::encode_counts(&crate::terms::term_counts(&a.title, &body))
                            .into_bytes(),
                    );
                }
            }
            out
        },
        |_, found| {
            if samples.len() < codec::SAMPLES {
                samples.extend(found);
            }
            Ok(())
        },
    )?;
    codec::train(conn, &samples)?;
    Ok(codec::packer(conn)?)
}

/// From this many new or changed files, a quick pass puts the headlines in
/// the store before the full parse.
pub(super) const QUICK_FROM: usize = 2_000;

/// The quick pass: every changed file's headlines, as stories without a
/// copy yet (`entry` 0), under IDs of their own (a story's ID comes from its
/// text, which this pass does not read). When the full parse writes a
/// file, its headlines give way to its stories; any left at the end are
/// removed.
pub(super) fn quick_pass(tx: &Transaction, files: &[WalkEntry]) -> Result<()> {
    /// Rows a multi-row INSERT carries: far fewer statement runs.
    const ROWS: usize = 100;
    let seq = current_seq(tx)?;
    let values = vec!["(?, 0, ?, ?, ?, '[]', ?, ?)"; ROWS].join(", ");
    let mut insert = tx.prepare(&format!(
        "INSERT OR IGNORE INTO stories (id, entry, title, source, published, related, seq, stub) VALUES {values}"
    ))?;
    /// A headline waiting to be written: (stub ID, the story, its file).
    type Stub = (String, Article, String);
    let mut pending: Vec<Stub> = Vec::with_capacity(ROWS);
    let flush = |pending: &mut Vec<Stub>,
                 insert: &mut rusqlite::Statement|
     -> rusqlite::Result<()> {
        if pending.len() == ROWS {
            let times: Vec<Option<i64>> = pending
                .iter()
                .map(|(_, a, _)| a.published.map(|t| t.timestamp()))
                .collect();
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(ROWS * 6);
            for ((id, a, path), time) in pending.iter().zip(&times) {
                params.extend([
                    id as &dyn rusqlite::ToSql,
                    &a.title,
                    &a.source,
                    time,
                    &seq,
                    path,
                ]);
            }
            insert.execute(params.as_slice())?;
        } else {
            for (id, a, path) in pending.iter() {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO stories (id, entry, title, source, published, related, seq, stub)
                     VALUES (?1, 0, ?2, ?3, ?4, '[]', ?5, ?6)",
                )?
                .execute(params![id, a.title, a.source, a.published.map(|t| t.timestamp()), seq, path])?;
            }
        }
        pending.clear();
        Ok(())
    };
    in_parallel(
        files,
        |entry| loader::quick_headlines(&entry.path, mtime_of(entry)),
        |entry, found| {
            let path = path_key(&entry.path);
            for (ord, a) in found.unwrap_or_default().into_iter().enumerate() {
                let id = crate::article::ArticleId::for_guid(&format!("stub\u{0}{path}\u{0}{ord}"));
                pending.push((id.as_str().to_owned(), a, path.clone()));
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

/// Makes `stories` match the copies of `id`: the fullest copy wins, a
/// page's own copy before a listing of it.
pub(super) fn refresh_story(tx: &Transaction, id: &str, seq: i64) -> rusqlite::Result<()> {
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
        let indexed: Option<(i64, Option<i64>, Option<String>)> = tx
            .prepare_cached("SELECT rowid, fts_entry, grp FROM stories WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((rowid, Some(_), _)) = indexed {
            tx.prepare_cached("DELETE FROM stories_fts WHERE rowid = ?1")?
                .execute([rowid])?;
        }
        if let Some((_, _, Some(grp))) = indexed {
            // Its group may fall apart without it: the others are grouped again.
            tx.prepare_cached("UPDATE stories SET seq = ?2 WHERE grp = ?1 AND id != ?3")?
                .execute(params![grp, seq, id])?;
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

/// Files parsed and committed together.
pub(super) const BATCH: usize = 2_000;

/// The sequence number of the sync under way (0 before the first).
pub(super) fn current_seq(tx: &Transaction) -> rusqlite::Result<i64> {
    Ok(tx
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Folds the copies a batch touched and refreshes every story that changed.
pub(super) fn settle(tx: &Transaction, touched: &mut Touched) -> rusqlite::Result<()> {
    fold::fold_titles(
        tx,
        &std::mem::take(&mut touched.titles),
        &mut touched.stories,
    )?;
    let mut ids: Vec<String> = std::mem::take(&mut touched.stories).into_iter().collect();
    ids.sort();
    let seq = current_seq(tx)?;
    for id in &ids {
        refresh_story(tx, id, seq)?;
    }
    Ok(())
}
