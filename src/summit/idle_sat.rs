//! Exact compaction of small summits: the fewest idle slots for the chosen meetings, by SAT.
//!
//! Annealing and Kempe-chain descents ([`super::compact`]) stop a slot or two above the optimum
//! on some small summits, where an exact method is affordable. Following Bofill et al.
//! ("Constraint solving approaches to the business-to-business meeting scheduling problem",
//! JAIR 74, 2022), the meetings' slots are encoded as a satisfiability problem and the solver
//! is asked for ever fewer idle slots until it proves that none fewer exist or its time runs
//! out:
//!
//! - `x[m][s]`: movable meeting `m` is in slot `s` (only slots where both are available); each
//!   meeting takes exactly one slot; fixed meetings stay where they are.
//! - `meets[v][s]` is the disjunction of `v`'s meetings in `s`; at most one meeting of `v` per
//!   slot; a slot's meetings fit its tables (a sequential counter, Sinz 2005).
//! - `before[v][s]` (a meeting of `v` in an earlier slot) and `after[v][s]` (in a later one)
//!   are implied by the meetings; `idle[v][s]` is implied by `before ∧ after ∧ ¬meets` in a
//!   slot where `v` is available. A sequential counter over the idle literals, asked through
//!   an assumption, bounds their number, so one solver serves every bound and keeps what it
//!   learnt.
//!
//! The solver (batsat, a MiniSat port in Rust) polls the deadline and the monitor between
//! conflicts. Each model found is applied to the schedule, which is never left with more idle
//! slots than it had.

use super::compact::total_idle;
use super::State;
use crate::error::{Error, Result};
use crate::monitor::Monitor;
use batsat::{lbool, Callbacks, Lit, Solver, SolverInterface, SolverOpts};
use std::cell::Cell;
use std::time::Instant;

/// Summits up to this many movable meetings (a hundred participants or so) are searched
/// exactly; larger ones keep their annealed agendas, within their time targets.
pub(super) const MAX_MEETINGS: usize = 400;

/// Stops the solver when its work (decisions, counted where it asks whether to stop) reaches
/// the current attempt's limit or the whole search's, at the deadline, or when the monitor is
/// interrupted. Work, not time, bounds the search, so the same summit gets the same agendas on
/// any machine; the deadline and the monitor are checked every [`POLL`] decisions (asking
/// Python for signals takes the GIL).
struct Stop<'m> {
    work: Cell<u64>,
    until: Cell<u64>,
    limit: u64,
    deadline: Option<Instant>,
    late: Cell<bool>,
    monitor: &'m dyn Monitor,
    interrupted: Cell<bool>,
}

/// Decisions between two checks of the deadline and the monitor (about a millisecond).
const POLL: u64 = 2_048;

impl Callbacks for Stop<'_> {
    fn stop(&self) -> bool {
        let work = self.work.get() + 1;
        self.work.set(work);
        if work.is_multiple_of(POLL) {
            let late = self.deadline.is_some_and(|d| Instant::now() >= d);
            self.late.set(self.late.get() || late);
            self.interrupted
                .set(self.interrupted.get() || self.monitor.interrupted());
        }
        self.interrupted.get() || self.spent() || work >= self.until.get()
    }
}

impl Stop<'_> {
    /// Whether the whole search's work or time is spent.
    fn spent(&self) -> bool {
        self.late.get() || self.work.get() >= self.limit
    }
}

/// Work (decisions) each neighbourhood gets before the search moves on.
const ATTEMPT: u64 = 400;

/// Work for the whole exact search: 0.2 to 0.6 s on two cores. It stops sooner when it proves
/// the optimum; where it does not, twenty times more (with neighbourhoods of five slots too)
/// lowered one of ten test summits' idle slots by one (`bench/summit_idle.py`).
const WORK: u64 = 20_000;

