//! The related engine as bytes, for the store: what [`Engine::to_bytes`]
//! writes, [`Engine::from_bytes`] reads back (or refuses).

use std::io::{Read, Write};

use super::lsa::Dense;
use super::{Engine, latent_weight};
use crate::article::ArticleId;

const MAGIC: &[u8; 8] = b"BYLREL03";

/// Reads little-endian values from a stream (the store's blob, read a
/// page at a time, or bytes in memory). Every size it is told is checked
/// against what is there: a damaged length fails, it does not allocate.
struct Reader<R>(R);

/// Values converted a chunk at a time, so that no copy of a whole part is held.
const CHUNK: usize = 64 << 10;

impl<R: Read> Reader<R> {
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let mut out = [0; N];
        self.0.read_exact(&mut out).ok()?;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    fn f32(&mut self) -> Option<f32> {
        self.array().map(f32::from_le_bytes)
    }

    /// `n` values of `N` bytes each, converted by `from`.
    fn values<const N: usize, T>(&mut self, n: usize, from: fn([u8; N]) -> T) -> Option<Vec<T>> {
        let mut out = Vec::new();
        let mut buf = vec![0; CHUNK - CHUNK % N];
        let mut left = n.checked_mul(N)?;
        while left > 0 {
            let part = &mut buf[..left.min(CHUNK - CHUNK % N)];
            self.0.read_exact(part).ok()?;
            out.extend(
                part.chunks_exact(N)
                    .map(|c| from(c.try_into().expect("N bytes"))),
            );
            left -= part.len();
        }
        Some(out)
    }

    /// The terms and their IDF weights.
    fn vocabulary(&mut self) -> Option<(Vec<String>, Vec<f32>)> {
        let nterms = self.u64()? as usize;
        let mut vocab = Vec::with_capacity(nterms.min(1 << 20));
        let mut idf = Vec::with_capacity(nterms.min(1 << 20));
        for _ in 0..nterms {
            vocab.push(self.string()?);
            idf.push(self.f32()?);
        }
        Some((vocab, idf))
    }

    /// One story's TF-IDF row: (term, weight) pairs, every term below `nterms`.
    fn row(&mut self, nterms: usize) -> Option<Vec<(u32, f32)>> {
        let len = self.u32()? as usize;
        let mut row = Vec::with_capacity(len.min(1 << 12));
        for _ in 0..len {
            let t = self.u32()?;
            let w = self.f32()?;
            if t as usize >= nterms {
                return None;
            }
            row.push((t, w));
        }
        Some(row)
    }

    fn string(&mut self) -> Option<String> {
        let len = self.u64()?;
        let mut bytes = Vec::new();
        (&mut self.0).take(len).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 != len {
            return None;
        }
        String::from_utf8(bytes).ok()
    }
}

/// Counts what is written, for the size of the store's blob.
#[derive(Default)]
struct Counter(usize);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the end of a saved engine says: the stories at its build, the
/// changes folded in since, and the store sequence number it has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedCounts {
    pub built: usize,
    pub changes: usize,
    pub seq: i64,
}

/// The bytes at the start and the end of a saved engine that
/// [`SavedCounts::read`] reads.
pub const HEAD: usize = MAGIC.len();
pub const TAIL: usize = 24;

impl SavedCounts {
    /// Reads the counts from a saved engine's first 8 bytes and last
    /// [`TAIL`] (it need not be read whole); None if it is not one.
    pub fn read(head: &[u8], tail: &[u8]) -> Option<SavedCounts> {
        if head != MAGIC || tail.len() != TAIL {
            return None;
        }
        let mut r = Reader(tail);
        Some(SavedCounts {
            built: r.u64()? as usize,
            changes: r.u64()? as usize,
            seq: r.u64()? as i64,
        })
    }

    /// Whether `more` changes would make the saved engine stale.
    pub fn would_be_stale(&self, more: usize) -> bool {
        super::stale(self.built, self.changes + more)
    }
}

