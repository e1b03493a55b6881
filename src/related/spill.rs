//! The rows of a library for the engine's build, made from the store once
//! and then read back from a scratch file.
//!
//! The projection passes over every story's TF-IDF row six times, and the
//! embeddings once more. Made from the store, each pass reads, unpacks and
//! parses every story's term counts and looks every term up again: most of
//! a build. Held in memory, the rows would cost the reader hundreds of
//! megabytes at a million stories. So the first pass writes them to a
//! scratch file as it makes them, and the later passes read that file in
//! order, from the page cache: no memory of the process's own. The file is
//! unlinked as soon as it is made (where the system allows), so nothing is
//! left behind, even by a crash. Without a scratch directory, or on any
//! error writing it, every pass is made from the store as before.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::lsa::{RowSink, Rows};
use crate::article::ArticleId;

/// Takes each row with its story's ID.
pub type IdRowSink<'a> = dyn FnMut(&ArticleId, &[(u32, f32)]) + 'a;

/// Rows made by `source` the first time, and read back after.
pub struct SpilledRows<'a> {
    len: usize,
    source: &'a dyn Fn(&mut IdRowSink<'_>),
    spill: RefCell<Spill>,
}

enum Spill {
    /// Not written yet: the next pass makes the rows and writes them.
    Unwritten(Scratch),
    /// Written, `len` rows.
    Written(Scratch),
    /// No scratch file (none asked for, or it failed): every pass is made.
    None,
    /// Reading it back failed part way through a pass.
    Broken,
}

