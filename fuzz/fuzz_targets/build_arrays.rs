//! The network builder on arbitrary column arrays (ids that repeat or are missing, NaN, infinite
//! or negative amounts, any years, ragged lengths), then every linkage measure on what it
//! builds. Errors are fine; panics, hangs and lost rows are not.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tsunagime::network::{
    CollaborationTable, Duplicates, FirmIds, FirmTable, NetworkBuilder, SelfLoops, TradeTable,
};
use tsunagime::roles::{
    brokerage, brokerage_weighted, cartography, linkage, ripple, CartographyOptions,
    LinkageThresholds, RippleOptions,
};

#[path = "common.rs"]
mod common;

#[derive(Debug, Arbitrary)]
enum Ids {
    /// Small integers, so that ids repeat and trades name firms that exist.
    Int(Vec<u8>),
    /// Short strings, with spaces and case that differ.
    Str(Vec<String>),
}

impl Ids {
    fn column(&self) -> FirmIds {
        match self {
            Ids::Int(v) => FirmIds::Int(v.iter().map(|&x| i64::from(x % 32)).collect()),
            Ids::Str(v) => FirmIds::from(v.clone()),
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Input {
    firms: Option<Ids>,
    regions: Vec<Option<u8>>,
    lat: Option<Vec<f64>>,
    suppliers: Ids,
    customers: Ids,
    amount: Option<Vec<f64>>,
    year: Option<Vec<i32>>,
    last_year: Option<Vec<i32>>,
    collaborations: Option<(Ids, Ids, Option<Vec<i32>>)>,
    duplicates: u8,
    drop_self_loops: bool,
}

fuzz_target!(|input: Input| {
    let mut builder = NetworkBuilder::new();
    if let Some(ids) = &input.firms {
        let labels: Vec<Option<String>> = input
            .regions
            .iter()
            .map(|r| r.map(|r| format!("R{}", r % 4)))
            .collect();
        let mut table = FirmTable::new(ids.column())
            .with_partition("region", labels.iter().map(|l| l.as_deref()));
        if let Some(lat) = &input.lat {
            table = table.with_attribute("lat", lat.clone());
        }
        builder = builder.firms(table);
    }
    let mut trades = TradeTable::new(input.suppliers.column(), input.customers.column());
    trades.amount = input.amount.clone();
    trades.year = input.year.clone();
    trades.last_year = input.last_year.clone();
    builder = builder.trades(trades);
    if let Some((a, b, year)) = &input.collaborations {
        let mut c = CollaborationTable::new(a.column(), b.column());
        c.year = year.clone();
        builder = builder.collaborations(c);
    }
    builder = builder
        .duplicates(
            [
                Duplicates::Sum,
                Duplicates::Max,
                Duplicates::First,
                Duplicates::Error,
            ][input.duplicates as usize % 4],
        )
        .self_loops(if input.drop_self_loops {
            SelfLoops::Drop
        } else {
            SelfLoops::Error
        });
    let Ok((net, report)) = builder.build() else {
        return;
    };
    common::check_network(&net, &report);
    if net.firms().partitions.is_empty() {
        return;
    }
    let _ = linkage(&net, "region", LinkageThresholds::default());
    if let Ok(b) = brokerage(&net, "region") {
        for raw in &b.raw {
            assert_eq!(raw[..5].iter().sum::<f64>(), raw[5]);
        }
    }
    let _ = brokerage_weighted(&net, "region");
    let _ = cartography(&net, "region", CartographyOptions::default());
    if let Ok(r) = ripple(&net, "region", &RippleOptions::default()) {
        assert!(r.multiplier.iter().all(|m| m.is_nan() || *m >= 1.0 - 1e-9));
    }
});
