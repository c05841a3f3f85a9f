//! Times `TradeNetwork::read_csv`: `cargo run --release --example readcsv -- firms.csv trades.csv`.
use std::path::Path;
use tsunagime::network::CsvOptions;

fn main() -> Result<(), tsunagime::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (firms, trades) = match args.as_slice() {
        [t] => (None, Path::new(t)),
        [f, t, ..] => (Some(Path::new(f)), Path::new(t)),
        _ => {
            eprintln!("usage: readcsv [firms.csv] trades.csv");
            return Ok(());
        }
    };
    let start = std::time::Instant::now();
    let (net, report) =
        tsunagime::TradeNetwork::read_csv(firms, trades, None, &CsvOptions::default())?;
    println!(
        "{} firms, {} trades in {:.3} s\n{report}",
        net.n_firms(),
        net.n_trades(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
