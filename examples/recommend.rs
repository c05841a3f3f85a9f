//! Temporal hold-out of the partner recommender on the synthetic economy, beside the
//! baselines: `cargo run --release --example recommend -- [n_firms] [seed]`.

use tsunagime::recommend::{evaluate, EvaluationOptions, Options, Purpose};
use tsunagime::synthetic::{synthetic_japan, SyntheticConfig};

fn main() -> tsunagime::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n_firms = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let seed = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let net = synthetic_japan(&SyntheticConfig {
        n_firms,
        seed,
        ..Default::default()
    })?;
    for purpose in [Purpose::Supplier, Purpose::Customer, Purpose::Research] {
        let t = std::time::Instant::now();
        let eval = evaluate(
            &net,
            &Options::new(purpose),
            &EvaluationOptions {
                split_year: Some(2017),
                ..Default::default()
            },
        )?;
        println!(
            "{} — {} queries, {} new links, candidate recall {:.3}, {:.1} s",
            purpose.name(),
            eval.queries,
            eval.test_links,
            eval.candidate_recall,
            t.elapsed().as_secs_f64()
        );
        print!("{:<24}", "method");
        for m in &eval.metrics {
            print!("{m:>13}");
        }
        println!();
        for (method, row) in eval.methods.iter().zip(&eval.values) {
            print!("{method:<24}");
            for v in row {
                print!("{v:>13.4}");
            }
            println!();
        }
        for t in &eval.training {
            println!("  trained: {t:?}");
        }
    }
    Ok(())
}
