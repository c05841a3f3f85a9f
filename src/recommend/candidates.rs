//! Candidate partners of one firm, and the path statistics that score them.
//!
//! Production networks are triangle-poor and square-rich, so the main signal is on the
//! supplier/customer bipartite structure: for a firm `q` looking for suppliers, the 3-hop
//! path `q ← s → c ← v` — `c` buys from one of `q`'s suppliers ("a customer like you") and
//! from `v`. The bipartite collaborative filters are sums over these paths, aggregated per
//! peer `c` so that one enumeration gives them all:
//! - user-based (resource allocation): `sim(q, c) = Σ_s 1/|customers(s)|`, each supplier `v`
//!   of `c` gains `sim(q, c)/√|suppliers(c)|`;
//! - item-based (its mirror): each path weighs `1/(√|customers(s)| · |suppliers(c)|)`;
//! - cosine: `sim(q, c) = |shared| / √(|suppliers(q)| · |suppliers(c)|)`, summed;
//! - the random walk `Σ 1/(|customers(s)| · |suppliers(c)|)` and the path count.
//!
//! Around them come the 2-hop statistics: tier-2 suppliers, and resource allocation and
//! common partners over every 2-hop path, through `q`'s suppliers and its customers alike
//! (as on the undirected graph of all ties: on sparse networks the firms two ties away by
//! any route are the strongest simple signal), EASE scores where the network is small
//! enough (see [`super::ease`]), the collaboration graph and the undirected graph of all ties for
//! research, the most active firms of the market cells (region × industry) the firm's
//! industry trades with, and the most popular firms nationwide (most partners on the side
//! ranked), so that a firm with no trades still gets candidates.
//!
//! Enumeration is exact while a query's work (list entries read) stays within its budget
//! ([`super::Options::budget_for`]). Beyond it, the peers most similar to `q` (the lists that
//! weigh most) are read whole with half the budget, and every other list is read at the
//! share of its entries the rest of the budget allows, at evenly spaced positions from a
//! seeded offset, each visit weighing `len / visits`: an unbiased estimate of the full sum.
//!
//! The candidates are the union of the best [`PER_SCORE`] firms of each ranked statistic
//! (the collaborative filters, EASE, tier-2 and resource allocation), so that no single
//! statistic's best firms are lost, plus the market firms and the most popular ones.

use super::context::{Context, CELL_TOP};
use super::ease::sides;
use super::options::{Options, Purpose};
use crate::network::TradeNetwork;
use crate::parallel::PerThread;
use rustc_hash::FxHashMap;

/// Best firms of each ranked statistic kept as candidates (and ranked exactly).
pub(crate) const PER_SCORE: usize = 200;

/// Best firms of each ranked statistic scored for a top `k`: 6k, at least 60 (on the
/// synthetic economy and the keiretsu, 98–100% of the top 10 over all [`PER_SCORE`]
/// candidates, in two thirds of the time).
pub(crate) fn per_score(k: usize) -> usize {
    k.saturating_mul(6).clamp(60, PER_SCORE)
}
const NONE: u32 = u32::MAX;

/// Statistics of a trade candidate (indices into [`Paths::s`]); the first [`RANKED`] are
/// ranked, and their best firms are candidates.
pub(crate) mod stat {
    pub const USER_CF: usize = 0;
    pub const ITEM_CF: usize = 1;
    pub const COSINE: usize = 2;
    pub const EASE: usize = 3;
    pub const TIER2: usize = 4;
    pub const RA: usize = 5;
    pub const WALK: usize = 6;
    pub const CN: usize = 7;
    pub const PATHS: usize = 8;
    // Research candidates.
    pub const COLLAB_RA: usize = 0;
    pub const UNDIRECTED_RA: usize = 1;
    pub const ADAMIC_ADAR: usize = 2;
    pub const SHARED_SUPPLIERS: usize = 3;
    pub const SHARED_CUSTOMERS: usize = 4;
    pub const COLLAB_CN: usize = 5;
    pub const UNDIRECTED_CN: usize = 6;
}
/// Statistics per candidate.
pub(crate) const STATS: usize = 9;
/// Statistics whose ranks are features.
pub(crate) const RANKED: usize = 6;

/// One candidate: its statistics, and for the ranked ones its rank among the query's
/// candidates (1 = best; past the reached firms when the statistic is 0) and its value
/// relative to the query's best.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Paths {
    pub firm: u32,
    pub s: [f64; STATS],
    pub rank: [u32; RANKED],
    pub rel: [f32; RANKED],
    mark: u32,
}

