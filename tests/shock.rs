//! The shock propagation model: its steady state, its limits and its errors.

use tsunagime::network::{example, FirmTable, NetworkBuilder, TradeTable};
use tsunagime::shock::{simulate, Rationing, ShockOptions};
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
use tsunagime::{Error, Quiet};

fn japan() -> tsunagime::network::TradeNetwork {
    synthetic_japan(&SyntheticConfig {
        n_firms: 3_000,
        ..Default::default()
    })
    .unwrap()
}

fn options(days: usize) -> ShockOptions {
    ShockOptions {
        days,
        industry: Some("industry".into()),
        ..Default::default()
    }
}

#[test]
fn without_damage_the_economy_stays_at_its_steady_state() {
    let net = japan();
    let rules = [
        Rationing::Proportional,
        Rationing::FinalDemandLast,
        Rationing::Priority,
    ];
    for (rationing, substitution) in rules.into_iter().flat_map(|r| [(r, 0.0), (r, 1.0)]) {
        let o = ShockOptions {
            rationing,
            substitution,
            ..options(60)
        };
        let s = simulate(&net, &vec![0.0; net.n_firms()], None, None, &o, &Quiet).unwrap();
        let steady: f64 = s.baseline.iter().sum();
        assert!(s.loss.iter().all(|l| l.abs() < 1e-9));
        assert!(s
            .output
            .iter()
            .all(|&y| (y - steady).abs() <= 1e-9 * steady));
    }
}

#[test]
fn a_shock_reaches_beyond_the_damaged_firms_and_fades_with_recovery() {
    let net = japan();
    let region = net.partition("prefecture").unwrap();
    let hit = region.labels.iter().position(|l| l == "Aichi").unwrap() as u32;
    let damage: Vec<f64> = region
        .codes
        .iter()
        .map(|&c| if c == hit { 0.3 } else { 0.0 })
        .collect();
    let s = simulate(
        &net,
        &damage,
        None,
        Some((&region.codes, region.n_groups())),
        &options(60),
        &Quiet,
    )
    .unwrap();
    let total: f64 = s.loss.iter().sum();
    let direct: f64 = s.direct.iter().sum();
    assert!(
        direct > 0.0 && total > direct,
        "indirect loss: {total} vs {direct}"
    );
    let outside: f64 = (0..net.n_firms())
        .filter(|&i| region.codes[i] != hit)
        .map(|i| s.loss[i])
        .sum();
    assert!(outside > 0.0, "the loss travels to other prefectures");
    assert!(s
        .loss
        .iter()
        .zip(&s.direct)
        .all(|(l, d)| *d <= l + 1e-9 && *d >= 0.0));
    // The day's groups add up to the day's output.
    let g = region.n_groups();
    for (day, &y) in s.output.iter().enumerate() {
        let sum: f64 = s.group_output[day * g..(day + 1) * g].iter().sum();
        assert!((sum - y).abs() <= 1e-9 * y);
    }
    // Healing all damage on the second day leaves less loss than keeping it.
    let healed = ShockOptions {
        recovery: 1.0,
        ..options(60)
    };
    let h = simulate(&net, &damage, None, None, &healed, &Quiet).unwrap();
    assert!(h.loss.iter().sum::<f64>() < total);
    let steady: f64 = s.baseline.iter().sum();
    assert!(
        (h.output[59] - steady).abs() < 1e-3 * steady,
        "back near the steady state"
    );
}

