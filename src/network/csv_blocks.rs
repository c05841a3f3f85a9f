//! CSV text read in blocks of whole records, each block cut into pieces parsed on all cores.
//!
//! One thread parsing a 300 MB firms-and-trades export spends seconds in the CSV state machine,
//! UTF-8 checks and number parsing; the work is the same for every row, so it is split. A block
//! is about [`BLOCK`] bytes of decoded text ending at a record boundary, and the next block is
//! read while the pieces of this one are parsed. Without quote characters a record ends at
//! every `\n`, so a block is cut anywhere there; a block holding a quote (a quoted field may
//! span lines) is bounded by the csv parser itself and parsed as one piece. Each piece knows
//! the line it starts at, so every error still names the line an editor shows.

use super::text;
use crate::error::{clip, Error, Location, Result};
use crate::monitor::{checkpoint, Monitor};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Bytes read per block: large enough that each core gets pieces of a quarter of a megabyte,
/// small enough that a block's buffers and parsed pieces stay small beside the columns built
/// from them. Larger blocks were no faster and raised the peak memory: glibc keeps freed
/// multi-megabyte buffers for reuse (16 MiB blocks: +30% at 1M firms / 5M trades).
const BLOCK: usize = 2 << 20;

/// How the cells of a file are read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dialect {
    pub(crate) delimiter: u8,
    pub(crate) thousands: Option<u8>,
}

/// A CSV file being read: its header, then blocks of whole records.
pub(crate) struct CsvStream {
    text: Text,
    pub(crate) cells: Cells,
}

/// The reading half of a [`CsvStream`].
struct Text {
    reader: Box<dyn Read + Send>,
    /// Text read and not yet handed out (it starts at a record boundary).
    carry: Vec<u8>,
    /// The line `carry` starts at (the header is line 1).
    line: u64,
    eof: bool,
    /// Bytes read per block ([`BLOCK`]; small in tests, to cross many block ends).
    block: usize,
    location: Location,
    delimiter: u8,
}

/// The parsing half of a [`CsvStream`]: what every piece needs to read and check its cells.
pub(crate) struct Cells {
    pub(crate) header: Vec<String>,
    pub(crate) location: Location,
    dialect: Dialect,
}

/// Whole records of a file, starting at line `line`.
pub(crate) struct Block {
    data: Vec<u8>,
    line: u64,
    /// Where the pieces end (record ends, the last one the block's end).
    cuts: Vec<usize>,
}

impl CsvStream {
    /// Opens `path` in `encoding` and reads its header (names trimmed, unique, not empty).
    pub(crate) fn open(
        path: &Path,
        encoding: text::TextEncoding,
        dialect: Dialect,
    ) -> Result<CsvStream> {
        let location = Location::of(crate::error::Source::File(path.to_path_buf()));
        let mut text = Text {
            reader: text::reader(path, encoding)?,
            carry: Vec::new(),
            line: 1,
            eof: false,
            block: BLOCK,
            location: location.clone(),
            delimiter: dialect.delimiter,
        };
        let empty = || Error::input(location.row(1), "empty file: expected a header line");
        let Some(first) = text.next_block()? else {
            return Err(empty());
        };
        let mut reader = settings(dialect).from_reader(&first.data[..]);
        let mut raw = csv::ByteRecord::new();
        let read = reader
            .read_byte_record(&mut raw)
            .map_err(|e| csv_error(e, &location))?;
        if !read || raw.is_empty() || (raw.len() == 1 && raw[0].is_empty()) {
            return Err(empty());
        }
        let mut header: Vec<String> = Vec::with_capacity(raw.len());
        for (k, field) in raw.iter().enumerate() {
            let at = || location.row(1);
            let name = std::str::from_utf8(field).map_err(|_| {
                Error::input(at(), format!("header field {} is not valid UTF-8", k + 1))
            })?;
            let name = name.trim_start_matches('\u{feff}').trim();
            if name.is_empty() {
                return Err(Error::input(
                    at(),
                    format!("header field {} is empty", k + 1),
                ));
            }
            if header.iter().any(|h| h == name) {
                return Err(Error::input(
                    at().column(name),
                    "column name appears twice in the header",
                ));
            }
            header.push(name.to_string());
        }
        // The rest of the first block goes back in front of what follows.
        let end = reader.position().byte() as usize;
        let mut rest = first.data;
        let lines = count_lines(&rest[..end]);
        rest.drain(..end);
        rest.extend_from_slice(&text.carry);
        text.carry = rest;
        text.line = first.line + lines;
        Ok(CsvStream {
            text,
            cells: Cells {
                header,
                location,
                dialect,
            },
        })
    }

