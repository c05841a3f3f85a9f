//! What the scorer knows about a network besides its links: industries and regions as dense
//! codes, coordinates, industry-pair propensities learned from the links, each firm's main
//! partner industries, local market shares, the most active firms of each market cell, and
//! the collaboration graph. Built once per network in O(firms + links).

use super::candidates::PER_SCORE;
use super::ease::{Ease, BASELINE_WORK, FEATURE_WORK};
use super::options::{Options, Purpose};
use super::undirected::{for_each_shared, Undirected};
use crate::error::{Error, Result};
use crate::network::distance_km;
use crate::network::TradeNetwork;
use crate::roles::Groups;
use rayon::prelude::*;

/// How many firms of each market cell (and of each industry nationwide) are kept as
/// candidates from industry and geography alone.
pub(crate) const CELL_TOP: usize = 6;
/// How many partner industries are remembered per firm and side.
const TOP_INDUSTRIES: usize = 3;
/// Additive smoothing of industry-pair propensities (links).
const SMOOTHING: f64 = 1.0;

/// The main industries among a firm's suppliers or customers, with their shares (in
/// 1/65535ths; industries beyond 65,534 are not remembered).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mix {
    industry: [u16; TOP_INDUSTRIES],
    share: [u16; TOP_INDUSTRIES],
}

impl Default for Mix {
    fn default() -> Self {
        Mix {
            industry: [u16::MAX; TOP_INDUSTRIES],
            share: [0; TOP_INDUSTRIES],
        }
    }
}

impl Mix {
    fn of(partners: &[u32], industry: &[u32]) -> Mix {
        let mut counts: Vec<(u32, u32)> = Vec::with_capacity(partners.len().min(16));
        for &p in partners {
            let ind = industry[p as usize];
            match counts.iter_mut().find(|(i, _)| *i == ind) {
                Some(c) => c.1 += 1,
                None => counts.push((ind, 1)),
            }
        }
        counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut mix = Mix::default();
        let kept = counts.iter().filter(|c| c.0 < u16::MAX as u32);
        for (k, &(ind, c)) in kept.take(TOP_INDUSTRIES).enumerate() {
            mix.industry[k] = ind as u16;
            mix.share[k] = (65535.0 * c as f64 / partners.len() as f64).round() as u16;
        }
        mix
    }

    /// Share of the partners in `industry` (0 beyond the top ones).
    pub fn share(&self, industry: u32) -> f64 {
        self.industry
            .iter()
            .position(|&i| i as u32 == industry)
            .map_or(0.0, |k| self.share[k] as f64 / 65535.0)
    }

    /// The main industries, most frequent first.
    pub fn industries(&self) -> impl Iterator<Item = u32> + '_ {
        self.industry
            .iter()
            .filter(|&&i| i != u16::MAX)
            .map(|&i| i as u32)
    }
}

/// What the features read about one firm, packed in one cache line: scoring a candidate
/// then costs one memory access, not one per array.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
pub(crate) struct Facts {
    /// Coordinates in degrees and the latitude's cosine (NaN when unknown).
    pub lat: f32,
    pub lon: f32,
    pub cos_lat: f32,
    /// ln(1 + customers), ln(1 + suppliers).
    pub ln_customers: f32,
    pub ln_suppliers: f32,
    /// ln of the firm's customers over its market cell's (region × industry), both plus
    /// one per firm: its share of the local market as a supplier.
    pub ln_supplier_share: f32,
    /// Region and industry codes ([`UNKNOWN`] when missing or not used).
    pub region: u32,
    pub industry: u32,
    pub supplier_mix: Mix,
    pub customer_mix: Mix,
}

/// Code of a missing region or industry in [`Facts`].
pub(crate) const UNKNOWN: u32 = u32::MAX;

impl Facts {
    /// Whether two firms share a known region.
    pub fn same_region(&self, other: &Facts) -> bool {
        self.region != UNKNOWN && self.region == other.region
    }

    /// Whether two firms share a known industry.
    pub fn same_industry(&self, other: &Facts) -> bool {
        self.industry != UNKNOWN && self.industry == other.industry
    }

