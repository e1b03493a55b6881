//! The sources view (`v`): the library by source, by folder, by tag, and
//! the saved queries, each with its unread and total counts, as
//! newsboat's feed list. Enter narrows the headline list to one row; `0`
//! (or Esc in the list) goes back to every story.

use rustc_hash::FxHashMap;

use super::{App, Effect, Popup};
use crate::state::{ExtraChange, Filter};

/// What a row of the sources view is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRow {
    Heading(&'static str),
    /// A row that narrows the list (None: every story).
    Pick {
        filter: Option<Filter>,
        unread: usize,
        /// None where counting would mean ranking (a saved query).
        total: Option<usize>,
        /// What else to say of it: a feed's last error.
        note: Option<String>,
    },
}

/// The sources view: its rows and the selected one.
#[derive(Debug, Clone, Default)]
pub struct SourcesView {
    pub rows: Vec<SourceRow>,
    pub selected: usize,
}

impl SourcesView {
    /// Moves the selection by `delta` pickable rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let picks: Vec<usize> = (0..self.rows.len())
            .filter(|&i| matches!(self.rows[i], SourceRow::Pick { .. }))
            .collect();
        let at = picks.iter().position(|&i| i == self.selected).unwrap_or(0);
        let to = at
            .saturating_add_signed(delta.clamp(-1_000_000, 1_000_000))
            .min(picks.len().saturating_sub(1));
        self.selected = picks.get(to).copied().unwrap_or(0);
    }

    pub fn selected_filter(&self) -> Option<Option<&Filter>> {
        match self.rows.get(self.selected)? {
            SourceRow::Pick { filter, .. } => Some(filter.as_ref()),
            SourceRow::Heading(_) => None,
        }
    }
}

impl App {
    /// The sources view as the library and the marks now stand.
    pub fn sources_view(&self) -> SourcesView {
        let mut rows = Vec::new();
        let (all, unread, _) = self.counts();
        rows.push(SourceRow::Pick {
            filter: None,
            unread,
            total: Some(all),
            note: None,
        });
        let mut sources: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
        for item in self.list.items.iter() {
            if let Some(source) = item.source.as_deref() {
                let entry = sources.entry(source).or_default();
                entry.0 += usize::from(!self.marks.is_read(&item.id));
                entry.1 += 1;
            }
        }
        // Feeds first, each with its last error; their stories' source is
        // the feed's name, so they are not listed again under Sources.
        let feeds: Vec<(Filter, usize, Option<usize>, Option<String>)> = self
            .feeds
            .iter()
            .map(|f| {
                let (unread, total) = sources.remove(f.name.as_str()).unwrap_or_default();
                let note = f
                    .last_error
                    .as_ref()
                    .map(|e| format!("last fetch failed: {e}"));
                (Filter::Source(f.name.clone()), unread, Some(total), note)
            })
            .collect();
        let mut sources: Vec<_> = sources.into_iter().collect();
        sources.sort_by(|a, b| {
            a.0.to_lowercase()
                .cmp(&b.0.to_lowercase())
                .then(a.0.cmp(b.0))
        });
        let mut noted =
            |title, picks: Vec<(Filter, usize, Option<usize>, Option<String>)>| {
                if !picks.is_empty() {
                    rows.push(SourceRow::Heading(title));
                    rows.extend(picks.into_iter().map(|(f, unread, total, note)| {
                        SourceRow::Pick {
                            filter: Some(f),
                            unread,
                            total,
                            note,
                        }
                    }));
                }
            };
        noted("Feeds", feeds);
        let mut section = |title, picks: Vec<(Filter, usize, Option<usize>)>| {
            noted(
                title,
                picks.into_iter().map(|(f, u, t)| (f, u, t, None)).collect(),
            )
        };
        section(
            "Sources",
            sources
                .into_iter()
                .map(|(s, (u, t))| (Filter::Source(s.to_owned()), u, Some(t)))
                .collect(),
        );
        section(
            "Folders",
            self.folders
                .iter()
                .map(|f| {
                    let unread = f.ids.iter().filter(|id| !self.marks.is_read(id)).count();
                    (Filter::Folder(f.name.clone()), unread, Some(f.ids.len()))
                })
                .collect(),
        );
        section(
            "Tags",
            self.marks
                .tag_counts()
                .into_iter()
                .map(|(tag, total, unread)| (Filter::Tag(tag), unread, Some(total)))
                .collect(),
        );
        section(
            "Saved queries",
            self.extras
                .queries
                .iter()
                .map(|q| (Filter::Query(q.clone()), 0, None))
                .collect(),
        );
        // The row of the filter in force is selected.
        let current = self.list.filter.as_ref();
        let selected = rows
            .iter()
            .position(|r| matches!(r, SourceRow::Pick { filter, .. } if filter.as_ref() == current))
            .unwrap_or(0);
        SourcesView { rows, selected }
    }

