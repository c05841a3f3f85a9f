//! Prints the calibration figures of the synthetic economy: `cargo run --release --example
//! calibrate -- [n_firms] [seed]`.
use tsunagime::synthetic::{calibration, synthetic_japan, SyntheticConfig};

fn main() -> Result<(), tsunagime::Error> {
    let mut args = std::env::args().skip(1);
    let n_firms = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let t = std::time::Instant::now();
    let net = synthetic_japan(&SyntheticConfig {
        n_firms,
        seed,
        ..Default::default()
    })?;
    let built = t.elapsed();
    let c = calibration(&net, usize::MAX, seed);
    println!(
        "synthetic_japan({n_firms}, seed={seed}) built in {:.2} s",
        built.as_secs_f64()
    );
    println!("{c:#?}");
    ccdf(&net);
    Ok(())
}

#[allow(dead_code)]
fn ccdf(net: &tsunagime::TradeNetwork) {
    for (name, deg) in [
        (
            "customers",
            (0..net.n_firms() as u32)
                .map(|i| net.out_degree(i))
                .collect::<Vec<_>>(),
        ),
        (
            "suppliers",
            (0..net.n_firms() as u32)
                .map(|i| net.in_degree(i))
                .collect::<Vec<_>>(),
        ),
    ] {
        let n = deg.len() as f64;
        let pts: Vec<String> = [1, 3, 10, 30, 100, 300, 1000]
            .iter()
            .map(|&k| {
                format!(
                    "P(>={k})={:.2e}",
                    deg.iter().filter(|&&d| d >= k).count() as f64 / n
                )
            })
            .collect();
        println!("{name}: {}", pts.join(" "));
    }
}
