//! Streaming CSV reading and writing of networks.
//!
//! Files are parsed block by block on all cores (`csv_blocks`), and trades are resolved to
//! firm indices as they are read, so a 5M-row file never holds its ids as strings. Every problem is reported with the file, the line (as an editor
//! shows it, the header being line 1) and the column.

use super::builder::{self, Blank, BuildOptions, EdgeList, UnknownFirms, UnknownIds};
use super::csv_blocks::{parse_number, CsvStream, Dialect, Rows};
use super::ids::{canonical_int, FirmIds, IdIndex};
use super::report::LoadReport;
use super::report::RowOrigin;
use super::strings::Strings;
use super::table::{Attribute, FirmTable, Partition};
use super::text::TextEncoding;
use super::TradeNetwork;
use crate::error::{clip, owned, push, reserve, Error, Location, Result};
use crate::monitor::{Monitor, Quiet};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Whether an optional column is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Read the column if the file has it.
    IfPresent(String),
    /// The file must have it.
    Required(String),
    /// Do not read it.
    Ignore,
}

impl Column {
    fn find(&self, header: &[String], location: &Location) -> Result<Option<usize>> {
        match self {
            Column::Ignore => Ok(None),
            Column::IfPresent(name) => Ok(header.iter().position(|h| h == name)),
            Column::Required(name) => find_required(name, header, location).map(Some),
        }
    }
}

/// How ids in the files are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdType {
    /// Integers when every id is a canonical integer (`"42"`, not `"042"`), else strings.
    #[default]
    Auto,
    /// Always strings.
    Str,
    /// Always integers (`"007"` is 7); anything else is an error.
    Int,
}

named!(IdType, "id_type", "auto" => IdType::Auto, "str" => IdType::Str, "int" => IdType::Int);

/// Column names and policies for [`TradeNetwork::read_csv`].
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Firm id column of the firms file.
    pub firm_id: String,
    /// Supplier column of the trades file.
    pub supplier: String,
    /// Customer column of the trades file.
    pub customer: String,
    /// Amount column of the trades file.
    pub amount: Column,
    /// Year column of the trades and collaborations files.
    pub year: Column,
    /// Last-year column of the trades file.
    pub last_year: Column,
    /// The two firm columns of the collaborations file.
    pub collaboration: (String, String),
    /// Firm columns read as partitions whatever they look like (e.g. numeric region codes).
    pub partitions: Vec<String>,
    /// Firm columns read as numbers; a cell that does not parse is an error.
    pub attributes: Vec<String>,
    /// How ids are typed.
    pub id_type: IdType,
    /// Field delimiter.
    pub delimiter: u8,
    /// The files' text encoding.
    pub encoding: TextEncoding,
    /// A thousands separator in numbers (`Some(b',')` reads `"1,200"` as 1200).
    pub thousands: Option<u8>,
    /// Duplicate and self-loop policies.
    pub build: BuildOptions,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            firm_id: "firm_id".into(),
            supplier: "supplier".into(),
            customer: "customer".into(),
            amount: Column::IfPresent("amount".into()),
            year: Column::IfPresent("year".into()),
            last_year: Column::IfPresent("last_year".into()),
            collaboration: ("a".into(), "b".into()),
            partitions: Vec::new(),
            attributes: Vec::new(),
            id_type: IdType::Auto,
            delimiter: b',',
            encoding: TextEncoding::Auto,
            thousands: None,
            build: BuildOptions::default(),
        }
    }
}

fn find_required(name: &str, header: &[String], location: &Location) -> Result<usize> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| Error::MissingColumn {
            location: Box::new(location.clone()),
            column: name.to_string(),
            present: header.join(", "),
        })
}

