//! The store's schema. `PRAGMA user_version` holds its version.
//!
//! The store is derived from the article files, so a store of an older
//! version is not migrated table by table: its tables are dropped and the
//! current schema is created, and the next sync fills it again. Creation
//! runs in an IMMEDIATE transaction that re-reads the version inside it,
//! so any number of processes can open a new store at once: the first
//! creates it, the others wait their turn (the busy timeout) and find it
//! made.

use rusqlite::{Connection, TransactionBehavior};

/// The version this build writes.
pub const LATEST: i64 = 6;

/// The whole schema of version [`LATEST`].
const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS files (
        id        INTEGER PRIMARY KEY,
        path      TEXT NOT NULL UNIQUE,
        size      INTEGER NOT NULL,
        mtime_ns  INTEGER NOT NULL,
        format    TEXT,
        encoding  TEXT,
        status    TEXT NOT NULL,      -- ok | warn | skipped | ignored
        message   TEXT,               -- warnings or the reason for a skip, one a line
        stories   INTEGER NOT NULL DEFAULT 0
    );
    -- One copy of a story, as one file gave it.
    CREATE TABLE IF NOT EXISTS entries (
        id         INTEGER PRIMARY KEY,
        story_id   TEXT NOT NULL,     -- the story this copy folds into
        self_id    TEXT NOT NULL,     -- the ID this copy gives itself
        file_id    INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        ord        INTEGER NOT NULL,
        role       TEXT NOT NULL,     -- main | listed
        title      TEXT NOT NULL,
        title_hash INTEGER NOT NULL,  -- of the normalised headline: copies are sought among these
        source_key INTEGER NOT NULL,  -- whose boilerplate applies
        source     TEXT,
        published  INTEGER,           -- Unix seconds
        url        TEXT,
        author     TEXT,
        tags       TEXT NOT NULL,     -- JSON array
        caption    TEXT,
        credit     TEXT,
        body       BLOB NOT NULL,     -- standfirst and paragraphs, packed (store::codec)
        related    TEXT NOT NULL,     -- JSON array of story IDs listed on its page
        text_len   INTEGER NOT NULL,
        terms      BLOB NOT NULL,     -- term:count ..., packed
        units      BLOB               -- boilerplate candidates, before removal (i64 LE)
    );
    -- Each copy's MinHash signature, apart from its text: near-duplicate
    -- grouping reads every one, and a narrow table reads in a fraction of
    -- the time it takes to pass over the copies' text.
    CREATE TABLE IF NOT EXISTS sigs (
        entry INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        sig   BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS entries_story ON entries(story_id);
    CREATE INDEX IF NOT EXISTS entries_file ON entries(file_id);
    CREATE INDEX IF NOT EXISTS entries_title ON entries(title_hash);
    CREATE INDEX IF NOT EXISTS entries_source ON entries(source_key, title_hash);
    -- One story: its fullest copy.
    CREATE TABLE IF NOT EXISTS stories (
        rowid     INTEGER PRIMARY KEY,
        id        TEXT NOT NULL UNIQUE,
        entry     INTEGER NOT NULL,   -- the fullest copy, in entries (0: a headline only, for now)
        title     TEXT NOT NULL,
        source    TEXT,
        published INTEGER,
        related   TEXT NOT NULL,      -- JSON array of story IDs listed on its page
        seq       INTEGER NOT NULL DEFAULT 0,  -- the sync that last changed it
        grp       TEXT,               -- its near-duplicate group's representative
        fts_entry INTEGER,            -- the copy the full-text index holds
        stub      TEXT                -- for a headline only (entry 0): the file it came from
    );
    CREATE INDEX IF NOT EXISTS stories_stub ON stories(stub) WHERE stub IS NOT NULL;
    -- The headlines no full parse confirmed, cleared at the end of a sync
    -- without a pass over every story.
    CREATE INDEX IF NOT EXISTS stories_unconfirmed ON stories(entry) WHERE entry = 0;
    -- The stories whose full-text row is behind their fullest copy: what
    -- the full-text index catches up on, found without a pass over all.
    CREATE INDEX IF NOT EXISTS stories_unindexed ON stories(rowid) WHERE fts_entry IS NOT entry;
    CREATE INDEX IF NOT EXISTS stories_published ON stories(published);
    CREATE INDEX IF NOT EXISTS stories_seq ON stories(seq);
    CREATE INDEX IF NOT EXISTS stories_grp ON stories(grp);
    -- CJK text is indexed a character a token (see store::fulltext). The
    -- index keeps no copy of the text (entries hold it, and snippets are
    -- cut from there), nor where in a column a word is: phrases are
    -- checked in the text.
    CREATE VIRTUAL TABLE IF NOT EXISTS stories_fts USING fts5(
        title, body, content = '', contentless_delete = 1, detail = column,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    -- The dictionaries packed text is compressed with (store::codec).
    CREATE TABLE IF NOT EXISTS dict (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
    -- Other IDs of a story: its copies' own, and IDs it had before.
    CREATE TABLE IF NOT EXISTS aliases (
        alias      TEXT PRIMARY KEY,
        story_id   TEXT NOT NULL,
        title_hash INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS aliases_title ON aliases(title_hash);
    -- Boilerplate candidates: which headlines of a source hold each unit.
    CREATE TABLE IF NOT EXISTS units (
        source_key INTEGER NOT NULL,
        hash       INTEGER NOT NULL,
        title_hash INTEGER NOT NULL,
        refs       INTEGER NOT NULL,
        PRIMARY KEY (source_key, hash, title_hash)
    ) WITHOUT ROWID;
    -- The units learned as boilerplate, per source.
    CREATE TABLE IF NOT EXISTS boilerplate (
        source_key INTEGER NOT NULL,
        hash       INTEGER NOT NULL,
        PRIMARY KEY (source_key, hash)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS removed (id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS engine (key TEXT PRIMARY KEY, data BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Drops every table, index and view of an older schema.
fn drop_all(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let objects: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT type, name FROM sqlite_master
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (kind, name) in objects {
        // FTS5 shadow tables go with their virtual table.
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?1)",
            [&name],
            |r| r.get(0),
        )?;
        if exists {
            let kind = if kind == "view" { "VIEW" } else { "TABLE" };
            tx.execute_batch(&format!(
                "DROP {kind} IF EXISTS \"{}\"",
                name.replace('"', "\"\"")
            ))?;
        }
    }
    Ok(())
}

/// Brings the schema to [`LATEST`]: creates it, or replaces an older one.
/// Safe to race: the version is read again inside the write transaction.
pub fn create_or_replace(conn: &mut Connection) -> rusqlite::Result<()> {
    if user_version(conn)? == LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = user_version(&tx)?;
    if version != LATEST {
        if version != 0 {
            drop_all(&tx)?;
        }
        tx.execute_batch(SCHEMA)?;
        tx.pragma_update(None, "user_version", LATEST)?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_store_is_replaced_and_a_current_one_kept() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT);
             CREATE VIRTUAL TABLE stories_fts USING fts5(title, body);
             PRAGMA user_version = 3;",
        )
        .unwrap();
        create_or_replace(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), LATEST);
        // The new files table has the new columns.
        conn.execute(
            "INSERT INTO files (path, size, mtime_ns, encoding, status) VALUES ('a', 1, 1, 'UTF-8', 'ok')",
            [],
        )
        .unwrap();
        create_or_replace(&mut conn).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM files", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
}
