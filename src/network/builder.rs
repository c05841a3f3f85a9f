//! Turning input tables into a [`TradeNetwork`]: validation, id resolution, duplicate and
//! self-loop policies, and the CSR assembly. The CSV reader feeds the same stages row by row.

use super::ids::{FirmIds, IdIndex};
use super::report::{LoadReport, Rejected, RowOrigin};
use super::table::{CollaborationTable, FirmTable, TradeTable, MISSING};
use super::TradeNetwork;
use crate::error::{filled, push, reserve, Error, Location, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What to do with several rows for the same supplier → customer pair (or collaboration pair).
/// Years are always merged as the earliest `year` and the latest `last_year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Duplicates {
    /// Add the amounts (the default: several invoices of one relation).
    #[default]
    Sum,
    /// Keep the largest amount.
    Max,
    /// Keep the amount of the first row in input order.
    First,
    /// Refuse the input, naming both rows.
    Error,
}

/// What to do with a trade from a firm to itself (or a collaboration of a firm with itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SelfLoops {
    /// Refuse the input, naming the row (the default: usually a data error).
    #[default]
    Error,
    /// Leave such rows out and count them in the [`LoadReport`].
    Drop,
    /// For sector-level networks (input–output tables, where a sector buys from itself):
    /// keep each firm's purchases from itself as the firm attribute [`SELF_AMOUNT`] (summed
    /// over rows; 1 per row without amounts), which [`crate::roles::ripple()`] uses as the
    /// diagonal of the Leontief model. They are not graph edges, so the graph measures are
    /// unchanged. Collaborations of a firm with itself are set aside as with `Drop`.
    Keep,
}

/// The firm attribute holding purchases from itself under [`SelfLoops::Keep`].
pub const SELF_AMOUNT: &str = "self_amount";

/// What to do with a trade (or collaboration) naming a firm that the firm table lacks, as
/// when a company-database extract covers one region but its trades reach the whole country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum UnknownFirms {
    /// Refuse the input, naming the first row and counting the others (the default).
    #[default]
    Error,
    /// Set such rows aside and count them in the [`LoadReport`] (with the first one).
    Drop,
    /// Add such firms, with every partition missing and every attribute NaN, and count them.
    Add,
}

named!(Duplicates, "duplicates", "sum" => Duplicates::Sum, "max" => Duplicates::Max,
    "first" => Duplicates::First, "error" => Duplicates::Error);
named!(SelfLoops, "self_loops", "error" => SelfLoops::Error, "drop" => SelfLoops::Drop,
    "keep" => SelfLoops::Keep);
named!(UnknownFirms, "unknown_firms", "error" => UnknownFirms::Error,
    "drop" => UnknownFirms::Drop, "add" => UnknownFirms::Add);

/// Loading policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BuildOptions {
    /// Policy for repeated pairs.
    pub duplicates: Duplicates,
    /// Policy for self-loops.
    pub self_loops: SelfLoops,
    /// Policy for ids missing from the firm table.
    pub unknown_firms: UnknownFirms,
}

/// Builds a [`TradeNetwork`] from column-wise tables.
///
/// ```
/// use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
/// let firms = FirmTable::new(vec!["a", "b", "c"])
///     .with_partition("prefecture", [Some("Tokyo"), Some("Tokyo"), Some("Osaka")]);
/// let trades = TradeTable::new(vec!["a", "b"], vec!["b", "c"]).with_amount(vec![10.0, 4.0]);
/// let (net, report) = NetworkBuilder::new().firms(firms).trades(trades).build()?;
/// assert_eq!((net.n_firms(), net.n_trades()), (3, 2));
/// assert_eq!(report.trades_merged, 0);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct NetworkBuilder {
    firms: Option<(FirmTable, RowOrigin)>,
    trades: Option<(TradeTable, RowOrigin)>,
    collaborations: Option<(CollaborationTable, RowOrigin)>,
    options: BuildOptions,
}

impl NetworkBuilder {
    /// An empty builder with the default policies.
    pub fn new() -> Self {
        Self::default()
    }

    /// The firms. Without them, firms are inferred from the trade ids (and reported).
    pub fn firms(mut self, table: FirmTable) -> Self {
        self.firms = Some((table, RowOrigin::table("firms")));
        self
    }

