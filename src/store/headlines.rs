//! The headline list, kept in a file next to the store so that the finder
//! and `byline search` read 100,000 headlines in a few milliseconds, and
//! rank them without making a String of each. The file records which store,
//! sync (sequence number) and scope it was made from, and is made again
//! when any of them differs.

use std::path::PathBuf;

use chrono::DateTime;
use rusqlite::OptionalExtension;

use super::{Result, Store, StorySummary};
use crate::article::ArticleId;

/// The file's first bytes: its name and layout version.
const MAGIC: &[u8; 8] = b"BYLHED01";

/// Which store, sync and scope a headline file was made from.
struct Stamp {
    store: String,
    seq: i64,
    scope: String,
}

/// The headline list: the stories' fixed-size records and all their text.
pub struct Headlines {
    records: Vec<u8>,
    text: String,
    /// The sync and scope it was made from.
    seq: i64,
    scope: String,
}

/// One story of the list, borrowed from [`Headlines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headline<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source: Option<&'a str>,
    /// Unix seconds.
    pub published: Option<i64>,
}

impl Headline<'_> {
    pub fn to_summary(&self) -> StorySummary {
        StorySummary {
            id: ArticleId::from_raw(self.id),
            title: self.title.into(),
            source: self.source.map(Into::into),
            published: self.published.and_then(|s| DateTime::from_timestamp(s, 0)),
        }
    }
}

impl Headlines {
    /// Every story in the list, newest first, then by ID.
    pub fn list(&self) -> Vec<Headline<'_>> {
        read_records(&self.records, &self.text).unwrap_or_default()
    }

    /// Whether this is still what `store` would give.
    pub fn is_current(&self, store: &Store) -> bool {
        store.seq().is_ok_and(|s| s == self.seq) && store.scope() == self.scope
    }
}

impl Store {
    /// Every story in scope that the list shows (one a near-duplicate
    /// group), newest first, then by ID.
    pub fn headlines(&self) -> Result<Headlines> {
        let stamp = self.stamp()?;
        let path = self.path().map(headline_path);
        if let Some(found) = path.as_deref().and_then(|p| read_file(p, &stamp)) {
            return Ok(found);
        }
        let mut stories = self.all_summaries()?;
        stories
            .sort_unstable_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
        let data = encode(&stories, &stamp);
        if let Some(path) = &path {
            // Only a cache: a data folder that cannot take it loses nothing.
            let _ = crate::atomic::write(path, &data);
        }
        let (records, text) = split(&data).unwrap_or_default();
        Ok(Headlines {
            records: records.to_vec(),
            text: text.to_owned(),
            seq: stamp.seq,
            scope: stamp.scope,
        })
    }

    /// The headlines a sync of `roots` will give if it finds them as the
    /// last sync left them, when they are at hand. Nothing is written, so
    /// this may run while the walk that will tell is under way.
    pub fn headlines_before_sync(&self, roots: &[PathBuf]) -> Result<Option<Headlines>> {
        if !self.last_synced(roots)? {
            return Ok(None);
        }
        let mut stamp = self.stamp()?;
        stamp.scope.clear();
        Ok(self
            .path()
            .and_then(|p| read_file(&headline_path(p), &stamp)))
    }

    fn scope(&self) -> &str {
        if self.scoped { &self.scope_key } else { "" }
    }

    fn stamp(&self) -> Result<Stamp> {
        let read = || -> Result<Option<String>> {
            Ok(self
                .conn
                .query_row("SELECT value FROM meta WHERE key = 'store_id'", [], |r| {
                    r.get(0)
                })
                .optional()?)
        };
        let store = match read()? {
            Some(id) => id,
            None => {
                let seed = format!("{:?} {}", std::time::SystemTime::now(), std::process::id());
                let id = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(seed.as_bytes()));
                self.conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('store_id', ?1)",
                    [id],
                )?;
                read()?.unwrap_or_default()
            }
        };
        Ok(Stamp {
            store,
            seq: self.seq()?,
            scope: self.scope().to_owned(),
        })
    }
}

