//! The classic link-prediction scores, exactly as networkx defines them on the undirected
//! graph of all ties (trades either way, collaborations): preferential attachment, common
//! neighbours, Adamic–Adar and resource allocation; and the bipartite collaborative filters
//! (user-based, item-based, cosine) and EASE, the strongest simple recommenders on supply
//! networks. They are the baselines of [`evaluate`](super::evaluate), each ranking all firms
//! from its own natural candidates.

use super::candidates::{pool, stat, statistics, STATS};
use super::context::Context;
use super::options::{Options, Purpose};
use super::undirected::Undirected;
use crate::error::{Error, Result};
use crate::network::TradeNetwork;
use rayon::prelude::*;

/// A baseline ranking of candidate partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// Seeded random firms.
    Random,
    /// Most partners on the ranked side first (most customers, for new suppliers).
    Popularity,
    /// deg(u) · deg(v) on the undirected graph of all ties.
    PreferentialAttachment,
    /// |N(u) ∩ N(v)|.
    CommonNeighbours,
    /// Σ 1 / ln deg(w) over common neighbours w.
    AdamicAdar,
    /// Σ 1 / deg(w) over common neighbours w.
    ResourceAllocation,
    /// User-based bipartite collaborative filter: for a customer `q` asking for suppliers,
    /// `sim(q, c) = Σ_{s shared} 1/|customers(s)|`, `score(v) = Σ_c sim(q, c)/√|suppliers(c)|`
    /// over the customers `c` that buy from `v` (the customer purpose is the mirror).
    UserCf,
    /// Item-based mirror: each path `q ← s → c ← v` weighs `1/(√|customers(s)| · |suppliers(c)|)`.
    ItemCf,
    /// Cosine: `Σ_c |shared| / √(|suppliers(q)| · |suppliers(c)|)`.
    Cosine,
    /// EASE (Steck 2019), λ = `Options::ease_l2`, where the smaller side is small enough.
    Ease,
}

/// Every baseline, in the order tables list them.
pub const BASELINES: [Baseline; 10] = [
    Baseline::Random,
    Baseline::Popularity,
    Baseline::PreferentialAttachment,
    Baseline::CommonNeighbours,
    Baseline::AdamicAdar,
    Baseline::ResourceAllocation,
    Baseline::UserCf,
    Baseline::ItemCf,
    Baseline::Cosine,
    Baseline::Ease,
];

impl Baseline {
    /// The name used in tables.
    ///
    /// ```
    /// use tsunagime::recommend::{Baseline, BASELINES};
    /// assert_eq!(Baseline::UserCf.name(), "user_cf");
    /// assert_eq!(BASELINES.len(), 10);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Random => "random",
            Baseline::Popularity => "popularity",
            Baseline::PreferentialAttachment => "preferential_attachment",
            Baseline::CommonNeighbours => "common_neighbours",
            Baseline::AdamicAdar => "adamic_adar",
            Baseline::ResourceAllocation => "resource_allocation",
            Baseline::UserCf => "user_cf",
            Baseline::ItemCf => "item_cf",
            Baseline::Cosine => "cosine",
            Baseline::Ease => "ease",
        }
    }
}

/// Preferential attachment, common neighbours, Adamic–Adar and resource allocation of the
/// given pairs (indices) on the undirected graph of all ties, as networkx's
/// `preferential_attachment`, `common_neighbors`, `adamic_adar_index` and
/// `resource_allocation_index` compute them (Python: `tsunagime.recommend.link_prediction_scores`).
///
/// ```
/// use tsunagime::network::{NetworkBuilder, TradeTable};
/// use tsunagime::recommend::link_prediction_scores;
/// // 1 → 2, 3 → 2, 3 → 4: firms 1 and 3 share the neighbour 2 (degree 2).
/// let (net, _) = NetworkBuilder::new()
///     .trades(TradeTable::new(vec![1, 3, 3], vec![2, 2, 4]))
///     .build()?;
/// let (one, three) = (net.require(&1.into())?, net.require(&3.into())?);
/// let [pa, cn, aa, ra] = link_prediction_scores(&net, &[(one, three)])?;
/// assert_eq!((pa[0], cn[0], ra[0]), (2.0, 1.0, 0.5));
/// assert!((aa[0] - 1.0 / 2f64.ln()).abs() < 1e-12);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn link_prediction_scores(net: &TradeNetwork, pairs: &[(u32, u32)]) -> Result<[Vec<f64>; 4]> {
    check_pairs(net, pairs)?;
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