    /// The trades.
    pub fn trades(mut self, table: TradeTable) -> Self {
        self.trades = Some((table, RowOrigin::table("trades")));
        self
    }

    /// The collaborations.
    pub fn collaborations(mut self, table: CollaborationTable) -> Self {
        self.collaborations = Some((table, RowOrigin::table("collaborations")));
        self
    }

    /// Names the tables in error messages (e.g. the DataFrame's variable name).
    pub fn table_names(mut self, firms: &str, trades: &str, collaborations: &str) -> Self {
        for (slot, name) in [
            (self.firms.as_mut().map(|t| &mut t.1), firms),
            (self.trades.as_mut().map(|t| &mut t.1), trades),
            (
                self.collaborations.as_mut().map(|t| &mut t.1),
                collaborations,
            ),
        ] {
            if let Some(origin) = slot {
                *origin = RowOrigin::table(name);
            }
        }
        self
    }

    /// The policy for repeated pairs.
    pub fn duplicates(mut self, policy: Duplicates) -> Self {
        self.options.duplicates = policy;
        self
    }

    /// The policy for self-loops.
    pub fn self_loops(mut self, policy: SelfLoops) -> Self {
        self.options.self_loops = policy;
        self
    }

    /// Both policies at once.
    pub fn options(mut self, options: BuildOptions) -> Self {
        self.options = options;
        self
    }

    /// Validates everything and builds the network, with the account of what was read.
    pub fn build(self) -> Result<(TradeNetwork, LoadReport)> {
        let empty = (TradeTable::default(), RowOrigin::table("trades"));
        let (trades, trades_origin) = self.trades.unwrap_or(empty);
        let firms_given = self.firms.as_ref().map(|(t, _)| t.ids.len() as u64);
        let (firms, firms_inferred) = match self.firms {
            Some((mut table, origin)) if self.options.unknown_firms == UnknownFirms::Add => {
                let known = validate_firms(table.clone(), &origin)?;
                let new = unknown_ids(&known.index, &trades, self.collaborations.as_ref());
                table.add_unknown(new, &trades_origin)?;
                (validate_firms(table, &origin)?, false)
            }
            Some((table, origin)) => (validate_firms(table, &origin)?, false),
            None => {
                let table = infer_firms(&trades, self.collaborations.as_ref().map(|c| &c.0));
                (validate_firms(table, &RowOrigin::table("firms"))?, true)
            }
        };
        let mut report = LoadReport::default();
        if firms_inferred {
            report.firms_inferred = firms.table.ids.len() as u64;
        } else if let Some(given) = firms_given {
            report.firms_read = given;
            report.firms_added = firms.table.ids.len() as u64 - given;
        }
        let edges = resolve_trades(trades, &firms.index, &trades_origin, self.options)?;
        let collabs = match &self.collaborations {
            Some((table, origin)) => Some((
                resolve_collaborations(table, &firms.index, origin, self.options)?,
                origin.clone(),
            )),
            None => None,
        };
        assemble(firms, edges, &trades_origin, collabs, self.options, report)
    }
}

/// Firms after validation, with their id index.
pub(crate) struct Firms {
    pub(crate) table: FirmTable,
    pub(crate) index: IdIndex,
}

/// Checks the firm table: unique non-empty ids, consistent lengths, valid codes, finite values.
pub(crate) fn validate_firms(table: FirmTable, origin: &RowOrigin) -> Result<Firms> {
    let n = table.ids.len();
    if n >= u32::MAX as usize {
        return Err(Error::input(
            origin.location.clone(),
            format!("{n} firms: at most 4,294,967,294 are supported"),
        ));
    }
    if let FirmIds::Str(ids) = &table.ids {
        if let Some(i) = ids.iter().position(|s| s.is_empty()) {
            return Err(Error::input(origin.at(i).column("id"), "empty firm id"));
        }
    }
    let index = IdIndex::build(&table.ids).map_err(|(first, again)| {
        Error::input(
            origin.at(again).column("id"),
            format!(
                "duplicate firm id '{}' (first at {})",
                crate::error::clip(&table.ids.get(again).to_string()),
                origin.at(first)
            ),
        )
    })?;
    check_firm_columns(&table, origin)?;
    for a in &table.attributes {
        if let Some(i) = a.values.iter().position(|v| v.is_infinite()) {
            return Err(Error::input(
                origin.at(i).column(&a.name),
                format!("value {} is not finite (use NaN for missing)", a.values[i]),
            ));
        }
        let range = match a.name.as_str() {
            "lat" => Some(90.0),
            "lon" => Some(180.0),
            _ => None,
        };
        if let Some(limit) = range {
            if let Some(i) = a.values.iter().position(|v| v.abs() > limit) {
                return Err(Error::input(
                    origin.at(i).column(&a.name),
                    format!("{} is outside [-{limit}, {limit}] degrees", a.values[i]),
                ));
            }
        }
    }
    Ok(Firms { table, index })
}

