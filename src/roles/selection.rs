//! Leading-firm selection in the manner of METI's Regional Future Leading Companies
//! (地域未来牽引企業): indicators → ranks → T-scores (偏差値, 50 + 10z) → weighted composite →
//! the top firms of each region (or overall, or above a threshold), plus nominated firms that
//! enter regardless. Every firm gets the reason it was, or was not, selected.

use super::linkage::{linkage, LinkageThresholds};
use super::Groups;
use crate::error::{Error, Result};
use crate::network::{Strings, TradeNetwork};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One indicator: higher values are better; NaN is missing (ranked last, tied).
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{select, Indicator, SelectionRule};
/// let size = Indicator { name: "size".into(), values: vec![3.0, 1.0, 2.0], weight: 1.0 };
/// let s = select(&net, "region", &[size], SelectionRule::Total(1), &[], false)?;
/// assert!(s.selected[0] && !s.selected[1]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Name, e.g. `"connector_share"`.
    pub name: String,
    /// One value per firm.
    pub values: Vec<f64>,
    /// Weight in the composite (weights are normalised to sum to 1).
    pub weight: f64,
}

/// Which firms are selected by their composite score.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{select, Indicator, SelectionRule};
/// let size = Indicator { name: "size".into(), values: vec![3.0, 1.0, 2.0], weight: 1.0 };
/// let s = select(&net, "region", &[size], SelectionRule::PerRegion(1), &[], false)?;
/// assert_eq!(s.selected, vec![true, false, true]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum SelectionRule {
    /// The top N of each region.
    PerRegion(usize),
    /// The top N overall.
    Total(usize),
    /// Every firm whose composite is at least this T-score.
    Threshold(f64),
}

impl SelectionRule {
    /// The rule named `kind` (`per_region`, `total` or `threshold`) with its number: a
    /// count for the first two, a T-score for the third.
    ///
    /// ```
    /// use tsunagime::roles::SelectionRule;
    /// assert_eq!(SelectionRule::new("per_region", 5.0)?, SelectionRule::PerRegion(5));
    /// assert_eq!(SelectionRule::new("threshold", 62.5)?, SelectionRule::Threshold(62.5));
    /// assert!(SelectionRule::new("total", 2.5).is_err());
    /// assert!(SelectionRule::new("best", 5.0).is_err());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn new(kind: &str, value: f64) -> Result<SelectionRule> {
        let count = |name: &'static str| {
            if value.fract() == 0.0 && (0.0..1e15).contains(&value) {
                Ok(value as usize)
            } else {
                Err(Error::parameter(
                    name,
                    format!("{value} is not a count of firms"),
                ))
            }
        };
        match kind {
            "per_region" => Ok(SelectionRule::PerRegion(count("per_region")?)),
            "total" => Ok(SelectionRule::Total(count("total")?)),
            "threshold" if value.is_finite() => Ok(SelectionRule::Threshold(value)),
            "threshold" => Err(Error::parameter(
                "threshold",
                format!("{value} is not a finite T-score"),
            )),
            other => Err(Error::parameter(
                "rule",
                format!("'{other}' is not one of 'per_region', 'total', 'threshold'"),
            )),
        }
    }
}

/// The result: per indicator T-scores, the composite, ranks, and the decision with its reason.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{select, Indicator, SelectionRule};
/// let size = Indicator { name: "size".into(), values: vec![3.0, 1.0, 2.0], weight: 1.0 };
/// let s = select(&net, "region", &[size], SelectionRule::Total(1), &[1], false)?;
/// assert_eq!(s.selected, vec![true, true, false]); // b nominated
/// # Ok::<(), tsunagime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// Indicator names, in the order of `values` and `tscores`.
    pub names: Vec<String>,
    /// Indicator values per indicator.
    pub values: Vec<Vec<f64>>,
    /// T-scores per indicator.
    pub tscores: Vec<Vec<f64>>,
    /// Weighted composite of the T-scores (weights normalised to sum to 1).
    pub composite: Vec<f64>,
    /// Rank by composite within the firm's region (1 = best; ties by firm order).
    pub rank_in_region: Vec<u32>,
    /// Rank by composite over all firms.
    pub rank_overall: Vec<u32>,
    /// Whether the firm is selected.
    pub selected: Vec<bool>,
    /// Why it is, or is not, selected.
    pub reason: Strings,
    /// The firms by region (in the partition's label order, firms with no region last), best
    /// first within each: the order a table of the selection is read in, so that a caller
    /// need not sort a million rows again.
    pub order: Vec<u32>,
}

