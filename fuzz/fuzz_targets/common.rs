//! Checks every fuzz target applies to a network it managed to build.

use tsunagime::network::LoadReport;
use tsunagime::TradeNetwork;

/// Nothing is lost without being counted: every row read is kept, merged or rejected, and the
/// network survives a byte round trip unchanged.
pub fn check_network(net: &TradeNetwork, report: &LoadReport) {
    let rejected = |table: &str| -> u64 {
        report
            .rejected
            .iter()
            .filter(|r| r.table == table)
            .map(|r| r.count)
            .sum()
    };
    assert_eq!(net.n_trades() as u64, report.trades_kept);
    assert_eq!(
        report.trades_kept + report.trades_merged + rejected("trades"),
        report.trades_read,
        "{report:?}"
    );
    assert_eq!(
        report.collaborations_kept + report.collaborations_merged + rejected("collaborations"),
        report.collaborations_read,
        "{report:?}"
    );
    let bytes = net.to_bytes().expect("encode");
    assert_eq!(&TradeNetwork::from_bytes(&bytes).expect("decode"), net);
}
