//! Gradient-boosted regression trees on top of the linear ranking: the part of the order
//! within each firm's candidates that a weighted sum of features cannot express (a filter
//! that matters only among popular candidates, a region that matters only without shared
//! partners). Small shallow trees, fitted to the conditional logit's gradient by Newton
//! steps on binned features, as in LightGBM and XGBoost.
//!
//! References: Friedman (2001), "Greedy function approximation: a gradient boosting
//! machine"; Chen & Guestrin (2016), "XGBoost: a scalable tree boosting system" (the
//! second-order gain G²/(H + λ)); Burges (2010), "From RankNet to LambdaRank to
//! LambdaMART".

use super::features::{Row, Rows};
use crate::error::Result;
use crate::monitor::{checkpoint, Monitor};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Boosting rounds (trees).
pub(crate) const ROUNDS: usize = 60;
/// Depth of each tree (at most 2^DEPTH leaves).
const DEPTH: usize = 3;
/// Shrinkage of each tree's values.
const RATE: f64 = 0.15;
/// L2 penalty on leaf values (in Hessian units).
const LAMBDA: f64 = 1.0;
/// Fewest summed Hessian in a leaf.
const MIN_HESSIAN: f64 = 2.0;
/// Candidate thresholds per feature (quantiles of the training rows).
const BINS: usize = 32;

/// One node of a tree: a split (`feature < threshold` goes left) or a leaf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    /// Rows with `x[feature] < threshold` go to node `left`, the others to `left + 1`.
    Split {
        /// Feature index.
        feature: u16,
        /// Threshold.
        threshold: f64,
        /// Index of the left child; the right one follows it.
        left: u32,
    },
    /// A leaf's value added to the score.
    Leaf(f64),
}

/// A regression tree, root first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree(pub Vec<Node>);

impl Tree {
    /// The value of row `x`.
    pub fn value(&self, x: &Row) -> f64 {
        let mut i = 0usize;
        loop {
            match self.0.get(i) {
                Some(Node::Split {
                    feature,
                    threshold,
                    left,
                }) => {
                    i = *left as usize + (x[*feature as usize] >= *threshold) as usize;
                }
                Some(Node::Leaf(v)) => return *v,
                None => return 0.0,
            }
        }
    }

    /// Levels of splits on the longest path from the root (0 for a lone leaf). Children
    /// come after their parent (see [`valid`]), so one backward pass sees them first.
    fn depth(&self) -> usize {
        let mut below = vec![0usize; self.0.len()];
        for (i, node) in self.0.iter().enumerate().rev() {
            if let Node::Split { left, .. } = node {
                let child = |c: usize| below.get(c).copied().unwrap_or(0);
                below[i] = 1 + child(*left as usize).max(child(*left as usize + 1));
            }
        }
        below.first().copied().unwrap_or(0)
    }
}

/// Whether decoded trees are well formed on `d` features: every split's children come after
/// it (so that [`Tree::value`] ends) and every number is finite.
pub(crate) fn valid(trees: &[Tree], d: usize) -> bool {
    trees.iter().all(|t| {
        t.0.iter().enumerate().all(|(i, node)| match node {
            Node::Split {
                feature,
                threshold,
                left,
            } => {
                (*feature as usize) < d
                    && threshold.is_finite()
                    && *left as usize > i
                    && (*left as usize) + 1 < t.0.len()
            }
            Node::Leaf(v) => v.is_finite(),
        })
    })
}

/// Deepest complete layout a [`Forest`] takes; deeper (decoded) trees are walked node by node.
const MAX_COMPLETE_DEPTH: usize = 8;

/// Trees laid out for scoring many rows: each as a complete binary tree of one depth
/// (splits in breadth-first order, then the leaves), so that a row descends by index
/// arithmetic, `i ← 2i + 1 + (x_f ≥ t)`, with no branch to mispredict, and one tree is
/// applied to all the rows before the next (the rows' descents overlap in the pipeline).
/// A leaf above the full depth is repeated under splits that always go left. Scores equal
/// the node walk's ([`Tree::value`]) bit for bit.
#[derive(Debug, Clone)]
pub(crate) struct Forest {
    depth: usize,
    feature: Vec<u16>,
    threshold: Vec<f64>,
    leaf: Vec<f64>,
    /// Trees too deep for the complete layout.
    walked: Vec<Tree>,
}

