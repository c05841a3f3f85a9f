//! The partner recommender: temporal hold-out against the baselines, filters, determinism,
//! saved state, firms without trades, bad requests.

use std::sync::OnceLock;
use tsunagime::network::{FirmTable, NetworkBuilder, TradeTable};
use tsunagime::recommend::*;
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
use tsunagime::{Error, TradeNetwork};

/// The 20,000-firm synthetic economy, built once for all tests.
fn japan() -> &'static TradeNetwork {
    static NET: OnceLock<TradeNetwork> = OnceLock::new();
    NET.get_or_init(|| {
        synthetic_japan(&SyntheticConfig {
            n_firms: 20_000,
            ..Default::default()
        })
        .unwrap()
    })
}

fn fitted(purpose: Purpose) -> FittedRecommender {
    PartnerRecommender::new(Options::new(purpose))
        .fit(japan())
        .unwrap()
}

fn request(firms: Vec<u32>, k: usize) -> Request {
    Request {
        firms: Some(firms),
        k,
        ..Default::default()
    }
}

#[test]
fn matches_or_beats_the_best_baseline_on_a_temporal_hold_out() {
    for purpose in [Purpose::Supplier, Purpose::Customer] {
        let e = evaluate(
            japan(),
            &Options::new(purpose),
            &EvaluationOptions {
                split_year: Some(2017),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(e.methods[0], "recommender");
        // Every baseline but EASE, which needs a small side to rank.
        for b in BASELINES.iter().filter(|b| b.name() != "ease") {
            assert!(
                e.methods.iter().any(|m| m == b.name()),
                "{} missing",
                b.name()
            );
        }
        let ours = e.get("recommender", "recall@20").unwrap();
        let best = BASELINES
            .iter()
            .filter_map(|b| e.get(b.name(), "recall@20"))
            .fold(0.0, f64::max);
        assert!(
            ours >= best,
            "{}: recall@20 {ours:.4} vs best baseline {best:.4}",
            purpose.name()
        );
        assert!(e.training.iter().all(|t| t.labels == Labels::Year(2017)));
        // The scoring kept is the best on the held-out training firms.
        for t in &e.training {
            let kept = t.validation.iter().find(|v| v.0 == t.chosen).map(|v| v.1);
            let best = t.validation.iter().map(|v| v.1).fold(0.0, f64::max);
            assert_eq!(kept, Some(best), "{:?}", t.validation);
        }
        // Metrics are proportions; precision@k ≤ recall@k·|new links|/k is not checked,
        // but every value lies in [0, 1] and recall grows with k.
        for row in &e.values {
            assert!(row.iter().all(|v| (0.0..=1.0).contains(v)), "{row:?}");
        }
        assert!(ours >= e.get("recommender", "recall@10").unwrap());
        assert!(e.candidate_recall >= ours);
    }
}

#[test]
fn recommendations_are_ranked_with_evidence_and_no_existing_partner() {
    let f = fitted(Purpose::Supplier);
    let net = japan();
    let firms: Vec<u32> = (0..200).collect();
    let r = f.recommend(net, &request(firms.clone(), 10)).unwrap();
    assert!(r.len() > 1_000, "{} rows", r.len());
    assert!(!r.is_empty());
    let mut pairs: Vec<(u32, u32)> = r
        .firm
        .iter()
        .copied()
        .zip(r.partner.iter().copied())
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    assert_eq!(
        pairs.len(),
        r.len(),
        "a partner recommended twice to the same firm"
    );
    for i in 0..r.len() {
        let (q, v) = (r.firm[i], r.partner[i]);
        assert_ne!(q, v);
        assert!(!net.has_trade(v, q), "existing supplier recommended");
        assert!(r.score[i] > 0.0 && r.score[i] <= 1.0);
        // Harmonic fusion of the two sides, where it validated; else the firm's own score.
        let (a, b) = (r.firm_score[i], r.partner_score[i]);
        let fused = if f.fuse { 2.0 * a * b / (a + b) } else { a };
        approx::assert_abs_diff_eq!(r.score[i], fused, epsilon = 1e-12);
        assert!(r.shared_partners(i).len() <= SHARED_PARTNERS);
        assert!(r.propensity[i] > 0.0 && r.propensity[i] < 1.0);
        assert!(r.distance_km[i] >= 0.0);
        assert!(r.same_region[i].is_some());
        if i > 0 && r.firm[i - 1] == q {
            assert_eq!(r.rank[i], r.rank[i - 1] + 1);
            assert!(r.score[i] <= r.score[i - 1]);
        } else {
            assert_eq!(r.rank[i], 1);
        }
    }
    // Shared partners tie the pair: a partner of the candidate that shares a partner with
    // the firm, or a common partner.
    let partners = |x: u32| -> Vec<u32> {
        let mut p: Vec<u32> = net
            .suppliers(x)
            .iter()
            .chain(net.customers(x))
            .copied()
            .collect();
        p.sort_unstable();
        p
    };
    let mut checked = 0;
    for i in 0..r.len() {
        let (q, v) = (r.firm[i], r.partner[i]);
        for &x in r.shared_partners(i) {
            let near_v = partners(v).binary_search(&x).is_ok();
            let near_q = partners(q).binary_search(&x).is_ok()
                || partners(x)
                    .iter()
                    .any(|y| partners(q).binary_search(y).is_ok());
            assert!(near_v && near_q, "{x} does not tie {q} and {v}");
            checked += 1;
        }
    }
    assert!(checked > 100);
}

#[test]
fn deterministic_and_the_saved_state_recommends_the_same() {
    let a = fitted(Purpose::Customer);
    let b = fitted(Purpose::Customer);
    assert_eq!(a, b);
    let again = FittedRecommender::from_bytes(&a.to_bytes().unwrap()).unwrap();
    assert_eq!(a, again);
    let req = request((0..300).collect(), 10);
    let ra = a.recommend(japan(), &req).unwrap();
    assert_eq!(ra, again.recommend(japan(), &req).unwrap());
    // Another seed samples other training firms: a different, equally valid model.
    let mut o = Options::new(Purpose::Customer);
    o.seed = 1;
    let c = PartnerRecommender::new(o).fit(japan()).unwrap();
    assert_ne!(a.firm.model, c.firm.model);
}

/// The Arrow record batch handed to Python holds every row of every field, read back from
/// its IPC stream: the one list of the columns loses nothing.
#[test]
fn the_arrow_record_batch_holds_every_field() {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, UInt32Type};
    let r = fitted(Purpose::Supplier)
        .recommend(japan(), &request((0..200).collect(), 7))
        .unwrap();
    let ipc = r.clone().into_arrow_ipc().unwrap();
    let mut reader = arrow_ipc::reader::StreamReader::try_new(&ipc[..], None).unwrap();
    let batch = reader.next().unwrap().unwrap();
    assert!(reader.next().is_none());
    assert_eq!(batch.num_rows(), r.len());
    let ids = |name: &str| batch[name].as_primitive::<UInt32Type>().values().to_vec();
    let reals = |name: &str| batch[name].as_primitive::<Float64Type>().values().to_vec();
    let same = |a: Vec<f64>, b: &[f64]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
    };
    assert_eq!(ids("firm"), r.firm);
    assert_eq!(ids("partner"), r.partner);
    assert_eq!(ids("rank"), r.rank);
    assert!(same(reals("score"), &r.score));
    assert!(same(reals("firm_score"), &r.firm_score));
    assert!(same(reals("partner_score"), &r.partner_score));
    assert!(same(reals("propensity"), &r.propensity));
    assert!(same(reals("distance_km"), &r.distance_km));
    let region: Vec<Option<bool>> = batch["same_region"].as_boolean().iter().collect();
    assert_eq!(region, r.same_region);
    let shared = batch["shared"].as_list::<i64>();
    for row in 0..r.len() {
        let cell = shared.value(row);
        assert_eq!(
            cell.as_primitive::<UInt32Type>().values(),
            r.shared_partners(row)
        );
    }
    assert_eq!(batch.num_columns(), 10);
}

