//! Criterion benches of the role measures on a 200k-firm synthetic economy:
//! `cargo bench --bench roles`. The comparison with R sna and bctpy, and the 1M-firm figures
//! with peak memory, come from `bench/roles.py`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tsunagime::roles::*;
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};

fn benches(c: &mut Criterion) {
    let net = synthetic_japan(&SyntheticConfig {
        n_firms: 200_000,
        ..Default::default()
    })
    .expect("valid configuration");
    let mut group = c.benchmark_group(format!(
        "roles, {} firms, {} trades",
        net.n_firms(),
        net.n_trades()
    ));
    group.sample_size(10);
    group.bench_function("linkage", |b| {
        b.iter(|| linkage(&net, "prefecture", LinkageThresholds::default()).map(black_box))
    });
    group.bench_function("brokerage", |b| {
        b.iter(|| brokerage(&net, "prefecture").map(black_box))
    });
    group.bench_function("brokerage weighted", |b| {
        b.iter(|| brokerage_weighted(&net, "prefecture").map(black_box))
    });
    group.bench_function("cartography", |b| {
        b.iter(|| cartography(&net, "prefecture", CartographyOptions::default()).map(black_box))
    });
    group.bench_function("ripple", |b| {
        b.iter(|| ripple(&net, "prefecture", &RippleOptions::default()).map(black_box))
    });
    group.bench_function("select_leading_firms", |b| {
        b.iter(|| {
            select_leading_firms(&net, "prefecture", SelectionRule::PerRegion(5), &[])
                .map(black_box)
        })
    });
    group.finish();
}

criterion_group!(roles, benches);
criterion_main!(roles);
