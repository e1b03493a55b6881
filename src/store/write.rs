//! Parsing files for the store and writing their copies of stories:
//! the parse (contained, on any thread) applies the learned boilerplate
//! and computes what the related engine, the near-duplicate finder and
//! the boilerplate learner need; the write (one thread) records it all.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::codec::Packer;
use super::report::{FileReport, FileStatus};
use crate::article::{Article, Format, Role, normalize_title};
use crate::loader::{self, Loaded, SkipReason, WalkEntry, boilerplate};
use crate::minhash;
use crate::terms;

/// The learned boilerplate: per source key, the units to remove.
pub(super) type Boilerplate = HashMap<i64, HashSet<i64>>;

/// A file's size is recorded as this when it failed to be read, so that it
/// is tried again next time (a permission fix does not change the mtime).
pub(super) const RETRY: i64 = -1;

/// What the store keeps of a story besides the story itself, computed in
/// the parsing threads.
pub(super) struct Extras {
    /// The paragraphs, packed by [`codec::Packer`].
    body: Vec<u8>,
    /// Term counts, encoded by [`terms::encode_counts`] and packed.
    terms: Vec<u8>,
    /// MinHash signature bytes, when the text is long enough.
    sig: Option<Vec<u8>>,
    /// Boilerplate candidates, from the text before any was removed.
    units: Vec<i64>,
    title_hash: i64,
    source_key: i64,
}

/// The key copies of a story are sought by: its normalised headline.
pub(super) fn title_hash(title: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(normalize_title(title).as_bytes()) as i64
}

impl Extras {
    /// Learns the story's units, removes its source's boilerplate, then
    /// computes the rest from what is left.
    fn of(article: &mut Article, learned: &Boilerplate, packer: &Packer) -> Extras {
        let units = boilerplate::units(article);
        let source_key = boilerplate::source_key(article.source.as_deref());
        if let Some(set) = learned.get(&source_key) {
            boilerplate::apply(article, set);
        }
        let body = article.body_text();
        // One pass over the words for the terms and the signature both.
        let mut shingler = minhash::Shingler::default();
        let counts = terms::term_counts_seeing(&article.title, &body, |t| shingler.push(t));
        let terms = packer.pack(&terms::encode_counts(&counts));
        let sig = shingler.finish().map(|s| minhash::to_bytes(&s));
        Extras {
            body: packer.pack_body(article.standfirst.as_deref(), &article.paragraphs),
            terms,
            sig,
            units,
            title_hash: title_hash(&article.title),
            source_key,
        }
    }
}

/// A parsed file with its stories' extras, or why it was skipped.
pub(super) type Parsed = std::result::Result<(Loaded, Vec<Extras>), SkipReason>;

pub(super) fn mtime_of(entry: &WalkEntry) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(entry.mtime_ns)
}

/// Reads and parses one file, with its stories' extras. Contained: a
/// panic anywhere in here costs this file only.
pub(super) fn parse(entry: &WalkEntry, learned: &Boilerplate, packer: &Packer) -> Parsed {
    loader::contain(|| {
        let mut loaded = loader::load_file(&entry.path, mtime_of(entry))?;
        let extras = loaded
            .articles
            .iter_mut()
            .map(|a| Extras::of(a, learned, packer))
            .collect();
        Ok((loaded, extras))
    })
}

/// What a batch of writes touched, for the steps after it.
#[derive(Default)]
pub(super) struct Touched {
    /// Headlines whose copies must be folded again.
    pub titles: HashSet<i64>,
    /// Stories whose best copy may have changed.
    pub stories: HashSet<String>,
    /// Sources whose boilerplate may have changed.
    pub sources: HashSet<i64>,
    /// Changes to the boilerplate counts: (source, unit, headline) by how much.
    pub units: HashMap<(i64, i64, i64), i64>,
    /// The units whose counts changed, by source, for learning again; None
    /// for a source with so many that learning scans all its counts.
    pub candidates: HashMap<i64, Option<HashSet<i64>>>,
    /// The units in `candidates`' sets, at most
    /// [`super::learn::CANDIDATES_AT_MOST`].
    candidate_units: usize,
}