/// Reads a firms file: the id column, then every other column as a partition or attribute.
/// Also returns how each column's kind was decided: `(column, "attribute (why)")`.
fn read_firms(
    path: &Path,
    o: &CsvOptions,
    monitor: &dyn Monitor,
) -> Result<(FirmTable, RowOrigin, ColumnKinds, Blank)> {
    let mut f = CsvStream::open(path, o.encoding, dialect(o))?;
    let id_col = f.required(&o.firm_id)?;
    for name in o.partitions.iter().chain(&o.attributes) {
        f.required(name)?;
    }
    let width = f.cells.header.len();
    const WHAT: &str = "the firms read";
    let mut lines = Vec::new();
    let mut columns = vec![Strings::default(); width];
    let mut skipped = Blank::default();
    let location = f.cells.location.clone();
    let parse = |rows: &mut Rows<'_>| {
        let (rows_hint, bytes) = rows.size_hint();
        let (mut lines, mut blank) = (Vec::new(), Vec::new());
        reserve(&mut lines, rows_hint, WHAT)?;
        let mut cells = Vec::with_capacity(width);
        for _ in 0..width {
            cells.push(Strings::try_with_capacity(rows_hint, bytes / width, WHAT)?);
        }
        while let Some(line) = rows.next_row()? {
            if rows.blank() {
                push(&mut blank, line, WHAT)?;
                continue;
            }
            for (k, column) in cells.iter_mut().enumerate() {
                let value = rows.field(k, line)?;
                if k == id_col && value.is_empty() {
                    return Err(Error::input(rows.at(k, line), "empty firm id"));
                }
                column.try_push(value, WHAT)?;
            }
            push(&mut lines, line, WHAT)?;
        }
        Ok((lines, cells, blank))
    };
    f.each_block(
        monitor,
        &format!("reading {}", path.display()),
        parse,
        |pieces| {
            for (piece_lines, cells, blank) in pieces {
                for line in blank {
                    skipped.add(|| location.row(line));
                }
                reserve(&mut lines, piece_lines.len(), WHAT)?;
                lines.extend(piece_lines);
                columns
                    .par_iter_mut()
                    .zip(cells)
                    .try_for_each(|(column, piece)| column.try_append(&piece, WHAT))?;
            }
            Ok(())
        },
    )?;
    let mut origin = RowOrigin::file(path);
    origin.lines = Some(lines);
    let header = &f.cells.header;
    let ids = std::mem::take(&mut columns[id_col]);
    // Each column's kind is decided on its own core; the first error in column order wins.
    let decided: Vec<Result<Option<(String, Kind)>>> = columns
        .into_par_iter()
        .enumerate()
        .map(|(k, values)| {
            let name = &header[k];
            if k == id_col {
                return Ok(None);
            }
            Ok(Some((name.clone(), column_kind(name, values, o, &origin)?)))
        })
        .collect();
    let mut table = FirmTable::new(type_ids(ids, o.id_type, &origin, &o.firm_id)?);
    let mut kinds = Vec::new();
    for d in decided {
        match d? {
            Some((name, Kind::Attribute(values, why))) => {
                kinds.push((name.clone(), format!("attribute ({why})")));
                table.attributes.push(Attribute::new(&name, values));
            }
            Some((name, Kind::Partition(p, why))) => {
                kinds.push((name, format!("partition ({why})")));
                table.partitions.push(p);
            }
            None => {}
        }
    }
    Ok((table, origin, kinds, skipped))
}