/// Per-thread buffers of one query, cleared after each use. Firms map to their slots by
/// hash tables sized to the few thousand firms a query reaches: firm-indexed arrays (4 MB
/// per thread at 1M firms, read at random for every list entry) missed the cache.
pub(crate) struct Scratch {
    slot: FxHashMap<u32, u32>,
    acc: Vec<Paths>,
    peer_slot: FxHashMap<u32, u32>,
    /// Peers `c` with (user-based similarity, item-based weight, shared count).
    peers: Vec<(u32, [f64; 3])>,
    via: Vec<(u32, u32, f32)>,
    ease: Vec<f64>,
    /// Each ranked statistic's reached firms, for ordering.
    orders: [Vec<(f64, u32, u32)>; RANKED],
    /// Work (list entries read) spent on the current query.
    pub work: usize,
    pub out: Vec<Paths>,
}

impl Scratch {
    pub fn new(n: usize) -> Scratch {
        Scratch {
            slot: FxHashMap::default(),
            acc: Vec::new(),
            peer_slot: FxHashMap::default(),
            peers: Vec::new(),
            via: Vec::new(),
            ease: vec![0.0; n],
            orders: Default::default(),
            work: 0,
            out: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.slot.clear();
        self.peer_slot.clear();
        self.acc.clear();
        self.peers.clear();
        self.via.clear();
        self.out.clear();
        self.work = 0;
    }

    /// The candidate `v`'s statistics, added if new, recording `x` as a partner shared
    /// with weight `w` (when `w > 0`).
    fn add(&mut self, v: u32, x: u32, w: f64) -> &mut Paths {
        let s = *self.slot.entry(v).or_insert(self.acc.len() as u32);
        if s as usize == self.acc.len() {
            self.acc.push(Paths {
                firm: v,
                ..Default::default()
            });
        }
        if w > 0.0 {
            self.via.push((s, x, w as f32));
        }
        &mut self.acc[s as usize]
    }

    fn peer(&mut self, p: u32) -> &mut [f64; 3] {
        let s = *self.peer_slot.entry(p).or_insert(self.peers.len() as u32) as usize;
        if s == self.peers.len() {
            self.peers.push((p, [0.0; 3]));
        }
        &mut self.peers[s].1
    }

    /// The statistics of the firms reached so far (every firm reached, before filtering).
    pub fn reached(&self) -> &[Paths] {
        &self.acc
    }

    /// The statistics of firm `v` if it was reached.
    pub fn get(&self, v: u32) -> Option<&Paths> {
        self.slot.get(&v).map(|&s| &self.acc[s as usize])
    }

    /// For each firm of `firms` (among the last query's candidates), up to `n` shared
    /// partners, strongest first.
    pub fn shared_partners(&mut self, firms: &[u32], n: usize) -> Vec<Vec<u32>> {
        let mut via: Vec<Vec<(u32, f32)>> = vec![Vec::new(); firms.len()];
        for (k, &v) in firms.iter().enumerate() {
            if let Some(&s) = self.slot.get(&v) {
                self.acc[s as usize].mark = k as u32 + 1;
            }
        }
        for &(c, x, w) in &self.via {
            let mark = self.acc[c as usize].mark;
            if mark > 0 {
                let list = &mut via[mark as usize - 1];
                match list.iter_mut().find(|(y, _)| *y == x) {
                    Some(e) => e.1 += w,
                    None => list.push((x, w)),
                }
            }
        }
        for &v in firms {
            if let Some(&s) = self.slot.get(&v) {
                self.acc[s as usize].mark = 0;
            }
        }
        via.into_iter()
            .map(|mut list| {
                list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                list.into_iter().take(n).map(|(x, _)| x).collect()
            })
            .collect()
    }
}

/// One [`Scratch`] per rayon thread.
pub(crate) type Pool = PerThread<Scratch>;

/// A [`Pool`] of scratch space for a network of `n` firms.
pub(crate) fn pool(n: usize) -> Pool {
    PerThread::new(|| Scratch::new(n))
}

/// SplitMix64: a seeded, well-mixed hash for sampling and tie-breaking.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `m` positions `(start + ⌊j·len/m⌋) mod len`, j = 0..m, of a list of `len` entries
/// (`start < len`, `0 < m ≤ len`), stepped without a division per entry: the sampled lists
/// are a query's hot loop.
fn spaced(start: usize, len: usize, m: usize) -> impl Iterator<Item = usize> {
    let (step, extra) = (len / m, len % m);
    let (mut at, mut carry) = (start, 0);
    (0..m).map(move |_| {
        let here = at;
        at += step;
        carry += extra;
        if carry >= m {
            carry -= m;
            at += 1;
        }
        if at >= len {
            at -= len;
        }
        here
    })
}

/// Reads the lists `list(x)` of the heads `x` (most important first) within `budget`
/// entries, calling `f(x, len, v, scale)` for each entry `v` read, `scale = len / read`.
/// Exact when the lists fit; else the first lists that fit in half the budget are read
/// whole and the others at the share of their entries the rest allows (at least one),
/// evenly spaced from a seeded offset. Returns the entries read.
fn visit<'a>(
    heads: &[u32],
    list: impl Fn(u32) -> &'a [u32],
    budget: usize,
    seed: u64,
    mut f: impl FnMut(u32, usize, u32, f64),
) -> usize {
    // The lists' first entries are read here, in a loop of independent loads the
    // processor overlaps, so that the visits below find them in cache.
    let (total, touched) = heads.iter().fold((0, 0u32), |(t, w), &x| {
        let l = list(x);
        (t + l.len(), w ^ l.first().copied().unwrap_or(0))
    });
    std::hint::black_box(touched);
    if total <= budget {
        for &x in heads {
            let l = list(x);
            l.iter().for_each(|&v| f(x, l.len(), v, 1.0));
        }
        return total;
    }
    let mut whole_left = budget / 2;
    let mut rest = total;
    let whole: Vec<bool> = heads
        .iter()
        .map(|&x| {
            let len = list(x).len();
            let fits = len <= whole_left;
            if fits {
                whole_left -= len;
                rest -= len;
            }
            fits
        })
        .collect();
    let share = (budget - (budget / 2 - whole_left)) as f64 / rest.max(1) as f64;
    let mut read = 0;
    for (&x, whole) in heads.iter().zip(whole) {
        let l = list(x);
        let len = l.len();
        let m = if whole {
            len
        } else {
            ((len as f64 * share) as usize).clamp(1.min(len), len)
        };
        if m == len {
            l.iter().for_each(|&v| f(x, len, v, 1.0));
        } else if m > 0 {
            let start = (mix(seed ^ x as u64) % len as u64) as usize;
            let scale = len as f64 / m as f64;
            for at in spaced(start, len, m) {
                f(x, len, l[at], scale);
            }
        }
        read += m;
    }
    read
}

