//! Firm-level regional ripple effects (a Leontief model on the firm network).
//!
//! With `x_k` a firm's output (its `sales`, or its observed out-strength) and `Z[j,k]` the
//! amount `j` sells to `k`, the input coefficient is `a_jk = Z[j,k] / x_k`. For each region R,
//! the in-region output multiplier is `m = 1ᵀ (I − A_RR)⁻¹`, i.e. `m_k = 1 + Σ_{j∈R, j→k}
//! a_jk m_j`: the in-region output that one unit of final demand for `k` sets off. All regions
//! are solved at once by Gauss–Seidel sweeps over the links — never a dense inverse — which
//! converge because every column of in-region coefficients sums to less than one (checked).
//! A sector-level network (an input–output table loaded with `self_loops = Keep`) carries each
//! node's purchases from itself as the attribute `self_amount`: the diagonal `a_kk`, so that
//! the multipliers are the column sums of the regional blocks of the Leontief inverse.
//! Leakage is the share of `k`'s purchases bought outside its region; the regional pull
//! `G_k = S_out(k) · m_k` is the in-region output induced by the outside demand `k` brings in.

use super::linkage::{linkage, LinkageThresholds};
use super::Groups;
use crate::error::{Error, Result};
use crate::network::{TradeNetwork, SELF_AMOUNT};
use serde::{Deserialize, Serialize};

/// Options of [`ripple`].
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{ripple, RippleOptions};
/// let o = RippleOptions { output: None, clip: Some(0.9), ..Default::default() };
/// assert!(ripple(&net, "region", &o)?.multiplier.iter().all(|&m| m >= 1.0));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RippleOptions {
    /// The attribute holding each firm's output (`Some("sales")`), or `None` for the
    /// observed out-strength. Missing (NaN) outputs fall back to the out-strength.
    pub output: Option<String>,
    /// Relative tolerance on the multipliers (max change over max value in a sweep).
    pub tolerance: f64,
    /// Most sweeps before giving up.
    pub max_sweeps: usize,
    /// `None`: a firm whose in-region coefficients sum to ≥ 1 is an error (bad data: it buys
    /// more in its region than it produces). `Some(c)`: such columns are scaled down to sum
    /// to `c` (< 1) and flagged in [`Ripple::clipped`].
    pub clip: Option<f64>,
}

impl Default for RippleOptions {
    fn default() -> Self {
        RippleOptions {
            output: Some("sales".into()),
            tolerance: 1e-12,
            max_sweeps: 10_000,
            clip: None,
        }
    }
}

/// Per-firm ripple figures.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{ripple, RippleOptions};
/// let o = RippleOptions { output: None, clip: Some(0.9), ..Default::default() };
/// let r = ripple(&net, "region", &o)?;
/// assert_eq!(r.multiplier[0], 1.0); // a buys nothing
/// assert_eq!(r.leakage[2], 1.0); // c (Y) buys everything from X
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ripple {
    /// The output used, `x_k`.
    pub output: Vec<f64>,
    /// Whether `x_k` fell back to the observed out-strength.
    pub output_from_trades: Vec<bool>,
    /// Sum of the firm's in-region input coefficients (after any clip).
    pub in_region_inputs: Vec<f64>,
    /// In-region output multiplier `m_k` (≥ 1).
    pub multiplier: Vec<f64>,
    /// Share of purchases bought outside the region (NaN without purchases).
    pub leakage: Vec<f64>,
    /// Regional pull `S_out(k) · m_k`.
    pub pull: Vec<f64>,
    /// Whether the firm's coefficients were clipped.
    pub clipped: Vec<bool>,
    /// Gauss–Seidel sweeps used.
    pub sweeps: usize,
}

