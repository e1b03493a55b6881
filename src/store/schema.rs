//! The store's schema and its migrations. `PRAGMA user_version` holds the
//! version; each migration moves it up by one.

/// Migration `n` (0-based) takes the store from version `n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: files, the stories each file gave, the best copy of each story, full text.
    "
    CREATE TABLE files (
        id        INTEGER PRIMARY KEY,
        path      TEXT NOT NULL UNIQUE,
        size      INTEGER NOT NULL,
        mtime_ns  INTEGER NOT NULL,
        format    TEXT,
        status    TEXT NOT NULL,      -- ok | warn | skipped
        message   TEXT,               -- warnings or the reason for a skip, one a line
        stories   INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE entries (
        id         INTEGER PRIMARY KEY,
        story_id   TEXT NOT NULL,
        file_id    INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        ord        INTEGER NOT NULL,
        role       TEXT NOT NULL,     -- main | listed
        title      TEXT NOT NULL,
        source     TEXT,
        published  INTEGER,           -- Unix seconds
        url        TEXT,
        author     TEXT,
        tags       TEXT NOT NULL,     -- JSON array
        standfirst TEXT,
        caption    TEXT,
        credit     TEXT,
        paragraphs TEXT NOT NULL,     -- JSON array
        related    TEXT NOT NULL,     -- JSON array of story IDs
        text_len   INTEGER NOT NULL
    );
    CREATE INDEX entries_story ON entries(story_id);
    CREATE INDEX entries_file ON entries(file_id);
    CREATE TABLE stories (
        rowid     INTEGER PRIMARY KEY,
        id        TEXT NOT NULL UNIQUE,
        entry     INTEGER NOT NULL,   -- the fullest copy, in entries
        title     TEXT NOT NULL,
        source    TEXT,
        published INTEGER,
        related   TEXT NOT NULL       -- JSON array of story IDs listed on its page
    );
    CREATE INDEX stories_published ON stories(published);
    CREATE VIRTUAL TABLE stories_fts USING fts5(
        title, body, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    ",
    // 2: what the related engine and the near-duplicate finder keep.
    "
    ALTER TABLE entries ADD COLUMN terms TEXT NOT NULL DEFAULT '';   -- term:count ...
    ALTER TABLE entries ADD COLUMN sig BLOB;                         -- MinHash signature
    ALTER TABLE stories ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;   -- the sync that last changed it
    ALTER TABLE stories ADD COLUMN grp TEXT;                         -- its near-duplicate group's representative
    CREATE INDEX stories_seq ON stories(seq);
    CREATE INDEX stories_grp ON stories(grp);
    CREATE TABLE removed (id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
    CREATE TABLE engine (key TEXT PRIMARY KEY, data BLOB NOT NULL);
    UPDATE files SET size = -1;  -- read every file again, for the new columns
    ",
    // 3: the full-text index is brought up to date after the headlines, so
    // each story records which of its copies the index holds.
    "
    ALTER TABLE stories ADD COLUMN fts_entry INTEGER;
    UPDATE stories SET fts_entry = entry;
    ",
];

/// The version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;
