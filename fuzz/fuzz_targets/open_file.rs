//! Network files with damaged bytes: one file of a saved network truncated, cut or changed at
//! any positions. Opening must return an error or a network whose every walk stays in range,
//! never panic; with `verify`, a network it returns equals the one saved.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;
use tsunagime::network::{CollaborationTable, FirmTable, NetworkBuilder, TradeTable};
use tsunagime::TradeNetwork;

const FILES: [&str; 6] = [
    "firms.arrow",
    "trades.arrow",
    "suppliers.arrow",
    "offsets.arrow",
    "collaborations.arrow",
    "manifest.json",
];

#[derive(Debug, Arbitrary)]
struct Input {
    file: u8,
    /// Keep only this many bytes (taken modulo the length plus one).
    truncate: Option<u32>,
    /// (position modulo the length, byte xored in).
    edits: Vec<(u32, u8)>,
    verify: bool,
}

struct Saved {
    _dir: tempfile::TempDir,
    path: PathBuf,
    net: TradeNetwork,
    bytes: Vec<Vec<u8>>,
}

/// A small network with every kind of column: string ids, a partition with a missing label,
/// an attribute, amounts, years and collaborations.
fn saved() -> &'static Saved {
    static SAVED: OnceLock<Saved> = OnceLock::new();
    SAVED.get_or_init(|| {
        let firms = FirmTable::new(vec!["a", "b", "c", "d"])
            .with_partition("region", [Some("X"), None, Some("Y"), Some("X")])
            .with_attribute("sales", vec![1.0, 2.0, f64::NAN, 4.0]);
        let trades = TradeTable::new(vec!["a", "a", "b", "d"], vec!["b", "c", "c", "a"])
            .with_amount(vec![4.0, 1.0, 2.0, 3.0])
            .with_year(vec![2018, 2019, 2019, 2020]);
        let collabs = CollaborationTable::new(vec!["a", "b"], vec!["c", "d"]);
        let (net, _) = NetworkBuilder::new()
            .firms(firms)
            .trades(trades)
            .collaborations(collabs)
            .build()
            .expect("a valid network");
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("net");
        net.save(&path, false).expect("save");
        let bytes = FILES
            .iter()
            .map(|f| std::fs::read(path.join(f)).expect("read back"))
            .collect();
        Saved {
            _dir: dir,
            path,
            net,
            bytes,
        }
    })
}

fuzz_target!(|input: Input| {
    let s = saved();
    let k = input.file as usize % FILES.len();
    let mut bytes = s.bytes[k].clone();
    if let Some(t) = input.truncate {
        bytes.truncate(t as usize % (bytes.len() + 1));
    }
    let len = bytes.len();
    for &(at, x) in input.edits.iter().take(64) {
        if len > 0 {
            bytes[at as usize % len] ^= x;
        }
    }
    let file = s.path.join(FILES[k]);
    std::fs::write(&file, &bytes).expect("write the damaged file");
    if let Ok(net) = TradeNetwork::open(&s.path, input.verify) {
        for i in 0..net.n_firms() as u32 {
            let _ = (
                net.customers(i),
                net.suppliers(i),
                net.in_edges(i),
                net.out_edges(i),
            );
        }
        for p in &net.firms().partitions {
            for i in 0..net.n_firms() {
                let _ = p.label(i);
            }
        }
        let _ = net.index_of(&"a".into());
        if input.verify {
            assert_eq!(&net, &s.net);
        }
        let _ = net.to_bytes();
    }
    std::fs::write(&file, &s.bytes[k]).expect("restore the file");
});