impl Engine {
    /// The engine as bytes (what [`Engine::write_to`] writes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out).expect("a Vec takes every write");
        out
    }

    /// How many bytes [`Engine::write_to`] writes.
    pub fn byte_len(&self) -> usize {
        let mut counter = Counter::default();
        self.write_to(&mut counter)
            .expect("a count takes every write");
        counter.0
    }

    /// Writes the engine for the store, a value at a time (buffer `out`).
    pub fn write_to(&self, out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        out.write_all(MAGIC)?;
        fn put<W: Write + ?Sized>(out: &mut W, n: u64) -> std::io::Result<()> {
            out.write_all(&n.to_le_bytes())
        }
        put(out, self.dims() as u64)?;
        put(out, self.vocab.len() as u64)?;
        for (term, idf) in self.vocab.iter().zip(&self.idf) {
            put(out, term.len() as u64)?;
            out.write_all(term.as_bytes())?;
            out.write_all(&idf.to_le_bytes())?;
        }
        for x in &self.projection.data {
            out.write_all(&x.to_le_bytes())?;
        }
        let live = || (0..self.ids.len()).filter(|&d| self.alive[d]);
        put(out, live().count() as u64)?;
        for d in live() {
            let id = self.ids[d].as_str();
            put(out, id.len() as u64)?;
            out.write_all(id.as_bytes())?;
        }
        for d in live() {
            for x in self.embedding(d) {
                out.write_all(&x.to_le_bytes())?;
            }
        }
        for d in live() {
            let row = self.row_of(d);
            out.write_all(&(row.len() as u32).to_le_bytes())?;
            for (t, w) in row {
                out.write_all(&t.to_le_bytes())?;
                out.write_all(&w.to_le_bytes())?;
            }
        }
        put(out, self.built as u64)?;
        put(out, self.changes as u64)?;
        put(out, self.seq as u64)
    }

    /// Reads what [`Engine::to_bytes`] wrote; None if it is not that.
    pub fn from_bytes(bytes: &[u8]) -> Option<Engine> {
        Engine::from_reader(bytes)
    }

    /// Reads what [`Engine::write_to`] wrote, as it comes; None if it is
    /// not that.
    pub fn from_reader(read: impl Read) -> Option<Engine> {
        let mut r = Reader(read);
        if &r.array::<8>()? != MAGIC {
            return None;
        }
        let dims = r.u64()? as usize;
        let (vocab, idf) = r.vocabulary()?;
        let nterms = vocab.len();
        let projection = Dense {
            rows: nterms,
            cols: dims,
            data: r.values(nterms.checked_mul(dims)?, f32::from_le_bytes)?,
        };
        let ndocs = r.u64()? as usize;
        let mut ids = Vec::with_capacity(ndocs.min(1 << 20));
        for _ in 0..ndocs {
            ids.push(ArticleId::from_raw(r.string()?));
        }
        let embeddings = r.values(ndocs.checked_mul(dims)?, u16::from_le_bytes)?;
        let mut rows = (0..ndocs)
            .map(|_| r.row(nterms))
            .collect::<Option<Vec<_>>>()?;
        let built = r.u64()? as usize;
        let changes = r.u64()? as usize;
        let seq = r.u64()? as i64;
        let terms = vocab
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let mut index = super::ids::IdIndex::default();
        for doc in 0..ids.len() {
            index.insert(&ids, doc);
        }
        let rows_kept = rows.iter().any(|r| !r.is_empty()) || latent_weight(built) < 1.0;
        if !rows_kept {
            rows = Vec::new();
        }
        Some(Engine {
            terms,
            vocab,
            idf,
            projection,
            alive: vec![true; ids.len()],
            ids,
            index,
            embeddings,
            rows_kept,
            rows,
            built,
            changes,
            seq,
        })
    }
}
