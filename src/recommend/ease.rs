//! EASE (Steck 2019, "Embarrassingly shallow autoencoders for sparse data", WWW '19): the
//! closed-form linear item-item model `B = I − P·diag(1/diag P)`, `P = (XᵀX + λI)⁻¹`, where
//! `X` is the query side × ranked side incidence matrix (customers × suppliers for the
//! supplier purpose). A firm's scores are `x_q B`: for an item `j` it does not have,
//! `−Σ_{i ∈ q} P_ij / P_jj`.
//!
//! The dense inverse is taken on the smaller side. When there are fewer query firms than
//! items, Woodbury's identity gives `P = (I − Xᵀ K⁻¹ X)/λ` with `K = XXᵀ + λI`, so that
//! `x_q P = (K⁻¹X)_q` and `P_jj = (1 − x_jᵀ K⁻¹ x_j)/λ`: exact EASE from a `u × u` inverse,
//! scoring every item of one query in `O(nnz(X))`. The inverse costs `m³/3` for the smaller
//! side `m`; the model is built only when that and the scoring of every query stay under a
//! work bound: [`FEATURE_WORK`] operations where EASE is one of the recommender's features
//! (about 1,500 firms on the smaller side: a fit builds the model three times, and at 2,000
//! firms each build took 2 s on two cores), [`BASELINE_WORK`] where it is a baseline of the
//! evaluation (about 2,500 firms: built once, and the strongest simple method on
//! hub-dominated networks).

use super::options::Purpose;
use crate::network::TradeNetwork;
use rayon::prelude::*;

/// Most operations spent on EASE as a feature of the recommender (fit plus every query's
/// scores).
pub(crate) const FEATURE_WORK: f64 = 4.0e9;
/// Most operations spent on EASE as a baseline of the evaluation.
pub(crate) const BASELINE_WORK: f64 = 2.0e10;
const NONE: u32 = u32::MAX;

/// A fitted EASE model for one purpose.
#[derive(Debug, Clone)]
pub(crate) struct Ease {
    /// Whether the inverse is on the query side (Woodbury) or on the item side.
    dual: bool,
    /// Firm → position on the dense side (`NONE` when absent).
    index: Vec<u32>,
    /// The dense side's firms.
    dense: Vec<u32>,
    /// The inverse, `m × m`, row-major.
    inv: Vec<f64>,
    /// Per firm on the item side: `P_jj` (primal) or `λ P_jj = 1 − x_jᵀK⁻¹x_j` (dual).
    denominator: Vec<f64>,
}

type Side = for<'a> fn(&'a TradeNetwork, u32) -> &'a [u32];

/// The query side's items and the items' query firms: suppliers and customers for the
/// supplier purpose, the mirror for the customer purpose.
pub(crate) fn sides(purpose: Purpose) -> (Side, Side) {
    match purpose {
        Purpose::Customer => (TradeNetwork::customers, TradeNetwork::suppliers),
        _ => (TradeNetwork::suppliers, TradeNetwork::customers),
    }
}

impl Ease {
    /// The model of `net` for `purpose` with penalty `l2`, or `None` when it would cost more
    /// than `work` operations or the Gram matrix is not positive definite (it is for
    /// `l2 > 0`).
    pub fn new(net: &TradeNetwork, purpose: Purpose, l2: f64, work: f64) -> Option<Ease> {
        if purpose == Purpose::Research || l2 <= 0.0 {
            return None;
        }
        let n = net.n_firms();
        let (items, users) = sides(purpose);
        let queries: Vec<u32> = (0..n as u32)
            .filter(|&q| !items(net, q).is_empty())
            .collect();
        let products: Vec<u32> = (0..n as u32)
            .filter(|&j| !users(net, j).is_empty())
            .collect();
        let (u, m_items) = (queries.len() as f64, products.len() as f64);
        let nnz = net.n_trades() as f64;
        let dual = queries.len() <= products.len();
        let m = u.min(m_items);
        let scoring = if dual {
            u * (nnz + m_items)
        } else {
            nnz * m_items
        };
        if m == 0.0 || m * m * m / 3.0 + scoring > work {
            return None;
        }
        let dense = if dual { queries } else { products };
        let m = dense.len();
        let mut index = vec![NONE; n];
        for (k, &f) in dense.iter().enumerate() {
            index[f as usize] = k as u32;
        }
        // The Gram matrix on the dense side: for the dual, two query firms share an item;
        // for the primal, two items share a query firm.
        let around: Side = if dual { users } else { items };
        let mut gram = vec![0.0f64; m * m];
        gram.par_chunks_mut(m).enumerate().for_each(|(a, row)| {
            let f = dense[a];
            let through = if dual { items(net, f) } else { users(net, f) };
            for &x in through {
                for &b in around(net, x) {
                    row[index[b as usize] as usize] += 1.0;
                }
            }
            row[a] += l2;
        });
        let inv = spd_inverse(gram, m)?;
        let mut denominator = vec![0.0f64; n];
        if dual {
            denominator.par_iter_mut().enumerate().for_each(|(j, d)| {
                let who = users(net, j as u32);
                let mut quad = 0.0;
                for &a in who {
                    let row = &inv[index[a as usize] as usize * m..][..m];
                    quad += who
                        .iter()
                        .map(|&b| row[index[b as usize] as usize])
                        .sum::<f64>();
                }
                *d = 1.0 - quad;
            });
        } else {
            for (k, &f) in dense.iter().enumerate() {
                denominator[f as usize] = inv[k * m + k];
            }
        }
        Some(Ease {
            dual,
            index,
            dense,
            inv,
            denominator,
        })
    }