    pub(super) fn open_sources(&mut self) {
        if !self.folders_wanted {
            self.folders_wanted = true;
            self.ask_folders();
        }
        let view = self.sources_view();
        self.popups.push(Popup::Sources(Box::new(view)));
    }

    /// Enter in the sources view: narrows the list to the selected row.
    pub(super) fn pick_source(&mut self) {
        let Some(Popup::Sources(view)) = self.popups.last() else {
            return;
        };
        let Some(filter) = view.selected_filter() else {
            return;
        };
        let filter = filter.cloned();
        self.popups.pop();
        self.set_filter(filter);
    }

    /// `d` in the sources view: forgets the selected saved query.
    pub(super) fn forget_query(&mut self) {
        let Some(Popup::Sources(view)) = self.popups.last_mut() else {
            return;
        };
        let Some(Some(Filter::Query(query))) = view.selected_filter().map(|f| f.cloned()) else {
            self.message = Some("only a saved query can be forgotten".to_owned());
            return;
        };
        view.rows.remove(view.selected);
        if !view.rows.iter().any(|r| {
            matches!(
                r,
                SourceRow::Pick {
                    filter: Some(Filter::Query(_)),
                    ..
                }
            )
        }) && matches!(view.rows.last(), Some(SourceRow::Heading(_)))
        {
            view.rows.pop();
        }
        view.move_by(0);
        self.remember(ExtraChange::DropQuery(query.clone()));
        self.message = Some(format!("forgot the saved query \"{query}\""));
    }

    /// Narrows the headline list to a source, folder, tag or query (None:
    /// every story), and says so.
    pub(super) fn set_filter(&mut self, filter: Option<Filter>) {
        let folder_ids = match &filter {
            Some(Filter::Folder(name)) => self
                .folders
                .iter()
                .find(|f| &f.name == name)
                .map(|f| f.ids.clone()),
            _ => None,
        };
        let label = filter.as_ref().map(Filter::label);
        self.list.set_filter(filter, folder_ids, &self.marks);
        self.list.offset = 0;
        self.fit_list();
        self.message = Some(match label {
            Some(label) => format!(
                "{label}: {} (0 shows all)",
                crate::fmt::plural(self.list.visible.len(), "story", "stories")
            ),
            None => "every source".to_owned(),
        });
    }

    /// The folders as the worker grouped them; a folder filter follows.
    pub(super) fn folders_loaded(&mut self, folders: Vec<crate::view::Folder>) {
        self.folders = folders;
        // An open sources view shows them now, on the same row.
        if let Some(Popup::Sources(view)) = self.popups.last() {
            let at = view.selected_filter().map(|f| f.cloned());
            let mut fresh = self.sources_view();
            if let Some(at) = at
                && let Some(row) = fresh
                    .rows
                    .iter()
                    .position(|r| matches!(r, SourceRow::Pick { filter, .. } if *filter == at))
            {
                fresh.selected = row;
            }
            self.popups.pop();
            self.popups.push(Popup::Sources(Box::new(fresh)));
        }
        if let Some(Filter::Folder(name)) = &self.list.filter {
            let ids = self
                .folders
                .iter()
                .find(|f| &f.name == name)
                .map(|f| f.ids.clone());
            let keep = self.list.selected_id();
            self.list.folder_ids = ids;
            self.list.refilter(&self.marks, keep.as_ref());
            self.fit_list();
        }
    }

    /// Asks the worker for the folders, after a sync.
    pub(super) fn ask_folders(&mut self) {
        self.effects.push(Effect::LoadFolders);
    }
}
