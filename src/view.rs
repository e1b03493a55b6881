//! Which stories a list shows and in what order: one definition, used by
//! the reader and by every command, so `byline list` and the interface
//! never disagree, ties included.

use serde::{Deserialize, Serialize};

use crate::article::StorySummary;
use crate::state::Mark;

/// The orders a list can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    Title,
    Source,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::Oldest, Sort::Title, Sort::Source];

    pub fn name(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Title => "title",
            Sort::Source => "source",
        }
    }

    pub fn parse(name: &str) -> Option<Sort> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The next order in the cycle newest, oldest, source, title.
    pub fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::Oldest,
            Sort::Oldest => Sort::Source,
            Sort::Source => Sort::Title,
            Sort::Title => Sort::Newest,
        }
    }
}

/// Sorts stories in `sort` order. Every order is total: after its own key,
/// ties go by headline (ignoring case), then by ID.
pub fn sort(items: &mut [StorySummary], sort: Sort) {
    use std::cmp::Reverse;
    // Keys computed once a story, not once a comparison.
    let title = |s: &StorySummary| s.title.to_lowercase();
    match sort {
        Sort::Newest => {
            items.sort_by_cached_key(|s| (Reverse(s.published), title(s), s.id.clone()));
        }
        Sort::Oldest => items
            .sort_by_cached_key(|s| (s.published.is_none(), s.published, title(s), s.id.clone())),
        Sort::Title => {
            items.sort_by_cached_key(|s| (title(s), Reverse(s.published), s.id.clone()));
        }
        Sort::Source => items.sort_by_cached_key(|s| {
            (
                s.source.is_none(),
                s.source.as_deref().map(str::to_lowercase),
                Reverse(s.published),
                title(s),
                s.id.clone(),
            )
        }),
    }
}

/// Which stories a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    All,
    Unread,
    Saved,
}

impl View {
    pub fn name(self) -> &'static str {
        match self {
            View::All => "All",
            View::Unread => "Unread",
            View::Saved => "Saved",
        }
    }

    /// The view `--unread` and `--saved` ask for.
    pub fn from_flags(unread: bool, saved: bool) -> View {
        match (unread, saved) {
            (true, _) => View::Unread,
            (_, true) => View::Saved,
            _ => View::All,
        }
    }

    /// Whether a story with `mark` shows in this view.
    pub fn shows(self, mark: Mark) -> bool {
        match self {
            View::All => true,
            View::Unread => !mark.read,
            View::Saved => mark.saved,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::ArticleId;
    use chrono::DateTime;

    fn story(id: &str, title: &str, source: Option<&str>, at: Option<i64>) -> StorySummary {
        StorySummary {
            id: ArticleId::from_raw(id),
            title: title.into(),
            source: source.map(Into::into),
            published: at.and_then(|t| DateTime::from_timestamp(t, 0)),
        }
    }

    #[test]
    fn every_order_is_total() {
        let items = vec![
            story("b", "Same time", Some("wire"), Some(10)),
            story("a", "same time", Some("Wire"), Some(10)),
            story("c", "Older", None, Some(5)),
            story("d", "No date", Some("desk"), None),
        ];
        let ids = |sort_by: Sort| {
            let mut v = items.clone();
            sort(&mut v, sort_by);
            v.iter()
                .map(|s| s.id.to_string())
                .collect::<Vec<_>>()
                .join("")
        };
        assert_eq!(ids(Sort::Newest), "abcd");
        assert_eq!(ids(Sort::Oldest), "cabd");
        assert_eq!(ids(Sort::Title), "dcab");
        assert_eq!(ids(Sort::Source), "dabc");
        for s in Sort::ALL {
            assert_eq!(Sort::parse(s.name()), Some(s));
        }
    }

    #[test]
    fn views_filter_by_mark() {
        let read = Mark {
            read: true,
            saved: false,
        };
        assert!(View::All.shows(read) && !View::Unread.shows(read) && !View::Saved.shows(read));
        assert_eq!(View::from_flags(false, true), View::Saved);
    }
}