    /// Calls `f(item, score)` for every item with a score for query firm `q` (its own items
    /// included: the caller filters), `scratch` a zeroed buffer of one value per firm, left
    /// zeroed.
    pub fn scores(
        &self,
        net: &TradeNetwork,
        purpose: Purpose,
        q: u32,
        scratch: &mut [f64],
        mut f: impl FnMut(u32, f64),
    ) {
        let (items, _) = sides(purpose);
        let m = self.dense.len();
        if self.dual {
            let Some(&a) = self.index.get(q as usize).filter(|&&a| a != NONE) else {
                return;
            };
            let row = &self.inv[a as usize * m..][..m];
            let mut touched: Vec<u32> = Vec::new();
            for (c, &w) in self.dense.iter().zip(row) {
                for &j in items(net, *c) {
                    let t = &mut scratch[j as usize];
                    if *t == 0.0 {
                        touched.push(j);
                    }
                    *t += w;
                }
            }
            for j in touched {
                let t = std::mem::take(&mut scratch[j as usize]);
                let d = self.denominator[j as usize];
                if d > 0.0 {
                    f(j, -t / d);
                }
            }
        } else {
            let mine = items(net, q);
            for (k, &j) in self.dense.iter().enumerate() {
                let s: f64 = mine
                    .iter()
                    .filter(|&&i| i != j)
                    .map(|&i| self.inv[self.index[i as usize] as usize * m + k])
                    .sum();
                f(j, -s / self.denominator[j as usize]);
            }
        }
    }
}

/// The inverse of a symmetric positive definite `n × n` matrix (row-major) by Cholesky,
/// `A⁻¹ = L⁻ᵀ L⁻¹`, rows in parallel; `None` when `a` is not positive definite.
pub(crate) fn spd_inverse(a: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    let l = cholesky(a, n)?;
    // Columns of L⁻¹ (rows of L⁻ᵀ): solve L y = e_k for each k.
    let mut cols = vec![0.0f64; n * n];
    cols.par_chunks_mut(n).enumerate().for_each(|(k, y)| {
        y[k] = 1.0 / l[k * n + k];
        for i in k + 1..n {
            y[i] = -dot(&l[i * n + k..i * n + i], &y[k..i]) / l[i * n + i];
        }
    });
    // (A⁻¹)_ab = Σ_k (L⁻¹)_ka (L⁻¹)_kb = the dot product of columns a and b of L⁻¹, taken
    // for b ≥ a and mirrored.
    let mut inv = vec![0.0f64; n * n];
    inv.par_chunks_mut(n).enumerate().for_each(|(a, row)| {
        let ca = &cols[a * n..][..n];
        for (b, out) in row.iter_mut().enumerate().skip(a) {
            *out = dot(&ca[b..], &cols[b * n + b..(b + 1) * n]);
        }
    });
    for a in 0..n {
        for b in 0..a {
            inv[a * n + b] = inv[b * n + a];
        }
    }
    Some(inv)
}

/// `Σ a_i b_i` over the shorter length, in eight independent sums that the processor
/// overlaps and vectorises (a single running sum waits on each addition: four times slower
/// in the dense inverse).
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (a[..n].chunks_exact(8), b[..n].chunks_exact(8));
    let tail: f64 = a
        .remainder()
        .iter()
        .zip(b.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut acc = [0.0f64; 8];
    for (x, y) in a.zip(b) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// The lower Cholesky factor of a symmetric positive definite matrix (row-major), `None`
/// when it is not positive definite.
pub(crate) fn cholesky(mut a: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let rest = &mut a[j * n..];
        let (rj, below) = rest.split_at_mut(n);
        let d = rj[j] - dot(&rj[..j], &rj[..j]);
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        rj[j] = d.sqrt();
        let lj = &rj[..=j];
        below.par_chunks_mut(n).for_each(|ri| {
            ri[j] = (ri[j] - dot(&ri[..j], &lj[..j])) / lj[j];
        });
    }
    for i in 0..n {
        a[i * n + i + 1..(i + 1) * n].fill(0.0);
    }
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverts() {
        let a = vec![4.0, 2.0, 0.5, 2.0, 3.0, 0.25, 0.5, 0.25, 2.0];
        let inv = spd_inverse(a.clone(), 3).unwrap_or_default();
        for i in 0..3 {
            for j in 0..3 {
                let p: f64 = (0..3).map(|k| a[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((p - (i == j) as u8 as f64).abs() < 1e-12);
            }
        }
        assert!(cholesky(vec![1.0, 2.0, 2.0, 1.0], 2).is_none());
    }
}
