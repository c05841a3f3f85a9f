//! Temporal hold-out evaluation: fit on the network up to a year, then rank each firm's
//! candidates and check them against the links new in the next years, beside the classic
//! baselines scored on the very same candidates.

use super::baselines::{Baseline, Undirected, BASELINES};
use super::candidates::{gather, mix, Pool};
use super::context::Context;
use super::features::row;
use super::fit::Training;
use super::options::{Options, Purpose};
use super::PartnerRecommender;
use super::QUERY_BLOCK;
use crate::error::{Error, Result};
use crate::monitor::{in_blocks, Monitor, Quiet};
use crate::network::TradeNetwork;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// How to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationOptions {
    /// Train on the network up to this year (inclusive).
    pub split_year: i32,
    /// Test on links first seen in `split_year + 1 ..= split_year + horizon`.
    pub horizon: i32,
    /// Cut-offs of precision, recall and NDCG.
    pub ks: Vec<usize>,
    /// Also score the baselines.
    pub baselines: bool,
    /// Most query firms evaluated (a seeded sample of those with new links).
    pub max_queries: usize,
}

impl Default for EvaluationOptions {
    fn default() -> Self {
        EvaluationOptions {
            split_year: 0,
            horizon: 2,
            ks: vec![10, 20],
            baselines: true,
            max_queries: 5_000,
        }
    }
}

/// A method × metric table of one purpose.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The purpose evaluated.
    pub purpose: Purpose,
    /// `recommender`, then the baselines.
    pub methods: Vec<String>,
    /// `precision@k`, `recall@k`, `ndcg@k` per k, then `mrr`, `aupr`, `coverage`.
    pub metrics: Vec<String>,
    /// `values[method][metric]`.
    pub values: Vec<Vec<f64>>,
    /// Query firms evaluated.
    pub queries: usize,
    /// Their new links in the test years.
    pub test_links: usize,
    /// Share of those links among the candidates (the most any method can find).
    pub candidate_recall: f64,
    /// How the recommender learned.
    pub training: Vec<Training>,
}

impl Evaluation {
    /// The value of `metric` for `method`.
    pub fn get(&self, method: &str, metric: &str) -> Option<f64> {
        let m = self.methods.iter().position(|x| x == method)?;
        let k = self.metrics.iter().position(|x| x == metric)?;
        Some(self.values[m][k])
    }
}

/// Evaluates a recommender with `options` on `net` by a temporal hold-out.
///
/// Query firms are those with at least one new link in the test years (from the side that
/// asks: a customer gaining suppliers for `supplier`); metrics are averaged over them.
/// Recall counts every new link, also those outside the candidates; MRR uses the first new
/// link in the whole candidate ranking; AUPR is the average precision over the candidate
/// ranking, averaged over the queries with a new link among their candidates; coverage is
/// the share of all firms recommended to at least one query in the top max-k. Ties are
/// broken by a seeded random order, the same for every method.
pub fn evaluate(
    net: &TradeNetwork,
    options: &Options,
    eval: &EvaluationOptions,
) -> Result<Evaluation> {
    evaluate_with(net, options, eval, &Quiet)
}

/// The new links of the test years as query → partners, from the side that asks.
fn test_links(
    net: &TradeNetwork,
    history: &TradeNetwork,
    purpose: Purpose,
    years: (i32, i32),
) -> Result<FxHashMap<u32, Vec<u32>>> {
    let in_test = |y: i32| y > years.0 && y <= years.1;
    let mut out: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    if purpose == Purpose::Research {
        let y = net.collaboration_years().ok_or_else(|| {
            Error::parameter("split_year", "the collaborations have no year column")
        })?;
        let (a, b) = net.collaborations();
        let (ha, hb) = history.collaborations();
        let old: FxHashSet<(u32, u32)> = ha.iter().copied().zip(hb.iter().copied()).collect();
        for e in 0..a.len() {
            if in_test(y[e]) && !old.contains(&(a[e], b[e])) {
                out.entry(a[e]).or_default().push(b[e]);
                out.entry(b[e]).or_default().push(a[e]);
            }
        }
        return Ok(out);
    }
    let y = net
        .years()
        .ok_or_else(|| Error::parameter("split_year", "the trades have no year column"))?;
    let (s, c) = (net.edge_suppliers(), net.edge_customers());
    for e in 0..y.len() {
        if in_test(y[e]) && !history.has_trade(s[e], c[e]) {
            match purpose {
                Purpose::Supplier => out.entry(c[e]).or_default().push(s[e]),
                _ => out.entry(s[e]).or_default().push(c[e]),
            }
        }
    }
    Ok(out)
}

