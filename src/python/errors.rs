//! Maps the crate's [`Error`] to Python exceptions defined in `tsunagime.errors`, carrying
//! the file (or table), row and column as attributes.

use crate::error::{Error, Location, Source};
use pyo3::exceptions::{
    PyFileNotFoundError, PyKeyboardInterrupt, PyMemoryError, PyOSError, PyPermissionError,
    PyRuntimeError,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Converts an [`Error`] into the matching Python exception.
pub(crate) fn to_py(err: Error) -> PyErr {
    Python::attach(|py| build(py, err))
}

fn build(py: Python<'_>, err: Error) -> PyErr {
    let message = err.to_string();
    let class = match &err {
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
        Error::Input { .. } => "InputError",
        Error::MissingColumn { .. } => "MissingColumnError",
        Error::UnknownFirm { .. } => "UnknownFirmError",
        Error::UnknownName { .. } => "UnknownNameError",
        Error::Parameter { .. } => "ParameterError",
        Error::Decode(_) => "DecodeError",
        Error::Encode(_) => "EncodeError",
    };
    match make(py, class, &message, &err) {
        Ok(e) => e,
        Err(e) => PyRuntimeError::new_err(format!("{message} (and tsunagime.errors failed: {e})")),
    }
}

fn make(py: Python<'_>, class: &str, message: &str, err: &Error) -> PyResult<PyErr> {
    let cls = py.import("tsunagime.errors")?.getattr(class)?;
    let kwargs = PyDict::new(py);
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