#[test]
fn corrupt_saved_state_is_an_error() {
    let bytes = fitted(Purpose::Research).to_bytes().unwrap();
    assert!(matches!(
        FittedRecommender::from_bytes(&bytes[..bytes.len() / 2]),
        Err(Error::Decode(_))
    ));
    let mut broken = fitted(Purpose::Research);
    broken.firm.model.coef.push(1.0);
    let bytes = broken.to_bytes().unwrap();
    assert!(matches!(
        FittedRecommender::from_bytes(&bytes),
        Err(Error::Decode(_))
    ));
}

#[test]
fn filters_are_honoured() {
    let net = japan();
    let firms: Vec<u32> = (0..300).collect();
    let region = net.partition("prefecture").unwrap();
    for (prefer, same) in [(Prefer::InRegion, true), (Prefer::OutRegion, false)] {
        let mut o = Options::new(Purpose::Customer);
        o.prefer = Some(prefer);
        let f = PartnerRecommender::new(o).fit(net).unwrap();
        let r = f.recommend(net, &request(firms.clone(), 10)).unwrap();
        assert!(r.len() > 500);
        for i in 0..r.len() {
            let (a, b) = (r.firm[i] as usize, r.partner[i] as usize);
            assert_eq!(region.codes[a] == region.codes[b], same);
            assert_eq!(r.same_region[i], Some(same));
        }
    }
    let mut o = Options::new(Purpose::Supplier);
    o.max_distance_km = Some(50.0);
    let f = PartnerRecommender::new(o).fit(net).unwrap();
    let r = f.recommend(net, &request(firms.clone(), 10)).unwrap();
    assert!(!r.is_empty());
    assert!(r.distance_km.iter().all(|&d| d <= 50.0));
    // Forbidden pairs (either order) and a list to score against.
    let f = fitted(Purpose::Supplier);
    let free = f.recommend(net, &request(vec![5], 3)).unwrap();
    let forbidden = vec![(free.partner[0], 5), (5, free.partner[1])];
    let r = f
        .recommend(
            net,
            &Request {
                forbidden: forbidden.clone(),
                ..request(vec![5], 3)
            },
        )
        .unwrap();
    assert!(!r.partner.contains(&free.partner[0]) && !r.partner.contains(&free.partner[1]));
    let among: Vec<u32> = (1000..1040).collect();
    let r = f
        .recommend(
            net,
            &Request {
                among: Some(among.clone()),
                ..request(firms, 50)
            },
        )
        .unwrap();
    assert!(r.partner.iter().all(|p| among.contains(p)));
    // Every allowed member of the list is scored: 40 minus existing suppliers.
    let firm0 = r.firm.iter().filter(|&&q| q == 0).count();
    let existing = among.iter().filter(|&&v| net.has_trade(v, 0)).count();
    assert_eq!(firm0, 40 - existing);
}