impl Forest {
    pub fn new(trees: &[Tree]) -> Forest {
        let depth = trees.iter().map(Tree::depth).max().unwrap_or(0);
        if depth > MAX_COMPLETE_DEPTH {
            return Forest {
                depth: 0,
                feature: Vec::new(),
                threshold: Vec::new(),
                leaf: Vec::new(),
                walked: trees.to_vec(),
            };
        }
        let (splits, leaves) = ((1 << depth) - 1, 1 << depth);
        let mut f = Forest {
            depth,
            feature: vec![0; splits * trees.len()],
            threshold: vec![f64::INFINITY; splits * trees.len()],
            leaf: vec![0.0; leaves * trees.len()],
            walked: Vec::new(),
        };
        for (k, t) in trees.iter().enumerate() {
            f.lay(t, k, 0, 0, 0);
        }
        f
    }

    /// Lays node `i` of tree `t` (the `k`-th) at complete position `pos` of `level`.
    fn lay(&mut self, t: &Tree, k: usize, i: usize, pos: usize, level: usize) {
        let splits = (1 << self.depth) - 1;
        if level == self.depth {
            self.leaf[k * (splits + 1) + pos - splits] = match t.0.get(i) {
                Some(Node::Leaf(v)) => *v,
                _ => 0.0,
            };
            return;
        }
        match t.0.get(i) {
            Some(Node::Split {
                feature,
                threshold,
                left,
            }) => {
                self.feature[k * splits + pos] = *feature;
                self.threshold[k * splits + pos] = *threshold;
                let left = *left as usize;
                self.lay(t, k, left, 2 * pos + 1, level + 1);
                self.lay(t, k, left + 1, 2 * pos + 2, level + 1);
            }
            // A leaf (or a missing node, worth 0) above the full depth: both sides carry it.
            _ => {
                self.lay(t, k, i, 2 * pos + 1, level + 1);
                self.lay(t, k, i, 2 * pos + 2, level + 1);
            }
        }
    }

    /// Whether there are no trees.
    pub fn is_empty(&self) -> bool {
        self.leaf.is_empty() && self.walked.is_empty()
    }

    /// The sum of the trees' values of each row, into `out`.
    pub fn values(&self, rows: &[Row], out: &mut [f64]) {
        out.fill(0.0);
        if !self.walked.is_empty() {
            for (o, x) in out.iter_mut().zip(rows) {
                *o = self.walked.iter().map(|t| t.value(x)).sum();
            }
            return;
        }
        match self.depth {
            0 => self.descend::<0>(rows, out),
            1 => self.descend::<1>(rows, out),
            2 => self.descend::<2>(rows, out),
            3 => self.descend::<3>(rows, out),
            4 => self.descend::<4>(rows, out),
            5 => self.descend::<5>(rows, out),
            6 => self.descend::<6>(rows, out),
            7 => self.descend::<7>(rows, out),
            _ => self.descend::<MAX_COMPLETE_DEPTH>(rows, out),
        }
    }

    /// [`Self::values`] for trees of depth `D` (the loop unrolled), the rows taken in
    /// blocks that stay in the first-level cache while every tree descends them: a national
    /// network's query scores hundreds of rows of 240 bytes, which the trees otherwise read
    /// from further out once each.
    fn descend<const D: usize>(&self, rows: &[Row], out: &mut [f64]) {
        const BLOCK: usize = 32;
        let splits = (1 << D) - 1;
        let trees = self.leaf.len() >> D;
        for (out, rows) in out.chunks_mut(BLOCK).zip(rows.chunks(BLOCK)) {
            for k in 0..trees {
                let feature = &self.feature[k * splits..(k + 1) * splits];
                let threshold = &self.threshold[k * splits..(k + 1) * splits];
                let leaf = &self.leaf[k * (splits + 1)..(k + 1) * (splits + 1)];
                for (o, x) in out.iter_mut().zip(rows) {
                    let mut i = 0;
                    for _ in 0..D {
                        let go_right = x[feature[i] as usize] >= threshold[i];
                        i = 2 * i + 1 + go_right as usize;
                    }
                    *o += leaf[i - splits];
                }
            }
        }
    }
}

