//! The full-text index (SQLite FTS5).
//!
//! FTS5's `unicode61` tokenizer splits words at spaces and punctuation, so
//! a run of Chinese or Japanese would be one word and `洪水` would never be
//! found inside `深圳发生洪水`. byline puts a zero-width space between CJK
//! characters (and between a CJK character and a letter next to it) in
//! what it indexes, so each is a token, and turns a CJK query into a
//! phrase of its characters: any substring of CJK text is found, and words
//! of other scripts keep whole-word (and prefix) search.

use std::borrow::Cow;

use rusqlite::{Connection, params};

use super::codec::{Body, Unpacker};
use crate::tokens::is_cjk;

/// The separator put between CJK characters: a format character that
/// `unicode61` splits at and that shows as nothing.
const SPLIT: char = '\u{200B}';

/// `text` with a [`SPLIT`] between each CJK character and a letter or
/// digit next to it.
pub(super) fn split_cjk(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_cjk) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev
            && p.is_alphanumeric()
            && c.is_alphanumeric()
            && (is_cjk(p) || is_cjk(c))
        {
            out.push(SPLIT);
        }
        out.push(c);
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// A passage of a story around the words a full-text search matched: the
/// text, and where in it the matches are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that matched, in order, not overlapping.
    pub hits: Vec<std::ops::Range<usize>>,
}

impl Snippet {
    /// The snippet in consecutive parts, each with whether it matched.
    pub fn parts(&self) -> Vec<(&str, bool)> {
        let mut parts = Vec::with_capacity(self.hits.len() * 2 + 1);
        let mut at = 0;
        for hit in &self.hits {
            if hit.start > at {
                parts.push((&self.text[at..hit.start], false));
            }
            parts.push((&self.text[hit.clone()], true));
            at = hit.end;
        }
        if at < self.text.len() || parts.is_empty() {
            parts.push((&self.text[at..], false));
        }
        parts
    }

    /// The matched words, in order.
    pub fn matched(&self) -> Vec<&str> {
        self.hits.iter().map(|h| &self.text[h.clone()]).collect()
    }

    /// The snippet as plain text with each match in brackets, for a terminal
    /// without colour.
    pub fn bracketed(&self) -> String {
        self.parts()
            .into_iter()
            .map(|(part, hit)| {
                if hit {
                    format!("[{part}]")
                } else {
                    part.to_owned()
                }
            })
            .collect()
    }

    /// The matches as character (not byte) offsets, for JSON.
    pub fn char_ranges(&self) -> Vec<[usize; 2]> {
        let chars_before = |byte: usize| self.text[..byte].chars().count();
        self.hits
            .iter()
            .map(|h| [chars_before(h.start), chars_before(h.end)])
            .collect()
    }
}

/// The FTS5 query for what the user typed: every word must appear, the
/// last characters of each as a prefix. The index keeps which column a
/// word is in but not where (`detail=column`, half the size), so it cannot
/// match phrases: a word that is several tokens (a CJK word, a character
/// a token) asks for each of them, and the hits must then be checked for
/// the run in the text ([`MatchQuery::exact`] is false).
pub(super) fn match_query(query: &str) -> Option<MatchQuery> {
    let mut exact = true;
    let terms: Vec<String> = query
        .split_whitespace()
        .filter_map(|w| {
            let split = split_cjk(w);
            let tokens: Vec<&str> = split
                .split(|c: char| c == SPLIT || !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .collect();
            if tokens.len() > 1 {
                exact = false;
            }
            let (last, head) = tokens.split_last()?;
            let mut parts: Vec<String> = head.iter().map(|t| format!("\"{t}\"")).collect();
            parts.push(format!("\"{last}\"*"));
            Some(parts.join(" "))
        })
        .collect();
    (!terms.is_empty()).then(|| MatchQuery {
        fts: terms.join(" "),
        exact,
    })
}

/// A query for the full-text index.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct MatchQuery {
    /// What FTS5 is asked.
    pub fts: String,
    /// Whether every row FTS5 finds matches; when false, a row matches
    /// only when every word of the query is found in its text as well.
    pub exact: bool,
}

/// How much of a story's text the full-text index holds: longer than any
/// news story, and short enough that a snippet of a file that is one huge
/// paragraph costs no more than a normal one (FTS5's snippets grow faster
/// than the text).
pub(super) const MAX_INDEXED: usize = 128 * 1024;

/// Cuts `text` to at most `max` bytes, at a character boundary.
pub(super) fn cut_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut at = max;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
}

/// Stories whose full-text row is written in one transaction.
const FTS_BATCH: usize = 5_000;

/// A row deleted from the contentless index costs about six inserts (a
/// re-read of a 1M library: 203 s to replace every row, 28 s to write
/// them into an empty index). When at least this share of the stories'
/// rows is stale, the index is emptied and written again.
const REBUILD_FROM: (i64, i64) = (1, 7);

/// Empties the full-text index when so many of its rows are stale that
/// writing every row again costs less than replacing those (after a new
/// loader re-reads the whole library). Every story is then indexed anew.
/// The share is of all stories, indexed or not.
pub(super) fn start_again_if_mostly_stale(conn: &mut Connection) -> rusqlite::Result<bool> {
    // The stale rows by their partial index; the stories by the count of
    // a table, without a pass over it (unindexed stories count too: few).
    let (stale, all): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM stories WHERE fts_entry IS NOT entry AND fts_entry IS NOT NULL),
                (SELECT count(*) FROM stories)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (share, of) = REBUILD_FROM;
    if stale == 0 || stale * of < all * share {
        return Ok(false);
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO stories_fts (stories_fts) VALUES ('delete-all')",
        [],
    )?;
    tx.execute(
        "UPDATE stories SET fts_entry = NULL WHERE fts_entry IS NOT NULL",
        [],
    )?;
    tx.commit()?;
    Ok(true)
}

