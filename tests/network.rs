//! The network builder, its policies and errors, CSV and byte round trips, views.

use std::io::Write;
use std::path::{Path, PathBuf};
use tsunagime::network::{
    write_csv, CollaborationTable, CsvOptions, Duplicates, FirmId, FirmTable, NetworkBuilder,
    SelfLoops, TradeTable,
};
use tsunagime::{Error, TradeNetwork};

fn small() -> (TradeNetwork, tsunagime::network::LoadReport) {
    let firms = FirmTable::new(vec!["a", "b", "c", "d"])
        .with_partition(
            "prefecture",
            [Some("Tokyo"), Some("Tokyo"), Some("Osaka"), None],
        )
        .with_attribute("sales", vec![10.0, 20.0, f64::NAN, 5.0]);
    let trades = TradeTable::new(vec!["a", "b", "a", "c", "a"], vec!["b", "c", "c", "d", "b"])
        .with_amount(vec![1.0, 2.0, 3.0, 4.0, 5.0])
        .with_year(vec![2017, 2018, 2019, 2018, 2016]);
    let collabs =
        CollaborationTable::new(vec!["b", "d"], vec!["a", "c"]).with_year(vec![2018, 2019]);
    NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .collaborations(collabs)
        .build()
        .unwrap()
}

fn idx(net: &TradeNetwork, id: &str) -> u32 {
    net.index_of(&FirmId::from(id)).unwrap()
}

#[test]
fn builds_csr_both_ways_and_merges_duplicates() {
    let (net, report) = small();
    assert_eq!(
        (net.n_firms(), net.n_trades(), net.n_collaborations()),
        (4, 4, 2)
    );
    assert_eq!(report.trades_read, 5);
    assert_eq!(report.trades_merged, 1);
    assert_eq!(
        report.missing,
        vec![("prefecture".to_string(), 1), ("sales".to_string(), 1)]
    );
    let (a, b, c) = (idx(&net, "a"), idx(&net, "b"), idx(&net, "c"));
    assert_eq!(net.customers(a), &[b, c]);
    assert_eq!(net.suppliers(c), &[a, b]);
    // a → b appears twice: amounts summed, first year is the earliest.
    let e = net.out_edges(a).start;
    assert_eq!(net.amounts().unwrap()[e], 6.0);
    assert_eq!(net.years().unwrap()[e], 2016);
    for k in 0..net.n_firms() as u32 {
        for (&s, &e) in net.suppliers(k).iter().zip(net.in_edges(k)) {
            assert_eq!(net.edge_suppliers()[e as usize], s);
            assert_eq!(net.edge_customers()[e as usize], k);
        }
    }
    assert!(net.has_trade(a, b) && !net.has_trade(b, a));
}

#[test]
fn duplicate_policies() {
    let trades = || TradeTable::new(vec![1, 1, 2], vec![2, 2, 1]).with_amount(vec![3.0, 5.0, 1.0]);
    let amount = |policy| {
        let (net, _) = NetworkBuilder::new()
            .trades(trades())
            .duplicates(policy)
            .build()
            .unwrap();
        net.amounts().unwrap()[0]
    };
    assert_eq!(amount(Duplicates::Sum), 8.0);
    assert_eq!(amount(Duplicates::Max), 5.0);
    assert_eq!(amount(Duplicates::First), 3.0);
    let err = NetworkBuilder::new()
        .trades(trades())
        .duplicates(Duplicates::Error)
        .build()
        .unwrap_err();
    assert_eq!(err.to_string(), "trades, row 1: repeated pair (same as trades, row 0); duplicates='sum', 'max' or 'first' merges such rows");
}

#[test]
fn self_loops_error_or_are_counted_when_dropped() {
    let trades = || TradeTable::new(vec![1, 2, 3], vec![2, 2, 1]);
    let err = NetworkBuilder::new().trades(trades()).build().unwrap_err();
    assert_eq!(err.location().unwrap().row, Some(1));
    let (net, report) = NetworkBuilder::new()
        .trades(trades())
        .self_loops(SelfLoops::Drop)
        .build()
        .unwrap();
    assert_eq!(net.n_trades(), 2);
    assert_eq!(report.rejected[0].count, 1);
    assert_eq!(report.rejected[0].first, "trades, row 1");
}

