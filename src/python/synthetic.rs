//! Bindings of the synthetic economy and its calibration figures.

use super::errors::IntoPy;
use super::monitor::enter;
use super::network::PyNetwork;
use crate::synthetic::{
    calibration_with as measure, synthetic_japan_with as generate, SyntheticConfig,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Generates the seeded Japan-like economy (see `tsunagime.datasets.synthetic_japan`).
#[pyfunction]
#[pyo3(signature = (n_firms, seed, start_year, end_year, mean_degree, survival, local_share,
    copy_share, copy_share_new, collaboration_rate, country="jp", progress=None))]
#[allow(clippy::too_many_arguments)]
fn synthetic_japan(
    py: Python<'_>,
    n_firms: usize,
    seed: u64,
    start_year: i32,
    end_year: i32,
    mean_degree: f64,
    survival: f64,
    local_share: f64,
    copy_share: f64,
    copy_share_new: f64,
    collaboration_rate: f64,
    country: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyNetwork> {
    let config = SyntheticConfig {
        n_firms,
        seed,
        start_year,
        end_year,
        mean_degree,
        survival,
        local_share,
        copy_share,
        copy_share_new,
        collaboration_rate,
        country: country.parse().py_err()?,
    };
    let net = enter(py, progress, |monitor| generate(&config, monitor))?;
    Ok(PyNetwork::new(net))
}

/// A country's regions, column-wise (see `tsunagime.datasets.regions`).
#[pyfunction]
#[pyo3(signature = (country="jp"))]
fn prefectures<'py>(py: Python<'py>, country: &str) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let country: crate::synthetic::Country = country.parse().py_err()?;
    let rows = country.regions();
    d.set_item(
        "code",
        rows.iter()
            .map(|p| format!("{:02}", p.code))
            .collect::<Vec<_>>(),
    )?;
    d.set_item("name", rows.iter().map(|p| p.name).collect::<Vec<_>>())?;
    d.set_item(
        match country {
            crate::synthetic::Country::Japan => "name_ja",
            crate::synthetic::Country::Korea => "name_ko",
        },
        rows.iter().map(|p| p.name_ja).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "firm_weight",
        rows.iter().map(|p| p.firms).collect::<Vec<_>>(),
    )?;
    d.set_item("bloc", rows.iter().map(|p| p.bloc).collect::<Vec<_>>())?;
    d.set_item("lat", rows.iter().map(|p| p.lat).collect::<Vec<_>>())?;
    d.set_item("lon", rows.iter().map(|p| p.lon).collect::<Vec<_>>())?;
    Ok(d)
}

/// Measures the shape figures of a network (see `tsunagime.datasets.calibration`).
#[pyfunction]
#[pyo3(signature = (net, max_cycle_trades, seed, progress=None))]
fn calibration<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    max_cycle_trades: usize,
    seed: u64,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let inner = net.inner.clone();
    let c = enter(py, progress, |monitor| {
        measure(&inner, max_cycle_trades, seed, monitor)
    })?;
    let d = PyDict::new(py);
    d.set_item("n_firms", c.n_firms)?;
    d.set_item("n_trades", c.n_trades)?;
    d.set_item("n_collaborations", c.n_collaborations)?;
    d.set_item("trades_per_firm", c.trades_per_firm)?;
    d.set_item("active_per_firm_last_year", c.active_per_firm_last_year)?;
    for (k, (name, share)) in c.largest_prefectures.iter().enumerate() {
        d.set_item(format!("prefecture_{}", k + 1), name)?;
        d.set_item(format!("prefecture_{}_share", k + 1), share)?;
    }
    d.set_item("customer_ccdf_exponent", c.customer_ccdf_exponent)?;
    d.set_item("supplier_ccdf_exponent", c.supplier_ccdf_exponent)?;
    d.set_item("max_customers", c.max_customers)?;
    d.set_item("max_suppliers", c.max_suppliers)?;
    d.set_item("median_distance_km", c.median_distance_km)?;
    d.set_item("same_prefecture_share", c.same_prefecture_share)?;
    d.set_item("assortativity", c.assortativity)?;
    d.set_item("transitivity", c.transitivity)?;
    d.set_item("triangle_link_share", c.triangle_link_share)?;
    d.set_item("triangle_link_share_rewired", c.triangle_link_share_rewired)?;
    d.set_item("square_link_share", c.square_link_share)?;
    d.set_item("square_link_share_rewired", c.square_link_share_rewired)?;
    d.set_item("survival", c.survival)?;
    d.set_item("size_degree_correlation", c.size_degree_correlation)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(synthetic_japan, m)?)?;
    m.add_function(wrap_pyfunction!(calibration, m)?)?;
    m.add_function(wrap_pyfunction!(prefectures, m)?)?;
    Ok(())
}
