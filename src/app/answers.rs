//! The part of `App::update` that asks the workers for stories, lists and
//! sidebars, and takes their answers: loading progress, the headline list,
//! an opened story, the sidebar, full-text hits, saved marks.

use super::{Action, App, Effect, Popup, SidebarEntry, Then};
use crate::article::{Article, ArticleId, Groups};
use crate::input::SidebarAnswer;
use crate::render::Copies;
use crate::state::Mark;
use crate::store::StorySummary;

impl App {
    /// Applies an answer from a worker (or the loader).
    pub(super) fn answer(&mut self, action: Action) {
        match action {
            Action::LoadProgress { done, total } => self.load_progress(done, total),
            Action::LoadFinished(report) => {
                self.load.loading = false;
                self.load.done = self.load.total;
                let skipped = report.skipped();
                self.load.report = Some(*report);
                self.recovered(super::Trouble::Loading);
                self.loaded();
                if skipped > 0 {
                    self.message = Some(format!(
                        "{} skipped: ! shows why",
                        crate::fmt::plural(skipped, "file", "files")
                    ));
                }
            }
            Action::LoadFailed(error) => {
                self.load.loading = false;
                self.load.asked = None;
                self.fail(super::Trouble::Loading, format!("loading failed: {error}"));
            }
            Action::WatchProblem(text) => {
                self.load.watch_problem = Some(text.clone());
                self.message = Some(text);
            }
            Action::EngineReady => {
                if let Some(id) = self.open_id().cloned() {
                    self.ask_sidebar(&id, true);
                }
            }
            Action::ListLoaded {
                items,
                groups,
                sorted,
                seq,
            } => self.list_loaded(items, groups, sorted, seq),
            Action::ListFailed(why) => {
                // Not waiting for it any more: the next sync or load asks again.
                self.load.list_asked = false;
                self.load.list_check = false;
                self.message = Some(why);
            }
            Action::FoldersLoaded(folders) => self.folders_loaded(folders),
            Action::FetchProgress { done, total, .. } => self.fetch_progress(done, total),
            Action::FetchDone(said) => self.fetch_done(said),
            Action::FeedsLoaded(feeds) => self.feeds_loaded(feeds),
            Action::StoryLoaded {
                id,
                story,
                copies,
                then,
            } => self.story_loaded(id, story, copies, then),
            Action::SidebarLoaded(answer) => self.sidebar_loaded(*answer),
            Action::TextHits { generation, hits } => self.text_hits(generation, hits),
            Action::MarksSaved {
                generation,
                merged,
                error,
            } => self.marks_saved(generation, merged, error),
            Action::MatchResults {
                generation,
                matches,
                matched,
                done,
            } => self.match_results(generation, matches, matched, done),
            other => debug_assert!(false, "not an answer: {other:?}"),
        }
    }

    fn load_progress(&mut self, done: usize, total: usize) {
        self.load.loading = true;
        self.load.done = done;
        self.load.total = total;
        // Fill the list as stories arrive, at every tenth of the way (one
        // on its way will do for now).
        let step = (total / 10).max(500);
        let due = self.list.items.is_empty() || done >= self.load.refreshed_at + step;
        if due && !self.load.list_asked {
            self.load.refreshed_at = done;
            self.ask_list();
        }
    }

    /// Asks for the list, sorted in the list's order.
    fn ask_list(&mut self) {
        self.load.list_asked = true;
        self.effects.push(Effect::LoadList {
            sort: self.list.sort,
        });
    }

    /// After a sync: marks carried over to new IDs, the list and the open
    /// story read again, the related engine brought up to date.
    fn loaded(&mut self) {
        self.adopt_marks();
        self.refresh_list();
        if let Some(id) = self.open_id().cloned() {
            self.effects.push(Effect::LoadStory {
                id,
                then: Then::Refresh,
            });
        }
        self.effects.push(Effect::BuildEngine);
        if self.folders_wanted {
            self.ask_folders();
        }
        self.effects.push(Effect::LoadFeeds);
        if std::mem::take(&mut self.load.again) {
            self.reload();
        }
    }

    /// After a sync: the list is read again unless the one shown (or on its
    /// way) was read since the store last changed. At a million stories a
    /// list takes seconds and hundreds of megabytes to read.
    fn refresh_list(&mut self) {
        if self.load.list_asked {
            self.load.list_check = true;
        } else if !self.list_is_current() {
            self.ask_list();
        } else if let Some(before) = self.load.asked.take() {
            let items = std::sync::Arc::clone(&self.list.items);
            self.say_reloaded(&before, &items);
        }
    }

    /// Whether the list shown was read after the last sync ended.
    fn list_is_current(&self) -> bool {
        let synced = self.load.report.as_ref().map(|r| r.seq);
        synced.is_some() && self.load.list_seq == synced
    }

    /// The stories as the store now has them, keeping the selection.
    fn list_loaded(
        &mut self,
        items: Vec<StorySummary>,
        groups: Groups,
        sorted: Option<crate::view::Sort>,
        seq: Option<i64>,
    ) {
        self.load.list_asked = false;
        self.load.list_seq = seq;
        // Read before the last sync ended: shown, and read again.
        let stale = std::mem::take(&mut self.load.list_check) && !self.list_is_current();
        if stale {
            self.ask_list();
        }
        if !self.load.loading
            && !stale
            && let Some(before) = self.load.asked.take()
        {
            self.say_reloaded(&before, &items);
        }
        self.groups = groups;
        self.list.set_items(items, sorted, &self.marks);
        self.recount();
        self.fit_list();
        self.finish_restore();
        if let Some(Popup::Finder(f)) = self.popups.last_mut() {
            // Indices into the old list are stale: match again.
            f.generation += 1;
        }
        self.rematch();
    }

