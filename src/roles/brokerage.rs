//! Gould–Fernandez brokerage, exactly as R's `sna::brokerage(g, cl)`.
//!
//! Firm `b` brokers the ordered pair `(a, c)` when `a → b`, `b → c`, the three are distinct
//! and there is no `a → c` link (a reverse `c → a` does not matter; amounts are ignored). The
//! role depends on the groups of `a`, `b` and `c`: coordinator A→A→A (`w_I`), itinerant
//! A→B→A (`w_O`), representative A→A→B (`b_IO`, the METI seam: it carries its region's supply
//! out), gatekeeper A→B→B (`b_OI`), liaison A→B→C (`b_O`).
//!
//! Enumerating two-paths costs Σ in·out, far too much for hubs. Instead each broker's pairs
//! are counted from group histograms of its suppliers and customers in O(in + out), and the
//! pairs that do not count — `a = c` (reciprocal partners) and closed triads (`a → c`) —
//! are subtracted; closed triads are found by intersecting the shorter of two sorted lists.
//!
//! Expected values and standard deviations use sna's null model: each ordered pair is linked
//! independently with the density `d = m / (N (N − 1))`, and the moments depend on the group
//! sizes (the formulas of sna's `R/models.R`, implemented here from their published form).

use super::{check_firms, Groups};
use crate::error::Result;
use crate::monitor::{checkpoint, Monitor, Quiet};
use crate::network::TradeNetwork;
use crate::parallel::PerThread;
use ndarray::Array2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A brokerage role, in sna's column order.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{brokerage, Role};
/// let b = brokerage(&net, "region")?;
/// // b (X) passes a's (X) supply to c (Y): a representative.
/// assert_eq!(b.raw[1][Role::Representative as usize], 0.0); // a → c exists: closed
/// assert_eq!(b.raw[1][5], 0.0);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// A→A→A (`w_I`).
    Coordinator = 0,
    /// A→B→A (`w_O`).
    Itinerant = 1,
    /// A→A→B (`b_IO`).
    Representative = 2,
    /// A→B→B (`b_OI`).
    Gatekeeper = 3,
    /// A→B→C (`b_O`).
    Liaison = 4,
}

/// The roles in sna's order, with sna's short names.
pub const ROLES: [(Role, &str, &str); 5] = [
    (Role::Coordinator, "coordinator", "w_I"),
    (Role::Itinerant, "itinerant", "w_O"),
    (Role::Representative, "representative", "b_IO"),
    (Role::Gatekeeper, "gatekeeper", "b_OI"),
    (Role::Liaison, "liaison", "b_O"),
];

#[inline]
fn role(ga: u32, gb: u32, gc: u32) -> usize {
    if ga == gb {
        if gb == gc {
            0
        } else {
            2
        }
    } else if gb == gc {
        3
    } else if ga == gc {
        1
    } else {
        4
    }
}

/// Mean and standard deviation of the six counts (five roles and the total) under the null
/// model.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{brokerage, Role};
/// let b = brokerage(&net, "region")?;
/// let m = b.group_moments[0];
/// assert!(m.sd.iter().all(|&s| s >= 0.0));
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BrokerageMoments {
    /// Expected counts.
    pub expected: [f64; 6],
    /// Standard deviations.
    pub sd: [f64; 6],
}

/// Brokerage counts per firm (five roles and the total, in [`ROLES`] order), their moments
/// per group, and the network-level table (sna's `raw.gli`, `exp.gli`, `sd.gli`).
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{brokerage, Role};
/// let b = brokerage(&net, "region")?;
/// assert_eq!(b.raw.len(), net.n_firms());
/// assert_eq!(b.network_raw[5], b.raw.iter().map(|r| r[5]).sum::<f64>());
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brokerage {
    /// Counts (or amounts, for the weighted variant) per firm: five roles and the total.
    pub raw: Vec<[f64; 6]>,
    /// The groups the counts refer to.
    pub group: Vec<u32>,
    /// Moments per group (sna's `exp.grp`, `sd.grp`); empty for the weighted variant.
    pub group_moments: Vec<BrokerageMoments>,
    /// Network totals (sna's `raw.gli`).
    pub network_raw: [f64; 6],
    /// Network moments (sna's `exp.gli`, `sd.gli`); NaN for the weighted variant.
    pub network_moments: BrokerageMoments,
}

