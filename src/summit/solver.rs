//! The scheduler: must-meet pairs first, then per-slot maximum-weight matchings, then a local
//! search of insertions with ejection chains (a meeting in the way is moved to another slot or
//! dropped for a better one) until nothing improves or the time limit is reached.
//!
//! The objective is lexicographic: first every must-meet pair, then participants' minimum
//! meetings (Σ_v min(meetings_v, min_v)), then the total score.

#[path = "compact.rs"]
mod compact;
#[path = "idle_sat.rs"]
mod idle_sat;
#[path = "trade.rs"]
mod trade;

use super::matching::max_matching;
use super::problem::{Meeting, Problem, SummitInput};
use crate::error::{Error, Result};
use crate::monitor::{checkpoint, Monitor, Quiet};
use rand::seq::SliceRandom;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// A schedule with its quality figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// Participant ids.
    pub ids: Vec<String>,
    /// Number of slots.
    pub slots: usize,
    /// Meetings, by slot then table.
    pub meetings: Vec<Meeting>,
    /// Total score of the meetings.
    pub objective: f64,
    /// A valid upper bound on the total score of any schedule: the smallest of (a) half the
    /// sum, over participants, of their best `b_v` pair scores (`b_v` = most meetings they can
    /// have), (b) the sum of the best `Σ_s tables_s` pair scores, (c) for summits of up to
    /// [`SolveOptions::lagrange_limit`] participants, the Lagrangian bound, and (d) for small
    /// summits with tables to spare, the score of a maximum b-matching (the best set of
    /// meetings with no participant over its cap, slots aside).
    pub upper_bound: f64,
    /// Meetings of each participant.
    pub meetings_per_participant: Vec<u32>,
    /// Minimum meetings asked of each participant.
    pub min_meetings: Vec<u32>,
    /// Local-search passes run.
    pub passes: usize,
    /// Idle slots of each participant: slots between their first and last meeting in which
    /// they are available and meet no one.
    #[serde(default)]
    pub idle: Vec<u32>,
    /// A lower bound on the total idle slots of these meetings in any slots: the proven optimum
    /// when the exact search finished (most summits of a few dozen participants), else what
    /// fixed meetings and availability force on any schedule giving everyone as many meetings.
    #[serde(default)]
    pub idle_bound: u32,
    /// What changed from the published schedule ([`SummitInput::published`]): every
    /// published meeting kept, moved to another table or cancelled (with the reason), then
    /// every new meeting. Empty when nothing was published.
    #[serde(default)]
    pub changes: Vec<super::Change>,
}

impl Schedule {
    /// `(upper_bound − objective) / upper_bound` (0 when the bound is 0).
    pub fn gap(&self) -> f64 {
        if self.upper_bound > 0.0 {
            ((self.upper_bound - self.objective) / self.upper_bound).max(0.0)
        } else {
            0.0
        }
    }

    /// Participants below their minimum number of meetings.
    pub fn below_minimum(&self) -> Vec<usize> {
        (0..self.ids.len())
            .filter(|&v| self.meetings_per_participant[v] < self.min_meetings[v])
            .collect()
    }

    /// The schedule as compact bytes (what a pickled `tsunagime.Schedule` holds).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|e| Error::Encode(e.to_string()))
    }

    /// A schedule from [`Schedule::to_bytes`], checked like a network read back
    /// ([`Schedule::check`]): damaged bytes are an error, never a schedule that breaks an
    /// export.
    ///
    /// ```
    /// use tsunagime::summit::{random_instance, schedule, Schedule, SolveOptions};
    /// let plan = schedule(&random_instance(12, 3, 4, 4, 0.0, 1), &SolveOptions::default())?;
    /// assert_eq!(Schedule::from_bytes(&plan.to_bytes()?)?, plan);
    /// assert!(Schedule::from_bytes(b"not a schedule").is_err());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Schedule> {
        let s: Schedule = postcard::from_bytes(bytes).map_err(|e| Error::Decode(e.to_string()))?;
        s.check()?;
        Ok(s)
    }

    /// Checks what every export relies on: 1 to 1,000 slots, one count per participant, each
    /// meeting between
    /// two different participants in an existing slot at a table ≥ 1, nobody twice in a slot,
    /// the counts matching the meetings, finite scores.
    ///
    /// ```
    /// use tsunagime::summit::{random_instance, schedule, SolveOptions};
    /// let input = random_instance(12, 3, 4, 4, 0.0, 1);
    /// let mut plan = schedule(&input, &SolveOptions::default())?;
    /// plan.check()?;
    /// plan.meetings[0].slot = plan.slots;
    /// assert!(plan.check().unwrap_err().to_string().contains("slot"));
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn check(&self) -> Result<()> {
        let bad = |why: String| Err(Error::Decode(format!("schedule: {why}")));
        let n = self.ids.len();
        if self.slots == 0 || self.slots > super::problem::MAX_SLOTS {
            return bad(format!("{} slots", self.slots));
        }
        if self.meetings_per_participant.len() != n
            || self.min_meetings.len() != n
            || !(self.idle.is_empty() || self.idle.len() == n)
        {
            return bad(format!("{n} participants but counts of another length"));
        }
        if !(self.objective.is_finite() && self.upper_bound.is_finite()) {
            return bad("objective or bound not finite".into());
        }
        let mut count = vec![0u32; n];
        let mut busy = rustc_hash::FxHashSet::default();
        for (k, m) in self.meetings.iter().enumerate() {
            if m.a >= n || m.b >= n || m.a == m.b {
                return bad(format!(
                    "meeting {k} is not between two of the {n} participants"
                ));
            }
            if m.slot >= self.slots || m.table == 0 || !m.score.is_finite() {
                return bad(format!(
                    "meeting {k} has slot {} of {}, table {}, score {}",
                    m.slot, self.slots, m.table, m.score
                ));
            }
            for v in [m.a, m.b] {
                if !busy.insert((v, m.slot)) {
                    return bad(format!("participant {v} meets twice in slot {}", m.slot));
                }
                count[v] += 1;
            }
        }
        if count != self.meetings_per_participant {
            return bad("the meeting counts do not match the meetings".into());
        }
        if let Some(c) = self
            .changes
            .iter()
            .find(|c| c.after.is_some_and(|(slot, _)| slot >= self.slots))
        {
            return bad(format!(
                "a change of {} and {} is after the last slot",
                c.a, c.b
            ));
        }
        Ok(())
    }
}

