//! The local store: SQLite, derived from the article files, so it can
//! always be rebuilt. Indexing is incremental (size and mtime).

mod aliases;
mod batch;
mod codec;
mod compare;
mod engine;
mod fold;
mod fulltext;
mod groups;
mod headlines;
pub(crate) mod index;
mod learn;
mod pairs;
mod passes;
mod query;
mod report;
mod schema;
mod snippet;
mod trees;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use crate::article::StorySummary;
pub use compare::Walk;
pub use engine::PassOrder;
pub use fulltext::Snippet;
pub use headlines::{Headline, Headlines};
pub use query::TextHit;
pub use report::{Detail, FileReport, FileStatus, Progress, SyncReport};

/// Phase timings on stderr when `BYLINE_TRACE` is set, for profiling.
pub struct Trace(pub(crate) Option<std::cell::Cell<std::time::Instant>>);

impl Default for Trace {
    fn default() -> Trace {
        Trace::new()
    }
}

impl Trace {
    pub fn new() -> Trace {
        Trace(
            std::env::var_os("BYLINE_TRACE")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    pub fn mark(&self, phase: &str) {
        if let Some(start) = &self.0 {
            eprintln!(
                "byline trace: {phase}: {:.1} ms{}",
                start.get().elapsed().as_secs_f64() * 1000.0,
                resident().map_or(String::new(), |mb| format!(" (resident {mb} MB)"))
            );
            start.set(std::time::Instant::now());
        }
    }
}

/// The process's resident memory in MB, where the system tells it.
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}

/// Fills `temp.scope_out` from `temp.scope`: the stories that no file in
/// scope has. Other libraries in the store are usually small, so this set
/// is small and cheap to compute from their side, and every query tests
/// it cheaply.
fn fill_scope_out(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM temp.scope_out", [])?;
    // CROSS JOIN keeps the order: the few files out of scope, then their entries by index.
    tx.execute(
        "INSERT OR IGNORE INTO temp.scope_out (id)
         SELECT e.story_id FROM files f CROSS JOIN entries e ON e.file_id = f.id
         WHERE f.id NOT IN temp.scope",
        [],
    )?;
    tx.execute(
        "DELETE FROM temp.scope_out WHERE EXISTS (
             SELECT 1 FROM entries e WHERE e.story_id = scope_out.id AND e.file_id IN temp.scope)",
        [],
    )?;
    Ok(())
}

/// Errors from the store, written for users.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the store folder {path}: {error}")]
    CreateDir { path: String, error: std::io::Error },
    #[error(
        "the store {path} was written by a newer byline (schema {found}, this one knows {known}); \
         upgrade byline, or pass --data-dir to use another store"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    // The cause is in the message, so it is not also a `source` (which
    // would print it twice in a chain).
    #[error("store error: {0}")]
    Sql(rusqlite::Error),
    #[error("cannot write the related engine into the store: {0}")]
    EngineWrite(std::io::Error),
    #[error("no story has the ID `{0}`")]
    NotFound(String),
    #[error("the ID `{prefix}` is ambiguous: it could be {}", candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The store file's name inside the data folder.
pub const STORE_FILE: &str = "store.sqlite3";

/// An open store.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The file this connection opened, to notice another in its place.
    identity: Option<FileIdentity>,
    /// Said to the user once: the store was rebuilt, and why.
    notice: Option<String>,
    /// Whether queries are limited to the files of the last sync.
    scoped: bool,
    /// What the scope is (its roots), for caches that depend on it.
    scope_key: String,
    /// What walks of the library pass over (the `ignore` setting).
    ignore: crate::loader::Ignore,
    /// Reads the text the store keeps compressed.
    unpacker: codec::Unpacker,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // For a new store (an existing one keeps its own): a story's copy is
    // most of a kilobyte, and 4 KB pages leave a tenth of each unused.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 32 MiB of page cache a connection. (Memory-mapped reads were tried:
    // no faster here, and they count every page touched as resident.)
    conn.pragma_update(None, "cache_size", -32_768)?;
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS scope (file_id INTEGER PRIMARY KEY);
         CREATE TEMP TABLE IF NOT EXISTS scope_out (id TEXT PRIMARY KEY) WITHOUT ROWID;",
    )?;
    Ok(())
}

/// The page size of a new store, in bytes.
const PAGE_SIZE: i64 = 8192;