/// The firm columns' shape: named once each, one value per firm, partition labels distinct
/// and every code labelled or missing. What a mapped file must satisfy before any index into
/// it is followed.
pub(crate) fn check_firm_columns(table: &FirmTable, origin: &RowOrigin) -> Result<()> {
    let n = table.ids.len();
    let mut names = std::collections::HashSet::new();
    for p in &table.partitions {
        check_column(&p.name, p.codes.len(), n, &mut names, origin)?;
        let mut seen = std::collections::HashSet::new();
        for label in &p.labels {
            if !seen.insert(label.as_str()) {
                return Err(Error::input(
                    origin.location.column(&p.name),
                    format!("label '{label}' listed twice"),
                ));
            }
        }
        let k = p.labels.len() as u32;
        if let Some(i) = p.codes.iter().position(|&c| c >= k && c != MISSING) {
            return Err(Error::input(
                origin.at(i).column(&p.name),
                format!("code {} has no label ({k} labels)", p.codes[i]),
            ));
        }
    }
    for a in &table.attributes {
        check_column(&a.name, a.values.len(), n, &mut names, origin)?;
    }
    Ok(())
}

fn check_column(
    name: &str,
    len: usize,
    n: usize,
    names: &mut std::collections::HashSet<String>,
    origin: &RowOrigin,
) -> Result<()> {
    if name.is_empty() {
        return Err(Error::input(
            origin.location.clone(),
            "a firm column has an empty name",
        ));
    }
    if !names.insert(name.to_string()) {
        return Err(Error::input(
            origin.location.column(name),
            "column name used twice",
        ));
    }
    if len != n {
        return Err(Error::input(
            origin.location.column(name),
            format!("{len} values for {n} firms"),
        ));
    }
    Ok(())
}

/// Firms named by the trades (and collaborations), in order of first appearance.
fn infer_firms(trades: &TradeTable, collabs: Option<&CollaborationTable>) -> FirmTable {
    let mut columns = vec![(&trades.supplier, &trades.customer)];
    if let Some(c) = collabs {
        columns.push((&c.a, &c.b));
    }
    let all_int = columns.iter().all(|(a, b)| a.is_int() && b.is_int());
    if all_int {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut ids = Vec::new();
        for (a, b) in columns {
            if let (FirmIds::Int(a), FirmIds::Int(b)) = (a, b) {
                for (&x, &y) in a.iter().zip(b) {
                    for v in [x, y] {
                        if seen.insert(v) {
                            ids.push(v);
                        }
                    }
                }
            }
        }
        return FirmTable::new(ids);
    }
    let mut seen: rustc_hash::FxHashSet<String> = Default::default();
    let mut ids = Vec::new();
    for (a, b) in columns {
        for i in 0..a.len().min(b.len()) {
            for v in [a.get(i).to_string(), b.get(i).to_string()] {
                if !seen.contains(&v) {
                    seen.insert(v.clone());
                    ids.push(v);
                }
            }
        }
    }
    FirmTable::new(ids)
}