/// Boosts trees on the first `d` features of `groups` (each one query firm's candidates,
/// weighted) from the starting scores `start` (one per row, groups in order), minimising
/// the conditional logit: each new link's −log(w e^s / Σ_group w e^s). Returns the trees
/// and each feature's total gain (what carries the weight). Reports each round to `monitor`
/// (stage `boosting`) and stops with [`crate::Error::Interrupted`] when it asks.
pub(crate) fn boost(
    groups: &[Rows],
    d: usize,
    start: &[f64],
    monitor: &dyn Monitor,
) -> Result<(Vec<Tree>, Vec<f64>)> {
    let x: Vec<&Row> = groups.iter().flat_map(|g| &g.x).collect();
    let n = x.len();
    let mut gain = vec![0.0; d];
    if n == 0 || d == 0 {
        return Ok((Vec::new(), gain));
    }
    let thresholds: Vec<Vec<f64>> = (0..d).into_par_iter().map(|j| cuts(&x, j)).collect();
    // Bin codes, feature-major: code[j][i] is the number of thresholds ≤ x_ij.
    let codes: Vec<Vec<u8>> = thresholds
        .par_iter()
        .enumerate()
        .map(|(j, t)| {
            x.iter()
                .map(|r| t.partition_point(|&c| c <= r[j]) as u8)
                .collect()
        })
        .collect();
    let mut offsets = Vec::with_capacity(groups.len() + 1);
    offsets.push(0usize);
    for g in groups {
        offsets.push(offsets[offsets.len() - 1] + g.x.len());
    }
    let mut score = start.to_vec();
    let mut grad = vec![0.0; n];
    let mut hess = vec![0.0; n];
    let mut trees = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        checkpoint(monitor, "boosting", round as u64, ROUNDS as u64)?;
        gradients(groups, &offsets, &score, &mut grad, &mut hess);
        let tree = grow(&codes, &thresholds, &grad, &hess, &mut gain);
        score
            .par_iter_mut()
            .zip(x.par_iter())
            .for_each(|(s, r)| *s += tree.value(r));
        trees.push(tree);
    }
    checkpoint(monitor, "boosting", ROUNDS as u64, ROUNDS as u64)?;
    Ok((trees, gain))
}

/// Up to [`BINS`] distinct quantiles of feature `j`.
fn cuts(x: &[&Row], j: usize) -> Vec<f64> {
    let step = (x.len() / 20_000).max(1);
    let mut v: Vec<f64> = x.iter().step_by(step).map(|r| r[j]).collect();
    v.sort_unstable_by(f64::total_cmp);
    let mut t: Vec<f64> = (1..BINS)
        .map(|b| v[b * (v.len() - 1) / BINS])
        .filter(|c| c.is_finite())
        .collect();
    t.dedup();
    // A threshold equal to the smallest value separates nothing.
    t.retain(|&c| c > v[0]);
    t
}

/// The conditional logit's gradient and Hessian (diagonal) with respect to each row's score.
fn gradients(
    groups: &[Rows],
    offsets: &[usize],
    score: &[f64],
    grad: &mut [f64],
    hess: &mut [f64],
) {
    let mut parts: Vec<(&mut [f64], &mut [f64])> = Vec::with_capacity(groups.len());
    let (mut g, mut h) = (grad, hess);
    for w in offsets.windows(2) {
        let (a, rest_g) = g.split_at_mut(w[1] - w[0]);
        let (b, rest_h) = h.split_at_mut(w[1] - w[0]);
        parts.push((a, b));
        g = rest_g;
        h = rest_h;
    }
    parts
        .into_par_iter()
        .zip(groups.par_iter())
        .enumerate()
        .for_each(|(k, ((g, h), rows))| {
            let s = &score[offsets[k]..offsets[k + 1]];
            let n_pos = rows.y.iter().filter(|&&y| y).count() as f64;
            if n_pos == 0.0 {
                g.fill(0.0);
                h.fill(0.0);
                return;
            }
            let (p, _) = choice(s, &rows.w);
            for i in 0..s.len() {
                g[i] = n_pos * p[i] - rows.y[i] as u8 as f64;
                h[i] = (n_pos * p[i] * (1.0 - p[i])).max(1e-9);
            }
        });
}

/// Summed gradient and Hessian of the rows in each bin of one feature.
type Histogram = [(f64, f64); BINS + 1];

