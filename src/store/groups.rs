//! Near-duplicate groups across the whole store: MinHash signatures and
//! locality-sensitive hashing find stories that tell the same news, and
//! each story records its group's representative (the newest member).
//!
//! After a small change the groups are found again only around it (see
//! [`regroup_around`]): a million stories' signatures are read,
//! but not grouped.

use std::collections::HashSet;

use compact_str::CompactString;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store};
use crate::minhash;

/// The sync whose changes the recorded groups have seen (a key in `meta`).
const GROUPS_SEQ: &str = "groups_seq";

/// A change to at most one story in this many is grouped around; a larger
/// one groups the whole store again (a pass that costs little more than
/// the scan of every signature that grouping around needs anyway).
const AROUND_UP_TO: i64 = 20;

impl Store {
    /// Brings the near-duplicate groups up to date with the stories: around
    /// the stories changed since the last grouping when they are few, the
    /// whole store again otherwise.
    pub(super) fn regroup(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let seq = super::passes::current_seq(&tx)?;
        let since: Option<i64> = tx
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1",
                [GROUPS_SEQ],
                |r| r.get(0),
            )
            .optional()?;
        let around = match since {
            Some(since) => {
                let (changed, all): (i64, i64) = tx.query_row(
                    "SELECT (SELECT count(*) FROM stories WHERE seq > ?1), (SELECT count(*) FROM stories)",
                    [since],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                (changed * AROUND_UP_TO <= all).then_some(since)
            }
            None => None,
        };
        match around {
            Some(since) => regroup_around(&tx, since)?,
            None => regroup_all(&tx)?,
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            params![GROUPS_SEQ, seq],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The groups found over every story, as [`Store::regroup`] would
    /// record them from scratch: (member, representative) by member.
    #[cfg(test)]
    pub(super) fn groups_from_scratch(&self) -> Result<Vec<(String, String)>> {
        let tx = self.conn.unchecked_transaction()?;
        let mut out: Vec<(String, String)> = find_all(&tx)?.into_iter().collect();
        out.sort();
        Ok(out)
    }
}

/// Finds the groups across the whole store again and records each story's.
fn regroup_all(tx: &Transaction) -> Result<()> {
    let group_of = find_all(tx)?;
    let current: Vec<(String, Option<String>)> = {
        let mut stmt = tx.prepare("SELECT id, grp FROM stories WHERE grp IS NOT NULL")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut set = tx.prepare("UPDATE stories SET grp = ?2 WHERE id = ?1")?;
    for (id, grp) in &current {
        if group_of.get(id.as_str()) != grp.as_ref() {
            set.execute(params![id, group_of.get(id.as_str())])?;
        }
    }
    let had: HashSet<&str> = current.iter().map(|(id, _)| id.as_str()).collect();
    for (id, grp) in &group_of {
        if !had.contains(id.as_str()) {
            set.execute(params![id, grp])?;
        }
    }
    Ok(())
}

/// Every story's group over the whole store: member -> representative,
/// for the stories in a group of two or more.
fn find_all(tx: &Transaction) -> Result<rustc_hash::FxHashMap<String, String>> {
    let trace = super::Trace::new();
    // Each table in its own order, joined here: a join in the store
    // would look every story's signature up apart, and the stories'
    // order in their table is not their copies' (a sync writes the
    // stories of a batch by ID).
    let mut stories: Vec<(i64, CompactString, Option<i64>)> = Vec::new();
    {
        let mut stmt = tx.prepare("SELECT entry, id, published FROM stories WHERE entry != 0")?;
        let mut found = stmt.query([])?;
        while let Some(row) = found.next()? {
            let id = CompactString::new(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?);
            stories.push((row.get(0)?, id, row.get(2)?));
        }
    }
    // Nearly in order already: each batch's stories are near its copies.
    stories.sort_unstable_by_key(|s| s.0);
    let mut nodes = Nodes::default();
    {
        // The signatures come by entry too: one merge of the two.
        let mut next = stories.into_iter().peekable();
        let mut stmt = tx.prepare("SELECT entry, sig FROM sigs ORDER BY entry")?;
        let mut found = stmt.query([])?;
        while let Some(row) = found.next()? {
            let entry: i64 = row.get(0)?;
            while next.next_if(|s| s.0 < entry).is_some() {}
            let Some((_, id, published)) = next.next_if(|s| s.0 == entry) else {
                continue;
            };
            let sig = row.get_ref(1)?.as_blob().ok().and_then(minhash::from_bytes);
            if let Some(sig) = sig {
                nodes.push(id, published, sig);
            }
        }
    }
    trace.mark("groups: query");
    let group_of = group_of(&nodes);
    trace.mark("groups: find them");
    Ok(group_of)
}

/// Stories as grouping sees them, in any order: apart, so that the
/// signatures go to [`crate::lsh::groups_by`] as they are.
#[derive(Default)]
struct Nodes {
    ids: Vec<CompactString>,
    published: Vec<Option<i64>>,
    sigs: Vec<minhash::Signature>,
}

impl Nodes {
    fn push(
        &mut self,
        id: impl Into<CompactString>,
        published: Option<i64>,
        sig: minhash::Signature,
    ) {
        self.ids.push(id.into());
        self.published.push(published);
        self.sigs.push(sig);
    }

    /// The nodes' positions in ID order: what grouping sees, so that it
    /// never depends on the order stories happened to be written in. By
    /// each ID's first 16 bytes as one number, then whole where those tie.
    fn by_id(&self) -> Vec<u32> {
        let prefix = |id: &CompactString| {
            let mut bytes = [0u8; 16];
            let n = id.len().min(16);
            bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
            u128::from_be_bytes(bytes)
        };
        let mut keyed: Vec<(u128, u32)> = (self.ids.iter().enumerate())
            .map(|(i, id)| (prefix(id), i as u32))
            .collect();
        keyed.sort_unstable();
        for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_unstable_by(|a, b| self.ids[a.1 as usize].cmp(&self.ids[b.1 as usize]));
            }
        }
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}

/// The groups among `nodes`: member -> representative, the newest member
/// (the smallest ID breaks ties), for groups of two or more.
fn group_of(nodes: &Nodes) -> rustc_hash::FxHashMap<String, String> {
    let Nodes {
        ids,
        published,
        sigs,
    } = nodes;
    let order = nodes.by_id();
    let mut out: rustc_hash::FxHashMap<String, String> = Default::default();
    for group in crate::lsh::groups_by(order.len(), |k| &sigs[order[k] as usize]) {
        let members = group.iter().map(|&k| order[k] as usize);
        let rep = members
            .clone()
            .max_by(|&a, &b| published[a].cmp(&published[b]).then(ids[b].cmp(&ids[a])))
            .expect("groups are not empty");
        for m in members {
            out.insert(ids[m].to_string(), ids[rep].to_string());
        }
    }
    out
}

/// A story's row, as grouping around a change reads it.
struct Row {
    id: String,
    entry: i64,
    published: Option<i64>,
    grp: Option<String>,
}

const ROW: &str = "s.id, s.entry, s.published, s.grp";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        entry: r.get(1)?,
        published: r.get(2)?,
        grp: r.get(3)?,
    })
}

