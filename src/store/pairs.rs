//! The stories that pair with a few changed ones, found in one scan of
//! every signature: what grouping around a change needs (see
//! `groups::regroup_around`). A pair is what [`crate::lsh::groups`] joins: a
//! band in common and agreement at [`minhash::THRESHOLD`].

use rustc_hash::FxHashMap;

use crate::minhash::{self, Signature};

const ROWS: usize = minhash::HASHES / minhash::BANDS;

/// Stories a band's bucket compares, as [`crate::lsh::groups`] does.
const IN_A_BUCKET: usize = crate::lsh::IN_A_BUCKET;

/// One band's values that changed stories have, and the copies found with them.
struct Bucket {
    /// Indices into the changed signatures.
    changed: Vec<usize>,
    /// Indices into the copies found, at most [`IN_A_BUCKET`].
    found: Vec<usize>,
}

/// The changed stories' signatures and, as the scan offers every copy's,
/// those that share a band with one.
pub(super) struct PairsWith {
    changed: Vec<(i64, Signature)>,
    buckets: Vec<Bucket>,
    /// The buckets, by their band and its values.
    by_band: FxHashMap<(usize, [u32; ROWS]), usize>,
    /// A bit for each band and 16 bits of a hash of its values: most
    /// copies share no band with a changed story, and are turned away
    /// without a look-up.
    seen: Vec<u64>,
    found: Vec<(i64, Signature)>,
}

/// A band's values, as a key and as a bit of [`PairsWith::seen`].
fn key(band: usize, values: &[u32]) -> ((usize, [u32; ROWS]), usize) {
    let values: [u32; ROWS] = values.try_into().expect("a band's values");
    let mix = values.iter().fold(band as u64, |h, &v| {
        (h ^ v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    });
    ((band, values), (band << 16) | (mix >> 48) as usize)
}

impl PairsWith {
    /// For the changed stories' fullest copies: (entry, signature).
    pub(super) fn new(changed: Vec<(i64, Signature)>) -> PairsWith {
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut by_band: FxHashMap<(usize, [u32; ROWS]), usize> = FxHashMap::default();
        let mut seen = vec![0u64; minhash::BANDS << 10];
        for (i, (_, sig)) in changed.iter().enumerate() {
            for (band, values) in sig.chunks(ROWS).enumerate() {
                let (key, at) = key(band, values);
                let b = *by_band.entry(key).or_insert_with(|| {
                    buckets.push(Bucket {
                        changed: Vec::new(),
                        found: Vec::new(),
                    });
                    buckets.len() - 1
                });
                buckets[b].changed.push(i);
                seen[at >> 6] |= 1 << (at & 63);
            }
        }
        PairsWith {
            changed,
            buckets,
            by_band,
            seen,
            found: Vec::new(),
        }
    }

    /// Offers a copy's signature: kept if it shares a band with a changed
    /// story (and that band's bucket is not full).
    pub(super) fn offer(&mut self, entry: i64, sig: &Signature) {
        let mut kept: Option<usize> = None;
        for (band, values) in sig.chunks(ROWS).enumerate() {
            let (key, at) = key(band, values);
            if self.seen[at >> 6] & (1 << (at & 63)) == 0 {
                continue;
            }
            let Some(&b) = self.by_band.get(&key) else {
                continue;
            };
            let bucket = &mut self.buckets[b];
            if bucket.found.len() < IN_A_BUCKET {
                let i = *kept.get_or_insert_with(|| {
                    self.found.push((entry, *sig));
                    self.found.len() - 1
                });
                bucket.found.push(i);
            }
        }
    }

    /// The entries of the copies offered that pair with a changed story:
    /// in each bucket, its first [`IN_A_BUCKET`] changed stories with its
    /// first [`IN_A_BUCKET`] copies.
    pub(super) fn pairs(&self) -> Vec<i64> {
        let mut pairs = vec![false; self.found.len()];
        for bucket in &self.buckets {
            for &c in bucket.changed.iter().take(IN_A_BUCKET) {
                let (own, theirs) = &self.changed[c];
                for &f in &bucket.found {
                    let (entry, sig) = &self.found[f];
                    if !pairs[f]
                        && entry != own
                        && minhash::similarity(theirs, sig) >= minhash::THRESHOLD
                    {
                        pairs[f] = true;
                    }
                }
            }
        }
        self.found
            .iter()
            .zip(pairs)
            .filter(|(_, p)| *p)
            .map(|((entry, _), _)| *entry)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature whose values are `base + k`, with `same` of them (from
    /// the start) taken from `like` instead.
    fn sig(base: u32, like: &Signature, same: usize) -> Signature {
        std::array::from_fn(|k| if k < same { like[k] } else { base + k as u32 })
    }

    #[test]
    fn a_copy_pairs_when_it_shares_a_band_and_agrees_at_the_threshold() {
        let changed: Signature = std::array::from_fn(|k| 1000 + k as u32);
        let mut pairs = PairsWith::new(vec![(1, changed)]);
        // Agrees on 20 of 32 values, the first band among them: a pair.
        pairs.offer(2, &sig(5000, &changed, 20));
        // Shares the first band (4 values), agrees on no more: not a pair.
        pairs.offer(3, &sig(6000, &changed, ROWS));
        // Agrees on 3 values, no band whole: not even compared.
        pairs.offer(4, &sig(7000, &changed, 3));
        // The changed story's own copy.
        pairs.offer(1, &changed);
        assert_eq!(pairs.pairs(), vec![2]);
        // Only copies that share a band are kept to compare.
        assert_eq!(pairs.found.len(), 3);
    }

    #[test]
    fn a_band_that_hundreds_share_keeps_the_first_of_them() {
        let changed: Signature = std::array::from_fn(|k| 1000 + k as u32);
        let mut pairs = PairsWith::new(vec![(1, changed)]);
        for n in 0..200 {
            pairs.offer(10 + n, &sig(10_000 * (n as u32 + 1), &changed, 24));
        }
        let found = pairs.pairs();
        // Six bands shared, each keeping the same first 64 copies.
        assert_eq!(found.len(), IN_A_BUCKET);
        assert_eq!(found[0], 10);
        assert!(found.iter().all(|&e| e < 10 + IN_A_BUCKET as i64));
    }
}