/// Solver options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SolveOptions {
    /// Bound the whole call: the Lagrangian bound stops at half of it, the search at nine
    /// tenths, compacting takes the rest (the construction always completes).
    pub time_limit: Option<Duration>,
    /// Seed of the local search's order: the same seed gives the same schedule when no time
    /// limit cuts the search short.
    pub seed: u64,
    /// Slots whose matching graph has more participants than this use a greedy matching
    /// instead of the exact (cubic) one.
    pub exact_matching_limit: usize,
    /// Summits of at most this many participants also run a Lagrangian relaxation: a much
    /// tighter upper bound and better starting points, at some cost in time.
    pub lagrange_limit: usize,
    /// Compact agendas: once the meetings are chosen, move them between slots so that
    /// participants wait less between meetings (the meetings, and so the objective, stay).
    #[serde(default = "yes")]
    pub compact: bool,
    /// Share of the score (not of must-meet pairs or minimum meetings, which never give way)
    /// that compacting may give up for fewer idle slots: meetings apart from the rest of an
    /// agenda are dropped, or give their table to a pair that fills someone's gap, the most
    /// idle slots saved per point first (see `trade.rs`). Summits of up to 400 meetings only,
    /// where the exact search runs too; larger ones keep every meeting. 0 keeps the meetings.
    #[serde(default = "idle_tolerance")]
    pub idle_tolerance: f64,
}

/// The default [`SolveOptions::idle_tolerance`]: 0.2% of the score. On ten test summits of 20
/// to 60 participants it cut the idle slots from 68 to 54, giving up at most 0.19% of the
/// score (`bench/summit_idle.py`).
pub const IDLE_TOLERANCE: f64 = 0.002;

fn idle_tolerance() -> f64 {
    IDLE_TOLERANCE
}

fn yes() -> bool {
    true
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            seed: 0,
            exact_matching_limit: 1_200,
            lagrange_limit: 400,
            compact: true,
            idle_tolerance: IDLE_TOLERANCE,
        }
    }
}

/// Lexicographic value: (must-meet pairs placed, minimum meetings covered, score).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Value(i64, i64, f64);

impl Value {
    /// Lexicographic comparison.
    fn less_than(self, o: Value) -> bool {
        (self.0, self.1) < (o.0, o.1) || ((self.0, self.1) == (o.0, o.1) && self.2 < o.2 - 1e-9)
    }

    fn add(self, o: Value) -> Value {
        Value(self.0 + o.0, self.1 + o.1, self.2 + o.2)
    }
    fn better_than_zero(self) -> bool {
        self.0 > 0 || (self.0 == 0 && (self.1 > 0 || (self.1 == 0 && self.2 > 1e-12)))
    }
}

#[derive(Clone)]
struct State<'a> {
    p: &'a Problem,
    /// `busy[v * slots + s]`: pair index + 1, or 0.
    busy: Vec<u32>,
    slot_of: Vec<Option<usize>>,
    in_slot: Vec<Vec<usize>>,
    /// Where each placed pair stands in its slot's `in_slot` list (so removal takes no scan).
    at: Vec<usize>,
    deg: Vec<u32>,
    fixed: Vec<bool>,
}

impl<'a> State<'a> {
    fn new(p: &'a Problem) -> Self {
        State {
            p,
            busy: vec![0; p.n() * p.slots],
            slot_of: vec![None; p.pairs.len()],
            in_slot: vec![Vec::new(); p.slots],
            at: vec![0; p.pairs.len()],
            deg: vec![0; p.n()],
            fixed: vec![false; p.pairs.len()],
        }
    }

    fn free(&self, v: u32, s: usize) -> bool {
        self.busy[v as usize * self.p.slots + s] == 0
    }

    fn occupant(&self, v: u32, s: usize) -> Option<usize> {
        let x = self.busy[v as usize * self.p.slots + s];
        (x > 0).then(|| x as usize - 1)
    }

    /// Whether pair `q` could be placed in slot `s` as things stand.
    fn can_place(&self, q: usize, s: usize) -> bool {
        let pr = self.p.pairs[q];
        self.slot_of[q].is_none()
            && (self.in_slot[s].len() as u32) < self.p.tables[s]
            && [pr.a, pr.b].iter().all(|&v| {
                self.p.is_available(v, s)
                    && self.free(v, s)
                    && self.deg[v as usize] < self.p.cap[v as usize]
            })
    }

    fn gain_of_place(&self, q: usize) -> Value {
        let pr = self.p.pairs[q];
        let cover = [pr.a, pr.b]
            .iter()
            .filter(|&&v| self.deg[v as usize] < self.p.min[v as usize])
            .count() as i64;
        Value(pr.must as i64, cover, pr.score)
    }

