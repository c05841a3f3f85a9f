//! Compact agendas: the same meetings, moved between slots so that participants wait less.
//!
//! Event platforms are judged on stand-by time (b2match minimises participants' idle time; Bofill
//! et al., "Constraint solving approaches to the business-to-business meeting scheduling
//! problem", JAIR 74, 2022, minimise breaks). Here the meetings chosen by the scheduler stay,
//! so the primary objective (must-meet pairs, minimum meetings, total score) is unchanged:
//! only their slots move. A participant's *idle slots* are the slots between their first and
//! last meeting in which they are available and meet no one (a slot they asked to be away is
//! not waiting).
//!
//! One move: a meeting goes to another slot with its Kempe chain (the meetings of its
//! participants in the other slot come back to its slot, theirs in turn go, and so on), which
//! keeps every participant at one meeting per slot; it is allowed when everyone involved is
//! available in their new slot and the tables suffice. Simulated annealing over random moves
//! (the temperature falling geometrically, the effort proportional to the meetings) escapes
//! the local minima a plain descent stops in; a descent over every meeting and slot ends each
//! of five runs, the next starting from the best schedule so far.

use super::State;
use crate::error::Result;
use crate::monitor::{checkpoint, Monitor};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// Idle slots of participant `v` as the state stands.
pub(super) fn idle_of(st: &State<'_>, v: u32) -> u32 {
    let p = st.p;
    let row = |s: usize| st.busy[v as usize * p.slots + s] != 0;
    let (Some(first), Some(last)) = (
        (0..p.slots).find(|&s| row(s)),
        (0..p.slots).rfind(|&s| row(s)),
    ) else {
        return 0;
    };
    (first..=last)
        .filter(|&s| !row(s) && p.is_available(v, s))
        .count() as u32
}

/// A lower bound on participant `v`'s idle slots in any schedule giving them `meetings`
/// meetings and keeping their fixed meetings: the span must reach from the first fixed slot to
/// the last, and the available slots there that hold no meeting wait.
pub(super) fn idle_bound(st: &State<'_>, v: u32, meetings: u32) -> u32 {
    let p = st.p;
    let pinned = p.fixed.iter().filter_map(|&(q, s)| {
        let pr = p.pairs[q];
        (pr.a == v || pr.b == v).then_some(s)
    });
    let (first, last) = pinned.fold((usize::MAX, 0), |(f, l), s| (f.min(s), l.max(s)));
    if first > last {
        return 0;
    }
    let open = (first..=last).filter(|&s| p.is_available(v, s)).count() as u32;
    open.saturating_sub(meetings)
}

/// Lowers the total idle slots by moving meetings between slots (annealing, then descent)
/// until no move helps or `deadline` passes; returns the passes run. Never ends with more
/// idle slots than it started with.
pub(super) fn compact(
    st: &mut State<'_>,
    rng: &mut ChaCha8Rng,
    deadline: Option<Instant>,
    monitor: &dyn Monitor,
) -> Result<usize> {
    let p = st.p;
    let movable: Vec<usize> = (0..p.pairs.len())
        .filter(|&q| st.slot_of[q].is_some() && !st.fixed[q])
        .collect();
    if movable.is_empty() || p.slots < 2 {
        return Ok(0);
    }
    let total = |st: &State<'_>| (0..p.n() as u32).map(|v| idle_of(st, v)).sum::<u32>();
    // Annealing's result varies from run to run (the idle count is flat under most moves), so
    // it runs five times, each from the best schedule so far, and keeps the best: on seven
    // random summits of 20-40 participants this left 30 idle slots in all, one run of the
    // same length 33, one run of a fifth of it 41 (CP-SAT: at most 19). At least 100,000
    // steps a run: on bench/summit_idle.py's 200 × 8 × 60 and 1,000 × 10 × 150 summits 55 and
    // 561 idle slots (20,000 steps: 83 and 758) for 0.1 s more.
    const RUNS: usize = 5;
    let steps = (12 * movable.len()).clamp(100_000, 400_000);
    let (hot, cold) = (1.5f64, 0.05f64);
    const POLL: usize = 4096;
    let mut best = (total(st), st.slot_of.clone());
    let mut passes = 0;
    'runs: for run in 0..RUNS {
        if run > 0 {
            restore(st, &movable, &best.1);
        }
        for i in 0..steps {
            if i % POLL == 0 {
                checkpoint(
                    monitor,
                    "compacting",
                    (run * steps + i) as u64,
                    (RUNS * steps) as u64,
                )?;
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break 'runs;
                }
            }
            let q = movable[rng.random_range(0..movable.len())];
            let Some(s) = st.slot_of[q] else { continue };
            let t = (s + rng.random_range(1..p.slots)) % p.slots;
            let temperature = hot * (cold / hot).powf(i as f64 / steps as f64);
            let accept =
                |delta: i64, r: f64| delta <= 0 || r < (-(delta as f64) / temperature).exp();
            let r: f64 = rng.random();
            exchange(st, q, s, t, |delta| accept(delta, r));
        }
        passes += descend(st, deadline, monitor)? + 1;
        let now = total(st);
        if now < best.0 {
            best = (now, st.slot_of.clone());
        }
    }
    if total(st) > best.0 {
        restore(st, &movable, &best.1);
    }
    Ok(passes)
}

