//! The features of a candidate pair: what the learned scoring weighs. The collaborative
//! filters and the other path statistics are read from the asking firm's side: each as its
//! value relative to the firm's best candidate and as `ln(1 + rank)` among its candidates,
//! so that one scale serves firms with ten partners and firms with thousands. The firm
//! facts, industries, region and distance describe the link (supplier → customer, or the
//! research pair) whichever side asks.

use super::candidates::{listed, stat, Paths, RANKED};
use super::context::Context;
use super::options::Purpose;
use crate::network::TradeNetwork;

/// Room for the longest feature list.
pub(crate) const WIDTH: usize = 30;
/// One feature row (research uses the first [`RESEARCH`]`.len()` entries).
pub(crate) type Row = [f64; WIDTH];

/// Features of supplier and customer recommendations.
pub const TRADE: [&str; WIDTH] = [
    "user_cf",
    "item_cf",
    "cosine",
    "ease",
    "tier2",
    "resource_allocation",
    "user_cf_rank",
    "item_cf_rank",
    "cosine_rank",
    "ease_rank",
    "tier2_rank",
    "resource_allocation_rank",
    "walk",
    "walk_paths",
    "common_partners",
    "supplier_customers",
    "customer_suppliers",
    "supplier_suppliers",
    "customer_customers",
    "industry_supply",
    "industry_sales",
    "customer_buys_industry",
    "supplier_sells_industry",
    "same_industry",
    "same_region",
    "log_distance",
    "no_distance",
    "supplier_local_share",
    "reverse_trade",
    "collaborate",
];

/// Features of research recommendations (symmetric in the pair but for the ranks).
pub const RESEARCH: [&str; 22] = [
    "collab_resource_allocation",
    "resource_allocation",
    "adamic_adar",
    "shared_suppliers",
    "shared_customers",
    "common_collaborators",
    "collab_resource_allocation_rank",
    "resource_allocation_rank",
    "adamic_adar_rank",
    "shared_suppliers_rank",
    "shared_customers_rank",
    "common_collaborators_rank",
    "common_neighbours",
    "trade_tie",
    "collaborations_sum",
    "collaborations_min",
    "partners_sum",
    "industry_research",
    "same_industry",
    "same_region",
    "log_distance",
    "no_distance",
];

/// The feature names of a purpose.
///
/// ```
/// use tsunagime::recommend::{features, Purpose};
/// assert_eq!(features::names(Purpose::Supplier)[0], "user_cf");
/// ```
pub fn names(purpose: Purpose) -> &'static [&'static str] {
    match purpose {
        Purpose::Research => &RESEARCH,
        _ => &TRADE,
    }
}

fn ln1(x: f64) -> f64 {
    x.ln_1p()
}

/// Reads every candidate's [`Facts`](super::context::Facts) once in a tight loop of
/// independent loads, which the processor overlaps, so that [`row`] then finds them in
/// cache: on a national network this halves the cost of scoring.
pub(crate) fn warm(ctx: &Context, candidates: &[Paths]) {
    let touched: f32 = candidates
        .iter()
        .map(|c| ctx.facts[c.firm as usize].ln_customers)
        .sum();
    std::hint::black_box(touched);
}

/// The relative values and log-ranks of the ranked statistics: the first `2 · RANKED`
/// features of both lists.
fn ranked(r: &mut Row, c: &Paths) {
    for k in 0..RANKED {
        r[k] = (c.rel[k].max(0.0) as f64 + 1e-3).ln();
        r[RANKED + k] = ln_1p_rank(c.rank[k]);
    }
}

/// `ln(1 + rank)`, from a table for the ranks most candidates have (the best
/// [`PER_SCORE`](super::candidates::PER_SCORE) of each statistic and the few past them):
/// six logarithms a candidate were about 3% of scoring every firm of a national network
/// (the logarithm's share of the profile fell from 7% to 4% with the table).
fn ln_1p_rank(rank: u32) -> f64 {
    const TABLE: usize = 4_096;
    static LN: std::sync::LazyLock<Vec<f64>> =
        std::sync::LazyLock::new(|| (0..TABLE).map(|k| (k as f64).ln_1p()).collect());
    match LN.get(rank as usize) {
        Some(&x) => x,
        None => (rank as f64).ln_1p(),
    }
}

