//! The day-by-day propagation (see the module docs for the equations).
//!
//! Everything a day touches is a flat array worked on in parallel: firms (demand, capacity,
//! production), input pools (inventories, what to order) and trades (orders, deliveries).
//! Each array is written by one pass and read by the next, so the result does not depend on
//! the number of threads.

use super::{Rationing, Shock, ShockOptions};
use crate::error::{Error, Location, Result};
use crate::monitor::{checkpoint, Monitor};
use crate::network::{TradeNetwork, MISSING};
use rayon::prelude::*;

/// The network as the model reads it: steady flows and input pools.
struct Economy {
    /// Steady daily output of each firm.
    x: Vec<f64>,
    /// Final demand of each firm.
    c: Vec<f64>,
    /// Supplier of each trade and its steady amount.
    supplier: Vec<u32>,
    amount: Vec<f64>,
    /// Pools of firm `i`: `pool_start[i]..pool_start[i + 1]`.
    pool_start: Vec<usize>,
    /// Owner, input coefficient and trades (`pool_trades[pool_trade_start[p]..]`) of each pool.
    pool_owner: Vec<u32>,
    coefficient: Vec<f64>,
    pool_trade_start: Vec<usize>,
    pool_trades: Vec<u32>,
    /// Pool of each trade and its steady share of the pool.
    pool_of: Vec<u32>,
    share: Vec<f64>,
}

impl Economy {
    fn new(net: &TradeNetwork, industry: Option<&str>, output: Option<&str>) -> Result<Self> {
        let n = net.n_firms();
        let amount: Vec<f64> = (0..net.n_trades()).map(|e| net.amount_or_one(e)).collect();
        if let Some(e) = amount.iter().position(|a| !a.is_finite() || *a < 0.0) {
            return Err(Error::input(
                Location::table("trades").row(e as u64).column("amount"),
                format!("{} is not a finite amount ≥ 0", amount[e]),
            ));
        }
        let sales = output.map(|name| net.attribute(name)).transpose()?;
        let x: Vec<f64> = (0..n as u32)
            .into_par_iter()
            .map(|i| {
                let sold: f64 = net.out_edges(i).map(|e| amount[e]).sum();
                let bought: f64 = net.in_edges(i).iter().map(|&e| amount[e as usize]).sum();
                let stated = sales.map_or(0.0, |s| s[i as usize]);
                let stated = if stated.is_finite() { stated } else { 0.0 };
                stated.max(sold).max(bought)
            })
            .collect();
        let c = (0..n as u32)
            .into_par_iter()
            .map(|i| x[i as usize] - net.out_edges(i).map(|e| amount[e]).sum::<f64>())
            .map(|c| c.max(0.0))
            .collect();
        let codes = industry.map(|name| net.partition(name)).transpose()?;
        let suppliers = net.edge_suppliers();
        // A pool per firm and input: the supplier's industry, or the supplier itself.
        let key = |e: u32| -> u64 {
            let s = suppliers[e as usize];
            match codes {
                Some(p) if p.codes[s as usize] != MISSING => p.codes[s as usize] as u64,
                Some(_) => (1 << 32) | s as u64,
                None => s as u64,
            }
        };
        let mut pool_start = Vec::with_capacity(n + 1);
        let (mut pool_owner, mut coefficient) = (Vec::new(), Vec::new());
        let (mut pool_trade_start, mut pool_trades) = (vec![0], Vec::new());
        let mut pool_of = vec![0u32; net.n_trades()];
        let mut share = vec![0.0; net.n_trades()];
        let mut trades: Vec<(u64, u32)> = Vec::new();
        pool_start.push(0);
        for i in 0..n as u32 {
            trades.clear();
            trades.extend(net.in_edges(i).iter().map(|&e| (key(e), e)));
            trades.sort_unstable();
            for group in trades.chunk_by(|a, b| a.0 == b.0) {
                let p = pool_owner.len() as u32;
                let total: f64 = group.iter().map(|&(_, e)| amount[e as usize]).sum();
                for &(_, e) in group {
                    pool_of[e as usize] = p;
                    share[e as usize] = if total > 0.0 {
                        amount[e as usize] / total
                    } else {
                        1.0 / group.len() as f64
                    };
                    pool_trades.push(e);
                }
                pool_trade_start.push(pool_trades.len());
                pool_owner.push(i);
                let xi = x[i as usize];
                coefficient.push(if xi > 0.0 { total / xi } else { 0.0 });
            }
            pool_start.push(pool_owner.len());
        }
        Ok(Economy {
            x,
            c,
            supplier: suppliers.to_vec(),
            amount,
            pool_start,
            pool_owner,
            coefficient,
            pool_trade_start,
            pool_trades,
            pool_of,
            share,
        })
    }
}

