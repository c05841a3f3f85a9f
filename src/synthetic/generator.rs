//! The generating process of [`synthetic_japan`]: firms, the market they search for
//! suppliers in, yearly link turnover, the panel of accounts, amounts and collaborations.

use super::japan::{Prefecture, BACKGROUND, INDUSTRIES, SUPPLY};
use super::sampling::{normal_cdf, pareto, stochastic_round, Cumulative};
use super::{Country, SyntheticConfig};
use crate::error::Result;
use crate::monitor::{checkpoint, Monitor, Quiet, POLL_EVERY};
use crate::network::distance_km;
use crate::network::{CollaborationTable, FirmTable, NetworkBuilder, TradeNetwork, TradeTable};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rustc_hash::FxHashSet;

/// First firm id; ids are nine-digit integers like a credit-bureau firm code.
const FIRST_ID: i64 = 100_000_001;
const N_IND: usize = INDUSTRIES.len();
/// Scale of firm locations around the capital (times the prefecture's spread).
const SPREAD: f64 = 0.7;
/// Share of supplier searches that look nationwide by attractiveness.
const NATIONAL: f64 = 0.2;
/// Attractiveness from which a firm sells nationwide (the top 5%: P(w ≥ 20) = 1/20).
const NATIONAL_FITNESS: f64 = 20.0;
/// Distance exponent of the gravity kernel between prefectures.
const GRAVITY: f64 = 1.5;

/// Builds the seeded Japan-like economy described in the [module docs](super).
///
/// ```
/// use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// let net = synthetic_japan(&SyntheticConfig { n_firms: 1_000, seed: 7, ..Default::default() })?;
/// assert_eq!(net.n_firms(), 1_000);
/// assert_eq!(net.partition("prefecture")?.n_groups(), 47);
/// let again = synthetic_japan(&SyntheticConfig { n_firms: 1_000, seed: 7, ..Default::default() })?;
/// assert!(net == again);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn synthetic_japan(config: &SyntheticConfig) -> Result<TradeNetwork> {
    synthetic_japan_with(config, &Quiet)
}

/// The same economy on Korea's 17 시도 (partitions `province`, `province_code`, `bloc`,
/// `industry`): [`synthetic_japan`] with [`Country::Korea`].
///
/// ```
/// use tsunagime::synthetic::{synthetic_korea, SyntheticConfig};
/// let net = synthetic_korea(&SyntheticConfig { n_firms: 1_000, seed: 7, ..Default::default() })?;
/// assert_eq!(net.partition("province")?.n_groups(), 17);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn synthetic_korea(config: &SyntheticConfig) -> Result<TradeNetwork> {
    let korea = SyntheticConfig {
        country: Country::Korea,
        ..config.clone()
    };
    synthetic_japan_with(&korea, &Quiet)
}

/// [`synthetic_japan`] reporting progress to a [`Monitor`], which can also stop it; the
/// regions are those of [`SyntheticConfig::country`].
pub fn synthetic_japan_with(
    config: &SyntheticConfig,
    monitor: &dyn Monitor,
) -> Result<TradeNetwork> {
    config.validate()?;
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let firms = Firms::place(config.n_firms, config.country.regions(), &mut rng);
    let market = Market::new(&firms);
    let links = wire(config, &firms, &market, &mut rng, monitor)?;
    let panel = Panel::simulate(config, &firms, &mut rng);
    let amounts = amounts(&firms, &links, &panel, &mut rng);
    let collabs = collaborations(config, &firms, &links, &mut rng);
    let table = firm_table(&firms, &panel, config.country.region());
    let id = |i: u32| FIRST_ID + i as i64;
    let trades = TradeTable::new(
        links.iter().map(|l| id(l.s)).collect::<Vec<_>>(),
        links.iter().map(|l| id(l.c)).collect::<Vec<_>>(),
    )
    .with_amount(amounts)
    .with_year(links.iter().map(|l| l.first).collect())
    .with_last_year(links.iter().map(|l| l.last).collect());
    let collab_table = CollaborationTable::new(
        collabs.iter().map(|c| id(c.0)).collect::<Vec<_>>(),
        collabs.iter().map(|c| id(c.1)).collect::<Vec<_>>(),
    )
    .with_year(collabs.iter().map(|c| c.2).collect());
    let (net, _) = NetworkBuilder::new()
        .firms(table)
        .trades(trades)
        .collaborations(collab_table)
        .build()?;
    Ok(net)
}