/// Each firm's loss over 10 days with 2 days of inventory, on a network worked by hand.
fn losses(firms: FirmTable, trades: TradeTable, damage: &[f64], o: ShockOptions) -> Vec<f64> {
    let (net, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .build()
        .unwrap();
    let o = ShockOptions {
        days: 10,
        inventory_days: 2.0,
        ..o
    };
    simulate(&net, damage, None, None, &o, &Quiet).unwrap().loss
}

#[test]
fn final_demand_last_serves_the_customer_firm_first() {
    // a sells 10 a day to b and 10 to households; b sells 10 to households. a loses half its
    // capacity: proportional rationing sends b 5 a day, so b stops once its 2 days of
    // inventory are gone; with final demand last b gets its 10 and loses nothing.
    let run = |rationing| {
        let firms = FirmTable::new(vec!["a", "b"]).with_attribute("sales", vec![20.0, 10.0]);
        let trades = TradeTable::new(vec!["a"], vec!["b"]).with_amount(vec![10.0]);
        let o = ShockOptions {
            rationing,
            ..Default::default()
        };
        losses(firms, trades, &[0.5, 0.0], o)
    };
    let (fair, firms_first) = (
        run(Rationing::Proportional),
        run(Rationing::FinalDemandLast),
    );
    assert_eq!(firms_first, vec![100.0, 0.0]);
    assert_eq!(fair[0], 100.0);
    assert!(fair[1] > 10.0, "b runs short: {}", fair[1]);
}

#[test]
fn priority_serves_the_largest_usual_buyer_whole() {
    // a sells 10 a day to b, 5 to c and 5 to households; b and c sell to households. a loses
    // half its capacity (10 a day): priority sends b its whole 10 and c nothing, so c stops
    // once its 2 days of inventory are gone (8 of 10 days at 5); proportional rationing
    // shares the shortfall, so b runs short too and c less.
    let run = |rationing| {
        let firms =
            FirmTable::new(vec!["a", "b", "c"]).with_attribute("sales", vec![20.0, 10.0, 5.0]);
        let trades = TradeTable::new(vec!["a", "a"], vec!["b", "c"]).with_amount(vec![10.0, 5.0]);
        let o = ShockOptions {
            rationing,
            ..Default::default()
        };
        losses(firms, trades, &[0.5, 0.0, 0.0], o)
    };
    assert_eq!(run(Rationing::Priority), vec![100.0, 0.0, 40.0]);
    let fair = run(Rationing::Proportional);
    assert!(fair[1] > 0.0 && fair[2] < 40.0, "{fair:?}");
}

#[test]
fn substitution_moves_orders_to_a_supplier_that_can_deliver() {
    // s1 and s2 make parts; b buys 10 a day from each and sells 20 to households; s2 also
    // sells 10 to households. s1 is destroyed. Without substitution b gets half its parts and
    // runs out of its 2 days of stock; with full substitution b orders everything from s2,
    // which serves firms first, so b loses nothing (s2 sells to b what households lose).
    let run = |substitution| {
        let firms = FirmTable::new(vec!["s1", "s2", "b"])
            .with_attribute("sales", vec![10.0, 20.0, 20.0])
            .with_partition("industry", [Some("parts"), Some("parts"), Some("assembly")]);
        let trades =
            TradeTable::new(vec!["s1", "s2"], vec!["b", "b"]).with_amount(vec![10.0, 10.0]);
        let o = ShockOptions {
            substitution,
            rationing: Rationing::FinalDemandLast,
            industry: Some("industry".into()),
            ..Default::default()
        };
        losses(firms, trades, &[1.0, 0.0, 0.0], o)
    };
    let (kept, moved) = (run(0.0), run(1.0));
    assert_eq!(kept[0], 100.0);
    assert!(kept[2] > 10.0, "b runs short: {kept:?}");
    assert_eq!(moved[0], 100.0);
    assert!(moved[1].abs() < 1e-9 && moved[2].abs() < 1e-9, "{moved:?}");
    let half = run(0.5)[2];
    assert!(
        half > 0.0 && half < kept[2],
        "{half} between 0 and {}",
        kept[2]
    );
}

#[test]
fn bad_damage_and_options_name_what_is_wrong() {
    let net = example().unwrap();
    let mut damage = vec![0.0; net.n_firms()];
    damage[1] = 1.5;
    let e = simulate(&net, &damage, None, None, &ShockOptions::default(), &Quiet).unwrap_err();
    assert!(e.to_string().contains("1.5 for firm b"), "{e}");
    let e = simulate(&net, &[0.0], None, None, &ShockOptions::default(), &Quiet).unwrap_err();
    assert!(matches!(e, Error::Parameter { .. }), "{e}");
    let o = ShockOptions {
        tau: 0.5,
        ..Default::default()
    };
    let e = simulate(&net, &vec![0.0; net.n_firms()], None, None, &o, &Quiet).unwrap_err();
    assert!(e.to_string().contains("tau"), "{e}");
    let o = ShockOptions {
        substitution: 1.5,
        ..Default::default()
    };
    let e = simulate(&net, &vec![0.0; net.n_firms()], None, None, &o, &Quiet).unwrap_err();
    assert!(e.to_string().contains("substitution"), "{e}");
}