    /// The distance by the equirectangular approximation (within 1% at a country's
    /// scale, a few times faster than the great circle): for features, not for reports.
    pub fn rough_distance(&self, other: &Facts) -> Option<f64> {
        let mut dlon = (other.lon - self.lon).abs() as f64;
        if dlon > 180.0 {
            dlon = 360.0 - dlon;
        }
        let x = dlon.to_radians() * 0.5 * (self.cos_lat + other.cos_lat) as f64;
        let y = ((other.lat - self.lat) as f64).to_radians();
        let d = 6371.0 * (x * x + y * y).sqrt();
        d.is_finite().then_some(d)
    }
}

/// Industry-level facts: propensities learned from the links and collaborations.
#[derive(Debug, Clone)]
pub(crate) struct Industries {
    pub codes: Groups,
    /// `supply[c * k + s]`: share of industry c's purchases (links) from industry s.
    pub supply: Vec<f64>,
    /// Natural logarithms of `supply`, of the sales shares (`[s * k + c]`: share of
    /// industry s's sales to industry c) and of `research`.
    pub ln_supply: Vec<f64>,
    pub ln_sales: Vec<f64>,
    pub ln_research: Vec<f64>,
    /// `research[a * k + b]`: collaborations between industries a and b over the product of
    /// their sizes, relative to the average (1 = as often as chance).
    pub research: Vec<f64>,
    /// Per industry, the industries it buys most from, sells most to, researches most with.
    pub top_supply: Vec<Vec<u32>>,
    pub top_sales: Vec<Vec<u32>>,
    pub top_research: Vec<Vec<u32>>,
}

/// Per row of a k × k matrix, the columns with the largest values.
fn top_columns(matrix: &[f64], k: usize) -> Vec<Vec<u32>> {
    (0..k)
        .map(|a| {
            let mut cols: Vec<u32> = (0..k as u32).collect();
            cols.sort_by(|&x, &y| {
                matrix[a * k + y as usize]
                    .total_cmp(&matrix[a * k + x as usize])
                    .then(x.cmp(&y))
            });
            cols.truncate(TOP_INDUSTRIES);
            cols
        })
        .collect()
}

impl Industries {
    fn new(net: &TradeNetwork, codes: Groups, collab: &Collaborations) -> Industries {
        let k = codes.len();
        let code = &codes.code;
        let mut counts = vec![0.0f64; k * k];
        for (&s, &c) in net.edge_suppliers().iter().zip(net.edge_customers()) {
            counts[code[c as usize] as usize * k + code[s as usize] as usize] += 1.0;
        }
        let normalise = |by_row: &dyn Fn(usize, usize) -> f64| {
            let mut out = vec![0.0; k * k];
            for a in 0..k {
                let total: f64 = (0..k).map(|b| by_row(a, b)).sum();
                for b in 0..k {
                    out[a * k + b] = (by_row(a, b) + SMOOTHING) / (total + SMOOTHING * k as f64);
                }
            }
            out
        };
        let supply = normalise(&|c, s| counts[c * k + s]);
        let sales = normalise(&|s, c| counts[c * k + s]);
        let mut sizes = vec![0.0f64; k];
        for &c in code {
            sizes[c as usize] += 1.0;
        }
        let mut pairs = vec![0.0f64; k * k];
        let mut total = 0.0;
        for (a, b) in collab.pairs() {
            let (x, y) = (code[a as usize] as usize, code[b as usize] as usize);
            pairs[x * k + y] += 1.0;
            if x != y {
                pairs[y * k + x] += 1.0;
            }
            total += 1.0;
        }
        let n = code.len() as f64;
        // Observed over expected under random pairing, both smoothed by one collaboration.
        let research: Vec<f64> = (0..k * k)
            .map(|ab| {
                let expected = total * sizes[ab / k] * sizes[ab % k] / (n * n / 2.0).max(1.0);
                (pairs[ab] + 1.0) / (expected + 1.0)
            })
            .collect();
        let ln = |m: &[f64]| m.iter().map(|x| x.ln()).collect();
        Industries {
            ln_supply: ln(&supply),
            ln_sales: ln(&sales),
            ln_research: ln(&research),
            top_supply: top_columns(&supply, k),
            top_sales: top_columns(&sales, k),
            top_research: top_columns(&research, k),
            codes,
            supply,
            research,
        }
    }

