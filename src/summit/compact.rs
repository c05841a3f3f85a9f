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
//! available in their new slot and the tables suffice. When a slot's tables are all taken, a
//! second chain from that slot moves the other way in the same step. Simulated annealing over
//! random moves (the temperature falling geometrically; idle slots plus a little of the
//! spread of each agenda as its energy, as idle slots alone are flat under most moves)
//! escapes the local minima a plain descent stops in. Each of five runs ends with a descent
//! over every meeting and slot and an exact re-partition of every pair of slots
//! ([`pair_descent`]), the next run starting from the best schedule so far; random kicks, each
//! followed by the exact re-partition, close the search ([`kicks`]).

use super::State;
use crate::error::Result;
use crate::monitor::{checkpoint, Monitor};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// Idle slots of participant `v` as the state stands.
pub(super) fn idle_of(st: &State<'_>, v: u32) -> u32 {
    idle_where(st, v, |x| !st.free(v, x))
}

/// Idle slots of participant `v` if `meets(x)` says whether they meet in slot `x`.
fn idle_where(st: &State<'_>, v: u32, meets: impl Fn(usize) -> bool) -> u32 {
    let p = st.p;
    let (Some(first), Some(last)) = (
        (0..p.slots).find(|&x| meets(x)),
        (0..p.slots).rfind(|&x| meets(x)),
    ) else {
        return 0;
    };
    (first..=last)
        .filter(|&x| !meets(x) && p.is_available(v, x))
        .count() as u32
}

/// Idle slots of all participants.
pub(super) fn total_idle(st: &State<'_>) -> u32 {
    (0..st.p.n() as u32).map(|v| idle_of(st, v)).sum()
}

/// Participant `v`'s waiting as annealing weighs it: idle slots, plus `SPREAD` times the
/// variance of their meeting slots. The idle count alone is flat under most moves (a meeting
/// moved inside a gap leaves it as long); the variance falls as meetings draw together, so it
/// leads the search towards the moves that close gaps. Results are still judged on idle slots.
fn energy(st: &State<'_>, v: u32) -> (u32, f64) {
    let (mut n, mut sum, mut squares) = (0.0, 0.0, 0.0);
    for s in (0..st.p.slots).filter(|&s| !st.free(v, s)) {
        let x = s as f64;
        (n, sum, squares) = (n + 1.0, sum + x, squares + x * x);
    }
    let idle = idle_of(st, v);
    let variance = if n > 0.0 {
        squares / n - (sum / n).powi(2)
    } else {
        0.0
    };
    (idle, idle as f64 + SPREAD * variance)
}

/// Weight of the variance of a participant's meeting slots beside their idle slots.
const SPREAD: f64 = 0.1;

/// Idle slots of participant `v` were their meetings in slots `s` and `t` exchanged (whether
/// they are available in their new slots is the caller's concern).
fn idle_swapped(st: &State<'_>, v: u32, s: usize, t: usize) -> u32 {
    let other = |x: usize| {
        if x == s {
            t
        } else if x == t {
            s
        } else {
            x
        }
    };
    idle_where(st, v, |x| !st.free(v, other(x)))
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

/// Lowers the total idle slots by moving meetings between slots (annealing, descents, kicks)
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
    // Annealing's result varies from run to run (the idle count is flat under most moves), so
    // it runs five times, each from the best schedule so far, and keeps the best. A run's
    // steps fall with the meetings (16,000,000 / meetings, 20,000 to 100,000) so that large
    // summits stay within their time targets while small ones search long.
    const RUNS: usize = 5;
    let steps = (16_000_000 / movable.len()).clamp(20_000, 100_000);
    let (hot, cold) = (1.5f64, 0.05f64);
    const POLL: usize = 4096;
    let mut best = (total_idle(st), st.slot_of.clone());
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
            let r: f64 = rng.random();
            let back = partner(st, rng, t);
            exchange_with(st, q, back, s, t, |c| {
                c.energy <= 0.0 || r < (-c.energy / temperature).exp()
            });
        }
        passes += descend(st, deadline, monitor)? + pair_descent(st, deadline) + 1;
        let now = total_idle(st);
        if now < best.0 {
            best = (now, st.slot_of.clone());
        }
    }
    if total_idle(st) > best.0 {
        restore(st, &movable, &best.1);
    }
    passes += kicks(st, rng, &movable, best, deadline, monitor)?;
    Ok(passes)
}

