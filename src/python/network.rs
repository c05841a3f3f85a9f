//! The native network class: column-wise conversions between numpy/lists and the core's
//! tables. pandas handling lives in the Python package (`tsunagime/_network.py`).

use super::errors::IntoPy;
use super::monitor::enter;
use crate::network::{
    write_csv, Attribute, BuildOptions, CollaborationTable, CsvOptions, FirmIds, FirmTable,
    LoadReport, NetworkBuilder, Partition, Strings, TextEncoding, TradeNetwork, TradeTable,
    MISSING,
};
use crate::network::{Column, IdType};
use crate::Error;
use numpy::{PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use std::path::PathBuf;
use std::sync::Arc;

/// A supplier → customer network (native part; use `tsunagime.TradeNetwork`).
#[pyclass(name = "Network", module = "tsunagime._tsunagime", frozen)]
pub struct PyNetwork {
    pub(crate) inner: Arc<TradeNetwork>,
}

impl PyNetwork {
    pub(crate) fn new(net: TradeNetwork) -> Self {
        PyNetwork {
            inner: Arc::new(net),
        }
    }
}

/// Ids from a numpy int64 array, a list of str, or the two buffers of an Arrow string array
/// (int64 offsets, uint8 data) as numpy views, copied as two blocks.
fn ids_from(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<FirmIds> {
    if let Ok(arr) = obj.extract::<PyReadonlyArray1<'_, i64>>() {
        return Ok(FirmIds::Int(arr.as_array().to_vec()));
    }
    if let Ok(chunks) = obj.extract::<Vec<(PyReadonlyArray1<'_, i64>, PyReadonlyArray1<'_, u8>)>>()
    {
        let slices = chunks
            .iter()
            .map(|(offsets, data)| Ok((offsets.as_slice()?, data.as_slice()?)))
            .collect::<PyResult<Vec<_>>>()?;
        return Strings::from_arrow_chunks(&slices)
            .map(FirmIds::Str)
            .map_err(|why| PyValueError::new_err(format!("{what}: {why}")));
    }
    if let Ok(v) = obj.extract::<Vec<String>>() {
        return Ok(FirmIds::from(v));
    }
    Err(PyTypeError::new_err(format!(
        "{what}: ids must be an int64 array, a list of str or the chunks of Arrow string buffers"
    )))
}

fn f64s(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<f64>>> {
    obj.map(|o| {
        o.extract::<PyReadonlyArray1<'_, f64>>()
            .map(|a| a.as_array().to_vec())
    })
    .transpose()
}

fn i32s(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<i32>>> {
    obj.map(|o| {
        o.extract::<PyReadonlyArray1<'_, i32>>()
            .map(|a| a.as_array().to_vec())
    })
    .transpose()
}

fn ids_to_py<'py>(py: Python<'py>, ids: &FirmIds) -> PyResult<Bound<'py, PyAny>> {
    Ok(match ids {
        FirmIds::Int(v) => PyArray1::from_slice(py, v).into_any(),
        FirmIds::Str(v) => PyList::new(py, v.iter())?.into_any(),
    })
}

/// The report as JSON: its fields are named once, by the core's serde derive.
fn report_to_py(r: &LoadReport) -> PyResult<String> {
    serde_json::to_string(r)
        .map_err(|e| Error::Encode(format!("load report: {e}")))
        .py_err()
}

/// The core's text of a load report given as JSON (Python's `str(report)`), so that the
/// report reads the same from Rust and from Python.
#[pyfunction]
fn describe_report(report: &str) -> PyResult<String> {
    serde_json::from_str::<LoadReport>(report)
        .map(|r| r.to_string())
        .map_err(|e| Error::Decode(format!("load report: {e}")))
        .py_err()
}

fn options(duplicates: &str, self_loops: &str, unknown_firms: &str) -> PyResult<BuildOptions> {
    Ok(BuildOptions {
        duplicates: duplicates.parse().py_err()?,
        self_loops: self_loops.parse().py_err()?,
        unknown_firms: unknown_firms.parse().py_err()?,
    })
}

fn column(name: Option<String>, required: bool) -> Column {
    match name {
        None => Column::Ignore,
        Some(n) if required => Column::Required(n),
        Some(n) => Column::IfPresent(n),
    }
}

type Built = (PyNetwork, String);

/// A partition as `(name, labels, codes)`.
type PartitionColumns<'py> = (String, Vec<String>, Bound<'py, PyArray1<i64>>);

