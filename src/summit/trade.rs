//! Trading a little score for compact agendas (`SolveOptions::idle_tolerance`).
//!
//! A meeting at the edge of a participant's agenda, apart from the rest, leaves them waiting:
//! with meetings in slots 1 and 5 and nothing between, three slots are idle. Dropping that
//! meeting (or moving the pair to a slot next to the others) ends the wait at the cost of its
//! score. Organisers may accept a small loss for that; CP-SAT given the same freedom does so.
//! Here meetings are dropped greedily, the most idle slots saved per point of score first,
//! while the score given up stays within the tolerance; must-meet pairs and anyone's minimum
//! meetings are never touched. Free tables are then refilled with the best pairs not meeting
//! yet, where they leave no one waiting more, which wins some of the score back.

use super::compact::idle_of;
use super::State;
use crate::error::Result;
use crate::monitor::{checkpoint, Monitor};
use std::time::Instant;

/// Drops and adds meetings so that the total idle slots fall while the score falls by at most
/// `budget`, until no move helps or `deadline` passes; returns the moves made and the score
/// given up (never more than `budget`).
pub(super) fn trade(
    st: &mut State<'_>,
    budget: f64,
    deadline: Option<Instant>,
    monitor: &dyn Monitor,
) -> Result<(usize, f64)> {
    let p = st.p;
    let mut spent = 0.0;
    let mut by_person = vec![Vec::new(); p.n()];
    for (q, pr) in p.pairs.iter().enumerate() {
        by_person[pr.a as usize].push(q);
        by_person[pr.b as usize].push(q);
    }
    // Up to as many rounds as there are meetings: each makes one move and refills.
    let mut moves = 0;
    while moves < p.pairs.len() {
        checkpoint(monitor, "compacting", moves as u64, 0)?;
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let Some(m) = best_move(st, &by_person, budget - spent) else {
            break;
        };
        moves += 1;
        spent += m.loss;
        if let Some(q) = m.drop {
            st.remove(q);
        }
        if let Some((r, s)) = m.add {
            st.place(r, s);
        }
        spent -= refill(st);
    }
    Ok((moves, spent.max(0.0)))
}

/// A move: a meeting dropped, a pair placed in a slot, or both (a meeting of a full slot
/// giving its table to a pair that fills someone's gap there).
struct Move {
    drop: Option<usize>,
    add: Option<(usize, usize)>,
    /// Score given up (negative when the move gains).
    loss: f64,
    /// Idle slots saved.
    saved: u32,
}

impl Move {
    /// Idle slots saved per point of score given up; a move that gains score comes first.
    fn rate(&self) -> f64 {
        self.saved as f64 / self.loss.max(1e-9)
    }
}

/// Idle slots of the participants of `pairs`, each counted once.
fn idle_of_people(st: &State<'_>, pairs: &[usize]) -> u32 {
    let mut people: Vec<u32> = pairs
        .iter()
        .flat_map(|&q| [st.p.pairs[q].a, st.p.pairs[q].b])
        .collect();
    people.sort_unstable();
    people.dedup();
    people.into_iter().map(|v| idle_of(st, v)).sum()
}

/// Whether meeting `q` may be dropped: not fixed, not must-meet, and no one falls below their
/// minimum meetings.
fn droppable(st: &State<'_>, q: usize) -> bool {
    let loss = st.gain_of_remove(q);
    st.slot_of[q].is_some() && !st.fixed[q] && loss.0 == 0 && loss.1 == 0
}

