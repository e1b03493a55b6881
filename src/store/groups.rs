//! Near-duplicate groups across the whole store: MinHash signatures and
//! locality-sensitive hashing find stories that tell the same news, and
//! each story records its group's representative (the newest member).

use std::collections::HashSet;

use rusqlite::params;

use super::{Result, Store};
use crate::minhash;

impl Store {
    /// Finds the near-duplicate groups across the whole store again and
    /// records each story's group (its representative: the newest member).
    pub(super) fn regroup(&mut self) -> Result<()> {
        let trace = super::Trace::new();
        // Each table in its own order, joined here: a join in the store
        // would look every story's signature up apart, and the stories'
        // order in their table is not their copies' (a sync writes the
        // stories of a batch by ID). Then by ID, so that the grouping never
        // depends on the order stories happened to be written in.
        let mut stories: Vec<(i64, String, Option<i64>)> = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT entry, id, published FROM stories WHERE entry != 0")?;
            let mut found = stmt.query([])?;
            while let Some(row) = found.next()? {
                stories.push((row.get(0)?, row.get(1)?, row.get(2)?));
            }
        }
        // Nearly in order already: each batch's stories are near its copies.
        stories.sort_unstable_by_key(|s| s.0);
        let mut rows: Vec<(String, Option<i64>, minhash::Signature)> =
            Vec::with_capacity(stories.len());
        {
            // The signatures come by entry too: one merge of the two.
            let mut next = stories.into_iter().peekable();
            let mut stmt = self
                .conn
                .prepare("SELECT entry, sig FROM sigs ORDER BY entry")?;
            let mut found = stmt.query([])?;
            while let Some(row) = found.next()? {
                let entry: i64 = row.get(0)?;
                while next.next_if(|s| s.0 < entry).is_some() {}
                let Some((_, id, published)) = next.next_if(|s| s.0 == entry) else {
                    continue;
                };
                let sig = row.get_ref(1)?.as_blob().ok().and_then(minhash::from_bytes);
                if let Some(sig) = sig {
                    rows.push((id, published, sig));
                }
            }
        }
        trace.mark("groups: query");
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut ids = Vec::with_capacity(rows.len());
        let mut published = Vec::with_capacity(rows.len());
        let mut sigs = Vec::with_capacity(rows.len());
        for (id, time, sig) in rows {
            ids.push(id);
            published.push(time);
            sigs.push(sig);
        }
        trace.mark("groups: read the signatures");
        let mut group_of: rustc_hash::FxHashMap<&str, &str> = Default::default();
        for group in minhash::groups(&sigs) {
            // The newest member stands for the group; the smallest ID breaks ties.
            let rep = *group
                .iter()
                .max_by(|&&a, &&b| published[a].cmp(&published[b]).then(ids[b].cmp(&ids[a])))
                .expect("groups are not empty");
            for &m in &group {
                group_of.insert(&ids[m], &ids[rep]);
            }
        }
        trace.mark("groups: find them");
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: Vec<(String, Option<String>)> = {
            let mut stmt = tx.prepare("SELECT id, grp FROM stories WHERE grp IS NOT NULL")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        {
            let mut set = tx.prepare("UPDATE stories SET grp = ?2 WHERE id = ?1")?;
            for (id, grp) in &current {
                if group_of.get(id.as_str()).copied() != grp.as_deref() {
                    set.execute(params![id, group_of.get(id.as_str())])?;
                }
            }
            let had: HashSet<&str> = current.iter().map(|(id, _)| id.as_str()).collect();
            for (id, grp) in &group_of {
                if !had.contains(id) {
                    set.execute(params![id, grp])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}