/// The headline file of the store at `store`.
pub(super) fn headline_path(store: &std::path::Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".headlines");
    PathBuf::from(name)
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// No source, in a record's source length.
const NONE: u32 = u32::MAX;
/// A record: offset and length of the ID, title and source, and the date.
const RECORD: usize = 3 * 8 + 8;

/// The file: its magic, the stamp's length and the stamp, the number of
/// stories, a fixed-size record each, and then all their text, which is
/// checked as UTF-8 once rather than a string at a time.
fn encode(stories: &[StorySummary], stamp: &Stamp) -> Vec<u8> {
    let mut head = Vec::new();
    put_str(&mut head, &stamp.store);
    head.extend_from_slice(&stamp.seq.to_le_bytes());
    put_str(&mut head, &stamp.scope);
    let mut out = Vec::with_capacity(stories.len() * (RECORD + 100) + head.len() + 16);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&(stories.len() as u32).to_le_bytes());
    let mut text = String::with_capacity(stories.iter().map(|s| s.title.len() + 20).sum());
    let mut span = |out: &mut Vec<u8>, s: Option<&str>| {
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
        let len = s.map_or(NONE, |s| s.len() as u32);
        out.extend_from_slice(&len.to_le_bytes());
        text.push_str(s.unwrap_or_default());
    };
    for s in stories {
        span(&mut out, Some(s.id.as_str()));
        span(&mut out, Some(&s.title));
        span(&mut out, s.source.as_deref());
        let published = s.published.map_or(i64::MIN, |p| p.timestamp());
        out.extend_from_slice(&published.to_le_bytes());
    }
    out.extend_from_slice(text.as_bytes());
    out
}

fn stamp_of(head: &[u8]) -> Option<Stamp> {
    let mut r = Reader(head);
    let stamp = Stamp {
        store: r.str()?.to_owned(),
        seq: r.i64()?,
        scope: r.str()?.to_owned(),
    };
    r.0.is_empty().then_some(stamp)
}

/// A whole file's records and text, if it is one.
fn split(data: &[u8]) -> Option<(&[u8], &str)> {
    let mut r = Reader(data);
    if r.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let head = r.u32()? as usize;
    r.take(head)?;
    let count = r.u32()? as usize;
    let records = r.take(count.checked_mul(RECORD)?)?;
    Some((records, std::str::from_utf8(r.0).ok()?))
}

/// Reads the file at `path` when it was made for `stamp` and is whole.
/// The text is read straight into a String, checked once.
fn read_file(path: &std::path::Path, stamp: &Stamp) -> Option<Headlines> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    // No length read from the file may ask for more than the file holds.
    let size = file.metadata().ok()?.len() as usize;
    let mut file = std::io::BufReader::with_capacity(1 << 16, file);
    let mut word = [0u8; 4];
    let mut magic = [0u8; 8];
    file.read_exact(&mut magic).ok()?;
    file.read_exact(&mut word).ok()?;
    let mut head = vec![0u8; (u32::from_le_bytes(word) as usize).min(size)];
    file.read_exact(&mut head).ok()?;
    let found = stamp_of(&head)?;
    if &magic != MAGIC
        || found.store != stamp.store
        || found.seq != stamp.seq
        || found.scope != stamp.scope
    {
        return None;
    }
    file.read_exact(&mut word).ok()?;
    let records_len = (u32::from_le_bytes(word) as usize).checked_mul(RECORD)?;
    if records_len > size {
        return None;
    }
    let mut records = vec![0u8; records_len];
    file.read_exact(&mut records).ok()?;
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    records
        .chunks_exact(RECORD)
        .all(|rec| read_record(rec, &text).is_some())
        .then_some(())?;
    Some(Headlines {
        records,
        text,
        seq: found.seq,
        scope: found.scope,
    })
}