    fn gain_of_remove(&self, q: usize) -> Value {
        let pr = self.p.pairs[q];
        let cover = [pr.a, pr.b]
            .iter()
            .filter(|&&v| self.deg[v as usize] <= self.p.min[v as usize])
            .count() as i64;
        Value(-(pr.must as i64), -cover, -pr.score)
    }

    fn place(&mut self, q: usize, s: usize) -> Value {
        let gain = self.gain_of_place(q);
        let pr = self.p.pairs[q];
        for v in [pr.a, pr.b] {
            self.busy[v as usize * self.p.slots + s] = q as u32 + 1;
            self.deg[v as usize] += 1;
        }
        self.slot_of[q] = Some(s);
        self.at[q] = self.in_slot[s].len();
        self.in_slot[s].push(q);
        gain
    }

    fn remove(&mut self, q: usize) -> Value {
        let gain = self.gain_of_remove(q);
        let pr = self.p.pairs[q];
        if let Some(s) = self.slot_of[q].take() {
            for v in [pr.a, pr.b] {
                self.busy[v as usize * self.p.slots + s] = 0;
                self.deg[v as usize] -= 1;
            }
            let k = self.at[q];
            self.in_slot[s].swap_remove(k);
            if let Some(&moved) = self.in_slot[s].get(k) {
                self.at[moved] = k;
            }
        }
        gain
    }

    /// Moves pair `q` (just removed) to the first slot in `order` where it fits.
    fn relocate(&mut self, q: usize, order: &[usize]) -> Option<usize> {
        let s = order.iter().copied().find(|&s| self.can_place(q, s))?;
        self.place(q, s);
        Some(s)
    }
}

impl State<'_> {
    /// The schedule's value from scratch.
    fn total(&self) -> Value {
        let p = self.p;
        let mut v = Value::default();
        for (q, pr) in p.pairs.iter().enumerate() {
            if self.slot_of[q].is_some() {
                v = v.add(Value(pr.must as i64, 0, pr.score));
            }
        }
        v.1 = (0..p.n()).map(|i| self.deg[i].min(p.min[i]) as i64).sum();
        v
    }
}