fn normal(rng: &mut impl Rng) -> f64 {
    rng.sample(StandardNormal)
}

/// Where the firms are, what they do and how big they are (latent).
struct Firms {
    regions: &'static [Prefecture],
    pref: Vec<u8>,
    ind: Vec<u8>,
    lat: Vec<f64>,
    lon: Vec<f64>,
    /// Latent size factor shared by sales and both degrees.
    size: Vec<f64>,
    /// Attractiveness as a supplier (Pareto, tail 1: customer counts with CCDF ~ k^-1).
    fitness: Vec<f64>,
    /// Propensity to have suppliers (Pareto, tail 1.5: supplier counts with CCDF ~ k^-1.5).
    want: Vec<f64>,
}

impl Firms {
    fn place(n: usize, regions: &'static [Prefecture], rng: &mut impl Rng) -> Firms {
        let pref_pick = Cumulative::new(regions.iter().map(|p| p.firms));
        let logs: Vec<f64> = regions.iter().map(|p| p.firms.ln()).collect();
        let (lo, hi) = logs
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        let ind_pick: Vec<Cumulative> = logs
            .iter()
            .map(|&l| {
                let urbanity = (l - lo) / (hi - lo);
                Cumulative::new(
                    INDUSTRIES
                        .iter()
                        .map(|i| i.share * (i.urban * (urbanity - 0.5)).exp()),
                )
            })
            .collect();
        let fitness_cap = (n as f64).powf(0.7).max(10.0);
        let want_cap = ((n as f64).powf(0.6) / 2.0).max(5.0);
        let mut f = Firms {
            regions,
            pref: Vec::with_capacity(n),
            ind: Vec::with_capacity(n),
            lat: Vec::with_capacity(n),
            lon: Vec::with_capacity(n),
            size: Vec::with_capacity(n),
            fitness: Vec::with_capacity(n),
            want: Vec::with_capacity(n),
        };
        for _ in 0..n {
            let p = pref_pick.sample(rng).unwrap_or(0);
            let pref = &regions[p];
            f.pref.push(p as u8);
            f.ind.push(ind_pick[p].sample(rng).unwrap_or(0) as u8);
            let spread = SPREAD * pref.spread;
            let lat = (pref.lat + spread * normal(rng)).clamp(-89.0, 89.0);
            let lon = pref.lon + spread * normal(rng) / pref.lat.to_radians().cos();
            f.lat.push((lat * 1e5).round() / 1e5);
            f.lon.push((lon * 1e5).round() / 1e5);
            let z = normal(rng);
            f.size.push(z);
            let u_fit = normal_cdf(0.7 * z + 0.714 * normal(rng));
            f.fitness.push(pareto(u_fit, 1.0).min(fitness_cap));
            let u_want = normal_cdf(0.6 * z + 0.8 * normal(rng));
            f.want.push(pareto(u_want, 1.5).min(want_cap));
        }
        f
    }

    fn len(&self) -> usize {
        self.pref.len()
    }
}

/// Where a customer looks for suppliers: per (prefecture, industry) cell the firms and their
/// attractiveness, which industries supply which, and a gravity kernel between prefectures.
struct Market {
    cells: Vec<Vec<u32>>,
    cell_fitness: Vec<Cumulative>,
    /// Per industry, its large firms nationwide by attractiveness: large firms sell nationally.
    national: Vec<(Vec<u32>, Cumulative)>,
    supply: Vec<Cumulative>,
    gravity: Vec<Cumulative>,
}

