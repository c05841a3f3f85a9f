//! Small sampling helpers for the generator: cumulative tables, the normal CDF and stochastic
//! rounding. Kept here so the generator reads as the economic story it tells.

use rand::Rng;

/// Samples an index with probability proportional to its weight (binary search over the
/// cumulative sums).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cumulative {
    cum: Vec<f64>,
}

impl Cumulative {
    pub(crate) fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cum = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Cumulative { cum }
    }

    pub(crate) fn total(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.total() <= 0.0
    }

    /// An index, or `None` when all weights are zero.
    pub(crate) fn sample(&self, rng: &mut impl Rng) -> Option<usize> {
        let total = self.total();
        if total <= 0.0 {
            return None;
        }
        let x = rng.random::<f64>() * total;
        let i = self.cum.partition_point(|&c| c <= x);
        Some(i.min(self.cum.len() - 1))
    }
}

/// The standard normal CDF, via the complementary error function (Numerical Recipes'
/// Chebyshev fit, relative error below 1.2e-7 — ample for generating data).
pub(crate) fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.26551223
        + t * (1.00002368
            + t * (0.37409196
                + t * (0.09678418
                    + t * (-0.18628806
                        + t * (0.27886807
                            + t * (-1.13520398
                                + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Rounds `x` up with probability equal to its fractional part, so that sums keep their mean.
pub(crate) fn stochastic_round(x: f64, rng: &mut impl Rng) -> usize {
    let base = x.floor();
    let extra = if rng.random::<f64>() < x - base {
        1.0
    } else {
        0.0
    };
    (base + extra).max(0.0) as usize
}

/// A Pareto draw with minimum 1 and tail exponent `alpha` (CCDF `x^-alpha`) from a uniform
/// quantile `u` in [0, 1).
pub(crate) fn pareto(u: f64, alpha: f64) -> f64 {
    (1.0 - u.clamp(0.0, 1.0 - 1e-12)).powf(-1.0 / alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959963985) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158655254).abs() < 1e-6);
    }
}
