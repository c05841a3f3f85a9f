//! Firm-level regional ripple effects (a Leontief model on the firm network).
//!
//! With `x_k` a firm's output (its `sales`, or its observed out-strength) and `Z[j,k]` the
//! amount `j` sells to `k`, the input coefficient is `a_jk = Z[j,k] / x_k`. For each region R,
//! the in-region output multiplier is `m = 1ᵀ (I − A_RR)⁻¹`, i.e. `m_k = 1 + Σ_{j∈R, j→k}
//! a_jk m_j`: the in-region output that one unit of final demand for `k` sets off. Each region
//! is solved on its own (the regions in parallel) by Gauss–Seidel sweeps over its links —
//! never a dense inverse — which converge because every column of in-region coefficients sums
//! to less than one (checked).
//! A sector-level network (an input–output table loaded with `self_loops = Keep`) carries each
//! node's purchases from itself as the attribute `self_amount`: the diagonal `a_kk`, so that
//! the multipliers are the column sums of the regional blocks of the Leontief inverse.
//! Leakage is the share of `k`'s purchases bought outside its region; the regional pull
//! `G_k = S_out(k) · m_k` is the in-region output induced by the outside demand `k` brings in.

use super::linkage::{linkage_of, LinkageThresholds};
use super::{check_firms, rows, Groups};
use crate::error::{Error, Result};
use crate::network::{TradeNetwork, SELF_AMOUNT};
use rayon::prelude::*;
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
    /// Relative tolerance on the multipliers (a sweep's largest change over the region's largest
    /// multiplier).
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
    ripple_of(net, region, o, None)
}

/// [`ripple`] for the firms `firms` only (positions; all firms when `None`), one row per
/// firm asked, in their order (`sweeps`: the most any of their regions needed). Each region's
/// multipliers are solved on their own, with their own stopping rule, so blocks of whole
/// regions can be computed apart (on several machines) and put together; the rows equal
/// those of the whole network.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{ripple, ripple_of, RippleOptions};
/// let o = RippleOptions { output: None, clip: Some(0.9), ..Default::default() };
/// let some = ripple_of(&net, "region", &o, Some(&[1]))?;
/// assert_eq!(some.multiplier, vec![ripple(&net, "region", &o)?.multiplier[1]]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn ripple_of(
    net: &TradeNetwork,
    region: &str,
    o: &RippleOptions,
    firms: Option<&[u32]>,
) -> Result<Ripple> {
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
    check_firms(net, firms)?;
    // Only the regions of the firms asked for are solved; each needs all its firms.
    let held = g.holding(firms);
    let inside = |i: usize| held[g.code[i] as usize];
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
    for i in (0..n).filter(|&i| inside(i)) {
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
    for k in (0..n).filter(|&k| inside(k)) {
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
    // Gauss–Seidel, region by region (in parallel): m_k = 1 + Σ_j a_jk m_j, i.e.
    // m_k = (1 + Σ_{j≠k} a_jk m_j) / (1 − a_kk), until a sweep changes no multiplier of the
    // region by more than `tolerance` times its largest.
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); g.n_groups];
    for k in (0..n).filter(|&k| inside(k)) {
        members[g.code[k] as usize].push(k as u32);
    }
    let mut local = vec![0u32; n];
    for list in &members {
        for (at, &k) in list.iter().enumerate() {
            local[k as usize] = at as u32;
        }
    }
    let solve = |r: usize| -> Result<(Vec<f64>, usize)> {
        // The region's own links, compact: (supplier's place in the region, a_jk) by column;
        // out-of-region suppliers have no coefficient.
        let list = &members[r];
        let mut column = Vec::with_capacity(list.len() + 1);
        column.push(0);
        let mut links: Vec<(u32, f64)> = Vec::new();
        for &k in list {
            let k = k as usize;
            let coefs = &coef[start[k]..start[k + 1]];
            links.extend(
                coefs
                    .iter()
                    .zip(net.suppliers(k as u32))
                    .filter(|(&a, _)| a != 0.0)
                    .map(|(&a, &j)| (local[j as usize], a)),
            );
            column.push(links.len());
        }
        let mut m = vec![1.0; list.len()];
        let mut sweeps = 0;
        loop {
            sweeps += 1;
            let mut change: f64 = 0.0;
            for (at, &k) in list.iter().enumerate() {
                let mut v = 1.0;
                for &(j, a) in &links[column[at]..column[at + 1]] {
                    v += a * m[j as usize];
                }
                v /= 1.0 - diagonal[k as usize];
                change = change.max((v - m[at]).abs());
                m[at] = v;
            }
            let top = m.iter().copied().fold(1.0f64, f64::max);
            if change <= o.tolerance * top {
                return Ok((m, sweeps));
            }
            if sweeps >= o.max_sweeps {
                let name = g.labels[r].as_deref().unwrap_or("(missing)");
                return Err(Error::parameter(
                    "max_sweeps",
                    format!(
                        "the multipliers of region '{name}' did not converge in {sweeps} sweeps \
                         (last change {change:.3e})"
                    ),
                ));
            }
        }
    };
    let solved: Vec<(Vec<f64>, usize)> = (0..g.n_groups)
        .into_par_iter()
        .map(solve)
        .collect::<Result<_>>()?;
    let mut m = vec![1.0; n];
    for (list, (values, _)) in members.iter().zip(&solved) {
        for (&k, &v) in list.iter().zip(values) {
            m[k as usize] = v;
        }
    }
    let sweeps = solved.iter().map(|s| s.1).max().unwrap_or(0);
    let l = linkage_of(net, region, LinkageThresholds::default(), firms)?;
    let at = |r: usize| firms.map_or(r, |f| f[r] as usize);
    let leakage = (0..l.sales_out.len())
        .map(|i| {
            let total = l.purchases_in[i] + l.purchases_out[i];
            if total > 0.0 {
                l.purchases_out[i] / total
            } else {
                f64::NAN
            }
        })
        .collect();
    let pull = (0..l.sales_out.len())
        .map(|i| l.sales_out[i] * m[at(i)])
        .collect();
    Ok(Ripple {
        output: rows(output, firms),
        output_from_trades: rows(output_from_trades, firms),
        in_region_inputs: rows(in_region_inputs, firms),
        multiplier: rows(m, firms),
        leakage,
        pull,
        clipped: rows(clipped, firms),
        sweeps,
    })
}
