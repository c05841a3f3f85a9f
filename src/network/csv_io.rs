//! Streaming CSV reading and writing of networks.
//!
//! Trades are resolved to firm indices row by row as they are read, so a 5M-row file never
//! holds its ids as strings. Every problem is reported with the file, the line (as an editor
//! shows it, the header being line 1) and the column.

use super::builder::{self, BuildOptions, EdgeList, RowOrigin, UnknownFirms, UnknownIds};
use super::ids::{canonical_int, FirmIds, IdIndex};
use super::report::LoadReport;
use super::table::{Attribute, FirmTable, Partition};
use super::text::{self, TextEncoding};
use super::TradeNetwork;
use crate::error::{clip, push, Error, Location, Result};
use crate::monitor::{checkpoint, Monitor, Quiet, POLL_EVERY};
use rustc_hash::FxHashMap;
use std::fs::File;
use std::io::{BufWriter, Read};
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

/// Turns CRLF line ends into LF while reading. The csv reader counts lines by `\n` but ends a
/// record at the `\r`, so with CRLF files it would report each row one line too early.
struct CrlfToLf<R> {
    inner: R,
    pending_cr: bool,
}

impl<R: Read> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let start = usize::from(self.pending_cr);
            if self.pending_cr {
                buf[0] = b'\r';
            }
            let n = self.inner.read(&mut buf[start..])?;
            if n == 0 {
                self.pending_cr = false;
                return Ok(start);
            }
            let end = start + n;
            let mut w = 0;
            for r in 0..end {
                let b = buf[r];
                if b == b'\r' && r + 1 < end && buf[r + 1] == b'\n' {
                    continue;
                }
                buf[w] = b;
                w += 1;
            }
            // A `\r` at the end may be followed by `\n` in the next read: hold it back.
            self.pending_cr = w > 0 && buf[w - 1] == b'\r';
            if self.pending_cr {
                w -= 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// An open CSV file with its header, yielding checked rows.
struct CsvFile {
    reader: csv::Reader<CrlfToLf<Box<dyn Read + Send>>>,
    header: Vec<String>,
    location: Location,
    record: csv::ByteRecord,
    thousands: Option<u8>,
}

impl CsvFile {
    fn open(path: &Path, o: &CsvOptions) -> Result<CsvFile> {
        let location = RowOrigin::file(path).location;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(o.delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(CrlfToLf::new(text::reader(path, o.encoding)?));
        let raw = reader
            .byte_headers()
            .map_err(|e| csv_error(e, &location))?
            .clone();
        if raw.is_empty() || (raw.len() == 1 && raw[0].is_empty()) {
            return Err(Error::input(
                location.row(1),
                "empty file: expected a header line",
            ));
        }
        let mut header = Vec::with_capacity(raw.len());
        for (k, field) in raw.iter().enumerate() {
            let name = std::str::from_utf8(field).map_err(|_| {
                Error::input(
                    location.row(1),
                    format!("header field {} is not valid UTF-8", k + 1),
                )
            })?;
            let name = name.trim_start_matches('\u{feff}').trim();
            if name.is_empty() {
                return Err(Error::input(
                    location.row(1),
                    format!("header field {} is empty", k + 1),
                ));
            }
            if header.iter().any(|h| h == name) {
                return Err(Error::input(
                    location.row(1).column(name),
                    "column name appears twice in the header",
                ));
            }
            header.push(name.to_string());
        }
        Ok(CsvFile {
            reader,
            header,
            location,
            record: csv::ByteRecord::new(),
            thousands: o.thousands,
        })
    }

    /// Reads the next row; returns its line, or `None` at the end.
    fn next_row(&mut self) -> Result<Option<u64>> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(e, &self.location))?;
        if !more {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        if self.record.len() != self.header.len() {
            return Err(Error::input(
                self.location.row(line),
                format!(
                    "{} fields, but the header has {}",
                    self.record.len(),
                    self.header.len()
                ),
            ));
        }
        Ok(Some(line))
    }

    /// Field `k` of the current row as text.
    fn field(&self, k: usize, line: u64) -> Result<&str> {
        std::str::from_utf8(&self.record[k]).map_err(|e| {
            Error::input(
                self.location.row(line).column(&self.header[k]),
                format!(
                    "not valid UTF-8 (bad byte at position {}); give the file's encoding \
                     (e.g. encoding='cp932')",
                    e.valid_up_to() + 1
                ),
            )
        })
    }

    /// Field `k` as a number (empty = NaN).
    fn number(&self, k: usize, line: u64) -> Result<f64> {
        let s = self.field(k, line)?;
        parse_number(s, self.thousands).ok_or_else(|| {
            Error::input(
                self.location.row(line).column(&self.header[k]),
                format!("'{}' is not a number", clip(s)),
            )
        })
    }

    /// Field `k` as a year.
    fn year(&self, k: usize, line: u64) -> Result<i32> {
        let s = self.field(k, line)?;
        let at = self.location.row(line).column(&self.header[k]);
        if s.is_empty() {
            return Err(Error::input(at, "missing year"));
        }
        s.parse::<i32>()
            .map_err(|_| Error::input(at, format!("'{}' is not a year", clip(s))))
    }
}

/// A cell as a number: empty is NaN; with a `thousands` separator, `"1,200"` is 1200 (the
/// separator may only stand between digits).
fn parse_number(s: &str, thousands: Option<u8>) -> Option<f64> {
    if s.is_empty() {
        return Some(f64::NAN);
    }
    match thousands {
        Some(t) if s.as_bytes().contains(&t) => {
            let b = s.as_bytes();
            let ok = b.iter().enumerate().all(|(i, &c)| {
                c != t
                    || (i > 0
                        && i + 1 < b.len()
                        && b[i - 1].is_ascii_digit()
                        && b[i + 1].is_ascii_digit())
            });
            if !ok {
                return None;
            }
            let cleaned: String = s.chars().filter(|&c| c != t as char).collect();
            cleaned.parse::<f64>().ok()
        }
        _ => s.parse::<f64>().ok(),
    }
}

/// Shortens a cell for an error message.
fn csv_error(e: csv::Error, location: &Location) -> Error {
    let line = e.position().map(|p| p.line());
    let location = match line {
        Some(l) => location.row(l),
        None => location.clone(),
    };
    match e.into_kind() {
        csv::ErrorKind::Io(source)
            if source.get_ref().is_some_and(|e| e.is::<text::Malformed>()) =>
        {
            let bad = source
                .into_inner()
                .and_then(|e| e.downcast::<text::Malformed>().ok());
            match bad {
                Some(m) => Error::input(location.row(m.line), m.message),
                None => Error::input(location, "malformed text"),
            }
        }
        csv::ErrorKind::Io(source) => Error::Io {
            path: match &location.source {
                crate::error::Source::File(p) => p.clone(),
                crate::error::Source::Table(t) => t.into(),
            },
            source,
        },
        kind => Error::input(location, format!("malformed CSV: {kind:?}")),
    }
}

/// Reads a firms file: the id column, then every other column as a partition or attribute.
/// Also returns how each column's kind was decided: `(column, "attribute (why)")`.
fn read_firms(path: &Path, o: &CsvOptions) -> Result<(FirmTable, RowOrigin, ColumnKinds)> {
    let mut f = CsvFile::open(path, o)?;
    let id_col = find_required(&o.firm_id, &f.header, &f.location)?;
    for name in o.partitions.iter().chain(&o.attributes) {
        find_required(name, &f.header, &f.location)?;
    }
    let mut origin = RowOrigin::file(path);
    let mut ids = Vec::new();
    let mut columns: Vec<TextColumn> = (0..f.header.len()).map(|_| TextColumn::default()).collect();
    while let Some(line) = f.next_row()? {
        for (k, column) in columns.iter_mut().enumerate() {
            let value = f.field(k, line)?;
            if k == id_col {
                if value.is_empty() {
                    return Err(Error::input(
                        f.location.row(line).column(&o.firm_id),
                        "empty firm id",
                    ));
                }
                ids.push(value.to_string());
            } else {
                column.push(value);
            }
        }
        if let Some(lines) = origin.lines.as_mut() {
            lines.push(line);
        }
    }
    let ids = type_ids(ids, o.id_type, &origin, &o.firm_id)?;
    let mut table = FirmTable::new(ids);
    let mut kinds = Vec::new();
    for (k, values) in columns.into_iter().enumerate() {
        let name = &f.header[k];
        if k == id_col {
            continue;
        }
        let forced = o.partitions.contains(name);
        let inferred = if forced {
            Err("asked for with partitions=".to_string())
        } else {
            values.numbers(o.thousands, &origin)
        };
        match inferred {
            Ok(parsed) => {
                let why = if o.attributes.contains(name) {
                    "asked for with attributes="
                } else {
                    "every value is a number"
                };
                kinds.push((name.clone(), format!("attribute ({why})")));
                table.attributes.push(Attribute::new(name, parsed));
            }
            Err(_) if o.attributes.contains(name) => {
                let i = (0..values.len())
                    .find(|&i| parse_number(values.get(i), o.thousands).is_none())
                    .unwrap_or(0);
                return Err(Error::input(
                    origin.at(i).column(name),
                    format!("'{}' is not a number", clip(values.get(i))),
                ));
            }
            Err(why) => {
                kinds.push((name.clone(), format!("partition ({why})")));
                table.partitions.push(Partition::from_labels(
                    name,
                    (0..values.len()).map(|i| Some(values.get(i))),
                ))
            }
        }
    }
    Ok((table, origin, kinds))
}

/// How each firm column's kind was decided: `(column, "partition (why)")`.
type ColumnKinds = Vec<(String, String)>;

/// The cells of one column in one buffer (no allocation per cell).
#[derive(Default)]
struct TextColumn {
    data: String,
    ends: Vec<usize>,
}

impl TextColumn {
    fn push(&mut self, s: &str) {
        self.data.push_str(s);
        self.ends.push(self.data.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.data[start..self.ends[i]]
    }

    /// The column as numbers when it has a value and every value is a number (and none a
    /// zero-padded code such as `"01"`: prefecture and municipality codes), else why not.
    fn numbers(&self, thousands: Option<u8>, origin: &RowOrigin) -> Result<Vec<f64>, String> {
        let mut out = Vec::with_capacity(self.len());
        let mut any = false;
        for i in 0..self.len() {
            let s = self.get(i);
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
}

/// A zero-padded code such as `"01"`: such columns stay categorical.
fn is_padded_code(s: &str) -> bool {
    s.len() > 1 && s.starts_with('0') && s.as_bytes()[1].is_ascii_digit()
}

fn type_ids(
    ids: Vec<String>,
    id_type: IdType,
    origin: &RowOrigin,
    column: &str,
) -> Result<FirmIds> {
    match id_type {
        IdType::Str => Ok(FirmIds::Str(ids.into())),
        IdType::Auto => match ids
            .iter()
            .map(|s| canonical_int(s))
            .collect::<Option<Vec<i64>>>()
        {
            Some(ints) if !ints.is_empty() => Ok(FirmIds::Int(ints)),
            _ => Ok(FirmIds::Str(ids.into())),
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

impl Resolver<'_> {
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
                map.insert(id.into(), i);
                push(ids, id.to_string(), "the firm ids read")?;
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

/// Streams a trades (or collaborations) file into resolved edges.
fn read_edges(
    path: &Path,
    cols: EdgeColumns<'_>,
    resolver: &mut Resolver<'_>,
    o: &CsvOptions,
    monitor: &dyn Monitor,
) -> Result<(EdgeList, RowOrigin)> {
    let stage = format!("reading {}", path.display());
    let mut f = CsvFile::open(path, o)?;
    let a_col = find_required(cols.ends.0, &f.header, &f.location)?;
    let b_col = find_required(cols.ends.1, &f.header, &f.location)?;
    let amount_col = cols.amount.find(&f.header, &f.location)?;
    let year_col = cols.year.find(&f.header, &f.location)?;
    let last_col = cols.last_year.find(&f.header, &f.location)?;
    let mut origin = RowOrigin::file(path);
    let mut lines = Vec::new();
    let mut edges =
        EdgeList::with_columns(amount_col.is_some(), year_col.is_some(), last_col.is_some());
    edges.undirected = cols.undirected;
    let mut unknown = UnknownIds::default();
    let inferred_ints = o.id_type == IdType::Int && matches!(resolver, Resolver::Growing { .. });
    let mut row = 0usize;
    while let Some(line) = f.next_row()? {
        let at = || f.location.row(line);
        let amount = match amount_col {
            Some(k) => {
                let v = f.number(k, line)?;
                builder::check_amount(v, || at().column(&f.header[k]))?;
                Some(v)
            }
            None => None,
        };
        let y = year_col.map(|k| f.year(k, line)).transpose()?;
        let ly = last_col.map(|k| f.year(k, line)).transpose()?;
        builder::check_years(y, ly, at)?;
        let a_id = f.field(a_col, line)?;
        let b_id = f.field(b_col, line)?;
        // Firms inferred with integer ids: each id is checked where it is read, and "007"
        // and "7" are one firm.
        let mut keys: [std::borrow::Cow<'_, str>; 2] = [a_id.into(), b_id.into()];
        for (key, col) in keys.iter_mut().zip([a_col, b_col]) {
            if key.is_empty() {
                return Err(Error::input(at().column(&f.header[col]), "empty firm id"));
            }
            if inferred_ints {
                let n = key.parse::<i64>().map_err(|_| {
                    Error::input(
                        at().column(&f.header[col]),
                        format!("'{}' is not an integer id", clip(key)),
                    )
                })?;
                *key = n.to_string().into();
            }
        }
        let a = resolver.resolve(&keys[0])?;
        let b = resolver.resolve(&keys[1])?;
        push(&mut lines, line, "the line numbers of the links read")?;
        match (a, b) {
            (Some(a), Some(b)) => {
                let (a, b) = if cols.undirected {
                    (a.min(b), a.max(b))
                } else {
                    (a, b)
                };
                edges.push(a, b, (amount, y, ly), row, o.build.self_loops, at)?;
            }
            (None, _) => unknown.add(|| a_id.to_string(), || at().column(&f.header[a_col])),
            (_, None) => unknown.add(|| b_id.to_string(), || at().column(&f.header[b_col])),
        }
        row += 1;
        if row as u64 % POLL_EVERY == 0 {
            checkpoint(monitor, &stage, row as u64, 0)?;
        }
        if row >= u32::MAX as usize {
            return Err(Error::input(
                at(),
                "more than 4,294,967,294 rows are not supported",
            ));
        }
    }
    unknown.finish(o.build.unknown_firms, &mut edges)?;
    origin.lines = Some(lines);
    Ok((edges, origin))
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
    /// let dir = std::env::temp_dir().join("tsunagime-doc-read-csv");
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
                let (table, origin, kinds) = read_firms(path, options)?;
                let firms = builder::validate_firms(table, &origin)?;
                report.firms_read = firms.table.ids.len() as u64;
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
                    FirmTable::new(type_ids(grown, options.id_type, &origin, "id")?),
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
        kind => Error::Decode(format!("{kind:?}")),
    }
}

fn create(path: &Path) -> Result<csv::Writer<BufWriter<File>>> {
    let file = File::create(path).map_err(io(path))?;
    Ok(csv::Writer::from_writer(BufWriter::with_capacity(
        1 << 20,
        file,
    )))
}
