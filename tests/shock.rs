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
    for rationing in [Rationing::Proportional, Rationing::FinalDemandLast] {
        let o = ShockOptions {
            rationing,
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

#[test]
fn final_demand_last_serves_the_customer_firm_first() {
    // a sells 10 a day to b and 10 to households; b sells 10 to households. a loses half its
    // capacity: proportional rationing sends b 5 a day, so b stops once its 2 days of
    // inventory are gone; with final demand last b gets its 10 and loses nothing.
    let firms = FirmTable::new(vec!["a", "b"]).with_attribute("sales", vec![20.0, 10.0]);
    let trades = TradeTable::new(vec!["a"], vec!["b"]).with_amount(vec![10.0]);
    let (net, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .build()
        .unwrap();
    let run = |rationing| {
        let o = ShockOptions {
            rationing,
            days: 10,
            inventory_days: 2.0,
            ..Default::default()
        };
        simulate(&net, &[0.5, 0.0], None, None, &o, &Quiet)
            .unwrap()
            .loss
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
}