/// The histograms of `rows`, one per feature.
fn histograms(codes: &[Vec<u8>], rows: &[u32], grad: &[f64], hess: &[f64]) -> Vec<Histogram> {
    codes
        .par_iter()
        .map(|code| {
            let mut hist = [(0.0, 0.0); BINS + 1];
            for &i in rows {
                let b = &mut hist[code[i as usize] as usize];
                b.0 += grad[i as usize];
                b.1 += hess[i as usize];
            }
            hist
        })
        .collect()
}

/// The histograms of a node's other child: the parent's less the child's (the larger
/// child is never read, which halves the work of a level: LightGBM's subtraction).
fn rest(parent: &[Histogram], child: &[Histogram]) -> Vec<Histogram> {
    parent
        .iter()
        .zip(child)
        .map(|(p, c)| std::array::from_fn(|b| (p[b].0 - c[b].0, p[b].1 - c[b].1)))
        .collect()
}

/// Grows one tree level by level on the binned features.
fn grow(
    codes: &[Vec<u8>],
    thresholds: &[Vec<f64>],
    grad: &[f64],
    hess: &[f64],
    gain: &mut [f64],
) -> Tree {
    let n = grad.len();
    let mut nodes = vec![Node::Leaf(0.0)];
    let all: Vec<u32> = (0..n as u32).collect();
    let root = histograms(codes, &all, grad, hess);
    // (node index, its rows, their histograms when the node may split)
    let mut level: Vec<(usize, Vec<u32>, Vec<Histogram>)> = vec![(0, all, root)];
    for depth in 0..=DEPTH {
        let mut next = Vec::new();
        for (at, rows, hists) in level {
            let (g, h) = rows.iter().fold((0.0, 0.0), |a, &i| {
                (a.0 + grad[i as usize], a.1 + hess[i as usize])
            });
            let leaf = Node::Leaf(-RATE * g / (h + LAMBDA));
            let best = if depth < DEPTH {
                best_split(&hists, g, h)
            } else {
                None
            };
            let Some((j, bin, split_gain)) = best else {
                nodes[at] = leaf;
                continue;
            };
            gain[j] += split_gain;
            let (l, r): (Vec<u32>, Vec<u32>) = rows
                .iter()
                .partition(|&&i| (codes[j][i as usize] as usize) <= bin);
            // Children at the full depth are leaves: they need no histograms.
            let (hl, hr) = if depth + 1 < DEPTH {
                let left_smaller = l.len() <= r.len();
                let small = histograms(codes, if left_smaller { &l } else { &r }, grad, hess);
                let other = rest(&hists, &small);
                if left_smaller {
                    (small, other)
                } else {
                    (other, small)
                }
            } else {
                Default::default()
            };
            let left = nodes.len();
            nodes.push(Node::Leaf(0.0));
            nodes.push(Node::Leaf(0.0));
            nodes[at] = Node::Split {
                feature: j as u16,
                threshold: thresholds[j][bin],
                left: left as u32,
            };
            next.push((left, l, hl));
            next.push((left + 1, r, hr));
        }
        level = next;
        if level.is_empty() {
            break;
        }
    }
    Tree(nodes)
}

/// The best split of a node with histograms `hists` and sums `g`, `h`: (feature, last bin
/// going left, gain), if any gains.
fn best_split(hists: &[Histogram], g: f64, h: f64) -> Option<(usize, usize, f64)> {
    let parent = g * g / (h + LAMBDA);
    let mut best: Option<(usize, usize, f64)> = None;
    for (j, hist) in hists.iter().enumerate() {
        let (mut gl, mut hl) = (0.0, 0.0);
        for (bin, &(bg, bh)) in hist.iter().enumerate().take(BINS) {
            gl += bg;
            hl += bh;
            let (gr, hr) = (g - gl, h - hl);
            if hl < MIN_HESSIAN || hr < MIN_HESSIAN {
                continue;
            }
            let gain = gl * gl / (hl + LAMBDA) + gr * gr / (hr + LAMBDA) - parent;
            // Strictly better, so that the first feature wins a tie.
            if gain > 1e-9 && best.is_none_or(|b| gain > b.2) {
                best = Some((j, bin, gain));
            }
        }
    }
    best
}