/// What a firm column became, with why.
enum Kind {
    Attribute(Vec<f64>, &'static str),
    Partition(Partition, String),
}

/// Decides a firm column's kind: numbers when asked for or when every value is one, else
/// labels.
fn column_kind(name: &str, values: Strings, o: &CsvOptions, origin: &RowOrigin) -> Result<Kind> {
    let forced = o.partitions.iter().any(|p| p == name);
    let inferred = if forced {
        Err("asked for with partitions=".to_string())
    } else {
        numbers(&values, o.thousands, origin)
    };
    let asked = o.attributes.iter().any(|a| a == name);
    match inferred {
        Ok(parsed) if asked => Ok(Kind::Attribute(parsed, "asked for with attributes=")),
        Ok(parsed) => Ok(Kind::Attribute(parsed, "every value is a number")),
        Err(_) if asked => {
            let i = values
                .iter()
                .position(|v| parse_number(v, o.thousands).is_none())
                .unwrap_or(0);
            Err(Error::input(
                origin.at(i).column(name),
                format!("'{}' is not a number", clip(&values[i])),
            ))
        }
        Err(why) => Ok(Kind::Partition(
            Partition::from_labels(name, values.iter().map(Some)),
            why,
        )),
    }
}

/// How each firm column's kind was decided: `(column, "partition (why)")`.
type ColumnKinds = Vec<(String, String)>;

/// The column as numbers when it has a value and every value is a number (and none a
/// zero-padded code such as `"01"`: prefecture and municipality codes), else why not.
fn numbers(
    values: &Strings,
    thousands: Option<u8>,
    origin: &RowOrigin,
) -> Result<Vec<f64>, String> {
    let mut out = Vec::with_capacity(values.len());
    let mut any = false;
    for (i, s) in values.iter().enumerate() {
        if is_padded_code(s) {
            return Err(format!(
                "'{}' at {} is a zero-padded code",
                clip(s),
                origin.at(i)
            ));
        }
        any |= !s.is_empty();
        match parse_number(s, thousands) {
            Some(x) => out.push(x),
            None => {
                let hint = match thousands {
                    None if parse_number(s, Some(b',')).is_some() => {
                        "; thousands=',' reads it as a number"
                    }
                    _ => "",
                };
                return Err(format!(
                    "'{}' at {} is not a number{hint}",
                    clip(s),
                    origin.at(i)
                ));
            }
        }
    }
    if any {
        Ok(out)
    } else {
        Err("no values".into())
    }
}

/// A zero-padded code such as `"01"`: such columns stay categorical.
fn is_padded_code(s: &str) -> bool {
    s.len() > 1 && s.starts_with('0') && s.as_bytes()[1].is_ascii_digit()
}

fn type_ids(ids: Strings, id_type: IdType, origin: &RowOrigin, column: &str) -> Result<FirmIds> {
    match id_type {
        IdType::Str => Ok(FirmIds::Str(ids)),
        IdType::Auto => match ids.iter().map(canonical_int).collect::<Option<Vec<i64>>>() {
            Some(ints) if !ints.is_empty() => Ok(FirmIds::Int(ints)),
            _ => Ok(FirmIds::Str(ids)),
        },
        IdType::Int => {
            let mut out = Vec::with_capacity(ids.len());
            for (i, s) in ids.iter().enumerate() {
                out.push(s.parse::<i64>().ok().ok_or_else(|| {
                    Error::input(
                        origin.at(i).column(column),
                        format!("'{}' is not an integer id", clip(s)),
                    )
                })?);
            }
            Ok(FirmIds::Int(out))
        }
    }
}

/// Resolves ids of trade rows: against the firms file, or growing a list of firms when there
/// is no firms file.
enum Resolver<'a> {
    Known(&'a IdIndex),
    /// New ids get indices after those of `base` (the firms file with `unknown_firms = Add`;
    /// none when firms are inferred from the trades).
    Growing {
        base: Option<&'a IdIndex>,
        offset: u32,
        map: FxHashMap<Box<str>, u32>,
        ids: Vec<String>,
    },
}

impl<'a> Resolver<'a> {
    /// The firms index ids are looked up in first (on all cores).
    fn index(&self) -> Option<&'a IdIndex> {
        match self {
            Resolver::Known(index) => Some(index),
            Resolver::Growing { base, .. } => *base,
        }
    }

    /// The index of `id`, `None` when unknown (or empty); an error only when out of memory.
    fn resolve(&mut self, id: &str) -> Result<Option<u32>> {
        match self {
            Resolver::Known(index) => Ok(index.get_str(id)),
            Resolver::Growing {
                base,
                offset,
                map,
                ids,
            } => {
                if id.is_empty() {
                    return Ok(None);
                }
                if let Some(i) = base.and_then(|b| b.get_str(id)) {
                    return Ok(Some(i));
                }
                if let Some(&i) = map.get(id) {
                    return Ok(Some(i));
                }
                let i = *offset + ids.len() as u32;
                if map.len() == map.capacity() {
                    map.try_reserve(map.len().max(1024))
                        .map_err(|_| Error::OutOfMemory {
                            what: "the firm ids read",
                            bytes: (map.len() * 2 * std::mem::size_of::<(Box<str>, u32)>()) as u64,
                        })?;
                }
                const WHAT: &str = "the firm ids read";
                map.insert(owned(id, WHAT)?.into_boxed_str(), i);
                push(ids, owned(id, WHAT)?, WHAT)?;
                Ok(Some(i))
            }
        }
    }
}

/// The columns of an edge file: the two firm columns, the optional value columns, and
/// whether ties are undirected (collaborations).
struct EdgeColumns<'a> {
    ends: (&'a str, &'a str),
    amount: &'a Column,
    year: &'a Column,
    last_year: &'a Column,
    undirected: bool,
}

