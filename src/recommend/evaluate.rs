//! Hold-out evaluation: fit on the network with some links hidden — those first seen after
//! a year, or, for a network without years, a seeded share of each firm's links — then rank
//! each query firm's partners and check them against the hidden links, beside baselines
//! that each rank all firms with their own natural candidates, exactly.

use super::baselines::{Baseline, BASELINES};
use super::candidates::{gather, listed, mix, pool, stat, statistics, Paths, Scratch, PER_SCORE};
use super::context::Context;
use super::features::{row, Row};
use super::fit::{hide, Training};
use super::options::{Options, Purpose};
use super::undirected::Undirected;
use super::PartnerRecommender;
use super::QUERY_BLOCK;
use crate::error::{Error, Result};
use crate::monitor::{in_blocks, Monitor, Quiet};
use crate::network::TradeNetwork;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// Every ranking is cut here (or at the largest `k`, if larger): MRR and AUPR are read from
/// the top of each method's ranking.
pub const RANKING: usize = 200;

/// How to evaluate.
///
/// ```
/// use tsunagime::recommend::EvaluationOptions;
/// let temporal = EvaluationOptions { split_year: Some(2017), ..Default::default() };
/// assert_eq!(temporal.horizon, 2);
/// assert_eq!(EvaluationOptions::default().holdout, 0.2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationOptions {
    /// Train on the network up to this year (inclusive). `None`: the last `horizon` years
    /// are the test when the links have years, else a seeded hold-out.
    pub split_year: Option<i32>,
    /// Test on links first seen in `split_year + 1 ..= split_year + horizon`.
    pub horizon: i32,
    /// Without years: the share of each qualifying firm's links hidden.
    pub holdout: f64,
    /// Without years: firms with fewer partners (on the side that asks) are not queried.
    pub min_partners: usize,
    /// Seed of the hold-out and of the query sample.
    pub seed: u64,
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
            split_year: None,
            horizon: 2,
            holdout: 0.2,
            min_partners: 5,
            seed: 0,
            ks: vec![10, 20],
            baselines: true,
            max_queries: 5_000,
        }
    }
}

/// A method × metric table of one purpose.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 3_000, ..Default::default() })?;
/// use tsunagime::recommend::{evaluate, EvaluationOptions, Options, Purpose};
/// let eval = evaluate(&net, &Options::new(Purpose::Supplier), &EvaluationOptions::default())?;
/// assert_eq!(eval.methods[0], "recommender");
/// assert!(eval.get("user_cf", "recall@20").is_some());
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The purpose evaluated.
    pub purpose: Purpose,
    /// `recommender`, then the baselines.
    pub methods: Vec<String>,
    /// `precision@k`, `recall@k`, `ndcg@k` per k, then `mrr`, `aupr`, `coverage`,
    /// `candidate_recall`.
    pub metrics: Vec<String>,
    /// `values[method][metric]`.
    pub values: Vec<Vec<f64>>,
    /// Query firms evaluated.
    pub queries: usize,
    /// Their hidden (new) links.
    pub test_links: usize,
    /// Share of a query firm's test links among the recommender's candidates (the most it
    /// can reach), averaged over the query firms.
    pub candidate_recall: f64,
    /// `holdout` or `temporal <first>..=<last>`: how the test links were chosen.
    pub split: String,
    /// How the recommender's scoring was learned (firm side, then partner side).
    pub training: Vec<Training>,
}

impl Evaluation {
    /// The value of `metric` for `method`.
    ///
    /// ```
    /// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
    /// # let net = synthetic_japan(&SyntheticConfig { n_firms: 3_000, ..Default::default() })?;
    /// use tsunagime::recommend::{evaluate, EvaluationOptions, Options, Purpose};
    /// let eval = evaluate(&net, &Options::new(Purpose::Customer), &EvaluationOptions::default())?;
    /// assert!(eval.get("recommender", "mrr").is_some_and(|m| (0.0..=1.0).contains(&m)));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn get(&self, method: &str, metric: &str) -> Option<f64> {
        let m = self.methods.iter().position(|x| x == method)?;
        let k = self.metrics.iter().position(|x| x == metric)?;
        Some(self.values[m][k])
    }
}

