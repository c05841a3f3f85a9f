//! The summit scheduling problem: participants, pair scores, slots, tables, and the rules.

use crate::error::{Error, Location, Result};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One participant of the summit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// Id (a firm id or any name), unique.
    pub id: String,
    /// Side for two-sided events (e.g. `"buyer"`, `"supplier"`): pairs of one side never meet.
    pub side: Option<String>,
    /// Meetings this participant should have at least (honoured before the total score).
    pub min_meetings: u32,
    /// Meetings this participant may have at most (`None`: one per slot).
    pub max_meetings: Option<u32>,
    /// A table the participant keeps all day (1-based), e.g. an exhibitor's booth.
    pub table: Option<u32>,
}

impl Participant {
    /// A participant with no particular rules.
    pub fn new(id: impl Into<String>) -> Self {
        Participant {
            id: id.into(),
            side: None,
            min_meetings: 0,
            max_meetings: None,
            table: None,
        }
    }
}

/// Everything the scheduler needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SummitInput {
    /// The participants.
    pub participants: Vec<Participant>,
    /// Pair scores `(a, b, score)`: only listed pairs (and must-meet pairs) may meet; a pair
    /// listed twice (in either order) gets the sum of its scores.
    pub scores: Vec<(String, String, f64)>,
    /// Number of time slots.
    pub slots: usize,
    /// Tables (meetings at once) in each slot.
    pub tables: Vec<u32>,
    /// `(participant, slot)` pairs when a participant cannot meet (0-based slots).
    pub unavailable: Vec<(String, usize)>,
    /// Pairs that must meet.
    pub must_meet: Vec<(String, String)>,
    /// Pairs that must never meet.
    pub forbidden: Vec<(String, String)>,
    /// Meetings already fixed: `(a, b, slot)`.
    pub fixed: Vec<(String, String, usize)>,
    /// The meetings of a published schedule, kept at their slot and table where the rules
    /// still allow (see [`Published`]); the schedule reports the changes.
    #[serde(default)]
    pub published: Vec<Published>,
}

/// A pair that may meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pair {
    pub a: u32,
    pub b: u32,
    pub score: f64,
    pub must: bool,
}

/// The validated problem in indices.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub ids: Vec<String>,
    pub slots: usize,
    pub tables: Vec<u32>,
    /// `available[v * slots + s]`.
    pub available: Vec<bool>,
    pub min: Vec<u32>,
    /// Most meetings of each participant (at most its available slots).
    pub cap: Vec<u32>,
    pub table: Vec<Option<u32>>,
    pub pairs: Vec<Pair>,
    /// Pair index of each fixed meeting with its slot (the input's, then the published
    /// meetings kept).
    pub fixed: Vec<(usize, usize)>,
    /// What became of each published meeting (in input order): kept with its table, or
    /// the reason it was not.
    pub published: Vec<Outcome>,
    /// Integer matching weights are `score · weight_scale`: 1e6 (micro-units) while scores
    /// stay within ±1e6, smaller beyond, so that no pair's weight passes 1e12. Scores in yen
    /// (1e10) would otherwise outweigh the minimum-meeting tier of the weights or overflow.
    pub weight_scale: f64,
}

impl Problem {
    pub fn n(&self) -> usize {
        self.ids.len()
    }

    pub fn is_available(&self, v: u32, s: usize) -> bool {
        self.available[v as usize * self.slots + s]
    }
}

fn at(table: &str, row: usize, column: &str) -> Location {
    Location::table(table).row(row as u64).column(column)
}

/// Most slots a summit can have.
pub(crate) const MAX_SLOTS: usize = 1_000;

