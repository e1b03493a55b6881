//! The related engine as bytes, for the store: what [`Engine::to_bytes`]
//! writes, [`Engine::from_bytes`] reads back (or refuses).

use super::lsa::Dense;
use super::{Engine, latent_weight};
use crate::article::ArticleId;

const MAGIC: &[u8; 8] = b"BYLREL03";

/// Reads little-endian values from a byte slice.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
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

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn floats(&mut self, n: usize) -> Option<Vec<f32>> {
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }

    fn halves(&mut self, n: usize) -> Option<Vec<u16>> {
        let bytes = self.take(n.checked_mul(2)?)?;
        Some(
            bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect(),
        )
    }

    /// The terms and their IDF weights.
    fn vocabulary(&mut self) -> Option<(Vec<String>, Vec<f32>)> {
        let nterms = self.u64()? as usize;
        let mut vocab = Vec::with_capacity(nterms.min(1 << 24));
        let mut idf = Vec::with_capacity(nterms.min(1 << 24));
        for _ in 0..nterms {
            vocab.push(self.string()?);
            idf.push(self.f32()?);
        }
        Some((vocab, idf))
    }

    /// One story's TF-IDF row: (term, weight) pairs, every term below `nterms`.
    fn row(&mut self, nterms: usize) -> Option<Vec<(u32, f32)>> {
        let len = self.u32()? as usize;
        let mut row = Vec::with_capacity(len.min(1 << 16));
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

    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<String> {
        let len = self.u64()? as usize;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
}

impl Engine {
    /// The engine as bytes, for the store.
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries: usize = self.rows.iter().map(|r| 1 + r.len() * 2).sum();
        let mut out = Vec::with_capacity(
            16 + self.embeddings.len() * 2 + (self.projection.data.len() + entries) * 4,
        );
        out.extend_from_slice(MAGIC);
        let put = |out: &mut Vec<u8>, n: u64| out.extend_from_slice(&n.to_le_bytes());
        put(&mut out, self.dims() as u64);
        put(&mut out, self.vocab.len() as u64);
        for (term, idf) in self.vocab.iter().zip(&self.idf) {
            put(&mut out, term.len() as u64);
            out.extend_from_slice(term.as_bytes());
            out.extend_from_slice(&idf.to_le_bytes());
        }
        for x in &self.projection.data {
            out.extend_from_slice(&x.to_le_bytes());
        }
        let live: Vec<usize> = (0..self.ids.len()).filter(|&d| self.alive[d]).collect();
        put(&mut out, live.len() as u64);
        for &d in &live {
            let id = self.ids[d].as_str();
            put(&mut out, id.len() as u64);
            out.extend_from_slice(id.as_bytes());
        }
        for &d in &live {
            for x in self.embedding(d) {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        for &d in &live {
            let row = &self.rows[d];
            out.extend_from_slice(&(row.len() as u32).to_le_bytes());
            for (t, w) in row {
                out.extend_from_slice(&t.to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        put(&mut out, self.built as u64);
        put(&mut out, self.changes as u64);
        put(&mut out, self.seq as u64);
        out
    }

    /// Reads what [`Engine::to_bytes`] wrote; None if it is not that.
    pub fn from_bytes(bytes: &[u8]) -> Option<Engine> {
        let mut r = Reader(bytes);
        if r.take(8)? != MAGIC {
            return None;
        }
        let dims = r.u64()? as usize;
        let (vocab, idf) = r.vocabulary()?;
        let nterms = vocab.len();
        let projection = Dense {
            rows: nterms,
            cols: dims,
            data: r.floats(nterms.checked_mul(dims)?)?,
        };
        let ndocs = r.u64()? as usize;
        let mut ids = Vec::with_capacity(ndocs.min(1 << 24));
        for _ in 0..ndocs {
            ids.push(ArticleId::from_raw(r.string()?));
        }
        let embeddings = r.halves(ndocs.checked_mul(dims)?)?;
        let rows = (0..ndocs)
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
        let index = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        Some(Engine {
            terms,
            vocab,
            idf,
            projection,
            alive: vec![true; ids.len()],
            ids,
            index,
            embeddings,
            rows_kept: rows.iter().any(|r| !r.is_empty()) || latent_weight(built) < 1.0,
            rows,
            built,
            changes,
            seq,
        })
    }
}