/// Gathers the candidates of query firm `q` into `scratch.out`: the best [`PER_SCORE`] of
/// each ranked statistic plus the market firms and the `per_score` most popular, or exactly
/// the firms of `among`; never `q`, and not its current partners when `exclude_existing`.
pub(crate) fn gather(
    ctx: &Context,
    net: &TradeNetwork,
    options: &Options,
    q: u32,
    among: Option<&[u32]>,
    per_score: usize,
    scratch: &mut Scratch,
) {
    statistics(ctx, net, options, q, scratch);
    let existing = |v: u32| match options.purpose {
        Purpose::Supplier => listed(net.suppliers(q), v),
        Purpose::Customer => listed(net.customers(q), v),
        Purpose::Research => ctx.collab.contains(q, v),
    };
    let keep = |v: u32| v != q && !(options.exclude_existing && existing(v));
    let pool: Vec<u32> = (0..scratch.acc.len() as u32)
        .filter(|&i| keep(scratch.acc[i as usize].firm))
        .collect();
    rank(&mut scratch.acc, &pool, &mut scratch.orders);
    let Scratch { slot, acc, out, .. } = scratch;
    let beyond = pool.len() as u32 + 1;
    let unreached = |firm: u32| Paths {
        firm,
        rank: [beyond; RANKED],
        ..Default::default()
    };
    if let Some(list) = among {
        for &v in list {
            if keep(v) {
                out.push(
                    slot.get(&v)
                        .map_or_else(|| unreached(v), |&s| acc[s as usize]),
                );
            }
        }
        return;
    }
    out.extend(
        pool.iter()
            .map(|&i| acc[i as usize])
            .filter(|p| p.rank.iter().any(|&r| r as usize <= per_score)),
    );
    // The most popular firms, reached (with their statistics) or not, unless already in:
    // popularity is one more statistic whose best firms are kept. (A third as many cost
    // 10% less time at 1M firms but lost the candidate recall of popularity's top 200 on a
    // real network of car makers.)
    let popular = &ctx.popular[..per_score.min(ctx.popular.len())];
    out.extend(popular.iter().filter_map(|&v| {
        let p = acc[*slot.get(&v)? as usize];
        (keep(v) && p.rank.iter().all(|&r| r as usize > per_score)).then_some(p)
    }));
    // Market and popular firms no path reached, once each (a firm can lead its cell, its
    // industry nationwide and the whole network).
    let mut market: Vec<u32> = market(ctx, options.purpose, q)
        .chain(popular.iter().copied())
        .collect();
    market.sort_unstable();
    market.dedup();
    out.extend(
        market
            .into_iter()
            .filter(|&v| !slot.contains_key(&v) && keep(v))
            .map(unreached),
    );
}

