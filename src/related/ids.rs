//! The engine's stories by ID: a hash table of positions in its list of
//! IDs, hashed by the ID each points at, so that no ID is held twice (at a
//! million stories a map from ID to position took about 60 MB more).

use std::hash::BuildHasher;

use crate::article::ArticleId;

#[derive(Clone, Default)]
pub(super) struct IdIndex {
    table: hashbrown::HashTable<u32>,
    hasher: rustc_hash::FxBuildHasher,
}

impl IdIndex {
    fn hash(&self, id: &ArticleId) -> u64 {
        self.hasher.hash_one(id.as_str())
    }

    /// Where `id` is in `ids`, if this index holds it.
    pub fn get(&self, ids: &[ArticleId], id: &ArticleId) -> Option<usize> {
        self.table
            .find(self.hash(id), |&d| ids[d as usize] == *id)
            .map(|&d| d as usize)
    }

    /// Notes that `ids[doc]`, which this index does not hold, is there.
    pub fn insert(&mut self, ids: &[ArticleId], doc: usize) {
        let hash = self.hash(&ids[doc]);
        let hasher = &self.hasher;
        let doc = u32::try_from(doc).expect("fewer than 4 billion stories");
        self.table
            .insert_unique(hash, doc, |&d| hasher.hash_one(ids[d as usize].as_str()));
    }

    /// Forgets `id`; where it was.
    pub fn remove(&mut self, ids: &[ArticleId], id: &ArticleId) -> Option<usize> {
        let entry = self
            .table
            .find_entry(self.hash(id), |&d| ids[d as usize] == *id)
            .ok()?;
        Some(entry.remove().0 as usize)
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    pub fn clear(&mut self) {
        self.table.clear();
    }

    /// The positions held, in order.
    fn positions(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self.table.iter().copied().collect();
        all.sort_unstable();
        all
    }
}

impl PartialEq for IdIndex {
    fn eq(&self, other: &IdIndex) -> bool {
        self.positions() == other.positions()
    }
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdIndex({} stories)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inserts_and_removes_by_the_id_pointed_at() {
        let ids: Vec<ArticleId> = (0..5000)
            .map(|i| ArticleId::from_raw(format!("id{i}")))
            .collect();
        let mut index = IdIndex::default();
        for doc in 0..ids.len() {
            index.insert(&ids, doc);
        }
        assert_eq!(index.len(), 5000);
        assert_eq!(index.get(&ids, &ArticleId::from_raw("id4321")), Some(4321));
        assert_eq!(index.get(&ids, &ArticleId::from_raw("nope")), None);
        assert_eq!(index.remove(&ids, &ArticleId::from_raw("id7")), Some(7));
        assert_eq!(index.remove(&ids, &ArticleId::from_raw("id7")), None);
        assert_eq!(index.get(&ids, &ArticleId::from_raw("id7")), None);
        assert_eq!(index.get(&ids, &ArticleId::from_raw("id8")), Some(8));
        assert_eq!(index.len(), 4999);
    }
}