#[test]
fn bad_values_name_row_and_column() {
    let firms = || FirmTable::new(vec![1, 2, 3]);
    let check = |trades: TradeTable, row: u64, column: &str| {
        let err = NetworkBuilder::new()
            .firms(firms())
            .trades(trades)
            .build()
            .unwrap_err();
        let loc = err
            .location()
            .cloned()
            .unwrap_or_else(|| panic!("no location in {err}"));
        assert_eq!(
            (loc.row, loc.column.as_deref()),
            (Some(row), Some(column)),
            "{err}"
        );
        err
    };
    let base = || TradeTable::new(vec![1, 2, 1], vec![2, 3, 3]);
    for bad in [f64::NAN, -1.0, f64::INFINITY] {
        check(base().with_amount(vec![1.0, 2.0, bad]), 2, "amount");
    }
    let err = check(TradeTable::new(vec![1, 9, 8], vec![2, 3, 3]), 1, "supplier");
    assert!(matches!(err, Error::UnknownFirm { .. }));
    assert!(
        err.to_string()
            .ends_with("unknown firm id '9', and 1 more rows name unknown firms"),
        "{err}"
    );
    check(base().with_year(vec![2010, 99, 2011]), 1, "year");
    check(
        base()
            .with_year(vec![2010, 2011, 2012])
            .with_last_year(vec![2010, 2010, 2012]),
        1,
        "last_year",
    );
    let err = NetworkBuilder::new()
        .firms(FirmTable::new(vec![1, 2, 1]))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "firms, row 2, column 'id': duplicate firm id '1' (first at firms, row 0)"
    );
    let err = NetworkBuilder::new()
        .firms(FirmTable::new(vec!["x", ""]))
        .build()
        .unwrap_err();
    assert_eq!(err.location().unwrap().row, Some(1));
    let err = NetworkBuilder::new()
        .firms(FirmTable::new(vec![1, 2]).with_attribute("lat", vec![35.0, 91.0]))
        .build()
        .unwrap_err();
    assert_eq!(err.location().unwrap().column.as_deref(), Some("lat"));
    let err = NetworkBuilder::new()
        .firms(FirmTable::new(vec![1, 2]).with_attribute("sales", vec![1.0]))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("1 values for 2 firms"), "{err}");
}

#[test]
fn ids_convert_between_integers_and_canonical_strings() {
    let firms = FirmTable::new(vec![7i64, 8]);
    let (net, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(TradeTable::new(vec!["7"], vec!["8"]))
        .build()
        .unwrap();
    assert_eq!(net.n_trades(), 1);
    let err = NetworkBuilder::new()
        .firms(FirmTable::new(vec![7i64, 8]))
        .trades(TradeTable::new(vec!["07"], vec!["8"]))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("unknown firm id '07'"), "{err}");
}

#[test]
fn firms_are_inferred_when_absent() {
    let (net, report) = NetworkBuilder::new()
        .trades(TradeTable::new(vec!["x", "y"], vec!["y", "z"]))
        .build()
        .unwrap();
    assert_eq!(
        net.firm_ids(),
        &tsunagime::network::FirmIds::from(vec!["x", "y", "z"])
    );
    assert_eq!(report.firms_inferred, 3);
    let (empty, _) = NetworkBuilder::new().build().unwrap();
    assert_eq!((empty.n_firms(), empty.n_trades()), (0, 0));
}

#[test]
fn until_and_subgraph() {
    let (net, _) = small();
    let early = net.until(2017).unwrap();
    assert_eq!(early.n_firms(), 4);
    assert_eq!(early.n_trades(), 1); // a → b (2016)
    assert_eq!(early.n_collaborations(), 0);
    assert_eq!(net.until(2100).unwrap(), net);
    let sub = net
        .subgraph(&[idx(&net, "c"), idx(&net, "a"), idx(&net, "b")])
        .unwrap();
    assert_eq!(
        sub.firm_ids(),
        &tsunagime::network::FirmIds::from(vec!["c", "a", "b"])
    );
    assert_eq!(sub.n_trades(), 3);
    assert_eq!(sub.partition("prefecture").unwrap().label(0), Some("Osaka"));
    assert_eq!(sub.n_collaborations(), 1);
    assert!(net.subgraph(&[0, 0]).is_err());
    assert!(net.subgraph(&[99]).is_err());
    let bare = NetworkBuilder::new()
        .trades(TradeTable::new(vec![1], vec![2]))
        .build()
        .unwrap()
        .0;
    assert!(matches!(bare.until(2000), Err(Error::Parameter { .. })));
}

