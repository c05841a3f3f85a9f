//! Hand-worked examples of the linkage roles, and invariants on the synthetic economy.

use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
use tsunagime::roles::*;
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
use tsunagime::{Error, TradeNetwork};

fn net(
    ids: &[&str],
    regions: &[&str],
    sup: &[&str],
    cus: &[&str],
    amount: Option<Vec<f64>>,
) -> TradeNetwork {
    let firms = FirmTable::new(ids.to_vec()).with_partition(
        "region",
        regions.iter().map(|r| (!r.is_empty()).then_some(*r)),
    );
    let mut t = TradeTable::new(sup.to_vec(), cus.to_vec());
    t.amount = amount;
    NetworkBuilder::new()
        .firms(firms)
        .trades(t)
        .build()
        .unwrap()
        .0
}

fn naive_brokerage(net: &TradeNetwork, region: &str) -> Vec<[f64; 6]> {
    let g = Groups::of(net, region).unwrap();
    let mut out = vec![[0.0; 6]; net.n_firms()];
    for b in 0..net.n_firms() as u32 {
        for &a in net.suppliers(b) {
            for &c in net.customers(b) {
                if a != c && !net.has_trade(a, c) {
                    let (ga, gb, gc) = (g.code[a as usize], g.code[b as usize], g.code[c as usize]);
                    let k = if ga == gb {
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
                    };
                    out[b as usize][k] += 1.0;
                    out[b as usize][5] += 1.0;
                }
            }
        }
    }
    out
}