impl Market {
    fn new(f: &Firms) -> Market {
        let mut cells = vec![Vec::new(); f.regions.len() * N_IND];
        for i in 0..f.len() {
            cells[f.pref[i] as usize * N_IND + f.ind[i] as usize].push(i as u32);
        }
        let cell_fitness = cells
            .iter()
            .map(|c| Cumulative::new(c.iter().map(|&i| f.fitness[i as usize])))
            .collect();
        let national = (0..N_IND)
            .map(|ind| {
                let firms: Vec<u32> = (0..f.len() as u32)
                    .filter(|&i| {
                        f.ind[i as usize] as usize == ind
                            && f.fitness[i as usize] >= NATIONAL_FITNESS
                    })
                    .collect();
                let weights = Cumulative::new(firms.iter().map(|&i| f.fitness[i as usize]));
                (firms, weights)
            })
            .collect();
        let supply = SUPPLY
            .iter()
            .map(|row| {
                let mut w = [BACKGROUND; N_IND];
                for &(s, weight) in row.iter() {
                    w[s] += weight;
                }
                Cumulative::new(w)
            })
            .collect();
        // Gravity: mass of the other prefecture over distance (floored at 30 km).
        let gravity = f
            .regions
            .iter()
            .map(|a| {
                Cumulative::new(f.regions.iter().map(|b| {
                    if a.code == b.code {
                        0.0
                    } else {
                        b.firms
                            / distance_km(a.lat, a.lon, b.lat, b.lon)
                                .max(30.0)
                                .powf(GRAVITY)
                    }
                }))
            })
            .collect();
        Market {
            cells,
            cell_fitness,
            national,
            supply,
            gravity,
        }
    }

    /// A new supplier for customer `c`: an industry that supplies c's industry (or the
    /// given one); then, with probability [`NATIONAL`], a large firm of that industry anywhere
    /// by attractiveness (large firms sell nationwide); else c's prefecture (probability `local`)
    /// or one drawn by gravity, and a firm of that cell by attractiveness — or uniformly with
    /// probability `theta`, which makes large customers buy from small suppliers
    /// (disassortative mixing).
    fn supplier(
        &self,
        c: u32,
        theta: f64,
        industry: Option<u8>,
        local: f64,
        f: &Firms,
        rng: &mut impl Rng,
    ) -> Option<u32> {
        let ci = c as usize;
        for _ in 0..20 {
            let ind = match industry {
                Some(i) => i as usize,
                None => self.supply[f.ind[ci] as usize].sample(rng)?,
            };
            if rng.random::<f64>() < NATIONAL {
                let (firms, weights) = &self.national[ind];
                match weights.sample(rng).map(|k| firms[k]) {
                    Some(s) if s != c => return Some(s),
                    _ => continue,
                }
            }
            let pref = if rng.random::<f64>() < local {
                f.pref[ci] as usize
            } else {
                self.gravity[f.pref[ci] as usize].sample(rng)?
            };
            let cell = pref * N_IND + ind;
            let firms = &self.cells[cell];
            if firms.is_empty() {
                continue;
            }
            let pick = if rng.random::<f64>() < theta || self.cell_fitness[cell].is_empty() {
                rng.random_range(0..firms.len())
            } else {
                self.cell_fitness[cell].sample(rng)?
            };
            let s = firms[pick];
            if s != c {
                return Some(s);
            }
        }
        None
    }
}

/// A link and the years it is observed.
#[derive(Debug, Clone, Copy)]
struct Link {
    s: u32,
    c: u32,
    first: i32,
    last: i32,
}

/// Suppliers of each customer and customers of each supplier, for copying peers' suppliers.
struct Adjacency {
    sup_off: Vec<usize>,
    sup: Vec<u32>,
    cus_off: Vec<usize>,
    cus: Vec<u32>,
}

impl Adjacency {
    fn new(n: usize, links: &[Link], active: &[usize]) -> Adjacency {
        let csr = |key: &dyn Fn(&Link) -> u32, val: &dyn Fn(&Link) -> u32| {
            let mut off = vec![0usize; n + 1];
            for &l in active {
                off[key(&links[l]) as usize + 1] += 1;
            }
            for i in 0..n {
                off[i + 1] += off[i];
            }
            let mut next = off.clone();
            let mut out = vec![0u32; active.len()];
            for &l in active {
                let k = key(&links[l]) as usize;
                out[next[k]] = val(&links[l]);
                next[k] += 1;
            }
            (off, out)
        };
        let (sup_off, sup) = csr(&|l| l.c, &|l| l.s);
        let (cus_off, cus) = csr(&|l| l.s, &|l| l.c);
        Adjacency {
            sup_off,
            sup,
            cus_off,
            cus,
        }
    }

    fn suppliers(&self, c: u32) -> &[u32] {
        &self.sup[self.sup_off[c as usize]..self.sup_off[c as usize + 1]]
    }

    fn customers(&self, s: u32) -> &[u32] {
        &self.cus[self.cus_off[s as usize]..self.cus_off[s as usize + 1]]
    }

