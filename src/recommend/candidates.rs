//! Candidate partners of one firm, and the path statistics that score them.
//!
//! Production networks are triangle-poor and square-rich, so the main signal is the 3-hop
//! path on the supplier/customer bipartite structure: for a firm `q` looking for suppliers,
//! `q ← s₁ → p ← v` — `p` buys from one of `q`'s suppliers ("a firm like you") and from `v`.
//! Each path weighs `1/(customers of s₁ · suppliers of p)`, the probability of a random walk
//! taking it from `q`; summed over paths this is symmetric in the link `v → q` up to the two
//! end degrees, so one statistic serves both sides of a reciprocal score. Around it come the
//! 2-hop statistics (tier-2 suppliers, resource allocation and common partners through the
//! same first step), the collaboration graph for research, and the most active firms
//! of the market cells (region × industry) the firm's industry trades with, so that a firm
//! with no trades still gets candidates from industry and geography.
//!
//! Hubs would make exact enumeration quadratic, so a neighbour list longer than [`CAP`] is
//! visited at [`CAP`] evenly spaced positions from a seeded offset, each visit weighing
//! `len / CAP`: an unbiased estimate of the full sum at a bounded cost per firm.

use super::context::{Context, CELL_TOP};
use super::features::listed;
use super::options::{Options, Purpose};
use crate::network::TradeNetwork;
use std::sync::Mutex;

/// Longest neighbour list visited in full.
pub(crate) const CAP: usize = 12;
/// Most peers ("firms like you") expanded in the walk's last step.
const MAX_PEERS: usize = 32;
/// Most candidates kept from the path statistics (strongest first); market candidates come
/// on top.
const MAX_PATH_CANDIDATES: usize = 80;
const NONE: u32 = u32::MAX;

/// Path statistics of one candidate partner `firm` of the query firm.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Paths {
    pub firm: u32,
    /// 3-hop bipartite walk weight (see the module docs).
    pub walk: f64,
    /// Number of 3-hop paths.
    pub paths: f64,
    /// Tier-2 weight: Σ 1/partners(x) over `v → x → q` (or `q → x → v`).
    pub tier2: f64,
    /// Resource allocation through the query's partners of the wanted kind's other side
    /// (its suppliers, for a supplier query): Σ 1/partners(x) over 2-hop paths.
    pub ra: f64,
    /// Number of those 2-hop paths (common partners).
    pub cn: f64,
    /// Resource allocation on the collaboration graph.
    pub collab_ra: f64,
    /// Common collaborators.
    pub collab_cn: f64,
    /// Shared suppliers, each weighing 1/its customers.
    pub shared_suppliers: f64,
    /// Shared customers, each weighing 1/its suppliers.
    pub shared_customers: f64,
    /// Position + 1 among the firms whose evidence is being collected (0: none).
    mark: u32,
}

impl Paths {
    fn strength(&self) -> f64 {
        self.walk
            + self.tier2
            + self.ra
            + self.collab_ra
            + self.shared_suppliers
            + self.shared_customers
    }
}

/// Per-thread work space: dense slots over all firms, reset after each query.
pub(crate) struct Scratch {
    slot: Vec<u32>,
    acc: Vec<Paths>,
    peer_slot: Vec<u32>,
    peers: Vec<(u32, f64)>,
    /// `(candidate's position in acc, middle firm, weight)` of the paths seen: the evidence.
    via: Vec<(u32, u32, f32)>,
    /// The candidates of the last query.
    pub out: Vec<Paths>,
}

impl Scratch {
    pub fn new(n: usize) -> Scratch {
        Scratch {
            slot: vec![NONE; n],
            acc: Vec::new(),
            peer_slot: vec![NONE; n],
            peers: Vec::new(),
            via: Vec::new(),
            out: Vec::new(),
        }
    }

    fn clear(&mut self) {
        for p in &self.acc {
            self.slot[p.firm as usize] = NONE;
        }
        for &(p, _) in &self.peers {
            self.peer_slot[p as usize] = NONE;
        }
        self.acc.clear();
        self.peers.clear();
        self.via.clear();
        self.out.clear();
    }

    /// Adds to candidate `v`'s statistics, remembering `x` as a firm tying it to the query
    /// with weight `w`.
    fn add(&mut self, v: u32, x: u32, w: f64, f: impl FnOnce(&mut Paths)) {
        let s = &mut self.slot[v as usize];
        if *s == NONE {
            *s = self.acc.len() as u32;
            self.acc.push(Paths {
                firm: v,
                ..Default::default()
            });
        }
        f(&mut self.acc[*s as usize]);
        self.via.push((*s, x, w as f32));
    }