impl Brokerage {
    /// Expected counts of firm `i` (its group's).
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::{brokerage, Role};
    /// let b = brokerage(&net, "region")?;
    /// assert_eq!(b.expected(0), b.expected(1)); // same group, same expectation
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn expected(&self, i: usize) -> [f64; 6] {
        self.group_moments
            .get(self.group[i] as usize)
            .map_or([f64::NAN; 6], |m| m.expected)
    }

    /// Standard deviations of firm `i`'s counts.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::{brokerage, Role};
    /// let b = brokerage(&net, "region")?;
    /// assert!(b.sd(2).iter().all(|&s| s >= 0.0));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn sd(&self, i: usize) -> [f64; 6] {
        self.group_moments
            .get(self.group[i] as usize)
            .map_or([f64::NAN; 6], |m| m.sd)
    }

    /// The per-firm table as 24 columns: raw counts, expected counts, standard deviations and
    /// z-scores, each for the five roles and the total (in [`Role`] order), one row a column
    /// (shape 24 × firms). Column-major so that each column is one contiguous run: a data
    /// frame takes the rows as its columns without copying a million strided values.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::{brokerage, Role};
    /// let b = brokerage(&net, "region")?;
    /// let t = b.table();
    /// assert_eq!(t.dim(), (24, net.n_firms()));
    /// assert_eq!(t[[5, 2]], b.raw[2][5]);
    /// assert_eq!(t[[18 + 5, 2]].to_bits(), b.z(2)[5].to_bits());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn table(&self) -> Array2<f64> {
        let n = self.raw.len();
        let mut t = Array2::zeros((24, n));
        for (i, raw) in self.raw.iter().enumerate() {
            let (e, s, z) = (self.expected(i), self.sd(i), self.z(i));
            for (block, values) in [raw, &e, &s, &z].into_iter().enumerate() {
                for (k, &v) in values.iter().enumerate() {
                    t[[6 * block + k, i]] = v;
                }
            }
        }
        t
    }

    /// z-scores of firm `i`: `(raw − expected) / sd`; NaN where sd = 0 (0/0), as in sna.
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::{brokerage, Role};
    /// let b = brokerage(&net, "region")?;
    /// assert_eq!(b.z(0).len(), 6);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn z(&self, i: usize) -> [f64; 6] {
        let (e, s) = (self.expected(i), self.sd(i));
        std::array::from_fn(|k| (self.raw[i][k] - e[k]) / s[k])
    }

    /// Network z-scores (sna's `z.gli`).
    ///
    /// ```
    /// # let net = tsunagime::network::example()?;
    /// use tsunagime::roles::{brokerage, Role};
    /// let b = brokerage(&net, "region")?;
    /// assert_eq!(b.network_z().len(), 6);
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn network_z(&self) -> [f64; 6] {
        let m = &self.network_moments;
        std::array::from_fn(|k| (self.network_raw[k] - m.expected[k]) / m.sd[k])
    }
}

/// Gould–Fernandez brokerage counts with sna's null-model moments.
///
/// ```
/// use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
/// use tsunagime::roles::brokerage;
/// // A → B → C across two regions: B is a representative of region X for (A, C).
/// let firms = FirmTable::new(vec!["A", "B", "C"])
///     .with_partition("region", [Some("X"), Some("X"), Some("Y")]);
/// let trades = TradeTable::new(vec!["A", "B"], vec!["B", "C"]);
/// let (net, _) = NetworkBuilder::new().firms(firms).trades(trades).build()?;
/// let b = brokerage(&net, "region")?;
/// assert_eq!(b.raw[1], [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn brokerage(net: &TradeNetwork, region: &str) -> Result<Brokerage> {
    brokerage_with(net, region, false, &Quiet)
}

