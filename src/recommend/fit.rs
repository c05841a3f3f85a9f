//! Learning the scoring from the network's own history: the links first seen in the last
//! year are the positives, the network before that year the history the features are read
//! from. Without years, a seeded tenth of the links is held out instead.

use super::candidates::{gather, mix, Pool};
use super::context::Context;
use super::features::{names, row};
use super::model::{Logistic, Rows};
use super::options::{Options, Purpose};
use crate::error::Result;
use crate::monitor::{checkpoint, Monitor};
use crate::network::TradeNetwork;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// Negatives kept per training query (each weighing for the ones left out).
const NEGATIVES: usize = 40;
/// Fewer positives found among the candidates than this and the scoring falls back to a
/// fixed prior.
pub const MIN_POSITIVES: usize = 10;
/// Share of links held out when the network has no years.
const HOLD_OUT: u64 = 10;

/// Where the training labels came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Labels {
    /// Links first seen in this year, the features read from the years before.
    Year(i32),
    /// A seeded tenth of the links (the network has no years, or only one).
    HoldOut,
    /// Too few positives to learn from: fixed prior weights (see [`prior`]).
    Prior,
}

/// How one side's scoring was learned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// The purpose seen from the side that asks.
    pub purpose: Purpose,
    /// Where the labels came from.
    pub labels: Labels,
    /// Query firms used.
    pub queries: usize,
    /// New links of those firms.
    pub positives: usize,
    /// Of those, the ones among the candidates (the others cannot be learned from).
    pub positives_found: usize,
    /// Training rows (positives and sampled negatives).
    pub rows: usize,
}

/// A learned scoring and how it was learned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideModel {
    /// The scoring.
    pub model: Logistic,
    /// How it was learned.
    pub training: Training,
}

/// The hand-set weights used when the history has fewer than [`MIN_POSITIVES`] new links:
/// more shared partners, stronger industry ties and nearer firms score higher.
pub fn prior(purpose: Purpose) -> Logistic {
    let weights: &[(&str, f64)] = match purpose {
        Purpose::Research => &[
            ("collab_resource_allocation", 1.0),
            ("common_collaborators", 0.5),
            ("shared_suppliers", 1.0),
            ("shared_customers", 1.0),
            ("trade_tie", 0.5),
            ("collaborations_sum", 0.3),
            ("industry_research", 0.5),
            ("same_region", 0.5),
            ("log_distance", -0.3),
        ],
        _ => &[
            ("walk", 1.0),
            ("walk_paths", 0.3),
            ("tier2", 0.5),
            ("resource_allocation", 0.5),
            ("common_partners", 0.3),
            ("supplier_customers", 0.3),
            ("customer_suppliers", 0.3),
            ("industry_supply", 0.5),
            ("industry_sales", 0.5),
            ("customer_buys_industry", 1.0),
            ("supplier_sells_industry", 1.0),
            ("same_region", 0.5),
            ("log_distance", -0.3),
        ],
    };
    Logistic::fixed(names(purpose), weights, -6.0)
}

/// The history and the new links (as (query, partner) pairs from `purpose`'s side).
struct Split {
    history: TradeNetwork,
    labels: Labels,
    positives: FxHashMap<u32, Vec<u32>>,
}