    fn peer(&mut self, p: u32, w: f64) {
        let s = &mut self.peer_slot[p as usize];
        if *s == NONE {
            *s = self.peers.len() as u32;
            self.peers.push((p, 0.0));
        }
        self.peers[*s as usize].1 += w;
    }

    /// For each of `firms`, up to `n` firms tying it to the query, strongest first: one pass
    /// over the paths seen.
    pub fn shared_partners(&mut self, firms: &[u32], n: usize) -> Vec<Vec<u32>> {
        let mut via: Vec<Vec<(u32, f32)>> = vec![Vec::new(); firms.len()];
        for (k, &v) in firms.iter().enumerate() {
            if let Some(s) = self.slot.get(v as usize).filter(|&&s| s != NONE) {
                self.acc[*s as usize].mark = k as u32 + 1;
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
            if let Some(s) = self.slot.get(v as usize).filter(|&&s| s != NONE) {
                self.acc[*s as usize].mark = 0;
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

/// One [`Scratch`] per worker thread, made once per call (a scratch is two arrays over all
/// firms: making one per parallel task would cost more than the task).
pub(crate) struct Pool(Vec<Mutex<Scratch>>);

impl Pool {
    pub fn new(n: usize) -> Pool {
        Pool(
            (0..rayon::current_num_threads().max(1))
                .map(|_| Mutex::new(Scratch::new(n)))
                .collect(),
        )
    }

    /// Runs `f` with the current thread's scratch.
    pub fn with<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        let mut scratch = self.0[i].lock().unwrap_or_else(|e| e.into_inner());
        f(&mut scratch)
    }
}

/// A deterministic 64-bit mix (splitmix64's finaliser).
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Visits `list` in full, or at [`CAP`] evenly spaced positions from an offset drawn from
/// `key`, passing each element and the weight of one visit.
fn visit(list: &[u32], key: u64, mut f: impl FnMut(u32, f64)) {
    let len = list.len();
    if len <= CAP {
        list.iter().for_each(|&x| f(x, 1.0));
        return;
    }
    let start = (mix(key) % len as u64) as usize;
    let scale = len as f64 / CAP as f64;
    for j in 0..CAP {
        f(list[(start + j * len / CAP) % len], scale);
    }
}

fn key(seed: u64, a: u32, b: u32) -> u64 {
    seed ^ ((a as u64) << 32 | b as u64)
}

/// One side of a link: the lists a walk steps along.
type Side = for<'a> fn(&'a TradeNetwork, u32) -> &'a [u32];

/// The walk's directions for a purpose: `first` from the query towards the kind of partner
/// wanted (suppliers for `Supplier`), `second` back.
fn sides(purpose: Purpose) -> (Side, Side) {
    match purpose {
        Purpose::Customer => (TradeNetwork::customers, TradeNetwork::suppliers),
        _ => (TradeNetwork::suppliers, TradeNetwork::customers),
    }
}

/// Collects the candidates of `q` into `scratch.out` with their path statistics. With
/// `among`, exactly those firms (but `q`) are the candidates.
pub(crate) fn gather(
    ctx: &Context,
    net: &TradeNetwork,
    options: &Options,
    q: u32,
    among: Option<&[u32]>,
    scratch: &mut Scratch,
) {
    scratch.clear();
    let seed = options.seed;
    match options.purpose {
        Purpose::Research => research_paths(ctx, net, q, seed, scratch),
        purpose => trade_paths(ctx, net, purpose, q, seed, scratch),
    }
    let existing = |v: u32| match options.purpose {
        Purpose::Supplier => listed(net.suppliers(q), v),
        Purpose::Customer => listed(net.customers(q), v),
        Purpose::Research => ctx.collab.contains(q, v),
    };
    let keep = |v: u32| v != q && !(options.exclude_existing && existing(v));
    let Scratch { slot, acc, out, .. } = scratch;
    if let Some(list) = among {
        for &v in list {
            if keep(v) {
                let s = slot[v as usize];
                out.push(if s == NONE {
                    Paths {
                        firm: v,
                        ..Default::default()
                    }
                } else {
                    acc[s as usize]
                });
            }
        }
        return;
    }
    out.extend(acc.iter().filter(|p| keep(p.firm)).copied());
    if out.len() > MAX_PATH_CANDIDATES {
        out.select_nth_unstable_by(MAX_PATH_CANDIDATES, |a, b| {
            b.strength()
                .total_cmp(&a.strength())
                .then(a.firm.cmp(&b.firm))
        });
        out.truncate(MAX_PATH_CANDIDATES);
    }
    // Market firms once each (a firm can lead its cell and its industry nationwide), and
    // only those no path reached: a path candidate dropped above stays dropped.
    let mut market: Vec<u32> = market(ctx, options.purpose, q).collect();
    market.sort_unstable();
    market.dedup();
    out.extend(
        market
            .into_iter()
            .filter(|&v| slot[v as usize] == NONE && keep(v))
            .map(|v| Paths {
                firm: v,
                ..Default::default()
            }),
    );
}

/// Walk, tier-2 and 2-hop statistics for a supplier or customer query.
fn trade_paths(
    ctx: &Context,
    net: &TradeNetwork,
    purpose: Purpose,
    q: u32,
    seed: u64,
    s: &mut Scratch,
) {
    let (first, second) = sides(purpose);
    let partners = |x: u32| ctx.partners[x as usize].max(1) as f64;
    // q ← x (a supplier, for a supplier query) → p (a peer, weighing 1/len(second(x)));
    // the same visits give the 2-hop statistics through x (resource allocation, common
    // partners) and the tier-2 partners v → x → q. (2-hop paths through the other side —
    // a supplier's competitors, a customer's customers — were measured to add nothing.)
    visit(first(net, q), key(seed, q, q), |x, wx| {
        let outs = second(net, x);
        let (w_walk, w_ra) = (wx / outs.len() as f64, wx / partners(x));
        visit(outs, key(seed, q, x), |p, wp| {
            if p != q {
                s.peer(p, w_walk * wp);
                s.add(p, x, w_ra * wp, |e| {
                    e.ra += w_ra * wp;
                    e.cn += wx * wp;
                });
            }
        });
        visit(first(net, x), key(seed, x, q), |v, wv| {
            if v != q {
                s.add(v, x, w_ra * wv, |e| {
                    e.tier2 += w_ra * wv;
                    e.ra += w_ra * wv;
                    e.cn += wx * wv;
                });
            }
        });
    });
    if s.peers.len() > MAX_PEERS {
        s.peers
            .select_nth_unstable_by(MAX_PEERS, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for &(p, _) in &s.peers[MAX_PEERS..] {
            s.peer_slot[p as usize] = NONE;
        }
        s.peers.truncate(MAX_PEERS);
    }
    for k in 0..s.peers.len() {
        let (p, wp) = s.peers[k];
        let ins = first(net, p);
        let w = wp / ins.len().max(1) as f64;
        visit(ins, key(seed, p, q), |v, wv| {
            if v != q {
                s.add(v, p, w * wv, |e| {
                    e.walk += w * wv;
                    e.paths += wv;
                });
            }
        });
    }
}

/// Collaboration and shared-partner statistics for a research query.
fn research_paths(ctx: &Context, net: &TradeNetwork, q: u32, seed: u64, s: &mut Scratch) {
    visit(ctx.collab.neighbours(q), key(seed, q, q), |x, wx| {
        let w = 1.0 / ctx.collab.degree(x) as f64;
        visit(ctx.collab.neighbours(x), key(seed, x, q), |v, wv| {
            if v != q {
                s.add(v, x, wx * wv * w, |e| {
                    e.collab_ra += wx * wv * w;
                    e.collab_cn += wx * wv;
                });
            }
        });
    });
    // Firms buying from the same suppliers (similar profiles), selling to the same
    // customers (complementary ones).
    let steps: [(Side, Side, bool); 2] = [
        (TradeNetwork::suppliers, TradeNetwork::customers, true),
        (TradeNetwork::customers, TradeNetwork::suppliers, false),
    ];
    for (out, back, by_supplier) in steps {
        visit(out(net, q), key(seed, q, by_supplier as u32), |x, wx| {
            let list = back(net, x);
            let w = 1.0 / list.len() as f64;
            visit(list, key(seed, x, q), |v, wv| {
                if v != q {
                    s.add(v, x, wx * wv * w, |e| {
                        if by_supplier {
                            e.shared_suppliers += wx * wv * w;
                        } else {
                            e.shared_customers += wx * wv * w;
                        }
                    });
                }
            });
        });
    }
}

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