    /// Column `name`'s position, or an error listing the columns there are.
    pub(crate) fn required(&self, name: &str) -> Result<usize> {
        self.cells
            .header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::MissingColumn {
                location: Box::new(self.cells.location.clone()),
                column: name.to_string(),
                present: self.cells.header.join(", "),
            })
    }

    /// Reads the file to its end: each block is parsed on all cores (`parse` once per piece)
    /// while the next block is read, and the pieces go to `take` in file order. Progress
    /// (lines read) and Ctrl-C are checked between blocks.
    pub(crate) fn each_block<T: Send>(
        &mut self,
        monitor: &dyn Monitor,
        stage: &str,
        parse: impl Fn(&mut Rows<'_>) -> Result<T> + Sync,
        mut take: impl FnMut(Vec<T>) -> Result<()>,
    ) -> Result<()> {
        let (text, cells) = (&mut self.text, &self.cells);
        let mut next = text.next_block()?;
        while let Some(block) = next {
            checkpoint(monitor, stage, block.line, 0)?;
            let (parsed, following) =
                rayon::join(|| cells.parse(&block, &parse), || text.next_block());
            take(parsed?)?;
            next = following?;
        }
        checkpoint(monitor, stage, text.line, 0)
    }
}

impl Text {
    /// The next block of whole records, `None` at the end of the file.
    fn next_block(&mut self) -> Result<Option<Block>> {
        let mut want = self.block;
        loop {
            self.fill(want)?;
            if self.carry.is_empty() {
                return Ok(None);
            }
            let step = (self.carry.len() / (4 * rayon::current_num_threads())).max(1 << 16);
            let mut cuts = record_ends(&self.carry, self.delimiter, step);
            if self.eof && cuts.last() != Some(&self.carry.len()) {
                cuts.push(self.carry.len());
            }
            match cuts.last() {
                Some(&end) => {
                    let rest = crate::error::copied(&self.carry[end..], "the text read")?;
                    let mut data = std::mem::replace(&mut self.carry, rest);
                    data.truncate(end);
                    let line = self.line;
                    self.line += count_lines(&data);
                    return Ok(Some(Block { data, line, cuts }));
                }
                // One record longer than the block: read on.
                None => want = self.carry.len() + self.block,
            }
        }
    }

    /// Reads until `carry` holds `want` bytes or the file ends.
    fn fill(&mut self, want: usize) -> Result<()> {
        while !self.eof && self.carry.len() < want {
            let len = self.carry.len();
            crate::error::reserve(&mut self.carry, want - len, "the text read")?;
            self.carry.resize(want, 0);
            let n = loop {
                match self.reader.read(&mut self.carry[len..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.carry.truncate(len);
                        return Err(read_error(e, &self.location));
                    }
                }
            };
            self.carry.truncate(len + n);
            self.eof = n == 0;
        }
        Ok(())
    }
}