impl Touched {
    fn count_units(&mut self, source_key: i64, title_hash: i64, units: &[i64], by: i64) {
        self.sources.insert(source_key);
        for &unit in units {
            *self
                .units
                // The counts tell headlines apart by 32 bits, as units.
                .entry((source_key, unit, title_hash as i32 as i64))
                .or_default() += by;
        }
    }

    /// Moves the count changes out (to be written), keeping which units
    /// they were as candidates.
    pub(super) fn take_units(&mut self) -> HashMap<(i64, i64, i64), i64> {
        let units = std::mem::take(&mut self.units);
        for &(source, unit, _) in units.keys() {
            self.add_candidates(source, Some([unit]));
        }
        units
    }

    /// Takes in what another batch touched, for the steps after the sync.
    pub(super) fn absorb(&mut self, other: Touched) {
        self.sources.extend(other.sources);
        for (source, set) in other.candidates {
            self.add_candidates(source, set);
        }
    }

    /// Makes `source` one whose boilerplate is learned from all its counts.
    pub(super) fn learn_all_of(&mut self, source: i64) {
        self.add_candidates(source, None::<[i64; 0]>);
    }

    /// Adds `units` to `source`'s candidates; None, or more than the sync
    /// may keep, makes the source one to scan.
    fn add_candidates(&mut self, source: i64, units: Option<impl IntoIterator<Item = i64>>) {
        let slot = self
            .candidates
            .entry(source)
            .or_insert_with(|| Some(HashSet::new()));
        let had = slot.as_ref().map_or(0, HashSet::len);
        match (slot.as_mut(), units) {
            (Some(set), Some(units)) => {
                set.extend(units);
                self.candidate_units += set.len() - had;
                if self.candidate_units > super::learn::CANDIDATES_AT_MOST {
                    self.candidate_units -= set.len();
                    *slot = None;
                }
            }
            _ => {
                self.candidate_units -= had;
                *slot = None;
            }
        }
    }
}

/// Units are 32-bit hashes (see [`boilerplate::units`]), kept in 4 bytes each.
fn encode_units(units: &[i64]) -> Vec<u8> {
    units
        .iter()
        .flat_map(|&u| (u as i32).to_le_bytes())
        .collect()
}

pub(super) fn decode_units(bytes: &[u8]) -> Vec<i64> {
    bytes
        .chunks_exact(4)
        .map(|c| i32::from_le_bytes(c.try_into().expect("4 bytes")) as i64)
        .collect()
}

/// A list the store keeps as JSON text.
pub(super) fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

pub(super) fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn insert_entry(
    tx: &Transaction,
    file_id: i64,
    ord: usize,
    a: &Article,
    extras: &Extras,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO entries (story_id, self_id, file_id, ord, role, title, title_hash, source_key,
                              source, published, url, author, tags, caption, credit,
                              body, related, text_len, terms, units)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                 ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        a.id.as_str(),
        file_id,
        ord as i64,
        if a.role == Role::Main {
            "main"
        } else {
            "listed"
        },
        a.title,
        extras.title_hash,
        extras.source_key,
        a.source,
        a.published.map(|t| t.timestamp()),
        a.url,
        a.author,
        json(&a.tags),
        a.caption,
        a.credit,
        extras.body,
        json(&a.related_on_page),
        a.text_len() as i64,
        extras.terms,
        encode_units(&extras.units),
    ])?;
    if let Some(sig) = &extras.sig {
        tx.prepare_cached("INSERT INTO sigs (entry, sig) VALUES (?1, ?2)")?
            .execute(params![tx.last_insert_rowid(), sig])?;
    }
    Ok(())
}

/// Removes a file's copies, noting what they touched.
pub(super) fn clear_file(
    tx: &Transaction,
    file_id: i64,
    touched: &mut Touched,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT story_id, title_hash, source_key, units FROM entries WHERE file_id = ?1",
    )?;
    let rows = stmt.query_map([file_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<Vec<u8>>>(3)?,
        ))
    })?;
    for row in rows {
        let (story, title, source, units) = row?;
        touched.stories.insert(story);
        touched.titles.insert(title);
        touched.count_units(source, title, &decode_units(&units.unwrap_or_default()), -1);
    }
    tx.prepare_cached("DELETE FROM entries WHERE file_id = ?1")?
        .execute([file_id])?;
    Ok(())
}