/// Reads the statistics of every firm reached from `q` into `scratch` (see
/// [`Scratch::reached`]), within the query's work budget ([`Options::budget_for`]).
pub(crate) fn statistics(
    ctx: &Context,
    net: &TradeNetwork,
    options: &Options,
    q: u32,
    scratch: &mut Scratch,
) {
    scratch.clear();
    let seed = options.seed ^ ((q as u64) << 32);
    let budget = options.budget_for(net.n_firms());
    match options.purpose {
        Purpose::Research => research_paths(ctx, net, q, budget, seed, scratch),
        purpose => {
            trade_paths(ctx, net, purpose, q, budget, seed, scratch);
            if let Some(ease) = &ctx.ease {
                ease_scores(ease, net, purpose, q, scratch);
            }
        }
    }
}

/// Ranks the candidates `pool` (indices into `acc`) by each ranked statistic, best first
/// (ties by firm), and sets each value relative to the best. Only the best [`PER_SCORE`]
/// are ordered exactly; the others share the rank after them, and firms whose statistic
/// is 0 rank after every firm reached. The pool is read once for all the statistics, and
/// written once: a query reaches thousands of firms, and one pass per statistic missed the
/// cache six times over.
fn rank(acc: &mut [Paths], pool: &[u32], orders: &mut [Vec<(f64, u32, u32)>; RANKED]) {
    let beyond = pool.len() as u32 + 1;
    // (value, firm, slot): ordered in compact arrays rather than through the slots.
    let cmp = |x: &(f64, u32, u32), y: &(f64, u32, u32)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
    orders.iter_mut().for_each(Vec::clear);
    for &i in pool {
        let p = &acc[i as usize];
        for (r, order) in orders.iter_mut().enumerate() {
            if p.s[r] != 0.0 {
                order.push((p.s[r], p.firm, i));
            }
        }
    }
    let mut top = [0; RANKED];
    let mut best = [0.0; RANKED];
    for (r, order) in orders.iter_mut().enumerate() {
        top[r] = PER_SCORE.min(order.len());
        if order.len() > top[r] {
            order.select_nth_unstable_by(top[r], cmp);
        }
        order[..top[r]].sort_unstable_by(cmp);
        best[r] = order.first().map_or(0.0, |t| t.0);
    }
    for &i in pool {
        let p = &mut acc[i as usize];
        for r in 0..RANKED {
            p.rank[r] = if p.s[r] != 0.0 {
                top[r] as u32 + 1
            } else {
                beyond
            };
            p.rel[r] = if best[r] > 0.0 {
                (p.s[r] / best[r]) as f32
            } else {
                0.0
            };
        }
    }
    for (r, order) in orders.iter().enumerate() {
        for (k, t) in order[..top[r]].iter().enumerate() {
            acc[t.2 as usize].rank[r] = k as u32 + 1;
        }
    }
}

