//! The related engine as a library keeps it: loaded from the store's blob,
//! folded up to date with what changed since it was saved, rebuilt from the
//! stored term counts (never by re-reading files) when a quarter of the
//! library has changed, and saved back. Queries leave out a story's
//! near-duplicates and stories outside the store's scope, and show a
//! near-duplicate group once, as its representative.

use super::bytes::{HEAD, SavedCounts, TAIL};
use super::{Engine, LSA_DIMS, QueryOptions};
use crate::article::{ArticleId, StorySummary};
use crate::store::{Result, Store};

/// Fold-ins that are saved whatever the engine's size (see
/// [`SimilarIndex::update`]).
const SAVE_AFTER: usize = 1_000;

/// The related engine for one store.
#[derive(Debug, Default)]
pub struct SimilarIndex {
    engine: Option<Engine>,
    /// The engine's count of changes when the store's copy was made (read
    /// or written): the fold-ins since are not saved yet.
    saved_changes: usize,
    /// Keep every TF-IDF row, even where the latent cosine alone ranks
    /// (an evaluation's baseline needs them).
    keep_rows: bool,
}

impl SimilarIndex {
    pub fn new() -> SimilarIndex {
        SimilarIndex::default()
    }

    /// An index whose engines keep every story's TF-IDF row.
    pub fn keeping_rows() -> SimilarIndex {
        SimilarIndex {
            keep_rows: true,
            ..SimilarIndex::default()
        }
    }