/// Checks the options and the damage (one share in 0..=1 per firm).
fn check(net: &TradeNetwork, damage: &[f64], o: &ShockOptions) -> Result<()> {
    if damage.len() != net.n_firms() {
        return Err(Error::parameter(
            "damage",
            format!("{} values for {} firms", damage.len(), net.n_firms()),
        ));
    }
    if let Some(i) = damage.iter().position(|d| !(0.0..=1.0).contains(d)) {
        return Err(Error::input(
            Location::table("damage").row(i as u64).column("damage"),
            format!(
                "{} for firm {} is not a share in 0..=1",
                damage[i],
                net.firm_ids().get(i)
            ),
        ));
    }
    let checks: [(&'static str, bool, &str); 4] = [
        ("days", (1..=100_000).contains(&o.days), "in 1..=100000"),
        (
            "inventory_days",
            o.inventory_days > 0.0 && o.inventory_days.is_finite(),
            "a finite number > 0",
        ),
        (
            "tau",
            o.tau >= 1.0 && o.tau.is_finite(),
            "a finite number ≥ 1",
        ),
        (
            "recovery",
            (0.0..=1.0).contains(&o.recovery),
            "a share in 0..=1",
        ),
    ];
    for (name, ok, what) in checks {
        if !ok {
            return Err(Error::parameter(name, format!("must be {what}")));
        }
    }
    Ok(())
}

/// Simulates `options.days` days after firms lose the share `damage[i]` of their capacity;
/// `groups` (a group per firm, `MISSING` for none, and the number of groups) adds each group's
/// output by day.
///
/// ```
/// use tsunagime::shock::{simulate, ShockOptions};
/// let net = tsunagime::network::example()?;
/// let mut damage = vec![0.0; net.n_firms()];
/// damage[0] = 0.5; // firm a loses half its capacity
/// let o = ShockOptions { days: 40, output: None, ..Default::default() };
/// let s = simulate(&net, &damage, None, &o, &tsunagime::Quiet)?;
/// assert!(s.loss[0] > 0.0 && s.loss.iter().zip(&s.direct).all(|(l, d)| d <= &(l + 1e-9)));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn simulate(
    net: &TradeNetwork,
    damage: &[f64],
    groups: Option<(&[u32], usize)>,
    options: &ShockOptions,
    monitor: &dyn Monitor,
) -> Result<Shock> {
    check(net, damage, options)?;
    if let Some((codes, _)) = groups {
        if codes.len() != net.n_firms() {
            return Err(Error::parameter(
                "groups",
                format!("{} values for {} firms", codes.len(), net.n_firms()),
            ));
        }
    }
    let eco = Economy::new(net, options.industry.as_deref(), options.output.as_deref())?;
    run(net, &eco, damage, groups, options, monitor)
}

/// The days themselves.
fn run(
    net: &TradeNetwork,
    eco: &Economy,
    damage: &[f64],
    groups: Option<(&[u32], usize)>,
    o: &ShockOptions,
    monitor: &dyn Monitor,
) -> Result<Shock> {
    let n = eco.x.len();
    let mut orders = eco.amount.clone();
    let mut inventory: Vec<f64> = eco
        .pool_owner
        .par_iter()
        .zip(&eco.coefficient)
        .map(|(&i, &a)| o.inventory_days * a * eco.x[i as usize])
        .collect();
    let mut delivered = vec![0.0; orders.len()];
    let mut demand = vec![0.0; n];
    let mut produced = vec![0.0; n];
    let mut served = vec![0.0; n];
    let mut loss = vec![0.0; n];
    let mut direct = vec![0.0; n];
    let mut output = Vec::with_capacity(o.days);
    let width = groups.map_or(0, |(_, g)| g);
    let mut group_output = Vec::with_capacity(o.days * width);
    for day in 0..o.days {
        checkpoint(monitor, "simulating", day as u64, o.days as u64)?;
        let healed = (1.0 - o.recovery).powi(day as i32);
        // Demand, capacity, production and the share of its firms' orders each firm serves.
        (&mut demand, &mut produced, &mut served)
            .into_par_iter()
            .enumerate()
            .for_each(|(i, (d, p, s))| {
                let ordered: f64 = net.out_edges(i as u32).map(|e| orders[e]).sum();
                let x = eco.x[i];
                *d = ordered + eco.c[i];
                let capacity = x * (1.0 - damage[i] * healed);
                let inputs = (eco.pool_start[i]..eco.pool_start[i + 1])
                    .filter(|&q| eco.coefficient[q] > 0.0)
                    .map(|q| inventory[q] / eco.coefficient[q])
                    .fold(f64::INFINITY, f64::min);
                *p = capacity.min(inputs).min(*d).max(0.0);
                *s = match o.rationing {
                    _ if ordered <= 0.0 => 0.0,
                    Rationing::Proportional => *p / *d,
                    Rationing::FinalDemandLast => (*p / ordered).min(1.0),
                };
            });
        (&mut loss, &mut direct)
            .into_par_iter()
            .enumerate()
            .for_each(|(i, (l, d))| {
                let short = eco.x[i] - produced[i];
                *l += short;
                *d += short.min(eco.x[i] * damage[i] * healed).max(0.0);
            });
        output.push(produced.par_iter().sum::<f64>());
        if let Some((codes, g)) = groups {
            let mut row = vec![0.0; g];
            for (&c, &p) in codes.iter().zip(&produced) {
                if c != MISSING {
                    row[c as usize] += p;
                }
            }
            group_output.extend(row);
        }
        delivered
            .par_iter_mut()
            .zip(&orders)
            .zip(&eco.supplier)
            .for_each(|((d, &ordered), &s)| *d = ordered * served[s as usize]);
        // Inventories, then what each pool orders for the next day.
        let need: Vec<f64> = inventory
            .par_iter_mut()
            .enumerate()
            .map(|(q, stock)| {
                let j = eco.pool_owner[q] as usize;
                let trades = &eco.pool_trades[eco.pool_trade_start[q]..eco.pool_trade_start[q + 1]];
                let a = eco.coefficient[q];
                *stock +=
                    trades.iter().map(|&e| delivered[e as usize]).sum::<f64>() - a * produced[j];
                let used = a * demand[j];
                (used + (o.inventory_days * used - *stock) / o.tau).max(0.0)
            })
            .collect();
        orders
            .par_iter_mut()
            .enumerate()
            .for_each(|(e, ordered)| *ordered = eco.share[e] * need[eco.pool_of[e] as usize]);
    }
    checkpoint(monitor, "simulating", o.days as u64, o.days as u64)?;
    Ok(Shock {
        baseline: eco.x.clone(),
        loss,
        direct,
        output,
        group_output,
    })
}