    pub fn k(&self) -> usize {
        self.codes.len()
    }

    pub fn of(&self, i: u32) -> u32 {
        self.codes.code[i as usize]
    }
}

/// The collaboration graph as undirected adjacency lists (ascending).
#[derive(Debug, Clone)]
pub(crate) struct Collaborations {
    offsets: Vec<usize>,
    adjacent: Vec<u32>,
}

impl Collaborations {
    fn of(net: &TradeNetwork) -> Collaborations {
        let n = net.n_firms();
        let (a, b) = net.collaborations();
        let mut offsets = vec![0usize; n + 1];
        for (&x, &y) in a.iter().zip(b) {
            offsets[x as usize + 1] += 1;
            offsets[y as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut adjacent = vec![0u32; 2 * a.len()];
        for (&x, &y) in a.iter().zip(b) {
            adjacent[next[x as usize]] = y;
            next[x as usize] += 1;
            adjacent[next[y as usize]] = x;
            next[y as usize] += 1;
        }
        for i in 0..n {
            adjacent[offsets[i]..offsets[i + 1]].sort_unstable();
        }
        Collaborations { offsets, adjacent }
    }

    pub fn neighbours(&self, i: u32) -> &[u32] {
        &self.adjacent[self.offsets[i as usize]..self.offsets[i as usize + 1]]
    }

    pub fn degree(&self, i: u32) -> usize {
        self.offsets[i as usize + 1] - self.offsets[i as usize]
    }

    pub fn contains(&self, a: u32, b: u32) -> bool {
        self.neighbours(a).binary_search(&b).is_ok()
    }

    fn pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.offsets.len().saturating_sub(1) as u32).flat_map(move |a| {
            self.neighbours(a)
                .iter()
                .filter(move |&&b| a < b)
                .map(move |&b| (a, b))
        })
    }
}

/// The most active firms of one market: (firm, activity), most active first.
pub(crate) type Leaders = Vec<Vec<u32>>;

/// Everything the scorer reads besides the links.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    n_firms: usize,
    n_trades: usize,
    pub industries: Option<Industries>,
    pub regions: Option<Groups>,
    pub region_name: Option<String>,
    pub industry_name: Option<String>,
    coordinates: Option<Coordinates>,
    /// Per firm, what the features read.
    pub facts: Vec<Facts>,
    /// Number of distinct trading partners (suppliers ∪ customers).
    pub partners: Vec<u32>,
    pub collab: Collaborations,
    /// Per cell (region × industry): the firms with most customers, most suppliers, most
    /// collaborations; per industry nationwide the same.
    pub cell_suppliers: Leaders,
    pub cell_customers: Leaders,
    pub cell_researchers: Leaders,
    pub national_suppliers: Leaders,
    pub national_customers: Leaders,
    pub national_researchers: Leaders,
    /// The firms with most partners on the side the purpose ranks (most customers, for
    /// suppliers), the best [`PER_SCORE`] nationwide: popularity, the strongest simple
    /// method where links attach preferentially and the only signal for a firm with no
    /// links yet. None for research, where the most collaborative firms only diluted the
    /// candidates (the synthetic economy's MRR fell by 13%).
    pub popular: Vec<u32>,
    /// EASE for the purpose, where the network is small enough ([`super::ease`]).
    pub ease: Option<Ease>,
    /// The undirected graph of all ties (research only).
    pub undirected: Option<Undirected>,
}

/// The partition called `name`, or, when no name is given, `fallback` if the network has it.
fn column(net: &TradeNetwork, name: Option<&str>, fallback: &str) -> Result<Option<Groups>> {
    match name {
        Some(n) => Groups::of(net, n).map(Some),
        None if net.partitions().iter().any(|p| p.name == fallback) => {
            Groups::of(net, fallback).map(Some)
        }
        None => Ok(None),
    }
}

