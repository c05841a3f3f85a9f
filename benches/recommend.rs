//! Criterion benches of the partner recommender on a 100k-firm synthetic economy:
//! `cargo bench --bench recommend`. The million-firm batch with peak memory, and the per-firm
//! comparison with networkx, come from `bench/recommend.py`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tsunagime::recommend::*;
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};

fn benches(c: &mut Criterion) {
    let net = synthetic_japan(&SyntheticConfig {
        n_firms: 100_000,
        ..Default::default()
    })
    .expect("valid configuration");
    let mut group = c.benchmark_group(format!(
        "recommend, {} firms, {} trades",
        net.n_firms(),
        net.n_trades()
    ));
    group.sample_size(10);
    for purpose in [Purpose::Supplier, Purpose::Customer, Purpose::Research] {
        let recommender = PartnerRecommender::new(Options::new(purpose));
        group.bench_function(format!("fit {}", purpose.name()), |b| {
            b.iter(|| recommender.fit(&net).map(black_box))
        });
        let fitted = recommender.fit(&net).expect("fits");
        let prepared = fitted.prepare(&net).expect("prepares");
        let every_firm = Request {
            k: 10,
            ..Default::default()
        };
        group.bench_function(format!("top-10 of every firm, {}", purpose.name()), |b| {
            b.iter(|| {
                fitted
                    .recommend_prepared(&net, &prepared, &every_firm, &tsunagime::Quiet)
                    .map(black_box)
            })
        });
    }
    group.finish();
}

criterion_group!(recommend, benches);
criterion_main!(recommend);
