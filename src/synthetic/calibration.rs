//! The figures that describe a production network's shape, measured on any [`TradeNetwork`]:
//! the calibration targets of the synthetic economy, and a quick profile of real data.

use crate::error::Result;
use crate::monitor::{checkpoint, Monitor};
use crate::network::distance_km;
use crate::network::{TradeNetwork, MISSING};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;

/// Shape figures of a network. Figures that need data the network lacks (years, coordinates,
/// a `prefecture` partition, `sales`) are NaN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Firms.
    pub n_firms: usize,
    /// Distinct links.
    pub n_trades: usize,
    /// Collaborations.
    pub n_collaborations: usize,
    /// Links per firm (mean in-degree = mean out-degree).
    pub trades_per_firm: f64,
    /// Links active in the last year, per firm.
    pub active_per_firm_last_year: f64,
    /// The three largest prefectures and their share of firms.
    pub largest_prefectures: Vec<(String, f64)>,
    /// Tail exponent of the CCDF of customer counts (out-degree), discrete MLE for k ≥ 10.
    pub customer_ccdf_exponent: f64,
    /// Tail exponent of the CCDF of supplier counts (in-degree), discrete MLE for k ≥ 10.
    pub supplier_ccdf_exponent: f64,
    /// Largest number of customers of one firm.
    pub max_customers: usize,
    /// Largest number of suppliers of one firm.
    pub max_suppliers: usize,
    /// Median supplier–customer distance in km.
    pub median_distance_km: f64,
    /// Share of links within one prefecture.
    pub same_prefecture_share: f64,
    /// Degree assortativity of the undirected simple graph (Newman's r, as networkx's
    /// `degree_assortativity_coefficient` on the undirected graph).
    pub assortativity: f64,
    /// Global clustering (transitivity) of the undirected simple graph.
    pub transitivity: f64,
    /// Share of (undirected) links that lie on a triangle (NaN above the size limit).
    pub triangle_link_share: f64,
    /// The same for a degree-preserving rewiring of the links.
    pub triangle_link_share_rewired: f64,
    /// Share of links s → c that lie on a 4-cycle "two customers share two suppliers"
    /// (s → c, s → c', s' → c', s' → c), NaN above the size limit.
    pub square_link_share: f64,
    /// The same for a degree-preserving rewiring of the links.
    pub square_link_share_rewired: f64,
    /// Share of links active in a year that are still active the next year.
    pub survival: f64,
    /// Pearson correlation of ln(sales) and ln(1 + degree).
    pub size_degree_correlation: f64,
}

/// Measures a network. Cycle counts (triangles, squares and their rewired baselines) are
/// computed when the network has at most `max_cycle_trades` links, else NaN.
pub fn calibration(net: &TradeNetwork, max_cycle_trades: usize, seed: u64) -> Calibration {
    match measure(net, max_cycle_trades, seed, &mut |_, _| {
        Ok::<(), Infallible>(())
    }) {
        Ok(c) => c,
        Err(never) => match never {},
    }
}

/// [`calibration`] reporting its stages to a [`Monitor`], which can also stop it
/// ([`crate::Error::Interrupted`]) between stages.
///
/// ```
/// use tsunagime::synthetic::{calibration, calibration_with, synthetic_japan, SyntheticConfig};
/// let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// let c = calibration_with(&net, usize::MAX, 0, &tsunagime::Quiet)?;
/// assert_eq!(c.n_trades, calibration(&net, usize::MAX, 0).n_trades);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn calibration_with(
    net: &TradeNetwork,
    max_cycle_trades: usize,
    seed: u64,
    monitor: &dyn Monitor,
) -> Result<Calibration> {
    measure(net, max_cycle_trades, seed, &mut |stage, k| {
        checkpoint(monitor, stage, k, STAGES)
    })
}

/// Stages reported by [`calibration_with`].
const STAGES: u64 = 8;