/// Ruin and recreate: drops the movable meetings of a few random participants and rebuilds
/// with the local search, keeping the result unless it is worse. Returns the iterations run.
fn iterated_search(
    st: &mut State<'_>,
    options: &SolveOptions,
    rng: &mut ChaCha8Rng,
    iterations: usize,
    start: Instant,
    monitor: &dyn Monitor,
) -> Result<usize> {
    let p = st.p;
    let (exact_limit, limit) = (options.exact_matching_limit, options.time_limit);
    let slot_ruin = p.n() <= options.lagrange_limit;
    if p.pairs.is_empty() || p.slots == 0 {
        // Nothing to ruin (and no participant or slot to draw at random).
        return Ok(0);
    }
    let mut best = st.total();
    // Stop early once a fifth of the iterations in a row (at least 40) found nothing better.
    let patience = (iterations / 5).max(40);
    let mut since_better = 0;
    let ruin = (p.n() / 50).clamp(2, 8);
    let mut pairs_of: Vec<Vec<usize>> = vec![Vec::new(); p.n()];
    for (q, pr) in p.pairs.iter().enumerate() {
        pairs_of[pr.a as usize].push(q);
        pairs_of[pr.b as usize].push(q);
    }
    let mut done = 0;
    let mut touched: Vec<u32> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for _ in 0..iterations {
        if limit.is_some_and(|t| start.elapsed() >= t) || since_better >= patience {
            break;
        }
        checkpoint(monitor, "searching", done as u64, iterations as u64)?;
        done += 1;
        let saved = st.clone();
        touched.clear();
        if slot_ruin && done % 4 == 0 {
            // Every fourth round ruins one whole slot and re-solves it exactly first (small
            // and medium summits: an exact matching of a large slot costs too much here).
            let s = rng.random_range(0..p.slots);
            let here: Vec<usize> = st.in_slot[s]
                .iter()
                .copied()
                .filter(|&q| !st.fixed[q] && !p.pairs[q].must)
                .collect();
            for q in here {
                st.remove(q);
                touched.extend([p.pairs[q].a, p.pairs[q].b]);
            }
            match_slot(st, s, exact_limit);
        } else {
            for _ in 0..ruin {
                let v = rng.random_range(0..p.n() as u32);
                for s in 0..p.slots {
                    if let Some(q) = st.occupant(v, s) {
                        if !st.fixed[q] && !p.pairs[q].must {
                            st.remove(q);
                            touched.extend([p.pairs[q].a, p.pairs[q].b]);
                        }
                    }
                }
            }
        }
        // Recreate around the participants that lost meetings.
        candidates.clear();
        for &v in &touched {
            candidates.extend(&pairs_of[v as usize]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        for _ in 0..4 {
            if !improve_among(st, rng, start, limit, &candidates) {
                break;
            }
        }
        let now = st.total();
        since_better = if best.less_than(now) {
            0
        } else {
            since_better + 1
        };
        if now.less_than(best) {
            *st = saved;
        } else {
            best = now;
        }
    }
    Ok(done)
}

/// Schedules the summit.
pub fn schedule(input: &SummitInput, options: &SolveOptions) -> Result<Schedule> {
    schedule_with(input, options, &Quiet)
}

/// [`schedule`] reporting progress to a [`Monitor`], which can also stop it.
pub fn schedule_with(
    input: &SummitInput,
    options: &SolveOptions,
    monitor: &dyn Monitor,
) -> Result<Schedule> {
    let start = Instant::now();
    if !(0.0..1.0).contains(&options.idle_tolerance) {
        return Err(Error::parameter(
            "idle_tolerance",
            format!(
                "{} is not a share of the score from 0 (keep every meeting) to below 1",
                options.idle_tolerance
            ),
        ));
    }
    let p = input.problem()?;
    let mut st = State::new(&p);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    place_fixed(&mut st)?;
    place_must(&mut st)?;
    let base_state = st.clone();
    // Construction: per-slot matchings in slot order, then local search; small summits try a
    // few more slot orders and keep the best.
    let base_for_starts = st.clone();
    let starts = if p.n() <= options.lagrange_limit {
        4
    } else {
        1
    };
    let mut passes = 0;
    let mut best_start: Option<(Value, State<'_>)> = None;
    // With tables to spare in every slot the best schedule is usually a b-matching the slots
    // can colour, so such summits also start from one (the last start, when there is one).
    let mut b_matching_bound = None;
    for k in 0..=starts {
        let mut cand = if k == starts {
            match b_matching_start(&base_for_starts, options.exact_matching_limit) {
                Some((cand, bound)) => {
                    b_matching_bound = Some(bound);
                    cand
                }
                None => break,
            }
        } else {
            base_for_starts.clone()
        };
        let mut order: Vec<usize> = (0..p.slots).collect();
        if k > 0 {
            order.shuffle(&mut rng);
        }
        checkpoint(monitor, "matching slots", 0, p.slots as u64)?;
        for (i, &s) in order.iter().enumerate() {
            match_slot(&mut cand, s, options.exact_matching_limit);
            checkpoint(monitor, "matching slots", i as u64 + 1, p.slots as u64)?;
        }
        loop {
            passes += 1;
            checkpoint(monitor, "improving", passes as u64, 0)?;
            let improved = improve(&mut cand, &mut rng, start, options.time_limit);
            if !improved
                || options.time_limit.is_some_and(|t| start.elapsed() >= t)
                || passes >= 200
            {
                break;
            }
        }
        let v = cand.total();
        if best_start.as_ref().is_none_or(|(b, _)| b.less_than(v)) {
            best_start = Some((v, cand));
        }
    }
    if let Some((_, best)) = best_start {
        st = best;
    }
    // Lagrangian relaxation (small and medium summits): a tight bound, and its matchings as
    // further starting points.
    let mut bound = None;
    if p.n() <= options.lagrange_limit {
        let base = base_state;
        let mut best = st.clone();
        let mut best_value = best.total();
        const STEPS: usize = 60;
        let mut step = 0;
        // Under a time limit the bound takes at most half of it.
        let deadline = options.time_limit.map(|t| start + t.mul_f64(0.5));
        let exact = options.exact_matching_limit;
        let lagrangian = super::lagrange::relax(&p, STEPS, exact, deadline, |slots| {
            step += 1;
            checkpoint(monitor, "bounding", step as u64, STEPS as u64)?;
            let mut cand = base.clone();
            for (s, list) in slots.iter().enumerate() {
                for &q in list {
                    if cand.can_place(q, s) {
                        cand.place(q, s);
                    }
                }
            }
            for _ in 0..4 {
                if !improve(&mut cand, &mut rng, start, options.time_limit) {
                    break;
                }
            }
            let v = cand.total();
            if best_value.less_than(v) {
                best_value = v;
                best = cand;
            }
            Ok(best_value.2)
        })?;
        st = best;
        bound = Some(lagrangian);
    }
    // Effort of the ruin-and-recreate phase: 50,000 / n iterations, 100 to 500. An
    // iteration costs about n, so the phase takes about the same time whatever the size
    // (under half a second on two cores); the old rule (250,000 / n, up to 2,000) spent
    // seconds on small summits for under 0.1% of objective.
    let iterations = (50_000 / p.n().max(1)).clamp(100, 500);
    // Under a time limit the search leaves a tenth of it to compacting the agendas.
    let searching = SolveOptions {
        time_limit: options.time_limit.map(|t| t.mul_f64(0.9)),
        ..*options
    };
    passes += iterated_search(&mut st, &searching, &mut rng, iterations, start, monitor)?;
    let mut optimal_idle = false;
    if options.compact {
        passes += compact::compact(
            &mut st,
            &mut rng,
            options.time_limit.map(|t| start + t),
            monitor,
        )?;
        let deadline = options.time_limit.map(|t| start + t);
        let movable = (0..p.pairs.len())
            .filter(|&q| st.slot_of[q].is_some() && !st.fixed[q])
            .count();
        if options.idle_tolerance > 0.0 && movable <= idle_sat::MAX_MEETINGS {
            let budget = options.idle_tolerance * st.total().2;
            if trade::trade(&mut st, budget, deadline, monitor)?.0 > 0 {
                passes += compact::compact(&mut st, &mut rng, deadline, monitor)?;
            }
        }
        optimal_idle = idle_sat::compact_exact(&mut st, deadline, monitor)?;
    }
    let mut schedule = finish(&st, passes);
    if optimal_idle {
        schedule.idle_bound = schedule.idle.iter().sum();
    }
    schedule.changes = super::keep::changes(&input.published, &p, &schedule.meetings);
    for b in [bound, b_matching_bound].into_iter().flatten() {
        schedule.upper_bound = schedule.upper_bound.min(b).max(schedule.objective);
    }
    Ok(schedule)
}

/// A start from a maximum b-matching ([`super::bmatching`]) given slots one at a time: each slot takes the heaviest matching of the chosen pairs that covers
/// every participant with as many chosen meetings left as available slots left (otherwise
/// some of them could not get a slot; when every participant is covered so in every slot the
/// colouring completes); what finds no slot tries a Kempe-chain swap, and the rest is left to
/// the matchings and the local search that follow. Also returns the b-matching's score, an
/// upper bound; `None` where [`super::bmatching::maximum`] declines.
fn b_matching_start<'a>(base: &State<'a>, exact_limit: usize) -> Option<(State<'a>, f64)> {
    let p = base.p;
    let locked: Vec<bool> = (0..p.pairs.len())
        .map(|q| base.slot_of[q].is_some())
        .collect();
    let total = p.tables.iter().map(|&t| t as usize).sum();
    let (mut chosen, bound) = super::bmatching::maximum(p, &locked, total)?;
    chosen.retain(|&q| !locked[q]);
    let mut st = base.clone();
    let mut left = vec![0u32; p.n()];
    for &q in &chosen {
        left[p.pairs[q].a as usize] += 1;
        left[p.pairs[q].b as usize] += 1;
    }
    let scaled = |q: usize| (p.pairs[q].score * p.weight_scale).round() as i128 + 1;
    // Covering one more tight participant outweighs any difference in score.
    let cover: i128 = chosen.iter().map(|&q| scaled(q)).sum::<i128>() + 1;
    for s in 0..p.slots {
        let candidates: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&q| st.can_place(q, s))
            .collect();
        let tight = |v: u32| {
            let slots_left = (s..p.slots)
                .filter(|&t| p.is_available(v, t) && st.free(v, t))
                .count() as u32;
            i128::from(left[v as usize] >= slots_left)
        };
        let ends: Vec<(u32, u32, i128)> = candidates
            .iter()
            .map(|&q| {
                let pr = p.pairs[q];
                (pr.a, pr.b, scaled(q) + cover * (tight(pr.a) + tight(pr.b)))
            })
            .collect();
        for k in max_matching(&ends, exact_limit) {
            let q = candidates[k];
            st.place(q, s);
            left[p.pairs[q].a as usize] -= 1;
            left[p.pairs[q].b as usize] -= 1;
        }
        chosen.retain(|&q| st.slot_of[q].is_none());
    }
    let order: Vec<usize> = (0..p.slots).collect();
    for q in chosen {
        kempe_insert(&mut st, q, &order);
    }
    Some((st, bound))
}

fn place_fixed(st: &mut State<'_>) -> Result<()> {
    let p = st.p;
    for (row, &(q, s)) in p.fixed.iter().enumerate() {
        let pr = p.pairs[q];
        let (a, b) = (&p.ids[pr.a as usize], &p.ids[pr.b as usize]);
        let why = if st.slot_of[q].is_some() {
            Some("the pair is fixed twice".to_string())
        } else if let Some(&v) = [pr.a, pr.b].iter().find(|&&v| !p.is_available(v, s)) {
            Some(format!(
                "'{}' is unavailable in slot {s}",
                p.ids[v as usize]
            ))
        } else if let Some(&v) = [pr.a, pr.b].iter().find(|&&v| !st.free(v, s)) {
            Some(format!(
                "'{}' already has a fixed meeting in slot {s}",
                p.ids[v as usize]
            ))
        } else if let Some(&v) = [pr.a, pr.b]
            .iter()
            .find(|&&v| st.deg[v as usize] >= p.cap[v as usize])
        {
            Some(format!(
                "'{}' may have at most {} meetings",
                p.ids[v as usize], p.cap[v as usize]
            ))
        } else if st.in_slot[s].len() as u32 >= p.tables[s] {
            Some(format!("slot {s} has only {} tables", p.tables[s]))
        } else {
            None
        };
        if let Some(why) = why {
            return Err(Error::input(
                crate::error::Location::table("fixed").row(row as u64),
                format!("fixed meeting '{a}'–'{b}' in slot {s} is impossible: {why}"),
            ));
        }
        st.place(q, s);
        st.fixed[q] = true;
    }
    Ok(())
}

/// Places must-meet pairs, the most constrained first; infeasibility names the pair and why.
fn place_must(st: &mut State<'_>) -> Result<()> {
    let p = st.p;
    let mut must_count = vec![0u32; p.n()];
    for pr in p.pairs.iter().filter(|pr| pr.must) {
        must_count[pr.a as usize] += 1;
        must_count[pr.b as usize] += 1;
    }
    if let Some(v) = (0..p.n()).find(|&v| must_count[v] > p.cap[v]) {
        return Err(Error::parameter(
            "must_meet",
            format!(
                "'{}' must meet {} participants but can have at most {} meetings (available slots and max_meetings)",
                p.ids[v], must_count[v], p.cap[v]
            ),
        ));
    }
    let common = |q: usize| {
        (0..p.slots)
            .filter(|&s| p.is_available(p.pairs[q].a, s) && p.is_available(p.pairs[q].b, s))
            .count()
    };
    let mut order: Vec<usize> = (0..p.pairs.len())
        .filter(|&q| p.pairs[q].must && st.slot_of[q].is_none())
        .collect();
    order.sort_by_key(|&q| (common(q), q));
    let all_slots: Vec<usize> = (0..p.slots).collect();
    for q in order {
        if st.relocate(q, &all_slots).is_some() {
            continue;
        }
        // Try to free a slot by moving a non-fixed meeting of either participant elsewhere.
        let pr = p.pairs[q];
        let mut placed = false;
        'slots: for s in 0..p.slots {
            if !(p.is_available(pr.a, s) && p.is_available(pr.b, s)) {
                continue;
            }
            let blockers: Vec<usize> = [pr.a, pr.b]
                .iter()
                .filter_map(|&v| st.occupant(v, s))
                .collect();
            if blockers.iter().any(|&x| st.fixed[x]) || blockers.len() > 1 {
                continue;
            }
            for &x in &blockers {
                st.remove(x);
                let others: Vec<usize> = (0..p.slots).filter(|&t| t != s).collect();
                if st.relocate(x, &others).is_none() {
                    st.place(x, s);
                    continue 'slots;
                }
            }
            if st.can_place(q, s) {
                st.place(q, s);
                placed = true;
                break;
            }
        }
        if !placed {
            let (a, b) = (&p.ids[pr.a as usize], &p.ids[pr.b as usize]);
            let n_common = common(q);
            let why = if n_common == 0 {
                "they share no available slot".to_string()
            } else {
                format!("in each of their {n_common} common slots one of them already has a required meeting or the tables are full")
            };
            return Err(Error::parameter(
                "must_meet",
                format!("cannot place must-meet pair '{a}'–'{b}': {why}"),
            ));
        }
    }
    Ok(())
}