#[pymethods]
impl PyNetwork {
    /// Builds a network from columns (see `TradeNetwork.from_frames`).
    #[staticmethod]
    #[pyo3(signature = (firm_ids, partitions, attributes, supplier, customer, amount=None, year=None,
        last_year=None, collab_a=None, collab_b=None, collab_year=None, duplicates="sum",
        self_loops="error", unknown_firms="error",
        names=("firms".to_string(), "trades".to_string(), "collaborations".to_string())))]
    #[allow(clippy::too_many_arguments)]
    fn from_columns(
        py: Python<'_>,
        firm_ids: Option<&Bound<'_, PyAny>>,
        partitions: Vec<(String, Vec<String>, PyReadonlyArray1<'_, i64>)>,
        attributes: Vec<(String, PyReadonlyArray1<'_, f64>)>,
        supplier: &Bound<'_, PyAny>,
        customer: &Bound<'_, PyAny>,
        amount: Option<&Bound<'_, PyAny>>,
        year: Option<&Bound<'_, PyAny>>,
        last_year: Option<&Bound<'_, PyAny>>,
        collab_a: Option<&Bound<'_, PyAny>>,
        collab_b: Option<&Bound<'_, PyAny>>,
        collab_year: Option<&Bound<'_, PyAny>>,
        duplicates: &str,
        self_loops: &str,
        unknown_firms: &str,
        names: (String, String, String),
    ) -> PyResult<Built> {
        let opts = options(duplicates, self_loops, unknown_firms)?;
        let firms = match firm_ids {
            Some(ids) => {
                let mut t = FirmTable::new(ids_from(ids, "firm ids")?);
                for (name, labels, codes) in partitions {
                    let k = labels.len() as i64;
                    let empty: Vec<bool> = labels.iter().map(String::is_empty).collect();
                    let codes = codes
                        .as_array()
                        .iter()
                        .map(|&c| {
                            if c < 0 || (c < k && empty[c as usize]) {
                                MISSING
                            } else {
                                u32::try_from(c).unwrap_or(MISSING - 1)
                            }
                        })
                        .collect();
                    t.partitions.push(Partition {
                        name,
                        labels,
                        codes,
                    });
                }
                for (name, values) in attributes {
                    t.attributes
                        .push(Attribute::new(&name, values.as_array().to_vec()));
                }
                Some(t)
            }
            None => None,
        };
        let trades = TradeTable {
            supplier: ids_from(supplier, "supplier")?,
            customer: ids_from(customer, "customer")?,
            amount: f64s(amount)?,
            year: i32s(year)?,
            last_year: i32s(last_year)?,
        };
        let collabs = match (collab_a, collab_b) {
            (Some(a), Some(b)) => Some(CollaborationTable {
                a: ids_from(a, "collaborations")?,
                b: ids_from(b, "collaborations")?,
                year: i32s(collab_year)?,
            }),
            _ => None,
        };
        let (net, report) = enter(py, None, move |_| {
            let mut b = NetworkBuilder::new().trades(trades).options(opts);
            if let Some(f) = firms {
                b = b.firms(f);
            }
            if let Some(c) = collabs {
                b = b.collaborations(c);
            }
            b.table_names(&names.0, &names.1, &names.2).build()
        })?;
        Ok((PyNetwork::new(net), report_to_py(&report)?))
    }

    /// A sector-level network from an input–output table (see
    /// `TradeNetwork.from_io_table`).
    #[staticmethod]
    fn from_io_table(
        z: PyReadonlyArray2<'_, f64>,
        output: PyReadonlyArray1<'_, f64>,
        regions: Vec<String>,
        sectors: Vec<String>,
    ) -> PyResult<Built> {
        let (net, report) =
            TradeNetwork::from_io_table(z.as_array(), output.as_array(), &regions, &sectors)
                .py_err()?;
        Ok((PyNetwork::new(net), report_to_py(&report)?))
    }

    /// Reads CSV files, streaming in Rust (see `TradeNetwork.read_csv`).
    #[staticmethod]
    #[pyo3(signature = (firms, trades, collaborations, firm_id, supplier, customer, amount, year,
        last_year, collaboration_columns, partitions, attributes, id_type, delimiter, duplicates, self_loops,
        encoding="auto", thousands=None, unknown_firms="error", progress=None))]
    #[allow(clippy::too_many_arguments)]
    fn read_csv(
        py: Python<'_>,
        firms: Option<PathBuf>,
        trades: PathBuf,
        collaborations: Option<PathBuf>,
        firm_id: String,
        supplier: String,
        customer: String,
        amount: (Option<String>, bool),
        year: (Option<String>, bool),
        last_year: (Option<String>, bool),
        collaboration_columns: (String, String),
        partitions: Vec<String>,
        attributes: Vec<String>,
        id_type: &str,
        delimiter: &str,
        duplicates: &str,
        self_loops: &str,
        encoding: &str,
        thousands: Option<&str>,
        unknown_firms: &str,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Built> {
        let thousands = match thousands {
            None => None,
            Some(t) => match one_ascii(t).filter(|c| !c.is_ascii_alphanumeric()) {
                None => {
                    return Err(crate::Error::parameter(
                        "thousands",
                        format!("{t:?} is not one ASCII character other than a digit or letter"),
                    ))
                    .py_err()
                }
                separator => separator,
            },
        };
        let id_type: IdType = id_type.parse().py_err()?;
        let Some(delimiter) = one_ascii(delimiter) else {
            return Err(crate::Error::parameter(
                "delimiter",
                format!("{delimiter:?} is not one ASCII character"),
            ))
            .py_err();
        };
        let opts = CsvOptions {
            firm_id,
            supplier,
            customer,
            amount: column(amount.0, amount.1),
            year: column(year.0, year.1),
            last_year: column(last_year.0, last_year.1),
            collaboration: collaboration_columns,
            partitions,
            attributes,
            id_type,
            delimiter,
            encoding: TextEncoding::parse(encoding).py_err()?,
            thousands,
            build: options(duplicates, self_loops, unknown_firms)?,
        };
        let (net, report) = enter(py, progress, |monitor| {
            TradeNetwork::read_csv_with(
                firms.as_deref(),
                &trades,
                collaborations.as_deref(),
                &opts,
                monitor,
            )
        })?;
        Ok((PyNetwork::new(net), report_to_py(&report)?))
    }

    /// Writes firms, trades and (optionally) collaborations as CSV.
    #[pyo3(signature = (firms, trades, collaborations=None))]
    fn write_csv(
        &self,
        py: Python<'_>,
        firms: PathBuf,
        trades: PathBuf,
        collaborations: Option<PathBuf>,
    ) -> PyResult<()> {
        let net = self.inner.clone();
        enter(py, None, move |_| {
            write_csv(&net, &firms, &trades, collaborations.as_deref())
        })
    }

    #[getter]
    fn n_firms(&self) -> usize {
        self.inner.n_firms()
    }

    #[getter]
    fn n_trades(&self) -> usize {
        self.inner.n_trades()
    }

    #[getter]
    fn n_collaborations(&self) -> usize {
        self.inner.n_collaborations()
    }

    /// Firm ids: an int64 array or a list of str.
    fn firm_ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ids_to_py(py, self.inner.firm_ids())
    }

    /// Partitions as `(name, labels, codes)` with code -1 for missing.
    fn partitions<'py>(&self, py: Python<'py>) -> PyResult<Vec<PartitionColumns<'py>>> {
        Ok(self
            .inner
            .partitions()
            .iter()
            .map(|p| {
                let codes: Vec<i64> = p
                    .codes
                    .iter()
                    .map(|&c| if c == MISSING { -1 } else { c as i64 })
                    .collect();
                (
                    p.name.clone(),
                    p.labels.clone(),
                    PyArray1::from_vec(py, codes),
                )
            })
            .collect())
    }

    /// Numeric attributes as `(name, values)`.
    fn attributes<'py>(&self, py: Python<'py>) -> Vec<(String, Bound<'py, PyArray1<f64>>)> {
        self.inner
            .attributes()
            .iter()
            .map(|a| (a.name.clone(), PyArray1::from_slice(py, &a.values)))
            .collect()
    }

    /// Trade columns: supplier and customer indices plus amount, year, last_year when present.
    fn trades<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let n = &self.inner;
        let d = PyDict::new(py);
        d.set_item("supplier", PyArray1::from_slice(py, n.edge_suppliers()))?;
        d.set_item("customer", PyArray1::from_slice(py, n.edge_customers()))?;
        if let Some(a) = n.amounts() {
            d.set_item("amount", PyArray1::from_slice(py, a))?;
        }
        if let Some(y) = n.years() {
            d.set_item("year", PyArray1::from_slice(py, y))?;
        }
        if let Some(y) = n.last_years() {
            d.set_item("last_year", PyArray1::from_slice(py, y))?;
        }
        Ok(d)
    }

    /// Collaboration columns: `a`, `b` indices and `year` when present.
    fn collaborations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (a, b) = self.inner.collaborations();
        let d = PyDict::new(py);
        d.set_item("a", PyArray1::from_slice(py, a))?;
        d.set_item("b", PyArray1::from_slice(py, b))?;
        if let Some(y) = self.inner.collaboration_years() {
            d.set_item("year", PyArray1::from_slice(py, y))?;
        }
        Ok(d)
    }

    /// Indices of the given ids; an unknown id raises `UnknownFirmError` (a `KeyError`).
    fn index_of<'py>(
        &self,
        py: Python<'py>,
        ids: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<u32>>> {
        let ids = ids_from(ids, "firm ids")?;
        let mut out = Vec::with_capacity(ids.len());
        for i in 0..ids.len() {
            out.push(self.inner.require(&ids.get(i)).py_err()?);
        }
        Ok(PyArray1::from_vec(py, out))
    }

    /// Links and collaborations first observed in or before `year`.
    fn until(&self, py: Python<'_>, year: i32) -> PyResult<PyNetwork> {
        let net = self.inner.clone();
        Ok(PyNetwork::new(enter(py, None, move |_| net.until(year))?))
    }

    /// The network induced by the firms at the given indices.
    fn subgraph(&self, py: Python<'_>, indices: PyReadonlyArray1<'_, u32>) -> PyResult<PyNetwork> {
        let idx = indices.as_array().to_vec();
        let net = self.inner.clone();
        Ok(PyNetwork::new(enter(py, None, move |_| {
            net.subgraph(&idx)
        })?))
    }

    /// Writes a network file (a folder of Arrow IPC files).
    #[pyo3(signature = (path, overwrite=false))]
    fn save(&self, py: Python<'_>, path: PathBuf, overwrite: bool) -> PyResult<()> {
        let net = self.inner.clone();
        enter(py, None, move |_| net.save(&path, overwrite))
    }

    /// Opens a network file, mapping its arrays.
    #[staticmethod]
    #[pyo3(signature = (path, verify=false))]
    fn open(py: Python<'_>, path: PathBuf, verify: bool) -> PyResult<PyNetwork> {
        Ok(PyNetwork::new(enter(py, None, move |_| {
            TradeNetwork::open(&path, verify)
        })?))
    }

    /// The folder and checksum of the network file this network was opened from.
    #[getter]
    fn file(&self) -> Option<(PathBuf, String)> {
        self.inner
            .file()
            .map(|f| (f.path.clone(), f.checksum.clone()))
    }

    /// Compact bytes (for pickling and saving).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let net = self.inner.clone();
        let bytes = enter(py, None, move |_| net.to_bytes())?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Reads bytes from `to_bytes`, validating them.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<PyNetwork> {
        let data = data.to_vec();
        Ok(PyNetwork::new(enter(py, None, move |_| {
            TradeNetwork::from_bytes(&data)
        })?))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .extract::<PyRef<'_, PyNetwork>>()
            .is_ok_and(|o| *o.inner == *self.inner)
    }

    /// Out-degree (customers) and in-degree (suppliers) of every firm.
    fn degrees<'py>(
        &self,
        py: Python<'py>,
    ) -> (Bound<'py, PyArray1<u32>>, Bound<'py, PyArray1<u32>>) {
        let n = &self.inner;
        let out: Vec<u32> = (0..n.n_firms() as u32)
            .map(|i| n.out_degree(i) as u32)
            .collect();
        let inn: Vec<u32> = (0..n.n_firms() as u32)
            .map(|i| n.in_degree(i) as u32)
            .collect();
        (PyArray1::from_vec(py, out), PyArray1::from_vec(py, inn))
    }
}

/// Whether the native CSV reader decodes `label` itself (`"auto"`, UTF-8, cp932, …).
#[pyfunction]
fn known_encoding(label: &str) -> bool {
    TextEncoding::parse(label).is_ok()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNetwork>()?;
    m.add_function(wrap_pyfunction!(known_encoding, m)?)?;
    m.add_function(wrap_pyfunction!(describe_report, m)?)?;
    Ok(())
}

/// The byte of `text` when it is exactly one ASCII character (a delimiter, a separator).
fn one_ascii(text: &str) -> Option<u8> {
    match text.as_bytes() {
        [b] if b.is_ascii() => Some(*b),
        _ => None,
    }
}
