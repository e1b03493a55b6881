//! The headline list: every story, the current view's subset, the selection.

use std::sync::Arc;

use crate::article::ArticleId;
use crate::article::StorySummary;
use std::collections::HashSet;

use crate::state::{Filter, MarkSet};
pub use crate::view::{Sort, View};

#[derive(Debug, Clone, Default)]
pub struct HeadlineList {
    /// Every story, in the current sort order. Shared with matching threads.
    pub items: Arc<Vec<StorySummary>>,
    /// Indices into `items` of the stories in the current view.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub selected: usize,
    /// The first row shown.
    pub offset: usize,
    pub view: View,
    pub sort: Sort,
    /// A source, folder, tag or query the list is narrowed to.
    pub filter: Option<Filter>,
    /// For a folder filter: the stories with a file under it (none until
    /// the library worker has said).
    pub folder_ids: Option<Arc<HashSet<ArticleId>>>,
    /// What the time column shows (None: as [`HeadlineList::dates_shown`]
    /// decides).
    pub dates: Option<Dates>,
    /// Half the stories or more share one time (files copied at once):
    /// their ages say nothing.
    pub times_shared: bool,
    /// For a query filter: the query and the stories it matched, ranked
    /// once (marks changing do not change them; new items or a new order
    /// do, and clear it).
    query_matches: Option<(String, HashSet<usize>)>,
}

/// What the list's time column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    /// "3h", "2d".
    Age,
    /// "14:05" today, else "23 Nov".
    Date,
    /// The day, on the first story of each day: "Today", "Yesterday",
    /// "Mon 23 Nov".
    Day,
}

impl Dates {
    pub fn name(self) -> &'static str {
        match self {
            Dates::Age => "ages",
            Dates::Date => "dates",
            Dates::Day => "by day",
        }
    }

    /// The next in the cycle ages, dates, by day.
    pub fn next(self) -> Dates {
        match self {
            Dates::Age => Dates::Date,
            Dates::Date => Dates::Day,
            Dates::Day => Dates::Age,
        }
    }
}

/// Do half the stories (of four or more) share one time, to the minute?
fn times_shared(items: &[StorySummary]) -> bool {
    if items.len() < 4 {
        return false;
    }
    let mut counts: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for item in items {
        if let Some(t) = item.published {
            *counts.entry(t.timestamp() / 60).or_default() += 1;
        }
    }
    counts.values().max().is_some_and(|&n| n * 2 >= items.len())
}

impl HeadlineList {
    /// The selected story, if any.
    pub fn selected_story(&self) -> Option<&StorySummary> {
        self.visible.get(self.selected).map(|&i| &self.items[i])
    }

    pub fn selected_id(&self) -> Option<ArticleId> {
        self.selected_story().map(|s| s.id.clone())
    }

    /// What the time column shows: as chosen, else dates when the ages
    /// say nothing, else ages. Grouping by day needs a list by date.
    pub fn dates_shown(&self) -> Dates {
        let by_date = matches!(self.sort, Sort::Newest | Sort::Oldest);
        match self.dates {
            Some(Dates::Day) if !by_date => Dates::Date,
            Some(dates) => dates,
            None if self.times_shared => Dates::Date,
            None => Dates::Age,
        }
    }

    /// Replaces the stories, keeping the selection on the same story.
    /// The stories to list, sorted in the list's order unless `sorted`
    /// says they are already.
    pub fn set_items(
        &mut self,
        mut items: Vec<StorySummary>,
        sorted: Option<Sort>,
        marks: &MarkSet,
    ) {
        let keep = self.selected_id();
        self.times_shared = times_shared(&items);
        self.query_matches = None;
        if sorted != Some(self.sort) {
            crate::view::sort(&mut items, self.sort);
        }
        self.items = Arc::new(items);
        self.refilter(marks, keep.as_ref());
    }

    pub fn set_sort(&mut self, sort: Sort, marks: &MarkSet) {
        let keep = self.selected_id();
        self.sort = sort;
        self.query_matches = None;
        let mut items = self.items.as_ref().clone();
        crate::view::sort(&mut items, sort);
        self.items = Arc::new(items);
        self.refilter(marks, keep.as_ref());
    }

    pub fn set_view(&mut self, view: View, marks: &MarkSet) {
        let keep = self.selected_id();
        self.view = view;
        self.refilter(marks, keep.as_ref());
    }

    /// Narrows the list to a source, folder, tag or query (None: all).
    pub fn set_filter(
        &mut self,
        filter: Option<Filter>,
        folder_ids: Option<Arc<HashSet<ArticleId>>>,
        marks: &MarkSet,
    ) {
        let keep = self.selected_id();
        self.filter = filter;
        self.folder_ids = folder_ids;
        self.refilter(marks, keep.as_ref());
    }

    /// Recomputes the view's stories, selecting `keep` if it is there.
    pub fn refilter(&mut self, marks: &MarkSet, keep: Option<&ArticleId>) {
        let view = self.view;
        // A query ranks once; the list keeps its own order.
        if let Some(Filter::Query(q)) = &self.filter
            && self.query_matches.as_ref().is_none_or(|(had, _)| had != q)
        {
            let found = crate::search::rank(self.items.as_slice(), q)
                .into_iter()
                .map(|m| m.index)
                .collect();
            self.query_matches = Some((q.clone(), found));
        }
        let matched = match &self.filter {
            Some(Filter::Query(_)) => self.query_matches.as_ref().map(|(_, m)| m),
            _ => None,
        };
        let filter = self.filter.as_ref();
        let folder = self.folder_ids.as_deref();
        self.visible = self
            .items
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                let mark = marks.mark_of(s.id.as_str());
                view.shows(mark)
                    && filter.is_none_or(|f| {
                        crate::view::filter_keeps(f, *s, mark).unwrap_or_else(|| match f {
                            Filter::Folder(_) => folder.is_some_and(|ids| ids.contains(&s.id)),
                            _ => matched.is_some_and(|m| m.contains(i)),
                        })
                    })
            })
            .map(|(i, _)| i)
            .collect();
        let found = keep.and_then(|id| self.visible.iter().position(|&i| &self.items[i].id == id));
        self.selected = found.unwrap_or(self.selected.min(self.visible.len().saturating_sub(1)));
    }

    /// Selects the story with this ID, if the view shows it.
    pub fn select_id(&mut self, id: &ArticleId) -> bool {
        match self.visible.iter().position(|&i| &self.items[i].id == id) {
            Some(pos) => {
                self.selected = pos;
                true
            }
            None => false,
        }
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn select_last(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }

    /// Keeps the selection on screen in a list `height` rows tall.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.visible.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// Puts the selection in the middle of a list `height` rows tall, for jumps.
    pub fn center(&mut self, height: usize) {
        self.offset = self.selected.saturating_sub(height / 2);
        self.scroll_into_view(height);
    }

    /// The ID of the first unread story after the selection, in view order.
    pub fn next_unread_after(&self, marks: &MarkSet, current: Option<&ArticleId>) -> Option<usize> {
        let start = current
            .and_then(|id| self.visible.iter().position(|&i| &self.items[i].id == id))
            .map_or(0, |p| p + 1);
        (start..self.visible.len()).find(|&p| !marks.is_read(&self.items[self.visible[p]].id))
    }
}