/// A key whose ascending order is `v`'s descending [`f64::total_cmp`] order, NaN last.
fn descending_key(v: f64) -> u64 {
    if v.is_nan() {
        return u64::MAX;
    }
    // total_cmp's order as unsigned integers: negative numbers flipped whole, positive
    // ones with the sign bit set; then reversed.
    let bits = v.to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ascending
}

/// Ranks (1 = largest; ties get their average rank), then T-scores of those ranks:
/// `50 + 10 (s − mean s) / sd s` with `s = −rank` and the population sd. Missing values
/// share the last places. All values equal → 50.
fn tscores(values: &[f64], members: &[usize]) -> Vec<(usize, f64)> {
    // Descending, NaN last, ties in member order: one sort of integer keys on all cores.
    let mut keyed: Vec<(u64, usize)> = members
        .iter()
        .enumerate()
        .map(|(at, &f)| (descending_key(values[f]), at))
        .collect();
    keyed.par_sort_unstable();
    let order: Vec<usize> = keyed.iter().map(|&(_, at)| members[at]).collect();
    let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    let mut rank = vec![0.0; order.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && same(values[order[j + 1]], values[order[i]]) {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        rank[i..=j].iter_mut().for_each(|r| *r = avg);
        i = j + 1;
    }
    let k = rank.len() as f64;
    let mean = rank.iter().sum::<f64>() / k;
    let sd = (rank.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / k).sqrt();
    order
        .iter()
        .zip(&rank)
        .map(|(&f, &r)| {
            (
                f,
                if sd > 0.0 {
                    50.0 + 10.0 * (mean - r) / sd
                } else {
                    50.0
                },
            )
        })
        .collect()
}

/// Selects firms by weighted T-scores of `indicators`.
///
/// T-scores are computed over all firms (`within_region = false`, as a national ranking) or
/// within each region. `nominated` firms (indices) are selected whatever their score.
///
/// ```
/// # let net = tsunagime::network::example()?;
/// use tsunagime::roles::{select, Indicator, SelectionRule};
/// let size = Indicator { name: "size".into(), values: vec![3.0, 1.0, 2.0], weight: 1.0 };
/// let s = select(&net, "region", &[size], SelectionRule::Threshold(50.0), &[], false)?;
/// assert_eq!(s.names, vec!["size"]);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn select(
    net: &TradeNetwork,
    region: &str,
    indicators: &[Indicator],
    rule: SelectionRule,
    nominated: &[u32],
    within_region: bool,
) -> Result<Selection> {
    let g = Groups::of(net, region)?;
    let n = net.n_firms();
    if indicators.is_empty() {
        return Err(Error::parameter(
            "indicators",
            "at least one indicator is needed",
        ));
    }
    let total_weight: f64 = indicators.iter().map(|i| i.weight).sum();
    for ind in indicators {
        if ind.values.len() != n {
            return Err(Error::parameter(
                "indicators",
                format!(
                    "'{}' has {} values for {n} firms",
                    ind.name,
                    ind.values.len()
                ),
            ));
        }
        if !(ind.weight.is_finite() && ind.weight >= 0.0) {
            return Err(Error::parameter(
                "weights",
                format!("weight of '{}' is {}", ind.name, ind.weight),
            ));
        }
    }
    if total_weight.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(Error::parameter("weights", "the weights sum to zero"));
    }
    if let Some(&bad) = nominated.iter().find(|&&i| i as usize >= n) {
        return Err(Error::parameter(
            "nominated",
            format!("index {bad} is out of range"),
        ));
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); g.n_groups];
    for i in 0..n {
        members[g.code[i] as usize].push(i);
    }
    let scopes: Vec<Vec<usize>> = if within_region {
        members.clone()
    } else {
        vec![(0..n).collect()]
    };
    let t: Vec<Vec<f64>> = indicators
        .par_iter()
        .map(|ind| {
            let mut t = vec![0.0; n];
            for scope in &scopes {
                for (f, score) in tscores(&ind.values, scope) {
                    t[f] = score;
                }
            }
            t
        })
        .collect();
    let composite: Vec<f64> = (0..n)
        .map(|i| {
            indicators
                .iter()
                .enumerate()
                .map(|(k, ind)| ind.weight * t[k][i])
                .sum::<f64>()
                / total_weight
        })
        .collect();
    let by_composite = |list: &mut Vec<usize>| {
        let mut keyed: Vec<(u64, usize)> = list
            .iter()
            .map(|&f| (descending_key(composite[f]), f))
            .collect();
        keyed.par_sort_unstable();
        list.iter_mut().zip(keyed).for_each(|(f, (_, g))| *f = g);
    };
    let mut rank_in_region = vec![0u32; n];
    members.par_iter_mut().for_each(by_composite);
    for list in &members {
        for (r, &f) in list.iter().enumerate() {
            rank_in_region[f] = r as u32 + 1;
        }
    }
    let mut all: Vec<usize> = (0..n).collect();
    by_composite(&mut all);
    let mut rank_overall = vec![0u32; n];
    for (r, &f) in all.iter().enumerate() {
        rank_overall[f] = r as u32 + 1;
    }
    let mut is_nominated = vec![false; n];
    for &i in nominated {
        is_nominated[i as usize] = true;
    }
    let label = |i: usize| {
        g.labels[g.code[i] as usize]
            .as_deref()
            .unwrap_or("(no region)")
    };
    let mut selected = vec![false; n];
    // One buffer for a million reasons, not a string each.
    let mut reason = Strings::try_with_capacity(n, 40 * n, "the reasons")?;
    let mut why = String::new();
    for i in 0..n {
        why.clear();
        let chosen = match rule {
            SelectionRule::PerRegion(top) => {
                let r = rank_in_region[i];
                let chosen = (r as usize) <= top;
                let _ = if chosen {
                    write!(why, "top {top} in {} (rank {r})", label(i))
                } else {
                    write!(why, "rank {r} in {}; the top {top} are selected", label(i))
                };
                chosen
            }
            SelectionRule::Total(top) => {
                let r = rank_overall[i];
                let chosen = (r as usize) <= top;
                let _ = if chosen {
                    write!(why, "top {top} overall (rank {r})")
                } else {
                    write!(why, "rank {r} overall; the top {top} are selected")
                };
                chosen
            }
            SelectionRule::Threshold(cut) => {
                let chosen = composite[i] >= cut;
                let sign = if chosen { '≥' } else { '<' };
                let _ = write!(why, "composite {:.1} {sign} {cut}", composite[i]);
                chosen
            }
        };
        selected[i] = chosen || is_nominated[i];
        if is_nominated[i] {
            let text = if chosen {
                format!("nominated; also {why}")
            } else {
                format!("nominated ({why})")
            };
            reason.try_push(&text, "the reasons")?;
        } else {
            reason.try_push(&why, "the reasons")?;
        }
    }
    Ok(Selection {
        names: indicators.iter().map(|i| i.name.clone()).collect(),
        values: indicators.iter().map(|i| i.values.clone()).collect(),
        tscores: t,
        composite,
        rank_in_region,
        rank_overall,
        selected,
        reason,
        order: members.iter().flatten().map(|&f| f as u32).collect(),
    })
}

