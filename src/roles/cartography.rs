//! Guimerà–Amaral cartography: the participation coefficient and the within-module degree
//! z-score of every firm, and its role R1–R7, with modules given by a partition (e.g.
//! prefectures).
//!
//! Definitions follow Guimerà & Amaral (2005) as implemented in the Brain Connectivity Toolbox
//! (`bctpy`), against which the tests compare: with `k_i` the (out-, in- or total) degree or
//! strength and `κ_is` the part of it to module `s`, `P_i = 1 − Σ_s (κ_is / k_i)²` (0 when
//! `k_i = 0`), and `z_i = (κ_i,own − mean) / sd` over the members of `i`'s module, with the
//! population sd (ddof = 0); modules of one firm or of zero variance give 0. With only two
//! modules, P ≤ 0.5; with M modules, P ≤ 1 − 1/M.

use super::Groups;
use crate::error::{Error, Result};
use crate::network::TradeNetwork;
use serde::{Deserialize, Serialize};

/// Which links define a firm's neighbours.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{cartography, CartographyOptions, Direction};
/// let o = CartographyOptions { direction: Direction::In, ..Default::default() };
/// assert_eq!(cartography(&net, "region", o)?.participation[2], 0.0); // c buys only in X
/// let o = CartographyOptions { direction: Direction::Out, ..Default::default() };
/// assert_eq!(cartography(&net, "region", o)?.participation[0], 0.5); // a sells in X and Y
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Direction {
    /// Customers (out-links): bctpy `participation_coef(..., degree="out")` and
    /// `module_degree_zscore(..., flag=1)` — whose docstring calls flag 1 "in degree",
    /// though its code sums rows, i.e. out-links.
    #[default]
    Out,
    /// Suppliers (in-links): bctpy `degree="in"` and `flag=2` (docstring: "out degree").
    In,
    /// Both, a reciprocal pair counting twice: bctpy on `W + Wᵀ` (`flag=3`).
    All,
}

named!(Direction, "direction", "out" => Direction::Out, "in" => Direction::In,
    "all" => Direction::All);

/// Options of [`cartography`]: direction, weights and the role cut-offs of Guimerà & Amaral.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{cartography, CartographyOptions, Direction};
/// let o = CartographyOptions { weighted: true, ..Default::default() };
/// let c = cartography(&net, "region", o)?;
/// assert!((c.participation[0] - (1.0 - 0.8f64.powi(2) - 0.2f64.powi(2))).abs() < 1e-12);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CartographyOptions {
    /// Which links count.
    pub direction: Direction,
    /// Use amounts (strengths) instead of link counts.
    pub weighted: bool,
    /// z from which a firm is a hub (2.5).
    pub hub_z: f64,
    /// P cut-offs of non-hubs: R1|R2, R2|R3, R3|R4 (0.05, 0.62, 0.80).
    pub non_hub_p: [f64; 3],
    /// P cut-offs of hubs: R5|R6, R6|R7 (0.30, 0.75).
    pub hub_p: [f64; 2],
}

impl Default for CartographyOptions {
    fn default() -> Self {
        CartographyOptions {
            direction: Direction::Out,
            weighted: false,
            hub_z: 2.5,
            non_hub_p: [0.05, 0.62, 0.80],
            hub_p: [0.30, 0.75],
        }
    }
}

/// The role names R1–R7.
pub const CARTOGRAPHY_ROLES: [&str; 7] = [
    "R1 ultra-peripheral",
    "R2 peripheral",
    "R3 non-hub connector",
    "R4 non-hub kinless",
    "R5 provincial hub",
    "R6 connector hub",
    "R7 kinless hub",
];

/// Participation, within-module z-score and role (1–7) per firm.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{cartography, CartographyOptions, Direction};
/// let c = cartography(&net, "region", CartographyOptions::default())?;
/// assert_eq!(c.role.len(), 3);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cartography {
    /// Participation coefficient P.
    pub participation: Vec<f64>,
    /// Within-module degree z-score.
    pub within_module_z: Vec<f64>,
    /// Role number 1–7 (see [`CARTOGRAPHY_ROLES`]).
    pub role: Vec<u8>,
}

