//! Network files: a folder of Arrow IPC files that [`TradeNetwork::open`] maps into memory.
//!
//! Opening maps the files; see [`NetworkFile`] for the layout and the checks.

use super::builder;
use super::ids::FirmIds;
use super::report::RowOrigin;
use super::strings::Strings;
use super::table::{Attribute, FirmTable, Partition, MISSING};
use super::values::Values;
use super::{NetworkState, TradeNetwork};
use crate::error::{Error, Location, Result, Source};
use arrow_array::types::{Float64Type, Int32Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, DictionaryArray, Float64Array, Int32Array, Int64Array,
    LargeStringArray, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use arrow_buffer::{ArrowNativeType, BooleanBuffer, Buffer, NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Schema};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::hash::Hasher;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FORMAT: &str = "tsunagime network";
const VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const FILES: [&str; 5] = [
    "firms.arrow",
    "trades.arrow",
    "suppliers.arrow",
    "offsets.arrow",
    "collaborations.arrow",
];

/// The folder and checksum of the network file a network was opened from, so that a pickled
/// network can be sent as these two and mapped again on the other side.
///
/// # Layout
///
/// Building a national network from CSV takes seconds; opening it from a network file takes
/// milliseconds, because the big arrays are the file's pages: nothing is parsed or copied
/// except the firm ids, and processes on one machine share the pages. The folder holds
/// standard Arrow IPC files, so pyarrow, polars or DuckDB read its tables too:
///
/// | file | rows | columns |
/// |---|---|---|
/// | `firms.arrow` | firms | `id` (int64 or large_utf8), then each partition as a dictionary (uint32 keys, null for missing), then each attribute (float64, NaN for missing) |
/// | `trades.arrow` | links | `supplier`, `customer` (uint32 firm positions, sorted by supplier then customer), optional `amount` (float64), `year`, `last_year` (int32) |
/// | `suppliers.arrow` | links | `edge` (uint32 row of `trades.arrow`), `supplier`, sorted by customer then supplier |
/// | `offsets.arrow` | firms + 1 | `out`, `in` (uint64): firm `i`'s customers are trades `out[i]..out[i+1]`, its suppliers rows `in[i]..in[i+1]` of `suppliers.arrow` |
/// | `collaborations.arrow` | collaborations | `a` < `b` (uint32), optional `year` |
/// | `manifest.json` | | format, version, counts, each file's size and checksum, and the network's checksum |
///
/// Opening checks the manifest, each file's size (a truncated file is refused before it is
/// mapped), the Arrow messages (every buffer inside its message, aligned for its type and
/// long enough for its rows, so that none is ever copied) and every index the algorithms follow (offsets rising,
/// firm and link positions in range, partition codes labelled), so that a damaged or
/// hand-made file is an error and never a crash. `verify` also re-reads every byte against
/// the checksums and rebuilds the network from its tables to compare.
///
/// The id → position index is built on the first lookup, not at opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkFile {
    /// The folder.
    pub path: PathBuf,
    /// The network's checksum from the manifest (hexadecimal).
    pub checksum: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    firms: u64,
    trades: u64,
    collaborations: u64,
    files: BTreeMap<String, Entry>,
    checksum: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    bytes: u64,
    checksum: String,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::input(Location::of(Source::File(path.to_path_buf())), message)
}

fn arrow_error(path: &Path) -> impl FnOnce(arrow_schema::ArrowError) -> Error + '_ {
    move |e| bad(path, format!("cannot write Arrow: {e}"))
}

/// A 64-bit checksum of bytes (FxHash, in hexadecimal): enough to notice a file that changed
/// or was damaged, cheap enough to run over gigabytes.
fn checksum(bytes: &[u8]) -> String {
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    format!("{:016x}", h.finish())
}