/// The conditional logit's choice probabilities w_i e^{s_i} / Σ_j w_j e^{s_j} of one group's
/// rows, and log Σ_j w_j e^{s_j}, computed stably.
pub(crate) fn choice(scores: &[f64], weights: &[f64]) -> (Vec<f64>, f64) {
    let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mass: Vec<f64> = scores
        .iter()
        .zip(weights)
        .map(|(s, w)| w * (s - top).exp())
        .collect();
    let sum: f64 = mass.iter().sum();
    (mass.into_iter().map(|m| m / sum).collect(), top + sum.ln())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::features::WIDTH;

    /// Groups whose new link is the candidate with a middling first feature: an order no
    /// linear score can give, which the trees learn (and the noise feature carries nothing).
    #[test]
    fn learns_what_a_linear_score_cannot() -> Result<()> {
        let mut groups = Vec::new();
        for g in 0..200u32 {
            let mut rows = Rows::default();
            for i in 0..8u32 {
                let mut x = [0.0; WIDTH];
                x[0] = ((g + i) % 8) as f64;
                x[1] = ((g * 7 + i * 3) % 5) as f64;
                rows.push(x, x[0] == 4.0, 1.0);
            }
            groups.push(rows);
        }
        let n: usize = groups.iter().map(|g| g.x.len()).sum();
        let (trees, gain) = boost(&groups, 2, &vec![0.0; n], &crate::Quiet)?;
        assert_eq!(trees.len(), ROUNDS);
        assert!(valid(&trees, 2));
        assert!(gain[0] > 10.0 * gain[1], "{gain:?}");
        let forest = Forest::new(&trees);
        let hit = groups
            .iter()
            .filter(|g| {
                let mut v = vec![0.0; g.x.len()];
                forest.values(&g.x, &mut v);
                let best = (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b]));
                best.is_some_and(|b| g.y[b])
            })
            .count();
        assert_eq!(hit, 200);
        Ok(())
    }

    /// A split on feature `f` at `t` whose children start at `left`.
    fn split(feature: u16, threshold: f64, left: u32) -> Node {
        Node::Split {
            feature,
            threshold,
            left,
        }
    }

    #[test]
    fn forest_scores_as_the_node_walk_on_uneven_and_deep_trees() {
        // Depth 2 on the left, a leaf at depth 1 on the right; a lone leaf; a chain of 12.
        let uneven = Tree(vec![
            split(0, 0.5, 1),
            split(1, 2.0, 3),
            Node::Leaf(-1.5),
            Node::Leaf(0.25),
            Node::Leaf(4.0),
        ]);
        let lone = Tree(vec![Node::Leaf(0.125)]);
        let mut chain = Vec::new();
        for i in 0..12u32 {
            chain.push(split((i % 3) as u16, i as f64 / 4.0, 2 * i + 1));
            chain.push(Node::Leaf(i as f64));
        }
        chain.push(Node::Leaf(99.0));
        let chain = Tree(chain);
        assert_eq!((chain.depth(), uneven.depth(), lone.depth()), (12, 2, 0));
        let rows: Vec<Row> = (0..64)
            .map(|i| {
                let mut x = [0.0; WIDTH];
                x[0] = (i % 4) as f64 * 0.4;
                x[1] = (i / 4 % 4) as f64;
                x[2] = (i / 16) as f64;
                x
            })
            .collect();
        for trees in [
            vec![uneven.clone(), lone.clone()],
            vec![uneven, lone, chain],
        ] {
            assert!(valid(&trees, 3));
            let forest = Forest::new(&trees);
            let mut got = vec![f64::NAN; rows.len()];
            forest.values(&rows, &mut got);
            for (x, g) in rows.iter().zip(&got) {
                let walked: f64 = trees.iter().map(|t| t.value(x)).sum();
                assert_eq!(g.to_bits(), walked.to_bits());
            }
        }
        assert!(Forest::new(&[]).is_empty());
    }

    #[test]
    fn rejects_trees_that_loop_or_reach_past_their_end() {
        let looped = Tree(vec![Node::Split {
            feature: 0,
            threshold: 1.0,
            left: 0,
        }]);
        assert!(!valid(&[looped], 3));
        let wide = Tree(vec![
            Node::Split {
                feature: 7,
                threshold: 1.0,
                left: 1,
            },
            Node::Leaf(0.0),
            Node::Leaf(1.0),
        ]);
        assert!(!valid(std::slice::from_ref(&wide), 3));
        assert!(valid(&[wide], 8));
    }
}