impl SummitInput {
    /// Checks the input and turns it into indices; every error names the table, row and column.
    pub(crate) fn problem(&self) -> Result<Problem> {
        let n = self.participants.len();
        if self.slots == 0 || self.slots > MAX_SLOTS {
            return Err(Error::parameter(
                "slots",
                format!("{} is not in 1..={MAX_SLOTS}", self.slots),
            ));
        }
        if self.tables.len() != self.slots {
            return Err(Error::parameter(
                "tables",
                format!("{} values for {} slots", self.tables.len(), self.slots),
            ));
        }
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        for (i, p) in self.participants.iter().enumerate() {
            if p.id.is_empty() {
                return Err(Error::input(
                    at("participants", i, "id"),
                    "empty participant id",
                ));
            }
            if index.insert(p.id.as_str(), i as u32).is_some() {
                return Err(Error::input(
                    at("participants", i, "id"),
                    format!(
                        "participant '{}' is listed twice",
                        crate::error::clip(&p.id)
                    ),
                ));
            }
        }
        let find = |id: &str, table: &str, row: usize, column: &str| -> Result<u32> {
            index.get(id).copied().ok_or_else(|| Error::UnknownFirm {
                location: Box::new(at(table, row, column)),
                id: crate::error::clip(id),
                more: " (not a participant)".into(),
            })
        };
        let slots = self.slots;
        let mut available = vec![true; n * slots];
        for (row, (id, s)) in self.unavailable.iter().enumerate() {
            let v = find(id, "unavailable", row, "participant")?;
            if *s >= slots {
                return Err(Error::input(
                    at("unavailable", row, "slot"),
                    format!("slot {s} is not in 0..{slots}"),
                ));
            }
            available[v as usize * slots + s] = false;
        }
        let max_tables = self.tables.iter().copied().max().unwrap_or(0);
        let mut table = vec![None; n];
        let mut table_owner: FxHashMap<u32, usize> = FxHashMap::default();
        for (i, p) in self.participants.iter().enumerate() {
            if let Some(max) = p.max_meetings.filter(|&m| m < p.min_meetings) {
                return Err(Error::input(
                    at("participants", i, "max_meetings"),
                    format!(
                        "at most {max} meetings, but at least {} asked",
                        p.min_meetings
                    ),
                ));
            }
            if let Some(t) = p.table {
                if t == 0 || t > max_tables {
                    return Err(Error::input(
                        at("participants", i, "table"),
                        format!("table {t} is not in 1..={max_tables}"),
                    ));
                }
                if let Some(&other) = table_owner.get(&t) {
                    return Err(Error::input(
                        at("participants", i, "table"),
                        format!(
                            "table {t} is already held by '{}'",
                            self.participants[other].id
                        ),
                    ));
                }
                table_owner.insert(t, i);
                table[i] = Some(t);
                // A slot with fewer tables than the participant's own number is closed to it.
                for s in 0..slots {
                    if self.tables[s] < t {
                        available[i * slots + s] = false;
                    }
                }
            }
        }
        let min: Vec<u32> = self.participants.iter().map(|p| p.min_meetings).collect();
        let cap: Vec<u32> = (0..n)
            .map(|v| {
                let open = (0..slots).filter(|&s| available[v * slots + s]).count() as u32;
                self.participants[v]
                    .max_meetings
                    .map_or(open, |m| m.min(open))
            })
            .collect();
        let key = |a: u32, b: u32| ((a.min(b) as u64) << 32) | a.max(b) as u64;
        let mut forbidden = rustc_hash::FxHashSet::default();
        for (row, (a, b)) in self.forbidden.iter().enumerate() {
            forbidden.insert(key(
                find(a, "forbidden", row, "a")?,
                find(b, "forbidden", row, "b")?,
            ));
        }
        let side = |v: u32| self.participants[v as usize].side.as_deref();
        let mut pair_of: FxHashMap<u64, usize> = FxHashMap::default();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut add = |a: u32, b: u32, score: f64, must: bool, pairs: &mut Vec<Pair>| -> usize {
            let k = key(a, b);
            match pair_of.get(&k) {
                Some(&p) => {
                    if !must {
                        pairs[p].score += score;
                    }
                    pairs[p].must |= must;
                    p
                }
                None => {
                    pairs.push(Pair {
                        a: a.min(b),
                        b: a.max(b),
                        score,
                        must,
                    });
                    pair_of.insert(k, pairs.len() - 1);
                    pairs.len() - 1
                }
            }
        };
        let same_side = |a: u32, b: u32| matches!((side(a), side(b)), (Some(x), Some(y)) if x == y);
        for (row, (a, b, score)) in self.scores.iter().enumerate() {
            let (x, y) = (find(a, "scores", row, "a")?, find(b, "scores", row, "b")?);
            if !score.is_finite() {
                return Err(Error::input(
                    at("scores", row, "score"),
                    format!("score {score} is not finite"),
                ));
            }
            if x == y {
                return Err(Error::input(
                    at("scores", row, "b"),
                    format!("'{a}' cannot meet itself"),
                ));
            }
            if forbidden.contains(&key(x, y)) || same_side(x, y) {
                continue;
            }
            add(x, y, *score, false, &mut pairs);
        }
        for (row, (a, b)) in self.must_meet.iter().enumerate() {
            let (x, y) = (
                find(a, "must_meet", row, "a")?,
                find(b, "must_meet", row, "b")?,
            );
            let why = if x == y {
                Some("a participant cannot meet itself".to_string())
            } else if forbidden.contains(&key(x, y)) {
                Some("the pair is also forbidden".to_string())
            } else if same_side(x, y) {
                Some(format!(
                    "both are on side '{}'",
                    side(x).unwrap_or_default()
                ))
            } else {
                None
            };
            if let Some(why) = why {
                return Err(Error::input(
                    at("must_meet", row, "b"),
                    format!("'{a}' and '{b}' cannot meet: {why}"),
                ));
            }
            add(x, y, 0.0, true, &mut pairs);
        }
        let mut fixed = Vec::new();
        for (row, (a, b, s)) in self.fixed.iter().enumerate() {
            let (x, y) = (find(a, "fixed", row, "a")?, find(b, "fixed", row, "b")?);
            if x == y || forbidden.contains(&key(x, y)) || same_side(x, y) {
                return Err(Error::input(
                    at("fixed", row, "b"),
                    format!(
                        "'{a}' and '{b}' cannot meet (same participant, forbidden, or same side)"
                    ),
                ));
            }
            if *s >= slots {
                return Err(Error::input(
                    at("fixed", row, "slot"),
                    format!("slot {s} is not in 0..{slots}"),
                ));
            }
            let p = add(x, y, 0.0, false, &mut pairs);
            fixed.push((p, *s));
        }
        if let Some(p) = pairs.iter().find(|p| !p.score.is_finite()) {
            let (a, b) = (
                &self.participants[p.a as usize].id,
                &self.participants[p.b as usize].id,
            );
            return Err(Error::parameter(
                "scores",
                format!("the scores listed for '{a}'–'{b}' add up to {}", p.score),
            ));
        }
        let largest = pairs.iter().map(|p| p.score.abs()).fold(0.0, f64::max);
        let mut problem = Problem {
            weight_scale: if largest > 1e6 { 1e12 / largest } else { 1e6 },
            ids: self.participants.iter().map(|p| p.id.clone()).collect(),
            slots,
            tables: self.tables.clone(),
            available,
            min,
            cap,
            table,
            pairs,
            fixed,
            published: Vec::new(),
        };
        problem.keep(
            &self.published,
            |id| index.get(id).copied(),
            |x, y| !forbidden.contains(&key(x, y)) && !same_side(x, y),
        );
        Ok(problem)
    }
}

/// A meeting of a published schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// One participant.
    pub a: String,
    /// The other.
    pub b: String,
    /// Slot, 0-based.
    pub slot: usize,
    /// Table, 1-based.
    pub table: u32,
}

/// One scheduled meeting (participants as indices into [`Schedule::ids`](super::Schedule::ids)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Slot, 0-based.
    pub slot: usize,
    /// Table, 1-based.
    pub table: u32,
    /// One participant.
    pub a: usize,
    /// The other.
    pub b: usize,
    /// The pair's score.
    pub score: f64,
}

/// A published meeting kept: its pair, slot and table (0: the table must change).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pin {
    pub pair: usize,
    pub slot: usize,
    pub table: u32,
}

/// What became of one published meeting: kept (pinned), or why not.
pub(crate) type Outcome = std::result::Result<Pin, String>;
