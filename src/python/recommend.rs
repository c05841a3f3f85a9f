//! Bindings of the partner recommender: column dictionaries that `tsunagime/recommend.py`
//! turns into DataFrames of firm ids.

use super::errors::IntoPy;
use super::monitor::enter;
use super::network::PyNetwork;
use crate::network::TradeNetwork;
use crate::recommend::{
    self, features, EvaluationOptions, FittedRecommender, Labels, Options, PartnerRecommender,
    Prepared, Request, SideModel,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use std::sync::Arc;

/// The recommender's options from `PartnerRecommender.get_params()` (the core checks the
/// names and ranges).
fn options(params: &Bound<'_, PyDict>) -> PyResult<Options> {
    fn get<'py, T: FromPyObjectOwned<'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<T> {
        match d.get_item(key)? {
            Some(v) => v.extract::<T>().map_err(Into::into),
            None => Err(PyKeyError::new_err(format!("missing parameter '{key}'"))),
        }
    }
    let text = |key: &str| get::<Option<String>>(params, key);
    let parsed = |key: &str| -> PyResult<String> { get::<String>(params, key) };
    Ok(Options {
        purpose: parsed("purpose")?.parse().py_err()?,
        region: text("region")?,
        industry: text("industry")?,
        prefer: text("prefer")?.map(|p| p.parse()).transpose().py_err()?,
        max_distance_km: get(params, "max_distance_km")?,
        exclude_existing: get(params, "exclude_existing")?,
        reciprocal: get(params, "reciprocal")?,
        fusion: parsed("fusion")?.parse().py_err()?,
        seed: get(params, "seed")?,
        max_train_queries: get(params, "max_train_queries")?,
        l2: get(params, "l2")?,
        budget: get(params, "budget")?,
        ease_l2: get(params, "ease_l2")?,
    })
}

/// A fitted recommender bound to the network it reads (native part; use
/// `tsunagime.PartnerRecommender`).
#[pyclass(name = "Recommender", module = "tsunagime._tsunagime", frozen)]
pub struct PyRecommender {
    fitted: FittedRecommender,
    net: Arc<TradeNetwork>,
    prepared: Prepared,
}

impl PyRecommender {
    fn new(fitted: FittedRecommender, net: Arc<TradeNetwork>) -> PyResult<Self> {
        let prepared = fitted.prepare(&net).py_err()?;
        Ok(PyRecommender {
            fitted,
            net,
            prepared,
        })
    }
}

fn side_dict<'py>(py: Python<'py>, side: &SideModel) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let t = &side.training;
    d.set_item("purpose", t.purpose.name())?;
    let (labels, year) = match t.labels {
        Labels::Year(y) => ("year", Some(y)),
        Labels::HoldOut => ("hold_out", None),
        Labels::Prior => ("prior", None),
    };
    d.set_item("labels", labels)?;
    d.set_item("label_year", year)?;
    d.set_item("queries", t.queries)?;
    d.set_item("positives", t.positives)?;
    d.set_item("positives_found", t.positives_found)?;
    d.set_item("rows", t.rows)?;
    d.set_item("chosen", t.chosen.clone())?;
    d.set_item("validation", t.validation.clone())?;
    d.set_item("importance", t.importance.clone())?;
    d.set_item("gain", side.model.gain.clone())?;
    let m = &side.model;
    d.set_item("features", m.names.clone())?;
    d.set_item("coef", m.coef.clone())?;
    d.set_item("mean", m.mean.clone())?;
    d.set_item("scale", m.scale.clone())?;
    d.set_item("intercept", m.intercept)?;
    Ok(d)
}

fn indices(obj: Option<PyReadonlyArray1<'_, u32>>) -> Option<Vec<u32>> {
    obj.map(|a| a.as_array().to_vec())
}

#[pymethods]
impl PyRecommender {
    /// Recommendations as an Arrow IPC stream of one record batch (indices and values; see
    /// `Recommendations::into_record_batch`), in a numpy byte array pyarrow reads in place.
    #[pyo3(signature = (firms, k, among, forbidden_a, forbidden_b, progress=None))]
    #[allow(clippy::too_many_arguments)]
    fn recommend<'py>(
        &self,
        py: Python<'py>,
        firms: Option<PyReadonlyArray1<'_, u32>>,
        k: usize,
        among: Option<PyReadonlyArray1<'_, u32>>,
        forbidden_a: PyReadonlyArray1<'_, u32>,
        forbidden_b: PyReadonlyArray1<'_, u32>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyArray1<u8>>> {
        let request = Request {
            firms: indices(firms),
            k,
            among: indices(among),
            forbidden: forbidden_a
                .as_array()
                .iter()
                .copied()
                .zip(forbidden_b.as_array().iter().copied())
                .collect(),
        };
        let ipc = enter(py, progress, |monitor| {
            self.fitted
                .recommend_prepared(&self.net, &self.prepared, &request, monitor)?
                .into_arrow_ipc()
        })?;
        Ok(PyArray1::from_vec(py, ipc))
    }

    /// How each side was learned and its weights.
    fn sides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        list.append(side_dict(py, &self.fitted.firm)?)?;
        if let Some(p) = &self.fitted.partner {
            list.append(side_dict(py, p)?)?;
        }
        Ok(list)
    }

    /// Whether the ranking fuses both sides' scores.
    fn fused(&self) -> bool {
        self.fitted.fuse
    }

    /// The partitions used as region and industry.
    fn columns(&self) -> (Option<String>, Option<String>) {
        self.fitted.columns(&self.prepared)
    }

    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.fitted.to_bytes().py_err()?))
    }

    /// A saved recommender bound again to its network.
    #[staticmethod]
    fn from_bytes(net: &PyNetwork, data: &[u8]) -> PyResult<Self> {
        let fitted = FittedRecommender::from_bytes(data).py_err()?;
        PyRecommender::new(fitted, net.inner.clone())
    }
}