/// Lowers the total idle slots of `st` towards the optimum for its meetings before `deadline`;
/// returns whether the schedule ends with a proven optimum.
///
/// A large-neighbourhood search comes first: the meetings of every set of three, then four,
/// slots are re-placed exactly (every other meeting held by assumptions, [`ATTEMPT`] work
/// each) until no set helps or half of [`WORK`] is spent; the whole problem then gets the
/// rest, which proves the optimum on most summits of a few dozen participants. One solver
/// serves every attempt, keeping what it learnt.
pub(super) fn compact_exact(
    st: &mut State<'_>,
    deadline: Option<Instant>,
    monitor: &dyn Monitor,
) -> Result<bool> {
    let p = st.p;
    let movable: Vec<usize> = (0..p.pairs.len())
        .filter(|&q| st.slot_of[q].is_some() && !st.fixed[q])
        .collect();
    let mut best = total_idle(st);
    let late = deadline.is_some_and(|d| Instant::now() >= d);
    if movable.is_empty() || movable.len() > MAX_MEETINGS || p.slots < 3 || best == 0 || late {
        return Ok(best == 0);
    }
    let stop = Stop {
        work: Cell::new(0),
        until: Cell::new(u64::MAX),
        limit: WORK,
        deadline,
        late: Cell::new(false),
        monitor,
        interrupted: Cell::new(false),
    };
    let mut model = Model::new(st, &movable, best, stop);
    let neighbourhoods = neighbourhoods(p.slots);
    let mut improved = true;
    'search: while improved {
        improved = false;
        for inside in &neighbourhoods {
            let held: Vec<Lit> = movable
                .iter()
                .zip(&model.x)
                .filter_map(|(&q, options)| {
                    let s = st.slot_of[q]?;
                    (!inside[s]).then(|| options.iter().find(|o| o.0 == s).map(|o| o.1))?
                })
                .collect();
            let stop = model.solver.cb();
            if stop.work.get() >= WORK / 2 {
                break 'search;
            }
            stop.until.set(stop.work.get() + ATTEMPT);
            match model.lower(st, &movable, &mut best, &held)? {
                Some(true) => improved = true,
                _ if model.solver.cb().spent() => return Ok(false),
                _ => {}
            }
            if best == 0 {
                return Ok(true);
            }
        }
    }
    model.solver.cb().until.set(u64::MAX);
    loop {
        match model.lower(st, &movable, &mut best, &[])? {
            Some(true) if best > 0 => {}
            Some(true) => return Ok(true),
            Some(false) => return Ok(true),
            None => return Ok(false),
        }
    }
}

/// The sets of slots whose meetings are re-placed together, as masks over `n` slots: every
/// set of three, then of four, up to [`ALL_SETS`] slots; beyond, every three and four
/// consecutive slots (idle slots are gaps between neighbouring meetings, and the sets of a
/// summit of many slots would be far too many to try).
fn neighbourhoods(n: usize) -> Vec<Vec<bool>> {
    let mut sets = Vec::new();
    for k in [3, 4].into_iter().filter(|&k| k < n) {
        if n <= ALL_SETS {
            let mut pick: Vec<usize> = (0..k).collect();
            loop {
                sets.push((0..n).map(|s| pick.contains(&s)).collect());
                // The next k-set in lexicographic order.
                let Some(i) = (0..k).rev().find(|&i| pick[i] < n - k + i) else {
                    break;
                };
                pick[i] += 1;
                for j in i + 1..k {
                    pick[j] = pick[j - 1] + 1;
                }
            }
        } else {
            sets.extend((0..=n - k).map(|a| (0..n).map(|s| (a..a + k).contains(&s)).collect()));
        }
    }
    sets
}

/// Summits of up to this many slots try every set of three and four slots (495 sets of four
/// among twelve).
const ALL_SETS: usize = 12;

/// Puts movable meeting `movable[i]` in slot `slots[i]`.
fn move_all(st: &mut State<'_>, movable: &[usize], slots: &[usize]) {
    for &q in movable {
        st.remove(q);
    }
    for (&q, &s) in movable.iter().zip(slots) {
        st.place(q, s);
    }
}

/// The clauses, and the literals read back from a model.
struct Model<'m> {
    solver: Solver<Stop<'m>>,
    /// For each movable meeting, its possible slots with their literals.
    x: Vec<Vec<(usize, Lit)>>,
    /// `idle_at_least[k]`: at least `k + 1` idle slots (implied, not equivalent).
    idle_at_least: Vec<Lit>,
}

impl<'m> Model<'m> {
    /// Asks for fewer than `best` idle slots with the meetings of `held` kept in place; applies
    /// a model found and lowers `best`. `Some(true)`: lowered; `Some(false)`: none exists with
    /// `held`; `None`: out of time.
    fn lower(
        &mut self,
        st: &mut State<'_>,
        movable: &[usize],
        best: &mut u32,
        held: &[Lit],
    ) -> Result<Option<bool>> {
        let mut assumptions = held.to_vec();
        assumptions.push(!self.idle_at_least[*best as usize - 1]);
        let answer = self.solver.solve_limited(&assumptions);
        if self.solver.cb().interrupted.get() {
            return Err(Error::Interrupted);
        }
        if answer == lbool::FALSE {
            return Ok(Some(false));
        }
        if answer != lbool::TRUE {
            return Ok(None);
        }
        let slots: Option<Vec<usize>> = self
            .x
            .iter()
            .map(|options| {
                options
                    .iter()
                    .find(|&&(_, lit)| self.solver.value_lit(lit) == lbool::TRUE)
                    .map(|&(s, _)| s)
            })
            .collect();
        let Some(slots) = slots else {
            return Ok(None); // cannot happen: every meeting has a slot in a model
        };
        let before: Vec<usize> = movable.iter().filter_map(|&q| st.slot_of[q]).collect();
        move_all(st, movable, &slots);
        let now = total_idle(st);
        if now >= *best {
            // Cannot happen either: the model counts at least the idle slots it leaves.
            move_all(st, movable, &before);
            return Ok(None);
        }
        *best = now;
        Ok(Some(true))
    }