/// Firms between two polls inside the long counts (triangles, squares).
const POLL_FIRMS: usize = 4096;

/// The measurement, calling `step(stage, stages done)` between its stages.
fn measure<E>(
    net: &TradeNetwork,
    max_cycle_trades: usize,
    seed: u64,
    step: &mut dyn FnMut(&str, u64) -> std::result::Result<(), E>,
) -> std::result::Result<Calibration, E> {
    let n = net.n_firms();
    let m = net.n_trades();
    let out_deg: Vec<usize> = (0..n as u32).map(|i| net.out_degree(i)).collect();
    let in_deg: Vec<usize> = (0..n as u32).map(|i| net.in_degree(i)).collect();
    let (sup, cus) = (net.edge_suppliers(), net.edge_customers());
    let pref = net.partition("prefecture").ok();
    let largest_prefectures = pref
        .map(|p| {
            let mut counts = vec![0usize; p.n_groups()];
            for &c in &p.codes {
                if c != MISSING {
                    counts[c as usize] += 1;
                }
            }
            let mut order: Vec<usize> = (0..counts.len()).collect();
            order.sort_by_key(|&g| std::cmp::Reverse(counts[g]));
            order
                .iter()
                .take(3)
                .map(|&g| (p.labels[g].clone(), counts[g] as f64 / n.max(1) as f64))
                .collect()
        })
        .unwrap_or_default();
    let same_prefecture_share = pref.map_or(f64::NAN, |p| {
        let same = (0..m)
            .filter(|&e| p.codes[sup[e] as usize] == p.codes[cus[e] as usize])
            .count();
        same as f64 / m.max(1) as f64
    });
    let median_distance_km = net.coordinates().map_or(f64::NAN, |(lat, lon)| {
        let mut d: Vec<f64> = (0..m)
            .map(|e| {
                let (a, b) = (sup[e] as usize, cus[e] as usize);
                distance_km(lat[a], lon[a], lat[b], lon[b])
            })
            .filter(|d| d.is_finite())
            .collect();
        median(&mut d)
    });
    step("calibration: degrees and distances", 1)?;
    let (survival, active_last) = match (net.years(), net.last_years()) {
        (Some(first), Some(last)) if m > 0 => {
            let lo = *first.iter().min().unwrap_or(&0);
            let hi = *last.iter().max().unwrap_or(&0);
            let (mut alive, mut stayed) = (0u64, 0u64);
            for e in 0..m {
                for y in first[e].max(lo)..=last[e].min(hi - 1) {
                    alive += 1;
                    if last[e] > y {
                        stayed += 1;
                    }
                }
            }
            let active = (0..m).filter(|&e| last[e] == hi).count();
            (
                stayed as f64 / alive.max(1) as f64,
                active as f64 / n.max(1) as f64,
            )
        }
        _ => (f64::NAN, f64::NAN),
    };
    let size_degree_correlation = net.attribute("sales").map_or(f64::NAN, |sales| {
        let pairs: Vec<(f64, f64)> = (0..n)
            .filter(|&i| sales[i] > 0.0)
            .map(|i| (sales[i].ln(), ((1 + out_deg[i] + in_deg[i]) as f64).ln()))
            .collect();
        pearson(&pairs)
    });
    let undirected = Undirected::new(net);
    step("calibration: undirected graph", 2)?;
    let assortativity = undirected.assortativity();
    step("calibration: assortativity", 3)?;
    let transitivity = undirected.transitivity(&mut || step("calibration: transitivity", 3))?;
    step("calibration: transitivity", 4)?;
    let cycles = if m <= max_cycle_trades {
        let observed: Vec<(u32, u32)> = sup.iter().copied().zip(cus.iter().copied()).collect();
        let triangles = undirected.triangle_link_share();
        step("calibration: triangles", 5)?;
        let rewired = rewire(net, seed);
        let triangles_rewired = Undirected::from_edges(n, &rewired).triangle_link_share();
        step("calibration: triangles of a rewiring", 6)?;
        let squares = square_link_share(n, &observed, &mut || step("calibration: squares", 6))?;
        step("calibration: squares", 7)?;
        [
            triangles,
            triangles_rewired,
            squares,
            square_link_share(n, &rewired, &mut || {
                step("calibration: squares of a rewiring", 7)
            })?,
        ]
    } else {
        [f64::NAN; 4]
    };
    step("calibration: squares of a rewiring", STAGES)?;
    Ok(Calibration {
        n_firms: n,
        n_trades: m,
        n_collaborations: net.n_collaborations(),
        trades_per_firm: m as f64 / n.max(1) as f64,
        active_per_firm_last_year: active_last,
        largest_prefectures,
        customer_ccdf_exponent: ccdf_exponent(&out_deg, 10),
        supplier_ccdf_exponent: ccdf_exponent(&in_deg, 10),
        max_customers: out_deg.iter().copied().max().unwrap_or(0),
        max_suppliers: in_deg.iter().copied().max().unwrap_or(0),
        median_distance_km,
        same_prefecture_share,
        assortativity,
        transitivity,
        triangle_link_share: cycles[0],
        triangle_link_share_rewired: cycles[1],
        square_link_share: cycles[2],
        square_link_share_rewired: cycles[3],
        survival,
        size_degree_correlation,
    })
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len() / 2;
    if v.len() % 2 == 1 {
        v[k]
    } else {
        (v[k - 1] + v[k]) / 2.0
    }
}

fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0 / n, b + p.1 / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Discrete power-law MLE (Clauset, Shalizi & Newman 2009, eq. 3.7) of the pdf exponent for
/// k ≥ k_min; the CCDF exponent is one less.
fn ccdf_exponent(degrees: &[usize], k_min: usize) -> f64 {
    let tail: Vec<f64> = degrees
        .iter()
        .filter(|&&k| k >= k_min)
        .map(|&k| k as f64)
        .collect();
    if tail.len() < 10 {
        return f64::NAN;
    }
    let s: f64 = tail.iter().map(|k| (k / (k_min as f64 - 0.5)).ln()).sum();
    tail.len() as f64 / s
}

/// The undirected simple graph (a link in either direction makes one edge).
struct Undirected {
    off: Vec<usize>,
    adj: Vec<u32>,
}

impl Undirected {
    fn new(net: &TradeNetwork) -> Self {
        let pairs: Vec<(u32, u32)> = net
            .edge_suppliers()
            .iter()
            .zip(net.edge_customers())
            .map(|(&a, &b)| (a, b))
            .collect();
        Undirected::from_edges(net.n_firms(), &pairs)
    }

    fn from_edges(n: usize, edges: &[(u32, u32)]) -> Self {
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in edges {
            if a != b {
                lists[a as usize].push(b);
                lists[b as usize].push(a);
            }
        }
        let mut off = Vec::with_capacity(n + 1);
        let mut adj = Vec::new();
        off.push(0);
        for mut l in lists {
            l.sort_unstable();
            l.dedup();
            adj.extend(l);
            off.push(adj.len());
        }
        Undirected { off, adj }
    }

    fn nbrs(&self, i: usize) -> &[u32] {
        &self.adj[self.off[i]..self.off[i + 1]]
    }

    fn degree(&self, i: usize) -> usize {
        self.off[i + 1] - self.off[i]
    }

    fn assortativity(&self) -> f64 {
        let n = self.off.len() - 1;
        let mut pairs = Vec::with_capacity(self.adj.len());
        for u in 0..n {
            for &v in self.nbrs(u) {
                pairs.push((self.degree(u) as f64, self.degree(v as usize) as f64));
            }
        }
        pearson(&pairs)
    }

