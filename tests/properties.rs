//! Invariants on random networks and summits (proptest): brokerage against a naive count of
//! open two-paths, participation bounds, multipliers against a dense solve, valid schedules,
//! no existing partner recommended, and the same results on 1 and 2 threads and after a byte
//! round trip.

use proptest::prelude::*;
use tsunagime::network::{FirmTable, NetworkBuilder, SelfLoops, TradeTable};
use tsunagime::recommend::{Options, PartnerRecommender, Purpose, Request};
use tsunagime::roles::*;
use tsunagime::summit::{random_instance, schedule, validate, SolveOptions};
use tsunagime::TradeNetwork;

/// A random network: firms in up to four regions and three industries, with coordinates,
/// sales above their in-region purchases or not, and trades over four years.
fn network() -> impl Strategy<Value = TradeNetwork> {
    (2usize..40).prop_flat_map(|n| {
        (
            prop::collection::vec((0u8..4, 0u8..3, 0.0f64..2.0), n),
            prop::collection::vec((0..n, 0..n, 0.5f64..100.0, 2016i32..2020), 0..n * 4),
        )
            .prop_map(move |(firms, trades)| {
                let strength = |i: usize| -> f64 {
                    trades.iter().filter(|t| t.0 == i).map(|t| t.2).sum::<f64>()
                };
                let regions: Vec<String> = firms.iter().map(|f| format!("R{}", f.0)).collect();
                let industries: Vec<String> = firms.iter().map(|f| format!("I{}", f.1)).collect();
                let table = FirmTable::new((0..n as i64).collect::<Vec<_>>())
                    .with_partition("region", regions.iter().map(|r| Some(r.as_str())))
                    .with_partition("industry", industries.iter().map(|r| Some(r.as_str())))
                    .with_attribute("lat", firms.iter().map(|f| 35.0 + f.2).collect())
                    .with_attribute("lon", firms.iter().map(|f| 137.0 - f.2).collect())
                    .with_attribute(
                        "sales",
                        (0..n)
                            .map(|i| strength(i) * (1.0 + firms[i].2) + 1.0)
                            .collect(),
                    );
                let ends = |f: fn(&(usize, usize, f64, i32)) -> usize| -> Vec<i64> {
                    trades.iter().map(|t| f(t) as i64).collect()
                };
                let t = TradeTable::new(ends(|t| t.0), ends(|t| t.1))
                    .with_amount(trades.iter().map(|t| t.2).collect())
                    .with_year(trades.iter().map(|t| t.3).collect());
                NetworkBuilder::new()
                    .firms(table)
                    .trades(t)
                    .self_loops(SelfLoops::Drop)
                    .build()
                    .expect("a valid random network")
                    .0
            })
    })
}

/// Runs `f` on a rayon pool of `threads` threads.
fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(f)
}