/// The stories, or None when a record points outside the text.
fn read_records<'a>(records: &[u8], text: &'a str) -> Option<Vec<Headline<'a>>> {
    records
        .chunks_exact(RECORD)
        .map(|rec| read_record(rec, text))
        .collect()
}

fn read_record<'a>(rec: &[u8], text: &'a str) -> Option<Headline<'a>> {
    let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let span = |at: &[u8]| -> Option<Option<&'a str>> {
        let start = word(&at[..4]);
        match word(&at[4..8]) {
            len if len == NONE as usize => Some(None),
            len => text.get(start..start.checked_add(len)?).map(Some),
        }
    };
    Some(Headline {
        id: span(&rec[0..8])??,
        title: span(&rec[8..16])??,
        source: span(&rec[16..24])?,
        published: match i64::from_le_bytes(rec[24..32].try_into().ok()?) {
            i64::MIN => None,
            secs => Some(secs),
        },
    })
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(id: &str, title: &str, source: Option<&str>, published: Option<i64>) -> StorySummary {
        StorySummary {
            id: ArticleId::from_raw(id),
            title: title.into(),
            source: source.map(Into::into),
            published: published.and_then(|s| DateTime::from_timestamp(s, 0)),
        }
    }

    #[test]
    fn a_file_reads_back_only_for_its_own_store_sync_and_scope() {
        let stories = vec![
            story(
                "aaaaaaaaaa",
                "Ünïcode — 中文 headline",
                Some("Wire"),
                Some(1_700_000_000),
            ),
            story("bbbbbbbbbb", "", None, None),
        ];
        let stamp = |store: &str, seq, scope: &str| Stamp {
            store: store.into(),
            seq,
            scope: scope.into(),
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h");
        std::fs::write(&path, encode(&stories, &stamp("s1", 7, "/lib"))).unwrap();
        let found = read_file(&path, &stamp("s1", 7, "/lib")).unwrap();
        let back: Vec<StorySummary> = found.list().iter().map(Headline::to_summary).collect();
        assert_eq!(back, stories);
        assert!(read_file(&path, &stamp("s2", 7, "/lib")).is_none());
        assert!(read_file(&path, &stamp("s1", 8, "/lib")).is_none());
        assert!(read_file(&path, &stamp("s1", 7, "")).is_none());
        let data = std::fs::read(&path).unwrap();
        std::fs::write(&path, &data[..data.len() - 1]).unwrap();
        assert!(
            read_file(&path, &stamp("s1", 7, "/lib")).is_none(),
            "cut short"
        );
        std::fs::write(&path, b"junk").unwrap();
        assert!(read_file(&path, &stamp("s1", 7, "/lib")).is_none());
    }

    #[test]
    fn the_store_makes_the_file_once_and_remakes_it_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib");
        std::fs::create_dir(&lib).unwrap();
        std::fs::write(lib.join("a.txt"), "First headline\n\nBody text here.\n").unwrap();
        let mut store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
        store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
        let titles = |store: &Store| -> Vec<String> {
            let h = store.headlines().unwrap();
            h.list().iter().map(|s| s.title.to_owned()).collect()
        };
        assert_eq!(titles(&store), ["First headline"]);
        let file = headline_path(store.path().unwrap());
        let made = std::fs::metadata(&file).unwrap().modified().unwrap();
        assert_eq!(titles(&store), ["First headline"]);
        assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), made);
        std::fs::write(lib.join("b.txt"), "Second headline\n\nMore text.\n").unwrap();
        store.sync(std::slice::from_ref(&lib), |_| {}).unwrap();
        let mut now = titles(&store);
        now.sort();
        assert_eq!(now, ["First headline", "Second headline"]);
        // A damaged file is made again, not believed.
        std::fs::write(&file, b"BYLHED01garbage").unwrap();
        assert_eq!(titles(&store).len(), 2);
    }
}