fn split(net: &TradeNetwork, purpose: Purpose, seed: u64) -> Split {
    let research = purpose == Purpose::Research;
    let (n_links, years) = if research {
        (net.n_collaborations(), net.collaboration_years())
    } else {
        (net.n_trades(), net.years())
    };
    let last = years.and_then(|y| y.iter().copied().max());
    let first = years.and_then(|y| y.iter().copied().min());
    let temporal = matches!((first, last), (Some(a), Some(b)) if a < b);
    let new: Vec<bool> = (0..n_links)
        .map(|e| match (temporal, years) {
            (true, Some(y)) => Some(y[e]) == last,
            _ => mix(seed ^ 0x5eed ^ e as u64) % HOLD_OUT == 0,
        })
        .collect();
    let keep: Vec<usize> = (0..n_links).filter(|&e| !new[e]).collect();
    let all = |m: usize| (0..m).collect::<Vec<_>>();
    let history = if research {
        net.keep_links(&all(net.n_trades()), &keep)
    } else {
        let collab_keep: Vec<usize> = match (temporal, net.collaboration_years(), last) {
            (true, Some(y), Some(l)) => (0..net.n_collaborations()).filter(|&e| y[e] < l).collect(),
            _ => all(net.n_collaborations()),
        };
        net.keep_links(&keep, &collab_keep)
    };
    let mut positives: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let (a, b) = if research {
        net.collaborations()
    } else {
        (net.edge_suppliers(), net.edge_customers())
    };
    for e in (0..n_links).filter(|&e| new[e]) {
        let (s, c) = (a[e], b[e]);
        match purpose {
            Purpose::Supplier => positives.entry(c).or_default().push(s),
            Purpose::Customer => positives.entry(s).or_default().push(c),
            Purpose::Research => {
                positives.entry(s).or_default().push(c);
                positives.entry(c).or_default().push(s);
            }
        }
    }
    let labels = match (temporal, last) {
        (true, Some(y)) => Labels::Year(y),
        _ => Labels::HoldOut,
    };
    Split {
        history,
        labels,
        positives,
    }
}

/// Learns the scoring of `purpose` (the side that asks) from `net`'s history.
pub(crate) fn learn(
    net: &TradeNetwork,
    options: &Options,
    purpose: Purpose,
    monitor: &dyn Monitor,
) -> Result<SideModel> {
    let Split {
        history,
        labels,
        positives,
    } = split(net, purpose, options.seed);
    let side = Options {
        purpose,
        prefer: None,
        max_distance_km: None,
        exclude_existing: true,
        ..options.clone()
    };
    let ctx = Context::new(&history, &side)?;
    let mut queries: Vec<u32> = positives.keys().copied().collect();
    queries.sort_unstable_by_key(|&q| (mix(options.seed ^ q as u64), q));
    queries.truncate(options.max_train_queries);
    checkpoint(monitor, "learning", 0, queries.len() as u64)?;
    let seed = options.seed;
    let pool = Pool::new(history.n_firms());
    let parts: Vec<(Rows, usize)> = queries
        .par_iter()
        .map(|&q| {
            pool.with(|scratch| {
                gather(&ctx, &history, &side, q, None, scratch);
                let wanted: FxHashSet<u32> = positives[&q].iter().copied().collect();
                let mut rows = Rows::default();
                let mut negatives = Vec::new();
                for c in &scratch.out {
                    if wanted.contains(&c.firm) {
                        rows.push(row(&ctx, &history, purpose, q, c), true, 1.0);
                    } else {
                        negatives.push(c);
                    }
                }
                let found = rows.x.len();
                let n_neg = negatives.len();
                if n_neg > NEGATIVES {
                    negatives.select_nth_unstable_by_key(NEGATIVES, |c| {
                        (mix(seed ^ ((q as u64) << 32) ^ c.firm as u64), c.firm)
                    });
                    negatives.truncate(NEGATIVES);
                }
                let w = n_neg as f64 / negatives.len().max(1) as f64;
                for c in negatives {
                    rows.push(row(&ctx, &history, purpose, q, c), false, w);
                }
                (rows, found)
            })
        })
        .collect();
    checkpoint(
        monitor,
        "learning",
        queries.len() as u64,
        queries.len() as u64,
    )?;
    let mut rows = Rows::default();
    let mut found = 0;
    for (r, f) in parts {
        rows.extend(r);
        found += f;
    }
    let n_positives = queries.iter().map(|q| positives[q].len()).sum();
    let (model, labels) = if found >= MIN_POSITIVES {
        (Logistic::fit(names(purpose), &rows, options.l2), labels)
    } else {
        (prior(purpose), Labels::Prior)
    };
    Ok(SideModel {
        model,
        training: Training {
            purpose,
            labels,
            queries: queries.len(),
            positives: n_positives,
            positives_found: found,
            rows: rows.x.len(),
        },
    })
}