/// Iterated local search from the best schedule `best` (its idle slots and meeting slots): a
/// kick of two random chain moves, then [`pair_descent`], kept when it leaves no more idle
/// slots (so the search walks across plateaus) and undone otherwise. The kicks share a work
/// budget of 300,000 meeting-slots (up to 2,000 kicks): about a thousand on a summit of 30,
/// twenty on one of 1,000, whose pair descents cost more. Returns the kicks run.
fn kicks(
    st: &mut State<'_>,
    rng: &mut ChaCha8Rng,
    movable: &[usize],
    mut best: (u32, Vec<Option<usize>>),
    deadline: Option<Instant>,
    monitor: &dyn Monitor,
) -> Result<usize> {
    let p = st.p;
    let rounds = (300_000 / (movable.len() * p.slots)).min(2_000);
    for round in 0..rounds {
        checkpoint(monitor, "compacting", round as u64, rounds as u64)?;
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(round);
        }
        for _ in 0..2 {
            let q = movable[rng.random_range(0..movable.len())];
            let Some(s) = st.slot_of[q] else { continue };
            let t = (s + rng.random_range(1..p.slots)) % p.slots;
            let back = partner(st, rng, t);
            exchange_with(st, q, back, s, t, |_| true);
        }
        pair_descent(st, deadline);
        let now = total_idle(st);
        if now <= best.0 {
            best = (now, st.slot_of.clone());
        } else {
            restore(st, movable, &best.1);
        }
    }
    Ok(rounds)
}