    fn new(st: &State<'_>, movable: &[usize], width: u32, stop: Stop<'m>) -> Self {
        let p = st.p;
        let mut solver = Solver::new(SolverOpts::default(), stop);
        let var = |solver: &mut Solver<Stop<'m>>, hint: bool| {
            let polarity = if hint { lbool::TRUE } else { lbool::FALSE };
            Lit::new(solver.new_var(polarity, true), true)
        };
        let clause = |solver: &mut Solver<Stop<'m>>, lits: &[Lit]| {
            solver.add_clause_reuse(&mut lits.to_vec());
        };
        // The meetings' slots, hinted at the current schedule.
        let mut x = Vec::with_capacity(movable.len());
        // `of[v * slots + s]`: literals of v's meetings in s (a fixed meeting is a true literal).
        let mut of: Vec<Vec<Lit>> = vec![Vec::new(); p.n() * p.slots];
        let mut in_slot: Vec<Vec<Lit>> = vec![Vec::new(); p.slots];
        let truth = var(&mut solver, true);
        clause(&mut solver, &[truth]);
        for &q in movable {
            let pr = p.pairs[q];
            let options: Vec<(usize, Lit)> = (0..p.slots)
                .filter(|&s| p.is_available(pr.a, s) && p.is_available(pr.b, s))
                .map(|s| (s, var(&mut solver, st.slot_of[q] == Some(s))))
                .collect();
            let lits: Vec<Lit> = options.iter().map(|&(_, l)| l).collect();
            clause(&mut solver, &lits);
            for (i, &a) in lits.iter().enumerate() {
                for &b in &lits[i + 1..] {
                    clause(&mut solver, &[!a, !b]);
                }
            }
            for &(s, l) in &options {
                of[pr.a as usize * p.slots + s].push(l);
                of[pr.b as usize * p.slots + s].push(l);
                in_slot[s].push(l);
            }
            x.push(options);
        }
        let pinned = (0..p.pairs.len()).filter(|&q| st.fixed[q]);
        for (q, s) in pinned.filter_map(|q| Some((q, st.slot_of[q]?))) {
            let pr = p.pairs[q];
            of[pr.a as usize * p.slots + s].push(truth);
            of[pr.b as usize * p.slots + s].push(truth);
            in_slot[s].push(truth);
        }
        for lits in &of {
            for (i, &a) in lits.iter().enumerate() {
                for &b in &lits[i + 1..] {
                    clause(&mut solver, &[!a, !b]);
                }
            }
        }
        for (s, lits) in in_slot.iter().enumerate() {
            let tables = p.tables[s] as usize;
            if lits.len() > tables {
                let at_least = counter(&mut solver, lits, tables + 1);
                clause(&mut solver, &[!at_least[tables]]);
            }
        }
        // Each participant's meetings, waiting and idle slots.
        let mut idle = Vec::new();
        for v in 0..p.n() {
            let row = &of[v * p.slots..(v + 1) * p.slots];
            if row.iter().all(Vec::is_empty) {
                continue;
            }
            let meets: Vec<Lit> = row
                .iter()
                .map(|lits| {
                    let m = var(&mut solver, false);
                    for &l in lits {
                        clause(&mut solver, &[!l, m]);
                    }
                    let mut any: Vec<Lit> = lits.clone();
                    any.push(!m);
                    clause(&mut solver, &any);
                    m
                })
                .collect();
            // before[s]: v meets in a slot before s; after[s]: in a slot after s.
            let mut before = vec![None::<Lit>; p.slots];
            for s in 1..p.slots {
                let b = var(&mut solver, false);
                clause(&mut solver, &[!meets[s - 1], b]);
                if let Some(prev) = before[s - 1] {
                    clause(&mut solver, &[!prev, b]);
                }
                before[s] = Some(b);
            }
            let mut after = vec![None::<Lit>; p.slots];
            for s in (0..p.slots - 1).rev() {
                let a = var(&mut solver, false);
                clause(&mut solver, &[!meets[s + 1], a]);
                if let Some(next) = after[s + 1] {
                    clause(&mut solver, &[!next, a]);
                }
                after[s] = Some(a);
            }
            for s in 1..p.slots - 1 {
                if !p.is_available(v as u32, s) {
                    continue;
                }
                let (Some(b), Some(a)) = (before[s], after[s]) else {
                    continue;
                };
                let i = var(&mut solver, false);
                clause(&mut solver, &[!b, !a, meets[s], i]);
                idle.push(i);
            }
        }
        let idle_at_least = counter(&mut solver, &idle, width as usize);
        Model {
            solver,
            x,
            idle_at_least,
        }
    }
}

