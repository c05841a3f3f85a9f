//! The synthetic Japan-like economy: determinism, structure, and the calibration figures
//! (printed with `cargo test --test synthetic -- --nocapture`).

use tsunagime::synthetic::{calibration, synthetic_japan, SyntheticConfig};
use tsunagime::Error;

fn japan(n_firms: usize, seed: u64) -> tsunagime::TradeNetwork {
    synthetic_japan(&SyntheticConfig {
        n_firms,
        seed,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn deterministic_for_a_seed() {
    assert!(japan(3_000, 5) == japan(3_000, 5));
    assert!(japan(3_000, 5) != japan(3_000, 6));
}

#[test]
fn calibration_figures_are_on_target() {
    let net = japan(30_000, 1);
    let c = calibration(&net, usize::MAX, 1);
    println!("{c:#?}");
    let share = |name: &str| {
        c.largest_prefectures
            .iter()
            .find(|p| p.0 == name)
            .map(|p| p.1)
            .unwrap()
    };
    assert!((0.15..0.19).contains(&share("Tokyo")), "{c:?}");
    assert!((0.06..0.085).contains(&share("Osaka")), "{c:?}");
    assert!((0.05..0.075).contains(&share("Aichi")), "{c:?}");
    assert!((4.5..5.5).contains(&c.trades_per_firm), "{c:?}");
    assert!((0.9..1.45).contains(&c.customer_ccdf_exponent), "{c:?}");
    assert!((1.3..1.8).contains(&c.supplier_ccdf_exponent), "{c:?}");
    assert!(c.customer_ccdf_exponent < c.supplier_ccdf_exponent, "{c:?}");
    assert!((15.0..60.0).contains(&c.median_distance_km), "{c:?}");
    assert!(c.assortativity < -0.03, "{c:?}");
    assert!(c.transitivity < 0.05, "{c:?}");
    assert!(c.square_link_share > 2.0 * c.triangle_link_share, "{c:?}");
    assert!(
        c.square_link_share > 1.2 * c.square_link_share_rewired,
        "{c:?}"
    );
    assert!((0.9..0.94).contains(&c.survival), "{c:?}");
    assert!(c.size_degree_correlation > 0.2, "{c:?}");
    assert!(
        (0.01..0.03).contains(&(c.n_collaborations as f64 / c.n_firms as f64)),
        "{c:?}"
    );
}

#[test]
fn firms_carry_partitions_and_a_four_year_panel() {
    let net = japan(2_000, 0);
    assert_eq!(net.partition("prefecture").unwrap().n_groups(), 47);
    assert_eq!(net.partition("bloc").unwrap().n_groups(), 8);
    assert_eq!(net.partition("industry").unwrap().n_groups(), 20);
    assert_eq!(
        net.partition("prefecture_code")
            .unwrap()
            .labels
            .iter()
            .filter(|l| l.len() == 2)
            .count(),
        47
    );
    for year in 2016..=2019 {
        for column in ["sales", "employees", "operating_profit"] {
            let v = net.attribute(&format!("{column}_{year}")).unwrap();
            assert!(v.iter().all(|x| x.is_finite()));
        }
    }
    let (years, last) = (net.years().unwrap(), net.last_years().unwrap());
    assert!(years
        .iter()
        .zip(last)
        .all(|(y, l)| (2016..=2019).contains(y) && y <= l && *l <= 2019));
    assert!(years.contains(&2019), "new links form in the last year");
}

#[test]
fn input_coefficients_sum_below_one() {
    let net = japan(5_000, 3);
    let sales = net.attribute("sales").unwrap();
    let amounts = net.amounts().unwrap();
    for c in 0..net.n_firms() as u32 {
        let bought: f64 = net.in_edges(c).iter().map(|&e| amounts[e as usize]).sum();
        assert!(
            bought < sales[c as usize],
            "firm {c} buys {bought} with sales {}",
            sales[c as usize]
        );
    }
}

#[test]
fn new_links_close_four_cycles() {
    // The temporal signal: links new in the last year mostly join firms already three steps
    // apart (a supplier of a peer that shares a supplier).
    let net = japan(20_000, 2);
    let before = net.until(2018).unwrap();
    let (years, sup, cus) = (
        net.years().unwrap(),
        net.edge_suppliers(),
        net.edge_customers(),
    );
    let new: Vec<usize> = (0..net.n_trades()).filter(|&e| years[e] == 2019).collect();
    let three_steps = new
        .iter()
        .filter(|&&e| {
            let (s, c) = (sup[e], cus[e]);
            before.customers(s).iter().any(|&peer| {
                before
                    .suppliers(peer)
                    .iter()
                    .any(|&s2| s2 != s && before.has_trade(s2, c))
            })
        })
        .count();
    let share = three_steps as f64 / new.len() as f64;
    println!(
        "new links in 2019: {}, closing a 4-cycle: {:.1}%",
        new.len(),
        100.0 * share
    );
    assert!(share > 0.3, "{share}");
}

#[test]
fn bad_parameters_are_named() {
    for (config, name) in [
        (
            SyntheticConfig {
                n_firms: 0,
                ..Default::default()
            },
            "n_firms",
        ),
        (
            SyntheticConfig {
                end_year: 2000,
                ..Default::default()
            },
            "end_year",
        ),
        (
            SyntheticConfig {
                survival: 1.5,
                ..Default::default()
            },
            "survival",
        ),
        (
            SyntheticConfig {
                mean_degree: f64::NAN,
                ..Default::default()
            },
            "mean_degree",
        ),
    ] {
        match synthetic_japan(&config) {
            Err(Error::Parameter { name: got, .. }) => assert_eq!(got, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert_eq!(japan(1, 0).n_trades(), 0);
    assert_eq!(japan(2, 0).n_firms(), 2);
}
