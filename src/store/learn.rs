//! Learning boilerplate from repetition, per source (see
//! [`crate::loader::boilerplate`]): the counts of each candidate unit by
//! distinct headline, and the set of units that passed the threshold.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, Transaction, params};

use super::write::{Boilerplate, Touched};
use crate::loader::boilerplate::threshold;

/// From this many units touched in one source, its set is found by one
/// scan of its counts rather than a lookup a unit.
const SCAN_FROM: usize = 4_096;

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

/// Applies a batch's changes to the counts.
pub(super) fn count(tx: &Transaction, touched: &Touched) -> rusqlite::Result<()> {
    let mut add = tx.prepare_cached(
        "INSERT INTO units (source_key, hash, title_hash, refs) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET refs = refs + excluded.refs",
    )?;
    let mut drop = tx.prepare_cached(
        "DELETE FROM units WHERE source_key = ?1 AND hash = ?2 AND title_hash = ?3 AND refs <= 0",
    )?;
    // In key order: neighbouring inserts land on neighbouring pages.
    let mut changes: Vec<(&(i64, i64, i64), &i64)> =
        touched.units.iter().filter(|(_, by)| **by != 0).collect();
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
    touched_units: &HashMap<(i64, i64, i64), i64>,
) -> rusqlite::Result<HashMap<i64, HashSet<i64>>> {
    let mut by_source: HashMap<i64, HashSet<i64>> = HashMap::new();
    for &(source, hash, _) in touched_units.keys() {
        by_source.entry(source).or_default().insert(hash);
    }
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
        let candidates = by_source.remove(&source).unwrap_or_default();
        let new = if candidates.len() >= SCAN_FROM {
            tx.prepare_cached(
                "SELECT hash FROM units WHERE source_key = ?1 GROUP BY hash HAVING count(*) >= ?2",
            )?
            .query_map(params![source, needed], |r| r.get(0))?
            .collect::<rusqlite::Result<HashSet<i64>>>()?
        } else {
            let mut seen = tx
                .prepare_cached("SELECT count(*) FROM units WHERE source_key = ?1 AND hash = ?2")?;
            let mut new = HashSet::new();
            for &hash in candidates.iter().chain(&old) {
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