/// [`evaluate_with`] without progress.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 3_000, ..Default::default() })?;
/// use tsunagime::recommend::{evaluate, EvaluationOptions, Options, Purpose};
/// let eval = evaluate(&net, &Options::new(Purpose::Supplier), &EvaluationOptions::default())?;
/// assert!(eval.queries > 0 && eval.split.starts_with("temporal"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn evaluate(
    net: &TradeNetwork,
    options: &Options,
    eval: &EvaluationOptions,
) -> Result<Evaluation> {
    evaluate_with(net, options, eval, &Quiet)
}

/// The temporal test links: first seen in `years.0 + 1 ..= years.1` and absent from the
/// history, by query firm.
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

/// Precision, recall and NDCG at each k, then MRR and average precision of one ranking
/// (`out`); whether any wanted firm was ranked.
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

/// What a baseline needs besides the query: the history's graphs and global orders.
struct Baselines<'a> {
    history: &'a TradeNetwork,
    ctx: &'a Context,
    options: Options,
    graph: Undirected,
    /// Firms by the ranked side's degree (popularity), most first, ties by index.
    popular: Vec<u32>,
    /// Firms by degree in the undirected graph of all ties (preferential attachment).
    connected: Vec<u32>,
}

impl Baselines<'_> {
    /// The best `len` firms for `q` by `b` (excluding `q` and what `excluded` says) and how
    /// many wanted firms its natural candidates hold.
    fn rank(
        &self,
        b: Baseline,
        q: u32,
        len: usize,
        wanted: &FxHashSet<u32>,
        excluded: &dyn Fn(u32) -> bool,
        scratch: &mut Scratch,
    ) -> (Vec<u32>, usize) {
        let n = self.history.n_firms() as u64;
        let take = |order: &[u32]| -> Vec<u32> {
            order
                .iter()
                .copied()
                .filter(|&v| !excluded(v))
                .take(len)
                .collect()
        };
        let scored: Vec<(f64, u32)> = match b {
            Baseline::Random => {
                let mut seen = FxHashSet::default();
                let mut out = Vec::with_capacity(len);
                let mut t = 0u64;
                while out.len() < len && t < 64 * n.max(len as u64) {
                    let v = (mix(self.options.seed ^ ((q as u64) << 32) ^ t) % n) as u32;
                    t += 1;
                    if !excluded(v) && seen.insert(v) {
                        out.push(v);
                    }
                }
                return (out, wanted.len());
            }
            Baseline::Popularity => return (take(&self.popular), wanted.len()),
            Baseline::PreferentialAttachment => return (take(&self.connected), wanted.len()),
            Baseline::CommonNeighbours | Baseline::AdamicAdar | Baseline::ResourceAllocation => {
                let mut acc: FxHashMap<u32, f64> = FxHashMap::default();
                for &x in self.graph.neighbours(q) {
                    let d = self.graph.degree(x);
                    let w = match b {
                        Baseline::CommonNeighbours => 1.0,
                        Baseline::AdamicAdar => 1.0 / d.ln(),
                        _ => 1.0 / d,
                    };
                    for &v in self.graph.neighbours(x) {
                        if v != q {
                            *acc.entry(v).or_default() += w;
                        }
                    }
                }
                acc.into_iter().map(|(v, s)| (s, v)).collect()
            }
            Baseline::UserCf | Baseline::ItemCf | Baseline::Cosine | Baseline::Ease => {
                let k = match b {
                    Baseline::UserCf => stat::USER_CF,
                    Baseline::ItemCf => stat::ITEM_CF,
                    Baseline::Cosine => stat::COSINE,
                    _ => stat::EASE,
                };
                let exact = Options {
                    budget: Some(usize::MAX),
                    ..self.options.clone()
                };
                statistics(self.ctx, self.history, &exact, q, scratch);
                scratch
                    .reached()
                    .iter()
                    .filter(|p| p.s[k] != 0.0)
                    .map(|p| (p.s[k], p.firm))
                    .collect()
            }
        };
        let mut scored: Vec<(f64, u32)> = scored.into_iter().filter(|p| !excluded(p.1)).collect();
        let natural = scored.iter().filter(|p| wanted.contains(&p.1)).count();
        let order = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > len {
            scored.select_nth_unstable_by(len, order);
            scored.truncate(len);
        }
        scored.sort_unstable_by(order);
        (scored.into_iter().map(|p| p.1).collect(), natural)
    }
}

/// Firms by `degree`, most first, ties by index.
fn by_degree(n: usize, degree: impl Fn(u32) -> usize + Sync) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.par_sort_unstable_by_key(|&v| (std::cmp::Reverse(degree(v)), v));
    order
}

