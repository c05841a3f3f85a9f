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
/// chosen pairs (with the locked ones) and their score, which no schedule exceeds (every
/// schedule is such a b-matching); `None` when the reduction to a matching is too large for
/// the cubic blossom algorithm or `total` binds.
pub(crate) fn maximum(p: &Problem, locked: &[bool], total: usize) -> Option<(Vec<usize>, f64)> {
    let nodes = p.cap.iter().map(|&c| c as usize).sum::<usize>()
        + 2 * p.pairs.iter().filter(|pr| pr.score > 0.0).count();
    if nodes > EXACT_NODES {
        return None;
    }
    let chosen = exact(p, locked);
    let score = chosen.iter().map(|&q| p.pairs[q].score).sum();
    (chosen.len() <= total).then_some((chosen, score))
}

/// The exact maximum-weight b-matching by Tutte's reduction to a matching: participant `v`
/// becomes `cap(v)` copies, pair `q = (a, b)` the path `a-copies — x_q — y_q — b-copies`
/// with weight `w` on every edge; `x_q y_q` matched means `q` is out, both ends matched to
/// copies means `q` is in (gain `2w` instead of `w`), so a maximum matching is `Σw` plus a
/// maximum b-matching.
fn exact(p: &Problem, locked: &[bool]) -> Vec<usize> {
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
        let w = (pr.score * p.weight_scale).round().max(1.0) as i128;
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
    out.extend(
        free.iter()
            .zip(&ends)
            .filter(|(_, &e)| e == 2)
            .map(|(&q, _)| q),
    );
    out
}