/// Scaled integer weight of placing pair `q` now (must ≫ coverage ≫ score); ≤ 0 is useless.
fn weight(st: &State<'_>, q: usize) -> i128 {
    let g = st.gain_of_place(q);
    (g.0 as i128) * 1_000_000_000_000_000_000_000
        + (g.1 as i128) * 1_000_000_000_000_000
        + (g.2 * st.p.weight_scale).round() as i128
}

/// A maximum-weight matching of slot `s` among the pairs that fit, trimmed to the free tables.
fn match_slot(st: &mut State<'_>, s: usize, exact_limit: usize) -> Value {
    let p = st.p;
    let candidates: Vec<(usize, i128)> = (0..p.pairs.len())
        .filter(|&q| st.can_place(q, s))
        .map(|q| (q, weight(st, q)))
        .filter(|&(_, w)| w > 0)
        .collect();
    if candidates.is_empty() {
        return Value::default();
    }
    let ends: Vec<(u32, u32, i128)> = candidates
        .iter()
        .map(|&(q, w)| (p.pairs[q].a, p.pairs[q].b, w))
        .collect();
    let mut chosen: Vec<(usize, i128)> = max_matching(&ends, exact_limit)
        .into_iter()
        .map(|k| candidates[k])
        .collect();
    chosen.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut gained = Value::default();
    for (q, _) in chosen {
        if st.can_place(q, s) {
            gained = gained.add(st.place(q, s));
        }
    }
    gained
}

