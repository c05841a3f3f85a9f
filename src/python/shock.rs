//! Binding of the shock propagation model: column arrays that `tsunagime/shock.py` turns into
//! DataFrames.

use super::errors::IntoPy;
use super::monitor::enter;
use super::network::PyNetwork;
use crate::shock::{self, Ordering, Rationing, ShockOptions};
use ndarray::Array2;
use numpy::{PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Simulates a shock; `groups` gives each firm's group (`u32::MAX` for none) out of `n_groups`.
#[pyfunction]
#[pyo3(signature = (net, damage, demand, groups, n_groups, days, inventory_days, tau, rationing, orders, psi, recovery, substitution, industry, output, progress=None))]
#[allow(clippy::too_many_arguments)]
fn simulate_shock<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    damage: PyReadonlyArray1<'py, f64>,
    demand: Option<PyReadonlyArray1<'py, f64>>,
    groups: PyReadonlyArray1<'py, u32>,
    n_groups: usize,
    days: usize,
    inventory_days: f64,
    tau: f64,
    rationing: &str,
    orders: &str,
    psi: Option<f64>,
    recovery: f64,
    substitution: f64,
    industry: Option<String>,
    output: Option<String>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = ShockOptions {
        days,
        inventory_days,
        tau,
        rationing: rationing.parse::<Rationing>().py_err()?,
        ordering: orders.parse::<Ordering>().py_err()?,
        psi,
        recovery,
        substitution,
        industry,
        output,
    };
    let (damage, groups) = (damage.as_slice()?, groups.as_slice()?);
    let demand = demand.as_ref().map(|d| d.as_slice()).transpose()?;
    let inner = net.inner.clone();
    let s = enter(py, progress, |monitor| {
        shock::simulate(
            &inner,
            damage,
            demand,
            Some((groups, n_groups)),
            &o,
            monitor,
        )
    })?;
    let by_group = Array2::from_shape_vec((o.days, n_groups), s.group_output)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let d = PyDict::new(py);
    d.set_item("baseline", PyArray1::from_vec(py, s.baseline))?;
    d.set_item("loss", PyArray1::from_vec(py, s.loss))?;
    d.set_item("direct", PyArray1::from_vec(py, s.direct))?;
    d.set_item("output", PyArray1::from_vec(py, s.output))?;
    d.set_item("group_output", PyArray2::from_owned_array(py, by_group))?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(simulate_shock, m)?)
}