fn map(path: &Path) -> Result<Buffer> {
    let file = File::open(path).map_err(io(path))?;
    // SAFETY: the map is read-only. This library never writes a file it may have mapped
    // (`save` writes a new folder and renames it into place); another program truncating an
    // opened file is the documented hazard of every memory-mapped format.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io(path))?;
    Ok(Buffer::from(bytes::Bytes::from_owner(map)))
}

impl TradeNetwork {
    /// Writes the network as a network file (a folder, laid out as [`NetworkFile`] says) that
    /// [`TradeNetwork::open`] maps back in milliseconds. The folder is written beside `path`
    /// and renamed into place, so a reader never sees half a network. An existing `path` is
    /// an error unless `overwrite` is set, and only a network file is ever replaced.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("net");
    /// net.save(&path, false)?;
    /// let again = tsunagime::TradeNetwork::open(&path, false)?;
    /// assert_eq!(again, net);
    /// assert!(net.save(&path, false).is_err()); // never overwritten silently
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] when the folder cannot be written; [`Error::Input`] when `path` exists
    /// and `overwrite` is false, or exists and is not a network file.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<()> {
        if path.exists() {
            if !overwrite {
                return Err(bad(path, "already exists (pass overwrite to replace it)"));
            }
            read_manifest(path)
                .map_err(|_| bad(path, "exists and is not a network file: not replaced"))?;
        }
        let name = path.file_name().map(|s| s.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(
            ".{}.{}.tmp",
            name.unwrap_or_default(),
            std::process::id()
        ));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        let written = self.write_folder(&tmp);
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
        if path.exists() {
            std::fs::remove_dir_all(path).map_err(io(path))?;
        }
        std::fs::rename(&tmp, path).map_err(io(path))
    }

    fn write_folder(&self, dir: &Path) -> Result<()> {
        let batches = [
            firm_batch(&self.firms),
            link_batch(
                [
                    ("supplier", &self.edge_supplier),
                    ("customer", &self.edge_customer),
                ],
                self.amount.as_ref(),
                [
                    ("year", self.year.as_ref()),
                    ("last_year", self.last_year.as_ref()),
                ],
            ),
            link_batch(
                [("edge", &self.in_edges), ("supplier", &self.in_suppliers)],
                None,
                [],
            ),
            batch(vec![
                ("out", u64s(&self.out_offsets)),
                ("in", u64s(&self.in_offsets)),
            ]),
            link_batch(
                [("a", &self.collab_a), ("b", &self.collab_b)],
                None,
                [("year", self.collab_year.as_ref())],
            ),
        ];
        let mut files = BTreeMap::new();
        for (name, batch) in FILES.iter().zip(batches) {
            let path = dir.join(name);
            let batch = batch.map_err(arrow_error(&path))?;
            files.insert(name.to_string(), write_ipc(&path, &batch)?);
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            version: VERSION,
            firms: self.n_firms() as u64,
            trades: self.n_trades() as u64,
            collaborations: self.n_collaborations() as u64,
            checksum: network_checksum(&files),
            files,
        };
        let path = dir.join(MANIFEST);
        let text = serde_json::to_string_pretty(&manifest)
            .map_err(|e| bad(&path, format!("cannot write the manifest: {e}")))?;
        std::fs::write(&path, text).map_err(io(&path))
    }

    /// Opens a network file written by [`TradeNetwork::save`], mapping its arrays instead of
    /// reading them: a million firms and five million trades open in milliseconds. With
    /// `verify`, every byte is also checked against the manifest's checksums and the network
    /// is rebuilt from its tables and compared (seconds at that size).
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// let dir = tempfile::tempdir()?;
    /// net.save(&dir.path().join("net"), false)?;
    /// let opened = tsunagime::TradeNetwork::open(&dir.path().join("net"), true)?;
    /// assert_eq!(opened.customers(0), net.customers(0));
    /// assert!(opened.file().is_some());
    /// assert!(tsunagime::TradeNetwork::open(dir.path(), false).is_err()); // not a network file
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be read; [`Error::Input`] naming the file and what is
    /// wrong when the folder is not a network file of this version, a file is truncated or
    /// damaged, or (with `verify`) a checksum differs.
    pub fn open(path: &Path, verify: bool) -> Result<TradeNetwork> {
        let manifest = read_manifest(path)?;
        let table = |name: &str| -> Result<Table> {
            let file = path.join(name);
            let entry = manifest
                .files
                .get(name)
                .ok_or_else(|| bad(path, format!("the manifest does not list {name}")))?;
            let len = std::fs::metadata(&file).map_err(io(&file))?.len();
            if len != entry.bytes {
                return Err(bad(
                    &file,
                    format!(
                        "{len} bytes where the manifest says {}: truncated or replaced",
                        entry.bytes
                    ),
                ));
            }
            let buffer = map(&file)?;
            if verify && checksum(&buffer) != entry.checksum {
                return Err(bad(&file, "checksum differs from the manifest: damaged"));
            }
            decode(&buffer, &file)
        };
        if manifest.checksum != network_checksum(&manifest.files) {
            return Err(bad(
                &path.join(MANIFEST),
                "the network checksum does not match the files' checksums",
            ));
        }
        let [firms, trades, suppliers, offsets, collabs] = FILES;
        let (firms, trades, suppliers) = (table(firms)?, table(trades)?, table(suppliers)?);
        let (offsets, collabs) = (table(offsets)?, table(collabs)?);
        let firm_table = firms.firm_table()?;
        let net = TradeNetwork {
            index: Default::default(),
            out_offsets: offsets.column::<UInt64Type>("out")?,
            in_offsets: offsets.column::<UInt64Type>("in")?,
            edge_supplier: trades.column::<UInt32Type>("supplier")?,
            edge_customer: trades.column::<UInt32Type>("customer")?,
            amount: trades.optional::<Float64Type>("amount")?,
            year: trades.optional::<Int32Type>("year")?,
            last_year: trades.optional::<Int32Type>("last_year")?,
            in_edges: suppliers.column::<UInt32Type>("edge")?,
            in_suppliers: suppliers.column::<UInt32Type>("supplier")?,
            collab_a: collabs.column::<UInt32Type>("a")?,
            collab_b: collabs.column::<UInt32Type>("b")?,
            collab_year: collabs.optional::<Int32Type>("year")?,
            firms: firm_table,
            file: Some(NetworkFile {
                path: path.to_path_buf(),
                checksum: manifest.checksum.clone(),
            }),
        };
        let counts = (net.n_firms(), net.n_trades(), net.n_collaborations());
        let listed = (manifest.firms, manifest.trades, manifest.collaborations);
        if (counts.0 as u64, counts.1 as u64, counts.2 as u64) != listed {
            return Err(bad(
                &path.join(MANIFEST),
                format!(
                    "lists {listed:?} firms, trades and collaborations; the files hold {counts:?}"
                ),
            ));
        }
        net.check_links().map_err(|e| bad(path, e))?;
        if verify {
            let rebuilt = TradeNetwork::from_state(NetworkState::of(&net))
                .map_err(|e| bad(path, format!("the tables are not a valid network: {e}")))?;
            if !rebuilt.same_links(&net) {
                return Err(bad(path, "the link index does not match the trades"));
            }
        }
        Ok(net)
    }

    /// The network file this network was opened from, if any.
    pub fn file(&self) -> Option<&NetworkFile> {
        self.file.as_ref()
    }

    /// Every position the algorithms follow is in range: offsets rise from 0 to the number of
    /// links, each link lies in its supplier's range, customers ascend within a supplier.
    fn check_links(&self) -> std::result::Result<(), String> {
        let (n, m) = (self.n_firms(), self.n_trades());
        let rising = |name: &str, off: &[u64]| {
            if off.len() != n + 1 || off[0] != 0 || off[n] != m as u64 {
                return Err(format!(
                    "offsets.arrow: '{name}' must hold {} offsets from 0 to {m}",
                    n + 1
                ));
            }
            match off.windows(2).position(|w| w[1] < w[0]) {
                Some(i) => Err(format!("offsets.arrow: '{name}' falls at row {}", i + 1)),
                None => Ok(()),
            }
        };
        rising("out", &self.out_offsets)?;
        rising("in", &self.in_offsets)?;
        let lengths = [
            ("trades.arrow", self.edge_customer.len()),
            ("suppliers.arrow", self.in_edges.len()),
            ("suppliers.arrow", self.in_suppliers.len()),
        ];
        if let Some((file, _)) = lengths.iter().find(|(_, l)| *l != m) {
            return Err(format!("{file}: the columns are not one row per link"));
        }
        for i in 0..n as u32 {
            let range = self.out_edges(i);
            if let Some(e) = range.clone().find(|&e| self.edge_supplier[e] != i) {
                return Err(format!(
                    "trades.arrow: row {e} is not in its supplier's range"
                ));
            }
            let customers = &self.edge_customer[range.clone()];
            if let Some(k) = customers.windows(2).position(|w| w[1] <= w[0]) {
                return Err(format!(
                    "trades.arrow: row {} is out of (supplier, customer) order",
                    range.start + k + 1
                ));
            }
        }
        let beyond = |file: &str, col: &str, v: &[u32], limit: usize| match v
            .iter()
            .position(|&x| x as usize >= limit)
        {
            Some(r) => Err(format!("{file}: '{col}' at row {r} is out of range")),
            None => Ok(()),
        };
        beyond("trades.arrow", "customer", &self.edge_customer, n)?;
        beyond("suppliers.arrow", "edge", &self.in_edges, m)?;
        beyond("suppliers.arrow", "supplier", &self.in_suppliers, n)?;
        beyond("collaborations.arrow", "a", &self.collab_a, n)?;
        beyond("collaborations.arrow", "b", &self.collab_b, n)?;
        if self.collab_b.len() != self.collab_a.len() {
            return Err("collaborations.arrow: 'a' and 'b' differ in length".into());
        }
        Ok(())
    }

    fn same_links(&self, other: &TradeNetwork) -> bool {
        *self == *other
            && self.out_offsets == other.out_offsets
            && self.in_offsets == other.in_offsets
            && self.in_edges == other.in_edges
            && self.in_suppliers == other.in_suppliers
    }
}