/// Metrics of one ranked candidate list against the query's new links.
fn metrics(ranked: &[u32], wanted: &FxHashSet<u32>, ks: &[usize], out: &mut [f64]) -> bool {
    let total = wanted.len() as f64;
    let mut col = 0;
    for &k in ks {
        let hits = ranked.iter().take(k).filter(|v| wanted.contains(v)).count() as f64;
        let dcg: f64 = ranked
            .iter()
            .take(k)
            .enumerate()
            .filter(|(_, v)| wanted.contains(v))
            .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
            .sum();
        let ideal: f64 = (0..k.min(wanted.len()))
            .map(|i| 1.0 / ((i + 2) as f64).log2())
            .sum();
        out[col] = hits / k as f64;
        out[col + 1] = hits / total;
        out[col + 2] = dcg / ideal;
        col += 3;
    }
    let first = ranked.iter().position(|v| wanted.contains(v));
    out[col] = first.map_or(0.0, |r| 1.0 / (r + 1) as f64);
    let (mut hits, mut ap) = (0.0, 0.0);
    for (r, v) in ranked.iter().enumerate() {
        if wanted.contains(v) {
            hits += 1.0;
            ap += hits / (r + 1) as f64;
        }
    }
    out[col + 1] = if hits > 0.0 { ap / hits } else { 0.0 };
    hits > 0.0
}

