//! The learned scoring: an L2-penalised logistic regression on standardised features, fitted
//! by Newton's method. Small (a few dozen weights), exact to fit, easy to read: each weight
//! says how much a standard deviation of its feature moves the odds of a new link.

use super::boost::{self, choice, Forest, Tree};
use super::features::{Row, Rows, WIDTH};
use crate::error::Result;
use crate::monitor::Monitor;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows per parallel task; partial sums are added in chunk order, so fits are reproducible.
const CHUNK: usize = 4_096;

/// A logistic scoring of feature rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    /// Feature names, in row order.
    pub names: Vec<String>,
    /// Mean of each feature in the training rows.
    pub mean: Vec<f64>,
    /// Standard deviation of each feature (1 where constant).
    pub scale: Vec<f64>,
    /// Weight of each standardised feature.
    pub coef: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
    /// Boosted trees added to the linear score (none for a plain logistic scoring).
    #[serde(default)]
    pub trees: Vec<Tree>,
    /// Each feature's total split gain in the trees (empty without trees).
    #[serde(default)]
    pub gain: Vec<f64>,
}

impl Logistic {
    /// A model with the given raw (unstandardised) weights.
    pub fn fixed(names: &[&str], weights: &[(&str, f64)], intercept: f64) -> Logistic {
        let d = names.len();
        let coef = names
            .iter()
            .map(|n| weights.iter().find(|w| w.0 == *n).map_or(0.0, |w| w.1))
            .collect();
        Logistic {
            names: names.iter().map(|s| s.to_string()).collect(),
            mean: vec![0.0; d],
            scale: vec![1.0; d],
            coef,
            intercept,
            trees: Vec::new(),
            gain: Vec::new(),
        }
    }

    /// Fits the first `names.len()` features of `rows` by Newton's method with an L2 penalty
    /// `l2` on the standardised weights (not on the intercept).
    pub(crate) fn fit(names: &[&str], rows: &Rows, l2: f64) -> Logistic {
        let d = names.len();
        let (mean, scale) = standardisation(std::slice::from_ref(rows), d);
        let total: f64 = rows.w.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let positives: f64 = rows
            .y
            .iter()
            .zip(&rows.w)
            .filter(|p| *p.0)
            .map(|p| p.1)
            .sum();
        let rate = (positives / total).clamp(1e-9, 1.0 - 1e-9);
        // θ = (intercept, weights); start from the base rate.
        let mut theta = vec![0.0; d + 1];
        theta[0] = (rate / (1.0 - rate)).ln();
        let z = |x: &Row, v: &mut [f64; WIDTH + 1]| {
            v[0] = 1.0;
            for j in 0..d {
                v[j + 1] = (x[j] - mean[j]) / scale[j];
            }
        };
        newton(&mut theta, 1, l2, |theta, second| {
            let parts: Vec<Step> = rows
                .x
                .par_chunks(CHUNK)
                .zip(rows.y.par_chunks(CHUNK).zip(rows.w.par_chunks(CHUNK)))
                .map(|(xs, (ys, ws))| {
                    let mut step = Step::new(d + 1, second);
                    let mut v = [0.0; WIDTH + 1];
                    for (x, (&y, &w)) in xs.iter().zip(ys.iter().zip(ws)) {
                        z(x, &mut v);
                        let eta: f64 = (0..=d).map(|j| theta[j] * v[j]).sum();
                        // -log σ(±η), computed stably.
                        let m = if y { -eta } else { eta };
                        step.loss += w * (m.max(0.0) + (-m.abs()).exp().ln_1p());
                        if second {
                            let p = sigmoid(eta);
                            let c = w * (p * (1.0 - p)).max(1e-12);
                            step.add(&v[..=d], w * (p - y as u8 as f64), c);
                        }
                    }
                    step
                })
                .collect();
            Step::sum(parts, d + 1, second)
        });
        Logistic {
            names: names.iter().map(|s| s.to_string()).collect(),
            mean,
            scale,
            coef: theta[1..].to_vec(),
            intercept: theta[0],
            trees: Vec::new(),
            gain: Vec::new(),
        }
    }