/// Resolved edges (trades or collaborations) as firm indices, in input order, with the input
/// row each came from.
#[derive(Debug, Default)]
pub(crate) struct EdgeList {
    pub(crate) a: Vec<u32>,
    pub(crate) b: Vec<u32>,
    pub(crate) amount: Option<Vec<f64>>,
    pub(crate) year: Option<Vec<i32>>,
    pub(crate) last_year: Option<Vec<i32>>,
    pub(crate) row: Vec<u32>,
    pub(crate) read: u64,
    pub(crate) self_loops: u64,
    pub(crate) first_self_loop: Option<Location>,
    /// Rows set aside for naming an unknown firm (`unknown_firms = Drop`), and the first.
    pub(crate) unknown: u64,
    pub(crate) first_unknown: Option<String>,
    /// Rows with every cell blank (the trailing `,,,` rows a spreadsheet leaves): skipped,
    /// and counted here.
    pub(crate) blank: Blank,
    /// Purchases of a firm from itself kept under `SelfLoops::Keep`: `(firm, amount)`.
    pub(crate) own: Vec<(u32, f64)>,
    /// Collaborations (self-loops are never kept).
    pub(crate) undirected: bool,
}

/// Counts unknown ids so that a file naming a million unknown firms gives one clear error.
#[derive(Default)]
pub(crate) struct UnknownIds {
    first: Option<(String, Location)>,
    count: u64,
}

impl UnknownIds {
    pub(crate) fn add(&mut self, id: impl FnOnce() -> String, location: impl FnOnce() -> Location) {
        if self.first.is_none() {
            self.first = Some((id(), location()));
        }
        self.count += 1;
    }

    /// Applies the policy once every row is read: an error naming the first row, or the rows
    /// counted as set aside in `edges`.
    pub(crate) fn finish(self, policy: UnknownFirms, edges: &mut EdgeList) -> Result<()> {
        match (policy, &self.first) {
            (UnknownFirms::Drop, Some((id, location))) => {
                edges.unknown = self.count;
                edges.read += self.count;
                edges.first_unknown = Some(format!("{location}: '{}'", crate::error::clip(id)));
                Ok(())
            }
            _ => self.check(),
        }
    }

    fn check(self) -> Result<()> {
        match self.first {
            None => Ok(()),
            Some((id, location)) => Err(Error::UnknownFirm {
                location: Box::new(location),
                id: crate::error::clip(&id),
                more: if self.count > 1 {
                    format!(", and {} more rows name unknown firms", self.count - 1)
                } else {
                    String::new()
                },
            }),
        }
    }
}

/// Checks a trade amount.
pub(crate) fn check_amount(v: f64, location: impl FnOnce() -> Location) -> Result<()> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        let why = if v.is_nan() {
            "missing (NaN) amount"
        } else if v < 0.0 {
            "negative amount"
        } else {
            "infinite amount"
        };
        Err(Error::input(
            location(),
            format!("{why}: {v}; amounts must be finite and ≥ 0"),
        ))
    }
}

/// The years tsunagime accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// Checks a year (and a last year, when given).
pub(crate) fn check_year(y: i32, location: impl Fn() -> Location) -> Result<()> {
    if YEARS.contains(&y) {
        Ok(())
    } else {
        Err(Error::input(
            location(),
            format!("year {y} is outside {}..={}", YEARS.start(), YEARS.end()),
        ))
    }
}

fn column_len(name: &str, len: usize, n: usize, origin: &RowOrigin) -> Result<()> {
    if len == n {
        Ok(())
    } else {
        Err(Error::input(
            origin.location.column(name),
            format!("{len} values for {n} rows"),
        ))
    }
}

impl EdgeList {
    /// Adds one resolved row (after the checks); applies the self-loop policy.
    pub(crate) fn push(
        &mut self,
        a: u32,
        b: u32,
        values: (Option<f64>, Option<i32>, Option<i32>),
        row: usize,
        self_loops: SelfLoops,
        location: impl Fn() -> Location,
    ) -> Result<()> {
        self.read += 1;
        if a == b {
            match self_loops {
                SelfLoops::Error => {
                    return Err(Error::input(location(), "self-loop: a firm cannot trade with itself (self_loops='drop' sets such rows aside)"));
                }
                SelfLoops::Keep if !self.undirected => {
                    push(
                        &mut self.own,
                        (a, values.0.unwrap_or(1.0)),
                        "the self-loops read",
                    )?;
                    return Ok(());
                }
                SelfLoops::Drop | SelfLoops::Keep => {
                    self.self_loops += 1;
                    if self.first_self_loop.is_none() {
                        self.first_self_loop = Some(location());
                    }
                    return Ok(());
                }
            }
        }
        const WHAT: &str = "the links read";
        push(&mut self.a, a, WHAT)?;
        push(&mut self.b, b, WHAT)?;
        if let (Some(col), Some(v)) = (self.amount.as_mut(), values.0) {
            push(col, v, WHAT)?;
        }
        if let (Some(col), Some(v)) = (self.year.as_mut(), values.1) {
            push(col, v, WHAT)?;
        }
        if let (Some(col), Some(v)) = (self.last_year.as_mut(), values.2) {
            push(col, v, WHAT)?;
        }
        push(&mut self.row, row as u32, WHAT)
    }