/// One pass of insertions with ejection chains; true when anything improved.
fn improve(
    st: &mut State<'_>,
    rng: &mut ChaCha8Rng,
    start: Instant,
    limit: Option<Duration>,
) -> bool {
    let all: Vec<usize> = (0..st.p.pairs.len()).collect();
    improve_among(st, rng, start, limit, &all)
}

/// [`improve`] restricted to the given pairs.
fn improve_among(
    st: &mut State<'_>,
    rng: &mut ChaCha8Rng,
    start: Instant,
    limit: Option<Duration>,
    pairs: &[usize],
) -> bool {
    let p = st.p;
    let mut order: Vec<usize> = pairs
        .iter()
        .copied()
        .filter(|&q| st.slot_of[q].is_none())
        .collect();
    order.sort_by(|&x, &y| {
        p.pairs[y]
            .score
            .total_cmp(&p.pairs[x].score)
            .then(x.cmp(&y))
    });
    let mut slots: Vec<usize> = (0..p.slots).collect();
    let mut improved = false;
    for (k, &q) in order.iter().enumerate() {
        if k % 256 == 0 && limit.is_some_and(|t| start.elapsed() >= t) {
            break;
        }
        if st.slot_of[q].is_some() {
            continue;
        }
        let pr = p.pairs[q];
        if !(pr.score > 0.0 || pr.must || st.gain_of_place(q).1 > 0) {
            continue;
        }
        slots.shuffle(rng);
        let order_slots = slots.clone();
        let mut done = false;
        for &s in &order_slots {
            if try_insert(st, q, s, &order_slots) {
                done = true;
                break;
            }
        }
        if !done {
            done = try_kempe(st, q, &order_slots) || try_exchange(st, q, &order_slots);
        }
        improved |= done;
    }
    improved
}