    /// Fits a ranking of each group's rows (one query firm's candidates) by the conditional
    /// logit: the chance that a new link is row i of its group is w_i e^{β·x_i} / Σ_j w_j
    /// e^{β·x_j} (a row's weight counts the sampled negatives it stands for). It learns only
    /// the order within each firm's candidates, which is what a recommendation shows, not
    /// which firms have more new links; the intercept then sets the base rate of the
    /// pointwise chance (a logistic intercept with the slopes held).
    ///
    /// Reference: McFadden (1974), "Conditional logit analysis of qualitative choice
    /// behavior"; Cao et al. (2007), "Learning to rank: from pairwise approach to listwise
    /// approach" (ListNet).
    pub(crate) fn fit_ranking(names: &[&str], groups: &[Rows], l2: f64) -> Logistic {
        let d = names.len();
        let (mean, scale) = standardisation(groups, d);
        let mut beta = vec![0.0; d];
        let z = |x: &Row, v: &mut [f64; WIDTH + 1]| {
            for j in 0..d {
                v[j] = (x[j] - mean[j]) / scale[j];
            }
        };
        newton(&mut beta, 0, l2, |beta, second| {
            let parts: Vec<Step> = groups
                .par_chunks(64)
                .map(|gs| {
                    let mut step = Step::new(d, second);
                    let mut zs: Vec<[f64; WIDTH + 1]> = Vec::new();
                    let mut etas: Vec<f64> = Vec::new();
                    for g in gs {
                        let n_pos = g.y.iter().filter(|&&y| y).count() as f64;
                        if n_pos == 0.0 {
                            continue;
                        }
                        zs.clear();
                        etas.clear();
                        for x in &g.x {
                            let mut v = [0.0; WIDTH + 1];
                            z(x, &mut v);
                            etas.push((0..d).map(|j| beta[j] * v[j]).sum());
                            zs.push(v);
                        }
                        let (p, log_sum) = choice(&etas, &g.w);
                        for (i, &y) in g.y.iter().enumerate() {
                            if y {
                                step.loss += log_sum - etas[i];
                            }
                        }
                        if !second {
                            continue;
                        }
                        // Gradient n_pos (E[z] − mean z of positives); Hessian n_pos Cov[z].
                        let mut mu = [0.0; WIDTH + 1];
                        for (v, p) in zs.iter().zip(&p) {
                            mu.iter_mut().zip(v).for_each(|(u, x)| *u += p * x);
                        }
                        for (v, &y) in zs.iter().zip(&g.y) {
                            if y {
                                step.grad.iter_mut().zip(v).for_each(|(a, x)| *a -= x);
                            }
                        }
                        step.grad
                            .iter_mut()
                            .zip(&mu)
                            .for_each(|(a, u)| *a += n_pos * u);
                        for (v, p) in zs.iter().zip(&p) {
                            let mut c = [0.0; WIDTH + 1];
                            c.iter_mut()
                                .zip(v.iter().zip(&mu))
                                .for_each(|(c, (x, u))| *c = x - u);
                            step.add(&c[..d], 0.0, n_pos * p);
                        }
                    }
                    step
                })
                .collect();
            Step::sum(parts, d, second)
        });
        let mut model = Logistic {
            names: names.iter().map(|s| s.to_string()).collect(),
            mean,
            scale,
            coef: beta,
            intercept: 0.0,
            trees: Vec::new(),
            gain: Vec::new(),
        };
        model.intercept = model.calibrated(groups);
        model
    }

    /// This scoring plus gradient-boosted trees fitted to the same conditional logit from
    /// its scores ([`boost`](super::boost)), re-calibrated; stops when `monitor` asks.
    pub(crate) fn boosted(&self, groups: &[Rows], monitor: &dyn Monitor) -> Result<Logistic> {
        let linear = self.folded();
        let start: Vec<f64> = groups
            .par_iter()
            .flat_map_iter(|g| g.x.iter().map(|x| linear.log_odds(x)).collect::<Vec<_>>())
            .collect();
        let mut model = self.clone();
        (model.trees, model.gain) = boost::boost(groups, self.names.len(), &start, monitor)?;
        model.intercept = model.calibrated(groups);
        Ok(model)
    }