/// A random meeting of slot `t` to move the other way with a chain when `t`'s tables are all
/// taken (see [`exchange_with`]).
fn partner(st: &State<'_>, rng: &mut ChaCha8Rng, t: usize) -> Option<usize> {
    full(st, t).then(|| st.in_slot[t][rng.random_range(0..st.in_slot[t].len())])
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
            for t in (0..p.slots).filter(|&t| t != s) {
                if exchange(st, q, s, t, Change::improves) {
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

/// What a move changes for the participants it involves.
#[derive(Clone, Copy)]
struct Change {
    idle: i64,
    energy: f64,
}

impl Change {
    /// Whether a descent takes the move: fewer idle slots, or as many and closer meetings.
    fn improves(self) -> bool {
        self.idle < 0 || (self.idle == 0 && self.energy < -1e-9)
    }
}

/// Moves meeting `q` from slot `s` to `t` with its Kempe chain when that is allowed and
/// `accept` takes the change for the participants involved; returns whether it did.
fn exchange(
    st: &mut State<'_>,
    q: usize,
    s: usize,
    t: usize,
    accept: impl FnOnce(Change) -> bool,
) -> bool {
    exchange_with(st, q, None, s, t, accept)
}

/// [`exchange`] with meeting `r` of slot `t`, if any, moving to `s` in the same step with its
/// own chain. When every table is taken a chain moves as many meetings each way or not at
/// all; two chains, one from each slot, balance each other.
fn exchange_with(
    st: &mut State<'_>,
    q: usize,
    r: Option<usize>,
    s: usize,
    t: usize,
    accept: impl FnOnce(Change) -> bool,
) -> bool {
    let p = st.p;
    // The chain: meetings that must swap, with the slot each leaves.
    let mut chain = vec![(q, s)];
    if let Some(r) = r.filter(|&r| r != q && st.slot_of[r] == Some(t) && !st.fixed[r]) {
        chain.push((r, t));
    }
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
    let people = people_of(st, &chain);
    let weigh = |st: &State<'_>| {
        people.iter().fold((0i64, 0.0), |(idle, e), &v| {
            let (i, x) = energy(st, v);
            (idle + i as i64, e + x)
        })
    };
    let before = weigh(st);
    swap(st, &chain, s, t);
    let after = weigh(st);
    if accept(Change {
        idle: after.0 - before.0,
        energy: after.1 - before.1,
    }) {
        return true;
    }
    swap(st, &chain, t, s);
    false
}

/// Meetings that swap between two slots, each with the slot it leaves.
type Chain = Vec<(usize, usize)>;

/// The participants of the meetings of `chain`, each once.
fn people_of(st: &State<'_>, chain: &[(usize, usize)]) -> Vec<u32> {
    let mut people: Vec<u32> = chain
        .iter()
        .flat_map(|&(m, _)| [st.p.pairs[m].a, st.p.pairs[m].b])
        .collect();
    people.sort_unstable();
    people.dedup();
    people
}

/// Whether every table of slot `t` is taken.
fn full(st: &State<'_>, t: usize) -> bool {
    st.in_slot[t].len() >= st.p.tables[t] as usize && !st.in_slot[t].is_empty()
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

/// Re-partitions the meetings of every pair of slots optimally until no pair improves; returns
/// the passes over all pairs.
///
/// The meetings in slots `s` and `t` fall into Kempe chains (paths and cycles alternating
/// between the two slots, as each participant meets at most once in each), and a participant's
/// idle slots depend only on whether their own chain flips. Flipping a set of chains is
/// allowed when their participants are available in their new slots and the tables suffice: a
/// chain moves one meeting more one way than the other, or as many. So the best flips are
/// exact: each balanced chain flips when that helps, and of the unbalanced ones the best few
/// each way whose difference the free tables allow.
fn pair_descent(st: &mut State<'_>, deadline: Option<Instant>) -> usize {
    let p = st.p;
    let mut passes = 0;
    loop {
        passes += 1;
        let mut improved = false;
        for s in 0..p.slots {
            for t in s + 1..p.slots {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return passes;
                }
                improved |= best_flips(st, s, t);
            }
        }
        if !improved || passes >= 50 {
            return passes;
        }
    }
}

/// Flips the set of Kempe chains of slots `s` and `t` that lowers the idle slots most; returns
/// whether it lowered them.
fn best_flips(st: &mut State<'_>, s: usize, t: usize) -> bool {
    let p = st.p;
    let mut seen = vec![false; p.pairs.len()];
    // (idle change, meetings into t minus meetings into s, chain) of each flippable chain.
    let mut chains: Vec<(i64, i64, Chain)> = Vec::new();
    let seeds: Vec<(usize, usize)> = st.in_slot[s]
        .iter()
        .map(|&q| (q, s))
        .chain(st.in_slot[t].iter().map(|&q| (q, t)))
        .collect();
    for (q, from) in seeds {
        if seen[q] {
            continue;
        }
        seen[q] = true;
        // The whole component, marked as seen (a move's chain stops early instead).
        let (mut chain, mut k, mut locked) = (vec![(q, from)], 0, false);
        while k < chain.len() {
            let (m, from) = chain[k];
            let to = if from == s { t } else { s };
            let pr = p.pairs[m];
            locked |= st.fixed[m];
            for v in [pr.a, pr.b] {
                locked |= !p.is_available(v, to);
                if let Some(o) = st.occupant(v, to).filter(|&o| !seen[o]) {
                    seen[o] = true;
                    chain.push((o, to));
                }
            }
            k += 1;
        }
        if locked {
            continue;
        }
        let change: i64 = people_of(st, &chain)
            .into_iter()
            .map(|v| idle_swapped(st, v, s, t) as i64 - idle_of(st, v) as i64)
            .sum();
        let into_t = chain.iter().filter(|&&(_, from)| from == s).count() as i64;
        chains.push((change, 2 * into_t - chain.len() as i64, chain));
    }
    // The flips' net meetings into t must stay within what the tables of both slots allow.
    let (lo, hi) = (
        st.in_slot[s].len() as i64 - p.tables[s] as i64,
        p.tables[t] as i64 - st.in_slot[t].len() as i64,
    );
    let mut flips: Vec<usize> = Vec::new();
    let mut gain = 0;
    let (mut plus, mut minus) = (Vec::new(), Vec::new());
    for (i, &(change, net, _)) in chains.iter().enumerate() {
        match net {
            0 if change < 0 => {
                flips.push(i);
                gain += change;
            }
            1 => plus.push((change, i)),
            -1 => minus.push((change, i)),
            _ => {}
        }
    }
    plus.sort_unstable();
    minus.sort_unstable();
    let prefix = |v: &[(i64, usize)]| {
        std::iter::once(0)
            .chain(v.iter().scan(0, |acc, &(c, _)| {
                *acc += c;
                Some(*acc)
            }))
            .collect::<Vec<i64>>()
    };
    let (up, down) = (prefix(&plus), prefix(&minus));
    // `down` has rising steps (its changes are sorted), so for each k the best j is the
    // unconstrained best (every helping flip) moved into the range the tables allow.
    let helping = minus.iter().take_while(|&&(c, _)| c < 0).count() as i64;
    let mut choice = (0, 0, 0);
    for (k, &a) in up.iter().enumerate() {
        let (least, most) = (
            (k as i64 - hi).max(0),
            (k as i64 - lo).min(minus.len() as i64),
        );
        if least > most {
            continue;
        }
        let j = helping.clamp(least, most) as usize;
        if a + down[j] < choice.0 {
            choice = (a + down[j], k, j);
        }
    }
    gain += choice.0;
    if gain >= 0 {
        return false;
    }
    flips.extend(plus[..choice.1].iter().map(|&(_, i)| i));
    flips.extend(minus[..choice.2].iter().map(|&(_, i)| i));
    for i in flips {
        swap(st, &chains[i].2, s, t);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summit::random::random_instance;

    /// The fewest idle slots over every way of sharing the meetings now in slots `s` and `t`
    /// between those two slots (all 2^m, checked one by one).
    fn brute_force(st: &mut State<'_>, s: usize, t: usize) -> u32 {
        let p = st.p;
        let meetings: Vec<usize> = st.in_slot[s]
            .iter()
            .chain(&st.in_slot[t])
            .copied()
            .collect();
        let start: Vec<usize> = meetings.iter().map(|&q| st.slot_of[q].unwrap()).collect();
        let mut best = total_idle(st);
        for mask in 0..1u32 << meetings.len() {
            for &q in &meetings {
                st.remove(q);
            }
            let mut ok = true;
            for (i, &q) in meetings.iter().enumerate() {
                let slot = if mask >> i & 1 == 1 { t } else { s };
                let pr = p.pairs[q];
                ok &= !st.fixed[q] || slot == start[i];
                ok &= [pr.a, pr.b]
                    .iter()
                    .all(|&v| p.is_available(v, slot) && st.free(v, slot));
                ok &= (st.in_slot[slot].len() as u32) < p.tables[slot];
                if !ok {
                    break;
                }
                st.place(q, slot);
            }
            if ok {
                best = best.min(total_idle(st));
            }
            for &q in &meetings {
                st.remove(q);
            }
            for (i, &q) in meetings.iter().enumerate() {
                st.place(q, start[i]);
            }
        }
        best
    }

    /// The Kempe-chain re-partition of two slots is exact: it leaves as few idle slots as the
    /// best of all ways of sharing those slots' meetings, on summits with full and with spare
    /// tables and with some participants away.
    #[test]
    fn pair_re_partition_equals_brute_force() {
        let mut lowered = 0;
        for (tables, seed) in [(4, 1), (5, 2), (6, 3), (4, 4)] {
            let input = random_instance(14, 5, tables, 6, 0.1, seed);
            let p = input.problem().unwrap();
            let mut st = State::new(&p);
            for q in 0..p.pairs.len() {
                if let Some(s) = (0..p.slots).find(|&s| st.can_place(q, s)) {
                    st.place(q, s);
                }
            }
            for s in 0..p.slots {
                for t in s + 1..p.slots {
                    let want = brute_force(&mut st, s, t);
                    lowered += (want < total_idle(&st)) as u32;
                    best_flips(&mut st, s, t);
                    assert_eq!(
                        total_idle(&st),
                        want,
                        "tables {tables} seed {seed} slots {s} {t}"
                    );
                }
            }
        }
        assert!(
            lowered >= 5,
            "only {lowered} re-partitions changed anything"
        );
    }
}