/// The amount-weighted extension (not in sna): each open two-path `a → b → c` counts the
/// amount of `a`'s supply to `b` that passes on to `c` if `b` mixes its inputs
/// proportionally, `Z[a,b] · Z[b,c] / S(b)` with `S(b)` all of `b`'s sales. A
/// representative's weighted score is then the in-region supply it carries out of the
/// region. There is no null model: moments are NaN.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::brokerage_weighted;
/// let w = brokerage_weighted(&net, "region")?;
/// assert_eq!(w.raw[1][5], 0.0); // b's only open two-path would be a → b → c, closed by a → c
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn brokerage_weighted(net: &TradeNetwork, region: &str) -> Result<Brokerage> {
    brokerage_with(net, region, true, &Quiet)
}

/// [`brokerage`] or [`brokerage_weighted`], reporting progress to a [`Monitor`].
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::brokerage_with;
/// let b = brokerage_with(&net, "region", false, &tsunagime::Quiet)?;
/// assert_eq!(b.raw.len(), 3);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn brokerage_with(
    net: &TradeNetwork,
    region: &str,
    weighted: bool,
    monitor: &dyn Monitor,
) -> Result<Brokerage> {
    brokerage_of(net, region, weighted, None, monitor)
}

/// [`brokerage_with`] for the brokers `firms` only (positions; all firms when `None`), in
/// their order: `raw` and `group` hold one row per firm asked and `network_raw` sums those
/// rows; the moments are the whole network's. A broker's counts depend on the network around
/// it, not on the other brokers, so blocks of firms can be computed apart (on several
/// machines) and put together.
///
/// ```
/// # use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
/// # let firms = FirmTable::new(vec!["a", "b", "c"])
/// #     .with_partition("region", [Some("X"), Some("X"), Some("Y")]);
/// # let trades = TradeTable::new(vec!["a", "b"], vec!["b", "c"]);
/// # let (net, _) = NetworkBuilder::new().firms(firms).trades(trades).build()?;
/// use tsunagime::roles::{brokerage, brokerage_of};
/// let some = brokerage_of(&net, "region", false, Some(&[1]), &tsunagime::Quiet)?;
/// assert_eq!(some.raw, vec![brokerage(&net, "region")?.raw[1]]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn brokerage_of(
    net: &TradeNetwork,
    region: &str,
    weighted: bool,
    firms: Option<&[u32]>,
    monitor: &dyn Monitor,
) -> Result<Brokerage> {
    let g = Groups::of(net, region)?;
    let n = net.n_firms();
    check_firms(net, firms)?;
    let m = firms.map_or(n, <[u32]>::len);
    let broker_at = |i: usize| firms.map_or(i as u32, |f| f[i]);
    let chunk = 1usize << 14;
    let mut raw = vec![[0.0f64; 6]; m];
    let scratch = PerThread::new(|| Scratch::new(n, g.n_groups));
    for (k, block) in raw.chunks_mut(chunk).enumerate() {
        let start = k * chunk;
        checkpoint(monitor, "brokerage", start as u64, m as u64)?;
        block.par_iter_mut().enumerate().for_each(|(off, out)| {
            let b = broker_at(start + off);
            *out = scratch.with(|s| {
                if weighted {
                    broker_weighted(net, &g, b, s)
                } else {
                    broker(net, &g, b, s)
                }
            });
        });
    }
    let mut network_raw = [0.0; 6];
    for r in &raw {
        for k in 0..6 {
            network_raw[k] += r[k];
        }
    }
    let (group_moments, network_moments) = if weighted {
        (
            Vec::new(),
            BrokerageMoments {
                expected: [f64::NAN; 6],
                sd: [f64::NAN; 6],
            },
        )
    } else {
        moments(n as f64, net.n_trades() as f64, &g.sizes())
    };
    let group = match firms {
        None => g.code,
        Some(f) => f.iter().map(|&b| g.code[b as usize]).collect(),
    };
    Ok(Brokerage {
        raw,
        group,
        group_moments,
        network_raw,
        network_moments,
    })
}

