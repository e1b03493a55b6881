//! Reading stories back: lists, one story, ID prefixes, full-text search.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::codec::Body;
use super::fulltext::Snippet;
use super::{Result, Store, StoreError};
use crate::article::{Article, ArticleId, Groups, Role, StorySummary};

/// Per story ID: every file it came from, and the stories its page listed.
pub type FilesAndRelated = HashMap<String, (Vec<String>, Vec<ArticleId>)>;

/// A full-text hit with a snippet of its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextHit {
    #[serde(flatten)]
    pub summary: StorySummary,
    /// In JSON: `snippet` (the text) and `highlights` (character ranges).
    #[serde(flatten, serialize_with = "snippet_fields")]
    pub snippet: Snippet,
}

fn snippet_fields<S: serde::Serializer>(snippet: &Snippet, out: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = out.serialize_map(Some(2))?;
    map.serialize_entry("snippet", &snippet.text)?;
    map.serialize_entry("highlights", &snippet.char_ranges())?;
    map.end()
}

fn from_unix(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.and_then(|s| DateTime::from_timestamp(s, 0))
}

fn summary(row: &Row) -> rusqlite::Result<StorySummary> {
    summary_sharing(row, &mut Sources::default())
}

/// The sources met so far in a read of many summaries: each is made once
/// and shared (a library has a few dozen sources, and a million stories).
#[derive(Default)]
struct Sources(rustc_hash::FxHashMap<Box<str>, std::sync::Arc<str>>);

impl Sources {
    fn get(&mut self, name: &str) -> std::sync::Arc<str> {
        if let Some(shared) = self.0.get(name) {
            return shared.clone();
        }
        let shared: std::sync::Arc<str> = name.into();
        self.0.insert(name.into(), shared.clone());
        shared
    }
}

fn summary_sharing(row: &Row, sources: &mut Sources) -> rusqlite::Result<StorySummary> {
    let text =
        |name: &str| -> rusqlite::Result<Option<&str>> { Ok(row.get_ref(name)?.as_str_or_null()?) };
    Ok(StorySummary {
        id: ArticleId::from_raw(text("id")?.unwrap_or_default()),
        title: text("title")?.unwrap_or_default().into(),
        source: text("source")?.map(|s| sources.get(s)),
        published: from_unix(row.get("published")?),
    })
}

fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Store {
    /// The filter that limits a query on `s` (stories) to the current scope.
    fn scope_filter(&self) -> &'static str {
        if self.scoped {
            "s.id NOT IN temp.scope_out"
        } else {
            "1"
        }
    }

    /// Limits queries to the files under `roots` (as a sync of them would).
    pub fn scope_to_roots(&mut self, roots: &[std::path::PathBuf]) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM temp.scope", [])?;
        {
            // Every path under a root sorts between "root/" and "root0" ('0' follows '/').
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO temp.scope (file_id)
                 SELECT id FROM files WHERE path = ?1 OR (path >= ?1 || '/' AND path < ?1 || '0')",
            )?;
            for root in roots {
                let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
                insert.execute([root.to_string_lossy().trim_end_matches('/')])?;
            }
        }
        super::fill_scope_out(&tx)?;
        tx.commit()?;
        self.scoped = true;
        self.scope_key = roots
            .iter()
            .map(|r| r.to_string_lossy())
            .collect::<Vec<_>>()
            .join("\n");
        Ok(())
    }

    /// Whether `root`, or a file under it, gave any story.
    pub fn has_stories_under(&self, root: &std::path::Path) -> Result<bool> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let root = root.to_string_lossy();
        // As in `scope_to_roots`: every path under a root sorts between "root/" and "root0".
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM files
             WHERE (path = ?1 OR (path >= ?1 || '/' AND path < ?1 || '0')) AND stories > 0)",
            [root.trim_end_matches('/')],
            |r| r.get(0),
        )?)
    }

    pub(super) fn count_stories(&self) -> Result<usize> {
        let sql = format!(
            "SELECT count(*) FROM stories s WHERE {}",
            self.scope_filter()
        );
        Ok(self.conn.query_row(&sql, [], |r| r.get::<_, i64>(0))? as usize)
    }

    /// Every story in scope that the list shows, in no particular order: a
    /// plain table scan, for callers that sort or rank in memory.
    pub fn all_summaries(&self) -> Result<Vec<StorySummary>> {
        let sql = format!(
            "SELECT s.id, s.title, s.source, s.published FROM stories s
             WHERE {} AND (s.grp IS NULL OR s.grp = s.id)",
            self.scope_filter()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut sources = Sources::default();
        let rows = stmt.query_map([], |row| summary_sharing(row, &mut sources))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stories the list shows, newest first (undated last), handed to
    /// `f` one at a time until it says stop: by the date index, so that
    /// the first few of a million cost no more than of a hundred. Stories
    /// of one date come in no particular order.
    pub fn newest_first(&self, f: &mut dyn FnMut(StorySummary) -> bool) -> Result<()> {
        let sql = format!(
            "SELECT s.id, s.title, s.source, s.published FROM stories s INDEXED BY stories_published
             WHERE {} AND (s.grp IS NULL OR s.grp = s.id) ORDER BY s.published DESC",
            self.scope_filter()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut sources = Sources::default();
        while let Some(row) = rows.next()? {
            if !f(summary_sharing(row, &mut sources)?) {
                break;
            }
        }
        Ok(())
    }

    /// Near-duplicate groups: each representative's ID with the other
    /// members' IDs. A story the list shows stands for its whole group.
    pub fn groups(&self) -> Result<Groups> {
        let mut out = Groups::new();
        // By the group index: most stories are in no group.
        let mut stmt = self.conn.prepare(
            "SELECT grp, id FROM stories INDEXED BY stories_grp WHERE grp IS NOT NULL AND grp != id",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (rep, id) = row?;
            out.insert(ArticleId::from_raw(rep), ArticleId::from_raw(id));
        }
        Ok(out)
    }

    /// Every file each story in scope came from, and the stories its page
    /// listed: what `list --json` adds to a summary.
    pub fn files_and_related(&self) -> Result<FilesAndRelated> {
        let mut out = FilesAndRelated::new();
        let sql = format!(
            "SELECT s.id, s.related FROM stories s WHERE {}",
            self.scope_filter()
        );
        let aliases = self.alias_map()?;
        let mut stmt = self.conn.prepare(&sql)?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, related) = row?;
            let related = self.resolve_listed(&id, json_list(&related), Some(&aliases))?;
            out.insert(id, (Vec::new(), related));
        }
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT e.story_id, f.path FROM entries e JOIN files f ON f.id = e.file_id ORDER BY f.path",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, path) = row?;
            if let Some((files, _)) = out.get_mut(&id) {
                files.push(path);
            }
        }
        Ok(out)
    }

    /// Calls `f` with every (story, file) pair: which files each story
    /// came from. Streamed: a library's worth of paths is never held.
    pub fn for_each_story_file(&self, mut f: impl FnMut(&str, &str)) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT e.story_id, f.path FROM entries e JOIN files f ON f.id = e.file_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (id, path): (String, String) = (row.get(0)?, row.get(1)?);
            f(&id, &path);
        }
        Ok(())
    }

    /// Resolves a full ID or a unique prefix of one (at least 4 characters).
    pub fn resolve_id(&self, text: &str) -> Result<ArticleId> {
        let text = text.trim().to_ascii_lowercase();
        if !ArticleId::looks_like_id(&text) || text.len() < 4 {
            return Err(StoreError::NotFound(text));
        }
        let mut stmt = self.conn.prepare(
            "SELECT id FROM stories WHERE id >= ?1 AND id < ?1 || 'zzzzzzzzzz' ORDER BY id LIMIT 6",
        )?;
        let ids: Vec<String> = stmt
            .query_map([&text], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let ids: Vec<String> = ids.into_iter().filter(|id| id.starts_with(&text)).collect();
        match ids.as_slice() {
            // An ID the story had before, or one of its copies' own.
            [] if text.len() == crate::article::ID_LEN => self
                .canonical(&ArticleId::from_raw(text.clone()))?
                .ok_or(StoreError::NotFound(text)),
            [] => Err(StoreError::NotFound(text)),
            [one] => Ok(ArticleId::from_raw(one.clone())),
            _ if ids.contains(&text) => Ok(ArticleId::from_raw(text)),
            _ => Err(StoreError::Ambiguous {
                prefix: text,
                candidates: ids,
            }),
        }
    }

    /// A summary of one story, if the store has it.
    pub fn summary(&self, id: &ArticleId) -> Result<Option<StorySummary>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, title, source, published FROM stories WHERE id = ?1")?
            .query_row([id.as_str()], summary)
            .optional()?)
    }

    /// The whole of one story: its fullest copy, every file it came from,
    /// and the stories its page listed. An ID the story had before, or one
    /// of its copies' own, finds it too.
    pub fn story(&self, id: &ArticleId) -> Result<Option<Article>> {
        match self.story_exact(id)? {
            Some(story) => Ok(Some(story)),
            None => match self.canonical(id)? {
                Some(now) if now != *id => self.story_exact(&now),
                _ => Ok(None),
            },
        }
    }

    fn story_exact(&self, id: &ArticleId) -> Result<Option<Article>> {
        let detail = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.title, s.source, s.published, s.related, e.url, e.author, e.tags,
                        e.caption, e.credit, e.body, e.role
                 FROM stories s JOIN entries e ON e.id = s.entry WHERE s.id = ?1",
            )?
            .query_row([id.as_str()], |r| {
                let summary = summary(r)?;
                let mut story = Article::new(summary.title.into(), Role::Main);
                story.id = summary.id;
                story.source = summary.source.as_deref().map(str::to_owned);
                story.published = summary.published;
                if r.get::<_, String>("role")? != "main" {
                    story.role = Role::Listed;
                }
                story.related_on_page = json_list(&r.get::<_, String>("related")?);
                story.url = r.get("url")?;
                story.author = r.get("author")?;
                story.tags = json_list(&r.get::<_, String>("tags")?);
                story.caption = r.get("caption")?;
                story.credit = r.get("credit")?;
                let body = self
                    .unpacker
                    .unpack(&self.conn, r.get_ref("body")?.as_blob()?)?;
                let body = Body::read(&body);
                story.standfirst = body.standfirst;
                story.paragraphs = body.paragraphs;
                Ok(story)
            })
            .optional()?;
        let Some(mut detail) = detail else {
            return Ok(None);
        };
        detail.related_on_page = self.resolve_listed(
            id.as_str(),
            std::mem::take(&mut detail.related_on_page),
            None,
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT f.path FROM entries e JOIN files f ON f.id = e.file_id
             WHERE e.story_id = ?1 ORDER BY f.path",
        )?;
        detail.files = stmt
            .query_map([id.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(detail))
    }

    /// Stories that share the most distinctive words with `id`'s headline
    /// and text, by the full-text index's BM25 rank: best first, with a
    /// score between 0 and 1 relative to the best. A stand-in for the
    /// related-articles engine.
    pub fn similar_by_words(
        &self,
        id: &ArticleId,
        limit: usize,
    ) -> Result<Vec<(StorySummary, f32)>> {
        let Some(title) = self.summary(id)?.map(|s| s.title) else {
            return Ok(Vec::new());
        };
        let words: Vec<String> = crate::article::normalize_title(&title)
            .split(' ')
            .filter(|w| w.chars().count() >= 3 && !crate::terms::is_stopword(w))
            .flat_map(|w| {
                // The index holds single tokens only: a CJK word's characters.
                let split = super::fulltext::split_cjk(w);
                split
                    .split('\u{200B}')
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
            })
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT s.id, s.title, s.source, s.published, bm25(stories_fts, 3.0, 1.0) AS rank
             FROM stories_fts JOIN stories s ON s.rowid = stories_fts.rowid
             WHERE stories_fts MATCH ?1 AND s.id != ?2 AND {}
             ORDER BY rank LIMIT ?3",
            self.scope_filter()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(
            params![words.join(" OR "), id.as_str(), limit as i64],
            |r| Ok((summary(r)?, r.get::<_, f64>("rank")?)),
        )?;
        let rows: Vec<(StorySummary, f64)> = rows.collect::<rusqlite::Result<_>>()?;
        let best = rows
            .first()
            .map_or(1.0, |(_, rank)| rank.abs().max(f64::EPSILON));
        Ok(rows
            .into_iter()
            .map(|(s, rank)| (s, (rank.abs() / best).clamp(0.0, 1.0) as f32))
            .collect())
    }

    /// Every story in scope with its headline and text (standfirst and
    /// paragraphs), in ID order.
    pub fn story_texts(&self) -> Result<Vec<(ArticleId, String, String)>> {
        let sql = format!(
            "SELECT s.id, s.title, e.body FROM stories s JOIN entries e ON e.id = s.entry
             WHERE {} ORDER BY s.id",
            self.scope_filter()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            let packed = self.unpacker.unpack(&self.conn, r.get_ref(2)?.as_blob()?)?;
            let body = Body::read(&packed).lines();
            Ok((
                ArticleId::from_raw(r.get::<_, String>(0)?),
                r.get::<_, String>(1)?,
                body,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Full-text search with FTS5: every word must appear (prefixes match).
    /// Best first, with a snippet around the hits.
    pub fn search_full_text(&self, query: &str, limit: Option<usize>) -> Result<Vec<TextHit>> {
        let Some(terms) = super::fulltext::match_query(query) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT s.id, s.title, s.source, s.published, e.body
             FROM stories_fts JOIN stories s ON s.rowid = stories_fts.rowid
             JOIN entries e ON e.id = s.entry
             WHERE stories_fts MATCH ?1 AND {} AND (s.grp IS NULL OR s.grp = s.id)
             ORDER BY bm25(stories_fts, 5.0, 1.0) LIMIT ?2",
            self.scope_filter()
        );
        // Rows the text must confirm are all read, and the limit kept after.
        let sql_limit = match limit {
            Some(l) if terms.exact => l as i64,
            _ => -1,
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params![terms.fts, sql_limit])?;
        let mut hits = Vec::new();
        while let Some(r) = rows.next()? {
            if limit.is_some_and(|l| hits.len() >= l) {
                break;
            }
            let summary = summary(r)?;
            let packed = r
                .get_ref("body")?
                .as_blob()
                .map_err(rusqlite::Error::from)?;
            let mut text = Body::read(&self.unpacker.unpack(&self.conn, packed)?).lines();
            // What the index holds: a huge story costs no more than a long one.
            super::fulltext::cut_at_char(&mut text, super::fulltext::MAX_INDEXED);
            if !terms.exact
                && !super::snippet::finds_all(&format!("{}\n{text}", summary.title), query)
            {
                continue;
            }
            hits.push(TextHit {
                summary,
                snippet: super::snippet::cut(&text, query),
            });
        }
        Ok(hits)
    }
}
