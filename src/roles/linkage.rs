//! Connector–hub linkage (RESAS / Teikoku Databank): how much of each firm's buying happens
//! inside its region and how much of its selling goes outside.

use super::{check_firms, rows, Groups};
use crate::error::{Error, Result};
use crate::network::TradeNetwork;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The role of a firm by where it buys and where it sells.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{linkage, LinkageRole, LinkageThresholds};
/// let l = linkage(&net, "region", LinkageThresholds::default())?;
/// assert_eq!(l.role[1], LinkageRole::ConnectorHub); // b buys from a (X), sells to c (Y)
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkageRole {
    /// Buys mostly inside its region and sells mostly outside: the seam (つなぎ目) METI looks for.
    ConnectorHub,
    /// Sells mostly outside its region, buys mostly outside too.
    Connector,
    /// Buys mostly inside its region, sells mostly inside too.
    Hub,
    /// Neither: buys mostly outside, sells mostly inside (or has only one side).
    Local,
    /// No trades at all.
    Isolated,
}

impl LinkageRole {
    /// The label used in tables.
    ///
    /// ```
    /// use tsunagime::roles::LinkageRole;
    /// assert_eq!(LinkageRole::ConnectorHub.label(), "connector hub");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            LinkageRole::ConnectorHub => "connector hub",
            LinkageRole::Connector => "connector",
            LinkageRole::Hub => "hub",
            LinkageRole::Local => "local",
            LinkageRole::Isolated => "isolated",
        }
    }
}

/// Thresholds of the role labels: a firm *buys mostly in-region* when
/// `hub_ratio >= hub`, *sells mostly out-of-region* when `connector_ratio >= connector`.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{linkage, LinkageThresholds};
/// let strict = LinkageThresholds { hub: 0.9, connector: 0.9 };
/// assert_eq!(linkage(&net, "region", strict)?.role.len(), 3);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LinkageThresholds {
    /// Threshold on `hub_ratio`.
    pub hub: f64,
    /// Threshold on `connector_ratio`.
    pub connector: f64,
}

impl Default for LinkageThresholds {
    fn default() -> Self {
        LinkageThresholds {
            hub: 0.5,
            connector: 0.5,
        }
    }
}

/// Per-firm linkage figures; amounts are trade amounts, or 1 per link when the network has
/// none. Ratios and shares are NaN when their denominator is zero.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{linkage, LinkageRole, LinkageThresholds};
/// let l = linkage(&net, "region", LinkageThresholds::default())?;
/// assert_eq!(l.connector_ratio[1], 1.0);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Linkage {
    /// Suppliers in the firm's region.
    pub suppliers_in: Vec<u32>,
    /// Suppliers outside it.
    pub suppliers_out: Vec<u32>,
    /// Customers in the firm's region.
    pub customers_in: Vec<u32>,
    /// Customers outside it.
    pub customers_out: Vec<u32>,
    /// Purchases from in-region suppliers, `P_in`.
    pub purchases_in: Vec<f64>,
    /// Purchases from out-of-region suppliers, `P_out`.
    pub purchases_out: Vec<f64>,
    /// Sales to in-region customers, `S_in`.
    pub sales_in: Vec<f64>,
    /// Sales to out-of-region customers, `S_out`.
    pub sales_out: Vec<f64>,
    /// `P_in / (P_in + P_out)`.
    pub hub_ratio: Vec<f64>,
    /// `S_out / (S_in + S_out)`.
    pub connector_ratio: Vec<f64>,
    /// `P_in(i) / Σ_{i' in region} P_in(i')`: the firm's share of its region's in-region buying.
    pub hub_share: Vec<f64>,
    /// `S_out(i) / Σ_{i' in region} S_out(i')`: its share of the region's out-of-region selling.
    pub connector_share: Vec<f64>,
    /// The role label.
    pub role: Vec<LinkageRole>,
}

/// Computes the linkage figures of every firm with respect to partition `region`.
///
/// ```
/// use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
/// use tsunagime::roles::{linkage, LinkageRole, LinkageThresholds};
/// // a (Ishikawa) → b (Ishikawa) → c (Tokyo): b buys in its region and sells outside.
/// let firms = FirmTable::new(vec!["a", "b", "c"])
///     .with_partition("prefecture", [Some("Ishikawa"), Some("Ishikawa"), Some("Tokyo")]);
/// let (net, _) = NetworkBuilder::new().firms(firms).trades(TradeTable::new(vec!["a", "b"], vec!["b", "c"])).build()?;
/// let l = linkage(&net, "prefecture", LinkageThresholds::default())?;
/// assert_eq!(l.role[1], LinkageRole::ConnectorHub);
/// assert_eq!(l.connector_share[1], 1.0);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn linkage(net: &TradeNetwork, region: &str, thresholds: LinkageThresholds) -> Result<Linkage> {
    linkage_of(net, region, thresholds, None)
}

