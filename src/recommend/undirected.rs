//! The undirected view of a network (supplier, customer and collaboration ties alike), on
//! which the networkx-style link-prediction heuristics are defined. Shared by the baselines,
//! the research context and the evaluation.

use crate::network::TradeNetwork;
use rayon::prelude::*;

/// The undirected graph of all ties: per firm its distinct neighbours, ascending.
#[derive(Debug, Clone)]
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
        let (mut cn, mut aa, mut ra) = (0.0, 0.0, 0.0);
        for_each_shared(self.neighbours(u), self.neighbours(v), |x| {
            let d = self.degree(x);
            cn += 1.0;
            aa += 1.0 / d.ln();
            ra += 1.0 / d;
        });
        (cn, aa, ra)
    }
}

/// Calls `f` on every entry two ascending lists share, by one merge of the two.
pub(crate) fn for_each_shared(a: &[u32], b: &[u32], mut f: impl FnMut(u32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
}