/// One piece of an edge file, parsed and checked on one core: each row's line, values and
/// firm indices ([`UNRESOLVED`] where the id is not in the firms index yet: `unresolved`
/// names those, in row order).
#[derive(Default)]
struct EdgePiece {
    lines: Vec<u64>,
    ends: Vec<[u32; 2]>,
    amount: Vec<f64>,
    year: Vec<i32>,
    last_year: Vec<i32>,
    /// The row and end of each id not found, and its text.
    unresolved: Vec<(u32, u8)>,
    unresolved_keys: Strings,
    /// Lines of the rows with every cell blank.
    blank: Vec<u64>,
}

/// A firm index the id lookup left open.
const UNRESOLVED: u32 = u32::MAX;

/// Streams a trades (or collaborations) file into resolved edges: pieces are parsed, checked
/// and looked up in the firms index on all cores; ids not found there are then resolved (or
/// set aside) in row order, so that new firms are numbered in order of appearance.
fn read_edges(
    path: &Path,
    cols: EdgeColumns<'_>,
    resolver: &mut Resolver<'_>,
    o: &CsvOptions,
    monitor: &dyn Monitor,
) -> Result<(EdgeList, RowOrigin)> {
    let mut f = CsvStream::open(path, o.encoding, dialect(o))?;
    let ends = [f.required(cols.ends.0)?, f.required(cols.ends.1)?];
    let header = f.cells.header.clone();
    let amount_col = cols.amount.find(&header, &f.cells.location)?;
    let year_col = cols.year.find(&header, &f.cells.location)?;
    let last_col = cols.last_year.find(&header, &f.cells.location)?;
    let mut lines = Vec::new();
    let mut edges =
        EdgeList::with_columns(amount_col.is_some(), year_col.is_some(), last_col.is_some());
    edges.undirected = cols.undirected;
    let mut unknown = UnknownIds::default();
    // Firms inferred with integer ids: each id is checked where it is read, and "007" and
    // "7" are one firm.
    let inferred_ints = o.id_type == IdType::Int && matches!(resolver, Resolver::Growing { .. });
    let index = resolver.index();
    // Integer ids of a known firms index are looked up as they are read: no text is kept
    // but that of the ids not found.
    let inline = !inferred_ints && index.is_some_and(IdIndex::is_int);
    const WHAT: &str = "the links read";
    let parse = |rows: &mut Rows<'_>| {
        let (n, bytes) = rows.size_hint();
        let (rows_kept, bytes_kept) = if inline { (0, 0) } else { (n, bytes / 4) };
        let mut keys = [
            Strings::try_with_capacity(rows_kept, bytes_kept, WHAT)?,
            Strings::try_with_capacity(rows_kept, bytes_kept, WHAT)?,
        ];
        let mut p = EdgePiece::default();
        reserve(&mut p.lines, n, WHAT)?;
        reserve(&mut p.ends, n, WHAT)?;
        let room = |present: bool| if present { n } else { 0 };
        reserve(&mut p.amount, room(amount_col.is_some()), WHAT)?;
        reserve(&mut p.year, room(year_col.is_some()), WHAT)?;
        reserve(&mut p.last_year, room(last_col.is_some()), WHAT)?;
        while let Some(line) = rows.next_row()? {
            if rows.blank() {
                push(&mut p.blank, line, WHAT)?;
                continue;
            }
            if let Some(k) = amount_col {
                let v = rows.number(k, line)?;
                builder::check_amount(v, || rows.at(k, line))?;
                push(&mut p.amount, v, WHAT)?;
            }
            let y = year_col.map(|k| rows.year(k, line)).transpose()?;
            let ly = last_col.map(|k| rows.year(k, line)).transpose()?;
            builder::check_years(y, ly, || rows.row(line))?;
            if let Some(y) = y {
                push(&mut p.year, y, WHAT)?;
            }
            if let Some(ly) = ly {
                push(&mut p.last_year, ly, WHAT)?;
            }
            let mut found = [UNRESOLVED; 2];
            for (end, &k) in ends.iter().enumerate() {
                let key = rows.field(k, line)?;
                if key.is_empty() {
                    return Err(Error::input(rows.at(k, line), "empty firm id"));
                }
                if inline {
                    match index.and_then(|x| x.get_str(key)) {
                        Some(f) => found[end] = f,
                        None => {
                            push(&mut p.unresolved, (p.lines.len() as u32, end as u8), WHAT)?;
                            p.unresolved_keys.try_push(key, WHAT)?;
                        }
                    }
                } else if inferred_ints {
                    let n = key.parse::<i64>().map_err(|_| {
                        Error::input(
                            rows.at(k, line),
                            format!("'{}' is not an integer id", clip(key)),
                        )
                    })?;
                    // Written on the stack: millions of tiny strings must not abort when
                    // memory runs out.
                    let mut digits = [0u8; 20];
                    let mut at = &mut digits[..];
                    let _ = std::io::Write::write_fmt(&mut at, format_args!("{n}"));
                    let len = 20 - at.len();
                    let text = std::str::from_utf8(&digits[..len]).unwrap_or_default();
                    keys[end].try_push(text, WHAT)?;
                } else {
                    keys[end].try_push(key, WHAT)?;
                }
            }
            if inline {
                push(&mut p.ends, found, WHAT)?;
            }
            push(&mut p.lines, line, WHAT)?;
        }
        if inline {
            return Ok(p);
        }
        // Text ids are looked up after the piece is read, one after another: independent
        // lookups overlap their cache misses, which interleaved with parsing they cannot.
        for i in 0..p.lines.len() {
            let mut found = [UNRESOLVED; 2];
            for (end, keys) in keys.iter().enumerate() {
                match index.and_then(|x| x.get_str(&keys[i])) {
                    Some(f) => found[end] = f,
                    None => {
                        push(&mut p.unresolved, (i as u32, end as u8), WHAT)?;
                        p.unresolved_keys.try_push(&keys[i], WHAT)?;
                    }
                }
            }
            push(&mut p.ends, found, WHAT)?;
        }
        Ok(p)
    };
    let stage = format!("reading {}", path.display());
    let location = f.cells.location.clone();
    f.each_block(monitor, &stage, parse, |pieces| {
        for p in pieces {
            for &line in &p.blank {
                // Read, and set aside: every row read is kept, merged or set aside.
                edges.read += 1;
                edges.blank.add(|| location.row(line));
            }
            let mut unresolved = p
                .unresolved
                .into_iter()
                .zip(p.unresolved_keys.iter())
                .peekable();
            for (i, (&line, found)) in p.lines.iter().zip(p.ends).enumerate() {
                let row = lines.len();
                let at = || location.row(line);
                let mut ids = found.map(Some);
                let mut names: [Option<&str>; 2] = [None, None];
                while let Some(((_, end), key)) = unresolved.next_if(|k| k.0 .0 as usize == i) {
                    let end = end as usize;
                    ids[end] = resolver.resolve(key)?;
                    names[end] = Some(key);
                }
                push(&mut lines, line, "the line numbers of the links read")?;
                let values = (
                    amount_col.map(|_| p.amount[i]),
                    year_col.map(|_| p.year[i]),
                    last_col.map(|_| p.last_year[i]),
                );
                match ids {
                    [Some(a), Some(b)] => {
                        let (a, b) = if cols.undirected {
                            (a.min(b), a.max(b))
                        } else {
                            (a, b)
                        };
                        edges.push(a, b, values, row, o.build.self_loops, at)?;
                    }
                    [a, _] => {
                        let end = usize::from(a.is_some());
                        let name = names[end].unwrap_or_default();
                        unknown.add(|| name.to_string(), || at().column(&header[ends[end]]));
                    }
                }
                if lines.len() >= u32::MAX as usize {
                    return Err(Error::input(
                        at(),
                        "more than 4,294,967,294 rows are not supported",
                    ));
                }
            }
        }
        Ok(())
    })?;
    unknown.finish(o.build.unknown_firms, &mut edges)?;
    let mut origin = RowOrigin::file(path);
    origin.lines = Some(lines);
    Ok((edges, origin))
}

