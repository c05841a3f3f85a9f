//! Network files: what is saved opens equal, mapped; damaged files are errors naming the file.

use std::path::Path;
use tsunagime::network::{FirmId, FirmTable, NetworkBuilder, TradeTable};
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};
use tsunagime::TradeNetwork;

fn japan() -> TradeNetwork {
    synthetic_japan(&SyntheticConfig {
        n_firms: 2_000,
        seed: 5,
        ..Default::default()
    })
    .unwrap()
}

fn saved(net: &TradeNetwork) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net");
    net.save(&path, false).unwrap();
    (dir, path)
}

#[test]
fn opened_equals_saved_in_every_array() {
    let net = japan();
    assert!(net.n_collaborations() > 0 && net.years().is_some());
    let (_dir, path) = saved(&net);
    for verify in [false, true] {
        let opened = TradeNetwork::open(&path, verify).unwrap();
        assert_eq!(opened, net);
        for i in 0..net.n_firms() as u32 {
            assert_eq!(opened.customers(i), net.customers(i));
            assert_eq!(opened.suppliers(i), net.suppliers(i));
            assert_eq!(opened.in_edges(i), net.in_edges(i));
        }
        let id = net.firm_ids().get(1234);
        assert_eq!(opened.index_of(&id), Some(1234));
        assert_eq!(opened.file().unwrap().path, path);
    }
}

#[test]
fn integer_ids_missing_labels_and_no_optional_columns() {
    let firms = FirmTable::new(vec![10i64, 20, 30, 40])
        .with_partition("region", [Some("X"), None, Some("Y"), None])
        .with_attribute("sales", vec![1.0, f64::NAN, 3.0, 4.0]);
    let trades = TradeTable::new(vec![10i64, 20], vec![20i64, 30]);
    let (net, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .build()
        .unwrap();
    let (_dir, path) = saved(&net);
    let opened = TradeNetwork::open(&path, true).unwrap();
    assert_eq!(opened, net);
    assert_eq!(opened.index_of(&FirmId::Int(30)), Some(2));
    assert_eq!(opened.firms().partitions[0].label(1), None);
    assert!(opened.amounts().is_none());
}

#[test]
fn an_empty_network_round_trips() {
    let (net, _) = NetworkBuilder::new()
        .firms(FirmTable::new(Vec::<i64>::new()))
        .trades(TradeTable::new(Vec::<i64>::new(), Vec::<i64>::new()))
        .build()
        .unwrap();
    let (_dir, path) = saved(&net);
    assert_eq!(TradeNetwork::open(&path, true).unwrap(), net);
}

#[test]
fn saving_never_replaces_silently() {
    let net = tsunagime::network::example().unwrap();
    let (dir, path) = saved(&net);
    let err = net.save(&path, false).unwrap_err().to_string();
    assert!(err.contains("already exists"), "{err}");
    net.save(&path, true).unwrap();
    let other = dir.path().join("notes");
    std::fs::create_dir(&other).unwrap();
    let err = net.save(&other, true).unwrap_err().to_string();
    assert!(err.contains("not a network file"), "{err}");
    assert!(other.exists());
}

fn open_err(path: &Path) -> String {
    TradeNetwork::open(path, false).unwrap_err().to_string()
}

#[test]
fn truncated_and_damaged_files_are_errors_naming_the_file() {
    let net = japan();
    for name in [
        "firms.arrow",
        "trades.arrow",
        "suppliers.arrow",
        "offsets.arrow",
    ] {
        let (_dir, path) = saved(&net);
        let file = path.join(name);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        let err = open_err(&path);
        assert!(err.contains(name) && err.contains("truncated"), "{err}");

        // The same length, one byte flipped in the middle of the data: verify notices.
        let mut flipped = bytes.clone();
        flipped[bytes.len() / 3] ^= 0x5a;
        std::fs::write(&file, &flipped).unwrap();
        let err = TradeNetwork::open(&path, true).unwrap_err().to_string();
        assert!(err.contains(name), "{err}");
    }
    let (_dir, path) = saved(&net);
    std::fs::remove_file(path.join("offsets.arrow")).unwrap();
    assert!(open_err(&path).contains("offsets.arrow"));
    std::fs::write(path.join("manifest.json"), "{}").unwrap();
    assert!(open_err(&path).contains("manifest.json"));
    assert!(open_err(&path.join("nothing")).contains("not a network file"));
}

/// Every byte of every file changed in turn (sizes kept, so only the decoders and the checks
/// stand between the change and the algorithms): an error or a network whose walks stay in
/// range, never a panic.
#[test]
fn any_single_byte_change_is_an_error_or_a_safe_network() {
    let net = tsunagime::network::example().unwrap();
    let (_dir, path) = saved(&net);
    for name in [
        "firms.arrow",
        "trades.arrow",
        "suppliers.arrow",
        "offsets.arrow",
        "collaborations.arrow",
    ] {
        let file = path.join(name);
        let bytes = std::fs::read(&file).unwrap();
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                std::fs::write(&file, &b).unwrap();
                if let Ok(opened) = TradeNetwork::open(&path, false) {
                    for f in 0..opened.n_firms() as u32 {
                        let _ = (opened.customers(f), opened.suppliers(f), opened.in_edges(f));
                    }
                    let _ = tsunagime::roles::linkage(&opened, "region", Default::default());
                }
            }
        }
        std::fs::write(&file, &bytes).unwrap();
    }
}