/// The network's checksum: of its files' names, sizes and checksums.
fn network_checksum(files: &BTreeMap<String, Entry>) -> String {
    let listed: Vec<String> = files
        .iter()
        .map(|(name, e)| format!("{name} {} {}", e.bytes, e.checksum))
        .collect();
    checksum(listed.join("\n").as_bytes())
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    let file = path.join(MANIFEST);
    if !path.is_dir() {
        return Err(bad(
            path,
            "is not a network file (a folder written by save)",
        ));
    }
    let text = std::fs::read(&file).map_err(io(&file))?;
    let manifest: Manifest = serde_json::from_slice(&text)
        .map_err(|e| bad(&file, format!("not a network manifest: {e}")))?;
    if manifest.format != FORMAT {
        return Err(bad(
            &file,
            format!("format '{}', not '{FORMAT}'", manifest.format),
        ));
    }
    if manifest.version != VERSION {
        return Err(bad(
            &file,
            format!(
                "version {} of the network file; this tsunagime reads version {VERSION}",
                manifest.version
            ),
        ));
    }
    Ok(manifest)
}

fn write_ipc(path: &Path, batch: &RecordBatch) -> Result<Entry> {
    let file = File::create(path).map_err(io(path))?;
    let mut writer = arrow_ipc::writer::FileWriter::try_new(BufWriter::new(file), &batch.schema())
        .map_err(arrow_error(path))?;
    writer.write(batch).map_err(arrow_error(path))?;
    writer.finish().map_err(arrow_error(path))?;
    let mut out = writer.into_inner().map_err(arrow_error(path))?;
    out.flush().map_err(io(path))?;
    out.get_ref().sync_all().map_err(io(path))?;
    let written = map(path)?;
    Ok(Entry {
        bytes: written.len() as u64,
        checksum: checksum(&written),
    })
}

