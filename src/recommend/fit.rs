//! Learning the scoring from the network's own history: the links first seen in the last
//! year are the positives, the network before that year the history the features are read
//! from. Without years, a seeded tenth of the links is held out instead.

use super::candidates::{gather, mix, Pool};
use super::context::Context;
use super::features::{self, names, row};
use super::model::{Logistic, Rows};
use super::options::{Options, Purpose};
use super::QUERY_BLOCK;
use crate::error::Result;
use crate::monitor::{in_blocks, Monitor};
use crate::network::TradeNetwork;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// Negatives kept per training query (each weighing for the ones left out).
const NEGATIVES: usize = 40;
/// Fewer positives found among the candidates than this and the scoring falls back to a
/// fixed prior.
pub const MIN_POSITIVES: usize = 100;
/// Every how-many-th training firm is held out to check the fitted scoring against the prior.
const VALIDATE: usize = 5;
/// Cut-off of the recall compared on the held-out firms.
const CHECK_K: usize = 20;
/// Share of links held out when the network has no years.
const HOLD_OUT: u64 = 10;

/// Where the training labels came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Labels {
    /// Links first seen in this year, the features read from the years before.
    Year(i32),
    /// A seeded tenth of the links (the network has no years, or only one).
    HoldOut,
    /// Fixed prior weights (see [`prior`]): too few positives to learn from, or the fitted
    /// scoring ranked held-out training firms no better.
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
    /// Rows fitted on: positives and sampled negatives of the firms not held out.
    pub rows: usize,
    /// Recall@20 on the held-out fifth of the training firms of the fitted scoring and of the
    /// prior, when both were compared: the better one is kept.
    pub validation: Option<[f64; 2]>,
}

/// One training firm's rows, and for a held-out firm every candidate's row and label with
/// its number of new links.
struct Part {
    rows: Rows,
    found: usize,
    check: Option<Check>,
}

type Check = (Vec<(features::Row, bool)>, usize);

/// Recall@[`CHECK_K`] of a scoring over held-out firms (new links found in their top
/// [`CHECK_K`] over all their new links).
fn recall_at(model: &Logistic, checks: &[Check]) -> f64 {
    let f = model.folded();
    let (mut hits, mut total) = (0usize, 0usize);
    for (rows, n_new) in checks {
        let mut scored: Vec<(f64, bool)> =
            rows.iter().map(|(x, y)| (f.probability(x), *y)).collect();
        scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
        hits += scored.iter().take(CHECK_K).filter(|s| s.1).count();
        total += n_new;
    }
    hits as f64 / total.max(1) as f64
}

/// A learned scoring and how it was learned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideModel {
    /// The scoring.
    pub model: Logistic,
    /// How it was learned.
    pub training: Training,
}

/// The hand-set weights used when the history has fewer than [`MIN_POSITIVES`] new links, or
/// when they rank held-out training firms at least as well as a fitted scoring: for research,
/// shared partners and collaborators weighted as resource allocation (which ranks the
/// synthetic economy's new collaborations as well as the best baseline); for deals, more
/// shared partners, stronger industry ties and nearer firms score higher.
pub fn prior(purpose: Purpose) -> Logistic {
    let weights: &[(&str, f64)] = match purpose {
        Purpose::Research => &[
            ("collab_resource_allocation", 1.0),
            ("common_collaborators", 0.5),
            ("shared_suppliers", 1.0),
            ("shared_customers", 1.0),
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

fn split(net: &TradeNetwork, purpose: Purpose, seed: u64) -> Result<Split> {
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
        net.keep_links(&all(net.n_trades()), &keep)?
    } else {
        let collab_keep: Vec<usize> = match (temporal, net.collaboration_years(), last) {
            (true, Some(y), Some(l)) => (0..net.n_collaborations()).filter(|&e| y[e] < l).collect(),
            _ => all(net.n_collaborations()),
        };
        net.keep_links(&keep, &collab_keep)?
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
    Ok(Split {
        history,
        labels,
        positives,
    })
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
    } = split(net, purpose, options.seed)?;
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
    let seed = options.seed;
    let pool = Pool::new(history.n_firms());
    let mut parts: Vec<Part> = Vec::with_capacity(queries.len());
    in_blocks(
        &queries,
        QUERY_BLOCK,
        "learning",
        monitor,
        |start, block| {
            parts.par_extend(block.par_iter().enumerate().map(|(i, &q)| {
                let k = start + i;
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
                    // A held-out firm keeps all its candidates, to rank them.
                    let check = (k % VALIDATE == 0).then(|| {
                        let all: Vec<(features::Row, bool)> = scratch
                            .out
                            .iter()
                            .map(|c| (row(&ctx, &history, purpose, q, c), wanted.contains(&c.firm)))
                            .collect();
                        (all, wanted.len())
                    });
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
                    Part { rows, found, check }
                })
            }));
        },
    )?;
    let n_positives = queries.iter().map(|q| positives[q].len()).sum();
    let found: usize = parts.iter().map(|p| p.found).sum();
    let fixed = prior(purpose);
    // Fit on the firms not held out (four fifths: plenty, and one fit instead of two); keep
    // the fit only if it ranks the held-out firms' new links better than the prior does
    // (with few new links, it may not).
    let mut fit_rows = Rows::default();
    let mut checks = Vec::new();
    for p in parts {
        match p.check {
            Some(c) => checks.push(c),
            None => fit_rows.extend(p.rows),
        }
    }
    let fit_found = fit_rows.y.iter().filter(|&&y| y).count();
    let n_rows = fit_rows.x.len();
    // The first training firm is always held out, so there is something to check on.
    let (model, labels, validation) = if found < MIN_POSITIVES || fit_found == 0 {
        (fixed, Labels::Prior, None)
    } else {
        let fitted = Logistic::fit(names(purpose), &fit_rows, options.l2);
        let scores = [recall_at(&fitted, &checks), recall_at(&fixed, &checks)];
        if scores[0] > scores[1] {
            (fitted, labels, Some(scores))
        } else {
            (fixed, Labels::Prior, Some(scores))
        }
    };
    Ok(SideModel {
        model,
        training: Training {
            purpose,
            labels,
            queries: queries.len(),
            positives: n_positives,
            positives_found: found,
            rows: n_rows,
            validation,
        },
    })
}
