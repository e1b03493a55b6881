//! What the related-stories engine keeps in the store: every story's term
//! counts (written by the sync), the stories removed since a point, and the
//! engine itself as one blob with the sequence number it has seen. The
//! engine is built and queried by [`crate::related::SimilarIndex`].

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::article::ArticleId;

const ENGINE_KEY: &str = "lsa";

/// The order a pass over a library's stories hands them out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassOrder {
    /// By story ID: the same order in any store of the same stories.
    ById,
    /// Whatever order is cheapest (for a pass whose result does not
    /// depend on it, such as counting terms).
    Any,
}

/// Every story changed since a sequence number (every story, from the
/// smallest), with its term counts, by ID.
const BY_ID: &str = "SELECT s.id, e.terms FROM stories s JOIN entries e ON e.id = s.entry
     WHERE s.seq > ?1 ORDER BY s.id";

/// [`BY_ID`] in table order: CROSS JOIN keeps the stories outermost, and
/// each story's copy is near the one before.
const IN_TABLE_ORDER: &str =
    "SELECT s.id, e.terms FROM stories s CROSS JOIN entries e ON e.id = s.entry
     WHERE s.seq > ?1";

/// The stories changed since a sequence number, with their term counts,
/// by ID: found by `stories_seq` and sorted (the `+` keeps the planner
/// from walking every story in ID order to find them: 240 ms at a million).
const CHANGED_BY_ID: &str = "SELECT s.id, e.terms FROM stories s JOIN entries e ON e.id = s.entry
     WHERE s.seq > ?1 ORDER BY +s.id";

/// The page cache a scan of every story's terms, or the engine's save,
/// runs with (KiB, negative).
const SCAN_CACHE: i64 = -2048;

impl Store {
    /// Calls `f` with the ID and term counts of every story changed after
    /// sync `since` (of every story, for None), one at a time in ID order,
    /// so that no list of them all is held.
    pub fn for_each_term_counts(
        &self,
        since: Option<i64>,
        f: &mut crate::terms::DocSink<'_>,
    ) -> Result<()> {
        // A scan reads each page once: a few MB of page cache serve it as
        // well as the whole, and the engine it feeds needs the memory.
        self.with_small_cache(|| match since {
            Some(since) => self.scan_term_counts(CHANGED_BY_ID, since, f),
            None => self.scan_term_counts(BY_ID, i64::MIN, f),
        })
    }

    /// Calls `f` with the ID and term counts of every story, in `order`.
    /// In table order a pass reads the store's pages nearly in sequence;
    /// by ID it reads them all over the file, which at a million stories
    /// costs several times as long.
    pub fn for_each_story_term_counts(
        &self,
        order: PassOrder,
        f: &mut crate::terms::DocSink<'_>,
    ) -> Result<()> {
        let sql = match order {
            PassOrder::ById => BY_ID,
            PassOrder::Any => IN_TABLE_ORDER,
        };
        self.with_small_cache(|| self.scan_term_counts(sql, i64::MIN, f))
    }

    /// How many stories changed after sync `since`.
    pub fn changed_since(&self, since: i64) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM stories WHERE seq > ?1",
            [since],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Runs `step` in one read transaction: every query in it sees the
    /// store as it was when the first ran.
    pub fn in_snapshot<T>(&self, step: impl FnOnce() -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let done = step();
        self.conn.execute_batch("COMMIT")?;
        done
    }

    /// Runs `step` with a page cache of [`SCAN_CACHE`], for a step that
    /// passes over many pages once (reading them all, or writing a blob).
    fn with_small_cache<T>(&self, step: impl FnOnce() -> Result<T>) -> Result<T> {
        let cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", SCAN_CACHE)?;
        let done = step();
        self.conn.pragma_update(None, "cache_size", cache)?;
        done
    }

    /// Calls `f` with the ID and term counts of each story `sql` (one of
    /// the queries above) finds changed after `since`.
    fn scan_term_counts(
        &self,
        sql: &str,
        since: i64,
        f: &mut crate::terms::DocSink<'_>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([since])?;
        while let Some(row) = rows.next()? {
            let mut counts = Vec::new();
            let id = ArticleId::from_raw(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?);
            let terms = self.unpacker.unpack(
                &self.conn,
                row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?,
            )?;
            crate::terms::decode_counts_into(&terms, &mut counts);
            f(&id, &counts);
        }
        Ok(())
    }

