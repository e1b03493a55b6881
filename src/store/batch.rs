//! The writing side of a sync: the parsers' results written in batches,
//! each settled and committed.

use std::collections::HashMap;

use super::codec::Packer;
use super::learn;
use super::passes::{BATCH, settle};
use super::write::{self, Boilerplate, Parsed, Touched};
use super::{Result, report::FileReport};
use crate::loader::WalkEntry;

/// Boilerplate count changes held before they are written (about 100 MB).
pub(super) const UNITS_PENDING: usize = 2_000_000;

/// How [`Store::read_files`] reads: with the boilerplate learned so far,
/// the packer for the text, and this many files a commit.
#[derive(Clone, Copy)]
pub(super) struct Reading<'a> {
    pub(super) learned: &'a Boilerplate,
    pub(super) packer: &'a Packer,
    pub(super) batch: usize,
}

/// Files a long index commits together. Its inserts land all over the
/// pages of the indexes keyed by hashes (story IDs, headlines), and each
/// commit writes every page it dirtied: at a million stories, a commit of
/// [`BATCH`] files writes most of those indexes' pages for a few rows
/// each. Larger commits write each page for more rows: at 300k stories,
/// 2.9 GB written instead of 6.9 GB (8 times the files: 3.4 GB; 32 times:
/// 2.6 GB, but 100 MB more memory). The stories fill in for a reader in
/// larger steps; its headlines are already there (the quick pass).
pub(super) const BULK_BATCH: usize = 16 * BATCH;

/// The writing side of [`Store::read_files`]: one transaction a batch.
pub(super) struct BatchWriter<'c> {
    pub(super) tx: Option<rusqlite::Transaction<'c>>,
    pub(super) batch: Touched,
    /// The boilerplate counts' changes wait for several batches: in key
    /// order, a large set of them touches each page of the counts once,
    /// where a batch's would touch most pages for a few rows each.
    pub(super) pending: HashMap<(i64, i64, i64), i64>,
}

impl<'c> BatchWriter<'c> {
    /// Writes a file's stories in the open batch, begun if none is.
    pub(super) fn write(
        &mut self,
        conn: &'c rusqlite::Connection,
        entry: &WalkEntry,
        parsed: &Parsed,
    ) -> Result<FileReport> {
        if self.tx.is_none() {
            self.tx = Some(rusqlite::Transaction::new_unchecked(
                conn,
                rusqlite::TransactionBehavior::Immediate,
            )?);
        }
        let tx = self.tx.as_ref().expect("begun above");
        Ok(write::write_file(tx, entry, parsed, &mut self.batch)?)
    }

    /// Settles and commits the open batch; `last` when no more follow.
    pub(super) fn commit(&mut self, last: bool, touched: &mut Touched) -> Result<()> {
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        for (key, by) in self.batch.take_units() {
            *self.pending.entry(key).or_default() += by;
        }
        if self.pending.len() >= UNITS_PENDING || last {
            learn::count(&tx, &std::mem::take(&mut self.pending))?;
            learn::mark_pending(&tx, false)?;
        } else {
            // Should the sync stop here, the next recounts from the copies.
            learn::mark_pending(&tx, true)?;
        }
        settle(&tx, &mut self.batch)?;
        tx.commit()?;
        touched.absorb(std::mem::take(&mut self.batch));
        Ok(())
    }
}
