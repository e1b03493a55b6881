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
        let mut ids = Vec::new();
        let mut published = Vec::new();
        let mut sigs = Vec::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT s.id, s.published, g.sig FROM stories s JOIN sigs g ON g.entry = s.entry
                 ORDER BY s.id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })?;
            for row in rows {
                let (id, time, bytes) = row?;
                if let Some(sig) = minhash::from_bytes(&bytes) {
                    ids.push(id);
                    published.push(time);
                    sigs.push(sig);
                }
            }
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