/// The move saving the most idle slots per point of score, within `left` of score.
fn best_move(st: &mut State<'_>, by_person: &[Vec<usize>], left: f64) -> Option<Move> {
    let p = st.p;
    let mut best: Option<Move> = None;
    let mut consider = |m: Move| {
        if m.saved > 0 && m.loss <= left + 1e-9 && best.as_ref().is_none_or(|b| m.rate() > b.rate())
        {
            best = Some(m);
        }
    };
    // Drops: a meeting apart from the rest of someone's agenda.
    for q in 0..p.pairs.len() {
        let Some(s) = st.slot_of[q].filter(|_| droppable(st, q)) else {
            continue;
        };
        let before = idle_of_people(st, &[q]);
        st.remove(q);
        let after = idle_of_people(st, &[q]);
        st.place(q, s);
        consider(Move {
            drop: Some(q),
            add: None,
            loss: p.pairs[q].score,
            saved: before.saturating_sub(after),
        });
    }
    // Replacements: participant v waits in slot g, every table of g is taken; a meeting of g
    // gives its table to a pair of v's not meeting yet.
    for v in 0..p.n() as u32 {
        if idle_of(st, v) == 0 {
            continue;
        }
        let waits: Vec<usize> = (0..p.slots)
            .filter(|&g| st.free(v, g) && p.is_available(v, g))
            .collect();
        for &r in &by_person[v as usize] {
            if st.slot_of[r].is_some() || p.pairs[r].score <= 0.0 {
                continue;
            }
            for &g in &waits {
                let in_g: Vec<usize> = st.in_slot[g].clone();
                for q in in_g {
                    if !droppable(st, q) {
                        continue;
                    }
                    let before = idle_of_people(st, &[q, r]);
                    st.remove(q);
                    if st.can_place(r, g) {
                        st.place(r, g);
                        let after = idle_of_people(st, &[q, r]);
                        st.remove(r);
                        consider(Move {
                            drop: Some(q),
                            add: Some((r, g)),
                            loss: p.pairs[q].score - p.pairs[r].score,
                            saved: before.saturating_sub(after),
                        });
                    }
                    st.place(q, g);
                }
            }
        }
    }
    best
}

/// Places the best pairs not meeting yet where tables are free and neither of the two waits
/// more; returns the score added.
fn refill(st: &mut State<'_>) -> f64 {
    let p = st.p;
    let mut open: Vec<usize> = (0..p.pairs.len())
        .filter(|&q| st.slot_of[q].is_none())
        .collect();
    open.sort_by(|&a, &b| p.pairs[b].score.total_cmp(&p.pairs[a].score));
    let mut added = 0.0;
    for q in open {
        let pr = p.pairs[q];
        if pr.score <= 0.0 {
            continue;
        }
        let before = idle_of(st, pr.a) + idle_of(st, pr.b);
        for s in 0..p.slots {
            if !st.can_place(q, s) {
                continue;
            }
            st.place(q, s);
            if idle_of(st, pr.a) + idle_of(st, pr.b) <= before {
                added += pr.score;
                break;
            }
            st.remove(q);
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::Quiet;
    use crate::summit::random::random_instance;

    fn total_idle(st: &State<'_>) -> u32 {
        (0..st.p.n() as u32).map(|v| idle_of(st, v)).sum()
    }

    /// The score given up stays within the budget, must-meet pairs and minimum meetings stay
    /// covered (refilling may cover more), the schedule stays valid and the idle slots never rise (and fall on most
    /// summits).
    #[test]
    fn trade_stays_within_its_budget() -> Result<()> {
        let mut lowered = 0;
        for seed in 0..8 {
            let mut input = random_instance(20, 6, 5, 6, 0.1, seed);
            for (i, p) in input.participants.iter_mut().enumerate() {
                p.min_meetings = (i % 3) as u32;
            }
            let p = input.problem()?;
            let mut st = State::new(&p);
            for q in 0..p.pairs.len() {
                if let Some(s) = (0..p.slots).find(|&s| st.can_place(q, s)) {
                    st.place(q, s);
                }
            }
            let (before, idle) = (st.total(), total_idle(&st));
            let budget = 0.01 * before.2;
            let (_, spent) = trade(&mut st, budget, None, &Quiet)?;
            let after = st.total();
            assert!(spent <= budget && after.2 >= before.2 - budget - 1e-9);
            assert!(after.0 >= before.0 && after.1 >= before.1, "seed {seed}");
            assert!(total_idle(&st) <= idle, "seed {seed}");
            for v in 0..p.n() {
                for s in 0..p.slots {
                    if let Some(q) = st.occupant(v as u32, s) {
                        assert!(st.slot_of[q] == Some(s) && p.is_available(v as u32, s));
                    }
                }
            }
            for s in 0..p.slots {
                assert!(st.in_slot[s].len() <= p.tables[s] as usize);
            }
            lowered += (total_idle(&st) < idle) as u32;
        }
        assert!(lowered >= 4, "only {lowered} of 8 summits waited less");
        Ok(())
    }
}