impl Context {
    /// Checks the options against the network — the partitions named exist, a region for
    /// `prefer`, coordinates for `max_distance_km` — without reading the links.
    pub fn validate(net: &TradeNetwork, options: &Options) -> Result<()> {
        for name in [&options.region, &options.industry].into_iter().flatten() {
            net.partition(name)?;
        }
        let has_region =
            options.region.is_some() || net.partitions().iter().any(|p| p.name == "prefecture");
        if options.prefer.is_some() && !has_region {
            return Err(Error::parameter(
                "prefer",
                "needs a region: pass region= (the network has no 'prefecture' partition)",
            ));
        }
        if options.max_distance_km.is_some() && net.coordinates().is_none() {
            return Err(Error::parameter(
                "max_distance_km",
                "needs the firms' 'lat' and 'lon' attributes, which the network lacks",
            ));
        }
        Ok(())
    }

    /// The context the baselines rank in: the recommender's own (`ctx`), unless EASE, too
    /// costly there as a feature, fits the larger bound of a model built once (see
    /// [`super::ease`]); then a second context that has it.
    pub fn for_baselines<'a>(
        ctx: &'a Context,
        net: &TradeNetwork,
        options: &Options,
        own: &'a mut Option<Context>,
    ) -> Result<&'a Context> {
        let research = options.purpose == Purpose::Research;
        if ctx.ease.is_some() || research {
            return Ok(ctx);
        }
        let Some(ease) = Ease::new(net, options.purpose, options.ease_l2, BASELINE_WORK) else {
            return Ok(ctx);
        };
        let mut wide = Context::new(net, options)?;
        wide.ease = Some(ease);
        Ok(own.insert(wide))
    }

    /// Reads the network with the recommender's options (region and industry columns).
    pub fn new(net: &TradeNetwork, options: &Options) -> Result<Context> {
        Context::validate(net, options)?;
        let regions = column(net, options.region.as_deref(), "prefecture")?;
        let industry_codes = column(net, options.industry.as_deref(), "industry")?;
        let coordinates = net
            .coordinates()
            .map(|(lat, lon)| Coordinates::new(lat, lon));
        let n = net.n_firms();
        let collab = Collaborations::of(net);
        let industries = industry_codes.map(|c| Industries::new(net, c, &collab));
        let partners: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .map(|i| union_len(net.suppliers(i), net.customers(i)) as u32)
            .collect();
        let cell = |i: usize| -> usize {
            let r = regions.as_ref().map_or(0, |r| r.code[i] as usize);
            let k = industries.as_ref().map_or(1, Industries::k);
            r * k + industries.as_ref().map_or(0, |x| x.codes.code[i] as usize)
        };
        let n_cells =
            regions.as_ref().map_or(1, Groups::len) * industries.as_ref().map_or(1, Industries::k);
        let n_industries = industries.as_ref().map_or(1, Industries::k);
        let industry = |i: usize| industries.as_ref().map_or(0, |x| x.codes.code[i] as usize);
        let out_deg = |i: usize| net.out_degree(i as u32) as f64;
        let in_deg = |i: usize| net.in_degree(i as u32) as f64;
        let collab_deg = |i: usize| collab.degree(i as u32) as f64;
        let share = |activity: &dyn Fn(usize) -> f64| -> Vec<f32> {
            let mut total = vec![0.0f64; n_cells];
            let mut size = vec![0.0f64; n_cells];
            for i in 0..n {
                total[cell(i)] += activity(i);
                size[cell(i)] += 1.0;
            }
            (0..n)
                .map(|i| ((activity(i) + 1.0) / (total[cell(i)] + size[cell(i)])).ln() as f32)
                .collect()
        };
        let ranked = |groups: usize,
                      group: &dyn Fn(usize) -> usize,
                      activity: &dyn Fn(usize) -> f64,
                      top: usize| {
            let mut best: Vec<Vec<u32>> = vec![Vec::new(); groups];
            for i in 0..n {
                if activity(i) > 0.0 {
                    best[group(i)].push(i as u32);
                }
            }
            for list in &mut best {
                list.sort_unstable_by(|&a, &b| {
                    activity(b as usize)
                        .total_cmp(&activity(a as usize))
                        .then(a.cmp(&b))
                });
                list.truncate(top);
            }
            best
        };
        let leaders =
            |groups: usize, group: &dyn Fn(usize) -> usize, activity: &dyn Fn(usize) -> f64| {
                ranked(groups, group, activity, CELL_TOP)
            };
        let industry_name = industries.as_ref().map(|_| {
            options
                .industry
                .clone()
                .unwrap_or_else(|| "industry".into())
        });
        let ln1 = |d: usize| (d as f64).ln_1p() as f32;
        let supplier_share = share(&out_deg);
        let known = |codes: Option<&Groups>, i: u32| match codes {
            Some(c) if c.known(i) => c.code[i as usize],
            _ => UNKNOWN,
        };
        let industry_codes = industries.as_ref().map(|x| &x.codes);
        let facts = (0..n as u32)
            .into_par_iter()
            .map(|i| {
                let (lat, lon) = coordinates.as_ref().map_or((f64::NAN, f64::NAN), |c| {
                    (c.lat[i as usize], c.lon[i as usize])
                });
                let mix = |list: &[u32]| match industry_codes {
                    Some(c) => Mix::of(list, &c.code),
                    None => Mix::default(),
                };
                Facts {
                    lat: lat as f32,
                    lon: lon as f32,
                    cos_lat: lat.to_radians().cos() as f32,
                    ln_customers: ln1(net.out_degree(i)),
                    ln_suppliers: ln1(net.in_degree(i)),
                    ln_supplier_share: supplier_share[i as usize],
                    region: known(regions.as_ref(), i),
                    industry: known(industry_codes, i),
                    supplier_mix: mix(net.suppliers(i)),
                    customer_mix: mix(net.customers(i)),
                }
            })
            .collect();
        let research = options.purpose == Purpose::Research;
        let ease = (!research)
            .then(|| Ease::new(net, options.purpose, options.ease_l2, FEATURE_WORK))
            .flatten();
        let undirected = research.then(|| Undirected::new(net));
        Ok(Context {
            ease,
            undirected,
            facts,
            industry_name,
            n_firms: n,
            n_trades: net.n_trades(),
            cell_suppliers: leaders(n_cells, &cell, &out_deg),
            cell_customers: leaders(n_cells, &cell, &in_deg),
            cell_researchers: leaders(n_cells, &cell, &collab_deg),
            national_suppliers: leaders(n_industries, &industry, &out_deg),
            national_customers: leaders(n_industries, &industry, &in_deg),
            national_researchers: leaders(n_industries, &industry, &collab_deg),
            popular: match options.purpose {
                Purpose::Supplier => ranked(1, &|_| 0, &out_deg, PER_SCORE).swap_remove(0),
                Purpose::Customer => ranked(1, &|_| 0, &in_deg, PER_SCORE).swap_remove(0),
                Purpose::Research => Vec::new(),
            },
            industries,
            region_name: regions.as_ref().map(|_| {
                options
                    .region
                    .clone()
                    .unwrap_or_else(|| "prefecture".into())
            }),
            regions,
            coordinates,
            partners,
            collab,
        })
    }

    /// Checks that the context was built from this network.
    pub fn check(&self, net: &TradeNetwork) -> Result<()> {
        if net.n_firms() != self.n_firms || net.n_trades() != self.n_trades {
            return Err(Error::parameter(
                "network",
                "the recommender was prepared for another network: fit it again",
            ));
        }
        Ok(())
    }

    /// The cell of region `region` and industry `industry`.
    pub fn cell_of(&self, region: u32, industry: u32) -> usize {
        let k = self.industries.as_ref().map_or(1, Industries::k);
        region as usize * k + industry as usize
    }

    /// Great-circle distance in km, when both firms have coordinates.
    pub fn distance(&self, a: u32, b: u32) -> Option<f64> {
        let c = self.coordinates.as_ref()?;
        let (a, b) = (a as usize, b as usize);
        let d = distance_km(c.lat[a], c.lon[a], c.lat[b], c.lon[b]);
        d.is_finite().then_some(d)
    }
}

/// Firm coordinates in degrees, and the cosine of each latitude.
#[derive(Debug, Clone)]
struct Coordinates {
    lat: Vec<f64>,
    lon: Vec<f64>,
}

impl Coordinates {
    fn new(lat: &[f64], lon: &[f64]) -> Coordinates {
        Coordinates {
            lat: lat.to_vec(),
            lon: lon.to_vec(),
        }
    }
}

/// Size of the union of two ascending lists (without repeats).
fn union_len(a: &[u32], b: &[u32]) -> usize {
    let mut shared = 0;
    for_each_shared(a, b, |_| shared += 1);
    a.len() + b.len() - shared
}