/// The former name of [`link_prediction_scores`], the name Python has always used.
#[deprecated(since = "0.1.0", note = "renamed link_prediction_scores, as in Python")]
pub fn link_scores(net: &TradeNetwork, pairs: &[(u32, u32)]) -> Result<[Vec<f64>; 4]> {
    link_prediction_scores(net, pairs)
}

/// The bipartite collaborative filters of the given (firm, partner) pairs, for `purpose`
/// (`supplier`: the partner as a new supplier of the firm; `customer`: as a new customer):
/// user-based, item-based, cosine (see [`Baseline`]), EASE (NaN when the network is too
/// large for it) and the partner's popularity; exact (no work budget).
///
/// ```
/// use tsunagime::network::{NetworkBuilder, TradeTable};
/// use tsunagime::recommend::{filter_scores, Purpose};
/// // Customers 10 and 11 both buy from 1; 11 also buys from 2: a new supplier for 10.
/// let (net, _) = NetworkBuilder::new()
///     .trades(TradeTable::new(vec![1, 1, 2], vec![10, 11, 11]))
///     .build()?;
/// let (ten, two) = (net.require(&10.into())?, net.require(&2.into())?);
/// let [user, item, cosine, _ease, popularity] = filter_scores(&net, Purpose::Supplier, &[(ten, two)])?;
/// // sim(10, 11) = 1/|customers(1)| = 1/2, over √|suppliers(11)| = √2.
/// assert!((user[0] - 0.5 / 2f64.sqrt()).abs() < 1e-12);
/// assert!((item[0] - 1.0 / (2f64.sqrt() * 2.0)).abs() < 1e-12);
/// assert!((cosine[0] - 1.0 / 2f64.sqrt()).abs() < 1e-12);
/// assert_eq!(popularity[0], 1.0);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn filter_scores(
    net: &TradeNetwork,
    purpose: Purpose,
    pairs: &[(u32, u32)],
) -> Result<[Vec<f64>; 5]> {
    check_pairs(net, pairs)?;
    if purpose == Purpose::Research {
        return Err(Error::parameter(
            "purpose",
            "the bipartite filters rank suppliers or customers, not research partners",
        ));
    }
    let options = Options {
        budget: Some(usize::MAX),
        ..Options::new(purpose)
    };
    let own = Context::new(net, &options)?;
    let mut wide = None;
    let ctx = Context::for_baselines(&own, net, &options, &mut wide)?;
    let pool = pool(net.n_firms());
    let rows: Vec<[f64; 5]> = pairs
        .par_iter()
        .map(|&(q, v)| {
            pool.with(|scratch| {
                statistics(ctx, net, &options, q, scratch);
                let s = scratch.get(v).map_or([0.0; STATS], |p| p.s);
                let ease = if ctx.ease.is_some() {
                    s[stat::EASE]
                } else {
                    f64::NAN
                };
                let popularity = match purpose {
                    Purpose::Supplier => net.out_degree(v),
                    _ => net.in_degree(v),
                };
                [
                    s[stat::USER_CF],
                    s[stat::ITEM_CF],
                    s[stat::COSINE],
                    ease,
                    popularity as f64,
                ]
            })
        })
        .collect();
    Ok([0, 1, 2, 3, 4].map(|j| rows.iter().map(|r| r[j]).collect()))
}

fn check_pairs(net: &TradeNetwork, pairs: &[(u32, u32)]) -> Result<()> {
    let n = net.n_firms() as u32;
    match pairs.iter().find(|&&(a, b)| a >= n || b >= n) {
        Some(&(a, b)) => Err(Error::parameter(
            "pairs",
            format!("pair ({a}, {b}) is out of range (the network has {n} firms)"),
        )),
        None => Ok(()),
    }
}