/// Computes the cartography of every firm with modules from partition `module`.
///
/// ```
/// use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
/// use tsunagime::roles::{cartography, CartographyOptions};
/// let firms = FirmTable::new(vec![1, 2, 3])
///     .with_partition("prefecture", [Some("X"), Some("X"), Some("Y")]);
/// let (net, _) = NetworkBuilder::new().firms(firms).trades(TradeTable::new(vec![1, 1], vec![2, 3])).build()?;
/// let c = cartography(&net, "prefecture", CartographyOptions::default())?;
/// assert_eq!(c.participation[0], 0.5); // one customer in each of two modules
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn cartography(net: &TradeNetwork, module: &str, o: CartographyOptions) -> Result<Cartography> {
    let ordered = o.non_hub_p.windows(2).all(|w| w[0] <= w[1]) && o.hub_p[0] <= o.hub_p[1];
    if !ordered || !o.hub_z.is_finite() {
        return Err(Error::parameter(
            "cutoffs",
            "P cut-offs must be increasing and hub_z finite",
        ));
    }
    let g = Groups::of(net, module)?;
    let n = net.n_firms();
    let mut participation = vec![0.0; n];
    let mut own = vec![0.0; n];
    let mut hist = vec![0.0f64; g.n_groups];
    let mut listed = vec![false; g.n_groups];
    let mut touched: Vec<u32> = Vec::new();
    for i in 0..n as u32 {
        let mut visit = |j: u32, w: f64| {
            let s = g.code[j as usize];
            if !listed[s as usize] {
                listed[s as usize] = true;
                touched.push(s);
            }
            hist[s as usize] += w;
        };
        let weight = |e: usize| {
            if o.weighted {
                net.amount_or_one(e)
            } else {
                1.0
            }
        };
        if matches!(o.direction, Direction::Out | Direction::All) {
            for (e, &c) in net.out_edges(i).zip(net.customers(i)) {
                visit(c, weight(e));
            }
        }
        if matches!(o.direction, Direction::In | Direction::All) {
            for (&e, &s) in net.in_edges(i).iter().zip(net.suppliers(i)) {
                visit(s, weight(e as usize));
            }
        }
        let k: f64 = touched.iter().map(|&s| hist[s as usize]).sum();
        if k != 0.0 {
            let sq: f64 = touched
                .iter()
                .map(|&s| hist[s as usize] * hist[s as usize])
                .sum();
            participation[i as usize] = 1.0 - sq / (k * k);
        }
        own[i as usize] = hist[g.code[i as usize] as usize];
        for &s in &touched {
            hist[s as usize] = 0.0;
            listed[s as usize] = false;
        }
        touched.clear();
    }
    // Within-module z: population mean and sd of `own` per module.
    let sizes = g.sizes();
    let mut mean = vec![0.0; g.n_groups];
    for i in 0..n {
        mean[g.code[i] as usize] += own[i];
    }
    for (m, &s) in mean.iter_mut().zip(&sizes) {
        *m /= s.max(1) as f64;
    }
    let mut var = vec![0.0; g.n_groups];
    for i in 0..n {
        let d = own[i] - mean[g.code[i] as usize];
        var[g.code[i] as usize] += d * d;
    }
    let within_module_z: Vec<f64> = (0..n)
        .map(|i| {
            let s = g.code[i] as usize;
            let sd = (var[s] / sizes[s] as f64).sqrt();
            let z = (own[i] - mean[s]) / sd;
            if z.is_finite() {
                z
            } else {
                0.0
            }
        })
        .collect();
    let role = participation
        .iter()
        .zip(&within_module_z)
        .map(|(&p, &z)| {
            if z >= o.hub_z {
                5 + (p > o.hub_p[0]) as u8 + (p > o.hub_p[1]) as u8
            } else {
                1 + o.non_hub_p.iter().filter(|&&c| p > c).count() as u8
            }
        })
        .collect();
    Ok(Cartography {
        participation,
        within_module_z,
        role,
    })
}
