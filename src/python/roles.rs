//! Bindings of the linkage roles: column dictionaries that `tsunagime/roles.py` turns into
//! DataFrames indexed by firm id.

use super::errors::IntoPy;
use super::monitor::enter;
use super::network::PyNetwork;
use crate::network::Strings;
use crate::roles::{
    self, brokerage_of, Brokerage, CartographyOptions, Indicator, LinkageThresholds, RippleOptions,
    SelectionRule, CARTOGRAPHY_ROLES,
};
use ndarray::Array2;
use numpy::{PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// An indicator as `(name, values, weight)`.
type NamedColumn<'py> = (String, Bound<'py, PyArray1<f64>>, f64);

/// Strings as the two buffers of an Arrow string array (offsets, UTF-8 bytes), which
/// `tsunagime._frames.unpacked` reads without a Python object per string.
fn string_buffers<'py>(py: Python<'py>, strings: &Strings) -> StringBuffers<'py> {
    let (offsets, bytes) = strings.to_arrow();
    (
        PyArray1::from_vec(py, offsets),
        PyArray1::from_slice(py, bytes),
    )
}

type StringBuffers<'py> = (Bound<'py, PyArray1<i64>>, Bound<'py, PyArray1<u8>>);

fn array<'py, T: numpy::Element>(py: Python<'py>, v: Vec<T>) -> Bound<'py, PyArray1<T>> {
    PyArray1::from_vec(py, v)
}

/// Connector–hub linkage columns.
#[pyfunction]
#[pyo3(signature = (net, region, hub_threshold, connector_threshold, firms=None))]
fn linkage<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    region: &str,
    hub_threshold: f64,
    connector_threshold: f64,
    firms: Option<Vec<u32>>,
) -> PyResult<Bound<'py, PyDict>> {
    let inner = net.inner.clone();
    let t = LinkageThresholds {
        hub: hub_threshold,
        connector: connector_threshold,
    };
    let l = enter(py, None, |_| {
        roles::linkage_of(&inner, region, t, firms.as_deref())
    })?;
    let d = PyDict::new(py);
    d.set_item("suppliers_in", array(py, l.suppliers_in))?;
    d.set_item("suppliers_out", array(py, l.suppliers_out))?;
    d.set_item("customers_in", array(py, l.customers_in))?;
    d.set_item("customers_out", array(py, l.customers_out))?;
    d.set_item("purchases_in", array(py, l.purchases_in))?;
    d.set_item("purchases_out", array(py, l.purchases_out))?;
    d.set_item("sales_in", array(py, l.sales_in))?;
    d.set_item("sales_out", array(py, l.sales_out))?;
    d.set_item("hub_ratio", array(py, l.hub_ratio))?;
    d.set_item("connector_ratio", array(py, l.connector_ratio))?;
    d.set_item("hub_share", array(py, l.hub_share))?;
    d.set_item("connector_share", array(py, l.connector_share))?;
    let labels: Strings = l.role.iter().map(|r| r.label()).collect();
    d.set_item("role", string_buffers(py, &labels))?;
    Ok(d)
}

fn brokerage_dict<'py>(
    py: Python<'py>,
    (b, table): (Brokerage, Array2<f64>),
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("table", PyArray2::from_owned_array(py, table))?;
    d.set_item("network_raw", b.network_raw.to_vec())?;
    d.set_item("network_expected", b.network_moments.expected.to_vec())?;
    d.set_item("network_sd", b.network_moments.sd.to_vec())?;
    d.set_item("network_z", b.network_z().to_vec())?;
    Ok(d)
}

/// Gould–Fernandez brokerage with sna's moments (or the amount-weighted extension).
#[pyfunction]
#[pyo3(signature = (net, region, weighted, progress=None, firms=None))]
fn brokerage<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    region: &str,
    weighted: bool,
    progress: Option<Py<PyAny>>,
    firms: Option<Vec<u32>>,
) -> PyResult<Bound<'py, PyDict>> {
    let inner = net.inner.clone();
    // The table is filled with the GIL released too.
    let b = enter(py, progress, |monitor| {
        let b = brokerage_of(&inner, region, weighted, firms.as_deref(), monitor)?;
        let table = b.table();
        Ok((b, table))
    })?;
    brokerage_dict(py, b)
}