impl Cells {
    /// Parses `block` on all cores: `parse` runs once per piece, in any order, and the
    /// results come back in file order; the first error in file order wins.
    fn parse<T: Send>(
        &self,
        block: &Block,
        parse: &(impl Fn(&mut Rows<'_>) -> Result<T> + Sync),
    ) -> Result<Vec<T>> {
        let pieces = block.pieces();
        let results: Vec<Result<T>> = pieces
            .into_par_iter()
            .map(|(text, line)| {
                // Quotes and lone CRs (a record end to the csv reader) need the parser.
                let parser = memchr::memchr(b'"', text).is_some()
                    || memchr::memchr_iter(b'\r', text).any(|i| text.get(i + 1) != Some(&b'\n'));
                let cells = match parser {
                    true => Cut::Csv(
                        settings(self.dialect).from_reader(text),
                        csv::ByteRecord::new(),
                    ),
                    false => Cut::Plain(Vec::with_capacity(self.header.len())),
                };
                parse(&mut Rows {
                    cells,
                    text,
                    counted: 0,
                    line,
                    delimiter: self.dialect.delimiter,
                    header: &self.header,
                    location: &self.location,
                    thousands: self.dialect.thousands,
                })
            })
            .collect();
        results.into_iter().collect()
    }
}

impl Block {
    /// The pieces, with the line each starts at.
    fn pieces(&self) -> Vec<(&[u8], u64)> {
        let mut out = Vec::with_capacity(self.cuts.len());
        let (mut start, mut line) = (0, self.line);
        for &end in &self.cuts {
            let piece = &self.data[start..end];
            out.push((piece, line));
            line += count_lines(piece);
            start = end;
        }
        out
    }
}

/// The rows of one piece, with their cells checked as they are read.
pub(crate) struct Rows<'a> {
    cells: Cut<'a>,
    text: &'a [u8],
    /// Bytes of `text` read (and their line breaks counted in `line`).
    counted: usize,
    line: u64,
    delimiter: u8,
    header: &'a [String],
    location: &'a Location,
    thousands: Option<u8>,
}

/// How a piece is cut into cells: by the csv parser, or, in a block without quotes, at each
/// line end and delimiter (the same cells, without the parser's state machine).
enum Cut<'a> {
    Csv(csv::Reader<&'a [u8]>, csv::ByteRecord),
    /// The current row's cells as byte ranges of the piece.
    Plain(Vec<(usize, usize)>),
}

impl Rows<'_> {
    /// Reads the next row; returns its line, or `None` at the end of the piece.
    pub(crate) fn next_row(&mut self) -> Result<Option<u64>> {
        let (n, line) = match &mut self.cells {
            Cut::Csv(reader, record) => {
                let more = reader
                    .read_byte_record(record)
                    .map_err(|e| csv_error(e, &self.location.row(self.line)))?;
                if !more {
                    return Ok(None);
                }
                // The record starts after any line ends before it (blank lines, a CRLF's `\n`).
                let mut start = record.position().map_or(0, |p| p.byte() as usize);
                while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
                    start += 1;
                }
                let start = start.max(self.counted);
                self.line += count_lines(&self.text[self.counted..start]);
                self.counted = start;
                if memchr::memchr(b'\r', record.as_slice()).is_some() {
                    // A line break inside a quoted field reads as `\n` whichever system
                    // wrote the file.
                    *record = record.iter().map(crlf_to_lf).collect();
                }
                (record.len(), self.line)
            }
            Cut::Plain(fields) => {
                // One line per record: blank lines are skipped, as the csv reader does.
                let (start, end) = loop {
                    if self.counted >= self.text.len() {
                        return Ok(None);
                    }
                    let start = self.counted;
                    let end = memchr::memchr(b'\n', &self.text[start..])
                        .map_or(self.text.len(), |i| start + i);
                    self.counted = end + 1;
                    self.line += 1;
                    let mut stop = end;
                    if stop > start && self.text[stop - 1] == b'\r' {
                        stop -= 1;
                    }
                    if stop > start {
                        break (start, stop);
                    }
                };
                fields.clear();
                let mut from = start;
                for at in memchr::memchr_iter(self.delimiter, &self.text[start..end]) {
                    fields.push((from, start + at));
                    from = start + at + 1;
                }
                fields.push((from, end));
                // `line` now counts the line after this record.
                (fields.len(), self.line - 1)
            }
        };
        if n != self.header.len() && !self.blank() {
            return Err(Error::input(
                self.location.row(line),
                format!("{n} fields, but the header has {}", self.header.len()),
            ));
        }
        Ok(Some(line))
    }

    /// How many rows the piece holds at most (its line ends, plus one), and its bytes: room
    /// to reserve before reading it.
    pub(crate) fn size_hint(&self) -> (usize, usize) {
        (count_lines(self.text) as usize + 1, self.text.len())
    }

    /// Whether every cell of the current row is blank, however many cells it has (first
    /// cell first: one test for nearly every row).
    pub(crate) fn blank(&self) -> bool {
        let n = match &self.cells {
            Cut::Csv(_, record) => record.len(),
            Cut::Plain(fields) => fields.len(),
        };
        (0..n).all(|k| self.cell(k).is_empty())
    }

    /// Where the row at `line` is.
    pub(crate) fn row(&self, line: u64) -> Location {
        self.location.row(line)
    }

    /// Where cell `k` of the row at `line` is.
    pub(crate) fn at(&self, k: usize, line: u64) -> Location {
        self.location.row(line).column(&self.header[k])
    }

    /// The bytes of field `k` of the current row, trimmed.
    fn cell(&self, k: usize) -> &[u8] {
        let bytes = match &self.cells {
            Cut::Csv(_, record) => &record[k],
            Cut::Plain(fields) => &self.text[fields[k].0..fields[k].1],
        };
        bytes.trim_ascii()
    }

    /// Field `k` of the current row as text.
    /// Cells are trimmed here rather than by the csv reader, which would rebuild every record.
    pub(crate) fn field(&self, k: usize, line: u64) -> Result<&str> {
        std::str::from_utf8(self.cell(k)).map_err(|e| {
            Error::input(
                self.at(k, line),
                format!(
                    "not valid UTF-8 (bad byte at position {}); give the file's encoding \
                     (e.g. encoding='cp932')",
                    e.valid_up_to() + 1
                ),
            )
        })
    }

    /// Field `k` as a number (empty = NaN).
    pub(crate) fn number(&self, k: usize, line: u64) -> Result<f64> {
        let s = self.field(k, line)?;
        parse_number(s, self.thousands)
            .ok_or_else(|| Error::input(self.at(k, line), format!("'{}' is not a number", clip(s))))
    }

    /// Field `k` as a year.
    pub(crate) fn year(&self, k: usize, line: u64) -> Result<i32> {
        if let Some(y) = plain_year(self.cell(k)) {
            return Ok(y);
        }
        let s = self.field(k, line)?;
        if s.is_empty() {
            return Err(Error::input(self.at(k, line), "missing year"));
        }
        s.parse::<i32>()
            .map_err(|_| Error::input(self.at(k, line), format!("'{}' is not a year", clip(s))))
    }
}