/// Computes multipliers, leakage and pull of every firm for partition `region`.
///
/// ```
/// use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
/// use tsunagime::roles::{ripple, RippleOptions};
/// // b buys 50 from a (same region) and has output 100: m_b = 1 + 0.5 · m_a = 1.5.
/// let firms = FirmTable::new(vec!["a", "b"])
///     .with_partition("region", [Some("X"), Some("X")])
///     .with_attribute("sales", vec![80.0, 100.0]);
/// let trades = TradeTable::new(vec!["a"], vec!["b"]).with_amount(vec![50.0]);
/// let (net, _) = NetworkBuilder::new().firms(firms).trades(trades).build()?;
/// let r = ripple(&net, "region", &RippleOptions::default())?;
/// assert!((r.multiplier[1] - 1.5).abs() < 1e-12);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn ripple(net: &TradeNetwork, region: &str, o: &RippleOptions) -> Result<Ripple> {
    if !(o.tolerance > 0.0 && o.tolerance < 1.0) {
        return Err(Error::parameter(
            "tolerance",
            format!("{} is not in (0, 1)", o.tolerance),
        ));
    }
    if let Some(c) = o.clip {
        if !(c > 0.0 && c < 1.0) {
            return Err(Error::parameter("clip", format!("{c} is not in (0, 1)")));
        }
    }
    let g = Groups::of(net, region)?;
    let n = net.n_firms();
    let strength: Vec<f64> = (0..n as u32)
        .map(|i| net.out_edges(i).map(|e| net.amount_or_one(e)).sum())
        .collect();
    let given = match &o.output {
        Some(name) => Some(net.attribute(name)?),
        None => None,
    };
    let mut output = vec![0.0; n];
    let mut output_from_trades = vec![false; n];
    for i in 0..n {
        match given.map(|v| v[i]) {
            Some(x) if !x.is_nan() => {
                if x < 0.0 {
                    return Err(Error::parameter(
                        "output",
                        format!("firm '{}' has a negative output {x}", net.firm_ids().get(i)),
                    ));
                }
                output[i] = x;
            }
            _ => {
                output[i] = strength[i];
                output_from_trades[i] = true;
            }
        }
    }
    // In-region coefficients of each firm's column, in the order of its in-links.
    // Flat, in the order of the in-links (CSR): firm k's column starts at start[k].
    let mut start = vec![0usize; n + 1];
    for k in 0..n {
        start[k + 1] = start[k] + net.in_degree(k as u32);
    }
    let mut coef = vec![0.0; start[n]];
    // Purchases from oneself (sector-level networks loaded with self_loops = Keep): the
    // diagonal a_kk, solved exactly in the sweep.
    let own: Vec<f64> = match net.attribute(SELF_AMOUNT) {
        Ok(v) => v
            .iter()
            .map(|&z| if z.is_nan() { 0.0 } else { z })
            .collect(),
        Err(_) => vec![0.0; n],
    };
    let mut diagonal = vec![0.0; n];
    let mut in_region_inputs = vec![0.0; n];
    let mut clipped = vec![false; n];
    for k in 0..n {
        let gk = g.code[k];
        let column: Vec<f64> = net
            .in_edges(k as u32)
            .iter()
            .zip(net.suppliers(k as u32))
            .map(|(&e, &j)| {
                if g.code[j as usize] == gk {
                    net.amount_or_one(e as usize)
                } else {
                    0.0
                }
            })
            .collect();
        let bought: f64 = column.iter().sum::<f64>() + own[k];
        if bought == 0.0 {
            continue;
        }
        let mut sum = if output[k] > 0.0 {
            bought / output[k]
        } else {
            f64::INFINITY
        };
        let mut scale = if output[k] > 0.0 {
            1.0 / output[k]
        } else {
            0.0
        };
        if sum >= 1.0 {
            match o.clip {
                None => {
                    return Err(Error::parameter(
                        "output",
                        format!(
                            "firm '{}' buys {bought} in its region but its output is {}: its in-region input \
                             coefficients sum to {sum:.4} ≥ 1 (bad data; clip= scales such firms down)",
                            net.firm_ids().get(k),
                            output[k]
                        ),
                    ))
                }
                Some(c) => {
                    scale = c / bought;
                    sum = c;
                    clipped[k] = true;
                }
            }
        }
        in_region_inputs[k] = sum;
        diagonal[k] = own[k] * scale;
        for (slot, z) in coef[start[k]..start[k + 1]].iter_mut().zip(column) {
            *slot = z * scale;
        }
    }
    // Gauss–Seidel: m_k = 1 + Σ_j a_jk m_j, i.e. m_k = (1 + Σ_{j≠k} a_jk m_j) / (1 − a_kk).
    let mut m = vec![1.0; n];
    let mut sweeps = 0;
    loop {
        sweeps += 1;
        let mut change: f64 = 0.0;
        for k in 0..n {
            if in_region_inputs[k] == 0.0 {
                continue;
            }
            let column = &coef[start[k]..start[k + 1]];
            let mut v = 1.0;
            for (&a, &j) in column.iter().zip(net.suppliers(k as u32)) {
                v += a * m[j as usize];
            }
            v /= 1.0 - diagonal[k];
            change = change.max((v - m[k]).abs());
            m[k] = v;
        }
        let top = m.iter().copied().fold(1.0f64, f64::max);
        if change <= o.tolerance * top {
            break;
        }
        if sweeps >= o.max_sweeps {
            return Err(Error::parameter(
                "max_sweeps",
                format!(
                    "multipliers did not converge in {sweeps} sweeps (last change {change:.3e})"
                ),
            ));
        }
    }
    let l = linkage(net, region, LinkageThresholds::default())?;
    let leakage = (0..n)
        .map(|i| {
            let total = l.purchases_in[i] + l.purchases_out[i];
            if total > 0.0 {
                l.purchases_out[i] / total
            } else {
                f64::NAN
            }
        })
        .collect();
    let pull = (0..n).map(|i| l.sales_out[i] * m[i]).collect();
    Ok(Ripple {
        output,
        output_from_trades,
        in_region_inputs,
        multiplier: m,
        leakage,
        pull,
        clipped,
        sweeps,
    })
}