#[test]
fn bytes_round_trip_and_reject_corruption() {
    let (net, _) = small();
    let bytes = net.to_bytes().unwrap();
    assert_eq!(TradeNetwork::from_bytes(&bytes).unwrap(), net);
    assert!(matches!(
        TradeNetwork::from_bytes(&bytes[..bytes.len() / 2]),
        Err(Error::Decode(_))
    ));
    assert!(TradeNetwork::from_bytes(&[]).is_err());
}

#[test]
fn tables_round_trip() {
    let (net, _) = small();
    let (firms, trades, collabs) = net.to_tables();
    let (again, _) = NetworkBuilder::new()
        .firms(firms)
        .trades(trades)
        .collaborations(collabs)
        .build()
        .unwrap();
    assert_eq!(again, net);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

#[test]
fn csv_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (net, _) = small();
    let (f, t, c) = (
        dir.path().join("f.csv"),
        dir.path().join("t.csv"),
        dir.path().join("c.csv"),
    );
    write_csv(&net, &f, &t, Some(&c)).unwrap();
    let (again, report) =
        TradeNetwork::read_csv(Some(&f), &t, Some(&c), &CsvOptions::default()).unwrap();
    assert_eq!(again, net);
    assert_eq!(report.trades_read, 4);
    let japan = tsunagime::synthetic::synthetic_japan(&tsunagime::synthetic::SyntheticConfig {
        n_firms: 500,
        ..Default::default()
    })
    .unwrap();
    write_csv(&japan, &f, &t, Some(&c)).unwrap();
    let (again, _) =
        TradeNetwork::read_csv(Some(&f), &t, Some(&c), &CsvOptions::default()).unwrap();
    assert_eq!(again, japan);
}

#[test]
fn csv_handles_bom_crlf_quotes_and_trimming() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "f.csv",
        "\u{feff}firm_id,name,code\r\n a ,\"Kaga, Ltd\",01\r\nb,Noto,17\r\n".as_bytes(),
    );
    let t = write(dir.path(), "t.csv", b"supplier,customer\r\na,b\r\n");
    let (net, _) = TradeNetwork::read_csv(Some(&f), &t, None, &CsvOptions::default()).unwrap();
    assert_eq!(net.partition("name").unwrap().label(0), Some("Kaga, Ltd"));
    // Zero-padded codes stay categorical.
    assert_eq!(net.partition("code").unwrap().label(0), Some("01"));
    assert_eq!(net.n_trades(), 1);
}