/// The bipartite statistics of a trade query: the collaborative filters over the 3-hop
/// paths, the 2-hop statistics through `q`'s partners and its tier-2 partners.
fn trade_paths(
    ctx: &Context,
    net: &TradeNetwork,
    purpose: Purpose,
    q: u32,
    budget: usize,
    seed: u64,
    s: &mut Scratch,
) {
    use stat::*;
    let (items, users) = sides(purpose);
    let partners = |x: u32| ctx.partners[x as usize].max(1) as f64;
    let mut mine: Vec<u32> = items(net, q).to_vec();
    // Short lists first: their shared partners weigh most.
    mine.sort_unstable_by_key(|&x| (users(net, x).len(), x));
    // q ← x → c: the peers c, with the 2-hop statistics through x.
    s.work += visit(
        &mine,
        |x| users(net, x),
        budget / 4,
        seed,
        |x, len, c, sc| {
            if c != q {
                let p = s.peer(c);
                p[0] += sc / len as f64;
                p[1] += sc / (len as f64).sqrt();
                p[2] += sc;
                let e = s.add(c, x, sc / partners(x));
                e.s[RA] += sc / partners(x);
                e.s[CN] += sc;
            }
        },
    );
    // v → x → q: tier-2 partners.
    s.work += visit(
        &mine,
        |x| items(net, x),
        budget / 4,
        seed ^ 1,
        |x, _, v, sc| {
            if v != q {
                let e = s.add(v, x, sc / partners(x));
                e.s[TIER2] += sc / partners(x);
                e.s[RA] += sc / partners(x);
                e.s[CN] += sc;
            }
        },
    );
    // q's partners y on the other side (its customers when it looks for suppliers), and
    // theirs: so that resource allocation and common partners count every 2-hop path.
    // Both of y's lists are read, so y's place follows all its partners. (On the sparse
    // network of the quality suite this took recall@20 over the best baseline from 1.01×
    // to 1.25× for suppliers and from 1.12× to 1.20× for customers.)
    let mut theirs: Vec<u32> = users(net, q).to_vec();
    theirs.sort_unstable_by_key(|&y| (ctx.partners[y as usize], y));
    for (list, salt) in [(users, 3), (items, 4)] {
        s.work += visit(
            &theirs,
            |y| list(net, y),
            budget / 8,
            seed ^ salt,
            |y, _, v, sc| {
                if v != q {
                    let e = s.add(v, y, sc / partners(y));
                    e.s[RA] += sc / partners(y);
                    e.s[CN] += sc;
                }
            },
        );
    }
    // c ← v: the peers' other partners, most similar peers first.
    s.peers
        .sort_unstable_by(|a, b| b.1[0].total_cmp(&a.1[0]).then(a.0.cmp(&b.0)));
    let peers: Vec<(u32, [f64; 3])> = s.peers.clone();
    let heads: Vec<u32> = peers.iter().map(|p| p.0).collect();
    let n_mine = (mine.len().max(1)) as f64;
    let left = budget.saturating_sub(s.work);
    let mut k = 0;
    let mut last = NONE;
    // Each path's weights under the peer `c` (user-based, item-based, cosine, walk, paths),
    // computed once per peer.
    let mut weight = [0.0; 5];
    s.work += visit(
        &heads,
        |c| items(net, c),
        left,
        seed ^ 2,
        |c, len, v, sc| {
            if c != last {
                while peers[k].0 != c {
                    k += 1;
                }
                last = c;
                let [a, b, n] = peers[k].1;
                let l = len as f64;
                weight = [a / l.sqrt(), b / l, n / (n_mine * l).sqrt(), a / l, n];
            }
            if v == q {
                return;
            }
            let [user, item, cosine, walk, paths] = weight;
            let e = s.add(v, c, user * sc);
            e.s[USER_CF] += user * sc;
            e.s[ITEM_CF] += item * sc;
            e.s[COSINE] += cosine * sc;
            e.s[WALK] += walk * sc;
            e.s[PATHS] += paths * sc;
        },
    );
}