/// Per-thread work space.
struct Scratch {
    /// Suppliers of the current broker per group (counts or amounts).
    hist: Vec<f64>,
    /// `stamp[c] == b + 1` marks the customers of broker `b`.
    stamp: Vec<u32>,
}

impl Scratch {
    fn new(n: usize, groups: usize) -> Self {
        Scratch {
            hist: vec![0.0; groups],
            stamp: vec![0; n],
        }
    }
}

/// Visits the closed triads and reciprocal pairs of broker `b`: `f(a, c, e_ab, e_bc)` for
/// every `a → b → c` with `a → c` or `a = c`. Without `EDGES` the edge positions are not
/// looked up (`e_bc` is 0): the unweighted counts do not need them.
fn for_each_excluded<const EDGES: bool>(
    net: &TradeNetwork,
    b: u32,
    stamp: &mut [u32],
    mut f: impl FnMut(u32, u32, usize, usize),
) {
    let customers = net.customers(b);
    let out_b = net.out_edges(b);
    let mark = b + 1;
    for &c in customers {
        stamp[c as usize] = mark;
    }
    for (&e_ab, &a) in net.in_edges(b).iter().zip(net.suppliers(b)) {
        if stamp[a as usize] == mark {
            // a = c: b trades both ways with a.
            let k = if EDGES {
                out_b.start + customers.binary_search(&a).unwrap_or(0)
            } else {
                0
            };
            f(a, a, e_ab as usize, k);
        }
        let of_a = net.customers(a);
        if of_a.len() <= customers.len() {
            for &c in of_a {
                if stamp[c as usize] == mark {
                    let k = if EDGES {
                        out_b.start + customers.binary_search(&c).unwrap_or(0)
                    } else {
                        0
                    };
                    f(a, c, e_ab as usize, k);
                }
            }
        } else {
            // a sells to more firms than b: look a up among the suppliers of each customer
            // c of b when that list is the shorter one (it usually is: a hub's customers
            // mostly buy from few firms).
            for (k, &c) in customers.iter().enumerate() {
                let of_c = net.suppliers(c);
                let linked = if of_c.len() < of_a.len() {
                    of_c.binary_search(&a).is_ok()
                } else {
                    of_a.binary_search(&c).is_ok()
                };
                if c != a && linked {
                    f(a, c, e_ab as usize, out_b.start + k);
                }
            }
        }
    }
}

fn broker(net: &TradeNetwork, g: &Groups, b: u32, s: &mut Scratch) -> [f64; 6] {
    let gb = g.code[b as usize];
    let (suppliers, customers) = (net.suppliers(b), net.customers(b));
    for &a in suppliers {
        s.hist[g.code[a as usize] as usize] += 1.0;
    }
    let (n_a, n_c) = (suppliers.len() as f64, customers.len() as f64);
    let a_same = s.hist[gb as usize];
    let mut c_same = 0.0;
    let mut itinerant = 0.0;
    for &c in customers {
        let gc = g.code[c as usize];
        if gc == gb {
            c_same += 1.0;
        } else {
            itinerant += s.hist[gc as usize];
        }
    }
    for &a in suppliers {
        s.hist[g.code[a as usize] as usize] = 0.0;
    }
    let mut r = [
        a_same * c_same,
        itinerant,
        a_same * (n_c - c_same),
        (n_a - a_same) * c_same,
        (n_a - a_same) * (n_c - c_same) - itinerant,
        0.0,
    ];
    for_each_excluded::<false>(net, b, &mut s.stamp, |a, c, _, _| {
        r[role(g.code[a as usize], gb, g.code[c as usize])] -= 1.0;
    });
    r[5] = r[..5].iter().sum();
    r
}

