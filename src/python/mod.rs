//! Python bindings (the `python` feature): the only place that names pyo3 or numpy.
//! The native module is `tsunagime._tsunagime`; the package `tsunagime` wraps it with pandas.

mod errors;
mod monitor;
mod network;
mod recommend;
mod roles;
mod shock;
mod summit;
mod synthetic;

use pyo3::prelude::*;

#[pymodule]
fn _tsunagime(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    network::register(m)?;
    synthetic::register(m)?;
    roles::register(m)?;
    recommend::register(m)?;
    summit::register(m)?;
    shock::register(m)?;
    Ok(())
}
