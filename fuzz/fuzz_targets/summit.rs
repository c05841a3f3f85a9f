//! The summit scheduler on arbitrary inputs: unknown and repeated participants, slots out of
//! range, contradictory rules, NaN scores. Either a clear error or a schedule the validator
//! accepts; a published schedule's meetings are each kept, moved or cancelled.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tsunagime::summit::{
    schedule, validate, ChangeKind, Participant, Published, SolveOptions, SummitInput,
};

#[derive(Debug, Arbitrary)]
struct Person {
    id: u8,
    side: Option<bool>,
    min_meetings: u8,
    max_meetings: Option<u8>,
    table: Option<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    people: Vec<Person>,
    scores: Vec<(u8, u8, f64)>,
    slots: u8,
    tables: Vec<u8>,
    unavailable: Vec<(u8, u8)>,
    must_meet: Vec<(u8, u8)>,
    forbidden: Vec<(u8, u8)>,
    fixed: Vec<(u8, u8, u8)>,
    published: Vec<(u8, u8, u8, u8)>,
    seed: u8,
}

/// Ids from a small alphabet so that rules name participants that exist (and some that don't).
fn id(x: u8) -> String {
    format!("p{}", x % 40)
}

fuzz_target!(|input: Input| {
    let summit = SummitInput {
        participants: input
            .people
            .iter()
            .take(60)
            .map(|p| Participant {
                side: p
                    .side
                    .map(|b| if b { "buyer" } else { "seller" }.to_string()),
                min_meetings: u32::from(p.min_meetings % 12),
                max_meetings: p.max_meetings.map(|m| u32::from(m % 12)),
                table: p.table.map(|t| u32::from(t % 20)),
                ..Participant::new(id(p.id))
            })
            .collect(),
        scores: input
            .scores
            .iter()
            .map(|&(a, b, s)| (id(a), id(b), s))
            .collect(),
        slots: usize::from(input.slots % 16),
        tables: input
            .tables
            .iter()
            .take(16)
            .map(|&t| u32::from(t % 24))
            .collect(),
        unavailable: input
            .unavailable
            .iter()
            .map(|&(a, s)| (id(a), usize::from(s % 20)))
            .collect(),
        must_meet: input
            .must_meet
            .iter()
            .map(|&(a, b)| (id(a), id(b)))
            .collect(),
        forbidden: input
            .forbidden
            .iter()
            .map(|&(a, b)| (id(a), id(b)))
            .collect(),
        fixed: input
            .fixed
            .iter()
            .map(|&(a, b, s)| (id(a), id(b), usize::from(s % 20)))
            .collect(),
        published: input
            .published
            .iter()
            .map(|&(a, b, s, t)| Published {
                a: id(a),
                b: id(b),
                slot: usize::from(s % 20),
                table: u32::from(t % 26),
            })
            .collect(),
    };
    let options = SolveOptions {
        seed: u64::from(input.seed),
        ..SolveOptions::default()
    };
    if let Ok(plan) = schedule(&summit, &options) {
        let problems = validate(&summit, &plan);
        assert!(problems.is_empty(), "{problems:?}");
        // Every published meeting is accounted for, and a kept one is where it was.
        let old = plan
            .changes
            .iter()
            .filter(|c| c.kind != ChangeKind::New)
            .count();
        assert!(summit.published.is_empty() || old == summit.published.len());
        for c in plan.changes.iter().filter(|c| c.kind == ChangeKind::Kept) {
            assert_eq!(c.before, c.after);
        }
    }
});
