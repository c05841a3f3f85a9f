//! Which meetings to hold, before when: a maximum-weight b-matching of the pairs.
//!
//! Leave the slots aside and a schedule is a set of pairs in which each participant has at
//! most its cap of meetings (a b-matching) and there are at most as many meetings as tables
//! over the day. On summits with tables to spare the best schedule is usually such a set that
//! can be coloured with the slots (Vizing: a graph of maximum degree Δ needs Δ or Δ + 1
//! colours), so a maximum b-matching given slots one by one is a far better start than
//! slot-by-slot matchings of all pairs, whose early slots take pairs the later ones needed;
//! its score is also an upper bound on any schedule, far tighter there than the Lagrangian.
//!
//! The maximum is exact, by Tutte's reduction to a maximum-weight matching (Edmonds' blossom
//! algorithm, rustworkx-core), on summits small enough for it; on larger ones the slot-by-slot
//! matchings and the local search do without it.

use super::problem::Problem;

/// Nodes of the reduction to a matching up to which [`maximum`] runs (about 0.1 s).
const EXACT_NODES: usize = 5_000;

/// A maximum b-matching: every participant within its cap, at most `total` pairs, the
/// `locked` pairs (fixed and must-meet meetings) always in, the most score. Returns the
/// chosen pairs (with the locked ones) and an upper bound on the score of any schedule
/// (every schedule is such a b-matching); `None` unless every slot has a table for every
/// two participants available in it (otherwise the tables, not the caps, decide which pairs
/// meet), when the reduction to a matching is too large for the cubic blossom algorithm, or
/// when `total` binds.
///
/// The blossom algorithm maximises integer weights `w_q = round(score_q · scale)` (at least
/// 1), so the bound is the locked pairs' score plus `(Σ w_q + δ k) / scale` over the chosen
/// free pairs, where `δ` is the largest amount a score lost to rounding and `k` the most
/// free pairs a b-matching can hold: the true optimum can exceed the pairs chosen by no
/// more than that (with scores in whole micro-units, `δ = 0` and the bound is their score).
pub(crate) fn maximum(p: &Problem, locked: &[bool], total: usize) -> Option<(Vec<usize>, f64)> {
    let loose = (0..p.slots).all(|s| {
        let here = (0..p.n() as u32).filter(|&v| p.is_available(v, s)).count();
        2 * p.tables[s] as usize >= here
    });
    let nodes = p.cap.iter().map(|&c| c as usize).sum::<usize>()
        + 2 * p.pairs.iter().filter(|pr| pr.score > 0.0).count();
    if !loose || nodes > EXACT_NODES {
        return None;
    }
    let (chosen, free_weight, room) = exact(p, locked);
    if chosen.len() > total {
        return None;
    }
    let rounded_down = (0..p.pairs.len())
        .filter(|&q| !locked[q] && p.pairs[q].score > 0.0)
        .map(|q| p.pairs[q].score * p.weight_scale - weight(p, q) as f64)
        .fold(0.0, f64::max);
    let locked_score: f64 = (0..p.pairs.len())
        .filter(|&q| locked[q])
        .map(|q| p.pairs[q].score)
        .sum();
    let bound =
        locked_score + (free_weight as f64 + rounded_down * (room / 2) as f64) / p.weight_scale;
    Some((chosen, bound))
}

/// The blossom algorithm's integer weight of pair `q`.
fn weight(p: &Problem, q: usize) -> i128 {
    (p.pairs[q].score * p.weight_scale).round().max(1.0) as i128
}