/// Three prefectures' worth of firms, one of which has no trades at all.
fn small(with_years: bool) -> TradeNetwork {
    let ids: Vec<i64> = (0..60).collect();
    let pref: Vec<&str> = (0..60).map(|i| ["A", "B", "C"][i % 3]).collect();
    let ind: Vec<&str> = (0..60)
        .map(|i| ["parts", "assembly"][(i / 3) % 2])
        .collect();
    let firms = FirmTable::new(ids)
        .with_partition("prefecture", pref.iter().map(|p| Some(*p)))
        .with_partition("industry", ind.iter().map(|p| Some(*p)));
    let (mut s, mut c, mut y) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..59i64 {
        for d in [1, 7, 13] {
            let j = (i + d) % 59;
            if i != j {
                s.push(i);
                c.push(j);
                y.push(2015 + (i % 4) as i32);
            }
        }
    }
    let mut trades = TradeTable::new(s, c);
    if with_years {
        trades = trades.with_year(y);
    }
    NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .build()
        .unwrap()
        .0
}

#[test]
fn a_firm_without_trades_gets_industry_and_region_candidates() {
    let net = small(true);
    let lonely = net.index_of(&59.into()).unwrap();
    assert_eq!(net.in_degree(lonely) + net.out_degree(lonely), 0);
    for purpose in [Purpose::Supplier, Purpose::Customer, Purpose::Research] {
        let f = PartnerRecommender::new(Options::new(purpose))
            .fit(&net)
            .unwrap();
        let r = f.recommend(&net, &request(vec![lonely], 5)).unwrap();
        assert!(r.len() <= 5);
        if purpose != Purpose::Research {
            assert!(!r.is_empty(), "{purpose:?}: no candidates from the market");
        }
    }
}