fn batch(
    columns: Vec<(&str, ArrayRef)>,
) -> std::result::Result<RecordBatch, arrow_schema::ArrowError> {
    let fields: Vec<arrow_schema::Field> = columns
        .iter()
        .map(|(name, a)| arrow_schema::Field::new(*name, a.data_type().clone(), a.null_count() > 0))
        .collect();
    let arrays = columns.into_iter().map(|(_, a)| a).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
}

fn u32s(v: &Values<u32>) -> ArrayRef {
    Arc::new(UInt32Array::new(v.buffer().clone(), None))
}

fn u64s(v: &Values<u64>) -> ArrayRef {
    Arc::new(UInt64Array::new(v.buffer().clone(), None))
}

fn link_batch<'a>(
    ends: [(&str, &Values<u32>); 2],
    amount: Option<&Values<f64>>,
    years: impl IntoIterator<Item = (&'a str, Option<&'a Values<i32>>)>,
) -> std::result::Result<RecordBatch, arrow_schema::ArrowError> {
    let mut columns: Vec<(&str, ArrayRef)> = ends.iter().map(|(n, v)| (*n, u32s(v))).collect();
    if let Some(v) = amount {
        columns.push((
            "amount",
            Arc::new(Float64Array::new(v.buffer().clone(), None)),
        ));
    }
    for (name, v) in years {
        if let Some(v) = v {
            columns.push((name, Arc::new(Int32Array::new(v.buffer().clone(), None))));
        }
    }
    batch(columns)
}

