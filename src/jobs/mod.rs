//! The jobs behind the reader's [`Effect`]s: reading the store, saving
//! marks, ranking, syncing, building the related engine, exporting. Each
//! is a plain function of its inputs that answers with [`Action`]s, so
//! the interface runs them on worker threads (`crate::tui`) and tests run
//! the very same code one after another ([`Runner`]).
//!
//! The [`Library`] owns the store connection the reader reads through,
//! the related engine and the marks; it takes effects in batches, in
//! order, writes the marks of a batch once, and answers only the newest
//! of the full-text searches that waited together.

mod matcher;
mod runner;
mod worker;

use std::path::{Path, PathBuf};

pub use matcher::Matcher;
pub use runner::{Driven, Driver, Runner};
pub use worker::LibraryWorker;

use crate::article::ArticleId;
use crate::effect::{Effect, Then};
use crate::input::{Action, SidebarAnswer};
use crate::related::SimilarIndex;
use crate::render::Copies;

use crate::state::Marks;
use crate::store::{Store, StoreError, StorySummary};

/// How many stories the sidebar offers as related by content.
pub const SIMILAR_LIMIT: usize = 8;
/// Full-text hits the finder shows.
pub const FULL_TEXT_LIMIT: usize = crate::effect::FULL_TEXT_SHOWN;

impl Effect {
    /// Whether the library worker carries it out (in order, on its
    /// connection), rather than a thread of its own or the terminal.
    pub fn is_for_library(&self) -> bool {
        matches!(
            self,
            Effect::LoadList { .. }
                | Effect::LoadStory { .. }
                | Effect::LoadSidebar { .. }
                | Effect::SearchText { .. }
                | Effect::SaveMarks { .. }
                | Effect::AdoptMarks { .. }
                | Effect::Remember { .. }
                | Effect::RefreshMarks { .. }
                | Effect::LoadFolders
        )
    }
}

/// The store, the related engine and the marks, as the reader's worker
/// holds them.
pub struct Library {
    store: Store,
    similar: SimilarIndex,
    marks: Marks,
    roots: Vec<PathBuf>,
    /// Where marks go that cannot be saved at the end.
    recovery: Option<crate::state::RecoveryPlaces>,
    /// A read found the store damaged: why.
    damaged: Option<String>,
}

impl Library {
    pub fn new(store: Store, marks: Marks, roots: Vec<PathBuf>) -> Library {
        Library {
            store,
            similar: SimilarIndex::new(),
            marks,
            roots,
            recovery: None,
            damaged: None,
        }
    }

    /// Marks that cannot be saved at the end go to a recovery file in
    /// one of `places`.
    pub fn with_recovery(mut self, places: crate::state::RecoveryPlaces) -> Library {
        self.recovery = Some(places);
        self
    }