#[test]
fn csv_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let firms = write(
        dir.path(),
        "firms.csv",
        b"firm_id,sales\n1,10\n2,20\n3,x5\n",
    );
    let opts = CsvOptions {
        attributes: vec!["sales".into()],
        ..Default::default()
    };
    let err = TradeNetwork::read_csv(Some(&firms), &firms, None, &opts).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("firms.csv, line 4, column 'sales': 'x5' is not a number"),
        "{err}"
    );

    let firms = write(dir.path(), "firms.csv", b"firm_id\n1\n2\n3\n");
    let case = |name: &str, body: &[u8]| {
        TradeNetwork::read_csv(
            Some(&firms),
            &write(dir.path(), name, body),
            None,
            &CsvOptions::default(),
        )
        .unwrap_err()
    };
    let err = case("unknown.csv", b"supplier,customer\n1,2\n1,9\n");
    assert!(
        matches!(err, Error::UnknownFirm { .. })
            && err
                .to_string()
                .contains("unknown.csv, line 3, column 'customer'"),
        "{err}"
    );
    let err = case("nan.csv", b"supplier,customer,amount\n1,2,NaN\n");
    assert!(
        err.to_string()
            .contains("line 2, column 'amount': missing (NaN) amount"),
        "{err}"
    );
    let err = case("neg.csv", b"supplier,customer,amount\n1,2,5\n2,3,-1\n");
    assert!(
        err.to_string()
            .contains("line 3, column 'amount': negative amount"),
        "{err}"
    );
    let err = case("unparsable.csv", b"supplier,customer,amount\n1,2,1e\n");
    assert!(
        err.to_string()
            .contains("line 2, column 'amount': '1e' is not a number"),
        "{err}"
    );
    let err = case("loop.csv", b"supplier,customer\n1,2\n3,3\n");
    assert!(
        err.to_string().contains("loop.csv, line 3: self-loop"),
        "{err}"
    );
    let err = case("count.csv", b"supplier,customer\n1,2\n1,2,3\n");
    assert!(
        err.to_string()
            .contains("line 3: 3 fields, but the header has 2"),
        "{err}"
    );
    let err = case("missing.csv", b"from,to\n1,2\n");
    assert!(
        matches!(err, Error::MissingColumn { .. })
            && err
                .to_string()
                .contains("missing column 'supplier' (columns present: from, to)"),
        "{err}"
    );
    let err = case("empty.csv", b"");
    assert!(
        err.to_string().contains("empty.csv, line 1: empty file"),
        "{err}"
    );
    let err = case("utf8.csv", b"supplier,customer\n1,\xff\xfe\n");
    assert!(
        err.to_string()
            .contains("line 2, column 'customer': not valid UTF-8"),
        "{err}"
    );
    let err = case("emptyid.csv", b"supplier,customer\n1,\n");
    assert!(
        err.to_string()
            .contains("line 2, column 'customer': empty firm id"),
        "{err}"
    );
    let err = case("year.csv", b"supplier,customer,year\n1,2,20x9\n");
    assert!(
        err.to_string()
            .contains("line 2, column 'year': '20x9' is not a year"),
        "{err}"
    );
    let err = TradeNetwork::read_csv(
        Some(&dir.path().join("nope.csv")),
        &firms,
        None,
        &CsvOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    let dup = write(dir.path(), "dup.csv", b"firm_id\n1\n 1\n");
    let err = TradeNetwork::read_csv(Some(&dup), &firms, None, &CsvOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("dup.csv, line 3, column 'id': duplicate firm id '1' (first at"),
        "{err}"
    );
}

#[test]
fn csv_without_firms_infers_them() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "t.csv",
        b"supplier,customer,amount,year\n10,20,1.5,2019\n20,30,2,2020\n",
    );
    let (net, report) = TradeNetwork::read_csv(None, &t, None, &CsvOptions::default()).unwrap();
    assert_eq!(
        net.firm_ids(),
        &tsunagime::network::FirmIds::Int(vec![10, 20, 30])
    );
    assert_eq!(report.firms_inferred, 3);
}

#[test]
fn crlf_files_report_the_right_line() {
    let dir = tempfile::tempdir().unwrap();
    let firms = write(dir.path(), "f.csv", b"firm_id\r\n1\r\n2\r\n");
    let trades = write(
        dir.path(),
        "t.csv",
        b"supplier,customer\r\n1,2\r\n\"2\",\"1\r\n2\"\r\n1,3\r\n",
    );
    let err =
        TradeNetwork::read_csv(Some(&firms), &trades, None, &CsvOptions::default()).unwrap_err();
    // The record with a quoted line break starts on line 3; lines stay right after it.
    assert!(
        err.to_string()
            .contains("t.csv, line 3, column 'customer': unknown firm id '1\n2'"),
        "{err}"
    );
    let trades = write(dir.path(), "t.csv", b"supplier,customer\r\n1,2\r\n1,3\r\n");
    let err =
        TradeNetwork::read_csv(Some(&firms), &trades, None, &CsvOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("t.csv, line 3, column 'customer'"),
        "{err}"
    );
}

