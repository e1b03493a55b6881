//! The related engine and near-duplicate groups, as the store keeps them.
//!
//! The engine lives in the `engine` table as one blob. Every sync that
//! changes stories bumps the store's sequence number and stamps the stories
//! it touched; the engine folds in what changed since its own sequence, and
//! is rebuilt from the stored term counts (never by re-reading files) when a
//! quarter of the library has changed.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StorySummary};
use crate::article::ArticleId;
use crate::related::{self, Engine, QueryOptions};

const ENGINE_KEY: &str = "lsa";

impl Store {
    /// Keeps every story's TF-IDF row in engines built from now on, even in
    /// a library large enough for the latent cosine alone: for an
    /// evaluation's TF-IDF baseline.
    pub fn keep_engine_rows(&mut self) {
        self.keep_engine_rows = true;
    }

    /// Every story's term counts, from the stored copies (no file is read).
    fn all_term_counts(&self, since: Option<i64>) -> Result<Vec<related::Doc>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id, e.terms FROM stories s JOIN entries e ON e.id = s.entry WHERE s.seq > ?1 ORDER BY s.id",
        )?;
        let rows = stmt.query_map([since.unwrap_or(i64::MIN)], |r| {
            Ok((
                ArticleId::from_raw(r.get::<_, String>(0)?),
                related::decode_counts(&r.get::<_, String>(1)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn save_engine(&self, engine: &Engine) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO engine (key, data) VALUES (?1, ?2)",
            params![ENGINE_KEY, engine.to_bytes()],
        )?;
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('engine_seq', ?1)",
            [engine.seq],
        )?;
        self.conn
            .execute("DELETE FROM removed WHERE seq <= ?1", [engine.seq])?;
        Ok(())
    }

    /// Brings the related engine up to date with the store. A missing or
    /// stale engine is rebuilt only when `build` is true; otherwise this
    /// folds in recent changes, which is cheap, and says whether an engine
    /// is ready.
    pub fn update_engine(&mut self, build: bool) -> Result<bool> {
        let trace = super::Trace::new();
        let seq = self.seq()?;
        if self.engine.is_none() {
            let blob: Option<Vec<u8>> = self
                .conn
                .query_row(
                    "SELECT data FROM engine WHERE key = ?1",
                    [ENGINE_KEY],
                    |r| r.get(0),
                )
                .optional()?;
            self.engine = blob.and_then(|b| Engine::from_bytes(&b));
            trace.mark("load the related engine");
        }
        let mut changed = false;
        if let Some(since) = self
            .engine
            .as_ref()
            .map(|e| e.seq)
            .filter(|&since| since < seq)
        {
            let removed: Vec<String> = {
                let mut stmt = self.conn.prepare("SELECT id FROM removed WHERE seq > ?1")?;
                stmt.query_map([since], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let updates = self.all_term_counts(Some(since))?;
            let engine = self.engine.as_mut().expect("checked above");
            // Removals first: a story removed and added back since comes back.
            for id in removed {
                engine.remove(&ArticleId::from_raw(id));
            }
            for (id, counts) in updates {
                engine.upsert(&id, &counts);
            }
            engine.seq = seq;
            changed = true;
        }
        let needs_build = self.engine.as_ref().is_none_or(Engine::is_stale);
        if needs_build && build {
            let docs = self.all_term_counts(None)?;
            let mut engine = Engine::build_with(&docs, related::LSA_DIMS, self.keep_engine_rows);
            engine.seq = seq;
            self.engine = Some(engine);
            changed = true;
        }
        if changed && let Some(engine) = &self.engine {
            trace.mark("update the related engine");
            self.save_engine(engine)?;
            trace.mark("save the related engine");
        }
        Ok(self.engine.is_some())
    }

    /// The engine's (stories at its last full build, changes folded in
    /// since), once it is loaded.
    pub fn engine_stats(&self) -> Option<(usize, usize)> {
        self.engine.as_ref().map(Engine::stats)
    }

    /// Makes sure the store holds an up-to-date engine, building or
    /// updating it if needed, without loading it when it already is.
    /// For a background job: the engine it builds is dropped when it ends.
    pub fn refresh_saved_engine(&mut self) -> Result<()> {
        let saved: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'engine_seq'", [], |r| {
                r.get(0)
            })
            .optional()?;
        if saved.and_then(|s| s.parse::<i64>().ok()) == Some(self.seq()?) {
            return Ok(());
        }
        self.update_engine(true)?;
        self.engine = None;
        Ok(())
    }

    /// Drops the engine held in memory, so the next use reads the store's.
    pub fn forget_engine(&mut self) {
        self.engine = None;
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
    fn in_scope(&self, id: &ArticleId) -> Result<bool> {
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

    /// The stories most related to `id` by content, best first, with scores
    /// from 0 to 1, leaving out its near-duplicates and stories outside the
    /// scope. None when there is no engine yet and `build` is false.
    pub fn related(
        &mut self,
        id: &ArticleId,
        limit: usize,
        build: bool,
    ) -> Result<Option<Vec<(StorySummary, f32)>>> {
        self.related_with(id, limit, build, QueryOptions::default())
    }

    /// [`Store::related`] with other query options (an evaluation's
    /// baseline, for one).
    pub fn related_with(
        &mut self,
        id: &ArticleId,
        limit: usize,
        build: bool,
        options: QueryOptions,
    ) -> Result<Option<Vec<(StorySummary, f32)>>> {
        if !self.update_engine(build)? {
            return Ok(None);
        }
        let trace = super::Trace::new();
        let twins = self.near_duplicates(id)?;
        let engine = self.engine.as_ref().expect("the engine is ready");
        // Ask for more than needed: some may fall outside the scope. The
        // engine leaves out stories below its floor (`options.min_score`).
        let found = engine.related(id, limit * 3 + 10, &|other| twins.contains(other), options);
        // A group shows once, as its representative, as the list shows it.
        let own_group = self.representative(id)?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(limit);
        for (other, score) in found {
            if out.len() == limit {
                break;
            }
            let rep = self.representative(&other)?;
            if rep == own_group || !seen.insert(rep.clone()) || !self.in_scope(&other)? {
                continue;
            }
            if let Some(summary) = self.summary(&rep)? {
                out.push((summary, score));
            }
        }
        trace.mark("related stories on demand");
        Ok(Some(out))
    }
}