    /// The intercept b with Σ w σ(b + s) = Σ w y over the rows (the logistic intercept with
    /// the rest of the score held), by bisection: the sum grows with b.
    fn calibrated(&self, groups: &[Rows]) -> f64 {
        let f = Logistic {
            intercept: 0.0,
            ..self.clone()
        }
        .folded();
        let rows: Vec<(f64, f64, bool)> = groups
            .par_iter()
            .flat_map_iter(|g| {
                let f = &f;
                g.x.iter()
                    .zip(&g.w)
                    .zip(&g.y)
                    .map(move |((x, &w), &y)| (f.log_odds(x), w, y))
            })
            .collect();
        let wanted: f64 = rows.iter().filter(|r| r.2).map(|r| r.1).sum();
        let (mut lo, mut hi) = (-60.0, 60.0);
        for _ in 0..80 {
            let b = 0.5 * (lo + hi);
            let got: f64 = rows.iter().map(|r| r.1 * sigmoid(b + r.0)).sum();
            if got > wanted {
                hi = b;
            } else {
                lo = b;
            }
        }
        0.5 * (lo + hi)
    }

    /// The weights folded with the standardisation, for fast scoring of many rows.
    pub(crate) fn folded(&self) -> Folded {
        let mut w = [0.0; WIDTH];
        let mut b = self.intercept;
        for (j, wj) in w.iter_mut().enumerate().take(self.coef.len()) {
            *wj = self.coef[j] / self.scale[j];
            b -= *wj * self.mean[j];
        }
        Folded {
            b,
            w,
            forest: Forest::new(&self.trees),
        }
    }
}

/// A logistic scoring as raw weights: log-odds = b + w·x (+ the trees' values).
#[derive(Debug, Clone)]
pub(crate) struct Folded {
    b: f64,
    w: Row,
    forest: Forest,
}

impl Folded {
    fn linear(&self, x: &Row) -> f64 {
        self.b + self.w.iter().zip(x).map(|(w, x)| w * x).sum::<f64>()
    }

    pub fn log_odds(&self, x: &Row) -> f64 {
        let mut trees = [0.0];
        if !self.forest.is_empty() {
            self.forest.values(std::slice::from_ref(x), &mut trees);
        }
        self.linear(x) + trees[0]
    }

    pub fn probability(&self, x: &Row) -> f64 {
        sigmoid(self.log_odds(x))
    }

    /// The probability of each row, into `out` (as [`Folded::probability`], faster on many
    /// rows: the trees are applied one at a time to all of them).
    pub fn probabilities(&self, rows: &[Row], out: &mut [f64]) {
        self.forest.values(rows, out);
        for (o, x) in out.iter_mut().zip(rows) {
            *o = sigmoid(self.linear(x) + *o);
        }
    }
}

/// Weighted mean and standard deviation (1 where constant) of the first `d` features.
fn standardisation(groups: &[Rows], d: usize) -> (Vec<f64>, Vec<f64>) {
    let rows = || groups.iter().flat_map(|g| g.x.iter().zip(&g.w));
    let total: f64 = groups
        .iter()
        .flat_map(|g| &g.w)
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let mut mean = vec![0.0; d];
    for (x, w) in rows() {
        for j in 0..d {
            mean[j] += w * x[j];
        }
    }
    mean.iter_mut().for_each(|m| *m /= total);
    let mut var = vec![0.0; d];
    for (x, w) in rows() {
        for j in 0..d {
            var[j] += w * (x[j] - mean[j]).powi(2);
        }
    }
    let scale = var
        .iter()
        .map(|v| (v / total).sqrt())
        .map(|s| if s > 1e-12 { s } else { 1.0 })
        .collect();
    (mean, scale)
}

/// A loss with (when asked) its gradient and lower-triangular Hessian, summed over rows.
struct Step {
    loss: f64,
    grad: Vec<f64>,
    hess: Vec<f64>,
}

impl Step {
    fn new(n: usize, second: bool) -> Step {
        let m = if second { n } else { 0 };
        Step {
            loss: 0.0,
            grad: vec![0.0; m],
            hess: vec![0.0; m * m],
        }
    }