#[test]
fn a_chain_across_two_regions_has_one_representative() {
    let n = net(
        &["a", "b", "c"],
        &["X", "X", "Y"],
        &["a", "b"],
        &["b", "c"],
        None,
    );
    let b = brokerage(&n, "region").unwrap();
    assert_eq!(b.raw[1], [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
    assert_eq!(b.network_raw, [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
    // Closing the triad (a → c) removes it; a reverse c → a does not.
    let closed = net(
        &["a", "b", "c"],
        &["X", "X", "Y"],
        &["a", "b", "a"],
        &["b", "c", "c"],
        None,
    );
    assert_eq!(brokerage(&closed, "region").unwrap().raw[1][5], 0.0);
    let reverse = net(
        &["a", "b", "c"],
        &["X", "X", "Y"],
        &["a", "b", "c"],
        &["b", "c", "a"],
        None,
    );
    assert_eq!(brokerage(&reverse, "region").unwrap().raw[1][2], 1.0);
}

#[test]
fn each_role_by_its_groups() {
    // b brokers a → b → c for every pattern of groups.
    for (groups, k) in [
        (["X", "X", "X"], 0),
        (["X", "Y", "X"], 1),
        (["X", "X", "Y"], 2),
        (["X", "Y", "Y"], 3),
        (["X", "Y", "Z"], 4),
    ] {
        let n = net(&["a", "b", "c"], &groups, &["a", "b"], &["b", "c"], None);
        let raw = brokerage(&n, "region").unwrap().raw[1];
        let mut want = [0.0; 6];
        want[k] = 1.0;
        want[5] = 1.0;
        assert_eq!(raw, want, "{groups:?}");
    }
}

#[test]
fn brokerage_equals_naive_two_path_count_on_synthetic_data() {
    let japan = synthetic_japan(&SyntheticConfig {
        n_firms: 3_000,
        seed: 4,
        ..Default::default()
    })
    .unwrap();
    for region in ["prefecture", "bloc", "industry"] {
        let fast = brokerage(&japan, region).unwrap();
        assert_eq!(fast.raw, naive_brokerage(&japan, region), "{region}");
        let w = brokerage_weighted(&japan, region).unwrap();
        assert!(w
            .raw
            .iter()
            .all(|r| r.iter().all(|x| x.is_finite() && *x >= 0.0)));
    }
}

#[test]
fn weighted_brokerage_passes_supply_through_proportionally() {
    // a → b (10), b → c (30, other region), b → d (10, same region): b sells 40 in all.
    let n = net(
        &["a", "b", "c", "d"],
        &["X", "X", "Y", "X"],
        &["a", "b", "b"],
        &["b", "c", "d"],
        Some(vec![10.0, 30.0, 10.0]),
    );
    let w = brokerage_weighted(&n, "region").unwrap();
    // Representative: 10 · 30 / 40 = 7.5 of a's supply leaves the region through b.
    assert_eq!(w.raw[1][2], 7.5);
    assert_eq!(w.raw[1][0], 2.5);
    assert!(w.group_moments.is_empty() && w.network_moments.expected[0].is_nan());
}

#[test]
fn linkage_roles_and_shares() {
    let n = net(
        &["a", "b", "c", "d", "e"],
        &["X", "X", "Y", "X", "X"],
        &["a", "b", "b", "d"],
        &["b", "c", "d", "c"],
        Some(vec![4.0, 6.0, 2.0, 1.0]),
    );
    let l = linkage(&n, "region", LinkageThresholds::default()).unwrap();
    assert_eq!(l.role[1], LinkageRole::ConnectorHub); // buys from a (X), sells mostly to c (Y)
    assert_eq!((l.sales_in[1], l.sales_out[1]), (2.0, 6.0));
    assert_eq!(l.connector_ratio[1], 0.75);
    assert_eq!(l.connector_share[1], 6.0 / 7.0); // region X sells 6 + 1 outside
    assert_eq!(l.role[4], LinkageRole::Isolated);
    assert!(l.hub_ratio[0].is_nan() && l.hub_share[4] == 0.0);
    assert!(matches!(
        linkage(&n, "nope", LinkageThresholds::default()),
        Err(Error::UnknownName { .. })
    ));
}

#[test]
fn missing_region_is_a_group_of_its_own() {
    let n = net(
        &["a", "b", "c"],
        &["X", "", ""],
        &["a", "b"],
        &["b", "c"],
        None,
    );
    let g = Groups::of(&n, "region").unwrap();
    assert_eq!((g.n_groups, g.labels.last().cloned()), (2, Some(None)));
    assert_eq!(
        brokerage(&n, "region").unwrap().raw[1],
        [0.0, 0.0, 0.0, 1.0, 0.0, 1.0]
    );
}

#[test]
fn cartography_edge_cases() {
    // Two modules: P ≤ 0.5. A firm with no trades: P = 0. One-firm module: z = 0.
    let n = net(
        &["a", "b", "c", "d"],
        &["X", "X", "Y", "Z"],
        &["a", "a", "b"],
        &["b", "c", "c"],
        None,
    );
    let c = cartography(&n, "region", CartographyOptions::default()).unwrap();
    assert_eq!(c.participation, vec![0.5, 0.0, 0.0, 0.0]);
    assert_eq!(c.within_module_z[2], 0.0);
    assert_eq!(c.within_module_z[3], 0.0);
    assert_eq!(c.role[0], 2);
    let all = cartography(
        &n,
        "region",
        CartographyOptions {
            direction: Direction::All,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(all.participation[2], 0.0); // c's neighbours a and b are both in X
    assert_eq!(all.participation[1], 0.5); // b: supplier a in X, customer c in Y
    assert!("sideways".parse::<Direction>().is_err());
}

#[test]
fn ripple_on_a_hand_solved_chain() {
    // a → b → c in one region, with outputs 100, 100, 100 and amounts 20, 50:
    // m_a = 1, m_b = 1 + 0.2 = 1.2, m_c = 1 + 0.5 · 1.2 = 1.6.
    let firms = FirmTable::new(vec!["a", "b", "c", "z"])
        .with_partition("region", [Some("X"), Some("X"), Some("X"), Some("Y")])
        .with_attribute("sales", vec![100.0, 100.0, 100.0, f64::NAN]);
    let trades = TradeTable::new(vec!["a", "b", "z", "c"], vec!["b", "c", "c", "z"])
        .with_amount(vec![20.0, 50.0, 30.0, 10.0]);
    let (n, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .build()
        .unwrap();
    let r = ripple(&n, "region", &RippleOptions::default()).unwrap();
    let close = |a: f64, b: f64| approx::abs_diff_eq!(a, b, epsilon = 1e-12);
    assert!(
        close(r.multiplier[0], 1.0) && close(r.multiplier[1], 1.2) && close(r.multiplier[2], 1.6)
    );
    assert!(close(r.leakage[2], 30.0 / 80.0));
    assert!(close(r.pull[2], 10.0 * 1.6));
    assert!(r.output_from_trades[3] && r.output[3] == 30.0);
    // Buying more in the region than one produces is bad data, unless clipped.
    let firms = FirmTable::new(vec!["a", "b"])
        .with_partition("region", [Some("X"), Some("X")])
        .with_attribute("sales", vec![10.0, 5.0]);
    let trades = TradeTable::new(vec!["a"], vec!["b"]).with_amount(vec![8.0]);
    let (bad, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .build()
        .unwrap();
    let err = ripple(&bad, "region", &RippleOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("firm 'b' buys 8 in its region but its output is 5"),
        "{err}"
    );
    let clipped = ripple(
        &bad,
        "region",
        &RippleOptions {
            clip: Some(0.9),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(clipped.clipped[1] && close(clipped.multiplier[1], 1.9));
}

#[test]
fn ripple_multipliers_are_at_least_one_on_synthetic_data() {
    let japan = synthetic_japan(&SyntheticConfig {
        n_firms: 5_000,
        seed: 1,
        ..Default::default()
    })
    .unwrap();
    let r = ripple(&japan, "prefecture", &RippleOptions::default()).unwrap();
    assert!(r.multiplier.iter().all(|&m| m >= 1.0));
    assert!(r.in_region_inputs.iter().all(|&s| (0.0..1.0).contains(&s)));
}

#[test]
fn selection_meti_preset_top_n_per_region_and_nominated() {
    let japan = synthetic_japan(&SyntheticConfig {
        n_firms: 5_000,
        seed: 2,
        ..Default::default()
    })
    .unwrap();
    let s = select_leading_firms(&japan, "prefecture", SelectionRule::PerRegion(3), &[0]).unwrap();
    assert_eq!(s.names.len(), 6);
    let g = Groups::of(&japan, "prefecture").unwrap();
    let mut per = vec![0; g.n_groups];
    for i in 0..japan.n_firms() {
        if s.selected[i] && i != 0 {
            per[g.code[i] as usize] += 1;
        }
    }
    assert!(per.iter().all(|&k| k <= 3) && per.iter().filter(|&&k| k == 3).count() == 47);
    // The reading order: every firm once, by region code (no region last), then by rank.
    let key = |&f: &u32| (g.code[f as usize], s.rank_in_region[f as usize]);
    let mut sorted: Vec<u32> = (0..japan.n_firms() as u32).collect();
    sorted.sort_by_key(key);
    assert_eq!(s.order, sorted);
    assert!(s.selected[0] && s.reason[0].starts_with("nominated"));
    assert!(s.tscores.iter().all(|t| t.iter().all(|x| x.is_finite())));
    let mean: f64 = s.tscores[0].iter().sum::<f64>() / japan.n_firms() as f64;
    approx::assert_abs_diff_eq!(mean, 50.0, epsilon = 1e-9);
    let one = Indicator {
        name: "x".into(),
        values: (0..japan.n_firms()).map(|i| i as f64).collect(),
        weight: 1.0,
    };
    let t = select(
        &japan,
        "prefecture",
        &[one],
        SelectionRule::Total(10),
        &[],
        false,
    )
    .unwrap();
    assert_eq!(t.selected.iter().filter(|&&x| x).count(), 10);
    assert!(t.selected[japan.n_firms() - 1]);
}

#[test]
fn regional_measures_of_some_firms_equal_their_rows_of_the_whole() {
    let japan = synthetic_japan(&SyntheticConfig {
        n_firms: 3_000,
        ..Default::default()
    })
    .unwrap();
    let some: Vec<u32> = vec![2_999, 4, 1_500, 4];
    let t = LinkageThresholds::default();
    let all = linkage(&japan, "prefecture", t).unwrap();
    let part = linkage_of(&japan, "prefecture", t, Some(&some)).unwrap();
    let pick = |v: &[f64]| some.iter().map(|&i| v[i as usize]).collect::<Vec<_>>();
    assert_eq!(part.hub_share, pick(&all.hub_share));
    assert_eq!(part.connector_share, pick(&all.connector_share));
    let o = RippleOptions::default();
    let whole = ripple(&japan, "prefecture", &o).unwrap();
    let r = ripple_of(&japan, "prefecture", &o, Some(&some)).unwrap();
    assert_eq!(r.multiplier, pick(&whole.multiplier));
    assert_eq!(r.pull, pick(&whole.pull));
    assert!(r.sweeps <= whole.sweeps);
    for bad in [
        linkage_of(&japan, "prefecture", t, Some(&[3_000])).err(),
        ripple_of(&japan, "prefecture", &o, Some(&[3_000])).err(),
    ] {
        assert!(bad.unwrap().to_string().contains("3000"));
    }
}