/// EASE scores of every item for `q`: set on the firms reached, and the best
/// [`PER_SCORE`] added as candidates.
fn ease_scores(
    ease: &super::ease::Ease,
    net: &TradeNetwork,
    purpose: Purpose,
    q: u32,
    s: &mut Scratch,
) {
    let mut all: Vec<(u32, f64)> = Vec::new();
    ease.scores(net, purpose, q, &mut s.ease, |j, e| all.push((j, e)));
    s.work += net.n_trades();
    let top = PER_SCORE.min(all.len());
    if all.len() > top {
        all.select_nth_unstable_by(top, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    for (k, &(j, e)) in all.iter().enumerate() {
        if j == q {
            continue;
        }
        if k < top {
            s.add(j, j, 0.0).s[stat::EASE] = e;
        } else if let Some(&slot) = s.slot.get(&j) {
            s.acc[slot as usize].s[stat::EASE] = e;
        }
    }
}

/// Collaboration, undirected and shared-partner statistics for a research query.
fn research_paths(
    ctx: &Context,
    net: &TradeNetwork,
    q: u32,
    budget: usize,
    seed: u64,
    s: &mut Scratch,
) {
    use stat::*;
    let part = budget / 4;
    let collab = ctx.collab.neighbours(q).to_vec();
    s.work += visit(
        &collab,
        |x| ctx.collab.neighbours(x),
        part,
        seed,
        |x, len, v, sc| {
            if v != q {
                let e = s.add(v, x, sc / len as f64);
                e.s[COLLAB_RA] += sc / len as f64;
                e.s[COLLAB_CN] += sc;
            }
        },
    );
    if let Some(g) = &ctx.undirected {
        let around = g.neighbours(q).to_vec();
        s.work += visit(
            &around,
            |x| g.neighbours(x),
            part,
            seed ^ 1,
            |x, len, v, sc| {
                if v != q {
                    let l = len as f64;
                    let e = s.add(v, x, sc / l);
                    e.s[UNDIRECTED_RA] += sc / l;
                    e.s[ADAMIC_ADAR] += sc / l.ln();
                    e.s[UNDIRECTED_CN] += sc;
                }
            },
        );
    }
    // Firms buying from the same suppliers (similar profiles), selling to the same
    // customers (complementary ones).
    let steps: [(Side, Side, usize); 2] = [
        (
            TradeNetwork::suppliers,
            TradeNetwork::customers,
            SHARED_SUPPLIERS,
        ),
        (
            TradeNetwork::customers,
            TradeNetwork::suppliers,
            SHARED_CUSTOMERS,
        ),
    ];
    for (out, back, stat) in steps {
        let heads = out(net, q).to_vec();
        s.work += visit(
            &heads,
            |x| back(net, x),
            part,
            seed ^ stat as u64,
            |x, len, v, sc| {
                if v != q {
                    s.add(v, x, sc / len as f64).s[stat] += sc / len as f64;
                }
            },
        );
    }
}

type Side = for<'a> fn(&'a TradeNetwork, u32) -> &'a [u32];

/// Candidates from industry and geography: the most active firms of the query's region in
/// the industries its industry trades (or researches) with most, and of its own partners'
/// main industries, and the most active firms of those industries nationwide.
fn market<'a>(ctx: &'a Context, purpose: Purpose, q: u32) -> impl Iterator<Item = u32> + 'a {
    let (cells, national) = match purpose {
        Purpose::Supplier => (&ctx.cell_suppliers, &ctx.national_suppliers),
        Purpose::Customer => (&ctx.cell_customers, &ctx.national_customers),
        Purpose::Research => (&ctx.cell_researchers, &ctx.national_researchers),
    };
    let mut industries: Vec<u32> = match &ctx.industries {
        None => vec![0],
        Some(ind) => {
            let own = ind.of(q) as usize;
            let (top, mix) = match purpose {
                Purpose::Supplier => (
                    &ind.top_supply[own],
                    Some(&ctx.facts[q as usize].supplier_mix),
                ),
                Purpose::Customer => (
                    &ind.top_sales[own],
                    Some(&ctx.facts[q as usize].customer_mix),
                ),
                Purpose::Research => (&ind.top_research[own], None),
            };
            let mut list = top.clone();
            if let Some(mix) = mix {
                list.extend(mix.industries());
            }
            list
        }
    };
    industries.sort_unstable();
    industries.dedup();
    let region = ctx.regions.as_ref().map_or(0, |r| r.code[q as usize]);
    industries.into_iter().flat_map(move |ind| {
        let local = cells[ctx.cell_of(region, ind)].iter();
        let wide = national[ind as usize].iter();
        local.chain(wide).copied().take(2 * CELL_TOP)
    })
}

/// Whether `v` is in the ascending list.
pub(crate) fn listed(list: &[u32], v: u32) -> bool {
    list.binary_search(&v).is_ok()
}

#[cfg(test)]
mod tests {
    use super::spaced;

    /// The stepped positions are the evenly spaced ones, every start and sample size.
    #[test]
    fn spaced_positions_are_the_formula() {
        for len in 1..40 {
            for m in 1..=len {
                for start in 0..len {
                    let got: Vec<usize> = spaced(start, len, m).collect();
                    let want: Vec<usize> = (0..m).map(|j| (start + j * len / m) % len).collect();
                    assert_eq!(got, want, "len {len}, m {m}, start {start}");
                }
            }
        }
    }
}