    /// "Firms that buy what your peers buy": a supplier of a peer that shares a supplier with
    /// `c`. Each success closes a 4-cycle c ← s1 → peer ← s2, never a triangle by itself.
    fn copy(&self, c: u32, rng: &mut impl Rng) -> Option<u32> {
        for _ in 0..10 {
            let mine = self.suppliers(c);
            if mine.is_empty() {
                return None;
            }
            let s1 = mine[rng.random_range(0..mine.len())];
            let peers = self.customers(s1);
            let peer = peers[rng.random_range(0..peers.len())];
            if peer == c {
                continue;
            }
            let theirs = self.suppliers(peer);
            let s2 = theirs[rng.random_range(0..theirs.len())];
            if s2 != c && s2 != s1 {
                return Some(s2);
            }
        }
        None
    }
}

/// The links over the years: an initial network, then each year survival and replacement.
fn wire(
    config: &SyntheticConfig,
    f: &Firms,
    market: &Market,
    rng: &mut impl Rng,
    monitor: &dyn Monitor,
) -> Result<Vec<Link>> {
    let n = f.len();
    let (start, end) = (config.start_year, config.end_year);
    let turnover_years = (end - start) as f64;
    // Links ever observed = initial links × (1 + yearly turnover × years): solve for the
    // initial mean number of suppliers.
    let initial_mean = config.mean_degree / (1.0 + (1.0 - config.survival) * turnover_years);
    let mean_want = f.want.iter().sum::<f64>() / n as f64;
    let stubs: Vec<usize> = f
        .want
        .iter()
        .map(|w| stochastic_round(w * initial_mean / mean_want, rng).min(n.saturating_sub(1)))
        .collect();
    let theta: Vec<f64> = stubs
        .iter()
        .map(|&k| (0.1 * (k.max(1) as f64).ln()).clamp(0.0, 0.5))
        .collect();
    let mut book = LinkBook::new((config.mean_degree * n as f64 * 1.05) as usize, end);
    // Initial year: first each customer's own searches, then copies of peers' suppliers.
    let mut copies = vec![0usize; n];
    let total = 2 * n as u64 + (end - start) as u64;
    for c in 0..n {
        if (c as u64).is_multiple_of(POLL_EVERY) {
            checkpoint(monitor, "wiring firms", c as u64, total)?;
        }
        let k = stubs[c];
        let n_copy = (1..k)
            .filter(|_| rng.random::<f64>() < config.copy_share)
            .count();
        copies[c] = n_copy;
        for _ in 0..k - n_copy {
            if let Some(s) = market.supplier(c as u32, theta[c], None, config.local_share, f, rng) {
                book.add(s, c as u32, start);
            }
        }
    }
    let all: Vec<usize> = (0..book.links.len()).collect();
    let adjacency = Adjacency::new(n, &book.links, &all);
    for c in 0..n {
        if (c as u64).is_multiple_of(POLL_EVERY) {
            checkpoint(monitor, "wiring firms", (n + c) as u64, total)?;
        }
        for _ in 0..copies[c] {
            let s = adjacency
                .copy(c as u32, rng)
                .filter(|&s| !book.contains(s, c as u32))
                .or_else(|| market.supplier(c as u32, theta[c], None, config.local_share, f, rng));
            if let Some(s) = s {
                book.add(s, c as u32, start);
            }
        }
    }
    // Later years: each link survives with probability `survival`; a customer that loses a
    // supplier finds a new one by copying a peer or by searching, often in the same industry.
    let mut active: Vec<usize> = (0..book.links.len()).collect();
    for year in start + 1..=end {
        checkpoint(
            monitor,
            "wiring firms",
            2 * n as u64 + (year - start) as u64,
            total,
        )?;
        let adjacency = Adjacency::new(n, &book.links, &active);
        let links = &mut book.links;
        let mut next = Vec::with_capacity(active.len());
        let mut lost = Vec::new();
        for &l in &active {
            if rng.random::<f64>() < config.survival {
                next.push(l);
            } else {
                links[l].last = year - 1;
                lost.push((links[l].c, f.ind[links[l].s as usize]));
            }
        }
        for (c, industry) in lost {
            let same = (rng.random::<f64>() < 0.5).then_some(industry);
            let mut found = None;
            for _ in 0..3 {
                let s = if rng.random::<f64>() < config.copy_share_new {
                    adjacency.copy(c, rng)
                } else {
                    None
                };
                let s = s.or_else(|| {
                    market.supplier(c, theta[c as usize], same, config.local_share, f, rng)
                });
                if let Some(s) = s {
                    if book.add(s, c, year) {
                        found = Some(book.links.len() - 1);
                        break;
                    }
                }
            }
            next.extend(found);
        }
        active = next;
    }
    Ok(book.links)
}