/// The file's row, written: its size (or a size that makes the next sync
/// read it again after an I/O error), time, format, status and stories.
/// Returns its ID.
fn upsert_file(
    tx: &Transaction,
    entry: &WalkEntry,
    loaded: std::result::Result<&crate::loader::Loaded, &SkipReason>,
    report: &FileReport,
) -> rusqlite::Result<i64> {
    let size = match loaded {
        Err(SkipReason::Io(_)) => RETRY,
        _ => entry.size as i64,
    };
    tx.prepare_cached(
        "INSERT INTO files (path, size, mtime_ns, format, encoding, status, message, stories)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(path) DO UPDATE SET size = ?2, mtime_ns = ?3, format = ?4,
             encoding = ?5, status = ?6, message = ?7, stories = ?8
         RETURNING id",
    )?
    .query_row(
        params![
            path_key(&entry.path),
            size,
            entry.mtime_ns,
            report.format.map(Format::as_str),
            report.encoding,
            report.status.as_str(),
            (!report.messages.is_empty()).then(|| report.messages.join("\n")),
            report.stories as i64,
        ],
        |r| r.get(0),
    )
}

/// Records one parsed (or skipped) file and its stories.
pub(super) fn write_file(
    tx: &Transaction,
    entry: &WalkEntry,
    parsed: &Parsed,
    touched: &mut Touched,
) -> rusqlite::Result<FileReport> {
    let loaded = parsed.as_ref().map(|(l, _)| l);
    let report = FileReport::of_load(&entry.path, loaded);
    let file_id = upsert_file(tx, entry, loaded, &report)?;
    // The file's headlines from a quick pass give way to its stories.
    tx.prepare_cached("DELETE FROM stories WHERE stub = ?1")?
        .execute([path_key(&entry.path)])?;
    let before = copies_of(tx, file_id)?;
    clear_file(tx, file_id, touched)?;
    if let Ok((loaded, extras)) = parsed {
        for (ord, (article, extras)) in loaded.articles.iter().zip(extras).enumerate() {
            insert_entry(tx, file_id, ord, article, extras)?;
            touched.stories.insert(article.id.as_str().to_owned());
            touched.titles.insert(extras.title_hash);
            touched.count_units(extras.source_key, extras.title_hash, &extras.units, 1);
            // The same file's story under the same headline, edited: its old
            // ID stays an alias, so marks and scripts follow the edit.
            let role = if article.role == Role::Main {
                "main"
            } else {
                "listed"
            };
            if let Some((_, _, _, old)) = before
                .iter()
                .find(|(o, r, t, _)| *o == ord as i64 && r == role && *t == extras.title_hash)
                && old != article.id.as_str()
            {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO aliases (alias, story_id, title_hash) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![old, article.id.as_str(), extras.title_hash])?;
            }
        }
    }
    Ok(report)
}

/// A file's copies as they are before it is written again: (order, role,
/// headline, own ID).
fn copies_of(tx: &Transaction, file_id: i64) -> rusqlite::Result<Vec<(i64, String, i64, String)>> {
    tx.prepare_cached("SELECT ord, role, title_hash, self_id FROM entries WHERE file_id = ?1")?
        .query_map([file_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect()
}

/// Reads a file's report back from the store, for a file the sync did not read.
pub(super) fn stored_report(
    path: &Path,
    format: Option<&str>,
    encoding: Option<String>,
    status: &str,
    message: Option<&str>,
    stories: i64,
) -> FileReport {
    FileReport {
        path: path.to_path_buf(),
        format: format.and_then(Format::parse),
        encoding,
        stories: stories as usize,
        status: FileStatus::parse(status),
        messages: message
            .iter()
            .flat_map(|m| m.lines())
            .map(str::to_owned)
            .collect(),
    }
}
