//! What the state file keeps beside the marks: the last session (view,
//! sort, filter, selection, open story and scroll), the finder's query
//! history, and the queries kept as saved views. They are saved with the
//! marks, under the same lock, merged the same way: what this instance
//! changed wins, and the rest of what other instances saved is kept.

use serde::{Deserialize, Serialize};

use crate::article::ArticleId;

/// Queries remembered in the finder's history, newest last.
pub const HISTORY_LIMIT: usize = 100;

/// What the headline list is narrowed to, beyond all/unread/saved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Filter {
    /// Stories from one source (as the list shows it).
    Source(String),
    /// Stories from files under one folder.
    Folder(String),
    /// Stories carrying one tag.
    Tag(String),
    /// Stories whose headline or source matches a finder query.
    Query(String),
}

impl Filter {
    /// "source: The Courier", "tag: later", "query: china hackers".
    pub fn label(&self) -> String {
        match self {
            Filter::Source(s) => format!("source: {s}"),
            Filter::Folder(f) => format!("folder: {f}"),
            Filter::Tag(t) => format!("tag: {t}"),
            Filter::Query(q) => format!("query: {q}"),
        }
    }
}

/// Where the reader was when it last quit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// "all", "unread" or "saved".
    #[serde(default)]
    pub view: String,
    /// The sort's name ("newest", "oldest", "source", "title").
    #[serde(default)]
    pub sort: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<ArticleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<ArticleId>,
    /// The open story's first line shown.
    #[serde(default)]
    pub scroll: usize,
    /// The list's time column as chosen with `D` ("ages", "dates", "by
    /// day"), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<String>,
}

/// The session, the query history and the saved queries, as held in
/// memory and in the state file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extras {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Finder queries, oldest first, no repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
    /// Queries kept as saved views, in the order they were kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<String>,
}

/// One change to the extras, as the reader sends it to be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtraChange {
    Session(Session),
    /// A query searched for: it goes to the end of the history.
    Searched(String),
    KeepQuery(String),
    DropQuery(String),
}

impl Extras {
    /// Applies a change; says whether anything changed.
    pub fn apply(&mut self, change: &ExtraChange) -> bool {
        let before = self.clone();
        match change {
            ExtraChange::Session(session) => self.session = Some(session.clone()),
            ExtraChange::Searched(query) => {
                let query = query.trim();
                if !query.is_empty() {
                    self.history.retain(|q| q != query);
                    self.history.push(query.to_owned());
                    let over = self.history.len().saturating_sub(HISTORY_LIMIT);
                    self.history.drain(..over);
                }
            }
            ExtraChange::KeepQuery(query) => {
                let query = query.trim();
                if !query.is_empty() && !self.queries.iter().any(|q| q == query) {
                    self.queries.push(query.to_owned());
                }
            }
            ExtraChange::DropQuery(query) => self.queries.retain(|q| q != query.trim()),
        }
        *self != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_the_newest_last_without_repeats_and_within_its_limit() {
        let mut extras = Extras::default();
        for q in ["a", "b", "a", " ", "c"] {
            extras.apply(&ExtraChange::Searched(q.into()));
        }
        assert_eq!(extras.history, ["b", "a", "c"]);
        for n in 0..200 {
            extras.apply(&ExtraChange::Searched(format!("q{n}")));
        }
        assert_eq!(extras.history.len(), HISTORY_LIMIT);
        assert_eq!(extras.history.last().unwrap(), "q199");
    }

    #[test]
    fn saved_queries_are_kept_once_and_dropped() {
        let mut extras = Extras::default();
        assert!(extras.apply(&ExtraChange::KeepQuery("china hackers".into())));
        assert!(!extras.apply(&ExtraChange::KeepQuery("china hackers ".into())));
        assert!(extras.apply(&ExtraChange::DropQuery("china hackers".into())));
        assert!(extras.queries.is_empty());
    }

    #[test]
    fn a_filter_reads_and_writes_as_kind_and_value() {
        let json = serde_json::to_string(&Filter::Tag("later".into())).unwrap();
        assert_eq!(json, r#"{"kind":"tag","value":"later"}"#);
        let back: Filter = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Filter::Tag("later".into()));
    }
}