/// The links created so far and the set of their pairs (a pair is created at most once).
struct LinkBook {
    links: Vec<Link>,
    pairs: FxHashSet<u64>,
    end: i32,
}

impl LinkBook {
    fn new(capacity: usize, end: i32) -> Self {
        let mut pairs = FxHashSet::default();
        pairs.reserve(capacity);
        LinkBook {
            links: Vec::with_capacity(capacity),
            pairs,
            end,
        }
    }

    fn contains(&self, s: u32, c: u32) -> bool {
        self.pairs.contains(&(((s as u64) << 32) | c as u64))
    }

    /// Adds `s → c` first observed in `first`; false when the pair already exists.
    fn add(&mut self, s: u32, c: u32, first: i32) -> bool {
        let fresh = self.pairs.insert(((s as u64) << 32) | c as u64);
        if fresh {
            self.links.push(Link {
                s,
                c,
                first,
                last: self.end,
            });
        }
        fresh
    }
}

/// Sales, employees and operating profit per firm and year.
struct Panel {
    years: Vec<i32>,
    sales: Vec<Vec<f64>>,
    employees: Vec<Vec<f64>>,
    profit: Vec<Vec<f64>>,
}

impl Panel {
    fn simulate(config: &SyntheticConfig, f: &Firms, rng: &mut impl Rng) -> Panel {
        let years: Vec<i32> = (config.start_year..=config.end_year).collect();
        let n = f.len();
        let mut sales = vec![Vec::with_capacity(n); years.len()];
        let mut employees = vec![Vec::with_capacity(n); years.len()];
        let mut profit = vec![Vec::with_capacity(n); years.len()];
        let round3 = |x: f64| (x * 1000.0).round() / 1000.0;
        for i in 0..n {
            // Sales in million yen: Pareto (tail 1.05, Zipf-like) tied to the latent size.
            let u = normal_cdf(0.9 * f.size[i] + 0.436 * normal(rng));
            let mut s = (15.0 * pareto(u, 1.05)).min(5.0e6);
            let drift = 0.01 + 0.04 * normal(rng);
            let margin = 0.035 + 0.04 * normal(rng);
            let productivity =
                INDUSTRIES[f.ind[i] as usize].sales_per_employee * (0.3 * normal(rng)).exp();
            for y in 0..years.len() {
                if y > 0 {
                    s *= (drift + 0.08 * normal(rng)).exp();
                }
                sales[y].push(round3(s));
                employees[y].push((s / productivity).round().max(1.0));
                profit[y].push(round3(s * (margin + 0.02 * normal(rng))));
            }
        }
        Panel {
            years,
            sales,
            employees,
            profit,
        }
    }
}

/// Yearly amount of each link (million yen): the customer spends a share of its sales on the
/// observed suppliers, split by supplier size; suppliers never sell more than 80% of their
/// own sales through observed links. So every firm's input coefficients sum to < 1.
fn amounts(f: &Firms, links: &[Link], panel: &Panel, rng: &mut impl Rng) -> Vec<f64> {
    let n = f.len();
    let sales = panel.sales.last().map(Vec::as_slice).unwrap_or(&[]);
    let weight: Vec<f64> = links
        .iter()
        .map(|l| f.fitness[l.s as usize].sqrt() * (0.5 * normal(rng)).exp())
        .collect();
    let mut total = vec![0.0; n];
    for (l, w) in links.iter().zip(&weight) {
        total[l.c as usize] += w;
    }
    let input_share: Vec<f64> = (0..n).map(|_| rng.random_range(0.3..0.6)).collect();
    let mut amount: Vec<f64> = links
        .iter()
        .zip(&weight)
        .map(|(l, w)| sales[l.c as usize] * input_share[l.c as usize] * w / total[l.c as usize])
        .collect();
    let mut sold = vec![0.0; n];
    for (l, a) in links.iter().zip(&amount) {
        sold[l.s as usize] += a;
    }
    for (l, a) in links.iter().zip(amount.iter_mut()) {
        let cap = 0.8 * sales[l.s as usize];
        if sold[l.s as usize] > cap {
            *a *= cap / sold[l.s as usize];
        }
        *a = ((*a * 1000.0).floor() / 1000.0).max(0.0);
    }
    amount
}