fn broker_weighted(net: &TradeNetwork, g: &Groups, b: u32, s: &mut Scratch) -> [f64; 6] {
    let gb = g.code[b as usize];
    let sales: f64 = net.out_edges(b).map(|e| net.amount_or_one(e)).sum();
    if sales <= 0.0 {
        return [0.0; 6];
    }
    let (suppliers, customers) = (net.suppliers(b), net.customers(b));
    let in_edges = net.in_edges(b);
    let mut total_in = 0.0;
    for (&e, &a) in in_edges.iter().zip(suppliers) {
        let z = net.amount_or_one(e as usize);
        s.hist[g.code[a as usize] as usize] += z;
        total_in += z;
    }
    let a_same = s.hist[gb as usize];
    let (mut c_same, mut c_all, mut itinerant) = (0.0, 0.0, 0.0);
    for (e, &c) in net.out_edges(b).zip(customers) {
        let z = net.amount_or_one(e);
        let gc = g.code[c as usize];
        c_all += z;
        if gc == gb {
            c_same += z;
        } else {
            itinerant += s.hist[gc as usize] * z;
        }
    }
    for &a in suppliers {
        s.hist[g.code[a as usize] as usize] = 0.0;
    }
    let mut r = [
        a_same * c_same,
        itinerant,
        a_same * (c_all - c_same),
        (total_in - a_same) * c_same,
        (total_in - a_same) * (c_all - c_same) - itinerant,
        0.0,
    ];
    for_each_excluded::<true>(net, b, &mut s.stamp, |a, c, e_ab, e_bc| {
        let w = net.amount_or_one(e_ab) * net.amount_or_one(e_bc);
        r[role(g.code[a as usize], gb, g.code[c as usize])] -= w;
    });
    for x in r.iter_mut().take(5) {
        *x = (*x / sales).max(0.0);
    }
    r[5] = r[..5].iter().sum();
    r
}

