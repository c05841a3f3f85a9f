//! The learned scoring: an L2-penalised logistic regression on standardised features, fitted
//! by Newton's method. Small (a few dozen weights), exact to fit, easy to read: each weight
//! says how much a standard deviation of its feature moves the odds of a new link.

use super::features::{Row, WIDTH};
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
}

/// Training rows: features, labels and weights (a kept negative stands for several).
#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub x: Vec<Row>,
    pub y: Vec<bool>,
    pub w: Vec<f64>,
}

impl Rows {
    pub fn extend(&mut self, other: Rows) {
        self.x.extend(other.x);
        self.y.extend(other.y);
        self.w.extend(other.w);
    }

    pub fn push(&mut self, x: Row, y: bool, w: f64) {
        self.x.push(x);
        self.y.push(y);
        self.w.push(w);
    }
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
        }
    }

    /// Fits the first `names.len()` features of `rows` by Newton's method with an L2 penalty
    /// `l2` on the standardised weights (not on the intercept).
    pub(crate) fn fit(names: &[&str], rows: &Rows, l2: f64) -> Logistic {
        let d = names.len();
        let total: f64 = rows.w.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let mut mean = vec![0.0; d];
        for (x, w) in rows.x.iter().zip(&rows.w) {
            for j in 0..d {
                mean[j] += w * x[j];
            }
        }
        mean.iter_mut().for_each(|m| *m /= total);
        let mut var = vec![0.0; d];
        for (x, w) in rows.x.iter().zip(&rows.w) {
            for j in 0..d {
                var[j] += w * (x[j] - mean[j]).powi(2);
            }
        }
        let scale: Vec<f64> = var
            .iter()
            .map(|v| {
                let s = (v / total).sqrt();
                if s > 1e-12 {
                    s
                } else {
                    1.0
                }
            })
            .collect();
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
        let z = |x: &Row, j: usize| (x[j] - mean[j]) / scale[j];
        let loss = |theta: &[f64]| -> f64 {
            let parts: Vec<f64> = rows
                .x
                .par_chunks(CHUNK)
                .zip(rows.y.par_chunks(CHUNK).zip(rows.w.par_chunks(CHUNK)))
                .map(|(xs, (ys, ws))| {
                    xs.iter()
                        .zip(ys.iter().zip(ws))
                        .map(|(x, (&y, &w))| {
                            let eta =
                                theta[0] + (0..d).map(|j| theta[j + 1] * z(x, j)).sum::<f64>();
                            // -log σ(±η), computed stably.
                            let m = if y { -eta } else { eta };
                            w * (m.max(0.0) + (-m.abs()).exp().ln_1p())
                        })
                        .sum::<f64>()
                })
                .collect();
            parts.iter().sum::<f64>() + 0.5 * l2 * theta[1..].iter().map(|b| b * b).sum::<f64>()
        };
        for _ in 0..50 {
            // Fixed chunks summed in order: the same weights whatever the thread timing.
            let parts: Vec<(Vec<f64>, Vec<f64>)> = rows
                .x
                .par_chunks(CHUNK)
                .zip(rows.y.par_chunks(CHUNK).zip(rows.w.par_chunks(CHUNK)))
                .map(|(xs, (ys, ws))| {
                    let mut g = vec![0.0; d + 1];
                    let mut h = vec![0.0; (d + 1) * (d + 1)];
                    for (x, (&y, &w)) in xs.iter().zip(ys.iter().zip(ws)) {
                        let mut v = [0.0; WIDTH + 1];
                        v[0] = 1.0;
                        for j in 0..d {
                            v[j + 1] = z(x, j);
                        }
                        let eta: f64 = (0..=d).map(|j| theta[j] * v[j]).sum();
                        let p = sigmoid(eta);
                        let r = w * (p - y as u8 as f64);
                        let c = w * (p * (1.0 - p)).max(1e-12);
                        for a in 0..=d {
                            g[a] += r * v[a];
                            for b in 0..=a {
                                h[a * (d + 1) + b] += c * v[a] * v[b];
                            }
                        }
                    }
                    (g, h)
                })
                .collect();
            let mut grad = vec![0.0; d + 1];
            let mut hess = vec![0.0; (d + 1) * (d + 1)];
            for (g, h) in parts {
                grad.iter_mut().zip(g).for_each(|(a, b)| *a += b);
                hess.iter_mut().zip(h).for_each(|(a, b)| *a += b);
            }
            let mut g = grad;
            let mut h = hess;
            for a in 0..=d {
                for b in 0..a {
                    h[b * (d + 1) + a] = h[a * (d + 1) + b];
                }
            }
            for a in 1..=d {
                g[a] += l2 * theta[a];
                h[a * (d + 1) + a] += l2;
            }
            h[0] += 1e-9;
            let Some(step) = solve_spd(&h, &g, d + 1) else {
                break;
            };
            // Damped Newton: halve the step until the penalised loss does not grow.
            let before = loss(&theta);
            let mut t = 1.0;
            let mut next = theta.clone();
            for _ in 0..30 {
                for a in 0..=d {
                    next[a] = theta[a] - t * step[a];
                }
                if loss(&next) <= before {
                    break;
                }
                t *= 0.5;
            }
            let moved = (0..=d)
                .map(|a| (next[a] - theta[a]).abs())
                .fold(0.0, f64::max);
            theta = next;
            if moved < 1e-7 {
                break;
            }
        }
        Logistic {
            names: names.iter().map(|s| s.to_string()).collect(),
            mean,
            scale,
            coef: theta[1..].to_vec(),
            intercept: theta[0],
        }
    }

    /// The weights folded with the standardisation, for fast scoring of many rows.
    pub(crate) fn folded(&self) -> Folded {
        let mut w = [0.0; WIDTH];
        let mut b = self.intercept;
        for (j, wj) in w.iter_mut().enumerate().take(self.coef.len()) {
            *wj = self.coef[j] / self.scale[j];
            b -= *wj * self.mean[j];
        }
        Folded { b, w }
    }
}

/// A logistic scoring as raw weights: log-odds = b + w·x.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Folded {
    b: f64,
    w: Row,
}

impl Folded {
    pub fn probability(&self, x: &Row) -> f64 {
        sigmoid(self.b + self.w.iter().zip(x).map(|(w, x)| w * x).sum::<f64>())
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