    /// Room for `n` more links in every column, taken at once: growing five columns by
    /// doubling copies each several times.
    pub(crate) fn reserve(&mut self, n: usize) -> Result<()> {
        const WHAT: &str = "the links read";
        reserve(&mut self.a, n, WHAT)?;
        reserve(&mut self.b, n, WHAT)?;
        reserve(&mut self.row, n, WHAT)?;
        if let Some(col) = self.amount.as_mut() {
            reserve(col, n, WHAT)?;
        }
        for col in [self.year.as_mut(), self.last_year.as_mut()]
            .into_iter()
            .flatten()
        {
            reserve(col, n, WHAT)?;
        }
        Ok(())
    }

    /// An empty list with the optional columns present as asked.
    pub(crate) fn with_columns(amount: bool, year: bool, last_year: bool) -> Self {
        EdgeList {
            amount: amount.then(Vec::new),
            year: year.then(Vec::new),
            last_year: last_year.then(Vec::new),
            ..Default::default()
        }
    }
}

/// Looks up one id column entry, converting between integer and string ids.
fn lookup(ids: &FirmIds, i: usize, index: &IdIndex) -> Option<u32> {
    match ids {
        FirmIds::Int(v) => index.get_int(v[i]),
        FirmIds::Str(v) => index.get_str(&v[i]),
    }
}

/// Rows per parallel block of [`lookup_all`].
const LOOKUP_BLOCK: usize = 1 << 14;

/// Looks up every supplier and customer on all cores (`NONE` when unknown): hash lookups
/// into a million-firm index miss the cache, so they are the load's longest step (string
/// ids are looked up in batches whose misses overlap, see [`IdIndex::get_strs`]).
fn lookup_all(t: &TradeTable, index: &IdIndex) -> Result<(Vec<u32>, Vec<u32>)> {
    let column = |ids: &FirmIds| -> Result<Vec<u32>> {
        let mut out = Vec::new();
        reserve(&mut out, ids.len(), "the links read")?;
        out.resize(ids.len(), NONE);
        out.par_chunks_mut(LOOKUP_BLOCK)
            .enumerate()
            .for_each(|(b, block)| {
                let first = b * LOOKUP_BLOCK;
                match ids {
                    FirmIds::Str(v) => index.get_strs(v, first, block),
                    FirmIds::Int(v) => {
                        for (slot, &id) in block.iter_mut().zip(&v[first..]) {
                            *slot = index.get_int(id).unwrap_or(NONE);
                        }
                    }
                }
            });
        Ok(out)
    };
    Ok((column(&t.supplier)?, column(&t.customer)?))
}

/// An index no firm has.
const NONE: u32 = u32::MAX;