/// Guimerà–Amaral cartography columns.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn cartography<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    module: &str,
    direction: &str,
    weighted: bool,
    hub_z: f64,
    non_hub_p: [f64; 3],
    hub_p: [f64; 2],
) -> PyResult<Bound<'py, PyDict>> {
    let o = CartographyOptions {
        direction: direction.parse().py_err()?,
        weighted,
        hub_z,
        non_hub_p,
        hub_p,
    };
    let inner = net.inner.clone();
    let c = enter(py, None, |_| roles::cartography(&inner, module, o))?;
    let d = PyDict::new(py);
    let names: Strings = c
        .role
        .iter()
        .map(|&r| CARTOGRAPHY_ROLES[r as usize - 1])
        .collect();
    d.set_item("role_name", string_buffers(py, &names))?;
    d.set_item("participation", array(py, c.participation))?;
    d.set_item("within_module_z", array(py, c.within_module_z))?;
    d.set_item("role", array(py, c.role))?;
    Ok(d)
}

/// Ripple multipliers, leakage and pull.
#[pyfunction]
#[pyo3(signature = (net, region, output, tolerance, max_sweeps, clip, firms=None))]
#[allow(clippy::too_many_arguments)]
fn ripple<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    region: &str,
    output: Option<String>,
    tolerance: f64,
    max_sweeps: usize,
    clip: Option<f64>,
    firms: Option<Vec<u32>>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = RippleOptions {
        output,
        tolerance,
        max_sweeps,
        clip,
    };
    let inner = net.inner.clone();
    let r = enter(py, None, |_| {
        roles::ripple_of(&inner, region, &o, firms.as_deref())
    })?;
    let d = PyDict::new(py);
    d.set_item("output", array(py, r.output))?;
    d.set_item("output_from_trades", array(py, r.output_from_trades))?;
    d.set_item("in_region_inputs", array(py, r.in_region_inputs))?;
    d.set_item("multiplier", array(py, r.multiplier))?;
    d.set_item("leakage", array(py, r.leakage))?;
    d.set_item("pull", array(py, r.pull))?;
    d.set_item("clipped", array(py, r.clipped))?;
    d.set_item("sweeps", r.sweeps)?;
    Ok(d)
}

/// The METI FY2019 indicators as `(name, values, weight)`.
#[pyfunction]
#[pyo3(signature = (net, region, year=None))]
fn meti_2019_indicators<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    region: &str,
    year: Option<i32>,
) -> PyResult<Vec<NamedColumn<'py>>> {
    let inner = net.inner.clone();
    let list = enter(py, None, |_| {
        roles::meti_2019_indicators(&inner, region, year)
    })?;
    Ok(list
        .into_iter()
        .map(|i| (i.name, array(py, i.values), i.weight))
        .collect())
}

/// Rank → T-score → weighted composite → selection.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn select<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    region: &str,
    indicators: Vec<(String, PyReadonlyArray1<'py, f64>, f64)>,
    rule: (String, f64),
    nominated: PyReadonlyArray1<'py, u32>,
    within_region: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let indicators: Vec<Indicator> = indicators
        .into_iter()
        .map(|(name, values, weight)| Indicator {
            name,
            values: values.as_array().to_vec(),
            weight,
        })
        .collect();
    let rule = SelectionRule::new(&rule.0, rule.1).py_err()?;
    let nominated = nominated.as_array().to_vec();
    let inner = net.inner.clone();
    let s = enter(py, None, |_| {
        roles::select(&inner, region, &indicators, rule, &nominated, within_region)
    })?;
    let d = PyDict::new(py);
    d.set_item("names", s.names)?;
    d.set_item(
        "values",
        s.values
            .into_iter()
            .map(|v| array(py, v))
            .collect::<Vec<_>>(),
    )?;
    d.set_item(
        "tscores",
        s.tscores
            .into_iter()
            .map(|v| array(py, v))
            .collect::<Vec<_>>(),
    )?;
    d.set_item("composite", array(py, s.composite))?;
    d.set_item("rank_in_region", array(py, s.rank_in_region))?;
    d.set_item("rank_overall", array(py, s.rank_overall))?;
    d.set_item("selected", array(py, s.selected))?;
    d.set_item("order", array(py, s.order))?;
    d.set_item("reason", string_buffers(py, &s.reason))?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(linkage, m)?)?;
    m.add_function(wrap_pyfunction!(brokerage, m)?)?;
    m.add_function(wrap_pyfunction!(cartography, m)?)?;
    m.add_function(wrap_pyfunction!(ripple, m)?)?;
    m.add_function(wrap_pyfunction!(meti_2019_indicators, m)?)?;
    m.add_function(wrap_pyfunction!(select, m)?)?;
    Ok(())
}