/// For a pair whose participants are at their meeting cap: drops each one's weakest movable
/// meeting, then inserts the pair directly or by a Kempe-chain swap; kept only if better.
fn try_exchange(st: &mut State<'_>, q: usize, order: &[usize]) -> bool {
    let p = st.p;
    let pr = p.pairs[q];
    let weakest = |st: &State<'_>, v: u32| {
        (0..p.slots)
            .filter_map(|t| st.occupant(v, t))
            .filter(|&x| !st.fixed[x] && !p.pairs[x].must)
            .min_by(|&x, &y| p.pairs[x].score.total_cmp(&p.pairs[y].score))
    };
    let mut drop: Vec<usize> = Vec::new();
    for v in [pr.a, pr.b] {
        if st.deg[v as usize] >= p.cap[v as usize] {
            match weakest(st, v) {
                Some(x) if !drop.contains(&x) => drop.push(x),
                Some(_) => {}
                None => return false,
            }
        }
    }
    let lost: f64 = drop.iter().map(|&x| p.pairs[x].score).sum();
    if drop.is_empty() || pr.score <= lost + 1e-9 {
        return false;
    }
    let mut delta = Value::default();
    let mut removed: Vec<(usize, usize)> = Vec::new();
    for &x in &drop {
        if let Some(t) = st.slot_of[x] {
            delta = delta.add(st.remove(x));
            removed.push((x, t));
        }
    }
    let gain = st.gain_of_place(q);
    let moved = match order.iter().copied().find(|&s| st.can_place(q, s)) {
        Some(s) => {
            st.place(q, s);
            Some(Vec::new())
        }
        None => kempe_insert(st, q, order),
    };
    if let Some(moves) = moved {
        if delta.add(gain).better_than_zero() {
            return true;
        }
        st.remove(q);
        for &(e, _) in &moves {
            st.remove(e);
        }
        for &(e, from) in &moves {
            st.place(e, from);
        }
    }
    for &(x, t) in removed.iter().rev() {
        st.place(x, t);
    }
    false
}

/// Inserts pair `q` by a Kempe-chain swap: where `a` is free in slot `s` and `b` in slot `t`,
/// swapping `s` and `t` along the alternating path of meetings that starts at `b` frees `b`
/// in `s` (Vizing's recolouring step), so `q` fits in `s` and nothing is lost.
fn try_kempe(st: &mut State<'_>, q: usize, order: &[usize]) -> bool {
    st.gain_of_place(q).better_than_zero() && kempe_insert(st, q, order).is_some()
}

/// The Kempe-chain insertion of [`try_kempe`]; returns the meetings it moved with the slot
/// each came from, so that the caller can undo it.
fn kempe_insert(st: &mut State<'_>, q: usize, order: &[usize]) -> Option<Vec<(usize, usize)>> {
    let p = st.p;
    let pr = p.pairs[q];
    if st.slot_of[q].is_some()
        || [pr.a, pr.b]
            .iter()
            .any(|&v| st.deg[v as usize] >= p.cap[v as usize])
    {
        return None;
    }
    for (a, b) in [(pr.a, pr.b), (pr.b, pr.a)] {
        for &s in order {
            if !(p.is_available(a, s) && p.is_available(b, s) && st.free(a, s)) || st.free(b, s) {
                continue;
            }
            for &t in order {
                if t == s || !st.free(b, t) {
                    continue;
                }
                // The alternating path from b: its meeting in s, then the next vertex's in t, …
                let mut path: Vec<usize> = Vec::new();
                let (mut cur, mut colour) = (b, s);
                let mut ok = true;
                while let Some(e) = st.occupant(cur, colour) {
                    let ep = p.pairs[e];
                    let next = if ep.a == cur { ep.b } else { ep.a };
                    let other = if colour == s { t } else { s };
                    if st.fixed[e]
                        || next == a
                        || path.len() > 64
                        || !p.is_available(ep.a, other)
                        || !p.is_available(ep.b, other)
                    {
                        ok = false;
                        break;
                    }
                    path.push(e);
                    cur = next;
                    colour = other;
                }
                if !ok || path.is_empty() {
                    continue;
                }
                let in_s = path.iter().filter(|&&e| st.slot_of[e] == Some(s)).count() as i64;
                let in_t = path.len() as i64 - in_s;
                let count_s = st.in_slot[s].len() as i64 - in_s + in_t + 1;
                let count_t = st.in_slot[t].len() as i64 - in_t + in_s;
                if count_s > p.tables[s] as i64 || count_t > p.tables[t] as i64 {
                    continue;
                }
                let moves: Vec<(usize, usize)> = path
                    .iter()
                    .map(|&e| (e, if st.slot_of[e] == Some(s) { t } else { s }))
                    .collect();
                for &(e, _) in &moves {
                    st.remove(e);
                }
                for &(e, to) in &moves {
                    st.place(e, to);
                }
                if st.can_place(q, s) {
                    st.place(q, s);
                    return Some(
                        moves
                            .iter()
                            .map(|&(e, to)| (e, if to == s { t } else { s }))
                            .collect(),
                    );
                }
                // Should not happen; restore.
                for &(e, _) in &moves {
                    st.remove(e);
                }
                for &(e, to) in &moves {
                    st.place(e, if to == s { t } else { s });
                }
            }
        }
    }
    None
}