    /// The last word on the marks, when the reader ends: any not saved yet
    /// are saved now; if that fails they go to a recovery file. Says what
    /// the user must know (None when every mark is saved).
    pub fn close(&mut self) -> Option<String> {
        if !self.marks.has_unsaved() {
            return None;
        }
        let error = match self.marks.save() {
            Ok(_) => return None,
            Err(e) => e.to_string(),
        };
        let written = match &self.recovery {
            Some(places) => self.marks.write_recovery(places),
            None => Err("there is nowhere else to write them".to_owned()),
        };
        Some(match written {
            Ok(path) => format!(
                "{error}; the marks were written to {} instead, and the next start merges them back",
                path.display()
            ),
            Err(e) => format!(
                "{error}; nor could they be written elsewhere ({e}); here they are: {}",
                self.marks.unsaved_json()
            ),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Reads through `store` from now on (the old one was rebuilt).
    pub fn reopen(&mut self, store: Store) {
        self.store = store;
        self.similar = SimilarIndex::new();
    }

    /// Notes a read that found the store damaged, for [`Library::run_batch`]
    /// to deal with; passes the result on.
    fn watch<T>(&mut self, result: crate::store::Result<T>) -> crate::store::Result<T> {
        if let Err(e) = &result
            && e.is_damage()
        {
            self.damaged = Some(cause(e));
        }
        result
    }

    /// Makes sure the store under this connection is the one at its path,
    /// and readable: a file removed or put in its place is opened afresh, a
    /// damaged one rebuilt, and the library synced again. Says so once.
    pub fn check_store(&mut self, send: &mut dyn FnMut(Action)) {
        let why = if self.store.replaced() {
            Some("removed or replaced while byline ran".to_owned())
        } else {
            self.damaged.take().or_else(|| {
                let probe = self.store.probe().err();
                probe.filter(StoreError::is_damage).map(|e| cause(&e))
            })
        };
        if let Some(why) = why {
            self.renew(&why, send);
        }
    }

    /// Lets go of the store and opens it again (a new, empty one when it is
    /// gone; rebuilt when it is damaged), then asks for a sync to fill it.
    fn renew(&mut self, why: &str, send: &mut dyn FnMut(Action)) {
        let Some(path) = self.store.path().map(Path::to_path_buf) else {
            return;
        };
        let replaced = self.store.replaced();
        // Every statement and page of the old file goes before the new one opens.
        match Store::open_in_memory() {
            Ok(placeholder) => drop(std::mem::replace(&mut self.store, placeholder)),
            Err(e) => return send(Action::Message(format!("cannot reopen the store: {e}"))),
        }
        self.similar = SimilarIndex::new();
        let opened = if replaced {
            Store::open(&path)
        } else {
            Store::rebuild(&path, why)
        };
        let what = if replaced {
            format!("store opened afresh: it was {why}")
        } else {
            format!("store rebuilt from the files: it was damaged ({why})")
        };
        match opened {
            Ok(mut store) => {
                let _ = store.take_notice();
                self.store = store;
                send(Action::Message(format!("{what} ({})", path.display())));
                send(Action::Sync);
            }
            Err(e) => send(Action::Message(format!("cannot reopen the store: {e}"))),
        }
    }

    /// Syncs the library on this connection, reporting progress (for a
    /// reader without threads; the interface syncs on a connection of its
    /// own).
    pub fn sync(&mut self, send: &mut dyn FnMut(Action)) -> Action {
        let roots = self.roots.clone();
        let result = self
            .store
            .sync_with(&roots, crate::store::Detail::Problems, |p| {
                send(Action::LoadProgress {
                    done: p.done,
                    total: p.total,
                })
            });
        match result {
            Ok(report) => Action::LoadFinished(Box::new(report)),
            Err(e) => Action::LoadFailed(e.to_string()),
        }
    }

    /// Carries out effects that waited together: first every mark change,
    /// written once; then the reads, in order, the newest full-text search
    /// and the last list read only.
    pub fn run_batch(&mut self, batch: Vec<Effect>, send: &mut dyn FnMut(Action)) {
        if batch.is_empty() {
            return;
        }
        self.check_store(send);
        let mut saved = None;
        let mut news = false;
        let mut reads = Vec::with_capacity(batch.len());
        for effect in batch {
            match effect {
                Effect::SaveMarks {
                    generation,
                    changes,
                } => {
                    for (id, mark) in &changes {
                        self.marks.set(id, mark.clone());
                    }
                    saved = saved.max(Some(generation));
                }
                Effect::AdoptMarks { generation } => {
                    news |= self.adopt_marks();
                    saved = saved.max(Some(generation));
                }
                Effect::RefreshMarks { generation } => {
                    news |= self.marks.refresh();
                    saved = saved.max(Some(generation));
                }
                Effect::Remember { generation, change } => {
                    self.marks.change_extras(change);
                    saved = saved.max(Some(generation));
                }
                other => reads.push(other),
            }
        }
        if let Some(generation) = saved {
            send(self.save_marks(generation, news));
        }
        let newest_search = reads
            .iter()
            .filter_map(|e| match e {
                Effect::SearchText { generation, .. } => Some(*generation),
                _ => None,
            })
            .max();
        let last_list = reads
            .iter()
            .rposition(|e| matches!(e, Effect::LoadList { .. }));
        for (n, effect) in reads.into_iter().enumerate() {
            match effect {
                Effect::LoadList { .. } if Some(n) != last_list => {}
                Effect::SearchText { generation, .. } if Some(generation) != newest_search => {}
                effect => self.run_read(effect, send),
            }
            if self.damaged.is_some() {
                self.check_store(send);
            }
        }
    }

    fn run_read(&mut self, effect: Effect, send: &mut dyn FnMut(Action)) {
        match effect {
            Effect::LoadList { sort } => send(self.load_list(sort)),
            Effect::LoadFolders => {
                let roots = self.roots.clone();
                let mut index = crate::view::FolderIndex::new(&roots);
                let read = self
                    .store
                    .for_each_story_file(|id, path| index.add(id, path));
                match self.watch(read) {
                    Ok(()) => send(Action::FoldersLoaded(index.finish())),
                    Err(e) => send(Action::Message(format!("cannot read the folders: {e}"))),
                }
            }
            Effect::LoadStory { id, then } => send(self.load_story(id, then)),
            Effect::LoadSidebar {
                id,
                listed,
                fresh_engine,
            } => send(self.load_related(id, &listed, fresh_engine)),
            Effect::SearchText { generation, query } => {
                // One more than it shows, to tell "200" from "200+".
                let hits = self
                    .store
                    .search_full_text(&query, Some(FULL_TEXT_LIMIT + 1));
                let hits = self.watch(hits).map_err(|e| e.to_string());
                send(Action::TextHits { generation, hits })
            }
            other => debug_assert!(false, "not the library's effect: {other:?}"),
        }
    }

    /// Saves the marks; the answer carries them all when they differ from
    /// what the app holds (`news`, or other instances' marks merged in).
    fn save_marks(&mut self, generation: u64, news: bool) -> Action {
        let (merged_in, error) = match self.marks.save() {
            Ok(merged_in) => (merged_in, None),
            Err(e) => (false, Some(e.to_string())),
        };
        Action::MarksSaved {
            generation,
            merged: (news || merged_in).then(|| self.marks.snapshot()),
            error,
        }
    }

    /// Carries marks kept under older IDs over to today's stories (see
    /// [`Marks::adopt`]). Says whether any changed.
    fn adopt_marks(&mut self) -> bool {
        let renamed = self
            .store
            .renamed(&self.marks.marked_ids())
            .unwrap_or_default();
        let legacy = self
            .store
            .legacy_matches(&self.marks.legacy_ids())
            .unwrap_or_default();
        if renamed.is_empty() && legacy.is_empty() {
            return false;
        }
        let before = self.marks.snapshot();
        self.marks.adopt(&renamed, &legacy);
        *self.marks.set_of_marks() != before
    }

    fn load_list(&mut self, sort: crate::view::Sort) -> Action {
        let roots = self.roots.clone();
        let trace = crate::store::Trace::new();
        let read = self.store.scope_to_roots(&roots).and_then(|()| {
            trace.mark("list: scope");
            // Before the list: a write between the two only makes it newer.
            let seq = self.store.seq()?;
            let mut items = self.store.all_summaries()?;
            trace.mark("list: stories");
            crate::view::sort(&mut items, sort);
            trace.mark("list: sort");
            let groups = self.store.groups()?;
            trace.mark("list: groups");
            Ok((items, groups, seq))
        });
        match self.watch(read) {
            Ok((items, groups, seq)) => Action::ListLoaded {
                items,
                groups,
                sorted: Some(sort),
                seq: Some(seq),
            },
            Err(e) => Action::ListFailed(format!("cannot read the store: {e}")),
        }
    }

    fn load_story(&mut self, id: ArticleId, then: Then) -> Action {
        let story = self.store.story(&id);
        let story = self.watch(story).map_err(|e| e.to_string());
        let copies = match &story {
            Ok(Some(story)) => self.store.copy_sources(&id).map_or_else(
                |_| Copies::default(),
                |sources| {
                    Copies::of(
                        story.source.as_deref(),
                        sources.iter().map(Option::as_deref),
                    )
                },
            ),
            _ => Copies::default(),
        };
        Action::StoryLoaded {
            id,
            story: story.map(|s| s.map(Box::new)),
            copies,
            then,
        }
    }

    /// The sidebar for `id`: the engine's ranking once it is built (in the
    /// background), shared words until then; and the stories its page listed.
    fn load_related(&mut self, id: ArticleId, listed: &[ArticleId], fresh: bool) -> Action {
        // The next query loads the engine the background job saved, unless
        // the one held here has seen as much (reading it again takes a
        // second and a second copy's memory at a million stories).
        if fresh && self.store.engine_blob_seq().ok().flatten() > self.similar.seq() {
            self.similar = SimilarIndex::new();
        }
        let listed_stories: Vec<StorySummary> = listed
            .iter()
            .filter_map(|rid| self.store.summary(rid).ok().flatten())
            .collect();
        let want = SIMILAR_LIMIT + listed_stories.len();
        let (found, pending) = match self.similar.related(&self.store, &id, want, false) {
            Ok(Some(found)) => (Ok(found), false),
            Ok(None) => (self.store.similar_by_words(&id, want), true),
            Err(e) => (Err(e), false),
        };
        let found = self.watch(found);
        let similar = found
            .map(|found| {
                found
                    .into_iter()
                    .filter(|(s, _)| !listed.contains(&s.id))
                    .take(SIMILAR_LIMIT)
                    .collect()
            })
            .map_err(|e| e.to_string());
        Action::SidebarLoaded(Box::new(SidebarAnswer {
            id,
            similar,
            pending,
            listed: listed_stories,
            fresh_engine: fresh,
        }))
    }
}

/// What went wrong with the store, without the "store error" every such
/// error starts with.
fn cause(error: &StoreError) -> String {
    match error {
        StoreError::Sql(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// Builds or updates the related engine the store keeps.
pub fn build_engine(store: &Store) -> Action {
    match SimilarIndex::refresh_saved(store) {
        Ok(()) => Action::EngineReady,
        Err(e) => Action::Message(format!("cannot build the related index: {e}")),
    }
}

/// Exports stories to a dated HTML page in `dir`, and says where. Related
/// lists come with a view of up to 200 stories (each costs a lookup).
pub fn export_page(store: &Store, ids: &[ArticleId], dir: &Path) -> Action {
    use crate::export::{ExportFormat, gather, write_to};
    let name = format!(
        "byline-export-{}.html",
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    );
    let path = dir.join(name);
    let related = if ids.len() <= 200 { 5 } else { 0 };
    let result = gather(store, ids, related)
        .map_err(anyhow::Error::from)
        .and_then(|stories| {
            write_to(&path, ExportFormat::Html, &stories)?;
            Ok(stories.len())
        });
    Action::Message(match result {
        Ok(n) => format!(
            "exported {} to {}",
            crate::fmt::plural(n, "story", "stories"),
            path.display()
        ),
        Err(e) => format!("cannot export: {e:#}"),
    })
}

pub mod feeds;

#[cfg(test)]
mod tests;
