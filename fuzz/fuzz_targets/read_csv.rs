//! The CSV loader on arbitrary files: firms, trades and collaborations with any bytes (invalid
//! UTF-8, quotes, BOMs, CRLF, ragged rows). It must return a network or an error, never panic,
//! and a network it returns must survive a byte round trip unchanged.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use std::path::PathBuf;
use tsunagime::network::{
    Column, CsvOptions, Duplicates, IdType, SelfLoops, TextEncoding, UnknownFirms,
};
use tsunagime::TradeNetwork;

#[path = "common.rs"]
mod common;

/// A file: one of the usual headers (or none) followed by arbitrary bytes, so that the fuzzer
/// spends its time in the rows rather than guessing column names.
#[derive(Debug, Arbitrary)]
struct File {
    header: u8,
    body: Vec<u8>,
}

impl File {
    fn bytes(&self, headers: &[&str]) -> Vec<u8> {
        let mut out = headers
            .get(self.header as usize)
            .map_or_else(Vec::new, |h| h.as_bytes().to_vec());
        out.extend_from_slice(&self.body);
        out
    }
}

const FIRMS: &[&str] = &[
    "firm_id,prefecture,lat,lon\n",
    "firm_id,region;code\r\n",
    "\u{feff}firm_id\n",
];
const TRADES: &[&str] = &[
    "supplier,customer,amount,year,last_year\n",
    "supplier,customer\r\n",
    "\u{feff}supplier;customer;amount\n",
];
const COLLABORATIONS: &[&str] = &["a,b,year\n", "a,b\r\n"];

#[derive(Debug, Arbitrary)]
struct Input {
    firms: Option<File>,
    trades: File,
    collaborations: Option<File>,
    id_type: u8,
    duplicates: u8,
    drop_self_loops: bool,
    require_amount: bool,
    semicolon: bool,
    /// Auto, UTF-8, Shift_JIS, EUC-JP, UTF-16LE.
    encoding: u8,
    thousands: bool,
    /// Error, drop, add.
    unknown_firms: u8,
}

thread_local! {
    static DIR: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    DIR.with(|d| {
        let mut d = d.borrow_mut();
        let dir = d.get_or_insert_with(|| tempfile::tempdir().expect("temporary folder"));
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the input");
        path
    })
}

fuzz_target!(|input: Input| {
    let firms = input
        .firms
        .as_ref()
        .map(|f| write("firms.csv", &f.bytes(FIRMS)));
    let trades = write("trades.csv", &input.trades.bytes(TRADES));
    let collaborations = input
        .collaborations
        .as_ref()
        .map(|f| write("collaborations.csv", &f.bytes(COLLABORATIONS)));
    let encoding = ["auto", "utf-8", "cp932", "euc_jp", "utf-16le"][input.encoding as usize % 5];
    let mut options = CsvOptions {
        id_type: [IdType::Auto, IdType::Str, IdType::Int][input.id_type as usize % 3],
        delimiter: if input.semicolon { b';' } else { b',' },
        encoding: TextEncoding::parse(encoding).expect("a known encoding"),
        thousands: input.thousands.then_some(b','),
        ..CsvOptions::default()
    };
    options.build.unknown_firms = [UnknownFirms::Error, UnknownFirms::Drop, UnknownFirms::Add]
        [input.unknown_firms as usize % 3];
    options.build.duplicates = [
        Duplicates::Sum,
        Duplicates::Max,
        Duplicates::First,
        Duplicates::Error,
    ][input.duplicates as usize % 4];
    if input.drop_self_loops {
        options.build.self_loops = SelfLoops::Drop;
    }
    if input.require_amount {
        options.amount = Column::Required("amount".into());
    }
    if let Ok((net, report)) = TradeNetwork::read_csv(
        firms.as_deref(),
        &trades,
        collaborations.as_deref(),
        &options,
    ) {
        common::check_network(&net, &report);
    }
});
