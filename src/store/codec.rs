//! Text the store keeps compressed: a copy's paragraphs and its term
//! counts, as zstd frames. A story is about a kilobyte, too little for
//! zstd to find much repetition in by itself, so the first large sync of a
//! store trains a dictionary on a sample of the library's own stories and
//! keeps it in the store (table `dict`): with it the text takes a third to
//! a fifth of its size. Each frame names the dictionary it needs (none for
//! frames written before there was one), so frames of every age can be read.

use std::cell::RefCell;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension};

/// zstd's level: its default, fast to write and quick to read.
const LEVEL: i32 = 3;
/// The dictionary's size at most.
const DICT_SIZE: usize = 64 * 1024;
/// Samples the dictionary is trained on at most.
pub(super) const SAMPLES: usize = 4_000;

/// Separates paragraphs in a packed body. Stored text never holds C0
/// controls (the loader replaces them), so it cannot occur in one.
const PARAGRAPH: char = '\u{1e}';
/// Ends the standfirst, when a body has one.
const STANDFIRST: char = '\u{1d}';

/// What the parsing threads compress with: the store's dictionary, if it
/// has one. Shared by every thread.
#[derive(Default, Clone)]
pub(super) struct Packer {
    /// The dictionary's ID and bytes.
    dict: Option<(u32, Arc<Vec<u8>>)>,
}

thread_local! {
    /// Each thread's compressor, made once for the dictionary it was made
    /// with (0: none): a zstd context is costly to make for a kilobyte.
    static COMPRESSOR: RefCell<Option<(u32, zstd::bulk::Compressor<'static>)>> =
        const { RefCell::new(None) };
}

impl Packer {
    /// Compresses `text`.
    pub(super) fn pack(&self, text: &str) -> Vec<u8> {
        let id = self.dict.as_ref().map_or(0, |(id, _)| *id);
        COMPRESSOR.with_borrow_mut(|slot| {
            if slot.as_ref().is_none_or(|(made_for, _)| *made_for != id) {
                let made = match &self.dict {
                    Some((_, bytes)) => zstd::bulk::Compressor::with_dictionary(LEVEL, bytes),
                    None => zstd::bulk::Compressor::new(LEVEL),
                };
                *slot = Some((id, made.expect("a zstd context")));
            }
            let (_, compressor) = slot.as_mut().expect("made above");
            // Compressing into a growing buffer fails only for lack of memory.
            compressor
                .compress(text.as_bytes())
                .expect("zstd compresses into memory")
        })
    }

    /// A copy's standfirst and paragraphs, packed as one frame.
    pub(super) fn pack_body(&self, standfirst: Option<&str>, paragraphs: &[String]) -> Vec<u8> {
        match standfirst {
            Some(s) => self.pack(&format!("{s}{STANDFIRST}{}", joined(paragraphs))),
            None => self.pack(&joined(paragraphs)),
        }
    }

    pub(super) fn has_dictionary(&self) -> bool {
        self.dict.is_some()
    }
}

/// Paragraphs as one text, as a body is packed.
pub(super) fn joined(paragraphs: &[String]) -> String {
    let mut joined = String::with_capacity(paragraphs.iter().map(|p| p.len() + 1).sum());
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            joined.push(PARAGRAPH);
        }
        joined.push_str(p);
    }
    joined
}

/// A copy's text, unpacked.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Body {
    pub standfirst: Option<String>,
    pub paragraphs: Vec<String>,
}

impl Body {
    /// Reads the text of a packed body.
    pub(super) fn read(text: &str) -> Body {
        let (standfirst, rest) = match text.split_once(STANDFIRST) {
            Some((s, rest)) => (Some(s.to_owned()), rest),
            None => (None, text),
        };
        let paragraphs = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split(PARAGRAPH).map(str::to_owned).collect()
        };
        Body {
            standfirst,
            paragraphs,
        }
    }

    /// The standfirst and paragraphs, a line each: the text as the
    /// full-text index reads it.
    pub(super) fn lines(&self) -> String {
        let mut out = self.standfirst.clone().unwrap_or_default();
        for p in &self.paragraphs {
            out.push('\n');
            out.push_str(p);
        }
        out
    }
}

/// Reads frames back, loading the dictionaries they name from the store
/// (a dictionary another process trained is found when first needed).
/// Keeps a decompressor for each (0: none), made once.
#[derive(Default)]
pub(super) struct Unpacker {
    decompressors: RefCell<HashMap<u32, zstd::bulk::Decompressor<'static>>>,
}