/// A sequential counter (Sinz, "Towards an optimal CNF encoding of Boolean cardinality
/// constraints", CP 2005) over `lits`: returns `r` with `r[k]` implied whenever at least
/// `k + 1` of `lits` are true, for `k < width`. Asserting `¬r[k]` allows at most `k`.
fn counter<C: Callbacks>(solver: &mut Solver<C>, lits: &[Lit], width: usize) -> Vec<Lit> {
    let fresh = |solver: &mut Solver<C>| Lit::new(solver.new_var(lbool::FALSE, true), true);
    let mut row: Vec<Lit> = (0..width).map(|_| fresh(solver)).collect();
    for (i, &l) in lits.iter().enumerate() {
        let next: Vec<Lit> = if i == 0 {
            row.clone()
        } else {
            (0..width).map(|_| fresh(solver)).collect()
        };
        solver.add_clause_reuse(&mut vec![!l, next[0]]);
        if i > 0 {
            for k in 0..width {
                solver.add_clause_reuse(&mut vec![!row[k], next[k]]);
                if k > 0 {
                    solver.add_clause_reuse(&mut vec![!l, !row[k - 1], next[k]]);
                }
            }
        }
        row = next;
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::Quiet;
    use crate::summit::random::random_instance;

    /// The fewest idle slots over every placement of `meetings[i..]` (the others placed).
    fn brute_force(st: &mut State<'_>, meetings: &[usize], i: usize) -> u32 {
        let Some(&q) = meetings.get(i) else {
            return total_idle(st);
        };
        let mut best = u32::MAX;
        for s in 0..st.p.slots {
            if st.can_place(q, s) {
                st.place(q, s);
                best = best.min(brute_force(st, meetings, i + 1));
                st.remove(q);
            }
        }
        best
    }

    /// Small summits try every set of three and four slots; summits of many slots try
    /// consecutive ones only, so the sets stay few (and no mask overflows).
    #[test]
    fn neighbourhoods_stay_few() {
        assert_eq!(neighbourhoods(6).len(), 20 + 15);
        assert_eq!(neighbourhoods(12).len(), 220 + 495);
        assert!(neighbourhoods(3).is_empty());
        let many = neighbourhoods(200);
        assert_eq!(many.len(), 198 + 197);
        assert!(many.iter().all(|m| {
            let on: Vec<usize> = (0..200).filter(|&s| m[s]).collect();
            on.windows(2).all(|w| w[1] == w[0] + 1) && (3..=4).contains(&on.len())
        }));
    }

    /// On summits small enough to try every placement of their meetings, the exact search
    /// proves the fewest idle slots and leaves the schedule with them.
    #[test]
    fn exact_compaction_equals_brute_force() -> Result<()> {
        let mut lowered = 0;
        for seed in 0..6 {
            let input = random_instance(9, 5, 3, 4, 0.15, seed);
            let p = input.problem()?;
            let mut st = State::new(&p);
            for q in 0..p.pairs.len() {
                if let Some(s) = (0..p.slots).find(|&s| st.can_place(q, s)) {
                    st.place(q, s);
                }
            }
            let meetings: Vec<usize> = (0..p.pairs.len())
                .filter(|&q| st.slot_of[q].is_some())
                .collect();
            let start = total_idle(&st);
            let mut probe = st.clone();
            for &q in &meetings {
                probe.remove(q);
            }
            let want = brute_force(&mut probe, &meetings, 0);
            let proven = compact_exact(&mut st, None, &Quiet)?;
            assert!(proven, "seed {seed}: not proven");
            assert_eq!(total_idle(&st), want, "seed {seed}");
            assert_eq!(
                meetings,
                (0..p.pairs.len())
                    .filter(|&q| st.slot_of[q].is_some())
                    .collect::<Vec<_>>(),
                "the meetings stay"
            );
            lowered += (want < start) as u32;
        }
        assert!(
            lowered >= 3,
            "only {lowered} summits had idle slots to remove"
        );
        Ok(())
    }
}
