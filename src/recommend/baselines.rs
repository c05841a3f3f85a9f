//! The classic link-prediction scores, exactly as networkx defines them on the undirected
//! graph of all ties (trades either way, collaborations): preferential attachment, common
//! neighbours, Adamic–Adar and resource allocation. They are the baselines of
//! [`evaluate`](super::evaluate), scored on the recommender's own candidates.

use crate::error::{Error, Result};
use crate::network::TradeNetwork;
use rayon::prelude::*;

/// A baseline ranking of candidate partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// Seeded random scores.
    Random,
    /// deg(u) · deg(v).
    PreferentialAttachment,
    /// |N(u) ∩ N(v)|.
    CommonNeighbours,
    /// Σ 1 / ln deg(w) over common neighbours w.
    AdamicAdar,
    /// Σ 1 / deg(w) over common neighbours w.
    ResourceAllocation,
}

/// Every baseline, in the order tables list them.
pub const BASELINES: [Baseline; 5] = [
    Baseline::Random,
    Baseline::PreferentialAttachment,
    Baseline::CommonNeighbours,
    Baseline::AdamicAdar,
    Baseline::ResourceAllocation,
];

impl Baseline {
    /// The name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Random => "random",
            Baseline::PreferentialAttachment => "preferential_attachment",
            Baseline::CommonNeighbours => "common_neighbours",
            Baseline::AdamicAdar => "adamic_adar",
            Baseline::ResourceAllocation => "resource_allocation",
        }
    }
}

/// The undirected graph of all ties: per firm its distinct neighbours, ascending.
pub(crate) struct Undirected {
    offsets: Vec<usize>,
    adjacent: Vec<u32>,
}

impl Undirected {
    pub fn new(net: &TradeNetwork) -> Undirected {
        let n = net.n_firms();
        let (a, b) = net.collaborations();
        let mut collab: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (&x, &y) in a.iter().zip(b) {
            collab[x as usize].push(y);
            collab[y as usize].push(x);
        }
        let lists: Vec<Vec<u32>> = (0..n as u32)
            .into_par_iter()
            .map(|i| {
                let mut v: Vec<u32> = net
                    .suppliers(i)
                    .iter()
                    .chain(net.customers(i))
                    .chain(&collab[i as usize])
                    .copied()
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        for l in &lists {
            offsets.push(offsets.last().copied().unwrap_or(0) + l.len());
        }
        Undirected {
            offsets,
            adjacent: lists.concat(),
        }
    }

    pub fn neighbours(&self, i: u32) -> &[u32] {
        &self.adjacent[self.offsets[i as usize]..self.offsets[i as usize + 1]]
    }

    pub fn degree(&self, i: u32) -> f64 {
        (self.offsets[i as usize + 1] - self.offsets[i as usize]) as f64
    }

    /// (CN, AA, RA) of a pair: a merge of the two sorted neighbour lists.
    pub fn common(&self, u: u32, v: u32) -> (f64, f64, f64) {
        let (a, b) = (self.neighbours(u), self.neighbours(v));
        let (mut i, mut j) = (0, 0);
        let (mut cn, mut aa, mut ra) = (0.0, 0.0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let d = self.degree(a[i]);
                    cn += 1.0;
                    aa += 1.0 / d.ln();
                    ra += 1.0 / d;
                    i += 1;
                    j += 1;
                }
            }
        }
        (cn, aa, ra)
    }

    /// The score of one baseline for a pair (`random` is the seeded hash `noise`).
    pub fn score(&self, baseline: Baseline, u: u32, v: u32, noise: f64) -> f64 {
        match baseline {
            Baseline::Random => noise,
            Baseline::PreferentialAttachment => self.degree(u) * self.degree(v),
            Baseline::CommonNeighbours => self.common(u, v).0,
            Baseline::AdamicAdar => self.common(u, v).1,
            Baseline::ResourceAllocation => self.common(u, v).2,
        }
    }
}

/// Preferential attachment, common neighbours, Adamic–Adar and resource allocation of the
/// given pairs (indices) on the undirected graph of all ties, as networkx computes them.
///
/// ```
/// use tsunagime::network::{NetworkBuilder, TradeTable};
/// use tsunagime::recommend::link_scores;
/// // 1 → 2, 3 → 2, 3 → 4: firms 1 and 3 share the neighbour 2 (degree 2).
/// let (net, _) = NetworkBuilder::new()
///     .trades(TradeTable::new(vec![1, 3, 3], vec![2, 2, 4]))
///     .build()?;
/// let (one, three) = (net.require(&1.into())?, net.require(&3.into())?);
/// let [pa, cn, aa, ra] = link_scores(&net, &[(one, three)])?;
/// assert_eq!((pa[0], cn[0], ra[0]), (2.0, 1.0, 0.5));
/// assert!((aa[0] - 1.0 / 2f64.ln()).abs() < 1e-12);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn link_scores(net: &TradeNetwork, pairs: &[(u32, u32)]) -> Result<[Vec<f64>; 4]> {
    let n = net.n_firms() as u32;
    if let Some(&(a, b)) = pairs.iter().find(|&&(a, b)| a >= n || b >= n) {
        return Err(Error::parameter(
            "pairs",
            format!("pair ({a}, {b}) is out of range (the network has {n} firms)"),
        ));
    }
    let g = Undirected::new(net);
    let rows: Vec<[f64; 4]> = pairs
        .par_iter()
        .map(|&(u, v)| {
            let (cn, aa, ra) = g.common(u, v);
            [g.degree(u) * g.degree(v), cn, aa, ra]
        })
        .collect();
    Ok([0, 1, 2, 3].map(|j| rows.iter().map(|r| r[j]).collect()))
}