fn firm_batch(firms: &FirmTable) -> std::result::Result<RecordBatch, arrow_schema::ArrowError> {
    let ids: ArrayRef = match &firms.ids {
        FirmIds::Int(v) => Arc::new(Int64Array::from(v.clone())),
        FirmIds::Str(v) => Arc::new(LargeStringArray::from_iter_values(v.iter())),
    };
    let mut columns: Vec<(&str, ArrayRef)> = vec![("id", ids)];
    for p in &firms.partitions {
        let present: Vec<bool> = p.codes.iter().map(|&c| c != MISSING).collect();
        let nulls = Some(NullBuffer::from(present)).filter(|n| n.null_count() > 0);
        let keys = UInt32Array::new(p.codes.buffer().clone(), nulls);
        let labels = Arc::new(StringArray::from_iter_values(&p.labels));
        columns.push((&p.name, Arc::new(DictionaryArray::try_new(keys, labels)?)));
    }
    for a in &firms.attributes {
        columns.push((
            &a.name,
            Arc::new(Float64Array::new(a.values.buffer().clone(), None)),
        ));
    }
    batch(columns)
}

/// A column's buffers as the IPC message lays them out: `[validity, values]` for numbers and
/// dictionary keys, `[validity, offsets, data]` for strings.
struct Field {
    name: String,
    kind: DataType,
    rows: usize,
    nulls: usize,
    buffers: Vec<Buffer>,
    /// The labels of a dictionary column.
    labels: Option<Vec<String>>,
}

/// One network-file table, read from its mapped bytes without copying the columns.
///
/// arrow-rs's own decoder trusts the offsets a message states (a damaged file makes it
/// panic), so the messages are walked here: every buffer is checked to lie inside its
/// message, to be aligned for its type and long enough for its rows before it is viewed.
/// Only what `save` writes is read: uncompressed int64, uint32, uint64, int32, float64,
/// large_utf8 and uint32-keyed utf8 dictionary columns, one record batch.
struct Table {
    path: PathBuf,
    fields: Vec<Field>,
}

fn decode(buf: &Buffer, path: &Path) -> Result<Table> {
    read_table(buf)
        .map(|fields| Table {
            path: path.to_path_buf(),
            fields,
        })
        .map_err(|e| bad(path, e))
}