/// Solves `(I − Aᵀ) m = 1` densely (Gaussian elimination with partial pivoting).
fn dense_multipliers(a: &[Vec<f64>]) -> Vec<f64> {
    let n = a.len();
    let mut m: Vec<Vec<f64>> = (0..n)
        .map(|k| {
            let mut row: Vec<f64> = (0..n).map(|j| -a[j][k]).collect();
            row[k] += 1.0;
            row.push(1.0);
            row
        })
        .collect();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&x, &y| m[x][c].abs().total_cmp(&m[y][c].abs()))
            .expect("a pivot row");
        m.swap(c, p);
        let pivot = m[c].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot[c];
                for (x, p) in row[c..].iter_mut().zip(&pivot[c..]) {
                    *x -= f * p;
                }
            }
        }
    }
    (0..n).map(|k| m[k][n] / m[k][k]).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn brokerage_roles_sum_to_the_naive_count_of_open_two_paths(net in network()) {
        let b = brokerage(&net, "region").unwrap();
        let g = Groups::of(&net, "region").unwrap();
        for k in 0..net.n_firms() as u32 {
            let mut naive = [0.0; 6];
            for &a in net.suppliers(k) {
                for &c in net.customers(k) {
                    if a != c && !net.has_trade(a, c) {
                        let (ga, gb, gc) = (g.code[a as usize], g.code[k as usize], g.code[c as usize]);
                        let role = match (ga == gb, gb == gc, ga == gc) {
                            (true, true, _) => 0,
                            (false, false, true) => 1,
                            (true, false, _) => 2,
                            (false, true, _) => 3,
                            (false, false, false) => 4,
                        };
                        naive[role] += 1.0;
                        naive[5] += 1.0;
                    }
                }
            }
            let raw = b.raw[k as usize];
            prop_assert_eq!(raw[..5].iter().sum::<f64>(), raw[5]);
            prop_assert_eq!(raw, naive);
        }
    }

    #[test]
    fn participation_lies_in_zero_to_one_minus_one_over_m(net in network()) {
        let c = cartography(&net, "region", CartographyOptions::default()).unwrap();
        let modules = Groups::of(&net, "region").unwrap().len() as f64;
        for &p in &c.participation {
            prop_assert!(p.is_nan() || (-1e-12..=1.0 - 1.0 / modules + 1e-12).contains(&p), "{p}");
        }
    }

    #[test]
    fn multipliers_are_at_least_one_and_equal_the_dense_solve(net in network()) {
        let o = RippleOptions { clip: Some(0.9), ..RippleOptions::default() };
        let r = ripple(&net, "region", &o).unwrap();
        let g = Groups::of(&net, "region").unwrap();
        let n = net.n_firms();
        let mut a = vec![vec![0.0; n]; n];
        for k in 0..n as u32 {
            let bought: f64 = net.in_edges(k).iter().zip(net.suppliers(k))
                .filter(|(_, &j)| g.same(j, k))
                .map(|(&e, _)| net.amount_or_one(e as usize))
                .sum();
            let scale = if r.clipped[k as usize] { 0.9 / bought } else { 1.0 / r.output[k as usize] };
            for (&e, &j) in net.in_edges(k).iter().zip(net.suppliers(k)) {
                if g.same(j, k) {
                    a[j as usize][k as usize] += net.amount_or_one(e as usize) * scale;
                }
            }
        }
        let dense = dense_multipliers(&a);
        for (m, d) in r.multiplier.iter().zip(&dense) {
            prop_assert!(*m >= 1.0);
            prop_assert!(
                approx::relative_eq!(m, d, epsilon = 1e-9, max_relative = 1e-9),
                "{m} vs dense {d}"
            );
        }
    }

    #[test]
    fn schedules_always_pass_the_validator(
        n in 2usize..50, slots in 1usize..7, tables in 1u32..12, partners in 1usize..8,
        unavailable in 0.0f64..0.5, seed in 0u64..1000,
    ) {
        let input = random_instance(n, slots, tables, partners, unavailable, seed);
        let plan = schedule(&input, &SolveOptions { seed, ..SolveOptions::default() }).unwrap();
        prop_assert_eq!(validate(&input, &plan), Vec::<String>::new());
    }

    #[test]
    fn recommendations_never_name_an_existing_partner(net in network(), purpose in 0usize..3) {
        let purpose = [Purpose::Supplier, Purpose::Customer, Purpose::Research][purpose];
        let options = Options { region: Some("region".into()), industry: Some("industry".into()), ..Options::new(purpose) };
        let fitted = PartnerRecommender::new(options).fit(&net).unwrap();
        let recs = fitted.recommend(&net, &Request { k: 5, ..Request::default() }).unwrap();
        for (&f, &p) in recs.firm.iter().zip(&recs.partner) {
            prop_assert_ne!(f, p);
            match purpose {
                Purpose::Supplier => prop_assert!(!net.has_trade(p, f)),
                Purpose::Customer => prop_assert!(!net.has_trade(f, p)),
                Purpose::Research => {}
            }
        }
    }

    #[test]
    fn one_and_two_threads_and_a_byte_round_trip_agree(net in network()) {
        let again = TradeNetwork::from_bytes(&net.to_bytes().unwrap()).unwrap();
        prop_assert_eq!(&again, &net);
        let run = |net: &TradeNetwork| {
            let options = Options { region: Some("region".into()), industry: Some("industry".into()), ..Options::new(Purpose::Customer) };
            let fitted = PartnerRecommender::new(options).fit(net).unwrap();
            let restored = tsunagime::recommend::FittedRecommender::from_bytes(&fitted.to_bytes().unwrap()).unwrap();
            let request = Request { k: 5, ..Request::default() };
            (
                brokerage(net, "region").unwrap(),
                cartography(net, "region", CartographyOptions::default()).unwrap(),
                ripple(net, "region", &RippleOptions { clip: Some(0.9), ..RippleOptions::default() }).unwrap(),
                fitted.recommend(net, &request).unwrap(),
                restored.recommend(net, &request).unwrap(),
            )
        };
        // Compared through their Debug text: exact floats, and NaN (no leakage) equal to NaN.
        let one = on_threads(1, || run(&net));
        let two = on_threads(2, || run(&again));
        prop_assert_eq!(&one.3, &one.4);
        prop_assert_eq!(format!("{one:?}"), format!("{two:?}"));
    }
}