/// How the files' cells are split and read.
fn dialect(o: &CsvOptions) -> Dialect {
    Dialect {
        delimiter: o.delimiter,
        thousands: o.thousands,
    }
}

impl TradeNetwork {
    /// Reads a network from CSV files: firms (optional; without it firms are inferred from the
    /// trades and reported), trades, and collaborations (optional).
    ///
    /// The firms file has the id column and any others: a column becomes a numeric attribute
    /// when every non-empty cell is a number (and none is a zero-padded code such as `"01"`),
    /// else a partition; [`CsvOptions::partitions`] and [`CsvOptions::attributes`] force the
    /// choice. Cells are trimmed; an empty cell is a missing value.
    ///
    /// ```
    /// use tsunagime::network::CsvOptions;
    /// use tsunagime::TradeNetwork;
    /// let dir = std::env::temp_dir().join("tsunagime-doc-read-csv");
    /// std::fs::create_dir_all(&dir).map_err(|e| tsunagime::Error::Io { path: dir.clone(), source: e })?;
    /// let trades = dir.join("trades.csv");
    /// std::fs::write(&trades, "supplier,customer,amount\n1,2,5\n1,2,3\n2,3,1\n")
    ///     .map_err(|e| tsunagime::Error::Io { path: trades.clone(), source: e })?;
    /// let (net, report) = TradeNetwork::read_csv(None, &trades, None, &CsvOptions::default())?;
    /// assert_eq!((net.n_firms(), net.n_trades(), report.trades_merged), (3, 2, 1));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn read_csv(
        firms: Option<&Path>,
        trades: &Path,
        collaborations: Option<&Path>,
        options: &CsvOptions,
    ) -> Result<(TradeNetwork, LoadReport)> {
        Self::read_csv_with(firms, trades, collaborations, options, &Quiet)
    }

    /// [`TradeNetwork::read_csv`] reporting progress (rows read) to a [`Monitor`], which can
    /// also stop it ([`Error::Interrupted`]).
    ///
    /// ```
    /// use tsunagime::network::CsvOptions;
    /// use tsunagime::TradeNetwork;
    /// let dir = std::env::temp_dir().join("tsunagime-doc-read-csv-with");
    /// std::fs::create_dir_all(&dir).map_err(|e| tsunagime::Error::Io { path: dir.clone(), source: e })?;
    /// let trades = dir.join("trades.csv");
    /// std::fs::write(&trades, "supplier,customer,amount\n1,2,5\n1,2,3\n2,3,1\n")
    ///     .map_err(|e| tsunagime::Error::Io { path: trades.clone(), source: e })?;
    /// let opts = CsvOptions::default();
    /// let (net, _) = TradeNetwork::read_csv_with(None, &trades, None, &opts, &tsunagime::Quiet)?;
    /// assert_eq!(net.amounts(), Some(&[8.0, 1.0][..]));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn read_csv_with(
        firms: Option<&Path>,
        trades: &Path,
        collaborations: Option<&Path>,
        options: &CsvOptions,
        monitor: &dyn Monitor,
    ) -> Result<(TradeNetwork, LoadReport)> {
        let mut report = LoadReport::default();
        let known = match firms {
            Some(path) => {
                let (table, origin, kinds, blank) = read_firms(path, options, monitor)?;
                blank.note(&mut report, "firms");
                let firms = builder::validate_firms(table, &origin)?;
                report.firms_read = firms.table.ids.len() as u64 + blank.count;
                report.columns = kinds;
                Some(firms)
            }
            None => None,
        };
        let mut resolver = match &known {
            Some(firms) if options.build.unknown_firms == UnknownFirms::Add => Resolver::Growing {
                base: Some(&firms.index),
                offset: firms.table.ids.len() as u32,
                map: FxHashMap::default(),
                ids: Vec::new(),
            },
            Some(firms) => Resolver::Known(&firms.index),
            None => Resolver::Growing {
                base: None,
                offset: 0,
                map: FxHashMap::default(),
                ids: Vec::new(),
            },
        };
        let (edges, origin) = read_edges(
            trades,
            EdgeColumns {
                ends: (&options.supplier, &options.customer),
                amount: &options.amount,
                year: &options.year,
                last_year: &options.last_year,
                undirected: false,
            },
            &mut resolver,
            options,
            monitor,
        )?;
        let collabs = match collaborations {
            Some(path) => Some(read_edges(
                path,
                EdgeColumns {
                    ends: (&options.collaboration.0, &options.collaboration.1),
                    amount: &Column::Ignore,
                    year: &options.year,
                    last_year: &Column::Ignore,
                    undirected: true,
                },
                &mut resolver,
                options,
                monitor,
            )?),
            None => None,
        };
        let grown = match resolver {
            Resolver::Growing { ids, .. } => ids,
            Resolver::Known(_) => Vec::new(),
        };
        let firms = match known {
            Some(firms) if grown.is_empty() => firms,
            Some(firms) => {
                report.firms_added = grown.len() as u64;
                let mut table = firms.table;
                table.add_unknown(grown, &origin)?;
                builder::validate_firms(table, &RowOrigin::table("firms"))?
            }
            None => {
                report.firms_inferred = grown.len() as u64;
                let origin = RowOrigin::table("firms");
                builder::validate_firms(
                    FirmTable::new(type_ids(grown.into(), options.id_type, &origin, "id")?),
                    &origin,
                )?
            }
        };
        builder::assemble(firms, edges, &origin, collabs, options.build, report)
    }
}

