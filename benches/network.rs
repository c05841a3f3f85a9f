//! Criterion benches of building networks: from tables, from CSV, and the synthetic economy.
//! `cargo bench --bench network`; the 1M-firm figures with peak memory and the comparison
//! with networkx and igraph come from `bench/load.py`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tsunagime::network::{write_csv, CsvOptions, NetworkBuilder};
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
use tsunagime::TradeNetwork;

const N_FIRMS: usize = 200_000;

fn benches(c: &mut Criterion) {
    let config = SyntheticConfig {
        n_firms: N_FIRMS,
        ..Default::default()
    };
    let net = synthetic_japan(&config).expect("valid configuration");
    let (firms, trades, _) = net.to_tables();
    let dir = tempfile::tempdir().expect("temporary folder");
    let (f, t) = (dir.path().join("firms.csv"), dir.path().join("trades.csv"));
    write_csv(&net, &f, &t, None).expect("writable temporary folder");

    let mut group = c.benchmark_group(format!("{N_FIRMS} firms, {} trades", net.n_trades()));
    group.sample_size(10);
    group.bench_function("build from tables", |b| {
        b.iter(|| {
            NetworkBuilder::new()
                .firms(firms.clone())
                .trades(trades.clone())
                .build()
                .map(|r| black_box(r.0.n_trades()))
        })
    });
    group.bench_function("read_csv", |b| {
        b.iter(|| {
            TradeNetwork::read_csv(Some(&f), &t, None, &CsvOptions::default())
                .map(|r| black_box(r.0.n_trades()))
        })
    });
    group.bench_function("synthetic_japan", |b| {
        b.iter(|| synthetic_japan(&config).map(|n| black_box(n.n_trades())))
    });
    group.finish();
}

criterion_group!(network, benches);
criterion_main!(network);
