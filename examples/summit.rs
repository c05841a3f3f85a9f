//! Schedules a random summit and prints its quality:
//! `cargo run --release --example summit -- [participants] [slots] [tables] [seed]`.
use tsunagime::summit::{random_instance, schedule, validate, SolveOptions};

fn main() -> Result<(), tsunagime::Error> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let get = |k: usize, d: usize| args.get(k).copied().unwrap_or(d);
    let (n, slots, tables, seed) = (get(0, 200), get(1, 8), get(2, 40), get(3, 0));
    let input = random_instance(n, slots, tables as u32, 10, 0.1, seed as u64);
    let start = std::time::Instant::now();
    let s = schedule(&input, &SolveOptions::default())?;
    let took = start.elapsed().as_secs_f64();
    let problems = validate(&input, &s);
    println!(
        "{n} participants × {slots} slots × {tables} tables: {} meetings, objective {:.0}, bound {:.0}, gap {:.2}%, {} passes, {took:.3} s, {} violations",
        s.meetings.len(),
        s.objective,
        s.upper_bound,
        100.0 * s.gap(),
        s.passes,
        problems.len()
    );
    Ok(())
}