    /// The stories removed after sync `since`.
    pub fn removed_since(&self, since: i64) -> Result<Vec<ArticleId>> {
        let mut stmt = self.conn.prepare("SELECT id FROM removed WHERE seq > ?1")?;
        let ids = stmt.query_map([since], |r| r.get::<_, String>(0))?;
        Ok(ids
            .map(|r| r.map(ArticleId::from_raw))
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The saved engine's blob, open for reading, if there is one.
    fn saved_engine(&self) -> Result<Option<rusqlite::blob::Blob<'_>>> {
        let rowid: Option<i64> = self
            .conn
            .query_row(
                "SELECT rowid FROM engine WHERE key = ?1",
                [ENGINE_KEY],
                |r| r.get(0),
            )
            .optional()?;
        let Some(rowid) = rowid else {
            return Ok(None);
        };
        let blob = self
            .conn
            .blob_open(rusqlite::MAIN_DB, "engine", "data", rowid, true)?;
        Ok(Some(blob))
    }

    /// Reads the saved engine, if there is one, with `read`, a page at a
    /// time: the blob (over 100 MB at a million stories) is never held
    /// whole, by SQLite or here.
    pub fn read_engine<T>(
        &self,
        read: impl FnOnce(&mut dyn std::io::Read) -> T,
    ) -> Result<Option<T>> {
        let Some(blob) = self.saved_engine()? else {
            return Ok(None);
        };
        Ok(Some(read(&mut std::io::BufReader::with_capacity(
            1 << 16,
            blob,
        ))))
    }

    /// The first `head` and last `tail` bytes of the saved engine, read
    /// without the rest; None when there is none (or it is shorter).
    pub fn engine_ends(&self, head: usize, tail: usize) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        use std::io::{Read, Seek, SeekFrom};
        let Some(mut blob) = self.saved_engine()? else {
            return Ok(None);
        };
        if blob.len() < head + tail {
            return Ok(None);
        }
        let (mut first, mut last) = (vec![0; head], vec![0; tail]);
        let read = blob.read_exact(&mut first).and_then(|()| {
            blob.seek(SeekFrom::End(-(tail as i64)))?;
            blob.read_exact(&mut last)
        });
        Ok(read.ok().map(|()| (first, last)))
    }

    /// The sequence number the saved engine has seen.
    pub fn engine_blob_seq(&self) -> Result<Option<i64>> {
        let saved: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'engine_seq'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(saved.and_then(|s| s.parse().ok()))
    }

    /// Saves the engine, which has seen the store up to sync `seq`: `len`
    /// bytes, which `write` writes a value at a time into the blob.
    pub fn save_engine(
        &self,
        len: usize,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
        seq: i64,
    ) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        self.with_small_cache(|| {
            tx.execute(
                "INSERT OR REPLACE INTO engine (key, data) VALUES (?1, zeroblob(?2))",
                params![ENGINE_KEY, len as i64],
            )?;
            let rowid = tx.last_insert_rowid();
            let blob = tx.blob_open(rusqlite::MAIN_DB, "engine", "data", rowid, false)?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, blob);
            write(&mut out)
                .and_then(|()| std::io::Write::flush(&mut out))
                .map_err(StoreError::EngineWrite)?;
            Ok(())
        })?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('engine_seq', ?1)",
            [seq],
        )?;
        tx.execute("DELETE FROM removed WHERE seq <= ?1", [seq])?;
        tx.commit()?;
        Ok(())
    }

    /// Saves engine bytes as they are (a test's damaged engine).
    #[cfg(test)]
    pub fn save_engine_bytes(&self, bytes: &[u8], seq: i64) -> Result<()> {
        self.save_engine(bytes.len(), |w| w.write_all(bytes), seq)
    }

    /// The other stories in `id`'s near-duplicate group (none when it is alone).
    pub fn near_duplicates(&self, id: &ArticleId) -> Result<Vec<ArticleId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id FROM stories s JOIN stories m ON m.grp = s.grp
             WHERE s.id = ?1 AND s.grp IS NOT NULL AND m.id != ?1 ORDER BY m.id",
        )?;
        let ids = stmt.query_map([id.as_str()], |r| r.get::<_, String>(0))?;
        Ok(ids
            .map(|r| r.map(ArticleId::from_raw))
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The sources of `id`'s near-duplicates, one for each.
    pub fn copy_sources(&self, id: &ArticleId) -> Result<Vec<Option<String>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.source FROM stories s JOIN stories m ON m.grp = s.grp
             WHERE s.id = ?1 AND s.grp IS NOT NULL AND m.id != ?1 ORDER BY m.id",
        )?;
        let sources = stmt.query_map([id.as_str()], |r| r.get::<_, Option<String>>(0))?;
        Ok(sources.collect::<rusqlite::Result<_>>()?)
    }

    /// The story that stands for `id`'s near-duplicate group (`id` itself
    /// when it is alone).
    pub fn representative(&self, id: &ArticleId) -> Result<ArticleId> {
        let grp: Option<String> = self
            .conn
            .prepare_cached("SELECT grp FROM stories WHERE id = ?1")?
            .query_row([id.as_str()], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(grp.map_or_else(|| id.clone(), ArticleId::from_raw))
    }

    /// Is the story in the current scope?
    pub fn in_scope(&self, id: &ArticleId) -> Result<bool> {
        if !self.scoped {
            return Ok(true);
        }
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM temp.scope_out WHERE id = ?1")?
            .query_row([id.as_str()], |_| Ok(()))
            .optional()?
            .is_none())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_changed_stories_are_found_by_their_sequence_number() {
        let store = super::Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::CHANGED_BY_ID))
            .unwrap()
            .query_map([0], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().any(|step| step.contains("stories_seq (seq>?)")),
            "{plan:?}"
        );
    }
}
