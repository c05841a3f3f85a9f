//! Maps the crate's [`Error`] to Python exceptions defined in `tsunagime.errors`, carrying
//! the file (or table), row and column as attributes.
//!
//! `tsunagime.errors` hands its classes over once, as it is imported, through
//! [`register_errors`]: one field of [`Classes`] per class, so that the mapping below is
//! checked by the compiler (a new [`Error`] variant must choose its class) and a class
//! missing from the hand-over fails at import, not when the first error is raised.

use crate::error::{Error, Location, Source};
use pyo3::exceptions::{
    PyFileNotFoundError, PyKeyboardInterrupt, PyMemoryError, PyOSError, PyPermissionError,
    PyRuntimeError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

/// The exception classes of `tsunagime.errors`, one per kind of [`Error`] they receive
/// (read from a dict keyed by the field names).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Classes {
    input: Py<PyType>,
    missing_column: Py<PyType>,
    unknown_firm: Py<PyType>,
    unknown_name: Py<PyType>,
    parameter: Py<PyType>,
    decode: Py<PyType>,
    encode: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// Called by `tsunagime.errors` when imported: the classes errors are raised as.
#[pyfunction]
#[pyo3(name = "_register_errors")]
fn register_errors(py: Python<'_>, classes: Classes) {
    // A second import (importlib.reload) keeps the first classes: errors already raised
    // and `except` clauses written against them stay consistent.
    let _ = CLASSES.set(py, classes);
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(register_errors, m)?)
}

/// The registered classes, importing `tsunagime.errors` first if nothing did yet.
fn classes(py: Python<'_>) -> PyResult<&'static Classes> {
    if CLASSES.get(py).is_none() {
        py.import("tsunagime.errors")?;
    }
    CLASSES.get(py).ok_or_else(|| {
        PyRuntimeError::new_err("tsunagime.errors did not register its exception classes")
    })
}

/// Converts an [`Error`] into the matching Python exception.
pub(crate) fn to_py(err: Error) -> PyErr {
    Python::attach(|py| build(py, err))
}

fn build(py: Python<'_>, err: Error) -> PyErr {
    let message = err.to_string();
    let class: fn(&Classes) -> &Py<PyType> = match &err {
        Error::Io { path, source } => {
            let args = (
                source.raw_os_error().unwrap_or(0),
                message.clone(),
                path.display().to_string(),
            );
            return match source.kind() {
                std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(args),
                std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(args),
                _ => PyOSError::new_err(args),
            };
        }
        Error::Interrupted => return PyKeyboardInterrupt::new_err(message),
        Error::OutOfMemory { .. } => return PyMemoryError::new_err(message),
        Error::Input { .. } => |c| &c.input,
        Error::MissingColumn { .. } => |c| &c.missing_column,
        Error::UnknownFirm { .. } => |c| &c.unknown_firm,
        Error::UnknownName { .. } => |c| &c.unknown_name,
        Error::Parameter { .. } => |c| &c.parameter,
        Error::Decode(_) => |c| &c.decode,
        Error::Encode(_) => |c| &c.encode,
    };
    match classes(py).and_then(|c| make(class(c).bind(py), &message, &err)) {
        Ok(e) => e,
        Err(e) => PyRuntimeError::new_err(format!("{message} (and tsunagime.errors failed: {e})")),
    }
}

fn make(cls: &Bound<'_, PyType>, message: &str, err: &Error) -> PyResult<PyErr> {
    let kwargs = PyDict::new(cls.py());
    if let Some(Location {
        source,
        row,
        column,
    }) = err.location()
    {
        let (src, is_file) = match source {
            Source::File(p) => (p.display().to_string(), true),
            Source::Table(t) => (t.clone(), false),
        };
        kwargs.set_item("source", src)?;
        kwargs.set_item(if is_file { "line" } else { "row" }, *row)?;
        kwargs.set_item("column", column.clone())?;
    }
    match err {
        Error::UnknownFirm { id, .. } => kwargs.set_item("firm_id", id)?,
        Error::MissingColumn { column, .. } => kwargs.set_item("column", column)?,
        Error::UnknownName { name, .. } => kwargs.set_item("name", name)?,
        Error::Parameter { name, .. } => kwargs.set_item("parameter", *name)?,
        _ => {}
    }
    let instance = cls.call((message,), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// `?`-friendly conversion for results of the core.
pub(crate) trait IntoPy<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}