/// Resolves trade ids and checks every value.
///
/// When every row is valid, names known firms and no firm trades with itself (checked on all
/// cores), the columns are taken whole; otherwise rows are resolved one by one so that the
/// first problem is reported and the policies applied in row order.
pub(crate) fn resolve_trades(
    mut t: TradeTable,
    index: &IdIndex,
    origin: &RowOrigin,
    options: BuildOptions,
) -> Result<EdgeList> {
    let n = t.supplier.len();
    column_len("customer", t.customer.len(), n, origin)?;
    if let Some(v) = &t.amount {
        column_len("amount", v.len(), n, origin)?;
    }
    if let Some(v) = &t.year {
        column_len("year", v.len(), n, origin)?;
    }
    if let Some(v) = &t.last_year {
        column_len("last_year", v.len(), n, origin)?;
    }
    if n >= u32::MAX as usize {
        return Err(Error::input(
            origin.location.clone(),
            format!("{n} rows: at most 4,294,967,294 are supported"),
        ));
    }
    let (sup, cus) = lookup_all(&t, index)?;
    let values = |i: usize| {
        (
            t.amount.as_ref().map(|v| v[i]),
            t.year.as_ref().map(|v| v[i]),
            t.last_year.as_ref().map(|v| v[i]),
        )
    };
    let clean = (0..n).into_par_iter().all(|i| {
        let (amount, year, last_year) = values(i);
        sup[i] != NONE
            && cus[i] != NONE
            && sup[i] != cus[i]
            && amount.is_none_or(|v| check_amount(v, || origin.at(i)).is_ok())
            && check_years(year, last_year, || origin.at(i)).is_ok()
    });
    let mut out =
        EdgeList::with_columns(t.amount.is_some(), t.year.is_some(), t.last_year.is_some());
    if clean {
        // The columns are taken as they are: no copy of millions of values.
        (out.amount, out.year, out.last_year) =
            (t.amount.take(), t.year.take(), t.last_year.take());
        out.row = filled(n, 0, "the links read")?;
        out.row
            .par_iter_mut()
            .enumerate()
            .for_each(|(i, r)| *r = i as u32);
        (out.a, out.b, out.read) = (sup, cus, n as u64);
        return Ok(out);
    }
    out.reserve(n)?;
    let mut unknown = UnknownIds::default();
    for i in 0..n {
        let (amount, year, last_year) = values(i);
        if let Some(v) = amount {
            check_amount(v, || origin.at(i).column("amount"))?;
        }
        check_years(year, last_year, || origin.at(i))?;
        match (sup[i], cus[i]) {
            (NONE, _) => unknown.add(
                || t.supplier.get(i).to_string(),
                || origin.at(i).column("supplier"),
            ),
            (_, NONE) => unknown.add(
                || t.customer.get(i).to_string(),
                || origin.at(i).column("customer"),
            ),
            (s, c) => out.push(
                s,
                c,
                (amount, year, last_year),
                i,
                options.self_loops,
                || origin.at(i),
            )?,
        }
    }
    unknown.finish(options.unknown_firms, &mut out)?;
    Ok(out)
}

/// Ids of trades and collaborations that `index` lacks, once each, in order of appearance.
fn unknown_ids(
    index: &IdIndex,
    trades: &TradeTable,
    collaborations: Option<&(CollaborationTable, RowOrigin)>,
) -> Vec<String> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    let mut columns = vec![&trades.supplier, &trades.customer];
    if let Some((c, _)) = collaborations {
        columns.extend([&c.a, &c.b]);
    }
    let n = |ids: &FirmIds| match ids {
        FirmIds::Int(v) => v.len(),
        FirmIds::Str(v) => v.len(),
    };
    for i in 0..columns.iter().map(|c| n(c)).max().unwrap_or(0) {
        for ids in &columns {
            if i < n(ids) && lookup(ids, i, index).is_none() {
                let id = ids.get(i).to_string();
                if !id.is_empty() && seen.insert(id.clone()) {
                    out.push(id);
                }
            }
        }
    }
    out
}

/// Checks a row's year and last year.
pub(crate) fn check_years(
    year: Option<i32>,
    last_year: Option<i32>,
    at: impl Fn() -> Location,
) -> Result<()> {
    if let Some(y) = year {
        check_year(y, || at().column("year"))?;
    }
    if let Some(l) = last_year {
        check_year(l, || at().column("last_year"))?;
        if let Some(y) = year {
            if l < y {
                return Err(Error::input(
                    at().column("last_year"),
                    format!("last year {l} is before the first year {y}"),
                ));
            }
        }
    }
    Ok(())
}

