//! Near-duplicate groups: locality-sensitive hashing of MinHash
//! signatures (see [`crate::minhash`]) finds the stories that may tell the
//! same news without comparing every story with every other, and the
//! pairs that agree at [`THRESHOLD`] are joined into groups.
//!
//! Apart from the signatures: the loader's version covers how a story's
//! signature is made, and not how signatures are grouped.

use std::collections::HashMap;

use crate::minhash::{BANDS, HASHES, Signature, THRESHOLD, similarity};

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    parent[ra.max(rb) as usize] = ra.min(rb);
}

/// A band's bucket compares at most this many of its stories with the
/// ones after them (and each with at most this many): a band that
/// hundreds of stories share is text they all carry, not news they tell.
pub const IN_A_BUCKET: usize = 64;

/// A band's values as one hash: its bucket.
fn band_hash(sig: &Signature, band: usize) -> u64 {
    let rows = HASHES / BANDS;
    let mut bytes = [0u8; 4 * HASHES / BANDS];
    for (k, v) in sig[band * rows..(band + 1) * rows].iter().enumerate() {
        bytes[4 * k..4 * k + 4].copy_from_slice(&v.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

/// Groups near-duplicates: the connected components (of two or more) of
/// the pairs whose signatures agree at [`THRESHOLD`] or more. Indices
/// into `signatures`; each group sorted.
pub fn groups(signatures: &[Signature]) -> Vec<Vec<usize>> {
    groups_by(signatures.len(), |i| &signatures[i])
}

/// [`groups`] of `n` signatures, the `i`th of which is `sig(i)`: the
/// caller keeps them in any order, and the index order decides which
/// stories a crowded bucket compares.
pub fn groups_by<'a>(n: usize, sig: impl Fn(usize) -> &'a Signature + Sync) -> Vec<Vec<usize>> {
    let workers = if n < SPLIT_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |w| w.get())
    };
    groups_on(workers, n, &sig)
}

/// Below this many signatures, grouping runs on the caller's thread.
const SPLIT_FROM: usize = 20_000;

/// [`groups_by`] on `workers` threads, each of which joins the pairs of
/// some of the bands; the components of all the pairs are those of the
/// workers' components together.
fn groups_on<'a>(
    workers: usize,
    n: usize,
    sig: &(impl Fn(usize) -> &'a Signature + Sync),
) -> Vec<Vec<usize>> {
    assert!(n < u32::MAX as usize, "too many signatures to group");
    let workers = workers.clamp(1, BANDS);
    if workers == 1 {
        return components(&mut join_bands(n, sig, 0..BANDS));
    }
    let mut parents: Vec<Vec<u32>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| scope.spawn(move || join_bands(n, sig, (w..BANDS).step_by(workers))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a grouping worker panicked"))
            .collect()
    });
    let mut parent = parents.pop().unwrap_or_default();
    for mut other in parents {
        for i in 0..n as u32 {
            let root = find(&mut other, i);
            if root != i {
                union(&mut parent, i, root);
            }
        }
    }
    components(&mut parent)
}

/// The union-find forest of the pairs found in `bands`. Each band's
/// buckets are runs of the stories sorted by one word: the band's hash
/// above, the story's index below (so a bucket lists its stories in
/// index order, and no map of a million small lists is made). The hash
/// loses as many low bits as an index needs: stories that share the
/// rest but not the band are compared, and do not pair.
fn join_bands<'a>(
    n: usize,
    sig: &(impl Fn(usize) -> &'a Signature + Sync),
    bands: impl Iterator<Item = usize>,
) -> Vec<u32> {
    let shift = usize::BITS - n.leading_zeros();
    let index = (1u64 << shift) - 1;
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut keyed: Vec<u64> = Vec::with_capacity(n);
    for band in bands {
        keyed.clear();
        keyed.extend((0..n).map(|i| (band_hash(sig(i), band) & !index) | i as u64));
        keyed.sort_unstable();
        for members in keyed
            .chunk_by(|a, b| a >> shift == b >> shift)
            .filter(|m| m.len() > 1)
        {
            for (k, &a) in members.iter().enumerate().take(IN_A_BUCKET) {
                for &b in members.iter().skip(k + 1).take(IN_A_BUCKET) {
                    let (a, b) = ((a & index) as u32, (b & index) as u32);
                    if find(&mut parent, a) != find(&mut parent, b)
                        && similarity(sig(a as usize), sig(b as usize)) >= THRESHOLD
                    {
                        union(&mut parent, a, b);
                    }
                }
            }
        }
    }
    parent
}

