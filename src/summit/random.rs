//! Random summit instances for tests and benchmarks (the shape the design's reference figures
//! were measured on: sparse scores, some unavailability, tight or loose tables).

use super::problem::{Participant, SummitInput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random instance: `n` participants `p0…`, `slots` slots with `tables` tables each, each
/// participant scoring about `partners` others (scores 1–100), a share `unavailable` of
/// (participant, slot) cells closed.
pub fn random_instance(
    n: usize,
    slots: usize,
    tables: u32,
    partners: usize,
    unavailable: f64,
    seed: u64,
) -> SummitInput {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let participants: Vec<Participant> =
        (0..n).map(|i| Participant::new(format!("p{i}"))).collect();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut scores = Vec::new();
    if n >= 2 {
        for a in 0..n {
            for _ in 0..partners / 2 + 1 {
                let b = rng.random_range(0..n);
                if a != b && seen.insert((a.min(b), a.max(b))) {
                    scores.push((
                        format!("p{a}"),
                        format!("p{b}"),
                        rng.random_range(1..=100) as f64,
                    ));
                }
            }
        }
    }
    let mut closed = Vec::new();
    for v in 0..n {
        for s in 0..slots {
            if rng.random::<f64>() < unavailable {
                closed.push((format!("p{v}"), s));
            }
        }
    }
    SummitInput {
        participants,
        scores,
        slots,
        tables: vec![tables; slots],
        unavailable: closed,
        ..Default::default()
    }
}