    /// Adds `r v` to the gradient and `c v vᵀ` to the Hessian.
    fn add(&mut self, v: &[f64], r: f64, c: f64) {
        let n = v.len();
        self.grad.iter_mut().zip(v).for_each(|(g, x)| *g += r * x);
        // Row by row over slices, so the compiler vectorises (same sums, same order).
        for (a, row) in self.hess.chunks_exact_mut(n).enumerate() {
            let cv = c * v[a];
            row[..=a]
                .iter_mut()
                .zip(&v[..=a])
                .for_each(|(h, x)| *h += cv * x);
        }
    }

    /// Parts summed in their order: the same fit whatever the thread timing.
    fn sum(parts: Vec<Step>, n: usize, second: bool) -> Step {
        let mut all = Step::new(n, second);
        for p in parts {
            all.loss += p.loss;
            all.grad.iter_mut().zip(p.grad).for_each(|(a, b)| *a += b);
            all.hess.iter_mut().zip(p.hess).for_each(|(a, b)| *a += b);
        }
        all
    }
}

/// Damped Newton's method on `theta` for a convex loss plus `l2`/2 ‖θ[penalised..]‖²:
/// `eval(θ, true)` gives the loss, gradient and Hessian, `eval(θ, false)` the loss alone.
fn newton(theta: &mut Vec<f64>, penalised: usize, l2: f64, eval: impl Fn(&[f64], bool) -> Step) {
    let n = theta.len();
    let penalty = |t: &[f64]| 0.5 * l2 * t[penalised..].iter().map(|b| b * b).sum::<f64>();
    for _ in 0..50 {
        let Step {
            loss,
            mut grad,
            hess: mut h,
        } = eval(theta, true);
        for a in 0..n {
            for b in 0..a {
                h[b * n + a] = h[a * n + b];
            }
        }
        for a in penalised..n {
            grad[a] += l2 * theta[a];
            h[a * n + a] += l2;
        }
        for a in 0..n {
            h[a * n + a] += 1e-9;
        }
        let Some(step) = solve_spd(&h, &grad, n) else {
            break;
        };
        // Halve the step until the penalised loss does not grow.
        let before = loss + penalty(theta);
        let mut t = 1.0;
        let mut next = theta.clone();
        for _ in 0..30 {
            for a in 0..n {
                next[a] = theta[a] - t * step[a];
            }
            if eval(&next, false).loss + penalty(&next) <= before {
                break;
            }
            t *= 0.5;
        }
        let moved = (0..n)
            .map(|a| (next[a] - theta[a]).abs())
            .fold(0.0, f64::max);
        *theta = next;
        if moved < 1e-7 {
            break;
        }
    }
}

pub(crate) fn sigmoid(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

/// Solves `a x = b` for a symmetric positive definite `a` (n × n, row-major) by Cholesky;
/// `None` when `a` is not positive definite.
fn solve_spd(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = a[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (b[i] - (0..i).map(|k| l[i * n + k] * y[k]).sum::<f64>()) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        x[i] = (y[i] - (i + 1..n).map(|k| l[k * n + i] * x[k]).sum::<f64>()) / l[i * n + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves() {
        let a = [4.0, 2.0, 2.0, 3.0];
        let x = solve_spd(&a, &[2.0, 1.0], 2).unwrap_or_default();
        assert_eq!(x.len(), 2, "a positive definite system has a solution");
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
        assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        assert!(solve_spd(&[0.0], &[1.0], 1).is_none());
    }

    #[test]
    fn learns_the_sign_of_a_signal() {
        let mut rows = Rows::default();
        for i in 0..400 {
            let mut x = [0.0; WIDTH];
            x[0] = (i % 20) as f64;
            x[1] = ((i * 7) % 13) as f64;
            rows.push(x, i % 20 >= 15 && i % 3 != 0, 1.0);
        }
        let m = Logistic::fit(&["signal", "noise"], &rows, 1.0);
        assert!(m.coef[0] > 1.0, "{:?}", m.coef);
        assert!(m.coef[1].abs() < 0.5 * m.coef[0], "{:?}", m.coef);
        let mut hi = [0.0; WIDTH];
        hi[0] = 19.0;
        let f = m.folded();
        assert!(f.probability(&hi) > f.probability(&[0.0; WIDTH]));
    }
}