/// The scratch file, removed when dropped if it could not be unlinked.
struct Scratch {
    file: File,
    path: Option<PathBuf>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Scratch {
    fn create(dir: &Path) -> std::io::Result<Scratch> {
        let path = dir.join(format!(".related-rows-{}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        // Unlinked now where the system allows it: the file lives as long
        // as it is open, and a crash leaves nothing.
        let path = std::fs::remove_file(&path).is_err().then_some(path);
        Ok(Scratch { file, path })
    }
}

impl<'a> SpilledRows<'a> {
    /// `len` rows, made by `source` in the same order on every call;
    /// written to a scratch file in `scratch` when there is one.
    pub fn new(
        len: usize,
        source: &'a dyn Fn(&mut IdRowSink<'_>),
        scratch: Option<&Path>,
    ) -> SpilledRows<'a> {
        let spill = scratch
            .and_then(|dir| Scratch::create(dir).ok())
            .map_or(Spill::None, Spill::Unwritten);
        SpilledRows {
            len,
            source,
            spill: RefCell::new(spill),
        }
    }

    /// Runs `pass` over the rows. Should reading the file back fail part
    /// way through it, the file is let go and `pass` runs again, its rows
    /// made from the source (`pass` starts over from nothing each time).
    pub fn whole_pass<T>(&self, mut pass: impl FnMut(&Self) -> T) -> T {
        let done = pass(self);
        if !matches!(*self.spill.borrow(), Spill::Broken) {
            return done;
        }
        *self.spill.borrow_mut() = Spill::None;
        pass(self)
    }

    /// Calls `f` with every row and its story's ID, in order.
    pub fn each_with_id(&self, f: &mut IdRowSink<'_>) {
        let spill = std::mem::replace(&mut *self.spill.borrow_mut(), Spill::None);
        let after = match spill {
            Spill::Unwritten(mut scratch) => match self.make_and_write(&mut scratch.file, f) {
                Ok(()) => Spill::Written(scratch),
                Err(_) => Spill::None,
            },
            Spill::Written(mut scratch) => match read_back(&mut scratch.file, self.len, f) {
                Ok(()) => Spill::Written(scratch),
                Err(_) => Spill::Broken,
            },
            Spill::None => {
                self.make(f);
                Spill::None
            }
            Spill::Broken => Spill::Broken,
        };
        *self.spill.borrow_mut() = after;
    }

    /// The rows from `source`, at most `len` of them (every pass reads the
    /// same snapshot; any beyond the first count are let be).
    fn make(&self, f: &mut IdRowSink<'_>) {
        let mut r = 0;
        (self.source)(&mut |id, row| {
            if r < self.len {
                f(id, row);
            }
            r += 1;
        });
    }

    /// [`SpilledRows::make`], writing each row to `file` too. On a write
    /// error the pass still gives every row, and the error is returned.
    fn make_and_write(&self, file: &mut File, f: &mut IdRowSink<'_>) -> std::io::Result<()> {
        let mut out = Some(BufWriter::with_capacity(1 << 20, &mut *file));
        let mut failed = None;
        let mut buf = Vec::new();
        self.make(&mut |id, row| {
            if let Some(w) = out.as_mut() {
                buf.clear();
                encode(id, row, &mut buf);
                if let Err(e) = w.write_all(&buf) {
                    failed = Some(e);
                    out = None;
                }
            }
            f(id, row);
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if let Some(w) = out {
            w.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(())
    }
}

impl Rows for SpilledRows<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn each(&self, f: &mut RowSink<'_>) {
        let mut r = 0;
        self.each_with_id(&mut |_, row| {
            f(r, row);
            r += 1;
        });
    }
}

/// A row as written: the ID's length and bytes, the row's length, then
/// each entry's term as the gap from the one before and its weight, all
/// exact (LEB128 integers, f32 little-endian).
fn encode(id: &ArticleId, row: &[(u32, f32)], out: &mut Vec<u8>) {
    put_varint(out, id.as_str().len() as u64);
    out.extend_from_slice(id.as_str().as_bytes());
    put_varint(out, row.len() as u64);
    let mut prev = 0u32;
    for &(t, w) in row {
        put_varint(out, u64::from(t.wrapping_sub(prev)));
        out.extend_from_slice(&w.to_le_bytes());
        prev = t;
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(r: &mut impl Read) -> std::io::Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let mut b = [0u8];
        r.read_exact(&mut b)?;
        v |= u64::from(b[0] & 0x7f) << shift;
        if b[0] < 0x80 {
            return Ok(v);
        }
    }
    Err(std::io::Error::other("a number too long in the rows file"))
}

/// Reads `len` rows back from the start of `file`.
fn read_back(file: &mut File, len: usize, f: &mut IdRowSink<'_>) -> std::io::Result<()> {
    file.rewind()?;
    let mut input = BufReader::with_capacity(1 << 20, &mut *file);
    let mut id = Vec::new();
    let mut row: Vec<(u32, f32)> = Vec::new();
    for _ in 0..len {
        id.resize(get_varint(&mut input)? as usize, 0);
        input.read_exact(&mut id)?;
        let id = String::from_utf8(std::mem::take(&mut id))
            .map_err(|_| std::io::Error::other("an ID not UTF-8 in the rows file"))?;
        let n = get_varint(&mut input)? as usize;
        row.clear();
        let mut t = 0u32;
        for _ in 0..n {
            t = t.wrapping_add(get_varint(&mut input)? as u32);
            let mut w = [0u8; 4];
            input.read_exact(&mut w)?;
            row.push((t, f32::from_le_bytes(w)));
        }
        let id = ArticleId::from_raw(id);
        f(&id, &row);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Vec<(ArticleId, Vec<(u32, f32)>)> {
        (0..500u32)
            .map(|i| {
                let row = (0..(i % 37))
                    .map(|k| (k * 131 + i * 7 + (k * k) % 1000, 1.0 / (1.0 + k as f32)))
                    .collect();
                (ArticleId::from_raw(format!("story{i}")), row)
            })
            .collect()
    }

    /// What one pass gave: each story's ID and row.
    type Pass = Vec<(String, Vec<(u32, f32)>)>;

    fn passes(rows: &SpilledRows<'_>, n: usize) -> Vec<Pass> {
        (0..n)
            .map(|_| {
                let mut seen = Vec::new();
                rows.each_with_id(&mut |id, row| seen.push((id.as_str().to_owned(), row.to_vec())));
                seen
            })
            .collect()
    }

    /// A source of `docs` that counts its calls in `calls`.
    fn counted_source<'a>(
        docs: &'a [(ArticleId, Vec<(u32, f32)>)],
        calls: &'a std::cell::Cell<usize>,
    ) -> impl Fn(&mut IdRowSink<'_>) + 'a {
        move |f| {
            calls.set(calls.get() + 1);
            for (id, row) in docs {
                f(id, row);
            }
        }
    }

    #[test]
    fn every_pass_gives_the_rows_the_source_made_exactly_and_the_source_runs_once() {
        let docs = library();
        let calls = std::cell::Cell::new(0);
        let source = counted_source(&docs, &calls);
        let dir = tempfile::tempdir().unwrap();
        let rows = SpilledRows::new(docs.len(), &source, Some(dir.path()));
        let want: Pass = docs
            .iter()
            .map(|(id, row)| (id.as_str().to_owned(), row.clone()))
            .collect();
        for pass in passes(&rows, 4) {
            assert_eq!(pass, want);
        }
        assert_eq!(calls.get(), 1, "later passes read the file back");
        // Nothing is left in the directory, even while the file is open.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn without_a_scratch_directory_every_pass_is_made() {
        let docs = library();
        let calls = std::cell::Cell::new(0);
        let source = counted_source(&docs, &calls);
        let rows = SpilledRows::new(docs.len() - 1, &source, None);
        let got = passes(&rows, 3);
        assert_eq!(calls.get(), 3);
        assert!(got.iter().all(|p| p.len() == docs.len() - 1));
    }
}