/// Resolves collaboration ids; each tie is stored with the smaller index first.
pub(crate) fn resolve_collaborations(
    t: &CollaborationTable,
    index: &IdIndex,
    origin: &RowOrigin,
    options: BuildOptions,
) -> Result<EdgeList> {
    let n = t.a.len();
    column_len("b", t.b.len(), n, origin)?;
    if let Some(v) = &t.year {
        column_len("year", v.len(), n, origin)?;
    }
    let mut out = EdgeList::with_columns(false, t.year.is_some(), false);
    out.undirected = true;
    let mut unknown = UnknownIds::default();
    for i in 0..n {
        let year = t.year.as_ref().map(|v| v[i]);
        check_years(year, None, || origin.at(i))?;
        match (lookup(&t.a, i, index), lookup(&t.b, i, index)) {
            (Some(a), Some(b)) => out.push(
                a.min(b),
                a.max(b),
                (None, year, None),
                i,
                options.self_loops,
                || origin.at(i),
            )?,
            (None, _) => unknown.add(|| t.a.get(i).to_string(), || origin.at(i).column("a")),
            (_, None) => unknown.add(|| t.b.get(i).to_string(), || origin.at(i).column("b")),
        }
    }
    unknown.finish(options.unknown_firms, &mut out)?;
    Ok(out)
}

/// Sorts the edges by (a, b), then by input row, and merges repeated pairs by the policy.
/// Returns the merged edges and how many rows were merged away.
pub(crate) fn sort_and_merge(
    mut e: EdgeList,
    origin: &RowOrigin,
    policy: Duplicates,
) -> Result<(EdgeList, u64)> {
    let key = |i: usize| ((e.a[i] as u64) << 32) | e.b[i] as u64;
    let m = e.a.len();
    let sorted = (1..m).all(|i| key(i - 1) < key(i));
    if sorted {
        return Ok((e, 0));
    }
    const WHAT: &str = "sorting the links";
    let mut order = filled(m, 0u32, WHAT)?;
    order
        .iter_mut()
        .enumerate()
        .for_each(|(i, o)| *o = i as u32);
    // Ties broken by input row, so that `First` keeps the first row; an unstable sort on
    // unique keys needs no buffer (a stable parallel sort would allocate half the input).
    order.par_sort_unstable_by_key(|&i| (key(i as usize), i));
    let mut out =
        EdgeList::with_columns(e.amount.is_some(), e.year.is_some(), e.last_year.is_some());
    out.reserve(m)?;
    let mut merged = 0u64;
    let mut prev_key = u64::MAX;
    for &i in &order {
        let i = i as usize;
        let k = key(i);
        if k == prev_key {
            merged += 1;
            let last = out.a.len() - 1;
            if policy == Duplicates::Error {
                let first = origin.at(out.row[last] as usize);
                return Err(Error::input(
                    origin.at(e.row[i] as usize),
                    format!("repeated pair (same as {first}); duplicates='sum', 'max' or 'first' merges such rows"),
                ));
            }
            if let (Some(dst), Some(src)) = (out.amount.as_mut(), e.amount.as_ref()) {
                match policy {
                    Duplicates::Sum => dst[last] += src[i],
                    Duplicates::Max => dst[last] = dst[last].max(src[i]),
                    Duplicates::First | Duplicates::Error => {}
                }
                if dst[last].is_infinite() {
                    let first = origin.at(out.row[last] as usize);
                    return Err(Error::input(
                        origin.at(e.row[i] as usize).column("amount"),
                        format!("the amounts of this pair and of the same pair at {first} add up to more than the largest number (infinite)"),
                    ));
                }
            }
            if let (Some(dst), Some(src)) = (out.year.as_mut(), e.year.as_ref()) {
                dst[last] = dst[last].min(src[i]);
            }
            if let (Some(dst), Some(src)) = (out.last_year.as_mut(), e.last_year.as_ref()) {
                dst[last] = dst[last].max(src[i]);
            }
            continue;
        }
        prev_key = k;
        out.a.push(e.a[i]);
        out.b.push(e.b[i]);
        out.row.push(e.row[i]);
        if let (Some(dst), Some(src)) = (out.amount.as_mut(), e.amount.as_ref()) {
            dst.push(src[i]);
        }
        if let (Some(dst), Some(src)) = (out.year.as_mut(), e.year.as_ref()) {
            dst.push(src[i]);
        }
        if let (Some(dst), Some(src)) = (out.last_year.as_mut(), e.last_year.as_ref()) {
            dst.push(src[i]);
        }
    }
    out.read = e.read;
    out.self_loops = e.self_loops;
    out.first_self_loop = e.first_self_loop.take();
    out.unknown = e.unknown;
    out.first_unknown = e.first_unknown.take();
    out.blank = e.blank.clone();
    Ok((out, merged))
}