fn read_table(buf: &Buffer) -> std::result::Result<Vec<Field>, String> {
    const MAGIC: &[u8] = b"ARROW1";
    let len = buf.len();
    if len < 2 * MAGIC.len() + 4
        || &buf[..MAGIC.len()] != MAGIC
        || &buf[len - MAGIC.len()..] != MAGIC
    {
        return Err("not an Arrow IPC file (no ARROW1 marks at both ends)".into());
    }
    let mut tail = [0u8; 10];
    tail.copy_from_slice(&buf[len - 10..]);
    let footer_len = arrow_ipc::reader::read_footer_length(tail).map_err(|e| e.to_string())?;
    let footer_start = (len - 10)
        .checked_sub(footer_len)
        .ok_or("the footer is longer than the file")?;
    let footer = arrow_ipc::root_as_footer(&buf[footer_start..len - 10])
        .map_err(|e| format!("unreadable footer: {e}"))?;
    let fb_schema = footer.schema().ok_or("the footer has no schema")?;
    let schema = arrow_ipc::convert::try_fb_to_schema(fb_schema).map_err(|e| e.to_string())?;
    let dict_ids: Vec<Option<i64>> = fb_schema
        .fields()
        .map(|f| f.iter().map(|f| f.dictionary().map(|d| d.id())).collect())
        .unwrap_or_default();
    let block = |b: &arrow_ipc::Block| {
        let (offset, meta, body) = (b.offset(), b.metaDataLength(), b.bodyLength());
        let end = usize::try_from(offset)
            .ok()
            .zip(usize::try_from(meta).ok())
            .zip(usize::try_from(body).ok())
            .and_then(|((o, m), b)| Some((o, m, o.checked_add(m)?.checked_add(b)?)));
        match end {
            Some((o, m, e)) if e <= footer_start && (o + m) % 8 == 0 => {
                Ok((buf.slice_with_length(o, e - o), m))
            }
            _ => Err(format!(
                "a block ({offset}, {meta}, {body}) lies outside the file"
            )),
        }
    };
    let mut labels = BTreeMap::new();
    for b in footer.dictionaries().iter().flatten() {
        let (bytes, meta) = block(b)?;
        let (id, mut fields) = read_message(&bytes, meta, &[("labels", &DataType::Utf8)])?;
        let field = fields.pop().ok_or("an empty dictionary")?;
        let id = id.ok_or("a record batch where a dictionary should be")?;
        labels.insert(
            id,
            strings(&field, "labels")?
                .iter()
                .map(str::to_string)
                .collect(),
        );
    }
    let batches = footer.recordBatches().ok_or("no record batch")?;
    if batches.len() != 1 {
        return Err(format!(
            "{} record batches where one is written",
            batches.len()
        ));
    }
    let (bytes, meta) = block(batches.get(0))?;
    let kinds: Vec<(&str, &DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type()))
        .collect();
    let (id, mut fields) = read_message(&bytes, meta, &kinds)?;
    if id.is_some() {
        return Err("a dictionary where the record batch should be".into());
    }
    for (field, id) in fields
        .iter_mut()
        .zip(dict_ids.iter().chain(std::iter::repeat(&None)))
    {
        if matches!(field.kind, DataType::Dictionary(..)) {
            let id = id.ok_or_else(|| format!("column '{}' has no dictionary", field.name))?;
            field.labels =
                Some(labels.remove(&id).ok_or_else(|| {
                    format!("column '{}': dictionary {id} is missing", field.name)
                })?);
        }
    }
    Ok(fields)
}