/// One step along the supply chain: a firm's suppliers or its customers.
type Step = fn(&Adjacency, u32) -> &[u32];

/// Joint-research ties: research-minded firms (by industry, larger ones more often) with a
/// firm two supply-chain steps away, or a research-minded firm of the same bloc, or anywhere.
fn collaborations(
    config: &SyntheticConfig,
    f: &Firms,
    links: &[Link],
    rng: &mut impl Rng,
) -> Vec<(u32, u32, i32)> {
    let n = f.len();
    let target = (config.collaboration_rate * n as f64).round() as usize;
    if n < 2 || target == 0 {
        return Vec::new();
    }
    let research = |i: usize| INDUSTRIES[f.ind[i] as usize].research;
    let pick = Cumulative::new((0..n).map(|i| research(i) * (0.5 * f.size[i]).exp()));
    let all: Vec<usize> = (0..links.len()).collect();
    let adjacency = Adjacency::new(n, links, &all);
    let years = (config.end_year - config.start_year + 1) as usize;
    let mut seen = FxHashSet::default();
    let mut out = Vec::with_capacity(target);
    for _ in 0..target * 20 {
        if out.len() >= target {
            break;
        }
        let Some(a) = pick.sample(rng) else { break };
        let r = rng.random::<f64>();
        let b = if r < 0.5 {
            // Two steps along the supply chain: a supplier's other customer or a customer's
            // other supplier (similar or complementary profiles).
            let a32 = a as u32;
            let (first, second): (&[u32], Step) = if rng.random::<bool>() {
                (adjacency.suppliers(a32), Adjacency::customers)
            } else {
                (adjacency.customers(a32), Adjacency::suppliers)
            };
            if first.is_empty() {
                continue;
            }
            let mid = first[rng.random_range(0..first.len())];
            let next = second(&adjacency, mid);
            let b = next[rng.random_range(0..next.len())] as usize;
            if rng.random::<f64>() > research(b) {
                continue;
            }
            b
        } else {
            let Some(b) = pick.sample(rng) else { break };
            let same_bloc =
                f.regions[f.pref[a] as usize].bloc == f.regions[f.pref[b] as usize].bloc;
            if r < 0.8 && !same_bloc {
                continue;
            }
            b
        };
        if a == b {
            continue;
        }
        let (x, y) = (a.min(b) as u32, a.max(b) as u32);
        if seen.insert(((x as u64) << 32) | y as u64) {
            out.push((x, y, config.start_year + rng.random_range(0..years) as i32));
        }
    }
    out
}

fn firm_table(f: &Firms, panel: &Panel, region: &str) -> FirmTable {
    let n = f.len();
    let ids: Vec<i64> = (0..n as i64).map(|i| FIRST_ID + i).collect();
    let codes: Vec<String> = f.regions.iter().map(|p| format!("{:02}", p.code)).collect();
    let mut t = FirmTable::new(ids)
        .with_partition(
            region,
            f.pref.iter().map(|&p| Some(f.regions[p as usize].name)),
        )
        .with_partition(
            &format!("{region}_code"),
            f.pref.iter().map(|&p| Some(codes[p as usize].as_str())),
        )
        .with_partition(
            "bloc",
            f.pref.iter().map(|&p| Some(f.regions[p as usize].bloc)),
        )
        .with_partition(
            "industry",
            f.ind.iter().map(|&i| Some(INDUSTRIES[i as usize].name)),
        )
        .with_attribute("lat", f.lat.clone())
        .with_attribute("lon", f.lon.clone());
    let last = panel.years.len() - 1;
    t = t
        .with_attribute("sales", panel.sales[last].clone())
        .with_attribute("employees", panel.employees[last].clone())
        .with_attribute("operating_profit", panel.profit[last].clone());
    for (y, year) in panel.years.iter().enumerate() {
        t = t
            .with_attribute(&format!("sales_{year}"), panel.sales[y].clone())
            .with_attribute(&format!("employees_{year}"), panel.employees[y].clone())
            .with_attribute(&format!("operating_profit_{year}"), panel.profit[y].clone());
    }
    t
}