/// Files of several megabytes are read in blocks, each cut into pieces parsed on all cores:
/// quoted cells holding delimiters, quotes and line breaks, CRLF line ends and blank lines
/// must read exactly as the same rows built in memory, and lines must still be counted right
/// at the end of the file.
#[test]
fn large_files_read_in_parallel_pieces_equal_the_rows_built_in_memory() {
    let n_firms = 120_000usize;
    let labels = [
        "Manufacturing",
        "Medical, welfare & education",
        "say \"hi\"",
        "two\nlines",
    ];
    let id = |i: usize| format!("F{i:06}");
    let mut firms_csv = String::from("firm_id,industry,sales\n");
    let (mut ids, mut industry, mut sales) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n_firms {
        let label = labels[(i * 7) % labels.len()];
        let quoted = format!("\"{}\"", label.replace('"', "\"\""));
        let cell = if label.contains([',', '"', '\n']) {
            quoted
        } else {
            label.to_string()
        };
        firms_csv.push_str(&format!("{},{cell},{}.5\n", id(i), i % 1000));
        if i % 5_000 == 0 {
            firms_csv.push('\n'); // a blank line, skipped
        }
        ids.push(id(i));
        industry.push(Some(label));
        sales.push((i % 1000) as f64 + 0.5);
    }
    let mut trades_csv = String::from("supplier,customer,amount,year\r\n");
    let (mut sup, mut cus, mut amount, mut year) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut x = 7u64;
    for r in 0..200_000usize {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let (a, b) = (
            (x % n_firms as u64) as usize,
            (x / 7 % n_firms as u64) as usize,
        );
        if a == b {
            continue;
        }
        trades_csv.push_str(&format!(
            "{},{},{},{}\r\n",
            id(a),
            id(b),
            r % 97,
            2016 + r % 4
        ));
        sup.push(id(a));
        cus.push(id(b));
        amount.push((r % 97) as f64);
        year.push(2016 + (r % 4) as i32);
    }
    let dir = tempfile::tempdir().unwrap();
    let firms = write(dir.path(), "firms.csv", firms_csv.as_bytes());
    let trades = write(dir.path(), "trades.csv", trades_csv.as_bytes());
    assert!(
        firms_csv.len().min(trades_csv.len()) > 3 << 20,
        "more than one block each"
    );
    let (net, report) =
        TradeNetwork::read_csv(Some(&firms), &trades, None, &CsvOptions::default()).unwrap();
    let (built, _) = NetworkBuilder::new()
        .firms(
            FirmTable::new(ids)
                .with_partition("industry", industry)
                .with_attribute("sales", sales),
        )
        .trades(
            TradeTable::new(sup.clone(), cus)
                .with_amount(amount)
                .with_year(year),
        )
        .build()
        .unwrap();
    assert_eq!(net, built);
    assert_eq!(report.trades_read, sup.len() as u64);

    // An unknown firm on the last row is reported at its line, counted across every block.
    let last_line = trades_csv.matches('\n').count() + 1;
    std::fs::write(&trades, format!("{trades_csv}F999999,F000001,1,2019\r\n")).unwrap();
    let err = TradeNetwork::read_csv(Some(&firms), &trades, None, &CsvOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "line {last_line}, column 'supplier': unknown firm id 'F999999'"
        )),
        "{err}"
    );
}