fn settings(d: Dialect) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.delimiter(d.delimiter).flexible(true).has_headers(false);
    b
}

/// `cell` with every CRLF turned into LF.
fn crlf_to_lf(cell: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(cell.len());
    for (i, &b) in cell.iter().enumerate() {
        if !(b == b'\r' && cell.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Record ends in `text` (which starts at a record start) about every `step` bytes, and the
/// last one; a record end is a line break outside quotes. A quote opens a quoted field only
/// at the start of a field (after a delimiter or a line end), as for the csv reader, where
/// `""` stands for one quote; elsewhere it is a plain character.
fn record_ends(text: &[u8], delimiter: u8, step: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let (mut i, mut last, mut cut) = (0, 0, 0);
    while i < text.len() {
        match memchr::memchr2(b'"', b'\n', &text[i..]).map(|j| i + j) {
            None => break,
            Some(j) if text[j] == b'\n' => {
                last = j + 1;
                if last - cut >= step {
                    ends.push(last);
                    cut = last;
                }
                i = j + 1;
            }
            Some(j)
                if j == 0 || matches!(text[j - 1], b'\n' | b'\r') || text[j - 1] == delimiter =>
            {
                // A quoted field: it ends at a quote not followed by another.
                let mut k = j + 1;
                loop {
                    match memchr::memchr(b'"', &text[k..]) {
                        None => return finish(ends, last, cut),
                        Some(q) if text.get(k + q + 1) == Some(&b'"') => k += q + 2,
                        Some(q) => {
                            k += q + 1;
                            break;
                        }
                    }
                }
                i = k;
            }
            Some(j) => i = j + 1,
        }
    }
    finish(ends, last, cut)
}

fn finish(mut ends: Vec<usize>, last: usize, cut: usize) -> Vec<usize> {
    if last > cut {
        ends.push(last);
    }
    ends
}

/// Powers of ten exact in an `f64`.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The common cell `-?digits[.digits]` with at most 15 digits, read without text validation
/// or the general float parser: the digits make an integer below 2^53 and the power of ten is
/// exact, so their one quotient is the correctly rounded value, as `str::parse` gives it
/// (Clinger's fast path). Anything else is `None`, for the general parser.
fn plain_decimal(cell: &[u8]) -> Option<f64> {
    let (negative, digits) = match cell {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, cell),
    };
    let (mut mantissa, mut count, mut point) = (0u64, 0usize, None);
    for (i, &c) in digits.iter().enumerate() {
        match c {
            // More than 15 digits are left to the general parser before they could overflow.
            b'0'..=b'9' if count < 15 => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let decimals = point.map_or(0, |p| digits.len() - p - 1);
    let v = mantissa as f64 / POW10[decimals];
    Some(if negative { -v } else { v })
}

/// The common year cell `digits` (one to nine), read without text validation.
fn plain_year(cell: &[u8]) -> Option<i32> {
    if cell.is_empty() || cell.len() > 9 || !cell.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(cell.iter().fold(0, |y, &c| y * 10 + i32::from(c - b'0')))
}

/// A cell as a number: empty is NaN; with a `thousands` separator, `"1,200"` is 1200 (the
/// separator may only stand between digits).
pub(crate) fn parse_number(s: &str, thousands: Option<u8>) -> Option<f64> {
    if s.is_empty() {
        return Some(f64::NAN);
    }
    // (With `.` as the thousands separator, "1.200" is 1200: the general path.)
    if thousands != Some(b'.') {
        if let Some(v) = plain_decimal(s.as_bytes()) {
            return Some(v);
        }
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

/// A reading error: text malformed in the file's encoding names its line.
fn read_error(e: std::io::Error, location: &Location) -> Error {
    if e.get_ref().is_some_and(|e| e.is::<text::Malformed>()) {
        if let Some(m) = e
            .into_inner()
            .and_then(|e| e.downcast::<text::Malformed>().ok())
        {
            return Error::input(location.row(m.line), m.message);
        }
        return Error::input(location.clone(), "malformed text");
    }
    Error::Io {
        path: match &location.source {
            crate::error::Source::File(p) => p.clone(),
            crate::error::Source::Table(t) => t.into(),
        },
        source: e,
    }
}

/// A csv parser error at `location`.
fn csv_error(e: csv::Error, location: &Location) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => read_error(source, location),
        kind => Error::input(location.clone(), format!("malformed CSV: {kind:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path reads a number as the general parser does, bit for bit, and leaves it
        /// whatever that parser alone must judge.
        #[test]
        fn plain_decimals_read_as_the_float_parser_reads_them(
            s in "-?[0-9]{0,17}(\\.[0-9]{0,17})?|[0-9]{1,3}(,[0-9]{3})*|[-+.eE0-9]{0,8}"
        ) {
            if let Some(v) = plain_decimal(s.as_bytes()) {
                let std = s.parse::<f64>().map(f64::to_bits);
                proptest::prop_assert_eq!(std, Ok(v.to_bits()), "{}", s);
            }
            if let Some(y) = plain_year(s.as_bytes()) {
                proptest::prop_assert_eq!(s.parse::<i32>(), Ok(y));
            }
        }
    }

    #[test]
    fn plain_decimals_take_the_common_cells_only() {
        assert_eq!(plain_decimal(b"118.792"), Some(118.792));
        assert_eq!(plain_decimal(b"-0.5"), Some(-0.5));
        assert_eq!(plain_decimal(b"7"), Some(7.0));
        for cell in [
            &b""[..],
            b"-",
            b".",
            b"1.2.3",
            b"1e3",
            b"+1",
            b"1,200",
            b"1234567890123456",
        ] {
            assert_eq!(
                plain_decimal(cell),
                None,
                "{}",
                String::from_utf8_lossy(cell)
            );
        }
        assert_eq!(plain_year(b"2019"), Some(2019));
        assert_eq!(plain_year(b"-2019"), None);
        assert_eq!(plain_year(b"1234567890"), None);
    }

    fn rows(text: &str) -> Vec<(u64, String)> {
        rows_in_blocks(text, BLOCK)
    }

    fn rows_in_blocks(text: &str, block: usize) -> Vec<(u64, String)> {
        let all = records(text, block).unwrap();
        all.into_iter().map(|(l, f)| (l, f[0].clone())).collect()
    }

    /// Every record's line and cells, read in blocks of `block` bytes.
    fn records(text: &str, block: usize) -> Result<Vec<(u64, Vec<String>)>> {
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let k = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("tsunagime-blocks-{}-{k}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.csv");
        std::fs::write(&path, text).unwrap();
        let dialect = Dialect {
            delimiter: b',',
            thousands: None,
        };
        let mut s = CsvStream::open(&path, text::TextEncoding::Auto, dialect)?;
        s.text.block = block;
        let mut out = Vec::new();
        let width = s.cells.header.len();
        let parse = |r: &mut Rows<'_>| {
            let mut v = Vec::new();
            while let Some(line) = r.next_row()? {
                let cells = (0..width).map(|k| r.field(k, line).map(str::to_string));
                v.push((line, cells.collect::<Result<Vec<_>>>()?));
            }
            Ok(v)
        };
        s.each_block(&crate::Quiet, "test", parse, |pieces| {
            out.extend(pieces.into_iter().flatten());
            Ok(())
        })?;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(out)
    }

    proptest::proptest! {
        /// Against the csv crate reading the whole text at once: the same cells, whatever the
        /// block size, with quoted delimiters, quotes, line breaks and CRLF anywhere.
        #[test]
        fn blocks_and_pieces_read_what_the_csv_reader_reads(
            rows in proptest::collection::vec(
                (proptest::collection::vec("[a ,\"\r\n]{0,6}", 3), proptest::bool::ANY, 0..3usize),
                1..60,
            ),
            block in 1usize..200,
        ) {
            let mut text = String::from("x,y,z\n");
            for (cells, crlf, blank) in &rows {
                let cells: Vec<String> = cells
                    .iter()
                    .map(|c| match c.contains([',', '"', '\r', '\n']) {
                        true => format!("\"{}\"", c.replace('"', "\"\"")),
                        false => c.clone(),
                    })
                    .collect();
                let end = if *crlf { "\r\n" } else { "\n" };
                text.push_str(&cells.join(","));
                text.push_str(end);
                text.push_str(&end.repeat(*blank));
            }
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .trim(csv::Trim::All)
                .from_reader(text.as_bytes());
            let want: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(|c| c.replace("\r\n", "\n")).collect())
                .collect();
            let got: Vec<Vec<String>> = records(&text, block)
                .unwrap()
                .into_iter()
                .map(|(_, cells)| cells)
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn lines_are_counted_across_crlf_blank_lines_and_quoted_breaks() {
        let want = |v: &[(u64, &str)]| -> Vec<(u64, String)> {
            v.iter().map(|&(l, s)| (l, s.to_string())).collect()
        };
        assert_eq!(rows("a,b\n1,2\n\n3,4\n"), want(&[(2, "1"), (4, "3")]));
        assert_eq!(rows("a,b\r\n1,2\r\n3,4\r\n"), want(&[(2, "1"), (3, "3")]));
        // Old Mac line ends: records end at each CR (the csv reader's rule).
        let mac: Vec<String> = rows("a,b\r1,2\r3,4\r").into_iter().map(|r| r.1).collect();
        assert_eq!(mac, ["1", "3"]);
        assert_eq!(rows("a,b\n 1 , 2 \n"), want(&[(2, "1")]));
        assert_eq!(rows("a,b\n\"x\ny\",2\n3,4"), want(&[(2, "x\ny"), (4, "3")]));
    }

    #[test]
    fn many_pieces_give_every_row_once_in_order() {
        let mut text = String::from("a,b\n");
        for i in 0..200_000 {
            text.push_str(&format!("{i},x\n"));
        }
        let got = rows(&text);
        assert_eq!(got.len(), 200_000);
        assert!(got
            .iter()
            .enumerate()
            .all(|(i, (line, v))| *line == i as u64 + 2 && *v == i.to_string()));
    }

    #[test]
    fn block_ends_fall_between_records_quoted_or_not() {
        let mut plain = String::from("a,b\n");
        let mut quoted = plain.clone();
        for i in 0..2_000 {
            plain.push_str(&format!("{i},x\r\n"));
            quoted.push_str(&format!("\"{i}\",\"x\ny\"\n"));
        }
        for block in [7, 100, 1000] {
            let got = rows_in_blocks(&plain, block);
            assert!(got
                .iter()
                .enumerate()
                .all(|(i, (l, v))| *l == i as u64 + 2 && *v == i.to_string()));
            assert_eq!(got.len(), 2_000);
            let got = rows_in_blocks(&quoted, block);
            assert!(got
                .iter()
                .enumerate()
                .all(|(i, (l, v))| *l == 2 * i as u64 + 2 && *v == i.to_string()));
            assert_eq!(got.len(), 2_000);
        }
    }
}