impl Unpacker {
    /// The text of a frame.
    pub(super) fn unpack(&self, conn: &Connection, frame: &[u8]) -> rusqlite::Result<String> {
        let capacity = zstd::bulk::Decompressor::upper_bound(frame).unwrap_or(frame.len() * 8);
        let id = zstd::zstd_safe::get_dict_id_from_frame(frame);
        let key = id.map_or(0, NonZeroU32::get);
        let mut decompressors = self.decompressors.borrow_mut();
        let decompressor = match decompressors.entry(key) {
            std::collections::hash_map::Entry::Occupied(made) => made.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let made = match id {
                    None => zstd::bulk::Decompressor::new(),
                    Some(id) => zstd::bulk::Decompressor::with_dictionary(&dictionary(conn, id)?),
                };
                slot.insert(made.map_err(|e| damaged(e.to_string()))?)
            }
        };
        let bytes = decompressor
            .decompress(frame, capacity)
            .map_err(|e| damaged(format!("a compressed text cannot be read: {e}")))?;
        String::from_utf8(bytes).map_err(|_| damaged("a compressed text is not UTF-8".into()))
    }
}

/// The bytes of dictionary `id`.
fn dictionary(conn: &Connection, id: NonZeroU32) -> rusqlite::Result<Vec<u8>> {
    conn.prepare_cached("SELECT data FROM dict WHERE id = ?1")?
        .query_row([id.get()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| damaged(format!("compression dictionary {id} is missing")))
}

/// The store's current dictionary for writing, if it has one.
pub(super) fn packer(conn: &Connection) -> rusqlite::Result<Packer> {
    let found: Option<(u32, Vec<u8>)> = conn
        .query_row(
            "SELECT id, data FROM dict ORDER BY rowid DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(Packer {
        dict: found.map(|(id, bytes)| (id, Arc::new(bytes))),
    })
}

/// Trains a dictionary on `samples` and keeps it in the store. Does
/// nothing when zstd finds too little to learn from.
pub(super) fn train(conn: &Connection, samples: &[Vec<u8>]) -> rusqlite::Result<bool> {
    let Ok(dict) = zstd::dict::from_samples(samples, DICT_SIZE) else {
        return Ok(false);
    };
    let Some(id) = zstd::zstd_safe::get_dict_id_from_dict(&dict) else {
        return Ok(false);
    };
    conn.execute(
        "INSERT OR REPLACE INTO dict (id, data) VALUES (?1, ?2)",
        rusqlite::params![id.get(), dict],
    )?;
    Ok(true)
}

/// The error a frame that cannot be read gives: the store is damaged.
fn damaged(message: String) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
        Some(message),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE dict (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
            .unwrap();
        conn
    }

    fn sample(i: usize) -> String {
        format!(
            "The harbour board of town {i} met on Tuesday to discuss the ferry timetable. \
             Councillors said the night crossings would resume in spring, after repairs \
             to the pier number {}.",
            i * 7
        )
    }

    #[test]
    fn paragraphs_survive_packing_with_and_without_a_dictionary() {
        let conn = store();
        let unpacker = Unpacker::default();
        let paragraphs = vec![
            "First, with ünïcode.".to_owned(),
            String::new(),
            "Third".into(),
        ];
        let plain = Packer::default().pack_body(Some("Standfirst."), &paragraphs);
        let body = Body::read(&unpacker.unpack(&conn, &plain).unwrap());
        assert_eq!(body.standfirst.as_deref(), Some("Standfirst."));
        assert_eq!(body.paragraphs, paragraphs);
        assert_eq!(body.lines(), "Standfirst.\nFirst, with ünïcode.\n\nThird");

        let samples: Vec<Vec<u8>> = (0..2_000).map(|i| sample(i).into_bytes()).collect();
        assert!(train(&conn, &samples).unwrap());
        let packer = packer(&conn).unwrap();
        assert!(packer.has_dictionary());
        let with_dict = packer.pack(&sample(5_000));
        assert_eq!(unpacker.unpack(&conn, &with_dict).unwrap(), sample(5_000));
        // The dictionary earns its keep, and older frames still read.
        assert!(with_dict.len() < Packer::default().pack(&sample(5_000)).len());
        assert_eq!(
            Body::read(&unpacker.unpack(&conn, &plain).unwrap()).paragraphs,
            paragraphs
        );
        let empty = Packer::default().pack_body(None, &[]);
        assert_eq!(
            Body::read(&unpacker.unpack(&conn, &empty).unwrap()),
            Body {
                standfirst: None,
                paragraphs: Vec::new()
            }
        );
    }

    #[test]
    fn a_frame_naming_a_missing_dictionary_reads_as_damage() {
        let conn = store();
        let samples: Vec<Vec<u8>> = (0..2_000).map(|i| sample(i).into_bytes()).collect();
        assert!(train(&conn, &samples).unwrap());
        let frame = packer(&conn).unwrap().pack(&sample(1));
        conn.execute("DELETE FROM dict", []).unwrap();
        let err = Unpacker::default().unpack(&conn, &frame).unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt)
        );
        assert!(Unpacker::default().unpack(&conn, b"not zstd").is_err());
    }
}