/// sna's null-model moments per group and for the network, from the group sizes `n`.
fn moments(big_n: f64, m: f64, n: &[u64]) -> (Vec<BrokerageMoments>, BrokerageMoments) {
    // Empty groups contribute nothing to any sum below (every term has their size as a
    // factor), so they need no special case: sna only sees the classes present.
    let sizes: Vec<f64> = n.iter().map(|&x| x as f64).collect();
    let d = if big_n > 1.0 {
        m / (big_n * (big_n - 1.0))
    } else {
        f64::NAN
    };
    let q = d * d * (1.0 - d);
    let d3 = d.powi(3) * (1.0 - d).powi(3);
    let d4 = d.powi(4) * (1.0 - d).powi(2);
    let d5 = d.powi(5) * (1.0 - d);
    let choose2 = |x: f64| x * (x - 1.0) / 2.0;
    let nn = big_n;
    let per_group = |gi: usize| -> BrokerageMoments {
        let ni = sizes[gi];
        // sna's sums over n[-i]: every group but the broker's own.
        let rest: Vec<f64> = sizes
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != gi)
            .map(|(_, &x)| x)
            .collect();
        let mut e = [0.0; 6];
        let mut v = [0.0; 6];
        e[0] = q * (ni - 1.0) * (ni - 2.0);
        v[0] = e[0] * (1.0 - q) + 2.0 * (ni - 1.0) * (ni - 2.0) * (ni - 3.0) * d3;
        e[1] = q * rest.iter().map(|&x| x * (x - 1.0)).sum::<f64>();
        v[1] = e[1] * (1.0 - q)
            + 2.0 * rest.iter().map(|&x| x * (x - 1.0) * (x - 2.0)).sum::<f64>() * d3;
        e[2] = q * (nn - ni) * (ni - 1.0);
        v[2] = e[2] * (1.0 - q)
            + 2.0 * ((ni - 1.0) * choose2(nn - ni) + (nn - ni) * choose2(ni - 1.0)) * d3;
        e[3] = e[2];
        v[3] = v[2];
        let sum_rest: f64 = rest.iter().sum();
        let sum_sq: f64 = rest.iter().map(|&x| x * x).sum();
        e[4] = q * (sum_rest * sum_rest - sum_sq);
        v[4] = e[4] * (1.0 - q)
            + 4.0
                * rest
                    .iter()
                    .map(|&x| x * choose2(nn - x - ni) * d3)
                    .sum::<f64>();
        e[5] = q * (nn - 1.0) * (nn - 2.0);
        v[5] = e[5] * (1.0 - q) + 2.0 * (nn - 1.0) * (nn - 2.0) * (nn - 3.0) * d3;
        BrokerageMoments {
            expected: e,
            sd: v.map(f64::sqrt),
        }
    };
    let groups: Vec<BrokerageMoments> = (0..sizes.len()).map(per_group).collect();
    // Network level.
    let mut e = [0.0; 6];
    let mut v = [0.0; 6];
    let sum = |f: &dyn Fn(f64) -> f64| sizes.iter().map(|&x| f(x)).sum::<f64>();
    e[0] = q * sum(&|x| x * (x - 1.0) * (x - 2.0));
    v[0] = e[0] * (1.0 - q)
        + sum(&|x| {
            x * (x - 1.0)
                * (x - 2.0)
                * ((4.0 * x - 10.0) * d3 - 4.0 * (x - 3.0) * d4 + (x - 3.0) * d5)
        });
    e[1] = q * sum(&|x| x * (nn - x) * (x - 1.0));
    let mut outer = 0.0;
    for &x in &sizes {
        for &y in &sizes {
            outer += x * y * (x - 1.0) * ((2.0 * x + 2.0 * y - 6.0) * d3 + (nn - x - 1.0) * d5);
        }
    }
    v[1] = e[1] * (1.0 - q)
        + (outer - sum(&|x| x * x * (x - 1.0) * ((4.0 * x - 6.0) * d3 + (nn - x - 1.0) * d5)));
    e[2] = q * sum(&|x| x * (nn - x) * (x - 1.0));
    v[2] =
        e[2] * (1.0 - q) + sum(&|x| x * (nn - x) * (x - 1.0) * ((nn - 3.0) * d3 + (x - 2.0) * d5));
    e[3] = e[2];
    v[3] = v[2];
    let mut outer5 = 0.0;
    for &x in &sizes {
        for &y in &sizes {
            outer5 += x * y * (nn - x - y);
        }
    }
    e[4] = q * (outer5 - sum(&|x| x * x * (nn - 2.0 * x)));
    v[4] = e[4] * (1.0 - q);
    let k = sizes.len();
    for i in 0..k {
        for j in 0..k {
            for l in 0..k {
                if i != j && j != l && i != l {
                    let (ni, nj, nk) = (sizes[i], sizes[j], sizes[l]);
                    v[4] += ni
                        * nj
                        * nk
                        * ((4.0 * (nn - nj) - 2.0 * (ni + nk + 1.0)) * d3
                            - (4.0 * (nn - nk) - 2.0 * (ni + nj + 1.0)) * d4
                            + (nn - (ni + nk + 1.0)) * d5);
                }
            }
        }
    }
    e[5] = q * nn * (nn - 1.0) * (nn - 2.0);
    v[5] = e[5] * (1.0 - q)
        + nn * (nn - 1.0)
            * (nn - 2.0)
            * ((4.0 * nn - 10.0) * d3 - 4.0 * (nn - 3.0) * d4 + (nn - 3.0) * d5);
    (
        groups,
        BrokerageMoments {
            expected: e,
            sd: v.map(f64::sqrt),
        },
    )
}