    /// Triangles, each counted once: orient edges from lower to higher (degree, id) rank and
    /// intersect out-lists, O(m^1.5).
    /// Triangles, calling `poll` every few thousand firms (so that a long count can stop).
    fn triangles<E>(
        &self,
        poll: &mut dyn FnMut() -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        let n = self.off.len() - 1;
        let rank = |i: usize| (self.degree(i), i);
        let higher: Vec<Vec<u32>> = (0..n)
            .map(|u| {
                self.nbrs(u)
                    .iter()
                    .copied()
                    .filter(|&v| rank(v as usize) > rank(u))
                    .collect()
            })
            .collect();
        let mut mark = vec![false; n];
        let mut count = 0u64;
        for u in 0..n {
            if u % POLL_FIRMS == 0 {
                poll()?;
            }
            for &v in &higher[u] {
                mark[v as usize] = true;
            }
            for &v in &higher[u] {
                count += higher[v as usize]
                    .iter()
                    .filter(|&&w| mark[w as usize])
                    .count() as u64;
            }
            for &v in &higher[u] {
                mark[v as usize] = false;
            }
        }
        Ok(count)
    }

    /// Share of edges whose two ends have a common neighbour.
    fn triangle_link_share(&self) -> f64 {
        let n = self.off.len() - 1;
        let mut mark = vec![u32::MAX; n];
        let (mut edges, mut closed) = (0usize, 0usize);
        for u in 0..n {
            for &v in self.nbrs(u) {
                mark[v as usize] = u as u32;
            }
            for &v in self.nbrs(u).iter().filter(|&&v| v as usize > u) {
                edges += 1;
                closed += self
                    .nbrs(v as usize)
                    .iter()
                    .any(|&w| mark[w as usize] == u as u32) as usize;
            }
        }
        closed as f64 / edges.max(1) as f64
    }

    fn transitivity<E>(
        &self,
        poll: &mut dyn FnMut() -> std::result::Result<(), E>,
    ) -> std::result::Result<f64, E> {
        let n = self.off.len() - 1;
        let triples: f64 = (0..n)
            .map(|i| {
                let d = self.degree(i) as f64;
                d * (d - 1.0) / 2.0
            })
            .sum();
        Ok(3.0 * self.triangles(poll)? as f64 / triples)
    }
}

/// Share of links s → c on a 4-cycle s → c, s → c', s' → c', s' → c (all distinct): the
/// pattern "firms with common customers share suppliers". Early exit keeps it near-linear.
fn square_link_share<E>(
    n: usize,
    links: &[(u32, u32)],
    poll: &mut dyn FnMut() -> std::result::Result<(), E>,
) -> std::result::Result<f64, E> {
    let mut customers: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut suppliers: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(s, c) in links {
        customers[s as usize].push(c);
        suppliers[c as usize].push(s);
    }
    let mut mark = vec![u32::MAX; n];
    let mut on_square = 0usize;
    for s in 0..n {
        if s % POLL_FIRMS == 0 {
            poll()?;
        }
        for &c in &customers[s] {
            mark[c as usize] = s as u32;
        }
        for &c in &customers[s] {
            let found = suppliers[c as usize].iter().any(|&s2| {
                s2 as usize != s
                    && customers[s2 as usize]
                        .iter()
                        .any(|&c2| c2 != c && mark[c2 as usize] == s as u32)
            });
            on_square += found as usize;
        }
    }
    Ok(on_square as f64 / links.len().max(1) as f64)
}

/// A degree-preserving rewiring: customers shuffled across links (self-loops and repeated
/// pairs dropped, so degrees are kept up to a few links).
fn rewire(net: &TradeNetwork, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cus = net.edge_customers().to_vec();
    for i in (1..cus.len()).rev() {
        let j = rng.random_range(0..=i);
        cus.swap(i, j);
    }
    let mut pairs: Vec<(u32, u32)> = net
        .edge_suppliers()
        .iter()
        .copied()
        .zip(cus)
        .filter(|(a, b)| a != b)
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