/// [`evaluate`] reporting progress to a [`Monitor`], which can also stop it.
pub fn evaluate_with(
    net: &TradeNetwork,
    options: &Options,
    eval: &EvaluationOptions,
    monitor: &dyn Monitor,
) -> Result<Evaluation> {
    if eval.ks.is_empty() || eval.ks.contains(&0) {
        return Err(Error::parameter("k", "give one or more cut-offs ≥ 1"));
    }
    if eval.horizon < 1 {
        return Err(Error::parameter("horizon", "must be at least 1 year"));
    }
    let purpose = options.purpose;
    let history = net.until(eval.split_year)?;
    let positives = test_links(
        net,
        &history,
        purpose,
        (eval.split_year, eval.split_year + eval.horizon),
    )?;
    if positives.is_empty() {
        return Err(Error::parameter(
            "split_year",
            format!(
                "no new {} links in {}..={}: nothing to test",
                purpose.name(),
                eval.split_year + 1,
                eval.split_year + eval.horizon
            ),
        ));
    }
    let fitted = PartnerRecommender::new(options.clone()).fit_with(&history, monitor)?;
    let ctx = Context::new(&history, options)?;
    let graph = Undirected::new(&history);
    let mut queries: Vec<u32> = positives.keys().copied().collect();
    queries.sort_unstable_by_key(|&q| (mix(options.seed ^ 0xe7a1 ^ q as u64), q));
    queries.truncate(eval.max_queries);
    let baselines: &[Baseline] = if eval.baselines { &BASELINES } else { &[] };
    let n_methods = 1 + baselines.len();
    let width = 3 * eval.ks.len() + 2;
    let top = eval.ks.iter().copied().max().unwrap_or(1);
    struct One {
        values: Vec<Vec<f64>>,
        found_any: Vec<bool>,
        found: usize,
        tops: Vec<Vec<u32>>,
    }
    let pool = Pool::new(history.n_firms());
    let scorer = fitted.scorer();
    let mut results: Vec<One> = Vec::with_capacity(queries.len());
    in_blocks(&queries, QUERY_BLOCK, "evaluating", monitor, |_, block| {
        results.par_extend(block.par_iter().map(|&q| {
            pool.with(|scratch| {
                gather(&ctx, &history, options, q, None, scratch);
                let wanted: FxHashSet<u32> = positives[&q].iter().copied().collect();
                let (cands, model): (Vec<u32>, Vec<f64>) = scratch
                    .out
                    .iter()
                    .filter(|c| fitted.allowed(&ctx, q, c.firm))
                    .map(|c| (c.firm, scorer.scores(&row(&ctx, &history, purpose, q, c)).0))
                    .unzip();
                let noise: Vec<f64> = cands
                    .iter()
                    .map(|&v| (mix(options.seed ^ ((q as u64) << 32) ^ v as u64) >> 11) as f64)
                    .collect();
                let mut one = One {
                    values: Vec::with_capacity(n_methods),
                    found_any: Vec::with_capacity(n_methods),
                    found: cands.iter().filter(|v| wanted.contains(v)).count(),
                    tops: Vec::with_capacity(n_methods),
                };
                for m in 0..n_methods {
                    let score: Vec<f64> = if m == 0 {
                        model.clone()
                    } else {
                        (0..cands.len())
                            .map(|i| graph.score(baselines[m - 1], q, cands[i], noise[i]))
                            .collect()
                    };
                    let mut order: Vec<usize> = (0..cands.len()).collect();
                    order.sort_unstable_by(|&a, &b| {
                        score[b]
                            .total_cmp(&score[a])
                            .then(noise[b].total_cmp(&noise[a]))
                    });
                    let ranked: Vec<u32> = order.iter().map(|&i| cands[i]).collect();
                    let mut v = vec![0.0; width];
                    one.found_any
                        .push(metrics(&ranked, &wanted, &eval.ks, &mut v));
                    one.values.push(v);
                    one.tops.push(ranked.into_iter().take(top).collect());
                }
                one
            })
        }));
    })?;
    let mut metrics_names: Vec<String> = Vec::new();
    for k in &eval.ks {
        metrics_names.extend([
            format!("precision@{k}"),
            format!("recall@{k}"),
            format!("ndcg@{k}"),
        ]);
    }
    metrics_names.extend(["mrr".into(), "aupr".into(), "coverage".into()]);
    let nq = results.len().max(1) as f64;
    let mut values = vec![vec![0.0; width + 1]; n_methods];
    for (m, row) in values.iter_mut().enumerate() {
        for (j, value) in row.iter_mut().enumerate().take(width - 1) {
            *value = results.iter().map(|r| r.values[m][j]).sum::<f64>() / nq;
        }
        let with_positive = results.iter().filter(|r| r.found_any[m]).count().max(1) as f64;
        row[width - 1] = results
            .iter()
            .filter(|r| r.found_any[m])
            .map(|r| r.values[m][width - 1])
            .sum::<f64>()
            / with_positive;
        let distinct: FxHashSet<u32> = results
            .iter()
            .flat_map(|r| r.tops[m].iter().copied())
            .collect();
        row[width] = distinct.len() as f64 / net.n_firms().max(1) as f64;
    }
    let test_total: usize = queries.iter().map(|q| positives[q].len()).sum();
    let found: usize = results.iter().map(|r| r.found).sum();
    let mut methods = vec!["recommender".to_string()];
    methods.extend(baselines.iter().map(|b| b.name().to_string()));
    let mut training = vec![fitted.firm.training.clone()];
    training.extend(fitted.partner.as_ref().map(|p| p.training.clone()));
    Ok(Evaluation {
        purpose,
        methods,
        metrics: metrics_names,
        values,
        queries: results.len(),
        test_links: test_total,
        candidate_recall: found as f64 / test_total.max(1) as f64,
        training,
    })
}