/// The feature row of candidate `c` of query `q`.
pub(crate) fn row(ctx: &Context, net: &TradeNetwork, purpose: Purpose, q: u32, c: &Paths) -> Row {
    let v = c.firm;
    let mut r = [0.0; WIDTH];
    ranked(&mut r, c);
    let (fq, fv) = (&ctx.facts[q as usize], &ctx.facts[v as usize]);
    let same_region = fq.same_region(fv) as u8 as f64;
    let same_industry = fq.same_industry(fv) as u8 as f64;
    let distance = fq.rough_distance(fv);
    let (log_distance, no_distance) = match distance {
        Some(d) => (ln1(d / 10.0), 0.0),
        None => (0.0, 1.0),
    };
    let rest = &mut r[2 * RANKED..];
    if purpose == Purpose::Research {
        let (dq, dv) = (ctx.collab.degree(q) as f64, ctx.collab.degree(v) as f64);
        let industry = ctx.industries.as_ref().map_or(0.0, |ind| {
            let (a, b) = (ind.of(q) as usize, ind.of(v) as usize);
            ind.ln_research[a * ind.k() + b]
        });
        rest[..10].copy_from_slice(&[
            ln1(c.s[stat::UNDIRECTED_CN]),
            (listed(net.suppliers(q), v) || listed(net.customers(q), v)) as u8 as f64,
            ln1(dq) + ln1(dv),
            ln1(dq.min(dv)),
            ln1(ctx.partners[q as usize] as f64) + ln1(ctx.partners[v as usize] as f64),
            industry,
            same_industry,
            same_region,
            log_distance,
            no_distance,
        ]);
        return r;
    }
    // The link s → cu; `reverse` is cu → s, looked up in the query's (short) lists.
    let (s, cu, reverse) = if purpose == Purpose::Supplier {
        (v, q, listed(net.customers(q), v))
    } else {
        (q, v, listed(net.suppliers(q), v))
    };
    let (fs, fc) = (&ctx.facts[s as usize], &ctx.facts[cu as usize]);
    let industry = ctx.industries.as_ref().map_or([0.0; 4], |ind| {
        let (is, ic) = (ind.of(s), ind.of(cu));
        let k = ind.k();
        [
            ind.ln_supply[ic as usize * k + is as usize],
            ind.ln_sales[is as usize * k + ic as usize],
            fc.supplier_mix.share(is),
            fs.customer_mix.share(ic),
        ]
    });
    rest.copy_from_slice(&[
        ln1(100.0 * c.s[stat::WALK]),
        ln1(c.s[stat::PATHS]),
        ln1(c.s[stat::CN]),
        fs.ln_customers as f64,
        fc.ln_suppliers as f64,
        fs.ln_suppliers as f64,
        fc.ln_customers as f64,
        industry[0],
        industry[1],
        industry[2],
        industry[3],
        same_industry,
        same_region,
        log_distance,
        no_distance,
        fs.ln_supplier_share as f64,
        reverse as u8 as f64,
        ctx.collab.contains(q, v) as u8 as f64,
    ]);
    r
}

/// Training rows: features, labels and weights (a kept negative stands for several).
#[derive(Debug, Default, Clone)]
pub(crate) struct Rows {
    pub x: Vec<Row>,
    pub y: Vec<bool>,
    pub w: Vec<f64>,
}

impl Rows {
    pub fn extend(&mut self, other: Rows) {
        self.x.extend(other.x);
        self.y.extend(other.y);
        self.w.extend(other.w);
    }

    pub fn push(&mut self, x: Row, y: bool, w: f64) {
        self.x.push(x);
        self.y.push(y);
        self.w.push(w);
    }
}