/// How long opening the store waits for other processes (as the busy
/// timeout does for queries).
const OPEN_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `step` again while the database is busy (some steps, such as
/// changing the journal mode, do not wait on the busy timeout), for up to
/// [`OPEN_WAIT`].
fn while_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match step() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && started.elapsed() < OPEN_WAIT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

impl Store {
    /// Opens (or creates) the store at `path`. A store that is not a
    /// readable database is deleted and rebuilt, with a notice; one from a
    /// newer byline is refused.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                error: source,
            })?;
        }
        match Self::try_open(path) {
            Ok(store) => Ok(store),
            Err(StoreError::Sql(err)) if is_corrupt(&err) => Self::rebuild(path, &err.to_string()),
            Err(other) => Err(other),
        }
    }

    /// Deletes the damaged store at `path` and opens a new, empty one; its
    /// notice says so. The next sync fills it from the article files.
    pub fn rebuild(path: &Path, why: &str) -> Result<Store> {
        for suffix in ["", "-wal", "-shm", ".headlines"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        let mut store = Self::try_open(path)?;
        store.notice = Some(format!(
            "the store {} was damaged ({why}); it has been rebuilt from the article files",
            path.display()
        ));
        Ok(store)
    }

    fn try_open(path: &Path) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        let found = user_version(&conn)?;
        if found > schema::LATEST {
            return Err(StoreError::TooNew {
                path: path.display().to_string(),
                found,
                known: schema::LATEST,
            });
        }
        // Reading the schema finds a file that is not a database at all.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        // Another process may be making the store at this moment: switching
        // to WAL and creating the schema then wait their turn.
        while_busy(|| {
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                conn.pragma_update(None, "journal_mode", "WAL")?;
            }
            Ok(())
        })?;
        while_busy(|| schema::create_or_replace(&mut conn))?;
        Ok(Store::with(conn, Some(path.to_path_buf())))
    }

    /// A store in memory, for tests and evaluations.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        schema::create_or_replace(&mut conn)?;
        Ok(Store::with(conn, None))
    }

    fn with(conn: Connection, path: Option<PathBuf>) -> Store {
        Store {
            identity: path.as_deref().and_then(file_identity),
            conn,
            path,
            notice: None,
            scoped: false,
            scope_key: String::new(),
            ignore: crate::loader::Ignore::default(),
            unpacker: codec::Unpacker::default(),
        }
    }

    /// Sets what walks of the library pass over (the `ignore` setting).
    pub fn set_ignore(&mut self, ignore: crate::loader::Ignore) {
        self.ignore = ignore;
    }

    /// Where the store lives (None in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A cheap read that fails when the file under the connection is not a
    /// database any more.
    pub fn probe(&self) -> Result<()> {
        // The file's own header first: a connection may answer from its
        // cache long after the file was truncated or written over.
        if let Some(path) = &self.path
            && !header_sound(path)
        {
            return Err(StoreError::Sql(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
                Some("the file is no longer an SQLite database".into()),
            )));
        }
        self.conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
        self.conn.query_row(
            "SELECT count(*) FROM (SELECT 1 FROM stories LIMIT 1)",
            [],
            |r| r.get::<_, i64>(0),
        )?;
        Ok(())
    }

    /// Whether the store file is no longer the one this connection opened:
    /// removed, or another file put in its place (a restore, a sync tool).
    pub fn replaced(&self) -> bool {
        match &self.path {
            Some(path) => file_identity(path) != self.identity,
            None => false,
        }
    }

    /// A message for the user about this store (it was rebuilt), once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }
}

/// Whether the file at `path` starts as a store in WAL mode does: the
/// SQLite header, and the WAL flags (a store of byline's always has them,
/// from the moment it is made). A file that is not there is not judged.
fn header_sound(path: &Path) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return true;
    };
    let mut header = [0u8; 20];
    file.read_exact(&mut header).is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && header[18] == 2
        && header[19] == 2
}

/// What tells one file from another at the same path (device and inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    device: u64,
    inode: u64,
}

#[cfg(unix)]
fn file_identity(path: &Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| FileIdentity {
        device: m.dev(),
        inode: m.ino(),
    })
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<FileIdentity> {
    // No inode: a file that is there is taken to be the same one.
    std::fs::metadata(path).ok().map(|_| FileIdentity {
        device: 0,
        inode: 0,
    })
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Sql(error)
    }
}

impl StoreError {
    /// Whether this says the store file is damaged (and should be rebuilt).
    pub fn is_corruption(&self) -> bool {
        matches!(self, StoreError::Sql(err) if is_corrupt(err))
    }

    /// Whether this says the store cannot be read as it is: damaged, or
    /// failing under the connection (an I/O error on a file changed
    /// underneath). A fresh connection, or a rebuild, is the cure.
    pub fn is_damage(&self) -> bool {
        matches!(
            self,
            StoreError::Sql(err) if is_corrupt(err)
                || err.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
        )
    }
}

fn is_corrupt(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_their_cause_once() {
        use std::error::Error;
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(5),
            Some("database is locked".into()),
        );
        let err = StoreError::from(busy);
        assert_eq!(err.to_string(), "store error: database is locked");
        assert!(err.source().is_none(), "the cause is in the message only");
        let full = std::io::Error::from_raw_os_error(28);
        let err = crate::state::StateError::Io {
            path: "state.json".into(),
            error: full,
        };
        assert!(err.source().is_none());
        assert_eq!(err.to_string().matches("No space left").count(), 1);
    }

    #[test]
    fn garbage_store_is_rebuilt_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        std::fs::write(&path, vec![b'x'; 8192]).unwrap();
        let mut store = Store::open(&path).unwrap();
        assert!(store.take_notice().unwrap().contains("rebuilt"));
        assert_eq!(user_version(&store.conn).unwrap(), schema::LATEST);
    }

    #[test]
    fn newer_schema_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = Store::open(&path).err().unwrap();
        assert!(err.to_string().contains("newer byline"), "{err}");
        let conn = Connection::open(&path).unwrap();
        assert_eq!(user_version(&conn).unwrap(), 99);
    }
}

#[cfg(test)]
mod derived_tests;
#[cfg(test)]
mod sync_tests;
#[cfg(test)]
mod trees_tests;