/// petgraph's algorithms run on a `TradeNetwork` directly and agree with the same algorithms
/// on a copy of it as a `petgraph::Graph`.
#[test]
fn petgraph_algorithms_agree_with_a_copied_graph() {
    use petgraph::algo::{
        connected_components, dijkstra, has_path_connecting, kosaraju_scc, tarjan_scc, toposort,
    };
    use petgraph::graph::{DiGraph, NodeIndex};
    use petgraph::visit::{Bfs, EdgeRef, IntoEdgesDirected, NodeCount};
    use petgraph::Direction;

    let net = tsunagime::synthetic::synthetic_japan(&tsunagime::synthetic::SyntheticConfig {
        n_firms: 3_000,
        ..Default::default()
    })
    .unwrap();
    let mut g: DiGraph<(), f64> = DiGraph::with_capacity(net.n_firms(), net.n_trades());
    for _ in 0..net.n_firms() {
        g.add_node(());
    }
    for e in 0..net.n_trades() {
        let (s, c) = (net.edge_suppliers()[e], net.edge_customers()[e]);
        g.add_edge(
            NodeIndex::new(s as usize),
            NodeIndex::new(c as usize),
            net.amount_or_one(e),
        );
    }
    assert_eq!(NodeCount::node_count(&net), g.node_count());

    let sorted = |mut parts: Vec<Vec<u32>>| {
        parts.iter_mut().for_each(|p| p.sort_unstable());
        parts.sort();
        parts
    };
    let of_graph = |parts: Vec<Vec<NodeIndex>>| {
        sorted(
            parts
                .into_iter()
                .map(|p| p.into_iter().map(|v| v.index() as u32).collect())
                .collect(),
        )
    };
    let ours = sorted(kosaraju_scc(&net));
    assert!(
        ours.iter().any(|c| c.len() > 1),
        "the test network has cycles"
    );
    assert_eq!(ours, of_graph(kosaraju_scc(&g)));
    assert_eq!(sorted(tarjan_scc(&net)), of_graph(tarjan_scc(&g)));
    assert_eq!(connected_components(&net), connected_components(&g));
    assert_eq!(toposort(&net, None).is_err(), toposort(&g, None).is_err());

    for source in [0u32, 17, 2_999] {
        let cost = dijkstra(&net, source, None, |e| *e.weight());
        let reference = dijkstra(&g, NodeIndex::new(source as usize), None, |e| *e.weight());
        assert_eq!(cost.len(), reference.len());
        for (v, c) in &reference {
            approx::assert_relative_eq!(cost[&(v.index() as u32)], *c, max_relative = 1e-12);
        }
        let mut bfs = Bfs::new(&net, source);
        let mut reached = Vec::new();
        while let Some(v) = bfs.next(&net) {
            reached.push(v);
        }
        reached.sort_unstable();
        let mut expected: Vec<u32> = reference.keys().map(|v| v.index() as u32).collect();
        expected.sort_unstable();
        assert_eq!(reached, expected);
        let target = net.n_firms() as u32 / 2;
        assert_eq!(
            has_path_connecting(&net, source, target, None),
            has_path_connecting(
                &g,
                NodeIndex::new(source as usize),
                NodeIndex::new(target as usize),
                None
            )
        );
        let incoming: Vec<u32> = net
            .edges_directed(source, Direction::Incoming)
            .map(|e| e.id() as u32)
            .collect();
        assert_eq!(incoming, net.in_edges(source));
        assert!(net
            .edges_directed(source, Direction::Incoming)
            .all(|e| e.target() == source && *e.weight() == net.amount_or_one(e.id())));
    }
}

#[test]
fn accessors_of_the_example_network() -> tsunagime::Result<()> {
    // The accessors' one-line docs in the crate are checked here, on its doc fixture.
    let net = tsunagime::network::example()?;
    assert_eq!(net.n_firms(), 3);
    assert_eq!(net.n_trades(), 3);
    assert_eq!(net.n_collaborations(), 0);
    assert_eq!(net.firm_ids().get(2).to_string(), "c");
    assert_eq!(net.firms().partitions[0].name, "region");
    assert_eq!(net.index_of(&FirmId::from("b")), Some(1));
    assert_eq!(net.index_of(&FirmId::from("z")), None);
    assert_eq!(net.require(&FirmId::from("c"))?, 2);
    assert!(net.require(&FirmId::from("z")).is_err());
    assert_eq!(net.out_edges(0), 0..2); // a → b is link 0, a → c link 1
    assert_eq!(net.customers(0), &[1, 2]);
    assert_eq!(net.suppliers(2), &[0, 1]);
    assert_eq!(net.in_edges(2), &[1, 2]); // a → c and b → c
    assert_eq!((net.out_degree(0), net.out_degree(2)), (2, 0));
    assert_eq!((net.in_degree(0), net.in_degree(2)), (0, 2));
    assert_eq!(net.edge_suppliers(), &[0, 0, 1]);
    assert_eq!(net.edge_customers(), &[1, 2, 2]);
    assert!(net.has_trade(0, 1) && !net.has_trade(1, 0));
    assert_eq!(net.amounts(), Some(&[4.0, 1.0, 2.0][..]));
    assert_eq!(net.amount_or_one(2), 2.0);
    assert_eq!(net.years(), Some(&[2018, 2019, 2019][..]));
    assert!(net.last_years().is_none()); // the trades had no last_year column
    let (a, b) = net.collaborations();
    assert!(a.is_empty() && b.is_empty());
    assert!(net.collaboration_years().is_none());
    assert_eq!(net.partitions().len(), 1);
    assert_eq!(net.partition("region")?.label(2), Some("Y"));
    assert!(net.partition("industry").is_err());
    assert_eq!(net.attributes()[0].name, "lat");
    assert_eq!(net.attribute("lat")?[2], 36.0);
    let first = net.coordinates().map(|(lat, lon)| (lat[0], lon[0]));
    assert_eq!(first, Some((35.0, 139.0)));
    Ok(())
}