    /// "reloaded: 3 new, 1 gone" after `R`, with any files skipped.
    fn say_reloaded(
        &mut self,
        before: &std::collections::HashSet<ArticleId>,
        items: &[StorySummary],
    ) {
        let new = items.iter().filter(|s| !before.contains(&s.id)).count();
        let gone = (before.len() + new).saturating_sub(items.len());
        let mut said = match (new, gone) {
            (0, 0) => "reloaded: nothing new".to_owned(),
            (n, 0) => format!("reloaded: {} new", crate::fmt::count(n)),
            (0, g) => format!("reloaded: {} gone", crate::fmt::count(g)),
            (n, g) => format!(
                "reloaded: {} new, {} gone",
                crate::fmt::count(n),
                crate::fmt::count(g)
            ),
        };
        let skipped = self.load.skipped();
        if skipped > 0 {
            said.push_str(&format!(
                " · {} skipped: ! shows why",
                crate::fmt::plural(skipped, "file", "files")
            ));
        }
        // A message that came meanwhile (the store was opened afresh) stays.
        self.message = match self.message.take() {
            Some(news) if news != RELOADING => Some(format!("{news} · {said}")),
            _ => Some(said),
        };
    }

    /// Opens a story in the reader (once the worker has read it) and marks
    /// it read. `record` puts the story it replaces on the back history.
    pub(super) fn open_story(&mut self, id: &ArticleId, record: bool) {
        self.effects.push(Effect::LoadStory {
            id: id.clone(),
            then: Then::Open { record },
        });
    }

    fn story_loaded(
        &mut self,
        id: ArticleId,
        story: Result<Option<Box<Article>>, String>,
        copies: Copies,
        then: Then,
    ) {
        let story = match (story, then) {
            (Ok(Some(story)), _) => *story,
            // A refresh of a story gone from the library keeps it on screen.
            (_, Then::Refresh) => return,
            (Ok(None), _) if self.load.loading => {
                self.message = Some(format!(
                    "story {id} is still being indexed: try again in a moment"
                ));
                return;
            }
            (Ok(None), _) => {
                self.message = Some(format!("story {id} is no longer in the library"));
                return;
            }
            (Err(e), _) => {
                self.message = Some(format!("cannot read story {id}: {e}"));
                return;
            }
        };
        match then {
            Then::Open { record } => self.show_story(story, copies, record),
            Then::Refresh => self.refresh_story(&id, story, copies),
            outside => self.hand_over(&story, outside),
        }
    }

    fn show_story(&mut self, story: Article, copies: Copies, record: bool) {
        let id = story.id.clone();
        if record
            && let Some(current) = self.open_id().cloned()
            && current != id
        {
            self.history.back.push(current);
            self.history.forward.clear();
        }
        self.reader.story = Some(story);
        self.reader.copies = copies;
        self.reader.scroll = 0;
        self.relayout();
        self.rewrap();
        if let Some((at, scroll)) = self.pending_scroll.take()
            && at == id
        {
            self.reader.scroll = scroll.min(self.reader.max_scroll());
        }
        self.ask_sidebar(&id, false);
        if self.settings.mark_read_on_open && !self.marks.is_read(&id) {
            let mark = Mark {
                read: true,
                ..self.marks.get(&id)
            };
            self.apply_marks(vec![(id, mark)]);
        }
    }

    /// The open story as a sync left it (its file may have changed, and
    /// with its text its ID: the old one leads to it), at the same scroll
    /// position. `asked` is the ID it was asked for by.
    fn refresh_story(&mut self, asked: &ArticleId, story: Article, copies: Copies) {
        if self.open_id() != Some(asked) || self.reader.story.as_ref() == Some(&story) {
            return;
        }
        let scroll = self.reader.scroll;
        self.reader.story = Some(story);
        self.reader.copies = copies;
        self.rewrap();
        self.reader.scroll = scroll.min(self.reader.max_scroll());
    }

    /// Asks for the sidebar of story `id`. `fresh_engine`: the engine was
    /// rebuilt, and the sidebar keeps its selection.
    fn ask_sidebar(&mut self, id: &ArticleId, fresh_engine: bool) {
        let listed = self
            .reader
            .story
            .as_ref()
            .map(|s| s.related_on_page.clone())
            .unwrap_or_default();
        if !fresh_engine {
            self.sidebar = super::Sidebar {
                loading: true,
                ..Default::default()
            };
        }
        self.effects.push(Effect::LoadSidebar {
            id: id.clone(),
            listed,
            fresh_engine,
        });
    }

    fn sidebar_loaded(&mut self, answer: SidebarAnswer) {
        if self.open_id() != Some(&answer.id) {
            return; // for a story no longer open
        }
        let selected = self.sidebar.selected;
        self.sidebar.loading = false;
        self.sidebar.pending = answer.pending;
        self.sidebar.similar = match answer.similar {
            Ok(found) => found
                .into_iter()
                .map(|(story, score)| SidebarEntry {
                    story,
                    score: Some(score),
                })
                .collect(),
            Err(e) => {
                self.message = Some(format!("cannot rank related stories: {e}"));
                Vec::new()
            }
        };
        self.sidebar.listed = answer
            .listed
            .into_iter()
            .map(|story| SidebarEntry { story, score: None })
            .collect();
        self.sidebar.selected = if answer.fresh_engine {
            selected.min(self.sidebar.len().saturating_sub(1))
        } else {
            0
        };
    }
}

/// What the status bar says while `R` reloads.
pub(super) const RELOADING: &str = "reloading…";