    /// Brings the engine up to date with `store`. A missing or stale engine
    /// is rebuilt only when `build` is true; otherwise this folds in recent
    /// changes, which is cheap, and says whether an engine is ready.
    pub fn update(&mut self, store: &Store, build: bool) -> Result<bool> {
        let trace = crate::store::Trace::new();
        let seq = store.seq()?;
        if self.engine.is_none() {
            self.engine = store.read_engine(|r| Engine::from_reader(r))?.flatten();
            self.saved_changes = self.engine.as_ref().map_or(0, |e| e.stats().1);
            trace.mark("load the related engine");
        }
        let mut changed = false;
        let mut rebuilt = false;
        let mut outgrown = false;
        if let Some(engine) = self.engine.as_mut()
            && engine.seq < seq
        {
            let removed = store.removed_since(engine.seq)?;
            // So many changes that the engine is to be built again: no
            // use folding them in (a reader's engine answers a little out
            // of date until the background build is done).
            outgrown = engine.would_be_stale(removed.len() + store.changed_since(engine.seq)?);
            if !outgrown {
                for id in removed {
                    engine.remove(&id);
                }
                let since = Some(engine.seq);
                store.for_each_term_counts(since, &mut |id, counts| engine.upsert(id, counts))?;
                engine.seq = seq;
                changed = true;
            }
        }
        let needs_build = outgrown || self.engine.as_ref().is_none_or(Engine::is_stale);
        if needs_build && build {
            let each = |order, f: &mut crate::terms::DocSink<'_>| {
                store.for_each_story_term_counts(order, f)
            };
            // The build passes over the stories several times: all in one
            // snapshot of the store, whatever another process writes.
            // Its rows go to a scratch file beside the store between passes.
            let scratch = store.path().and_then(std::path::Path::parent);
            let mut engine = store
                .in_snapshot(|| Engine::build_from(&each, LSA_DIMS, self.keep_rows, scratch))?;
            engine.seq = seq;
            self.engine = Some(engine);
            changed = true;
            rebuilt = true;
        }
        if changed && let Some(engine) = &self.engine {
            trace.mark("update the related engine");
            // A few fold-ins are not worth writing the whole engine again
            // (over 100 MB at a million stories): the next to load the
            // saved one folds them in too, 40 ms a thousand at a million.
            let unsaved = engine.stats().1.saturating_sub(self.saved_changes);
            if rebuilt || unsaved * 100 >= engine.len() || unsaved >= SAVE_AFTER {
                store.save_engine(engine.byte_len(), |out| engine.write_to(out), engine.seq)?;
                self.saved_changes = engine.stats().1;
                trace.mark("save the related engine");
            }
        }
        Ok(self.engine.is_some())
    }

    /// The store sequence number the loaded engine has seen, once loaded.
    pub fn seq(&self) -> Option<i64> {
        self.engine.as_ref().map(|e| e.seq)
    }

    /// The engine's (stories at its last full build, changes folded in
    /// since), once it is loaded.
    pub fn stats(&self) -> Option<(usize, usize)> {
        self.engine.as_ref().map(Engine::stats)
    }

    /// Makes sure the store holds an up-to-date engine, building or
    /// updating it if needed, without loading it when it already is. For a
    /// background job: the engine it builds is dropped when it ends.
    pub fn refresh_saved(store: &Store) -> Result<()> {
        if store.engine_blob_seq()? == Some(store.seq()?) {
            return Ok(());
        }
        // A few changes are folded in by whoever next asks for related
        // stories (the reader, on the engine it holds): loading a second
        // copy here to fold them costs a million-story reader hundreds of
        // megabytes at every live reload.
        let saved = store
            .engine_ends(HEAD, TAIL)?
            .and_then(|(head, tail)| SavedCounts::read(&head, &tail));
        if let Some(saved) = saved {
            let more = store.removed_since(saved.seq)?.len() + store.changed_since(saved.seq)?;
            if !saved.would_be_stale(more) {
                return Ok(());
            }
        }
        SimilarIndex::new().update(store, true)?;
        Ok(())
    }

    /// The stories most related to `id` by content, best first, with scores
    /// from 0 to 1, leaving out its near-duplicates and stories outside the
    /// scope. None when there is no engine yet and `build` is false.
    pub fn related(
        &mut self,
        store: &Store,
        id: &ArticleId,
        limit: usize,
        build: bool,
    ) -> Result<Option<Vec<(StorySummary, f32)>>> {
        self.related_with(store, id, limit, build, QueryOptions::default())
    }

    /// [`SimilarIndex::related`] with other query options (an evaluation's
    /// baseline, for one).
    pub fn related_with(
        &mut self,
        store: &Store,
        id: &ArticleId,
        limit: usize,
        build: bool,
        options: QueryOptions,
    ) -> Result<Option<Vec<(StorySummary, f32)>>> {
        if !self.update(store, build)? {
            return Ok(None);
        }
        let trace = crate::store::Trace::new();
        let twins = store.near_duplicates(id)?;
        let engine = self.engine.as_ref().expect("the engine is ready");
        // Ask for more than needed: some may fall outside the scope. The
        // engine leaves out stories below its floor (`options.min_score`).
        // (`usize::MAX` asks for every one.)
        let asked = limit.saturating_mul(3).saturating_add(10);
        trace.mark("related: near-duplicates");
        let found = engine.related(id, asked, &twins, options);
        trace.mark("related: the engine's scan");
        // A group shows once, as its representative, as the list shows it.
        let own_group = store.representative(id)?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(limit.min(found.len()));
        for (other, score) in found {
            if out.len() == limit {
                break;
            }
            let rep = store.representative(&other)?;
            if rep == own_group || !seen.insert(rep.clone()) || !store.in_scope(&other)? {
                continue;
            }
            if let Some(summary) = store.summary(&rep)? {
                out.push((summary, score));
            }
        }
        trace.mark("related stories on demand");
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large engine writes its few fold-ins to the store only once they
    /// are a hundredth of it; until then the next to load it folds them in
    /// again, and answers the same.
    #[test]
    fn a_few_fold_ins_are_saved_only_once_they_are_a_hundredth_of_the_engine() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library");
        std::fs::create_dir_all(&lib).unwrap();
        let topics = [
            "harbour ferry fares",
            "river flood barrier",
            "school exam results",
        ];
        let write = |n: usize| {
            let topic = topics[n % topics.len()];
            let text = format!(
                "Story {n} on the {topic}\n\nThe {topic} story number {n} tells of the {topic} \
                 and what the council said about the {topic} in week {n}.\n"
            );
            std::fs::write(lib.join(format!("s{n:04}.txt")), text).unwrap();
        };
        (0..300).for_each(write);
        let mut store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
        let roots = [lib.clone()];
        store.sync(&roots, |_| {}).unwrap();
        let mut held = SimilarIndex::new();
        assert!(held.update(&store, true).unwrap());
        let len = held.engine.as_ref().unwrap().len();
        assert!(len >= 200, "{len}");
        let saved_at = store.engine_blob_seq().unwrap();
        // One more story: folded in here, not saved.
        write(300);
        store.sync(&roots, |_| {}).unwrap();
        let id = store.all_summaries().unwrap()[0].id.clone();
        let here = held.related(&store, &id, 5, false).unwrap().unwrap();
        assert_eq!(held.seq(), Some(store.seq().unwrap()));
        assert_eq!(store.engine_blob_seq().unwrap(), saved_at);
        // Another reader folds it in from the saved engine, and agrees.
        let mut other = SimilarIndex::new();
        let there = other.related(&store, &id, 5, false).unwrap().unwrap();
        let ids = |found: &[(crate::article::StorySummary, f32)]| {
            found.iter().map(|(s, _)| s.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&here), ids(&there));
        // Enough more to be a hundredth: saved.
        (301..301 + len / 100).for_each(write);
        store.sync(&roots, |_| {}).unwrap();
        held.related(&store, &id, 5, false).unwrap().unwrap();
        assert_eq!(store.engine_blob_seq().unwrap(), Some(store.seq().unwrap()));
    }
}
