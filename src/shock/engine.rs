//! The day-by-day propagation (see the module docs for the equations).
//!
//! Everything a day touches is a flat array worked on in parallel: firms (demand, capacity,
//! production), input pools (inventories, what to order) and trades (orders, deliveries).
//! Each array is written by one pass and read by the next, so the result does not depend on
//! the number of threads.

use super::{Ordering, Rationing, Shock, ShockOptions};
use crate::error::{Error, Location, Result};
use crate::monitor::{checkpoint, Monitor};
use crate::network::{TradeNetwork, MISSING, SELF_AMOUNT};
use rayon::prelude::*;

/// The network as the model reads it: steady flows and input pools. Trades are the network's
/// and, on a sector-level network, each sector's purchases from itself (`self_amount`).
struct Economy {
    /// Steady daily output of each firm.
    x: Vec<f64>,
    /// Final demand of each firm.
    c: Vec<f64>,
    /// Supplier and steady amount of each trade.
    supplier: Vec<u32>,
    amount: Vec<f64>,
    /// Trades of supplier `i`: `sold[sold_start[i]..sold_start[i + 1]]`.
    sold_start: Vec<usize>,
    sold: Vec<u32>,
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
        let mut supplier = net.edge_suppliers().to_vec();
        let mut customer = net.edge_customers().to_vec();
        let mut amount: Vec<f64> = (0..net.n_trades()).map(|e| net.amount_or_one(e)).collect();
        if let Ok(own) = net.attribute(SELF_AMOUNT) {
            for (i, &a) in own.iter().enumerate().filter(|(_, a)| **a > 0.0) {
                supplier.push(i as u32);
                customer.push(i as u32);
                amount.push(a);
            }
        }
        if let Some(e) = amount.iter().position(|a| !a.is_finite() || *a < 0.0) {
            return Err(Error::input(
                Location::table("trades").row(e as u64).column("amount"),
                format!("{} is not a finite amount ≥ 0", amount[e]),
            ));
        }
        let (sold_start, sold) = grouped(n, &supplier);
        let (bought_start, bought) = grouped(n, &customer);
        let sales = output.map(|name| net.attribute(name)).transpose()?;
        let total = |start: &[usize], list: &[u32], i: usize| -> f64 {
            list[start[i]..start[i + 1]]
                .iter()
                .map(|&e| amount[e as usize])
                .sum()
        };
        let x: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|i| {
                let stated = sales.map_or(0.0, |s| s[i]);
                let stated = if stated.is_finite() { stated } else { 0.0 };
                stated
                    .max(total(&sold_start, &sold, i))
                    .max(total(&bought_start, &bought, i))
            })
            .collect();
        let c = (0..n)
            .into_par_iter()
            .map(|i| (x[i] - total(&sold_start, &sold, i)).max(0.0))
            .collect();
        let codes = industry.map(|name| net.partition(name)).transpose()?;
        // A pool per firm and input: the supplier's industry, or the supplier itself.
        let key = |e: u32| -> u64 {
            let s = supplier[e as usize];
            match codes {
                Some(p) if p.codes[s as usize] != MISSING => p.codes[s as usize] as u64,
                Some(_) => (1 << 32) | s as u64,
                None => s as u64,
            }
        };
        let mut pool_start = Vec::with_capacity(n + 1);
        let (mut pool_owner, mut coefficient) = (Vec::new(), Vec::new());
        let (mut pool_trade_start, mut pool_trades) = (vec![0], Vec::new());
        let mut pool_of = vec![0u32; amount.len()];
        let mut share = vec![0.0; amount.len()];
        let mut trades: Vec<(u64, u32)> = Vec::new();
        pool_start.push(0);
        for i in 0..n {
            trades.clear();
            trades.extend(
                bought[bought_start[i]..bought_start[i + 1]]
                    .iter()
                    .map(|&e| (key(e), e)),
            );
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
                pool_owner.push(i as u32);
                coefficient.push(if x[i] > 0.0 { total / x[i] } else { 0.0 });
            }
            pool_start.push(pool_owner.len());
        }
        Ok(Economy {
            x,
            c,
            supplier,
            amount,
            sold_start,
            sold,
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

/// The trades of each firm as `(start, trades)`, where `of[t]` is trade `t`'s firm.
fn grouped(n: usize, of: &[u32]) -> (Vec<usize>, Vec<u32>) {
    let mut start = vec![0usize; n + 1];
    for &i in of {
        start[i as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut list = vec![0u32; of.len()];
    for (t, &i) in of.iter().enumerate() {
        list[next[i as usize]] = t as u32;
        next[i as usize] += 1;
    }
    (start, list)
}

/// Each supplier's trades in priority order, the largest steady amount first (ties: the
/// earlier trade), laid out like `eco.sold`, and the place of each trade in its supplier's
/// order.
fn by_priority(eco: &Economy) -> (Vec<u32>, Vec<u32>) {
    let mut order = eco.sold.clone();
    let mut rank = vec![0u32; eco.amount.len()];
    for w in eco.sold_start.windows(2) {
        let list = &mut order[w[0]..w[1]];
        list.sort_unstable_by(|&a, &b| {
            eco.amount[b as usize]
                .total_cmp(&eco.amount[a as usize])
                .then(a.cmp(&b))
        });
        for (k, &t) in list.iter().enumerate() {
            rank[t as usize] = k as u32;
        }
    }
    (order, rank)
}

/// Checks that `values` holds one share in 0..=1 per firm (`what`: "damage" or "demand").
fn shares(net: &TradeNetwork, values: &[f64], what: &'static str) -> Result<()> {
    if values.len() != net.n_firms() {
        return Err(Error::parameter(
            what,
            format!("{} values for {} firms", values.len(), net.n_firms()),
        ));
    }
    if let Some(i) = values.iter().position(|d| !(0.0..=1.0).contains(d)) {
        return Err(Error::input(
            Location::table(what).row(i as u64).column(what),
            format!(
                "{} for firm {} is not a share in 0..=1",
                values[i],
                net.firm_ids().get(i)
            ),
        ));
    }
    Ok(())
}

/// Checks the options.
fn check(o: &ShockOptions) -> Result<()> {
    let checks: [(&'static str, bool, &str); 6] = [
        (
            "psi",
            o.psi.is_none_or(|p| p > 0.0 && p <= 1.0),
            "in (0, 1]",
        ),
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
        (
            "substitution",
            (0.0..=1.0).contains(&o.substitution),
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

/// Simulates `options.days` days after firms lose the share `damage[i]` of their capacity
/// and, when given, the share `demand[i]` of their final demand (both from the first day on);
/// `groups` (a group per firm, `MISSING` for none, and the number of groups) adds each group's
/// output by day.
///
/// ```
/// use tsunagime::shock::{simulate, ShockOptions};
/// let net = tsunagime::network::example()?;
/// let mut damage = vec![0.0; net.n_firms()];
/// damage[0] = 0.5; // firm a loses half its capacity
/// let o = ShockOptions { days: 40, output: None, ..Default::default() };
/// let s = simulate(&net, &damage, None, None, &o, &tsunagime::Quiet)?;
/// assert!(s.loss[0] > 0.0 && s.loss.iter().zip(&s.direct).all(|(l, d)| d <= &(l + 1e-9)));
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn simulate(
    net: &TradeNetwork,
    damage: &[f64],
    demand: Option<&[f64]>,
    groups: Option<(&[u32], usize)>,
    options: &ShockOptions,
    monitor: &dyn Monitor,
) -> Result<Shock> {
    shares(net, damage, "damage")?;
    if let Some(cut) = demand {
        shares(net, cut, "demand")?;
    }
    check(options)?;
    if let Some((codes, _)) = groups {
        if codes.len() != net.n_firms() {
            return Err(Error::parameter(
                "groups",
                format!("{} values for {} firms", codes.len(), net.n_firms()),
            ));
        }
    }
    let eco = Economy::new(net, options.industry.as_deref(), options.output.as_deref())?;
    run(&eco, damage, demand, groups, options, monitor, None)
}

/// What one day moved, shown to an observer of [`run`] (the tests check that it balances).
#[cfg_attr(not(test), allow(dead_code))]
struct Day<'a> {
    eco: &'a Economy,
    /// Final demand of each firm, orders of each trade (placed the day before), production.
    households: &'a [f64],
    orders: &'a [f64],
    produced: &'a [f64],
    /// Deliveries of each trade, and each pool's stock at the start and at the end of the day.
    delivered: &'a [f64],
    before: &'a [f64],
    after: &'a [f64],
}

/// The days themselves; `observe` sees each day's flows.
fn run(
    eco: &Economy,
    damage: &[f64],
    demand: Option<&[f64]>,
    groups: Option<(&[u32], usize)>,
    o: &ShockOptions,
    monitor: &dyn Monitor,
    mut observe: Option<&mut dyn FnMut(&Day)>,
) -> Result<Shock> {
    let n = eco.x.len();
    let households: Vec<f64> = match demand {
        Some(cut) => eco.c.iter().zip(cut).map(|(c, k)| c * (1.0 - k)).collect(),
        None => eco.c.clone(),
    };
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
    let mut optimal = vec![0.0; n];
    // What share of its usual output each firm can make today (for substitution).
    let mut able = vec![1.0; n];
    // Priority rationing: each supplier's trades, largest usual buyer first, the place of each
    // trade in that order, and each day how many whole orders a supplier serves (`cut`) and
    // the share of the next one (`part`).
    let (priority, rank) = match o.rationing {
        Rationing::Priority => by_priority(eco),
        _ => (Vec::new(), Vec::new()),
    };
    let mut cut = vec![0u32; if priority.is_empty() { 0 } else { n }];
    let mut part = vec![0.0; cut.len()];
    // Substitution: each trade's weight in its pool, and the sum of each pool's weights.
    let mut weight = vec![
        0.0;
        if o.substitution > 0.0 {
            orders.len()
        } else {
            0
        }
    ];
    let mut spread = vec![1.0; eco.pool_owner.len()];
    let mut need = vec![0.0; eco.pool_owner.len()];
    // Production stops short of the inputs at hand (Inoue & Todo) or of ψ times the target
    // inventory for that production (BoARIO's ARIOPsiModel).
    let reserve = o.psi.map_or(1.0, |psi| psi * o.inventory_days);
    let mut loss = vec![0.0; n];
    let mut direct = vec![0.0; n];
    let mut output = Vec::with_capacity(o.days);
    let width = groups.map_or(0, |(_, g)| g);
    let mut group_output = Vec::with_capacity(o.days * width);
    for day in 0..o.days {
        checkpoint(monitor, "simulating", day as u64, o.days as u64)?;
        let healed = (1.0 - o.recovery).powi(day as i32);
        // Demand, capacity, production and the share of its firms' orders each firm serves.
        (
            &mut demand,
            &mut produced,
            &mut served,
            &mut optimal,
            &mut able,
        )
            .into_par_iter()
            .enumerate()
            .for_each(|(i, (d, p, s, best, r))| {
                let ordered: f64 = eco.sold[eco.sold_start[i]..eco.sold_start[i + 1]]
                    .iter()
                    .map(|&t| orders[t as usize])
                    .sum();
                let x = eco.x[i];
                *d = ordered + households[i];
                let capacity = x * (1.0 - damage[i] * healed);
                let inputs = (eco.pool_start[i]..eco.pool_start[i + 1])
                    .filter(|&q| eco.coefficient[q] > 0.0)
                    .map(|q| inventory[q] / (reserve * eco.coefficient[q]))
                    .fold(f64::INFINITY, f64::min);
                *best = capacity.min(*d).max(0.0);
                *p = best.min(inputs);
                *r = if x > 0.0 {
                    (capacity.min(inputs) / x).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                *s = match o.rationing {
                    _ if ordered <= 0.0 => 0.0,
                    Rationing::Proportional => *p / *d,
                    Rationing::FinalDemandLast | Rationing::Priority => (*p / ordered).min(1.0),
                };
            });
        if !priority.is_empty() {
            (&mut cut, &mut part)
                .into_par_iter()
                .enumerate()
                .filter(|(i, _)| served[*i] < 1.0)
                .for_each(|(i, (whole, rest))| {
                    let mut left = produced[i];
                    let list = &priority[eco.sold_start[i]..eco.sold_start[i + 1]];
                    *whole = list.len() as u32;
                    for (k, &t) in list.iter().enumerate() {
                        let ordered = orders[t as usize];
                        if left < ordered {
                            (*whole, *rest) = (k as u32, (left / ordered).max(0.0));
                            break;
                        }
                        left -= ordered;
                    }
                });
        }
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
        if priority.is_empty() {
            delivered
                .par_iter_mut()
                .zip(&orders)
                .zip(&eco.supplier)
                .for_each(|((d, &ordered), &s)| *d = ordered * served[s as usize]);
        } else {
            delivered
                .par_iter_mut()
                .zip(&orders)
                .zip(&eco.supplier)
                .zip(&rank)
                .for_each(|(((d, &ordered), &s), &k)| {
                    let s = s as usize;
                    *d = ordered
                        * match k.cmp(&cut[s]) {
                            _ if served[s] >= 1.0 => 1.0,
                            std::cmp::Ordering::Less => 1.0,
                            std::cmp::Ordering::Equal => part[s],
                            std::cmp::Ordering::Greater => 0.0,
                        };
                });
        }
        // With substitution, each trade's weight in its pool: its steady share, less for a
        // supplier that cannot make its usual output.
        if !weight.is_empty() {
            weight
                .par_iter_mut()
                .zip(&eco.share)
                .zip(&eco.supplier)
                .for_each(|((w, &share), &s)| {
                    *w = share * (1.0 - o.substitution * (1.0 - able[s as usize]));
                });
        }
        let before = observe.as_ref().map(|_| inventory.clone());
        // Inventories, then what each pool orders for the next day and the sum of its trades'
        // weights.
        inventory
            .par_iter_mut()
            .zip(&mut need)
            .zip(&mut spread)
            .enumerate()
            .for_each(|(q, ((stock, need), spread))| {
                let j = eco.pool_owner[q] as usize;
                let trades = &eco.pool_trades[eco.pool_trade_start[q]..eco.pool_trade_start[q + 1]];
                let a = eco.coefficient[q];
                *stock +=
                    trades.iter().map(|&e| delivered[e as usize]).sum::<f64>() - a * produced[j];
                if !weight.is_empty() {
                    *spread = trades.iter().map(|&e| weight[e as usize]).sum::<f64>();
                }
                *need = match o.ordering {
                    Ordering::InoueTodo => {
                        let used = a * demand[j];
                        (used + (o.inventory_days * used - *stock) / o.tau).max(0.0)
                    }
                    Ordering::Ario => {
                        let gap = o.inventory_days * a * optimal[j] - *stock;
                        a * produced[j] + gap.max(0.0) / o.tau
                    }
                };
            });
        if let (Some(f), Some(before)) = (observe.as_mut(), &before) {
            f(&Day {
                eco,
                households: &households,
                orders: &orders,
                produced: &produced,
                delivered: &delivered,
                before,
                after: &inventory,
            });
        }
        if weight.is_empty() {
            orders
                .par_iter_mut()
                .zip(&eco.share)
                .zip(&eco.pool_of)
                .for_each(|((ordered, &share), &q)| *ordered = share * need[q as usize]);
        } else {
            orders
                .par_iter_mut()
                .zip(&weight)
                .zip(&eco.share)
                .zip(&eco.pool_of)
                .for_each(|(((ordered, &w), &share), &q)| {
                    let (need, spread) = (need[q as usize], spread[q as usize]);
                    *ordered = if spread > 0.0 {
                        need * w / spread
                    } else {
                        need * share
                    };
                });
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{synthetic_japan, SyntheticConfig};

    /// Every day, under every rule: no trade gets more than it ordered, no firm ships more
    /// than it makes, households get the rest and no more than they ask, and every stock
    /// moves by what arrived less what production used, never below zero.
    #[test]
    fn the_flows_balance_every_day() -> Result<()> {
        let net = synthetic_japan(&SyntheticConfig {
            n_firms: 2_000,
            ..Default::default()
        })?;
        let damage: Vec<f64> = (0..net.n_firms())
            .map(|i| if i % 7 == 0 { 0.6 } else { 0.0 })
            .collect();
        let rules = [
            Rationing::Proportional,
            Rationing::FinalDemandLast,
            Rationing::Priority,
        ];
        for rationing in rules {
            for (ordering, psi, substitution) in [
                (Ordering::InoueTodo, None, 0.0),
                (Ordering::InoueTodo, None, 1.0),
                (Ordering::Ario, Some(0.8), 0.5),
            ] {
                let o = ShockOptions {
                    days: 30,
                    rationing,
                    ordering,
                    psi,
                    substitution,
                    industry: Some("industry".into()),
                    ..Default::default()
                };
                let eco = Economy::new(&net, o.industry.as_deref(), o.output.as_deref())?;
                let mut days = 0;
                let mut check = |d: &Day| {
                    days += 1;
                    let e = d.eco;
                    let tol = |x: f64| 1e-9 * x.abs().max(1.0);
                    for (t, (&got, &asked)) in d.delivered.iter().zip(d.orders).enumerate() {
                        assert!(got >= 0.0 && got <= asked + tol(asked), "trade {t}");
                    }
                    for i in 0..e.x.len() {
                        let shipped: f64 = e.sold[e.sold_start[i]..e.sold_start[i + 1]]
                            .iter()
                            .map(|&t| d.delivered[t as usize])
                            .sum();
                        let rest = d.produced[i] - shipped;
                        let p = d.produced[i];
                        assert!(rest >= -tol(p), "firm {i} ships {shipped} of {p}");
                        assert!(rest <= d.households[i] + tol(p), "firm {i}: {rest}");
                    }
                    for q in 0..e.pool_owner.len() {
                        let trades =
                            &e.pool_trades[e.pool_trade_start[q]..e.pool_trade_start[q + 1]];
                        let arrived: f64 = trades.iter().map(|&t| d.delivered[t as usize]).sum();
                        let used = e.coefficient[q] * d.produced[e.pool_owner[q] as usize];
                        let expected = d.before[q] + arrived - used;
                        assert!(
                            (d.after[q] - expected).abs() <= tol(d.before[q]),
                            "pool {q}"
                        );
                        assert!(d.after[q] >= -tol(d.before[q]), "pool {q}: {}", d.after[q]);
                    }
                };
                run(
                    &eco,
                    &damage,
                    None,
                    None,
                    &o,
                    &crate::Quiet,
                    Some(&mut check),
                )?;
                assert_eq!(days, 30);
            }
        }
        Ok(())
    }
}