/// Tries to put pair `q` in slot `s`, moving or dropping what is in the way; keeps the change
/// only if the schedule gets better.
fn try_insert(st: &mut State<'_>, q: usize, s: usize, order: &[usize]) -> bool {
    let p = st.p;
    let pr = p.pairs[q];
    if !(p.is_available(pr.a, s) && p.is_available(pr.b, s)) {
        return false;
    }
    let mut blockers: Vec<usize> = [pr.a, pr.b]
        .iter()
        .filter_map(|&v| st.occupant(v, s))
        .collect();
    blockers.dedup();
    if blockers.iter().any(|&x| st.fixed[x]) {
        return false;
    }
    // A participant at its meeting cap must give up one of its meetings elsewhere.
    let mut capped: Vec<usize> = Vec::new();
    for v in [pr.a, pr.b] {
        let busy_here = st.occupant(v, s).is_some();
        if st.deg[v as usize] >= p.cap[v as usize] && !busy_here {
            // Drop v's weakest movable meeting.
            let weakest = (0..p.slots)
                .filter_map(|t| st.occupant(v, t))
                .filter(|&x| !st.fixed[x] && !p.pairs[x].must)
                .min_by(|&x, &y| p.pairs[x].score.total_cmp(&p.pairs[y].score));
            match weakest {
                Some(x) => capped.push(x),
                None => return false,
            }
        }
    }
    let full = blockers.is_empty() && st.in_slot[s].len() as u32 >= p.tables[s];
    let mut evict = None;
    if full {
        evict = st.in_slot[s]
            .iter()
            .copied()
            .filter(|&x| !st.fixed[x] && !p.pairs[x].must)
            .min_by(|&x, &y| p.pairs[x].score.total_cmp(&p.pairs[y].score));
        if evict.is_none() {
            return false;
        }
    }
    // Apply: remove what is in the way, place q, try to re-place the removed meetings.
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut delta = Value::default();
    for x in blockers.iter().chain(&capped).chain(evict.iter()).copied() {
        if let Some(t) = st.slot_of[x] {
            delta = delta.add(st.remove(x));
            removed.push((x, t));
        }
    }
    if !st.can_place(q, s) {
        for &(x, t) in removed.iter().rev() {
            st.place(x, t);
        }
        return false;
    }
    delta = delta.add(st.place(q, s));
    let mut moved: Vec<usize> = Vec::new();
    for &(x, _) in &removed {
        let before = st.gain_of_place(x);
        if st.relocate(x, order).is_some() {
            delta = delta.add(before);
            moved.push(x);
        }
    }
    if delta.better_than_zero() {
        return true;
    }
    // Undo.
    for &x in &moved {
        st.remove(x);
    }
    st.remove(q);
    for &(x, t) in removed.iter().rev() {
        st.place(x, t);
    }
    false
}

fn finish(st: &State<'_>, passes: usize) -> Schedule {
    let p = st.p;
    let pinned: rustc_hash::FxHashMap<usize, u32> = p
        .published
        .iter()
        .flatten()
        .map(|pin| (pin.pair, pin.table))
        .collect();
    let mut meetings = Vec::new();
    for s in 0..p.slots {
        let mut here: Vec<usize> = st.in_slot[s].clone();
        here.sort_by(|&x, &y| {
            p.pairs[y]
                .score
                .total_cmp(&p.pairs[x].score)
                .then(x.cmp(&y))
        });
        let mut taken = vec![false; p.tables[s] as usize + 1];
        let mut table_of = vec![0u32; here.len()];
        // Published meetings kept keep their tables first (they were checked to be free and
        // nobody else's own).
        for (k, &q) in here.iter().enumerate() {
            if let Some(&t) = pinned.get(&q).filter(|&&t| t > 0 && !taken[t as usize]) {
                taken[t as usize] = true;
                table_of[k] = t;
            }
        }
        for (k, &q) in here.iter().enumerate() {
            if table_of[k] > 0 {
                continue;
            }
            let pr = p.pairs[q];
            if let Some(t) = p.table[pr.a as usize].or(p.table[pr.b as usize]) {
                if !taken[t as usize] {
                    taken[t as usize] = true;
                    table_of[k] = t;
                }
            }
        }
        // Strangers get tables nobody owns first, then owned tables whose owner is away.
        let owned = |t: u32| p.table.contains(&Some(t));
        let mut spare: Vec<u32> = (1..=p.tables[s]).filter(|&t| !taken[t as usize]).collect();
        spare.sort_by_key(|&t| (owned(t), t));
        let mut spare = spare.into_iter();
        for (k, &q) in here.iter().enumerate() {
            if table_of[k] == 0 {
                table_of[k] = spare.next().unwrap_or(0);
            }
            let pr = p.pairs[q];
            meetings.push(Meeting {
                slot: s,
                table: table_of[k],
                a: pr.a as usize,
                b: pr.b as usize,
                score: pr.score,
            });
        }
    }
    meetings.sort_by_key(|m| (m.slot, m.table));
    let objective = meetings.iter().map(|m| m.score).sum();
    Schedule {
        ids: p.ids.clone(),
        slots: p.slots,
        meetings,
        objective,
        upper_bound: upper_bound(p),
        meetings_per_participant: st.deg.clone(),
        min_meetings: p.min.clone(),
        passes,
        idle: (0..p.n() as u32).map(|v| compact::idle_of(st, v)).collect(),
        idle_bound: (0..p.n() as u32)
            .map(|v| compact::idle_bound(st, v, st.deg[v as usize]))
            .sum(),
        changes: Vec::new(),
    }
}

/// The upper bound documented on [`Schedule::upper_bound`].
fn upper_bound(p: &Problem) -> f64 {
    let mut per: Vec<Vec<f64>> = vec![Vec::new(); p.n()];
    let mut all: Vec<f64> = Vec::new();
    for pr in &p.pairs {
        let common = (0..p.slots).any(|s| p.is_available(pr.a, s) && p.is_available(pr.b, s));
        if pr.score > 0.0 && common {
            per[pr.a as usize].push(pr.score);
            per[pr.b as usize].push(pr.score);
            all.push(pr.score);
        }
    }
    let vertex: f64 = per
        .iter_mut()
        .enumerate()
        .map(|(v, list)| {
            list.sort_by(|x, y| y.total_cmp(x));
            list.iter().take(p.cap[v] as usize).sum::<f64>()
        })
        .sum::<f64>()
        / 2.0;
    all.sort_by(|x, y| y.total_cmp(x));
    let capacity: f64 = all
        .iter()
        .take(p.tables.iter().map(|&t| t as usize).sum())
        .sum();
    vertex.min(capacity)
}
