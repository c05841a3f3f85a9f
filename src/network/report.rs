//! What loading read, merged and rejected: nothing is dropped without being counted here.

use crate::error::{Location, Source};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Rows set aside by a documented policy (never silently): which table, why, how many, and
/// where the first one was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// `"trades"`, `"collaborations"`, …
    pub table: String,
    /// Why the rows were set aside.
    pub reason: String,
    /// How many rows.
    pub count: u64,
    /// Where the first one was (file and line, or table and row).
    pub first: String,
}

/// The account of one load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadReport {
    /// Firm rows read.
    pub firms_read: u64,
    /// Firms created from trade ids because no firm table was given.
    pub firms_inferred: u64,
    /// Firms added because trades named them and the firm table lacked them
    /// (`unknown_firms = Add`).
    pub firms_added: u64,
    /// Trade rows read.
    pub trades_read: u64,
    /// Distinct supplier → customer links kept.
    pub trades_kept: u64,
    /// Trade rows merged into another row of the same pair (by the `duplicates` policy).
    pub trades_merged: u64,
    /// Trade rows of a firm with itself kept as its `self_amount` (`self_loops = Keep`).
    pub self_loops_kept: u64,
    /// Collaboration rows read.
    pub collaborations_read: u64,
    /// Distinct collaborations kept.
    pub collaborations_kept: u64,
    /// Collaboration rows merged into another row of the same pair.
    pub collaborations_merged: u64,
    /// Rows set aside by a policy (e.g. `self_loops = "drop"`).
    pub rejected: Vec<Rejected>,
    /// Missing values per firm column (`(column, count)`), e.g. firms without a prefecture.
    pub missing: Vec<(String, u64)>,
    /// How each firm column of a file became a partition or an attribute, and why
    /// (`("sales", "attribute (every value is a number)")`).
    pub columns: Vec<(String, String)>,
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "firms: {} read, {} inferred from trades, {} added from trades",
            self.firms_read, self.firms_inferred, self.firms_added
        )?;
        writeln!(
            f,
            "trades: {} read, {} kept, {} merged as duplicates",
            self.trades_read, self.trades_kept, self.trades_merged
        )?;
        writeln!(
            f,
            "collaborations: {} read, {} kept, {} merged as duplicates",
            self.collaborations_read, self.collaborations_kept, self.collaborations_merged
        )?;
        if self.self_loops_kept > 0 {
            writeln!(
                f,
                "self-loops kept as the firm attribute 'self_amount': {}",
                self.self_loops_kept
            )?;
        }
        for r in &self.rejected {
            writeln!(
                f,
                "rejected from {}: {} rows, {} (first at {})",
                r.table, r.count, r.reason, r.first
            )?;
        }
        for (col, n) in &self.missing {
            writeln!(f, "missing values in firm column '{col}': {n}")?;
        }
        for (col, kind) in &self.columns {
            writeln!(f, "column '{col}': {kind}")?;
        }
        Ok(())
    }
}

/// Where each input row came from, so that errors found after sorting still name the line.
#[derive(Debug, Clone)]
pub(crate) struct RowOrigin {
    pub(crate) location: Location,
    /// For files: the line of each row (the header is line 1). For tables: `None`, the
    /// position is the row.
    pub(crate) lines: Option<Vec<u64>>,
}

impl RowOrigin {
    pub(crate) fn table(name: &str) -> Self {
        RowOrigin {
            location: Location::table(name),
            lines: None,
        }
    }

    pub(crate) fn file(path: &std::path::Path) -> Self {
        RowOrigin {
            location: Location::of(Source::File(path.to_path_buf())),
            lines: Some(Vec::new()),
        }
    }

    /// The location of input row `i`.
    pub(crate) fn at(&self, i: usize) -> Location {
        let row = match &self.lines {
            Some(lines) => lines.get(i).copied().unwrap_or(i as u64),
            None => i as u64,
        };
        self.location.row(row)
    }
}