/// The six indicators and weights of METI's FY2019 selection, from the network and the panel
/// attributes `operating_profit_<year>` and `employees_<year>` for `year − 3 ..= year`
/// (`year`: the latest year with all of them when `None`):
/// connector share and hub share (15% each), 3-year average operating profit and employees
/// (15% each), and 3-year geometric-mean growth of operating profit and of employees
/// (20% each; NaN — ranked last — when a value is missing or not positive).
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// use tsunagime::roles::meti_2019_indicators;
/// let indicators = meti_2019_indicators(&net, "prefecture", None)?;
/// assert_eq!(indicators.len(), 6);
/// assert!((indicators.iter().map(|i| i.weight).sum::<f64>() - 1.0).abs() < 1e-12);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn meti_2019_indicators(
    net: &TradeNetwork,
    region: &str,
    year: Option<i32>,
) -> Result<Vec<Indicator>> {
    let has = |y: i32| {
        (y - 3..=y).all(|t| {
            net.attribute(&format!("operating_profit_{t}")).is_ok()
                && net.attribute(&format!("employees_{t}")).is_ok()
        })
    };
    let year = match year {
        Some(y) if has(y) => y,
        Some(y) => {
            return Err(Error::parameter(
                "year",
                format!(
                "the METI 2019 preset needs operating_profit_<y> and employees_<y> for {}..={y}",
                y - 3
            ),
            ))
        }
        None => {
            let mut years: Vec<i32> = net
                .attributes()
                .iter()
                .filter_map(|a| {
                    a.name
                        .strip_prefix("operating_profit_")
                        .and_then(|y| y.parse().ok())
                })
                .collect();
            years.sort_unstable();
            years.into_iter().rev().find(|&y| has(y)).ok_or_else(|| {
                Error::parameter(
                    "indicators",
                    "the METI 2019 preset needs attributes operating_profit_<year> and employees_<year> for four consecutive years",
                )
            })?
        }
    };
    let col = |name: &str, y: i32| net.attribute(&format!("{name}_{y}"));
    let n = net.n_firms();
    let average = |name: &str| -> Result<Vec<f64>> {
        let cols = [col(name, year - 2)?, col(name, year - 1)?, col(name, year)?];
        Ok((0..n)
            .map(|i| cols.iter().map(|c| c[i]).sum::<f64>() / 3.0)
            .collect())
    };
    let growth = |name: &str| -> Result<Vec<f64>> {
        let (first, last) = (col(name, year - 3)?, col(name, year)?);
        Ok((0..n)
            .map(|i| {
                if first[i] > 0.0 && last[i] > 0.0 {
                    (last[i] / first[i]).powf(1.0 / 3.0) - 1.0
                } else {
                    f64::NAN
                }
            })
            .collect())
    };
    let l = linkage(net, region, LinkageThresholds::default())?;
    let ind = |name: &str, values: Vec<f64>, weight: f64| Indicator {
        name: name.to_string(),
        values,
        weight,
    };
    Ok(vec![
        ind("connector_share", l.connector_share, 0.15),
        ind("hub_share", l.hub_share, 0.15),
        ind(
            "operating_profit_3y_mean",
            average("operating_profit")?,
            0.15,
        ),
        ind("employees_3y_mean", average("employees")?, 0.15),
        ind(
            "operating_profit_3y_growth",
            growth("operating_profit")?,
            0.20,
        ),
        ind("employees_3y_growth", growth("employees")?, 0.20),
    ])
}