/// Fits a recommender on a network.
#[pyfunction]
#[pyo3(signature = (net, params, progress=None))]
fn fit_recommender(
    py: Python<'_>,
    net: &PyNetwork,
    params: &Bound<'_, PyDict>,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyRecommender> {
    let o = options(params)?;
    let inner = net.inner.clone();
    let fitted = enter(py, progress, |monitor| {
        PartnerRecommender::new(o).fit_with(&inner, monitor)
    })?;
    PyRecommender::new(fitted, inner)
}

/// A hold-out evaluation as a dictionary.
#[pyfunction]
#[pyo3(signature = (net, params, split_year, horizon, holdout, min_partners, seed, ks, baselines, max_queries, progress=None))]
#[allow(clippy::too_many_arguments)]
fn evaluate<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    params: &Bound<'_, PyDict>,
    split_year: Option<i32>,
    horizon: i32,
    holdout: f64,
    min_partners: usize,
    seed: u64,
    ks: Vec<usize>,
    baselines: bool,
    max_queries: usize,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = options(params)?;
    let eval = EvaluationOptions {
        split_year,
        horizon,
        holdout,
        min_partners,
        seed,
        ks,
        baselines,
        max_queries,
    };
    let inner = net.inner.clone();
    let e = enter(py, progress, |monitor| {
        recommend::evaluate_with(&inner, &o, &eval, monitor)
    })?;
    let d = PyDict::new(py);
    d.set_item("methods", e.methods)?;
    d.set_item("metrics", e.metrics)?;
    d.set_item("values", e.values)?;
    d.set_item("queries", e.queries)?;
    d.set_item("test_links", e.test_links)?;
    d.set_item("candidate_recall", e.candidate_recall)?;
    d.set_item("split", e.split)?;
    let sides = PyList::empty(py);
    for t in &e.training {
        sides.append((
            t.purpose.name(),
            t.chosen.clone(),
            t.validation.clone(),
            t.importance.clone(),
        ))?;
    }
    d.set_item("training", sides)?;
    Ok(d)
}

/// Preferential attachment, common neighbours, Adamic–Adar and resource allocation of pairs,
/// then (with a trade purpose) the bipartite filters, EASE and popularity.
#[pyfunction]
#[pyo3(signature = (net, a, b, purpose=None))]
fn link_prediction_scores<'py>(
    py: Python<'py>,
    net: &PyNetwork,
    a: PyReadonlyArray1<'_, u32>,
    b: PyReadonlyArray1<'_, u32>,
    purpose: Option<&str>,
) -> PyResult<Vec<Bound<'py, PyArray1<f64>>>> {
    let purpose: Option<recommend::Purpose> = purpose.map(str::parse).transpose().py_err()?;
    let pairs: Vec<(u32, u32)> = a
        .as_array()
        .iter()
        .copied()
        .zip(b.as_array().iter().copied())
        .collect();
    let inner = net.inner.clone();
    let scores = enter(py, None, |_| -> crate::error::Result<Vec<Vec<f64>>> {
        let mut out: Vec<Vec<f64>> = recommend::link_prediction_scores(&inner, &pairs)?.into();
        if let Some(p) = purpose {
            out.extend(recommend::filter_scores(&inner, p, &pairs)?);
        }
        Ok(out)
    })?;
    Ok(scores
        .into_iter()
        .map(|v| PyArray1::from_vec(py, v))
        .collect())
}

/// The feature names of a purpose.
#[pyfunction]
fn feature_names(purpose: &str) -> PyResult<Vec<&'static str>> {
    Ok(features::names(purpose.parse().py_err()?).to_vec())
}

/// The core's default options as JSON (the Python defaults are tested against them).
#[pyfunction]
fn default_options() -> PyResult<String> {
    serde_json::to_string(&Options::default())
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRecommender>()?;
    m.add_function(wrap_pyfunction!(default_options, m)?)?;
    m.add_function(wrap_pyfunction!(fit_recommender, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(link_prediction_scores, m)?)?;
    m.add_function(wrap_pyfunction!(feature_names, m)?)?;
    Ok(())
}