/// The components of two or more in a union-find forest, each sorted, in order.
fn components(parent: &mut [u32]) -> Vec<Vec<usize>> {
    let n = parent.len() as u32;
    let roots: Vec<u32> = (0..n).map(|i| find(parent, i)).collect();
    let mut size = vec![0u32; parent.len()];
    for &r in &roots {
        size[r as usize] += 1;
    }
    let mut components: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, &r) in roots.iter().enumerate() {
        if size[r as usize] > 1 {
            components.entry(r).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = components.into_values().collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::signature;

    const REPORT: &str = "The council voted on Thursday to close the old swimming baths in the spring and to spend \
        the money saved on a new pool beside the library, which engineers say can be built within two years. \
        Residents who swam there for decades said they would petition the mayor before the final decision.";

    #[test]
    fn groups_join_pairs_and_leave_singletons() {
        let edited = REPORT.replace("Thursday", "Friday");
        let unrelated = "Snow is expected above three hundred metres tonight and forecasters advise drivers to carry \
            chains, blankets and a charged phone when crossing the pass before the ploughs have been out.";
        let sigs = [
            signature(REPORT).unwrap(),
            signature(unrelated).unwrap(),
            signature(&edited).unwrap(),
        ];
        assert_eq!(groups(&sigs), vec![vec![0, 2]]);
        // The same stories in another order: the same group, by their new places.
        let order = [2, 1, 0];
        assert_eq!(groups_by(3, |i| &sigs[order[i]]), vec![vec![0, 2]]);
    }

    /// `like`'s values at `same`, the others `base + k`.
    fn sharing(like: &Signature, same: &[usize], base: u32) -> Signature {
        std::array::from_fn(|k| {
            if same.contains(&k) {
                like[k]
            } else {
                base + k as u32
            }
        })
    }

    #[test]
    fn a_group_joined_through_two_bands_is_one() {
        // a pairs with b through band 0 only, and c with b through band 1
        // only: each agrees with b on 16 of 32 values. a and c agree on 12,
        // and share no band. The group needs both bands' pairs.
        let b: Signature = std::array::from_fn(|k| 2000 + k as u32);
        let a = sharing(
            &b,
            &[0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18],
            1000,
        );
        let c = sharing(
            &b,
            &[4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22],
            3000,
        );
        assert!(similarity(&a, &c) < THRESHOLD);
        let sigs = [a, b, c];
        // On one thread, and on two, one of which sees band 0 and the other band 1.
        for workers in [1, 2, 3] {
            let found = groups_on(workers, 3, &|i| &sigs[i]);
            assert_eq!(found, vec![vec![0, 1, 2]], "{workers} workers");
        }
        assert_eq!(groups(&[a, c]), Vec::<Vec<usize>>::new());
    }

    #[test]
    fn a_crowded_bucket_compares_its_first_stories_in_index_order() {
        // 200 copies of one signature: one bucket in every band. Each of
        // the first 64 is compared with the 64 after it, so the stories
        // up to index 127 are joined, and the rest are never compared.
        let sig: Signature = std::array::from_fn(|k| 7 * k as u32);
        let sigs = vec![sig; 200];
        let expected: Vec<usize> = (0..2 * IN_A_BUCKET).collect();
        assert_eq!(groups(&sigs), vec![expected.clone()]);
        assert_eq!(groups_on(2, 200, &|i| &sigs[i]), vec![expected]);
    }
}