/// The fields of one message (a record batch, or the batch inside a dictionary message, whose
/// id is returned), each with its buffers checked and sliced out of `block`.
fn read_message(
    block: &Buffer,
    meta: usize,
    kinds: &[(&str, &DataType)],
) -> std::result::Result<(Option<i64>, Vec<Field>), String> {
    const CONTINUATION: [u8; 4] = [0xff; 4];
    let skip = if block.get(..4) == Some(&CONTINUATION[..]) {
        8
    } else {
        4
    };
    if meta < skip || meta > block.len() {
        return Err(format!("a message's metadata length {meta} is impossible"));
    }
    let message = arrow_ipc::root_as_message(&block[skip..meta])
        .map_err(|e| format!("unreadable message: {e}"))?;
    let (id, batch) = match message.header_type() {
        arrow_ipc::MessageHeader::RecordBatch => (None, message.header_as_record_batch()),
        arrow_ipc::MessageHeader::DictionaryBatch => {
            let d = message.header_as_dictionary_batch();
            if d.is_some_and(|d| d.isDelta()) {
                return Err("a delta dictionary (network files write whole ones)".into());
            }
            (d.map(|d| d.id()), d.and_then(|d| d.data()))
        }
        other => return Err(format!("a {other:?} message where data should be")),
    };
    let batch = batch.ok_or("a message without its batch")?;
    if batch.compression().is_some() {
        return Err("compressed buffers (network files are written uncompressed)".into());
    }
    let rows = usize::try_from(batch.length()).map_err(|_| "a negative row count")?;
    let body = block.len() - meta;
    let mut buffers = batch.buffers().into_iter().flatten().map(|b| {
        let (offset, length) = (b.offset(), b.length());
        match usize::try_from(offset)
            .ok()
            .zip(usize::try_from(length).ok())
        {
            Some((o, l)) if o.checked_add(l).is_some_and(|e| e <= body) && o % 8 == 0 => {
                Ok(block.slice_with_length(meta + o, l))
            }
            _ => Err(format!(
                "a buffer ({offset}, {length}) lies outside its message's {body} bytes"
            )),
        }
    });
    let mut nodes = batch.nodes().into_iter().flatten();
    let mut fields = Vec::with_capacity(kinds.len());
    for &(name, kind) in kinds {
        let node = nodes.next().ok_or("fewer columns than the schema lists")?;
        let (n, nulls) = (node.length(), node.null_count());
        if usize::try_from(n) != Ok(rows) || nulls < 0 || nulls > n {
            return Err(format!(
                "column '{name}': {n} rows ({nulls} null) in a batch of {rows}"
            ));
        }
        let count = match kind {
            DataType::Utf8 | DataType::LargeUtf8 => 3,
            _ => 2,
        };
        let mut field = Field {
            name: name.to_string(),
            kind: kind.clone(),
            rows,
            nulls: nulls as usize,
            buffers: Vec::with_capacity(count),
            labels: None,
        };
        for _ in 0..count {
            field.buffers.push(
                buffers
                    .next()
                    .ok_or("fewer buffers than the columns need")??,
            );
        }
        if field.nulls > 0 && field.buffers[0].len() < rows.div_ceil(8) {
            return Err(format!("column '{name}': the validity bitmap is too short"));
        }
        fields.push(field);
    }
    Ok((id, fields))
}

/// The `T` values of a buffer that must hold `rows` of them.
fn typed<T: ArrowNativeType>(
    buffer: &Buffer,
    rows: usize,
    name: &str,
) -> std::result::Result<ScalarBuffer<T>, String> {
    let size = std::mem::size_of::<T>();
    if buffer.len() / size < rows
        || !(buffer.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>())
    {
        return Err(format!(
            "column '{name}': {} bytes of values for {rows} rows of {size} bytes",
            buffer.len()
        ));
    }
    Ok(ScalarBuffer::new(buffer.clone(), 0, rows))
}