/// Writes the network as CSV files that [`TradeNetwork::read_csv`] reads back: firms (id,
/// partitions, attributes), trades (supplier, customer, amount, year, last_year where present)
/// and, when there are any, collaborations (a, b, year).
pub fn write_csv(
    net: &TradeNetwork,
    firms: &Path,
    trades: &Path,
    collaborations: Option<&Path>,
) -> Result<()> {
    let ids = net.firm_ids();
    let id = |i: usize| ids.get(i).to_string();
    let number = |v: f64| {
        if v.is_nan() {
            String::new()
        } else {
            v.to_string()
        }
    };

    let mut w = create(firms)?;
    let t = net.firms();
    let mut header = vec!["firm_id".to_string()];
    header.extend(t.partitions.iter().map(|p| p.name.clone()));
    header.extend(t.attributes.iter().map(|a| a.name.clone()));
    w.write_record(&header).map_err(csv_io(firms))?;
    let mut record = Vec::with_capacity(header.len());
    for i in 0..net.n_firms() {
        record.clear();
        record.push(id(i));
        record.extend(
            t.partitions
                .iter()
                .map(|p| p.label(i).unwrap_or("").to_string()),
        );
        record.extend(t.attributes.iter().map(|a| number(a.values[i])));
        w.write_record(&record).map_err(csv_io(firms))?;
    }
    w.flush().map_err(io(firms))?;

    let mut w = create(trades)?;
    let mut header = vec!["supplier", "customer"];
    let (amount, year, last) = (net.amounts(), net.years(), net.last_years());
    for (name, present) in [
        ("amount", amount.is_some()),
        ("year", year.is_some()),
        ("last_year", last.is_some()),
    ] {
        if present {
            header.push(name);
        }
    }
    w.write_record(&header).map_err(csv_io(trades))?;
    let (sup, cus) = (net.edge_suppliers(), net.edge_customers());
    for e in 0..net.n_trades() {
        record.clear();
        record.push(id(sup[e] as usize));
        record.push(id(cus[e] as usize));
        record.extend(amount.map(|v| number(v[e])));
        record.extend(year.map(|v| v[e].to_string()));
        record.extend(last.map(|v| v[e].to_string()));
        w.write_record(&record).map_err(csv_io(trades))?;
    }
    w.flush().map_err(io(trades))?;

    if let Some(path) = collaborations {
        let mut w = create(path)?;
        let years = net.collaboration_years();
        let mut header = vec!["a", "b"];
        if years.is_some() {
            header.push("year");
        }
        w.write_record(&header).map_err(csv_io(path))?;
        let (a, b) = net.collaborations();
        for e in 0..net.n_collaborations() {
            record.clear();
            record.push(id(a[e] as usize));
            record.push(id(b[e] as usize));
            record.extend(years.map(|v| v[e].to_string()));
            w.write_record(&record).map_err(csv_io(path))?;
        }
        w.flush().map_err(io(path))?;
    }
    Ok(())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn csv_io(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io {
            path: path.to_path_buf(),
            source,
        },
        kind => Error::Encode(format!("{}: {kind:?}", path.display())),
    }
}

fn create(path: &Path) -> Result<csv::Writer<BufWriter<File>>> {
    let file = File::create(path).map_err(io(path))?;
    Ok(csv::Writer::from_writer(BufWriter::with_capacity(
        1 << 20,
        file,
    )))
}
