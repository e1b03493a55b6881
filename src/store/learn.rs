//! Learning boilerplate from repetition, per source (see
//! [`crate::loader::boilerplate`]): the counts of each candidate unit by
//! distinct headline, and the set of units that passed the threshold.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, Transaction, params};

use super::write::Boilerplate;
use crate::loader::boilerplate::threshold;

/// Units a sync keeps as candidates to learn again, over all sources
/// (about 4 MB). Past them, a source's set is found by one scan of its
/// counts (as for a first index, which touches every unit).
pub(super) const CANDIDATES_AT_MOST: usize = 262_144;

/// A look-up of one unit's count costs about as much as scanning this
/// many headlines' counts (each headline has about nine units, and a
/// look-up costs a descent of the index): a source with fewer headlines
/// than this many times its candidates is scanned instead.
const LOOKUP_COST: usize = 8;

/// Every source's learned boilerplate.
pub(super) fn load(conn: &Connection) -> rusqlite::Result<Boilerplate> {
    let mut out = Boilerplate::new();
    let mut stmt = conn.prepare("SELECT source_key, hash FROM boilerplate")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (source, hash) = row?;
        out.entry(source).or_default().insert(hash);
    }
    Ok(out)
}

/// Records whether count changes are held back (not yet written): a sync
/// that stops in between leaves the counts to be made again.
pub(super) fn mark_pending(tx: &Transaction, pending: bool) -> rusqlite::Result<()> {
    if pending {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('units_pending', '1')",
        )?
        .execute([])?;
    } else {
        tx.prepare_cached("DELETE FROM meta WHERE key = 'units_pending'")?
            .execute([])?;
    }
    Ok(())
}

/// Makes the counts again from every copy's units, a source at a time,
/// when a sync stopped with changes held back. Returns the sources
/// recounted, whose boilerplate must be learned again.
pub(super) fn recount_if_pending(conn: &mut rusqlite::Connection) -> rusqlite::Result<Vec<i64>> {
    let pending: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'units_pending')",
        [],
        |r| r.get(0),
    )?;
    if !pending {
        return Ok(Vec::new());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute("DELETE FROM units", [])?;
    let sources: Vec<i64> = tx
        .prepare("SELECT DISTINCT source_key FROM entries")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &source in &sources {
        let mut counts: HashMap<(i64, i64, i64), i64> = HashMap::new();
        let mut stmt =
            tx.prepare_cached("SELECT title_hash, units FROM entries WHERE source_key = ?1")?;
        let rows = stmt.query_map([source], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })?;
        for row in rows {
            let (title, blob) = row?;
            for unit in super::write::decode_units(&blob.unwrap_or_default()) {
                *counts
                    .entry((source, unit, title as i32 as i64))
                    .or_default() += 1;
            }
        }
        count(&tx, &counts)?;
    }
    mark_pending(&tx, false)?;
    tx.commit()?;
    Ok(sources)
}

/// Applies changes to the counts.
pub(super) fn count(
    tx: &Transaction,
    units: &HashMap<(i64, i64, i64), i64>,
) -> rusqlite::Result<()> {
    let mut add = tx.prepare_cached(
        "INSERT INTO units (source_key, hash, title_hash, refs) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET refs = refs + excluded.refs",
    )?;
    let mut drop = tx.prepare_cached(
        "DELETE FROM units WHERE source_key = ?1 AND hash = ?2 AND title_hash = ?3 AND refs <= 0",
    )?;
    // In key order: neighbouring inserts land on neighbouring pages.
    let mut changes: Vec<(&(i64, i64, i64), &i64)> =
        units.iter().filter(|(_, by)| **by != 0).collect();
    changes.sort_unstable();
    for (&(source, hash, title), &by) in changes {
        add.execute(params![source, hash, title, by])?;
        if by < 0 {
            drop.execute(params![source, hash, title])?;
        }
    }
    Ok(())
}

/// Learns the boilerplate of the sources a sync touched, from their
/// counts, and records it. Returns, per source whose set changed, the
/// units that came or went.
pub(super) fn relearn(
    tx: &Transaction,
    sources: &HashSet<i64>,
    candidates: &HashMap<i64, Option<HashSet<i64>>>,
) -> rusqlite::Result<HashMap<i64, HashSet<i64>>> {
    let mut changes = HashMap::new();
    for &source in sources {
        let titles: i64 = tx
            .prepare_cached("SELECT count(DISTINCT title_hash) FROM entries WHERE source_key = ?1")?
            .query_row([source], |r| r.get(0))?;
        let needed = threshold(titles);
        let old: HashSet<i64> = tx
            .prepare_cached("SELECT hash FROM boilerplate WHERE source_key = ?1")?
            .query_map([source], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let candidates = candidates.get(&source);
        let scan = match candidates {
            Some(None) => true,
            Some(Some(set)) => set.len() * LOOKUP_COST > titles.max(0) as usize,
            None => false,
        };
        let new = if scan {
            tx.prepare_cached(
                "SELECT hash FROM units WHERE source_key = ?1 GROUP BY hash HAVING count(*) >= ?2",
            )?
            .query_map(params![source, needed], |r| r.get(0))?
            .collect::<rusqlite::Result<HashSet<i64>>>()?
        } else {
            let mut seen = tx
                .prepare_cached("SELECT count(*) FROM units WHERE source_key = ?1 AND hash = ?2")?;
            let mut new = HashSet::new();
            let touched = candidates.and_then(Option::as_ref).into_iter().flatten();
            for &hash in touched.chain(&old) {
                let n: i64 = seen.query_row(params![source, hash], |r| r.get(0))?;
                if n >= needed {
                    new.insert(hash);
                }
            }
            new
        };
        if new == old {
            continue;
        }
        tx.prepare_cached("DELETE FROM boilerplate WHERE source_key = ?1")?
            .execute([source])?;
        let mut insert =
            tx.prepare_cached("INSERT INTO boilerplate (source_key, hash) VALUES (?1, ?2)")?;
        for &hash in &new {
            insert.execute(params![source, hash])?;
        }
        let changed: HashSet<i64> = new.symmetric_difference(&old).copied().collect();
        changes.insert(source, changed);
    }
    Ok(changes)
}

/// The files holding a copy, in one of `changes`' sources, that offers one
/// of the units that came or went: they must be read again.
pub(super) fn files_to_reread(
    tx: &Transaction,
    changes: &HashMap<i64, HashSet<i64>>,
) -> rusqlite::Result<HashSet<i64>> {
    let mut files = HashSet::new();
    let mut stmt = tx.prepare_cached("SELECT file_id, units FROM entries WHERE source_key = ?1")?;
    for (&source, units) in changes {
        let rows = stmt.query_map([source], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })?;
        for row in rows {
            let (file, blob) = row?;
            let offered = super::write::decode_units(&blob.unwrap_or_default());
            if offered.iter().any(|u| units.contains(u)) {
                files.insert(file);
            }
        }
    }
    Ok(files)
}