/// Puts the `movable` meetings back in the slots `slots` gives them.
fn restore(st: &mut State<'_>, movable: &[usize], slots: &[Option<usize>]) {
    for &q in movable {
        st.remove(q);
    }
    for &q in movable {
        if let Some(s) = slots[q] {
            st.place(q, s);
        }
    }
}

/// Moves meetings while one lowers the idle slots; returns the passes over all meetings.
fn descend(st: &mut State<'_>, deadline: Option<Instant>, monitor: &dyn Monitor) -> Result<usize> {
    let p = st.p;
    let mut passes = 0;
    loop {
        passes += 1;
        checkpoint(monitor, "compacting", passes as u64, 0)?;
        let mut improved = false;
        for q in 0..p.pairs.len() {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(passes);
            }
            let Some(s) = st.slot_of[q] else { continue };
            if st.fixed[q] {
                continue;
            }
            for t in 0..p.slots {
                if t != s && exchange(st, q, s, t, |delta| delta < 0) {
                    improved = true;
                    break;
                }
            }
        }
        if !improved || passes >= 100 {
            return Ok(passes);
        }
    }
}

/// Moves meeting `q` from slot `s` to `t` with its Kempe chain when that is allowed and
/// `accept` takes the change in idle slots of the participants involved; returns whether it
/// did.
fn exchange(
    st: &mut State<'_>,
    q: usize,
    s: usize,
    t: usize,
    accept: impl FnOnce(i64) -> bool,
) -> bool {
    let p = st.p;
    // The chain: meetings that must swap, with the slot each leaves.
    let mut chain = vec![(q, s)];
    let mut k = 0;
    while k < chain.len() {
        let (m, from) = chain[k];
        let to = if from == s { t } else { s };
        let pr = p.pairs[m];
        for v in [pr.a, pr.b] {
            if !p.is_available(v, to) {
                return false;
            }
            if let Some(o) = st.occupant(v, to) {
                if st.fixed[o] {
                    return false;
                }
                if !chain.iter().any(|&(c, _)| c == o) {
                    chain.push((o, to));
                }
            }
        }
        k += 1;
        if chain.len() > 64 {
            return false; // long chains rarely help and cost much
        }
    }
    let into_t = chain.iter().filter(|&&(_, from)| from == s).count();
    let into_s = chain.len() - into_t;
    // `loss` meetings are in `slot` now, so the count cannot go below zero.
    let fits = |slot: usize, gain: usize, loss: usize| {
        st.in_slot[slot].len() + gain - loss <= p.tables[slot] as usize
    };
    if !fits(t, into_t, into_s) || !fits(s, into_s, into_t) {
        return false;
    }
    let mut people: Vec<u32> = chain
        .iter()
        .flat_map(|&(m, _)| [p.pairs[m].a, p.pairs[m].b])
        .collect();
    people.sort_unstable();
    people.dedup();
    let before: u32 = people.iter().map(|&v| idle_of(st, v)).sum();
    swap(st, &chain, s, t);
    let after: u32 = people.iter().map(|&v| idle_of(st, v)).sum();
    if accept(after as i64 - before as i64) {
        return true;
    }
    swap(st, &chain, t, s);
    false
}

/// Moves every meeting of `chain` to the other of slots `s` and `t`.
fn swap(st: &mut State<'_>, chain: &[(usize, usize)], s: usize, t: usize) {
    let moves: Vec<(usize, usize)> = chain
        .iter()
        .map(|&(m, _)| {
            let from = st.slot_of[m].unwrap_or(s);
            (m, if from == s { t } else { s })
        })
        .collect();
    for &(m, _) in &moves {
        st.remove(m);
    }
    for &(m, to) in &moves {
        st.place(m, to);
    }
}