/// The last stage shared by every loader: merge, build the CSR arrays, write the report.
pub(crate) fn assemble(
    firms: Firms,
    trades: EdgeList,
    trades_origin: &RowOrigin,
    collaborations: Option<(EdgeList, RowOrigin)>,
    options: BuildOptions,
    mut report: LoadReport,
) -> Result<(TradeNetwork, LoadReport)> {
    report.trades_read = trades.read;
    note_set_aside(&mut report, "trades", &trades);
    let mut firms = firms;
    if !trades.own.is_empty() {
        if firms.table.attributes.iter().any(|a| a.name == SELF_AMOUNT) {
            return Err(Error::parameter(
                "self_loops",
                format!("'keep' stores purchases from oneself as the attribute '{SELF_AMOUNT}', which the firms already have"),
            ));
        }
        let mut own = filled(firms.table.ids.len(), 0.0, "the self-loops kept")?;
        for &(k, z) in &trades.own {
            own[k as usize] += z;
        }
        report.self_loops_kept = trades.own.len() as u64;
        firms
            .table
            .attributes
            .push(super::table::Attribute::new(SELF_AMOUNT, own));
    }
    let (trades, merged) = sort_and_merge(trades, trades_origin, options.duplicates)?;
    report.trades_merged = merged;
    report.trades_kept = trades.a.len() as u64;
    let collabs = match collaborations {
        Some((c, origin)) => {
            report.collaborations_read = c.read;
            note_set_aside(&mut report, "collaborations", &c);
            let (c, merged) = sort_and_merge(c, &origin, options.duplicates)?;
            report.collaborations_merged = merged;
            report.collaborations_kept = c.a.len() as u64;
            Some(c)
        }
        None => None,
    };
    for p in &firms.table.partitions {
        let missing = p.codes.iter().filter(|&&c| c == MISSING).count() as u64;
        if missing > 0 {
            report.missing.push((p.name.clone(), missing));
        }
    }
    for a in &firms.table.attributes {
        let missing = a.values.iter().filter(|v| v.is_nan()).count() as u64;
        if missing > 0 {
            report.missing.push((a.name.clone(), missing));
        }
    }
    let net = TradeNetwork::from_sorted(firms.table, firms.index, trades, collabs)?;
    Ok((net, report))
}

/// Rows of a file with every cell blank, skipped: how many, and where the first was.
#[derive(Debug, Clone, Default)]
pub(crate) struct Blank {
    pub(crate) count: u64,
    pub(crate) first: Option<Location>,
}

impl Blank {
    /// Counts the blank row at `at`.
    pub(crate) fn add(&mut self, at: impl FnOnce() -> Location) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(at());
        }
    }

    /// Counts them in the report as rows of `table` set aside.
    pub(crate) fn note(&self, report: &mut LoadReport, table: &str) {
        if self.count > 0 {
            report.rejected.push(Rejected {
                table: table.to_string(),
                reason: BLANK_ROW.to_string(),
                count: self.count,
                first: self
                    .first
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            });
        }
    }
}

/// Why blank rows are set aside, as the report says it.
pub(crate) const BLANK_ROW: &str = "blank row (every cell empty)";

/// Counts in the report the rows of `table` that a policy set aside: blank rows, self-loops
/// (`self_loops = Drop`) and rows naming unknown firms (`unknown_firms = Drop`).
fn note_set_aside(report: &mut LoadReport, table: &str, e: &EdgeList) {
    e.blank.note(report, table);
    let self_loop = e.first_self_loop.as_ref().map(ToString::to_string);
    for (count, first, reason) in [
        (e.self_loops, self_loop, "self-loop (self_loops='drop')"),
        (
            e.unknown,
            e.first_unknown.clone(),
            "names a firm not in the firm table (unknown_firms='drop')",
        ),
    ] {
        if count > 0 {
            report.rejected.push(Rejected {
                table: table.to_string(),
                reason: reason.to_string(),
                count,
                first: first.unwrap_or_default(),
            });
        }
    }
}
