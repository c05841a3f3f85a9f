//! Lagrangian relaxation of the schedule: relaxing "a pair meets at most once", "at most
//! `tables[s]` meetings in slot s" and "at most `cap_v` meetings" with multipliers leaves one
//! independent maximum-weight matching per slot. Its value is an upper bound on any
//! schedule's score (much tighter than counting bounds), and its matchings, repaired, are good
//! starting points for the local search. Multipliers follow the subgradient method with
//! Polyak steps (Held, Wolfe & Crowder 1974).

use super::matching::max_matching;
use super::problem::Problem;

/// Steps in a row whose matchings, repaired, raise the best schedule by at most a
/// ten-thousandth before the relaxation stops: on 200 × 8 × 60 random summits the best
/// schedule comes within the first ten steps, and the next fifty (two thirds of a second)
/// only tightened a bound already beaten by the counting bound.
const STALL: usize = 10;

/// Runs `iterations` subgradient steps, fewer when `deadline` passes or when [`STALL`] steps
/// in a row find no better schedule (every step's value is a bound, so stopping early only
/// loosens it); calls `primal(slots)` with each step's
/// matchings (pair indices per slot) and takes back the best score found so far (for the step
/// size), or an error that stops the relaxation (Ctrl-C). Returns the best (smallest) upper
/// bound, infinite when no step ran.
pub(crate) fn relax(
    p: &Problem,
    iterations: usize,
    exact_limit: usize,
    deadline: Option<std::time::Instant>,
    mut primal: impl FnMut(&[Vec<usize>]) -> crate::Result<f64>,
) -> crate::Result<f64> {
    let scale = p.weight_scale;
    let n_pairs = p.pairs.len();
    // Candidate (pair, slot) edges with a positive score.
    let mut per_slot: Vec<Vec<usize>> = vec![Vec::new(); p.slots];
    for (q, pr) in p.pairs.iter().enumerate() {
        if pr.score <= 0.0 {
            continue;
        }
        for (s, list) in per_slot.iter_mut().enumerate() {
            if p.is_available(pr.a, s) && p.is_available(pr.b, s) {
                list.push(q);
            }
        }
    }
    let mut lambda = vec![0.0f64; n_pairs];
    let mut mu = vec![0.0f64; p.slots];
    let mut nu = vec![0.0f64; p.n()];
    let mut best_bound = f64::INFINITY;
    let mut theta = 2.0;
    let mut since_better = 0;
    let mut lower = 0.0f64;
    let mut stalled = 0;
    for _ in 0..iterations {
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            break;
        }
        let mut value: f64 = lambda.iter().sum::<f64>()
            + mu.iter()
                .zip(&p.tables)
                .map(|(m, &t)| m * t as f64)
                .sum::<f64>()
            + nu.iter()
                .zip(&p.cap)
                .map(|(v, &c)| v * c as f64)
                .sum::<f64>();
        let mut chosen: Vec<Vec<usize>> = Vec::with_capacity(p.slots);
        let mut used = vec![0i64; n_pairs];
        let mut deg = vec![0i64; p.n()];
        let mut count = vec![0i64; p.slots];
        for (s, list) in per_slot.iter().enumerate() {
            let mut edges = Vec::new();
            let mut ids = Vec::new();
            for &q in list {
                let pr = p.pairs[q];
                let w = pr.score - lambda[q] - mu[s] - nu[pr.a as usize] - nu[pr.b as usize];
                let scaled = (w * scale).floor() as i128;
                if scaled > 0 {
                    edges.push((pr.a, pr.b, scaled));
                    ids.push(q);
                }
            }
            let picked: Vec<usize> = max_matching(&edges, exact_limit)
                .into_iter()
                .map(|k| ids[k])
                .collect();
            for &q in &picked {
                let pr = p.pairs[q];
                // The floor loses under one weight unit per edge: add it back so the bound
                // stays valid.
                value += pr.score - lambda[q] - mu[s] - nu[pr.a as usize] - nu[pr.b as usize]
                    + 1.0 / scale;
                used[q] += 1;
                deg[pr.a as usize] += 1;
                deg[pr.b as usize] += 1;
                count[s] += 1;
            }
            chosen.push(picked);
        }
        if value < best_bound - 1e-9 {
            best_bound = value;
            since_better = 0;
        } else {
            since_better += 1;
            if since_better >= 5 {
                theta /= 2.0;
                since_better = 0;
            }
        }
        let found = primal(&chosen)?;
        if found > lower + 1e-4 * lower.abs() {
            stalled = 0;
        } else {
            stalled += 1;
        }
        lower = lower.max(found);
        if stalled >= STALL {
            break;
        }
        // Subgradients of the relaxed constraints (only violated or slack-with-positive-price
        // components matter after projection).
        let g_pair: Vec<f64> = (0..n_pairs).map(|q| (used[q] - 1) as f64).collect();
        let g_slot: Vec<f64> = (0..p.slots)
            .map(|s| (count[s] - p.tables[s] as i64) as f64)
            .collect();
        let g_cap: Vec<f64> = (0..p.n())
            .map(|v| (deg[v] - p.cap[v] as i64) as f64)
            .collect();
        let norm = |g: &[f64], x: &[f64]| -> f64 {
            g.iter()
                .zip(x)
                .map(|(gi, xi)| if *gi > 0.0 || *xi > 0.0 { gi * gi } else { 0.0 })
                .sum()
        };
        let norm2 = norm(&g_pair, &lambda) + norm(&g_slot, &mu) + norm(&g_cap, &nu);
        if norm2 == 0.0 || theta < 1e-6 || best_bound - lower < 1e-6 {
            break;
        }
        let step = theta * (value - lower).max(1e-9) / norm2;
        for (x, g) in lambda.iter_mut().zip(&g_pair) {
            *x = (*x + step * g).max(0.0);
        }
        for (x, g) in mu.iter_mut().zip(&g_slot) {
            *x = (*x + step * g).max(0.0);
        }
        for (x, g) in nu.iter_mut().zip(&g_cap) {
            *x = (*x + step * g).max(0.0);
        }
    }
    Ok(best_bound)
}