/// The exact maximum-weight b-matching by Tutte's reduction to a matching: participant `v`
/// becomes `cap(v)` copies, pair `q = (a, b)` the path `a-copies — x_q — y_q — b-copies`
/// with weight `w` on every edge; `x_q y_q` matched means `q` is out, both ends matched to
/// copies means `q` is in (gain `2w` instead of `w`), so a maximum matching is `Σw` plus a
/// maximum b-matching. Returns the chosen pairs (with the locked ones), the weight of the
/// free ones and the caps left to them.
fn exact(p: &Problem, locked: &[bool]) -> (Vec<usize>, i128, usize) {
    let mut room: Vec<u32> = p.cap.clone();
    for (q, _) in locked.iter().enumerate().filter(|(_, &l)| l) {
        room[p.pairs[q].a as usize] -= 1;
        room[p.pairs[q].b as usize] -= 1;
    }
    let mut first = vec![0u32; p.n() + 1];
    for v in 0..p.n() {
        first[v + 1] = first[v] + room[v];
    }
    let free: Vec<usize> = (0..p.pairs.len())
        .filter(|&q| !locked[q] && p.pairs[q].score > 0.0)
        .filter(|&q| room[p.pairs[q].a as usize] > 0 && room[p.pairs[q].b as usize] > 0)
        .collect();
    let mut edges: Vec<(u32, u32, i128)> = Vec::new();
    let base = first[p.n()];
    for (k, &q) in free.iter().enumerate() {
        let pr = p.pairs[q];
        let w = weight(p, q);
        let (x, y) = (base + 2 * k as u32, base + 2 * k as u32 + 1);
        for c in first[pr.a as usize]..first[pr.a as usize + 1] {
            edges.push((c, x, w));
        }
        edges.push((x, y, w));
        for c in first[pr.b as usize]..first[pr.b as usize + 1] {
            edges.push((y, c, w));
        }
    }
    let matched = super::matching::max_matching(&edges, usize::MAX);
    let mut ends = vec![0u8; free.len()];
    for e in matched {
        let (u, v, _) = edges[e];
        if u < base || v < base {
            ends[((u.max(v) - base) / 2) as usize] += 1;
        }
    }
    let mut out: Vec<usize> = (0..p.pairs.len()).filter(|&q| locked[q]).collect();
    let chosen: Vec<usize> = free
        .iter()
        .zip(&ends)
        .filter(|(_, &e)| e == 2)
        .map(|(&q, _)| q)
        .collect();
    let chosen_weight = chosen.iter().map(|&q| weight(p, q)).sum();
    out.extend(chosen);
    (out, chosen_weight, base as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summit::{Participant, SummitInput};

    /// Six participants, two slots of three tables, every pair scored in thirds (so the
    /// blossom's micro-unit weights round): the bound is at least the maximum found by trying
    /// every set of pairs, and no more than a micro-unit per pair above it.
    #[test]
    fn the_bound_covers_scores_the_weights_round() -> crate::error::Result<()> {
        let ids = ["a", "b", "c", "d", "e", "f"];
        let mut scores = Vec::new();
        for i in 0..ids.len() {
            for j in i + 1..ids.len() {
                let score = ((i * 7 + j * 3) % 11 + 1) as f64 / 3.0;
                scores.push((ids[i].to_string(), ids[j].to_string(), score));
            }
        }
        let input = SummitInput {
            participants: ids.iter().map(|&id| Participant::new(id)).collect(),
            scores,
            slots: 2,
            tables: vec![3, 3],
            ..Default::default()
        };
        let p = input.problem()?;
        let locked = vec![false; p.pairs.len()];
        let found = maximum(&p, &locked, 6);
        assert!(
            found.is_some(),
            "six participants with three tables a slot are loose"
        );
        let (chosen, bound) = found.unwrap_or_default();
        let best = (0u32..1 << p.pairs.len())
            .filter_map(|set| {
                let mut degree = vec![0u32; p.n()];
                let mut score = 0.0;
                for q in (0..p.pairs.len()).filter(|&q| set >> q & 1 == 1) {
                    degree[p.pairs[q].a as usize] += 1;
                    degree[p.pairs[q].b as usize] += 1;
                    score += p.pairs[q].score;
                }
                (degree.iter().zip(&p.cap).all(|(d, c)| d <= c)).then_some(score)
            })
            .fold(0.0, f64::max);
        let ours: f64 = chosen.iter().map(|&q| p.pairs[q].score).sum();
        assert!((ours - best).abs() < 1e-9, "{ours} against {best}");
        assert!(
            bound >= best && bound <= best + 1e-5,
            "{bound} against {best}"
        );
        Ok(())
    }
}