/// [`linkage`] for the firms `firms` only (positions; all firms when `None`), one row per
/// firm asked, in their order. A firm's figures depend on its own trades and on its region's
/// totals, so blocks of whole regions can be computed apart (on several machines) and put
/// together; the rows equal those of the whole network.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{linkage, linkage_of, LinkageThresholds};
/// let t = LinkageThresholds::default();
/// let some = linkage_of(&net, "region", t, Some(&[1, 0]))?;
/// let all = linkage(&net, "region", t)?;
/// assert_eq!(some.connector_share, vec![all.connector_share[1], all.connector_share[0]]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn linkage_of(
    net: &TradeNetwork,
    region: &str,
    thresholds: LinkageThresholds,
    firms: Option<&[u32]>,
) -> Result<Linkage> {
    for (name, v) in [
        ("hub_threshold", thresholds.hub),
        ("connector_threshold", thresholds.connector),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(Error::parameter(name, format!("{v} is not in [0, 1]")));
        }
    }
    let g = Groups::of(net, region)?;
    check_firms(net, firms)?;
    // Only the regions of the firms asked for are counted: their totals need all their firms.
    let held = g.holding(firms);
    let n = net.n_firms();
    // Each firm's counts and amounts, in parallel: (suppliers in, out, customers in, out) and
    // (purchases in, out, sales in, out), summed in edge order as a single thread would.
    let counted: Vec<([u32; 4], [f64; 4])> = (0..n as u32)
        .into_par_iter()
        .map(|i| {
            let gi = g.code[i as usize];
            let (mut k, mut z) = ([0u32; 4], [0.0; 4]);
            if !held[gi as usize] {
                return (k, z);
            }
            for (e, &c) in net.out_edges(i).zip(net.customers(i)) {
                let side = 2 + usize::from(g.code[c as usize] != gi);
                k[side] += 1;
                z[side] += net.amount_or_one(e);
            }
            for (&e, &s) in net.in_edges(i).iter().zip(net.suppliers(i)) {
                let side = usize::from(g.code[s as usize] != gi);
                k[side] += 1;
                z[side] += net.amount_or_one(e as usize);
            }
            (k, z)
        })
        .collect();
    let count = |j: usize| counted.iter().map(|c| c.0[j]).collect::<Vec<u32>>();
    let amount = |j: usize| counted.iter().map(|c| c.1[j]).collect::<Vec<f64>>();
    let mut l = Linkage {
        suppliers_in: count(0),
        suppliers_out: count(1),
        customers_in: count(2),
        customers_out: count(3),
        purchases_in: amount(0),
        purchases_out: amount(1),
        sales_in: amount(2),
        sales_out: amount(3),
        ..Default::default()
    };
    drop(counted);
    let ratio = |a: f64, b: f64| if a + b > 0.0 { a / (a + b) } else { f64::NAN };
    l.hub_ratio = (0..n)
        .map(|i| ratio(l.purchases_in[i], l.purchases_out[i]))
        .collect();
    l.connector_ratio = (0..n)
        .map(|i| ratio(l.sales_out[i], l.sales_in[i]))
        .collect();
    let mut region_p_in = vec![0.0; g.n_groups];
    let mut region_s_out = vec![0.0; g.n_groups];
    for i in 0..n {
        region_p_in[g.code[i] as usize] += l.purchases_in[i];
        region_s_out[g.code[i] as usize] += l.sales_out[i];
    }
    let share = |x: f64, total: f64| if total > 0.0 { x / total } else { f64::NAN };
    l.hub_share = (0..n)
        .map(|i| share(l.purchases_in[i], region_p_in[g.code[i] as usize]))
        .collect();
    l.connector_share = (0..n)
        .map(|i| share(l.sales_out[i], region_s_out[g.code[i] as usize]))
        .collect();
    l.role = (0..n)
        .map(|i| {
            let trades =
                l.suppliers_in[i] + l.suppliers_out[i] + l.customers_in[i] + l.customers_out[i];
            let buys_in = l.hub_ratio[i] >= thresholds.hub;
            let sells_out = l.connector_ratio[i] >= thresholds.connector;
            match (trades, buys_in, sells_out) {
                (0, _, _) => LinkageRole::Isolated,
                (_, true, true) => LinkageRole::ConnectorHub,
                (_, false, true) => LinkageRole::Connector,
                (_, true, false) => LinkageRole::Hub,
                (_, false, false) => LinkageRole::Local,
            }
        })
        .collect();
    Ok(Linkage {
        suppliers_in: rows(l.suppliers_in, firms),
        suppliers_out: rows(l.suppliers_out, firms),
        customers_in: rows(l.customers_in, firms),
        customers_out: rows(l.customers_out, firms),
        purchases_in: rows(l.purchases_in, firms),
        purchases_out: rows(l.purchases_out, firms),
        sales_in: rows(l.sales_in, firms),
        sales_out: rows(l.sales_out, firms),
        hub_ratio: rows(l.hub_ratio, firms),
        connector_ratio: rows(l.connector_ratio, firms),
        hub_share: rows(l.hub_share, firms),
        connector_share: rows(l.connector_share, firms),
        role: rows(l.role, firms),
    })
}