/// The stories (with a copy) that `filter`, on `s` with `param` as `?1`, keeps.
fn rows_where(tx: &Transaction, filter: &str, param: impl rusqlite::ToSql) -> Result<Vec<Row>> {
    Ok(tx
        .prepare_cached(&format!(
            "SELECT {ROW} FROM stories s WHERE {filter} AND s.entry != 0"
        ))?
        .query_map([param], row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Finds the groups again around the stories changed after sync `since`,
/// and records them. A group can change only where a story in it
/// changed, so it is enough to group again: the changed stories; the
/// groups they were in (a change or a removal may split one; a removal
/// marks its group's members changed); the stories that pair with a
/// changed one (the only new pairs: a shared band, and agreement at the
/// threshold); and the groups those are in (which a new pair joins).
/// Every other group keeps its stories, since none of its pairs changed.
/// In a band shared by more than 64 stories (text that many stories
/// carry) both compare only some of them (see [`super::pairs`]), and
/// which ones may differ from a whole regrouping.
fn regroup_around(tx: &Transaction, since: i64) -> Result<()> {
    let trace = super::Trace::new();
    let mut rows: rustc_hash::FxHashMap<String, Row> = Default::default();
    let changed = rows_where(tx, "s.seq > ?1", since)?;
    let sig_of = |entry: i64| -> Result<Option<minhash::Signature>> {
        Ok(tx
            .prepare_cached("SELECT sig FROM sigs WHERE entry = ?1")?
            .query_row([entry], |r| r.get::<_, Vec<u8>>(0))
            .optional()?
            .and_then(|b| minhash::from_bytes(&b)))
    };
    let mut pairs = super::pairs::PairsWith::new(
        changed
            .iter()
            .map(|r| Ok(sig_of(r.entry)?.map(|sig| (r.entry, sig))))
            .filter_map(Result::transpose)
            .collect::<Result<Vec<_>>>()?,
    );
    let mut grps: HashSet<String> = changed.iter().filter_map(|r| r.grp.clone()).collect();
    for r in changed {
        rows.insert(r.id.clone(), r);
    }
    trace.mark("groups: the changed stories");
    {
        let mut stmt = tx.prepare("SELECT entry, sig FROM sigs")?;
        let mut found = stmt.query([])?;
        while let Some(r) = found.next()? {
            if let Some(sig) = r.get_ref(1)?.as_blob().ok().and_then(minhash::from_bytes) {
                pairs.offer(r.get(0)?, &sig);
            }
        }
    }
    // Every copy that pairs with a changed story.
    let near = pairs.pairs();
    trace.mark("groups: scan the signatures");
    for entry in near {
        // The story this copy stands for, if it is its fullest copy.
        let found = tx
            .prepare_cached(&format!(
                "SELECT {ROW} FROM entries e JOIN stories s ON s.id = e.story_id
                 WHERE e.id = ?1 AND s.entry = e.id"
            ))?
            .query_row([entry], row)
            .optional()?;
        if let Some(r) = found {
            if let Some(g) = &r.grp {
                grps.insert(g.clone());
            }
            rows.entry(r.id.clone()).or_insert(r);
        }
    }
    for g in &grps {
        for r in rows_where(tx, "s.grp = ?1", g)? {
            rows.entry(r.id.clone()).or_insert(r);
        }
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    rows.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let mut nodes = Nodes::default();
    for r in &rows {
        if let Some(sig) = sig_of(r.entry)? {
            nodes.push(r.id.clone(), r.published, sig);
        }
    }
    let group_of = group_of(&nodes);
    let mut set = tx.prepare_cached("UPDATE stories SET grp = ?2 WHERE id = ?1")?;
    for r in &rows {
        let now = group_of.get(&r.id);
        if now != r.grp.as_ref() {
            set.execute(params![r.id, now])?;
        }
    }
    trace.mark("groups: find them around the change");
    Ok(())
}
