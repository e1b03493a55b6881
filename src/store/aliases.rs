//! The other IDs a story answers to: its copies' own IDs, the IDs it had
//! before copies folded into it, and the headline-only IDs of earlier
//! byline versions. Marks and scripts that kept any of them find it.

use std::collections::{HashMap, HashSet};

use rusqlite::OptionalExtension;

use super::{Result, Store};
use crate::article::ArticleId;

impl Store {
    /// The story an ID names today: the ID itself when it is a story, else
    /// the story it is an alias of.
    pub fn canonical(&self, id: &ArticleId) -> Result<Option<ArticleId>> {
        let is_story: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM stories WHERE id = ?1)")?
            .query_row([id.as_str()], |r| r.get(0))?;
        if is_story {
            return Ok(Some(id.clone()));
        }
        Ok(self
            .conn
            .prepare_cached("SELECT story_id FROM aliases WHERE alias = ?1")?
            .query_row([id.as_str()], |r| r.get::<_, String>(0))
            .optional()?
            .map(ArticleId::from_raw))
    }

    /// Every alias and the story it names.
    pub(super) fn alias_map(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare("SELECT alias, story_id FROM aliases")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A page's list of stories, with each ID resolved to the story it
    /// names today, without repeats or `own` (a story listing itself).
    pub(super) fn resolve_listed(
        &self,
        own: &str,
        ids: Vec<ArticleId>,
        aliases: Option<&HashMap<String, String>>,
    ) -> Result<Vec<ArticleId>> {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let resolved = match aliases {
                Some(map) => map
                    .get(id.as_str())
                    .map(|s| ArticleId::from_raw(s.clone()))
                    .unwrap_or(id),
                None => self.canonical(&id)?.unwrap_or(id),
            };
            if resolved.as_str() != own && seen.insert(resolved.clone()) {
                out.push(resolved);
            }
        }
        Ok(out)
    }

    /// For marks kept under IDs that are no longer stories: the story each
    /// now names, when one does (a copy's own ID, a story's earlier ID).
    pub fn renamed(&self, ids: &[ArticleId]) -> Result<Vec<(ArticleId, ArticleId)>> {
        // A story's own ID is never an alias, so one lookup an ID will do.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT story_id FROM aliases WHERE alias = ?1")?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(now) = stmt
                .query_row([id.as_str()], |r| r.get::<_, String>(0))
                .optional()?
            {
                out.push((id.clone(), ArticleId::from_raw(now)));
            }
        }
        Ok(out)
    }

    /// For marks kept under the headline-only IDs of earlier versions: each
    /// of those IDs with every story in the store whose headline gives it.
    pub fn legacy_matches(
        &self,
        legacy: &HashSet<ArticleId>,
    ) -> Result<Vec<(ArticleId, ArticleId)>> {
        if legacy.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare("SELECT id, title FROM stories")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, title) = row?;
            let old = ArticleId::legacy(&title);
            if legacy.contains(&old) {
                out.push((old, ArticleId::from_raw(id)));
            }
        }
        Ok(out)
    }
}