/// The strings of a utf8 or large_utf8 column without nulls.
fn strings(field: &Field, name: &str) -> std::result::Result<Strings, String> {
    if field.nulls > 0 {
        return Err(format!("column '{name}' has nulls"));
    }
    let [_, offsets, data] = &field.buffers[..] else {
        return Err(format!("column '{name}' is not a string column"));
    };
    let offsets: Vec<i64> = match field.kind {
        DataType::Utf8 => typed::<i32>(offsets, field.rows + 1, name)?
            .iter()
            .map(|&o| o as i64)
            .collect(),
        DataType::LargeUtf8 => typed::<i64>(offsets, field.rows + 1, name)?.to_vec(),
        _ => return Err(format!("column '{name}' is {}, not strings", field.kind)),
    };
    Strings::from_arrow(&offsets, data).map_err(|e| format!("column '{name}': {e}"))
}

impl Table {
    fn find(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn values<T: ArrowPrimitiveType>(&self, f: &Field) -> Result<Values<T::Native>> {
        if f.kind != T::DATA_TYPE {
            return Err(bad(
                &self.path,
                format!("column '{}' is {}, not {}", f.name, f.kind, T::DATA_TYPE),
            ));
        }
        if f.nulls > 0 {
            return Err(bad(&self.path, format!("column '{}' has nulls", f.name)));
        }
        typed::<T::Native>(&f.buffers[1], f.rows, &f.name)
            .map(Values::from)
            .map_err(|e| bad(&self.path, e))
    }

    fn column<T: ArrowPrimitiveType>(&self, name: &str) -> Result<Values<T::Native>> {
        let f = self
            .find(name)
            .ok_or_else(|| bad(&self.path, format!("no column '{name}'")))?;
        self.values::<T>(f)
    }

    fn optional<T: ArrowPrimitiveType>(&self, name: &str) -> Result<Option<Values<T::Native>>> {
        self.find(name).map(|f| self.values::<T>(f)).transpose()
    }

    fn firm_table(&self) -> Result<FirmTable> {
        let ids = match self.fields.first() {
            Some(f) if f.kind == DataType::Int64 => {
                FirmIds::Int(self.values::<Int64Type>(f)?.into_vec())
            }
            Some(f) if f.kind == DataType::LargeUtf8 => {
                FirmIds::Str(strings(f, "id").map_err(|e| bad(&self.path, e))?)
            }
            _ => {
                return Err(bad(
                    &self.path,
                    "the first column must be 'id' (int64 or large_utf8)",
                ))
            }
        };
        let mut table = FirmTable {
            ids,
            ..Default::default()
        };
        for f in &self.fields[1..] {
            match &f.kind {
                DataType::Float64 => table.attributes.push(Attribute {
                    name: f.name.clone(),
                    values: self.values::<Float64Type>(f)?,
                }),
                DataType::Dictionary(key, value)
                    if **key == DataType::UInt32 && **value == DataType::Utf8 =>
                {
                    table.partitions.push(self.partition(f)?)
                }
                other => {
                    return Err(bad(
                        &self.path,
                        format!(
                            "column '{}' is {other}: neither a partition nor an attribute",
                            f.name
                        ),
                    ))
                }
            }
        }
        let origin = RowOrigin {
            location: Location::of(Source::File(self.path.clone())),
            lines: None,
        };
        builder::check_firm_columns(&table, &origin)?;
        Ok(table)
    }

    /// A partition: the keys are the codes, MISSING under the null mask (as `save` writes
    /// them; anything else there is replaced, in a copy).
    fn partition(&self, f: &Field) -> Result<Partition> {
        let mut codes: Values<u32> = typed::<u32>(&f.buffers[1], f.rows, &f.name)
            .map_err(|e| bad(&self.path, e))?
            .into();
        if f.nulls > 0 {
            let valid = BooleanBuffer::new(f.buffers[0].clone(), 0, f.rows);
            if valid
                .iter()
                .zip(codes.iter())
                .any(|(v, &c)| !v && c != MISSING)
            {
                codes = valid
                    .iter()
                    .zip(codes.iter())
                    .map(|(v, &c)| if v { c } else { MISSING })
                    .collect();
            }
        }
        Ok(Partition {
            name: f.name.clone(),
            labels: f.labels.clone().unwrap_or_default(),
            codes,
        })
    }
}