/// The baselines that apply to a purpose: the bipartite filters and EASE rank trade
/// partners only (EASE when the network is small enough for it).
fn applicable(purpose: Purpose, ease: bool) -> Vec<Baseline> {
    BASELINES
        .iter()
        .copied()
        .filter(|b| match b {
            Baseline::UserCf | Baseline::ItemCf | Baseline::Cosine => purpose != Purpose::Research,
            Baseline::Ease => purpose != Purpose::Research && ease,
            _ => true,
        })
        .collect()
}

/// Evaluates a recommender's options on `net` by a hold-out, beside the baselines.
///
/// With `split_year` (or, when it is `None`, links with years: the last `horizon` years),
/// the test links are those first seen in the `horizon` years after it; otherwise a seeded
/// `holdout` share of the links of each firm with at least `min_partners` partners on the
/// side that asks (suppliers of a customer, for `supplier`; research hides that share of
/// all collaborations). The recommender is fitted on the rest. Each method ranks, for every
/// query firm, the firms it has no link with: the recommender its candidates, the
/// baselines all firms from their own natural candidates (random and popularity every
/// firm; the networkx heuristics the firms two steps away on the undirected graph of all
/// ties; the collaborative filters and EASE the firms their formulas reach), exactly. Each
/// ranking is cut at 200 (`RANKING`); `candidate_recall` is the share of a query firm's test
/// links among a method's natural candidates, averaged over the query firms like recall@k.
///
/// Complexity: one fit, then per query the recommender's work plus, per baseline, its
/// natural candidates (the filters: the 3-step paths from the firm).
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 3_000, ..Default::default() })?;
/// use tsunagime::recommend::{evaluate_with, EvaluationOptions, Options, Purpose};
/// let eval = EvaluationOptions { split_year: Some(2017), ..Default::default() };
/// let table = evaluate_with(&net, &Options::new(Purpose::Supplier), &eval, &tsunagime::Quiet)?;
/// let recall = |m: &str| table.get(m, "recall@20").unwrap_or(0.0);
/// assert!(recall("recommender") >= recall("random"));
/// # Ok::<(), tsunagime::Error>(())
/// ```
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
    if !(eval.holdout > 0.0 && eval.holdout < 1.0) {
        return Err(Error::parameter(
            "holdout",
            format!("{} is not a share between 0 and 1", eval.holdout),
        ));
    }
    if eval.max_queries == 0 {
        return Err(Error::parameter("max_queries", "must be at least 1"));
    }
    options.validate()?;
    let purpose = options.purpose;
    let years = if purpose == Purpose::Research {
        net.collaboration_years()
    } else {
        net.years()
    };
    let span = years.and_then(|y| Some((*y.iter().min()?, *y.iter().max()?)));
    let split_year = eval.split_year.or(match span {
        Some((a, b)) if a < b => Some((b - eval.horizon).max(a)),
        _ => None,
    });
    let (history, positives, split) = match split_year {
        Some(year) => {
            let history = net.until(year)?;
            let test = (year, year + eval.horizon);
            let positives = test_links(net, &history, purpose, test)?;
            (
                history,
                positives,
                format!("temporal {}..={}", test.0 + 1, test.1),
            )
        }
        None => {
            let s = hide(net, purpose, eval.holdout, eval.min_partners, eval.seed)?;
            (s.history, s.positives, "holdout".to_string())
        }
    };
    if positives.is_empty() {
        // Name the setting that would give links to test.
        let (name, hint) = match split_year {
            Some(_) => (
                "split_year",
                "an earlier split year leaves more years to test on",
            ),
            None => (
                "min_partners",
                "no firm has enough partners to hide some: lower min_partners",
            ),
        };
        return Err(Error::parameter(
            name,
            format!("no {} links to test ({split}); {hint}", purpose.name()),
        ));
    }
    let fitted = PartnerRecommender::new(options.clone()).fit_with(&history, monitor)?;
    let rec_ctx = Context::new(&history, options)?;
    let mut wide = None;
    let ctx = Context::for_baselines(&rec_ctx, &history, options, &mut wide)?;
    let n = history.n_firms();
    let degree = |v: u32| match purpose {
        Purpose::Supplier => history.out_degree(v),
        Purpose::Customer => history.in_degree(v),
        Purpose::Research => ctx.collab.degree(v),
    };
    let baselines = if eval.baselines {
        applicable(purpose, ctx.ease.is_some())
    } else {
        Vec::new()
    };
    let graph = Undirected::new(&history);
    let connected = by_degree(n, |v| graph.degree(v) as usize);
    let base = Baselines {
        history: &history,
        ctx,
        options: options.clone(),
        popular: by_degree(n, degree),
        connected,
        graph,
    };
    let mut queries: Vec<u32> = positives.keys().copied().collect();
    queries.sort_unstable_by_key(|&q| (mix(eval.seed ^ 0xe7a1 ^ q as u64), q));
    queries.truncate(eval.max_queries);
    let n_methods = 1 + baselines.len();
    let width = 3 * eval.ks.len() + 2;
    let len = eval.ks.iter().copied().max().unwrap_or(1).max(RANKING);
    let top = eval.ks.iter().copied().max().unwrap_or(1);
    struct One {
        values: Vec<Vec<f64>>,
        found_any: Vec<bool>,
        found: Vec<usize>,
        tops: Vec<Vec<u32>>,
        n_test: usize,
    }
    let pool = pool(n);
    let scorer = fitted.scorer();
    let mut results: Vec<One> = Vec::with_capacity(queries.len());
    in_blocks(&queries, QUERY_BLOCK, "evaluating", monitor, |_, block| {
        results.par_extend(block.par_iter().map(|&q| {
            pool.with(|scratch| {
                gather(&rec_ctx, &history, options, q, None, PER_SCORE, scratch);
                let wanted: FxHashSet<u32> = positives[&q].iter().copied().collect();
                let kept: Vec<&Paths> = scratch
                    .out
                    .iter()
                    .filter(|c| fitted.allowed(&rec_ctx, q, c.firm))
                    .collect();
                let rows: Vec<Row> = kept
                    .iter()
                    .map(|c| row(&rec_ctx, &history, purpose, q, c))
                    .collect();
                let mut scored: Vec<(f64, u32)> = scorer
                    .scores(&rows)
                    .into_iter()
                    .zip(&kept)
                    .map(|(s, c)| (s.0, c.firm))
                    .collect();
                let found = scored.iter().filter(|c| wanted.contains(&c.1)).count();
                scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                let ranked: Vec<u32> = scored.iter().take(len).map(|c| c.1).collect();
                let mut one = One {
                    values: Vec::with_capacity(n_methods),
                    found_any: Vec::with_capacity(n_methods),
                    found: vec![found],
                    tops: Vec::with_capacity(n_methods),
                    n_test: wanted.len(),
                };
                let record = |ranked: Vec<u32>, one: &mut One| {
                    let mut v = vec![0.0; width];
                    one.found_any
                        .push(metrics(&ranked, &wanted, &eval.ks, &mut v));
                    one.values.push(v);
                    one.tops.push(ranked.into_iter().take(top).collect());
                };
                record(ranked, &mut one);
                let existing = |v: u32| match purpose {
                    Purpose::Supplier => listed(history.suppliers(q), v),
                    Purpose::Customer => listed(history.customers(q), v),
                    Purpose::Research => ctx.collab.contains(q, v),
                };
                let excluded = |v: u32| {
                    v == q
                        || (options.exclude_existing && existing(v))
                        || !fitted.allowed(ctx, q, v)
                };
                for &b in &baselines {
                    let (ranked, natural) = base.rank(b, q, len, &wanted, &excluded, scratch);
                    one.found.push(natural);
                    record(ranked, &mut one);
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
    metrics_names.extend([
        "mrr".into(),
        "aupr".into(),
        "coverage".into(),
        "candidate_recall".into(),
    ]);
    let nq = results.len().max(1) as f64;
    let test_total: usize = queries.iter().map(|q| positives[q].len()).sum();
    let mut values = vec![vec![0.0; width + 2]; n_methods];
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
        row[width] = distinct.len() as f64 / n.max(1) as f64;
        row[width + 1] = results
            .iter()
            .map(|r| r.found[m] as f64 / r.n_test.max(1) as f64)
            .sum::<f64>()
            / nq;
    }
    let mut methods = vec!["recommender".to_string()];
    methods.extend(baselines.iter().map(|b| b.name().to_string()));
    let mut training = vec![fitted.firm.training.clone()];
    training.extend(fitted.partner.as_ref().map(|p| p.training.clone()));
    let candidate_recall = values[0][width + 1];
    Ok(Evaluation {
        purpose,
        methods,
        metrics: metrics_names,
        values,
        queries: results.len(),
        test_links: test_total,
        candidate_recall,
        split,
        training,
    })
}
