//! One story's marks, and every story's: plain data the reader holds.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::article::ArticleId;

/// One story's marks: read, saved, and its tags (sorted, no repeats).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    #[serde(default)]
    pub read: bool,
    #[serde(default)]
    pub saved: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl Mark {
    pub(super) fn is_empty(&self) -> bool {
        !self.read && !self.saved && self.tags.is_empty()
    }

    /// Both marks together: read if either is, saved if either is, every
    /// tag of either.
    pub(super) fn union(&self, other: &Mark) -> Mark {
        let mut tags = self.tags.clone();
        tags.extend(other.tags.iter().cloned());
        tags.sort();
        tags.dedup();
        Mark {
            read: self.read || other.read,
            saved: self.saved || other.saved,
            tags,
        }
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// Adds a tag (cleaned: trimmed, inner spaces as dashes); says whether
    /// it was new. An empty tag is not added.
    pub fn add_tag(&mut self, tag: &str) -> bool {
        let tag = clean_tag(tag);
        match self.tags.binary_search(&tag) {
            _ if tag.is_empty() => false,
            Ok(_) => false,
            Err(at) => {
                self.tags.insert(at, tag);
                true
            }
        }
    }

    /// Removes a tag; says whether it was there.
    pub fn remove_tag(&mut self, tag: &str) -> bool {
        let tag = clean_tag(tag);
        let before = self.tags.len();
        self.tags.retain(|t| *t != tag);
        self.tags.len() != before
    }
}

/// A tag as kept: trimmed, lower-cased, whitespace and commas as dashes.
pub fn clean_tag(tag: &str) -> String {
    tag.trim()
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

/// Every story's marks, as plain data: what the reader holds and shows.
/// Saving is [`Marks`]'s job.
/// Looked up for every story in a list, so hashed (FxHash: IDs are not
/// chosen by an adversary, and SipHash cost more than the rest of a
/// list's filtering); written sorted, so
/// that the state file reads the same from one save to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct MarkSet(pub(super) FxHashMap<ArticleId, Mark>);

impl Serialize for MarkSet {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        let sorted: BTreeMap<&ArticleId, &Mark> = self.0.iter().collect();
        sorted.serialize(out)
    }
}

/// No marks at all: what a story without any has.
static NO_MARK: Mark = Mark {
    read: false,
    saved: false,
    tags: Vec::new(),
};

impl MarkSet {
    pub fn new() -> MarkSet {
        MarkSet::default()
    }

    pub fn get(&self, id: &ArticleId) -> Mark {
        self.mark_of(id.as_str()).clone()
    }

    /// A story's marks, borrowed: for looking at every story of a list.
    pub fn mark_of(&self, id: &str) -> &Mark {
        self.0.get(id).unwrap_or(&NO_MARK)
    }

    pub fn is_read(&self, id: &ArticleId) -> bool {
        self.mark_of(id.as_str()).read
    }

    pub fn is_saved(&self, id: &ArticleId) -> bool {
        self.mark_of(id.as_str()).saved
    }

    /// Sets a story's marks; says whether they changed.
    pub fn set(&mut self, id: &ArticleId, mark: Mark) -> bool {
        if self.get(id) == mark {
            return false;
        }
        if mark.is_empty() {
            self.0.remove(id);
        } else {
            self.0.insert(id.clone(), mark);
        }
        true
    }

    /// Every story that holds a mark, with its marks.
    pub fn iter(&self) -> impl Iterator<Item = (&ArticleId, &Mark)> {
        self.0.iter()
    }

    /// Every tag in use, with how many stories carry it, by name.
    pub fn tags(&self) -> Vec<(String, usize)> {
        self.tag_counts()
            .into_iter()
            .map(|(tag, total, _)| (tag, total))
            .collect()
    }

    /// Every tag in use with (stories, unread stories) carrying it, by
    /// name, in one pass over the marks.
    pub fn tag_counts(&self) -> Vec<(String, usize, usize)> {
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for mark in self.0.values() {
            for tag in &mark.tags {
                let (total, unread) = counts.entry(tag).or_default();
                *total += 1;
                *unread += usize::from(!mark.read);
            }
        }
        counts
            .into_iter()
            .map(|(t, (total, unread))| (t.to_owned(), total, unread))
            .collect()
    }

    /// Counts of (read, saved) marks.
    pub fn counts(&self) -> (usize, usize) {
        self.0.values().fold((0, 0), |(r, s), m| {
            (r + m.read as usize, s + m.saved as usize)
        })
    }
}