/// METI-2019-style selection: [`meti_2019_indicators`] then [`select`] with national T-scores.
///
/// ```
/// # use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
/// # let net = synthetic_japan(&SyntheticConfig { n_firms: 2_000, ..Default::default() })?;
/// use tsunagime::roles::{select_leading_firms, SelectionRule};
/// let s = select_leading_firms(&net, "prefecture", SelectionRule::PerRegion(2), &[])?;
/// assert!(s.selected.iter().filter(|&&x| x).count() <= 2 * 47);
/// # Ok::<(), tsunagime::Error>(())
/// ```
pub fn select_leading_firms(
    net: &TradeNetwork,
    region: &str,
    rule: SelectionRule,
    nominated: &[u32],
) -> Result<Selection> {
    let indicators = meti_2019_indicators(net, region, None)?;
    select(net, region, &indicators, rule, nominated, false)
}

#[cfg(test)]
mod tests {
    use super::descending_key;

    #[test]
    fn keys_order_as_descending_total_cmp_with_nan_last() {
        let values = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            1.0,
            2.5,
            f64::MAX,
            f64::INFINITY,
        ];
        for a in values {
            for b in values {
                assert_eq!(
                    descending_key(a).cmp(&descending_key(b)),
                    b.total_cmp(&a),
                    "{a} {b}"
                );
            }
            assert!(descending_key(a) < descending_key(f64::NAN));
            assert!(descending_key(a) < descending_key(-f64::NAN));
        }
    }
}