/// Brings the full-text index up to date: every story whose indexed copy
/// is not its current best copy is indexed again. Runs after the headlines
/// are in, and picks up where an interrupted run stopped.
pub(super) fn catch_up(conn: &mut Connection) -> rusqlite::Result<usize> {
    /// A story whose full-text row is out of date.
    struct Stale {
        rowid: i64,
        indexed: bool,
        title: String,
        body: Vec<u8>,
    }
    start_again_if_mostly_stale(conn)?;
    let unpacker = Unpacker::default();
    let mut done = 0;
    let mut after = i64::MIN;
    loop {
        // A batch at a time, so a large first index never holds every text in memory.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let batch: Vec<Stale> = {
            let mut stmt = tx.prepare_cached(
                "SELECT s.rowid, s.fts_entry IS NOT NULL, s.title, e.body
                 FROM stories s JOIN entries e ON e.id = s.entry
                 WHERE s.fts_entry IS NOT s.entry AND s.rowid > ?1 ORDER BY s.rowid LIMIT ?2",
            )?;
            stmt.query_map(params![after, FTS_BATCH as i64], |r| {
                Ok(Stale {
                    rowid: r.get(0)?,
                    indexed: r.get(1)?,
                    title: r.get(2)?,
                    body: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let Some(last) = batch.last() else { break };
        after = last.rowid;
        for story in &batch {
            if story.indexed {
                tx.prepare_cached("DELETE FROM stories_fts WHERE rowid = ?1")?
                    .execute([story.rowid])?;
            }
            let mut body = Body::read(&unpacker.unpack(&tx, &story.body)?).lines();
            cut_at_char(&mut body, MAX_INDEXED);
            tx.prepare_cached("INSERT INTO stories_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
                .execute(params![
                    story.rowid,
                    split_cjk(&story.title),
                    split_cjk(&body)
                ])?;
            tx.prepare_cached("UPDATE stories SET fts_entry = entry WHERE rowid = ?1")?
                .execute([story.rowid])?;
        }
        tx.commit()?;
        done += batch.len();
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_carry_their_matches_as_ranges_not_markup() {
        let snippet =
            super::super::snippet::cut("a [bracketed] crust of\nbread 洪水", "crust 洪水");
        assert_eq!(snippet.text, "a [bracketed] crust of bread 洪水");
        assert_eq!(snippet.matched(), ["crust", "洪水"]);
        assert_eq!(snippet.bracketed(), "a [bracketed] [crust] of bread [洪水]");
        assert_eq!(snippet.char_ranges(), [[14, 19], [29, 31]]);
        assert_eq!(
            snippet.parts(),
            [
                ("a [bracketed] ", false),
                ("crust", true),
                (" of bread ", false),
                ("洪水", true)
            ]
        );
        assert_eq!(Snippet::default().parts(), [("", false)]);
    }

    #[test]
    fn cjk_is_split_a_character_a_token_and_queries_become_phrases() {
        assert_eq!(split_cjk("plain words"), "plain words");
        assert_eq!(
            split_cjk("深圳发生洪水 in 2026年"),
            "深\u{200B}圳\u{200B}发\u{200B}生\u{200B}洪\u{200B}水 in 2026\u{200B}年"
        );
        let q = match_query("洪水 rain").unwrap();
        assert_eq!(q.fts, "\"洪\" \"水\"* \"rain\"*");
        assert!(!q.exact);
        assert!(match_query("rain zürich").unwrap().exact);
        assert_eq!(match_query("  "), None);
        assert_eq!(match_query("--"), None);
    }

    #[test]
    fn a_cjk_word_is_found_inside_a_longer_run() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(body, content = '', contentless_delete = 1,
                 detail = column, tokenize = 'unicode61 remove_diacritics 2')",
        )
        .unwrap();
        for (row, text) in ["深圳发生洪水，居民撤离。", "东京下雨", "Floods in Zürich"]
            .into_iter()
            .enumerate()
        {
            conn.execute(
                "INSERT INTO t (rowid, body) VALUES (?1, ?2)",
                rusqlite::params![row as i64 + 1, split_cjk(text)],
            )
            .unwrap();
        }
        // What the index finds, then checked for runs in the text.
        let count = |q: &str| -> usize {
            let query = match_query(q).unwrap();
            let mut stmt = conn
                .prepare("SELECT rowid FROM t WHERE t MATCH ?1")
                .unwrap();
            let rows: Vec<i64> = stmt
                .query_map([&query.fts], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let texts = ["深圳发生洪水，居民撤离。", "东京下雨", "Floods in Zürich"];
            rows.iter()
                .filter(|&&row| {
                    query.exact || super::super::snippet::finds_all(texts[row as usize - 1], q)
                })
                .count()
        };
        assert_eq!(count("洪水"), 1);
        assert_eq!(count("发生洪"), 1);
        assert_eq!(count("水洪"), 0);
        assert_eq!(count("zurich"), 1);
        assert_eq!(count("東京"), 0);
    }
}