#[test]
fn labels_fall_back_to_a_hold_out_then_to_the_prior() {
    let f = PartnerRecommender::new(Options::new(Purpose::Supplier))
        .fit(&small(false))
        .unwrap();
    assert!(matches!(
        f.firm.training.labels,
        Labels::HoldOut | Labels::Prior
    ));
    let f = PartnerRecommender::new(Options::new(Purpose::Research))
        .fit(&small(true))
        .unwrap();
    assert_eq!(f.firm.training.labels, Labels::Prior);
    assert_eq!(f.firm.model, prior(Purpose::Research));
    // On the synthetic economy the hold-out learns.
    let (firms, trades, _) = japan().to_tables();
    let mut trades = trades;
    trades.year = None;
    trades.last_year = None;
    let (flat, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .build()
        .unwrap();
    let f = PartnerRecommender::new(Options::new(Purpose::Supplier))
        .fit(&flat)
        .unwrap();
    assert_eq!(f.firm.training.labels, Labels::HoldOut);
    assert!(f.firm.training.positives_found >= MIN_POSITIVES);
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let net = small(true);
    let f = PartnerRecommender::new(Options::new(Purpose::Supplier))
        .fit(&net)
        .unwrap();
    let bad_k = f.recommend(&net, &request(vec![0], 0));
    assert!(matches!(bad_k, Err(Error::Parameter { name: "k", .. })));
    let bad_firm = f.recommend(&net, &request(vec![600], 3));
    assert!(matches!(
        bad_firm,
        Err(Error::Parameter { name: "firms", .. })
    ));
    // Fitted on one network, asked about another: prepare() reads the new one, fine;
    // a prepared state used with another network is refused.
    let prepared = f.prepare(&net).unwrap();
    let other = f.recommend_prepared(japan(), &prepared, &request(vec![0], 3), &tsunagime::Quiet);
    assert!(matches!(
        other,
        Err(Error::Parameter {
            name: "network",
            ..
        })
    ));
    let mut o = Options::new(Purpose::Supplier);
    o.region = Some("bloc".into());
    assert!(matches!(
        PartnerRecommender::new(o).fit(&net),
        Err(Error::UnknownName { .. })
    ));
    let mut o = Options::new(Purpose::Supplier);
    o.max_distance_km = Some(10.0);
    assert!(matches!(
        PartnerRecommender::new(o).fit(&net),
        Err(Error::Parameter {
            name: "max_distance_km",
            ..
        })
    ));
    let mut o = Options::new(Purpose::Supplier);
    o.max_distance_km = Some(f64::NAN);
    assert!(PartnerRecommender::new(o).fit(&net).is_err());
    assert!("buyer".parse::<Purpose>().is_err());
    let e = evaluate(
        &net,
        &Options::new(Purpose::Supplier),
        &EvaluationOptions {
            split_year: Some(2030),
            ..Default::default()
        },
    );
    assert!(matches!(
        e,
        Err(Error::Parameter {
            name: "split_year",
            ..
        })
    ));
}

#[test]
fn link_scores_match_hand_computation() {
    // 0 → 1, 2 → 1, 2 → 3, 0 → 3 and a collaboration 0 – 4: N(0) = {1, 3, 4}, N(2) = {1, 3}.
    let (net, _) = NetworkBuilder::new()
        .firms(FirmTable::new(vec![0i64, 1, 2, 3, 4]))
        .trades(TradeTable::new(vec![0i64, 2, 2, 0], vec![1i64, 1, 3, 3]))
        .collaborations(tsunagime::network::CollaborationTable::new(
            vec![0i64],
            vec![4i64],
        ))
        .build()
        .unwrap();
    let [pa, cn, aa, ra] = link_prediction_scores(&net, &[(0, 2), (1, 3), (4, 2)]).unwrap();
    assert_eq!(pa, vec![6.0, 4.0, 2.0]);
    assert_eq!(cn, vec![2.0, 2.0, 0.0]);
    approx::assert_abs_diff_eq!(ra[0], 1.0, epsilon = 1e-12);
    approx::assert_abs_diff_eq!(aa[0], 2.0 / 2f64.ln(), epsilon = 1e-12);
    assert_eq!(ra[2], 0.0);
    assert!(link_prediction_scores(&net, &[(0, 9)]).is_err());
    // The former name stays, deprecated, and gives the same scores.
    #[allow(deprecated)]
    let old = tsunagime::recommend::link_scores(&net, &[(0, 2), (1, 3), (4, 2)]).unwrap();
    assert_eq!(old, [pa, cn, aa, ra]);
}

#[test]
fn a_firm_without_trades_on_an_ids_only_network_gets_the_popular_firms() {
    // 40 customers buying from 4 of 30 suppliers each, and a firm with no trades at all.
    let (mut s, mut c) = (Vec::new(), Vec::new());
    for i in 0..40i64 {
        for j in 1..=4i64 {
            s.push(100 + (i * j + j * j) % 30);
            c.push(i);
        }
    }
    let mut ids: Vec<i64> = (0..40).chain(100..130).chain([999]).collect();
    ids.sort_unstable();
    let (net, _) = NetworkBuilder::new()
        .firms(FirmTable::new(ids))
        .trades(TradeTable::new(s, c))
        .build()
        .unwrap();
    let lonely = net.index_of(&999.into()).unwrap();
    let f = PartnerRecommender::new(Options::new(Purpose::Supplier))
        .fit(&net)
        .unwrap();
    let r = f.recommend(&net, &request(vec![lonely], 20)).unwrap();
    // Before the popular firms were candidates, only the six most active came.
    assert_eq!(r.len(), 20);
    assert!(r.partner.iter().all(|&p| net.out_degree(p) > 0));
}
